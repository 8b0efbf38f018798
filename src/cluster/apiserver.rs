//! The API server in front of the store: it applies the controllers' [`Action`]s and the
//! kubectl-like [`UserAction`]s as the real API server would answer the calls — UIDs,
//! `generateName`, graceful pod deletion, finalizers, Job deletion with its propagation policy.
//!
//! Invariants: every object's UID comes from this module's allocator, in creation order (so
//! iteration in UID order is creation order); a created name is never one already taken in its
//! namespace; the store is written only here and by the kubelet's status writes
//! ([`ApiServer::store_mut`]).

use std::cell::Cell;

use rand_chacha::ChaCha8Rng;

use crate::cluster::model::{
    concat, CronJob, Event, EventType, Job, Kind, Pod, Propagation, Str, Uid, FOREGROUND_FINALIZER,
    JOB_TRACKING_FINALIZER,
};
use crate::cluster::store::Store;
use crate::controllers::Action;
use crate::scenario::UserAction;
use crate::sim::rng;
use crate::sim::time::Time;
use rustc_hash::FxHashMap;

/// The API server: the store, the UID allocator and the `generateName` random streams.
#[derive(Debug)]
pub struct ApiServer {
    store: Store,
    /// The next UID to hand out. A `Cell`, so that a controller's client, which only reads the
    /// API server otherwise, can be answered a created object's UID during its sync.
    next_uid: Cell<u64>,
    /// Per-Job stream of pod-name suffixes, seeded from the scenario seed and the Job's name.
    name_rngs: FxHashMap<Uid, ChaCha8Rng>,
    seed: u64,
}

impl ApiServer {
    /// An empty cluster whose random names derive from `seed`; UIDs start at 1.
    pub fn new(seed: u64) -> ApiServer {
        ApiServer {
            store: Store::new(),
            next_uid: Cell::new(1),
            name_rngs: FxHashMap::default(),
            seed,
        }
    }

    /// The stored objects.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Write access for the kubelet's pod status updates.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Hands out the next UID (a controller's client asks for it when it creates an object,
    /// and queues the object's creation as its next action).
    pub fn alloc_uid(&self) -> Uid {
        let uid = Uid(self.next_uid.get());
        self.next_uid.set(uid.0 + 1);
        uid
    }

    /// Creates a CronJob (a manifest applied at the start); returns its UID.
    pub fn create_cronjob(&mut self, mut cj: CronJob) -> Uid {
        cj.meta.uid = self.alloc_uid();
        self.store.insert_cronjob(cj)
    }

    /// Creates a Job; a Job without a UID gets the next one. Returns its UID.
    pub fn create_job(&mut self, mut job: Box<Job>) -> Uid {
        if job.meta.uid == Uid::default() {
            job.meta.uid = self.alloc_uid();
        }
        self.store.insert_job(job)
    }

    /// Applies controller actions in order, as the API calls they stand for; Events go to
    /// `events` in the order they are recorded.
    pub fn apply(&mut self, now: Time, actions: Vec<Action>, events: &mut Vec<Event>) {
        for a in actions {
            match a {
                Action::CreatePod { pod } => self.create_pod(now, pod, events),
                Action::DeletePod {
                    pod,
                    remove_finalizer_first,
                } => self.delete_pod(now, pod, remove_finalizer_first, events),
                Action::RemoveFinalizers { pods } => {
                    for pod in pods {
                        self.store.update_pod(pod, |p| {
                            p.meta.finalizers.retain(|f| f != JOB_TRACKING_FINALIZER)
                        });
                        self.store.try_finish_pod_deletion(pod);
                    }
                }
                Action::UpdateJobStatus { job, status } => {
                    self.store.update_job(job, false, |j| j.status = *status);
                }
                Action::CreateJob { job } => {
                    self.create_job(job);
                }
                Action::DeleteJob { job, propagation } => self.delete_job(now, job, propagation),
                Action::UpdateCronJobStatus { cronjob, status } => {
                    self.store
                        .update_cronjob(cronjob, false, |c| c.status = *status);
                }
                Action::RemoveOwnerFinalizer {
                    kind,
                    uid,
                    finalizer,
                } => self.remove_owner_finalizer(kind, uid, finalizer),
                Action::Event(e) => events.push(e),
            }
        }
    }

    /// Graceful pod deletion (`deletionTimestamp` = now + grace), as RealPodControl's
    /// `DeletePod` (`pkg/controller/controller_utils.go`), which records `SuccessfulDelete` on
    /// the owning Job.
    fn delete_pod(
        &mut self,
        now: Time,
        pod: Uid,
        remove_finalizer_first: bool,
        events: &mut Vec<Event>,
    ) {
        let Some(p) = self.store.pod(pod) else {
            return;
        };
        if p.meta.deletion.is_some() {
            return;
        }
        let name = p.meta.name.clone();
        let owner = p.meta.owner.clone();
        let grace = p.template.termination_grace_seconds;
        if remove_finalizer_first {
            self.store.update_pod(pod, |p| {
                p.meta.finalizers.retain(|f| f != JOB_TRACKING_FINALIZER)
            });
        }
        self.store.mark_pod_deleted(pod, now, grace);
        if let Some(o) = owner.filter(|o| o.kind == Kind::Job) {
            if self.store.job(o.uid).is_some() {
                events.push(Event {
                    time: now,
                    kind: Kind::Job,
                    name: o.name,
                    event_type: EventType::Normal,
                    reason: "SuccessfulDelete".into(),
                    message: concat(&["Deleted pod: ", &name]),
                });
            }
        }
    }

