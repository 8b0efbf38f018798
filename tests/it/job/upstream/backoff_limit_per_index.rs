//! Port of `TestSyncJobWithJobBackoffLimitPerIndex` (kubernetes/kubernetes
//! `pkg/controller/job/job_controller_test.go`): one `controllers::job::sync_job` per upstream row.
//! Pods are named `mypod-<i>` in table order; pods without `finishedAt` finished long ago.
//!
//! All feature gates are on in batchsim. Not ported (a gate off, or the same row as a ported
//! one once every gate is on):
//! * "job with finished indexes; failedIndexes are cleaned when JobBackoffLimitPerIndex disabled";
//! * "job failed due to failed indexes; JobPodReplacementPolicy and JobManagedBy disabled"
//!   (no interim condition) and "…; JobManagedBy enabled" (= "job failed due to failed indexes");
//! * "job failed due to exceeding max failed indexes; JobPodReplacementPolicy and JobManagedBy
//!   disabled" and "…; JobManagedBy enabled" (= "job failed due to exceeding max failed
//!   indexes", except `terminating`, nil there because JobPodReplacementPolicy is off).
use crate::job::upstream::*;
use batchsim::cluster::model::*;

use ExitCodeOperator::In;
use PodFailureAction::{FailIndex, FailJob, Ignore};
use PodPhase::{Failed, Pending, Running, Succeeded};

fn blpi_job(n: i32, per_index: i32) -> Job {
    let mut j = indexed(n, n);
    j.spec.backoff_limit_per_index = Some(per_index);
    j
}

fn with_rule(mut j: Job, rule: PodFailureRule) -> Job {
    j.spec.pod_failure_policy = Some(vec![rule]);
    j.spec.pod_replacement_policy = PodReplacementPolicy::Failed;
    j
}

/// "successful job after a single failure within index"
#[test]
fn successful_job_after_a_single_failure_within_index() {
    let j = blpi_job(2, 1);
    let pods = vec![
        pod(&j, 0)
            .index(0)
            .phase(Failed)
            .failure_count(0)
            .finalizer(),
        pod(&j, 1)
            .index(0)
            .phase(Succeeded)
            .failure_count(1)
            .finalizer(),
        pod(&j, 2)
            .index(1)
            .phase(Succeeded)
            .failure_count(0)
            .finalizer(),
    ];
    let o = run(&j, pods);
    let (r, m) = (
        "CompletionsReached",
        "Reached expected number of succeeded pods",
    );
    assert_eq!(
        o.conditions(),
        vec![("SuccessCriteriaMet", r, m), ("Complete", r, m)]
    );
    assert_eq!(o.counts(), (0, 2, 1, 0));
    assert_eq!(o.completed(), "0,1");
    assert_eq!(o.failed_indexes().as_deref(), Some(""));
}

/// "single failed pod, not counted as the replacement pod creation is delayed": the failed
/// pod keeps its finalizer (so it is not counted yet) until a replacement exists for its
/// index, so that the replacement can carry the failure count (`getPodsWithDelayedDeletionPerIndex`).
#[test]
fn single_failed_pod_not_counted_as_the_replacement_pod_creation_is_delayed() {
    let j = blpi_job(2, 1);
    let pods = vec![pod(&j, 0)
        .index(0)
        .phase(Failed)
        .failure_count(0)
        .finalizer()];
    let o = run(&j, pods);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (2, 0, 0, 0));
    assert_eq!(o.failed_indexes().as_deref(), Some(""));
    assert!(o.finalizers_removed.is_empty());
    // Index 0 is replaced with failure count 1; index 1 starts with 0.
    assert_eq!(
        o.created,
        vec![(Some(0), Some((1, 0))), (Some(1), Some((0, 0)))]
    );
}

/// "single failed pod replaced already"
#[test]
fn single_failed_pod_replaced_already() {
    let j = blpi_job(2, 1);
    let pods = vec![
        pod(&j, 0)
            .index(0)
            .phase(Failed)
            .failure_count(0)
            .finalizer(),
        pod(&j, 1)
            .index(0)
            .phase(Pending)
            .failure_count(1)
            .finalizer(),
    ];
    let o = run(&j, pods);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (2, 0, 1, 0));
    assert_eq!(o.failed_indexes().as_deref(), Some(""));
    assert_eq!(o.finalizers_removed, vec!["mypod-0"]);
    assert_eq!(o.created, vec![(Some(1), Some((0, 0)))]);
}

