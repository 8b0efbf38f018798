//! Builders for the ports of Kubernetes' `pkg/controller/job/job_controller_test.go` tables:
//! a Job and hand-made pods (phase, exit codes, conditions, finalizer, deletion, index
//! annotations) fed to one `controllers::job::sync_job`, and the written status and pod actions read back.

mod backoff_limit_per_index;
mod pod_failure_policy;
mod success_policy;

use crate::util::{self, job_spec, meta, pod_template};
use batchsim::cluster::model::*;
use batchsim::controllers::job::{sync_job, BackoffRecord};
use batchsim::controllers::Action;
use batchsim::sim::time::{Millis, Time};

/// The controller's clock in every ported row (any instant far from `Time(0)`).
pub const NOW: Time = Time(1_700_000_000_000);

/// Upstream leaves `creationTimestamp` and `finishedAt` unset (the zero time), which is far in
/// the past, so no pod-failure back-off is in effect unless a row sets a recent time.
pub const LONG_AGO: Time = Time(0);

/// Upstream `newJob` / `validObjectMeta`: `default/foobar`, restartPolicy Never; the template
/// has no containers (each row gives its pods their container statuses).
pub fn ujob(parallelism: i32, completions: Option<i32>, backoff_limit: i32) -> Job {
    Job {
        meta: Meta {
            uid: Uid(1),
            ..meta("default", "foobar")
        },
        spec: JobSpec {
            parallelism,
            completions,
            backoff_limit,
            ..job_spec(pod_template(vec![], RestartPolicy::Never))
        },
        status: JobStatus::default(),
        origin: None,
    }
}

/// An Indexed Job with `backoffLimit: MaxInt32` (the default next to backoffLimitPerIndex).
pub fn indexed(parallelism: i32, completions: i32) -> Job {
    let mut j = ujob(parallelism, Some(completions), i32::MAX);
    j.spec.completion_mode = CompletionMode::Indexed;
    j
}

/// A pod under construction (upstream `buildPod()` / `podBuilder`).
pub struct PodB(pub Pod);

/// A pod of `job` named `mypod-<n>` (the name upstream's loop gives the n-th pod), uid 100+n,
/// phase Pending, no containers reported, no finalizer.
pub fn pod(job: &Job, n: u64) -> PodB {
    PodB(util::pod(
        job,
        &format!("mypod-{n}"),
        Uid(100 + n),
        LONG_AGO,
    ))
}

impl PodB {
    /// `.index("i")`: the completion-index annotation (and label).
    pub fn index(mut self, i: i32) -> Self {
        self.0.index = Some(i);
        self.0
            .meta
            .annotations
            .insert(COMPLETION_INDEX_KEY.into(), i.to_string().into());
        self
    }
    /// `.phase(p)`
    pub fn phase(mut self, p: PodPhase) -> Self {
        self.0.status.phase = p;
        self
    }
    /// `.indexFailureCount("n")`
    pub fn failure_count(mut self, n: i32) -> Self {
        self.0
            .meta
            .annotations
            .insert(INDEX_FAILURE_COUNT_KEY.into(), n.to_string().into());
        self
    }
    /// `.trackingFinalizer()`
    pub fn finalizer(mut self) -> Self {
        self.0.meta.finalizers.push(JOB_TRACKING_FINALIZER.into());
        self
    }
    /// A container status `state.terminated{exitCode}` with the zero `finishedAt`.
    pub fn exited(mut self, container: &str, exit_code: i32) -> Self {
        self.0.status.containers.push(ContainerStatus {
            name: container.into(),
            state: ContainerState::Terminated(Terminated {
                exit_code,
                reason: if exit_code == 0 { "Completed" } else { "Error" }.into(),
                started_at: LONG_AGO,
                finished_at: LONG_AGO,
            }),
            last_terminated: None,
            restart_count: 0,
            ready: false,
        });
        self
    }
    /// A pod condition with status True (e.g. `DisruptionTarget`).
    pub fn condition(mut self, kind: &str) -> Self {
        self.0.status.extra_conditions.push(kind.into());
        self
    }
    /// `deletionTimestamp: at` with no grace period (as upstream's `&now`).
    pub fn deleting(mut self, at: Time) -> Self {
        self.0.meta.deletion = Some(at);
        self.0.meta.delete_requested_at = Some(at);
        self
    }
}

/// A created pod: its index and its (failure, ignored failure) count annotations.
pub type Created = (Option<i32>, Option<(i32, i32)>);

