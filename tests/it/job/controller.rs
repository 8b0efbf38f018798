//! Job controller, kubelet and TTL behaviour with exact times (upstream:
//! pkg/controller/job/job_controller.go, pkg/controller/ttlafterfinished, pkg/kubelet).
use crate::util::*;
use batchsim::cluster::model::*;
use batchsim::scenario::{Manifest, Profile};

#[test]
fn lecture_parallel_job_ideal() {
    let mut j = lecture_parallel_job();
    j.spec.backoff_limit = 4;
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, None));
    let created: Vec<f64> = rec.pod_rows().iter().map(|p| rel(p.created)).collect();
    assert_eq!(created, vec![0.0, 0.0, 10.0, 10.0, 20.0]);
    let jobs = rec.job_rows();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].condition, "Complete");
    assert_eq!(rel(jobs[0].finished.unwrap()), 30.0);
    assert_eq!(jobs[0].succeeded, 5);
    println!("{}", String::from_utf8_lossy(&rec.pods_csv(START)));
    println!("{}", String::from_utf8_lossy(&rec.events_csv(START)));
}

fn pod_times(rec: &batchsim::output::timeline::Recorder) -> Vec<f64> {
    rec.pod_rows().iter().map(|p| rel(p.created)).collect()
}

/// Work-queue mode (completions unset): parallelism pods start, no more are created after the
/// first success, and the Job completes when all have exited (`manageJob` and `syncJob` in
/// pkg/controller/job/job_controller.go).
#[test]
fn work_queue_mode_completes_when_all_exit() {
    let mut j = job("wq", container("w", 10.0, 0, false), RestartPolicy::Never);
    j.spec.completions = None;
    j.spec.parallelism = 3;
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, None));
    assert_eq!(pod_times(&rec), vec![0.0, 0.0, 0.0]);
    let jr = &rec.job_rows()[0];
    assert_eq!(jr.condition, "Complete");
    assert_eq!(jr.reason, "CompletionsReached");
    assert_eq!(rel(jr.finished.unwrap()), 10.0);
    assert_eq!(jr.succeeded, 3);
}

/// restartPolicy Never, every pod fails after 5 s, backoffLimit 3: re-creation waits
/// 10·2^(n−1) s from the failed pod's finish time (10, 20, 40 s) and the 4th failure
/// (backoffLimit + 1) fails the Job (pkg/controller/job/backoff_utils.go and `syncJob`'s
/// backoffLimit check in job_controller.go).
#[test]
fn never_backoff_delays_and_limit() {
    let mut j = job("fail", container("c", 5.0, 1, false), RestartPolicy::Never);
    j.spec.backoff_limit = 3;
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, None));
    // created 0, fails 5; +10 → 15, fails 20; +20 → 40, fails 45; +40 → 85, fails 90.
    assert_eq!(pod_times(&rec), vec![0.0, 15.0, 40.0, 85.0]);
    for p in rec.pod_rows() {
        assert_eq!(p.final_phase, PodPhase::Failed);
        assert_eq!(p.exit_code, Some(1));
    }
    let jr = &rec.job_rows()[0];
    assert_eq!(jr.condition, "Failed");
    assert_eq!(jr.reason, "BackoffLimitExceeded");
    assert_eq!(rel(jr.finished.unwrap()), 90.0);
    assert_eq!(jr.failed, 4);
    let reasons: Vec<&str> = rec
        .events
        .iter()
        .filter(|e| e.kind == Kind::Job)
        .map(|e| e.reason.as_ref())
        .collect();
    assert_eq!(reasons.last(), Some(&"BackoffLimitExceeded"));
    assert_eq!(
        rec.events.last().unwrap().message,
        "Job has reached the specified backoff limit"
    );
}

/// backoffLimit 0 fails the Job on the first failed pod.
#[test]
fn never_backoff_limit_zero() {
    let mut j = job("bl0", container("c", 5.0, 2, false), RestartPolicy::Never);
    j.spec.backoff_limit = 0;
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, None));
    assert_eq!(pod_times(&rec), vec![0.0]);
    let jr = &rec.job_rows()[0];
    assert_eq!((jr.condition.as_str(), jr.failed), ("Failed", 1));
    assert_eq!(rel(jr.finished.unwrap()), 5.0);
}

