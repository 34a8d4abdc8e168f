//! Starting the reference mocks: in process for `chatspec check`, or for `chatspec serve`.

use std::time::Duration;

use chatspec_mocks::kit::split::Listeners;
use chatspec_mocks::kit::{Clock, serve};
use chatspec_mocks::sama::{Compat, Switch};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Every API with a reference mock, in the order `serve all` starts them.
pub const MOCKS: &[&str] = &["unichat", "sama", "connectnow", "onechat"];

/// Why a mock could not be started.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// No mock of that name: the known ones are [`MOCKS`].
    #[error("no mock for API {0:?}; known: {known}", known = MOCKS.join(", "))]
    UnknownApi(String),
    /// `127.0.0.1:0` could not be bound.
    #[error("cannot bind 127.0.0.1:0: {0}")]
    Bind(#[source] std::io::Error),
    /// The listener given has no local address to announce.
    #[error("the listener has no address: {0}")]
    NoAddress(#[source] std::io::Error),
}

/// A mock serving on a listener; stopped when dropped.
pub struct Embedded {
    /// The API it serves (`unichat`, `sama`, `connectnow`, `onechat`).
    pub api: String,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base_url: String,
    stop: CancellationToken,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Embedded {
    /// Stops the mock and waits for it to finish.
    pub async fn shutdown(mut self) {
        self.stop.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Embedded {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Starts the mock of `api` on `listener`; `ping` is Unichat's SSE ping interval.
pub fn start(api: &str, listener: TcpListener, ping: Duration) -> Result<Embedded, StartError> {
    start_with(api, listener.into(), ping, None)
}

/// Starts the mock of `api` on `listeners` (the admin routes apart when it has an admin
/// listener); connectnow also sends its e-mail over SMTP to `smtp` when given.
pub fn start_with(
    api: &str,
    listeners: Listeners,
    ping: Duration,
    smtp: Option<std::net::SocketAddr>,
) -> Result<Embedded, StartError> {
    let listener = listeners;
    let base_url = serve::base_url(&listener.public).map_err(StartError::NoAddress)?;
    let stop = CancellationToken::new();
    let token = stop.clone();
    let task = match api {
        "unichat" => {
            let state = chatspec_mocks::unichat::Unichat::new(
                chatspec_mocks::unichat::Config::default(),
                Clock::system(),
                ping,
            );
            tokio::spawn(chatspec_mocks::unichat::run(state, listener, token))
        }
        "sama" => return start_sama(listener, Compat::new()),
        "connectnow" => {
            let state = chatspec_mocks::connectnow::ConnectNow::with_defaults();
            if let Some(relay) = smtp {
                state.send_mail_to(relay);
            }
            tokio::spawn(chatspec_mocks::connectnow::run(state, listener, token))
        }
        "onechat" => {
            let state = chatspec_mocks::onechat::OneChat::with_defaults();
            tokio::spawn(chatspec_mocks::onechat::run(state, listener, token))
        }
        other => return Err(StartError::UnknownApi(other.to_owned())),
    };
    Ok(Embedded { api: api.to_owned(), base_url, stop, task: Some(task) })
}

/// Starts the SAMA mock on `listener` reproducing the public SAMA server's switches
/// `compat` (`chatspec serve sama --compat ...`; none: the reference mock).
pub fn start_sama(listener: impl Into<Listeners>, compat: Compat) -> Result<Embedded, StartError> {
    let listener = listener.into();
    let base_url = serve::base_url(&listener.public).map_err(StartError::NoAddress)?;
    let stop = CancellationToken::new();
    let state = chatspec_mocks::sama::Sama::with_compat(compat);
    let task = tokio::spawn(chatspec_mocks::sama::run(state, listener, stop.clone()));
    Ok(Embedded { api: "sama".to_owned(), base_url, stop, task: Some(task) })
}

/// The banner lines saying which of the public SAMA server's switches are on.
pub fn compat_banner(compat: &Compat) -> Vec<String> {
    if compat.is_empty() {
        return Vec::new();
    }
    let names: Vec<&str> = compat.iter().map(|s| s.name()).collect();
    let head = if compat.len() == Switch::ALL.len() {
        format!(
            "  compat:      {} (every switch of the public SAMA server 0.36.2):",
            chatspec_mocks::sama::PRESET
        )
    } else {
        format!(
            "  compat:      {} of {} switches of the public SAMA server 0.36.2:",
            compat.len(),
            Switch::ALL.len()
        )
    };
    let mut lines = vec![head];
    let mut line = String::new();
    for name in names {
        if !line.is_empty() && line.len() + name.len() > 84 {
            lines.push(format!("               {}", line.trim_end_matches(' ')));
            line.clear();
        }
        line.push_str(name);
        line.push_str(", ");
    }
    lines.push(format!("               {}", line.trim_end_matches([',', ' '])));
    lines
}

/// Starts the mock of `api` on 127.0.0.1:0, for an in-process run.
pub async fn start_ephemeral(api: &str) -> Result<Embedded, StartError> {
    let listener = TcpListener::bind("127.0.0.1:0").await.map_err(StartError::Bind)?;
    // A short ping interval keeps the ping scenario fast.
    start(api, listener, Duration::from_millis(200))
}

/// Everything the mock of `api` serves, from the API's declarations (`endpoints!` in
/// `chatspec_specs`), as banner lines of at most about 100 columns: Unichat's methods, SAMA's
/// requests, connectnow's routes (`GET /api/user`) and OneChat's calls.
fn served(api: &str) -> Vec<String> {
    use chatspec_specs::{connectnow, onechat, sama, unichat};
    let (what, names): (&str, Vec<String>) = match api {
        "unichat" => ("methods", unichat::Method::ALL.iter().map(|m| m.name().to_owned()).collect()),
        "sama" => ("requests", sama::Request::ALL.iter().map(|r| r.name().to_owned()).collect()),
        "connectnow" => (
            "routes",
            connectnow::Route::ALL.iter().map(|r| format!("{} {}", r.meta().method, r.meta().path)).collect(),
        ),
        "onechat" => ("calls", onechat::Route::ALL.iter().map(|r| r.name().to_owned()).collect()),
        _ => return Vec::new(),
    };
    let mut lines = vec![format!("  serves:      {} {what}:", names.len())];
    let mut line = String::from("   ");
    for name in names {
        if line.len() + name.len() > 98 {
            lines.push(std::mem::replace(&mut line, String::from("   ")));
        }
        line.push(' ');
        line.push_str(&name);
        line.push(',');
    }
    line.pop();
    lines.push(line);
    lines
}

/// The fields of one outbox item of `api`, as its admin schema
/// (`specs/schemas/admin/<api>.response.outbox.json`) has them, as banner lines: one shape per
/// kind of item, `?` after a field an item may leave out, a constant with its value
/// (`type: "push"`). None for an API whose outbox stays empty (Unichat).
pub fn outbox_item(api: &str) -> Vec<String> {
    use serde_json::Value;
    let name = format!("{api}.response.outbox");
    let Some((_, schema)) = chatspec_specs::admin::schemas().into_iter().find(|(n, _)| *n == name) else {
        return Vec::new();
    };
    let root = schema.to_value();
    let resolve = |v: &Value| -> Value {
        match v.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => root.pointer(pointer).cloned().unwrap_or(Value::Null),
            None => v.clone(),
        }
    };
    let item = resolve(root.pointer("/properties/outbox/items").unwrap_or(&Value::Null));
    let kinds: Vec<Value> = match item.get("oneOf").and_then(Value::as_array) {
        Some(kinds) => kinds.iter().map(&resolve).collect(),
        None => vec![item],
    };
    let mut shapes = Vec::new();
    for kind in kinds {
        let Some(fields) = kind.get("properties").and_then(Value::as_object) else { continue };
        let required: Vec<&str> = kind
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let shown = |(name, field): (&String, &Value)| match field.get("const") {
            Some(value) => format!("{name}: {value}"),
            None if required.contains(&name.as_str()) => name.clone(),
            None => format!("{name}?"),
        };
        // Required fields first, in the schema's order of them.
        let mut parts: Vec<String> =
            required.iter().filter_map(|r| fields.get_key_value(*r)).map(shown).collect();
        parts.extend(fields.iter().filter(|(n, _)| !required.contains(&n.as_str())).map(shown));
        shapes.push(format!("{{{}}}", parts.join(", ")));
    }
    let mut lines = Vec::new();
    for (i, shape) in shapes.iter().enumerate() {
        let head = if i == 0 { "  outbox item: " } else { "          or:  " };
        let mut line = head.to_owned();
        for word in shape.split_inclusive(", ") {
            if line.len() + word.len() > 98 && line.len() > head.len() {
                lines.push(std::mem::replace(&mut line, "               ".to_owned()));
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    if !lines.is_empty() {
        lines.push(format!(
            "               (schema: specs/schemas/admin/{name}.json; `chatspec schemas export` writes it)"
        ));
    }
    lines
}

/// Every admin route the mock of `api` serves (`GET /_mock/health`, the methods of one path
/// together), from the table its router is built from.
pub fn admin_routes(api: &str) -> Vec<String> {
    use chatspec_mocks::kit::admin::listed;
    match api {
        "unichat" => listed(&chatspec_mocks::unichat::admin_table()),
        "sama" => listed(&chatspec_mocks::sama::admin_table()),
        "connectnow" => listed(&chatspec_mocks::connectnow::admin_table()),
        "onechat" => listed(&chatspec_mocks::onechat::admin_table()),
        _ => Vec::new(),
    }
}

/// The `admin:` lines of the banner: every admin route of [`admin_routes`], the first with
/// `base`, in lines of at most about 100 columns.
fn admin_lines(api: &str, base: &str) -> Vec<String> {
    let routes = admin_routes(api);
    let mut lines = Vec::new();
    let mut line = String::from("  admin:      ");
    for (i, route) in routes.iter().enumerate() {
        let route = if i == 0 { route.replacen(" /", &format!(" {base}/"), 1) } else { route.clone() };
        if i > 0 && line.len() + route.len() > 98 {
            lines.push(std::mem::replace(&mut line, String::from("              ")));
        }
        line.push(' ');
        line.push_str(&route);
        line.push(',');
    }
    line.pop();
    if !routes.is_empty() {
        lines.push(line);
    }
    lines
}

/// What `chatspec serve` prints about a running mock: where it is, how to use it, its admin
/// routes, the shape of its outbox items, everything it serves and where its inspector page
/// is (`GET /_mock/`).
pub fn banner(api: &str, base: &str) -> Vec<String> {
    let mut lines = usage(api, base);
    lines.extend(admin_lines(api, base));
    lines.extend(outbox_item(api));
    lines.extend(served(api));
    lines.push(format!("  inspector:   {base}/_mock/  ({}, live changes)", inspected(api)));
    lines
}

/// What the inspector page of `api`'s mock shows, in the words of the API's own document.
fn inspected(api: &str) -> &'static str {
    match api {
        "unichat" => "users, rooms, messages",
        "connectnow" => "accounts, companies, chats, chat users, messages, the e-mailed auth codes",
        "sama" => "users, conversations, messages, the pushes",
        "onechat" => "users, groups, sessions, mini apps, the delivered alerts",
        _ => "the mock's state",
    }
}

/// The first lines of the banner: where the mock is and how a client uses it.
fn usage(api: &str, base: &str) -> Vec<String> {
    match api {
        "unichat" => vec![
            format!("unichat mock at {base}"),
            format!("  methods:     POST {base}/api/{{method}}  body {{\"args\": {{...}}}}"),
            "  headers:     APP_DOMAIN_TOKEN: test_token1, USER_AUTH_TOKEN: <user.auth_token>".to_owned(),
            format!("  events:      GET {base}/sse/{{code}}  (code from create_sse_auth_code)"),
            format!(
                "  test users:  POST {base}/_mock/users {{\"name\": \"alice\"}}  -> user with auth_token"
            ),
        ],
        "sama" => {
            let ws = base.replacen("http://", "ws://", 1);
            vec![
                format!("sama mock at {base}"),
                format!(
                    "  login:       POST {base}/login {{\"login\", \"password\", \"device_id\"}}  -> {{user, access_token, expired_at}}"
                ),
                format!(
                    "  socket:      {ws}/  then {{\"request\": {{\"connect\": {{\"token\", \"device_id\"}}, \"id\": \"1\"}}}}"
                ),
                format!(
                    "  test users:  POST {base}/_mock/users {{\"name\": \"alice\"}}  -> {{user, login, password, access_token, device_id}}"
                ),
                format!("  pushes:      GET {base}/_mock/outbox  (push notifications to offline users)"),
            ]
        }
        "connectnow" => vec![
            format!("connectnow mock at {base}"),
            format!(
                "  routes:      {base}/api/user, /api/companies, /api/chats, /api/chats/{{id}}/users, .../messages"
            ),
            "  tokens:      api_token or chat_user_token in the query or body, or Authorization: Bearer"
                .to_owned(),
            format!("  test users:  POST {base}/_mock/users {{\"name\": \"acme\"}}  -> {{user, api_token}}"),
            format!("  auth codes:  GET {base}/_mock/outbox  (the e-mails the mock sent)"),
            format!(
                "  exchange:    POST {base}/chats/{{id}}/users/get-token {{\"email\", \"auth-code\"}}  -> chat_user_token"
            ),
        ],
        "onechat" => vec![
            format!("onechat mock at {base}"),
            format!(
                "  routes:      POST {base}/onechat/api/{{massBroadcast,singleMessage,groupMessage,registerMiniApp,authenticateUser}}"
            ),
            "  headers:     apikey: <the user's apikey> for the alert relays".to_owned(),
            format!(
                "  test users:  POST {base}/_mock/users {{\"name\": \"ann@example.com\"}}  -> {{jid, domain, sessionId, apikey, appId}}"
            ),
            format!("  groups:      POST {base}/_mock/groups {{\"name\", \"members\": [jid...]}}"),
            format!(
                "  sessions:    POST {base}/_mock/sessions {{\"jid\"}}, DELETE {base}/_mock/sessions/{{sessionId}}"
            ),
            format!("  delivered:   GET {base}/_mock/outbox  (one alert per recipient)"),
            format!(
                "  libraries:   <script src=\"{base}/ocwp.js\">, <script src=\"{base}/oc.js?jid=<jid>\">  (password for ocwp.login in /_mock/users)"
            ),
        ],
        other => vec![format!("{other} mock at {base}")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "http://127.0.0.1:8080";

    /// The routes the `admin:` lines of `api`'s banner name, the base URL cut.
    fn in_banner(api: &str) -> Vec<String> {
        let lines = banner(api, BASE);
        let admin: Vec<&String> = lines
            .iter()
            .skip_while(|l| !l.starts_with("  admin:"))
            .take_while(|l| l.starts_with("  admin:") || l.starts_with("               "))
            .collect();
        assert!(admin.iter().all(|l| l.len() <= 100), "{api}: {admin:#?}");
        let text = admin.iter().map(|l| l.replace(BASE, "")).collect::<Vec<_>>().join(",");
        text.split(',')
            .map(|r| r.trim_start_matches("  admin:").trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect()
    }

    #[test]
    fn the_banner_names_every_admin_route_the_mock_serves() {
        for api in MOCKS {
            assert_eq!(in_banner(api), admin_routes(api), "{api}");
            let first = banner(api, BASE).into_iter().find(|l| l.starts_with("  admin:"));
            assert_eq!(
                first.as_deref().map(|l| l.contains("GET http://127.0.0.1:8080/_mock/health")),
                Some(true)
            );
        }
        // What the mocks serve beside the API, named by hand here: a route the table or the
        // banner loses fails.
        for (api, route) in [
            ("unichat", "POST /_mock/users"),
            ("unichat", "GET /_mock/outbox"),
            ("unichat", "GET|POST|DELETE /_mock/faults"),
            ("sama", "GET|POST|DELETE /_mock/faults"),
            ("sama", "GET /_mock/"),
            ("connectnow", "GET|POST /_mock/rate-limit"),
            ("connectnow", "GET /_mock/state"),
            ("onechat", "POST /_mock/groups"),
            ("onechat", "POST /_mock/sessions"),
            ("onechat", "DELETE /_mock/sessions/{session}"),
            ("onechat", "POST /_mock/passwords"),
        ] {
            assert!(in_banner(api).iter().any(|r| r == route), "{api}: {route} in {:#?}", in_banner(api));
        }
    }
}
