//! Port of `TestSyncJobWithJobSuccessPolicy` (kubernetes/kubernetes
//! `pkg/controller/job/job_controller_test.go`): one `controllers::job::sync_job` per upstream row.
//! Pods are named `mypod-<i>` in table order, as the upstream loop names them; pods without
//! `finishedAt` finished long ago (the zero time), so no back-off interferes.
//!
//! All feature gates are on in batchsim. Upstream rows whose only difference is a gate turned
//! off are not ported:
//! * "…; jobPodReplacementPolicy feature disabled; job has SuccessCriteriaMet condition if job
//!   meets to successPolicy and some indexes fail" (Complete at once, no terminating count);
//! * "job with podFailurePolicy and successPolicy; jobPodReplacementPolicy feature disabled; …";
//! * "job with successPolicy; JobManagedBy feature enabled; … some pods still are running"
//!   (JobPodReplacementPolicy off: `terminating` nil; otherwise the row just above it);
//! * "when the JobSuccessPolicy is disabled, the Job never got SuccessCriteriaMet condition …".
//!
//! Where upstream leaves `failedIndexes` nil only because its JobBackoffLimitPerIndex gate is
//! off in that row, batchsim (gate on) writes the empty interval string `""`; the test says so.
use crate::job::upstream::*;
use batchsim::cluster::model::*;

use JobConditionType::{FailureTarget, SuccessCriteriaMet};
use PodFailureAction::FailJob;
use PodPhase::{Failed, Running, Succeeded};

const SP: (&str, &str) = ("SuccessPolicy", "Matched rules at index 0");

/// Rule `succeededIndexes: "0,1", succeededCount: 1`.
fn rule_01_count_1() -> SuccessRule {
    SuccessRule {
        succeeded_indexes: Some(vec![(0, 1)]),
        succeeded_count: Some(1),
    }
}

fn sp_job(n: i32, rule: SuccessRule) -> Job {
    let mut j = indexed(n, n);
    j.spec.success_policy = Some(vec![rule]);
    j
}

fn with_pfp_disruption_fail_job(mut j: Job) -> Job {
    j.spec.pod_failure_policy = Some(vec![on_condition(FailJob, "DisruptionTarget")]);
    j.spec.pod_replacement_policy = PodReplacementPolicy::Failed;
    j
}

fn scm_only() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![("SuccessCriteriaMet", SP.0, SP.1)]
}

fn scm_and_complete() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![("SuccessCriteriaMet", SP.0, SP.1), ("Complete", SP.0, SP.1)]
}

/// "job with successPolicy; jobPodReplacementPolicy feature enabled; job has
/// SuccessCriteriaMet condition if job meets to successPolicy and some indexes fail"
#[test]
fn success_criteria_met_if_job_meets_success_policy_and_some_indexes_fail() {
    let j = sp_job(3, rule_01_count_1());
    let pods = vec![
        pod(&j, 0).index(0).phase(Failed).finalizer(),
        pod(&j, 1).index(0).phase(Running).finalizer(),
        pod(&j, 2).index(1).phase(Succeeded).finalizer(),
        pod(&j, 3).index(2).phase(Running).finalizer(),
    ];
    let o = run(&j, pods);
    assert_eq!(o.conditions(), scm_only());
    assert_eq!(o.counts(), (0, 1, 1, 2));
    assert_eq!(o.completed(), "1");
    // Once SuccessCriteriaMet is set, `syncJob` (pkg/controller/job/job_controller.go) deletes
    // the lingering pods and releases them without counting them.
    let mut deleted = o.deleted.clone();
    deleted.sort();
    assert_eq!(
        deleted,
        vec![("mypod-1".to_string(), true), ("mypod-3".to_string(), true)]
    );
}

