//! Steps for conversations and who takes part in them (seed 003): `conversation_create`,
//! `conversation_list`, `get_participants_by_cids`, `conversation_search`,
//! `conversation_update`, `conversation_delete`, the conversation events and the stored
//! participant messages (NOTES.md S26 to S38).

use std::panic::AssertUnwindSafe;

use chatspec_specs::sama::compat::Switch;
use chatspec_specs::sama::conversations::{
    ConversationCreate, ConversationCreateParams, ConversationList, ConversationListParams,
    ConversationSearch, ConversationSearchParams, ConversationType, GetParticipantsByCids,
    GetParticipantsByCidsParams,
};
use chatspec_specs::sama::times::TimeRange;
use cucumber::{given, then, when};
use futures::FutureExt;
use serde_json::Value;

use super::users::user_ids;
use crate::events::Received;
use crate::kit::prose::{names, quoted};
use crate::sama::SamaWorld;
use crate::sama::driver::SamaReply;
use crate::sama::world::{Conv, ids_of, items, millis};
use crate::target::Provisioning;

async fn create(w: &mut SamaWorld, who: &str, label: &str, kind: ConversationType, list: &str) {
    let group = kind == ConversationType::Group;
    let name = if group { w.unique(label) } else { String::new() };
    create_named(w, who, label, kind, list, name).await;
}

/// Creates conversation `label` named `name` (a group's; empty for a private one).
async fn create_named(
    w: &mut SamaWorld,
    who: &str,
    label: &str,
    kind: ConversationType,
    list: &str,
    name: String,
) {
    let participants = user_ids(w, list);
    let group = kind == ConversationType::Group;
    let params = ConversationCreateParams {
        name: group.then(|| name.clone()),
        description: group.then(|| format!("{label}, made by chatspec")),
        kind,
        participants,
    };
    let reply = w.request::<ConversationCreate>(who, params).await;
    if let Some(cid) =
        reply.body.pointer("/conversation/_id").and_then(Value::as_str).filter(|_| reply.is_ok())
    {
        let record = reply.body.get("conversation").cloned().unwrap_or(Value::Null);
        w.convs.insert(label.to_owned(), Conv { cid: cid.to_owned(), name, creator: who.to_owned(), record });
    }
}

#[when(regex = r#"^(\w+) creates the group "([^"]*)" with (.+)$"#)]
async fn creates_group(w: &mut SamaWorld, who: String, label: String, list: String) {
    create(w, &who, &label, ConversationType::Group, &list).await;
}

#[given(regex = r#"^(\w+) has created the group "([^"]*)" with (.+)$"#)]
async fn has_created_group(w: &mut SamaWorld, who: String, label: String, list: String) {
    create(w, &who, &label, ConversationType::Group, &list).await;
    let reply = w.last();
    w.ok(&reply);
}

#[when(regex = r#"^(\w+) creates a private conversation "([^"]*)" with (.+)$"#)]
async fn creates_private(w: &mut SamaWorld, who: String, label: String, list: String) {
    create(w, &who, &label, ConversationType::Private, &list).await;
}

#[given(regex = r#"^(\w+) has a private conversation "([^"]*)" with (\w+)$"#)]
async fn has_private(w: &mut SamaWorld, who: String, label: String, other: String) {
    create(w, &who, &label, ConversationType::Private, &other).await;
    let reply = w.last();
    w.ok(&reply);
}

/// The conversation of the last reply, which must have succeeded.
pub(super) fn reply_conversation(w: &SamaWorld) -> Value {
    let reply = w.last();
    let body = w.ok(&reply);
    body.get("conversation").cloned().unwrap_or(Value::Null)
}

