//! `batchsim snapshot` and `batchsim verify` through the binary: the CI workflow of the README
//! (exit 0 identical, 1 changed with a sentence and a diff, 2 missing snapshot or bad input,
//! `--update` rewrites).

use std::path::{Path, PathBuf};
use std::process::Command;

fn temp(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("batchsim-{name}-{}", std::process::id()));
    crate::util::remove_tree(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

fn batchsim(cwd: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_batchsim"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("the binary runs");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn lecture(file: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/lecture")
            .join(file),
    )
    .unwrap()
}

#[test]
fn snapshot_then_verify_then_change_then_update() {
    let tmp = temp("snapcli");
    std::fs::write(tmp.join("parallel-job.yaml"), lecture("parallel-job.yaml")).unwrap();

    // Missing snapshot: exit 2 with the command that creates it.
    let (code, stdout, stderr) =
        batchsim(&tmp, &["verify", "parallel-job.yaml", "--profile", "ideal"]);
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: snapshots/parallel-job.ideal.timeline: no snapshot for parallel-job.yaml; create it with: batchsim verify --update parallel-job.yaml\n"
    );

    // Default folder: snapshots/ beside the scenario file.
    let (code, stdout, _) = batchsim(
        &tmp,
        &["snapshot", "parallel-job.yaml", "--profile", "ideal"],
    );
    assert_eq!(code, Some(0));
    assert_eq!(stdout, "wrote snapshots/parallel-job.ideal.timeline\n");
    let text = std::fs::read_to_string(tmp.join("snapshots/parallel-job.ideal.timeline")).unwrap();
    assert!(text.starts_with("# batchsim timeline v1\n# scenario: parallel-job\n# profile: ideal\n# seed: 0\n# start: 2021-11-25T12:00:00.000Z\n# end_s: 30.000\n\n## pods\n"));
    assert!(text.contains("\nparallel-job,,,0.000,0.000,30.000,Complete,CompletionsReached,5,0,\n"));

    let (code, stdout, stderr) =
        batchsim(&tmp, &["verify", "parallel-job.yaml", "--profile", "ideal"]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert_eq!(stdout, "ok snapshots/parallel-job.ideal.timeline\n");

    // One changed field: exit 1, the first differing pod and instant in words, then the diff.
    std::fs::write(
        tmp.join("parallel-job.yaml"),
        lecture("parallel-job.yaml").replace("sleep 10", "sleep 12"),
    )
    .unwrap();
    let (code, stdout, _) = batchsim(&tmp, &["verify", "parallel-job.yaml", "--profile", "ideal"]);
    assert_eq!(code, Some(1));
    let mut lines = stdout.lines();
    let first = lines.next().unwrap();
    assert!(
        first.starts_with("FAILED snapshots/parallel-job.ideal.timeline: the timeline of parallel-job.yaml changed: pod parallel-job-")
            && first.ends_with(": finished at 12.000 s, was 10.000 s"),
        "{first}"
    );
    assert_eq!(
        lines.next(),
        Some("--- snapshots/parallel-job.ideal.timeline")
    );
    assert_eq!(lines.next(), Some("+++ fresh run"));
    assert!(
        stdout.contains("\n-# end_s: 30.000\n+# end_s: 36.000\n"),
        "{stdout}"
    );

    // --update accepts the change; verify passes again.
    let (code, stdout, _) = batchsim(
        &tmp,
        &[
            "verify",
            "parallel-job.yaml",
            "--profile",
            "ideal",
            "--update",
        ],
    );
    assert_eq!(code, Some(0));
    assert_eq!(stdout, "updated snapshots/parallel-job.ideal.timeline\n");
    let (code, _, _) = batchsim(&tmp, &["verify", "parallel-job.yaml", "--profile", "ideal"]);
    assert_eq!(code, Some(0));

    // --dir puts every snapshot in one folder.
    let (code, stdout, _) = batchsim(&tmp, &["snapshot", "parallel-job.yaml", "--dir", "golden"]);
    assert_eq!(code, Some(0));
    assert_eq!(stdout, "wrote golden/parallel-job.realistic.timeline\n");
    crate::util::remove_tree(&tmp);
}

#[test]
fn two_scenarios_with_one_name_are_refused() {
    let tmp = temp("snapdup");
    std::fs::create_dir_all(tmp.join("a")).unwrap();
    std::fs::create_dir_all(tmp.join("b")).unwrap();
    std::fs::write(tmp.join("a/job.yaml"), lecture("parallel-job.yaml")).unwrap();
    std::fs::write(tmp.join("b/job.yaml"), lecture("parallel-job.yaml")).unwrap();
    let (code, stdout, stderr) = batchsim(
        &tmp,
        &["snapshot", "a/job.yaml", "b/job.yaml", "--dir", "s"],
    );
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: a/job.yaml and b/job.yaml would both write s/job.realistic.timeline: give their Scenario documents different metadata.name values\n"
    );
    assert!(!tmp.join("s").exists());
    crate::util::remove_tree(&tmp);
}
