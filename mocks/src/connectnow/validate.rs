//! Input validation in Laravel's manner: every failing field is collected with Laravel's
//! messages and answered as one 422 (public fact: "422 (validation)"; NOTES.md C5, C22).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::errors::ApiError;

/// Whether a field must be present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// `required`: absent, null or blank fails.
    Required,
    /// `sometimes|required`: may be absent; when present it must be valid.
    Sometimes,
}

/// Collects the errors of one request's fields.
pub struct Validator<'a> {
    input: &'a Map<String, Value>,
    errors: BTreeMap<String, Vec<String>>,
}

/// How Laravel names a field in messages: `company_id` is "company id".
fn attribute(field: &str) -> String {
    field.replace('_', " ")
}

impl<'a> Validator<'a> {
    /// Validates fields of `input` (a JSON body, or a query string as strings).
    pub fn new(input: &'a Map<String, Value>) -> Validator<'a> {
        Validator { input, errors: BTreeMap::new() }
    }

    /// Adds a message about `field`.
    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.entry(field.to_owned()).or_default().push(message.into());
    }

    /// The field's value when it is there and not blank; records `required` when it must be.
    /// Strings are trimmed, and a blank string counts as absent (Laravel's `TrimStrings` and
    /// `ConvertEmptyStringsToNull`).
    fn present(&mut self, field: &str, presence: Presence) -> Option<&'a Value> {
        let value = self.input.get(field);
        if value.is_none() && presence == Presence::Sometimes {
            return None;
        }
        let blank = match value {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.trim().is_empty(),
            Some(_) => false,
        };
        if blank {
            self.fail(field, format!("The {} field is required.", attribute(field)));
            return None;
        }
        value
    }

    /// `string|max:N`: the trimmed text.
    pub fn string(&mut self, field: &str, presence: Presence, max: usize) -> Option<String> {
        let value = self.present(field, presence)?;
        let Some(text) = value.as_str() else {
            self.fail(field, format!("The {} must be a string.", attribute(field)));
            return None;
        };
        let text = text.trim();
        if text.chars().count() > max {
            self.fail(field, format!("The {} must not be greater than {max} characters.", attribute(field)));
            return None;
        }
        Some(text.to_owned())
    }

    /// `string` without trimming (passwords are not trimmed by Laravel).
    pub fn secret(&mut self, field: &str, presence: Presence) -> Option<String> {
        let value = self.present(field, presence)?;
        match value.as_str() {
            Some(text) => Some(text.to_owned()),
            None => {
                self.fail(field, format!("The {} must be a string.", attribute(field)));
                None
            }
        }
    }

    /// `email|max:255`: the trimmed address, as given.
    pub fn email(&mut self, field: &str, presence: Presence) -> Option<String> {
        let text = self.string(field, presence, 255)?;
        if plausible_email(&text) {
            Some(text)
        } else {
            self.fail(field, format!("The {} must be a valid email address.", attribute(field)));
            None
        }
    }

    /// `integer|min:MIN|max:MAX`: a JSON integer or a string of digits.
    pub fn integer(&mut self, field: &str, presence: Presence, min: u64, max: u64) -> Option<u64> {
        let value = self.present(field, presence)?;
        let number = match value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => {
                let s = s.trim();
                if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                    // Digits beyond u64 are "too large", not "not an integer".
                    Some(s.parse::<u64>().unwrap_or(u64::MAX))
                } else {
                    None
                }
            }
            _ => None,
        };
        let negative = matches!(value, Value::Number(n) if n.as_i64().is_some_and(|i| i < 0));
        let Some(number) = number else {
            if negative {
                self.fail(field, format!("The {} must be at least {min}.", attribute(field)));
            } else {
                self.fail(field, format!("The {} must be an integer.", attribute(field)));
            }
            return None;
        };
        if number < min {
            self.fail(field, format!("The {} must be at least {min}.", attribute(field)));
            return None;
        }
        if number > max {
            self.fail(field, format!("The {} must not be greater than {max}.", attribute(field)));
            return None;
        }
        Some(number)
    }

    /// Ends validation: a 422 listing every failure, or `Ok`.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(self.errors)) }
    }
}

/// Laravel's `email` rule, loosely: one `@`, a non-empty local part, a dotted domain, no
/// spaces.
pub fn plausible_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn every_failing_field_is_reported_with_laravels_message() {
        let input = body(json!({"name": 5, "email": "nope", "company_id": "x"}));
        let mut v = Validator::new(&input);
        assert_eq!(v.string("name", Presence::Required, 255), None);
        assert_eq!(v.email("email", Presence::Required), None);
        assert_eq!(v.integer("company_id", Presence::Required, 1, u64::MAX), None);
        assert_eq!(v.string("title", Presence::Required, 255), None);
        let Err(ApiError::Validation(errors)) = v.finish() else {
            panic!("expected a validation error");
        };
        assert_eq!(errors["name"], ["The name must be a string."]);
        assert_eq!(errors["email"], ["The email must be a valid email address."]);
        assert_eq!(errors["company_id"], ["The company id must be an integer."]);
        assert_eq!(errors["title"], ["The title field is required."]);
    }

    #[test]
    fn blank_strings_are_absent_and_text_is_trimmed() {
        let input = body(json!({"name": "   ", "other": "  Acme  "}));
        let mut v = Validator::new(&input);
        assert_eq!(v.string("name", Presence::Sometimes, 255), None);
        assert_eq!(v.string("other", Presence::Required, 255).as_deref(), Some("Acme"));
        assert_eq!(v.string("absent", Presence::Sometimes, 255), None);
        let Err(ApiError::Validation(errors)) = v.finish() else {
            panic!("expected a validation error");
        };
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["name"]);
    }

    #[test]
    fn integers_may_be_numeric_strings_within_bounds() {
        let input = body(json!({"a": "12", "b": 250, "c": 0, "d": -3, "e": 1.5}));
        let mut v = Validator::new(&input);
        assert_eq!(v.integer("a", Presence::Required, 1, 249), Some(12));
        assert_eq!(v.integer("b", Presence::Required, 1, 249), None);
        assert_eq!(v.integer("c", Presence::Required, 1, 249), None);
        assert_eq!(v.integer("d", Presence::Required, 1, 249), None);
        assert_eq!(v.integer("e", Presence::Required, 1, 249), None);
        let Err(ApiError::Validation(errors)) = v.finish() else {
            panic!("expected a validation error");
        };
        assert_eq!(errors["b"], ["The b must not be greater than 249."]);
        assert_eq!(errors["c"], ["The c must be at least 1."]);
        assert_eq!(errors["d"], ["The d must be at least 1."]);
        assert_eq!(errors["e"], ["The e must be an integer."]);
    }

    #[test]
    fn plausible_emails() {
        assert!(plausible_email("ann@example.org"));
        assert!(!plausible_email("ann@example"));
        assert!(!plausible_email("@example.org"));
        assert!(!plausible_email("ann @example.org"));
        assert!(!plausible_email("ann@@example.org"));
    }
}
