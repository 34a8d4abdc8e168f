//! Step definitions, one folder per API and one file per area, named like the features; and
//! the helpers the REST APIs share: the mock admin API, its clock and its outbox.

pub mod connectnow;
pub mod onechat;
pub mod replies;
pub mod sama;
pub mod unichat;

use std::time::Duration;

use cucumber::given;
use reqwest::Method;
use serde_json::{Value, json};

use crate::drivers::admin::{self, AdminError};
use crate::world::ChatWorld;

impl ChatWorld {
    /// Calls the mock admin API (`what` says what for, in messages). A target without one,
    /// or one that does not serve the call, makes the scenario impossible; an error fails it.
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>, what: &str) -> Value {
        match admin::call(&self.ctx, &self.wire, method, path, body.as_ref()).await {
            Ok(v) => v,
            Err(AdminError::NoAdmin) => self.impossible(format!(
                "the scenario needs the mock admin API ({what}) and the target offers none"
            )),
            Err(AdminError::NotServed(e)) => {
                self.impossible(format!("the scenario needs the mock admin API ({what}): {e}"))
            }
            Err(AdminError::Failed(e)) => {
                self.fail(&format!("the mock admin API {what}"), "a 2xx JSON reply", e)
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

/// `Given the users Alice, Bob and Carol`: each is made a user on the target the way its
/// profile says, and connected (an event stream for Unichat, a linked socket for SAMA).
#[given(regex = r"^the users (.+)$")]
async fn the_users(w: &mut ChatWorld, list: String) {
    for name in names(&list) {
        match w.ctx.target.api.as_str() {
            "sama" => sama::add_actor(w, &name).await,
            _ => w.add_actor(&name).await,
        }
    }
}

/// `And the checks below rest on the reading C11 of the register`, after the scenario's
/// `When`: the scenario as a whole checks a reading, so every check after this step rests on
/// it. A miss ends the scenario graded lenient (failed under `--strict`); the steps before it
/// (provisioning, the request itself) still rest on the document, so a server that cannot
/// make a user is never graded lenient for it.
#[cucumber::when(regex = r"^the checks below rest on the reading ([A-Z]\d+) of the register$")]
async fn checks_rest_on_reading(w: &mut ChatWorld, item: String) {
    w.reading_ground = Some(item);
}

/// Splits "Alice, Bob and Carol" into names.
pub fn names(list: &str) -> Vec<String> {
    list.replace(" and ", ", ")
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Splits `"a", "b" and "c"` into the quoted strings.
pub fn quoted(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = list;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        out.push(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_read_like_prose() {
        assert_eq!(super::names("Alice, Bob and Carol"), ["Alice", "Bob", "Carol"]);
        assert_eq!(super::names("Alice"), ["Alice"]);
        assert_eq!(super::quoted(r#""a", "b c" and "d""#), ["a", "b c", "d"]);
    }
}
