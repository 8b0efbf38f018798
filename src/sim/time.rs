//! Virtual time: integer milliseconds since the Unix epoch, and conversions to and from the
//! calendar (chrono, and the proleptic Gregorian day count). Text formats live with their users
//! (the outputs' in `output::timefmt`).
//!
//! The simulation never reads a wall clock. Every instant is a [`Time`]; every span is [`Millis`].

use chrono::{DateTime, TimeZone, Utc};

/// A span of virtual time in milliseconds.
pub type Millis = i64;

/// One second in [`Millis`].
pub const SECOND: Millis = 1_000;
/// One minute in [`Millis`].
pub const MINUTE: Millis = 60 * SECOND;
/// One hour in [`Millis`].
pub const HOUR: Millis = 60 * MINUTE;
/// One day in [`Millis`].
pub const DAY: Millis = 24 * HOUR;

/// A virtual instant: milliseconds since 1970-01-01T00:00:00Z.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub i64);

impl Time {
    /// The instant `ms` milliseconds after this one.
    pub fn plus(self, ms: Millis) -> Time {
        Time(self.0.saturating_add(ms))
    }

    /// Milliseconds from `earlier` to `self` (negative when `earlier` is later).
    pub fn since(self, earlier: Time) -> Millis {
        self.0 - earlier.0
    }

    /// Converts a chrono UTC instant, truncating below the millisecond.
    pub fn from_utc(dt: DateTime<Utc>) -> Time {
        Time(dt.timestamp_millis())
    }

    /// This instant as a chrono UTC date-time.
    pub fn to_utc(self) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(self.0)
            .single()
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// Whole seconds since the epoch (floor), as Kubernetes' `Unix()`.
    pub fn unix_seconds(self) -> i64 {
        self.0.div_euclid(SECOND)
    }

    /// Truncates to whole seconds, as API server timestamps (metav1.Time) do.
    pub fn floor_second(self) -> Time {
        Time(self.0 - self.0.rem_euclid(SECOND))
    }
}

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
#[inline]
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_seconds_floor() {
        let t = Time(1_637_841_600_000 + 1_500);
        assert_eq!(t.unix_seconds(), 1_637_841_601);
        assert_eq!(t.floor_second(), Time(1_637_841_601_000));
    }
}
