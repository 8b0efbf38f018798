//! The load of a long run binned while it runs: integrals and peaks per bin, with bins that
//! widen (and merge) as the run grows so a year costs about as much memory as a day.

use super::{stack_index, LoadPoint};
use crate::output::timeline::PodState;
use crate::sim::time::{Millis, Time};

/// The load of a long run, aggregated while it ran into equal bins aligned to its start, so
/// that a year-long run needs about as much memory for its chart as a day-long one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadBins {
    /// Start of the first bin.
    pub start: Time,
    /// Width of every bin.
    pub width: Millis,
    /// The bins, in time order.
    pub bins: Vec<LoadBin>,
}

/// One bin of [`LoadBins`]: integrals over the bin and peaks at any instant in it.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct LoadBin {
    /// Pod-milliseconds spent in each stacked state, bottom to top: Running, CrashLoopBackOff,
    /// Terminating, Pending.
    pub pod_ms: [f64; 4],
    /// Millicore-milliseconds requested.
    pub cpu_ms: f64,
    /// Byte-milliseconds requested.
    pub memory_ms: f64,
    /// Most unfinished pods at any instant.
    pub peak_active: u32,
    /// Most millicores requested at any instant.
    pub peak_cpu: i64,
    /// Most bytes requested at any instant.
    pub peak_memory: i64,
}

/// Bin widths a run moves through as it grows; each is a multiple of the one before, so two
/// or more bins merge exactly into one wider bin.
const BIN_LADDER: [Millis; 17] = [
    1_000,
    2_000,
    10_000,
    30_000,
    60_000,
    120_000,
    600_000,
    1_800_000,
    3_600_000,
    7_200_000,
    21_600_000,
    43_200_000,
    86_400_000,
    172_800_000,
    864_000_000,
    2_592_000_000,
    7_776_000_000,
];

/// At most this many bins are kept; a longer run widens the bins (4096 keeps several bins per
/// pixel column of a 1600 px chart).
const MAX_BINS: usize = 4096;

/// Builds [`LoadBins`] from state changes in time order.
#[derive(Clone, Debug)]
pub struct LoadBinsBuilder {
    bins: LoadBins,
    rung: usize,
    /// The load since `since`, valid until the next change.
    now: LoadPoint,
    since: Time,
}

impl LoadBinsBuilder {
    /// An empty load from `start` on.
    pub fn new(start: Time) -> LoadBinsBuilder {
        LoadBinsBuilder {
            bins: LoadBins {
                start,
                width: BIN_LADDER[0],
                bins: Vec::new(),
            },
            rung: 0,
            now: LoadPoint::default(),
            since: start,
        }
    }

    /// A pod left state `before` and entered `after` at `t` (None: did not exist); `cpu` and
    /// `memory` are its requests.
    pub fn change(
        &mut self,
        t: Time,
        before: Option<PodState>,
        after: Option<PodState>,
        cpu: i64,
        memory: i64,
    ) {
        let (b, a) = (before.and_then(stack_index), after.and_then(stack_index));
        if b == a {
            return;
        }
        if t > self.since {
            self.hold_until(t);
        }
        let mut counts = self.counts();
        if let Some(i) = b {
            counts[i] = counts[i].saturating_sub(1);
            self.now.cpu_millis -= cpu;
            self.now.memory_bytes -= memory;
        }
        if let Some(i) = a {
            counts[i] += 1;
            self.now.cpu_millis += cpu;
            self.now.memory_bytes += memory;
        }
        self.set_counts(counts);
        // Peaks count the load as it is after each change at an instant.
        self.touch(self.since, self.since);
    }

    fn counts(&self) -> [u32; 4] {
        [
            self.now.running,
            self.now.crashloop,
            self.now.terminating,
            self.now.pending,
        ]
    }

    fn set_counts(&mut self, c: [u32; 4]) {
        self.now.running = c[0];
        self.now.crashloop = c[1];
        self.now.terminating = c[2];
        self.now.pending = c[3];
    }

    /// Accounts the current load over `[since, t)`.
    fn hold_until(&mut self, t: Time) {
        self.touch(self.since, t);
        self.since = t;
    }

    /// Adds the current load over `[from, to)` to the bins it overlaps (peaks too when the
    /// span is empty).
    fn touch(&mut self, from: Time, to: Time) {
        let last = to.since(self.bins.start).max(from.since(self.bins.start));
        while (last / self.bins.width) as usize >= MAX_BINS && self.rung + 1 < BIN_LADDER.len() {
            self.widen();
        }
        let w = self.bins.width;
        let first = (from.since(self.bins.start) / w).max(0) as usize;
        let end = ((to.since(self.bins.start) + w - 1) / w).max(first as i64 + 1) as usize;
        if self.bins.bins.len() < end {
            self.bins.bins.resize(end, LoadBin::default());
        }
        let counts = self.counts();
        for i in first..end {
            let (b0, b1) = (
                self.bins.start.plus(i as i64 * w),
                self.bins.start.plus((i as i64 + 1) * w),
            );
            let dt = to.min(b1).since(from.max(b0)).max(0) as f64;
            let bin = &mut self.bins.bins[i];
            for (acc, c) in bin.pod_ms.iter_mut().zip(counts) {
                *acc += f64::from(c) * dt;
            }
            bin.cpu_ms += self.now.cpu_millis as f64 * dt;
            bin.memory_ms += self.now.memory_bytes as f64 * dt;
            bin.peak_active = bin.peak_active.max(self.now.active());
            bin.peak_cpu = bin.peak_cpu.max(self.now.cpu_millis);
            bin.peak_memory = bin.peak_memory.max(self.now.memory_bytes);
        }
    }

    /// Moves to the next wider bin width, merging the bins that fall into each new one.
    fn widen(&mut self) {
        self.rung += 1;
        let factor = (BIN_LADDER[self.rung] / self.bins.width) as usize;
        self.bins.width = BIN_LADDER[self.rung];
        let merged: Vec<LoadBin> = self
            .bins
            .bins
            .chunks(factor)
            .map(|c| {
                c.iter().fold(LoadBin::default(), |mut acc, b| {
                    for (x, y) in acc.pod_ms.iter_mut().zip(b.pod_ms) {
                        *x += y;
                    }
                    acc.cpu_ms += b.cpu_ms;
                    acc.memory_ms += b.memory_ms;
                    acc.peak_active = acc.peak_active.max(b.peak_active);
                    acc.peak_cpu = acc.peak_cpu.max(b.peak_cpu);
                    acc.peak_memory = acc.peak_memory.max(b.peak_memory);
                    acc
                })
            })
            .collect();
        self.bins.bins = merged;
    }

    /// The bins up to `end` (the load still held is accounted until then).
    pub fn finish(mut self, end: Time) -> LoadBins {
        if end > self.since {
            self.hold_until(end);
        }
        let keep = ((end.since(self.bins.start) + self.bins.width - 1) / self.bins.width).max(0);
        self.bins.bins.truncate(keep as usize);
        self.bins
    }
}
