//! A loaded scenario: the objects to apply, the simulation settings and the timed user actions.
//!
//! [`crate::scenario::load`] builds it from manifests plus an optional `batchsim/v1 Scenario` document;
//! [`crate::simulation`] runs it. Nothing here reads files.

pub mod horizon;
pub mod limits;
pub mod load;
pub mod slots;

use crate::cluster::model::{CronJob, Job, Propagation};
use crate::sim::time::{Millis, Time};

/// The default scenario start: the lecture's day.
pub const DEFAULT_START: &str = "2021-11-25T12:00:00Z";

/// Infrastructure latencies of a profile, in milliseconds. Each can be overridden in the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Latencies {
    /// Pod created → bound to a node by the scheduler.
    pub pod_scheduling: Millis,
    /// Pod bound → image pulled (busybox with the default pull policy pulls each time).
    pub image_pull: Millis,
    /// Image ready → container running.
    pub container_start: Millis,
    /// An object change → the controller's event handler sees it (informer watch delay).
    pub watch_delay: Millis,
    /// The Job controller's batching of pod events and Job status updates (`syncJobBatchPeriod`, 1 s).
    pub job_sync_batch: Millis,
    /// The CronJob controller's requeue after a slot (`nextScheduleDelta`, 100 ms).
    pub cronjob_requeue_delta: Millis,
    /// Container exit → pod status shows it (kubelet status sync).
    pub pod_status_update: Millis,
    /// Start-up latencies drawn per pod instead of the fixed values above.
    pub draws: LatencyDraws,
}

/// Start-up latencies given as distributions; `None` keeps the fixed value of [`Latencies`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LatencyDraws {
    /// Bound → image pulled, drawn once per pod.
    pub image_pull: Option<crate::cluster::distribution::Distribution>,
    /// Image ready → container running, drawn once per pod.
    pub container_start: Option<crate::cluster::distribution::Distribution>,
}

/// The named latency profiles.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Profile {
    /// Documented typical latencies of a small cluster.
    Realistic,
    /// Every infrastructure latency zero; Kubernetes semantics (grace periods, back-offs) kept.
    Ideal,
}

impl Profile {
    /// The profile's name as written in scenarios and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Realistic => "realistic",
            Profile::Ideal => "ideal",
        }
    }

    /// The default latencies of this profile.
    pub fn latencies(self) -> Latencies {
        match self {
            Profile::Realistic => Latencies {
                pod_scheduling: 100,
                image_pull: 1_000,
                container_start: 500,
                watch_delay: 10,
                job_sync_batch: 1_000,
                cronjob_requeue_delta: 100,
                pod_status_update: 0,
                draws: LatencyDraws::default(),
            },
            Profile::Ideal => Latencies {
                pod_scheduling: 0,
                image_pull: 0,
                container_start: 0,
                watch_delay: 0,
                job_sync_batch: 0,
                cronjob_requeue_delta: 0,
                pod_status_update: 0,
                draws: LatencyDraws::default(),
            },
        }
    }
}

/// A user action at a virtual instant, as `kubectl` would do it.
#[derive(Clone, Debug, PartialEq)]
pub enum UserAction {
    /// `kubectl delete job NAME [--cascade=…]`.
    DeleteJob {
        /// Namespace.
        namespace: String,
        /// Job name.
        name: String,
        /// Cascade mode (kubectl's default is background).
        propagation: Propagation,
    },
    /// `kubectl delete pod NAME` (graceful).
    DeletePod {
        /// Namespace.
        namespace: String,
        /// Pod name.
        name: String,
    },
    /// `kubectl delete cronjob NAME`.
    DeleteCronJob {
        /// Namespace.
        namespace: String,
        /// CronJob name.
        name: String,
    },
    /// `kubectl patch job NAME -p '{"spec":{"suspend":…}}'`.
    SuspendJob {
        /// Namespace.
        namespace: String,
        /// Job name.
        name: String,
        /// New value of spec.suspend.
        suspend: bool,
    },
    /// `kubectl patch cronjob NAME -p '{"spec":{"suspend":…}}'`.
    SuspendCronJob {
        /// Namespace.
        namespace: String,
        /// CronJob name.
        name: String,
        /// New value of spec.suspend.
        suspend: bool,
    },
    /// `kubectl patch job NAME -p '{"spec":{"parallelism":N}}'`.
    PatchParallelism {
        /// Namespace.
        namespace: String,
        /// Job name.
        name: String,
        /// New parallelism.
        parallelism: i32,
    },
}

/// A user action scheduled at an offset from the scenario start.
#[derive(Clone, Debug, PartialEq)]
pub struct TimedAction {
    /// Offset from the start.
    pub at: Millis,
    /// What to do.
    pub action: UserAction,
}

/// An object to create at the start (as `kubectl apply` would), with its source position.
#[derive(Clone, Debug, PartialEq)]
pub enum Manifest {
    /// A Job.
    Job(Job),
    /// A CronJob.
    CronJob(CronJob),
}

/// Where the simulation stops.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Horizon {
    /// Stop at this offset from the start (exclusive).
    At(Millis),
    /// The documented default: until every Job has finished and nothing is pending, or for
    /// CronJobs the first ten schedule slots plus the time their runs need.
    Auto,
}

/// Everything the engine needs to run one simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Scenario name (output folder name); from the Scenario document or the first file's stem.
    pub name: String,
    /// Virtual instant of `kubectl apply`.
    pub start: Time,
    /// Where the run stops.
    pub horizon: Horizon,
    /// Seed of every random stream.
    pub seed: u64,
    /// Latency profile.
    pub profile: Profile,
    /// Latencies in force (the profile's, with overrides applied).
    pub latencies: Latencies,
    /// The kube-controller-manager's local zone (IANA name), used when a CronJob has no timeZone.
    pub controller_time_zone: String,
    /// Objects created at the start, in file order.
    pub objects: Vec<Manifest>,
    /// Timed user actions, in time order.
    pub actions: Vec<TimedAction>,
}