/// "job with podFailurePolicy and successPolicy; jobPodReplacementPolicy feature enabled; job
/// has SuccessCriteriaMet condition if job meets to successPolicy and doesn't meet to
/// podFailurePolicy"
#[test]
fn success_criteria_met_with_pod_failure_policy_not_met() {
    let j = with_pfp_disruption_fail_job(sp_job(2, rule_01_count_1()));
    let pods = vec![
        pod(&j, 0).index(0).phase(Failed).finalizer(),
        pod(&j, 1).index(0).phase(Running).finalizer(),
        pod(&j, 2).index(1).phase(Succeeded).finalizer(),
    ];
    let o = run(&j, pods);
    assert_eq!(o.conditions(), scm_only());
    assert_eq!(o.counts(), (0, 1, 1, 1));
    assert_eq!(o.completed(), "1");
}

/// "job with backoffLimitPerIndex and successPolicy; jobPodReplacementPolicy feature enabled;
/// job has SuccessCriteriaMet condition if job meets to successPolicy and doesn't meet
/// backoffLimitPerIndex"
#[test]
fn success_criteria_met_with_backoff_limit_per_index_not_met() {
    let mut j = sp_job(2, rule_01_count_1());
    j.spec.backoff_limit_per_index = Some(2);
    let pods = vec![
        pod(&j, 0).index(0).phase(Failed).finalizer(),
        pod(&j, 1).index(0).phase(Running).finalizer(),
        pod(&j, 2).index(1).phase(Succeeded).finalizer(),
    ];
    let o = run(&j, pods);
    assert_eq!(o.conditions(), scm_only());
    assert_eq!(o.counts(), (0, 1, 1, 1));
    assert_eq!(o.completed(), "1");
    assert_eq!(o.failed_indexes().as_deref(), Some(""));
}

/// "job with successPolicy; jobPodReplacementPolicy feature enabled; job has both Complete and
/// SuccessCriteriaMet condition when job meets to successPolicy and all pods have been already
/// removed". Upstream's `failedIndexes` is nil only because JobBackoffLimitPerIndex is off in
/// that row; batchsim writes `""`.
#[test]
fn complete_and_success_criteria_met_when_all_pods_already_removed() {
    let mut j = sp_job(2, rule_01_count_1());
    j.spec.backoff_limit_per_index = Some(2);
    j.status.conditions = vec![cond(SuccessCriteriaMet, SP.0, SP.1)];
    let pods = vec![
        pod(&j, 0).index(0).phase(Failed).finalizer(),
        pod(&j, 1).index(1).phase(Succeeded).finalizer(),
    ];
    let o = run(&j, pods);
    assert_eq!(o.conditions(), scm_and_complete());
    assert_eq!(o.counts(), (0, 1, 1, 0));
    assert_eq!(o.completed(), "1");
    assert_eq!(o.failed_indexes().as_deref(), Some(""));
    assert_eq!(o.status.completion_time, Some(NOW));
    assert_eq!(
        o.events,
        vec![("Completed".to_string(), "Job completed".to_string())]
    );
}

/// "job with successPolicy; jobPodReplacementPolicy feature enabled; job has
/// SuccessCriteriaMet condition when job meets to successPolicy and some pods still are
/// running" (kubernetes#123775)
#[test]
fn success_criteria_met_when_some_pods_still_running() {
    let mut j = sp_job(3, rule_01_count_1());
    j.spec.backoff_limit_per_index = Some(3);
    j.status.conditions = vec![cond(SuccessCriteriaMet, SP.0, SP.1)];
    let pods = vec![
        pod(&j, 0).index(0).phase(Failed).finalizer(),
        pod(&j, 1).index(1).phase(Running).finalizer(),
        pod(&j, 2).index(1).phase(Succeeded).finalizer(),
        pod(&j, 3).index(2).phase(Running).finalizer(),
    ];
    let o = run(&j, pods);
    assert_eq!(o.conditions(), scm_only());
    assert_eq!(o.counts(), (0, 1, 1, 2));
    assert_eq!(o.completed(), "1");
    assert!(o.status.completion_time.is_none());
}

