//! `batchsim run`: simulate a scenario, stream its CSV files into a folder and add the charts
//! and the report; or, with `--summary-only`, keep only counters and print the summary.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::output::figures::{chart_end, figure_files, LongRun};
use crate::output::summary::Summary;
use crate::output::timeline::RunResult;
use crate::scenario::Scenario;
use crate::simulation::{RunStats, Simulation};

/// The default output folder of a scenario: `reports/<scenario name>/`.
pub fn default_out_dir(scenario: &Scenario) -> PathBuf {
    Path::new("reports").join(&scenario.name)
}

/// `batchsim run`: simulate, stream the CSVs into `out` (default `reports/<name>/`), add the
/// charts and the report, and return the text to print. With `summary_only` nothing is
/// written: the run keeps only counters.
pub fn run_command(
    files: &[PathBuf],
    cli: &crate::scenario::load::CliOverrides,
    out: Option<&Path>,
    summary_only: bool,
) -> Result<String> {
    let loaded = super::load(files, cli)?;
    let scenario = &loaded.scenario;
    let mut text = String::new();
    for w in &loaded.warnings {
        text.push_str(&format!("warning: {w}\n"));
    }
    if summary_only {
        let (summary, stats) = summarize(scenario);
        text.push_str(&summary.text(&scenario.name, scenario.start, &stats, &settings(scenario)));
        return Ok(text);
    }
    let dir = out.map_or_else(|| default_out_dir(scenario), Path::to_path_buf);
    let (written, summary, stats) = run_to_dir(scenario, &dir, &loaded.sources)?;
    text.push_str(&summary.text(&scenario.name, scenario.start, &stats, &settings(scenario)));
    for p in written {
        text.push_str(&format!("wrote {}\n", p.display()));
    }
    Ok(text)
}

fn settings(scenario: &Scenario) -> String {
    format!(
        "{} profile, seed {}",
        scenario.profile.as_str(),
        scenario.seed
    )
}

/// Simulates a scenario keeping only counters (`run --summary-only`).
pub fn summarize(scenario: &Scenario) -> (Summary, RunStats) {
    let mut summary = Summary::new();
    let stats = Simulation::new(scenario.clone(), &mut summary).run();
    summary.finish();
    (summary, stats)
}

/// Simulates a scenario streaming `pods.csv`, `jobs.csv` and `events.csv` into `dir`, then
/// writes the charts and the report; every file appears at once or none does.
pub fn run_to_dir(
    scenario: &Scenario,
    dir: &Path,
    manifests: &[(String, String)],
) -> Result<(Vec<PathBuf>, Summary, RunStats)> {
    use crate::output::stream::{CsvStream, CHART_WINDOW, SPILL_ROWS};
    let mut staging = crate::output::Staging::new(dir)?;
    let sinks = (
        staging.create("pods.csv")?,
        staging.create("jobs.csv")?,
        staging.create("events.csv")?,
    );
    let mut stream = CsvStream::new(scenario.start, CHART_WINDOW, sinks, Some((dir, SPILL_ROWS)));
    let stats = Simulation::new(scenario.clone(), &mut stream).run();
    let done = stream
        .finish(stats.end)
        .map_err(|source| crate::Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    staging.close("pods.csv", done.pods)?;
    staging.close("jobs.csv", done.jobs)?;
    staging.close("events.csv", done.events)?;
    let run = RunResult {
        recorder: done.window,
        stats,
    };
    let long = (chart_end(scenario, &run) > scenario.start.plus(CHART_WINDOW)).then_some(LongRun {
        load: done.load,
        jobs: done.summary.jobs,
        events: done.summary.events,
    });
    for (name, bytes) in figure_files(scenario, &run, manifests, long)? {
        staging.add(&name, &bytes)?;
    }
    let written = staging.commit()?;
    Ok((written, done.summary, run.stats))
}
