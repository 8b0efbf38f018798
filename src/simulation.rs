//! One simulation run: wires the generic engine ([`crate::sim::engine`]) to the cluster. User
//! actions run in the engine's input phase, kubelet steps in its agent phase and controller
//! syncs as work-queue keys `(controller, object UID)`; so a pod that exits at the instant of a
//! CronJob slot is seen finished before the slot's requeue runs. After each event the watch
//! notifications are dispatched to the observer and to the controllers' event handlers.

use crate::sim::engine::{Engine, Next, Phase};
use crate::sim::fasthash::FastMap;

use crate::cluster::kubelet::{self, Kubelet};
use crate::cluster::apiserver::ApiServer;
use crate::cluster::model::{Event, Job, Kind, Uid, FOREGROUND_FINALIZER};
use crate::cluster::store::{Change, Op, Removed, Store};
use crate::controllers::cronjob::controller as cronjob;
use crate::controllers::job::BackoffRecord;
use crate::controllers::{gc, job as jobctl, ttl, Action};
use crate::output::timeline::Observer;
use crate::scenario::{Horizon, Latencies, Manifest, Scenario};
use crate::schedule;
use crate::sim::time::{Millis, Time, DAY, MINUTE};

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
}

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
    api: ApiServer,
    engine: Engine<Ev, (Controller, Uid)>,
    kubelet: Kubelet,
    backoff: FastMap<Uid, BackoffRecord>,
    lat: Latencies,
    local_zone: chrono_tz::Tz,
    scenario: Scenario,
    observer: &'o mut dyn Observer,
    stats: RunStats,
    /// Reused buffers: the kubelet's output and the watch notifications being dispatched
    /// (allocating them afresh for every event showed in profiles).
    kubelet_out: kubelet::Output,
    changes: Vec<Change>,
    events: Vec<Event>,
}

