//! The garbage collector (`pkg/controller/garbagecollector`): deletes the dependents of deleted
//! owners (Background), and of owners being deleted in Foreground, whose deletion it then
//! completes once the dependents are gone.

use crate::cluster::model::{Job, Kind, Pod, Propagation, Uid, FOREGROUND_FINALIZER};
use crate::cluster::store::{Few, Store};
use crate::controllers::{Action, Enqueue, SyncResult};
use crate::sim::time::Millis;

/// A dependent as the garbage collector sees it.
#[derive(Clone, Copy, Debug)]
pub enum Dependent<'a> {
    /// A Job owned by a CronJob.
    Job(&'a Job),
    /// A Pod owned by a Job.
    Pod(&'a Pod),
}

/// What the GC knows of the owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnerState {
    /// The owner is gone from storage.
    Absent,
    /// The owner exists with a deletionTimestamp and the foregroundDeletion finalizer.
    DeletingForeground,
    /// The owner exists and is not being deleted in foreground.
    Present,
}

/// The garbage collector's informer side: which owners to look at, and when.
#[derive(Debug)]
pub struct GarbageCollector {
    /// Informer watch delay before a handler sees a change.
    watch_delay: Millis,
}

impl GarbageCollector {
    /// A collector whose handlers see changes `watch_delay` late.
    pub fn new(watch_delay: Millis) -> GarbageCollector {
        GarbageCollector { watch_delay }
    }

    /// A Job was added or updated: one being deleted in Foreground waits for its dependents.
    pub fn update_job(&mut self, job: &Job, q: &mut dyn Enqueue) {
        if job.meta.deletion.is_some()
            && job
                .meta
                .finalizers
                .iter()
                .any(|f| f == FOREGROUND_FINALIZER)
        {
            q.add_after(job.meta.uid, self.watch_delay);
        }
    }

    /// An owner (Job or CronJob) left storage: its dependents are collected.
    pub fn delete_owner(&mut self, owner: Uid, q: &mut dyn Enqueue) {
        q.add_after(owner, self.watch_delay);
    }

    /// A dependent of a Job left storage: a Job being deleted waits for its dependents, so it
    /// is looked at again.
    pub fn delete_dependent(&mut self, owner: Uid, store: &Store, q: &mut dyn Enqueue) {
        if store.job(owner).is_some_and(|j| j.meta.deletion.is_some()) {
            q.add_after(owner, self.watch_delay);
        }
    }

    /// One pass for an owner key: decides the owner's state from storage and deletes or waits
    /// for its dependents.
    pub fn sync_key(&self, store: &Store, key: Uid) -> SyncResult {
        let (kind, state) = if let Some(j) = store.job(key) {
            let fg = j.meta.deletion.is_some()
                && j.meta.finalizers.iter().any(|f| f == FOREGROUND_FINALIZER);
            let state = if fg {
                OwnerState::DeletingForeground
            } else {
                OwnerState::Present
            };
            (Kind::Job, state)
        } else if store.cronjob(key).is_some() {
            (Kind::CronJob, OwnerState::Present)
        } else {
            (Kind::Job, OwnerState::Absent)
        };
        let dependents: Few<Dependent> = store
            .dependents_of(key)
            .iter()
            .filter_map(|u| {
                store
                    .pod(*u)
                    .map(Dependent::Pod)
                    .or_else(|| store.job(*u).map(Dependent::Job))
            })
            .collect();
        sync(key, kind, state, &dependents)
    }
}

/// One GC pass over an owner's dependents.
pub fn sync(
    owner: Uid,
    owner_kind: Kind,
    state: OwnerState,
    dependents: &[Dependent],
) -> SyncResult {
    let mut out = SyncResult::default();
    let propagation = match state {
        OwnerState::Present => return out,
        OwnerState::Absent => Propagation::Background,
        OwnerState::DeletingForeground => Propagation::Foreground,
    };
    for d in dependents {
        match d {
            Dependent::Job(j) if j.meta.deletion.is_none() => out.actions.push(Action::DeleteJob {
                job: j.meta.uid,
                propagation,
            }),
            Dependent::Pod(p) if p.meta.deletion.is_none() => out.actions.push(Action::DeletePod {
                pod: p.meta.uid,
                remove_finalizer_first: false,
            }),
            _ => {}
        }
    }
    if state == OwnerState::DeletingForeground && dependents.is_empty() {
        out.actions.push(Action::RemoveOwnerFinalizer {
            kind: owner_kind,
            uid: owner,
            finalizer: FOREGROUND_FINALIZER,
        });
    }
    out
}
