//! Replays every input under `tests/fuzz-regressions/` through what the fuzz targets call
//! (`fuzz/fuzz_targets/*.rs`): each must return Ok or Err within 5 s and never panic.
//!
//! `loader/` holds manifest/scenario inputs (the `loader` target: `input::load_str`, then the
//! resource-limit estimate); `schedule/` holds schedule texts (the `schedule` target:
//! `Schedule::parse_standard`, `describe` and a few `next` calls). Every crasher or hang a
//! fuzzer ever found is added here (see fuzz/README.md), next to hand-written hostile seeds.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

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

/// What the `loader` fuzz target does with one input.
fn loader(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(loaded) = load_str("fuzz.yaml", text, &CliOverrides::default()) {
        let _ = batchsim::scenario::limits::check(&loaded.scenario);
    }
}

/// What the `schedule` fuzz target does with one input (its assertion included).
fn schedule_target(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = schedule::validate_schedule_for_create(text);
    let Ok(s) = Schedule::parse_standard(text) else {
        return;
    };
    let _ = s.describe();
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
        let (tx, rx) = mpsc::channel();
        let handle = std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(|| f(&data));
            let _ = tx.send(outcome.is_ok());
        });
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        match rx.recv_timeout(LIMIT) {
            Ok(true) => {
                let _ = handle.join();
            }
            Ok(false) => failures.push(format!("{kind}/{name}: panicked")),
            // A hung thread cannot be stopped; it is left to end with the test process.
            Err(_) => failures.push(format!("{kind}/{name}: no answer within {LIMIT:?}")),
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
