//! The watch stream of the simulated API server: what the simulation reports to whoever watches
//! it (the CSV writers, the recorder, `kubectl get -w`). Outputs implement [`Observer`]; the
//! simulation knows only this trait, never an output.

use crate::cluster::model::{Event, Job, Pod};
use crate::cluster::store::Op;
use crate::sim::time::Time;

/// Receives what happens during a run; outputs implement it.
pub trait Observer {
    /// A pod was added, modified or deleted (for Deleted, its last state).
    fn pod(&mut self, now: Time, pod: &Pod, op: Op);
    /// A Job was added, modified or deleted (for Deleted, its last state).
    fn job(&mut self, now: Time, job: &Job, op: Op);
    /// An Event was recorded.
    fn event(&mut self, event: &Event);
}