/// Participants as listed; the owner may or may not be among them (S28).
fn participants(c: &Value) -> Vec<String> {
    c.get("participants")
        .and_then(Value::as_array)
        .map(|p| p.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// Whether a conversation record lists `want` among its participants (its owner may be left
/// out, S28). A record without `participants` is the known deviation
/// conversations_without_participants: adapted to when declared (the check is then moot).
pub(super) fn lists_participants(w: &SamaWorld, c: &Value, want: &[String], what: &str) -> bool {
    if c.get("participants").is_none() {
        w.fail_known(
            Switch::ConversationsWithoutParticipants,
            &format!("{what} lists the conversation's participants (S28)"),
            "participants: [...]",
            c,
        );
        return true;
    }
    let owner = c.get("owner_id").and_then(Value::as_str).unwrap_or_default();
    let listed = participants(c);
    want.iter().all(|id| listed.contains(id) || id == owner)
}

#[then(regex = r#"^the reply's conversation is the group "([^"]*)" owned by (\w+) with (.+)$"#)]
async fn is_group(w: &mut SamaWorld, label: String, owner: String, list: String) {
    let c = reply_conversation(w);
    let name = w.conv(&label).name;
    let owner_id = w.uid(&owner);
    let others = user_ids(w, &list);
    let ok = c.get("type").and_then(Value::as_str) == Some("g")
        && c.get("name").and_then(Value::as_str) == Some(name.as_str())
        && c.get("owner_id").and_then(Value::as_str) == Some(owner_id.as_str())
        && lists_participants(w, &c, &others, "the conversation_create reply");
    if !ok {
        w.fail(
            "conversation_create answers the group with its creator as owner_id and its participants (S26, S28)",
            format!("type g, name {name:?}, owner_id {owner_id}, participants including {others:?}"),
            c,
        );
    }
}

#[then(regex = r"^the reply's conversation is private between (\w+) and (\w+), with (\w+) as the opponent$")]
async fn is_private(w: &mut SamaWorld, owner: String, other: String, opponent: String) {
    let c = reply_conversation(w);
    let (owner_id, other_id, mut opponent_id) = (w.uid(&owner), w.uid(&other), w.uid(&opponent));
    // An existing private conversation of the two comes back as it is (S27): its owner may
    // be the other one, whose opponent is then the creator.
    if c.get("owner_id").and_then(Value::as_str) == Some(other_id.as_str()) && opponent_id == other_id {
        opponent_id = owner_id.clone();
    }
    let listed = participants(&c);
    let ok = c.get("type").and_then(Value::as_str) == Some("u")
        && c.get("opponent_id").and_then(Value::as_str) == Some(opponent_id.as_str())
        && lists_participants(w, &c, std::slice::from_ref(&other_id), "the conversation_create reply")
        && listed.iter().all(|p| *p == owner_id || *p == other_id);
    if !ok {
        w.fail(
            "\"(user) - a private conversations for two people only\", opponent_id the other participant (S28)",
            format!("type u between {owner_id} and {other_id}, opponent_id {opponent_id}"),
            c,
        );
    }
}

// ---- conversation events -----------------------------------------------------------------

/// Is `e` the system message `kind` (`conversation_created`, ...) about `cid`?
fn is_notice(e: &Received, kind: &str, cid: Option<&str>) -> bool {
    e.name == "system_message"
        && e.data.pointer(&format!("/x/{kind}")).is_some()
        && cid.is_none_or(|cid| {
            e.data.get("cid").and_then(Value::as_str) == Some(cid)
                || e.data.pointer(&format!("/x/{kind}/_id")).and_then(Value::as_str) == Some(cid)
        })
}

#[then(
    regex = r#"^(.+?) (?:each receive|receives) the (conversation_created|conversation_updated|conversation_kicked) event for "([^"]*)" from (\w+)$"#
)]
async fn receives_notice(w: &mut SamaWorld, list: String, kind: String, label: String, from: String) {
    let c = w.conv(&label);
    if kind == "conversation_created"
        && c.name.is_empty()
        && matches!(w.ctx.target.provisioning, Provisioning::Accounts { .. })
    {
        w.impossible("pre-made accounts may already share a private conversation, which is returned without an event (S27)");
    }
    let from_id = w.uid(&from);
    for who in names(&list) {
        let what = format!(
            "system_message {{cid: {:?}, from: {from_id:?}, x: {{{kind}: {{_id: {:?}, ...}}}}}}",
            c.cid, c.cid
        );
        let e = w.expect_frame(&who, &what, |e| is_notice(e, &kind, Some(&c.cid))).await;
        let record = e.data.pointer(&format!("/x/{kind}")).cloned().unwrap_or(Value::Null);
        if e.data.get("from").and_then(Value::as_str) != Some(from_id.as_str())
            || record.get("_id").and_then(Value::as_str) != Some(c.cid.as_str())
        {
            w.fail(&format!("the {kind} event names the conversation and who acted"), what, e.data);
        }
        if kind == "conversation_updated" || kind == "conversation_created" {
            let me = w.uid(&who);
            if !lists_participants(w, &record, std::slice::from_ref(&me), &format!("the {kind} event")) {
                w.fail(
                    &format!("the {kind} event carries the conversation as it now is"),
                    format!("participants including {me}"),
                    record,
                );
            }
        }
    }
}

