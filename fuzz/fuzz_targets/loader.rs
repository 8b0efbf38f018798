//! Fuzzes the manifest/scenario loader: any bytes must load or fail with an error, never panic
//! or hang; a loaded scenario must also pass through the resource-limit estimate.
#![no_main]

use batchsim::scenario::limits;
use batchsim::scenario::load::{load_str, CliOverrides};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The loader reads files as UTF-8 and refuses anything else before parsing.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(loaded) = load_str("fuzz.yaml", text, &CliOverrides::default()) {
        // Within the limits, or refused with a sentence.
        match limits::check(&loaded.scenario) {
            Ok(e) => assert!(e.jobs <= limits::MAX_JOBS && e.pods <= limits::MAX_PODS),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
});
