//! The simulator's internal object model: compact CronJob, Job and Pod objects with the fields
//! the controllers read and write.
//!
//! Manifests are parsed and validated by [`crate::input`], which converts them into these types with
//! every API default applied, so controllers never see an unset field that Kubernetes would have
//! defaulted.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::time::{Millis, Time};

/// A short string of an object: names, label and annotation keys and values, reasons. Up to 24
/// bytes are stored inline and a `&'static str` constant is borrowed, so copying a pod's or
/// Job's metadata (half a million of each for a year of a minutely CronJob) does not allocate
/// for names like `hello-2-29012345-x7k2p` or keys like `batch.kubernetes.io/job-name`.
pub type Str = compact_str::CompactString;

/// Unique object identity; assigned in creation order, so ordering by UID is ordering by creation.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uid(pub u64);

/// The kinds of object the store holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// batch/v1 CronJob.
    CronJob,
    /// batch/v1 Job.
    Job,
    /// core/v1 Pod.
    Pod,
}

impl Kind {
    /// The Kubernetes kind name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::CronJob => "CronJob",
            Kind::Job => "Job",
            Kind::Pod => "Pod",
        }
    }
}

/// A reference to one object, as in an ownerReference or `status.active`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    /// Kind of the referenced object.
    pub kind: Kind,
    /// Namespace of the referenced object.
    pub namespace: Str,
    /// Name of the referenced object.
    pub name: Str,
    /// UID of the referenced object.
    pub uid: Uid,
}

/// Object metadata the controllers use.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    /// metadata.name
    pub name: Str,
    /// metadata.namespace (defaults to `default`).
    pub namespace: Str,
    /// metadata.uid
    pub uid: Uid,
    /// metadata.creationTimestamp (whole seconds, as the API server stores it).
    pub creation: Time,
    /// The exact instant the object was created, kept for output precision.
    pub created_at: Time,
    /// metadata.deletionTimestamp: set when a graceful deletion was requested.
    pub deletion: Option<Time>,
    /// The instant deletion was requested (deletionTimestamp − grace period for pods).
    pub delete_requested_at: Option<Time>,
    /// metadata.deletionGracePeriodSeconds
    pub deletion_grace_seconds: Option<i64>,
    /// The controller ownerReference, if any.
    pub owner: Option<ObjectRef>,
    /// metadata.labels
    pub labels: BTreeMap<Str, Str>,
    /// metadata.annotations
    pub annotations: BTreeMap<Str, Str>,
    /// metadata.finalizers
    pub finalizers: Vec<Str>,
    /// metadata.generation: bumped on every spec change.
    pub generation: i64,
}

/// The Job controller's pod finalizer.
pub const JOB_TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";
/// The finalizer the garbage collector holds on an owner deleted with Foreground propagation.
pub const FOREGROUND_FINALIZER: &str = "foregroundDeletion";
/// Annotation with the nominal schedule time of a CronJob's Job.
pub const CRONJOB_SCHEDULED_ANNOTATION: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";
/// Label and annotation carrying a pod's completion index.
pub const COMPLETION_INDEX_KEY: &str = "batch.kubernetes.io/job-completion-index";
/// Annotation: failures of the pod's index before this pod (backoffLimitPerIndex).
pub const INDEX_FAILURE_COUNT_KEY: &str = "batch.kubernetes.io/job-index-failure-count";
/// Annotation: ignored failures of the pod's index before this pod (backoffLimitPerIndex).
pub const INDEX_IGNORED_FAILURE_COUNT_KEY: &str =
    "batch.kubernetes.io/job-index-ignored-failure-count";

/// How a deletion cascades to dependents.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Propagation {
    /// The owner disappears first, the garbage collector deletes dependents afterwards.
    Background,
    /// Dependents are deleted first; the owner stays with a deletionTimestamp until they are gone.
    Foreground,
    /// Dependents are left alone (their ownerReference is removed).
    Orphan,
}

