//! Shaping requests for a real server, as its target profile says (DESIGN.md, "Targets"):
//! fields the server needs that the document never mentions, fields it must not be sent,
//! field and header names it spells otherwise. One mechanism for every API: a driver calls
//! [`Shaping::shape_body`] on a request's body (its `args` for Unichat, the request object
//! for SAMA) and [`Shaping::header`] on each header name, just before sending.
//!
//! Values may hold templates, expanded per request ([`Vars`]):
//!
//! | template | becomes |
//! | --- | --- |
//! | `{run}` | the run id, the same in every name the run makes |
//! | `{n}` | a number unique within the run, fresh for each request |
//! | `{login}` | the login of the user the request provisions, signs up or logs in; elsewhere the acting user's login when the harness knows it, else `{actor}-{run}` |
//! | `{actor}` | the scenario's name for the acting user (`Alice`), or `anonymous` |
//!
//! In TOML (top level of a profile; `"*"` stands for every request):
//!
//! ```toml
//! [extra_fields.user_create]
//! organization_id = "org-1"
//! email = "{login}@example.test"
//! [omit_fields]
//! user_create = ["first_name"]
//! [field_names."*"]
//! device_id = "deviceId"
//! [header_names]
//! APP_DOMAIN_TOKEN = "X-App-Domain-Token"
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The request name that stands for every request.
pub const EVERY_REQUEST: &str = "*";

/// The request name of the admin API's `POST /_mock/users` (the provisioning call).
pub const PROVISION: &str = "provision";

/// The templates a value may hold.
pub const TEMPLATES: [&str; 4] = ["{run}", "{n}", "{login}", "{actor}"];

/// How the profile reshapes requests (every table is empty for the embedded mocks).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Shaping {
    /// Fields merged into a request's body, by request name; a field the harness sends too
    /// takes the profile's value.
    pub extra_fields: BTreeMap<String, Map<String, Value>>,
    /// Fields never sent, by request name (the document's names).
    pub omit_fields: BTreeMap<String, Vec<String>>,
    /// Body field renames, by request name: the document's name to the server's.
    pub field_names: BTreeMap<String, BTreeMap<String, String>>,
    /// Header renames: the document's name to the server's (matched ignoring case).
    pub header_names: BTreeMap<String, String>,
}

/// What the templates of one request expand to.
#[derive(Clone, Debug, Default)]
pub struct Vars<'a> {
    /// The run id.
    pub run: &'a str,
    /// A number unique within the run.
    pub n: u64,
    /// The login of the user the request is about, when the harness knows it.
    pub login: Option<&'a str>,
    /// The scenario's name for the acting user.
    pub actor: Option<&'a str>,
}

impl Vars<'_> {
    /// `template` with every template of [`TEMPLATES`] expanded.
    pub fn expand(&self, template: &str) -> String {
        if !template.contains('{') {
            return template.to_owned();
        }
        let actor = self.actor.unwrap_or("anonymous");
        let login = match self.login {
            Some(l) => l.to_owned(),
            None => format!("{actor}-{}", self.run),
        };
        template
            .replace("{run}", self.run)
            .replace("{n}", &self.n.to_string())
            .replace("{login}", &login)
            .replace("{actor}", actor)
    }

    /// `value` with every string in it expanded.
    pub fn expand_value(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.expand(s)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.expand_value(v)).collect()),
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), self.expand_value(v))).collect())
            }
            other => other.clone(),
        }
    }
}

impl Shaping {
    /// Whether the profile reshapes nothing.
    pub fn is_empty(&self) -> bool {
        self.extra_fields.is_empty()
            && self.omit_fields.is_empty()
            && self.field_names.is_empty()
            && self.header_names.is_empty()
    }