#[then(
    regex = r#"^(\w+) receives no (conversation_created|conversation_updated|conversation_kicked) event for "([^"]*)"(?: \(reading (S\d+)\))?$"#
)]
async fn no_notice(w: &mut SamaWorld, who: String, kind: String, label: String, entry: String) {
    if w.waived.contains(&Switch::PrivateWithTwoOthers) {
        // The conversation was made (a declared deviation): its participants hear of it.
        return;
    }
    let cid = w.convs.get(&label).map(|c| c.cid.clone());
    let what = format!("a {kind} event for {label:?}");
    let done = AssertUnwindSafe(w.expect_no_frame(&who, &what, |e| is_notice(e, &kind, cid.as_deref())))
        .catch_unwind()
        .await;
    w.grade(&entry, done);
}

#[then(regex = r#"^(\w+) receives no event about "([^"]*)"$"#)]
async fn no_event_about(w: &mut SamaWorld, who: String, label: String) {
    let cid = w.conv(&label).cid;
    w.expect_no_frame(&who, &format!("any event about {label:?}"), |e| e.data.to_string().contains(&cid))
        .await;
}

#[then(regex = r#"^the private conversation "([^"]*)" is refused(?: with status (\d+))?$"#)]
async fn private_refused(w: &mut SamaWorld, label: String, status: String) {
    let reply = w.last();
    let want: Vec<u64> = status.parse().into_iter().collect();
    if !reply.is_ok() {
        w.refused(&reply, &want);
        return;
    }
    // Made anyway: "a private conversations for two people only" holds if it has two.
    let c = reply.body.get("conversation").cloned().unwrap_or(Value::Null);
    let cid = c.get("_id").and_then(Value::as_str).unwrap_or_default().to_owned();
    let two = match c.get("participants").and_then(Value::as_array) {
        Some(p) => p.len() <= 2,
        None => participants_of(w, &w.conv(&label).creator, &cid).await.len() <= 2,
    };
    if two {
        w.reading(
            "S27",
            "a private conversation with two others is refused",
            "an error reply",
            reply.describe(),
        );
        return;
    }
    w.fail_known(
        Switch::PrivateWithTwoOthers,
        "\"(user) - a private conversations for two people only\"",
        "an error reply, or a conversation of two",
        reply.describe(),
    );
    w.waived.push(Switch::PrivateWithTwoOthers);
}

/// The participants of conversation `cid` as `get_participants_by_cids` gives them to `who`.
pub(super) async fn participants_of(w: &SamaWorld, who: &str, cid: &str) -> Vec<String> {
    let params = GetParticipantsByCidsParams { cids: vec![cid.to_owned()] };
    let reply = w.look_up::<GetParticipantsByCids>(who, params).await;
    let body = w.ok(&reply);
    body.pointer(&format!("/conversations/{cid}"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

// ---- listing and searching -----------------------------------------------------------------

async fn list_conversations(w: &mut SamaWorld, who: &str, params: ConversationListParams) {
    let reply = w.request::<ConversationList>(who, params).await;
    let body = w.ok(&reply);
    w.listed = items(&body, "conversations");
}

#[when(regex = r"^(\w+) lists (?:her|his) conversations$")]
async fn lists(w: &mut SamaWorld, who: String) {
    list_conversations(w, &who, ConversationListParams { limit: Some(100), updated_at: None }).await;
}

#[when(regex = r#"^(\w+) lists (?:her|his) conversations changed after "([^"]*)" was created$"#)]
async fn lists_since(w: &mut SamaWorld, who: String, label: String) {
    let c = w.conv(&label);
    let Some(gt) = millis(&c.record["updated_at"]) else {
        w.fail(
            "a conversation record has an ISO updated_at",
            "updated_at: \"2023-05-24T14:52:24.953Z\"",
            c.record,
        );
    };
    let since = TimeRange { gt: Some(gt), lt: None };
    list_conversations(w, &who, ConversationListParams { limit: Some(100), updated_at: Some(since) }).await;
}

/// The labels of the listed conversations that the scenario made, in listed order.
fn listed_labels(w: &SamaWorld) -> Vec<String> {
    ids_of(&w.listed)
        .iter()
        .filter_map(|id| w.convs.iter().find(|(_, c)| c.cid == *id).map(|(l, _)| l.clone()))
        .collect()
}

#[when(regex = r"^(\w+) lists (?:her|his) conversations with the limit (\d+)$")]
async fn lists_limit(w: &mut SamaWorld, who: String, limit: u64) {
    list_conversations(w, &who, ConversationListParams { limit: Some(limit), updated_at: None }).await;
}

#[then(regex = r#"^the listed conversations include "([^"]*)" and "([^"]*)"$"#)]
async fn listed_include_both(w: &mut SamaWorld, a: String, b: String) {
    let got = listed_labels(w);
    if !got.contains(&a) || !got.contains(&b) {
        w.fail(
            "conversation_list lists the caller's conversations",
            format!("{a:?} and {b:?}"),
            format!("{got:?}"),
        );
    }
}

#[then(regex = r"^at most (\d+) conversations? (?:is|are) (listed|found)$")]
async fn at_most(w: &mut SamaWorld, n: usize, how: String) {
    let (call, got) = if how == "listed" {
        ("conversation_list", ids_of(&w.listed))
    } else {
        let reply = w.last();
        let body = w.ok(&reply);
        ("conversation_search", ids_of(&items(&body, "conversations")))
    };
    if got.len() > n {
        w.fail(
            &format!("{call} answers at most limit conversations"),
            format!("at most {n}"),
            format!("{got:?}"),
        );
    }
}

#[then(regex = r"^the listed conversations are (.+) in that order(?: \(reading (S\d+)\))?$")]
async fn listed_in_order(w: &mut SamaWorld, labels: String, entry: String) {
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let want = quoted(&labels);
        let got: Vec<String> = listed_labels(w).into_iter().filter(|l| want.contains(l)).collect();
        if got != want {
            w.fail(
                "conversation_list lists the latest activity first (S36)",
                format!("{want:?}"),
                format!("{got:?}"),
            );
        }
    }));
    w.grade(&entry, done);
}

