//! The connectnow suite (seed 002): its world, its driver and its steps, one step file per
//! feature area (`features/connectnow/<area>.feature` ↔ `steps/<area>.rs`).
//!
//! Modules depend one way only: `crate::kit` ← [`driver`] ← [`world`] ← `steps`.

pub mod driver;
mod steps;
pub mod world;

pub use world::ConnectNowWorld;
