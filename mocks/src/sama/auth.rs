//! Signing in (seed 003): tokens, `POST /login` with a password, an access token or the
//! refresh-token cookie, `POST /logout`, linking a socket with `connect`, and the deprecated
//! `user_login` and `user_logout` (NOTES.md S4 to S9); who is online is in `sessions.rs`.

use chatspec_specs::endpoint::Handle;
use chatspec_specs::sama::{
    auth::{ConnectParams, LoginBody, LoginReply, UserLoginParams, UserLoginReply},
    envelope::Status,
};
use serde_json::Value;
use time::OffsetDateTime;

use super::compat::{Switch, jwt};
use super::error::{SamaError, fail};
use super::frames::to_value;
use super::store::{Call, Ctx, Millis, Served, Store, Token, TokenKind};

/// What `POST /login` was given.
#[derive(Clone, Debug, Default)]
pub struct HttpLogin {
    /// The JSON body: `login` and `password`, or `device_id` alone with a token or cookie.
    pub body: LoginBody,
    /// The `Authorization: Bearer` token.
    pub bearer: Option<String>,
    /// The `device_id` header.
    pub device_header: Option<String>,
    /// The `refresh_token` cookie.
    pub refresh_cookie: Option<String>,
    /// `organization_id` from the body (read with `sign_up_needs_organization` and
    /// `token_login_needs_organization`).
    pub organization_id: Option<String>,
}

/// A successful `POST /login`: the reply and, for password and refresh logins, the new
/// refresh token to set as a cookie.
#[derive(Clone, Debug)]
pub struct LoginOutcome {
    /// The body: `user`, `access_token`, `expired_at` (ms since the epoch).
    pub reply: LoginReply,
    /// The refresh token for the `refresh_token` cookie; `None` for an access-token login.
    pub refresh_token: Option<String>,
}

