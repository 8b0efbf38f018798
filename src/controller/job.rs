//! The Job controller, shaped like `pkg/controller/job/job_controller.go`: [`sync`] takes the
//! time, the Job, its pods and the in-memory back-off record, and returns the API calls to make
//! plus the requeue delay.
//!
//! Counting follows the finalizer protocol: a finished pod is counted exactly once, in the sync
//! that removes its `batch.kubernetes.io/job-tracking` finalizer, so status counters never
//! decrease even when pods disappear.

use std::cmp::Ordering;

use crate::controller::{Action, SyncResult};
use crate::model::{
    ContainerState, Event, EventType, Job, JobCondition, JobConditionType, Kind, Pod, PodPhase,
    PodReplacementPolicy, RestartPolicy, Uid,
};
use crate::time::{Millis, Time, MINUTE, SECOND};

/// `DefaultJobPodFailureBackOff`: the first pod-failure re-creation delay.
pub const POD_FAILURE_BACKOFF: Millis = 10 * SECOND;
/// `MaxJobPodFailureBackOff`: the cap of the pod-failure re-creation delay.
pub const MAX_POD_FAILURE_BACKOFF: Millis = 10 * MINUTE;

/// The controller's in-memory `backoffRecord` for one Job.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BackoffRecord {
    /// Failures since the last success.
    pub failures_after_last_success: i32,
    /// Finish time of the latest of those failures.
    pub last_failure_time: Option<Time>,
}

impl BackoffRecord {
    /// `getRemainingTime`: how long re-creation must still wait at `now`.
    pub fn remaining(&self, now: Time) -> Millis {
        if self.failures_after_last_success == 0 {
            return 0;
        }
        let Some(last) = self.last_failure_time else {
            return 0;
        };
        let exp = (self.failures_after_last_success - 1).clamp(0, 30) as u32;
        let delay = POD_FAILURE_BACKOFF
            .saturating_mul(1i64 << exp)
            .min(MAX_POD_FAILURE_BACKOFF);
        (delay - now.since(last)).max(0)
    }
}

/// What one Job sync returns: the actions and requeue, plus the back-off record to keep.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobSyncResult {
    /// Actions and requeue delay.
    pub result: SyncResult,
    /// The new back-off record (saved when the status is flushed, as upstream).
    pub backoff: BackoffRecord,
}

/// `getFinishedTime`: when a pod finished, for the back-off clock.
pub fn pod_finished_time(pod: &Pod) -> Time {
    let cs = &pod.status.containers;
    if !cs.is_empty()
        && cs
            .iter()
            .all(|c| matches!(c.state, ContainerState::Terminated(_)))
    {
        return cs
            .iter()
            .filter_map(|c| match &c.state {
                ContainerState::Terminated(t) => Some(t.finished_at),
                _ => None,
            })
            .max()
            .unwrap_or(pod.meta.created_at);
    }
    if let Some(t) = pod.meta.delete_requested_at {
        return t;
    }
    pod.meta.created_at
}

/// `onlyReplaceFailedPods`: terminating pods are neither failed nor replaced until Failed.
fn only_replace_failed_pods(job: &Job) -> bool {
    job.spec.pod_replacement_policy == PodReplacementPolicy::Failed
        || job.spec.pod_failure_policy.is_some()
}

