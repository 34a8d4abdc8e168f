//! The single endpoint's contract in the store (seed 000, "HTTP REST Unichat Endpoint",
//! "Specifying domain token", "Authenticating user"): the tokens a call needs, and the
//! dispatch of a method name to its handler.
//!
//! The dispatch is [`Method::dispatch`], made from the list `specs` declares once: each method
//! is served by its [`Handle`](chatspec_specs::endpoint::Handle) impl in the file of its area,
//! a method added to the list does not compile until it has one, and the names and token
//! needs come from the declaration, not from a table kept here.

use base64::Engine as _;
use chatspec_specs::unichat::{Auth, Method, envelope::ErrorCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use time::OffsetDateTime;

use super::error::{ApiError, fail};
use super::store::Store;

impl Store {
    /// Runs one API call.
    ///
    /// `name` is the method name of the URL; `domain_token` and `user_token` are the
    /// `APP_DOMAIN_TOKEN` and `USER_AUTH_TOKEN` headers; `args` is the `args` object of the
    /// body. Errors are the seed 000 envelope's codes ([`ErrorCode`]).
    pub fn call(
        &mut self,
        now: OffsetDateTime,
        name: &str,
        domain_token: Option<&str>,
        user_token: Option<&str>,
        args: Value,
    ) -> Result<Value, ApiError> {
        match domain_token {
            None => {
                return fail(ErrorCode::InvalidDomainToken, "the APP_DOMAIN_TOKEN header is required");
            }
            Some(t) if !self.config.domain_tokens.iter().any(|d| d == t) => {
                return fail(ErrorCode::InvalidDomainToken, "unknown APP_DOMAIN_TOKEN");
            }
            Some(_) => {}
        }
        let Some(method) = Method::from_name(name) else {
            let served: Vec<&str> = Method::ALL.iter().map(|m| m.name()).collect();
            return fail(
                ErrorCode::UnknownMethod,
                format!("no method named {name:?}; this mock serves {}", served.join(", ")),
            );
        };
        // Seed 000: "Do not pass this header with empty or improper value as it will cause
        // error", whether or not the method needs a user.
        let user = match user_token {
            Some(t) => match self.tokens.get(t) {
                Some(&id) if !t.is_empty() => Some(id),
                _ => {
                    return fail(ErrorCode::InvalidAuthToken, "USER_AUTH_TOKEN is empty or unknown");
                }
            },
            None if method.meta().auth == Auth::User => {
                return fail(ErrorCode::AuthRequired, format!("{name} needs the USER_AUTH_TOKEN header"));
            }
            None => None,
        };
        let me = user.unwrap_or(0);
        let args = self.broken_args(method, args);
        method.dispatch(self, Call { now, me, args })
    }
}

/// What the dispatch hands a handler ([`Handle`](chatspec_specs::endpoint::Handle)): the
/// time of the call, the caller (0 for a method that needs no user) and the `args` object.
pub(crate) struct Call {
    pub now: OffsetDateTime,
    pub me: u64,
    pub args: Value,
}

impl Call {
    /// The args as the method's request type (`invalid_args` naming the field otherwise).
    pub fn args<T: DeserializeOwned>(self) -> Result<T, ApiError> {
        parse(self.args)
    }
}

/// What a handler answers: the reply's JSON, or the error.
pub(crate) type Served = Result<Value, ApiError>;

/// Parses a method's args into its declared request type, naming the offending field on
/// failure (`invalid_args`).
fn parse<T: DeserializeOwned>(args: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(args).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            ApiError::new(ErrorCode::InvalidArgs, format!("args: {inner}"))
        } else {
            ApiError::new(ErrorCode::InvalidArgs, format!("args.{path}: {inner}"))
        }
    })
}

impl Store {
    /// The arguments as a broken server would read them: breakages that differ from the
    /// document only in how they read what was sent.
    fn broken_args(&self, method: Method, mut args: Value) -> Value {
        use super::breakage::Breakage;
        if let Value::Object(fields) = &mut args {
            if method == Method::PostMessage
                && self.config.broken(Breakage::TextOptional)
                && !fields.contains_key("text")
            {
                fields.insert("text".into(), Value::String(String::new()));
            }
            if method == Method::EditMessage
                && self.config.broken(Breakage::NullTextClears)
                && fields.get("text").is_some_and(Value::is_null)
            {
                fields.insert("text".into(), Value::String(String::new()));
            }
            if let Some(Value::String(url)) = fields.get_mut("attachment")
                && method == Method::EditMessage
                && self.config.broken(Breakage::EditAttachmentUnchecked)
                && !url.is_empty()
                && !url.starts_with("data:")
            {
                *url = format!(
                    "data:text/plain;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(url.as_bytes())
                );
            }
            if method == Method::UpdateSubscription
                && self.config.broken(Breakage::MuteNullClears)
                && fields.get("mute_until").is_some_and(Value::is_null)
            {
                fields.insert("mute_until".into(), Value::String("2000-01-01T00:00:00Z".into()));
            }
        }
        args
    }

    /// The `in_reply_to_message_id` an edit sent, when a broken server would set it.
    pub(super) fn broken_reply_link(&self, args: &Value) -> Option<u64> {
        let broken = self.config.broken(super::breakage::Breakage::EditSetsReply);
        args.get("in_reply_to_message_id").and_then(Value::as_u64).filter(|_| broken)
    }

    /// Sets the edited message's reply link to `link` and answers with the message as it is
    /// then (only a broken server does).
    pub(super) fn set_reply_link(&mut self, me: u64, reply: Value, link: Option<u64>) -> Value {
        let Some(id) = reply.pointer("/message/id").and_then(Value::as_u64).filter(|_| link.is_some()) else {
            return reply;
        };
        if let Some(m) = self.messages.get_mut(&id) {
            m.in_reply_to_message_id = link;
        }
        serde_json::json!({"message": self.msg_value(id, me)})
    }
}
