//! Port of robfig/cron v3.0.1 `SpecSchedule.Next` (spec.go) on top of chrono-tz offsets, with
//! Go's `time.Date` normalisation for missing / doubled wall-clock times.
//!
//! Speed without changing results: the walk is the same state machine as robfig's, but runs of
//! single steps that provably cannot stop early (no matching value and no rollover in between,
//! at a constant UTC offset) are taken as one jump, and zone offsets come from a small cache of
//! intervals known to have a constant offset, which each parsed schedule keeps for its walks.

use super::{SpecBits, STAR_BIT};
use crate::sim::time::civil_from_days;
use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::Tz;

const DAY: i64 = 86_400;
/// Instants outside ±200,000 years are beyond chrono's calendar; `next` gives up there.
const MAX_ABS_SECS: i64 = 200_000 * 366 * DAY;
/// Safety net against pathological walks; robfig's own walk always ends within its 5-year
/// window long before this.
const MAX_STEPS: u32 = 5_000_000;

/// Width of one probe of a cached constant-offset window. Sound because every offset period in
/// chrono-tz 0.10.4 (pinned) lasts at least 597,600 s (6.9 days; shortest: America/Cambridge_Bay
/// 2000), so a span of 6 days holds at most one transition, which an end-point probe detects.
const HALF_WINDOW: i64 = 6 * DAY;
/// Walks go forward, so a window is extended forward by up to this many more probes (each
/// span checked on its own, so the argument above holds for each).
const FORWARD_PROBES: usize = 8;

#[derive(Clone, Copy, Debug)]
struct Entry {
    tz: Tz,
    lo: i64,
    hi: i64,
    off: i64,
}

/// A few intervals [lo, hi) with known constant UTC offset, reused across calls: a parsed
/// schedule keeps one (`Schedule::next`), so its next walk starts from the offsets the last one
/// found instead of searching chrono-tz again.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct OffsetCache {
    entries: [Option<Entry>; 4],
    next_slot: usize,
}

fn raw_offset(tz: Tz, x: i64) -> i64 {
    match DateTime::from_timestamp(x, 0) {
        Some(dt) => i64::from(
            tz.offset_from_utc_datetime(&dt.naive_utc())
                .fix()
                .local_minus_utc(),
        ),
        None => 0,
    }
}

impl OffsetCache {
    fn find(&self, tz: Tz, x: i64) -> Option<Entry> {
        self.entries
            .iter()
            .flatten()
            .find(|e| e.tz == tz && e.lo <= x && x < e.hi)
            .copied()
    }

    fn entry(&mut self, tz: Tz, x: i64) -> Entry {
        if let Some(e) = self.find(tz, x) {
            return e;
        }
        let off = raw_offset(tz, x);
        // Upper end: the first instant after x with another offset, searched span by span.
        let mut good = x;
        let mut hi = None;
        for _ in 0..FORWARD_PROBES {
            let probe = good + HALF_WINDOW - 1;
            if raw_offset(tz, probe) == off {
                good = probe;
                continue;
            }
            let mut bad = probe;
            while bad - good > 1 {
                let mid = good + (bad - good) / 2;
                if raw_offset(tz, mid) == off {
                    good = mid;
                } else {
                    bad = mid;
                }
            }
            hi = Some(bad);
            break;
        }
        let hi = hi.unwrap_or(good + 1);
        let probe_lo = x - HALF_WINDOW + 1;
        let lo = if raw_offset(tz, probe_lo) == off {
            probe_lo
        } else {
            let (mut bad, mut good) = (probe_lo, x);
            while good - bad > 1 {
                let mid = bad + (good - bad) / 2;
                if raw_offset(tz, mid) == off {
                    good = mid;
                } else {
                    bad = mid;
                }
            }
            good
        };
        let e = Entry { tz, lo, hi, off };
        self.entries[self.next_slot] = Some(e);
        self.next_slot = (self.next_slot + 1) % self.entries.len();
        e
    }
}