/// A success resets the pod-failure back-off: only failures after the last success count.
#[test]
fn backoff_record_reset_by_success() {
    use batchsim::controllers::job::BackoffRecord;
    let r = BackoffRecord {
        failures_after_last_success: 7,
        last_failure_time: Some(START),
    };
    assert_eq!(r.get_remaining_time(START), 600_000, "capped at 10 min");
    let r = BackoffRecord {
        failures_after_last_success: 3,
        last_failure_time: Some(START),
    };
    assert_eq!(r.get_remaining_time(START.plus(1_000)), 39_000);
    assert_eq!(BackoffRecord::default().get_remaining_time(START), 0);
}

/// restartPolicy OnFailure, container exits 1 after 5 s, backoffLimit 3. The kubelet restarts
/// in place: at once after the 1st crash (5 s), after 10 s (crash 10 → restart 20), after 20 s
/// (crash 25 → restart 45). At 45 the summed restarts reach 3 ≥ backoffLimit: FailureTarget,
/// the pod is deleted (counted failed); its container crashes by itself at 50 during the grace
/// period, so the pod is Failed at 50 and the terminal Failed condition follows at 50.
#[test]
fn on_failure_crash_loop_and_restart_limit() {
    let mut j = job(
        "crash",
        container("c", 5.0, 1, false),
        RestartPolicy::OnFailure,
    );
    j.spec.backoff_limit = 3;
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, None));
    let pods = rec.pod_rows();
    assert_eq!(pods.len(), 1, "OnFailure never creates a second pod");
    assert_eq!(pods[0].restarts, 3);
    assert_eq!(rel(pods[0].delete_requested.unwrap()), 45.0);
    assert_eq!(rel(pods[0].finished.unwrap()), 50.0);
    assert_eq!(pods[0].final_phase, PodPhase::Failed);
    let backoffs: Vec<f64> = rec
        .events
        .iter()
        .filter(|e| e.reason == "BackOff")
        .map(|e| rel(e.time))
        .collect();
    assert_eq!(backoffs, vec![10.0, 25.0]);
    let starts: Vec<f64> = rec
        .events
        .iter()
        .filter(|e| e.reason == "Started")
        .map(|e| rel(e.time))
        .collect();
    assert_eq!(starts, vec![0.0, 5.0, 20.0, 45.0]);
    let jr = &rec.job_rows()[0];
    assert_eq!(jr.condition, "Failed");
    assert_eq!(jr.reason, "BackoffLimitExceeded");
    assert_eq!(jr.failed, 1);
    assert_eq!(rel(jr.finished.unwrap()), 50.0);
}

/// activeDeadlineSeconds 20 on a `sleep 100` pod that ignores SIGTERM: at 20 s FailureTarget
/// and the pod is Terminating; SIGKILL at 50 s (grace 30 s, exit 137); Failed with
/// DeadlineExceeded at 50 s once nothing is terminating: the deadline does not end the Job at
/// 20 s (`pastActiveDeadline` and the FailureTarget condition, pkg/controller/job/job_controller.go).
#[test]
fn active_deadline_kills_sleep_pod_after_grace() {
    let mut j = job("ads", container("c", 100.0, 0, false), RestartPolicy::Never);
    j.spec.active_deadline_seconds = Some(20);
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, None));
    let p = &rec.pod_rows()[0];
    assert_eq!(rel(p.delete_requested.unwrap()), 20.0);
    assert_eq!(rel(p.finished.unwrap()), 50.0);
    assert_eq!(rel(p.deleted.unwrap()), 50.0);
    assert_eq!((p.final_phase, p.exit_code), (PodPhase::Failed, Some(137)));
    let jr = &rec.job_rows()[0];
    assert_eq!(
        (jr.condition.as_str(), jr.reason.as_str()),
        ("Failed", "DeadlineExceeded")
    );
    assert_eq!(rel(jr.finished.unwrap()), 50.0);
    assert_eq!(jr.failed, 1);
    let ev: Vec<(f64, &str)> = rec
        .events
        .iter()
        .filter(|e| e.kind == Kind::Job)
        .map(|e| (rel(e.time), e.reason.as_ref()))
        .collect();
    assert_eq!(
        ev,
        vec![
            (0.0, "SuccessfulCreate"),
            (20.0, "SuccessfulDelete"),
            (50.0, "DeadlineExceeded")
        ]
    );
}

