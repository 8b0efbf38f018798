//! batchsim: a deterministic discrete-event simulator of Kubernetes Jobs and CronJobs.

pub mod app;
pub mod compare;
pub mod controller;
pub mod distribution;
pub mod engine;
pub mod error;
pub mod fasthash;
pub mod input;
pub mod kubelet;
pub mod limits;
pub mod model;
pub mod output;
pub mod rng;
pub mod scenario;
pub mod schedule;
pub mod snapshot;
pub mod store;
pub mod sweep;
pub mod time;
pub mod workload;

pub use error::{Error, Result};

// Every binary that links batchsim (the CLI, tests, benches) allocates through jemalloc: the
// simulation creates and frees small objects at a high rate, and the benches must measure the
// allocator the CLI uses. The choice and its figures are in Cargo.toml.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
