//! Receiving events, the store's share (seed 000, "Receiving events": "the client has to
//! obtain the SSE authenitcation code using create_sse_auth_code() call"): codes that open
//! one stream each, and who is online. The stream itself is served by `transport.rs`.

use serde_json::{Value, json};

use super::error::ApiError;
use super::store::Store;

impl Store {
    /// Users with an open SSE connection show as online.
    pub fn set_online(&mut self, user: u64, online: bool) {
        if let Some(u) = self.users.get_mut(&user) {
            u.online = online;
        }
    }

    /// The user an SSE code belongs to; the code is spent.
    pub fn redeem_sse_code(&mut self, code: &str) -> Option<u64> {
        self.sse_codes.remove(code)
    }

    /// `create_sse_auth_code() -> {code}`: a fresh code for `me`, good for one stream.
    pub(super) fn create_sse_auth_code(&mut self, me: u64) -> Result<Value, ApiError> {
        let code = self.token("sse_");
        self.sse_codes.insert(code.clone(), me);
        Ok(json!({"code": code}))
    }
}
