//! The validator registry: every schema of every API, compiled once and shared.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde_json::Value;

/// One way an instance breaks a schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaViolation {
    /// `unichat/response.post_message`
    pub schema: String,
    /// JSON pointer into the instance, e.g. `/message/serial`.
    pub instance_path: String,
    /// JSON pointer into the schema: the rule that failed, e.g. `/properties/serial/type`.
    pub rule: String,
    /// What the validator says.
    pub message: String,
    /// The documentation sentence the schema carries (its `description`).
    pub doc: Option<String>,
}

impl fmt::Display for SchemaViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.instance_path.is_empty() { "/" } else { &self.instance_path };
        write!(f, "{path}: {} (schema {}, rule {})", self.message, self.schema, self.rule)?;
        if let Some(doc) = &self.doc {
            write!(f, "; documentation: {doc}")?;
        }
        Ok(())
    }
}

struct Entry {
    validator: jsonschema::Validator,
    schema: Value,
}

/// Compiled validators for every schema, by `api/name`.
pub struct Registry {
    entries: BTreeMap<String, Entry>,
}

impl Registry {
    /// The process-wide registry, compiled on first use.
    pub fn global() -> &'static Registry {
        static REGISTRY: OnceLock<Registry> = OnceLock::new();
        REGISTRY.get_or_init(Registry::build)
    }

    fn build() -> Registry {
        let mut entries = BTreeMap::new();
        for (api, schemas) in all_schemas() {
            for (name, schema) in schemas {
                let value = schema.to_value();
                // The schemas are generated from our own types; one that does not compile is a
                // bug caught by the registry test, so it is skipped here rather than panicking.
                if let Ok(validator) = jsonschema::validator_for(&value) {
                    entries.insert(format!("{api}/{name}"), Entry { validator, schema: value });
                }
            }
        }
        Registry { entries }
    }

    /// Whether a schema of that name exists.
    pub fn has(&self, api: &str, name: &str) -> bool {
        self.entries.contains_key(&format!("{api}/{name}"))
    }

    /// The schema names known for an API.
    pub fn names(&self, api: &str) -> Vec<String> {
        let prefix = format!("{api}/");
        self.entries.keys().filter_map(|k| k.strip_prefix(&prefix).map(str::to_owned)).collect()
    }

    /// Validates `instance` against `api/name`; every violation is returned.
    pub fn validate(&self, api: &str, name: &str, instance: &Value) -> Result<(), Vec<SchemaViolation>> {
        let key = format!("{api}/{name}");
        let Some(entry) = self.entries.get(&key) else {
            return Err(vec![SchemaViolation {
                schema: key,
                instance_path: String::new(),
                rule: String::new(),
                message: "no such schema".into(),
                doc: None,
            }]);
        };
        let errors: Vec<SchemaViolation> = entry
            .validator
            .iter_errors(instance)
            .map(|e| SchemaViolation {
                schema: key.clone(),
                instance_path: e.instance_path().to_string(),
                rule: e.schema_path().to_string(),
                message: e.to_string(),
                doc: nearest_description(&entry.schema, &e.schema_path().to_string()),
            })
            .collect();
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// The most specific `description` on the way from the schema's root to the rule that failed:
/// the documentation sentence of the field or record the rule belongs to.
fn nearest_description(schema: &Value, rule: &str) -> Option<String> {
    let mut node = schema;
    let mut found = node.get("description").and_then(Value::as_str);
    for segment in rule.split('/').filter(|s| !s.is_empty()) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        let next = match node {
            Value::Object(map) => map.get(&segment),
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        let Some(next) = next else { break };
        node = next;
        if let Some(d) = node.get("description").and_then(Value::as_str) {
            found = Some(d);
        }
    }
    found.map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Every API's schemas, by API name, and the admin API's (`admin`).
pub fn all_schemas() -> Vec<(&'static str, Vec<(String, schemars::Schema)>)> {
    vec![
        (crate::unichat::API, crate::unichat::schemas()),
        (crate::connectnow::API, crate::connectnow::schemas()),
        (crate::onechat::API, crate::onechat::schemas()),
        (crate::sama::API, crate::sama::schemas()),
        (crate::admin::API, crate::admin::schemas()),
    ]
}
