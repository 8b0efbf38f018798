//! Random workloads drawn from per-object streams, sweep metrics checked by hand,
//! thread-count independence, shard merging, and distribution errors with field and line.

use std::path::PathBuf;

use batchsim::scenario::load::{load_str, CliOverrides};
use batchsim::scenario::Scenario;
use batchsim::studies::sweep::{self, Row, Shard, SweepOptions, METRICS};

fn load(text: &str) -> Scenario {
    load_str("t.yaml", text, &CliOverrides::default())
        .expect("scenario loads")
        .scenario
}

fn cronjob(name: &str, schedule: &str, policy: &str) -> String {
    format!(
        r#"apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}
spec:
  schedule: "{schedule}"
  concurrencyPolicy: {policy}
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: work
            image: busybox
            command: ["/bin/work"]
          restartPolicy: Never
---
"#
    )
}

fn opts(runs: u64, jobs: usize, vary: Option<&str>) -> SweepOptions {
    SweepOptions {
        runs,
        seed: 7,
        jobs,
        shard: None,
        vary: vary.map(str::to_string),
        metric: "slots_skipped".into(),
        progress: false,
    }
}

/// The pod rows of CronJob `cj`: (name, created, running, finished, exit code).
fn pods_of(s: &Scenario, cj: &str) -> Vec<String> {
    let run = batchsim::output::timeline::simulate(s);
    run.recorder
        .pod_rows()
        .iter()
        .filter(|p| p.cronjob.as_deref() == Some(cj))
        .map(|p| {
            format!(
                "{} {} {:?} {:?} {:?} {:?}",
                p.job, p.pod, p.created, p.running, p.finished, p.exit_code
            )
        })
        .collect()
}

const A_DOC: &str = r#"apiVersion: batchsim/v1
kind: Scenario
spec:
  until: 2h
  seed: 3
  latencies:
    imagePull: {lognormal: {median: 1s, p95: 4s}}
  workloads:
  - cronjob: a
    duration: {lognormal: {median: 3m, p95: 7m}}
    failure: {probability: 0.2, exitCode: 3}
"#;

#[test]
fn a_second_cronjob_does_not_change_the_first_ones_draws() {
    let one = load(&format!("{}{A_DOC}", cronjob("a", "*/5 * * * *", "Allow")));
    let two = load(&format!(
        "{}{}{A_DOC}  - cronjob: b\n    duration: {{exponential: {{mean: 2m}}}}\n",
        cronjob("a", "*/5 * * * *", "Allow"),
        cronjob("b", "*/3 * * * *", "Allow")
    ));
    let a1 = pods_of(&one, "a");
    let a2 = pods_of(&two, "a");
    // 23 Jobs (slots 12:05 … 13:55); failed pods are retried (backoffLimit 6), so more pods.
    let jobs: std::collections::BTreeSet<&str> =
        a1.iter().filter_map(|r| r.split(' ').next()).collect();
    assert_eq!(jobs.len(), 23);
    assert!(a1.len() > 23);
    assert_eq!(a1, a2);
    assert!(!pods_of(&two, "b").is_empty());
    // The draws are really random: another seed changes a's rows, and some runs failed.
    let mut other = one.clone();
    other.seed = 4;
    assert_ne!(pods_of(&other, "a"), a1);
    assert!(a1.iter().any(|r| r.ends_with("Some(3)")));
}

/// Metrics of one run per variant of a fixed-duration scenario, as `sweep.csv` writes them.
fn metric_rows(text: &str, vary: &str) -> Vec<Row> {
    let s = load(text);
    sweep::sweep(&s, &opts(1, 1, Some(vary))).unwrap().1
}

#[test]
fn metrics_match_a_hand_checked_scenario() {
    // Every minute, 130 s runs, ideal profile (no latencies), 10 minutes: slots 12:01 … 12:09.
    let text = format!(
        "{}apiVersion: batchsim/v1\nkind: Scenario\nspec:\n  until: 10m\n  profile: ideal\n  workloads:\n  - cronjob: m\n    duration: 130s\n",
        cronjob("m", "* * * * *", "Forbid")
    );
    let rows = metric_rows(&text, "spec.concurrencyPolicy=Forbid,Replace");
    fn by_name(r: &Row) -> Vec<(&str, &str)> {
        METRICS
            .iter()
            .copied()
            .zip(r.values.iter().map(String::as_str))
            .collect()
    }
    // Forbid: jobs at 12:01:00, 12:03:10 (slot 12:03), 12:05:20 (12:05), 12:07:30 (12:07) and
    // 12:09:40 (12:09); every other slot 12:02 … 12:09 is skipped once (8). Four jobs finish,
    // the fifth runs past 12:10. One pod at a time (a pod ending at 12:03:10 and the next
    // created then do not overlap). Pod-seconds 4 × 130 + 20 = 540. Delays 0, 10, 20, 30, 40 s:
    // mean 20, p95 (nearest rank, 5th of 5) 40. The history limit (3) deletes the first,
    // finished, Job at 12:09:40: not a replacement.
    assert_eq!(rows[0].variant, "Forbid");
    assert_eq!(
        by_name(&rows[0]),
        vec![
            ("jobs_started", "5"),
            ("jobs_succeeded", "4"),
            ("jobs_failed", "0"),
            ("slots_skipped", "8"),
            ("jobs_replaced", "0"),
            ("pods_created", "5"),
            ("pods_failed", "0"),
            ("max_concurrent_pods", "1"),
            ("pod_seconds", "540.000"),
            ("mean_start_delay_s", "20.000"),
            ("p95_start_delay_s", "40.000"),
        ]
    );
    // Replace: a Job every minute 12:01 … 12:09 (9); each of the first 8 is deleted at the
    // next slot while running; its pod (no SIGTERM handler) is killed 30 s later, so two pods
    // overlap and 8 pods fail. Pod-seconds 8 × 90 + 60 (the 12:09 pod until 12:10) = 780.
    assert_eq!(rows[1].variant, "Replace");
    assert_eq!(
        by_name(&rows[1]),
        vec![
            ("jobs_started", "9"),
            ("jobs_succeeded", "0"),
            ("jobs_failed", "0"),
            ("slots_skipped", "0"),
            ("jobs_replaced", "8"),
            ("pods_created", "9"),
            ("pods_failed", "8"),
            ("max_concurrent_pods", "2"),
            ("pod_seconds", "780.000"),
            ("mean_start_delay_s", "0.000"),
            ("p95_start_delay_s", "0.000"),
        ]
    );
}

