//! The SAMA suite (seed 003): its world, its driver and its steps.
//!
//! `world.rs` holds [`world::SamaWorld`] and the helpers several areas use (making and
//! connecting users in `world/accounts.rs`, grading in `world/grading.rs`); `driver/` speaks
//! HTTP login and the WebSocket protocol; `steps/<area>.rs` are the step definitions of
//! `features/sama/<area>.feature`. Modules depend one way: the kit ← `driver` ← `world` ←
//! `steps`.

pub mod driver;
mod steps;
pub mod world;

pub use world::SamaWorld;
