//! Steps for files and for blocking (seed 003): `create_files`, `get_file_urls`, uploads and
//! downloads (NOTES.md S59, S60); `block_user`, `unblock_user` and `list_blocked_users` (S51,
//! S61).

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::users::user_ids;
use super::{items, last, ok, request};
use crate::deviations::Deviation;
use crate::steps::quoted;
use crate::world::ChatWorld;

/// The `_id` of the file named `name`.
pub fn file_id(w: &ChatWorld, name: &str) -> String {
    match w.sama.files.get(name).and_then(|f| f.get("_id")).and_then(Value::as_str) {
        Some(id) => id.to_owned(),
        None => panic!("the scenario created no file {name:?}"),
    }
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("png") => "image/png",
        Some("jpeg" | "jpg") => "image/jpeg",
        Some("txt") => "text/plain",
        _ => "application/octet-stream",
    }
}

async fn create(w: &mut ChatWorld, who: &str, names: &[String]) {
    let files: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, n)| json!({"name": n, "size": 240 + i * 520, "content_type": content_type(n)}))
        .collect();
    w.sama.remembered.insert("files".into(), Value::Array(files.clone()));
    let reply = request(w, who, "create_files", Value::Array(files)).await;
    if reply.is_ok() {
        for f in items(&reply.body, "files") {
            if let Some(name) = f.get("name").and_then(Value::as_str) {
                w.sama.files.insert(name.to_owned(), f.clone());
            }
        }
    }
}

#[when(regex = r"^(\w+) creates the files (.+)$")]
async fn creates(w: &mut ChatWorld, who: String, list: String) {
    create(w, &who, &quoted(&list)).await;
}

#[given(regex = r"^(\w+) has created the files? (.+)$")]
async fn has_created(w: &mut ChatWorld, who: String, list: String) {
    create(w, &who, &quoted(&list)).await;
    let reply = last(w);
    ok(w, &reply);
}

#[when(regex = r"^(\w+) creates a file without a name$")]
async fn creates_nameless(w: &mut ChatWorld, who: String) {
    request(w, &who, "create_files", json!([{"name": "", "size": 1, "content_type": "text/plain"}])).await;
}

#[then(regex = r"^the reply lists the files (.+) with their sizes, types and upload URLs$")]
async fn lists_files(w: &mut ChatWorld, list: String) {
    let reply = last(w);
    let body = ok(w, &reply);
    let sent = w.sama.remembered.get("files").and_then(Value::as_array).cloned().unwrap_or_default();
    let files = items(&body, "files");
    let same = files.len() == sent.len()
        && files.iter().zip(&sent).all(|(f, s)| {
            ["name", "size", "content_type"].iter().all(|k| f.get(*k) == s.get(*k))
                && f.get("upload_url").and_then(Value::as_str).is_some_and(|u| !u.is_empty())
        });
    if !same {
        w.fail(
            "create_files answers each file with its _id, name, size, content_type and upload_url",
            format!("{} in that order", quoted(&list).join(", ")),
            reply.describe(),
        );
    }
}

#[when(regex = r"^(\w+) gets the URLs? of (.+)$")]
async fn gets_urls(w: &mut ChatWorld, who: String, list: String) {
    let ids: Vec<String> = match list.strip_prefix("the unknown file id ") {
        Some(id) => vec![id.trim_matches('"').to_owned()],
        None => quoted(&list).iter().map(|n| file_id(w, n)).collect(),
    };
    w.sama.remembered.insert("asked".into(), json!(ids));
    request(w, &who, "get_file_urls", json!({"file_ids": ids})).await;
}

/// The URLs of the last `get_file_urls`, in the order asked, in any of the forms the register
/// accepts: `[{file_id, url}]`, `[url]` or `{<_id>: url}` (S60).
fn urls(w: &ChatWorld) -> Vec<Option<String>> {
    let reply = last(w);
    let shown_form = reply
        .body
        .get("file_urls")
        .and_then(Value::as_array)
        .is_some_and(|list| list.iter().all(Value::is_object));
    // The schema describes the list of objects; the other accepted forms are only checked
    // for a URL per file asked.
    let body = if shown_form || !reply.is_ok() { ok(w, &reply) } else { reply.body.clone() };
    let asked: Vec<String> = w
        .sama
        .remembered
        .get("asked")
        .and_then(|a| serde_json::from_value(a.clone()).ok())
        .unwrap_or_default();
    let got = body.get("file_urls").cloned().unwrap_or(Value::Null);
    let text = |v: Option<&Value>| v.and_then(Value::as_str).filter(|u| !u.is_empty()).map(str::to_owned);
    match &got {
        Value::Array(list) if list.iter().all(Value::is_object) => asked
            .iter()
            .enumerate()
            .map(|(i, id)| {
                list.get(i)
                    .filter(|o| o.get("file_id").and_then(Value::as_str) == Some(id))
                    .and_then(|o| text(o.get("url")))
            })
            .collect(),
        Value::Array(list) => (0..asked.len()).map(|i| text(list.get(i))).collect(),
        Value::Object(map) => asked.iter().map(|id| text(map.get(id))).collect(),
        _ => vec![None; asked.len()],
    }
}

