//! `syncJob` and the functions it calls, after `pkg/controller/job/job_controller.go`.
//!
//! Counting follows the finalizer protocol: a finished pod is counted exactly once, in the sync
//! that removes its `batch.kubernetes.io/job-tracking` finalizer, so status counters never
//! decrease even when pods disappear.

use std::collections::BTreeSet;

use super::backoff_utils::{new_backoff_record, BackoffRecord};
use super::indexed_job_utils::{
    backoff_limit_per_index, calculate_failed_indexes, calculate_succeeded_indexes,
    first_pending_indexes, get_pod_creation_info_for_independent_indexes,
    get_pods_with_delayed_deletion_per_index, is_index_failed, is_valid_completion_index,
};
use super::pod_control::active_pods_order;
use super::pod_failure_policy::match_pod_failure_policy;
use super::success_policy::match_success_policy;
use crate::cluster::model::{
    CompletionMode, Event, EventType, Job, JobCondition, JobConditionType, JobStatus, Kind, Pod,
    PodFailureAction, PodPhase, PodReplacementPolicy, RestartPolicy, Str, Uid,
};
use crate::controllers::{Action, SyncResult};
use crate::sim::time::{Millis, Time, SECOND};

/// What one Job sync returns: the actions and requeue, plus the back-off record to keep.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobSyncResult {
    /// Actions and requeue delay.
    pub result: SyncResult,
    /// The new back-off record (saved when the status is flushed, as upstream).
    pub backoff: BackoffRecord,
}

/// Reason and message of the Complete condition in current Kubernetes.
pub const COMPLETIONS_REACHED: (&str, &str) = (
    "CompletionsReached",
    "Reached expected number of succeeded pods",
);

/// A finish decision (upstream `finishedCondition`): success or failure, with the condition
/// reason and message.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Finish {
    success: bool,
    reason: Str,
    message: Str,
}

impl Finish {
    fn fail(reason: &str, message: &str) -> Finish {
        Finish {
            success: false,
            reason: reason.into(),
            message: message.into(),
        }
    }

    fn succeed(reason: &str, message: &str) -> Finish {
        Finish {
            success: true,
            reason: reason.into(),
            message: message.into(),
        }
    }
}

/// Upstream `syncJobCtx`: what one sync of one Job knows and has decided so far. The status
/// being written is a copy of the Job's; the API calls are collected in order.
pub(super) struct JobCtx<'a> {
    /// The sync's clock.
    pub(super) now: Time,
    /// The Job (as read from the informer cache).
    pub(super) job: &'a Job,
    /// Every pod whose controller ownerReference is the Job.
    pub(super) pods: &'a [&'a Pod],
    /// The status to write.
    pub(super) status: JobStatus,
    /// `activePods`: pods neither finished nor terminating.
    pub(super) active_pods: Vec<&'a Pod>,
    /// `terminating`: pods with a deletion timestamp that are not finished.
    pub(super) terminating: i32,
    /// Succeeded pods still holding the tracking finalizer (`newSucceededPods`).
    pub(super) new_succeeded: Vec<&'a Pod>,
    /// Failed pods still holding the tracking finalizer, counted as failed (`newFailedPods`).
    pub(super) new_failed: Vec<&'a Pod>,
    /// Failed pods still holding the tracking finalizer that an Ignore rule matched.
    pub(super) new_ignored: Vec<&'a Pod>,
    /// The message of the first FailJob rule matched (`getFailJobMessage`).
    pub(super) fail_job_message: Option<String>,
    /// Indexes failed by the pods found failed in this sync.
    pub(super) newly_failed_indexes: BTreeSet<i32>,
    /// `succeeded`: succeeded completions (distinct indexes for an Indexed Job).
    pub(super) succeeded: i32,
    /// `failed`: failed pods counted so far.
    pub(super) failed: i32,
    /// `succeededIndexes` (Indexed Jobs).
    pub(super) succeeded_indexes: BTreeSet<i32>,
    /// `failedIndexes`, with `backoffLimitPerIndex` only.
    pub(super) failed_indexes: Option<BTreeSet<i32>>,
    /// `podsWithDelayedDeletionPerIndex`: failed pods that keep their finalizer for now.
    pub(super) pods_with_delayed_deletion_per_index: Vec<Uid>,
    /// `newBackoffRecord`.
    pub(super) new_backoff_record: BackoffRecord,
    /// `finishedCondition`.
    pub(super) finished_condition: Option<Finish>,
    /// Pods whose finalizer is removed without being counted (success-policy leftovers).
    pub(super) released: Vec<Uid>,
    /// The API calls, in the order the controller issues them.
    pub(super) actions: Vec<Action>,
    /// The `AddAfter` delay, the shortest asked for.
    pub(super) requeue: Option<Millis>,
}

