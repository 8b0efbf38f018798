//! What the commands do, as library functions: the CLI only parses arguments and prints.

use std::path::{Path, PathBuf};

use crate::engine::{RunStats, Simulation};
use crate::error::Result;
use crate::output::timeline::Recorder;
use crate::output::write_all_or_nothing;
use crate::scenario::Scenario;

/// The result of simulating one scenario.
#[derive(Debug)]
pub struct RunResult {
    /// Rows and events.
    pub recorder: Recorder,
    /// Engine counters.
    pub stats: RunStats,
}

/// Simulates a scenario in memory.
pub fn simulate(scenario: &Scenario) -> RunResult {
    let mut recorder = Recorder::new();
    let stats = Simulation::new(scenario.clone(), &mut recorder).run();
    RunResult { recorder, stats }
}

/// The default output folder of a scenario: `reports/<scenario name>/`.
pub fn default_out_dir(scenario: &Scenario) -> PathBuf {
    Path::new("reports").join(&scenario.name)
}

/// Writes `pods.csv`, `jobs.csv` and `events.csv` of a run into `dir` (all or nothing).
pub fn write_csvs(dir: &Path, scenario: &Scenario, run: &RunResult) -> Result<Vec<PathBuf>> {
    let start = scenario.start;
    let files = vec![
        ("pods.csv".to_string(), run.recorder.pods_csv(start)),
        ("jobs.csv".to_string(), run.recorder.jobs_csv(start)),
        ("events.csv".to_string(), run.recorder.events_csv(start)),
    ];
    write_all_or_nothing(dir, &files)
}

/// Loads files with command-line overrides; skipped documents become warning lines.
pub fn load(files: &[PathBuf], cli: &crate::input::CliOverrides) -> Result<crate::input::Loaded> {
    Ok(crate::input::load(files, cli)?)
}

/// `batchsim run`: simulate, write the CSVs into `out` (default `reports/<name>/`), and return
/// the text to print.
pub fn run_command(
    files: &[PathBuf],
    cli: &crate::input::CliOverrides,
    out: Option<&Path>,
) -> Result<String> {
    use std::fmt::Write as _;
    let loaded = load(files, cli)?;
    let scenario = &loaded.scenario;
    let run = simulate(scenario);
    let dir = out.map_or_else(|| default_out_dir(scenario), Path::to_path_buf);
    let written = write_csvs(&dir, scenario, &run)?;
    let mut text = String::new();
    for w in &loaded.warnings {
        let _ = writeln!(text, "warning: {w}");
    }
    let pods = run.recorder.pod_rows().len();
    let jobs = run.recorder.job_rows().len();
    let _ = writeln!(
        text,
        "{}: simulated {} from {} ({} profile, seed {}): {jobs} job(s), {pods} pod(s), {} event(s)",
        scenario.name,
        crate::time::format_seconds(run.stats.end.since(scenario.start)) + " s",
        scenario.start.rfc3339_millis(),
        scenario.profile.as_str(),
        scenario.seed,
        run.recorder.events.len(),
    );
    for p in written {
        let _ = writeln!(text, "wrote {}", p.display());
    }
    Ok(text)
}

/// `batchsim schedule`: a plain-words reading of a CronJob schedule, then its next `n` fire
/// times after `from` (default: the scenario default start) in RFC 3339 with the zone's offset,
/// exactly as the CronJob controller computes them. `tz` is `spec.timeZone`.
pub fn schedule_command(
    expr: &str,
    tz: Option<&str>,
    from: Option<&str>,
    n: usize,
) -> Result<String> {
    use crate::schedule::{self, Schedule};
    use crate::time::Time;
    use std::fmt::Write as _;
    let mut problems: Vec<String> = schedule::validate_schedule_for_create(expr)
        .iter()
        .map(|e| e.format("spec.schedule"))
        .collect();
    let zone = match tz {
        Some(z) => match schedule::validate_time_zone(z) {
            Ok(zone) => Some(zone),
            Err(msg) => {
                problems.push(format!("spec.timeZone: Invalid value: \"{z}\": {msg}"));
                None
            }
        },
        None => None,
    };
    if !problems.is_empty() {
        return Err(crate::Error::Input(problems.join(", ")));
    }
    let sched = Schedule::parse_standard(&schedule::controller_spec(expr, tz)).map_err(|e| {
        crate::Error::Input(format!("spec.schedule: Invalid value: \"{expr}\": {e}"))
    })?;
    let from_text = from.unwrap_or(crate::scenario::DEFAULT_START);
    let start = crate::input::duration::parse_instant(from_text)
        .map_err(|e| crate::Error::Input(format!("--from: {e}")))?;
    let display = zone.unwrap_or(chrono_tz::UTC);
    let mut out = String::new();
    let zone_words = tz.map_or_else(
        || "UTC, the controller's zone".to_string(),
        |z| z.to_string(),
    );
    let _ = writeln!(out, "{expr} ({zone_words}): {}", sched.describe());
    let mut t: Time = start;
    let mut shown = 0;
    while shown < n {
        match sched.next(t, chrono_tz::UTC) {
            Some(next) => {
                let local = next.to_utc().with_timezone(&display);
                let text = if tz.is_none() {
                    local.format("%Y-%m-%dT%H:%M:%SZ").to_string()
                } else {
                    local.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
                };
                let _ = writeln!(out, "{text}");
                t = next;
                shown += 1;
            }
            None => {
                let _ = writeln!(
                    out,
                    "{} within robfig/cron's five-year search from {}: the CronJob controller would report InvalidSchedule",
                    if shown == 0 { "never fires" } else { "no further fire time" },
                    t.rfc3339_millis()
                );
                break;
            }
        }
    }
    Ok(out)
}
