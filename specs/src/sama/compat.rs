//! What the public open-source SAMA server 0.36 does where it differs from seed 003, or where
//! the seed is silent and it chose otherwise than the reference mock: one definition used two
//! ways (DESIGN.md, "Deviations and compatibility").
//!
//! - `chatspec serve sama --compat sama-server-0.36` turns every switch on; `--compat NAME`
//!   turns one on (repeatable), so a client written for that server runs against the mock.
//! - A target profile declares the [`SwitchKind::Deviation`]s its server has
//!   (`[sama] deviations = [...]`); the harness then adapts at the one check each concerns and
//!   grades the scenario "passed with declared deviation". A [`SwitchKind::Behaviour`] needs no
//!   declaration: the seed is silent there, so the harness accepts it anyway (a register
//!   reading at most).
//!
//! Each switch names the register entry (`NOTES.md`) that records it.

use std::collections::BTreeSet;

/// The name of the preset that turns every switch on.
pub const PRESET: &str = "sama-server-0.36";

/// Whether a switch breaks the document or only differs from the mock's reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwitchKind {
    /// Breaks a sentence of seed 003: a profile must declare it, or its check fails.
    Deviation,
    /// The seed is silent (or shows no example) and the server chose another reading: the
    /// harness accepts it without a declaration.
    Behaviour,
}

/// One way the public server behaves, reproducible by the mock and declarable by a profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Switch {
    // ---- behaviours where the seed is silent ------------------------------------------
    /// Errors come as a string: `{"response": {"id", "error": "Can't block self user"}}`, and
    /// over HTTP as `422 text/plain` (S10).
    ErrorsAsStrings,
    /// A refused `message`/`system_message`/`typing` packet is answered under the packet's own
    /// key with no id: `{"message": {"error": {"status", "message"}}}` (S12).
    PacketErrorsWithoutId,
    /// Requests are routed on the first key of `request`, so `{"request": {"id", "<name>"}}`
    /// is refused (S1).
    RoutesOnFirstKey,
    /// Fields the server does not know are refused (`"first_name" is not allowed`) (S15).
    RefusesUnknownFields,
    /// Events to other participants leave after the reply to the request that caused them
    /// (S14).
    EventsAfterReply,
    /// List orders the seed does not state differ: blocked users newest first,
    /// `conversation_list` oldest first (S36, S61).
    OtherListOrders,
    /// Other error statuses where the seed gives none (400 for malformed requests, 404 for
    /// rights) (S10).
    OtherErrorStatuses,
    /// A third participant added to a private conversation is ignored (participants
    /// unchanged), not refused (S31).
    PrivateAddIgnored,
    /// Access tokens are JWTs (`header.payload.signature`, base64url) whose payload carries
    /// `_id`, `native_id`, `login` and `type`; the seed shows `access_token: "..."` (S5).
    JwtAccessTokens,
    /// `POST /logout` without the refresh-token cookie is refused: "if you do not pass an
    /// actual refresh_token in the http request credentials, then use hard session cleanup
    /// using a web socket request" (S9).
    LogoutNeedsRefreshCookie,
    /// `push_subscription_list` needs the `user_id` its example shows (S53).
    SubscriptionListNeedsUserId,
    /// A phone number (`user_create`, `user_edit`) has at most 15 characters (S15, S17).
    PhoneAtMost15,

    // ---- deviations from the document -------------------------------------------------
    /// The ack comes under the key `ask`; a system message's ack has no `server_mid` (S40).
    AckAsAsk,
    /// `last_activity` reports an online user as `0`, not `"online"` (S55).
    OnlineAsZero,
    /// `get_file_urls` refuses the `_id` that `create_files` returned and answers a map keyed
    /// by an undocumented `object_id` (S60).
    FileUrlsByObjectId,
    /// `op_log_list` answers `{packet: {logs}}` with each log's packet a JSON string (S58).
    OpLogInPacket,
    /// Edits and deletions are never written to the op log (S49, S58).
    OpLogSkipsEdits,
    /// `op_log_list` without `gt` or `lt` is not refused (S58).
    OpLogWithoutRange,
    /// `user_create` needs `email` and `organization_id`, which the seed never mentions (S15).
    SignUpNeedsOrganization,
    /// `user_login` by token also needs `organization_id` and `device_id` (S8).
    TokenLoginNeedsOrganization,
    /// `POST /login` reads `device_id` from the body only, never from the header (S4).
    LoginDeviceIdInBodyOnly,
    /// A contact batch silently drops contacts with neither e-mail nor phone (S22).
    BatchDropsIncompleteContacts,
    /// Conversation objects and their events carry no `participants` (S28).
    ConversationsWithoutParticipants,
    /// A private conversation with two other users is created (S27).
    PrivateWithTwoOthers,
    /// `conversation_search` answers bare ids, not `{_id, name}` (S38).
    SearchAnswersBareIds,
    /// Edits and deletions made while a participant is offline are never delivered to them
    /// (S49).
    OfflineEditsLost,
    /// `push_event_create` answers `user_ids` for `recipients_ids`, with `message` in base64
    /// (S54).
    PushEventUserIdsBase64,
    /// `message_read` is sent again for messages already read (S46).
    ReadReceiptsRepeated,
    /// `contact_list` refuses `ids` (S24).
    ContactListRefusesIds,
}

