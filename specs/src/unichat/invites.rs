//! Inviting and joining, and roles (seed 001, "Invite to the room", "Use invite code"; the
//! public facts `create_group_invite_code` and `set_access`, NOTES.md U24 to U26).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::envelope::EmptyReply;
use super::rooms::Role;
use super::subscriptions::{Subscription, SubscriptionReply};
use crate::endpoint::{Doc, Endpoint};

/// `invite(subscription_id, user_id) -> {subscription}`: the seed's "Invite to the room",
/// whose name was lost (NOTES.md U24).
pub struct Invite;

impl Endpoint for Invite {
    const NAME: &'static str = "invite";
    type Request = InviteArgs;
    type Reply = InviteReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::reading(
        "001",
        "Regular rooms by default allow everybody with write permission to invite others to the room with:",
        "U24",
    );
}

/// `create_group_invite_code(subscription_id) -> {code}` (public fact).
pub struct CreateGroupInviteCode;

impl Endpoint for CreateGroupInviteCode {
    const NAME: &'static str = "create_group_invite_code";
    type Request = CreateGroupInviteCodeArgs;
    type Reply = InviteCodeReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::reading(
        "001",
        "See unichat invite codes for explanations on how to obtain and process it with the client software.",
        "U25",
    );
}

/// `use_invite_code(code) -> {}`.
pub struct UseInviteCode;

impl Endpoint for UseInviteCode {
    const NAME: &'static str = "use_invite_code";
    type Request = UseInviteCodeArgs;
    type Reply = EmptyReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::seed("001", "use_invite_code(code:<string_code>) -> {}").rule("U-use-invite-code");
}

/// `set_access(subscription_id, user_id, role) -> {subscription}` (public fact).
pub struct SetAccess;

impl Endpoint for SetAccess {
    const NAME: &'static str = "set_access";
    type Request = SetAccessArgs;
    type Reply = SubscriptionReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::reading(
        "001",
        "It is not possible to remove owner's admin role or kick him or her out of the group.",
        "U26",
    );
}

/// One user id or many: "id or array of the users IDs which should be invited".
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum UserIdsArg {
    /// One user's id.
    One(u64),
    /// Several users' ids.
    Many(Vec<u64>),
}

/// The arguments of `invite(subscription_id, user_id)`: the seed's "Invite to the room" call
/// (NOTES.md U24).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct InviteArgs {
    /// "a subscription of the current user to the room to which he or she wants to invite"
    pub subscription_id: u64,
    /// "id or array of the users IDs which should be invited to the room."
    pub user_id: UserIdsArg,
}

/// "on success, returns the subscription of newly added user"; with several users, the first
/// one's, and all of them in `subscriptions`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct InviteReply {
    /// "the subscription of newly added user" (the first one's when several were invited).
    pub subscription: Subscription,
    /// Every new user's subscription, when several were invited (NOTES.md U24).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscriptions: Option<Vec<Subscription>>,
}

/// The arguments of `create_group_invite_code(subscription_id)` (public fact).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct CreateGroupInviteCodeArgs {
    /// The caller's subscription to the group the code lets people join.
    pub subscription_id: u64,
}

/// `{code}`: the reply of `create_group_invite_code`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct InviteCodeReply {
    /// The group's invite code, for `use_invite_code(code:<string_code>)`.
    #[schemars(length(min = 1))]
    pub code: String,
}

/// The arguments of `use_invite_code(code) -> {}`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct UseInviteCodeArgs {
    /// "If the user has the invite code, it should use it."
    pub code: String,
}

/// The arguments of `set_access(subscription_id, user_id, role) -> {subscription}` (public
/// fact).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct SetAccessArgs {
    /// The caller's (an admin's) subscription to the group.
    pub subscription_id: u64,
    /// The participant whose role changes; not the owner: "It is not possible to remove
    /// owner's admin role".
    pub user_id: u64,
    /// The new role: `ro`, `rw` or `admin`.
    pub role: Role,
}
