//! A work queue with client-go's delaying-queue semantics
//! (`staging/src/k8s.io/client-go/util/workqueue/delaying_queue.go`): `AddAfter(key, d)` makes
//! the key due at `now + d`, and a key already waiting keeps its earliest due time, so a later
//! request for a waiting key is dropped.
//!
//! The queue only books due times; the engine turns each new booking into a timer on its event
//! queue and asks [`WorkQueue::take`] when a timer fires whether it is still the key's current
//! one (a superseded timer is stale and does nothing).

use std::hash::Hash;

use crate::sim::time::Time;
use rustc_hash::FxHashMap;

/// The keys waiting to be processed and when each is due.
#[derive(Debug)]
pub struct WorkQueue<K> {
    due: FxHashMap<K, Time>,
}

impl<K> Default for WorkQueue<K> {
    fn default() -> WorkQueue<K> {
        WorkQueue {
            due: FxHashMap::default(),
        }
    }
}

impl<K: Hash + Eq> WorkQueue<K> {
    /// Books `key` at `at` unless it already waits for an earlier or equal time. Returns true
    /// when the booking is new or earlier, so a timer must be set for it.
    pub fn add_at(&mut self, key: K, at: Time) -> bool {
        match self.due.entry(key) {
            std::collections::hash_map::Entry::Occupied(mut e) => {
                if *e.get() <= at {
                    return false;
                }
                e.insert(at);
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(at);
            }
        }
        true
    }

    /// A timer for `key` fired at `at`: true (and the key leaves the queue) when that is the
    /// key's current due time; false for a superseded timer.
    pub fn take(&mut self, key: &K, at: Time) -> bool {
        match self.due.get(key) {
            Some(t) if *t == at => {
                self.due.remove(key);
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// client-go `TestAddTwoFireEarly`: the earliest of two requests wins; the later is dropped.
    #[test]
    fn a_waiting_key_keeps_its_earliest_time() {
        let mut q = WorkQueue::default();
        assert!(q.add_at("foo", Time(50)));
        assert!(!q.add_at("foo", Time(60)));
        assert!(q.add_at("foo", Time(20)));
        assert!(!q.take(&"foo", Time(50)), "the superseded timer is stale");
        assert!(q.take(&"foo", Time(20)));
        assert!(!q.take(&"foo", Time(20)), "a key is handed out once");
        assert!(
            q.add_at("foo", Time(70)),
            "after it was handed out it can be added again"
        );
    }
}
