//! The `[sama]` section of a target profile (seed 003): the HTTP routes, the socket, the name
//! of the batch contacts request, the server's declared deviations and adapters
//! (`crate::deviations`), and extra fields a server needs in its requests.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::deviations::{self, Adapter, Deviations};
use chatspec_specs::sama::compat::Switch;

/// The placeholders an extra field's value may hold.
pub const PLACEHOLDERS: [&str; 4] = ["{login}", "{device}", "{run}", "{n}"];

/// The SAMA part of a target: the HTTP routes, the socket, and how the server departs from
/// the document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SamaTarget {
    /// The path of `POST /login`.
    pub login_path: String,
    /// The path of `POST /logout`.
    pub logout_path: String,
    /// The WebSocket URL (`ws://` or `wss://`); the seed gives none (NOTES.md S3).
    pub socket_url: String,
    /// The name the batch contacts request is served under (its name was lost; S21).
    pub batch_contacts: String,
    /// Deviations from seed 003 the server is declared to have, and profile adapters.
    pub deviations: Deviations,
    /// Fields the server needs beyond the document's, by request name (`user_create`) or
    /// `/login` for the HTTP login body; string values may hold [`PLACEHOLDERS`].
    pub extra_fields: BTreeMap<String, Map<String, Value>>,
}

/// What an extra field's placeholders stand for in one call.
#[derive(Clone, Debug, Default)]
pub struct Vars<'a> {
    /// `{login}`: the login of the user the call is for.
    pub login: Option<&'a str>,
    /// `{device}`: the device id of the call.
    pub device: Option<&'a str>,
    /// `{run}`: the run id.
    pub run: &'a str,
    /// `{n}`: a number unique to the run.
    pub n: u64,
}

impl SamaTarget {
    /// The mock's layout at `base_url`: `/login`, `/logout`, the socket on `/`.
    pub fn at(base_url: &str) -> SamaTarget {
        SamaTarget {
            login_path: "/login".into(),
            logout_path: "/logout".into(),
            socket_url: socket_url(base_url, "/"),
            batch_contacts: "contact_batch_add".into(),
            deviations: Deviations::default(),
            extra_fields: BTreeMap::new(),
        }
    }

    /// Whether the server is declared to have the catalogue deviation `s`.
    pub fn has(&self, s: Switch) -> bool {
        self.deviations.declares(s)
    }

    /// The extra fields of `call` (a request name or `/login`), placeholders filled.
    pub fn extra(&self, call: &str, vars: &Vars<'_>) -> Map<String, Value> {
        let Some(fields) = self.extra_fields.get(call) else { return Map::new() };
        fields
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Value::String(s) => Value::String(
                        s.replace("{login}", vars.login.unwrap_or_default())
                            .replace("{device}", vars.device.unwrap_or_default())
                            .replace("{run}", vars.run)
                            .replace("{n}", &vars.n.to_string()),
                    ),
                    other => other.clone(),
                };
                (k.clone(), v)
            })
            .collect()
    }
}

