//! The mock's copies of the seed's browser libraries and the JSON routes they call (NOTES.md
//! O15): `GET /ocwp.js`, `GET /oc.js?jid=...`, and under `/onechat/lib/` login, the plugin's
//! event stream, logout, group creation, contacts and the relays. The routes are listed once in
//! `chatspec_specs::onechat::Library`; replies are the API's JSON, errors its error reply, and
//! every route answers pages of any origin (CORS). Thin by design: every rule is in the store
//! (`chat_plugin.rs`, `mini_app_library.rs`).

use std::convert::Infallible;
use std::sync::Arc;

use axum::{
    Json, Router,
    extract::{RawQuery, State},
    http::{HeaderValue, Method, header},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
    routing::{MethodRouter, get, post},
};
use chatspec_specs::endpoint::Handle;
use chatspec_specs::onechat::Library;
use futures::{StreamExt as _, stream};
use serde::Serialize;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

use super::OneChat;
use super::breakage::Breakage;
use super::error::ApiError;
use super::transport::Call;

type S = State<Arc<OneChat>>;

/// The reference `ocwp`, as written.
pub const OCWP_JS: &str = include_str!("js/ocwp.js");
/// The reference `OC`, as written; `/*OC_CONTEXT*/null` is where the user's session and vCard
/// go.
pub const OC_JS: &str = include_str!("js/oc.js");
const OC_CONTEXT: &str = "/*OC_CONTEXT*/null";

/// One of the two libraries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// `ocwp.js`
    Ocwp,
    /// `oc.js`
    Oc,
}

/// A breakage of a library's own code: `anchor`, which occurs once in the library, becomes
/// `broken`.
#[derive(Clone, Copy, Debug)]
pub struct Patch {
    /// The switch that applies it.
    pub breakage: Breakage,
    /// The library it changes.
    pub script: Script,
    /// The library's own text it replaces, found exactly once.
    pub anchor: &'static str,
    /// What the anchor becomes.
    pub broken: &'static str,
}

/// Every breakage that changes a library's code rather than the server.
pub const PATCHES: &[Patch] = &[
    Patch {
        breakage: Breakage::SubscribersMissReady,
        script: Script::Ocwp,
        anchor: "subs[i](next);",
        broken: "if (next !== READY) subs[i](next);",
    },
    Patch {
        breakage: Breakage::UnsubscribeKeepsCallback,
        script: Script::Ocwp,
        anchor: "    state.subscribers = [];\n",
        broken: "    void state.subscribers;\n",
    },
    Patch {
        breakage: Breakage::VCardAsObject,
        script: Script::Oc,
        anchor: "return JSON.stringify(user('user.getVCard').vCard);",
        broken: "return user('user.getVCard').vCard;",
    },
    Patch {
        breakage: Breakage::DeviceInfoWithoutScreenSize,
        script: Script::Oc,
        anchor: ", screenWidth: String(screen.width), screenHeight: String(screen.height) }",
        broken: " }",
    },
    Patch {
        breakage: Breakage::SelectorIgnoresMax,
        script: Script::Oc,
        anchor: "if (max !== -1 && picked.length >= max) {",
        broken: "if (false) {",
    },
    Patch {
        breakage: Breakage::SelectorCancelSilent,
        script: Script::Oc,
        anchor: "done([]); // cancel",
        broken: "close(); // cancel",
    },
    Patch {
        breakage: Breakage::NewGroupJidWithheld,
        script: Script::Oc,
        anchor: "options.success(reply.body.groupJid);",
        broken: "options.success();",
    },
    Patch {
        breakage: Breakage::InitIgnoresContainer,
        script: Script::Ocwp,
        anchor: "    render(container);\n",
        broken: "    render(document.body.appendChild(document.createElement('div')));\n",
    },
    Patch {
        breakage: Breakage::LogoutKeepsStatus,
        script: Script::Ocwp,
        anchor: "catch(function () {});\n    setStatus(DISCONNECTED);\n",
        broken: "catch(function () {});\n",
    },
    Patch {
        breakage: Breakage::VersionMissing,
        script: Script::Ocwp,
        anchor: "    VERSION: 1,\n",
        broken: "",
    },
    Patch {
        breakage: Breakage::BuildDateMissing,
        script: Script::Ocwp,
        anchor: "    BUILD_DATE: 20261130\n",
        broken: "    BUILD_DATE_UNSET: null\n",
    },
];

/// The library's text, with the patches of the rules the mock breaks.
pub fn script_text(script: Script, broken: impl Fn(Breakage) -> bool) -> String {
    let mut text = match script {
        Script::Ocwp => OCWP_JS.to_owned(),
        Script::Oc => OC_JS.to_owned(),
    };
    for p in PATCHES.iter().filter(|p| p.script == script && broken(p.breakage)) {
        text = text.replacen(p.anchor, p.broken, 1);
    }
    text
}