impl Switch {
    /// Every switch: the behaviours, then the deviations, in the order above.
    pub const ALL: [Switch; 29] = [
        Switch::ErrorsAsStrings,
        Switch::PacketErrorsWithoutId,
        Switch::RoutesOnFirstKey,
        Switch::RefusesUnknownFields,
        Switch::EventsAfterReply,
        Switch::OtherListOrders,
        Switch::OtherErrorStatuses,
        Switch::PrivateAddIgnored,
        Switch::JwtAccessTokens,
        Switch::LogoutNeedsRefreshCookie,
        Switch::SubscriptionListNeedsUserId,
        Switch::PhoneAtMost15,
        Switch::AckAsAsk,
        Switch::OnlineAsZero,
        Switch::FileUrlsByObjectId,
        Switch::OpLogInPacket,
        Switch::OpLogSkipsEdits,
        Switch::OpLogWithoutRange,
        Switch::SignUpNeedsOrganization,
        Switch::TokenLoginNeedsOrganization,
        Switch::LoginDeviceIdInBodyOnly,
        Switch::BatchDropsIncompleteContacts,
        Switch::ConversationsWithoutParticipants,
        Switch::PrivateWithTwoOthers,
        Switch::SearchAnswersBareIds,
        Switch::OfflineEditsLost,
        Switch::PushEventUserIdsBase64,
        Switch::ReadReceiptsRepeated,
        Switch::ContactListRefusesIds,
    ];

