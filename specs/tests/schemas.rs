//! The committed schema files under `specs/schemas/` must match the Rust types exactly.
//! Regenerate them with `UPDATE_SCHEMAS=1 cargo test -p chatspec-specs --test schemas`.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use chatspec_specs::{Registry, registry::all_schemas};

fn schema_dir(api: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(api)
}

#[test]
fn committed_schemas_match_the_types() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut drift = Vec::new();
    for (api, schemas) in all_schemas() {
        let dir = schema_dir(api);
        if update {
            std::fs::create_dir_all(&dir).expect("create schema dir");
        }
        let mut expected_files = Vec::new();
        for (name, schema) in schemas {
            let file = dir.join(format!("{name}.json"));
            expected_files.push(file.clone());
            let text = serde_json::to_string_pretty(&schema).expect("serialise") + "\n";
            if update {
                std::fs::write(&file, &text).expect("write schema");
            } else if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
                drift.push(file.display().to_string());
            }
        }
        for entry in std::fs::read_dir(&dir).expect("schema dir exists") {
            let path = entry.expect("dir entry").path();
            if !expected_files.contains(&path) {
                if update {
                    std::fs::remove_file(&path).expect("remove stale schema");
                } else {
                    drift.push(format!("{} (no type generates it)", path.display()));
                }
            }
        }
    }
    assert!(
        drift.is_empty(),
        "schema files differ from the types; run UPDATE_SCHEMAS=1 cargo test -p chatspec-specs --test schemas:\n{}",
        drift.join("\n")
    );
}

#[test]
fn every_schema_compiles() {
    let registry = Registry::global();
    for (api, schemas) in all_schemas() {
        for (name, _) in schemas {
            assert!(registry.has(api, &name), "{api}/{name} did not compile");
        }
    }
}

#[test]
fn a_violation_names_path_rule_and_documentation() {
    let bad = serde_json::json!({"status": "error", "error_code": "", "error_text": 3});
    let errors = Registry::global()
        .validate("unichat", "error", &bad)
        .unwrap_err();
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("/error_code:") && t.contains("minLength")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|t| t.starts_with("/error_text:") && t.contains("type")),
        "{text:?}"
    );
    assert!(
        text.iter().all(|t| t.contains("400 result code")),
        "{text:?}"
    );
}

#[test]
fn a_live_message_needs_the_long_form_and_a_deleted_one_the_short() {
    let registry = Registry::global();
    let live = serde_json::json!({
        "id": 1, "user_id": 2, "group_id": 3, "deleted_at": null, "serial": 4,
        "xtag": null, "reference": null
    });
    let errors = registry
        .validate("unichat", "record.message", &live)
        .unwrap_err();
    assert!(
        errors.iter().any(|e| e.message.contains("text")),
        "{errors:?}"
    );
    let deleted = serde_json::json!({
        "id": 1, "user_id": 2, "group_id": 3, "deleted_at": "2026-01-01T00:00:00Z", "serial": 5,
        "xtag": null, "reference": null, "text": "still here"
    });
    assert!(
        registry
            .validate("unichat", "record.message", &deleted)
            .is_err()
    );
}

#[test]
fn the_sama_error_shape_serves_the_socket_and_http() {
    let registry = Registry::global();
    let socket = serde_json::json!({"id": "7", "error": {"status": 422, "message": "no"}});
    let http = serde_json::json!({"error": {"status": 401, "message": "no"}});
    assert!(registry.validate("sama", "error", &socket).is_ok());
    assert!(registry.validate("sama", "error", &http).is_ok());
    let bad = serde_json::json!({"id": "7", "error": {"status": 200, "message": ""}});
    let errors = registry.validate("sama", "error", &bad).unwrap_err();
    assert!(
        errors
            .iter()
            .all(|e| e.to_string().contains("one error shape")),
        "{errors:?}"
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
}

#[test]
fn sama_last_activity_is_online_or_seconds() {
    let registry = Registry::global();
    let ok = serde_json::json!({"u1": "online", "u2": 1700149064});
    assert!(
        registry
            .validate("sama", "event.last_activity", &ok)
            .is_ok()
    );
    let bad = serde_json::json!({"u1": "offline"});
    assert!(
        registry
            .validate("sama", "event.last_activity", &bad)
            .is_err()
    );
}

#[test]
fn a_sama_conversation_event_names_its_kind_in_x() {
    let registry = Registry::global();
    let conversation = serde_json::json!({
        "_id": "c1", "type": "g", "name": "G", "owner_id": "u1", "participants": ["u1", "u2"],
        "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"
    });
    let created = serde_json::json!({
        "_id": "c1", "t": 1, "cid": "c1", "from": "u1",
        "x": {"conversation_created": conversation}
    });
    assert!(
        registry
            .validate("sama", "event.conversation_created", &created)
            .is_ok()
    );
    assert!(
        registry
            .validate("sama", "event.conversation_kicked", &created)
            .is_err()
    );
}