/// A container that handles SIGTERM stops at once: the deadline fails the Job at 20 s.
#[test]
fn active_deadline_with_sigterm_handler_is_immediate() {
    let mut j = job("ads", container("c", 100.0, 0, true), RestartPolicy::Never);
    j.spec.active_deadline_seconds = Some(20);
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, None));
    let p = &rec.pod_rows()[0];
    assert_eq!(rel(p.finished.unwrap()), 20.0);
    assert_eq!(p.exit_code, Some(143));
    assert_eq!(rel(rec.job_rows()[0].finished.unwrap()), 20.0);
}

/// The largest activeDeadlineSeconds a manifest may give (any int64) is a deadline that never
/// passes: its milliseconds saturate instead of wrapping around to an instant in the past.
#[test]
fn largest_active_deadline_never_passes() {
    let mut j = job("ads", container("c", 10.0, 0, false), RestartPolicy::Never);
    j.spec.active_deadline_seconds = Some(i64::MAX);
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, Some(60)));
    let jr = &rec.job_rows()[0];
    assert_eq!(
        (jr.condition.as_str(), jr.reason.as_str()),
        ("Complete", "CompletionsReached")
    );
    assert_eq!(rel(jr.finished.unwrap()), 10.0);
}

/// The largest terminationGracePeriodSeconds (any int64) lets a deleted pod that ignores
/// SIGTERM run to its own end (100 s, exit 0) instead of being killed at once.
#[test]
fn largest_grace_period_lets_the_container_finish() {
    use batchsim::scenario::UserAction::DeletePod;
    let mut j = job(
        "grace",
        container("c", 100.0, 0, false),
        RestartPolicy::Never,
    );
    std::sync::Arc::make_mut(&mut j.spec.template).termination_grace_seconds = i64::MAX;
    let s = scenario(vec![Manifest::Job(j)], Profile::Ideal, Some(200));
    // Pod names come from the seeded stream; find the first one by running once.
    let (first, _) = run(s.clone());
    let name = first.pod_rows()[0].pod.clone();
    let s = with_action(
        s,
        5,
        DeletePod {
            namespace: "default".into(),
            name,
        },
    );
    let (rec, _) = run(s);
    let p = &rec.pod_rows()[0];
    assert_eq!(rel(p.delete_requested.unwrap()), 5.0);
    assert_eq!(rel(p.finished.unwrap()), 100.0);
    assert_eq!(p.exit_code, Some(0));
}

/// ttlSecondsAfterFinished 30: the Job completes at 10 s and the TTL controller deletes it
/// (Foreground) at 40 s; the pod goes first, then the Job, both at 40 s.
#[test]
fn ttl_deletes_job_and_pods() {
    let mut j = job("ttl", container("c", 10.0, 0, false), RestartPolicy::Never);
    j.spec.ttl_seconds_after_finished = Some(30);
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, None));
    let jr = &rec.job_rows()[0];
    assert_eq!(rel(jr.finished.unwrap()), 10.0);
    assert_eq!(rel(jr.deleted.unwrap()), 40.0);
    let p = &rec.pod_rows()[0];
    assert_eq!(rel(p.deleted.unwrap()), 40.0);
    assert_eq!(p.final_phase, PodPhase::Succeeded);
}

/// `kubectl delete job` (Background) at 30 s on a running `sleep 100` Job: the Job vanishes at
/// once, the pod is Terminating for the 30 s grace period and gone at 60 s with exit 137.
#[test]
fn deleting_running_job_background() {
    use batchsim::cluster::model::Propagation;
    use batchsim::scenario::{TimedAction, UserAction};
    let j = job("del", container("c", 100.0, 0, false), RestartPolicy::Never);
    let mut s = scenario(vec![Manifest::Job(j)], Profile::Ideal, Some(120));
    s.actions.push(TimedAction {
        at: 30_000,
        action: UserAction::DeleteJob {
            namespace: "default".into(),
            name: "del".into(),
            propagation: Propagation::Background,
        },
    });
    let (rec, _) = run(s);
    let jr = &rec.job_rows()[0];
    assert_eq!(rel(jr.deleted.unwrap()), 30.0);
    assert_eq!(jr.condition, "");
    let p = &rec.pod_rows()[0];
    assert_eq!(rel(p.delete_requested.unwrap()), 30.0);
    assert_eq!(rel(p.finished.unwrap()), 60.0);
    assert_eq!(rel(p.deleted.unwrap()), 60.0);
    assert_eq!((p.final_phase, p.exit_code), (PodPhase::Failed, Some(137)));
}

