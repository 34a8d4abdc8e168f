//! What the suite runs against: the embedded mocks, or a real server described by a target
//! profile (TOML; `chatspec init-target` writes a commented example).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

mod sama;

use sama::SamaSection;
pub use sama::{EXAMPLE_SAMA, SamaTarget};

/// How the harness gets test users on the target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum Provisioning {
    /// `POST {admin.url}/_mock/users {"name"}`: the mock admin API.
    Admin,
    /// Pre-made accounts, checked out one per scenario actor and logged in through the API.
    Accounts { accounts: Vec<Account> },
    /// Sign-up through the API's own methods (Unichat: `register`).
    #[serde(rename = "signup")]
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
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The login (Unichat: the e-mail).
    pub login: String,
    pub password: String,
}

/// A known failure: a scenario a target is known not to pass yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownFailureEntry {
    /// The stable scenario id, as in the reports (`unichat/uid/...`).
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
    /// The API: `unichat`, ...
    pub api: String,
    /// `http://127.0.0.1:8080`, no trailing slash.
    pub base_url: String,
    /// Where event streams live, when not at `base_url`.
    pub sse_base_url: Option<String>,
    /// Path template of a method call; `{method}` is replaced.
    pub method_path: String,
    /// Path template of the SSE stream; `{code}` is replaced.
    pub sse_path: String,
    /// `APP_DOMAIN_TOKEN`.
    pub domain_token: String,
    pub provisioning: Provisioning,
    /// The mock admin API (`/_mock/...`), when the target serves one.
    pub admin_url: Option<String>,
    /// Whether `POST {admin_url}/_mock/clock/advance` moves the server's clock.
    pub clock_control: bool,
    /// Scales every wait.
    pub timeout_factor: f64,
    /// The edit window, when the target documents it.
    pub edit_window_seconds: Option<u64>,
    /// Method names the target uses instead of the mock's (`invite` -> `invite_users`).
    pub method_names: BTreeMap<String, String>,
    /// Error codes the target uses instead of the mock's (`access_denied` -> `forbidden`).
    pub error_codes: BTreeMap<String, String>,
    pub known_failures: Vec<KnownFailureEntry>,
    /// A URL answering the target's version (JSON with `version`, or plain text).
    pub version_url: Option<String>,
    /// Where and how the SAMA protocol is served (seed 003).
    pub sama: SamaTarget,
}

impl Target {
    /// The embedded Unichat mock at `base_url`.
    pub fn embedded_unichat(base_url: String) -> Target {
        Target::embedded("unichat", base_url)
    }

    /// The embedded mock of `api` at `base_url`.
    pub fn embedded(api: &str, base_url: String) -> Target {
        Target {
            name: "embedded".into(),
            api: api.into(),
            admin_url: Some(base_url.clone()),
            base_url: base_url.clone(),
            sse_base_url: None,
            method_path: "/api/{method}".into(),
            sse_path: "/sse/{code}".into(),
            domain_token: "test_token1".into(),
            provisioning: Provisioning::Admin,
            clock_control: true,
            timeout_factor: 1.0,
            edit_window_seconds: Some(24 * 3600),
            method_names: BTreeMap::new(),
            error_codes: BTreeMap::new(),
            known_failures: Vec::new(),
            version_url: None,
            sama: SamaTarget::at(&base_url),
        }
    }

    /// The scenarios expected to fail: the profile's known failures, then those its declared
    /// deviations stand for (a scenario listed in both keeps the profile's entry).
    pub fn expected_failures(&self) -> Vec<KnownFailureEntry> {
        let mut out = self.known_failures.clone();
        for d in &self.sama.deviations {
            for k in d.known_failures() {
                if !out.iter().any(|o| o.scenario == k.scenario) {
                    out.push(k);
                }
            }
        }
        out
    }

    /// `base` scaled by the timeout factor.
    pub fn wait(&self, base: Duration) -> Duration {
        base.mul_f64(self.timeout_factor.max(0.01))
    }

    /// The URL of method `method`, after renaming.
    pub fn method_url(&self, method: &str) -> String {
        let name = self.method_names.get(method).map_or(method, String::as_str);
        format!("{}{}", self.base_url, self.method_path.replace("{method}", name))
    }

    /// The SSE URL for `code`.
    pub fn sse_url(&self, code: &str) -> String {
        let base = self.sse_base_url.as_deref().unwrap_or(&self.base_url);
        format!("{base}{}", self.sse_path.replace("{code}", code))
    }

    /// The error code the target uses for the mock's `code`.
    pub fn error_code<'a>(&'a self, code: &'a str) -> &'a str {
        self.error_codes.get(code).map_or(code, String::as_str)
    }

