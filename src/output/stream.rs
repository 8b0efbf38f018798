//! Streaming outputs for long runs: rows are written when their object leaves storage, so
//! memory holds the live set, not the history.
//!
//! `pods.csv` and `jobs.csv` are ordered by creation time (then name, then uid), yet objects
//! leave in another order. A row is therefore written once its object is gone *and* every
//! earlier-created object's row has been written (a watermark); rows that finish early wait in
//! a small ordered buffer. Events are written as they happen, formatted on a second thread
//! ([`crate::output::spool`]). The charts and the HTML report
//! read a [`Recorder`] of the chart window (objects created and events recorded in the first
//! [`CHART_WINDOW`] of the run) and [`LoadBins`] aggregated over the whole run.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cluster::model::{Event, Job, Pod, Uid};
use crate::cluster::store::Op;
use crate::cluster::watch::Observer;
use crate::output::chart::{LoadBins, LoadBinsBuilder};
use crate::output::rows::{RowWriter, EVENT_HEADERS, JOB_HEADERS, POD_HEADERS};
use crate::output::spool::Spool;
use crate::output::summary::Summary;
use crate::output::timeline::{JobView, PodView, Recorder, Tracker};
use crate::sim::time::{Millis, Time, DAY};

/// How much of a run is kept in memory for the charts and the report: runs up to this long are
/// drawn whole; longer ones show their first day in the report's tables (the timeline chart a
/// part of it), with the load chart covering the whole run from [`LoadBins`].
pub const CHART_WINDOW: Millis = DAY;

/// The order of a row: creation time, name, uid.
type Key = (Time, String, Uid);

/// By default rows are spilled once this many wait in memory.
pub const SPILL_ROWS: usize = 65_536;

/// Rows waiting for every earlier-created row to be written. An object that stays for the whole
/// run (a Job without TTL) would hold back every later row; past a threshold the waiting rows
/// are therefore spilled, in order, to a run file next to the output, and the runs are merged at
/// the end, so memory stays bounded whatever the objects' lifetimes.
struct Ordered {
    /// `None`: the object is still in storage; `Some`: its formatted row.
    pending: BTreeMap<Key, Option<Vec<u8>>>,
    waiting: usize,
    /// Where run files go (`None`: never spill) and the threshold.
    spill_dir: Option<(PathBuf, String, usize)>,
    /// Spilled runs; once there is one, rows are only written by the final merge.
    runs: Vec<PathBuf>,
    error: Option<std::io::Error>,
}

impl Ordered {
    fn new() -> Ordered {
        Ordered {
            pending: BTreeMap::new(),
            waiting: 0,
            spill_dir: None,
            runs: Vec::new(),
            error: None,
        }
    }

    fn added(&mut self, key: Key) {
        self.pending.entry(key).or_insert(None);
    }

    /// The row of `key` is final: written straight to the sink when nothing earlier waits
    /// (`direct`), else formatted (`buffered`) to wait its turn. The two closures write the
    /// same row to the two kinds of writer.
    fn emit<W: Write>(
        &mut self,
        key: Key,
        (out, format): (&mut RowWriter<W>, &mut RowWriter<std::io::Sink>),
        direct: impl FnOnce(&mut RowWriter<W>),
        buffered: impl FnOnce(&mut RowWriter<std::io::Sink>),
    ) {
        if self.is_next(&key) {
            direct(out);
            self.written(&key, out);
        } else {
            buffered(format);
            let row = format.take_rows();
            self.done(key, row, out);
        }
    }

    /// Whether the row of `key` can be written at once: nothing spilled and no earlier-created
    /// row waits.
    fn is_next(&self, key: &Key) -> bool {
        self.runs.is_empty()
            && self
                .pending
                .first_key_value()
                .is_some_and(|(k, _)| k == key)
    }

    /// The row of `key` was written straight to `out`; writes the rows it held back.
    fn written<W: Write>(&mut self, key: &Key, out: &mut RowWriter<W>) {
        self.pending.remove(key);
        self.write_ready(out);
    }

