//! Scheduler binding and kubelet pod lifecycle: Pending → ContainerCreating → Running →
//! Succeeded/Failed, in-place restarts with CrashLoopBackOff (`restartPolicy: OnFailure`), and
//! graceful termination (SIGTERM, then SIGKILL at the end of the grace period).
//!
//! The kubelet writes pod status straight to the store, as the real one does through the API.
//! It never reads a clock: `now` is an argument and follow-up steps are returned with delays.

use rustc_hash::FxHashMap;

use crate::cluster::model::{
    concat, ContainerState, ContainerStatus, Event, EventType, Kind, Pod, PodPhase, RestartPolicy,
    Str, Terminated, Uid,
};
use crate::cluster::store::Store;
use crate::scenario::Latencies;
use crate::sim::time::{Millis, Time, SECOND};

mod draws;
use draws::{run_time, startup};

/// Initial kubelet container restart back-off (`initialContainerBackOff`).
pub const CRASHLOOP_INITIAL: Millis = 10 * SECOND;
/// Maximum kubelet container restart back-off (`MaxContainerBackOff`).
pub const CRASHLOOP_MAX: Millis = 300 * SECOND;
/// Exit code of a container killed by SIGKILL (128 + 9).
pub const EXIT_SIGKILL: i32 = 137;
/// Exit code of a container that handles SIGTERM by exiting (128 + 15).
pub const EXIT_SIGTERM: i32 = 143;
/// The simulated node every pod is bound to.
pub const NODE_NAME: &str = "node-1";

/// A step of a pod's life that the engine delivers at its time.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The scheduler binds the pod; the kubelet starts pulling the image.
    Bind,
    /// Image pulled, containers created and started.
    Start,
    /// A container's process exits by itself.
    Exit {
        /// Container index.
        container: usize,
        /// Instance number, so that a stale exit after a kill or restart is ignored.
        instance: u32,
    },
    /// The crash-loop back-off is over; restart the container.
    Restart {
        /// Container index.
        container: usize,
        /// Instance number of the crashed container.
        instance: u32,
    },
    /// The grace period is over: SIGKILL every container still running.
    Kill,
}

#[derive(Clone, Debug, Default)]
struct CrashLoop {
    window: Millis,
    last_update: Time,
}

#[derive(Clone, Debug, Default)]
struct ContainerRuntime {
    instance: u32,
    backoff: Option<CrashLoop>,
    /// Exit code drawn for the running instance when its run fails (random workloads).
    drawn_exit: Option<i32>,
}

#[derive(Clone, Debug, Default)]
struct PodRuntime {
    started: bool,
    terminating: bool,
    containers: Vec<ContainerRuntime>,
    /// Image pull time drawn for this pod, for the `Pulled` event.
    image_pull: Option<Millis>,
}

/// What a kubelet step produced besides store writes.
#[derive(Debug, Default)]
pub struct Output {
    /// Follow-up steps: (delay from now, pod, step).
    pub steps: Vec<(Millis, Uid, Step)>,
    /// Events recorded on pods.
    pub events: Vec<Event>,
}

/// The kubelet (and the scheduler's binding) for the one simulated node.
#[derive(Debug, Default)]
pub struct Kubelet {
    pods: FxHashMap<Uid, PodRuntime>,
    /// Scenario seed: random run times and latencies come from streams derived from it.
    seed: u64,
}

fn pod_event(
    now: Time,
    pod: &Pod,
    reason: &'static str,
    message: impl Into<Str>,
    warning: bool,
) -> Event {
    Event {
        time: now,
        kind: Kind::Pod,
        name: pod.meta.name.clone(),
        event_type: if warning {
            EventType::Warning
        } else {
            EventType::Normal
        },
        reason: reason.into(),
        message: message.into(),
    }
}

