//! `chatspec serve`: the reference mocks on fixed addresses, until SIGINT or SIGTERM.

use std::net::SocketAddr;
use std::process::ExitCode;

use chatspec_mocks::kit::split::Listeners;
use tokio::net::TcpListener;

use crate::embedded;

/// What `chatspec serve` was asked for.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The first mock's API address (`serve all`: each further one on the next port).
    pub addr: SocketAddr,
    /// The first mock's admin address, when the admin routes are served apart.
    pub admin_addr: Option<SocketAddr>,
    /// connectnow: where its e-mail also goes over SMTP.
    pub smtp: Option<SocketAddr>,
    /// Seconds between Unichat's SSE pings.
    pub ping_interval: f64,
    /// SAMA's compatibility switches, by name.
    pub compat: Vec<String>,
}

/// `addr` for the `i`-th mock of `serve all`: the next port (or another ephemeral one).
fn nth(addr: SocketAddr, i: usize) -> SocketAddr {
    if addr.port() == 0 { addr } else { SocketAddr::new(addr.ip(), addr.port().saturating_add(i as u16)) }
}

async fn bind(addr: SocketAddr, what: &str) -> Result<TcpListener, ExitCode> {
    TcpListener::bind(addr).await.map_err(|e| {
        eprintln!("chatspec serve: cannot listen on {addr} for {what}: {e}");
        ExitCode::from(2)
    })
}

/// Serves the mocks `api` names until SIGINT or SIGTERM; every mistake is one line on stderr
/// and exit code 2.
pub async fn serve(api: &str, opts: &ServeOptions) -> ExitCode {
    match serve_inner(api, opts).await {
        Ok(code) | Err(code) => code,
    }
}

async fn serve_inner(api: &str, opts: &ServeOptions) -> Result<ExitCode, ExitCode> {
    if !(opts.ping_interval > 0.0 && opts.ping_interval < 86_400.0) {
        eprintln!("chatspec serve: --ping-interval must be above 0 and under a day");
        return Err(ExitCode::from(2));
    }
    let compat =
        chatspec_mocks::sama::Switch::parse_all(opts.compat.iter().map(String::as_str)).map_err(|e| {
            eprintln!("chatspec serve: --compat: {e}");
            ExitCode::from(2)
        })?;
    if !compat.is_empty() && !matches!(api, "sama" | "all") {
        eprintln!("chatspec serve: --compat switches the sama mock only; serve sama (or all)");
        return Err(ExitCode::from(2));
    }
    if opts.smtp.is_some() && !matches!(api, "connectnow" | "all") {
        eprintln!(
            "chatspec serve: --smtp is for the connectnow mock (the only one that sends e-mail); serve connectnow (or all)"
        );
        return Err(ExitCode::from(2));
    }
    let apis: Vec<&str> = if api == "all" { embedded::MOCKS.to_vec() } else { vec![api] };
    if let Some(bad) = apis.iter().find(|a| !embedded::MOCKS.contains(a)) {
        eprintln!("chatspec serve: no mock for API {bad:?}; known: {}, all", embedded::MOCKS.join(", "));
        return Err(ExitCode::from(2));
    }
    let ping = std::time::Duration::from_secs_f64(opts.ping_interval);
    let mut running = Vec::new();
    for (i, name) in apis.iter().enumerate() {
        let public = bind(nth(opts.addr, i), name).await?;
        let admin = match opts.admin_addr {
            Some(a) => Some(bind(nth(a, i), &format!("the admin routes of {name}")).await?),
            None => None,
        };
        let admin_base = match &admin {
            Some(l) => Some(chatspec_mocks::kit::serve::base_url(l).map_err(|e| {
                eprintln!("chatspec serve: {e}");
                ExitCode::from(2)
            })?),
            None => None,
        };
        let listeners = Listeners { public, admin };
        let started = if *name == "sama" {
            embedded::start_sama(listeners, compat.clone())
        } else {
            embedded::start_with(name, listeners, ping, opts.smtp)
        };
        let m = started.map_err(|e| {
            eprintln!("chatspec serve: {e}");
            ExitCode::from(2)
        })?;
        // The banner is best effort: a closed stdout must not stop the server.
        let mut lines = embedded::banner(name, &m.base_url);
        if let Some(admin) = &admin_base {
            // The lines that name admin routes name the admin address instead.
            for line in lines.iter_mut().filter(|l| l.contains("/_mock")) {
                *line = line.replace(&m.base_url, admin);
            }
            lines.push(format!("  admin routes: {admin}/_mock/... (not served on {})", m.base_url));
        }
        if *name == "connectnow"
            && let Some(relay) = opts.smtp
        {
            lines.push(format!("  e-mail:      also sent over SMTP to {relay}"));
        }
        if *name == "sama" {
            lines.extend(embedded::compat_banner(&compat));
        }
        print_banner(&lines);
        running.push(m);
    }
    // SIGINT or SIGTERM: streams end with their closing events, sockets with a Close.
    chatspec_mocks::kit::serve::shutdown_signal().await;
    for m in running {
        m.shutdown().await;
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the lines, ignoring a closed or broken stdout.
fn print_banner(lines: &[String]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for line in lines {
        if writeln!(out, "{line}").is_err() {
            return;
        }
    }
    let _ = out.flush();
}
