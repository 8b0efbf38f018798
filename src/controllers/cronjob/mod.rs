//! The CronJob controller v2 (`pkg/controller/cronjob`): the sync and its `utils.go` helpers.

pub mod controller;
pub mod utils;
