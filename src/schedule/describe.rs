//! Plain-English reading of a parsed schedule. Works from the parsed bit sets (not the text),
//! so what it says is what `next` does, including the day-of-month / day-of-week OR rule.

use super::{Schedule, SpecBits, STAR_BIT};

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 13] = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn values(bits: u64, min: u32, max: u32) -> Vec<u32> {
    (min..=max).filter(|v| bits & (1u64 << v) != 0).collect()
}

fn full(bits: u64, min: u32, max: u32) -> bool {
    values(bits, min, max).len() == (max - min + 1) as usize
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `Some((first, step))` when `vals` is first, first+step, … up to the field maximum.
fn progression(vals: &[u32], max: u32) -> Option<(u32, u32)> {
    if vals.len() < 2 {
        return None;
    }
    let step = vals[1] - vals[0];
    let regular = vals.windows(2).all(|w| w[1] - w[0] == step);
    let last = *vals.last()?;
    (regular && last + step > max).then_some((vals[0], step))
}

/// Contiguous run `Some((a, b))` with at least three values.
fn run(vals: &[u32]) -> Option<(u32, u32)> {
    let (a, b) = (*vals.first()?, *vals.last()?);
    (vals.len() >= 3 && (b - a) as usize + 1 == vals.len()).then_some((a, b))
}

fn plural(n: u32, unit: &str) -> String {
    if n == 1 {
        format!("every {unit}")
    } else {
        format!("every {n} {unit}s")
    }
}

/// Go's `time.Duration.String()` for whole seconds (`1h30m0s`, `5m0s`, `45s`).
pub(crate) fn go_duration_string(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if secs < 60 {
        format!("{s}s")
    } else if secs < 3600 {
        format!("{m}m{s}s")
    } else {
        format!("{h}h{m}m{s}s")
    }
}

fn time_of_day(b: &SpecBits) -> Vec<String> {
    let mins = values(b.minute, 0, 59);
    let hours = values(b.hour, 0, 23);
    let secs = values(b.second, 0, 59);
    let mut parts = Vec::new();
    if mins.is_empty() || hours.is_empty() || secs.is_empty() {
        parts.push("never (a time field selects no value)".to_string());
        return parts;
    }
    if secs != [0] {
        parts.push(if secs.len() == 60 {
            "every second".to_string()
        } else {
            format!(
                "at second {}",
                join(&secs.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            )
        });
    }
    let all_hours = hours.len() == 24;
    match (mins.as_slice(), hours.as_slice()) {
        ([m], [h]) => parts.push(format!("at {h:02}:{m:02}")),
        ([m], hs) if hs.len() <= 4 => parts.push(format!(
            "at {}",
            join(
                &hs.iter()
                    .map(|h| format!("{h:02}:{m:02}"))
                    .collect::<Vec<_>>()
            )
        )),
        _ => {
            let minute_part = if mins.len() == 60 {
                "every minute".to_string()
            } else if let Some((first, step)) = progression(&mins, 59) {
                if first == 0 {
                    plural(step, "minute")
                } else {
                    format!("{} starting at minute {first}", plural(step, "minute"))
                }
            } else if let [m] = mins.as_slice() {
                if all_hours {
                    format!("at minute {m} of every hour")
                } else {
                    format!("at minute {m}")
                }
            } else {
                format!(
                    "at minutes {}",
                    join(&mins.iter().map(|m| m.to_string()).collect::<Vec<_>>())
                )
            };
            parts.push(minute_part);
            if !all_hours {
                parts.push(if let Some((a, z)) = run(&hours) {
                    format!("between {a:02}:00 and {z:02}:59")
                } else if let Some((first, step)) = progression(&hours, 23) {
                    format!("{} starting at {first:02}:00", plural(step, "hour"))
                } else {
                    format!(
                        "during hour {}",
                        join(&hours.iter().map(|h| format!("{h:02}")).collect::<Vec<_>>())
                    )
                });
            }
        }
    }
    parts
}

fn dom_text(vals: &[u32]) -> String {
    if let Some((a, z)) = run(vals) {
        return format!("on days {a}–{z} of the month");
    }
    if let Some((first, step)) = progression(vals, 31) {
        return format!("every {step} days of the month starting on day {first}");
    }
    let s: Vec<String> = vals.iter().map(|d| d.to_string()).collect();
    if s.len() == 1 {
        format!("on day {} of the month", s[0])
    } else {
        format!("on days {} of the month", join(&s))
    }
}

fn dow_text(vals: &[u32]) -> String {
    if let Some((a, z)) = run(vals) {
        return format!("{} through {}", DAYS[a as usize], DAYS[z as usize]);
    }
    format!(
        "on {}",
        join(
            &vals
                .iter()
                .map(|d| DAYS[*d as usize].to_string())
                .collect::<Vec<_>>()
        )
    )
}

fn month_text(vals: &[u32]) -> String {
    if let Some((a, z)) = run(vals) {
        return format!("{} through {}", MONTHS[a as usize], MONTHS[z as usize]);
    }
    format!(
        "in {}",
        join(
            &vals
                .iter()
                .map(|m| MONTHS[*m as usize].to_string())
                .collect::<Vec<_>>()
        )
    )
}

/// Longest month length among the selected months (February counts 29).
fn longest_month(months: &[u32]) -> u32 {
    months
        .iter()
        .map(|m| match m {
            2 => 29,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        })
        .max()
        .unwrap_or(0)
}

fn days(b: &SpecBits) -> Vec<String> {
    let dom = values(b.dom, 1, 31);
    let dow = values(b.dow, 0, 6);
    let months = values(b.month, 1, 12);
    let mut parts = Vec::new();
    let and_rule = b.dom & STAR_BIT != 0 || b.dow & STAR_BIT != 0;
    let mut never = false;
    if and_rule {
        if !full(b.dom, 1, 31) {
            parts.push(dom_text(&dom));
        }
        if !full(b.dow, 0, 6) {
            parts.push(dow_text(&dow));
        }
        never = dom.is_empty() || dow.is_empty() || dom[0] > longest_month(&months);
    } else if !(full(b.dom, 1, 31) || full(b.dow, 0, 6)) {
        // Both day fields restricted: robfig fires when either matches.
        let d = if dom.is_empty() {
            "no day of month".to_string()
        } else {
            dom_text(&dom)
        };
        let w = if dow.is_empty() {
            "no weekday".to_string()
        } else {
            dow_text(&dow)
        };
        parts.push(format!(
            "{d} or {w} (either matches, because both day fields are restricted)"
        ));
    }
    if !full(b.month, 1, 12) {
        parts.push(if months.is_empty() {
            "(never fires: no month selected)".to_string()
        } else {
            month_text(&months)
        });
    }
    if never {
        parts.push("which never fires (no such date)".to_string());
    }
    parts
}

pub(crate) fn describe(s: &Schedule) -> String {
    if let Some(secs) = s.constant_delay_secs() {
        return format!("every {} from the previous run", go_duration_string(secs));
    }
    let Some(b) = s.spec_bits() else {
        return String::new();
    };
    let mut parts = time_of_day(&b);
    parts.extend(days(&b));
    if let Some(tz) = s.location() {
        parts.push(format!("in time zone {}", tz.name()));
    }
    parts.join(", ")
}