// ---------------------------------------------------------------------------------------------
// Workload (what a container does when it runs)
// ---------------------------------------------------------------------------------------------

/// How long a container runs, before any randomness is resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum RunTime {
    /// Always the same number of milliseconds.
    Fixed(Millis),
    /// Drawn at each container start or restart from a distribution, possibly failing (issue 5).
    Random(Arc<crate::distribution::RandomRun>),
}

impl RunTime {
    /// A representative long run time (the p95, or the maximum of bounded draws) for horizons.
    pub fn representative(&self) -> Millis {
        match self {
            RunTime::Fixed(ms) => *ms,
            RunTime::Random(r) => r.duration.representative(),
        }
    }
}

/// What a container does when it runs: its run time, exit code and SIGTERM handling.
#[derive(Clone, Debug, PartialEq)]
pub struct Behavior {
    /// Time from container start to exit.
    pub run: RunTime,
    /// Exit code when it runs to the end.
    pub exit_code: i32,
    /// Whether the process (PID 1) installs a SIGTERM handler; `sh -c` does not.
    pub handles_sigterm: bool,
    /// Where the run time came from, for messages (`sleep 10`, `override`, …).
    pub source: String,
}

// ---------------------------------------------------------------------------------------------
// Pod template and spec
// ---------------------------------------------------------------------------------------------

/// Resource requests of one container (used by the load chart).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Requests {
    /// CPU in millicores.
    pub cpu_millis: Option<i64>,
    /// Memory in bytes.
    pub memory_bytes: Option<i64>,
}

/// One container of a pod template.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerSpec {
    /// Container name.
    pub name: String,
    /// Image reference.
    pub image: String,
    /// `command` (entrypoint override).
    pub command: Vec<String>,
    /// `args`.
    pub args: Vec<String>,
    /// Resource requests.
    pub requests: Requests,
    /// Simulated behaviour, from the command or a scenario override.
    pub behavior: Behavior,
    /// Behaviour of the pods of particular completion indexes (Indexed Jobs), by index.
    pub index_behaviors: BTreeMap<i32, Behavior>,
}

impl ContainerSpec {
    /// The behaviour of this container in the pod with completion index `index`.
    pub fn behavior_for(&self, index: Option<i32>) -> &Behavior {
        index
            .and_then(|i| self.index_behaviors.get(&i))
            .unwrap_or(&self.behavior)
    }
}

/// `spec.template.spec.restartPolicy` of a Job pod (Always is rejected by validation).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RestartPolicy {
    /// A failed container fails the pod; the Job controller creates a new pod.
    Never,
    /// The kubelet restarts a failed container in place.
    OnFailure,
}

/// A pod template with API defaults applied.
#[derive(Clone, Debug, PartialEq)]
pub struct PodTemplate {
    /// template.metadata.labels
    pub labels: BTreeMap<Str, Str>,
    /// template.metadata.annotations
    pub annotations: BTreeMap<Str, Str>,
    /// Regular containers, in order.
    pub containers: Vec<ContainerSpec>,
    /// restartPolicy
    pub restart_policy: RestartPolicy,
    /// terminationGracePeriodSeconds (default 30).
    pub termination_grace_seconds: i64,
}

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

// ---------------------------------------------------------------------------------------------
// CronJob
// ---------------------------------------------------------------------------------------------

/// `spec.concurrencyPolicy`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ConcurrencyPolicy {
    /// Runs may overlap.
    Allow,
    /// Skip a slot while a run is active.
    Forbid,
    /// Delete the active runs, then start the new one.
    Replace,
}

impl ConcurrencyPolicy {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConcurrencyPolicy::Allow => "Allow",
            ConcurrencyPolicy::Forbid => "Forbid",
            ConcurrencyPolicy::Replace => "Replace",
        }
    }
}

