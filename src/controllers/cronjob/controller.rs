//! The CronJob controller (v2), shaped like Kubernetes `pkg/controller/cronjob/
//! cronjob_controllerv2.go`: [`sync`] = `cleanupFinishedJobs` then `syncCronJob` on a working
//! copy, then one status write. Helpers live in [`super::utils`].
//!
//! The simulator's store is always fresh (no informer lag, no API errors), so the branches that
//! GET a fresh copy from the API server collapse onto the inputs; each place says why.

use std::borrow::Cow;

use chrono_tz::Tz;

use super::schedules::ScheduleCache;
use super::utils::{
    by_job_start_time, delete_from_active_list, finished_condition, format_rfc1123z_utc,
    get_job_from_template2, get_job_name, in_active_list, in_active_list_by_name, is_controlled_by,
    is_job_succeeded, load_location, next_schedule_time, next_schedule_time_duration,
    MissedSchedules,
};
use crate::cluster::model::{
    concat, ConcurrencyPolicy, CronJob, Event, EventType, Job, JobConditionType, Kind, ObjectRef,
    Propagation, Str, Uid,
};
use crate::controllers::{Action, SyncResult};
use crate::sim::time::{Millis, Time};

/// What the controller passes its sync besides the CronJob and its children.
pub struct CronJobContext<'a> {
    /// kube-controller-manager's own zone: schedules without `spec.timeZone` run in it.
    pub local_zone: Tz,
    /// Added to every requeue (upstream `nextScheduleDelta`: 100 ms; 0 in the ideal profile).
    pub requeue_delta: Millis,
    /// The API client for Jobs in the CronJob's namespace.
    pub jobs: &'a dyn JobControl,
}

/// Upstream `jobControlInterface` (`pkg/controller/cronjob/injection.go`), scoped to the
/// CronJob's namespace: the API calls the sync makes on Jobs.
pub trait JobControl {
    /// `GetJob`: the Job with this name, whoever owns it.
    fn get_job(&self, name: &str) -> Option<&Job>;
    /// `CreateJob`: creates `job` and returns it as the API server answers, with its UID. The
    /// sync queues the returned object's creation as its next action, so it is stored in the
    /// order of the sync's other API calls.
    fn create_job(&self, job: Job) -> Job;
}

/// Collects actions and remembers what this sync already deleted, so later "GET"s against the
/// (start-of-sync) store do not see jobs that the API server would no longer return.
struct Out<'c> {
    now: Time,
    cronjob: &'c str,
    actions: Vec<Action>,
    deleted: Vec<Uid>,
}

impl<'c> Out<'c> {
    fn new(now: Time, cronjob: &'c str) -> Out<'c> {
        Out {
            now,
            cronjob,
            actions: Vec::new(),
            deleted: Vec::new(),
        }
    }

    fn event(&mut self, event_type: EventType, reason: &'static str, message: impl Into<Str>) {
        self.actions.push(Action::Event(Event {
            time: self.now,
            kind: Kind::CronJob,
            name: self.cronjob.into(),
            event_type,
            reason: reason.into(),
            message: message.into(),
        }));
    }

    /// Upstream `deleteJob`: Background delete, drop the ref from `active`, `SuccessfulDelete`.
    /// Deletes cannot fail in the simulator, so `FailedDelete` never arises.
    fn delete_job(&mut self, cj: &mut Cow<'_, CronJob>, uid: Uid, name: &str) {
        self.actions.push(Action::DeleteJob {
            job: uid,
            propagation: Propagation::Background,
        });
        self.deleted.push(uid);
        delete_from_active_list(cj.to_mut(), uid);
        self.event(
            EventType::Normal,
            "SuccessfulDelete",
            concat(&["Deleted job ", name]),
        );
    }

    /// API GET of a Job by name, as it would answer after this sync's deletions.
    fn get_job<'a>(&self, ctx: &CronJobContext<'a>, name: &str) -> Option<&'a Job> {
        ctx.jobs
            .get_job(name)
            .filter(|j| !self.deleted.contains(&j.meta.uid))
    }
}

