//! OneChat: the broadcast and alert relay API and the mini-app server calls, over REST, and
//! the routes the reference mock serves its copies of the browser libraries (`ocwp`, `OC`)
//! with.
//!
//! Seed: `004_7136eb5bf9d18d37.txt`. The interpretation register is `NOTES.md` here.
//!
//! One file per area, named as the feature files are (`features/onechat/<area>.feature`);
//! `envelope.rs` serves `endpoint`. [`Route`] lists every call of the seed once, [`Library`]
//! every route of the mock's library copies; each area declares its calls as `<Name>Call`,
//! beside the body type that has the call's name.

pub mod broadcast;
pub mod chat_plugin;
pub mod envelope;
pub mod mini_app_library;
pub mod miniapps;
pub mod relay;

use schemars::Schema;

use crate::endpoint::{Endpoints, endpoints};
use crate::response_schema as schema;

/// The name of this API in file names, tags and the command line.
pub const API: &str = "onechat";

/// Where a call is reached: "Make sure Http method is set to POST.", on the path of the seed's
/// URL (`https://app.onechat.net/onechat/api/...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
    /// The path, from the seed's URL: `/onechat/api/massBroadcast`.
    pub path: &'static str,
    /// Whether the `apikey` header is required: "Headers apikey Yes This is the consumer key
    /// of the approved App created in the Developer Portal."
    pub apikey: bool,
}

endpoints! {
    /// Every call of seed 004 that a server answers.
    pub enum Route: Meta for "onechat" {
        MassBroadcast => broadcast::MassBroadcastCall ["broadcast"],
        SingleMessage => relay::SingleMessageCall ["relay"],
        GroupMessage => relay::GroupMessageCall ["relay"],
        RegisterMiniApp => miniapps::RegisterMiniAppCall ["miniapps"],
        AuthenticateUser => miniapps::AuthenticateUserCall ["miniapps"],
    }
}

impl Route {
    /// The call's name, the last segment of the seed's URL (`massBroadcast`): what a profile's
    /// `call_names` and `shaping` name it by.
    pub fn call(self) -> &'static str {
        let path = self.meta().path;
        path.rsplit('/').next().unwrap_or(path)
    }

    /// The route whose call is named `call` (`singleMessage`), if there is one.
    pub fn from_call(call: &str) -> Option<Route> {
        Route::ALL.iter().copied().find(|r| r.call() == call)
    }
}

/// Where a route of the mock's library copies is reached (NOTES.md O15): not the seed's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LibraryMeta {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path on the mock: `/ocwp.js`, `/onechat/lib/login`, ...
    pub path: &'static str,
}

/// A request with nothing to send.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct NoQuery {}

endpoints! {
    /// Every route the reference mock serves its copies of `ocwp` and `OC` with (NOTES.md O15):
    /// the mock's own, with the JSON error reply of the API.
    pub enum Library: LibraryMeta for "onechat" {
        OcwpScript => chat_plugin::OcwpScriptCall ["chat_plugin"],
        PluginLogin => chat_plugin::PluginLoginCall ["chat_plugin"],
        PluginEvents => chat_plugin::PluginEventsCall ["chat_plugin"],
        PluginLogout => chat_plugin::PluginLogoutCall ["chat_plugin"],
        PluginGroupCreate => chat_plugin::PluginGroupCreateCall ["chat_plugin"],
        OcScript => mini_app_library::OcScriptCall ["mini_app_library"],
        Contacts => mini_app_library::ContactsCall ["mini_app_library"],
        SingleRelay => mini_app_library::SingleRelayCall ["mini_app_library"],
        GroupRelay => mini_app_library::GroupRelayCall ["mini_app_library"],
    }
}

/// Every schema of the API, by file name (without `.json`): the error reply, then each
/// call's request and reply, then each library route's.
pub fn schemas() -> Vec<(String, Schema)> {
    let mut out: Vec<(String, Schema)> = vec![("error".into(), schema::<envelope::ErrorReply>())];
    out.extend(Route::schemas());
    out.extend(Library::schemas());
    out
}