    /// The entries of `table` for request `name`: those for every request first, then its own.
    fn for_request<'a, T>(table: &'a BTreeMap<String, T>, name: &str) -> impl Iterator<Item = &'a T> {
        [table.get(EVERY_REQUEST), table.get(name)].into_iter().flatten()
    }

    /// Whether the profile changes the body of request `name` at all.
    pub fn shapes(&self, name: &str) -> bool {
        [EVERY_REQUEST, name].iter().any(|n| {
            self.extra_fields.contains_key(*n)
                || self.omit_fields.contains_key(*n)
                || self.field_names.contains_key(*n)
        })
    }

    /// Shapes the body of request `name`: omits, then adds the extra fields (templates
    /// expanded with `vars`), then renames. A body that is not a JSON object is left as it is,
    /// except `null`, which becomes an object when there are extra fields.
    pub fn shape_body(&self, name: &str, body: &mut Value, vars: &Vars<'_>) {
        if !self.shapes(name) {
            return;
        }
        if body.is_null() && Self::for_request(&self.extra_fields, name).any(|m| !m.is_empty()) {
            *body = Value::Object(Map::new());
        }
        let Some(obj) = body.as_object_mut() else { return };
        for omit in Self::for_request(&self.omit_fields, name) {
            for field in omit {
                obj.remove(field);
            }
        }
        for extra in Self::for_request(&self.extra_fields, name) {
            for (k, v) in extra {
                obj.insert(k.clone(), vars.expand_value(v));
            }
        }
        for renames in Self::for_request(&self.field_names, name) {
            for (from, to) in renames {
                if let Some(v) = obj.remove(from) {
                    obj.insert(to.clone(), v);
                }
            }
        }
    }

    /// The name the server uses for header `name` (the document's).
    pub fn header<'a>(&'a self, name: &'a str) -> &'a str {
        self.header_names
            .iter()
            .find(|(from, _)| from.eq_ignore_ascii_case(name))
            .map_or(name, |(_, to)| to.as_str())
    }

    /// Checks a profile's tables: every request name is one of `known` (or `*`, or
    /// `provision`), every template is one of [`TEMPLATES`], no name is empty.
    pub fn check(&self, known: &[&'static str]) -> Result<(), ShapingError> {
        let check_name = |table: &'static str, name: &str| -> Result<(), ShapingError> {
            if name == EVERY_REQUEST || name == PROVISION || known.contains(&name) {
                return Ok(());
            }
            Err(ShapingError::UnknownRequest { table, name: name.to_owned(), known: known.to_vec() })
        };
        for (name, fields) in &self.extra_fields {
            check_name("extra_fields", name)?;
            for (field, value) in fields {
                check_templates(&format!("extra_fields.{name}.{field}"), value)?;
            }
        }
        for (name, fields) in &self.omit_fields {
            check_name("omit_fields", name)?;
            if fields.iter().any(|f| f.trim().is_empty()) {
                return Err(ShapingError::EmptyOmittedField { request: name.clone() });
            }
        }
        for (name, renames) in &self.field_names {
            check_name("field_names", name)?;
            if let Some((from, to)) = renames.iter().find(|(f, t)| f.trim().is_empty() || t.trim().is_empty())
            {
                return Err(ShapingError::EmptyRename {
                    request: name.clone(),
                    from: from.clone(),
                    to: to.clone(),
                });
            }
        }
        for (from, to) in &self.header_names {
            let valid = |h: &str| {
                !h.is_empty()
                    && h.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
            };
            if !valid(from) || !valid(to) {
                return Err(ShapingError::HeaderName { from: from.clone(), to: to.clone() });
            }
        }
        Ok(())
    }
}

/// Why a profile's request shaping is refused.
#[derive(Debug, thiserror::Error)]
pub enum ShapingError {
    /// A table names a request the API does not have.
    #[error(
        "{table}.{name} is not a request of this API; known: \"*\" (every request), \"{}\" (the admin API's POST /_mock/users), {}",
        PROVISION,
        known.join(", ")
    )]
    UnknownRequest {
        /// The table: `extra_fields`, `omit_fields` or `field_names`.
        table: &'static str,
        /// The request name given.
        name: String,
        /// The API's request names.
        known: Vec<&'static str>,
    },
    /// A value of `extra_fields` holds a `{...}` that is not one of [`TEMPLATES`].
    #[error("{field} = {value:?}: {template} is not a template; known: {}", TEMPLATES.join(", "))]
    Template {
        /// The field, as `extra_fields.<request>.<field>[.<key>...]`.
        field: String,
        /// The string that holds it.
        value: String,
        /// The unknown template, braces included.
        template: String,
    },
    /// `omit_fields.<request>` lists an empty field name.
    #[error("omit_fields.{request} names an empty field")]
    EmptyOmittedField {
        /// The request.
        request: String,
    },
    /// `field_names.<request>` renames from or to an empty name.
    #[error("field_names.{request}: {from:?} = {to:?} renames from or to an empty name")]
    EmptyRename {
        /// The request.
        request: String,
        /// The document's name.
        from: String,
        /// The server's name.
        to: String,
    },
    /// `header_names` has a name that is not a header name (RFC 9110 token).
    #[error("header_names: {from:?} = {to:?} is not a rename of one header name to another")]
    HeaderName {
        /// The document's header name.
        from: String,
        /// The server's.
        to: String,
    },
}

