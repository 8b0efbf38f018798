//! Port of robfig/cron v3.0.1 `parser.go` (plus the Go standard-library pieces it leans on:
//! `strconv.Atoi`, `strconv.Quote`, `time.ParseDuration`, `time.LoadLocation`), so that accept /
//! reject decisions and error texts match what the Kubernetes API server reports.

use super::{Location, Schedule, ScheduleError, SpecBits, STAR_BIT};
use chrono_tz::Tz;

// Parse options, same bit layout as robfig's `ParseOption`.
pub(crate) const SECOND: u32 = 1 << 0;
pub(crate) const SECOND_OPTIONAL: u32 = 1 << 1;
pub(crate) const MINUTE: u32 = 1 << 2;
pub(crate) const HOUR: u32 = 1 << 3;
pub(crate) const DOM: u32 = 1 << 4;
pub(crate) const MONTH: u32 = 1 << 5;
pub(crate) const DOW: u32 = 1 << 6;
pub(crate) const DOW_OPTIONAL: u32 = 1 << 7;
pub(crate) const DESCRIPTOR: u32 = 1 << 8;

const PLACES: [u32; 6] = [SECOND, MINUTE, HOUR, DOM, MONTH, DOW];
const DEFAULTS: [&str; 6] = ["0", "0", "0", "*", "*", "*"];

/// `cron.ParseStandard`'s options.
pub(crate) const STANDARD: u32 = MINUTE | HOUR | DOM | MONTH | DOW | DESCRIPTOR;
/// The `secondParser` of robfig's own tests (seconds first, day-of-week optional).
pub(crate) const WITH_SECONDS: u32 =
    SECOND | MINUTE | HOUR | DOM | MONTH | DOW_OPTIONAL | DESCRIPTOR;

/// Inclusive bounds of one field plus its 3-letter names.
#[derive(Clone, Copy)]
pub(crate) struct Bounds {
    pub min: u64,
    pub max: u64,
    pub names: &'static [(&'static str, u64)],
}

pub(crate) const SECONDS: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
pub(crate) const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
pub(crate) const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
pub(crate) const DOMS: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
pub(crate) const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
pub(crate) const DOWS: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

fn err<T>(s: String) -> Result<T, ScheduleError> {
    Err(ScheduleError(s))
}

/// robfig `Parser.Parse` for the given option set.
pub(crate) fn parse(spec: &str, options: u32) -> Result<Schedule, ScheduleError> {
    if spec.is_empty() {
        return err("empty spec string".into());
    }
    let mut spec = spec;
    let mut loc = Location::Local;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        // robfig slices up to the first ASCII space; without one it panics (slice bound -1).
        // We report an error instead; Kubernetes can never store such a string anyway.
        let Some(i) = spec.find(' ') else {
            return err(format!("missing schedule after time zone prefix: {spec}"));
        };
        let eq = spec.find('=').unwrap_or(0);
        let name = spec.get(eq + 1..i).unwrap_or("");
        loc = match load_location(name) {
            Ok(l) => l,
            Err(e) => return err(format!("provided bad location {name}: {e}")),
        };
        spec = spec[i..].trim();
    }

    if spec.starts_with('@') {
        if options & DESCRIPTOR == 0 {
            return err(format!("parser does not accept descriptors: {spec}"));
        }
        return parse_descriptor(spec, loc);
    }

    let fields: Vec<&str> = spec.split_whitespace().collect();
    let fields = normalize_fields(&fields, options)?;
    let bits = SpecBits {
        second: get_field(fields[0], SECONDS)?,
        minute: get_field(fields[1], MINUTES)?,
        hour: get_field(fields[2], HOURS)?,
        dom: get_field(fields[3], DOMS)?,
        month: get_field(fields[4], MONTHS)?,
        dow: get_field(fields[5], DOWS)?,
    };
    Ok(Schedule::from_spec(bits, loc))
}

