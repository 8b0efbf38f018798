//! Issue 17 inputs: `kind: List` and the typed lists unpacked as `kubectl apply -f` does
//! (cli-runtime `pkg/resource/visitor.go` `FlattenListVisitor`), the server-set fields of
//! `kubectl get -o yaml` ignored with one note, and `-` as standard input (named `STDIN` as
//! cli-runtime's `constSTDINstr`).

use std::io::Write;
use std::process::{Command, Stdio};

use batchsim::scenario::load::{load_str, CliOverrides};
use batchsim::scenario::Manifest;

/// One CronJob item as `kubectl get cronjobs -A -o yaml` prints it (server-set fields included).
fn cronjob_item(name: &str, namespace: &str, schedule: &str) -> String {
    format!(
        r#"- apiVersion: batch/v1
  kind: CronJob
  metadata:
    creationTimestamp: "2021-11-25T11:58:03Z"
    generation: 1
    managedFields:
    - apiVersion: batch/v1
      manager: kubectl-client-side-apply
      operation: Update
    name: {name}
    namespace: {namespace}
    resourceVersion: "1234"
    uid: 6a0c1d4e-5f0a-4a52-9d6b-0f3c7a1e2b11
  spec:
    jobTemplate:
      metadata:
        creationTimestamp: null
      spec:
        template:
          metadata:
            creationTimestamp: null
          spec:
            containers:
            - command: ["sleep", "10"]
              image: busybox
              name: c
            restartPolicy: OnFailure
    schedule: '{schedule}'
  status:
    lastScheduleTime: "2021-11-25T12:00:00Z"
"#
    )
}

/// A `kind: List` of three CronJobs, one per namespace (each item is 30 lines, from line 3).
fn three_namespaces(second_schedule: &str) -> String {
    format!(
        "apiVersion: v1\nitems:\n{}{}{}kind: List\nmetadata:\n  resourceVersion: \"\"\n",
        cronjob_item("hello", "team-a", "*/1 * * * *"),
        cronjob_item("hello", "team-b", second_schedule),
        cronjob_item("report", "kube-system", "*/5 * * * *"),
    )
}

#[test]
fn a_list_of_cronjobs_in_three_namespaces_keeps_each_namespace() {
    let loaded = load_str(
        "all.yaml",
        &three_namespaces("*/2 * * * *"),
        &CliOverrides::default(),
    )
    .unwrap();
    let placed: Vec<(&str, &str)> = loaded
        .scenario
        .objects
        .iter()
        .map(|m| match m {
            Manifest::CronJob(c) => (c.meta.namespace.as_str(), c.meta.name.as_str()),
            Manifest::Job(j) => (j.meta.namespace.as_str(), j.meta.name.as_str()),
        })
        .collect();
    // Two CronJobs named hello in different namespaces are two objects, as in the API.
    assert_eq!(
        placed,
        [
            ("team-a", "hello"),
            ("team-b", "hello"),
            ("kube-system", "report")
        ]
    );
    assert!(loaded.warnings.is_empty());
    // One note for the three objects; it points at the first item (line 3).
    assert_eq!(
        loaded.notes,
        ["note: ignored the fields the API server sets (metadata.uid, resourceVersion, creationTimestamp, generation, managedFields, selfLink, status; a Job's controller-uid labels and selector), first at all.yaml:3"]
    );
}

#[test]
fn an_error_in_a_list_item_points_into_that_item() {
    // The second item starts at line 3 + 30 = 33; its `schedule:` is its 28th line (line 60).
    let err = load_str(
        "all.yaml",
        &three_namespaces("*/1 * *"),
        &CliOverrides::default(),
    )
    .unwrap_err();
    // Wording: tests/bad-inputs/expected.txt bad-schedule.yaml (the API server's).
    assert_eq!(
        err.to_string(),
        "all.yaml:60: The CronJob \"hello\" is invalid: spec.schedule: Invalid value: \"*/1 * *\": expected exactly 5 fields, found 3: [*/1 * *]"
    );
}

