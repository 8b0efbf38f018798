//! The timeline recorder: turns watch notifications into one row per pod and per Job, plus the
//! event log, and renders the CSV contract (`pods.csv`, `jobs.csv`, `events.csv`).

use std::collections::BTreeMap;

use crate::model::{ContainerState, Event, Job, Pod, PodPhase, Uid};
use crate::store::Op;
use crate::time::{format_seconds, Time};

/// Receives what happens during a run; outputs implement it.
pub trait Observer {
    /// A pod was added, modified or deleted (for Deleted, its last state).
    fn pod(&mut self, now: Time, pod: &Pod, op: Op);
    /// A Job was added, modified or deleted (for Deleted, its last state).
    fn job(&mut self, now: Time, job: &Job, op: Op);
    /// An Event was recorded.
    fn event(&mut self, event: &Event);
}

/// What a pod looks like at an instant, as a timeline chart colours it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PodState {
    /// Pending: unscheduled or ContainerCreating.
    Pending,
    /// A container is running.
    Running,
    /// Waiting in CrashLoopBackOff (or just crashed) under restartPolicy OnFailure.
    CrashLoopBackOff,
    /// Deletion requested, containers not stopped yet.
    Terminating,
    /// Terminal: all containers exited 0.
    Succeeded,
    /// Terminal: a container failed or was killed.
    Failed,
}

impl PodState {
    /// The label a legend shows.
    pub fn label(self) -> &'static str {
        match self {
            PodState::Pending => "Pending/ContainerCreating",
            PodState::Running => "Running",
            PodState::CrashLoopBackOff => "CrashLoopBackOff",
            PodState::Terminating => "Terminating",
            PodState::Succeeded => "Succeeded",
            PodState::Failed => "Failed",
        }
    }

    /// The state of a pod object.
    pub fn of(pod: &Pod) -> PodState {
        match pod.status.phase {
            PodPhase::Succeeded => return PodState::Succeeded,
            PodPhase::Failed => return PodState::Failed,
            _ => {}
        }
        if pod.meta.deletion.is_some() {
            return PodState::Terminating;
        }
        if pod.status.phase == PodPhase::Pending {
            return PodState::Pending;
        }
        let running = pod
            .status
            .containers
            .iter()
            .any(|c| matches!(c.state, ContainerState::Running { .. }));
        if running {
            PodState::Running
        } else {
            PodState::CrashLoopBackOff
        }
    }
}

/// One `pods.csv` row.
#[derive(Clone, Debug, PartialEq)]
pub struct PodRecord {
    /// Pod name.
    pub pod: String,
    /// Owning Job name.
    pub job: String,
    /// CronJob that created the Job, if any.
    pub cronjob: Option<String>,
    /// Completion index.
    pub index: Option<i32>,
    /// Creation instant.
    pub created: Time,
    /// First instant in phase Running.
    pub running: Option<Time>,
    /// Instant the pod reached Succeeded or Failed.
    pub finished: Option<Time>,
    /// Instant its deletion was requested.
    pub delete_requested: Option<Time>,
    /// Instant it left storage.
    pub deleted: Option<Time>,
    /// Phase at its last moment in the simulation.
    pub final_phase: PodPhase,
    /// Exit code of the first container that exited non-zero, else 0; None if none exited.
    pub exit_code: Option<i32>,
    /// Sum of container restarts.
    pub restarts: i32,
    /// State changes: (instant, state from then on); ends at `deleted` or the end of the run.
    pub segments: Vec<(Time, PodState)>,
}

