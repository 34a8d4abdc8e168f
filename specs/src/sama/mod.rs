//! SAMA: the WebSocket chat protocol with HTTP login (seed `003_7694b3327424b0d9.txt`):
//! users, contacts, conversations, messages, push, activity, the op log, files and blocking.
//! The interpretation register is `NOTES.md` here.
//!
//! Schema names and what each validates:
//!
//! | name | instance |
//! | --- | --- |
//! | `request.<name>` | the value under the request's name in `{ request: { <name>: ..., id } }`, or under the packet's key (`message`, `system_message`, `typing`) |
//! | `response.<name>` | the object under `response` in `{ response: { id, ... } }` |
//! | `request.login`, `response.login`, `response.logout` | the bodies of `POST /login` and `POST /logout` |
//! | `event.<name>` | the object under the event's key (`ack`, `message`, `system_message`, `typing`, `message_read`, `message_delete`, `message_edit`, `last_activity`); the conversation events and participant messages have their own names |
//! | `record.<name>` | one record (user, contact, conversation, ...) |
//! | `error` | the object under `response` of a failed request, and the body of a failed HTTP call |

pub mod activity;
pub mod auth;
pub mod blocking;
pub mod compat;
pub mod contacts;
pub mod conversations;
pub mod envelope;
pub mod files;
pub mod messages;
pub mod oplog;
pub mod push;
pub mod times;
pub mod users;

use schemars::Schema;

use crate::{request_schema, response_schema as schema};

/// The name of this API in file names, tags and the command line.
pub const API: &str = "sama";

