//! The Unichat suite (seeds 000 and 001): its world, its driver and its steps.
//!
//! `world.rs` holds [`world::UnichatWorld`], the helpers several areas use; `driver.rs` speaks
//! HTTP JSON and SSE; `steps/<area>.rs` are the step definitions of
//! `features/unichat/<area>.feature`. Modules depend one way: the kit ← `world` ← `steps`.

pub mod driver;
mod steps;
pub mod world;

pub use world::UnichatWorld;
