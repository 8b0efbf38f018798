//! `kubectl get pods -w`: the initial list, then one row per watch event, all written through a
//! single tabwriter that is flushed after every event (kubectl `get.go` `watch`), so column widths
//! only ever grow (`RememberWidths`) and the header appears once, with the first row.

use std::collections::BTreeMap;

use crate::cluster::model::{Pod, Uid};
use crate::output::timefmt::format_seconds;
use crate::sim::time::Time;

use super::printers::pod_row;
use super::tabwriter::TabWriter;
use super::{tabbed_line, POD_HEADERS};

/// Builds the lines `kubectl get pods -w` prints, fed by the simulator's pod changes.
///
/// A real watch prints one line per API update. The simulator's updates can be finer or coarser
/// than the API server's, so [`PodWatch::observe`] prints a row only when NAME, READY, STATUS or
/// RESTARTS differ from the last row printed for that pod (AGE alone never triggers a line, but
/// is computed at the event time like the server-side table of the event). Deletions always print.
#[derive(Clone, Debug, Default)]
pub struct PodWatch {
    writer: TabWriter,
    headers_printed: bool,
    /// First four cells of the last row printed per pod; a pod that was never printed is absent.
    last: BTreeMap<Uid, Vec<String>>,
}

impl PodWatch {
    /// A watch that has printed nothing yet.
    pub fn new() -> PodWatch {
        PodWatch::default()
    }

    /// The list kubectl prints before it starts watching (one flush; header included unless the
    /// list is empty, in which case nothing is printed, not even "No resources found").
    pub fn list(&mut self, pods: &[&Pod], now: Time) -> Vec<String> {
        let mut sorted = pods.to_vec();
        sorted.sort_by(|a, b| {
            (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name))
        });
        let mut rows = Vec::with_capacity(sorted.len());
        for pod in sorted {
            let cells = pod_row(pod, now).cells();
            self.last.insert(pod.meta.uid, cells[..4].to_vec());
            rows.push(cells);
        }
        self.emit(&rows)
    }

    /// An ADDED or MODIFIED event for `pod` at `now`: the lines to print (possibly none).
    pub fn observe(&mut self, now: Time, pod: &Pod) -> Vec<String> {
        let cells = pod_row(pod, now).cells();
        let key = &cells[..4];
        if self.last.get(&pod.meta.uid).is_some_and(|l| l == key) {
            return Vec::new();
        }
        self.last.insert(pod.meta.uid, key.to_vec());
        self.emit(&[cells])
    }

    /// The DELETED event for `pod` (its final state) at `now`: kubectl prints it as an ordinary
    /// row, even when it repeats the previous one.
    pub fn deleted(&mut self, now: Time, pod: &Pod) -> Vec<String> {
        self.last.remove(&pod.meta.uid);
        let cells = pod_row(pod, now).cells();
        self.emit(&[cells])
    }

    /// Writes rows (with the header before the first row ever printed) and flushes.
    fn emit(&mut self, rows: &[Vec<String>]) -> Vec<String> {
        if rows.is_empty() {
            return Vec::new();
        }
        let mut text = String::new();
        if !self.headers_printed {
            let header: Vec<String> = POD_HEADERS.iter().map(|h| h.to_string()).collect();
            text.push_str(&tabbed_line(&header));
            self.headers_printed = true;
        }
        for row in rows {
            text.push_str(&tabbed_line(row));
        }
        let out = self.writer.flush(&text);
        out.lines().map(str::to_string).collect()
    }
}

/// The prefix callers put before each watch line: `[  +12.345s 12:00:12]`, i.e. the offset from
/// `start` in seconds with millisecond precision, right-aligned in 9 characters so kubectl's
/// columns stay aligned for runs under ~27 h, then the UTC wall-clock time of `now`.
pub fn watch_prefix(start: Time, now: Time) -> String {
    let offset = now.since(start);
    let signed = if offset < 0 {
        format_seconds(offset)
    } else {
        format!("+{}", format_seconds(offset))
    };
    format!("[{signed:>9}s {}]", now.to_utc().format("%H:%M:%S"))
}

/// Collects `kubectl get pods -w` lines during a run, each prefixed with the virtual time.
#[derive(Debug)]
pub struct WatchLines {
    start: crate::sim::time::Time,
    watch: PodWatch,
    /// The lines printed so far.
    pub lines: Vec<String>,
}

impl WatchLines {
    /// A watch that starts at `start` (the list is empty then).
    pub fn new(start: crate::sim::time::Time) -> WatchLines {
        WatchLines {
            start,
            watch: PodWatch::new(),
            lines: Vec::new(),
        }
    }
}

impl crate::cluster::watch::Observer for WatchLines {
    fn pod(
        &mut self,
        now: crate::sim::time::Time,
        pod: &crate::cluster::model::Pod,
        op: crate::cluster::store::Op,
    ) {
        let out = if op == crate::cluster::store::Op::Deleted {
            self.watch.deleted(now, pod)
        } else {
            self.watch.observe(now, pod)
        };
        let prefix = watch_prefix(self.start, now);
        for l in out {
            // The header line carries no event time; pad it so the columns stay aligned.
            let p = if l.starts_with("NAME") {
                " ".repeat(prefix.chars().count())
            } else {
                prefix.clone()
            };
            self.lines.push(format!("{p} {l}"));
        }
    }

    fn job(
        &mut self,
        _now: crate::sim::time::Time,
        _job: &crate::cluster::model::Job,
        _op: crate::cluster::store::Op,
    ) {
    }

    fn event(&mut self, _event: &crate::cluster::model::Event) {}
}
