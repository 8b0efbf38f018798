//! The timeline recorder: turns watch notifications into one row per pod and per Job, plus the
//! event log, and renders the CSV contract (`pods.csv`, `jobs.csv`, `events.csv`).

use crate::cluster::model::{ContainerState, Event, Job, Pod, PodPhase, Str, Uid};
use crate::cluster::store::Op;
use crate::cluster::watch::Observer;
use crate::output::rows::{RowWriter, EVENT_HEADERS, JOB_HEADERS, POD_HEADERS};
use crate::scenario::Scenario;
use crate::sim::time::Time;
use crate::simulation::{RunStats, Simulation};
use rustc_hash::FxHashMap;

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

/// The live rows of a run: one record per pod and Job still in storage. A record leaves when
/// its object is deleted (returned to the caller), so what is held is the live set, not the
/// history.
#[derive(Debug, Default)]
pub struct Tracker {
    pods: FxHashMap<Uid, LivePod>,
    jobs: FxHashMap<Uid, JobRecord>,
    /// Skip the per-pod state segments (only charts read them).
    skip_segments: bool,
}

#[derive(Debug)]
struct LivePod {
    record: PodRecord,
    state: Option<PodState>,
}

/// What one pod notification changed, for load accounting.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct StateChange {
    /// The pod's chart state before (None when it was just created).
    pub before: Option<PodState>,
    /// Its state after (None when it left storage).
    pub after: Option<PodState>,
}

fn exit_code(pod: &Pod) -> Option<i32> {
    let mut seen = None;
    for c in &pod.status.containers {
        let code = match &c.state {
            ContainerState::Terminated(t) => Some(t.exit_code),
            _ => c.last_terminated.as_ref().map(|t| t.exit_code),
        };
        match code {
            Some(0) => seen = seen.or(Some(0)),
            Some(c) => return Some(c),
            None => {}
        }
    }
    seen
}

/// What the rows and the load need of a pod at one notification: plain values and owned names
/// (short ones held inline, see [`Str`]), so it can be sent to a writer thread.
#[derive(Clone, Debug, PartialEq)]
pub struct PodView {
    /// UID.
    pub uid: Uid,
    /// Name.
    pub name: Str,
    /// The controller owner's UID and name.
    pub owner: Option<(Uid, Str)>,
    /// Completion index.
    pub index: Option<i32>,
    /// Creation instant (milliseconds).
    pub created_at: Time,
    /// The chart state.
    pub state: PodState,
    /// status.phase
    pub phase: PodPhase,
    /// When deletion was requested.
    pub delete_requested_at: Option<Time>,
    /// See `pods.csv`'s `exit_code`.
    pub exit_code: Option<i32>,
    /// Sum of container restarts.
    pub restarts: i32,
    /// Summed container requests: CPU millis and memory bytes.
    pub requests: (i64, i64),
}

impl PodView {
    /// The view of a pod object.
    pub fn of(pod: &Pod) -> PodView {
        PodView {
            uid: pod.meta.uid,
            name: pod.meta.name.clone(),
            owner: pod.meta.owner.as_ref().map(|o| (o.uid, o.name.clone())),
            index: pod.index,
            created_at: pod.meta.created_at,
            state: PodState::of(pod),
            phase: pod.status.phase,
            delete_requested_at: pod.meta.delete_requested_at,
            exit_code: exit_code(pod),
            restarts: pod.restarts(),
            requests: pod.template.containers.iter().fold((0, 0), |(c, m), k| {
                (
                    c.saturating_add(k.requests.cpu_millis.unwrap_or(0)),
                    m.saturating_add(k.requests.memory_bytes.unwrap_or(0)),
                )
            }),
        }
    }
}

/// What the rows need of a Job at one notification (see [`PodView`]).
#[derive(Clone, Debug, PartialEq)]
pub struct JobView {
    /// UID.
    pub uid: Uid,
    /// Name.
    pub name: Str,
    /// The CronJob that created it and the slot it was created for.
    pub origin: Option<(Str, Time)>,
    /// Creation instant (milliseconds).
    pub created_at: Time,
    /// status.startTime
    pub start_time: Option<Time>,
    /// The terminal condition: when it was set, its type and its reason.
    pub finished: Option<(Time, &'static str, Str)>,
    /// status.succeeded
    pub succeeded: i32,
    /// status.failed
    pub failed: i32,
}

impl JobView {
    /// The view of a Job object.
    pub fn of(job: &Job) -> JobView {
        JobView {
            uid: job.meta.uid,
            name: job.meta.name.clone(),
            origin: job
                .origin
                .as_ref()
                .map(|o| (o.cronjob.clone(), o.scheduled)),
            created_at: job.meta.created_at,
            start_time: job.status.start_time,
            finished: job
                .status
                .finished()
                .map(|c| (c.last_transition, c.kind.as_str(), c.reason.clone())),
            succeeded: job.status.succeeded,
            failed: job.status.failed,
        }
    }
}

impl Tracker {
    /// A tracker that records per-pod state segments when `segments` is true.
    pub fn new(segments: bool) -> Tracker {
        Tracker {
            skip_segments: !segments,
            ..Tracker::default()
        }
    }

