//! Users (seed 003): `user_create`, `user_edit`, `user_delete`, `user_search`,
//! `get_users_by_ids`, and the user record they return.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::envelope::{NoParams, RequestId, SuccessReply};
use super::times::{TimeRange, Timestamp};
use crate::endpoint::{Doc, Endpoint};

/// `user_create: { login, password }`: signing up, before `connect`.
pub struct UserCreate;

impl Endpoint for UserCreate {
    const NAME: &'static str = "user_create";
    type Request = UserCreateParams;
    type Reply = UserReply;
    type Meta = Meta;
    const META: Meta = Meta::BEFORE_CONNECT;
    const DOC: Doc =
        Doc::seed("003", "request: { user_create: { login: \"user_1\", password: \"user_paswword_1\"");
}

/// `user_edit: { current_password, new_password, email, phone }`.
pub struct UserEdit;

impl Endpoint for UserEdit {
    const NAME: &'static str = "user_edit";
    type Request = UserEditParams;
    type Reply = UserReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed(
        "003",
        "request: { user_edit: { current_password: \"...\", new_password: \"...\", email: \"...\", phone: \"...\"",
    );
}

/// `user_delete: {}`.
pub struct UserDelete;

impl Endpoint for UserDelete {
    const NAME: &'static str = "user_delete";
    type Request = NoParams;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "request: { user_delete: {}, id: \"3\"");
}

/// `user_search: { keyword, limit, updated_at, ignore_ids }`.
pub struct UserSearch;

impl Endpoint for UserSearch {
    const NAME: &'static str = "user_search";
    type Request = UserSearchParams;
    type Reply = UsersReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "request: { user_search: { keyword: \"sam\", limit: 100,");
}

/// `get_users_by_ids: { ids }`.
pub struct GetUsersByIds;

impl Endpoint for GetUsersByIds {
    const NAME: &'static str = "get_users_by_ids";
    type Request = GetUsersByIdsParams;
    type Reply = UsersReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "get_users_by_ids: { ids: [ \"65fcb3f67dbaace5021595b9\" ]")
        .rule("S-get-users-by-ids");
}

/// The user record: `user: { _id: "63480e68f4794709f802a2fa", login: "user_1", created_at:
/// "2022-10-13T13:11:04.447Z", updated_at: "2022-10-13T13:11:04.447Z" }`; the participant
/// messages show `recent_activity`, `first_name`, `last_name` and `email` as well.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct User {
    /// The user's id: `_id: "63480e68f4794709f802a2fa"`.
    #[serde(rename = "_id")]
    #[schemars(length(min = 1))]
    pub id: String,
    /// The id client apps build participant lists from: `user: { native_id:
    /// "646e2092d80fe5c4e688dfa0", _id: "646e2092d80fe5c4e688dfa0", login: "lane1991" }` in
    /// the `left_participants` example, equal to `_id` there (NOTES.md S62).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_id: Option<String>,
    /// The name the user signs in with: `login: "user_1"`; unique ignoring case (NOTES.md
    /// S15).
    #[schemars(length(min = 1))]
    pub login: String,
    /// `first_name: "Ivan"`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// `last_name: "Ivanovich"`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The user's e-mail address, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The user's phone number, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// "recent_activity: 1700149064": seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent_activity: Option<i64>,
    /// When the user signed up: `created_at: "2022-10-13T13:11:04.447Z"`.
    pub created_at: Timestamp,
    /// When the user last changed: `updated_at: "2022-10-13T13:11:04.447Z"`.
    pub updated_at: Timestamp,
}

/// `user_create: { login: "user_1", password: "user_paswword_1" }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct UserCreateParams {
    /// The name to sign in with: `login: "user_1"`.
    #[schemars(length(min = 1))]
    pub login: String,
    /// The password: `password: "user_paswword_1"`.
    #[schemars(length(min = 1))]
    pub password: String,
    /// The user's e-mail address (NOTES.md S15).
    #[serde(default)]
    pub email: Option<String>,
    /// The user's phone number (NOTES.md S15).
    #[serde(default)]
    pub phone: Option<String>,
    /// The user's first name (NOTES.md S15).
    #[serde(default)]
    pub first_name: Option<String>,
    /// The user's last name (NOTES.md S15).
    #[serde(default)]
    pub last_name: Option<String>,
}

/// `{ response: { id, user: {...} } }`: the reply of `user_create` and `user_edit`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UserReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The user's record as it is now.
    pub user: User,
}

/// `user_edit: { current_password, new_password, email, phone }`: only the fields given
/// change; a new password needs the current one.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct UserEditParams {
    /// The password now: needed with `new_password` (NOTES.md S17).
    #[serde(default)]
    pub current_password: Option<String>,
    /// The password to set.
    #[serde(default)]
    pub new_password: Option<String>,
    /// The new e-mail address; one another user has is refused (NOTES.md S17).
    #[serde(default)]
    pub email: Option<String>,
    /// The new phone number; one another user has is refused (NOTES.md S17).
    #[serde(default)]
    pub phone: Option<String>,
    /// The new first name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// The new last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// The new login.
    #[serde(default)]
    pub login: Option<String>,
}

/// `user_search: { keyword: "sam", limit: 100, updated_at: { gt }, ignore_ids: [...] }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct UserSearchParams {
    /// What to look for: `keyword: "sam"`, a case-insensitive part of the login, names or
    /// e-mail (NOTES.md S19).
    #[serde(default)]
    pub keyword: Option<String>,
    /// How many users at most: `limit: 100`; default and cap 100 (NOTES.md S19).
    #[serde(default)]
    pub limit: Option<u64>,
    /// Only users changed in this range: `updated_at: { gt: timestamp_in_ms }`.
    #[serde(default)]
    pub updated_at: Option<TimeRange>,
    /// Users to leave out: `ignore_ids: [ "63077ad836b78c3d82af0866", ... ]`.
    #[serde(default)]
    pub ignore_ids: Option<Vec<String>>,
}

/// `get_users_by_ids: { ids: [ "65fcb3f67dbaace5021595b9" ] }`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetUsersByIdsParams {
    /// The users' ids: `ids: [ "65fcb3f67dbaace5021595b9" ]`; unknown ones are left out
    /// (NOTES.md S20).
    pub ids: Vec<String>,
}

/// `{ response: { id, users: [...] } }`: the reply of `user_search` and `get_users_by_ids`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UsersReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The users found: `users: [...]`.
    pub users: Vec<User>,
}
