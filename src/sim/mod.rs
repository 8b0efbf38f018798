//! The discrete-event engine's building blocks: virtual time, the event queue, work queues with
//! client-go's delaying semantics, the dispatch core and seeded random streams.
//!
//! Invariant: nothing under `sim/` imports `crate::cluster`, `crate::controllers` or any other
//! Kubernetes type; the layers above give the events and keys their meaning.

pub mod engine;
pub mod queue;
pub mod rng;
pub mod time;
pub mod workqueue;
