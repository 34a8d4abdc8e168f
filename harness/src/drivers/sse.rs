//! Reading a Server-Sent Events stream from a reqwest response, parsed by eventsource-stream
//! (the WHATWG HTML "server-sent events" rules: `event:`, `data:`, `id:`, `retry:`, comments,
//! CR/LF line ends).

use eventsource_stream::Eventsource;
use futures::StreamExt;

/// One parsed SSE event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` name; `message` when absent.
    pub name: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

/// Reads `resp` to its end, handing each event to `on_event`; returns why it ended.
pub async fn read(resp: reqwest::Response, mut on_event: impl FnMut(SseEvent)) -> String {
    let mut events = resp.bytes_stream().eventsource();
    while let Some(event) = events.next().await {
        match event {
            Ok(e) => on_event(SseEvent { name: e.event, data: e.data }),
            Err(e) => return format!("the SSE connection failed: {e}"),
        }
    }
    "the server closed the SSE stream".into()
}
