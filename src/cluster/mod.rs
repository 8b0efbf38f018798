//! The simulated cluster below the controllers: the API types, the API server's storage, the
//! kubelet and what runs in a container.

pub mod apiserver;
pub mod distribution;
pub mod kubelet;
pub mod model;
pub mod store;
pub mod watch;
pub mod workload;
