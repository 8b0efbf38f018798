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
