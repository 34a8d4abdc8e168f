//! Steps for contacts (seed 003): `contact_add`, the batch request, `contact_update`,
//! `contact_list` and `contact_delete` (NOTES.md S21 to S25). A contact labelled "Ann One" is
//! Ann with a last name made unique to the run, so scenarios only ever look at their own.

use std::panic::AssertUnwindSafe;

use chatspec_specs::sama::compat::Switch;
use cucumber::{given, then, when};
use futures::FutureExt;
use serde_json::{Value, json};

use crate::kit::prose::quoted;
use crate::sama::SamaWorld;
use crate::sama::driver::SamaReply;
use crate::sama::world::{ids_of, items};

/// The contact parameters for label "Ann One": first name Ann, last name One plus the run id.
fn contact(w: &mut SamaWorld, label: &str) -> Value {
    let (first, last) = label.split_once(' ').unwrap_or((label, "Contact"));
    let last = w.unique(last);
    w.remembered.insert(format!("contact:{label}"), json!(last));
    let phone = w.phone();
    json!({"first_name": first, "last_name": last, "company": "Chatspec", "phone": [{"type": "home", "value": phone}]})
}

/// The label of a contact record, by the last name it was given.
fn label_of(w: &SamaWorld, record: &Value) -> Option<String> {
    let last = record.get("last_name")?;
    w.remembered
        .iter()
        .find_map(|(k, v)| (v == last).then(|| k.strip_prefix("contact:").map(str::to_owned)).flatten())
}

fn contact_id(w: &SamaWorld, label: &str) -> String {
    match w.contacts.get(label) {
        Some(id) => id.clone(),
        None => panic!("the scenario added no contact {label:?}"),
    }
}

/// Notes the ids of the contacts in a reply under their labels.
fn note(w: &mut SamaWorld, records: &[Value]) {
    for r in records {
        if let (Some(label), Some(id)) = (label_of(w, r), r.get("_id").and_then(Value::as_str)) {
            w.contacts.insert(label, id.to_owned());
        }
    }
}

async fn add(w: &mut SamaWorld, name: &str, params: Value) {
    let reply = w.request(name, "contact_add", params).await;
    if reply.is_ok()
        && let Some(c) = reply.body.get("contact").cloned()
    {
        note(w, &[c]);
    }
}

/// Sends the batch request under the name the target serves it (S21).
async fn add_batch(w: &mut SamaWorld, name: &str, contacts: Vec<Value>) {
    let request_name = w.ctx.target.sama.batch_contacts.clone();
    let params = if request_name == "contacts" { json!(contacts) } else { json!({"contacts": contacts}) };
    let reply = w.request(name, &request_name, params).await;
    if reply.is_ok() {
        note(w, &items(&reply.body, "contacts"));
    }
}

#[given(regex = r"^(\w+) has set a fresh e-mail address$")]
async fn fresh_email(w: &mut SamaWorld, name: String) {
    let email = format!("{}@example.test", w.unique(&name).to_lowercase());
    let reply = w.request(&name, "user_edit", json!({"email": email})).await;
    w.ok(&reply);
    w.remembered.insert(format!("email:{name}"), json!(email));
}

#[when(regex = r#"^(\w+) adds the contact "([^"]*)" with (\w+)'s e-mail and a phone no user has$"#)]
async fn adds_matching(w: &mut SamaWorld, name: String, label: String, whose: String) {
    let mut params = contact(w, &label);
    let email = w.remembered.get(&format!("email:{whose}")).cloned().unwrap_or(Value::Null);
    params["email"] = json!([{"type": "work", "value": email}]);
    add(w, &name, params).await;
}

#[then(
    regex = r#"^the reply's contact "([^"]*)" has its e-mail matched to (\w+) and its phone to no one(?: \(reading (S\d+)\))?$"#
)]
async fn matched(w: &mut SamaWorld, _label: String, whose: String, entry: String) {
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| matched_to(w, &whose)));
    w.grade(&entry, done);
}

fn matched_to(w: &SamaWorld, whose: &str) {
    let reply = w.last();
    let body = w.ok(&reply);
    let id = w.actor(whose).id.clone();
    let c = body.get("contact").cloned().unwrap_or(Value::Null);
    let email_match = c.pointer("/email/0/matched_user_id").and_then(Value::as_str);
    let phone_match = c.pointer("/phone/0/matched_user_id");
    if email_match != Some(id.as_str()) || phone_match.is_some_and(|m| !m.is_null()) {
        w.fail(
            "matched_user_id names the user whose e-mail or phone the value is (S23)",
            format!("email[0].matched_user_id {id:?}, phone[0] without matched_user_id"),
            c,
        );
    }
}

