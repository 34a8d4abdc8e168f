//! Step definitions, one folder per API and one file per area, named like the features; and
//! the helpers the REST APIs share: the mock admin API, its clock and its outbox.

pub mod connectnow;
pub mod onechat;
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

    /// Moves the target's clock forward through the admin API; impossible without clock
    /// control.
    pub async fn advance_clock(&self, seconds: u64) {
        if !self.ctx.target.clock_control {
            self.impossible("the scenario moves the server's clock and the target offers no clock control");
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

    /// Ends the scenario as impossible unless the target follows the reference mock's reading
    /// `item` of the API's register (a rule the register checks "on the mock only").
    pub fn require_mock_reading(&self, item: &str) {
        if !self.ctx.target.mock_readings {
            self.impossible(format!(
                "the scenario checks the reading {item} of the register, which is checked on the reference mock only (set mock_readings = true in the profile if the target follows it)"
            ));
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

#[cucumber::given(regex = r"^the target follows the reading ([A-Z]\d+) of the register$")]
async fn follows_reading(w: &mut ChatWorld, item: String) {
    w.require_mock_reading(&item);
    // Every check of the scenario rests on this reading: a miss grades it lenient.
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
