//! Pod rows ported from `printers_test.go` (TestPrintPod, TestPrintPodConditions) and the
//! branches of `printPod` they leave out.

use super::*;

/// TestPrintPod test1–test6: ready counts, and which status text replaces the phase.
#[test]
fn print_pod_rows_status() {
    // test1: name, number of containers, restarts, container ready status.
    let p = pod(
        "test1",
        2,
        PodPhase::Pending,
        vec![cs(running(), true, 3), cs(None, false, 3)],
    );
    assert_eq!(cells(&p), strs(&["test1", "1/2", "Pending", "6", "0s"]));

    // test2: a container waiting reason overwrites the pod phase.
    let p = pod(
        "test2",
        2,
        PodPhase::Pending,
        vec![
            cs(running(), true, 3),
            cs(waiting("ContainerWaitingReason"), false, 3),
        ],
    );
    assert_eq!(
        cells(&p),
        strs(&["test2", "1/2", "ContainerWaitingReason", "6", "0s"])
    );

    // test3: the first container's state wins over a later terminated one.
    let p = pod(
        "test3",
        2,
        PodPhase::Pending,
        vec![
            cs(waiting("ContainerWaitingReason"), false, 3),
            cs(
                Some(ContainerState::Terminated(terminated(
                    "ContainerTerminatedReason",
                    0,
                ))),
                false,
                3,
            ),
        ],
    );
    assert_eq!(
        cells(&p),
        strs(&["test3", "0/2", "ContainerWaitingReason", "6", "0s"])
    );

    // test4: ready alone is not enough to count as running.
    let p = pod(
        "test4",
        2,
        PodPhase::Pending,
        vec![cs(running(), true, 3), cs(None, true, 3)],
    );
    assert_eq!(cells(&p), strs(&["test4", "1/2", "Pending", "6", "0s"]));

    // test5: status.reason replaces the phase.
    let mut p = pod(
        "test5",
        2,
        PodPhase::Pending,
        vec![cs(running(), true, 3), cs(None, true, 3)],
    );
    p.status.reason = Some("podReason".into());
    assert_eq!(cells(&p), strs(&["test5", "1/2", "podReason", "6", "0s"]));

    // test6: one container completed, one running; without / with the Ready condition.
    let mut p = pod(
        "test6",
        2,
        PodPhase::Running,
        vec![
            cs(
                Some(ContainerState::Terminated(terminated("Completed", 0))),
                true,
                3,
            ),
            cs(running(), true, 3),
        ],
    );
    assert_eq!(cells(&p), strs(&["test6", "1/2", "NotReady", "6", "0s"]));
    p.status.ready = true;
    assert_eq!(cells(&p), strs(&["test6", "1/2", "Running", "6", "0s"]));
}

/// TestPrintPod test12–test14: restart counts with the age of the latest restart.
#[test]
fn print_pod_rows_restarts() {
    // test12: one container that restarted 5d ago.
    let p = pod(
        "test12",
        1,
        PodPhase::Running,
        vec![restarted(cs(running(), true, 3), at(-5 * DAY))],
    );
    assert_eq!(
        cells(&p),
        strs(&["test12", "1/1", "Running", "3 (5d ago)", "0s"])
    );

    // test13: one never restarted, the other restarted 10d ago.
    let p = pod(
        "test13",
        2,
        PodPhase::Running,
        vec![
            cs(running(), true, 0),
            restarted(cs(running(), true, 3), at(-10 * DAY)),
        ],
    );
    assert_eq!(
        cells(&p),
        strs(&["test13", "2/2", "Running", "3 (10d ago)", "0s"])
    );

    // test14: restarts add up; the most recent restart is shown.
    let p = pod(
        "test14",
        2,
        PodPhase::Running,
        vec![
            restarted(cs(running(), true, 6), at(-5 * DAY)),
            restarted(cs(running(), true, 3), at(-20 * DAY)),
        ],
    );
    assert_eq!(
        cells(&p),
        strs(&["test14", "2/2", "Running", "9 (5d ago)", "0s"])
    );
}

