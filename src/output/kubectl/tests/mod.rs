//! Printer rows ported from `printers_test.go` (TestPrintPod, TestPrintPodConditions,
//! TestPrintJob, TestPrintJobList, TestPrintCronJob), table rendering, and lecture sequences.
//!
//! Upstream rows use `time.Now()` and an unset creationTimestamp (`<unknown>`); our model always
//! has a creation time, so those rows create the object at `now` and expect AGE `0s`. Upstream's
//! free-form phase `"podPhase"` becomes `Pending`, whose name is then the expected STATUS.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::*;
use crate::cluster::model::*;
use crate::sim::time::{Millis, DAY, MINUTE, SECOND};

/// 2021-11-25T12:00:00Z.
const NOW: Time = Time(1_637_841_600_000);

mod pods;

fn at(offset: Millis) -> Time {
    NOW.plus(offset)
}

fn container(name: &str) -> ContainerSpec {
    ContainerSpec {
        name: name.to_string(),
        image: "busybox".to_string(),
        command: vec!["sh".to_string(), "-c".to_string()],
        args: vec!["echo hello; sleep 100".to_string()],
        requests: Requests::default(),
        behavior: Behavior {
            run: RunTime::Fixed(100 * SECOND),
            exit_code: 0,
            handles_sigterm: false,
            source: "sleep 100".to_string(),
        },
        index_behaviors: BTreeMap::new(),
    }
}

fn template(containers: usize, restart_policy: RestartPolicy) -> Arc<PodTemplate> {
    Arc::new(PodTemplate {
        labels: BTreeMap::new(),
        annotations: BTreeMap::new(),
        containers: (0..containers)
            .map(|i| container(&format!("c{i}")))
            .collect(),
        restart_policy,
        termination_grace_seconds: 30,
    })
}

fn meta(name: &str, uid: u64, creation: Time) -> Meta {
    Meta {
        name: name.into(),
        namespace: "default".into(),
        uid: Uid(uid),
        creation,
        created_at: creation,
        ..Meta::default()
    }
}

fn pod(name: &str, containers: usize, phase: PodPhase, statuses: Vec<ContainerStatus>) -> Pod {
    Pod {
        meta: meta(name, 1, NOW),
        template: template(containers, RestartPolicy::Never),
        index: None,
        hostname: None,
        status: PodStatus {
            phase,
            reason: None,
            scheduled_at: None,
            ready: false,
            ready_transition: None,
            containers: statuses,
            extra_conditions: Vec::new(),
        },
    }
}

/// A container status; `state: None` stands for Go's all-nil `ContainerState`.
fn cs(state: Option<ContainerState>, ready: bool, restarts: i32) -> ContainerStatus {
    ContainerStatus {
        name: "c".into(),
        state: state.unwrap_or(ContainerState::Waiting {
            reason: Default::default(),
        }),
        last_terminated: None,
        restart_count: restarts,
        ready,
    }
}

fn running() -> Option<ContainerState> {
    Some(ContainerState::Running { started_at: NOW })
}

fn waiting(reason: &str) -> Option<ContainerState> {
    Some(ContainerState::Waiting {
        reason: reason.into(),
    })
}

fn terminated(reason: &str, exit_code: i32) -> Terminated {
    Terminated {
        exit_code,
        reason: reason.into(),
        started_at: NOW,
        finished_at: NOW,
    }
}

fn finished_at(t: Time) -> Option<Terminated> {
    Some(Terminated {
        finished_at: t,
        ..terminated("Error", 1)
    })
}

fn restarted(mut c: ContainerStatus, last_finished: Time) -> ContainerStatus {
    c.last_terminated = finished_at(last_finished);
    c
}