/// `spec.jobTemplate`.
#[derive(Clone, Debug, PartialEq)]
pub struct JobTemplate {
    /// jobTemplate.metadata.labels
    pub labels: BTreeMap<Str, Str>,
    /// jobTemplate.metadata.annotations
    pub annotations: BTreeMap<Str, Str>,
    /// jobTemplate.spec with defaults.
    pub spec: JobSpec,
}

/// A CronJob spec with API defaults applied.
#[derive(Clone, Debug, PartialEq)]
pub struct CronJobSpec {
    /// spec.schedule, verbatim.
    pub schedule: String,
    /// spec.timeZone
    pub time_zone: Option<String>,
    /// spec.startingDeadlineSeconds
    pub starting_deadline_seconds: Option<i64>,
    /// spec.concurrencyPolicy (default Allow).
    pub concurrency_policy: ConcurrencyPolicy,
    /// spec.suspend (default false).
    pub suspend: bool,
    /// spec.successfulJobsHistoryLimit (default 3).
    pub successful_jobs_history_limit: i32,
    /// spec.failedJobsHistoryLimit (default 1).
    pub failed_jobs_history_limit: i32,
    /// spec.jobTemplate
    pub job_template: JobTemplate,
}

/// CronJob status.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CronJobStatus {
    /// status.active, in creation order.
    pub active: Vec<ObjectRef>,
    /// status.lastScheduleTime: the nominal slot of the last created Job.
    pub last_schedule_time: Option<Time>,
    /// status.lastSuccessfulTime
    pub last_successful_time: Option<Time>,
}

/// A CronJob object.
#[derive(Clone, Debug, PartialEq)]
pub struct CronJob {
    /// Metadata.
    pub meta: Meta,
    /// Spec with defaults.
    pub spec: CronJobSpec,
    /// Status.
    pub status: CronJobStatus,
}

// ---------------------------------------------------------------------------------------------
// Pod
// ---------------------------------------------------------------------------------------------

/// `status.phase` of a pod.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PodPhase {
    /// Accepted, not all containers started.
    Pending,
    /// At least one container running (or restarting under OnFailure).
    Running,
    /// All containers exited 0.
    Succeeded,
    /// A container failed (restartPolicy Never) or the pod was killed.
    Failed,
}

impl PodPhase {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PodPhase::Pending => "Pending",
            PodPhase::Running => "Running",
            PodPhase::Succeeded => "Succeeded",
            PodPhase::Failed => "Failed",
        }
    }

    /// Succeeded or Failed.
    pub fn is_terminal(self) -> bool {
        matches!(self, PodPhase::Succeeded | PodPhase::Failed)
    }
}

/// `state.terminated` of a container.
#[derive(Clone, Debug, PartialEq)]
pub struct Terminated {
    /// Exit code (137 after SIGKILL).
    pub exit_code: i32,
    /// `Completed` for 0, `Error` otherwise.
    pub reason: Str,
    /// When the container started.
    pub started_at: Time,
    /// When it exited.
    pub finished_at: Time,
}

/// The state of one container.
#[derive(Clone, Debug, PartialEq)]
pub enum ContainerState {
    /// Not running; the reason is what kubectl shows (`ContainerCreating`, `CrashLoopBackOff`).
    Waiting {
        /// Waiting reason.
        reason: Str,
    },
    /// Running since the instant.
    Running {
        /// startedAt
        started_at: Time,
    },
    /// Exited.
    Terminated(Terminated),
}

/// `status.containerStatuses[]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerStatus {
    /// Container name.
    pub name: Str,
    /// Current state.
    pub state: ContainerState,
    /// `lastState.terminated`, after a restart.
    pub last_terminated: Option<Terminated>,
    /// restartCount
    pub restart_count: i32,
    /// ready
    pub ready: bool,
}

