//! Record times (public fact: "Records use integer ids and `created_at`/`updated_at`
//! timestamps").

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A record time. The mock sends Laravel's JSON form `2026-01-02T03:04:05.000000Z`; the
/// older `2026-01-02 03:04:05` is accepted too (NOTES.md C6).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct Timestamp(
    #[schemars(pattern(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$"))] pub String,
);
