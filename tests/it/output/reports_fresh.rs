//! The committed lecture outputs under reports/ must be what the current code produces
//! (regenerate them with `bash scripts/reports`).
use std::path::{Path, PathBuf};
use std::process::Command;

fn compare_dirs(expected: &Path, actual: &Path) -> Vec<String> {
    let mut stale = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(actual)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    for p in names {
        let name = p.file_name().unwrap_or_default();
        let committed = expected.join(name);
        let now = std::fs::read(&p).unwrap_or_default();
        match std::fs::read(&committed) {
            Ok(old) if old == now => {}
            Ok(_) => stale.push(format!("{} differs", committed.display())),
            Err(_) => stale.push(format!("{} is missing", committed.display())),
        }
    }
    stale
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_batchsim")
}

#[test]
fn lecture_reports_are_fresh() {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("reports-fresh");
    crate::util::remove_tree(&tmp);
    let mut stale = Vec::new();
    let mut scenarios: Vec<PathBuf> = std::fs::read_dir("scenarios/lecture")
        .expect("scenarios/lecture exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    scenarios.sort();
    assert_eq!(scenarios.len(), 4, "four lecture scenarios");
    for s in &scenarios {
        let name = s
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let out = tmp.join(&name);
        let st = Command::new(bin())
            .args(["run"])
            .arg(s)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("batchsim runs");
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
        stale.extend(compare_dirs(&Path::new("reports").join(&name), &out));
    }
    let mut job_api: Vec<PathBuf> = std::fs::read_dir("scenarios/job-api")
        .expect("scenarios/job-api exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    job_api.sort();
    for s in &job_api {
        let name = s
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let out = tmp.join("job-api").join(&name);
        let st = Command::new(bin())
            .args(["run"])
            .arg(s)
            .args(["--profile", "ideal", "--out"])
            .arg(&out)
            .output()
            .expect("batchsim runs");
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
        stale.extend(compare_dirs(
            &Path::new("reports/job-api").join(&name),
            &out,
        ));
    }
    let out = tmp.join("cronjob-replace-compare");
    let st = Command::new(bin())
        .args([
            "compare",
            "scenarios/lecture/cronjob-replace.yaml",
            "--until",
            "8m",
            "--out",
        ])
        .arg(&out)
        .output()
        .expect("batchsim runs");
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    stale.extend(compare_dirs(
        Path::new("reports/cronjob-replace-compare"),
        &out,
    ));
    assert!(
        stale.is_empty(),
        "reports/ is stale; run `bash scripts/reports` and commit:\n{}",
        stale.join("\n")
    );
}
