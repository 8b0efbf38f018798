//! The timeline recorder: turns watch notifications into one row per pod and per Job, plus the
//! event log, and renders the CSV contract (`pods.csv`, `jobs.csv`, `events.csv`).

use std::io::Write;

use crate::cluster::model::{ContainerState, Event, Job, Pod, PodPhase, Uid};
use crate::cluster::store::Op;
use crate::sim::time::{seconds_ascii, Time};
use rustc_hash::FxHashMap;

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

/// What the rows and the load need of a pod at one notification: plain values and borrowed
/// names, so it can be taken from the object or from a batch sent to a writer thread.
#[derive(Clone, Debug, PartialEq)]
pub struct PodView<'a> {
    /// UID.
    pub uid: Uid,
    /// Name.
    pub name: &'a str,
    /// The controller owner's UID and name.
    pub owner: Option<(Uid, &'a str)>,
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

impl<'a> PodView<'a> {
    /// The view of a pod object.
    pub fn of(pod: &'a Pod) -> PodView<'a> {
        PodView {
            uid: pod.meta.uid,
            name: &pod.meta.name,
            owner: pod.meta.owner.as_ref().map(|o| (o.uid, o.name.as_str())),
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
pub struct JobView<'a> {
    /// UID.
    pub uid: Uid,
    /// Name.
    pub name: &'a str,
    /// The CronJob that created it and the slot it was created for.
    pub origin: Option<(&'a str, Time)>,
    /// Creation instant (milliseconds).
    pub created_at: Time,
    /// status.startTime
    pub start_time: Option<Time>,
    /// The terminal condition: when it was set, its type and its reason.
    pub finished: Option<(Time, &'a str, &'a str)>,
    /// status.succeeded
    pub succeeded: i32,
    /// status.failed
    pub failed: i32,
}

impl<'a> JobView<'a> {
    /// The view of a Job object.
    pub fn of(job: &'a Job) -> JobView<'a> {
        JobView {
            uid: job.meta.uid,
            name: &job.meta.name,
            origin: job
                .origin
                .as_ref()
                .map(|o| (o.cronjob.as_str(), o.scheduled)),
            created_at: job.meta.created_at,
            start_time: job.status.start_time,
            finished: job
                .status
                .finished()
                .map(|c| (c.last_transition, c.kind.as_str(), c.reason.as_str())),
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
                    .and_then(|(u, _)| self.jobs.get(&u).and_then(|j| j.cronjob.clone()));
                e.insert(LivePod {
                    record: PodRecord {
                        pod: pod.name.to_string(),
                        job: pod.owner.map(|(_, n)| n.to_string()).unwrap_or_default(),
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
                cronjob: job.origin.map(|o| o.0.to_string()),
                scheduled: job.origin.map(|o| o.1),
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
        if let Some((at, kind, reason)) = job.finished {
            if rec.finished.is_none() {
                rec.finished = Some(at);
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

/// Columns of `pods.csv`.
pub const POD_HEADERS: [&str; 12] = [
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
];

/// Columns of `jobs.csv`.
pub const JOB_HEADERS: [&str; 11] = [
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
];

/// Columns of `events.csv`.
pub const EVENT_HEADERS: [&str; 7] = [
    "time_s",
    "timestamp",
    "kind",
    "name",
    "type",
    "reason",
    "message",
];

/// Writes the CSV rows of the three files: one formatter shared by the in-memory and the
/// streaming outputs, so both produce the same bytes. The dialect is the `csv` crate's
/// default (comma, `\n`, a field quoted only when it holds a comma, a quote or a line break,
/// quotes doubled); it is written by hand because a long run writes tens of millions of fields.
/// The first I/O error is kept and returned by [`RowWriter::finish`]; later rows are dropped.
pub struct RowWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
    first_field: bool,
    scratch: String,
    error: Option<std::io::Error>,
}

/// Bytes gathered before they are handed to the sink.
const ROW_BUFFER: usize = 64 * 1024;

/// The fields of one `events.csv` row, borrowed (from an [`Event`] or a spooled copy of one).
pub struct EventRow<'a> {
    /// When it was recorded.
    pub time: Time,
    /// The involved object's kind (`Pod`, `Job`, `CronJob`).
    pub kind: &'a str,
    /// The involved object's name.
    pub name: &'a str,
    /// `Normal` or `Warning`.
    pub event_type: &'a str,
    /// The reason, e.g. `SuccessfulCreate`.
    pub reason: &'a str,
    /// The message.
    pub message: &'a str,
}

impl RowWriter<std::io::Sink> {
    /// A writer that only formats: rows are taken back with [`RowWriter::take_rows`].
    pub fn formatter() -> RowWriter<std::io::Sink> {
        RowWriter {
            out: std::io::sink(),
            buf: Vec::with_capacity(256),
            first_field: true,
            scratch: String::with_capacity(64),
            error: None,
        }
    }
}

impl<W: Write> RowWriter<W> {
    /// A writer that starts with the header row.
    pub fn new(out: W, headers: &[&str]) -> RowWriter<W> {
        let mut w = RowWriter {
            out,
            buf: Vec::with_capacity(ROW_BUFFER + 1024),
            first_field: true,
            scratch: String::with_capacity(64),
            error: None,
        };
        for h in headers {
            w.text(h);
        }
        w.end();
        w
    }

    /// Appends rows formatted earlier (by a [`RowWriter::formatter`]).
    pub fn raw(&mut self, rows: &[u8]) {
        self.buf.extend_from_slice(rows);
        if self.buf.len() >= ROW_BUFFER {
            self.flush_buf();
        }
    }

    /// Takes the rows formatted since the last call, for a writer used only to format (its
    /// buffer holds less than 64 KiB, so nothing reached the sink).
    pub fn take_rows(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.buf)
    }

    fn field(&mut self, s: &[u8]) {
        if !self.first_field {
            self.buf.push(b',');
        }
        self.first_field = false;
        // No early exit: the whole-field fold vectorises, and fields are short.
        let special = s.iter().fold(false, |acc, b| {
            acc | matches!(b, b',' | b'"' | b'\n' | b'\r')
        });
        if special {
            self.buf.push(b'"');
            for b in s {
                if *b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(*b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(s);
        }
    }

    /// A field that never needs quoting (numbers, timestamps, fixed words).
    fn plain(&mut self, s: &[u8]) {
        if !self.first_field {
            self.buf.push(b',');
        }
        self.first_field = false;
        self.buf.extend_from_slice(s);
    }

    fn time(&mut self, t: Option<Time>, start: Time) {
        match t {
            Some(t) => self.plain(seconds_ascii(t.since(start)).as_bytes()),
            None => self.plain(b""),
        }
    }

    fn text(&mut self, s: &str) {
        self.field(s.as_bytes());
    }

    fn int(&mut self, v: Option<i64>) {
        match v {
            Some(v) => self.plain(itoa::Buffer::new().format(v).as_bytes()),
            None => self.plain(b""),
        }
    }

    fn end(&mut self) {
        self.buf.push(b'\n');
        self.first_field = true;
        if self.buf.len() >= ROW_BUFFER {
            self.flush_buf();
        }
    }

    fn flush_buf(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.out.write_all(&self.buf) {
                self.error = Some(e);
            }
        }
        self.buf.clear();
    }

    /// One `pods.csv` row.
    pub fn pod(&mut self, r: &PodRecord, start: Time) {
        self.text(&r.pod);
        self.text(&r.job);
        self.text(r.cronjob.as_deref().unwrap_or(""));
        self.int(r.index.map(i64::from));
        self.time(Some(r.created), start);
        self.time(r.running, start);
        self.time(r.finished, start);
        self.time(r.delete_requested, start);
        self.time(r.deleted, start);
        self.text(r.final_phase.as_str());
        self.int(r.exit_code.map(i64::from));
        self.int(Some(i64::from(r.restarts)));
        self.end();
    }

    /// One `jobs.csv` row.
    pub fn job(&mut self, r: &JobRecord, start: Time) {
        self.text(&r.job);
        self.text(r.cronjob.as_deref().unwrap_or(""));
        self.time(r.scheduled, start);
        self.time(Some(r.created), start);
        self.time(r.start, start);
        self.time(r.finished, start);
        self.text(&r.condition);
        self.text(&r.reason);
        self.int(Some(i64::from(r.succeeded)));
        self.int(Some(i64::from(r.failed)));
        self.time(r.deleted, start);
        self.end();
    }

    /// One `events.csv` row.
    pub fn event(&mut self, e: &Event, start: Time) {
        self.event_row(
            &EventRow {
                time: e.time,
                kind: e.kind.as_str(),
                name: &e.name,
                event_type: e.event_type.as_str(),
                reason: &e.reason,
                message: &e.message.text(),
            },
            start,
        );
    }

    /// One `events.csv` row from its fields.
    pub fn event_row(&mut self, e: &EventRow<'_>, start: Time) {
        self.time(Some(e.time), start);
        match e.time.rfc3339_ascii() {
            Some(a) => self.plain(a.as_bytes()),
            None => {
                self.scratch.clear();
                e.time.push_rfc3339_millis(&mut self.scratch);
                let s = std::mem::take(&mut self.scratch);
                self.field(s.as_bytes());
                self.scratch = s;
            }
        }
        self.plain(e.kind.as_bytes());
        self.text(e.name);
        self.plain(e.event_type.as_bytes());
        self.text(e.reason);
        self.text(e.message);
        self.end();
    }

    /// Flushes and returns the sink, or the first error.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.flush_buf();
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::model::{EventType, Kind};

    /// The hand-written dialect is the `csv` crate's: same bytes for plain and awkward fields.
    #[test]
    fn row_writer_quotes_like_the_csv_crate() {
        let awkward = [
            "plain",
            "",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\rhere",
            " spaced ",
            "#hash",
        ];
        for msg in awkward {
            let e = Event {
                time: Time(1_500),
                kind: Kind::Pod,
                name: "p".into(),
                event_type: EventType::Warning,
                reason: "R".into(),
                message: msg.into(),
            };
            let mut ours = RowWriter::new(Vec::new(), &EVENT_HEADERS);
            ours.event(&e, Time(0));
            let ours = ours.finish().unwrap();
            let mut theirs = csv::Writer::from_writer(Vec::new());
            theirs.write_record(EVENT_HEADERS).unwrap();
            theirs
                .write_record([
                    "1.500",
                    "1970-01-01T00:00:01.500Z",
                    "Pod",
                    "p",
                    "Warning",
                    "R",
                    msg,
                ])
                .unwrap();
            assert_eq!(ours, theirs.into_inner().unwrap(), "{msg:?}");
        }
    }
}
