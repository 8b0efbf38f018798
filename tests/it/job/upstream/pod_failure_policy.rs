//! Port of `TestSyncJobWithJobPodFailurePolicy` (kubernetes/kubernetes
//! `pkg/controller/job/job_controller_test.go`): one `controllers::job::sync_job` per upstream row,
//! pods named `mypod-<i>` as the upstream loop names them, expected values from the table.
//!
//! All feature gates are on in batchsim (current Kubernetes). Where the upstream table has a
//! gates-off row and a gates-on twin, the twin is ported. The harness defaults
//! `podReplacementPolicy` to `Failed`, as the API does when a podFailurePolicy is set.
//!
//! Not ported:
//! * "fail job with multiple pods" and "default job based on OnExitCodes": JobManagedBy and
//!   JobPodReplacementPolicy off (no interim condition); their gates-on twins are ported.
//! * "fail job based on OnExitCodes for InitContainer": batchsim models no init containers.
use crate::job::upstream::*;
use batchsim::cluster::model::*;

use ExitCodeOperator::{In, NotIn};
use JobConditionType::FailureTarget;
use PodFailureAction::{Count, FailJob, Ignore};

/// Upstream `onExitCodeRules`: Ignore on 1,2,3, FailJob on 5,6,7.
fn on_exit_code_rules() -> Vec<PodFailureRule> {
    vec![
        on_exit(Ignore, None, In, &[1, 2, 3]),
        on_exit(FailJob, None, In, &[5, 6, 7]),
    ]
}

fn pfp_job(par: i32, comp: Option<i32>, bl: i32, rules: Vec<PodFailureRule>) -> Job {
    let mut j = ujob(par, comp, bl);
    j.spec.pod_failure_policy = Some(rules);
    j.spec.pod_replacement_policy = PodReplacementPolicy::Failed;
    j
}

const FT: &str = "PodFailurePolicy";

fn fail_job_conditions(msg: &str) -> Vec<(&'static str, &str, &str)> {
    vec![("FailureTarget", FT, msg), ("Failed", FT, msg)]
}

/// "default handling for pod failure if the container matching the exit codes does not match
/// the containerName restriction"
#[test]
fn default_handling_if_container_does_not_match_container_name_restriction() {
    let j = pfp_job(
        1,
        Some(1),
        6,
        vec![
            on_exit(Ignore, Some("main-container"), In, &[1, 2, 3]),
            on_exit(FailJob, Some("main-container"), In, &[5, 6, 7]),
        ],
    );
    let p = pod(&j, 0)
        .phase(PodPhase::Failed)
        .exited("monitoring-container", 5)
        .exited("main-container", 42)
        .finalizer();
    let o = run(&j, vec![p]);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (1, 0, 1, 0));
    assert_eq!(o.created.len(), 1);
}

/// "running pod should not result in job fail based on OnExitCodes"
#[test]
fn running_pod_should_not_result_in_job_fail_based_on_on_exit_codes() {
    let j = pfp_job(1, Some(1), 6, on_exit_code_rules());
    let p = pod(&j, 0)
        .phase(PodPhase::Running)
        .exited("main-container", 5)
        .finalizer();
    let o = run(&j, vec![p]);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (1, 0, 0, 0));
    assert!(o.created.is_empty());
}

/// "fail job based on OnExitCodes"
#[test]
fn fail_job_based_on_on_exit_codes() {
    let j = pfp_job(1, Some(1), 6, on_exit_code_rules());
    let p = pod(&j, 0)
        .phase(PodPhase::Failed)
        .exited("main-container", 5)
        .finalizer();
    let o = run(&j, vec![p]);
    let msg = "Container main-container for pod default/mypod-0 failed with exit code 5 matching FailJob rule at index 1";
    assert_eq!(o.conditions(), fail_job_conditions(msg));
    assert_eq!(o.counts(), (0, 0, 1, 0));
    assert_eq!(o.finalizers_removed, vec!["mypod-0"]);
}

/// "job marked already as failure target with failed pod"
#[test]
fn job_marked_already_as_failure_target_with_failed_pod() {
    let msg = "Container main-container for pod default/mypod-0 failed with exit code 5 matching FailJob rule at index 1";
    let mut j = pfp_job(1, Some(1), 6, on_exit_code_rules());
    j.status.conditions = vec![cond(FailureTarget, FT, msg)];
    let p = pod(&j, 0)
        .phase(PodPhase::Failed)
        .exited("main-container", 5)
        .finalizer();
    let o = run(&j, vec![p]);
    assert_eq!(o.conditions(), fail_job_conditions(msg));
    assert_eq!(o.counts(), (0, 0, 1, 0));
}