/// Human text for a latency in pull events (`1s`, `1.5s`), as the kubelet prints Go durations.
fn go_duration(ms: Millis) -> Str {
    if ms % SECOND == 0 {
        concat(&[itoa::Buffer::new().format(ms / SECOND), "s"])
    } else {
        // Go prints the fraction without trailing zeros: `1.5s`, `0.25s`.
        let (sign, abs) = (if ms < 0 { "-" } else { "" }, ms.unsigned_abs());
        let digits = [100, 10, 1].map(|place| b'0' + (abs % 1000 / place % 10) as u8);
        let fraction = std::str::from_utf8(&digits).unwrap_or_default();
        let mut whole = itoa::Buffer::new();
        concat(&[
            sign,
            whole.format(abs / 1000),
            ".",
            fraction.trim_end_matches('0'),
            "s",
        ])
    }
}

impl Kubelet {
    /// A kubelet with no pods whose random draws derive from the scenario `seed`.
    pub fn with_seed(seed: u64) -> Kubelet {
        Kubelet {
            seed,
            ..Kubelet::default()
        }
    }

    /// A pod was created: the scheduler binds it after the scheduling latency.
    pub fn pod_added(&mut self, pod: Uid, lat: &Latencies, out: &mut Output) {
        self.pods.entry(pod).or_default();
        out.steps.push((lat.pod_scheduling, pod, Step::Bind));
    }

    /// A pod's deletion was requested (deletionTimestamp set): stop its containers.
    pub fn pod_deleting(&mut self, now: Time, uid: Uid, store: &mut Store, out: &mut Output) {
        let Some(pod) = store.pod(uid) else { return };
        let rt = self.pods.entry(uid).or_default();
        if rt.terminating {
            return;
        }
        rt.terminating = true;
        if pod.status.phase.is_terminal() {
            store.try_finish_pod_deletion(uid);
            self.forget_if_gone(uid, store);
            return;
        }
        let grace_end = pod.meta.deletion.unwrap_or(now);
        let mut any_running = false;
        let mut events = Vec::new();
        let mut stop_now = Vec::new();
        for (i, c) in pod.status.containers.iter().enumerate() {
            if let ContainerState::Running { .. } = c.state {
                events.push(pod_event(
                    now,
                    pod,
                    "Killing",
                    concat(&["Stopping container ", &c.name]),
                    false,
                ));
                if pod.template.containers[i]
                    .behavior_for(pod.index)
                    .handles_sigterm
                {
                    stop_now.push((i, EXIT_SIGTERM));
                } else {
                    any_running = true;
                }
            }
        }
        out.events.extend(events);
        for (i, code) in stop_now {
            self.terminate_container(now, uid, i, code, store);
        }
        if any_running && grace_end > now {
            out.steps.push((grace_end.since(now), uid, Step::Kill));
        } else {
            self.kill_all(now, uid, store);
        }
    }

    /// Runs one step for a pod at `now`.
    pub fn step(
        &mut self,
        now: Time,
        uid: Uid,
        step: Step,
        lat: &Latencies,
        store: &mut Store,
        out: &mut Output,
    ) {
        let Some(pod) = store.pod(uid) else {
            self.pods.remove(&uid);
            return;
        };
        let terminating = self.pods.get(&uid).is_some_and(|r| r.terminating);
        match step {
            Step::Bind => {
                if terminating || pod.status.scheduled_at.is_some() {
                    return;
                }
                self.bind(now, uid, lat, store, out);
            }
            Step::Start => {
                if terminating {
                    return;
                }
                self.start(now, uid, lat, store, out);
            }
            Step::Exit {
                container,
                instance,
            } => {
                let current = self
                    .pods
                    .get(&uid)
                    .and_then(|r| r.containers.get(container))
                    .map(|c| c.instance);
                if current != Some(instance) {
                    return;
                }
                self.exit(now, uid, container, lat, store, out);
            }
            Step::Restart {
                container,
                instance,
            } => {
                let current = self
                    .pods
                    .get(&uid)
                    .and_then(|r| r.containers.get(container))
                    .map(|c| c.instance);
                if current != Some(instance) || terminating {
                    return;
                }
                self.restart(now, uid, container, store, out);
            }
            Step::Kill => {
                self.kill_all(now, uid, store);
            }
        }
    }

