//! Receiving events (seed 000, "Receiving events": "the client has to obtain the SSE
//! authenitcation code using create_sse_auth_code() call"): the codes, who is online, and the
//! stream `GET /sse/{code}` with what a browser's `EventSource` needs to survive a dropped
//! connection (WHATWG HTML, server-sent events): a code stays valid for its user's reconnects
//! (NOTES.md U40), every notification carries an `id:`, a reconnect with `Last-Event-ID`
//! replays what was missed from a bounded window, and `retry:` is set. A stream whose reader
//! falls [`crate::kit::hub::QUEUE_LIMIT`] notifications behind ends with a comment saying so
//! (NOTES.md U44); its `EventSource` reconnects and replays what the window still holds.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::{
    extract::{Path, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, header},
    response::{
        IntoResponse, Response,
        sse::{Event, Sse},
    },
};
use chatspec_specs::endpoint::Handle;
use chatspec_specs::unichat::envelope::ErrorCode;
use futures::{Stream, StreamExt, stream};
use serde_json::{Value, json};
use tokio_stream::wrappers::IntervalStream;

use super::endpoint::{Call, Served};
use super::error::ApiError;
use super::store::Store;
use super::{Breakage, Unichat};
use crate::kit::hub::{Consumer, Next, TOO_SLOW_REASON};

/// How many of a user's latest notifications a reconnect can replay.
pub const REPLAY_WINDOW: usize = 1024;

/// The reconnection time sent as `retry:` with `event_source_ready`, in milliseconds on the
/// wire ("retry: 1000"): how long a browser waits before it reconnects.
pub const RETRY: Duration = Duration::from_secs(1);

impl Store {
    /// Users with an open SSE connection show as online.
    pub fn set_online(&mut self, user: u64, online: bool) {
        if let Some(u) = self.users.get_mut(&user) {
            u.online = online;
        }
    }

    /// The user an SSE code belongs to. The code is not spent: it opens its user's stream
    /// again after a dropped connection, as an `EventSource` reconnects to the same URL
    /// (NOTES.md U40).
    pub fn redeem_sse_code(&self, code: &str) -> Option<u64> {
        self.sse_codes.get(code).copied()
    }

    /// `create_sse_auth_code() -> {code}`: a fresh code for `me`.
    pub(super) fn create_sse_auth_code(&mut self, me: u64) -> Result<Value, ApiError> {
        let code = self.token("sse_");
        self.sse_codes.insert(code.clone(), me);
        Ok(json!({"code": code}))
    }
}

/// One notification as the hub carries it: its event id and its JSON, serialised once and
/// shared by every stream it goes to (and by the replay window).
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// The event's `id:`.
    pub id: u64,
    /// The event's `data:`.
    pub json: Arc<str>,
}

/// The notifications sent to each user, numbered, the latest [`REPLAY_WINDOW`] of them kept
/// for replay. Event ids are one sequence for the whole mock and a notification has one id
/// for all its recipients, so an id never names two notifications of one user.
#[derive(Debug, Default)]
pub struct SseLog {
    last_id: u64,
    recent: HashMap<u64, VecDeque<Notice>>,
}

impl SseLog {
    /// Numbers `json`, a notification about to go to one or more users.
    pub fn number(&mut self, json: &str) -> Notice {
        self.last_id += 1;
        Notice { id: self.last_id, json: Arc::from(json) }
    }

    /// Keeps `notice` for replay to `user`.
    pub fn keep(&mut self, user: u64, notice: &Notice) {
        let kept = self.recent.entry(user).or_default();
        if kept.len() == REPLAY_WINDOW {
            kept.pop_front();
        }
        kept.push_back(notice.clone());
    }

    /// Numbers `json` for `user` alone and keeps it; as the hub carries it.
    pub fn record(&mut self, user: u64, json: &str) -> Notice {
        let notice = self.number(json);
        self.keep(user, &notice);
        notice
    }

    /// `user`'s notifications after the event id `last` that the window still holds, oldest
    /// first (all of them when `last` is older than the window).
    pub fn since(&self, user: u64, last: u64) -> Vec<Notice> {
        let Some(kept) = self.recent.get(&user) else { return Vec::new() };
        kept.iter().filter(|n| n.id > last).cloned().collect()
    }

    /// Forgets every notification (the ids go on, so none is reused).
    pub fn clear(&mut self) {
        self.recent.clear();
    }
}

/// One notification to `user` as an SSE event, with one `tracing` line at target
/// `chatspec_mocks::events`, level INFO (`chatspec serve --log`, or
/// `RUST_LOG=chatspec_mocks=info`): the user, the event's `id:` and its size in bytes. (The
/// JSON, written by serde_json, holds no raw newline: it is one `data:` line.)
fn notification(user: u64, notice: &Notice) -> Event {
    let (id, data) = (notice.id, &*notice.json);
    tracing::info!(target: "chatspec_mocks::events", "unichat sse user {user} unichat_notification id {id} {} bytes", data.len());
    Event::default().event("unichat_notification").id(id.to_string()).data(data)
}

