//! The load generators the benchmarks share: the same client code drives a mock and its bare
//! baseline, so only the servers differ.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use eventsource_stream::Eventsource;
use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, tungstenite::Message};

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long any one wait of a benchmark may take before it gives up.
pub const WAIT: Duration = Duration::from_secs(10);

/// The `p`-quantile (0..=1) of sorted `v`.
pub fn pct(v: &[Duration], p: f64) -> Duration {
    v.get(((v.len().saturating_sub(1)) as f64 * p) as usize).copied().unwrap_or_default()
}

/// Runs `clients` loops of `one` for `seconds`; completed and failed counts, and the time.
pub async fn for_seconds<F, Fut>(clients: usize, seconds: f64, one: F) -> (u64, u64, f64)
where
    F: Fn(usize, u64) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<(), Error>> + Send,
{
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (one, done, failed) = (one.clone(), done.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0;
            while Instant::now() < deadline {
                n += 1;
                match one(c, n).await {
                    Ok(()) => done.fetch_add(1, Ordering::Relaxed),
                    Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    (done.load(Ordering::Relaxed), failed.load(Ordering::Relaxed), started.elapsed().as_secs_f64())
}

/// The number in a probe text `p<n>`.
fn probe(text: &str) -> Option<u64> {
    text.strip_prefix('p')?.parse().ok()
}

/// Reads an SSE stream at `url`; sends `()` on `ready` at `event_source_ready`, then the probe
/// number and arrival time of every notification whose `object.text` is a probe.
pub async fn sse_listener(
    http: reqwest::Client,
    url: String,
    ready: mpsc::UnboundedSender<()>,
    arrivals: mpsc::UnboundedSender<(u64, Instant)>,
) -> Result<(), Error> {
    let resp = http.get(url).send().await?;
    let mut events = Box::pin(resp.bytes_stream().eventsource());
    while let Some(e) = events.next().await {
        let e = e?;
        if e.event == "event_source_ready" {
            ready.send(())?;
        } else if e.event == "unichat_notification" {
            let data: Value = serde_json::from_str(&e.data)?;
            if let Some(n) = data["object"]["text"].as_str().and_then(probe) {
                arrivals.send((n, Instant::now()))?;
            }
        }
    }
    Ok(())
}

/// Reads a WebSocket; sends the probe number and arrival time of every `{"message": {"body"}}`
/// whose body is a probe.
pub async fn ws_listener(
    mut ws: Socket,
    arrivals: mpsc::UnboundedSender<(u64, Instant)>,
) -> Result<(), Error> {
    while let Some(msg) = ws.next().await {
        if let Message::Text(text) = msg? {
            let frame: Value = serde_json::from_str(text.as_str())?;
            if let Some(n) = frame["message"]["body"].as_str().and_then(probe) {
                arrivals.send((n, Instant::now()))?;
            }
        }
    }
    Ok(())
}

/// Sends `posts` probes one after another with `post(n)`, each once all `listeners` got the
/// previous one; the latency of every arrival, sorted.
pub async fn fan_out<F, Fut>(
    posts: u64,
    listeners: usize,
    arrivals: &mut mpsc::UnboundedReceiver<(u64, Instant)>,
    mut post: F,
) -> Result<Vec<Duration>, Error>
where
    F: FnMut(u64) -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>>,
{
    let mut latencies = Vec::with_capacity(posts as usize * listeners);
    for n in 0..posts {
        let sent = Instant::now();
        post(n).await?;
        let mut got = 0;
        while got < listeners {
            let (probe, at) = tokio::time::timeout(WAIT, arrivals.recv()).await?.ok_or("listeners gone")?;
            if probe == n {
                latencies.push(at.duration_since(sent));
                got += 1;
            }
        }
    }
    latencies.sort();
    Ok(latencies)
}

/// Sends `frame` and reads until `done` accepts a frame, which it returns.
pub async fn exchange(ws: &mut Socket, frame: String, done: impl Fn(&Value) -> bool) -> Result<Value, Error> {
    ws.send(Message::text(frame)).await?;
    loop {
        let msg = tokio::time::timeout(WAIT, ws.next()).await?.ok_or("socket closed")??;
        if let Message::Text(text) = msg {
            let v: Value = serde_json::from_str(text.as_str())?;
            if done(&v) {
                return Ok(v);
            }
        }
    }
}

/// Reads and discards every frame of `ws` until it ends.
pub async fn drain(mut ws: Socket) {
    while let Some(Ok(_)) = ws.next().await {}
}

/// The resident set size of process `pid` ("self" for this one), in KiB.
pub fn rss_kib(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU time this process has used so far (every thread, user and system), in seconds: steadier
/// than wall time on a machine others share, as it counts only what the work itself cost.
pub fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the command name (which may hold spaces) in parentheses: utime is the
    // 12th, stime the 13th, in clock ticks of 1/100 s.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// The machine: cores and CPU model.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cores} cores, {model}")
}
