//! The automatic horizon of a scenario (`Horizon::Auto`): long enough to show a CronJob's first
//! slots and their Jobs' runs, never longer than [`AUTO_HORIZON_CAP`].

use crate::scenario::{Manifest, Scenario};
use crate::schedule;
use crate::sim::time::{Millis, DAY, MINUTE};

/// The upper bound of an automatic horizon, so that a scenario can never run forever.
pub const AUTO_HORIZON_CAP: Millis = 30 * DAY;

/// How many schedule slots the automatic horizon shows for CronJobs.
pub const AUTO_HORIZON_SLOTS: usize = 10;

/// The automatic horizon of a scenario with CronJobs: the latest over its CronJobs of their
/// tenth schedule slot after the start, plus the template's longest container run time, its
/// termination grace period and one minute, rounded up to a whole minute and capped at
/// [`AUTO_HORIZON_CAP`]. `None` without CronJobs (the run then lasts until nothing is pending).
pub fn auto_cronjob_horizon(scenario: &Scenario) -> Option<Millis> {
    let local =
        schedule::validate_time_zone(&scenario.controller_time_zone).unwrap_or(chrono_tz::UTC);
    let mut best: Option<Millis> = None;
    for m in &scenario.objects {
        let Manifest::CronJob(cj) = m else { continue };
        let spec = schedule::controller_spec(&cj.spec.schedule, cj.spec.time_zone.as_deref());
        let Ok(sched) = schedule::Schedule::parse_standard(&spec) else {
            continue;
        };
        let mut t = scenario.start;
        let mut last = None;
        for _ in 0..AUTO_HORIZON_SLOTS {
            match sched.next(t, local) {
                Some(n) => {
                    t = n;
                    last = Some(n);
                }
                None => break,
            }
        }
        let Some(last) = last else { continue };
        let tpl = &cj.spec.job_template.spec.template;
        let longest = tpl
            .containers
            .iter()
            .map(|c| c.behavior.run.representative())
            .max()
            .unwrap_or(0);
        // Saturating: the run time and terminationGracePeriodSeconds come from the manifest
        // unbounded; the result is capped at AUTO_HORIZON_CAP below.
        let raw = last
            .since(scenario.start)
            .saturating_add(longest)
            .saturating_add(tpl.termination_grace_seconds.saturating_mul(1000))
            .saturating_add(MINUTE);
        let rounded = raw.saturating_add(MINUTE - 1) / MINUTE * MINUTE;
        best = Some(best.map_or(rounded, |b: Millis| b.max(rounded)));
    }
    best.map(|b| b.min(AUTO_HORIZON_CAP))
}
