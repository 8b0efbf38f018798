//! `manageJob`, after `pkg/controller/job/job_controller.go`: deletes the pods of a suspended
//! Job, scales down to the wanted parallelism, or creates the missing pods once the back-off
//! (Job-wide, or per index with `backoffLimitPerIndex`) has passed.

use super::indexed_job_utils::{
    backoff_limit_per_index, first_pending_indexes, get_pod_creation_info_for_independent_indexes,
};
use super::pod_control::{active_pods_order, get_pod_from_template};
use super::sync_job::{only_replace_failed_pods, JobCtx};
use crate::controllers::Action;

/// `deleteJobPods` over the first `count` active pods in `controller.ActivePods` order; each
/// deleted pod is terminating from now on.
pub(super) fn delete_active_pods(ctx: &mut JobCtx, count: usize, remove_finalizer_first: bool) {
    ctx.active_pods.sort_by(|a, b| active_pods_order(a, b));
    let n = count.min(ctx.active_pods.len());
    for p in ctx.active_pods.drain(..n) {
        ctx.actions.push(Action::DeletePod {
            pod: p.meta.uid,
            remove_finalizer_first,
        });
        ctx.terminating += 1;
    }
}

/// `manageJob`: deletes every active pod of a suspended Job, scales down to the wanted
/// parallelism, or creates the missing pods (after the back-off). Returns the active count.
pub(super) fn manage_job(ctx: &mut JobCtx) -> i32 {
    let job = ctx.job;
    let spec = &job.spec;
    let active = ctx.active_pods.len() as i32;
    if spec.suspend {
        delete_active_pods(ctx, usize::MAX, true);
        return 0;
    }
    let want = match spec.completions {
        None if ctx.succeeded > 0 => active,
        None => spec.parallelism,
        Some(c) => (c - ctx.succeeded).min(spec.parallelism).max(0),
    };
    let rm_at_least = (active - want).max(0);
    if rm_at_least > 0 {
        delete_active_pods(ctx, rm_at_least as usize, true);
        return active - rm_at_least;
    }
    if active >= want {
        return active;
    }
    let mut diff = want - active;
    if only_replace_failed_pods(job) {
        diff -= ctx.terminating;
    }
    // `MaxBatchSize` of pod creations per sync.
    let diff = diff.clamp(0, 500);
    if ctx.is_indexed() {
        return active + create_indexed_pods(ctx, diff);
    }
    let remaining = ctx.new_backoff_record.get_remaining_time(ctx.now);
    if remaining > 0 {
        ctx.requeue_after(remaining);
        return active;
    }
    for _ in 0..diff {
        ctx.actions.push(Action::CreatePod {
            pod: get_pod_from_template(job, None, None),
        });
    }
    active + diff
}

/// `manageJob` for an Indexed Job: pods for the lowest pending indexes, honouring the
/// Job-wide back-off, or with `backoffLimitPerIndex` each index's own. Returns how many it
/// created.
fn create_indexed_pods(ctx: &mut JobCtx, diff: i32) -> i32 {
    let job = ctx.job;
    let Some(completions) = job.spec.completions else {
        return 0;
    };
    if backoff_limit_per_index(job).is_none() {
        let remaining = ctx.new_backoff_record.get_remaining_time(ctx.now);
        if remaining > 0 {
            ctx.requeue_after(remaining);
            return 0;
        }
        let indexes = first_pending_indexes(ctx, completions, diff);
        for &ix in &indexes {
            ctx.actions.push(Action::CreatePod {
                pod: get_pod_from_template(job, Some(ix), None),
            });
        }
        return indexes.len() as i32;
    }
    let indexes = first_pending_indexes(ctx, completions, diff);
    let (ready, wait) = get_pod_creation_info_for_independent_indexes(ctx, &indexes);
    if let Some(w) = wait {
        ctx.requeue_after(w);
    }
    for &(ix, counts) in &ready {
        ctx.actions.push(Action::CreatePod {
            pod: get_pod_from_template(job, Some(ix), Some(counts)),
        });
    }
    ready.len() as i32
}
