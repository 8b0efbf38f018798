//! Monte-Carlo sweeps behind `batchsim sweep` and `batchsim sweep-merge`: many seeded runs of
//! one scenario, per variant, reduced to one metrics row per run and summary statistics.
//!
//! **Seeds.** Run `r` (0-based) of a sweep with seed `S` simulates with seed
//! `FNV-1a-64("batchsim-sweep" ‖ S as 8 little-endian bytes ‖ r as 8 little-endian bytes)`
//! ([`run_seed`], with [`crate::sim::rng::fnv1a`]'s part separators). Every variant of run `r` uses the
//! same seed (common random numbers), so policies are compared on the same draws.
//!
//! **Determinism.** Rows are produced in (run, variant) order whatever the thread count, and the
//! summary is computed from the formatted CSV values, so a sweep, any number of shards merged,
//! and any `--jobs` give byte-identical files.
//!
//! **Memory.** A run's [`Recorder`] is reduced to a [`Metrics`] row and dropped before the next
//! run on that thread; no per-run file is written.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::ops::Range;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::cluster::model::ConcurrencyPolicy;
use crate::error::{Error, Result};
use crate::output::chart::boxplot::{self, nearest_rank, BoxSeries};
use crate::output::timeline::Recorder;
use crate::output::OutputFile;
use crate::scenario::{Manifest, Scenario};
use crate::sim::time::Time;
use crate::simulation::Simulation;

/// The metric columns of `sweep.csv`, in order.
pub const METRICS: [&str; 11] = [
    "jobs_started",
    "jobs_succeeded",
    "jobs_failed",
    "slots_skipped",
    "jobs_replaced",
    "pods_created",
    "pods_failed",
    "max_concurrent_pods",
    "pod_seconds",
    "mean_start_delay_s",
    "p95_start_delay_s",
];

/// How many metrics are whole counts (the first ones); the rest are seconds with 3 decimals.
const COUNT_METRICS: usize = 8;

/// The metrics of one run, in [`METRICS`] order.
#[derive(Clone, Debug, PartialEq)]
pub struct Metrics(pub [f64; 11]);

/// The seed of run `run` of a sweep seeded with `base` (see the module documentation).
pub fn run_seed(base: u64, run: u64) -> u64 {
    crate::sim::rng::fnv1a(&[b"batchsim-sweep", &base.to_le_bytes(), &run.to_le_bytes()])
}

