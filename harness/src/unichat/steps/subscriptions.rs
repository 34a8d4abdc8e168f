//! Steps for listing and managing subscriptions, and mentions (seed 001).

use chatspec_specs::unichat::subscriptions::{
    GetSubscription, GetSubscriptionArgs, GetSubscriptions, GetSubscriptionsArgs, UpdateSubscription,
    UpdateSubscriptionArgs,
};
use cucumber::{then, when};
use serde_json::Value;

use crate::kit::prose::quoted;
use crate::unichat::UnichatWorld;
use crate::unichat::driver::{Malformed, is_notification};

impl UnichatWorld {
    /// The subscriptions the last reply lists, which must have succeeded.
    fn listed(&self) -> Vec<Value> {
        let body = self.last_ok();
        body.get("subscriptions").and_then(Value::as_array).cloned().unwrap_or_default()
    }

    /// The subscription record of the last reply, which must have succeeded.
    fn reply_sub(&self) -> Value {
        let body = self.last_ok();
        body.get("subscription").cloned().unwrap_or(Value::Null)
    }

    /// Updates `actor`'s own subscription to `room` with `args` (its id filled in).
    async fn update(&mut self, actor: &str, room: &str, args: UpdateSubscriptionArgs) {
        let subscription_id = self.sub_of(actor, room).await;
        self.call::<UpdateSubscription>(actor, UpdateSubscriptionArgs { subscription_id, ..args }).await;
    }
}

/// Only the fields given change: the arguments of an update of nothing else.
fn fields() -> UpdateSubscriptionArgs {
    UpdateSubscriptionArgs::default()
}

#[when(regex = r"^(\w+) lists (?:her|his) subscriptions$")]
async fn lists_subscriptions(w: &mut UnichatWorld, actor: String) {
    w.call::<GetSubscriptions>(&actor, GetSubscriptionsArgs::default()).await;
}

#[when(regex = r"^(\w+) lists (?:her|his) subscriptions in short form$")]
async fn lists_short(w: &mut UnichatWorld, actor: String) {
    w.call::<GetSubscriptions>(
        &actor,
        GetSubscriptionsArgs { short: Some(true), ..GetSubscriptionsArgs::default() },
    )
    .await;
}

#[when(regex = r"^(\w+) lists (\d+) subscriptions? at offset (\d+)$")]
async fn lists_page(w: &mut UnichatWorld, actor: String, limit: u64, offset: u64) {
    let args =
        GetSubscriptionsArgs { limit: Some(limit), offset: Some(offset), ..GetSubscriptionsArgs::default() };
    w.call::<GetSubscriptions>(&actor, args).await;
}

#[then("the subscriptions are in ascending order")]
async fn ascending(w: &mut UnichatWorld) {
    let subs = w.listed();
    let ids: Vec<Option<u64>> = subs.iter().map(|s| s.get("id").and_then(Value::as_u64)).collect();
    if ids.iter().any(Option::is_none) || ids.windows(2).any(|p| p[0] >= p[1]) {
        w.fail("\"Sunscriptions are ordered by ascending\"", "ids in ascending order", format!("{ids:?}"));
    }
    w.remembered.insert("full_subscriptions".into(), Value::Array(subs));
}

#[then(regex = r"^they include (.+)$")]
async fn include(w: &mut UnichatWorld, list: String) {
    let subs = w.listed();
    for label in quoted(&list) {
        let gid = w.room(&label).group_id;
        if !subs.iter().any(|s| s.get("group_id").and_then(Value::as_u64) == Some(gid)) {
            w.fail(
                "get_subscriptions lists every group the user is in",
                format!("a subscription to group {gid} ({label})"),
                Value::Array(subs.clone()),
            );
        }
    }
}

#[then("exactly 1 subscription is listed, the second of the full list")]
async fn second_of_full(w: &mut UnichatWorld) {
    let page = w.listed();
    let full = w.remembered.get("full_subscriptions").and_then(Value::as_array).cloned().unwrap_or_default();
    let want = full.get(1).and_then(|s| s.get("id")).cloned();
    let got: Vec<Value> = page.iter().filter_map(|s| s.get("id").cloned()).collect();
    if got.len() != 1 || got.first().cloned() != want {
        w.fail(
            "limit and offset page through the ascending list",
            format!("[{}]", want.unwrap_or(Value::Null)),
            format!("{got:?}"),
        );
    }
}

#[then("no listed group carries participants")]
async fn short_has_no_participants(w: &mut UnichatWorld) {
    let subs = w.listed();
    if let Some(s) = subs.iter().find(|s| s.pointer("/group/participants").is_some_and(|p| !p.is_null())) {
        w.fail(
            "short: true gives \"subscription information without group participants\"",
            "no group.participants",
            s,
        );
    }
}

