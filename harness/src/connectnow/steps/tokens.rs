//! Steps for auth codes, chat-user tokens and the chat password (seed 002, "Users": "Get valid
//! chat-user token", `POST /chats/{chat-id}/users/get-token` with `email` and `auth-code`;
//! "Get chat password", `POST /chats/{chat-id}/share`). Codes are read from the outbox of
//! e-mails the target sent (`GET /_mock/outbox`), keeping only the scenario's own addresses.

use chatspec_specs::connectnow::Route;
use chatspec_specs::connectnow::tokens::{AuthCode, GetToken, RequestAuthCode};
use cucumber::{given, then, when};
use serde_json::Value;

use crate::connectnow::ConnectNowWorld;
use crate::connectnow::driver::{Body, ConnectNowReply as _, Request};
use crate::connectnow::world::Member;

/// The auth code an e-mail carries: its `auth_code`, or the first six-digit number of its text
/// that stands as a word of its own (never six digits inside a name such as the run's
/// `Support-18a686374e6902c7`).
fn code_of(email: &Value) -> Option<u64> {
    if let Some(c) = email.get("auth_code").and_then(Value::as_u64) {
        return Some(c);
    }
    let text = email.get("body").and_then(Value::as_str)?;
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|w| w.parse().ok())
}

/// E-mails in `outbox` to `address`, oldest first.
fn mails_to<'a>(outbox: &'a [Value], address: &str) -> Vec<&'a Value> {
    outbox
        .iter()
        .filter(|m| m.get("to").and_then(Value::as_str).is_some_and(|to| to.eq_ignore_ascii_case(address)))
        .collect()
}

/// Why no code came when the SMTP sink received no e-mail at all in the whole run: the
/// server most likely sends its mail elsewhere. The question comes first, so the one-line
/// cause of a blocked scenario, which keeps only the start of what came back, still asks it.
fn sink_empty(addr: std::net::SocketAddr, email: &str, waited: f64) -> String {
    format!(
        "is the server's SMTP set to {addr} (host {}, port {})? the SMTP sink on {addr} ([smtp] listen) has received no e-mail at all since the run started, for {email} or anyone (waited {waited:.1} s)",
        addr.ip(),
        addr.port()
    )
}

/// The rule every scenario that needs an e-mailed auth code rests on: "The auth code sent to
/// the persons email". Its own scenarios fail on it; a set-up step that waits for a code in
/// vain blocks any other scenario on it.
const EMAILED_RULE: &str = "C-auth-code-emailed";

impl ConnectNowWorld {
    /// The newest auth code e-mailed to `label`, waiting (bounded) for one to arrive. A code
    /// that never arrives fails on [`EMAILED_RULE`], saying where the e-mail was looked for
    /// (the run's SMTP sink or the target's outbox), for how long and what was there.
    pub async fn mailed_code(&mut self, label: &str) -> u64 {
        let email = self.member(label).email;
        let coded = |o: &[Value]| mails_to(o, &email).iter().any(|m| code_of(m).is_some());
        let outbox = match self.ctx.smtp() {
            // The sink is read where it is, waking on each arrival: one wire line for the wait.
            Some(sink) => {
                let started = tokio::time::Instant::now();
                let items = sink.outbox_when(coded, self.ctx.target.wait(crate::kit::OUTBOX_WAIT)).await;
                let result = if coded(&items) { "an auth code arrived" } else { "no auth code arrived" };
                self.wire.push(
                    "note",
                    None,
                    format!(
                        "waited {} ms on the SMTP sink at {} for an e-mail to {email}: {result}",
                        started.elapsed().as_millis(),
                        sink.addr
                    ),
                    None,
                );
                items
            }
            None => self.outbox_until(coded).await,
        };
        let mine: Vec<Value> = mails_to(&outbox, &email).into_iter().cloned().collect();
        self.wire.push("outbox", None, format!("e-mails to {email}"), Some(Value::Array(mine.clone())));
        if let Some(code) = mine.iter().rev().find_map(code_of) {
            if let Some(m) = self.members.get_mut(label) {
                m.code = Some(code);
            }
            return code;
        }
        let waited = self.ctx.target.wait(crate::kit::OUTBOX_WAIT).as_secs_f64();
        let place = match self.ctx.smtp() {
            Some(sink) => format!("the SMTP sink on {} ([smtp] listen)", sink.addr),
            None => "the target's outbox (GET /_mock/outbox)".to_owned(),
        };
        let others = outbox.len() - mine.len();
        let seen = if let Some(sink) = self.ctx.smtp().filter(|s| s.received() == 0) {
            sink_empty(sink.addr, &email, waited)
        } else if mine.is_empty() {
            format!(
                "{place} received nothing for {email} within {waited:.1} s ({others} e-mails to other addresses)"
            )
        } else {
            format!(
                "{place} received {} e-mails for {email} within {waited:.1} s, none with a 6-digit code: {}",
                mine.len(),
                Value::Array(mine)
            )
        };
        self.fail_on_rule(
            EMAILED_RULE,
            &format!("the target e-mails {label} an auth code"),
            format!("an e-mail to {email} with a 6-digit code"),
            seen,
        )
    }

