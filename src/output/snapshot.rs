//! Regression snapshots: a canonical, diff-friendly text timeline per scenario, and the
//! comparison behind `batchsim snapshot` / `batchsim verify` and the project's own golden tests.
//!
//! # The `.timeline` format (version 1)
//!
//! ```text
//! # batchsim timeline v1
//! # scenario: parallel-job
//! # profile: ideal
//! # seed: 0
//! # start: 2021-11-25T12:00:00.000Z
//! # end_s: 30.000
//!
//! ## pods
//! <pods.csv, header row included, byte for byte>
//!
//! ## jobs
//! <jobs.csv>
//!
//! ## events
//! <events.csv>
//! ```
//!
//! The sections hold exactly what `batchsim run` writes to `pods.csv`, `jobs.csv` and
//! `events.csv` (times in seconds from the start with three decimals; pods and Jobs ordered by
//! creation time then name, events in the order they happened), so a snapshot is the CSV
//! contract in one file. Nothing in it depends on the machine, the file paths or the clock: the
//! same input gives the same bytes, and one changed instant changes one line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::timefmt::{format_seconds, rfc3339_millis};
use crate::output::timeline::{simulate, RunResult};
use crate::scenario::Scenario;

/// The first line of every snapshot; a later format bumps the version.
pub const FORMAT_LINE: &str = "# batchsim timeline v1";

/// The file extension of snapshots.
pub const EXTENSION: &str = "timeline";

/// The folder snapshots go to when `--dir` is not given: `snapshots/` beside each scenario file.
pub const DEFAULT_DIR_NAME: &str = "snapshots";

/// Renders the canonical timeline of a run (see the module documentation for the format).
pub fn render(scenario: &Scenario, run: &RunResult) -> String {
    let start = scenario.start;
    let mut out = String::new();
    out.push_str(&format!("{FORMAT_LINE}\n"));
    out.push_str(&format!("# scenario: {}\n", scenario.name));
    out.push_str(&format!("# profile: {}\n", scenario.profile.as_str()));
    out.push_str(&format!("# seed: {}\n", scenario.seed));
    out.push_str(&format!("# start: {}\n", rfc3339_millis(start)));
    out.push_str(&format!(
        "# end_s: {}\n",
        format_seconds(run.stats.end.since(start))
    ));
    for (title, csv) in [
        ("pods", run.recorder.pods_csv(start)),
        ("jobs", run.recorder.jobs_csv(start)),
        ("events", run.recorder.events_csv(start)),
    ] {
        out.push_str(&format!("\n## {title}\n"));
        out.push_str(&String::from_utf8_lossy(&csv));
    }
    out
}

/// Simulates a loaded scenario and renders its timeline.
pub fn timeline_of(scenario: &Scenario) -> String {
    render(scenario, &simulate(scenario))
}

/// The snapshot file of a scenario: `<dir>/<scenario name>.<profile>.timeline`, where `dir` is
/// `--dir` or else `snapshots/` in the folder of the scenario file.
pub fn snapshot_path(file: &Path, scenario: &Scenario, dir: Option<&Path>) -> PathBuf {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => file
            .parent()
            .unwrap_or_else(|| Path::new(""))
            .join(DEFAULT_DIR_NAME),
    };
    dir.join(format!(
        "{}.{}.{EXTENSION}",
        scenario.name,
        scenario.profile.as_str()
    ))
}

/// The result of comparing a fresh timeline with a stored snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// The snapshot exists and is identical.
    Same,
    /// There was no snapshot file.
    Missing,
    /// The snapshot differs.
    Differs {
        /// One plain-words sentence about the earliest difference.
        summary: String,
        /// A unified diff, snapshot (`---`) to fresh run (`+++`).
        diff: String,
    },
}

/// Compares `actual` with the snapshot text `expected` (None when the file is missing);
/// `label` names the snapshot in the diff header.
pub fn compare(expected: Option<&str>, actual: &str, label: &str) -> Check {
    match expected {
        None => Check::Missing,
        Some(e) if e == actual => Check::Same,
        Some(e) => Check::Differs {
            summary: first_difference(e, actual),
            diff: unified_diff(e, actual, label),
        },
    }
}

/// Reads a snapshot file: `Ok(None)` when it does not exist.
pub fn read_snapshot(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
            Error::Input(format!(
                "{}: the snapshot is not UTF-8 text; rewrite it with --update",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Input(format!(
            "cannot read snapshot {}: {e}",
            path.display()
        ))),
    }
}

