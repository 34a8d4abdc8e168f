//! SAMA: the WebSocket chat protocol with HTTP login (seed `003_7694b3327424b0d9.txt`):
//! users, contacts, conversations, messages, push, activity, the op log, files and blocking.
//! The interpretation register is `NOTES.md` here.
//!
//! One file per area, named as the feature files are (`features/sama/<area>.feature`):
//! `messages.rs` also serves `reading`, `typing` and `system`, `envelope.rs` serves `frames`,
//! and `times.rs` and `compat.rs` serve every area. `push` is the push subscriptions and push
//! events; `offline` is what participants miss while offline (the push notification for a new
//! message, missed edits and deletions, the op log). [`Request`] lists every request, packet
//! and HTTP route once.
//!
//! Schema names and what each validates:
//!
//! | name | instance |
//! | --- | --- |
//! | `request.<name>` | the value under the request's name in `{ request: { <name>: ..., id } }`, or under the packet's key (`message`, `system_message`, `typing`) |
//! | `response.<name>` | the object under `response` in `{ response: { id, ... } }`; for the `message` and `system_message` packets the object under `ack`; for `typing`, nothing (no frame answers it) |
//! | `request.login`, `response.login`, `request.logout`, `response.logout` | the bodies of `POST /login` and `POST /logout` |
//! | `event.<name>` | the object under the event's key (`ack`, `message`, `system_message`, `typing`, `message_read`, `message_delete`, `message_edit`, `last_activity`); the conversation events and participant messages have their own names |
//! | `record.<name>` | one record (user, contact, conversation, ...) |
//! | `error` | the object under `response` of a failed request, and the body of a failed HTTP call |

pub mod activity;
pub mod auth;
pub mod blocking;
pub mod compat;
pub mod contacts;
pub mod conversations;
pub mod edits;
pub mod envelope;
pub mod events;
pub mod files;
pub mod membership;
pub mod messages;
pub mod offline;
pub mod push;
pub mod times;
pub mod users;

use schemars::Schema;

use crate::endpoint::{Endpoints, endpoints};
use crate::response_schema as schema;

/// The name of this API in file names, tags and the command line.
pub const API: &str = "sama";

/// How an endpoint is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// A socket request, `{ request: { <name>: {...}, id } }`, answered `{ response: { id, ...
    /// } }` (NOTES.md S1).
    Request,
    /// A top-level socket packet, `{ <name>: {...} }`: `message`, `system_message` and
    /// `typing` (NOTES.md S12).
    Packet,
    /// An HTTP route with a JSON body.
    Http {
        /// The HTTP method: `POST`.
        method: &'static str,
        /// The path: `/login`.
        path: &'static str,
    },
}

/// Where and how a SAMA endpoint is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
    /// The socket request, socket packet or HTTP route.
    pub transport: Transport,
    /// Whether it needs a signed-in session: over the socket, a socket linked by `connect` or
    /// `user_login` first (NOTES.md S11); over HTTP, an access token: "you need to put the
    /// access_token in the request header".
    pub session: bool,
}

impl Meta {
    /// A socket request on a linked socket.
    pub const REQUEST: Meta = Meta { transport: Transport::Request, session: true };
    /// A socket request served before `connect`: signing up and linking the socket.
    pub const BEFORE_CONNECT: Meta = Meta { transport: Transport::Request, session: false };
    /// A top-level packet on a linked socket.
    pub const PACKET: Meta = Meta { transport: Transport::Packet, session: true };
}

