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
    /// `ocwp.login` with a wrong password connects ("Invokes login", NOTES.md O17: a wrong
    /// password ends in `XMPP_CONNECTION_AUTHFAIL`).
    WrongPasswordConnects,
    /// The plugin never tells its subscribers of `XMPP_CONNECTION_CONNECTED_READY` ("When
    /// connection status changes, callback will be invoked", NOTES.md O18). Breaks `ocwp.js`.
    SubscribersMissReady,
    /// `ocwp.unsubscribeConnectionStatus()` keeps the callback ("Unsubscribe to previously
    /// subscribed", NOTES.md O18). Breaks `ocwp.js`.
    UnsubscribeKeepsCallback,
    /// `ocwp.chat.group.create` leaves its creator out of the group ("creator doesn't need to
    /// be included", NOTES.md O20).
    GroupLeavesCreatorOut,
    /// `OC.user.getSessionID()` returns a token the library's own calls take but that is no
    /// session of the user, so authenticateUser refuses it ("Get user active session ID",
    /// NOTES.md O16).
    PageSessionUnknown,
    /// `OC.user.getVCard()` returns an object, not the JSON string of the seed's sample.
    /// Breaks `oc.js`.
    VCardAsObject,
    /// `OC.user.deviceInfo()` leaves out `screenWidth` and `screenHeight` ("device model
    /// number and screen size"). Breaks `oc.js`.
    DeviceInfoWithoutScreenSize,
    /// The contacts selector lets more contacts be picked than `maxNumberOfSelection`.
    /// Breaks `oc.js`.
    SelectorIgnoresMax,
    /// Cancelling the contacts selector never calls `success` ("or canceled '[]'"). Breaks
    /// `oc.js`.
    SelectorCancelSilent,
    /// `OC.message.single.relay` misses the last recipient ("message will be sent to each of
    /// the user(s)").
    SingleRelaySkipsLastRecipient,
    /// `OC.message.group.relay` does not pass a new group's jid to `success` ("group jid
    /// returned here"). Breaks `oc.js`.
    NewGroupJidWithheld,
    /// singleMessage without a message relays an empty one ("message Yes Message to be
    /// broadcasted", NOTES.md O10).
    SingleAlertWithoutMessage,
    /// groupMessage without a jid relays to every group of the app's domain ("jid Yes The jid
    /// of the specific group", NOTES.md O10).
    GroupAlertWithoutJid,
    /// groupMessage without a message relays an empty one ("message Yes Message to be
    /// broadcasted", NOTES.md O10).
    GroupAlertWithoutMessage,
    /// groupMessage without an `apikey` header relays to the group ("Headers apikey Yes").
    GroupAlertWithoutApikey,
    /// An alert's message of another type than a string is relayed as its JSON text
    /// ("message Yes Message to be broadcasted Hi", NOTES.md O10).
    MessageOfAnyType,
    /// `ocwp.init` renders the plugin into an element of its own, not into `containerElement`
    /// ("containerElement Yes Element Container element where plugin will be rendered").
    /// Breaks `ocwp.js`.
    InitIgnoresContainer,
    /// `ocwp.logout()` leaves the status as it was ("Invokes logout from webpage's javascript
    /// code", NOTES.md O17: DISCONNECTED after logout). Breaks `ocwp.js`.
    LogoutKeepsStatus,
    /// `ocwp.VERSION` is missing ("ocwp.VERSION // 4474"). Breaks `ocwp.js`.
    VersionMissing,
    /// `ocwp.BUILD_DATE` is missing ("ocwp.BUILD_DATE // 20180619"). Breaks `ocwp.js`.
    BuildDateMissing,
    /// A user made in a domain gets a jid of the seed's sample domain `onechat.net`, not of
    /// its own ("mass broadcast to every user in the specific domain", NOTES.md O7: a user of
    /// a domain has a jid in it).
    UserJidOutsideDomain,
}

impl Breakage {
    /// Every breakage.
    pub const ALL: [Breakage; 24] = [
        Breakage::BroadcastBeyondDomain,
        Breakage::GroupAlertSkipsLastMember,
        Breakage::AnySessionAuthenticates,
        Breakage::WrongPasswordConnects,
        Breakage::SubscribersMissReady,
        Breakage::UnsubscribeKeepsCallback,
        Breakage::GroupLeavesCreatorOut,
        Breakage::PageSessionUnknown,
        Breakage::VCardAsObject,
        Breakage::DeviceInfoWithoutScreenSize,
        Breakage::SelectorIgnoresMax,
        Breakage::SelectorCancelSilent,
        Breakage::SingleRelaySkipsLastRecipient,
        Breakage::NewGroupJidWithheld,
        Breakage::SingleAlertWithoutMessage,
        Breakage::GroupAlertWithoutJid,
        Breakage::GroupAlertWithoutMessage,
        Breakage::GroupAlertWithoutApikey,
        Breakage::MessageOfAnyType,
        Breakage::InitIgnoresContainer,
        Breakage::LogoutKeepsStatus,
        Breakage::VersionMissing,
        Breakage::BuildDateMissing,
        Breakage::UserJidOutsideDomain,
    ];

    /// The id of the rule (in `specs/src/onechat/rules/`) the breakage breaks: the suite's
    /// failures must name it.
    pub fn rule(self) -> &'static str {
        match self {
            Breakage::BroadcastBeyondDomain => "O-broadcast-domain-users",
            Breakage::GroupAlertSkipsLastMember => "O-group-members",
            Breakage::AnySessionAuthenticates => "O-auth-user-session",
            Breakage::WrongPasswordConnects => "O-ocwp-login",
            Breakage::SubscribersMissReady => "O-ocwp-subscribe-status",
            Breakage::UnsubscribeKeepsCallback => "O-ocwp-unsubscribe-status",
            Breakage::GroupLeavesCreatorOut => "O-ocwp-group-members",
            Breakage::PageSessionUnknown => "O-oc-get-session-id",
            Breakage::VCardAsObject => "O-oc-get-vcard",
            Breakage::DeviceInfoWithoutScreenSize => "O-oc-device-info",
            Breakage::SelectorIgnoresMax => "O-oc-select-contacts-max",
            Breakage::SelectorCancelSilent => "O-oc-select-contacts",
            Breakage::SingleRelaySkipsLastRecipient => "O-oc-single-relay",
            Breakage::NewGroupJidWithheld => "O-oc-group-relay-returns-jid",
            Breakage::SingleAlertWithoutMessage => "O-single-message-mandatory",
            Breakage::GroupAlertWithoutJid => "O-group-jid-mandatory",
            Breakage::GroupAlertWithoutMessage => "O-group-message-mandatory",
            Breakage::GroupAlertWithoutApikey => "O-group-apikey-mandatory",
            Breakage::MessageOfAnyType => "O-reply-status",
            Breakage::InitIgnoresContainer => "O-ocwp-init-container",
            Breakage::LogoutKeepsStatus => "O-ocwp-logout",
            Breakage::VersionMissing => "O-ocwp-version",
            Breakage::BuildDateMissing => "O-ocwp-build-date",
            Breakage::UserJidOutsideDomain => "O-broadcast-domain-users",
        }
    }
}

impl super::store::Store {
    /// Whether `b` is in force: only in builds with the `breakage` feature.
    pub fn broken(&self, b: Breakage) -> bool {
        cfg!(feature = "breakage") && self.breakage.contains(&b)
    }
}
