//! `chatspec proxy --api NAME --upstream URL`: a transparent proxy between any client and any
//! server of an API, HTTP, SSE and WebSocket alike, that validates every request, reply, event
//! and frame as it passes ([`check`]), prints each violation live with who is at fault, and
//! writes the violations and the wire log on exit ([`report`]). The fault vocabulary of the
//! mocks (`chatspec_mocks::faults`) applies to the traffic too: `--fault JSON`, or
//! `POST /_mock/faults` on the proxy (every other `/_mock/*` route passes to the upstream).

pub mod check;
pub mod report;
mod ws;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderName, StatusCode, header},
    response::{IntoResponse, Response},
};
use chatspec_mocks::faults::{self, Faults};
use eventsource_stream::Eventsource;
use futures::StreamExt;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::outcome::WireEntry;
use crate::wire::WireLog;
pub use check::{Direction, Violation};

/// Largest request body the proxy forwards: the mocks' own largest.
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// The APIs the proxy knows the messages of.
pub const APIS: [&str; 4] = ["unichat", "sama", "connectnow", "onechat"];

/// Which violations make `chatspec proxy` exit non-zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// Anything the client sent malformed.
    Client,
    /// Anything the server sent malformed.
    Server,
    /// Either.
    Any,
}

impl FailOn {
    /// Parses `client`, `server` or `any`.
    pub fn parse(text: &str) -> Result<FailOn, String> {
        match text {
            "client" => Ok(FailOn::Client),
            "server" => Ok(FailOn::Server),
            "any" => Ok(FailOn::Any),
            other => Err(format!("--fail-on takes client, server or any, not {other:?}")),
        }
    }

    /// Whether `v` counts.
    pub fn counts(self, v: &Violation) -> bool {
        match self {
            FailOn::Any => true,
            FailOn::Client => v.direction == Direction::Client,
            FailOn::Server => v.direction == Direction::Server,
        }
    }
}

struct Shared {
    api: String,
    upstream: String,
    http: reqwest::Client,
    wire: WireLog,
    violations: Mutex<Vec<Violation>>,
    faults: Faults,
    live: bool,
}

/// A running proxy's state; clones share it.
#[derive(Clone)]
pub struct Proxy {
    shared: Arc<Shared>,
}

impl Proxy {
    /// A proxy for `api` in front of `upstream` (`http://host:port`, no trailing slash
    /// needed); `live` prints each violation to standard error as it is found.
    pub fn new(api: &str, upstream: &str, live: bool) -> Result<Proxy, String> {
        if !APIS.contains(&api) {
            return Err(format!("unknown API {api:?}; the proxy knows {}", APIS.join(", ")));
        }
        let upstream = upstream.trim_end_matches('/').to_owned();
        if !(upstream.starts_with("http://") || upstream.starts_with("https://")) {
            return Err(format!("--upstream must be an http:// or https:// URL, not {upstream:?}"));
        }
        let http = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("the HTTP client could not start: {e}"))?;
        Ok(Proxy {
            shared: Arc::new(Shared {
                api: api.to_owned(),
                upstream,
                http,
                wire: WireLog::default(),
                violations: Mutex::default(),
                faults: Faults::default(),
                live,
            }),
        })
    }

    /// The API proxied.
    pub fn api(&self) -> &str {
        &self.shared.api
    }

    /// The upstream's base URL.
    pub fn upstream(&self) -> &str {
        &self.shared.upstream
    }

    /// The faults armed on the proxy (`--fault`, `POST /_mock/faults`).
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Every violation found so far, in the order found.
    pub fn violations(&self) -> Vec<Violation> {
        self.shared.violations.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The wire log so far.
    pub fn wire(&self) -> Vec<WireEntry> {
        self.shared.wire.entries()
    }

    fn log(&self, kind: &str, summary: String, body: Option<Value>) {
        self.shared.wire.push(kind, None, summary, body);
    }

    fn found(&self, found: Vec<Violation>) {
        if found.is_empty() {
            return;
        }
        for v in &found {
            if self.shared.live {
                eprintln!("violation: {v}");
            }
            self.shared.wire.push("violation", Some(&v.direction.to_string()), v.to_string(), None);
        }
        self.shared.violations.lock().unwrap_or_else(PoisonError::into_inner).extend(found);
    }

    /// The whole proxy: its faults route, the fault middleware, and everything else forwarded.
    pub fn app(&self) -> Router {
        let faults = self.shared.faults.clone();
        Router::new()
            .fallback(forward)
            .with_state(self.clone())
            .merge(faults::routes(faults.clone()))
            .layer(axum::middleware::from_fn_with_state(faults, faults::apply))
    }

    /// Serves the proxy on `listener` until `shutdown` is cancelled.
    pub async fn run(&self, listener: TcpListener, shutdown: CancellationToken) -> std::io::Result<()> {
        axum::serve(listener, self.app().into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await
    }
}

/// Hop-by-hop headers (RFC 9110 7.6.1) and those the HTTP layers set themselves.
fn forwarded(name: &HeaderName) -> bool {
    !matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-connection"
            | "transfer-encoding"
            | "te"
            | "trailer"
            | "upgrade"
            | "host"
            | "content-length"
    )
}

