//! HTTP/1.1 keep-alive on every mock, seen by a raw TCP client: a body that arrives in a later
//! TCP segment than its headers, read or not by the handler, leaves the connection usable for
//! the next request; a body past the API's limit is read to its end, so the 413 (in the API's
//! own envelope) reaches a client that is still writing, and the connection still serves.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::time::Duration;

use chatspec_mocks::{connectnow, onechat, sama, unichat};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

/// Every wait on the socket: far above what loopback needs, so only a hang trips it.
const PATIENCE: Duration = Duration::from_secs(30);

/// Starts a mock on port 0; returns its address and the token that stops it.
async fn start<F, Fut>(run: F) -> (std::net::SocketAddr, CancellationToken)
where
    F: FnOnce(TcpListener, CancellationToken) -> Fut,
    Fut: Future<Output = std::io::Result<()>> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(run(listener, stop.clone()));
    (addr, stop)
}

async fn every_mock() -> Vec<(&'static str, std::net::SocketAddr, CancellationToken)> {
    let (u, us) = start(|l, s| unichat::run(unichat::Unichat::with_defaults(), l, s)).await;
    let (c, cs) = start(|l, s| connectnow::run(connectnow::ConnectNow::with_defaults(), l, s)).await;
    let (o, os) = start(|l, s| onechat::run(onechat::OneChat::with_defaults(), l, s)).await;
    let (m, ms) = start(|l, s| sama::run(sama::Sama::with_defaults(), l, s)).await;
    vec![("unichat", u, us), ("connectnow", c, cs), ("onechat", o, os), ("sama", m, ms)]
}

async fn connect(addr: std::net::SocketAddr) -> TcpStream {
    let tcp = TcpStream::connect(addr).await.unwrap();
    // Each write goes out as its own segment.
    tcp.set_nodelay(true).unwrap();
    tcp
}

fn head(method: &str, path: &str, length: usize) -> String {
    format!(
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
         content-length: {length}\r\n\r\n"
    )
}

/// One reply read off `tcp`: status, lower-case headers, body. `buf` keeps what follows it.
async fn reply(tcp: &mut TcpStream, buf: &mut Vec<u8>) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        fill(tcp, buf).await;
    };
    let text = String::from_utf8_lossy(&buf[..end]).into_owned();
    buf.drain(..end);
    let mut lines = text.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let find = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let body = if let Some(len) = find("content-length") {
        let len: usize = len.parse().unwrap();
        while buf.len() < len {
            fill(tcp, buf).await;
        }
        buf.drain(..len).collect()
    } else {
        assert_eq!(find("transfer-encoding").as_deref(), Some("chunked"), "{text}");
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(p) = buf.windows(2).position(|w| w == b"\r\n") {
                    break p;
                }
                fill(tcp, buf).await;
            };
            let size = usize::from_str_radix(String::from_utf8_lossy(&buf[..line_end]).trim(), 16).unwrap();
            while buf.len() < line_end + 2 + size + 2 {
                fill(tcp, buf).await;
            }
            body.extend_from_slice(&buf[line_end + 2..line_end + 2 + size]);
            buf.drain(..line_end + 2 + size + 2);
            if size == 0 {
                break body;
            }
        }
    };
    (status, headers, body)
}

async fn fill(tcp: &mut TcpStream, buf: &mut Vec<u8>) {
    let mut chunk = [0u8; 16 * 1024];
    let n = tokio::time::timeout(PATIENCE, tcp.read(&mut chunk))
        .await
        .expect("the mock answers in time")
        .expect("the connection is not reset");
    assert!(n > 0, "the mock closed the connection");
    buf.extend_from_slice(&chunk[..n]);
}

fn closes(headers: &[(String, String)]) -> bool {
    headers.iter().any(|(k, v)| k == "connection" && v.eq_ignore_ascii_case("close"))
}

/// Headers in one write, the body in a second one, then a health check in a third, on one
/// connection; both replies must come, the connection kept open.
async fn split_body_then_health(addr: std::net::SocketAddr, api: &str, method: &str, path: &str, body: &str) {
    let mut tcp = connect(addr).await;
    tcp.write_all(head(method, path, body.len()).as_bytes()).await.unwrap();
    tcp.write_all(body.as_bytes()).await.unwrap();
    tcp.write_all(b"GET /_mock/health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n").await.unwrap();
    let mut buf = Vec::new();
    let (status, headers, text) = reply(&mut tcp, &mut buf).await;
    let text = String::from_utf8_lossy(&text);
    assert!(status < 300, "{api} {method} {path}: {status} {text}");
    assert!(!closes(&headers), "{api} {method} {path}: the connection must stay open: {headers:?}");
    let (status, _, health) = reply(&mut tcp, &mut buf).await;
    let health: Value = serde_json::from_slice(&health).unwrap();
    assert_eq!(
        (status, health["api"].as_str()),
        (200, Some(api)),
        "{api}: the next request on the connection"
    );
}

