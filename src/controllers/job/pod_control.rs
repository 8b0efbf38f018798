//! What the Job controller asks of pods, after `pkg/controller/controller_utils.go`: the pod
//! it creates from the Job's template (`GetPodFromTemplate`), and the `controller.ActivePods`
//! order in which it deletes them.

use std::cmp::Ordering;

use compact_str::ToCompactString;

use super::indexed_job_utils::{pod_generate_name_with_index, IndexFailureCounts};
use crate::cluster::model::{
    concat, Job, Kind, Meta, ObjectRef, Pod, PodPhase, PodStatus, Str, COMPLETION_INDEX_KEY,
    INDEX_FAILURE_COUNT_KEY, INDEX_IGNORED_FAILURE_COUNT_KEY, JOB_TRACKING_FINALIZER,
};

/// `controller.ActivePods` order: the pods to delete first sort first.
pub fn active_pods_order(a: &Pod, b: &Pod) -> Ordering {
    // Unassigned < assigned.
    let sa = a.status.scheduled_at.is_some();
    let sb = b.status.scheduled_at.is_some();
    if sa != sb {
        return sa.cmp(&sb);
    }
    // Pending < Running (Unknown does not arise here).
    let rank = |p: &Pod| match p.status.phase {
        PodPhase::Pending => 0,
        PodPhase::Running => 2,
        _ => 1,
    };
    if rank(a) != rank(b) {
        return rank(a).cmp(&rank(b));
    }
    // Not ready < ready.
    if a.status.ready != b.status.ready {
        return a.status.ready.cmp(&b.status.ready);
    }
    // Ready for a shorter time < longer: the later transition sorts first.
    if a.status.ready {
        if let (Some(ta), Some(tb)) = (a.status.ready_transition, b.status.ready_transition) {
            if ta != tb {
                return tb.cmp(&ta);
            }
        }
    }
    // More restarts first.
    if a.restarts() != b.restarts() {
        return b.restarts().cmp(&a.restarts());
    }
    // Newer first.
    if a.meta.created_at != b.meta.created_at {
        return b.meta.created_at.cmp(&a.meta.created_at);
    }
    b.meta.uid.cmp(&a.meta.uid)
}

/// The pod `manageJob` asks the API server to create for `job` (`GetPodFromTemplate` with
/// `addCompletionIndexAnnotation`, `addCompletionIndexLabel`, `addIndexFailureCountAnnotation`
/// and the tracking finalizer): the template's labels plus the Job-name labels the API server
/// defaults into a Job's template, the owner reference, and for an Indexed Job the index label,
/// annotation and hostname `<job>-<index>`. Its generateName is `<job>-`, or
/// `podGenerateNameWithIndex` for an index.
pub(super) fn get_pod_from_template(
    job: &Job,
    index: Option<i32>,
    index_failures: Option<IndexFailureCounts>,
) -> Box<Pod> {
    let job_name = &job.meta.name;
    let template = job.spec.template.clone();
    let mut labels = template.labels.clone();
    labels.insert(
        Str::const_new("batch.kubernetes.io/job-name"),
        job_name.clone(),
    );
    labels.insert(Str::const_new("job-name"), job_name.clone());
    let mut annotations = template.annotations.clone();
    if let Some(i) = index {
        labels.insert(Str::const_new(COMPLETION_INDEX_KEY), i.to_compact_string());
        annotations.insert(Str::const_new(COMPLETION_INDEX_KEY), i.to_compact_string());
    }
    if let Some((failed, ignored)) = index_failures {
        annotations.insert(
            Str::const_new(INDEX_FAILURE_COUNT_KEY),
            failed.to_compact_string(),
        );
        if ignored > 0 {
            annotations.insert(
                Str::const_new(INDEX_IGNORED_FAILURE_COUNT_KEY),
                ignored.to_compact_string(),
            );
        }
    }
    let generate_name = match index {
        Some(i) => pod_generate_name_with_index(job_name, i),
        None => concat(&[job_name, "-"]),
    };
    Box::new(Pod {
        meta: Meta {
            namespace: job.meta.namespace.clone(),
            generate_name,
            owner: Some(ObjectRef {
                kind: Kind::Job,
                namespace: job.meta.namespace.clone(),
                name: job_name.clone(),
                uid: job.meta.uid,
            }),
            labels,
            annotations,
            finalizers: vec![Str::const_new(JOB_TRACKING_FINALIZER)],
            ..Meta::default()
        },
        template,
        index,
        hostname: index.map(|i| compact_str::format_compact!("{job_name}-{i}")),
        status: PodStatus {
            phase: PodPhase::Pending,
            reason: None,
            scheduled_at: None,
            ready: false,
            ready_transition: None,
            containers: Vec::new(),
            extra_conditions: Vec::new(),
        },
    })
}
