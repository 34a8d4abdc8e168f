//! Load benchmark of the Unichat mock: request throughput and notification latency.
//!
//! ```sh
//! cargo run --release -p chatspec-mocks --example unichat_load -- [seconds] [clients]
//! ```
//!
//! The mock and the load generator share this process and its cores, so the numbers are a
//! floor for what the mock alone sustains. Only loopback is used.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chatspec_mocks::kit::{Clock, serve};
use chatspec_mocks::unichat::{self, Config, Unichat};
use futures::StreamExt;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

type Error = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let clients: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(32);

    let state = Unichat::new(Config::default(), Clock::system(), Duration::from_secs(15));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = serve::base_url(&listener)?;
    let stop = CancellationToken::new();
    tokio::spawn(unichat::run(state.clone(), listener, stop.clone()));

    let http = reqwest::Client::builder().no_proxy().pool_max_idle_per_host(clients).build()?;
    let alice = user(&http, &base, "alice").await?;
    let bob = user(&http, &base, "bob").await?;
    let bob_id = bob["id"].clone();
    let token_a = alice["auth_token"].as_str().unwrap_or_default().to_owned();
    let token_b = bob["auth_token"].as_str().unwrap_or_default().to_owned();
    let room =
        call(&http, &base, &token_a, "create_room", json!({"name": "load", "user_ids": [bob_id]})).await?;
    let sid = room["subscription"]["id"].clone();

    // Throughput: `clients` concurrent keep-alive connections posting for `seconds`.
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (http, base, token, sid) = (http.clone(), base.clone(), token_a.clone(), sid.clone());
        let (done, failed) = (done.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                n += 1;
                let args =
                    json!({"subscription_id": sid, "text": format!("c{c} m{n}"), "uid": format!("c{c}-{n}")});
                match call(&http, &base, &token, "post_message", args).await {
                    Ok(_) => done.fetch_add(1, Ordering::Relaxed),
                    Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let posts = done.load(Ordering::Relaxed);
    println!(
        "post_message: {posts} in {elapsed:.1}s = {:.0} requests/s with {clients} clients ({} failed), {} cores",
        posts as f64 / elapsed,
        failed.load(Ordering::Relaxed),
        std::thread::available_parallelism().map_or(1, usize::from)
    );

    // Latency: from sending a post to Bob's SSE stream carrying it.
    let code = call(&http, &base, &token_b, "create_sse_auth_code", json!({})).await?["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let resp = http.get(format!("{base}/sse/{code}")).send().await?;
    let mut stream = resp.bytes_stream();
    let mut buffer = String::new();
    let mut latencies = Vec::new();
    for i in 0..500 {
        let marker = format!("latency-probe-{i}");
        let sent = Instant::now();
        call(&http, &base, &token_a, "post_message", json!({"subscription_id": sid, "text": marker})).await?;
        while !buffer.contains(&format!("\"{marker}\"")) {
            let chunk = tokio::time::timeout(Duration::from_secs(5), stream.next())
                .await?
                .ok_or("stream ended")??;
            buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
        latencies.push(sent.elapsed());
        buffer.clear();
    }
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p) as usize];
    println!(
        "notification (post sent -> SSE event at another user): p50 {:?}, p99 {:?}, max {:?} over {} posts",
        pct(0.5),
        pct(0.99),
        pct(1.0),
        latencies.len()
    );
    stop.cancel();
    Ok(())
}

async fn user(http: &reqwest::Client, base: &str, name: &str) -> Result<Value, Error> {
    Ok(http.post(format!("{base}/_mock/users")).json(&json!({"name": name})).send().await?.json().await?)
}

async fn call(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    method: &str,
    args: Value,
) -> Result<Value, Error> {
    let reply: Value = http
        .post(format!("{base}/api/{method}"))
        .header("APP_DOMAIN_TOKEN", "test_token1")
        .header("USER_AUTH_TOKEN", token)
        .json(&json!({"args": args}))
        .send()
        .await?
        .json()
        .await?;
    if reply["status"] != "OK" {
        return Err(format!("{method}: {reply}").into());
    }
    Ok(reply)
}
