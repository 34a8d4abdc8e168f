//! The admin operations of a target in `mode = "command"` or `mode = "http"`
//! (`target/operations.rs`): the team's command run without a shell, or its webhook called,
//! and the reply checked against the admin schema the admin route's reply would be.

use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::process::Stdio;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Map, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

use super::admin::AdminError;
use crate::context::RunContext;
use crate::target::Provisioning;
use crate::target::operations::{Operation, ProvisioningError, fill};
use crate::wire::WireLog;

/// How many of stderr's last lines an error quotes.
const STDERR_LINES: usize = 8;

/// Runs the operation `method path` stands for, by the target's command or webhook. An
/// operation the profile does not map is [`AdminError::NotServed`]; a command or webhook
/// that fails is [`AdminError::Provisioning`], one whose reply breaks the admin contract
/// [`AdminError::Contract`], each with what went wrong (all make the scenario impossible).
pub async fn call(
    ctx: &RunContext,
    wire: &WireLog,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Result<Value, AdminError> {
    let target = &ctx.target;
    let Some((op, params)) = Operation::from_call(&method, path) else {
        return Err(AdminError::NotServed(format!(
            "{method} {path} is not an operation a profile can map to a command or webhook"
        )));
    };
    let mut request = match body {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    for (k, v) in params {
        request.insert(k, Value::String(v));
    }
    let request = Value::Object(request);
    let field =
        if matches!(target.provisioning, Provisioning::Http { .. }) { "webhooks" } else { "commands" };
    let reply = match &target.provisioning {
        Provisioning::Command { commands, timeout_seconds } => {
            let Some(line) = commands.get(op.name()) else {
                return Err(not_offered(op, field));
            };
            let argv = line.argv().map_err(|source| {
                AdminError::Provisioning(
                    ProvisioningError::CommandLine { operation: op.name().to_owned(), source }.to_string(),
                )
            })?;
            let argv: Vec<String> = argv.iter().map(|a| fill(a, &request, str::to_owned)).collect();
            wire.push(
                "request",
                None,
                format!("command {}: {}", op.name(), shown(&argv)),
                Some(request.clone()),
            );
            run(
                op,
                &argv,
                target.profile_dir.as_deref(),
                &request,
                Duration::from_secs(*timeout_seconds),
                &target.api,
            )
            .await
        }
        Provisioning::Http { webhooks, timeout_seconds } => {
            let Some(url) = webhooks.get(op.name()) else {
                return Err(not_offered(op, field));
            };
            let url = fill(url, &request, |v| form_urlencoded::byte_serialize(v.as_bytes()).collect());
            wire.push("request", None, format!("POST {url} (webhook {})", op.name()), Some(request.clone()));
            webhook(ctx, op, &url, &request, Duration::from_secs(*timeout_seconds)).await
        }
        _ => return Err(AdminError::NoAdmin),
    };
    let reply = reply.map_err(|e| {
        // A command that succeeded, or a webhook that answered 2xx, without JSON broke the
        // admin contract (as a reply of the wrong shape does); any other failure is the
        // command's or webhook's own. Both are the run's set-up, never the API under test.
        let contract = matches!(e, OperationError::NotJson { .. } | OperationError::WebhookNotJson { .. });
        // The profile key the team edits, as the pre-flight names it.
        let e = format!("{e} (profile: provisioning.{field}.{})", op.name());
        wire.push("response", None, format!("{} failed", op.name()), Some(Value::String(e.clone())));
        if contract { AdminError::Contract(e) } else { AdminError::Provisioning(e) }
    })?;
    match reply.get("outbox").and_then(Value::as_array) {
        Some(list) => wire.push("response", None, format!("{} ({} entries)", op.name(), list.len()), None),
        None => wire.push("response", None, op.name().to_owned(), Some(reply.clone())),
    }
    check_reply(op, &target.api, &reply).map_err(|e| AdminError::Contract(e.to_string()))?;
    Ok(reply)
}

fn not_offered(op: Operation, field: &str) -> AdminError {
    AdminError::NotServed(format!(
        "the profile maps no command or webhook to {} (provisioning.{field}.{})",
        op.name(),
        op.name()
    ))
}

/// Where the admin schema `name` (`connectnow.response.users`) is to be read, for a message:
/// its path in the repository, which `chatspec schemas export` also writes under the current
/// folder (an installed binary carries no `specs/` folder of its own).
pub fn schema_file(name: &str) -> String {
    format!("specs/schemas/admin/{name}.json, written by `chatspec schemas export`")
}

/// A command's or webhook's reply outside the admin schema of its operation.
#[derive(Debug, thiserror::Error)]
#[error(
    "{}: the reply does not hold to the admin schema {schema} ({}):\n{}\nthe reply: {reply}",
    operation.name(),
    schema_file(schema),
    violations.iter().map(|v| format!("  {v}")).collect::<Vec<_>>().join("\n")
)]
pub struct ReplyError {
    /// The operation.
    pub operation: Operation,
    /// The admin schema's registry name (`connectnow.response.users`).
    pub schema: String,
    /// Where the reply breaks it.
    pub violations: Vec<chatspec_specs::SchemaViolation>,
    /// The reply.
    pub reply: Value,
}

