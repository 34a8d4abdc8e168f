//! Blocking (seed 003): `block_user`, `unblock_user`, `list_blocked_users`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::envelope::{NoParams, RequestId, SuccessReply};
use crate::endpoint::{Doc, Endpoint};

/// `block_user: { ids }`.
pub struct BlockUser;

impl Endpoint for BlockUser {
    const NAME: &'static str = "block_user";
    type Request = BlockParams;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "request: { block_user: { ids: [\"63077ad836b78c3d82af0812\"]");
}

/// `unblock_user: { ids }`.
pub struct UnblockUser;

impl Endpoint for UnblockUser {
    const NAME: &'static str = "unblock_user";
    type Request = BlockParams;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "request: { unblock_user: { ids: [\"63077ad836b78c3d82af0812\"]");
}

/// `list_blocked_users: {}`.
pub struct ListBlockedUsers;

impl Endpoint for ListBlockedUsers {
    const NAME: &'static str = "list_blocked_users";
    type Request = NoParams;
    type Reply = BlockedUsersReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "request: { list_blocked_users: {}, id: \"5\"");
}

/// `block_user: { ids: [...] }` and `unblock_user: { ids: [...] }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct BlockParams {
    /// The users' ids: `ids: ["63077ad836b78c3d82af0812"]`.
    pub ids: Vec<String>,
}

/// `{ response: { id, users: ["63077ad836b78c3d82af0812", ...] } }`: the blocked users' ids.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BlockedUsersReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The blocked users' ids, in the order blocked: `users: ["63077ad836b78c3d82af0812",
    /// "63077ad836b78c3d82af0813"]` (NOTES.md S61).
    pub users: Vec<String>,
}