fn path(route: Library) -> &'static str {
    route.meta().path
}

async fn wrong_method(method: Method) -> Response {
    ApiError::MethodNotAllowed(method.to_string()).into_response()
}

/// The library routes (merged into [`super::app`]).
pub fn routes(state: Arc<OneChat>) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_headers(AllowHeaders::mirror_request())
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS]);
    let mut router = Router::new();
    for &route in Library::ALL {
        let handler = route.dispatch(&mut Handlers, ());
        router = router.route(path(route), handler.fallback(wrong_method));
    }
    router.layer(cors).with_state(state)
}

/// The library routes' handlers: each route's method and axum handler, found from the list
/// (`Library::dispatch`) when the router is built. The routes take different extractors (a
/// script, an event stream, JSON calls), so the handler is the route's `MethodRouter`.
struct Handlers;

/// A library route's method and handler.
type Served = MethodRouter<Arc<OneChat>>;

impl Handle<chatspec_specs::onechat::chat_plugin::OcwpScriptCall, (), Served> for Handlers {
    fn handle(&mut self, (): ()) -> Served {
        get(ocwp_js)
    }
}

impl Handle<chatspec_specs::onechat::mini_app_library::OcScriptCall, (), Served> for Handlers {
    fn handle(&mut self, (): ()) -> Served {
        get(oc_js)
    }
}

impl Handle<chatspec_specs::onechat::chat_plugin::PluginEventsCall, (), Served> for Handlers {
    fn handle(&mut self, (): ()) -> Served {
        get(plugin_events)
    }
}

impl Handle<chatspec_specs::onechat::chat_plugin::PluginLoginCall, (), Served> for Handlers {
    fn handle(&mut self, (): ()) -> Served {
        post(plugin_login)
    }
}

impl Handle<chatspec_specs::onechat::chat_plugin::PluginLogoutCall, (), Served> for Handlers {
    fn handle(&mut self, (): ()) -> Served {
        post(plugin_logout)
    }
}

impl Handle<chatspec_specs::onechat::chat_plugin::PluginGroupCreateCall, (), Served> for Handlers {
    fn handle(&mut self, (): ()) -> Served {
        post(plugin_group_create)
    }
}

impl Handle<chatspec_specs::onechat::mini_app_library::ContactsCall, (), Served> for Handlers {
    fn handle(&mut self, (): ()) -> Served {
        post(contacts)
    }
}

impl Handle<chatspec_specs::onechat::mini_app_library::SingleRelayCall, (), Served> for Handlers {
    fn handle(&mut self, (): ()) -> Served {
        post(single_relay)
    }
}

impl Handle<chatspec_specs::onechat::mini_app_library::GroupRelayCall, (), Served> for Handlers {
    fn handle(&mut self, (): ()) -> Served {
        post(group_relay)
    }
}

fn javascript(text: String) -> Response {
    let mut resp = text.into_response();
    let headers = resp.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    // A page under development always gets the library as the mock serves it now.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

async fn ocwp_js(State(s): S) -> Response {
    let store = s.store();
    javascript(script_text(Script::Ocwp, |b| store.broken(b)))
}

/// `GET /oc.js?jid=...`: the library for that user, with a new session and the vCard built in;
/// without a jid (or with an unknown one) the library has no user and says so.
async fn oc_js(State(s): S, RawQuery(query): RawQuery) -> Response {
    let jid = query_field(query.as_deref(), "jid");
    let mut store = s.store();
    let text = script_text(Script::Oc, |b| store.broken(b));
    let Some(jid) = jid else {
        return javascript(text);
    };
    match store.page_context(&jid) {
        Ok(context) => {
            // JSON is a JavaScript expression; `<` escaped so no text closes a script element.
            let literal = context.to_string().replace('<', "\\u003c");
            javascript(text.replacen(OC_CONTEXT, &literal, 1))
        }
        Err(e) => {
            let message = serde_json::to_string(&format!("oc.js?jid={jid}: {e}")).unwrap_or_default();
            javascript(format!("console.error({message});\n{text}"))
        }
    }
}

/// The first non-blank value of `field` in a query string.
fn query_field(query: Option<&str>, field: &str) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, v)| k == field && !v.trim().is_empty())
        .map(|(_, v)| v.into_owned())
}

