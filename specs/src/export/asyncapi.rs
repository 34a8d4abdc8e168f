//! The AsyncAPI 3.0 documents: Unichat's SSE events (seed 000, "Receiving events") and the SAMA
//! WebSocket protocol (seed 003).
//!
//! Both describe the server: it receives the requests and packets clients send, answers each
//! (an operation's `reply`) and sends events on its own. Payloads are in AsyncAPI's default
//! schema format, a superset of JSON Schema draft 07; the components are the committed JSON
//! Schemas, which use no keyword draft 07 lacks (`specs/tests/export.rs` checks it), with their
//! `$defs` moved into `components/schemas`.

use serde_json::{Map, Value, json};

use super::applies::{self, Target};
use super::components::reference;
use super::openapi::{components, top};
use super::{describe, extend, info, marks};
use crate::endpoint::Endpoints;
use crate::rules::RuleIndex;
use crate::sama::{self, Transport};
use crate::unichat;

/// The AsyncAPI version the documents follow.
pub const VERSION: &str = "3.0.0";

/// `info` as AsyncAPI has it (its licence takes a name and a URL, not an SPDX identifier).
fn async_info(title: &str, api: &str, seeds: &[&str], text: &str) -> Value {
    let mut i = info(title, api, seeds, text);
    if let Some(licence) = i.get_mut("license").and_then(Value::as_object_mut) {
        licence.remove("identifier");
    }
    i
}

/// A reference to the message `key` of the channel `channel`.
fn message_ref(channel: &str, key: &str) -> Value {
    json!({"$ref": format!("#/channels/{channel}/messages/{key}")})
}

/// The Unichat SSE document: one channel, `/sse/{code}`, and the three event types.
pub fn unichat(index: &RuleIndex) -> Value {
    let c = components(unichat::schemas());
    let stream = unichat::sse::STREAM;
    let events = unichat::sse::EVENTS;
    let targets: Vec<Target> = std::iter::once(Target::new("sse", stream, &["sse"]))
        .chain(events.iter().map(|e| Target::new(e.name, e.doc, &["sse"])))
        .collect();
    let rules = applies::rules(index, &targets);
    let mut messages = Map::new();
    for (i, e) in events.iter().enumerate() {
        let payload = match e.schema {
            Some(schema) => reference(schema),
            None => json!({
                "description": "The seed does not give this event's data; the reference mock sends `{}`."
            }),
        };
        let mut message = json!({
            "name": e.name,
            "title": e.name,
            "summary": format!("The SSE event `{}`.", e.name),
            "description": describe("unichat", e.doc, &format!("Sent as `event: {}` with JSON in `data:`.", e.name)),
            "contentType": "application/json",
            "payload": payload
        });
        extend(&mut message, marks(e.doc, &rules[i + 1]));
        messages.insert(e.name.into(), message);
    }
    let refs: Vec<Value> = events.iter().map(|e| message_ref("events", e.name)).collect();
    let mut operation = json!({
        "action": "send",
        "channel": {"$ref": "#/channels/events"},
        "title": "Send events",
        "description": describe(
            "unichat",
            stream,
            "This code receives unichat API notifications in unichat_notification events. Notice that to \
             receive these special SSE events one need to add separate event listener."
        ),
        "messages": refs
    });
    extend(&mut operation, marks(stream, &rules[0]));
    let mut doc = json!({
        "asyncapi": VERSION,
        "info": async_info(
            "Unichat SSE events",
            "unichat",
            &["000", "001"],
            "Events are available with SSE. This document describes the server: after \
             `create_sse_auth_code()`, a client opens `GET /sse/<code>` (NOTES.md U3) and the server sends \
             `event_source_ready` once, `ping` periodically, and every notification as \
             `unichat_notification`. The HTTP methods are in `openapi/unichat.openapi.json`."
        ),
        "servers": {
            "mock": {
                "host": "127.0.0.1:8080",
                "protocol": "http",
                "description": "chatspec serve unichat"
            }
        },
        "defaultContentType": "application/json",
        "channels": {
            "events": {
                "address": "/sse/{code}",
                "title": "The SSE event stream",
                "description": "With this code, subscribe to the SSE events with the following URL:<code> \
                                (NOTES.md U3); the stream is `text/event-stream`.",
                "parameters": {
                    "code": {"description": "The code `create_sse_auth_code()` returned; it can be used once."}
                },
                "messages": messages
            }
        },
        "operations": {"send_events": operation},
        "components": {"schemas": c.into_value()}
    });
    extend(&mut doc, top(index));
    doc
}

