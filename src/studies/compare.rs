//! The policy comparison behind `batchsim compare`: the same CronJob simulated once per
//! concurrency policy (and optionally per value of one more field), with a side-by-side figure
//! and a summary table.

use crate::cluster::model::{ConcurrencyPolicy, CronJob};
use crate::error::{Error, Result};
use crate::output::figures::{chart_end, timeline_chart_until};
use crate::output::timefmt::{format_seconds, rfc3339_millis};
use crate::output::timeline::{simulate, RunResult};
use crate::output::{chart, report, OutputFile};
use crate::scenario::{Manifest, Scenario};

/// One variant of the compared CronJob.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Panel label, e.g. `Forbid, startingDeadlineSeconds=10`.
    pub label: String,
    /// The scenario with the CronJob changed.
    pub scenario: Scenario,
}

/// The fields `--vary` can change, as `spec.<field>` paths of the CronJob.
pub const VARY_FIELDS: &[&str] = &[
    "spec.startingDeadlineSeconds",
    "spec.successfulJobsHistoryLimit",
    "spec.failedJobsHistoryLimit",
    "spec.schedule",
    "spec.timeZone",
    "spec.jobTemplate.spec.activeDeadlineSeconds",
    "spec.jobTemplate.spec.backoffLimit",
];

fn parse_policy(s: &str) -> Result<ConcurrencyPolicy> {
    match s.trim() {
        "Allow" => Ok(ConcurrencyPolicy::Allow),
        "Forbid" => Ok(ConcurrencyPolicy::Forbid),
        "Replace" => Ok(ConcurrencyPolicy::Replace),
        other => Err(Error::Input(format!(
            "--policies: Unsupported value: \"{other}\": supported values: \"Allow\", \"Forbid\", \"Replace\""
        ))),
    }
}

fn parse_opt_i64(field: &str, v: &str) -> Result<Option<i64>> {
    if v == "unset" {
        return Ok(None);
    }
    match v.parse::<i64>() {
        Ok(n) if n >= 0 => Ok(Some(n)),
        _ => Err(Error::Input(format!(
            "--vary {field}: Invalid value: \"{v}\": must be a whole number greater than or equal to 0, or unset"
        ))),
    }
}

/// An int32 field's `--vary` value: like [`parse_opt_i64`], and at most `i32::MAX` (the API
/// server refuses a larger number for an int32 field rather than clamping it).
fn parse_opt_i32(field: &str, v: &str) -> Result<Option<i32>> {
    parse_opt_i64(field, v)?
        .map(|n| {
            i32::try_from(n).map_err(|_| {
                Error::Input(format!(
                    "--vary {field}: Invalid value: \"{v}\": must be at most {}",
                    i32::MAX
                ))
            })
        })
        .transpose()
}

/// Applies one `--vary` value to a CronJob.
fn apply_vary(cj: &mut CronJob, field: &str, value: &str) -> Result<()> {
    match field {
        "spec.startingDeadlineSeconds" => {
            cj.spec.starting_deadline_seconds = parse_opt_i64(field, value)?
        }
        "spec.successfulJobsHistoryLimit" => {
            cj.spec.successful_jobs_history_limit = parse_opt_i32(field, value)?.unwrap_or(3)
        }
        "spec.failedJobsHistoryLimit" => {
            cj.spec.failed_jobs_history_limit = parse_opt_i32(field, value)?.unwrap_or(1)
        }
        "spec.schedule" => {
            let errs = crate::schedule::validate_schedule_for_create(value);
            if let Some(e) = errs.first() {
                return Err(Error::Input(format!("--vary {}", e.format(field))));
            }
            cj.spec.schedule = value.to_string();
        }
        "spec.timeZone" => {
            if value == "unset" {
                cj.spec.time_zone = None;
            } else {
                crate::schedule::validate_time_zone(value).map_err(|e| {
                    Error::Input(format!("--vary {field}: Invalid value: \"{value}\": {e}"))
                })?;
                cj.spec.time_zone = Some(value.to_string());
            }
        }
        "spec.jobTemplate.spec.activeDeadlineSeconds" => {
            cj.spec.job_template.spec.active_deadline_seconds = parse_opt_i64(field, value)?
        }
        "spec.jobTemplate.spec.backoffLimit" => {
            cj.spec.job_template.spec.backoff_limit = parse_opt_i32(field, value)?.unwrap_or(6)
        }
        _ => {
            return Err(Error::Input(format!(
                "--vary: unsupported field \"{field}\": supported fields: {}",
                VARY_FIELDS.join(", ")
            )))
        }
    }
    Ok(())
}

