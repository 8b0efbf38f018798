//! The `batchsim/v1 Scenario` document applied to the loaded manifests: each container's
//! workload (inferred from its command, or set by a workload override), the simulation
//! settings with the command line's overrides, and the timed user actions.

use std::path::Path;

use crate::cluster::model::{Behavior, JobSpec, PodTemplate, Propagation, RunTime};
use crate::cluster::workload::{self, Unknown};
use crate::scenario::{
    Horizon, Latencies, Manifest, Profile, Scenario, TimedAction, UserAction, DEFAULT_START,
};
use crate::sim::time::Millis;

use super::scenario_doc::{self, ScenarioDoc};
use super::{distribution, duration, CliOverrides, Doc, InputError};

/// The Scenario document's workload overrides while they are matched to containers.
pub(super) struct Overrides<'a> {
    /// The Scenario document.
    pub(super) doc: &'a ScenarioDoc,
    /// Which of its workloads matched some container.
    pub(super) used: Vec<bool>,
    /// An error placed on a field path of the Scenario document.
    pub(super) err: &'a dyn Fn(&str, String) -> InputError,
    /// The folder empirical CSV files are read from.
    pub(super) base_dir: &'a Path,
}

/// Sets each container's behaviour from inference and the matching workload overrides.
pub(super) fn resolve_spec(
    spec: &mut JobSpec,
    d: &Doc,
    template_path: &str,
    kind: &str,
    name: &str,
    ov: &mut Overrides,
) -> Result<(), InputError> {
    let (doc, sd_err, base_dir) = (ov.doc, ov.err, ov.base_dir);
    let mut tpl: PodTemplate = (*spec.template).clone();
    for (ci, c) in tpl.containers.iter_mut().enumerate() {
        let inferred = workload::infer(&c.command, &c.args);
        let mut behavior: Option<Behavior> = inferred.clone().ok();
        for (wi, w) in doc.spec.workloads.iter().enumerate() {
            let target = if kind == "Job" { &w.job } else { &w.cronjob };
            let other = if kind == "Job" { &w.cronjob } else { &w.job };
            if target.as_deref() != Some(name)
                || other.is_some()
                || w.container.as_deref().is_some_and(|n| n != c.name)
                || w.index.is_some()
            {
                continue;
            }
            ov.used[wi] = true;
            let wpath = format!("spec.workloads[{wi}]");
            let parts = workload_parts(w, &wpath, base_dir, sd_err)?;
            let base = match (behavior.take(), &parts.0) {
                (Some(b), _) => b,
                (None, Some(_)) => Behavior {
                    run: RunTime::Fixed(0),
                    exit_code: 0,
                    handles_sigterm: false,
                    source: String::new(),
                },
                (None, None) => {
                    return Err(sd_err(
                        &wpath,
                        format!("{wpath}: container {:?} of {kind} {name:?} needs a duration: its command gives none", c.name),
                    ))
                }
            };
            behavior = Some(Behavior {
                run: combine_run(parts, base.run),
                exit_code: w.exit_code.unwrap_or(base.exit_code),
                handles_sigterm: w.handles_sigterm.unwrap_or(base.handles_sigterm),
                source: "override".to_string(),
            });
        }
        c.behavior = match behavior {
            Some(b) => b,
            None => {
                let line = d
                    .root
                    .line_of(&format!("{template_path}.spec.containers[{ci}]"));
                let why = match inferred {
                    Err(Unknown::NoCommand) => {
                        "it has no command or args (the image's entrypoint runs)"
                    }
                    _ => "from its command",
                };
                let msg = if why == "from its command" {
                    format!(
                        "cannot infer how long container {:?} of {kind} {name:?} runs from its command; add a workload override in a batchsim/v1 Scenario document (see README)",
                        c.name
                    )
                } else {
                    format!(
                        "cannot infer how long container {:?} of {kind} {name:?} runs: {why}; add a workload override in a batchsim/v1 Scenario document (see README)",
                        c.name
                    )
                };
                return Err(InputError::at(&d.file, line, msg));
            }
        };
        // Overrides for one completion index start from the container's own behaviour.
        for (wi, w) in doc.spec.workloads.iter().enumerate() {
            let target = if kind == "Job" { &w.job } else { &w.cronjob };
            let Some(index) = w.index else { continue };
            if target.as_deref() != Some(name)
                || w.container.as_deref().is_some_and(|n| n != c.name)
            {
                continue;
            }
            ov.used[wi] = true;
            let wpath = format!("spec.workloads[{wi}]");
            if index < 0 {
                return Err(sd_err(
                    &format!("{wpath}.index"),
                    format!(
                        "{wpath}.index: Invalid value: {index}: must be greater than or equal to 0"
                    ),
                ));
            }
            let parts = workload_parts(w, &wpath, base_dir, sd_err)?;
            let base = c.index_behaviors.get(&index).unwrap_or(&c.behavior).clone();
            c.index_behaviors.insert(
                index,
                Behavior {
                    run: combine_run(parts, base.run),
                    exit_code: w.exit_code.unwrap_or(base.exit_code),
                    handles_sigterm: w.handles_sigterm.unwrap_or(base.handles_sigterm),
                    source: format!("override for index {index}"),
                },
            );
        }
    }
    spec.template = std::sync::Arc::new(tpl);
    Ok(())
}

