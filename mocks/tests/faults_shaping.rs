//! The faults that shape time and event streams, armed on a Unichat mock with
//! `POST /_mock/faults` as a client's tests would: `delay` holds a request at least its `ms`
//! (only a lower bound is measured: a busy machine may add any time), `slow_read` sends the
//! reply in pieces of at most `bytes_per_second` bytes a second, and `drop_events`,
//! `duplicate_events` and `reorder_events` reshape the SSE stream event by event. Absence is
//! shown at a fence (the stream's end after a known number of events), never by waiting.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chatspec_mocks::kit::Clock;
use chatspec_mocks::unichat::{self, Config, Unichat};
use common::{DOMAIN, Mock};
use eventsource_stream::{Event, Eventsource};
use futures::{Stream, StreamExt};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

impl Mock {
    async fn arm(&self, fault: Value) {
        let armed = self.http.post(format!("{}/_mock/faults", self.base)).json(&fault).send().await.unwrap();
        assert_eq!(armed.status(), 201, "{fault}");
    }

    async fn fired(&self) -> Vec<String> {
        let listing: Value =
            self.http.get(format!("{}/_mock/faults", self.base)).send().await.unwrap().json().await.unwrap();
        listing["fired"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap().to_owned()).collect()
    }

    /// Alice, her room's subscription, and her stream's auth code.
    fn alice(&self) -> (String, u64, String) {
        let reply = self
            .state
            .call("register", DOMAIN, None, json!({"email": "alice@x.io", "password": "p"}))
            .unwrap();
        let token = reply["user"]["auth_token"].as_str().unwrap().to_owned();
        let room = self.call(&token, "create_room", json!({"name": "r"}));
        let sub = room["subscription"]["id"].as_u64().unwrap();
        let code = self.call(&token, "create_sse_auth_code", json!({}))["code"].as_str().unwrap().to_owned();
        (token, sub, code)
    }

    async fn open(&self, code: &str) -> impl Stream<Item = Event> + Unpin + use<> {
        let resp = self.http.get(format!("{}/sse/{code}", self.base)).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        Box::pin(resp.bytes_stream().eventsource().map(|e| e.expect("a well-formed event")))
    }
}

/// The next event, or `None` when the stream ended; a stream that neither ends nor sends in
/// five seconds fails the test.
async fn next(events: &mut (impl Stream<Item = Event> + Unpin)) -> Option<Event> {
    tokio::time::timeout(Duration::from_secs(5), events.next()).await.expect("an event or the end in time")
}

/// What an event carries: its type, and a notification's message text.
fn seen(e: &Event) -> String {
    let data: Value = serde_json::from_str(&e.data).unwrap_or(Value::Null);
    match data["object"]["text"].as_str() {
        Some(text) => format!("{} {text}", e.event),
        None => e.event.clone(),
    }
}

async fn take(events: &mut (impl Stream<Item = Event> + Unpin), n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(seen(&next(events).await.expect("the stream is open")));
    }
    out
}

#[tokio::test]
async fn a_delay_holds_the_request_at_least_its_milliseconds_once() {
    let m = Mock::start(Duration::from_secs(600)).await;
    m.arm(json!({"kind": "delay", "ms": 300, "route": "/api/*", "method": "POST"})).await;
    let post = || m.http.post(format!("{}/api/get_subscriptions", m.base)).body("{}").send();
    let started = Instant::now();
    let held = post().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300), "held only {:?}", started.elapsed());
    assert_eq!(held.status(), 400, "the request still reaches the server, which refuses it");
    assert_eq!(m.fired().await, ["delay"]);
    // Fired once (no `times`): the next request is not held, and nothing more fires.
    assert_eq!(post().await.unwrap().status(), 400);
    assert_eq!(m.fired().await, ["delay"]);
}

