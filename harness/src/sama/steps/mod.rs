//! The SAMA step definitions, one file per feature file of `features/sama/`, named alike.
//! Each file holds the steps whose subject is its area; the helpers several areas use are on
//! the world (`super::world`).

mod activity;
mod auth;
mod blocking;
mod contacts;
mod conversations;
mod edits;
mod files;
mod frames;
mod membership;
mod messages;
mod offline;
mod push;
mod reading;
mod system;
mod typing;
mod users;

use cucumber::given;

use super::SamaWorld;
use crate::kit::prose::names;

/// `Given the users Alice, Bob and Carol`: each is made a user on the target the way its
/// profile says, with a linked socket.
#[given(regex = r"^the users (.+)$")]
async fn the_users(w: &mut SamaWorld, list: String) {
    for name in names(&list) {
        w.add_actor(&name).await;
    }
}
