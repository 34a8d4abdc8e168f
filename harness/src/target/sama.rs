//! The `[sama]` section of a target profile (seed 003): the HTTP routes, the socket, the name
//! of the batch contacts request, and the server's known deviations (`crate::deviations`).

use serde::{Deserialize, Serialize};

use crate::deviations::{self, Deviation};

/// The SAMA part of a target: the HTTP routes, the socket, and the server's known deviations.
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
    /// Deviations from seed 003 the server is known to have.
    pub deviations: Vec<Deviation>,
}

impl SamaTarget {
    /// The mock's layout at `base_url`: `/login`, `/logout`, the socket on `/`.
    pub fn at(base_url: &str) -> SamaTarget {
        SamaTarget {
            login_path: "/login".into(),
            logout_path: "/logout".into(),
            socket_url: socket_url(base_url, "/"),
            batch_contacts: "contact_batch_add".into(),
            deviations: Vec::new(),
        }
    }

    /// Whether the server is known to have deviation `d`.
    pub fn has(&self, d: Deviation) -> bool {
        self.deviations.contains(&d)
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
        for name in self.deviations {
            match Deviation::parse(&name) {
                Some(d) if !t.deviations.contains(&d) => t.deviations.push(d),
                Some(_) => {}
                None => {
                    return Err(format!(
                        "sama.deviations: {name:?} is not a known deviation; known: {}",
                        deviations::known_names()
                    ));
                }
            }
        }
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
# Known deviations of your server from the document, each an entry of the register
# (specs/src/sama/NOTES.md). The scenarios a declared deviation breaks are reported as expected
# failures with the register entry as the reason; if they pass, the run fails as an unexpected
# pass, so the list stays honest. Known ones (the public open-source server has all four):
#   ack_as_ask              the ack comes as { ask: {...} } (S40)
#   online_as_zero          last_activity says 0 for an online user (S55)
#   op_log_in_packet        op_log_list wraps its reply in packet (S58)
#   file_urls_by_object_id  get_file_urls is keyed by the storage object id (S60)
deviations = []
# deviations = ["ack_as_ask", "online_as_zero", "op_log_in_packet", "file_urls_by_object_id"]

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

    #[test]
    fn the_sama_example_profile_parses() {
        let t = Target::parse(EXAMPLE_SAMA).unwrap();
        assert_eq!(t.api, "sama");
        assert_eq!(t.sama.socket_url, "ws://127.0.0.1:9000/");
        assert_eq!(t.sama.login_path, "/login");
        assert!(t.sama.deviations.is_empty());
        assert!(t.expected_failures().is_empty());
        let all = EXAMPLE_SAMA.replace(
            "deviations = []\n",
            "deviations = [\"ack_as_ask\", \"online_as_zero\", \"op_log_in_packet\", \"file_urls_by_object_id\"]\n",
        );
        let t = Target::parse(&all).unwrap();
        assert_eq!(t.sama.deviations, Deviation::ALL.to_vec());
        let ids: Vec<String> = t.expected_failures().into_iter().map(|k| k.scenario).collect();
        assert!(ids.contains(
            &"sama/messages/the-sender-gets-an-ack-with-the-time-the-message-was-stored".to_owned()
        ));
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
        let e = with("login_path = \"login\"").unwrap_err();
        assert!(e.contains("sama.login_path"), "{e}");
        let e = with("batch_contacts_request = \"add_contacts\"").unwrap_err();
        assert!(e.contains("sama.batch_contacts_request"), "{e}");
        let e = with("sockets = 1").unwrap_err();
        assert!(e.contains("sockets"), "{e}");
        let t = with("deviations = [\"file_urls_by_object_id\", \"file_urls_by_object_id\"]").unwrap();
        assert_eq!(t.sama.deviations, vec![Deviation::FileUrlsByObjectId]);
    }
}
