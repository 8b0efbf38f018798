//! `batchsim schedule`: a CronJob schedule read in plain words and its next fire times, as the
//! CronJob controller computes them.

use crate::error::Result;
use crate::output::timefmt::rfc3339_millis;

/// `batchsim schedule`: a plain-words reading of a CronJob schedule, then its next `n` fire
/// times after `from` (default: the scenario default start) in RFC 3339 with the zone's offset,
/// exactly as the CronJob controller computes them. `tz` is `spec.timeZone`.
pub fn schedule_command(
    expr: &str,
    tz: Option<&str>,
    from: Option<&str>,
    n: usize,
) -> Result<String> {
    use crate::scenario::slots::Slots;
    use crate::schedule::{self, Schedule};
    use crate::sim::time::Time;
    let mut problems: Vec<String> = schedule::validate_schedule_for_create(expr)
        .iter()
        .map(|e| e.format("spec.schedule"))
        .collect();
    let zone = match tz {
        Some(z) => match schedule::validate_time_zone(z) {
            Ok(zone) => Some(zone),
            Err(msg) => {
                problems.push(format!("spec.timeZone: Invalid value: \"{z}\": {msg}"));
                None
            }
        },
        None => None,
    };
    if !problems.is_empty() {
        return Err(crate::Error::Input(problems.join(", ")));
    }
    let sched = Schedule::parse_standard(&schedule::controller_spec(expr, tz)).map_err(|e| {
        crate::Error::Input(format!("spec.schedule: Invalid value: \"{expr}\": {e}"))
    })?;
    let from_text = from.unwrap_or(crate::scenario::DEFAULT_START);
    let start = crate::scenario::load::duration::parse_instant(from_text)
        .map_err(|e| crate::Error::Input(format!("--from: {e}")))?;
    let display = zone.unwrap_or(chrono_tz::UTC);
    let mut out = String::new();
    let zone_words = tz.map_or_else(
        || "UTC, the controller's zone".to_string(),
        |z| z.to_string(),
    );
    out.push_str(&format!("{expr} ({zone_words}): {}\n", sched.describe()));
    // The controller's zone is UTC, as in a scenario that names none.
    let mut last: Time = start;
    let mut shown = 0;
    for next in Slots::new(&sched, chrono_tz::UTC, start).take(n) {
        let local = next.to_utc().with_timezone(&display);
        let text = if tz.is_none() {
            local.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        } else {
            local.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
        };
        out.push_str(&format!("{text}\n"));
        last = next;
        shown += 1;
    }
    if shown < n {
        out.push_str(&format!(
            "{} within robfig/cron's five-year search from {}: the CronJob controller would report InvalidSchedule\n",
            if shown == 0 { "never fires" } else { "no further fire time" },
            rfc3339_millis(last)
        ));
    }
    Ok(out)
}
