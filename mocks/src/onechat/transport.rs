//! The OneChat transport: the router, built from `onechat::Route::ALL` (every call of seed
//! 004: `POST /onechat/api/{massBroadcast, singleMessage, groupMessage, registerMiniApp,
//! authenticateUser}`), each call served by its handler (`Route::dispatch` to the call's
//! [`Handle`](chatspec_specs::endpoint::Handle) impl in the file of its area), and the OneChat
//! additions to the admin API. Thin by design: every rule is in the store, in the file
//! of its area.

use std::sync::Arc;

use axum::{
    Extension, Json, Router,
    body::{Body, Bytes},
    extract::{DefaultBodyLimit, FromRequest, Path, State},
    http::{HeaderMap, Method, Request, StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::post,
};
use chatspec_specs::onechat::Route;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

use super::OneChat;
use super::directory::{DirectoryError, NewGroup};
use super::error::ApiError;
use crate::kit::admin;
use crate::kit::split::{AdminApart, path_named};

/// Largest request body read.
pub const BODY_LIMIT: usize = 1024 * 1024;

type S = State<Arc<OneChat>>;

async fn wrong_method(method: Method) -> Response {
    ApiError::MethodNotAllowed(method.to_string()).into_response()
}

/// The API routes (the shared admin routes are merged in by [`super::app`]).
pub fn routes(state: Arc<OneChat>) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_headers(AllowHeaders::mirror_request())
        .allow_methods([Method::POST, Method::OPTIONS]);
    let mut router = Router::new();
    // "Make sure Http method is set to POST": every call is a POST; a call added to the list
    // does not compile until it has its handler.
    for &route in Route::ALL {
        let handler = post(move |State(s): S, call: Call| async move { s.serve(route, &call) });
        router = router.route(route.meta().path, handler.fallback(wrong_method));
    }
    router.fallback(unknown_path).layer(DefaultBodyLimit::max(BODY_LIMIT)).layer(cors).with_state(state)
}

/// One call from raw parts (method, path and query, headers, body) to status, headers and
/// body, through the very routes [`super::app`] serves, without a socket: the one contract,
/// for test doubles that delegate to the mock and then break its reply.
pub fn respond(
    state: &Arc<OneChat>,
    method: &Method,
    path_and_query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> (StatusCode, HeaderMap, Bytes) {
    crate::kit::serve::respond(super::app(state.clone()), method, path_and_query, headers, body)
}

async fn unknown_path(uri: Uri, apart: Option<Extension<AdminApart>>) -> Response {
    ApiError::NoRoute(path_named(&uri, apart.as_ref())).into_response()
}

/// A call's `apikey` header and body fields: "Enter your API Key under Headers. Enter the
/// message details under Body." JSON objects and forms are read (NOTES.md O3).
pub struct Call {
    /// The `apikey` header, trimmed (empty when it is not visible ASCII).
    pub apikey: Option<String>,
    /// The body's fields (an empty body reads as no fields).
    pub body: Map<String, Value>,
}

impl<St: Send + Sync> FromRequest<St> for Call {
    type Rejection = ApiError;

    async fn from_request(req: Request<Body>, state: &St) -> Result<Self, Self::Rejection> {
        let headers: &HeaderMap = req.headers();
        // A header that is not visible ASCII cannot be a key: keep it as an empty (bad) one.
        let apikey = headers.get("apikey").map(|v| v.to_str().unwrap_or("").trim().to_owned());
        let is_form = crate::kit::media::content_type_is(headers, "application/x-www-form-urlencoded");
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge(BODY_LIMIT)
            } else {
                ApiError::BadBody(e.body_text())
            }
        })?;
        Ok(Call { apikey, body: parse_body(&bytes, is_form)? })
    }
}

/// The body as fields: empty, a form, or a JSON object.
fn parse_body(bytes: &[u8], is_form: bool) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    if is_form {
        return Ok(form_urlencoded::parse(bytes)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::BadBody("the body must be a JSON object".into())),
        Err(e) => Err(ApiError::BadBody(format!("the body is not JSON: {e}"))),
    }
}

