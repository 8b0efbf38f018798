//! The one set of object builders every test module uses: a container, a pod template, a Job
//! spec, a Job, a CronJob, a pod and a scenario, each with the API defaults a manifest that
//! leaves the field out gets (`pkg/apis/batch/v1/defaults.go`, `pkg/apis/core/v1/defaults.go`),
//! and a run of a scenario in memory. Area helpers (`cronjob::fixtures`, `job::upstream`)
//! start from these and set only what their upstream fixtures set.

use std::collections::BTreeMap;
use std::sync::Arc;

use batchsim::cluster::model::*;
use batchsim::output::timeline::Recorder;
use batchsim::scenario::{Horizon, Manifest, Profile, Scenario, TimedAction, UserAction};
use batchsim::sim::time::{Time, SECOND};
use batchsim::simulation::{RunStats, Simulation};

/// 2021-11-25T12:00:00Z, the lecture's day.
pub const START: Time = Time(1_637_841_600_000);

/// A container's simulated behaviour: runs `run_s` seconds, then exits with `exit_code`.
pub fn behavior(run_s: f64, exit_code: i32, handles_sigterm: bool) -> Behavior {
    Behavior {
        run: RunTime::Fixed((run_s * 1000.0) as i64),
        exit_code,
        handles_sigterm,
        source: "test".into(),
    }
}

/// A `busybox` container with no command and no requests, behaving as [`behavior`] says.
pub fn container(name: &str, run_s: f64, exit_code: i32, handles_sigterm: bool) -> ContainerSpec {
    ContainerSpec {
        name: name.into(),
        image: "busybox".into(),
        command: vec![],
        args: vec![],
        requests: Requests::default(),
        behavior: behavior(run_s, exit_code, handles_sigterm),
        index_behaviors: BTreeMap::new(),
    }
}

/// A pod template with no labels or annotations and the default grace period of 30 s.
pub fn pod_template(containers: Vec<ContainerSpec>, restart: RestartPolicy) -> PodTemplate {
    PodTemplate {
        labels: BTreeMap::new(),
        annotations: BTreeMap::new(),
        containers,
        restart_policy: restart,
        termination_grace_seconds: 30,
    }
}

/// A Job spec with batch/v1 defaults: parallelism 1, completions 1, backoffLimit 6, NonIndexed,
/// podReplacementPolicy TerminatingOrFailed, no deadline, TTL or policies.
pub fn job_spec(template: PodTemplate) -> JobSpec {
    JobSpec {
        parallelism: 1,
        completions: Some(1),
        backoff_limit: 6,
        active_deadline_seconds: None,
        ttl_seconds_after_finished: None,
        completion_mode: CompletionMode::NonIndexed,
        suspend: false,
        backoff_limit_per_index: None,
        max_failed_indexes: None,
        pod_failure_policy: None,
        success_policy: None,
        pod_replacement_policy: PodReplacementPolicy::TerminatingOrFailed,
        managed_by: None,
        template: Arc::new(template),
    }
}

/// Metadata with only a namespace and a name (uid 0, not yet created).
pub fn meta(namespace: &str, name: &str) -> Meta {
    Meta {
        name: name.into(),
        namespace: namespace.into(),
        ..Meta::default()
    }
}

/// A Job `default/<name>` running one container, with [`job_spec`]'s defaults.
pub fn job(name: &str, c: ContainerSpec, restart: RestartPolicy) -> Job {
    Job {
        meta: meta("default", name),
        spec: job_spec(pod_template(vec![c], restart)),
        status: JobStatus::default(),
        origin: None,
    }
}

/// The lecture's parallel Job (`scenarios/lecture/parallel-job.yaml`): `completions: 5`,
/// `parallelism: 2`, each pod one `worker` container that runs 10 s and exits 0.
pub fn lecture_parallel_job() -> Job {
    let mut j = job(
        "parallel-job",
        container("worker", 10.0, 0, false),
        RestartPolicy::Never,
    );
    j.spec.completions = Some(5);
    j.spec.parallelism = 2;
    j
}

/// A CronJob with batch/v1 defaults: concurrencyPolicy Allow, not suspended, history limits 3
/// and 1, no time zone or starting deadline; the Job template has no labels or annotations.
pub fn cron_job(namespace: &str, name: &str, schedule: &str, spec: JobSpec) -> CronJob {
    CronJob {
        meta: meta(namespace, name),
        spec: CronJobSpec {
            schedule: schedule.to_string(),
            time_zone: None,
            starting_deadline_seconds: None,
            concurrency_policy: ConcurrencyPolicy::Allow,
            suspend: false,
            successful_jobs_history_limit: 3,
            failed_jobs_history_limit: 1,
            job_template: JobTemplate {
                labels: BTreeMap::new(),
                annotations: BTreeMap::new(),
                spec,
            },
        },
        status: CronJobStatus::default(),
    }
}

/// A reference to `m`'s object of kind `kind`, as an ownerReference names its controller.
pub fn owner_ref(kind: Kind, m: &Meta) -> ObjectRef {
    ObjectRef {
        kind,
        namespace: m.namespace.clone(),
        name: m.name.clone(),
        uid: m.uid,
    }
}

/// A pod of `job` as its controller would create it before the scheduler sees it: in the Job's
/// namespace, owned by the Job, from the Job's template, phase Pending, no container statuses.
pub fn pod(job: &Job, name: &str, uid: Uid, created: Time) -> Pod {
    Pod {
        meta: Meta {
            uid,
            creation: created,
            created_at: created,
            owner: Some(owner_ref(Kind::Job, &job.meta)),
            ..meta(&job.meta.namespace, name)
        },
        template: job.spec.template.clone(),
        index: None,
        hostname: None,
        status: PodStatus {
            phase: PodPhase::Pending,
            reason: None,
            scheduled_at: None,
            ready: false,
            ready_transition: None,
            containers: vec![],
            extra_conditions: vec![],
        },
    }
}

/// A scenario named `test` starting at [`START`] with seed 0, the profile's latencies and the
/// controller in UTC; `until_s` seconds of horizon, or the automatic one.
pub fn scenario(objects: Vec<Manifest>, profile: Profile, until_s: Option<i64>) -> Scenario {
    Scenario {
        name: "test".into(),
        start: START,
        horizon: until_s.map_or(Horizon::Auto, |s| Horizon::At(s * SECOND)),
        seed: 0,
        profile,
        latencies: profile.latencies(),
        controller_time_zone: "UTC".into(),
        objects,
        actions: Vec::<TimedAction>::new(),
    }
}

/// `s` with a user action `at_s` seconds after its start.
pub fn with_action(mut s: Scenario, at_s: i64, action: UserAction) -> Scenario {
    s.actions.push(TimedAction {
        at: at_s * 1000,
        action,
    });
    s
}

/// Runs a scenario in memory; the recorder holds every object's timeline.
pub fn run(s: Scenario) -> (Recorder, RunStats) {
    let mut rec = Recorder::new();
    let stats = Simulation::new(s, &mut rec).run();
    (rec, stats)
}

/// Seconds since START, as the CSV shows them.
pub fn rel(t: Time) -> f64 {
    t.since(START) as f64 / 1000.0
}

/// Removes the folder `p` and everything under it; a folder that is not there is fine, any other
/// failure fails the test (a stale folder would let the next run check old files).
pub fn remove_tree(p: &std::path::Path) {
    if let Err(e) = std::fs::remove_dir_all(p) {
        assert!(
            e.kind() == std::io::ErrorKind::NotFound,
            "cannot remove {}: {e}",
            p.display()
        );
    }
}
