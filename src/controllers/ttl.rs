//! The TTL-after-finished controller (`pkg/controller/ttlafterfinished`): deletes a finished Job
//! with Foreground propagation `ttlSecondsAfterFinished` after its terminal condition.

use crate::cluster::model::{Job, Propagation, Uid};
use crate::cluster::store::Store;
use crate::controllers::{Action, Enqueue, SyncResult};
use crate::sim::time::{Millis, Time, SECOND};

/// The TTL-after-finished controller's informer side.
#[derive(Debug)]
pub struct TtlController {
    /// Informer watch delay before a handler sees a change.
    watch_delay: Millis,
}

impl TtlController {
    /// A controller whose handlers see changes `watch_delay` late.
    pub fn new(watch_delay: Millis) -> TtlController {
        TtlController { watch_delay }
    }

    /// `addJob`: a finished Job with a TTL is queued.
    pub fn add_job(&mut self, job: &Job, q: &mut dyn Enqueue) {
        if job.spec.ttl_seconds_after_finished.is_some() && job.status.finished().is_some() {
            q.add_after(job.meta.uid, self.watch_delay);
        }
    }

    /// `updateJob`: as [`TtlController::add_job`].
    pub fn update_job(&mut self, job: &Job, q: &mut dyn Enqueue) {
        self.add_job(job, q);
    }

    /// `processJob` for a key: the Job's TTL sync, if it still exists.
    pub fn sync_key(&self, now: Time, store: &Store, key: Uid) -> SyncResult {
        store.job(key).map(|j| sync(now, j)).unwrap_or_default()
    }
}

/// One TTL sync for a Job at `now`.
pub fn sync(now: Time, job: &Job) -> SyncResult {
    let mut out = SyncResult::default();
    if job.meta.deletion.is_some() {
        return out;
    }
    let (Some(ttl), Some(finished)) = (job.spec.ttl_seconds_after_finished, job.status.finished())
    else {
        return out;
    };
    // The clock is the terminal condition's lastTransitionTime (a Failed Job has no completionTime).
    let expire = finished.last_transition.plus(i64::from(ttl) * SECOND);
    if now < expire {
        out.requeue_after = Some(expire.since(now));
    } else {
        out.actions.push(Action::DeleteJob {
            job: job.meta.uid,
            propagation: Propagation::Foreground,
        });
    }
    out
}
