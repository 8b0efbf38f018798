//! Events as controllers and the kubelet record them.

use crate::sim::time::Time;

use super::{Kind, Str};

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/// Event type.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum EventType {
    /// Normal
    Normal,
    /// Warning
    Warning,
}

impl EventType {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// A Kubernetes Event as a controller records it.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// When it happened.
    pub time: Time,
    /// The object the event is about.
    pub kind: Kind,
    /// Its name.
    pub name: Str,
    /// Normal or Warning.
    pub event_type: EventType,
    /// Reason, e.g. `SuccessfulCreate`; borrowed when it is a constant (nearly always), so
    /// recording an event allocates only its name and message.
    pub reason: std::borrow::Cow<'static, str>,
    /// Message, e.g. `Created pod: pi-xk7h2`.
    pub message: Str,
}
