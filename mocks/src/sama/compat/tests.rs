//! The switches' rules in the store: each request made with and without the switch.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};

use super::super::fixture::Fixture;
use super::super::store::{ConnId, Outgoing};
use super::Switch;

/// The raw reply frame to `frame` on `conn`.
fn reply(f: &mut Fixture, conn: ConnId, frame: Value) -> Value {
    f.send(conn, frame)
}

#[test]
fn errors_come_as_strings_without_ids_for_packets_and_with_the_public_statuses() {
    let frame = json!({"request": {"conversation_list": {}, "id": "1"}});
    let mut plain = Fixture::new();
    let c = plain.open();
    let e = reply(&mut plain, c, frame.clone());
    assert_eq!(e["response"]["error"]["status"], 401, "{e}");

    let mut strings = Fixture::with_compat(&[Switch::ErrorsAsStrings]);
    let c = strings.open();
    let e = reply(&mut strings, c, frame.clone());
    assert_eq!(e["response"]["id"], "1");
    assert!(e["response"]["error"].as_str().unwrap().contains("connect"), "{e}");

    let mut statuses = Fixture::with_compat(&[Switch::OtherErrorStatuses]);
    let c = statuses.open();
    // The public server's `Unauthorized.` is a 404; a frame it cannot read is a 400.
    assert_eq!(reply(&mut statuses, c, frame)["response"]["error"]["status"], 404);
    let e = statuses.send(c, json!({"request": {"fly": {}, "id": "2"}}));
    assert_eq!(e["response"]["error"]["status"], 400, "{e}");

    let mut packets = Fixture::with_compat(&[Switch::PacketErrorsWithoutId, Switch::ErrorsAsStrings]);
    let c = packets.open();
    let e = packets.send(c, json!({"message": {"id": "m1", "cid": "x", "body": "hi"}}));
    assert_eq!(
        e,
        json!({"message": {"error": {"status": 401, "message": e["message"]["error"]["message"]}}})
    );
    let e = packets.send(c, json!({"request": {"user_logout": {}, "id": "3"}}));
    assert!(e["response"]["error"].is_string(), "{e}");
}

#[test]
fn public_statuses_tell_rights_blocks_and_unknown_objects_apart() {
    let mut f = Fixture::with_compat(&[Switch::OtherErrorStatuses]);
    let alice = f.provision("alice");
    let bob = f.provision("bob");
    let carol = f.provision("carol");
    let a = f.connect(&alice);
    let b = f.connect(&bob);
    let c = f.connect(&carol);
    let cid = f.group(a, "G", &[&bob.user.id]);
    let private = f.request(a, "conversation_create", json!({"type": "u", "participants": [bob.user.id]}));
    let pid = private["conversation"]["_id"].as_str().unwrap().to_owned();
    let outsider = f.request(c, "message_list", json!({"cid": cid}));
    assert_eq!(outsider["error"]["status"], 404, "{outsider}");
    let nowhere = f.request(c, "message_list", json!({"cid": "nope"}));
    assert_eq!(nowhere["error"]["status"], 404);
    let no_message = f.request(a, "message_edit", json!({"id": "nope", "body": "x"}));
    assert_eq!(no_message["error"]["status"], 422);
    f.request(b, "block_user", json!({"ids": [alice.user.id]}));
    let blocked = f.send(a, json!({"message": {"id": "m", "cid": pid, "body": "hi"}}));
    assert_eq!(blocked["response"]["error"]["status"], 422, "{blocked}");
}

#[test]
fn unknown_fields_are_refused_by_the_public_schema() {
    let sign_up = json!({"login": "ann", "password": "pw", "first_name": "Ann"});
    let mut plain = Fixture::new();
    let c = plain.open();
    assert_eq!(plain.request(c, "user_create", sign_up.clone())["user"]["first_name"], "Ann");

    let mut f = Fixture::with_compat(&[Switch::RefusesUnknownFields]);
    let c = f.open();
    let refused = f.request(c, "user_create", sign_up);
    assert_eq!(refused["error"]["message"], "\"first_name\" is not allowed", "{refused}");
    let fine = f.request(
        c,
        "user_create",
        json!({"login": "bo", "password": "pw", "organization_id": "o", "device_id": "d"}),
    );
    assert_eq!(fine["user"]["login"], "bo", "{fine}");
    let alice = f.provision("alice");
    let a = f.connect(&alice);
    let cid = f.group(a, "G", &[&fine["user"]["_id"].as_str().unwrap().to_owned()]);
    let typing = f.send(a, json!({"typing": {"cid": cid, "id": "t1"}}));
    assert_eq!(typing["response"]["error"]["message"], "\"id\" is not allowed", "{typing}");
    assert!(f.send_silent(a, json!({"typing": {"cid": cid}})).is_empty());
}

