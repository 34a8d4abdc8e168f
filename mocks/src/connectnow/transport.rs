//! The connectnow transport: every route of seed 002 as axum routes, plus the mock's
//! request-code route (NOTES.md C2, C12). Thin by design: every rule is in the store.

use std::sync::Arc;

use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::{MethodRouter, get, post},
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

use super::ConnectNow;
use super::error::ApiError;
use super::input::{BODY_LIMIT, Ids, Req};
use super::store::{Input, Store};

type S = State<Arc<ConnectNow>>;

/// A 405 for every method `allowed` does not list.
fn not_allowed(
    allowed: &'static str,
) -> impl Fn(Method, Uri) -> std::future::Ready<Response> + Clone + Send + Sync + 'static {
    move |method: Method, uri: Uri| {
        std::future::ready(
            ApiError::MethodNotAllowed {
                method: method.to_string(),
                path: uri.path().trim_start_matches('/').to_owned(),
                allowed,
            }
            .into_response(),
        )
    }
}

const COLLECTION: &str = "GET, HEAD, POST";
const MEMBER: &str = "GET, HEAD, PUT, PATCH, DELETE";

/// The API routes (the admin routes are merged in by [`super::app`]).
pub fn routes(state: Arc<ConnectNow>) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_headers(AllowHeaders::mirror_request())
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ]);
    let member = |g: MethodRouter<Arc<ConnectNow>>| g.fallback(not_allowed(MEMBER));
    let only_post = |p: MethodRouter<Arc<ConnectNow>>| p.fallback(not_allowed("POST"));
    let mut router = Router::new()
        .route("/api/user", get(get_user).fallback(not_allowed("GET, HEAD")))
        .route("/api/chat-user", get(get_chat_user_self).fallback(not_allowed("GET, HEAD")))
        .route("/api/companies", get(list_companies).post(create_company).fallback(not_allowed(COLLECTION)))
        .route(
            "/api/companies/{company}",
            member(get(get_company).put(edit_company).patch(edit_company).delete(delete_company)),
        )
        .route("/api/chats", get(list_chats).post(create_chat).fallback(not_allowed(COLLECTION)))
        .route("/api/chats/{chat}", member(get(get_chat).put(edit_chat).patch(edit_chat).delete(delete_chat)))
        .route(
            "/api/chats/{chat}/users",
            get(list_chat_users).post(create_chat_user).fallback(not_allowed(COLLECTION)),
        )
        .route(
            "/api/chats/{chat}/users/{chat_user}",
            member(get(get_chat_user).put(edit_chat_user).patch(edit_chat_user).delete(delete_chat_user)),
        )
        .route(
            "/api/chats/{chat}/messages",
            get(list_chat_messages).post(create_chat_message).fallback(not_allowed(COLLECTION)),
        )
        .route(
            "/api/chats/{chat}/messages/{message}",
            member(
                get(get_chat_message)
                    .put(edit_chat_message)
                    .patch(edit_chat_message)
                    .delete(delete_chat_message),
            ),
        );
    // The seed writes these two without `/api`; they are served as written and under
    // `/api` (NOTES.md C2), with the mock's request-code route beside them.
    for prefix in ["", "/api"] {
        router = router
            .route(&format!("{prefix}/chats/{{chat}}/users/get-token"), only_post(post(get_token)))
            .route(&format!("{prefix}/chats/{{chat}}/users/request-code"), only_post(post(request_auth_code)))
            .route(&format!("{prefix}/chats/{{chat}}/share"), only_post(post(share)));
    }
    router.fallback(unknown_path).layer(DefaultBodyLimit::max(BODY_LIMIT)).layer(cors).with_state(state)
}

/// One request from raw parts (method, path and query, headers, body) to status, headers and
/// body, through the very routes [`super::app`] serves, without a socket: the one contract,
/// for test doubles that delegate to the mock and then break its reply.
pub fn respond(
    state: &Arc<ConnectNow>,
    method: &Method,
    path_and_query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> (StatusCode, HeaderMap, Bytes) {
    crate::kit::serve::respond(super::app(state.clone()), method, path_and_query, headers, body)
}

async fn unknown_path(uri: Uri) -> Response {
    ApiError::NoRoute(uri.path().trim_start_matches('/').to_owned()).into_response()
}

impl ConnectNow {
    /// Counts the request against the rate limit, runs `f` on the store and answers with
    /// `status` and the record, or with the error.
    fn respond<T: Serialize>(
        &self,
        input: &Input,
        status: StatusCode,
        f: impl FnOnce(&mut Store, OffsetDateTime, &Input) -> Result<T, ApiError>,
    ) -> Response {
        let now = self.clock.now();
        let (quota, result) = {
            let mut store = self.store();
            match store.throttle(now, input.creds.key()) {
                Ok(quota) => (quota, f(&mut store, now, input)),
                Err(e) => return e.into_response(),
            }
        };
        let mut resp = match result {
            Ok(record) => (status, Json(record)).into_response(),
            Err(e) => e.into_response(),
        };
        if let Some(q) = quota {
            let headers = resp.headers_mut();
            headers.insert(HeaderName::from_static("x-ratelimit-limit"), HeaderValue::from(q.limit));
            headers.insert(HeaderName::from_static("x-ratelimit-remaining"), HeaderValue::from(q.remaining));
        }
        resp
    }
}

const OK: StatusCode = StatusCode::OK;
const CREATED: StatusCode = StatusCode::CREATED;

/// The `n`th path id; the routes guarantee it is there.
fn id(ids: &Ids, n: usize) -> Result<u64, ApiError> {
    ids.0.get(n).copied().ok_or_else(|| ApiError::NotFound("Not Found.".into()))
}

async fn get_user(State(s): S, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.get_user(i))
}

