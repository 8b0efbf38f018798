//! Resource limits: scenarios that would create unbounded output are refused before running
//! (exit code 2, nothing written); ordinary scenarios pass the same check.

use std::path::PathBuf;
use std::process::Command;

use batchsim::scenario::limits::{self, MAX_JOBS};
use batchsim::scenario::load::{load_str, CliOverrides};

fn cronjob(schedule: &str, until: &str) -> String {
    format!(
        r#"apiVersion: batch/v1
kind: CronJob
metadata:
  name: busy
spec:
  schedule: "{schedule}"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: c
            image: busybox
            args: ["sleep", "1"]
          restartPolicy: Never
---
apiVersion: batchsim/v1
kind: Scenario
metadata:
  name: busy
spec:
  until: {until}
"#
    )
}

fn check(text: &str) -> Result<limits::Estimate, String> {
    let loaded =
        load_str("busy.yaml", text, &CliOverrides::default()).map_err(|e| e.to_string())?;
    limits::check(&loaded.scenario).map_err(|e| {
        assert_eq!(e.exit_code(), 2);
        e.to_string()
    })
}

#[test]
fn every_second_for_ten_years_is_refused() {
    // 3650 days × 86 400 slots per day, exactly (constant delay).
    assert_eq!(
        check(&cronjob("@every 1s", "3650d")).unwrap_err(),
        "scenario \"busy\" would create about 315360000 Jobs (schedule slots) in 315360000.000 s (mostly CronJob \"busy\"), more than the limit of 1000000: shorten until or use a less frequent schedule"
    );
}

#[test]
fn every_minute_for_a_century_is_refused_by_extrapolation() {
    // The first week holds 10 079 slots in (start, start + 7 d); × 36 500 / 7, rounded up.
    let err = check(&cronjob("*/1 * * * *", "36500d")).unwrap_err();
    assert!(
        err.starts_with("scenario \"busy\" would create about 52554786 Jobs (schedule slots) in 3153600000.000 s"),
        "{err}"
    );
}

#[test]
fn ordinary_scenarios_pass_with_exact_counts() {
    // One slot per minute for 10 days: 14 400 slot instants, minus the one at the very start.
    let e = check(&cronjob("*/1 * * * *", "10d")).unwrap();
    assert_eq!(e.jobs, 14_399);
    assert_eq!(e.pods, 14_399);
    // @every 1s for 11 days: 950 400 slots, just under the limit; 12 days is over it.
    let e = check(&cronjob("@every 1s", "11d")).unwrap();
    assert_eq!(e.jobs, 950_400);
    assert!(e.jobs <= MAX_JOBS);
    assert!(check(&cronjob("@every 1s", "12d"))
        .unwrap_err()
        .starts_with("scenario \"busy\" would create about 1036800 Jobs (schedule slots)"));
    // "Never fires" schedules (valid for the API) cost nothing.
    assert_eq!(check(&cronjob("0 0 30 2 *", "3650d")).unwrap().jobs, 0);
}

#[test]
fn a_job_with_two_billion_completions_is_refused() {
    let text = r#"apiVersion: batch/v1
kind: Job
metadata:
  name: huge
spec:
  completions: 2147483647
  parallelism: 1000
  template:
    spec:
      containers:
      - name: c
        image: busybox
        args: ["sleep", "1"]
      restartPolicy: Never
"#;
    assert_eq!(
        check(text).unwrap_err(),
        "scenario \"busy\" would create about 2147483647 pods in 2592000.000 s (mostly Job \"huge\"), more than the limit of 1000000: shorten until or lower completions"
    );
}

#[test]
fn the_cli_refuses_with_exit_code_2_and_writes_nothing() {
    let tmp = std::env::temp_dir().join(format!("batchsim-limits-{}", std::process::id()));
    crate::util::remove_tree(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let file = tmp.join("busy.yaml");
    std::fs::write(&file, cronjob("@every 1s", "3650d")).unwrap();
    let out: PathBuf = tmp.join("out");
    for args in [
        vec![
            "run".into(),
            file.display().to_string(),
            "--out".into(),
            out.display().to_string(),
        ],
        vec![
            "snapshot".into(),
            file.display().to_string(),
            "--dir".into(),
            out.display().to_string(),
        ],
        vec![
            "verify".into(),
            file.display().to_string(),
            "--dir".into(),
            out.display().to_string(),
        ],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_batchsim"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.starts_with(&format!(
                "error: {}: scenario \"busy\" would create about 315360000 Jobs",
                file.display()
            )),
            "{stderr}"
        );
        assert!(!out.exists(), "{args:?} left {}", out.display());
    }
    crate::util::remove_tree(&tmp);
}
