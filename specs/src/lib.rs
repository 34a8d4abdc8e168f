//! Wire types, JSON Schemas and the validator registry of every API chatspec checks.
//!
//! Each API lives in its own module, one file per area, and keeps its interpretation
//! register (`NOTES.md`) beside its code: the readings taken where the documents are silent,
//! ambiguous or contradict themselves, and its rule index (`rules/<area>.toml`, see [`rules`]): every
//! checkable sentence of its seeds with the scenarios that check it. Each API lists its
//! endpoints once (`endpoint.rs`); its schema list and every name table are derived from that
//! list.
//!
//! [`admin`] is the contract of the admin API `/_mock/*` every mock serves beside its API,
//! and a real server's test build serves to be provisioned (`docs/admin-api.md`).
// Every public item and field is documented: the field docs become the schema descriptions
// that failure messages quote. `warn` here is an error under `clippy -- -D warnings`; it is
// not in `[workspace.lints]` yet, as the mocks and the harness do not pass it.
#![warn(missing_docs)]

pub mod admin;
pub mod connectnow;
pub mod endpoint;
pub mod export;
pub mod onechat;
pub mod registry;
pub mod rules;
pub mod sama;
pub mod unichat;

pub use endpoint::{Doc, Endpoint, Endpoints, Origin};
pub use registry::{Registry, SchemaViolation};

use schemars::{JsonSchema, Schema, generate::SchemaSettings};

/// The schema of what a server must send: the serialize view (an `Option` without
/// `skip_serializing_if` is required but may be null).
pub(crate) fn response_schema<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12().for_serialize().into_generator().into_root_schema_for::<T>()
}

/// The schema of what a client may send: the deserialize view (optional fields may be omitted).
pub(crate) fn request_schema<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12().for_deserialize().into_generator().into_root_schema_for::<T>()
}
