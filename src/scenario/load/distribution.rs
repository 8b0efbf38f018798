//! Scenario-document syntax of distributions, strictly parsed:
//!
//! ```yaml
//! duration: 90s                                   # fixed, as before
//! duration: {lognormal: {median: 3m, p95: 7m}}
//! duration: {uniform: {min: 1m, max: 2m}}
//! duration: {normal: {mean: 2m, sd: 20s}}         # truncated at 0
//! duration: {exponential: {mean: 2m}}
//! duration: {empirical: [1m, 95s, 2m10s]}         # or {empirical: {file: runs.csv, column: seconds}}
//! failure: {probability: 0.1, exitCode: 1}        # or exitCodes: [{code: 1, weight: 3}, …]
//! ```
//!
//! Errors are [`DistError`]s whose field is relative to the parsed field, so the caller can
//! prefix the full path (`spec.workloads[0].duration.lognormal.p95`) and find its line.

use std::path::Path;

use serde_json::{Map, Value};

use crate::cluster::distribution::{DistError, Distribution, Failure};
use crate::scenario::load::duration::parse_duration;
use crate::sim::time::Millis;

/// The distribution kinds, as their one key is written.
pub const KINDS: &[&str] = &[
    "fixed",
    "uniform",
    "normal",
    "lognormal",
    "exponential",
    "empirical",
];

fn join(prefix: &str, field: &str) -> String {
    if field.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}.{field}")
    }
}

/// A duration value: a string with a unit, or the number 0.
fn duration(field: &str, v: &Value) -> Result<Millis, DistError> {
    match v {
        Value::String(s) => parse_duration(s).map_err(|m| DistError::new(field, m)),
        Value::Number(n) if n.as_f64() == Some(0.0) => Ok(0),
        Value::Number(n) if n.as_f64().is_some_and(|x| x < 0.0) => Err(DistError::new(
            field,
            format!("invalid duration {n}: must not be negative"),
        )),
        other => Err(DistError::new(
            field,
            format!("invalid duration {other}: expected a string with a unit, e.g. \"90s\""),
        )),
    }
}

/// The fields of a parameter mapping, all required, no others allowed.
fn params<'a>(field: &str, v: &'a Value, names: &[&str]) -> Result<Vec<&'a Value>, DistError> {
    let Value::Object(m) = v else {
        return Err(DistError::new(
            field,
            format!("expected a mapping with {}", names.join(" and ")),
        ));
    };
    unknown_keys(field, m, names)?;
    names
        .iter()
        .map(|n| {
            m.get(*n)
                .ok_or_else(|| DistError::new(join(field, n), "Required value"))
        })
        .collect()
}