/// Go `fmt.Sprintf("%s", []string)`: `[a b c]`.
fn go_string_slice(fields: &[&str]) -> String {
    format!("[{}]", fields.join(" "))
}

/// robfig `normalizeFields`: checks the count and fills omitted fields with defaults.
pub(crate) fn normalize_fields<'a>(
    fields: &[&'a str],
    options: u32,
) -> Result<[&'a str; 6], ScheduleError> {
    let mut options = options;
    let mut optionals = 0;
    if options & SECOND_OPTIONAL != 0 {
        options |= SECOND;
        optionals += 1;
    }
    if options & DOW_OPTIONAL != 0 {
        options |= DOW;
        optionals += 1;
    }
    if optionals > 1 {
        return err("multiple optionals may not be configured".into());
    }
    let max = PLACES.iter().filter(|p| options & **p != 0).count();
    let min = max - optionals;
    let count = fields.len();
    if count < min || count > max {
        if min == max {
            return err(format!(
                "expected exactly {min} fields, found {count}: {}",
                go_string_slice(fields)
            ));
        }
        return err(format!(
            "expected {min} to {max} fields, found {count}: {}",
            go_string_slice(fields)
        ));
    }
    let mut given: Vec<&'a str> = fields.to_vec();
    if min < max && count == min {
        if options & DOW_OPTIONAL != 0 {
            given.push(DEFAULTS[5]);
        } else if options & SECOND_OPTIONAL != 0 {
            given.insert(0, DEFAULTS[0]);
        } else {
            return err("unknown optional field".into());
        }
    }
    let mut out = DEFAULTS;
    let mut n = 0;
    for (i, place) in PLACES.iter().enumerate() {
        if options & place != 0 {
            if let Some(f) = given.get(n) {
                out[i] = f;
            }
            n += 1;
        }
    }
    Ok(out)
}

/// robfig `getField`: a comma list; empty items are dropped (Go `strings.FieldsFunc`).
pub(crate) fn get_field(field: &str, r: Bounds) -> Result<u64, ScheduleError> {
    let mut bits = 0;
    for expr in field.split(',').filter(|e| !e.is_empty()) {
        bits |= get_range(expr, r)?;
    }
    Ok(bits)
}

/// robfig `getRange`: `*|?|N|N-M` with optional `/step`.
pub(crate) fn get_range(expr: &str, r: Bounds) -> Result<u64, ScheduleError> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single_digit = low_and_high.len() == 1;
    let (start, mut end);
    let mut extra = 0;
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        start = r.min;
        end = r.max;
        extra = STAR_BIT;
    } else {
        start = parse_int_or_name(low_and_high[0], r.names)?;
        end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], r.names)?,
            _ => return err(format!("too many hyphens: {expr}")),
        };
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1])?;
            // "N/step" means "N-max/step".
            if single_digit {
                end = r.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return err(format!("too many slashes: {expr}")),
    };
    if start < r.min {
        return err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            r.min
        ));
    }
    if end > r.max {
        return err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            r.max
        ));
    }
    if start > end {
        return err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(get_bits(start, end, step) | extra)
}

fn parse_int_or_name(expr: &str, names: &[(&str, u64)]) -> Result<u64, ScheduleError> {
    if !names.is_empty() {
        let lower = expr.to_lowercase();
        if let Some((_, v)) = names.iter().find(|(n, _)| *n == lower) {
            return Ok(*v);
        }
    }
    must_parse_int(expr)
}

fn must_parse_int(expr: &str) -> Result<u64, ScheduleError> {
    match go_atoi(expr) {
        Ok(n) if n < 0 => err(format!("negative number ({n}) not allowed: {expr}")),
        Ok(n) => Ok(n as u64),
        Err(e) => err(format!("failed to parse int from {expr}: {e}")),
    }
}

