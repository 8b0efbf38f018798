//! One simulation run: wires the generic engine ([`crate::sim::engine`]) to the cluster. User
//! actions run in the engine's input phase, kubelet steps in its agent phase and controller
//! syncs as work-queue keys `(controller, object UID)`; so a pod that exits at the instant of a
//! CronJob slot is seen finished before the slot's requeue runs. After each event the watch
//! notifications are dispatched to the observer, the kubelet and each controller's event
//! handlers; no Kubernetes decision is made here.

use crate::cluster::apiserver::ApiServer;
use crate::cluster::kubelet::{self, Kubelet};
use crate::cluster::model::{Event, Kind, Uid};
use crate::cluster::store::{Change, Op, Removed, Store};
use crate::cluster::watch::Observer;
use crate::controllers::cronjob::handlers::CronJobController;
use crate::controllers::gc::GarbageCollector;
use crate::controllers::job::JobController;
use crate::controllers::ttl::TtlController;
use crate::controllers::{Action, Controller, Enqueue};
use crate::scenario::horizon::auto_cronjob_horizon;
use crate::scenario::limits::horizon_of;
use crate::scenario::{Horizon, Latencies, Manifest, Scenario};
use crate::schedule;
use crate::sim::engine::{Engine, Next, Phase};
use crate::sim::time::{Millis, Time};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Ev {
    User(usize),
    Kubelet(Uid, kubelet::Step),
}

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

/// The controllers of the control plane.
struct Controllers {
    job: JobController,
    cronjob: CronJobController,
    ttl: TtlController,
    gc: GarbageCollector,
}

/// One controller's work queue on the engine.
struct Queue<'e> {
    engine: &'e mut Engine<Ev, (Controller, Uid)>,
    ctrl: Controller,
}

impl Enqueue for Queue<'_> {
    fn add_after(&mut self, key: Uid, delay: Millis) {
        self.engine.add_after((self.ctrl, key), delay);
    }
}

fn queue(engine: &mut Engine<Ev, (Controller, Uid)>, ctrl: Controller) -> Queue<'_> {
    Queue { engine, ctrl }
}

/// One simulation run.
pub struct Simulation<'o> {
    api: ApiServer,
    engine: Engine<Ev, (Controller, Uid)>,
    kubelet: Kubelet,
    controllers: Controllers,
    lat: Latencies,
    scenario: Scenario,
    observer: &'o mut dyn Observer,
    stats: RunStats,
    /// Reused buffers: the kubelet's output, the watch notifications being dispatched and the
    /// Events of an apply (allocating them afresh for every event showed in profiles).
    kubelet_out: kubelet::Output,
    changes: Vec<Change>,
    events: Vec<Event>,
}

