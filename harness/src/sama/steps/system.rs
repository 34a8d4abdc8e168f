//! Steps for system messages (seed 003): the `system_message` packet, its ack, and who
//! receives it (NOTES.md S43, S44).

use std::panic::AssertUnwindSafe;

use chatspec_specs::sama::compat::Switch;
use chatspec_specs::sama::messages::{SystemMessagePacket, SystemMessageParams};
use cucumber::{then, when};
use futures::FutureExt;
use serde_json::Value;

use super::messages::{ack_of, seconds};
use crate::events::Received;
use crate::kit::prose::names;
use crate::sama::SamaWorld;
use crate::sama::driver::SamaReply;
use crate::sama::world::field;

#[when(regex = r#"^(\w+) sends a system message with the x (\{.*\}) to (.+)$"#)]
async fn sends_system(w: &mut SamaWorld, who: String, x: String, to: String) {
    let x = w.fill_x(&x);
    let id = w.unique("sys");
    let mut params = SystemMessageParams { id: id.clone(), x: Some(x), ..SystemMessageParams::default() };
    match to.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(label) => params.cid = Some(w.conv(label).cid),
        None => params.uids = Some(names(&to).iter().map(|n| w.uid(n)).collect()),
    }
    let sent = w.socket(&who).packet::<SystemMessagePacket>(&id, &params).await;
    w.keep(sent);
    w.quiet_from = Some(tokio::time::Instant::now());
}

fn is_system(e: &Received, x: &Value) -> bool {
    e.name == "system_message" && e.data.get("x") == Some(x)
}

#[then(regex = r#"^(\w+) receives the system message with the x (\{.*\}) from (\w+)(?: in "([^"]*)")?$"#)]
async fn receives_system(w: &mut SamaWorld, who: String, x: String, from: String, to: String) {
    let x = w.fill(&x);
    let from_id = w.uid(&from);
    let cid = (!to.is_empty()).then(|| w.conv(&to).cid);
    let what = format!("system_message {{x: {x}, from: {from_id:?}, cid: {cid:?}}}");
    let e = w.expect_frame(&who, &what, |e| is_system(e, &x)).await;
    if field(&e, "from") != Some(from_id.as_str())
        || e.data.get("cid").and_then(Value::as_str) != cid.as_deref()
    {
        w.fail(
            "a system message reaches its recipients with who sent it, and its cid when sent to one (S44)",
            what,
            e.data,
        );
    }
}

#[then(regex = r#"^(\w+) receives no system message with the x (\{.*\})(?: \(reading (S\d+)\))?$"#)]
async fn no_system(w: &mut SamaWorld, who: String, x: String, entry: String) {
    let x = w.fill(&x);
    let what = format!("the system message {x}");
    let done = AssertUnwindSafe(w.expect_no_frame(&who, &what, |e| is_system(e, &x))).catch_unwind().await;
    w.grade(&entry, done);
}

#[then(regex = r"^(\w+) gets an ack for that system message$")]
async fn system_ack(w: &mut SamaWorld, _who: String) {
    let reply = w.last();
    w.acks.insert("(system message)".into(), reply.clone());
    let rule = "\"On each message sent to server - a server will deliver back to client a simple packet with message id and timestamp\" (S40)";
    let ack = ack_of(w, "(system message)", rule);
    if ack.get("mid").and_then(Value::as_str) != Some(reply.id()) || seconds(&ack["t"]).is_none() {
        w.fail(rule, format!("{{ack: {{mid: {:?}, server_mid, t: <seconds>}}}}", reply.id()), ack);
    }
    if ack.get("server_mid").and_then(Value::as_str).is_none_or(str::is_empty) {
        w.fail_known(Switch::AckAsAsk, rule, "{ack: {mid, server_mid, t}}", &ack);
    }
}