#[tokio::test]
async fn a_body_in_a_later_segment_keeps_the_connection_for_the_next_request() {
    for (api, addr, stop) in every_mock().await {
        // The reset reads no body: the mock reads it anyway before it answers.
        split_body_then_health(addr, api, "POST", "/_mock/reset", r#"{"why": "a body nobody reads"}"#).await;
        // A handler that reads its body gets it across the segments as before.
        split_body_then_health(addr, api, "POST", "/_mock/users", r#"{"name": "Ann"}"#).await;
        stop.cancel();
    }
}

/// The clock's year as `/_mock/health` reports it on `tcp`.
async fn health_year(tcp: &mut TcpStream, buf: &mut Vec<u8>) -> i64 {
    tcp.write_all(b"GET /_mock/health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n").await.unwrap();
    let (_, _, body) = reply(tcp, buf).await;
    let health: Value = serde_json::from_slice(&body).unwrap();
    health["now"].as_str().unwrap()[..4].parse().unwrap()
}

#[tokio::test]
async fn a_body_sent_after_the_handler_answered_keeps_the_connection() {
    // Made certain rather than left to timing: the body goes out only once the reset has
    // visibly happened (the clock, advanced a century, is back), that is once its handler
    // answered without reading it.
    for (api, addr, stop) in every_mock().await {
        let (mut watch, mut wbuf) = (connect(addr).await, Vec::new());
        let advance = r#"{"seconds": 3155760000}"#;
        watch
            .write_all(format!("{}{advance}", head("POST", "/_mock/clock/advance", advance.len())).as_bytes())
            .await
            .unwrap();
        assert_eq!(reply(&mut watch, &mut wbuf).await.0, 200, "{api}: the clock moves");
        let advanced = health_year(&mut watch, &mut wbuf).await;
        let body = r#"{"why": "a body nobody reads"}"#;
        let mut tcp = connect(addr).await;
        tcp.write_all(head("POST", "/_mock/reset", body.len()).as_bytes()).await.unwrap();
        let answered = async { while health_year(&mut watch, &mut wbuf).await >= advanced {} };
        tokio::time::timeout(PATIENCE, answered).await.expect("the reset happens without its body");
        tcp.write_all(body.as_bytes()).await.unwrap();
        tcp.write_all(b"GET /_mock/health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n").await.unwrap();
        let mut buf = Vec::new();
        let (status, headers, _) = reply(&mut tcp, &mut buf).await;
        assert_eq!(status, 200, "{api}: the reset");
        assert!(!closes(&headers), "{api}: the connection must stay open: {headers:?}");
        let (status, _, _) = reply(&mut tcp, &mut buf).await;
        assert_eq!(status, 200, "{api}: the next request on the connection");
        stop.cancel();
    }
}

#[tokio::test]
async fn a_body_past_the_limit_gets_the_413_envelope_and_the_connection_serves_on() {
    let mocks = every_mock().await;
    // (api, path, limit, what the envelope says)
    let cases: [(&str, &str, usize); 3] = [
        ("unichat", "/api/get_subscriptions", unichat::transport::BODY_LIMIT),
        ("connectnow", "/api/companies", connectnow::input::BODY_LIMIT),
        ("onechat", "/onechat/api/singleMessage", onechat::transport::BODY_LIMIT),
    ];
    for (api, path, limit) in cases {
        let (_, addr, _) = mocks.iter().find(|(a, _, _)| *a == api).unwrap();
        let mut tcp = connect(*addr).await;
        let length = limit + 1024 * 1024;
        tcp.write_all(head("POST", path, length).as_bytes()).await.unwrap();
        // The whole body goes out while the reply may already be on its way: the client
        // writes to its end, as clients do, and the mock must neither stop reading nor reset.
        let filler = vec![b' '; 64 * 1024];
        let mut left = length;
        while left > 0 {
            let n = left.min(filler.len());
            tokio::time::timeout(PATIENCE, tcp.write_all(&filler[..n]))
                .await
                .expect("the mock reads the body in time")
                .unwrap_or_else(|e| panic!("{api}: the mock stopped reading the body: {e}"));
            left -= n;
        }
        let mut buf = Vec::new();
        let (status, headers, body) = reply(&mut tcp, &mut buf).await;
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        match api {
            // Unichat answers every error with 400 and its envelope (seed 000).
            "unichat" => {
                assert_eq!(status, 400, "{body}");
                assert_eq!(body["error_code"], "too_large", "{body}");
            }
            "connectnow" => {
                assert_eq!(status, 413, "{body}");
                assert!(body["message"].as_str().unwrap().contains(&limit.to_string()), "{body}");
            }
            _ => {
                assert_eq!(status, 413, "{body}");
                assert_eq!(body["status"], "Error", "{body}");
                assert!(body["description"].as_str().unwrap().contains("larger than"), "{body}");
            }
        }
        assert!(!closes(&headers), "{api}: a drained body keeps the connection: {headers:?}");
        tcp.write_all(b"GET /_mock/health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n").await.unwrap();
        let (status, _, _) = reply(&mut tcp, &mut buf).await;
        assert_eq!(status, 200, "{api}: the connection serves after the 413");
    }
    for (_, _, stop) in mocks {
        stop.cancel();
    }
}
