//! Deliberate rule breakages, for proving that the conformance suite catches broken SAMA
//! servers, and copies of the known deviations of the public open-source server (register
//! `specs/src/sama/NOTES.md`), for proving that a profile declaring them gets expected
//! failures.
//!
//! They take effect only in builds with the `breakage` feature (the harness's self-tests); a
//! normal build ignores them.

use serde::{Deserialize, Serialize};

/// One rule to break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Breakage {
    /// A message skips the participant who joined last ("All conversation's participants who
    /// is online will receive the following message").
    MessageSkipsLastParticipant,
    /// Messages also go to every online user outside the conversation.
    MessageLeaksToOutsiders,
    /// The ack's `t` is a second after the stored message's ("timestamp at which the message
    /// was stored in DB so both sender & recipient will have same date sent time stored").
    AckTimeNotStored,
    /// `user_search` answers users without their `_id`: a malformed reply.
    UserSearchWithoutIds,
    /// The server drops the socket when a `message_read` request comes, without a reply.
    DropOnMessageRead,
    /// The public server's ack under the key `ask` (S40).
    AckAsAsk,
    /// The public server's `0` for an online user's last activity (S55).
    OnlineAsZero,
    /// The public server's `op_log_list` reply wrapped in `packet` (S58).
    OpLogInPacket,
    /// The public server's `get_file_urls` keyed by a storage object id (S60).
    FileUrlsByObjectId,
}

impl Breakage {
    /// Every breakage.
    pub const ALL: [Breakage; 9] = [
        Breakage::MessageSkipsLastParticipant,
        Breakage::MessageLeaksToOutsiders,
        Breakage::AckTimeNotStored,
        Breakage::UserSearchWithoutIds,
        Breakage::DropOnMessageRead,
        Breakage::AckAsAsk,
        Breakage::OnlineAsZero,
        Breakage::OpLogInPacket,
        Breakage::FileUrlsByObjectId,
    ];
}

impl super::store::Config {
    /// Whether `b` is in force: only in builds with the `breakage` feature.
    pub fn broken(&self, b: Breakage) -> bool {
        cfg!(feature = "breakage") && self.breakage.contains(&b)
    }
}
