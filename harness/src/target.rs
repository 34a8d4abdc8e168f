//! What the suite runs against: the embedded mocks, or a real server described by a target
//! profile (TOML, read in `profile`; `chatspec init-target` writes one of the commented
//! `examples`).

mod error;
mod examples;
pub mod operations;
mod preflight;
mod profile;
mod sama;
pub mod shaping;

pub use error::{LoadError, ProfileError};
pub use examples::{EXAMPLE_CONNECTNOW, EXAMPLE_ONECHAT, EXAMPLE_UNICHAT, example};
pub use preflight::{MissingProgram, Unreachable, preflight};

/// The pre-flight check of `provisioning.commands` ([`preflight::commands`]).
pub use preflight::commands as preflight_commands;
pub use sama::{EXAMPLE_SAMA, SamaSectionError, SamaTarget};
pub use shaping::{Shaping, ShapingError, Vars};

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A run of pre-made accounts whose selected scenarios need more users at once than the
/// profile lists.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "provisioning.accounts lists {listed} accounts; {short} of the {selected} selected scenarios need more, up to {most} at once ({scenario}): list at least {most} accounts, or select fewer scenarios (--area, --scenario)"
)]
pub struct TooFewAccounts {
    /// Accounts the profile lists.
    pub listed: usize,
    /// Selected scenarios that need more users than that.
    pub short: usize,
    /// Scenarios selected.
    pub selected: usize,
    /// The most users one scenario needs at once.
    pub most: usize,
    /// The id of that scenario.
    pub scenario: String,
}

/// Refuses at once a run of pre-made accounts that cannot hold the selected scenarios'
/// users: the error names the scenario that needs the most and how many accounts it needs.
/// Returns how many scenarios can run at once without waiting for an account.
pub fn provisioning_check(
    target: &Target,
    selection: &[crate::suites::Entry],
) -> Result<Option<usize>, TooFewAccounts> {
    let Provisioning::Accounts { accounts } = &target.provisioning else {
        return Ok(None);
    };
    let Some(most) = selection.iter().max_by_key(|e| e.users) else {
        return Ok(None);
    };
    if most.users > accounts.len() {
        return Err(TooFewAccounts {
            listed: accounts.len(),
            short: selection.iter().filter(|e| e.users > accounts.len()).count(),
            selected: selection.len(),
            most: most.users,
            scenario: most.id.clone(),
        });
    }
    Ok(Some((accounts.len() / most.users.max(1)).max(1)))
}

/// How the harness gets test users on the target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum Provisioning {
    /// `POST {admin.url}/_mock/users {"name"}`: the mock admin API.
    Admin,
    /// Pre-made accounts, checked out one per scenario actor and logged in through the API.
    Accounts {
        /// The accounts, in the order they are handed out.
        accounts: Vec<Account>,
    },
    /// Sign-up through the API's own methods (Unichat: `register`).
    #[serde(rename = "signup")]
    SignUp {
        /// Domain for generated e-mail addresses.
        #[serde(default = "default_signup_domain")]
        email_domain: String,
    },
    /// Commands the team writes, by operation (`operations.rs`): run without a shell, the
    /// request's fields in place of `{field}` and the request as JSON on stdin; stdout is
    /// one JSON value, the reply.
    Command {
        /// The command line of each operation the target offers (`create_user = "..."`).
        commands: BTreeMap<String, operations::CommandLine>,
        /// How long one command may take.
        #[serde(default = "default_operation_timeout")]
        timeout_seconds: u64,
    },
    /// Webhooks of the team's test build, by operation: `POST` of the request as JSON, the
    /// reply as JSON.
    Http {
        /// The URL of each operation the target offers; `{field}` placeholders are filled.
        webhooks: BTreeMap<String, String>,
        /// How long one call may take.
        #[serde(default = "default_operation_timeout")]
        timeout_seconds: u64,
    },
}

impl Provisioning {
    /// The mode as the profile names it (`provisioning.mode`).
    pub fn mode(&self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Accounts { .. } => "accounts",
            Self::SignUp { .. } => "signup",
            Self::Command { .. } => "command",
            Self::Http { .. } => "http",
        }
    }

    /// Whether users come from admin operations (the admin API, commands or webhooks).
    pub fn by_operations(&self) -> bool {
        matches!(self, Provisioning::Admin | Provisioning::Command { .. } | Provisioning::Http { .. })
    }

    /// Whether the profile maps `op` to a command or webhook (`None`: the mode has no table).
    pub fn offers(&self, op: operations::Operation) -> Option<bool> {
        match self {
            Provisioning::Command { commands, .. } => Some(commands.contains_key(op.name())),
            Provisioning::Http { webhooks, .. } => Some(webhooks.contains_key(op.name())),
            _ => None,
        }
    }
}

/// How long one provisioning command or webhook call may take when the profile does not say
/// (`[provisioning] timeout_seconds`); not scaled by `timeout_factor`.
pub const DEFAULT_OPERATION_TIMEOUT_SECONDS: u64 = 30;

