//! Teaching charts: the pod timeline (Gantt), the load chart and the compare figure,
//! rendered to SVG and PNG with plotters.
//!
//! The input, [`TimelineChart`], knows nothing about the engine: [`from_recorder`] builds one from
//! a run, tests and other commands may build one by hand. Rendering is two steps: a layout pass
//! turns the input into a [`scene::Scene`] of pixel-positioned rectangles, lines, polygons and
//! measured text (this is where row limits, tick spacing and label fitting are decided, and what
//! the overlap tests inspect), then a paint pass draws that scene on a plotters backend. Both
//! backends therefore get the same geometry.
//!
//! Architecture invariant: same input ⇒ same bytes. Text is measured and rasterised with the
//! DejaVu Sans font embedded from `assets/fonts`, never a system font; nothing reads a clock.

mod axis;
pub mod boxplot;
mod gantt;
mod load;
pub mod scene;

use std::collections::BTreeMap;

use chrono_tz::Tz;

use crate::cluster::model::{Kind, Requests};
use crate::output::timeline::{PodState, Recorder};
use crate::sim::time::Time;

pub use gantt::{plan_rows, RowMode, RowPlan, ROW_LIMIT};
pub use load::{load_series, LoadBin, LoadBins, LoadBinsBuilder, LoadPoint};

/// Why a chart could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The embedded font could not be loaded (a build problem, not a data problem).
    #[error("chart font could not be loaded: {0}")]
    Font(String),
    /// The time range to draw is empty or reversed.
    #[error("chart time range is empty: end {end} is not after start {start}")]
    EmptyRange {
        /// Start in ms since the epoch.
        start: i64,
        /// End in ms since the epoch.
        end: i64,
    },
    /// The compare figure was given no panels.
    #[error("compare figure needs at least one panel")]
    NoPanels,
    /// The drawing backend failed.
    #[error("chart drawing failed: {0}")]
    Draw(String),
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}

/// Everything a pod timeline chart shows, independent of how it was produced.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineChart {
    /// Headline, e.g. `CronJob hello-2 (Replace)`.
    pub title: String,
    /// Second line under the title (settings worth seeing on a slide); may be empty.
    pub subtitle: String,
    /// Left edge of the time axis.
    pub start: Time,
    /// Right edge of the time axis; bars still open here are cut.
    pub end: Time,
    /// Zone of the wall-clock labels.
    pub zone: Tz,
    /// One lane per pod, in display order (grouped by job).
    pub lanes: Vec<Lane>,
    /// CronJob schedule slots, drawn as dashed vertical lines.
    pub slots: Vec<Time>,
    /// Controller decisions drawn as glyphs in a strip above the rows.
    pub markers: Vec<Marker>,
    /// The load aggregated during a long run; when set, the load chart draws it instead of
    /// the load of the lanes.
    pub load: Option<LoadBins>,
}

/// One pod's row.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// Pod name as kubectl shows it.
    pub label: String,
    /// Owning Job name: lanes of one group sit together and share a band.
    pub group: String,
    /// CronJob that created the Job, if any (lets callers attach a template's requests).
    pub cronjob: Option<String>,
    /// `(from, to, state)` intervals, in order, not overlapping.
    pub segments: Vec<(Time, Time, PodState)>,
    /// The pod's total resource requests, summed over its containers; empty when unknown.
    pub requests: Requests,
}

/// One controller decision shown as a glyph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// When it happened.
    pub time: Time,
    /// What it was.
    pub kind: MarkerKind,
    /// The object it is about (usually a Job name).
    pub label: String,
}

/// Kinds of controller decisions a chart marks.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MarkerKind {
    /// CronJob `SuccessfulCreate`: a Job was created for a slot.
    JobCreated,
    /// CronJob `JobAlreadyActive`: Forbid skipped a slot.
    Skipped,
    /// CronJob `SuccessfulDelete` of a Job still running: Replace deleted it.
    Replaced,
    /// CronJob `MissSchedule` / `TooManyMissedTimes`: slots were missed.
    MissedSchedule,
    /// Job `DeadlineExceeded`: activeDeadlineSeconds ran out.
    DeadlineExceeded,
    /// Job failed for another reason (`BackoffLimitExceeded`, …).
    JobFailed,
    /// CronJob `SuccessfulDelete` of a finished Job: history limit cleanup.
    HistoryCleanup,
}

impl MarkerKind {
    /// Every kind, in strip and legend order.
    pub const ALL: [MarkerKind; 7] = [
        MarkerKind::JobCreated,
        MarkerKind::Skipped,
        MarkerKind::Replaced,
        MarkerKind::MissedSchedule,
        MarkerKind::DeadlineExceeded,
        MarkerKind::JobFailed,
        MarkerKind::HistoryCleanup,
    ];

