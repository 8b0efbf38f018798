//! CronJob controller in the engine, from the lecture and pitfall manifests, with exact times
//! derived from upstream `pkg/controller/cronjob/cronjob_controllerv2.go` (requeue at the slot
//! plus `nextScheduleDelta`, concurrency policies, history limits) and robfig/cron's DST rules.
//! Times are seconds after the start 2021-11-25T12:00:00Z unless noted.
use batchsim::output::timefmt::rfc3339_millis;
use batchsim::output::timeline::{simulate, RunResult};
use batchsim::scenario::load::{load, CliOverrides};
use std::path::PathBuf;

fn run(file: &str, profile: &str, until: Option<&str>) -> RunResult {
    let cli = CliOverrides {
        profile: Some(profile.into()),
        until: until.map(String::from),
        ..CliOverrides::default()
    };
    let loaded = load(&[PathBuf::from(file)], &cli).expect("scenario loads");
    simulate(&loaded.scenario)
}

fn rel(start_ms: i64, t: batchsim::sim::time::Time) -> f64 {
    (t.0 - start_ms) as f64 / 1000.0
}

const LECTURE: i64 = 1_637_841_600_000;

/// hello-2, Replace, `sleep 100` every minute (ideal): a Job every 60 s from 60 s; at each slot
/// the previous Job is deleted and its pod, ignoring SIGTERM, is Terminating for 30 s, then
/// gone with exit 137; never more than one Job active.
#[test]
fn replace_kills_the_previous_run_every_minute() {
    let r = run(
        "scenarios/lecture/cronjob-replace.yaml",
        "ideal",
        Some("6m"),
    );
    let jobs = r.recorder.job_rows();
    let created: Vec<f64> = jobs.iter().map(|j| rel(LECTURE, j.created)).collect();
    assert_eq!(created, vec![60.0, 120.0, 180.0, 240.0, 300.0]);
    let names: Vec<&str> = jobs.iter().map(|j| j.job.as_str()).collect();
    // 2021-11-25T12:01:00Z = 1637841660 s = 27297361 minutes.
    assert_eq!(names[0], "hello-2-27297361");
    assert_eq!(names[4], "hello-2-27297365");
    for w in jobs.windows(2) {
        assert_eq!(w[0].deleted, Some(w[1].created), "one active Job at a time");
    }
    for p in r.recorder.pod_rows().iter().take(4) {
        let created = rel(LECTURE, p.created);
        assert_eq!(rel(LECTURE, p.delete_requested.unwrap()), created + 60.0);
        assert_eq!(rel(LECTURE, p.deleted.unwrap()), created + 90.0);
        assert_eq!(p.exit_code, Some(137));
    }
    let deletes = r
        .recorder
        .events
        .iter()
        .filter(|e| e.reason == "SuccessfulDelete" && e.name == "hello-2")
        .count();
    assert_eq!(deletes, 4);
}

/// hello-2 with Forbid (ideal): back-to-back runs at 60, 160, 260, 360 s, each named after the
/// latest minute slot not after its start, and one JobAlreadyActive per minute slot that falls
/// while a Job runs (the slot at 360 s coincides with a finish and starts a Job instead).
#[test]
fn forbid_runs_back_to_back() {
    let r = run("scenarios/lecture/cronjob-forbid.yaml", "ideal", Some("7m"));
    let jobs: Vec<(f64, String)> = r
        .recorder
        .job_rows()
        .iter()
        .map(|j| (rel(LECTURE, j.created), j.job.clone()))
        .collect();
    assert_eq!(
        jobs,
        vec![
            (60.0, "hello-2-27297361".to_string()),
            (160.0, "hello-2-27297362".to_string()),
            (260.0, "hello-2-27297364".to_string()),
            (360.0, "hello-2-27297366".to_string()),
        ]
    );
    let skipped: Vec<f64> = r
        .recorder
        .events
        .iter()
        .filter(|e| e.reason == "JobAlreadyActive")
        .map(|e| rel(LECTURE, e.time))
        .collect();
    assert_eq!(skipped, vec![120.0, 180.0, 240.0, 300.0]);
    let msg = &r
        .recorder
        .events
        .iter()
        .find(|e| e.reason == "JobAlreadyActive")
        .unwrap()
        .message;
    assert_eq!(
        msg,
        "Not starting job because prior execution is running and concurrency policy is Forbid"
    );
}

/// Forbid with startingDeadlineSeconds: 10: a slot that cannot start within 10 s is skipped,
/// so runs start at 60, 180, 300 s.
#[test]
fn forbid_with_starting_deadline_starts_on_minutes() {
    let r = run(
        "scenarios/pitfalls/starting-deadline.yaml",
        "ideal",
        Some("7m"),
    );
    let created: Vec<f64> = r
        .recorder
        .job_rows()
        .iter()
        .map(|j| rel(LECTURE, j.created))
        .collect();
    assert_eq!(created, vec![60.0, 180.0, 300.0]);
}

