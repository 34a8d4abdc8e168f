//! OpenAPI 3.1 and AsyncAPI 3.0 documents of the APIs, generated from the endpoint lists
//! ([`crate::endpoint`]), the schemas and the rule index, so the ecosystem's tools (Prism,
//! Schemathesis, Microcks, code generators) can read the specifications.
//!
//! | file | what |
//! | --- | --- |
//! | `openapi/unichat.openapi.json` | every method as `POST /api/{method}`, the SSE stream `GET /sse/{code}` |
//! | `openapi/connectnow.openapi.json` | every route of seed 002 and the mock's request-code route |
//! | `openapi/onechat.openapi.json` | the five server calls of seed 004 |
//! | `openapi/sama.openapi.json` | SAMA's HTTP routes, `POST /login` and `POST /logout` |
//! | `asyncapi/unichat.asyncapi.json` | Unichat's SSE events |
//! | `asyncapi/sama.asyncapi.json` | the SAMA WebSocket protocol: requests and replies, packets, events |
//!
//! The paths are relative to the output folder, `specs/` in the repository
//! (`chatspec schemas export`); `specs/tests/export.rs` keeps the committed files in step.
//!
//! Every operation and message carries, beside the JSON Schemas it needs (in
//! `components/schemas`, see [`components`]):
//! - a description quoting the seed sentence it implements (`Doc`), and
//!   `x-chatspec-seed` naming the seed file;
//! - `x-chatspec-origin`: `seed`, `reading U24` (a reading of the register, `NOTES.md`), or
//!   `mock C12` (the reference mock's own, not in the documents);
//! - `x-chatspec-rules`: the ids of the rules of the index that apply ([`applies`]).

pub mod applies;
pub mod asyncapi;
pub mod components;
pub mod connectnow;
pub mod openapi;

use serde_json::{Map, Value, json};

use crate::endpoint::{Doc, Origin};
use crate::rules;

/// One generated document: where it goes under the output folder, and its JSON.
#[derive(Clone, Debug)]
pub struct Document {
    /// The path under the output folder: `openapi/unichat.openapi.json`.
    pub path: String,
    /// The document.
    pub value: Value,
}

impl Document {
    /// The file's text: pretty JSON with a final newline, as committed.
    pub fn text(&self) -> String {
        serde_json::to_string_pretty(&self.value).unwrap_or_default() + "\n"
    }
}

/// Every document, in a stable order; `Err` if a rule index does not parse.
pub fn documents() -> Result<Vec<Document>, String> {
    let index = |api: &str| match rules::index(api) {
        Some(parsed) => parsed.map_err(|e| e.to_string()),
        None => Err(format!("no rule index for {api}")),
    };
    let unichat = index("unichat")?;
    let connectnow = index("connectnow")?;
    let onechat = index("onechat")?;
    let sama = index("sama")?;
    Ok(vec![
        Document { path: "openapi/unichat.openapi.json".into(), value: openapi::unichat(&unichat) },
        Document { path: "openapi/connectnow.openapi.json".into(), value: connectnow::openapi(&connectnow) },
        Document { path: "openapi/onechat.openapi.json".into(), value: openapi::onechat(&onechat) },
        Document { path: "openapi/sama.openapi.json".into(), value: openapi::sama(&sama) },
        Document { path: "asyncapi/unichat.asyncapi.json".into(), value: asyncapi::unichat(&unichat) },
        Document { path: "asyncapi/sama.asyncapi.json".into(), value: asyncapi::sama(&sama) },
    ])
}

/// The seed files' names, by number.
fn seed_file(seed: &str) -> &'static str {
    match seed {
        "000" => "000_089c45586b6f2270.txt",
        "001" => "001_37219ab8e6e32c19.txt",
        "002" => "002_cd925feeca94537e.txt",
        "003" => "003_7694b3327424b0d9.txt",
        "004" => "004_7136eb5bf9d18d37.txt",
        _ => "",
    }
}

/// `x-chatspec-origin`: `seed`, `reading U24` or `mock C12`.
pub fn origin(origin: Origin) -> String {
    match origin {
        Origin::Seed => "seed".into(),
        Origin::Reading(entry) => format!("reading {entry}"),
        Origin::Mock(entry) => format!("mock {entry}"),
    }
}

/// A description that quotes the seed sentence and says where the endpoint comes from.
pub fn describe(api: &str, doc: Doc, more: &str) -> String {
    let quote = rules::normalise_whitespace(doc.quote);
    let source = match doc.origin {
        Origin::Seed => format!("Seed {}:", doc.seed),
        Origin::Reading(entry) => {
            format!("Seed {}, as read in the register (specs/src/{api}/NOTES.md, {entry}):", doc.seed)
        }
        Origin::Mock(entry) => format!(
            "Not in the documents: the reference mock's own (specs/src/{api}/NOTES.md, {entry}), filling the gap of seed {}:",
            doc.seed
        ),
    };
    let mut text = format!("{source}\n\n> {quote}");
    if !more.is_empty() {
        text.push_str("\n\n");
        text.push_str(more);
    }
    text
}

/// The `x-chatspec-*` fields of an operation or message: seed, origin and rules.
pub fn marks(doc: Doc, rules: &[String]) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("x-chatspec-seed".into(), json!(seed_file(doc.seed)));
    map.insert("x-chatspec-origin".into(), json!(origin(doc.origin)));
    map.insert("x-chatspec-rules".into(), json!(rules));
    map
}

/// The `info` object every document shares.
pub fn info(title: &str, api: &str, seeds: &[&str], text: &str) -> Value {
    let seeds: Vec<String> = seeds.iter().map(|s| format!("`specs/seeds/{}`", seed_file(s))).collect();
    json!({
        "title": title,
        "version": env!("CARGO_PKG_VERSION"),
        "description": format!(
            "{text}\n\nGenerated by chatspec from its declarations (`specs/src/{api}/`); do not edit by hand. \
             The documents are {}. Each operation quotes the sentence it implements and carries \
             `x-chatspec-origin` (`seed`, `reading <entry>` of the register `specs/src/{api}/NOTES.md`, \
             or `mock <entry>`: the reference mock's own) and `x-chatspec-rules` (ids of the rule index, \
             `specs/src/{api}/RULES.md`).",
            seeds.join(" and ")
        ),
        "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"},
    })
}

/// Inserts the entries of `extra` into the object `value`.
pub fn extend(value: &mut Value, extra: Map<String, Value>) {
    if let Some(obj) = value.as_object_mut() {
        obj.extend(extra);
    }
}

/// Every file `chatspec schemas export` writes, by path under the output folder: the JSON
/// Schemas (`schemas/<api>/<name>.json`, as `specs/tests/schemas.rs` keeps them) and the
/// documents.
pub fn files() -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (api, schemas) in crate::registry::all_schemas() {
        for (name, schema) in schemas {
            let text = serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())? + "\n";
            out.push((format!("schemas/{api}/{name}.json"), text));
        }
    }
    out.extend(documents()?.into_iter().map(|d| (d.path.clone(), d.text())));
    Ok(out)
}

/// Writes every file of [`files`] under `dir`, making folders as needed; returns the paths
/// written.
pub fn write(dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>, String> {
    let mut written = Vec::new();
    for (path, text) in files()? {
        let file = dir.join(&path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        written.push(file);
    }
    Ok(written)
}