/// The SAMA WebSocket document: each request and its reply, each packet and its `ack`, the
/// one error shape, and every event.
pub fn sama(index: &RuleIndex) -> Value {
    let c = components(sama::schemas());
    let requests: Vec<sama::Request> = sama::Request::ALL
        .iter()
        .copied()
        .filter(|r| !matches!(r.meta().transport, Transport::Http { .. }))
        .collect();
    let events = sama::events::EVENTS;
    let targets: Vec<Target> = requests
        .iter()
        .map(|r| Target::new(r.name(), r.doc(), r.areas()))
        .chain(events.iter().map(|e| Target::new(e.name, e.doc, applies::sama_event_areas(e.name))))
        .collect();
    let rules = applies::rules(index, &targets);
    let mut messages = Map::new();
    let mut operations = Map::new();
    messages.insert(
        "error".into(),
        json!({
            "name": "error",
            "title": "Error",
            "summary": "A failed request or packet.",
            "description": "The one error shape: `{ response: { id, error: { status, message } } }`, with the \
                            `id` of the request (absent when the frame carried none) (NOTES.md S10, S11, S12).",
            "payload": wrap("response", reference("error"))
        }),
    );
    for (i, r) in requests.iter().enumerate() {
        let name = r.name();
        let packet = matches!(r.meta().transport, Transport::Packet);
        let (key, payload) = if packet {
            (format!("packet.{name}"), wrap(name, reference(&r.request_schema_name())))
        } else {
            (format!("request.{name}"), request_frame(name, reference(&r.request_schema_name())))
        };
        let frame = if packet {
            format!("`{{ {name}: {{...}} }}`")
        } else {
            format!("`{{ request: {{ {name}: {{...}}, id }} }}`")
        };
        messages.insert(
            key.clone(),
            json!({
                "name": key,
                "title": name,
                "summary": format!("The client sends {frame}."),
                "description": describe("sama", r.doc(), ""),
                "payload": payload
            }),
        );
        let mut reply_refs = Vec::new();
        if name != "typing" {
            let (reply_key, reply) = if packet {
                (format!("ack.{name}"), wrap("ack", reference(&r.reply_schema_name())))
            } else {
                (format!("response.{name}"), wrap("response", reference(&r.reply_schema_name())))
            };
            let summary = if packet {
                "The server answers `{ ack: {...} }`."
            } else {
                "The server answers `{ response: { id, ... } }`."
            };
            messages.insert(
                reply_key.clone(),
                json!({"name": reply_key, "title": format!("{name} reply"), "summary": summary, "payload": reply}),
            );
            reply_refs.push(message_ref("socket", &reply_key));
        }
        reply_refs.push(message_ref("socket", "error"));
        let session = if r.meta().session {
            "Needs a socket linked by `connect` (or `user_login`) first; before, it is a 401 error (NOTES.md S11)."
        } else {
            "Served before the socket is linked."
        };
        let reply_text = if name == "typing" {
            " No frame answers it on success (NOTES.md S47); a failure is the error shape."
        } else {
            ""
        };
        let mut op = json!({
            "action": "receive",
            "channel": {"$ref": "#/channels/socket"},
            "title": name,
            "summary": format!("The client sends {frame}."),
            "description": describe("sama", r.doc(), &format!("{session}{reply_text}")),
            "tags": [{"name": r.areas()[0]}],
            "messages": [message_ref("socket", &key)],
            "reply": {"channel": {"$ref": "#/channels/socket"}, "messages": reply_refs}
        });
        extend(&mut op, marks(r.doc(), &rules[i]));
        operations.insert(name.into(), op);
    }
    for (j, e) in events.iter().enumerate() {
        let key = format!("event.{}", e.name);
        let cause = e.cause.map(|c| format!(" It follows `{c}`.")).unwrap_or_default();
        let mut message = json!({
            "name": key,
            "title": e.name,
            "summary": format!("The server sends `{{ {}: {{...}} }}` unasked.", e.key),
            "description": describe("sama", e.doc, &cause),
            "payload": wrap(e.key, reference(e.schema))
        });
        extend(&mut message, marks(e.doc, &rules[requests.len() + j]));
        messages.insert(key.clone(), message);
        let mut op = json!({
            "action": "send",
            "channel": {"$ref": "#/channels/socket"},
            "title": e.name,
            "description": describe("sama", e.doc, &cause),
            "tags": [{"name": applies::sama_event_areas(e.name).first().copied().unwrap_or("messages")}],
            "messages": [message_ref("socket", &key)]
        });
        extend(&mut op, marks(e.doc, &rules[requests.len() + j]));
        operations.insert(key, op);
    }
    let mut doc = json!({
        "asyncapi": VERSION,
        "info": async_info(
            "SAMA WebSocket protocol",
            "sama",
            &["003"],
            "The WebSocket chat protocol: one JSON object per text frame. This document describes the \
             server: it receives requests `{ request: { <name>: {...}, id } }`, answered \
             `{ response: { id, ... } }` (NOTES.md S1), and the packets `message`, `system_message` and \
             `typing` at the top level (S12), and sends events on its own. Sign in over HTTP first \
             (`openapi/sama.openapi.json`), then `connect`."
        ),
        "servers": {
            "mock": {
                "host": "127.0.0.1:9000",
                "protocol": "ws",
                "pathname": "/",
                "description": "chatspec serve sama; the socket is served on every path but the HTTP routes (NOTES.md S3)"
            }
        },
        "defaultContentType": "application/json",
        "channels": {
            "socket": {
                "address": "/",
                "title": "The socket",
                "description": "One WebSocket per device; every frame is a JSON object in a text frame.",
                "messages": messages
            }
        },
        "operations": operations,
        "components": {"schemas": c.into_value()}
    });
    extend(&mut doc, top(index));
    doc
}

/// `{ <key>: <inner> }`.
fn wrap(key: &str, inner: Value) -> Value {
    json!({"type": "object", "properties": {key: inner}, "required": [key]})
}

/// `{ request: { <name>: <params>, id } }` (NOTES.md S1, S2).
fn request_frame(name: &str, params: Value) -> Value {
    json!({
        "type": "object",
        "properties": {
            "request": {
                "type": "object",
                "properties": {
                    name: params,
                    "id": {
                        "description": "A request id as the client chose it, a string or a number; the reply \
                                        echoes it as sent (NOTES.md S2).",
                        "type": ["string", "integer"]
                    }
                },
                "required": [name, "id"]
            }
        },
        "required": ["request"]
    })
}