endpoints! {
    /// Every request, packet and HTTP route of seed 003, in the seed's order.
    pub enum Request: Meta for "sama" {
        UserCreate => users::UserCreate ["users"],
        Login => auth::Login ["auth"],
        Connect => auth::Connect ["auth"],
        UserLogin => auth::UserLogin ["auth"],
        Logout => auth::Logout ["auth"],
        UserLogout => auth::UserLogout ["auth"],
        UserEdit => users::UserEdit ["users"],
        UserDelete => users::UserDelete ["users"],
        UserSearch => users::UserSearch ["users"],
        GetUsersByIds => users::GetUsersByIds ["users"],
        ContactAdd => contacts::ContactAdd ["contacts"],
        Contacts => contacts::Contacts ["contacts"],
        ContactBatchAdd => contacts::ContactBatchAdd ["contacts"],
        ContactUpdate => contacts::ContactUpdate ["contacts"],
        ContactList => contacts::ContactList ["contacts"],
        ContactDelete => contacts::ContactDelete ["contacts"],
        ConversationCreate => conversations::ConversationCreate ["conversations"],
        ConversationUpdate => membership::ConversationUpdate ["membership"],
        ConversationDelete => membership::ConversationDelete ["membership"],
        ConversationList => conversations::ConversationList ["conversations"],
        GetParticipantsByCids => conversations::GetParticipantsByCids ["conversations"],
        ConversationSearch => conversations::ConversationSearch ["conversations"],
        Message => messages::MessagePacket ["messages", "offline"],
        SystemMessage => messages::SystemMessagePacket ["system"],
        MessageList => messages::MessageList ["messages", "offline"],
        MessageRead => messages::MessageRead ["reading"],
        Typing => messages::TypingPacket ["typing"],
        MessageDelete => edits::MessageDelete ["edits"],
        MessageEdit => edits::MessageEdit ["edits"],
        PushSubscriptionCreate => push::PushSubscriptionCreate ["push"],
        PushSubscriptionList => push::PushSubscriptionList ["push"],
        PushSubscriptionDelete => push::PushSubscriptionDelete ["push"],
        PushEventCreate => push::PushEventCreate ["push"],
        UserLastActivity => activity::UserLastActivity ["activity"],
        UserLastActivitySubscribe => activity::UserLastActivitySubscribe ["activity"],
        UserLastActivityUnsubscribe => activity::UserLastActivityUnsubscribe ["activity"],
        OpLogList => offline::OpLogList ["offline"],
        CreateFiles => files::CreateFiles ["files"],
        GetFileUrls => files::GetFileUrls ["files"],
        BlockUser => blocking::BlockUser ["blocking"],
        UnblockUser => blocking::UnblockUser ["blocking"],
        ListBlockedUsers => blocking::ListBlockedUsers ["blocking"],
    }
}

/// Every schema of the API, by file name (without `.json`): the error shape, the records and
/// the events, then each endpoint's request and reply.
pub fn schemas() -> Vec<(String, Schema)> {
    use conversations::ConversationNotice;
    let mut out: Vec<(String, Schema)> = vec![
        ("error".into(), schema::<envelope::ErrorReply>()),
        ("record.user".into(), schema::<users::User>()),
        ("record.contact".into(), schema::<contacts::Contact>()),
        ("record.conversation".into(), schema::<conversations::Conversation>()),
        ("record.message".into(), schema::<messages::Message>()),
        ("record.attachment".into(), schema::<messages::Attachment>()),
        ("record.push_subscription".into(), schema::<push::PushSubscription>()),
        ("record.push_event".into(), schema::<push::PushEvent>()),
        ("record.push_notification".into(), schema::<offline::PushNotification>()),
        ("record.file".into(), schema::<files::File>()),
        ("record.op_log".into(), schema::<offline::OpLog>()),
        ("event.ack".into(), schema::<messages::Ack>()),
        ("event.message".into(), schema::<messages::Message>()),
        ("event.system_message".into(), schema::<messages::SystemMessage>()),
        ("event.typing".into(), schema::<messages::TypingEvent>()),
        ("event.message_read".into(), schema::<messages::MessageReadEvent>()),
        ("event.message_delete".into(), schema::<edits::MessageDeleteEvent>()),
        ("event.message_edit".into(), schema::<edits::MessageEditEvent>()),
        ("event.last_activity".into(), schema::<activity::LastActivityEvent>()),
        ("event.conversation_created".into(), schema::<ConversationNotice<conversations::CreatedX>>()),
        ("event.conversation_updated".into(), schema::<ConversationNotice<membership::UpdatedX>>()),
        ("event.conversation_kicked".into(), schema::<ConversationNotice<membership::KickedX>>()),
        ("event.participant_message".into(), schema::<membership::ParticipantMessage>()),
    ];
    out.extend(Request::schemas());
    out
}
