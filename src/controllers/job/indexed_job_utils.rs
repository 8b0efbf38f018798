//! Indexed Jobs, after `pkg/controller/job/indexed_job_utils.go`: completion indexes, the
//! per-index failure counts kept in pod annotations (`backoffLimitPerIndex`), which indexes
//! are succeeded, failed or pending, and which failed pod an index's replacement inherits from.

use std::collections::{BTreeMap, BTreeSet};

use super::backoff_utils::{backoff_duration, get_finished_time};
use super::pod_failure_policy::match_pod_failure_policy;
use super::sync_job::{is_pod_failed, only_replace_failed_pods, JobCtx};
use crate::cluster::model::{
    CompletionMode, Job, Pod, PodFailureAction, Str, Uid, INDEX_FAILURE_COUNT_KEY,
    INDEX_IGNORED_FAILURE_COUNT_KEY,
};
use crate::sim::time::Millis;

/// Formats sorted distinct indexes as Kubernetes interval strings (`orderedIntervals.String`):
/// `1,3-5,7`; two adjacent numbers are listed as `4,5`, three or more as a range.
pub fn interval_string(indexes: &[i32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < indexes.len() {
        let first = indexes[i];
        let mut last = first;
        while i + 1 < indexes.len() && indexes[i + 1] == last + 1 {
            i += 1;
            last = indexes[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&first.to_string());
        if last == first + 1 {
            out.push(',');
            out.push_str(&last.to_string());
        } else if last > first + 1 {
            out.push('-');
            out.push_str(&last.to_string());
        }
        i += 1;
    }
    out
}

/// `names.MaxGeneratedNameLength` (`k8s.io/apiserver/pkg/storage/names`): 63 minus the 5
/// random characters the API server appends.
const MAX_GENERATED_NAME_LENGTH: usize = 58;

/// `podGenerateNameWithIndex`: `<job>-<index>-`, the Job name cut so that the `-<index>-`
/// suffix survives the API server's cut of generateName to `MAX_GENERATED_NAME_LENGTH`.
pub(super) fn pod_generate_name_with_index(job_name: &str, index: i32) -> Str {
    let suffix = format!("-{index}-");
    let keep = MAX_GENERATED_NAME_LENGTH.saturating_sub(suffix.len());
    let mut b: Str = job_name.chars().take(keep).collect();
    b.push_str(&suffix);
    b
}

/// A non-negative integer annotation, 0 when absent or malformed.
fn annotation_i32(pod: &Pod, key: &str) -> i32 {
    pod.meta
        .annotations
        .get(key)
        .and_then(|v| v.parse::<i32>().ok())
        .filter(|v| *v >= 0)
        .unwrap_or(0)
}

/// `getIndexFailureCount`: the counted failures of the pod's index before this pod.
pub(super) fn get_index_failure_count(pod: &Pod) -> i32 {
    annotation_i32(pod, INDEX_FAILURE_COUNT_KEY)
}

/// `getIndexAbsoluteFailureCount`: counted plus ignored failures of the pod's index before it.
pub(super) fn get_index_absolute_failure_count(pod: &Pod) -> i32 {
    annotation_i32(pod, INDEX_FAILURE_COUNT_KEY)
        + annotation_i32(pod, INDEX_IGNORED_FAILURE_COUNT_KEY)
}

/// `getCompletionIndex` checked against `completions`: whether a pod's index is valid.
pub(super) fn is_valid_completion_index(job: &Job, ix: Option<i32>) -> bool {
    match (ix, job.spec.completions) {
        (Some(i), Some(c)) => i >= 0 && i < c,
        _ => false,
    }
}

/// `backoffLimitPerIndex`, which only applies to Indexed Jobs.
pub(super) fn backoff_limit_per_index(job: &Job) -> Option<i32> {
    if job.spec.completion_mode == CompletionMode::Indexed {
        job.spec.backoff_limit_per_index
    } else {
        None
    }
}

/// `isIndexFailed`: a failed pod fails its index when a FailIndex rule matched, or when its
/// counted failures already reached `backoffLimitPerIndex`.
pub(super) fn is_index_failed(pod: &Pod, action: Option<PodFailureAction>, limit: i32) -> bool {
    let counted = action != Some(PodFailureAction::Ignore);
    action == Some(PodFailureAction::FailIndex)
        || (counted && get_index_failure_count(pod) >= limit)
}

/// `calculateSucceededIndexes`: the previously succeeded indexes plus the valid indexes of the
/// pods newly found succeeded.
pub(super) fn calculate_succeeded_indexes(ctx: &JobCtx) -> BTreeSet<i32> {
    let mut completed: BTreeSet<i32> = ctx.status.completed_indexes.iter().copied().collect();
    for p in &ctx.new_succeeded {
        if is_valid_completion_index(ctx.job, p.index) {
            completed.extend(p.index);
        }
    }
    completed
}

/// `calculateFailedIndexes`: with `backoffLimitPerIndex`, the previously failed indexes plus
/// those failed in this sync; `None` without it.
pub(super) fn calculate_failed_indexes(ctx: &JobCtx) -> Option<BTreeSet<i32>> {
    backoff_limit_per_index(ctx.job).map(|_| {
        let mut f: BTreeSet<i32> = ctx
            .status
            .failed_indexes
            .iter()
            .flatten()
            .copied()
            .collect();
        f.extend(ctx.newly_failed_indexes.iter().copied());
        f
    })
}

/// `getPodsWithDelayedDeletionPerIndex`: with `backoffLimitPerIndex`, the latest failed pod of
/// an index that is neither resolved nor running again keeps its finalizer (and so is not yet
/// counted in status.failed) until its replacement exists, so the replacement can inherit the
/// failure count. It still counts toward backoffLimit in this sync, as upstream's
/// `jobCtx.failed` does; it is released anyway if the Job finishes in this sync.
pub(super) fn get_pods_with_delayed_deletion_per_index(ctx: &JobCtx) -> Vec<Uid> {
    let Some(fi) = &ctx.failed_indexes else {
        return Vec::new();
    };
    let active_ix: BTreeSet<i32> = ctx.active_pods.iter().filter_map(|p| p.index).collect();
    let mut latest: BTreeMap<i32, &Pod> = BTreeMap::new();
    for p in ctx.pods.iter().copied() {
        let Some(ix) = p
            .index
            .filter(|_| is_valid_completion_index(ctx.job, p.index))
        else {
            continue;
        };
        if !p.has_tracking_finalizer()
            || !is_pod_failed(p, ctx.job)
            || ctx.succeeded_indexes.contains(&ix)
            || fi.contains(&ix)
            || active_ix.contains(&ix)
        {
            continue;
        }
        let replace = latest.get(&ix).is_none_or(|last| {
            get_index_absolute_failure_count(last) <= get_index_absolute_failure_count(p)
                && get_finished_time(p) >= get_finished_time(last)
        });
        if replace {
            latest.insert(ix, p);
        }
    }
    latest.values().map(|p| p.meta.uid).collect()
}

/// `firstPendingIndexes`: the lowest `count` indexes below `completions` that are neither
/// succeeded, failed, active, nor (when only failed pods are replaced) still terminating.
pub(super) fn first_pending_indexes(ctx: &JobCtx, completions: i32, count: i32) -> Vec<i32> {
    let mut busy: BTreeSet<i32> = ctx.succeeded_indexes.clone();
    busy.extend(ctx.active_pods.iter().filter_map(|p| p.index));
    if only_replace_failed_pods(ctx.job) {
        busy.extend(
            ctx.pods
                .iter()
                .filter(|p| p.is_terminating())
                .filter_map(|p| p.index),
        );
    }
    if let Some(f) = &ctx.failed_indexes {
        busy.extend(f.iter().copied());
    }
    (0..completions)
        .filter(|ix| !busy.contains(ix))
        .take(count.max(0) as usize)
        .collect()
}

/// The (failure count, ignored failure count) annotations a new pod of an index carries.
pub(super) type IndexFailureCounts = (i32, i32);

/// `getPodCreationInfoForIndependentIndexes`: of the pending `indexes`, those whose per-index
/// back-off has passed, each with the (failure, ignored failure) counts its new pod carries,
/// and the shortest remaining back-off of the others. A later pending index is NOT created in
/// place of a waiting one: the slot waits for the back-off.
pub(super) fn get_pod_creation_info_for_independent_indexes(
    ctx: &JobCtx,
    indexes: &[i32],
) -> (Vec<(i32, IndexFailureCounts)>, Option<Millis>) {
    let mut ready = Vec::with_capacity(indexes.len());
    let mut wait: Option<Millis> = None;
    for &ix in indexes {
        let Some(last) = last_failed_pod_of_index(ctx, ix) else {
            ready.push((ix, (0, 0)));
            continue;
        };
        let (fc, ic) = get_new_index_failure_counts(ctx.job, last);
        let remaining = backoff_duration(fc + ic) - ctx.now.since(get_finished_time(last));
        if remaining > 0 {
            wait = Some(wait.map_or(remaining, |x| x.min(remaining)));
        } else {
            ready.push((ix, (fc, ic)));
        }
    }
    (ready, wait)
}

/// The pod a new pod of index `ix` replaces: the failed pod of the index with the highest
/// absolute failure count, the latest finished among equals.
fn last_failed_pod_of_index<'a>(ctx: &JobCtx<'a>, ix: i32) -> Option<&'a Pod> {
    ctx.pods
        .iter()
        .copied()
        .filter(|p| p.index == Some(ix) && is_pod_failed(p, ctx.job))
        .max_by_key(|p| (get_index_absolute_failure_count(p), get_finished_time(p)))
}

/// `getNewIndexFailureCounts`: the replaced pod's counts, plus its own failure (as ignored when
/// an Ignore rule matched it).
fn get_new_index_failure_counts(job: &Job, replaced: &Pod) -> IndexFailureCounts {
    let mut fc = get_index_failure_count(replaced);
    let mut ic = annotation_i32(replaced, INDEX_IGNORED_FAILURE_COUNT_KEY);
    let ignored = job
        .spec
        .pod_failure_policy
        .as_deref()
        .and_then(|r| match_pod_failure_policy(r, replaced))
        .is_some_and(|m| m.action == PodFailureAction::Ignore);
    if ignored {
        ic += 1;
    } else {
        fc += 1;
    }
    (fc, ic)
}
