//! The mock clock: real time plus an offset the admin API can advance, or a fixed start.

use std::sync::{Arc, Mutex, PoisonError};

use time::{Duration, OffsetDateTime, format_description::FormatItem, macros::format_description};

/// The wire format of times: `2018-10-15T18:33:56Z`, as in the Unichat message record.
pub const WIRE_FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

#[derive(Debug)]
struct Inner {
    /// `None`: follow the system clock.
    fixed: Option<OffsetDateTime>,
    offset: Duration,
}

/// A shareable clock. Clones see the same time.
#[derive(Clone, Debug)]
pub struct Clock(Arc<Mutex<Inner>>);

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// Follows the system clock (plus whatever the admin API adds).
    pub fn system() -> Clock {
        Clock(Arc::new(Mutex::new(Inner { fixed: None, offset: Duration::ZERO })))
    }

    /// Starts at `start` and moves only when advanced: for deterministic tests.
    pub fn fixed(start: OffsetDateTime) -> Clock {
        Clock(Arc::new(Mutex::new(Inner { fixed: Some(start), offset: Duration::ZERO })))
    }

    /// The current mock time, in UTC, whole seconds.
    pub fn now(&self) -> OffsetDateTime {
        let inner = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let base = inner.fixed.unwrap_or_else(OffsetDateTime::now_utc);
        let t = base + inner.offset;
        t.replace_nanosecond(0).unwrap_or(t)
    }

    /// The current mock time, in UTC, with sub-second precision: for APIs that stamp records
    /// in milliseconds.
    pub fn now_precise(&self) -> OffsetDateTime {
        let inner = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        inner.fixed.unwrap_or_else(OffsetDateTime::now_utc) + inner.offset
    }

    /// Moves the clock forward by `seconds`; refused (the clock unchanged) when the time
    /// would leave the range the wire format can write (years 1 to 9999), so no later read
    /// of the clock can overflow.
    pub fn advance(&self, seconds: i64) -> Result<(), ClockRangeError> {
        let mut inner = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let offset = inner.offset.checked_add(Duration::seconds(seconds)).ok_or(ClockRangeError)?;
        // The system clock moves on: leave a century of headroom past the check.
        let headroom = Duration::days(36_525);
        let base = inner.fixed.unwrap_or_else(OffsetDateTime::now_utc);
        let latest = base.checked_add(offset).and_then(|t| t.checked_add(headroom)).ok_or(ClockRangeError)?;
        if latest.year() > 9999 {
            return Err(ClockRangeError);
        }
        inner.offset = offset;
        Ok(())
    }

    /// Undoes every advance.
    pub fn reset(&self) {
        let mut inner = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        inner.offset = Duration::ZERO;
    }
}

/// An advance that would take the clock past year 9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the clock cannot be advanced past the year 9999 (nor by more than ~2.9e11 years at once)")]
pub struct ClockRangeError;

/// Formats a time for the wire.
pub fn wire(t: OffsetDateTime) -> String {
    t.format(WIRE_FORMAT).unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// Parses a time a client sent: RFC 3339, or `YYYY-MM-DD HH:MM:SS` taken as UTC.
pub fn parse(text: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t.to_offset(time::UtcOffset::UTC));
    }
    let spaced = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    time::PrimitiveDateTime::parse(text, spaced).ok().map(|t| t.assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_fixed_clock_moves_only_when_advanced() {
        let clock = Clock::fixed(datetime!(2026-01-02 03:04:05 UTC));
        assert_eq!(wire(clock.now()), "2026-01-02T03:04:05Z");
        clock.clone().advance(3600).unwrap();
        assert_eq!(wire(clock.now()), "2026-01-02T04:04:05Z");
        clock.reset();
        assert_eq!(wire(clock.now()), "2026-01-02T03:04:05Z");
    }

    #[test]
    fn an_advance_past_the_wire_range_is_refused_and_leaves_the_clock_usable() {
        for clock in [Clock::fixed(datetime!(2026-01-02 03:04:05 UTC)), Clock::system()] {
            let before = clock.now();
            for seconds in [1_000_000_000_000, i64::MAX, 300_000_000_000] {
                assert_eq!(clock.advance(seconds), Err(ClockRangeError), "{seconds}");
            }
            assert!(clock.now() >= before);
            clock.advance(86_400).unwrap();
            assert_eq!(wire(clock.now()).len(), "2026-01-02T03:04:05Z".len());
            // Many advances that each fit cannot add up past the range either.
            while clock.advance(100 * 365 * 86_400).is_ok() {}
            assert!(clock.now().year() <= 9999);
            assert!(clock.now_precise().year() <= 9999);
        }
    }

    #[test]
    fn both_seed_time_forms_parse() {
        assert_eq!(parse("2019-01-01 01:02:03"), Some(datetime!(2019-01-01 01:02:03 UTC)));
        assert_eq!(parse("2018-10-15T18:33:56Z"), Some(datetime!(2018-10-15 18:33:56 UTC)));
        assert_eq!(parse("yesterday"), None);
    }
}
