//! The TTL-after-finished controller (`pkg/controller/ttlafterfinished`): deletes a finished Job
//! with Foreground propagation `ttlSecondsAfterFinished` after its terminal condition.

use crate::cluster::model::{Job, Propagation};
use crate::controllers::{Action, SyncResult};
use crate::sim::time::{Time, SECOND};

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
