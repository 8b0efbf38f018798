//! The simulator's internal object model: compact CronJob, Job and Pod objects with the fields
//! the controllers read and write.
//!
//! Manifests are parsed and validated by [`crate::scenario::load`], which converts them into these types with
//! every API default applied, so controllers never see an unset field that Kubernetes would have
//! defaulted.

use std::collections::BTreeMap;

use crate::sim::time::Time;

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
    /// metadata.generateName: the prefix the API server completes into a unique name.
    pub generate_name: Str,
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

mod cronjob;
mod event;
mod job;
mod pod;

pub use cronjob::{ConcurrencyPolicy, CronJob, CronJobSpec, CronJobStatus, JobTemplate};
pub use event::{Event, EventType};
pub use job::{
    CompletionMode, CronJobOrigin, ExitCodeOperator, Job, JobCondition, JobConditionType, JobSpec,
    JobStatus, OnExitCodes, OnPodCondition, PodFailureAction, PodFailureRule, PodReplacementPolicy,
    SuccessRule,
};
pub use pod::{
    Behavior, ContainerSpec, ContainerState, ContainerStatus, Pod, PodPhase, PodStatus,
    PodTemplate, Requests, RestartPolicy, RunTime, Terminated,
};

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
}
