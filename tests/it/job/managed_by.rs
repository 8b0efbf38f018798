//! `spec.managedBy`: the built-in Job controller leaves a Job another controller manages alone.
//! Upstream `syncJob` (`pkg/controller/job/job_controller.go`) returns before reading pods or
//! writing anything when `managedByExternalController(job)` names a controller other than
//! `kubernetes.io/job-controller`: no pods, no status, no events. The CronJob controller still
//! creates (and, under `Replace`, deletes) such Jobs: they simply never finish.

use batchsim::cluster::model::{Event, Job, JobStatus, Kind, Pod};
use batchsim::cluster::store::Op;
use batchsim::cluster::watch::Observer;
use batchsim::scenario::load::{load_str, CliOverrides};
use batchsim::scenario::Scenario;
use batchsim::simulation::Simulation;

/// Everything the watch stream reports, kept as the test needs it.
#[derive(Default)]
struct Log {
    /// (Job name, op, status) of every Job notification.
    jobs: Vec<(String, Op, JobStatus)>,
    /// Names of the pods that were ever added.
    pods: Vec<String>,
    /// (kind, object name, reason) of every Event.
    events: Vec<(Kind, String, String)>,
}

impl Observer for Log {
    fn pod(&mut self, _now: batchsim::sim::time::Time, pod: &Pod, op: Op) {
        if op == Op::Added {
            self.pods.push(pod.meta.name.to_string());
        }
    }
    fn job(&mut self, _now: batchsim::sim::time::Time, job: &Job, op: Op) {
        self.jobs
            .push((job.meta.name.to_string(), op, job.status.clone()));
    }
    fn event(&mut self, event: &Event) {
        self.events
            .push((event.kind, event.name.to_string(), event.reason.to_string()));
    }
}

/// The ideal profile for ten minutes from the default start (2021-11-25T12:00:00Z).
fn scenario(manifest: &str) -> Scenario {
    let cli = CliOverrides {
        profile: Some("ideal".into()),
        until: Some("10m".into()),
        ..CliOverrides::default()
    };
    load_str("t.yaml", manifest, &cli).expect("loads").scenario
}

fn run(manifest: &str) -> Log {
    let mut log = Log::default();
    Simulation::new(scenario(manifest), &mut log).run();
    log
}

fn job(managed_by: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n{managed_by}  template:\n    spec:\n      containers:\n      - name: c\n        image: busybox\n        command: [sleep, \"5\"]\n      restartPolicy: Never\n"
    )
}

#[test]
fn a_job_managed_elsewhere_gets_no_pods_no_status_no_events() {
    let log = run(&job("  managedBy: example.com/x\n"));
    assert!(log.pods.is_empty(), "{:?}", log.pods);
    assert!(log.events.is_empty(), "{:?}", log.events);
    // The one notification is the Job's creation, with an empty status, and nothing follows.
    assert_eq!(log.jobs.len(), 1);
    assert_eq!(log.jobs[0].0, "pi");
    assert_eq!(log.jobs[0].1, Op::Added);
    assert_eq!(log.jobs[0].2, JobStatus::default());
}

#[test]
fn the_built_in_controller_name_runs_the_job_as_usual() {
    // `kubernetes.io/job-controller` is `batchv1.JobControllerName`: not external.
    let named = run(&job("  managedBy: kubernetes.io/job-controller\n"));
    let unset = run(&job(""));
    assert_eq!(named.pods, unset.pods);
    assert_eq!(named.events, unset.events);
    assert_eq!(named.jobs, unset.jobs);
    // The usual run: one pod, the Job controller's SuccessfulCreate then Completed, succeeded 1.
    assert_eq!(named.pods.len(), 1);
    let reasons: Vec<&str> = named
        .events
        .iter()
        .filter(|e| e.0 == Kind::Job)
        .map(|e| e.2.as_str())
        .collect();
    assert_eq!(reasons, ["SuccessfulCreate", "Completed"]);
    let last = &named.jobs.last().expect("job notifications").2;
    assert_eq!(last.succeeded, 1);
    assert!(last.finished().is_some());
}

fn cronjob(policy: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: hello\nspec:\n  schedule: \"* * * * *\"\n  concurrencyPolicy: {policy}\n  jobTemplate:\n    spec:\n      managedBy: example.com/x\n      template:\n        spec:\n          containers: [{{name: c, image: busybox, command: [sleep, \"5\"]}}]\n          restartPolicy: Never\n"
    )
}

/// The Jobs created during the run, in order.
fn created(log: &Log) -> Vec<&str> {
    log.jobs
        .iter()
        .filter(|j| j.1 == Op::Added)
        .map(|j| j.0.as_str())
        .collect()
}

#[test]
fn a_cronjob_whose_jobs_are_managed_elsewhere() {
    // Slots every minute from 12:01 to 12:09 inside the 10-minute window: 9 slots. The Jobs
    // stay active (no controller runs them), so `Forbid` creates only the first one, while
    // `Replace` deletes the active Job and creates a new one at every slot
    // (`cronjob_controllerv2.go` `syncCronJob`). No Job-controller event either way.
    let forbid = run(&cronjob("Forbid"));
    assert_eq!(created(&forbid), ["hello-27297361"]);
    let replace = run(&cronjob("Replace"));
    let names: Vec<String> = (27_297_361..=27_297_369)
        .map(|m| format!("hello-{m}"))
        .collect();
    assert_eq!(created(&replace), names);
    for log in [&forbid, &replace] {
        assert!(log.pods.is_empty());
        assert!(
            log.events.iter().all(|e| e.0 == Kind::CronJob),
            "{:?}",
            log.events
        );
        assert!(log.jobs.iter().all(|j| j.2 == JobStatus::default()));
    }
    let deleted = replace.jobs.iter().filter(|j| j.1 == Op::Deleted).count();
    assert_eq!(deleted, 8);
}
