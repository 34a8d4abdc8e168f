//! The OpenAPI 3.1 documents of Unichat (seed 000's single endpoint, one path per method, and
//! the SSE stream), OneChat (seed 004's five calls) and SAMA's HTTP routes (seed 003's
//! `/login` and `/logout`). connectnow's is in `connectnow.rs`.
//!
//! OpenAPI 3.1 takes JSON Schema 2020-12 as it is, so the components are the committed schema
//! files with their `$defs` moved beside them ([`super::components`]).

use schemars::Schema;
use serde_json::{Map, Value, json};

use super::applies::{self, Target};
use super::components::{Components, reference};
use super::{describe, extend, info, marks};
use crate::endpoint::Endpoints;
use crate::rules::RuleIndex;
use crate::{onechat, sama, unichat};

/// The OpenAPI version the documents follow.
pub const VERSION: &str = "3.1.1";

/// Every schema of an API as a component, the registry's names kept.
pub fn components(schemas: Vec<(String, Schema)>) -> Components {
    let mut c = Components::default();
    for (name, schema) in &schemas {
        c.add(name, schema);
    }
    c
}

/// A JSON body of the schema `schema`.
pub fn json_content(schema: Value) -> Value {
    json!({"application/json": {"schema": schema}})
}

/// A response with a description and a JSON body.
pub fn response(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": json_content(schema)})
}

/// The Unichat document: `POST /api/{method}` for every method (NOTES.md U1), each with its
/// `{"args": {...}}` body (U2), its tokens, the `status: 'OK'` reply and the 400 error
/// envelope; and `GET /sse/{code}` (U3).
pub fn unichat(index: &RuleIndex) -> Value {
    use unichat::{Auth, Method};
    let mut c = components(unichat::schemas());
    let targets: Vec<Target> = Method::ALL
        .iter()
        .map(|m| Target::new(m.name(), m.doc(), m.areas()))
        .chain([Target::new("sse", unichat::sse::STREAM, &["sse"])])
        .collect();
    let rules = applies::rules(index, &targets);
    c.add(
        "envelope.ok",
        &schema(json!({
            "description": "On success, it returns status: 'OK' and whatever data API method returned.",
            "type": "object",
            "properties": {"status": {"const": "OK"}},
            "required": ["status"]
        })),
    );
    let mut paths = Map::new();
    for (i, m) in Method::ALL.iter().enumerate() {
        let args = json!({
            "type": "object",
            "description": "call arguments must be passed as args parameter, encoded with JSON (NOTES.md U2).",
            "properties": {"args": reference(&m.request_schema_name())},
            "required": ["args"]
        });
        let security = match m.meta().auth {
            Auth::Domain => json!([{"APP_DOMAIN_TOKEN": []}]),
            Auth::User => json!([{"APP_DOMAIN_TOKEN": [], "USER_AUTH_TOKEN": []}]),
        };
        let mut op = json!({
            "operationId": m.name(),
            "summary": m.name(),
            "description": describe("unichat", m.doc(), "Called as `POST /api/<method_name>` (NOTES.md U1)."),
            "tags": [m.areas()[0]],
            "security": security,
            "requestBody": {"required": true, "content": json_content(args)},
            "responses": {
                "200": response(
                    "On success, it returns status: 'OK' and whatever data API method returned.",
                    json!({"allOf": [reference("envelope.ok"), reference(&m.reply_schema_name())]})
                ),
                "400": {"$ref": "#/components/responses/error"}
            }
        });
        extend(&mut op, marks(m.doc(), &rules[i]));
        paths.insert(format!("/api/{}", m.name()), json!({"post": op}));
    }
    let stream = unichat::sse::STREAM;
    let mut sse = json!({
        "operationId": "sse",
        "summary": "The SSE event stream",
        "description": describe(
            "unichat",
            stream,
            "The events (`unichat_notification`, `event_source_ready`, `ping`) are described by \
             `asyncapi/unichat.asyncapi.json`. An unknown or used code is the 400 error envelope."
        ),
        "tags": ["sse"],
        "parameters": [{
            "name": "code",
            "in": "path",
            "required": true,
            "description": "The code `create_sse_auth_code()` returned; it can be used once.",
            "schema": {"type": "string", "minLength": 1}
        }],
        "responses": {
            "200": {
                "description": "The event stream.",
                "content": {"text/event-stream": {"schema": sse_event()}}
            },
            "400": {"$ref": "#/components/responses/error"}
        }
    });
    extend(&mut sse, marks(stream, &rules[Method::ALL.len()]));
    paths.insert("/sse/{code}".into(), json!({"get": sse}));
    let mut doc = json!({
        "openapi": VERSION,
        "info": info(
            "Unichat API",
            "unichat",
            &["000", "001"],
            "Allows access to every unichat API method with a single HTTP JSON call. Every method is \
             `POST /api/<method_name>` with the body `{\"args\": {...}}` (the seed's URL and sample were \
             lost: NOTES.md U1, U2); events come over SSE (`GET /sse/<code>`, U3)."
        ),
        "servers": [{"url": "http://127.0.0.1:8080", "description": "chatspec serve unichat"}],
        "tags": tags(index),
        "paths": paths,
        "components": {
            "schemas": c.into_value(),
            "responses": {
                "error": response(
                    "On error, the 400 result code will be returned and the data will contain following \
                     structure: {status: \"error\", error_code: error_code, error_text: error_text}",
                    reference("error")
                )
            },
            "securitySchemes": {
                "APP_DOMAIN_TOKEN": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "APP_DOMAIN_TOKEN",
                    "description": "The application domain token should be specified in the request header \
                                    APP_DOMAIN_TOKEN. The \"test_token1\" could be used for testing."
                },
                "USER_AUTH_TOKEN": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "USER_AUTH_TOKEN",
                    "description": "The application must then set the request header USER_AUTH_TOKEN to this \
                                    value with each request that needs user authentication. Do not pass this \
                                    header with empty or improper value as it will cause error."
                }
            }
        }
    });
    extend(&mut doc, top(index));
    doc
}

