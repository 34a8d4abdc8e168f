//! Steps for what each token may reach (seed 002, "Authentication": chat-user tokens "are
//! scoped to a user in a given chat"; public fact: an API token acts only on its own
//! companies' data; NOTES.md C9, C10): a call to any route of the seed as any actor, its
//! `{placeholders}` standing for the scenario's first records. The other areas probe their
//! routes with the same step.

use cucumber::when;

use crate::connectnow::ConnectNowWorld;

#[when(regex = r"^(\w+) calls (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/\S*)$")]
async fn calls(w: &mut ConnectNowWorld, actor: String, verb: String, path: String) {
    let token = w.token(&actor);
    w.call_path(Some(&actor), &verb, &path, Some(token)).await;
}
