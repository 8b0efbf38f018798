//! The Job controller, shaped like `pkg/controller/job/job_controller.go`: [`sync`] takes the
//! time, the Job, its pods and the in-memory back-off record, and returns the API calls to make
//! plus the requeue delay.
//!
//! Counting follows the finalizer protocol: a finished pod is counted exactly once, in the sync
//! that removes its `batch.kubernetes.io/job-tracking` finalizer, so status counters never
//! decrease even when pods disappear.

mod controller;
pub use controller::JobController;

use std::cmp::Ordering;

use crate::controllers::{Action, SyncResult};
use std::collections::BTreeSet;

use crate::cluster::model::{
    CompletionMode, ContainerState, Event, EventType, ExitCodeOperator, Job, JobCondition,
    JobConditionType, Kind, Pod, PodFailureAction, PodFailureRule, PodPhase, PodReplacementPolicy,
    RestartPolicy, Str, SuccessRule, Uid, INDEX_FAILURE_COUNT_KEY, INDEX_IGNORED_FAILURE_COUNT_KEY,
};
use crate::sim::time::{Millis, Time, MINUTE, SECOND};

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
        (backoff_delay(self.failures_after_last_success) - now.since(last)).max(0)
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

/// A finish decision: success or failure, with the condition reason and message.
#[derive(Clone, Debug, PartialEq)]
struct Finish {
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
}

/// Reason and message of the Complete condition in current Kubernetes.
pub const COMPLETIONS_REACHED: (&str, &str) = (
    "CompletionsReached",
    "Reached expected number of succeeded pods",
);

/// Formats sorted distinct indexes as Kubernetes interval strings: `1,3-5,7`; two adjacent
/// numbers are listed as `4,5`, three or more as a range.
pub fn interval_string(indexes: &[i32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < indexes.len() {
        let first = indexes[i];
        let mut last = first;
        while i + 1 < indexes.len() && indexes[i + 1] == last + 1 {
            i += 1;
            last = indexes[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&first.to_string());
        if last == first + 1 {
            out.push(',');
            out.push_str(&last.to_string());
        } else if last > first + 1 {
            out.push('-');
            out.push_str(&last.to_string());
        }
        i += 1;
    }
    out
}

fn annotation_i32(pod: &Pod, key: &str) -> i32 {
    pod.meta
        .annotations
        .get(key)
        .and_then(|v| v.parse::<i32>().ok())
        .filter(|v| *v >= 0)
        .unwrap_or(0)
}

/// The outcome of matching a failed pod against `podFailurePolicy`.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyMatch {
    /// The matching rule's action.
    pub action: PodFailureAction,
    /// The FailJob message (only for FailJob).
    pub message: String,
}

fn action_name(a: PodFailureAction) -> &'static str {
    match a {
        PodFailureAction::FailJob => "FailJob",
        PodFailureAction::Ignore => "Ignore",
        PodFailureAction::Count => "Count",
        PodFailureAction::FailIndex => "FailIndex",
    }
}

/// `matchPodFailurePolicy`: the first rule that matches a pod in phase Failed, if any.
pub fn match_pod_failure_policy(rules: &[PodFailureRule], pod: &Pod) -> Option<PolicyMatch> {
    if pod.status.phase != PodPhase::Failed {
        return None;
    }
    for (i, rule) in rules.iter().enumerate() {
        if let Some(req) = &rule.on_exit_codes {
            for c in &pod.status.containers {
                let ContainerState::Terminated(t) = &c.state else {
                    continue;
                };
                if t.exit_code == 0 {
                    continue;
                }
                if req.container_name.as_ref().is_some_and(|n| *n != c.name) {
                    continue;
                }
                let listed = req.values.contains(&t.exit_code);
                let hit = match req.operator {
                    ExitCodeOperator::In => listed,
                    ExitCodeOperator::NotIn => !listed,
                };
                if hit {
                    return Some(PolicyMatch {
                        action: rule.action,
                        message: format!(
                            "Container {} for pod {}/{} failed with exit code {} matching {} rule at index {i}",
                            c.name,
                            pod.meta.namespace,
                            pod.meta.name,
                            t.exit_code,
                            action_name(rule.action)
                        ),
                    });
                }
            }
        } else {
            for pat in &rule.on_pod_conditions {
                let present = pod
                    .status
                    .extra_conditions
                    .iter()
                    .any(|c| *c == pat.condition_type);
                if present == pat.status {
                    return Some(PolicyMatch {
                        action: rule.action,
                        message: format!(
                            "Pod {}/{} has condition {} matching {} rule at index {i}",
                            pod.meta.namespace,
                            pod.meta.name,
                            pat.condition_type,
                            action_name(rule.action)
                        ),
                    });
                }
            }
        }
    }
    None
}

