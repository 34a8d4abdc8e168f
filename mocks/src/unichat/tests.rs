//! Unit tests of the Unichat store's rules: no sockets, a fixed clock.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use time::{Duration, OffsetDateTime, macros::datetime};

use super::store::{Config, Outgoing, Store};
use chatspec_specs::unichat::envelope::ErrorCode;

const T0: OffsetDateTime = datetime!(2026-01-01 12:00:00 UTC);

struct Fixture {
    store: Store,
    now: OffsetDateTime,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture { store: Store::new(Config::default()), now: T0 }
    }

    /// A user; returns (id, token).
    fn user(&mut self, name: &str) -> (u64, String) {
        let u = self.store.provision(name);
        (u["id"].as_u64().unwrap(), u["auth_token"].as_str().unwrap().to_owned())
    }

    fn call(&mut self, token: &str, method: &str, args: Value) -> Result<Value, ErrorCode> {
        self.store.call(self.now, method, Some("test_token1"), Some(token), args).map_err(|e| e.code)
    }

    fn ok(&mut self, token: &str, method: &str, args: Value) -> Value {
        self.call(token, method, args.clone()).unwrap_or_else(|e| panic!("{method} {args}: {}", e.as_str()))
    }

    fn room(&mut self, token: &str, invitees: &[u64]) -> (u64, u64) {
        let r = self.ok(token, "create_room", json!({"name": "r", "user_ids": invitees}));
        (r["subscription"]["group_id"].as_u64().unwrap(), r["subscription"]["id"].as_u64().unwrap())
    }

    fn sub_of(&mut self, token: &str, gid: u64) -> u64 {
        let subs = self.ok(token, "get_subscriptions", json!({}));
        subs["subscriptions"].as_array().unwrap().iter().find(|s| s["group_id"] == gid).unwrap()["id"]
            .as_u64()
            .unwrap()
    }

    fn post(&mut self, token: &str, sid: u64, text: &str, extra: Value) -> Value {
        let mut args = json!({"subscription_id": sid, "text": text});
        args.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        self.ok(token, "post_message", args)["message"].clone()
    }

    fn drain(&mut self) -> Vec<Outgoing> {
        self.store.take_outgoing()
    }
}

fn kinds(out: &[Outgoing], user: u64) -> Vec<String> {
    out.iter()
        .filter(|o| o.user_id == user)
        .map(|o| {
            let xtag = o.body["object"]["xtag"].as_str().map(|x| format!(":{x}")).unwrap_or_default();
            format!("{} {}{xtag}", o.body["event"].as_str().unwrap(), o.body["object_name"].as_str().unwrap())
        })
        .collect()
}

#[test]
fn tokens_are_checked_before_anything_else() {
    let mut f = Fixture::new();
    let (_, alice) = f.user("alice");
    let s = &mut f.store;
    let code = |r: Result<Value, super::ApiError>| r.unwrap_err().code.as_str();
    assert_eq!(code(s.call(T0, "get_subscriptions", None, Some(&alice), json!({}))), "invalid_domain_token");
    assert_eq!(
        code(s.call(T0, "get_subscriptions", Some("nope"), Some(&alice), json!({}))),
        "invalid_domain_token"
    );
    assert_eq!(code(s.call(T0, "get_subscriptions", Some("test_token1"), None, json!({}))), "auth_required");
    assert_eq!(
        code(s.call(T0, "get_subscriptions", Some("test_token1"), Some(""), json!({}))),
        "invalid_auth_token"
    );
    assert_eq!(
        code(s.call(
            T0,
            "register",
            Some("test_token1"),
            Some("bogus"),
            json!({"email": "a@b.c", "password": "p"})
        )),
        "invalid_auth_token"
    );
    assert_eq!(
        code(s.call(T0, "frobnicate", Some("test_token1"), Some(&alice), json!({}))),
        "unknown_method"
    );
}

