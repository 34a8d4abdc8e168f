//! chatspec: a conformance harness for chat APIs, and the reference mocks it checks against.
//!
//! `check` runs a suite; `collect` turns cucumber events into a [`outcome::RunRecord`];
//! `report` writes it out; `drivers` speak each API's protocol; `steps` are the Gherkin
//! step definitions, one folder per API. An API moved to its own world keeps its world,
//! driver and steps together in its own module (`unichat`, `connectnow`, `sama`, `onechat`); `kit` is what they
//! share; `browser` drives headless Chromium for scenarios that run JavaScript in a page.

#![warn(missing_docs)]

/// `println!` for the console: a reader that stops early (`chatspec check | head`) is no error.
/// Once stdout is closed the line, and every later one, is dropped and the run goes on to its
/// reports and its real exit code ([`console::write_stdout`]).
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::console::write_stdout(::std::format_args!("{}\n", ::std::format_args!($($arg)*)))
    };
}

/// `print!` for the console, with [`outln!`]'s care for a closed stdout.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::console::write_stdout(::std::format_args!($($arg)*))
    };
}

pub mod api;
pub mod browser;
pub mod check;
pub mod collect;
pub mod connectnow;
pub mod console;
pub mod context;
pub mod deviations;
pub mod drivers;
pub mod embedded;
pub mod events;
pub mod kit;
pub mod list;
pub mod onechat;
pub mod outcome;
pub mod proxy;
pub mod reply;
pub mod report;
pub mod sama;
pub mod serving;
pub mod shard;
pub mod smtp;
pub mod suites;
pub mod tags;
pub mod target;
pub mod tls;
pub mod unichat;
pub mod verdict;
pub mod wire;
