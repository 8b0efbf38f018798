//! Every vector of robfig/cron v3.0.1 `spec_test.go` (TestActivation, TestNext, TestErrors,
//! TestNextWithTz, TestSlash0NoHang), plus derived DST and search-window regression rows
//! (checked against the real library by the differential oracle).

use crate::schedule::robfig_time::{get_time, LOCAL};
use batchsim::schedule::Schedule;
use batchsim::sim::time::Time;
use chrono_tz::Tz;

#[test]
fn test_activation() {
    let tests: &[(&str, &str, bool)] = &[
        // Every fifteen minutes.
        ("Mon Jul 9 15:00 2012", "0/15 * * * *", true),
        ("Mon Jul 9 15:45 2012", "0/15 * * * *", true),
        ("Mon Jul 9 15:40 2012", "0/15 * * * *", false),
        // Every fifteen minutes, starting at 5 minutes.
        ("Mon Jul 9 15:05 2012", "5/15 * * * *", true),
        ("Mon Jul 9 15:20 2012", "5/15 * * * *", true),
        ("Mon Jul 9 15:50 2012", "5/15 * * * *", true),
        // Named months
        ("Sun Jul 15 15:00 2012", "0/15 * * Jul *", true),
        ("Sun Jul 15 15:00 2012", "0/15 * * Jun *", false),
        // Everything set.
        ("Sun Jul 15 08:30 2012", "30 08 ? Jul Sun", true),
        ("Sun Jul 15 08:30 2012", "30 08 15 Jul ?", true),
        ("Mon Jul 16 08:30 2012", "30 08 ? Jul Sun", false),
        ("Mon Jul 16 08:30 2012", "30 08 15 Jul ?", false),
        // Predefined schedules
        ("Mon Jul 9 15:00 2012", "@hourly", true),
        ("Mon Jul 9 15:04 2012", "@hourly", false),
        ("Mon Jul 9 15:00 2012", "@daily", false),
        ("Mon Jul 9 00:00 2012", "@daily", true),
        ("Mon Jul 9 00:00 2012", "@weekly", false),
        ("Sun Jul 8 00:00 2012", "@weekly", true),
        ("Sun Jul 8 01:00 2012", "@weekly", false),
        ("Sun Jul 8 00:00 2012", "@monthly", false),
        ("Sun Jul 1 00:00 2012", "@monthly", true),
        // Test interaction of DOW and DOM.
        // If both are restricted, then only one needs to match.
        ("Sun Jul 15 00:00 2012", "* * 1,15 * Sun", true),
        ("Fri Jun 15 00:00 2012", "* * 1,15 * Sun", true),
        ("Wed Aug 1 00:00 2012", "* * 1,15 * Sun", true),
        ("Sun Jul 15 00:00 2012", "* * */10 * Sun", true), // verifies #70
        // However, if one has a star, then both need to match.
        ("Sun Jul 15 00:00 2012", "* * * * Mon", false),
        ("Mon Jul 9 00:00 2012", "* * 1,15 * *", false),
        ("Sun Jul 15 00:00 2012", "* * 1,15 * *", true),
        ("Sun Jul 15 00:00 2012", "* * */2 * Sun", true),
    ];
    for &(time, spec, expected) in tests {
        let sched = Schedule::parse_standard(spec).expect(spec);
        let (t, zone) = get_time(time);
        let actual = sched.next(t.plus(-1000), zone);
        assert_eq!(
            actual == Some(t),
            expected,
            "{spec} on {time}: got {actual:?}"
        );
    }
}

