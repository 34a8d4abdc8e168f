//! The mini-app library `OC` (seed 004, "Mini App Library Functions": "can be used to
//! integrate it with OneChat as a Mini App"). In OneChat the app hosting the mini app answers
//! these functions; in a browser the reference mock stands in for it: `GET /oc.js?jid=...`
//! serves the library for that user, with a session of its own, and these JSON routes serve it
//! (NOTES.md O15, O16). They are the mock's own, not the seed's.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::LibraryMeta;
use super::envelope::SuccessReply;
use crate::endpoint::{Doc, Endpoint};

/// `GET /oc.js?jid=...`: the reference `OC` library for the user `jid`, plain JavaScript
/// (`text/javascript`), with a new active session of that user and its vCard built in.
pub struct OcScriptCall;

impl Endpoint for OcScriptCall {
    const NAME: &'static str = "oc_js";
    type Request = OcScript;
    type Reply = String;
    type Meta = LibraryMeta;
    const META: LibraryMeta = LibraryMeta { method: "GET", path: "/oc.js" };
    const DOC: Doc = Doc::mock(
        "004",
        "The below documentation refers to the OneChat Javascript library based functions and variables which can be used to integrate it with OneChat as a Mini App.",
        "O16",
    );
}

/// `POST /onechat/lib/contacts`: whom `OC.user.selectContacts` offers.
pub struct ContactsCall;

impl Endpoint for ContactsCall {
    const NAME: &'static str = "oc_contacts";
    type Request = PageSession;
    type Reply = ContactsReply;
    type Meta = LibraryMeta;
    const META: LibraryMeta = LibraryMeta { method: "POST", path: "/onechat/lib/contacts" };
    const DOC: Doc = Doc::mock("004", "Shows OneChat contacts selector.", "O22").rule("O-oc-select-contacts");
}

/// `POST /onechat/lib/relay/single`: what `OC.message.single.relay` sends.
pub struct SingleRelayCall;

impl Endpoint for SingleRelayCall {
    const NAME: &'static str = "oc_single_relay";
    type Request = SingleRelay;
    type Reply = SuccessReply;
    type Meta = LibraryMeta;
    const META: LibraryMeta = LibraryMeta { method: "POST", path: "/onechat/lib/relay/single" };
    const DOC: Doc = Doc::mock("004", "To share / broadcast message to single chat.", "O23");
}

/// `POST /onechat/lib/relay/group`: what `OC.message.group.relay` sends.
pub struct GroupRelayCall;

impl Endpoint for GroupRelayCall {
    const NAME: &'static str = "oc_group_relay";
    type Request = GroupRelay;
    type Reply = GroupRelayReply;
    type Meta = LibraryMeta;
    const META: LibraryMeta = LibraryMeta { method: "POST", path: "/onechat/lib/relay/group" };
    const DOC: Doc =
        Doc::mock("004", "To share / broadcast message to group chat.", "O23").rule("O-oc-group-relay");
}

/// The query of `GET /oc.js`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OcScript {
    /// The user the mini app runs for; without it the library has no user and its `user`
    /// functions throw.
    #[serde(default)]
    pub jid: Option<String>,
}

/// The page's session, as `OC.user.getSessionID()` returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageSession {
    /// What `OC.user.getSessionID()` returns.
    #[schemars(length(min = 1))]
    pub session_id: String,
}

/// One contact the selector offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Contact {
    /// The contact's jid, what `success` receives when it is picked.
    pub jid: String,
    /// The contact's name, as the selector shows it.
    pub name: String,
}

/// The contacts of the page's user: every other user of its domain, by jid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ContactsReply {
    /// Always `Success`.
    #[schemars(pattern(r"^Success$"))]
    pub status: String,
    /// `-`.
    pub description: String,
    /// The contacts, by jid.
    pub contacts: Vec<Contact>,
}

/// `OC.message.single.relay({recipient, textMessage})` with the page's session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SingleRelay {
    /// The page's session: the sender.
    #[schemars(length(min = 1))]
    pub session_id: String,
    /// `recipient: '["user1@domain.tld","user2@domain.tld"]'`: a JSON string of a list of
    /// jids, passed on as the page gave it (an array is taken too).
    pub recipient: Value,
    /// The text, mandatory.
    #[schemars(length(min = 1))]
    pub text_message: String,
}

/// `OC.message.group.relay({groupJid, invitees, textMessage})` with the page's session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupRelay {
    /// The page's session: the sender.
    #[schemars(length(min = 1))]
    pub session_id: String,
    /// "groupJid (optional): new group will be created with invitees as members if not
    /// defined".
    #[serde(default)]
    pub group_jid: Option<String>,
    /// "invitees (optional): array of users, will be ignored if groupJid is given": a JSON
    /// string of a list of jids (an array is taken too).
    #[serde(default)]
    pub invitees: Option<Value>,
    /// The text, mandatory.
    #[schemars(length(min = 1))]
    pub text_message: String,
}

/// The group the message went to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupRelayReply {
    /// Always `Success`.
    #[schemars(pattern(r"^Success$"))]
    pub status: String,
    /// `-`.
    pub description: String,
    /// The group's jid: the one given, or the new group's ("group jid returned here").
    #[schemars(length(min = 1))]
    pub group_jid: String,
    /// Whether the call made the group.
    pub created: bool,
}