/// Same inputs and seed ⇒ byte-identical CSVs; another seed changes only the pod names.
#[test]
fn runs_are_deterministic() {
    let mk = |seed| {
        let mut j = job(
            "parallel-job",
            container("w", 10.0, 0, false),
            RestartPolicy::Never,
        );
        j.spec.completions = Some(5);
        j.spec.parallelism = 2;
        let mut s = scenario(vec![Manifest::Job(j)], Profile::Realistic, None);
        s.seed = seed;
        let (rec, _) = run(s);
        (
            rec.pods_csv(START),
            rec.jobs_csv(START),
            rec.events_csv(START),
        )
    };
    assert_eq!(mk(0), mk(0));
    assert_ne!(mk(0).0, mk(1).0);
    assert_eq!(mk(0).1, mk(1).1);
}

/// Realistic profile: each wave is later by scheduling (0.1 s) + image pull (1 s) + container
/// start (0.5 s) + watch (0.01 s) + the Job controller's 1 s batching.
#[test]
fn lecture_parallel_job_realistic() {
    let mut j = lecture_parallel_job();
    j.spec.backoff_limit = 4;
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Realistic, None));
    // Job added → sync after the 10 ms watch delay. A pod runs 1.6 s after creation and exits
    // 10 s later; the controller syncs 1.01 s after that: a wave is 12.61 s.
    assert_eq!(pod_times(&rec), vec![0.010, 0.010, 12.620, 12.620, 25.230]);
    let jr = &rec.job_rows()[0];
    assert_eq!(rel(jr.finished.unwrap()), 37.840);
    let p = &rec.pod_rows()[0];
    assert_eq!(rel(p.running.unwrap()), 1.610);
    assert_eq!(rel(p.finished.unwrap()), 11.610);
}

/// Suspend at 30 s: both running pods are deleted without being counted (finalizer removed
/// first), Suspended condition and event; resume at 100 s restarts startTime and creates pods
/// again; completed work is kept, suspending does not reset `succeeded` (`syncJob` in
/// pkg/controller/job/job_controller.go).
#[test]
fn suspend_and_resume() {
    use batchsim::scenario::UserAction::SuspendJob;
    let mut j = job("sus", container("c", 100.0, 0, false), RestartPolicy::Never);
    j.spec.parallelism = 2;
    j.spec.completions = Some(4);
    let s = scenario(vec![Manifest::Job(j)], Profile::Ideal, None);
    let s = with_action(
        s,
        30,
        SuspendJob {
            namespace: "default".into(),
            name: "sus".into(),
            suspend: true,
        },
    );
    let s = with_action(
        s,
        100,
        SuspendJob {
            namespace: "default".into(),
            name: "sus".into(),
            suspend: false,
        },
    );
    let (rec, _) = run(s);
    assert_eq!(pod_times(&rec), vec![0.0, 0.0, 100.0, 100.0, 200.0, 200.0]);
    let killed: Vec<(f64, f64, Option<i32>)> = rec.pod_rows()[..2]
        .iter()
        .map(|p| {
            (
                rel(p.delete_requested.unwrap()),
                rel(p.deleted.unwrap()),
                p.exit_code,
            )
        })
        .collect();
    assert_eq!(
        killed,
        vec![(30.0, 60.0, Some(137)), (30.0, 60.0, Some(137))]
    );
    let jr = &rec.job_rows()[0];
    assert_eq!(
        (jr.condition.as_str(), jr.succeeded, jr.failed),
        ("Complete", 4, 0)
    );
    assert_eq!(
        rel(jr.start.unwrap()),
        100.0,
        "startTime is reset on resume"
    );
    assert_eq!(rel(jr.finished.unwrap()), 300.0);
    let ev: Vec<(f64, &str)> = rec
        .events
        .iter()
        .filter(|e| e.kind == Kind::Job && e.reason != "SuccessfulCreate")
        .map(|e| (rel(e.time), e.reason.as_ref()))
        .collect();
    assert_eq!(
        ev,
        vec![
            (30.0, "SuccessfulDelete"),
            (30.0, "SuccessfulDelete"),
            (30.0, "Suspended"),
            (100.0, "Resumed"),
            (300.0, "Completed"),
        ]
    );
}

