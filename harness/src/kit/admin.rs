//! The mock admin API as every scenario reaches it (DESIGN.md, "Mock admin API"), with one
//! verdict policy for every API and every provisioning mode: an admin call either gives a
//! reply within the admin contract, which the scenario goes on with, or it makes the scenario
//! impossible. A target without the admin API, or one that does not serve the call (HTTP 404
//! or 405 in `admin` mode, an operation the profile maps to no command or webhook), makes it
//! impossible with what the profile lacks; a provisioning error (no reply, a status outside
//! 2xx, a command that fails, a reply outside the admin contract) makes it impossible with the
//! operation, the call and what came back, marked as a provisioning error
//! ([`Scenario::provisioning_error`]), which fails the run: the set-up is broken. No admin call fails a scenario, nor blocks one:
//! the admin API is the run's set-up, not the API under test. What an in-contract reply holds
//! is the step's to judge: a OneChat user provisioned with a jid outside its domain breaks the
//! rule the step rests on ([`Scenario::fail_on_rule`], which blocks a scenario of another
//! rule), as a set-up step's API call that breaks a rule does.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::Scenario;
use crate::drivers::admin::{self, AdminError};
use crate::target::operations::Operation;
use crate::target::{Provisioning, Target};

impl Scenario {
    /// Calls the mock admin API (`what` says what for, in messages): the reply, which holds
    /// to the admin contract. Every other outcome makes the scenario impossible (the module's
    /// policy): a target without the admin API, or one that does not serve the call, with the
    /// part of the profile that would provide it ([`lacking`]); a provisioning error, with
    /// the operation, the call and its status and body, or why there was no reply.
    ///
    /// No outcome of the call fails the scenario, not even where the scenario's own check
    /// reads an admin reply (the outbox of a sent e-mail, the server's time): the admin API
    /// is chatspec's contract with the run's set-up, which no rule of an API document states,
    /// so a call that fails says the check could not be made, not that the API broke a rule.
    /// What an in-contract reply holds is the step's to judge (an e-mail missing from a
    /// readable outbox fails).
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>, what: &str) -> Value {
        match admin::call(&self.ctx, &self.wire, method.clone(), path, body.as_ref()).await {
            Ok(v) => v,
            Err(AdminError::NoAdmin) => self.impossible(format!(
                "the scenario {what} ({method} {path}); {}",
                lacking(&self.ctx.target, &method, path)
            )),
            Err(AdminError::NotServed(e)) => {
                let lacks = lacking(&self.ctx.target, &method, path);
                // In command and http mode `e` names the missing key, as `lacks` does.
                match self.ctx.target.provisioning {
                    Provisioning::Command { .. } | Provisioning::Http { .. } => {
                        self.impossible(format!("the scenario {what} ({method} {path}); {lacks}"))
                    }
                    _ => self.impossible(format!("the scenario {what} ({method} {path}): {e}; {lacks}")),
                }
            }
            // The admin call, command or webhook failed, or its reply broke the admin
            // contract: the scenario could not be set up, which says nothing of the API.
            Err(AdminError::Contract(e) | AdminError::Provisioning(e)) => {
                self.provisioning_error(format!("the scenario {what} ({method} {path}): {e}"))
            }
        }
    }

    /// The string `field` of `reply`, the reply of the admin call `call` (`POST
    /// /_mock/groups`) whose schema requires it: [`Scenario::admin`] checked it already, so
    /// its absence is the same provisioning error as any other reply outside the contract.
    pub fn admin_field(&self, reply: &Value, field: &str, call: &str) -> String {
        match reply.get(field).and_then(Value::as_str) {
            Some(v) => v.to_owned(),
            None => self.provisioning_error(format!(
                "{call} answered without the string {field:?} the admin contract requires: {reply}"
            )),
        }
    }

    /// Lets `seconds` pass on the target's clock: through the admin API where the target
    /// offers clock control; else, when its profile allows waits that long
    /// (`max_real_time_wait_seconds`), in real time (plus a margin scaled by the timeout
    /// factor); else the scenario is impossible.
    pub async fn advance_clock(&self, seconds: u64) {
        if !self.ctx.target.clock_control {
            let max = self.ctx.target.max_real_time_wait_seconds;
            if seconds > max {
                self.impossible(format!(
                    "the scenario needs {seconds} s to pass on the server's clock; the target offers no clock control ({}) and its profile allows real-time waits of at most {max} s (max_real_time_wait_seconds)",
                    lacking(&self.ctx.target, &Method::POST, "/_mock/clock/advance")
                ));
            }
            let wait = Duration::from_secs(seconds) + self.ctx.target.wait(Duration::from_secs(1));
            self.wire.push(
                "note",
                None,
                format!(
                    "no clock control: waiting {} ms in real time for {seconds} s to pass",
                    wait.as_millis()
                ),
                None,
            );
            tokio::time::sleep(wait).await;
            return;
        }
        self.admin(
            Method::POST,
            "/_mock/clock/advance",
            Some(json!({"seconds": seconds})),
            "moves the clock",
        )
        .await;
        self.ctx.clock_moved(seconds);
    }

    /// Everything the target "sent" out of band so far (`GET /_mock/outbox`), oldest first.
    /// The outbox is shared by every scenario running: callers keep only their own entries.
    pub async fn outbox(&self) -> Vec<Value> {
        let body = self.admin(Method::GET, "/_mock/outbox", None, "lists what was sent").await;
        body.get("outbox").and_then(Value::as_array).cloned().unwrap_or_default()
    }

    /// The outbox once `done` holds for it, or as it is when the scaled wait is over. The
    /// reference mock sends before it answers, so its first read is final; a server's test
    /// build may send from a queue after answering, so reads repeat for a bounded while.
    pub async fn outbox_until(&self, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + self.ctx.target.wait(OUTBOX_WAIT);
        loop {
            let outbox = self.outbox().await;
            if done(&outbox) || tokio::time::Instant::now() >= deadline {
                return outbox;
            }
            tokio::time::sleep(self.ctx.target.wait(Duration::from_millis(50))).await;
        }
    }
}

