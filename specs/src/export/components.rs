//! The JSON Schemas of an API moved into one document's `components/schemas`, so the document
//! stands alone.
//!
//! Each schema the registry holds (`request.post_message`, `record.message`, ...) becomes a
//! component of the same name. Its `$defs` become components too, named as schemars named them
//! (`Message`, `FlexId`), and every `$ref` to `#/$defs/X` is pointed at the component. Two
//! schemas may carry different definitions under one name (a type seen as a client sends it
//! and as a server sends it): a definition is shared only when it and everything it refers to
//! are the same, otherwise it gets the next free name (`Message.2`). Nothing else of the
//! schemas changes, so a document's component validates exactly what the committed schema file
//! of that name validates.

use std::collections::BTreeMap;

use schemars::Schema;
use serde_json::{Map, Value};

/// Where references point in OpenAPI and AsyncAPI documents alike.
pub const PREFIX: &str = "#/components/schemas/";

/// The `components/schemas` of one document, being filled.
#[derive(Default)]
pub struct Components {
    schemas: BTreeMap<String, Value>,
    /// For each definition's component name, what it stood for in its schema: its own text
    /// and that of every definition it reaches, so a later equal one can share it.
    identities: BTreeMap<String, String>,
}

impl Components {
    /// Adds the schema `schema` as the component `name` (with its definitions) and returns a
    /// reference to it. Adding the same name twice keeps the first.
    pub fn add(&mut self, name: &str, schema: &Schema) -> Value {
        if !self.schemas.contains_key(name) {
            let mut root = schema.as_value().clone();
            let defs = match root.as_object_mut() {
                Some(obj) => {
                    obj.remove("$schema");
                    match obj.remove("$defs") {
                        Some(Value::Object(defs)) => defs,
                        _ => Map::new(),
                    }
                }
                None => Map::new(),
            };
            let names = self.place(&defs);
            rewrite(&mut root, &names);
            for (def, mut body) in defs {
                let Some(target) = names.get(&def) else { continue };
                if !self.schemas.contains_key(target) {
                    rewrite(&mut body, &names);
                    self.schemas.insert(target.clone(), body);
                }
            }
            self.schemas.insert(name.to_owned(), root);
        }
        reference(name)
    }

    /// The component names the definitions `defs` of one schema get.
    fn place(&mut self, defs: &Map<String, Value>) -> BTreeMap<String, String> {
        let mut names = BTreeMap::new();
        for def in defs.keys() {
            let identity = closure(def, defs);
            let mut n = 1;
            let target = loop {
                let candidate = if n == 1 { def.clone() } else { format!("{def}.{n}") };
                match self.identities.get(&candidate) {
                    Some(known) if *known == identity => break candidate,
                    Some(_) => n += 1,
                    None if self.schemas.contains_key(&candidate) => n += 1,
                    None => {
                        self.identities.insert(candidate.clone(), identity);
                        break candidate;
                    }
                }
            };
            names.insert(def.clone(), target);
        }
        names
    }

    /// The component `name`, if added.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.schemas.get(name)
    }

    /// Whether the component `name` was added.
    pub fn has(&self, name: &str) -> bool {
        self.schemas.contains_key(name)
    }

    /// The components, by name, to put under `components/schemas`.
    pub fn into_value(self) -> Value {
        Value::Object(self.schemas.into_iter().collect())
    }
}

/// `{"$ref": "#/components/schemas/<name>"}`.
pub fn reference(name: &str) -> Value {
    let mut map = Map::new();
    map.insert("$ref".into(), Value::String(format!("{PREFIX}{name}")));
    Value::Object(map)
}

/// The text of `def` and of every definition it reaches, in name order: equal texts mean the
/// definitions validate the same.
fn closure(def: &str, defs: &Map<String, Value>) -> String {
    let mut seen = BTreeMap::new();
    let mut todo = vec![def.to_owned()];
    while let Some(name) = todo.pop() {
        if seen.contains_key(&name) {
            continue;
        }
        let Some(body) = defs.get(&name) else { continue };
        let mut refs = Vec::new();
        local_refs(body, &mut refs);
        todo.extend(refs);
        seen.insert(name, body.to_string());
    }
    // The starting definition is marked so that two definitions reaching the same set from
    // different starts stay apart.
    format!("{def}|{}", serde_json::to_string(&seen).unwrap_or_default())
}

/// The names of the local definitions `value` refers to (`#/$defs/<name>`).
fn local_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix("#/$defs/") {
                            out.push(unescape(name));
                        }
                    }
                    _ => local_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| local_refs(v, out)),
        _ => {}
    }
}

/// Points every `#/$defs/<name>` reference in `value` at its component.
fn rewrite(value: &mut Value, names: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match (key.as_str(), &mut *v) {
                    ("$ref", Value::String(r)) => {
                        if let Some(target) = r.strip_prefix("#/$defs/").and_then(|n| names.get(&unescape(n)))
                        {
                            *r = format!("{PREFIX}{}", escape(target));
                        }
                    }
                    _ => rewrite(v, names),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, names)),
        _ => {}
    }
}

/// A JSON pointer segment, decoded (RFC 6901).
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// A name as a JSON pointer segment (RFC 6901).
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;

    fn schema(value: Value) -> Schema {
        Schema::try_from(value).unwrap()
    }

    #[test]
    fn definitions_move_beside_the_schema_and_references_follow() {
        let mut c = Components::default();
        let r = c.add(
            "response.get",
            &schema(json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "properties": {"item": {"$ref": "#/$defs/Item"}},
                "$defs": {"Item": {"properties": {"id": {"$ref": "#/$defs/Id"}}}, "Id": {"type": "integer"}}
            })),
        );
        assert_eq!(r, json!({"$ref": "#/components/schemas/response.get"}));
        let root = c.get("response.get").unwrap();
        assert_eq!(root["properties"]["item"]["$ref"], "#/components/schemas/Item");
        assert!(root.get("$defs").is_none() && root.get("$schema").is_none());
        assert_eq!(c.get("Item").unwrap()["properties"]["id"]["$ref"], "#/components/schemas/Id");
    }

    #[test]
    fn equal_definitions_are_shared_and_different_ones_renamed() {
        let mut c = Components::default();
        let with = |id: Value| {
            schema(
                json!({"properties": {"a": {"$ref": "#/$defs/A"}}, "$defs": {"A": {"properties": {"b": {"$ref": "#/$defs/B"}}}, "B": id}}),
            )
        };
        c.add("one", &with(json!({"type": "integer"})));
        c.add("two", &with(json!({"type": "integer"})));
        c.add("three", &with(json!({"type": "string"})));
        assert_eq!(c.get("two").unwrap()["properties"]["a"]["$ref"], "#/components/schemas/A");
        // A is the same text in "three", but what it reaches differs: it is not shared.
        assert_eq!(c.get("three").unwrap()["properties"]["a"]["$ref"], "#/components/schemas/A.2");
        assert_eq!(c.get("A.2").unwrap()["properties"]["b"]["$ref"], "#/components/schemas/B.2");
        assert_eq!(c.get("B.2").unwrap()["type"], "string");
        assert_eq!(c.get("B").unwrap()["type"], "integer");
    }
}
