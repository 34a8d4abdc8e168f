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
        let mut lines = banner(name, &m.base_url, admin_base.as_deref(), opts.smtp);
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

/// The banner of the mock of `api` at `base`: with its admin routes on `admin` when they are
/// served apart, and (connectnow) where its e-mail goes when `smtp` names a relay.
pub fn banner(api: &str, base: &str, admin: Option<&str>, smtp: Option<SocketAddr>) -> Vec<String> {
    let mut lines = embedded::banner(api, base);
    if api == "connectnow"
        && let Some(relay) = smtp
    {
        // The mail goes out over SMTP, and the outbox keeps a copy of each.
        for line in lines.iter_mut().filter(|l| l.starts_with("  auth codes:")) {
            *line = format!(
                "  e-mail:      every auth code e-mail is sent over SMTP to {relay} (plain SMTP, no authentication)"
            );
        }
        let at = lines.iter().position(|l| l.starts_with("  e-mail:")).map_or(lines.len(), |i| i + 1);
        lines.insert(
            at,
            format!(
                "  auth codes:  GET {base}/_mock/outbox keeps a copy of each e-mail (also when SMTP fails)"
            ),
        );
    }
    if let Some(admin) = admin {
        // The admin routes are named at the admin address; every other URL (the OneChat
        // libraries beside the users route) stays where it is served.
        let (on_base, on_admin) = (format!("{base}/_mock"), format!("{admin}/_mock"));
        for line in lines.iter_mut() {
            *line = line.replace(&on_base, &on_admin);
        }
        lines.push(format!("  admin routes: {admin}/_mock/... (not served on {base})"));
    }
    lines
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_admin_routes_apart_only_the_admin_urls_move() {
        let (base, admin) = ("http://127.0.0.1:20000", "http://127.0.0.1:20001");
        let plain = banner("onechat", base, Some(admin), None).join("\n");
        assert!(plain.contains(&format!("{base}/ocwp.js")), "the libraries stay on the API address: {plain}");
        assert!(!plain.contains(&format!("{admin}/ocwp.js")), "{plain}");
        assert!(plain.contains(&format!("{admin}/_mock/users")), "{plain}");
        assert!(!plain.contains(&format!("{base}/_mock")), "{plain}");
    }

    #[test]
    fn the_connectnow_banner_shows_the_outbox_item_and_where_mail_goes() {
        let base = "http://127.0.0.1:8080";
        let plain = banner("connectnow", base, None, None).join("\n");
        assert!(plain.contains(&format!("auth codes:  GET {base}/_mock/outbox")), "{plain}");
        assert!(plain.contains("outbox item: {to, ") && plain.contains("auth_code?"), "{plain}");
        assert!(plain.contains("specs/schemas/admin/connectnow.response.outbox.json"), "{plain}");
        assert!(!plain.contains("SMTP"), "{plain}");
        // connectnow's own words: companies, chats and chat users, no rooms.
        assert!(plain.contains("companies, chats, chat users, messages"), "{plain}");
        assert!(!plain.contains("room"), "{plain}");

        let relay: SocketAddr = "127.0.0.1:2525".parse().unwrap_or_else(|e| panic!("{e}"));
        let lines = banner("connectnow", base, Some("http://127.0.0.1:8081"), Some(relay));
        let mail = lines.iter().position(|l| l.contains("sent over SMTP to 127.0.0.1:2525"));
        let copy =
            lines.iter().position(|l| l.contains("GET http://127.0.0.1:8081/_mock/outbox keeps a copy"));
        assert!(mail.is_some() && copy > mail, "{lines:#?}");
        assert!(lines.iter().any(|l| l.starts_with("  outbox item: {to")), "{lines:#?}");
        assert!(!lines.iter().any(|l| l.contains(&format!("{base}/_mock"))), "{lines:#?}");
    }

    #[test]
    fn each_api_with_an_outbox_shows_its_items_fields() {
        let sama = banner("sama", "http://h", None, None).join("\n");
        assert!(sama.contains("type: \"push\"") && sama.contains("type: \"push_event\""), "{sama}");
        let onechat = banner("onechat", "http://h", None, None).join("\n");
        assert!(onechat.contains("outbox item: {") && onechat.contains("via"), "{onechat}");
        let unichat = banner("unichat", "http://h", None, None).join("\n");
        assert!(!unichat.contains("outbox item"), "{unichat}");
    }
}
