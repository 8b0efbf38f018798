//! The project's own regression snapshots: every `*.yaml` under `scenarios/` (recursively,
//! sorted), in both profiles, against `tests/snapshots/<path>.<profile>.timeline`, through the
//! same library calls as `batchsim verify`. Adding a scenario adds a case; its golden file is
//! created with `BATCHSIM_UPDATE_SNAPSHOTS=1 cargo test --test it output::snapshots`.

use std::path::{Path, PathBuf};

use batchsim::output::snapshot::{self, Check};
use batchsim::scenario::load::{load, CliOverrides};

const UPDATE_COMMAND: &str = "BATCHSIM_UPDATE_SNAPSHOTS=1 cargo test --test it output::snapshots";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every scenario file, as paths relative to the crate root, sorted.
fn scenario_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("scenarios"), &mut files);
    files.sort();
    files
}

/// `tests/snapshots/<path under scenarios/ without .yaml>.<profile>.timeline`.
fn golden_path(file: &Path, profile: &str) -> PathBuf {
    let rel = file
        .strip_prefix(root().join("scenarios"))
        .unwrap_or(file)
        .with_extension("");
    root().join("tests/snapshots").join(format!(
        "{}.{profile}.{}",
        rel.display(),
        snapshot::EXTENSION
    ))
}

#[test]
fn every_scenario_matches_its_golden_timeline_in_both_profiles() {
    let update = std::env::var_os("BATCHSIM_UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let files = scenario_files();
    assert!(!files.is_empty(), "no scenarios found under scenarios/");
    let mut failures = Vec::new();
    let mut checked = 0;
    for file in &files {
        for profile in ["ideal", "realistic"] {
            let cli = CliOverrides {
                profile: Some(profile.into()),
                ..CliOverrides::default()
            };
            let loaded = match load(std::slice::from_ref(file), &cli) {
                Ok(l) => l,
                Err(e) => {
                    failures.push(format!("{}: does not load: {e}", file.display()));
                    continue;
                }
            };
            let actual = snapshot::timeline_of(&loaded.scenario);
            let golden = golden_path(file, profile);
            let label = golden
                .strip_prefix(root())
                .unwrap_or(&golden)
                .display()
                .to_string();
            let stored = snapshot::read_snapshot(&golden).expect("golden file is readable");
            match snapshot::compare(stored.as_deref(), &actual, &label) {
                Check::Same => checked += 1,
                _ if update => {
                    snapshot::write_snapshot(&golden, &actual).expect("golden file is writable");
                    eprintln!("wrote {label}");
                    checked += 1;
                }
                Check::Missing => failures.push(format!(
                    "{label}: missing golden timeline for {} ({profile}); create it with: {UPDATE_COMMAND}",
                    file.strip_prefix(root()).unwrap_or(file).display()
                )),
                Check::Differs { summary, diff } => failures.push(format!(
                    "{label}: {summary}\n{diff}\n(if the change is intended: {UPDATE_COMMAND})"
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} snapshot(s) failed:\n{}",
        failures.len(),
        files.len() * 2,
        failures.join("\n")
    );
    assert_eq!(checked, files.len() * 2);
}

/// Every golden file belongs to a scenario: a renamed or deleted scenario leaves none behind.
#[test]
fn no_orphan_golden_files() {
    let expected: Vec<PathBuf> = scenario_files()
        .iter()
        .flat_map(|f| ["ideal", "realistic"].map(|p| golden_path(f, p)))
        .collect();
    let mut orphans = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut present = Vec::new();
    walk(&root().join("tests/snapshots"), &mut present);
    for p in present {
        if !expected.contains(&p) {
            orphans.push(p.display().to_string());
        }
    }
    assert!(
        orphans.is_empty(),
        "golden files without a scenario: {orphans:?}"
    );
}

/// What snapshots are for: one changed field in a lecture manifest makes the
/// comparison fail with a sentence naming the first differing pod and instant.
#[test]
fn a_changed_manifest_field_names_the_first_differing_pod() {
    let file = root().join("scenarios/lecture/parallel-job.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let cli = CliOverrides {
        profile: Some("ideal".into()),
        ..CliOverrides::default()
    };
    let changed = text.replace("parallelism: 2", "parallelism: 3");
    assert_ne!(changed, text);
    let old = batchsim::scenario::load::load_str("parallel-job.yaml", &text, &cli).unwrap();
    let new = batchsim::scenario::load::load_str("parallel-job.yaml", &changed, &cli).unwrap();
    let Check::Differs { summary, diff } = snapshot::compare(
        Some(&snapshot::timeline_of(&old.scenario)),
        &snapshot::timeline_of(&new.scenario),
        "parallel-job.ideal.timeline",
    ) else {
        panic!("a changed parallelism must change the timeline");
    };
    // Ideal profile: a third pod starts at 0 s instead of waiting until 10 s.
    assert!(
        summary.starts_with("pod parallel-job-")
            && summary.ends_with(": created at 0.000 s, was 10.000 s"),
        "{summary}"
    );
    assert!(diff.starts_with("--- parallel-job.ideal.timeline\n+++ fresh run\n"));
}
