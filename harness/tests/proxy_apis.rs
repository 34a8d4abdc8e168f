//! `chatspec proxy` in front of the connectnow, OneChat and SAMA mocks: a small client of the
//! test's own (reqwest, not chatspec's driver) sends one correct and one malformed request
//! through the proxy to each API's REST routes; the malformed one is reported with its rule
//! and the client at fault, the correct one with none. A reply the upstream garbles is the
//! server's fault. The traffic's JUnit and HTML reports, and the bounded wire log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chatspec::proxy::{Direction, Proxy, Violation};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

/// A proxy for `api` in front of `upstream` on port 0 keeping `keep` exchanges; its base URL.
async fn proxy(api: &str, upstream: &str, keep: usize) -> (Proxy, String, CancellationToken) {
    common::run_proxy(Proxy::keeping(api, upstream, false, keep).unwrap()).await
}

fn rules(found: &[Violation]) -> Vec<(Direction, String)> {
    found.iter().map(|v| (v.direction, v.rule.clone())).collect()
}

/// `POST /api/companies` through the proxy as a connectnow client would send it.
async fn create_company(http: &reqwest::Client, base: &str, token: &str, body: &str) -> reqwest::Response {
    http.post(format!("{base}/api/companies"))
        .header("accept", "application/json")
        .header("content-type", "application/json")
        .bearer_auth(token)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn connectnow_a_malformed_body_is_the_clients_fault_and_a_correct_one_passes() {
    let mock = common::start_connectnow(&[]).await;
    let (p, base, stop) = proxy("connectnow", &mock.base_url, 100).await;
    let http = common::client();
    let user = common::provision_user(&http, &base, "Ann").await;
    let token = user["api_token"].as_str().unwrap();

    let ok = create_company(&http, &base, token, r#"{"name": "Acme"}"#).await;
    assert_eq!(ok.status(), 201);
    assert!(p.violations().is_empty(), "{:#?}", p.violations());

    let bad = create_company(&http, &base, token, r#"{"name": 7}"#).await;
    assert_eq!(bad.status(), 422, "the mock refuses it, and the proxy passes the refusal on");
    let found = p.violations();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].direction, Direction::Client);
    assert_eq!(found[0].path, "/name");
    assert!(found[0].rule.starts_with("schema connectnow/request.create_company "), "{}", found[0].rule);
    assert_eq!(found[0].exchange, "POST /api/companies");

    // A route with a placeholder is found by its declared template, and a request without
    // any token breaks the rule of the token the route takes.
    let company = ok.json::<Value>().await.unwrap();
    let id = company.get("data").unwrap_or(&company)["id"].as_u64().unwrap();
    let anon = http
        .get(format!("{base}/api/companies/{id}"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status(), 401);
    let found = p.violations();
    assert_eq!(rules(&found[1..]), [(Direction::Client, "C-api-token".to_owned())], "{found:#?}");
    assert_eq!(found[1].exchange, "GET /api/companies/{company-id}");
    assert!(found[1].quote.as_deref().is_some_and(|q| q.starts_with("002: ")), "{:?}", found[1].quote);
    stop.cancel();
}

#[tokio::test]
async fn connectnow_a_reply_the_upstream_garbles_is_the_servers_fault() {
    let mock = common::start_connectnow(&[]).await;
    let (p, base, stop) = proxy("connectnow", &mock.base_url, 100).await;
    let http = common::client();
    let user = common::provision_user(&http, &base, "Ann").await;
    let token = user["api_token"].as_str().unwrap();
    // Armed on the mock itself: the proxy's own faults act after its checks.
    let armed = http
        .post(format!("{}/_mock/faults", mock.base_url))
        .json(&json!({"kind": "garbage", "route": "/api/companies", "method": "POST"}))
        .send()
        .await
        .unwrap();
    assert_eq!(armed.status(), 201);
    let garbled = create_company(&http, &base, token, r#"{"name": "Acme"}"#).await;
    assert_eq!(garbled.status(), 201);
    let found = p.violations();
    assert_eq!(rules(&found), [(Direction::Server, "C-fact-accept-json".to_owned())], "{found:#?}");
    assert_eq!(found[0].exchange, "POST /api/companies -> 201");
    stop.cancel();
}

#[tokio::test]
async fn onechat_a_call_without_its_apikey_is_the_clients_fault_and_a_correct_one_passes() {
    let mock = common::start_onechat(&[]).await;
    let (p, base, stop) = proxy("onechat", &mock.base_url, 100).await;
    let http = common::client();
    let ann = common::provision_user(&http, &base, "Ann").await;
    let bob = common::provision_user(&http, &base, "Bob").await;
    let call = |apikey: Option<&str>, body: Value| {
        let mut req = http.post(format!("{base}/onechat/api/singleMessage")).json(&body);
        if let Some(k) = apikey {
            req = req.header("apikey", k);
        }
        req.send()
    };
    let body = json!({"jid": bob["jid"], "message": "Hi"});
    let ok: Value = call(ann["apikey"].as_str(), body.clone()).await.unwrap().json().await.unwrap();
    assert_eq!(ok["status"], "Success", "{ok}");
    assert!(p.violations().is_empty(), "{:#?}", p.violations());

    let refused: Value = call(None, body).await.unwrap().json().await.unwrap();
    assert_eq!(refused["status"], "Error", "{refused}");
    let found = p.violations();
    assert_eq!(rules(&found), [(Direction::Client, "O-call-apikey-header".to_owned())], "{found:#?}");
    assert!(found[0].quote.as_deref().is_some_and(|q| q.contains("Enter your API Key under Headers")));
    stop.cancel();
}

#[tokio::test]
async fn sama_login_and_logout_are_checked_as_they_pass() {
    let mock = common::start_sama(&[]).await;
    let (p, base, stop) = proxy("sama", &mock.base_url, 100).await;
    let http = common::client();
    let user = common::provision_user(&http, &base, "ann").await;
    let login = json!({"login": user["login"], "password": user["password"], "device_id": "d1"});
    let ok = http.post(format!("{base}/login")).json(&login).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let signed: Value = ok.json().await.unwrap();
    assert!(signed["access_token"].is_string(), "{signed}");
    assert!(p.violations().is_empty(), "{:#?}", p.violations());

    let out = http.post(format!("{base}/logout")).send().await.unwrap();
    assert!(out.status().is_client_error(), "{}", out.status());
    let found = p.violations();
    assert_eq!(rules(&found), [(Direction::Client, "S-logout-token-header".to_owned())], "{found:#?}");
    assert_eq!(found[0].exchange, "POST /logout");
    let out = http
        .post(format!("{base}/logout"))
        .bearer_auth(signed["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 200);
    assert_eq!(p.violations().len(), 1, "{:#?}", p.violations());
    stop.cancel();
}

#[tokio::test]
async fn the_traffic_is_reported_in_junit_and_html_one_test_case_per_route_and_side() {
    let mock = common::start_connectnow(&[]).await;
    let (p, base, stop) = proxy("connectnow", &mock.base_url, 100).await;
    let http = common::client();
    let user = common::provision_user(&http, &base, "Ann").await;
    let token = user["api_token"].as_str().unwrap();
    create_company(&http, &base, token, r#"{"name": "Acme"}"#).await;
    create_company(&http, &base, token, r#"{"name": 7}"#).await;
    create_company(&http, &base, token, r#"{"name": "Beta"}"#).await;
    stop.cancel();

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("proxy-reports-junit");
    let _ = std::fs::remove_dir_all(&dir);
    let written = p.write_reports(&dir).unwrap();
    let names: Vec<String> =
        written.iter().map(|w| w.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["proxy.json", "proxy.md", "junit.xml", "report.html"]);

    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let suite = |name: &str| {
        let at = junit.find(&format!("<testsuite name=\"{name}\"")).unwrap_or_else(|| panic!("{junit}"));
        junit[at..].split("</testsuite>").next().unwrap().to_owned()
    };
    let client_suite = suite("connectnow/client");
    assert!(client_suite.contains("tests=\"1\" failures=\"1\""), "{client_suite}");
    assert!(client_suite.contains("name=\"POST /api/companies\""), "{client_suite}");
    assert!(client_suite.contains("1 violation(s) by the client in 3 exchange(s)"), "{client_suite}");
    assert!(client_suite.contains("/name"), "{client_suite}");
    let server_suite = suite("connectnow/server");
    assert!(server_suite.contains("tests=\"1\" failures=\"0\""), "{server_suite}");
    assert!(!junit.contains("_mock"), "the admin routes are no test case: {junit}");

    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("POST /api/companies"), "the HTML names the route");
    assert!(html.contains("schema connectnow/request.create_company"), "and the rule broken");
    let record = p.record();
    assert!(record.failed(), "a violation fails the record as a failed scenario fails a run");
}

#[tokio::test]
async fn the_wire_log_keeps_the_last_exchanges_and_the_reports_count_the_dropped_ones() {
    let mock = common::start_connectnow(&[]).await;
    let (p, base, stop) = proxy("connectnow", &mock.base_url, 3).await;
    let http = common::client();
    let user = common::provision_user(&http, &base, "Ann").await;
    let token = user["api_token"].as_str().unwrap();
    for n in 0..5 {
        create_company(&http, &base, token, &format!(r#"{{"name": "c{n}"}}"#)).await;
    }
    stop.cancel();
    // Six exchanges: the provisioning call and five creates; the last three are kept.
    assert_eq!(p.dropped(), 3);
    let requests: Vec<Value> =
        p.wire().into_iter().filter(|e| e.kind == "request").filter_map(|e| e.body).collect();
    assert_eq!(requests, [json!({"name": "c2"}), json!({"name": "c3"}), json!({"name": "c4"})]);
    assert_eq!(p.kinds()["POST /api/companies"].exchanges, 5, "the tallies count every exchange");

    let report = p.report();
    assert_eq!((report["wire_dropped"].as_u64(), report["wire_kept"].as_u64()), (Some(3), Some(3)));
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("proxy-reports-bounded");
    let _ = std::fs::remove_dir_all(&dir);
    p.write_reports(&dir).unwrap();
    let md = std::fs::read_to_string(dir.join("proxy.md")).unwrap();
    assert!(md.contains("3 earlier exchange(s) dropped from the wire log, which keeps the last 3"), "{md}");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("3 earlier exchange(s) dropped"), "the HTML's wire log says so too");
}
