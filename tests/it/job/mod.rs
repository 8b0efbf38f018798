//! The Job controller: API behaviour with exact times, the `scenarios/job-api` timelines, and
//! ports of upstream's `job_controller_test.go` tables.

mod api;
mod api_scenarios;
mod controller;
mod managed_by;
pub mod upstream;
