//! The garbage collector: deletes the dependents of deleted owners (Background), and of owners
//! being deleted in Foreground, whose deletion it then completes once the dependents are gone.

use crate::cluster::model::{Job, Kind, Pod, Propagation, Uid, FOREGROUND_FINALIZER};
use crate::controllers::{Action, SyncResult};

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
