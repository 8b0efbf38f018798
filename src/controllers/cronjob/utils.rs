//! Pure helpers of the CronJob controller, mirroring Kubernetes `pkg/controller/cronjob/utils.go`
//! (plus `getJobName`, `formatSchedule` and the `LoadLocation` check of
//! `cronjob_controllerv2.go`) so that upstream `utils_test.go` rows port one by one.
//!
//! Go's `time.Time` becomes [`Time`] (milliseconds); robfig's "zero time" (what `Next` returns
//! when nothing fires within five years) becomes [`GO_ZERO_TIME`], so the arithmetic on it
//! (e.g. `t2 − t1 == 0` for `59 23 31 2 *`) gives the same answers as in Go.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{Offset, SecondsFormat, TimeZone};
use chrono_tz::Tz;

use crate::cluster::model::{
    CronJob, CronJobOrigin, Job, JobConditionType, JobStatus, Kind, Meta, ObjectRef, Str,
    CRONJOB_SCHEDULED_ANNOTATION,
};
use crate::schedule::CronSchedule;
use crate::sim::time::{civil_from_days, Millis, Time, DAY, SECOND};

/// Go's zero `time.Time` (0001-01-01T00:00:00Z), which robfig's `Next` returns for "never".
pub const GO_ZERO_TIME: Time = Time(-62_135_596_800_000);

/// Upstream `nextScheduleDelta`: requeues land this long after a slot (realistic profile).
pub const NEXT_SCHEDULE_DELTA: Millis = 100;

/// Upstream `missedSchedulesType`: how many slots `mostRecentScheduleTime` thinks were missed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MissedSchedules {
    /// Nothing missed (`now` before the second slot after the earliest time).
    None,
    /// Between 1 and 100 (approximately) missed.
    Few,
    /// More than 100 missed: `TooManyMissedTimes` warning, but a Job is still created.
    Many,
}

/// robfig `Next` with Go's zero time for "never", so the upstream arithmetic carries over.
fn next_or_zero(schedule: &impl CronSchedule, after: Time) -> Time {
    schedule.next(after).unwrap_or(GO_ZERO_TIME)
}

/// Go `Duration.Round(time.Second).Seconds()` of a millisecond span (halves away from zero).
fn round_to_seconds(ms: Millis) -> i64 {
    if ms >= 0 {
        (ms + SECOND / 2) / SECOND
    } else {
        -((-ms + SECOND / 2) / SECOND)
    }
}

/// Upstream `mostRecentScheduleTime`: `(earliest, most recent unmet slot ≤ now, missed class)`.
///
/// `earliest` is `lastScheduleTime` if set, else `creationTimestamp`, moved forward to
/// `now − startingDeadlineSeconds` when `include_sds` and that is later. The error is the
/// "less than 1 second" one that surfaces never-firing schedules such as `59 23 31 2 *`.
pub fn most_recent_schedule_time(
    cj: &CronJob,
    now: Time,
    schedule: &impl CronSchedule,
    include_sds: bool,
) -> Result<(Time, Option<Time>, MissedSchedules), String> {
    let mut earliest = cj.status.last_schedule_time.unwrap_or(cj.meta.creation);
    let mut missed = MissedSchedules::None;
    if include_sds {
        if let Some(sds) = cj.spec.starting_deadline_seconds {
            // The controller is not going to schedule anything below this point.
            let deadline = now.plus(-sds.saturating_mul(SECOND));
            if deadline > earliest {
                earliest = deadline;
            }
        }
    }

    let t1 = next_or_zero(schedule, earliest);
    // Go would call Next(zero) here; a schedule that never fires after `earliest` gives the zero
    // time again, so skip the (pointless, year-1) search and use it directly.
    let t2 = if t1 == GO_ZERO_TIME {
        GO_ZERO_TIME
    } else {
        next_or_zero(schedule, t1)
    };

    if now < t1 {
        return Ok((earliest, None, missed));
    }
    if now < t2 {
        return Ok((earliest, Some(t1), missed));
    }

    // Unsatisfiable specs (`59 23 31 2 *`) give t1 == t2 == zero time, hence this error.
    let interval = round_to_seconds(t2.since(t1));
    if interval < 1 {
        return Err("time difference between two schedules is less than 1 second".to_string());
    }
    // Rough approximation as upstream: how many intervals fit between t1 and now. Go converts
    // the float seconds to int64, i.e. truncates.
    let elapsed = now.since(t1) / SECOND;
    let number_missed = elapsed / interval + 1;

    // Start one interval before the estimate so irregular schedules (`30 6-16/4 * * 1-5`) are
    // walked correctly, exactly as upstream does.
    let potential_earliest = t1.plus(
        (number_missed - 2)
            .saturating_mul(interval)
            .saturating_mul(SECOND),
    );
    let mut most_recent = None;
    let mut t = schedule.next(potential_earliest);
    while let Some(slot) = t {
        if slot > now {
            break;
        }
        most_recent = Some(slot);
        // Go would loop on the zero time here (Next(zero) ≤ now); stopping is the only sane
        // reading, and it cannot happen for a schedule that produced t1 and t2 above.
        t = schedule.next(slot);
    }

    if number_missed > 100 {
        missed = MissedSchedules::Many;
    } else if number_missed > 0 {
        missed = MissedSchedules::Few;
    }
    Ok((earliest, most_recent, missed))
}