/// "job marked already as failure target with failed pod, message based on already deleted pod"
#[test]
fn job_marked_already_as_failure_target_message_based_on_already_deleted_pod() {
    let msg = "Container main-container for pod default/already-deleted-pod failed with exit code 5 matching FailJob rule at index 1";
    let mut j = pfp_job(1, Some(1), 6, on_exit_code_rules());
    j.status.conditions = vec![cond(FailureTarget, FT, msg)];
    let p = pod(&j, 0)
        .phase(PodPhase::Failed)
        .exited("main-container", 5)
        .finalizer();
    let o = run(&j, vec![p]);
    assert_eq!(o.conditions(), fail_job_conditions(msg));
    assert_eq!(o.counts(), (0, 0, 1, 0));
}

/// "fail job with multiple pods; JobManagedBy enabled delays setting terminal condition".
/// Upstream expects `terminating` 0 only because JobPodReplacementPolicy is off in that row
/// (the field is then nil); with every gate on the running pod deleted in this sync is
/// terminating (`*jobCtx.terminating += deleted`), which is also why `Failed` waits.
#[test]
fn fail_job_with_multiple_pods_delays_setting_terminal_condition() {
    let j = pfp_job(2, Some(2), 6, on_exit_code_rules());
    let p0 = pod(&j, 0).phase(PodPhase::Running).finalizer();
    let p1 = pod(&j, 1)
        .phase(PodPhase::Failed)
        .exited("main-container", 5)
        .finalizer();
    let o = run(&j, vec![p0, p1]);
    let msg = "Container main-container for pod default/mypod-1 failed with exit code 5 matching FailJob rule at index 1";
    assert_eq!(o.conditions(), vec![("FailureTarget", FT, msg)]);
    assert_eq!(o.counts(), (0, 0, 2, 1));
    // The running pod is deleted keeping its finalizer, and counted as failed.
    assert_eq!(o.deleted, vec![("mypod-0".to_string(), false)]);
    assert!(o.events.is_empty(), "no finish event before Failed");
}

/// "fail indexed job based on OnExitCodes"
#[test]
fn fail_indexed_job_based_on_on_exit_codes() {
    let mut j = pfp_job(1, Some(1), 6, on_exit_code_rules());
    j.spec.completion_mode = CompletionMode::Indexed;
    let p = pod(&j, 0)
        .index(0)
        .phase(PodPhase::Failed)
        .exited("main-container", 5)
        .finalizer();
    let o = run(&j, vec![p]);
    let msg = "Container main-container for pod default/mypod-0 failed with exit code 5 matching FailJob rule at index 1";
    assert_eq!(o.conditions(), fail_job_conditions(msg));
    assert_eq!(o.counts(), (0, 0, 1, 0));
}

/// "fail job based on OnExitCodes with NotIn operator"
#[test]
fn fail_job_based_on_on_exit_codes_with_not_in_operator() {
    let j = pfp_job(
        1,
        Some(1),
        6,
        vec![on_exit(FailJob, None, NotIn, &[5, 6, 7])],
    );
    let p = pod(&j, 0)
        .phase(PodPhase::Failed)
        .exited("main-container", 42)
        .finalizer();
    let o = run(&j, vec![p]);
    let msg = "Container main-container for pod default/mypod-0 failed with exit code 42 matching FailJob rule at index 0";
    assert_eq!(o.conditions(), fail_job_conditions(msg));
    assert_eq!(o.counts(), (0, 0, 1, 0));
    assert_eq!(o.events, vec![(FT.to_string(), msg.to_string())]);
}

/// "default handling job based on OnExitCodes with NotIn operator"
#[test]
fn default_handling_job_based_on_on_exit_codes_with_not_in_operator() {
    let j = pfp_job(
        1,
        Some(1),
        6,
        vec![on_exit(FailJob, None, NotIn, &[5, 6, 7])],
    );
    let p = pod(&j, 0)
        .phase(PodPhase::Failed)
        .exited("main-container", 5)
        .finalizer();
    let o = run(&j, vec![p]);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (1, 0, 1, 0));
}

/// "ignore pod failure; both rules are matching, the first is executed only"
#[test]
fn ignore_pod_failure_both_rules_matching_first_is_executed_only() {
    let j = pfp_job(1, Some(1), 0, on_exit_code_rules());
    let p = pod(&j, 0)
        .phase(PodPhase::Failed)
        .exited("container1", 2)
        .exited("container2", 6)
        .finalizer();
    let o = run(&j, vec![p]);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (1, 0, 0, 0));
    // Ignored, yet its finalizer is removed: it has been processed.
    assert_eq!(o.finalizers_removed, vec!["mypod-0"]);
}

/// "ignore pod failure based on OnExitCodes"
#[test]
fn ignore_pod_failure_based_on_on_exit_codes() {
    let j = pfp_job(1, Some(1), 0, on_exit_code_rules());
    let p = pod(&j, 0).phase(PodPhase::Failed).exited("", 1).finalizer();
    let o = run(&j, vec![p]);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (1, 0, 0, 0));
}