#[test]
fn sign_up_and_logins_need_an_organization() {
    let mut f = Fixture::with_compat(&[Switch::SignUpNeedsOrganization, Switch::TokenLoginNeedsOrganization]);
    let c = f.open();
    let no_email =
        f.request(c, "user_create", json!({"login": "ann", "password": "pw", "organization_id": "o1"}));
    assert_eq!(no_email["error"]["message"], "\"email\" is required");
    let no_org = f.request(c, "user_create", json!({"login": "ann", "password": "pw", "email": "a@x.io"}));
    assert_eq!(no_org["error"]["message"], "\"organization_id\" is required");
    let made = f.request(
        c,
        "user_create",
        json!({"login": "ann", "password": "pw", "email": "a@x.io", "organization_id": "o1"}),
    );
    assert_eq!(made["user"]["login"], "ann");
    let login = |org: Option<&str>| json!({"login": "ann", "password": "pw", "device_id": "d", "organization_id": org});
    let none = f.request(c, "user_login", login(None));
    assert_eq!(none["error"]["status"], 422, "{none}");
    let other = f.request(c, "user_login", login(Some("o2")));
    assert_eq!(other["error"]["status"], 401, "{other}");
    let token = f.request(c, "user_login", login(Some("o1")))["token"].as_str().unwrap().to_owned();
    let again = f.open();
    let no_device = f.request(again, "user_login", json!({"token": token, "organization_id": "o1"}));
    assert_eq!(no_device["error"]["message"], "'device_id' is required.");
    let by_token =
        f.request(again, "user_login", json!({"token": token, "organization_id": "o1", "device_id": "d"}));
    assert_eq!(by_token["user"]["login"], "ann", "{by_token}");
}

#[test]
fn offline_edits_are_logged_or_delivered_as_the_switches_say() {
    for (switches, listed, delivered) in [
        (vec![], 1, 1),
        (vec![Switch::OpLogSkipsEdits], 0, 1),
        (vec![Switch::OfflineEditsLost], 1, 0),
        (vec![Switch::OpLogSkipsEdits, Switch::OfflineEditsLost], 0, 0),
    ] {
        let mut f = Fixture::with_compat(&switches);
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let a = f.connect(&alice);
        let cid = f.group(a, "G", &[&bob.user.id]);
        let mid = f.post(a, &cid, "draft");
        f.request(a, "message_edit", json!({"id": mid, "body": "final"}));
        let b = f.connect(&bob);
        assert_eq!(f.events(b, "message_edit").len(), delivered, "{switches:?}");
        let logs = f.request(b, "op_log_list", json!({"created_at": {"gt": 0}}));
        assert_eq!(logs["logs"].as_array().map_or(0, Vec::len), listed, "{switches:?}: {logs}");
    }
}

#[test]
fn the_op_log_comes_wrapped_with_string_packets_and_needs_no_range() {
    let mut f = Fixture::with_compat(&[Switch::OpLogInPacket, Switch::OpLogWithoutRange]);
    let alice = f.provision("alice");
    let bob = f.provision("bob");
    let a = f.connect(&alice);
    let cid = f.group(a, "G", &[&bob.user.id]);
    let mid = f.post(a, &cid, "draft");
    f.request(a, "message_edit", json!({"id": mid, "body": "final"}));
    let b = f.connect(&bob);
    for params in [json!({}), json!({"created_at": {}}), json!(null)] {
        let logs = f.request(b, "op_log_list", params);
        let packet = logs["packet"]["logs"][0]["packet"].as_str().unwrap();
        let packet: Value = serde_json::from_str(packet).unwrap();
        assert_eq!(packet["message_edit"]["body"], "final");
    }
}

#[test]
fn events_wait_for_the_reply_only_when_asked() {
    use super::super::Sama;
    use crate::kit::Clock;
    use std::sync::Arc;

    // What the socket queues hold after one request: the sender's, the other's.
    type Queue = crate::kit::hub::Consumer<super::super::socket::Queued>;
    fn count(q: &mut Queue) -> usize {
        std::iter::from_fn(|| q.try_recv()).count()
    }
    fn after_one_message(compat: &[Switch]) -> (Arc<Sama>, Vec<Outgoing>, usize, Queue) {
        let sama =
            Sama::new(super::super::Config::with_compat(compat.iter().copied().collect()), Clock::system());
        let alice = sama.store().provision(time::OffsetDateTime::now_utc(), "alice", None).unwrap();
        let bob = sama.store().provision(time::OffsetDateTime::now_utc(), "bob", None).unwrap();
        let (a, mut a_queue) = sama.open(None);
        let (b, mut b_queue) = sama.open(None);
        for (conn, user) in [(a, &alice), (b, &bob)] {
            let connect = json!({"request": {"connect": {"token": user.access_token, "device_id": user.device_id}, "id": "c"}});
            assert!(sama.receive(conn, &connect.to_string()).is_empty());
        }
        let create = json!({"request": {"conversation_create": {"type": "u", "participants": [bob.user.id]}, "id": "1"}});
        let later = sama.receive(a, &create.to_string());
        sama.release(later);
        count(&mut a_queue);
        count(&mut b_queue);
        let cid = sama.store().convs.keys().next().unwrap().clone();
        let later = sama.receive(a, &json!({"message": {"id": "m", "cid": cid, "body": "hi"}}).to_string());
        (sama, later, count(&mut a_queue), b_queue)
    }

    let (_, later, mine, mut theirs) = after_one_message(&[]);
    assert!(later.is_empty());
    assert_eq!((mine, count(&mut theirs)), (1, 1), "by default the ack and the message are queued together");

    let (sama, later, mine, mut theirs) = after_one_message(&[Switch::EventsAfterReply]);
    assert_eq!((mine, count(&mut theirs)), (1, 0), "the message waits for the ack to be written");
    assert!(
        matches!(&later[..], [Outgoing::Frame { body, .. }] if body.get("message").is_some()),
        "{later:?}"
    );
    sama.release(later);
    assert_eq!(count(&mut theirs), 1);
}
