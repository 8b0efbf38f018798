//! The object store (the API server's storage): CronJobs, Jobs and Pods keyed by UID, with
//! owner and name indexes and a log of watch notifications for the engine to dispatch.
//!
//! Invariants: objects arrive with their UID set (the API server allocates them in creation
//! order), and iteration is always in UID order, so nothing depends on hash order; every write
//! appends exactly one notification to the log.

use std::collections::BTreeMap;

use smallvec::SmallVec;

use rustc_hash::FxHashMap;

use crate::cluster::model::{CronJob, Job, Kind, Meta, Pod, Str, Uid};
use crate::sim::time::Time;

/// What happened to an object, as a watch event reports it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Created.
    Added,
    /// Changed; `spec_changed` tells whether metadata.generation moved.
    Modified {
        /// True when the spec (generation) changed, not only status or metadata.
        spec_changed: bool,
    },
    /// Removed from storage.
    Deleted,
}

/// The last state of an object that left storage, carried by its Deleted notification.
#[derive(Clone, Debug, PartialEq)]
pub enum Removed {
    /// A CronJob.
    CronJob(Box<CronJob>),
    /// A Job.
    Job(Box<Job>),
    /// A Pod.
    Pod(Box<Pod>),
}

/// One watch notification.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Kind of the object.
    pub kind: Kind,
    /// Its UID.
    pub uid: Uid,
    /// What happened.
    pub op: Op,
    /// Kind and UID of its controller owner at the time of the change (all handlers need).
    pub owner: Option<(Kind, Uid)>,
    /// For Deleted: the object as it was when it left storage.
    pub removed: Option<Removed>,
    /// For a CronJob whose spec changed: its schedule and time zone before the change (what
    /// an informer's update handler compares, holding the old and the new object).
    pub old_schedule: Option<Box<OldSchedule>>,
}

/// A CronJob's schedule fields before an update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OldSchedule {
    /// `spec.schedule`.
    pub schedule: String,
    /// `spec.timeZone`.
    pub time_zone: Option<String>,
}

/// The cluster state.
#[derive(Debug, Default)]
pub struct Store {
    // Boxed: B-tree nodes shift their entries on insert and remove, and a Deleted notification
    // takes the object; with boxes both move a pointer instead of a few hundred bytes.
    cronjobs: BTreeMap<Uid, Box<CronJob>>,
    jobs: BTreeMap<Uid, Box<Job>>,
    pods: BTreeMap<Uid, Box<Pod>>,
    /// Owner UID → dependent UIDs (Jobs of a CronJob, Pods of a Job), ascending. UIDs grow
    /// with creation, so a new dependent is pushed at the end; the lists are short.
    dependents: FxHashMap<Uid, Vec<Uid>>,
    /// (kind, namespace, name) → UID, for GETs by name and AlreadyExists. Names are unique
    /// per kind and namespace: the loader rejects duplicates and the API server never creates
    /// a taken name.
    names: FxHashMap<(Kind, Str, Str), Uid>,
    /// (namespace, CronJob name) → Jobs whose controller ownerReference names that CronJob
    /// (the CronJob controller matches children by owner *name*, as upstream), ascending.
    cronjob_children: FxHashMap<(Str, Str), Vec<Uid>>,
    changes: Vec<Change>,
}

impl Store {
    /// An empty store.
    pub fn new() -> Store {
        Store::default()
    }