impl<'a> JobCtx<'a> {
    fn new(now: Time, job: &'a Job, pods: &'a [&'a Pod], backoff: &BackoffRecord) -> Self {
        let mut status = job.status.clone();
        if status.start_time.is_none() && !job.spec.suspend {
            status.start_time = Some(now);
        }
        JobCtx {
            now,
            job,
            pods,
            status,
            active_pods: pods.iter().copied().filter(|p| p.is_active()).collect(),
            terminating: pods.iter().filter(|p| p.is_terminating()).count() as i32,
            new_succeeded: Vec::new(),
            new_failed: Vec::new(),
            new_ignored: Vec::new(),
            fail_job_message: None,
            newly_failed_indexes: BTreeSet::new(),
            succeeded: 0,
            failed: 0,
            succeeded_indexes: BTreeSet::new(),
            failed_indexes: None,
            pods_with_delayed_deletion_per_index: Vec::new(),
            new_backoff_record: backoff.clone(),
            finished_condition: None,
            released: Vec::new(),
            actions: Vec::new(),
            requeue: None,
        }
    }

    /// Asks to be synced again after `d`, keeping the shortest delay asked for.
    pub(super) fn requeue_after(&mut self, d: Millis) {
        self.requeue = Some(self.requeue.map_or(d, |x| x.min(d)));
    }

    fn is_indexed(&self) -> bool {
        self.job.spec.completion_mode == CompletionMode::Indexed
    }
}

/// `syncJob`: one sync at `now` over the Job's pods (every pod whose controller
/// ownerReference is the Job) with the Job's in-memory back-off record.
pub fn sync_job(now: Time, job: &Job, pods: &[&Pod], backoff: &BackoffRecord) -> JobSyncResult {
    // A finished Job is frozen.
    if job.status.finished().is_some() {
        return JobSyncResult {
            backoff: backoff.clone(),
            ..Default::default()
        };
    }
    let mut ctx = JobCtx::new(now, job, pods, backoff);
    get_new_finished_pods(&mut ctx);
    ctx.succeeded_indexes = calculate_succeeded_indexes(&ctx);
    ctx.succeeded = if ctx.is_indexed() {
        ctx.succeeded_indexes.len() as i32
    } else {
        ctx.status.succeeded + ctx.new_succeeded.len() as i32
    };
    ctx.failed = ctx.status.failed + ctx.new_failed.len() as i32;
    ctx.failed_indexes = calculate_failed_indexes(&ctx);
    ctx.pods_with_delayed_deletion_per_index = get_pods_with_delayed_deletion_per_index(&ctx);
    ctx.new_backoff_record = new_backoff_record(
        now,
        backoff,
        &ctx.new_succeeded,
        &ctx.new_failed,
        &ctx.new_ignored,
    );
    ctx.finished_condition = get_finished_condition(&mut ctx);

    if let Some(success) = ctx.finished_condition.as_ref().map(|f| f.success) {
        // Every active pod is deleted. On failure it keeps its finalizer and counts as
        // failed; after a success policy matched it is released uncounted.
        delete_active_pods(&mut ctx, usize::MAX, success);
        count_unfinished_pods_of_finished_job(&mut ctx, success);
        ctx.status.active = 0;
    } else if job.meta.deletion.is_none() {
        let active = manage_job(&mut ctx);
        let complete = match job.spec.completions {
            None => ctx.succeeded > 0 && active == 0,
            Some(c) => ctx.succeeded >= c && active == 0,
        };
        if complete {
            ctx.finished_condition = Some(Finish::succeed(
                COMPLETIONS_REACHED.0,
                COMPLETIONS_REACHED.1,
            ));
        } else {
            update_suspend_condition(&mut ctx);
        }
        ctx.status.active = active;
    }
    track_job_status_and_remove_finalizers(ctx)
}

/// `getNewFinishedPods`: the pods still holding the tracking finalizer that finished —
/// succeeded, failed, or failed but ignored by `podFailurePolicy` — with the first FailJob
/// message and, with `backoffLimitPerIndex`, the indexes they fail.
fn get_new_finished_pods(ctx: &mut JobCtx) {
    let job = ctx.job;
    let per_index = backoff_limit_per_index(job);
    for p in ctx.pods.iter().copied() {
        if !p.has_tracking_finalizer() {
            continue;
        }
        if p.status.phase == PodPhase::Succeeded {
            ctx.new_succeeded.push(p);
            continue;
        }
        if !is_pod_failed(p, job) {
            continue;
        }
        let m = job
            .spec
            .pod_failure_policy
            .as_deref()
            .and_then(|rules| match_pod_failure_policy(rules, p));
        let action = m.as_ref().map(|m| m.action);
        match action {
            Some(PodFailureAction::Ignore) => ctx.new_ignored.push(p),
            _ => ctx.new_failed.push(p),
        }
        if action == Some(PodFailureAction::FailJob) && ctx.fail_job_message.is_none() {
            ctx.fail_job_message = m.map(|m| m.message);
        }
        if let Some(limit) = per_index {
            if is_valid_completion_index(job, p.index) && is_index_failed(p, action, limit) {
                ctx.newly_failed_indexes.extend(p.index);
            }
        }
    }
}

/// `syncJob`'s chain of finish checks, in upstream order (first hit wins): an interim
/// condition already written, a FailJob rule, the back-off limit, the active deadline (which
/// otherwise asks for a requeue when it will pass), failed indexes, and the success policy.
fn get_finished_condition(ctx: &mut JobCtx) -> Option<Finish> {
    let job = ctx.job;
    let spec = &job.spec;
    if let Some(c) = ctx.status.condition(JobConditionType::SuccessCriteriaMet) {
        return Some(Finish::succeed(&c.reason, &c.message));
    }
    if let Some(c) = ctx.status.condition(JobConditionType::FailureTarget) {
        return Some(Finish::fail(&c.reason, &c.message));
    }
    if let Some(msg) = &ctx.fail_job_message {
        return Some(Finish::fail("PodFailurePolicy", msg));
    }
    if ctx.failed > spec.backoff_limit || past_backoff_limit_on_failure(job, ctx.pods) {
        return Some(Finish::fail(
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit",
        ));
    }
    if let Some(remaining) = past_active_deadline(ctx) {
        if remaining <= 0 {
            return Some(Finish::fail(
                "DeadlineExceeded",
                "Job was active longer than specified deadline",
            ));
        }
        ctx.requeue_after(remaining);
    }
    if let (Some(fi), Some(c)) = (&ctx.failed_indexes, spec.completions) {
        let nf = fi.len() as i64;
        if spec.max_failed_indexes.is_some_and(|m| nf > i64::from(m)) {
            return Some(Finish::fail(
                "MaxFailedIndexesExceeded",
                "Job has exceeded the specified maximal number of failed indexes",
            ));
        }
        if nf > 0 && nf + ctx.succeeded_indexes.len() as i64 >= i64::from(c) {
            return Some(Finish::fail("FailedIndexes", "Job has failed indexes"));
        }
    }
    if ctx.is_indexed() {
        if let Some(rules) = &spec.success_policy {
            if let Some(i) = match_success_policy(rules, &ctx.succeeded_indexes) {
                return Some(Finish::succeed(
                    "SuccessPolicy",
                    &compact_str::format_compact!("Matched rules at index {i}"),
                ));
            }
        }
    }
    None
}

/// `pastActiveDeadline`: for a started, unsuspended Job with `activeDeadlineSeconds`, how long
/// until the deadline passes (zero or less: it has passed); `None` when no deadline applies.
fn past_active_deadline(ctx: &JobCtx) -> Option<Millis> {
    let spec = &ctx.job.spec;
    match (
        spec.active_deadline_seconds,
        ctx.status.start_time,
        spec.suspend,
    ) {
        (Some(ads), Some(start), false) => Some(ads * SECOND - ctx.now.since(start)),
        _ => None,
    }
}

/// `pastBackoffLimitOnFailure`: summed restarts of Pending/Running pods against backoffLimit.
fn past_backoff_limit_on_failure(job: &Job, pods: &[&Pod]) -> bool {
    if job.spec.template.restart_policy != RestartPolicy::OnFailure {
        return false;
    }
    let sum: i64 = pods
        .iter()
        .filter(|p| matches!(p.status.phase, PodPhase::Running | PodPhase::Pending))
        .map(|p| p.restarts() as i64)
        .sum();
    if job.spec.backoff_limit == 0 {
        sum > 0
    } else {
        sum >= job.spec.backoff_limit as i64
    }
}

/// `onlyReplaceFailedPods`: terminating pods are neither failed nor replaced until Failed.
pub(super) fn only_replace_failed_pods(job: &Job) -> bool {
    job.spec.pod_replacement_policy == PodReplacementPolicy::Failed
        || job.spec.pod_failure_policy.is_some()
}

/// `isPodFailed`: phase Failed, or (unless only failed pods are replaced) deleted while not Succeeded.
pub(super) fn is_pod_failed(pod: &Pod, job: &Job) -> bool {
    if pod.status.phase == PodPhase::Failed {
        return true;
    }
    !only_replace_failed_pods(job)
        && pod.meta.deletion.is_some()
        && pod.status.phase != PodPhase::Succeeded
}

/// `deleteJobPods` over the first `count` active pods in `controller.ActivePods` order; each
/// deleted pod is terminating from now on.
fn delete_active_pods(ctx: &mut JobCtx, count: usize, remove_finalizer_first: bool) {
    ctx.active_pods.sort_by(|a, b| active_pods_order(a, b));
    let n = count.min(ctx.active_pods.len());
    for p in ctx.active_pods.drain(..n) {
        ctx.actions.push(Action::DeletePod {
            pod: p.meta.uid,
            remove_finalizer_first,
        });
        ctx.terminating += 1;
    }
}

/// The rule of `trackJobStatusAndRemoveFinalizers` for a Job finishing in this sync: "when the
/// job is considered finished, every non-terminated pod is considered failed" — the active
/// pods just deleted, and also pods already terminating that were not failed yet
/// (podReplacementPolicy Failed); with an Indexed Job only pods with a valid index. After a
/// success they are released uncounted instead.
fn count_unfinished_pods_of_finished_job(ctx: &mut JobCtx, success: bool) {
    let job = ctx.job;
    let indexed = ctx.is_indexed();
    for p in ctx.pods.iter().copied() {
        let seen = |l: &[&Pod]| l.iter().any(|q| q.meta.uid == p.meta.uid);
        if !p.has_tracking_finalizer()
            || p.status.phase == PodPhase::Succeeded
            || seen(&ctx.new_failed)
            || seen(&ctx.new_ignored)
        {
            continue;
        }
        if success || (indexed && !is_valid_completion_index(job, p.index)) {
            ctx.released.push(p.meta.uid);
        } else {
            ctx.new_failed.push(p);
            ctx.failed += 1;
        }
    }
}

/// `manageJob`: deletes every active pod of a suspended Job, scales down to the wanted
/// parallelism, or creates the missing pods (after the back-off). Returns the active count.
fn manage_job(ctx: &mut JobCtx) -> i32 {
    let job = ctx.job;
    let spec = &job.spec;
    let active = ctx.active_pods.len() as i32;
    if spec.suspend {
        delete_active_pods(ctx, usize::MAX, true);
        return 0;
    }
    let want = match spec.completions {
        None if ctx.succeeded > 0 => active,
        None => spec.parallelism,
        Some(c) => (c - ctx.succeeded).min(spec.parallelism).max(0),
    };
    let rm_at_least = (active - want).max(0);
    if rm_at_least > 0 {
        delete_active_pods(ctx, rm_at_least as usize, true);
        return active - rm_at_least;
    }
    if active >= want {
        return active;
    }
    let mut diff = want - active;
    if only_replace_failed_pods(job) {
        diff -= ctx.terminating;
    }
    // `MaxBatchSize` of pod creations per sync.
    let diff = diff.clamp(0, 500);
    if ctx.is_indexed() {
        return active + create_indexed_pods(ctx, diff);
    }
    let remaining = ctx.new_backoff_record.get_remaining_time(ctx.now);
    if remaining > 0 {
        ctx.requeue_after(remaining);
        return active;
    }
    for _ in 0..diff {
        ctx.actions.push(Action::CreatePod {
            job: job.meta.uid,
            index: None,
            index_failures: None,
        });
    }
    active + diff
}

/// `manageJob` for an Indexed Job: pods for the lowest pending indexes, honouring the
/// Job-wide back-off, or with `backoffLimitPerIndex` each index's own. Returns how many it
/// created.
fn create_indexed_pods(ctx: &mut JobCtx, diff: i32) -> i32 {
    let job = ctx.job;
    let Some(completions) = job.spec.completions else {
        return 0;
    };
    if backoff_limit_per_index(job).is_none() {
        let remaining = ctx.new_backoff_record.get_remaining_time(ctx.now);
        if remaining > 0 {
            ctx.requeue_after(remaining);
            return 0;
        }
        let indexes = first_pending_indexes(ctx, completions, diff);
        for &ix in &indexes {
            ctx.actions.push(Action::CreatePod {
                job: job.meta.uid,
                index: Some(ix),
                index_failures: None,
            });
        }
        return indexes.len() as i32;
    }
    let indexes = first_pending_indexes(ctx, completions, diff);
    let (ready, wait) = get_pod_creation_info_for_independent_indexes(ctx, &indexes);
    if let Some(w) = wait {
        ctx.requeue_after(w);
    }
    for &(ix, counts) in &ready {
        ctx.actions.push(Action::CreatePod {
            job: job.meta.uid,
            index: Some(ix),
            index_failures: Some(counts),
        });
    }
    ready.len() as i32
}

/// `syncJob`'s suspend block: the Suspended condition changes only where `manageJob` ran;
/// resuming restarts the `activeDeadlineSeconds` clock.
fn update_suspend_condition(ctx: &mut JobCtx) {
    let job = ctx.job;
    let spec = &job.spec;
    let now = ctx.now;
    let was_suspended = ctx
        .status
        .conditions
        .iter()
        .any(|c| c.kind == JobConditionType::Suspended && c.status);
    if spec.suspend && !was_suspended {
        ensure_job_condition_status(
            &mut ctx.status.conditions,
            JobConditionType::Suspended,
            true,
            "JobSuspended",
            "Job suspended",
            now,
        );
        ctx.actions.push(job_event(
            now,
            job,
            false,
            "Suspended".into(),
            "Job suspended",
        ));
    } else if !spec.suspend && was_suspended {
        ensure_job_condition_status(
            &mut ctx.status.conditions,
            JobConditionType::Suspended,
            false,
            "JobResumed",
            "Job resumed",
            now,
        );
        ctx.status.start_time = Some(now);
        ctx.actions
            .push(job_event(now, job, false, "Resumed".into(), "Job resumed"));
        if let Some(ads) = spec.active_deadline_seconds {
            ctx.requeue_after(ads * SECOND);
        }
    }
}

/// `trackJobStatusAndRemoveFinalizers` with `flushUncountedAndRemoveFinalizers` and
/// `enactJobFinished`: counts the finished pods, removes their finalizers, writes the status
/// with the interim then the terminal condition, and records the terminal event. Delayed pods
/// keep their finalizer and stay out of status.failed unless the Job finishes.
fn track_job_status_and_remove_finalizers(mut ctx: JobCtx) -> JobSyncResult {
    let job = ctx.job;
    let now = ctx.now;
    let finished = ctx.finished_condition.take();
    let delayed = &ctx.pods_with_delayed_deletion_per_index;
    let hold = |p: &Pod| finished.is_none() && delayed.contains(&p.meta.uid);
    let held_failed = ctx.new_failed.iter().filter(|p| hold(p)).count() as i32;
    let counted: Vec<Uid> = ctx
        .new_succeeded
        .iter()
        .chain(ctx.new_failed.iter().filter(|p| !hold(p)))
        .chain(ctx.new_ignored.iter().filter(|p| !hold(p)))
        .map(|p| p.meta.uid)
        .chain(ctx.released.iter().copied())
        .collect();
    let status = &mut ctx.status;
    status.succeeded = ctx.succeeded;
    status.failed = ctx.failed - held_failed;
    if ctx.job.spec.completion_mode == CompletionMode::Indexed {
        status.completed_indexes = ctx.succeeded_indexes.iter().copied().collect();
    }
    if let Some(fi) = ctx.failed_indexes.take() {
        status.failed_indexes = Some(fi.into_iter().collect());
    }
    status.ready = ctx.active_pods.iter().filter(|p| p.status.ready).count() as i32;
    status.terminating = ctx.terminating;
    let terminal_event = finished
        .as_ref()
        .and_then(|f| enact_job_finished(now, job, status, f, ctx.terminating));

    if !counted.is_empty() {
        ctx.actions.push(Action::RemoveFinalizers { pods: counted });
    }
    if ctx.status != job.status {
        ctx.actions.push(Action::UpdateJobStatus {
            job: job.meta.uid,
            status: Box::new(ctx.status),
        });
    }
    let backoff = if terminal_event.is_some() {
        BackoffRecord::default()
    } else {
        ctx.new_backoff_record
    };
    ctx.actions.extend(terminal_event);
    JobSyncResult {
        result: SyncResult {
            actions: ctx.actions,
            requeue_after: ctx.requeue,
        },
        backoff,
    }
}

/// Writes the interim condition (SuccessCriteriaMet / FailureTarget) and, once no pod is
/// terminating, the terminal one (`enactJobFinished`); returns the terminal event.
fn enact_job_finished(
    now: Time,
    job: &Job,
    status: &mut JobStatus,
    f: &Finish,
    terminating: i32,
) -> Option<Action> {
    let (interim, terminal) = if f.success {
        (
            JobConditionType::SuccessCriteriaMet,
            JobConditionType::Complete,
        )
    } else {
        (JobConditionType::FailureTarget, JobConditionType::Failed)
    };
    ensure_job_condition_status(
        &mut status.conditions,
        interim,
        true,
        &f.reason,
        &f.message,
        now,
    );
    if terminating != 0 {
        return None;
    }
    ensure_job_condition_status(
        &mut status.conditions,
        terminal,
        true,
        &f.reason,
        &f.message,
        now,
    );
    if f.success {
        status.completion_time = Some(now);
        Some(job_event(
            now,
            job,
            false,
            "Completed".into(),
            "Job completed",
        ))
    } else {
        Some(job_event(
            now,
            job,
            true,
            f.reason.clone().into(),
            &f.message,
        ))
    }
}

/// `ensureJobConditionStatus`: append when absent and True; update when status/reason/message change.
fn ensure_job_condition_status(
    conds: &mut Vec<JobCondition>,
    kind: JobConditionType,
    status: bool,
    reason: &str,
    message: &str,
    now: Time,
) -> bool {
    if let Some(c) = conds.iter_mut().find(|c| c.kind == kind) {
        if c.status != status || c.reason != reason || c.message != message {
            c.status = status;
            c.reason = reason.into();
            c.message = message.into();
            c.last_transition = now;
            return true;
        }
        return false;
    }
    if status {
        conds.push(JobCondition {
            kind,
            status,
            reason: reason.into(),
            message: message.into(),
            last_transition: now,
        });
        return true;
    }
    false
}

/// An Event on the Job (`recorder.Event`).
fn job_event(
    now: Time,
    job: &Job,
    warning: bool,
    reason: std::borrow::Cow<'static, str>,
    message: &str,
) -> Action {
    Action::Event(Event {
        time: now,
        kind: Kind::Job,
        name: job.meta.name.clone(),
        event_type: if warning {
            EventType::Warning
        } else {
            EventType::Normal
        },
        reason,
        message: message.into(),
    })
}
