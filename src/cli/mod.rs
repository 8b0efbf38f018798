//! What the commands do, as library functions: the CLI only parses arguments and prints.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::output::timeline::Recorder;
use crate::scenario::Scenario;
use crate::simulation::{RunStats, Simulation};

/// The result of simulating one scenario.
#[derive(Debug)]
pub struct RunResult {
    /// Rows and events.
    pub recorder: Recorder,
    /// Engine counters.
    pub stats: RunStats,
}

/// Simulates a scenario in memory.
pub fn simulate(scenario: &Scenario) -> RunResult {
    let mut recorder = Recorder::new();
    let stats = Simulation::new(scenario.clone(), &mut recorder).run();
    RunResult { recorder, stats }
}

/// The default output folder of a scenario: `reports/<scenario name>/`.
pub fn default_out_dir(scenario: &Scenario) -> PathBuf {
    Path::new("reports").join(&scenario.name)
}

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
pub fn schedule_slots(
    scenario: &Scenario,
    end: crate::sim::time::Time,
    limit: usize,
) -> Vec<crate::sim::time::Time> {
    use crate::schedule::{self, Schedule};
    let local =
        schedule::validate_time_zone(&scenario.controller_time_zone).unwrap_or(chrono_tz::UTC);
    let mut slots = Vec::new();
    for m in &scenario.objects {
        let crate::scenario::Manifest::CronJob(cj) = m else {
            continue;
        };
        let spec = schedule::controller_spec(&cj.spec.schedule, cj.spec.time_zone.as_deref());
        let Ok(sched) = Schedule::parse_standard(&spec) else {
            continue;
        };
        let mut t = scenario.start;
        while slots.len() < limit {
            match sched.next(t, local) {
                Some(n) if n < end => {
                    slots.push(n);
                    t = n;
                }
                _ => break,
            }
        }
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
        scenario.start.rfc3339_millis()
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
        _ => format!("{} s", crate::sim::time::format_seconds(ms)),
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
            ("start".into(), scenario.start.rfc3339_millis()),
            (
                "simulated until".into(),
                format!("{} s", crate::sim::time::format_seconds(run.stats.end.since(scenario.start))),
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

/// Reads the manifest files again for the report (they were valid a moment ago).
fn manifest_texts(files: &[PathBuf]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(p).unwrap_or_default(),
            )
        })
        .collect()
}

/// Loads files with command-line overrides; skipped documents become warning lines. A
/// scenario above the resource limits ([`crate::scenario::limits`]) is refused here, before it runs.
pub fn load(
    files: &[PathBuf],
    cli: &crate::scenario::load::CliOverrides,
) -> Result<crate::scenario::load::Loaded> {
    let loaded = crate::scenario::load::load(files, cli)?;
    crate::scenario::limits::check(&loaded.scenario).map_err(|e| match files.first() {
        Some(f) => crate::Error::Input(format!("{}: {e}", f.display())),
        None => e,
    })?;
    Ok(loaded)
}

/// `batchsim run`: simulate, stream the CSVs into `out` (default `reports/<name>/`), add the
/// charts and the report, and return the text to print. With `summary_only` nothing is
/// written: the run keeps only counters.
pub fn run_command(
    files: &[PathBuf],
    cli: &crate::scenario::load::CliOverrides,
    out: Option<&Path>,
    summary_only: bool,
) -> Result<String> {
    let loaded = load(files, cli)?;
    let scenario = &loaded.scenario;
    let mut text = String::new();
    for w in &loaded.warnings {
        text.push_str(&format!("warning: {w}\n"));
    }
    if summary_only {
        let (summary, stats) = summarize(scenario);
        text.push_str(&summary.text(&scenario.name, scenario.start, &stats, &settings(scenario)));
        return Ok(text);
    }
    let dir = out.map_or_else(|| default_out_dir(scenario), Path::to_path_buf);
    let (written, summary, stats) = run_to_dir(scenario, &dir, &manifest_texts(files))?;
    text.push_str(&summary.text(&scenario.name, scenario.start, &stats, &settings(scenario)));
    for p in written {
        text.push_str(&format!("wrote {}\n", p.display()));
    }
    Ok(text)
}

