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
    pub message: Message,
}

/// An Event's message. Most are a fixed text around one name, and most runs only count
/// Events, so such a message keeps its parts and is joined only when an output reads it.
#[derive(Clone, Debug)]
pub enum Message {
    /// Literal text.
    Text(Str),
    /// `head`, then `arg`, then `tail`, e.g. `Created pod: ` + the pod's name + ``.
    Join(&'static str, Str, &'static str),
}

impl Message {
    /// `head` + `arg` + `tail`, joined when read.
    pub fn join(head: &'static str, arg: &str, tail: &'static str) -> Message {
        Message::Join(head, arg.into(), tail)
    }

    /// The pieces that make up the text, in order.
    pub fn pieces(&self) -> [&str; 3] {
        match self {
            Message::Text(s) => [s, "", ""],
            Message::Join(h, a, t) => [h, a, t],
        }
    }

    /// The text, borrowed when it is literal.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Message::Text(s) => std::borrow::Cow::Borrowed(s),
            Message::Join(h, a, t) => std::borrow::Cow::Owned([*h, a, t].concat()),
        }
    }

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        self.pieces().iter().map(|p| p.len()).sum()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.pieces().iter().try_for_each(|p| f.write_str(p))
    }
}

impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        let [a, b, c] = self.pieces();
        other.len() == a.len() + b.len() + c.len()
            && other.starts_with(a)
            && other[a.len()..].starts_with(b)
            && other.ends_with(c)
    }
}

impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for Message {
    fn eq(&self, other: &String) -> bool {
        *self == **other
    }
}

/// Messages are equal when their texts are, however they are held.
impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        *self == *other.text()
    }
}

impl From<Str> for Message {
    fn from(s: Str) -> Message {
        Message::Text(s)
    }
}

impl From<String> for Message {
    fn from(s: String) -> Message {
        Message::Text(s.into())
    }
}

impl From<&str> for Message {
    fn from(s: &str) -> Message {
        Message::Text(s.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_joined_message_reads_and_compares_as_its_text() {
        let joined = Message::join("Pulling image \"", "busybox:1.28", "\"");
        assert_eq!(joined.text(), "Pulling image \"busybox:1.28\"");
        assert_eq!(joined.to_string(), "Pulling image \"busybox:1.28\"");
        assert_eq!(joined.len(), 15 + 12 + 1);
        assert!(!joined.is_empty());
        assert_eq!(joined, "Pulling image \"busybox:1.28\"");
        assert_eq!(joined, Message::from("Pulling image \"busybox:1.28\""));
        // Same length, a different byte in each of the three pieces.
        assert_ne!(joined, "Pulling image \"busybox:1.29\"");
        assert_ne!(joined, "Pulling Image \"busybox:1.28\"");
        assert_ne!(joined, "Pulling image \"busybox:1.28'");
        assert_ne!(joined, "Pulling image \"busybox:1.28\" ");
        let created = Message::join("Created pod: ", "pi-xk7h2", "");
        assert_eq!(created, "Created pod: pi-xk7h2".to_string());
        assert_eq!(created.pieces(), ["Created pod: ", "pi-xk7h2", ""]);
        assert!(Message::from("").is_empty());
    }
}
