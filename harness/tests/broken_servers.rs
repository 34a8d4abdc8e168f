//! The harness must catch broken servers: each server here breaks one documented rule, and
//! the suite must fail exactly the scenarios for that rule, with a message that says what was
//! expected, what came back, and which documentation sentence it breaks.
//!
//! Stateful rules (uid, serials, notifications, owner hand-off, ...) are broken with the
//! mock's breakage switch; plain request/response breakage (a missing or mistyped field, a
//! wrong status, envelope or error code, a hanging or garbled reply) with wiremock in front of
//! the mock's own request handling.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chatspec_mocks::unichat::Breakage;
use common::{assert_caught, run, start_unichat, target};

async fn caught(b: Breakage, areas: &[&str], expected: &[&str], words: &[&str]) {
    let mock = start_unichat(&[b]).await;
    let record = run(target(&mock.base_url, &format!("broken: {b:?}")), areas).await;
    assert_caught(&record, expected, words);
}

macro_rules! broken {
    ($name:ident, $b:expr, $areas:expr, $expected:expr, $words:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            caught($b, &$areas, &$expected, &$words).await;
        }
    };
}

broken!(
    invitees_made_readers,
    Breakage::InviteesAsReaders,
    ["rooms"],
    ["unichat/rooms/the-creator-is-the-owner-and-an-admin-invitees-are-writers"],
    ["role"]
);

broken!(
    poster_not_notified,
    Breakage::NoNotificationToPoster,
    ["messages"],
    [
        "unichat/messages/every-member-is-notified-of-a-new-message-the-poster-included",
        "unichat/messages/the-poster-s-copy-of-the-notification-carries-the-uid",
    ],
    ["is notified"]
);

broken!(
    late_notifications,
    Breakage::LateNotifications,
    ["messages"],
    [
        "unichat/messages/every-member-is-notified-of-a-new-message-the-poster-included",
        "unichat/messages/posting-by-group-id-works-like-posting-by-subscription-id",
        "unichat/messages/the-poster-s-copy-of-the-notification-carries-the-uid",
    ],
    ["nothing matched within"]
);

broken!(
    messages_leak_to_outsiders,
    Breakage::LeakToOutsiders,
    ["authorization", "messages"],
    [
        "unichat/authorization/messages-of-other-groups-never-reach-an-outsider",
        "unichat/messages/every-member-is-notified-of-a-new-message-the-poster-included",
    ],
    ["is not notified"]
);

broken!(
    uid_retries_duplicate,
    Breakage::DuplicateOnRetry,
    ["uid"],
    [
        "unichat/uid/a-guid-is-accepted-as-uid-and-retried-like-any-uid",
        "unichat/uid/concurrent-retries-with-the-same-uid-yield-one-message",
        "unichat/uid/retrying-a-post-with-the-same-uid-returns-the-same-message",
    ],
    ["the proper message object"]
);

broken!(
    serial_not_raised_on_edit,
    Breakage::SerialNotRaisedOnEdit,
    ["serial"],
    [
        "unichat/serial/after-serial-returns-new-and-changed-messages-most-recent-last",
        "unichat/serial/an-edit-or-a-delete-raises-the-serial-above-every-serial-before-it",
    ],
    ["serial"]
);

broken!(
    edit_window_ignored,
    Breakage::EditWindowIgnored,
    ["editing"],
    [
        "unichat/editing/editing-does-not-prolong-the-edit-window",
        "unichat/editing/editing-is-refused-once-the-edit-window-has-passed",
    ],
    ["edit_window_expired"]
);

broken!(
    deleted_record_keeps_text,
    Breakage::DeletedKeepsText,
    ["deleting"],
    [
        "unichat/deleting/a-deleted-message-is-loaded-in-the-short-form",
        "unichat/deleting/deleting-returns-the-short-form-and-notifies-the-group",
        "unichat/deleting/deleting-twice-is-no-error-and-changes-nothing",
        "unichat/deleting/the-author-can-delete-at-any-time-even-after-the-edit-window",
    ],
    ["schema", "no text"]
);

broken!(
    mention_notifies_subscription,
    Breakage::MentionNotifiesSubscription,
    ["subscriptions"],
    ["unichat/subscriptions/a-mention-sets-last-mentioned-in-message-id-without-a-subscription-notification"],
    ["is not notified"]
);

broken!(
    no_leave_message,
    Breakage::NoLeaveMessage,
    ["leaving"],
    ["unichat/leaving/leaving-posts-a-leave-message-first-then-a-deleted-notification"],
    ["xtag leave"]
);

broken!(
    no_owner_hand_off,
    Breakage::NoOwnerHandoff,
    ["leaving"],
    [
        "unichat/leaving/when-the-owner-leaves-and-there-is-no-other-admin-the-oldest-writer-becomes-owner-and-admin",
        "unichat/leaving/when-the-owner-leaves-the-oldest-admin-becomes-owner",
        "unichat/leaving/with-only-readers-left-the-oldest-reader-becomes-owner-and-admin",
    ],
    ["owner"]
);

broken!(
    other_groups_readable,
    Breakage::ReadAnyGroup,
    ["authorization", "leaving"],
    [
        "unichat/authorization/an-outsider-cannot-load-a-group-s-messages",
        "unichat/leaving/an-admin-kicks-a-participant-kick-out-message-and-deleted-notification",
        "unichat/leaving/leaving-posts-a-leave-message-first-then-a-deleted-notification",
    ],
    ["HTTP 400", "no access"]
);

broken!(
    checksum_ignored,
    Breakage::ChecksumIgnored,
    ["attachments"],
    ["unichat/attachments/a-file-whose-checksum-does-not-match-is-refused"],
    ["checksum_mismatch"]
);

#[tokio::test]
async fn every_breakage_has_a_self_test() {
    // Adding a breakage without a test above would leave a rule unproven.
    common::assert_every_breakage_tested(
        concat!(include_str!("broken_servers.rs"), include_str!("broken_rules.rs")),
        Breakage::ALL,
    );
}
