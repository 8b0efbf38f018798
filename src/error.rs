//! The library's error type: every user-facing sentence lives in one `Display`.

use std::path::PathBuf;

/// Any failure the library reports to the CLI.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: a manifest, scenario document or command-line value (exit code 2).
    #[error("{0}")]
    Input(String),
    /// A manifest or scenario document error with its file, line and field (exit code 2).
    #[error(transparent)]
    Manifest(#[from] crate::scenario::load::InputError),
    /// A chart could not be drawn (exit code 1).
    #[error("cannot draw chart: {0}")]
    Chart(#[from] crate::output::chart::ChartError),
    /// A CSV table could not be encoded, e.g. a row whose length differs from the header's (exit code 1).
    #[error("cannot encode CSV: {0}")]
    Csv(#[from] csv::Error),
    /// An output file or folder could not be written (exit code 1).
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The path that failed.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl Error {
    /// The process exit code for this error: 2 for bad input, 1 for everything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Manifest(_) => 2,
            Error::Write { .. } | Error::Chart(_) | Error::Csv(_) => 1,
        }
    }
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
