//! Input errors and Kubernetes-style field errors.
//!
//! Field errors render exactly like apimachinery's `field.Error` (`<path>: <Type>: <value>:
//! <detail>`), and a list of them like kubectl prints an `Invalid` status:
//! `The Job "x" is invalid: <one error>` or `The Job "x" is invalid: [<e1>, <e2>]`.

use std::fmt;

/// A bad manifest, scenario document or command-line value, pointing at a file and line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct InputError {
    /// The file as the user named it (None for command-line values).
    pub file: Option<String>,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// The field path the error is about, when there is one.
    pub field: Option<String>,
    /// The message, in kubectl's wording where kubectl has one.
    pub message: String,
}

impl InputError {
    /// An error at a line of a file.
    pub fn at(file: &str, line: usize, message: impl Into<String>) -> InputError {
        InputError {
            file: Some(file.to_string()),
            line: Some(line),
            field: None,
            message: message.into(),
        }
    }

    /// An error about a whole file (no line).
    pub fn file(file: &str, message: impl Into<String>) -> InputError {
        InputError {
            file: Some(file.to_string()),
            line: None,
            field: None,
            message: message.into(),
        }
    }

    /// An error not tied to a file (a command-line flag, an I/O failure).
    pub fn plain(message: impl Into<String>) -> InputError {
        InputError {
            file: None,
            line: None,
            field: None,
            message: message.into(),
        }
    }

    /// The same error, naming the field it is about.
    pub fn with_field(mut self, field: impl Into<String>) -> InputError {
        self.field = Some(field.into());
        self
    }

    fn render(&self) -> String {
        match (&self.file, self.line) {
            (Some(f), Some(l)) => format!("{f}:{l}: {}", self.message),
            (Some(f), None) => format!("{f}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

/// apimachinery's `field.ErrorType`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ErrorType {
    /// `Required value` (value not printed).
    Required,
    /// `Invalid value`.
    Invalid,
    /// `Unsupported value`.
    NotSupported,
    /// `Duplicate value`.
    Duplicate,
    /// `Forbidden` (value not printed).
    Forbidden,
    /// `Too many` (value not printed here: the count is in the detail).
    TooMany,
    /// `Too long` (value not printed).
    TooLong,
}

impl ErrorType {
    fn as_str(self) -> &'static str {
        match self {
            ErrorType::Required => "Required value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooMany => "Too many",
            ErrorType::TooLong => "Too long",
        }
    }
}

/// A field value as Go's `field.Error` prints it: strings quoted, numbers bare.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    /// No value (Required, Forbidden).
    None,
    /// A string, printed `"like this"`.
    Str(String),
    /// An integer.
    Int(i64),
    /// Printed verbatim (e.g. a JSON rendering of a struct, `true`).
    Raw(String),
}

/// One validation error on a field.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// The field path, e.g. `spec.parallelism`.
    pub path: String,
    /// The error type.
    pub kind: ErrorType,
    /// The offending value.
    pub value: FieldValue,
    /// The detail sentence.
    pub detail: String,
}

impl FieldError {
    /// `field.Required(path, detail)`.
    pub fn required(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            path: path.into(),
            kind: ErrorType::Required,
            value: FieldValue::None,
            detail: detail.into(),
        }
    }

    /// `field.Invalid(path, value, detail)`.
    pub fn invalid(
        path: impl Into<String>,
        value: FieldValue,
        detail: impl Into<String>,
    ) -> FieldError {
        FieldError {
            path: path.into(),
            kind: ErrorType::Invalid,
            value,
            detail: detail.into(),
        }
    }

    /// `field.NotSupported(path, value, supported)`.
    pub fn not_supported(
        path: impl Into<String>,
        value: FieldValue,
        supported: &[&str],
    ) -> FieldError {
        let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
        FieldError {
            path: path.into(),
            kind: ErrorType::NotSupported,
            value,
            detail: format!("supported values: {}", list.join(", ")),
        }
    }

    /// `field.Duplicate(path, value)`.
    pub fn duplicate(path: impl Into<String>, value: FieldValue) -> FieldError {
        FieldError {
            path: path.into(),
            kind: ErrorType::Duplicate,
            value,
            detail: String::new(),
        }
    }

    /// `field.Forbidden(path, detail)`.
    pub fn forbidden(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            path: path.into(),
            kind: ErrorType::Forbidden,
            value: FieldValue::None,
            detail: detail.into(),
        }
    }

    /// `field.TooMany(path, actual, max)`.
    pub fn too_many(path: impl Into<String>, actual: usize, max: usize) -> FieldError {
        FieldError {
            path: path.into(),
            kind: ErrorType::TooMany,
            value: FieldValue::None,
            detail: format!("{actual}: must have at most {max} items"),
        }
    }
}

impl FieldError {
    /// `field.TooLong(path, value, max)`: the value is omitted, the limit is in bytes
    /// (apimachinery `pkg/util/validation/field/errors.go`).
    pub fn too_long(path: impl Into<String>, max: usize) -> FieldError {
        let unit = if max == 1 { "byte" } else { "bytes" };
        FieldError {
            path: path.into(),
            kind: ErrorType::TooLong,
            value: FieldValue::None,
            detail: format!("may not be more than {max} {unit}"),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind.as_str())?;
        match &self.value {
            FieldValue::None => {}
            FieldValue::Str(s) => write!(f, ": {s:?}")?,
            FieldValue::Int(i) => write!(f, ": {i}")?,
            FieldValue::Raw(r) => write!(f, ": {r}")?,
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// kubectl's rendering of an Invalid status: one error bare, several in brackets, duplicates once.
pub fn invalid_message(kind: &str, name: &str, errors: &[FieldError]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for e in errors {
        let s = e.to_string();
        if !seen.contains(&s) {
            seen.push(s);
        }
    }
    let body = if seen.len() == 1 {
        seen.remove(0)
    } else {
        format!("[{}]", seen.join(", "))
    };
    format!("The {kind} {name:?} is invalid: {body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_error_formats() {
        let e = FieldError::invalid(
            "spec.parallelism",
            FieldValue::Int(-1),
            "must be greater than or equal to 0",
        );
        assert_eq!(
            e.to_string(),
            "spec.parallelism: Invalid value: -1: must be greater than or equal to 0"
        );
        let r = FieldError::required(
            "spec.template.spec.restartPolicy",
            "valid values: \"OnFailure\", \"Never\"",
        );
        assert_eq!(
            r.to_string(),
            "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
        );
        let n = FieldError::not_supported(
            "spec.concurrencyPolicy",
            FieldValue::Str("Sometimes".into()),
            &["Allow", "Forbid", "Replace"],
        );
        assert_eq!(
            n.to_string(),
            "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\""
        );
        assert_eq!(
            invalid_message("Job", "x", &[e.clone(), e.clone(), r.clone()]),
            format!("The Job \"x\" is invalid: [{e}, {r}]")
        );
        assert_eq!(
            invalid_message("Job", "x", &[e.clone(), e.clone()]),
            format!("The Job \"x\" is invalid: {e}")
        );
        assert_eq!(
            InputError::at("job.yaml", 3, "boom").to_string(),
            "job.yaml:3: boom"
        );
    }
}
