//! The public open-source SAMA server 0.36's behaviours and deviations, reproduced on demand:
//! `chatspec serve sama --compat NAME` (or `Config::compat`) turns on switches of the
//! catalogue in `chatspec_specs::sama::compat`, so a client written for that server runs
//! against the mock and the harness can be tried against a stand-in of it. Register:
//! NOTES.md, "The public server's behaviours (`--compat`)". With no switch on, nothing here
//! changes a byte of what the mock sends.
//!
//! The rules a switch changes stay in their area's file behind `config.on(Switch::...)`;
//! what is shared by several areas (error shapes and statuses, the fields the public server
//! knows, organizations) is here.

mod first_key;
pub(crate) mod jwt;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chatspec_specs::sama::envelope::{ErrorBody, ErrorReply, RequestId, Status};
use serde_json::{Map, Value, json};

pub use chatspec_specs::sama::compat::{PRESET, Switch, SwitchKind};
pub(crate) use first_key::decode_first_key;

use super::error::{SamaError, fail};
use super::frames::{self, event, to_value};
use super::store::{Config, Store};

/// A set of switches that are on.
pub type Compat = BTreeSet<Switch>;

impl Config {
    /// Whether the public server's behaviour `s` is reproduced.
    pub fn on(&self, s: Switch) -> bool {
        self.compat.contains(&s)
    }
}

/// The status a failed request is answered with: the mock's, or the public server's
/// (`other_error_statuses`).
fn status_of(compat: &Compat, e: &SamaError) -> u16 {
    if compat.contains(&Switch::OtherErrorStatuses) { e.cause.public_status() } else { e.status.code() }
}

/// An HTTP error of the API routes: the one error shape as JSON, or with `errors_as_strings`
/// the text alone as `text/plain`, as the public server sends `422 'device_id' is required.`
pub(crate) fn http_error(compat: &Compat, status: u16, message: &str) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    if compat.contains(&Switch::ErrorsAsStrings) {
        let text = HeaderValue::from_static("text/plain; charset=utf-8");
        return (code, [(header::CONTENT_TYPE, text)], message.to_owned()).into_response();
    }
    let body = ErrorReply { id: None, error: ErrorBody { status, message: message.to_owned() } };
    (code, Json(body)).into_response()
}

/// A failed HTTP call to `/login`, `/logout` or a file URL, with the public server's status
/// when `other_error_statuses` is on.
pub(crate) fn http_failure(compat: &Compat, e: &SamaError) -> Response {
    if compat.is_empty() {
        return e.clone().into_response();
    }
    http_error(compat, status_of(compat, e), &e.message)
}

/// The fields the public server's schema knows for request (or packet) `name`, where it
/// checks them: the document's fields as the request schemas list them, except that
/// `user_create` knows `organization_id` and `device_id` but no names, `user_login` knows
/// `organization_id`, and `typing` takes no `id`. `None` for parameters that are not an
/// object (`create_files`, the literal `contacts` list).
fn known_fields(name: &str) -> Option<&'static BTreeSet<String>> {
    static FIELDS: OnceLock<BTreeMap<String, BTreeSet<String>>> = OnceLock::new();
    FIELDS
        .get_or_init(|| {
            let mut fields: BTreeMap<String, BTreeSet<String>> = chatspec_specs::sama::schemas()
                .into_iter()
                .filter_map(|(schema, s)| {
                    let request = schema.strip_prefix("request.")?.to_owned();
                    let object = s.as_value().get("type").and_then(Value::as_str) == Some("object");
                    let props = s.as_value().get("properties").and_then(Value::as_object);
                    let names = props.map(|p| p.keys().cloned().collect()).unwrap_or_default();
                    object.then_some((request, names))
                })
                .collect();
            let user_create = ["login", "password", "email", "phone", "organization_id", "device_id"];
            fields.insert("user_create".into(), user_create.iter().map(|f| (*f).to_owned()).collect());
            fields.entry("user_login".into()).or_default().insert("organization_id".into());
            fields.entry("typing".into()).or_default().remove("id");
            fields
        })
        .get(name)
}

