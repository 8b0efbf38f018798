//! Fuzzes the robfig/cron schedule parser and `Next`: any text must parse or fail with an
//! error, and `next` must return within robfig's five-year window, never panic or loop.
#![no_main]

use batchsim::schedule::{self, Schedule};
use batchsim::sim::time::Time;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The Kubernetes validation path first (it parses too): it refuses what the controller's
    // own parse refuses.
    let errs = schedule::validate_schedule_for_create(text);
    let Ok(s) = Schedule::parse_standard(text) else {
        assert!(!errs.is_empty(), "{text:?} validated but does not parse");
        return;
    };
    assert!(
        !s.describe().is_empty(),
        "{text:?} has an empty description"
    );
    // The lecture's start and a DST-heavy zone; a few consecutive fire times from each.
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
});
