//! Alert message relay (seed 004, "1-2-1 alert message relay API",
//! `POST /onechat/api/singleMessage`, and "Group alert message relay API",
//! `POST /onechat/api/groupMessage`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The body of `singleMessage`: "Allows admin/system to send message to a particular user".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SingleMessage {
    /// "The jid of the specific user" (mandatory), e.g. `6581234567@onechat.net`.
    #[schemars(length(min = 1))]
    pub jid: String,
    /// The text to relay (mandatory).
    #[schemars(length(min = 1))]
    pub message: String,
}

/// The body of `groupMessage`: "Allows admin/system to send message to a particular group".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GroupMessage {
    /// "The jid of the specific group" (mandatory), e.g. `abcdef-123456@muc.onechat.net`.
    #[schemars(length(min = 1))]
    pub jid: String,
    /// The text to relay (mandatory).
    #[schemars(length(min = 1))]
    pub message: String,
}
