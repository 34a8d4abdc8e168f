//! Load benchmark of the SAMA mock, each figure beside a bare axum WebSocket server's in the
//! same run (ack-and-forward, TCP_NODELAY): message acks per second over 1:1 conversations,
//! and the latency of one message fanned out to 100 members' sockets.
//!
//! ```sh
//! cargo run --release -p chatspec-mocks --example sama_load -- [seconds] [pairs] [posts]
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

use std::net::SocketAddr;
use std::sync::Arc;

use chatspec_mocks::sama::{self, Sama};
use load::{Error, Socket, exchange, pct};
use serde_json::{Value, json};
use tokio::sync::{Mutex, mpsc};
use tokio_util::sync::CancellationToken;

/// How many members' sockets a fan-out reaches.
const MEMBERS: usize = 100;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let seconds: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5.0);
    let pairs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(32);
    let posts: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    println!("sama_load: {}; {seconds} s per run, {pairs} sender/receiver pairs", load::machine());

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let mock = listener.local_addr()?;
    let stop = CancellationToken::new();
    tokio::spawn(sama::run(Sama::with_defaults(), listener, stop.clone()));
    let bare = bare::serve(bare::ws_forward()).await?;
    let http = tls::http_client().no_proxy().build()?;
    let mut users = Users { http, mock, n: 0 };

    // (b) acks per second: each sender posts, waits for the ack, posts again; each receiver
    // reads what is forwarded to it.
    let mut mock_senders = Vec::new();
    for _ in 0..pairs {
        let (mut a, _) = users.connected().await?;
        let (b, b_id) = users.connected().await?;
        let cid = users.conversation(&mut a, "u", &[&b_id]).await?;
        tokio::spawn(load::drain(b));
        mock_senders.push((Arc::new(Mutex::new(a)), cid));
    }
    let mut bare_senders = Vec::new();
    for p in 0..pairs {
        let a = socket(bare, &format!("/pair{p}")).await?;
        tokio::spawn(load::drain(socket(bare, &format!("/pair{p}")).await?));
        bare_senders.push((Arc::new(Mutex::new(a)), String::new()));
    }
    let mut ratios = Vec::new();
    for round in 1..=3 {
        let cpu = load::cpu_seconds();
        let bare_rate = acks(&bare_senders, seconds).await?;
        let bare_cpu = (load::cpu_seconds() - cpu) / (bare_rate * seconds);
        let cpu = load::cpu_seconds();
        let mock_rate = acks(&mock_senders, seconds).await?;
        let mock_cpu = (load::cpu_seconds() - cpu) / (mock_rate * seconds);
        ratios.push(mock_rate / bare_rate);
        println!(
            "(b) round {round}: mock {mock_rate:.0} acks/s, bare ack-and-forward {bare_rate:.0} acks/s: ratio {:.2} (target >= 0.8); \
             CPU per message, clients included: mock {:.0} us, bare {:.0} us: ratio {:.2}",
            mock_rate / bare_rate,
            mock_cpu * 1e6,
            bare_cpu * 1e6,
            bare_cpu / mock_cpu
        );
    }
    ratios.sort_by(f64::total_cmp);
    println!("(b) median acks ratio {:.2} (target >= 0.8)", ratios[ratios.len() / 2]);
    drop((mock_senders, bare_senders));

    // (c) fan-out of one message to MEMBERS sockets, three rounds (a p99 on a shared machine
    // is at the mercy of its scheduler).
    let mut ratios = Vec::new();
    for round in 1..=3 {
        let (arrivals_tx, mut arrivals) = mpsc::unbounded_channel();
        let sender = Arc::new(Mutex::new(socket(bare, &format!("/fan{round}")).await?));
        for _ in 0..MEMBERS {
            // The bare server registers a socket as it upgrades: an ack proves it is in the room.
            let mut member = socket(bare, &format!("/fan{round}")).await?;
            exchange(&mut member, probe("hello", "h"), |v| v.get("ack").is_some()).await?;
            tokio::spawn(load::ws_listener(member, arrivals_tx.clone()));
        }
        let bare_lat =
            load::fan_out(posts, MEMBERS, &mut arrivals, |n| {
                let frame = probe(&format!("b{n}"), &format!("p{n}"));
                let sender = sender.clone();
                async move {
                    exchange(&mut *sender.lock().await, frame, |v| v.get("ack").is_some()).await.map(drop)
                }
            })
            .await?;

        let (poster, _) = users.connected().await?;
        let poster = Arc::new(Mutex::new(poster));
        let mut ids = Vec::new();
        let (arrivals_tx, mut arrivals) = mpsc::unbounded_channel();
        for _ in 0..MEMBERS {
            let (member, id) = users.connected().await?;
            ids.push(id);
            tokio::spawn(load::ws_listener(member, arrivals_tx.clone()));
        }
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let cid = users.conversation(&mut *poster.lock().await, "g", &refs).await?;
        let mock_lat =
            load::fan_out(posts, MEMBERS, &mut arrivals, |n| {
                let frame = json!({"message": {"id": format!("m{n}"), "cid": cid, "body": format!("p{n}")}})
                    .to_string();
                let poster = poster.clone();
                async move {
                    exchange(&mut *poster.lock().await, frame, |v| v.get("ack").is_some()).await.map(drop)
                }
            })
            .await?;
        let (m99, b99) = (pct(&mock_lat, 0.99), pct(&bare_lat, 0.99));
        let ratio = m99.as_secs_f64() / b99.as_secs_f64();
        ratios.push(ratio);
        println!(
            "(c) round {round}: WebSocket fan-out to {MEMBERS} members, {posts} messages: mock p50 {:.2?} p99 {m99:.2?}; \
             bare p50 {:.2?} p99 {b99:.2?}: p99 ratio {ratio:.2} (target <= 1.5)",
            pct(&mock_lat, 0.5),
            pct(&bare_lat, 0.5),
        );
    }
    ratios.sort_by(f64::total_cmp);
    println!("(c) median WebSocket fan-out p99 ratio {:.2} (target <= 1.5)", ratios[ratios.len() / 2]);
    stop.cancel();
    Ok(())
}

