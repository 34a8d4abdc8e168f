//! The Unichat transport: `POST /api/{method}`, `GET /sse/{code}`, file downloads, CORS
//! (seed 000). Thin by design: every rule is in the store.

use std::sync::Arc;
use std::time::Duration;

use axum::{
    Extension, Json, Router,
    body::Bytes,
    extract::{
        DefaultBodyLimit, Path, State,
        rejection::{BytesRejection, PathRejection},
    },
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use chatspec_specs::unichat::envelope::ErrorCode;
use serde_json::{Map, Value, json};
use tower_http::cors::CorsLayer;

use super::Unichat;
use super::breakage::Breakage;
use super::error::ApiError;
use crate::kit::split::{AdminApart, path_named};

/// Largest request body: a 1 MiB async chunk in Base64 plus room for data-URL attachments.
pub const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// CORS for browsers: "with CORS that lets a browser EventSource with credentials connect".
/// Credentials forbid the `*` wildcard, so the request's origin and headers are mirrored.
/// The kit's layer, the same on every mock.
pub fn browser_cors() -> CorsLayer {
    crate::kit::cors::browser()
}

/// The API routes (the admin routes are merged in by [`super::app`], which adds CORS).
pub fn routes(state: Arc<Unichat>) -> Router {
    Router::new()
        .route("/api/{method}", post(call).fallback(wrong_method))
        .route("/sse/{code}", get(super::sse::stream).fallback(not_get))
        .route("/files/{id}/{name}", get(file).fallback(not_get))
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
    method: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Ok(Path(method)) = method else {
        return bad_path();
    };
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
        let base = crate::kit::serve::request_base(headers);
        state.call_from(
            base,
            method,
            header(headers, "app_domain_token"),
            header(headers, "user_auth_token"),
            args,
        )
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

/// A path whose percent-encoding is not UTF-8 (`%FF`): the envelope, not axum's text.
pub(super) fn bad_path() -> Response {
    ApiError::new(ErrorCode::InvalidRequest, "the path is not percent-encoded UTF-8").into_response()
}

/// A method other than GET on an SSE or file URL: the envelope with 405 and `Allow`.
async fn not_get(method: axum::http::Method) -> Response {
    let mut resp = ApiError::new(
        ErrorCode::InvalidRequest,
        format!("{method} is not served here; SSE and file URLs take GET"),
    )
    .into_response();
    *resp.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    resp.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET"));
    resp
}

async fn unknown_path(uri: axum::http::Uri, apart: Option<Extension<AdminApart>>) -> Response {
    let message = match apart {
        Some(_) => {
            format!("no such path: {}; methods are POST /api/{{method}}", path_named(&uri, apart.as_ref()))
        }
        None => "no such path; methods are POST /api/{method}".to_owned(),
    };
    let mut resp = ApiError::new(ErrorCode::NotFound, message).into_response();
    *resp.status_mut() = StatusCode::NOT_FOUND;
    resp
}

/// `GET /files/{id}/{name}` and `/files/{id}/preview`: the attachment's download link and
/// preview (the mock's preview is the image itself).
async fn file(
    State(state): State<Arc<Unichat>>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let Ok(Path((id, name))) = path else {
        return bad_path();
    };
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