    /// Writes the finished rows at the front, up to the first object still in storage.
    fn write_ready<W: Write>(&mut self, out: &mut RowWriter<W>) {
        while let Some(entry) = self.pending.first_entry() {
            match entry.get() {
                Some(r) => out.raw(r),
                None => break,
            }
            entry.remove();
            self.waiting -= 1;
        }
    }

    fn done<W: Write>(&mut self, key: Key, row: Vec<u8>, out: &mut RowWriter<W>) {
        self.pending.insert(key, Some(row));
        self.waiting += 1;
        if self.runs.is_empty() {
            self.write_ready(out);
        }
        if let Some((_, _, limit)) = &self.spill_dir {
            if self.waiting > *limit {
                self.spill();
            }
        }
    }

    /// Moves every waiting row, in order, into a new run file.
    fn spill(&mut self) {
        let Some((dir, name, _)) = &self.spill_dir else {
            return;
        };
        let path = dir.join(format!(
            ".{name}.{}.run{}.batchsim-tmp",
            std::process::id(),
            self.runs.len()
        ));
        let mut result = std::fs::File::create(&path).map(std::io::BufWriter::new);
        // `retain` visits in key order: finished rows go to the run, live objects stay.
        self.pending.retain(|k, v| match v.take() {
            Some(row) => {
                if let Ok(f) = result.as_mut() {
                    if let Err(e) = write_record(f, k, &row) {
                        result = Err(e);
                    }
                }
                false
            }
            None => true,
        });
        let result = result.and_then(|mut f| f.flush());
        self.runs.push(path);
        self.waiting = 0;
        if let (Err(e), None) = (result, &self.error) {
            self.error = Some(e);
        }
    }

    /// Writes every row (the objects still in storage must have been marked done), merging the
    /// spilled runs, and removes the run files.
    fn finish<W: Write>(&mut self, out: &mut RowWriter<W>) -> std::io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let rest = std::mem::take(&mut self.pending);
        if self.runs.is_empty() {
            for r in rest.into_values().flatten() {
                out.raw(&r);
            }
            return Ok(());
        }
        let mut readers = Vec::new();
        for p in &self.runs {
            readers.push(std::io::BufReader::new(std::fs::File::open(p)?));
        }
        let mut memory = rest.into_iter().filter_map(|(k, v)| v.map(|r| (k, r)));
        // Heads of the runs (the in-memory rest is the last one), merged by key.
        let mut heads: Vec<Option<(Key, Vec<u8>)>> = Vec::new();
        for r in &mut readers {
            heads.push(read_record(r)?);
        }
        heads.push(memory.next());
        loop {
            let next = heads
                .iter()
                .enumerate()
                .filter_map(|(i, h)| h.as_ref().map(|(k, _)| (k, i)))
                .min()
                .map(|(_, i)| i);
            let Some(i) = next else { break };
            if let Some((_, row)) = heads[i].take() {
                out.raw(&row);
            }
            heads[i] = match readers.get_mut(i) {
                Some(r) => read_record(r)?,
                None => memory.next(),
            };
        }
        Ok(())
    }
}

impl Drop for Ordered {
    fn drop(&mut self) {
        // Spilled runs are temporary: one that cannot be removed is left behind and named.
        for p in &self.runs {
            match std::fs::remove_file(p) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    eprintln!("warning: cannot remove {}: {e}", p.display());
                }
                _ => {}
            }
        }
    }
}

fn write_record(f: &mut impl Write, k: &Key, row: &[u8]) -> std::io::Result<()> {
    f.write_all(&k.0 .0.to_le_bytes())?;
    f.write_all(&k.2 .0.to_le_bytes())?;
    f.write_all(&(k.1.len() as u64).to_le_bytes())?;
    f.write_all(k.1.as_bytes())?;
    f.write_all(&(row.len() as u64).to_le_bytes())?;
    f.write_all(row)
}

