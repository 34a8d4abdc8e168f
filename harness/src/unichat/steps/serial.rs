//! Steps for message serials and loading messages (seed 001, "Message serial": "its serial
//! field gets some new value, which is guaranteed to be bigger than it was"; "Load messages").

use chatspec_specs::unichat::messages::{GetMessages, GetMessagesArgs, PostMessageArgs};
use cucumber::{given, then, when};
use serde_json::Value;

use crate::kit::prose::quoted;
use crate::unichat::UnichatWorld;
use crate::unichat::world::serial_of;
use crate::verdict::Ground;

impl UnichatWorld {
    /// Loads the messages of `room` as `actor` with `args` (its subscription filled in); they
    /// become the loaded messages the checks read.
    async fn load(&mut self, actor: &str, room: &str, args: GetMessagesArgs) {
        let sid = self.sub_of(actor, room).await;
        self.call::<GetMessages>(actor, GetMessagesArgs { subscription_id: Some(sid), ..args }).await;
        let body = self.last_ok();
        self.loaded = body.get("messages").and_then(Value::as_array).cloned().unwrap_or_default();
    }

    /// Fails unless the serial of `label` is above every other serial of `room`.
    async fn check_serial_above_rest(&mut self, label: &str, room: &str) {
        let id = self.message_id(label);
        let Some(mine) = self.seen.get(label).and_then(serial_of) else {
            self.fail("the changed message has a serial", "serial", format!("{:?}", self.seen.get(label)));
        };
        let reader = self.room(room).creator;
        let all = self.latest_messages(&reader, room).await;
        let others: Vec<u64> = all
            .iter()
            .filter(|m| m.get("id").and_then(Value::as_u64) != Some(id))
            .filter_map(serial_of)
            .collect();
        if let Some(max) = others.iter().max().filter(|&&max| max >= mine) {
            self.fail("\"its serial field gets some new value, which is guaranteed to be bigger than it was\" (and than every serial before the change)", format!("serial > {max}"), mine);
        }
    }
}

#[then(regex = r"^the serials of (.+) increase$")]
async fn serials_increase(w: &mut UnichatWorld, list: String) {
    let labels = quoted(&list);
    let serials: Vec<Option<u64>> = labels.iter().map(|l| w.seen.get(l).and_then(serial_of)).collect();
    if serials.iter().any(Option::is_none) || serials.windows(2).any(|p| p[0] >= p[1]) {
        let got = in_words(&labels, &w.seen, &w.unrecorded);
        w.fail(
            "each new message gets a bigger serial than any before it",
            "strictly increasing serials",
            got,
        );
    }
}

/// The serial each post of `labels` got, in words: `reply 1 ("s1"): serial 4`, or why it had
/// none (`reply 2 ("s2") had no serial (HTTP 200 text/plain "ok")`), one a line.
fn in_words(
    labels: &[String],
    seen: &std::collections::BTreeMap<String, Value>,
    unrecorded: &std::collections::BTreeMap<String, String>,
) -> String {
    let line = |(i, label): (usize, &String)| {
        let n = i + 1;
        match (seen.get(label), unrecorded.get(label)) {
            (Some(record), _) => match serial_of(record) {
                Some(serial) => format!("reply {n} ({label:?}): serial {serial}"),
                None => format!("reply {n} ({label:?}) had no serial: the message record was {record}"),
            },
            (None, Some(reply)) => {
                format!("reply {n} ({label:?}) had no serial (no message record: {reply})")
            }
            (None, None) => {
                format!("reply {n} ({label:?}) had no serial: nothing was posted under this label")
            }
        }
    };
    labels.iter().enumerate().map(line).collect::<Vec<_>>().join("\n")
}

#[then(
    regex = r#"^the serial of (?:the deleted )?"([^"]*)" is greater than every serial "([^"]*)" had before$"#
)]
async fn serial_above(w: &mut UnichatWorld, label: String, room: String) {
    w.check_serial_above_rest(&label, &room).await;
}

#[given(regex = r#"^(\w+) remembers the greatest serial in "([^"]*)"$"#)]
async fn remembers_serial(w: &mut UnichatWorld, actor: String, room: String) {
    let all = w.latest_messages(&actor, &room).await;
    w.remembered_serial = all.iter().filter_map(serial_of).max();
}

#[when(regex = r#"^(\w+) loads "([^"]*)" after the remembered serial$"#)]
async fn loads_after(w: &mut UnichatWorld, actor: String, room: String) {
    let after = w.remembered_serial.unwrap_or(0);
    w.load(&actor, &room, GetMessagesArgs { after_serial: Some(after), ..GetMessagesArgs::default() }).await;
}

