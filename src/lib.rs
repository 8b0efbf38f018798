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