#[when(regex = r"^(\w+) adds a contact with a phone and no name$")]
async fn adds_nameless(w: &mut SamaWorld, name: String) {
    let phone = w.phone();
    add(w, &name, json!({"phone": [{"type": "home", "value": phone}]})).await;
}

#[when(regex = r"^(\w+) adds a contact with a first name and neither e-mail nor phone$")]
async fn adds_unreachable(w: &mut SamaWorld, name: String) {
    add(w, &name, json!({"first_name": "Nobody"})).await;
}

#[when(regex = r#"^(\w+) adds the contacts "([^"]*)" and "([^"]*)" in one batch$"#)]
async fn adds_batch(w: &mut SamaWorld, name: String, a: String, b: String) {
    let contacts = vec![contact(w, &a), contact(w, &b)];
    add_batch(w, &name, contacts).await;
}

#[when(
    regex = r#"^(\w+) adds the contact "([^"]*)" and a contact with neither e-mail nor phone in one batch$"#
)]
async fn adds_bad_batch(w: &mut SamaWorld, name: String, a: String) {
    let contacts = vec![contact(w, &a), json!({"first_name": "Nobody", "company": "Chatspec"})];
    add_batch(w, &name, contacts).await;
}

#[then(regex = r"^the batch is refused(?: with status (\d+))?$")]
async fn batch_refused(w: &mut SamaWorld, status: String) {
    let reply = w.last();
    let added = items(&reply.body, "contacts");
    // "email or phone param is required": a server that adds the good contacts and drops the
    // bad one silently has the known deviation batch_drops_incomplete_contacts (S22).
    if reply.is_ok()
        && added.iter().all(|c| label_of(w, c).is_some())
        && w.deviation(
            Switch::BatchDropsIncompleteContacts,
            "a batch with a contact lacking e-mail and phone is refused",
            "an error reply",
            format!("{} contacts added, the bad one dropped", added.len()),
        )
    {
        w.waived.push(Switch::BatchDropsIncompleteContacts);
        return;
    }
    let want: Vec<u64> = status.parse().into_iter().collect();
    if reply.is_ok() && added.iter().all(|c| label_of(w, c).is_some()) {
        w.fail_known(
            Switch::BatchDropsIncompleteContacts,
            "\"email or phone param is required, as well as first_name or last_name\"",
            "an error reply",
            reply.describe(),
        );
    }
    w.refused(&reply, &want);
}

#[then(regex = r"^the reply lists the contacts (.+) in that order$")]
async fn batch_lists(w: &mut SamaWorld, list: String) {
    let reply = w.last();
    let body = w.ok(&reply);
    let got: Vec<Option<String>> = items(&body, "contacts").iter().map(|c| label_of(w, c)).collect();
    let want: Vec<Option<String>> = quoted(&list).into_iter().map(Some).collect();
    if got != want {
        w.fail(
            "the batch request answers every contact it added, in order",
            format!("{want:?}"),
            reply.describe(),
        );
    }
}

#[given(regex = r#"^(\w+) has added the contacts? (.+)$"#)]
async fn has_added(w: &mut SamaWorld, name: String, list: String) {
    for label in quoted(&list) {
        let params = contact(w, &label);
        add(w, &name, params).await;
        let reply = w.last();
        w.ok(&reply);
    }
}

#[when(regex = r#"^(\w+) changes the company of the contact "([^"]*)" to "([^"]*)"$"#)]
async fn changes_company(w: &mut SamaWorld, name: String, label: String, company: String) {
    let id = contact_id(w, &label);
    w.request(&name, "contact_update", json!({"id": id, "company": company})).await;
}

#[then(regex = r#"^the reply's contact "([^"]*)" has the company "([^"]*)"$"#)]
async fn has_company(w: &mut SamaWorld, label: String, company: String) {
    let reply = w.last();
    let body = w.ok(&reply);
    let c = body.get("contact").cloned().unwrap_or(Value::Null);
    if c.get("company").and_then(Value::as_str) != Some(company.as_str())
        || label_of(w, &c).as_deref() != Some(label.as_str())
    {
        w.fail(
            "contact_update replaces the fields it is given and keeps the others",
            format!("{label} with company {company:?}"),
            c,
        );
    }
}

