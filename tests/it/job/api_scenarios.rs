//! The `scenarios/job-api/` files, loaded as a user runs them, with every time derived by hand
//! from the Job controller's rules (pkg/controller/job/job_controller.go) in the ideal profile
//! (no latencies, no 1 s batching); the derivation
//! is in each file's header comment.
use std::path::{Path, PathBuf};

use batchsim::cluster::model::{Job, PodPhase};
use batchsim::controllers::job::interval_string;
use batchsim::output::timeline::simulate;
use batchsim::output::timeline::{JobRecord, PodRecord, Recorder};
use batchsim::scenario::load::{load, CliOverrides};
use batchsim::scenario::Scenario;
use batchsim::simulation::Simulation;

fn scenario(file: &str) -> Scenario {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/job-api")
        .join(file);
    let loaded = load(&[path], &CliOverrides::default()).expect("scenario loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    loaded.scenario
}

fn secs(s: &Scenario, t: batchsim::sim::time::Time) -> f64 {
    t.since(s.start) as f64 / 1000.0
}

fn job_row<'a>(rec: &'a Recorder, name: &str) -> &'a JobRecord {
    rec.job_rows()
        .into_iter()
        .find(|j| j.job == name)
        .expect("job row")
}

fn pods_of<'a>(rec: &'a Recorder, job: &str) -> Vec<&'a PodRecord> {
    rec.pod_rows()
        .into_iter()
        .filter(|p| p.job == job)
        .collect()
}

/// (created, index) of a Job's pods.
fn created(s: &Scenario, rec: &Recorder, job: &str) -> Vec<(f64, Option<i32>)> {
    pods_of(rec, job)
        .iter()
        .map(|p| (secs(s, p.created), p.index))
        .collect()
}

/// The final Job objects, for status fields the timeline does not record.
fn final_job(s: &Scenario, name: &str) -> Job {
    let mut rec = Recorder::new();
    let mut sim = Simulation::new(s.clone(), &mut rec);
    sim.run_until_end();
    let job = sim.store().jobs().find(|j| j.meta.name == name).cloned();
    job.expect("job still stored")
}

fn job_events(rec: &Recorder, job: &str) -> Vec<(String, String)> {
    rec.events
        .iter()
        .filter(|e| e.name == job)
        .map(|e| (e.reason.to_string(), e.message.to_string()))
        .collect()
}

#[test]
fn indexed_per_index() {
    let s = scenario("indexed-per-index.yaml");
    let run = simulate(&s);
    let rec = &run.recorder;
    assert_eq!(
        created(&s, rec, "per-index"),
        vec![
            (0.0, Some(0)),
            (0.0, Some(1)),
            (10.0, Some(2)),
            (10.0, Some(3)),
            (20.0, Some(4)),
            (25.0, Some(3)),
        ]
    );
    for p in pods_of(rec, "per-index") {
        let prefix = format!("per-index-{}-", p.index.unwrap_or(-1));
        assert!(p.pod.starts_with(&prefix) && p.pod.len() == prefix.len() + 5);
    }
    let j = job_row(rec, "per-index");
    assert_eq!(
        (j.condition.as_str(), j.reason.as_str()),
        ("Failed", "FailedIndexes")
    );
    assert_eq!(j.finished.map(|t| secs(&s, t)), Some(30.0));
    assert_eq!((j.succeeded, j.failed), (4, 2));
    let job = final_job(&s, "per-index");
    assert_eq!(interval_string(&job.status.completed_indexes), "0-2,4");
    assert_eq!(
        job.status.failed_indexes.as_deref().map(interval_string),
        Some("3".to_string())
    );
}

#[test]
fn pod_failure_policy() {
    let s = scenario("pod-failure-policy.yaml");
    let run = simulate(&s);
    let rec = &run.recorder;
    // FailJob on 42: one pod, Failed at 5 s with the rule message.
    let pods = pods_of(rec, "fail-on-42");
    assert_eq!(pods.len(), 1);
    let j = job_row(rec, "fail-on-42");
    assert_eq!(
        (j.condition.as_str(), j.reason.as_str()),
        ("Failed", "PodFailurePolicy")
    );
    assert_eq!(j.finished.map(|t| secs(&s, t)), Some(5.0));
    assert_eq!(j.failed, 1);
    let msg = format!(
        "Container worker for pod default/{} failed with exit code 42 matching FailJob rule at index 0",
        pods[0].pod
    );
    assert_eq!(
        job_events(rec, "fail-on-42").last(),
        Some(&("PodFailurePolicy".to_string(), msg))
    );
    // Ignore on 3: uncounted, but backed off 10, 20, 40 s; the deadline ends it at 100 s.
    let times: Vec<f64> = created(&s, rec, "ignore-3").iter().map(|c| c.0).collect();
    assert_eq!(times, vec![0.0, 15.0, 40.0, 85.0]);
    let j = job_row(rec, "ignore-3");
    assert_eq!(
        (j.condition.as_str(), j.reason.as_str()),
        ("Failed", "DeadlineExceeded")
    );
    assert_eq!(j.finished.map(|t| secs(&s, t)), Some(100.0));
    assert_eq!(j.failed, 0);
}