/// Computes a run's metrics from its recorder.
///
/// - `jobs_started`, `jobs_succeeded`, `jobs_failed`: Jobs created, and those whose terminal
///   condition is `Complete` / `Failed`.
/// - `slots_skipped`: `JobAlreadyActive` events (slots Forbid did not start at their time).
/// - `jobs_replaced`: CronJob `SuccessfulDelete` events for a Job not finished at that instant
///   (Replace deletions; history clean-up only deletes finished Jobs).
/// - `pods_created`, `pods_failed`: pods, and those whose final phase is Failed.
/// - `max_concurrent_pods`: most pods at once between creation and their terminal phase or
///   removal (a pod ending at `t` and one created at `t` do not overlap).
/// - `pod_seconds`: Σ over pods that ran of (terminal phase, removal or run end − Running).
/// - `mean_start_delay_s`, `p95_start_delay_s`: Job creation − its schedule slot over the
///   CronJob's Jobs (p95 by nearest rank); 0 when there are none.
pub fn metrics(rec: &Recorder, end: Time) -> Metrics {
    let jobs = rec.job_rows();
    let pods = rec.pod_rows();
    let finished: HashMap<&str, Option<Time>> =
        jobs.iter().map(|j| (j.job.as_str(), j.finished)).collect();
    let mut slots_skipped = 0;
    let mut replaced = 0;
    for e in &rec.events {
        if e.kind != crate::cluster::model::Kind::CronJob {
            continue;
        }
        if e.reason == "JobAlreadyActive" {
            slots_skipped += 1;
        } else if e.reason == "SuccessfulDelete" {
            let name = e.message.strip_prefix("Deleted job ").unwrap_or("");
            if finished
                .get(name)
                .is_some_and(|f| f.is_none_or(|t| t > e.time))
            {
                replaced += 1;
            }
        }
    }
    // Concurrency sweep: ends (−1) sort before starts (+1) at the same instant.
    let mut deltas: Vec<(Time, i32)> = Vec::with_capacity(pods.len() * 2);
    let mut pod_ms: i64 = 0;
    for p in &pods {
        let stop = [p.finished, p.deleted].into_iter().flatten().min();
        let last = stop.unwrap_or(end).min(end);
        deltas.push((p.created, 1));
        deltas.push((last, -1));
        if let Some(r) = p.running {
            pod_ms += last.since(r).max(0);
        }
    }
    deltas.sort();
    let (mut cur, mut max) = (0i32, 0i32);
    for (_, d) in deltas {
        cur += d;
        max = max.max(cur);
    }
    let mut delays: Vec<f64> = jobs
        .iter()
        .filter_map(|j| j.scheduled.map(|s| j.created.since(s) as f64 / 1000.0))
        .collect();
    delays.sort_by(f64::total_cmp);
    let mean_delay = if delays.is_empty() {
        0.0
    } else {
        delays.iter().sum::<f64>() / delays.len() as f64
    };
    let count = |f: &dyn Fn(&&&crate::output::timeline::JobRecord) -> bool| {
        jobs.iter().filter(|j| f(j)).count() as f64
    };
    Metrics([
        jobs.len() as f64,
        count(&|j| j.condition == "Complete"),
        count(&|j| j.condition == "Failed"),
        f64::from(slots_skipped),
        f64::from(replaced),
        pods.len() as f64,
        pods.iter()
            .filter(|p| p.final_phase == crate::cluster::model::PodPhase::Failed)
            .count() as f64,
        f64::from(max),
        pod_ms as f64 / 1000.0,
        mean_delay,
        nearest_rank(&delays, 0.95),
    ])
}

impl Metrics {
    /// The values as `sweep.csv` writes them: counts as integers, seconds with 3 decimals.
    pub fn formatted(&self) -> Vec<String> {
        self.0
            .iter()
            .enumerate()
            .map(|(i, v)| {
                if i < COUNT_METRICS {
                    format!("{}", v.round() as i64)
                } else {
                    format!("{v:.3}")
                }
            })
            .collect()
    }
}

/// One `sweep.csv` row, values already formatted.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Run number, 0-based over the whole sweep.
    pub run: u64,
    /// The seed this run simulated with.
    pub seed: u64,
    /// Variant label.
    pub variant: String,
    /// Metric values in [`METRICS`] order.
    pub values: Vec<String>,
}

/// `--shard I/N`: the I-th (0-based) of N contiguous, disjoint slices of the runs.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Slice number, `0 ≤ index < count`.
    pub index: u64,
    /// Number of slices.
    pub count: u64,
}

