//! Wire types, JSON Schemas and the validator registry of every API chatspec checks.
//!
//! Each API lives in its own module, one file per area, and keeps its interpretation
//! register (`NOTES.md`) beside its code: the readings taken where the documents are silent,
//! ambiguous or contradict themselves.

pub mod connectnow;
pub mod onechat;
pub mod registry;
pub mod sama;
pub mod unichat;

pub use registry::{Registry, SchemaViolation};
