//! batchsim: a deterministic discrete-event simulator of Kubernetes Jobs and CronJobs.

pub mod cli;
pub mod cluster;
pub mod controllers;
pub mod error;
pub mod output;
pub mod scenario;
pub mod schedule;
pub mod sim;
pub mod simulation;
pub mod studies;

pub use error::{Error, Result};

// Every binary that links batchsim (the CLI, tests, benches) allocates through jemalloc: the
// simulation creates and frees small objects at a high rate, and the benches must measure the
// allocator the CLI uses. The choice and its figures are in Cargo.toml.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
