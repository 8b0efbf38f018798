//! The commands of `batchsim`, one file each: every command loads its input, runs the
//! simulation and hands the result to [`crate::output`] or [`crate::studies`]; what to print
//! comes back as text, so `main.rs` only parses arguments and prints.

pub mod compare;
pub mod get;
pub mod run;
pub mod schedule;
pub mod snapshot;
pub mod sweep;
pub mod watch;

use std::path::PathBuf;

use crate::error::Result;

/// Loads files with command-line overrides; skipped documents become warning lines and the
/// loader's notes go to standard error. A scenario above the resource limits
/// ([`crate::scenario::limits`]) is refused here, before it runs.
pub fn load(
    files: &[PathBuf],
    cli: &crate::scenario::load::CliOverrides,
) -> Result<crate::scenario::load::Loaded> {
    let loaded = crate::scenario::load::load(files, cli)?;
    for note in &loaded.notes {
        eprintln!("{note}");
    }
    crate::scenario::limits::check(&loaded.scenario).map_err(|e| match loaded.sources.first() {
        Some((name, _)) => crate::Error::Input(format!("{name}: {e}")),
        None => e,
    })?;
    Ok(loaded)
}
