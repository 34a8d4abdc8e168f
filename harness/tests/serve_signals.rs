//! `chatspec serve` as CI and containers run it: `--addr localhost:0`, `--log` with one line
//! per call, and a clean exit on SIGTERM (`docker stop`) as on Ctrl-C.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_chatspec");
const WAIT: Duration = Duration::from_secs(10);

struct Served {
    /// `None` once a test took it to wait for its exit.
    child: Option<Child>,
    base: String,
    stderr: mpsc::Receiver<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn serve(args: &[&str]) -> Served {
    let mut child = Command::new(BIN)
        .arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chatspec serve starts");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let (tx, stderr) = mpsc::channel();
    let err = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in err.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let base = first.split_whitespace().last().expect("the base URL").to_owned();
    Served { child: Some(child), base, stderr }
}

/// One HTTP/1.1 GET; the status line.
fn get(base: &str, path: &str) -> String {
    let host = base.trim_start_matches("http://");
    let mut tcp = TcpStream::connect(host).unwrap();
    write!(tcp, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut text = String::new();
    tcp.read_to_string(&mut text).unwrap();
    text.lines().next().unwrap_or("").to_owned()
}

#[test]
fn sigterm_stops_serve_cleanly_and_the_log_has_a_line_per_call() {
    let mut served = serve(&["sama", "--addr", "localhost:0", "--log"]);
    assert!(served.base.starts_with("http://127.0.0.1:"), "localhost means 127.0.0.1: {}", served.base);
    assert!(get(&served.base, "/_mock/health").contains("200"));
    let deadline = Instant::now() + WAIT;
    let line = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = served.stderr.recv_timeout(left).expect("a log line for GET /_mock/health");
        if line.contains("/_mock/health") {
            break line;
        }
    };
    assert!(line.contains("GET") && line.contains(" 200 ") && line.contains(" ms"), "{line}");

    let mut child = served.child.take().unwrap();
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    // `wait` on its own thread, so a server that never stops fails the test instead of hanging it.
    let (tx, exited) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let Ok(status) = exited.recv_timeout(WAIT) else {
        let _ = Command::new("kill").args(["-KILL", &pid]).status();
        panic!("chatspec serve did not stop within {WAIT:?} of SIGTERM");
    };
    let status = status.unwrap();
    assert!(status.success(), "SIGTERM must stop serve cleanly (exit 0), as Ctrl-C does; got {status}");
}

#[test]
fn a_bare_port_and_port_flag_are_accepted() {
    let served = serve(&["unichat", "--addr", "0"]);
    assert!(served.base.starts_with("http://127.0.0.1:"), "{}", served.base);
    let flagged = serve(&["unichat", "--addr", "127.0.0.1:1", "--port", "0"]);
    assert!(flagged.base.starts_with("http://127.0.0.1:"), "{}", flagged.base);
    assert_ne!(flagged.base, "http://127.0.0.1:1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_has_a_line_per_sse_event() {
    let served = serve(&["unichat", "--addr", "0", "--log"]);
    let base = served.base.clone();
    let http = chatspec::tls::http_client().build().unwrap();
    let ann: serde_json::Value = http
        .post(format!("{base}/_mock/users"))
        .json(&serde_json::json!({"name": "Ann"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let domain = chatspec::target::Target::embedded_unichat(base.clone()).domain_token;
    let call = |method: &str, args: serde_json::Value| {
        http.post(format!("{base}/api/{method}"))
            .header("APP_DOMAIN_TOKEN", &domain)
            .header("USER_AUTH_TOKEN", ann["auth_token"].as_str().unwrap())
            .json(&serde_json::json!({ "args": args }))
            .send()
    };
    let code: serde_json::Value =
        call("create_sse_auth_code", serde_json::json!({})).await.unwrap().json().await.unwrap();
    let code = code["code"].as_str().unwrap();
    let mut stream = http.get(format!("{base}/sse/{code}")).send().await.unwrap();
    stream.chunk().await.unwrap(); // event_source_ready: the stream is open
    call("create_room", serde_json::json!({"name": "lobby"})).await.unwrap();
    let deadline = Instant::now() + WAIT;
    let line = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = served.stderr.recv_timeout(left).expect("a log line for the notification");
        if line.contains("unichat_notification") {
            break line;
        }
    };
    assert!(
        line.contains("chatspec_mocks::events") && line.contains("user 1 ") && line.contains(" bytes"),
        "{line}"
    );
}
