//! Work handed to a second thread in batches: the streamed CSV files are tracked, ordered,
//! formatted and written there.
//!
//! A long run sends millions of notifications to its outputs, and turning them into rows (the
//! live-set tracker, the creation-order buffers, two timestamps per field, quoting) cost about as
//! much as a third of the simulation itself. The simulation thread only moves each notification,
//! as an owned value, into a batch; a worker thread applies them in the order received, so the
//! files are byte for byte what a single thread writes. Batches travel over a bounded channel
//! and come back to be reused, so memory stays at a few batches whatever the run length.

use std::io;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

/// A batch is handed over once it holds this many items. Each hand-over wakes the worker; about
/// 2000 notifications filled the 256 KiB byte batches that took 3% off 120 days of hello-2 with
/// every file written compared with 64 KiB ones.
const BATCH_ITEMS: usize = 2048;
/// Batches in flight before the simulation waits for the worker.
const IN_FLIGHT: usize = 4;

/// The simulation side of a worker thread that owns a state `S` and applies items `T` to it.
pub struct Spool<S, T> {
    batch: Vec<T>,
    full: Option<SyncSender<Vec<T>>>,
    empty: Receiver<Vec<T>>,
    worker: Option<JoinHandle<S>>,
}

impl<S: Send + 'static, T: Send + 'static> Spool<S, T> {
    /// Moves `state` to a new thread that calls `apply` on it with every item, in order.
    pub fn start(mut state: S, mut apply: impl FnMut(&mut S, T) + Send + 'static) -> Spool<S, T> {
        let (full_tx, full_rx) = mpsc::sync_channel::<Vec<T>>(IN_FLIGHT);
        let (empty_tx, empty_rx) = mpsc::channel::<Vec<T>>();
        let work = move || {
            for mut batch in full_rx {
                for item in batch.drain(..) {
                    apply(&mut state, item);
                }
                // The simulation side keeps the receiver as long as it can send, so a failed
                // return means nobody sends more or asks for the state: stop.
                if empty_tx.send(batch).is_err() {
                    break;
                }
            }
            state
        };
        // Named so profilers and debuggers tell it from the simulation thread.
        let worker = std::thread::Builder::new()
            .name("batchsim-writer".into())
            .spawn(work);
        // No thread to be had: the channel then refuses batches and `finish` reports it.
        let worker = worker.ok();
        Spool {
            batch: Vec::with_capacity(BATCH_ITEMS),
            full: Some(full_tx),
            empty: empty_rx,
            worker,
        }
    }

    /// Queues one item; hands the batch over once it is full.
    pub fn push(&mut self, item: T) {
        self.batch.push(item);
        if self.batch.len() >= BATCH_ITEMS {
            self.hand_over();
        }
    }

    fn hand_over(&mut self) {
        let next = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BATCH_ITEMS));
        let batch = std::mem::replace(&mut self.batch, next);
        if let Some(tx) = &self.full {
            // A send fails only if the worker ended early (it panicked); `finish` reports that.
            if tx.send(batch).is_err() {
                self.full = None;
            }
        }
    }

    /// Applies what is queued, stops the thread and returns the state; a worker that panicked
    /// (or never started) is an error.
    pub fn finish(mut self) -> io::Result<S> {
        if !self.batch.is_empty() {
            self.hand_over();
        }
        self.full = None;
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(state)) => Ok(state),
            // A panic's message went to stderr as it happened; the run fails with this error.
            Some(Err(_)) | None => Err(io::Error::other("the output writer thread stopped")),
        }
    }
}

impl<S, T> Drop for Spool<S, T> {
    fn drop(&mut self) {
        // A run abandoned midway still ends its worker before its files are cleaned up:
        // closing the channel ends the thread's loop.
        self.full = None;
        if let Some(worker) = self.worker.take() {
            // Only an unfinished spool gets here, which only a panic unwinding its owner leaves
            // behind: that panic is the one to report. A worker panic met outside unwinding
            // is raised on this thread rather than lost.
            if let Err(panic) = worker.join() {
                if !std::thread::panicking() {
                    std::panic::resume_unwind(panic);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items come back in order across many batches.
    #[test]
    fn batches_reach_the_worker_in_order() {
        fn apply(seen: &mut Vec<(i64, String)>, item: (i64, String)) {
            seen.push(item);
        }
        let mut spool = Spool::start(Vec::new(), apply);
        for i in 0..20_000i64 {
            spool.push((i - 7, format!("row {i}")));
        }
        let seen = spool.finish().unwrap();
        assert_eq!(seen.len(), 20_000);
        assert_eq!(seen[0], (-7, "row 0".to_string()));
        assert_eq!(seen[19_999], (19_992, "row 19999".to_string()));
        assert!(seen.windows(2).all(|w| w[1].0 == w[0].0 + 1));
    }

    /// A worker that panics makes `finish` report it instead of hanging or panicking.
    #[test]
    fn a_stopped_worker_reaches_finish() {
        fn apply(_: &mut (), _: u8) {
            panic!("worker failure (expected by this test)");
        }
        let mut spool = Spool::start((), apply);
        for _ in 0..4 * BATCH_ITEMS {
            spool.push(1);
        }
        let err = spool.finish().err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("the output writer thread stopped"));
    }
}
