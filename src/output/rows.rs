//! The CSV contract's rows: the columns of `pods.csv`, `jobs.csv` and `events.csv` and the one
//! writer that formats them, shared by the in-memory recorder and the streaming outputs.

use std::io::Write;

use crate::cluster::model::Event;
use crate::output::timefmt::{push_rfc3339_millis, rfc3339_ascii, seconds_ascii};
use crate::output::timeline::{JobRecord, PodRecord};
use crate::sim::time::Time;

/// Columns of `pods.csv`.
pub const POD_HEADERS: [&str; 12] = [
    "pod",
    "job",
    "cronjob",
    "index",
    "created_s",
    "running_s",
    "finished_s",
    "delete_requested_s",
    "deleted_s",
    "final_phase",
    "exit_code",
    "restarts",
];

/// Columns of `jobs.csv`.
pub const JOB_HEADERS: [&str; 11] = [
    "job",
    "cronjob",
    "scheduled_s",
    "created_s",
    "start_s",
    "finished_s",
    "condition",
    "reason",
    "succeeded",
    "failed",
    "deleted_s",
];

/// Columns of `events.csv`.
pub const EVENT_HEADERS: [&str; 7] = [
    "time_s",
    "timestamp",
    "kind",
    "name",
    "type",
    "reason",
    "message",
];

/// Writes the CSV rows of the three files: one formatter shared by the in-memory and the
/// streaming outputs, so both produce the same bytes. The dialect is the `csv` crate's
/// default (comma, `\n`, a field quoted only when it holds a comma, a quote or a line break,
/// quotes doubled); it is written by hand because a long run writes tens of millions of fields.
/// The first I/O error is kept and returned by [`RowWriter::finish`]; later rows are dropped.
pub struct RowWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
    first_field: bool,
    scratch: String,
    error: Option<std::io::Error>,
}

/// Bytes gathered before they are handed to the sink.
const ROW_BUFFER: usize = 64 * 1024;

impl RowWriter<std::io::Sink> {
    /// A writer that only formats: rows are taken back with [`RowWriter::take_rows`].
    pub fn formatter() -> RowWriter<std::io::Sink> {
        RowWriter {
            out: std::io::sink(),
            buf: Vec::with_capacity(256),
            first_field: true,
            scratch: String::with_capacity(64),
            error: None,
        }
    }
}

impl<W: Write> RowWriter<W> {
    /// A writer that starts with the header row.
    pub fn new(out: W, headers: &[&str]) -> RowWriter<W> {
        let mut w = RowWriter {
            out,
            buf: Vec::with_capacity(ROW_BUFFER + 1024),
            first_field: true,
            scratch: String::with_capacity(64),
            error: None,
        };
        for h in headers {
            w.text(h);
        }
        w.end();
        w
    }

    /// Appends rows formatted earlier (by a [`RowWriter::formatter`]).
    pub fn raw(&mut self, rows: &[u8]) {
        self.buf.extend_from_slice(rows);
        if self.buf.len() >= ROW_BUFFER {
            self.flush_buf();
        }
    }