/// `http://h:1/x` and `/ws` -> `ws://h:1/ws`.
fn socket_url(base_url: &str, path: &str) -> String {
    let ws = if let Some(rest) = base_url.strip_prefix("https://") {
        format!("wss://{rest}")
    } else {
        format!("ws://{}", base_url.strip_prefix("http://").unwrap_or(base_url))
    };
    format!("{}/{}", ws.trim_end_matches('/'), path.trim_start_matches('/'))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SamaSection {
    #[serde(default)]
    login_path: Option<String>,
    #[serde(default)]
    logout_path: Option<String>,
    #[serde(default)]
    socket_url: Option<String>,
    #[serde(default)]
    socket_path: Option<String>,
    #[serde(default)]
    batch_contacts_request: Option<String>,
    #[serde(default)]
    deviations: Vec<String>,
    #[serde(default)]
    adapters: Vec<Adapter>,
    #[serde(default)]
    extra_fields: BTreeMap<String, Map<String, Value>>,
}

impl SamaSection {
    pub(super) fn into_target(self, base_url: &str) -> Result<SamaTarget, String> {
        let mut t = SamaTarget::at(base_url);
        for (field, value, slot) in [
            ("sama.login_path", self.login_path, &mut t.login_path),
            ("sama.logout_path", self.logout_path, &mut t.logout_path),
        ] {
            if let Some(v) = value {
                if !v.starts_with('/') {
                    return Err(format!("{field} = {v:?} must be a path starting with /"));
                }
                *slot = v;
            }
        }
        t.socket_url = match (self.socket_url, self.socket_path) {
            (Some(_), Some(_)) => {
                return Err("give sama.socket_url or sama.socket_path, not both".into());
            }
            (Some(url), None) => match reqwest::Url::parse(&url) {
                Ok(u) if matches!(u.scheme(), "ws" | "wss") && u.host().is_some() => url,
                _ => return Err(format!("sama.socket_url = {url:?} is not a ws:// or wss:// URL")),
            },
            (None, Some(path)) if path.starts_with('/') => socket_url(base_url, &path),
            (None, Some(path)) => {
                return Err(format!("sama.socket_path = {path:?} must be a path starting with /"));
            }
            (None, None) => t.socket_url,
        };
        if let Some(name) = self.batch_contacts_request {
            if !matches!(name.as_str(), "contact_batch_add" | "contacts") {
                return Err(format!(
                    "sama.batch_contacts_request = {name:?}: the batch request is served as \"contact_batch_add\" or \"contacts\" (NOTES.md S21)"
                ));
            }
            t.batch_contacts = name;
        }
        let mut switches = BTreeSet::new();
        for name in self.deviations {
            switches.extend(deviations::parse_deviation(&name).map_err(|e| format!("sama.deviations: {e}"))?);
        }
        let mut names = BTreeSet::new();
        for a in &self.adapters {
            if a.name.trim().is_empty() || !names.insert(a.name.clone()) {
                return Err(format!(
                    "sama.adapters: every adapter needs a name of its own; got {:?}",
                    a.name
                ));
            }
        }
        t.deviations = Deviations { switches, adapters: self.adapters };
        for (call, fields) in &self.extra_fields {
            let known = call == "/login" || chatspec_specs::sama::REQUESTS.iter().any(|(n, _)| n == call);
            if !known {
                return Err(format!("sama.extra_fields.{call}: not a request of seed 003 nor \"/login\""));
            }
            for (field, value) in fields {
                if let Some(text) = value.as_str() {
                    let mut rest = text.to_owned();
                    for p in PLACEHOLDERS {
                        rest = rest.replace(p, "");
                    }
                    if rest.contains('{') {
                        return Err(format!(
                            "sama.extra_fields.{call}.{field} = {text:?}: the placeholders are {}",
                            PLACEHOLDERS.join(", ")
                        ));
                    }
                }
            }
        }
        t.extra_fields = self.extra_fields;
        Ok(t)
    }
}

/// A commented example profile for SAMA (seed 003), written by `chatspec init-target --api sama`.
pub const EXAMPLE_SAMA: &str = r#"# chatspec target profile: where the SAMA suite (seed 003) runs and how.
# Run it with: chatspec check --target this-file.toml

# Shown in every report.
name = "my-sama-server"
# The API whose suite runs: sama.
api = "sama"
# The server's HTTP base URL (no trailing slash): POST /login and /logout live here.
base_url = "http://127.0.0.1:9000"
# Scales every wait and timeout: 2.0 for a slow server, 0.5 for a fast one.
timeout_factor = 1.0
# Optional: a URL that answers the server's version (JSON {"version": ...} or plain text).
# version_url = "http://127.0.0.1:9000/version"

# Checks that rest on a reading of the register (where the document is silent: error shapes and
# statuses, list orders, rights) are graded: a reading that does not hold passes the scenario
# "on a lenient reading", counted apart; --strict fails it. mock_readings = true says your server
# follows every reading of the reference mock, and makes a reading that does not hold fail.
# mock_readings = false

[sama]
# The HTTP routes of the login and the logout.
login_path = "/login"
logout_path = "/logout"
# Where the WebSocket is: a path on base_url (ws:// or wss:// follows http:// or https://),
# or a whole URL when the socket lives elsewhere. Give one of the two.
socket_path = "/"
# socket_url = "wss://chat.example.com/socket"
# The batch contacts request lost its name in the document: "contact_batch_add" or the
# literal "contacts" (see specs/src/sama/NOTES.md S21).
batch_contacts_request = "contact_batch_add"
# Known deviations of your server from the document (specs/src/sama/compat.rs, each an entry of
# specs/src/sama/NOTES.md). A declared deviation is an adapter, not a mask: the harness accepts
# the server's form at the one check the deviation concerns, goes on checking everything else,
# and grades the scenario "passed with declared deviation". A known deviation left undeclared
# fails its check with a hint naming it. "sama-server-0.36" declares every one below.
#   ack_as_ask                          acks come as { ask: {...} }, a system message's without server_mid (S40)
#   online_as_zero                      last_activity says 0 for an online user (S55)
#   file_urls_by_object_id              get_file_urls takes and answers a storage object_id (S60)
#   op_log_in_packet                    op_log_list wraps its reply in packet, each packet a JSON string (S58)
#   op_log_skips_edits                  edits and deletions are not in the op log (S49)
#   op_log_without_range                op_log_list without gt or lt is not refused (S58)
#   sign_up_needs_organization          user_create needs email and organization_id (S15; give them in extra_fields)
#   token_login_needs_organization      user_login by token needs organization_id and device_id (S8)
#   login_device_id_in_body_only        POST /login reads device_id from the body only (S4)
#   batch_drops_incomplete_contacts     a contact batch drops contacts without e-mail or phone (S22)
#   conversations_without_participants  no participants in conversations and their events (S28)
#   private_with_two_others             a private conversation with two others is created (S27)
#   search_answers_bare_ids             conversation_search answers bare ids (S38)
#   offline_edits_lost                  edits and deletions made while a user is offline never reach them (S49)
#   push_event_user_ids_base64          push_event_create answers user_ids and a base64 message (S54)
#   read_receipts_repeated              message_read is sent again for messages already read (S46)
#   contact_list_refuses_ids            contact_list refuses ids (S24)
deviations = []
# deviations = ["sama-server-0.36"]

# A deviation chatspec has no name for, when it is a rename or a wrapper, is declared as an
# adapter; reports name it by its name:
#   kind = "rename_key"   the server spells the key `from` where the document has `to` (any depth)
#   kind = "unwrap"       the server wraps a frame or a reply in { <key>: ... }
#   kind = "json_string"  the server sends the field <key> as a JSON-encoded string
# [[sama.adapters]]
# name = "ack_spelled_ask"
# entry = "S40"
# kind = "rename_key"
# from = "ask"
# to = "ack"
# [[sama.adapters]]
# name = "replies_in_data"
# kind = "unwrap"
# key = "data"

# Fields your server needs beyond the document's, per request (or "/login" for the HTTP login
# body). Values may hold {login}, {device}, {run} (the run id) and {n} (a number unique to the
# run). A scenario whose checked request needed them passes "with declared deviation".
# [sama.extra_fields.user_create]
# email = "{login}@example.test"
# organization_id = "64b5ab0c5d6fe0d2f6d2c0a1"
# [sama.extra_fields.user_login]
# organization_id = "64b5ab0c5d6fe0d2f6d2c0a1"
# device_id = "{device}"
# [sama.extra_fields."/login"]
# organization_id = "64b5ab0c5d6fe0d2f6d2c0a1"

# How test users are made. One of:
#   mode = "admin"     POST {admin.url}/_mock/users {"name"}: the chatspec mock admin API
#   mode = "accounts"  pre-made accounts, logged in with POST /login {login, password, device_id}
#   mode = "signup"    user_create {login, password} over the socket, then POST /login
[provisioning]
mode = "admin"
# mode = "accounts"
# accounts = [
#   { login = "alice", password = "secret" },
#   { login = "bob", password = "secret" },
#   { login = "carol", password = "secret" },
# ]
# mode = "signup"

# The mock admin API, if your server offers one (a test build may). Without it the scenarios
# that read push notifications (GET /_mock/outbox) are reported as impossible.
[admin]
url = "http://127.0.0.1:9000"
# Whether POST /_mock/clock/advance moves the server's clock (the token expiry scenario).
clock = true

# Scenarios your server is known to fail, by the ids in the reports.
# [[known_failures]]
# scenario = "sama/blocking/a-user-who-blocked-the-sender-gets-no-group-message"
# reason = "blocks only apply to private conversations yet"
# link = "https://tracker.example/ISSUE-2"
"#;

#[cfg(test)]
mod tests {
    use super::super::Target;
    use super::*;
    use serde_json::json;

    /// The commented lines of the adapters and extra fields in the example.
    const SECTION_LINES: [&str; 9] = [
        "name = \"",
        "entry = ",
        "kind = ",
        "from = ",
        "to = ",
        "key = ",
        "email = ",
        "organization_id = ",
        "device_id = ",
    ];

    #[test]
    fn the_sama_example_profile_parses() {
        let t = Target::parse(EXAMPLE_SAMA).unwrap();
        assert_eq!(t.api, "sama");
        assert_eq!(t.sama.socket_url, "ws://127.0.0.1:9000/");
        assert_eq!(t.sama.login_path, "/login");
        assert!(t.sama.deviations.is_empty());
        assert!(t.expected_failures().is_empty());
        let all = EXAMPLE_SAMA.replace("deviations = []\n", "deviations = [\"sama-server-0.36\"]\n");
        let t = Target::parse(&all).unwrap();
        assert!(t.sama.has(Switch::AckAsAsk) && t.sama.has(Switch::ContactListRefusesIds));
        assert!(!t.sama.has(Switch::ErrorsAsStrings), "behaviours need no declaration");
        // Declared deviations are adapters, not known failures.
        assert!(t.expected_failures().is_empty());
        let uncommented: String = EXAMPLE_SAMA
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.starts_with("[sama.") || rest.starts_with("[[sama.") => rest,
                Some(rest) if l.starts_with("# ") && SECTION_LINES.iter().any(|k| rest.starts_with(k)) => {
                    rest
                }
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let t = Target::parse(&uncommented).unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
        assert_eq!(t.sama.deviations.adapters.len(), 2);
        let vars = Vars { login: Some("nora"), device: Some("d1"), run: "r1", n: 7 };
        let extra = t.sama.extra("user_create", &vars);
        assert_eq!(extra.get("email"), Some(&json!("nora@example.test")));
        assert_eq!(t.sama.extra("user_login", &vars).get("device_id"), Some(&json!("d1")));
        assert!(t.sama.extra("/login", &vars).contains_key("organization_id"));
        assert!(t.sama.extra("connect", &vars).is_empty());
    }

    #[test]
    fn sama_sections_are_checked_field_by_field() {
        let base = "name = \"x\"\napi = \"sama\"\nbase_url = \"https://chat.example.com\"\n[provisioning]\nmode = \"signup\"\n";
        let t = Target::parse(base).unwrap();
        assert_eq!(t.sama.socket_url, "wss://chat.example.com/");
        let with = |section: &str| Target::parse(&format!("{base}[sama]\n{section}\n"));
        assert_eq!(with("socket_path = \"/ws\"").unwrap().sama.socket_url, "wss://chat.example.com/ws");
        assert_eq!(with("socket_url = \"ws://other:1/s\"").unwrap().sama.socket_url, "ws://other:1/s");
        let e = with("socket_url = \"http://other\"").unwrap_err();
        assert!(e.contains("sama.socket_url"), "{e}");
        let e = with("socket_url = \"ws://a\"\nsocket_path = \"/b\"").unwrap_err();
        assert!(e.contains("not both"), "{e}");
        let e = with("deviations = [\"ack_as_asc\"]").unwrap_err();
        assert!(e.contains("sama.deviations") && e.contains("ack_as_ask"), "{e}");
        let e = with("deviations = [\"errors_as_strings\"]").unwrap_err();
        assert!(e.contains("without a declaration"), "{e}");
        let e = with("login_path = \"login\"").unwrap_err();
        assert!(e.contains("sama.login_path"), "{e}");
        let e = with("batch_contacts_request = \"add_contacts\"").unwrap_err();
        assert!(e.contains("sama.batch_contacts_request"), "{e}");
        let e = with("sockets = 1").unwrap_err();
        assert!(e.contains("sockets"), "{e}");
        let t = with("deviations = [\"file_urls_by_object_id\", \"file_urls_by_object_id\"]").unwrap();
        assert_eq!(t.sama.deviations.switches.len(), 1);
        let e =
            with("[[sama.adapters]]\nname = \"x\"\nkind = \"rename\"\nfrom = \"a\"\nto = \"b\"").unwrap_err();
        assert!(e.contains("rename"), "{e}");
        let e = with("[sama.extra_fields.teleport]\nx = 1").unwrap_err();
        assert!(e.contains("sama.extra_fields.teleport"), "{e}");
        let e = with("[sama.extra_fields.user_create]\nemail = \"{user}@x\"").unwrap_err();
        assert!(e.contains("{login}"), "{e}");
    }
}
