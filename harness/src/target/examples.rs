//! The commented example profiles `chatspec init-target --api <api>` writes.

/// The start of every template's commented `command` provisioning block (docs/real-servers.md).
macro_rules! command_mode_help {
    () => {
        concat!(
            "# Without the admin API, replace [provisioning] and [admin] above with commands you write,\n",
            "# run without a shell, in this file's folder. Each gets its request as one JSON object on\n",
            "# stdin ({\"name\": ...} for create_user); a {field} in its line is filled from the same\n",
            "# request, for a command that takes arguments. stdout must be one JSON value, checked\n",
            "# against the admin schema of the route (`chatspec schemas export` writes them to\n",
            "# specs/schemas/admin/). timeout_seconds: how long\n",
            "# one command (or webhook call) may take, 1 to 3600; 30 when left out, not scaled by\n",
            "# timeout_factor. An operation you leave out makes the scenarios that need it impossible\n",
            "# (docs/real-servers.md shows the scripts in full); so does a command that fails or a\n",
            "# webhook that answers outside 2xx, as an admin call that does in mode = \"admin\".\n",
            "# Here an advance_clock command (or webhook) gives clock control, not [admin] clock.\n",
            "# [provisioning]\n",
            "# mode = \"command\"\n",
            "# timeout_seconds = 30\n",
            "# [provisioning.commands]\n",
            "# create_user = \"./chatspec/create-user.sh\"\n",
        )
    };
}
pub(crate) use command_mode_help;

/// A commented example profile for Unichat, written by `chatspec init-target`.
pub const EXAMPLE_UNICHAT: &str = concat!(
    r#"# chatspec target profile: where the Unichat suite runs and how.
# Run it with: chatspec check --target this-file.toml

# Shown in every report.
name = "my-unichat-server"
# The API whose suite runs: unichat.
api = "unichat"
# The server's base URL (no trailing slash).
base_url = "http://127.0.0.1:8080"
# Scales every wait and timeout: 2.0 for a slow server, 0.5 for a fast one.
timeout_factor = 1.0
# Without clock control ([admin] clock = true in mode = "admin", an advance_clock command
# or webhook in mode = "command" or "http"), a scenario that needs time to pass on the
# server (the edit window) waits in real time if that is at most this long; else it is impossible.
# 0 never waits.
max_real_time_wait_seconds = 0
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
#   mode = "command"   commands you write; mode = "http": webhooks of your test build (below)
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

"#,
    command_mode_help!(),
    r#"# advance_clock = "./chatspec/advance-clock.sh {seconds}"
# Or webhooks of your test build (POST, the request as JSON; the reply as JSON):
# [provisioning]
# mode = "http"
# [provisioning.webhooks]
# create_user = "http://127.0.0.1:8080/test/create_user"
# advance_clock = "http://127.0.0.1:8080/test/advance_clock"

# Scenarios your server is known to fail, by the ids in the reports. Listed failures are
# reported as expected failures; a listed scenario that passes is an unexpected pass and fails
# the run, so the list stays honest.
# An outline's id without its #<n> names every row. A scenario blocked by a broken rule is
# matched by its own id only: listing the rule's own scenarios leaves it blocked.
# [[known_failures]]
# scenario = "unichat/uid/concurrent-retries-with-the-same-uid-yield-one-message"
# reason = "uid deduplication is not atomic yet"
# link = "https://tracker.example/ISSUE-1"

# Fields your server needs that the document never mentions, merged into the body of a
# request by its name (a method name, "*" for every request, or "provision" for the admin API's
# POST /_mock/users). Values may hold templates: {run} (the run id), {n} (a number unique
# within the run), {login} (the login of the user the request provisions, signs up or logs
# in), {actor} (the scenario's name of the acting user, e.g. Alice).
# [extra_fields.register]
# organization_id = "org-1"
# Fields your server must not be sent, by request name.
# [omit_fields]
# register = ["nick"]
# Body fields your server spells otherwise, by request name: the document's name = yours.
# [field_names."*"]
# subscription_id = "subscriptionId"
# Headers your server spells otherwise: the document's name = yours.
# [header_names]
# APP_DOMAIN_TOKEN = "X-App-Domain-Token"
"#
);

