//! Secrets out of every report: the tokens, API keys and passwords a run used are shown as
//! their first characters, an ellipsis and their length (`eyJh…[40 chars]`), so a reader can
//! still tell two tokens apart and none can be replayed from a report.
//!
//! The run itself uses the real values; only the writers see a redacted copy of the record
//! ([`record`]). What is secret is named by the API documents: the headers `Authorization`,
//! `apikey` (OneChat), `USER_AUTH_TOKEN` and `APP_DOMAIN_TOKEN` (Unichat), cookies; the JSON
//! fields and query parameters `token`, `access_token`, `refresh_token`, `sse_token`,
//! `auth_token`, `device_token`, `api_token`, `chat_user_token`, `apiKey`, `password`,
//! `current_password`, `new_password`, `web_key_auth` and their kind, under whatever names a
//! server's profile gives them (`accessToken`, `X-Api-Key`, `token_hash`), and only where
//! the value is text: a count or a flag (`token_count: 2`, `has_password: true`) stays
//! ([`is_secret`], the one rule). A secret found under such a name is also hidden wherever
//! else its value appears in the record (a failure's `actual:`, a raw body, an SSE stream),
//! when it is long enough not to be a common word.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::{Captures, Regex};
use serde_json::Value;

use crate::outcome::{RunRecord, ScenarioRecord};

/// How many characters a found secret needs before its value is hidden wherever it appears,
/// not only where its name says it is secret.
const MIN_GLOBAL: usize = 8;

/// The words that make a name secret wherever they stand in it (`token_hash`,
/// `client_secret_value`, `passwordConfirmation`, `Proxy-Authorization`, `Set-Cookie`).
const SECRET_WORDS: [&str; 6] = ["token", "password", "passwd", "secret", "authorization", "cookie"];

/// The one rule: whether `value`, found under the header, JSON field or query parameter
/// `name`, is a secret. The name says so when one of its words (split at `_`, `-` and
/// camelCase) is a [`SECRET_WORDS`] word or `api` `key` (`apiKey`, `x-api-key`), when it ends in
/// `token`, `password` or `secret` as one word (`apptoken`), or when it is a key or credential
/// of the documents (`apikey`, SAMA's `web_key_auth`). The value must be text: a number or a
/// flag under such a name (`token_count: 2`, `has_password: true`) is no secret. In free text,
/// where values have no type, only `true` and `false` read as flags ([`typed`]).
pub fn is_secret(name: &str, value: &Value) -> bool {
    let Value::String(text) = value else { return false };
    if text.is_empty() {
        return false;
    }
    let n = normalised(name);
    let words = words(name);
    words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
        || words.windows(2).any(|w| w[0] == "api" && w[1] == "key")
        || ["token", "password", "secret"].iter().any(|end| n.ends_with(end))
        || matches!(n.as_str(), "apikey" | "xapikey" | "webkeyauth")
}

/// A value of free text (`name=value`, `name: value`) as [`is_secret`] judges it: `true` and
/// `false` are flags, anything else text.
fn typed(text: &str) -> Value {
    match text {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        other => Value::String(other.to_owned()),
    }
}

/// The words of a name, in lower case: split at every character that is no letter or digit
/// and where camelCase starts a word (`passwordConfirmation`, `APIKey` → `api`, `key`).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        let starts = c.is_uppercase()
            && prev
                .is_some_and(|p| p.is_lowercase() || p.is_ascii_digit() || (p.is_uppercase() && next_lower));
        if starts && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The secret headers, as `name: value` in a text names them (normalised).
const HEADERS: [&str; 7] =
    ["apikey", "xapikey", "authorization", "cookie", "setcookie", "userauthtoken", "appdomaintoken"];

/// A name in lower case without `_` and `-`.
fn normalised(name: &str) -> String {
    name.chars().filter(|c| *c != '_' && *c != '-').collect::<String>().to_lowercase()
}

/// A secret as the reports show it: at most its first 4 characters (fewer for a short one,
/// never more than a quarter of it), an ellipsis and its length in characters.
pub fn shown(secret: &str) -> String {
    let len = secret.chars().count();
    let keep: String = secret.chars().take((len / 4).min(4)).collect();
    format!("{keep}…[{len} chars]")
}

/// Whether `text` is already a value as [`shown`] writes it.
fn is_shown(text: &str) -> bool {
    static SHOWN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[^…]{0,4}…\[\d+ chars\]$").expect("a valid pattern"));
    SHOWN.is_match(text)
}

