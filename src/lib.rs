//! batchsim: a deterministic discrete-event simulator of Kubernetes Jobs and CronJobs.

pub mod controller;
pub mod error;
pub mod input;
pub mod model;
pub mod scenario;
pub mod schedule;
pub mod time;
pub mod workload;

pub use error::{Error, Result};