/// Builds the variants: every policy × every `--vary` value, in the order given.
pub fn variants(base: &Scenario, policies: &str, vary: Option<&str>) -> Result<Vec<Variant>> {
    let policies: Vec<ConcurrencyPolicy> = policies
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(parse_policy)
        .collect::<Result<_>>()?;
    if policies.is_empty() {
        return Err(Error::Input("--policies: Required value".into()));
    }
    let cronjobs = base
        .objects
        .iter()
        .filter(|m| matches!(m, Manifest::CronJob(_)))
        .count();
    if cronjobs != 1 {
        return Err(Error::Input(format!(
            "compare needs exactly one CronJob in the scenario, found {cronjobs}"
        )));
    }
    let vary: Option<(String, Vec<String>)> = match vary {
        None => None,
        Some(v) => {
            let (field, values) = v.split_once('=').ok_or_else(|| {
                Error::Input(format!(
                    "--vary: expected FIELD=VALUE,VALUE… (e.g. spec.startingDeadlineSeconds=unset,10,60), got \"{v}\""
                ))
            })?;
            let values: Vec<String> = values.split(',').map(|s| s.trim().to_string()).collect();
            Some((field.trim().to_string(), values))
        }
    };
    let mut out = Vec::new();
    for p in &policies {
        let values: Vec<Option<&String>> = match &vary {
            None => vec![None],
            Some((_, vs)) => vs.iter().map(Some).collect(),
        };
        for v in values {
            let mut s = base.clone();
            let mut label = p.as_str().to_string();
            for m in s.objects.iter_mut() {
                if let Manifest::CronJob(cj) = m {
                    cj.spec.concurrency_policy = *p;
                    if let (Some((field, _)), Some(value)) = (&vary, v) {
                        apply_vary(cj, field, value)?;
                        let short = field.rsplit('.').next().unwrap_or(field);
                        label.push_str(&format!(", {short}={value}"));
                    }
                }
            }
            out.push(Variant { label, scenario: s });
        }
    }
    Ok(out)
}

/// The summary of one variant.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicySummary {
    /// Panel label.
    pub label: String,
    /// Jobs the CronJob created.
    pub jobs_started: usize,
    /// `JobAlreadyActive` events: slots skipped by Forbid.
    pub slots_skipped: usize,
    /// Pods whose deletion was requested while they were still running.
    pub pods_deleted_while_running: usize,
    /// Most pods active (pending, running or terminating) at once.
    pub max_concurrent_pods: u32,
    /// Mean of (Job creation − its schedule slot), seconds.
    pub mean_start_delay_s: f64,
}

/// Computes a variant's summary from its run.
pub fn summarize(label: &str, run: &RunResult, tl: &chart::TimelineChart) -> PolicySummary {
    let jobs = run.recorder.job_rows();
    let delays: Vec<i64> = jobs
        .iter()
        .filter_map(|j| j.scheduled.map(|s| j.created.since(s)))
        .collect();
    let mean = if delays.is_empty() {
        0.0
    } else {
        delays.iter().sum::<i64>() as f64 / delays.len() as f64 / 1000.0
    };
    let killed = run
        .recorder
        .pod_rows()
        .iter()
        .filter(|p| match (p.delete_requested, p.running) {
            (Some(d), Some(r)) => d >= r && p.finished.is_none_or(|f| f > d),
            _ => false,
        })
        .count();
    let max = chart::load_series(tl)
        .iter()
        .map(|p| p.pending + p.running + p.crashloop + p.terminating)
        .max()
        .unwrap_or(0);
    PolicySummary {
        label: label.to_string(),
        jobs_started: jobs.iter().filter(|j| j.cronjob.is_some()).count(),
        slots_skipped: run
            .recorder
            .events
            .iter()
            .filter(|e| e.reason == "JobAlreadyActive")
            .count(),
        pods_deleted_while_running: killed,
        max_concurrent_pods: max,
        mean_start_delay_s: mean,
    }
}