/// A Job as `kubectl get job -o yaml` prints it: `generateSelector`'s labels and selector
/// (pkg/registry/batch/job/strategy.go) would make the API server refuse it as is.
const JOB_ITEM: &str = r#"- metadata:
    labels:
      batch.kubernetes.io/controller-uid: 0b1e9a7c-2f4d-4c55-8a53-9f2d6c1b7e40
      controller-uid: 0b1e9a7c-2f4d-4c55-8a53-9f2d6c1b7e40
      job-name: pi
    name: pi
    namespace: batch
    uid: 0b1e9a7c-2f4d-4c55-8a53-9f2d6c1b7e40
  spec:
    selector:
      matchLabels:
        batch.kubernetes.io/controller-uid: 0b1e9a7c-2f4d-4c55-8a53-9f2d6c1b7e40
    template:
      metadata:
        labels:
          batch.kubernetes.io/controller-uid: 0b1e9a7c-2f4d-4c55-8a53-9f2d6c1b7e40
          controller-uid: 0b1e9a7c-2f4d-4c55-8a53-9f2d6c1b7e40
          job-name: pi
      spec:
        containers:
        - command: ["sleep", "10"]
          image: busybox
          name: pi
        restartPolicy: Never
  status:
    active: 1
"#;

#[test]
fn a_job_list_item_without_kind_takes_the_lists() {
    let text = format!("apiVersion: batch/v1\nkind: JobList\nitems:\n{JOB_ITEM}");
    let loaded = load_str("jobs.yaml", &text, &CliOverrides::default()).unwrap();
    let [Manifest::Job(job)] = loaded.scenario.objects.as_slice() else {
        panic!("one Job expected")
    };
    assert_eq!(
        (job.meta.namespace.as_str(), job.meta.name.as_str()),
        ("batch", "pi")
    );
    assert_eq!(loaded.notes.len(), 1);
}

#[test]
fn a_list_whose_items_are_not_a_list_is_refused_at_items() {
    let err = load_str(
        "l.yaml",
        "apiVersion: v1\nkind: List\nitems: 3\n",
        &CliOverrides::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "l.yaml:3: List in version \"v1\" cannot be handled as a List: items: expected a list"
    );
}

/// Runs the binary with `stdin` piped in; returns (exit code, stdout, stderr).
fn with_stdin(args: &[&str], stdin: &str) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_batchsim"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(stdin.as_bytes())
        .expect("stdin written");
    let o = child.wait_with_output().expect("the binary ends");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn dash_reads_standard_input_named_stdin() {
    let text = format!("apiVersion: batch/v1\nkind: JobList\nitems:\n{JOB_ITEM}");
    let (code, out, err) = with_stdin(&["run", "-", "--summary-only", "--profile", "ideal"], &text);
    assert_eq!(code, Some(0), "{err}");
    // The scenario of standard input is named `stdin` (README, Commands); sleep 10 in the
    // ideal profile ends at 10 s.
    assert!(out.starts_with("stdin: simulated 10.000 s"), "{out}");
    assert_eq!(
        err,
        "note: ignored the fields the API server sets (metadata.uid, resourceVersion, creationTimestamp, generation, managedFields, selfLink, status; a Job's controller-uid labels and selector), first at STDIN:4\n"
    );
}

#[test]
fn an_error_on_standard_input_names_stdin() {
    let (code, out, err) = with_stdin(
        &["run", "-", "--summary-only"],
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: x\nspec:\n  schedule: */5 * * * *\n",
    );
    assert_eq!(code, Some(2));
    assert_eq!(out, "");
    assert_eq!(
        err,
        "error: STDIN:6: error converting YAML to JSON: yaml: line 6, column 13: while parsing node, found unknown anchor; hint: YAML reads a value that starts with '*' as an alias; quote the schedule: schedule: \"*/5 * * * *\"\n"
    );
}