/// "job with successPolicy and podFailurePolicy; jobPodReplacementPolicy feature enabled; job
/// has a failed condition when job meets to both successPolicy and podFailurePolicy"
#[test]
fn failure_wins_when_job_meets_success_policy_and_pod_failure_policy() {
    let j = with_pfp_disruption_fail_job(sp_job(2, rule_01_count_1()));
    let pods = vec![
        pod(&j, 0)
            .index(0)
            .phase(Failed)
            .condition("DisruptionTarget")
            .finalizer(),
        pod(&j, 1).index(0).phase(Running).finalizer(),
        pod(&j, 2).index(1).phase(Succeeded).finalizer(),
    ];
    let o = run(&j, pods);
    let msg = "Pod default/mypod-0 has condition DisruptionTarget matching FailJob rule at index 0";
    assert_eq!(
        o.conditions(),
        vec![("FailureTarget", "PodFailurePolicy", msg)]
    );
    assert_eq!(o.counts(), (0, 1, 2, 1));
    assert_eq!(o.completed(), "1");
}

/// "job with successPolicy and backoffLimitPerIndex; jobPodReplacementPolicy feature enabled;
/// job has a failed condition when job meets to both successPolicy and backoffLimitPerIndex"
#[test]
fn failure_wins_when_job_meets_success_policy_and_backoff_limit_per_index() {
    let mut j = sp_job(2, rule_01_count_1());
    j.spec.backoff_limit_per_index = Some(1);
    let pods = vec![
        pod(&j, 0)
            .index(0)
            .phase(Failed)
            .failure_count(1)
            .finalizer(),
        pod(&j, 1).index(1).phase(Succeeded).finalizer(),
    ];
    let o = run(&j, pods);
    let (r, m) = ("FailedIndexes", "Job has failed indexes");
    assert_eq!(
        o.conditions(),
        vec![("FailureTarget", r, m), ("Failed", r, m)]
    );
    assert_eq!(o.counts(), (0, 1, 1, 0));
    assert_eq!(o.completed(), "1");
    assert_eq!(o.failed_indexes().as_deref(), Some("0"));
}

