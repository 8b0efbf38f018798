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

/// The manifest files' texts for a report (read again: they were valid a moment ago).
pub fn manifest_texts(files: &[PathBuf]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(p).unwrap_or_default(),
            )
        })
        .collect()
}

/// Loads files with command-line overrides; skipped documents become warning lines. A
/// scenario above the resource limits ([`crate::scenario::limits`]) is refused here, before it runs.
pub fn load(
    files: &[PathBuf],
    cli: &crate::scenario::load::CliOverrides,
) -> Result<crate::scenario::load::Loaded> {
    let loaded = crate::scenario::load::load(files, cli)?;
    crate::scenario::limits::check(&loaded.scenario).map_err(|e| match files.first() {
        Some(f) => crate::Error::Input(format!("{}: {e}", f.display())),
        None => e,
    })?;
    Ok(loaded)
}
