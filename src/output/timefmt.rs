//! Virtual times as the outputs write them: RFC 3339 timestamps with milliseconds and spans as
//! seconds with three decimals (the CSV time columns). The clock itself ([`crate::sim::time`])
//! knows no text format.
//!
//! Both are written without `fmt` or chrono's formatter into a stack buffer (`Ascii`): a long
//! run writes one timestamp per event row and several spans per pod and Job row, millions in all.

use chrono::SecondsFormat;

use crate::sim::time::{civil_from_days, Millis, Time, DAY, HOUR, MINUTE, SECOND};

/// RFC 3339 in UTC with milliseconds, e.g. `2021-11-25T12:00:01.500Z`.
pub fn rfc3339_millis(t: Time) -> String {
    let mut s = String::with_capacity(24);
    push_rfc3339_millis(&mut s, t);
    s
}

/// Appends [`rfc3339_millis`] of `t` to `out`.
pub fn push_rfc3339_millis(out: &mut String, t: Time) {
    match rfc3339_ascii(t) {
        Some(a) => out.push_str(a.as_str()),
        // Outside years 1..=9999 chrono adds a sign and more digits; rare, so defer to it.
        None => out.push_str(&t.to_utc().to_rfc3339_opts(SecondsFormat::Millis, true)),
    }
}

/// [`rfc3339_millis`] in a stack buffer, or `None` outside years 1..=9999.
pub(crate) fn rfc3339_ascii(t: Time) -> Option<Ascii> {
    let days = t.0.div_euclid(DAY);
    if !(-719_162..=2_932_896).contains(&days) {
        return None;
    }
    let (y, m, d) = civil_from_days(days);
    let ms = t.0.rem_euclid(DAY);
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

/// Formats a span as seconds with exactly three decimals (`61.250`), the CSV time format.
pub fn format_seconds(ms: Millis) -> String {
    seconds_ascii(ms).as_str().to_string()
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

/// A short ASCII text built on the stack (numbers, timestamps): output formats millions of
/// them, and pushing characters one by one into a `String` showed in profiles.
#[derive(Clone, Copy)]
pub(crate) struct Ascii {
    buf: [u8; 40],
    len: usize,
}

impl Ascii {
    /// An empty text.
    fn new() -> Ascii {
        Ascii {
            buf: [0; 40],
            len: 0,
        }
    }

    /// Appends one ASCII byte (ignored once the 40-byte buffer is full).
    fn push(&mut self, b: u8) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_have_three_decimals() {
        assert_eq!(format_seconds(0), "0.000");
        assert_eq!(format_seconds(61_250), "61.250");
        assert_eq!(format_seconds(-1), "-0.001");
        assert_eq!(format_seconds(i64::MIN + 1), "-9223372036854775.807");
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
                    rfc3339_millis(x),
                    x.to_utc().to_rfc3339_opts(SecondsFormat::Millis, true)
                );
            }
            t = t.plus(DAY);
        }
        assert_eq!(rfc3339_millis(Time(0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_millis(Time(-1)), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn rfc3339_keeps_milliseconds() {
        let t = Time(1_637_841_600_000 + 1_500);
        assert_eq!(rfc3339_millis(t), "2021-11-25T12:00:01.500Z");
    }
}
