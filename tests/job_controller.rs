//! Job controller, kubelet and TTL behaviour with exact times (spec: job-controller.md).
mod common;
use batchsim::model::*;
use batchsim::scenario::{Manifest, Profile};
use common::*;

#[test]
fn lecture_parallel_job_ideal() {
    let mut j = job("parallel-job", container("worker", 10.0, 0, false), RestartPolicy::Never);
    j.spec.completions = Some(5);
    j.spec.parallelism = 2;
    j.spec.backoff_limit = 4;
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, None));
    let created: Vec<f64> = rec.pod_rows().iter().map(|p| rel(p.created)).collect();
    assert_eq!(created, vec![0.0, 0.0, 10.0, 10.0, 20.0]);
    let jobs = rec.job_rows();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].condition, "Complete");
    assert_eq!(rel(jobs[0].finished.unwrap()), 30.0);
    assert_eq!(jobs[0].succeeded, 5);
    println!("{}", String::from_utf8_lossy(&rec.pods_csv(START)));
    println!("{}", String::from_utf8_lossy(&rec.events_csv(START)));
}
