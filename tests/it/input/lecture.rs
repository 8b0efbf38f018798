//! The lecture manifests load, exactly as a student would `kubectl apply` them, into the expected model.

use std::path::{Path, PathBuf};

use batchsim::cluster::model::Propagation;
use batchsim::cluster::model::{
    CompletionMode, ConcurrencyPolicy, PodReplacementPolicy, RestartPolicy, RunTime,
};
use batchsim::scenario::load::{load, load_str, CliOverrides};
use batchsim::scenario::{Horizon, Manifest, Profile, UserAction};
use batchsim::sim::time::Time;

fn lecture(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/lecture")
        .join(file)
}

#[test]
fn parallel_job() {
    let loaded = load(&[lecture("parallel-job.yaml")], &CliOverrides::default()).unwrap();
    let s = &loaded.scenario;
    assert!(loaded.warnings.is_empty());
    assert_eq!(s.name, "parallel-job");
    assert_eq!(s.start, Time(1_637_841_600_000));
    assert_eq!(s.horizon, Horizon::Auto);
    assert_eq!(s.seed, 0);
    assert_eq!(s.profile, Profile::Realistic);
    assert_eq!(s.controller_time_zone, "UTC");
    let [Manifest::Job(job)] = s.objects.as_slice() else {
        panic!("one Job expected")
    };
    assert_eq!(job.meta.name, "parallel-job");
    assert_eq!(job.meta.namespace, "default");
    assert_eq!(job.spec.completions, Some(5));
    assert_eq!(job.spec.parallelism, 2);
    assert_eq!(job.spec.backoff_limit, 4);
    assert_eq!(job.spec.completion_mode, CompletionMode::NonIndexed);
    assert_eq!(
        job.spec.pod_replacement_policy,
        PodReplacementPolicy::TerminatingOrFailed
    );
    assert!(!job.spec.suspend);
    let t = &job.spec.template;
    assert_eq!(t.restart_policy, RestartPolicy::Never);
    assert_eq!(t.termination_grace_seconds, 30);
    let c = &t.containers[0];
    assert_eq!((c.name.as_str(), c.image.as_str()), ("worker", "busybox"));
    assert_eq!(c.behavior.run, RunTime::Fixed(10_000));
    assert_eq!(c.behavior.exit_code, 0);
    assert!(!c.behavior.handles_sigterm);
}

#[test]
fn cronjobs() {
    for (file, name, policy, run) in [
        ("cronjob-allow.yaml", "hello-1", ConcurrencyPolicy::Allow, 0),
        (
            "cronjob-replace.yaml",
            "hello-2",
            ConcurrencyPolicy::Replace,
            100_000,
        ),
        (
            "cronjob-forbid.yaml",
            "hello-2",
            ConcurrencyPolicy::Forbid,
            100_000,
        ),
    ] {
        let loaded = load(&[lecture(file)], &CliOverrides::default()).unwrap();
        let [Manifest::CronJob(cj)] = loaded.scenario.objects.as_slice() else {
            panic!("one CronJob expected")
        };
        assert_eq!(cj.meta.name, name);
        assert_eq!(cj.spec.schedule, "*/1 * * * *");
        assert_eq!(cj.spec.time_zone, None);
        assert_eq!(cj.spec.starting_deadline_seconds, None);
        assert_eq!(cj.spec.concurrency_policy, policy);
        assert_eq!(cj.spec.successful_jobs_history_limit, 3);
        assert_eq!(cj.spec.failed_jobs_history_limit, 1);
        let js = &cj.spec.job_template.spec;
        assert_eq!(
            (js.parallelism, js.completions, js.backoff_limit),
            (1, Some(1), 6)
        );
        assert_eq!(js.template.restart_policy, RestartPolicy::OnFailure);
        let b = &js.template.containers[0].behavior;
        assert_eq!(
            (b.run.clone(), b.exit_code, b.handles_sigterm),
            (RunTime::Fixed(run), 0, false)
        );
    }
}