fn default_operation_timeout() -> u64 {
    DEFAULT_OPERATION_TIMEOUT_SECONDS
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
    /// The account's password.
    pub password: String,
}

/// A known failure: a scenario a target is known not to pass yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownFailureEntry {
    /// The stable scenario id, as in the reports (`unichat/uid/...`).
    pub scenario: String,
    /// Why the target fails it (shown in the reports).
    pub reason: String,
    /// A link to the tracker issue, if any.
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
    /// How the harness gets test users on the target.
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
    /// Scenarios the target is known to fail: they end as expected failures.
    pub known_failures: Vec<KnownFailureEntry>,
    /// A URL answering the target's version (JSON with `version`, or plain text).
    pub version_url: Option<String>,
    /// Extra, omitted and renamed fields and headers the server needs (`shaping.rs`).
    pub shaping: Shaping,
    /// Without clock control, how long a scenario may wait in real time for the server's
    /// clock to pass a time the scenario needs (0: never; such scenarios are impossible).
    pub max_real_time_wait_seconds: u64,
    /// The folder of the profile file: commands run there (`None`: the current folder).
    pub profile_dir: Option<std::path::PathBuf>,
    /// Where chatspec's SMTP sink listens (`[smtp] listen`); the server's e-mail is read
    /// from it instead of the outbox.
    pub smtp_listen: Option<std::net::SocketAddr>,
    /// How the connectnow suite reaches the target.
    pub connectnow: ConnectNowSettings,
    /// How the OneChat suite reaches the target.
    pub onechat: OneChatSettings,
    /// Where and how the SAMA protocol is served (seed 003).
    pub sama: SamaTarget,
}

/// What the connectnow suite needs to know about a target (seed 002).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectNowSettings {
    /// Path templates, by route name, where the target differs from the seed (NOTES.md C2:
    /// `get_token` and `share` have no `/api` prefix in the seed).
    pub paths: BTreeMap<String, String>,
    /// The route that e-mails an auth code to whoever knows the chat password, when the
    /// target has one (NOTES.md C12); `{chat-id}` is replaced.
    pub request_code_path: Option<String>,
    /// The body field that carries a message's text (NOTES.md C14).
    pub message_field: String,
    /// How long an auth code stays valid, when the target documents it (NOTES.md C12).
    pub auth_code_ttl_seconds: Option<u64>,
}

impl Default for ConnectNowSettings {
    fn default() -> Self {
        ConnectNowSettings {
            paths: BTreeMap::new(),
            request_code_path: None,
            message_field: "message".into(),
            auth_code_ttl_seconds: None,
        }
    }
}

/// What the OneChat suite needs to know about a target (seed 004).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OneChatSettings {
    /// Where the calls live: `{path_prefix}/massBroadcast`, ... (no trailing slash).
    pub path_prefix: String,
    /// Call names the target uses instead of the seed's (NOTES.md O2: `authenticateUser` is
    /// given the URL of `registerMiniApp`).
    pub call_names: BTreeMap<String, String>,
    /// Where the browser libraries (`ocwp`, `OC`) come from and how their pages are driven.
    pub libraries: LibrarySettings,
}

impl Default for OneChatSettings {
    fn default() -> Self {
        OneChatSettings {
            path_prefix: "/onechat/api".into(),
            call_names: BTreeMap::new(),
            libraries: LibrarySettings::default(),
        }
    }
}

/// Where the OneChat browser libraries are loaded from (NOTES.md O15, O16), and the page
/// elements the suite clicks and reads (O19, O20, O22). By default: the target's own copies
/// (`{base_url}/ocwp.js`, `{base_url}/oc.js?jid={jid}`) and the reference copies' elements.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LibrarySettings {
    /// The URL of `ocwp`; `None`: `{base_url}/ocwp.js`.
    pub ocwp_url: Option<String>,
    /// The URL of `OC` for the page's user, `{jid}` replaced by its jid (URL-encoded); `None`:
    /// `{base_url}/oc.js?jid={jid}`.
    pub oc_url: Option<String>,
    /// The element of a group's chat box, `{jid}` replaced by the group's jid.
    pub chat_box_selector: String,
    /// The element that picks the contact `{jid}` in the contacts selector.
    pub contact_selector: String,
    /// The selector's button that confirms the selection.
    pub done_selector: String,
    /// The selector's button that cancels it.
    pub cancel_selector: String,
}

impl Default for LibrarySettings {
    fn default() -> Self {
        LibrarySettings {
            ocwp_url: None,
            oc_url: None,
            chat_box_selector: "[data-ocwp-chat=\"{jid}\"]".into(),
            contact_selector: "[data-oc-contact=\"{jid}\"]".into(),
            done_selector: "[data-oc-action=\"done\"]".into(),
            cancel_selector: "[data-oc-action=\"cancel\"]".into(),
        }
    }
}

impl LibrarySettings {
    /// Whether the suite loads the target's own copies of the libraries (no URL set).
    pub fn from_target(&self) -> bool {
        self.ocwp_url.is_none() && self.oc_url.is_none()
    }
}