/// The zone a walk runs in.
struct Zone<'a> {
    tz: Tz,
    utc: bool,
    cache: &'a mut OffsetCache,
    /// The cache entry used last: a walk's instants are close together, so it usually holds.
    last: Option<Entry>,
}

impl Zone<'_> {
    #[inline(always)]
    fn entry(&mut self, x: i64) -> Entry {
        match self.last {
            Some(e) if e.lo <= x && x < e.hi => e,
            _ => {
                let e = self.cache.entry(self.tz, x);
                self.last = Some(e);
                e
            }
        }
    }

    #[inline(always)]
    fn offset(&mut self, x: i64) -> i64 {
        if self.utc {
            0
        } else {
            self.entry(x).off
        }
    }

    /// True when the offset is provably the same at every instant of [a, b].
    #[inline(always)]
    fn constant_between(&mut self, a: i64, b: i64) -> bool {
        if self.utc {
            return true;
        }
        b < self.entry(a).hi
    }

    /// Go `time.Date(y, mo, d, h, mi, s, 0, loc)` with Go's normalisation: the instant
    /// `w − off(w − off(w))` for wall clock `w`.
    fn date(&mut self, year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64) -> i64 {
        let m0 = month - 1;
        let y = year + m0.div_euclid(12);
        let m = m0.rem_euclid(12) + 1;
        let w = days_from_civil(y, m, 1) * DAY + (day - 1) * DAY + hour * 3600 + min * 60 + sec;
        let off1 = self.offset(w);
        w - self.offset(w - off1)
    }

    fn date_at(&mut self, y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> Cursor {
        let unix = self.date(y, mo, d, h, mi, s);
        self.at(unix)
    }

    #[inline(always)]
    fn at(&mut self, unix: i64) -> Cursor {
        let off = self.offset(unix);
        Cursor::new(unix, off)
    }

    /// [`Zone::at`] for an instant reached from `prev` by a jump: when the local day is the
    /// same, the calendar fields are reused instead of recomputed.
    #[inline(always)]
    fn at_from(&mut self, prev: &Cursor, unix: i64) -> Cursor {
        let off = self.offset(unix);
        let local = unix + off;
        let days = local.div_euclid(DAY);
        let sod = local - days * DAY;
        let (hour, rest) = (sod / 3600, sod % 3600);
        let (minute, second) = (rest / 60, rest % 60);
        if days == prev.days {
            return Cursor {
                unix,
                hour,
                minute,
                second,
                ..*prev
            };
        }
        if days == prev.days + 1 {
            // The next local day: step the calendar instead of recomputing it.
            let (mut year, mut month, mut day) = (prev.year, prev.month, prev.day + 1);
            if day > days_in_month(year, month) {
                day = 1;
                month += 1;
                if month > 12 {
                    month = 1;
                    year += 1;
                }
            }
            return Cursor {
                unix,
                year,
                month,
                day,
                hour,
                minute,
                second,
                weekday: (prev.weekday + 1) % 7,
                days,
            };
        }
        Cursor::new(unix, off)
    }
}

/// An instant with its wall-clock fields in the walk's zone.
#[derive(Clone, Copy, Debug)]
struct Cursor {
    unix: i64,
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    weekday: i64,
    /// Local days since 1970-01-01.
    days: i64,
}

impl Cursor {
    #[inline(always)]
    fn new(unix: i64, off: i64) -> Cursor {
        let local = unix + off;
        let days = local.div_euclid(DAY);
        let sod = local.rem_euclid(DAY);
        let (year, month, day) = civil_from_days(days);
        Cursor {
            unix,
            year,
            month,
            day,
            hour: sod / 3600,
            minute: sod / 60 % 60,
            second: sod % 60,
            weekday: (days + 4).rem_euclid(7),
            days,
        }
    }
}

/// Days in a month of the proleptic Gregorian calendar.
#[inline(always)]
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[inline]
fn has(bits: u64, v: i64) -> bool {
    (0..64).contains(&v) && bits & (1u64 << v) != 0
}

