//! robfig/cron v3.0.1 `parser_test.go` vectors that go through a public parser: the standard
//! parser (what Kubernetes calls) and the tests' `secondParser`. TestRange, TestField, TestAll,
//! TestBits, TestNormalizeFields(_Errors), TestOptionalSecondSchedule and TestNoDescriptorParser
//! exercise internals and live as unit tests in `src/schedule/parser.rs`.

use batchsim::schedule::{Schedule, SpecBits, STAR_BIT};
use batchsim::sim::time::Time;
use chrono_tz::Tz;

const fn all(min: u32, max: u32) -> u64 {
    let mut bits = 0u64;
    let mut i = min;
    while i <= max {
        bits |= 1 << i;
        i += 1;
    }
    bits | STAR_BIT
}
const ALL_SECONDS: u64 = all(0, 59);
const ALL_HOURS: u64 = all(0, 23);
const ALL_DOM: u64 = all(1, 31);
const ALL_MONTHS: u64 = all(1, 12);
const ALL_DOW: u64 = all(0, 6);

fn every5min() -> SpecBits {
    SpecBits {
        second: 1,
        minute: 1 << 5,
        hour: ALL_HOURS,
        dom: ALL_DOM,
        month: ALL_MONTHS,
        dow: ALL_DOW,
    }
}

fn midnight() -> SpecBits {
    SpecBits {
        second: 1,
        minute: 1,
        hour: 1,
        dom: ALL_DOM,
        month: ALL_MONTHS,
        dow: ALL_DOW,
    }
}

fn annual() -> SpecBits {
    SpecBits {
        second: 1,
        minute: 1,
        hour: 1,
        dom: 1 << 1,
        month: 1 << 1,
        dow: ALL_DOW,
    }
}

#[test]
fn test_parse_schedule_errors() {
    let tests = [
        ("* 5 j * * *", "failed to parse int from"),
        ("@every Xm", "failed to parse duration"),
        ("@unrecognized", "unrecognized descriptor"),
        ("* * * *", "expected 5 to 6 fields"),
        ("", "empty spec string"),
    ];
    for (expr, want) in tests {
        let e = Schedule::parse_with_seconds(expr).expect_err(expr);
        assert!(e.to_string().contains(want), "{expr}: {e}");
    }
}

#[test]
fn test_parse_schedule() {
    let tokyo: Tz = chrono_tz::Asia::Tokyo;
    type P = fn(&str) -> Result<Schedule, batchsim::schedule::ScheduleError>;
    let second: P = Schedule::parse_with_seconds;
    let standard: P = Schedule::parse_standard;
    let entries: [(P, &str, SpecBits, Option<Tz>); 10] = [
        (second, "0 5 * * * *", every5min(), None),
        (standard, "5 * * * *", every5min(), None),
        (
            second,
            "CRON_TZ=UTC  0 5 * * * *",
            every5min(),
            Some(chrono_tz::UTC),
        ),
        (
            standard,
            "CRON_TZ=UTC  5 * * * *",
            every5min(),
            Some(chrono_tz::UTC),
        ),
        (
            second,
            "CRON_TZ=Asia/Tokyo 0 5 * * * *",
            every5min(),
            Some(tokyo),
        ),
        (second, "@midnight", midnight(), None),
        (
            second,
            "TZ=UTC  @midnight",
            midnight(),
            Some(chrono_tz::UTC),
        ),
        (second, "TZ=Asia/Tokyo @midnight", midnight(), Some(tokyo)),
        (second, "@yearly", annual(), None),
        (second, "@annually", annual(), None),
    ];
    for (parser, expr, bits, loc) in entries {
        let s = parser(expr).expect(expr);
        assert_eq!(s.spec_bits(), Some(bits), "{expr}");
        assert_eq!(s.location(), loc, "{expr}");
    }
    let every = Schedule::parse_with_seconds("@every 5m").expect("@every 5m");
    assert_eq!(every, Schedule::every(5 * 60 * 1_000_000_000));
    let s = Schedule::parse_with_seconds("* 5 * * * *").expect("* 5 * * * *");
    assert_eq!(
        s.spec_bits(),
        Some(SpecBits {
            second: ALL_SECONDS,
            minute: 1 << 5,
            hour: ALL_HOURS,
            dom: ALL_DOM,
            month: ALL_MONTHS,
            dow: ALL_DOW,
        })
    );
    assert_eq!(s.location(), None);
}

#[test]
fn test_standard_spec_schedule() {
    let s = Schedule::parse_standard("5 * * * *").expect("5 * * * *");
    assert_eq!(s.spec_bits(), Some(every5min()));
    assert_eq!(s.location(), None);
    let e = Schedule::parse_standard("@every 5m").expect("@every 5m");
    assert_eq!(e, Schedule::every(5 * 60 * 1_000_000_000));
    assert!(e.is_constant_delay());
    for (expr, want) in [
        ("5 j * * *", "failed to parse int from"),
        ("* * * *", "expected exactly 5 fields"),
    ] {
        let err = Schedule::parse_standard(expr).expect_err(expr);
        assert!(err.to_string().contains(want), "{expr}: {err}");
    }
}

