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

/// Opens a TCP connection to the host and port of every URL of [`urls`] once (what the
/// server answers, and how fast, is for the scenarios to judge). The first that cannot be
/// reached gives `cannot reach http://...: connection refused`.
pub async fn preflight(target: &Target) -> Result<(), String> {
    let wait = target.wait(Duration::from_secs(5));
    for url in urls(target) {
        let parsed = reqwest::Url::parse(&url).map_err(|e| format!("cannot reach {url}: not a URL: {e}"))?;
        let host =
            parsed.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_owned();
        let port = parsed.port_or_known_default().unwrap_or(80);
        match tokio::time::timeout(wait, tokio::net::TcpStream::connect((host.as_str(), port))).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(format!("cannot reach {url}: {}", crate::reply::root_cause(&e))),
            Err(_) => {
                return Err(format!("cannot reach {url}: no connection within {} ms", wait.as_millis()));
            }
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
        assert_eq!(e, format!("cannot reach {base}: connection refused"));
    }
}