/// Smallest k ≥ 1 such that `(cur + k) mod n` is set in `bits` or is 0 (the rollover that
/// makes robfig restart); `cur` < n ≤ 60.
#[inline]
fn steps_to_stop(cur: i64, bits: u64, n: i64) -> i64 {
    let field = bits & !STAR_BIT & ((1u64 << n) - 1);
    let above = field & !((1u64 << (cur + 1)) - 1);
    if above != 0 {
        i64::from(above.trailing_zeros()) - cur
    } else {
        n - cur
    }
}

fn day_matches(s: &SpecBits, t: &Cursor) -> bool {
    let dom = has(s.dom, t.day);
    let dow = has(s.dow, t.weekday);
    if s.dom & STAR_BIT != 0 || s.dow & STAR_BIT != 0 {
        dom && dow
    } else {
        dom || dow
    }
}

/// robfig `SpecSchedule.Next` for `after_ms`, evaluated in `tz` with the offsets in `cache`;
/// `None` = Go's zero time.
pub(crate) fn next_spec(
    s: &SpecBits,
    after_ms: i64,
    tz: Tz,
    cache: &mut OffsetCache,
) -> Option<i64> {
    // Start at the earliest possible time (the upcoming second).
    let start = after_ms.div_euclid(1000).checked_add(1)?;
    if start.abs() > MAX_ABS_SECS {
        return None;
    }
    walk(s, start, tz, cache)
}

