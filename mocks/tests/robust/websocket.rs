//! RFC 6455 on the SAMA socket, from a raw client: the close handshake is answered, and
//! protocol errors close the socket with their code (7.4.1) instead of a silent drop.

use std::time::Duration;

use chatspec_mocks::sama::{self, Sama};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

const WAIT: Duration = Duration::from_secs(5);

async fn serve() -> (std::net::SocketAddr, CancellationToken) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(sama::run(Sama::with_defaults(), listener, stop.clone()));
    (addr, stop)
}

/// A socket after the opening handshake (RFC 6455 4.1).
async fn upgraded(addr: std::net::SocketAddr) -> TcpStream {
    upgraded_as(addr, &addr.to_string()).await
}

/// A socket after the opening handshake, with `host` as the `Host` header.
async fn upgraded_as(addr: std::net::SocketAddr, host: &str) -> TcpStream {
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "GET / HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    tcp.write_all(req.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut b = [0u8; 1];
        tokio::time::timeout(WAIT, tcp.read_exact(&mut b)).await.unwrap().unwrap();
        head.push(b[0]);
    }
    assert!(head.starts_with(b"HTTP/1.1 101"), "{}", String::from_utf8_lossy(&head));
    tcp
}

/// A client frame: FIN, `opcode`, masked with `mask` unless `None`.
fn frame(opcode: u8, payload: &[u8], mask: Option<[u8; 4]>) -> Vec<u8> {
    let mut out = vec![0x80 | opcode];
    let bit = if mask.is_some() { 0x80 } else { 0 };
    match payload.len() {
        n if n < 126 => out.push(bit | n as u8),
        n if n <= 0xffff => {
            out.push(bit | 126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(bit | 127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    if let Some(m) = mask {
        out.extend_from_slice(&m);
        out.extend(payload.iter().enumerate().map(|(i, b)| b ^ m[i % 4]));
    } else {
        out.extend_from_slice(payload);
    }
    out
}

/// The next server frame's opcode and payload.
async fn read_frame(tcp: &mut TcpStream) -> (u8, Vec<u8>) {
    let mut head = [0u8; 2];
    tokio::time::timeout(WAIT, tcp.read_exact(&mut head))
        .await
        .expect("a frame in time")
        .expect("a frame, not EOF");
    let len = match head[1] & 0x7f {
        126 => {
            let mut b = [0u8; 2];
            tcp.read_exact(&mut b).await.unwrap();
            u64::from(u16::from_be_bytes(b))
        }
        127 => {
            let mut b = [0u8; 8];
            tcp.read_exact(&mut b).await.unwrap();
            u64::from_be_bytes(b)
        }
        n => u64::from(n),
    };
    let mut payload = vec![0u8; usize::try_from(len).unwrap()];
    tcp.read_exact(&mut payload).await.unwrap();
    (head[0] & 0x0f, payload)
}

/// The close code of the first Close frame the server sends, skipping other frames.
async fn close_code(tcp: &mut TcpStream) -> Option<u16> {
    loop {
        let (opcode, payload) = read_frame(tcp).await;
        if opcode == 0x8 {
            return (payload.len() >= 2).then(|| u16::from_be_bytes([payload[0], payload[1]]));
        }
    }
}

const MASK: Option<[u8; 4]> = Some([1, 2, 3, 4]);

#[tokio::test]
async fn a_clients_close_is_answered_with_a_close() {
    let (addr, _stop) = serve().await;
    let mut tcp = upgraded(addr).await;
    let mut body = 1000u16.to_be_bytes().to_vec();
    body.extend_from_slice(b"bye");
    tcp.write_all(&frame(0x8, &body, MASK)).await.unwrap();
    assert_eq!(
        close_code(&mut tcp).await,
        Some(1000),
        "RFC 6455 5.5.1: an endpoint that receives a Close \"MUST send a Close frame in response\""
    );
}

#[tokio::test]
async fn protocol_errors_close_with_their_rfc_6455_code() {
    let (addr, _stop) = serve().await;
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("an unmasked client frame", frame(0x1, b"{}", None), 1002),
        ("a reserved opcode", frame(0x3, b"{}", MASK), 1002),
        (
            "reserved bits set",
            {
                let mut f = frame(0x1, b"{}", MASK);
                f[0] |= 0x40;
                f
            },
            1002,
        ),
        ("a text frame that is not UTF-8", frame(0x1, &[0xff, 0xfe, 0x22], MASK), 1007),
        (
            "a frame of 17 MiB",
            {
                // The header alone announces it; the mock need not read the payload to refuse it.
                let mut f = vec![0x81, 0x80 | 127];
                f.extend_from_slice(&(17u64 * 1024 * 1024).to_be_bytes());
                f.extend_from_slice(&[1, 2, 3, 4]);
                f
            },
            1009,
        ),
    ];
    for (what, bytes, code) in cases {
        let mut tcp = upgraded(addr).await;
        tcp.write_all(&bytes).await.unwrap();
        assert_eq!(
            close_code(&mut tcp).await,
            Some(code),
            "{what}: RFC 6455 7.4.1 gives close code {code}; the socket must not just drop"
        );
    }
}

/// The next text frame, as JSON.
async fn read_json(tcp: &mut TcpStream) -> serde_json::Value {
    loop {
        let (opcode, payload) = read_frame(tcp).await;
        if opcode == 0x1 {
            return serde_json::from_slice(&payload).unwrap();
        }
    }
}

#[tokio::test]
async fn file_urls_are_built_on_the_host_the_client_used() {
    let (addr, _stop) = serve().await;
    let http = crate::tls::http_client().no_proxy().build().unwrap();
    let user: serde_json::Value = http
        .post(format!("http://{addr}/_mock/users"))
        .json(&serde_json::json!({"name": "Ann"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // As behind a port mapping: the client knows the mock as another host and port.
    let mut tcp = upgraded_as(addr, "chat.example.test:18080").await;
    let connect = serde_json::json!({"request": {"connect": {"token": user["access_token"], "device_id": user["device_id"]}, "id": "1"}});
    tcp.write_all(&frame(0x1, connect.to_string().as_bytes(), MASK)).await.unwrap();
    let linked = read_json(&mut tcp).await;
    assert_eq!(linked["response"]["success"], true, "{linked}");
    let create = serde_json::json!({"request": {"create_files": [{"name": "a.png", "size": 4, "content_type": "image/png"}], "id": "2"}});
    tcp.write_all(&frame(0x1, create.to_string().as_bytes(), MASK)).await.unwrap();
    let files = read_json(&mut tcp).await;
    let url = files["response"]["files"][0]["upload_url"].as_str().unwrap_or_default().to_owned();
    assert!(
        url.starts_with("http://chat.example.test:18080/files/"),
        "the upload URL must use the Host the client used, not the listening address: {files}"
    );
}
