//! The OneChat admin shapes. Users, groups and sessions come in OneChat from sign-up, the
//! browser libraries and the portal, out of the API's reach (NOTES.md O13, O14): a test build
//! makes them through these routes. Its outbox lists the alerts and relayed messages
//! delivered, one item per recipient.

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

use super::{OkStatus, Outbox};
use crate::{request_schema, response_schema};

/// `POST /_mock/users` reply (201): a user with an active session and an approved app of its
/// own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NewUserReply {
    /// The user's jid, `ann@run7.example`: the name's letters and digits in lower case, in
    /// the name's domain (`onechat.net` when it names none).
    #[schemars(length(min = 3))]
    pub jid: String,
    /// An active session of the user: `authenticateUser` answers true for it.
    #[serde(rename = "sessionId")]
    #[schemars(length(min = 1))]
    pub session_id: String,
    /// The key of the user's approved app, sent as the `apikey` header.
    #[schemars(length(min = 1))]
    pub apikey: String,
    /// The password `ocwp.login` takes (the browser library scenarios need it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The display name (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The user's domain (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The id of the user's app (the reference mock's).
    #[serde(rename = "appId", default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
}

/// `POST /_mock/groups`: a group of provisioned users.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NewGroup {
    /// The group's name.
    #[schemars(length(min = 1))]
    pub name: String,
    /// The members' jids: at least one, each a provisioned user.
    #[schemars(length(min = 1))]
    pub members: Vec<String>,
    /// The group's domain; the first member's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The group's jid, or its part before `@`; made up when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jid: Option<String>,
}

/// `POST /_mock/groups` reply (201).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NewGroupReply {
    /// The group's jid, `<jid or name-NNNNNN>@muc.<domain>`: what `groupMessage` takes.
    #[schemars(length(min = 3))]
    pub jid: String,
    /// The group's name (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The group's domain (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The members' jids, in lower case (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<String>>,
}

/// `POST /_mock/sessions`: another active session of a user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NewSession {
    /// The user's jid.
    #[schemars(length(min = 1))]
    pub jid: String,
}

/// `POST /_mock/sessions` reply (201).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NewSessionReply {
    /// The new session's id: `authenticateUser` answers true for it.
    #[serde(rename = "sessionId")]
    #[schemars(length(min = 1))]
    pub session_id: String,
    /// The user's jid (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jid: Option<String>,
}

/// The reply (200) of `DELETE /_mock/sessions/{sessionId}` (the session ends:
/// `authenticateUser` answers false for it) and of `POST /_mock/passwords`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UserDone {
    /// Always `ok`.
    pub status: OkStatus,
    /// The jid of the session's or password's user.
    #[schemars(length(min = 1))]
    pub jid: String,
}

/// `POST /_mock/passwords`: the password `ocwp.login` takes for a user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NewPassword {
    /// The user's jid.
    #[schemars(length(min = 1))]
    pub jid: String,
    /// The new password.
    #[schemars(length(min = 1))]
    pub password: String,
}

/// Who a delivery was for: an alert of the API's calls or a message relayed by the `OC`
/// library.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AlertKind {
    /// Sent by an app through `massBroadcast`, `singleMessage` or `groupMessage`.
    Alert,
    /// Relayed by a user through `OC.message.single.relay` or `OC.message.group.relay`.
    Message,
}

/// One alert or message delivered to one user. The harness finds a scenario's alerts by the
/// text in `message`, its recipients by `to`, and the call that sent them by `via`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Alert {
    /// The recipient's jid.
    #[schemars(length(min = 1))]
    pub to: String,
    /// The text, exactly as sent.
    pub message: String,
    /// The call that sent it: `massBroadcast`, `singleMessage`, `groupMessage`,
    /// `OC.message.single.relay` or `OC.message.group.relay`.
    #[schemars(length(min = 1))]
    pub via: String,
    /// 1, 2, ... in delivery order (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// `alert` or `message` (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AlertKind>,
    /// The call it came from: every item of one call shares it (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<u64>,
    /// The group's jid for a group delivery, null otherwise (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Option<String>>,
    /// The recipient's domain (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The app whose `apikey` sent an alert, null for a relayed message (the reference
    /// mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<Option<String>>,
    /// The user who relayed a message, null for an alert (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Option<String>>,
    /// When it was delivered (the reference mock's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<super::Now>,
}

/// OneChat's schemas under `specs/schemas/admin/`.
pub fn schemas() -> Vec<(String, Schema)> {
    vec![
        ("onechat.response.users".into(), response_schema::<NewUserReply>()),
        ("onechat.response.outbox".into(), response_schema::<Outbox<Alert>>()),
        ("onechat.request.groups".into(), request_schema::<NewGroup>()),
        ("onechat.response.groups".into(), response_schema::<NewGroupReply>()),
        ("onechat.request.sessions".into(), request_schema::<NewSession>()),
        ("onechat.response.sessions".into(), response_schema::<NewSessionReply>()),
        ("onechat.response.end_session".into(), response_schema::<UserDone>()),
        ("onechat.request.passwords".into(), request_schema::<NewPassword>()),
        ("onechat.response.passwords".into(), response_schema::<UserDone>()),
    ]
}
