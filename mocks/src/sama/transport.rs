//! The SAMA HTTP transport (seed 003): `POST /login`, `POST /logout`, the file upload and
//! download URLs, and the WebSocket upgrade on every other path. Thin by design: every rule
//! is in the store.

use std::sync::Arc;

use axum::{
    Extension, Json, Router,
    body::Bytes,
    extract::{
        DefaultBodyLimit, Path, State, WebSocketUpgrade,
        rejection::{BytesRejection, PathRejection},
        ws::rejection::WebSocketUpgradeRejection,
    },
    http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
    routing::{post, put},
};
use chatspec_specs::sama::{
    auth::{LoginBody, LogoutReply},
    envelope::Status,
};
use serde_json::Value;

use super::auth::HttpLogin;
use super::error::SamaError;
use super::{Sama, compat, socket};
use crate::kit::split::{AdminApart, path_named};

/// Largest upload accepted at a file's upload URL.
pub const FILE_LIMIT: usize = 32 * 1024 * 1024;

/// The name of the refresh-token cookie (NOTES.md S5).
pub const REFRESH_COOKIE: &str = "refresh_token";

/// The API routes (the admin routes are merged in by [`super::app`]).
pub fn routes(state: Arc<Sama>) -> Router {
    Router::new()
        .route("/login", post(login).fallback(wrong_method))
        .route("/logout", post(logout).fallback(wrong_method))
        .route("/files/{id}", put(upload).get(download).fallback(wrong_method))
        .fallback(socket_or_not_found)
        .layer(DefaultBodyLimit::max(FILE_LIMIT))
        .with_state(state)
}

/// An HTTP error in the one error shape (or as text with `errors_as_strings`), with a status
/// of its own (405, 426).
fn http_error(state: &Sama, status: StatusCode, message: impl Into<String>) -> Response {
    compat::http_error(state.compat(), status.as_u16(), &message.into())
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// `Authorization: Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = header_text(headers, header::AUTHORIZATION.as_str())?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// The refresh-token cookie, from every `Cookie` header.
fn refresh_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == REFRESH_COOKIE)
        .map(|(_, value)| value.trim().to_owned())
}

fn set_cookie(value: &str, max_age: i64) -> Option<HeaderValue> {
    // HttpOnly as the seed says; no `Secure`, so plain-HTTP clients send it back (S5).
    HeaderValue::from_str(&format!(
        "{REFRESH_COOKIE}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Lax"
    ))
    .ok()
}

/// `POST /login`: login and password in the body, or an access token in `Authorization:
/// Bearer` with `device_id` in a header, or the refresh-token cookie.
async fn login(
    State(state): State<Arc<Sama>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => return state.http_failure(&SamaError::new(Status::Unprocessable, e.body_text())),
    };
    let blank = body.iter().all(u8::is_ascii_whitespace);
    let parsed: LoginBody = if blank {
        LoginBody::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(b) => b,
            Err(e) => {
                return state.http_failure(&SamaError::new(
                    Status::Unprocessable,
                    format!("the body is not a JSON object of login, password and device_id: {e}"),
                ));
            }
        }
    };
    // Only the public server's organizations read more of the body.
    let organization_id = (!blank && !state.compat().is_empty())
        .then(|| serde_json::from_slice::<Value>(&body).ok())
        .flatten()
        .and_then(|v| compat::text_field(&v, "organization_id"));
    let input = HttpLogin {
        body: parsed,
        bearer: bearer(&headers),
        device_header: header_text(&headers, "device_id").or_else(|| header_text(&headers, "device-id")),
        refresh_cookie: refresh_cookie(&headers),
        organization_id,
    };
    match state.login(input) {
        Ok(out) => {
            let mut resp = Json(out.reply).into_response();
            if let Some(cookie) = out.refresh_token.and_then(|t| set_cookie(&t, state.refresh_ttl_secs())) {
                resp.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            resp
        }
        Err(e) => state.http_failure(&e),
    }
}

/// `POST /logout` with the access token in `Authorization: Bearer`: `{ success: true }`.
async fn logout(State(state): State<Arc<Sama>>, headers: HeaderMap) -> Response {
    match state.logout(bearer(&headers), refresh_cookie(&headers)) {
        Ok(()) => {
            let mut resp = Json(LogoutReply { success: true }).into_response();
            if let Some(expired) = set_cookie("", 0) {
                resp.headers_mut().insert(header::SET_COOKIE, expired);
            }
            resp
        }
        Err(e) => state.http_failure(&e),
    }
}

/// `PUT /files/{id}`: a file's `upload_url`.
async fn upload(
    State(state): State<Arc<Sama>>,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Ok(Path(id)) = id else {
        return bad_path(&state);
    };
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return http_error(
                &state,
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("a file is at most {FILE_LIMIT} bytes"),
            );
        }
        Err(e) => return state.http_failure(&SamaError::new(Status::Unprocessable, e.body_text())),
    };
    let uploaded = state.store().upload(&id, body.to_vec());
    match uploaded {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => state.http_failure(&e),
    }
}

/// `GET /files/{id}`: a file's download URL, as `get_file_urls` gives it.
async fn download(State(state): State<Arc<Sama>>, id: Result<Path<String>, PathRejection>) -> Response {
    let Ok(Path(id)) = id else {
        return bad_path(&state);
    };
    let file = state.store().download(&id);
    match file {
        Ok((content_type, bytes)) => {
            let ct = HeaderValue::from_str(&content_type)
                .unwrap_or(HeaderValue::from_static("application/octet-stream"));
            ([(header::CONTENT_TYPE, ct)], bytes).into_response()
        }
        Err(e) => state.http_failure(&e),
    }
}

/// A path whose percent-encoding is not UTF-8 (`%FF`): the error shape, not axum's text.
fn bad_path(state: &Sama) -> Response {
    state.http_failure(&SamaError::new(Status::NotFound, "the path is not percent-encoded UTF-8"))
}

async fn wrong_method(State(state): State<Arc<Sama>>, method: Method, uri: Uri) -> Response {
    http_error(
        &state,
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{method} {} is not served; /login and /logout take POST, files PUT and GET", uri.path()),
    )
}

/// Every other path: the WebSocket protocol for an upgrade request, an error otherwise; an
/// admin route served apart ([`AdminApart`]) is no socket path, but a 404 naming where it is.
async fn socket_or_not_found(
    State(state): State<Arc<Sama>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    apart: Option<Extension<AdminApart>>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let base = crate::kit::serve::request_base(&headers);
    match ws {
        _ if apart.is_some() => http_error(
            &state,
            StatusCode::NOT_FOUND,
            format!("no route {method} {}", path_named(&uri, apart.as_ref())),
        ),
        Ok(ws) => ws
            .read_buffer_size(socket::READ_BUFFER_BYTES)
            .write_buffer_size(socket::WRITE_BUFFER_BYTES)
            .max_message_size(socket::MAX_MESSAGE_BYTES)
            .max_frame_size(socket::MAX_MESSAGE_BYTES)
            .on_upgrade(move |socket| socket::serve(state, socket, base)),
        Err(e) if method == Method::GET => http_error(
            &state,
            StatusCode::UPGRADE_REQUIRED,
            format!(
                "GET {} serves the WebSocket protocol; open a WebSocket here ({})",
                uri.path(),
                e.body_text()
            ),
        ),
        Err(_) => http_error(
            &state,
            StatusCode::NOT_FOUND,
            format!(
                "no route {method} {}; HTTP serves POST /login and POST /logout, every other GET path the WebSocket",
                uri.path()
            ),
        ),
    }
}
