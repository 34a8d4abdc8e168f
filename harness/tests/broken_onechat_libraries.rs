//! The OneChat library suites (`chat_plugin`, `mini_app_library`, in headless Chromium) must
//! catch broken libraries: the mock breaks one rule class of `ocwp` or `OC` at a time (a
//! status transition, the subscribers, group creation, the page's session, the shapes of the
//! vCard and the device info, the selector's maximum and cancel, the relays, init's container,
//! logout, `VERSION` and `BUILD_DATE`), and the suite
//! must fail exactly the scenarios of that rule, with a message naming it, what was expected,
//! what came back and the documentation sentence. Needs Chromium (`.ci/run` installs it).

mod common;

use chatspec_mocks::onechat::Breakage;
use common::{assert_caught, not_passed, run_api, start_onechat, target_for};

const API: &str = "onechat";

async fn caught(b: Breakage, area: &str, expected: &[&str], words: &[&str]) {
    let mock = start_onechat(&[b]).await;
    // Pages under load need the unscaled waits; what never comes still ends within them.
    let mut target = target_for(API, &mock.base_url, &format!("broken: {b:?}"));
    target.timeout_factor = 1.0;
    let record = run_api(API, target, &[area]).await;
    for line in not_passed(&record) {
        eprintln!("{line}\n");
    }
    let impossible: Vec<&str> = record.scenarios.iter().filter_map(|s| s.impossible.as_deref()).collect();
    assert!(impossible.is_empty(), "this self-test needs Chromium (.ci/run installs it): {impossible:?}");
    let expected: Vec<String> = expected.iter().map(|s| format!("onechat/{area}/{s}")).collect();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_caught(&record, &expected, words);
}

macro_rules! broken {
    ($name:ident, $b:expr, $area:expr, $expected:expr, $words:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            caught($b, $area, &$expected, &$words).await;
        }
    };
}

broken!(
    a_wrong_password_connects,
    Breakage::WrongPasswordConnects,
    "chat_plugin",
    ["a-wrong-password-ends-in-authfail"],
    ["XMPP_CONNECTION_AUTHFAIL"]
);

broken!(
    subscribers_miss_the_ready_status,
    Breakage::SubscribersMissReady,
    "chat_plugin",
    ["logging-in-connects-and-the-subscriber-hears-every-change"],
    ["callback is invoked with the new status"]
);

broken!(
    unsubscribing_keeps_the_callback,
    Breakage::UnsubscribeKeepsCallback,
    "chat_plugin",
    ["after-unsubscribing-the-callback-is-not-called"],
    ["unsubscribeConnectionStatus"]
);

broken!(
    group_chats_leave_their_creator_out,
    Breakage::GroupLeavesCreatorOut,
    "chat_plugin",
    [
        "a-chatjid-that-exists-opens-its-group-and-changes-nobody-s-membership",
        "a-group-chat-has-its-creator-and-the-members-given",
        "without-a-chatjid-the-group-gets-a-standard-uuid",
    ],
    ["creator", "makes the group"]
);

broken!(
    the_page_session_is_unknown,
    Breakage::PageSessionUnknown,
    "mini_app_library",
    ["the-session-id-of-the-page-is-an-active-session-of-its-user"],
    ["isAuthenticated true"]
);

broken!(
    the_vcard_is_an_object,
    Breakage::VCardAsObject,
    "mini_app_library",
    ["the-vcard-is-the-page-user-s-as-a-json-string"],
    ["JSON string"]
);

broken!(
    the_device_info_lacks_the_screen_size,
    Breakage::DeviceInfoWithoutScreenSize,
    "mini_app_library",
    ["the-device-info-names-the-device-and-the-screen-size-as-a-json-string"],
    ["the sample's keys"]
);

broken!(
    the_selector_ignores_its_maximum,
    Breakage::SelectorIgnoresMax,
    "mini_app_library",
    ["the-selector-selects-no-more-contacts-than-maxnumberofselection"],
    ["maxNumberOfSelection"]
);

broken!(
    a_cancelled_selector_is_silent,
    Breakage::SelectorCancelSilent,
    "mini_app_library",
    ["cancelling-the-selector-selects-nobody"],
    ["calls success when the selector closes"]
);

broken!(
    a_single_relay_misses_a_recipient,
    Breakage::SingleRelaySkipsLastRecipient,
    "mini_app_library",
    ["a-single-relay-reaches-each-recipient"],
    ["the alert reaches"]
);

broken!(
    a_new_groups_jid_is_withheld,
    Breakage::NewGroupJidWithheld,
    "mini_app_library",
    ["without-a-groupjid-a-new-group-of-the-invitees-is-made-and-success-gets-its-jid"],
    ["group jid returned here"]
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_scenario_leaves_a_screenshot_of_its_page() {
    let mock = start_onechat(&[Breakage::VCardAsObject]).await;
    let dir = std::env::temp_dir().join(format!("chatspec-screenshots-{}", std::process::id()));
    let mut opts = chatspec::check::CheckOptions::new(API);
    opts.target = Some(target_for(API, &mock.base_url, "broken: VCardAsObject"));
    opts.areas = vec!["mini_app_library".into()];
    opts.tags = Some("@rule:O-oc-get-vcard".into());
    opts.screenshots = Some(dir.clone());
    let record = chatspec::check::run(opts).await.expect("the suite runs");
    let failed =
        record.scenarios.iter().find(|s| s.outcome == chatspec::outcome::Outcome::Fail).expect("a failure");
    let named =
        failed.wire_log.iter().find_map(|e| e.summary.strip_prefix("screenshot: ")).expect("a screenshot");
    let png = std::fs::read(named).expect("the screenshot is there");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(named.starts_with(dir.to_str().expect("a path")) && named.ends_with(".png"), "{named}");
    let _ = std::fs::remove_dir_all(&dir);
}

broken!(
    init_ignores_its_container,
    Breakage::InitIgnoresContainer,
    "chat_plugin",
    ["init-renders-the-plugin-into-its-container-not-yet-connected"],
    ["containerElement"]
);

broken!(
    logout_keeps_the_status,
    Breakage::LogoutKeepsStatus,
    "chat_plugin",
    ["logging-out-disconnects-and-the-subscriber-hears-it"],
    ["XMPP_CONNECTION_DISCONNECTED"]
);

broken!(
    the_version_is_missing,
    Breakage::VersionMissing,
    "chat_plugin",
    ["ocwp-version-gives-the-plugin-s-version"],
    ["VERSION"]
);

broken!(
    the_build_date_is_missing,
    Breakage::BuildDateMissing,
    "chat_plugin",
    ["ocwp-build-date-gives-the-plugin-s-build-date"],
    ["BUILD_DATE"]
);
