//! Replays every input under `tests/fuzz-regressions/` through what the fuzz targets call
//! (`fuzz/fuzz_targets/*.rs`): each must return Ok or Err within 5 s, never panic, and pass
//! the targets' assertions.
//!
//! `loader/` holds manifest/scenario inputs (the `loader` target: `input::load_str`, then the
//! resource-limit estimate); `schedule/` holds schedule texts (the `schedule` target:
//! `Schedule::parse_standard`, `describe` and a few `next` calls). Every crasher or hang a
//! fuzzer ever found is added here (see fuzz/README.md), next to hand-written hostile seeds.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use batchsim::scenario::limits;
use batchsim::scenario::load::{load_str, CliOverrides};
use batchsim::schedule::{self, Schedule};
use batchsim::sim::time::Time;

const LIMIT: Duration = Duration::from_secs(5);

fn inputs(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(kind);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("regression folder exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// What the `loader` fuzz target does with one input (its assertions included).
fn loader(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(loaded) = load_str("fuzz.yaml", text, &CliOverrides::default()) {
        check_limits(&loaded.scenario);
    }
}

/// The resource-limit estimate either passes a scenario within the limits or refuses it with a
/// sentence.
fn check_limits(scenario: &batchsim::scenario::Scenario) {
    match limits::check(scenario) {
        Ok(e) => assert!(e.jobs <= limits::MAX_JOBS && e.pods <= limits::MAX_PODS),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// What the `schedule` fuzz target does with one input (its assertions included).
fn schedule_target(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The Kubernetes validation path first (it parses too): it refuses what the parse refuses.
    let errs = schedule::validate_schedule_for_create(text);
    let Ok(s) = Schedule::parse_standard(text) else {
        assert!(!errs.is_empty(), "{text:?} validated but does not parse");
        return;
    };
    assert!(
        !s.describe().is_empty(),
        "{text:?} has an empty description"
    );
    for (start, zone) in [
        (Time(1_637_841_600_000), chrono_tz::UTC),
        (Time(1_667_000_000_000), chrono_tz::America::New_York),
    ] {
        let mut t = start;
        for _ in 0..4 {
            match s.next(t, zone) {
                Some(n) => {
                    assert!(n > t, "next({t:?}) = {n:?} is not after it for {text:?}");
                    t = n;
                }
                None => break,
            }
        }
    }
}

/// Runs `f` on every input of `kind` in its own thread: a panic or a run over 5 s fails.
fn replay(kind: &str, f: fn(&[u8])) {
    let files = inputs(kind);
    assert!(
        !files.is_empty(),
        "no inputs under tests/fuzz-regressions/{kind}"
    );
    let mut failures = Vec::new();
    for file in files {
        let data = std::fs::read(&file).unwrap();
        let handle = std::thread::spawn(move || f(&data));
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let deadline = Instant::now() + LIMIT;
        while !handle.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        if !handle.is_finished() {
            // A hung thread cannot be stopped; it is left to end with the test process.
            failures.push(format!("{kind}/{name}: no answer within {LIMIT:?}"));
        } else if handle.join().is_err() {
            failures.push(format!("{kind}/{name}: panicked"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn loader_inputs_return_without_panicking() {
    replay("loader", loader);
}

#[test]
fn schedule_inputs_return_without_panicking() {
    replay("schedule", schedule_target);
}
