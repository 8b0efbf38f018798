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
        match self.rfc3339_ascii() {
            Some(a) => out.push_str(a.as_str()),
            // Outside years 1..=9999 chrono adds a sign and more digits; rare, so defer to it.
            None => out.push_str(&self.to_utc().to_rfc3339_opts(SecondsFormat::Millis, true)),
        }
    }

    /// [`Time::rfc3339_millis`] in a stack buffer, or `None` outside years 1..=9999.
    pub(crate) fn rfc3339_ascii(self) -> Option<Ascii> {
        let days = self.0.div_euclid(DAY);
        if !(-719_162..=2_932_896).contains(&days) {
            return None;
        }
        let (y, m, d) = civil_from_days(days);
        let ms = self.0.rem_euclid(DAY);
        let (h, min, sec, milli) = (ms / HOUR, ms / MINUTE % 60, ms / SECOND % 60, ms % SECOND);
        // Fixed positions: `YYYY-MM-DDTHH:MM:SS.mmmZ`, every field in range here.
        let digit = |v: i64, place: i64| b'0' + (v / place % 10) as u8;
        let mut a = Ascii::new();
        a.buf[..24].copy_from_slice(&[
            digit(y, 1000),
            digit(y, 100),
            digit(y, 10),
            digit(y, 1),
            b'-',
            digit(m, 10),
            digit(m, 1),
            b'-',
            digit(d, 10),
            digit(d, 1),
            b'T',
            digit(h, 10),
            digit(h, 1),
            b':',
            digit(min, 10),
            digit(min, 1),
            b':',
            digit(sec, 10),
            digit(sec, 1),
            b'.',
            digit(milli, 100),
            digit(milli, 10),
            digit(milli, 1),
            b'Z',
        ]);
        a.len = 24;
        Some(a)
    }
}

/// A short ASCII text built on the stack (numbers, timestamps): output formats millions of
/// them, and pushing characters one by one into a `String` showed in profiles.
#[derive(Clone, Copy)]
pub(crate) struct Ascii {
    buf: [u8; 40],
    len: usize,
}

impl Ascii {
    /// An empty text.
    pub(crate) fn new() -> Ascii {
        Ascii {
            buf: [0; 40],
            len: 0,
        }
    }

    /// Appends one ASCII byte (ignored once the 40-byte buffer is full).
    pub(crate) fn push(&mut self, b: u8) {
        if self.len < self.buf.len() {
            self.buf[self.len] = b;
            self.len += 1;
        }
    }

    /// The bytes written so far.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// The text written so far (always ASCII, so always valid UTF-8).
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
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
    out.push_str(seconds_ascii(ms).as_str());
}

/// [`format_seconds`] in a stack buffer.
pub(crate) fn seconds_ascii(ms: Millis) -> Ascii {
    let mut a = Ascii::new();
    if ms < 0 {
        a.push(b'-');
    }
    let abs = ms.unsigned_abs();
    for b in itoa::Buffer::new().format(abs / 1000).bytes() {
        a.push(b);
    }
    let milli = abs % 1000;
    a.push(b'.');
    a.push(b'0' + (milli / 100) as u8);
    a.push(b'0' + (milli / 10 % 10) as u8);
    a.push(b'0' + (milli % 10) as u8);
    a
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
