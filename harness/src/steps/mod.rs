//! Step definitions, one folder per API and one file per area, named like the features; and
//! the helpers the REST APIs share: the mock admin API, its clock and its outbox.

pub mod replies;
pub mod sama;

use crate::world::ChatWorld;
use cucumber::given;

/// `Given the users Alice, Bob and Carol` of the SAMA suite: each is made a user on the
/// target the way its profile says, with a linked socket. (Unichat has its own, on its world.)
#[given(regex = r"^the users (.+)$")]
async fn the_users(w: &mut ChatWorld, list: String) {
    for name in names(&list) {
        sama::add_actor(w, &name).await;
    }
}

crate::shared_steps!(ChatWorld);

pub use crate::kit::prose::{names, quoted};
