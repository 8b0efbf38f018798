//! The discrete-event engine: the virtual clock, the event queue, the controllers' work queues,
//! watch dispatch, and the thin layer that applies controller actions to the store.
//!
//! # Event order
//! Events are ordered by `(time, phase, sequence)`:
//! 1. time (integer milliseconds);
//! 2. phase at equal times: user actions (0), then kubelet steps (1), then controller syncs
//!    triggered by a watch event with no delay (2), then delayed syncs — requeues, batching,
//!    back-off and deadline timers (3). So a pod that exits at the instant of a CronJob slot is
//!    seen finished before the slot's requeue runs, as the spec's worked examples assume;
//! 3. insertion sequence (FIFO).
//!
//! Work queues follow client-go's delaying queue: a key waits at its earliest requested time;
//! a later `AddAfter` for a waiting key is dropped.

use crate::sim::queue::EventQueue;
use rustc_hash::FxHashMap;

use rand_chacha::ChaCha8Rng;

use crate::cluster::kubelet::{self, Kubelet};
use crate::cluster::model::{
    concat, Event, EventType, Job, Kind, Message, Meta, ObjectRef, Pod, PodPhase, PodStatus,
    Propagation, Str, Uid, COMPLETION_INDEX_KEY, FOREGROUND_FINALIZER, INDEX_FAILURE_COUNT_KEY,
    INDEX_IGNORED_FAILURE_COUNT_KEY, JOB_TRACKING_FINALIZER,
};
use crate::cluster::store::{Change, Op, Removed, Store};
use crate::controllers::cronjob::controller as cronjob;
use crate::controllers::cronjob::schedules::ScheduleCache;
use crate::controllers::job::BackoffRecord;
use crate::controllers::{gc, job as jobctl, ttl, Action};
use crate::output::timeline::Observer;
use crate::scenario::{Horizon, Latencies, Manifest, Scenario, UserAction};
use crate::schedule;
use crate::sim::rng;
use crate::sim::time::{Millis, Time, DAY, MINUTE};
use compact_str::ToCompactString;

/// The controllers that own work queues.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Controller {
    /// The Job controller.
    Job,
    /// The CronJob controller.
    CronJob,
    /// The TTL-after-finished controller.
    Ttl,
    /// The garbage collector.
    Gc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Ev {
    User(usize),
    Kubelet(Uid, kubelet::Step),
    Sync(Controller, Uid),
}

const PHASE_USER: u8 = 0;
const PHASE_KUBELET: u8 = 1;
const PHASE_SYNC_NOW: u8 = 2;
const PHASE_SYNC_LATER: u8 = 3;

/// The upper bound of an automatic horizon, so that a scenario can never run forever.
pub const AUTO_HORIZON_CAP: Millis = 30 * DAY;

/// Counters of one run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Events popped from the queue (including stale ones).
    pub events: u64,
    /// Controller syncs run.
    pub syncs: u64,
    /// The instant the run stopped (exclusive horizon or the last event).
    pub end: Time,
}

/// One simulation run.
pub struct Simulation<'o> {
    store: Store,
    queue: EventQueue<Ev>,
    now: Time,
    due: FxHashMap<(Controller, Uid), Time>,
    kubelet: Kubelet,
    backoff: FxHashMap<Uid, BackoffRecord>,
    name_rngs: FxHashMap<Uid, ChaCha8Rng>,
    /// The CronJob controller's parsed schedules (its own state, kept across syncs).
    cronjob_schedules: ScheduleCache,
    lat: Latencies,
    local_zone: chrono_tz::Tz,
    scenario: Scenario,
    observer: &'o mut dyn Observer,
    stats: RunStats,
    /// Reused buffers: the kubelet's output and the watch notifications being dispatched
    /// (allocating them afresh for every event showed in profiles).
    kubelet_out: kubelet::Output,
    changes: Vec<Change>,
}

