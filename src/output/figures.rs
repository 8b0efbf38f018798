//! The figures of a run, assembled from a scenario and its recorded timeline: the timeline and
//! load charts (SVG and PNG), the report page, and the chart's span, zone and schedule slots.

use crate::error::Result;
use crate::output::timefmt::{format_seconds, rfc3339_millis};
use crate::output::timeline::RunResult;
use crate::scenario::slots::{controller_zone, cronjob_schedule, Slots};
use crate::scenario::{Manifest, Scenario};
use crate::sim::time::Time;

/// The zone a scenario's charts use: the CronJobs' common `spec.timeZone`, else the
/// controller's zone.
pub fn display_zone(scenario: &Scenario) -> chrono_tz::Tz {
    let zones: std::collections::BTreeSet<&str> = scenario
        .objects
        .iter()
        .filter_map(|m| match m {
            crate::scenario::Manifest::CronJob(c) => c.spec.time_zone.as_deref(),
            _ => None,
        })
        .collect();
    let name = if zones.len() == 1 {
        zones.iter().next().copied().unwrap_or("UTC")
    } else {
        scenario.controller_time_zone.as_str()
    };
    crate::schedule::validate_time_zone(name).unwrap_or(chrono_tz::UTC)
}

/// The schedule slots of every CronJob in `[start, end)`, at most `limit` of them.
pub fn schedule_slots(scenario: &Scenario, end: Time, limit: usize) -> Vec<Time> {
    let local = controller_zone(scenario);
    let mut slots = Vec::new();
    for m in &scenario.objects {
        let Manifest::CronJob(cj) = m else {
            continue;
        };
        let Some(sched) = cronjob_schedule(cj) else {
            continue;
        };
        let room = limit.saturating_sub(slots.len());
        slots.extend(
            Slots::new(&sched, local, scenario.start)
                .take_while(|&n| n < end)
                .take(room),
        );
    }
    slots.sort();
    slots.dedup();
    slots
}

/// The chart of a run.
pub fn timeline_chart(scenario: &Scenario, run: &RunResult) -> crate::output::chart::TimelineChart {
    timeline_chart_until(scenario, run, chart_end(scenario, run))
}

/// Where a run's chart ends: the horizon, or — when the run simply stopped after its last
/// event — a little later (5% of the span, at least 2 s), so final states are visible.
pub fn chart_end(scenario: &Scenario, run: &RunResult) -> crate::sim::time::Time {
    let stopped_by_itself = scenario.horizon == crate::scenario::Horizon::Auto
        && crate::scenario::horizon::auto_cronjob_horizon(scenario).is_none();
    if !stopped_by_itself {
        return run.stats.end;
    }
    let span = run.stats.end.since(scenario.start).max(0);
    run.stats.end.plus((span / 20).max(2_000))
}

/// The chart of a run drawn up to `end` (compare panels share the latest end).
pub fn timeline_chart_until(
    scenario: &Scenario,
    run: &RunResult,
    end: crate::sim::time::Time,
) -> crate::output::chart::TimelineChart {
    let slots = schedule_slots(scenario, end, 10_000);
    let mut chart = crate::output::chart::from_recorder(
        &run.recorder,
        scenario.start,
        end,
        display_zone(scenario),
        slots,
    );
    chart.subtitle = format!(
        "{} profile, seed {}, from {}",
        scenario.profile.as_str(),
        scenario.seed,
        rfc3339_millis(scenario.start)
    );
    let requests: std::collections::BTreeMap<
        crate::cluster::model::Str,
        crate::cluster::model::Requests,
    > = scenario
        .objects
        .iter()
        .flat_map(|m| {
            let (name, spec) = match m {
                crate::scenario::Manifest::Job(j) => (j.meta.name.clone(), &j.spec),
                crate::scenario::Manifest::CronJob(c) => {
                    (c.meta.name.clone(), &c.spec.job_template.spec)
                }
            };
            let total = spec.template.containers.iter().fold(
                crate::cluster::model::Requests::default(),
                |acc, c| crate::cluster::model::Requests {
                    cpu_millis: add_opt(acc.cpu_millis, c.requests.cpu_millis),
                    memory_bytes: add_opt(acc.memory_bytes, c.requests.memory_bytes),
                },
            );
            Some((name, total))
        })
        .collect();
    if requests
        .values()
        .any(|r| r.cpu_millis.is_some() || r.memory_bytes.is_some())
    {
        chart.set_requests(|lane| {
            let owner = lane.cronjob.as_ref().unwrap_or(&lane.group);
            requests.get(owner.as_str()).cloned().unwrap_or_default()
        });
    }
    chart
}

fn add_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (None, None) => None,
        _ => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
    }
}

/// A run longer than the chart window: the whole run's aggregated load and its counters.
#[derive(Debug)]
pub struct LongRun {
    /// The load over the whole run.
    pub load: crate::output::chart::LoadBins,
    /// Rows in `jobs.csv`.
    pub jobs: u64,
    /// Rows in `events.csv`.
    pub events: u64,
}