#[test]
fn success_policy() {
    let s = scenario("success-policy.yaml");
    let run = simulate(&s);
    let rec = &run.recorder;
    let pods = pods_of(rec, "leader-wins");
    assert_eq!(pods.len(), 4);
    for p in &pods {
        if p.index == Some(0) {
            assert_eq!(p.final_phase, PodPhase::Succeeded);
            assert_eq!(p.finished.map(|t| secs(&s, t)), Some(5.0));
        } else {
            assert_eq!(p.delete_requested.map(|t| secs(&s, t)), Some(5.0));
            assert_eq!(p.finished.map(|t| secs(&s, t)), Some(35.0));
            assert_eq!(p.exit_code, Some(137));
        }
    }
    let j = job_row(rec, "leader-wins");
    assert_eq!(
        (j.condition.as_str(), j.reason.as_str()),
        ("Complete", "SuccessPolicy")
    );
    assert_eq!(j.finished.map(|t| secs(&s, t)), Some(35.0));
    assert_eq!((j.succeeded, j.failed), (1, 0));
    let job = final_job(&s, "leader-wins");
    let conds: Vec<(&str, &str, &str)> = job
        .status
        .conditions
        .iter()
        .map(|c| (c.kind.as_str(), c.reason.as_str(), c.message.as_str()))
        .collect();
    let m = "Matched rules at index 0";
    assert_eq!(
        conds,
        vec![
            ("SuccessCriteriaMet", "SuccessPolicy", m),
            ("Complete", "SuccessPolicy", m)
        ]
    );
    assert_eq!(
        job.status.conditions[0].last_transition.since(s.start),
        5_000
    );
}

#[test]
fn pod_replacement_policy() {
    let s = scenario("pod-replacement-policy.yaml");
    let run = simulate(&s);
    let rec = &run.recorder;
    for (job, replaced, done) in [("replace-early", 20.0, 80.0), ("replace-late", 50.0, 110.0)] {
        let pods = pods_of(rec, job);
        assert_eq!(pods.len(), 2, "{job}");
        let (old, new) = (pods[0], pods[1]);
        assert_eq!(old.delete_requested.map(|t| secs(&s, t)), Some(10.0));
        assert_eq!(old.finished.map(|t| secs(&s, t)), Some(40.0));
        assert_eq!(old.exit_code, Some(137));
        assert_eq!(secs(&s, new.created), replaced, "{job}");
        let j = job_row(rec, job);
        assert_eq!(j.condition, "Complete");
        assert_eq!(j.finished.map(|t| secs(&s, t)), Some(done), "{job}");
        assert_eq!((j.succeeded, j.failed), (1, 1));
    }
}

#[test]
fn suspend_resume() {
    let s = scenario("suspend-resume.yaml");
    let run = simulate(&s);
    let rec = &run.recorder;
    let times: Vec<f64> = created(&s, rec, "pausable").iter().map(|c| c.0).collect();
    assert_eq!(times, vec![0.0, 0.0, 20.0, 20.0, 70.0, 70.0]);
    for p in pods_of(rec, "pausable") {
        if secs(&s, p.created) == 20.0 {
            assert_eq!(p.delete_requested.map(|t| secs(&s, t)), Some(30.0));
        } else {
            assert_eq!(p.delete_requested, None);
        }
    }
    let j = job_row(rec, "pausable");
    assert_eq!(j.condition, "Complete");
    assert_eq!(j.finished.map(|t| secs(&s, t)), Some(90.0));
    assert_eq!(j.start.map(|t| secs(&s, t)), Some(70.0));
    assert_eq!((j.succeeded, j.failed), (4, 0));
    let ev: Vec<(f64, String, String)> = rec
        .events
        .iter()
        .filter(|e| e.name == "pausable" && matches!(e.reason.as_ref(), "Suspended" | "Resumed"))
        .map(|e| {
            (
                secs(&s, e.time),
                e.reason.to_string(),
                e.message.to_string(),
            )
        })
        .collect();
    assert_eq!(
        ev,
        vec![
            (30.0, "Suspended".into(), "Job suspended".into()),
            (70.0, "Resumed".into(), "Job resumed".into())
        ]
    );
}

#[test]
fn scale_down() {
    let s = scenario("scale-down.yaml");
    let run = simulate(&s);
    let rec = &run.recorder;
    let times: Vec<f64> = created(&s, rec, "shrink").iter().map(|c| c.0).collect();
    assert_eq!(times, vec![0.0, 0.0, 0.0, 30.0, 60.0, 90.0]);
    // Creation order from the SuccessfulCreate events; the two newest are deleted at 10 s.
    let order: Vec<String> = rec
        .events
        .iter()
        .filter(|e| e.reason == "SuccessfulCreate")
        .map(|e| e.message.trim_start_matches("Created pod: ").to_string())
        .collect();
    let deleted: Vec<(f64, String)> = rec
        .events
        .iter()
        .filter(|e| e.reason == "SuccessfulDelete")
        .map(|e| {
            let pod = e.message.trim_start_matches("Deleted pod: ").to_string();
            (secs(&s, e.time), pod)
        })
        .collect();
    assert_eq!(
        deleted,
        vec![(10.0, order[2].clone()), (10.0, order[1].clone())]
    );
    let j = job_row(rec, "shrink");
    assert_eq!(j.condition, "Complete");
    assert_eq!(j.finished.map(|t| secs(&s, t)), Some(120.0));
    assert_eq!((j.succeeded, j.failed), (4, 0));
}