/// A copy of `record` with every secret shown as [`shown`] writes it: what every report
/// writer renders. What the run sent and got (wire logs) and what it says of it (failures,
/// step errors, notes) are redacted; what the suite's files say (names, steps, quotes) is
/// not, as the suite holds no secret of a run.
pub fn record(record: &RunRecord) -> RunRecord {
    let mut secrets = BTreeSet::new();
    for s in &record.scenarios {
        for entry in &s.wire_log {
            collect(&Value::String(entry.summary.clone()), &mut secrets);
            if let Some(body) = &entry.body {
                collect(body, &mut secrets);
            }
        }
        let mut copy = s.clone();
        for_each_text(&mut copy, &mut |t| collect(&Value::String(t.clone()), &mut secrets));
    }
    // Longest first, so a token that contains another is hidden whole.
    let mut known: Vec<String> =
        secrets.into_iter().filter(|s| s.chars().count() >= MIN_GLOBAL && !is_shown(s)).collect();
    known.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = record.clone();
    for s in &mut out.scenarios {
        for entry in &mut s.wire_log {
            entry.summary = text(&entry.summary, &known);
            if let Some(body) = &mut entry.body {
                rewrite(body, &known);
            }
        }
        for_each_text(s, &mut |t| *t = text(t, &known));
    }
    out
}

/// `url` without the user and password it may carry (`http://u:p@host` → `http://host`), as
/// a report records a target's URL.
pub fn without_userinfo(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            let text = u.as_str();
            // `Url` adds a `/` to a bare host; the profile's URL has none.
            if url.ends_with('/') { text.to_owned() } else { text.trim_end_matches('/').to_owned() }
        }
        _ => url.to_owned(),
    }
}

/// A copy of one scenario with its secrets shown as [`shown`] writes them, those its own wire
/// log and texts name: what the console prints of a scenario as it finishes.
pub fn scenario(s: &ScenarioRecord) -> ScenarioRecord {
    let one = RunRecord { info: Default::default(), scenarios: vec![s.clone()] };
    record(&one).scenarios.pop().unwrap_or_else(|| s.clone())
}

/// Applies `f` to every text of a scenario that says what the run got: its failure, its
/// steps' errors, why it was impossible, its notes.
fn for_each_text(s: &mut ScenarioRecord, f: &mut dyn FnMut(&mut String)) {
    if let Some(failure) = &mut s.failure {
        f(&mut failure.message);
        failure.expected.iter_mut().chain(failure.actual.iter_mut()).for_each(&mut *f);
    }
    s.steps.iter_mut().filter_map(|st| st.error.as_mut()).for_each(&mut *f);
    s.impossible.iter_mut().for_each(&mut *f);
    for note in &mut s.notes {
        f(&mut note.check);
        f(&mut note.expected);
        f(&mut note.actual);
    }
}

/// Hides the secrets of one text: those its own words name (`Bearer …`, `token=…`,
/// `"password": "…"`, `apikey: …`) and those of `known`.
pub fn text(text: &str, known: &[String]) -> String {
    let mut out = patterns(text, &mut |s| shown(s));
    for secret in known {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), &shown(secret));
        }
    }
    out
}

/// The secret-bearing patterns of free text, with `hide` applied to each secret value.
fn patterns(text: &str, hide: &mut dyn FnMut(&str) -> String) -> String {
    static BEARER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(Bearer|Basic)(\s+)([A-Za-z0-9._~+/=-]{8,}…?)").expect("a valid pattern")
    });
    static PAIR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"([A-Za-z][A-Za-z0-9_-]*)(=|"\s*:\s*"|:\s+)([^&\s#"',;)\]}]+)"#)
            .expect("a valid pattern")
    });
    let out = BEARER.replace_all(text, |c: &Captures<'_>| {
        let secret = &c[3];
        // A value already shown (`abcd…[16 chars]`) stays as it is.
        if secret.ends_with('…') { c[0].to_owned() } else { format!("{}{}{}", &c[1], &c[2], hide(secret)) }
    });
    PAIR.replace_all(&out, |c: &Captures<'_>| {
        let (name, sep, secret) = (&c[1], &c[2], &c[3]);
        // `Authorization: Bearer x` is the bearer pattern's; a bare `: ` names only headers.
        let header_like = !sep.starts_with(':') || HEADERS.contains(&normalised(name).as_str());
        let scheme = matches!(secret.to_lowercase().as_str(), "bearer" | "basic");
        if is_secret(name, &typed(secret))
            && header_like
            && !scheme
            && !is_shown(secret)
            && !secret.contains('…')
        {
            format!("{name}{sep}{}", hide(secret))
        } else {
            c[0].to_owned()
        }
    })
    .into_owned()
}

/// Every secret value of `value`: under a secret name, or in a pattern of its texts.
fn collect(value: &Value, into: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match v {
                    Value::String(s) if is_secret(key, v) => {
                        into.insert(strip_scheme(s).to_owned());
                    }
                    other => collect(other, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, into)),
        Value::String(s) => {
            patterns(s, &mut |secret| {
                into.insert(secret.to_owned());
                String::new()
            });
        }
        _ => {}
    }
}

/// `Bearer abc` → `abc`; any other value as it is.
fn strip_scheme(value: &str) -> &str {
    for scheme in ["Bearer ", "bearer ", "Basic ", "basic "] {
        if let Some(rest) = value.strip_prefix(scheme) {
            return rest;
        }
    }
    value
}