fn cells(p: &Pod) -> Vec<String> {
    pod_row(p, NOW).cells()
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn job_spec(completions: Option<i32>, parallelism: i32) -> JobSpec {
    JobSpec {
        parallelism,
        completions,
        backoff_limit: 6,
        active_deadline_seconds: None,
        ttl_seconds_after_finished: None,
        completion_mode: CompletionMode::NonIndexed,
        suspend: false,
        backoff_limit_per_index: None,
        max_failed_indexes: None,
        pod_failure_policy: None,
        success_policy: None,
        pod_replacement_policy: PodReplacementPolicy::TerminatingOrFailed,
        managed_by: None,
        template: template(1, RestartPolicy::Never),
    }
}

fn job(name: &str, created: Time, completions: Option<i32>, succeeded: i32) -> Job {
    Job {
        meta: meta(name, 1, created),
        spec: job_spec(completions, 1),
        status: JobStatus {
            succeeded,
            ..JobStatus::default()
        },
        origin: None,
    }
}

fn cond(kind: JobConditionType, status: bool) -> JobCondition {
    JobCondition {
        kind,
        status,
        reason: Default::default(),
        message: Default::default(),
        last_transition: NOW,
    }
}

fn job_cells(j: &Job) -> Vec<String> {
    job_row(j, NOW).cells()
}

/// 1.9e9 ns in the future: a creation timestamp slightly ahead of the clock.
const SKEW: Millis = 1_900;
/// `time.Now().AddDate(-10, 0, 0)`: ten calendar years, with their leap days.
const TEN_YEARS: Millis = 3652 * DAY;

#[test]
fn print_job_rows() {
    let j = job("job1", at(SKEW), Some(2), 1);
    assert_eq!(job_cells(&j), strs(&["job1", "Running", "1/2", "", "0s"]));

    let j = job("job2", at(-TEN_YEARS), None, 0);
    assert_eq!(job_cells(&j), strs(&["job2", "Running", "0/1", "", "10y"]));

    let mut j = job("job3", at(-10 * 365 * DAY), None, 0);
    j.status.start_time = Some(at(MINUTE));
    j.status.completion_time = Some(at(31 * MINUTE));
    assert_eq!(
        job_cells(&j),
        strs(&["job3", "Running", "0/1", "30m", "10y"])
    );

    let mut j = job("job4", at(-10 * 365 * DAY), None, 0);
    j.status.start_time = Some(at(-20 * MINUTE));
    assert_eq!(
        job_cells(&j),
        strs(&["job4", "Running", "0/1", "20m", "10y"])
    );

    let cases = [
        ("job5", JobConditionType::Complete, "Complete"),
        ("job6", JobConditionType::Failed, "Failed"),
        ("job7", JobConditionType::Suspended, "Suspended"),
        ("job8", JobConditionType::FailureTarget, "FailureTarget"),
    ];
    for (name, kind, status) in cases {
        let mut j = job(name, at(SKEW), None, 0);
        j.status.conditions.push(cond(kind, true));
        assert_eq!(job_cells(&j), strs(&[name, status, "0/1", "", "0s"]));
    }

    let mut j = job("job9", at(SKEW), None, 0);
    j.meta.deletion = Some(at(SKEW));
    assert_eq!(
        job_cells(&j),
        strs(&["job9", "Terminating", "0/1", "", "0s"])
    );
}

#[test]
fn print_job_list_rows() {
    let j1 = job("job1", at(SKEW), Some(2), 1);
    let mut j2 = job("job2", at(SKEW), Some(2), 2);
    j2.status.start_time = Some(at(-20 * MINUTE));
    assert_eq!(job_cells(&j1), strs(&["job1", "Running", "1/2", "", "0s"]));
    assert_eq!(
        job_cells(&j2),
        strs(&["job2", "Running", "2/2", "20m", "0s"])
    );
}

/// printJob branches beyond the upstream rows.
#[test]
fn print_job_code_branches() {
    // Work-queue mode with parallelism > 1.
    let mut j = job("wq", NOW, None, 1);
    j.spec.parallelism = 3;
    assert_eq!(job_row(&j, NOW).completions, "1/1 of 3");

    // Complete and Failed win over a deletionTimestamp.
    let mut j = job("done", NOW, Some(1), 1);
    j.meta.deletion = Some(NOW);
    j.status
        .conditions
        .push(cond(JobConditionType::Complete, true));
    assert_eq!(job_row(&j, NOW).status, "Complete");

    // Terminating wins over Suspended.
    let mut j = job("t", NOW, Some(1), 0);
    j.meta.deletion = Some(NOW);
    j.status
        .conditions
        .push(cond(JobConditionType::Suspended, true));
    assert_eq!(job_row(&j, NOW).status, "Terminating");

    // A resumed Job (Suspended=False) is Running.
    let mut j = job("r", NOW, Some(1), 0);
    j.status
        .conditions
        .push(cond(JobConditionType::Suspended, false));
    assert_eq!(job_row(&j, NOW).status, "Running");

    // hasJobCondition looks only at the first condition of a type.
    let mut j = job("dup", NOW, Some(1), 0);
    j.status
        .conditions
        .push(cond(JobConditionType::Complete, false));
    j.status
        .conditions
        .push(cond(JobConditionType::Complete, true));
    assert_eq!(job_row(&j, NOW).status, "Running");

    // PR #132832: SuccessCriteriaMet is shown.
    let mut j = job("scm", NOW, Some(2), 2);
    j.status
        .conditions
        .push(cond(JobConditionType::SuccessCriteriaMet, true));
    assert_eq!(job_row(&j, NOW).status, "SuccessCriteriaMet");

    // A Failed Job has no completionTime, so its DURATION keeps growing.
    let mut j = job("f", NOW, Some(1), 0);
    j.status.start_time = Some(at(-190 * SECOND));
    j.status
        .conditions
        .push(cond(JobConditionType::Failed, true));
    assert_eq!(job_row(&j, NOW).duration, "3m10s");
}

fn cronjob(name: &str, created: Time, last: Option<Time>) -> CronJob {
    CronJob {
        meta: meta(name, 1, created),
        spec: CronJobSpec {
            schedule: "0/5 * * * ?".to_string(),
            time_zone: None,
            starting_deadline_seconds: None,
            concurrency_policy: ConcurrencyPolicy::Allow,
            suspend: false,
            successful_jobs_history_limit: 3,
            failed_jobs_history_limit: 1,
            job_template: JobTemplate {
                labels: BTreeMap::new(),
                annotations: BTreeMap::new(),
                spec: job_spec(None, 1),
            },
        },
        status: CronJobStatus {
            active: Vec::new(),
            last_schedule_time: last,
            last_successful_time: None,
        },
    }
}

#[test]
fn print_cronjob_rows() {
    let c = cronjob("cronjob1", at(SKEW), Some(at(SKEW)));
    assert_eq!(
        cronjob_row(&c, NOW).cells(),
        strs(&[
            "cronjob1",
            "0/5 * * * ?",
            "<none>",
            "False",
            "0",
            "0s",
            "0s"
        ])
    );
    // -3e11 ns and -3e10 ns.
    let c = cronjob("cronjob2", at(-300 * SECOND), Some(at(-30 * SECOND)));
    assert_eq!(
        cronjob_row(&c, NOW).cells(),
        strs(&[
            "cronjob2",
            "0/5 * * * ?",
            "<none>",
            "False",
            "0",
            "30s",
            "5m"
        ])
    );
    let c = cronjob("cronjob3", at(-300 * SECOND), None);
    assert_eq!(
        cronjob_row(&c, NOW).cells(),
        strs(&[
            "cronjob3",
            "0/5 * * * ?",
            "<none>",
            "False",
            "0",
            "<none>",
            "5m"
        ])
    );

    let mut c = cronjob("hello", at(-300 * SECOND), Some(at(-60 * SECOND)));
    c.spec.time_zone = Some("Europe/Berlin".to_string());
    c.spec.suspend = true;
    for n in 0..2 {
        c.status.active.push(ObjectRef {
            kind: Kind::Job,
            namespace: "default".into(),
            name: format!("hello-{n}").into(),
            uid: Uid(10 + n),
        });
    }
    assert_eq!(
        cronjob_row(&c, NOW).cells(),
        strs(&[
            "hello",
            "0/5 * * * ?",
            "Europe/Berlin",
            "True",
            "2",
            "60s",
            "5m"
        ])
    );
}

#[test]
fn table_pads_to_kubectl_widths() {
    // minwidth 6 applies to short columns; the last column is never padded.
    assert_eq!(
        render_table(&["A", "B"], &[strs(&["x", "y"])]),
        "A     B\nx     y\n"
    );
    // kubectl prints nothing (not even the header) for an empty list.
    assert_eq!(render_table(&POD_HEADERS, &[]), "");
    // A cell with a newline is cut there and marked with "...".
    assert_eq!(
        render_table(&["MESSAGE", "N"], &[strs(&["one\ntwo", "1"])]),
        "MESSAGE   N\none...    1\n"
    );
}

#[test]
fn render_pods_aligns_names_of_different_lengths() {
    let mut hello = pod(
        "hello-2-x7k2p",
        1,
        PodPhase::Running,
        vec![cs(running(), true, 0)],
    );
    hello.meta.creation = at(-45 * SECOND);
    let mut pi = pod(
        "pi-abc",
        1,
        PodPhase::Succeeded,
        vec![cs(
            Some(ContainerState::Terminated(terminated("Completed", 0))),
            false,
            0,
        )],
    );
    pi.meta.creation = at(-130 * SECOND);
    let mut a = pod(
        "a",
        1,
        PodPhase::Pending,
        vec![cs(waiting("ContainerCreating"), false, 0)],
    );
    a.meta.creation = at(-SECOND);

    let expected = concat!(
        "NAME            READY   STATUS              RESTARTS   AGE\n",
        "a               0/1     ContainerCreating   0          1s\n",
        "hello-2-x7k2p   1/1     Running             0          45s\n",
        "pi-abc          0/1     Completed           0          2m10s\n",
    );
    assert_eq!(render_pods(&[&pi, &hello, &a], NOW), expected);
    assert_eq!(render_pods(&[], NOW), "");
    assert_eq!(
        NO_RESOURCES_DEFAULT,
        "No resources found in default namespace."
    );
    assert_eq!(
        no_resources_message("batch"),
        "No resources found in batch namespace."
    );
}

#[test]
fn render_jobs_pads_an_empty_duration() {
    let j1 = job("job1", at(SKEW), Some(2), 1);
    let mut j2 = job("job2", at(SKEW), Some(2), 2);
    j2.status.start_time = Some(at(-20 * MINUTE));
    let expected = concat!(
        "NAME   STATUS    COMPLETIONS   DURATION   AGE\n",
        "job1   Running   1/2                      0s\n",
        "job2   Running   2/2           20m        0s\n",
    );
    assert_eq!(render_jobs(&[&j2, &j1], NOW), expected);
}

#[test]
fn render_cronjobs_table() {
    let c = cronjob("hello", at(-300 * SECOND), Some(at(-30 * SECOND)));
    let expected = concat!(
        "NAME    SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n",
        "hello   0/5 * * * ?   <none>     False     0        30s             5m\n",
    );
    assert_eq!(render_cronjobs(&[&c], NOW), expected);
}

/// Lecture: `kubectl get pods -w` while a hello-2 pod (`sh -c 'echo hello; sleep 100'`) is
/// created, starts, is deleted (sh as PID 1 ignores SIGTERM) and disappears.
#[test]
fn watch_hello_pod_lifecycle() {
    let mut w = PodWatch::new();
    // `kubectl get pods -w` on an empty namespace prints nothing before the first event.
    assert!(w.list(&[], NOW).is_empty());

    let mut p = pod("hello-2-abcde", 1, PodPhase::Pending, vec![]);
    assert_eq!(
        w.observe(NOW, &p),
        strs(&[
            "NAME            READY   STATUS    RESTARTS   AGE",
            "hello-2-abcde   0/1     Pending   0          0s",
        ])
    );

    p.status.scheduled_at = Some(at(500));
    p.status.containers = vec![cs(waiting("ContainerCreating"), false, 0)];
    assert_eq!(
        w.observe(at(500), &p),
        strs(&["hello-2-abcde   0/1     ContainerCreating   0          0s"])
    );

    p.status.phase = PodPhase::Running;
    p.status.ready = true;
    p.status.containers = vec![cs(running(), true, 0)];
    assert_eq!(
        w.observe(at(2_300), &p),
        strs(&["hello-2-abcde   1/1     Running             0          2s"])
    );
    // Same printed row (only AGE differs): no line.
    assert!(w.observe(at(2_300), &p).is_empty());
    assert!(w.observe(at(30_000), &p).is_empty());

    p.meta.deletion = Some(at(90_000));
    assert_eq!(
        w.observe(at(60_000), &p),
        strs(&["hello-2-abcde   1/1     Terminating         0          60s"])
    );
    p.status.ready = false;
    p.status.containers = vec![cs(running(), false, 0)];
    assert_eq!(
        w.observe(at(60_500), &p),
        strs(&["hello-2-abcde   0/1     Terminating         0          60s"])
    );
    // The DELETED event repeats the final row.
    assert_eq!(
        w.deleted(at(90_000), &p),
        strs(&["hello-2-abcde   0/1     Terminating         0          90s"])
    );
}

/// Lecture: a completed Job pod and an OnFailure crash loop, side by side in one watch.
#[test]
fn watch_completed_and_crash_looping_pods() {
    let mut done = pod(
        "pi-x7k2p",
        1,
        PodPhase::Succeeded,
        vec![cs(
            Some(ContainerState::Terminated(terminated("Completed", 0))),
            false,
            0,
        )],
    );
    done.meta.creation = at(-40 * SECOND);

    let mut crash = pod("fail-qz9mw", 1, PodPhase::Running, vec![]);
    crash.meta.uid = Uid(2);
    crash.template = template(1, RestartPolicy::OnFailure);
    crash.meta.creation = at(-35 * SECOND);
    crash.status.containers = vec![restarted(
        cs(waiting("CrashLoopBackOff"), false, 2),
        at(-10 * SECOND),
    )];

    let mut w = PodWatch::new();
    assert_eq!(
        w.list(&[&done, &crash], NOW),
        strs(&[
            "NAME         READY   STATUS             RESTARTS      AGE",
            "fail-qz9mw   0/1     CrashLoopBackOff   2 (10s ago)   35s",
            "pi-x7k2p     0/1     Completed          0             40s",
        ])
    );
    // The kubelet restarts the container: Running, restart count unchanged.
    crash.status.containers[0].state = ContainerState::Running {
        started_at: at(5_000),
    };
    crash.status.containers[0].ready = true;
    crash.status.ready = true;
    assert_eq!(
        w.observe(at(5_000), &crash),
        strs(&["fail-qz9mw   1/1     Running            2 (15s ago)   40s"])
    );
}

#[test]
fn watch_prefix_is_fixed_width() {
    assert_eq!(watch_prefix(NOW, at(12_345)), "[  +12.345s 12:00:12]");
    assert_eq!(watch_prefix(NOW, NOW), "[   +0.000s 12:00:00]");
    assert_eq!(watch_prefix(NOW, at(3_600_000)), "[+3600.000s 13:00:00]");
}
