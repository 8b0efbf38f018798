//! Every vector of robfig/cron v3.0.1 `constantdelay_test.go` (TestConstantDelayNext).

use crate::schedule::robfig_time::get_time;
use batchsim::schedule::Schedule;

const NS: i64 = 1;
const MS: i64 = 1_000_000;
const S: i64 = 1_000_000_000;
const M: i64 = 60 * S;
const H: i64 = 60 * M;

#[test]
fn test_constant_delay_next() {
    let tests: &[(&str, i64, &str)] = &[
        // Simple cases
        (
            "Mon Jul 9 14:45 2012",
            15 * M + 50 * NS,
            "Mon Jul 9 15:00 2012",
        ),
        ("Mon Jul 9 14:59 2012", 15 * M, "Mon Jul 9 15:14 2012"),
        ("Mon Jul 9 14:59:59 2012", 15 * M, "Mon Jul 9 15:14:59 2012"),
        // Wrap around hours
        ("Mon Jul 9 15:45 2012", 35 * M, "Mon Jul 9 16:20 2012"),
        // Wrap around days
        ("Mon Jul 9 23:46 2012", 14 * M, "Tue Jul 10 00:00 2012"),
        ("Mon Jul 9 23:45 2012", 35 * M, "Tue Jul 10 00:20 2012"),
        (
            "Mon Jul 9 23:35:51 2012",
            44 * M + 24 * S,
            "Tue Jul 10 00:20:15 2012",
        ),
        (
            "Mon Jul 9 23:35:51 2012",
            25 * H + 44 * M + 24 * S,
            "Thu Jul 11 01:20:15 2012",
        ),
        // Wrap around months
        (
            "Mon Jul 9 23:35 2012",
            91 * 24 * H + 25 * M,
            "Thu Oct 9 00:00 2012",
        ),
        // Wrap around minute, hour, day, month, and year
        (
            "Mon Dec 31 23:59:45 2012",
            15 * S,
            "Tue Jan 1 00:00:00 2013",
        ),
        // Round to nearest second on the delay
        (
            "Mon Jul 9 14:45 2012",
            15 * M + 50 * NS,
            "Mon Jul 9 15:00 2012",
        ),
        // Round up to 1 second if the duration is less.
        (
            "Mon Jul 9 14:45:00 2012",
            15 * MS,
            "Mon Jul 9 14:45:01 2012",
        ),
        // Round to nearest second when calculating the next time.
        (
            "Mon Jul 9 14:45:00.005 2012",
            15 * M,
            "Mon Jul 9 15:00 2012",
        ),
        // Round to nearest second for both.
        (
            "Mon Jul 9 14:45:00.005 2012",
            15 * M + 50 * NS,
            "Mon Jul 9 15:00 2012",
        ),
    ];
    assert_eq!(tests.len(), 14);
    for &(time, delay, expected) in tests {
        let (t, zone) = get_time(time);
        let actual = Schedule::every(delay).next(t, zone);
        assert_eq!(actual, Some(get_time(expected).0), "{time} + {delay}ns");
    }
}

/// `@every` through the standard parser: Go durations, rounding, and zone independence.
#[test]
fn every_descriptor_parses_go_durations() {
    let cases = [
        ("@every 1h30m", 5400),
        ("@every 1.5h", 5400),
        ("@every 90s", 90),
        ("@every 1500ms", 1),
        ("@every 0", 1),
        ("@every -5m", 1),
        ("@every 2h45m30.9s", 9930),
        ("TZ=America/New_York @every 1h", 3600),
    ];
    for (spec, secs) in cases {
        let s = Schedule::parse_standard(spec).expect(spec);
        assert_eq!(s.constant_delay_secs(), Some(secs), "{spec}");
        assert_eq!(s.location(), None, "{spec}: @every ignores zones");
    }
}