/// `reply` against the admin schema of `op`'s reply for `api`.
pub fn check_reply(op: Operation, api: &str, reply: &Value) -> Result<(), ReplyError> {
    let schema = op.reply_schema(api);
    chatspec_specs::Registry::global().validate(chatspec_specs::admin::API, &schema, reply).map_err(
        |violations| ReplyError { operation: op, schema: schema.clone(), violations, reply: reply.clone() },
    )
}

/// Why a profile's command or webhook gave no reply. The message opens with what ran (`the
/// create_user command `./u.sh Ann``, `the create_user webhook POST <url>`) and quotes the
/// last lines of a command's stderr.
#[derive(Debug, thiserror::Error)]
pub enum OperationError {
    /// The command line is empty.
    #[error("{} names no program", command(*operation, argv))]
    NoProgram {
        /// The operation.
        operation: Operation,
        /// The command line, placeholders filled.
        argv: Vec<String>,
    },
    /// The program could not be started (not found, not executable).
    #[error("{} could not be started{}: {source}", command(*operation, argv), dir.as_ref().map(|d| format!(" (in {})", d.display())).unwrap_or_default())]
    Spawn {
        /// The operation.
        operation: Operation,
        /// The command line.
        argv: Vec<String>,
        /// The folder it was started in (the profile's).
        dir: Option<PathBuf>,
        /// Why it could not start.
        source: std::io::Error,
    },
    /// Waiting for the command failed.
    #[error("{} could not be waited for: {source}", command(*operation, argv))]
    Wait {
        /// The operation.
        operation: Operation,
        /// The command line.
        argv: Vec<String>,
        /// Why.
        source: std::io::Error,
    },
    /// The command ran past the profile's timeout and was stopped.
    #[error("{} did not finish within {} s (provisioning.timeout_seconds) and was stopped{}", command(*operation, argv), timeout.as_secs(), tail(stderr))]
    TimedOut {
        /// The operation.
        operation: Operation,
        /// The command line.
        argv: Vec<String>,
        /// The timeout.
        timeout: Duration,
        /// What it wrote on stderr.
        stderr: String,
    },
    /// The command exited with a status other than 0, or was ended by a signal.
    #[error("{} {}{}", command(*operation, argv), how(status), tail(stderr))]
    Exited {
        /// The operation.
        operation: Operation,
        /// The command line.
        argv: Vec<String>,
        /// How it ended.
        status: ExitStatus,
        /// What it wrote on stderr.
        stderr: String,
    },
    /// The command succeeded, but its stdout is not one JSON value.
    #[error(
        "{} printed no single JSON value on stdout ({error}); stdout: {:?}{}",
        command(*operation, argv),
        stdout.chars().take(300).collect::<String>(),
        tail(stderr)
    )]
    NotJson {
        /// The operation.
        operation: Operation,
        /// The command line.
        argv: Vec<String>,
        /// The parser's complaint.
        error: serde_json::Error,
        /// What it printed.
        stdout: String,
        /// What it wrote on stderr.
        stderr: String,
    },
    /// The webhook gave no HTTP reply.
    #[error("the {} webhook POST {url}: no reply: {cause}", operation.name())]
    NoReply {
        /// The operation.
        operation: Operation,
        /// The webhook, placeholders filled.
        url: String,
        /// The innermost cause (connection refused, timeout).
        cause: String,
    },
    /// The webhook answered with a status outside 2xx.
    #[error("the {} webhook POST {url} answered HTTP {status}: {}", operation.name(), body.chars().take(500).collect::<String>())]
    WebhookStatus {
        /// The operation.
        operation: Operation,
        /// The webhook.
        url: String,
        /// The status.
        status: u16,
        /// The reply's body.
        body: String,
    },
    /// The webhook answered 2xx without a JSON body.
    #[error(
        "the {} webhook POST {url} answered HTTP {status} without a JSON body ({error}): {:?}",
        operation.name(),
        body.chars().take(300).collect::<String>()
    )]
    WebhookNotJson {
        /// The operation.
        operation: Operation,
        /// The webhook.
        url: String,
        /// The status.
        status: u16,
        /// The parser's complaint.
        error: serde_json::Error,
        /// The reply's body.
        body: String,
    },
}

