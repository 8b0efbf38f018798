//! Ports of Kubernetes `pkg/controller/cronjob/utils_test.go` (commit 8921bcdb70d8): every row of
//! TestMostRecentScheduleTime, TestNextScheduleTimeDuration, TestNextScheduleTime,
//! TestByJobStartTime and TestGetJobFromTemplate2, with the upstream expected values.

use crate::cronjob::fixtures::*;
use batchsim::cluster::model::{Job, Kind, CRONJOB_SCHEDULED_ANNOTATION};
use batchsim::controllers::cronjob::utils::{
    by_job_start_time, get_job_from_template2, get_job_name, most_recent_schedule_time,
    next_schedule_time, next_schedule_time_duration, MissedSchedules, NEXT_SCHEDULE_DELTA,
};
use batchsim::schedule::Schedule;
use batchsim::sim::time::{Time, DAY, MINUTE};
use chrono_tz::Tz;

const LOCAL: Tz = Tz::UTC;

fn parse(s: &str) -> Schedule {
    Schedule::parse_standard(s).unwrap_or_else(|e| panic!("parse {s}: {e}"))
}

struct MostRecentRow {
    name: &'static str,
    cj: batchsim::cluster::model::CronJob,
    include_sds: bool,
    now: Time,
    expected_earliest: Time,
    expected_recent: Option<Time>,
    expected_missed: MissedSchedules,
    want_err: bool,
}

/// Upstream TestMostRecentScheduleTime's rows: a CronJob, `now`, and the earliest time, most
/// recent slot and missed-schedules answer expected of `mostRecentScheduleTime`.
#[rustfmt::skip]
fn most_recent_rows() -> Vec<MostRecentRow> {
    use MissedSchedules::{Few, Many};
    let top = top_of_the_hour();
    let half_past = delta_after_top(30 * MINUTE);
    let minute_after = delta_after_top(MINUTE);
    let row = |name, cj, now, expected_earliest, expected_recent, expected_missed| MostRecentRow {
        name, cj, include_sds: false, now, expected_earliest, expected_recent, expected_missed, want_err: false,
    };
    vec![
        row("now before next schedule", cj_with("0 * * * *", top, None, None), top.plus(30 * SECS), top, None, MissedSchedules::None),
        row("now just after next schedule", cj_with("0 * * * *", top, None, None), top.plus(61 * MINUTE), top, Some(delta_after_top(60 * MINUTE)), MissedSchedules::None),
        row("missed 5 schedules", cj_with("0 * * * *", delta_after_top(10 * SECS), None, None), delta_after_top(301 * MINUTE), delta_after_top(10 * SECS), Some(delta_after_top(300 * MINUTE)), Few),
        row("complex schedule", cj_with("30 6-16/4 * * 1-5", top, Some(half_past), None), delta_after_top(24 * HOURS + 31 * MINUTE), delta_after_top(30 * MINUTE), Some(delta_after_top(24 * HOURS + 30 * MINUTE)), Few),
        row("another complex schedule", cj_with("30 10,11,12 * * 1-5", top, Some(half_past), None), delta_after_top(30 * HOURS + 30 * MINUTE), delta_after_top(30 * MINUTE), None, Few),
        row("complex schedule with longer diff between executions", cj_with("30 6-16/4 * * 1-5", top, Some(half_past), None), delta_after_top(96 * HOURS + 31 * MINUTE), delta_after_top(30 * MINUTE), Some(delta_after_top(96 * HOURS + 30 * MINUTE)), Few),
        row("complex schedule with shorter diff between executions", cj_with("30 6-16/4 * * 1-5", top, None, None), delta_after_top(24 * HOURS + 31 * MINUTE), top, Some(delta_after_top(24 * HOURS + 30 * MINUTE)), Few),
        row("@every schedule", cj_with("@every 1h", delta_after_top(-59 * MINUTE), Some(minute_after), Some(10)), delta_after_top(7 * DAY), delta_after_top(MINUTE), Some(delta_after_top(6 * DAY + 23 * HOURS + MINUTE)), Many),
        MostRecentRow { want_err: true, ..row("rogue cronjob", cj_with("59 23 31 2 *", delta_after_top(10 * SECS), None, None), delta_after_top(HOURS), top, None, MissedSchedules::None) }, // earliest is not checked upstream when an error is wanted
        row("earliestTime being CreationTimestamp and LastScheduleTime", cj_with("0 * * * *", top, Some(top), None), delta_after_top(30 * SECS), top, None, MissedSchedules::None),
        row("earliestTime being LastScheduleTime", cj_with("*/5 * * * *", top, Some(half_past), None), delta_after_top(31 * MINUTE), delta_after_top(30 * MINUTE), None, MissedSchedules::None),
        row("earliestTime being LastScheduleTime (within StartingDeadlineSeconds)", cj_with("*/5 * * * *", top, Some(half_past), Some(60)), delta_after_top(31 * MINUTE), delta_after_top(30 * MINUTE), None, MissedSchedules::None),
        MostRecentRow { include_sds: true, ..row("earliestTime being LastScheduleTime (outside StartingDeadlineSeconds)", cj_with("*/5 * * * *", top, Some(half_past), Some(60)), delta_after_top(32 * MINUTE), delta_after_top(31 * MINUTE), None, MissedSchedules::None) },
    ]
}