/// A workload override's `duration` (fixed or a distribution) and `failure`, each parsed strictly.
type WorkloadParts = (
    Option<crate::cluster::distribution::Distribution>,
    Option<crate::cluster::distribution::Failure>,
);

pub(super) fn workload_parts(
    w: &scenario_doc::DocWorkload,
    wpath: &str,
    base_dir: &Path,
    sd_err: &dyn Fn(&str, String) -> InputError,
) -> Result<WorkloadParts, InputError> {
    let located = |field: &str, e: crate::cluster::distribution::DistError| {
        let path = if e.field.is_empty() {
            format!("{wpath}.{field}")
        } else {
            format!("{wpath}.{field}.{}", e.field)
        };
        sd_err(&path, format!("{path}: {}", e.message))
    };
    let dist = match &w.duration {
        Some(v) => Some(
            distribution::parse_distribution(v, base_dir).map_err(|e| located("duration", e))?,
        ),
        None => None,
    };
    let failure = match &w.failure {
        Some(v) => Some(distribution::parse_failure(v).map_err(|e| located("failure", e))?),
        None => None,
    };
    Ok((dist, failure))
}

/// The run time after an override: given parts replace the base's, missing ones are inherited;
/// a plain fixed duration without failures stays [`RunTime::Fixed`].
pub(super) fn combine_run((dist, failure): WorkloadParts, base: RunTime) -> RunTime {
    use crate::cluster::distribution::{Distribution, RandomRun};
    let (base_dist, base_failure) = match base {
        RunTime::Fixed(ms) => (Distribution::Fixed(ms), None),
        RunTime::Random(r) => (r.duration.clone(), r.failure.clone()),
    };
    let duration = dist.unwrap_or(base_dist);
    let failure = failure.or(base_failure);
    match (duration, failure) {
        (Distribution::Fixed(ms), None) => RunTime::Fixed(ms),
        (duration, failure) => {
            RunTime::Random(std::sync::Arc::new(RandomRun { duration, failure }))
        }
    }
}

/// A duration field written as a string (`90s`); a bare number is refused because its unit is ambiguous.
pub(super) fn json_duration(v: &serde_json::Value) -> Result<Millis, String> {
    match v {
        serde_json::Value::String(s) => duration::parse_duration(s),
        serde_json::Value::Number(n) if n.as_f64() == Some(0.0) => Ok(0),
        other => Err(format!(
            "invalid duration {other}: expected a string with a unit, e.g. \"90s\""
        )),
    }
}

pub(super) fn parse_profile(s: &str) -> Result<Profile, String> {
    match s {
        "realistic" => Ok(Profile::Realistic),
        "ideal" => Ok(Profile::Ideal),
        other => Err(format!(
            "unknown profile {other:?}: supported values: \"realistic\", \"ideal\""
        )),
    }
}

