//! Indexed Jobs, backoffLimitPerIndex, podFailurePolicy and successPolicy with exact times
//! (upstream: pkg/controller/job/indexed_job_utils.go, pod_failure_policy.go,
//! success_policy.go). Ideal profile throughout.
use crate::util::*;
use batchsim::cluster::model::*;
use batchsim::controllers::job::interval_string;
use batchsim::scenario::{Manifest, Profile};

fn indexed(name: &str, completions: i32, parallelism: i32, c: ContainerSpec) -> Job {
    let mut j = job(name, c, RestartPolicy::Never);
    j.spec.completion_mode = CompletionMode::Indexed;
    j.spec.completions = Some(completions);
    j.spec.parallelism = parallelism;
    j
}

#[test]
fn interval_strings_match_kubernetes() {
    assert_eq!(interval_string(&[1, 3, 4, 5, 7]), "1,3-5,7");
    assert_eq!(interval_string(&[2, 4, 5, 7, 8, 9]), "2,4,5,7-9");
    assert_eq!(interval_string(&[]), "");
    assert_eq!(interval_string(&[0]), "0");
}

/// Indexed naming: `<job>-<index>-<5 chars>`, lowest indexes first, index label/annotation.
#[test]
fn indexed_pods_named_by_index_lowest_first() {
    let j = indexed("sample-job", 3, 2, container("c", 10.0, 0, false));
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, None));
    let rows = rec.pod_rows();
    let idx: Vec<(f64, Option<i32>)> = rows.iter().map(|p| (rel(p.created), p.index)).collect();
    assert_eq!(idx, vec![(0.0, Some(0)), (0.0, Some(1)), (10.0, Some(2))]);
    for p in &rows {
        let prefix = format!("sample-job-{}-", p.index.unwrap());
        assert!(p.pod.starts_with(&prefix), "{}", p.pod);
        assert_eq!(p.pod.len(), prefix.len() + 5);
    }
    let jr = &rec.job_rows()[0];
    assert_eq!((jr.condition.as_str(), jr.succeeded), ("Complete", 3));
    assert_eq!(rel(jr.finished.unwrap()), 20.0);
}

/// Completions 5, parallelism 2, index 3 always exits 1 (after 5 s, others
/// run 10 s), backoffLimitPerIndex 1. Derivation: 0 → idx 0,1; 10 → idx 2,3; 15 idx 3 fails
/// (count 0 < 1, not yet failed): one slot is free and `firstPendingIndexes(1)` is index 3,
/// still in its 10 s back-off, so nothing is created (upstream does not fall through to
/// index 4); 20 idx 2 done → two slots: [3, 4], only 4 is created; 25 idx 3 retried (count 1);
/// 30 idx 4 done and idx 3 fails again → index 3 failed, the 4 others complete →
/// FailedIndexes at 30 s.
#[test]
fn backoff_limit_per_index_fails_index_3() {
    let mut c = container("c", 10.0, 0, false);
    c.index_behaviors.insert(3, behavior(5.0, 1, false));
    let mut j = indexed("per-index", 5, 2, c);
    j.spec.backoff_limit_per_index = Some(1);
    j.spec.backoff_limit = i32::MAX;
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, None));
    let idx: Vec<(f64, i32)> = rec
        .pod_rows()
        .iter()
        .map(|p| (rel(p.created), p.index.unwrap()))
        .collect();
    assert_eq!(
        idx,
        vec![
            (0.0, 0),
            (0.0, 1),
            (10.0, 2),
            (10.0, 3),
            (20.0, 4),
            (25.0, 3)
        ]
    );
    let jr = &rec.job_rows()[0];
    assert_eq!(
        (jr.condition.as_str(), jr.reason.as_str()),
        ("Failed", "FailedIndexes")
    );
    assert_eq!(rel(jr.finished.unwrap()), 30.0);
    assert_eq!((jr.succeeded, jr.failed), (4, 2));
    let last = rec.events.last().unwrap();
    assert_eq!(
        (last.reason.as_ref(), last.message.as_str()),
        ("FailedIndexes", "Job has failed indexes")
    );
}