fn copy_headers(from: &HeaderMap, to: &mut HeaderMap) {
    for (name, value) in from.iter().filter(|(n, _)| forwarded(n)) {
        to.append(name.clone(), value.clone());
    }
}

fn logged(body: &[u8]) -> Option<Value> {
    if body.is_empty() {
        return None;
    }
    Some(
        serde_json::from_slice(body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned())),
    )
}

/// What the proxy checks for one HTTP request of the API.
enum Checked {
    /// A Unichat method call.
    UnichatCall(String),
    /// The Unichat event stream.
    UnichatStream,
    /// Passed on without checks (admin routes, files, and the HTTP routes of the other APIs).
    Unchecked,
}

impl Proxy {
    fn classify(&self, method: &axum::http::Method, path: &str) -> Checked {
        if path.starts_with("/_mock/") {
            return Checked::Unchecked;
        }
        match self.api() {
            "unichat" if method == axum::http::Method::POST => path
                .strip_prefix("/api/")
                .filter(|m| !m.is_empty() && !m.contains('/'))
                .map_or(Checked::Unchecked, |m| Checked::UnichatCall(m.to_owned())),
            "unichat" if path.starts_with("/sse/") => Checked::UnichatStream,
            _ => Checked::Unchecked,
        }
    }
}

async fn forward(State(p): State<Proxy>, req: Request) -> Response {
    if ws::is_upgrade(req.headers()) {
        return ws::bridge(p, req).await;
    }
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_owned();
    let path_and_query = parts.uri.path_and_query().map_or("/", |pq| pq.as_str()).to_owned();
    let exchange = format!("{} {path}", parts.method);
    let body = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(e) => {
            p.log("request", exchange, None);
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the proxy could not read the request body: {e}"),
            )
                .into_response();
        }
    };
    p.log("request", exchange.clone(), logged(&body));
    let checked = p.classify(&parts.method, &path);
    if let Checked::UnichatCall(m) = &checked {
        p.found(check::unichat_request(m, &body));
    }
    let url = format!("{}{path_and_query}", p.upstream());
    let mut headers = HeaderMap::new();
    copy_headers(&parts.headers, &mut headers);
    let sent = p.shared.http.request(parts.method.clone(), &url).headers(headers).body(body).send().await;
    let resp = match sent {
        Ok(r) => r,
        Err(e) => {
            let why = crate::reply::root_cause(&e);
            p.log("response", format!("no reply from the upstream: {why}"), None);
            return (StatusCode::BAD_GATEWAY, format!("the upstream {url} did not answer: {why}"))
                .into_response();
        }
    };
    let status = resp.status();
    let mut out_headers = HeaderMap::new();
    copy_headers(resp.headers(), &mut out_headers);
    let is_stream = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/event-stream"));
    if is_stream && status.is_success() {
        p.log("response", format!("{} {exchange}: event stream open", status.as_u16()), None);
        let body = tee_events(p, matches!(checked, Checked::UnichatStream), resp);
        let mut out = Response::new(body);
        *out.status_mut() = status;
        *out.headers_mut() = out_headers;
        return out;
    }
    let bytes = match resp.bytes().await {
        Ok(b) => b,
        Err(e) => {
            let why = crate::reply::root_cause(&e);
            p.log("response", format!("{} {exchange}: the body did not come: {why}", status.as_u16()), None);
            return (StatusCode::BAD_GATEWAY, format!("the upstream's reply was cut: {why}")).into_response();
        }
    };
    p.log("response", format!("{} {exchange}", status.as_u16()), logged(&bytes));
    if let Checked::UnichatCall(m) = &checked {
        p.found(check::unichat_reply(m, status.as_u16(), &bytes));
    }
    let mut out = Response::new(Body::from(bytes));
    *out.status_mut() = status;
    *out.headers_mut() = out_headers;
    out
}

