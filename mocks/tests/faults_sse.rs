//! Unichat SSE across dropped connections (WHATWG HTML, server-sent events; NOTES.md U40): the
//! code reopens its user's stream, every notification has an `id:`, `retry:` is set, and a
//! reconnect with `Last-Event-ID` gets exactly what it missed. Parsed with eventsource-stream,
//! as a client library would, over a real socket on port 0.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use chatspec_mocks::unichat;
use common::Mock;
use eventsource_stream::{Event, Eventsource};
use futures::{Stream, StreamExt};
use serde_json::{Value, json};

impl Mock {
    async fn open(
        &self,
        code: &str,
        last_event_id: Option<&str>,
    ) -> impl Stream<Item = Event> + Unpin + use<> {
        let mut req = self.http.get(format!("{}/sse/{code}", self.base));
        if let Some(id) = last_event_id {
            req = req.header("Last-Event-ID", id);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 200);
        Box::pin(resp.bytes_stream().eventsource().map(|e| e.expect("a well-formed event")))
    }
}

async fn next(events: &mut (impl Stream<Item = Event> + Unpin)) -> Event {
    loop {
        let e = tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .expect("an event in time")
            .expect("the stream is open");
        if e.event != "ping" {
            return e;
        }
    }
}

fn text(e: &Event) -> String {
    let data: Value = serde_json::from_str(&e.data).unwrap();
    data["object"]["text"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_reconnect_with_last_event_id_gets_exactly_what_it_missed() {
    let m = Mock::start(Duration::from_secs(60)).await;
    let alice = m.user("alice@x.io");
    let code = m.call(&alice, "create_sse_auth_code", json!({}))["code"].as_str().unwrap().to_owned();
    let room = m.call(&alice, "create_room", json!({"name": "r"}));
    let sub = room["subscription"]["id"].as_u64().unwrap();

    let mut first = m.open(&code, None).await;
    let ready = next(&mut first).await;
    assert_eq!(ready.event, "event_source_ready");
    assert_eq!(ready.retry, Some(unichat::sse::RETRY), "event_source_ready sets retry:");
    m.call(&alice, "post_message", json!({"subscription_id": sub, "text": "one"}));
    let one = next(&mut first).await;
    assert_eq!((one.event.as_str(), text(&one).as_str()), ("unichat_notification", "one"));
    assert!(!one.id.is_empty(), "every notification carries an id:");
    drop(first);

    // Missed while the connection was down.
    m.call(&alice, "post_message", json!({"subscription_id": sub, "text": "two"}));
    m.call(&alice, "post_message", json!({"subscription_id": sub, "text": "three"}));

    let mut again = m.open(&code, Some(&one.id)).await;
    assert_eq!(next(&mut again).await.event, "event_source_ready");
    let two = next(&mut again).await;
    let three = next(&mut again).await;
    assert_eq!([text(&two), text(&three)], ["two", "three"]);
    let ids: Vec<u64> = [&one, &two, &three].iter().map(|e| e.id.parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids grow: {ids:?}");
    m.call(&alice, "post_message", json!({"subscription_id": sub, "text": "four"}));
    assert_eq!(text(&next(&mut again).await), "four", "live notifications follow the replay");
}

#[tokio::test]
async fn a_stream_closed_by_a_fault_is_resumed_with_last_event_id_without_a_loss() {
    let m = Mock::start(Duration::from_secs(60)).await;
    let alice = m.user("alice@x.io");
    let code = m.call(&alice, "create_sse_auth_code", json!({}))["code"].as_str().unwrap().to_owned();
    let room = m.call(&alice, "create_room", json!({"name": "r"}));
    let sub = room["subscription"]["id"].as_u64().unwrap();
    // The stream ends after event_source_ready and one notification.
    let fault = json!({"kind": "close_stream", "route": "/sse/*", "after": 2});
    let armed = m.http.post(format!("{}/_mock/faults", m.base)).json(&fault).send().await.unwrap();
    assert_eq!(armed.status(), 201);

    let mut first = m.open(&code, None).await;
    assert_eq!(next(&mut first).await.event, "event_source_ready");
    m.call(&alice, "post_message", json!({"subscription_id": sub, "text": "one"}));
    let one = next(&mut first).await;
    assert_eq!(text(&one), "one");
    m.call(&alice, "post_message", json!({"subscription_id": sub, "text": "two"}));
    let end =
        tokio::time::timeout(Duration::from_secs(5), first.next()).await.expect("the fault ends the stream");
    assert!(end.is_none(), "nothing after the fault's cut: {end:?}");

    // As an EventSource does: reconnect to the same URL with the last id seen.
    let mut again = m.open(&code, Some(&one.id)).await;
    assert_eq!(next(&mut again).await.event, "event_source_ready");
    assert_eq!(text(&next(&mut again).await), "two", "the notification sent while cut is replayed");
    let fired: Value =
        m.http.get(format!("{}/_mock/faults", m.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(fired["fired"][0]["kind"], "close_stream");
}

#[tokio::test]
async fn a_reconnect_without_last_event_id_replays_nothing() {
    let m = Mock::start(Duration::from_secs(60)).await;
    let alice = m.user("alice@x.io");
    let code = m.call(&alice, "create_sse_auth_code", json!({}))["code"].as_str().unwrap().to_owned();
    let room = m.call(&alice, "create_room", json!({"name": "r"}));
    let sub = room["subscription"]["id"].as_u64().unwrap();
    m.call(&alice, "post_message", json!({"subscription_id": sub, "text": "before"}));
    let mut events = m.open(&code, None).await;
    assert_eq!(next(&mut events).await.event, "event_source_ready");
    m.call(&alice, "post_message", json!({"subscription_id": sub, "text": "after"}));
    assert_eq!(text(&next(&mut events).await), "after");
}
