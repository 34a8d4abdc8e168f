//! Deliberate rule breakages, for proving that the connectnow suite catches broken servers.
//!
//! Each breakage violates one rule of NOTES.md. They take effect only in builds with the
//! `breakage` feature (the harness's self-tests); a normal build ignores them.

use serde::{Deserialize, Serialize};

/// One rule to break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Breakage {
    /// An auth code can be exchanged again and again (codes are single use, NOTES.md C12).
    ReusableCodes,
    /// Auth codes never expire (they are valid 10 minutes, NOTES.md C12).
    CodesNeverExpire,
    /// Deleting a chat leaves its chat users and their tokens behind ("deleting a chat takes
    /// its users and messages with it", NOTES.md C17).
    NoCascadeOnChatDelete,
    /// A chat-user token acts in every chat, not only its own ("Chat-user tokens are tokens
    /// that are scoped to a user in a given chat", NOTES.md C10).
    ChatUserTokenInAnyChat,
    /// A message list names another chat user as each message's author (the ids that tie
    /// records together, NOTES.md C5).
    ListedAuthorWrong,
    /// `first_page_url` points at page 2 (a page's `first_page_url`, NOTES.md C7).
    FirstPageUrlWrong,
    /// `path` carries the page's query string (a page's `path`, NOTES.md C7).
    PathWithQuery,
    /// Every create answers 200 instead of 201 (which 2xx a create carries, NOTES.md C5).
    #[serde(rename = "create_answers_200")]
    CreateAnswers200,
    /// Auth codes are made but never e-mailed: the outbox, and SMTP, stay empty ("The auth
    /// code sent to the persons email", NOTES.md C12).
    CodesNotEmailed,
}

impl Breakage {
    /// Every breakage.
    pub const ALL: [Breakage; 9] = [
        Breakage::ReusableCodes,
        Breakage::CodesNeverExpire,
        Breakage::NoCascadeOnChatDelete,
        Breakage::ChatUserTokenInAnyChat,
        Breakage::ListedAuthorWrong,
        Breakage::FirstPageUrlWrong,
        Breakage::PathWithQuery,
        Breakage::CreateAnswers200,
        Breakage::CodesNotEmailed,
    ];

    /// The id of the rule it breaks, in the rule index (`specs/src/connectnow/rules/`).
    pub fn rule(self) -> &'static str {
        match self {
            Breakage::ReusableCodes => "C-get-token-exchange",
            Breakage::CodesNeverExpire => "C-get-token-exchange",
            Breakage::NoCascadeOnChatDelete => "C-fact-cascade",
            Breakage::ChatUserTokenInAnyChat => "C-chat-user-token-scoped",
            Breakage::ListedAuthorWrong => "C-fact-ids-tie-records",
            Breakage::FirstPageUrlWrong => "C-fact-page-first-url",
            Breakage::PathWithQuery => "C-fact-page-path",
            Breakage::CreateAnswers200 => "C-fact-created-201",
            Breakage::CodesNotEmailed => "C-auth-code-emailed",
        }
    }
}

impl super::store::Config {
    /// Whether `b` is in force: only in builds with the `breakage` feature.
    pub fn broken(&self, b: Breakage) -> bool {
        cfg!(feature = "breakage") && self.breakage.contains(&b)
    }
}
