//! Invariants of every run, over generated Jobs and CronJobs (proptest, 256 cases each).
//!
//! Each case is written as manifests plus a `batchsim/v1 Scenario` document and loaded through
//! the normal input path, so what is generated is always something a user could write. The
//! properties come from Kubernetes semantics (pkg/controller/job/job_controller.go and
//! pkg/controller/cronjob/cronjob_controllerv2.go):
//!
//! * a Job never has more active pods (Pending or Running, not Terminating, not terminal) than
//!   its parallelism at any instant;
//! * `status.succeeded` never exceeds `completions`;
//! * no pod is created for a suspended Job, no Job for a suspended CronJob;
//! * Forbid and Replace never have two active Jobs of one CronJob at once;
//! * every CronJob Job is named `<cronjob>-<minutes>` after a real schedule slot that is not
//!   after the Job's creation;
//! * no pod runs past its deletion request plus its grace period;
//! * events are in time order;
//! * the same input and seed give byte-identical CSVs.

use std::collections::BTreeMap;

use batchsim::output::timefmt::rfc3339_millis;
use batchsim::output::timeline::PodState;
use batchsim::output::timeline::{simulate, RunResult};
use batchsim::scenario::load::{load_str, CliOverrides};
use batchsim::scenario::Scenario;
use batchsim::schedule::{self, Schedule};
use batchsim::sim::time::{Millis, Time};
use proptest::prelude::*;

/// Slack for the realistic profile: a controller acts on what it saw one watch delay and one
/// Job sync batch ago (10 ms + 1 s), the kubelet one watch delay after a deletion.
fn slack(profile: &str) -> Millis {
    if profile == "ideal" {
        0
    } else {
        2_000
    }
}

fn load(text: &str) -> Scenario {
    match load_str("case.yaml", text, &CliOverrides::default()) {
        Ok(l) => l.scenario,
        Err(e) => panic!("generated case does not load: {e}\n{text}"),
    }
}

/// The container part shared by Job and CronJob templates, indented for `indent`.
fn template(indent: &str, restart: &str, grace: i64) -> String {
    format!(
        "{indent}template:\n{indent}  spec:\n{indent}    terminationGracePeriodSeconds: {grace}\n{indent}    containers:\n{indent}    - name: c\n{indent}      image: busybox\n{indent}      command: [\"sleep\", \"1\"]\n{indent}    restartPolicy: {restart}\n"
    )
}

#[derive(Clone, Debug)]
struct JobCase {
    parallelism: i32,
    completions: Option<i32>,
    indexed: bool,
    backoff_limit: i32,
    deadline: Option<i64>,
    restart: &'static str,
    run_secs: u32,
    index_runs: Vec<u32>,
    exit_code: i32,
    handles_sigterm: bool,
    grace: i64,
    suspend: bool,
    /// (suspend at s, resume at s) user actions.
    pause: Option<(u32, u32)>,
    /// Patch parallelism at (s, new value).
    patch: Option<(u32, i32)>,
    ttl: Option<i64>,
    replacement: Option<&'static str>,
    /// backoffLimitPerIndex (Indexed Jobs only).
    per_index_backoff: Option<i32>,
    seed: u64,
    profile: &'static str,
}

