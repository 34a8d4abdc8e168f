//! One rule broken at a time, for every rule a breakage switch of the Unichat, connectnow,
//! SAMA and OneChat mocks can break: the suite must fail at least one scenario, and every failure must name
//! that rule (`rules: ...` in its message: the scenario's own `@rule` tags, or the rule a
//! fence or a notification's schema rests on), never only a neighbour's.
//!
//! The rules proven here are the "proven to fail" figures of the README, which
//! `readme_figures_are_measured` keeps in step with the rule index.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use chatspec::outcome::{Outcome, RunRecord};
use chatspec_mocks::{connectnow, onechat, sama, unichat};
use common::{
    not_passed, run_api_strict, sama_target, start_connectnow, start_onechat, start_sama, start_unichat,
    target_for,
};

/// Asserts the run failed on at least one scenario and every failure names `rule`; a
/// scenario whose set-up found `rule` broken is blocked by it, not failed.
fn assert_names_rule(record: &RunRecord, rule: &str) {
    let failed: Vec<_> = record.scenarios.iter().filter(|s| s.outcome != Outcome::Pass).collect();
    assert!(failed.iter().any(|s| s.outcome == Outcome::Fail), "breaking {rule} failed no scenario");
    for s in failed {
        if s.outcome == Outcome::Blocked {
            assert_eq!(s.blocked_by.as_deref(), Some(rule), "{}: {:?}", s.id, not_passed(record));
        } else {
            assert_eq!(s.outcome, Outcome::Fail, "{}: {:?}", s.id, not_passed(record));
        }
        let message = s.failure.as_ref().map(|f| f.message.clone()).unwrap_or_default();
        let named = message
            .lines()
            .filter_map(|l| l.strip_prefix("rules: "))
            .any(|ids| ids.split([',', ' ']).any(|id| id == rule));
        assert!(named, "breaking {rule}, {} failed naming another rule:\n{message}", s.id);
    }
}

async fn unichat_broken(b: unichat::Breakage, areas: &[&str]) {
    let mock = start_unichat(&[b]).await;
    let target = target_for("unichat", &mock.base_url, &format!("broken: {b:?}"));
    let record = run_api_strict("unichat", target, areas, true).await;
    assert_names_rule(&record, b.rule());
}

async fn connectnow_broken(b: connectnow::Breakage, areas: &[&str]) {
    let mock = start_connectnow(&[b]).await;
    let target = target_for("connectnow", &mock.base_url, &format!("broken: {b:?}"));
    let record = run_api_strict("connectnow", target, areas, true).await;
    assert_names_rule(&record, b.rule());
}

async fn sama_broken(b: sama::Breakage, areas: &[&str]) {
    let mock = start_sama(&[b]).await;
    let target = sama_target(&mock.base_url, &format!("broken: {b:?}"));
    let record = run_api_strict("sama", target, areas, true).await;
    assert_names_rule(&record, b.rule());
}

async fn onechat_broken(b: onechat::Breakage, areas: &[&str]) {
    let mock = start_onechat(&[b]).await;
    let mut target = target_for("onechat", &mock.base_url, &format!("broken: {b:?}"));
    // Pages in headless Chromium need the unscaled waits; what never comes still ends in them.
    target.timeout_factor = 1.0;
    let record = run_api_strict("onechat", target, areas, true).await;
    let impossible: Vec<&str> = record.scenarios.iter().filter_map(|s| s.impossible.as_deref()).collect();
    assert!(impossible.is_empty(), "the library cases need Chromium (.ci/run installs it): {impossible:?}");
    assert_names_rule(&record, b.rule());
}

macro_rules! unichat_rule {
    ($name:ident, $b:expr, $areas:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            unichat_broken($b, &$areas).await;
        }
    };
}

macro_rules! connectnow_rule {
    ($name:ident, $b:expr, $areas:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            connectnow_broken($b, &$areas).await;
        }
    };
}

mod unichat_rules {
    use super::unichat_broken;
    use chatspec_mocks::unichat::Breakage;

