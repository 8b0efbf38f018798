//! Validation rules of Jobs and CronJobs (pkg/apis/batch/validation/validation.go), one case each, with
//! the exact line kubectl would print (prefixed by our `<file>:<line>:`).

use batchsim::scenario::load::{load_str, CliOverrides};

/// A Job whose `spec:` block gets `extra` (indented two spaces) and whose name is `name`.
fn job(name: &str, extra: &str, restart: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\nspec:\n{extra}  template:\n    spec:\n      containers:\n      - name: c\n        image: busybox\n        command: [sleep, \"1\"]\n      restartPolicy: {restart}\n"
    )
}

fn err(text: &str) -> String {
    match load_str("t.yaml", text, &CliOverrides::default()) {
        Ok(_) => "loaded".into(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn job_rules() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("x", "", "Sometimes", "t.yaml:12: The Job \"x\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"OnFailure\", \"Never\""),
        ("x", "  backoffLimit: -2\n", "Never", "t.yaml:6: The Job \"x\" is invalid: spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0"),
        ("x", "  activeDeadlineSeconds: -1\n", "Never", "t.yaml:6: The Job \"x\" is invalid: spec.activeDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0"),
        ("x", "  activeDeadlineSeconds: 0\n", "Never", "loaded"),
        ("x", "  ttlSecondsAfterFinished: -1\n", "Never", "t.yaml:6: The Job \"x\" is invalid: spec.ttlSecondsAfterFinished: Invalid value: -1: must be greater than or equal to 0"),
        ("x", "  completionMode: Indexed\n", "Never", "t.yaml:5: The Job \"x\" is invalid: spec.completions: Required value: when completion mode is Indexed"),
        ("x", "  completionMode: Sorted\n", "Never", "t.yaml:6: The Job \"x\" is invalid: spec.completionMode: Unsupported value: \"Sorted\": supported values: \"NonIndexed\", \"Indexed\""),
        ("x", "  backoffLimitPerIndex: 1\n", "Never", "t.yaml:6: The Job \"x\" is invalid: spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"),
        ("x", "  completionMode: Indexed\n  completions: 3\n  maxFailedIndexes: 1\n", "Never", "t.yaml:5: The Job \"x\" is invalid: spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified"),
        ("x", "  completionMode: Indexed\n  completions: 3\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 4\n", "Never", "t.yaml:9: The Job \"x\" is invalid: spec.maxFailedIndexes: Invalid value: 4: must be less than or equal to completions"),
        ("x", "  successPolicy:\n    rules: [{succeededCount: 1}]\n", "Never", "t.yaml:6: The Job \"x\" is invalid: spec.successPolicy: Invalid value: {\"rules\":[{\"succeededCount\":1}]}: requires indexed completion mode"),
        ("x", "  completionMode: Indexed\n  completions: 3\n  successPolicy:\n    rules: []\n", "Never", "t.yaml:9: The Job \"x\" is invalid: spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified"),
        ("x", "  completionMode: Indexed\n  completions: 3\n  successPolicy:\n    rules: [{succeededCount: 4}]\n", "Never", "t.yaml:9: The Job \"x\" is invalid: spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of specified completions)"),
        ("x", "  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes: {operator: In, values: [0]}\n", "OnFailure", "t.yaml:9: The Job \"x\" is invalid: [spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator, spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified]"),
        ("x", "  podFailurePolicy:\n    rules:\n    - action: FailIndex\n      onExitCodes: {operator: In, values: [2, 1, 1]}\n", "Never", "t.yaml:8: The Job \"x\" is invalid: [spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set, spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 1: must be ordered, spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 1]"),
        ("x", "  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget}]\n  podReplacementPolicy: TerminatingOrFailed\n", "Never", "t.yaml:10: The Job \"x\" is invalid: spec.podReplacementPolicy: Unsupported value: \"TerminatingOrFailed\": supported values: \"Failed\""),
        ("x", "  selector:\n    matchLabels: {a: b}\n", "Never", "t.yaml:6: The Job \"x\" is invalid: spec.selector: Invalid value: {\"matchLabels\":{\"a\":\"b\"}}: `selector` not auto-generated"),
        ("Bad_Name", "", "Never", "t.yaml:4: The Job \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        ("a.b", "  completionMode: Indexed\n  completions: 2\n", "Never", "t.yaml:4: The Job \"a.b\" is invalid: metadata.name: Invalid value: \"a.b\": will not able to create pod with invalid DNS label: a.b-1"),
    ];
    let mut mismatches = 0;
    for (name, extra, restart, expected) in cases {
        let got = err(&job(name, extra, restart));
        if got != *expected {
            eprintln!("case {extra:?}\n  got:      {got}\n  expected: {expected}");
            mismatches += 1;
        }
    }
    assert_eq!(mismatches, 0);
}

#[test]
fn job_object_level_errors() {
    let no_containers = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n";
    assert_eq!(
        err(no_containers),
        "t.yaml:7: The Job \"x\" is invalid: spec.template.spec.containers: Required value"
    );
    let no_kind = "apiVersion: batch/v1\nmetadata:\n  name: x\n";
    assert_eq!(
        err(no_kind),
        "t.yaml:1: error validating data: kind not set"
    );
    let wrong_type = job("x", "  parallelism: two\n", "Never");
    assert_eq!(
        err(&wrong_type),
        "t.yaml:6: Job in version \"v1\" cannot be handled as a Job: spec.parallelism: invalid type: string \"two\", expected i32"
    );
    let unknown_nested = job("x", "", "Never").replace(
        "        image: busybox\n",
        "        image: busybox\n        comand: [x]\n",
    );
    assert_eq!(
        err(&unknown_nested),
        "t.yaml:11: Job in version \"v1\" cannot be handled as a Job: strict decoding error: unknown field \"spec.template.spec.containers[0].comand\""
    );
    let no_command = job("x", "", "Never").replace("        command: [sleep, \"1\"]\n", "");
    assert_eq!(
        err(&no_command),
        "t.yaml:9: cannot infer how long container \"c\" of Job \"x\" runs: it has no command or args (the image's entrypoint runs); add a workload override in a batchsim/v1 Scenario document (see README)"
    );
}

fn cron(extra: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"* * * * *\"\n{extra}  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{{name: c, image: busybox, command: [\"true\"]}}]\n          restartPolicy: Never\n"
    )
}