/// One event of the stream, as OpenAPI describes `text/event-stream`: an object with the
/// fields of the HTML standard's event stream format, one kind per event type of seed 000; the
/// JSON in `data` is described by `contentMediaType` and `contentSchema`.
fn sse_event() -> Value {
    let kinds: Vec<Value> = unichat::sse::EVENTS
        .iter()
        .map(|e| {
            let content = e.schema.map(reference).unwrap_or_else(|| json!({}));
            json!({
                "description": format!("`{}`: {}", e.name, crate::rules::normalise_whitespace(e.doc.quote)),
                "properties": {
                    "event": {"const": e.name},
                    "data": {"contentMediaType": "application/json", "contentSchema": content}
                }
            })
        })
        .collect();
    let names: Vec<&str> = unichat::sse::EVENTS.iter().map(|e| e.name).collect();
    json!({
        "description": "One event of the stream. The JSON in `data` is described by `contentSchema`, and the \
                        events in full by `asyncapi/unichat.asyncapi.json`.",
        "type": "object",
        "properties": {
            "event": {"enum": names},
            "data": {"type": "string"},
            "id": {"type": "string"},
            "retry": {"type": "integer", "minimum": 0}
        },
        "required": ["event", "data"],
        "oneOf": kinds
    })
}

/// The OneChat document: seed 004's five `POST /onechat/api/<call>` calls, the `apikey`
/// header, the success reply and the error reply (NOTES.md O1, O4).
pub fn onechat(index: &RuleIndex) -> Value {
    use onechat::Route;
    let c = components(onechat::schemas());
    let targets: Vec<Target> = Route::ALL
        .iter()
        .map(|r| {
            let segment = r.meta().path.rsplit('/').next().unwrap_or_default();
            Target::new(r.name(), r.doc(), r.areas()).also(segment)
        })
        .collect();
    let rules = applies::rules(index, &targets);
    let mut paths = Map::new();
    for (i, r) in Route::ALL.iter().enumerate() {
        let meta = r.meta();
        let security = if meta.apikey { json!([{"apikey": []}]) } else { json!([]) };
        let mut responses = Map::new();
        responses.insert(
            "200".into(),
            response("The call succeeded: `status` is `Success`.", reference(&r.reply_schema_name())),
        );
        for status in ["400", "401", "403", "404", "413"] {
            responses.insert(status.into(), json!({"$ref": "#/components/responses/error"}));
        }
        let mut op = json!({
            "operationId": r.name(),
            "summary": meta.path.rsplit('/').next().unwrap_or_default(),
            "description": describe(
                "onechat",
                r.doc(),
                "Make sure Http method is set to POST. Errors come as `{\"status\": \"Error\", \"description\"}` \
                 with the statuses of NOTES.md O4."
            ),
            "tags": [r.areas()[0]],
            "security": security,
            "requestBody": {"required": true, "content": json_content(reference(&r.request_schema_name()))},
            "responses": responses
        });
        extend(&mut op, marks(r.doc(), &rules[i]));
        paths.insert(meta.path.into(), json!({"post": op}));
    }
    let mut doc = json!({
        "openapi": VERSION,
        "info": info(
            "OneChat API",
            "onechat",
            &["004"],
            "The broadcast and alert relay API and the mini-app server calls of OneChat. The browser \
             libraries the seed also describes run in the client and are not part of this document."
        ),
        "servers": [
            {"url": "http://127.0.0.1:8080", "description": "chatspec serve onechat"},
            {"url": "https://app.onechat.net", "description": "the seed's URLs"}
        ],
        "tags": tags(index),
        "paths": paths,
        "components": {
            "schemas": c.into_value(),
            "responses": {
                "error": response(
                    "The call failed: `status` is `Error`, `description` says why (`Unauthorized` for a \
                     missing or unknown apikey). The seed gives no HTTP statuses (NOTES.md O4).",
                    reference("error")
                )
            },
            "securitySchemes": {
                "apikey": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "apikey",
                    "description": "This is the consumer key of the approved App created in the Developer Portal."
                }
            }
        }
    });
    extend(&mut doc, top(index));
    doc
}

