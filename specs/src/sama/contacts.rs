//! Contacts (seed 003): `contact_add`, the batch request, `contact_update`, `contact_list`,
//! `contact_delete`, and the contact record.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Meta;
use super::envelope::{RequestId, SuccessReply};
use super::times::{TimeFilter, Timestamp};
use crate::endpoint::{Doc, Endpoint};

/// `contact_add: { first_name, last_name, company, email, phone }`.
pub struct ContactAdd;

impl Endpoint for ContactAdd {
    const NAME: &'static str = "contact_add";
    type Request = ContactParams;
    type Reply = ContactReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "or phone param is required, as well as first_name or last_name")
        .rule("S-contact-required");
}

/// The batch request as the seed shows it: `request: { contacts: [ {...}, {...} ], id }` (its
/// name lost, NOTES.md S21).
pub struct Contacts;

impl Endpoint for Contacts {
    const NAME: &'static str = "contacts";
    type Request = ContactsParams;
    type Reply = ContactsReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "request: { contacts: [");
}

/// `contact_batch_add: { contacts: [...] }`: the batch request under the public server's name
/// (NOTES.md S21).
pub struct ContactBatchAdd;

impl Endpoint for ContactBatchAdd {
    const NAME: &'static str = "contact_batch_add";
    type Request = ContactBatchParams;
    type Reply = ContactsReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::reading("003", "request: { contacts: [", "S21");
}

/// `contact_update: { id, first_name, last_name, company, email, phone }`.
pub struct ContactUpdate;

impl Endpoint for ContactUpdate {
    const NAME: &'static str = "contact_update";
    type Request = ContactUpdateParams;
    type Reply = ContactReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "request: { contact_update: { id: \"63480e68f4794709f802a2fa\",");
}

/// `contact_list: { updated_at, limit, ids }`.
pub struct ContactList;

impl Endpoint for ContactList {
    const NAME: &'static str = "contact_list";
    type Request = ContactListParams;
    type Reply = ContactsReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed(
        "003",
        "You can also add the `ids` parameter if you need to get the target chat objects. The maximum number of ids in a request is 10.",
    );
}

/// `contact_delete: { id }`.
pub struct ContactDelete;

impl Endpoint for ContactDelete {
    const NAME: &'static str = "contact_delete";
    type Request = ContactDeleteParams;
    type Reply = SuccessReply;
    type Meta = Meta;
    const META: Meta = Meta::REQUEST;
    const DOC: Doc = Doc::seed("003", "A id param is required.").rule("S-contact-delete-id-required");
}

/// One e-mail address or phone number of a contact: `{ type: "work", value: "...",
/// matched_user_id: "uId5" }`; `matched_user_id` names the user whose own e-mail or phone is
/// that value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ContactField {
    /// The kind of address: `type: "work"`, `"home"`, or `other` when the client gave none
    /// (NOTES.md S22).
    #[serde(rename = "type")]
    pub kind: String,
    /// The address or number itself.
    pub value: String,
    /// The user whose own e-mail or phone is `value`: `matched_user_id: "uId5"` (NOTES.md
    /// S23).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_user_id: Option<String>,
}

/// An e-mail address or phone number as a client sends it: `{ type: "work", value: "..." }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ContactFieldInput {
    /// The kind of address: `type: "work"`; `other` when absent (NOTES.md S22).
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The address or number itself.
    pub value: String,
}

/// The contact record: `{ _id, first_name, last_name, company, email: [...], phone: [...],
/// updated_at, created_at }`; "email or phone param is required", so a record carries one of
/// the two lists at least (the mock always sends both).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = email_or_phone)]
pub struct Contact {
    /// The contact's id: `_id: "63480e68f4794709f802a2fa"`.
    #[serde(rename = "_id")]
    #[schemars(length(min = 1))]
    pub id: String,
    /// `first_name: "Name"`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// `last_name: "Surname"`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `company: "UserCompany"`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// The contact's e-mail addresses: `email: [ { type: "work", value: "...", matched_user_id:
    /// "uId5" }, ... ]`.
    pub email: Vec<ContactField>,
    /// The contact's phone numbers: `phone: [ { type: "home", value: "...", matched_user_id:
    /// "uId7" } ]`.
    pub phone: Vec<ContactField>,
    /// When the contact was added; an ISO date although the examples show `""` (NOTES.md
    /// S25).
    pub created_at: Timestamp,
    /// When the contact last changed (NOTES.md S25).
    pub updated_at: Timestamp,
}