/// What a live stream carries next: a notification, or the end of a consumer too slow.
enum Live {
    Notice(Notice),
    TooSlow,
}

/// The live part of a stream: the queue's notifications until the hub lets it go; when it
/// lets it go for being too slow, one last item says so.
fn live(queue: Consumer<Notice>) -> impl Stream<Item = Live> {
    stream::unfold(Some(queue), |queue| async move {
        let mut queue = queue?;
        match queue.recv().await {
            Next::Frame(n) => Some((Live::Notice(n), Some(queue))),
            Next::TooSlow => Some((Live::TooSlow, None)),
            Next::Ended => None,
        }
    })
}

/// The `Last-Event-ID` a reconnecting `EventSource` sends, when it is an id this mock gave.
fn last_event_id(headers: &HeaderMap) -> Option<u64> {
    headers.get("last-event-id")?.to_str().ok()?.trim().parse().ok()
}

/// `GET /sse/{code}`: "event_source_ready" once (with `retry:`), then what a reconnect
/// missed, then "unichat_notification" for every notification to the user and "ping"
/// periodically.
pub(crate) async fn stream(
    State(state): State<Arc<Unichat>>,
    code: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    let Ok(Path(code)) = code else {
        return super::transport::bad_path();
    };
    let Some((user, queue, missed)) = state.open_stream(&code, last_event_id(&headers)) else {
        return ApiError::new(ErrorCode::InvalidSseCode, "the SSE code is unknown").into_response();
    };
    let guard = OnlineGuard { state: state.clone(), user };
    // The queue ends only when the hub drops it (`/_mock/reset`, or a reader too slow): the
    // stream ends with it, pings and all, rather than serve a user who no longer exists or a
    // reader who cannot keep up. A comment line, which an `EventSource` ignores, says why.
    let notifications = stream::iter(missed)
        .map(Live::Notice)
        .chain(live(queue))
        .map(move |item| {
            let _keep = &guard;
            Some(match item {
                Live::Notice(n) => notification(user, &n),
                Live::TooSlow => Event::default().comment(TOO_SLOW_REASON),
            })
        })
        .chain(stream::iter([None]));
    let mut interval = tokio::time::interval(state.ping);
    interval.reset(); // the first tick would fire at once
    let pings = IntervalStream::new(interval).map(|_| Some(Event::default().event("ping").data("{}")));
    let readies = if state.broken(Breakage::ReadyTwice) { 2 } else { 1 };
    let ready = stream::iter(
        (0..readies).map(|_| Event::default().event("event_source_ready").retry(RETRY).data("{}")),
    );
    let live_events = stream::select(notifications, pings)
        .take_while(|e| std::future::ready(e.is_some()))
        .filter_map(std::future::ready);
    let events = ready.chain(live_events);
    let events: std::pin::Pin<Box<dyn Stream<Item = Result<Event, Infallible>> + Send>> =
        Box::pin(events.map(Ok).take_until(state.shutdown.clone().cancelled_owned()));
    let mut resp = Sse::new(events).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    resp
}

/// Marks the user offline when their last SSE stream ends.
struct OnlineGuard {
    state: Arc<Unichat>,
    user: u64,
}

impl Drop for OnlineGuard {
    fn drop(&mut self) {
        // The stream's receiver is dropped before this guard, so the count excludes it.
        let still = self.state.hub.connections(self.user) > 0;
        self.state.set_online(self.user, still);
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/unichat/mod.rs) ----
impl Handle<chatspec_specs::unichat::sse::CreateSseAuthCode, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.create_sse_auth_code(c.me)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_window_keeps_the_latest_notifications_of_each_user() {
        let mut log = SseLog::default();
        for n in 0..REPLAY_WINDOW + 3 {
            log.record(1, &format!("{{\"n\":{n}}}"));
        }
        log.record(2, "{}");
        let all = log.since(1, 0);
        assert_eq!(all.len(), REPLAY_WINDOW);
        assert_eq!((all[0].id, &*all[0].json), (4, "{\"n\":3}"));
        let last = log.since(1, REPLAY_WINDOW as u64 + 1);
        assert_eq!(last.iter().map(|n| n.id).collect::<Vec<_>>(), [1026, 1027]);
        assert_eq!(log.since(2, 0).len(), 1);
        assert!(log.since(3, 0).is_empty());
    }

    #[test]
    fn last_event_id_is_read_only_when_it_is_a_number() {
        let mut h = HeaderMap::new();
        assert_eq!(last_event_id(&h), None);
        h.insert("last-event-id", HeaderValue::from_static(" 42 "));
        assert_eq!(last_event_id(&h), Some(42));
        h.insert("last-event-id", HeaderValue::from_static("x"));
        assert_eq!(last_event_id(&h), None);
    }
}
