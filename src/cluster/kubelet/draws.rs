//! The kubelet's random draws: a pod's start-up latencies and each container instance's run
//! time and exit code, each from its own seeded stream so no other object's draws can shift it.

use crate::cluster::model::{Pod, RunTime};
use crate::scenario::Latencies;
use crate::sim::time::Millis;

/// A container instance's run time and, if it fails, its drawn exit code. A random run draws
/// from its own stream `(seed, "runtime", "<ns>/<pod>/<container>/<restart>")`, so no other
/// object's draws can shift it.
pub(super) fn run_time(
    rt: &RunTime,
    seed: u64,
    pod: &Pod,
    container: &str,
    restart: i32,
) -> (Millis, Option<i32>) {
    match rt {
        RunTime::Fixed(ms) => (*ms, None),
        RunTime::Random(r) => {
            let identity = format!(
                "{}/{}/{container}/{restart}",
                pod.meta.namespace, pod.meta.name
            );
            r.sample(&mut crate::sim::rng::stream(seed, "runtime", &identity))
        }
    }
}

/// The pod's image pull and container start latencies, drawn from `(seed, "startup",
/// "<ns>/<pod>")` when the scenario gives them as distributions.
pub(super) fn startup(lat: &Latencies, seed: u64, pod: &Pod) -> (Millis, Millis) {
    if lat.draws.image_pull.is_none() && lat.draws.container_start.is_none() {
        return (lat.image_pull, lat.container_start);
    }
    let mut rng = crate::sim::rng::stream(
        seed,
        "startup",
        &format!("{}/{}", pod.meta.namespace, pod.meta.name),
    );
    let pull = lat
        .draws
        .image_pull
        .as_ref()
        .map_or(lat.image_pull, |d| d.sample(&mut rng));
    let start = lat
        .draws
        .container_start
        .as_ref()
        .map_or(lat.container_start, |d| d.sample(&mut rng));
    (pull, start)
}