impl JobCase {
    fn yaml(&self) -> String {
        let mut spec = format!(
            "  parallelism: {}\n  backoffLimit: {}\n  suspend: {}\n",
            self.parallelism, self.backoff_limit, self.suspend
        );
        if let Some(c) = self.completions {
            spec += &format!("  completions: {c}\n");
        }
        if self.indexed {
            spec += "  completionMode: Indexed\n";
        }
        if let Some(d) = self.deadline {
            spec += &format!("  activeDeadlineSeconds: {d}\n");
        }
        if let Some(t) = self.ttl {
            spec += &format!("  ttlSecondsAfterFinished: {t}\n");
        }
        if let Some(r) = self.replacement {
            spec += &format!("  podReplacementPolicy: {r}\n");
        }
        if let Some(b) = self.per_index_backoff {
            spec += &format!("  backoffLimitPerIndex: {b}\n");
        }
        let mut workloads = format!(
            "  - job: w\n    duration: {}s\n    exitCode: {}\n    handlesSigterm: {}\n",
            self.run_secs, self.exit_code, self.handles_sigterm
        );
        if self.indexed {
            for (i, r) in self.index_runs.iter().enumerate() {
                workloads += &format!("  - job: w\n    index: {i}\n    duration: {r}s\n");
            }
        }
        let mut actions = String::new();
        if let Some((s, r)) = self.pause {
            actions += &format!(
                "  - at: {s}s\n    suspend: job/w\n  - at: {}s\n    resume: job/w\n",
                s + r
            );
        }
        if let Some((at, p)) = self.patch {
            actions += &format!("  - at: {at}s\n    patch: job/w\n    parallelism: {p}\n");
        }
        if !actions.is_empty() {
            actions = format!("  actions:\n{actions}");
        }
        format!(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: w\nspec:\n{spec}{}---\napiVersion: batchsim/v1\nkind: Scenario\nmetadata:\n  name: case\nspec:\n  until: 30m\n  seed: {}\n  profile: {}\n  workloads:\n{workloads}{actions}",
            template("  ", self.restart, self.grace),
            self.seed,
            self.profile
        )
    }
}

fn job_case() -> impl Strategy<Value = JobCase> {
    (
        (
            0..=4i32,
            prop::option::of(1..=6i32),
            any::<bool>(),
            0..=3i32,
        ),
        (
            prop::option::of(5..=120i64),
            prop::sample::select(vec!["Never", "OnFailure"]),
            0..=60u32,
            prop::collection::vec(0..=60u32, 6),
        ),
        (
            prop::sample::select(vec![0, 0, 1, 2]),
            any::<bool>(),
            prop::sample::select(vec![0i64, 5, 30]),
            prop::bool::weighted(0.15),
        ),
        (
            prop::option::of((1..=90u32, 1..=120u32)),
            prop::option::of((1..=90u32, 0..=5i32)),
            0..=i64::MAX as u64,
            prop::sample::select(vec!["ideal", "realistic"]),
        ),
        (
            prop::option::of(0..=60i64),
            prop::option::of(prop::sample::select(vec!["Failed", "TerminatingOrFailed"])),
            prop::option::of(0..=2i32),
        ),
    )
        .prop_map(
            |(
                (parallelism, completions, indexed, backoff_limit),
                (deadline, restart, run_secs, index_runs),
                (exit_code, handles_sigterm, grace, suspend),
                (pause, patch, seed, profile),
                (ttl, replacement, per_index_backoff),
            )| {
                // Indexed Jobs need completions (API validation).
                let indexed = indexed && completions.is_some();
                let n = completions.unwrap_or(0).max(0) as usize;
                JobCase {
                    parallelism,
                    completions,
                    indexed,
                    backoff_limit,
                    deadline,
                    restart,
                    run_secs,
                    index_runs: index_runs.into_iter().take(n).collect(),
                    exit_code,
                    handles_sigterm,
                    grace,
                    suspend,
                    pause,
                    patch,
                    ttl,
                    replacement,
                    // backoffLimitPerIndex needs Indexed Jobs, and (API validation) Never.
                    per_index_backoff: per_index_backoff.filter(|_| indexed && restart == "Never"),
                    seed,
                    profile,
                }
            },
        )
}

