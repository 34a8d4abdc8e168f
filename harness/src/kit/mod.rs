//! The small kit every API's world shares (ARCHITECTURE.md): the [`Scenario`] each world
//! embeds (context, wire log, verdicts, accounts), the mock admin API, and the [`ApiWorld`]
//! trait through which `check` runs any API's suite. Nothing here knows a particular API.

mod admin;
pub mod prose;
mod replies;
mod scenario;

pub use admin::{OUTBOX_WAIT, lacking};
pub use scenario::{Impossible, OnRule, Scenario};

use std::ops::{Deref, DerefMut};

use crate::api::Api;

/// The cucumber world of one API's suite. Each API has its own world type, so its step
/// definitions can only ever match its own scenarios; every world embeds a [`Scenario`] and
/// dereferences to it, so the kit's calls (`w.fail`, `w.reading`, `w.admin`, `w.ctx`) read the
/// same in every API's steps.
pub trait ApiWorld:
    cucumber::World + cucumber::codegen::WorldInventory + Deref<Target = Scenario> + DerefMut + std::fmt::Debug
{
    /// The API whose suite this world runs.
    const API: Api;
}

/// Defines, for the world type given, the steps every suite shares:
///
/// - `And the checks below rest on the reading C11 of the register`, after the scenario's
///   `When`: the scenario as a whole checks a reading, so every check after this step rests
///   on it. A miss ends the scenario graded lenient (failed under `--strict`); the steps
///   before it (provisioning, the request itself) still rest on the document, so a server
///   that cannot make a user is never graded lenient for it.
///
/// Each API's world module calls it once: `crate::shared_steps!(UnichatWorld);`.
#[macro_export]
macro_rules! shared_steps {
    ($world:ident) => {
        #[cucumber::when(regex = r"^the checks below rest on the reading ([A-Z]\d+) of the register$")]
        async fn checks_rest_on_reading(w: &mut $world, item: String) {
            w.reading_ground = Some(item);
        }
    };
}
