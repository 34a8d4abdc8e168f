//! Alert message relay (seed 004, "1-2-1 alert message relay API",
//! `POST /onechat/api/singleMessage`, and "Group alert message relay API",
//! `POST /onechat/api/groupMessage`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::envelope::SuccessReply;
use crate::endpoint::{Doc, Endpoint};

/// `POST /onechat/api/singleMessage` ("1-2-1 alert message relay API").
pub struct SingleMessageCall;

impl Endpoint for SingleMessageCall {
    const NAME: &'static str = "single_message";
    type Request = SingleMessage;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta { path: "/onechat/api/singleMessage", apikey: true };
    const DOC: Doc =
        Doc::seed("004", "Description: Allows admin/system to send message to a particular user");
}

/// `POST /onechat/api/groupMessage` ("Group alert message relay API").
pub struct GroupMessageCall;

impl Endpoint for GroupMessageCall {
    const NAME: &'static str = "group_message";
    type Request = GroupMessage;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta { path: "/onechat/api/groupMessage", apikey: true };
    const DOC: Doc =
        Doc::seed("004", "Description: Allows admin/system to send message to a particular group");
}

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