/// "default job based on OnExitCodes; JobManagedBy enabled triggers adding interim condition"
#[test]
fn default_job_based_on_on_exit_codes_adds_interim_condition() {
    let j = pfp_job(1, Some(1), 0, on_exit_code_rules());
    let p = pod(&j, 0)
        .phase(PodPhase::Failed)
        .exited("", 10)
        .finalizer();
    let o = run(&j, vec![p]);
    let (r, m) = (
        "BackoffLimitExceeded",
        "Job has reached the specified backoff limit",
    );
    assert_eq!(
        o.conditions(),
        vec![("FailureTarget", r, m), ("Failed", r, m)]
    );
    assert_eq!(o.counts(), (0, 0, 1, 0));
}

/// "count pod failure based on OnExitCodes; both rules are matching, the first is executed only"
#[test]
fn count_pod_failure_based_on_on_exit_codes_first_rule_only() {
    let j = pfp_job(
        1,
        Some(1),
        6,
        vec![
            on_exit(Count, None, In, &[1, 2]),
            on_exit(Ignore, None, In, &[2, 3]),
        ],
    );
    let p = pod(&j, 0).phase(PodPhase::Failed).exited("", 2).finalizer();
    let o = run(&j, vec![p]);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (1, 0, 1, 0));
}

/// "count pod failure based on OnPodConditions; both rules are matching, the first is executed only"
#[test]
fn count_pod_failure_based_on_on_pod_conditions_first_rule_only() {
    let j = pfp_job(
        1,
        Some(1),
        6,
        vec![
            on_condition(Count, "ResourceLimitExceeded"),
            on_condition(Ignore, "DisruptionTarget"),
        ],
    );
    let p = pod(&j, 0)
        .phase(PodPhase::Failed)
        .condition("ResourceLimitExceeded")
        .condition("DisruptionTarget")
        .exited("", 0)
        .finalizer();
    let o = run(&j, vec![p]);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (1, 0, 1, 0));
}

/// "ignore pod failure based on OnPodConditions"
#[test]
fn ignore_pod_failure_based_on_on_pod_conditions() {
    let j = pfp_job(
        1,
        Some(1),
        0,
        vec![on_condition(Ignore, "DisruptionTarget")],
    );
    let p = pod(&j, 0)
        .phase(PodPhase::Failed)
        .condition("DisruptionTarget")
        .finalizer();
    let o = run(&j, vec![p]);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (1, 0, 0, 0));
}

/// "ignore pod failure based on OnPodConditions, ignored failures delays pod recreation":
/// the pod finished "now" (its deletionTimestamp), so the replacement waits the first
/// back-off step, 10 s (`DefaultJobPodFailureBackOff`, pkg/controller/job/job_controller.go),
/// and the sync requeues for it.
#[test]
fn ignore_pod_failure_based_on_on_pod_conditions_ignored_failures_delay_recreation() {
    let j = pfp_job(
        1,
        Some(1),
        0,
        vec![on_condition(Ignore, "DisruptionTarget")],
    );
    let p = pod(&j, 0)
        .phase(PodPhase::Failed)
        .condition("DisruptionTarget")
        .deleting(NOW)
        .finalizer();
    let o = run(&j, vec![p]);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (0, 0, 0, 0));
    assert!(o.created.is_empty());
    assert_eq!(o.requeue, Some(10_000));
}

/// "fail job based on OnPodConditions"
#[test]
fn fail_job_based_on_on_pod_conditions() {
    let j = pfp_job(
        1,
        Some(1),
        6,
        vec![on_condition(FailJob, "DisruptionTarget")],
    );
    let p = pod(&j, 0)
        .phase(PodPhase::Failed)
        .condition("DisruptionTarget")
        .finalizer();
    let o = run(&j, vec![p]);
    let msg = "Pod default/mypod-0 has condition DisruptionTarget matching FailJob rule at index 0";
    assert_eq!(o.conditions(), fail_job_conditions(msg));
    assert_eq!(o.counts(), (0, 0, 1, 0));
}

/// "terminating Pod not considered failed when JobPodFailurePolicy is enabled and used".
/// Upstream expects `terminating` 0 because JobPodReplacementPolicy is off in that row (the
/// field stays nil); with every gate on, `syncJob` fills `status.terminating` and the pod is
/// counted there.
#[test]
fn terminating_pod_not_considered_failed_with_pod_failure_policy() {
    let j = pfp_job(1, None, 0, vec![on_condition(Count, "DisruptionTarget")]);
    let p = pod(&j, 0).deleting(NOW).finalizer();
    let o = run(&j, vec![p]);
    assert!(o.conditions().is_empty());
    assert_eq!(o.counts(), (0, 0, 0, 1));
    assert!(o.created.is_empty(), "not replaced until it is Failed");
}