#[test]
fn scenario_document_and_overrides() {
    let text = r#"
apiVersion: v1
kind: ConfigMap
metadata:
  name: unrelated
---
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
---
apiVersion: batchsim/v1
kind: Scenario
metadata:
  name: pi-demo
spec:
  start: "2022-01-01T00:00:00Z"
  until: 1h30m
  seed: 7
  profile: ideal
  controllerTimeZone: Asia/Seoul
  latencies:
    imagePull: 2s
  workloads:
  - job: pi
    duration: 12s
    exitCode: 1
  actions:
  - at: 90s
    delete: job/pi
    cascade: foreground
  - at: 30s
    patch: job/pi
    parallelism: 3
"#;
    let loaded = load_str("pi.yaml", text, &CliOverrides::default()).unwrap();
    assert_eq!(
        loaded.warnings,
        vec!["pi.yaml:2: skipped ConfigMap \"unrelated\": batchsim simulates only batch/v1 Jobs and CronJobs".to_string()]
    );
    let s = &loaded.scenario;
    assert_eq!(s.name, "pi-demo");
    assert_eq!(s.start, Time(1_640_995_200_000));
    assert_eq!(s.horizon, Horizon::At(5_400_000));
    assert_eq!((s.seed, s.profile), (7, Profile::Ideal));
    assert_eq!(s.latencies.image_pull, 2_000);
    assert_eq!(s.latencies.pod_scheduling, 0);
    assert_eq!(s.controller_time_zone, "Asia/Seoul");
    let [Manifest::Job(job)] = s.objects.as_slice() else {
        panic!()
    };
    let b = &job.spec.template.containers[0].behavior;
    assert_eq!(
        (b.run.clone(), b.exit_code, b.source.as_str()),
        (RunTime::Fixed(12_000), 1, "override")
    );
    assert_eq!(s.actions.len(), 2);
    assert_eq!(s.actions[0].at, 30_000);
    assert!(matches!(
        s.actions[0].action,
        UserAction::PatchParallelism { parallelism: 3, .. }
    ));
    assert_eq!(
        s.actions[1].action,
        UserAction::DeleteJob {
            namespace: "default".into(),
            name: "pi".into(),
            propagation: Propagation::Foreground
        }
    );

    // Command-line values win over the document.
    let cli = CliOverrides {
        until: Some("10m".into()),
        seed: Some(9),
        start: Some("2021-11-25T12:00:00Z".into()),
        profile: Some("realistic".into()),
    };
    let s = load_str("pi.yaml", text, &cli).unwrap().scenario;
    assert_eq!(
        (s.horizon, s.seed, s.profile),
        (Horizon::At(600_000), 9, Profile::Realistic)
    );
    assert_eq!(s.start, Time(1_637_841_600_000));
    assert_eq!(s.latencies.image_pull, 2_000);
}

#[test]
fn defaults_of_a_work_queue_and_indexed_job() {
    let text = r#"
apiVersion: batch/v1
kind: Job
metadata: {name: q, namespace: team-a}
spec:
  parallelism: 3
  completionMode: NonIndexed
  podFailurePolicy:
    rules:
    - action: Ignore
      onPodConditions: [{type: DisruptionTarget}]
  template:
    spec:
      containers: [{name: c, image: busybox, command: [sh, -c, "trap 'exit 0' TERM; sleep 5"]}]
      restartPolicy: Never
      terminationGracePeriodSeconds: 5
---
apiVersion: batch/v1
kind: Job
metadata: {name: ix}
spec:
  completions: 4
  completionMode: Indexed
  backoffLimitPerIndex: 1
  template:
    spec:
      containers: [{name: c, image: busybox, command: [sleep, "1"]}]
      restartPolicy: Never
"#;
    let s = load_str("q.yaml", text, &CliOverrides::default())
        .unwrap()
        .scenario;
    let [Manifest::Job(q), Manifest::Job(ix)] = s.objects.as_slice() else {
        panic!()
    };
    assert_eq!(
        (q.spec.parallelism, q.spec.completions, q.spec.backoff_limit),
        (3, None, 6)
    );
    assert_eq!(q.meta.namespace, "team-a");
    assert_eq!(q.spec.pod_replacement_policy, PodReplacementPolicy::Failed);
    let rules = q.spec.pod_failure_policy.as_ref().unwrap();
    assert!(rules[0].on_pod_conditions[0].status);
    assert_eq!(q.spec.template.termination_grace_seconds, 5);
    assert!(q.spec.template.containers[0].behavior.handles_sigterm);
    assert_eq!(
        (
            ix.spec.parallelism,
            ix.spec.completions,
            ix.spec.backoff_limit
        ),
        (1, Some(4), i32::MAX)
    );
    assert_eq!(ix.spec.completion_mode, CompletionMode::Indexed);
}

