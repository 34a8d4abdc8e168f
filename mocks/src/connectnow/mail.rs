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

    /// Sends each e-mail; a failure is logged (the outbox still holds the e-mail), never
    /// turned into an error of the API call.
    pub async fn send_all(&self, mails: Vec<Email>) {
        for mail in mails {
            let message = match message(&mail) {
                Ok(m) => m,
                Err(e) => {
                    tracing::warn!("e-mail {} to {} not sent: {e}", mail.id, mail.to);
                    continue;
                }
            };
            if let Err(e) = self.transport.send(message).await {
                tracing::warn!("e-mail {} to {} not sent to {}: {e}", mail.id, mail.to, self.relay);
            }
        }
    }
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
