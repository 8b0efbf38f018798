//! The optional `batchsim/v1 Scenario` document: run settings, workload overrides, timed actions.

use serde::Deserialize;
use serde_json::Value as Json;

/// The whole document as written (strictly decoded: unknown fields are errors).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioDoc {
    /// `apiVersion` (checked before decoding).
    #[serde(default)]
    pub api_version: Option<String>,
    /// `kind` (checked before decoding).
    #[serde(default)]
    pub kind: Option<String>,
    /// `metadata`
    #[serde(default)]
    pub metadata: DocMeta,
    /// `spec`
    #[serde(default)]
    pub spec: DocSpec,
}

/// `metadata` of the Scenario document.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocMeta {
    /// Scenario name (output folder).
    #[serde(default)]
    pub name: Option<String>,
}

/// `spec` of the Scenario document; durations stay raw JSON so their errors can name the field.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocSpec {
    /// RFC 3339 start instant.
    #[serde(default)]
    pub start: Option<String>,
    /// Duration from start, or an RFC 3339 instant.
    #[serde(default)]
    pub until: Option<Json>,
    /// Seed of every random stream.
    #[serde(default)]
    pub seed: Option<u64>,
    /// `realistic` or `ideal`.
    #[serde(default)]
    pub profile: Option<String>,
    /// IANA zone of the kube-controller-manager.
    #[serde(default)]
    pub controller_time_zone: Option<String>,
    /// Latency overrides.
    #[serde(default)]
    pub latencies: Option<DocLatencies>,
    /// Workload overrides.
    #[serde(default)]
    pub workloads: Vec<DocWorkload>,
    /// Timed user actions.
    #[serde(default)]
    pub actions: Vec<DocAction>,
}

/// `spec.latencies`: each a duration.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocLatencies {
    /// Pod created → bound.
    #[serde(default)]
    pub pod_scheduling: Option<Json>,
    /// Bound → image pulled.
    #[serde(default)]
    pub image_pull: Option<Json>,
    /// Image ready → container running.
    #[serde(default)]
    pub container_start: Option<Json>,
    /// Informer watch delay.
    #[serde(default)]
    pub watch_delay: Option<Json>,
    /// Job controller batching period.
    #[serde(default)]
    pub job_sync_batch: Option<Json>,
    /// CronJob requeue delta.
    #[serde(default)]
    pub cronjob_requeue_delta: Option<Json>,
    /// Kubelet status update delay.
    #[serde(default)]
    pub pod_status_update: Option<Json>,
}

/// One `spec.workloads[]` override.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocWorkload {
    /// Target Job name.
    #[serde(default)]
    pub job: Option<String>,
    /// Target CronJob name.
    #[serde(default)]
    pub cronjob: Option<String>,
    /// Target container (all containers when absent).
    #[serde(default)]
    pub container: Option<String>,
    /// Only the pods of this completion index (Indexed Jobs).
    #[serde(default)]
    pub index: Option<i32>,
    /// Run time: a duration or a distribution (`{lognormal: {median: 3m, p95: 7m}}`).
    #[serde(default)]
    pub duration: Option<Json>,
    /// Random failures: `{probability: 0.1, exitCode: 1}`.
    #[serde(default)]
    pub failure: Option<Json>,
    /// Exit code.
    #[serde(default)]
    pub exit_code: Option<i32>,
    /// Whether PID 1 handles SIGTERM.
    #[serde(default)]
    pub handles_sigterm: Option<bool>,
}

/// One `spec.actions[]` entry.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocAction {
    /// Offset from the start.
    #[serde(default)]
    pub at: Option<Json>,
    /// `job/NAME`, `pod/NAME` or `cronjob/NAME`.
    #[serde(default)]
    pub delete: Option<String>,
    /// `job/NAME` or `cronjob/NAME`.
    #[serde(default)]
    pub suspend: Option<String>,
    /// `job/NAME` or `cronjob/NAME`.
    #[serde(default)]
    pub resume: Option<String>,
    /// `job/NAME`.
    #[serde(default)]
    pub patch: Option<String>,
    /// New parallelism for `patch`.
    #[serde(default)]
    pub parallelism: Option<i32>,
    /// `background` (default), `foreground` or `orphan`.
    #[serde(default)]
    pub cascade: Option<String>,
    /// Namespace of the target (default `default`).
    #[serde(default)]
    pub namespace: Option<String>,
}