fn reply<T: Serialize>(result: Result<T, ApiError>) -> Response {
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn plugin_login(State(s): S, call: Call) -> Response {
    reply(s.store().plugin_login(&call.body))
}

async fn plugin_logout(State(s): S, call: Call) -> Response {
    let result = s.store().plugin_logout(&call.body);
    if result.is_ok()
        && let Some(token) = call.body.get("token").and_then(|t| t.as_str())
    {
        s.close(token);
    }
    reply(result)
}

async fn plugin_group_create(State(s): S, call: Call) -> Response {
    reply(s.store().plugin_group_create(&call.body))
}

/// `GET /onechat/lib/events?token=...`: `ready` at once, then nothing but keep-alive comments
/// until logout, a reset or the mock's shutdown ends it.
async fn plugin_events(State(s): S, RawQuery(query): RawQuery) -> Response {
    let Some(token) = query_field(query.as_deref(), "token") else {
        return ApiError::MissingField("token").into_response();
    };
    let ready = match s.store().plugin_connection(&token) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let event = Event::default().event("ready").json_data(&ready).unwrap_or_default();
    let closer = s.closer(&token);
    let events = stream::once(async move { Ok::<Event, Infallible>(event) })
        .chain(stream::pending())
        .take_until(closer.cancelled_owned());
    let mut resp = Sse::new(events).keep_alive(KeepAlive::default()).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp
}

async fn contacts(State(s): S, call: Call) -> Response {
    reply(s.store().contacts(&call.body))
}

async fn single_relay(State(s): S, call: Call) -> Response {
    let now = s.clock.now();
    reply(s.store().relay_single(now, &call.body))
}

async fn group_relay(State(s): S, call: Call) -> Response {
    let now = s.clock.now();
    reply(s.store().relay_group(now, &call.body))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_patch_finds_its_anchor_once() {
        for p in PATCHES {
            let text = match p.script {
                Script::Ocwp => OCWP_JS,
                Script::Oc => OC_JS,
            };
            assert_eq!(text.matches(p.anchor).count(), 1, "{:?}: {:?}", p.breakage, p.anchor);
            let broken = script_text(p.script, |b| b == p.breakage);
            assert!(broken != text && broken.contains(p.broken), "{:?}", p.breakage);
        }
        assert_eq!(OC_JS.matches(OC_CONTEXT).count(), 1);
        assert_eq!(script_text(Script::Ocwp, |_| false), OCWP_JS);
    }

    use crate::kit::admin::MockAdmin as _;
    use axum::http::{HeaderMap, StatusCode};
    use serde_json::Value;

    fn call(
        state: &Arc<OneChat>,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (StatusCode, HeaderMap, String) {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        let (status, headers, bytes) =
            crate::kit::serve::respond(super::super::app(state.clone()), &method, path, &h, body.as_bytes());
        (status, headers, String::from_utf8_lossy(&bytes).into_owned())
    }

    #[test]
    fn the_libraries_are_javascript_for_pages_of_any_origin() {
        let state = OneChat::with_defaults();
        let ann = state.provision_user("Ann@example.org").unwrap();
        let page = [("origin", "http://127.0.0.1:9999")];
        let (status, headers, text) = call(&state, Method::GET, "/ocwp.js", &page, "");
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-type"], "text/javascript; charset=utf-8");
        assert_eq!(headers["access-control-allow-origin"], "http://127.0.0.1:9999");
        assert_eq!(text, OCWP_JS);
        let (_, _, text) = call(&state, Method::GET, "/oc.js?jid=ann%40example.org", &page, "");
        assert!(!text.contains(OC_CONTEXT) && text.contains("\"userName\":\"Ann\""), "{}", &text[..600]);
        let (status, _, text) = call(&state, Method::GET, "/oc.js?jid=zed%40example.org", &page, "");
        assert_eq!(status, StatusCode::OK);
        assert!(text.starts_with("console.error(") && text.contains(OC_CONTEXT));
        let preflight = [
            ("origin", "http://127.0.0.1:9999"),
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", "content-type"),
        ];
        let (status, headers, _) = call(&state, Method::OPTIONS, "/onechat/lib/login", &preflight, "");
        assert!(status.is_success(), "{status}");
        assert_eq!(headers["access-control-allow-origin"], "http://127.0.0.1:9999");
        let json = [("content-type", "application/json")];
        let body = format!(r#"{{"usr": "ann", "pw": {}}}"#, ann["password"]);
        let (status, _, text) = call(&state, Method::POST, "/onechat/lib/login", &json, &body);
        assert_eq!(status, StatusCode::OK, "{text}");
        let reply: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(reply["jid"], "ann@example.org");
        let (status, _, text) =
            call(&state, Method::POST, "/onechat/lib/login", &json, r#"{"usr": "ann", "pw": "x"}"#);
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["status"], "Error");
        let (status, _, text) = call(&state, Method::POST, "/onechat/lib/relay/single", &json, "{");
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["status"], "Error");
        let (status, _, _) = call(&state, Method::GET, "/onechat/lib/events", &[], "");
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _, _) = call(&state, Method::DELETE, "/ocwp.js", &[], "");
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    }
}
