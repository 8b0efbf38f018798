//! Which rows a Gantt chart draws: one per pod, one per job (the busiest state of its pods at
//! each instant), or packed, whichever first fits [`ROW_LIMIT`].

use std::collections::BTreeMap;

use super::super::TimelineChart;
use crate::output::timeline::PodState;
use crate::sim::time::Time;

/// Beyond this many pod rows a chart switches to one row per job (then to packed rows).
pub const ROW_LIMIT: usize = 40;

/// How the rows of a chart were chosen.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RowMode {
    /// One row per pod.
    PerPod,
    /// One row per job: the busiest state among its pods at each instant.
    PerJob,
    /// Jobs that do not overlap share a row.
    Packed,
    /// Packed rows, cut to the row limit.
    Truncated,
}

/// One plotted row.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedRow {
    /// Row label (pod name, job name, or `row N`).
    pub label: String,
    /// Index of the job group (alternating bands).
    pub group: usize,
    /// `(from, to, state)` intervals.
    pub segments: Vec<(Time, Time, PodState)>,
}

/// The rows a chart will show and why.
#[derive(Clone, Debug, PartialEq)]
pub struct RowPlan {
    /// Rows, top to bottom.
    pub rows: Vec<PlannedRow>,
    /// How they were chosen.
    pub mode: RowMode,
    /// A sentence for the subtitle when the rows are not one per pod.
    pub note: Option<String>,
}

/// Rank used when one job row stands for several pods: what is happening matters more than
/// what is finished.
fn busyness(s: PodState) -> u8 {
    match s {
        PodState::Running => 6,
        PodState::CrashLoopBackOff => 5,
        PodState::Terminating => 4,
        PodState::Pending => 3,
        PodState::Failed => 2,
        PodState::Succeeded => 1,
    }
}

/// A lane's `(from, to, state)` intervals.
type Segments = Vec<(Time, Time, PodState)>;

fn merge(lanes: &[&Segments]) -> Segments {
    let mut cuts: Vec<Time> = lanes
        .iter()
        .flat_map(|l| l.iter().flat_map(|s| [s.0, s.1]))
        .collect();
    cuts.sort();
    cuts.dedup();
    let mut out: Vec<(Time, Time, PodState)> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let best = lanes
            .iter()
            .flat_map(|l| l.iter())
            .filter(|s| s.0 <= a && s.1 >= b)
            .map(|s| s.2)
            .max_by_key(|s| busyness(*s));
        if let Some(state) = best {
            match out.last_mut() {
                Some(last) if last.1 == a && last.2 == state => last.1 = b,
                _ => out.push((a, b, state)),
            }
        }
    }
    out
}

/// Chooses the rows: per pod up to `limit`, else per job, else jobs packed into shared rows,
/// else the first `limit` packed rows. Pods with nothing inside the time range get no row.
pub fn plan_rows(chart: &TimelineChart, limit: usize) -> RowPlan {
    let limit = limit.max(1);
    let mut group_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut groups: Vec<(&str, Vec<&Segments>)> = Vec::new();
    let mut pods = Vec::new();
    for lane in chart.lanes.iter().filter(|l| !l.segments.is_empty()) {
        let next = group_index.len();
        let g = *group_index.entry(lane.group.as_str()).or_insert(next);
        if g == groups.len() {
            groups.push((lane.group.as_str(), Vec::new()));
        }
        groups[g].1.push(&lane.segments);
        pods.push(PlannedRow {
            label: lane.label.clone(),
            group: g,
            segments: lane
                .segments
                .iter()
                .copied()
                .filter(|s| s.1 > s.0)
                .collect(),
        });
    }
    // Keep each job's pods together even if the caller interleaved them.
    pods.sort_by_key(|r| r.group);
    if pods.len() <= limit {
        return RowPlan {
            rows: pods,
            mode: RowMode::PerPod,
            note: None,
        };
    }
    let (n_pods, n_jobs) = (pods.len(), groups.len());
    let jobs: Vec<PlannedRow> = groups
        .iter()
        .enumerate()
        .map(|(g, (name, lanes))| PlannedRow {
            label: (*name).to_string(),
            group: g,
            segments: merge(lanes),
        })
        .collect();
    if jobs.len() <= limit {
        return RowPlan {
            rows: jobs,
            mode: RowMode::PerJob,
            note: Some(format!(
                "{n_pods} pods in {n_jobs} jobs: one row per job (the busiest pod state is shown)"
            )),
        };
    }
    // Greedy interval packing in start order: each job goes to the first row free by its start.
    let mut order: Vec<&PlannedRow> = jobs.iter().filter(|j| !j.segments.is_empty()).collect();
    order.sort_by_key(|j| (j.segments[0].0, j.group));
    let mut rows: Vec<PlannedRow> = Vec::new();
    for j in order {
        let s = j.segments[0].0;
        match rows
            .iter_mut()
            .find(|r| r.segments.last().is_none_or(|l| l.1 <= s))
        {
            Some(r) => r.segments.extend(j.segments.iter().copied()),
            None => rows.push(PlannedRow {
                label: String::new(),
                group: 0,
                segments: j.segments.clone(),
            }),
        }
    }
    for (i, r) in rows.iter_mut().enumerate() {
        r.label = format!("row {}", i + 1);
        r.group = i;
    }
    let packed = rows.len();
    let mut note = format!(
        "{n_pods} pods in {n_jobs} jobs, packed into {packed} rows: each row shows successive jobs that do not overlap"
    );
    let mode = if packed > limit {
        rows.truncate(limit);
        note = format!("{note}; showing the first {limit} of {packed} rows");
        RowMode::Truncated
    } else {
        RowMode::Packed
    };
    RowPlan {
        rows,
        mode,
        note: Some(note),
    }
}
