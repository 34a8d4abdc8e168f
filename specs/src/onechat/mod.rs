//! OneChat: the broadcast and alert relay API and the mini-app server calls, over REST.
//!
//! Seed: `004_7136eb5bf9d18d37.txt`. The browser libraries it also describes (`ocwp`, `OC`)
//! run in the client and are out of scope. The interpretation register is `NOTES.md` here.

pub mod broadcast;
pub mod envelope;
pub mod miniapps;
pub mod relay;

use schemars::Schema;

use crate::{request_schema, response_schema as schema};

/// The name of this API in file names, tags and the command line.
pub const API: &str = "onechat";

/// One route of the API. "Make sure Http method is set to POST."
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// The schema stem: `request.<name>` and `response.<name>`.
    pub name: &'static str,
    /// The path, from the seed's URL (`https://app.onechat.net/onechat/api/...`).
    pub path: &'static str,
    /// Whether the `apikey` header is required.
    pub apikey: bool,
}

/// Every route the mock serves.
pub const ROUTES: &[Route] = &[
    Route { name: "mass_broadcast", path: "/onechat/api/massBroadcast", apikey: true },
    Route { name: "single_message", path: "/onechat/api/singleMessage", apikey: true },
    Route { name: "group_message", path: "/onechat/api/groupMessage", apikey: true },
    Route { name: "register_mini_app", path: "/onechat/api/registerMiniApp", apikey: false },
    Route { name: "authenticate_user", path: "/onechat/api/authenticateUser", apikey: false },
];

/// Every schema of the API, by file name (without `.json`), in a stable order.
pub fn schemas() -> Vec<(String, Schema)> {
    use envelope::{ErrorReply, SuccessReply};
    let mut out: Vec<(String, Schema)> = vec![("error".into(), schema::<ErrorReply>())];
    macro_rules! call {
        ($name:literal, $body:ty, $reply:ty) => {
            out.push((format!("request.{}", $name), request_schema::<$body>()));
            out.push((format!("response.{}", $name), schema::<$reply>()));
        };
    }
    call!("mass_broadcast", broadcast::MassBroadcast, SuccessReply);
    call!("single_message", relay::SingleMessage, SuccessReply);
    call!("group_message", relay::GroupMessage, SuccessReply);
    call!("register_mini_app", miniapps::RegisterMiniApp, miniapps::RegisterMiniAppReply);
    call!("authenticate_user", miniapps::AuthenticateUser, miniapps::AuthenticateUserReply);
    out
}
