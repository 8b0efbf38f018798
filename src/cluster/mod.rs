//! The simulated cluster below the controllers: the API types ([`model`]), the API server
//! ([`apiserver`]) with its storage ([`store`]) and watch stream ([`watch`]), the kubelet, and
//! what runs in a container ([`workload`], [`distribution`]).

pub mod apiserver;
pub mod distribution;
pub mod kubelet;
pub mod model;
pub mod store;
pub mod watch;
pub mod workload;
