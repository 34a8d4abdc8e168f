//! The OneChat suite (seed 004): its world, its driver and its steps, one step file per
//! feature area (`features/onechat/<area>.feature` ↔ `steps/<area>.rs`). The world's page
//! helpers (`world/page.rs`) run the browser-library areas (`chat_plugin`, `mini_app_library`)
//! in the scenario's page.
//!
//! Modules depend one way only: `crate::kit` ← [`driver`] ← [`world`] ← `steps`.

pub mod driver;
mod steps;
pub mod world;

pub use world::OneChatWorld;