    unichat_rule!(u_invitees_writers, Breakage::InviteesAsReaders, ["rooms"]);
    unichat_rule!(u_poster_notified, Breakage::NoNotificationToPoster, ["messages"]);
    unichat_rule!(u_notifications_on_time, Breakage::LateNotifications, ["messages"]);
    unichat_rule!(u_no_leak_to_outsiders, Breakage::LeakToOutsiders, ["messages", "authorization"]);
    unichat_rule!(u_uid_idempotent, Breakage::DuplicateOnRetry, ["uid"]);
    unichat_rule!(u_edit_serial, Breakage::SerialNotRaisedOnEdit, ["serial"]);
    unichat_rule!(u_edit_window, Breakage::EditWindowIgnored, ["editing"]);
    unichat_rule!(u_deleted_short, Breakage::DeletedKeepsText, ["deleting"]);
    unichat_rule!(u_mention_no_sub_notification, Breakage::MentionNotifiesSubscription, ["subscriptions"]);
    unichat_rule!(u_leave_message, Breakage::NoLeaveMessage, ["leaving"]);
    unichat_rule!(u_owner_always, Breakage::NoOwnerHandoff, ["leaving"]);
    unichat_rule!(u_read_access, Breakage::ReadAnyGroup, ["authorization", "messages"]);
    unichat_rule!(u_checksum, Breakage::ChecksumIgnored, ["attachments"]);
    unichat_rule!(u_ready_once, Breakage::ReadyTwice, ["sse"]);
    unichat_rule!(u_content_type, Breakage::TextPlainReplies, ["endpoint"]);
    unichat_rule!(u_leave_from, Breakage::LeaveMessageFromOther, ["leaving"]);
    unichat_rule!(u_uid_per_user, Breakage::UidAcrossUsers, ["uid"]);
    unichat_rule!(u_tags_private, Breakage::LeakPrivateFields, ["subscriptions"]);
    unichat_rule!(u_draft_clear, Breakage::DraftNotCleared, ["subscriptions"]);
    unichat_rule!(u_text_required, Breakage::TextOptional, ["messages"]);
    unichat_rule!(u_attachment_filename, Breakage::FilenameIgnored, ["messages"]);
    unichat_rule!(u_task_ids_empty, Breakage::TaskIdsEmptyKeeps, ["editing"]);
    unichat_rule!(u_mute_null, Breakage::MuteNullClears, ["subscriptions"]);
    unichat_rule!(u_handoff_oldest_admin, Breakage::HandoffToYoungestAdmin, ["leaving"]);
    unichat_rule!(u_forward_must_exist, Breakage::ForwardUnchecked, ["messages"]);
    unichat_rule!(u_links_only_if_set, Breakage::NullLinks, ["messages", "editing"]);
    unichat_rule!(u_attachment_byte_size, Breakage::ByteSizeOfBase64, ["messages"]);
    unichat_rule!(u_mentions_in_notification, Breakage::MentionsNotNotified, ["subscriptions"]);
    unichat_rule!(u_uid_guid, Breakage::GuidUidRefused, ["uid"]);
    unichat_rule!(u_room_name_any_string, Breakage::RoomNameAsciiOnly, ["rooms"]);
    unichat_rule!(u_invite_own_subscription, Breakage::InviteThroughAnySubscription, ["invites"]);
    unichat_rule!(u_invite_message_notification, Breakage::InviteMessageUnnotified, ["invites", "rooms"]);
    unichat_rule!(u_mute_client_only, Breakage::MuteSilences, ["subscriptions"]);
    unichat_rule!(u_edit_text_null, Breakage::NullTextClears, ["editing"]);
    unichat_rule!(u_edit_attachment_data_url, Breakage::EditAttachmentUnchecked, ["editing"]);
    unichat_rule!(u_edit_attachment_null, Breakage::EditDropsAttachment, ["editing"]);
    unichat_rule!(u_edit_reply_not_settable, Breakage::EditSetsReply, ["editing"]);
    unichat_rule!(u_edit_task_ids, Breakage::EditTaskIdsIgnored, ["editing"]);
    unichat_rule!(u_async_chunk_id_required, Breakage::AsyncChunkIdOptional, ["attachments"]);
    unichat_rule!(u_chunks_file_name, Breakage::UploadFileNameIgnored, ["attachments"]);
    unichat_rule!(u_chunks_content_type, Breakage::UploadContentTypeIgnored, ["attachments"]);
    unichat_rule!(u_chunks_upload_id_array, Breakage::OnlyFirstUpload, ["attachments"]);
    unichat_rule!(u_upload_id_empty, Breakage::EmptyUploadIdAttachesAll, ["attachments"]);
    unichat_rule!(u_upload_id_forms, Breakage::NumberUploadIdRefused, ["attachments"]);
    unichat_rule!(u_load_defaults, Breakage::NoDefaultLimit, ["serial"]);
    // A notification that breaks its schema fails as its own rule, wherever a scenario waits.
    unichat_rule!(
        u_notification_shape,
        Breakage::NotificationIdAsText,
        ["rooms", "messages", "editing", "deleting", "subscriptions", "leaving"]
    );
    // Every "receives no notification" check fences on this rule: a broken fence fails as itself.
    unichat_rule!(
        u_fence_rule,
        Breakage::NoCreatorSubNotification,
        ["rooms", "messages", "authorization", "subscriptions", "uid", "sse"]
    );
}