/// robfig `getBits`: bits min..=max every `step` (callers guarantee max <= 59).
pub(crate) fn get_bits(min: u64, max: u64, step: u64) -> u64 {
    if step == 1 {
        return !(u64::MAX << (max + 1)) & (u64::MAX << min);
    }
    let mut bits = 0u64;
    let mut i = min;
    while i <= max {
        bits |= 1 << i;
        match i.checked_add(step) {
            Some(n) => i = n,
            None => break,
        }
    }
    bits
}

/// robfig `all`: the whole range plus the star bit.
pub(crate) fn all(r: Bounds) -> u64 {
    get_bits(r.min, r.max, 1) | STAR_BIT
}

fn parse_descriptor(descriptor: &str, loc: Location) -> Result<Schedule, ScheduleError> {
    let one = |b: Bounds| 1u64 << b.min;
    let bits = match descriptor {
        "@yearly" | "@annually" => Some(SpecBits {
            second: one(SECONDS),
            minute: one(MINUTES),
            hour: one(HOURS),
            dom: one(DOMS),
            month: one(MONTHS),
            dow: all(DOWS),
        }),
        "@monthly" => Some(SpecBits {
            second: one(SECONDS),
            minute: one(MINUTES),
            hour: one(HOURS),
            dom: one(DOMS),
            month: all(MONTHS),
            dow: all(DOWS),
        }),
        "@weekly" => Some(SpecBits {
            second: one(SECONDS),
            minute: one(MINUTES),
            hour: one(HOURS),
            dom: all(DOMS),
            month: all(MONTHS),
            dow: one(DOWS),
        }),
        "@daily" | "@midnight" => Some(SpecBits {
            second: one(SECONDS),
            minute: one(MINUTES),
            hour: one(HOURS),
            dom: all(DOMS),
            month: all(MONTHS),
            dow: all(DOWS),
        }),
        "@hourly" => Some(SpecBits {
            second: one(SECONDS),
            minute: one(MINUTES),
            hour: all(HOURS),
            dom: all(DOMS),
            month: all(MONTHS),
            dow: all(DOWS),
        }),
        _ => None,
    };
    if let Some(bits) = bits {
        return Ok(Schedule::from_spec(bits, loc));
    }
    if let Some(d) = descriptor.strip_prefix("@every ") {
        return match parse_go_duration(d) {
            Ok(nanos) => Ok(Schedule::every(nanos)),
            Err(e) => err(format!("failed to parse duration {descriptor}: {e}")),
        };
    }
    err(format!("unrecognized descriptor: {descriptor}"))
}

/// Go `time.LoadLocation` against chrono-tz's database (the same tzdb release, 2025b, that
/// Debian's tzdata ships). `Local` maps to "no zone": robfig then uses the caller's zone.
pub(crate) fn load_location(name: &str) -> Result<Location, String> {
    if name.is_empty() || name == "UTC" {
        return Ok(Location::Zone(Tz::UTC));
    }
    if name == "Local" {
        return Ok(Location::Local);
    }
    if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
        return Err("time: invalid location name".into());
    }
    name.parse::<Tz>()
        .map(Location::Zone)
        .map_err(|_| format!("unknown time zone {name}"))
}

/// A Go `strconv.NumError` from `Atoi`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct AtoiError {
    num: String,
    range: bool,
}

impl std::fmt::Display for AtoiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = if self.range {
            "value out of range"
        } else {
            "invalid syntax"
        };
        write!(f, "strconv.Atoi: parsing {}: {why}", go_quote(&self.num))
    }
}

