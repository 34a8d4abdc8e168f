//! Steps for contacts (seed 003): `contact_add`, the batch request, `contact_update`,
//! `contact_list` and `contact_delete` (NOTES.md S21 to S25). A contact labelled "Ann One" is
//! Ann with a last name made unique to the run, so scenarios only ever look at their own.

use std::panic::AssertUnwindSafe;

use chatspec_specs::Endpoint as _;
use chatspec_specs::sama::compat::Switch;
use chatspec_specs::sama::contacts::{
    ContactAdd, ContactBatchAdd, ContactBatchParams, ContactDelete, ContactDeleteParams, ContactFieldInput,
    ContactList, ContactListParams, ContactParams, ContactUpdate, ContactUpdateParams, Contacts,
};
use chatspec_specs::sama::times::{TimeFilter, TimeRange};
use chatspec_specs::sama::users::{UserEdit, UserEditParams};
use cucumber::{given, then, when};
use futures::FutureExt;
use serde_json::{Value, json};

use crate::kit::prose::quoted;
use crate::sama::SamaWorld;
use crate::sama::driver::{Body, SamaReply};
use crate::sama::world::{ids_of, items, millis};

/// The contact parameters for label "Ann One": first name Ann, last name One plus the run id.
fn contact(w: &mut SamaWorld, label: &str) -> ContactParams {
    let (first, last) = label.split_once(' ').unwrap_or((label, "Contact"));
    let last = w.unique(last);
    w.remembered.insert(format!("contact:{label}"), json!(last));
    let phone = w.phone();
    ContactParams {
        first_name: Some(first.to_owned()),
        last_name: Some(last),
        company: Some("Chatspec".into()),
        phone: Some(vec![field("home", phone)]),
        ..ContactParams::default()
    }
}

/// An e-mail address or phone number of kind `kind` (`home`, `work`).
fn field(kind: &str, value: String) -> ContactFieldInput {
    ContactFieldInput { kind: Some(kind.to_owned()), value }
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
            w.remembered
                .insert(format!("contact_at:{label}"), r.get("updated_at").cloned().unwrap_or(Value::Null));
            w.contacts.insert(label, id.to_owned());
        }
    }
}

async fn add(w: &mut SamaWorld, name: &str, params: ContactParams) {
    let reply = w.request::<ContactAdd>(name, params).await;
    if reply.is_ok()
        && let Some(c) = reply.body.get("contact").cloned()
    {
        note(w, &[c]);
    }
}

/// Sends the batch request under the name the target serves it (S21).
async fn add_batch(w: &mut SamaWorld, name: &str, contacts: Vec<ContactParams>) {
    let reply = if w.ctx.target.sama.batch_contacts == "contacts" {
        w.request::<Contacts>(name, contacts).await
    } else {
        w.request::<ContactBatchAdd>(name, ContactBatchParams { contacts }).await
    };
    if reply.is_ok() {
        note(w, &items(&reply.body, "contacts"));
    }
}

#[given(regex = r"^(\w+) has set a fresh e-mail address$")]
async fn fresh_email(w: &mut SamaWorld, name: String) {
    let email = format!("{}@example.test", w.unique(&name).to_lowercase());
    let params = UserEditParams { email: Some(email.clone()), ..UserEditParams::default() };
    let reply = w.request::<UserEdit>(&name, params).await;
    w.ok(&reply);
    w.remembered.insert(format!("email:{name}"), json!(email));
}

#[given(regex = r"^(\w+) has set a fresh phone number$")]
async fn fresh_phone(w: &mut SamaWorld, name: String) {
    let phone = w.phone();
    let params = UserEditParams { phone: Some(phone.clone()), ..UserEditParams::default() };
    let reply = w.request::<UserEdit>(&name, params).await;
    w.ok(&reply);
    w.remembered.insert(format!("phone:{name}"), json!(phone));
}

#[when(regex = r#"^(\w+) adds the contact "([^"]*)" with (\w+)'s phone and an e-mail no user has$"#)]
async fn adds_matching_phone(w: &mut SamaWorld, name: String, label: String, whose: String) {
    let mut params = contact(w, &label);
    let Some(phone) = w.remembered.get(&format!("phone:{whose}")).and_then(Value::as_str) else {
        panic!("{whose} set no fresh phone number before this step");
    };
    params.phone = Some(vec![field("home", phone.to_owned())]);
    let email = format!("{}@nobody.example.test", w.unique("contact").to_lowercase());
    params.email = Some(vec![field("work", email)]);
    add(w, &name, params).await;
}

#[then(
    regex = r#"^the reply's contact "([^"]*)" has its phone matched to (\w+) and its e-mail to no one(?: \(reading (S\d+)\))?$"#
)]
async fn phone_matched(w: &mut SamaWorld, _label: String, whose: String, entry: String) {
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let reply = w.last();
        let body = w.ok(&reply);
        let id = w.actor(&whose).id.clone();
        let c = body.get("contact").cloned().unwrap_or(Value::Null);
        let phone_match = c.pointer("/phone/0/matched_user_id").and_then(Value::as_str);
        let email_match = c.pointer("/email/0/matched_user_id");
        if phone_match != Some(id.as_str()) || email_match.is_some_and(|m| !m.is_null()) {
            w.fail(
                "matched_user_id names the user whose e-mail or phone the value is (S23)",
                format!("phone[0].matched_user_id {id:?}, email[0] without matched_user_id"),
                c,
            );
        }
    }));
    w.grade(&entry, done);
}

