//! What every mock shares: the clock, the fan-out hub, the admin API and the server runner.

pub mod admin;
pub mod clock;
pub mod cors;
pub mod drain;
pub mod hub;
pub mod inspector;
pub mod media;
pub mod serve;
pub mod split;

pub use clock::Clock;
pub use hub::Hub;