#[then(regex = r#"^the group of "([^"]*)" lists (\d+) participants$"#)]
async fn full_has_participants(w: &mut UnichatWorld, room: String, n: usize) {
    let subs = w.listed();
    let gid = w.room(&room).group_id;
    let sub = subs
        .iter()
        .find(|s| s.get("group_id").and_then(Value::as_u64) == Some(gid))
        .cloned()
        .unwrap_or(Value::Null);
    let count = sub.pointer("/group/participants").and_then(Value::as_array).map(Vec::len);
    if count != Some(n) {
        w.fail("the full form carries the group's participants", format!("{n} participants"), sub);
    }
}

#[when(regex = r#"^(\w+) gets (?:her|his) subscription to "([^"]*)"$"#)]
async fn gets_sub(w: &mut UnichatWorld, actor: String, room: String) {
    let sid = w.sub_of(&actor, &room).await;
    w.call::<GetSubscription>(&actor, GetSubscriptionArgs { subscription_id: Some(sid), id: Some(sid) })
        .await;
}

#[when(regex = r#"^(\w+) sets (?:her|his) draft in "([^"]*)" to "([^"]*)" and (?:her|his) tags to (.+)$"#)]
async fn sets_draft_tags(w: &mut UnichatWorld, actor: String, room: String, draft: String, tags: String) {
    w.update(
        &actor,
        &room,
        UpdateSubscriptionArgs { draft: Some(draft), tags: Some(quoted(&tags)), ..fields() },
    )
    .await;
}

#[when(regex = r#"^(\w+) sets (?:her|his) draft in "([^"]*)" to "([^"]*)"$"#)]
async fn sets_draft(w: &mut UnichatWorld, actor: String, room: String, draft: String) {
    w.update(&actor, &room, UpdateSubscriptionArgs { draft: Some(draft), ..fields() }).await;
}

#[when(regex = r#"^(\w+) mutes "([^"]*)" until "([^"]*)"$"#)]
async fn mutes(w: &mut UnichatWorld, actor: String, room: String, until: String) {
    w.update(&actor, &room, UpdateSubscriptionArgs { mute_until: Some(until), ..fields() }).await;
}

#[when(regex = r#"^(\w+) marks "([^"]*)" as read in "([^"]*)"$"#)]
async fn marks_read(w: &mut UnichatWorld, actor: String, label: String, room: String) {
    // The field is signed ("you can write there zero, negative value"); ids fit in it.
    let id = i64::try_from(w.message_id(&label)).unwrap_or(i64::MAX);
    w.update(&actor, &room, UpdateSubscriptionArgs { last_read_message_id: Some(id), ..fields() }).await;
}

#[when(regex = r#"^(\w+) sets last_read_message_id in "([^"]*)" to (-?\d+)$"#)]
async fn sets_last_read(w: &mut UnichatWorld, actor: String, room: String, value: i64) {
    w.update(&actor, &room, UpdateSubscriptionArgs { last_read_message_id: Some(value), ..fields() }).await;
}

#[then(regex = r#"^the reply's subscription has the draft "([^"]*)" and the tags (.+)$"#)]
async fn has_draft_tags(w: &mut UnichatWorld, draft: String, tags: String) {
    let sub = w.reply_sub();
    let got_tags: Vec<String> = sub
        .get("tags")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    if sub.get("draft").and_then(Value::as_str) != Some(draft.as_str()) || got_tags != quoted(&tags) {
        w.fail(
            "\"Only supplied fields will be changed\" and are returned",
            format!("draft {draft:?}, tags {:?}", quoted(&tags)),
            sub,
        );
    }
}