#[when(regex = r#"^(\w+) adds the contact "([^"]*)" with (\w+)'s e-mail and a phone no user has$"#)]
async fn adds_matching(w: &mut SamaWorld, name: String, label: String, whose: String) {
    let mut params = contact(w, &label);
    let Some(email) = w.remembered.get(&format!("email:{whose}")).and_then(Value::as_str) else {
        panic!("{whose} set no fresh e-mail address before this step");
    };
    params.email = Some(vec![field("work", email.to_owned())]);
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
    add(w, &name, ContactParams { phone: Some(vec![field("home", phone)]), ..ContactParams::default() })
        .await;
}

#[when(regex = r"^(\w+) adds a contact with a first name and neither e-mail nor phone$")]
async fn adds_unreachable(w: &mut SamaWorld, name: String) {
    add(w, &name, ContactParams { first_name: Some("Nobody".into()), ..ContactParams::default() }).await;
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
    let nobody = ContactParams {
        first_name: Some("Nobody".into()),
        company: Some("Chatspec".into()),
        ..ContactParams::default()
    };
    let contacts = vec![contact(w, &a), nobody];
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
    let params = ContactUpdateParams { id, company: Some(company), ..ContactUpdateParams::default() };
    w.request::<ContactUpdate>(&name, params).await;
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

async fn list(w: &mut SamaWorld, name: &str, params: ContactListParams) -> Vec<Value> {
    let reply = w.request::<ContactList>(name, params).await;
    let body = w.ok(&reply);
    w.listed = items(&body, "contacts");
    w.listed.clone()
}

#[when(regex = r"^(\w+) lists (?:her|his) contacts$")]
async fn lists(w: &mut SamaWorld, name: String) {
    list(w, &name, ContactListParams { limit: Some(100), ..ContactListParams::default() }).await;
}

#[when(regex = r"^(\w+) lists (?:her|his) contacts with the ids of (.+)$")]
async fn lists_ids(w: &mut SamaWorld, name: String, labels: String) {
    let ids: Vec<String> = quoted(&labels).iter().map(|l| contact_id(w, l)).collect();
    let params = ContactListParams { ids: Some(ids), ..ContactListParams::default() };
    let reply = w.request::<ContactList>(&name, params).await;
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

#[when(regex = r"^(\w+) lists (?:her|his) contacts with the limit (\d+)$")]
async fn lists_limit(w: &mut SamaWorld, name: String, limit: u64) {
    list(w, &name, ContactListParams { limit: Some(limit), ..ContactListParams::default() }).await;
}

#[when(regex = r#"^(\w+) lists (?:her|his) contacts changed after "([^"]*)" was added$"#)]
async fn lists_since(w: &mut SamaWorld, name: String, label: String) {
    let at = w.remembered.get(&format!("contact_at:{label}")).cloned().unwrap_or(Value::Null);
    let Some(gt) = millis(&at) else {
        w.fail(
            "a contact record has an ISO updated_at (S25)",
            "updated_at: \"2022-10-13T13:11:04.447Z\"",
            at,
        );
    };
    // The seed shows `updated_at: ""`; the range of the other lists is read for it (S24).
    let since = TimeFilter::Range(TimeRange { gt: Some(gt), lt: None });
    let params =
        ContactListParams { updated_at: Some(since), limit: Some(100), ..ContactListParams::default() };
    list(w, &name, params).await;
}

#[then(regex = r#"^the listed contacts include "([^"]*)" and "([^"]*)"$"#)]
async fn listed_include_both(w: &mut SamaWorld, a: String, b: String) {
    let got: Vec<String> = w.listed.iter().filter_map(|c| label_of(w, c)).collect();
    if !got.contains(&a) || !got.contains(&b) {
        w.fail("contact_list lists the caller's contacts", format!("{a:?} and {b:?}"), format!("{got:?}"));
    }
}

#[then(regex = r"^at most (\d+) contacts? (?:is|are) listed$")]
async fn at_most_listed(w: &mut SamaWorld, n: usize) {
    if w.listed.len() > n {
        w.fail(
            "contact_list answers at most limit contacts",
            format!("at most {n} contacts"),
            format!("{} contacts: {:?}", w.listed.len(), ids_of(&w.listed)),
        );
    }
}

#[then(regex = r#"^the listed contacts include "([^"]*)" but not "([^"]*)"(?: \(reading (S\d+)\))?$"#)]
async fn listed_since(w: &mut SamaWorld, yes: String, no: String, entry: String) {
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let got: Vec<String> = w.listed.iter().filter_map(|c| label_of(w, c)).collect();
        if !got.contains(&yes) || got.contains(&no) {
            w.fail(
                "contact_list with updated_at lists only contacts changed later (S24)",
                format!("{yes:?} listed, {no:?} not"),
                format!("{got:?}"),
            );
        }
    }));
    w.grade(&entry, done);
}

#[when(regex = r"^(\w+) deletes a contact without naming its id$")]
async fn deletes_without_id(w: &mut SamaWorld, name: String) {
    // Without the id the request schema requires, on purpose: a negative scenario.
    w.request_malformed(&name, ContactDelete::NAME, "{}").await;
}

#[when(regex = r"^(\w+) lists (?:her|his) contacts with (\d+) ids$")]
async fn lists_n_ids(w: &mut SamaWorld, name: String, n: usize) {
    // More ids than the request schema allows, on purpose: a negative scenario.
    let ids: Vec<String> = (0..n).map(|i| format!("{i:024x}")).collect();
    let text = Body::typed(&ContactListParams { ids: Some(ids), ..ContactListParams::default() }).text();
    w.request_malformed(&name, ContactList::NAME, text).await;
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
    let listed = list(w, name, ContactListParams { limit: Some(100), ..ContactListParams::default() }).await;
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
    w.request::<ContactDelete>(&name, ContactDeleteParams { id }).await;
}
