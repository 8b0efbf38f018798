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
        let mut s = String::with_capacity(24);
        self.push_rfc3339_millis(&mut s);
        s
    }

    /// Appends [`Time::rfc3339_millis`] to `out` without going through chrono's formatter:
    /// output writes one per event row, millions in a long run.
    pub fn push_rfc3339_millis(self, out: &mut String) {
        let days = self.0.div_euclid(DAY);
        if !(-719_162..=2_932_896).contains(&days) {
            // Outside years 1..=9999 chrono adds a sign and more digits; rare, so defer to it.
            out.push_str(&self.to_utc().to_rfc3339_opts(SecondsFormat::Millis, true));
            return;
        }
        let (y, m, d) = civil_from_days(days);
        let ms = self.0.rem_euclid(DAY);
        let (h, min, sec, milli) = (ms / HOUR, ms / MINUTE % 60, ms / SECOND % 60, ms % SECOND);
        push_digits(out, y, 4);
        out.push('-');
        push_digits(out, m, 2);
        out.push('-');
        push_digits(out, d, 2);
        out.push('T');
        push_digits(out, h, 2);
        out.push(':');
        push_digits(out, min, 2);
        out.push(':');
        push_digits(out, sec, 2);
        out.push('.');
        push_digits(out, milli, 3);
        out.push('Z');
    }
}

/// Appends `v` (non-negative) zero-padded to `width` digits.
fn push_digits(out: &mut String, v: i64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    let mut v = v.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let start = i.min(buf.len() - width.min(buf.len()));
    for b in &buf[start..] {
        out.push(char::from(*b));
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

/// Formats a span as seconds with exactly three decimals (`61.250`), the CSV time format.
pub fn format_seconds(ms: Millis) -> String {
    let mut s = String::with_capacity(12);
    push_seconds(&mut s, ms);
    s
}

/// Appends [`format_seconds`] of `ms` to `out`.
pub fn push_seconds(out: &mut String, ms: Millis) {
    if ms < 0 {
        out.push('-');
    }
    let abs = ms.unsigned_abs();
    push_digits(out, (abs / 1000) as i64, 1);
    out.push('.');
    push_digits(out, (abs % 1000) as i64, 3);
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

    /// The hand-written formatter agrees with chrono's on every day of four centuries (leap
    /// years, century rules) and across the day.
    #[test]
    fn rfc3339_matches_chrono() {
        let mut t = Time(-2_208_988_800_000); // 1900-01-01
        let end = Time(10_413_792_000_000); // 2300-01-01
        while t < end {
            for off in [0, 1, 59_999, 43_200_123, DAY - 1] {
                let x = t.plus(off);
                assert_eq!(
                    x.rfc3339_millis(),
                    x.to_utc().to_rfc3339_opts(SecondsFormat::Millis, true)
                );
            }
            t = t.plus(DAY);
        }
        assert_eq!(Time(0).rfc3339_millis(), "1970-01-01T00:00:00.000Z");
        assert_eq!(Time(-1).rfc3339_millis(), "1969-12-31T23:59:59.999Z");
        assert_eq!(format_seconds(i64::MIN + 1), "-9223372036854775.807");
    }

    #[test]
    fn rfc3339_keeps_milliseconds() {
        let t = Time(1_637_841_600_000 + 1_500);
        assert_eq!(t.rfc3339_millis(), "2021-11-25T12:00:01.500Z");
        assert_eq!(t.unix_seconds(), 1_637_841_601);
        assert_eq!(t.floor_second(), Time(1_637_841_601_000));
    }
}