impl<'o> Simulation<'o> {
    /// Prepares a run of `scenario`, reporting to `observer`.
    pub fn new(scenario: Scenario, observer: &'o mut dyn Observer) -> Simulation<'o> {
        let lat = scenario.latencies.clone();
        let local_zone =
            schedule::validate_time_zone(&scenario.controller_time_zone).unwrap_or(chrono_tz::UTC);
        let w = lat.watch_delay;
        Simulation {
            api: ApiServer::new(scenario.seed),
            engine: Engine::new(scenario.start),
            kubelet: Kubelet::with_seed(scenario.seed),
            controllers: Controllers {
                job: JobController::new(w, lat.job_sync_batch),
                cronjob: CronJobController::new(local_zone, lat.cronjob_requeue_delta, w),
                ttl: TtlController::new(w),
                gc: GarbageCollector::new(w),
            },
            lat,
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
        let until = start.plus(horizon_of(&self.scenario));
        let mut last_effective = self.engine.now();
        while let Some(next) = self.engine.next_before(until) {
            self.stats.events += 1;
            let now = self.engine.now();
            match next {
                Next::Event(Ev::User(i)) => {
                    let action = self.scenario.actions[i].action.clone();
                    self.api.user_action(now, &action);
                }
                Next::Event(Ev::Kubelet(pod, step)) => {
                    let mut out = std::mem::take(&mut self.kubelet_out);
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
                last_effective = now;
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
                match ch.kind {
                    Kind::Pod => self.pod_changed(&ch),
                    Kind::Job => self.job_changed(&ch),
                    Kind::CronJob => self.cronjob_changed(&ch),
                }
            }
        }
        self.changes = changes;
    }

    fn notify_observer(&mut self, ch: &Change) {
        let now = self.engine.now();
        let store = self.api.store();
        match (&ch.removed, ch.kind) {
            (Some(Removed::Pod(p)), _) => self.observer.pod(now, p, ch.op),
            (Some(Removed::Job(j)), _) => self.observer.job(now, j, ch.op),
            (Some(Removed::CronJob(_)), _) => {}
            (None, Kind::Pod) => {
                if let Some(p) = store.pod(ch.uid) {
                    self.observer.pod(now, p, ch.op);
                }
            }
            (None, Kind::Job) => {
                if let Some(j) = store.job(ch.uid) {
                    self.observer.job(now, j, ch.op);
                }
            }
            (None, Kind::CronJob) => {}
        }
    }

    /// A pod notification: the kubelet first (it runs the pod), then the owning Job's
    /// controller, then the garbage collector waiting on a Foreground owner.
    fn pod_changed(&mut self, ch: &Change) {
        let now = self.engine.now();
        match ch.op {
            Op::Added => {
                let mut out = std::mem::take(&mut self.kubelet_out);
                self.kubelet.pod_added(ch.uid, &self.lat, &mut out);
                self.kubelet_output(out);
            }
            Op::Modified { .. } => {
                if self
                    .api
                    .store()
                    .pod(ch.uid)
                    .is_some_and(|p| p.meta.deletion.is_some())
                {
                    let mut out = std::mem::take(&mut self.kubelet_out);
                    self.kubelet
                        .pod_deleting(now, ch.uid, self.api.store_mut(), &mut out);
                    self.kubelet_output(out);
                }
            }
            Op::Deleted => self.kubelet.forget_if_gone(ch.uid, self.api.store()),
        }
        let Some((Kind::Job, owner)) = ch.owner else {
            return;
        };
        let c = &mut self.controllers;
        let q = &mut queue(&mut self.engine, Controller::Job);
        match ch.op {
            Op::Added => c.job.add_pod(owner, q),
            Op::Modified { .. } => c.job.update_pod(owner, q),
            Op::Deleted => {
                c.job.delete_pod(owner, q);
                let q = &mut queue(&mut self.engine, Controller::Gc);
                c.gc.delete_dependent(owner, self.api.store(), q);
            }
        }
    }

    /// A Job notification: the Job controller, the TTL controller, the garbage collector, then
    /// the owning CronJob's controller.
    fn job_changed(&mut self, ch: &Change) {
        let c = &mut self.controllers;
        let e = &mut self.engine;
        match ch.op {
            Op::Added => c.job.add_job(ch.uid, &mut queue(e, Controller::Job)),
            Op::Modified { spec_changed } => {
                c.job
                    .update_job(ch.uid, spec_changed, &mut queue(e, Controller::Job))
            }
            Op::Deleted => {
                c.job.delete_job(ch.uid, &mut queue(e, Controller::Job));
                c.gc.delete_owner(ch.uid, &mut queue(e, Controller::Gc));
            }
        }
        if ch.op != Op::Deleted {
            if let Some(job) = self.api.store().job(ch.uid) {
                if ch.op == Op::Added {
                    c.ttl.add_job(job, &mut queue(e, Controller::Ttl));
                } else {
                    c.ttl.update_job(job, &mut queue(e, Controller::Ttl));
                }
                c.gc.update_job(job, &mut queue(e, Controller::Gc));
            }
        }
        if let Some((Kind::CronJob, owner)) = ch.owner {
            let q = &mut queue(e, Controller::CronJob);
            match ch.op {
                Op::Added => c.cronjob.add_job(owner, q),
                Op::Modified { .. } => c.cronjob.update_job(owner, q),
                Op::Deleted => c.cronjob.delete_job(owner, q),
            }
        }
    }

    /// A CronJob notification: its controller, or the garbage collector once it is gone.
    fn cronjob_changed(&mut self, ch: &Change) {
        let c = &mut self.controllers;
        let e = &mut self.engine;
        match ch.op {
            Op::Added => c
                .cronjob
                .add_cron_job(ch.uid, &mut queue(e, Controller::CronJob)),
            Op::Modified { .. } => {
                let now = e.now();
                let q = &mut queue(e, Controller::CronJob);
                let (old, new) = (ch.old_schedule.as_deref(), self.api.store().cronjob(ch.uid));
                if let Some(ev) = c.cronjob.update_cron_job(now, ch.uid, old, new, q) {
                    self.observer.event(&ev);
                }
            }
            Op::Deleted => c.gc.delete_owner(ch.uid, &mut queue(e, Controller::Gc)),
        }
    }

    /// Runs one controller's sync for a key and applies what it asks for.
    fn sync(&mut self, ctrl: Controller, key: Uid) {
        let now = self.engine.now();
        let c = &mut self.controllers;
        let res = match ctrl {
            Controller::Job => c.job.sync(now, self.api.store(), key),
            Controller::CronJob => c.cronjob.sync_key(now, &self.api, key),
            Controller::Ttl => c.ttl.sync_key(now, self.api.store(), key),
            Controller::Gc => c.gc.sync_key(self.api.store(), key),
        };
        self.apply(res.actions);
        if let Some(d) = res.requeue_after {
            self.engine.add_after((ctrl, key), d);
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