    /// Reads and checks a profile file.
    pub fn load(path: &Path) -> Result<Target, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the target profile {}: {e}", path.display()))?;
        Target::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses and checks a profile.
    pub fn parse(text: &str) -> Result<Target, String> {
        let p: Profile = toml::from_str(text)
            .map_err(|e| format!("invalid target profile: {}", e.to_string().trim_end()))?;
        p.into_target()
    }
}

/// The TOML form of a target (see [`EXAMPLE_UNICHAT`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    name: String,
    api: String,
    base_url: String,
    #[serde(default = "one")]
    timeout_factor: f64,
    #[serde(default)]
    version_url: Option<String>,
    #[serde(default)]
    unichat: Option<UnichatSection>,
    #[serde(default)]
    sama: Option<SamaSection>,
    provisioning: Provisioning,
    #[serde(default)]
    admin: Option<AdminSection>,
    #[serde(default)]
    known_failures: Vec<KnownFailureEntry>,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnichatSection {
    #[serde(default)]
    method_path: Option<String>,
    #[serde(default)]
    sse_path: Option<String>,
    #[serde(default)]
    sse_base_url: Option<String>,
    #[serde(default)]
    domain_token: Option<String>,
    #[serde(default)]
    edit_window_seconds: Option<u64>,
    #[serde(default)]
    method_names: BTreeMap<String, String>,
    #[serde(default)]
    error_codes: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdminSection {
    url: Option<String>,
    #[serde(default)]
    clock: bool,
}

impl Profile {
    fn into_target(self) -> Result<Target, String> {
        if !crate::check::APIS.contains(&self.api.as_str()) {
            return Err(format!(
                "api = {:?} is not an API chatspec checks; known: {}",
                self.api,
                crate::check::APIS.join(", ")
            ));
        }
        let base_url = check_url("base_url", &self.base_url)?;
        if !(self.timeout_factor > 0.0 && self.timeout_factor <= 100.0) {
            return Err(format!("timeout_factor = {} must be above 0 and at most 100", self.timeout_factor));
        }
        if self.name.trim().is_empty() {
            return Err("name must not be empty".into());
        }
        let u = self.unichat.unwrap_or_default();
        let admin_url = match &self.admin {
            Some(a) => Some(check_url("admin.url", a.url.as_deref().unwrap_or(&base_url))?),
            None => None,
        };
        if matches!(self.provisioning, Provisioning::Admin) && admin_url.is_none() {
            return Err("provisioning.mode = \"admin\" needs an [admin] section (url = the server's /_mock admin API)".into());
        }
        if let Provisioning::Accounts { accounts } = &self.provisioning
            && accounts.is_empty()
        {
            return Err("provisioning.accounts is empty: list the pre-made accounts".into());
        }
        let method_path = u.method_path.unwrap_or_else(|| "/api/{method}".into());
        if !method_path.contains("{method}") {
            return Err(format!("unichat.method_path = {method_path:?} must contain {{method}}"));
        }
        let sse_path = u.sse_path.unwrap_or_else(|| "/sse/{code}".into());
        if !sse_path.contains("{code}") {
            return Err(format!("unichat.sse_path = {sse_path:?} must contain {{code}}"));
        }
        let sse_base_url =
            u.sse_base_url.as_deref().map(|s| check_url("unichat.sse_base_url", s)).transpose()?;
        let sama = self.sama.unwrap_or_default().into_target(&base_url)?;
        Ok(Target {
            name: self.name,
            api: self.api,
            base_url,
            sse_base_url,
            method_path,
            sse_path,
            domain_token: u.domain_token.unwrap_or_else(|| "test_token1".into()),
            provisioning: self.provisioning,
            clock_control: self.admin.as_ref().is_some_and(|a| a.clock),
            admin_url,
            timeout_factor: self.timeout_factor,
            edit_window_seconds: u.edit_window_seconds,
            method_names: u.method_names,
            error_codes: u.error_codes,
            known_failures: self.known_failures,
            version_url: self.version_url,
            sama,
        })
    }
}

fn check_url(field: &str, url: &str) -> Result<String, String> {
    let trimmed = url.trim_end_matches('/');
    match reqwest::Url::parse(trimmed) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(trimmed.to_owned()),
        _ => Err(format!("{field} = {url:?} is not an http(s) URL")),
    }
}

/// A commented example profile for Unichat, written by `chatspec init-target`.
pub const EXAMPLE_UNICHAT: &str = r#"# chatspec target profile: where the Unichat suite runs and how.
# Run it with: chatspec check --target this-file.toml

# Shown in every report.
name = "my-unichat-server"
# The API whose suite runs: unichat.
api = "unichat"
# The server's base URL (no trailing slash).
base_url = "http://127.0.0.1:8080"
# Scales every wait and timeout: 2.0 for a slow server, 0.5 for a fast one.
timeout_factor = 1.0
# Optional: a URL that answers the server's version (JSON {"version": ...} or plain text),
# recorded in conformance.json.
# version_url = "http://127.0.0.1:8080/version"

