// Shared builders for the CronJob controller tests (`crate::cronjob::fixtures`),
// mirroring the fixtures of Kubernetes `utils_test.go` / `cronjob_controllerv2_test.go`.

use crate::util::{self, container, meta, owner_ref, pod_template};
use batchsim::cluster::model::{
    CronJob, Job, JobCondition, JobConditionType, JobSpec, JobStatus, Kind, Meta, RestartPolicy,
    Uid,
};
use batchsim::sim::time::{Millis, Time, MINUTE, SECOND};
use chrono::{TimeZone, Utc};

/// A wall-clock instant in UTC.
pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Time {
    Time(
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .unwrap()
            .timestamp_millis(),
    )
}

/// Upstream `topOfTheHour()`: 2016-05-19T10:00:00Z (a Thursday).
pub fn top_of_the_hour() -> Time {
    utc(2016, 5, 19, 10, 0, 0)
}

/// Upstream `deltaTimeAfterTopOfTheHour(d)`.
pub fn delta_after_top(d: Millis) -> Time {
    top_of_the_hour().plus(d)
}

/// Upstream `justAfterThePriorHour()`: 09:01.
pub fn just_after_the_prior_hour() -> Time {
    utc(2016, 5, 19, 9, 1, 0)
}
/// Upstream `justBeforeThePriorHour()`: 08:59.
pub fn just_before_the_prior_hour() -> Time {
    utc(2016, 5, 19, 8, 59, 0)
}
/// Upstream `justAfterTheHour()`: 10:01.
pub fn just_after_the_hour() -> Time {
    utc(2016, 5, 19, 10, 1, 0)
}
/// Upstream `justBeforeTheHour()`: 09:59.
pub fn just_before_the_hour() -> Time {
    utc(2016, 5, 19, 9, 59, 0)
}
/// Upstream `justBeforeTheNextHour()`: 10:59.
pub fn just_before_the_next_hour() -> Time {
    utc(2016, 5, 19, 10, 59, 0)
}
/// Upstream `weekAfterTheHour()`: 2016-05-26T10:00.
pub fn week_after_the_hour() -> Time {
    utc(2016, 5, 26, 10, 0, 0)
}

pub const HOURS: Millis = 60 * MINUTE;
pub const SECS: Millis = SECOND;

/// Upstream `jobSpec()`: parallelism 1, completions 1, one `foo/bar` container, template
/// labels {foo: bar}.
pub fn job_spec() -> JobSpec {
    let mut c = container("c", 0.0, 0, false);
    c.image = "foo/bar".to_string();
    let mut template = pod_template(vec![c], RestartPolicy::Never);
    template.labels.insert("foo".into(), "bar".into());
    util::job_spec(template)
}

/// Upstream `cronJob()`: `mycronjob` in `snazzycats`, schedule `* * * * ?`, Allow, template
/// labels {a: b} and annotations {x: y}, created just before the hour; API defaults applied.
pub fn cron_job() -> CronJob {
    let mut cj = util::cron_job("snazzycats", "mycronjob", "* * * * ?", job_spec());
    cj.meta.uid = Uid(1);
    cj.meta.creation = just_before_the_hour();
    cj.meta.created_at = just_before_the_hour();
    cj.meta.generation = 1;
    let template = &mut cj.spec.job_template;
    template.labels.insert("a".into(), "b".into());
    template.annotations.insert("x".into(), "y".into());
    cj
}

/// A CronJob with only the fields `mostRecentScheduleTime` reads.
pub fn cj_with(schedule: &str, creation: Time, lst: Option<Time>, sds: Option<i64>) -> CronJob {
    let mut cj = cron_job();
    cj.spec.schedule = schedule.to_string();
    cj.meta.creation = creation;
    cj.meta.created_at = creation;
    cj.status.last_schedule_time = lst;
    cj.spec.starting_deadline_seconds = sds;
    cj
}

/// A bare Job with a name, start time and the CronJob as controller.
pub fn bare_job(name: &str, uid: u64, start: Option<Time>) -> Job {
    Job {
        meta: Meta {
            uid: Uid(uid),
            owner: Some(owner_ref(Kind::CronJob, &cron_job().meta)),
            ..meta("snazzycats", name)
        },
        spec: job_spec(),
        status: JobStatus {
            start_time: start,
            ..JobStatus::default()
        },
        origin: None,
    }
}

/// Marks a Job finished with a true condition of this type.
pub fn finish(job: &mut Job, kind: JobConditionType, at: Time) {
    job.status.conditions.push(JobCondition {
        kind,
        status: true,
        reason: Default::default(),
        message: Default::default(),
        last_transition: at,
    });
    if kind == JobConditionType::Complete {
        job.status.completion_time = Some(at);
    }
}
