//! The pre-flight check (DESIGN.md, "Targets"): before the first scenario, every URL the
//! profile names is reached once, so an unreachable server ends the run with one clear line
//! instead of one failure per scenario.

use std::time::Duration;

use super::Target;

/// Every distinct base URL of `target` a run talks to, as `http(s)://` URLs: the API, the
/// admin API, the event streams, and the SAMA socket (a WebSocket server answers a plain GET
/// too, if only with an error).
pub fn urls(target: &Target) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let socket = (target.api == "sama").then(|| {
        let url = &target.sama.socket_url;
        if let Some(rest) = url.strip_prefix("wss://") {
            format!("https://{rest}")
        } else {
            format!("http://{}", url.strip_prefix("ws://").unwrap_or(url))
        }
    });
    for url in
        [Some(&target.base_url), target.admin_url.as_ref(), target.sse_base_url.as_ref(), socket.as_ref()]
            .into_iter()
            .flatten()
    {
        if !out.contains(url) {
            out.push(url.clone());
        }
    }
    out
}

/// Why a URL of the profile could not be reached before the run.
#[derive(Debug, thiserror::Error)]
pub enum Unreachable {
    /// The profile's URL does not parse.
    #[error("cannot reach {url}: not a URL: {reason}")]
    NotAUrl {
        /// The URL as the profile gives it.
        url: String,
        /// What the URL parser said.
        reason: String,
    },
    /// The connection failed (refused, no route, unknown host).
    #[error("cannot reach {url}: {cause}")]
    Connect {
        /// The URL whose host and port were tried.
        url: String,
        /// The innermost cause (`connection refused`).
        cause: String,
    },
    /// No connection within the (scaled) wait.
    #[error("cannot reach {url}: no connection within {} ms", wait.as_millis())]
    Timeout {
        /// The URL whose host and port were tried.
        url: String,
        /// How long the harness waited.
        wait: Duration,
    },
}

/// Opens a TCP connection to the host and port of every URL of `urls` once (what the
/// server answers, and how fast, is for the scenarios to judge). The first that cannot be
/// reached gives `cannot reach http://...: connection refused`.
pub async fn preflight(target: &Target) -> Result<(), Unreachable> {
    let wait = target.wait(Duration::from_secs(5));
    for url in urls(target) {
        let parsed = match reqwest::Url::parse(&url) {
            Ok(u) => u,
            Err(e) => return Err(Unreachable::NotAUrl { url, reason: e.to_string() }),
        };
        let host =
            parsed.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_owned();
        let port = parsed.port_or_known_default().unwrap_or(80);
        match tokio::time::timeout(wait, tokio::net::TcpStream::connect((host.as_str(), port))).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(Unreachable::Connect { url, cause: crate::reply::root_cause(&e) }),
            Err(_) => return Err(Unreachable::Timeout { url, wait }),
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_url_once_and_sockets_as_http() {
        let mut t = Target::embedded("sama", "http://127.0.0.1:9000".into());
        t.sama.socket_url = "wss://chat.example.com/socket".into();
        t.sse_base_url = Some("http://127.0.0.1:9000".into());
        assert_eq!(urls(&t), ["http://127.0.0.1:9000", "https://chat.example.com/socket"]);
        let u = Target::embedded("unichat", "http://h:1".into());
        assert_eq!(urls(&u), ["http://h:1"]);
    }

    #[tokio::test]
    async fn a_closed_port_is_one_clear_line() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let t = Target::embedded("unichat", base.clone());
        let e = preflight(&t).await.unwrap_err();
        assert_eq!(e.to_string(), format!("cannot reach {base}: connection refused"));
    }
}