/// "the create_user command `./u.sh Ann`".
fn command(op: Operation, argv: &[String]) -> String {
    format!("the {} command `{}`", op.name(), shown(argv))
}

/// "exited with status 3", or "was ended by a signal (...)".
fn how(status: &ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => format!("was ended by a signal ({status})"),
    }
}

/// The command line as a person would type it, each argument quoted where needed.
fn shown(argv: &[String]) -> String {
    shlex::try_join(argv.iter().map(String::as_str)).unwrap_or_else(|_| argv.join(" "))
}

/// Runs `argv` in `dir` with `request` on stdin; its stdout must be one JSON value.
pub async fn run(
    op: Operation,
    argv: &[String],
    dir: Option<&Path>,
    request: &Value,
    timeout: Duration,
    api: &str,
) -> Result<Value, OperationError> {
    let (program, args) =
        argv.split_first().ok_or_else(|| OperationError::NoProgram { operation: op, argv: argv.to_vec() })?;
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args)
        .env("CHATSPEC_API", api)
        .env("CHATSPEC_OPERATION", op.name())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    cmd.process_group(0);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let mut child = cmd.spawn().map_err(|source| OperationError::Spawn {
        operation: op,
        argv: argv.to_vec(),
        dir: dir.map(Path::to_path_buf),
        source,
    })?;
    if let Some(mut stdin) = child.stdin.take() {
        let input = request.to_string().into_bytes();
        // A command that does not read its stdin may exit first: that is no error.
        tokio::spawn(async move {
            let _ = stdin.write_all(&input).await;
        });
    }
    let mut stdout = collect(child.stdout.take());
    let mut stderr = collect(child.stderr.take());
    let status = match tokio::time::timeout(timeout, child.wait()).await {
        Ok(Ok(status)) => status,
        Ok(Err(source)) => return Err(OperationError::Wait { operation: op, argv: argv.to_vec(), source }),
        Err(_) => {
            kill(&mut child).await;
            stderr.finished(Duration::from_secs(1)).await;
            return Err(OperationError::TimedOut {
                operation: op,
                argv: argv.to_vec(),
                timeout,
                stderr: stderr.text(),
            });
        }
    };
    // Its output is complete once the pipes close (a background child may hold them open:
    // then what came so far counts).
    stdout.finished(timeout).await;
    stderr.finished(Duration::from_secs(1)).await;
    if !status.success() {
        return Err(OperationError::Exited {
            operation: op,
            argv: argv.to_vec(),
            status,
            stderr: stderr.text(),
        });
    }
    let out = stdout.text();
    match serde_json::from_str::<Value>(out.trim()) {
        Ok(v) => Ok(v),
        Err(error) => Err(OperationError::NotJson {
            operation: op,
            argv: argv.to_vec(),
            error,
            stdout: out,
            stderr: stderr.text(),
        }),
    }
}

/// Stops a command that ran out of time, with whatever it started (its process group).
async fn kill(child: &mut tokio::process::Child) {
    #[cfg(unix)]
    if let Some(pid) = child.id().and_then(|p| i32::try_from(p).ok()).and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    let _ = child.kill().await;
}

/// "; stderr's last lines: ..." or nothing when stderr was empty.
fn tail(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return "; stderr was empty".into();
    }
    let last = &lines[lines.len().saturating_sub(STDERR_LINES)..];
    format!("; stderr's last lines:\n  {}", last.join("\n  "))
}

/// A pipe read to its end in a task; what came so far can be read at any time.
struct Collected {
    buf: Arc<Mutex<Vec<u8>>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

fn collect(pipe: Option<impl AsyncRead + Unpin + Send + 'static>) -> Collected {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let task = pipe.map(|mut pipe| {
        let buf = buf.clone();
        tokio::spawn(async move {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                buf.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(&chunk[..n]);
            }
        })
    });
    Collected { buf, task }
}

