//! batch/v1 Job and CronJob: API-server validation (kubectl's wording); defaulting and
//! conversion into the model are in [`super::convert`].
//!
//! Validation runs on the typed object before defaulting values we only need for the model, but
//! after the API defaults that validation itself depends on (restartPolicy `Always`, podReplacementPolicy).

use k8s_openapi::api::batch::v1 as batch;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::error::{FieldError, FieldValue};
use super::names::{dns1123_label, dns1123_subdomain};

use crate::schedule;

mod job_policies;
use job_policies::{validate_index_limits, validate_pod_failure_policy, validate_success_policy};

fn nonneg(errs: &mut Vec<FieldError>, path: &str, v: Option<i64>) {
    if let Some(v) = v.filter(|v| *v < 0) {
        errs.push(FieldError::invalid(
            path,
            FieldValue::Int(v),
            "must be greater than or equal to 0",
        ));
    }
}

fn json_value<T: serde::Serialize>(v: &T) -> FieldValue {
    FieldValue::Raw(serde_json::to_string(v).unwrap_or_default())
}

/// `ValidateObjectMeta` for a namespaced object whose name must be a DNS subdomain.
fn validate_meta(errs: &mut Vec<FieldError>, meta: &ObjectMeta) {
    // `ValidateObjectMeta` checks a generateName as a name prefix: `maskTrailingDash` first
    // replaces the last two bytes of a prefix ending in '-' by "a" (`NameIsDNSSubdomain(name,
    // prefix=true)` in apimachinery `pkg/api/validation/generic.go`).
    if let Some(prefix) = meta.generate_name.as_deref().filter(|g| !g.is_empty()) {
        let masked = match prefix.len().checked_sub(2).and_then(|n| prefix.get(..n)) {
            Some(head) if prefix.ends_with('-') => format!("{head}a"),
            _ => prefix.to_string(),
        };
        for msg in dns1123_subdomain(&masked) {
            errs.push(FieldError::invalid(
                "metadata.generateName",
                FieldValue::Str(prefix.into()),
                msg,
            ));
        }
    }
    match meta.name.as_deref() {
        None | Some("") => errs.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        )),
        Some(name) => {
            for msg in dns1123_subdomain(name) {
                errs.push(FieldError::invalid(
                    "metadata.name",
                    FieldValue::Str(name.into()),
                    msg,
                ));
            }
        }
    }
    if let Some(ns) = meta.namespace.as_deref().filter(|n| !n.is_empty()) {
        for msg in dns1123_label(ns) {
            errs.push(FieldError::invalid(
                "metadata.namespace",
                FieldValue::Str(ns.into()),
                msg,
            ));
        }
    }
}

/// apimachinery `LabelValueMaxLength`.
const LABEL_VALUE_MAX_LENGTH: usize = 63;

