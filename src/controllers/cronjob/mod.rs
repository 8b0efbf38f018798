//! The CronJob controller v2 (`pkg/controller/cronjob`): the sync, its `utils.go` helpers and the
//! schedules it keeps parsed.

pub mod controller;
pub mod schedules;
pub mod utils;
