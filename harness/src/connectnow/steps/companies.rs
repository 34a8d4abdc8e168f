//! Steps for companies (seed 002, "Companies": get all, get single by ID, create, edit,
//! delete).

use chatspec_specs::connectnow::Route;
use chatspec_specs::connectnow::companies::{CreateCompany, EditCompany};
use cucumber::{given, then, when};
use serde_json::{Value, json};

use crate::connectnow::ConnectNowWorld;
use crate::connectnow::driver::{Body, ConnectNowReply as _};
use crate::connectnow::world::Company;
use crate::kit::prose::quoted;

impl ConnectNowWorld {
    /// `actor` creates the company `label`; the reply becomes the last one.
    pub async fn create_company(&mut self, actor: &str, label: &str) {
        let body = Body::typed(&CreateCompany { name: self.name(label) });
        let reply = self.call(actor, Route::CreateCompany, &[], body).await;
        if let Some(id) = reply.record().get("id").and_then(Value::as_u64).filter(|_| reply.status < 300) {
            self.companies.insert(label.to_owned(), Company { id, owner: actor.to_owned() });
            self.note_first("company", label);
        }
    }
}

#[when(regex = r#"^(\w+) creates the company "([^"]*)"$"#)]
async fn creates_company(w: &mut ConnectNowWorld, actor: String, label: String) {
    w.create_company(&actor, &label).await;
}

#[given(regex = r#"^(\w+) has created the compan(?:y|ies) ("[^"]*"(?:(?:, | and )"[^"]*")*)$"#)]
async fn has_created_companies(w: &mut ConnectNowWorld, actor: String, list: String) {
    for label in quoted(&list) {
        w.create_company(&actor, &label).await;
        let reply = w.last();
        w.made(Route::CreateCompany, &reply);
    }
}

#[when(regex = r"^(\w+) creates a company with (\{.*\})$")]
async fn creates_company_with(w: &mut ConnectNowWorld, actor: String, body: String) {
    w.call(&actor, Route::CreateCompany, &[], Body::malformed(&body)).await;
}

#[when(regex = r#"^(\w+) fetches the company "([^"]*)"$"#)]
async fn fetches_company(w: &mut ConnectNowWorld, actor: String, label: String) {
    let id = w.company(&label).id;
    w.call(&actor, Route::GetCompany, &[id], Body::None).await;
}

#[when(regex = r#"^(\w+) renames the company "([^"]*)" to "([^"]*)"$"#)]
async fn renames_company(w: &mut ConnectNowWorld, actor: String, label: String, to: String) {
    let id = w.company(&label).id;
    let body = Body::typed(&EditCompany { name: Some(w.name(&to)) });
    w.call(&actor, Route::EditCompany, &[id], body).await;
}

#[when(regex = r#"^(\w+) deletes the company "([^"]*)"$"#)]
async fn deletes_company(w: &mut ConnectNowWorld, actor: String, label: String) {
    let id = w.company(&label).id;
    w.call(&actor, Route::DeleteCompany, &[id], Body::None).await;
}

#[then(regex = r#"^the reply is the company "([^"]*)" of (\w+)(?: renamed "([^"]*)")?$"#)]
async fn reply_is_company(w: &mut ConnectNowWorld, label: String, owner: String, renamed: String) {
    let reply = w.last();
    let record = w.ok(&reply, &[200, 201]);
    let id = w.company(&label).id;
    let name = w.name(if renamed.is_empty() { &label } else { &renamed });
    let user_id = w.account(&owner).user_id;
    w.check_record(
        &record,
        &format!("the reply is the company {label:?} of {owner}"),
        Some(id),
        &[("name", json!(name)), ("user_id", json!(user_id))],
    );
}