/// Pod template checks batchsim relies on: containers, names, images, grace period, restartPolicy.
fn validate_pod_template(
    errs: &mut Vec<FieldError>,
    tpl: &core::PodTemplateSpec,
    path: &str,
    has_pod_failure_policy: bool,
    job_name_label: Option<&str>,
) {
    // The API server adds the `job-name` and `batch.kubernetes.io/job-name` labels (the Job's
    // name) to a standalone Job's template when it generates the selector (`generateSelector`
    // in `pkg/registry/batch/job/strategy.go`); `ValidatePodTemplateSpec` then checks them as
    // label values (`IsValidLabelValue`: at most 63 characters). One message for both labels:
    // the error list is deduplicated.
    if let Some(name) = job_name_label.filter(|n| n.len() > LABEL_VALUE_MAX_LENGTH) {
        errs.push(FieldError::invalid(
            format!("{path}.labels"),
            FieldValue::Str(name.into()),
            format!("must be no more than {LABEL_VALUE_MAX_LENGTH} characters"),
        ));
    }
    let spec_path = format!("{path}.spec");
    let Some(spec) = tpl.spec.as_ref() else {
        errs.push(FieldError::required(format!("{spec_path}.containers"), ""));
        errs.push(FieldError::required(
            format!("{spec_path}.restartPolicy"),
            "valid values: \"OnFailure\", \"Never\"",
        ));
        return;
    };
    if spec.containers.is_empty() {
        errs.push(FieldError::required(format!("{spec_path}.containers"), ""));
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, c) in spec.containers.iter().enumerate() {
        let cpath = format!("{spec_path}.containers[{i}]");
        if c.name.is_empty() {
            errs.push(FieldError::required(format!("{cpath}.name"), ""));
        } else {
            for msg in dns1123_label(&c.name) {
                errs.push(FieldError::invalid(
                    format!("{cpath}.name"),
                    FieldValue::Str(c.name.clone()),
                    msg,
                ));
            }
            if seen.contains(&c.name.as_str()) {
                errs.push(FieldError::duplicate(
                    format!("{cpath}.name"),
                    FieldValue::Str(c.name.clone()),
                ));
            }
            seen.push(&c.name);
        }
        if c.image.as_deref().unwrap_or("").trim().is_empty() {
            errs.push(FieldError::required(format!("{cpath}.image"), ""));
        }
        validate_resources(errs, c, &cpath);
    }
    for (i, c) in spec.init_containers.iter().flatten().enumerate() {
        validate_resources(errs, c, &format!("{spec_path}.initContainers[{i}]"));
    }
    nonneg(
        errs,
        &format!("{spec_path}.terminationGracePeriodSeconds"),
        spec.termination_grace_period_seconds,
    );
    // The pod default is Always, which a Job rejects exactly like an empty value.
    let rp_path = format!("{spec_path}.restartPolicy");
    match spec.restart_policy.as_deref() {
        Some("OnFailure") if has_pod_failure_policy => errs.push(FieldError::invalid(
            rp_path,
            FieldValue::Str("OnFailure".into()),
            "only \"Never\" is supported when podFailurePolicy is specified",
        )),
        Some("OnFailure") | Some("Never") => {}
        None | Some("") | Some("Always") => errs.push(FieldError::required(
            rp_path,
            "valid values: \"OnFailure\", \"Never\"",
        )),
        Some(other) => errs.push(FieldError::not_supported(
            rp_path,
            FieldValue::Str(other.into()),
            &["OnFailure", "Never"],
        )),
    }
}

/// `ValidateResourceRequirements`' `ValidateNonnegativeQuantity` (`pkg/apis/core/validation`):
/// every limit and request must be at least 0. Limits are checked before requests, each map in
/// its key order, as upstream iterates them; the value is printed as it was written.
fn validate_resources(errs: &mut Vec<FieldError>, c: &core::Container, cpath: &str) {
    let Some(res) = c.resources.as_ref() else {
        return;
    };
    for (kind, map) in [("limits", &res.limits), ("requests", &res.requests)] {
        for (name, q) in map.iter().flatten() {
            if is_negative_quantity(&q.0) {
                errs.push(FieldError::invalid(
                    format!("{cpath}.resources.{kind}[{name}]"),
                    FieldValue::Str(q.0.clone()),
                    "must be greater than or equal to 0",
                ));
            }
        }
    }
}

/// Whether a quantity that parses is below zero (`-0` is zero).
fn is_negative_quantity(q: &str) -> bool {
    q.trim_start().starts_with('-') && super::convert::parse_quantity(q, 1e9) != Some(0)
}

/// Parses `succeededIndexes` ("0-2,5") into sorted inclusive intervals.
pub(super) fn parse_indexes(s: &str, completions: Option<i32>) -> Result<Vec<(i32, i32)>, String> {
    let mut out: Vec<(i32, i32)> = Vec::new();
    for part in s.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a, b),
            None => (part, part),
        };
        let a: i32 = a
            .parse()
            .map_err(|_| format!("error parsing succeededIndexes: {part:?} is not a number"))?;
        let b: i32 = b
            .parse()
            .map_err(|_| format!("error parsing succeededIndexes: {part:?} is not a number"))?;
        if a > b {
            return Err(format!("error parsing succeededIndexes: {part}: first index must be less than or equal to the last"));
        }
        if let Some(c) = completions {
            if b >= c {
                return Err(format!(
                    "error parsing succeededIndexes: {part}: too large index: {b}"
                ));
            }
        }
        if out.last().is_some_and(|&(_, last)| a <= last) {
            return Err(format!(
                "error parsing succeededIndexes: {part}: overlapping or not ordered intervals"
            ));
        }
        out.push((a, b));
    }
    Ok(out)
}

