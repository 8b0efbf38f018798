//! The Job controller, after `pkg/controller/job/`: [`sync_job`] takes the time, the Job, its
//! pods and the in-memory back-off record, and returns the API calls to make, the requeue
//! delay and the back-off record to keep. It owns the Job's pod-level decisions: which pods
//! are finished and counted, when the Job finishes, which pods to create or delete, and how
//! a new pod is built from the template.
//!
//! Where each upstream function lives:
//!
//! | upstream (`pkg/controller/job/`) | here |
//! |---|---|
//! | `job_controller.go`: `NewController`'s event handlers (`addPod`, `updatePod`, `deletePod`, `addJob`, `updateJob`, `deleteJob`) and `podBackoffStore` | `controller` ([`JobController`]) |
//! | `job_controller.go`: `syncJobCtx`, `syncJob`, `getNewFinishedPods`, `pastActiveDeadline`, `pastBackoffLimitOnFailure`, `onlyReplaceFailedPods`, `isPodFailed` | `sync_job` (`JobCtx`, [`sync_job`], `get_new_finished_pods`, …) |
//! | `job_controller.go`: `manageJob`, `deleteJobPods` | `manage_job` |
//! | `job_controller.go`: `trackJobStatusAndRemoveFinalizers`, `enactJobFinished`, `ensureJobConditionStatus` | `tracking` |
//! | `indexed_job_utils.go`: `calculateSucceededIndexes`, `calculateFailedIndexes`, `isIndexFailed`, `firstPendingIndexes`, `getPodsWithDelayedDeletionPerIndex`, `getPodCreationInfoForIndependentIndexes`, `getNewIndexFailureCounts`, `getIndexFailureCount`, `podGenerateNameWithIndex` | `indexed_job_utils` |
//! | `pod_failure_policy.go`: `matchPodFailurePolicy` | `pod_failure_policy` |
//! | `success_policy.go`: `matchSuccessPolicy` | `success_policy` |
//! | `backoff_utils.go`: `backoffRecord`, `newBackoffRecord`, `getRemainingTime`, `getFinishedTime` | `backoff_utils` |
//! | `pkg/controller/controller_utils.go`: `GetPodFromTemplate`, `ActivePods` | `pod_control` |

mod backoff_utils;
mod controller;
mod indexed_job_utils;
mod manage_job;
mod pod_control;
mod pod_failure_policy;
mod success_policy;
mod sync_job;
mod tracking;

pub use controller::JobController;

pub use backoff_utils::{
    get_finished_time, BackoffRecord, MAX_POD_FAILURE_BACKOFF, POD_FAILURE_BACKOFF,
};
pub use indexed_job_utils::interval_string;
pub use pod_control::active_pods_order;
pub use pod_failure_policy::{match_pod_failure_policy, PolicyMatch};
pub use success_policy::match_success_policy;
pub use sync_job::{
    managed_by_external_controller, sync_job, JobSyncResult, COMPLETIONS_REACHED,
    JOB_CONTROLLER_NAME,
};
