//! Steps for frames and errors (seed 003 and NOTES.md S1, S2, S10 to S12): malformed frames,
//! unknown requests, requests before `connect`, ids echoed as sent, and a socket that stays
//! usable after all of them.

use std::panic::AssertUnwindSafe;

use chatspec_specs::sama::auth::{Connect, ConnectParams};
use chatspec_specs::sama::blocking::ListBlockedUsers;
use chatspec_specs::sama::envelope::NoParams;
use chatspec_specs::sama::messages::{MessagePacket, MessageParams};
use cucumber::{then, when};
use futures::FutureExt;
use serde_json::{Value, json};

use crate::sama::SamaWorld;
use crate::sama::driver::{Body, SamaReply};

#[when(regex = r"^(\w+) sends the frame (.+)$")]
async fn sends_frame(w: &mut SamaWorld, who: String, frame: String) {
    // A quoted frame is sent as its text; anything else as written.
    let text = frame.strip_prefix('"').and_then(|f| f.strip_suffix('"')).unwrap_or(&frame).to_owned();
    if let Err(e) = w.socket(&who).send_text(&text) {
        w.fail(&format!("{who} can send on the socket"), "a sent frame", e);
    }
}

#[when(regex = r"^(\w+) sends a binary frame$")]
async fn sends_binary(w: &mut SamaWorld, who: String) {
    if let Err(e) = w.socket(&who).send_binary(vec![0, 159, 146, 150]) {
        w.fail(&format!("{who} can send on the socket"), "a sent frame", e);
    }
}

#[then(regex = r"^(\w+) gets an error frame with status (\d+)(?: \(reading (S\d+)\))?$")]
async fn error_frame(w: &mut SamaWorld, who: String, status: u64, entry: String) {
    let done = AssertUnwindSafe(error_frame_for(w, &who, status)).catch_unwind().await;
    w.grade(&entry, done);
}

/// An error frame in any shape; its shape and status are the register's (S10).
async fn error_frame_for(w: &SamaWorld, who: &str, status: u64) {
    let what = format!("{{response: {{error: {{status: {status}, message}}}}}}");
    let e = w.expect_frame(who, &what, |e| e.name == "response" && e.data.get("error").is_some()).await;
    let got = e.data.pointer("/error/status").and_then(Value::as_u64);
    let message_ok = e.data.pointer("/error/message").and_then(Value::as_str).is_some_and(|m| !m.is_empty());
    if got != Some(status) || !message_ok {
        w.reading("S10", "a bad frame gets the one error shape with a clear message", what, &e.data);
    }
}

#[then(regex = r"^(\w+)'s socket still answers requests(?: \(reading (S\d+)\))?$")]
async fn still_answers(w: &mut SamaWorld, who: String, entry: String) {
    let reply = w.look_up::<ListBlockedUsers>(&who, NoParams {}).await;
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
        if !reply.is_ok() {
            w.fail(
                "after a bad frame the socket stays open and usable (S11)",
                "a reply to list_blocked_users",
                reply.describe(),
            );
        }
    }));
    w.grade(&entry, done);
}

#[when(regex = r#"^(\w+) sends the request "(\w+)" with (\{.*\}|\[.*\])(?: and the id (\d+))?$"#)]
async fn sends_request(w: &mut SamaWorld, who: String, name: String, params: String, id: String) {
    let params = w.fill(&params);
    if id.is_empty() {
        // The scenario's own JSON, often wrong on purpose: sent as written, never checked.
        w.request_malformed(&who, &name, params.to_string()).await;
        return;
    }
    let number: i64 = id.parse().unwrap_or(0);
    let frame = crate::sama::driver::frame::request(&name, &params, &json!(number));
    let reply = w.socket(&who).exchange(&name, &id, &frame).await;
    w.last = Some(reply);
}

#[then(regex = r#"^the error message names "([^"]*)"(?: \(reading (S\d+)\))?$"#)]
async fn message_names(w: &mut SamaWorld, word: String, entry: String) {
    let reply = w.last();
    let message = reply.error_text().unwrap_or_default();
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
        if !message.contains(&word) {
            w.fail("an error says what was wrong", format!("a message naming {word:?}"), reply.describe());
        }
    }));
    w.grade(&entry, done);
}

#[then(regex = r"^the reply answers the id (\d+) as a number$")]
async fn echoes_number(w: &mut SamaWorld, id: i64) {
    let reply = w.last();
    let body = w.ok(&reply);
    if body.get("id").and_then(Value::as_i64) != Some(id) {
        w.fail(
            "a reply echoes the request id as sent (S2: id: 1 answered as id: 1)",
            format!("\"id\": {id}"),
            reply.describe(),
        );
    }
}

#[when(regex = r#"^someone opens a new socket and sends the request "(\w+)" with (\{.*\})$"#)]
async fn anonymous_request(w: &mut SamaWorld, name: String, params: String) {
    let params = w.fill(&params);
    let s = w.open_socket("someone").await;
    let sent = s.request(&name, Body::malformed(params.to_string())).await;
    w.keep(sent);
    w.spare = Some(s);
}

#[when(regex = r#"^someone opens a new socket and sends a message to the conversation id "([^"]*)"$"#)]
async fn anonymous_message(w: &mut SamaWorld, cid: String) {
    let s = w.open_socket("someone").await;
    let id = w.unique("mid");
    let params =
        MessageParams { id: id.clone(), cid, body: Some("hello?".into()), ..MessageParams::default() };
    let sent = s.packet::<MessagePacket>(&id, &params).await;
    w.keep(sent);
    w.spare = Some(s);
}

#[when(regex = r"^that socket connects as (\w+)$")]
async fn that_connects(w: &mut SamaWorld, name: String) {
    let a = w.actor(&name);
    let (login, password) = (a.login.clone(), a.password.clone());
    let device = w.unique("spare");
    let token = w.http_login(&name, &login, &password, &device, false).await.token;
    let Some(s) = w.spare.take() else {
        panic!("no socket was opened by someone before this step");
    };
    let sent = s.call::<Connect>(&ConnectParams { token, device_id: device }).await;
    w.keep(sent);
    w.spare = Some(s);
}