#[when(regex = r#"^(\w+) loads the latest (\d+) messages of "([^"]*)"$"#)]
async fn loads_latest(w: &mut UnichatWorld, actor: String, n: u64, room: String) {
    w.load(&actor, &room, GetMessagesArgs { limit: Some(n), ..GetMessagesArgs::default() }).await;
}

#[when(regex = r#"^(\w+) loads (\d+) messages of "([^"]*)" at offset (\d+)$"#)]
async fn loads_offset(w: &mut UnichatWorld, actor: String, n: u64, room: String, offset: u64) {
    let args = GetMessagesArgs { limit: Some(n), offset: Some(offset), ..GetMessagesArgs::default() };
    w.load(&actor, &room, args).await;
}

#[when(regex = r#"^(\w+) loads (\d+) messages of "([^"]*)" before "([^"]*)"$"#)]
async fn loads_before(w: &mut UnichatWorld, actor: String, n: u64, room: String, label: String) {
    let before_id = Some(w.message_id(&label));
    w.load(&actor, &room, GetMessagesArgs { limit: Some(n), before_id, ..GetMessagesArgs::default() }).await;
}

#[then(regex = r"^the messages are (.+) in that order$")]
async fn messages_in_order(w: &mut UnichatWorld, list: String) {
    let want = quoted(&list);
    let got: Vec<String> = w
        .loaded
        .iter()
        .map(|m| m.get("text").and_then(Value::as_str).unwrap_or("<no text>").to_owned())
        .collect();
    if got != want {
        w.fail("messages come in the documented order", format!("{want:?}"), format!("{got:?}"));
    }
}

#[then("the messages' serials increase")]
async fn loaded_serials_increase(w: &mut UnichatWorld) {
    let serials: Vec<Option<u64>> = w.loaded.iter().map(serial_of).collect();
    if serials.iter().any(Option::is_none) || serials.windows(2).any(|p| p[0] >= p[1]) {
        w.fail(
            "after_serial returns messages most recent last",
            "serials increasing",
            format!("{serials:?}"),
        );
    }
}

#[given(regex = r#"^(\w+) has posted the messages "m1" up to "m(\d+)" to "([^"]*)"$"#)]
async fn has_posted_many(w: &mut UnichatWorld, actor: String, n: u64, room: String) {
    for i in 1..=n {
        let text = format!("m{i}");
        let reply = w.post(&actor, &room, PostMessageArgs { text, ..PostMessageArgs::default() }).await;
        // Set-up, as every `has posted` step: a failed post blocks the scenario on its rule.
        w.set_up_ok("U-post-returns-message", &reply);
    }
}

#[when(regex = r#"^(\w+) loads "([^"]*)" without limit or offset$"#)]
async fn loads_plain(w: &mut UnichatWorld, actor: String, room: String) {
    w.load(&actor, &room, GetMessagesArgs::default()).await;
}

#[then(regex = r#"^(\d+) messages are loaded, from "([^"]*)" to "([^"]*)"$"#)]
async fn loaded_range(w: &mut UnichatWorld, n: usize, first: String, last: String) {
    let text = |m: Option<&Value>| m.and_then(|m| m.get("text")).and_then(Value::as_str).map(str::to_owned);
    let got = (w.loaded.len(), text(w.loaded.first()), text(w.loaded.last()));
    // That the signature's values are the defaults is the reading U43.
    w.check_on(
        &Ground::Reading("U43".into()),
        got == (n, Some(first.clone()), Some(last.clone())),
        "get_messages defaults to \"limit:100,offset:0\"",
        format!("{n} messages, {first:?} first and {last:?} last"),
        format!("{} messages, {:?} first and {:?} last", got.0, got.1, got.2),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serials_are_told_in_words_with_what_came_back_instead() {
        let labels: Vec<String> = ["s1", "s2", "s3"].iter().map(|s| (*s).to_owned()).collect();
        let seen = [("s3".to_owned(), json!({"id": 3, "serial": 5}))].into_iter().collect();
        let unrecorded = [("s1".to_owned(), "HTTP 200 text/plain \"ok\"".to_owned())].into_iter().collect();
        let got = in_words(&labels, &seen, &unrecorded);
        assert_eq!(
            got,
            "reply 1 (\"s1\") had no serial (no message record: HTTP 200 text/plain \"ok\")\n\
             reply 2 (\"s2\") had no serial: nothing was posted under this label\n\
             reply 3 (\"s3\"): serial 5"
        );
        assert!(!got.contains("None") && !got.contains("Some("));
    }
}
