//! Signing up and in: organizations, `device_id` in the body only, JWT access tokens, the
//! refresh cookie at logout, short phone numbers.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chatspec_mocks::sama::Switch;
use serde_json::{Value, json};

use super::pair;

#[tokio::test]
async fn sign_up_and_password_logins_need_an_organization() {
    let (plain, switched) = pair(Switch::SignUpNeedsOrganization).await;
    for (server, needs) in [(&plain, false), (&switched, true)] {
        let mut s = server.socket().await;
        let bare = s.request("user_create", json!({"login": "user_1", "password": "pw_1"})).await;
        if needs {
            assert_eq!(bare["error"]["message"], "\"email\" is required", "{bare}");
            let no_org = s
                .request("user_create", json!({"login": "user_1", "password": "pw_1", "email": "u1@x.io"}))
                .await;
            assert_eq!(no_org["error"]["message"], "\"organization_id\" is required", "{no_org}");
            let made = s
                .request(
                    "user_create",
                    json!({"login": "user_1", "password": "pw_1", "email": "u1@x.io", "organization_id": "org_1"}),
                )
                .await;
            assert_eq!(made["user"]["login"], "user_1", "{made}");
        } else {
            assert_eq!(bare["user"]["login"], "user_1", "{bare}");
        }
        let login = json!({"login": "user_1", "password": "pw_1", "device_id": "d1"});
        let (status, _, body) = server.login(login.clone(), &[]).await;
        assert_eq!(status, if needs { 422 } else { 200 }, "{body}");
        if needs {
            let mut other = login.clone();
            other["organization_id"] = json!("org_2");
            assert_eq!(server.login(other, &[]).await.0, 401);
            let mut right = login;
            right["organization_id"] = json!("org_1");
            let (status, _, body) = server.login(right, &[]).await;
            assert_eq!(status, 200, "{body}");
        }
    }
}

#[tokio::test]
async fn token_logins_need_an_organization_and_user_login_a_device() {
    let (plain, switched) = pair(Switch::TokenLoginNeedsOrganization).await;
    for (server, needs) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let mut s = server.socket().await;
        let by_token = s.request("user_login", json!({"token": alice.access_token})).await;
        if needs {
            assert_eq!(by_token["error"]["message"], "'device_id' is required.", "{by_token}");
            let no_org = s
                .request("user_login", json!({"token": alice.access_token, "device_id": alice.device_id}))
                .await;
            assert_eq!(no_org["error"]["message"], "\"organization_id\" is required", "{no_org}");
            let full =
                json!({"token": alice.access_token, "device_id": alice.device_id, "organization_id": "o"});
            let ok = s.request("user_login", full).await;
            assert_eq!(ok["user"]["_id"], alice.user.id.as_str(), "{ok}");
        } else {
            assert_eq!(by_token["user"]["_id"], alice.user.id.as_str(), "{by_token}");
        }
        let token = s
            .request(
                "user_login",
                json!({"login": alice.login, "password": alice.password, "device_id": "d2"}),
            )
            .await;
        let token = token["token"].as_str().unwrap().to_owned();
        let bearer = format!("Bearer {token}");
        let headers = [("authorization", bearer.as_str()), ("device_id", "d2")];
        let (status, _, body) = server.login(json!({}), &headers).await;
        assert_eq!(status, if needs { 422 } else { 200 }, "{body}");
    }
}

#[tokio::test]
async fn login_reads_device_id_from_the_body_only() {
    let (plain, switched) = pair(Switch::LoginDeviceIdInBodyOnly).await;
    for (server, body_only) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let bearer = format!("Bearer {}", alice.access_token);
        let headers = [("authorization", bearer.as_str()), ("device_id", alice.device_id.as_str())];
        let (status, _, body) = server.login(json!({}), &headers).await;
        if body_only {
            assert_eq!(status, 422);
            assert!(body.contains("'device_id' is required."), "{body}");
            let (status, _, body) = server.login(json!({"device_id": alice.device_id}), &headers).await;
            assert_eq!(status, 200, "{body}");
        } else {
            assert_eq!(status, 200, "{body}");
        }
    }
}

fn payload(token: &str) -> Value {
    let part = token.split('.').nth(1).unwrap_or_else(|| panic!("not a JWT: {token}"));
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

#[tokio::test]
async fn access_tokens_are_jwts_carrying_the_user() {
    let (plain, switched) = pair(Switch::JwtAccessTokens).await;
    for (server, jwt) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let (status, _, body) = server
            .login(json!({"login": alice.login, "password": alice.password, "device_id": "laptop"}), &[])
            .await;
        assert_eq!(status, 200, "{body}");
        let login: Value = serde_json::from_str(&body).unwrap();
        for token in [alice.access_token.as_str(), login["access_token"].as_str().unwrap()] {
            assert_eq!(token.split('.').count(), if jwt { 3 } else { 1 }, "{token}");
            if jwt {
                let claims = payload(token);
                assert_eq!(claims["_id"], alice.user.id.as_str(), "{claims}");
                assert_eq!(claims["native_id"], alice.user.id.as_str());
                assert_eq!(claims["login"], alice.login.as_str());
                assert_eq!(claims["type"], "access");
                assert_eq!(
                    claims["exp"].as_i64().unwrap() * 1000,
                    login["expired_at"].as_i64().unwrap() / 1000 * 1000
                );
            }
        }
        // The token links a socket either way.
        let mut s = server.socket().await;
        let reply =
            s.request("connect", json!({"token": login["access_token"], "device_id": "laptop"})).await;
        assert_eq!(reply["success"], true, "{reply}");
    }
}

#[tokio::test]
async fn logout_needs_the_refresh_cookie_that_login_set() {
    let (plain, switched) = pair(Switch::LogoutNeedsRefreshCookie).await;
    for (server, needs) in [(&plain, false), (&switched, true)] {
        let alice = server.provision("Alice").await;
        let resp = server
            .http
            .post(server.url("/login"))
            .json(&json!({"login": alice.login, "password": alice.password, "device_id": "laptop"}))
            .send()
            .await
            .unwrap();
        let cookie = resp.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
        let token = resp.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
        let bare = server.http.post(server.url("/logout")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(bare.status(), if needs { 401 } else { 200 });
        if needs {
            let with_cookie = server
                .http
                .post(server.url("/logout"))
                .bearer_auth(&token)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(with_cookie.status(), 200);
        }
    }
}

#[tokio::test]
async fn phone_numbers_have_at_most_15_characters() {
    let (plain, switched) = pair(Switch::PhoneAtMost15).await;
    for (server, short) in [(&plain, false), (&switched, true)] {
        let mut s = server.socket().await;
        let long = json!({"login": "user_1", "password": "pw_1", "phone": "+44 20 7946 0958 1234"});
        let reply = s.request("user_create", long).await;
        if short {
            assert!(reply["error"]["message"].as_str().unwrap().contains("15 characters"), "{reply}");
        } else {
            assert_eq!(reply["user"]["phone"], "+44 20 7946 0958 1234", "{reply}");
        }
        let ok = s
            .request("user_create", json!({"login": "user_2", "password": "pw_2", "phone": "+442079460958"}))
            .await;
        assert_eq!(ok["user"]["login"], "user_2", "{ok}");
    }
}
