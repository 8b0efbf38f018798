// Shared helpers for the schedule tests (`crate::schedule::robfig_time`), mirroring robfig's
// `getTime`/`getTimeTZ`: local-layout times are read in the test's "Local" zone (UTC here),
// ISO times carry their own offset, and a `TZ=<zone> ` prefix sets the zone of the instant.

use batchsim::sim::time::Time;
use chrono::{DateTime, NaiveDateTime};
use chrono_tz::Tz;

/// The zone robfig's tests run in as `time.Local`; the vectors do not depend on it.
pub const LOCAL: Tz = chrono_tz::UTC;

/// robfig `getTime`: returns the instant and the zone the Go `time.Time` would carry.
pub fn get_time(value: &str) -> (Time, Tz) {
    let (zone, value) = match value.strip_prefix("TZ=") {
        Some(rest) => {
            let (z, v) = rest.split_once(' ').expect("zone and time");
            (z.parse::<Tz>().expect("known zone"), v)
        }
        None => (LOCAL, value),
    };
    // Go ignores the weekday name when parsing (some upstream vectors name the wrong day).
    let dateish = match value.split_once(' ') {
        Some((w, rest)) if w.len() == 3 && w.chars().all(|c| c.is_ascii_alphabetic()) => rest,
        _ => value,
    };
    for layout in ["%b %e %H:%M %Y", "%b %e %H:%M:%S%.f %Y"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(dateish, layout) {
            use chrono::TimeZone;
            let dt = zone.from_local_datetime(&n).single().expect("unambiguous");
            return (Time(dt.timestamp_millis()), zone);
        }
    }
    let dt = DateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%z")
        .unwrap_or_else(|e| panic!("time value {value}: {e}"));
    (Time(dt.timestamp_millis()), zone)
}