    /// Short strip label.
    pub fn label(self) -> &'static str {
        match self {
            MarkerKind::JobCreated => "job created",
            MarkerKind::Skipped => "slot skipped",
            MarkerKind::Replaced => "job replaced",
            MarkerKind::MissedSchedule => "slot missed",
            MarkerKind::DeadlineExceeded => "deadline exceeded",
            MarkerKind::JobFailed => "job failed",
            MarkerKind::HistoryCleanup => "history cleanup",
        }
    }

    /// Legend text: what the glyph means, with the event that causes it.
    pub fn explanation(self) -> &'static str {
        match self {
            MarkerKind::JobCreated => "job created (SuccessfulCreate)",
            MarkerKind::Skipped => "slot skipped: previous run active (JobAlreadyActive)",
            MarkerKind::Replaced => "running job deleted by Replace (SuccessfulDelete)",
            MarkerKind::MissedSchedule => "slot missed (MissSchedule/TooManyMissedTimes)",
            MarkerKind::DeadlineExceeded => "activeDeadlineSeconds exceeded (DeadlineExceeded)",
            MarkerKind::JobFailed => "job failed (BackoffLimitExceeded, …)",
            MarkerKind::HistoryCleanup => "finished job deleted by history limit",
        }
    }
}

/// Every pod state, in legend order.
pub const STATES: [PodState; 6] = [
    PodState::Pending,
    PodState::Running,
    PodState::CrashLoopBackOff,
    PodState::Terminating,
    PodState::Succeeded,
    PodState::Failed,
];

/// An sRGB colour.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, as CSS and SVG write it.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The fill of a state's bar, from the Okabe–Ito palette (distinguishable with the common
/// colour-vision deficiencies); terminal states are also drawn thinner, so shape repeats the cue.
pub fn state_color(state: PodState) -> Rgb {
    match state {
        PodState::Pending => Rgb(0xF0, 0xE4, 0x42), // yellow
        PodState::Running => Rgb(0x00, 0x72, 0xB2), // blue
        PodState::CrashLoopBackOff => Rgb(0xCC, 0x79, 0xA7), // reddish purple
        PodState::Terminating => Rgb(0xE6, 0x9F, 0x00), // orange
        PodState::Succeeded => Rgb(0x00, 0x9E, 0x73), // bluish green
        PodState::Failed => Rgb(0xD5, 0x5E, 0x00),  // vermillion
    }
}

/// Whether a state is terminal (drawn as a thin bar: the pod exists but uses nothing).
pub fn is_terminal(state: PodState) -> bool {
    matches!(state, PodState::Succeeded | PodState::Failed)
}

/// The colour of a marker glyph (shape differs per kind too).
pub fn marker_color(kind: MarkerKind) -> Rgb {
    match kind {
        MarkerKind::JobCreated => Rgb(0x56, 0xB4, 0xE9), // sky blue
        MarkerKind::Skipped => Rgb(0x00, 0x00, 0x00),    // black
        MarkerKind::Replaced => Rgb(0xD5, 0x5E, 0x00),   // vermillion
        MarkerKind::MissedSchedule => Rgb(0x66, 0x66, 0x66), // grey
        MarkerKind::DeadlineExceeded => Rgb(0xCC, 0x79, 0xA7), // reddish purple
        MarkerKind::JobFailed => Rgb(0x00, 0x00, 0x00),  // black
        MarkerKind::HistoryCleanup => Rgb(0x99, 0x99, 0x99), // light grey
    }
}

