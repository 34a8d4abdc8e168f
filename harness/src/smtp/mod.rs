//! chatspec's SMTP sink (`[smtp] listen` of a target profile): a real SMTP server the
//! server under test sends its e-mail to. The scenarios read what arrived where they would
//! read the admin API's outbox, one outbox item per recipient (`to`, `subject`, `body`), so
//! the same checks hold ([`SmtpSink::outbox`]).
//!
//! The protocol is `mailin`'s state machine (the core of `mailin-embedded`), driven here on
//! tokio so the sink stops with its run instead of holding its port until the process ends.

mod message;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::{CancellationToken, DropGuard};

pub use message::Mail;

/// A running SMTP sink; stops when dropped.
pub struct SmtpSink {
    /// The address it listens on.
    pub addr: SocketAddr,
    mails: Arc<Mutex<Vec<Mail>>>,
    /// How many messages have arrived: a waiter wakes on each, without polling.
    arrived: Arc<tokio::sync::watch::Sender<usize>>,
    _stop: DropGuard,
}

impl SmtpSink {
    /// Listens on `addr` and accepts every message for every recipient.
    pub async fn start(addr: SocketAddr) -> std::io::Result<SmtpSink> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let mails = Arc::new(Mutex::new(Vec::new()));
        let stop = CancellationToken::new();
        let token = stop.clone();
        let store = mails.clone();
        let arrived = Arc::new(tokio::sync::watch::Sender::new(0));
        let count = arrived.clone();
        tokio::spawn(async move {
            loop {
                let conn = tokio::select! {
                    () = token.cancelled() => return,
                    conn = listener.accept() => conn,
                };
                let Ok((stream, peer)) = conn else { continue };
                let (store, token, count) = (store.clone(), token.clone(), count.clone());
                tokio::spawn(async move {
                    tokio::select! {
                        () = token.cancelled() => {}
                        // A client that hangs up mid-session loses only its own message.
                        _ = session(stream, peer, store, count) => {}
                    }
                });
            }
        });
        Ok(SmtpSink { addr, mails, arrived, _stop: stop.drop_guard() })
    }

    /// How many messages have arrived since the sink started (every scenario's).
    pub fn received(&self) -> usize {
        *self.arrived.borrow()
    }

    /// [`SmtpSink::outbox`]'s items once `done` holds for them, or as they are when `wait` is
    /// over. It wakes on each arriving message, so nothing polls.
    pub async fn outbox_when(&self, done: impl Fn(&[Value]) -> bool, wait: Duration) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        // Subscribed before the first read: a message that lands in between still wakes it.
        let mut rx = self.arrived.subscribe();
        loop {
            let items = self.outbox().get("outbox").and_then(Value::as_array).cloned().unwrap_or_default();
            if done(&items) {
                return items;
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) | Err(_) => return items,
            }
        }
    }

    /// Every message received so far, oldest first.
    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// What arrived as the admin API's `GET /_mock/outbox` would answer it: one e-mail item
    /// per recipient, `{"id", "kind": "email", "to", "from", "subject", "body"}`.
    pub fn outbox(&self) -> Value {
        let mut items = Vec::new();
        for mail in self.mails() {
            for to in &mail.to {
                items.push(json!({
                    "id": items.len() + 1,
                    "kind": "email",
                    "to": to,
                    "from": mail.from,
                    "subject": mail.subject,
                    "body": mail.body,
                }));
            }
        }
        json!({ "outbox": items })
    }
}

