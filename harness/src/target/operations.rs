//! Provisioning without the admin API (`docs/real-servers.md`): each admin call the suite
//! makes is an *operation*, which a profile in `mode = "command"` maps to a command the team
//! writes and in `mode = "http"` to a webhook of its test build. The reply of either is
//! checked against the admin schema the admin route's reply would be (`specs/schemas/admin/`).

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One admin call the suite makes, by the name a profile gives its command or webhook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operation {
    /// `POST /_mock/users`: a user and its credentials.
    CreateUser,
    /// `POST /_mock/clock/advance`: moves the server's clock.
    AdvanceClock,
    /// `GET /_mock/health`: the server's time.
    Health,
    /// `GET /_mock/outbox`: what the server sent out of band.
    Outbox,
    /// connectnow `GET /_mock/rate-limit`.
    GetRateLimit,
    /// connectnow `POST /_mock/rate-limit`.
    SetRateLimit,
    /// OneChat `POST /_mock/groups`.
    CreateGroup,
    /// OneChat `POST /_mock/sessions`.
    OpenSession,
    /// OneChat `DELETE /_mock/sessions/{session}`.
    EndSession,
    /// OneChat `POST /_mock/passwords`.
    SetPassword,
}

const EVERY_API: &[&str] = &["unichat", "connectnow", "sama", "onechat"];

impl Operation {
    /// Every operation, in the order the documentation lists them.
    pub const ALL: [Operation; 10] = [
        Operation::CreateUser,
        Operation::AdvanceClock,
        Operation::Health,
        Operation::Outbox,
        Operation::GetRateLimit,
        Operation::SetRateLimit,
        Operation::CreateGroup,
        Operation::OpenSession,
        Operation::EndSession,
        Operation::SetPassword,
    ];

