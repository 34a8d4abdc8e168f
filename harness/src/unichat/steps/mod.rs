//! The Unichat step definitions, one file per feature file of `features/unichat/` with the
//! same stem. A step that several features use lives in the file of the area it belongs to
//! (`the call succeeds` in `endpoint.rs`, `Alice posts "hi" to "Ops"` in `messages.rs`); the
//! helpers several files use are methods in `../world.rs`.

mod accounts;
mod attachments;
mod authorization;
mod deleting;
mod editing;
mod endpoint;
mod invites;
mod leaving;
mod messages;
mod rooms;
mod serial;
mod sse;
mod subscriptions;
mod uid;