/// A commented example profile for connectnow (seed 002).
pub const EXAMPLE_CONNECTNOW: &str = concat!(
    r#"# chatspec target profile: where the connectnow Chat API suite runs and how.
# Run it with: chatspec check --target this-file.toml

# Shown in every report.
name = "my-connectnow-server"
# The API whose suite runs: connectnow.
api = "connectnow"
# The server's base URL (no trailing slash); routes are /api/user, /api/companies, ...
base_url = "http://127.0.0.1:8080"
# Scales every wait and timeout: 2.0 for a slow server, 0.5 for a fast one.
timeout_factor = 1.0
# Without clock control ([admin] clock = true in mode = "admin", an advance_clock command
# or webhook in mode = "command" or "http"), a scenario that needs time to pass on the
# server (an auth code's lifetime) waits in real time if that is at most this long; else it is impossible.
# 0 never waits.
max_real_time_wait_seconds = 0
# Optional: a URL that answers the server's version (JSON {"version": ...} or plain text).
# version_url = "http://127.0.0.1:8080/version"
# Checks that rest on a reading of the register (specs/src/connectnow/NOTES.md: which status a
# refusal carries, the error body, the record fields, moderation by the API token, ...) run on
# every server: where yours reads the document otherwise, the scenario passes "on a lenient
# reading", naming the entry. `chatspec check --strict` counts those as failures.

[connectnow]
# The body field that carries a message's text (NOTES.md C14).
message_field = "message"
# How long an e-mailed auth code stays valid; with clock control below, the expiry scenario
# runs (NOTES.md C12). Without it the scenario is reported as impossible.
auth_code_ttl_seconds = 600
# A route that e-mails an auth code to whoever gives the chat password, if the server has one
# (the reference mock's; NOTES.md C12). Without it the chat-password scenarios that need it
# are reported as impossible.
request_code_path = "/chats/{chat-id}/users/request-code"

# Route paths where your server differs from the seed, by route name (NOTES.md C2: the seed
# writes get-token and share without /api). The placeholders must stay as they are.
[connectnow.paths]
# get_token = "/api/chats/{chat-id}/users/get-token"
# share = "/api/chats/{chat-id}/share"

# How test accounts are made: the seed documents no sign-up, so through the chatspec mock
# admin API (POST {admin.url}/_mock/users {"name"} -> {"user", "api_token"}), or your own
# commands or webhooks (below).
[provisioning]
mode = "admin"

# The mock admin API, if your server offers one (a test build may): users, the outbox of
# e-mailed auth codes (GET /_mock/outbox) and the rate limit (/_mock/rate-limit).
[admin]
url = "http://127.0.0.1:8080"
# Whether POST /_mock/clock/advance moves the server's clock (auth code expiry).
clock = true

"#,
    command_mode_help!(),
    r#"# advance_clock = "./chatspec/advance-clock.sh {seconds}"
# outbox = "./chatspec/mails.sh"
# get_rate_limit = "./chatspec/rate-limit.sh"
# set_rate_limit = "./chatspec/rate-limit.sh {per_minute}"
# Or webhooks of your test build (POST, the request as JSON; the reply as JSON):
# [provisioning]
# mode = "http"
# [provisioning.webhooks]
# create_user = "http://127.0.0.1:8080/test/create_user"
# advance_clock = "http://127.0.0.1:8080/test/advance_clock"
# Your server's e-mail (the auth codes) sent to chatspec's SMTP sink, read there instead of
# an outbox: chatspec listens here for the run; point your server's SMTP settings at it.
# [smtp]
# listen = "127.0.0.1:2525"

# Scenarios your server is known to fail, by the ids in the reports. A listed scenario that
# passes is an unexpected pass and fails the run, so the list stays honest.
# An outline's id without its #<n> names every row. A scenario blocked by a broken rule is
# matched by its own id only: listing the rule's own scenarios leaves it blocked.
# [[known_failures]]
# scenario = "connectnow/pagination/per-page-above-249-is-refused-or-capped"
# reason = "per_page is not capped yet"
# link = "https://tracker.example/ISSUE-2"

# Fields your server needs that the document never mentions, merged into the body of a
# request by its name (a route name such as create_chat_user, "*" for every request, or "provision" for the admin API's
# POST /_mock/users). Values may hold templates: {run} (the run id), {n} (a number unique
# within the run), {login} (the login of the user the request provisions, signs up or logs
# in), {actor} (the scenario's name of the acting user, e.g. Alice).
# [extra_fields.create_chat_user]
# phone = "+1555{n}"
# Fields your server must not be sent, by request name.
# [omit_fields]
# create_chat_user = ["name"]
# Body fields your server spells otherwise, by request name: the document's name = yours.
# [field_names."*"]
# message = "body"
# Headers your server spells otherwise: the document's name = yours.
# [header_names]
# Authorization = "X-Authorization"
"#
);

