//! The reply every OneChat call shares (seed 004, "Response Details": "status | Status |
//! Success, Error" and "description | Description of the status | -, Unauthorized").

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `status` on success.
pub const SUCCESS: &str = "Success";
/// `status` on failure.
pub const ERROR: &str = "Error";
/// `description` on success, as the seed's sample shows it: "-".
pub const NO_DESCRIPTION: &str = "-";
/// `description` of a missing or unknown `apikey`, as the seed's sample shows it.
pub const UNAUTHORIZED: &str = "Unauthorized";

/// The reply of a call that succeeded: `{"status": "Success", "description": "-"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SuccessReply {
    /// Always `Success`.
    #[schemars(pattern(r"^Success$"))]
    pub status: String,
    /// "Description of the status": the mock sends `-`, as in the seed's sample.
    pub description: String,
}

impl SuccessReply {
    /// `{"status": "Success", "description": "-"}`.
    pub fn new() -> SuccessReply {
        SuccessReply { status: SUCCESS.into(), description: NO_DESCRIPTION.into() }
    }
}

impl Default for SuccessReply {
    fn default() -> Self {
        SuccessReply::new()
    }
}

/// The reply of a call that failed: `{"status": "Error", "description": "Unauthorized"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorReply {
    /// Always `Error`.
    #[schemars(pattern(r"^Error$"))]
    pub status: String,
    /// What went wrong: `Unauthorized` for a missing or unknown `apikey`, otherwise a
    /// readable reason.
    #[schemars(length(min = 1))]
    pub description: String,
}

impl ErrorReply {
    /// `{"status": "Error", "description": <description>}`.
    pub fn new(description: impl Into<String>) -> ErrorReply {
        ErrorReply { status: ERROR.into(), description: description.into() }
    }
}
