//! The OpenAPI and AsyncAPI documents under `specs/openapi/` and `specs/asyncapi/`: they must
//! match what the declarations generate, parse with an OpenAPI 3.1 parser (`oas3`), validate
//! against the official AsyncAPI 3.0 JSON Schema (`specs/vendor/asyncapi/`), and hold together
//! (every reference resolves, every component compiles, every rule id is in the index).
//! Regenerate them with `UPDATE_EXPORT=1 cargo test -p chatspec-specs --test export` (or
//! `chatspec schemas export`).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use chatspec_specs::export::{self, Document};
use chatspec_specs::rules;
use serde_json::{Value, json};

fn specs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn documents() -> Vec<Document> {
    export::documents().unwrap()
}

fn openapi() -> impl Iterator<Item = Document> {
    documents().into_iter().filter(|d| d.path.starts_with("openapi/"))
}

fn asyncapi() -> impl Iterator<Item = Document> {
    documents().into_iter().filter(|d| d.path.starts_with("asyncapi/"))
}

#[test]
fn committed_documents_match_the_declarations() {
    let update = std::env::var_os("UPDATE_EXPORT").is_some();
    let mut drift = Vec::new();
    let mut expected = BTreeSet::new();
    for doc in documents() {
        let file = specs_dir().join(&doc.path);
        expected.insert(file.clone());
        let text = doc.text();
        if update {
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, &text).unwrap();
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
            drift.push(doc.path.clone());
        }
    }
    for folder in ["openapi", "asyncapi"] {
        for entry in std::fs::read_dir(specs_dir().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if !expected.contains(&path) {
                if update {
                    std::fs::remove_file(&path).unwrap();
                } else {
                    drift.push(format!("{} (nothing generates it)", path.display()));
                }
            }
        }
    }
    assert!(
        drift.is_empty(),
        "the documents differ from the declarations; run UPDATE_EXPORT=1 cargo test -p chatspec-specs --test export \
         (or chatspec schemas export):\n{}",
        drift.join("\n")
    );
}

#[test]
fn the_openapi_documents_parse_as_openapi_3_1_and_every_reference_resolves() {
    for doc in openapi() {
        let spec = oas3::from_json(doc.text()).unwrap_or_else(|e| panic!("{}: {e}", doc.path));
        let version = spec.validate_version().unwrap_or_else(|e| panic!("{}: {e}", doc.path));
        assert_eq!((version.major, version.minor), (3, 1), "{}", doc.path);
        let mut operations = 0;
        for (path, method, op) in spec.operations() {
            operations += 1;
            let here = format!("{}: {method} {path}", doc.path);
            assert!(op.operation_id.is_some(), "{here}: no operationId");
            op.parameters(&spec).unwrap_or_else(|e| panic!("{here}: {e}"));
            let body = op.request_body(&spec).unwrap_or_else(|e| panic!("{here}: {e}"));
            let responses = op.responses(&spec);
            assert_eq!(
                responses.len(),
                op.responses.as_ref().map_or(0, |r| r.len()),
                "{here}: a response did not resolve"
            );
            assert!(responses.keys().any(|s| s.starts_with('2')), "{here}: no success response");
            let media = body
                .iter()
                .flat_map(|b| b.content.values())
                .chain(responses.values().flat_map(|r| r.content.values()));
            for m in media {
                if let Some(schema) = &m.schema {
                    schema.resolve(&spec).unwrap_or_else(|e| panic!("{here}: {e}"));
                }
            }
            for key in ["x-chatspec-origin", "x-chatspec-seed", "x-chatspec-rules"] {
                assert!(op.extensions.contains_key(key.trim_start_matches("x-")), "{here}: no {key}");
            }
        }
        assert!(operations > 0, "{}: no operation", doc.path);
        let components = spec.components.as_ref().unwrap();
        for (name, schema) in &components.schemas {
            schema.resolve(&spec).unwrap_or_else(|e| panic!("{}: {name}: {e}", doc.path));
        }
        for r in refs(&doc.value) {
            assert!(resolve(&doc.value, &r).is_some(), "{}: {r} points nowhere", doc.path);
        }
    }
}

