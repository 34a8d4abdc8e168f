//! Load benchmark of the Unichat mock, each figure beside a bare axum server's in the same run:
//! `post_message` throughput against a JSON echo server, and the latency of one notification
//! fanned out to 100 members' SSE streams against a bare SSE broadcast server.
//!
//! ```sh
//! cargo run --release -p chatspec-mocks --example unichat_load -- [seconds] [clients] [posts]
//! ```
//!
//! The servers and the load generator share this process and its cores: absolute figures
//! drift with the machine, the ratios are what to read. Only loopback is used.

#[path = "bench/bare.rs"]
mod bare;
#[path = "bench/load.rs"]
mod load;
#[path = "../tests/common/tls.rs"]
mod tls;

use std::time::Duration;

use chatspec_mocks::kit::{Clock, serve};
use chatspec_mocks::unichat::{self, Config, Unichat};
use load::{Error, pct};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// How many members' streams a fan-out reaches.
const MEMBERS: usize = 100;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let seconds: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5.0);
    let clients: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(32);
    let posts: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    println!("unichat_load: {}; {seconds} s per throughput run, {clients} clients", load::machine());

    let state = Unichat::new(Config::default(), Clock::system(), Duration::from_secs(15));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let mock = serve::base_url(&listener)?;
    let stop = CancellationToken::new();
    tokio::spawn(unichat::run(state.clone(), listener, stop.clone()));
    let echo = format!("http://{}", bare::serve(bare::json_echo()).await?);
    let fanout = format!("http://{}", bare::serve(bare::sse_fanout()).await?);
    let http = tls::http_client().no_proxy().pool_max_idle_per_host(clients + 8).build()?;

    // (a) post_message throughput.
    let alice = user(&http, &mock, "alice").await?;
    let bob = user(&http, &mock, "bob").await?;
    let token = alice["auth_token"].as_str().unwrap_or_default().to_owned();
    let room =
        call(&http, &mock, &token, "create_room", json!({"name": "load", "user_ids": [bob["id"]]})).await?;
    let sid = room["subscription"]["id"].clone();
    let mut ratios = Vec::new();
    for round in 1..=3 {
        let (bare_rate, bare_cpu) = throughput(&http, &echo, &token, &sid, clients, seconds).await?;
        let (mock_rate, mock_cpu) = throughput(&http, &mock, &token, &sid, clients, seconds).await?;
        ratios.push(mock_rate / bare_rate);
        println!(
            "(a) round {round}: post_message {mock_rate:.0}/s, bare JSON echo {bare_rate:.0}/s: ratio {:.2} (target >= 0.5); \
             CPU per request, client included: mock {:.0} us, bare {:.0} us: ratio {:.2}",
            mock_rate / bare_rate,
            mock_cpu * 1e6,
            bare_cpu * 1e6,
            bare_cpu / mock_cpu
        );
    }
    ratios.sort_by(f64::total_cmp);
    println!("(a) median throughput ratio {:.2} (target >= 0.5)", ratios[ratios.len() / 2]);

    // (c) fan-out of one post to MEMBERS streams, three rounds (a p99 on a shared machine
    // is at the mercy of its scheduler).
    let mut ratios = Vec::new();
    for round in 1..=3 {
        let (bare_p50, bare_p99) = sse_fanout_bare(&http, &fanout, posts).await?;
        let (mock_p50, mock_p99) = sse_fanout_mock(&http, &mock, posts).await?;
        let ratio = mock_p99.as_secs_f64() / bare_p99.as_secs_f64();
        ratios.push(ratio);
        println!(
            "(c) round {round}: SSE fan-out to {MEMBERS} members, {posts} posts: mock p50 {mock_p50:.2?} p99 {mock_p99:.2?}; \
             bare p50 {bare_p50:.2?} p99 {bare_p99:.2?}: p99 ratio {ratio:.2} (target <= 1.5)"
        );
    }
    ratios.sort_by(f64::total_cmp);
    println!("(c) median SSE fan-out p99 ratio {:.2} (target <= 1.5)", ratios[ratios.len() / 2]);
    stop.cancel();
    Ok(())
}

