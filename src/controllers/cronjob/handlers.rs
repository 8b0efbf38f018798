//! The CronJob controller's informer side (`pkg/controller/cronjob/cronjob_controllerv2.go`
//! `NewControllerV2`): its event handlers, which decide when a CronJob's key is synced, and
//! the sync of one key against the API server.

use chrono_tz::Tz;

use crate::cluster::apiserver::ApiServer;
use crate::cluster::model::{Job, Kind, Uid};
use crate::controllers::cronjob::controller::{sync, CronJobContext, JobControl};
use crate::controllers::{Enqueue, SyncResult};
use crate::sim::time::{Millis, Time};

/// The CronJob controller: its configuration and the delays of its handlers.
#[derive(Debug)]
pub struct CronJobController {
    /// kube-controller-manager's own zone: schedules without `spec.timeZone` run in it.
    local_zone: Tz,
    /// Added to every requeue (upstream `nextScheduleDelta`).
    requeue_delta: Millis,
    /// Informer watch delay before a handler sees a change.
    watch_delay: Millis,
}

impl CronJobController {
    /// A controller in `local_zone` whose requeues add `requeue_delta` and whose handlers see
    /// changes `watch_delay` late.
    pub fn new(local_zone: Tz, requeue_delta: Millis, watch_delay: Millis) -> CronJobController {
        CronJobController {
            local_zone,
            requeue_delta,
            watch_delay,
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

    /// `updateCronJob`: synced at once.
    pub fn update_cron_job(&mut self, cronjob: Uid, q: &mut dyn Enqueue) {
        q.add_after(cronjob, self.watch_delay);
    }

    /// `sync` for a key: the CronJob, the Jobs whose controller ownerReference names it
    /// (upstream matches by name only) and a client for GETs by name.
    pub fn sync_key(&self, now: Time, api: &ApiServer, key: Uid) -> SyncResult {
        let store = api.store();
        let Some(cj) = store.cronjob(key) else {
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
        sync(now, cj, &children, &ctx)
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
