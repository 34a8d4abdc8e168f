//! The frames a SAMA server sends on its own, not as the reply to a request (seed 003): who
//! receives each, under which top-level key, and the schema of the object under it.
//!
//! A packet's `ack` and a request's `response` are replies, declared with their endpoint
//! ([`super::Request`]); everything else a client can receive is listed here once.

use crate::endpoint::Doc;

/// One kind of frame the server sends unasked: `{ <key>: {...} }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// A name for the kind, unique in the list: the schema's stem (`conversation_created`).
    pub name: &'static str,
    /// The frame's top-level key: `message`, `system_message`, `typing`, ...
    pub key: &'static str,
    /// The registry name of the schema of the object under the key (`event.<name>`).
    pub schema: &'static str,
    /// The request or packet that makes the server send it (an endpoint name), if any.
    pub cause: Option<&'static str>,
    /// The seed sentence that says who receives it.
    pub doc: Doc,
}

const fn event(
    name: &'static str,
    key: &'static str,
    schema: &'static str,
    cause: &'static str,
    quote: &'static str,
) -> Event {
    Event { name, key, schema, cause: Some(cause), doc: Doc::seed("003", quote) }
}

/// Every frame the server sends unasked, in the seed's order.
pub const EVENTS: &[Event] = &[
    event(
        "conversation_created",
        "system_message",
        "event.conversation_created",
        "conversation_create",
        "After conversation created, all the online participants will receive the following event about newly created conversation:",
    ),
    event(
        "conversation_updated",
        "system_message",
        "event.conversation_updated",
        "conversation_update",
        "After adding users to a conversation, if they are online, they will receive the following event about the newly created conversation:",
    ),
    event(
        "conversation_kicked",
        "system_message",
        "event.conversation_kicked",
        "conversation_update",
        "After kicking users out of the conversation, if they are online, they will receive the following event:",
    ),
    event(
        "participant_message",
        "message",
        "event.participant_message",
        "conversation_update",
        "The following message will also be sent to all users who are online and saved in the Message",
    ),
    event(
        "message",
        "message",
        "event.message",
        "message",
        "All conversation's participants who is online will receive the following message in real-time:",
    ),
    event(
        "system_message",
        "system_message",
        "event.system_message",
        "system_message",
        "'uids' should contain recipients user id, who is online will receive the following message in real-time:",
    ),
    event(
        "message_read",
        "message_read",
        "event.message_read",
        "message_read",
        "Then, all the users whose messages we read will receive the following message:",
    ),
    event(
        "typing",
        "typing",
        "event.typing",
        "typing",
        "Then other users in this conversation who is online will receive the same typing message.",
    ),
    event(
        "message_delete",
        "message_delete",
        "event.message_delete",
        "message_delete",
        "If use \"all\", then other users in this conversation who is online will receive the following message:",
    ),
    event(
        "message_edit",
        "message_edit",
        "event.message_edit",
        "message_edit",
        "Then other users in this conversation who is online will receive the following message:",
    ),
    event(
        "last_activity",
        "last_activity",
        "event.last_activity",
        "user_last_activity_subscribe",
        "Once that user will go offline/online, you will be receiving his/her last activity status:",
    ),
];
