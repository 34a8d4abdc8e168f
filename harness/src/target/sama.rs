//! The `[sama]` section of a target profile (seed 003): the HTTP routes, the socket, the name
//! of the batch contacts request, and the server's declared deviations and adapters
//! (`crate::deviations`). Fields a server needs beyond the document's are the profile's
//! generic `[extra_fields]` (`shaping.rs`).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::examples::command_mode_help;
use crate::deviations::{self, Adapter, Deviations};
use chatspec_specs::sama::compat::Switch;

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
        }
    }

    /// Whether the server is declared to have the catalogue deviation `s`.
    pub fn has(&self, s: Switch) -> bool {
        self.deviations.declares(s)
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
}

/// Why the `[sama]` section of a profile is refused.
#[derive(Debug, thiserror::Error)]
pub enum SamaSectionError {
    /// `sama.login_path`, `sama.logout_path` or `sama.socket_path` does not start with `/`.
    #[error("{field} = {value:?} must be a path starting with /")]
    NotAPath {
        /// The field.
        field: &'static str,
        /// The value given.
        value: String,
    },
    /// Both `sama.socket_url` and `sama.socket_path` are given.
    #[error("give sama.socket_url or sama.socket_path, not both")]
    SocketUrlAndPath,
    /// `sama.socket_url` is not a `ws://` or `wss://` URL with a host.
    #[error("sama.socket_url = {url:?} is not a ws:// or wss:// URL")]
    SocketUrl {
        /// The URL given.
        url: String,
    },
    /// `sama.batch_contacts_request` is neither name the batch request is served under (S21).
    #[error(
        "sama.batch_contacts_request = {name:?}: the batch request is served as \"contact_batch_add\" or \"contacts\" (NOTES.md S21)"
    )]
    BatchContactsRequest {
        /// The name given.
        name: String,
    },
    /// A `sama.deviations` entry is not a catalogue deviation.
    #[error("sama.deviations: {0}")]
    Deviation(#[source] deviations::DeviationError),
    /// A `sama.adapters` entry has no name, or the name of another.
    #[error("sama.adapters: every adapter needs a name of its own; got {name:?}")]
    AdapterName {
        /// The name given.
        name: String,
    },
}

impl SamaSection {
    pub(super) fn into_target(self, base_url: &str) -> Result<SamaTarget, SamaSectionError> {
        let mut t = SamaTarget::at(base_url);
        for (field, value, slot) in [
            ("sama.login_path", self.login_path, &mut t.login_path),
            ("sama.logout_path", self.logout_path, &mut t.logout_path),
        ] {
            if let Some(v) = value {
                if !v.starts_with('/') {
                    return Err(SamaSectionError::NotAPath { field, value: v });
                }
                *slot = v;
            }
        }
        t.socket_url = match (self.socket_url, self.socket_path) {
            (Some(_), Some(_)) => {
                return Err(SamaSectionError::SocketUrlAndPath);
            }
            (Some(url), None) => match reqwest::Url::parse(&url) {
                Ok(u) if matches!(u.scheme(), "ws" | "wss") && u.host().is_some() => url,
                _ => return Err(SamaSectionError::SocketUrl { url }),
            },
            (None, Some(path)) if path.starts_with('/') => socket_url(base_url, &path),
            (None, Some(path)) => {
                return Err(SamaSectionError::NotAPath { field: "sama.socket_path", value: path });
            }
            (None, None) => t.socket_url,
        };
        if let Some(name) = self.batch_contacts_request {
            if !matches!(name.as_str(), "contact_batch_add" | "contacts") {
                return Err(SamaSectionError::BatchContactsRequest { name });
            }
            t.batch_contacts = name;
        }
        let mut switches = BTreeSet::new();
        for name in self.deviations {
            switches.extend(deviations::parse_deviation(&name).map_err(SamaSectionError::Deviation)?);
        }
        let mut names = BTreeSet::new();
        for a in &self.adapters {
            if a.name.trim().is_empty() || !names.insert(a.name.clone()) {
                return Err(SamaSectionError::AdapterName { name: a.name.clone() });
            }
        }
        t.deviations = Deviations { switches, adapters: self.adapters };
        Ok(t)
    }
}