#[tokio::test]
async fn slow_read_sends_the_reply_in_pieces_of_at_most_its_rate_a_second() {
    let state = Unichat::new(Config::default(), Clock::system(), Duration::from_secs(600));
    let app = unichat::app(state);
    let call = || Request::post("/api/get_subscriptions").body(Body::from("{}")).unwrap();
    let plain = app.clone().oneshot(call()).await.unwrap().into_body().collect().await.unwrap().to_bytes();
    assert!(plain.len() > 2, "{plain:?}");
    let rate = plain.len().div_ceil(2);
    let fault = json!({"kind": "slow_read", "bytes_per_second": rate, "route": "/api/get_subscriptions"});
    let armed =
        app.clone().oneshot(Request::post("/_mock/faults").body(Body::from(fault.to_string())).unwrap());
    assert_eq!(armed.await.unwrap().status(), StatusCode::CREATED);

    let started = Instant::now();
    let mut body = app.oneshot(call()).await.unwrap().into_body();
    let mut pieces = Vec::new();
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.unwrap().into_data() {
            pieces.push(data);
        }
    }
    // One piece a second, the first after a second too.
    assert!(started.elapsed() >= Duration::from_secs(2), "took only {:?}", started.elapsed());
    assert_eq!(pieces.len(), 2, "{pieces:?}");
    assert!(pieces.iter().all(|p| p.len() <= rate), "{pieces:?}");
    assert_eq!(pieces.concat(), plain.to_vec(), "the same reply, only slower");
}

#[tokio::test]
async fn duplicate_events_sends_each_notification_twice_and_the_rest_once() {
    let m = Mock::start(Duration::from_secs(600)).await;
    let (token, sub, code) = m.alice();
    m.arm(json!({"kind": "duplicate_events", "route": "/sse/*", "event": "unichat_notification"})).await;
    let mut events = m.open(&code).await;
    m.call(&token, "post_message", json!({"subscription_id": sub, "text": "one"}));
    m.call(&token, "post_message", json!({"subscription_id": sub, "text": "two"}));
    let got = take(&mut events, 5).await;
    let n = "unichat_notification";
    assert_eq!(
        got,
        [
            "event_source_ready".to_owned(),
            format!("{n} one"),
            format!("{n} one"),
            format!("{n} two"),
            format!("{n} two")
        ]
    );
    assert_eq!(m.fired().await, ["duplicate_events"]);
}

#[tokio::test]
async fn reorder_events_swaps_each_notification_with_the_next() {
    let m = Mock::start(Duration::from_secs(600)).await;
    let (token, sub, code) = m.alice();
    m.arm(json!({"kind": "reorder_events", "route": "/sse/*", "event": "unichat_notification"})).await;
    let mut events = m.open(&code).await;
    for text in ["1", "2", "3", "4"] {
        m.call(&token, "post_message", json!({"subscription_id": sub, "text": text}));
    }
    let got = take(&mut events, 5).await;
    let n = "unichat_notification";
    assert_eq!(
        got,
        [
            "event_source_ready".to_owned(),
            format!("{n} 2"),
            format!("{n} 1"),
            format!("{n} 4"),
            format!("{n} 3")
        ]
    );
}

#[tokio::test]
async fn drop_events_leaves_out_the_events_it_names() {
    let m = Mock::start(Duration::from_secs(600)).await;
    let (token, sub, code) = m.alice();
    // Only the stream's first event is named: the notification comes first instead.
    m.arm(json!({"kind": "drop_events", "route": "/sse/*", "event": "event_source_ready"})).await;
    let mut events = m.open(&code).await;
    m.call(&token, "post_message", json!({"subscription_id": sub, "text": "one"}));
    assert_eq!(take(&mut events, 1).await, ["unichat_notification one"]);
    assert_eq!(m.fired().await, ["drop_events"]);
}

#[tokio::test]
async fn dropped_notifications_never_arrive_before_the_streams_end() {
    let m = Mock::start(Duration::from_secs(600)).await;
    let (token, sub, code) = m.alice();
    // Applied in the order armed: the stream ends at its fourth event (the fence), and of the
    // three before it the two notifications are dropped.
    m.arm(json!({"kind": "close_stream", "route": "/sse/*", "after": 3})).await;
    m.arm(json!({"kind": "drop_events", "route": "/sse/*", "event": "unichat_notification"})).await;
    let mut events = m.open(&code).await;
    for text in ["one", "two", "three"] {
        m.call(&token, "post_message", json!({"subscription_id": sub, "text": text}));
    }
    assert_eq!(take(&mut events, 1).await, ["event_source_ready"]);
    let after = next(&mut events).await;
    assert!(after.is_none(), "nothing between the first event and the end: {:?}", after.map(|e| seen(&e)));
    assert_eq!(m.fired().await, ["close_stream", "drop_events"]);
}