    /// Applies a pod notification; returns the finished record when the pod left storage.
    pub fn pod(&mut self, now: Time, pod: &PodView, op: Op) -> (StateChange, Option<PodRecord>) {
        let state = pod.state;
        let live = match self.pods.entry(pod.uid) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                // Looked up once per pod, not on every update; a pod is created while its Job
                // is in storage, so the Job's record is live.
                let cronjob = pod
                    .owner
                    .as_ref()
                    .and_then(|(u, _)| self.jobs.get(u).and_then(|j| j.cronjob.clone()));
                e.insert(LivePod {
                    record: PodRecord {
                        pod: pod.name.to_string(),
                        job: pod
                            .owner
                            .as_ref()
                            .map(|(_, n)| n.to_string())
                            .unwrap_or_default(),
                        cronjob,
                        index: pod.index,
                        created: pod.created_at,
                        running: None,
                        finished: None,
                        delete_requested: None,
                        deleted: None,
                        final_phase: pod.phase,
                        exit_code: None,
                        restarts: 0,
                        segments: Vec::new(),
                    },
                    state: None,
                })
            }
        };
        let before = live.state;
        let rec = &mut live.record;
        if !self.skip_segments
            && rec.segments.last().map(|s| s.1) != Some(state)
            && op != Op::Deleted
        {
            rec.segments.push((now, state));
        }
        if pod.phase == PodPhase::Running && rec.running.is_none() {
            rec.running = Some(now);
        }
        if pod.phase.is_terminal() && rec.finished.is_none() {
            rec.finished = Some(now);
        }
        if rec.delete_requested.is_none() {
            rec.delete_requested = pod.delete_requested_at;
        }
        rec.final_phase = pod.phase;
        rec.exit_code = pod.exit_code;
        rec.restarts = pod.restarts;
        if op == Op::Deleted {
            let mut done = self.pods.remove(&pod.uid).map(|l| l.record);
            if let Some(r) = done.as_mut() {
                r.deleted = Some(now);
            }
            return (
                StateChange {
                    before,
                    after: None,
                },
                done,
            );
        }
        live.state = Some(state);
        (
            StateChange {
                before,
                after: Some(state),
            },
            None,
        )
    }

    /// Applies a Job notification; returns the finished record when the Job left storage.
    pub fn job(&mut self, now: Time, job: &JobView, op: Op) -> Option<JobRecord> {
        let rec = match self.jobs.entry(job.uid) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(JobRecord {
                job: job.name.to_string(),
                cronjob: job.origin.as_ref().map(|o| o.0.to_string()),
                scheduled: job.origin.as_ref().map(|o| o.1),
                created: job.created_at,
                start: None,
                finished: None,
                condition: String::new(),
                reason: String::new(),
                succeeded: 0,
                failed: 0,
                deleted: None,
            }),
        };
        rec.start = job.start_time;
        if let Some((at, kind, reason)) = &job.finished {
            if rec.finished.is_none() {
                rec.finished = Some(*at);
                rec.condition = kind.to_string();
                rec.reason = reason.to_string();
            }
        }
        rec.succeeded = job.succeeded;
        rec.failed = job.failed;
        if op == Op::Deleted {
            let mut done = self.jobs.remove(&job.uid);
            if let Some(r) = done.as_mut() {
                r.deleted = Some(now);
            }
            return done;
        }
        None
    }

    /// The live records with their uids (in no particular order).
    #[allow(clippy::type_complexity)]
    pub fn into_live(self) -> (Vec<(Uid, PodRecord)>, Vec<(Uid, JobRecord)>) {
        (
            self.pods.into_iter().map(|(u, l)| (u, l.record)).collect(),
            self.jobs.into_iter().collect(),
        )
    }
}

