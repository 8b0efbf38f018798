//! Ports of Kubernetes `pkg/controller/cronjob/cronjob_controllerv2_test.go` (newest copy:
//! zongruxie4/kubernetes 4646ccd74f61): the TestControllerV2SyncCronJob rows the simulator can
//! express (in `table`), TestControllerV2CleanupFinishedJobs,
//! TestControllerV2GetJobsToBeReconciled, TestControllerV2UpdateCronJob and the two "job already
//! exists" tests.

use crate::cronjob::fixtures::*;
use crate::util::owner_ref;
use batchsim::cluster::model::{
    ConcurrencyPolicy, CronJob, EventType, Job, JobConditionType, Kind, ObjectRef, Propagation, Uid,
};
use batchsim::cluster::store::{OldSchedule, Store};
use batchsim::controllers::cronjob::controller::{sync, sync_cron_job, CronJobContext, JobControl};
use batchsim::controllers::cronjob::handlers::CronJobController;
use batchsim::controllers::cronjob::schedules::ScheduleCache;
use batchsim::controllers::cronjob::utils::{
    get_job_from_template2, GO_ZERO_TIME, NEXT_SCHEDULE_DELTA,
};
use batchsim::controllers::Action;
use batchsim::controllers::Enqueue;
use batchsim::sim::time::{Millis, Time, MINUTE};
use chrono_tz::Tz;
use std::cell::Cell;

const SHORT_DEAD: i64 = 10;
const MEDIUM_DEAD: i64 = 2 * 60 * 60;
const LONG_DEAD: i64 = 1_000_000;
const ON_THE_HOUR: &str = "0 * * * ?";
const EVERY_HOUR: &str = "@every 1h";
const ERROR_SCHEDULE: &str = "obvious error schedule";
const ERROR_TIME_ZONE: &str = "bad timezone";
const NEW_YORK: &str = "America/New_York";
const DELTA: Millis = NEXT_SCHEDULE_DELTA;

/// Upstream `fakeJobControl` (`pkg/controller/cronjob/injection.go`): GETs answered by
/// `by_name`, created Jobs given UIDs from `next_uid` on.
struct FakeJobControl<'a> {
    by_name: &'a dyn Fn(&str) -> Option<&'a Job>,
    next_uid: Cell<u64>,
}

impl JobControl for FakeJobControl<'_> {
    fn get_job(&self, name: &str) -> Option<&Job> {
        (self.by_name)(name)
    }

    fn create_job(&self, mut job: Job) -> Job {
        job.meta.uid = Uid(self.next_uid.get());
        self.next_uid.set(self.next_uid.get() + 1);
        job
    }
}

fn ctx_from<'a>(
    job_by_name: &'a dyn Fn(&str) -> Option<&'a Job>,
    next_uid: u64,
) -> CronJobContext<'a> {
    // Leaked: a test process is short-lived, and the context must outlive this helper.
    let jobs = Box::leak(Box::new(FakeJobControl {
        by_name: job_by_name,
        next_uid: Cell::new(next_uid),
    }));
    CronJobContext {
        local_zone: Tz::UTC,
        requeue_delta: DELTA,
        jobs,
    }
}

fn ctx<'a>(job_by_name: &'a dyn Fn(&str) -> Option<&'a Job>) -> CronJobContext<'a> {
    ctx_from(job_by_name, 9000)
}

fn job_ref(job: &Job) -> ObjectRef {
    owner_ref(Kind::Job, &job.meta)
}

mod table;