/// Upstream `nextScheduleTime`: the most recent unmet slot honouring `startingDeadlineSeconds`
/// (`Ok(None)` when nothing is due) and its missed class; the caller emits
/// `TooManyMissedTimes` for [`MissedSchedules::Many`] and still starts the Job.
pub fn next_schedule_time(
    cj: &CronJob,
    now: Time,
    schedule: &impl CronSchedule,
) -> Result<Option<(Time, MissedSchedules)>, String> {
    let (_, most_recent, missed) = most_recent_schedule_time(cj, now, schedule, true)?;
    match most_recent {
        Some(t) if t <= now => Ok(Some((t, missed))),
        _ => Ok(None),
    }
}

/// Upstream `nextScheduleTimeDuration`: `Next(m) + delta − now`, where `m` is the most recent
/// slot ignoring the deadline (or `earliest` when nothing was missed, or `now`).
///
/// `delta` is [`NEXT_SCHEDULE_DELTA`] in the realistic profile and 0 in the ideal one. Only a
/// never-firing schedule (which `sync` reports as `InvalidSchedule` without requeueing) can
/// make the result negative, as in Go.
pub fn next_schedule_time_duration(
    cj: &CronJob,
    now: Time,
    schedule: &impl CronSchedule,
    delta: Millis,
) -> Millis {
    let m = match most_recent_schedule_time(cj, now, schedule, false) {
        // We still have to requeue at some point, so aim for the next slot from now.
        Err(_) => now,
        Ok((_, Some(t), _)) => t,
        Ok((earliest, None, MissedSchedules::None)) => earliest,
        // Missed slots but the approximate walk found none: always use now.
        Ok((_, None, _)) => now,
    };
    next_or_zero(schedule, m).plus(delta).since(now)
}

/// Upstream `getJobName`: `<cronjob name>-<scheduled unix seconds / 60>` (Go truncating
/// division; zone-independent).
pub fn get_job_name(cj: &CronJob, scheduled: Time) -> Str {
    let minutes = scheduled.unix_seconds() / 60;
    crate::cluster::model::concat(&[&cj.meta.name, "-", itoa::Buffer::new().format(minutes)])
}

/// Go `time.LoadLocation` as the controller calls it: `""`/`UTC` → UTC, `Local` → the
/// controller's zone, otherwise the tz database; the error text is Go's.
pub fn load_location(name: &str, local: Tz) -> Result<Tz, String> {
    if name.is_empty() || name == "UTC" {
        return Ok(Tz::UTC);
    }
    if name == "Local" {
        return Ok(local);
    }
    if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
        return Err("time: invalid location name".to_string());
    }
    name.parse::<Tz>()
        .map_err(|_| format!("unknown time zone {name}"))
}

/// Go `Format(time.RFC3339)` of an instant in a zone (`Z` for a zero offset, whole seconds).
pub fn format_rfc3339_in(t: Time, zone: Tz) -> Str {
    let off = if zone == Tz::UTC {
        0
    } else {
        zone.offset_from_utc_datetime(&t.to_utc().naive_utc())
            .fix()
            .local_minus_utc()
    };
    // Whole seconds of the local wall clock, formatted without chrono's strftime (one Job a
    // minute for a year is half a million of these); at most 25 bytes, so nearly always inline.
    let local = Time(t.unix_seconds() * 1000 + i64::from(off) * 1000);
    let mut out = Str::with_capacity(25);
    let days = local.0.div_euclid(DAY);
    if (-719_162..=2_932_896).contains(&days) {
        // Years 1..=9999: two digits at each fixed position of `YYYY-MM-DDTHH:MM:SS`.
        let (y, m, d) = civil_from_days(days);
        let s = local.0.rem_euclid(DAY) / SECOND;
        let mut text = *b"0000-00-00T00:00:00";
        let fields = [y / 100, y % 100, m, d, s / 3600, s / 60 % 60, s % 60];
        for (at, v) in [0, 2, 5, 8, 11, 14, 17].into_iter().zip(fields) {
            text[at] = b'0' + (v / 10) as u8;
            text[at + 1] = b'0' + (v % 10) as u8;
        }
        out.push_str(std::str::from_utf8(&text).unwrap_or_default());
    } else {
        // Outside them chrono adds a sign and more digits (and the first 19 bytes are kept).
        out.push_str(&local.to_utc().to_rfc3339_opts(SecondsFormat::Millis, true)[..19]);
    }
    if off == 0 {
        out.push('Z');
    } else {
        let a = off.abs();
        out.push(if off < 0 { '-' } else { '+' });
        for (n, sep) in [(a / 3600, ":"), ((a % 3600) / 60, "")] {
            out.push(char::from(b'0' + (n / 10) as u8));
            out.push(char::from(b'0' + (n % 10) as u8));
            out.push_str(sep);
        }
    }
    out
}