/// Builds a timeline chart from a run: one lane per pod (grouped by Job, groups in creation
/// order), segments closed at deletion or at `end`, and markers from the controllers' events.
pub fn from_recorder(
    rec: &Recorder,
    start: Time,
    end: Time,
    zone: Tz,
    slots: Vec<Time>,
) -> TimelineChart {
    let pods = rec.pod_rows();
    // Group order = first pod creation of each job; pod_rows is already creation-ordered.
    let mut group_order: Vec<&str> = Vec::new();
    let mut by_group: BTreeMap<&str, Vec<Lane>> = BTreeMap::new();
    for p in &pods {
        if !by_group.contains_key(p.job.as_str()) {
            group_order.push(p.job.as_str());
        }
        let close = p.deleted.unwrap_or(end);
        let mut segments = Vec::new();
        for (i, (from, state)) in p.segments.iter().enumerate() {
            let to = p.segments.get(i + 1).map_or(close, |s| s.0);
            let (from, to) = ((*from).max(start), to.min(end));
            if to > from {
                segments.push((from, to, *state));
            }
        }
        by_group.entry(p.job.as_str()).or_default().push(Lane {
            label: p.pod.clone(),
            group: p.job.clone(),
            cronjob: p.cronjob.clone(),
            segments,
            requests: Requests::default(),
        });
    }
    let lanes: Vec<Lane> = group_order
        .iter()
        .flat_map(|g| by_group.remove(g).unwrap_or_default())
        .collect();

    let finished: BTreeMap<&str, Option<Time>> = rec
        .job_rows()
        .iter()
        .map(|j| (j.job.as_str(), j.finished))
        .collect();
    let mut markers = Vec::new();
    for e in &rec.events {
        if e.time < start || e.time > end {
            continue;
        }
        // The Job a CronJob event names: `Created job <name>`, `Deleted job <name>`.
        let job_in = |prefix: &str| e.message.trim_start_matches(prefix).trim().to_string();
        let kind = match (e.kind, e.reason.as_ref()) {
            (Kind::CronJob, "SuccessfulCreate") => MarkerKind::JobCreated,
            (Kind::CronJob, "JobAlreadyActive") => MarkerKind::Skipped,
            (Kind::CronJob, "MissSchedule" | "TooManyMissedTimes") => MarkerKind::MissedSchedule,
            (Kind::CronJob, "SuccessfulDelete") => {
                // Replace and history cleanup emit the same event; only a finished Job can be
                // cleaned up, and Replace only deletes active ones.
                match finished.get(job_in("Deleted job ").as_str()) {
                    Some(Some(f)) if *f <= e.time => MarkerKind::HistoryCleanup,
                    _ => MarkerKind::Replaced,
                }
            }
            (Kind::Job, "DeadlineExceeded") => MarkerKind::DeadlineExceeded,
            (
                Kind::Job,
                "BackoffLimitExceeded"
                | "MaxFailedIndexesExceeded"
                | "FailedIndexes"
                | "PodFailurePolicy",
            ) => MarkerKind::JobFailed,
            _ => continue,
        };
        let label = match kind {
            MarkerKind::JobCreated => job_in("Created job "),
            MarkerKind::Replaced | MarkerKind::HistoryCleanup => job_in("Deleted job "),
            _ => e.name.to_string(),
        };
        markers.push(Marker {
            time: e.time,
            kind,
            label,
        });
    }

    // Stable: events at one instant keep the order the controllers emitted them in.
    markers.sort_by_key(|m| m.time);

    let mut cronjobs: Vec<&str> = pods.iter().filter_map(|p| p.cronjob.as_deref()).collect();
    cronjobs.dedup();
    let title = if let Some(cj) = cronjobs.first() {
        format!("CronJob {cj}")
    } else if group_order.len() == 1 {
        format!("Job {}", group_order[0])
    } else {
        format!("{} Jobs", group_order.len())
    };
    TimelineChart {
        title,
        subtitle: String::new(),
        start,
        end,
        zone,
        lanes,
        slots: slots
            .into_iter()
            .filter(|s| *s >= start && *s <= end)
            .collect(),
        markers,
        load: None,
    }
}

impl TimelineChart {
    /// Sets every lane's requests from a function of the lane (e.g. its Job's pod template).
    pub fn set_requests(&mut self, requests: impl Fn(&Lane) -> Requests) {
        for lane in &mut self.lanes {
            lane.requests = requests(lane);
        }
    }

    /// Whether any lane carries a CPU or memory request (the load chart then adds panels).
    pub fn has_requests(&self) -> bool {
        self.lanes
            .iter()
            .any(|l| l.requests.cpu_millis.is_some() || l.requests.memory_bytes.is_some())
    }

    fn check_range(&self) -> Result<(), ChartError> {
        if self.end <= self.start {
            return Err(ChartError::EmptyRange {
                start: self.start.0,
                end: self.end.0,
            });
        }
        Ok(())
    }
}

/// The pod timeline as an SVG document.
pub fn render_svg(chart: &TimelineChart) -> Result<String, ChartError> {
    scene::to_svg(&gantt_scene(chart)?)
}

/// The pod timeline as a PNG image.
pub fn render_png(chart: &TimelineChart) -> Result<Vec<u8>, ChartError> {
    scene::to_png(&gantt_scene(chart)?)
}

/// The pod timeline's laid-out scene (what the renderers draw; tests inspect its geometry).
pub fn gantt_scene(chart: &TimelineChart) -> Result<scene::Scene, ChartError> {
    chart.check_range()?;
    gantt::layout_single(chart)
}

/// The load chart (active pods by state, plus requested CPU/memory when known) as SVG.
pub fn render_load_svg(chart: &TimelineChart) -> Result<String, ChartError> {
    scene::to_svg(&load_scene(chart)?)
}

/// The load chart as PNG.
pub fn render_load_png(chart: &TimelineChart) -> Result<Vec<u8>, ChartError> {
    scene::to_png(&load_scene(chart)?)
}

/// The load chart's laid-out scene.
pub fn load_scene(chart: &TimelineChart) -> Result<scene::Scene, ChartError> {
    chart.check_range()?;
    load::layout(chart)
}

/// One figure with a panel per variant (e.g. per concurrency policy) on a shared time axis, as SVG.
pub fn render_compare_svg(panels: &[(String, TimelineChart)]) -> Result<String, ChartError> {
    scene::to_svg(&compare_scene(panels)?)
}

/// The compare figure as PNG.
pub fn render_compare_png(panels: &[(String, TimelineChart)]) -> Result<Vec<u8>, ChartError> {
    scene::to_png(&compare_scene(panels)?)
}

/// The compare figure's laid-out scene.
pub fn compare_scene(panels: &[(String, TimelineChart)]) -> Result<scene::Scene, ChartError> {
    if panels.is_empty() {
        return Err(ChartError::NoPanels);
    }
    for (_, c) in panels {
        c.check_range()?;
    }
    gantt::layout_compare(panels)
}