    /// Binds a pod to the node: Scheduled and Pulling events, every container waiting in
    /// ContainerCreating, and the start after the drawn image pull and start-up latencies.
    fn bind(&mut self, now: Time, uid: Uid, lat: &Latencies, store: &mut Store, out: &mut Output) {
        let Some(pod) = store.pod(uid) else {
            return;
        };
        let image = pod.template.containers[0].image.clone();
        let (pull, start) = startup(lat, self.seed, pod);
        out.events.push(pod_event(
            now,
            pod,
            "Scheduled",
            concat(&[
                "Successfully assigned ",
                &pod.meta.namespace,
                "/",
                &pod.meta.name,
                " to ",
                NODE_NAME,
            ]),
            false,
        ));
        out.events.push(pod_event(
            now,
            pod,
            "Pulling",
            concat(&["Pulling image \"", &image, "\""]),
            false,
        ));
        store.update_pod(uid, |p| {
            p.status.scheduled_at = Some(now);
            p.status.containers = p
                .template
                .containers
                .iter()
                .map(|c| ContainerStatus {
                    name: c.name.as_str().into(),
                    state: ContainerState::Waiting {
                        reason: "ContainerCreating".into(),
                    },
                    last_terminated: None,
                    restart_count: 0,
                    ready: false,
                })
                .collect();
        });
        self.pods.entry(uid).or_default().image_pull = Some(pull);
        out.steps.push((pull + start, uid, Step::Start));
    }

    /// Starts every container: Pulled, Created and Started events, the pod Running and ready,
    /// and each container's exit after its drawn run time.
    fn start(&mut self, now: Time, uid: Uid, lat: &Latencies, store: &mut Store, out: &mut Output) {
        let Some(pod) = store.pod(uid) else {
            return;
        };
        let mut events = Vec::new();
        let mut exits = Vec::new();
        let pull = self
            .pods
            .get(&uid)
            .and_then(|r| r.image_pull)
            .unwrap_or(lat.image_pull);
        for c in &pod.template.containers {
            events.push(pod_event(
                now,
                pod,
                "Pulled",
                {
                    let d = go_duration(pull);
                    concat(&[
                        "Successfully pulled image \"",
                        &c.image,
                        "\" in ",
                        &d,
                        " (",
                        &d,
                        " including waiting)",
                    ])
                },
                false,
            ));
            events.push(pod_event(
                now,
                pod,
                "Created",
                concat(&["Created container: ", &c.name]),
                false,
            ));
            events.push(pod_event(
                now,
                pod,
                "Started",
                concat(&["Started container ", &c.name]),
                false,
            ));
            exits.push(run_time(
                &c.behavior_for(pod.index).run,
                self.seed,
                pod,
                &c.name,
                0,
            ));
        }
        out.events.extend(events);
        let rt = self.pods.entry(uid).or_default();
        rt.started = true;
        rt.containers = exits
            .iter()
            .map(|(_, code)| ContainerRuntime {
                drawn_exit: *code,
                ..ContainerRuntime::default()
            })
            .collect();
        store.update_pod(uid, |p| {
            for c in p.status.containers.iter_mut() {
                c.state = ContainerState::Running { started_at: now };
                c.ready = true;
            }
            p.status.phase = PodPhase::Running;
            p.status.ready = true;
            p.status.ready_transition = Some(now);
        });
        for (i, (d, _)) in exits.into_iter().enumerate() {
            out.steps.push((
                d,
                uid,
                Step::Exit {
                    container: i,
                    instance: 0,
                },
            ));
        }
    }

    /// A container exits by itself with its drawn (or configured) code: the pod ends if it was
    /// terminating and nothing runs any more, a failed OnFailure container crash-loops, and
    /// otherwise the pod phase follows its containers.
    fn exit(
        &mut self,
        now: Time,
        uid: Uid,
        container: usize,
        lat: &Latencies,
        store: &mut Store,
        out: &mut Output,
    ) {
        let Some(pod) = store.pod(uid) else {
            return;
        };
        let terminating = self.pods.get(&uid).is_some_and(|r| r.terminating);
        let drawn = self
            .pods
            .get(&uid)
            .and_then(|r| r.containers.get(container))
            .and_then(|c| c.drawn_exit);
        let code = drawn.unwrap_or(
            pod.template.containers[container]
                .behavior_for(pod.index)
                .exit_code,
        );
        let policy = pod.template.restart_policy;
        self.terminate_container(now, uid, container, code, store);
        if terminating {
            // It ended by itself during the grace period: nothing is restarted, and
            // the pod is done once no container runs.
            let still_running = store.pod(uid).is_some_and(|p| {
                p.status
                    .containers
                    .iter()
                    .any(|c| matches!(c.state, ContainerState::Running { .. }))
            });
            if !still_running {
                self.kill_all(now, uid, store);
            }
        } else if policy == RestartPolicy::OnFailure && code != 0 {
            self.crash_loop(now, uid, container, lat, store, out);
        } else {
            self.update_phase(uid, store);
        }
    }

