//! The OpenAPI 3.1 document of connectnow (seed 002): every route with its HTTP method, path
//! parameters, the token it takes and where the token may go, its success status and the
//! error statuses of the public facts (NOTES.md C3, C5, C19, C20).

use serde_json::{Map, Value, json};

use super::applies::{self, Target};
use super::components::reference;
use super::openapi::{VERSION, components, json_content, response, tags, top};
use super::{describe, extend, info, marks};
use crate::connectnow::{self, Auth, Route};
use crate::endpoint::Endpoints;
use crate::rules::RuleIndex;

/// The connectnow document.
pub fn openapi(index: &RuleIndex) -> Value {
    let c = components(connectnow::schemas());
    let targets: Vec<Target> = Route::ALL
        .iter()
        .map(|r| {
            let meta = r.meta();
            Target::new(r.name(), r.doc(), r.areas()).also(format!("{} {}", meta.method, meta.path))
        })
        .collect();
    let rules = applies::rules(index, &targets);
    let mut paths: Map<String, Value> = Map::new();
    for (i, r) in Route::ALL.iter().enumerate() {
        let meta = r.meta();
        let mut parameters: Vec<Value> = path_parameters(meta.path);
        let mut op = json!({
            "operationId": r.name(),
            "summary": format!("{} {}", meta.method, meta.path),
            "description": describe("connectnow", r.doc(), &placements(meta.auth)),
            "tags": [r.areas()[0]],
            "security": security(meta.auth),
        });
        let request = r.request_schema_name();
        let fields = c.get(&request).and_then(|s| s.get("properties")).and_then(Value::as_object);
        let has_fields = fields.is_some_and(|f| !f.is_empty());
        match meta.method {
            "GET" | "DELETE" => parameters.extend(fields.into_iter().flatten().map(|(n, s)| query(n, s))),
            // An edit changes only the fields given, so an empty one is allowed (NOTES.md C18).
            _ if has_fields => {
                let required = meta.method != "PUT";
                op["requestBody"] =
                    json!({"required": required, "content": json_content(reference(&request))});
            }
            _ => {}
        }
        if !parameters.is_empty() {
            op["parameters"] = Value::Array(parameters);
        }
        let mut responses = Map::new();
        let success = if meta.status == 201 { "Created." } else { "OK." };
        responses.insert(meta.status.to_string(), response(success, reference(&r.reply_schema_name())));
        for status in error_statuses(meta.method, meta.path, meta.auth, has_fields) {
            let name = if status == 422 { "validation" } else { "error" };
            responses.insert(status.to_string(), json!({"$ref": format!("#/components/responses/{name}")}));
        }
        op["responses"] = Value::Object(responses);
        extend(&mut op, marks(r.doc(), &rules[i]));
        let item = paths.entry(meta.path.to_owned()).or_insert_with(|| json!({}));
        if meta.method == "PUT" {
            item["patch"] = patch(&op);
        }
        item[meta.method.to_ascii_lowercase()] = op;
    }
    let mut doc = json!({
        "openapi": VERSION,
        "info": info(
            "connectnow Chat API",
            "connectnow",
            &["002"],
            "Companies, chats, chat users, chat messages and the two kinds of token. The seed lists the \
             routes and points to an API philosophy it does not include; the public facts about its \
             conventions (token placements, pagination, status codes) and the readings of the register \
             fill the rest. Every call sends `Accept: application/json`."
        ),
        "servers": [
            {"url": "http://127.0.0.1:8080", "description": "chatspec serve connectnow"},
            {"url": "https://chat-api.connectnow.org.uk", "description": "API base (seed 002)"}
        ],
        "tags": tags(index),
        "paths": paths,
        "components": {
            "schemas": c.into_value(),
            "responses": {
                "error": response(
                    "401 `{\"message\": \"Unauthenticated.\"}`, 403, 404, 413 and 429 carry a `message` \
                     (NOTES.md C5, C19, C20).",
                    reference("error")
                ),
                "validation": response(
                    "422: `{\"message\", \"errors\": {field: [...]}}` (NOTES.md C5).",
                    reference("error.validation")
                )
            },
            "securitySchemes": {
                "api_token": {
                    "type": "apiKey",
                    "in": "query",
                    "name": "api_token",
                    "description": "These follow our API philosophy on authentication using api_token (in the \
                                    query string, the body, or `Authorization: Bearer`: NOTES.md C3)."
                },
                "chat_user_token": {
                    "type": "apiKey",
                    "in": "query",
                    "name": "chat_user_token",
                    "description": "Chat-user tokens are tokens that are scoped to a user in a given chat (in \
                                    the query string, the body, or `Authorization: Bearer`: NOTES.md C3)."
                },
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Either token as `Authorization: Bearer` (NOTES.md C3)."
                }
            }
        }
    });
    extend(&mut doc, top(index));
    doc
}

