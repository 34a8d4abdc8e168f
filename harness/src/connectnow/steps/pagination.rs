//! Steps for the "Get all" lists and their pages (seed 002, "Get all"; public fact: lists are
//! paginated with `current_page`, `data`, `first_page_url`, `from`, `next_page_url`, `path`,
//! `per_page` (default 15, at most 249), `prev_page_url`, `to`; NOTES.md C7).

use chatspec_specs::connectnow::Route;
use chatspec_specs::connectnow::pagination::ListQuery;
use cucumber::{then, when};
use serde_json::Value;

use crate::connectnow::ConnectNowWorld;
use crate::connectnow::driver::{Placement, Request};
use crate::kit::prose::{names, quoted};
use crate::reply::Via;

/// The query string of a list, from its `specs` type: `page`, then `per_page`, each when
/// given. It is not checked against the list's request schema: a scenario asks for
/// `per_page` 250 on purpose, to see it refused or capped.
fn query_of(q: &ListQuery) -> Vec<(String, String)> {
    let ListQuery { page, per_page } = q;
    [("page", page), ("per_page", per_page)]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_string())))
        .collect()
}

/// Lists `what` ("its chats", "the messages of \"Support\"", ...) as `actor`, with the token
/// placed `at` and the query `query`.
async fn list(w: &mut ConnectNowWorld, actor: &str, what: &str, at: &str, query: ListQuery) {
    let (route, ids) = match what {
        "its companies" => (Route::ListCompanies, Vec::new()),
        "its chats" => (Route::ListChats, Vec::new()),
        other => {
            let chat = quoted(other).into_iter().next().unwrap_or_default();
            let id = w.chat(&chat).id;
            if other.starts_with("the chat users of") {
                (Route::ListChatUsers, vec![id])
            } else {
                (Route::ListChatMessages, vec![id])
            }
        }
    };
    let mut req = w.request(route, &ids);
    let mut token = w.token(actor);
    token.at = Placement::from_words(at);
    req.token = Some(token);
    req.query = query_of(&query);
    let reply = w.send(Some(actor), req).await;
    if reply.status == 200 {
        w.pages.push(reply.body.clone());
    }
}

#[when(
    regex = r#"^(\w+) lists (its companies|its chats|the chat users of "[^"]*"|the messages of "[^"]*")(?: with the token (in the query string|in the body|in a form body|as a bearer token))?$"#
)]
async fn lists(w: &mut ConnectNowWorld, actor: String, what: String, at: String) {
    list(w, &actor, &what, &at, ListQuery::default()).await;
}

#[when(regex = r"^(\w+) lists its chats (\d+) per page(?: on page (\d+))?$")]
async fn lists_per_page(w: &mut ConnectNowWorld, actor: String, per_page: u64, page: String) {
    let query = ListQuery { page: page.parse().ok(), per_page: Some(per_page) };
    list(w, &actor, "its chats", "", query).await;
}

#[when(regex = r"^(\w+) lists its chats on page (\d+)$")]
async fn lists_page(w: &mut ConnectNowWorld, actor: String, page: u64) {
    list(w, &actor, "its chats", "", ListQuery { page: Some(page), per_page: None }).await;
}

#[when(regex = r"^(\w+) follows the (next|previous) page URL$")]
async fn follows(w: &mut ConnectNowWorld, actor: String, which: String) {
    let reply = w.last();
    let field = if which == "next" { "next_page_url" } else { "prev_page_url" };
    let Some(url) = reply.body.get(field).and_then(Value::as_str).map(str::to_owned) else {
        w.fail(&format!("the page has a {which} page"), format!("{field}: a URL"), reply.describe());
    };
    // The URL names the page; the token is added as it was for the first page.
    let mut req = Request::new(Route::from_name(&reply.name), reqwest::Method::GET, url);
    req.token = Some(w.token(&actor));
    let next = w.send(Some(&actor), req).await;
    if next.status == 200 {
        w.pages.push(next.body.clone());
    }
}