impl<'o> Simulation<'o> {
    /// Prepares a run of `scenario`, reporting to `observer`.
    pub fn new(scenario: Scenario, observer: &'o mut dyn Observer) -> Simulation<'o> {
        Simulation {
            store: Store::new(),
            queue: EventQueue::new(),
            now: scenario.start,
            due: FxHashMap::default(),
            kubelet: Kubelet::with_seed(scenario.seed),
            backoff: FxHashMap::default(),
            name_rngs: FxHashMap::default(),
            cronjob_schedules: ScheduleCache::default(),
            lat: scenario.latencies.clone(),
            local_zone: schedule::validate_time_zone(&scenario.controller_time_zone)
                .unwrap_or(chrono_tz::UTC),
            scenario,
            observer,
            stats: RunStats::default(),
            kubelet_out: kubelet::Output::default(),
            changes: Vec::new(),
        }
    }

    /// The store (for views at the end of a run).
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn push(&mut self, time: Time, phase: u8, ev: Ev) {
        self.queue.push(time, phase, ev);
    }

    /// client-go `AddAfter`: keeps the earliest pending time of a key.
    fn enqueue(&mut self, ctrl: Controller, key: Uid, delay: Millis) {
        let t = self.now.plus(delay.max(0));
        match self.due.entry((ctrl, key)) {
            std::collections::hash_map::Entry::Occupied(mut e) => {
                if *e.get() <= t {
                    return;
                }
                e.insert(t);
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(t);
            }
        }
        let phase = if delay <= 0 {
            PHASE_SYNC_NOW
        } else {
            PHASE_SYNC_LATER
        };
        self.push(t, phase, Ev::Sync(ctrl, key));
    }

    /// Runs the scenario to its horizon and returns the counters.
    pub fn run(mut self) -> RunStats {
        self.run_until_end()
    }

    /// Runs to the horizon but keeps the simulation, so its final store can be inspected.
    pub fn run_until_end(&mut self) -> RunStats {
        let start = self.scenario.start;
        for m in self.scenario.objects.clone() {
            match m {
                Manifest::Job(mut j) => {
                    j.meta.creation = start.floor_second();
                    j.meta.created_at = start;
                    self.store.create_job(j);
                }
                Manifest::CronJob(mut c) => {
                    c.meta.creation = start.floor_second();
                    c.meta.created_at = start;
                    self.store.create_cronjob(c);
                }
            }
        }
        for i in 0..self.scenario.actions.len() {
            let at = start.plus(self.scenario.actions[i].at);
            self.push(at, PHASE_USER, Ev::User(i));
        }
        self.dispatch();
        let until = match self.scenario.horizon {
            Horizon::At(ms) => start.plus(ms),
            Horizon::Auto => {
                start.plus(auto_cronjob_horizon(&self.scenario).unwrap_or(AUTO_HORIZON_CAP))
            }
        };
        let mut last_effective = self.now;
        while self.queue.peek_time().is_some_and(|t| t < until) {
            let Some(entry) = self.queue.pop() else {
                break;
            };
            self.stats.events += 1;
            self.now = entry.time;
            match entry.item {
                Ev::User(i) => {
                    let action = self.scenario.actions[i].action.clone();
                    self.user_action(&action);
                }
                Ev::Kubelet(pod, step) => {
                    let mut out = std::mem::take(&mut self.kubelet_out);
                    self.kubelet
                        .step(self.now, pod, step, &self.lat, &mut self.store, &mut out);
                    self.kubelet_output(out);
                }
                Ev::Sync(ctrl, key) => {
                    // Only the timer matching the key's pending time runs; earlier-superseded
                    // ones are stale.
                    match self.due.entry((ctrl, key)) {
                        std::collections::hash_map::Entry::Occupied(e)
                            if *e.get() == entry.time =>
                        {
                            e.remove();
                        }
                        _ => continue,
                    }
                    self.stats.syncs += 1;
                    self.sync(ctrl, key);
                }
            }
            // Stale timers (a killed container's exit, a superseded requeue) change nothing;
            // the automatic horizon ends at the last event that did.
            if self.store.has_changes() {
                last_effective = self.now;
            }
            self.dispatch();
        }
        self.stats.end = match self.scenario.horizon {
            Horizon::Auto if auto_cronjob_horizon(&self.scenario).is_none() => last_effective,
            _ => until,
        };
        self.stats.clone()
    }

    fn kubelet_output(&mut self, mut out: kubelet::Output) {
        for e in out.events.drain(..) {
            self.observer.event(&e);
        }
        for (delay, pod, step) in out.steps.drain(..) {
            let t = self.now.plus(delay);
            self.push(t, PHASE_KUBELET, Ev::Kubelet(pod, step));
        }
        self.kubelet_out = out;
    }

    /// Delivers watch notifications to the observer and to every controller's event handlers,
    /// until no more changes are pending.
    fn dispatch(&mut self) {
        let mut changes = std::mem::take(&mut self.changes);
        loop {
            self.store.drain_changes_into(&mut changes);
            if changes.is_empty() {
                break;
            }
            for ch in changes.drain(..) {
                self.notify_observer(&ch);
                self.handle(ch);
            }
        }
        self.changes = changes;
    }

    fn notify_observer(&mut self, ch: &Change) {
        let now = self.now;
        match (&ch.removed, ch.kind) {
            (Some(Removed::Pod(p)), _) => self.observer.pod(now, p, ch.op),
            (Some(Removed::Job(j)), _) => self.observer.job(now, j, ch.op),
            (Some(Removed::CronJob(_)), _) => {}
            (None, Kind::Pod) => {
                if let Some(p) = self.store.pod(ch.uid) {
                    self.observer.pod(now, p, ch.op);
                }
            }
            (None, Kind::Job) => {
                if let Some(j) = self.store.job(ch.uid) {
                    self.observer.job(now, j, ch.op);
                }
            }
            (None, Kind::CronJob) => {}
        }
    }

    /// The controllers' informer event handlers.
    fn handle(&mut self, ch: Change) {
        let w = self.lat.watch_delay;
        let batch = self.lat.job_sync_batch;
        match ch.kind {
            Kind::Pod => {
                if ch.op == Op::Added {
                    let mut out = std::mem::take(&mut self.kubelet_out);
                    self.kubelet.pod_added(ch.uid, &self.lat, &mut out);
                    self.kubelet_output(out);
                }
                if let Op::Modified { .. } = ch.op {
                    if self
                        .store
                        .pod(ch.uid)
                        .is_some_and(|p| p.meta.deletion.is_some())
                    {
                        let mut out = std::mem::take(&mut self.kubelet_out);
                        self.kubelet
                            .pod_deleting(self.now, ch.uid, &mut self.store, &mut out);
                        self.kubelet_output(out);
                    }
                }
                if ch.op == Op::Deleted {
                    self.kubelet.forget_if_gone(ch.uid, &self.store);
                }
                if let Some((Kind::Job, owner)) = ch.owner {
                    self.enqueue(Controller::Job, owner, w + batch);
                }
            }
            Kind::Job => {
                match ch.op {
                    Op::Added => self.enqueue(Controller::Job, ch.uid, w),
                    Op::Modified { spec_changed: true } => self.enqueue(Controller::Job, ch.uid, w),
                    Op::Modified {
                        spec_changed: false,
                    } => self.enqueue(Controller::Job, ch.uid, w + batch),
                    Op::Deleted => {
                        self.enqueue(Controller::Job, ch.uid, w);
                        self.enqueue(Controller::Gc, ch.uid, w);
                        self.backoff.remove(&ch.uid);
                        self.name_rngs.remove(&ch.uid);
                    }
                }
                if ch.op != Op::Deleted {
                    let (ttl_due, fg) = self.store.job(ch.uid).map_or((false, false), |j| {
                        (
                            j.spec.ttl_seconds_after_finished.is_some()
                                && j.status.finished().is_some(),
                            j.meta.deletion.is_some()
                                && j.meta.finalizers.iter().any(|f| f == FOREGROUND_FINALIZER),
                        )
                    });
                    if ttl_due {
                        self.enqueue(Controller::Ttl, ch.uid, w);
                    }
                    if fg {
                        self.enqueue(Controller::Gc, ch.uid, w);
                    }
                }
                if let Some((Kind::CronJob, owner)) = ch.owner {
                    self.enqueue(Controller::CronJob, owner, w);
                }
            }
            Kind::CronJob => match ch.op {
                Op::Deleted => self.enqueue(Controller::Gc, ch.uid, w),
                _ => self.enqueue(Controller::CronJob, ch.uid, w),
            },
        }
        // A Foreground owner waits for its dependents: look again when one leaves.
        if ch.op == Op::Deleted {
            if let Some((Kind::Job, owner)) = ch.owner {
                if self
                    .store
                    .job(owner)
                    .is_some_and(|j| j.meta.deletion.is_some())
                {
                    self.enqueue(Controller::Gc, owner, w);
                }
            }
        }
    }

    fn sync(&mut self, ctrl: Controller, key: Uid) {
        let now = self.now;
        match ctrl {
            Controller::Job => {
                let Some(job) = self.store.job(key) else {
                    // The Job is gone: release the pods it still holds (orphan cleanup).
                    let pods: Vec<Uid> = self
                        .store
                        .pods_of(key)
                        .iter()
                        .filter(|p| p.has_tracking_finalizer())
                        .map(|p| p.meta.uid)
                        .collect();
                    if !pods.is_empty() {
                        self.apply(vec![Action::RemoveFinalizers { pods }]);
                    }
                    return;
                };
                let pods = self.store.pods_of(key);
                let record = self.backoff.get(&key).cloned().unwrap_or_default();
                let res = jobctl::sync(now, job, &pods, &record);
                drop(pods);
                if res.backoff == BackoffRecord::default() {
                    self.backoff.remove(&key);
                } else {
                    self.backoff.insert(key, res.backoff);
                }
                self.apply(res.result.actions);
                if let Some(d) = res.result.requeue_after {
                    self.enqueue(Controller::Job, key, d);
                }
            }
            Controller::CronJob => {
                self.sync_cronjob(key);
            }
            Controller::Ttl => {
                let Some(job) = self.store.job(key) else {
                    return;
                };
                let res = ttl::sync(now, job);
                self.apply(res.actions);
                if let Some(d) = res.requeue_after {
                    self.enqueue(Controller::Ttl, key, d);
                }
            }
            Controller::Gc => {
                let (kind, state) = if let Some(j) = self.store.job(key) {
                    let fg = j.meta.deletion.is_some()
                        && j.meta.finalizers.iter().any(|f| f == FOREGROUND_FINALIZER);
                    (
                        Kind::Job,
                        if fg {
                            gc::OwnerState::DeletingForeground
                        } else {
                            gc::OwnerState::Present
                        },
                    )
                } else if self.store.cronjob(key).is_some() {
                    (Kind::CronJob, gc::OwnerState::Present)
                } else {
                    (Kind::Job, gc::OwnerState::Absent)
                };
                let deps = self.store.dependents_of(key);
                let res = {
                    let dependents: crate::cluster::store::Few<gc::Dependent> = deps
                        .iter()
                        .filter_map(|u| {
                            self.store
                                .pod(*u)
                                .map(gc::Dependent::Pod)
                                .or_else(|| self.store.job(*u).map(gc::Dependent::Job))
                        })
                        .collect();
                    gc::sync(key, kind, state, &dependents)
                };
                self.apply(res.actions);
            }
        }
    }

    /// The CronJob controller's sync: the CronJob, the Jobs whose controller ownerReference
    /// names it (upstream matches by name only), and the context the controller needs.
    fn sync_cronjob(&mut self, key: Uid) {
        let Some(cj) = self.store.cronjob(key) else {
            self.cronjob_schedules.forget(key);
            return;
        };
        let children = self
            .store
            .jobs_of_cronjob_named(&cj.meta.namespace, &cj.meta.name);
        let store = &self.store;
        let ns = cj.meta.namespace.as_str();
        let lookup = |name: &str| -> Option<&Job> {
            store
                .uid_by_name(Kind::Job, ns, name)
                .and_then(|u| store.job(u))
        };
        let ctx = cronjob::CronJobContext {
            local_zone: self.local_zone,
            requeue_delta: self.lat.cronjob_requeue_delta,
            next_uid: self.store.peek_uid(),
            job_by_name: &lookup,
        };
        let res = cronjob::sync(self.now, cj, &children, &ctx, &mut self.cronjob_schedules);
        drop(children);
        self.apply(res.actions);
        if let Some(d) = res.requeue_after {
            self.enqueue(Controller::CronJob, key, d);
        }
    }

    /// The "injection" layer: applies controller actions to the store as API calls would.
    fn apply(&mut self, actions: Vec<Action>) {
        let now = self.now;
        for a in actions {
            match a {
                Action::CreatePod {
                    job,
                    index,
                    index_failures,
                } => self.create_pod(job, index, index_failures),
                Action::DeletePod {
                    pod,
                    remove_finalizer_first,
                } => {
                    let Some(p) = self.store.pod(pod) else {
                        continue;
                    };
                    if p.meta.deletion.is_some() {
                        continue;
                    }
                    let name = p.meta.name.clone();
                    let owner = p.meta.owner.clone();
                    let grace = p.template.termination_grace_seconds;
                    if remove_finalizer_first {
                        self.store.update_pod(pod, |p| {
                            p.meta.finalizers.retain(|f| f != JOB_TRACKING_FINALIZER)
                        });
                    }
                    self.store.mark_pod_deleted(pod, now, grace);
                    // RealPodControl records the event on the owning Job.
                    if let Some(o) = owner.filter(|o| o.kind == Kind::Job) {
                        if self.store.job(o.uid).is_some() {
                            self.record(Event {
                                time: now,
                                kind: Kind::Job,
                                name: o.name,
                                event_type: EventType::Normal,
                                reason: "SuccessfulDelete".into(),
                                message: Message::join("Deleted pod: ", &name, ""),
                            });
                        }
                    }
                }
                Action::RemoveFinalizers { pods } => {
                    for pod in pods {
                        self.store.update_pod(pod, |p| {
                            p.meta.finalizers.retain(|f| f != JOB_TRACKING_FINALIZER)
                        });
                        self.store.try_finish_pod_deletion(pod);
                        self.kubelet.forget_if_gone(pod, &self.store);
                    }
                }
                Action::UpdateJobStatus { job, status } => {
                    self.store.update_job(job, false, |j| j.status = *status);
                }
                Action::CreateJob { job } => {
                    self.store.create_job(job);
                }
                Action::DeleteJob { job, propagation } => self.delete_job(job, propagation),
                Action::UpdateCronJobStatus { cronjob, status } => {
                    self.store
                        .update_cronjob(cronjob, false, |c| c.status = *status);
                }
                Action::RemoveOwnerFinalizer {
                    kind,
                    uid,
                    finalizer,
                } => {
                    if kind == Kind::Job {
                        let gone = self.store.job(uid).is_some_and(|j| {
                            j.meta.deletion.is_some()
                                && j.meta.finalizers.iter().all(|f| f == finalizer)
                        });
                        self.store.update_job(uid, false, |j| {
                            j.meta.finalizers.retain(|f| f != finalizer)
                        });
                        if gone {
                            self.store.remove_job(uid);
                        }
                    }
                }
                Action::Event(e) => self.record(e),
            }
        }
    }

    fn record(&mut self, e: Event) {
        self.observer.event(&e);
    }

    fn create_pod(&mut self, job_uid: Uid, index: Option<i32>, index_failures: Option<(i32, i32)>) {
        let Some(job) = self.store.job(job_uid) else {
            return;
        };
        let seed = self.scenario.seed;
        let job_name = job.meta.name.clone();
        let ns = job.meta.namespace.clone();
        let template = job.spec.template.clone();
        // generateName is cut to 58 characters before the 5 random ones are appended; for
        // Indexed Jobs the job-name part is cut so the `-<index>-` suffix survives.
        let base: Str = match index {
            Some(i) => {
                let suffix = format!("-{i}-");
                let keep = 58usize.saturating_sub(suffix.len());
                let mut b: Str = job_name.chars().take(keep).collect();
                b.push_str(&suffix);
                b
            }
            None => {
                let base = concat(&[&job_name, "-"]);
                if base.len() > 58 {
                    base.chars().take(58).collect()
                } else {
                    base
                }
            }
        };
        let rng = self
            .name_rngs
            .entry(job_uid)
            .or_insert_with(|| rng::stream(seed, "pod-name", &concat(&[&ns, "/", &job_name])));
        let mut name = Str::with_capacity(base.len() + 5);
        loop {
            name.push_str(&base);
            rng::push_name_suffix(rng, &mut name);
            if !self.store.name_taken(Kind::Pod, &ns, &name) {
                break;
            }
            name.clear();
        }
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
        let pod = Box::new(Pod {
            meta: Meta {
                name: name.clone(),
                namespace: ns,
                creation: self.now.floor_second(),
                created_at: self.now,
                owner: Some(ObjectRef {
                    kind: Kind::Job,
                    namespace: job.meta.namespace.clone(),
                    name: job_name.clone(),
                    uid: job_uid,
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
        });
        self.store.create_pod(pod);
        self.record(Event {
            time: self.now,
            kind: Kind::Job,
            name: job_name,
            event_type: EventType::Normal,
            reason: "SuccessfulCreate".into(),
            message: Message::join("Created pod: ", &name, ""),
        });
    }

    fn delete_job(&mut self, uid: Uid, propagation: Propagation) {
        let Some(job) = self.store.job(uid) else {
            return;
        };
        if job.meta.deletion.is_some() {
            return;
        }
        match propagation {
            Propagation::Background => {
                self.store.remove_job(uid);
            }
            Propagation::Foreground => {
                let now = self.now;
                self.store.update_job(uid, false, |j| {
                    j.meta.deletion = Some(now);
                    j.meta.delete_requested_at = Some(now);
                    j.meta.finalizers.push(Str::const_new(FOREGROUND_FINALIZER));
                });
            }
            Propagation::Orphan => {
                for p in self.store.dependents_of(uid) {
                    self.store.update_pod(p, |p| {
                        p.meta.finalizers.retain(|f| f != JOB_TRACKING_FINALIZER)
                    });
                    self.store.orphan_pod(p);
                }
                self.store.remove_job(uid);
            }
        }
    }

    fn user_action(&mut self, action: &UserAction) {
        match action {
            UserAction::DeleteJob {
                namespace,
                name,
                propagation,
            } => {
                if let Some(uid) = self.store.uid_by_name(Kind::Job, namespace, name) {
                    self.delete_job(uid, *propagation);
                }
            }
            UserAction::DeletePod { namespace, name } => {
                if let Some(uid) = self.store.uid_by_name(Kind::Pod, namespace, name) {
                    let grace = self
                        .store
                        .pod(uid)
                        .map_or(30, |p| p.template.termination_grace_seconds);
                    self.store.mark_pod_deleted(uid, self.now, grace);
                }
            }
            UserAction::DeleteCronJob { namespace, name } => {
                if let Some(uid) = self.store.uid_by_name(Kind::CronJob, namespace, name) {
                    self.store.remove_cronjob(uid);
                }
            }
            UserAction::SuspendJob {
                namespace,
                name,
                suspend,
            } => {
                if let Some(uid) = self.store.uid_by_name(Kind::Job, namespace, name) {
                    let s = *suspend;
                    self.store.update_job(uid, true, |j| j.spec.suspend = s);
                }
            }
            UserAction::SuspendCronJob {
                namespace,
                name,
                suspend,
            } => {
                if let Some(uid) = self.store.uid_by_name(Kind::CronJob, namespace, name) {
                    let s = *suspend;
                    self.store.update_cronjob(uid, true, |c| c.spec.suspend = s);
                }
            }
            UserAction::PatchParallelism {
                namespace,
                name,
                parallelism,
            } => {
                if let Some(uid) = self.store.uid_by_name(Kind::Job, namespace, name) {
                    let n = *parallelism;
                    self.store.update_job(uid, true, |j| j.spec.parallelism = n);
                }
            }
        }
    }
}

/// How many schedule slots the automatic horizon shows for CronJobs.
pub const AUTO_HORIZON_SLOTS: usize = 10;

/// The automatic horizon of a scenario with CronJobs: the latest over its CronJobs of their
/// tenth schedule slot after the start, plus the template's longest container run time, its
/// termination grace period and one minute, rounded up to a whole minute and capped at
/// [`AUTO_HORIZON_CAP`]. `None` without CronJobs (the run then lasts until nothing is pending).
pub fn auto_cronjob_horizon(scenario: &Scenario) -> Option<Millis> {
    let local =
        schedule::validate_time_zone(&scenario.controller_time_zone).unwrap_or(chrono_tz::UTC);
    let mut best: Option<Millis> = None;
    for m in &scenario.objects {
        let Manifest::CronJob(cj) = m else { continue };
        let spec = schedule::controller_spec(&cj.spec.schedule, cj.spec.time_zone.as_deref());
        let Ok(sched) = schedule::Schedule::parse_standard(&spec) else {
            continue;
        };
        let mut t = scenario.start;
        let mut last = None;
        for _ in 0..AUTO_HORIZON_SLOTS {
            match sched.next(t, local) {
                Some(n) => {
                    t = n;
                    last = Some(n);
                }
                None => break,
            }
        }
        let Some(last) = last else { continue };
        let tpl = &cj.spec.job_template.spec.template;
        let longest = tpl
            .containers
            .iter()
            .map(|c| c.behavior.run.representative())
            .max()
            .unwrap_or(0);
        let raw =
            last.since(scenario.start) + longest + tpl.termination_grace_seconds * 1000 + MINUTE;
        let rounded = (raw + MINUTE - 1) / MINUTE * MINUTE;
        best = Some(best.map_or(rounded, |b: Millis| b.max(rounded)));
    }
    best.map(|b| b.min(AUTO_HORIZON_CAP))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented tie-break: time, then phase (user < kubelet < immediate sync < delayed
    /// sync), then insertion order.
    #[test]
    fn queue_orders_by_time_phase_then_sequence() {
        let mut q = EventQueue::new();
        q.push(Time(10), PHASE_SYNC_LATER, 1);
        q.push(Time(10), PHASE_SYNC_NOW, 2);
        q.push(Time(10), PHASE_KUBELET, 3);
        q.push(Time(10), PHASE_USER, 4);
        q.push(Time(5), PHASE_SYNC_LATER, 5);
        q.push(Time(10), PHASE_SYNC_NOW, 6);
        let order: Vec<(i64, u8, u64)> = std::iter::from_fn(|| q.pop())
            .map(|e| (e.time.0, e.phase(), e.item))
            .collect();
        assert_eq!(
            order,
            vec![
                (5, PHASE_SYNC_LATER, 5),
                (10, PHASE_USER, 4),
                (10, PHASE_KUBELET, 3),
                (10, PHASE_SYNC_NOW, 2),
                (10, PHASE_SYNC_NOW, 6),
                (10, PHASE_SYNC_LATER, 1),
            ]
        );
    }
}