/// TestPrintPod test16–test20: finished pods, and pods being deleted.
#[test]
fn print_pod_rows_finished_and_deleted() {
    // test16 / test17: succeeded and failed pods.
    let p = pod(
        "test16",
        1,
        PodPhase::Succeeded,
        vec![cs(
            Some(ContainerState::Terminated(terminated("Completed", 0))),
            false,
            0,
        )],
    );
    assert_eq!(cells(&p), strs(&["test16", "0/1", "Completed", "0", "0s"]));
    let p = pod(
        "test17",
        1,
        PodPhase::Failed,
        vec![cs(
            Some(ContainerState::Terminated(terminated("Error", 1))),
            false,
            0,
        )],
    );
    assert_eq!(cells(&p), strs(&["test17", "0/1", "Error", "0", "0s"]));

    // test18: a succeeded pod being deleted keeps showing Completed.
    let mut p = pod(
        "test18",
        1,
        PodPhase::Succeeded,
        vec![cs(
            Some(ContainerState::Terminated(terminated("Completed", 0))),
            false,
            0,
        )],
    );
    p.meta.deletion = Some(at(-10 * SECOND));
    assert_eq!(cells(&p), strs(&["test18", "0/1", "Completed", "0", "0s"]));

    // test19 / test20: running or pending pods being deleted are Terminating.
    let mut p = pod(
        "test19",
        1,
        PodPhase::Running,
        vec![cs(running(), false, 0)],
    );
    p.meta.deletion = Some(at(-10 * SECOND));
    assert_eq!(
        cells(&p),
        strs(&["test19", "0/1", "Terminating", "0", "0s"])
    );
    let mut p = pod("test20", 1, PodPhase::Pending, vec![]);
    p.meta.deletion = Some(at(-10 * SECOND));
    assert_eq!(
        cells(&p),
        strs(&["test20", "0/1", "Terminating", "0", "0s"])
    );
}

#[test]
fn print_pod_conditions_rows() {
    let statuses = || vec![cs(running(), true, 3), cs(None, false, 3)];
    let p = pod("test1", 2, PodPhase::Running, statuses());
    assert_eq!(cells(&p), strs(&["test1", "1/2", "Running", "6", "0s"]));
    let p = pod("test1", 2, PodPhase::Succeeded, statuses());
    assert_eq!(cells(&p), strs(&["test1", "1/2", "Succeeded", "6", "0s"]));
    let p = pod("test2", 2, PodPhase::Failed, statuses());
    assert_eq!(cells(&p), strs(&["test2", "1/2", "Failed", "6", "0s"]));
}

/// Branches of printPod that printers_test.go does not cover.
#[test]
fn print_pod_code_branches() {
    // A terminated state without a reason prints the exit code (no Signal in our model).
    let p = pod(
        "x",
        1,
        PodPhase::Failed,
        vec![cs(
            Some(ContainerState::Terminated(terminated("", 137))),
            false,
            0,
        )],
    );
    assert_eq!(pod_row(&p, NOW).status, "ExitCode:137");

    // NodeLost with a deletionTimestamp is Unknown, even for a non-terminal pod.
    let mut p = pod("x", 1, PodPhase::Running, vec![cs(running(), true, 0)]);
    p.status.reason = Some("NodeLost".into());
    p.meta.deletion = Some(NOW);
    assert_eq!(pod_row(&p, NOW).status, "Unknown");

    // An unscheduled pod has no container statuses: phase Pending, nothing ready.
    let p = pod("x", 1, PodPhase::Pending, vec![]);
    assert_eq!(cells(&p), strs(&["x", "0/1", "Pending", "0", "0s"]));

    // Restarts without a recorded last termination print the bare count.
    let p = pod("x", 1, PodPhase::Running, vec![cs(running(), true, 2)]);
    assert_eq!(pod_row(&p, NOW).restarts, "2");

    // finishedAt is stored with whole seconds: 9.5 s ago is stored as 10 s ago.
    let p = pod(
        "x",
        1,
        PodPhase::Running,
        vec![restarted(cs(running(), true, 1), at(-9_500))],
    );
    assert_eq!(pod_row(&p, NOW).restarts, "1 (10s ago)");
}