fn rewrite(value: &mut Value, known: &[String]) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if !is_secret(key, v) {
                    rewrite(v, known);
                } else if let Value::String(s) = v {
                    let secret = strip_scheme(s);
                    if !is_shown(secret) && !secret.is_empty() {
                        let scheme = &s[..s.len() - secret.len()];
                        *s = format!("{scheme}{}", shown(secret));
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, known)),
        Value::String(s) => *s = text(s, known),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_secrets() {
        let secret = |name: &str| is_secret(name, &Value::String("v".into()));
        for name in [
            "token",
            "access_token",
            "accessToken",
            "sse_token",
            "auth_token",
            "USER_AUTH_TOKEN",
            "apikey",
            "x-api-key",
            "Authorization",
            "password",
            "new_password",
            "Cookie",
            "chat_user_token",
            "client_secret",
            // The secret word anywhere, at a word boundary.
            "token_hash",
            "client_secret_value",
            "passwordConfirmation",
            "current_password",
            "apiKey",
            "api_key",
            "APIKey",
            "X-Api-Key",
            "authorization",
            "Proxy-Authorization",
            "Set-Cookie",
            "web_key_auth",
            // One word that ends in one.
            "apptoken",
        ] {
            assert!(secret(name), "{name}");
        }
        for name in [
            "tokens_count",
            "id",
            "login",
            "keyword",
            "expires_at",
            "rules",
            "sessionId",
            "web_key_p256dh",
            "author",
            "monkey_keys",
            "auth_code",
            "tokenizer",
        ] {
            assert!(!secret(name), "{name}");
        }
    }

    #[test]
    fn a_count_or_a_flag_under_a_secret_name_is_no_secret() {
        for (name, value) in [
            ("token_count", serde_json::json!(2)),
            ("tokens_count", serde_json::json!(3)),
            ("has_password", serde_json::json!(true)),
            ("password_set", serde_json::json!(false)),
            ("password", serde_json::json!(null)),
            ("token", serde_json::json!("")),
        ] {
            assert!(!is_secret(name, &value), "{name}: {value}");
        }
        assert!(is_secret("password_set", &serde_json::json!("hunter22")));
        assert_eq!(
            text("?has_password=true&password=hunter22", &[]),
            "?has_password=true&password=hu…[8 chars]"
        );
        let mut body = serde_json::json!({
            "token_count": 2, "has_password": true, "token_hash": "0123456789abcdef",
            "user": {"passwordConfirmation": "correct-horse", "password_set": false},
        });
        rewrite(&mut body, &[]);
        assert_eq!(
            body,
            serde_json::json!({
                "token_count": 2, "has_password": true, "token_hash": "0123…[16 chars]",
                "user": {"passwordConfirmation": "cor…[13 chars]", "password_set": false},
            })
        );
    }

    #[test]
    fn a_url_loses_its_user_and_password() {
        assert_eq!(without_userinfo("http://ann:s3cret@chat.test:8080"), "http://chat.test:8080");
        assert_eq!(without_userinfo("https://key@chat.test/api"), "https://chat.test/api");
        assert_eq!(without_userinfo("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(without_userinfo("not a url"), "not a url");
    }

    #[test]
    fn a_shown_secret_keeps_its_start_and_length() {
        assert_eq!(shown("eyJhbGciOiJIUzI1NiJ9.abc"), "eyJh…[24 chars]");
        assert_eq!(shown("pw1234"), "p…[6 chars]");
        assert_eq!(shown("abc"), "…[3 chars]");
        assert!(is_shown(&shown("eyJhbGciOiJIUzI1NiJ9.abc")));
        assert_ne!(shown("tok-aaaa-1111"), shown("tok-aaaa-22222"), "two tokens stay apart");
    }

    #[test]
    fn texts_lose_their_secrets_and_keep_the_rest() {
        let t = text("GET /sse?sse_token=s3cr3t-sse-value&room=lobby (apikey: k-123456789)", &[]);
        assert_eq!(t, "GET /sse?sse_token=s3cr…[16 chars]&room=lobby (apikey: k-…[11 chars])");
        let t = text("HTTP 200 {\"access_token\": \"abcdefghijkl\", \"id\": 7}", &[]);
        assert_eq!(t, "HTTP 200 {\"access_token\": \"abc…[12 chars]\", \"id\": 7}");
        let t = text("Authorization: Bearer abcdefghijklmnop", &[]);
        assert_eq!(t, "Authorization: Bearer abcd…[16 chars]");
        assert_eq!(text(" (Authorization: Bearer)", &[]), " (Authorization: Bearer)");
        assert_eq!(text("the token: expired", &[]), "the token: expired");
        let known = vec!["abcdefghijkl".to_owned()];
        assert_eq!(text("got abcdefghijkl back", &known), "got abc…[12 chars] back");
        let once = text("token=abcdefghijkl", &[]);
        assert_eq!(text(&once, &known), once, "redacting twice changes nothing");
    }
}
