//! Fuzzes a whole run: a loaded scenario (bounded to a small size and a two-hour horizon so
//! each input stays fast) must simulate without panicking, and render its timeline.
#![no_main]

use batchsim::output::snapshot;
use batchsim::scenario::load::{load_str, CliOverrides};
use batchsim::scenario::Horizon;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(loaded) = load_str("fuzz.yaml", text, &CliOverrides::default()) else {
        return;
    };
    let mut scenario = loaded.scenario;
    let two_hours = 2 * 3_600_000;
    scenario.horizon = match scenario.horizon {
        Horizon::At(ms) => Horizon::At(ms.min(two_hours)),
        Horizon::Auto => Horizon::At(two_hours),
    };
    match batchsim::scenario::limits::check(&scenario) {
        Ok(e) if e.jobs <= 200 && e.pods <= 2_000 => {}
        _ => return,
    }
    let timeline = snapshot::timeline_of(&scenario);
    assert!(timeline.starts_with(snapshot::FORMAT_LINE));
});