#[test]
fn every_declared_method_is_dispatched_with_the_tokens_it_declares() {
    use chatspec_specs::unichat::{Auth, Method};
    let mut f = Fixture::new();
    let (_, alice) = f.user("alice");
    for &method in Method::ALL {
        let name = method.name();
        // Without a user token: only the methods declared domain-only get past the tokens.
        let anonymous = f.store.call(T0, name, Some("test_token1"), None, json!({"text": 7}));
        let refused = anonymous.as_ref().err().map(|e| e.code.as_str());
        match method.meta().auth {
            Auth::User => assert_eq!(refused, Some("auth_required"), "{name}"),
            Auth::Domain => assert_ne!(refused, Some("auth_required"), "{name}"),
        }
        // With one, every declared method reaches a handler.
        let called = f.store.call(T0, name, Some("test_token1"), Some(&alice), json!({"text": 7}));
        assert_ne!(called.err().map(|e| e.code.as_str()), Some("unknown_method"), "{name}");
    }
}

#[test]
fn wrongly_typed_args_name_the_field() {
    let mut f = Fixture::new();
    let (_, alice) = f.user("alice");
    let err = f.store.call(T0, "get_message", Some("test_token1"), Some(&alice), json!({"message_id": "x"}));
    let err = err.unwrap_err();
    assert_eq!(err.code.as_str(), "invalid_args");
    assert!(err.text.contains("message_id"), "{}", err.text);
}

#[test]
fn creating_a_room_notifies_each_involved_user_and_posts_system_messages() {
    let mut f = Fixture::new();
    let (a, alice) = f.user("alice");
    let (b, _) = f.user("bob");
    let (gid, _) = f.room(&alice, &[b]);
    let out = f.drain();
    assert_eq!(kinds(&out, a), ["new subscription", "new message:creation", "new message:invite"]);
    assert_eq!(kinds(&out, b), ["new subscription", "new message:creation", "new message:invite"]);
    let msgs = f.ok(&alice, "get_messages", json!({"group_id": gid}))["messages"].clone();
    let invite = &msgs[0];
    assert_eq!(invite["xtag"], "invite");
    assert_eq!(invite["reference"], json!({"type": "user", "id": b.to_string()}));
}

#[test]
fn the_same_uid_gives_the_same_message_and_one_notification() {
    let mut f = Fixture::new();
    let (_, alice) = f.user("alice");
    let (b, _) = f.user("bob");
    let (_, sid) = f.room(&alice, &[b]);
    f.drain();
    let first = f.post(&alice, sid, "hi", json!({"uid": "u-1"}));
    let again = f.post(&alice, sid, "hi", json!({"uid": "u-1"}));
    assert_eq!(first, again);
    assert_eq!(kinds(&f.drain(), b), ["new message"]);
    let long = "x".repeat(65);
    assert_eq!(
        f.call(&alice, "post_message", json!({"subscription_id": sid, "text": "t", "uid": long}))
            .unwrap_err(),
        ErrorCode::InvalidUid
    );
}

#[test]
fn the_uid_is_only_in_the_posters_views() {
    let mut f = Fixture::new();
    let (a, alice) = f.user("alice");
    let (b, bob) = f.user("bob");
    let (gid, sid) = f.room(&alice, &[b]);
    f.drain();
    let m = f.post(&alice, sid, "hi", json!({"uid": "u-9"}));
    let out = f.drain();
    let to = |u: u64| out.iter().find(|o| o.user_id == u).unwrap().body["object"].clone();
    assert_eq!(to(a)["uid"], "u-9");
    assert!(to(b).get("uid").is_none());
    let seen_by_bob = f.ok(&bob, "get_message", json!({"message_id": m["id"]}))["message"].clone();
    assert!(seen_by_bob.get("uid").is_none());
    let _ = gid;
}

