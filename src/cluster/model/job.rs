//! Jobs: the spec with API defaults applied, conditions and the status the Job controller writes.

use std::sync::Arc;

use crate::sim::time::Time;

use super::{Meta, PodTemplate, Str};

// ---------------------------------------------------------------------------------------------
// Job
// ---------------------------------------------------------------------------------------------

/// `spec.completionMode`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CompletionMode {
    /// Pods are interchangeable.
    NonIndexed,
    /// Each pod has an index in `0..completions`.
    Indexed,
}

/// `spec.podReplacementPolicy`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PodReplacementPolicy {
    /// Replace a pod as soon as it is terminating or failed (default without podFailurePolicy).
    TerminatingOrFailed,
    /// Replace a pod only once it has reached phase Failed.
    Failed,
}

/// `podFailurePolicy.rules[].action`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PodFailureAction {
    /// Fail the whole Job.
    FailJob,
    /// Do not count the failure.
    Ignore,
    /// Count the failure normally.
    Count,
    /// Fail the pod's index (needs backoffLimitPerIndex).
    FailIndex,
}

/// `onExitCodes.operator`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ExitCodeOperator {
    /// The exit code is one of the values.
    In,
    /// The exit code is none of the values.
    NotIn,
}

/// `podFailurePolicy.rules[].onExitCodes`.
#[derive(Clone, Debug, PartialEq)]
pub struct OnExitCodes {
    /// Restricts the check to one container.
    pub container_name: Option<String>,
    /// In or NotIn.
    pub operator: ExitCodeOperator,
    /// Sorted, unique exit codes.
    pub values: Vec<i32>,
}

/// `podFailurePolicy.rules[].onPodConditions[]`.
#[derive(Clone, Debug, PartialEq)]
pub struct OnPodCondition {
    /// Condition type, e.g. `DisruptionTarget`.
    pub condition_type: String,
    /// Condition status (default True).
    pub status: bool,
}

/// One `podFailurePolicy` rule.
#[derive(Clone, Debug, PartialEq)]
pub struct PodFailureRule {
    /// What to do when the rule matches.
    pub action: PodFailureAction,
    /// Exit-code requirement (exactly one of this and `on_pod_conditions`).
    pub on_exit_codes: Option<OnExitCodes>,
    /// Pod-condition patterns.
    pub on_pod_conditions: Vec<OnPodCondition>,
}

/// One `successPolicy` rule.
#[derive(Clone, Debug, PartialEq)]
pub struct SuccessRule {
    /// `succeededIndexes` as sorted inclusive intervals.
    pub succeeded_indexes: Option<Vec<(i32, i32)>>,
    /// `succeededCount`.
    pub succeeded_count: Option<i32>,
}

/// A Job spec with API defaults applied.
#[derive(Clone, Debug, PartialEq)]
pub struct JobSpec {
    /// spec.parallelism (default 1).
    pub parallelism: i32,
    /// spec.completions (None = work-queue mode).
    pub completions: Option<i32>,
    /// spec.backoffLimit (default 6, MaxInt32 with backoffLimitPerIndex).
    pub backoff_limit: i32,
    /// spec.activeDeadlineSeconds
    pub active_deadline_seconds: Option<i64>,
    /// spec.ttlSecondsAfterFinished
    pub ttl_seconds_after_finished: Option<i32>,
    /// spec.completionMode
    pub completion_mode: CompletionMode,
    /// spec.suspend
    pub suspend: bool,
    /// spec.backoffLimitPerIndex
    pub backoff_limit_per_index: Option<i32>,
    /// spec.maxFailedIndexes
    pub max_failed_indexes: Option<i32>,
    /// spec.podFailurePolicy rules (None when unset).
    pub pod_failure_policy: Option<Vec<PodFailureRule>>,
    /// spec.successPolicy rules (None when unset).
    pub success_policy: Option<Vec<SuccessRule>>,
    /// spec.podReplacementPolicy
    pub pod_replacement_policy: PodReplacementPolicy,
    /// spec.managedBy: the controller that reconciles the Job (None = the built-in one).
    pub managed_by: Option<Str>,
    /// spec.template, shared by every pod of the Job.
    pub template: Arc<PodTemplate>,
}

/// Job condition types.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JobConditionType {
    /// Suspended (True/False).
    Suspended,
    /// Interim failure condition.
    FailureTarget,
    /// Interim success condition.
    SuccessCriteriaMet,
    /// Terminal success.
    Complete,
    /// Terminal failure.
    Failed,
}

impl JobConditionType {
    /// The API name of the condition type.
    pub fn as_str(self) -> &'static str {
        match self {
            JobConditionType::Suspended => "Suspended",
            JobConditionType::FailureTarget => "FailureTarget",
            JobConditionType::SuccessCriteriaMet => "SuccessCriteriaMet",
            JobConditionType::Complete => "Complete",
            JobConditionType::Failed => "Failed",
        }
    }
}

/// One entry of `status.conditions`.
#[derive(Clone, Debug, PartialEq)]
pub struct JobCondition {
    /// Condition type.
    pub kind: JobConditionType,
    /// True or False.
    pub status: bool,
    /// Machine-readable reason.
    pub reason: Str,
    /// Human-readable message.
    pub message: Str,
    /// lastTransitionTime
    pub last_transition: Time,
}

/// Job status as the Job controller writes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobStatus {
    /// status.startTime
    pub start_time: Option<Time>,
    /// status.completionTime (only for Complete).
    pub completion_time: Option<Time>,
    /// status.active
    pub active: i32,
    /// status.ready
    pub ready: i32,
    /// status.terminating
    pub terminating: i32,
    /// status.succeeded
    pub succeeded: i32,
    /// status.failed
    pub failed: i32,
    /// status.conditions
    pub conditions: Vec<JobCondition>,
    /// status.completedIndexes as sorted distinct indexes.
    pub completed_indexes: Vec<i32>,
    /// status.failedIndexes as sorted distinct indexes (None unless backoffLimitPerIndex).
    pub failed_indexes: Option<Vec<i32>>,
}

impl JobStatus {
    /// The condition of this type with status True, if any.
    pub fn condition(&self, kind: JobConditionType) -> Option<&JobCondition> {
        self.conditions.iter().find(|c| c.kind == kind && c.status)
    }

    /// The terminal condition (Complete or Failed) if the Job has finished.
    pub fn finished(&self) -> Option<&JobCondition> {
        self.conditions.iter().find(|c| {
            c.status
                && matches!(
                    c.kind,
                    JobConditionType::Complete | JobConditionType::Failed
                )
        })
    }
}

/// Where a Job came from when a CronJob created it.
#[derive(Clone, Debug, PartialEq)]
pub struct CronJobOrigin {
    /// Name of the CronJob.
    pub cronjob: Str,
    /// The nominal schedule slot the Job was created for.
    pub scheduled: Time,
}

/// A Job object.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    /// Metadata.
    pub meta: Meta,
    /// Spec with defaults.
    pub spec: JobSpec,
    /// Status.
    pub status: JobStatus,
    /// Set when a CronJob created this Job.
    pub origin: Option<CronJobOrigin>,
}
