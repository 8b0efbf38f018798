//! The CronJob controller: upstream's `cronjob_controllerv2_test.go` and `utils_test.go` tables
//! against the controller's functions, and whole scenarios through the engine.

mod engine;
pub mod fixtures;
mod sync;
mod utils;
