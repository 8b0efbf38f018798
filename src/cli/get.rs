//! `batchsim get`: a kubectl table of the simulated cluster at a virtual instant.

use std::path::PathBuf;

use crate::error::Result;
use crate::output::timeline::Recorder;
use crate::simulation::Simulation;

/// What `batchsim get` lists.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum GetKind {
    /// `kubectl get pods`
    Pods,
    /// `kubectl get jobs`
    Jobs,
    /// `kubectl get cronjobs`
    CronJobs,
}

/// `batchsim get KIND --at D`: the kubectl table at the virtual instant `start + D`, after
/// everything that happens at that instant. Returns (stdout, stderr) as kubectl would print them.
pub fn get_command(
    kind: GetKind,
    files: &[PathBuf],
    at: &str,
    cli: &crate::scenario::load::CliOverrides,
) -> Result<(String, String)> {
    use crate::output::kubectl;
    let at_ms = crate::scenario::load::duration::parse_duration(at)
        .map_err(|e| crate::Error::Input(format!("--at: {e}")))?;
    let loaded = super::load(files, cli)?;
    let mut scenario = loaded.scenario.clone();
    scenario.horizon = crate::scenario::Horizon::At(at_ms + 1);
    let now = scenario.start.plus(at_ms);
    let mut rec = Recorder::new();
    let mut sim = Simulation::new(scenario, &mut rec);
    sim.run_until_end();
    let store = sim.store();
    let table = match kind {
        GetKind::Pods => kubectl::render_pods(&store.pods().collect::<Vec<_>>(), now),
        GetKind::Jobs => kubectl::render_jobs(&store.jobs().collect::<Vec<_>>(), now),
        GetKind::CronJobs => kubectl::render_cronjobs(&store.cronjobs().collect::<Vec<_>>(), now),
    };
    if table.is_empty() {
        Ok((
            String::new(),
            format!("{}\n", kubectl::NO_RESOURCES_DEFAULT),
        ))
    } else {
        Ok((table, String::new()))
    }
}
