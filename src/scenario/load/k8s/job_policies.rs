//! The Job API's policy fields: Indexed-Job limits, successPolicy and podFailurePolicy
//! (`validateJobSpec`, `validateSuccessPolicy` and `validatePodFailurePolicy` in
//! `pkg/apis/batch/validation/validation.go`, in their order and wording).

use k8s_openapi::api::batch::v1 as batch;

use super::super::error::{FieldError, FieldValue};
use super::{json_value, parse_indexes};

/// The limits of Indexed Jobs, backoffLimitPerIndex and maxFailedIndexes (`validateJobSpec`
/// in `pkg/apis/batch/validation/validation.go`, in its order).
pub(super) fn validate_index_limits(
    errs: &mut Vec<FieldError>,
    spec: &batch::JobSpec,
    path: &str,
    indexed: bool,
) {
    let p = |f: &str| format!("{path}.{f}");
    if indexed {
        if spec.completions.is_none() {
            errs.push(FieldError::required(
                p("completions"),
                "when completion mode is Indexed",
            ));
        }
        if let Some(par) = spec.parallelism.filter(|&v| v > 100_000) {
            errs.push(FieldError::invalid(
                p("parallelism"),
                FieldValue::Int(par.into()),
                "must be less than or equal to 100000 when completion mode is Indexed",
            ));
        }
    }
    if let Some(v) = spec.backoff_limit_per_index {
        if !indexed {
            errs.push(FieldError::invalid(
                p("backoffLimitPerIndex"),
                FieldValue::Int(v.into()),
                "requires indexed completion mode",
            ));
        }
    }
    if let Some(v) = spec.max_failed_indexes {
        if !indexed {
            errs.push(FieldError::invalid(
                p("maxFailedIndexes"),
                FieldValue::Int(v.into()),
                "requires indexed completion mode",
            ));
        }
        if spec.backoff_limit_per_index.is_none() {
            errs.push(FieldError::required(
                p("backoffLimitPerIndex"),
                "when maxFailedIndexes is specified",
            ));
        }
        if spec.completions.is_some_and(|c| v > c) {
            errs.push(FieldError::invalid(
                p("maxFailedIndexes"),
                FieldValue::Int(v.into()),
                "must be less than or equal to completions",
            ));
        }
        if v > 100_000 {
            errs.push(FieldError::invalid(
                p("maxFailedIndexes"),
                FieldValue::Int(v.into()),
                "must be less than or equal to 100000",
            ));
        }
    }
    if indexed
        && spec.backoff_limit_per_index.is_some()
        && spec.completions.is_some_and(|c| c > 100_000)
    {
        const WHEN: &str =
            "when completions are above 100000 and used with backoff limit per index";
        match spec.max_failed_indexes {
            None => errs.push(FieldError::required(
                p("maxFailedIndexes"),
                format!("must be specified {WHEN}"),
            )),
            Some(v) if v > 10_000 => errs.push(FieldError::invalid(
                p("maxFailedIndexes"),
                FieldValue::Int(v.into()),
                format!("must be less than or equal to 10000 {WHEN}"),
            )),
            Some(_) => {}
        }
        if let Some(par) = spec.parallelism.filter(|&v| v > 10_000) {
            errs.push(FieldError::invalid(
                p("parallelism"),
                FieldValue::Int(par.into()),
                format!("must be less than or equal to 10000 {WHEN}"),
            ));
        }
    }
}

/// `validateSuccessPolicy` (`pkg/apis/batch/validation/validation.go`): only for Indexed Jobs,
/// 1 to 20 rules, each with a count or indexes within the completions.
pub(super) fn validate_success_policy(
    errs: &mut Vec<FieldError>,
    sp: &batch::SuccessPolicy,
    sp_path: &str,
    indexed: bool,
    completions: Option<i32>,
) {
    if !indexed {
        errs.push(FieldError::invalid(
            sp_path,
            json_value(sp),
            "requires indexed completion mode",
        ));
    } else if sp.rules.is_empty() {
        errs.push(FieldError::required(
            format!("{sp_path}.rules"),
            "at least one rules must be specified when the successPolicy is specified",
        ));
    } else if sp.rules.len() > 20 {
        errs.push(FieldError::too_many(
            format!("{sp_path}.rules"),
            sp.rules.len(),
            20,
        ));
    } else {
        for (i, r) in sp.rules.iter().enumerate() {
            let rp = format!("{sp_path}.rules[{i}]");
            if r.succeeded_count.is_none() && r.succeeded_indexes.is_none() {
                errs.push(FieldError::required(
                    rp.clone(),
                    "at least one of succeededCount or succeededIndexes must be specified",
                ));
            }
            if let Some(ix) = &r.succeeded_indexes {
                if let Err(msg) = parse_indexes(ix, completions) {
                    errs.push(FieldError::invalid(
                        format!("{rp}.succeededIndexes"),
                        FieldValue::Str(ix.clone()),
                        msg,
                    ));
                }
            }
            if let Some(c) = r.succeeded_count {
                if c < 0 {
                    errs.push(FieldError::invalid(
                        format!("{rp}.succeededCount"),
                        FieldValue::Int(c.into()),
                        "must be greater than or equal to 0",
                    ));
                } else if let Some(total) = completions.filter(|&t| c > t) {
                    errs.push(FieldError::invalid(
                        format!("{rp}.succeededCount"),
                        FieldValue::Int(c.into()),
                        format!("must be less than or equal to {total} (the number of specified completions)"),
                    ));
                }
            }
        }
    }
}