fn walk(s: &SpecBits, start: i64, tz: Tz, cache: &mut OffsetCache) -> Option<i64> {
    let mut z = Zone {
        tz,
        utc: tz == Tz::UTC,
        cache,
        last: None,
    };
    let mut t = z.at(start);
    let mut added = false;
    let year_limit = t.year + 5;
    let mut steps: u32 = 0;

    'wrap: loop {
        if t.year > year_limit {
            return None;
        }
        steps += 1;
        if steps > MAX_STEPS || t.unix.abs() > MAX_ABS_SECS {
            return None;
        }

        // Month: calendar steps (AddDate(0, 1, 0)); rolling into January restarts.
        while !has(s.month, t.month) {
            if !added {
                added = true;
                t = z.date_at(t.year, t.month, 1, 0, 0, 0);
            }
            t = z.date_at(t.year, t.month + 1, t.day, t.hour, t.minute, t.second);
            if t.month == 1 {
                continue 'wrap;
            }
        }

        // Day: calendar steps, then robfig's correction for a skipped midnight.
        while !day_matches(s, &t) {
            if !added {
                added = true;
                t = z.date_at(t.year, t.month, t.day, 0, 0, 0);
            }
            // Go `time.Date(y, m, d+1, h, mi, s)` is simply one day later when the offset is
            // the same from t through the next day's wall clock read as UTC (the instants
            // `Zone::date` looks the offset up at); otherwise normalise the long way.
            let off = z.offset(t.unix);
            t = if z.constant_between(t.unix, t.unix + DAY + off.max(0)) {
                z.at_from(&t, t.unix + DAY)
            } else {
                z.date_at(t.year, t.month, t.day + 1, t.hour, t.minute, t.second)
            };
            if t.hour != 0 {
                if t.hour > 12 {
                    t = z.at_from(&t, t.unix + (24 - t.hour) * 3600);
                } else {
                    t = z.at_from(&t, t.unix - t.hour * 3600);
                }
            }
            if t.day == 1 {
                continue 'wrap;
            }
            steps += 1;
            if steps > MAX_STEPS {
                return None;
            }
        }

        // Hour: absolute 1 h steps; hour 0 restarts.
        while !has(s.hour, t.hour) {
            if !added {
                added = true;
                t = z.date_at(t.year, t.month, t.day, t.hour, 0, 0);
            }
            let k = steps_to_stop(t.hour, s.hour, 24);
            let target = t.unix + k * 3600;
            t = if k > 1 && z.constant_between(t.unix, target) {
                z.at_from(&t, target)
            } else {
                z.at_from(&t, t.unix + 3600)
            };
            if t.hour == 0 {
                continue 'wrap;
            }
        }

        // Minute: absolute 1 min steps after truncating to the minute; minute 0 restarts.
        while !has(s.minute, t.minute) {
            if !added {
                added = true;
                t = z.at_from(&t, t.unix - t.unix.rem_euclid(60));
            }
            let k = steps_to_stop(t.minute, s.minute, 60);
            let target = t.unix + k * 60;
            t = if k > 1 && z.constant_between(t.unix, target) {
                z.at_from(&t, target)
            } else {
                z.at_from(&t, t.unix + 60)
            };
            if t.minute == 0 {
                continue 'wrap;
            }
        }

        // Second: absolute 1 s steps (truncation to the second is a no-op here); second 0
        // restarts.
        while !has(s.second, t.second) {
            added = true;
            let k = steps_to_stop(t.second, s.second, 60);
            let target = t.unix + k;
            t = if k > 1 && z.constant_between(t.unix, target) {
                z.at_from(&t, target)
            } else {
                z.at_from(&t, t.unix + 1)
            };
            if t.second == 0 {
                continue 'wrap;
            }
        }

        return Some(t.unix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stepping the calendar one local day at a time agrees with recomputing it, across month,
    /// year, leap-day and century boundaries.
    #[test]
    fn next_day_steps_equal_recomputation() {
        let mut prev = Cursor::new(-2_208_988_800 + 3_600, 0); // 1900-01-01T01:00Z
        let mut cache = OffsetCache::default();
        let mut z = Zone {
            tz: Tz::UTC,
            utc: true,
            cache: &mut cache,
            last: None,
        };
        for _ in 0..(400 * 366) {
            let next = z.at_from(&prev, prev.unix + DAY + 61);
            let fresh = Cursor::new(next.unix, 0);
            assert_eq!(
                (next.year, next.month, next.day, next.weekday, next.days),
                (
                    fresh.year,
                    fresh.month,
                    fresh.day,
                    fresh.weekday,
                    fresh.days
                )
            );
            assert_eq!(
                (next.hour, next.minute, next.second),
                (fresh.hour, fresh.minute, fresh.second)
            );
            prev = next;
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn cached_offsets_equal_direct_lookups() {
        let zones: [Tz; 6] = [
            chrono_tz::America::New_York,
            chrono_tz::Australia::Lord_Howe,
            chrono_tz::America::Sao_Paulo,
            chrono_tz::Europe::Moscow,
            chrono_tz::America::Cambridge_Bay,
            chrono_tz::Africa::Casablanca,
        ];
        let mut cache = OffsetCache::default();
        for tz in zones {
            // Walk forward in irregular strides across a century of transitions.
            let mut x: i64 = -2_200_000_000;
            while x < 4_200_000_000 {
                assert_eq!(cache.entry(tz, x).off, raw_offset(tz, x), "{tz} at {x}");
                x += 3_607 * 7 + (x.rem_euclid(13)) * 1_000;
            }
        }
    }

    #[test]
    fn go_date_normalises_like_go() {
        let mut cache = OffsetCache::default();
        let mut z = Zone {
            tz: chrono_tz::America::New_York,
            utc: false,
            cache: &mut cache,
            last: None,
        };
        // 2012-03-11 02:30 does not exist in New York: Go gives 01:30 EST (06:30Z).
        assert_eq!(z.date(2012, 3, 11, 2, 30, 0), 1_331_447_400);
        // 2012-11-04 01:30 is doubled: Go gives the first (EDT, 05:30Z) west of UTC.
        assert_eq!(z.date(2012, 11, 4, 1, 30, 0), 1_352_007_000);
        // Month 13 / day 0 roll over.
        assert_eq!(z.date(2011, 13, 1, 0, 0, 0), z.date(2012, 1, 1, 0, 0, 0));
        assert_eq!(z.date(2012, 3, 0, 0, 0, 0), z.date(2012, 2, 29, 0, 0, 0));
    }
}