/// (time, spec for the seconds parser, expected; "" = zero time)
const NEXT: &[(&str, &str, &str)] = &[
    // Simple cases
    (
        "Mon Jul 9 14:45 2012",
        "0 0/15 * * * *",
        "Mon Jul 9 15:00 2012",
    ),
    (
        "Mon Jul 9 14:59 2012",
        "0 0/15 * * * *",
        "Mon Jul 9 15:00 2012",
    ),
    (
        "Mon Jul 9 14:59:59 2012",
        "0 0/15 * * * *",
        "Mon Jul 9 15:00 2012",
    ),
    // Wrap around hours
    (
        "Mon Jul 9 15:45 2012",
        "0 20-35/15 * * * *",
        "Mon Jul 9 16:20 2012",
    ),
    // Wrap around days
    (
        "Mon Jul 9 23:46 2012",
        "0 */15 * * * *",
        "Tue Jul 10 00:00 2012",
    ),
    (
        "Mon Jul 9 23:45 2012",
        "0 20-35/15 * * * *",
        "Tue Jul 10 00:20 2012",
    ),
    (
        "Mon Jul 9 23:35:51 2012",
        "15/35 20-35/15 * * * *",
        "Tue Jul 10 00:20:15 2012",
    ),
    (
        "Mon Jul 9 23:35:51 2012",
        "15/35 20-35/15 1/2 * * *",
        "Tue Jul 10 01:20:15 2012",
    ),
    (
        "Mon Jul 9 23:35:51 2012",
        "15/35 20-35/15 10-12 * * *",
        "Tue Jul 10 10:20:15 2012",
    ),
    (
        "Mon Jul 9 23:35:51 2012",
        "15/35 20-35/15 1/2 */2 * *",
        "Thu Jul 11 01:20:15 2012",
    ),
    (
        "Mon Jul 9 23:35:51 2012",
        "15/35 20-35/15 * 9-20 * *",
        "Wed Jul 10 00:20:15 2012",
    ),
    (
        "Mon Jul 9 23:35:51 2012",
        "15/35 20-35/15 * 9-20 Jul *",
        "Wed Jul 10 00:20:15 2012",
    ),
    // Wrap around months
    (
        "Mon Jul 9 23:35 2012",
        "0 0 0 9 Apr-Oct ?",
        "Thu Aug 9 00:00 2012",
    ),
    (
        "Mon Jul 9 23:35 2012",
        "0 0 0 */5 Apr,Aug,Oct Mon",
        "Tue Aug 1 00:00 2012",
    ),
    (
        "Mon Jul 9 23:35 2012",
        "0 0 0 */5 Oct Mon",
        "Mon Oct 1 00:00 2012",
    ),
    // Wrap around years
    (
        "Mon Jul 9 23:35 2012",
        "0 0 0 * Feb Mon",
        "Mon Feb 4 00:00 2013",
    ),
    (
        "Mon Jul 9 23:35 2012",
        "0 0 0 * Feb Mon/2",
        "Fri Feb 1 00:00 2013",
    ),
    // Wrap around minute, hour, day, month, and year
    (
        "Mon Dec 31 23:59:45 2012",
        "0 * * * * *",
        "Tue Jan 1 00:00:00 2013",
    ),
    // Leap year
    (
        "Mon Jul 9 23:35 2012",
        "0 0 0 29 Feb ?",
        "Mon Feb 29 00:00 2016",
    ),
    // Daylight savings time 2am EST (-5) -> 3am EDT (-4)
    (
        "2012-03-11T00:00:00-0500",
        "TZ=America/New_York 0 30 2 11 Mar ?",
        "2013-03-11T02:30:00-0400",
    ),
    // hourly job
    (
        "2012-03-11T00:00:00-0500",
        "TZ=America/New_York 0 0 * * * ?",
        "2012-03-11T01:00:00-0500",
    ),
    (
        "2012-03-11T01:00:00-0500",
        "TZ=America/New_York 0 0 * * * ?",
        "2012-03-11T03:00:00-0400",
    ),
    (
        "2012-03-11T03:00:00-0400",
        "TZ=America/New_York 0 0 * * * ?",
        "2012-03-11T04:00:00-0400",
    ),
    (
        "2012-03-11T04:00:00-0400",
        "TZ=America/New_York 0 0 * * * ?",
        "2012-03-11T05:00:00-0400",
    ),
    // hourly job using CRON_TZ
    (
        "2012-03-11T00:00:00-0500",
        "CRON_TZ=America/New_York 0 0 * * * ?",
        "2012-03-11T01:00:00-0500",
    ),
    (
        "2012-03-11T01:00:00-0500",
        "CRON_TZ=America/New_York 0 0 * * * ?",
        "2012-03-11T03:00:00-0400",
    ),
    (
        "2012-03-11T03:00:00-0400",
        "CRON_TZ=America/New_York 0 0 * * * ?",
        "2012-03-11T04:00:00-0400",
    ),
    (
        "2012-03-11T04:00:00-0400",
        "CRON_TZ=America/New_York 0 0 * * * ?",
        "2012-03-11T05:00:00-0400",
    ),
    // 1am nightly job
    (
        "2012-03-11T00:00:00-0500",
        "TZ=America/New_York 0 0 1 * * ?",
        "2012-03-11T01:00:00-0500",
    ),
    (
        "2012-03-11T01:00:00-0500",
        "TZ=America/New_York 0 0 1 * * ?",
        "2012-03-12T01:00:00-0400",
    ),
    // 2am nightly job (skipped)
    (
        "2012-03-11T00:00:00-0500",
        "TZ=America/New_York 0 0 2 * * ?",
        "2012-03-12T02:00:00-0400",
    ),
    // Daylight savings time 2am EDT (-4) => 1am EST (-5)
    (
        "2012-11-04T00:00:00-0400",
        "TZ=America/New_York 0 30 2 04 Nov ?",
        "2012-11-04T02:30:00-0500",
    ),
    (
        "2012-11-04T01:45:00-0400",
        "TZ=America/New_York 0 30 1 04 Nov ?",
        "2012-11-04T01:30:00-0500",
    ),
    // hourly job
    (
        "2012-11-04T00:00:00-0400",
        "TZ=America/New_York 0 0 * * * ?",
        "2012-11-04T01:00:00-0400",
    ),
    (
        "2012-11-04T01:00:00-0400",
        "TZ=America/New_York 0 0 * * * ?",
        "2012-11-04T01:00:00-0500",
    ),
    (
        "2012-11-04T01:00:00-0500",
        "TZ=America/New_York 0 0 * * * ?",
        "2012-11-04T02:00:00-0500",
    ),
    // 1am nightly job (runs twice)
    (
        "2012-11-04T00:00:00-0400",
        "TZ=America/New_York 0 0 1 * * ?",
        "2012-11-04T01:00:00-0400",
    ),
    (
        "2012-11-04T01:00:00-0400",
        "TZ=America/New_York 0 0 1 * * ?",
        "2012-11-04T01:00:00-0500",
    ),
    (
        "2012-11-04T01:00:00-0500",
        "TZ=America/New_York 0 0 1 * * ?",
        "2012-11-05T01:00:00-0500",
    ),
    // 2am nightly job
    (
        "2012-11-04T00:00:00-0400",
        "TZ=America/New_York 0 0 2 * * ?",
        "2012-11-04T02:00:00-0500",
    ),
    (
        "2012-11-04T02:00:00-0500",
        "TZ=America/New_York 0 0 2 * * ?",
        "2012-11-05T02:00:00-0500",
    ),
    // 3am nightly job
    (
        "2012-11-04T00:00:00-0400",
        "TZ=America/New_York 0 0 3 * * ?",
        "2012-11-04T03:00:00-0500",
    ),
    (
        "2012-11-04T03:00:00-0500",
        "TZ=America/New_York 0 0 3 * * ?",
        "2012-11-05T03:00:00-0500",
    ),
    // hourly job
    (
        "TZ=America/New_York 2012-11-04T00:00:00-0400",
        "0 0 * * * ?",
        "2012-11-04T01:00:00-0400",
    ),
    (
        "TZ=America/New_York 2012-11-04T01:00:00-0400",
        "0 0 * * * ?",
        "2012-11-04T01:00:00-0500",
    ),
    (
        "TZ=America/New_York 2012-11-04T01:00:00-0500",
        "0 0 * * * ?",
        "2012-11-04T02:00:00-0500",
    ),
    // 1am nightly job (runs twice)
    (
        "TZ=America/New_York 2012-11-04T00:00:00-0400",
        "0 0 1 * * ?",
        "2012-11-04T01:00:00-0400",
    ),
    (
        "TZ=America/New_York 2012-11-04T01:00:00-0400",
        "0 0 1 * * ?",
        "2012-11-04T01:00:00-0500",
    ),
    (
        "TZ=America/New_York 2012-11-04T01:00:00-0500",
        "0 0 1 * * ?",
        "2012-11-05T01:00:00-0500",
    ),
    // 2am nightly job
    (
        "TZ=America/New_York 2012-11-04T00:00:00-0400",
        "0 0 2 * * ?",
        "2012-11-04T02:00:00-0500",
    ),
    (
        "TZ=America/New_York 2012-11-04T02:00:00-0500",
        "0 0 2 * * ?",
        "2012-11-05T02:00:00-0500",
    ),
    // 3am nightly job
    (
        "TZ=America/New_York 2012-11-04T00:00:00-0400",
        "0 0 3 * * ?",
        "2012-11-04T03:00:00-0500",
    ),
    (
        "TZ=America/New_York 2012-11-04T03:00:00-0500",
        "0 0 3 * * ?",
        "2012-11-05T03:00:00-0500",
    ),
    // Unsatisfiable
    ("Mon Jul 9 23:35 2012", "0 0 0 30 Feb ?", ""),
    ("Mon Jul 9 23:35 2012", "0 0 0 31 Apr ?", ""),
    // Monthly job
    (
        "TZ=America/New_York 2012-11-04T00:00:00-0400",
        "0 0 3 3 * ?",
        "2012-12-03T03:00:00-0500",
    ),
    // Test the scenario of DST resulting in midnight not being a valid time.
    // https://github.com/robfig/cron/issues/157
    (
        "2018-10-17T05:00:00-0400",
        "TZ=America/Sao_Paulo 0 0 9 10 * ?",
        "2018-11-10T06:00:00-0500",
    ),
    (
        "2018-02-14T05:00:00-0500",
        "TZ=America/Sao_Paulo 0 0 9 22 * ?",
        "2018-02-22T07:00:00-0500",
    ),
];

