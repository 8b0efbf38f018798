//! Work handed to a second thread in batches: the streamed CSV files are tracked, ordered,
//! formatted and written there.
//!
//! A long run sends millions of notifications to its outputs, and turning them into rows (the
//! live-set tracker, the creation-order buffers, two timestamps per field, quoting) cost about as
//! much as a third of the simulation itself. The simulation thread only copies each
//! notification's fields into a batch buffer ([`put_u64`], [`put_str`], …); a worker thread
//! applies the records in the order received ([`Cursor`]), so the files are byte for byte what a
//! single thread writes. Batches travel over a bounded channel and come back to be reused, so
//! memory stays at a few batches whatever the run length.

use std::io;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

/// A batch is handed over once it holds this many bytes. Each hand-over wakes the worker; at
/// 64 KiB the wake-ups showed in profiles, and 256 KiB took about 3% off 120 days of hello-2
/// with every file written (a few MB in flight at most).
const BATCH_BYTES: usize = 256 * 1024;
/// Batches in flight before the simulation waits for the worker.
const IN_FLIGHT: usize = 4;

/// The simulation side of a worker thread that owns a state `S` and applies batches to it.
pub struct Spool<S> {
    batch: Vec<u8>,
    full: Option<SyncSender<Vec<u8>>>,
    empty: Receiver<Vec<u8>>,
    worker: Option<JoinHandle<S>>,
}

impl<S: Send + 'static> Spool<S> {
    /// Moves `state` to a new thread that calls `apply` on it with every batch, in order.
    pub fn start(mut state: S, apply: fn(&mut S, &[u8])) -> Spool<S> {
        let (full_tx, full_rx) = mpsc::sync_channel::<Vec<u8>>(IN_FLIGHT);
        let (empty_tx, empty_rx) = mpsc::channel::<Vec<u8>>();
        let work = move || {
            for batch in full_rx {
                apply(&mut state, &batch);
                // The simulation side may be gone already (at finish); then drop the buffer.
                let _ = empty_tx.send(batch);
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
            batch: Vec::with_capacity(BATCH_BYTES + 1024),
            full: Some(full_tx),
            empty: empty_rx,
            worker,
        }
    }

    /// The batch being filled: append one whole record, then call [`Spool::commit`].
    pub fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.batch
    }

    /// Ends a record: hands the batch over once it is full.
    pub fn commit(&mut self) {
        if self.batch.len() >= BATCH_BYTES {
            self.hand_over();
        }
    }

    fn hand_over(&mut self) {
        let next = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BATCH_BYTES + 1024));
        let batch = std::mem::replace(&mut self.batch, next);
        if let Some(tx) = &self.full {
            // A send fails only if the worker ended early (it panicked); `finish` reports that.
            if tx.send(batch).is_err() {
                self.full = None;
            }
        }
        self.batch.clear();
    }

    /// Applies what is queued, stops the thread and returns the state.
    pub fn finish(mut self) -> io::Result<S> {
        if !self.batch.is_empty() {
            self.hand_over();
        }
        self.full = None;
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(state)) => Ok(state),
            _ => Err(io::Error::other("the output writer thread stopped")),
        }
    }
}

impl<S> Drop for Spool<S> {
    fn drop(&mut self) {
        // A run abandoned midway (an error) still ends its worker before its files are
        // cleaned up: closing the channel ends the thread's loop.
        self.full = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// Appends a byte.
pub fn put_u8(buf: &mut Vec<u8>, v: u8) {
    buf.push(v);
}

/// Appends a u64, little-endian (the buffer never leaves the process).
pub fn put_u64(buf: &mut Vec<u8>, v: u64) {
    buf.extend_from_slice(&v.to_le_bytes());
}

/// Appends an i64.
pub fn put_i64(buf: &mut Vec<u8>, v: i64) {
    buf.extend_from_slice(&v.to_le_bytes());
}

/// Appends an optional i64: a presence byte, then the value if present.
pub fn put_opt_i64(buf: &mut Vec<u8>, v: Option<i64>) {
    match v {
        Some(v) => {
            buf.push(1);
            put_i64(buf, v);
        }
        None => buf.push(0),
    }
}

/// Appends a string: its length (u64), then its bytes.
pub fn put_str(buf: &mut Vec<u8>, s: &str) {
    put_u64(buf, s.len() as u64);
    buf.extend_from_slice(s.as_bytes());
}

/// Reads back what the `put_*` functions appended, in the same order; `None` past the end.
pub struct Cursor<'a>(pub &'a [u8]);

impl<'a> Cursor<'a> {
    /// Whether everything was read.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A byte.
    pub fn u8(&mut self) -> Option<u8> {
        let (v, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*v)
    }

    /// A u64.
    pub fn u64(&mut self) -> Option<u64> {
        let (head, rest) = self.0.split_first_chunk::<8>()?;
        self.0 = rest;
        Some(u64::from_le_bytes(*head))
    }

    /// An i64.
    pub fn i64(&mut self) -> Option<i64> {
        self.u64().map(|v| v as i64)
    }

    /// An optional i64.
    pub fn opt_i64(&mut self) -> Option<Option<i64>> {
        match self.u8()? {
            0 => Some(None),
            _ => self.i64().map(Some),
        }
    }

    /// A string.
    pub fn str(&mut self) -> Option<&'a str> {
        let len = usize::try_from(self.u64()?).ok()?;
        if self.0.len() < len {
            return None;
        }
        let (s, rest) = self.0.split_at(len);
        self.0 = rest;
        std::str::from_utf8(s).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records come back in order across many batches, and the fields as they were put.
    #[test]
    fn batches_reach_the_worker_in_order() {
        fn apply(seen: &mut Vec<(i64, Option<i64>, String)>, batch: &[u8]) {
            let mut c = Cursor(batch);
            while !c.is_empty() {
                let (Some(a), Some(b), Some(s)) = (c.i64(), c.opt_i64(), c.str()) else {
                    panic!("undecodable batch");
                };
                seen.push((a, b, s.to_string()));
            }
        }
        let mut spool = Spool::start(Vec::new(), apply);
        for i in 0..20_000i64 {
            let b = spool.buf();
            put_i64(b, i - 7);
            put_opt_i64(b, (i % 3 == 0).then_some(i * 1000));
            put_str(b, &format!("row {i}, with \"quotes\""));
            spool.commit();
        }
        let seen = spool.finish().unwrap();
        assert_eq!(seen.len(), 20_000);
        assert_eq!(seen[0], (-7, Some(0), "row 0, with \"quotes\"".to_string()));
        assert_eq!(seen[1], (-6, None, "row 1, with \"quotes\"".to_string()));
        assert_eq!(
            seen[19_999],
            (19_992, None, "row 19999, with \"quotes\"".to_string())
        );
        assert!(seen.windows(2).all(|w| w[1].0 == w[0].0 + 1));
    }

    /// A worker that panics makes `finish` report it instead of hanging or panicking.
    #[test]
    fn a_stopped_worker_reaches_finish() {
        fn apply(_: &mut (), _: &[u8]) {
            panic!("worker failure (expected by this test)");
        }
        let mut spool = Spool::start((), apply);
        for _ in 0..BATCH_BYTES {
            put_u8(spool.buf(), 1);
            spool.commit();
        }
        let err = spool.finish().err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("the output writer thread stopped"));
    }
}
