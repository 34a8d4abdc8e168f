//! Accounts: the public `register(email, password)` and the mock's `login` (the seeds define
//! no login method; NOTES.md U4), and the admin API's provisioning.

use chatspec_specs::endpoint::Handle;
use chatspec_specs::unichat::{
    accounts::{LoginArgs, RegisterArgs},
    envelope::ErrorCode,
};
use serde_json::{Value, json};

use super::endpoint::{Call, Served};
use super::error::{ApiError, fail};
use super::store::{Store, User, to_value};

impl Store {
    pub(crate) fn register(&mut self, args: RegisterArgs) -> Result<Value, ApiError> {
        let email = args.email.trim().to_lowercase();
        if !plausible_email(&email) {
            return fail(ErrorCode::InvalidEmail, format!("{:?} is not an e-mail address", args.email));
        }
        if args.password.is_empty() {
            return fail(ErrorCode::RegistrationError, "the password must not be empty");
        }
        if self.emails.contains_key(&email) {
            return fail(ErrorCode::RegistrationError, format!("{email} is already registered"));
        }
        let nick = args
            .nick
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
        let id = self.add_user(nick, email, args.password);
        Ok(json!({"user": to_value(&self.own_user_view(id))}))
    }

    pub(crate) fn login(&mut self, args: LoginArgs) -> Result<Value, ApiError> {
        let email = args.email.trim().to_lowercase();
        match self.emails.get(&email).and_then(|id| self.users.get(id)) {
            Some(u) if u.password == args.password => {
                let id = u.id;
                Ok(json!({"user": to_value(&self.own_user_view(id))}))
            }
            _ => fail(ErrorCode::LoginError, "wrong e-mail or password"),
        }
    }

    /// Adds a user and returns its id.
    pub(crate) fn add_user(&mut self, nick: String, email: String, password: String) -> u64 {
        let id = self.next("user");
        let auth_token = self.token("uat_");
        self.tokens.insert(auth_token.clone(), id);
        self.emails.insert(email.clone(), id);
        self.users.insert(
            id,
            User { id, nick, email, password, auth_token, status: None, avatar: None, online: false },
        );
        id
    }

    /// Provisions a user for the admin API: the extended chat user record plus its password.
    pub fn provision(&mut self, name: &str) -> Value {
        let n = self.next("provisioned");
        let slug: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
            .collect();
        let email = format!("{slug}-{n}@users.chatspec.test");
        let password = self.token("pw_");
        let id = self.add_user(name.to_owned(), email, password.clone());
        let mut user = to_value(&self.own_user_view(id));
        if let Some(obj) = user.as_object_mut() {
            obj.insert("password".into(), json!(password));
        }
        user
    }
}

fn plausible_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/unichat/mod.rs) ----
impl Handle<chatspec_specs::unichat::accounts::Register, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.register(c.args()?)
    }
}

impl Handle<chatspec_specs::unichat::accounts::Login, Call, Served> for Store {
    fn handle(&mut self, c: Call) -> Served {
        self.login(c.args()?)
    }
}
