//! Steps for typing (seed 003): the `typing` packet and the typing events the other
//! participants receive (NOTES.md S47).

use std::panic::AssertUnwindSafe;

use chatspec_specs::sama::messages::{TypingPacket, TypingParams};
use cucumber::{then, when};
use futures::FutureExt;

use crate::kit::prose::names;
use crate::sama::SamaWorld;
use crate::sama::world::field;

#[when(regex = r#"^(\w+) (starts|stops) typing in "([^"]*)"$"#)]
async fn types(w: &mut SamaWorld, who: String, how: String, to: String) {
    let cid = w.conv(&to).cid;
    // `typing: { cid }` as the seed shows it; stopping says so in `status` (S47).
    let status = (how == "stops").then(|| "stop".to_owned());
    let params = TypingParams { cid, status, id: None };
    // No reply on success; an error, if one comes, answers it (S12).
    let pending = w.socket(&who).send_packet::<TypingPacket>(None, &params);
    let pending = match pending {
        Ok(p) => p,
        Err(bug) => w.suite_bug(bug),
    };
    w.quiet_from = Some(tokio::time::Instant::now());
    w.pending = Some(pending);
}

#[then(
    regex = r#"^(.+?) (?:each receive|receives) typing from (\w+) in "([^"]*)"(?: with the status "([^"]*)")?$"#
)]
async fn receives_typing(w: &mut SamaWorld, list: String, from: String, to: String, status: String) {
    let (from_id, cid) = (w.uid(&from), w.conv(&to).cid);
    for who in names(&list) {
        let what = format!("typing {{cid: {cid:?}, from: {from_id:?}}}");
        let e = w
            .expect_frame(&who, &what, |e| e.name == "typing" && field(e, "cid") == Some(cid.as_str()))
            .await;
        // "receive the same typing message": who types, and how, are the register's (S47).
        if field(&e, "from") != Some(from_id.as_str()) {
            w.reading("S47", "a forwarded typing says who types", &what, &e.data);
        }
        if !status.is_empty() && field(&e, "status") != Some(status.as_str()) {
            w.reading(
                "S47",
                "a forwarded stop typing keeps its status",
                format!("status {status:?}"),
                &e.data,
            );
        }
    }
}

#[then(regex = r"^(\w+) receives no typing(?: \(reading (S\d+)\))?$")]
async fn no_typing(w: &mut SamaWorld, who: String, entry: String) {
    let done = AssertUnwindSafe(w.expect_no_frame(&who, "a typing event", |e| e.name == "typing"))
        .catch_unwind()
        .await;
    w.grade(&entry, done);
}