/// `maxManagedByLength` in `pkg/apis/batch/validation/validation.go`.
const MAX_MANAGED_BY_LENGTH: usize = 63;

/// `spec.managedBy` as `validateJobSpec` checks it: apimachinery's `IsDomainPrefixedPath`
/// (`pkg/api/validation/generic.go`), then at most 63 bytes.
fn validate_managed_by(errs: &mut Vec<FieldError>, value: &str, path: &str) {
    errs.extend(domain_prefixed_path(value, path));
    if value.len() > MAX_MANAGED_BY_LENGTH {
        errs.push(FieldError::too_long(path, MAX_MANAGED_BY_LENGTH));
    }
}

/// `IsDomainPrefixedPath`: a DNS subdomain, `/`, then a non-empty RFC 3986 path.
fn domain_prefixed_path(value: &str, path: &str) -> Vec<FieldError> {
    if value.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let (host, rest) = match value.split_once('/') {
        Some((host, rest)) if !host.is_empty() && !rest.is_empty() => (host, rest),
        _ => {
            return vec![FieldError::invalid(
                path,
                FieldValue::Str(value.into()),
                "must be a domain-prefixed path (such as \"acme.io/foo\")",
            )]
        }
    };
    let mut errs: Vec<FieldError> = dns1123_subdomain(host)
        .into_iter()
        .map(|msg| FieldError::invalid(path, FieldValue::Str(host.into()), msg))
        .collect();
    // httpPathFmt: unreserved characters, percent signs, sub-delims, ':' and '/'.
    let http_path_char = |c: char| c.is_ascii_alphanumeric() || "/-._~%!$&'()*+,;=:".contains(c);
    if !rest.chars().all(http_path_char) {
        errs.push(FieldError::invalid(
            path,
            FieldValue::Str(rest.into()),
            "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')",
        ));
    }
    errs
}

/// `validateJobSpec` (`pkg/apis/batch/validation/validation.go`) with its create-time rules.
/// `path` is `spec` or `spec.jobTemplate.spec`; `job_name_label` is the `job-name` label value
/// the API server adds to a standalone Job's template (None for a CronJob's template).
fn validate_job_spec(
    errs: &mut Vec<FieldError>,
    spec: &batch::JobSpec,
    path: &str,
    job_name_label: Option<&str>,
) {
    let p = |f: &str| format!("{path}.{f}");
    nonneg(errs, &p("parallelism"), spec.parallelism.map(i64::from));
    nonneg(errs, &p("completions"), spec.completions.map(i64::from));
    nonneg(
        errs,
        &p("activeDeadlineSeconds"),
        spec.active_deadline_seconds,
    );
    nonneg(errs, &p("backoffLimit"), spec.backoff_limit.map(i64::from));
    nonneg(
        errs,
        &p("ttlSecondsAfterFinished"),
        spec.ttl_seconds_after_finished.map(i64::from),
    );
    nonneg(
        errs,
        &p("backoffLimitPerIndex"),
        spec.backoff_limit_per_index.map(i64::from),
    );
    nonneg(
        errs,
        &p("maxFailedIndexes"),
        spec.max_failed_indexes.map(i64::from),
    );
    if let Some(managed_by) = &spec.managed_by {
        validate_managed_by(errs, managed_by, &p("managedBy"));
    }

    let indexed = match spec.completion_mode.as_deref() {
        None | Some("NonIndexed") => false,
        Some("Indexed") => true,
        Some(other) => {
            errs.push(FieldError::not_supported(
                p("completionMode"),
                FieldValue::Str(other.into()),
                &["NonIndexed", "Indexed"],
            ));
            false
        }
    };
    validate_index_limits(errs, spec, path, indexed);

    let containers: Vec<&str> = spec
        .template
        .spec
        .as_ref()
        .map(|s| {
            s.containers
                .iter()
                .chain(s.init_containers.iter().flatten())
                .map(|c| c.name.as_str())
                .collect()
        })
        .unwrap_or_default();
    if let Some(pfp) = &spec.pod_failure_policy {
        validate_pod_failure_policy(
            errs,
            pfp,
            &p("podFailurePolicy"),
            spec.backoff_limit_per_index.is_some(),
            &containers,
        );
    }
    match spec.pod_replacement_policy.as_deref() {
        None => {}
        Some(v) if spec.pod_failure_policy.is_some() && v != "Failed" => {
            errs.push(FieldError::not_supported(
                p("podReplacementPolicy"),
                FieldValue::Str(v.into()),
                &["Failed"],
            ))
        }
        Some("Failed") | Some("TerminatingOrFailed") => {}
        Some(v) => errs.push(FieldError::not_supported(
            p("podReplacementPolicy"),
            FieldValue::Str(v.into()),
            &["Failed", "TerminatingOrFailed"],
        )),
    }
    if let Some(sp) = &spec.success_policy {
        validate_success_policy(errs, sp, &p("successPolicy"), indexed, spec.completions);
    }
    validate_pod_template(
        errs,
        &spec.template,
        &p("template"),
        spec.pod_failure_policy.is_some(),
        job_name_label,
    );
}

