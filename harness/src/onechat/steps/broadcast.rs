//! Steps for the mass broadcast (seed 004, "Mass broadcast API": "Allows admin/system to mass
//! broadcast to every user in the specific domain"; NOTES.md O6, O7).

use chatspec_specs::onechat::Route;
use chatspec_specs::onechat::broadcast::MassBroadcast;
use cucumber::{then, when};

use crate::kit::prose::names;
use crate::onechat::OneChatWorld;
use crate::onechat::driver::Body;
use crate::onechat::world::{Key, key_of, recipients};

#[when(
    regex = r#"^(\w+) broadcasts "([^"]*)" to "([^"]*)"(?: (without an apikey|with the apikey "([^"]*)"))?$"#
)]
async fn broadcasts(
    w: &mut OneChatWorld,
    actor: String,
    label: String,
    domain: String,
    how: String,
    key: String,
) {
    let message = w.text(&label);
    let domain = w.domain(&domain);
    let body = Body::typed(&MassBroadcast { domain, message });
    w.call(Some(&actor), Route::MassBroadcast, key_of(&how, &key), body).await;
}

#[when(regex = r#"^(\w+) broadcasts "([^"]*)" without a (domain|message)$"#)]
async fn broadcasts_without(w: &mut OneChatWorld, actor: String, label: String, missing: String) {
    let message = w.text(&label);
    let domain = w.user(&actor).domain;
    let domain = w.domain(&domain);
    let body = Body::typed(&MassBroadcast { domain, message }).without(&missing);
    w.call(Some(&actor), Route::MassBroadcast, Key::Own, body).await;
}

#[then(regex = r#"^the broadcast "([^"]*)" reached (\w+(?:(?:, | and )\w+)*) and nobody outside "([^"]*)"$"#)]
async fn reached_domain(w: &mut OneChatWorld, label: String, list: String, domain: String) {
    let who = names(&list);
    let alerts = w.reached(&who, &label).await;
    let domain = w.domain(&domain);
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
