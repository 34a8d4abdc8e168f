//! The small kit every API's world shares (ARCHITECTURE.md): the [`Scenario`] each world
//! embeds (context, wire log, verdicts, accounts), the mock admin API, and the [`ApiWorld`]
//! trait through which `check` runs any API's suite. Nothing here knows a particular API.

mod admin;
pub mod prose;
mod scenario;

pub use scenario::{Impossible, Scenario};

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