impl Target {
    /// The embedded Unichat mock at `base_url`.
    pub fn embedded_unichat(base_url: String) -> Target {
        Target::embedded("unichat", base_url)
    }

    /// The embedded mock of `api` at `base_url`.
    pub fn embedded(api: &str, base_url: String) -> Target {
        let sama_base = base_url.clone();
        Target {
            name: "embedded".into(),
            api: api.into(),
            admin_url: Some(base_url.clone()),
            base_url,
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
            shaping: Shaping::default(),
            max_real_time_wait_seconds: 0,
            profile_dir: None,
            smtp_listen: None,
            connectnow: ConnectNowSettings {
                request_code_path: Some("/chats/{chat-id}/users/request-code".into()),
                auth_code_ttl_seconds: Some(600),
                ..ConnectNowSettings::default()
            },
            onechat: OneChatSettings::default(),
            sama: SamaTarget::at(&sama_base),
        }
    }

    /// The scenarios expected to fail: the profile's known failures. (Declared SAMA deviations
    /// are adapters, not expected failures: see `crate::deviations`.)
    pub fn expected_failures(&self) -> Vec<KnownFailureEntry> {
        self.known_failures.clone()
    }

    /// Each `known_failures` entry that names a Scenario Outline's base id replaced by one
    /// entry per row of the outline, with the same reason and link
    /// ([`crate::suites::expand_ids`]); the other entries stay as they are.
    pub fn expand_known_failures(&mut self, entries: &[crate::suites::Entry]) {
        self.known_failures = std::mem::take(&mut self.known_failures)
            .into_iter()
            .flat_map(|k| {
                crate::suites::expand_ids(std::slice::from_ref(&k.scenario), entries)
                    .into_iter()
                    .map(move |scenario| KnownFailureEntry { scenario, ..k.clone() })
            })
            .collect();
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

    /// Reads and checks a profile file: [`LoadError::Read`] when it cannot be read,
    /// [`LoadError::Profile`] (the path and the [`ProfileError`]) when it is refused.
    pub fn load(path: &Path) -> Result<Target, LoadError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| LoadError::Read { path: path.to_path_buf(), source })?;
        let mut target =
            Target::parse(&text).map_err(|source| LoadError::Profile { path: path.to_path_buf(), source })?;
        target.profile_dir = Some(match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        });
        Ok(target)
    }

    /// Whether the target offers admin operations at all: the admin API, commands or
    /// webhooks.
    pub fn offers_admin(&self) -> bool {
        self.admin_url.is_some()
            || matches!(self.provisioning, Provisioning::Command { .. } | Provisioning::Http { .. })
    }

    /// Parses and checks a profile; a refusal is a [`ProfileError`] naming the field.
    pub fn parse(text: &str) -> Result<Target, ProfileError> {
        profile::parse(text)
    }

    /// The URL of connectnow route `route`: its seed path, or the profile's override of it;
    /// `{...}` placeholders are replaced by `ids` in order.
    pub fn connectnow_url(&self, route: chatspec_specs::connectnow::Route, ids: &[u64]) -> String {
        let template = self.connectnow.paths.get(route.name()).map_or(route.meta().path, String::as_str);
        format!("{}{}", self.base_url, fill_placeholders(template, ids))
    }

    /// The URL of the `ocwp` library.
    pub fn ocwp_url(&self) -> String {
        self.onechat.libraries.ocwp_url.clone().unwrap_or_else(|| format!("{}/ocwp.js", self.base_url))
    }

    /// The URL of the `OC` library for the user `jid`.
    pub fn oc_url(&self, jid: &str) -> String {
        let encoded: String = form_urlencoded::byte_serialize(jid.as_bytes()).collect();
        match &self.onechat.libraries.oc_url {
            Some(template) => template.replace("{jid}", &encoded),
            None => format!("{}/oc.js?jid={encoded}", self.base_url),
        }
    }

    /// The URL of the OneChat call `call` (the seed's name, e.g. `massBroadcast`).
    pub fn onechat_url(&self, call: &str) -> String {
        let name = self.onechat.call_names.get(call).map_or(call, String::as_str);
        format!("{}{}/{name}", self.base_url, self.onechat.path_prefix)
    }
}

/// Replaces each `{...}` of `template` by the next of `ids`; a placeholder without an id
/// stays as it is, so the URL shows what was missing.
pub fn fill_placeholders(template: &str, ids: &[u64]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut ids = ids.iter();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        out.push_str(&rest[..start]);
        match ids.next() {
            Some(id) => out.push_str(&id.to_string()),
            None => out.push_str(&rest[start..=start + len]),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The `{...}` placeholders of a path template, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        out.push(&rest[start..=start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_in_order() {
        let t = "/api/chats/{chat-id}/users/{chat-user-id}";
        assert_eq!(placeholders(t), ["{chat-id}", "{chat-user-id}"]);
        assert_eq!(fill_placeholders(t, &[3, 9]), "/api/chats/3/users/9");
        assert_eq!(fill_placeholders(t, &[3]), "/api/chats/3/users/{chat-user-id}");
        assert_eq!(fill_placeholders("/api/user", &[1]), "/api/user");
    }
}