/// The final status strings of that Job: failedIndexes "3", completedIndexes "0-2,4".
#[test]
fn per_index_status_strings() {
    use batchsim::output::timeline::Recorder;
    use batchsim::simulation::Simulation;
    let mut c = container("c", 10.0, 0, false);
    c.index_behaviors.insert(3, behavior(5.0, 1, false));
    let mut j = indexed("per-index", 5, 2, c);
    j.spec.backoff_limit_per_index = Some(1);
    j.spec.backoff_limit = i32::MAX;
    let mut rec = Recorder::new();
    let s = scenario(vec![Manifest::Job(j)], Profile::Ideal, Some(100));
    let mut sim = Simulation::new(s, &mut rec);
    sim.run_until_end();
    let job = sim.store().jobs().next().unwrap().clone();
    assert_eq!(interval_string(&job.status.completed_indexes), "0-2,4");
    assert_eq!(
        interval_string(job.status.failed_indexes.as_deref().unwrap()),
        "3"
    );
    let types: Vec<&str> = job
        .status
        .conditions
        .iter()
        .map(|c| c.kind.as_str())
        .collect();
    assert_eq!(types, vec!["FailureTarget", "Failed"]);
}

fn rule(action: PodFailureAction, op: ExitCodeOperator, values: Vec<i32>) -> PodFailureRule {
    PodFailureRule {
        action,
        on_exit_codes: Some(OnExitCodes {
            container_name: None,
            operator: op,
            values,
        }),
        on_pod_conditions: vec![],
    }
}

/// podFailurePolicy FailJob on exit code 42: the Job fails at the first such failure with
/// reason PodFailurePolicy and the rule message, regardless of backoffLimit.
#[test]
fn pod_failure_policy_fail_job() {
    let mut j = job(
        "pfp",
        container("main", 5.0, 42, false),
        RestartPolicy::Never,
    );
    j.spec.pod_failure_policy = Some(vec![
        rule(PodFailureAction::Ignore, ExitCodeOperator::In, vec![1]),
        rule(PodFailureAction::FailJob, ExitCodeOperator::In, vec![42]),
    ]);
    j.spec.pod_replacement_policy = PodReplacementPolicy::Failed;
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, None));
    let pod = rec.pod_rows()[0].pod.clone();
    let jr = &rec.job_rows()[0];
    assert_eq!(
        (jr.condition.as_str(), jr.reason.as_str()),
        ("Failed", "PodFailurePolicy")
    );
    assert_eq!(rel(jr.finished.unwrap()), 5.0);
    assert_eq!(jr.failed, 1);
    assert_eq!(
        rec.events.last().unwrap().message,
        format!(
            "Container main for pod default/{pod} failed with exit code 42 matching FailJob rule at index 1"
        )
    );
}

/// An Ignored failure is not counted, but still delays re-creation (10 s, 20 s, 40 s …).
#[test]
fn pod_failure_policy_ignore_still_backs_off() {
    let mut j = job(
        "ign",
        container("main", 5.0, 1, false),
        RestartPolicy::Never,
    );
    j.spec.backoff_limit = 0;
    j.spec.pod_failure_policy = Some(vec![rule(
        PodFailureAction::Ignore,
        ExitCodeOperator::In,
        vec![1],
    )]);
    j.spec.pod_replacement_policy = PodReplacementPolicy::Failed;
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, Some(90)));
    // 0 → fails 5, +10 → 15 → fails 20, +20 → 40 → fails 45, +40 → 85.
    let created: Vec<f64> = rec.pod_rows().iter().map(|p| rel(p.created)).collect();
    assert_eq!(created, vec![0.0, 15.0, 40.0, 85.0]);
    let jr = &rec.job_rows()[0];
    assert_eq!((jr.condition.as_str(), jr.failed), ("", 0));
}

/// successPolicy succeededIndexes "0": when index 0 succeeds (5 s) the Job gets
/// SuccessCriteriaMet, the other pods (sleep 100, ignoring SIGTERM) are deleted uncounted and
/// Complete follows when they are gone, 30 s later.
#[test]
fn success_policy_terminates_the_rest() {
    let mut c = container("c", 100.0, 0, false);
    c.index_behaviors.insert(0, behavior(5.0, 0, false));
    let mut j = indexed("sp", 4, 4, c);
    j.spec.success_policy = Some(vec![SuccessRule {
        succeeded_indexes: Some(vec![(0, 0)]),
        succeeded_count: None,
    }]);
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, None));
    let jr = &rec.job_rows()[0];
    assert_eq!(
        (jr.condition.as_str(), jr.reason.as_str()),
        ("Complete", "SuccessPolicy")
    );
    assert_eq!(rel(jr.finished.unwrap()), 35.0);
    assert_eq!((jr.succeeded, jr.failed), (1, 0));
    let deleted: Vec<f64> = rec
        .pod_rows()
        .iter()
        .filter_map(|p| p.delete_requested.map(rel))
        .collect();
    assert_eq!(deleted, vec![5.0, 5.0, 5.0]);
}