/// Lowering parallelism from 3 to 1 at 50 s deletes the two newest pods (ActivePods order),
/// uncounted; the Job then runs its remaining completions one at a time.
#[test]
fn scale_down_deletes_newest_pods_uncounted() {
    use batchsim::scenario::UserAction::PatchParallelism;
    let mut j = job(
        "scale",
        container("c", 100.0, 0, false),
        RestartPolicy::Never,
    );
    j.spec.parallelism = 3;
    j.spec.completions = Some(3);
    let s = scenario(vec![Manifest::Job(j)], Profile::Ideal, None);
    let s = with_action(
        s,
        50,
        PatchParallelism {
            namespace: "default".into(),
            name: "scale".into(),
            parallelism: 1,
        },
    );
    let (rec, _) = run(s);
    let rows = rec.pod_rows();
    // Same creation instant: the tie falls to the higher UID (created later) first.
    let survivors: Vec<&str> = rows
        .iter()
        .filter(|p| p.delete_requested.is_none())
        .map(|p| p.pod.as_str())
        .collect();
    assert_eq!(survivors.len(), 3);
    assert_eq!(survivors[0], rows[0].pod);
    assert_eq!(pod_times(&rec), vec![0.0, 0.0, 0.0, 100.0, 200.0]);
    let jr = &rec.job_rows()[0];
    assert_eq!((jr.succeeded, jr.failed), (3, 0));
    assert_eq!(rel(jr.finished.unwrap()), 300.0);
}

/// `kubectl delete pod` on a running pod counts as a failure (TerminatingOrFailed) and the
/// replacement comes after the 10 s back-off measured from the deletion, while the old pod is
/// still terminating, so for a while two pods exist for one completion (`isPodFailed` in
/// pkg/controller/job/job_controller.go).
#[test]
fn deleted_pod_counts_failed_and_is_replaced_while_terminating() {
    use batchsim::scenario::UserAction::DeletePod;
    let j = job("rp", container("c", 100.0, 0, false), RestartPolicy::Never);
    let s = scenario(vec![Manifest::Job(j)], Profile::Ideal, None);
    // Pod names come from the seeded stream; find the first one by running once.
    let (first, _) = run(s.clone());
    let name = first.pod_rows()[0].pod.clone();
    let s = with_action(
        s,
        20,
        DeletePod {
            namespace: "default".into(),
            name,
        },
    );
    let (rec, _) = run(s);
    assert_eq!(pod_times(&rec), vec![0.0, 30.0]);
    let old = &rec.pod_rows()[0];
    assert_eq!(rel(old.deleted.unwrap()), 50.0);
    let jr = &rec.job_rows()[0];
    assert_eq!(
        (jr.condition.as_str(), jr.succeeded, jr.failed),
        ("Complete", 1, 1)
    );
    assert_eq!(rel(jr.finished.unwrap()), 130.0);
}

/// With podReplacementPolicy Failed the replacement waits until the old pod is Failed (50 s),
/// and the deletion is not counted until then (`onlyReplaceFailedPods` and `isPodFailed` in
/// pkg/controller/job/job_controller.go).
#[test]
fn replacement_policy_failed_waits_for_terminal_phase() {
    use batchsim::scenario::UserAction::DeletePod;
    let mut j = job("rp", container("c", 100.0, 0, false), RestartPolicy::Never);
    j.spec.pod_replacement_policy = PodReplacementPolicy::Failed;
    let s = scenario(vec![Manifest::Job(j)], Profile::Ideal, None);
    let (first, _) = run(s.clone());
    let name = first.pod_rows()[0].pod.clone();
    let s = with_action(
        s,
        20,
        DeletePod {
            namespace: "default".into(),
            name,
        },
    );
    let (rec, _) = run(s);
    // The old pod is Failed (137) at 50 s: counted then, back-off 10 s from its finish → 60 s.
    assert_eq!(pod_times(&rec), vec![0.0, 60.0]);
    let jr = &rec.job_rows()[0];
    assert_eq!((jr.succeeded, jr.failed), (1, 1));
    assert_eq!(rel(jr.finished.unwrap()), 160.0);
}