/// Pod status as the kubelet and scheduler write it.
#[derive(Clone, Debug, PartialEq)]
pub struct PodStatus {
    /// status.phase
    pub phase: PodPhase,
    /// status.reason (e.g. `DeadlineExceeded`), if any.
    pub reason: Option<Str>,
    /// When the scheduler bound the pod (PodScheduled=True).
    pub scheduled_at: Option<Time>,
    /// Ready condition and its last transition.
    pub ready: bool,
    /// lastTransitionTime of the Ready condition.
    pub ready_transition: Option<Time>,
    /// One entry per container, in template order (empty until the kubelet reports).
    pub containers: Vec<ContainerStatus>,
    /// Pod conditions other than Ready/PodScheduled that policies look at (e.g. DisruptionTarget).
    pub extra_conditions: Vec<Str>,
}

/// A Pod object.
#[derive(Clone, Debug, PartialEq)]
pub struct Pod {
    /// Metadata.
    pub meta: Meta,
    /// The template the pod was created from (shared with its Job).
    pub template: Arc<PodTemplate>,
    /// Completion index for Indexed Jobs.
    pub index: Option<i32>,
    /// spec.hostname (Indexed Jobs).
    pub hostname: Option<Str>,
    /// Status.
    pub status: PodStatus,
}

impl Pod {
    /// Active as the Job controller counts it: not terminal and not being deleted.
    pub fn is_active(&self) -> bool {
        !self.status.phase.is_terminal() && self.meta.deletion.is_none()
    }

    /// Being deleted and not yet terminal (kubectl's `Terminating`).
    pub fn is_terminating(&self) -> bool {
        self.meta.deletion.is_some() && !self.status.phase.is_terminal()
    }

    /// Sum of container restart counts.
    pub fn restarts(&self) -> i32 {
        self.status.containers.iter().map(|c| c.restart_count).sum()
    }

    /// Whether the Job tracking finalizer is still present.
    pub fn has_tracking_finalizer(&self) -> bool {
        self.meta
            .finalizers
            .iter()
            .any(|f| f == JOB_TRACKING_FINALIZER)
    }
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/// Event type.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum EventType {
    /// Normal
    Normal,
    /// Warning
    Warning,
}

impl EventType {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// Joins `parts` into one string: event messages and generated names are built this way
/// because `format!` cost several hundred instructions per call on the hot path. A result that
/// fits inline is joined on the stack; a longer one in one exact allocation that the `Str`
/// keeps.
pub(crate) fn concat(parts: &[&str]) -> Str {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut buf = [0u8; INLINE];
    match buf.get_mut(..len) {
        Some(out) => {
            let mut at = 0;
            for p in parts {
                out[at..at + p.len()].copy_from_slice(p.as_bytes());
                at += p.len();
            }
            // Joined `str`s are UTF-8; the check of at most 24 bytes is cheap.
            Str::from(std::str::from_utf8(out).unwrap_or_default())
        }
        None => {
            let mut s = String::with_capacity(len);
            for p in parts {
                s.push_str(p);
            }
            Str::from(s)
        }
    }
}

/// Bytes a [`Str`] holds without allocating.
const INLINE: usize = std::mem::size_of::<Str>();

/// A Kubernetes Event as a controller records it.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// When it happened.
    pub time: Time,
    /// The object the event is about.
    pub kind: Kind,
    /// Its name.
    pub name: Str,
    /// Normal or Warning.
    pub event_type: EventType,
    /// Reason, e.g. `SuccessfulCreate`; borrowed when it is a constant (nearly always), so
    /// recording an event allocates only its name and message.
    pub reason: std::borrow::Cow<'static, str>,
    /// Message, e.g. `Created pod: pi-xk7h2`.
    pub message: Message,
}

/// An Event's message. Most are a fixed text around one name, and most runs only count
/// Events, so such a message keeps its parts and is joined only when an output reads it.
#[derive(Clone, Debug)]
pub enum Message {
    /// Literal text.
    Text(Str),
    /// `head`, then `arg`, then `tail`, e.g. `Created pod: ` + the pod's name + ``.
    Join(&'static str, Str, &'static str),
}