    /// The garbage collector ends a Foreground deletion: the owner loses the finalizer and,
    /// when it was the last one, leaves storage.
    fn remove_owner_finalizer(&mut self, kind: Kind, uid: Uid, finalizer: &str) {
        if kind != Kind::Job {
            return;
        }
        let gone = self.store.job(uid).is_some_and(|j| {
            j.meta.deletion.is_some() && j.meta.finalizers.iter().all(|f| f == finalizer)
        });
        self.store
            .update_job(uid, false, |j| j.meta.finalizers.retain(|f| f != finalizer));
        if gone {
            self.remove_job(uid);
        }
    }

    /// Removes a Job from storage, with its name stream.
    fn remove_job(&mut self, uid: Uid) {
        self.store.remove_job(uid);
        self.name_rngs.remove(&uid);
    }

    /// Creates a pod the Job controller built from its template, named by `generateName`: the
    /// prefix is cut to 58 characters before the API server appends 5 random ones
    /// (`staging/src/k8s.io/apiserver/pkg/storage/names/generate.go`); a suffix whose name is
    /// taken is drawn again. Records the Job controller's `SuccessfulCreate`.
    fn create_pod(&mut self, now: Time, mut pod: Box<Pod>, events: &mut Vec<Event>) {
        let Some(job_uid) = pod.meta.owner.as_ref().map(|o| o.uid) else {
            return;
        };
        let Some(job) = self.store.job(job_uid) else {
            return;
        };
        let job_name = job.meta.name.clone();
        let ns = job.meta.namespace.clone();
        let base = &pod.meta.generate_name;
        let base: Str = if base.len() > 58 {
            base.chars().take(58).collect()
        } else {
            base.clone()
        };
        let seed = self.seed;
        let rng = self
            .name_rngs
            .entry(job_uid)
            .or_insert_with(|| rng::stream(seed, "pod-name", &concat(&[&ns, "/", &job_name])));
        let mut name = Str::with_capacity(base.len() + 5);
        loop {
            name.push_str(&base);
            rng::push_name_suffix(rng, &mut name);
            if !self.store.name_taken(Kind::Pod, &ns, &name) {
                break;
            }
            name.clear();
        }
        pod.meta.name = name.clone();
        pod.meta.creation = now.floor_second();
        pod.meta.created_at = now;
        pod.meta.uid = self.alloc_uid();
        self.store.insert_pod(pod);
        events.push(Event {
            time: now,
            kind: Kind::Job,
            name: job_name,
            event_type: EventType::Normal,
            reason: "SuccessfulCreate".into(),
            message: concat(&["Created pod: ", &name]),
        });
    }

    /// Deletes a Job with a propagation policy: Background removes it now (the garbage collector
    /// then deletes its pods); Foreground marks it and adds the `foregroundDeletion` finalizer
    /// (the garbage collector removes it once its pods are gone); Orphan releases its pods
    /// first. A Job already being deleted is left alone.
    pub fn delete_job(&mut self, now: Time, uid: Uid, propagation: Propagation) {
        let Some(job) = self.store.job(uid) else {
            return;
        };
        if job.meta.deletion.is_some() {
            return;
        }
        match propagation {
            Propagation::Background => self.remove_job(uid),
            Propagation::Foreground => {
                self.store.update_job(uid, false, |j| {
                    j.meta.deletion = Some(now);
                    j.meta.delete_requested_at = Some(now);
                    j.meta.finalizers.push(Str::const_new(FOREGROUND_FINALIZER));
                });
            }
            Propagation::Orphan => {
                for p in self.store.dependents_of(uid) {
                    self.store.update_pod(p, |p| {
                        p.meta.finalizers.retain(|f| f != JOB_TRACKING_FINALIZER)
                    });
                    self.store.orphan_pod(p);
                }
                self.remove_job(uid);
            }
        }
    }

    /// A user's kubectl command; a name that does not exist is ignored (kubectl would report
    /// NotFound and change nothing).
    pub fn user_action(&mut self, now: Time, action: &UserAction) {
        match action {
            UserAction::DeleteJob {
                namespace,
                name,
                propagation,
            } => {
                if let Some(uid) = self.store.uid_by_name(Kind::Job, namespace, name) {
                    self.delete_job(now, uid, *propagation);
                }
            }
            UserAction::DeletePod { namespace, name } => {
                if let Some(uid) = self.store.uid_by_name(Kind::Pod, namespace, name) {
                    let grace = self
                        .store
                        .pod(uid)
                        .map_or(30, |p| p.template.termination_grace_seconds);
                    self.store.mark_pod_deleted(uid, now, grace);
                }
            }
            UserAction::DeleteCronJob { namespace, name } => {
                if let Some(uid) = self.store.uid_by_name(Kind::CronJob, namespace, name) {
                    self.store.remove_cronjob(uid);
                }
            }
            UserAction::SuspendJob {
                namespace,
                name,
                suspend,
            } => {
                if let Some(uid) = self.store.uid_by_name(Kind::Job, namespace, name) {
                    let s = *suspend;
                    self.store.update_job(uid, true, |j| j.spec.suspend = s);
                }
            }
            UserAction::SuspendCronJob {
                namespace,
                name,
                suspend,
            } => {
                if let Some(uid) = self.store.uid_by_name(Kind::CronJob, namespace, name) {
                    let s = *suspend;
                    self.store.update_cronjob(uid, true, |c| c.spec.suspend = s);
                }
            }
            UserAction::PatchParallelism {
                namespace,
                name,
                parallelism,
            } => {
                if let Some(uid) = self.store.uid_by_name(Kind::Job, namespace, name) {
                    let n = *parallelism;
                    self.store.update_job(uid, true, |j| j.spec.parallelism = n);
                }
            }
        }
    }
}
