//! The summary of a run: counts that need no per-object history, so `run --summary-only` can
//! simulate a year while keeping only the live set.

use crate::cluster::model::{Event, Job, Pod, PodPhase, Uid};
use crate::cluster::store::Op;
use crate::cluster::watch::Observer;
use crate::output::timefmt::{format_seconds, rfc3339_millis};
use crate::sim::time::Time;
use crate::simulation::RunStats;
use rustc_hash::FxHashMap;

/// Counters of a run, gathered as it goes.
#[derive(Debug, Default)]
pub struct Summary {
    /// Jobs created.
    pub jobs: u64,
    /// Pods created.
    pub pods: u64,
    /// Events recorded.
    pub events: u64,
    /// Pods whose last phase was Succeeded.
    pub succeeded: u64,
    /// Pods whose last phase was Failed.
    pub failed: u64,
    /// Pods that left storage, or were still there at the end, in Pending or Running.
    pub unfinished: u64,
    /// The most pods that existed unfinished (Pending or Running) at one instant.
    pub peak_unfinished: u64,
    /// Unfinished pods now.
    current: u64,
    /// The last phase of every pod in storage.
    live: FxHashMap<Uid, PodPhase>,
}

impl Summary {
    /// An empty summary.
    pub fn new() -> Summary {
        Summary::default()
    }

    fn count_end(&mut self, phase: PodPhase) {
        match phase {
            PodPhase::Succeeded => self.succeeded += 1,
            PodPhase::Failed => self.failed += 1,
            _ => self.unfinished += 1,
        }
    }

    /// Counts the pods still in storage by their phase; call once, at the end of the run.
    pub fn finish(&mut self) {
        let live: Vec<PodPhase> = self.live.drain().map(|(_, p)| p).collect();
        for p in live {
            self.count_end(p);
        }
    }

    /// The summary as printed: the headline, then pod outcomes and the engine's counters.
    pub fn text(&self, name: &str, start: Time, stats: &RunStats, settings: &str) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "{name}: simulated {} s from {} ({settings}): {} job(s), {} pod(s), {} event(s)\n",
            format_seconds(stats.end.since(start)),
            rfc3339_millis(start),
            self.jobs,
            self.pods,
            self.events,
        ));
        out.push_str(&format!(
            "pods: {} succeeded, {} failed, {} unfinished; at most {} unfinished at once; engine: {} events, {} syncs\n",
            self.succeeded,
            self.failed,
            self.unfinished,
            self.peak_unfinished,
            stats.events,
            stats.syncs,
        ));
        out
    }
}

impl Observer for Summary {
    fn pod(&mut self, _now: Time, pod: &Pod, op: Op) {
        let phase = pod.status.phase;
        let before = if op == Op::Added {
            self.pods += 1;
            self.live.insert(pod.meta.uid, phase);
            None
        } else {
            self.live
                .get_mut(&pod.meta.uid)
                .map(|p| std::mem::replace(p, phase))
        };
        let was_unfinished = before.is_some_and(|p| !p.is_terminal());
        let is_unfinished = op != Op::Deleted && !phase.is_terminal();
        if is_unfinished && !was_unfinished {
            self.current += 1;
            self.peak_unfinished = self.peak_unfinished.max(self.current);
        } else if was_unfinished && !is_unfinished {
            self.current -= 1;
        }
        if op == Op::Deleted {
            self.live.remove(&pod.meta.uid);
            self.count_end(phase);
        }
    }

    fn job(&mut self, _now: Time, _job: &Job, op: Op) {
        if op == Op::Added {
            self.jobs += 1;
        }
    }

    fn event(&mut self, _event: &Event) {
        self.events += 1;
    }
}