fn mute_time(sub: &Value) -> Option<time::OffsetDateTime> {
    let text = sub.get("mute_until").and_then(Value::as_str)?;
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

#[then(regex = r#"^the reply's subscription is muted until "([^"]*)"$"#)]
async fn muted_until(w: &mut UnichatWorld, until: String) {
    let sub = w.reply_sub();
    let want = time::OffsetDateTime::parse(&until, &time::format_description::well_known::Rfc3339).ok();
    if mute_time(&sub) != want {
        w.fail(
            "mute_until is stored, and \"Setting to null will not change its value\"",
            format!("mute_until {until}"),
            sub,
        );
    }
}

#[then("the reply's subscription is not muted now")]
async fn not_muted(w: &mut UnichatWorld) {
    let sub = w.reply_sub();
    let muted = sub.get("mute_until").is_some_and(|v| !v.is_null())
        && mute_time(&sub).is_none_or(|t| t > time::OffsetDateTime::now_utc());
    if muted {
        w.fail("\"To clear mute_until set it to any moment in past\"", "mute_until null or in the past", sub);
    }
}

#[then(regex = r#"^the reply's subscription has last_read_message_id of "([^"]*)"$"#)]
async fn last_read_of(w: &mut UnichatWorld, label: String) {
    let id = w.message_id(&label);
    let sub = w.reply_sub();
    if sub.get("last_read_message_id").and_then(Value::as_u64) != Some(id) {
        w.fail("last_read_message_id is set", format!("last_read_message_id {id}"), sub);
    }
}

#[then(regex = r"^the reply's subscription has last_read_message_id (-?\d+)$")]
async fn last_read_value(w: &mut UnichatWorld, value: i64) {
    let sub = w.reply_sub();
    if sub.get("last_read_message_id").and_then(Value::as_i64) != Some(value) {
        w.fail(
            "\"service does not check the value against message ids\"",
            format!("last_read_message_id {value}"),
            sub,
        );
    }
}

#[then(regex = r#"^(\w+) receives no subscription notification about (\w+) in "([^"]*)"$"#)]
async fn no_sub_notification(w: &mut UnichatWorld, actor: String, subject: String, room: String) {
    let (gid, uid) = (w.room(&room).group_id, w.actor(&subject).id);
    w.expect_no_event(&actor, &format!("a change of {subject}'s private subscription fields"), |e| {
        is_notification(e, "changed", "subscription")
            && e.data.pointer("/object/group_id").and_then(Value::as_u64) == Some(gid)
            && e.data.pointer("/object/user_id").and_then(Value::as_u64) == Some(uid)
    })
    .await;
}

#[then(
    regex = r#"^(\w+) receives no subscription notification about (?:her|his) own subscription to "([^"]*)"$"#
)]
async fn no_own_sub_notification(w: &mut UnichatWorld, actor: String, room: String) {
    no_sub_notification(w, actor.clone(), actor, room).await;
}

#[then(regex = r#"^(\w+)'s subscription to "([^"]*)" was last mentioned in (?:"([^"]*)"|nothing)$"#)]
async fn last_mentioned(w: &mut UnichatWorld, actor: String, room: String, label: String) {
    let want = (!label.is_empty()).then(|| w.message_id(&label));
    let sub = w.sub_record(&actor, &room).await;
    let got = sub.get("last_mentioned_in_message_id").and_then(Value::as_u64);
    if got != want {
        w.fail(
            "\"the system will set subscription.last_mentioned_in_message_id accordingly\"",
            format!("last_mentioned_in_message_id {want:?}"),
            sub,
        );
    }
}

#[when(regex = r#"^(\w+) sends mute_until null for "([^"]*)"$"#)]
async fn mute_null(w: &mut UnichatWorld, actor: String, room: String) {
    // The typed arguments leave an absent field out; null is sent on purpose here.
    let subscription_id = w.sub_of(&actor, &room).await;
    let token = w.actor(&actor).token.clone();
    let args = serde_json::json!({"subscription_id": subscription_id, "mute_until": null});
    w.call_malformed(Some(&actor), "update_subscription", Malformed::Args { args, token: Some(token) }).await;
}

#[then("the reply's subscription has no draft")]
async fn no_draft(w: &mut UnichatWorld) {
    let sub = w.reply_sub();
    let draft = sub.get("draft").and_then(Value::as_str).unwrap_or_default();
    if !draft.is_empty() {
        w.fail("a draft set to \"\" is cleared", "no draft (absent, null or \"\")", &sub);
    }
}

#[then(
    regex = r#"^(\w+)'s notification about (\w+)'s subscription to "([^"]*)" shows neither (?:her|his) draft nor (?:her|his) tags$"#
)]
async fn others_see_no_private(w: &mut UnichatWorld, viewer: String, owner: String, room: String) {
    let sid = w.sub_of(&owner, &room).await;
    let seen = w
        .expect_event(&viewer, &format!("a changed notification about subscription {sid}"), |e| {
            is_notification(e, "changed", "subscription")
                && e.data.pointer("/object/id").and_then(Value::as_u64) == Some(sid)
        })
        .await;
    let object = seen.data.get("object").cloned().unwrap_or(Value::Null);
    let draft = object.get("draft").and_then(Value::as_str).unwrap_or_default();
    let tags = object.get("tags").and_then(Value::as_array).map_or(0, Vec::len);
    if !draft.is_empty() || tags > 0 {
        w.fail(
            &format!("{viewer} does not see {owner}'s draft or tags"),
            "no draft and no tags in another user's view of the subscription",
            object,
        );
    }
}