/// How long [`Scenario::outbox_until`] reads the outbox again, before the timeout factor.
pub const OUTBOX_WAIT: Duration = Duration::from_secs(5);

/// What the profile of `target` lacks for the admin call `method path`, in the profile's own
/// words: the key of the command or webhook (`provisioning.commands.outbox`), `[admin] url`
/// and `clock = true`, or (connectnow's e-mail) `[smtp] listen`, as its mode allows.
pub fn lacking(target: &Target, method: &Method, path: &str) -> String {
    let Some((op, _)) = Operation::from_call(method, path) else {
        return format!("no profile setting provides {method} {path}");
    };
    let name = op.name();
    let mut ways = match &target.provisioning {
        Provisioning::Command { .. } => vec![format!("a command for it: provisioning.commands.{name}")],
        Provisioning::Http { .. } => vec![format!("a webhook for it: provisioning.webhooks.{name}")],
        _ if target.admin_url.is_some() && op == Operation::AdvanceClock => {
            vec!["clock = true in [admin], for a server that serves POST /_mock/clock/advance".to_owned()]
        }
        _ if target.admin_url.is_some() => {
            vec![format!("a server that serves {method} {path} at [admin] url")]
        }
        Provisioning::Admin => vec!["an [admin] section with url".to_owned()],
        _ => vec![
            format!(
                "an [admin] section whose url serves {method} {path} (docs/admin-api.md){}",
                if op == Operation::AdvanceClock { ", with clock = true" } else { "" }
            ),
            format!(
                "provisioning.mode = \"command\" with provisioning.commands.{name} (or \"http\" with provisioning.webhooks.{name}), whose create_user then makes the users too"
            ),
        ],
    };
    if op == Operation::Outbox && target.api == "connectnow" && target.smtp_listen.is_none() {
        ways.push("[smtp] listen, for a server that sends its e-mail over SMTP".to_owned());
    }
    format!("the profile lacks {}", ways.join("; or "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn target(api: &str, rest: &str) -> Target {
        Target::parse(&format!("name = \"x\"\napi = \"{api}\"\nbase_url = \"http://h\"\n{rest}")).unwrap()
    }

    #[test]
    fn an_impossible_call_names_what_the_profile_lacks_in_its_own_words() {
        let outbox = |t: &Target| lacking(t, &Method::GET, "/_mock/outbox");
        let commands = target(
            "connectnow",
            "[provisioning]\nmode = \"command\"\n[provisioning.commands]\ncreate_user = \"./u.sh\"\n",
        );
        let got = outbox(&commands);
        assert!(got.contains("provisioning.commands.outbox") && got.contains("[smtp] listen"), "{got}");
        assert!(!got.contains("mock admin API"), "{got}");
        let clock = lacking(&commands, &Method::POST, "/_mock/clock/advance");
        assert!(clock.contains("provisioning.commands.advance_clock") && !clock.contains("smtp"), "{clock}");

        let webhooks = target(
            "onechat",
            "[provisioning]\nmode = \"http\"\n[provisioning.webhooks]\ncreate_user = \"http://t/u\"\n",
        );
        let got = lacking(&webhooks, &Method::DELETE, "/_mock/sessions/s1");
        assert!(got.contains("provisioning.webhooks.end_session"), "{got}");

        let accounts = target(
            "sama",
            "[provisioning]\nmode = \"accounts\"\naccounts = [{login = \"a\", password = \"p\"}]\n",
        );
        let got = outbox(&accounts);
        assert!(got.contains("an [admin] section") && got.contains("provisioning.commands.outbox"), "{got}");
        assert!(!got.contains("smtp"), "{got}");

        let admin = target("unichat", "[provisioning]\nmode = \"admin\"\n[admin]\nurl = \"http://h\"\n");
        let got = lacking(&admin, &Method::POST, "/_mock/clock/advance");
        assert!(got.contains("clock = true in [admin]"), "{got}");
        let with_smtp = target(
            "connectnow",
            "[provisioning]\nmode = \"admin\"\n[admin]\nurl = \"http://h\"\n[smtp]\nlisten = \"127.0.0.1:2525\"\n",
        );
        assert!(!outbox(&with_smtp).contains("[smtp]"), "{}", outbox(&with_smtp));
    }
}
