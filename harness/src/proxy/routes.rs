//! Which declared endpoint an HTTP request is for, found in the declarations themselves
//! (`unichat::Method`, `connectnow::Route`, `onechat::Route`, `sama::Request` with their
//! `META`), never in a table of the proxy's own: a route the specs gain is checked by the
//! proxy without a change here.

use axum::http::Method;
use chatspec_specs::sama::Transport;
use chatspec_specs::{connectnow, onechat, sama, unichat};

/// What the proxy checks for one HTTP request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checked<'a> {
    /// A Unichat method call, `POST /api/{method}`, by the method's name in the path.
    UnichatCall(&'a str),
    /// The Unichat event stream, `GET /sse/{code}`.
    UnichatStream,
    /// A connectnow route of seed 002.
    ConnectNow(connectnow::Route),
    /// A OneChat call of seed 004, by its path.
    OneChat(onechat::Route),
    /// A OneChat call's path reached with another method than `POST` ("Make sure Http
    /// method is set to POST.").
    OneChatNotPost(onechat::Route),
    /// One of SAMA's HTTP routes (`POST /login`, `POST /logout`).
    SamaHttp(sama::Request),
    /// Passed on without checks: the admin routes, files, WebSocket upgrades, and paths no
    /// declaration has.
    Unchecked,
}

impl Checked<'_> {
    /// The kind of exchange the reports make one test case of: the method and the declared
    /// path template, so every request to one route counts under one name.
    pub fn kind(&self) -> Option<String> {
        Some(match self {
            Checked::UnichatCall(m) => match unichat::Method::from_name(m) {
                Some(method) => format!("POST /api/{}", method.name()),
                None => "POST /api/(no such method)".to_owned(),
            },
            Checked::UnichatStream => "GET /sse/{code}".to_owned(),
            Checked::ConnectNow(r) => format!("{} {}", r.meta().method, r.meta().path),
            Checked::OneChat(r) | Checked::OneChatNotPost(r) => format!("POST {}", r.meta().path),
            Checked::SamaHttp(r) => match r.meta().transport {
                Transport::Http { method, path } => format!("{method} {path}"),
                _ => return None,
            },
            Checked::Unchecked => return None,
        })
    }
}

/// What `api`'s request `method path` is for.
pub fn classify<'a>(api: &str, method: &Method, path: &'a str) -> Checked<'a> {
    if path.starts_with("/_mock/") {
        return Checked::Unchecked;
    }
    match api {
        unichat::API if method == Method::POST => path
            .strip_prefix("/api/")
            .filter(|m| !m.is_empty() && !m.contains('/'))
            .map_or(Checked::Unchecked, Checked::UnichatCall),
        unichat::API if path.starts_with("/sse/") => Checked::UnichatStream,
        connectnow::API => connectnow_route(method, path).map_or(Checked::Unchecked, Checked::ConnectNow),
        onechat::API => match onechat::Route::ALL.iter().copied().find(|r| r.meta().path == path) {
            Some(r) if method == Method::POST => Checked::OneChat(r),
            Some(r) if method != Method::OPTIONS => Checked::OneChatNotPost(r),
            _ => Checked::Unchecked,
        },
        sama::API => sama::Request::ALL
            .iter()
            .copied()
            .find(|r| {
                matches!(r.meta().transport, Transport::Http { method: m, path: p }
                    if p == path && m == method.as_str())
            })
            .map_or(Checked::Unchecked, Checked::SamaHttp),
        _ => Checked::Unchecked,
    }
}

/// The connectnow route of `method path`: the declared template whose segments match
/// (`{placeholders}` match any one segment), by its declared method; `HEAD` goes with `GET`
/// and `PATCH` with an "Edit" (`PUT`), as Laravel's resource routes take them. A route the
/// seed writes without `/api` is found under `/api` too (NOTES.md C2).
pub fn connectnow_route(method: &Method, path: &str) -> Option<connectnow::Route> {
    let method = match method.as_str() {
        "HEAD" => "GET",
        "PATCH" => "PUT",
        other => other,
    };
    connectnow::Route::ALL.iter().copied().find(|r| {
        let meta = r.meta();
        let on_path = template_matches(meta.path, path)
            || (!meta.path.starts_with("/api/")
                && path.strip_prefix("/api").is_some_and(|rest| template_matches(meta.path, rest)));
        on_path && meta.method == method
    })
}

/// Whether `path` fills `template` (`/api/chats/{chat-id}` and `/api/chats/7`).
fn template_matches(template: &str, path: &str) -> bool {
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    let mut want = template.split('/');
    let mut got = path.split('/');
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with('{') && w.ends_with('}') && !g.is_empty() => {}
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connectnow::Route;

    #[test]
    fn connectnow_paths_find_their_declared_route() {
        assert_eq!(connectnow_route(&Method::GET, "/api/companies"), Some(Route::ListCompanies));
        assert_eq!(connectnow_route(&Method::POST, "/api/companies"), Some(Route::CreateCompany));
        assert_eq!(connectnow_route(&Method::PATCH, "/api/companies/7"), Some(Route::EditCompany));
        assert_eq!(
            connectnow_route(&Method::DELETE, "/api/chats/3/messages/9"),
            Some(Route::DeleteChatMessage)
        );
        assert_eq!(connectnow_route(&Method::POST, "/chats/3/users/get-token"), Some(Route::GetToken));
        assert_eq!(connectnow_route(&Method::POST, "/api/chats/3/users/get-token"), Some(Route::GetToken));
        assert_eq!(connectnow_route(&Method::POST, "/api/companies/7"), None, "no route takes it");
        assert_eq!(connectnow_route(&Method::GET, "/api/companies/7/extra"), None);
    }

    #[test]
    fn every_api_classifies_by_its_declarations() {
        assert_eq!(
            classify("onechat", &Method::POST, "/onechat/api/singleMessage"),
            Checked::OneChat(onechat::Route::SingleMessage)
        );
        assert_eq!(
            classify("onechat", &Method::GET, "/onechat/api/singleMessage"),
            Checked::OneChatNotPost(onechat::Route::SingleMessage)
        );
        assert_eq!(classify("sama", &Method::POST, "/login"), Checked::SamaHttp(sama::Request::Login));
        assert_eq!(classify("sama", &Method::POST, "/logout"), Checked::SamaHttp(sama::Request::Logout));
        assert_eq!(classify("sama", &Method::GET, "/login"), Checked::Unchecked);
        assert_eq!(classify("connectnow", &Method::GET, "/_mock/state"), Checked::Unchecked);
        let kind = classify("connectnow", &Method::PUT, "/api/companies/7").kind();
        assert_eq!(kind.as_deref(), Some("PUT /api/companies/{company-id}"));
        assert_eq!(
            classify("unichat", &Method::POST, "/api/nope").kind().as_deref(),
            Some("POST /api/(no such method)")
        );
    }
}