/// One `jobs.csv` row.
#[derive(Clone, Debug, PartialEq)]
pub struct JobRecord {
    /// Job name.
    pub job: String,
    /// CronJob that created it, if any.
    pub cronjob: Option<String>,
    /// The schedule slot it was created for.
    pub scheduled: Option<Time>,
    /// Creation instant.
    pub created: Time,
    /// status.startTime
    pub start: Option<Time>,
    /// When the terminal condition was set.
    pub finished: Option<Time>,
    /// `Complete`, `Failed` or empty.
    pub condition: String,
    /// The terminal condition's reason.
    pub reason: String,
    /// status.succeeded
    pub succeeded: i32,
    /// status.failed
    pub failed: i32,
    /// Instant it left storage.
    pub deleted: Option<Time>,
}

/// Collects the rows of a run.
#[derive(Debug, Default)]
pub struct Recorder {
    pods: BTreeMap<Uid, PodRecord>,
    jobs: BTreeMap<Uid, JobRecord>,
    job_cronjob: BTreeMap<Uid, Option<String>>,
    /// Skip the per-pod state segments (only charts read them).
    skip_segments: bool,
    /// Every Event, in the order it happened.
    pub events: Vec<Event>,
}

fn exit_code(pod: &Pod) -> Option<i32> {
    let codes: Vec<i32> = pod
        .status
        .containers
        .iter()
        .filter_map(|c| match &c.state {
            ContainerState::Terminated(t) => Some(t.exit_code),
            _ => c.last_terminated.as_ref().map(|t| t.exit_code),
        })
        .collect();
    if codes.is_empty() {
        None
    } else {
        Some(codes.iter().copied().find(|c| *c != 0).unwrap_or(0))
    }
}

impl Recorder {
    /// An empty recorder.
    pub fn new() -> Recorder {
        Recorder::default()
    }

    /// An empty recorder that keeps no per-pod state segments (for sweeps, which draw no chart).
    pub fn without_segments() -> Recorder {
        Recorder {
            skip_segments: true,
            ..Recorder::default()
        }
    }

    /// Pod rows ordered by creation time, then name.
    pub fn pod_rows(&self) -> Vec<&PodRecord> {
        let mut v: Vec<&PodRecord> = self.pods.values().collect();
        v.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.pod.cmp(&b.pod)));
        v
    }

    /// Job rows ordered by creation time, then name.
    pub fn job_rows(&self) -> Vec<&JobRecord> {
        let mut v: Vec<&JobRecord> = self.jobs.values().collect();
        v.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.job.cmp(&b.job)));
        v
    }

    /// `pods.csv` with times relative to `start`.
    pub fn pods_csv(&self, start: Time) -> Vec<u8> {
        let rel = |t: Option<Time>| {
            t.map(|t| format_seconds(t.since(start)))
                .unwrap_or_default()
        };
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([
            "pod",
            "job",
            "cronjob",
            "index",
            "created_s",
            "running_s",
            "finished_s",
            "delete_requested_s",
            "deleted_s",
            "final_phase",
            "exit_code",
            "restarts",
        ]);
        for r in self.pod_rows() {
            let _ = w.write_record([
                r.pod.as_str(),
                r.job.as_str(),
                r.cronjob.as_deref().unwrap_or(""),
                &r.index.map(|i| i.to_string()).unwrap_or_default(),
                &rel(Some(r.created)),
                &rel(r.running),
                &rel(r.finished),
                &rel(r.delete_requested),
                &rel(r.deleted),
                r.final_phase.as_str(),
                &r.exit_code.map(|c| c.to_string()).unwrap_or_default(),
                &r.restarts.to_string(),
            ]);
        }
        w.into_inner().unwrap_or_default()
    }

    /// `jobs.csv` with times relative to `start`.
    pub fn jobs_csv(&self, start: Time) -> Vec<u8> {
        let rel = |t: Option<Time>| {
            t.map(|t| format_seconds(t.since(start)))
                .unwrap_or_default()
        };
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([
            "job",
            "cronjob",
            "scheduled_s",
            "created_s",
            "start_s",
            "finished_s",
            "condition",
            "reason",
            "succeeded",
            "failed",
            "deleted_s",
        ]);
        for r in self.job_rows() {
            let _ = w.write_record([
                r.job.as_str(),
                r.cronjob.as_deref().unwrap_or(""),
                &rel(r.scheduled),
                &rel(Some(r.created)),
                &rel(r.start),
                &rel(r.finished),
                r.condition.as_str(),
                r.reason.as_str(),
                &r.succeeded.to_string(),
                &r.failed.to_string(),
                &rel(r.deleted),
            ]);
        }
        w.into_inner().unwrap_or_default()
    }

    /// `events.csv` with times relative to `start`.
    pub fn events_csv(&self, start: Time) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([
            "time_s",
            "timestamp",
            "kind",
            "name",
            "type",
            "reason",
            "message",
        ]);
        for e in &self.events {
            let _ = w.write_record([
                format_seconds(e.time.since(start)).as_str(),
                &e.time.rfc3339_millis(),
                e.kind.as_str(),
                &e.name,
                e.event_type.as_str(),
                &e.reason,
                &e.message,
            ]);
        }
        w.into_inner().unwrap_or_default()
    }
}

