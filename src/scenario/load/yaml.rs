//! A positioned YAML tree: every node and mapping key keeps its source line, so any field path
//! (`spec.template.spec.containers[0].name`) can be mapped back to a line for error messages.
//!
//! Built from `saphyr-parser` events rather than a ready-made loader because we need (a) the line
//! of the first occurrence when a key is duplicated, (b) YAML 1.1 scalar resolution as kubectl's
//! go-yaml does it (`yes`/`on` are booleans, `0777` is octal), and (c) hard limits on depth and
//! alias expansion so hostile input cannot exhaust the stack or memory.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// Deepest nesting accepted; real manifests stay far below, hostile ones would overflow the stack.
const MAX_DEPTH: usize = 100;
/// Most nodes one document may expand to through aliases (defends against "billion laughs").
const MAX_NODES: usize = 1_000_000;

/// A YAML node with the line it starts on.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// 1-based line of the node's first character.
    pub line: usize,
    /// The node's value.
    pub value: Value,
}

/// A mapping key with its own line (errors about a field point at its key).
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The key text.
    pub name: String,
    /// 1-based line of the key.
    pub line: usize,
}

/// A resolved YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~` or empty.
    Null,
    /// A boolean (YAML 1.1 spellings included).
    Bool(bool),
    /// An integer that fits in i64.
    Int(i64),
    /// An integer above i64::MAX that fits in u64 (seeds may use the whole u64 range).
    UInt(u64),
    /// A float, or an integer too large for u64.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping in source order.
    Map(Vec<(Key, Node)>),
}

/// One YAML document of a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// 1-based line where the document's content starts.
    pub line: usize,
    /// The root node.
    pub root: Node,
}

/// A YAML syntax or structure error with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// Splits a kubectl-style field path (`a.b[0].c`) into segments.
pub fn parse_path(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            if open > 0 {
                segs.push(Seg::Key(rest[..open].to_string()));
            }
            rest = &rest[open..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let close = stripped.find(']').unwrap_or(stripped.len());
                let inner = &stripped[..close];
                match inner.parse::<usize>() {
                    Ok(i) => segs.push(Seg::Index(i)),
                    Err(_) => segs.push(Seg::Key(inner.to_string())),
                }
                rest = stripped.get(close + 1..).unwrap_or("");
            }
        } else if !part.is_empty() {
            segs.push(Seg::Key(part.to_string()));
        }
    }
    segs
}

impl Node {
    /// The value under `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string value under `key`, if it is a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        match self.get(key).map(|n| &n.value) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// The line best describing `path`: the key line of the deepest existing step.
    ///
    /// A missing field (e.g. a `Required value` error) points at its nearest existing parent.
    pub fn line_of(&self, path: &str) -> usize {
        let mut node = self;
        let mut line = self.line;
        for seg in parse_path(path) {
            match (seg, &node.value) {
                (Seg::Key(k), Value::Map(entries)) => {
                    match entries.iter().find(|(key, _)| key.name == k) {
                        Some((key, child)) => {
                            line = key.line;
                            node = child;
                        }
                        None => break,
                    }
                }
                (Seg::Index(i), Value::Seq(items)) => match items.get(i) {
                    Some(child) => {
                        line = child.line;
                        node = child;
                    }
                    None => break,
                },
                _ => break,
            }
        }
        line
    }

    /// Converts to a JSON value for typed deserialization (what kubectl sends to the server).
    /// `.inf`, `-.inf` and `.nan` have no JSON form: like kubectl's YAML-to-JSON step, they are
    /// an error at their line (`json: unsupported value: +Inf`) rather than a silent null.
    pub fn to_json(&self) -> Result<serde_json::Value, YamlError> {
        use serde_json::Value as J;
        Ok(match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::Number((*i).into()),
            Value::UInt(u) => J::Number((*u).into()),
            Value::Float(f) => match serde_json::Number::from_f64(*f) {
                Some(n) => J::Number(n),
                None => {
                    let shown = if f.is_nan() {
                        "NaN"
                    } else if *f > 0.0 {
                        "+Inf"
                    } else {
                        "-Inf"
                    };
                    return Err(YamlError {
                        line: self.line,
                        col: 1,
                        message: format!("json: unsupported value: {shown}"),
                    });
                }
            },
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(
                items
                    .iter()
                    .map(Node::to_json)
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Value::Map(entries) => {
                let mut m = serde_json::Map::new();
                for (k, v) in entries {
                    m.insert(k.name.clone(), v.to_json()?);
                }
                J::Object(m)
            }
        })
    }
}

