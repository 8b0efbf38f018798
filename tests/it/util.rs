//! Builders shared by the integration tests: scenarios made in code, run in memory.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;

use batchsim::cluster::model::*;
use batchsim::output::timeline::Recorder;
use batchsim::scenario::{Horizon, Manifest, Profile, Scenario, TimedAction};
use batchsim::sim::time::{Time, SECOND};
use batchsim::simulation::{RunStats, Simulation};

/// 2021-11-25T12:00:00Z, the lecture's day.
pub const START: Time = Time(1_637_841_600_000);

pub fn container(name: &str, run_s: f64, exit_code: i32, handles_sigterm: bool) -> ContainerSpec {
    ContainerSpec {
        name: name.into(),
        image: "busybox".into(),
        command: vec![],
        args: vec![],
        requests: Requests::default(),
        behavior: Behavior {
            run: RunTime::Fixed((run_s * 1000.0) as i64),
            exit_code,
            handles_sigterm,
            source: "test".into(),
        },
        index_behaviors: BTreeMap::new(),
    }
}

pub fn job(name: &str, c: ContainerSpec, restart: RestartPolicy) -> Job {
    Job {
        meta: Meta {
            name: name.into(),
            namespace: "default".into(),
            ..Meta::default()
        },
        spec: JobSpec {
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
            template: Arc::new(PodTemplate {
                labels: BTreeMap::new(),
                annotations: BTreeMap::new(),
                containers: vec![c],
                restart_policy: restart,
                termination_grace_seconds: 30,
            }),
        },
        status: JobStatus::default(),
        origin: None,
    }
}

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

pub fn run(s: Scenario) -> (Recorder, RunStats) {
    let mut rec = Recorder::new();
    let stats = Simulation::new(s, &mut rec).run();
    (rec, stats)
}

/// Seconds since START, as the CSV shows them.
pub fn rel(t: Time) -> f64 {
    t.since(START) as f64 / 1000.0
}
