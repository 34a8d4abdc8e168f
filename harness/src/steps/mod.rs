//! Step definitions, one folder per API and one file per area, named like the features; and
//! the helpers the REST APIs share: the mock admin API, its clock and its outbox.

pub mod connectnow;
pub mod onechat;
pub mod replies;
pub mod sama;
pub mod unichat;

use crate::world::ChatWorld;
use cucumber::given;

/// `Given the users Alice, Bob and Carol`: each is made a user on the target the way its
/// profile says, and connected (an event stream for Unichat, a linked socket for SAMA).
#[given(regex = r"^the users (.+)$")]
async fn the_users(w: &mut ChatWorld, list: String) {
    for name in names(&list) {
        match w.ctx.target.api.as_str() {
            "sama" => sama::add_actor(w, &name).await,
            _ => w.add_actor(&name).await,
        }
    }
}

/// `And the checks below rest on the reading C11 of the register`, after the scenario's
/// `When`: the scenario as a whole checks a reading, so every check after this step rests on
/// it. A miss ends the scenario graded lenient (failed under `--strict`); the steps before it
/// (provisioning, the request itself) still rest on the document, so a server that cannot
/// make a user is never graded lenient for it.
#[cucumber::when(regex = r"^the checks below rest on the reading ([A-Z]\d+) of the register$")]
async fn checks_rest_on_reading(w: &mut ChatWorld, item: String) {
    w.reading_ground = Some(item);
}

pub use crate::kit::prose::{names, quoted};