/// Fails on a `{...}` in a string of `value` that is not a known template.
fn check_templates(field: &str, value: &Value) -> Result<(), ShapingError> {
    match value {
        Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(start) = rest.find('{') {
                let Some(len) = rest[start..].find('}') else { break };
                let t = &rest[start..=start + len];
                if !TEMPLATES.contains(&t) {
                    return Err(ShapingError::Template {
                        field: field.to_owned(),
                        value: s.clone(),
                        template: t.to_owned(),
                    });
                }
                rest = &rest[start + len + 1..];
            }
            Ok(())
        }
        Value::Array(items) => items.iter().try_for_each(|v| check_templates(field, v)),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| check_templates(&format!("{field}.{k}"), v)),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shaping() -> Shaping {
        let mut s = Shaping::default();
        s.extra_fields.insert(
            "user_create".into(),
            json!({"organization_id": "org-1", "email": "{login}@example.test", "tags": ["{run}-{n}"]})
                .as_object()
                .cloned()
                .unwrap(),
        );
        s.extra_fields.insert("*".into(), json!({"client": "chatspec"}).as_object().cloned().unwrap());
        s.omit_fields.insert("user_create".into(), vec!["first_name".into()]);
        s.field_names.insert("*".into(), [("device_id".to_owned(), "deviceId".to_owned())].into());
        s.header_names.insert("APP_DOMAIN_TOKEN".into(), "X-Domain".into());
        s
    }

    #[test]
    fn bodies_get_extra_fields_lose_omitted_ones_and_are_renamed() {
        let s = shaping();
        let vars = Vars { run: "r1", n: 7, login: Some("alice-r1-3"), actor: Some("Alice") };
        let mut body = json!({"login": "alice-r1-3", "first_name": "Alice", "device_id": "d1"});
        s.shape_body("user_create", &mut body, &vars);
        assert_eq!(
            body,
            json!({"login": "alice-r1-3", "deviceId": "d1", "client": "chatspec", "organization_id": "org-1",
                   "email": "alice-r1-3@example.test", "tags": ["r1-7"]})
        );
        let mut other = Value::Null;
        s.shape_body("connect", &mut other, &Vars { run: "r1", ..Vars::default() });
        assert_eq!(other, json!({"client": "chatspec"}));
        let mut list = json!([1]);
        s.shape_body("connect", &mut list, &vars);
        assert_eq!(list, json!([1]));
        assert!(!Shaping::default().shapes("connect"));
    }

    #[test]
    fn login_falls_back_to_the_actor_and_the_run() {
        let vars = Vars { run: "r9", n: 1, login: None, actor: Some("Bob") };
        assert_eq!(vars.expand("{login}@x.test"), "Bob-r9@x.test");
        assert_eq!(Vars { run: "r9", ..Vars::default() }.expand("{actor}"), "anonymous");
    }

    #[test]
    fn headers_are_renamed_ignoring_case() {
        let s = shaping();
        assert_eq!(s.header("app_domain_token"), "X-Domain");
        assert_eq!(s.header("USER_AUTH_TOKEN"), "USER_AUTH_TOKEN");
    }

    #[test]
    fn profiles_name_unknown_requests_and_templates() {
        let s = shaping();
        assert!(s.check(&["user_create", "connect"]).is_ok());
        let e = s.check(&["connect"]).unwrap_err().to_string();
        assert!(e.starts_with("extra_fields.user_create is not a request"), "{e}");
        let mut bad = Shaping::default();
        bad.extra_fields.insert("connect".into(), json!({"x": "{user}"}).as_object().cloned().unwrap());
        let e = bad.check(&["connect"]).unwrap_err().to_string();
        assert!(e.contains("extra_fields.connect.x") && e.contains("{user} is not a template"), "{e}");
        let mut bad = Shaping::default();
        bad.header_names.insert("A B".into(), "C".into());
        assert!(bad.check(&[]).unwrap_err().to_string().starts_with("header_names"));
    }
}
