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