mod connectnow_rules {
    use super::connectnow_broken;
    use chatspec_mocks::connectnow::Breakage;

    connectnow_rule!(c_codes_once, Breakage::ReusableCodes, ["tokens"]);
    connectnow_rule!(c_codes_expire, Breakage::CodesNeverExpire, ["tokens"]);
    connectnow_rule!(c_cascade, Breakage::NoCascadeOnChatDelete, ["chats"]);
    connectnow_rule!(c_token_scoped, Breakage::ChatUserTokenInAnyChat, ["scoping"]);
    connectnow_rule!(c_ids_tie_records, Breakage::ListedAuthorWrong, ["chat_messages"]);
    connectnow_rule!(c_first_page_url, Breakage::FirstPageUrlWrong, ["pagination"]);
    connectnow_rule!(c_path, Breakage::PathWithQuery, ["pagination"]);
    connectnow_rule!(c_created_201, Breakage::CreateAnswers200, ["companies", "chats"]);
    connectnow_rule!(c_auth_code_emailed, Breakage::CodesNotEmailed, ["tokens"]);
}

macro_rules! sama_rule {
    ($name:ident, $b:expr, $areas:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            sama_broken($b, &$areas).await;
        }
    };
}

mod sama_rules {
    use super::sama_broken;
    use chatspec_mocks::sama::Breakage;

    sama_rule!(s_delivery_skips, Breakage::MessageSkipsLastParticipant, ["messages"]);
    sama_rule!(s_delivery_leaks, Breakage::MessageLeaksToOutsiders, ["messages", "blocking"]);
    sama_rule!(s_ack_same_time, Breakage::AckTimeNotStored, ["messages", "system"]);
    sama_rule!(s_user_search, Breakage::UserSearchWithoutIds, ["users"]);
    sama_rule!(s_message_read, Breakage::DropOnMessageRead, ["reading"]);
    sama_rule!(s_ack, Breakage::AckAsAsk, ["messages", "system"]);
    sama_rule!(s_last_activity_values, Breakage::OnlineAsZero, ["activity"]);
    sama_rule!(s_op_log_list, Breakage::OpLogInPacket, ["offline"]);
    sama_rule!(s_get_file_urls, Breakage::FileUrlsByObjectId, ["files"]);
    sama_rule!(s_user_search_filters, Breakage::UserSearchFiltersIgnored, ["users"]);
    sama_rule!(s_contact_matched_phone, Breakage::PhonesNeverMatched, ["contacts"]);
    sama_rule!(s_contact_list_filters, Breakage::ContactListFiltersIgnored, ["contacts"]);
    sama_rule!(s_contact_delete_id, Breakage::ContactDeleteIdOptional, ["contacts"]);
    sama_rule!(s_conversation_list_limit, Breakage::ConversationListLimitIgnored, ["conversations"]);
    sama_rule!(s_conversation_search_filters, Breakage::ConversationSearchFiltersIgnored, ["conversations"]);
    sama_rule!(s_participant_body, Breakage::ParticipantBodyNamesActor, ["membership", "users"]);
    sama_rule!(s_left_native_id, Breakage::LeftWithoutNativeId, ["membership", "users"]);
    sama_rule!(s_delete_multiple, Breakage::DeleteOnlyFirstId, ["edits"]);
    // Set-up steps rest on these: scenarios of other rules are blocked by them.
    sama_rule!(s_user_create, Breakage::SignUpRefused, ["users"]);
    sama_rule!(s_login_password, Breakage::PasswordLoginRefused, ["auth", "messages"]);
}

macro_rules! onechat_rule {
    ($name:ident, $b:expr, $areas:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            onechat_broken($b, &$areas).await;
        }
    };
}

mod onechat_rules {
    use super::onechat_broken;
    use chatspec_mocks::onechat::Breakage;

