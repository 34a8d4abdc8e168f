//! The OneChat step definitions, one file per feature file of `features/onechat/`, named
//! alike. A step used across areas lives with the area it is about: the reply envelope and the
//! users of a domain in `endpoint` ("Guide to make API call"), who received an alert and groups
//! in `relay`, sessions in `miniapps`; the helpers several files use are methods in
//! `../world.rs` and `../page.rs`.

mod broadcast;
mod chat_plugin;
mod endpoint;
mod mini_app_library;
mod miniapps;
mod relay;