/// One reconcile of a CronJob (upstream `sync` after the lister reads).
///
/// Call it whenever the work queue hands out the CronJob's key: on CronJob add/update (the
/// update handler delays a schedule change), when a child Job is added, updated or deleted,
/// and when `requeue_after` elapses. `children` are the Jobs in the
/// CronJob's namespace whose controller ownerRef *name* equals the CronJob's name, in store
/// (creation) order. Actions come in API-call order; a final `UpdateCronJobStatus` appears
/// only if the status changed.
pub fn sync(
    now: Time,
    cj: &CronJob,
    children: &[&Job],
    ctx: &CronJobContext<'_>,
    schedules: &mut ScheduleCache,
) -> SyncResult {
    // The working copy (upstream `cronJob.DeepCopy()`) is copied on first write: most syncs
    // change nothing, and copying every CronJob on every sync showed in profiles.
    let mut copy = Cow::Borrowed(cj);
    let mut out = Out::new(now, &cj.meta.name);
    let updated_by_cleanup = cleanup_finished_jobs_into(&mut copy, children, &mut out);
    let (requeue_after, updated_by_sync) =
        sync_cron_job_into(now, &mut copy, children, ctx, schedules, &mut out);
    if updated_by_cleanup || updated_by_sync {
        out.actions.push(Action::UpdateCronJobStatus {
            cronjob: cj.meta.uid,
            status: Box::new(copy.into_owned().status),
        });
    }
    SyncResult {
        actions: out.actions,
        requeue_after,
    }
}

/// Upstream `syncCronJob` alone on a working copy (what `TestControllerV2SyncCronJob` calls):
/// returns the actions (without the status write), the requeue delay and whether the status
/// changed.
pub fn sync_cron_job(
    now: Time,
    cj: &mut CronJob,
    children: &[&Job],
    ctx: &CronJobContext<'_>,
    schedules: &mut ScheduleCache,
) -> (Vec<Action>, Option<Millis>, bool) {
    let (actions, (requeue, updated)) = in_place(now, cj, |copy, out| {
        sync_cron_job_into(now, copy, children, ctx, schedules, out)
    });
    (actions, requeue, updated)
}

