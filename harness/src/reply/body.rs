//! A reply's body that is not JSON: the one rule by which an API grades it ([`NotJson`]), and
//! how any body is shown in a console line ([`escaped`]).

use crate::verdict::Ground;

use super::Reply;

/// How many bytes of a body that is not JSON a message shows.
pub const SHOWN_BYTES: usize = 300;

/// The rule by which an API grades a reply whose body is not JSON (empty, or not parsed): the
/// same in every driver and step of the API. A 2xx (or any answer that is no refusal) is
/// judged on `success`, a refusal (a 4xx) on `refusal`; each with the sentence or register
/// entry that says the body is JSON.
#[derive(Clone, Copy, Debug)]
pub struct NotJson {
    /// A success's body: `None` breaks the document, `Some(entry)` only that reading.
    pub success: Option<&'static str>,
    /// A refusal's body: `None` breaks the document, `Some(entry)` only that reading.
    pub refusal: Option<&'static str>,
    /// Why the body must be JSON: the seed's sentence or the register's words.
    pub why: &'static str,
    /// Why a refusal's body must be JSON, where that is a reading (`refusal` is `Some`): the
    /// register's words, so a lenient note does not cite a fact the document does not state.
    pub refusal_why: &'static str,
}

impl NotJson {
    /// The ground a body that is not JSON breaks for `reply`, with the miss in words; `None`
    /// when the body is JSON (or no reply came).
    pub fn judge(&self, reply: &Reply) -> Option<(Ground, String)> {
        if !reply.answered() || !reply.body.is_null() {
            return None;
        }
        let entry = if reply.refused() { self.refusal } else { self.success };
        let ground = entry.map_or(Ground::Document, |e| Ground::Reading(e.to_owned()));
        let ct = reply.content_type.as_deref().unwrap_or("none");
        let miss = format!(
            "/: the body is not JSON (HTTP {}, content-type {ct}, body \"{}\"); {}",
            reply.status,
            escaped(reply.raw(), SHOWN_BYTES),
            self.why_for(reply),
        );
        Some((ground, miss))
    }
}

impl NotJson {
    /// The words that say why `reply`'s body must be JSON: [`NotJson::refusal_why`] for a
    /// refusal graded on a reading, else [`NotJson::why`].
    pub fn why_for(&self, reply: &Reply) -> &'static str {
        if reply.refused() && self.refusal.is_some() { self.refusal_why } else { self.why }
    }
}

impl Reply {
    /// Grades the body by the API's rule when it is not JSON ([`NotJson`]): a miss of the
    /// document goes to [`Reply::violations`], of a reading to [`Reply::readings`]. Whether
    /// it was not JSON.
    pub fn grade_not_json(&mut self, rule: &NotJson) -> bool {
        let Some((ground, miss)) = rule.judge(self) else { return false };
        match ground {
            Ground::Document => self.violations.push(miss),
            Ground::Reading(entry) => {
                // The ground apart, so a lenient note says what broke, then why it should not.
                let why = rule.why_for(self);
                let broke = miss.strip_suffix(why).and_then(|m| m.strip_suffix("; ")).unwrap_or(&miss);
                self.readings.push(super::ReadingMiss {
                    entry,
                    violation: broke.to_owned(),
                    ground: Some(why.to_owned()),
                });
            }
        }
        true
    }
}

/// `bytes` for a console line: printable text as it is; `\n`, `\r`, `\t`, `\"`, `\\`,
/// other control and invisible format characters as `\u{..}`, bytes that are not UTF-8 as
/// `\xNN`; past `limit` bytes, cut with the whole size (`… (4096 bytes in all)`).
pub fn escaped(bytes: &[u8], limit: usize) -> String {
    let shown = &bytes[..bytes.len().min(limit)];
    let mut out = String::new();
    for chunk in shown.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() || is_invisible(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
                c => out.push(c),
            }
        }
        // A character the limit cuts in two shows as its bytes too, at the end of the cut.
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    if bytes.len() > limit {
        out.push_str(&format!("… ({} bytes in all)", bytes.len()));
    }
    out
}

/// Format characters that change how a terminal shows what follows (bidirectional overrides,
/// zero-width characters, the byte order mark).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::reply::tests::http;
    use serde_json::Value;
    use serde_json::json;

    #[test]
    fn bodies_are_shown_escaped_and_cut() {
        assert_eq!(escaped(b"plain text", 300), "plain text");
        assert_eq!(escaped(b"a\x1b[31mred\n\"q\"\\", 300), "a\\u{1b}[31mred\\n\\\"q\\\"\\\\");
        assert_eq!(escaped(b"ok \xff\xfe end", 300), "ok \\xff\\xfe end");
        assert_eq!(escaped("\u{202e}évil".as_bytes(), 300), "\\u{202e}évil");
        let long = vec![b'a'; 1000];
        assert_eq!(escaped(&long, 10), format!("{}… (1000 bytes in all)", "a".repeat(10)));
        // A character the limit cuts in two shows its first bytes, never a broken character.
        assert_eq!(escaped("aé".as_bytes(), 2), "a\\xc3… (3 bytes in all)");

        let mut r = http(502, Value::Null);
        r.content_type = Some("text/html".into());
        r.bytes = Some(b"<h1>\x1b]0;pwned\x07</h1>\xff".to_vec());
        r.text = String::from_utf8_lossy(r.raw()).into_owned();
        let shown = r.describe();
        assert_eq!(shown, "HTTP 502 text/html \"<h1>\\u{1b}]0;pwned\\u{7}</h1>\\xff\"");
        assert!(!shown.chars().any(char::is_control), "{shown}");
        assert_eq!(r.logged_body(), Some(Value::String("<h1>\\u{1b}]0;pwned\\u{7}</h1>\\xff".into())));
    }

    #[test]
    fn a_body_that_is_not_json_is_graded_by_the_apis_one_rule() {
        let rule = NotJson {
            success: None,
            refusal: Some("X4"),
            why: "the document says JSON",
            refusal_why: "X4 reads a refusal as JSON too",
        };
        let text = |status: u16| {
            let mut r = http(status, Value::Null);
            r.text = "<html>".into();
            r.content_type = Some("text/html".into());
            r
        };
        let mut ok = text(200);
        assert!(ok.grade_not_json(&rule));
        assert!(ok.readings.is_empty());
        assert!(
            ok.violations[0].contains("text/html") && ok.violations[0].contains("the document says JSON")
        );
        let mut refused = text(404);
        assert!(refused.grade_not_json(&rule));
        assert!(refused.violations.is_empty());
        assert_eq!(refused.readings[0].entry, "X4");
        // A refusal's miss keeps the reading's words apart, and never the success's ground.
        assert!(refused.readings[0].violation.starts_with("/: the body is not JSON (HTTP 404"));
        assert!(!refused.readings[0].violation.contains("JSON too"), "{:?}", refused.readings);
        assert_eq!(refused.readings[0].ground.as_deref(), Some("X4 reads a refusal as JSON too"));
        assert!(rule.judge(&refused).is_some_and(|(_, m)| m.ends_with("; X4 reads a refusal as JSON too")));
        assert_eq!(rule.judge(&refused).map(|(g, _)| g), Some(Ground::Reading("X4".into())));
        let mut json = http(404, json!({"message": "no"}));
        assert!(!json.grade_not_json(&rule) && json.readings.is_empty());
    }
}
