//! What the Job controller asks of pods, after `pkg/controller/controller_utils.go`: the
//! `controller.ActivePods` order in which it deletes them.

use std::cmp::Ordering;

use crate::cluster::model::{Pod, PodPhase};

/// `controller.ActivePods` order: the pods to delete first sort first.
pub fn active_pods_order(a: &Pod, b: &Pod) -> Ordering {
    // Unassigned < assigned.
    let sa = a.status.scheduled_at.is_some();
    let sb = b.status.scheduled_at.is_some();
    if sa != sb {
        return sa.cmp(&sb);
    }
    // Pending < Running (Unknown does not arise here).
    let rank = |p: &Pod| match p.status.phase {
        PodPhase::Pending => 0,
        PodPhase::Running => 2,
        _ => 1,
    };
    if rank(a) != rank(b) {
        return rank(a).cmp(&rank(b));
    }
    // Not ready < ready.
    if a.status.ready != b.status.ready {
        return a.status.ready.cmp(&b.status.ready);
    }
    // Ready for a shorter time < longer: the later transition sorts first.
    if a.status.ready {
        if let (Some(ta), Some(tb)) = (a.status.ready_transition, b.status.ready_transition) {
            if ta != tb {
                return tb.cmp(&ta);
            }
        }
    }
    // More restarts first.
    if a.restarts() != b.restarts() {
        return b.restarts().cmp(&a.restarts());
    }
    // Newer first.
    if a.meta.created_at != b.meta.created_at {
        return b.meta.created_at.cmp(&a.meta.created_at);
    }
    b.meta.uid.cmp(&a.meta.uid)
}
