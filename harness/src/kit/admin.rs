//! The mock admin API as every scenario reaches it (DESIGN.md, "Mock admin API"): one
//! verdict policy for all APIs — a target without the admin API, or one that does not serve
//! the call, or one whose reply breaks the admin contract, makes the scenario impossible; an
//! admin call that fails fails the scenario.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::Scenario;
use crate::drivers::admin::{self, AdminError};

impl Scenario {
    /// Calls the mock admin API (`what` says what for, in messages). A target without one,
    /// one that does not serve the call, or a reply outside the admin contract makes the
    /// scenario impossible; an error fails it.
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>, what: &str) -> Value {
        match admin::call(&self.ctx, &self.wire, method, path, body.as_ref()).await {
            Ok(v) => v,
            Err(AdminError::NoAdmin) => self.impossible(format!(
                "the scenario needs the mock admin API ({what}) and the target offers none"
            )),
            Err(AdminError::NotServed(e)) => {
                self.impossible(format!("the scenario needs the mock admin API ({what}): {e}"))
            }
            // The target's provisioning broke the admin contract: the scenario could not be
            // set up, which says nothing of the API under test.
            Err(AdminError::Contract(e)) => self.impossible(format!(
                "provisioning error: the scenario needs the mock admin API ({what}): {e}"
            )),
            Err(AdminError::Failed(e)) => {
                self.fail(&format!("the mock admin API {what}"), "a 2xx JSON reply", e)
            }
        }
    }

    /// Like [`Scenario::admin`], for the provisioning call of a set-up step that rests on the
    /// rule `rule` (an id of the API's rule index): an error fails on that rule, and so
    /// blocks a scenario that does not check it ([`Scenario::fail_on_rule`]).
    pub async fn admin_on(
        &self,
        rule: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
        what: &str,
    ) -> Value {
        match admin::call(&self.ctx, &self.wire, method, path, body.as_ref()).await {
            Err(AdminError::Failed(e)) => {
                self.fail_on_rule(rule, &format!("the mock admin API {what}"), "a 2xx JSON reply", e)
            }
            Ok(v) => v,
            Err(AdminError::NoAdmin) => self.impossible(format!(
                "the scenario needs the mock admin API ({what}) and the target offers none"
            )),
            Err(AdminError::NotServed(e)) => {
                self.impossible(format!("the scenario needs the mock admin API ({what}): {e}"))
            }
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
                    "the scenario needs {seconds} s to pass on the server's clock; the target offers no clock control and its profile allows real-time waits of at most {max} s (max_real_time_wait_seconds)"
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
        let deadline = tokio::time::Instant::now() + self.ctx.target.wait(Duration::from_secs(5));
        loop {
            let outbox = self.outbox().await;
            if done(&outbox) || tokio::time::Instant::now() >= deadline {
                return outbox;
            }
            tokio::time::sleep(self.ctx.target.wait(Duration::from_millis(50))).await;
        }
    }
}
