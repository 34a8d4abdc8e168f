//! Steps for push subscriptions and push events (seed 003): `push_subscription_create`,
//! `push_subscription_list`, `push_subscription_delete` and `push_event_create` (NOTES.md
//! S52 to S54).

use chatspec_specs::sama::push::{
    Platform, PushEventCreate, PushEventCreateParams, PushMessage, PushSubscriptionCreate,
    PushSubscriptionCreateParams, PushSubscriptionDelete, PushSubscriptionDeleteParams, PushSubscriptionList,
    PushSubscriptionListParams,
};
use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::offline::outbox_for;
use super::users::user_ids;
use crate::sama::SamaWorld;
use crate::sama::world::items;

/// The `device_udid` a scenario device name stands for (unique to the run).
fn udid(w: &mut SamaWorld, device: &str) -> String {
    let key = format!("udid:{device}");
    if let Some(v) = w.remembered.get(&key).and_then(Value::as_str) {
        return v.to_owned();
    }
    let v = w.unique(device);
    w.remembered.insert(key, json!(v));
    v
}

#[when(
    regex = r#"^(\w+) subscribes to (web|ios|android) push on the device "([^"]*)"( without the web keys| without a device token)?$"#
)]
async fn subscribes(w: &mut SamaWorld, who: String, platform: String, device: String, without: String) {
    let udid = udid(w, &device);
    let platform = match platform.as_str() {
        "web" => Platform::Web,
        "ios" => Platform::Ios,
        _ => Platform::Android,
    };
    let web = platform == Platform::Web;
    let keys = web && without.is_empty();
    let params = PushSubscriptionCreateParams {
        platform,
        web_endpoint: web.then(|| format!("https://push.example.test/{udid}")),
        web_key_auth: keys.then(|| "auth".to_owned()),
        web_key_p256dh: keys.then(|| "p256dh".to_owned()),
        device_token: (!web && without.is_empty()).then(|| format!("token-{udid}")),
        device_udid: udid,
    };
    w.request::<PushSubscriptionCreate>(&who, params).await;
}

#[given(regex = r#"^(\w+) has subscribed to (web|ios|android) push on the device "([^"]*)"$"#)]
async fn has_subscribed(w: &mut SamaWorld, who: String, platform: String, device: String) {
    subscribes(w, who, platform, device, String::new()).await;
    let reply = w.last();
    w.ok(&reply);
}

#[then(regex = r#"^the reply's subscription is (\w+)'s "(\w+)" subscription for the device "([^"]*)"$"#)]
async fn reply_subscription(w: &mut SamaWorld, who: String, platform: String, device: String) {
    let reply = w.last();
    let body = w.ok(&reply);
    let (id, udid) = (w.uid(&who), udid(w, &device));
    let s = body.get("subscription").cloned().unwrap_or(Value::Null);
    if s.get("user_id").and_then(Value::as_str) != Some(id.as_str())
        || s.get("platform").and_then(Value::as_str) != Some(platform.as_str())
        || s.get("device_udid").and_then(Value::as_str) != Some(udid.as_str())
    {
        w.fail(
            "push_subscription_create answers the subscription (S52)",
            format!("{{platform: {platform:?}, device_udid: {udid:?}, user_id: {id:?}}}"),
            s,
        );
    }
}

#[when(regex = r"^(\w+) lists (?:her|his|the) push subscriptions(?: of (\w+))?$")]
async fn lists(w: &mut SamaWorld, who: String, of: String) {
    // `push_subscription_list: { user_id }` as the seed shows it: the caller's own, or another's.
    let whose = if of.is_empty() { who.clone() } else { of };
    let params = PushSubscriptionListParams { user_id: Some(w.uid(&whose)) };
    w.request::<PushSubscriptionList>(&who, params).await;
}

#[then(regex = r#"^the push subscriptions listed (include|do not include) the device "([^"]*)"$"#)]
async fn listed(w: &mut SamaWorld, how: String, device: String) {
    let reply = w.last();
    let body = w.ok(&reply);
    let udid = udid(w, &device);
    let present = items(&body, "subscriptions")
        .iter()
        .any(|s| s.get("device_udid").and_then(Value::as_str) == Some(udid.as_str()));
    if present != (how == "include") {
        w.fail(
            "push_subscription_list lists the user's subscriptions (S53)",
            format!("{how} {udid:?}"),
            reply.describe(),
        );
    }
}

#[when(regex = r#"^(\w+) deletes (?:her|his) push subscription for the device "([^"]*)"$"#)]
async fn deletes(w: &mut SamaWorld, who: String, device: String) {
    let udid = udid(w, &device);
    w.request::<PushSubscriptionDelete>(&who, PushSubscriptionDeleteParams { device_udid: udid }).await;
}

#[when(regex = r#"^(\w+) creates a push event titled "([^"]*)" with the body "([^"]*)" for (.+)$"#)]
async fn creates_event(w: &mut SamaWorld, who: String, title: String, body: String, list: String) {
    let ids = user_ids(w, &list);
    let params = PushEventCreateParams { recipients_ids: ids, message: PushMessage { title, body } };
    w.request::<PushEventCreate>(&who, params).await;
}

#[then(regex = r"^the reply's event is from (\w+) to (\w+) with the message as a JSON string$")]
async fn reply_event(w: &mut SamaWorld, from: String, to: String) {
    let reply = w.last();
    let body = w.ok(&reply);
    let (from_id, to_id) = (w.uid(&from), w.uid(&to));
    let e = body.get("event").cloned().unwrap_or(Value::Null);
    let message: Option<Value> =
        e.get("message").and_then(Value::as_str).and_then(|m| serde_json::from_str(m).ok());
    if e.get("user_id").and_then(Value::as_str) != Some(from_id.as_str())
        || e.get("recipients_ids") != Some(&json!([to_id]))
        || message.as_ref().and_then(|m| m.get("title")).is_none()
    {
        w.fail(
            "push_event_create answers the event with its message as a JSON string (S54)",
            format!("{{user_id: {from_id:?}, recipients_ids: [{to_id:?}], message: '{{\"title\": ..., \"body\": ...}}'}}"),
            e,
        );
    }
}

#[then(regex = r#"^(\w+) gets a push event titled "([^"]*)" in the outbox$"#)]
async fn push_event_in_outbox(w: &mut SamaWorld, who: String, title: String) {
    let is_event = |e: &Value| {
        e.get("type").and_then(Value::as_str) == Some("push_event")
            && e.pointer("/notification/title").and_then(Value::as_str) == Some(title.as_str())
    };
    let entries = outbox_for(w, &who, |all| all.iter().any(is_event)).await;
    let found = entries.iter().any(is_event);
    if !found {
        w.fail(
            "push_event_create sends a push to every recipient (S54)",
            format!("a push_event titled {title:?} for {who}"),
            Value::Array(entries),
        );
    }
}