fn read_u64(r: &mut impl std::io::Read) -> std::io::Result<Option<u64>> {
    let mut b = [0u8; 8];
    match r.read_exact(&mut b) {
        Ok(()) => Ok(Some(u64::from_le_bytes(b))),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}

fn read_record(r: &mut impl std::io::Read) -> std::io::Result<Option<(Key, Vec<u8>)>> {
    let Some(created) = read_u64(r)? else {
        return Ok(None);
    };
    let corrupt = || std::io::Error::new(std::io::ErrorKind::InvalidData, "truncated spill run");
    let uid = read_u64(r)?.ok_or_else(corrupt)?;
    let name_len = read_u64(r)?.ok_or_else(corrupt)?;
    let mut name = vec![0u8; name_len as usize];
    r.read_exact(&mut name)?;
    let row_len = read_u64(r)?.ok_or_else(corrupt)?;
    let mut row = vec![0u8; row_len as usize];
    r.read_exact(&mut row)?;
    let name = String::from_utf8(name).map_err(|_| corrupt())?;
    Ok(Some(((Time(created as i64), name, Uid(uid)), row)))
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

/// The files' side of a stream: the live-set tracker, the creation-order buffers, the three
/// writers and the load. It runs on the writer thread and applies the notes the simulation
/// thread sends ([`CsvStream`]).
struct Files<W: Write> {
    start: Time,
    tracker: Tracker,
    pod_order: Ordered,
    job_order: Ordered,
    /// Formats one row at a time for the ordered buffers.
    format: RowWriter<std::io::Sink>,
    pods: RowWriter<W>,
    jobs: RowWriter<W>,
    events: RowWriter<W>,
    load: LoadBinsBuilder,
}

/// One notification for the writer thread, owned so that it can cross to it.
enum Note {
    /// A pod was added, modified or deleted.
    Pod(Time, PodView, Op),
    /// A Job was added, modified or deleted.
    Job(Time, JobView, Op),
    /// An Event was recorded.
    Event(Event),
}

impl<W: Write> Files<W> {
    fn new(start: Time, pods: W, jobs: W, events: W) -> Files<W> {
        Files {
            start,
            tracker: Tracker::new(false),
            pod_order: Ordered::new(),
            job_order: Ordered::new(),
            format: RowWriter::formatter(),
            pods: RowWriter::new(pods, &POD_HEADERS),
            jobs: RowWriter::new(jobs, &JOB_HEADERS),
            events: RowWriter::new(events, &EVENT_HEADERS),
            load: LoadBinsBuilder::new(start),
        }
    }

    /// Applies one notification.
    fn apply(&mut self, note: Note) {
        match note {
            Note::Pod(now, pod, op) => self.pod(now, &pod, op),
            Note::Job(now, job, op) => self.job(now, &job, op),
            Note::Event(e) => self.events.event(&e, self.start),
        }
    }

    fn pod(&mut self, now: Time, pod: &PodView, op: Op) {
        let (change, done) = self.tracker.pod(now, pod, op);
        let key = || (pod.created_at, pod.name.to_string(), pod.uid);
        if change.before.is_none() {
            self.pod_order.added(key());
        }
        if change.before != change.after {
            let (cpu, memory) = pod.requests;
            self.load
                .change(now, change.before, change.after, cpu, memory);
        }
        if let Some(r) = done {
            let start = self.start;
            let out = (&mut self.pods, &mut self.format);
            self.pod_order
                .emit(key(), out, |w| w.pod(&r, start), |w| w.pod(&r, start));
        }
    }

    fn job(&mut self, now: Time, job: &JobView, op: Op) {
        let key = || (job.created_at, job.name.to_string(), job.uid);
        if op == Op::Added {
            self.job_order.added(key());
        }
        if let Some(r) = self.tracker.job(now, job, op) {
            let start = self.start;
            let out = (&mut self.jobs, &mut self.format);
            self.job_order
                .emit(key(), out, |w| w.job(&r, start), |w| w.job(&r, start));
        }
    }

    /// Writes the rows of the objects still in storage, flushes, and returns the sinks (or the
    /// first write error) with the load up to `end`.
    #[allow(clippy::type_complexity)]
    fn finish(mut self, end: Time) -> std::io::Result<(W, W, W, LoadBins)> {
        let (live_pods, live_jobs) = std::mem::take(&mut self.tracker).into_live();
        for (uid, r) in live_pods {
            self.format.pod(&r, self.start);
            let row = self.format.take_rows();
            self.pod_order
                .pending
                .insert((r.created, r.pod.clone(), uid), Some(row));
        }
        for (uid, r) in live_jobs {
            self.format.job(&r, self.start);
            let row = self.format.take_rows();
            self.job_order
                .pending
                .insert((r.created, r.job.clone(), uid), Some(row));
        }
        self.pod_order.finish(&mut self.pods)?;
        self.job_order.finish(&mut self.jobs)?;
        Ok((
            self.pods.finish()?,
            self.jobs.finish()?,
            self.events.finish()?,
            self.load.finish(end),
        ))
    }
}

/// An [`Observer`] that writes the three CSV files while the run goes on. The summary and the
/// chart window are kept on the simulation thread; everything else goes, as owned notes, to a
/// writer thread ([`crate::output::spool`]).
pub struct CsvStream<W: Write + Send + 'static> {
    window_end: Time,
    window: Recorder,
    summary: Summary,
    spool: Spool<Files<W>, Note>,
}

impl<W: Write + Send + 'static> CsvStream<W> {
    /// A stream of a run starting at `start` into the three sinks; the chart window is
    /// `[start, start + window)`. With `spill = Some((dir, rows))`, rows waiting for earlier ones
    /// are spilled to run files in `dir` (the output folder) once more than `rows` wait; without
    /// it the waiting buffers only grow.
    pub fn new(
        start: Time,
        window: Millis,
        (pods, jobs, events): (W, W, W),
        spill: Option<(&Path, usize)>,
    ) -> CsvStream<W> {
        let mut files = Files::new(start, pods, jobs, events);
        if let Some((dir, rows)) = spill {
            files.pod_order.spill_dir = Some((dir.to_path_buf(), "pods.csv".into(), rows));
            files.job_order.spill_dir = Some((dir.to_path_buf(), "jobs.csv".into(), rows));
        }
        CsvStream {
            window_end: start.plus(window),
            window: Recorder::new(),
            summary: Summary::new(),
            spool: Spool::start(files, Files::apply),
        }
    }

    /// Writes the rows of the objects still in storage, flushes, and returns the sinks (or the
    /// first write error) with the window and the load up to `end`.
    pub fn finish(mut self, end: Time) -> std::io::Result<Streamed<W>> {
        let (pods, jobs, events, load) = self.spool.finish()?.finish(end)?;
        self.summary.finish();
        Ok(Streamed {
            pods,
            jobs,
            events,
            window: self.window,
            load,
            summary: self.summary,
        })
    }
}

impl<W: Write + Send + 'static> Observer for CsvStream<W> {
    fn pod(&mut self, now: Time, pod: &Pod, op: Op) {
        self.summary.pod(now, pod, op);
        if pod.meta.created_at < self.window_end {
            self.window.pod(now, pod, op);
        }
        self.spool.push(Note::Pod(now, PodView::of(pod), op));
    }

    fn job(&mut self, now: Time, job: &Job, op: Op) {
        self.summary.job(now, job, op);
        if job.meta.created_at < self.window_end {
            self.window.job(now, job, op);
        }
        self.spool.push(Note::Job(now, JobView::of(job), op));
    }

    fn event(&mut self, event: &Event) {
        if event.time < self.window_end {
            self.window.event(event);
        }
        self.summary.event(event);
        self.spool.push(Note::Event(event.clone()));
    }
}

#[cfg(test)]
mod tests;