/// Writes a snapshot atomically (temporary file, then rename), creating its folder.
pub fn write_snapshot(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "snapshot.timeline".into());
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    crate::output::write_all_or_nothing(dir, &[(name, text.as_bytes().to_vec())]).map(|_| ())
}

/// A unified diff (3 lines of context) from the snapshot to the fresh run.
pub fn unified_diff(expected: &str, actual: &str, label: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header(label, "fresh run")
        .to_string()
}

/// A parsed snapshot: header values and the CSV rows of each section.
#[derive(Debug, Default)]
struct Parsed {
    header: Vec<(String, String)>,
    sections: BTreeMap<String, (Vec<String>, Vec<Vec<String>>)>,
}

fn parse(text: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut current: Option<(String, String)> = None;
    let finish = |cur: Option<(String, String)>, p: &mut Parsed| {
        if let Some((name, body)) = cur {
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(true)
                .flexible(true)
                .from_reader(body.as_bytes());
            let cols: Vec<String> = rdr
                .headers()
                .map(|h| h.iter().map(str::to_string).collect())
                .unwrap_or_default();
            let rows = rdr
                .records()
                .filter_map(|r| r.ok())
                .map(|r| r.iter().map(str::to_string).collect())
                .collect();
            p.sections.insert(name, (cols, rows));
        }
    };
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("## ") {
            finish(current.take(), &mut p);
            current = Some((name.trim().to_string(), String::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
        } else if let Some((k, v)) = line
            .strip_prefix("# ")
            .and_then(|l| l.trim_end().split_once(": "))
        {
            p.header.push((k.to_string(), v.to_string()));
        }
    }
    finish(current.take(), &mut p);
    p
}

/// Seconds with three decimals → milliseconds (None for an empty cell or junk).
fn millis(cell: &str) -> Option<i64> {
    let (neg, s) = match cell.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, cell),
    };
    let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
    let frac = format!("{frac:0<3}");
    // Checked: a snapshot is a file the user may edit.
    let ms = whole
        .parse::<i64>()
        .ok()?
        .checked_mul(1000)?
        .checked_add(frac.get(..3)?.parse::<i64>().ok()?)?;
    Some(if neg { -ms } else { ms })
}

/// How a column's change is told in words: (words for a value, whether it is an instant).
fn column_words(col: &str) -> (&'static str, bool) {
    match col {
        "created_s" => ("created", true),
        "running_s" => ("running", true),
        "finished_s" => ("finished", true),
        "delete_requested_s" => ("deletion requested", true),
        "deleted_s" => ("deleted", true),
        "scheduled_s" => ("scheduled for", true),
        "start_s" => ("started", true),
        _ => ("", false),
    }
}

fn describe_change(col: &str, new: &str, old: &str) -> String {
    let (verb, instant) = column_words(col);
    if instant {
        let at = |v: &str| {
            if col == "scheduled_s" {
                format!("{v} s")
            } else {
                format!("at {v} s")
            }
        };
        return match (new.is_empty(), old.is_empty()) {
            (false, false) => format!("{verb} {}, was {} s", at(new), old),
            (false, true) => format!("{verb} {}, was never", at(new)),
            (true, false) => format!("never {verb}, was {}", at(old)),
            (true, true) => format!("{verb} unchanged"),
        };
    }
    let show = |v: &str| {
        if v.is_empty() {
            "(empty)".to_string()
        } else {
            v.to_string()
        }
    };
    let label = col.replace('_', " ");
    format!("{label} {}, was {}", show(new), show(old))
}

/// One candidate difference: its instant (ms), a tie-break rank (instants before values, then
/// Jobs, pods, events) and its sentence.
type Candidate = (i64, u8, String);