/// `isPodFailed`: phase Failed, or (unless only failed pods are replaced) deleted while not Succeeded.
fn is_pod_failed(pod: &Pod, job: &Job) -> bool {
    if pod.status.phase == PodPhase::Failed {
        return true;
    }
    !only_replace_failed_pods(job)
        && pod.meta.deletion.is_some()
        && pod.status.phase != PodPhase::Succeeded
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

/// `controller.ActivePods` order: the pods to delete first sort first.
pub fn active_pods_order(a: &Pod, b: &Pod) -> Ordering {
    // Unassigned < assigned.
    let sa = a.status.scheduled_at.is_some();
    let sb = b.status.scheduled_at.is_some();
    if sa != sb {
        return sa.cmp(&sb);
    }
    // Pending < Running (Unknown does not arise here).
    let rank = |p: &Pod| match p.status.phase {
        PodPhase::Pending => 0,
        PodPhase::Running => 2,
        _ => 1,
    };
    if rank(a) != rank(b) {
        return rank(a).cmp(&rank(b));
    }
    // Not ready < ready.
    if a.status.ready != b.status.ready {
        return a.status.ready.cmp(&b.status.ready);
    }
    // Ready for a shorter time < longer: the later transition sorts first.
    if a.status.ready {
        if let (Some(ta), Some(tb)) = (a.status.ready_transition, b.status.ready_transition) {
            if ta != tb {
                return tb.cmp(&ta);
            }
        }
    }
    // More restarts first.
    if a.restarts() != b.restarts() {
        return b.restarts().cmp(&a.restarts());
    }
    // Newer first.
    if a.meta.created_at != b.meta.created_at {
        return b.meta.created_at.cmp(&a.meta.created_at);
    }
    b.meta.uid.cmp(&a.meta.uid)
}

fn job_event(now: Time, job: &Job, warning: bool, reason: &str, message: &str) -> Action {
    Action::Event(Event {
        time: now,
        kind: Kind::Job,
        name: job.meta.name.clone(),
        event_type: if warning {
            EventType::Warning
        } else {
            EventType::Normal
        },
        reason: reason.to_string(),
        message: message.to_string(),
    })
}

/// `ensureJobConditionStatus`: append when absent and True; update when status/reason/message change.
fn ensure_condition(
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
            c.reason = reason.to_string();
            c.message = message.to_string();
            c.last_transition = now;
            return true;
        }
        return false;
    }
    if status {
        conds.push(JobCondition {
            kind,
            status,
            reason: reason.to_string(),
            message: message.to_string(),
            last_transition: now,
        });
        return true;
    }
    false
}

/// A finish decision: the interim condition type, and the reason and message.
#[derive(Clone, Debug, PartialEq)]
struct Finish {
    success: bool,
    reason: String,
    message: String,
}

/// Reason and message of the Complete condition in current Kubernetes.
pub const COMPLETIONS_REACHED: (&str, &str) = (
    "CompletionsReached",
    "Reached expected number of succeeded pods",
);

