//! The bad-input corpus through the real binary: every file under `tests/bad-inputs/` makes
//! `batchsim run` and `batchsim snapshot` exit with code 2, print exactly `error: <expected
//! line>` and leave no output behind. Plus inputs built at run time (a 10 MB file) and a
//! schedule that is valid for the API but never fires.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs")
}

/// A fresh, empty temporary folder for one test.
fn temp(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("batchsim-{name}-{}", std::process::id()));
    crate::util::remove_tree(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

/// Runs the binary in `cwd`; returns (exit code, stdout, stderr, wall time).
fn batchsim(cwd: &Path, args: &[&str]) -> (Option<i32>, String, String, Duration) {
    let t = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_batchsim"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("the binary runs");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        t.elapsed(),
    )
}

fn file_of(line: &str) -> &str {
    line.split([' ', ':'])
        .find(|w| w.ends_with(".yaml"))
        .unwrap_or_default()
}

#[test]
fn every_bad_input_exits_2_with_its_line_and_writes_nothing() {
    let expected = std::fs::read_to_string(dir().join("expected.txt")).unwrap();
    let tmp = temp("bad-cli");
    let out = tmp.join("out");
    let out_s = out.display().to_string();
    let mut checked = 0;
    for line in expected
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let file = file_of(line);
        for args in [
            vec!["run", file, "--out", &out_s],
            vec!["snapshot", file, "--dir", &out_s],
            vec!["verify", file, "--dir", &out_s, "--update"],
        ] {
            let (code, stdout, stderr, took) = batchsim(&dir(), &args);
            assert_eq!(code, Some(2), "{args:?}: {stderr}");
            assert_eq!(stderr, format!("error: {line}\n"), "{args:?}");
            assert_eq!(stdout, "", "{args:?}");
            assert!(!out.exists(), "{args:?} left {out_s}");
            assert!(took < Duration::from_secs(5), "{args:?} took {took:?}");
        }
        checked += 1;
    }
    assert!(checked >= 40);
    crate::util::remove_tree(&tmp);
}

/// 10 MB of comments before a Job with an invalid field: the error names the right line, fast.
#[test]
fn a_ten_megabyte_file_is_refused_at_the_right_line() {
    let tmp = temp("big");
    let pad = format!("# {}\n", "x".repeat(97));
    let lines = 10 * 1024 * 1024 / pad.len() + 1;
    let mut text = pad.repeat(lines);
    text.push_str(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  parallelism: -1\n  template:\n    spec:\n      containers:\n      - name: pi\n        image: busybox\n        command: [\"sleep\", \"10\"]\n      restartPolicy: Never\n",
    );
    assert!(text.len() >= 10 * 1024 * 1024);
    std::fs::write(tmp.join("big.yaml"), &text).unwrap();
    let (code, stdout, stderr, took) = batchsim(&tmp, &["run", "big.yaml", "--out", "out"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        format!(
            "error: big.yaml:{}: The Job \"pi\" is invalid: spec.parallelism: Invalid value: -1: must be greater than or equal to 0\n",
            lines + 6
        )
    );
    assert_eq!(stdout, "");
    assert!(!tmp.join("out").exists());
    assert!(took < Duration::from_secs(5), "took {took:?}");
    crate::util::remove_tree(&tmp);
}

/// `0 0 30 2 *` (February 30th) is valid for the API server (robfig parses it), so it is not a
/// bad input: the CronJob is created and never fires. robfig's Next gives up after five years,
/// so no Job and no pod appear.
#[test]
fn a_valid_schedule_that_never_fires_creates_nothing() {
    let tmp = temp("never");
    std::fs::write(
        tmp.join("feb30.yaml"),
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: feb30\nspec:\n  schedule: \"0 0 30 2 *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n            image: busybox\n            command: [\"sleep\", \"1\"]\n          restartPolicy: OnFailure\n",
    )
    .unwrap();
    let (code, stdout, stderr, _) = batchsim(
        &tmp,
        &["run", "feb30.yaml", "--until", "400d", "--out", "out"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains(": 0 job(s), 0 pod(s)"), "{stdout}");
    let jobs = std::fs::read_to_string(tmp.join("out/jobs.csv")).unwrap();
    assert_eq!(jobs.lines().count(), 1, "only the header: {jobs}");
    crate::util::remove_tree(&tmp);
}
