//! The cron schedule port: robfig/cron's parser and `Next` vectors, Kubernetes' schedule
//! checks, and a differential run against the real Go library.

mod differential;
mod every;
mod k8s;
mod parser;
pub mod robfig_time;
mod spec;
