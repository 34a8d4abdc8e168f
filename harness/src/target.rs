//! What the suite runs against: the embedded mocks or a real server described by a profile.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How the harness gets test users on the target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Provisioning {
    /// `POST {admin_url}/_mock/users {"name"}`, the mock admin API.
    Admin {
        /// Where the admin API lives; defaults to the base URL.
        #[serde(default)]
        admin_url: Option<String>,
    },
    /// Pre-made accounts, checked out one per scenario actor.
    Accounts { accounts: Vec<Account> },
    /// Sign-up through the API's own methods (Unichat: `register`).
    SignUp {
        /// Domain for generated e-mail addresses.
        #[serde(default = "default_signup_domain")]
        email_domain: String,
    },
}

fn default_signup_domain() -> String {
    "chatspec.test".into()
}

/// A pre-made account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// The login (Unichat: the e-mail).
    pub login: String,
    pub password: String,
}

/// A known failure: a scenario a target is known not to pass yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KnownFailureEntry {
    /// The stable scenario id (`unichat/uid/...`).
    pub scenario: String,
    pub reason: String,
    #[serde(default)]
    pub link: Option<String>,
}

/// Everything the harness needs to know about one target, for one API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Shown in reports: `embedded` for the built-in mocks.
    pub name: String,
    /// The API: `unichat`, `sama`, `connectnow`, `onechat`.
    pub api: String,
    /// `http://127.0.0.1:8080`, no trailing slash.
    pub base_url: String,
    /// Path template of a method call; `{method}` is replaced.
    pub method_path: String,
    /// Path template of the SSE stream; `{code}` is replaced.
    pub sse_path: String,
    /// `APP_DOMAIN_TOKEN`.
    pub domain_token: String,
    pub provisioning: Provisioning,
    /// Scales every wait.
    pub timeout_factor: f64,
    /// Whether `POST /_mock/clock/advance` works (edit windows, expiry).
    pub clock_control: bool,
    /// The edit window, when the target documents it.
    pub edit_window_seconds: Option<u64>,
    /// Method names the target uses instead of the mock's (`invite` -> `invite_users`).
    pub method_names: BTreeMap<String, String>,
    /// Error codes the target uses instead of the mock's (`access_denied` -> `forbidden`).
    pub error_codes: BTreeMap<String, String>,
    pub known_failures: Vec<KnownFailureEntry>,
}

impl Target {
    /// The embedded Unichat mock at `base_url`.
    pub fn embedded_unichat(base_url: String) -> Target {
        Target {
            name: "embedded".into(),
            api: "unichat".into(),
            base_url,
            method_path: "/api/{method}".into(),
            sse_path: "/sse/{code}".into(),
            domain_token: "test_token1".into(),
            provisioning: Provisioning::Admin { admin_url: None },
            timeout_factor: 1.0,
            clock_control: true,
            edit_window_seconds: Some(24 * 3600),
            method_names: BTreeMap::new(),
            error_codes: BTreeMap::new(),
            known_failures: Vec::new(),
        }
    }

    /// `base` scaled by the timeout factor.
    pub fn wait(&self, base: Duration) -> Duration {
        base.mul_f64(self.timeout_factor.max(0.01))
    }

    /// The URL of method `method`, after renaming.
    pub fn method_url(&self, method: &str) -> String {
        let name = self.method_names.get(method).map_or(method, String::as_str);
        format!(
            "{}{}",
            self.base_url,
            self.method_path.replace("{method}", name)
        )
    }

    /// The SSE URL for `code`.
    pub fn sse_url(&self, code: &str) -> String {
        format!("{}{}", self.base_url, self.sse_path.replace("{code}", code))
    }

    /// The error code the target uses for the mock's `code`.
    pub fn error_code<'a>(&'a self, code: &'a str) -> &'a str {
        self.error_codes.get(code).map_or(code, String::as_str)
    }

    /// The admin API's base URL, when users are provisioned through it.
    pub fn admin_url(&self) -> Option<String> {
        match &self.provisioning {
            Provisioning::Admin { admin_url } => {
                Some(admin_url.clone().unwrap_or_else(|| self.base_url.clone()))
            }
            _ => None,
        }
    }
}