/// The records of the last page, after checking the call succeeded.
fn page_data(w: &ConnectNowWorld) -> (Value, Vec<Value>) {
    let reply = w.last();
    let page = w.ok(&reply, &[200]);
    let data = page.get("data").and_then(Value::as_array).cloned().unwrap_or_default();
    (page, data)
}

#[then(
    regex = r#"^the list holds exactly the (companies|chats|messages) ("[^"]*"(?:(?:, | and )"[^"]*")*)$"#
)]
async fn holds_exactly(w: &mut ConnectNowWorld, kind: String, list: String) {
    let (_, data) = page_data(w);
    let field =
        if kind == "messages" { w.ctx.target.connectnow.message_field.clone() } else { "name".into() };
    let mut want: Vec<String> = quoted(&list)
        .iter()
        .map(|l| if kind == "messages" { l.clone() } else { w.names.get(l).cloned().unwrap_or_default() })
        .collect();
    let mut got: Vec<String> =
        data.iter().map(|r| r.get(&field).and_then(Value::as_str).unwrap_or("(none)").to_owned()).collect();
    want.sort();
    got.sort();
    if got != want {
        w.fail(
            &format!("\"Get all\" lists exactly the {kind} the token may see"),
            format!("{field}s {want:?}"),
            format!("{field}s {got:?} in {}", Value::Array(data)),
        );
    }
}

#[then(regex = r"^the list holds exactly the chat users (\w+(?:(?:, | and )\w+)*)$")]
async fn holds_exactly_users(w: &mut ConnectNowWorld, list: String) {
    let (_, data) = page_data(w);
    let mut want: Vec<u64> = names(&list).iter().map(|n| w.member_id(n)).collect();
    let mut got: Vec<u64> = data.iter().filter_map(|r| r.get("id").and_then(Value::as_u64)).collect();
    want.sort_unstable();
    got.sort_unstable();
    if got != want || got.len() != data.len() {
        w.fail("\"Get all\" lists exactly the chat's users", format!("ids {want:?}"), Value::Array(data));
    }
}

#[then("the list is empty")]
async fn list_empty(w: &mut ConnectNowWorld) {
    let (_, data) = page_data(w);
    if !data.is_empty() {
        w.fail("\"Get all\" lists only the token's own records", "no records", Value::Array(data));
    }
}

#[then(regex = r"^the page is page (\d+) of (\d+) per page holding records (\d+) to (\d+)$")]
async fn page_is(w: &mut ConnectNowWorld, page: u64, per_page: u64, from: u64, to: u64) {
    let (body, data) = page_data(w);
    let got = (
        body.get("current_page").and_then(Value::as_u64),
        body.get("per_page").and_then(Value::as_u64),
        body.get("from").and_then(Value::as_u64),
        body.get("to").and_then(Value::as_u64),
        data.len() as u64,
    );
    if got != (Some(page), Some(per_page), Some(from), Some(to), to + 1 - from) {
        w.fail(
            "the page says where it is in the list",
            format!(
                "current_page {page}, per_page {per_page}, from {from}, to {to}, {} records",
                to + 1 - from
            ),
            format!(
                "current_page {:?}, per_page {:?}, from {:?}, to {:?}, {} records",
                got.0, got.1, got.2, got.3, got.4
            ),
        );
    }
}

#[then(regex = r"^the page has (a|no) next page and (a|no) previous page$")]
async fn has_neighbours(w: &mut ConnectNowWorld, next: String, prev: String) {
    let (body, _) = page_data(w);
    for (field, want) in [("next_page_url", next == "a"), ("prev_page_url", prev == "a")] {
        let got = body.get(field).is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()));
        if got != want {
            w.fail(
                &format!("{field} is a URL when there is such a page, and null otherwise"),
                if want { format!("{field}: a URL") } else { format!("{field}: null") },
                format!("{field}: {}", body.get(field).cloned().unwrap_or(Value::Null)),
            );
        }
    }
}

