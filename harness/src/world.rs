//! The cucumber world: one per scenario, holding its actors, rooms and wire log.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use cucumber::World;

use crate::context::RunContext;
use crate::steps::connectnow::ConnectNowState;
use crate::steps::onechat::OneChatState;
use crate::steps::sama::SamaState;
use crate::steps::unichat::UnichatState;
use crate::target::Account;
use crate::wire::WireLog;

/// The panic payload of a step that cannot run against this target.
#[derive(Clone, Debug)]
pub struct Impossible(pub String);

/// One scenario's state.
#[derive(World)]
#[world(init = Self::new)]
pub struct ChatWorld {
    pub ctx: Arc<RunContext>,
    pub wire: WireLog,
    /// Ties this world to its scenario's report entry (feature file and line).
    pub key: String,
    /// The documentation sentence the scenario checks, from its description.
    pub doc: Option<String>,
    pub unichat: UnichatState,
    pub connectnow: ConnectNowState,
    pub onechat: OneChatState,
    pub sama: SamaState,
    /// Pre-made accounts this scenario holds; returned when it ends.
    pub accounts: Vec<Account>,
    /// Values remembered by name within the scenario.
    pub remembered: BTreeMap<String, serde_json::Value>,
}

impl fmt::Debug for ChatWorld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatWorld")
            .field("key", &self.key)
            .field("actors", &self.unichat.actors.keys())
            .field("accounts", &self.connectnow.accounts.keys())
            .field("chat users", &self.connectnow.members.keys())
            .field("onechat users", &self.onechat.users.keys())
            .field("sama_actors", &self.sama.actors.keys())
            .finish()
    }
}

impl Drop for ChatWorld {
    fn drop(&mut self) {
        for account in self.accounts.drain(..) {
            self.ctx.return_account(account);
        }
    }
}

impl ChatWorld {
    fn new() -> ChatWorld {
        ChatWorld {
            ctx: RunContext::current(),
            wire: WireLog::default(),
            key: String::new(),
            doc: None,
            unichat: UnichatState::default(),
            connectnow: ConnectNowState::default(),
            onechat: OneChatState::default(),
            sama: SamaState::default(),
            accounts: Vec::new(),
            remembered: BTreeMap::new(),
        }
    }

    /// Fails the step with what was expected, what came back, and the documentation
    /// sentence the scenario checks.
    pub fn fail(&self, rule: &str, expected: impl fmt::Display, actual: impl fmt::Display) -> ! {
        let doc = self.doc.as_deref().unwrap_or("(the scenario names no documentation sentence)");
        panic!("{rule}\nexpected: {expected}\nactual: {actual}\ndocumentation: {doc}")
    }

    /// Ends the scenario as impossible against this target.
    pub fn impossible(&self, why: impl Into<String>) -> ! {
        std::panic::panic_any(Impossible(why.into()))
    }

    /// A name unique to this run, for users, rooms and uids.
    pub fn unique(&self, base: &str) -> String {
        self.ctx.unique(base)
    }
}
