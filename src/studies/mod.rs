//! Studies built from many runs of a scenario: the three-policy comparison and Monte-Carlo sweeps.

pub mod compare;
pub mod sweep;
