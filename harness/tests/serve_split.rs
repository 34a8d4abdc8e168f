//! `chatspec serve` as a server team runs it to try provisioning without an admin API on the
//! public address (docs/real-servers.md): the built binary with `--admin-addr` serves the
//! admin routes `/_mock/*` on that address only, and `serve connectnow --smtp` sends its auth
//! code e-mails over SMTP to chatspec's sink. Every port is ephemeral; the addresses come
//! from the banner.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod common;

use chatspec::smtp::SmtpSink;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_chatspec");
/// How long the banner may take to name both addresses.
const WAIT: Duration = Duration::from_secs(30);

/// A running `chatspec serve`, stopped when dropped.
struct Served {
    child: Child,
    /// The API address, `http://127.0.0.1:PORT`.
    base: String,
    /// The admin address.
    admin: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `http://...` URLs of a banner line, each cut before its path.
fn urls(line: &str) -> Vec<String> {
    line.split_whitespace()
        .filter_map(|w| w.trim_matches(|c: char| matches!(c, '(' | ')' | ',')).strip_prefix("http://"))
        .map(|rest| format!("http://{}", rest.split('/').next().unwrap_or_default()))
        .collect()
}

/// Runs `chatspec serve <args>` and reads its banner until it names the API address (the
/// first line's URL) and an admin route on another address.
fn serve(args: &[&str]) -> Served {
    serve_with(args, Stdio::inherit())
}

/// [`serve`], with its stderr going to `stderr`.
fn serve_with(args: &[&str], stderr: Stdio) -> Served {
    let child = Command::new(BIN)
        .arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("chatspec serve starts");
    // Stopped when dropped, on a panic below too.
    let mut served = Served { child, base: String::new(), admin: String::new() };
    let out = BufReader::new(served.child.stdout.take().unwrap());
    let (tx, lines) = mpsc::channel();
    // Reads the banner, then drains stdout so the server never blocks on it.
    std::thread::spawn(move || {
        for line in out.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + WAIT;
    let mut banner = Vec::new();
    let mut base: Option<String> = None;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines.recv_timeout(left).unwrap_or_else(|e| {
            panic!("chatspec serve {args:?}: no admin address in its banner ({e}):\n{}", banner.join("\n"))
        });
        banner.push(line.clone());
        let Some(api) = base.clone() else {
            base = urls(&line).into_iter().next();
            continue;
        };
        if line.contains("/_mock")
            && let Some(admin) = urls(&line).into_iter().find(|u| *u != api)
        {
            served.base = api;
            served.admin = admin;
            return served;
        }
    }
}

fn client() -> reqwest::Client {
    chatspec::tls::http_client().no_proxy().timeout(Duration::from_secs(10)).build().unwrap()
}

/// `GET url`: the status and the body as JSON (`Null` when it is none).
async fn get(url: &str) -> (u16, Value) {
    let r = client().get(url).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_routes_are_served_on_the_admin_address_only() {
    for api in chatspec::embedded::MOCKS {
        let served = serve(&[api, "--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0"]);
        let (base, admin) = (&served.base, &served.admin);
        assert!(
            base.starts_with("http://127.0.0.1:") && admin.starts_with("http://127.0.0.1:"),
            "{base} {admin}"
        );

        let (status, health) = get(&format!("{admin}/_mock/health")).await;
        assert_eq!((status, health["api"].as_str()), (200, Some(*api)), "{api}: {health}");
        // The API address answers it as a path it does not serve, in the API's own envelope,
        // naming the route as asked and where it is served.
        let (status, body) = get(&format!("{base}/_mock/health")).await;
        assert_eq!(status, 404, "{api}: the API address serves no admin route: {body}");
        assert!(body.get("now").is_none(), "{api}: {body}");
        let text = body.to_string();
        assert!(
            text.contains(&format!("_mock/health (an admin route, served at {admin}/_mock/health)")),
            "{api}: the 404 says where the route is: {text}"
        );
        assert!(!text.contains("_mock/health/"), "{api}: the route as asked: {text}");
        let (status, body) = get(&format!("{admin}/")).await;
        assert_eq!(status, 404, "{api}: the admin address serves nothing else: {body}");
        assert!(body["error"].as_str().unwrap_or_default().contains("not an admin route"), "{api}: {body}");

        // The API address answers the API: a user made on the admin address is known there.
        let name = if *api == "onechat" { "ann@example.org" } else { "ann" };
        let user = common::provision_user(&client(), admin, name).await;
        let (status, body) = api_call(api, base, &user).await;
        assert_eq!(status, 200, "{api}: the API answers its user on {base}: {body}");
    }
}

/// One authenticated call of `api`'s own on `base`, as the user `user` the admin route made.
async fn api_call(api: &str, base: &str, user: &Value) -> (u16, Value) {
    let text = |k: &str| user[k].as_str().unwrap_or_default().to_owned();
    let req = match api {
        "unichat" => client()
            .post(format!("{base}/api/get_subscriptions"))
            .header("APP_DOMAIN_TOKEN", "test_token1")
            .header("USER_AUTH_TOKEN", text("auth_token"))
            .json(&json!({"args": {}})),
        "connectnow" => client().get(format!("{base}/api/user")).bearer_auth(text("api_token")),
        "sama" => client().post(format!("{base}/login")).json(&json!({
            "login": text("login"), "password": text("password"), "device_id": "d1"
        })),
        "onechat" => client().post(format!("{base}/onechat/api/authenticateUser")).json(&json!({
            "jid": text("jid"), "sessionId": text("sessionId"), "appId": text("appId"), "apiKey": text("apikey")
        })),
        other => panic!("no call for {other}"),
    };
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_auth_code_is_e_mailed_over_smtp_to_the_sink() {
    let sink = SmtpSink::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let relay = sink.addr.to_string();
    let served =
        serve(&["connectnow", "--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--smtp", &relay]);
    let (base, admin) = (&served.base, &served.admin);
    let http = client();
    let post = |url: String, token: String, body: Value| {
        let http = http.clone();
        async move {
            let r = http.post(url).bearer_auth(token).json(&body).send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }
    };
    let (status, user) = post(format!("{admin}/_mock/users"), String::new(), json!({"name": "acme"})).await;
    assert_eq!(status, 201, "{user}");
    let token = user["api_token"].as_str().unwrap().to_owned();
    let (status, company) =
        post(format!("{base}/api/companies"), token.clone(), json!({"name": "Acme"})).await;
    assert_eq!(status, 201, "{company}");
    let chat = json!({"company_id": company["id"], "name": "Support"});
    let (status, chat) = post(format!("{base}/api/chats"), token.clone(), chat).await;
    assert_eq!(status, 201, "{chat}");
    let bob = json!({"name": "Bob", "email": "bob@example.org"});
    let (status, added) = post(format!("{base}/api/chats/{}/users", chat["id"]), token, bob).await;
    assert_eq!(status, 201, "{added}");

    // The mock delivers before it answers: the e-mail is in the sink now.
    let mails = sink.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].to, ["bob@example.org"]);
    let code = six_digits(&mails[0].body).unwrap_or_else(|| panic!("no auth code in {:?}", mails[0].body));
    // The same code the mock keeps in its outbox, on the admin address.
    let (_, outbox) = get(&format!("{admin}/_mock/outbox")).await;
    let kept = outbox["outbox"][0]["auth_code"].to_string();
    assert!(kept.contains(&code), "the outbox keeps {kept}, the e-mail says {code}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sink_not_listening_costs_one_plain_warning_line_not_one_per_e_mail() {
    // A relay port nobody listens on: every send is refused.
    let nowhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    for log in [false, true] {
        let mut args =
            vec!["connectnow", "--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--smtp", &nowhere];
        if log {
            args.push("--log");
        }
        let mut served = serve_with(&args, Stdio::piped());
        // stderr is a pipe, not a terminal: whatever comes must be plain text.
        let err = BufReader::new(served.child.stderr.take().unwrap());
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in err.lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let (base, admin) = (served.base.clone(), served.admin.clone());
        let http = client();
        let user = common::provision_user(&http, &admin, "acme").await;
        let token = user["api_token"].as_str().unwrap().to_owned();
        let post = |path: String, body: Value| {
            let req = http.post(format!("{base}{path}")).bearer_auth(&token).json(&body);
            async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
        };
        let company = post("/api/companies".into(), json!({"name": "Acme"})).await;
        let chat = post("/api/chats".into(), json!({"company_id": company["id"], "name": "Support"})).await;
        let users = format!("/api/chats/{}/users", chat["id"]);
        // Three e-mails, each warned of (if at all) before its call's reply.
        for who in ["bob", "eve", "zoe"] {
            let added =
                post(users.clone(), json!({"name": who, "email": format!("{who}@example.org")})).await;
            assert!(added["id"].is_u64(), "the call succeeds though the mail fails: {added}");
        }
        let (_, outbox) = get(&format!("{admin}/_mock/outbox")).await;
        assert_eq!(outbox["outbox"].as_array().map(Vec::len), Some(3), "the outbox keeps each: {outbox}");
        // The server's end closes its stderr: every line it printed is read by then.
        let _ = served.child.kill();
        let _ = served.child.wait();
        let mut seen = Vec::new();
        let deadline = Instant::now() + WAIT;
        loop {
            match lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => seen.push(line),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(e) => panic!("--log {log}: stderr still open ({e}): {seen:#?}"),
            }
        }
        assert!(seen.iter().all(|l| !l.contains('\u{1b}')), "--log {log}: colour codes in a pipe: {seen:#?}");
        let mail: Vec<&String> = seen.iter().filter(|l| l.contains("e-mail") || l.contains("SMTP")).collect();
        assert_eq!(mail.len(), 1, "--log {log}: one line for three failed e-mails: {seen:#?}");
        let line = mail[0];
        assert!(line.starts_with("warning: connectnow mock: e-mail 1 "), "{line}");
        assert!(line.contains(&format!("to bob@example.org not sent over SMTP to {nowhere}: ")), "{line}");
        assert!(line.to_lowercase().contains("connection"), "says why: {line}");
    }
}

/// The first word of exactly six digits in `text`.
fn six_digits(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).map(str::to_owned)
}

#[test]
fn one_address_given_for_the_api_and_the_admin_routes_is_refused_up_front() {
    // A port no one holds: the refusal comes before any bind, so it cannot be "in use".
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    let out = Command::new(BIN)
        .args(["serve", "connectnow", "--addr", &free, "--admin-addr", &free])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--addr and --admin-addr are both") && stderr.contains("must differ"),
        "{stderr}"
    );
    assert!(!stderr.contains("in use"), "{stderr}");
}
