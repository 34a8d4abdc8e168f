//! Deliberate rule breakages, for proving that the OneChat suite catches broken servers.
//!
//! Each breakage violates one rule of seed 004 (NOTES.md). They take effect only in builds
//! with the `breakage` feature (the harness's self-tests); a normal build ignores them.

use serde::{Deserialize, Serialize};

/// One rule to break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Breakage {
    /// A mass broadcast also reaches the users of every other domain ("mass broadcast to
    /// every user in the specific domain", NOTES.md O7).
    BroadcastBeyondDomain,
    /// A group alert misses the group's last member ("send message to a particular group",
    /// NOTES.md O8).
    GroupAlertSkipsLastMember,
    /// authenticateUser accepts an active session of any user for any jid ("Authenticate
    /// user session ID", NOTES.md O12).
    AnySessionAuthenticates,
}

impl Breakage {
    /// Every breakage.
    pub const ALL: [Breakage; 3] = [
        Breakage::BroadcastBeyondDomain,
        Breakage::GroupAlertSkipsLastMember,
        Breakage::AnySessionAuthenticates,
    ];
}

impl super::store::Store {
    /// Whether `b` is in force: only in builds with the `breakage` feature.
    pub fn broken(&self, b: Breakage) -> bool {
        cfg!(feature = "breakage") && self.breakage.contains(&b)
    }
}
