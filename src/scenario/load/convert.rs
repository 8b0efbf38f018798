//! batch/v1 Job and CronJob defaults (`SetDefaults_Job`, `SetDefaults_CronJob` in
//! `pkg/apis/batch/v1/defaults.go`) and the conversion of validated objects into the
//! simulator's compact model. Runs only on objects that passed [`super::k8s`]'s validation.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::batch::v1 as batch;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::k8s::parse_indexes;
use crate::cluster::model::{
    CompletionMode, ConcurrencyPolicy, ContainerSpec, CronJob, CronJobSpec, CronJobStatus,
    ExitCodeOperator, Job, JobSpec, JobStatus, JobTemplate, Meta, OnExitCodes, OnPodCondition,
    PodFailureAction, PodFailureRule, PodReplacementPolicy, PodTemplate, Requests, RestartPolicy,
    Str, SuccessRule,
};

/// Parses a resource quantity into its value times `scale` (1000 for CPU millicores, 1 for bytes).
pub fn parse_quantity(q: &str, scale: f64) -> Option<i64> {
    let split = q
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(q.len());
    let (num, suffix) = q.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match suffix {
        "" => 1.0,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        s if s.starts_with(['e', 'E']) => 10f64.powi(s[1..].parse().ok()?),
        _ => return None,
    };
    let v = (n * mult * scale).ceil();
    (v.is_finite() && v.abs() < 9.0e18).then_some(v as i64)
}

fn convert_template(tpl: &core::PodTemplateSpec) -> PodTemplate {
    let meta = tpl.metadata.clone().unwrap_or_default();
    let spec = tpl.spec.clone().unwrap_or_default();
    let containers = spec
        .containers
        .iter()
        .map(|c| {
            let req = c.resources.as_ref().and_then(|r| r.requests.as_ref());
            let get = |k: &str, scale: f64| {
                req.and_then(|m| m.get(k))
                    .and_then(|q| parse_quantity(&q.0, scale))
            };
            ContainerSpec {
                name: c.name.clone(),
                image: c.image.clone().unwrap_or_default(),
                command: c.command.clone().unwrap_or_default(),
                args: c.args.clone().unwrap_or_default(),
                requests: Requests {
                    cpu_millis: get("cpu", 1000.0),
                    memory_bytes: get("memory", 1.0),
                },
                index_behaviors: std::collections::BTreeMap::new(),
                // Filled in by the caller (inference or a scenario override).
                behavior: crate::cluster::model::Behavior {
                    run: crate::cluster::model::RunTime::Fixed(0),
                    exit_code: 0,
                    handles_sigterm: false,
                    source: String::new(),
                },
            }
        })
        .collect();
    PodTemplate {
        labels: str_map(meta.labels),
        annotations: str_map(meta.annotations),
        containers,
        restart_policy: if spec.restart_policy.as_deref() == Some("OnFailure") {
            RestartPolicy::OnFailure
        } else {
            RestartPolicy::Never
        },
        termination_grace_seconds: spec.termination_grace_period_seconds.unwrap_or(30),
    }
}