/// A non-empty string field of raw parameters.
pub(crate) fn text_field(p: &Value, field: &str) -> Option<String> {
    p.get(field).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn required(field: &str) -> SamaError {
    SamaError::new(Status::Unprocessable, format!("\"{field}\" is required"))
}

impl Store {
    /// The error frame for a failed request, or for a failed `message`, `system_message` or
    /// `typing` packet (`packet` names it): `{ response: { id, error: { status, message } } }`
    /// by default; the error a string with `errors_as_strings`; `{ <packet>: { error: {
    /// status, message } } }` without an id with `packet_errors_without_id`.
    pub(crate) fn error_frame(&self, packet: Option<&str>, id: Option<RequestId>, e: &SamaError) -> Value {
        let compat = &self.config.compat;
        if compat.is_empty() {
            return frames::error_frame(id, e);
        }
        let status = status_of(compat, e);
        if let Some(kind) = packet
            && compat.contains(&Switch::PacketErrorsWithoutId)
        {
            return event(kind, json!({"error": {"status": status, "message": e.message}}));
        }
        let error = if compat.contains(&Switch::ErrorsAsStrings) {
            Value::String(e.message.clone())
        } else {
            json!({"status": status, "message": e.message})
        };
        let mut reply = Map::with_capacity(2);
        if let Some(id) = id {
            reply.insert("id".into(), to_value(&id));
        }
        reply.insert("error".into(), error);
        frames::response(Value::Object(reply))
    }

    /// What the public server checks of a request's (or packet's) raw parameters before it
    /// runs, for the switches that are on.
    pub(crate) fn compat_checks(&self, name: &str, p: &Value) -> Result<(), SamaError> {
        let c = &self.config;
        if c.compat.is_empty() {
            return Ok(());
        }
        if c.on(Switch::RefusesUnknownFields)
            && let (Some(fields), Some(known)) = (p.as_object(), known_fields(name))
            && let Some(unknown) = fields.keys().find(|f| !known.contains(*f))
        {
            return fail(Status::Unprocessable, format!("\"{unknown}\" is not allowed"));
        }
        match name {
            "user_create" if c.on(Switch::SignUpNeedsOrganization) => {
                for field in ["email", "organization_id"] {
                    if text_field(p, field).is_none() {
                        return Err(required(field));
                    }
                }
            }
            "contact_list" if c.on(Switch::ContactListRefusesIds) && p.get("ids").is_some() => {
                return fail(Status::Unprocessable, "\"ids\" is not allowed");
            }
            "push_subscription_list"
                if c.on(Switch::SubscriptionListNeedsUserId) && text_field(p, "user_id").is_none() =>
            {
                return Err(required("user_id"));
            }
            _ => {}
        }
        if matches!(name, "user_create" | "user_edit")
            && c.on(Switch::PhoneAtMost15)
            && p.get("phone").and_then(Value::as_str).is_some_and(|ph| ph.chars().count() > 15)
        {
            return fail(
                Status::Unprocessable,
                "\"phone\" length must be less than or equal to 15 characters long",
            );
        }
        Ok(())
    }

    /// A login's `organization_id` (`sign_up_needs_organization` for password logins,
    /// `token_login_needs_organization` for token logins): required, and the user's own when
    /// they signed up with one (users provisioned through the admin API belong to none, so
    /// any organization lets them in).
    pub(crate) fn check_organization(&self, user: &str, given: Option<&str>) -> Result<(), SamaError> {
        let Some(given) = given else {
            return Err(required("organization_id"));
        };
        match self.users.get(user).and_then(|u| u.organization_id.as_deref()) {
            Some(theirs) if theirs != given => {
                fail(Status::Unauthorized, format!("the user does not belong to organization {given:?}"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
