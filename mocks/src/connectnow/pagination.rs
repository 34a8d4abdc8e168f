//! Paging "Get all" lists (public fact: `current_page`, `data`, `first_page_url`, `from`,
//! `next_page_url`, `path`, `per_page` (default 15, at most 249), `prev_page_url`, `to`;
//! NOTES.md C7).

use chatspec_specs::connectnow::pagination::{DEFAULT_PER_PAGE, MAX_PER_PAGE, Paginated};
use serde_json::{Map, Value};

use super::errors::ApiError;
use super::validate::{Presence, Validator};

/// A validated `?page=N&per_page=M`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// The page asked for, from 1.
    pub page: u64,
    /// Records per page: 15 unless asked, at most 249.
    pub per_page: u64,
    /// Whether the client chose `per_page`: then the page URLs carry it.
    pub explicit_per_page: bool,
}

impl PageRequest {
    /// Reads `page` and `per_page` from the query string.
    pub fn from_query(query: &Map<String, Value>) -> Result<PageRequest, ApiError> {
        let mut v = Validator::new(query);
        let page = v.integer("page", Presence::Sometimes, 1, u64::MAX);
        let per_page = v.integer("per_page", Presence::Sometimes, 1, MAX_PER_PAGE);
        v.finish()?;
        Ok(PageRequest {
            page: page.unwrap_or(1),
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE),
            explicit_per_page: per_page.is_some(),
        })
    }

    fn url(&self, path: &str, page: u64) -> String {
        if self.explicit_per_page {
            format!("{path}?page={page}&per_page={}", self.per_page)
        } else {
            format!("{path}?page={page}")
        }
    }
}

/// Cuts one page out of `items` (already in order); `path` is the list's absolute URL.
pub fn paginate<T>(items: Vec<T>, req: PageRequest, path: &str) -> Paginated<T> {
    let total = items.len() as u64;
    let skip = (req.page - 1).saturating_mul(req.per_page);
    let data: Vec<T> = items
        .into_iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(req.per_page).unwrap_or(usize::MAX))
        .collect();
    let shown = data.len() as u64;
    let (from, to) = if shown == 0 { (None, None) } else { (Some(skip + 1), Some(skip + shown)) };
    let has_more = skip.saturating_add(shown) < total;
    Paginated {
        current_page: req.page,
        first_page_url: req.url(path, 1),
        from,
        next_page_url: has_more.then(|| req.url(path, req.page + 1)),
        path: path.to_owned(),
        per_page: req.per_page,
        prev_page_url: (req.page > 1).then(|| req.url(path, req.page - 1)),
        to,
        data,
    }
}

impl super::store::Store {
    /// A page as a broken server would send it (breakages of `first_page_url` and `path`).
    pub(crate) fn broken_page<T>(&self, mut page: Paginated<T>) -> Paginated<T> {
        use super::breakage::Breakage;
        if self.config.broken(Breakage::FirstPageUrlWrong) {
            page.first_page_url = page.first_page_url.replace("page=1", "page=2");
        }
        if self.config.broken(Breakage::PathWithQuery) {
            page.path = format!("{}?page={}", page.path, page.current_page);
        }
        page
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn the_default_page_is_the_first_fifteen() {
        let req = PageRequest::from_query(&Map::new()).unwrap();
        let page = paginate((1..=20).collect(), req, "http://h/api/chats");
        assert_eq!(page.data, (1..=15).collect::<Vec<_>>());
        assert_eq!((page.from, page.to), (Some(1), Some(15)));
        assert_eq!(page.first_page_url, "http://h/api/chats?page=1");
        assert_eq!(page.next_page_url.as_deref(), Some("http://h/api/chats?page=2"));
        assert_eq!(page.prev_page_url, None);
        assert_eq!(page.per_page, 15);
    }

    #[test]
    fn an_explicit_page_size_is_kept_in_the_links() {
        let req = PageRequest::from_query(&query(json!({"page": "2", "per_page": "3"}))).unwrap();
        let page = paginate((1..=7).collect(), req, "p");
        assert_eq!(page.data, vec![4, 5, 6]);
        assert_eq!(page.prev_page_url.as_deref(), Some("p?page=1&per_page=3"));
        assert_eq!(page.next_page_url.as_deref(), Some("p?page=3&per_page=3"));
        let last = paginate((1..=6).collect(), req, "p");
        assert_eq!(last.next_page_url, None);
    }

    #[test]
    fn a_page_past_the_end_is_empty() {
        let req = PageRequest::from_query(&query(json!({"page": "9"}))).unwrap();
        let page = paginate(vec![1, 2], req, "p");
        assert!(page.data.is_empty());
        assert_eq!((page.from, page.to), (None, None));
        assert_eq!(page.next_page_url, None);
    }

    #[test]
    fn page_sizes_outside_the_range_are_invalid() {
        for bad in [json!({"per_page": "250"}), json!({"per_page": "0"}), json!({"page": "x"})] {
            assert!(matches!(PageRequest::from_query(&query(bad)), Err(ApiError::Validation(_))));
        }
        let max = PageRequest::from_query(&query(json!({"per_page": "249"}))).unwrap();
        assert_eq!(max.per_page, 249);
    }
}