#[test]
fn every_change_takes_the_groups_next_serial() {
    let mut f = Fixture::new();
    let (_, alice) = f.user("alice");
    let (_, sid) = f.room(&alice, &[]);
    let a = f.post(&alice, sid, "a", json!({}));
    let b = f.post(&alice, sid, "b", json!({}));
    assert!(b["serial"].as_u64() > a["serial"].as_u64());
    let edited =
        f.ok(&alice, "edit_message", json!({"message_id": a["id"], "text": "a2"}))["message"].clone();
    assert!(edited["serial"].as_u64() > b["serial"].as_u64());
    let deleted = f.ok(&alice, "delete_message", json!({"message_id": b["id"]}))["message"].clone();
    assert!(deleted["serial"].as_u64() > edited["serial"].as_u64());
    let again = f.ok(&alice, "delete_message", json!({"message_id": b["id"]}))["message"].clone();
    assert_eq!(again, deleted, "deleting twice changes nothing");
    let after = f.ok(&alice, "get_messages", json!({"subscription_id": sid, "after_serial": b["serial"]}))["messages"].clone();
    let texts: Vec<Value> =
        after.as_array().unwrap().iter().map(|m| m.get("text").cloned().unwrap_or(Value::Null)).collect();
    assert_eq!(texts, [json!("a2"), Value::Null], "changed since, most recent last; the deleted one short");
}

#[test]
fn the_edit_window_is_measured_from_creation_on_the_mock_clock() {
    let mut f = Fixture::new();
    let (_, alice) = f.user("alice");
    let (_, sid) = f.room(&alice, &[]);
    let m = f.post(&alice, sid, "a", json!({}));
    f.now = T0 + Duration::hours(23);
    f.ok(&alice, "edit_message", json!({"message_id": m["id"], "text": "in time"}));
    f.now = T0 + Duration::hours(24) + Duration::seconds(1);
    assert_eq!(
        f.call(&alice, "edit_message", json!({"message_id": m["id"], "text": "late"})).unwrap_err(),
        ErrorCode::EditWindowExpired
    );
    f.ok(&alice, "delete_message", json!({"message_id": m["id"]}));
}

#[test]
fn only_the_author_edits_or_deletes_and_empty_strings_clear() {
    let mut f = Fixture::new();
    let (_, alice) = f.user("alice");
    let (b, bob) = f.user("bob");
    let (_, sid) = f.room(&alice, &[b]);
    let m = f.post(&alice, sid, "a", json!({"attachment": "data:text/plain;base64,aGk="}));
    assert_eq!(m["attachments"].as_array().unwrap().len(), 1);
    assert_eq!(
        f.call(&bob, "edit_message", json!({"message_id": m["id"], "text": "x"})).unwrap_err(),
        ErrorCode::NotOwnMessage
    );
    assert_eq!(
        f.call(&bob, "delete_message", json!({"message_id": m["id"]})).unwrap_err(),
        ErrorCode::NotOwnMessage
    );
    assert_eq!(
        f.call(&alice, "edit_message", json!({"message_id": m["id"]})).unwrap_err(),
        ErrorCode::InvalidArgs
    );
    let e = f.ok(&alice, "edit_message", json!({"message_id": m["id"], "attachment": ""}))["message"].clone();
    assert_eq!(e["attachments"], json!([]));
    assert_eq!(e["text"], "a");
    let e = f.ok(&alice, "edit_message", json!({"message_id": m["id"], "text": ""}))["message"].clone();
    assert_eq!(e["text"], "");
    assert!(e["edited_at"].is_string());
}

#[test]
fn mentions_mark_silently_and_reading_clears() {
    let mut f = Fixture::new();
    let (_, alice) = f.user("alice");
    let (b, bob) = f.user("bob");
    let (gid, sid) = f.room(&alice, &[b]);
    let bob_sub = f.sub_of(&bob, gid);
    f.drain();
    let m = f.post(&alice, sid, "hey @bob", json!({"mentions": [{"user_id": b, "text": "@bob"}]}));
    assert_eq!(kinds(&f.drain(), b), ["new message"], "no subscription notification for a mention");
    let s = f.ok(&bob, "get_subscription", json!({"subscription_id": bob_sub}))["subscription"].clone();
    assert_eq!(s["last_mentioned_in_message_id"], m["id"]);
    let s = f.ok(
        &bob,
        "update_subscription",
        json!({"subscription_id": bob_sub, "last_read_message_id": m["id"]}),
    )["subscription"]
        .clone();
    assert_eq!(s["last_mentioned_in_message_id"], Value::Null);
    let out = f.drain();
    assert_eq!(out.len(), 2, "last_read is broadcast to the group");
}