/// "single failed index due to exceeding the backoff limit per index, the job continues"
#[test]
fn single_failed_index_due_to_exceeding_the_backoff_limit_per_index() {
    let j = blpi_job(2, 1);
    let pods = vec![pod(&j, 0)
        .index(0)
        .phase(Failed)
        .failure_count(1)
        .finalizer()];
    let o = run(&j, pods);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (1, 0, 1, 0));
    assert_eq!(o.failed_indexes().as_deref(), Some("0"));
    assert_eq!(o.created, vec![(Some(1), Some((0, 0)))]);
}

/// "single failed index due to FailIndex action, the job continues"
#[test]
fn single_failed_index_due_to_fail_index_action() {
    let j = with_rule(blpi_job(2, 1), on_exit(FailIndex, None, In, &[3]));
    let pods = vec![pod(&j, 0)
        .index(0)
        .phase(Failed)
        .exited("", 3)
        .failure_count(0)
        .finalizer()];
    let o = run(&j, pods);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (1, 0, 1, 0));
    assert_eq!(o.failed_indexes().as_deref(), Some("0"));
}

/// "job failed index due to FailJob action"
#[test]
fn job_failed_index_due_to_fail_job_action() {
    let mut j = with_rule(blpi_job(2, 1), on_exit(FailJob, None, In, &[3]));
    j.spec.backoff_limit = 6;
    let pods = vec![pod(&j, 0)
        .index(0)
        .phase(Failed)
        .exited("x", 3)
        .failure_count(0)
        .finalizer()];
    let o = run(&j, pods);
    let msg = "Container x for pod default/mypod-0 failed with exit code 3 matching FailJob rule at index 0";
    assert_eq!(
        o.conditions(),
        vec![
            ("FailureTarget", "PodFailurePolicy", msg),
            ("Failed", "PodFailurePolicy", msg)
        ]
    );
    assert_eq!(o.counts(), (0, 0, 1, 0));
    assert_eq!(o.failed_indexes().as_deref(), Some(""));
}

/// "job pod failure ignored due to matching Ignore action"
#[test]
fn job_pod_failure_ignored_due_to_matching_ignore_action() {
    let mut j = with_rule(blpi_job(2, 1), on_exit(Ignore, None, In, &[3]));
    j.spec.backoff_limit = 6;
    let pods = vec![pod(&j, 0)
        .index(0)
        .phase(Failed)
        .exited("x", 3)
        .failure_count(0)
        .finalizer()];
    let o = run(&j, pods);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (2, 0, 0, 0));
    assert_eq!(o.failed_indexes().as_deref(), Some(""));
    // The replacement of index 0 carries one ignored failure (`getNewIndexFailureCounts`,
    // pkg/controller/job/indexed_job_utils.go).
    assert_eq!(
        o.created,
        vec![(Some(0), Some((0, 1))), (Some(1), Some((0, 0)))]
    );
}

/// "job failed due to exceeding backoffLimit before backoffLimitPerIndex"
#[test]
fn job_failed_due_to_exceeding_backoff_limit_before_backoff_limit_per_index() {
    let mut j = blpi_job(2, 1);
    j.spec.backoff_limit = 1;
    let pods = vec![
        pod(&j, 0)
            .index(0)
            .phase(Failed)
            .failure_count(0)
            .finalizer(),
        pod(&j, 1)
            .index(1)
            .phase(Failed)
            .failure_count(0)
            .finalizer(),
    ];
    let o = run(&j, pods);
    let (r, m) = (
        "BackoffLimitExceeded",
        "Job has reached the specified backoff limit",
    );
    assert_eq!(
        o.conditions(),
        vec![("FailureTarget", r, m), ("Failed", r, m)]
    );
    assert_eq!(o.counts(), (0, 0, 2, 0));
    assert_eq!(o.failed_indexes().as_deref(), Some(""));
}

