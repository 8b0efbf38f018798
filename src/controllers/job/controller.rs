//! The Job controller's informer side (`pkg/controller/job/job_controller.go` `NewController`):
//! its event handlers, which decide when a Job's key is synced, and its in-memory state, the
//! per-Job `backoffRecord` store (`pkg/controller/job/backoff_utils.go`).

use crate::cluster::model::Uid;
use crate::cluster::store::Store;
use crate::controllers::job::{sync_job, BackoffRecord};
use crate::controllers::{Action, Enqueue, SyncResult};
use crate::sim::time::{Millis, Time};
use rustc_hash::FxHashMap;

/// The Job controller: its back-off records and the delays of its handlers.
#[derive(Debug)]
pub struct JobController {
    /// `podBackoffStore`: failures since the last success, per Job; absent = no failures.
    backoff: FxHashMap<Uid, BackoffRecord>,
    /// Informer watch delay before a handler sees a change.
    watch_delay: Millis,
    /// `syncJobBatchPeriod`: pod events and status-only updates are batched for this long.
    batch: Millis,
}

impl JobController {
    /// A controller whose handlers see changes `watch_delay` late and batch by `batch`.
    pub fn new(watch_delay: Millis, batch: Millis) -> JobController {
        JobController {
            backoff: FxHashMap::default(),
            watch_delay,
            batch,
        }
    }

    /// `addPod`: the owning Job is synced after the batch period.
    pub fn add_pod(&mut self, owner: Uid, q: &mut dyn Enqueue) {
        q.add_after(owner, self.watch_delay + self.batch);
    }

    /// `updatePod`: the owning Job is synced after the batch period.
    pub fn update_pod(&mut self, owner: Uid, q: &mut dyn Enqueue) {
        q.add_after(owner, self.watch_delay + self.batch);
    }

    /// `deletePod`: the owning Job is synced after the batch period.
    pub fn delete_pod(&mut self, owner: Uid, q: &mut dyn Enqueue) {
        q.add_after(owner, self.watch_delay + self.batch);
    }

    /// `addJob`: synced at once. A Job another controller manages (`spec.managedBy`) is
    /// enqueued too (upstream only counts it in a metric here); `sync_job` skips it.
    pub fn add_job(&mut self, job: Uid, q: &mut dyn Enqueue) {
        q.add_after(job, self.watch_delay);
    }

    /// `updateJob`: a spec change (generation moved) is synced at once, a status-only update
    /// after the batch period.
    pub fn update_job(&mut self, job: Uid, spec_changed: bool, q: &mut dyn Enqueue) {
        let batch = if spec_changed { 0 } else { self.batch };
        q.add_after(job, self.watch_delay + batch);
    }

    /// `deleteJob`: synced at once (to release pods it still holds); its back-off record goes.
    pub fn delete_job(&mut self, job: Uid, q: &mut dyn Enqueue) {
        q.add_after(job, self.watch_delay);
        self.backoff.remove(&job);
    }

    /// `syncJob` for a key: the Job's sync with its pods and back-off record, or, for a Job that
    /// is gone, the removal of the tracking finalizer from the pods it still holds.
    pub fn sync(&mut self, now: Time, store: &Store, key: Uid) -> SyncResult {
        let Some(job) = store.job(key) else {
            let pods: Vec<Uid> = store
                .pods_of(key)
                .iter()
                .filter(|p| p.has_tracking_finalizer())
                .map(|p| p.meta.uid)
                .collect();
            let mut out = SyncResult::default();
            if !pods.is_empty() {
                out.actions.push(Action::RemoveFinalizers { pods });
            }
            return out;
        };
        let pods = store.pods_of(key);
        let record = self.backoff.get(&key).cloned().unwrap_or_default();
        let res = sync_job(now, job, &pods, &record);
        if res.backoff == BackoffRecord::default() {
            self.backoff.remove(&key);
        } else {
            self.backoff.insert(key, res.backoff);
        }
        res.result
    }
}