    /// The name used by `--compat` and by a profile's `deviations`.
    pub fn name(self) -> &'static str {
        match self {
            Switch::ErrorsAsStrings => "errors_as_strings",
            Switch::PacketErrorsWithoutId => "packet_errors_without_id",
            Switch::RoutesOnFirstKey => "routes_on_first_key",
            Switch::RefusesUnknownFields => "refuses_unknown_fields",
            Switch::EventsAfterReply => "events_after_reply",
            Switch::OtherListOrders => "other_list_orders",
            Switch::OtherErrorStatuses => "other_error_statuses",
            Switch::PrivateAddIgnored => "private_add_ignored",
            Switch::JwtAccessTokens => "jwt_access_tokens",
            Switch::LogoutNeedsRefreshCookie => "logout_needs_refresh_cookie",
            Switch::SubscriptionListNeedsUserId => "subscription_list_needs_user_id",
            Switch::PhoneAtMost15 => "phone_at_most_15",
            Switch::AckAsAsk => "ack_as_ask",
            Switch::OnlineAsZero => "online_as_zero",
            Switch::FileUrlsByObjectId => "file_urls_by_object_id",
            Switch::OpLogInPacket => "op_log_in_packet",
            Switch::OpLogSkipsEdits => "op_log_skips_edits",
            Switch::OpLogWithoutRange => "op_log_without_range",
            Switch::SignUpNeedsOrganization => "sign_up_needs_organization",
            Switch::TokenLoginNeedsOrganization => "token_login_needs_organization",
            Switch::LoginDeviceIdInBodyOnly => "login_device_id_in_body_only",
            Switch::BatchDropsIncompleteContacts => "batch_drops_incomplete_contacts",
            Switch::ConversationsWithoutParticipants => "conversations_without_participants",
            Switch::PrivateWithTwoOthers => "private_with_two_others",
            Switch::SearchAnswersBareIds => "search_answers_bare_ids",
            Switch::OfflineEditsLost => "offline_edits_lost",
            Switch::PushEventUserIdsBase64 => "push_event_user_ids_base64",
            Switch::ReadReceiptsRepeated => "read_receipts_repeated",
            Switch::ContactListRefusesIds => "contact_list_refuses_ids",
        }
    }

    /// The switch a name stands for.
    pub fn parse(name: &str) -> Option<Switch> {
        Switch::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Whether it breaks the document or is a reading of a silent one.
    pub fn kind(self) -> SwitchKind {
        match self {
            Switch::ErrorsAsStrings
            | Switch::PacketErrorsWithoutId
            | Switch::RoutesOnFirstKey
            | Switch::RefusesUnknownFields
            | Switch::EventsAfterReply
            | Switch::OtherListOrders
            | Switch::OtherErrorStatuses
            | Switch::PrivateAddIgnored
            | Switch::JwtAccessTokens
            | Switch::LogoutNeedsRefreshCookie
            | Switch::SubscriptionListNeedsUserId
            | Switch::PhoneAtMost15 => SwitchKind::Behaviour,
            _ => SwitchKind::Deviation,
        }
    }

    /// The register entry that records it (`specs/src/sama/NOTES.md`).
    pub fn entry(self) -> &'static str {
        match self {
            Switch::ErrorsAsStrings | Switch::OtherErrorStatuses => "S10",
            Switch::PacketErrorsWithoutId => "S12",
            Switch::RoutesOnFirstKey => "S1",
            Switch::RefusesUnknownFields | Switch::SignUpNeedsOrganization => "S15",
            Switch::EventsAfterReply => "S14",
            Switch::OtherListOrders => "S36",
            Switch::PrivateAddIgnored => "S31",
            Switch::JwtAccessTokens => "S5",
            Switch::LogoutNeedsRefreshCookie => "S9",
            Switch::SubscriptionListNeedsUserId => "S53",
            Switch::PhoneAtMost15 => "S15",
            Switch::AckAsAsk => "S40",
            Switch::OnlineAsZero => "S55",
            Switch::FileUrlsByObjectId => "S60",
            Switch::OpLogInPacket | Switch::OpLogWithoutRange => "S58",
            Switch::OpLogSkipsEdits | Switch::OfflineEditsLost => "S49",
            Switch::TokenLoginNeedsOrganization => "S8",
            Switch::LoginDeviceIdInBodyOnly => "S4",
            Switch::BatchDropsIncompleteContacts => "S22",
            Switch::ConversationsWithoutParticipants => "S28",
            Switch::PrivateWithTwoOthers => "S27",
            Switch::SearchAnswersBareIds => "S38",
            Switch::PushEventUserIdsBase64 => "S54",
            Switch::ReadReceiptsRepeated => "S46",
            Switch::ContactListRefusesIds => "S24",
        }
    }

    /// Every switch of the [`PRESET`] (all of them), or the one `name` stands for.
    pub fn expand(name: &str) -> Option<Vec<Switch>> {
        if name == PRESET {
            return Some(Switch::ALL.to_vec());
        }
        Switch::parse(name).map(|s| vec![s])
    }

    /// Every name `--compat` takes: the [`PRESET`], then each switch in [`Switch::ALL`] order.
    pub fn known_names() -> Vec<&'static str> {
        std::iter::once(PRESET).chain(Switch::ALL.iter().map(|s| s.name())).collect()
    }

    /// The switches `names` stand for, each a switch name or the [`PRESET`]; an unknown name
    /// is refused with the list of known ones.
    pub fn parse_all<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<BTreeSet<Switch>, String> {
        let mut on = BTreeSet::new();
        for name in names {
            let Some(switches) = Switch::expand(name.trim()) else {
                return Err(format!(
                    "unknown compatibility switch {name:?}; known: {}",
                    Switch::known_names().join(", ")
                ));
            };
            on.extend(switches);
        }
        Ok(on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_switch_has_a_unique_name_and_an_entry() {
        let mut names: Vec<&str> = Switch::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Switch::ALL.len());
        for s in Switch::ALL {
            assert_eq!(Switch::parse(s.name()), Some(s));
            assert!(s.entry().starts_with('S'), "{s:?}");
        }
        assert_eq!(Switch::expand(PRESET).map(|v| v.len()), Some(Switch::ALL.len()));
        assert_eq!(Switch::expand("nope"), None);
    }

    #[test]
    fn a_list_of_names_is_read_whole_or_refused_with_the_known_ones() {
        let on = Switch::parse_all(["ack_as_ask", "online_as_zero", "ack_as_ask"]).unwrap();
        assert_eq!(on.into_iter().collect::<Vec<_>>(), vec![Switch::AckAsAsk, Switch::OnlineAsZero]);
        assert_eq!(Switch::parse_all([PRESET]).unwrap().len(), Switch::ALL.len());
        let e = Switch::parse_all(["ack_as_ask", "ack_as_akc"]).unwrap_err();
        assert!(e.contains("\"ack_as_akc\"") && e.contains(PRESET) && e.contains("jwt_access_tokens"), "{e}");
        assert_eq!(Switch::known_names().len(), Switch::ALL.len() + 1);
    }
}
