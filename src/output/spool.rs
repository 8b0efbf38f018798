//! `events.csv` formatted and written on a second thread.
//!
//! A long run records millions of events, and formatting their rows (two timestamps, quoting)
//! cost as much as a third of the simulation itself. The simulation thread only copies each
//! event's fields into a batch buffer; a writer thread formats the rows, in the order received,
//! so the file is byte for byte what a single thread writes. Batches travel over a bounded
//! channel and come back to be reused, so memory stays at a few batches whatever the run length.

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

use crate::model::Event;
use crate::output::timeline::{EventRow, RowWriter, EVENT_HEADERS};
use crate::time::Time;

/// A batch is handed over once it holds this many bytes.
const BATCH_BYTES: usize = 64 * 1024;
/// Batches in flight before the simulation waits for the writer.
const IN_FLIGHT: usize = 4;

/// The simulation side of the `events.csv` writer thread.
pub struct EventSpool<W> {
    batch: Vec<u8>,
    full: Option<SyncSender<Vec<u8>>>,
    empty: Receiver<Vec<u8>>,
    writer: Option<JoinHandle<io::Result<W>>>,
}

impl<W: Write + Send + 'static> EventSpool<W> {
    /// Starts the writer thread on `out`; time columns count from `start`.
    pub fn new(out: W, start: Time) -> EventSpool<W> {
        let (full_tx, full_rx) = mpsc::sync_channel::<Vec<u8>>(IN_FLIGHT);
        let (empty_tx, empty_rx) = mpsc::channel::<Vec<u8>>();
        let writer = std::thread::spawn(move || {
            let mut rows = RowWriter::new(out, &EVENT_HEADERS);
            for batch in full_rx {
                let mut rest = batch.as_slice();
                while let Some((row, tail)) = decode(rest) {
                    rows.event_row(&row, start);
                    rest = tail;
                }
                // The simulation side may be gone already (at finish); then drop the buffer.
                let _ = empty_tx.send(batch);
            }
            rows.finish()
        });
        EventSpool {
            batch: Vec::with_capacity(BATCH_BYTES + 1024),
            full: Some(full_tx),
            empty: empty_rx,
            writer: Some(writer),
        }
    }

    /// Queues one event's row.
    pub fn event(&mut self, e: &Event) {
        encode(&mut self.batch, e);
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
            // A send fails only if the writer thread ended early (it panicked); `finish`
            // reports that.
            if tx.send(batch).is_err() {
                self.full = None;
            }
        }
        self.batch.clear();
    }

    /// Writes what is queued, stops the thread and returns the flushed sink, or the first error.
    pub fn finish(mut self) -> io::Result<W> {
        if !self.batch.is_empty() {
            self.hand_over();
        }
        self.full = None;
        match self.writer.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            _ => Err(io::Error::other("the events.csv writer thread stopped")),
        }
    }
}

impl<W> Drop for EventSpool<W> {
    fn drop(&mut self) {
        // A run abandoned midway (an error) still ends its writer before its files are
        // cleaned up: closing the channel ends the thread's loop.
        self.full = None;
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

fn put_str(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(&(s.len() as u64).to_le_bytes());
    buf.extend_from_slice(s.as_bytes());
}

/// Appends `e` as: time (i64), then kind, name, type, reason and message, each a length (u64)
/// and its bytes. Little-endian; the buffer never leaves the process.
fn encode(buf: &mut Vec<u8>, e: &Event) {
    buf.extend_from_slice(&e.time.0.to_le_bytes());
    put_str(buf, e.kind.as_str());
    put_str(buf, &e.name);
    put_str(buf, e.event_type.as_str());
    put_str(buf, &e.reason);
    put_str(buf, &e.message);
}

fn take_u64(buf: &[u8]) -> Option<(u64, &[u8])> {
    let (head, tail) = buf.split_first_chunk::<8>()?;
    Some((u64::from_le_bytes(*head), tail))
}

fn take_str(buf: &[u8]) -> Option<(&str, &[u8])> {
    let (len, rest) = take_u64(buf)?;
    let len = usize::try_from(len).ok()?;
    if rest.len() < len {
        return None;
    }
    let (s, tail) = rest.split_at(len);
    Some((std::str::from_utf8(s).ok()?, tail))
}

/// The first record of `buf` and what follows it; `None` at the end.
fn decode(buf: &[u8]) -> Option<(EventRow<'_>, &[u8])> {
    let (time, rest) = take_u64(buf)?;
    let (kind, rest) = take_str(rest)?;
    let (name, rest) = take_str(rest)?;
    let (event_type, rest) = take_str(rest)?;
    let (reason, rest) = take_str(rest)?;
    let (message, rest) = take_str(rest)?;
    let row = EventRow {
        time: Time(time as i64),
        kind,
        name,
        event_type,
        reason,
        message,
    };
    Some((row, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventType, Kind};

    fn event(i: i64) -> Event {
        Event {
            time: Time(1_000 * i + 7),
            kind: if i % 2 == 0 { Kind::Pod } else { Kind::Job },
            name: format!("obj-{i}"),
            event_type: if i % 3 == 0 {
                EventType::Warning
            } else {
                EventType::Normal
            },
            reason: "Reason".into(),
            message: format!("message {i}, with \"quotes\""),
        }
    }

    /// The spooled file is exactly what a `RowWriter` writes on the calling thread, across
    /// several batches.
    #[test]
    fn spooled_rows_equal_direct_rows() {
        let start = Time(0);
        let mut direct = RowWriter::new(Vec::new(), &EVENT_HEADERS);
        let mut spool = EventSpool::new(Vec::new(), start);
        for i in 0..20_000 {
            let e = event(i);
            direct.event(&e, start);
            spool.event(&e);
        }
        let direct = direct.finish().unwrap();
        let spooled = spool.finish().unwrap();
        assert!(
            direct.len() > 3 * BATCH_BYTES,
            "the test spans several batches"
        );
        assert_eq!(spooled, direct);
        let text = String::from_utf8(spooled).unwrap();
        assert_eq!(text.lines().count(), 20_001);
        assert_eq!(
            text.lines().nth(2).unwrap(),
            "1.007,1970-01-01T00:00:01.007Z,Job,obj-1,Normal,Reason,\"message 1, with \"\"quotes\"\"\""
        );
    }

    /// A write error on the writer thread comes back from `finish`.
    #[test]
    fn write_errors_reach_finish() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut spool = EventSpool::new(Broken, Time(0));
        for i in 0..10 {
            spool.event(&event(i));
        }
        let err = spool.finish().err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("disk full"));
    }
}
