//! Unichat: the single HTTP JSON endpoint, SSE notifications, rooms, subscriptions and messages.
//!
//! Seeds: `000_089c45586b6f2270.txt` (endpoint, headers, errors, SSE) and
//! `001_37219ab8e6e32c19.txt` (the API). The interpretation register is `NOTES.md` here.
//!
//! One file per area, named as the feature files are (`features/unichat/<area>.feature`);
//! `messages.rs` serves `messages`, `uid`, `serial`, `editing` and `deleting`, `envelope.rs`
//! serves `endpoint` and `authorization`. [`Method`] lists every method once.
//!
//! A client leaves out an optional argument it does not need rather than sending `null`
//! (seed 001 on `mentions`: "important do not pass null, just omit this field if not
//! needed"), so the argument types skip absent fields when serialised; the one exception is
//! the first chunk's `upload_id` of `attachment_by_chunks` ("the first time is NULL").

pub mod accounts;
pub mod attachments;
pub mod envelope;
pub mod invites;
pub mod leaving;
pub mod messages;
pub mod rooms;
pub mod sse;
pub mod subscriptions;

use schemars::Schema;

use crate::endpoint::{Endpoints, endpoints};
use crate::response_schema as schema;

/// The name of this API in file names, tags and the command line.
pub const API: &str = "unichat";

/// The tokens a method needs (seed 000, "Specifying domain token" and "Authenticating user").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `APP_DOMAIN_TOKEN` only: "The application domain token should be specified in the
    /// request header APP_DOMAIN_TOKEN."
    Domain,
    /// `APP_DOMAIN_TOKEN` and `USER_AUTH_TOKEN`: "Most API methods, as explained in unichat
    /// API, requires user authenticaion."
    User,
}

/// Where and how a Unichat method is reached: every method is `POST /api/{method}` with
/// `{"args": {...}}` (NOTES.md U1, U2), answering 200 with `status: 'OK'` or 400 with the error
/// envelope; methods differ only in the tokens they need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
    /// The tokens the method needs.
    pub auth: Auth,
}

impl Meta {
    /// A method that needs only `APP_DOMAIN_TOKEN` (signing up and in).
    pub const DOMAIN: Meta = Meta { auth: Auth::Domain };
    /// A method that needs `USER_AUTH_TOKEN` too.
    pub const USER: Meta = Meta { auth: Auth::User };
}

endpoints! {
    /// Every Unichat method (seeds 000 and 001, and the readings of NOTES.md).
    pub enum Method: Meta for "unichat" {
        Register => accounts::Register ["accounts"],
        Login => accounts::Login ["accounts"],
        GetSubscriptions => subscriptions::GetSubscriptions ["subscriptions"],
        GetSubscription => subscriptions::GetSubscription ["subscriptions"],
        CreateRoom => rooms::CreateRoom ["rooms"],
        PostMessage => messages::PostMessage ["messages", "uid", "serial", "attachments", "authorization"],
        AttachmentByChunks => attachments::AttachmentByChunks ["attachments"],
        VoiceRecognition => attachments::StartVoiceRecognition ["attachments"],
        VoiceRecognitionResult => attachments::VoiceRecognitionResult ["attachments"],
        GetMessages => messages::GetMessages ["messages", "serial", "authorization"],
        GetMessage => messages::GetMessage ["messages"],
        EditMessage => messages::EditMessage ["editing", "serial"],
        DeleteMessage => messages::DeleteMessage ["deleting", "serial"],
        UpdateSubscription => subscriptions::UpdateSubscription ["subscriptions", "authorization"],
        Invite => invites::Invite ["invites"],
        CreateGroupInviteCode => invites::CreateGroupInviteCode ["invites"],
        UseInviteCode => invites::UseInviteCode ["invites"],
        SetAccess => invites::SetAccess ["invites"],
        Kick => leaving::Kick ["leaving"],
        Unsubscribe => leaving::Unsubscribe ["leaving"],
        CreateSseAuthCode => sse::CreateSseAuthCode ["sse"],
    }
}

/// Every schema of the API, by file name (without `.json`): the envelope, the records and
/// the notification, then each method's request and reply.
pub fn schemas() -> Vec<(String, Schema)> {
    let mut out: Vec<(String, Schema)> = vec![
        ("error".into(), schema::<envelope::ErrorEnvelope>()),
        ("record.chat_user".into(), schema::<accounts::ChatUser>()),
        ("record.own_chat_user".into(), schema::<accounts::OwnChatUser>()),
        ("record.group".into(), schema::<rooms::Group>()),
        ("record.subscription".into(), schema::<subscriptions::Subscription>()),
        ("record.message".into(), schema::<messages::Message>()),
        ("record.voice_recognition".into(), schema::<attachments::VoiceRecognition>()),
        ("notification".into(), schema::<sse::Notification>()),
    ];
    out.extend(Method::schemas());
    out
}