#[test]
fn test_next() {
    assert_eq!(NEXT.len(), 58);
    for &(time, spec, expected) in NEXT {
        let sched = Schedule::parse_with_seconds(spec).expect(spec);
        let (t, zone) = get_time(time);
        let actual = sched.next(t, zone);
        let expected = (!expected.is_empty()).then(|| get_time(expected).0);
        assert_eq!(actual, expected, "{time}, {spec:?}");
    }
}

/// The standard-parser form of every TestNext row that has second 0 (drop the seconds field):
/// the same instants must come out of `parse_standard`, which is what Kubernetes calls.
#[test]
fn test_next_standard_parser_forms() {
    let mut n = 0;
    for &(time, spec, expected) in NEXT {
        let (prefix, rest) = match spec.split_once(' ') {
            Some((p, r)) if p.contains('=') => (format!("{p} "), r),
            _ => (String::new(), spec),
        };
        let Some(("0", five)) = rest.split_once(' ') else {
            continue;
        };
        let standard = format!("{prefix}{five}");
        let sched = Schedule::parse_standard(&standard).expect(&standard);
        let (t, zone) = get_time(time);
        let expected = (!expected.is_empty()).then(|| get_time(expected).0);
        assert_eq!(sched.next(t, zone), expected, "{time}, {standard:?}");
        n += 1;
    }
    assert_eq!(n, 52);
}