fn settings(scenario: &Scenario) -> String {
    format!(
        "{} profile, seed {}",
        scenario.profile.as_str(),
        scenario.seed
    )
}

/// Simulates a scenario keeping only counters (`run --summary-only`).
pub fn summarize(scenario: &Scenario) -> (crate::output::summary::Summary, RunStats) {
    let mut summary = crate::output::summary::Summary::new();
    let stats = Simulation::new(scenario.clone(), &mut summary).run();
    summary.finish();
    (summary, stats)
}

/// Simulates a scenario streaming `pods.csv`, `jobs.csv` and `events.csv` into `dir`, then
/// writes the charts and the report; every file appears at once or none does.
pub fn run_to_dir(
    scenario: &Scenario,
    dir: &Path,
    manifests: &[(String, String)],
) -> Result<(Vec<PathBuf>, crate::output::summary::Summary, RunStats)> {
    use crate::output::stream::{CsvStream, CHART_WINDOW, SPILL_ROWS};
    let mut staging = crate::output::Staging::new(dir)?;
    let sinks = (
        staging.create("pods.csv")?,
        staging.create("jobs.csv")?,
        staging.create("events.csv")?,
    );
    let mut stream = CsvStream::new(scenario.start, CHART_WINDOW, sinks, Some((dir, SPILL_ROWS)));
    let stats = Simulation::new(scenario.clone(), &mut stream).run();
    let done = stream
        .finish(stats.end)
        .map_err(|source| crate::Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    staging.close("pods.csv", done.pods)?;
    staging.close("jobs.csv", done.jobs)?;
    staging.close("events.csv", done.events)?;
    let run = RunResult {
        recorder: done.window,
        stats,
    };
    let long = (chart_end(scenario, &run) > scenario.start.plus(CHART_WINDOW)).then_some(LongRun {
        load: done.load,
        jobs: done.summary.jobs,
        events: done.summary.events,
    });
    for (name, bytes) in figure_files(scenario, &run, manifests, long)? {
        staging.add(&name, &bytes)?;
    }
    let written = staging.commit()?;
    Ok((written, done.summary, run.stats))
}

/// `batchsim schedule`: a plain-words reading of a CronJob schedule, then its next `n` fire
/// times after `from` (default: the scenario default start) in RFC 3339 with the zone's offset,
/// exactly as the CronJob controller computes them. `tz` is `spec.timeZone`.
pub fn schedule_command(
    expr: &str,
    tz: Option<&str>,
    from: Option<&str>,
    n: usize,
) -> Result<String> {
    use crate::schedule::{self, Schedule};
    use crate::sim::time::Time;
    use std::fmt::Write as _;
    let mut problems: Vec<String> = schedule::validate_schedule_for_create(expr)
        .iter()
        .map(|e| e.format("spec.schedule"))
        .collect();
    let zone = match tz {
        Some(z) => match schedule::validate_time_zone(z) {
            Ok(zone) => Some(zone),
            Err(msg) => {
                problems.push(format!("spec.timeZone: Invalid value: \"{z}\": {msg}"));
                None
            }
        },
        None => None,
    };
    if !problems.is_empty() {
        return Err(crate::Error::Input(problems.join(", ")));
    }
    let sched = Schedule::parse_standard(&schedule::controller_spec(expr, tz)).map_err(|e| {
        crate::Error::Input(format!("spec.schedule: Invalid value: \"{expr}\": {e}"))
    })?;
    let from_text = from.unwrap_or(crate::scenario::DEFAULT_START);
    let start = crate::scenario::load::duration::parse_instant(from_text)
        .map_err(|e| crate::Error::Input(format!("--from: {e}")))?;
    let display = zone.unwrap_or(chrono_tz::UTC);
    let mut out = String::new();
    let zone_words = tz.map_or_else(
        || "UTC, the controller's zone".to_string(),
        |z| z.to_string(),
    );
    let _ = writeln!(out, "{expr} ({zone_words}): {}", sched.describe());
    let mut t: Time = start;
    let mut shown = 0;
    while shown < n {
        match sched.next(t, chrono_tz::UTC) {
            Some(next) => {
                let local = next.to_utc().with_timezone(&display);
                let text = if tz.is_none() {
                    local.format("%Y-%m-%dT%H:%M:%SZ").to_string()
                } else {
                    local.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
                };
                let _ = writeln!(out, "{text}");
                t = next;
                shown += 1;
            }
            None => {
                let _ = writeln!(
                    out,
                    "{} within robfig/cron's five-year search from {}: the CronJob controller would report InvalidSchedule",
                    if shown == 0 { "never fires" } else { "no further fire time" },
                    t.rfc3339_millis()
                );
                break;
            }
        }
    }
    Ok(out)
}

/// Collects `kubectl get pods -w` lines during a run, each prefixed with the virtual time.
#[derive(Debug)]
pub struct WatchLines {
    start: crate::sim::time::Time,
    watch: crate::output::kubectl::PodWatch,
    /// The lines printed so far.
    pub lines: Vec<String>,
}

impl WatchLines {
    /// A watch that starts at `start` (the list is empty then).
    pub fn new(start: crate::sim::time::Time) -> WatchLines {
        WatchLines {
            start,
            watch: crate::output::kubectl::PodWatch::new(),
            lines: Vec::new(),
        }
    }
}

impl crate::output::timeline::Observer for WatchLines {
    fn pod(
        &mut self,
        now: crate::sim::time::Time,
        pod: &crate::cluster::model::Pod,
        op: crate::cluster::store::Op,
    ) {
        let out = if op == crate::cluster::store::Op::Deleted {
            self.watch.deleted(now, pod)
        } else {
            self.watch.observe(now, pod)
        };
        let prefix = crate::output::kubectl::watch_prefix(self.start, now);
        for l in out {
            // The header line carries no event time; pad it so the columns stay aligned.
            let p = if l.starts_with("NAME") {
                " ".repeat(prefix.chars().count())
            } else {
                prefix.clone()
            };
            self.lines.push(format!("{p} {l}"));
        }
    }

    fn job(
        &mut self,
        _now: crate::sim::time::Time,
        _job: &crate::cluster::model::Job,
        _op: crate::cluster::store::Op,
    ) {
    }

    fn event(&mut self, _event: &crate::cluster::model::Event) {}
}

/// `batchsim watch`: the run replayed like `kubectl get pods -w`.
pub fn watch_command(
    files: &[PathBuf],
    cli: &crate::scenario::load::CliOverrides,
) -> Result<String> {
    let loaded = load(files, cli)?;
    let mut w = WatchLines::new(loaded.scenario.start);
    Simulation::new(loaded.scenario.clone(), &mut w).run();
    let mut out = w.lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    Ok(out)
}

/// What `batchsim get` lists.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum GetKind {
    /// `kubectl get pods`
    Pods,
    /// `kubectl get jobs`
    Jobs,
    /// `kubectl get cronjobs`
    CronJobs,
}

