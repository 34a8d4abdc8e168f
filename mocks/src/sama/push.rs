//! Push subscriptions and push events (seed 003): `push_subscription_create`,
//! `push_subscription_list`, `push_subscription_delete` and `push_event_create`, and the
//! outbox the recorded pushes go to (NOTES.md S52 to S54). The push offline participants get
//! for a new message is in `offline.rs`.

use chatspec_specs::endpoint::Handle;
use chatspec_specs::sama::{
    envelope::Status,
    push::{
        Platform, PushEvent, PushEventCreateParams, PushEventReply, PushSubscription,
        PushSubscriptionCreateParams, PushSubscriptionDeleteParams, PushSubscriptionListParams,
        PushSubscriptionReply, PushSubscriptionsReply,
    },
};
use serde::Serialize;
use serde_json::Value;

use super::compat::Switch;
use super::error::{SamaError, fail};
use super::frames::to_value;
use super::store::{Call, Ctx, Millis, OutboxEntry, Served, Store, dedup, iso};

#[derive(Clone, Debug, Serialize)]
pub(crate) struct PushSub {
    pub id: String,
    pub user: String,
    pub platform: Platform,
    pub web_endpoint: Option<String>,
    pub web_key_auth: Option<String>,
    pub web_key_p256dh: Option<String>,
    pub device_token: Option<String>,
    pub device_udid: String,
    pub created_at: Millis,
    pub updated_at: Millis,
}

impl PushSub {
    fn view(&self) -> PushSubscription {
        PushSubscription {
            id: self.id.clone(),
            platform: self.platform,
            web_endpoint: self.web_endpoint.clone(),
            web_key_auth: self.web_key_auth.clone(),
            web_key_p256dh: self.web_key_p256dh.clone(),
            device_token: self.device_token.clone(),
            device_udid: self.device_udid.clone(),
            user_id: self.user.clone(),
            created_at: iso(self.created_at),
            updated_at: iso(self.updated_at),
        }
    }
}

fn given(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|s| !s.trim().is_empty())
}

impl Store {
    /// One subscription per user and `device_udid`; creating again updates it (S52).
    pub(crate) fn push_subscription_create(
        &mut self,
        cx: &Ctx,
        p: PushSubscriptionCreateParams,
    ) -> Result<Value, SamaError> {
        if p.device_udid.trim().is_empty() {
            return fail(Status::Unprocessable, "device_udid must not be empty");
        }
        match p.platform {
            Platform::Web => {
                if !(given(&p.web_endpoint) && given(&p.web_key_auth) && given(&p.web_key_p256dh)) {
                    return fail(
                        Status::Unprocessable,
                        "a web subscription needs web_endpoint, web_key_auth and web_key_p256dh",
                    );
                }
            }
            Platform::Ios | Platform::Android => {
                if !given(&p.device_token) {
                    return fail(Status::Unprocessable, "an ios or android subscription needs device_token");
                }
            }
        }
        let existing = self
            .push_subs
            .values()
            .find(|s| s.user == cx.me && s.device_udid == p.device_udid)
            .map(|s| (s.id.clone(), s.created_at));
        let (id, created_at) = match existing {
            Some(found) => found,
            None => (self.new_id(), cx.now),
        };
        let sub = PushSub {
            id: id.clone(),
            user: cx.me.clone(),
            platform: p.platform,
            web_endpoint: p.web_endpoint,
            web_key_auth: p.web_key_auth,
            web_key_p256dh: p.web_key_p256dh,
            device_token: p.device_token,
            device_udid: p.device_udid,
            created_at,
            updated_at: cx.now,
        };
        let subscription = sub.view();
        self.push_subs.insert(id, sub);
        Ok(to_value(&PushSubscriptionReply { id: cx.id.clone(), subscription }))
    }

    /// `push_subscription_list: { user_id }`, the caller's when absent (S53).
    pub(crate) fn push_subscription_list(
        &self,
        cx: &Ctx,
        p: PushSubscriptionListParams,
    ) -> Result<Value, SamaError> {
        let user = p.user_id.unwrap_or_else(|| cx.me.clone());
        let subscriptions = self.push_subs.values().filter(|s| s.user == user).map(PushSub::view).collect();
        Ok(to_value(&PushSubscriptionsReply { id: cx.id.clone(), subscriptions }))
    }

    pub(crate) fn push_subscription_delete(
        &mut self,
        cx: &Ctx,
        p: PushSubscriptionDeleteParams,
    ) -> Result<Value, SamaError> {
        let before = self.push_subs.len();
        self.push_subs.retain(|_, s| !(s.user == cx.me && s.device_udid == p.device_udid));
        if self.push_subs.len() == before {
            return fail(
                Status::NotFound,
                format!("no push subscription for device_udid {:?}", p.device_udid),
            );
        }
        Ok(cx.success())
    }

