//! An output path that cannot be written is a clear error with exit code 1, and nothing partial
//! is left behind (outputs are written all-or-nothing).
use std::process::Command;

#[test]
fn unwritable_output_dir_exits_1() {
    let tmp = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("unwritable");
    crate::util::remove_tree(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    // A regular file where the output folder should be created.
    let blocker = tmp.join("blocker");
    std::fs::write(&blocker, b"not a folder").unwrap();
    let out = blocker.join("report");
    let res = Command::new(env!("CARGO_BIN_EXE_batchsim"))
        .args(["run", "scenarios/lecture/parallel-job.yaml", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(1));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.starts_with(&format!("error: cannot write {}", out.display())),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert_eq!(std::fs::read(&blocker).unwrap(), b"not a folder");
}

#[test]
fn compare_with_two_cronjobs_is_bad_input() {
    let tmp = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("compare-two");
    crate::util::remove_tree(&tmp);
    let res = Command::new(env!("CARGO_BIN_EXE_batchsim"))
        .args([
            "compare",
            "scenarios/lecture/cronjob-allow.yaml",
            "scenarios/lecture/cronjob-replace.yaml",
            "--out",
        ])
        .arg(&tmp)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&res.stderr),
        "error: compare needs exactly one CronJob in the scenario, found 2\n"
    );
    assert!(!tmp.exists(), "nothing written");
}