/// A 5-field schedule from a small grammar that covers steps, ranges, lists and weekdays.
fn schedule_expr() -> impl Strategy<Value = String> {
    let minute = prop::sample::select(vec![
        "*", "*/1", "*/2", "*/5", "*/7", "0", "30", "0,15,45", "10-20", "5-50/10",
    ]);
    let hour = prop::sample::select(vec!["*", "*", "12", "12-13", "*/2"]);
    let dow = prop::sample::select(vec!["*", "*", "1-5", "0,6", "4"]);
    (minute, hour, dow).prop_map(|(m, h, d)| format!("{m} {h} * * {d}"))
}

#[derive(Clone, Debug)]
struct CronCase {
    schedule: String,
    time_zone: Option<&'static str>,
    policy: &'static str,
    starting_deadline: Option<i64>,
    successful_limit: i32,
    failed_limit: i32,
    suspend: bool,
    /// (suspend at s, resume after s) user actions.
    pause: Option<(u32, u32)>,
    parallelism: i32,
    completions: i32,
    backoff_limit: i32,
    restart: &'static str,
    run_secs: u32,
    exit_code: i32,
    handles_sigterm: bool,
    grace: i64,
    until_min: u32,
    seed: u64,
    profile: &'static str,
}

impl CronCase {
    fn yaml(&self) -> String {
        let mut spec = format!(
            "  schedule: \"{}\"\n  concurrencyPolicy: {}\n  suspend: {}\n  successfulJobsHistoryLimit: {}\n  failedJobsHistoryLimit: {}\n",
            self.schedule, self.policy, self.suspend, self.successful_limit, self.failed_limit
        );
        if let Some(z) = self.time_zone {
            spec += &format!("  timeZone: {z}\n");
        }
        if let Some(d) = self.starting_deadline {
            spec += &format!("  startingDeadlineSeconds: {d}\n");
        }
        let mut actions = String::new();
        if let Some((s, r)) = self.pause {
            actions = format!(
                "  actions:\n  - at: {s}s\n    suspend: cronjob/cj\n  - at: {}s\n    resume: cronjob/cj\n",
                s + r
            );
        }
        format!(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n{spec}  jobTemplate:\n    spec:\n      parallelism: {}\n      completions: {}\n      backoffLimit: {}\n{}---\napiVersion: batchsim/v1\nkind: Scenario\nmetadata:\n  name: case\nspec:\n  until: {}m\n  seed: {}\n  profile: {}\n  workloads:\n  - cronjob: cj\n    duration: {}s\n    exitCode: {}\n    handlesSigterm: {}\n{actions}",
            self.parallelism,
            self.completions,
            self.backoff_limit,
            template("      ", self.restart, self.grace),
            self.until_min,
            self.seed,
            self.profile,
            self.run_secs,
            self.exit_code,
            self.handles_sigterm,
        )
    }
}

fn cron_case() -> impl Strategy<Value = CronCase> {
    (
        (
            schedule_expr(),
            prop::sample::select(vec![None, Some("Europe/Paris"), Some("America/New_York")]),
            prop::sample::select(vec!["Allow", "Forbid", "Replace"]),
            prop::option::of(prop::sample::select(vec![0i64, 5, 10, 30, 200])),
        ),
        (
            0..=3i32,
            0..=2i32,
            prop::bool::weighted(0.15),
            prop::option::of((1..=3600u32, 1..=3600u32)),
        ),
        (
            1..=3i32,
            1..=3i32,
            0..=2i32,
            prop::sample::select(vec!["Never", "OnFailure"]),
        ),
        (
            0..=200u32,
            prop::sample::select(vec![0, 0, 1]),
            any::<bool>(),
            prop::sample::select(vec![0i64, 5, 30]),
        ),
        (
            20..=150u32,
            0..=i64::MAX as u64,
            prop::sample::select(vec!["ideal", "realistic"]),
        ),
    )
        .prop_map(
            |(
                (schedule, time_zone, policy, starting_deadline),
                (successful_limit, failed_limit, suspend, pause),
                (parallelism, completions, backoff_limit, restart),
                (run_secs, exit_code, handles_sigterm, grace),
                (until_min, seed, profile),
            )| CronCase {
                schedule,
                time_zone,
                policy,
                starting_deadline,
                successful_limit,
                failed_limit,
                suspend,
                pause,
                parallelism,
                completions,
                backoff_limit,
                restart,
                run_secs,
                exit_code,
                handles_sigterm,
                grace,
                until_min,
                seed,
                profile,
            },
        )
}

