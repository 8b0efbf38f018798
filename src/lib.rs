//! batchsim: a deterministic discrete-event simulator of Kubernetes Jobs and CronJobs.

pub mod controller;
pub mod error;
pub mod model;
pub mod output;
pub mod scenario;
pub mod schedule;
pub mod time;

pub use error::{Error, Result};