    /// Whether any write is waiting to be dispatched.
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }

    /// Moves the pending watch notifications, oldest first, into `out` (which must be empty),
    /// leaving `out`'s old buffer for the next ones so that neither side reallocates.
    pub fn drain_changes_into(&mut self, out: &mut Vec<Change>) {
        std::mem::swap(&mut self.changes, out);
    }

    /// Whether an object of this kind and name exists in the namespace.
    pub fn name_taken(&self, kind: Kind, namespace: &str, name: &str) -> bool {
        self.uid_by_name(kind, namespace, name).is_some()
    }

    /// Looks a UID up by kind, namespace and name.
    pub fn uid_by_name(&self, kind: Kind, namespace: &str, name: &str) -> Option<Uid> {
        self.names
            .get(&(kind, Str::from(namespace), Str::from(name)))
            .copied()
    }

    /// Jobs in `namespace` whose controller ownerReference names `name`, in creation order:
    /// upstream `getJobsToBeReconciled` compares neither the owner's kind nor its UID.
    pub fn jobs_of_cronjob_named(&self, namespace: &str, name: &str) -> Few<&Job> {
        let Some(set) = self
            .cronjob_children
            .get(&(Str::from(namespace), Str::from(name)))
        else {
            return Few::new();
        };
        set.iter()
            .filter_map(|u| self.jobs.get(u).map(|b| &**b))
            .collect()
    }

    fn index(&mut self, kind: Kind, meta: &Meta, uid: Uid) {
        self.names
            .insert((kind, meta.namespace.clone(), meta.name.clone()), uid);
        if let Some(o) = &meta.owner {
            insert_sorted(self.dependents.entry(o.uid).or_default(), uid);
            if kind == Kind::Job {
                let key = (meta.namespace.clone(), o.name.clone());
                insert_sorted(self.cronjob_children.entry(key).or_default(), uid);
            }
        }
    }

    fn unindex(&mut self, kind: Kind, meta: &Meta, uid: Uid) {
        self.names
            .remove(&(kind, meta.namespace.clone(), meta.name.clone()));
        if let Some(o) = &meta.owner {
            if let Some(set) = self.dependents.get_mut(&o.uid) {
                remove_sorted(set, uid);
                if set.is_empty() {
                    self.dependents.remove(&o.uid);
                }
            }
            if kind == Kind::Job {
                let key = (meta.namespace.clone(), o.name.clone());
                if let Some(set) = self.cronjob_children.get_mut(&key) {
                    remove_sorted(set, uid);
                    if set.is_empty() {
                        self.cronjob_children.remove(&key);
                    }
                }
            }
        }
    }

    /// Dependents (by ownerReference UID) of an object, in creation order.
    pub fn dependents_of(&self, owner: Uid) -> Few<Uid> {
        self.dependents
            .get(&owner)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    }

    // ----- Generic object operations (one implementation for every kind) -----

    fn insert<T: Stored>(&mut self, obj: Box<T>) -> Uid {
        let uid = obj.meta().uid;
        let owner = obj.meta().owner.as_ref().map(|o| (o.kind, o.uid));
        self.index(T::KIND, obj.meta(), uid);
        self.changes.push(Change {
            kind: T::KIND,
            uid,
            op: Op::Added,
            owner,
            removed: None,
            old_schedule: None,
        });
        T::map(self).insert(uid, obj);
        uid
    }

    fn update<T: Stored>(&mut self, uid: Uid, spec_changed: bool, f: impl FnOnce(&mut T)) {
        let Some(obj) = T::map(self).get_mut(&uid) else {
            return;
        };
        // Only a spec change (generation moves) can change a schedule.
        let old_schedule = if spec_changed {
            obj.schedule().map(Box::new)
        } else {
            None
        };
        f(obj);
        if spec_changed {
            obj.meta_mut().generation += 1;
        }
        let owner = obj.meta().owner.as_ref().map(|o| (o.kind, o.uid));
        self.changes.push(Change {
            kind: T::KIND,
            uid,
            op: Op::Modified { spec_changed },
            owner,
            removed: None,
            old_schedule,
        });
    }

    /// Moves the object out of storage into its Deleted notification (no copy is kept).
    fn remove<T: Stored>(&mut self, uid: Uid) -> bool {
        let Some(obj) = T::map(self).remove(&uid) else {
            return false;
        };
        let owner = obj.meta().owner.as_ref().map(|o| (o.kind, o.uid));
        self.unindex(T::KIND, obj.meta(), uid);
        self.changes.push(Change {
            kind: T::KIND,
            uid,
            op: Op::Deleted,
            owner,
            removed: Some(T::into_removed(obj)),
            old_schedule: None,
        });
        true
    }

    // ----- CronJobs -----

    /// Stores a new CronJob under the UID it carries.
    pub fn insert_cronjob(&mut self, cj: impl Into<Box<CronJob>>) -> Uid {
        self.insert(cj.into())
    }

    /// A CronJob by UID.
    pub fn cronjob(&self, uid: Uid) -> Option<&CronJob> {
        self.cronjobs.get(&uid).map(|b| &**b)
    }

    /// All CronJobs in creation order.
    pub fn cronjobs(&self) -> impl Iterator<Item = &CronJob> {
        self.cronjobs.values().map(|b| &**b)
    }

    /// Applies `f` to a CronJob and records a Modified notification.
    pub fn update_cronjob(&mut self, uid: Uid, spec_changed: bool, f: impl FnOnce(&mut CronJob)) {
        self.update(uid, spec_changed, f)
    }

    /// Removes a CronJob from storage; returns whether it existed.
    pub fn remove_cronjob(&mut self, uid: Uid) -> bool {
        self.remove::<CronJob>(uid)
    }

    // ----- Jobs -----

    /// Stores a new Job under the UID it carries.
    pub fn insert_job(&mut self, job: impl Into<Box<Job>>) -> Uid {
        self.insert(job.into())
    }

    /// A Job by UID.
    pub fn job(&self, uid: Uid) -> Option<&Job> {
        self.jobs.get(&uid).map(|b| &**b)
    }

    /// All Jobs in creation order.
    pub fn jobs(&self) -> impl Iterator<Item = &Job> {
        self.jobs.values().map(|b| &**b)
    }

    /// Applies `f` to a Job and records a Modified notification.
    pub fn update_job(&mut self, uid: Uid, spec_changed: bool, f: impl FnOnce(&mut Job)) {
        self.update(uid, spec_changed, f)
    }

    /// Removes a Job from storage; returns whether it existed.
    pub fn remove_job(&mut self, uid: Uid) -> bool {
        self.remove::<Job>(uid)
    }

    // ----- Pods -----

    /// Stores a new Pod under the UID it carries.
    pub fn insert_pod(&mut self, pod: impl Into<Box<Pod>>) -> Uid {
        self.insert(pod.into())
    }

    /// A Pod by UID.
    pub fn pod(&self, uid: Uid) -> Option<&Pod> {
        self.pods.get(&uid).map(|b| &**b)
    }

    /// All Pods in creation order.
    pub fn pods(&self) -> impl Iterator<Item = &Pod> {
        self.pods.values().map(|b| &**b)
    }

    /// Pods whose ownerReference points at `owner`, in creation order.
    pub fn pods_of(&self, owner: Uid) -> Few<&Pod> {
        self.dependents
            .get(&owner)
            .map(|s| {
                s.iter()
                    .filter_map(|u| self.pods.get(u).map(|b| &**b))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Applies `f` to a Pod and records a Modified notification.
    pub fn update_pod(&mut self, uid: Uid, f: impl FnOnce(&mut Pod)) {
        self.update(uid, false, f)
    }

    /// Removes a Pod from storage; returns whether it existed.
    pub fn remove_pod(&mut self, uid: Uid) -> bool {
        self.remove::<Pod>(uid)
    }

    /// Removes a pod whose deletion was requested once nothing holds it any more: no finalizers
    /// and the kubelet has stopped its containers (terminal phase). Returns whether it went.
    pub fn try_finish_pod_deletion(&mut self, uid: Uid) -> bool {
        let ready = match self.pods.get(&uid) {
            Some(p) => {
                p.meta.deletion.is_some()
                    && p.meta.finalizers.is_empty()
                    && p.status.phase.is_terminal()
            }
            None => false,
        };
        if ready {
            self.remove_pod(uid);
        }
        ready
    }

    /// Clears the controller ownerReference of a pod (orphan propagation).
    pub fn orphan_pod(&mut self, uid: Uid) {
        let owner = self.pods.get(&uid).and_then(|p| p.meta.owner.clone());
        if let Some(o) = owner {
            if let Some(set) = self.dependents.get_mut(&o.uid) {
                remove_sorted(set, uid);
            }
            self.update_pod(uid, |p| p.meta.owner = None);
        }
    }

    /// Number of live objects (for memory-bound checks).
    pub fn len(&self) -> usize {
        self.cronjobs.len() + self.jobs.len() + self.pods.len()
    }

    /// Whether the store holds no objects.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Marks a pod for graceful deletion: deletionTimestamp = now + grace. Returns false if it
    /// was already being deleted or does not exist.
    pub fn mark_pod_deleted(&mut self, uid: Uid, now: Time, grace_seconds: i64) -> bool {
        match self.pods.get(&uid) {
            Some(p) if p.meta.deletion.is_none() => {}
            _ => return false,
        }
        self.update_pod(uid, |p| {
            // Saturating: terminationGracePeriodSeconds is any non-negative int64.
            p.meta.deletion = Some(now.plus(grace_seconds.saturating_mul(1000)));
            p.meta.delete_requested_at = Some(now);
            p.meta.deletion_grace_seconds = Some(grace_seconds);
        });
        true
    }
}

/// A short list of query results, kept on the stack up to four (a Job's pods, a CronJob's
/// Jobs: history limits and parallelism keep these small).
pub type Few<T> = SmallVec<[T; 4]>;

/// Adds `uid` to an ascending list (at the end, unless an older object is re-indexed).
fn insert_sorted(list: &mut Vec<Uid>, uid: Uid) {
    match list.last() {
        Some(last) if *last >= uid => {
            if let Err(at) = list.binary_search(&uid) {
                list.insert(at, uid);
            }
        }
        _ => list.push(uid),
    }
}

/// Removes `uid` from an ascending list, if present.
fn remove_sorted(list: &mut Vec<Uid>, uid: Uid) {
    if let Ok(at) = list.binary_search(&uid) {
        list.remove(at);
    }
}

/// What the store needs to know about each kind it holds, so one implementation of create,
/// update and remove serves them all.
trait Stored: Clone + Sized {
    const KIND: Kind;
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;
    fn map(store: &mut Store) -> &mut BTreeMap<Uid, Box<Self>>;
    fn into_removed(boxed: Box<Self>) -> Removed;
    /// The schedule fields, for kinds that have them.
    fn schedule(&self) -> Option<OldSchedule> {
        None
    }
}

impl Stored for CronJob {
    const KIND: Kind = Kind::CronJob;
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn map(store: &mut Store) -> &mut BTreeMap<Uid, Box<Self>> {
        &mut store.cronjobs
    }
    fn into_removed(boxed: Box<Self>) -> Removed {
        Removed::CronJob(boxed)
    }
    fn schedule(&self) -> Option<OldSchedule> {
        Some(OldSchedule {
            schedule: self.spec.schedule.clone(),
            time_zone: self.spec.time_zone.clone(),
        })
    }
}

impl Stored for Job {
    const KIND: Kind = Kind::Job;
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn map(store: &mut Store) -> &mut BTreeMap<Uid, Box<Self>> {
        &mut store.jobs
    }
    fn into_removed(boxed: Box<Self>) -> Removed {
        Removed::Job(boxed)
    }
}

impl Stored for Pod {
    const KIND: Kind = Kind::Pod;
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn map(store: &mut Store) -> &mut BTreeMap<Uid, Box<Self>> {
        &mut store.pods
    }
    fn into_removed(boxed: Box<Self>) -> Removed {
        Removed::Pod(boxed)
    }
}