/// Differences between rows keyed by their first column (pod or Job name).
fn row_candidates(kind: &str, rank: u8, old: &Parsed, new: &Parsed, out: &mut Vec<Candidate>) {
    let empty = (Vec::new(), Vec::new());
    let (ocols, orows) = old.sections.get(kind).unwrap_or(&empty);
    let (ncols, nrows) = new.sections.get(kind).unwrap_or(&empty);
    let noun = if kind == "pods" { "pod" } else { "job" };
    let index = |cols: &Vec<String>, rows: &Vec<Vec<String>>| {
        let created = cols.iter().position(|c| c == "created_s");
        rows.iter()
            .map(|r| {
                let name = r.first().cloned().unwrap_or_default();
                let fields: BTreeMap<String, String> = cols
                    .iter()
                    .zip(r.iter())
                    .map(|(c, v)| (c.clone(), v.clone()))
                    .collect();
                let at = created
                    .and_then(|i| r.get(i))
                    .and_then(|v| millis(v))
                    .unwrap_or(0);
                (name, (fields, at))
            })
            .collect::<BTreeMap<_, _>>()
    };
    let o = index(ocols, orows);
    let n = index(ncols, nrows);
    for (name, (nf, nat)) in &n {
        let Some((of, _)) = o.get(name) else {
            out.push((
                *nat,
                rank,
                format!(
                    "{noun} {name}: created at {} s, was not in the snapshot",
                    nf.get("created_s").map_or("?", String::as_str)
                ),
            ));
            continue;
        };
        // The latest instant the row mentions: where a change of a non-time column shows.
        let last = |f: &BTreeMap<String, String>| {
            f.iter()
                .filter(|(c, _)| column_words(c).1)
                .filter_map(|(_, v)| millis(v))
                .max()
                .unwrap_or(*nat)
        };
        for col in ncols {
            let nv = nf.get(col).map_or("", String::as_str);
            let ov = of.get(col).map_or("", String::as_str);
            if nv == ov {
                continue;
            }
            let at = if column_words(col).1 {
                match (millis(nv), millis(ov)) {
                    (Some(a), Some(b)) => a.min(b),
                    (Some(a), None) | (None, Some(a)) => a,
                    (None, None) => *nat,
                }
            } else {
                // A phase, exit code or count shows when the row finished (else at its last instant).
                let fin =
                    |f: &BTreeMap<String, String>| f.get("finished_s").and_then(|v| millis(v));
                match (fin(nf), fin(of)) {
                    (Some(a), Some(b)) => a.min(b),
                    (Some(a), None) | (None, Some(a)) => a,
                    (None, None) => last(nf).min(last(of)),
                }
            };
            // At one instant, a moved instant is told before a changed value (its consequence).
            let class = if column_words(col).1 { 0 } else { 10 };
            out.push((
                at,
                class + rank,
                format!("{noun} {name}: {}", describe_change(col, nv, ov)),
            ));
        }
    }
    for (name, (of, oat)) in &o {
        if !n.contains_key(name) {
            out.push((
                *oat,
                rank,
                format!(
                    "{noun} {name}: not created any more, was created at {} s",
                    of.get("created_s").map_or("?", String::as_str)
                ),
            ));
        }
    }
}

/// New and vanished events, matched by a longest common subsequence of whole rows.
fn event_candidates(old: &Parsed, new: &Parsed, out: &mut Vec<Candidate>) {
    let empty = (Vec::new(), Vec::new());
    let (_, orows) = old.sections.get("events").unwrap_or(&empty);
    let (_, nrows) = new.sections.get("events").unwrap_or(&empty);
    let what = |r: &Vec<String>| {
        let t = r.first().cloned().unwrap_or_default();
        let reason = r.get(5).cloned().unwrap_or_default();
        let name = r.get(3).cloned().unwrap_or_default();
        (
            millis(&t).unwrap_or(0),
            format!("{reason} of {name} at {t} s"),
        )
    };
    let mut push = |rows: &[Vec<String>], from: usize, len: usize, how: &str| {
        for (i, r) in rows.iter().enumerate().skip(from).take(len) {
            let (at, w) = what(r);
            out.push((at, 2, format!("event {} ({w}) is {how}", i + 1)));
        }
    };
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, orows, nrows) {
        match op {
            similar::DiffOp::Equal { .. } => {}
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => push(orows, old_index, old_len, "gone"),
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => push(nrows, new_index, new_len, "new"),
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(nrows, new_index, new_len, "new");
                push(orows, old_index, old_len, "gone");
            }
        }
    }
}

