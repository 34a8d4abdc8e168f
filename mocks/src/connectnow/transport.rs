//! The connectnow transport: the router, built from `connectnow::Route::ALL` (every route of
//! seed 002 and the mock's request-code route, NOTES.md C2, C12), and the dispatch
//! (`Route::dispatch`) that gives each route its rule in the store: the route's
//! [`Handle`](chatspec_specs::endpoint::Handle) impl, in the file of its area. Thin by design:
//! every rule is in the store, in the file of its area.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::{
    Extension, Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::{MethodFilter, MethodRouter},
};
use chatspec_specs::connectnow::Route;
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

use super::ConnectNow;
use super::errors::ApiError;
use super::input::{BODY_LIMIT, Ids, Req};
use super::store::Input;
use crate::kit::admin::AdminRoute;
use crate::kit::split::{AdminApart, path_named};

type S = State<Arc<ConnectNow>>;

/// A 405 naming the methods the path takes (`allowed`, the `Allow` header).
fn not_allowed(
    allowed: String,
) -> impl Fn(Method, Uri) -> std::future::Ready<Response> + Clone + Send + Sync + 'static {
    move |method: Method, uri: Uri| {
        std::future::ready(
            ApiError::MethodNotAllowed {
                method: method.to_string(),
                path: uri.path().trim_start_matches('/').to_owned(),
                allowed: allowed.clone(),
            }
            .into_response(),
        )
    }
}

/// The methods a route is served on: its declared method, `HEAD` with `GET`, and `PATCH`
/// with an "Edit" (`PUT`), as Laravel's resource routes have them.
fn methods(route: Route) -> &'static [&'static str] {
    match route.meta().method {
        "GET" => &["GET", "HEAD"],
        "PUT" => &["PUT", "PATCH"],
        "POST" => &["POST"],
        "DELETE" => &["DELETE"],
        // The seed uses no other method (a test holds every route to these four).
        _ => &[],
    }
}

/// The axum filter of [`methods`] (`HEAD` comes with `GET` in axum).
fn filter(route: Route) -> MethodFilter {
    methods(route)
        .iter()
        .filter_map(|m| match *m {
            "GET" => Some(MethodFilter::GET),
            "PUT" => Some(MethodFilter::PUT),
            "PATCH" => Some(MethodFilter::PATCH),
            "POST" => Some(MethodFilter::POST),
            "DELETE" => Some(MethodFilter::DELETE),
            _ => None,
        })
        .reduce(MethodFilter::or)
        .unwrap_or(MethodFilter::GET)
}

/// The `Allow` header of a path served by `routes`: every method, in a fixed order.
fn allow_header(routes: &[Route]) -> String {
    let taken: Vec<&str> = routes.iter().flat_map(|r| methods(*r).iter().copied()).collect();
    let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
    order.into_iter().filter(|m| taken.contains(m)).collect::<Vec<_>>().join(", ")
}

/// Every path the mock serves, with the routes on it. The seed writes get-token and share
/// without `/api`; a route written so is served as written and under `/api` (NOTES.md C2).
pub fn paths() -> BTreeMap<String, Vec<Route>> {
    let mut paths: BTreeMap<String, Vec<Route>> = BTreeMap::new();
    for &route in Route::ALL {
        let path = route.meta().path;
        paths.entry(path.to_owned()).or_default().push(route);
        if !path.starts_with("/api/") {
            paths.entry(format!("/api{path}")).or_default().push(route);
        }
    }
    paths
}

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
    let mut router = Router::new();
    for (path, on_path) in paths() {
        let mut served = MethodRouter::new();
        for &route in &on_path {
            served = served.on(filter(route), move |State(s): S, ids: Ids, Req(i): Req| async move {
                let (resp, mails) = s.serve(route, &ids, &i);
                s.deliver(mails).await;
                resp
            });
        }
        router = router.route(&path, served.fallback(not_allowed(allow_header(&on_path))));
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

async fn unknown_path(uri: Uri, apart: Option<Extension<AdminApart>>) -> Response {
    ApiError::NoRoute(path_named(&uri, apart.as_ref()).trim_start_matches('/').to_owned()).into_response()
}

/// A success body, serialised as its declared reply type.
pub(super) fn reply<T: Serialize>(record: T) -> Response {
    Json(record).into_response()
}

/// What the dispatch hands a handler ([`Handle`](chatspec_specs::endpoint::Handle)): the
/// time, the request's tokens, query and body, and the path's ids.
pub(super) struct Call<'a> {
    pub now: OffsetDateTime,
    pub input: &'a Input,
    pub ids: &'a Ids,
}