    /// The name a profile gives it (`create_user`).
    pub fn name(self) -> &'static str {
        match self {
            Operation::CreateUser => "create_user",
            Operation::AdvanceClock => "advance_clock",
            Operation::Health => "health",
            Operation::Outbox => "outbox",
            Operation::GetRateLimit => "get_rate_limit",
            Operation::SetRateLimit => "set_rate_limit",
            Operation::CreateGroup => "create_group",
            Operation::OpenSession => "open_session",
            Operation::EndSession => "end_session",
            Operation::SetPassword => "set_password",
        }
    }

    /// The admin route it stands for; `{session}` is a path parameter.
    pub fn route(self) -> (Method, &'static str) {
        match self {
            Operation::CreateUser => (Method::POST, "/_mock/users"),
            Operation::AdvanceClock => (Method::POST, "/_mock/clock/advance"),
            Operation::Health => (Method::GET, "/_mock/health"),
            Operation::Outbox => (Method::GET, "/_mock/outbox"),
            Operation::GetRateLimit => (Method::GET, "/_mock/rate-limit"),
            Operation::SetRateLimit => (Method::POST, "/_mock/rate-limit"),
            Operation::CreateGroup => (Method::POST, "/_mock/groups"),
            Operation::OpenSession => (Method::POST, "/_mock/sessions"),
            Operation::EndSession => (Method::DELETE, "/_mock/sessions/{session}"),
            Operation::SetPassword => (Method::POST, "/_mock/passwords"),
        }
    }

    /// The APIs whose profiles can use it: those whose suites make the call (`set_password`:
    /// OneChat's admin API offers it, though no scenario calls it yet).
    pub fn apis(self) -> &'static [&'static str] {
        match self {
            Operation::CreateUser => EVERY_API,
            // Unichat's edit window, connectnow's auth code expiry, SAMA's token expiry.
            Operation::AdvanceClock => &["unichat", "connectnow", "sama"],
            // The server's time beside SAMA's token expiry.
            Operation::Health => &["sama"],
            // connectnow's e-mails, SAMA's pushes, OneChat's relayed alerts.
            Operation::Outbox => &["connectnow", "sama", "onechat"],
            Operation::GetRateLimit | Operation::SetRateLimit => &["connectnow"],
            Operation::CreateGroup
            | Operation::OpenSession
            | Operation::EndSession
            | Operation::SetPassword => &["onechat"],
        }
    }

    /// The placeholders its command line may hold for `api`: the fields of its request (and
    /// the path parameter of `end_session`). Only SAMA's `create_user` takes a `device_id`
    /// (docs/admin-api.md).
    pub fn placeholders(self, api: &str) -> &'static [&'static str] {
        match self {
            Operation::CreateUser if api == "sama" => &["name", "device_id"],
            Operation::CreateUser => &["name"],
            Operation::AdvanceClock => &["seconds"],
            Operation::Health | Operation::Outbox | Operation::GetRateLimit => &[],
            Operation::SetRateLimit => &["per_minute"],
            Operation::CreateGroup => &["name", "members", "domain", "jid"],
            Operation::OpenSession => &["jid"],
            Operation::EndSession => &["session"],
            Operation::SetPassword => &["jid", "password"],
        }
    }

    /// The admin schema (`specs/schemas/admin/<name>.json`) its reply holds to for `api`.
    pub fn reply_schema(self, api: &str) -> String {
        match self {
            Operation::CreateUser => format!("{api}.response.users"),
            Operation::AdvanceClock => "response.clock_advance".into(),
            Operation::Health => "response.health".into(),
            Operation::Outbox => format!("{api}.response.outbox"),
            Operation::GetRateLimit | Operation::SetRateLimit => "connectnow.response.rate_limit".into(),
            Operation::CreateGroup => "onechat.response.groups".into(),
            Operation::OpenSession => "onechat.response.sessions".into(),
            Operation::EndSession => "onechat.response.end_session".into(),
            Operation::SetPassword => "onechat.response.passwords".into(),
        }
    }

    /// The operation by its profile name.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.name() == name)
    }

    /// The operation an admin call stands for, with its path parameters.
    pub fn from_call(method: &Method, path: &str) -> Option<(Operation, BTreeMap<String, String>)> {
        Operation::ALL.into_iter().find_map(|op| {
            let (m, template) = op.route();
            if m != method {
                return None;
            }
            let mut params = BTreeMap::new();
            let (mut got, mut want) = (path.split('/'), template.split('/'));
            loop {
                match (got.next(), want.next()) {
                    (None, None) => return Some((op, params)),
                    (Some(g), Some(w)) if w.starts_with('{') && w.ends_with('}') && !g.is_empty() => {
                        params.insert(w.trim_matches(['{', '}']).to_owned(), g.to_owned());
                    }
                    (Some(g), Some(w)) if g == w => {}
                    _ => return None,
                }
            }
        })
    }
}

/// A command line as a profile gives it: one string split like a shell would (quotes,
/// backslashes; no expansion, pipes or redirections), or the arguments one by one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CommandLine {
    /// `"./make-user.sh {name}"`.
    Line(String),
    /// `["./make-user.sh", "{name}"]`.
    Args(Vec<String>),
}

impl CommandLine {
    /// The program and its arguments, before placeholders are filled.
    pub fn argv(&self) -> Result<Vec<String>, CommandLineError> {
        let argv = match self {
            CommandLine::Line(line) => {
                shlex::split(line).ok_or_else(|| CommandLineError::UnclosedQuote { line: line.clone() })?
            }
            CommandLine::Args(args) => args.clone(),
        };
        if argv.first().is_none_or(|p| p.trim().is_empty()) {
            return Err(CommandLineError::NoProgram);
        }
        Ok(argv)
    }
}

/// Why a profile's command line cannot be run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommandLineError {
    /// The line opens a quote it never closes.
    #[error("{line:?} has an unclosed quote")]
    UnclosedQuote {
        /// The line given.
        line: String,
    },
    /// The line or list is empty, or its program is blank.
    #[error("names no program")]
    NoProgram,
}

