//! The chat plugin library `ocwp` (seed 004, "Chat Plugin Javascript Library Functions": "can
//! be plugged into any website to give it OneChat messaging capabilities"). The library runs
//! in the page; the seed says nothing of how it reaches the server, so the reference mock
//! serves its own copy at `GET /ocwp.js` and these JSON routes for it (NOTES.md O15). They are
//! the mock's own, not the seed's: a team's build of `ocwp` talks to its server its own way.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::envelope::SuccessReply;
use super::{LibraryMeta, NoQuery};
use crate::endpoint::{Doc, Endpoint};

/// `GET /ocwp.js`: the reference `ocwp` library, plain JavaScript (`text/javascript`).
pub struct OcwpScriptCall;

impl Endpoint for OcwpScriptCall {
    const NAME: &'static str = "ocwp_js";
    type Request = NoQuery;
    type Reply = String;
    type Meta = LibraryMeta;
    const META: LibraryMeta = LibraryMeta { method: "GET", path: "/ocwp.js" };
    const DOC: Doc = Doc::mock(
        "004",
        "The below documentation refers to the OneChat Javascript library based functions and variables which can be plugged into any website to give it OneChat messaging capabilities.",
        "O15",
    );
}

/// `POST /onechat/lib/login`: what `ocwp.login(usr, pw)` sends.
pub struct PluginLoginCall;

impl Endpoint for PluginLoginCall {
    const NAME: &'static str = "plugin_login";
    type Request = PluginLogin;
    type Reply = PluginLoginReply;
    type Meta = LibraryMeta;
    const META: LibraryMeta = LibraryMeta { method: "POST", path: "/onechat/lib/login" };
    const DOC: Doc =
        Doc::mock("004", "Invokes login from webpage’s javascript code.", "O17").rule("O-ocwp-login");
}

/// `GET /onechat/lib/events?token=...`: the plugin's connection, an SSE stream whose first
/// event, `ready`, makes the status `XMPP_CONNECTION_CONNECTED_READY`; it ends at logout.
pub struct PluginEventsCall;

impl Endpoint for PluginEventsCall {
    const NAME: &'static str = "plugin_events";
    type Request = PluginToken;
    type Reply = PluginReady;
    type Meta = LibraryMeta;
    const META: LibraryMeta = LibraryMeta { method: "GET", path: "/onechat/lib/events" };
    const DOC: Doc = Doc::mock("004", "Get xmpp messaging protocol connection status.", "O17");
}

/// `POST /onechat/lib/logout`: what `ocwp.logout()` sends.
pub struct PluginLogoutCall;

impl Endpoint for PluginLogoutCall {
    const NAME: &'static str = "plugin_logout";
    type Request = PluginToken;
    type Reply = SuccessReply;
    type Meta = LibraryMeta;
    const META: LibraryMeta = LibraryMeta { method: "POST", path: "/onechat/lib/logout" };
    const DOC: Doc =
        Doc::mock("004", "Invokes logout from webpage’s javascript code.", "O17").rule("O-ocwp-logout");
}

/// `POST /onechat/lib/groups`: what `ocwp.chat.group.create({...})` sends.
pub struct PluginGroupCreateCall;

impl Endpoint for PluginGroupCreateCall {
    const NAME: &'static str = "plugin_group_create";
    type Request = PluginGroupCreate;
    type Reply = PluginGroupReply;
    type Meta = LibraryMeta;
    const META: LibraryMeta = LibraryMeta { method: "POST", path: "/onechat/lib/groups" };
    const DOC: Doc = Doc::mock("004", "Creates a group chat.", "O20").rule("O-ocwp-group-create");
}

/// `ocwp.login(usr, pw)`: "usr Yes String Username / jid", "pw Yes String Password".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PluginLogin {
    /// A jid, or a user name that is the part before `@` of exactly one user's jid.
    #[schemars(length(min = 1))]
    pub usr: String,
    /// The user's password.
    #[schemars(length(min = 1))]
    pub pw: String,
}

/// A logged-in plugin: the user and the token of its connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PluginLoginReply {
    /// Always `Success`; a wrong `usr` or `pw` is the `error` reply with HTTP 401.
    #[schemars(pattern(r"^Success$"))]
    pub status: String,
    /// `-`.
    pub description: String,
    /// The user's jid, in lower case.
    #[schemars(length(min = 1))]
    pub jid: String,
    /// The user's name.
    pub name: String,
    /// The connection's token, for the events stream, logout and group creation.
    #[schemars(length(min = 1))]
    pub token: String,
}

/// A plugin connection's token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PluginToken {
    /// From [`PluginLoginReply::token`].
    #[schemars(length(min = 1))]
    pub token: String,
}

/// The data of the `ready` event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PluginReady {
    /// The jid logged in.
    pub jid: String,
}

/// `ocwp.chat.group.create({members, chatName, chatAvatar, chatJid})`, with the connection's
/// token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PluginGroupCreate {
    /// The plugin's connection.
    #[schemars(length(min = 1))]
    pub token: String,
    /// "Array of members to be added to group, have to be at least 1 person, creator doesn't
    /// need to be included and not counted": jids of users.
    pub members: Vec<String>,
    /// "Name of chat": the library puts its locale's generic name in when empty.
    #[serde(default)]
    pub chat_name: Option<String>,
    /// "Path to image or base64 string".
    #[serde(default)]
    pub chat_avatar: Option<String>,
    /// "uuid formatted string to id the group": the group's jid is `<chatJid>@muc.<domain>`;
    /// made up when empty; an existing group of that jid is opened, not made again.
    #[serde(default)]
    pub chat_jid: Option<String>,
}

/// The group made or opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PluginGroupReply {
    /// Always `Success`.
    #[schemars(pattern(r"^Success$"))]
    pub status: String,
    /// `-`.
    pub description: String,
    /// The group's jid: `<uuid>@muc.<the creator's domain>`.
    #[schemars(length(min = 1))]
    pub jid: String,
    /// The group's name.
    pub name: String,
    /// The group's avatar as given, or empty.
    pub avatar: String,
    /// Every member's jid, the creator first.
    pub members: Vec<String>,
    /// Whether the call made the group (false: it existed and was opened).
    pub created: bool,
}