    /// Posts `email` and `code` to get-token of `chat`; the reply becomes the last one.
    pub async fn get_token(&mut self, actor: Option<&str>, chat: &str, email: &str, code: u64) {
        let chat_id = self.chat(chat).id;
        let mut req = self.request(Route::GetToken, &[chat_id]);
        req.body = Body::typed(&GetToken { email: email.to_owned(), auth_code: AuthCode::Number(code) });
        self.send(actor, req).await;
    }

    /// `label` exchanges the newest code e-mailed to them at get-token of `chat`.
    pub async fn exchange_code(&mut self, label: &str, chat: &str) {
        let code = self.mailed_code(label).await;
        let email = self.member(label).email;
        self.get_token(Some(label), chat, &email, code).await;
    }

    /// Takes the chat-user token out of the last reply for `label`: `chat_user_token`, or
    /// `token` (NOTES.md C15).
    pub fn take_token(&mut self, label: &str) {
        let reply = self.last();
        let body = self.ok(&reply, &[200, 201]);
        let token = ["chat_user_token", "token"].iter().find_map(|f| body.get(*f).and_then(Value::as_str));
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            self.fail_on_rule(
                "C-get-token-exchange",
                "get-token gives \"a chat-user token\"",
                "{\"chat_user_token\": \"...\"} (or \"token\")",
                reply.describe(),
            );
        };
        let id = body.pointer("/chat_user/id").and_then(Value::as_u64);
        if let Some(m) = self.members.get_mut(label) {
            m.token = Some(token.to_owned());
            m.id = m.id.or(id);
        }
    }
}

#[then(regex = r"^the server e-mailed (\w+) an auth code$")]
async fn mailed_code(w: &mut ConnectNowWorld, label: String) {
    w.mailed_code(&label).await;
}

#[given(regex = r"^(\w+) has received (?:his|her) auth code by e-mail$")]
async fn has_received_code(w: &mut ConnectNowWorld, label: String) {
    w.mailed_code(&label).await;
}

#[then(regex = r"^the server e-mailed (\w+) no auth code$")]
async fn mailed_no_code(w: &mut ConnectNowWorld, label: String) {
    let email = w.member(&label).email;
    // Nothing to wait for: a mail that was not sent never arrives.
    let outbox = w.outbox().await;
    let mine: Vec<Value> = mails_to(&outbox, &email).into_iter().cloned().collect();
    if !mine.is_empty() {
        w.fail(&format!("{label} is e-mailed no auth code"), "no e-mail", Value::Array(mine));
    }
}

#[when(regex = r#"^(\w+) exchanges (?:his|her) auth code for "([^"]*)"$"#)]
async fn exchanges(w: &mut ConnectNowWorld, label: String, chat: String) {
    w.exchange_code(&label, &chat).await;
}

#[given(regex = r#"^(\w+) has exchanged (?:his|her) auth code for "([^"]*)"$"#)]
async fn has_exchanged(w: &mut ConnectNowWorld, label: String, chat: String) {
    w.exchange_code(&label, &chat).await;
    w.take_token(&label);
}

#[when(regex = r#"^(\w+) exchanges the same auth code for "([^"]*)" again$"#)]
async fn exchanges_again(w: &mut ConnectNowWorld, label: String, chat: String) {
    let m: Member = w.member(&label);
    let Some(code) = m.code else { panic!("{label} exchanged no code before this step") };
    w.get_token(Some(&label), &chat, &m.email, code).await;
}

#[when(regex = r#"^(\w+) exchanges a wrong auth code for "([^"]*)"$"#)]
async fn exchanges_wrong(w: &mut ConnectNowWorld, label: String, chat: String) {
    let code = w.mailed_code(&label).await;
    // Another six-digit number.
    let wrong = if code >= 999_999 { 100_000 } else { code + 1 };
    let email = w.member(&label).email;
    w.get_token(Some(&label), &chat, &email, wrong).await;
}

#[when(regex = r#"^someone asks "([^"]*)" for a token with (\{.*\})$"#)]
async fn asks_for_token_with(w: &mut ConnectNowWorld, chat: String, body: String) {
    let chat_id = w.chat(&chat).id;
    let mut req = w.request(Route::GetToken, &[chat_id]);
    req.body = Body::malformed(&body);
    w.send(None, req).await;
}

#[then(regex = r"^the reply carries a chat-user token for (\w+)$")]
async fn carries_token(w: &mut ConnectNowWorld, label: String) {
    w.take_token(&label);
    let reply = w.last();
    let body = reply.record();
    if let Some(user) = body.get("chat_user") {
        let chat = w.member(&label).chat;
        w.check_chat_user(user, &label, &chat);
    }
}