/// The `PATCH` twin of an "Edit" route: "Edit — PUT", and `PATCH` is accepted as well, as
/// Laravel's resource routes do (NOTES.md C18).
fn patch(put: &Value) -> Value {
    let mut op = put.clone();
    let id = put["operationId"].as_str().unwrap_or_default();
    op["operationId"] = json!(format!("{id}_patch"));
    op["summary"] = json!(put["summary"].as_str().unwrap_or_default().replacen("PUT", "PATCH", 1));
    op["description"] = json!(format!(
        "The same as `PUT`: the seed documents \"Edit — PUT\"; `PATCH` is accepted as well, as Laravel's \
         resource routes do (specs/src/connectnow/NOTES.md, C18).\n\n{}",
        put["description"].as_str().unwrap_or_default()
    ));
    op["x-chatspec-origin"] = json!("reading C18");
    op
}

/// The ways a route's token may be sent: each alone is enough.
fn security(auth: Auth) -> Value {
    match auth {
        Auth::Api => json!([{"api_token": []}, {"bearer": []}]),
        Auth::ChatUser => json!([{"chat_user_token": []}, {"bearer": []}]),
        Auth::Either => json!([{"api_token": []}, {"chat_user_token": []}, {"bearer": []}]),
        Auth::None => json!([]),
    }
}

/// What the description says of the token's placements (NOTES.md C3).
fn placements(auth: Auth) -> String {
    let token = match auth {
        Auth::Api => "`api_token`",
        Auth::ChatUser => "`chat_user_token`",
        Auth::Either => "`api_token` or `chat_user_token`",
        Auth::None => return "Takes no token.".into(),
    };
    format!(
        "Takes {token}: in the query string, in the JSON body, or as `Authorization: Bearer`; the first \
         placement present decides (NOTES.md C3)."
    )
}

/// The error statuses a route can answer (NOTES.md C5, C19, C20): 401 and 403 when it takes a
/// token, 404 when its path has an id, 413 when it reads a body, 422 when it reads fields,
/// 429 always (when the throttle is on).
fn error_statuses(method: &str, path: &str, auth: Auth, has_fields: bool) -> Vec<u16> {
    let mut out = Vec::new();
    if auth != Auth::None {
        out.extend([401, 403]);
    }
    if path.contains('{') {
        out.push(404);
    }
    if matches!(method, "POST" | "PUT") {
        out.push(413);
    }
    if has_fields || matches!(method, "POST" | "PUT") {
        out.push(422);
    }
    out.push(429);
    out
}

/// The path's `{placeholders}` as integer path parameters (every id is an integer).
fn path_parameters(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| {
            json!({
                "name": name,
                "in": "path",
                "required": true,
                "description": format!("The record's id: `{{{name}}}`; one that is not a number is 404 (NOTES.md C19)."),
                "schema": {"type": "integer", "minimum": 0}
            })
        })
        .collect()
}

/// A query parameter from a field of the request schema; a query string cannot carry null, so
/// the field's `null` is dropped (absent means the default).
fn query(name: &str, schema: &Value) -> Value {
    let mut schema = schema.clone();
    let description = schema.as_object_mut().and_then(|o| o.remove("description")).unwrap_or(Value::Null);
    if let Some(obj) = schema.as_object_mut() {
        if obj.get("default") == Some(&Value::Null) {
            obj.remove("default");
        }
        if let Some(Value::Array(types)) = obj.get("type") {
            let kept: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
            obj.insert("type".into(), if kept.len() == 1 { kept[0].clone() } else { Value::Array(kept) });
        }
    }
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}
