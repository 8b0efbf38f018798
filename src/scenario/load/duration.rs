//! Durations and instants as scenario documents and flags write them: `90s`, `1h30m`, `2d`,
//! `1.5s`, `500ms`, or an RFC 3339 instant for `until`.

use chrono::{DateTime, SecondsFormat};

use crate::sim::time::{Millis, Time, DAY};

/// The longest `until` accepted: beyond it a typo (`100000d`) is more likely than intent.
pub const MAX_HORIZON: Millis = 100 * 365 * DAY;

/// Parses a duration made of `<number><unit>` parts (units `ms`, `s`, `m`, `h`, `d`); `0` alone is allowed.
pub fn parse_duration(text: &str) -> Result<Millis, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("empty duration".into());
    }
    if s.starts_with('-') {
        return Err(format!("invalid duration {text:?}: must not be negative"));
    }
    if s == "0" {
        return Ok(0);
    }
    let bad = || {
        format!("invalid duration {text:?}: expected a number with a unit (ms, s, m, h, d), e.g. 90s or 1h30m")
    };
    let mut total: f64 = 0.0;
    let mut rest = s;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        if n == 0 {
            return Err(bad());
        }
        let value: f64 = rest[..n].parse().map_err(|_| bad())?;
        rest = &rest[n..];
        let u = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = match &rest[..u] {
            "ms" => 1.0,
            "s" => 1_000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            _ => return Err(bad()),
        };
        rest = &rest[u..];
        total += value * unit;
    }
    if !total.is_finite() || total > 1.0e17 {
        return Err(format!("invalid duration {text:?}: too large"));
    }
    Ok(total.round() as Millis)
}

/// Parses an RFC 3339 instant.
pub fn parse_instant(text: &str) -> Result<Time, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|dt| Time(dt.timestamp_millis()))
        .map_err(|e| {
            format!("invalid time {text:?}: {e} (expected RFC 3339, e.g. 2021-11-25T12:00:00Z)")
        })
}

/// Parses `until`: a duration from `start`, or an RFC 3339 instant after it; at most 100 years.
pub fn parse_until(text: &str, start: Time) -> Result<Millis, String> {
    let looks_like_instant = text.len() >= 10 && text.as_bytes().get(4) == Some(&b'-');
    let ms = if looks_like_instant {
        let t = parse_instant(text)?;
        let ms = t.since(start);
        if ms <= 0 {
            return Err(format!(
                "until {text:?} is not after the start {}",
                start.to_utc().to_rfc3339_opts(SecondsFormat::Millis, true)
            ));
        }
        ms
    } else {
        parse_duration(text)?
    };
    if ms > MAX_HORIZON {
        return Err(format!(
            "until {text:?} is more than 100 years after the start"
        ));
    }
    Ok(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(90_000));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration("2d"), Ok(172_800_000));
        assert_eq!(parse_duration("1.5s"), Ok(1_500));
        assert_eq!(parse_duration("500ms"), Ok(500));
        assert_eq!(parse_duration("0"), Ok(0));
        assert!(parse_duration("-5s")
            .unwrap_err()
            .contains("must not be negative"));
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("abc").is_err());
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("99999999999999999999d").is_err());
    }

    #[test]
    fn until() {
        let start = parse_instant("2021-11-25T12:00:00Z").unwrap();
        assert_eq!(parse_until("10m", start), Ok(600_000));
        assert_eq!(parse_until("2021-11-25T13:00:00Z", start), Ok(3_600_000));
        assert!(parse_until("2021-11-25T11:00:00Z", start).is_err());
        assert!(parse_until("36501d", start)
            .unwrap_err()
            .contains("100 years"));
    }
}
