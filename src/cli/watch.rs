//! `batchsim watch`: the run replayed like `kubectl get pods -w`.

use std::path::PathBuf;

use crate::error::Result;
use crate::output::kubectl::WatchLines;
use crate::simulation::Simulation;

/// `batchsim watch`: the run replayed like `kubectl get pods -w`.
pub fn watch_command(
    files: &[PathBuf],
    cli: &crate::scenario::load::CliOverrides,
) -> Result<String> {
    let loaded = super::load(files, cli)?;
    let mut w = WatchLines::new(loaded.scenario.start);
    Simulation::new(loaded.scenario.clone(), &mut w).run();
    let mut out = w.lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    Ok(out)
}
