//! `podFailurePolicy`, after `pkg/controller/job/pod_failure_policy.go`: which rule, if any, a
//! failed pod matches, and the message a FailJob rule writes into the Job's condition.

use crate::cluster::model::{
    ContainerState, ExitCodeOperator, Pod, PodFailureAction, PodFailureRule, PodPhase,
};

/// The outcome of matching a failed pod against `podFailurePolicy`.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyMatch {
    /// The matching rule's action.
    pub action: PodFailureAction,
    /// The FailJob message (only for FailJob).
    pub message: String,
}

fn action_name(a: PodFailureAction) -> &'static str {
    match a {
        PodFailureAction::FailJob => "FailJob",
        PodFailureAction::Ignore => "Ignore",
        PodFailureAction::Count => "Count",
        PodFailureAction::FailIndex => "FailIndex",
    }
}

/// `matchPodFailurePolicy`: the first rule that matches a pod in phase Failed, if any.
pub fn match_pod_failure_policy(rules: &[PodFailureRule], pod: &Pod) -> Option<PolicyMatch> {
    if pod.status.phase != PodPhase::Failed {
        return None;
    }
    for (i, rule) in rules.iter().enumerate() {
        let hit = if rule.on_exit_codes.is_some() {
            match_on_exit_codes(rule, i, pod)
        } else {
            match_on_pod_conditions(rule, i, pod)
        };
        if hit.is_some() {
            return hit;
        }
    }
    None
}

/// `matchOnExitCodes`: the first terminated, non-zero container whose exit code the rule's
/// requirement selects.
fn match_on_exit_codes(rule: &PodFailureRule, i: usize, pod: &Pod) -> Option<PolicyMatch> {
    let req = rule.on_exit_codes.as_ref()?;
    for c in &pod.status.containers {
        let ContainerState::Terminated(t) = &c.state else {
            continue;
        };
        if t.exit_code == 0 {
            continue;
        }
        if req.container_name.as_ref().is_some_and(|n| *n != c.name) {
            continue;
        }
        let listed = req.values.contains(&t.exit_code);
        let hit = match req.operator {
            ExitCodeOperator::In => listed,
            ExitCodeOperator::NotIn => !listed,
        };
        if hit {
            return Some(PolicyMatch {
                action: rule.action,
                message: format!(
                    "Container {} for pod {}/{} failed with exit code {} matching {} rule at index {i}",
                    c.name,
                    pod.meta.namespace,
                    pod.meta.name,
                    t.exit_code,
                    action_name(rule.action)
                ),
            });
        }
    }
    None
}

/// `matchOnPodConditions`: the first pattern whose condition type is present with the wanted status.
fn match_on_pod_conditions(rule: &PodFailureRule, i: usize, pod: &Pod) -> Option<PolicyMatch> {
    for pat in &rule.on_pod_conditions {
        let present = pod
            .status
            .extra_conditions
            .iter()
            .any(|c| *c == pat.condition_type);
        if present == pat.status {
            return Some(PolicyMatch {
                action: rule.action,
                message: format!(
                    "Pod {}/{} has condition {} matching {} rule at index {i}",
                    pod.meta.namespace,
                    pod.meta.name,
                    pat.condition_type,
                    action_name(rule.action)
                ),
            });
        }
    }
    None
}
