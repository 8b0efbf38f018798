//! The pod-failure back-off, after `pkg/controller/job/backoff_utils.go`: the controller's
//! in-memory `backoffRecord` per Job, how a new one is derived from the pods finished in a sync
//! (`newBackoffRecord`), and how long re-creation must still wait (`getRemainingTime`).

use crate::cluster::model::{ContainerState, Pod};
use crate::sim::time::{Millis, Time, MINUTE, SECOND};

/// `DefaultJobPodFailureBackOff`: the first pod-failure re-creation delay.
pub const POD_FAILURE_BACKOFF: Millis = 10 * SECOND;
/// `MaxJobPodFailureBackOff`: the cap of the pod-failure re-creation delay.
pub const MAX_POD_FAILURE_BACKOFF: Millis = 10 * MINUTE;

/// The controller's in-memory `backoffRecord` for one Job.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BackoffRecord {
    /// Failures since the last success.
    pub failures_after_last_success: i32,
    /// Finish time of the latest of those failures.
    pub last_failure_time: Option<Time>,
}

impl BackoffRecord {
    /// `getRemainingTime`: how long re-creation must still wait at `now`.
    pub fn get_remaining_time(&self, now: Time) -> Millis {
        if self.failures_after_last_success == 0 {
            return 0;
        }
        let Some(last) = self.last_failure_time else {
            return 0;
        };
        (backoff_duration(self.failures_after_last_success) - now.since(last)).max(0)
    }
}

/// `newBackoffRecord`: a success resets the record; only failures (ignored ones too) finished
/// after the latest success count.
pub(super) fn new_backoff_record(
    now: Time,
    old: &BackoffRecord,
    new_succeeded: &[&Pod],
    new_failed: &[&Pod],
    new_ignored: &[&Pod],
) -> BackoffRecord {
    let mut record = old.clone();
    let all_failures: Vec<Time> = new_failed
        .iter()
        .chain(new_ignored.iter())
        .map(|p| get_finished_time(p))
        .collect();
    if new_succeeded.is_empty() {
        record.failures_after_last_success += all_failures.len() as i32;
        for t in &all_failures {
            record.last_failure_time = Some(record.last_failure_time.map_or(*t, |x| x.max(*t)));
        }
    } else {
        let last_success = new_succeeded
            .iter()
            .map(|p| get_finished_time(p))
            .max()
            .unwrap_or(now);
        let after: Vec<Time> = all_failures
            .iter()
            .copied()
            .filter(|t| *t > last_success)
            .collect();
        record.failures_after_last_success = after.len() as i32;
        record.last_failure_time = after.iter().copied().max();
    }
    record
}

/// The back-off for the `failures`-th consecutive failure: the default doubled per failure,
/// capped (`getRemainingTimeForFailuresCount`'s delay).
pub(super) fn backoff_duration(failures: i32) -> Millis {
    if failures <= 0 {
        return 0;
    }
    let exp = (failures - 1).clamp(0, 30) as u32;
    POD_FAILURE_BACKOFF
        .saturating_mul(1i64 << exp)
        .min(MAX_POD_FAILURE_BACKOFF)
}

/// `getFinishedTime`: when a pod finished, for the back-off clock — the latest container
/// termination once all containers terminated, else the deletion request, else creation.
pub fn get_finished_time(pod: &Pod) -> Time {
    let cs = &pod.status.containers;
    if !cs.is_empty()
        && cs
            .iter()
            .all(|c| matches!(c.state, ContainerState::Terminated(_)))
    {
        return cs
            .iter()
            .filter_map(|c| match &c.state {
                ContainerState::Terminated(t) => Some(t.finished_at),
                _ => None,
            })
            .max()
            .unwrap_or(pod.meta.created_at);
    }
    if let Some(t) = pod.meta.delete_requested_at {
        return t;
    }
    pod.meta.created_at
}
