//! Steps for companies (seed 002, "Companies": get all, get single by ID, create, edit,
//! delete).

use cucumber::{given, then, when};
use serde_json::{Value, json};

use crate::steps::quoted;
use crate::world::ChatWorld;

#[when(regex = r#"^(\w+) creates the company "([^"]*)"$"#)]
async fn creates_company(w: &mut ChatWorld, actor: String, label: String) {
    w.cn_create_company(&actor, &label).await;
}

#[given(regex = r#"^(\w+) has created the compan(?:y|ies) ("[^"]*"(?:(?:, | and )"[^"]*")*)$"#)]
async fn has_created_companies(w: &mut ChatWorld, actor: String, list: String) {
    for label in quoted(&list) {
        w.cn_create_company(&actor, &label).await;
        let reply = w.cn_last();
        w.cn_ok(&reply, &[201]);
    }
}

#[when(regex = r"^(\w+) creates a company with (\{.*\})$")]
async fn creates_company_with(w: &mut ChatWorld, actor: String, body: String) {
    let body: Value =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("the step's JSON is not valid: {e}"));
    w.cn_call(&actor, "create_company", &[], Some(body)).await;
}

#[when(regex = r#"^(\w+) fetches the company "([^"]*)"$"#)]
async fn fetches_company(w: &mut ChatWorld, actor: String, label: String) {
    let id = w.cn_company(&label).id;
    w.cn_call(&actor, "get_company", &[id], None).await;
}

#[when(regex = r#"^(\w+) renames the company "([^"]*)" to "([^"]*)"$"#)]
async fn renames_company(w: &mut ChatWorld, actor: String, label: String, to: String) {
    let id = w.cn_company(&label).id;
    let name = w.cn_name(&to);
    w.cn_call(&actor, "edit_company", &[id], Some(json!({"name": name}))).await;
}

#[when(regex = r#"^(\w+) deletes the company "([^"]*)"$"#)]
async fn deletes_company(w: &mut ChatWorld, actor: String, label: String) {
    let id = w.cn_company(&label).id;
    w.cn_call(&actor, "delete_company", &[id], None).await;
}

#[then(regex = r#"^the reply is the company "([^"]*)" of (\w+)(?: renamed "([^"]*)")?$"#)]
async fn reply_is_company(w: &mut ChatWorld, label: String, owner: String, renamed: String) {
    let reply = w.cn_last();
    let record = w.cn_ok(&reply, &[200, 201]);
    let id = w.cn_company(&label).id;
    let name = w.cn_name(if renamed.is_empty() { &label } else { &renamed });
    let user_id = w.cn_account(&owner).user_id;
    w.cn_check_record(
        &record,
        &format!("the reply is the company {label:?} of {owner}"),
        Some(id),
        &[("name", json!(name)), ("user_id", json!(user_id))],
    );
}