/// Go `strconv.Atoi` on a 64-bit platform: optional sign, ASCII digits, leading zeros allowed.
pub(crate) fn go_atoi(s: &str) -> Result<i64, AtoiError> {
    let syntax = || AtoiError {
        num: s.to_string(),
        range: false,
    };
    let range = || AtoiError {
        num: s.to_string(),
        range: true,
    };
    let bytes = s.as_bytes();
    if !bytes.is_empty() && bytes.len() < 19 {
        // Go's fast path; cannot overflow.
        let (neg, digits) = match bytes[0] {
            b'-' => (true, &bytes[1..]),
            b'+' => (false, &bytes[1..]),
            _ => (false, bytes),
        };
        if digits.is_empty() {
            return Err(syntax());
        }
        let mut n: i64 = 0;
        for &c in digits {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                return Err(syntax());
            }
            n = n * 10 + i64::from(d);
        }
        return Ok(if neg { -n } else { n });
    }
    // Slow path: ParseInt(s, 10, 0) → ParseUint; first failure in scan order wins.
    if bytes.is_empty() {
        return Err(syntax());
    }
    let (neg, digits) = match bytes[0] {
        b'-' => (true, &bytes[1..]),
        b'+' => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    if digits.is_empty() {
        return Err(syntax());
    }
    let mut n: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return Err(syntax());
        }
        let Some(m) = n
            .checked_mul(10)
            .and_then(|m| m.checked_add(u64::from(c - b'0')))
        else {
            return Err(range());
        };
        n = m;
    }
    const CUTOFF: u64 = 1 << 63;
    if !neg && n >= CUTOFF || neg && n > CUTOFF {
        return Err(range());
    }
    Ok(if neg {
        (n as i64).wrapping_neg()
    } else {
        n as i64
    })
}

/// Go `strconv.Quote`, exact for ASCII and ordinary printable text; exotic non-printable
/// code points beyond the common format characters are assumed printable.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if !go_is_print(c) => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32))
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32))
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn go_is_print(c: char) -> bool {
    let u = c as u32;
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    // Common Cf (format) characters and private-use areas, which Go does not print.
    !matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
        | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

/// Go `time` package's private `quote` (used in ParseDuration errors): non-ASCII bytes as `\xNN`.
fn go_time_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if (c as u32) >= 0x80 || c < ' ' {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// Go `time.ParseDuration`, returning nanoseconds.
pub(crate) fn parse_go_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_time_quote(orig));
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = &s[1..];
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    const LIMIT: u64 = 1 << 63;
    let mut d: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        // leadingInt
        let pl = s.len();
        let mut v: u64 = 0;
        let mut i = 0;
        while i < s.len() && s[i].is_ascii_digit() {
            if v > LIMIT / 10 {
                return Err(invalid());
            }
            v = v * 10 + u64::from(s[i] - b'0');
            if v > LIMIT {
                return Err(invalid());
            }
            i += 1;
        }
        s = &s[i..];
        let pre = pl != s.len();
        // (\.[0-9]*)? via leadingFraction
        let mut post = false;
        let mut f: u64 = 0;
        let mut scale: f64 = 1.0;
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let pl = s.len();
            let mut overflow = false;
            let mut i = 0;
            while i < s.len() && s[i].is_ascii_digit() {
                if !overflow {
                    if f > (LIMIT - 1) / 10 {
                        overflow = true;
                    } else {
                        let y = f * 10 + u64::from(s[i] - b'0');
                        if y > LIMIT {
                            overflow = true;
                        } else {
                            f = y;
                            scale *= 10.0;
                        }
                    }
                }
                i += 1;
            }
            s = &s[i..];
            post = pl != s.len();
        }
        if !pre && !post {
            return Err(invalid());
        }
        let mut i = 0;
        while i < s.len() && !(s[i] == b'.' || s[i].is_ascii_digit()) {
            i += 1;
        }
        if i == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                go_time_quote(orig)
            ));
        }
        let u = std::str::from_utf8(&s[..i]).unwrap_or("");
        s = &s[i..];
        let unit: u64 = match u {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_time_quote(u),
                    go_time_quote(orig)
                ))
            }
        };
        if v > LIMIT / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            // Go converts with float64 exactly like this; keep the same rounding.
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        d += v;
        if d > LIMIT {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > LIMIT - 1 {
        return Err(invalid());
    }
    Ok(d as i64)
}

#[cfg(test)]
mod tests;
