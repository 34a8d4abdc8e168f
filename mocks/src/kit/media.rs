//! Media types as RFC 9110 8.3.1 reads them: "The type and subtype tokens are
//! case-insensitive", parameters after `;` aside.

use axum::http::{HeaderMap, header};

/// Whether `value` (a `Content-Type` value) names the media type `essence` (`type/subtype`,
/// lowercase), in any case and with any parameters.
pub fn is(value: &str, essence: &str) -> bool {
    value.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case(essence))
}

/// Whether the request's `Content-Type` names `essence`.
pub fn content_type_is(headers: &HeaderMap, essence: &str) -> bool {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| is(ct, essence))
}

#[cfg(test)]
mod tests {
    use super::is;

    #[test]
    fn type_and_subtype_match_in_any_case_parameters_aside() {
        let form = "application/x-www-form-urlencoded";
        for yes in
            [form, "Application/X-WWW-Form-URLEncoded", " application/x-www-form-urlencoded ; charset=UTF-8"]
        {
            assert!(is(yes, form), "{yes}");
        }
        for no in [
            "application/json",
            "application/x-www-form-urlencodedx",
            "",
            "text/plain; x=application/x-www-form-urlencoded",
        ] {
            assert!(!is(no, form), "{no}");
        }
    }
}
