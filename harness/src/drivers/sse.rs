//! A small Server-Sent Events reader over a reqwest byte stream (the SSE wire format:
//! `event:` and `data:` lines, a blank line ends an event).

use futures::StreamExt;

/// One parsed SSE event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` name; `message` when absent.
    pub name: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

/// Incremental parser: feed bytes, get whole events.
#[derive(Debug, Default)]
pub struct SseParser {
    buf: Vec<u8>,
    name: Option<String>,
    data: Vec<String>,
}

impl SseParser {
    /// Feeds bytes; returns the events they complete.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        self.buf.extend_from_slice(bytes);
        let mut out = Vec::new();
        while let Some(pos) = self.buf.iter().position(|&b| b == b'\n') {
            let mut line: Vec<u8> = self.buf.drain(..=pos).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let line = String::from_utf8_lossy(&line).into_owned();
            if line.is_empty() {
                if !self.data.is_empty() || self.name.is_some() {
                    out.push(SseEvent {
                        name: self.name.take().unwrap_or_else(|| "message".into()),
                        data: std::mem::take(&mut self.data).join("\n"),
                    });
                }
                continue;
            }
            if line.starts_with(':') {
                continue; // a comment (keep-alive)
            }
            let (field, value) = line
                .split_once(':')
                .map_or((line.as_str(), ""), |(f, v)| (f, v.strip_prefix(' ').unwrap_or(v)));
            match field {
                "event" => self.name = Some(value.to_owned()),
                "data" => self.data.push(value.to_owned()),
                _ => {}
            }
        }
        out
    }
}

/// Reads `resp` to its end, handing each event to `on_event`; returns why it ended.
pub async fn read(resp: reqwest::Response, mut on_event: impl FnMut(SseEvent)) -> String {
    let mut parser = SseParser::default();
    let mut body = resp.bytes_stream();
    while let Some(chunk) = body.next().await {
        match chunk {
            Ok(bytes) => parser.feed(&bytes).into_iter().for_each(&mut on_event),
            Err(e) => return format!("the SSE connection failed: {e}"),
        }
    }
    "the server closed the SSE stream".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_across_chunks_are_reassembled() {
        let mut p = SseParser::default();
        assert!(p.feed(b"event: ping\nda").is_empty());
        let got = p.feed(b"ta: {}\n\n: keep-alive\n\ndata: a\r\ndata: b\r\n\r\n");
        assert_eq!(
            got,
            vec![
                SseEvent { name: "ping".into(), data: "{}".into() },
                SseEvent { name: "message".into(), data: "a\nb".into() },
            ]
        );
    }
}
