//! The discrete-event engine's building blocks: virtual time, the event queue, seeded random
//! streams. Nothing here knows a Kubernetes type.

pub mod queue;
pub mod rng;
pub mod time;
