//! Pods: the template a Job stamps out, what each container does, and the status the kubelet writes.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::sim::time::{Millis, Time};

use super::{Meta, Str, JOB_TRACKING_FINALIZER};

// ---------------------------------------------------------------------------------------------
// Workload (what a container does when it runs)
// ---------------------------------------------------------------------------------------------

/// How long a container runs, before any randomness is resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum RunTime {
    /// Always the same number of milliseconds.
    Fixed(Millis),
    /// Drawn at each container start or restart from a distribution, possibly failing.
    Random(Arc<crate::cluster::distribution::RandomRun>),
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