impl<'o> Simulation<'o> {
    /// Prepares a run of `scenario`, reporting to `observer`.
    pub fn new(scenario: Scenario, observer: &'o mut dyn Observer) -> Simulation<'o> {
        Simulation {
            api: ApiServer::new(scenario.seed),
            engine: Engine::new(scenario.start),
            kubelet: Kubelet::with_seed(scenario.seed),
            backoff: FastMap::default(),
            lat: scenario.latencies.clone(),
            local_zone: schedule::validate_time_zone(&scenario.controller_time_zone)
                .unwrap_or(chrono_tz::UTC),
            scenario,
            observer,
            stats: RunStats::default(),
            kubelet_out: kubelet::Output::default(),
            changes: Vec::new(),
            events: Vec::new(),
        }
    }

    /// The store (for views at the end of a run).
    pub fn store(&self) -> &Store {
        self.api.store()
    }

    /// client-go `AddAfter` on a controller's work queue.
    fn enqueue(&mut self, ctrl: Controller, key: Uid, delay: Millis) {
        self.engine.add_after((ctrl, key), delay);
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
                    self.api.create_job(Box::new(j));
                }
                Manifest::CronJob(mut c) => {
                    c.meta.creation = start.floor_second();
                    c.meta.created_at = start;
                    self.api.create_cronjob(c);
                }
            }
        }
        for i in 0..self.scenario.actions.len() {
            let at = start.plus(self.scenario.actions[i].at);
            self.engine.at(at, Phase::Input, Ev::User(i));
        }
        self.dispatch();
        let until = match self.scenario.horizon {
            Horizon::At(ms) => start.plus(ms),
            Horizon::Auto => {
                start.plus(auto_cronjob_horizon(&self.scenario).unwrap_or(AUTO_HORIZON_CAP))
            }
        };
        let mut last_effective = self.engine.now();
        while let Some(next) = self.engine.next_before(until) {
            self.stats.events += 1;
            match next {
                Next::Event(Ev::User(i)) => {
                    let action = self.scenario.actions[i].action.clone();
                    self.api.user_action(self.engine.now(), &action);
                }
                Next::Event(Ev::Kubelet(pod, step)) => {
                    let mut out = std::mem::take(&mut self.kubelet_out);
                    let now = self.engine.now();
                    self.kubelet
                        .step(now, pod, step, &self.lat, self.api.store_mut(), &mut out);
                    self.kubelet_output(out);
                }
                // A superseded requeue changes nothing.
                Next::Stale => continue,
                Next::Work((ctrl, key)) => {
                    self.stats.syncs += 1;
                    self.sync(ctrl, key);
                }
            }
            // Stale timers (a killed container's exit, a superseded requeue) change nothing;
            // the automatic horizon ends at the last event that did.
            if self.api.store().has_changes() {
                last_effective = self.engine.now();
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
            let t = self.engine.now().plus(delay);
            self.engine.at(t, Phase::Agent, Ev::Kubelet(pod, step));
        }
        self.kubelet_out = out;
    }

    /// Delivers watch notifications to the observer and to every controller's event handlers,
    /// until no more changes are pending.
    fn dispatch(&mut self) {
        let mut changes = std::mem::take(&mut self.changes);
        loop {
            self.api.store_mut().drain_changes_into(&mut changes);
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
        let now = self.engine.now();
        match (&ch.removed, ch.kind) {
            (Some(Removed::Pod(p)), _) => self.observer.pod(now, p, ch.op),
            (Some(Removed::Job(j)), _) => self.observer.job(now, j, ch.op),
            (Some(Removed::CronJob(_)), _) => {}
            (None, Kind::Pod) => {
                if let Some(p) = self.api.store().pod(ch.uid) {
                    self.observer.pod(now, p, ch.op);
                }
            }
            (None, Kind::Job) => {
                if let Some(j) = self.api.store().job(ch.uid) {
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
                        .api
                        .store()
                        .pod(ch.uid)
                        .is_some_and(|p| p.meta.deletion.is_some())
                    {
                        let mut out = std::mem::take(&mut self.kubelet_out);
                        self.kubelet
                            .pod_deleting(self.engine.now(), ch.uid, self.api.store_mut(), &mut out);
                        self.kubelet_output(out);
                    }
                }
                if ch.op == Op::Deleted {
                    self.kubelet.forget_if_gone(ch.uid, self.api.store());
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
                    }
                }
                if ch.op != Op::Deleted {
                    let (ttl_due, fg) = self.api.store().job(ch.uid).map_or((false, false), |j| {
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
                    .api
                    .store()
                    .job(owner)
                    .is_some_and(|j| j.meta.deletion.is_some())
                {
                    self.enqueue(Controller::Gc, owner, w);
                }
            }
        }
    }

    fn sync(&mut self, ctrl: Controller, key: Uid) {
        let now = self.engine.now();
        match ctrl {
            Controller::Job => {
                let Some(job) = self.api.store().job(key) else {
                    // The Job is gone: release the pods it still holds (orphan cleanup).
                    let pods: Vec<Uid> = self
                        .api
                        .store()
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
                let pods = self.api.store().pods_of(key);
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
                let Some(job) = self.api.store().job(key) else {
                    return;
                };
                let res = ttl::sync(now, job);
                self.apply(res.actions);
                if let Some(d) = res.requeue_after {
                    self.enqueue(Controller::Ttl, key, d);
                }
            }
            Controller::Gc => {
                let (kind, state) = if let Some(j) = self.api.store().job(key) {
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
                } else if self.api.store().cronjob(key).is_some() {
                    (Kind::CronJob, gc::OwnerState::Present)
                } else {
                    (Kind::Job, gc::OwnerState::Absent)
                };
                let deps = self.api.store().dependents_of(key);
                let res = {
                    let dependents: crate::cluster::store::Few<gc::Dependent> = deps
                        .iter()
                        .filter_map(|u| {
                            self.api
                                .store()
                                .pod(*u)
                                .map(gc::Dependent::Pod)
                                .or_else(|| self.api.store().job(*u).map(gc::Dependent::Job))
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
        let Some(cj) = self.api.store().cronjob(key) else {
            return;
        };
        let children = self
            .api
            .store()
            .jobs_of_cronjob_named(&cj.meta.namespace, &cj.meta.name);
        let store = self.api.store();
        let ns = cj.meta.namespace.as_str();
        let lookup = |name: &str| -> Option<&Job> {
            store
                .uid_by_name(Kind::Job, ns, name)
                .and_then(|u| store.job(u))
        };
        let ctx = cronjob::CronJobContext {
            local_zone: self.local_zone,
            requeue_delta: self.lat.cronjob_requeue_delta,
            next_uid: self.api.peek_uid(),
            job_by_name: &lookup,
        };
        let res = cronjob::sync(self.engine.now(), cj, &children, &ctx);
        drop(children);
        self.apply(res.actions);
        if let Some(d) = res.requeue_after {
            self.enqueue(Controller::CronJob, key, d);
        }
    }

    /// Applies controller actions through the API server and records their Events.
    fn apply(&mut self, actions: Vec<Action>) {
        let mut events = std::mem::take(&mut self.events);
        self.api.apply(self.engine.now(), actions, &mut events);
        for e in events.drain(..) {
            self.observer.event(&e);
        }
        self.events = events;
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