/// `post_message` requests per second against `base`, `clients` at a time for `seconds`, and
/// the CPU seconds this process spent per request.
async fn throughput(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    sid: &Value,
    clients: usize,
    seconds: f64,
) -> Result<(f64, f64), Error> {
    let target = base.to_owned();
    let cpu = load::cpu_seconds();
    let (http, base, token, sid) = (http.clone(), base.to_owned(), token.to_owned(), sid.clone());
    let (done, failed, elapsed) = load::for_seconds(clients, seconds, move |c, n| {
        let (http, base, token) = (http.clone(), base.clone(), token.clone());
        let args = json!({"subscription_id": sid, "text": format!("c{c} m{n}"), "uid": format!("c{c}-{n}")});
        async move { call(&http, &base, &token, "post_message", args).await.map(drop) }
    })
    .await;
    if failed > 0 {
        return Err(format!("{failed} post_message calls to {target} failed").into());
    }
    Ok((done as f64 / elapsed, (load::cpu_seconds() - cpu) / done.max(1) as f64))
}

/// Probe latencies through the mock: MEMBERS users in one room, each with a stream.
async fn sse_fanout_mock(
    http: &reqwest::Client,
    base: &str,
    posts: u64,
) -> Result<(Duration, Duration), Error> {
    let poster = user(http, base, "poster").await?;
    let token = poster["auth_token"].as_str().unwrap_or_default().to_owned();
    let mut members = Vec::new();
    for i in 0..MEMBERS {
        members.push(user(http, base, &format!("member{i}")).await?);
    }
    let ids: Vec<Value> = members.iter().map(|m| m["id"].clone()).collect();
    let room = call(http, base, &token, "create_room", json!({"name": "fan-out", "user_ids": ids})).await?;
    let sid = room["subscription"]["id"].clone();
    let mut urls = Vec::new();
    for m in &members {
        let t = m["auth_token"].as_str().unwrap_or_default();
        let code = call(http, base, t, "create_sse_auth_code", json!({})).await?;
        urls.push(format!("{base}/sse/{}", code["code"].as_str().unwrap_or_default()));
    }
    let post = |n: u64| {
        let (http, base, token) = (http.clone(), base.to_owned(), token.clone());
        let args = json!({"subscription_id": sid, "text": format!("p{n}")});
        async move { call(&http, &base, &token, "post_message", args).await.map(drop) }
    };
    fan_out(http, urls, posts, post).await
}

/// Probe latencies through the bare SSE server.
async fn sse_fanout_bare(
    http: &reqwest::Client,
    base: &str,
    posts: u64,
) -> Result<(Duration, Duration), Error> {
    let urls = vec![format!("{base}/sse"); MEMBERS];
    let post = |n: u64| {
        let (http, base) = (http.clone(), base.to_owned());
        async move { call(&http, &base, "", "post_message", json!({"text": format!("p{n}")})).await.map(drop) }
    };
    fan_out(http, urls, posts, post).await
}

/// Opens one stream per URL, waits until each is ready, then times `posts` probes; p50, p99.
async fn fan_out<F, Fut>(
    http: &reqwest::Client,
    urls: Vec<String>,
    posts: u64,
    post: F,
) -> Result<(Duration, Duration), Error>
where
    F: FnMut(u64) -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>>,
{
    let (ready_tx, mut ready) = mpsc::unbounded_channel();
    let (arrivals_tx, mut arrivals) = mpsc::unbounded_channel();
    let mut listeners = Vec::new();
    for url in urls {
        listeners.push(tokio::spawn(load::sse_listener(
            http.clone(),
            url,
            ready_tx.clone(),
            arrivals_tx.clone(),
        )));
    }
    for _ in 0..MEMBERS {
        tokio::time::timeout(load::WAIT, ready.recv()).await?.ok_or("a stream failed")?;
    }
    let latencies = load::fan_out(posts, MEMBERS, &mut arrivals, post).await?;
    for l in listeners {
        l.abort();
    }
    Ok((pct(&latencies, 0.5), pct(&latencies, 0.99)))
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
