//! Resource limits: a scenario whose run would create an unbounded amount of output (say
//! `@every 1s` for ten years) is refused before it runs, instead of exhausting memory.
//!
//! A run writes a row per pod and Job and a line per event, and the in-memory commands keep
//! them all, so the bound is on what a run creates. [`estimate`] computes an upper-bound
//! style estimate from the manifests alone:
//!
//! * **Jobs**: for each CronJob that is not suspended at the start, the number of its schedule
//!   slots within the horizon (`@every D`: exactly `horizon / D`; a cron spec: counted exactly in
//!   the first [`SAMPLE`] of the horizon and extrapolated linearly for the rest), plus one per
//!   standalone Job. Policies (Forbid, deadlines) only lower the real number.
//! * **Pods**: each Job's pods without failures: `max(completions, parallelism, 1)`.
//!
//! [`check`] refuses a scenario above [`MAX_JOBS`] slots/Jobs or [`MAX_PODS`] pods (exit code 2).
//!
//! A schedule slot is counted even when two slots share a minute (`@every 30s`): the second one
//! collides on the Job name and is adopted, which still costs a sync and an event per slot.
//!
//! Why one million: `run` streams its rows to disk and keeps only the live objects, but the
//! in-memory commands (`watch`, `get`, `snapshot`, `compare`, sweeps) keep every row and event
//! of a run; measured on the lecture-style `*/1 * * * *` CronJob (one pod per Job, realistic
//! profile), such a run costs about 6 KB of memory and 1.3 KB of timeline text per Job (40 320
//! Jobs: 237 MB peak, 53 MB `.timeline`). One million Jobs is therefore about 6 GB, a quarter
//! of the 24 GB machines this project runs on, and 1.3 GB of output; ten million would not fit.

use crate::cluster::model::JobSpec;
use crate::error::{Error, Result};
use crate::scenario::horizon::{auto_cronjob_horizon, AUTO_HORIZON_CAP};
use crate::scenario::slots::{controller_zone, cronjob_schedule, Slots};
use crate::scenario::{Horizon, Manifest, Scenario};
use crate::schedule::Schedule;
use crate::sim::time::{Millis, Time, DAY};

/// The most schedule slots plus standalone Jobs a scenario may have within its horizon.
pub const MAX_JOBS: u64 = 1_000_000;

/// The most pods a scenario may create within its horizon (each pod is a row and ~6 events).
pub const MAX_PODS: u64 = 1_000_000;

/// The span of a cron schedule counted slot by slot before extrapolating: one week covers
/// every weekday, and a once-a-minute schedule is only 10 080 slots.
pub const SAMPLE: Millis = 7 * DAY;

/// How much a scenario would create.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Estimate {
    /// Jobs within the horizon, per object: (kind and name, Jobs, pods).
    pub per_object: Vec<(String, u64, u64)>,
    /// Total schedule slots of the CronJobs plus standalone Jobs.
    pub jobs: u64,
    /// Total pods without failures.
    pub pods: u64,
    /// The horizon the estimate used.
    pub horizon: Millis,
}

/// The horizon a run of `scenario` uses (the engine's rule for `Horizon::Auto`).
pub fn horizon_of(scenario: &Scenario) -> Millis {
    match scenario.horizon {
        Horizon::At(ms) => ms,
        Horizon::Auto => auto_cronjob_horizon(scenario).unwrap_or(AUTO_HORIZON_CAP),
    }
}

/// Schedule slots of `sched` in `(start, start + horizon)`: exact up to [`SAMPLE`], then
/// extrapolated (rounded up).
pub fn slots_within(sched: &Schedule, local: chrono_tz::Tz, start: Time, horizon: Millis) -> u64 {
    if horizon <= 0 {
        return 0;
    }
    if let Some(delay) = sched.constant_delay_secs() {
        return (horizon / (delay.max(1) * 1000)).max(0) as u64;
    }
    let window = horizon.min(SAMPLE);
    let end = start.plus(window);
    // At most one slot per minute: 10 080 for a week.
    let n = Slots::new(sched, local, start)
        .take_while(|&next| next < end)
        .count() as u64;
    if horizon <= window {
        return n;
    }
    let scaled = (n as u128 * horizon as u128).div_ceil(window as u128);
    u64::try_from(scaled).unwrap_or(u64::MAX)
}

fn pods_per_job(spec: &JobSpec) -> u64 {
    spec.completions
        .unwrap_or(0)
        .max(spec.parallelism)
        .max(1)
        .unsigned_abs() as u64
}

/// Estimates how many Jobs and pods a run of `scenario` creates (see the module docs).
pub fn estimate(scenario: &Scenario) -> Estimate {
    let horizon = horizon_of(scenario);
    let local = controller_zone(scenario);
    let mut e = Estimate {
        horizon,
        ..Estimate::default()
    };
    for m in &scenario.objects {
        let (what, jobs, per_job) = match m {
            Manifest::Job(j) => (format!("Job {:?}", j.meta.name), 1, pods_per_job(&j.spec)),
            Manifest::CronJob(c) => {
                // A suspended CronJob may be resumed by an action: count it all the same.
                let jobs = cronjob_schedule(c)
                    .map_or(0, |s| slots_within(&s, local, scenario.start, horizon));
                (
                    format!("CronJob {:?}", c.meta.name),
                    jobs,
                    pods_per_job(&c.spec.job_template.spec),
                )
            }
        };
        let pods = jobs.saturating_mul(per_job);
        e.jobs = e.jobs.saturating_add(jobs);
        e.pods = e.pods.saturating_add(pods);
        e.per_object.push((what, jobs, pods));
    }
    e
}

/// Refuses a scenario that would create more than [`MAX_JOBS`] Jobs or [`MAX_PODS`] pods.
pub fn check(scenario: &Scenario) -> Result<Estimate> {
    let e = estimate(scenario);
    // Seconds with three decimals, as the CSV files count time.
    let abs = e.horizon.unsigned_abs();
    let sign = if e.horizon < 0 { "-" } else { "" };
    let horizon = format!("{sign}{}.{:03}", abs / 1000, abs % 1000);
    let biggest = |by_pods: bool| {
        e.per_object
            .iter()
            .max_by_key(|o| if by_pods { o.2 } else { o.1 })
            .map(|o| o.0.clone())
            .unwrap_or_default()
    };
    if e.jobs > MAX_JOBS {
        return Err(Error::Input(format!(
            "scenario {:?} would create about {} Jobs (schedule slots) in {horizon} s (mostly {}), more than the limit of {MAX_JOBS}: shorten until or use a less frequent schedule",
            scenario.name,
            e.jobs,
            biggest(false)
        )));
    }
    if e.pods > MAX_PODS {
        return Err(Error::Input(format!(
            "scenario {:?} would create about {} pods in {horizon} s (mostly {}), more than the limit of {MAX_PODS}: shorten until or lower completions",
            scenario.name,
            e.pods,
            biggest(true)
        )));
    }
    Ok(e)
}