async fn get_chat_user_self(State(s): S, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.get_chat_user_self(i))
}

async fn list_companies(State(s): S, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.list_companies(i))
}

async fn get_company(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.get_company(i, id(&ids, 0)?))
}

async fn create_company(State(s): S, Req(i): Req) -> Response {
    s.respond(&i, CREATED, |st, now, i| st.create_company(now, i))
}

async fn edit_company(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, now, i| st.edit_company(now, i, id(&ids, 0)?))
}

async fn delete_company(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.delete_company(i, id(&ids, 0)?))
}

async fn list_chats(State(s): S, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.list_chats(i))
}

async fn get_chat(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.get_chat(i, id(&ids, 0)?))
}

async fn create_chat(State(s): S, Req(i): Req) -> Response {
    s.respond(&i, CREATED, |st, now, i| st.create_chat(now, i))
}

async fn edit_chat(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, now, i| st.edit_chat(now, i, id(&ids, 0)?))
}

async fn delete_chat(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.delete_chat(i, id(&ids, 0)?))
}

async fn list_chat_users(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.list_chat_users(i, id(&ids, 0)?))
}

async fn get_chat_user(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.get_chat_user(i, id(&ids, 0)?, id(&ids, 1)?))
}

async fn create_chat_user(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, CREATED, |st, now, i| st.create_chat_user(now, i, id(&ids, 0)?))
}

async fn edit_chat_user(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, now, i| st.edit_chat_user(now, i, id(&ids, 0)?, id(&ids, 1)?))
}

async fn delete_chat_user(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.delete_chat_user(i, id(&ids, 0)?, id(&ids, 1)?))
}

async fn list_chat_messages(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.list_chat_messages(i, id(&ids, 0)?))
}

async fn get_chat_message(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.get_chat_message(i, id(&ids, 0)?, id(&ids, 1)?))
}

async fn create_chat_message(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, CREATED, |st, now, i| st.create_chat_message(now, i, id(&ids, 0)?))
}

async fn edit_chat_message(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, now, i| st.edit_chat_message(now, i, id(&ids, 0)?, id(&ids, 1)?))
}

async fn delete_chat_message(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.delete_chat_message(i, id(&ids, 0)?, id(&ids, 1)?))
}

async fn get_token(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, now, i| st.get_token(now, i, id(&ids, 0)?))
}

async fn share(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, _, i| st.share(i, id(&ids, 0)?))
}

async fn request_auth_code(State(s): S, ids: Ids, Req(i): Req) -> Response {
    s.respond(&i, OK, |st, now, i| st.request_auth_code(now, i, id(&ids, 0)?))
}

/// `/_mock/rate-limit`: the connectnow addition to the admin API (NOTES.md C20).
pub fn admin_routes(state: Arc<ConnectNow>) -> Router {
    Router::new().route("/_mock/rate-limit", get(get_rate_limit).post(set_rate_limit)).with_state(state)
}

#[derive(Deserialize)]
struct RateLimit {
    per_minute: Option<u32>,
}

async fn get_rate_limit(State(s): S) -> Response {
    Json(json!({"per_minute": s.store().rate_limit()})).into_response()
}

async fn set_rate_limit(State(s): S, body: Bytes) -> Response {
    match serde_json::from_slice::<RateLimit>(&body) {
        Ok(req) => {
            let mut store = s.store();
            store.set_rate_limit(req.per_minute);
            Json(json!({"per_minute": store.rate_limit()})).into_response()
        }
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Json(json!({"status": "error", "error": format!("bad admin request: {e}")})),
        )
            .into_response(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::kit::admin::MockAdmin;
    use serde_json::Value;

    fn call(
        state: &Arc<ConnectNow>,
        method: Method,
        uri: &str,
        body: &[u8],
    ) -> (StatusCode, HeaderMap, Value) {
        let mut headers = HeaderMap::new();
        headers.insert("accept", HeaderValue::from_static("application/json"));
        headers.insert("host", HeaderValue::from_static("double.test"));
        let (status, headers, bytes) = respond(state, &method, uri, &headers, body);
        (status, headers, serde_json::from_slice(&bytes).unwrap())
    }

    #[test]
    fn respond_runs_the_served_routes_without_a_socket() {
        let state = ConnectNow::with_defaults();
        let (status, _, body) = call(&state, Method::GET, "/api/user", b"");
        assert_eq!((status, body), (StatusCode::UNAUTHORIZED, json!({"message": "Unauthenticated."})));
        let token = state.provision_user("Ann").unwrap()["api_token"].as_str().unwrap().to_owned();
        let (status, _, body) = call(&state, Method::GET, &format!("/api/user?api_token={token}"), b"");
        assert_eq!((status, body["name"].clone()), (StatusCode::OK, json!("Ann")));
        let (status, _, body) =
            call(&state, Method::POST, &format!("/api/companies?api_token={token}"), br#"{"name": "Acme"}"#);
        assert_eq!(status, StatusCode::CREATED);
        let (_, _, page) = call(&state, Method::GET, &format!("/api/companies?api_token={token}"), b"");
        assert_eq!(page["data"][0], body);
        assert_eq!(page["path"], "http://double.test/api/companies");
        let (status, headers, _) = call(&state, Method::DELETE, "/api/companies", b"");
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(headers.contains_key("allow"));
    }
}
