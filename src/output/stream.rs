//! Streaming outputs for long runs: rows are written when their object leaves storage, so
//! memory holds the live set, not the history.
//!
//! `pods.csv` and `jobs.csv` are ordered by creation time (then name, then uid), yet objects
//! leave in another order. A row is therefore written once its object is gone *and* every
//! earlier-created object's row has been written (a watermark); rows that finish early wait in
//! a small ordered buffer. Events are written as they happen. The charts and the HTML report
//! read a [`Recorder`] of the chart window (objects created and events recorded in the first
//! [`CHART_WINDOW`] of the run) and [`LoadBins`] aggregated over the whole run.

use std::collections::BTreeMap;
use std::io::Write;

use crate::model::{Event, Job, Pod, Uid};
use crate::output::chart::{LoadBins, LoadBinsBuilder};
use crate::output::summary::Summary;
use crate::output::timeline::{
    JobRecord, Observer, PodRecord, Recorder, RowWriter, Tracker, EVENT_HEADERS, JOB_HEADERS,
    POD_HEADERS,
};
use crate::store::Op;
use crate::time::{Millis, Time, DAY};

/// How much of a run the timeline chart and the report's tables show in detail: runs up to
/// this long are drawn whole; longer ones show their first day, with the load chart covering
/// the whole run from [`LoadBins`].
pub const CHART_WINDOW: Millis = DAY;

/// Rows waiting for every earlier-created row to be written.
struct Ordered<R> {
    /// `None`: the object is still in storage.
    pending: BTreeMap<(Time, String, Uid), Option<R>>,
}

impl<R> Ordered<R> {
    fn new() -> Ordered<R> {
        Ordered {
            pending: BTreeMap::new(),
        }
    }

    fn added(&mut self, key: (Time, String, Uid)) {
        self.pending.entry(key).or_insert(None);
    }

    fn done(&mut self, key: (Time, String, Uid), row: R, mut write: impl FnMut(&R)) {
        self.pending.insert(key, Some(row));
        while let Some(entry) = self.pending.first_entry() {
            match entry.get() {
                Some(r) => write(r),
                None => break,
            }
            entry.remove();
        }
    }

    fn flush_all(&mut self, mut write: impl FnMut(&R)) {
        for r in std::mem::take(&mut self.pending).into_values().flatten() {
            write(&r);
        }
    }
}

/// What a finished stream hands back.
pub struct Streamed<W> {
    /// The `pods.csv` sink, flushed.
    pub pods: W,
    /// The `jobs.csv` sink, flushed.
    pub jobs: W,
    /// The `events.csv` sink, flushed.
    pub events: W,
    /// Everything about objects created, and events recorded, before the window's end.
    pub window: Recorder,
    /// The load over the whole run.
    pub load: LoadBins,
    /// The run's counters (pods, Jobs and events are also the row counts of the files).
    pub summary: Summary,
}

/// An [`Observer`] that writes the three CSV files while the run goes on.
pub struct CsvStream<W: Write> {
    start: Time,
    window_end: Time,
    tracker: Tracker,
    pod_order: Ordered<PodRecord>,
    job_order: Ordered<JobRecord>,
    pods: RowWriter<W>,
    jobs: RowWriter<W>,
    events: RowWriter<W>,
    window: Recorder,
    load: LoadBinsBuilder,
    summary: Summary,
}

impl<W: Write> CsvStream<W> {
    /// A stream of a run starting at `start` into the three sinks; the chart window is
    /// `[start, start + window)`.
    pub fn new(start: Time, window: Millis, pods: W, jobs: W, events: W) -> CsvStream<W> {
        CsvStream {
            start,
            window_end: start.plus(window),
            tracker: Tracker::new(false),
            pod_order: Ordered::new(),
            job_order: Ordered::new(),
            pods: RowWriter::new(pods, &POD_HEADERS),
            jobs: RowWriter::new(jobs, &JOB_HEADERS),
            events: RowWriter::new(events, &EVENT_HEADERS),
            window: Recorder::new(),
            load: LoadBinsBuilder::new(start),
            summary: Summary::new(),
        }
    }

    /// Writes the rows of the objects still in storage, flushes, and returns the sinks (or the
    /// first write error) with the window and the load up to `end`.
    pub fn finish(mut self, end: Time) -> std::io::Result<Streamed<W>> {
        let (live_pods, live_jobs) = std::mem::take(&mut self.tracker).into_live();
        for (uid, r) in live_pods {
            self.pod_order
                .pending
                .insert((r.created, r.pod.clone(), uid), Some(r));
        }
        for (uid, r) in live_jobs {
            self.job_order
                .pending
                .insert((r.created, r.job.clone(), uid), Some(r));
        }
        let (start, pods, jobs) = (self.start, &mut self.pods, &mut self.jobs);
        self.pod_order.flush_all(|r| pods.pod(r, start));
        self.job_order.flush_all(|r| jobs.job(r, start));
        self.summary.finish();
        Ok(Streamed {
            pods: self.pods.finish()?,
            jobs: self.jobs.finish()?,
            events: self.events.finish()?,
            window: self.window,
            load: self.load.finish(end),
            summary: self.summary,
        })
    }
}

fn requests(pod: &Pod) -> (i64, i64) {
    pod.template.containers.iter().fold((0, 0), |(c, m), k| {
        (
            c.saturating_add(k.requests.cpu_millis.unwrap_or(0)),
            m.saturating_add(k.requests.memory_bytes.unwrap_or(0)),
        )
    })
}

impl<W: Write> Observer for CsvStream<W> {
    fn pod(&mut self, now: Time, pod: &Pod, op: Op) {
        self.summary.pod(now, pod, op);
        if pod.meta.created_at < self.window_end {
            self.window.pod(now, pod, op);
        }
        let (change, done) = self.tracker.pod(now, pod, op);
        let key = || (pod.meta.created_at, pod.meta.name.clone(), pod.meta.uid);
        if change.before.is_none() {
            self.pod_order.added(key());
        }
        if change.before != change.after {
            let (cpu, memory) = requests(pod);
            self.load
                .change(now, change.before, change.after, cpu, memory);
        }
        if let Some(r) = done {
            let (start, pods) = (self.start, &mut self.pods);
            self.pod_order.done(key(), r, |r| pods.pod(r, start));
        }
    }

    fn job(&mut self, now: Time, job: &Job, op: Op) {
        self.summary.job(now, job, op);
        if job.meta.created_at < self.window_end {
            self.window.job(now, job, op);
        }
        let key = || (job.meta.created_at, job.meta.name.clone(), job.meta.uid);
        if op == Op::Added {
            self.job_order.added(key());
        }
        if let Some(r) = self.tracker.job(now, job, op) {
            let (start, jobs) = (self.start, &mut self.jobs);
            self.job_order.done(key(), r, |r| jobs.job(r, start));
        }
    }

    fn event(&mut self, event: &Event) {
        if event.time < self.window_end {
            self.window.event(event);
        }
        self.events.event(event, self.start);
        self.summary.event(event);
    }
}
