//! Steps for files (seed 003): `create_files`, `get_file_urls`, uploads and downloads
//! (NOTES.md S59, S60).

use chatspec_specs::sama::compat::Switch;
use chatspec_specs::sama::files::{CreateFiles, FileParams, GetFileUrls, GetFileUrlsParams};
use cucumber::{given, then, when};
use serde_json::{Value, json};

use crate::kit::prose::quoted;
use crate::sama::SamaWorld;
use crate::sama::driver::Body;
use crate::sama::driver::SamaReply;
use crate::sama::world::items;

/// The `_id` of the file named `name`.
pub fn file_id(w: &SamaWorld, name: &str) -> String {
    match w.files.get(name).and_then(|f| f.get("_id")).and_then(Value::as_str) {
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

async fn create(w: &mut SamaWorld, who: &str, names: &[String]) {
    let files: Vec<FileParams> = names
        .iter()
        .zip(0u64..)
        .map(|(n, i)| FileParams {
            name: n.clone(),
            size: 240 + i * 520,
            content_type: content_type(n).into(),
        })
        .collect();
    w.remembered.insert("files".into(), Body::typed(&files).json().unwrap_or_default());
    let reply = w.request::<CreateFiles>(who, files).await;
    if reply.is_ok() {
        for f in items(&reply.body, "files") {
            if let Some(name) = f.get("name").and_then(Value::as_str) {
                w.files.insert(name.to_owned(), f.clone());
            }
        }
    }
}

#[when(regex = r"^(\w+) creates the files (.+)$")]
async fn creates(w: &mut SamaWorld, who: String, list: String) {
    create(w, &who, &quoted(&list)).await;
}

#[given(regex = r"^(\w+) has created the files? (.+)$")]
async fn has_created(w: &mut SamaWorld, who: String, list: String) {
    create(w, &who, &quoted(&list)).await;
    let reply = w.last();
    w.ok(&reply);
}

#[when(regex = r"^(\w+) creates a file without a name$")]
async fn creates_nameless(w: &mut SamaWorld, who: String) {
    // `name` is required and never empty (the request schema): a negative scenario.
    w.request_malformed(&who, "create_files", r#"[{"name": "", "size": 1, "content_type": "text/plain"}]"#)
        .await;
}

#[then(regex = r"^the reply lists the files (.+) with their sizes, types and upload URLs$")]
async fn lists_files(w: &mut SamaWorld, list: String) {
    let reply = w.last();
    let body = w.ok(&reply);
    let sent = w.remembered.get("files").and_then(Value::as_array).cloned().unwrap_or_default();
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

/// The id `get_file_urls` is asked with for the file `name`: its `_id`, or where the profile
/// declares file_urls_by_object_id, the storage `object_id` the server gave it (S60).
fn asked_id(w: &SamaWorld, name: &str) -> String {
    let object_id = w.files.get(name).and_then(|f| f.get("object_id")).and_then(Value::as_str);
    match object_id {
        Some(oid)
            if w.deviation(
                Switch::FileUrlsByObjectId,
                "get_file_urls takes the _id create_files returned",
                "file_ids: [<_id>]",
                "file_ids: [<object_id>]",
            ) =>
        {
            oid.to_owned()
        }
        _ => file_id(w, name),
    }
}

#[when(regex = r"^(\w+) gets the URLs? of (.+)$")]
async fn gets_urls(w: &mut SamaWorld, who: String, list: String) {
    let ids: Vec<String> = match list.strip_prefix("the unknown file id ") {
        Some(id) => vec![id.trim_matches('"').to_owned()],
        None => quoted(&list).iter().map(|n| asked_id(w, n)).collect(),
    };
    w.remembered.insert("asked".into(), json!(ids));
    w.request::<GetFileUrls>(&who, GetFileUrlsParams { file_ids: ids }).await;
}

/// The URLs of the last `get_file_urls`, in the order asked, in any of the forms the register
/// accepts: `[{file_id, url}]`, `[url]` or `{<_id>: url}` (S60).
fn urls(w: &SamaWorld) -> Vec<Option<String>> {
    let reply = w.last();
    let shown_form = reply
        .body
        .get("file_urls")
        .and_then(Value::as_array)
        .is_some_and(|list| list.iter().all(Value::is_object));
    // The schema describes the list of objects; the other accepted forms are only checked
    // for a URL per file asked.
    let body = if shown_form || !reply.is_ok() { w.ok(&reply) } else { reply.body.clone() };
    let asked: Vec<String> =
        w.remembered.get("asked").and_then(|a| serde_json::from_value(a.clone()).ok()).unwrap_or_default();
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
        Value::Object(map) => {
            let direct: Vec<Option<String>> = asked.iter().map(|id| text(map.get(id))).collect();
            // Keyed by ids the client never asked with: where the profile declares
            // file_urls_by_object_id, the URLs are taken as they come (S60).
            if direct.iter().any(Option::is_none)
                && map.len() == asked.len()
                && w.deviation(
                    Switch::FileUrlsByObjectId,
                    "get_file_urls answers a URL for each file asked",
                    "URLs by the ids asked for",
                    "URLs keyed by an undocumented object_id",
                )
            {
                return map.values().map(|v| text(Some(v))).collect();
            }
            direct
        }
        _ => vec![None; asked.len()],
    }
}

/// The URLs of the last `get_file_urls` for `names`, failing unless there is one per file.
fn urls_for(w: &SamaWorld, names: &[String]) -> Vec<String> {
    let reply = w.last();
    let by_object_id = names.iter().any(|n| w.files.get(n).is_some_and(|f| f.get("object_id").is_some()))
        || reply.body.get("file_urls").is_some_and(Value::is_object);
    if by_object_id
        && !w.ctx.target.sama.has(Switch::FileUrlsByObjectId)
        && (!reply.is_ok() || urls(w).iter().any(Option::is_none))
    {
        w.fail_known(
            Switch::FileUrlsByObjectId,
            "get_file_urls answers a URL for every file asked (S60)",
            format!("URLs for {names:?}, keyed or ordered by the _id asked for"),
            reply.describe(),
        );
    }
    let got = urls(w);
    if got.len() != names.len() || got.iter().any(Option::is_none) {
        w.fail(
            "get_file_urls answers a URL for every file asked (S60)",
            format!("URLs for {names:?}, keyed or ordered by the id asked for"),
            reply.describe(),
        );
    }
    got.into_iter().flatten().collect()
}

#[then(regex = r"^the reply gives a URL for (.+) in that order$")]
async fn gives_urls(w: &mut SamaWorld, list: String) {
    urls_for(w, &quoted(&list));
}

fn mock_only(w: &SamaWorld) {
    if w.ctx.target.admin_url.is_none() {
        w.impossible("uploading to upload_url is only checked against the chatspec mock (register S59)");
    }
}

#[when(regex = r#"^(\w+) uploads "([^"]*)" to the upload URL of "([^"]*)"$"#)]
async fn uploads(w: &mut SamaWorld, who: String, text: String, name: String) {
    mock_only(w);
    let url = w
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
async fn downloads(w: &mut SamaWorld, name: String, text: String) {
    mock_only(w);
    let Some(url) = urls_for(w, std::slice::from_ref(&name)).into_iter().next() else {
        w.fail("get_file_urls answers a download URL", format!("a URL for {name:?}"), w.last().describe());
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
