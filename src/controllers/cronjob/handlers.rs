//! The CronJob controller's informer side (`pkg/controller/cronjob/cronjob_controllerv2.go`
//! `NewControllerV2`): its event handlers, which decide when a CronJob's key is synced, and
//! the sync of one key against the API server.

use chrono_tz::Tz;

use crate::cluster::apiserver::ApiServer;
use crate::cluster::model::{CronJob, Event, EventType, Job, Kind, Uid};
use crate::cluster::store::OldSchedule;
use crate::controllers::cronjob::controller::{sync, CronJobContext, JobControl};
use crate::controllers::cronjob::schedules::ScheduleCache;
use crate::controllers::cronjob::utils::{load_location, next_schedule_time_duration};
use crate::controllers::{Enqueue, SyncResult};
use crate::schedule::Schedule;
use crate::sim::time::{Millis, Time};

/// The CronJob controller: its configuration, the delays of its handlers and the schedules it
/// keeps parsed.
#[derive(Debug)]
pub struct CronJobController {
    /// kube-controller-manager's own zone: schedules without `spec.timeZone` run in it.
    local_zone: Tz,
    /// Added to every requeue (upstream `nextScheduleDelta`).
    requeue_delta: Millis,
    /// Informer watch delay before a handler sees a change.
    watch_delay: Millis,
    /// Each CronJob's parsed schedule and latest `Next` answers.
    schedules: ScheduleCache,
}

impl CronJobController {
    /// A controller in `local_zone` whose requeues add `requeue_delta` and whose handlers see
    /// changes `watch_delay` late.
    pub fn new(local_zone: Tz, requeue_delta: Millis, watch_delay: Millis) -> CronJobController {
        CronJobController {
            local_zone,
            requeue_delta,
            watch_delay,
            schedules: ScheduleCache::default(),
        }
    }

    /// `addJob`: the controlling CronJob is synced.
    pub fn add_job(&mut self, owner: Uid, q: &mut dyn Enqueue) {
        q.add_after(owner, self.watch_delay);
    }

    /// `updateJob`: the controlling CronJob is synced.
    pub fn update_job(&mut self, owner: Uid, q: &mut dyn Enqueue) {
        q.add_after(owner, self.watch_delay);
    }

    /// `deleteJob`: the controlling CronJob is synced.
    pub fn delete_job(&mut self, owner: Uid, q: &mut dyn Enqueue) {
        q.add_after(owner, self.watch_delay);
    }

    /// `addCronJob`: synced at once.
    pub fn add_cron_job(&mut self, cronjob: Uid, q: &mut dyn Enqueue) {
        q.add_after(cronjob, self.watch_delay);
    }

    /// `updateCronJob`: a changed schedule or time zone requeues the CronJob at its new next
    /// slot (`nextScheduleTimeDuration` at the moment the handler sees the change); a new
    /// schedule that does not parse is not queued, and the returned `UnParseableCronJobSchedule`
    /// Warning is recorded instead; any other update syncs at once. `old` is the schedule before
    /// the update, when the spec changed; `new` is the CronJob now (None if it already left
    /// storage, when only the key is queued).
    pub fn update_cron_job(
        &mut self,
        now: Time,
        key: Uid,
        old: Option<&OldSchedule>,
        new: Option<&CronJob>,
        q: &mut dyn Enqueue,
    ) -> Option<Event> {
        let changed = |new: &CronJob| {
            old.is_some_and(|o| {
                o.schedule != new.spec.schedule || o.time_zone != new.spec.time_zone
            })
        };
        let Some(new) = new.filter(|n| changed(n)) else {
            q.add_after(key, self.watch_delay);
            return None;
        };
        let seen = now.plus(self.watch_delay);
        match Schedule::parse_standard(&self.format_schedule(new)) {
            Ok(s) => {
                let d = next_schedule_time_duration(
                    new,
                    seen,
                    &s.in_zone(self.local_zone),
                    self.requeue_delta,
                );
                q.add_after(new.meta.uid, self.watch_delay + d);
                None
            }
            // Recorded at the change, not `seen`: the event log stays in time order.
            Err(_) => Some(Event {
                time: now,
                kind: Kind::CronJob,
                name: new.meta.name.clone(),
                event_type: EventType::Warning,
                reason: "UnParseableCronJobSchedule".into(),
                message: format!("unparseable schedule for cronjob: {}", new.spec.schedule).into(),
            }),
        }
    }

    /// Upstream `formatSchedule` with a nil recorder (the handler records no
    /// `UnsupportedSchedule`): a time zone that does not load leaves the schedule unprefixed.
    fn format_schedule<'a>(&self, cj: &'a CronJob) -> std::borrow::Cow<'a, str> {
        let zone = cj
            .spec
            .time_zone
            .as_deref()
            .filter(|z| load_location(z, self.local_zone).is_ok());
        crate::schedule::controller_spec(&cj.spec.schedule, zone)
    }

    /// `sync` for a key: the CronJob, the Jobs whose controller ownerReference names it
    /// (upstream matches by name only) and a client for GETs by name.
    pub fn sync_key(&mut self, now: Time, api: &ApiServer, key: Uid) -> SyncResult {
        let store = api.store();
        let Some(cj) = store.cronjob(key) else {
            self.schedules.forget(key);
            return SyncResult::default();
        };
        let children = store.jobs_of_cronjob_named(&cj.meta.namespace, &cj.meta.name);
        let jobs = JobClient {
            api,
            namespace: &cj.meta.namespace,
        };
        let ctx = CronJobContext {
            local_zone: self.local_zone,
            requeue_delta: self.requeue_delta,
            jobs: &jobs,
        };
        sync(now, cj, &children, &ctx, &mut self.schedules)
    }
}

/// Upstream `realJobControl` (`pkg/controller/cronjob/injection.go`) on the simulated API
/// server, for one namespace.
struct JobClient<'a> {
    api: &'a ApiServer,
    namespace: &'a str,
}

impl JobControl for JobClient<'_> {
    fn get_job(&self, name: &str) -> Option<&Job> {
        let store = self.api.store();
        store
            .uid_by_name(Kind::Job, self.namespace, name)
            .and_then(|u| store.job(u))
    }

    fn create_job(&self, mut job: Job) -> Job {
        job.meta.uid = self.api.alloc_uid();
        job
    }
}