/// The row order of `pods.csv`: creation time, then name, then uid.
pub fn pod_order(r: &PodRecord, uid: Uid) -> (Time, &str, Uid) {
    (r.created, r.pod.as_str(), uid)
}

/// The row order of `jobs.csv`: creation time, then name, then uid.
pub fn job_order(r: &JobRecord, uid: Uid) -> (Time, &str, Uid) {
    (r.created, r.job.as_str(), uid)
}

/// A scenario simulated in memory: its recorded timeline and the engine's counters.
#[derive(Debug)]
pub struct RunResult {
    /// Rows and events.
    pub recorder: Recorder,
    /// Engine counters.
    pub stats: RunStats,
}

/// Simulates a scenario in memory, recording every row and event.
pub fn simulate(scenario: &Scenario) -> RunResult {
    let mut recorder = Recorder::new();
    let stats = Simulation::new(scenario.clone(), &mut recorder).run();
    RunResult { recorder, stats }
}

/// Collects every row of a run in memory (tests, `compare`, `get`, snapshots and the chart
/// window of a long run); `run` streams instead ([`crate::output::stream`]).
#[derive(Debug, Default)]
pub struct Recorder {
    tracker: Tracker,
    done_pods: Vec<(Uid, PodRecord)>,
    done_jobs: Vec<(Uid, JobRecord)>,
    /// Every Event, in the order it happened.
    pub events: Vec<Event>,
}

impl Recorder {
    /// An empty recorder.
    pub fn new() -> Recorder {
        Recorder {
            tracker: Tracker::new(true),
            ..Recorder::default()
        }
    }

    /// An empty recorder that keeps no per-pod state segments (for sweeps, which draw no chart).
    pub fn without_segments() -> Recorder {
        Recorder {
            tracker: Tracker::new(false),
            ..Recorder::default()
        }
    }

    /// Pod rows ordered by creation time, then name.
    pub fn pod_rows(&self) -> Vec<&PodRecord> {
        let mut v: Vec<(Uid, &PodRecord)> = self
            .done_pods
            .iter()
            .map(|(u, r)| (*u, r))
            .chain(self.tracker.pods.iter().map(|(u, l)| (*u, &l.record)))
            .collect();
        v.sort_by(|a, b| pod_order(a.1, a.0).cmp(&pod_order(b.1, b.0)));
        v.into_iter().map(|p| p.1).collect()
    }

    /// Job rows ordered by creation time, then name.
    pub fn job_rows(&self) -> Vec<&JobRecord> {
        let mut v: Vec<(Uid, &JobRecord)> = self
            .done_jobs
            .iter()
            .map(|(u, r)| (*u, r))
            .chain(self.tracker.jobs.iter().map(|(u, r)| (*u, r)))
            .collect();
        v.sort_by(|a, b| job_order(a.1, a.0).cmp(&job_order(b.1, b.0)));
        v.into_iter().map(|j| j.1).collect()
    }

    /// `pods.csv` with times relative to `start`.
    pub fn pods_csv(&self, start: Time) -> Vec<u8> {
        let mut w = RowWriter::new(Vec::new(), &POD_HEADERS);
        for r in self.pod_rows() {
            w.pod(r, start);
        }
        w.finish().unwrap_or_default()
    }

    /// `jobs.csv` with times relative to `start`.
    pub fn jobs_csv(&self, start: Time) -> Vec<u8> {
        let mut w = RowWriter::new(Vec::new(), &JOB_HEADERS);
        for r in self.job_rows() {
            w.job(r, start);
        }
        w.finish().unwrap_or_default()
    }

    /// `events.csv` with times relative to `start`.
    pub fn events_csv(&self, start: Time) -> Vec<u8> {
        let mut w = RowWriter::new(Vec::new(), &EVENT_HEADERS);
        for e in &self.events {
            w.event(e, start);
        }
        w.finish().unwrap_or_default()
    }
}

impl Observer for Recorder {
    fn pod(&mut self, now: Time, pod: &Pod, op: Op) {
        if let (_, Some(done)) = self.tracker.pod(now, &PodView::of(pod), op) {
            self.done_pods.push((pod.meta.uid, done));
        }
    }

    fn job(&mut self, now: Time, job: &Job, op: Op) {
        if let Some(done) = self.tracker.job(now, &JobView::of(job), op) {
            self.done_jobs.push((job.meta.uid, done));
        }
    }

    fn event(&mut self, event: &Event) {
        self.events.push(event.clone());
    }
}
