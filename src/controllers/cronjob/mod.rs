//! The CronJob controller v2 (`pkg/controller/cronjob`): the sync, its `utils.go` helpers and
//! its event handlers.

pub mod controller;
pub mod handlers;
pub mod utils;
