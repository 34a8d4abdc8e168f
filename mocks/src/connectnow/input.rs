//! Reading a request the way the API's conventions allow: tokens in the query string, the
//! body or `Authorization: Bearer`, bodies as JSON or forms (public facts; NOTES.md C3, C19).

use std::sync::Arc;

use axum::{
    body::{Body, Bytes},
    extract::{FromRequest, FromRequestParts, RawPathParams},
    http::{HeaderMap, Request, StatusCode, header, request::Parts},
};
use serde_json::{Map, Value};

use super::ConnectNow;
use super::auth::Credentials;
use super::errors::ApiError;
use super::store::Input;

/// Largest request body read.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The request's [`Input`], extracted; bad bodies are answered in the API's own envelope.
pub struct Req(pub Input);

impl FromRequest<Arc<ConnectNow>> for Req {
    type Rejection = ApiError;

    async fn from_request(req: Request<Body>, state: &Arc<ConnectNow>) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let query = pairs_to_map(form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes()));
        let is_form = crate::kit::media::content_type_is(&parts.headers, "application/x-www-form-urlencoded");
        let url = format!("{}{}", base_url(&parts.headers, state), parts.uri.path());
        let bearer = bearer(&parts.headers);
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge(BODY_LIMIT)
            } else {
                ApiError::invalid("body", format!("The body could not be read: {e}"))
            }
        })?;
        let body = parse_body(&bytes, is_form)?;
        let creds = Credentials {
            api_token: token(&query, &body, "api_token"),
            chat_user_token: token(&query, &body, "chat_user_token"),
            bearer,
        };
        Ok(Req(Input { creds, query, body, url }))
    }
}

/// The base URL page links are built on: the request's `Host`, as Laravel does, else the
/// configured base.
fn base_url(headers: &HeaderMap, state: &ConnectNow) -> String {
    match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) if !host.is_empty() => format!("http://{host}"),
        _ => state.public_base(),
    }
}

/// `Authorization: Bearer <token>`; a header that is not ASCII is an empty (bad) token.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?;
    let text = value.to_str().unwrap_or("");
    let (scheme, token) = text.split_once(' ').unwrap_or((text, ""));
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// A token from the query string, else the body; a non-string value is an empty token.
fn token(query: &Map<String, Value>, body: &Map<String, Value>, name: &str) -> Option<String> {
    query.get(name).or_else(|| body.get(name)).map(|v| v.as_str().unwrap_or("").to_owned())
}

fn pairs_to_map<'a>(
    pairs: impl Iterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
) -> Map<String, Value> {
    // The last of repeated keys wins, as in PHP.
    pairs.map(|(k, v)| (k.into_owned(), Value::String(v.into_owned()))).collect()
}

/// The body as a field map: empty, a form, or a JSON object.
fn parse_body(bytes: &[u8], is_form: bool) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    if is_form {
        return Ok(pairs_to_map(form_urlencoded::parse(bytes)));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid("body", "The request body must be a JSON object.")),
        Err(e) => Err(ApiError::invalid("body", format!("The request body is not valid JSON: {e}."))),
    }
}

/// The numeric ids in a request's path, in order. A non-numeric id names no record: 404.
pub struct Ids(pub Vec<u64>);

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound("Not Found.".into()))?;
        let mut ids = Vec::new();
        for (name, raw) in &params {
            let id = raw.parse::<u64>().map_err(|_| {
                // The seed's placeholders, as the routes are declared (`connectnow::Route`).
                let model = match name {
                    "company-id" => "Company",
                    "chat-id" => "Chat",
                    "chat-user-id" => "ChatUser",
                    "chat-message-id" => "ChatMessage",
                    other => other,
                };
                ApiError::missing(model, raw)
            })?;
            ids.push(id);
        }
        Ok(Ids(ids))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_are_json_objects_or_forms() {
        assert_eq!(parse_body(b"  ", false).unwrap(), Map::new());
        assert_eq!(
            Value::Object(parse_body(br#"{"name": "Acme"}"#, false).unwrap()),
            json!({"name": "Acme"})
        );
        assert_eq!(
            Value::Object(parse_body(b"name=Acme+Ltd&api_token=t", true).unwrap()),
            json!({"name": "Acme Ltd", "api_token": "t"})
        );
        for bad in [&b"{"[..], b"[1]", b"\"x\"", b"\xff"] {
            assert!(matches!(
                parse_body(bad, false),
                Err(ApiError::Validation(e)) if e.contains_key("body")
            ));
        }
    }

    #[test]
    fn tokens_come_from_the_query_before_the_body() {
        let query = pairs_to_map(form_urlencoded::parse(b"api_token=q"));
        let body = json!({"api_token": "b", "chat_user_token": 7});
        let body = body.as_object().unwrap();
        assert_eq!(token(&query, body, "api_token").as_deref(), Some("q"));
        assert_eq!(token(&Map::new(), body, "api_token").as_deref(), Some("b"));
        assert_eq!(token(&query, body, "chat_user_token").as_deref(), Some(""));
        assert_eq!(token(&query, body, "other"), None);
    }

    #[test]
    fn bearer_tokens() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), None);
        headers.insert(header::AUTHORIZATION, "Bearer abc".parse().unwrap());
        assert_eq!(bearer(&headers).as_deref(), Some("abc"));
        headers.insert(header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert_eq!(bearer(&headers), None);
        headers.insert(header::AUTHORIZATION, "bearer".parse().unwrap());
        assert_eq!(bearer(&headers).as_deref(), Some(""));
    }
}