/// One Job sync at `now` over the Job's pods (every pod whose controller ownerReference is the Job).
pub fn sync(now: Time, job: &Job, pods: &[&Pod], backoff: &BackoffRecord) -> JobSyncResult {
    let mut out = JobSyncResult {
        backoff: backoff.clone(),
        ..Default::default()
    };
    // A finished Job is frozen.
    if job.status.finished().is_some() {
        return out;
    }
    let mut actions = Vec::new();
    let mut requeue: Option<Millis> = None;
    let add_requeue = |d: Millis, r: &mut Option<Millis>| {
        *r = Some(r.map_or(d, |x: Millis| x.min(d)));
    };
    let mut status = job.status.clone();
    let old_status = job.status.clone();

    if status.start_time.is_none() && !job.spec.suspend {
        status.start_time = Some(now);
    }

    // Pods counted in this sync (their finalizer is removed in the same status flush).
    let mut new_succeeded: Vec<&Pod> = Vec::new();
    let mut new_failed: Vec<&Pod> = Vec::new();
    for p in pods.iter().copied() {
        if !p.has_tracking_finalizer() {
            continue;
        }
        if p.status.phase == PodPhase::Succeeded {
            new_succeeded.push(p);
        } else if is_pod_failed(p, job) {
            new_failed.push(p);
        }
    }
    let mut active_pods: Vec<&Pod> = pods.iter().copied().filter(|p| p.is_active()).collect();
    let mut terminating = pods.iter().filter(|p| p.is_terminating()).count() as i32;
    let succeeded = status.succeeded + new_succeeded.len() as i32;
    let mut failed = status.failed + new_failed.len() as i32;

    // newBackoffRecord: a success resets; only failures after the latest success count.
    let mut record = backoff.clone();
    if new_succeeded.is_empty() {
        record.failures_after_last_success += new_failed.len() as i32;
        for p in &new_failed {
            let t = pod_finished_time(p);
            record.last_failure_time = Some(record.last_failure_time.map_or(t, |x| x.max(t)));
        }
    } else {
        let last_success = new_succeeded
            .iter()
            .map(|p| pod_finished_time(p))
            .max()
            .unwrap_or(now);
        let after: Vec<Time> = new_failed
            .iter()
            .map(|p| pod_finished_time(p))
            .filter(|t| *t > last_success)
            .collect();
        record.failures_after_last_success = after.len() as i32;
        record.last_failure_time = after.iter().copied().max();
    }

    // The finish decision, in upstream order (first hit wins).
    let mut finish: Option<Finish> = None;
    if let Some(c) = status.condition(JobConditionType::SuccessCriteriaMet) {
        finish = Some(Finish {
            success: true,
            reason: c.reason.clone(),
            message: c.message.clone(),
        });
    } else if let Some(c) = status.condition(JobConditionType::FailureTarget) {
        finish = Some(Finish {
            success: false,
            reason: c.reason.clone(),
            message: c.message.clone(),
        });
    } else if failed > job.spec.backoff_limit || past_backoff_limit_on_failure(job, pods) {
        finish = Some(Finish {
            success: false,
            reason: "BackoffLimitExceeded".into(),
            message: "Job has reached the specified backoff limit".into(),
        });
    } else if let (Some(ads), Some(start), false) = (
        job.spec.active_deadline_seconds,
        status.start_time,
        job.spec.suspend,
    ) {
        let elapsed = now.since(start);
        if elapsed >= ads * SECOND {
            finish = Some(Finish {
                success: false,
                reason: "DeadlineExceeded".into(),
                message: "Job was active longer than specified deadline".into(),
            });
        } else {
            add_requeue(ads * SECOND - elapsed, &mut requeue);
        }
    }

    let mut suspend_changed = false;
    if let Some(f) = &finish {
        if !f.success {
            // Every active pod is deleted; it keeps its finalizer and counts as failed.
            active_pods.sort_by(|a, b| active_pods_order(a, b));
            for p in &active_pods {
                if p.has_tracking_finalizer() {
                    new_failed.push(p);
                    failed += 1;
                }
                actions.push(Action::DeletePod {
                    pod: p.meta.uid,
                    remove_finalizer_first: false,
                });
                terminating += 1;
            }
            active_pods.clear();
        }
    } else if job.meta.deletion.is_none() {
        // manageJob
        let mut active = active_pods.len() as i32;
        if job.spec.suspend {
            active_pods.sort_by(|a, b| active_pods_order(a, b));
            for p in &active_pods {
                actions.push(Action::DeletePod {
                    pod: p.meta.uid,
                    remove_finalizer_first: true,
                });
                terminating += 1;
            }
            active = 0;
            active_pods.clear();
        } else {
            let want = match job.spec.completions {
                None => {
                    if succeeded > 0 {
                        active
                    } else {
                        job.spec.parallelism
                    }
                }
                Some(c) => (c - succeeded).min(job.spec.parallelism).max(0),
            };
            let rm_at_least = (active - want).max(0);
            if rm_at_least > 0 {
                active_pods.sort_by(|a, b| active_pods_order(a, b));
                for p in active_pods.iter().take(rm_at_least as usize) {
                    actions.push(Action::DeletePod {
                        pod: p.meta.uid,
                        remove_finalizer_first: true,
                    });
                    terminating += 1;
                }
                active -= rm_at_least;
            } else if active < want {
                let remaining = record.remaining(now);
                if remaining > 0 {
                    add_requeue(remaining, &mut requeue);
                } else {
                    let mut diff = want - active;
                    if only_replace_failed_pods(job) {
                        diff -= terminating;
                    }
                    let diff = diff.clamp(0, 500);
                    for _ in 0..diff {
                        actions.push(Action::CreatePod {
                            job: job.meta.uid,
                            index: None,
                        });
                    }
                    active += diff;
                }
            }
        }
        let complete = match job.spec.completions {
            None => succeeded > 0 && active == 0,
            Some(c) => succeeded >= c && active == 0,
        };
        if complete {
            finish = Some(Finish {
                success: true,
                reason: COMPLETIONS_REACHED.0.into(),
                message: COMPLETIONS_REACHED.1.into(),
            });
        } else {
            // Suspend / resume conditions only change where manageJob ran.
            let was_suspended = status
                .conditions
                .iter()
                .any(|c| c.kind == JobConditionType::Suspended && c.status);
            if job.spec.suspend && !was_suspended {
                ensure_condition(
                    &mut status.conditions,
                    JobConditionType::Suspended,
                    true,
                    "JobSuspended",
                    "Job suspended",
                    now,
                );
                actions.push(job_event(now, job, false, "Suspended", "Job suspended"));
                suspend_changed = true;
            } else if !job.spec.suspend && was_suspended {
                ensure_condition(
                    &mut status.conditions,
                    JobConditionType::Suspended,
                    false,
                    "JobResumed",
                    "Job resumed",
                    now,
                );
                // Resuming restarts the activeDeadlineSeconds clock.
                status.start_time = Some(now);
                actions.push(job_event(now, job, false, "Resumed", "Job resumed"));
                suspend_changed = true;
                if let Some(ads) = job.spec.active_deadline_seconds {
                    add_requeue(ads * SECOND, &mut requeue);
                }
            }
        }
        status.active = active;
    }
    let _ = suspend_changed;
    if finish.as_ref().is_some_and(|f| !f.success) {
        status.active = 0;
    }

    // trackJobStatusAndRemoveFinalizers: count, remove finalizers, interim then terminal conditions.
    let counted: Vec<Uid> = new_succeeded
        .iter()
        .chain(new_failed.iter())
        .map(|p| p.meta.uid)
        .collect();
    status.succeeded = succeeded;
    status.failed = failed;
    status.ready = active_pods.iter().filter(|p| p.status.ready).count() as i32;
    status.terminating = terminating;
    let mut terminal_event = None;
    if let Some(f) = &finish {
        let interim = if f.success {
            JobConditionType::SuccessCriteriaMet
        } else {
            JobConditionType::FailureTarget
        };
        ensure_condition(
            &mut status.conditions,
            interim,
            true,
            &f.reason,
            &f.message,
            now,
        );
        if terminating == 0 {
            let terminal = if f.success {
                JobConditionType::Complete
            } else {
                JobConditionType::Failed
            };
            ensure_condition(
                &mut status.conditions,
                terminal,
                true,
                &f.reason,
                &f.message,
                now,
            );
            if f.success {
                status.completion_time = Some(now);
                terminal_event = Some(job_event(now, job, false, "Completed", "Job completed"));
            } else {
                terminal_event = Some(job_event(now, job, true, &f.reason, &f.message));
            }
            out.backoff = BackoffRecord::default();
        }
    }

    if !counted.is_empty() {
        actions.push(Action::RemoveFinalizers { pods: counted });
    }
    if status != old_status {
        actions.push(Action::UpdateJobStatus {
            job: job.meta.uid,
            status: Box::new(status),
        });
        if terminal_event.is_none() {
            out.backoff = record;
        }
    } else {
        out.backoff = record;
    }
    if let Some(e) = terminal_event {
        actions.push(e);
    }
    out.result = SyncResult {
        actions,
        requeue_after: requeue,
    };
    out
}