async fn list(w: &mut SamaWorld, name: &str, params: Value) -> Vec<Value> {
    let reply = w.request(name, "contact_list", params).await;
    let body = w.ok(&reply);
    w.listed = items(&body, "contacts");
    w.listed.clone()
}

#[when(regex = r"^(\w+) lists (?:her|his) contacts$")]
async fn lists(w: &mut SamaWorld, name: String) {
    list(w, &name, json!({"limit": 100})).await;
}

#[when(regex = r"^(\w+) lists (?:her|his) contacts with the ids of (.+)$")]
async fn lists_ids(w: &mut SamaWorld, name: String, labels: String) {
    let ids: Vec<String> = quoted(&labels).iter().map(|l| contact_id(w, l)).collect();
    let reply = w.request(&name, "contact_list", json!({"ids": ids})).await;
    if reply.refused()
        && w.deviation(
            Switch::ContactListRefusesIds,
            "\"You can also add the `ids` parameter\" to contact_list",
            "the contacts with those ids",
            reply.describe(),
        )
    {
        w.waived.push(Switch::ContactListRefusesIds);
        return;
    }
    if reply.refused() {
        w.fail_known(
            Switch::ContactListRefusesIds,
            "\"You can also add the `ids` parameter\" to contact_list",
            "the contacts with those ids",
            reply.describe(),
        );
    }
    let body = w.ok(&reply);
    w.listed = items(&body, "contacts");
}

#[when(regex = r"^(\w+) lists (?:her|his) contacts with (\d+) ids$")]
async fn lists_n_ids(w: &mut SamaWorld, name: String, n: usize) {
    let ids: Vec<String> = (0..n).map(|i| format!("{i:024x}")).collect();
    w.request(&name, "contact_list", json!({"ids": ids})).await;
}

#[then(regex = r"^the listed contacts are (.+) in that order(?: \(reading (S\d+)\))?$")]
async fn listed_in_order(w: &mut SamaWorld, labels: String, entry: String) {
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let want = quoted(&labels);
        let got: Vec<String> =
            w.listed.iter().filter_map(|c| label_of(w, c)).filter(|l| want.contains(l)).collect();
        if got != want {
            w.fail(
                "contact_list lists the oldest change first (S24)",
                format!("{want:?}"),
                format!("{got:?}"),
            );
        }
    }));
    w.grade(&entry, done);
}

#[then(regex = r"^the listed contacts are exactly (.+)$")]
async fn listed_exactly(w: &mut SamaWorld, labels: String) {
    if w.waived.contains(&Switch::ContactListRefusesIds) {
        return;
    }
    let mut want: Vec<String> = quoted(&labels).iter().map(|l| contact_id(w, l)).collect();
    let mut got = ids_of(&w.listed);
    want.sort();
    got.sort();
    if got != want {
        w.fail("contact_list with ids answers those contacts", format!("{want:?}"), format!("{got:?}"));
    }
}

#[then(regex = r#"^(\w+)'s contacts (do not include|include) "([^"]*)"(?: \(reading (S\d+)\))?$"#)]
async fn contacts_include(w: &mut SamaWorld, name: String, how: String, label: String, entry: String) {
    if w.waived.contains(&Switch::BatchDropsIncompleteContacts) {
        // The batch was not refused (a declared deviation): its good contacts are there.
        return;
    }
    let done = AssertUnwindSafe(contacts_listed(w, &name, &how, &label)).catch_unwind().await;
    w.grade(&entry, done);
}

async fn contacts_listed(w: &mut SamaWorld, name: &str, how: &str, label: &str) {
    let listed = list(w, name, json!({"limit": 100})).await;
    let present = listed.iter().any(|c| label_of(w, c).as_deref() == Some(label));
    if present != (how == "include") {
        w.fail(
            &format!("{name}'s contacts {how} {label:?}"),
            format!("{label:?} {}listed", if how == "include" { "" } else { "not " }),
            format!("{} contacts listed", listed.len()),
        );
    }
}

#[when(regex = r#"^(\w+) deletes (?:the|(\w+)'s) contact "([^"]*)"$"#)]
async fn deletes(w: &mut SamaWorld, name: String, _owner: String, label: String) {
    let id = contact_id(w, &label);
    w.request(&name, "contact_delete", json!({"id": id})).await;
}