/// Why the `command` or `http` provisioning of a profile is refused.
#[derive(Debug, thiserror::Error)]
pub enum ProvisioningError {
    /// `provisioning.commands.<operation>` cannot be split into a program and arguments.
    #[error("provisioning.commands.{operation}: {source}")]
    CommandLine {
        /// The operation the command is for.
        operation: String,
        /// What is wrong with its line.
        source: CommandLineError,
    },
    /// A table names an operation the API's suite does not make.
    #[error("{field}.{name} is not an operation of the {api} suite; known: {}", operations_of(api))]
    UnknownOperation {
        /// The table: `provisioning.commands` or `provisioning.webhooks`.
        field: &'static str,
        /// The name given.
        name: String,
        /// The profile's API.
        api: String,
    },
    /// A command or webhook holds a placeholder that is not a field of its request.
    #[error("{field}.{name}: {placeholder} is not a field of its request; it takes {}", takes(*operation, api))]
    Placeholder {
        /// The table.
        field: &'static str,
        /// The operation's name as given.
        name: String,
        /// The operation.
        operation: Operation,
        /// The unknown placeholder, braces included.
        placeholder: String,
        /// The profile's API (the fields differ: only SAMA's create_user takes a device_id).
        api: String,
    },
    /// The table maps no operation at all.
    #[error("{field} is empty: name at least create_user")]
    EmptyTable {
        /// The table.
        field: &'static str,
    },
    /// `provisioning.webhooks.<operation>` is not an http(s) URL.
    #[error("provisioning.webhooks.{operation} = {url:?} is not an http(s) URL")]
    WebhookUrl {
        /// The operation.
        operation: String,
        /// The URL given.
        url: String,
    },
    /// `provisioning.timeout_seconds` is 0 or above an hour.
    #[error("provisioning.timeout_seconds = {seconds} must be 1 to 3600")]
    Timeout {
        /// The value given.
        seconds: u64,
    },
}

/// The operations of `api`'s suite, for a message.
fn operations_of(api: &str) -> String {
    let known: Vec<&str> =
        Operation::ALL.iter().filter(|o| o.apis().contains(&api)).map(|o| o.name()).collect();
    known.join(", ")
}

/// The placeholders `op`'s request offers, for a message.
fn takes(op: Operation, api: &str) -> String {
    if op.placeholders(api).is_empty() {
        return "none (the request is on stdin)".into();
    }
    let allowed: Vec<String> = op.placeholders(api).iter().map(|p| format!("{{{p}}}")).collect();
    allowed.join(", ")
}

/// Checks a profile's operations table (`provisioning.commands` or `provisioning.webhooks`):
/// known operation names, of `api`, with only the placeholders their request has.
pub fn check_table<'a>(
    api: &str,
    field: &'static str,
    table: impl Iterator<Item = (&'a String, Vec<String>)>,
) -> Result<(), ProvisioningError> {
    let mut any = false;
    for (name, parts) in table {
        any = true;
        let op = Operation::from_name(name).filter(|o| o.apis().contains(&api)).ok_or_else(|| {
            ProvisioningError::UnknownOperation { field, name: name.clone(), api: api.to_owned() }
        })?;
        for part in &parts {
            for p in crate::target::placeholders(part) {
                let inner = p.trim_matches(['{', '}']);
                if !op.placeholders(api).contains(&inner) {
                    return Err(ProvisioningError::Placeholder {
                        field,
                        name: name.clone(),
                        operation: op,
                        placeholder: p.to_owned(),
                        api: api.to_owned(),
                    });
                }
            }
        }
    }
    if !any {
        return Err(ProvisioningError::EmptyTable { field });
    }
    Ok(())
}

