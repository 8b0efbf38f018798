//! Bad inputs: each file under `tests/bad-inputs/` must fail with exactly the line in `expected.txt`.

use std::path::{Path, PathBuf};

use batchsim::scenario::load::{load, load_str, CliOverrides};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs")
}

/// The error line for a file, as a user in that folder would see it: loaded through the same
/// path as `batchsim run` (reading the bytes, resource limits included), with the folder
/// prefix taken out of the message.
fn error_of(file: &str) -> String {
    let prefix = format!("{}/", dir().display());
    match batchsim::cli::load(&[dir().join(file)], &CliOverrides::default()) {
        Ok(_) => format!("{file}: unexpectedly loaded"),
        Err(e) => {
            assert_eq!(e.exit_code(), 2, "{file}: {e}");
            e.to_string().replace(&prefix, "")
        }
    }
}

/// The file an expected line is about: the first word ending in `.yaml`.
fn file_of(line: &str) -> &str {
    line.split([' ', ':'])
        .find(|w| w.ends_with(".yaml"))
        .unwrap_or_default()
}

#[test]
fn every_bad_input_fails_with_its_expected_line() {
    let expected =
        std::fs::read_to_string(dir().join("expected.txt")).expect("expected.txt exists");
    let mut checked = 0;
    for line in expected
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let file = file_of(line);
        assert_eq!(error_of(file), line, "for {file}");
        checked += 1;
    }
    // Every file in the folder has an expectation, and the corpus keeps its size.
    let files = std::fs::read_dir(dir()).unwrap().filter(|e| {
        e.as_ref()
            .map(|e| e.path().extension().is_some_and(|x| x == "yaml"))
            .unwrap_or(false)
    });
    assert_eq!(files.count(), checked);
    assert!(checked >= 40, "only {checked} bad inputs");
}

#[test]
fn missing_file() {
    let err = load(&[PathBuf::from("missing.yaml")], &CliOverrides::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot read missing.yaml: No such file or directory (os error 2)"
    );
}

#[test]
fn cli_until_beyond_100_years() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/lecture/parallel-job.yaml"),
    )
    .unwrap();
    let cli = CliOverrides {
        until: Some("36600d".into()),
        ..CliOverrides::default()
    };
    let err = load_str("parallel-job.yaml", &text, &cli).unwrap_err();
    assert_eq!(
        err.to_string(),
        "--until: until \"36600d\" is more than 100 years after the start"
    );
}

#[test]
fn hostile_inputs_are_errors() {
    let cli = CliOverrides::default();
    let junk: Vec<u8> = (0..2048u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let junk = String::from_utf8_lossy(&junk).into_owned();
    assert!(load_str("junk.yaml", &junk, &cli).is_err());
    assert!(load_str("empty.yaml", "", &cli).is_err());
    assert!(load_str("deep.yaml", &"- ".repeat(5000), &cli).is_err());
    assert!(load_str("deep.yaml", &"{a: ".repeat(5000), &cli).is_err());
    let huge = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec:\n  parallelism: 99999999999999999999999\n";
    assert_eq!(
        load_str("huge.yaml", huge, &cli).unwrap_err().to_string(),
        "huge.yaml:5: Job in version \"v1\" cannot be handled as a Job: spec.parallelism: invalid type: floating point `1e+23`, expected i32"
    );
}

#[test]
fn input_errors_exit_with_code_2() {
    let err = load(&[PathBuf::from("missing.yaml")], &CliOverrides::default()).unwrap_err();
    let err = batchsim::Error::from(err);
    assert_eq!(err.exit_code(), 2);
    assert_eq!(
        err.to_string(),
        "cannot read missing.yaml: No such file or directory (os error 2)"
    );
}

// Regressions: `.inf`/`.nan` used to become JSON null (a silent "unset"), and integers above
// i64::MAX used to become floats (found by tests/it/properties.rs and the bad-input corpus).
#[test]
fn non_finite_floats_are_errors() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/lecture/parallel-job.yaml"),
    )
    .unwrap()
    .replace("parallelism: 2", "parallelism: .inf");
    let err = load_str("inf.yaml", &text, &CliOverrides::default()).unwrap_err();
    assert_eq!(err.line, Some(8));
    assert_eq!(
        err.to_string(),
        "inf.yaml:8: error converting YAML to JSON: json: unsupported value: +Inf"
    );
}

#[test]
fn seeds_above_i64_max_load() {
    let text = format!(
        "apiVersion: batchsim/v1\nkind: Scenario\nspec:\n  seed: 9223372036854775808\n---\n{}",
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/lecture/parallel-job.yaml"),
        )
        .unwrap()
    );
    let loaded = load_str("seed.yaml", &text, &CliOverrides::default()).unwrap();
    assert_eq!(loaded.scenario.seed, 9_223_372_036_854_775_808);
}
