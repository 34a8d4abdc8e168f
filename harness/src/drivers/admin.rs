//! The mock admin API every chatspec mock serves beside its API (DESIGN.md, "Mock admin
//! API"): provisioning users and groups, the outbox, the clock and the rate limit. Every
//! reply is checked against the admin contract (`specs/schemas/admin/`), whichever mode
//! provisions the target, and every way a call can go wrong is one of [`AdminError`]'s: none
//! of them is a failure of the API under test (`kit/admin.rs` gives the verdicts).

use reqwest::Method;
use serde_json::Value;

use crate::context::RunContext;
use crate::target::Provisioning;
use crate::target::operations::Operation;
use crate::wire::WireLog;

/// Why an admin call gave no usable reply. The same outcome has the same variant in every
/// provisioning mode, and none is a failure of the API under test: the admin API (or the
/// command or webhook standing for it) is the run's set-up, which no API document speaks of.
#[derive(Clone, Debug, PartialEq)]
pub enum AdminError {
    /// The target offers no admin API.
    NoAdmin,
    /// The target does not offer this call: the admin API answered HTTP 404 or 405, or the
    /// profile maps no command or webhook to the operation.
    NotServed(String),
    /// A reply that breaks the admin contract: no JSON, or JSON outside the operation's
    /// schema. A provisioning error; it names the operation, the schema and what came back.
    Contract(String),
    /// The provisioning failed: in `admin` mode the admin API gave no reply or answered
    /// outside 2xx (but 404 and 405, [`AdminError::NotServed`]); in `command` and `http`
    /// mode the command could not start, exited non-zero or ran past its timeout, or the
    /// webhook gave no reply or answered outside 2xx. A provisioning error too: it names the
    /// operation, the call (method and URL, or the command line), and the status and body,
    /// the exit status and stderr, or the connection error.
    Provisioning(String),
}

/// Calls `method {admin}{path}` with an optional JSON body; the reply's JSON body on 2xx.
/// The outbox can be long, so its reply is logged as a count, not in full.
pub async fn call(
    ctx: &RunContext,
    wire: &WireLog,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> Result<Value, AdminError> {
    let mut body = body.cloned();
    // The provisioning call takes the profile's extra fields (`extra_fields.provision`).
    if let (true, Some(b)) = (path == "/_mock/users", body.as_mut()) {
        let login = b.get("name").and_then(Value::as_str).map(str::to_owned);
        ctx.shape(crate::target::shaping::PROVISION, b, None, login.as_deref());
    }
    // E-mail goes to chatspec's SMTP sink when the profile names one, whatever the mode.
    if let (&Method::GET, "/_mock/outbox", Some(sink)) = (&method, path, ctx.smtp()) {
        let outbox = sink.outbox();
        let n = outbox.get("outbox").and_then(Value::as_array).map_or(0, Vec::len);
        wire.push("request", None, format!("the SMTP sink at {}: what arrived", sink.addr), None);
        wire.push("response", None, format!("{n} e-mails by recipient"), None);
        return Ok(outbox);
    }
    if matches!(ctx.target.provisioning, Provisioning::Command { .. } | Provisioning::Http { .. }) {
        return super::operations::call(ctx, wire, method, path, body).await;
    }
    let Some(admin) = ctx.target.admin_url.as_deref() else {
        return Err(AdminError::NoAdmin);
    };
    let url = format!("{admin}{path}");
    wire.push("request", None, format!("{method} {url}"), body.clone());
    let mut req = ctx.http.request(method.clone(), &url);
    if let Some(b) = &body {
        req = req.json(b);
    }
    // "the create_user admin call POST <url>", as the command's and webhook's errors open.
    let call = match Operation::from_call(&method, path) {
        Some((op, _)) => format!("the {} admin call {method} {url}", op.name()),
        None => format!("the admin call {method} {url}"),
    };
    let resp = req.send().await.map_err(|e| {
        let cause = crate::reply::root_cause(&e);
        wire.push("response", None, format!("no reply: {cause}"), None);
        AdminError::Provisioning(format!("{call}: no reply: {cause}"))
    })?;
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let summary = format!("{status} {path}");
    match json.get("outbox").and_then(Value::as_array) {
        Some(list) => wire.push("response", None, format!("{summary} ({} entries)", list.len()), None),
        None => wire.push(
            "response",
            None,
            summary,
            Some(if json.is_null() { Value::String(text.clone()) } else { json.clone() }),
        ),
    }
    match status {
        200..=299 => match Operation::from_call(&method, path) {
            Some((op, _)) if json.is_null() => Err(AdminError::Contract(format!(
                "{}: {method} {url} answered HTTP {status} without a JSON body (the admin schema {schema}, {file}): {text:?}",
                op.name(),
                schema = op.reply_schema(&ctx.target.api),
                file = super::operations::schema_file(&op.reply_schema(&ctx.target.api)),
            ))),
            Some((op, _)) => {
                super::operations::check_reply(op, &ctx.target.api, &json)
                    .map_err(|e| AdminError::Contract(e.to_string()))?;
                Ok(json)
            }
            // A route no operation stands for has no reply schema of its own here.
            None if json.is_null() => Err(AdminError::Contract(format!(
                "{method} {url} answered HTTP {status} without a JSON body: {text:?}"
            ))),
            None => Ok(json),
        },
        // The body may say where the route is served (a mock run with --admin-addr does).
        404 | 405 => Err(AdminError::NotServed(match text.trim() {
            "" => format!("{method} {url} answered HTTP {status}"),
            body => format!(
                "{method} {url} answered HTTP {status}: {}",
                body.chars().take(300).collect::<String>()
            ),
        })),
        _ => Err(AdminError::Provisioning(format!(
            "{call} answered HTTP {status}: {}",
            text.chars().take(500).collect::<String>()
        ))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::target::Target;

    /// A `mode = "admin"` context whose admin API is at `admin`.
    fn ctx(admin: &str) -> std::sync::Arc<RunContext> {
        let mut target = Target::embedded("unichat", "http://127.0.0.1:9".into());
        target.admin_url = Some(admin.to_owned());
        RunContext::new(target).unwrap()
    }

    #[tokio::test]
    async fn an_admin_address_that_refuses_connections_is_a_provisioning_error_naming_the_call() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let admin = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let body = serde_json::json!({"name": "Ann"});
        let e = call(&ctx(&admin), &WireLog::default(), Method::POST, "/_mock/users", Some(&body)).await;
        let want =
            format!("the create_user admin call POST {admin}/_mock/users: no reply: connection refused");
        assert_eq!(e, Err(AdminError::Provisioning(want)));
    }
}
