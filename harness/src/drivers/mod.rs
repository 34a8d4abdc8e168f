//! Protocol drivers: how the harness talks to each API's server.

pub mod admin;
pub mod connectnow;
pub mod onechat;
pub mod sama;
pub mod sse;
pub mod unichat;