#[test]
fn test_errors() {
    for spec in ["xyz", "60 0 * * *", "0 60 * * *", "0 0 * * XYZ"] {
        assert!(Schedule::parse_standard(spec).is_err(), "{spec}");
    }
}

#[test]
fn test_next_with_tz() {
    // Go parses "+0530" into a fixed zone; Asia/Kolkata has been +05:30 since 1945.
    let kolkata: Tz = chrono_tz::Asia::Kolkata;
    let iso = |v: &str| {
        Time(
            chrono::DateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S%z")
                .expect(v)
                .timestamp_millis(),
        )
    };
    let runs = [
        // Failing tests
        (
            "2016-01-03T13:09:03+0530",
            "14 14 * * *",
            "2016-01-03T14:14:00+0530",
        ),
        (
            "2016-01-03T04:09:03+0530",
            "14 14 * * ?",
            "2016-01-03T14:14:00+0530",
        ),
        // Passing tests
        (
            "2016-01-03T14:09:03+0530",
            "14 14 * * *",
            "2016-01-03T14:14:00+0530",
        ),
        (
            "2016-01-03T14:00:00+0530",
            "14 14 * * ?",
            "2016-01-03T14:14:00+0530",
        ),
    ];
    for (time, spec, expected) in runs {
        let sched = Schedule::parse_standard(spec).expect(spec);
        assert_eq!(
            sched.next(iso(time), kolkata),
            Some(iso(expected)),
            "{time} {spec}"
        );
    }
}