#[then("the exchange gives no token")]
async fn no_token(w: &mut ConnectNowWorld) {
    let reply = w.last();
    // "a spent or expired code must not give a token" (NOTES.md C15).
    if (200..300).contains(&reply.status) {
        w.fail(
            "a spent, expired or wrong auth code gives no chat-user token",
            "HTTP 401, 403 or 422 without a token",
            reply.describe(),
        );
    }
    w.refused(&reply, &[401, 403, 422]);
    if ["chat_user_token", "token"].iter().any(|f| reply.body.get(*f).is_some()) {
        w.fail("a refused exchange gives no token", "no token in the reply", reply.describe());
    }
}

#[when("the lifetime of an auth code passes")]
async fn lifetime_passes(w: &mut ConnectNowWorld) {
    let Some(ttl) = w.ctx.target.connectnow.auth_code_ttl_seconds else {
        w.impossible(
            "the seed gives no lifetime of auth codes and the target profile names none (connectnow.auth_code_ttl_seconds)",
        );
    };
    w.advance_clock(ttl + 1).await;
}

// ---- the chat password ------------------------------------------------------------------

#[when(regex = r#"^(\w+) asks for the password of "([^"]*)"$"#)]
async fn asks_password(w: &mut ConnectNowWorld, actor: String, chat: String) {
    let chat_id = w.chat(&chat).id;
    let reply = w.call(&actor, Route::Share, &[chat_id], Body::None).await;
    if let Some(p) = reply.body.get("password").and_then(Value::as_str).filter(|_| reply.status == 200) {
        w.passwords.insert(chat, p.to_owned());
    }
}

#[given(regex = r#"^(\w+) has asked for the password of "([^"]*)"$"#)]
async fn has_asked_password(w: &mut ConnectNowWorld, actor: String, chat: String) {
    asks_password(w, actor, chat.clone()).await;
    let reply = w.last();
    w.ok(&reply, &[200]);
    if !w.passwords.contains_key(&chat) {
        w.fail("share gives the chat password", "{\"password\": \"...\"}", reply.describe());
    }
}

#[then("the reply carries the chat password")]
async fn carries_password(w: &mut ConnectNowWorld) {
    let reply = w.last();
    let body = w.ok(&reply, &[200]);
    // A non-empty password is required, other fields are not (NOTES.md C13).
    if body.get("password").and_then(Value::as_str).is_none_or(str::is_empty) {
        w.fail("\"Get chat password\" gives the password", "{\"password\": <non-empty>}", body);
    }
}

#[when(regex = r#"^(\w+) asks "([^"]*)" for an auth code with (the|a wrong) chat password$"#)]
async fn asks_code(w: &mut ConnectNowWorld, label: String, chat: String, which: String) {
    let Some(path) = w.ctx.target.connectnow.request_code_path.clone() else {
        w.impossible(
            "the seed does not say how the chat password gets someone an auth code, and the target profile names no route for it (connectnow.request_code_path)",
        );
    };
    let email = w.email(&label);
    w.members.insert(
        label.clone(),
        Member { id: None, chat: chat.clone(), email: email.clone(), token: None, code: None },
    );
    let password = match w.passwords.get(&chat) {
        Some(p) if which == "the" => p.clone(),
        Some(p) => format!("{p}-wrong"),
        None => panic!("nobody asked for the password of {chat:?} before this step"),
    };
    let chat_id = w.chat(&chat).id;
    let url = format!("{}{}", w.ctx.target.base_url, crate::target::fill_placeholders(&path, &[chat_id]));
    let mut req = Request::new(Some(Route::RequestAuthCode), reqwest::Method::POST, url);
    req.body = Body::typed(&RequestAuthCode { email, password, name: Some(w.name(&label)) });
    w.send(Some(&label), req).await;
}

#[cfg(test)]
mod tests {
    use super::code_of;
    use serde_json::json;

    #[test]
    fn the_code_is_a_six_digit_word_not_digits_inside_a_name() {
        let mail = json!({"body": "Your auth code for \"Support-18a686374e6902c7-18\" is 535104"});
        assert_eq!(code_of(&mail), Some(535_104));
        assert_eq!(code_of(&json!({"body": "no code in run 123456789"})), None);
        assert_eq!(code_of(&json!({"auth_code": 42, "body": "123456"})), Some(42));
    }

    #[test]
    #[allow(clippy::unwrap_used)]
    fn an_empty_sink_asks_where_the_server_sends_its_mail() {
        let got = super::sink_empty("127.0.0.1:2525".parse().unwrap(), "bo@x.test", 5.0);
        assert!(got.contains("has received no e-mail at all since the run started"), "{got}");
        // First: a blocked scenario's one-line cause keeps only the start of it.
        assert!(
            got.starts_with("is the server's SMTP set to 127.0.0.1:2525 (host 127.0.0.1, port 2525)?"),
            "{got}"
        );
    }
}
