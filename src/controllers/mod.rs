//! Controllers, shaped like Kubernetes' own. Each owns its state, its informer event handlers
//! (which only decide what to put on its work queue) and its sync, a function over (now, the
//! object, what it owns) that returns [`Action`]s and a requeue delay.
//!
//! Invariant: controllers read the store but never write it, nor call each other; the
//! simulation applies their actions through [`crate::cluster::apiserver`].

pub mod cronjob;
pub mod gc;
pub mod job;
pub mod ttl;

use crate::cluster::model::{CronJobStatus, Event, Job, JobStatus, Kind, Pod, Propagation, Uid};
use crate::sim::time::Millis;

/// The controllers that own work queues; a work-queue key is `(Controller, object UID)`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Controller {
    /// The Job controller.
    Job,
    /// The CronJob controller.
    CronJob,
    /// The TTL-after-finished controller.
    Ttl,
    /// The garbage collector.
    Gc,
}

/// A controller's work queue as its event handlers see it (client-go `AddAfter`: a key already
/// waiting keeps its earliest time).
pub trait Enqueue {
    /// Makes `key` due `delay` from now (at once when `delay <= 0`).
    fn add_after(&mut self, key: Uid, delay: Millis);
}

/// One effect a controller asks the API server for.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Create a pod the Job controller built from its template; the API server completes
    /// `meta.generate_name` into the name and stamps the creation time.
    CreatePod {
        /// The pod, owned by its Job.
        pod: Box<Pod>,
    },
    /// Delete a pod gracefully.
    DeletePod {
        /// The pod.
        pod: Uid,
        /// Remove the Job tracking finalizer first, so the pod is never counted (scale-down, suspend).
        remove_finalizer_first: bool,
    },
    /// Remove the Job tracking finalizer from pods that the Job controller has counted.
    RemoveFinalizers {
        /// The pods.
        pods: Vec<Uid>,
    },
    /// Write a Job's status.
    UpdateJobStatus {
        /// The Job.
        job: Uid,
        /// The new status.
        status: Box<JobStatus>,
    },
    /// Create a Job (from a CronJob); `job.meta.uid` is assigned by the store.
    CreateJob {
        /// The Job to create, with name, labels, annotations and owner set.
        job: Box<Job>,
    },
    /// Delete a Job.
    DeleteJob {
        /// The Job.
        job: Uid,
        /// Cascade mode.
        propagation: Propagation,
    },
    /// Write a CronJob's status.
    UpdateCronJobStatus {
        /// The CronJob.
        cronjob: Uid,
        /// The new status.
        status: Box<CronJobStatus>,
    },
    /// Remove a finalizer from an owner (the garbage collector ending a Foreground deletion).
    RemoveOwnerFinalizer {
        /// Kind of the owner.
        kind: Kind,
        /// The owner.
        uid: Uid,
        /// The finalizer to remove.
        finalizer: &'static str,
    },
    /// Record an Event.
    Event(Event),
}

/// What one sync returns: the actions to apply, in order, and when to look again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncResult {
    /// Actions in the order the real controller issues its API calls.
    pub actions: Vec<Action>,
    /// `AddAfter` delay for the key, if any.
    pub requeue_after: Option<Millis>,
}
