//! Subscriptions: listing, fetching and managing one's own (seed 001, "Get subscriptions",
//! "Get single subscription", "Manage own subscription").

use chatspec_specs::endpoint::Handle;
use chatspec_specs::unichat::{
    envelope::ErrorCode,
    subscriptions::{GetSubscriptionArgs, GetSubscriptionsArgs, UpdateSubscriptionArgs},
};
use serde_json::{Value, json};

use super::endpoint::{Call, Served};
use super::error::{ApiError, fail};
use super::store::{Outgoing, Store};
use crate::kit::clock;

impl Store {
    /// "Sunscriptions are ordered by ascending, so just set limit and offset".
    pub(crate) fn get_subscriptions(&self, me: u64, args: GetSubscriptionsArgs) -> Result<Value, ApiError> {
        let short = args.short.unwrap_or(false);
        let offset = usize::try_from(args.offset.unwrap_or(0)).unwrap_or(usize::MAX);
        let limit = match args.limit.unwrap_or(0) {
            0 => usize::MAX,
            n => usize::try_from(n).unwrap_or(usize::MAX),
        };
        let subs: Vec<Value> = self
            .subs
            .values()
            .filter(|s| s.user_id == me)
            .skip(offset)
            .take(limit)
            .map(|s| self.sub_value(s.id, short, me))
            .collect();
        Ok(json!({"subscriptions": subs}))
    }

    pub(crate) fn get_subscription(&self, me: u64, args: GetSubscriptionArgs) -> Result<Value, ApiError> {
        let Some(sid) = args.subscription_id.or(args.id) else {
            return fail(ErrorCode::InvalidArgs, "subscription_id is required");
        };
        let s = self.own_sub(me, sid)?;
        Ok(json!({"subscription": self.sub_value(s.id, false, me)}))
    }

    /// "Only supplied fields will be changed. If subscription is changes, changed
    /// notification for it will be sent to the owner or to the group, depending on change
    /// relevance. For example, last_read_message_id causes group broadcasting."
    pub(crate) fn update_subscription(
        &mut self,
        me: u64,
        args: UpdateSubscriptionArgs,
    ) -> Result<Value, ApiError> {
        let sid = self.own_sub(me, args.subscription_id)?.id;
        let mute_until = match args.mute_until.as_deref() {
            Some(text) => match clock::parse(text) {
                Some(t) => Some(clock::wire(t)),
                None => {
                    return fail(ErrorCode::InvalidArgs, format!("args.mute_until: {text:?} is not a time"));
                }
            },
            None => None,
        };
        let Some(s) = self.subs.get_mut(&sid) else {
            return fail(ErrorCode::NotFound, format!("no subscription {sid}"));
        };
        let mut private_change = false;
        let mut group_change = false;
        if let Some(read) = args.last_read_message_id {
            group_change |= s.last_read_message_id != Some(read);
            s.last_read_message_id = Some(read);
            // "Setting last_read_message_id will also clear last_mentioned_in_message_id if it
            // is lesser or equal to newly set last_read_message_id."
            if let Some(m) = s.last_mentioned_in_message_id
                && i128::from(m) <= i128::from(read)
            {
                s.last_mentioned_in_message_id = None;
            }
        }
        let keep_draft = self.config.broken(super::breakage::Breakage::DraftNotCleared);
        if let Some(draft) = args.draft.filter(|d| !(keep_draft && d.is_empty())) {
            private_change |= s.draft.as_deref() != Some(draft.as_str());
            s.draft = Some(draft);
        }
        if let Some(tags) = args.tags {
            private_change |= s.tags != tags;
            s.tags = tags;
        }
        if let Some(m) = mute_until {
            private_change |= s.mute_until.as_deref() != Some(m.as_str());
            s.mute_until = Some(m);
        }
        if group_change {
            self.notify_sub_to_group("changed", sid);
        } else if private_change {
            let body = Self::notification("changed", "subscription", self.sub_value(sid, false, me));
            self.outgoing.push(Outgoing { user_id: me, body: body.into() });
        }
        Ok(json!({"subscription": self.sub_value(sid, false, me)}))
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/unichat/mod.rs) ----
impl Handle<chatspec_specs::unichat::subscriptions::GetSubscriptions, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.get_subscriptions(c.me, c.args()?)
    }
}

impl Handle<chatspec_specs::unichat::subscriptions::GetSubscription, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.get_subscription(c.me, c.args()?)
    }
}

impl Handle<chatspec_specs::unichat::subscriptions::UpdateSubscription, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.update_subscription(c.me, c.args()?)
    }
}