    /// `push_event_create`: the record keeps the message as a JSON string; each recipient
    /// gets an outbox entry (S54).
    pub(crate) fn push_event_create(
        &mut self,
        cx: &Ctx,
        p: PushEventCreateParams,
    ) -> Result<Value, SamaError> {
        let recipients = dedup(p.recipients_ids);
        if recipients.is_empty() {
            return fail(Status::Unprocessable, "push_event_create.recipients_ids must not be empty");
        }
        self.check_users_exist(&recipients)?;
        let id = self.new_id();
        let event = PushEvent {
            id: id.clone(),
            user_id: cx.me.clone(),
            recipients_ids: recipients.clone(),
            message: serde_json::to_string(&p.message).unwrap_or_default(),
            created_at: iso(cx.now),
            updated_at: iso(cx.now),
        };
        for to in recipients {
            self.record_push(cx, "push_event", to, to_value(&p.message));
        }
        self.push_events.insert(id, event.clone());
        let mut reply = to_value(&PushEventReply { id: cx.id.clone(), event });
        // The public server answers `user_ids` and the message in base64 (S54).
        if self.config.on(Switch::PushEventUserIdsBase64)
            && let Some(event) = reply.get_mut("event").and_then(Value::as_object_mut)
        {
            use base64::Engine;
            if let Some(ids) = event.remove("recipients_ids") {
                event.insert("user_ids".into(), ids);
            }
            if let Some(Value::String(message)) = event.get_mut("message") {
                *message = base64::engine::general_purpose::STANDARD.encode(message.as_bytes());
            }
        }
        Ok(reply)
    }

    /// Records `notification` in the outbox for `to`, with the devices of their subscriptions.
    pub(crate) fn record_push(&mut self, cx: &Ctx, kind: &'static str, to: String, notification: Value) {
        let subscriptions =
            self.push_subs.values().filter(|s| s.user == to).map(|s| s.device_udid.clone()).collect();
        self.outbox.push(OutboxEntry { kind, to, notification, subscriptions, created_at: iso(cx.now) });
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/sama/mod.rs) ----
impl Handle<chatspec_specs::sama::push::PushSubscriptionCreate, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.push_subscription_create(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::push::PushSubscriptionList, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.push_subscription_list(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::push::PushSubscriptionDelete, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.push_subscription_delete(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::push::PushEventCreate, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.push_event_create(c.cx, c.params()?).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use serde_json::json;

    #[test]
    fn subscriptions_need_their_platform_fields_and_are_one_per_device() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let a = f.connect(&alice);
        let web_without_keys = f.request(
            a,
            "push_subscription_create",
            json!({"platform": "web", "web_endpoint": "e", "device_udid": "d1"}),
        );
        assert_eq!(web_without_keys["error"]["status"], 422);
        let bad_platform = f.request(
            a,
            "push_subscription_create",
            json!({"platform": "fax", "device_token": "t", "device_udid": "d1"}),
        );
        assert_eq!(bad_platform["error"]["status"], 422);
        let web = json!({"platform": "web", "web_endpoint": "enpoint", "web_key_auth": "auth",
            "web_key_p256dh": "p256dh", "device_udid": "deviceId"});
        let first = f.request(a, "push_subscription_create", web.clone());
        assert_eq!(first["subscription"]["user_id"], alice.user.id.as_str());
        let second = f.request(a, "push_subscription_create", web);
        assert_eq!(first["subscription"]["_id"], second["subscription"]["_id"]);
        f.request(
            a,
            "push_subscription_create",
            json!({"platform": "ios", "device_token": "tok", "device_udid": "phone"}),
        );
        let listed = f.request(a, "push_subscription_list", json!({"user_id": alice.user.id}));
        assert_eq!(listed["subscriptions"].as_array().unwrap().len(), 2);
        let gone = f.request(a, "push_subscription_delete", json!({"device_udid": "phone"}));
        assert_eq!(gone["success"], true);
        let again = f.request(a, "push_subscription_delete", json!({"device_udid": "phone"}));
        assert_eq!(again["error"]["status"], 404);
    }

    #[test]
    fn a_push_event_is_recorded_for_every_recipient() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let carol = f.provision("carol");
        let a = f.connect(&alice);
        let reply = f.request(
            a,
            "push_event_create",
            json!({"recipients_ids": [bob.user.id, carol.user.id],
                "message": {"title": "Title", "body": "Message body"}}),
        );
        assert_eq!(reply["event"]["message"], r#"{"title":"Title","body":"Message body"}"#);
        let outbox = f.store.outbox();
        assert_eq!(outbox.len(), 2);
        assert_eq!(outbox[1].kind, "push_event");
        assert_eq!(outbox[1].to, carol.user.id);
        let unknown = f.request(
            a,
            "push_event_create",
            json!({"recipients_ids": ["ghost"], "message": {"title": "t", "body": "b"}}),
        );
        assert_eq!(unknown["error"]["status"], 404);
    }
}
