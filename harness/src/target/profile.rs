//! Reading a target profile (TOML) into a [`Target`], with every mistake named by its field.

use std::collections::BTreeMap;

use serde::Deserialize;

use serde_json::{Map, Value};

use super::error::ProfileError;
use super::sama::SamaSection;
use super::shaping::Shaping;
use super::{
    ConnectNowSettings, KnownFailureEntry, LibrarySettings, OneChatSettings, Provisioning, Target,
    placeholders,
};

/// Parses and checks a profile.
pub(super) fn parse(text: &str) -> Result<Target, ProfileError> {
    let p: Profile = toml::from_str(text)?;
    p.into_target()
}

/// The TOML form of a target (see the examples in [`super::examples`]).
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
    /// Refused: grading replaced it (see [`MOCK_READINGS_GONE`]).
    #[serde(default)]
    mock_readings: Option<toml::Value>,
    #[serde(default)]
    unichat: Option<UnichatSection>,
    #[serde(default)]
    connectnow: Option<ConnectNowSection>,
    #[serde(default)]
    onechat: Option<OneChatSection>,
    #[serde(default)]
    sama: Option<SamaSection>,
    provisioning: Provisioning,
    #[serde(default)]
    admin: Option<AdminSection>,
    #[serde(default)]
    known_failures: Vec<KnownFailureEntry>,
    #[serde(default)]
    extra_fields: BTreeMap<String, Map<String, Value>>,
    #[serde(default)]
    omit_fields: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    field_names: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    header_names: BTreeMap<String, String>,
    #[serde(default)]
    max_real_time_wait_seconds: u64,
    #[serde(default)]
    smtp: Option<SmtpSection>,
}

/// `[smtp]`: chatspec's SMTP sink, where the server's e-mail goes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SmtpSection {
    listen: String,
}

