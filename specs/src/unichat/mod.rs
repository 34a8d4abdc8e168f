//! Unichat: the single HTTP JSON endpoint, SSE notifications, rooms, subscriptions and messages.
//!
//! Seeds: `000_089c45586b6f2270.txt` (endpoint, headers, errors, SSE) and
//! `001_37219ab8e6e32c19.txt` (the API). The interpretation register is `NOTES.md` here.

pub mod envelope;
pub mod methods;
pub mod notifications;
pub mod records;

use schemars::Schema;

use crate::{request_schema, response_schema as schema};

/// The name of this API in file names, tags and the command line.
pub const API: &str = "unichat";

/// Every schema of the API, by file name (without `.json`), in a stable order.
pub fn schemas() -> Vec<(String, Schema)> {
    use methods::*;
    let mut out: Vec<(String, Schema)> = vec![
        ("error".into(), schema::<envelope::ErrorEnvelope>()),
        ("record.chat_user".into(), schema::<records::ChatUser>()),
        ("record.own_chat_user".into(), schema::<records::OwnChatUser>()),
        ("record.group".into(), schema::<records::Group>()),
        ("record.subscription".into(), schema::<records::Subscription>()),
        ("record.message".into(), schema::<records::Message>()),
        ("record.voice_recognition".into(), schema::<records::VoiceRecognition>()),
        ("notification".into(), schema::<notifications::Notification>()),
    ];
    macro_rules! method {
        ($name:literal, $args:ty, $reply:ty) => {
            out.push((format!("request.{}", $name), request_schema::<$args>()));
            out.push((format!("response.{}", $name), schema::<$reply>()));
        };
    }
    method!("register", RegisterArgs, UserReply);
    method!("login", LoginArgs, UserReply);
    method!("get_subscriptions", GetSubscriptionsArgs, SubscriptionsReply);
    method!("get_subscription", GetSubscriptionArgs, SubscriptionReply);
    method!("create_room", CreateRoomArgs, SubscriptionReply);
    method!("post_message", PostMessageArgs, MessageReply);
    method!("attachment_by_chunks", AttachmentByChunksArgs, AttachmentByChunksReply);
    method!("voice_recognition", VoiceRecognitionArgs, VoiceRecognitionReply);
    method!("voice_recognition_result", VoiceRecognitionArgs, VoiceRecognitionReply);
    method!("get_messages", GetMessagesArgs, MessagesReply);
    method!("get_message", GetMessageArgs, MessageReply);
    method!("edit_message", EditMessageArgs, MessageReply);
    method!("delete_message", DeleteMessageArgs, MessageReply);
    method!("update_subscription", UpdateSubscriptionArgs, SubscriptionReply);
    method!("invite", InviteArgs, InviteReply);
    method!("create_group_invite_code", CreateGroupInviteCodeArgs, InviteCodeReply);
    method!("use_invite_code", UseInviteCodeArgs, EmptyReply);
    method!("set_access", SetAccessArgs, SubscriptionReply);
    method!("kick", KickArgs, EmptyReply);
    method!("unsubscribe", UnsubscribeArgs, EmptyReply);
    method!("create_sse_auth_code", NoArgs, SseCodeReply);
    out
}

/// Every method the mock serves, with whether it needs `USER_AUTH_TOKEN`.
pub const METHODS: &[(&str, bool)] = &[
    ("register", false),
    ("login", false),
    ("get_subscriptions", true),
    ("get_subscription", true),
    ("create_room", true),
    ("post_message", true),
    ("attachment_by_chunks", true),
    ("voice_recognition", true),
    ("voice_recognition_result", true),
    ("get_messages", true),
    ("get_message", true),
    ("edit_message", true),
    ("delete_message", true),
    ("update_subscription", true),
    ("invite", true),
    ("create_group_invite_code", true),
    ("use_invite_code", true),
    ("set_access", true),
    ("kick", true),
    ("unsubscribe", true),
    ("create_sse_auth_code", true),
];