fn err(span: &Span, message: impl Into<String>) -> YamlError {
    YamlError {
        line: span.start.line(),
        col: span.start.col() + 1,
        message: message.into(),
    }
}

/// A collection being built.
enum Frame {
    Seq {
        line: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        line: usize,
        anchor: usize,
        entries: Vec<(Key, Node)>,
        key: Option<Key>,
    },
}

/// Parses every document of `text`. Empty documents (only comments) are dropped.
pub fn parse(text: &str) -> Result<Vec<Document>, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut nodes = 0usize;
    let mut root: Option<Node> = None;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| YamlError {
            line: e.marker().line(),
            col: e.marker().col() + 1,
            message: e.info().to_string(),
        })?;
        let line = span.start.line();
        let done: Option<(Node, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                anchors.clear();
                nodes = 0;
                None
            }
            Event::DocumentEnd => {
                if let Some(node) = root.take() {
                    if node.value != Value::Null {
                        docs.push(Document {
                            line: node.line,
                            root: node,
                        });
                    }
                }
                None
            }
            Event::Alias(id) => {
                let node = anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| err(&span, "unknown anchor"))?;
                nodes = nodes.saturating_add(count(&node));
                if nodes > MAX_NODES {
                    return Err(err(&span, "document is too large after alias expansion"));
                }
                Some((Node { line, ..node }, 0))
            }
            Event::Scalar(text, style, anchor, tag) => {
                nodes += 1;
                let tag = tag.map(|t| t.suffix.clone());
                let value = resolve(&text, style, tag.as_deref());
                Some((Node { line, value }, anchor))
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(err(&span, format!("exceeded max depth of {MAX_DEPTH}")));
                }
                stack.push(Frame::Seq {
                    line,
                    anchor,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(err(&span, format!("exceeded max depth of {MAX_DEPTH}")));
                }
                stack.push(Frame::Map {
                    line,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq {
                    line,
                    anchor,
                    items,
                }) => Some((
                    Node {
                        line,
                        value: Value::Seq(items),
                    },
                    anchor,
                )),
                _ => return Err(err(&span, "unbalanced sequence")),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    line,
                    anchor,
                    entries,
                    ..
                }) => Some((
                    Node {
                        line,
                        value: Value::Map(merge_keys(entries)),
                    },
                    anchor,
                )),
                _ => return Err(err(&span, "unbalanced mapping")),
            },
        };
        let Some((node, anchor)) = done else { continue };
        if anchor > 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(frame) => attach(frame, node, &span)?,
        }
    }
    Ok(docs)
}

/// Adds a finished node to the open sequence or mapping: an item, a mapping value, or a
/// mapping key (a scalar, not seen before in this mapping).
fn attach(frame: &mut Frame, node: Node, span: &Span) -> Result<(), YamlError> {
    match frame {
        Frame::Seq { items, .. } => items.push(node),
        Frame::Map { entries, key, .. } => match key.take() {
            Some(k) => entries.push((k, node)),
            None => {
                let name = match node.value {
                    Value::Str(s) => s,
                    Value::Null => "null".to_string(),
                    Value::Bool(b) => b.to_string(),
                    Value::Int(i) => i.to_string(),
                    Value::UInt(u) => u.to_string(),
                    Value::Float(f) => f.to_string(),
                    Value::Seq(_) | Value::Map(_) => {
                        return Err(err(span, "invalid map key: a key must be a scalar"))
                    }
                };
                if let Some((first, _)) = entries.iter().find(|(k, _)| k.name == name) {
                    return Err(YamlError {
                        line: node.line,
                        col: span.start.col() + 1,
                        message: format!(
                            "mapping key {name:?} already defined at line {}",
                            first.line
                        ),
                    });
                }
                *key = Some(Key {
                    name,
                    line: node.line,
                });
            }
        },
    }
    Ok(())
}

/// Number of nodes in a tree (for the alias-expansion limit).
fn count(node: &Node) -> usize {
    match &node.value {
        Value::Seq(items) => 1 + items.iter().map(count).sum::<usize>(),
        Value::Map(entries) => 1 + entries.iter().map(|(_, v)| count(v)).sum::<usize>(),
        _ => 1,
    }
}