#[then(regex = r#"^the listed conversations include "([^"]*)" but not "([^"]*)"$"#)]
async fn listed_include(w: &mut SamaWorld, yes: String, no: String) {
    let got = listed_labels(w);
    if !got.contains(&yes) || got.contains(&no) {
        w.fail(
            "updated_at gt lists only conversations changed later",
            format!("{yes:?} listed, {no:?} not"),
            format!("{got:?}"),
        );
    }
}

#[then(
    regex = r#"^the listed "([^"]*)" has the last message "([^"]*)" from (\w+) and (\d+) unread messages?$"#
)]
async fn listed_last_message(w: &mut SamaWorld, label: String, body: String, from: String, unread: u64) {
    let cid = w.conv(&label).cid;
    let from_id = w.uid(&from);
    let c = w
        .listed
        .iter()
        .find(|c| c.get("_id").and_then(Value::as_str) == Some(cid.as_str()))
        .cloned()
        .unwrap_or(Value::Null);
    let last = c.get("last_message").cloned().unwrap_or(Value::Null);
    if last.get("body").and_then(Value::as_str) != Some(body.as_str())
        || last.get("from").and_then(Value::as_str) != Some(from_id.as_str())
        || c.get("unread_messages_count").and_then(Value::as_u64) != Some(unread)
    {
        w.fail(
            "conversation_list adds last_message and unread_messages_count (S36)",
            format!("last_message {{body: {body:?}, from: {from_id:?}}}, unread_messages_count {unread}"),
            c,
        );
    }
}

#[when(regex = r"^(\w+) gets the participants of (.+)$")]
async fn gets_participants(w: &mut SamaWorld, who: String, labels: String) {
    let cids: Vec<String> = quoted(&labels).iter().map(|l| w.conv(l).cid).collect();
    w.request::<GetParticipantsByCids>(&who, GetParticipantsByCidsParams { cids }).await;
}