[unichat]
# Path templates of method calls and of the event stream.
method_path = "/api/{method}"
sse_path = "/sse/{code}"
# Optional: event streams served from another host.
# sse_base_url = "http://127.0.0.1:8081"
# APP_DOMAIN_TOKEN
domain_token = "test_token1"
# The edit window of messages, if your server documents one; without it (or without clock
# control below) the edit-window scenarios are reported as impossible.
edit_window_seconds = 86400

# Method names your server uses where the documents lost them (the reference mock's name on
# the left). See specs/src/unichat/NOTES.md.
[unichat.method_names]
# invite = "invite_to_room"
# update_subscription = "set_subscription"
# login = "login_with_email"

# Error codes your server uses instead of the reference mock's.
[unichat.error_codes]
# access_denied = "forbidden"

# How test users are made. One of:
#   mode = "admin"     POST {admin.url}/_mock/users {"name"}: the chatspec mock admin API
#   mode = "accounts"  pre-made accounts, logged in with login(email, password)
#   mode = "signup"    register(email, password) through the API itself
[provisioning]
mode = "admin"
# mode = "accounts"
# accounts = [
#   { login = "alice@example.com", password = "secret" },
#   { login = "bob@example.com", password = "secret" },
# ]
# mode = "signup"
# email_domain = "chatspec.test"

# The mock admin API, if your server offers one (a test build may).
[admin]
url = "http://127.0.0.1:8080"
# Whether POST /_mock/clock/advance moves the server's clock (edit window scenarios).
clock = true

# Scenarios your server is known to fail, by the ids in the reports. Listed failures are
# reported as expected failures; a listed scenario that passes is an unexpected pass and fails
# the run, so the list stays honest.
# [[known_failures]]
# scenario = "unichat/uid/concurrent-retries-with-the-same-uid-yield-one-message"
# reason = "uid deduplication is not atomic yet"
# link = "https://tracker.example/ISSUE-1"
"#;

/// The example profile for `api`, if there is one.
pub fn example(api: &str) -> Option<&'static str> {
    match api {
        "unichat" => Some(EXAMPLE_UNICHAT),
        "sama" => Some(EXAMPLE_SAMA),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_profile_parses() {
        let t = Target::parse(EXAMPLE_UNICHAT).unwrap();
        assert_eq!(t.api, "unichat");
        assert_eq!(t.provisioning, Provisioning::Admin);
        assert!(t.clock_control);
        assert_eq!(t.method_url("post_message"), "http://127.0.0.1:8080/api/post_message");
    }

    fn err(text: &str) -> String {
        Target::parse(text).unwrap_err()
    }

    #[test]
    fn bad_profiles_name_the_field() {
        let e = err("name = \"x\"\napi = \"unichat\"\n[provisioning]\nmode = \"signup\"\n");
        assert!(e.contains("base_url"), "{e}");
        let e = err(
            "name = \"x\"\napi = \"unichat\"\nbase_url = \"http://h\"\ntimeout_factor = \"slow\"\n[provisioning]\nmode = \"signup\"\n",
        );
        assert!(e.contains("timeout_factor"), "{e}");
        let e =
            err("name = \"x\"\napi = \"irc\"\nbase_url = \"http://h\"\n[provisioning]\nmode = \"signup\"\n");
        assert!(e.contains("api = \"irc\""), "{e}");
        let e = err(
            "name = \"x\"\napi = \"unichat\"\nbase_url = \"ftp://h\"\n[provisioning]\nmode = \"signup\"\n",
        );
        assert!(e.contains("base_url"), "{e}");
        let e = err(
            "name = \"x\"\napi = \"unichat\"\nbase_url = \"http://h\"\nbse_url = 1\n[provisioning]\nmode = \"signup\"\n",
        );
        assert!(e.contains("bse_url"), "{e}");
        let e = err(
            "name = \"x\"\napi = \"unichat\"\nbase_url = \"http://h\"\n[provisioning]\nmode = \"admin\"\n",
        );
        assert!(e.contains("[admin]"), "{e}");
        let e = err(
            "name = \"x\"\napi = \"unichat\"\nbase_url = \"http://h\"\n[provisioning]\nmode = \"accounts\"\naccounts = []\n",
        );
        assert!(e.contains("accounts"), "{e}");
        let e = err(
            "name = \"x\"\napi = \"unichat\"\nbase_url = \"http://h\"\n[unichat]\nmethod_path = \"/api\"\n[provisioning]\nmode = \"signup\"\n",
        );
        assert!(e.contains("{method}"), "{e}");
    }
}
