//! Everything a run produces, fed by the simulation's watch stream ([`crate::cluster::watch`]):
//! the recorded timeline and the CSV rows, their streaming writers, the summary, kubectl views,
//! charts, the HTML report and regression snapshots. Nothing here drives the simulation.

pub mod chart;
pub mod figures;
pub mod kubectl;
pub mod report;
pub mod rows;
pub mod snapshot;
pub mod spool;
pub mod stream;
pub mod summary;
pub mod timefmt;
pub mod timeline;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file of an output folder: its name and bytes.
pub type OutputFile = (String, Vec<u8>);

/// CSV bytes of a header row and data rows; a row of another length than the header is an error.
pub fn csv_bytes<S: AsRef<str>>(headers: &[&str], rows: &[Vec<S>]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers)?;
    for r in rows {
        w.write_record(r.iter().map(|c| c.as_ref()))?;
    }
    csv_into_bytes(w)
}

/// The bytes of an in-memory CSV writer, flushing what it still buffers.
pub fn csv_into_bytes(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>> {
    w.into_inner()
        .map_err(|e| Error::Csv(csv::Error::from(e.into_error())))
}

/// An aligned plain-text table for the terminal: upper-case headers, columns separated by `gap`
/// spaces, the first `left` columns left-aligned and the rest right-aligned (numbers).
pub fn text_table(headers: &[&str], rows: &[Vec<String>], gap: usize, left: usize) -> String {
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
        out.push_str(parts.join(&sep).trim_end());
        out.push('\n');
    }
    out
}

/// Writes every `(file name, contents)` into `dir` so that either all files appear or none:
/// each is written to a temporary name first and renamed only when all writes succeeded.
pub fn write_all_or_nothing(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>> {
    let mut staging = Staging::new(dir)?;
    for (name, bytes) in files {
        staging.add(name, bytes)?;
    }
    staging.commit()
}

/// Output files being written under temporary names in their folder; [`Staging::commit`]
/// renames them all into place, and dropping an uncommitted staging removes them, so a
/// failed run leaves no half-written output.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    /// `(temporary path, final name)` in creation order.
    files: Vec<(PathBuf, String)>,
}

impl Staging {
    /// Starts staging files into `dir` (created if missing).
    pub fn new(dir: &Path) -> Result<Staging> {
        fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(Staging {
            dir: dir.to_path_buf(),
            files: Vec::new(),
        })
    }

    fn temp_path(&mut self, name: &str) -> PathBuf {
        let tmp = self
            .dir
            .join(format!(".{name}.{}.batchsim-tmp", std::process::id()));
        self.files.push((tmp.clone(), name.to_string()));
        tmp
    }

    /// A buffered file for `name`, to stream into.
    pub fn create(&mut self, name: &str) -> Result<io::BufWriter<fs::File>> {
        let tmp = self.temp_path(name);
        fs::File::create(&tmp)
            .map(|f| io::BufWriter::with_capacity(256 * 1024, f))
            .map_err(|source| Error::Write { path: tmp, source })
    }

    /// Stages `name` with the given contents.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        let tmp = self.temp_path(name);
        fs::write(&tmp, bytes).map_err(|source| Error::Write { path: tmp, source })
    }

    /// Flushes a streamed file and closes it.
    pub fn close(&self, name: &str, file: io::BufWriter<fs::File>) -> Result<()> {
        let path = self.dir.join(name);
        file.into_inner().map(drop).map_err(|e| Error::Write {
            path,
            source: io::Error::new(e.error().kind(), e.error().to_string()),
        })
    }

    /// Renames every staged file to its final name and returns the final paths.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        while !self.files.is_empty() {
            let (tmp, name) = self.files.remove(0);
            let dest = self.dir.join(&name);
            // On failure the files not yet renamed are removed by `drop`.
            fs::rename(&tmp, &dest).map_err(|source| Error::Write {
                path: dest.clone(),
                source,
            })?;
            written.push(dest);
        }
        Ok(written)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Runs only after a failure, whose error is the one reported; a temporary file that
        // was never created is fine, one that cannot be removed is left behind and named.
        for (tmp, _) in &self.files {
            match fs::remove_file(tmp) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    eprintln!("warning: cannot remove {}: {e}", tmp.display());
                }
                _ => {}
            }
        }
    }
}
