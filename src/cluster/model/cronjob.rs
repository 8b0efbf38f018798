//! CronJobs: the spec with API defaults applied and the status the CronJob controller writes.

use std::collections::BTreeMap;

use crate::sim::time::Time;

use super::{JobSpec, Meta, ObjectRef, Str};

// ---------------------------------------------------------------------------------------------
// CronJob
// ---------------------------------------------------------------------------------------------

/// `spec.concurrencyPolicy`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ConcurrencyPolicy {
    /// Runs may overlap.
    Allow,
    /// Skip a slot while a run is active.
    Forbid,
    /// Delete the active runs, then start the new one.
    Replace,
}

impl ConcurrencyPolicy {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConcurrencyPolicy::Allow => "Allow",
            ConcurrencyPolicy::Forbid => "Forbid",
            ConcurrencyPolicy::Replace => "Replace",
        }
    }
}

/// `spec.jobTemplate`.
#[derive(Clone, Debug, PartialEq)]
pub struct JobTemplate {
    /// jobTemplate.metadata.labels
    pub labels: BTreeMap<Str, Str>,
    /// jobTemplate.metadata.annotations
    pub annotations: BTreeMap<Str, Str>,
    /// jobTemplate.spec with defaults.
    pub spec: JobSpec,
}

/// A CronJob spec with API defaults applied.
#[derive(Clone, Debug, PartialEq)]
pub struct CronJobSpec {
    /// spec.schedule, verbatim.
    pub schedule: String,
    /// spec.timeZone
    pub time_zone: Option<String>,
    /// spec.startingDeadlineSeconds
    pub starting_deadline_seconds: Option<i64>,
    /// spec.concurrencyPolicy (default Allow).
    pub concurrency_policy: ConcurrencyPolicy,
    /// spec.suspend (default false).
    pub suspend: bool,
    /// spec.successfulJobsHistoryLimit (default 3).
    pub successful_jobs_history_limit: i32,
    /// spec.failedJobsHistoryLimit (default 1).
    pub failed_jobs_history_limit: i32,
    /// spec.jobTemplate
    pub job_template: JobTemplate,
}

/// CronJob status.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CronJobStatus {
    /// status.active, in creation order.
    pub active: Vec<ObjectRef>,
    /// status.lastScheduleTime: the nominal slot of the last created Job.
    pub last_schedule_time: Option<Time>,
    /// status.lastSuccessfulTime
    pub last_successful_time: Option<Time>,
}

/// A CronJob object.
#[derive(Clone, Debug, PartialEq)]
pub struct CronJob {
    /// Metadata.
    pub meta: Meta,
    /// Spec with defaults.
    pub spec: CronJobSpec,
    /// Status.
    pub status: CronJobStatus,
}