/// A call's answer: the reply as its declared type, or the error in the API's envelope.
pub(super) fn reply<T: Serialize>(result: Result<T, ApiError>) -> Response {
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

/// What the dispatch hands a handler ([`Handle`](chatspec_specs::endpoint::Handle)): the time
/// of the call and the call.
pub(super) struct Received<'a> {
    pub now: OffsetDateTime,
    pub call: &'a Call,
}

impl OneChat {
    /// Serves one call: the handler of its route, on the store under its lock.
    fn serve(&self, route: Route, call: &Call) -> Response {
        let now = self.clock.now();
        route.dispatch(&mut *self.store(), Received { now, call })
    }
}

/// The OneChat additions to the admin API: groups, sessions and passwords (see the module
/// docs).
pub fn admin_table() -> Vec<admin::AdminRoute<Arc<OneChat>>> {
    vec![
        admin::AdminRoute::post("/_mock/groups", new_group),
        admin::AdminRoute::post("/_mock/sessions", new_session),
        admin::AdminRoute::delete("/_mock/sessions/{session}", end_session),
        admin::AdminRoute::post("/_mock/passwords", set_password),
    ]
}

/// Why an addition to the admin API refuses a request: its body, or the directory's rules.
#[derive(Debug, thiserror::Error)]
enum AdminRefusal {
    /// The body is not the JSON the call takes.
    #[error(transparent)]
    Body(#[from] admin::AdminError),
    /// The directory refuses the user, group or session.
    #[error(transparent)]
    Directory(#[from] DirectoryError),
}

fn admin_reply(status: StatusCode, result: Result<Value, AdminRefusal>) -> Response {
    match result {
        Ok(v) => (status, Json(v)).into_response(),
        Err(e) => admin::refused(&e),
    }
}

fn admin_body<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, AdminRefusal> {
    Ok(admin::parse(body)?)
}

async fn new_group(State(s): S, body: Bytes) -> Response {
    let result = admin_body::<NewGroup>(&body).and_then(|req| Ok(s.store().provision_group(req)?));
    admin_reply(StatusCode::CREATED, result)
}

#[derive(Deserialize)]
struct NewSession {
    jid: String,
}

async fn new_session(State(s): S, body: Bytes) -> Response {
    let result = admin_body::<NewSession>(&body).and_then(|req| Ok(s.store().open_session(&req.jid)?));
    admin_reply(StatusCode::CREATED, result)
}

#[derive(Deserialize)]
struct NewPassword {
    jid: String,
    password: String,
}

async fn set_password(State(s): S, body: Bytes) -> Response {
    let result = admin_body::<NewPassword>(&body)
        .and_then(|req| Ok(s.store().set_password(&req.jid, &req.password)?));
    admin_reply(StatusCode::OK, result)
}

async fn end_session(State(s): S, Path(session): Path<String>) -> Response {
    admin_reply(StatusCode::OK, s.store().end_session(&session).map_err(AdminRefusal::from))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_are_json_objects_or_forms() {
        assert_eq!(parse_body(b"", false).unwrap(), Map::new());
        assert_eq!(
            Value::Object(parse_body(b"jid=a%40b&message=Hi+there", true).unwrap()),
            json!({"jid": "a@b", "message": "Hi there"})
        );
        for bad in [&b"{"[..], b"[]", b"42"] {
            assert!(matches!(parse_body(bad, false), Err(ApiError::BadBody(_))));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod respond_tests {
    use super::*;
    use crate::kit::admin::MockAdmin;
    use axum::http::HeaderValue;

    #[test]
    fn respond_runs_the_served_routes_without_a_socket() {
        let state = OneChat::with_defaults();
        let ann = state.provision_user("Ann@example.org").unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        let body = br#"{"jid": "ann@example.org", "message": "Hi"}"#;
        let (status, _, bytes) = respond(&state, &Method::POST, "/onechat/api/singleMessage", &headers, body);
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(serde_json::from_slice::<Value>(&bytes).unwrap()["status"], "Error");
        headers.insert("apikey", HeaderValue::from_str(ann["apikey"].as_str().unwrap()).unwrap());
        let (status, _, bytes) = respond(&state, &Method::POST, "/onechat/api/singleMessage", &headers, body);
        assert_eq!(status, StatusCode::OK);
        assert_eq!(serde_json::from_slice::<Value>(&bytes).unwrap()["status"], "Success");
        assert_eq!(state.outbox().as_array().map(Vec::len), Some(1));
    }
}