#[test]
fn test_most_recent_schedule_time() {
    let rows = most_recent_rows();
    assert_eq!(rows.len(), 13);
    for row in rows {
        let sched = parse(&row.cj.spec.schedule);
        let got =
            most_recent_schedule_time(&row.cj, row.now, &sched.in_zone(LOCAL), row.include_sds);
        if row.want_err {
            assert!(got.is_err(), "{}: expected an error, got {got:?}", row.name);
            continue;
        }
        let (earliest, recent, missed) =
            got.unwrap_or_else(|e| panic!("{}: unexpected error {e}", row.name));
        assert_eq!(earliest, row.expected_earliest, "{}: earliest", row.name);
        assert_eq!(recent, row.expected_recent, "{}: most recent", row.name);
        assert_eq!(missed, row.expected_missed, "{}: missed", row.name);
    }
}

#[test]
fn rogue_schedule_error_text() {
    // utils.go's error text, which sync puts into the InvalidSchedule event.
    let cj = cj_with("59 23 31 2 *", delta_after_top(10 * SECS), None, None);
    let got = most_recent_schedule_time(
        &cj,
        delta_after_top(HOURS),
        &parse("59 23 31 2 *").in_zone(LOCAL),
        false,
    );
    assert_eq!(
        got,
        Err("time difference between two schedules is less than 1 second".to_string())
    );
}

