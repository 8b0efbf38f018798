//! The CronJob controller v2 (`pkg/controller/cronjob`): the sync, its `utils.go` helpers, its event
//! handlers and the schedules it keeps parsed.

pub mod controller;
pub mod handlers;
pub mod schedules;
pub mod utils;