const HEADERS: [&str; 6] = [
    "variant",
    "jobs_started",
    "slots_skipped",
    "pods_deleted_while_running",
    "max_concurrent_pods",
    "mean_start_delay_s",
];

fn row(s: &PolicySummary) -> Vec<String> {
    vec![
        s.label.clone(),
        s.jobs_started.to_string(),
        s.slots_skipped.to_string(),
        s.pods_deleted_while_running.to_string(),
        s.max_concurrent_pods.to_string(),
        format_seconds((s.mean_start_delay_s * 1000.0).round() as i64),
    ]
}

/// `compare.csv` of the summaries.
pub fn summary_csv(summaries: &[PolicySummary]) -> Result<Vec<u8>> {
    crate::output::csv_bytes(&HEADERS, &summaries.iter().map(row).collect::<Vec<_>>())
}

/// The summary as an aligned text table for the terminal.
pub fn summary_text(summaries: &[PolicySummary]) -> String {
    let rows: Vec<Vec<String>> = summaries.iter().map(row).collect();
    crate::output::text_table(&HEADERS, &rows, 3, HEADERS.len())
}

/// The files of a comparison of `base` (`compare.csv`, `compare.png`, `compare.svg`,
/// `report.html`) and its summary table as text: every variant simulated, its panels drawn on
/// a shared time axis.
pub fn compare_outputs(
    base: &Scenario,
    policies: &str,
    vary: Option<&str>,
    manifests: Vec<(String, String)>,
) -> Result<(Vec<OutputFile>, String)> {
    let vs = variants(base, policies, vary)?;
    let mut panels = Vec::new();
    let mut summaries = Vec::new();
    // A shared time axis: every panel ends at the latest end.
    let runs: Vec<RunResult> = vs.iter().map(|v| simulate(&v.scenario)).collect();
    let end = vs
        .iter()
        .zip(&runs)
        .map(|(v, r)| chart_end(&v.scenario, r))
        .max()
        .unwrap_or(base.start);
    for (v, run) in vs.iter().zip(&runs) {
        let tl = timeline_chart_until(&v.scenario, run, end);
        summaries.push(summarize(&v.label, run, &tl));
        panels.push((v.label.clone(), tl));
    }
    let svg = chart::render_compare_svg(&panels)?;
    let png = chart::render_compare_png(&panels)?;
    let csv = summary_csv(&summaries)?;
    let table = report::Table {
        headers: HEADERS.iter().map(|h| h.to_string()).collect(),
        rows: summaries.iter().map(row).collect(),
        total: None,
    };
    let html = report::render_html(&report::ReportInput {
        title: format!("{}: compare", base.name),
        subtitle: format!(
            "{} variants, {} profile, seed {}",
            vs.len(),
            base.profile.as_str(),
            base.seed
        ),
        settings: vec![
            ("start".into(), rfc3339_millis(base.start)),
            ("policies".into(), policies.to_string()),
            ("vary".into(), vary.unwrap_or("-").to_string()),
            ("profile".into(), base.profile.as_str().into()),
            ("seed".into(), base.seed.to_string()),
        ],
        manifests,
        figures: vec![report::Figure {
            caption: "One panel per variant on a shared time axis.".into(),
            svg: svg.clone(),
        }],
        summary: table,
        events: report::Table::default(),
    });
    let files = vec![
        ("compare.csv".into(), csv),
        ("compare.png".into(), png),
        ("compare.svg".into(), svg.into_bytes()),
        ("report.html".into(), html.into_bytes()),
    ];
    Ok((files, summary_text(&summaries)))
}
