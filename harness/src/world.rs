//! The cucumber world the suites still share while each API moves to its own world
//! (`kit::ApiWorld`): the kit's [`Scenario`] plus each API's own state.

use std::fmt;
use std::ops::{Deref, DerefMut};

use cucumber::World;

use crate::api::Api;
use crate::kit::{ApiWorld, Scenario};
use crate::steps::onechat::OneChatState;

pub use crate::kit::Impossible;

/// One scenario's state.
#[derive(World, Default)]
pub struct ChatWorld {
    /// The kit's share: context, wire log, verdicts, accounts.
    pub sc: Scenario,
    /// OneChat's users, groups and apps.
    pub onechat: OneChatState,
}

impl Deref for ChatWorld {
    type Target = Scenario;
    fn deref(&self) -> &Scenario {
        &self.sc
    }
}

impl DerefMut for ChatWorld {
    fn deref_mut(&mut self) -> &mut Scenario {
        &mut self.sc
    }
}

impl ApiWorld for ChatWorld {
    // The shared world runs every suite not yet moved to its own world; `check` picks it by
    // API, so this constant is only its default.
    const API: Api = Api::OneChat;
}

impl fmt::Debug for ChatWorld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatWorld")
            .field("key", &self.key)
            .field("onechat users", &self.onechat.users.keys())
            .finish()
    }
}
