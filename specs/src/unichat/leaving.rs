//! Leaving and kicking (seed 001, "Leaving the room", "When the group owner leaves", "When the
//! last participant leves"; the public fact `kick`, NOTES.md U26 to U28).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::envelope::EmptyReply;
use crate::endpoint::{Doc, Endpoint};

/// `unsubscribe(subscription_id) -> {}`: "Leaving the room".
pub struct Unsubscribe;

impl Endpoint for Unsubscribe {
    const NAME: &'static str = "unsubscribe";
    type Request = UnsubscribeArgs;
    type Reply = EmptyReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::seed("001", "unsubscribe(subscription_id:<long>) -> {}").rule("U-unsubscribe");
}

/// `kick(subscription_id, user_id) -> {}` (public fact).
pub struct Kick;

impl Endpoint for Kick {
    const NAME: &'static str = "kick";
    type Request = KickArgs;
    type Reply = EmptyReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::reading(
        "001",
        "It is not possible to remove owner's admin role or kick him or her out of the group.",
        "U26",
    );
}

/// The arguments of `kick(subscription_id, user_id) -> {}` (public fact).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct KickArgs {
    /// The caller's (an admin's) subscription to the group.
    pub subscription_id: u64,
    /// The participant to remove; not the owner: "It is not possible to remove owner's admin
    /// role or kick him or her out of the group."
    pub user_id: u64,
}

/// The arguments of `unsubscribe(subscription_id) -> {}`: "Leaving the room".
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct UnsubscribeArgs {
    /// The caller's own subscription: "To do it, just unsubscribe your subscription".
    pub subscription_id: u64,
}
