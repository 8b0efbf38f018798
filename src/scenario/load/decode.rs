//! Strict decoding of a YAML document into a typed object, as the API server's strict field
//! validation does: type errors and unknown fields become `cannot be handled as a <Kind>` errors.

use serde::de::DeserializeOwned;

use super::error::InputError;
use super::yaml::Node;

/// Renders a `serde_ignored` path the way kubectl names fields: `spec.containers[0].comand`.
fn ignored_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", ignored_path(parent)),
        Path::Map { parent, key } => {
            let p = ignored_path(parent);
            if p.is_empty() {
                key.clone()
            } else {
                format!("{p}.{key}")
            }
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => ignored_path(parent),
    }
}

/// Renders a `serde_path_to_error` path with kubectl's `[i]` indexes.
fn error_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Enum { variant } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(variant);
            }
            Segment::Unknown => {}
        }
    }
    out
}

/// Decodes `doc` into `T`, rejecting type mismatches and unknown fields with the line of the field.
///
/// `version` and `kind` word the message like the API server: `Job in version "v1" cannot be
/// handled as a Job: strict decoding error: unknown field "spec.paralelism"`.
pub fn strict<T: DeserializeOwned>(
    file: &str,
    doc: &Node,
    version: &str,
    kind: &str,
) -> Result<T, InputError> {
    let json = doc.to_json().map_err(|e| {
        InputError::at(
            file,
            e.line,
            format!("error converting YAML to JSON: {}", e.message),
        )
    })?;
    let prefix = format!("{kind} in version {version:?} cannot be handled as a {kind}");
    let mut unknown: Vec<String> = Vec::new();
    let mut track = serde_path_to_error::Track::new();
    let result = {
        let de = serde_path_to_error::Deserializer::new(&json, &mut track);
        serde_ignored::deserialize(de, |path| unknown.push(ignored_path(&path)))
    };
    match result {
        Err(e) => {
            let path = error_path(&track.path());
            let line = doc.line_of(&path);
            let message = if path.is_empty() {
                format!("{prefix}: {e}")
            } else {
                format!("{prefix}: {path}: {e}")
            };
            Err(InputError::at(file, line, message).with_field(path))
        }
        Ok(value) => {
            if let Some(first) = unknown.first() {
                let line = doc.line_of(first);
                let list: Vec<String> = unknown
                    .iter()
                    .map(|p| format!("unknown field {p:?}"))
                    .collect();
                return Err(InputError::at(
                    file,
                    line,
                    format!("{prefix}: strict decoding error: {}", list.join(", ")),
                )
                .with_field(first.clone()));
            }
            Ok(value)
        }
    }
}