impl Shard {
    /// Parses `I/N`.
    pub fn parse(s: &str) -> Result<Shard> {
        let bad = || {
            Error::Input(format!(
                "--shard: Invalid value: \"{s}\": expected I/N with 0 <= I < N, e.g. 0/4"
            ))
        };
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = i.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// The runs of this slice: `[I·runs/N, (I+1)·runs/N)`.
    pub fn range(&self, runs: u64) -> Range<u64> {
        let at = |k: u64| (u128::from(k) * u128::from(runs) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }
}

/// What a sweep does (everything but the scenario).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepOptions {
    /// Number of runs of the whole sweep (all shards).
    pub runs: u64,
    /// Sweep seed `S`.
    pub seed: u64,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Only this slice of the runs.
    pub shard: Option<Shard>,
    /// `--vary`: `spec.concurrencyPolicy=Allow,Forbid,Replace` or a `compare` field.
    pub vary: Option<String>,
    /// Metric of the box plot.
    pub metric: String,
    /// Draw a progress bar (only when stderr is a terminal).
    pub progress: bool,
}

/// One variant: its label and scenario.
pub type Variant = crate::studies::compare::Variant;

/// The variants of a sweep: the scenario as written, or one per `--vary` value.
///
/// `--vary spec.concurrencyPolicy=…` (or `policy=…`) varies the policy; any field `compare`
/// accepts varies that field under the CronJob's own policy.
pub fn sweep_variants(base: &Scenario, vary: Option<&str>) -> Result<Vec<Variant>> {
    let Some(v) = vary else {
        return Ok(vec![Variant {
            label: "as written".into(),
            scenario: base.clone(),
        }]);
    };
    let (field, values) = v.split_once('=').ok_or_else(|| {
        Error::Input(format!(
            "--vary: expected FIELD=VALUE,VALUE… (e.g. spec.concurrencyPolicy=Allow,Forbid,Replace), got \"{v}\""
        ))
    })?;
    if matches!(field.trim(), "spec.concurrencyPolicy" | "policy") {
        return crate::studies::compare::variants(base, values, None);
    }
    let own: Vec<ConcurrencyPolicy> = base
        .objects
        .iter()
        .filter_map(|m| match m {
            Manifest::CronJob(c) => Some(c.spec.concurrency_policy),
            _ => None,
        })
        .collect();
    let policy = own.first().map_or("Allow", |p| p.as_str());
    crate::studies::compare::variants(base, policy, Some(v))
}

/// The header lines of `sweep-meta.txt`: what a merge checks shards agree on.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepMeta {
    /// Scenario name.
    pub scenario: String,
    /// Runs of the whole sweep.
    pub runs: u64,
    /// Sweep seed.
    pub seed: u64,
    /// Box-plot metric.
    pub metric: String,
    /// Variant labels in order.
    pub variants: Vec<String>,
    /// The runs these files hold.
    pub slice: Range<u64>,
}

impl SweepMeta {
    fn render(&self) -> String {
        let mut s = format!(
            "scenario={}\nruns={}\nseed={}\nmetric={}\n",
            self.scenario, self.runs, self.seed, self.metric
        );
        for v in &self.variants {
            s.push_str(&format!("variant={v}\n"));
        }
        s.push_str(&format!("slice={}..{}\n", self.slice.start, self.slice.end));
        s
    }

    fn parse(text: &str, file: &str) -> Result<SweepMeta> {
        let bad = |what: &str| Error::Input(format!("{file}: {what}"));
        let mut kv: BTreeMap<&str, &str> = BTreeMap::new();
        let mut variants = Vec::new();
        for line in text.lines() {
            let (k, v) = line
                .split_once('=')
                .ok_or_else(|| bad("expected key=value lines"))?;
            if k == "variant" {
                variants.push(v.to_string());
            } else {
                kv.insert(k, v);
            }
        }
        let get = |k: &str| {
            kv.get(k)
                .copied()
                .ok_or_else(|| bad(&format!("missing {k}=")))
        };
        let num = |k: &str| -> Result<u64> {
            get(k)?
                .parse()
                .map_err(|_| bad(&format!("{k}= is not a number")))
        };
        let (a, b) = get("slice")?
            .split_once("..")
            .ok_or_else(|| bad("slice= must be A..B"))?;
        let slice = a.parse().map_err(|_| bad("slice= must be A..B"))?
            ..b.parse().map_err(|_| bad("slice= must be A..B"))?;
        let runs = num("runs")?;
        // The file may have been edited: a reversed slice or one past the runs would make the
        // merge's tiling check and the run count meaningless.
        if slice.start > slice.end || slice.end > runs {
            return Err(bad("slice= must be A..B with A <= B <= runs"));
        }
        Ok(SweepMeta {
            scenario: get("scenario")?.to_string(),
            runs,
            seed: num("seed")?,
            metric: get("metric")?.to_string(),
            variants,
            slice,
        })
    }
}