pub(super) fn build_scenario(
    first_file: &str,
    doc: &ScenarioDoc,
    objects: Vec<Manifest>,
    cli: &CliOverrides,
    sd_err: &dyn Fn(&str, String) -> InputError,
    base_dir: &Path,
) -> Result<Scenario, InputError> {
    let name = match &doc.metadata.name {
        Some(n) => {
            if n.is_empty()
                || !n
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            {
                return Err(sd_err(
                    "metadata.name",
                    format!("metadata.name: invalid scenario name {n:?}: use ASCII letters, digits, '.', '_' and '-'"),
                ));
            }
            n.clone()
        }
        None if first_file == super::STDIN_NAME => "stdin".to_string(),
        None => Path::new(first_file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario".into()),
    };
    let start = match (&cli.start, &doc.spec.start) {
        (Some(s), _) => {
            duration::parse_instant(s).map_err(|m| InputError::plain(format!("--start: {m}")))?
        }
        (None, Some(s)) => duration::parse_instant(s)
            .map_err(|m| sd_err("spec.start", format!("spec.start: {m}")))?,
        (None, None) => duration::parse_instant(DEFAULT_START).map_err(InputError::plain)?,
    };
    let horizon = match (&cli.until, &doc.spec.until) {
        (Some(u), _) => Horizon::At(duration::parse_until(u, start).map_err(|m| InputError::plain(format!("--until: {m}")))?),
        (None, Some(serde_json::Value::String(u))) => {
            Horizon::At(duration::parse_until(u, start).map_err(|m| sd_err("spec.until", format!("spec.until: {m}")))?)
        }
        (None, Some(other)) => {
            return Err(sd_err("spec.until", format!("spec.until: invalid duration {other}: expected a string such as \"10m\" or an RFC 3339 instant")))
        }
        (None, None) => Horizon::Auto,
    };
    let seed = cli.seed.or(doc.spec.seed).unwrap_or(0);
    let profile = match (&cli.profile, &doc.spec.profile) {
        (Some(p), _) => {
            parse_profile(p).map_err(|m| InputError::plain(format!("--profile: {m}")))?
        }
        (None, Some(p)) => {
            parse_profile(p).map_err(|m| sd_err("spec.profile", format!("spec.profile: {m}")))?
        }
        (None, None) => Profile::Realistic,
    };
    let latencies = doc_latencies(profile.latencies(), doc, sd_err, base_dir)?;
    let controller_time_zone = doc
        .spec
        .controller_time_zone
        .clone()
        .unwrap_or_else(|| "UTC".into());
    if let Err(msg) = crate::schedule::validate_time_zone(&controller_time_zone) {
        return Err(sd_err(
            "spec.controllerTimeZone",
            format!("spec.controllerTimeZone: {msg}"),
        ));
    }
    let actions = build_actions(doc, &objects, sd_err)?;
    Ok(Scenario {
        name,
        start,
        horizon,
        seed,
        profile,
        latencies,
        controller_time_zone,
        objects,
        actions,
    })
}

/// The profile's latencies with the Scenario document's `spec.latencies` applied: each a
/// duration, or for the start-up latencies a distribution drawn per pod.
fn doc_latencies(
    mut latencies: Latencies,
    doc: &ScenarioDoc,
    sd_err: &dyn Fn(&str, String) -> InputError,
    base_dir: &Path,
) -> Result<Latencies, InputError> {
    let Some(l) = &doc.spec.latencies else {
        return Ok(latencies);
    };
    let fields: [(&str, &Option<serde_json::Value>, &mut Millis); 7] = [
        (
            "podScheduling",
            &l.pod_scheduling,
            &mut latencies.pod_scheduling,
        ),
        ("imagePull", &l.image_pull, &mut latencies.image_pull),
        (
            "containerStart",
            &l.container_start,
            &mut latencies.container_start,
        ),
        ("watchDelay", &l.watch_delay, &mut latencies.watch_delay),
        (
            "jobSyncBatch",
            &l.job_sync_batch,
            &mut latencies.job_sync_batch,
        ),
        (
            "cronjobRequeueDelta",
            &l.cronjob_requeue_delta,
            &mut latencies.cronjob_requeue_delta,
        ),
        (
            "podStatusUpdate",
            &l.pod_status_update,
            &mut latencies.pod_status_update,
        ),
    ];
    let mut draws = crate::scenario::LatencyDraws::default();
    for (field, value, slot) in fields {
        let Some(v) = value else { continue };
        let path = format!("spec.latencies.{field}");
        if v.is_object() {
            // Start-up latencies may be distributions, drawn per pod by the kubelet.
            let target = match field {
                "imagePull" => &mut draws.image_pull,
                "containerStart" => &mut draws.container_start,
                _ => {
                    return Err(sd_err(&path, format!("{path}: only imagePull and containerStart accept a distribution; give a duration such as \"1s\"")))
                }
            };
            let d = distribution::parse_distribution(v, base_dir).map_err(|e| {
                let p = if e.field.is_empty() {
                    path.clone()
                } else {
                    format!("{path}.{}", e.field)
                };
                sd_err(&p, format!("{p}: {}", e.message))
            })?;
            *slot = d.typical();
            *target = Some(d);
        } else {
            *slot = json_duration(v).map_err(|m| sd_err(&path, format!("{path}: {m}")))?;
        }
    }
    latencies.draws = draws;

    Ok(latencies)
}

pub(super) fn build_actions(
    doc: &ScenarioDoc,
    objects: &[Manifest],
    sd_err: &dyn Fn(&str, String) -> InputError,
) -> Result<Vec<TimedAction>, InputError> {
    let mut out = Vec::new();
    for (i, a) in doc.spec.actions.iter().enumerate() {
        let path = format!("spec.actions[{i}]");
        let err = |sub: &str, msg: String| {
            let p = if sub.is_empty() {
                path.clone()
            } else {
                format!("{path}.{sub}")
            };
            sd_err(&p, format!("{p}: {msg}"))
        };
        let at = match &a.at {
            Some(v) => json_duration(v).map_err(|m| err("at", m))?,
            None => {
                return Err(err(
                    "",
                    "at is required (an offset from the start, e.g. 90s)".into(),
                ))
            }
        };
        let namespace = a.namespace.clone().unwrap_or_else(|| "default".into());
        let verbs: Vec<(&str, &String)> = [
            ("delete", &a.delete),
            ("suspend", &a.suspend),
            ("resume", &a.resume),
            ("patch", &a.patch),
        ]
        .into_iter()
        .filter_map(|(v, t)| t.as_ref().map(|t| (v, t)))
        .collect();
        let [(verb, target)] = verbs.as_slice() else {
            return Err(err(
                "",
                "exactly one of delete, suspend, resume or patch must be set".into(),
            ));
        };
        let (res, name) = target
            .split_once('/')
            .ok_or_else(|| err(verb, format!("{target:?}: expected TYPE/NAME, e.g. job/pi")))?;
        let exists = |job: bool| {
            objects.iter().any(|o| match o {
                Manifest::Job(j) => job && j.meta.name == name && j.meta.namespace == namespace,
                Manifest::CronJob(c) => {
                    !job && c.meta.name == name && c.meta.namespace == namespace
                }
            })
        };
        let res = match res {
            "job" | "jobs" | "job.batch" | "jobs.batch" => "job",
            "cronjob" | "cronjobs" | "cj" | "cronjob.batch" | "cronjobs.batch" => "cronjob",
            "pod" | "pods" | "po" => "pod",
            other => {
                return Err(err(
                    verb,
                    format!("unsupported resource type {other:?}: use job/, cronjob/ or pod/"),
                ))
            }
        };
        if (res == "job" && !exists(true)) || (res == "cronjob" && !exists(false)) {
            return Err(err(
                verb,
                format!(
                    "no {} {name:?} in namespace {namespace:?} in the manifests",
                    if res == "job" { "Job" } else { "CronJob" }
                ),
            ));
        }
        if a.cascade.is_some() && !(*verb == "delete" && res == "job") {
            return Err(err(
                "cascade",
                "cascade applies only to delete job/NAME".into(),
            ));
        }
        if a.parallelism.is_some() && *verb != "patch" {
            return Err(err(
                "parallelism",
                "parallelism applies only to patch".into(),
            ));
        }
        let (namespace, name) = (namespace.clone(), name.to_string());
        let action = match (*verb, res) {
            ("delete", "job") => UserAction::DeleteJob {
                namespace,
                name,
                propagation: match a.cascade.as_deref() {
                    None | Some("background") | Some("true") => Propagation::Background,
                    Some("foreground") => Propagation::Foreground,
                    Some("orphan") | Some("false") => Propagation::Orphan,
                    Some(other) => {
                        return Err(err(
                            "cascade",
                            format!("invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\"."),
                        ))
                    }
                },
            },
            ("delete", "pod") => UserAction::DeletePod { namespace, name },
            ("delete", _) => UserAction::DeleteCronJob { namespace, name },
            ("suspend" | "resume", "job") => UserAction::SuspendJob { namespace, name, suspend: *verb == "suspend" },
            ("suspend" | "resume", "cronjob") => UserAction::SuspendCronJob { namespace, name, suspend: *verb == "suspend" },
            ("patch", "job") => match a.parallelism {
                Some(p) if p >= 0 => UserAction::PatchParallelism { namespace, name, parallelism: p },
                Some(p) => return Err(err("parallelism", format!("Invalid value: {p}: must be greater than or equal to 0"))),
                None => return Err(err("parallelism", "Required value: patch needs parallelism".into())),
            },
            (v, r) => return Err(err(v, format!("{v} is not supported for {r}/NAME"))),
        };
        out.push(TimedAction { at, action });
    }
    // Stable: actions at the same instant keep document order.
    out.sort_by_key(|a| a.at);
    Ok(out)
}