/// Go `Format(time.RFC1123Z)` in UTC, as the (unreachable) `MissSchedule` message uses.
pub fn format_rfc1123z_utc(t: Time) -> String {
    t.to_utc().format("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// Upstream `getJobFromTemplate2`: the Job a CronJob creates for `scheduled`.
///
/// Labels and annotations are copied from the job template, plus the
/// `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation in RFC 3339 rendered in
/// `spec.timeZone` (UTC when unset, like Go's `LoadLocation("")`; an unloadable zone, which
/// `sync` rejects earlier, also falls back to UTC). The controller ownerRef points at the
/// CronJob. `creationTimestamp` is what the API server would stamp (`now`, whole seconds) —
/// upstream's request value (the scheduled time) is overwritten on create. The UID is left
/// at its default; [`crate::controllers::cronjob::controller::sync`] sets it to the store's next UID.
pub fn get_job_from_template2(cj: &CronJob, scheduled: Time, now: Time, local: Tz) -> Job {
    let template = &cj.spec.job_template;
    let mut annotations: BTreeMap<Str, Str> = template.annotations.clone();
    let zone = load_location(cj.spec.time_zone.as_deref().unwrap_or(""), local).unwrap_or(Tz::UTC);
    annotations.insert(
        Str::const_new(CRONJOB_SCHEDULED_ANNOTATION),
        format_rfc3339_in(scheduled, zone),
    );
    Job {
        meta: Meta {
            name: get_job_name(cj, scheduled),
            namespace: cj.meta.namespace.clone(),
            creation: now.floor_second(),
            created_at: now,
            owner: Some(ObjectRef {
                kind: Kind::CronJob,
                namespace: cj.meta.namespace.clone(),
                name: cj.meta.name.clone(),
                uid: cj.meta.uid,
            }),
            labels: template.labels.clone(),
            annotations,
            generation: 1,
            ..Meta::default()
        },
        spec: template.spec.clone(),
        status: JobStatus::default(),
        origin: Some(CronJobOrigin {
            cronjob: cj.meta.name.clone(),
            scheduled,
        }),
    }
}

/// `jobutil.FinishedCondition`: the type of the first true `Complete`/`Failed` condition.
pub fn finished_condition(job: &Job) -> Option<JobConditionType> {
    job.status.finished().map(|c| c.kind)
}

/// `jobutil.IsJobSucceeded`: a `Complete` condition with status True.
pub fn is_job_succeeded(job: &Job) -> bool {
    job.status.condition(JobConditionType::Complete).is_some()
}

/// `metav1.IsControlledBy`: the Job's controller ownerRef carries the CronJob's UID.
pub fn is_controlled_by(job: &Job, cj: &CronJob) -> bool {
    job.meta
        .owner
        .as_ref()
        .is_some_and(|o| o.uid == cj.meta.uid)
}

/// Upstream `byJobStartTime`: startTime ascending, jobs without startTime last, ties by name.
pub fn by_job_start_time(a: &Job, b: &Job) -> Ordering {
    match (a.status.start_time, b.status.start_time) {
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (x, y) if x == y => a.meta.name.cmp(&b.meta.name),
        (x, y) => x.cmp(&y),
    }
}

/// Upstream `inActiveList`: `status.active` holds a ref with this UID.
pub fn in_active_list(cj: &CronJob, uid: crate::cluster::model::Uid) -> bool {
    cj.status.active.iter().any(|r| r.uid == uid)
}

/// Upstream `inActiveListByName`: `status.active` holds a ref with this name and namespace.
pub fn in_active_list_by_name(cj: &CronJob, name: &str, namespace: &str) -> bool {
    cj.status
        .active
        .iter()
        .any(|r| r.name == name && r.namespace == namespace)
}

/// Upstream `deleteFromActiveList`: drops every ref with this UID.
pub fn delete_from_active_list(cj: &mut CronJob, uid: crate::cluster::model::Uid) {
    cj.status.active.retain(|r| r.uid != uid);
}
