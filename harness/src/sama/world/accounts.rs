//! Making and connecting SAMA users (seed 003, NOTES.md S4 to S8, S15): the admin API,
//! pre-made accounts or sign-up, `POST /login` and `connect`, with the profile's extra fields
//! where a server needs more than the document's.

use std::collections::BTreeMap;
use std::time::Duration;

use chatspec_specs::sama::auth::{Connect, ConnectParams, LoginBody};
use chatspec_specs::sama::users::{UserCreate, UserCreateParams};
use serde_json::{Value, json};

use super::{Actor, Device};
use crate::sama::SamaWorld;
use crate::sama::driver::{self as driver, Body, Credentials, Reply, SamaReply, Socket};
use crate::target::Provisioning;

/// The rule a sign-up in set-up rests on: `user_create: { login, password }` makes the user.
pub const SIGN_UP_RULE: &str = "S-user-create";

/// The rule a password login rests on: `POST /login` takes `login`, `password` and
/// `device_id`.
pub const PASSWORD_LOGIN_RULE: &str = "S-login-password";

/// The rule the reply of a login rests on: "All variations of the query will have the same
/// response", `{user, access_token, expired_at}`.
pub const LOGIN_REPLY_RULE: &str = "S-login-response";

/// What a new user needs to connect: `(id, login, password, token, device, expired_at)`.
type Credential = (String, String, String, String, String, i64);

/// What a successful password login gave.
pub struct Login {
    /// The user's `_id`.
    pub id: String,
    /// The access token.
    pub token: String,
    /// When the access token expires, in milliseconds.
    pub expired_at: i64,
    /// The refresh-token cookie it set, `name=value`.
    pub cookie: Option<String>,
}

impl SamaWorld {
    /// Makes `name` a user on the target as the profile says and connects its socket.
    pub async fn add_actor(&mut self, name: &str) {
        let mut cookie = None;
        let (id, login, password, token, device, expired_at, socket) = match self
            .ctx
            .target
            .provisioning
            .clone()
        {
            Provisioning::Admin | Provisioning::Command { .. } | Provisioning::Http { .. } => {
                let (id, login, password, token, device, expired_at) = self.provision_by_admin(name).await;
                (id, login, password, token, device, expired_at, None)
            }
            Provisioning::Accounts { .. } => {
                let wait = self.ctx.target.wait(Duration::from_secs(30));
                let Some(account) = self.ctx.checkout_account(wait).await else {
                    self.impossible("the target's pre-made accounts stayed in use: list more accounts in the profile, or run fewer scenarios at once (--concurrency)");
                };
                self.accounts.push(account.clone());
                let device = self.unique("device");
                let login = self.http_login(name, &account.login, &account.password, &device, false).await;
                cookie = login.cookie;
                (login.id, account.login, account.password, login.token, device, login.expired_at, None)
            }
            Provisioning::SignUp { .. } => {
                let (c, socket, set) = self.sign_up(name).await;
                cookie = set;
                (c.0, c.1, c.2, c.3, c.4, c.5, Some(socket))
            }
        };
        let socket = match socket {
            Some(s) => s,
            None => self.open_socket(name).await,
        };
        self.connect_or_fail(&socket, name, &token, &device).await;
        let mut devices = BTreeMap::new();
        devices.insert(
            String::new(),
            Device { device_id: device, token, expired_at, socket: Some(socket), cookie },
        );
        self.actors.insert(name.to_owned(), Actor { id, login, password, devices });
    }

    /// Signs `name` up with `user_create { login, password }` (and the profile's extra fields)
    /// over a new socket, then logs in over HTTP; the socket is not linked yet. Returns the
    /// refresh-token cookie the login set, too.
    pub async fn sign_up(&mut self, name: &str) -> (Credential, Socket, Option<String>) {
        let login = self.unique(name).to_lowercase();
        let password = self.unique("pw");
        let socket = self.open_socket(name).await;
        let params = UserCreateParams {
            login: login.clone(),
            password: password.clone(),
            ..UserCreateParams::default()
        };
        self.note_extras("user_create", false);
        let reply = self.sent(socket.call::<UserCreate>(&params).await);
        // A sign-up the server refuses is S-user-create broken: a scenario of another rule
        // is blocked by it, not failed on its own sentence.
        let body = self.on_rule(SIGN_UP_RULE, || self.ok(&reply));
        let Some(id) = body.pointer("/user/_id").and_then(Value::as_str).map(str::to_owned) else {
            self.fail_hinting_on(
                "S-user-create-reply",
                "user_create returns the new user",
                "{user: {_id, login, ...}}",
                reply.describe(),
                &self.suspects(&reply),
            );
        };
        let device = self.unique("device");
        let got = self.http_login(name, &login, &password, &device, false).await;
        ((id, login, password, got.token, device, got.expired_at), socket, got.cookie)
    }

    async fn provision_by_admin(&self, name: &str) -> Credential {
        let nick = self.unique(name);
        // The admin API, or the team's command or webhook (`mode = "command"` or `"http"`).
        let body = self
            .admin(reqwest::Method::POST, "/_mock/users", Some(json!({"name": nick})), "provisions a user")
            .await;
        let from = if self.ctx.target.admin_url.is_some() {
            "POST /_mock/users"
        } else {
            "the create_user operation"
        };
        self.credential_from(&body, from)
    }

