//! The discrete-event engine's building blocks: virtual time, the event queue, seeded random
//! streams and lookup maps. Nothing here knows a Kubernetes type.

pub mod fasthash;
pub mod queue;
pub mod rng;
pub mod time;
