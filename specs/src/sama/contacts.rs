//! Contacts (seed 003): `contact_add`, the batch request, `contact_update`, `contact_list`,
//! `contact_delete`, and the contact record.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::envelope::RequestId;
use super::times::{TimeFilter, Timestamp};

/// One e-mail address or phone number of a contact: `{ type: "work", value: "...",
/// matched_user_id: "uId5" }`; `matched_user_id` names the user whose own e-mail or phone is
/// that value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ContactField {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_user_id: Option<String>,
}

/// An e-mail address or phone number as a client sends it: `{ type: "work", value: "..." }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ContactFieldInput {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    pub value: String,
}

/// The contact record: `{ _id, first_name, last_name, company, email: [...], phone: [...],
/// updated_at, created_at }`; "email or phone param is required", so a record carries one of
/// the two lists at least (the mock always sends both).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = email_or_phone)]
pub struct Contact {
    #[serde(rename = "_id")]
    #[schemars(length(min = 1))]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    pub email: Vec<ContactField>,
    pub phone: Vec<ContactField>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// "email or phone param is required": `email` and `phone` are not both required, one is.
fn email_or_phone(schema: &mut schemars::Schema) {
    if let Some(serde_json::Value::Array(required)) = schema.get_mut("required") {
        required.retain(|r| r != "email" && r != "phone");
    }
    schema.insert(
        "anyOf".into(),
        serde_json::json!([{"required": ["email"]}, {"required": ["phone"]}]),
    );
}

/// `contact_add: { first_name, last_name, company, email: [...], phone: [...] }`: "email or
/// phone param is required, as well as first_name or last_name".
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ContactParams {
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub email: Option<Vec<ContactFieldInput>>,
    #[serde(default)]
    pub phone: Option<Vec<ContactFieldInput>>,
}

/// The batch request: `request: { contacts: [ {...}, {...} ], id: "5" }` (its name was lost
/// from the seed; served as `contact_batch_add: { contacts }` and as the seed's literal
/// `contacts: [...]`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ContactBatchParams {
    pub contacts: Vec<ContactParams>,
}

/// `contact_update: { id, first_name, last_name, company, email, phone }`: the fields given
/// replace the contact's.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ContactUpdateParams {
    #[schemars(length(min = 1))]
    pub id: String,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub email: Option<Vec<ContactFieldInput>>,
    #[serde(default)]
    pub phone: Option<Vec<ContactFieldInput>>,
}

/// `contact_list: { updated_at, limit: 56, ids }`: "You can also add the `ids` parameter if
/// you need to get the target chat objects. The maximum number of ids in a request is 10."
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ContactListParams {
    #[serde(default)]
    pub updated_at: Option<TimeFilter>,
    #[serde(default)]
    pub limit: Option<u64>,
    #[schemars(length(max = 10))]
    #[serde(default)]
    pub ids: Option<Vec<String>>,
}

/// `contact_delete: { id }`: "A id param is required."
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct ContactDeleteParams {
    #[schemars(length(min = 1))]
    pub id: String,
}

/// `{ response: { id, contact: {...} } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ContactReply {
    pub id: RequestId,
    pub contact: Contact,
}

/// `{ response: { id, contacts: [...] } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ContactsReply {
    pub id: RequestId,
    pub contacts: Vec<Contact>,
}