/// Checks the `command` and `http` modes of `[provisioning]` for `api`: every command splits
/// and names known operations and fields, every webhook is an http(s) URL; a timeout of at
/// least a second.
pub fn check_provisioning(api: &str, p: &super::Provisioning) -> Result<(), ProvisioningError> {
    let timeout = match p {
        super::Provisioning::Command { commands, timeout_seconds } => {
            let mut rows = Vec::new();
            for (name, line) in commands {
                let argv = line
                    .argv()
                    .map_err(|source| ProvisioningError::CommandLine { operation: name.clone(), source })?;
                rows.push((name, argv));
            }
            check_table(api, "provisioning.commands", rows.into_iter())?;
            timeout_seconds
        }
        super::Provisioning::Http { webhooks, timeout_seconds } => {
            for (name, url) in webhooks {
                let probe = fill(url, &Value::Null, |_| "x".into());
                match reqwest::Url::parse(&probe) {
                    Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
                    _ => {
                        return Err(ProvisioningError::WebhookUrl {
                            operation: name.clone(),
                            url: url.clone(),
                        });
                    }
                }
            }
            check_table(api, "provisioning.webhooks", webhooks.iter().map(|(k, v)| (k, vec![v.clone()])))?;
            timeout_seconds
        }
        _ => return Ok(()),
    };
    if *timeout == 0 || *timeout > 3600 {
        return Err(ProvisioningError::Timeout { seconds: *timeout });
    }
    Ok(())
}

/// The text of a request field for a placeholder: strings as they are, numbers and booleans
/// printed, a list joined by commas, null or absent as empty.
pub fn field_text(body: &Value, field: &str) -> String {
    fn one(v: &Value) -> String {
        match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Array(items) => items.iter().map(one).collect::<Vec<_>>().join(","),
            other => other.to_string(),
        }
    }
    body.get(field).map(one).unwrap_or_default()
}