/// Active (Pending/Running/CrashLoopBackOff) intervals of every pod, grouped by Job.
fn active_intervals(run: &RunResult) -> BTreeMap<String, Vec<(Time, Time)>> {
    let end = run.stats.end;
    let mut by_job: BTreeMap<String, Vec<(Time, Time)>> = BTreeMap::new();
    for p in run.recorder.pod_rows() {
        let stop = p.deleted.unwrap_or(end);
        for (i, (from, state)) in p.segments.iter().enumerate() {
            let to = p.segments.get(i + 1).map_or(stop, |s| s.0);
            let active = matches!(
                state,
                PodState::Pending | PodState::Running | PodState::CrashLoopBackOff
            );
            if active && to > *from {
                by_job.entry(p.job.clone()).or_default().push((*from, to));
            }
        }
    }
    by_job
}

/// The largest number of intervals open at one instant (half-open intervals).
fn peak(intervals: &[(Time, Time)]) -> usize {
    let mut points: Vec<(Time, i32)> = intervals
        .iter()
        .flat_map(|(a, b)| [(*a, 1), (*b, -1)])
        .collect();
    // Ends before starts at the same instant: a replacement pod may start as another stops.
    points.sort();
    let (mut open, mut best) = (0i32, 0i32);
    for (_, d) in points {
        open += d;
        best = best.max(open);
    }
    best as usize
}

/// Properties that hold for every run: pods stop by deletion + grace, events are ordered, and
/// the run is deterministic.
fn common_properties(
    scenario: &Scenario,
    run: &RunResult,
    grace_secs: i64,
    profile: &str,
) -> Result<(), TestCaseError> {
    let start = scenario.start;
    let limit = grace_secs * 1000 + slack(profile);
    for p in run.recorder.pod_rows() {
        if let Some(d) = p.delete_requested {
            let stop = p.finished.or(p.deleted).unwrap_or(run.stats.end);
            prop_assert!(
                stop.since(d) <= limit,
                "pod {} deletion requested at {} ms, still running at {} ms (grace {grace_secs} s)",
                p.pod,
                d.since(start),
                stop.since(start)
            );
        }
    }
    for w in run.recorder.events.windows(2) {
        prop_assert!(
            w[0].time <= w[1].time,
            "event {} at {} ms after event {} at {} ms",
            w[1].reason,
            w[1].time.since(start),
            w[0].reason,
            w[0].time.since(start)
        );
    }
    let again = simulate(scenario);
    prop_assert_eq!(run.recorder.pods_csv(start), again.recorder.pods_csv(start));
    prop_assert_eq!(run.recorder.jobs_csv(start), again.recorder.jobs_csv(start));
    prop_assert_eq!(
        run.recorder.events_csv(start),
        again.recorder.events_csv(start)
    );
    Ok(())
}

