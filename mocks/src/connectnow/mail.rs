//! `chatspec serve connectnow --smtp HOST:PORT`: the auth code e-mails also go out over real
//! SMTP (to a sink such as chatspec's own), as a real server sends them; the outbox keeps
//! them too. Delivery ends before the reply that caused it, so a client that reads its mail
//! once the reply is in finds it there. A sink that is not listening costs one warning in
//! full, then a line per [`EVERY`] failures and one when delivery works again.

use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};

use lettre::message::{Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::Email;

/// The sender of every auth code e-mail.
const FROM: &str = "connectnow mock <no-reply@connectnow.chatspec.test>";

/// A line for every this many failures in a row after the first, while delivery keeps
/// failing.
pub const EVERY: u64 = 100;

/// An SMTP relay the mock hands its e-mail to.
pub struct Mailer {
    relay: SocketAddr,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    delivery: Mutex<Delivery>,
}

impl Mailer {
    /// A mailer for the SMTP server at `relay` (plain SMTP, no authentication: a local sink).
    pub fn new(relay: SocketAddr) -> Mailer {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(relay.ip().to_string())
            .port(relay.port())
            .build();
        Mailer { relay, transport, delivery: Mutex::new(Delivery::default()) }
    }

    /// Sends each e-mail; a failure is never turned into an error of the API call (the
    /// outbox still holds the e-mail). What it prints on stderr, in plain text with or
    /// without `--log`, is what [`Mailer::deliver`] returns: a server team whose sink is not
    /// where the mail goes sees why at once, and a long run's log is not flooded.
    pub async fn send_all(&self, mails: Vec<Email>) {
        for line in self.deliver(mails).await {
            eprintln!("{line}");
        }
    }

    /// Sends each e-mail and returns the lines to print ([`Delivery`]): the first failure in
    /// full, then one line per [`EVERY`] failures in a row, and one when delivery works again.
    pub async fn deliver(&self, mails: Vec<Email>) -> Vec<String> {
        let mut lines = Vec::new();
        for mail in mails {
            let sent = self.send(&mail).await;
            let mut delivery = self.delivery.lock().unwrap_or_else(PoisonError::into_inner);
            lines.extend(match sent {
                Ok(()) => delivery.sent(self.relay),
                Err(why) => delivery.failed(&mail, self.relay, &why),
            });
        }
        lines
    }

    /// Sends one e-mail; the error says why it was not sent.
    async fn send(&self, mail: &Email) -> Result<(), String> {
        let message = message(mail).map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(drop).map_err(|e| e.to_string())
    }
}

/// How delivery to the relay is going: the failures in a row since the last e-mail sent.
#[derive(Debug, Default)]
pub struct Delivery {
    failing: Option<Failing>,
}

/// A run of failures: since which e-mail (its id and `sent_at`), and how many.
#[derive(Debug)]
struct Failing {
    since: String,
    count: u64,
}

impl Delivery {
    /// One e-mail not sent: the line of the first failure of a run ([`warning`]), a line at
    /// each [`EVERY`]th one after it, else none.
    pub fn failed(&mut self, mail: &Email, relay: SocketAddr, why: &str) -> Option<String> {
        match &mut self.failing {
            None => {
                let since = format!("e-mail {} ({})", mail.id, mail.sent_at);
                self.failing = Some(Failing { since, count: 1 });
                Some(format!(
                    "{}; further failures are counted, not printed (a line every {EVERY}, and one when delivery works again)",
                    warning(mail, relay, why)
                ))
            }
            Some(run) => {
                run.count += 1;
                (run.count % EVERY == 0).then(|| {
                    format!(
                        "warning: connectnow mock: SMTP delivery to {relay} failing since {}; {} e-mails not delivered (GET /_mock/outbox keeps them)",
                        run.since, run.count
                    )
                })
            }
        }
    }

    /// One e-mail sent: after a run of failures, the line that says delivery works again.
    pub fn sent(&mut self, relay: SocketAddr) -> Option<String> {
        self.failing.take().map(|run| {
            format!(
                "connectnow mock: SMTP delivery to {relay} works again after {} failures (since {})",
                run.count, run.since
            )
        })
    }
}

/// The line of a failed send: what (which e-mail to whom), to where (the relay) and why
/// (the error, on one line), in plain text.
pub fn warning(mail: &Email, relay: SocketAddr, why: &str) -> String {
    let why = why.split_whitespace().collect::<Vec<_>>().join(" ");
    format!(
        "warning: connectnow mock: e-mail {} (\"{}\") to {} not sent over SMTP to {relay}: {why}; GET /_mock/outbox keeps it",
        mail.id, mail.subject, mail.to
    )
}

/// Why an outbox item could not be made into an e-mail.
#[derive(Debug, thiserror::Error)]
enum MessageError {
    /// The recipient or the sender is not a mailbox.
    #[error("{0}")]
    Address(#[from] lettre::address::AddressError),
    /// The message could not be built.
    #[error("{0}")]
    Build(#[from] lettre::error::Error),
}

/// The outbox item as an e-mail: its subject and text.
fn message(mail: &Email) -> Result<Message, MessageError> {
    let to: Mailbox = mail.to.parse()?;
    let from: Mailbox = FROM.parse()?;
    Ok(Message::builder().from(from).to(to).subject(mail.subject.clone()).body(mail.body.clone())?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn email(id: u64) -> Email {
        Email {
            id,
            kind: "email",
            to: "bob@example.org".into(),
            subject: "Your auth code for Support".into(),
            body: "Hello Bob, your auth code is 123456.".into(),
            chat_id: 1,
            chat_user_id: 2,
            auth_code: 123_456,
            sent_at: "2026-01-01T00:00:00.000000Z".into(),
            expires_at: "2026-01-01T00:10:00.000000Z".into(),
        }
    }

    #[tokio::test]
    async fn a_send_to_a_port_nobody_listens_on_fails_with_a_plain_one_line_warning() {
        // A port that was free a moment ago: the connection is refused.
        let relay = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let mailer = Mailer::new(relay);
        let why = mailer.send(&email(3)).await.unwrap_err();
        let line = warning(&email(3), relay, &format!("{why}\n  (again)"));
        assert!(!line.contains('\n') && !line.contains('\u{1b}'), "{line}");
        assert!(line.starts_with("warning: connectnow mock: e-mail 3"), "{line}");
        assert!(line.contains(&format!("to bob@example.org not sent over SMTP to {relay}: ")), "{line}");
        assert!(line.to_lowercase().contains("connection"), "the cause is named: {line}");
    }

    #[tokio::test]
    async fn a_sink_that_is_not_listening_costs_one_line_not_one_per_e_mail() {
        let relay = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let mailer = Mailer::new(relay);
        let first = mailer.deliver(vec![email(1)]).await;
        assert_eq!(first.len(), 1, "{first:#?}");
        assert!(first[0].starts_with("warning: connectnow mock: e-mail 1 "), "{first:#?}");
        assert!(first[0].to_lowercase().contains("connection"), "{first:#?}");
        assert!(first[0].contains(&format!("a line every {EVERY}")), "{first:#?}");
        // E-mails 2 to EVERY - 1, in calls of one and of several: nothing more.
        assert_eq!(mailer.deliver(vec![email(2)]).await, Vec::<String>::new());
        let quiet = mailer.deliver((3..EVERY).map(email).collect()).await;
        assert_eq!(quiet, Vec::<String>::new());
        // The EVERY-th failure in a row: one line with the count, naming the first one.
        let count = mailer.deliver(vec![email(EVERY)]).await;
        assert_eq!(
            count,
            [format!(
                "warning: connectnow mock: SMTP delivery to {relay} failing since e-mail 1 (2026-01-01T00:00:00.000000Z); {EVERY} e-mails not delivered (GET /_mock/outbox keeps them)"
            )]
        );
    }

    #[test]
    fn delivery_that_works_again_says_so_once_and_a_new_failure_is_printed_in_full() {
        let relay: SocketAddr = "127.0.0.1:2525".parse().unwrap();
        let mut d = Delivery::default();
        assert_eq!(d.sent(relay), None, "nothing to say while it works");
        assert!(d.failed(&email(1), relay, "refused").is_some());
        assert_eq!(d.failed(&email(2), relay, "refused"), None);
        assert_eq!(d.failed(&email(3), relay, "refused"), None);
        assert_eq!(
            d.sent(relay).as_deref(),
            Some(
                "connectnow mock: SMTP delivery to 127.0.0.1:2525 works again after 3 failures (since e-mail 1 (2026-01-01T00:00:00.000000Z))"
            )
        );
        assert_eq!(d.sent(relay), None);
        let again = d.failed(&email(5), relay, "refused").unwrap_or_default();
        assert!(again.starts_with("warning: connectnow mock: e-mail 5 "), "{again}");
    }
}
