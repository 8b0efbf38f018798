//! Streamed outputs are the in-memory outputs byte for byte, whatever order objects
//! leave in; long runs keep only their chart window and aggregated load; the summary counts.

use std::path::{Path, PathBuf};

use batchsim::cli::run::{run_to_dir, summarize};
use batchsim::output::stream::{CsvStream, CHART_WINDOW};
use batchsim::output::timeline::simulate;
use batchsim::scenario::load::{load, CliOverrides};
use batchsim::scenario::Scenario;
use batchsim::simulation::Simulation;

fn scenario(path: &str, until: Option<&str>) -> Scenario {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cli = CliOverrides {
        until: until.map(String::from),
        ..CliOverrides::default()
    };
    load(&[root.join(path)], &cli)
        .expect("scenario loads")
        .scenario
}

/// Every scenario file in a folder of `scenarios/`.
fn scenario_files(dir: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v: Vec<PathBuf> = std::fs::read_dir(root.join("scenarios").join(dir))
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v.iter()
        .map(|p| {
            format!(
                "scenarios/{dir}/{}",
                p.file_name().unwrap().to_string_lossy()
            )
        })
        .collect()
}

type Files = (Vec<u8>, Vec<u8>, Vec<u8>);

fn streamed(s: &Scenario) -> (Files, batchsim::output::stream::Streamed<Vec<u8>>) {
    let mut stream = CsvStream::new(
        s.start,
        CHART_WINDOW,
        (Vec::new(), Vec::new(), Vec::new()),
        None,
    );
    let stats = Simulation::new(s.clone(), &mut stream).run();
    let mut done = stream
        .finish(stats.end)
        .expect("in-memory sinks cannot fail");
    let files = (
        std::mem::take(&mut done.pods),
        std::mem::take(&mut done.jobs),
        std::mem::take(&mut done.events),
    );
    (files, done)
}

fn in_memory(s: &Scenario) -> Files {
    let run = simulate(s);
    (
        run.recorder.pods_csv(s.start),
        run.recorder.jobs_csv(s.start),
        run.recorder.events_csv(s.start),
    )
}

#[test]
fn streamed_csv_equals_in_memory_csv_for_every_scenario() {
    let mut checked = 0;
    for dir in ["lecture", "pitfalls", "job-api"] {
        for f in scenario_files(dir) {
            let s = scenario(&f, None);
            let (files, _) = streamed(&s);
            assert!(files == in_memory(&s), "{f}: streamed CSV differs");
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} scenarios found");
}

/// Replace deletes each Job a minute after creating it while its pod lingers 30 s more, and
/// the rows must still come out in creation order; two days cross the one-day chart window.
#[test]
fn long_run_streams_every_row_and_keeps_only_the_window() {
    let s = scenario("scenarios/lecture/cronjob-replace.yaml", Some("2d"));
    let (files, done) = streamed(&s);
    assert!(files == in_memory(&s), "streamed CSV differs");
    // Slots every minute from 12:01 (60 s) to 2 d − 1 min; a Job is created 100 ms after its
    // slot, so slots up to 86 340 s fall in the first day's window.
    let jobs_rows = files.1.iter().filter(|b| **b == b'\n').count() - 1;
    assert_eq!(jobs_rows, 2 * 1440 - 1);
    assert_eq!(done.summary.jobs, 2 * 1440 - 1);
    assert_eq!(done.window.job_rows().len(), 1439);
    assert_eq!(done.window.pod_rows().len(), 1439);
    assert!(done
        .window
        .events
        .iter()
        .all(|e| e.time < s.start.plus(CHART_WINDOW)));
    // One pod runs while the previous one terminates: at most 2 unfinished at once; every
    // replaced pod is killed (Failed, 137); the last one is still running at the end.
    assert_eq!(done.summary.peak_unfinished, 2);
    assert_eq!(done.summary.failed, 2 * 1440 - 2);
    assert_eq!(done.summary.unfinished, 1);
    // The aggregated load covers both days and holds exactly the pod-time of the run: each
    // pod exists from creation to 30 s after its deletion was requested (90 s), except the
    // last, cut by the horizon.
    let load = &done.load;
    let covered = load.width * load.bins.len() as i64;
    assert!(covered >= 2 * 86_400_000 && covered - load.width < 2 * 86_400_000);
    let total: f64 = load.bins.iter().map(|b| b.pod_ms.iter().sum::<f64>()).sum();
    let last_created = s.start.plus(2 * 86_400_000 - 60_000 + 110);
    let expected =
        (2 * 1440 - 2) as f64 * 90_000.0 + s.start.plus(2 * 86_400_000).since(last_created) as f64;
    assert_eq!(total, expected);
}

#[test]
fn run_to_dir_writes_figures_of_the_window_and_the_whole_load() {
    let s = scenario("scenarios/lecture/cronjob-replace.yaml", Some("2d"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("streaming-long-run");
    crate::util::remove_tree(&dir);
    let (written, summary, stats) = run_to_dir(&s, &dir, &[]).expect("writes");
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "pods.csv",
            "jobs.csv",
            "events.csv",
            "timeline.png",
            "load.png",
            "timeline.svg",
            "load.svg",
            "report.html"
        ]
    );
    assert_eq!(stats.end, s.start.plus(2 * 86_400_000));
    let timeline = std::fs::read_to_string(dir.join("timeline.svg")).unwrap();
    // The timeline shows what a default run shows: ten slots (10 min) plus the run (100 s),
    // the grace period (30 s) and a minute, rounded up to 14 min.
    assert!(
        timeline.contains("first 14 min of 2 d"),
        "timeline subtitle"
    );
    let load = std::fs::read_to_string(dir.join("load.svg")).unwrap();
    assert!(
        load.contains("whole run, aggregated in 1 min bins"),
        "load subtitle"
    );
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("Showing the first 1439 of 2879 rows"));
    assert!(html.contains(&format!("Events ({})", summary.events)));
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .collect();
    assert!(leftovers.is_empty());
}

