//! Cron schedules with robfig/cron v3.0.1 semantics (what Kubernetes uses): parsing, `Next`,
//! `@every`, time zones and DST. See ARCHITECTURE.md for why this is not the `cron` crate.

use crate::time::Time;
use chrono_tz::Tz;

/// A parse error, displayed with robfig/cron's exact text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ScheduleError(pub String);

/// A parsed schedule (robfig `SpecSchedule` or `ConstantDelaySchedule`).
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    _todo: (),
}

impl Schedule {
    /// Parses like robfig's `cron.ParseStandard` (5 fields, descriptors, optional `TZ=` prefix).
    pub fn parse_standard(spec: &str) -> Result<Schedule, ScheduleError> {
        let _ = spec;
        Err(ScheduleError("not implemented".into()))
    }

    /// The first fire time strictly after `after`, evaluated in the schedule's own zone (from a
    /// `TZ=` prefix) or else in `local` (robfig: the zone of the argument). `None` when robfig
    /// returns the zero time (nothing within its 5-year search window).
    pub fn next(&self, after: Time, local: Tz) -> Option<Time> {
        let _ = (after, local);
        None
    }
}