/// A commented example profile for SAMA (seed 003), written by `chatspec init-target --api sama`.
pub const EXAMPLE_SAMA: &str = concat!(
    r#"# chatspec target profile: where the SAMA suite (seed 003) runs and how.
# Run it with: chatspec check --target this-file.toml

# Shown in every report.
name = "my-sama-server"
# The API whose suite runs: sama.
api = "sama"
# The server's HTTP base URL (no trailing slash): POST /login and /logout live here.
base_url = "http://127.0.0.1:9000"
# Scales every wait and timeout: 2.0 for a slow server, 0.5 for a fast one. Checks that an
# event does NOT come wait one second times this after the request that could cause it.
timeout_factor = 1.0
# Without clock control ([admin] clock = true in mode = "admin", an advance_clock command
# or webhook in mode = "command" or "http"), the scenario that lets an access token expire
# waits in real time if that is at most this long; else it is impossible. 0 never waits.
max_real_time_wait_seconds = 0
# Optional: a URL that answers the server's version (JSON {"version": ...} or plain text).
# version_url = "http://127.0.0.1:9000/version"

# Checks that rest on a reading of the register (where the document is silent: error shapes and
# statuses, list orders, rights; specs/src/sama/NOTES.md) are graded: a reading that does not
# hold passes the scenario "on a lenient reading", counted apart; chatspec check --strict fails it.

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
#   sign_up_needs_organization          user_create and password logins need email / organization_id (S15; see extra_fields)
#   token_login_needs_organization      token logins need organization_id, user_login also device_id (S8)
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

# How test users are made. One of:
#   mode = "admin"     POST {admin.url}/_mock/users {"name"}: the chatspec mock admin API
#   mode = "accounts"  pre-made accounts, logged in with POST /login {login, password, device_id}
#   mode = "signup"    user_create {login, password} over the socket, then POST /login
#   mode = "command"   commands you write; mode = "http": webhooks of your test build (below)
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

"#,
    command_mode_help!(),
    r#"# advance_clock = "./chatspec/advance-clock.sh {seconds}"
# health = "./chatspec/server-time.sh"
# outbox = "./chatspec/pushes.sh"
# Or webhooks of your test build (POST, the request as JSON; the reply as JSON):
# [provisioning]
# mode = "http"
# [provisioning.webhooks]
# create_user = "http://127.0.0.1:8080/test/create_user"
# advance_clock = "http://127.0.0.1:8080/test/advance_clock"

# Scenarios your server is known to fail, by the ids in the reports.
# An outline's id without its #<n> names every row. A scenario blocked by a broken rule is
# matched by its own id only: listing the rule's own scenarios leaves it blocked.
# [[known_failures]]
# scenario = "sama/blocking/a-user-who-blocked-the-sender-gets-no-group-message-from-them"
# reason = "blocks only apply to private conversations yet"
# link = "https://tracker.example/ISSUE-2"

# Fields your server needs that the document never mentions, merged into the body of a
# request by its name (a request or packet name, "login" for the body of POST /login, "*" for
# every request, "provision" for the admin API's POST /_mock/users). Values may hold
# templates: {run} (the run id), {n} (a number unique within the run), {login} (the login of
# the user the request signs up or logs in), {actor} (the scenario's name of the acting user).
# Where a scenario checks a request that needed them and sign_up_needs_organization or
# token_login_needs_organization is declared, it passes "with declared deviation".
# [extra_fields.user_create]
# email = "{login}@example.test"
# organization_id = "64b5ab0c5d6fe0d2f6d2c0a1"
# [extra_fields.user_login]
# organization_id = "64b5ab0c5d6fe0d2f6d2c0a1"
# [extra_fields.login]
# organization_id = "64b5ab0c5d6fe0d2f6d2c0a1"
# Fields your server must not be sent, by request name.
# [omit_fields]
# user_search = ["ignore_ids"]
# Body fields your server spells otherwise, by request name: the document's name = yours.
# [field_names."*"]
# device_id = "deviceId"
# Headers your server spells otherwise: the document's name = yours.
# [header_names]
# device_id = "x-device-id"
"#
);

