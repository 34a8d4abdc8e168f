//! Which rules of an API's index apply to which of its endpoints and events.
//!
//! The index (`specs/src/<api>/rules/*.toml`) groups rules by feature area, not by endpoint,
//! so the link is made here, in three steps:
//!
//! 1. A rule of an area that concerns every call (the envelope, the tokens, the frames: see
//!    [`Target`]'s `everywhere`) applies to every endpoint and event.
//! 2. Otherwise, a rule that names endpoints or events applies to those only: its quote names
//!    one when it holds the endpoint's compound name (`post_message`, `message_read`; a single
//!    word such as `message` or `login` is too common to count), its route (`GET /api/user`),
//!    or its seed sentence (the rule quotes the endpoint's [`Doc`] or the other way round).
//! 3. A rule that names none applies to every endpoint and event of its area; each endpoint's
//!    areas are named in its API's `endpoints!` list, beside its declaration, so a new
//!    endpoint without areas does not compile.

use crate::endpoint::Doc;
use crate::rules::{RuleIndex, normalise_whitespace};

/// Something rules apply to: an endpoint, an SSE event or a socket event.
#[derive(Clone, Debug)]
pub struct Target {
    /// The words or routes that name it in a quote: its compound name, its route.
    pub mentions: Vec<String>,
    /// The seed sentence that declares it.
    pub doc: Doc,
    /// The feature areas whose rules concern it.
    pub areas: &'static [&'static str],
}

impl Target {
    /// A target named by `name` (when compound) and by its seed sentence.
    pub fn new(name: &str, doc: Doc, areas: &'static [&'static str]) -> Target {
        let mentions = if name.contains('_') { vec![name.to_owned()] } else { Vec::new() };
        Target { mentions, doc, areas }
    }

    /// The same, also named by `mention` (a route, a path segment).
    pub fn also(mut self, mention: impl Into<String>) -> Target {
        self.mentions.push(mention.into());
        self
    }

    /// Whether the quote `quote` (whitespace-normalised) names it.
    fn named_by(&self, quote: &str) -> bool {
        let doc = normalise_whitespace(self.doc.quote);
        self.mentions.iter().any(|m| mentions(quote, m))
            || (!doc.is_empty() && (quote.contains(&doc) || doc.contains(quote)))
    }
}

/// The areas whose rules concern every call of the API.
pub fn everywhere(api: &str) -> &'static [&'static str] {
    match api {
        "unichat" => &["endpoint"],
        "connectnow" => &["auth", "scoping", "errors"],
        "sama" => &["frames"],
        "onechat" => &["endpoint"],
        _ => &[],
    }
}

/// The rule ids that apply to each of `targets`, in index order.
pub fn rules(index: &RuleIndex, targets: &[Target]) -> Vec<Vec<String>> {
    let all = everywhere(&index.api);
    let mut out = vec![Vec::new(); targets.len()];
    for rule in &index.rules {
        let quote = normalise_whitespace(&rule.quote);
        let named: Vec<usize> = if all.contains(&rule.area.as_str()) {
            (0..targets.len()).collect()
        } else {
            let named: Vec<usize> = (0..targets.len()).filter(|&i| targets[i].named_by(&quote)).collect();
            if named.is_empty() {
                (0..targets.len()).filter(|&i| targets[i].areas.contains(&rule.area.as_str())).collect()
            } else {
                named
            }
        };
        for i in named {
            out[i].push(rule.id.clone());
        }
    }
    out
}

/// Whether `quote` holds `word` with no identifier character or path character on either
/// side: `post_message(` names `post_message`, `get_messages` does not name `get_message`,
/// `GET /api/companies/{company-id}` does not name `GET /api/companies`.
fn mentions(quote: &str, word: &str) -> bool {
    let joins = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '/' || c == '{' || c == '-';
    quote.match_indices(word).any(|(at, _)| {
        let before = quote[..at].chars().next_back();
        let after = quote[at + word.len()..].chars().next();
        !before.is_some_and(joins) && !after.is_some_and(joins)
    })
}

/// The areas of each SAMA event (by [`crate::sama::events::Event::name`]).
pub fn sama_event_areas(name: &str) -> &'static [&'static str] {
    match name {
        "conversation_created" => &["conversations"],
        "conversation_updated" | "conversation_kicked" | "participant_message" => &["membership"],
        "message" => &["messages"],
        "system_message" => &["system"],
        "message_read" => &["reading"],
        "typing" => &["typing"],
        "message_delete" | "message_edit" => &["edits", "offline"],
        "last_activity" => &["activity"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_stands_alone() {
        assert!(mentions("call post_message(group_id)", "post_message"));
        assert!(!mentions("call get_messages()", "get_message"));
        assert!(mentions("Get all GET /api/companies", "GET /api/companies"));
        assert!(!mentions("GET /api/companies/{company-id}", "GET /api/companies"));
    }

    #[test]
    fn a_rule_that_names_an_endpoint_goes_to_it_alone() {
        let index = RuleIndex {
            api: "unichat".into(),
            prefix: "U".into(),
            areas: vec!["messages".into(), "endpoint".into()],
            rules: vec![
                rule("U-a", "messages", "get_message(message_id) -> {message}"),
                rule("U-b", "messages", "Carries information about teh chat message."),
                rule("U-c", "endpoint", "Use Content-Type: application/json"),
            ],
        };
        let targets = [
            Target::new("post_message", Doc::seed("001", "User can post messages"), &["messages"]),
            Target::new("get_message", Doc::seed("001", "get a message"), &["messages"]),
            Target::new("login", Doc::seed("000", "log in"), &["accounts"]),
        ];
        let got = rules(&index, &targets);
        assert_eq!(got[0], ["U-b", "U-c"]);
        assert_eq!(got[1], ["U-a", "U-b", "U-c"]);
        assert_eq!(got[2], ["U-c"]);
    }

    fn rule(id: &str, area: &str, quote: &str) -> crate::rules::Rule {
        crate::rules::Rule {
            id: id.into(),
            area: area.into(),
            seed: "001".into(),
            quote: quote.into(),
            scenarios: vec!["x/y/z".into()],
            reason: None,
            gap: None,
            endpoint: None,
        }
    }
}