/// What one sync did, in the terms the upstream tables check.
#[derive(Debug)]
pub struct Outcome {
    /// The status last written (the Job's own status when nothing was written).
    pub status: JobStatus,
    /// Created pods' indexes (None for NonIndexed), with their failure-count annotations.
    pub created: Vec<Created>,
    /// Deleted pods: (name, finalizer removed first).
    pub deleted: Vec<(String, bool)>,
    /// Pods whose tracking finalizer was removed because they were counted.
    pub finalizers_removed: Vec<String>,
    /// Events recorded on the Job: (reason, message).
    pub events: Vec<(String, String)>,
    /// Requeue delay.
    pub requeue: Option<Millis>,
}

impl Outcome {
    /// `status.conditions` as (type, reason, message), True only.
    pub fn conditions(&self) -> Vec<(&str, &str, &str)> {
        self.status
            .conditions
            .iter()
            .filter(|c| c.status)
            .map(|c| (c.kind.as_str(), c.reason.as_str(), c.message.as_str()))
            .collect()
    }
    /// (active, succeeded, failed, terminating)
    pub fn counts(&self) -> (i32, i32, i32, i32) {
        (
            self.status.active,
            self.status.succeeded,
            self.status.failed,
            self.status.terminating,
        )
    }
    /// `status.completedIndexes` as the interval string.
    pub fn completed(&self) -> String {
        batchsim::controllers::job::interval_string(&self.status.completed_indexes)
    }
    /// `status.failedIndexes` as the interval string (None when unset).
    pub fn failed_indexes(&self) -> Option<String> {
        self.status
            .failed_indexes
            .as_deref()
            .map(batchsim::controllers::job::interval_string)
    }
}

/// Runs one sync at [`NOW`] with an empty back-off record (upstream's fresh controller).
pub fn run(job: &Job, pods: Vec<PodB>) -> Outcome {
    run_with(job, pods, &BackoffRecord::default())
}

/// Runs one sync at [`NOW`] with a given back-off record.
pub fn run_with(job: &Job, pods: Vec<PodB>, backoff: &BackoffRecord) -> Outcome {
    let pods: Vec<Pod> = pods.into_iter().map(|p| p.0).collect();
    let refs: Vec<&Pod> = pods.iter().collect();
    let name = |uid: Uid| {
        pods.iter()
            .find(|p| p.meta.uid == uid)
            .map(|p| p.meta.name.to_string())
            .unwrap_or_default()
    };
    let res = sync_job(NOW, job, &refs, backoff);
    let mut out = Outcome {
        status: job.status.clone(),
        created: vec![],
        deleted: vec![],
        finalizers_removed: vec![],
        events: vec![],
        requeue: res.result.requeue_after,
    };
    for a in res.result.actions {
        match a {
            Action::CreatePod { pod } => out.created.push((pod.index, index_failures(&pod))),
            Action::DeletePod {
                pod,
                remove_finalizer_first,
            } => out.deleted.push((name(pod), remove_finalizer_first)),
            Action::RemoveFinalizers { pods } => {
                out.finalizers_removed.extend(pods.into_iter().map(name))
            }
            Action::UpdateJobStatus { status, .. } => out.status = *status,
            Action::Event(e) => out
                .events
                .push((e.reason.into_owned(), e.message.to_string())),
            _ => {}
        }
    }
    out
}

/// The (failure count, ignored failure count) a created pod carries in its annotations
/// (`addIndexFailureCountAnnotation`: the ignored count only when non-zero).
fn index_failures(pod: &Pod) -> Option<(i32, i32)> {
    let count = |key: &str| pod.meta.annotations.get(key).and_then(|v| v.parse().ok());
    let failed = count(INDEX_FAILURE_COUNT_KEY)?;
    Some((failed, count(INDEX_IGNORED_FAILURE_COUNT_KEY).unwrap_or(0)))
}

/// A FailJob / Ignore / Count / FailIndex rule on exit codes.
pub fn on_exit(
    action: PodFailureAction,
    container: Option<&str>,
    op: ExitCodeOperator,
    values: &[i32],
) -> PodFailureRule {
    PodFailureRule {
        action,
        on_exit_codes: Some(OnExitCodes {
            container_name: container.map(String::from),
            operator: op,
            values: values.to_vec(),
        }),
        on_pod_conditions: vec![],
    }
}

/// A rule on one pod condition with status True.
pub fn on_condition(action: PodFailureAction, kind: &str) -> PodFailureRule {
    PodFailureRule {
        action,
        on_exit_codes: None,
        on_pod_conditions: vec![OnPodCondition {
            condition_type: kind.into(),
            status: true,
        }],
    }
}

/// A Job condition with status True at [`NOW`].
pub fn cond(kind: JobConditionType, reason: &str, message: &str) -> JobCondition {
    JobCondition {
        kind,
        status: true,
        reason: reason.into(),
        message: message.into(),
        last_transition: NOW,
    }
}