#[test]
fn cronjob_rules() {
    let cases: &[(&str, &str)] = &[
        ("  startingDeadlineSeconds: -1\n", "t.yaml:7: The CronJob \"c\" is invalid: spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0"),
        ("  startingDeadlineSeconds: 0\n", "loaded"),
        ("  successfulJobsHistoryLimit: -1\n", "t.yaml:7: The CronJob \"c\" is invalid: spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0"),
        ("  failedJobsHistoryLimit: -3\n", "t.yaml:7: The CronJob \"c\" is invalid: spec.failedJobsHistoryLimit: Invalid value: -3: must be greater than or equal to 0"),
        ("  timeZone: \"\"\n", "t.yaml:7: The CronJob \"c\" is invalid: spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string"),
        ("  timeZone: Local\n", "t.yaml:7: The CronJob \"c\" is invalid: spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"),
        ("  timeZone: Asia/Seoul\n", "loaded"),
        ("  concurrencyPolicy: \"\"\n", "t.yaml:7: The CronJob \"c\" is invalid: spec.concurrencyPolicy: Required value"),
    ];
    for (extra, expected) in cases {
        assert_eq!(err(&cron(extra)), *expected, "case {extra:?}");
    }
    let selector = cron("").replace("    spec:\n      template:", "    spec:\n      selector: {matchLabels: {a: b}}\n      manualSelector: true\n      template:");
    assert_eq!(
        err(&selector),
        "t.yaml:9: The CronJob \"c\" is invalid: [spec.jobTemplate.spec.selector: Invalid value: {\"matchLabels\":{\"a\":\"b\"}}: `selector` will be auto-generated, spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: \"nil\", \"false\"]"
    );
    let empty_schedule = cron("").replace("\"* * * * *\"", "\"\"");
    assert_eq!(
        err(&empty_schedule),
        "t.yaml:6: The CronJob \"c\" is invalid: spec.schedule: Required value"
    );
}
