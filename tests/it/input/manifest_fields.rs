//! API-server rules for fields that used to be dropped or accepted silently: `spec.managedBy`
//! (`validateJobSpec` in `pkg/apis/batch/validation/validation.go`), Job names as the `job-name`
//! label, `generateName` (`staging/src/k8s.io/apiserver/pkg/storage/names/generate.go`) and
//! negative resource quantities (`ValidateNonnegativeQuantity` in
//! `pkg/apis/core/validation/validation.go`). Each expected line is kubectl's, prefixed by our
//! `<file>:<line>:`.

use batchsim::scenario::load::{load_str, CliOverrides};
use batchsim::scenario::Manifest;
use batchsim::sim::rng::NAME_ALPHABET;

/// A Job named `name` whose `spec:` gets `extra` (indented two spaces) on line 6.
fn job(name: &str, extra: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\nspec:\n{extra}  template:\n    spec:\n      containers:\n      - name: c\n        image: busybox\n        command: [sleep, \"1\"]\n      restartPolicy: Never\n"
    )
}

fn err(text: &str) -> String {
    match load_str("t.yaml", text, &CliOverrides::default()) {
        Ok(_) => "loaded".into(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn managed_by_is_a_domain_prefixed_path_of_at_most_63_bytes() {
    // `IsDomainPrefixedPath` (apimachinery `pkg/api/validation/generic.go`) and
    // `field.TooLong(…, 63)` (apimachinery `pkg/util/validation/field/errors.go`).
    let long = format!("example.com/{}", "x".repeat(52)); // 64 bytes
    let cases: Vec<(String, String)> = vec![
        ("example.com/x".into(), "loaded".into()),
        ("kubernetes.io/job-controller".into(), "loaded".into()),
        (format!("example.com/{}", "x".repeat(51)), "loaded".into()), // 63 bytes
        ("\"\"".into(), "t.yaml:6: The Job \"x\" is invalid: spec.managedBy: Required value".into()),
        ("foo".into(), "t.yaml:6: The Job \"x\" is invalid: spec.managedBy: Invalid value: \"foo\": must be a domain-prefixed path (such as \"acme.io/foo\")".into()),
        ("example.com/".into(), "t.yaml:6: The Job \"x\" is invalid: spec.managedBy: Invalid value: \"example.com/\": must be a domain-prefixed path (such as \"acme.io/foo\")".into()),
        ("Example.com/x".into(), "t.yaml:6: The Job \"x\" is invalid: spec.managedBy: Invalid value: \"Example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".into()),
        ("\"example.com/a b\"".into(), "t.yaml:6: The Job \"x\" is invalid: spec.managedBy: Invalid value: \"a b\": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')".into()),
        (long.clone(), "t.yaml:6: The Job \"x\" is invalid: spec.managedBy: Too long: may not be more than 63 bytes".into()),
    ];
    for (value, expected) in &cases {
        let got = err(&job("x", &format!("  managedBy: {value}\n")));
        assert_eq!(&got, expected, "managedBy: {value}");
    }
    // A CronJob's job template is checked by the same `validateJobSpec`.
    let cron = format!(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      managedBy: {long}\n      template:\n        spec:\n          containers: [{{name: c, image: busybox, command: [\"true\"]}}]\n          restartPolicy: Never\n"
    );
    assert_eq!(
        err(&cron),
        "t.yaml:9: The CronJob \"c\" is invalid: spec.jobTemplate.spec.managedBy: Too long: may not be more than 63 bytes"
    );
}

#[test]
fn a_job_name_must_fit_the_job_name_label() {
    // The API server labels a standalone Job's template `job-name: <name>` (and
    // `batch.kubernetes.io/job-name`) when it generates the selector, and validates them as label
    // values: at most 63 characters (`generateSelector` in `pkg/registry/batch/job/strategy.go`,
    // `IsValidLabelValue` in apimachinery). Both labels give the same line, printed once.
    let n63 = "a".repeat(63);
    let n64 = "a".repeat(64);
    assert_eq!(err(&job(&n63, "")), "loaded");
    assert_eq!(
        err(&job(&n64, "")),
        format!("t.yaml:6: The Job \"{n64}\" is invalid: spec.template.labels: Invalid value: \"{n64}\": must be no more than 63 characters")
    );
    // With a manual selector the API server adds no `job-name` label: only the 253-character
    // subdomain rule of the name applies.
    let manual = job(
        &n64,
        "  manualSelector: true\n  selector:\n    matchLabels: {app: x}\n",
    )
    .replace(
        "    spec:\n      containers:",
        "    metadata:\n      labels: {app: x}\n    spec:\n      containers:",
    );
    assert_eq!(err(&manual), "loaded");
    // A CronJob's name: at most 52 characters (`validateCronJob`), so that its Jobs' names
    // (name + "-" + up to 10 digits) fit the label.
    let cron = |name: &str| {
        format!(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: {name}\nspec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{{name: c, image: busybox, command: [\"true\"]}}]\n          restartPolicy: Never\n"
        )
    };
    let c52 = "c".repeat(52);
    let c53 = "c".repeat(53);
    assert_eq!(err(&cron(&c52)), "loaded");
    assert_eq!(
        err(&cron(&c53)),
        format!("t.yaml:4: The CronJob \"{c53}\" is invalid: metadata.name: Invalid value: \"{c53}\": must be no more than 52 characters")
    );
}

/// The names of the loaded Jobs, in manifest order.
fn job_names(text: &str, seed: u64) -> Vec<String> {
    let cli = CliOverrides {
        seed: Some(seed),
        ..CliOverrides::default()
    };
    let loaded = load_str("t.yaml", text, &cli).expect("loads");
    loaded
        .scenario
        .objects
        .iter()
        .filter_map(|m| match m {
            Manifest::Job(j) => Some(j.meta.name.to_string()),
            Manifest::CronJob(_) => None,
        })
        .collect()
}

#[test]
fn generate_name_alone_names_the_job() {
    // `BeforeCreate` gives a Job with only `generateName` the prefix plus five characters of
    // apimachinery's `util/rand` alphabet (`SimpleNameGenerator.GenerateName`).
    let text = job("x", "").replace("  name: x\n", "  generateName: pi-\n");
    let names = job_names(&text, 7);
    assert_eq!(names.len(), 1);
    let name = &names[0];
    assert_eq!(name.len(), 8, "{name}");
    assert!(name.starts_with("pi-"), "{name}");
    assert!(
        name[3..].bytes().all(|c| NAME_ALPHABET.contains(&c)),
        "{name}"
    );
    // Same seed, same name.
    assert_eq!(job_names(&text, 7), names);
    // Two Jobs with one prefix get two names.
    let two = format!("{text}---\n{text}");
    let both = job_names(&two, 7);
    assert_eq!(both[0], *name);
    assert_ne!(both[0], both[1]);
    assert!(both[1].starts_with("pi-") && both[1].len() == 8, "{both:?}");
    // A name given with the prefix wins (the prefix is still validated).
    let named = job("x", "").replace("  name: x\n", "  name: x\n  generateName: pi-\n");
    assert_eq!(job_names(&named, 7), vec!["x".to_string()]);
    // The prefix is cut to 58 bytes (`maxGeneratedNameLength`), so the name is 63.
    let long = job("x", "").replace(
        "  name: x\n",
        &format!("  generateName: {}\n", "p".repeat(70)),
    );
    let long_name = &job_names(&long, 7)[0];
    assert_eq!(long_name.len(), 63);
    assert!(long_name.starts_with(&"p".repeat(58)));
}

#[test]
fn generate_name_is_validated_as_a_name_prefix() {
    // `ValidateObjectMeta`: generateName through `maskTrailingDash` + `IsDNS1123Subdomain`, before
    // the (generated) name itself; the status names the object by its generated name.
    let text = job("x", "").replace("  name: x\n", "  generateName: Pi-\n");
    let got = err(&text);
    let subdomain = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    let prefix = "t.yaml:4: The Job \"Pi-";
    assert!(got.starts_with(prefix), "{got}");
    let generated = &got[prefix.len() - 3..prefix.len() + 5];
    assert_eq!(
        got,
        format!("t.yaml:4: The Job \"{generated}\" is invalid: [metadata.generateName: Invalid value: \"Pi-\": {subdomain}, metadata.name: Invalid value: \"{generated}\": {subdomain}]")
    );
}

#[test]
fn negative_resource_quantities_are_refused() {
    // `ValidateResourceRequirements` → `ValidateNonnegativeQuantity`: field
    // `…resources.<limits|requests>[<name>]`, limits before requests.
    let with = |resources: &str| {
        job("x", "").replace(
            "        command: [sleep, \"1\"]\n",
            &format!("        command: [sleep, \"1\"]\n        resources:\n{resources}"),
        )
    };
    assert_eq!(
        err(&with("          requests: {cpu: \"-1\"}\n")),
        "t.yaml:13: The Job \"x\" is invalid: spec.template.spec.containers[0].resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0"
    );
    assert_eq!(
        err(&with("          requests:\n            memory: 64Mi\n          limits:\n            memory: \"-500m\"\n")),
        "t.yaml:16: The Job \"x\" is invalid: spec.template.spec.containers[0].resources.limits[memory]: Invalid value: \"-500m\": must be greater than or equal to 0"
    );
    assert_eq!(
        err(&with("          requests: {cpu: \"-1\"}\n          limits: {cpu: \"-2\"}\n")),
        "t.yaml:14: The Job \"x\" is invalid: [spec.template.spec.containers[0].resources.limits[cpu]: Invalid value: \"-2\": must be greater than or equal to 0, spec.template.spec.containers[0].resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0]"
    );
    assert_eq!(
        err(&with("          requests: {cpu: \"0\", memory: \"-0\"}\n")),
        "loaded"
    );
    // An init container's quantities are validated too.
    let init = job("x", "").replace(
        "      containers:\n",
        "      initContainers:\n      - name: i\n        image: busybox\n        command: [\"true\"]\n        resources: {requests: {cpu: \"-1\"}}\n      containers:\n",
    );
    assert_eq!(
        err(&init),
        "t.yaml:12: The Job \"x\" is invalid: spec.template.spec.initContainers[0].resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0"
    );
}
