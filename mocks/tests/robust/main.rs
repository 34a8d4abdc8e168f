//! The mocks as a real backend for real clients: browsers on another origin (CORS with
//! credentials), RFC 6455 clients, bad input and stalled consumers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod cors;
mod envelope;
mod support;
#[path = "../common/tls.rs"]
mod tls;
mod websocket;