/// The lecture Job: 5 completions, 2 at a time, each pod succeeds.
#[test]
fn summary_counts_the_lecture_job() {
    let s = scenario("scenarios/lecture/parallel-job.yaml", None);
    let (summary, stats) = summarize(&s);
    assert_eq!((summary.jobs, summary.pods), (1, 5));
    assert_eq!(
        (summary.succeeded, summary.failed, summary.unfinished),
        (5, 0, 0)
    );
    assert_eq!(summary.peak_unfinished, 2);
    assert_eq!(summary.events, simulate(&s).recorder.events.len() as u64);
    assert!(stats.events > 0 && stats.syncs > 0);
}

/// A run that fails after it started writing (or is interrupted by an error) leaves no file
/// behind: staged files are removed unless committed, and committing renames them all.
#[test]
fn staging_removes_uncommitted_files_and_commits_all() {
    use batchsim::output::Staging;
    use std::io::Write as _;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("staging");
    crate::util::remove_tree(&dir);
    {
        let mut staging = Staging::new(&dir).unwrap();
        let mut f = staging.create("pods.csv").unwrap();
        f.write_all(b"pod\n").unwrap();
        staging.add("report.html", b"<html>").unwrap();
        staging.close("pods.csv", f).unwrap();
        // Dropped without commit.
    }
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    let mut staging = Staging::new(&dir).unwrap();
    let mut f = staging.create("pods.csv").unwrap();
    f.write_all(b"pod\n").unwrap();
    staging.close("pods.csv", f).unwrap();
    staging.add("report.html", b"<html>").unwrap();
    let written = staging.commit().unwrap();
    assert_eq!(written, vec![dir.join("pods.csv"), dir.join("report.html")]);
    assert_eq!(std::fs::read(dir.join("pods.csv")).unwrap(), b"pod\n");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
}

/// `--summary-only` prints the two summary lines and writes nothing, not even the default
/// `reports/<name>/` folder; with `--out` it is a usage error (exit 2).
#[test]
fn summary_only_writes_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cwd = Path::new(env!("CARGO_TARGET_TMPDIR")).join("summary-only");
    crate::util::remove_tree(&cwd);
    std::fs::create_dir_all(&cwd).unwrap();
    let res = std::process::Command::new(env!("CARGO_BIN_EXE_batchsim"))
        .current_dir(&cwd)
        .arg("run")
        .arg(root.join("scenarios/lecture/parallel-job.yaml"))
        .args(["--profile", "ideal", "--summary-only"])
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&res.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(
        lines[0],
        "parallel-job: simulated 30.000 s from 2021-11-25T12:00:00.000Z (ideal profile, seed 0): 1 job(s), 5 pod(s), 31 event(s)"
    );
    // Five completions, two at a time, all succeed; the engine's own counters follow.
    assert!(
        lines[1].starts_with(
            "pods: 5 succeeded, 0 failed, 0 unfinished; at most 2 unfinished at once; engine: "
        ) && lines[1].ends_with(" syncs"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_dir(&cwd).unwrap().count(), 0);
    let res = std::process::Command::new(env!("CARGO_BIN_EXE_batchsim"))
        .arg("run")
        .arg(root.join("scenarios/lecture/parallel-job.yaml"))
        .args(["--summary-only", "--out", "x"])
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
}

/// A Job without TTL stays in storage for the whole run, so every later row waits for it: the
/// waiting rows are spilled to run files and merged at the end, and the files are still exactly
/// the in-memory ones, with no run file left behind.
#[test]
fn rows_held_back_by_a_long_lived_job_spill_and_merge_in_order() {
    let text = format!(
        "{}---\n{}",
        r#"apiVersion: batch/v1
kind: Job
metadata:
  name: stays
spec:
  template:
    spec:
      containers:
      - name: c
        image: busybox
        command: ["sleep", "10"]
      restartPolicy: Never
"#,
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/lecture/cronjob-replace.yaml")
        )
        .unwrap()
    );
    let cli = CliOverrides {
        until: Some("6h".into()),
        ..CliOverrides::default()
    };
    let s = batchsim::scenario::load::load_str("mixed.yaml", &text, &cli)
        .expect("loads")
        .scenario;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("spill");
    crate::util::remove_tree(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let sinks = (Vec::new(), Vec::new(), Vec::new());
    let mut stream = CsvStream::new(s.start, CHART_WINDOW, sinks, Some((&dir, 50)));
    let stats = Simulation::new(s.clone(), &mut stream).run();
    let done = stream.finish(stats.end).expect("writes");
    let (pods, jobs, events) = in_memory(&s);
    assert!(done.pods == pods && done.jobs == jobs && done.events == events);
    // 359 CronJob Jobs in six hours (slots 1..=359 min) plus the one that stays.
    assert_eq!(jobs.iter().filter(|b| **b == b'\n').count() - 1, 360);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}
