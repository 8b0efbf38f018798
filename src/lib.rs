//! batchsim: a deterministic discrete-event simulator of Kubernetes Jobs and CronJobs.

#![warn(missing_docs)]

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
