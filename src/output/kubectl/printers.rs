//! Ports of `printPod`, `printJob` and `printCronJob` (`pkg/printers/internalversion/printers.go`)
//! onto the simulator's model.
//!
//! `kubectl get` uses server-side printing: the API server renders the row from the stored object,
//! whose timestamps (`metav1.Time`) have whole-second precision, at the moment it answers. So every
//! stored timestamp is truncated to the second here, while `now` keeps its milliseconds.

use crate::cluster::model::{ContainerState, CronJob, Job, JobCondition, JobConditionType, Pod};
use crate::sim::time::Time;

use super::duration::human_duration;

/// `status.reason` the node lifecycle controller sets on pods of an unreachable node.
const NODE_UNREACHABLE_POD_REASON: &str = "NodeLost";

/// `translateTimestampSince`: the age of a stored timestamp as kubectl prints it.
pub fn translate_timestamp_since(t: Time, now: Time) -> String {
    human_duration(now.since(t.floor_second()))
}

/// The five cells of `kubectl get pods`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodRow {
    /// NAME
    pub name: String,
    /// READY, `<ready>/<total>`.
    pub ready: String,
    /// STATUS, e.g. `ContainerCreating`, `Completed`, `Terminating`.
    pub status: String,
    /// RESTARTS, `N` or `N (<age> ago)`.
    pub restarts: String,
    /// AGE
    pub age: String,
}

impl PodRow {
    /// The cells in column order.
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.ready.clone(),
            self.status.clone(),
            self.restarts.clone(),
            self.age.clone(),
        ]
    }
}

/// `printPod` for our model, which has no init containers, no `Signal` in terminated states and
/// no scheduling gates, so those branches of the Go code cannot arise.
pub fn pod_row(pod: &Pod, now: Time) -> PodRow {
    let phase = pod.status.phase;
    let pod_reason = pod.status.reason.as_deref().filter(|r| !r.is_empty());
    let mut reason = pod_reason.unwrap_or(phase.as_str()).to_string();

    let total = pod.template.containers.len();
    let mut ready = 0usize;
    let mut restarts: i64 = 0;
    let mut last_restart: Option<Time> = None;
    let mut has_running = false;

    // Last to first, so the first container's state is the one left in `reason`.
    for c in pod.status.containers.iter().rev() {
        restarts += i64::from(c.restart_count);
        if let Some(t) = &c.last_terminated {
            let finished = t.finished_at.floor_second();
            if last_restart.is_none_or(|l| l < finished) {
                last_restart = Some(finished);
            }
        }
        match &c.state {
            ContainerState::Waiting { reason: r } if !r.is_empty() => reason = r.to_string(),
            ContainerState::Terminated(t) if !t.reason.is_empty() => reason = t.reason.to_string(),
            ContainerState::Terminated(t) => reason = format!("ExitCode:{}", t.exit_code),
            ContainerState::Running { .. } if c.ready => {
                has_running = true;
                ready += 1;
            }
            _ => {}
        }
    }

    // A pod whose first container finished while another still runs is not "Completed".
    if reason == "Completed" && has_running {
        reason = if pod.status.ready {
            "Running"
        } else {
            "NotReady"
        }
        .to_string();
    }

    if pod.meta.deletion.is_some() && pod_reason == Some(NODE_UNREACHABLE_POD_REASON) {
        reason = "Unknown".to_string();
    } else if pod.meta.deletion.is_some() && !phase.is_terminal() {
        reason = "Terminating".to_string();
    }

    let restarts = match last_restart {
        Some(t) if restarts != 0 => {
            format!("{restarts} ({} ago)", translate_timestamp_since(t, now))
        }
        _ => restarts.to_string(),
    };

    PodRow {
        name: pod.meta.name.to_string(),
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts,
        age: translate_timestamp_since(pod.meta.creation, now),
    }
}

/// The five cells of `kubectl get jobs`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobRow {
    /// NAME
    pub name: String,
    /// STATUS, e.g. `Running`, `Complete`, `Failed`.
    pub status: String,
    /// COMPLETIONS, e.g. `2/5`, `0/1 of 3`.
    pub completions: String,
    /// DURATION (empty before the Job starts).
    pub duration: String,
    /// AGE
    pub age: String,
}

