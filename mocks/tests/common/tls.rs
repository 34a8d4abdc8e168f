//! The one way the mocks' tests and examples build a reqwest client. reqwest is built with
//! `rustls-no-provider` (see the workspace Cargo.toml) and panics building a client while the
//! process has no TLS crypto provider, so ring's is installed first. Included with `#[path]`
//! by every test target and example that makes HTTP calls, and by the library's unit tests.

/// A reqwest client builder, with ring installed as the process's TLS crypto provider first.
pub fn http_client() -> reqwest::ClientBuilder {
    // An `Err` only says a provider is in place already: the process keeps that one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    #[allow(clippy::disallowed_methods)] // the one place allowed to build a client
    reqwest::Client::builder()
}