impl Collected {
    /// Waits at most `wait` for the pipe to close.
    async fn finished(&mut self, wait: Duration) {
        if let Some(task) = self.task.as_mut() {
            let _ = tokio::time::timeout(wait, task).await;
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.buf.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl Drop for Collected {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// `POST url` with `request`; the reply must be 2xx with a JSON body.
async fn webhook(
    ctx: &RunContext,
    op: Operation,
    url: &str,
    request: &Value,
    timeout: Duration,
) -> Result<Value, OperationError> {
    let resp = ctx.http.post(url).timeout(timeout).json(request).send().await.map_err(|e| {
        OperationError::NoReply { operation: op, url: url.to_owned(), cause: crate::reply::root_cause(&e) }
    })?;
    let status = resp.status().as_u16();
    let body = resp.text().await.unwrap_or_default();
    if !(200..300).contains(&status) {
        return Err(OperationError::WebhookStatus { operation: op, url: url.to_owned(), status, body });
    }
    match serde_json::from_str(body.trim()) {
        Ok(v) => Ok(v),
        Err(error) => {
            Err(OperationError::WebhookNotJson { operation: op, url: url.to_owned(), status, error, body })
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    async fn sh(script: &str, timeout: Duration) -> Result<Value, String> {
        let argv: Vec<String> = ["sh", "-c", script, "make-user"].iter().map(|s| (*s).to_owned()).collect();
        run(Operation::CreateUser, &argv, None, &json!({"name": "Ann"}), timeout, "connectnow")
            .await
            .map_err(|e| e.to_string())
    }

    const USER: &str = r#"{"user": {"id": 1, "name": "Ann", "email": "ann@x.test", "created_at": "2026-11-30T23:42:48.000000Z", "updated_at": "2026-11-30T23:42:48.000000Z"}, "api_token": "t1"}"#;

    #[tokio::test]
    async fn a_command_reads_its_request_and_prints_its_reply() {
        let got = sh(
            &format!("read -r req; case \"$req\" in *Ann*) echo '{USER}';; esac"),
            Duration::from_secs(10),
        )
        .await
        .unwrap();
        check_reply(Operation::CreateUser, "connectnow", &got).unwrap();
    }

    #[tokio::test]
    async fn a_failing_command_names_itself_its_status_and_stderr() {
        let e = sh("echo one >&2; echo 'no such company' >&2; exit 3", Duration::from_secs(10))
            .await
            .unwrap_err();
        assert!(e.starts_with("the create_user command `sh -c"), "{e}");
        assert!(e.contains("exited with status 3") && e.ends_with("one\n  no such company"), "{e}");
    }

    #[tokio::test]
    async fn output_that_is_not_one_json_value_is_refused() {
        let e = sh("echo 'user created'; echo oops >&2", Duration::from_secs(10)).await.unwrap_err();
        assert!(e.contains("printed no single JSON value on stdout") && e.contains("user created"), "{e}");
        assert!(e.contains("oops"), "{e}");
        let e = sh("echo '{}' '{}'", Duration::from_secs(10)).await.unwrap_err();
        assert!(e.contains("no single JSON value"), "{e}");
    }

    #[tokio::test]
    async fn a_reply_outside_the_admin_schema_is_refused_with_the_schema_path() {
        let got = sh("echo '{\"user\": {\"id\": 1}}'", Duration::from_secs(10)).await.unwrap();
        let e = check_reply(Operation::CreateUser, "connectnow", &got).unwrap_err().to_string();
        assert!(
            e.starts_with(
                "create_user: the reply does not hold to the admin schema connectnow.response.users"
            ),
            "{e}"
        );
        assert!(e.contains("api_token"), "{e}");
    }

    #[tokio::test]
    async fn a_command_that_hangs_is_stopped_at_its_timeout() {
        let started = std::time::Instant::now();
        let e = sh("echo waiting >&2; sleep 30", Duration::from_secs(1)).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
        assert!(
            e.contains("did not finish within 1 s (provisioning.timeout_seconds) and was stopped")
                && e.contains("waiting"),
            "{e}"
        );
    }

    #[tokio::test]
    async fn a_missing_program_is_named() {
        let argv = vec!["./no-such-script.sh".to_owned()];
        let e = run(Operation::Outbox, &argv, None, &json!({}), Duration::from_secs(5), "connectnow")
            .await
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("the outbox command `./no-such-script.sh` could not be started"), "{e}");
    }
}
