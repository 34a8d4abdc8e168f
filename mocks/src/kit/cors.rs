//! CORS for browsers, the same on every mock and every route, admin included: a page on any
//! origin may call the API with credentials (cookies, `Authorization`), open an
//! `EventSource` with `withCredentials`, and provision its test users.
//!
//! Credentials forbid the `*` wildcards (Fetch standard, CORS protocol), so the request's
//! origin, method and headers are mirrored. A preflight is answered 200 before any route
//! sees it, so `OPTIONS` on an API path never meets the API's own 405.

use std::time::Duration;

use axum::http::header;
use tower_http::cors::{AllowHeaders, AllowMethods, AllowOrigin, CorsLayer};

/// How long a browser may cache a preflight's answer.
pub const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// The layer every mock's `app` wraps its whole router in.
pub fn browser() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_credentials(true)
        .allow_headers(AllowHeaders::mirror_request())
        .allow_methods(AllowMethods::mirror_request())
        // Chromium's Private Network Access preflight, for a page served from a public
        // origin that calls a mock on the developer's machine.
        .allow_private_network(true)
        .expose_headers([header::RETRY_AFTER, header::CONTENT_DISPOSITION, header::LOCATION])
        .max_age(PREFLIGHT_MAX_AGE)
}
