//! `batchsim compare`: one CronJob simulated under several concurrency policies (and values of
//! one more field) side by side.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::output::write_all_or_nothing;
use crate::scenario::load::CliOverrides;
use crate::studies::compare::compare_outputs;

/// `batchsim compare`: runs every variant, writes `compare.svg`, `compare.png`, `compare.csv`
/// and `report.html` into `out` (default `reports/<name>-compare/`), returns the text to print.
pub fn compare_command(
    files: &[PathBuf],
    cli: &CliOverrides,
    policies: &str,
    vary: Option<&str>,
    out: Option<&Path>,
) -> Result<String> {
    let loaded = super::load(files, cli)?;
    let base = &loaded.scenario;
    let (outputs, mut text) = compare_outputs(base, policies, vary, loaded.sources.clone())?;
    let dir = out.map_or_else(
        || Path::new("reports").join(format!("{}-compare", base.name)),
        Path::to_path_buf,
    );
    for p in write_all_or_nothing(&dir, &outputs)? {
        text.push_str(&format!("wrote {}\n", p.display()));
    }
    Ok(text)
}