#[test]
fn test_next_schedule_time_duration() {
    let top = top_of_the_hour();
    let half_past = delta_after_top(30 * MINUTE);
    let two_hours_later = delta_after_top(2 * HOURS);
    let rows = [
        (
            "complex schedule skipping weekend",
            cj_with("30 6-16/4 * * 1-5", top, Some(half_past), None),
            delta_after_top(24 * HOURS + 31 * MINUTE),
            3 * HOURS + 59 * MINUTE + NEXT_SCHEDULE_DELTA,
        ),
        (
            "another complex schedule skipping weekend",
            cj_with("30 10,11,12 * * 1-5", top, Some(half_past), None),
            delta_after_top(30 * HOURS + 30 * MINUTE),
            66 * HOURS + NEXT_SCHEDULE_DELTA,
        ),
        (
            "once a week cronjob, missed two runs",
            cj_with("0 12 * * 4", top, Some(two_hours_later), None),
            delta_after_top(19 * DAY + HOURS + 30 * MINUTE),
            48 * HOURS + 30 * MINUTE + NEXT_SCHEDULE_DELTA,
        ),
        (
            "no previous run of a cronjob",
            cj_with("0 12 * * 5", top, None, None),
            delta_after_top(6 * HOURS),
            20 * HOURS + NEXT_SCHEDULE_DELTA,
        ),
    ];
    for (name, cj, now, expected) in rows {
        let sched = parse(&cj.spec.schedule);
        let got = next_schedule_time_duration(&cj, now, &sched.in_zone(LOCAL), NEXT_SCHEDULE_DELTA);
        assert!(got >= 0, "{name}: negative duration {got}");
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn ideal_profile_requeue_has_no_delta() {
    // "no previous run of a cronjob" with delta 0: exactly the next slot.
    let cj = cj_with("0 12 * * 5", top_of_the_hour(), None, None);
    let got = next_schedule_time_duration(
        &cj,
        delta_after_top(6 * HOURS),
        &parse("0 12 * * 5").in_zone(LOCAL),
        0,
    );
    assert_eq!(got, 20 * HOURS);
}

#[test]
fn test_next_schedule_time() {
    // Upstream keeps mutating one CronJob across the cases; each case here sets the same fields.
    let t1 = top_of_the_hour();
    let t2 = delta_after_top(HOURS);
    let sched = parse("0 * * * ?");
    let mut cj = cj_with("0 * * * ?", t1.plus(-10 * MINUTE), None, None);

    // Case 1: no known start times, and none needed yet.
    let got = next_schedule_time(&cj, t1.plus(-7 * MINUTE), &sched.in_zone(LOCAL)).unwrap();
    assert_eq!(got, None, "case 1");

    // Case 2: no known start times, and one needed.
    let got = next_schedule_time(&cj, t1.plus(2 * SECS), &sched.in_zone(LOCAL)).unwrap();
    assert_eq!(got.map(|g| g.0), Some(t1), "case 2");

    // Case 3: known LastScheduleTime, no start needed.
    cj.status.last_schedule_time = Some(t1);
    let got = next_schedule_time(&cj, t1.plus(2 * MINUTE), &sched.in_zone(LOCAL)).unwrap();
    assert_eq!(got, None, "case 3");

    // Case 4: known LastScheduleTime, a start needed.
    let got = next_schedule_time(&cj, t2.plus(5 * MINUTE), &sched.in_zone(LOCAL)).unwrap();
    assert_eq!(got.map(|g| g.0), Some(t2), "case 4");

    // Case 5: known LastScheduleTime, two starts needed.
    cj.meta.creation = t1.plus(-2 * HOURS);
    cj.status.last_schedule_time = Some(t1.plus(-HOURS));
    let got = next_schedule_time(&cj, t2.plus(5 * MINUTE), &sched.in_zone(LOCAL)).unwrap();
    assert_eq!(got.map(|g| g.0), Some(t2), "case 5");

    // Case 6: now is way way ahead of last start time, and there is no deadline.
    let got = next_schedule_time(&cj, t2.plus(10 * DAY), &sched.in_zone(LOCAL)).unwrap();
    assert!(got.is_some(), "case 6: expected more than 0 missed times");

    // Case 7: now is way way ahead of last start time, but there is a short deadline.
    cj.spec.starting_deadline_seconds = Some(2 * 60 * 60);
    let got = next_schedule_time(&cj, t2.plus(10 * DAY), &sched.in_zone(LOCAL)).unwrap();
    assert!(got.is_some(), "case 7: expected more than 0 missed times");

    // Case 8: ensure the error from mostRecentScheduleTime gets populated up.
    cj.meta.creation = t1.plus(10 * SECS);
    cj.status.last_schedule_time = None;
    let got = next_schedule_time(
        &cj,
        delta_after_top(HOURS),
        &parse("59 23 31 2 *").in_zone(LOCAL),
    );
    assert!(got.is_err(), "case 8: expected error, got {got:?}");
}

#[test]
fn test_by_job_start_time() {
    let now = utc(2018, 1, 1, 2, 3, 4);
    let later = utc(2019, 1, 1, 2, 3, 4);
    let a_nil = bare_job("a", 1, None);
    let b_nil = bare_job("b", 2, None);
    let a_set = bare_job("a", 3, Some(now));
    let b_set = bare_job("b", 4, Some(now));
    let a_set_later = bare_job("a", 5, Some(later));
    let rows: [(&str, Vec<&Job>, Vec<&Job>); 5] = [
        (
            "both have nil start times",
            vec![&b_nil, &a_nil],
            vec![&a_nil, &b_nil],
        ),
        (
            "only the first has a nil start time",
            vec![&a_nil, &b_set],
            vec![&b_set, &a_nil],
        ),
        (
            "only the second has a nil start time",
            vec![&a_set, &b_nil],
            vec![&a_set, &b_nil],
        ),
        (
            "both have non-nil, equal start time",
            vec![&b_set, &a_set],
            vec![&a_set, &b_set],
        ),
        (
            "both have non-nil, different start time",
            vec![&a_set_later, &b_set],
            vec![&b_set, &a_set_later],
        ),
    ];
    for (name, mut input, expected) in rows {
        input.sort_by(|x, y| by_job_start_time(x, y));
        let got: Vec<u64> = input.iter().map(|j| j.meta.uid.0).collect();
        let want: Vec<u64> = expected.iter().map(|j| j.meta.uid.0).collect();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn test_get_job_from_template2() {
    let scheduled = top_of_the_hour();
    // (name, timeZone, template annotations, expected timestamp, expected annotation count)
    type TemplateRow<'a> = (
        &'a str,
        Option<&'a str>,
        &'a [(&'a str, &'a str)],
        &'a str,
        usize,
    );
    let rows: [TemplateRow; 3] = [
        (
            "UTC timezone and one annotation",
            Some("UTC"),
            &[("x", "y")],
            "2016-05-19T10:00:00Z",
            2,
        ),
        (
            "nil timezone and one annotation",
            None,
            &[("x", "y")],
            "2016-05-19T10:00:00Z",
            2,
        ),
        (
            "correct timezone and multiple annotation",
            Some("Europe/Rome"),
            &[("x", "y"), ("z", "x")],
            "2016-05-19T12:00:00+02:00",
            3,
        ),
    ];
    for (name, tz, annotations, expected_ts, expected_n) in rows {
        let mut cj = cron_job();
        cj.spec.time_zone = tz.map(str::to_string);
        cj.spec.job_template.annotations = annotations
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        let job = get_job_from_template2(&cj, scheduled, scheduled, LOCAL);
        assert!(
            job.meta.name.starts_with("mycronjob-"),
            "{name}: wrong name"
        );
        assert_eq!(job.meta.labels.len(), 1, "{name}: labels");
        assert_eq!(
            job.meta.annotations.len(),
            expected_n,
            "{name}: annotations"
        );
        assert_eq!(
            job.meta
                .annotations
                .get(CRONJOB_SCHEDULED_ANNOTATION)
                .map(|v| v.as_str()),
            Some(expected_ts),
            "{name}: scheduled timestamp"
        );
        // Controller ownerRef (the test in cronjob_controllerv2_test.go checks these fields).
        let owner = job.meta.owner.as_ref().expect("controller ref");
        assert_eq!(owner.kind, Kind::CronJob);
        assert_eq!(owner.name, "mycronjob");
        assert_eq!(owner.uid, cj.meta.uid);
        assert_eq!(job.meta.namespace, "snazzycats");
        assert_eq!(job.spec, cj.spec.job_template.spec, "{name}: spec copied");
        let origin = job.origin.as_ref().expect("origin");
        assert_eq!(
            (origin.cronjob.as_str(), origin.scheduled),
            ("mycronjob", scheduled)
        );
    }
}

#[test]
fn job_names_use_unix_minutes() {
    // `getJobName` (pkg/controller/cronjob/utils.go) appends the scheduled time in Unix
    // minutes: 10:00Z → mycronjob-24394200; 09:01Z → mycronjob-24394141.
    let cj = cron_job();
    assert_eq!(get_job_name(&cj, top_of_the_hour()), "mycronjob-24394200");
    assert_eq!(
        get_job_name(&cj, just_after_the_prior_hour()),
        "mycronjob-24394141"
    );
    assert_eq!(
        get_job_name(&cj, utc(2025, 1, 1, 0, 0, 0)),
        "mycronjob-28928160"
    );
}

/// The scheduled-timestamp annotation: Go `Format(time.RFC3339)` in the CronJob's zone, whole
/// seconds, `Z` only for a zero offset.
#[test]
fn scheduled_timestamp_is_rfc3339_in_the_zone() {
    use batchsim::controllers::cronjob::utils::format_rfc3339_in;
    use batchsim::sim::time::Time;
    let t = Time(1_637_841_600_500); // 2021-11-25T12:00:00.500Z
    let cases = [
        (chrono_tz::UTC, "2021-11-25T12:00:00Z"),
        (chrono_tz::Europe::Berlin, "2021-11-25T13:00:00+01:00"),
        (chrono_tz::America::New_York, "2021-11-25T07:00:00-05:00"),
        (chrono_tz::Asia::Kolkata, "2021-11-25T17:30:00+05:30"),
        (chrono_tz::Pacific::Chatham, "2021-11-26T01:45:00+13:45"),
    ];
    for (zone, want) in cases {
        assert_eq!(format_rfc3339_in(t, zone), want, "{zone}");
    }
    // Summer time in Berlin, and an instant before 1970.
    assert_eq!(
        format_rfc3339_in(Time(1_625_140_800_000), chrono_tz::Europe::Berlin),
        "2021-07-01T14:00:00+02:00"
    );
    assert_eq!(
        format_rfc3339_in(Time(-1_500), chrono_tz::UTC),
        "1969-12-31T23:59:58Z"
    );
}
