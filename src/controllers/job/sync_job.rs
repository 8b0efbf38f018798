//! `syncJob`, after `pkg/controller/job/job_controller.go`: the `syncJobCtx` one sync builds,
//! which pods are newly finished, whether and how the Job finishes, and the suspend condition.
//! Pods are created and deleted in `manage_job`; the status is written in `tracking`.

use std::collections::BTreeSet;

use super::backoff_utils::{new_backoff_record, BackoffRecord};
use super::indexed_job_utils::{
    backoff_limit_per_index, calculate_failed_indexes, calculate_succeeded_indexes,
    get_pods_with_delayed_deletion_per_index, is_index_failed, is_valid_completion_index,
};
use super::manage_job::{delete_active_pods, manage_job};
use super::pod_failure_policy::match_pod_failure_policy;
use super::success_policy::match_success_policy;
use super::tracking::{
    count_unfinished_pods_of_finished_job, ensure_job_condition_status, job_event,
    track_job_status_and_remove_finalizers,
};
use crate::cluster::model::{
    CompletionMode, Job, JobConditionType, JobStatus, Pod, PodFailureAction, PodPhase,
    PodReplacementPolicy, RestartPolicy, Str, Uid,
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

/// `batchv1.JobControllerName`: the `spec.managedBy` value that names the built-in controller.
pub const JOB_CONTROLLER_NAME: &str = "kubernetes.io/job-controller";

/// Upstream `managedByExternalController`: the controller named by `spec.managedBy` when it is
/// set and is not the built-in Job controller (whose syncs then skip the Job).
pub fn managed_by_external_controller(job: &Job) -> Option<&str> {
    job.spec
        .managed_by
        .as_deref()
        .filter(|name| *name != JOB_CONTROLLER_NAME)
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
    /// Whether the Job succeeds.
    pub(super) success: bool,
    /// The condition's reason.
    pub(super) reason: Str,
    /// The condition's message.
    pub(super) message: Str,
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

    /// Whether the Job is Indexed.
    pub(super) fn is_indexed(&self) -> bool {
        self.job.spec.completion_mode == CompletionMode::Indexed
    }
}

/// `syncJob`: one sync at `now` over the Job's pods (every pod whose controller
/// ownerReference is the Job) with the Job's in-memory back-off record.
pub fn sync_job(now: Time, job: &Job, pods: &[&Pod], backoff: &BackoffRecord) -> JobSyncResult {
    // A Job another controller manages is skipped before anything is read or written:
    // no pods, no status, no events (upstream `syncJob`).
    if managed_by_external_controller(job).is_some() {
        return JobSyncResult {
            backoff: backoff.clone(),
            ..Default::default()
        };
    }
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
        // Saturating: activeDeadlineSeconds is any non-negative int64 a manifest gives.
        (Some(ads), Some(start), false) => Some(
            ads.saturating_mul(SECOND)
                .saturating_sub(ctx.now.since(start)),
        ),
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
            ctx.requeue_after(ads.saturating_mul(SECOND));
        }
    }
}