#[test]
fn test_slash0_no_hang() {
    assert!(Schedule::parse_standard("TZ=America/New_York 15/0 * * * *").is_err());
}

/// Derived rows (DST gaps and overlaps, the 5-year window of `spec.go`): real robfig behaviour,
/// confirmed by the differential oracle (`tests/schedule_differential.rs`).
#[test]
fn derived_dst_and_window_regressions() {
    let iso = |v: &str| {
        Time(
            chrono::DateTime::parse_from_rfc3339(v)
                .expect(v)
                .timestamp_millis(),
        )
    };
    let rows: &[(&str, &str, Option<&str>)] = &[
        // Sao Paulo: 2018-11-04 has no midnight, so no daily run that day.
        (
            "TZ=America/Sao_Paulo 0 0 * * *",
            "2018-11-03T12:00:00-03:00",
            Some("2018-11-05T00:00:00-02:00"),
        ),
        // Sao Paulo: Saturday 01:00 walk crosses a missing midnight and lands on Sunday.
        (
            "TZ=America/Sao_Paulo 0 1 * * 6",
            "2018-11-03T02:00:00-03:00",
            Some("2018-11-04T01:00:00-02:00"),
        ),
        // Asuncion: month step onto a missing midnight skips October 1–30.
        (
            "TZ=America/Asuncion 0 12 * 10 *",
            "2017-09-15T00:00:00-04:00",
            Some("2017-10-31T12:00:00-03:00"),
        ),
        // Lord Howe (30-minute DST): no 02:00 run on 2024-10-06.
        (
            "TZ=Australia/Lord_Howe 0 2 * * *",
            "2024-10-05T12:00:00+10:30",
            Some("2024-10-07T02:00:00+11:00"),
        ),
        // 29 Feb from 2096-03-01: next is 2104, beyond the 5-year window.
        ("0 0 29 2 *", "2096-03-01T00:00:00Z", None),
        (
            "0 0 29 2 *",
            "2023-03-01T00:00:00Z",
            Some("2024-02-29T00:00:00Z"),
        ),
        // Never fires.
        ("59 23 31 2 *", "2021-01-01T00:00:00Z", None),
        ("0 0 30 2 *", "2021-01-01T00:00:00Z", None),
        ("0 0 31 4 *", "2021-01-01T00:00:00Z", None),
        // New York gap and overlap with the standard parser.
        (
            "TZ=America/New_York 0 2 * * *",
            "2012-03-11T00:00:00-05:00",
            Some("2012-03-12T02:00:00-04:00"),
        ),
        (
            "TZ=America/New_York 30 1 * * *",
            "2012-11-04T01:15:00-05:00",
            Some("2012-11-04T01:30:00-05:00"),
        ),
    ];
    for &(spec, from, expected) in rows {
        let sched = Schedule::parse_standard(spec).expect(spec);
        assert_eq!(
            sched.next(iso(from), LOCAL),
            expected.map(iso),
            "{spec} from {from}"
        );
    }
}
