//! Events a SAMA scenario waits for, and the fences that end a wait for their absence.

use std::time::Duration;

use serde_json::json;

use chatspec_specs::sama::blocking::ListBlockedUsers;
use chatspec_specs::sama::envelope::NoParams;

use super::QUIET;
use crate::events::Received;
use crate::sama::SamaWorld;
use crate::sama::driver;

impl SamaWorld {
    // ---- events ------------------------------------------------------------------------------

    /// The known deviations the events `who` received show, undeclared.
    fn inbox_suspects(&self, who: &str) -> Vec<chatspec_specs::sama::compat::Switch> {
        let d = &self.ctx.target.sama.deviations;
        let mut out: Vec<_> = self
            .socket(who)
            .inbox
            .all()
            .iter()
            .flat_map(|e| d.suspects(&json!({ e.name.clone(): e.data.clone() })))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Fails if an event `who` received broke its schema where the document rules it; notes the
    /// rules of readings.
    fn check_inbox(&self, who: &str) {
        let (readings, document): (Vec<String>, Vec<String>) = self
            .socket(who)
            .inbox
            .violations()
            .into_iter()
            .partition(|v| v.starts_with(driver::READING_PREFIX));
        if !document.is_empty() {
            self.fail_hinting(
                "every event matches its schema",
                "events valid against the committed schemas",
                document.join("\n  "),
                &self.inbox_suspects(who),
            );
        }
        for v in readings {
            let rest = &v[driver::READING_PREFIX.len()..];
            let (entry, text) = rest.split_once(": ").unwrap_or(("S1", rest));
            self.reading(entry, "the event has the register's form", "the schema's form", text);
        }
    }

    /// Waits for an event to `who` matching `pred`; fails with every frame seen.
    pub async fn expect_frame(&self, who: &str, what: &str, pred: impl Fn(&Received) -> bool) -> Received {
        let timeout = self.ctx.target.wait(Duration::from_secs(5));
        let got = match self.socket(who).inbox.wait_for(timeout, pred).await {
            Ok(e) => e,
            Err(e) => self.fail_hinting(
                &format!("{who} receives {what}"),
                what,
                e.describe(),
                &self.inbox_suspects(who),
            ),
        };
        self.check_inbox(who);
        got
    }

    /// Makes sure every event the server queued for `who` before now has arrived: any reply to
    /// a request sent now comes after them.
    pub async fn fence(&self, who: &str) {
        let reply = self.sent(self.socket(who).call::<ListBlockedUsers>(&NoParams {}).await);
        if let Some(why) = reply.failure {
            self.fail(&format!("{who}'s socket answers requests"), "a reply to list_blocked_users", why);
        }
    }

    /// Fails if `who` receives an event matching `pred`: after a fence, and until [`QUIET`] (scaled)
    /// has passed since the reply to the request that could have caused it, as a server may send
    /// events after its reply (S14).
    pub async fn expect_no_frame(&self, who: &str, what: &str, pred: impl Fn(&Received) -> bool) {
        self.fence(who).await;
        let deadline =
            self.quiet_from.unwrap_or_else(tokio::time::Instant::now) + self.ctx.target.wait(QUIET);
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let inbox = &self.socket(who).inbox;
        let seen = match inbox.pending(&pred).into_iter().next() {
            Some(e) => Some(e),
            None => inbox.wait_for(left, &pred).await.ok(),
        };
        if let Some(e) = seen {
            self.fail(
                &format!("{who} is not sent {what}"),
                "no such event",
                format!("+{}ms {}: {}", e.at_ms, e.name, e.data),
            );
        }
        self.check_inbox(who);
    }
}
