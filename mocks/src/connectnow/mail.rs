//! `chatspec serve connectnow --smtp HOST:PORT`: the auth code e-mails also go out over real
//! SMTP (to a sink such as chatspec's own), as a real server sends them; the outbox keeps
//! them too. Delivery ends before the reply that caused it, so a client that reads its mail
//! once the reply is in finds it there.

use std::net::SocketAddr;

use lettre::message::{Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::Email;

/// The sender of every auth code e-mail.
const FROM: &str = "connectnow mock <no-reply@connectnow.chatspec.test>";

/// An SMTP relay the mock hands its e-mail to.
pub struct Mailer {
    relay: SocketAddr,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Mailer {
    /// A mailer for the SMTP server at `relay` (plain SMTP, no authentication: a local sink).
    pub fn new(relay: SocketAddr) -> Mailer {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(relay.ip().to_string())
            .port(relay.port())
            .build();
        Mailer { relay, transport }
    }

    /// Sends each e-mail; a failure is never turned into an error of the API call (the
    /// outbox still holds the e-mail), and always prints one plain warning line on stderr
    /// ([`warning`]): a server team whose sink is not where the mail goes sees why at once,
    /// with or without `--log`.
    pub async fn send_all(&self, mails: Vec<Email>) {
        for mail in mails {
            if let Err(why) = self.send(&mail).await {
                eprintln!("{}", warning(&mail, self.relay, &why));
            }
        }
    }

    /// Sends one e-mail; the error says why it was not sent.
    async fn send(&self, mail: &Email) -> Result<(), String> {
        let message = message(mail).map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(drop).map_err(|e| e.to_string())
    }
}

/// The one line a failed send prints: what (which e-mail to whom), to where (the relay) and
/// why (the error, on one line), in plain text.
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

    fn email() -> Email {
        Email {
            id: 3,
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
        let why = mailer.send(&email()).await.unwrap_err();
        let line = warning(&email(), relay, &format!("{why}\n  (again)"));
        assert!(!line.contains('\n') && !line.contains('\u{1b}'), "{line}");
        assert!(line.starts_with("warning: connectnow mock: e-mail 3"), "{line}");
        assert!(line.contains(&format!("to bob@example.org not sent over SMTP to {relay}: ")), "{line}");
        assert!(line.to_lowercase().contains("connection"), "the cause is named: {line}");
    }
}