    /// Records a container's exit; bumps its instance so pending steps for it become stale.
    fn terminate_container(&mut self, now: Time, uid: Uid, i: usize, code: i32, store: &mut Store) {
        if let Some(rt) = self.pods.get_mut(&uid) {
            if let Some(c) = rt.containers.get_mut(i) {
                c.instance += 1;
            }
        }
        store.update_pod(uid, |p| {
            let Some(c) = p.status.containers.get_mut(i) else {
                return;
            };
            let started_at = match c.state {
                ContainerState::Running { started_at } => started_at,
                _ => now,
            };
            c.state = ContainerState::Terminated(Terminated {
                exit_code: code,
                reason: if code == 0 { "Completed" } else { "Error" }.into(),
                started_at,
                finished_at: now,
            });
            c.ready = false;
            if p.status.ready {
                p.status.ready = false;
                p.status.ready_transition = Some(now);
            }
        });
    }

    /// OnFailure: restart at once after the first crash, then after 10 s, 20 s, … 300 s.
    fn crash_loop(
        &mut self,
        now: Time,
        uid: Uid,
        i: usize,
        lat: &Latencies,
        store: &mut Store,
        out: &mut Output,
    ) {
        let Some(rt) = self.pods.get_mut(&uid) else {
            return;
        };
        let Some(c) = rt.containers.get_mut(i) else {
            return;
        };
        let instance = c.instance;
        // client-go Backoff.IsInBackOffSince with eventTime = the container's finishedAt (= now).
        let in_backoff = match &c.backoff {
            Some(b) => now.since(b.last_update) <= 2 * CRASHLOOP_MAX && b.window > 0,
            None => false,
        };
        if !in_backoff {
            out.steps.push((
                lat.container_start,
                uid,
                Step::Restart {
                    container: i,
                    instance,
                },
            ));
            return;
        }
        let wait = c.backoff.as_ref().map_or(0, |b| b.window);
        let name = store
            .pod(uid)
            .map(|p| (p.meta.name.clone(), p.status.containers[i].name.clone()));
        if let Some((pod_name, cname)) = name {
            store.update_pod(uid, |p| {
                let c = &mut p.status.containers[i];
                if let ContainerState::Terminated(t) = &c.state {
                    c.last_terminated = Some(t.clone());
                }
                c.state = ContainerState::Waiting {
                    reason: "CrashLoopBackOff".into(),
                };
            });
            if let Some(pod) = store.pod(uid) {
                out.events.push(pod_event(
                    now,
                    pod,
                    "BackOff",
                    format!("Back-off restarting failed container {cname} in pod {pod_name}"),
                    true,
                ));
            }
        }
        out.steps.push((
            wait,
            uid,
            Step::Restart {
                container: i,
                instance,
            },
        ));
    }