impl Message {
    /// `head` + `arg` + `tail`, joined when read.
    pub fn join(head: &'static str, arg: &str, tail: &'static str) -> Message {
        Message::Join(head, arg.into(), tail)
    }

    /// The pieces that make up the text, in order.
    pub fn pieces(&self) -> [&str; 3] {
        match self {
            Message::Text(s) => [s, "", ""],
            Message::Join(h, a, t) => [h, a, t],
        }
    }

    /// The text, borrowed when it is literal.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Message::Text(s) => std::borrow::Cow::Borrowed(s),
            Message::Join(h, a, t) => std::borrow::Cow::Owned([*h, a, t].concat()),
        }
    }

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        self.pieces().iter().map(|p| p.len()).sum()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.pieces().iter().try_for_each(|p| f.write_str(p))
    }
}

impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        let [a, b, c] = self.pieces();
        other.len() == a.len() + b.len() + c.len()
            && other.starts_with(a)
            && other[a.len()..].starts_with(b)
            && other.ends_with(c)
    }
}

impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for Message {
    fn eq(&self, other: &String) -> bool {
        *self == **other
    }
}

/// Messages are equal when their texts are, however they are held.
impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        *self == *other.text()
    }
}

impl From<Str> for Message {
    fn from(s: Str) -> Message {
        Message::Text(s)
    }
}

impl From<String> for Message {
    fn from(s: String) -> Message {
        Message::Text(s.into())
    }
}

impl From<&str> for Message {
    fn from(s: &str) -> Message {
        Message::Text(s.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_joins_short_long_and_multibyte_parts() {
        assert_eq!(concat(&[]), "");
        assert_eq!(concat(&["hello-2", "-", "29012345"]), "hello-2-29012345");
        // Past the inline size the parts are joined on the heap.
        let long = "x".repeat(100);
        let joined = concat(&["Deleted pod: ", &long, "-", &long]);
        assert_eq!(joined.len(), 13 + 100 + 1 + 100);
        assert_eq!(joined, format!("Deleted pod: {long}-{long}"));
        // Exactly at the inline size, and one past it.
        let edge = "y".repeat(INLINE + 1);
        assert_eq!(concat(&[&edge[..12], &edge[12..INLINE]]), edge[..INLINE]);
        assert!(!concat(&[&edge[..12], &edge[12..INLINE]]).is_heap_allocated());
        assert_eq!(concat(&[&edge[..12], &edge[12..]]), edge);
        assert_eq!(concat(&["zürich-", "ñ"]), "zürich-ñ");
    }

    #[test]
    fn a_joined_message_reads_and_compares_as_its_text() {
        let joined = Message::join("Pulling image \"", "busybox:1.28", "\"");
        assert_eq!(joined.text(), "Pulling image \"busybox:1.28\"");
        assert_eq!(joined.to_string(), "Pulling image \"busybox:1.28\"");
        assert_eq!(joined.len(), 15 + 12 + 1);
        assert!(!joined.is_empty());
        assert_eq!(joined, "Pulling image \"busybox:1.28\"");
        assert_eq!(joined, Message::from("Pulling image \"busybox:1.28\""));
        // Same length, a different byte in each of the three pieces.
        assert_ne!(joined, "Pulling image \"busybox:1.29\"");
        assert_ne!(joined, "Pulling Image \"busybox:1.28\"");
        assert_ne!(joined, "Pulling image \"busybox:1.28'");
        assert_ne!(joined, "Pulling image \"busybox:1.28\" ");
        let created = Message::join("Created pod: ", "pi-xk7h2", "");
        assert_eq!(created, "Created pod: pi-xk7h2".to_string());
        assert_eq!(created.pieces(), ["Created pod: ", "pi-xk7h2", ""]);
        assert!(Message::from("").is_empty());
    }
}