/// A commented example profile for OneChat (seed 004).
pub const EXAMPLE_ONECHAT: &str = concat!(
    r#"# chatspec target profile: where the OneChat suite runs and how.
# Run it with: chatspec check --target this-file.toml

# Shown in every report.
name = "my-onechat-server"
# The API whose suite runs: onechat.
api = "onechat"
# The server's base URL (no trailing slash).
base_url = "http://127.0.0.1:8080"
# Scales every wait and timeout: 2.0 for a slow server, 0.5 for a fast one.
timeout_factor = 1.0
# Optional: a URL that answers the server's version (JSON {"version": ...} or plain text).
# version_url = "http://127.0.0.1:8080/version"
# Checks that rest on a reading of the register (specs/src/onechat/NOTES.md: HTTP statuses,
# 405 and 404 replies, apps relaying only to their own domain, ...) run on every server: where
# yours reads the document otherwise, the scenario passes "on a lenient reading", naming the
# entry. `chatspec check --strict` counts those as failures.

[onechat]
# Where the calls live: {path_prefix}/massBroadcast, /singleMessage, /groupMessage,
# /registerMiniApp, /authenticateUser (seed: https://app.onechat.net/onechat/api/...).
path_prefix = "/onechat/api"

# Call names your server uses instead of the seed's (NOTES.md O2: the seed gives
# authenticateUser the URL of registerMiniApp).
[onechat.call_names]
# authenticateUser = "registerMiniApp"

# The browser libraries the chat_plugin and mini_app_library areas run in headless Chromium
# (NOTES.md O15, O16). Without this section: the server's own copies, {base_url}/ocwp.js and
# {base_url}/oc.js?jid={jid}. A team's own build: give its URLs; {jid} is the page's user.
# The selectors name the elements the suite clicks and reads (defaults: the reference copies').
[onechat.libraries]
# ocwp_url = "http://127.0.0.1:3000/build/ocwp.js"
# oc_url = "http://127.0.0.1:3000/build/oc.js?jid={jid}"
# chat_box_selector = '[data-ocwp-chat="{jid}"]'
# contact_selector = '[data-oc-contact="{jid}"]'
# done_selector = '[data-oc-action="done"]'
# cancel_selector = '[data-oc-action="cancel"]'

# How test users, groups and sessions are made: the seed leaves them to sign-up, the portal
# and the browser libraries, so through the chatspec mock admin API (or your own commands or
# webhooks, below):
# POST /_mock/users {"name": "Ann@example.org"} -> {jid, domain, sessionId, apikey, appId},
# POST /_mock/groups, POST /_mock/sessions, DELETE /_mock/sessions/{sessionId}.
[provisioning]
mode = "admin"

# The mock admin API, if your server offers one (a test build may): it also lists the alerts
# delivered (GET /_mock/outbox), which is how the suite sees who received what.
[admin]
url = "http://127.0.0.1:8080"

"#,
    command_mode_help!(),
    r#"# create_group = "./chatspec/create-group.sh {name} {members}"
# open_session = "./chatspec/open-session.sh {jid}"
# end_session = "./chatspec/end-session.sh {session}"
# outbox = "./chatspec/alerts.sh"
# Or webhooks of your test build (POST, the request as JSON; the reply as JSON):
# [provisioning]
# mode = "http"
# [provisioning.webhooks]
# create_user = "http://127.0.0.1:8080/test/create_user"
# create_group = "http://127.0.0.1:8080/test/create_group"

# Scenarios your server is known to fail, by the ids in the reports.
# An outline's id without its #<n> names every row. A scenario blocked by a broken rule is
# matched by its own id only: listing the rule's own scenarios leaves it blocked.
# [[known_failures]]
# scenario = "onechat/miniapps/an-ended-session-is-not-authenticated"
# reason = "sessions do not end yet"

# Fields your server needs that the document never mentions, merged into the body of a
# request by its name (a call name such as singleMessage, "*" for every request, or "provision" for the admin API's
# POST /_mock/users). Values may hold templates: {run} (the run id), {n} (a number unique
# within the run), {login} (the login of the user the request provisions, signs up or logs
# in), {actor} (the scenario's name of the acting user, e.g. Alice).
# [extra_fields.singleMessage]
# priority = "normal"
# Fields your server must not be sent, by request name.
# [omit_fields]
# singleMessage = ["message"]
# Body fields your server spells otherwise, by request name: the document's name = yours.
# [field_names."*"]
# jid = "to"
# Headers your server spells otherwise: the document's name = yours.
# [header_names]
# apikey = "X-Api-Key"
"#
);

/// The example profile for `api`, if there is one.
pub fn example(api: &str) -> Option<&'static str> {
    match api {
        "unichat" => Some(EXAMPLE_UNICHAT),
        "connectnow" => Some(EXAMPLE_CONNECTNOW),
        "onechat" => Some(EXAMPLE_ONECHAT),
        "sama" => Some(super::EXAMPLE_SAMA),
        _ => None,
    }
}