/// The `mailin` handler of one session: collects the message and stores it when it ends.
struct Collect {
    store: Arc<Mutex<Vec<Mail>>>,
    arrived: Arc<tokio::sync::watch::Sender<usize>>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

impl mailin::Handler for Collect {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> mailin::Response {
        self.from = from.trim_matches(['<', '>']).to_owned();
        self.to = to.iter().map(|t| t.trim_matches(['<', '>']).to_owned()).collect();
        self.data.clear();
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin::Response {
        let mail = Mail::parse(std::mem::take(&mut self.from), std::mem::take(&mut self.to), &self.data);
        let n = {
            let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
            store.push(mail);
            store.len()
        };
        self.arrived.send_replace(n);
        mailin::response::OK
    }
}

/// One SMTP session: greeting, then a reply to every line until the client quits.
async fn session(
    stream: TcpStream,
    peer: SocketAddr,
    store: Arc<Mutex<Vec<Mail>>>,
    arrived: Arc<tokio::sync::watch::Sender<usize>>,
) -> std::io::Result<()> {
    let handler = Collect { store, arrived, from: String::new(), to: Vec::new(), data: Vec::new() };
    let mut session = mailin::SessionBuilder::new("chatspec-smtp-sink").build(peer.ip(), handler);
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    write.write_all(&session.greeting().buffer()?).await?;
    let mut line = Vec::with_capacity(256);
    loop {
        line.clear();
        if read.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let res = session.process(&line);
        match res.action {
            mailin::Action::NoReply => {}
            mailin::Action::Reply | mailin::Action::UpgradeTls => write.write_all(&res.buffer()?).await?,
            mailin::Action::Close => {
                write.write_all(&res.buffer()?).await?;
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    async fn say(
        r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
        w: &mut tokio::net::tcp::OwnedWriteHalf,
        line: &str,
    ) -> String {
        if !line.is_empty() {
            w.write_all(line.as_bytes()).await.unwrap();
        }
        let mut reply = String::new();
        loop {
            let mut l = String::new();
            r.read_line(&mut l).await.unwrap();
            reply.push_str(&l);
            if l.as_bytes().get(3) != Some(&b'-') {
                return reply;
            }
        }
    }

    #[tokio::test]
    async fn a_message_sent_over_smtp_is_an_outbox_item_per_recipient() {
        let sink = SmtpSink::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let (r, mut w) = TcpStream::connect(sink.addr).await.unwrap().into_split();
        let mut r = BufReader::new(r);
        assert!(say(&mut r, &mut w, "").await.starts_with("220"));
        assert!(say(&mut r, &mut w, "EHLO test\r\n").await.starts_with("250"));
        assert!(say(&mut r, &mut w, "MAIL FROM:<chat@example.org>\r\n").await.starts_with("250"));
        assert!(say(&mut r, &mut w, "RCPT TO:<bo@example.org>\r\n").await.starts_with("250"));
        assert!(say(&mut r, &mut w, "RCPT TO:<al@example.org>\r\n").await.starts_with("250"));
        assert!(say(&mut r, &mut w, "DATA\r\n").await.starts_with("354"));
        let data = "Subject: Your auth code\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nYour code is 47=\r\n8388.\r\n..and a dot\r\n.\r\n";
        assert!(say(&mut r, &mut w, data).await.starts_with("250"));
        assert!(say(&mut r, &mut w, "QUIT\r\n").await.starts_with("221"));
        let outbox = sink.outbox();
        let items = outbox["outbox"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["to"], "bo@example.org");
        assert_eq!(items[1]["to"], "al@example.org");
        assert_eq!(items[0]["subject"], "Your auth code");
        assert_eq!(items[0]["body"], "Your code is 478388.\r\n.and a dot\r\n");
        chatspec_specs::registry::Registry::global()
            .validate("admin", "connectnow.response.outbox", &outbox)
            .unwrap();
        assert_eq!(sink.received(), 1);
    }

    #[tokio::test]
    async fn a_waiter_wakes_when_its_mail_arrives_and_gives_up_at_its_deadline() {
        let sink = SmtpSink::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let to_bo = |items: &[Value]| items.iter().any(|i| i["to"] == "bo@example.org");
        let started = tokio::time::Instant::now();
        assert!(sink.outbox_when(to_bo, Duration::from_millis(200)).await.is_empty());
        assert!(started.elapsed() >= Duration::from_millis(200));
        let addr = sink.addr;
        let send = tokio::spawn(async move {
            let (r, mut w) = TcpStream::connect(addr).await.unwrap().into_split();
            let mut r = BufReader::new(r);
            say(&mut r, &mut w, "").await;
            for line in
                ["HELO t\r\n", "MAIL FROM:<c@example.org>\r\n", "RCPT TO:<bo@example.org>\r\n", "DATA\r\n"]
            {
                say(&mut r, &mut w, line).await;
            }
            say(&mut r, &mut w, "Subject: hi\r\n\r\n123456\r\n.\r\n").await;
        });
        let got = sink.outbox_when(to_bo, Duration::from_secs(30)).await;
        assert_eq!(got.len(), 1, "{got:?}");
        send.await.unwrap();
    }
}