fn nonblank(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl Store {
    /// `POST /login` (NOTES.md S6): login and password, else the bearer token, else the
    /// refresh cookie.
    pub fn http_login(&mut self, now: OffsetDateTime, input: HttpLogin) -> Result<LoginOutcome, SamaError> {
        let now = self.tick(now);
        let device = if self.config.on(Switch::LoginDeviceIdInBodyOnly) {
            nonblank(input.body.device_id)
                .ok_or_else(|| SamaError::new(Status::Unprocessable, "'device_id' is required."))?
        } else {
            nonblank(input.body.device_id).or_else(|| nonblank(input.device_header)).ok_or_else(|| {
                SamaError::new(Status::Unprocessable, "device_id is required (body or header)")
            })?
        };
        let login = nonblank(input.body.login);
        let organization = nonblank(input.organization_id);
        let (user, refresh) = match (login, input.body.password, nonblank(input.bearer)) {
            (Some(_), Some(_), _) if self.config.broken(super::breakage::Breakage::PasswordLoginRefused) => {
                return fail(Status::Unauthorized, "wrong login or password");
            }
            (Some(login), Some(password), _) => {
                let user = self.check_password(&login, &password)?;
                if self.config.on(Switch::SignUpNeedsOrganization) {
                    self.check_organization(&user, organization.as_deref())?;
                }
                (user, true)
            }
            (Some(_), None, _) | (None, Some(_), _) => {
                return fail(Status::Unprocessable, "login and password go together; give both");
            }
            (None, None, Some(token)) => {
                let user = self.check_token(now, &token, TokenKind::Access)?;
                if self.config.on(Switch::TokenLoginNeedsOrganization) {
                    self.check_organization(&user, organization.as_deref())?;
                }
                (user, false)
            }
            (None, None, None) => match nonblank(input.refresh_cookie) {
                Some(token) => {
                    let user = self.check_token(now, &token, TokenKind::Refresh)?;
                    if self.config.on(Switch::TokenLoginNeedsOrganization) {
                        self.check_organization(&user, organization.as_deref())?;
                    }
                    // A refresh token is spent by use; the reply's cookie carries the next.
                    self.tokens.remove(&token);
                    (user, true)
                }
                None => {
                    return fail(
                        Status::Unauthorized,
                        "give login and password, an access token (Authorization: Bearer) or the refresh_token cookie",
                    );
                }
            },
        };
        let (access_token, expired_at) = self.issue_access(now, &user, &device);
        let refresh_token = refresh.then(|| self.issue_refresh(now, &user, &device));
        let u = self.user(&user)?;
        Ok(LoginOutcome {
            reply: LoginReply { user: self.user_view(u), access_token, expired_at },
            refresh_token,
        })
    }

    /// `POST /logout` (NOTES.md S9): revokes the bearer token and the refresh token, and
    /// unlinks the device's socket.
    pub fn http_logout(
        &mut self,
        now: OffsetDateTime,
        bearer: Option<String>,
        refresh_cookie: Option<String>,
    ) -> Result<(), SamaError> {
        let now = self.tick(now);
        let Some(bearer) = nonblank(bearer) else {
            return fail(
                Status::Unauthorized,
                "POST /logout needs the access token in Authorization: Bearer",
            );
        };
        self.check_token(now, &bearer, TokenKind::Access)?;
        let Some(token) = self.tokens.get(&bearer).cloned() else {
            return fail(Status::Unauthorized, "unknown access token");
        };
        let cookie = nonblank(refresh_cookie);
        if self.config.on(Switch::LogoutNeedsRefreshCookie)
            && !cookie.as_ref().is_some_and(|c| {
                self.tokens.get(c).is_some_and(|t| {
                    t.kind == TokenKind::Refresh && t.user == token.user && t.device == token.device
                })
            })
        {
            return fail(
                Status::Unauthorized,
                "POST /logout needs the refresh_token cookie that /login set for this device; without it, log out with the user_logout request",
            );
        }
        match cookie {
            Some(cookie) => {
                if self
                    .tokens
                    .get(&cookie)
                    .is_some_and(|t| t.user == token.user && t.kind == TokenKind::Refresh)
                {
                    self.tokens.remove(&cookie);
                }
            }
            None => self.tokens.retain(|_, t| {
                !(t.kind == TokenKind::Refresh && t.user == token.user && t.device == token.device)
            }),
        }
        self.end_device_session(now, &token.user, &token.device);
        Ok(())
    }

    fn check_password(&self, login: &str, password: &str) -> Result<String, SamaError> {
        match self.logins.get(&login.to_lowercase()).and_then(|id| self.users.get(id)) {
            Some(u) if u.password == password => Ok(u.id.clone()),
            _ => fail(Status::Unauthorized, "wrong login or password"),
        }
    }

    /// The user an unexpired token of `kind` belongs to.
    fn check_token(&self, now: Millis, token: &str, kind: TokenKind) -> Result<String, SamaError> {
        let what = match kind {
            TokenKind::Access => "access token",
            TokenKind::Refresh => "refresh token",
        };
        match self.tokens.get(token) {
            Some(t) if t.kind == kind && t.expires > now && self.users.contains_key(&t.user) => {
                Ok(t.user.clone())
            }
            Some(t) if t.kind == kind && t.expires <= now => {
                fail(Status::Unauthorized, format!("the {what} has expired"))
            }
            _ => fail(Status::Unauthorized, format!("unknown {what}")),
        }
    }

    /// A new access token for `(user, device)`; the device's previous one stops working.
    pub(crate) fn issue_access(&mut self, now: Millis, user: &str, device: &str) -> (String, Millis) {
        let expires = now.saturating_add(self.config.access_ttl_ms);
        let token = match self.users.get(user).map(|u| u.login.clone()) {
            Some(login) if self.config.on(Switch::JwtAccessTokens) => {
                let jti = self.new_token("");
                let claims = jwt::Claims {
                    user,
                    login: &login,
                    issued_at: now.div_euclid(1000),
                    expires_at: expires.div_euclid(1000),
                    jti: &jti,
                };
                jwt::sign(&self.jwt_secret, &claims)
            }
            _ => self.new_token("at_"),
        };
        let key = (user.to_owned(), device.to_owned());
        if let Some(old) = self.device_access.insert(key, token.clone()) {
            self.tokens.remove(&old);
        }
        self.tokens.insert(
            token.clone(),
            Token { user: user.to_owned(), device: device.to_owned(), kind: TokenKind::Access, expires },
        );
        (token, expires)
    }

    fn issue_refresh(&mut self, now: Millis, user: &str, device: &str) -> String {
        let token = self.new_token("rt_");
        self.tokens.insert(
            token.clone(),
            Token {
                user: user.to_owned(),
                device: device.to_owned(),
                kind: TokenKind::Refresh,
                expires: now.saturating_add(self.config.refresh_ttl_ms),
            },
        );
        token
    }

    /// Revokes the device's tokens and unlinks its sockets.
    fn end_device_session(&mut self, now: Millis, user: &str, device: &str) {
        let key = (user.to_owned(), device.to_owned());
        if let Some(access) = self.device_access.remove(&key) {
            self.tokens.remove(&access);
        }
        for conn in self.device_conns(user, device) {
            self.unlink(now, conn);
        }
    }

    /// `connect: { token, device_id }` (NOTES.md S7).
    pub(crate) fn connect(&mut self, cx: &Ctx, p: ConnectParams) -> Result<Value, SamaError> {
        let user = self.check_token(cx.now, &p.token, TokenKind::Access)?;
        let issued_for = self.tokens.get(&p.token).map(|t| t.device.clone());
        if issued_for.as_deref() != Some(p.device_id.as_str()) {
            return fail(
                Status::Unauthorized,
                format!("the token was issued for another device than {:?}", p.device_id),
            );
        }
        self.link(cx.now, cx.conn, &user, &p.device_id);
        Ok(cx.success())
    }

    /// `user_login: { login, password, device_id }` or `{ token }` (deprecated; S8); the
    /// `organization_id` is read by `sign_up_needs_organization` and
    /// `token_login_needs_organization`.
    pub(crate) fn user_login(
        &mut self,
        cx: &Ctx,
        p: UserLoginParams,
        organization: Option<String>,
    ) -> Result<Value, SamaError> {
        let (user, device) = match (nonblank(p.login), p.password, nonblank(p.token)) {
            (Some(login), Some(password), _) => {
                let user = self.check_password(&login, &password)?;
                let Some(device) = nonblank(p.device_id) else {
                    return fail(Status::Unprocessable, "user_login.device_id is required");
                };
                if self.config.on(Switch::SignUpNeedsOrganization) {
                    self.check_organization(&user, organization.as_deref())?;
                }
                (user, device)
            }
            (None, None, Some(token)) => {
                let user = self.check_token(cx.now, &token, TokenKind::Access)?;
                if self.config.on(Switch::TokenLoginNeedsOrganization) {
                    if nonblank(p.device_id.clone()).is_none() {
                        return fail(Status::Unprocessable, "'device_id' is required.");
                    }
                    self.check_organization(&user, organization.as_deref())?;
                }
                let issued_for = self.tokens.get(&token).map(|t| t.device.clone());
                let device = nonblank(p.device_id).or(issued_for).unwrap_or_default();
                (user, device)
            }
            _ => {
                return fail(
                    Status::Unprocessable,
                    "user_login takes login, password and device_id, or a token",
                );
            }
        };
        let (token, _) = self.issue_access(cx.now, &user, &device);
        self.link(cx.now, cx.conn, &user, &device);
        let u = self.user(&user)?;
        Ok(to_value(&UserLoginReply { id: cx.id.clone(), user: self.user_view(u), token }))
    }

    /// `user_logout: {}`: "hard session cleanup" of the socket's device (S9).
    pub(crate) fn user_logout(&mut self, cx: &Ctx) -> Result<Value, SamaError> {
        let device = self.conns.get(&cx.conn).and_then(|c| c.device.clone()).unwrap_or_default();
        self.tokens.retain(|_, t| !(t.user == cx.me && t.device == device));
        self.end_device_session(cx.now, &cx.me, &device);
        Ok(cx.success())
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/sama/mod.rs) ----
impl Handle<chatspec_specs::sama::auth::Login, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        fail(Status::Unprocessable, http_route(c.name))
    }
}

