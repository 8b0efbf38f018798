//! The one walk over a CronJob's schedule slots: its fire times after an instant, in the
//! controller's zone, exactly as the CronJob controller computes them (robfig's `Next` on the
//! spec string of upstream `formatSchedule`, `pkg/controller/cronjob/utils.go`). The charts'
//! slot lines, the resource limits and `batchsim schedule` all walk it.

use chrono_tz::Tz;

use crate::cluster::model::CronJob;
use crate::scenario::Scenario;
use crate::schedule::{self, Schedule};
use crate::sim::time::Time;

/// The zone the CronJob controller runs in (`TZ=Local` schedules resolve to it); UTC when the
/// scenario names none it can load.
pub fn controller_zone(scenario: &Scenario) -> Tz {
    schedule::validate_time_zone(&scenario.controller_time_zone).unwrap_or(chrono_tz::UTC)
}

/// A CronJob's schedule as the controller parses it, or `None` when it does not parse (the
/// controller then reports `InvalidSchedule` and never fires).
pub fn cronjob_schedule(cj: &CronJob) -> Option<Schedule> {
    let spec = schedule::controller_spec(&cj.spec.schedule, cj.spec.time_zone.as_deref());
    Schedule::parse_standard(&spec).ok()
}

/// The fire times of a schedule strictly after an instant, in order; ends where robfig's
/// five-year search finds none.
#[derive(Clone, Debug)]
pub struct Slots<'a> {
    schedule: &'a Schedule,
    local: Tz,
    after: Time,
}

impl<'a> Slots<'a> {
    /// The slots of `schedule` after `after`, with `local` as the controller's zone.
    pub fn new(schedule: &'a Schedule, local: Tz, after: Time) -> Slots<'a> {
        Slots {
            schedule,
            local,
            after,
        }
    }
}

impl Iterator for Slots<'_> {
    type Item = Time;

    fn next(&mut self) -> Option<Time> {
        let next = self.schedule.next(self.after, self.local)?;
        self.after = next;
        Some(next)
    }
}