/// `matchSuccessPolicy`: the index of the first rule the completed indexes satisfy.
pub fn match_success_policy(rules: &[SuccessRule], completed: &BTreeSet<i32>) -> Option<usize> {
    rules.iter().position(|r| {
        let in_listed = |ix: &i32| {
            r.succeeded_indexes
                .as_ref()
                .is_none_or(|iv| iv.iter().any(|(a, b)| a <= ix && ix <= b))
        };
        match (&r.succeeded_indexes, r.succeeded_count) {
            (Some(iv), None) => iv
                .iter()
                .all(|(a, b)| (*a..=*b).all(|ix| completed.contains(&ix))),
            (None, Some(n)) => completed.len() as i64 >= i64::from(n),
            (Some(_), Some(n)) => {
                completed.iter().filter(|ix| in_listed(ix)).count() as i64 >= i64::from(n)
            }
            (None, None) => false,
        }
    })
}

/// Pod-failure back-off delay for the `failures`-th consecutive failure.
fn backoff_delay(failures: i32) -> Millis {
    if failures <= 0 {
        return 0;
    }
    let exp = (failures - 1).clamp(0, 30) as u32;
    POD_FAILURE_BACKOFF
        .saturating_mul(1i64 << exp)
        .min(MAX_POD_FAILURE_BACKOFF)
}

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
    let spec = &job.spec;
    let indexed = spec.completion_mode == CompletionMode::Indexed;
    let completions = spec.completions;
    let per_index = if indexed {
        spec.backoff_limit_per_index
    } else {
        None
    };
    let valid_index = |ix: Option<i32>| match (ix, completions) {
        (Some(i), Some(c)) => i >= 0 && i < c,
        _ => false,
    };

    let mut actions = Vec::new();
    let mut requeue: Option<Millis> = None;
    let add_requeue = |d: Millis, r: &mut Option<Millis>| {
        *r = Some(r.map_or(d, |x: Millis| x.min(d)));
    };
    let mut status = job.status.clone();
    if status.start_time.is_none() && !spec.suspend {
        status.start_time = Some(now);
    }

    // Pods counted in this sync: their finalizer is removed in the same status flush.
    let mut new_succeeded: Vec<&Pod> = Vec::new();
    let mut new_failed: Vec<&Pod> = Vec::new();
    let mut new_ignored: Vec<&Pod> = Vec::new();
    let mut fail_job: Option<String> = None;
    let mut newly_failed_indexes: BTreeSet<i32> = BTreeSet::new();
    for p in pods.iter().copied() {
        if !p.has_tracking_finalizer() {
            continue;
        }
        if p.status.phase == PodPhase::Succeeded {
            new_succeeded.push(p);
            continue;
        }
        if !is_pod_failed(p, job) {
            continue;
        }
        let m = spec
            .pod_failure_policy
            .as_deref()
            .and_then(|rules| match_pod_failure_policy(rules, p));
        let action = m.as_ref().map(|m| m.action);
        match action {
            Some(PodFailureAction::Ignore) => new_ignored.push(p),
            _ => new_failed.push(p),
        }
        if action == Some(PodFailureAction::FailJob) && fail_job.is_none() {
            fail_job = m.map(|m| m.message);
        }
        if let Some(limit) = per_index {
            if valid_index(p.index) {
                let counted = action != Some(PodFailureAction::Ignore);
                if action == Some(PodFailureAction::FailIndex)
                    || (counted && annotation_i32(p, INDEX_FAILURE_COUNT_KEY) >= limit)
                {
                    newly_failed_indexes.extend(p.index);
                }
            }
        }
    }
    let mut active_pods: Vec<&Pod> = pods.iter().copied().filter(|p| p.is_active()).collect();
    let mut terminating = pods.iter().filter(|p| p.is_terminating()).count() as i32;

    let mut completed: BTreeSet<i32> = status.completed_indexes.iter().copied().collect();
    let succeeded = if indexed {
        for p in &new_succeeded {
            if valid_index(p.index) {
                completed.extend(p.index);
            }
        }
        completed.len() as i32
    } else {
        status.succeeded + new_succeeded.len() as i32
    };
    let mut failed = status.failed + new_failed.len() as i32;
    let mut failed_indexes: Option<BTreeSet<i32>> = per_index.map(|_| {
        let mut f: BTreeSet<i32> = status.failed_indexes.iter().flatten().copied().collect();
        f.extend(newly_failed_indexes.iter().copied());
        f
    });
    // getPodsWithDelayedDeletionPerIndex: with backoffLimitPerIndex, the latest failed pod of an
    // index that is neither resolved nor running again keeps its finalizer (and so is not yet
    // counted in status.failed) until its replacement exists, so the replacement can inherit
    // the failure count. It still counts toward backoffLimit in this sync, as upstream's
    // `jobCtx.failed` does; it is released anyway if the Job finishes in this sync.
    let delayed: Vec<Uid> = match &failed_indexes {
        Some(fi) => {
            let active_ix: BTreeSet<i32> = active_pods.iter().filter_map(|p| p.index).collect();
            let mut latest: std::collections::BTreeMap<i32, &Pod> = Default::default();
            for p in pods.iter().copied() {
                let Some(ix) = p.index.filter(|_| valid_index(p.index)) else {
                    continue;
                };
                if !p.has_tracking_finalizer()
                    || !is_pod_failed(p, job)
                    || completed.contains(&ix)
                    || fi.contains(&ix)
                    || active_ix.contains(&ix)
                {
                    continue;
                }
                let abs = |q: &Pod| {
                    annotation_i32(q, INDEX_FAILURE_COUNT_KEY)
                        + annotation_i32(q, INDEX_IGNORED_FAILURE_COUNT_KEY)
                };
                let replace = latest.get(&ix).is_none_or(|last| {
                    abs(last) <= abs(p) && pod_finished_time(p) >= pod_finished_time(last)
                });
                if replace {
                    latest.insert(ix, p);
                }
            }
            latest.values().map(|p| p.meta.uid).collect()
        }
        None => Vec::new(),
    };

    // newBackoffRecord: a success resets; only failures (ignored ones too) after it count.
    let mut record = backoff.clone();
    let all_failures: Vec<Time> = new_failed
        .iter()
        .chain(new_ignored.iter())
        .map(|p| pod_finished_time(p))
        .collect();
    if new_succeeded.is_empty() {
        record.failures_after_last_success += all_failures.len() as i32;
        for t in &all_failures {
            record.last_failure_time = Some(record.last_failure_time.map_or(*t, |x| x.max(*t)));
        }
    } else {
        let last_success = new_succeeded
            .iter()
            .map(|p| pod_finished_time(p))
            .max()
            .unwrap_or(now);
        let after: Vec<Time> = all_failures
            .iter()
            .copied()
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
        finish = Some(Finish::fail(&c.reason, &c.message));
    } else if let Some(msg) = &fail_job {
        finish = Some(Finish::fail("PodFailurePolicy", msg));
    } else if failed > spec.backoff_limit || past_backoff_limit_on_failure(job, pods) {
        finish = Some(Finish::fail(
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit",
        ));
    } else {
        if let (Some(ads), Some(start), false) = (
            spec.active_deadline_seconds,
            status.start_time,
            spec.suspend,
        ) {
            let elapsed = now.since(start);
            if elapsed >= ads * SECOND {
                finish = Some(Finish::fail(
                    "DeadlineExceeded",
                    "Job was active longer than specified deadline",
                ));
            } else {
                add_requeue(ads * SECOND - elapsed, &mut requeue);
            }
        }
        if finish.is_none() {
            if let (Some(fi), Some(c)) = (&failed_indexes, completions) {
                let nf = fi.len() as i64;
                if spec.max_failed_indexes.is_some_and(|m| nf > i64::from(m)) {
                    finish = Some(Finish::fail(
                        "MaxFailedIndexesExceeded",
                        "Job has exceeded the specified maximal number of failed indexes",
                    ));
                } else if nf > 0 && nf + completed.len() as i64 >= i64::from(c) {
                    finish = Some(Finish::fail("FailedIndexes", "Job has failed indexes"));
                }
            }
        }
        if finish.is_none() && indexed {
            if let Some(rules) = &spec.success_policy {
                if let Some(i) = match_success_policy(rules, &completed) {
                    finish = Some(Finish {
                        success: true,
                        reason: "SuccessPolicy".into(),
                        message: compact_str::format_compact!("Matched rules at index {i}"),
                    });
                }
            }
        }
    }

    // Pods whose finalizer is removed without being counted (success-policy leftovers).
    let mut released: Vec<Uid> = Vec::new();
    if let Some(f) = &finish {
        // Every active pod is deleted. On failure it keeps its finalizer and counts as failed;
        // after a success policy matched it is released uncounted.
        active_pods.sort_by(|a, b| active_pods_order(a, b));
        for p in &active_pods {
            actions.push(Action::DeletePod {
                pod: p.meta.uid,
                remove_finalizer_first: f.success,
            });
            terminating += 1;
        }
        // trackJobStatusAndRemoveFinalizers: once the Job is finishing, every pod still holding
        // the finalizer is processed. "When the job is considered finished, every
        // non-terminated pod is considered failed" — the active pods just deleted, and also
        // pods already terminating that were not failed yet (podReplacementPolicy Failed);
        // with an Indexed Job only pods with a valid index. On success they are released.
        for p in pods.iter().copied() {
            let seen = |l: &[&Pod]| l.iter().any(|q| q.meta.uid == p.meta.uid);
            if !p.has_tracking_finalizer()
                || p.status.phase == PodPhase::Succeeded
                || seen(&new_failed)
                || seen(&new_ignored)
            {
                continue;
            }
            if f.success || (indexed && !valid_index(p.index)) {
                released.push(p.meta.uid);
            } else {
                new_failed.push(p);
                failed += 1;
            }
        }
        active_pods.clear();
        status.active = 0;
    } else if job.meta.deletion.is_none() {
        // manageJob
        let mut active = active_pods.len() as i32;
        if spec.suspend {
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
            let want = match completions {
                None if succeeded > 0 => active,
                None => spec.parallelism,
                Some(c) => (c - succeeded).min(spec.parallelism).max(0),
            };
            let rm_at_least = (active - want).max(0);
            if rm_at_least > 0 {
                active_pods.sort_by(|a, b| active_pods_order(a, b));
                let removed: Vec<Uid> = active_pods
                    .iter()
                    .take(rm_at_least as usize)
                    .map(|p| p.meta.uid)
                    .collect();
                for uid in &removed {
                    actions.push(Action::DeletePod {
                        pod: *uid,
                        remove_finalizer_first: true,
                    });
                    terminating += 1;
                }
                active_pods.retain(|p| !removed.contains(&p.meta.uid));
                active -= rm_at_least;
            } else if active < want {
                let mut diff = want - active;
                if only_replace_failed_pods(job) {
                    diff -= terminating;
                }
                let diff = diff.clamp(0, 500);
                if indexed {
                    let created = create_indexed(
                        now,
                        job,
                        pods,
                        &active_pods,
                        &completed,
                        failed_indexes.as_ref(),
                        per_index.is_some(),
                        diff,
                        &record,
                        &mut actions,
                        &mut requeue,
                    );
                    active += created;
                } else {
                    let remaining = record.remaining(now);
                    if remaining > 0 {
                        add_requeue(remaining, &mut requeue);
                    } else {
                        for _ in 0..diff {
                            actions.push(Action::CreatePod {
                                job: job.meta.uid,
                                index: None,
                                index_failures: None,
                            });
                        }
                        active += diff;
                    }
                }
            }
        }
        let complete = match completions {
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
            if spec.suspend && !was_suspended {
                ensure_condition(
                    &mut status.conditions,
                    JobConditionType::Suspended,
                    true,
                    "JobSuspended",
                    "Job suspended",
                    now,
                );
                actions.push(job_event(
                    now,
                    job,
                    false,
                    "Suspended".into(),
                    "Job suspended",
                ));
            } else if !spec.suspend && was_suspended {
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
                actions.push(job_event(now, job, false, "Resumed".into(), "Job resumed"));
                if let Some(ads) = spec.active_deadline_seconds {
                    add_requeue(ads * SECOND, &mut requeue);
                }
            }
        }
        status.active = active;
    }

    // trackJobStatusAndRemoveFinalizers: count, remove finalizers, interim then terminal conditions.
    // Delayed pods keep their finalizer and stay out of status.failed unless the Job finishes.
    let hold = |p: &Pod| finish.is_none() && delayed.contains(&p.meta.uid);
    let held_failed = new_failed.iter().filter(|p| hold(p)).count() as i32;
    let counted: Vec<Uid> = new_succeeded
        .iter()
        .chain(new_failed.iter().filter(|p| !hold(p)))
        .chain(new_ignored.iter().filter(|p| !hold(p)))
        .map(|p| p.meta.uid)
        .chain(released)
        .collect();
    status.succeeded = succeeded;
    status.failed = failed - held_failed;
    if indexed {
        status.completed_indexes = completed.iter().copied().collect();
    }
    if let Some(fi) = failed_indexes.take() {
        status.failed_indexes = Some(fi.into_iter().collect());
    }
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
                terminal_event = Some(job_event(
                    now,
                    job,
                    false,
                    "Completed".into(),
                    "Job completed",
                ));
            } else {
                terminal_event = Some(job_event(
                    now,
                    job,
                    true,
                    f.reason.clone().into(),
                    &f.message,
                ));
            }
        }
    }

    if !counted.is_empty() {
        actions.push(Action::RemoveFinalizers { pods: counted });
    }
    if status != job.status {
        actions.push(Action::UpdateJobStatus {
            job: job.meta.uid,
            status: Box::new(status),
        });
    }
    out.backoff = if terminal_event.is_some() {
        BackoffRecord::default()
    } else {
        record
    };
    if let Some(e) = terminal_event {
        actions.push(e);
    }
    out.result = SyncResult {
        actions,
        requeue_after: requeue,
    };
    out
}

