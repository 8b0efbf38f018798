//! The fields the API server and the Job controller set, as `kubectl get -o yaml` prints them:
//! removed before decoding, so a dumped object is simulated as the manifest it came from.
//!
//! Server-set: `metadata.uid`, `resourceVersion`, `creationTimestamp`, `generation`,
//! `managedFields`, `selfLink` (apimachinery `pkg/apis/meta/v1/types.go` `ObjectMeta`: "Populated
//! by the system. Read-only.") and `status`. A Job also carries what
//! `pkg/registry/batch/job/strategy.go` `generateSelector` added: the `controller-uid` and
//! `batch.kubernetes.io/controller-uid` labels on the Job and its template, and `spec.selector`
//! matching them (re-sent unchanged, the API server would refuse it: "`selector` not
//! auto-generated").

use super::yaml::{Node, Value};

/// `ObjectMeta` fields populated by the system.
const SERVER_SET_METADATA: [&str; 6] = [
    "uid",
    "resourceVersion",
    "creationTimestamp",
    "generation",
    "managedFields",
    "selfLink",
];

/// The labels `generateSelector` puts on a Job without `manualSelector: true`.
const CONTROLLER_UID_LABELS: [&str; 2] = ["controller-uid", "batch.kubernetes.io/controller-uid"];

/// Removes the server-set fields from a Job or CronJob document; true when any was there.
pub fn strip(root: &mut Node, kind: &str) -> bool {
    let mut removed = remove(root, "status");
    if let Some(meta) = child(root, "metadata") {
        for key in SERVER_SET_METADATA {
            removed |= remove(meta, key);
        }
    }
    if kind != "Job" {
        return removed;
    }
    let manual = root
        .get("spec")
        .and_then(|s| s.get("manualSelector"))
        .is_some_and(|m| m.value == Value::Bool(true));
    if manual {
        return removed;
    }
    removed |= remove_uid_labels(child(root, "metadata"));
    let Some(spec) = child(root, "spec") else {
        return removed;
    };
    if spec.get("selector").is_some_and(generated_selector) {
        removed |= remove(spec, "selector");
    }
    let template_meta = child(spec, "template").and_then(|t| child(t, "metadata"));
    removed | remove_uid_labels(template_meta)
}

/// A selector that only matches the controller-uid labels (what `generateSelector` wrote).
fn generated_selector(selector: &Node) -> bool {
    let Value::Map(entries) = &selector.value else {
        return false;
    };
    entries.iter().all(|(k, v)| match k.name.as_str() {
        "matchLabels" => match &v.value {
            Value::Map(labels) => labels
                .iter()
                .all(|(l, _)| CONTROLLER_UID_LABELS.contains(&l.name.as_str())),
            _ => false,
        },
        _ => false,
    })
}

/// Removes the controller-uid labels under a `metadata` node.
fn remove_uid_labels(meta: Option<&mut Node>) -> bool {
    let Some(labels) = meta.and_then(|m| child(m, "labels")) else {
        return false;
    };
    let mut removed = false;
    for key in CONTROLLER_UID_LABELS {
        removed |= remove(labels, key);
    }
    removed
}

/// The value under `key` of a mapping node, for editing.
fn child<'a>(node: &'a mut Node, key: &str) -> Option<&'a mut Node> {
    match &mut node.value {
        Value::Map(entries) => entries
            .iter_mut()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v),
        _ => None,
    }
}

/// Removes `key` from a mapping node; true when it was there.
fn remove(node: &mut Node, key: &str) -> bool {
    match &mut node.value {
        Value::Map(entries) => {
            let before = entries.len();
            entries.retain(|(k, _)| k.name != key);
            entries.len() != before
        }
        _ => false,
    }
}