/// "job failed due to failed indexes"
#[test]
fn job_failed_due_to_failed_indexes() {
    let j = blpi_job(2, 1);
    let pods = vec![
        pod(&j, 0)
            .index(0)
            .phase(Failed)
            .failure_count(1)
            .finalizer(),
        pod(&j, 1)
            .index(1)
            .phase(Succeeded)
            .failure_count(0)
            .finalizer(),
    ];
    let o = run(&j, pods);
    let (r, m) = ("FailedIndexes", "Job has failed indexes");
    assert_eq!(
        o.conditions(),
        vec![("FailureTarget", r, m), ("Failed", r, m)]
    );
    assert_eq!(o.counts(), (0, 1, 1, 0));
    assert_eq!(o.failed_indexes().as_deref(), Some("0"));
    assert_eq!(o.completed(), "1");
    assert_eq!(o.events, vec![(r.to_string(), m.to_string())]);
}

/// "job failed due to exceeding max failed indexes"
#[test]
fn job_failed_due_to_exceeding_max_failed_indexes() {
    let mut j = blpi_job(4, 1);
    j.spec.max_failed_indexes = Some(1);
    let pods = vec![
        pod(&j, 0)
            .index(0)
            .phase(Failed)
            .failure_count(1)
            .finalizer(),
        pod(&j, 1)
            .index(1)
            .phase(Succeeded)
            .failure_count(0)
            .finalizer(),
        pod(&j, 2)
            .index(2)
            .phase(Failed)
            .failure_count(1)
            .finalizer(),
        pod(&j, 3)
            .index(3)
            .phase(Running)
            .failure_count(0)
            .finalizer(),
    ];
    let o = run(&j, pods);
    assert_eq!(
        o.conditions(),
        vec![(
            "FailureTarget",
            "MaxFailedIndexesExceeded",
            "Job has exceeded the specified maximal number of failed indexes"
        )]
    );
    assert_eq!(o.counts(), (0, 1, 3, 1));
    assert_eq!(o.failed_indexes().as_deref(), Some("0,2"));
    assert_eq!(o.completed(), "1");
    assert_eq!(o.deleted, vec![("mypod-3".to_string(), false)]);
}

// ---- Behaviour the ported rows rely on, read off upstream `manageJob` /
// ---- `trackJobStatusAndRemoveFinalizers` (no table row of their own).

/// `manageJob` takes `firstPendingIndexes(diff)` and then drops the indexes still in their
/// per-index back-off (`getPodCreationInfoForIndependentIndexes`); it does not pick a later
/// pending index instead. Index 0 failed just now (count 0 → 10 s back-off), parallelism 1:
/// nothing is created, and the sync comes back in 10 s.
#[test]
fn per_index_back_off_holds_the_slot_instead_of_starting_the_next_index() {
    let j = blpi_job(1, 1);
    let mut j = j;
    j.spec.completions = Some(3);
    let pods = vec![pod(&j, 0)
        .index(0)
        .phase(Failed)
        .failure_count(0)
        .deleting(NOW)
        .finalizer()];
    let o = run(&j, pods);
    assert!(o.created.is_empty());
    assert_eq!(o.requeue, Some(10_000));
    assert_eq!(o.counts(), (0, 0, 0, 0));
}

/// "When the job is considered finished, every non-terminated pod is considered failed"
/// (`trackJobStatusAndRemoveFinalizers`): a pod that was already terminating (not failed under
/// podReplacementPolicy Failed) is counted as failed when FailJob fails the Job.
#[test]
fn failing_job_counts_already_terminating_pods_as_failed() {
    let j = with_rule(blpi_job(2, 1), on_exit(FailJob, None, In, &[5]));
    let pods = vec![
        pod(&j, 0)
            .index(0)
            .phase(Failed)
            .exited("main", 5)
            .finalizer(),
        pod(&j, 1).index(1).phase(Running).deleting(NOW).finalizer(),
    ];
    let o = run(&j, pods);
    let msg = "Container main for pod default/mypod-0 failed with exit code 5 matching FailJob rule at index 0";
    assert_eq!(
        o.conditions(),
        vec![("FailureTarget", "PodFailurePolicy", msg)]
    );
    assert_eq!(o.counts(), (0, 0, 2, 1));
    let mut rm = o.finalizers_removed.clone();
    rm.sort();
    assert_eq!(rm, vec!["mypod-0", "mypod-1"]);
}
