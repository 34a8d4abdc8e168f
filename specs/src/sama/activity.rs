//! Last activity (seed 003): `user_last_activity`, `user_last_activity_subscribe`, its end
//! `user_last_activity_unsubscribe` (reading S64), and the `last_activity` event.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::envelope::{NoParams, RequestId, SuccessReply};
use crate::endpoint::{Doc, Endpoint};

/// `user_last_activity: { ids }`.
pub struct UserLastActivity;

impl Endpoint for UserLastActivity {
    const NAME: &'static str = "user_last_activity";
    type Request = UserLastActivityParams;
    type Reply = LastActivityReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc =
        Doc::seed("003", "A user can request last activity of other users:").rule("S-last-activity");
}

/// `user_last_activity_subscribe: { id }`.
pub struct UserLastActivitySubscribe;

impl Endpoint for UserLastActivitySubscribe {
    const NAME: &'static str = "user_last_activity_subscribe";
    type Request = UserLastActivitySubscribeParams;
    type Reply = LastActivityReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc =
        Doc::seed("003", "There is a way to subscribe to some user activity status upodate in real-time:");
}

/// `user_last_activity_unsubscribe: {}`: ends every subscription of this socket; the seed
/// shows only the subscribing, the name and shape are the public server's and its official
/// client's (reading S64). Reply `{ response: { id, success: true } }`.
pub struct UserLastActivityUnsubscribe;

impl Endpoint for UserLastActivityUnsubscribe {
    const NAME: &'static str = "user_last_activity_unsubscribe";
    type Request = NoParams;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::reading(
        "003",
        "There is a way to subscribe to some user activity status upodate in real-time:",
        "S64",
    );
}

/// The word `"online"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Online {
    /// `"online"`: the user is connected now.
    #[serde(rename = "online")]
    Online,
}

/// One user's activity: `"online"` or `num_of_seconds`, the time of their last activity in
/// seconds since the epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum LastActivity {
    /// `uid2: "online"`.
    Online(Online),
    /// `uid1: num_of_seconds`: the last activity, in seconds since the epoch.
    Seconds(i64),
}

/// `user_last_activity: { ids: [uid1, uid2, uid3] // max 10 uids per request }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct UserLastActivityParams {
    /// The users' ids: `ids: [uid1, uid2, uid3] // max 10 uids per request`.
    #[schemars(length(max = 10))]
    pub ids: Vec<String>,
}

/// `{ response: { id, last_activity: { uid1: num_of_seconds, uid2: "online" } } }`: also
/// the reply of `user_last_activity_subscribe`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LastActivityReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// Each user's activity: `last_activity: { uid1: num_of_seconds, uid2: "online" }`.
    pub last_activity: BTreeMap<String, LastActivity>,
}

/// `user_last_activity_subscribe: { id: uid1 }`: "There is a way to subscribe to some user
/// activity status upodate in real-time".
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct UserLastActivitySubscribeParams {
    /// The user to watch: `id: uid1`.
    #[schemars(length(min = 1))]
    pub id: String,
}

/// The event under `last_activity`: "Once that user will go offline/online, you will be
/// receiving his/her last activity status: last_activity: { uid1: "online" | num_of_seconds }".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct LastActivityEvent(pub BTreeMap<String, LastActivity>);
