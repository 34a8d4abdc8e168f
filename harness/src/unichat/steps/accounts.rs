//! Steps for the users of a scenario and for signing up and in (seed 000, "Authenticating
//! user"; the public fact `register(email, password)` and the mock's `login`, NOTES.md U4).

use chatspec_specs::unichat::{
    accounts::{Login, LoginArgs, Register, RegisterArgs},
    subscriptions::GetSubscriptions,
};
use cucumber::{given, then, when};
use serde_json::Value;

use crate::kit::prose::names;
use crate::unichat::UnichatWorld;

/// `Given the users Alice, Bob and Carol`: each is made a user on the target the way its
/// profile says, with its event stream open.
#[given(regex = r"^the users (.+)$")]
async fn the_users(w: &mut UnichatWorld, list: String) {
    for name in names(&list) {
        w.add_actor(&name).await;
    }
}

impl UnichatWorld {
    /// Registers `email` with a fresh password, remembered for the login steps.
    async fn register(&mut self, email: String) {
        let password = self.unique("pw");
        self.signup = Some((email.clone(), password.clone()));
        self.call_with_token::<Register>(None, None, RegisterArgs { email, password, nick: None }).await;
    }

    /// An e-mail address no other scenario uses.
    fn fresh_email(&self) -> String {
        format!("{}@chatspec.test", self.unique("new").to_lowercase())
    }

    /// The credentials of the sign-up scenario's user.
    fn signed_up(&self) -> (String, String) {
        match self.signup.clone() {
            Some(credentials) => credentials,
            None => panic!("nobody registered before this step"),
        }
    }
}

#[when("a new user registers with a fresh e-mail address")]
async fn registers_fresh(w: &mut UnichatWorld) {
    let email = w.fresh_email();
    w.register(email).await;
}

#[given("a new user has registered with a fresh e-mail address")]
async fn has_registered(w: &mut UnichatWorld) {
    let email = w.fresh_email();
    w.register(email).await;
    let reply = w.last().clone();
    w.set_up_ok("U-fact-register", &reply);
}

#[when(regex = r#"^a new user registers with the e-mail "(.*)"$"#)]
async fn registers_with(w: &mut UnichatWorld, email: String) {
    w.register(email).await;
}

#[when("a new user registers with the same e-mail address")]
async fn registers_same(w: &mut UnichatWorld) {
    let (email, _) = w.signed_up();
    w.register(email).await;
}

#[when(regex = r"^the user logs in with (the right|a wrong) password$")]
async fn logs_in(w: &mut UnichatWorld, which: String) {
    let (email, password) = w.signed_up();
    let password = if which == "the right" { password } else { format!("{password}-wrong") };
    w.call_with_token::<Login>(None, None, LoginArgs { email, password }).await;
}

#[then("the reply's user carries an auth_token that works for get_subscriptions")]
async fn token_works(w: &mut UnichatWorld) {
    let body = w.last_ok();
    let Some(token) = body.pointer("/user/auth_token").and_then(Value::as_str) else {
        w.fail("the extended chat user record includes auth_token", "user.auth_token", body);
    };
    let check = w.call_with_token::<GetSubscriptions>(None, Some(token), Default::default()).await;
    w.ok(&check);
}
