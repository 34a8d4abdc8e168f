//! Blocking (seed 003): `block_user`, `unblock_user`, `list_blocked_users`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::envelope::RequestId;

/// `block_user: { ids: [...] }` and `unblock_user: { ids: [...] }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct BlockParams {
    pub ids: Vec<String>,
}

/// `{ response: { id, users: ["63077ad836b78c3d82af0812", ...] } }`: the blocked users' ids.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BlockedUsersReply {
    pub id: RequestId,
    pub users: Vec<String>,
}