/// The names a profile may shape requests by, for `api`: its methods, routes, calls or
/// requests (`target/shaping.rs`).
pub(super) fn request_names(api: &str) -> Vec<&'static str> {
    match api {
        "unichat" => chatspec_specs::unichat::Method::ALL.iter().map(|m| m.name()).collect(),
        "connectnow" => chatspec_specs::connectnow::Route::ALL.iter().map(|r| r.name()).collect(),
        "onechat" => chatspec_specs::onechat::Route::ALL.iter().map(|r| r.call()).collect(),
        "sama" => chatspec_specs::sama::Request::ALL.iter().map(|r| r.name()).collect(),
        _ => Vec::new(),
    }
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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConnectNowSection {
    #[serde(default)]
    paths: BTreeMap<String, String>,
    #[serde(default)]
    request_code_path: Option<String>,
    #[serde(default)]
    message_field: Option<String>,
    #[serde(default)]
    auth_code_ttl_seconds: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OneChatSection {
    #[serde(default)]
    path_prefix: Option<String>,
    #[serde(default)]
    call_names: BTreeMap<String, String>,
    #[serde(default)]
    libraries: Option<LibrariesSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LibrariesSection {
    #[serde(default)]
    ocwp_url: Option<String>,
    #[serde(default)]
    oc_url: Option<String>,
    #[serde(default)]
    chat_box_selector: Option<String>,
    #[serde(default)]
    contact_selector: Option<String>,
    #[serde(default)]
    done_selector: Option<String>,
    #[serde(default)]
    cancel_selector: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdminSection {
    url: Option<String>,
    #[serde(default)]
    clock: bool,
}

/// Why a profile may no longer say `mock_readings`.
pub(super) const MOCK_READINGS_GONE: &str = "mock_readings is no longer a profile field: every check that rests on a reading of the register now runs on every target and, when the target reads the document otherwise, grades the scenario \"pass on a lenient reading\" with the register entry (chatspec check --strict counts those as failures); remove the line";

impl Profile {
    fn into_target(self) -> Result<Target, ProfileError> {
        if self.mock_readings.is_some() {
            return Err(ProfileError::MockReadingsGone);
        }
        if !crate::check::APIS.contains(&self.api.as_str()) {
            return Err(ProfileError::UnknownApi { api: self.api });
        }
        let base_url = check_url("base_url", &self.base_url)?;
        if !(self.timeout_factor > 0.0 && self.timeout_factor <= 100.0) {
            return Err(ProfileError::TimeoutFactor { value: self.timeout_factor });
        }
        if self.name.trim().is_empty() {
            return Err(ProfileError::EmptyName);
        }
        for (section, present) in [
            ("unichat", self.unichat.is_some()),
            ("connectnow", self.connectnow.is_some()),
            ("onechat", self.onechat.is_some()),
        ] {
            if present && section != self.api {
                return Err(ProfileError::ForeignSection { section, api: self.api });
            }
        }
        let admin_url = match &self.admin {
            Some(a) => Some(check_url("admin.url", a.url.as_deref().unwrap_or(&base_url))?),
            None => None,
        };
        super::operations::check_provisioning(&self.api, &self.provisioning)?;
        if self.admin.is_some()
            && matches!(self.provisioning, Provisioning::Command { .. } | Provisioning::Http { .. })
        {
            return Err(ProfileError::AdminOutsideAdminMode);
        }
        let smtp_listen = match &self.smtp {
            Some(s) if self.api != "connectnow" => {
                return Err(ProfileError::SmtpForApi { listen: s.listen.clone(), api: self.api });
            }
            Some(s) => Some(
                s.listen
                    .parse::<std::net::SocketAddr>()
                    .map_err(|_| ProfileError::SmtpListen { listen: s.listen.clone() })?,
            ),
            None => None,
        };
        if matches!(self.provisioning, Provisioning::Admin) && admin_url.is_none() {
            return Err(ProfileError::AdminModeWithoutAdmin);
        }
        if let Provisioning::Accounts { accounts } = &self.provisioning
            && accounts.is_empty()
        {
            return Err(ProfileError::NoAccounts);
        }
        if matches!(self.api.as_str(), "connectnow" | "onechat") && !self.provisioning.by_operations() {
            // Neither API documents a way to make accounts, users or groups (NOTES.md C12,
            // O13, O14): only the admin API, or the team's commands or webhooks, can. Unichat
            // and SAMA can sign users up.
            return Err(ProfileError::ModeCannotProvision { api: self.api });
        }
        let clock_control = self.admin.as_ref().is_some_and(|a| a.clock)
            || self.provisioning.offers(super::operations::Operation::AdvanceClock) == Some(true);
        let u = self.unichat.unwrap_or_default();
        let method_path = u.method_path.unwrap_or_else(|| "/api/{method}".into());
        if !method_path.contains("{method}") {
            return Err(ProfileError::MissingPlaceholder {
                field: "unichat.method_path",
                value: method_path,
                placeholder: "{method}",
            });
        }
        let sse_path = u.sse_path.unwrap_or_else(|| "/sse/{code}".into());
        if !sse_path.contains("{code}") {
            return Err(ProfileError::MissingPlaceholder {
                field: "unichat.sse_path",
                value: sse_path,
                placeholder: "{code}",
            });
        }
        let sse_base_url =
            u.sse_base_url.as_deref().map(|s| check_url("unichat.sse_base_url", s)).transpose()?;
        let connectnow = connectnow_settings(self.connectnow.unwrap_or_default())?;
        let onechat = onechat_settings(self.onechat.unwrap_or_default())?;
        let sama = self.sama.unwrap_or_default().into_target(&base_url)?;
        let shaping = Shaping {
            extra_fields: self.extra_fields,
            omit_fields: self.omit_fields,
            field_names: self.field_names,
            header_names: self.header_names,
        };
        shaping.check(&request_names(&self.api))?;
        Ok(Target {
            name: self.name,
            api: self.api,
            base_url,
            sse_base_url,
            method_path,
            sse_path,
            domain_token: u.domain_token.unwrap_or_else(|| "test_token1".into()),
            provisioning: self.provisioning,
            clock_control,
            admin_url,
            timeout_factor: self.timeout_factor,
            edit_window_seconds: u.edit_window_seconds,
            method_names: u.method_names,
            error_codes: u.error_codes,
            known_failures: self.known_failures,
            version_url: self.version_url,
            shaping,
            max_real_time_wait_seconds: self.max_real_time_wait_seconds,
            profile_dir: None,
            smtp_listen,
            connectnow,
            onechat,
            sama,
        })
    }
}

fn connectnow_settings(s: ConnectNowSection) -> Result<ConnectNowSettings, ProfileError> {
    use chatspec_specs::connectnow::Route;
    for (route, path) in &s.paths {
        let Some(seed) = Route::ALL.iter().find(|r| r.name() == route.as_str()) else {
            return Err(ProfileError::UnknownRoute { route: route.clone() });
        };
        let seed_path = seed.meta().path;
        if !path.starts_with('/') {
            return Err(ProfileError::RoutePathNotAbsolute { route: route.clone(), path: path.clone() });
        }
        if placeholders(path) != placeholders(seed_path) {
            return Err(ProfileError::RoutePlaceholders {
                route: route.clone(),
                path: path.clone(),
                seed_path,
            });
        }
    }
    if let Some(p) = &s.request_code_path
        && (!p.starts_with('/') || placeholders(p) != ["{chat-id}"])
    {
        return Err(ProfileError::RequestCodePath { path: p.clone() });
    }
    let message_field = s.message_field.unwrap_or_else(|| "message".into());
    if message_field.trim().is_empty() {
        return Err(ProfileError::EmptyMessageField);
    }
    if s.auth_code_ttl_seconds == Some(0) {
        return Err(ProfileError::ZeroAuthCodeTtl);
    }
    Ok(ConnectNowSettings {
        paths: s.paths,
        request_code_path: s.request_code_path,
        message_field,
        auth_code_ttl_seconds: s.auth_code_ttl_seconds,
    })
}

fn onechat_settings(s: OneChatSection) -> Result<OneChatSettings, ProfileError> {
    let calls: Vec<&str> = chatspec_specs::onechat::Route::ALL.iter().map(|r| r.call()).collect();
    let path_prefix = s.path_prefix.unwrap_or_else(|| OneChatSettings::default().path_prefix);
    if !(path_prefix.is_empty() || path_prefix.starts_with('/')) || path_prefix.ends_with('/') {
        return Err(ProfileError::PathPrefix { prefix: path_prefix });
    }
    for (call, name) in &s.call_names {
        if !calls.contains(&call.as_str()) {
            return Err(ProfileError::UnknownCall { call: call.clone() });
        }
        if name.is_empty() || name.contains('/') {
            return Err(ProfileError::CallName { call: call.clone(), name: name.clone() });
        }
    }
    let libraries = library_settings(s.libraries.unwrap_or_default())?;
    Ok(OneChatSettings { path_prefix, call_names: s.call_names, libraries })
}

fn library_settings(s: LibrariesSection) -> Result<LibrarySettings, ProfileError> {
    let d = LibrarySettings::default();
    if let Some(u) = &s.ocwp_url {
        check_url("onechat.libraries.ocwp_url", u)?;
    }
    if let Some(u) = &s.oc_url {
        check_url("onechat.libraries.oc_url", &u.replace("{jid}", "x"))?;
        if !u.contains("{jid}") {
            return Err(ProfileError::OcUrlWithoutJid { url: u.clone() });
        }
    }
    let selector = |field: &'static str,
                    given: Option<String>,
                    default: String,
                    needs_jid: bool|
     -> Result<String, ProfileError> {
        let value = given.unwrap_or(default);
        if value.trim().is_empty() || (needs_jid && !value.contains("{jid}")) {
            return Err(ProfileError::Selector { field, value, needs_jid });
        }
        Ok(value)
    };
    Ok(LibrarySettings {
        ocwp_url: s.ocwp_url,
        oc_url: s.oc_url,
        chat_box_selector: selector("chat_box_selector", s.chat_box_selector, d.chat_box_selector, true)?,
        contact_selector: selector("contact_selector", s.contact_selector, d.contact_selector, true)?,
        done_selector: selector("done_selector", s.done_selector, d.done_selector, false)?,
        cancel_selector: selector("cancel_selector", s.cancel_selector, d.cancel_selector, false)?,
    })
}

fn check_url(field: &'static str, url: &str) -> Result<String, ProfileError> {
    let trimmed = url.trim_end_matches('/');
    match reqwest::Url::parse(trimmed) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(trimmed.to_owned()),
        _ => Err(ProfileError::NotHttpUrl { field, value: url.to_owned() }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{EXAMPLE_CONNECTNOW, EXAMPLE_ONECHAT, EXAMPLE_UNICHAT};
    use super::*;

    #[test]
    fn the_example_profiles_parse() {
        let t = Target::parse(EXAMPLE_UNICHAT).unwrap();
        assert_eq!(t.api, "unichat");
        assert_eq!(t.provisioning, Provisioning::Admin);
        assert!(t.clock_control);
        assert_eq!(t.method_url("post_message"), "http://127.0.0.1:8080/api/post_message");

        let t = Target::parse(EXAMPLE_CONNECTNOW).unwrap();
        assert_eq!(t.api, "connectnow");
        assert!(t.clock_control);
        assert_eq!(t.connectnow.auth_code_ttl_seconds, Some(600));
        assert_eq!(
            t.connectnow_url(chatspec_specs::connectnow::Route::GetToken, &[7]),
            "http://127.0.0.1:8080/chats/7/users/get-token"
        );
        assert_eq!(t.connectnow.request_code_path.as_deref(), Some("/chats/{chat-id}/users/request-code"));

        let t = Target::parse(EXAMPLE_ONECHAT).unwrap();
        assert_eq!(t.api, "onechat");
        assert_eq!(t.onechat_url("massBroadcast"), "http://127.0.0.1:8080/onechat/api/massBroadcast");
    }

    #[test]
    fn profiles_move_connectnow_routes_and_rename_onechat_calls() {
        let t = Target::parse(
            "name = \"x\"\napi = \"connectnow\"\nbase_url = \"http://h\"\n[connectnow.paths]\nshare = \"/api/chats/{chat-id}/share\"\n[provisioning]\nmode = \"admin\"\n[admin]\n",
        )
        .unwrap();
        assert_eq!(
            t.connectnow_url(chatspec_specs::connectnow::Route::Share, &[3]),
            "http://h/api/chats/3/share"
        );
        assert_eq!(t.connectnow.request_code_path, None);
        assert!(!t.clock_control);
        let t = Target::parse(
            "name = \"x\"\napi = \"onechat\"\nbase_url = \"http://h/\"\n[onechat]\npath_prefix = \"\"\n[onechat.call_names]\nauthenticateUser = \"registerMiniApp\"\n[provisioning]\nmode = \"admin\"\n[admin]\n",
        )
        .unwrap();
        assert_eq!(t.onechat_url("authenticateUser"), "http://h/registerMiniApp");
        assert_eq!(t.onechat_url("groupMessage"), "http://h/groupMessage");
        assert_eq!(t.ocwp_url(), "http://h/ocwp.js");
        assert_eq!(t.oc_url("a@b.c"), "http://h/oc.js?jid=a%40b.c");
        assert!(t.onechat.libraries.from_target());
        let t = Target::parse(
            "name = \"x\"\napi = \"onechat\"\nbase_url = \"http://h\"\n[onechat.libraries]\nocwp_url = \"https://team.test/build/ocwp.js\"\noc_url = \"https://team.test/build/oc.js?user={jid}\"\n[provisioning]\nmode = \"admin\"\n[admin]\n",
        )
        .unwrap();
        assert_eq!(t.ocwp_url(), "https://team.test/build/ocwp.js");
        assert_eq!(t.oc_url("a@b.c"), "https://team.test/build/oc.js?user=a%40b.c");
        assert!(!t.onechat.libraries.from_target());
    }

    fn err(text: &str) -> String {
        Target::parse(text).unwrap_err().to_string()
    }

    /// `example` with its request-shaping block uncommented.
    fn with_shaping(example: &str) -> String {
        let start = example.find("# Fields your server needs").unwrap();
        let (head, block) = example.split_at(start);
        let block: Vec<String> = block
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest)
                    if rest.starts_with('[')
                        || rest.split_once(" = ").is_some_and(|(k, _)| !k.contains(' ')) =>
                {
                    rest.to_owned()
                }
                _ => l.to_owned(),
            })
            .collect();
        format!("{head}{}\n", block.join("\n"))
    }

    #[test]
    fn the_examples_request_shaping_blocks_parse() {
        for example in [EXAMPLE_UNICHAT, EXAMPLE_CONNECTNOW, EXAMPLE_ONECHAT] {
            let text = with_shaping(example);
            let t = Target::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert!(!t.shaping.is_empty());
            assert_eq!(t.shaping.omit_fields.len(), 1);
        }
    }

    #[test]
    fn profiles_add_omit_and_rename_fields_and_headers() {
        let t = Target::parse(
            "name = \"x\"\napi = \"unichat\"\nbase_url = \"http://h\"\nmax_real_time_wait_seconds = 90\n\
             [extra_fields.register]\norganization_id = \"org-{run}\"\n[extra_fields.provision]\nrole = \"tester\"\n\
             [omit_fields]\n\"*\" = [\"nick\"]\n[field_names.post_message]\ntext = \"body\"\n\
             [header_names]\nAPP_DOMAIN_TOKEN = \"X-App\"\n[provisioning]\nmode = \"signup\"\n",
        )
        .unwrap();
        assert_eq!(t.max_real_time_wait_seconds, 90);
        assert_eq!(t.shaping.extra_fields["register"]["organization_id"], "org-{run}");
        assert_eq!(t.shaping.header("APP_DOMAIN_TOKEN"), "X-App");
        assert!(t.shaping.shapes("post_message") && t.shaping.shapes("get_message"));
        let e = err(
            "name = \"x\"\napi = \"onechat\"\nbase_url = \"http://h\"\n[extra_fields.user_create]\nx = 1\n[provisioning]\nmode = \"admin\"\n[admin]\n",
        );
        assert!(
            e.starts_with("extra_fields.user_create is not a request") && e.contains("massBroadcast"),
            "{e}"
        );
        let e = err(
            "name = \"x\"\napi = \"sama\"\nbase_url = \"http://h\"\n[extra_fields.user_create]\nemail = \"{mail}\"\n[provisioning]\nmode = \"signup\"\n",
        );
        assert!(e.contains("{mail} is not a template"), "{e}");
        let e = err(
            "name = \"x\"\napi = \"unichat\"\nbase_url = \"http://h\"\n[extra_field.register]\nx = 1\n[provisioning]\nmode = \"signup\"\n",
        );
        assert!(e.contains("extra_field"), "{e}");
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

    #[test]
    fn bad_connectnow_and_onechat_profiles_name_the_field() {
        let profile = |api: &str, extra: &str| {
            format!(
                "name = \"x\"\napi = \"{api}\"\nbase_url = \"http://h\"\n{extra}\n[provisioning]\nmode = \"admin\"\n[admin]\n"
            )
        };
        let cases = [
            ("connectnow", "[connectnow.paths]\nshare_it = \"/x\"", "connectnow.paths.share_it"),
            ("connectnow", "[connectnow.paths]\nshare = \"/api/chats/share\"", "placeholders"),
            ("connectnow", "[connectnow.paths]\nshare = \"api/{chat-id}\"", "start with /"),
            ("connectnow", "[connectnow]\nrequest_code_path = \"/code\"", "connectnow.request_code_path"),
            ("connectnow", "[connectnow]\nmessage_field = \"\"", "connectnow.message_field"),
            ("connectnow", "[connectnow]\nauth_code_ttl_seconds = 0", "auth_code_ttl_seconds"),
            ("connectnow", "[connectnow]\nmesage_field = \"text\"", "mesage_field"),
            ("connectnow", "[onechat]\npath_prefix = \"/x\"", "[onechat] section"),
            ("onechat", "[onechat]\npath_prefix = \"api/\"", "onechat.path_prefix"),
            ("onechat", "[onechat.call_names]\nbroadcast = \"x\"", "onechat.call_names.broadcast"),
            ("onechat", "[onechat.call_names]\nsingleMessage = \"a/b\"", "onechat.call_names.singleMessage"),
            ("onechat", "[unichat]\ndomain_token = \"t\"", "[unichat] section"),
            ("onechat", "[onechat.libraries]\nocwp_url = \"ftp://x/ocwp.js\"", "onechat.libraries.ocwp_url"),
            ("onechat", "[onechat.libraries]\noc_url = \"http://x/oc.js\"", "{jid}"),
            ("onechat", "[onechat.libraries]\ncontact_selector = \"li\"", "contact_selector"),
            ("onechat", "[onechat.libraries]\nocwp = \"x\"", "ocwp"),
        ];
        for (api, extra, want) in cases {
            let e = err(&profile(api, extra));
            assert!(e.contains(want), "{extra}: {e}");
        }
        let e = err(
            "name = \"x\"\napi = \"onechat\"\nbase_url = \"http://h\"\n[provisioning]\nmode = \"signup\"\n",
        );
        assert!(e.contains("provisioning.mode"), "{e}");
        for api in ["unichat", "connectnow", "onechat", "sama"] {
            let e = err(&format!(
                "name = \"x\"\napi = \"{api}\"\nbase_url = \"http://h\"\nmock_readings = false\n[provisioning]\nmode = \"admin\"\n[admin]\n"
            ));
            assert!(
                e.starts_with("mock_readings is no longer a profile field") && e.contains("--strict"),
                "{e}"
            );
        }
    }
}