/// A message frame for the bare server.
fn probe(id: &str, body: &str) -> String {
    json!({"message": {"id": id, "cid": "bare", "body": body}}).to_string()
}

/// Acks per second: every sender in a loop for `seconds`.
async fn acks(senders: &[(Arc<Mutex<Socket>>, String)], seconds: f64) -> Result<f64, Error> {
    let senders: Arc<Vec<(Arc<Mutex<Socket>>, String)>> = Arc::new(senders.to_vec());
    let (done, failed, elapsed) = load::for_seconds(senders.len(), seconds, move |c, n| {
        let senders = senders.clone();
        async move {
            let (ws, cid) = &senders[c];
            let mid = format!("m{c}-{n}");
            let frame =
                json!({"message": {"id": mid, "cid": cid, "body": format!("message {n}")}}).to_string();
            let mut ws = ws.lock().await;
            exchange(&mut ws, frame, |v| v["ack"]["mid"] == mid.as_str()).await.map(drop)
        }
    })
    .await;
    if failed > 0 {
        return Err(format!("{failed} messages got no ack").into());
    }
    Ok(done as f64 / elapsed)
}

async fn socket(addr: SocketAddr, path: &str) -> Result<Socket, Error> {
    let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}{path}")).await?;
    Ok(ws)
}

/// Provisions users on the mock and links sockets to them.
struct Users {
    http: reqwest::Client,
    mock: SocketAddr,
    n: u64,
}

impl Users {
    /// A new user's linked socket and user id.
    async fn connected(&mut self) -> Result<(Socket, String), Error> {
        self.n += 1;
        let user: Value = self
            .http
            .post(format!("http://{}/_mock/users", self.mock))
            .json(&json!({"name": format!("user{}", self.n)}))
            .send()
            .await?
            .json()
            .await?;
        let mut ws = socket(self.mock, "/").await?;
        let id = format!("c{}", self.n);
        let connect = json!({"request": {"connect": {"token": user["access_token"], "device_id": user["device_id"]}, "id": id}});
        exchange(&mut ws, connect.to_string(), |v| v["response"]["id"] == id.as_str()).await?;
        Ok((ws, user["user"]["_id"].as_str().unwrap_or_default().to_owned()))
    }

    /// A conversation of `kind` ("u" or "g") created on `ws` with `others`; its id.
    async fn conversation(&mut self, ws: &mut Socket, kind: &str, others: &[&str]) -> Result<String, Error> {
        let request = json!({"request": {"conversation_create": {"type": kind, "name": "load", "participants": others}, "id": "cc"}});
        let reply = exchange(ws, request.to_string(), |v| v["response"]["id"] == "cc").await?;
        let cid = reply["response"]["conversation"]["_id"]
            .as_str()
            .ok_or_else(|| format!("conversation_create: {reply}"))?;
        Ok(cid.to_owned())
    }
}