/// Every schema of the API, by file name (without `.json`), in a stable order.
pub fn schemas() -> Vec<(String, Schema)> {
    use activity::*;
    use auth::*;
    use blocking::*;
    use contacts::*;
    use conversations::*;
    use envelope::*;
    use files::*;
    use messages::*;
    use oplog::*;
    use push::*;
    use users::*;

    let mut out: Vec<(String, Schema)> = vec![
        ("error".into(), schema::<ErrorReply>()),
        ("record.user".into(), schema::<User>()),
        ("record.contact".into(), schema::<Contact>()),
        ("record.conversation".into(), schema::<Conversation>()),
        ("record.message".into(), schema::<Message>()),
        ("record.attachment".into(), schema::<Attachment>()),
        ("record.push_subscription".into(), schema::<PushSubscription>()),
        ("record.push_event".into(), schema::<PushEvent>()),
        ("record.push_notification".into(), schema::<PushNotification>()),
        ("record.file".into(), schema::<File>()),
        ("record.op_log".into(), schema::<OpLog>()),
        ("event.ack".into(), schema::<Ack>()),
        ("event.message".into(), schema::<Message>()),
        ("event.system_message".into(), schema::<SystemMessage>()),
        ("event.typing".into(), schema::<TypingEvent>()),
        ("event.message_read".into(), schema::<MessageReadEvent>()),
        ("event.message_delete".into(), schema::<MessageDeleteEvent>()),
        ("event.message_edit".into(), schema::<MessageEditEvent>()),
        ("event.last_activity".into(), schema::<LastActivityEvent>()),
        ("event.conversation_created".into(), schema::<ConversationNotice<CreatedX>>()),
        ("event.conversation_updated".into(), schema::<ConversationNotice<UpdatedX>>()),
        ("event.conversation_kicked".into(), schema::<ConversationNotice<KickedX>>()),
        ("event.participant_message".into(), schema::<ParticipantMessage>()),
        ("request.login".into(), request_schema::<LoginBody>()),
        ("response.login".into(), schema::<LoginReply>()),
        ("response.logout".into(), schema::<LogoutReply>()),
        ("request.message".into(), request_schema::<MessageParams>()),
        ("request.system_message".into(), request_schema::<SystemMessageParams>()),
        ("request.typing".into(), request_schema::<TypingParams>()),
    ];
    macro_rules! request {
        ($name:literal, $params:ty, $reply:ty) => {
            out.push((format!("request.{}", $name), request_schema::<$params>()));
            out.push((format!("response.{}", $name), schema::<$reply>()));
        };
    }
    request!("user_create", UserCreateParams, UserReply);
    request!("connect", ConnectParams, SuccessReply);
    request!("user_login", UserLoginParams, UserLoginReply);
    request!("user_logout", NoParams, SuccessReply);
    request!("user_edit", UserEditParams, UserReply);
    request!("user_delete", NoParams, SuccessReply);
    request!("user_search", UserSearchParams, UsersReply);
    request!("get_users_by_ids", GetUsersByIdsParams, UsersReply);
    request!("contact_add", ContactParams, ContactReply);
    request!("contact_batch_add", ContactBatchParams, ContactsReply);
    request!("contact_update", ContactUpdateParams, ContactReply);
    request!("contact_list", ContactListParams, ContactsReply);
    request!("contact_delete", ContactDeleteParams, SuccessReply);
    request!("conversation_create", ConversationCreateParams, ConversationReply);
    request!("conversation_update", ConversationUpdateParams, ConversationReply);
    request!("conversation_delete", ConversationDeleteParams, SuccessReply);
    request!("conversation_list", ConversationListParams, ConversationsReply);
    request!("get_participants_by_cids", GetParticipantsByCidsParams, ParticipantsReply);
    request!("conversation_search", ConversationSearchParams, ConversationSearchReply);
    request!("message_list", MessageListParams, MessagesReply);
    request!("message_read", MessageReadParams, SuccessReply);
    request!("message_delete", MessageDeleteParams, SuccessReply);
    request!("message_edit", MessageEditParams, SuccessReply);
    request!("push_subscription_create", PushSubscriptionCreateParams, PushSubscriptionReply);
    request!("push_subscription_list", PushSubscriptionListParams, PushSubscriptionsReply);
    request!("push_subscription_delete", PushSubscriptionDeleteParams, SuccessReply);
    request!("push_event_create", PushEventCreateParams, PushEventReply);
    request!("user_last_activity", UserLastActivityParams, LastActivityReply);
    request!("user_last_activity_subscribe", UserLastActivitySubscribeParams, LastActivityReply);
    request!("op_log_list", OpLogListParams, OpLogReply);
    request!("create_files", CreateFilesParams, FilesReply);
    request!("get_file_urls", GetFileUrlsParams, FileUrlsReply);
    request!("block_user", BlockParams, SuccessReply);
    request!("unblock_user", BlockParams, SuccessReply);
    request!("list_blocked_users", NoParams, BlockedUsersReply);
    out
}

/// Every request served inside `{ request: {...} }`, with whether it needs a connected
/// socket (`connect` or `user_login` first).
pub const REQUESTS: &[(&str, bool)] = &[
    ("user_create", false),
    ("connect", false),
    ("user_login", false),
    ("user_logout", true),
    ("user_edit", true),
    ("user_delete", true),
    ("user_search", true),
    ("get_users_by_ids", true),
    ("contact_add", true),
    ("contact_batch_add", true),
    ("contacts", true),
    ("contact_update", true),
    ("contact_list", true),
    ("contact_delete", true),
    ("conversation_create", true),
    ("conversation_update", true),
    ("conversation_delete", true),
    ("conversation_list", true),
    ("get_participants_by_cids", true),
    ("conversation_search", true),
    ("message_list", true),
    ("message_read", true),
    ("message_delete", true),
    ("message_edit", true),
    ("push_subscription_create", true),
    ("push_subscription_list", true),
    ("push_subscription_delete", true),
    ("push_event_create", true),
    ("user_last_activity", true),
    ("user_last_activity_subscribe", true),
    ("op_log_list", true),
    ("create_files", true),
    ("get_file_urls", true),
    ("block_user", true),
    ("unblock_user", true),
    ("list_blocked_users", true),
];

/// The packets sent as top-level objects rather than inside `request`; each needs a
/// connected socket.
pub const PACKETS: &[&str] = &["message", "system_message", "typing"];