/// "email or phone param is required": `email` and `phone` are not both required, one is.
fn email_or_phone(schema: &mut schemars::Schema) {
    if let Some(serde_json::Value::Array(required)) = schema.get_mut("required") {
        required.retain(|r| r != "email" && r != "phone");
    }
    schema.insert("anyOf".into(), serde_json::json!([{"required": ["email"]}, {"required": ["phone"]}]));
}

/// `contact_add: { first_name, last_name, company, email: [...], phone: [...] }`: "email or
/// phone param is required, as well as first_name or last_name".
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ContactParams {
    /// `first_name: "Name"`: this or `last_name` is required.
    #[serde(default)]
    pub first_name: Option<String>,
    /// `last_name: "Surname"`: this or `first_name` is required.
    #[serde(default)]
    pub last_name: Option<String>,
    /// `company: "UserCompany"`.
    #[serde(default)]
    pub company: Option<String>,
    /// `email: [ { type: "work", value: "..." }, ... ]`: this or `phone` is required.
    #[serde(default)]
    pub email: Option<Vec<ContactFieldInput>>,
    /// `phone: [ { type: "work", value: "..." }, ... ]`: this or `email` is required.
    #[serde(default)]
    pub phone: Option<Vec<ContactFieldInput>>,
}

/// The seed's literal batch request, `contacts: [ {...}, {...} ]`: the request's value is the
/// list itself.
pub type ContactsParams = Vec<ContactParams>;

/// The batch request: `request: { contacts: [ {...}, {...} ], id: "5" }` (its name was lost
/// from the seed; served as `contact_batch_add: { contacts }` and as the seed's literal
/// `contacts: [...]`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ContactBatchParams {
    /// The contacts to add, all or none (NOTES.md S21).
    pub contacts: Vec<ContactParams>,
}

/// `contact_update: { id, first_name, last_name, company, email, phone }`: the fields given
/// replace the contact's.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ContactUpdateParams {
    /// The contact's id: `id: "63480e68f4794709f802a2fa"`.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The new first name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// The new last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// The new company.
    #[serde(default)]
    pub company: Option<String>,
    /// The e-mail addresses that replace the contact's.
    #[serde(default)]
    pub email: Option<Vec<ContactFieldInput>>,
    /// The phone numbers that replace the contact's.
    #[serde(default)]
    pub phone: Option<Vec<ContactFieldInput>>,
}

/// `contact_list: { updated_at, limit: 56, ids }`: "You can also add the `ids` parameter if
/// you need to get the target chat objects. The maximum number of ids in a request is 10."
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ContactListParams {
    /// Only contacts changed in this range: `updated_at: ""` in the seed, `{ gt, lt }` or
    /// milliseconds as well (NOTES.md S24).
    #[serde(default)]
    pub updated_at: Option<TimeFilter>,
    /// How many contacts at most: `limit: 56`; default 100 (NOTES.md S24).
    #[serde(default)]
    pub limit: Option<u64>,
    /// "The maximum number of ids in a request is 10."
    #[schemars(length(max = 10))]
    #[serde(default)]
    pub ids: Option<Vec<String>>,
}

/// `contact_delete: { id }`: "A id param is required."
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ContactDeleteParams {
    /// The contact's id: "A id param is required."
    #[schemars(length(min = 1))]
    pub id: String,
}

/// `{ response: { id, contact: {...} } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ContactReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The contact as it is now.
    pub contact: Contact,
}

/// `{ response: { id, contacts: [...] } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ContactsReply {
    /// The request's `id`, echoed as sent.
    pub id: RequestId,
    /// The contacts added or listed: `contacts: [ {...}, {...} ]`.
    pub contacts: Vec<Contact>,
}