    onechat_rule!(o_broadcast_beyond_domain, Breakage::BroadcastBeyondDomain, ["broadcast", "relay"]);
    onechat_rule!(
        o_group_alert_skips_last_member,
        Breakage::GroupAlertSkipsLastMember,
        ["relay", "broadcast"]
    );
    onechat_rule!(o_any_session_authenticates, Breakage::AnySessionAuthenticates, ["miniapps"]);
    onechat_rule!(o_single_alert_without_message, Breakage::SingleAlertWithoutMessage, ["relay", "endpoint"]);
    onechat_rule!(o_group_alert_without_jid, Breakage::GroupAlertWithoutJid, ["relay", "endpoint"]);
    onechat_rule!(o_group_alert_without_message, Breakage::GroupAlertWithoutMessage, ["relay", "endpoint"]);
    onechat_rule!(o_group_alert_without_apikey, Breakage::GroupAlertWithoutApikey, ["relay", "endpoint"]);
    onechat_rule!(o_message_of_any_type, Breakage::MessageOfAnyType, ["endpoint", "relay"]);
    // Every scenario's set-up rests on it: scenarios of other rules are blocked by it.
    onechat_rule!(o_user_jid_outside_domain, Breakage::UserJidOutsideDomain, ["broadcast", "relay"]);
    // The browser libraries, in headless Chromium.
    onechat_rule!(o_wrong_password_connects, Breakage::WrongPasswordConnects, ["chat_plugin"]);
    onechat_rule!(o_subscribers_miss_ready, Breakage::SubscribersMissReady, ["chat_plugin"]);
    onechat_rule!(o_unsubscribe_keeps_callback, Breakage::UnsubscribeKeepsCallback, ["chat_plugin"]);
    onechat_rule!(o_group_leaves_creator_out, Breakage::GroupLeavesCreatorOut, ["chat_plugin"]);
    onechat_rule!(o_page_session_unknown, Breakage::PageSessionUnknown, ["mini_app_library"]);
    onechat_rule!(o_v_card_as_object, Breakage::VCardAsObject, ["mini_app_library"]);
    onechat_rule!(
        o_device_info_without_screen_size,
        Breakage::DeviceInfoWithoutScreenSize,
        ["mini_app_library"]
    );
    onechat_rule!(o_selector_ignores_max, Breakage::SelectorIgnoresMax, ["mini_app_library"]);
    onechat_rule!(o_selector_cancel_silent, Breakage::SelectorCancelSilent, ["mini_app_library"]);
    onechat_rule!(
        o_single_relay_skips_last_recipient,
        Breakage::SingleRelaySkipsLastRecipient,
        ["mini_app_library"]
    );
    onechat_rule!(o_new_group_jid_withheld, Breakage::NewGroupJidWithheld, ["mini_app_library"]);
    onechat_rule!(o_init_ignores_container, Breakage::InitIgnoresContainer, ["chat_plugin"]);
    onechat_rule!(o_logout_keeps_status, Breakage::LogoutKeepsStatus, ["chat_plugin"]);
    onechat_rule!(o_version_missing, Breakage::VersionMissing, ["chat_plugin"]);
    onechat_rule!(o_build_date_missing, Breakage::BuildDateMissing, ["chat_plugin"]);
}

#[test]
fn every_breakage_is_proven_here() {
    common::assert_every_breakage_tested(include_str!("broken_rules.rs"), unichat::Breakage::ALL);
    common::assert_every_breakage_tested(include_str!("broken_rules.rs"), connectnow::Breakage::ALL);
    common::assert_every_breakage_tested(include_str!("broken_rules.rs"), sama::Breakage::ALL);
    common::assert_every_breakage_tested(include_str!("broken_rules.rs"), onechat::Breakage::ALL);
}

/// The README's figures line for `api`: rules, rules with a scenario, rules proven to fail.
fn figures_line(api: &str, proven: &BTreeSet<&str>) -> String {
    let dir = chatspec::suites::embedded_dir().expect("the embedded suites");
    let entries = chatspec::suites::catalog(&dir).expect("the suites parse");
    let index = chatspec::suites::rule_index(api, &entries).expect("an index that parses");
    for id in proven {
        assert!(index.rule(id).is_some(), "a breakage names the rule {id}, which {api}'s index lacks");
    }
    let f = index.figures();
    format!("| {api} | {} | {} | {} |", f.rules, f.with_scenario, proven.len())
}

#[test]
fn readme_figures_are_measured() {
    let readme = include_str!("../../README.md");
    let unichat: BTreeSet<&str> = unichat::Breakage::ALL.iter().map(|b| b.rule()).collect();
    let connectnow: BTreeSet<&str> = connectnow::Breakage::ALL.iter().map(|b| b.rule()).collect();
    let sama: BTreeSet<&str> = sama::Breakage::ALL.iter().map(|b| b.rule()).collect();
    let onechat: BTreeSet<&str> = onechat::Breakage::ALL.iter().map(|b| b.rule()).collect();
    for line in [
        figures_line("unichat", &unichat),
        figures_line("connectnow", &connectnow),
        figures_line("sama", &sama),
        figures_line("onechat", &onechat),
    ] {
        assert!(readme.contains(&line), "README.md should carry the measured figures line:\n{line}");
    }
}
