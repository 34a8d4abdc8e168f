//! The Unichat transport: `POST /api/{method}`, `GET /sse/{code}`, file downloads, CORS
//! (seed 000). Thin by design: every rule is in the store.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, Path, State, rejection::BytesRejection},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{
        IntoResponse, Response,
        sse::{Event, Sse},
    },
    routing::{get, post},
};
use chatspec_specs::unichat::envelope::ErrorCode;
use futures::{Stream, StreamExt, stream};
use serde_json::{Map, Value, json};
use tokio_stream::wrappers::{IntervalStream, UnboundedReceiverStream};
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

use super::Unichat;
use super::breakage::Breakage;
use super::error::ApiError;

/// Largest request body: a 1 MiB async chunk in Base64 plus room for data-URL attachments.
pub const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// CORS for browsers: "with CORS that lets a browser EventSource with credentials connect".
/// Credentials forbid the `*` wildcard, so the request's origin and headers are mirrored.
pub fn browser_cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_credentials(true)
        .allow_headers(AllowHeaders::mirror_request())
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
}

/// The API routes (the admin routes are merged in by [`super::app`], which adds CORS).
pub fn routes(state: Arc<Unichat>) -> Router {
    Router::new()
        .route("/api/{method}", post(call).fallback(wrong_method))
        .route("/sse/{code}", get(sse))
        .route("/files/{id}/{name}", get(file))
        .fallback(unknown_path)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    // A header that is not visible ASCII cannot be a valid token: treat it as present but
    // empty so it fails as "improper" rather than as missing.
    headers.get(name).map(|v| v.to_str().unwrap_or(""))
}

async fn call(
    State(state): State<Arc<Unichat>>,
    Path(method): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return ApiError::new(
                ErrorCode::TooLarge,
                format!("the request body is larger than {BODY_LIMIT} bytes"),
            )
            .into_response();
        }
        Err(e) => return ApiError::new(ErrorCode::InvalidRequest, e.body_text()).into_response(),
    };
    let (status, body) = respond(&state, &method, &headers, &body);
    let mut resp = (status, Json(body)).into_response();
    if state.broken(Breakage::TextPlainReplies) {
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    }
    resp
}

/// One method call from raw parts to `(status, envelope)`: the whole seed 000 contract in one
/// place, shared by the route and by test doubles that wrap the mock.
pub fn respond(state: &Unichat, method: &str, headers: &HeaderMap, body: &[u8]) -> (StatusCode, Value) {
    let result = parse_body(body).map_err(ApiError::from).and_then(|args| {
        state.call(method, header(headers, "app_domain_token"), header(headers, "user_auth_token"), args)
    });
    match result {
        Ok(Value::Object(fields)) => {
            let mut out = Map::with_capacity(fields.len() + 1);
            // "On success, it returns status: 'OK' and whatever data API method returned"
            out.insert("status".into(), json!("OK"));
            out.extend(fields);
            (StatusCode::OK, Value::Object(out))
        }
        Ok(other) => (StatusCode::OK, json!({"status": "OK", "result": other})),
        Err(e) => (StatusCode::BAD_REQUEST, e.envelope()),
    }
}

/// Why a body is not `{"args": {...}}` (`invalid_request`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// The body does not parse as JSON.
    #[error("the body is not JSON: {0}")]
    NotJson(String),
    /// The body is JSON but not an object.
    #[error("the body must be a JSON object {{\"args\": {{...}}}}")]
    NotObject,
    /// `args` is there but is not an object.
    #[error("args must be a JSON object")]
    ArgsNotObject,
}

impl From<BodyError> for ApiError {
    fn from(e: BodyError) -> ApiError {
        ApiError::new(ErrorCode::InvalidRequest, e.to_string())
    }
}

/// "call arguments must be passed as args parameter": `{"args": {...}}`. A body with no
/// `args` (or an empty body) is taken as no arguments.
fn parse_body(body: &[u8]) -> Result<Value, BodyError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| BodyError::NotJson(e.to_string()))?;
    let Value::Object(mut obj) = value else {
        return Err(BodyError::NotObject);
    };
    match obj.remove("args") {
        None | Some(Value::Null) => Ok(json!({})),
        Some(args @ Value::Object(_)) => Ok(args),
        Some(_) => Err(BodyError::ArgsNotObject),
    }
}

async fn wrong_method() -> Response {
    ApiError::new(ErrorCode::InvalidRequest, "every Unichat method is called with POST").into_response()
}

async fn unknown_path() -> Response {
    let mut resp =
        ApiError::new(ErrorCode::NotFound, "no such path; methods are POST /api/{method}").into_response();
    *resp.status_mut() = StatusCode::NOT_FOUND;
    resp
}

/// `GET /sse/{code}`: "event_source_ready" once, "ping" periodically, and
/// "unichat_notification" for every notification to the user.
async fn sse(State(state): State<Arc<Unichat>>, Path(code): Path<String>) -> Response {
    let Some(user) = state.redeem_sse_code(&code) else {
        return ApiError::new(ErrorCode::InvalidSseCode, "the SSE code is unknown or was used already")
            .into_response();
    };
    let rx = state.hub.connect(user);
    state.set_online(user, true);
    let guard = OnlineGuard { state: state.clone(), user };
    let notifications = UnboundedReceiverStream::new(rx).map(move |frame| {
        let _keep = &guard;
        Event::default().event("unichat_notification").data(&*frame)
    });
    let mut interval = tokio::time::interval(state.ping);
    interval.reset(); // the first tick would fire at once
    let pings = IntervalStream::new(interval).map(|_| Event::default().event("ping").data("{}"));
    let readies = if state.broken(Breakage::ReadyTwice) { 2 } else { 1 };
    let ready = stream::iter((0..readies).map(|_| Event::default().event("event_source_ready").data("{}")));
    let events = ready.chain(stream::select(notifications, pings));
    let events: std::pin::Pin<Box<dyn Stream<Item = Result<Event, Infallible>> + Send>> =
        Box::pin(events.map(Ok).take_until(state.shutdown.clone().cancelled_owned()));
    let mut resp = Sse::new(events).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    resp
}

/// Marks the user offline when their last SSE stream ends.
struct OnlineGuard {
    state: Arc<Unichat>,
    user: u64,
}

impl Drop for OnlineGuard {
    fn drop(&mut self) {
        // The stream's receiver is dropped before this guard, so the count excludes it.
        let still = self.state.hub.connections(self.user) > 0;
        self.state.set_online(self.user, still);
    }
}

/// `GET /files/{id}/{name}` and `/files/{id}/preview`: the attachment's download link and
/// preview (the mock's preview is the image itself).
async fn file(State(state): State<Arc<Unichat>>, Path((id, name)): Path<(String, String)>) -> Response {
    let found = id.parse::<u64>().ok().and_then(|id| state.file(id));
    match found {
        Some((content_type, bytes)) if name != "preview" || content_type.starts_with("image/") => {
            let ct = HeaderValue::from_str(&content_type)
                .unwrap_or(HeaderValue::from_static("application/octet-stream"));
            ([(header::CONTENT_TYPE, ct)], bytes).into_response()
        }
        _ => {
            let mut resp = ApiError::new(ErrorCode::NotFound, "no such file").into_response();
            *resp.status_mut() = StatusCode::NOT_FOUND;
            resp
        }
    }
}

/// The default interval between `ping` events.
pub const DEFAULT_PING: Duration = Duration::from_secs(15);