    /// Starts a new instance of a crashed container and advances the back-off window.
    fn restart(&mut self, now: Time, uid: Uid, i: usize, store: &mut Store, out: &mut Output) {
        let Some(rt) = self.pods.get_mut(&uid) else {
            return;
        };
        let Some(c) = rt.containers.get_mut(i) else {
            return;
        };
        // client-go Backoff.Next: a fresh entry starts at 10 s; an expired one (finishedAt more
        // than 2 × max after the last update) starts over; otherwise the window doubles.
        let finished_at = store
            .pod(uid)
            .and_then(|p| match &p.status.containers[i].state {
                ContainerState::Terminated(t) => Some(t.finished_at),
                _ => p.status.containers[i]
                    .last_terminated
                    .as_ref()
                    .map(|t| t.finished_at),
            })
            .unwrap_or(now);
        c.backoff = Some(match c.backoff.take() {
            Some(b) if finished_at.since(b.last_update) <= 2 * CRASHLOOP_MAX => CrashLoop {
                window: (b.window * 2).min(CRASHLOOP_MAX),
                last_update: now,
            },
            _ => CrashLoop {
                window: CRASHLOOP_INITIAL,
                last_update: now,
            },
        });
        c.instance += 1;
        let instance = c.instance;
        let Some(pod) = store.pod(uid) else { return };
        let spec = &pod.template.containers[i];
        let restarts = pod.status.containers[i].restart_count + 1;
        let (d, drawn_exit) = run_time(
            &spec.behavior_for(pod.index).run,
            self.seed,
            pod,
            &spec.name,
            restarts,
        );
        c.drawn_exit = drawn_exit;
        out.events.push(pod_event(
            now,
            pod,
            "Started",
            concat(&["Started container ", &spec.name]),
            false,
        ));
        store.update_pod(uid, |p| {
            let all_ready_after = p
                .status
                .containers
                .iter()
                .enumerate()
                .all(|(j, c)| j == i || c.ready);
            let c = &mut p.status.containers[i];
            if let ContainerState::Terminated(t) = &c.state {
                c.last_terminated = Some(t.clone());
            }
            c.state = ContainerState::Running { started_at: now };
            c.restart_count += 1;
            c.ready = true;
            if all_ready_after && !p.status.ready {
                p.status.ready = true;
                p.status.ready_transition = Some(now);
            }
        });
        out.steps.push((
            d,
            uid,
            Step::Exit {
                container: i,
                instance,
            },
        ));
    }

    /// SIGKILL: every container still running or waiting is stopped; the pod becomes terminal.
    fn kill_all(&mut self, now: Time, uid: Uid, store: &mut Store) {
        let running: Vec<usize> = match store.pod(uid) {
            Some(p) => p
                .status
                .containers
                .iter()
                .enumerate()
                .filter(|(_, c)| matches!(c.state, ContainerState::Running { .. }))
                .map(|(i, _)| i)
                .collect(),
            None => return,
        };
        for i in running {
            self.terminate_container(now, uid, i, EXIT_SIGKILL, store);
        }
        // Containers that never ran or wait in back-off end as they are; the kubelet then moves
        // the deleted pod to a terminal phase (Kubernetes ≥ 1.27).
        store.update_pod(uid, |p| {
            let all_zero = !p.status.containers.is_empty()
                && p.status
                    .containers
                    .iter()
                    .all(|c| matches!(&c.state, ContainerState::Terminated(t) if t.exit_code == 0));
            if !p.status.phase.is_terminal() {
                p.status.phase = if all_zero {
                    PodPhase::Succeeded
                } else {
                    PodPhase::Failed
                };
            }
            for c in p.status.containers.iter_mut() {
                if let ContainerState::Waiting { .. } = c.state {
                    c.ready = false;
                }
            }
            p.status.ready = false;
        });
        store.try_finish_pod_deletion(uid);
        self.forget_if_gone(uid, store);
    }

    /// Recomputes the phase after a container exit (kubelet `getPhase`).
    fn update_phase(&mut self, uid: Uid, store: &mut Store) {
        let Some(pod) = store.pod(uid) else { return };
        let all_terminated = pod
            .status
            .containers
            .iter()
            .all(|c| matches!(c.state, ContainerState::Terminated(_)));
        if !all_terminated {
            return;
        }
        let all_zero = pod
            .status
            .containers
            .iter()
            .all(|c| matches!(&c.state, ContainerState::Terminated(t) if t.exit_code == 0));
        let phase = if all_zero {
            PodPhase::Succeeded
        } else {
            PodPhase::Failed
        };
        store.update_pod(uid, |p| p.status.phase = phase);
        store.try_finish_pod_deletion(uid);
        self.forget_if_gone(uid, store);
    }

    /// Drops runtime state of a pod that has left the store.
    pub fn forget_if_gone(&mut self, uid: Uid, store: &Store) {
        if store.pod(uid).is_none() {
            self.pods.remove(&uid);
        }
    }
}
