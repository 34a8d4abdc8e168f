//! The committed schema files under `specs/schemas/` must match the Rust types exactly.
//! Regenerate them with `UPDATE_SCHEMAS=1 cargo test -p chatspec-specs --test schemas`.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use chatspec_specs::{Registry, registry::all_schemas};

fn schema_dir(api: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas").join(api)
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
    let errors = Registry::global().validate("unichat", "error", &bad).unwrap_err();
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(text.iter().any(|t| t.starts_with("/error_code:") && t.contains("minLength")), "{text:?}");
    assert!(text.iter().any(|t| t.starts_with("/error_text:") && t.contains("type")), "{text:?}");
    // Each violation quotes the documentation of the field it breaks.
    assert!(
        text.iter().any(|t| t.starts_with("/error_code:") && t.contains("constant per-error string")),
        "{text:?}"
    );
    assert!(text.iter().any(|t| t.starts_with("/error_text:") && t.contains("read by human")), "{text:?}");
}

#[test]
fn a_live_message_needs_the_long_form_and_a_deleted_one_the_short() {
    let registry = Registry::global();
    let live = serde_json::json!({
        "id": 1, "user_id": 2, "group_id": 3, "deleted_at": null, "serial": 4,
        "xtag": null, "reference": null
    });
    let errors = registry.validate("unichat", "record.message", &live).unwrap_err();
    assert!(errors.iter().any(|e| e.message.contains("text")), "{errors:?}");
    let deleted = serde_json::json!({
        "id": 1, "user_id": 2, "group_id": 3, "deleted_at": "2026-01-01T00:00:00Z", "serial": 5,
        "xtag": null, "reference": null, "text": "still here"
    });
    assert!(registry.validate("unichat", "record.message", &deleted).is_err());
}

#[test]
fn connectnow_errors_and_pages_follow_laravel() {
    let registry = Registry::global();
    let empty = serde_json::json!({"message": "The given data was invalid.", "errors": {}});
    assert!(registry.validate("connectnow", "error.validation", &empty).is_err());
    let page = serde_json::json!({
        "current_page": 3, "data": [], "first_page_url": "http://h/api/chats?page=1",
        "from": null, "next_page_url": null, "path": "http://h/api/chats", "per_page": 15,
        "prev_page_url": "http://h/api/chats?page=2", "to": null
    });
    registry.validate("connectnow", "response.list_chats", &page).unwrap();
    let mut too_big = page.clone();
    too_big["per_page"] = serde_json::json!(250);
    assert!(registry.validate("connectnow", "response.list_chats", &too_big).is_err());
    // Both time forms a Laravel server may send are accepted (NOTES.md C6).
    for t in ["2026-01-02T03:04:05.000000Z", "2026-01-02 03:04:05"] {
        let company = serde_json::json!({
            "id": 1, "user_id": 2, "name": "Acme", "created_at": t, "updated_at": t
        });
        registry.validate("connectnow", "record.company", &company).unwrap();
    }
}

#[test]
fn onechat_replies_accept_every_plausible_reading() {
    let registry = Registry::global();
    for truth in [serde_json::json!(true), serde_json::json!("True"), serde_json::json!("false")] {
        let reply = serde_json::json!({"status": "Success", "description": "-", "isAuthenticated": truth});
        registry.validate("onechat", "response.authenticate_user", &reply).unwrap();
    }
    let maybe = serde_json::json!({"status": "Success", "description": "-", "isAuthenticated": "maybe"});
    assert!(registry.validate("onechat", "response.authenticate_user", &maybe).is_err());
    for app_id in [serde_json::json!("app-1"), serde_json::json!(17)] {
        let reply = serde_json::json!({
            "status": "Success", "description": "-", "appId": app_id, "apiKey": "k"
        });
        registry.validate("onechat", "response.register_mini_app", &reply).unwrap();
    }
    let error_as_success = serde_json::json!({"status": "Success", "description": "x"});
    assert!(registry.validate("onechat", "error", &error_as_success).is_err());
    let wrong_case = serde_json::json!({"status": "success", "description": "-"});
    assert!(registry.validate("onechat", "response.mass_broadcast", &wrong_case).is_err());
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
    // Each violation quotes the documentation of the part it breaks.
    assert!(errors.iter().all(|e| e.doc.is_some()), "{errors:?}");
    assert_eq!(errors.len(), 2, "{errors:?}");
}

#[test]
fn sama_last_activity_is_online_or_seconds() {
    let registry = Registry::global();
    let ok = serde_json::json!({"u1": "online", "u2": 1700149064});
    assert!(registry.validate("sama", "event.last_activity", &ok).is_ok());
    let bad = serde_json::json!({"u1": "offline"});
    assert!(registry.validate("sama", "event.last_activity", &bad).is_err());
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
    assert!(registry.validate("sama", "event.conversation_created", &created).is_ok());
    assert!(registry.validate("sama", "event.conversation_kicked", &created).is_err());
}

#[test]
fn a_connectnow_edit_may_leave_a_field_out_but_not_send_it_null() {
    // The mock (like Laravel's `sometimes|required`) refuses a present null as blank
    // (NOTES.md C18, C19); Schemathesis found the schemas allowing it.
    let registry = Registry::global();
    for (schema, field) in [
        ("request.edit_company", "name"),
        ("request.edit_chat", "name"),
        ("request.edit_chat_user", "name"),
        ("request.edit_chat_user", "email"),
        ("request.edit_chat_message", "message"),
    ] {
        registry.validate("connectnow", schema, &serde_json::json!({})).unwrap();
        let null = serde_json::json!({ field: null });
        assert!(registry.validate("connectnow", schema, &null).is_err(), "{schema}: {field}: null passed");
    }
}