/// Runs one step of the sync on `cj` itself (the entry points the upstream table tests call),
/// returning the actions it collected and the step's result.
fn in_place<R>(
    now: Time,
    cj: &mut CronJob,
    step: impl FnOnce(&mut Cow<'_, CronJob>, &mut Out) -> R,
) -> (Vec<Action>, R) {
    let name = cj.meta.name.clone();
    let mut out = Out::new(now, &name);
    let mut copy = Cow::Owned(cj.clone());
    let result = step(&mut copy, &mut out);
    *cj = copy.into_owned();
    (out.actions, result)
}

fn cleanup_finished_jobs_into(cj: &mut Cow<'_, CronJob>, children: &[&Job], out: &mut Out) -> bool {
    // Upstream skips when both limits are nil; API defaulting makes them always set here.
    let mut successful: Vec<&Job> = Vec::new();
    let mut failed: Vec<&Job> = Vec::new();
    for job in children {
        match finished_condition(job) {
            Some(JobConditionType::Complete) => successful.push(job),
            Some(JobConditionType::Failed) => failed.push(job),
            _ => {}
        }
    }
    let a = remove_oldest_jobs(cj, successful, cj.spec.successful_jobs_history_limit, out);
    let b = remove_oldest_jobs(cj, failed, cj.spec.failed_jobs_history_limit, out);
    a || b
}

/// Upstream `removeOldestJobs`: sort by `byJobStartTime`, delete the first `len − max`.
fn remove_oldest_jobs(
    cj: &mut Cow<'_, CronJob>,
    mut jobs: Vec<&Job>,
    max: i32,
    out: &mut Out,
) -> bool {
    let to_delete = jobs.len() as i64 - i64::from(max);
    if to_delete <= 0 {
        return false;
    }
    jobs.sort_by(|a, b| by_job_start_time(a, b));
    for job in jobs.iter().take(to_delete as usize) {
        out.delete_job(cj, job.meta.uid, &job.meta.name);
    }
    true
}

fn sync_cron_job_into(
    now: Time,
    cj: &mut Cow<'_, CronJob>,
    children: &[&Job],
    ctx: &CronJobContext<'_>,
    schedules: &mut ScheduleCache,
    out: &mut Out,
) -> (Option<Millis>, bool) {
    // A. Reconcile the children against status.active.
    let mut update_status = reconcile_children(cj, children, out);
    // B. Drop active refs whose job vanished.
    update_status |= drop_missing_jobs(cj, children, ctx, out);

    // C. Early exits: none of them requeues; only a later event wakes the CronJob up.
    // In upstream's order: being deleted, an unknown time zone (reported), suspended.
    if cj.meta.deletion.is_some() || !time_zone_loads(cj, ctx, out) || cj.spec.suspend {
        return (None, update_status);
    }
    let spec = format_schedule(cj, out);
    // Upstream parses here on every sync; the controller keeps the parse (see `schedules`).
    let schedule = match schedules.parse(cj.meta.uid, &spec, ctx.local_zone) {
        Ok(s) => s,
        Err(e) => {
            out.event(
                EventType::Warning,
                "UnparseableSchedule",
                format!("unparseable schedule: {:?} : {e}", cj.spec.schedule),
            );
            return (None, update_status);
        }
    };
    let requeue = |cj: &CronJob| {
        Some(next_schedule_time_duration(
            cj,
            now,
            schedule,
            ctx.requeue_delta,
        ))
    };

    let scheduled = match next_schedule_time(cj, now, schedule) {
        Err(e) => {
            out.event(
                EventType::Warning,
                "InvalidSchedule",
                format!("invalid schedule: {} : {e}", cj.spec.schedule),
            );
            return (None, update_status);
        }
        // D.1 No unmet slot (normally only after a restart or an early event): wait for the next.
        Ok(None) => return (requeue(cj), update_status),
        Ok(Some((t, missed))) => {
            if missed == MissedSchedules::Many {
                out.event(
                    EventType::Warning,
                    "TooManyMissedTimes",
                    "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew".to_string(),
                );
            }
            t
        }
    };

    // D.2 Unreachable in practice (next_schedule_time already cut at now − SDS); kept as upstream.
    if let Some(sds) = cj.spec.starting_deadline_seconds {
        if scheduled.plus(sds.saturating_mul(1000)) < now {
            out.event(
                EventType::Warning,
                "MissSchedule",
                format!(
                    "Missed scheduled time to start a job: {}",
                    format_rfc1123z_utc(scheduled)
                ),
            );
            return (requeue(cj), update_status);
        }
    }

    // D.3 Already processed: by name (dedupe lock) or by lastScheduleTime.
    let job_name = get_job_name(cj, scheduled);
    if in_active_list_by_name(cj, &job_name, &cj.meta.namespace)
        || cj.status.last_schedule_time == Some(scheduled)
    {
        return (requeue(cj), update_status);
    }

    // D.4 Forbid: the slot stays unmet (lastScheduleTime untouched), so it is retried as soon as
    // the active job finishes, if still inside the deadline.
    if cj.spec.concurrency_policy == ConcurrencyPolicy::Forbid && !cj.status.active.is_empty() {
        out.event(
            EventType::Normal,
            "JobAlreadyActive",
            "Not starting job because prior execution is running and concurrency policy is Forbid"
                .to_string(),
        );
        return (requeue(cj), update_status);
    }

    // D.5 Replace: delete every active job (GET by name first, as upstream), then create.
    if cj.spec.concurrency_policy == ConcurrencyPolicy::Replace
        && !delete_active_jobs(cj, ctx, out, &mut update_status)
    {
        return (None, update_status);
    }

    // D.6 Create, or adopt an existing Job of that name (AlreadyExists path).
    let Some(new_ref) = create_or_adopt(cj, &job_name, scheduled, now, ctx, out) else {
        return (None, update_status);
    };

    // D.7 Track it; lastScheduleTime is the nominal slot, not the creation time.
    let status = &mut cj.to_mut().status;
    status.active.push(new_ref);
    status.last_schedule_time = Some(scheduled);
    (requeue(cj), true)
}

/// Step A of `syncCronJob`: each child Job against `status.active`: an unknown unfinished
/// one is reported, a finished one leaves `active` (SawCompletedJob) and a succeeded one moves
/// lastSuccessfulTime forward. Returns whether the status changed.
fn reconcile_children(cj: &mut Cow<'_, CronJob>, children: &[&Job], out: &mut Out) -> bool {
    let mut update_status = false;
    for job in children {
        let found = in_active_list(cj, job.meta.uid);
        let finished = finished_condition(job);
        match finished {
            None if !found => {
                // Upstream GETs the CronJob fresh and switches to it if that copy lists the job.
                // Our store is fresh, so that copy's `active` is our input's; this working copy
                // differs only by removals of *finished* jobs, so an unfinished job it lacks is
                // absent there too: the branch collapses to the warning.
                out.event(
                    EventType::Warning,
                    "UnexpectedJob",
                    format!(
                        "Saw a job that the controller did not create or forgot: {}",
                        job.meta.name
                    ),
                );
            }
            None => {}
            Some(condition) => {
                if found {
                    delete_from_active_list(cj.to_mut(), job.meta.uid);
                    out.event(
                        EventType::Normal,
                        "SawCompletedJob",
                        concat(&[
                            "Saw completed job: ",
                            &job.meta.name,
                            ", condition: ",
                            condition.as_str(),
                        ]),
                    );
                    update_status = true;
                }
                if is_job_succeeded(job) {
                    // Any succeeded child counts, tracked in `active` or not.
                    let completion = job.status.completion_time;
                    if cj.status.last_successful_time.is_none() {
                        cj.to_mut().status.last_successful_time = completion;
                        update_status = true;
                    }
                    if let (Some(c), Some(last)) = (completion, cj.status.last_successful_time) {
                        if c > last {
                            cj.to_mut().status.last_successful_time = Some(c);
                            update_status = true;
                        }
                    }
                }
            }
        }
    }
    update_status
}

/// Step B of `syncCronJob`: drops the active refs whose Job vanished. Upstream GETs by name to
/// dodge a slow lister; a job found by that GET (even a different one with the same name) keeps
/// the ref. Returns whether the status changed.
fn drop_missing_jobs(
    cj: &mut Cow<'_, CronJob>,
    children: &[&Job],
    ctx: &CronJobContext<'_>,
    out: &mut Out,
) -> bool {
    let mut update_status = false;
    let is_child = |r: &ObjectRef| children.iter().any(|j| j.meta.uid == r.uid);
    let stale: Vec<ObjectRef> = if cj.status.active.iter().all(is_child) {
        Vec::new()
    } else {
        cj.status
            .active
            .iter()
            .filter(|r| !is_child(r))
            .cloned()
            .collect()
    };
    for r in stale {
        if out.get_job(ctx, &r.name).is_none() {
            out.event(
                EventType::Normal,
                "MissingJob",
                format!("Active job went missing: {}", r.name),
            );
            delete_from_active_list(cj.to_mut(), r.uid);
            update_status = true;
        }
    }
    update_status
}

/// Whether the CronJob's `spec.timeZone` (if any) names a zone; an unknown one is reported
/// (UnknownTimeZone) and the sync stops there.
fn time_zone_loads(cj: &CronJob, ctx: &CronJobContext<'_>, out: &mut Out) -> bool {
    let Some(zone) = &cj.spec.time_zone else {
        return true;
    };
    match load_location(zone, ctx.local_zone) {
        Ok(_) => true,
        Err(e) => {
            out.event(
                EventType::Warning,
                "UnknownTimeZone",
                format!("invalid timeZone: {zone:?}: {e}"),
            );
            false
        }
    }
}

/// Step D.5 of `syncCronJob` for Replace: deletes every active Job, each GET by name first as
/// upstream does; false if a GET finds nothing (upstream returns an error there). Sets
/// `update_status` for each deletion, also when a later GET fails.
fn delete_active_jobs(
    cj: &mut Cow<'_, CronJob>,
    ctx: &CronJobContext<'_>,
    out: &mut Out,
    update_status: &mut bool,
) -> bool {
    let active = cj.status.active.clone();
    for r in active {
        let Some(job) = out.get_job(ctx, &r.name) else {
            // Unreachable with a consistent store: step B dropped refs whose job is gone.
            // Upstream returns an error here (rate-limited retry, no requeue delay).
            out.event(
                EventType::Warning,
                "FailedGet",
                format!("Get job: jobs.batch {:?} not found", r.name),
            );
            return false;
        };
        out.delete_job(cj, job.meta.uid, &job.meta.name);
        *update_status = true;
    }
    true
}

/// Step D.6 of `syncCronJob`: creates the slot's Job, or adopts an existing Job of that name
/// (the AlreadyExists path); None when that Job belongs to someone else or is already active.
/// Namespace termination and other create errors do not exist in the simulator.
fn create_or_adopt(
    cj: &CronJob,
    job_name: &str,
    scheduled: Time,
    now: Time,
    ctx: &CronJobContext<'_>,
    out: &mut Out,
) -> Option<ObjectRef> {
    match out.get_job(ctx, job_name) {
        Some(existing) => {
            // Newest upstream GETs it from the CronJob's namespace (kubernetes#136920).
            if !is_controlled_by(existing, cj) || in_active_list(cj, existing.meta.uid) {
                return None;
            }
            // Adopted: no SuccessfulCreate event (upstream only logs).
            Some(job_ref(existing))
        }
        None => {
            let job = get_job_from_template2(cj, scheduled, now, ctx.local_zone);
            // The active reference comes from the API server's answer (`jobResp`).
            let job = ctx.jobs.create_job(job);
            let r = job_ref(&job);
            out.actions.push(Action::CreateJob { job: Box::new(job) });
            out.event(
                EventType::Normal,
                "SuccessfulCreate",
                concat(&["Created job ", job_name]),
            );
            Some(r)
        }
    }
}

/// An `active` entry for a Job (upstream `getRef`).
fn job_ref(job: &Job) -> ObjectRef {
    ObjectRef {
        kind: Kind::Job,
        namespace: job.meta.namespace.clone(),
        name: job.meta.name.clone(),
        uid: job.meta.uid,
    }
}

/// Upstream `formatSchedule`: a schedule containing `TZ` is used as is (with an
/// `UnsupportedSchedule` warning every sync); else `spec.timeZone` becomes a `TZ=` prefix
/// ([`crate::schedule::controller_spec`]). The zone was checked loadable just before; `TZ=Local`
/// makes robfig use the controller's zone, which `Schedule::next` receives as `local`.
fn format_schedule<'a>(cj: &'a CronJob, out: &mut Out) -> Cow<'a, str> {
    if crate::schedule::mentions_tz(&cj.spec.schedule) {
        out.event(
            EventType::Warning,
            "UnsupportedSchedule",
            format!(
                "CRON_TZ or TZ used in schedule {:?} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details",
                cj.spec.schedule
            ),
        );
    }
    crate::schedule::controller_spec(&cj.spec.schedule, cj.spec.time_zone.as_deref())
}