/// `template` with each `{field}` of the request replaced; `encode` escapes each value (a
/// URL's), so a value never adds an argument, a path segment or a query parameter.
pub fn fill(template: &str, body: &Value, encode: impl Fn(&str) -> String) -> String {
    let mut out = template.to_owned();
    for p in crate::target::placeholders(template) {
        out = out.replace(p, &encode(&field_text(body, p.trim_matches(['{', '}']))));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn admin_calls_map_to_operations_and_back() {
        for op in Operation::ALL {
            let (method, path) = op.route();
            let path = path.replace("{session}", "s1");
            let (found, params) = Operation::from_call(&method, &path).unwrap();
            assert_eq!(found, op);
            assert_eq!(Operation::from_name(op.name()), Some(op));
            if op == Operation::EndSession {
                assert_eq!(params["session"], "s1");
            }
            for api in op.apis() {
                let schema = op.reply_schema(api);
                assert!(
                    chatspec_specs::admin::schemas().iter().any(|(n, _)| *n == schema),
                    "{} has no schema {schema}",
                    op.name()
                );
            }
        }
        assert_eq!(Operation::from_call(&Method::GET, "/_mock/state"), None);
        assert_eq!(Operation::from_call(&Method::DELETE, "/_mock/sessions/"), None);
    }

    #[test]
    fn placeholders_fill_one_argument_each() {
        let body = json!({"name": "Ann; rm -rf /", "members": ["a@x", "b@x"], "seconds": 60, "domain": null});
        let line =
            CommandLine::Line("./make 'the group' {name} --members={members} {seconds}{domain}".into());
        let argv: Vec<String> = line.argv().unwrap().iter().map(|a| fill(a, &body, str::to_owned)).collect();
        assert_eq!(argv, ["./make", "the group", "Ann; rm -rf /", "--members=a@x,b@x", "60"]);
        assert!(CommandLine::Line("./x 'open".into()).argv().unwrap_err().to_string().contains("quote"));
        assert!(CommandLine::Args(vec![]).argv().is_err());
    }

    #[test]
    fn tables_name_known_operations_and_fields() {
        let t = |k: &str, v: &str| vec![(k.to_owned(), vec![v.to_owned()])];
        let check = |api: &str, rows: Vec<(String, Vec<String>)>| {
            check_table(api, "provisioning.commands", rows.iter().map(|(k, v)| (k, v.clone())))
                .map_err(|e| e.to_string())
        };
        assert!(check("connectnow", t("create_user", "./u {name}")).is_ok());
        let e = check("unichat", t("create_group", "./g")).unwrap_err();
        assert!(e.contains("not an operation of the unichat suite") && e.contains("create_user"), "{e}");
        // Only what the API's suite calls is listed, and nothing else is taken.
        let e = check("connectnow", t("health", "./h")).unwrap_err();
        assert!(
            e.ends_with("known: create_user, advance_clock, outbox, get_rate_limit, set_rate_limit"),
            "{e}"
        );
        let e = check("unichat", t("outbox", "./o")).unwrap_err();
        assert!(e.ends_with("known: create_user, advance_clock"), "{e}");
        let e = check("onechat", t("advance_clock", "./c {seconds}")).unwrap_err();
        assert!(
            e.ends_with("known: create_user, outbox, create_group, open_session, end_session, set_password"),
            "{e}"
        );
        assert!(check("sama", t("health", "./h")).is_ok());
        let e = check("onechat", t("open_session", "./s {name}")).unwrap_err();
        assert!(e.contains("{name} is not a field") && e.contains("{jid}"), "{e}");
        assert!(check("sama", Vec::new()).unwrap_err().contains("empty"));
    }

    #[test]
    fn profiles_in_command_and_http_mode_parse_and_name_their_mistakes() {
        use crate::target::{Provisioning, Target};
        let head = |api: &str| format!("name = \"x\"\napi = \"{api}\"\nbase_url = \"http://h\"\n");
        let t = Target::parse(&format!(
            "{}[provisioning]\nmode = \"command\"\n[provisioning.commands]\ncreate_user = \"./u.sh {{name}}\"\nadvance_clock = [\"./c.sh\", \"{{seconds}}\"]\n[smtp]\nlisten = \"127.0.0.1:2525\"\n",
            head("connectnow")
        ))
        .unwrap();
        assert!(t.clock_control && t.offers_admin() && t.admin_url.is_none());
        assert_eq!(t.smtp_listen, Some("127.0.0.1:2525".parse().unwrap()));
        assert!(matches!(&t.provisioning, Provisioning::Command { timeout_seconds: 30, .. }));
        let t = Target::parse(&format!(
            "{}[provisioning]\nmode = \"http\"\ntimeout_seconds = 5\n[provisioning.webhooks]\ncreate_user = \"http://team.test/users\"\nend_session = \"http://team.test/sessions/{{session}}\"\n",
            head("onechat")
        ))
        .unwrap();
        assert!(!t.clock_control);
        assert_eq!(t.provisioning.offers(Operation::EndSession), Some(true));
        let err = |text: String| Target::parse(&text).unwrap_err().to_string();
        let cases = [
            (
                format!(
                    "{}[smtp]\nlisten = \"127.0.0.1:2525\"\n[provisioning]\nmode = \"signup\"\n",
                    head("unichat")
                ),
                "reads no e-mail",
            ),
            (
                format!(
                    "{}[smtp]\nlisten = \"mail:25\"\n[provisioning]\nmode = \"admin\"\n[admin]\n",
                    head("connectnow")
                ),
                "smtp.listen",
            ),
            (
                format!(
                    "{}[provisioning]\nmode = \"command\"\n[provisioning.commands]\ncreate_user = \"./u\"\n[admin]\n",
                    head("sama")
                ),
                "[admin] section",
            ),
            (
                format!("{}[provisioning]\nmode = \"command\"\n[provisioning.commands]\n", head("sama")),
                "provisioning.commands is empty",
            ),
            (
                format!(
                    "{}[provisioning]\nmode = \"command\"\ntimeout_seconds = 0\n[provisioning.commands]\ncreate_user = \"./u\"\n",
                    head("sama")
                ),
                "timeout_seconds",
            ),
            (
                format!(
                    "{}[provisioning]\nmode = \"http\"\n[provisioning.webhooks]\ncreate_user = \"./u\"\n",
                    head("sama")
                ),
                "provisioning.webhooks.create_user",
            ),
            (
                format!(
                    "{}[provisioning]\nmode = \"command\"\n[provisioning.commands]\ncreate_user = \"./u '{{name}}\"\n",
                    head("sama")
                ),
                "unclosed quote",
            ),
        ];
        for (text, want) in cases {
            let e = err(text.clone());
            assert!(e.contains(want), "{text}\n{e}");
        }
    }

    /// The templates and docs/real-servers.md say alike how a command gets its request (on
    /// stdin, placeholders filled from it) and what `timeout_seconds` is when left out; the
    /// docs' command block is the one the Unichat template writes, commented out.
    #[test]
    fn the_templates_and_the_docs_agree_on_commands() {
        use crate::target::{
            DEFAULT_OPERATION_TIMEOUT_SECONDS, EXAMPLE_CONNECTNOW, EXAMPLE_ONECHAT, EXAMPLE_SAMA,
            EXAMPLE_UNICHAT,
        };
        let docs = include_str!("../../../docs/real-servers.md");
        let default = DEFAULT_OPERATION_TIMEOUT_SECONDS;
        for example in [EXAMPLE_UNICHAT, EXAMPLE_CONNECTNOW, EXAMPLE_ONECHAT, EXAMPLE_SAMA] {
            assert!(example.contains("Each gets its request as one JSON object on\n# stdin"));
            assert!(
                example.contains(&format!(
                    "1 to 3600; {default} when left out, not scaled by\n# timeout_factor"
                ))
            );
        }
        assert!(
            docs.contains(&format!("1 to 3600, {default} when left out, and not scaled by `timeout_factor`"))
        );
        assert!(docs.contains("Every command gets its request as one JSON object on stdin"));
        let from = docs.find("```toml\n[provisioning]\nmode = \"command\"").unwrap();
        let block = docs[from + 8..].split("```").next().unwrap();
        for line in block.lines() {
            assert!(EXAMPLE_UNICHAT.contains(&format!("\n# {line}\n")), "the template lacks {line:?}");
        }
        assert!(block.contains("create_user = \"./chatspec/create-user.sh\"\n"), "{block}");
    }

    /// The example's top-level keys, then its commented block that starts at `start`,
    /// uncommented up to the first line that is not a commented TOML line.
    fn uncommented(example: &str, start: &str) -> String {
        let head: String =
            example.lines().take_while(|l| !l.starts_with('[')).map(|l| format!("{l}\n")).collect();
        let from = example.find(start).unwrap_or_else(|| panic!("no {start:?}"));
        let block: Vec<&str> = example[from..]
            .lines()
            .map_while(|l| l.strip_prefix("# "))
            .take_while(|l| l.starts_with('[') || l.split_once(" = ").is_some_and(|(k, _)| !k.contains(' ')))
            .collect();
        format!("{head}{}\n", block.join("\n"))
    }

    #[test]
    fn the_examples_command_and_webhook_blocks_parse() {
        use crate::target::{EXAMPLE_CONNECTNOW, EXAMPLE_ONECHAT, EXAMPLE_SAMA, EXAMPLE_UNICHAT, Target};
        for example in [EXAMPLE_UNICHAT, EXAMPLE_CONNECTNOW, EXAMPLE_ONECHAT, EXAMPLE_SAMA] {
            for mode in ["command", "http"] {
                let text = uncommented(example, &format!("# [provisioning]\n# mode = \"{mode}\""));
                let t = Target::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
                assert_eq!(t.provisioning.offers(Operation::CreateUser), Some(true), "{text}");
            }
        }
        let text = uncommented(EXAMPLE_CONNECTNOW, "# [smtp]");
        let t = Target::parse(&format!("{text}[provisioning]\nmode = \"admin\"\n[admin]\n")).unwrap();
        assert_eq!(t.smtp_listen, Some("127.0.0.1:2525".parse().unwrap()));
    }
}