/// Grammar rows of robfig `parser.go` (fields, ranges, steps, descriptors) with its exact error
/// texts (the differential test checks the same texts against the real library).
#[test]
fn standard_parser_error_texts() {
    let rows = [
        ("", "empty spec string"),
        ("* * *", "expected exactly 5 fields, found 3: [* * *]"),
        (
            "0 0 * * * *",
            "expected exactly 5 fields, found 6: [0 0 * * * *]",
        ),
        ("61 * * * *", "end of range (61) above maximum (59): 61"),
        ("* * * * 7", "end of range (7) above maximum (6): 7"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        (
            "* 22-2 * * *",
            "beginning of range (22) beyond end of range (2): 22-2",
        ),
        (
            "* * * * sat-sun",
            "beginning of range (6) beyond end of range (0): sat-sun",
        ),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
        ("*/5/2 * * * *", "too many slashes: */5/2"),
        (
            "*/0 * * * *",
            "step of range should be a positive number: */0",
        ),
        ("*/-12 * * * *", "negative number (-12) not allowed: -12"),
        (
            "* * * * monday",
            "failed to parse int from monday: strconv.Atoi: parsing \"monday\": invalid syntax",
        ),
        (
            "* * * mon/x *",
            "failed to parse int from mon: strconv.Atoi: parsing \"mon\": invalid syntax",
        ),
        ("@daily ", "unrecognized descriptor: @daily "),
        ("@every", "unrecognized descriptor: @every"),
        (
            "@every 1d",
            "failed to parse duration @every 1d: time: unknown unit \"d\" in duration \"1d\"",
        ),
        (
            "TZ=Mars/Base 0 * * * *",
            "provided bad location Mars/Base: unknown time zone Mars/Base",
        ),
        (" @daily", "expected exactly 5 fields, found 1: [@daily]"),
    ];
    for (spec, want) in rows {
        let got = Schedule::parse_standard(spec).expect_err(spec);
        assert_eq!(got.to_string(), want, "{spec:?}");
    }
}

#[test]
fn standard_parser_accepts() {
    let ok = [
        "+5 * * * *",
        "05 * * * *",
        "1,,2 * * * *",
        "*-5 * * * *",
        "?-x * * * *",
        "? ? ? ? ?",
        "0 0 * * MON-fri",
        "0 0 * JAN-Mar *",
        "*/100 * * * *",
        "0\t0\n* * *",
        "@every 0",
        "@every -5m",
        "@every 1h30m",
        "TZ=America/New_York @every 1h",
        "CRON_TZ=Europe/Berlin   0 3 * * *",
        "TZ=Local 0 0 * * *",
    ];
    for spec in ok {
        assert!(Schedule::parse_standard(spec).is_ok(), "{spec:?}");
    }
    // Star flag: `*/1` keeps it, `*/2` clears it (OR rule then applies).
    let star = |s: &str| {
        Schedule::parse_standard(s)
            .unwrap()
            .spec_bits()
            .unwrap()
            .dom
            & STAR_BIT
    };
    assert_ne!(star("0 0 */1 * 1"), 0);
    assert_eq!(star("0 0 */2 * 1"), 0);
    assert_ne!(star("0 0 *-5 * 1"), 0);
    // `TZ=Local` means "no zone": the caller's zone applies.
    assert_eq!(
        Schedule::parse_standard("TZ=Local 0 0 * * *")
            .unwrap()
            .location(),
        None
    );
}

/// The parser must never panic, whatever the input.
#[test]
fn odd_strings_do_not_panic() {
    let odd = [
        "TZ=",
        "TZ= ",
        "CRON_TZ=",
        "TZ=x",
        "TZ=TZ=TZ=",
        "TZ=UTC",
        "@every",
        "@every ",
        "@every .",
        "@every -",
        "@every 1.s",
        "@every 99999999999h",
        "@every 9223372036854775807ns",
        "@every 9223372036854775808ns",
        "@every -9223372036854775808ns",
        "@every 1µs",
        "*/",
        "1-",
        "-",
        "/",
        ",",
        ",,,,, * * * *",
        "* * * * ,",
        "1- * * * *",
        "-1 * * * *",
        "*/ * * * *",
        "99999999999999999999 * * * *",
        "1/99999999999999999999 * * * *",
        "1/9223372036854775807 * * * *",
        "ünï ç ø d é",
        "日 本 語 * *",
        "\u{0} \u{1} * * *",
        "* * * * *\u{a0}",
        "\u{3000}* * * * *",
        "TZ=../../etc/passwd * * * * *",
        "TZ=/etc * * * * *",
        "@",
        "@@",
        "TZ=UTC @",
        "TZ=America/New_York\t0 * * * *",
        "0 0 31 2 *",
        "59 23 31 12 6",
    ];
    for spec in odd {
        let parsed = Schedule::parse_standard(spec);
        if let Ok(s) = &parsed {
            if let Some(n) = s.next(Time(0), chrono_tz::UTC) {
                assert!(n > Time(0), "{spec:?}: next(0) = {n:?}");
            }
            assert!(!s.describe().is_empty(), "{spec:?}: empty description");
        }
        // Kubernetes validation refuses at least what the controller's parse refuses.
        let errs = batchsim::schedule::validate_schedule_for_create(spec);
        assert!(parsed.is_ok() || !errs.is_empty(), "{spec:?}: validated");
        if let Err(e) = Schedule::parse_with_seconds(spec) {
            assert!(!e.0.is_empty(), "{spec:?}: error without a reason");
        }
    }
    // Extreme instants must not panic either, and a fire time is always later.
    let s = Schedule::parse_standard("0 0 29 2 *").unwrap();
    for t in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
        if let Some(n) = s.next(Time(t), chrono_tz::America::New_York) {
            assert!(n > Time(t), "next({t}) = {n:?}");
        }
    }
    // A constant delay from the clock's last instant saturates there rather than wrapping.
    let e = Schedule::parse_standard("@every 2562047h").unwrap();
    assert_eq!(e.next(Time(i64::MAX), chrono_tz::UTC), Some(Time(i64::MAX)));
}
