//! What idle WebSockets cost the SAMA mock: 10,000 clients, each linked to a user of its own,
//! hold a socket open and send nothing; the server's resident memory (VmRSS) is read before
//! and after, beside the same count of idle sockets on a bare axum WebSocket server. Each
//! server runs in a child process of its own, so the figures hold the server alone.
//!
//! ```sh
//! cargo run --release -p chatspec-mocks --example sama_idle -- [sockets]
//! ```

#[path = "bench/bare.rs"]
mod bare;
#[path = "bench/load.rs"]
mod load;
#[path = "../tests/common/tls.rs"]
mod tls;

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use chatspec_mocks::sama::{self, Sama};
use load::{Error, Socket, exchange};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

/// The budget: the mock with every socket open stays under this.
const BUDGET_KIB: u64 = 1024 * 1024;

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("--serve") => serve(args.next().as_deref() == Some("bare")),
        other => {
            let sockets: usize = other.and_then(|a| a.parse().ok()).unwrap_or(10_000);
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(measure(sockets))
        }
    }
}

/// The child: serves the mock (or the bare server), prints its address, and answers each line
/// on stdin with its VmRSS in KiB.
fn serve(bare: bool) -> Result<(), Error> {
    let runtime = tokio::runtime::Runtime::new()?;
    let addr: SocketAddr = runtime.block_on(async {
        if bare {
            return bare::serve(bare::ws_forward()).await;
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(sama::run(Sama::with_defaults(), listener, CancellationToken::new()));
        Ok::<_, std::io::Error>(addr)
    })?;
    println!("{addr}");
    for line in std::io::stdin().lock().lines() {
        line?;
        println!("{}", load::rss_kib("self").unwrap_or(0));
    }
    Ok(())
}

/// A server in a child process.
struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    addr: SocketAddr,
}

impl Server {
    fn start(bare: bool) -> Result<Server, Error> {
        let mut cmd = Command::new(std::env::current_exe()?);
        cmd.arg("--serve").arg(if bare { "bare" } else { "mock" });
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let mut stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        Ok(Server { child, stdin, stdout, addr: line.trim().parse()? })
    }

    fn rss_kib(&mut self) -> Result<u64, Error> {
        writeln!(self.stdin)?;
        let mut line = String::new();
        self.stdout.read_line(&mut line)?;
        Ok(line.trim().parse()?)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn measure(sockets: usize) -> Result<(), Error> {
    println!("sama_idle: {}; {sockets} idle sockets", load::machine());
    let http = tls::http_client().no_proxy().build()?;
    let mut figures = Vec::new();
    for bare in [true, false] {
        let mut server = Server::start(bare)?;
        let before = server.rss_kib()?;
        let mut open: Vec<Socket> = Vec::with_capacity(sockets);
        for n in 0..sockets {
            let mut ws = socket(server.addr, n).await?;
            if bare {
                exchange(&mut ws, json!({"message": {"id": "h", "body": "h"}}).to_string(), |v| {
                    v.get("ack").is_some()
                })
                .await?;
            } else {
                link(&http, server.addr, &mut ws, n).await?;
            }
            open.push(ws);
        }
        let after = server.rss_kib()?;
        let per = (after.saturating_sub(before)) as f64 * 1024.0 / sockets as f64;
        let name = if bare { "bare axum WebSocket" } else { "SAMA mock" };
        println!(
            "(d) {name}: RSS {:.1} MiB before, {:.1} MiB with {sockets} idle sockets: {:.1} KiB per socket",
            before as f64 / 1024.0,
            after as f64 / 1024.0,
            per / 1024.0
        );
        figures.push(after);
        drop(open);
    }
    let mock = figures.last().copied().unwrap_or(0);
    println!(
        "(d) mock RSS with {sockets} idle sockets {:.1} MiB: {} the 1 GiB budget; {:.2}x the bare server's",
        mock as f64 / 1024.0,
        if mock < BUDGET_KIB { "under" } else { "OVER" },
        mock as f64 / figures[0].max(1) as f64
    );
    Ok(())
}

/// Socket `n`, on a path of its own (a room of its own on the bare server).
async fn socket(addr: SocketAddr, n: usize) -> Result<Socket, Error> {
    let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/idle{n}")).await?;
    Ok(ws)
}

/// Provisions a user and links `ws` to its device.
async fn link(http: &reqwest::Client, addr: SocketAddr, ws: &mut Socket, n: usize) -> Result<(), Error> {
    let user: Value = http
        .post(format!("http://{addr}/_mock/users"))
        .json(&json!({"name": format!("idle{n}")}))
        .send()
        .await?
        .json()
        .await?;
    let connect = json!({"request": {"connect": {"token": user["access_token"], "device_id": user["device_id"]}, "id": "c"}});
    let reply = exchange(ws, connect.to_string(), |v| v["response"]["id"] == "c").await?;
    if reply["response"]["success"] != true {
        return Err(format!("connect: {reply}").into());
    }
    Ok(())
}
