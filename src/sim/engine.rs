//! The dispatch core: the virtual clock, one event queue holding both the world's own events
//! (user actions, node-agent steps) and the work queues' timers, and the rule that decides which
//! comes first.
//!
//! # Event order
//! Entries are ordered by `(time, phase, sequence)`:
//! 1. time (integer milliseconds);
//! 2. phase at equal times: external input (user actions) first, then node-agent steps, then
//!    work triggered by a notification with no delay, then delayed work (requeues, batching,
//!    back-off and deadline timers). So a container that exits at the instant of a scheduled
//!    requeue is seen finished before the requeue runs;
//! 3. insertion sequence (FIFO).
//!
//! The engine is generic over the event payload `E` and the work key `K`; it knows nothing of
//! what they mean.

use std::hash::Hash;

use crate::sim::queue::EventQueue;
use crate::sim::time::{Millis, Time};
use crate::sim::workqueue::WorkQueue;

/// The tie-break class of an entry at equal times.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// External input (a user's command).
    Input = 0,
    /// A node agent's step (the kubelet).
    Agent = 1,
    /// Work requested with no delay.
    WorkNow = 2,
    /// Work requested after a delay.
    WorkLater = 3,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Item<E, K> {
    Event(E),
    Work(K),
}

/// What the engine hands out next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next<E, K> {
    /// A scheduled event is due.
    Event(E),
    /// A work-queue key is due.
    Work(K),
    /// A superseded work-queue timer fired: nothing to do.
    Stale,
}

/// The clock, the event queue and the work queue.
#[derive(Debug)]
pub struct Engine<E, K> {
    now: Time,
    queue: EventQueue<Item<E, K>>,
    work: WorkQueue<K>,
}

impl<E, K: Hash + Eq + Clone> Engine<E, K> {
    /// An engine whose clock starts at `start`.
    pub fn new(start: Time) -> Engine<E, K> {
        Engine {
            now: start,
            queue: EventQueue::new(),
            work: WorkQueue::default(),
        }
    }

    /// The current virtual time.
    pub fn now(&self) -> Time {
        self.now
    }

    /// Schedules `event` at `time`.
    pub fn at(&mut self, time: Time, phase: Phase, event: E) {
        self.queue.push(time, phase as u8, Item::Event(event));
    }

    /// client-go `AddAfter`: `key` becomes due `delay` from now (immediately when `delay <= 0`),
    /// unless it already waits for an earlier time.
    pub fn add_after(&mut self, key: K, delay: Millis) {
        let t = self.now.plus(delay.max(0));
        if self.work.add_at(key.clone(), t) {
            let phase = if delay <= 0 {
                Phase::WorkNow
            } else {
                Phase::WorkLater
            };
            self.queue.push(t, phase as u8, Item::Work(key));
        }
    }

    /// Pops the next entry due before `until`, advancing the clock to it.
    pub fn next_before(&mut self, until: Time) -> Option<Next<E, K>> {
        if self.queue.peek_time().is_none_or(|t| t >= until) {
            return None;
        }
        let entry = self.queue.pop()?;
        self.now = entry.time;
        Some(match entry.item {
            Item::Event(e) => Next::Event(e),
            Item::Work(k) if self.work.take(&k, entry.time) => Next::Work(k),
            Item::Work(_) => Next::Stale,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented tie-break: time, then phase (input < agent < work now < work later),
    /// then insertion order.
    #[test]
    fn queue_orders_by_time_phase_then_sequence() {
        let mut q = EventQueue::new();
        q.push(Time(10), Phase::WorkLater as u8, 1);
        q.push(Time(10), Phase::WorkNow as u8, 2);
        q.push(Time(10), Phase::Agent as u8, 3);
        q.push(Time(10), Phase::Input as u8, 4);
        q.push(Time(5), Phase::WorkLater as u8, 5);
        q.push(Time(10), Phase::WorkNow as u8, 6);
        let order: Vec<(i64, u8, u64)> = std::iter::from_fn(|| q.pop())
            .map(|e| (e.time.0, e.phase(), e.item))
            .collect();
        assert_eq!(
            order,
            vec![
                (5, 3, 5),
                (10, 0, 4),
                (10, 1, 3),
                (10, 2, 2),
                (10, 2, 6),
                (10, 3, 1),
            ]
        );
    }

    /// A work key requested twice runs once, at the earlier time; the later timer is stale.
    #[test]
    fn superseded_work_timers_are_stale() {
        let mut e: Engine<(), &str> = Engine::new(Time(0));
        e.add_after("k", 50);
        e.add_after("k", 20);
        e.add_after("k", 80);
        assert_eq!(e.next_before(Time(100)), Some(Next::Work("k")));
        assert_eq!(e.now(), Time(20));
        assert_eq!(e.next_before(Time(100)), Some(Next::Stale));
        assert_eq!(e.next_before(Time(100)), None);
    }
}