/// `validatePodFailurePolicy` (`pkg/apis/batch/validation/validation.go`): at most 20 rules,
/// each checked by [`validate_pod_failure_policy_rule`].
pub(super) fn validate_pod_failure_policy(
    errs: &mut Vec<FieldError>,
    pfp: &batch::PodFailurePolicy,
    path: &str,
    has_blpi: bool,
    containers: &[&str],
) {
    if pfp.rules.len() > 20 {
        errs.push(FieldError::too_many(
            format!("{path}.rules"),
            pfp.rules.len(),
            20,
        ));
        return;
    }
    for (i, rule) in pfp.rules.iter().enumerate() {
        validate_pod_failure_policy_rule(
            errs,
            rule,
            &format!("{path}.rules[{i}]"),
            has_blpi,
            containers,
        );
    }
}

/// `validatePodFailurePolicyRule`: the action, exactly one of onExitCodes and onPodConditions,
/// then each requirement.
fn validate_pod_failure_policy_rule(
    errs: &mut Vec<FieldError>,
    rule: &batch::PodFailurePolicyRule,
    rp: &str,
    has_blpi: bool,
    containers: &[&str],
) {
    const ACTIONS: [&str; 4] = ["Count", "FailIndex", "FailJob", "Ignore"];
    match rule.action.as_str() {
        "" => errs.push(FieldError::required(
            format!("{rp}.action"),
            "valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]",
        )),
        "FailIndex" if !has_blpi => errs.push(FieldError::invalid(
            format!("{rp}.action"),
            FieldValue::Str("FailIndex".into()),
            "requires the backoffLimitPerIndex to be set",
        )),
        a if ACTIONS.contains(&a) => {}
        a => errs.push(FieldError::not_supported(
            format!("{rp}.action"),
            FieldValue::Str(a.into()),
            &ACTIONS,
        )),
    }
    let conds = rule.on_pod_conditions.as_deref().unwrap_or(&[]);
    match (&rule.on_exit_codes, conds.is_empty()) {
        (Some(_), false) => errs.push(FieldError::invalid(
            rp,
            json_value(rule),
            "specifying both OnExitCodes and OnPodConditions is not supported",
        )),
        (None, true) => errs.push(FieldError::invalid(
            rp,
            json_value(rule),
            "specifying one of OnExitCodes and OnPodConditions is required",
        )),
        _ => {}
    }
    if let Some(ec) = &rule.on_exit_codes {
        validate_on_exit_codes(errs, ec, &format!("{rp}.onExitCodes"), containers);
    }
    validate_on_pod_conditions(errs, conds, rp);
}

/// `validatePodFailurePolicyRuleOnExitCodes`: a known container, the In/NotIn operator, and 1 to
/// 255 distinct values in order (no 0 with In).
fn validate_on_exit_codes(
    errs: &mut Vec<FieldError>,
    ec: &batch::PodFailurePolicyOnExitCodesRequirement,
    ep: &str,
    containers: &[&str],
) {
    if let Some(name) = &ec.container_name {
        if !containers.contains(&name.as_str()) {
            errs.push(FieldError::invalid(
                format!("{ep}.containerName"),
                FieldValue::Str(name.clone()),
                "must be one of the container or initContainer names in the pod template",
            ));
        }
    }
    if ec.operator != "In" && ec.operator != "NotIn" {
        errs.push(FieldError::not_supported(
            format!("{ep}.operator"),
            FieldValue::Str(ec.operator.clone()),
            &["In", "NotIn"],
        ));
    }
    if ec.values.is_empty() {
        errs.push(FieldError::invalid(
            format!("{ep}.values"),
            FieldValue::Raw("[]".into()),
            "at least one value is required",
        ));
        return;
    }
    if ec.values.len() > 255 {
        errs.push(FieldError::too_many(
            format!("{ep}.values"),
            ec.values.len(),
            255,
        ));
        return;
    }
    let mut prev: Option<i32> = None;
    let mut seen: Vec<i32> = Vec::new();
    for (j, &v) in ec.values.iter().enumerate() {
        let vp = format!("{ep}.values[{j}]");
        if ec.operator == "In" && v == 0 {
            errs.push(FieldError::invalid(
                vp.clone(),
                FieldValue::Int(0),
                "must not be 0 for the In operator",
            ));
        }
        if seen.contains(&v) {
            errs.push(FieldError::duplicate(vp.clone(), FieldValue::Int(v.into())));
        }
        if prev.is_some_and(|p| p > v) {
            errs.push(FieldError::invalid(
                vp,
                FieldValue::Int(v.into()),
                "must be ordered",
            ));
        }
        seen.push(v);
        prev = Some(v);
    }
}

/// The onPodConditions part of `validatePodFailurePolicyRule`: at most 20, each with a type and
/// a known status.
fn validate_on_pod_conditions(
    errs: &mut Vec<FieldError>,
    conds: &[batch::PodFailurePolicyOnPodConditionsPattern],
    rp: &str,
) {
    if conds.len() > 20 {
        errs.push(FieldError::too_many(
            format!("{rp}.onPodConditions"),
            conds.len(),
            20,
        ));
    }
    for (j, c) in conds.iter().enumerate() {
        let cp = format!("{rp}.onPodConditions[{j}]");
        if c.type_.is_empty() {
            errs.push(FieldError::required(format!("{cp}.type"), ""));
        }
        if let Some(s) = c.status.as_deref() {
            if !matches!(s, "True" | "False" | "Unknown") {
                errs.push(FieldError::not_supported(
                    format!("{cp}.status"),
                    FieldValue::Str(s.into()),
                    &["True", "False", "Unknown"],
                ));
            }
        }
    }
}