/// `batchsim get KIND --at D`: the kubectl table at the virtual instant `start + D`, after
/// everything that happens at that instant. Returns (stdout, stderr) as kubectl would print them.
pub fn get_command(
    kind: GetKind,
    files: &[PathBuf],
    at: &str,
    cli: &crate::scenario::load::CliOverrides,
) -> Result<(String, String)> {
    use crate::output::kubectl;
    let at_ms = crate::scenario::load::duration::parse_duration(at)
        .map_err(|e| crate::Error::Input(format!("--at: {e}")))?;
    let loaded = load(files, cli)?;
    let mut scenario = loaded.scenario.clone();
    scenario.horizon = crate::scenario::Horizon::At(at_ms + 1);
    let now = scenario.start.plus(at_ms);
    let mut rec = Recorder::new();
    let mut sim = Simulation::new(scenario, &mut rec);
    sim.run_until_end();
    let store = sim.store();
    let table = match kind {
        GetKind::Pods => kubectl::render_pods(&store.pods().collect::<Vec<_>>(), now),
        GetKind::Jobs => kubectl::render_jobs(&store.jobs().collect::<Vec<_>>(), now),
        GetKind::CronJobs => kubectl::render_cronjobs(&store.cronjobs().collect::<Vec<_>>(), now),
    };
    if table.is_empty() {
        Ok((
            String::new(),
            format!("{}\n", kubectl::NO_RESOURCES_DEFAULT),
        ))
    } else {
        Ok((table, String::new()))
    }
}