/// hello-1, Allow (ideal): one short Job per minute; when the 4th succeeds (240 s) the oldest
/// Job and its pod are deleted (successfulJobsHistoryLimit 3), and so on each minute.
#[test]
fn allow_with_history_limit_three() {
    let r = run("scenarios/lecture/cronjob-allow.yaml", "ideal", Some("6m"));
    let jobs = r.recorder.job_rows();
    let rows: Vec<(f64, Option<f64>)> = jobs
        .iter()
        .map(|j| (rel(LECTURE, j.created), j.deleted.map(|t| rel(LECTURE, t))))
        .collect();
    assert_eq!(
        rows,
        vec![
            (60.0, Some(240.0)),
            (120.0, Some(300.0)),
            (180.0, None),
            (240.0, None),
            (300.0, None)
        ]
    );
    let first_pod = &r.recorder.pod_rows()[0];
    assert_eq!(first_pod.deleted.map(|t| rel(LECTURE, t)), Some(240.0));
}

/// Realistic profile: the controller wakes 100 ms after each slot (nextScheduleDelta).
#[test]
fn realistic_requeue_is_slot_plus_100ms() {
    let r = run(
        "scenarios/lecture/cronjob-replace.yaml",
        "realistic",
        Some("3m"),
    );
    let created: Vec<f64> = r
        .recorder
        .job_rows()
        .iter()
        .map(|j| rel(LECTURE, j.created))
        .collect();
    assert_eq!(created, vec![60.1, 120.1]);
}

/// Catch-up after suspend is one Job: suspended at 150 s, resumed at 630 s → only the latest
/// missed slot (600 s, 12:10) runs, at 630 s; 12:03 … 12:09 are lost.
#[test]
fn resume_starts_only_the_latest_missed_slot() {
    let r = run("scenarios/pitfalls/suspend-catch-up.yaml", "ideal", None);
    let rows: Vec<(f64, f64)> = r
        .recorder
        .job_rows()
        .iter()
        .map(|j| (rel(LECTURE, j.scheduled.unwrap()), rel(LECTURE, j.created)))
        .collect();
    assert_eq!(
        rows,
        vec![
            (60.0, 60.0),
            (120.0, 120.0),
            (600.0, 630.0),
            (660.0, 660.0),
            (720.0, 720.0),
            (780.0, 780.0)
        ]
    );
}

/// DST fall back in America/New_York: `30 1 * * *` runs at 01:30 EDT (05:30Z) and again at
/// 01:30 EST (06:30Z) on 2021-11-07, then 2021-11-08 06:30Z.
#[test]
fn dst_fall_back_runs_twice() {
    let r = run("scenarios/pitfalls/dst-new-york.yaml", "ideal", Some("2d"));
    let created: Vec<String> = r
        .recorder
        .job_rows()
        .iter()
        .map(|j| rfc3339_millis(j.created))
        .collect();
    assert_eq!(
        created,
        vec![
            "2021-11-07T05:30:00.000Z",
            "2021-11-07T06:30:00.000Z",
            "2021-11-08T06:30:00.000Z"
        ]
    );
}

/// DST spring forward: 02:30 does not exist in New York on 2022-03-13, so that day has no run.
#[test]
fn dst_spring_forward_skips_the_day() {
    let r = run("scenarios/pitfalls/dst-spring-forward.yaml", "ideal", None);
    let created: Vec<String> = r
        .recorder
        .job_rows()
        .iter()
        .map(|j| rfc3339_millis(j.created))
        .collect();
    assert_eq!(
        created,
        vec!["2022-03-12T07:30:00.000Z", "2022-03-14T06:30:00.000Z"]
    );
}

/// failedJobsHistoryLimit 1: each new failed Job (5 s after its slot) removes the previous one.
#[test]
fn failed_history_limit_one() {
    let r = run("scenarios/pitfalls/history-limits.yaml", "ideal", None);
    let rows: Vec<(f64, String, Option<f64>)> = r
        .recorder
        .job_rows()
        .iter()
        .map(|j| {
            (
                rel(LECTURE, j.created),
                j.condition.clone(),
                j.deleted.map(|t| rel(LECTURE, t)),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (120.0, "Failed".to_string(), Some(245.0)),
            (240.0, "Failed".to_string(), Some(365.0)),
            (360.0, "Failed".to_string(), Some(485.0)),
            (480.0, "Failed".to_string(), Some(605.0)),
            (600.0, "Failed".to_string(), None),
        ]
    );
}