impl Observer for Recorder {
    fn pod(&mut self, now: Time, pod: &Pod, op: Op) {
        let rec = match self.pods.entry(pod.meta.uid) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                // Looked up once per pod, not on every update.
                let job_uid = pod.meta.owner.as_ref().map(|o| o.uid);
                let cronjob = job_uid.and_then(|u| self.job_cronjob.get(&u).cloned().flatten());
                e.insert(PodRecord {
                    pod: pod.meta.name.clone(),
                    job: pod
                        .meta
                        .owner
                        .as_ref()
                        .map(|o| o.name.clone())
                        .unwrap_or_default(),
                    cronjob,
                    index: pod.index,
                    created: pod.meta.created_at,
                    running: None,
                    finished: None,
                    delete_requested: None,
                    deleted: None,
                    final_phase: pod.status.phase,
                    exit_code: None,
                    restarts: 0,
                    segments: Vec::new(),
                })
            }
        };
        if !self.skip_segments {
            let state = PodState::of(pod);
            if rec.segments.last().map(|s| s.1) != Some(state) && op != Op::Deleted {
                rec.segments.push((now, state));
            }
        }
        if pod.status.phase == PodPhase::Running && rec.running.is_none() {
            rec.running = Some(now);
        }
        if pod.status.phase.is_terminal() && rec.finished.is_none() {
            rec.finished = Some(now);
        }
        if rec.delete_requested.is_none() {
            rec.delete_requested = pod.meta.delete_requested_at;
        }
        if op == Op::Deleted {
            rec.deleted = Some(now);
        }
        rec.final_phase = pod.status.phase;
        rec.exit_code = exit_code(pod);
        rec.restarts = pod.restarts();
    }

    fn job(&mut self, now: Time, job: &Job, op: Op) {
        let rec = match self.jobs.entry(job.meta.uid) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                let cronjob = job.origin.as_ref().map(|o| o.cronjob.clone());
                self.job_cronjob.insert(job.meta.uid, cronjob.clone());
                e.insert(JobRecord {
                    job: job.meta.name.clone(),
                    cronjob,
                    scheduled: job.origin.as_ref().map(|o| o.scheduled),
                    created: job.meta.created_at,
                    start: None,
                    finished: None,
                    condition: String::new(),
                    reason: String::new(),
                    succeeded: 0,
                    failed: 0,
                    deleted: None,
                })
            }
        };
        rec.start = job.status.start_time;
        if let Some(c) = job.status.finished() {
            if rec.finished.is_none() {
                rec.finished = Some(c.last_transition);
                rec.condition = c.kind.as_str().to_string();
                rec.reason = c.reason.clone();
            }
        }
        rec.succeeded = job.status.succeeded;
        rec.failed = job.status.failed;
        if op == Op::Deleted {
            rec.deleted = Some(now);
        }
    }

    fn event(&mut self, event: &Event) {
        self.events.push(event.clone());
    }
}
