//! The connectnow step definitions, one file per feature file of `features/connectnow/`,
//! named alike. Each file holds the steps whose subject is its area; a step used across
//! areas (the outcome of a call, a call to any route) lives with the area it is about
//! (`errors`: statuses and error bodies; `scoping`: a call to any route as any actor).

mod auth;
mod chat_messages;
mod chat_users;
mod chats;
mod companies;
mod errors;
mod pagination;
mod scoping;
mod tokens;
mod users;
