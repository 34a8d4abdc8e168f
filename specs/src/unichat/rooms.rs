//! Rooms: creating one, and the group record and participants' roles (seed 001, "Create
//! room": "A room is a general purpose chat. Creator becomes owner and admins.").

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::accounts::ChatUser;
use super::envelope::Timestamp;
use super::subscriptions::SubscriptionReply;
use crate::endpoint::{Doc, Endpoint};

/// `create_room(name, user_ids, is_space) -> {subscription}`: the creator's subscription.
pub struct CreateRoom;

impl Endpoint for CreateRoom {
    const NAME: &'static str = "create_room";
    type Request = CreateRoomArgs;
    type Reply = SubscriptionReply;
    type Meta = Meta;
    const META: Meta = Meta::USER;
    const DOC: Doc = Doc::seed(
        "001",
        "A room is a general purpose chat. Creator becomes owner and admins. As ususal with universa chat, the result is the subscription of the creator.",
    );
}

/// The arguments of `create_room(name, user_ids, is_space)`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct CreateRoomArgs {
    /// "required room name. Any string."
    pub name: String,
    /// "optional array of user_id to be invited immediately."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<u64>>,
    /// "if not empty, the group attribute is_space will be changed. Default value: false."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_space: Option<bool>,
}

/// A participant's rights in a group: reader, writer or admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub enum Role {
    /// Reader: may read only.
    #[serde(rename = "ro")]
    Reader,
    /// Writer: may post and invite.
    #[serde(rename = "rw")]
    Writer,
    /// Admin: may also change others' roles and kick.
    #[serde(rename = "admin")]
    Admin,
}

impl Role {
    /// The role as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "ro",
            Role::Writer => "rw",
            Role::Admin => "admin",
        }
    }
}

/// One participant of a group, in the group's `participants` list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Participant {
    /// The participant's user id.
    pub user_id: u64,
    /// The participant's rights in the group.
    pub role: Role,
    /// The participant's chat user record.
    pub user: ChatUser,
}

/// The group record. `participants` is left out in the short form (seed 001: "set short:
/// true to get subscription information without group participants").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Group {
    /// The group's id (the `group_id` of subscriptions and messages).
    pub id: u64,
    /// The group's name: for a room, "required room name. Any string."
    pub name: String,
    /// `room` for rooms made by `create_room`.
    #[serde(rename = "type")]
    pub kind: String,
    /// "the group attribute is_space" that `create_room` sets: "Default value: false."
    pub is_space: bool,
    /// Whether the group is deleted; the mock removes a destroyed group outright (NOTES.md
    /// U28), so it always sends `false`.
    pub is_deleted: bool,
    /// When the group was made.
    pub created_at: Timestamp,
    /// When the group last changed.
    pub updated_at: Timestamp,
    /// The id of the group's latest message; null before the first.
    pub last_message_id: Option<u64>,
    /// The greatest serial any message of the group has had.
    pub last_serial: u64,
    /// The group's invite code ("If the user has the invite code, it should use it."); null
    /// until `create_group_invite_code` makes one.
    pub invite_code: Option<String>,
    /// The owner's user id (not in the public record; see NOTES.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<u64>,
    /// The participants with their roles: "heavy group.participants section is needed only
    /// when the group is opened"; left out in the short form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<Participant>>,
}