#[test]
fn private_fields_reach_only_the_owner() {
    let mut f = Fixture::new();
    let (a, alice) = f.user("alice");
    let (b, bob) = f.user("bob");
    let (gid, _) = f.room(&alice, &[b]);
    let bob_sub = f.sub_of(&bob, gid);
    f.drain();
    f.ok(&bob, "update_subscription", json!({"subscription_id": bob_sub, "draft": "d", "tags": ["t"]}));
    let out = f.drain();
    assert_eq!(kinds(&out, b), ["changed subscription"]);
    assert!(kinds(&out, a).is_empty());
    let from_alice = f.call(&alice, "get_subscription", json!({"subscription_id": bob_sub}));
    assert_eq!(from_alice.unwrap_err(), ErrorCode::AccessDenied, "not Alice's subscription");
    let (_, _) = (gid, a);
}

#[test]
fn the_owner_hands_off_to_the_oldest_admin_then_writer_then_reader() {
    let mut f = Fixture::new();
    let (_, alice) = f.user("alice");
    let (b, bob) = f.user("bob");
    let (c, carol) = f.user("carol");
    let (gid, sid) = f.room(&alice, &[b, c]);
    f.ok(&alice, "set_access", json!({"subscription_id": sid, "user_id": b, "role": "ro"}));
    f.ok(&alice, "set_access", json!({"subscription_id": sid, "user_id": c, "role": "admin"}));
    f.ok(&alice, "unsubscribe", json!({"subscription_id": sid}));
    let carol_sub = f.sub_of(&carol, gid);
    let s = f.ok(&carol, "get_subscription", json!({"subscription_id": carol_sub}))["subscription"].clone();
    assert_eq!(s["group"]["owner_id"], c, "the admin beats the older reader");
    f.ok(&carol, "unsubscribe", json!({"subscription_id": carol_sub}));
    let bob_sub = f.sub_of(&bob, gid);
    let s = f.ok(&bob, "get_subscription", json!({"subscription_id": bob_sub}))["subscription"].clone();
    assert_eq!((s["group"]["owner_id"].as_u64(), s["role"].as_str()), (Some(b), Some("admin")));
    f.ok(&bob, "unsubscribe", json!({"subscription_id": bob_sub}));
    assert!(f.store.groups.is_empty(), "the last one out destroys the group");
    assert!(f.store.messages.is_empty());
}

#[test]
fn leaving_posts_leave_before_the_deleted_notification() {
    let mut f = Fixture::new();
    let (_, alice) = f.user("alice");
    let (b, bob) = f.user("bob");
    let (gid, _) = f.room(&alice, &[b]);
    let bob_sub = f.sub_of(&bob, gid);
    f.drain();
    f.ok(&bob, "unsubscribe", json!({"subscription_id": bob_sub}));
    assert_eq!(kinds(&f.drain(), b), ["new message:leave", "deleted subscription"]);
    assert_eq!(f.call(&bob, "get_messages", json!({"group_id": gid})).unwrap_err(), ErrorCode::AccessDenied);
}