impl Call<'_> {
    /// The path's `n`th id (`{chat-id}` is 0, `{chat-user-id}` 1), or 404.
    pub fn id(&self, n: usize) -> Result<u64, ApiError> {
        self.ids.0.get(n).copied().ok_or_else(|| ApiError::NotFound("Not Found.".into()))
    }
}

/// What a handler answers: the reply (its status set from the declaration afterwards), or
/// the error.
pub(super) type Served = Result<Response, ApiError>;

impl ConnectNow {
    /// Counts the request against the rate limit, runs the route's rule on the store and
    /// answers with the route's success status (its declaration's) and body, or the error.
    /// Also returns the e-mails the rule sent, to go out over SMTP once the lock is released.
    fn serve(&self, route: Route, ids: &Ids, input: &Input) -> (Response, Vec<super::Email>) {
        let mut status = StatusCode::from_u16(route.meta().status).unwrap_or(StatusCode::OK);
        let now = self.clock.now();
        let (quota, result, mails) = {
            let mut store = self.store();
            let sent = store.outbox().len();
            if status == StatusCode::CREATED && store.config().broken(super::Breakage::CreateAnswers200) {
                status = StatusCode::OK;
            }
            match store.throttle(now, input.creds.key()) {
                Ok(quota) => {
                    let result = route.dispatch(&mut *store, Call { now, input, ids });
                    (quota, result, store.outbox().get(sent..).unwrap_or_default().to_vec())
                }
                Err(e) => return (e.into_response(), Vec::new()),
            }
        };
        let mut resp = match result {
            Ok(mut resp) => {
                *resp.status_mut() = status;
                resp
            }
            Err(e) => e.into_response(),
        };
        if let Some(q) = quota {
            let headers = resp.headers_mut();
            headers.insert(HeaderName::from_static("x-ratelimit-limit"), HeaderValue::from(q.limit));
            headers.insert(HeaderName::from_static("x-ratelimit-remaining"), HeaderValue::from(q.remaining));
        }
        (resp, mails)
    }
}

/// `/_mock/rate-limit`: the connectnow addition to the admin API (NOTES.md C20).
pub fn admin_table() -> Vec<AdminRoute<Arc<ConnectNow>>> {
    vec![
        AdminRoute::get("/_mock/rate-limit", get_rate_limit),
        AdminRoute::post("/_mock/rate-limit", set_rate_limit),
    ]
}

/// `POST /_mock/rate-limit {"per_minute": N or null}`.
#[derive(Deserialize)]
struct RateLimit {
    per_minute: Option<u32>,
}

/// A refused admin call, in the admin API's envelope `{"status": "error", "error": "..."}`
/// (DESIGN.md, "Mock admin API").
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// 400: the body is not `{"per_minute": N or null}`.
    #[error("bad admin request: {0}")]
    BadRequest(#[from] serde_json::Error),
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, Json(json!({"status": "error", "error": self.to_string()}))).into_response()
    }
}

async fn get_rate_limit(State(s): S) -> Response {
    Json(json!({"per_minute": s.store().rate_limit()})).into_response()
}

async fn set_rate_limit(State(s): S, body: Bytes) -> Result<Response, AdminError> {
    let req: RateLimit = serde_json::from_slice(&body)?;
    let mut store = s.store();
    store.set_rate_limit(req.per_minute);
    Ok(Json(json!({"per_minute": store.rate_limit()})).into_response())
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
    fn every_route_is_served_on_its_declared_path_and_method() {
        for &route in Route::ALL {
            assert!(!methods(route).is_empty(), "{route}: no method the router knows");
            assert!(paths()[route.meta().path].contains(&route), "{route}");
        }
        let paths = paths();
        assert_eq!(allow_header(&paths["/api/companies"]), "GET, HEAD, POST");
        assert_eq!(allow_header(&paths["/api/companies/{company-id}"]), "GET, HEAD, PUT, PATCH, DELETE");
        assert_eq!(allow_header(&paths["/api/user"]), "GET, HEAD");
        // The seed's paths without `/api` are served under it too (NOTES.md C2).
        assert_eq!(paths["/api/chats/{chat-id}/share"], [Route::Share]);
        assert_eq!(paths.keys().filter(|p| !p.starts_with("/api/")).count(), 3);
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