#[then(regex = r"^the page is empty, from and to null$")]
async fn page_empty(w: &mut ConnectNowWorld) {
    let (body, data) = page_data(w);
    if !data.is_empty()
        || !body.get("from").is_some_and(Value::is_null)
        || !body.get("to").is_some_and(Value::is_null)
    {
        w.fail("a page past the end is empty", "data [], from null, to null", body);
    }
}

#[then(regex = r"^the pages read hold each of the (\d+) chats once$")]
async fn pages_hold_all(w: &mut ConnectNowWorld, n: usize) {
    let mut ids: Vec<u64> = w
        .pages
        .iter()
        .flat_map(|p| p.get("data").and_then(Value::as_array).cloned().unwrap_or_default())
        .filter_map(|r| r.get("id").and_then(Value::as_u64))
        .collect();
    ids.sort_unstable();
    let mut want: Vec<u64> = w.chats.values().map(|c| c.id).collect();
    want.sort_unstable();
    if ids != want || want.len() != n {
        w.fail(
            "following the page URLs lists every record once",
            format!("ids {want:?}"),
            format!("ids {ids:?}"),
        );
    }
}

#[then(regex = r"^per_page (\d+) is refused with 422 or capped at (\d+)$")]
async fn refused_or_capped(w: &mut ConnectNowWorld, asked: u64, cap: u64) {
    let reply = w.last();
    if reply.status == 422 {
        w.refused(&reply, &[422]);
        return;
    }
    let page = w.ok(&reply, &[200]);
    let per_page = page.get("per_page").and_then(Value::as_u64).unwrap_or(u64::MAX);
    let n = page.get("data").and_then(Value::as_array).map_or(0, Vec::len) as u64;
    if per_page > cap || n > cap {
        w.fail(
            &format!("per_page is at most {cap}"),
            format!("HTTP 422, or per_page at most {cap}"),
            format!("per_page {per_page} for a request of {asked}, {n} records"),
        );
    }
}

#[then("the page URLs carry no token")]
async fn urls_without_token(w: &mut ConnectNowWorld) {
    let (body, _) = page_data(w);
    for field in ["first_page_url", "next_page_url", "prev_page_url", "path"] {
        let url = body.get(field).and_then(Value::as_str).unwrap_or_default();
        if url.contains("api_token") || url.contains("chat_user_token") {
            w.fail("page URLs never carry a token (NOTES.md C7)", format!("{field} without a token"), url);
        }
    }
}

/// The path of a URL (what follows the authority, before any query), and its query pairs.
fn url_parts(url: &str) -> (String, Vec<(String, String)>) {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path_and_query = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let pairs = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    (path.to_owned(), pairs)
}

#[then("the page's path is the list's URL and its first_page_url is page 1 of it")]
async fn path_and_first_page(w: &mut ConnectNowWorld) {
    let (body, _) = page_data(w);
    let reply = w.last();
    let Via::Http { url: asked, .. } = &reply.via else { panic!("a connectnow list is an HTTP request") };
    let (list_path, _) = url_parts(asked);
    let path = body.get("path").and_then(Value::as_str).unwrap_or_default().to_owned();
    let (path_path, path_query) = url_parts(&path);
    if path_path != list_path || !path_query.is_empty() || path.contains('?') {
        w.fail(
            "`path` is the list's URL without a query (NOTES.md C7)",
            format!("a URL of the path {list_path} with no query"),
            format!("path {path:?}"),
        );
    }
    let first = body.get("first_page_url").and_then(Value::as_str).unwrap_or_default().to_owned();
    let (first_path, first_query) = url_parts(&first);
    let page = first_query.iter().find(|(k, _)| k == "page").map(|(_, v)| v.as_str());
    if first_path != list_path || page != Some("1") {
        w.fail(
            "`first_page_url` is page 1 of the same list (NOTES.md C7)",
            format!("a URL of the path {list_path} with page=1"),
            format!("first_page_url {first:?}"),
        );
    }
}