#[test]
fn the_asyncapi_documents_validate_against_the_official_schema() {
    let text = std::fs::read_to_string(specs_dir().join("vendor/asyncapi/3.0.0.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for doc in asyncapi() {
        let errors: Vec<String> =
            validator.iter_errors(&doc.value).map(|e| format!("{}: {e}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{} breaks the AsyncAPI 3.0.0 schema:\n{}", doc.path, errors.join("\n"));
        for r in refs(&doc.value) {
            assert!(resolve(&doc.value, &r).is_some(), "{}: {r} points nowhere", doc.path);
        }
    }
}

#[test]
fn the_official_schema_refuses_a_broken_asyncapi_document() {
    let text = std::fs::read_to_string(specs_dir().join("vendor/asyncapi/3.0.0.json")).unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap();
    let mut doc = asyncapi().next().unwrap().value;
    doc["operations"]["send_events"]["action"] = json!("publish");
    assert!(!validator.is_valid(&doc), "an AsyncAPI 2 action must not pass as 3.0");
}

#[test]
fn every_component_schema_compiles_and_validates_what_the_registry_does() {
    for doc in documents() {
        let schemas = doc.value["components"]["schemas"].as_object().unwrap();
        for name in schemas.keys() {
            // Each component, compiled inside its document so that its references resolve.
            let mut root = doc.value.clone();
            root["$ref"] =
                json!(format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1")));
            jsonschema::draft202012::new(&root).unwrap_or_else(|e| panic!("{}: {name}: {e}", doc.path));
        }
    }
    // One component against its committed schema file: the same instances pass and fail.
    let doc = openapi().find(|d| d.path == "openapi/unichat.openapi.json").unwrap();
    let mut root = doc.value.clone();
    root["$ref"] = json!("#/components/schemas/response.post_message");
    let component = jsonschema::draft202012::new(&root).unwrap();
    let registry = chatspec_specs::Registry::global();
    let live = json!({"message": {"id": 1, "user_id": 2, "group_id": 3, "deleted_at": null, "serial": 4,
        "xtag": null, "reference": null}});
    assert_eq!(
        component.is_valid(&live),
        registry.validate("unichat", "response.post_message", &live).is_ok()
    );
    assert!(!component.is_valid(&live), "a live message without text must fail");
}

#[test]
fn the_asyncapi_payloads_need_nothing_draft_07_lacks() {
    // AsyncAPI's default schema format is a superset of draft 07: the 2020-12 keywords that
    // draft 07 does not know would be ignored there, and `$ref` siblings other than
    // annotations would be dropped.
    let newer = [
        "$defs",
        "prefixItems",
        "unevaluatedProperties",
        "unevaluatedItems",
        "dependentRequired",
        "dependentSchemas",
        "$dynamicRef",
        "$anchor",
        "minContains",
        "maxContains",
    ];
    for doc in asyncapi() {
        let mut found = Vec::new();
        keywords(&doc.value["components"]["schemas"], &mut |key, object| {
            if newer.contains(&key) {
                found.push(key.to_owned());
            }
            if key == "$ref" {
                for sibling in
                    object.keys().filter(|k| !["$ref", "description", "title"].contains(&k.as_str()))
                {
                    found.push(format!("$ref beside {sibling}"));
                }
            }
        });
        assert!(found.is_empty(), "{}: {found:?}", doc.path);
    }
}

#[test]
fn every_rule_id_is_in_the_index_and_every_origin_is_marked() {
    for doc in documents() {
        let api = doc.path.split('/').nth(1).unwrap().split('.').next().unwrap();
        let index = rules::index(api).unwrap().unwrap();
        let mut marked = 0;
        walk(&doc.value, &mut |object| {
            if let Some(ids) = object.get("x-chatspec-rules") {
                for id in ids.as_array().unwrap() {
                    assert!(index.rule(id.as_str().unwrap()).is_some(), "{}: no rule {id}", doc.path);
                }
            }
            if let Some(origin) = object.get("x-chatspec-origin").and_then(Value::as_str) {
                marked += 1;
                assert!(
                    origin == "seed" || origin.starts_with("reading ") || origin.starts_with("mock "),
                    "{}: origin {origin}",
                    doc.path
                );
            }
        });
        assert!(marked > 0, "{}: nothing is marked with its origin", doc.path);
    }
}

#[test]
fn readings_and_the_mocks_own_endpoints_are_marked_as_such() {
    let unichat = openapi().find(|d| d.path == "openapi/unichat.openapi.json").unwrap().value;
    assert_eq!(unichat["paths"]["/api/invite"]["post"]["x-chatspec-origin"], "reading U24");
    assert_eq!(unichat["paths"]["/sse/{code}"]["get"]["x-chatspec-origin"], "reading U3");
    assert_eq!(unichat["paths"]["/api/post_message"]["post"]["x-chatspec-origin"], "seed");
    let uid = unichat["paths"]["/api/post_message"]["post"]["x-chatspec-rules"].as_array().unwrap();
    assert!(uid.contains(&json!("U-uid-max-64")), "{uid:?}");
    let connectnow = openapi().find(|d| d.path == "openapi/connectnow.openapi.json").unwrap().value;
    let code = &connectnow["paths"]["/chats/{chat-id}/users/request-code"]["post"];
    assert_eq!(code["x-chatspec-origin"], "mock C12");
    assert!(code["description"].as_str().unwrap().contains("the reference mock's own"));
    let create = &connectnow["paths"]["/api/companies"]["post"];
    assert!(create["responses"].get("201").is_some() && create["responses"].get("200").is_none());
}

#[test]
fn every_event_has_its_schema_and_quotes_its_seed() {
    let registry = chatspec_specs::Registry::global();
    let seed = |n: &str| {
        let dir = specs_dir().join("seeds");
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(n))
            .unwrap();
        std::fs::read_to_string(file).unwrap()
    };
    let mut docs = vec![chatspec_specs::unichat::sse::STREAM];
    for e in chatspec_specs::unichat::sse::EVENTS {
        if let Some(schema) = e.schema {
            assert!(registry.has("unichat", schema), "unichat: {}: no schema {schema}", e.name);
        }
        docs.push(e.doc);
    }
    let requests: Vec<&str> = chatspec_specs::sama::Request::ALL.iter().map(|r| r.name()).collect();
    for e in chatspec_specs::sama::events::EVENTS {
        assert!(registry.has("sama", e.schema), "sama: {}: no schema {}", e.name, e.schema);
        assert!(e.cause.is_none_or(|c| requests.contains(&c)), "sama: {}: no request {:?}", e.name, e.cause);
        docs.push(e.doc);
    }
    for doc in docs {
        assert!(rules::quote_in(&seed(doc.seed), doc.quote), "not in seed {}: {}", doc.seed, doc.quote);
    }
}

/// Every `$ref` in `value`.
fn refs(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    keywords(value, &mut |key, object| {
        if key == "$ref" {
            out.push(object["$ref"].as_str().unwrap().to_owned());
        }
    });
    out
}

/// What the local reference `r` points at in `doc`.
fn resolve<'a>(doc: &'a Value, r: &str) -> Option<&'a Value> {
    doc.pointer(r.strip_prefix('#')?)
}

/// Calls `f` with every key of every object in `value`, and the object.
fn keywords(value: &Value, f: &mut dyn FnMut(&str, &serde_json::Map<String, Value>)) {
    walk(value, &mut |object| {
        for key in object.keys() {
            f(key, object);
        }
    });
}

/// Calls `f` with every object in `value`.
fn walk(value: &Value, f: &mut dyn FnMut(&serde_json::Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            f(map);
            map.values().for_each(|v| walk(v, f));
        }
        Value::Array(items) => items.iter().for_each(|v| walk(v, f)),
        _ => {}
    }
}