impl JobRow {
    /// The cells in column order.
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.status.clone(),
            self.completions.clone(),
            self.duration.clone(),
            self.age.clone(),
        ]
    }
}

/// `hasJobCondition`: the status of the *first* condition of that type, so a later duplicate
/// cannot override it.
fn has_job_condition(conditions: &[JobCondition], kind: JobConditionType) -> bool {
    conditions
        .iter()
        .find(|c| c.kind == kind)
        .is_some_and(|c| c.status)
}

/// `printJob`.
///
/// STATUS precedence follows printers.go: Complete, Failed, Terminating, Suspended, FailureTarget,
/// then `SuccessCriteriaMet` (kubernetes PR #132832 appended it to the chain; the copy of the code
/// read while porting predates it, so it is placed last, before the `Running` fallback), else Running.
pub fn job_row(job: &Job, now: Time) -> JobRow {
    let s = job.status.succeeded;
    let completions = match job.spec.completions {
        Some(c) => format!("{s}/{c}"),
        None if job.spec.parallelism > 1 => format!("{s}/1 of {}", job.spec.parallelism),
        None => format!("{s}/1"),
    };
    let duration = match (job.status.start_time, job.status.completion_time) {
        (None, _) => String::new(),
        (Some(start), None) => translate_timestamp_since(start, now),
        (Some(start), Some(done)) => {
            human_duration(done.floor_second().since(start.floor_second()))
        }
    };
    let conds = &job.status.conditions;
    let status = if has_job_condition(conds, JobConditionType::Complete) {
        "Complete"
    } else if has_job_condition(conds, JobConditionType::Failed) {
        "Failed"
    } else if job.meta.deletion.is_some() {
        "Terminating"
    } else if has_job_condition(conds, JobConditionType::Suspended) {
        "Suspended"
    } else if has_job_condition(conds, JobConditionType::FailureTarget) {
        "FailureTarget"
    } else if has_job_condition(conds, JobConditionType::SuccessCriteriaMet) {
        "SuccessCriteriaMet"
    } else {
        "Running"
    };
    JobRow {
        name: job.meta.name.to_string(),
        status: status.to_string(),
        completions,
        duration,
        age: translate_timestamp_since(job.meta.creation, now),
    }
}

/// The seven cells of `kubectl get cronjobs`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CronJobRow {
    /// NAME
    pub name: String,
    /// SCHEDULE, verbatim.
    pub schedule: String,
    /// TIMEZONE (`<none>` when unset).
    pub timezone: String,
    /// SUSPEND (`True`/`False`).
    pub suspend: String,
    /// ACTIVE, the number of active Jobs.
    pub active: String,
    /// LAST SCHEDULE (`<none>` before the first run).
    pub last_schedule: String,
    /// AGE
    pub age: String,
}

impl CronJobRow {
    /// The cells in column order.
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.schedule.clone(),
            self.timezone.clone(),
            self.suspend.clone(),
            self.active.clone(),
            self.last_schedule.clone(),
            self.age.clone(),
        ]
    }
}

/// `printCronJob`. `spec.suspend` is defaulted in our model, so `printBoolPtr`'s `<unset>` never
/// appears.
pub fn cronjob_row(cj: &CronJob, now: Time) -> CronJobRow {
    CronJobRow {
        name: cj.meta.name.to_string(),
        schedule: cj.spec.schedule.clone(),
        timezone: cj
            .spec
            .time_zone
            .clone()
            .unwrap_or_else(|| "<none>".to_string()),
        suspend: if cj.spec.suspend { "True" } else { "False" }.to_string(),
        active: cj.status.active.len().to_string(),
        last_schedule: cj.status.last_schedule_time.map_or_else(
            || "<none>".to_string(),
            |t| translate_timestamp_since(t, now),
        ),
        age: translate_timestamp_since(cj.meta.creation, now),
    }
}