/// The controller keeps each CronJob's parse across syncs; a changed `spec.schedule` or
/// `spec.timeZone` must be parsed anew (upstream parses `formatSchedule(cj)` on every sync). With
/// lastScheduleTime at 10:00 and now 10:01, the requeue is the next slot after 10:00, plus the
/// delta: `0 * * * *` → 11:00 UTC; in Asia/Kolkata (UTC+5:30) → 10:30 UTC; `15 * * * *` there →
/// 10:45 UTC; back to `0 * * * *` without a zone → 11:00 UTC.
#[test]
fn kept_schedule_follows_schedule_and_time_zone_changes() {
    let mut cj = cron_job();
    cj.status.last_schedule_time = Some(top_of_the_hour());
    let none = |_: &str| -> Option<&Job> { None };
    let ctx = ctx(&none);
    let mut schedules = ScheduleCache::default();
    let steps: [(&str, Option<&str>, Millis); 4] = [
        ("0 * * * *", None, 59 * MINUTE),
        ("0 * * * *", Some("Asia/Kolkata"), 29 * MINUTE),
        ("15 * * * *", Some("Asia/Kolkata"), 44 * MINUTE),
        ("0 * * * *", None, 59 * MINUTE),
    ];
    for (schedule, zone, wait) in steps {
        cj.spec.schedule = schedule.to_string();
        cj.spec.time_zone = zone.map(str::to_string);
        let res = sync(just_after_the_hour(), &cj, &[], &ctx, &mut schedules);
        assert_eq!(
            res.requeue_after,
            Some(wait + DELTA),
            "{schedule} in {zone:?}"
        );
        assert!(
            res.actions.is_empty(),
            "{schedule} in {zone:?}: {:?}",
            res.actions
        );
    }
}

#[test]
fn sync_emits_expected_reasons_and_messages() {
    // "never ran, is time, A" through the full sync: one Job, SuccessfulCreate, one status write
    // with the new Job (UID from the context) active and lastScheduleTime = the nominal slot.
    let mut cj = cron_job();
    cj.spec.schedule = ON_THE_HOUR.to_string();
    let none = |_: &str| -> Option<&Job> { None };
    let ctx = ctx(&none);
    let res = sync(
        just_after_the_hour(),
        &cj,
        &[],
        &ctx,
        &mut ScheduleCache::default(),
    );
    assert_eq!(res.requeue_after, Some(HOURS - MINUTE + DELTA));
    let [Action::CreateJob { job }, Action::Event(e), Action::UpdateCronJobStatus { cronjob, status }] =
        res.actions.as_slice()
    else {
        panic!("unexpected actions {:#?}", res.actions);
    };
    assert_eq!(job.meta.name, "mycronjob-24394200");
    assert_eq!(job.meta.uid, Uid(9000));
    assert_eq!(
        job.meta
            .annotations
            .get(batchsim::cluster::model::CRONJOB_SCHEDULED_ANNOTATION)
            .map(|v| v.as_str()),
        Some("2016-05-19T10:00:00Z")
    );
    assert_eq!(
        (e.reason.as_ref(), e.message.as_str()),
        ("SuccessfulCreate", "Created job mycronjob-24394200")
    );
    assert_eq!(
        (e.kind, e.name.as_str(), e.time),
        (Kind::CronJob, "mycronjob", just_after_the_hour())
    );
    assert_eq!(*cronjob, cj.meta.uid);
    assert_eq!(status.active, vec![job_ref(job)]);
    assert_eq!(status.last_schedule_time, Some(top_of_the_hour()));
}

#[test]
fn history_limit_zero_swallows_saw_completed_job() {
    // The full sync runs `cleanupFinishedJobs` before `syncCronJob`
    // (pkg/controller/cronjob/cronjob_controllerv2.go): it deletes the finished job (limit 0) and
    // drops it from active, so no SawCompletedJob; lastSuccessfulTime is still set.
    let mut cj = cron_job();
    cj.spec.schedule = ON_THE_HOUR.to_string();
    cj.spec.successful_jobs_history_limit = 0;
    cj.meta.creation = just_before_the_prior_hour();
    cj.status.last_schedule_time = Some(just_after_the_prior_hour());
    let mut j = get_job_from_template2(
        &cj,
        just_after_the_prior_hour(),
        just_after_the_prior_hour(),
        Tz::UTC,
    );
    j.meta.uid = Uid(1234);
    cj.status.active = vec![job_ref(&j)];
    let done = just_after_the_prior_hour().plus(10 * SECS);
    finish(&mut j, JobConditionType::Complete, done);
    let lookup = |_: &str| -> Option<&Job> { None };
    let res = sync(
        just_before_the_hour(),
        &cj,
        &[&j],
        &ctx(&lookup),
        &mut ScheduleCache::default(),
    );
    let reasons: Vec<&str> = res
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Event(e) => Some(e.reason.as_ref()),
            _ => None,
        })
        .collect();
    assert_eq!(reasons, ["SuccessfulDelete"]);
    assert!(matches!(
        res.actions[0],
        Action::DeleteJob {
            job: Uid(1234),
            propagation: Propagation::Background
        }
    ));
    let Some(Action::UpdateCronJobStatus { status, .. }) = res.actions.last() else {
        panic!("no status write: {:#?}", res.actions);
    };
    assert!(status.active.is_empty());
    assert_eq!(status.last_successful_time, Some(done));
}

