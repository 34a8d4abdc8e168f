//! Rate limiting (public fact: status 429; NOTES.md C20): Laravel's throttle, counted per
//! token in windows of one minute of the mock clock, off unless configured.

use time::{Duration, OffsetDateTime};

use super::errors::ApiError;
use super::store::Store;

/// The length of a counting window.
const WINDOW: Duration = Duration::minutes(1);

/// One caller's current window.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Window {
    started: OffsetDateTime,
    hits: u32,
}

/// What the rate-limit headers of a counted reply say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    /// Requests allowed per minute: `X-RateLimit-Limit`.
    pub limit: u32,
    /// Requests left in this window: `X-RateLimit-Remaining`.
    pub remaining: u32,
}

impl Store {
    /// The limit in force, per minute; `None`: off.
    pub fn rate_limit(&self) -> Option<u32> {
        self.config.rate_limit
    }

    /// Sets the limit (`None` or 0: off) and forgets every count.
    pub fn set_rate_limit(&mut self, per_minute: Option<u32>) {
        self.config.rate_limit = per_minute.filter(|&n| n > 0);
        self.windows.clear();
    }

    /// Counts one request by `key` (a token, or `None` for an anonymous caller); a request
    /// over the limit is 429 with the seconds until the window ends.
    pub fn throttle(&mut self, now: OffsetDateTime, key: Option<&str>) -> Result<Option<Quota>, ApiError> {
        let Some(limit) = self.config.rate_limit else {
            return Ok(None);
        };
        let window =
            self.windows.entry(key.unwrap_or("").to_owned()).or_insert(Window { started: now, hits: 0 });
        if now >= window.started + WINDOW {
            *window = Window { started: now, hits: 0 };
        }
        if window.hits >= limit {
            let retry_after = (window.started + WINDOW - now).whole_seconds().max(1);
            return Err(ApiError::TooManyRequests { retry_after, limit });
        }
        window.hits += 1;
        Ok(Some(Quota { limit, remaining: limit - window.hits }))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::connectnow::store::Config;
    use time::macros::datetime;

    #[test]
    fn off_by_default() {
        let mut store = Store::new(Config::default());
        let now = datetime!(2026-01-01 00:00:00 UTC);
        for _ in 0..1000 {
            assert_eq!(store.throttle(now, Some("t")), Ok(None));
        }
    }

    #[test]
    fn over_the_limit_waits_for_the_window_to_end() {
        let mut store = Store::new(Config::default());
        store.set_rate_limit(Some(2));
        let now = datetime!(2026-01-01 00:00:00 UTC);
        assert_eq!(store.throttle(now, Some("a")).unwrap(), Some(Quota { limit: 2, remaining: 1 }));
        store.throttle(now, Some("a")).unwrap();
        assert_eq!(
            store.throttle(now + Duration::seconds(20), Some("a")),
            Err(ApiError::TooManyRequests { retry_after: 40, limit: 2 })
        );
        // Another caller has their own count.
        assert!(store.throttle(now, Some("b")).is_ok());
        assert!(store.throttle(now + Duration::seconds(60), Some("a")).is_ok());
        store.set_rate_limit(Some(0));
        assert_eq!(store.rate_limit(), None);
    }
}
