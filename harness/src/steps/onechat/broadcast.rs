//! Steps for the mass broadcast (seed 004, "Mass broadcast API": "Allows admin/system to mass
//! broadcast to every user in the specific domain"; NOTES.md O6, O7).

use cucumber::{then, when};
use serde_json::json;

use super::{Key, key_of, recipients};
use crate::drivers::onechat::Body;
use crate::steps::names;
use crate::world::ChatWorld;

#[when(
    regex = r#"^(\w+) broadcasts "([^"]*)" to "([^"]*)"(?: (without an apikey|with the apikey "([^"]*)"))?$"#
)]
async fn broadcasts(
    w: &mut ChatWorld,
    actor: String,
    label: String,
    domain: String,
    how: String,
    key: String,
) {
    let text = w.oc_text(&label);
    let domain = w.oc_domain(&domain);
    let body = Body::Json(json!({"domain": domain, "message": text}));
    w.oc_call(Some(&actor), "massBroadcast", key_of(&how, &key), body).await;
}

#[when(regex = r#"^(\w+) broadcasts "([^"]*)" without a (domain|message)$"#)]
async fn broadcasts_without(w: &mut ChatWorld, actor: String, label: String, missing: String) {
    let text = w.oc_text(&label);
    let domain = w.oc_user(&actor).domain;
    let domain = w.oc_domain(&domain);
    let mut body = json!({"domain": domain, "message": text});
    if let Some(o) = body.as_object_mut() {
        o.remove(&missing);
    }
    w.oc_call(Some(&actor), "massBroadcast", Key::Own, Body::Json(body)).await;
}

#[then(regex = r#"^the broadcast "([^"]*)" reached (\w+(?:(?:, | and )\w+)*) and nobody outside "([^"]*)"$"#)]
async fn reached_domain(w: &mut ChatWorld, label: String, list: String, domain: String) {
    let who = names(&list);
    let alerts = w.oc_reached(&who, &label).await;
    let domain = w.oc_domain(&domain);
    let suffix = format!("@{domain}");
    let outside: Vec<String> = recipients(&alerts).into_iter().filter(|j| !j.ends_with(&suffix)).collect();
    if !outside.is_empty() {
        let shown: Vec<&String> = outside.iter().take(5).collect();
        w.fail(
            &format!("a broadcast to {domain} reaches nobody outside it"),
            format!("alerts to jids ending in {suffix} only"),
            format!("{} alerts to jids outside it, among them {shown:?}", outside.len()),
        );
    }
}