/// `SetDefaults_Job` + conversion of a validated spec.
pub fn convert_job_spec(spec: &batch::JobSpec) -> JobSpec {
    let (parallelism, completions) = match (spec.parallelism, spec.completions) {
        (None, None) => (1, Some(1)),
        (None, c) => (1, c),
        (Some(p), c) => (p, c),
    };
    let backoff_limit = spec
        .backoff_limit
        .unwrap_or(if spec.backoff_limit_per_index.is_some() {
            i32::MAX
        } else {
            6
        });
    let pod_failure_policy = spec.pod_failure_policy.as_ref().map(|p| {
        p.rules
            .iter()
            .map(|r| PodFailureRule {
                action: match r.action.as_str() {
                    "FailJob" => PodFailureAction::FailJob,
                    "Ignore" => PodFailureAction::Ignore,
                    "FailIndex" => PodFailureAction::FailIndex,
                    _ => PodFailureAction::Count,
                },
                on_exit_codes: r.on_exit_codes.as_ref().map(|e| OnExitCodes {
                    container_name: e.container_name.clone(),
                    operator: if e.operator == "NotIn" {
                        ExitCodeOperator::NotIn
                    } else {
                        ExitCodeOperator::In
                    },
                    values: e.values.clone(),
                }),
                on_pod_conditions: r
                    .on_pod_conditions
                    .iter()
                    .flatten()
                    .map(|c| OnPodCondition {
                        condition_type: c.type_.clone(),
                        status: c.status.as_deref().unwrap_or("True") == "True",
                    })
                    .collect(),
            })
            .collect()
    });
    let success_policy = spec.success_policy.as_ref().map(|s| {
        s.rules
            .iter()
            .map(|r| SuccessRule {
                succeeded_indexes: r
                    .succeeded_indexes
                    .as_deref()
                    .and_then(|ix| parse_indexes(ix, completions).ok()),
                succeeded_count: r.succeeded_count,
            })
            .collect()
    });
    let pod_replacement_policy = match spec.pod_replacement_policy.as_deref() {
        Some("Failed") => PodReplacementPolicy::Failed,
        Some(_) => PodReplacementPolicy::TerminatingOrFailed,
        None if spec.pod_failure_policy.is_some() => PodReplacementPolicy::Failed,
        None => PodReplacementPolicy::TerminatingOrFailed,
    };
    JobSpec {
        parallelism,
        completions,
        backoff_limit,
        active_deadline_seconds: spec.active_deadline_seconds,
        ttl_seconds_after_finished: spec.ttl_seconds_after_finished,
        completion_mode: if spec.completion_mode.as_deref() == Some("Indexed") {
            CompletionMode::Indexed
        } else {
            CompletionMode::NonIndexed
        },
        suspend: spec.suspend.unwrap_or(false),
        backoff_limit_per_index: spec.backoff_limit_per_index,
        max_failed_indexes: spec.max_failed_indexes,
        pod_failure_policy,
        success_policy,
        pod_replacement_policy,
        managed_by: spec.managed_by.as_deref().map(Str::from),
        template: Arc::new(convert_template(&spec.template)),
    }
}

/// A label or annotation map of a manifest in the model's string type.
fn str_map(map: Option<BTreeMap<String, String>>) -> BTreeMap<Str, Str> {
    map.unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}

fn convert_meta(meta: &ObjectMeta) -> Meta {
    Meta {
        name: meta.name.as_deref().unwrap_or_default().into(),
        namespace: meta
            .namespace
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
            .into(),
        labels: str_map(meta.labels.clone()),
        annotations: str_map(meta.annotations.clone()),
        ..Meta::default()
    }
}

/// Converts a validated Job (defaults applied).
pub fn convert_job(job: &batch::Job) -> Job {
    let spec = job.spec.clone().unwrap_or_default();
    Job {
        meta: convert_meta(&job.metadata),
        spec: convert_job_spec(&spec),
        status: JobStatus::default(),
        origin: None,
    }
}

/// Converts a validated CronJob (defaults applied).
pub fn convert_cronjob(cj: &batch::CronJob) -> CronJob {
    let spec = cj.spec.clone();
    let tmeta = spec.job_template.metadata.clone().unwrap_or_default();
    CronJob {
        meta: convert_meta(&cj.metadata),
        spec: CronJobSpec {
            schedule: spec.schedule.clone(),
            time_zone: spec.time_zone.clone(),
            starting_deadline_seconds: spec.starting_deadline_seconds,
            concurrency_policy: match spec.concurrency_policy.as_deref() {
                Some("Forbid") => ConcurrencyPolicy::Forbid,
                Some("Replace") => ConcurrencyPolicy::Replace,
                _ => ConcurrencyPolicy::Allow,
            },
            suspend: spec.suspend.unwrap_or(false),
            successful_jobs_history_limit: spec.successful_jobs_history_limit.unwrap_or(3),
            failed_jobs_history_limit: spec.failed_jobs_history_limit.unwrap_or(1),
            job_template: JobTemplate {
                labels: str_map(tmeta.labels),
                annotations: str_map(tmeta.annotations),
                spec: convert_job_spec(&spec.job_template.spec.clone().unwrap_or_default()),
            },
        },
        status: CronJobStatus::default(),
    }
}
