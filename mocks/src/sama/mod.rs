//! The SAMA reference mock (seed 003): a store with every rule, served over HTTP login and
//! WebSocket JSON frames, with the shared admin API.

mod activity;
pub mod auth;
mod blocking;
mod contacts;
mod conversations;
mod edits;
pub mod error;
mod files;
#[cfg(test)]
mod fixture;
mod frames;
mod membership;
mod messages;
mod oplog;
mod push;
mod sessions;
pub mod store;
mod users;

pub use auth::{HttpLogin, LoginOutcome};
pub use error::SamaError;
pub use store::{Config, ConnId, OutboxEntry, Outgoing, Store};
