//! `chatspec proxy --api NAME --upstream URL`: a transparent proxy between any client and any
//! server of an API, HTTP, SSE and WebSocket alike, that validates every request, reply, event
//! and frame as it passes ([`check`] for Unichat and SAMA's socket, [`rest`] for the REST
//! routes of connectnow, OneChat and SAMA's login, found by [`routes`] in the declarations),
//! prints each violation live with who is at fault, and writes the violations and the wire
//! log on exit ([`report`]), in a log bounded to the last exchanges ([`log`]). The fault
//! vocabulary of the mocks (`chatspec_mocks::faults`) applies to the traffic too: `--fault
//! JSON`, or `POST /_mock/faults` on the proxy (every other `/_mock/*` route passes to the
//! upstream).

pub mod check;
mod cli;
pub mod error;
mod forward;
pub mod log;
pub mod report;
pub mod rest;
pub mod routes;
mod ws;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use chatspec_mocks::faults::{self, Faults};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::outcome::WireEntry;
pub use check::{Direction, Violation};
pub use cli::{ProxyOptions, run_cli};
pub use error::{FailOnError, FaultError, ProxyError};
use log::{ExchangeId, ExchangeLog, KindTally};

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
    pub fn parse(text: &str) -> Result<FailOn, FailOnError> {
        match text {
            "client" => Ok(FailOn::Client),
            "server" => Ok(FailOn::Server),
            "any" => Ok(FailOn::Any),
            other => Err(FailOnError(other.to_owned())),
        }
    }

    /// Whether `v` counts.
    pub fn counts(self, v: &Violation) -> bool {
        self.counts_side(v.direction)
    }

    /// Whether violations by `side` count.
    pub fn counts_side(self, side: Direction) -> bool {
        match self {
            FailOn::Any => true,
            FailOn::Client => side == Direction::Client,
            FailOn::Server => side == Direction::Server,
        }
    }
}

struct Shared {
    api: String,
    upstream: String,
    http: reqwest::Client,
    log: ExchangeLog,
    faults: Faults,
    live: bool,
    started: time::OffsetDateTime,
    clock: std::time::Instant,
}

/// A running proxy's state; clones share it.
#[derive(Clone)]
pub struct Proxy {
    shared: Arc<Shared>,
}

impl Proxy {
    /// A proxy for `api` in front of `upstream` (`http://host:port`, no trailing slash
    /// needed) keeping the last [`log::DEFAULT_KEEP`] exchanges; `live` prints each
    /// violation to standard error as it is found.
    pub fn new(api: &str, upstream: &str, live: bool) -> Result<Proxy, ProxyError> {
        Proxy::keeping(api, upstream, live, log::DEFAULT_KEEP)
    }

    /// A proxy like [`Proxy::new`] whose wire log keeps the last `keep` exchanges.
    pub fn keeping(api: &str, upstream: &str, live: bool, keep: usize) -> Result<Proxy, ProxyError> {
        if !APIS.contains(&api) {
            return Err(ProxyError::UnknownApi(api.to_owned()));
        }
        let upstream = upstream.trim_end_matches('/').to_owned();
        if !(upstream.starts_with("http://") || upstream.starts_with("https://")) {
            return Err(ProxyError::Upstream(upstream));
        }
        let http = crate::tls::http_client()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ProxyError::Client)?;
        Ok(Proxy {
            shared: Arc::new(Shared {
                api: api.to_owned(),
                upstream,
                http,
                log: ExchangeLog::new(keep),
                faults: Faults::default(),
                live,
                started: time::OffsetDateTime::now_utc(),
                clock: std::time::Instant::now(),
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

    /// The violations of the exchanges the wire log still holds, in the order found.
    pub fn violations(&self) -> Vec<Violation> {
        self.shared.log.violations()
    }

    /// The wire log the proxy still holds: the entries of the last exchanges.
    pub fn wire(&self) -> Vec<WireEntry> {
        self.shared.log.entries()
    }

    /// Every kind of exchange checked, with its counts over the whole run (kept or dropped).
    pub fn kinds(&self) -> BTreeMap<String, KindTally> {
        self.shared.log.kinds()
    }

    /// How many exchanges the wire log dropped to stay bounded.
    pub fn dropped(&self) -> u64 {
        self.shared.log.dropped()
    }

    /// How many exchanges the wire log keeps.
    pub fn keep(&self) -> usize {
        self.shared.log.keep()
    }

    /// Violations over the whole run, by the client and by the server, kept or dropped.
    pub fn counts(&self) -> (u64, u64) {
        self.kinds().values().fold((0, 0), |(c, s), t| (c + t.client, s + t.server))
    }

    fn open(&self, kind: Option<&str>, sides: &[Direction]) -> ExchangeId {
        self.shared.log.open(kind, sides)
    }

    fn log(&self, id: &ExchangeId, kind: &str, summary: String, body: Option<Value>) {
        self.shared.log.push(id, kind, None, summary, body);
    }

    fn found(&self, id: &ExchangeId, found: Vec<Violation>) {
        for v in &found {
            if self.shared.live {
                eprintln!("violation: {v}");
            }
            self.shared.log.push(id, "violation", Some(&v.direction.to_string()), v.to_string(), None);
        }
        self.shared.log.found(id, &found);
    }

    /// The whole proxy: its faults route, the fault middleware, and everything else forwarded.
    pub fn app(&self) -> Router {
        let faults = self.shared.faults.clone();
        Router::new()
            .fallback(forward::forward)
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
