//! Mass broadcast (seed 004, "Mass broadcast API", `POST /onechat/api/massBroadcast`):
//! "Allows admin/system to mass broadcast to every user in the specific domain".

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::envelope::SuccessReply;
use crate::endpoint::{Doc, Endpoint};

/// `POST /onechat/api/massBroadcast` ("Mass broadcast API").
pub struct MassBroadcastCall;

impl Endpoint for MassBroadcastCall {
    const NAME: &'static str = "mass_broadcast";
    type Request = MassBroadcast;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta { path: "/onechat/api/massBroadcast", apikey: true };
    const DOC: Doc = Doc::seed(
        "004",
        "Description: Allows admin/system to mass broadcast to every user in the specific domain",
    );
}

/// The body of `massBroadcast`; the `apikey` header is required too ("This is the consumer
/// key of the approved App created in the Developer Portal.").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MassBroadcast {
    /// "Domain to be broadcasted" (mandatory), e.g. `onechat.net`.
    #[schemars(length(min = 1))]
    pub domain: String,
    /// "Message to be broadcasted" (mandatory), e.g. `Hi`.
    #[schemars(length(min = 1))]
    pub message: String,
}
