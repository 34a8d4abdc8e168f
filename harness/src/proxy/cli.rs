//! The command line of `chatspec proxy`: start, arm the `--fault`s, serve until Ctrl-C or
//! SIGTERM, write the reports, and say how it went.

use std::net::SocketAddr;

use chatspec_mocks::faults;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::{Direction, FailOn, FaultError, Proxy};

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
    /// How many exchanges the wire log keeps ([`super::log::DEFAULT_KEEP`] by default).
    pub keep_exchanges: usize,
}

/// Arms one `--fault` on `proxy`.
pub fn arm(proxy: &Proxy, text: &str) -> Result<u64, FaultError> {
    let spec = serde_json::from_str::<faults::Fault>(text)?;
    proxy.faults().arm(spec).map_err(|e| FaultError::Refused(e.to_string()))
}

/// Runs `chatspec proxy` until Ctrl-C or SIGTERM; returns the exit status: 0, 1 when
/// `fail_on` counts a violation, 2 when the proxy cannot start.
pub async fn run_cli(opts: ProxyOptions) -> u8 {
    let proxy = match Proxy::keeping(&opts.api, &opts.upstream, true, opts.keep_exchanges) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("chatspec proxy: {e}");
            return 2;
        }
    };
    for text in &opts.faults {
        if let Err(e) = arm(&proxy, text) {
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
    crate::outln!(
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
    match proxy.write_reports(&opts.report_dir) {
        Ok(paths) => {
            for p in paths {
                crate::outln!("wrote {}", p.display());
            }
        }
        Err(e) => eprintln!("chatspec proxy: cannot write the reports to {}: {e}", opts.report_dir.display()),
    }
    let (client, server) = proxy.counts();
    let dropped = match proxy.dropped() {
        0 => String::new(),
        n => format!("; the wire log kept the last {} exchanges and dropped {n}", proxy.keep()),
    };
    crate::outln!(
        "{} violation(s): {client} by the client, {server} by the server{dropped}",
        client + server
    );
    let counted = |side: Direction, n: u64| n > 0 && opts.fail_on.is_some_and(|on| on.counts_side(side));
    if counted(Direction::Client, client) || counted(Direction::Server, server) { 1 } else { 0 }
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
