//! Outputs: the timeline recorder and the CSV files (and, in sibling modules, kubectl views).

pub mod chart;
pub mod kubectl;
pub mod report;
pub mod timeline;

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Writes every `(file name, contents)` into `dir` so that either all files appear or none:
/// each is written to a temporary name first and renamed only when all writes succeeded.
pub fn write_all_or_nothing(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut temps = Vec::new();
    for (name, bytes) in files {
        let tmp = dir.join(format!(".{name}.{}.batchsim-tmp", std::process::id()));
        if let Err(source) = fs::write(&tmp, bytes) {
            for t in &temps {
                let _ = fs::remove_file(t);
            }
            let _ = fs::remove_file(&tmp);
            return Err(Error::Write { path: tmp, source });
        }
        temps.push(tmp);
    }
    let mut written = Vec::new();
    for ((name, _), tmp) in files.iter().zip(&temps) {
        let dest = dir.join(name);
        fs::rename(tmp, &dest).map_err(|source| Error::Write {
            path: dest.clone(),
            source,
        })?;
        written.push(dest);
    }
    Ok(written)
}