/// The OpenAPI document of SAMA's HTTP routes, `POST /login` and `POST /logout` (seed 003);
/// the socket is in `asyncapi/sama.asyncapi.json`.
pub fn sama(index: &RuleIndex) -> Value {
    use sama::{Request, Transport};
    let c = components(sama::schemas());
    let targets: Vec<Target> =
        Request::ALL.iter().map(|r| Target::new(r.name(), r.doc(), r.areas())).collect();
    let rules = applies::rules(index, &targets);
    let mut paths = Map::new();
    for (i, r) in Request::ALL.iter().enumerate() {
        let Transport::Http { method, path } = r.meta().transport else { continue };
        let security = if r.meta().session {
            json!([{"access_token": []}])
        } else {
            json!([{}, {"access_token": []}, {"refresh_token": []}])
        };
        let mut responses = Map::new();
        responses.insert("200".into(), response("Signed in or out.", reference(&r.reply_schema_name())));
        for status in ["401", "404", "422"] {
            responses.insert(status.into(), json!({"$ref": "#/components/responses/error"}));
        }
        let mut op = json!({
            "operationId": r.name(),
            "summary": format!("{method} {path}"),
            "description": describe(
                "sama",
                r.doc(),
                "Errors come as `{\"error\": {\"status\", \"message\"}}` with the same HTTP status (NOTES.md S10)."
            ),
            "tags": ["auth"],
            "security": security,
            "requestBody": {"required": false, "content": json_content(reference(&r.request_schema_name()))},
            "responses": responses
        });
        if r.name() == "login" {
            op["parameters"] = json!([{
                "name": "device_id",
                "in": "header",
                "required": false,
                "description": "When you use access_token for authorization: device_id: \"device_u1\" must be \
                                put in the request header (NOTES.md S4).",
                "schema": {"type": "string"}
            }]);
        }
        extend(&mut op, marks(r.doc(), &rules[i]));
        paths.insert(path.into(), json!({ method.to_ascii_lowercase(): op }));
    }
    let mut doc = json!({
        "openapi": VERSION,
        "info": info(
            "SAMA HTTP routes",
            "sama",
            &["003"],
            "The HTTP routes of the SAMA chat protocol: signing in and out. Everything else goes over \
             the WebSocket, described by `asyncapi/sama.asyncapi.json`."
        ),
        "servers": [{"url": "http://127.0.0.1:9000", "description": "chatspec serve sama"}],
        "paths": paths,
        "components": {
            "schemas": c.into_value(),
            "responses": {
                "error": response("The one error shape over HTTP (NOTES.md S10).", reference("error"))
            },
            "securitySchemes": {
                "access_token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "you need to put the access_token in the request header"
                },
                "refresh_token": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "refresh_token",
                    "description": "a new refresh_token will be embedded in the response cookie (NOTES.md S5)"
                }
            }
        }
    });
    extend(&mut doc, top(index));
    doc
}

/// The document-wide marks: the rules that concern every call.
pub fn top(index: &RuleIndex) -> Map<String, Value> {
    let all = applies::everywhere(&index.api);
    let ids: Vec<&str> =
        index.rules.iter().filter(|r| all.contains(&r.area.as_str())).map(|r| r.id.as_str()).collect();
    let mut map = Map::new();
    map.insert("x-chatspec-rules".into(), json!(ids));
    map
}

/// One tag per feature area.
pub fn tags(index: &RuleIndex) -> Value {
    let api = &index.api;
    Value::Array(
        index
            .areas
            .iter()
            .map(|a| json!({"name": a, "description": format!("The `{a}` area: `features/{api}/{a}.feature`.")}))
            .collect(),
    )
}

/// A schema from JSON the generator writes itself.
pub fn schema(value: Value) -> Schema {
    Schema::try_from(value).unwrap_or_default()
}
