//! batchsim's integration tests, one binary (ripgrep's `tests/tests.rs` shape): one module per
//! area, one set of object builders in `util`. The data they read stays beside this folder
//! (`tests/bad-inputs`, `tests/snapshots`, `tests/robfig`, `tests/fuzz-regressions`) and is
//! found through `CARGO_MANIFEST_DIR`; the tests that run the binary use `CARGO_BIN_EXE_batchsim`.

mod cronjob;
mod input;
mod job;
mod output;
mod properties;
mod schedule;
mod store_index;
mod sweep;
mod util;