#[test]
fn scenario_document_errors() {
    let job = std::fs::read_to_string(lecture("parallel-job.yaml")).unwrap();
    let with = |doc: &str| {
        let text = format!("{job}---\napiVersion: batchsim/v1\nkind: Scenario\n{doc}");
        match load_str("s.yaml", &text, &CliOverrides::default()) {
            Ok(_) => "loaded".to_string(),
            Err(e) => e.to_string(),
        }
    };
    // The Job takes 16 lines plus the separator, so the Scenario's `spec:` is line 20.
    assert_eq!(
        with("spec:\n  workloads:\n  - job: nope\n    duration: 5s\n"),
        "s.yaml:22: workload override spec.workloads[0]: no Job \"nope\" in the manifests"
    );
    assert_eq!(
        with("spec:\n  actions:\n  - at: 10s\n    delete: job/parallel-job\n    cascade: sideways\n"),
        "s.yaml:24: spec.actions[0].cascade: invalid cascade value (sideways). Must be \"background\", \"foreground\", or \"orphan\"."
    );
    assert_eq!(
        with("spec:\n  until: soon\n"),
        "s.yaml:21: spec.until: invalid duration \"soon\": expected a number with a unit (ms, s, m, h, d), e.g. 90s or 1h30m"
    );
    assert_eq!(
        with("spec:\n  controllerTimeZone: Mars/Base\n"),
        "s.yaml:21: spec.controllerTimeZone: unknown time zone Mars/Base"
    );
    assert_eq!(
        with("spec:\n  latencies:\n    imagePul: 1s\n"),
        "s.yaml:22: Scenario in version \"batchsim/v1\" cannot be handled as a Scenario: strict decoding error: unknown field \"spec.latencies.imagePul\""
    );
    assert_eq!(with("spec:\n  seed: 3\n"), "loaded");
    let twice = format!("{job}---\napiVersion: batchsim/v1\nkind: Scenario\n---\napiVersion: batchsim/v1\nkind: Scenario\n");
    assert_eq!(
        load_str("s.yaml", &twice, &CliOverrides::default())
            .unwrap_err()
            .to_string(),
        "s.yaml:21: only one batchsim/v1 Scenario document is allowed; the first is at s.yaml:18"
    );
}

#[test]
fn scenario_in_a_second_file_and_default_name() {
    let scenario = std::env::temp_dir().join(format!("batchsim-input-{}.yaml", std::process::id()));
    std::fs::write(
        &scenario,
        "apiVersion: batchsim/v1\nkind: Scenario\nspec:\n  until: 5m\n",
    )
    .unwrap();
    let loaded = load(
        &[lecture("cronjob-replace.yaml"), scenario.clone()],
        &CliOverrides::default(),
    );
    std::fs::remove_file(&scenario).unwrap();
    let s = loaded.unwrap().scenario;
    assert_eq!(s.name, "cronjob-replace");
    assert_eq!(s.horizon, Horizon::At(300_000));
}