#[test]
fn test_controller_v2_cleanup_finished_jobs() {
    struct CleanupRow {
        name: &'static str,
        now: Time,
        limit: i32,
        jobs: Vec<(&'static str, Time)>,
        expected_deleted: Vec<&'static str>,
    }
    let rows = [
        CleanupRow {
            name: "jobs are still deleted when a cronjob can't create jobs due to jobs quota being reached (avoiding a deadlock)",
            now: just_after_the_hour(),
            limit: 1,
            jobs: vec![
                ("finished-job-started-hour-ago", just_before_the_prior_hour()),
                ("finished-job-started-minute-ago", just_before_the_hour()),
            ],
            expected_deleted: vec!["finished-job-started-hour-ago"],
        },
        CleanupRow {
            name: "jobs are not deleted if history limit not reached",
            now: just_before_the_hour(),
            limit: 2,
            jobs: vec![("finished-job-started-hour-ago", just_before_the_prior_hour())],
            expected_deleted: vec![],
        },
    ];
    for row in rows {
        let mut cj = cron_job();
        cj.meta.name = "fooer".into();
        cj.meta.namespace = "foo-ns".into();
        cj.spec.schedule = ON_THE_HOUR.to_string();
        cj.spec.successful_jobs_history_limit = row.limit;
        cj.status.last_schedule_time = Some(just_after_the_prior_hour());
        let jobs: Vec<Job> = row
            .jobs
            .iter()
            .enumerate()
            .map(|(i, (n, start))| {
                let mut j = bare_job(n, 100 + i as u64, Some(*start));
                j.meta.namespace = "foo-ns".into();
                // Upstream's ownerRef carries only the name (no UID).
                j.meta.owner = Some(ObjectRef {
                    kind: Kind::CronJob,
                    namespace: "foo-ns".into(),
                    name: "fooer".into(),
                    uid: Uid(0),
                });
                // Upstream sets only the condition; completionTime stays nil.
                finish(&mut j, JobConditionType::Complete, row.now);
                j.status.completion_time = None;
                j
            })
            .collect();
        let children: Vec<&Job> = jobs.iter().collect();
        let lookup = |n: &str| jobs.iter().find(|j| j.meta.name == n);
        let res = sync(
            row.now,
            &cj,
            &children,
            &ctx(&lookup),
            &mut ScheduleCache::default(),
        );
        let mut deleted: Vec<&str> = res
            .actions
            .iter()
            .filter_map(|a| match a {
                Action::DeleteJob { job, .. } => jobs
                    .iter()
                    .find(|j| j.meta.uid == *job)
                    .map(|j| j.meta.name.as_str()),
                _ => None,
            })
            .collect();
        deleted.sort();
        assert_eq!(deleted, row.expected_deleted, "{}", row.name);
    }
}

#[test]
fn test_controller_v2_get_jobs_to_be_reconciled() {
    let mut cj = cron_job();
    cj.meta.name = "fooer".into();
    cj.meta.namespace = "foo-ns".into();
    let job = |name: &str, ns: &str, owner: Option<&str>| {
        let mut j = bare_job(name, 1, None);
        j.meta.namespace = ns.into();
        j.meta.owner = owner.map(|o| ObjectRef {
            kind: Kind::CronJob,
            namespace: ns.into(),
            name: o.into(),
            uid: Uid(0),
        });
        j
    };
    let rows: [(&str, Vec<Job>, Vec<&str>); 5] = [
        (
            "test getting jobs in namespace without controller reference",
            vec![
                job("foo", "foo-ns", None),
                job("foo1", "foo-ns", None),
                job("foo2", "foo-ns", None),
            ],
            vec![],
        ),
        (
            "test getting jobs in namespace with a controller reference",
            vec![
                job("foo", "foo-ns", None),
                job("foo1", "foo-ns", Some("fooer")),
                job("foo2", "foo-ns", None),
            ],
            vec!["foo1"],
        ),
        (
            "test getting jobs in other namespaces",
            vec![
                job("foo", "bar-ns", None),
                job("foo1", "bar-ns", None),
                job("foo2", "bar-ns", None),
            ],
            vec![],
        ),
        (
            "test getting jobs whose labels do not match job template",
            vec![
                job("foo-fooer-owner-ref", "foo-ns", Some("fooer")),
                job("foo-other-owner-ref", "foo-ns", Some("another-cronjob")),
            ],
            vec!["foo-fooer-owner-ref"],
        ),
        // Not an upstream row: upstream's filter reads only `controllerRef.Name`, so a Job
        // controlled by another kind of owner with the CronJob's name is reconciled too.
        (
            "test getting jobs whose controller of another kind has the cronjob's name",
            vec![{
                let mut j = job("foo-job-owned", "foo-ns", Some("fooer"));
                if let Some(o) = j.meta.owner.as_mut() {
                    o.kind = Kind::Job;
                }
                j
            }],
            vec!["foo-job-owned"],
        ),
    ];
    // The controller reads `getJobsToBeReconciled` from the store's index of Jobs by their
    // controller ownerReference's name.
    for (name, jobs, expected) in rows {
        let mut store = Store::new();
        for (i, mut j) in jobs.into_iter().enumerate() {
            j.meta.uid = Uid(i as u64 + 1);
            store.insert_job(j);
        }
        let got: Vec<&str> = store
            .jobs_of_cronjob_named(&cj.meta.namespace, &cj.meta.name)
            .iter()
            .map(|j| j.meta.name.as_str())
            .collect();
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn test_controller_v2_update_cron_job() {
    // Upstream: jm.now = justASecondBeforeTheHour (09:59:59); expectedDelay 0 means "not delayed"
    // (either an immediate Add or, for an unparseable schedule, nothing queued).
    let now = utc(2016, 5, 19, 9, 59, 59);
    let mk = |schedule: &str, tz: Option<&str>, label: &str, lst: Option<Time>| {
        let mut cj = cron_job();
        cj.meta.creation = GO_ZERO_TIME;
        cj.spec.schedule = schedule.to_string();
        cj.spec.time_zone = tz.map(str::to_string);
        cj.spec.job_template.labels.insert("a".into(), label.into());
        cj.status.last_schedule_time = lst;
        cj
    };
    let lst = Some(just_before_the_hour());
    let rows: [(&str, CronJob, CronJob, Millis); 6] = [
        (
            "spec.template changed",
            mk("", None, "b", None),
            mk("", None, "foo", None),
            0,
        ),
        (
            "spec.schedule changed",
            mk("30 * * * *", None, "b", lst),
            mk("*/1 * * * *", None, "foo", lst),
            SECS + DELTA,
        ),
        (
            "spec.schedule with @every changed - cadence decrease",
            mk("@every 1m", None, "b", lst),
            mk("@every 3m", None, "foo", lst),
            2 * MINUTE + SECS + DELTA,
        ),
        (
            "spec.schedule with @every changed - cadence increase",
            mk("@every 3m", None, "b", lst),
            mk("@every 1m", None, "foo", lst),
            SECS + DELTA,
        ),
        (
            "spec.timeZone not changed",
            mk("", Some(NEW_YORK), "b", None),
            mk("", Some(NEW_YORK), "foo", None),
            0,
        ),
        (
            "spec.timeZone changed",
            mk("", Some(NEW_YORK), "b", None),
            mk("", None, "foo", None),
            0,
        ),
    ];
    for (name, old, new, expected) in rows {
        let (delay, _) = update(now, &old, &new);
        // Upstream compares whole seconds as float64: exact here.
        assert_eq!(delay.unwrap_or(0), expected, "{name}");
    }
    // The unparseable case queues nothing and records UnParseableCronJobSchedule.
    let (delay, event) = update(
        now,
        &mk("", Some(NEW_YORK), "b", None),
        &mk("", None, "foo", None),
    );
    assert_eq!(delay, None);
    let Some(e) = event else { panic!("no event") };
    assert_eq!(
        (e.reason.as_ref(), e.message.as_str()),
        (
            "UnParseableCronJobSchedule",
            "unparseable schedule for cronjob: "
        )
    );
}

/// The work queue as the handler sees it, recording the last requested delay.
struct Recorder(Option<Millis>);

impl Enqueue for Recorder {
    fn add_after(&mut self, _key: Uid, delay: Millis) {
        self.0 = Some(delay);
    }
}

/// Calls the controller's `updateCronJob` handler (no watch delay) for an update from `old`
/// to `new` at `now`: the delay it queued the key with, if any, and the Event it recorded.
fn update(
    now: Time,
    old: &CronJob,
    new: &CronJob,
) -> (Option<Millis>, Option<batchsim::cluster::model::Event>) {
    let mut c = CronJobController::new(Tz::UTC, DELTA, 0);
    let mut q = Recorder(None);
    let old = OldSchedule {
        schedule: old.spec.schedule.clone(),
        time_zone: old.spec.time_zone.clone(),
    };
    let e = c.update_cron_job(now, new.meta.uid, Some(&old), Some(new), &mut q);
    (q.0, e)
}

/// A schedule change requeues at the new schedule's next slot: `*/5 * * * *` → `0 * * * *`
/// at 12:03:20 with lastScheduleTime 12:00 requeues at upstream `nextScheduleTimeDuration`:
/// no hourly slot in (12:00, 12:03:20], so Next(12:00) = 13:00, plus `nextScheduleDelta`
/// (100 ms) − now = 56m40.1s. A change of anything else syncs at once.
#[test]
fn update_cron_job_requeues_at_the_new_next_slot() {
    let now = utc(2016, 5, 19, 12, 3, 20);
    let mut old = cron_job();
    old.meta.creation = utc(2016, 5, 19, 11, 0, 0);
    old.spec.schedule = "*/5 * * * *".to_string();
    old.status.last_schedule_time = Some(utc(2016, 5, 19, 12, 0, 0));
    let mut new = old.clone();
    new.spec.schedule = "0 * * * *".to_string();
    assert_eq!(
        update(now, &old, &new),
        (Some(56 * MINUTE + 40 * SECS + 100), None)
    );
    let mut suspended = old.clone();
    suspended.spec.suspend = true;
    assert_eq!(update(now, &old, &suspended), (Some(0), None));
}

/// Upstream TestControllerV2JobAlreadyExistsButNotInActiveStatus.
#[test]
fn test_job_already_exists_but_not_in_active_status() {
    let mut cj = cron_job();
    cj.spec.concurrency_policy = ConcurrencyPolicy::Forbid;
    cj.spec.schedule = EVERY_HOUR.to_string();
    cj.status.last_schedule_time = Some(just_before_the_prior_hour());
    let mut job = get_job_from_template2(
        &cj,
        just_after_the_prior_hour(),
        just_after_the_prior_hour(),
        Tz::UTC,
    );
    job.meta.uid = Uid(1234);
    // The job exists in the API server but not in the lister; the fake GET returns it.
    let lookup = |_: &str| Some(&job);
    let res = sync(
        just_before_the_hour(),
        &cj,
        &[],
        &ctx(&lookup),
        &mut ScheduleCache::default(),
    );
    let updates: Vec<_> = res
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::UpdateCronJobStatus { status, .. } => Some(status),
            _ => None,
        })
        .collect();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].active, vec![job_ref(&job)]);
    assert!(!res
        .actions
        .iter()
        .any(|a| matches!(a, Action::CreateJob { .. })));
}

