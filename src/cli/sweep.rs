//! `batchsim sweep` and `batchsim sweep-merge`: many seeded runs of one scenario reduced to
//! metrics rows and statistics, and the merge of sharded sweeps.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::output::write_all_or_nothing;
use crate::scenario::load::CliOverrides;
use crate::studies::sweep::{merge, output_files, sweep, Row, SweepMeta, SweepOptions};

/// `batchsim sweep`: loads the files, runs the sweep, writes `sweep.csv`, `summary.csv`,
/// `sweep.svg`, `sweep.png` and `sweep-meta.txt` into `out` (default
/// `reports/<name>-sweep/`), returns the table to print.
pub fn sweep_command(
    files: &[PathBuf],
    cli: &CliOverrides,
    opts: &SweepOptions,
    out: Option<&Path>,
) -> Result<String> {
    let loaded = super::load(files, cli)?;
    let (meta, rows) = sweep(&loaded.scenario, opts)?;
    let dir = out.map_or_else(
        || Path::new("reports").join(format!("{}-sweep", meta.scenario)),
        Path::to_path_buf,
    );
    write(&dir, &meta, &rows)
}

fn write(dir: &Path, meta: &SweepMeta, rows: &[Row]) -> Result<String> {
    let (files, mut text) = output_files(meta, rows)?;
    for p in write_all_or_nothing(dir, &files)? {
        text.push_str(&format!("wrote {}\n", p.display()));
    }
    Ok(text)
}

/// `batchsim sweep-merge DIR…`: merges shard folders and writes the files into `out` (default
/// `reports/<name>-sweep/`).
pub fn merge_command(dirs: &[PathBuf], out: Option<&Path>) -> Result<String> {
    let (meta, rows) = merge(dirs)?;
    let dir = out.map_or_else(
        || Path::new("reports").join(format!("{}-sweep", meta.scenario)),
        Path::to_path_buf,
    );
    write(&dir, &meta, &rows)
}
