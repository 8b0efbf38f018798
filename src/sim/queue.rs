//! The engine's event queue: a 4-ary min-heap ordered by `(time, phase, sequence)`.
//!
//! Keys are unique (the sequence number is), so any correct priority queue pops the same
//! order; a 4-ary heap halves the depth of `std`'s binary heap, and with a hundred CronJobs the
//! binary heap's sift-down was the largest single cost of a run.

use crate::sim::time::Time;

/// One queued item with its ordering key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<T> {
    /// When it is due.
    pub time: Time,
    /// Phase (top 8 bits) and insertion sequence (low 56 bits): the tie-break at equal times.
    order: u64,
    /// The payload.
    pub item: T,
}

impl<T> Entry<T> {
    fn key(&self) -> (Time, u64) {
        (self.time, self.order)
    }

    /// The phase the entry was pushed with.
    #[cfg(test)]
    pub fn phase(&self) -> u8 {
        (self.order >> 56) as u8
    }

    /// The insertion sequence number.
    #[cfg(test)]
    pub fn seq(&self) -> u64 {
        self.order & SEQ_MASK
    }
}

const SEQ_MASK: u64 = (1 << 56) - 1;
const ARITY: usize = 4;

/// A min-queue of items by `(time, phase, insertion order)`.
#[derive(Debug)]
pub struct EventQueue<T> {
    heap: Vec<Entry<T>>,
    seq: u64,
}

impl<T> Default for EventQueue<T> {
    fn default() -> EventQueue<T> {
        EventQueue::new()
    }
}

impl<T> EventQueue<T> {
    /// An empty queue.
    pub fn new() -> EventQueue<T> {
        EventQueue {
            heap: Vec::new(),
            seq: 0,
        }
    }

    /// Queues `item` at `time` in `phase`; equal `(time, phase)` pop in push order.
    pub fn push(&mut self, time: Time, phase: u8, item: T) {
        // 2^56 pushes would take centuries at the engine's speed.
        self.seq = (self.seq + 1) & SEQ_MASK;
        let entry = Entry {
            time,
            order: (u64::from(phase) << 56) | self.seq,
            item,
        };
        self.heap.push(entry);
        let mut i = self.heap.len() - 1;
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if self.heap[i].key() < self.heap[parent].key() {
                self.heap.swap(i, parent);
                i = parent;
            } else {
                break;
            }
        }
    }

    /// The time of the earliest entry.
    pub fn peek_time(&self) -> Option<Time> {
        self.heap.first().map(|e| e.time)
    }

    /// Removes and returns the earliest entry.
    pub fn pop(&mut self) -> Option<Entry<T>> {
        if self.heap.is_empty() {
            return None;
        }
        let top = self.heap.swap_remove(0);
        let n = self.heap.len();
        let mut i = 0;
        loop {
            let first = ARITY * i + 1;
            if first >= n {
                break;
            }
            let mut best = first;
            for c in first + 1..(first + ARITY).min(n) {
                if self.heap[c].key() < self.heap[best].key() {
                    best = c;
                }
            }
            if self.heap[best].key() < self.heap[i].key() {
                self.heap.swap(i, best);
                i = best;
            } else {
                break;
            }
        }
        Some(top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Pops come out in `(time, phase, sequence)` order for random pushes interleaved with
    /// pops, the same order a sorted list gives.
    #[test]
    fn pops_in_key_order() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut q = EventQueue::new();
        let mut model: Vec<(i64, u8, u64)> = Vec::new();
        let mut popped = Vec::new();
        let mut expected = Vec::new();
        for step in 0..5_000u64 {
            if rng.random_range(0..3) > 0 {
                let t = rng.random_range(0..200);
                let phase = rng.random_range(0..4u8);
                q.push(Time(t), phase, step);
                model.push((t, phase, q.seq));
            } else if let Some(e) = q.pop() {
                popped.push((e.time.0, e.phase(), e.seq()));
                model.sort();
                expected.push(model.remove(0));
            }
        }
        while let Some(e) = q.pop() {
            popped.push((e.time.0, e.phase(), e.seq()));
        }
        model.sort();
        expected.extend(model);
        assert_eq!(popped, expected);
    }
}