/// Upstream TestControllerV2JobAlreadyExistsButDifferentOwner.
#[test]
fn test_job_already_exists_but_different_owner() {
    let mut cj = cron_job();
    cj.spec.concurrency_policy = ConcurrencyPolicy::Forbid;
    cj.spec.schedule = EVERY_HOUR.to_string();
    cj.status.last_schedule_time = Some(just_before_the_prior_hour());
    let mut job = get_job_from_template2(
        &cj,
        just_after_the_prior_hour(),
        just_after_the_prior_hour(),
        Tz::UTC,
    );
    job.meta.uid = Uid(1234);
    job.meta.owner = None;
    let lookup = |_: &str| Some(&job);
    let res = sync(
        just_before_the_hour(),
        &cj,
        &[],
        &ctx(&lookup),
        &mut ScheduleCache::default(),
    );
    assert!(res.actions.is_empty(), "{:#?}", res.actions);
    assert_eq!(res.requeue_after, None);
}

/// A worked example (`*/1 * * * *`, Forbid, jobs run 100 s, no deadline) as a sequence
/// of syncs with a hand-driven store: job starts at 12:01:00.1, 12:02:40.1, 12:04:20.1, …
#[test]
fn worked_example_forbid_back_to_back() {
    let t = |h: u32, m: u32, s: u32, ms: i64| utc(2016, 5, 19, h, m, s).plus(ms);
    let mut cj = cron_job();
    cj.spec.schedule = "*/1 * * * *".to_string();
    cj.spec.concurrency_policy = ConcurrencyPolicy::Forbid;
    cj.meta.creation = t(12, 0, 30, 0);
    let mut store: Vec<Job> = Vec::new();
    let mut next_uid = 100;
    let mut queue: Option<Time> = None;
    let mut log: Vec<(Time, String)> = Vec::new();
    let mut now = t(12, 0, 30, 0);
    let end = t(12, 11, 30, 0);
    while now <= end {
        // Finish jobs that have run 100 s (before a requeue at the same instant).
        for j in store.iter_mut() {
            if j.status.finished().is_none() && j.meta.created_at.plus(100 * SECS) <= now {
                finish(j, JobConditionType::Complete, now);
            }
        }
        let children: Vec<&Job> = store.iter().collect();
        let lookup = |n: &str| store.iter().find(|j| j.meta.name == n);
        let c = ctx_from(&lookup, next_uid);
        let res = sync(now, &cj, &children, &c, &mut ScheduleCache::default());
        let mut created = Vec::new();
        for a in res.actions {
            match a {
                Action::CreateJob { job } => created.push(*job),
                Action::UpdateCronJobStatus { status, .. } => cj.status = *status,
                Action::Event(e) => log.push((now, e.reason.into_owned())),
                _ => {}
            }
        }
        for j in created {
            next_uid += 1;
            store.push(j);
        }
        queue = res.requeue_after.map(|d| now.plus(d)).or(queue);
        // Next instant: the earliest of the requeue and the next job finish.
        let finish_at = store
            .iter()
            .filter(|j| j.status.finished().is_none())
            .map(|j| j.meta.created_at.plus(100 * SECS))
            .min();
        let next = match (queue, finish_at) {
            (Some(q), Some(f)) => q.min(f),
            (Some(q), None) => q,
            (None, Some(f)) => f,
            (None, None) => break,
        };
        if Some(next) == queue {
            queue = None;
        }
        now = next;
    }
    let starts: Vec<Time> = store.iter().map(|j| j.meta.created_at).collect();
    assert_eq!(
        starts,
        vec![
            t(12, 1, 0, 100),
            t(12, 2, 40, 100),
            t(12, 4, 20, 100),
            t(12, 6, 0, 100),
            t(12, 7, 40, 100),
            t(12, 9, 20, 100),
            t(12, 11, 0, 100),
        ]
    );
    let names: Vec<&str> = store.iter().map(|j| j.meta.name.as_str()).collect();
    let minute = |h: u32, m: u32| {
        format!(
            "mycronjob-{}",
            utc(2016, 5, 19, h, m, 0).unix_seconds() / 60
        )
    };
    assert_eq!(names[1], minute(12, 2));
    assert_eq!(names[2], minute(12, 4)); // 12:03 skipped forever
    assert_eq!(names[3], minute(12, 6));
    // One JobAlreadyActive per minute tick while a job runs (12:02, 12:03, 12:04, 12:05, 12:07 …).
    let blocked: Vec<Time> = log
        .iter()
        .filter(|(_, r)| r == "JobAlreadyActive")
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(
        &blocked[..5],
        &[
            t(12, 2, 0, 100),
            t(12, 3, 0, 100),
            t(12, 4, 0, 100),
            t(12, 5, 0, 100),
            t(12, 7, 0, 100)
        ]
    );
}