/// Validates a Job as the API server does on create.
pub fn validate_job(job: &batch::Job) -> Vec<FieldError> {
    let mut errs = Vec::new();
    validate_meta(&mut errs, &job.metadata);
    let Some(spec) = &job.spec else {
        errs.push(FieldError::required("spec.template.spec.containers", ""));
        return errs;
    };
    // Indexed pods get the hostname `<job>-<index>`, which must be a DNS label.
    if spec.completion_mode.as_deref() == Some("Indexed") {
        if let (Some(name), Some(c)) = (
            job.metadata.name.as_deref(),
            spec.completions.filter(|&c| c > 0),
        ) {
            let host = format!("{name}-{}", c - 1);
            if !dns1123_label(&host).is_empty() {
                errs.push(FieldError::invalid(
                    "metadata.name",
                    FieldValue::Str(name.into()),
                    format!("will not able to create pod with invalid DNS label: {host}"),
                ));
            }
        }
    }
    validate_selector(&mut errs, spec, "spec", false);
    // With `manualSelector: true` no selector is generated, and so no `job-name` label.
    let job_name_label = job
        .metadata
        .name
        .as_deref()
        .filter(|_| spec.manual_selector != Some(true));
    validate_job_spec(&mut errs, spec, "spec", job_name_label);
    errs
}

/// Selector rules: a Job may carry one only with `manualSelector: true` (and it must match the
/// template labels); a CronJob's job template may not carry one at all.
fn validate_selector(
    errs: &mut Vec<FieldError>,
    spec: &batch::JobSpec,
    path: &str,
    template: bool,
) {
    let manual = spec.manual_selector == Some(true);
    if template {
        if let Some(sel) = &spec.selector {
            errs.push(FieldError::invalid(
                format!("{path}.selector"),
                json_value(sel),
                "`selector` will be auto-generated",
            ));
        }
        if manual {
            errs.push(FieldError::not_supported(
                format!("{path}.manualSelector"),
                FieldValue::Raw("true".into()),
                &["nil", "false"],
            ));
        }
        return;
    }
    match (&spec.selector, manual) {
        (Some(sel), false) => errs.push(FieldError::invalid(
            format!("{path}.selector"),
            json_value(sel),
            "`selector` not auto-generated",
        )),
        (None, true) => errs.push(FieldError::required(format!("{path}.selector"), "")),
        (Some(sel), true) => {
            let labels = spec
                .template
                .metadata
                .as_ref()
                .and_then(|m| m.labels.clone())
                .unwrap_or_default();
            let matches = sel
                .match_labels
                .iter()
                .flatten()
                .all(|(k, v)| labels.get(k) == Some(v));
            if sel
                .match_expressions
                .as_ref()
                .is_some_and(|e| !e.is_empty())
            {
                errs.push(FieldError::forbidden(
                    format!("{path}.selector.matchExpressions"),
                    "batchsim supports only matchLabels selectors",
                ));
            } else if !matches {
                errs.push(FieldError::invalid(
                    format!("{path}.template.metadata.labels"),
                    json_value(&labels),
                    "`selector` does not match template `labels`",
                ));
            }
        }
        (None, false) => {}
    }
}