    /// Takes the rows formatted since the last call, for a writer used only to format (its
    /// buffer holds less than 64 KiB, so nothing reached the sink).
    pub fn take_rows(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.buf)
    }

    fn field(&mut self, s: &[u8]) {
        if !self.first_field {
            self.buf.push(b',');
        }
        self.first_field = false;
        // No early exit: the whole-field fold vectorises, and fields are short.
        let special = s.iter().fold(false, |acc, b| {
            acc | matches!(b, b',' | b'"' | b'\n' | b'\r')
        });
        if special {
            self.buf.push(b'"');
            for b in s {
                if *b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(*b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(s);
        }
    }

    /// A field that never needs quoting (numbers, timestamps, fixed words).
    fn plain(&mut self, s: &[u8]) {
        if !self.first_field {
            self.buf.push(b',');
        }
        self.first_field = false;
        self.buf.extend_from_slice(s);
    }

    fn time(&mut self, t: Option<Time>, start: Time) {
        match t {
            Some(t) => self.plain(seconds_ascii(t.since(start)).as_bytes()),
            None => self.plain(b""),
        }
    }

    fn text(&mut self, s: &str) {
        self.field(s.as_bytes());
    }

    fn int(&mut self, v: Option<i64>) {
        match v {
            Some(v) => self.plain(itoa::Buffer::new().format(v).as_bytes()),
            None => self.plain(b""),
        }
    }

    fn end(&mut self) {
        self.buf.push(b'\n');
        self.first_field = true;
        if self.buf.len() >= ROW_BUFFER {
            self.flush_buf();
        }
    }

    fn flush_buf(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.out.write_all(&self.buf) {
                self.error = Some(e);
            }
        }
        self.buf.clear();
    }

    /// One `pods.csv` row.
    pub fn pod(&mut self, r: &PodRecord, start: Time) {
        self.text(&r.pod);
        self.text(&r.job);
        self.text(r.cronjob.as_deref().unwrap_or(""));
        self.int(r.index.map(i64::from));
        self.time(Some(r.created), start);
        self.time(r.running, start);
        self.time(r.finished, start);
        self.time(r.delete_requested, start);
        self.time(r.deleted, start);
        self.text(r.final_phase.as_str());
        self.int(r.exit_code.map(i64::from));
        self.int(Some(i64::from(r.restarts)));
        self.end();
    }

    /// One `jobs.csv` row.
    pub fn job(&mut self, r: &JobRecord, start: Time) {
        self.text(&r.job);
        self.text(r.cronjob.as_deref().unwrap_or(""));
        self.time(r.scheduled, start);
        self.time(Some(r.created), start);
        self.time(r.start, start);
        self.time(r.finished, start);
        self.text(&r.condition);
        self.text(&r.reason);
        self.int(Some(i64::from(r.succeeded)));
        self.int(Some(i64::from(r.failed)));
        self.time(r.deleted, start);
        self.end();
    }

    /// One `events.csv` row.
    pub fn event(&mut self, e: &Event, start: Time) {
        self.time(Some(e.time), start);
        match rfc3339_ascii(e.time) {
            Some(a) => self.plain(a.as_bytes()),
            None => {
                self.scratch.clear();
                push_rfc3339_millis(&mut self.scratch, e.time);
                let s = std::mem::take(&mut self.scratch);
                self.field(s.as_bytes());
                self.scratch = s;
            }
        }
        self.plain(e.kind.as_str().as_bytes());
        self.text(&e.name);
        self.plain(e.event_type.as_str().as_bytes());
        self.text(&e.reason);
        self.text(&e.message);
        self.end();
    }

    /// Flushes and returns the sink, or the first error.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.flush_buf();
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::model::{EventType, Kind};

    /// The hand-written dialect is the `csv` crate's: same bytes for plain and awkward fields.
    #[test]
    fn row_writer_quotes_like_the_csv_crate() {
        let awkward = [
            "plain",
            "",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\rhere",
            " spaced ",
            "#hash",
        ];
        for msg in awkward {
            let e = Event {
                time: Time(1_500),
                kind: Kind::Pod,
                name: "p".into(),
                event_type: EventType::Warning,
                reason: "R".into(),
                message: msg.into(),
            };
            let mut ours = RowWriter::new(Vec::new(), &EVENT_HEADERS);
            ours.event(&e, Time(0));
            let ours = ours.finish().unwrap();
            let mut theirs = csv::Writer::from_writer(Vec::new());
            theirs.write_record(EVENT_HEADERS).unwrap();
            theirs
                .write_record([
                    "1.500",
                    "1970-01-01T00:00:01.500Z",
                    "Pod",
                    "p",
                    "Warning",
                    "R",
                    msg,
                ])
                .unwrap();
            assert_eq!(ours, theirs.into_inner().unwrap(), "{msg:?}");
        }
    }
}
