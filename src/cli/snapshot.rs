//! `batchsim snapshot` and `batchsim verify`: write each scenario's regression timeline, or
//! simulate again and compare with it.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::snapshot::{
    compare, read_snapshot, snapshot_path, timeline_of, write_snapshot, Check,
};
use crate::scenario::load::CliOverrides;

/// What to do with each scenario file in `snapshot` and `verify`.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The scenario file as given.
    pub file: PathBuf,
    /// Its snapshot file.
    pub path: PathBuf,
    /// The fresh timeline.
    pub timeline: String,
}

/// Loads every file (each is one scenario) and renders its timeline; refuses two scenarios
/// that would write the same snapshot file. Nothing is written.
pub fn plan(files: &[PathBuf], cli: &CliOverrides, dir: Option<&Path>) -> Result<Vec<Plan>> {
    let mut plans: Vec<Plan> = Vec::new();
    for file in files {
        let loaded = super::load(std::slice::from_ref(file), cli)?;
        let path = snapshot_path(file, &loaded.scenario, dir);
        if let Some(prev) = plans.iter().find(|p| p.path == path) {
            return Err(Error::Input(format!(
                "{} and {} would both write {}: give their Scenario documents different metadata.name values",
                prev.file.display(),
                file.display(),
                path.display()
            )));
        }
        plans.push(Plan {
            file: file.clone(),
            timeline: timeline_of(&loaded.scenario),
            path,
        });
    }
    Ok(plans)
}

/// `batchsim snapshot`: writes one timeline per scenario file and returns the lines to print.
pub fn snapshot_command(
    files: &[PathBuf],
    cli: &CliOverrides,
    dir: Option<&Path>,
) -> Result<String> {
    let plans = plan(files, cli, dir)?;
    let mut text = String::new();
    for p in &plans {
        write_snapshot(&p.path, &p.timeline)?;
        text.push_str(&format!("wrote {}\n", p.path.display()));
    }
    Ok(text)
}

/// What `batchsim verify` found: text for stdout and stderr and the exit code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Per scenario: `ok`/`updated` lines, or the difference sentence and the unified diff.
    pub stdout: String,
    /// Missing snapshots, with the command that creates them.
    pub stderr: String,
    /// 0 all identical (or updated), 1 some differ, 2 some snapshot is missing.
    pub exit_code: u8,
}

/// `batchsim verify`: re-simulates every scenario file and compares with its snapshot; with
/// `update`, rewrites differing or missing snapshots instead of failing.
pub fn verify_command(
    files: &[PathBuf],
    cli: &CliOverrides,
    dir: Option<&Path>,
    update: bool,
) -> Result<VerifyReport> {
    let plans = plan(files, cli, dir)?;
    let mut r = VerifyReport::default();
    for p in &plans {
        let stored = read_snapshot(&p.path)?;
        let label = p.path.display().to_string();
        match compare(stored.as_deref(), &p.timeline, &label) {
            Check::Same => {
                r.stdout.push_str(&format!("ok {label}\n"));
            }
            check if update => {
                write_snapshot(&p.path, &p.timeline)?;
                let how = if check == Check::Missing {
                    "created"
                } else {
                    "updated"
                };
                r.stdout.push_str(&format!("{how} {label}\n"));
            }
            Check::Missing => {
                r.stderr.push_str(&format!(
                    "error: {label}: no snapshot for {}; create it with: batchsim verify --update {}{}\n",
                    p.file.display(),
                    dir.map(|d| format!("--dir {} ", d.display())).unwrap_or_default(),
                    p.file.display()
                ));
                r.exit_code = 2;
            }
            Check::Differs { summary, diff } => {
                r.stdout.push_str(&format!(
                    "FAILED {label}: the timeline of {} changed: {summary}\n",
                    p.file.display()
                ));
                r.stdout.push_str(&diff);
                r.exit_code = r.exit_code.max(1);
            }
        }
    }
    Ok(r)
}