/// A [`Recorder`] that keeps only the CronJob and Job events: the metrics read no pod event,
/// and pods' five start-up events per pod are most of a run's event log.
struct CronJobEvents(Recorder);

impl crate::cluster::watch::Observer for CronJobEvents {
    fn pod(&mut self, now: Time, pod: &crate::cluster::model::Pod, op: crate::cluster::store::Op) {
        self.0.pod(now, pod, op);
    }
    fn job(&mut self, now: Time, job: &crate::cluster::model::Job, op: crate::cluster::store::Op) {
        self.0.job(now, job, op);
    }
    fn event(&mut self, event: &crate::cluster::model::Event) {
        if event.kind != crate::cluster::model::Kind::Pod {
            self.0.event(event);
        }
    }
}

/// Runs the sweep's slice and returns its rows in (run, variant) order.
pub fn run_rows(variants: &[Variant], opts: &SweepOptions, slice: Range<u64>) -> Result<Vec<Row>> {
    let tasks: Vec<(u64, usize)> = slice
        .flat_map(|r| (0..variants.len()).map(move |v| (r, v)))
        .collect();
    let bar = if opts.progress && std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(tasks.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} runs {elapsed} (eta {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs)
        .build()
        .map_err(|e| Error::Input(format!("--jobs: cannot start {} threads: {e}", opts.jobs)))?;
    let rows = pool.install(|| {
        tasks
            .par_iter()
            .map(|&(run, vi)| {
                let v = &variants[vi];
                let seed = run_seed(opts.seed, run);
                let mut scenario = v.scenario.clone();
                scenario.seed = seed;
                let mut rec = CronJobEvents(Recorder::without_segments());
                let stats = Simulation::new(scenario, &mut rec).run();
                let m = metrics(&rec.0, stats.end);
                drop(rec);
                if let Some(b) = &bar {
                    b.inc(1);
                }
                Row {
                    run,
                    seed,
                    variant: v.label.clone(),
                    values: m.formatted(),
                }
            })
            .collect::<Vec<Row>>()
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(rows)
}

/// `sweep.csv`: one row per (run, variant).
pub fn sweep_csv(rows: &[Row]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["run", "seed", "variant"];
    header.extend(METRICS);
    w.write_record(&header)?;
    for r in rows {
        let mut rec = vec![r.run.to_string(), r.seed.to_string(), r.variant.clone()];
        rec.extend(r.values.iter().cloned());
        w.write_record(&rec)?;
    }
    crate::output::csv_into_bytes(w)
}

/// Reads a `sweep.csv` back (for merging).
pub fn parse_sweep_csv(bytes: &[u8], file: &str) -> Result<Vec<Row>> {
    let bad = |m: String| Error::Input(format!("{file}: {m}"));
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r
        .headers()
        .map_err(|e| bad(e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut expected = vec!["run", "seed", "variant"];
    expected.extend(METRICS);
    if header != expected {
        return Err(bad(format!(
            "unexpected header, expected {}",
            expected.join(",")
        )));
    }
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let num = |k: usize| -> Result<u64> {
            rec.get(k).and_then(|s| s.parse().ok()).ok_or_else(|| {
                bad(format!(
                    "row {}: column {} is not a number",
                    i + 2,
                    expected[k]
                ))
            })
        };
        rows.push(Row {
            run: num(0)?,
            seed: num(1)?,
            variant: rec.get(2).unwrap_or("").to_string(),
            values: rec.iter().skip(3).map(str::to_string).collect(),
        });
    }
    Ok(rows)
}

/// Summary statistics of one metric of one variant.
#[derive(Clone, Debug, PartialEq)]
pub struct Stat {
    /// Variant label.
    pub variant: String,
    /// Metric name.
    pub metric: String,
    /// Number of runs.
    pub n: usize,
    /// mean, sd (n − 1; 0 for one run), p5, p50, p95 (nearest rank), min, max.
    pub values: [f64; 7],
}

/// The metric values of every variant, parsed from the rows' formatted text.
fn columns(rows: &[Row], variants: &[String]) -> Vec<Vec<Vec<f64>>> {
    let mut cols = vec![vec![Vec::new(); METRICS.len()]; variants.len()];
    let index: HashMap<&str, usize> = variants
        .iter()
        .enumerate()
        .map(|(i, v)| (v.as_str(), i))
        .collect();
    for r in rows {
        let Some(&vi) = index.get(r.variant.as_str()) else {
            continue;
        };
        for (mi, s) in r.values.iter().enumerate().take(METRICS.len()) {
            cols[vi][mi].push(s.parse::<f64>().unwrap_or(f64::NAN));
        }
    }
    cols
}

/// Mean, sd, p5, p50, p95, min and max of each metric per variant, in variant then metric order.
pub fn summarize(rows: &[Row], variants: &[String]) -> Vec<Stat> {
    let cols = columns(rows, variants);
    let mut out = Vec::new();
    for (vi, v) in variants.iter().enumerate() {
        for (mi, m) in METRICS.iter().enumerate() {
            let mut x = cols[vi][mi].clone();
            x.sort_by(f64::total_cmp);
            let n = x.len();
            let mean = if n == 0 {
                0.0
            } else {
                x.iter().sum::<f64>() / n as f64
            };
            let sd = if n < 2 {
                0.0
            } else {
                (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
            };
            out.push(Stat {
                variant: v.clone(),
                metric: m.to_string(),
                n,
                values: [
                    mean,
                    sd,
                    nearest_rank(&x, 0.05),
                    nearest_rank(&x, 0.5),
                    nearest_rank(&x, 0.95),
                    x.first().copied().unwrap_or(0.0),
                    x.last().copied().unwrap_or(0.0),
                ],
            });
        }
    }
    out
}

const SUMMARY_HEADERS: [&str; 10] = [
    "variant", "metric", "n", "mean", "sd", "p5", "p50", "p95", "min", "max",
];

fn stat_cells(s: &Stat) -> Vec<String> {
    let mut c = vec![s.variant.clone(), s.metric.clone(), s.n.to_string()];
    c.extend(s.values.iter().map(|v| format!("{v:.3}")));
    c
}

/// `summary.csv`.
pub fn summary_csv(stats: &[Stat]) -> Result<Vec<u8>> {
    crate::output::csv_bytes(
        &SUMMARY_HEADERS,
        &stats.iter().map(stat_cells).collect::<Vec<_>>(),
    )
}

/// The summary as an aligned text table: labels left-aligned, numbers right-aligned.
pub fn summary_text(stats: &[Stat]) -> String {
    let rows: Vec<Vec<String>> = stats.iter().map(stat_cells).collect();
    crate::output::text_table(&SUMMARY_HEADERS, &rows, 2, 2)
}

/// Every file a sweep (or a merge) writes, as a function of its meta and rows only.
pub fn output_files(meta: &SweepMeta, rows: &[Row]) -> Result<(Vec<OutputFile>, String)> {
    let stats = summarize(rows, &meta.variants);
    let mi = METRICS
        .iter()
        .position(|m| *m == meta.metric)
        .ok_or_else(|| unknown_metric(&meta.metric))?;
    let cols = columns(rows, &meta.variants);
    let series: Vec<BoxSeries> = meta
        .variants
        .iter()
        .zip(&cols)
        .map(|(v, c)| BoxSeries {
            label: v.clone(),
            values: c[mi].clone(),
        })
        .collect();
    let title = format!(
        "{}: {} over {} runs (seed {})",
        meta.scenario,
        meta.metric,
        meta.slice.end - meta.slice.start,
        meta.seed
    );
    let svg = boxplot::render_svg(&title, &meta.metric, &series)?;
    let png = boxplot::render_png(&title, &meta.metric, &series)?;
    Ok((
        vec![
            ("summary.csv".into(), summary_csv(&stats)?),
            ("sweep-meta.txt".into(), meta.render().into_bytes()),
            ("sweep.csv".into(), sweep_csv(rows)?),
            ("sweep.png".into(), png),
            ("sweep.svg".into(), svg.into_bytes()),
        ],
        summary_text(&stats),
    ))
}

fn unknown_metric(m: &str) -> Error {
    Error::Input(format!(
        "--metric: Unsupported value: \"{m}\": supported values: {}",
        METRICS.join(", ")
    ))
}

/// Runs a sweep of an already loaded scenario: returns its meta and rows.
pub fn sweep(base: &Scenario, opts: &SweepOptions) -> Result<(SweepMeta, Vec<Row>)> {
    if !METRICS.contains(&opts.metric.as_str()) {
        return Err(unknown_metric(&opts.metric));
    }
    if opts.runs == 0 {
        return Err(Error::Input("--runs: must be at least 1".into()));
    }
    let variants = sweep_variants(base, opts.vary.as_deref())?;
    let slice = opts.shard.map_or(0..opts.runs, |s| s.range(opts.runs));
    let rows = run_rows(&variants, opts, slice.clone())?;
    let meta = SweepMeta {
        scenario: base.name.clone(),
        runs: opts.runs,
        seed: opts.seed,
        metric: opts.metric.clone(),
        variants: variants.into_iter().map(|v| v.label).collect(),
        slice,
    };
    Ok((meta, rows))
}

/// Combines shard folders into the files of one complete sweep.
pub fn merge(dirs: &[PathBuf]) -> Result<(SweepMeta, Vec<Row>)> {
    let mut parts: Vec<(SweepMeta, Vec<Row>)> = Vec::new();
    for d in dirs {
        let read = |name: &str| -> Result<Vec<u8>> {
            let p = d.join(name);
            std::fs::read(&p).map_err(|e| Error::Input(format!("cannot read {}: {e}", p.display())))
        };
        let meta_file = d.join("sweep-meta.txt").display().to_string();
        let meta_text = String::from_utf8(read("sweep-meta.txt")?)
            .map_err(|_| Error::Input(format!("{meta_file}: not UTF-8 text")))?;
        let meta = SweepMeta::parse(&meta_text, &meta_file)?;
        let rows = parse_sweep_csv(
            &read("sweep.csv")?,
            &d.join("sweep.csv").display().to_string(),
        )?;
        parts.push((meta, rows));
    }
    let Some((first, _)) = parts.first() else {
        return Err(Error::Input("sweep-merge: no folders given".into()));
    };
    let mut meta = first.clone();
    for (m, _) in &parts {
        let same = SweepMeta {
            slice: 0..0,
            ..m.clone()
        } == SweepMeta {
            slice: 0..0,
            ..meta.clone()
        };
        if !same {
            return Err(Error::Input(format!(
                "sweep-merge: shards disagree (scenario, runs, seed, metric or variants): {} vs {}",
                meta.render().replace('\n', " "),
                m.render().replace('\n', " ")
            )));
        }
    }
    // The slices must tile 0..runs exactly once.
    parts.sort_by_key(|(m, _)| m.slice.start);
    let mut next = 0;
    for (m, _) in &parts {
        if m.slice.start != next {
            return Err(Error::Input(format!(
                "sweep-merge: runs {next}..{} are {} (shards must cover 0..{} once)",
                m.slice.start.max(next),
                if m.slice.start > next {
                    "missing"
                } else {
                    "duplicated"
                },
                meta.runs
            )));
        }
        next = m.slice.end;
    }
    if next != meta.runs {
        return Err(Error::Input(format!(
            "sweep-merge: runs {next}..{} are missing",
            meta.runs
        )));
    }
    meta.slice = 0..meta.runs;
    let rows: Vec<Row> = parts.into_iter().flat_map(|(_, r)| r).collect();
    Ok((meta, rows))
}

#[cfg(test)]
mod tests;