/// Applies YAML merge keys (`<<: *base`): explicit keys win over merged ones, as in go-yaml.
fn merge_keys(entries: Vec<(Key, Node)>) -> Vec<(Key, Node)> {
    if !entries.iter().any(|(k, _)| k.name == "<<") {
        return entries;
    }
    let mut out: Vec<(Key, Node)> = Vec::new();
    let mut merged: Vec<(Key, Node)> = Vec::new();
    for (k, v) in entries {
        if k.name == "<<" {
            let sources = match v.value {
                Value::Seq(items) => items,
                other => vec![Node {
                    line: v.line,
                    value: other,
                }],
            };
            for source in sources {
                if let Value::Map(m) = source.value {
                    merged.extend(m);
                }
            }
        } else {
            out.push((k, v));
        }
    }
    for (k, v) in merged {
        if !out.iter().any(|(o, _)| o.name == k.name) {
            out.push((k, v));
        }
    }
    out
}

/// Resolves a scalar as go-yaml v2 (YAML 1.1) does; quoted scalars are always strings.
fn resolve(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    if style != ScalarStyle::Plain || tag == Some("str") {
        return Value::Str(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Value::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    let (neg, digits) = match plain.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    let int = if let Some(hex) = digits.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()
    } else if let Some(bin) = digits.strip_prefix("0b") {
        i128::from_str_radix(bin, 2).ok()
    } else if digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        i128::from_str_radix(&digits[1..], 8).ok()
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i128>().ok().or(Some(i128::MAX))
    } else {
        None
    };
    if let Some(i) = int {
        let i = if neg { -i } else { i };
        return match (i64::try_from(i), u64::try_from(i)) {
            (Ok(i), _) => Value::Int(i),
            (Err(_), Ok(u)) => Value::UInt(u),
            _ => Value::Float(i as f64),
        };
    }
    if looks_like_float(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(text.to_string())
}

/// go-yaml's float pattern: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn looks_like_float(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
                && !(a.is_empty() && b.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|c| c.is_ascii_digit()),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exp_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_paths() {
        let docs = parse("a: 1\nspec:\n  list:\n  - name: x\n    v: 2\n").unwrap();
        let root = &docs[0].root;
        assert_eq!(root.line_of("spec.list[0].v"), 5);
        assert_eq!(root.line_of("spec.list[0].missing"), 4);
        assert_eq!(root.line_of("spec"), 2);
    }

    #[test]
    fn duplicate_keys_name_both_lines() {
        let e = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(e.message, "mapping key \"a\" already defined at line 1");
    }

    #[test]
    fn yaml_1_1_scalars() {
        let docs =
            parse("a: yes\nb: '5'\nc: 0777\nd: 1.5\ne: 99999999999999999999\nf: ~\n").unwrap();
        let r = &docs[0].root;
        assert_eq!(r.get("a").unwrap().value, Value::Bool(true));
        assert_eq!(r.get("b").unwrap().value, Value::Str("5".into()));
        assert_eq!(r.get("c").unwrap().value, Value::Int(0o777));
        assert_eq!(r.get("d").unwrap().value, Value::Float(1.5));
        assert!(matches!(r.get("e").unwrap().value, Value::Float(_)));
        assert_eq!(r.get("f").unwrap().value, Value::Null);
    }

    #[test]
    fn hostile_inputs_are_errors_not_panics() {
        let deep = "[".repeat(10_000);
        assert!(parse(&deep).is_err());
        let laughs = "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
        assert!(parse(laughs).is_err());
        // The scanner takes NUL for the end of the input, so nothing after it is read and
        // there is no document (kubectl would refuse the control character instead).
        assert_eq!(parse("\u{0}\u{1}\u{ff}: : - [ {").ok(), Some(vec![]));
        assert_eq!(parse("").unwrap(), vec![]);
        assert_eq!(parse("# only a comment\n---\n").unwrap(), vec![]);
    }

    #[test]
    fn merge_keys_and_docs() {
        let docs = parse("base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  b: 3\n---\nk: v\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].line, 6);
        let m = docs[0].root.get("m").unwrap();
        assert_eq!(m.get("b").unwrap().value, Value::Int(3));
        assert_eq!(m.get("a").unwrap().value, Value::Int(1));
        // go-yaml v2 (kubectl) resolves the key `y` as the boolean true.
        let d = parse("y: 1\n").unwrap();
        assert!(d[0].root.get("true").is_some());
    }
}
