//! `trackJobStatusAndRemoveFinalizers`, after `pkg/controller/job/job_controller.go`.
//!
//! Counting follows the finalizer protocol: a finished pod is counted exactly once, in the sync
//! that removes its `batch.kubernetes.io/job-tracking` finalizer, so status counters never
//! decrease even when pods disappear.

use super::backoff_utils::BackoffRecord;
use super::indexed_job_utils::is_valid_completion_index;
use super::sync_job::{Finish, JobCtx, JobSyncResult};
use crate::cluster::model::{
    CompletionMode, Event, EventType, Job, JobCondition, JobConditionType, JobStatus, Kind, Pod,
    PodPhase, Uid,
};
use crate::controllers::{Action, SyncResult};
use crate::sim::time::Time;

/// The rule of `trackJobStatusAndRemoveFinalizers` for a Job finishing in this sync: "when the
/// job is considered finished, every non-terminated pod is considered failed" — the active
/// pods just deleted, and also pods already terminating that were not failed yet
/// (podReplacementPolicy Failed); with an Indexed Job only pods with a valid index. After a
/// success they are released uncounted instead.
pub(super) fn count_unfinished_pods_of_finished_job(ctx: &mut JobCtx, success: bool) {
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

/// `trackJobStatusAndRemoveFinalizers` with `flushUncountedAndRemoveFinalizers` and
/// `enactJobFinished`: counts the finished pods, removes their finalizers, writes the status
/// with the interim then the terminal condition, and records the terminal event. Delayed pods
/// keep their finalizer and stay out of status.failed unless the Job finishes.
pub(super) fn track_job_status_and_remove_finalizers(mut ctx: JobCtx) -> JobSyncResult {
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
pub(super) fn ensure_job_condition_status(
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
pub(super) fn job_event(
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