fn report_scenario() -> Scenario {
    let text = std::fs::read_to_string("scenarios/sweep/report-every-5m.yaml").unwrap();
    let mut s = load_str("report-every-5m.yaml", &text, &CliOverrides::default())
        .unwrap()
        .scenario;
    // Two hours keep the debug-build test quick; the scenario itself runs a day.
    s.horizon = batchsim::scenario::Horizon::At(2 * 3_600_000);
    s
}

fn files(s: &Scenario, o: &SweepOptions) -> Vec<(String, Vec<u8>)> {
    let (meta, rows) = sweep::sweep(s, o).unwrap();
    sweep::output_files(&meta, &rows).unwrap().0
}

#[test]
fn same_seed_same_files_whatever_the_thread_count() {
    let s = report_scenario();
    let vary = Some("spec.concurrencyPolicy=Allow,Forbid,Replace");
    let one = files(&s, &opts(6, 1, vary));
    let two = files(&s, &opts(6, 2, vary));
    assert_eq!(one.len(), 5);
    for ((n1, b1), (n2, b2)) in one.iter().zip(&two) {
        assert_eq!(n1, n2);
        assert!(b1 == b2, "{n1} differs between 1 and 2 threads");
    }
    // 6 runs × 3 variants + header.
    let csv = String::from_utf8(one[2].1.clone()).unwrap();
    assert_eq!(csv.lines().count(), 19);
}

#[test]
fn merged_shards_equal_a_single_machine_sweep() {
    let s = report_scenario();
    let vary = Some("spec.concurrencyPolicy=Forbid,Replace");
    let whole = files(&s, &opts(5, 2, vary));
    let base = std::env::temp_dir().join(format!("batchsim-shards-{}", std::process::id()));
    let mut dirs: Vec<PathBuf> = Vec::new();
    // Written in reverse order: the merge must not depend on the order of its arguments.
    for i in (0..3).rev() {
        let mut o = opts(5, 1, vary);
        o.shard = Some(Shard { index: i, count: 3 });
        let (meta, rows) = sweep::sweep(&s, &o).unwrap();
        let dir = base.join(format!("shard-{i}"));
        let (fs, _) = sweep::output_files(&meta, &rows).unwrap();
        batchsim::output::write_all_or_nothing(&dir, &fs).unwrap();
        dirs.push(dir);
    }
    let (meta, rows) = sweep::merge(&dirs).unwrap();
    let merged = sweep::output_files(&meta, &rows).unwrap().0;
    assert_eq!(whole.len(), merged.len());
    for ((n1, b1), (n2, b2)) in whole.iter().zip(&merged) {
        assert_eq!(n1, n2);
        assert!(b1 == b2, "{n1} differs after merging shards");
    }
    // A missing shard is an error naming the missing runs.
    let err = sweep::merge(&dirs[..2]).unwrap_err().to_string();
    assert_eq!(
        err,
        "sweep-merge: runs 0..1 are missing (shards must cover 0..5 once)"
    );
    std::fs::remove_dir_all(&base).unwrap();
}

/// The error of a Scenario document whose first workload has `body` (indented 4 spaces).
fn workload_error(body: &str) -> String {
    let text = format!(
        "{}apiVersion: batchsim/v1\nkind: Scenario\nspec:\n  workloads:\n  - cronjob: m\n{body}",
        cronjob("m", "* * * * *", "Allow")
    );
    load_str("t.yaml", &text, &CliOverrides::default())
        .unwrap_err()
        .to_string()
}

#[test]
fn invalid_distributions_name_field_and_line() {
    // The CronJob takes 17 lines with its separator; the Scenario starts at line 18, and the
    // workload body at line 23.
    assert_eq!(
        workload_error("    duration: {lognormal: {median: 3m, p95: 1m}}\n"),
        "t.yaml:23: spec.workloads[0].duration.lognormal.p95: must be greater than or equal to the median (60000 ms < 180000 ms)"
    );
    assert_eq!(
        workload_error("    duration:\n      uniform:\n        min: -5s\n        max: 1m\n"),
        "t.yaml:25: spec.workloads[0].duration.uniform.min: invalid duration \"-5s\": must not be negative"
    );
    assert_eq!(
        workload_error(
            "    duration: 1m\n    failure:\n      probability: 1.5\n      exitCode: 1\n"
        ),
        "t.yaml:25: spec.workloads[0].failure.probability: must be between 0 and 1, got 1.5"
    );
    assert_eq!(
        workload_error("    duration:\n      empirical: []\n"),
        "t.yaml:24: spec.workloads[0].duration.empirical: needs at least one observed duration"
    );
    assert_eq!(
        workload_error("    duration: {normal: {mean: 1m}}\n"),
        "t.yaml:23: spec.workloads[0].duration.normal.sd: Required value"
    );
}
