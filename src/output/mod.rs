//! Output formats produced from simulator state.

pub mod kubectl;
