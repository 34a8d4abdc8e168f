//! Times on the SAMA wire (seed 003): ISO dates on records (`created_at:
//! "2022-10-13T13:11:04.447Z"`), seconds in `t` and `recent_activity`, milliseconds in
//! `expired_at` and in the `gt`/`lt` filters (`gt: timestamp_in_ms`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A record's date: `"2022-10-13T13:11:04.447Z"`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct Timestamp(#[schemars(pattern(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"))] pub String);

/// `updated_at: { gt: timestamp_in_ms }` / `created_at: { gt | lt }`: a range in
/// milliseconds since the epoch, both ends exclusive.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TimeRange {
    /// Later than this, in milliseconds.
    #[serde(default)]
    pub gt: Option<i64>,
    /// Earlier than this, in milliseconds.
    #[serde(default)]
    pub lt: Option<i64>,
}

/// `contact_list: { updated_at: "" }`: the seed shows an empty string where the other lists
/// take `{ gt: timestamp_in_ms }`; the object, a number of milliseconds (taken as `gt`) and
/// an empty string (no filter) are accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum TimeFilter {
    /// `{ gt: timestamp_in_ms }` and/or `{ lt: ... }`.
    Range(TimeRange),
    /// Milliseconds since the epoch, taken as `gt`.
    Millis(i64),
    /// A string of milliseconds, or `""`: no filter.
    Text(String),
}

impl TimeFilter {
    /// The filter as a range; an empty or unparsable text is no filter.
    pub fn range(&self) -> TimeRange {
        match self {
            TimeFilter::Range(r) => r.clone(),
            TimeFilter::Millis(ms) => TimeRange { gt: Some(*ms), lt: None },
            TimeFilter::Text(text) => TimeRange { gt: text.trim().parse().ok(), lt: None },
        }
    }
}

impl TimeRange {
    /// Whether `ms` lies inside the range.
    pub fn contains(&self, ms: i64) -> bool {
        self.gt.is_none_or(|gt| ms > gt) && self.lt.is_none_or(|lt| ms < lt)
    }
}