/// Validates a CronJob as the API server does on create.
pub fn validate_cronjob(cj: &batch::CronJob) -> Vec<FieldError> {
    let mut errs = Vec::new();
    validate_meta(&mut errs, &cj.metadata);
    if let Some(name) = cj.metadata.name.as_deref().filter(|n| n.len() > 52) {
        errs.push(FieldError::invalid(
            "metadata.name",
            FieldValue::Str(name.into()),
            "must be no more than 52 characters",
        ));
    }
    let spec = &cj.spec;
    // Schedule and zone rules live with the robfig-compatible parser (crate::schedule).
    for e in schedule::validate_schedule_for_create(&spec.schedule) {
        errs.push(match e.kind {
            schedule::FieldErrorKind::Required => FieldError::required("spec.schedule", ""),
            schedule::FieldErrorKind::Invalid => {
                FieldError::invalid("spec.schedule", FieldValue::Str(e.value), e.detail)
            }
        });
    }
    if let Some(tz) = &spec.time_zone {
        for msg in schedule::time_zone_errors(tz) {
            errs.push(FieldError::invalid(
                "spec.timeZone",
                FieldValue::Str(tz.to_string()),
                msg,
            ));
        }
    }
    nonneg(
        &mut errs,
        "spec.startingDeadlineSeconds",
        spec.starting_deadline_seconds,
    );
    match spec.concurrency_policy.as_deref() {
        None | Some("Allow") | Some("Forbid") | Some("Replace") => {}
        Some("") => errs.push(FieldError::required("spec.concurrencyPolicy", "")),
        Some(v) => errs.push(FieldError::not_supported(
            "spec.concurrencyPolicy",
            FieldValue::Str(v.into()),
            &["Allow", "Forbid", "Replace"],
        )),
    }
    match &spec.job_template.spec {
        Some(js) => {
            validate_job_spec(&mut errs, js, "spec.jobTemplate.spec", None);
            validate_selector(&mut errs, js, "spec.jobTemplate.spec", true);
        }
        None => errs.push(FieldError::required(
            "spec.jobTemplate.spec.template.spec.containers",
            "",
        )),
    }
    nonneg(
        &mut errs,
        "spec.successfulJobsHistoryLimit",
        spec.successful_jobs_history_limit.map(i64::from),
    );
    nonneg(
        &mut errs,
        "spec.failedJobsHistoryLimit",
        spec.failed_jobs_history_limit.map(i64::from),
    );
    errs
}

/// Container quantities that do not parse, as the API server's decoder rejects them.
pub fn bad_quantities(tpl: &core::PodTemplateSpec, path: &str) -> Option<(String, String)> {
    let spec = tpl.spec.as_ref()?;
    for (i, c) in spec.containers.iter().enumerate() {
        let res = c.resources.as_ref();
        for (kind, map) in [
            ("requests", res.and_then(|r| r.requests.as_ref())),
            ("limits", res.and_then(|r| r.limits.as_ref())),
        ] {
            for (k, q) in map.into_iter().flatten() {
                if super::convert::parse_quantity(&q.0, 1.0).is_none() {
                    return Some((
                        format!("{path}.spec.containers[{i}].resources.{kind}.{k}"),
                        q.0.clone(),
                    ));
                }
            }
        }
    }
    None
}