/// "job with successPolicy and backoffLimit; jobPodReplacementPolicy feature enabled; job has
/// a failed condition when job meets to both successPolicy and backoffLimit"
#[test]
fn failure_wins_when_job_meets_success_policy_and_backoff_limit() {
    let mut j = sp_job(2, rule_01_count_1());
    j.spec.backoff_limit = 1;
    let pods = vec![
        pod(&j, 0).index(0).phase(Failed).finalizer(),
        pod(&j, 1).index(0).phase(Failed).finalizer(),
        pod(&j, 2).index(1).phase(Succeeded).finalizer(),
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
    assert_eq!(o.counts(), (0, 1, 2, 0));
    assert_eq!(o.completed(), "1");
}

fn already_met(mut j: Job) -> Job {
    j.status.succeeded = 1;
    j.status.completed_indexes = vec![1];
    j.status.conditions = vec![cond(SuccessCriteriaMet, SP.0, SP.1)];
    j
}

/// "job with successPolicy and podFailurePolicy; jobPodReplacementPolicy feature enabled; job
/// with SuccessCriteriaMet has never been transitioned to FailureTarget and Failed even if job
/// meets podFailurePolicy"
#[test]
fn success_criteria_met_never_transitions_to_failure_on_pod_failure_policy() {
    let j = already_met(with_pfp_disruption_fail_job(sp_job(
        2,
        SuccessRule {
            succeeded_indexes: None,
            succeeded_count: Some(1),
        },
    )));
    let pods = vec![
        pod(&j, 0)
            .index(0)
            .phase(Failed)
            .condition("DisruptionTarget")
            .finalizer(),
        pod(&j, 1).index(1).phase(Succeeded).finalizer(),
    ];
    let o = run(&j, pods);
    assert_eq!(o.conditions(), scm_and_complete());
    assert_eq!(o.counts(), (0, 1, 1, 0));
    assert_eq!(o.completed(), "1");
}

/// "job with successPolicy and backoffLimitPerIndex; jobPodReplacementPolicy feature enabled;
/// job with SuccessCriteriaMet has never been transitioned to FailureTarget and Failed even if
/// job meet backoffLimitPerIndex"
#[test]
fn success_criteria_met_never_transitions_to_failure_on_backoff_limit_per_index() {
    let mut j = sp_job(
        2,
        SuccessRule {
            succeeded_indexes: Some(vec![(1, 1)]),
            succeeded_count: None,
        },
    );
    j.spec.backoff_limit_per_index = Some(1);
    let j = already_met(j);
    let pods = vec![
        pod(&j, 0)
            .index(0)
            .phase(Failed)
            .failure_count(1)
            .finalizer(),
        pod(&j, 1).index(1).phase(Succeeded).finalizer(),
    ];
    let o = run(&j, pods);
    assert_eq!(o.conditions(), scm_and_complete());
    assert_eq!(o.counts(), (0, 1, 1, 0));
    assert_eq!(o.completed(), "1");
    assert_eq!(o.failed_indexes().as_deref(), Some("0"));
}

/// "job with successPolicy and backoffLimit; jobPodReplacementPolicy feature enabled; job with
/// SuccessCriteriaMet has never been transitioned to FailureTarget and Failed even if job
/// meets backoffLimit"
#[test]
fn success_criteria_met_never_transitions_to_failure_on_backoff_limit() {
    let mut j = sp_job(2, rule_01_count_1());
    j.spec.backoff_limit = 1;
    let j = already_met(j);
    let pods = vec![
        pod(&j, 0).index(0).phase(Failed).finalizer(),
        pod(&j, 1).index(1).phase(Succeeded).finalizer(),
    ];
    let o = run(&j, pods);
    assert_eq!(o.conditions(), scm_and_complete());
    assert_eq!(o.counts(), (0, 1, 1, 0));
}

/// "job with successPolicy and podFailureTarget; jobPodReplacementPolicy feature enabled; job
/// with FailureTarget has never been transitioned to SuccessCriteriaMet even if job meets
/// successPolicy"
#[test]
fn failure_target_never_transitions_to_success_criteria_met() {
    let msg = "Pod default/mypod-0 has condition DisruptionTarget matching FailJob rule at index 0";
    let mut j = with_pfp_disruption_fail_job(sp_job(2, rule_01_count_1()));
    j.status.failed = 1;
    j.status.completed_indexes = vec![1];
    j.status.conditions = vec![cond(FailureTarget, "PodFailurePolicy", msg)];
    let pods = vec![
        pod(&j, 0)
            .index(0)
            .phase(Failed)
            .condition("DisruptionTarget"),
        pod(&j, 1).index(1).phase(Succeeded).finalizer(),
    ];
    let o = run(&j, pods);
    assert_eq!(
        o.conditions(),
        vec![
            ("FailureTarget", "PodFailurePolicy", msg),
            ("Failed", "PodFailurePolicy", msg)
        ]
    );
    assert_eq!(o.counts(), (0, 1, 1, 0));
    assert_eq!(o.completed(), "1");
}

/// "job without successPolicy; jobSuccessPolicy is enabled; job got SuccessCriteriaMet and
/// Completion with CompletionsReached reason conditions"
#[test]
fn without_success_policy_completions_reached() {
    let j = indexed(1, 1);
    let pods = vec![pod(&j, 0).index(0).phase(Succeeded).finalizer()];
    let o = run(&j, pods);
    let (r, m) = (
        "CompletionsReached",
        "Reached expected number of succeeded pods",
    );
    assert_eq!(
        o.conditions(),
        vec![("SuccessCriteriaMet", r, m), ("Complete", r, m)]
    );
    assert_eq!(o.counts(), (0, 1, 0, 0));
    assert_eq!(o.completed(), "0");
}