/// One sentence about the earliest difference between two snapshots: header values first
/// (they change everything), then the change with the earliest instant, Jobs before pods
/// before events at the same instant.
pub fn first_difference(expected: &str, actual: &str) -> String {
    let old = parse(expected);
    let new = parse(actual);
    for (k, v) in &new.header {
        let was = old
            .header
            .iter()
            .find(|(ok, _)| ok == k)
            .map(|(_, v)| v.as_str());
        if was != Some(v.as_str()) && k != "end_s" {
            return format!("{k}: {v}, was {}", was.unwrap_or("(none)"));
        }
    }
    let mut cands: Vec<Candidate> = Vec::new();
    row_candidates("jobs", 0, &old, &new, &mut cands);
    row_candidates("pods", 1, &old, &new, &mut cands);
    event_candidates(&old, &new, &mut cands);
    // Stable sort: within one instant and kind, keep the order rows were compared in.
    cands.sort_by_key(|c| (c.0, c.1));
    if let Some((_, _, s)) = cands.into_iter().next() {
        return s;
    }
    let ov = old.header.iter().find(|(k, _)| k == "end_s");
    let nv = new.header.iter().find(|(k, _)| k == "end_s");
    if ov != nv {
        return format!(
            "the simulation ends at {} s, was {} s",
            nv.map_or("?", |v| v.1.as_str()),
            ov.map_or("?", |v| v.1.as_str())
        );
    }
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    format!("line {} differs", line + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "# batchsim timeline v1\n# scenario: s\n# profile: ideal\n# seed: 0\n# start: 2021-11-25T12:00:00.000Z\n# end_s: 300.000\n\n## pods\npod,job,cronjob,index,created_s,running_s,finished_s,delete_requested_s,deleted_s,final_phase,exit_code,restarts\nhello-2-1-a,hello-2-1,hello-2,,60.000,60.000,,180.000,210.000,Failed,137,0\n\n## jobs\njob,cronjob,scheduled_s,created_s,start_s,finished_s,condition,reason,succeeded,failed,deleted_s\nhello-2-1,hello-2,60.000,60.000,60.000,,,,0,0,180.000\n\n## events\ntime_s,timestamp,kind,name,type,reason,message\n60.000,2021-11-25T12:01:00.000Z,CronJob,hello-2,Normal,SuccessfulCreate,Created job hello-2-1\n";

    #[test]
    fn millis_parses_csv_seconds() {
        assert_eq!(millis("120.000"), Some(120_000));
        assert_eq!(millis("0.010"), Some(10));
        assert_eq!(millis("-0.001"), Some(-1));
        assert_eq!(millis(""), None);
    }

    #[test]
    fn a_moved_deletion_is_named_with_both_instants() {
        let new = OLD.replace("180.000,210.000,Failed", "120.000,150.000,Failed");
        assert_eq!(
            first_difference(OLD, &new),
            "pod hello-2-1-a: deletion requested at 120.000 s, was 180.000 s"
        );
    }

    #[test]
    fn a_new_job_is_named() {
        let new = OLD.replace(
            "hello-2,60.000,60.000,60.000,,,,0,0,180.000\n",
            "hello-2,60.000,60.000,60.000,,,,0,0,180.000\nhello-2-2,hello-2,120.000,120.000,120.000,,,,0,0,\n",
        );
        assert_eq!(
            first_difference(OLD, &new),
            "job hello-2-2: created at 120.000 s, was not in the snapshot"
        );
    }

    #[test]
    fn a_new_event_is_numbered() {
        let new = format!("{OLD}120.000,2021-11-25T12:02:00.000Z,CronJob,hello-2,Normal,JobAlreadyActive,Not starting job because prior execution is running and concurrency policy is Forbid\n");
        assert_eq!(
            first_difference(OLD, &new),
            "event 2 (JobAlreadyActive of hello-2 at 120.000 s) is new"
        );
    }

    #[test]
    fn header_changes_come_first() {
        let new = OLD.replace("# seed: 0", "# seed: 7");
        assert_eq!(first_difference(OLD, &new), "seed: 7, was 0");
    }

    #[test]
    fn compare_reports_missing_same_and_diff() {
        assert_eq!(compare(None, OLD, "x"), Check::Missing);
        assert_eq!(compare(Some(OLD), OLD, "x"), Check::Same);
        let new = OLD.replace(",137,0", ",0,0");
        let Check::Differs { summary, diff } = compare(Some(OLD), &new, "x") else {
            panic!("expected a difference");
        };
        assert_eq!(summary, "pod hello-2-1-a: exit code 0, was 137");
        assert!(diff.starts_with("--- x\n+++ fresh run\n@@"), "{diff}");
        assert!(diff.contains("\n-hello-2-1-a,hello-2-1,hello-2,,60.000,60.000,,180.000,210.000,Failed,137,0\n+hello-2-1-a,hello-2-1,hello-2,,60.000,60.000,,180.000,210.000,Failed,0,0\n"), "{diff}");
    }
}
