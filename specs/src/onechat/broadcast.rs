//! Mass broadcast (seed 004, "Mass broadcast API", `POST /onechat/api/massBroadcast`):
//! "Allows admin/system to mass broadcast to every user in the specific domain".

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