/// The upstream's event stream passed on chunk by chunk as it comes, while a copy is parsed
/// (eventsource-stream, the WHATWG rules) and each event logged and checked.
fn tee_events(p: Proxy, check: bool, resp: reqwest::Response) -> Body {
    let (tx, rx) = futures::channel::mpsc::unbounded::<Result<Bytes, std::io::Error>>();
    tokio::spawn(async move {
        let mut events = rx.eventsource();
        while let Some(Ok(event)) = events.next().await {
            if event.event != "ping" {
                let data = serde_json::from_str(&event.data).unwrap_or(Value::String(event.data.clone()));
                let summary = if event.id.is_empty() {
                    event.event.clone()
                } else {
                    format!("{} id {}", event.event, event.id)
                };
                p.log("event", summary, Some(data));
            }
            if check {
                p.found(check::unichat_event(&event.event, &event.data));
            }
        }
    });
    Body::from_stream(resp.bytes_stream().map(move |chunk| {
        if let Ok(bytes) = &chunk {
            let _ = tx.unbounded_send(Ok(bytes.clone()));
        }
        chunk
    }))
}

/// The options of `chatspec proxy`.
#[derive(Clone, Debug)]
pub struct ProxyOptions {
    /// The API spoken: unichat, sama, connectnow or onechat.
    pub api: String,
    /// The server's base URL.
    pub upstream: String,
    /// Where the proxy listens.
    pub listen: SocketAddr,
    /// Where `proxy.json` and `proxy.md` go on exit.
    pub report_dir: std::path::PathBuf,
    /// Which violations make the exit status non-zero.
    pub fail_on: Option<FailOn>,
    /// Faults armed from the start (the JSON of `POST /_mock/faults`).
    pub faults: Vec<String>,
}

/// Runs `chatspec proxy` until Ctrl-C or SIGTERM; returns the exit status: 0, 1 when
/// `fail_on` counts a violation, 2 when the proxy cannot start.
pub async fn run_cli(opts: ProxyOptions) -> u8 {
    let proxy = match Proxy::new(&opts.api, &opts.upstream, true) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("chatspec proxy: {e}");
            return 2;
        }
    };
    for text in &opts.faults {
        let armed = serde_json::from_str::<faults::FaultSpec>(text)
            .map_err(|e| e.to_string())
            .and_then(|spec| proxy.faults().arm(spec).map_err(|e| e.to_string()));
        if let Err(e) = armed {
            eprintln!("chatspec proxy: --fault {text}: {e}");
            return 2;
        }
    }
    let listener = match TcpListener::bind(opts.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("chatspec proxy: cannot listen on {}: {e}", opts.listen);
            return 2;
        }
    };
    let addr = listener.local_addr().map_or_else(|_| opts.listen.to_string(), |a| a.to_string());
    println!(
        "chatspec proxy: {} at http://{addr} in front of {}; Ctrl-C ends it",
        opts.api,
        proxy.upstream()
    );
    let stop = CancellationToken::new();
    let signal = stop.clone();
    tokio::spawn(async move {
        stopped().await;
        signal.cancel();
    });
    if let Err(e) = proxy.run(listener, stop).await {
        eprintln!("chatspec proxy: {e}");
    }
    let violations = proxy.violations();
    match proxy.write_reports(&opts.report_dir) {
        Ok(paths) => {
            for p in paths {
                println!("wrote {}", p.display());
            }
        }
        Err(e) => eprintln!("chatspec proxy: cannot write the reports to {}: {e}", opts.report_dir.display()),
    }
    let client = violations.iter().filter(|v| v.direction == Direction::Client).count();
    println!(
        "{} violation(s): {client} by the client, {} by the server",
        violations.len(),
        violations.len() - client
    );
    match opts.fail_on {
        Some(on) if violations.iter().any(|v| on.counts(v)) => 1,
        _ => 0,
    }
}

/// Ctrl-C, or SIGTERM where there are signals.
async fn stopped() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