fn unknown_keys(field: &str, m: &Map<String, Value>, allowed: &[&str]) -> Result<(), DistError> {
    match m.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(DistError::new(
            join(field, k),
            format!(
                "unknown field \"{k}\": supported fields: {}",
                allowed.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

/// Parses a run-time or latency distribution. `base` is the folder relative to which an
/// empirical `file` is read (the Scenario document's folder).
pub fn parse_distribution(v: &Value, base: &Path) -> Result<Distribution, DistError> {
    let m = match v {
        Value::Object(m) => m,
        other => return duration("", other).map(Distribution::Fixed),
    };
    let mut keys = m.keys();
    let (Some(kind), None) = (keys.next(), keys.next()) else {
        return Err(DistError::new(
            "",
            format!(
                "expected a duration string or a mapping with exactly one of {}",
                KINDS.join(", ")
            ),
        ));
    };
    let body = &m[kind];
    match kind.as_str() {
        "fixed" => duration("fixed", body).map(Distribution::Fixed),
        "uniform" => {
            let p = params("uniform", body, &["min", "max"])?;
            Distribution::uniform(
                duration("uniform.min", p[0])?,
                duration("uniform.max", p[1])?,
            )
        }
        "normal" => {
            let p = params("normal", body, &["mean", "sd"])?;
            Distribution::normal(duration("normal.mean", p[0])?, duration("normal.sd", p[1])?)
        }
        "lognormal" => {
            let p = params("lognormal", body, &["median", "p95"])?;
            Distribution::lognormal(
                duration("lognormal.median", p[0])?,
                duration("lognormal.p95", p[1])?,
            )
        }
        "exponential" => {
            let p = params("exponential", body, &["mean"])?;
            Distribution::exponential(duration("exponential.mean", p[0])?)
        }
        "empirical" => empirical(body, base),
        other => Err(DistError::new(
            other,
            format!(
                "unknown distribution \"{other}\": supported: {}",
                KINDS.join(", ")
            ),
        )),
    }
}

fn empirical(body: &Value, base: &Path) -> Result<Distribution, DistError> {
    let values = match body {
        Value::Array(items) => list("empirical", items)?,
        Value::Object(m) if m.contains_key("values") => {
            unknown_keys("empirical", m, &["values"])?;
            match &m["values"] {
                Value::Array(items) => list("empirical.values", items)?,
                _ => {
                    return Err(DistError::new(
                        "empirical.values",
                        "expected a list of durations",
                    ))
                }
            }
        }
        Value::Object(_) => {
            let p = params("empirical", body, &["file", "column"])?;
            let (Value::String(file), Value::String(column)) = (p[0], p[1]) else {
                return Err(DistError::new(
                    "empirical",
                    "file and column must be strings",
                ));
            };
            csv_column(&base.join(file), file, column)?
        }
        _ => {
            return Err(DistError::new(
                "empirical",
                "expected a list of durations, {values: [...]} or {file: F, column: C}",
            ))
        }
    };
    Distribution::empirical(values)
}

fn list(field: &str, items: &[Value]) -> Result<Vec<Millis>, DistError> {
    if items.is_empty() {
        return Err(DistError::new(
            field,
            "needs at least one observed duration",
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, v)| duration(&format!("{field}[{i}]"), v))
        .collect()
}

/// Reads one column of a CSV file with a header row: numbers are seconds, strings durations.
fn csv_column(path: &Path, shown: &str, column: &str) -> Result<Vec<Millis>, DistError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| DistError::new("empirical.file", format!("cannot read {shown:?}: {e}")))?;
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r
        .headers()
        .map_err(|e| DistError::new("empirical.file", format!("{shown}: {e}")))?
        .clone();
    let Some(col) = headers.iter().position(|h| h.trim() == column) else {
        return Err(DistError::new(
            "empirical.column",
            format!(
                "no column {column:?} in {shown}: columns are {}",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    };
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| DistError::new("empirical.file", format!("{shown}: {e}")))?;
        let cell = rec.get(col).unwrap_or("").trim();
        // Row numbers as a spreadsheet shows them: the header is row 1.
        let row = i + 2;
        let ms = match cell.parse::<f64>() {
            Ok(s) if s.is_finite() && s >= 0.0 => (s * 1000.0).round() as Millis,
            Ok(s) => {
                return Err(DistError::new(
                    "empirical.file",
                    format!(
                    "{shown} row {row}: {column} = {s}: must be a non-negative number of seconds"
                ),
                ))
            }
            Err(_) => parse_duration(cell)
                .map_err(|m| DistError::new("empirical.file", format!("{shown} row {row}: {m}")))?,
        };
        out.push(ms);
    }
    if out.is_empty() {
        return Err(DistError::new(
            "empirical.file",
            format!("{shown} has no rows: needs at least one observed duration"),
        ));
    }
    Ok(out)
}

/// Parses `failure: {probability: P, exitCode: C}` or `{probability: P, exitCodes: [{code, weight}]}`.
pub fn parse_failure(v: &Value) -> Result<Failure, DistError> {
    let Value::Object(m) = v else {
        return Err(DistError::new(
            "",
            "expected a mapping {probability: P, exitCode: C}",
        ));
    };
    unknown_keys("", m, &["probability", "exitCode", "exitCodes"])?;
    let probability = match m.get("probability") {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(other) => {
            return Err(DistError::new(
                "probability",
                format!("expected a number between 0 and 1, got {other}"),
            ))
        }
        None => return Err(DistError::new("probability", "Required value")),
    };
    let code = |field: &str, v: &Value| -> Result<i32, DistError> {
        v.as_i64()
            .and_then(|c| i32::try_from(c).ok())
            .ok_or_else(|| DistError::new(field, format!("expected a whole number, got {v}")))
    };
    match (m.get("exitCode"), m.get("exitCodes")) {
        (Some(c), None) => Failure::new(probability, code("exitCode", c)?),
        (None, Some(Value::Array(items))) => {
            let mut codes = Vec::new();
            for (i, it) in items.iter().enumerate() {
                let f = format!("exitCodes[{i}]");
                let p = params(&f, it, &["code", "weight"])?;
                let w = p[1].as_f64().ok_or_else(|| {
                    DistError::new(
                        format!("{f}.weight"),
                        format!("expected a number, got {}", p[1]),
                    )
                })?;
                codes.push((code(&format!("{f}.code"), p[0])?, w));
            }
            Failure::weighted(probability, codes)
        }
        (None, Some(_)) => Err(DistError::new(
            "exitCodes",
            "expected a list of {code, weight}",
        )),
        _ => Err(DistError::new(
            "exitCode",
            "exactly one of exitCode or exitCodes is required",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> Result<Distribution, String> {
        parse_distribution(&v, Path::new(".")).map_err(|e| e.to_string())
    }

    #[test]
    fn every_kind_parses() {
        assert_eq!(parse(json!("90s")), Ok(Distribution::Fixed(90_000)));
        assert_eq!(
            parse(json!({"fixed": "2m"})),
            Ok(Distribution::Fixed(120_000))
        );
        assert_eq!(
            parse(json!({"lognormal": {"median": "3m", "p95": "7m"}})),
            Ok(Distribution::LogNormal {
                median: 180_000,
                p95: 420_000
            })
        );
        assert_eq!(
            parse(json!({"uniform": {"min": "1s", "max": "2s"}})),
            Ok(Distribution::Uniform {
                min: 1_000,
                max: 2_000
            })
        );
        assert_eq!(
            parse(json!({"normal": {"mean": "1m", "sd": "10s"}})),
            Ok(Distribution::Normal {
                mean: 60_000,
                sd: 10_000
            })
        );
        assert_eq!(
            parse(json!({"exponential": {"mean": "30s"}})),
            Ok(Distribution::Exponential { mean: 30_000 })
        );
        assert_eq!(
            parse(json!({"empirical": ["1s", "2s"]})),
            Distribution::empirical(vec![1_000, 2_000]).map_err(|e| e.to_string())
        );
        assert_eq!(
            parse(json!({"empirical": {"values": ["3s"]}})),
            Distribution::empirical(vec![3_000]).map_err(|e| e.to_string())
        );
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(
            parse(json!({"lognormal": {"median": "3m", "p95": "1m"}})),
            Err(
                "lognormal.p95: must be greater than or equal to the median (60000 ms < 180000 ms)"
                    .into()
            )
        );
        assert_eq!(
            parse(json!({"uniform": {"min": "-1s", "max": "2s"}})),
            Err("uniform.min: invalid duration \"-1s\": must not be negative".into())
        );
        assert_eq!(
            parse(json!({"lognormal": {"median": "3m"}})),
            Err("lognormal.p95: Required value".into())
        );
        assert_eq!(
            parse(json!({"lognormal": {"median": "3m", "p99": "9m"}})),
            Err("lognormal.p99: unknown field \"p99\": supported fields: median, p95".into())
        );
        assert_eq!(
            parse(json!({"empirical": []})),
            Err("empirical: needs at least one observed duration".into())
        );
        assert_eq!(
            parse(json!({"gamma": {"k": 2}})),
            Err("gamma: unknown distribution \"gamma\": supported: fixed, uniform, normal, lognormal, exponential, empirical".into())
        );
        assert_eq!(
            parse_failure(&json!({"probability": 1.2, "exitCode": 1})).map_err(|e| e.to_string()),
            Err("probability: must be between 0 and 1, got 1.2".into())
        );
        assert_eq!(
            parse_failure(&json!({"probability": 0.5, "exitCodes": [{"code": 2, "weight": 1}]})),
            Failure::weighted(0.5, vec![(2, 1.0)])
        );
    }

    #[test]
    fn empirical_csv_column() {
        let dir = std::env::temp_dir().join(format!("batchsim-emp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("runs.csv"), "date,seconds\nmon,61.5\ntue,2m\n").unwrap();
        let ok = parse_distribution(
            &json!({"empirical": {"file": "runs.csv", "column": "seconds"}}),
            &dir,
        );
        assert_eq!(ok, Distribution::empirical(vec![61_500, 120_000]));
        let bad = parse_distribution(
            &json!({"empirical": {"file": "runs.csv", "column": "secs"}}),
            &dir,
        )
        .unwrap_err();
        assert_eq!(bad.field, "empirical.column");
        assert_eq!(
            bad.message,
            "no column \"secs\" in runs.csv: columns are date, seconds"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
