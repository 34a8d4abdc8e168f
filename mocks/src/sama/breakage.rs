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
    /// `user_search` ignores `limit` and `updated_at` ("limit: 100, updated_at: { gt:
    /// timestamp_in_ms").
    UserSearchFiltersIgnored,
    /// A contact's phone never names the user who has it (`{ type: "home", value: "...",
    /// matched_user_id: "uId7" }`).
    PhonesNeverMatched,
    /// `contact_list` ignores `limit` and `updated_at` (`updated_at: "", limit: 56`).
    ContactListFiltersIgnored,
    /// `contact_delete` without an id succeeds and deletes nothing ("A id param is required.").
    ContactDeleteIdOptional,
    /// `conversation_list` ignores `limit` (`limit: 67`).
    ConversationListLimitIgnored,
    /// `conversation_search` ignores `limit` and `updated_at` (`limit: 100, updated_at: { gt:
    /// timestamp_in_ms`).
    ConversationSearchFiltersIgnored,
    /// A participant message's body names the user who made the change, not the user added,
    /// removed or leaving (`body: "Ivan Ivanovich has been added to the group"`).
    ParticipantBodyNamesActor,
    /// The user of a `left_participants` message comes without `native_id` (`user: {
    /// native_id: "646e2092d80fe5c4e688dfa0", _id: ...`).
    LeftWithoutNativeId,
    /// `message_delete` deletes only the first of its ids ("Delete multiple messages in
    /// conversation.").
    DeleteOnlyFirstId,
    /// `user_create` refuses every new login as taken (`user_create: { login: "user_1",
    /// password: "user_paswword_1"`): nobody can sign up.
    SignUpRefused,
    /// `POST /login` refuses the right password as a wrong one (`login: "login_u1",
    /// password: "u1_password", device_id: "device_u1"`).
    PasswordLoginRefused,
}

impl Breakage {
    /// Every breakage.
    pub const ALL: [Breakage; 20] = [
        Breakage::MessageSkipsLastParticipant,
        Breakage::MessageLeaksToOutsiders,
        Breakage::AckTimeNotStored,
        Breakage::UserSearchWithoutIds,
        Breakage::DropOnMessageRead,
        Breakage::AckAsAsk,
        Breakage::OnlineAsZero,
        Breakage::OpLogInPacket,
        Breakage::FileUrlsByObjectId,
        Breakage::UserSearchFiltersIgnored,
        Breakage::PhonesNeverMatched,
        Breakage::ContactListFiltersIgnored,
        Breakage::ContactDeleteIdOptional,
        Breakage::ConversationListLimitIgnored,
        Breakage::ConversationSearchFiltersIgnored,
        Breakage::ParticipantBodyNamesActor,
        Breakage::LeftWithoutNativeId,
        Breakage::DeleteOnlyFirstId,
        Breakage::SignUpRefused,
        Breakage::PasswordLoginRefused,
    ];

    /// The id of the rule (in `specs/src/sama/rules/`) the breakage breaks: the suite's
    /// failures must name it.
    pub fn rule(self) -> &'static str {
        match self {
            Breakage::MessageSkipsLastParticipant | Breakage::MessageLeaksToOutsiders => "S-message-delivery",
            Breakage::AckTimeNotStored => "S-ack-same-time",
            Breakage::UserSearchWithoutIds => "S-user-search",
            Breakage::DropOnMessageRead => "S-message-read",
            Breakage::AckAsAsk => "S-ack",
            Breakage::OnlineAsZero => "S-last-activity-values",
            Breakage::OpLogInPacket => "S-op-log-list",
            Breakage::FileUrlsByObjectId => "S-get-file-urls",
            Breakage::UserSearchFiltersIgnored => "S-user-search-filters",
            Breakage::PhonesNeverMatched => "S-contact-matched-phone",
            Breakage::ContactListFiltersIgnored => "S-contact-list-filters",
            Breakage::ContactDeleteIdOptional => "S-contact-delete-id-required",
            Breakage::ConversationListLimitIgnored => "S-conversation-list-limit",
            Breakage::ConversationSearchFiltersIgnored => "S-conversation-search-filters",
            Breakage::ParticipantBodyNamesActor => "S-participant-message-body",
            Breakage::LeftWithoutNativeId => "S-left-participants-native-id",
            Breakage::DeleteOnlyFirstId => "S-message-delete-multiple",
            Breakage::SignUpRefused => "S-user-create",
            Breakage::PasswordLoginRefused => "S-login-password",
        }
    }
}

impl super::store::Config {
    /// Whether `b` is in force: only in builds with the `breakage` feature.
    pub fn broken(&self, b: Breakage) -> bool {
        cfg!(feature = "breakage") && self.breakage.contains(&b)
    }
}