#[then(regex = r#"^the reply maps "([^"]*)" to (.+) and leaves out "([^"]*)"$"#)]
async fn participants_map(w: &mut SamaWorld, yes: String, list: String, no: String) {
    let reply = w.last();
    let body = w.ok(&reply);
    let (yes_cid, no_cid) = (w.conv(&yes).cid, w.conv(&no).cid);
    let mut want = user_ids(w, &list);
    want.sort();
    let mut got: Vec<String> = body
        .pointer(&format!("/conversations/{yes_cid}"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    got.sort();
    if got != want {
        w.fail(
            "get_participants_by_cids maps each of the caller's conversations to its participants",
            format!("{{{yes_cid}: {want:?}}}"),
            reply.describe(),
        );
    }
    if body.pointer(&format!("/conversations/{no_cid}")).is_some() {
        w.reading(
            "S37",
            "get_participants_by_cids leaves out conversations the caller is not in",
            format!("no {no_cid}"),
            reply.describe(),
        );
    }
}

#[then(regex = r"^the reply's users are (.+)$")]
async fn reply_users(w: &mut SamaWorld, list: String) {
    let reply = w.last();
    let body = w.ok(&reply);
    let mut got = ids_of(&items(&body, "users"));
    let mut want = user_ids(w, &list);
    got.sort();
    want.sort();
    if !want.iter().all(|id| got.contains(id)) {
        w.fail("the reply's users are the participants' records", format!("{want:?}"), format!("{got:?}"));
    }
    if got != want {
        w.reading(
            "S37",
            "the reply's users are only those of the caller's conversations",
            format!("{want:?}"),
            format!("{got:?}"),
        );
    }
}

#[when(regex = r#"^(\w+) searches (?:her|his) conversations for the name of "([^"]*)"( in capitals)?$"#)]
async fn searches(w: &mut SamaWorld, who: String, label: String, capitals: String) {
    let name = w.conv(&label).name;
    let text = if capitals.is_empty() { name } else { name.to_uppercase() };
    let params = ConversationSearchParams { name: text, limit: Some(100), updated_at: None };
    w.request::<ConversationSearch>(&who, params).await;
}

#[then(regex = r#"^the conversations found (include|do not include) "([^"]*)"(?: \(reading (S\d+)\))?$"#)]
async fn found(w: &mut SamaWorld, how: String, label: String, entry: String) {
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| conversations_found(w, &how, &label)));
    w.grade(&entry, done);
}

fn conversations_found(w: &SamaWorld, how: &str, label: &str) {
    let reply = w.last();
    let body = w.ok(&reply);
    let cid = w.conv(label).cid;
    let listed = ids_of(&items(&body, "conversations"));
    if listed.contains(&cid) != (how == "include") {
        w.fail(
            "conversation_search finds the caller's conversations whose name contains the text, ignoring case (S38)",
            format!("{how} {label:?} ({cid})"),
            reply.describe(),
        );
    }
}

#[given(regex = r#"^(\w+) has created the groups "([^"]*)" and "([^"]*)" with (\w+), named with one stem$"#)]
async fn has_created_stemmed(w: &mut SamaWorld, who: String, a: String, b: String, with: String) {
    // `name: "conversationName"` finds "conversationNameTest" and "conversationNamePress".
    let stem = w.unique("Stem");
    w.remembered.insert("stem".into(), serde_json::json!(stem));
    for label in [a, b] {
        let name = format!("{stem} {label}");
        create_named(w, &who, &label, ConversationType::Group, &with, name).await;
        let reply = w.last();
        w.ok(&reply);
    }
}

#[when(
    regex = r#"^(\w+) searches (?:her|his) conversations for the stem(?: with the limit (\d+)| changed after "([^"]*)" was created)?$"#
)]
async fn searches_stem(w: &mut SamaWorld, who: String, limit: String, after: String) {
    let stem = w.remembered.get("stem").and_then(Value::as_str).unwrap_or_default().to_owned();
    let limit = limit.parse().unwrap_or(100);
    let updated_at = if after.is_empty() {
        None
    } else {
        let c = w.conv(&after);
        let Some(gt) = millis(&c.record["updated_at"]) else {
            w.fail(
                "a conversation record has an ISO updated_at",
                "updated_at: \"2023-05-24T14:52:24.953Z\"",
                c.record,
            );
        };
        Some(TimeRange { gt: Some(gt), lt: None })
    };
    let params = ConversationSearchParams { name: stem, limit: Some(limit), updated_at };
    w.request::<ConversationSearch>(&who, params).await;
}

#[then(regex = r#"^the conversations found include "([^"]*)" (and|but not) "([^"]*)"$"#)]
async fn found_pair(w: &mut SamaWorld, a: String, how: String, b: String) {
    let reply = w.last();
    let body = w.ok(&reply);
    let listed = ids_of(&items(&body, "conversations"));
    let (ca, cb) = (w.conv(&a).cid, w.conv(&b).cid);
    let rule = if how == "and" {
        "conversation_search finds the caller's conversations by the start of their name"
    } else {
        "conversation_search with updated_at gt finds only conversations changed later"
    };
    if !listed.contains(&ca) || listed.contains(&cb) != (how == "and") {
        w.fail(rule, format!("{a:?} ({ca}) {how} {b:?} ({cb})"), reply.describe());
    }
}
