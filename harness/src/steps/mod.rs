//! Step definitions, one folder per API and one file per area, named like the features; and
//! the helpers the REST APIs share: the mock admin API, its clock and its outbox.

pub mod onechat;
pub mod replies;

use crate::world::ChatWorld;

crate::shared_steps!(ChatWorld);

pub use crate::kit::prose::{names, quoted};
