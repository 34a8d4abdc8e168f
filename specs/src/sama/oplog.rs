//! The operations log (seed 003): `op_log_list`, where users who were offline find the edits
//! and deletions they missed ("If users are offline, they will receive a message once became
//! online").

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::envelope::RequestId;
use super::times::{TimeRange, Timestamp};

/// `op_log_list: { created_at: { gt: timestamp_in_ms } }`: "gt or lt param is required".
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct OpLogListParams {
    pub created_at: TimeRange,
}

/// One log entry: `{ _id: 325, user_id: 634ec51c0b65918393dca5bf, packet: { ... } }`; the
/// packet is the event as it would have been delivered, e.g. `{ message_edit: {...} }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OpLog {
    #[serde(rename = "_id")]
    pub id: u64,
    pub user_id: String,
    pub packet: Value,
    pub created_at: Timestamp,
}

/// `{ response: { logs: [...], id } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OpLogReply {
    pub id: RequestId,
    pub logs: Vec<OpLog>,
}