/// Every Job's active pods stay within its parallelism (the highest value it ever had).
fn parallelism_property(
    run: &RunResult,
    parallelism: &dyn Fn(&str) -> i32,
) -> Result<(), TestCaseError> {
    for (job, intervals) in active_intervals(run) {
        let p = parallelism(&job);
        prop_assert!(
            peak(&intervals) <= p.max(0) as usize,
            "job {job}: {} active pods at once, parallelism {p}",
            peak(&intervals)
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn jobs_keep_their_invariants(case in job_case()) {
        let scenario = load(&case.yaml());
        let run = simulate(&scenario);
        let start = scenario.start;
        let max_parallelism = case.parallelism.max(case.patch.map_or(0, |p| p.1));
        parallelism_property(&run, &|_| max_parallelism)?;
        for j in run.recorder.job_rows() {
            if let Some(c) = case.completions {
                prop_assert!(j.succeeded <= c, "job {}: succeeded {} > completions {c}", j.job, j.succeeded);
            }
        }
        let pods = run.recorder.pod_rows();
        if case.suspend {
            // Suspended from the start: pods only after a resume action.
            let resume = case.pause.map(|(s, r)| (s + r) as Millis * 1000);
            for p in &pods {
                let at = p.created.since(start);
                prop_assert!(
                    resume.is_some_and(|r| at >= r),
                    "pod {} created at {at} ms for a suspended Job (resumed at {resume:?} ms)", p.pod
                );
            }
        } else if let Some((s, r)) = case.pause {
            let (from, to) = (s as Millis * 1000 + slack(case.profile), (s + r) as Millis * 1000);
            for p in &pods {
                let at = p.created.since(start);
                prop_assert!(
                    !(at > from && at < to),
                    "pod {} created at {at} ms while the Job was suspended ({from}..{to} ms)", p.pod
                );
            }
        }
        common_properties(&scenario, &run, case.grace, case.profile)?;
    }

    #[test]
    fn cronjobs_keep_their_invariants(case in cron_case()) {
        let scenario = load(&case.yaml());
        let run = simulate(&scenario);
        let start = scenario.start;
        let jobs = run.recorder.job_rows();
        // Names and slots: `<cronjob>-<scheduled unix seconds / 60>`, a real slot, not after creation.
        let spec = schedule::controller_spec(&case.schedule, case.time_zone);
        let sched = Schedule::parse_standard(&spec).expect("generated schedules are valid");
        for j in &jobs {
            let scheduled = j.scheduled.expect("CronJob Jobs have a scheduled time");
            prop_assert_eq!(&j.job, &format!("cj-{}", scheduled.unix_seconds().div_euclid(60)));
            prop_assert_eq!(
                sched.next(scheduled.plus(-1000), chrono_tz::UTC),
                Some(scheduled),
                "job {} scheduled at {} is not a slot of {:?}", j.job, rfc3339_millis(scheduled), spec
            );
            prop_assert!(scheduled <= j.created, "job {} created before its slot", j.job);
        }
        // Forbid and Replace: at most one unfinished Job at any instant.
        if case.policy != "Allow" {
            let intervals: Vec<(Time, Time)> = jobs
                .iter()
                .map(|j| {
                    let end = [j.finished, j.deleted].into_iter().flatten().min().unwrap_or(run.stats.end);
                    (j.created, end)
                })
                .collect();
            prop_assert!(peak(&intervals) <= 1, "{}: {} Jobs active at once", case.policy, peak(&intervals));
        }
        // Suspended: no Job (so no pod) while suspended.
        if case.suspend {
            let resume = case.pause.map(|(s, r)| (s + r) as Millis * 1000);
            for j in &jobs {
                let at = j.created.since(start);
                prop_assert!(
                    resume.is_some_and(|r| at >= r),
                    "job {} created at {at} ms for a suspended CronJob (resumed at {resume:?} ms)", j.job
                );
            }
        } else if let Some((s, r)) = case.pause {
            let (from, to) = (s as Millis * 1000 + slack(case.profile), (s + r) as Millis * 1000);
            for j in &jobs {
                let at = j.created.since(start);
                prop_assert!(
                    !(at > from && at < to),
                    "job {} created at {at} ms while the CronJob was suspended ({from}..{to} ms)", j.job
                );
            }
        }
        for j in &jobs {
            prop_assert!(j.succeeded <= case.completions, "job {}: succeeded {} > completions", j.job, j.succeeded);
        }
        parallelism_property(&run, &|_| case.parallelism)?;
        common_properties(&scenario, &run, case.grace, case.profile)?;
    }
}
