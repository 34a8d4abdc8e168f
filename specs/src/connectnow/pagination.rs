//! Paginated lists (public fact: lists are paginated with `current_page`, `data`,
//! `first_page_url`, `from`, `next_page_url`, `path`, `per_page`, `prev_page_url`, `to`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `per_page` when the client gives none.
pub const DEFAULT_PER_PAGE: u64 = 15;
/// The largest `per_page` accepted.
pub const MAX_PER_PAGE: u64 = 249;

/// The query string of every "Get all" route: `?page=N&per_page=M`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListQuery {
    /// 1-based page number; default 1.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub page: Option<u64>,
    /// Records per page; default 15, at most 249.
    #[serde(default)]
    #[schemars(range(min = 1, max = 249))]
    pub per_page: Option<u64>,
}

/// One page of a "Get all" list, in Laravel's simple-paginator shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Paginated<T> {
    /// The page this is, from 1.
    #[schemars(range(min = 1))]
    pub current_page: u64,
    /// The records on this page, oldest first.
    pub data: Vec<T>,
    /// The URL of page 1.
    pub first_page_url: String,
    /// The 1-based position of the first record on this page; null when the page is empty.
    pub from: Option<u64>,
    /// The URL of the next page; null on the last page.
    pub next_page_url: Option<String>,
    /// The list's URL without a query string.
    pub path: String,
    /// The page size in effect.
    #[schemars(range(min = 1, max = 249))]
    pub per_page: u64,
    /// The URL of the previous page; null on page 1.
    pub prev_page_url: Option<String>,
    /// The 1-based position of the last record on this page; null when the page is empty.
    pub to: Option<u64>,
}
