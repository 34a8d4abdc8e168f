//! Deliberate rule breakages, for proving that the conformance suite catches broken servers.
//!
//! Each breakage violates one documented rule. They take effect only in builds with the
//! `breakage` feature (the harness's self-tests); a normal build ignores them.

use serde::{Deserialize, Serialize};

/// One rule to break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Breakage {
    /// Invitees of a new room become readers ("all invited users will get write permissions").
    InviteesAsReaders,
    /// The poster gets no notification of its own message ("the postin user will also
    /// receive it").
    NoNotificationToPoster,
    /// Notifications arrive two seconds late.
    LateNotifications,
    /// Message notifications also go to users outside the group.
    LeakToOutsiders,
    /// A retried uid makes a new message ("no duplication will happen").
    DuplicateOnRetry,
    /// An edit keeps the old serial ("its serial field gets some new value, which is
    /// guaranteed to be bigger").
    SerialNotRaisedOnEdit,
    /// Edits are accepted after the edit window.
    EditWindowIgnored,
    /// The deleted record keeps its text ("it has no text ... fields").
    DeletedKeepsText,
    /// A mention sends a subscription change notification ("will not trigger subscription
    /// change notification").
    MentionNotifiesSubscription,
    /// Leaving posts no `leave` system message.
    NoLeaveMessage,
    /// Nobody takes over when the owner leaves.
    NoOwnerHandoff,
    /// Anyone may load any group's messages.
    ReadAnyGroup,
    /// A complete upload is accepted whatever its CRC32.
    ChecksumIgnored,
}

impl Breakage {
    /// Every breakage.
    pub const ALL: [Breakage; 13] = [
        Breakage::InviteesAsReaders,
        Breakage::NoNotificationToPoster,
        Breakage::LateNotifications,
        Breakage::LeakToOutsiders,
        Breakage::DuplicateOnRetry,
        Breakage::SerialNotRaisedOnEdit,
        Breakage::EditWindowIgnored,
        Breakage::DeletedKeepsText,
        Breakage::MentionNotifiesSubscription,
        Breakage::NoLeaveMessage,
        Breakage::NoOwnerHandoff,
        Breakage::ReadAnyGroup,
        Breakage::ChecksumIgnored,
    ];
}

impl super::store::Config {
    /// Whether `b` is in force: only in builds with the `breakage` feature.
    pub fn broken(&self, b: Breakage) -> bool {
        cfg!(feature = "breakage") && self.breakage.contains(&b)
    }
}