/// The URLs of the last `get_file_urls` for `names`, failing unless there is one per file.
fn urls_for(w: &ChatWorld, names: &[String]) -> Vec<String> {
    let got = urls(w);
    if got.len() != names.len() || got.iter().any(Option::is_none) {
        let hint = if w.ctx.target.sama.has(Deviation::FileUrlsByObjectId) {
            ""
        } else {
            " (a server keying them by the storage object id has the known deviation file_urls_by_object_id, register S60)"
        };
        w.fail(
            "get_file_urls answers a URL for every file asked, in the order asked (S60)",
            format!("URLs for {names:?}, keyed or ordered by the _id asked for"),
            format!("{}{hint}", last(w).describe()),
        );
    }
    got.into_iter().flatten().collect()
}

#[then(regex = r"^the reply gives a URL for (.+) in that order$")]
async fn gives_urls(w: &mut ChatWorld, list: String) {
    urls_for(w, &quoted(&list));
}

fn mock_only(w: &ChatWorld) {
    if w.ctx.target.admin_url.is_none() {
        w.impossible("uploading to upload_url is only checked against the chatspec mock (register S59)");
    }
}

#[when(regex = r#"^(\w+) uploads "([^"]*)" to the upload URL of "([^"]*)"$"#)]
async fn uploads(w: &mut ChatWorld, who: String, text: String, name: String) {
    mock_only(w);
    let url = w
        .sama
        .files
        .get(&name)
        .and_then(|f| f.get("upload_url"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    w.wire.push("request", Some(&who), format!("PUT {url}"), Some(json!(text)));
    match w.ctx.http.put(&url).body(text.into_bytes()).send().await {
        Ok(r) if r.status().is_success() => {
            w.wire.push("response", Some(&who), r.status().as_u16().to_string(), None)
        }
        Ok(r) => {
            w.fail("the upload URL takes the file's bytes (S59)", "HTTP 2xx", format!("HTTP {}", r.status()))
        }
        Err(e) => w.fail("the upload URL takes the file's bytes (S59)", "HTTP 2xx", e),
    }
}

#[then(regex = r#"^the URL of "([^"]*)" downloads "([^"]*)"$"#)]
async fn downloads(w: &mut ChatWorld, name: String, text: String) {
    mock_only(w);
    let Some(url) = urls_for(w, std::slice::from_ref(&name)).into_iter().next() else {
        w.fail("get_file_urls answers a download URL", format!("a URL for {name:?}"), last(w).describe());
    };
    w.wire.push("request", None, format!("GET {url}"), None);
    let got = match w.ctx.http.get(&url).send().await {
        Ok(r) if r.status().is_success() => r.text().await.unwrap_or_default(),
        Ok(r) => w.fail("the download URL serves the file", "HTTP 200", format!("HTTP {}", r.status())),
        Err(e) => w.fail("the download URL serves the file", "HTTP 200", e),
    };
    w.wire.push("response", None, format!("{} bytes", got.len()), Some(json!(got)));
    if got != text {
        w.fail("the download URL serves the uploaded bytes", format!("{text:?}"), format!("{got:?}"));
    }
}

// ---- blocking ------------------------------------------------------------------------------

#[when(regex = r"^(\w+) (blocks|unblocks) (.+)$")]
async fn blocks(w: &mut ChatWorld, who: String, how: String, list: String) {
    let ids = user_ids(w, &list);
    let name = if how == "blocks" { "block_user" } else { "unblock_user" };
    request(w, &who, name, json!({"ids": ids})).await;
}

#[given(regex = r"^(\w+) has blocked (.+)$")]
async fn has_blocked(w: &mut ChatWorld, who: String, list: String) {
    blocks(w, who, "blocks".into(), list).await;
    let reply = last(w);
    ok(w, &reply);
}

async fn blocked(w: &mut ChatWorld, who: &str) -> Vec<String> {
    let reply = request(w, who, "list_blocked_users", json!({})).await;
    let body = ok(w, &reply);
    body.get("users")
        .and_then(Value::as_array)
        .map(|u| u.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

#[then(regex = r"^(\w+)'s blocked users are (.+) in that order$")]
async fn blocked_in_order(w: &mut ChatWorld, who: String, list: String) {
    let want = user_ids(w, &list);
    let got: Vec<String> = blocked(w, &who).await.into_iter().filter(|id| want.contains(id)).collect();
    if got != want {
        w.fail(
            "list_blocked_users lists the blocked users' ids in the order blocked (S61)",
            format!("{want:?}"),
            format!("{got:?}"),
        );
    }
}

#[then(regex = r"^(\w+)'s blocked users include neither (\w+) nor (\w+)$")]
async fn blocked_neither(w: &mut ChatWorld, who: String, a: String, b: String) {
    let ids = user_ids(w, &format!("{a} and {b}"));
    let got = blocked(w, &who).await;
    if got.iter().any(|id| ids.contains(id)) {
        w.fail(
            "unblock_user takes users off the blocked list",
            format!("none of {ids:?}"),
            format!("{got:?}"),
        );
    }
}
