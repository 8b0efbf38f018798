//! Virtual time: integer milliseconds since the Unix epoch, and conversions for output.
//!
//! The simulation never reads a wall clock. Every instant is a [`Time`]; every span is [`Millis`].

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};

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

    /// RFC 3339 in UTC with milliseconds, e.g. `2021-11-25T12:00:01.500Z`.
    pub fn rfc3339_millis(self) -> String {
        self.to_utc().to_rfc3339_opts(SecondsFormat::Millis, true)
    }
}

/// Formats a span as seconds with exactly three decimals (`61.250`), the CSV time format.
pub fn format_seconds(ms: Millis) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let abs = ms.unsigned_abs();
    format!("{sign}{}.{:03}", abs / 1000, abs % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_have_three_decimals() {
        assert_eq!(format_seconds(0), "0.000");
        assert_eq!(format_seconds(61_250), "61.250");
        assert_eq!(format_seconds(-1), "-0.001");
    }

    #[test]
    fn rfc3339_keeps_milliseconds() {
        let t = Time(1_637_841_600_000 + 1_500);
        assert_eq!(t.rfc3339_millis(), "2021-11-25T12:00:01.500Z");
        assert_eq!(t.unix_seconds(), 1_637_841_601);
        assert_eq!(t.floor_second(), Time(1_637_841_601_000));
    }
}