/// A span in its largest exact unit (`30 s`, `10 min`, `24 h`, `365 d`); days from two on.
fn span_words(ms: crate::sim::time::Millis) -> String {
    use crate::sim::time::{DAY, HOUR, MINUTE, SECOND};
    match ms {
        _ if ms >= 2 * DAY && ms % DAY == 0 => format!("{} d", ms / DAY),
        _ if ms >= HOUR && ms % HOUR == 0 => format!("{} h", ms / HOUR),
        _ if ms >= MINUTE && ms % MINUTE == 0 => format!("{} min", ms / MINUTE),
        _ if ms % SECOND == 0 => format!("{} s", ms / SECOND),
        _ => format!("{} s", format_seconds(ms)),
    }
}

/// The figures of `run`: the timeline and load charts (SVG and PNG) and `report.html`.
/// `run.recorder` holds the whole run, or for a [`LongRun`] its chart window
/// ([`crate::output::stream::CHART_WINDOW`]): the timeline then shows the window and the load
/// chart the whole run.
pub fn figure_files(
    scenario: &Scenario,
    run: &RunResult,
    manifests: &[(String, String)],
    long: Option<LongRun>,
) -> Result<Vec<(String, Vec<u8>)>> {
    use crate::output::{chart, report};
    let mut files = Vec::new();
    let end = chart_end(scenario, run);
    let window_end = scenario
        .start
        .plus(crate::output::stream::CHART_WINDOW)
        .min(end);
    // `whole_load`: the load chart of a long run; a short one draws the timeline's own load.
    let (tl, whole_load, totals) = match long {
        None => (timeline_chart(scenario, run), None, None),
        Some(long) => {
            // A day of bars is a texture, not a picture: CronJob runs show the span a default
            // run shows (ten slots and the time their runs need), Jobs their first day.
            let gantt_end = crate::scenario::horizon::auto_cronjob_horizon(scenario)
                .map_or(window_end, |ms| scenario.start.plus(ms).min(window_end));
            let mut tl = timeline_chart_until(scenario, run, gantt_end);
            let whole = tl.subtitle.clone();
            tl.subtitle = format!(
                "{whole} · first {} of {}",
                span_words(gantt_end.since(scenario.start)),
                span_words(end.since(scenario.start))
            );
            let load_chart = chart::TimelineChart {
                title: tl.title.clone(),
                subtitle: format!(
                    "{whole} · whole run, aggregated in {} bins",
                    span_words(long.load.width)
                ),
                start: scenario.start,
                end,
                zone: tl.zone,
                lanes: Vec::new(),
                slots: Vec::new(),
                markers: Vec::new(),
                load: Some(long.load),
            };
            (tl, Some(load_chart), Some((long.jobs, long.events)))
        }
    };
    let load_chart = whole_load.as_ref().unwrap_or(&tl);
    // The two PNGs (rasterising and deflating, about half of this function's work) are drawn on
    // a second thread while this one draws the SVGs and the report.
    let (pngs, svgs) = std::thread::scope(|s| {
        let pngs = s.spawn(|| -> Result<(Vec<u8>, Vec<u8>)> {
            Ok((chart::render_png(&tl)?, chart::render_load_png(load_chart)?))
        });
        let svgs = (|| -> Result<(String, String)> {
            Ok((chart::render_svg(&tl)?, chart::render_load_svg(load_chart)?))
        })();
        let pngs = pngs
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (pngs, svgs)
    });
    let (timeline_svg, load_svg) = svgs?;
    let (timeline_png, load_png) = pngs?;
    files.push(("timeline.png".into(), timeline_png));
    files.push(("load.png".into(), load_png));
    let zone = display_zone(scenario);
    let html = report::render_html(&report::ReportInput {
        title: scenario.name.clone(),
        subtitle: tl.subtitle.clone(),
        settings: vec![
            ("start".into(), rfc3339_millis(scenario.start)),
            (
                "simulated until".into(),
                format!("{} s", format_seconds(run.stats.end.since(scenario.start))),
            ),
            ("profile".into(), scenario.profile.as_str().into()),
            ("seed".into(), scenario.seed.to_string()),
            ("controller time zone".into(), scenario.controller_time_zone.clone()),
        ],
        manifests: manifests.to_vec(),
        figures: vec![
            report::Figure {
                caption: "Pod timeline: one row per pod, coloured by state; dashed lines are schedule slots.".into(),
                svg: timeline_svg.clone(),
            },
            report::Figure {
                caption: "Load: pods by state over time.".into(),
                svg: load_svg.clone(),
            },
        ],
        summary: {
            let t = report::jobs_table(&run.recorder, scenario.start);
            report::Table {
                total: totals.map(|n| n.0).or(t.total),
                ..t
            }
        },
        events: {
            let t = report::events_table(&run.recorder.events, scenario.start, zone);
            report::Table {
                total: totals.map(|n| n.1).or(t.total),
                ..t
            }
        },
    });
    files.push(("timeline.svg".into(), timeline_svg.into_bytes()));
    files.push(("load.svg".into(), load_svg.into_bytes()));
    files.push(("report.html".into(), html.into_bytes()));
    Ok(files)
}
