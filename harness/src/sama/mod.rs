//! The SAMA suite (seed 003): its world, its driver and its steps.
//!
//! `world.rs` holds [`world::SamaWorld`] and, as its methods, the helpers several areas use
//! (requests and replies in `world/replies.rs`, events in `world/events.rs`, making and
//! connecting users in `world/accounts.rs`, grading in `world/grading.rs`); `driver/` speaks
//! HTTP login and the WebSocket protocol and checks every well-formed request against its
//! schema; `steps/<area>.rs` are the step definitions of
//! `features/sama/<area>.feature`. Modules depend one way: the kit ← `driver` ← `world` ←
//! `steps`.

pub mod driver;
mod steps;
pub mod world;

pub use world::SamaWorld;