impl Handle<chatspec_specs::sama::auth::Connect, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.connect(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::auth::UserLogin, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        let organization = c.organization_id();
        self.user_login(c.cx, c.params()?, organization).map(Some)
    }
}

impl Handle<chatspec_specs::sama::auth::Logout, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        fail(Status::Unprocessable, http_route(c.name))
    }
}

impl Handle<chatspec_specs::sama::auth::UserLogout, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.user_logout(c.cx).map(Some)
    }
}

/// `login` and `logout` are HTTP routes, served by `transport.rs` (`POST /login`, `POST
/// /logout`), never inside a frame.
fn http_route(name: &str) -> String {
    format!("{name} is an HTTP route: POST /{name}")
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;
    use serde_json::json;

    #[test]
    fn a_password_login_sets_a_refresh_token_and_a_bearer_login_does_not() {
        let mut f = Fixture::new();
        let (alice, password) = f.user_with_password("alice");
        let out = f
            .store
            .http_login(
                f.now,
                HttpLogin {
                    body: LoginBody {
                        login: Some("alice".into()),
                        password: Some(password),
                        device_id: Some("d1".into()),
                    },
                    ..HttpLogin::default()
                },
            )
            .unwrap();
        assert_eq!(out.reply.user.id, alice);
        assert_eq!(out.reply.expired_at, f.store.last_ms + f.store.config.access_ttl_ms);
        let refresh = out.refresh_token.clone().unwrap();
        let by_bearer = f
            .store
            .http_login(
                f.now,
                HttpLogin {
                    bearer: Some(out.reply.access_token.clone()),
                    device_header: Some("d1".into()),
                    ..HttpLogin::default()
                },
            )
            .unwrap();
        assert!(by_bearer.refresh_token.is_none());
        // The new access token replaced the device's previous one.
        assert!(!f.store.tokens.contains_key(&out.reply.access_token));
        let by_cookie = f
            .store
            .http_login(
                f.now,
                HttpLogin {
                    body: LoginBody { device_id: Some("d1".into()), ..LoginBody::default() },
                    refresh_cookie: Some(refresh.clone()),
                    ..HttpLogin::default()
                },
            )
            .unwrap();
        assert!(by_cookie.refresh_token.is_some());
        // A refresh token works once.
        let again = f.store.http_login(
            f.now,
            HttpLogin {
                body: LoginBody { device_id: Some("d1".into()), ..LoginBody::default() },
                refresh_cookie: Some(refresh),
                ..HttpLogin::default()
            },
        );
        assert_eq!(again.unwrap_err().status, Status::Unauthorized);
    }

    #[test]
    fn login_needs_a_device_and_the_right_password() {
        let mut f = Fixture::new();
        f.user_with_password("bob");
        let no_device = f.store.http_login(
            f.now,
            HttpLogin {
                body: LoginBody { login: Some("bob".into()), password: Some("x".into()), device_id: None },
                ..HttpLogin::default()
            },
        );
        assert_eq!(no_device.unwrap_err().status, Status::Unprocessable);
        let wrong = f.store.http_login(
            f.now,
            HttpLogin {
                body: LoginBody {
                    login: Some("BOB".into()),
                    password: Some("wrong".into()),
                    device_id: Some("d".into()),
                },
                ..HttpLogin::default()
            },
        );
        assert_eq!(wrong.unwrap_err().status, Status::Unauthorized);
    }

    #[test]
    fn tokens_expire_with_the_mock_clock() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        f.advance(3601);
        let conn = f.open();
        let reply =
            f.request(conn, "connect", json!({"token": alice.access_token, "device_id": alice.device_id}));
        assert_eq!(reply["error"]["status"], 401, "{reply}");
        assert!(reply["error"]["message"].as_str().unwrap().contains("expired"));
    }

    #[test]
    fn connect_needs_the_device_the_token_was_issued_for() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let conn = f.open();
        let reply =
            f.request(conn, "connect", json!({"token": alice.access_token, "device_id": "elsewhere"}));
        assert_eq!(reply["error"]["status"], 401, "{reply}");
        let reply =
            f.request(conn, "connect", json!({"token": alice.access_token, "device_id": alice.device_id}));
        assert_eq!(reply["success"], true, "{reply}");
    }

    #[test]
    fn requests_before_connect_get_401_and_the_socket_keeps_working() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let conn = f.open();
        let reply = f.request(conn, "conversation_list", json!({}));
        assert_eq!(reply["error"]["status"], 401);
        f.link(conn, &alice);
        let reply = f.request(conn, "conversation_list", json!({}));
        assert_eq!(reply["conversations"], json!([]));
    }

    #[test]
    fn logout_unlinks_the_socket_and_revokes_the_token() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let conn = f.connect(&alice);
        f.store.http_logout(f.now, Some(alice.access_token.clone()), None).unwrap();
        assert!(!f.store.online(&alice.user.id));
        let reply = f.request(conn, "conversation_list", json!({}));
        assert_eq!(reply["error"]["status"], 401);
        let again = f.store.http_logout(f.now, Some(alice.access_token.clone()), None);
        assert_eq!(again.unwrap_err().status, Status::Unauthorized);
    }

    #[test]
    fn the_deprecated_user_login_links_the_socket() {
        let mut f = Fixture::new();
        let (_, password) = f.user_with_password("carol");
        let conn = f.open();
        let reply = f.request(
            conn,
            "user_login",
            json!({"login": "carol", "password": password, "device_id": "old"}),
        );
        let token = reply["token"].as_str().unwrap().to_owned();
        assert_eq!(reply["user"]["login"], "carol");
        let reply = f.request(conn, "user_logout", json!({}));
        assert_eq!(reply["success"], true);
        let other = f.open();
        let reply = f.request(other, "user_login", json!({"token": token}));
        assert_eq!(reply["error"]["status"], 401, "{reply}");
    }
}
