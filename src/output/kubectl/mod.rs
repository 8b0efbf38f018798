//! Byte-exact `kubectl get pods|jobs|cronjobs` output (and `kubectl get pods -w`) for simulator
//! state, ported from kubernetes' printers and kubectl's table printer.

mod duration;
mod printers;
mod tabwriter;
mod watch;

#[cfg(test)]
mod tests;

pub use duration::{human_duration, short_human_duration};
pub use printers::{
    cronjob_row, job_row, pod_row, translate_timestamp_since, CronJobRow, JobRow, PodRow,
};
pub use tabwriter::{TabWriter, KUBECTL_MIN_WIDTH, KUBECTL_PADDING};
pub use watch::{watch_prefix, PodWatch, WatchLines};

use crate::cluster::model::{CronJob, Job, Pod};
use crate::sim::time::Time;

/// Column headers of `kubectl get pods`.
pub const POD_HEADERS: [&str; 5] = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"];
/// Column headers of `kubectl get jobs` (since ≈1.30, with STATUS).
pub const JOB_HEADERS: [&str; 5] = ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"];
/// Column headers of `kubectl get cronjobs`.
pub const CRONJOB_HEADERS: [&str; 7] = [
    "NAME",
    "SCHEDULE",
    "TIMEZONE",
    "SUSPEND",
    "ACTIVE",
    "LAST SCHEDULE",
    "AGE",
];

/// What `kubectl get` writes to **stderr** (followed by a newline) when the default namespace
/// has no objects of the kind; stdout stays empty.
pub const NO_RESOURCES_DEFAULT: &str = "No resources found in default namespace.";

/// The stderr message of an empty `kubectl get` in `namespace` (without the trailing newline).
pub fn no_resources_message(namespace: &str) -> String {
    format!("No resources found in {namespace} namespace.")
}

/// The text of one table row as kubectl's `printRows` feeds it to the tabwriter: cells joined by
/// tabs, each string cut at its first newline with `...` appended (`printTable`).
fn tabbed_line(cells: &[String]) -> String {
    let cut: Vec<String> = cells
        .iter()
        .map(|c| match c.find('\n') {
            Some(i) => format!("{}...", &c[..i]),
            None => c.clone(),
        })
        .collect();
    let mut line = cut.join("\t");
    line.push('\n');
    line
}

/// A whole `kubectl get` table (header plus rows, one tabwriter flush); empty when there are no
/// rows, because kubectl prints no header for an empty list.
pub fn render_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let header: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    let mut text = tabbed_line(&header);
    for row in rows {
        text.push_str(&tabbed_line(row));
    }
    TabWriter::kubectl().flush(&text)
}

/// `kubectl get pods` stdout; pods are listed in (namespace, name) order like the API server's
/// list. Empty output means kubectl would print [`NO_RESOURCES_DEFAULT`] to stderr.
pub fn render_pods(pods: &[&Pod], now: Time) -> String {
    let mut sorted = pods.to_vec();
    sorted
        .sort_by(|a, b| (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name)));
    let rows: Vec<Vec<String>> = sorted.iter().map(|p| pod_row(p, now).cells()).collect();
    render_table(&POD_HEADERS, &rows)
}

/// `kubectl get jobs` stdout, in (namespace, name) order.
pub fn render_jobs(jobs: &[&Job], now: Time) -> String {
    let mut sorted = jobs.to_vec();
    sorted
        .sort_by(|a, b| (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name)));
    let rows: Vec<Vec<String>> = sorted.iter().map(|j| job_row(j, now).cells()).collect();
    render_table(&JOB_HEADERS, &rows)
}

/// `kubectl get cronjobs` stdout, in (namespace, name) order.
pub fn render_cronjobs(cronjobs: &[&CronJob], now: Time) -> String {
    let mut sorted = cronjobs.to_vec();
    sorted
        .sort_by(|a, b| (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name)));
    let rows: Vec<Vec<String>> = sorted.iter().map(|c| cronjob_row(c, now).cells()).collect();
    render_table(&CRONJOB_HEADERS, &rows)
}