#[cfg(test)]
mod tests {
    use super::super::Target;
    use super::*;
    use serde_json::json;

    /// `EXAMPLE_SAMA` with its commented adapters and request-shaping lines uncommented.
    fn uncommented() -> String {
        let keys = ["name = \"ack_", "name = \"replies", "entry = ", "kind = ", "from = ", "to = ", "key = "];
        let shaping = EXAMPLE_SAMA.find("# Fields your server needs").unwrap_or(EXAMPLE_SAMA.len());
        let mut at = 0;
        EXAMPLE_SAMA
            .lines()
            .map(|l| {
                let here = at;
                at += l.len() + 1;
                match l.strip_prefix("# ") {
                    Some(rest) if rest.starts_with("[[sama.") => rest.to_owned(),
                    Some(rest) if keys.iter().any(|k| rest.starts_with(k)) => rest.to_owned(),
                    Some(rest)
                        if here > shaping
                            && (rest.starts_with('[')
                                || rest.split_once(" = ").is_some_and(|(k, _)| !k.contains(' '))) =>
                    {
                        rest.to_owned()
                    }
                    _ => l.to_owned(),
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

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
        let text = uncommented();
        let t = Target::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(t.sama.deviations.adapters.len(), 2);
        assert_eq!(t.shaping.extra_fields["user_create"]["email"], json!("{login}@example.test"));
        assert!(t.shaping.shapes("login") && t.shaping.shapes("user_login"));
        assert_eq!(t.shaping.header("device_id"), "x-device-id");
    }

    #[test]
    fn sama_sections_are_checked_field_by_field() {
        let base = "name = \"x\"\napi = \"sama\"\nbase_url = \"https://chat.example.com\"\n[provisioning]\nmode = \"signup\"\n";
        let t = Target::parse(base).unwrap();
        assert_eq!(t.sama.socket_url, "wss://chat.example.com/");
        let with = |section: &str| Target::parse(&format!("{base}[sama]\n{section}\n"));
        assert_eq!(with("socket_path = \"/ws\"").unwrap().sama.socket_url, "wss://chat.example.com/ws");
        assert_eq!(with("socket_url = \"ws://other:1/s\"").unwrap().sama.socket_url, "ws://other:1/s");
        let e = with("socket_url = \"http://other\"").unwrap_err().to_string();
        assert!(e.contains("sama.socket_url"), "{e}");
        let e = with("socket_url = \"ws://a\"\nsocket_path = \"/b\"").unwrap_err().to_string();
        assert!(e.contains("not both"), "{e}");
        let e = with("deviations = [\"ack_as_asc\"]").unwrap_err().to_string();
        assert!(e.contains("sama.deviations") && e.contains("ack_as_ask"), "{e}");
        let e = with("deviations = [\"errors_as_strings\"]").unwrap_err().to_string();
        assert!(e.contains("without a declaration"), "{e}");
        let e = with("login_path = \"login\"").unwrap_err().to_string();
        assert!(e.contains("sama.login_path"), "{e}");
        let e = with("batch_contacts_request = \"add_contacts\"").unwrap_err().to_string();
        assert!(e.contains("sama.batch_contacts_request"), "{e}");
        let e = with("sockets = 1").unwrap_err().to_string();
        assert!(e.contains("sockets"), "{e}");
        let t = with("deviations = [\"file_urls_by_object_id\", \"file_urls_by_object_id\"]").unwrap();
        assert_eq!(t.sama.deviations.switches.len(), 1);
        let e = with("[[sama.adapters]]\nname = \"x\"\nkind = \"rename\"\nfrom = \"a\"\nto = \"b\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("rename"), "{e}");
        let e = with("[[sama.adapters]]\nname = \"\"\nkind = \"unwrap\"\nkey = \"data\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("sama.adapters"), "{e}");
    }
}