    /// The credential of a `POST /_mock/users` reply (or of the operation standing for it).
    fn credential_from(&self, body: &Value, from: &str) -> Credential {
        let text = |p: &str| body.pointer(p).and_then(Value::as_str).map(str::to_owned);
        match (
            text("/user/_id"),
            text("/login"),
            text("/password"),
            text("/access_token"),
            text("/device_id"),
        ) {
            (Some(id), Some(login), Some(password), Some(token), Some(device)) => {
                let expired_at = body.get("expired_at").and_then(Value::as_i64).unwrap_or(0);
                (id, login, password, token, device, expired_at)
            }
            _ => self.fail(
                "POST /_mock/users returns the user and its credentials",
                "{user, login, password, access_token, device_id}",
                format!("{from}: {body}"),
            ),
        }
    }

    /// `POST /login { login, password, device_id }` (and the profile's extra fields); fails the
    /// step unless it answers the user and an access token. `subject`: the scenario checks this
    /// login (extra fields are then graded as a deviation, and a refusal fails on the
    /// scenario's own sentence); any other login rests on [`PASSWORD_LOGIN_RULE`], and its
    /// reply on [`LOGIN_REPLY_RULE`], so a set-up step that ends on one blocks a scenario of
    /// another rule.
    pub async fn http_login(
        &self,
        who: &str,
        login: &str,
        password: &str,
        device: &str,
        subject: bool,
    ) -> Login {
        let body = LoginBody {
            login: Some(login.to_owned()),
            password: Some(password.to_owned()),
            device_id: Some(device.to_owned()),
        };
        self.note_extras("login", subject);
        let reply = self.post_login(Some(who), Some(Body::typed(&body)), &Credentials::default()).await;
        let b = &reply.body;
        match (
            b.pointer("/user/_id").and_then(Value::as_str),
            b.get("access_token").and_then(Value::as_str),
            b.get("expired_at").and_then(Value::as_i64),
        ) {
            (Some(id), Some(token), Some(exp)) if reply.status == 200 => Login {
                id: id.to_owned(),
                token: token.to_owned(),
                expired_at: exp,
                cookie: driver::refresh_cookie(&reply),
            },
            _ if reply.status != 200 && subject => self.fail(
                "POST /login with login and password succeeds",
                "HTTP 200 {user: {_id, ...}, access_token, expired_at}",
                self.hinted(&reply),
            ),
            _ => self.fail_on_rule(
                if reply.status == 200 { LOGIN_REPLY_RULE } else { PASSWORD_LOGIN_RULE },
                "POST /login with login and password answers {user, access_token, expired_at}",
                "HTTP 200 {user: {_id, ...}, access_token, expired_at}",
                self.hinted(&reply),
            ),
        }
    }

    /// `POST /login` as `who` with `body`: a well-formed body its request schema refuses ends
    /// the scenario as a bug of the suite; a malformed one is sent as written.
    pub async fn post_login(&self, who: Option<&str>, body: Option<Body>, creds: &Credentials<'_>) -> Reply {
        let sent = driver::login(&self.ctx, &self.wire, who, body, creds).await;
        self.sent(sent)
    }

    /// Notes, where a scenario checks call `call` (a request name, or `login` for `POST /login`)
    /// and the profile shapes it (`[extra_fields]`, ...), that it needed fields the document
    /// never mentions: the declared catalogue deviation that covers them
    /// (`sign_up_needs_organization`, `token_login_needs_organization`), if any. The driver
    /// shapes every request; provisioning calls (`subject` false) are never noted.
    pub fn note_extras(&self, call: &str, subject: bool) {
        let shaping = &self.ctx.target.shaping;
        if !subject || !shaping.shapes(call) {
            return;
        }
        use chatspec_specs::sama::compat::Switch;
        let covering: &[Switch] = match call {
            "user_create" => &[Switch::SignUpNeedsOrganization],
            "user_login" | "login" => &[Switch::SignUpNeedsOrganization, Switch::TokenLoginNeedsOrganization],
            _ => &[],
        };
        if let Some(s) = covering.iter().copied().find(|s| self.ctx.target.sama.has(*s)) {
            let added: Vec<&String> = ["*", call]
                .iter()
                .filter_map(|n| shaping.extra_fields.get(*n))
                .flat_map(|m| m.keys())
                .collect();
            self.verdicts.deviation(
                s.name(),
                s.entry(),
                &format!("{call} with the fields the document shows"),
                "the document's fields only",
                &format!("the profile's extra fields {added:?}"),
            );
        }
    }

    /// A realistic phone number unique to the run: `+1 555` and seven digits (E.164, 12 characters).
    pub fn phone(&self) -> String {
        let seed = self.unique("phone");
        format!("+1555{:07}", crc32fast::hash(seed.as_bytes()) % 10_000_000)
    }

    /// Opens a socket for `who`, failing the step if it cannot.
    pub async fn open_socket(&self, who: &str) -> Socket {
        match Socket::open_graded(&self.ctx, &self.wire, &self.verdicts, who).await {
            Ok(s) => s,
            Err(e) => self.fail("a client can open a WebSocket to the server", "an open socket", e),
        }
    }

    /// Sends `connect {token, device_id}` and fails the step unless it succeeds.
    pub async fn connect_or_fail(&self, socket: &Socket, who: &str, token: &str, device: &str) {
        let params = ConnectParams { token: token.to_owned(), device_id: device.to_owned() };
        let reply = self.sent(socket.call::<Connect>(&params).await);
        if !reply.is_ok() || reply.body.get("success") != Some(&Value::Bool(true)) {
            self.fail_hinting_on(
                "S-connect-reply",
                &format!("{who} links a socket with connect"),
                "{response: {id, success: true}}",
                reply.describe(),
                &self.suspects(&reply),
            );
        }
        self.check_violations(&reply);
    }
}
