//! Reading one received message (RFC 5322 headers, a MIME body): its subject and its text,
//! with quoted-printable and base64 undone, and the first `text/plain` part of a multipart
//! message.

use base64::Engine as _;

/// One message the sink received.
#[derive(Clone, Debug, PartialEq)]
pub struct Mail {
    /// The envelope sender (`MAIL FROM`).
    pub from: String,
    /// The envelope recipients (`RCPT TO`).
    pub to: Vec<String>,
    /// The `Subject` header, unfolded.
    pub subject: String,
    /// The text, decoded.
    pub body: String,
}

impl Mail {
    /// Reads `data` (what followed `DATA`, dot-stuffing undone).
    pub fn parse(from: String, to: Vec<String>, data: &[u8]) -> Mail {
        let text = String::from_utf8_lossy(data);
        let (headers, body) = split(&text);
        let subject = header(&headers, "subject").unwrap_or_default();
        Mail { from, to, subject, body: text_of(&headers, body) }
    }
}

/// The unfolded headers and the body of a message or MIME part.
fn split(text: &str) -> (Vec<(String, String)>, &str) {
    let (head, body) = match text.find("\r\n\r\n") {
        Some(i) => (&text[..i], &text[i + 4..]),
        None => match text.find("\n\n") {
            Some(i) => (&text[..i], &text[i + 2..]),
            None => (text, ""),
        },
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    (headers, body)
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

/// A parameter of a header value (`boundary` of `multipart/alternative; boundary="b1"`).
fn parameter(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The text of a message or part: decoded, or the first `text/plain` part of a multipart.
fn text_of(headers: &[(String, String)], body: &str) -> String {
    let kind = header(headers, "content-type").unwrap_or_else(|| "text/plain".into());
    if kind.to_ascii_lowercase().starts_with("multipart/")
        && let Some(boundary) = parameter(&kind, "boundary")
    {
        let delimiter = format!("--{boundary}");
        let parts: Vec<&str> = body.split(delimiter.as_str()).skip(1).collect();
        let decoded: Vec<(bool, String)> = parts
            .iter()
            .filter(|p| !p.starts_with("--"))
            .map(|p| {
                let (h, b) = split(p.trim_start_matches(['\r', '\n']));
                let plain = header(&h, "content-type")
                    .is_none_or(|t| t.to_ascii_lowercase().starts_with("text/plain"));
                (plain, text_of(&h, b.trim_end_matches(['\r', '\n'])))
            })
            .collect();
        return decoded
            .iter()
            .find(|(plain, _)| *plain)
            .or(decoded.first())
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
    }
    match header(headers, "content-transfer-encoding").map(|e| e.to_ascii_lowercase()).as_deref() {
        Some("quoted-printable") => quoted_printable(body),
        Some("base64") => {
            let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            match base64::engine::general_purpose::STANDARD.decode(compact) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(_) => body.to_owned(),
            }
        }
        _ => body.to_owned(),
    }
}

/// Undoes quoted-printable (RFC 2045 6.7): `=XX` bytes and `=` soft line breaks.
fn quoted_printable(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            if bytes[i + 1..].starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if bytes[i + 1..].starts_with(b"\n") {
                i += 2;
                continue;
            }
            if let Some(hex) = text.get(i + 1..i + 3)
                && let Ok(b) = u8::from_str_radix(hex, 16)
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn multipart_messages_give_their_plain_text_decoded() {
        let data = "Subject: Your\r\n code\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n\
                    preamble\r\n--b1\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--b1\r\n\
                    Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\
                    Q29kZTogMTIzNDU2\r\n--b1--\r\n";
        let m = Mail::parse("a@x".into(), vec!["b@x".into()], data.as_bytes());
        assert_eq!(m.subject, "Your code");
        assert_eq!(m.body, "Code: 123456");
        assert_eq!(quoted_printable("caf=C3=A9 =\r\nau lait=3D"), "café au lait=");
    }
}
