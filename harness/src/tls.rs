//! TLS for every client of the harness: rustls with the ring provider.
//!
//! reqwest is built with `rustls-no-provider`, so it takes the process default provider when a
//! client is built and panics when there is none. [`http_client`] installs ring's first and is
//! the only way the harness builds a reqwest client (clippy.toml disallows `Client::new`,
//! `Client::builder` and `reqwest::get` elsewhere). tokio-tungstenite's `wss://` needs nothing:
//! rustls's `ClientConfig::builder()` installs the one provider its features enable.

/// A reqwest client builder, with ring installed as the process's TLS crypto provider first.
pub fn http_client() -> reqwest::ClientBuilder {
    // An `Err` only says a provider is in place already (an earlier call, or a wss:// connection
    // that installed ring through rustls's crate features): the process keeps that one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    #[allow(clippy::disallowed_methods)] // the one place allowed to build a client
    reqwest::Client::builder()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::io::AsyncReadExt;
    use tokio::net::TcpListener;

    use super::*;

    /// Accepts one connection and returns its first bytes, then closes it.
    async fn first_bytes(listener: TcpListener) -> Vec<u8> {
        let read = async {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = vec![0; 5];
            socket.read_exact(&mut buf).await.unwrap();
            buf
        };
        tokio::time::timeout(Duration::from_secs(10), read).await.unwrap()
    }

    /// A TLS handshake record (content type 22) of TLS 1.x: the ClientHello, whose key shares the
    /// provider has just generated.
    fn is_client_hello(bytes: &[u8]) -> bool {
        bytes[0] == 0x16 && bytes[1] == 0x03
    }

    #[test]
    fn the_client_builds_on_ring() {
        http_client().https_only(true).build().unwrap();
        let provider = rustls::crypto::CryptoProvider::get_default().unwrap();
        let ring = rustls::crypto::ring::default_provider();
        let names = |p: &rustls::crypto::CryptoProvider| {
            p.cipher_suites.iter().map(|s| s.suite()).collect::<Vec<_>>()
        };
        assert_eq!(names(provider), names(&ring));
        // What tokio-tungstenite builds for wss://, from the same default.
        let roots = rustls::RootCertStore::empty();
        rustls::ClientConfig::builder().with_root_certificates(roots).with_no_client_auth();
    }

    #[tokio::test]
    async fn an_https_request_starts_its_handshake() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = tokio::spawn(first_bytes(listener));
        let client = http_client().no_proxy().timeout(Duration::from_secs(10)).build().unwrap();
        // The listener never answers the hello: the request fails, after the hello was sent.
        let sent = client.get(format!("https://{addr}/")).send();
        let (reply, seen) = tokio::join!(sent, seen);
        assert!(reply.is_err());
        assert!(is_client_hello(&seen.unwrap()));
    }

    #[tokio::test]
    async fn a_wss_connection_starts_its_handshake() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = tokio::spawn(first_bytes(listener));
        let connect = tokio::time::timeout(
            Duration::from_secs(10),
            tokio_tungstenite::connect_async(format!("wss://{addr}/")),
        );
        let (connected, seen) = tokio::join!(connect, seen);
        assert!(!matches!(connected, Ok(Ok(_))));
        assert!(is_client_hello(&seen.unwrap()));
    }
}