#[test]
fn the_owner_cannot_be_kicked_or_demoted() {
    let mut f = Fixture::new();
    let (a, alice) = f.user("alice");
    let (b, bob) = f.user("bob");
    let (gid, sid) = f.room(&alice, &[b]);
    f.ok(&alice, "set_access", json!({"subscription_id": sid, "user_id": b, "role": "admin"}));
    let bob_sub = f.sub_of(&bob, gid);
    assert_eq!(
        f.call(&bob, "kick", json!({"subscription_id": bob_sub, "user_id": a})).unwrap_err(),
        ErrorCode::OwnerProtected
    );
    assert_eq!(
        f.call(&bob, "set_access", json!({"subscription_id": bob_sub, "user_id": a, "role": "rw"}))
            .unwrap_err(),
        ErrorCode::OwnerProtected
    );
}

#[test]
fn sync_chunks_must_be_64000_bytes_and_the_crc_must_match() {
    use base64::Engine;
    let mut f = Fixture::new();
    let (_, alice) = f.user("alice");
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let crc = crc32fast::hash(&data);
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let first = json!({"file_chunk": b64(&data[..1000]), "file_size": 100_000, "file_checksum": crc});
    assert_eq!(f.call(&alice, "attachment_by_chunks", first).unwrap_err(), ErrorCode::InvalidChunk);
    let r = f.ok(&alice, "attachment_by_chunks", json!({"file_chunk": b64(&data[..64_000]), "file_size": 100_000, "file_checksum": crc, "file_name": "f.bin"}));
    let id = r["upload_id"].clone();
    let r = f.ok(&alice, "attachment_by_chunks", json!({"file_chunk": b64(&data[64_000..]), "upload_id": id, "file_size": 100_000, "file_checksum": crc}));
    assert_eq!(r["file_size"], 100_000);
    let (_, sid) = f.room(&alice, &[]);
    let m = f.post(&alice, sid, "file", json!({"upload_id": id}));
    assert_eq!(m["attachments"][0]["byte_size"], 100_000);
    let bad = json!({"file_chunk": b64(&data[..10]), "file_size": 10, "file_checksum": crc});
    assert_eq!(f.call(&alice, "attachment_by_chunks", bad).unwrap_err(), ErrorCode::ChecksumMismatch);
}

#[test]
fn voice_recognition_is_pending_then_decided() {
    use base64::Engine;
    let mut f = Fixture::new();
    let (_, alice) = f.user("alice");
    let (_, sid) = f.room(&alice, &[]);
    let bytes = b"hello there";
    let args = json!({
        "file_chunk": base64::engine::general_purpose::STANDARD.encode(bytes), "file_size": bytes.len(),
        "file_checksum": crc32fast::hash(bytes), "file_name": "v.ogg", "voice_recognition": true, "subscription_id": sid,
    });
    let id = f.ok(&alice, "attachment_by_chunks", args)["upload_id"].clone();
    assert_eq!(f.ok(&alice, "voice_recognition", json!({"upload_id": id}))["result"]["status"], "pending");
    let r = f.ok(&alice, "voice_recognition_result", json!({"upload_id": id}))["result"].clone();
    assert_eq!((r["status"].as_str(), r["transcript"].as_str()), (Some("completed"), Some("hello there")));
}

#[test]
fn outsiders_cannot_read_post_or_use_others_subscriptions() {
    let mut f = Fixture::new();
    let (_, alice) = f.user("alice");
    let (_, mallory) = f.user("mallory");
    let (gid, sid) = f.room(&alice, &[]);
    let m = f.post(&alice, sid, "secret", json!({}));
    for (method, args) in [
        ("get_messages", json!({"group_id": gid})),
        ("get_messages", json!({"subscription_id": sid})),
        ("get_message", json!({"message_id": m["id"]})),
        ("post_message", json!({"group_id": gid, "text": "x"})),
        ("edit_message", json!({"message_id": m["id"], "text": "x"})),
        ("delete_message", json!({"message_id": m["id"]})),
        ("update_subscription", json!({"subscription_id": sid, "draft": "x"})),
        ("unsubscribe", json!({"subscription_id": sid})),
    ] {
        assert_eq!(
            f.call(&mallory, method, args.clone()).unwrap_err(),
            ErrorCode::AccessDenied,
            "{method} {args}"
        );
    }
}
