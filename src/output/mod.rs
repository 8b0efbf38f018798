//! Outputs: the timeline recorder and the CSV files (and, in sibling modules, kubectl views).

pub mod chart;
pub mod kubectl;
pub mod report;
pub mod timeline;

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// CSV bytes of a header row and data rows.
pub fn csv_bytes<S: AsRef<str>>(headers: &[&str], rows: &[Vec<S>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(headers);
    for r in rows {
        let _ = w.write_record(r.iter().map(|c| c.as_ref()));
    }
    w.into_inner().unwrap_or_default()
}

/// An aligned plain-text table for the terminal: upper-case headers, columns separated by `gap`
/// spaces, the first `left` columns left-aligned and the rest right-aligned (numbers).
pub fn text_table(headers: &[&str], rows: &[Vec<String>], gap: usize, left: usize) -> String {
    use std::fmt::Write as _;
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let sep = " ".repeat(gap);
    let mut out = String::new();
    let upper: Vec<String> = headers.iter().map(|h| h.to_uppercase()).collect();
    for cells in std::iter::once(&upper).chain(rows.iter()) {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let w = widths.get(i).copied().unwrap_or(0);
                if i < left {
                    format!("{c:<w$}")
                } else {
                    format!("{c:>w$}")
                }
            })
            .collect();
        let _ = writeln!(out, "{}", parts.join(&sep).trim_end());
    }
    out
}

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