/// Creates pods for the lowest pending indexes (`firstPendingIndexes`), honouring the Job-wide
/// back-off, or with backoffLimitPerIndex each index's own back-off. Returns how many it created.
#[allow(clippy::too_many_arguments)]
fn create_indexed(
    now: Time,
    job: &Job,
    pods: &[&Pod],
    active_pods: &[&Pod],
    completed: &BTreeSet<i32>,
    failed_indexes: Option<&BTreeSet<i32>>,
    per_index: bool,
    diff: i32,
    record: &BackoffRecord,
    actions: &mut Vec<Action>,
    requeue: &mut Option<Millis>,
) -> i32 {
    let Some(completions) = job.spec.completions else {
        return 0;
    };
    let mut busy: BTreeSet<i32> = completed.clone();
    busy.extend(active_pods.iter().filter_map(|p| p.index));
    if only_replace_failed_pods(job) {
        busy.extend(
            pods.iter()
                .filter(|p| p.is_terminating())
                .filter_map(|p| p.index),
        );
    }
    if let Some(f) = failed_indexes {
        busy.extend(f.iter().copied());
    }
    if !per_index {
        let remaining = record.remaining(now);
        if remaining > 0 {
            *requeue = Some(requeue.map_or(remaining, |x| x.min(remaining)));
            return 0;
        }
    }
    // firstPendingIndexes(diff) picks the indexes first; getPodCreationInfoForIndependentIndexes
    // then drops those still in their per-index back-off. A later pending index is NOT created
    // in their place: the slot waits for the back-off (requeued below).
    let chosen: Vec<i32> = (0..completions)
        .filter(|ix| !busy.contains(ix))
        .take(diff.max(0) as usize)
        .collect();
    let mut created = 0;
    for ix in chosen {
        let mut index_failures = None;
        if per_index {
            // The pod being replaced: the failed pod of this index with the highest count.
            let last = pods
                .iter()
                .filter(|p| p.index == Some(ix) && is_pod_failed(p, job))
                .max_by_key(|p| {
                    (
                        annotation_i32(p, INDEX_FAILURE_COUNT_KEY)
                            + annotation_i32(p, INDEX_IGNORED_FAILURE_COUNT_KEY),
                        pod_finished_time(p),
                    )
                });
            if let Some(last) = last {
                let mut fc = annotation_i32(last, INDEX_FAILURE_COUNT_KEY);
                let mut ic = annotation_i32(last, INDEX_IGNORED_FAILURE_COUNT_KEY);
                let ignored = job
                    .spec
                    .pod_failure_policy
                    .as_deref()
                    .and_then(|r| match_pod_failure_policy(r, last))
                    .is_some_and(|m| m.action == PodFailureAction::Ignore);
                if ignored {
                    ic += 1;
                } else {
                    fc += 1;
                }
                let delay = backoff_delay(fc + ic);
                let remaining = delay - now.since(pod_finished_time(last));
                if remaining > 0 {
                    *requeue = Some(requeue.map_or(remaining, |x| x.min(remaining)));
                    continue;
                }
                index_failures = Some((fc, ic));
            } else {
                index_failures = Some((0, 0));
            }
        }
        actions.push(Action::CreatePod {
            job: job.meta.uid,
            index: Some(ix),
            index_failures,
        });
        created += 1;
    }
    created
}
