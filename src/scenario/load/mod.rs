//! The input layer: reads manifests and an optional `batchsim/v1 Scenario` document, checks them
//! the way `kubectl apply` and the API server would (same wording), applies API defaults, infers
//! each container's workload, and returns a [`Scenario`] for the simulation.
//!
//! Pipeline per document: positioned YAML tree ([`yaml`]) → strict typed decoding into
//! k8s-openapi objects ([`decode`]) → validation ([`k8s`]) → defaults and conversion into the
//! compact model ([`convert`]); then the Scenario document's workloads, settings and actions.

pub mod convert;
pub mod decode;
pub mod distribution;
mod document;
pub mod duration;
pub mod error;
mod hints;
pub mod k8s;
pub mod names;
pub mod scenario_doc;
mod served;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use k8s_openapi::api::batch::v1 as batch;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use rand_chacha::ChaCha8Rng;

pub use error::InputError;

use crate::cluster::model::{CronJob, Job, Str};
use crate::scenario::{Manifest, Scenario, DEFAULT_START};
use crate::sim::rng;
use crate::sim::time::Time;
use document::{build_scenario, resolve_spec, Overrides};
use scenario_doc::ScenarioDoc;
use yaml::Node;

/// Command-line values that override the Scenario document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CliOverrides {
    /// `--until`: a duration from the start or an RFC 3339 instant.
    pub until: Option<String>,
    /// `--seed`
    pub seed: Option<u64>,
    /// `--start`: RFC 3339.
    pub start: Option<String>,
    /// `--profile`: `realistic` or `ideal`.
    pub profile: Option<String>,
}

/// A loaded scenario plus the warnings to print (skipped objects of other kinds).
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    /// The scenario for the engine.
    pub scenario: Scenario,
    /// One line per skipped document, `<file>:<line>: skipped …`.
    pub warnings: Vec<String>,
    /// Notes for standard error (ignored server-set fields), at most one line each.
    pub notes: Vec<String>,
    /// Each input's name and text as read (the report shows them; standard input cannot be
    /// read twice).
    pub sources: Vec<(String, String)>,
}

/// The name kubectl gives standard input in its messages (cli-runtime `pkg/resource/visitor.go`,
/// `constSTDINstr`): `error when creating "STDIN"`.
pub const STDIN_NAME: &str = "STDIN";

/// The most bytes read from one input, a file or standard input (batchsim's bound; kubectl has
/// none): far above any manifest, and it keeps `yes | batchsim run -` from filling memory.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// Reads and loads the given files (a directory is not expanded: pass files); `-` is standard
/// input, as for `kubectl apply -f -`.
pub fn load(paths: &[PathBuf], cli: &CliOverrides) -> Result<Loaded, InputError> {
    let mut sources = Vec::new();
    for p in paths {
        sources.push(read_input(p)?);
    }
    load_sources(&sources, cli)
}

/// One input's name and text: `-` reads standard input and is named [`STDIN_NAME`].
fn read_input(p: &Path) -> Result<(String, String), InputError> {
    use std::io::Read;
    let (name, reader): (String, Box<dyn Read>) = if p.as_os_str() == "-" {
        (STDIN_NAME.to_string(), Box::new(std::io::stdin().lock()))
    } else {
        let name = p.display().to_string();
        let file = std::fs::File::open(p)
            .map_err(|e| InputError::plain(format!("cannot read {name}: {e}")))?;
        (name, Box::new(file))
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::plain(format!("cannot read {name}: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::plain(format!(
            "cannot read {name}: more than {} MiB",
            MAX_INPUT_BYTES >> 20
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        InputError::plain(format!("cannot read {name}: the file is not UTF-8 text"))
    })?;
    Ok((name, text))
}

/// Loads one in-memory file (tests, stdin).
pub fn load_str(name: &str, text: &str, cli: &CliOverrides) -> Result<Loaded, InputError> {
    load_sources(&[(name.to_string(), text.to_string())], cli)
}

/// A document awaiting conversion.
struct Doc {
    file: String,
    root: Node,
}

/// A decoded and validated object, before workloads are resolved.
enum Object {
    Job(Box<Job>),
    CronJob(Box<CronJob>),
}

/// Loads `(file name, text)` pairs as one scenario, in order.
pub fn load_sources(
    sources: &[(String, String)],
    cli: &CliOverrides,
) -> Result<Loaded, InputError> {
    let Some((first_name, _)) = sources.first() else {
        return Err(InputError::plain("no input files"));
    };
    let Documents {
        objects,
        scenario_doc,
        warnings,
        served_note,
    } = split_documents(sources)?;
    let notes: Vec<String> = served_note
        .map(|at| {
            format!(
                "note: ignored the fields the API server sets (metadata.uid, resourceVersion, creationTimestamp, generation, managedFields, selfLink, status; a Job's controller-uid labels and selector), first at {at}"
            )
        })
        .into_iter()
        .collect();

    // The Scenario document first: its workload overrides are needed to resolve containers.
    let doc: ScenarioDoc = match &scenario_doc {
        Some(d) => decode::strict(&d.file, &d.root, "batchsim/v1", "Scenario")?,
        None => ScenarioDoc::default(),
    };
    // Empirical CSV files are read relative to the Scenario document's folder.
    let base_dir: PathBuf = scenario_doc
        .as_ref()
        .and_then(|d| Path::new(&d.file).parent())
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let sd_err = |path: &str, msg: String| match &scenario_doc {
        Some(d) => InputError::at(&d.file, d.root.line_of(path), msg).with_field(path),
        None => InputError::plain(msg),
    };

    // The seed is needed before the scenario is built: `generateName` draws from it.
    let seed = cli.seed.or(doc.spec.seed).unwrap_or(0);
    let converted = convert_objects(&objects, seed)?;
    if converted.is_empty() {
        return Err(if sources.len() == 1 {
            InputError::file(first_name, "no objects passed to apply")
        } else {
            InputError::plain("no objects passed to apply")
        });
    }

    // Workloads: inference, then overrides.
    let mut ov = Overrides {
        doc: &doc,
        used: vec![false; doc.spec.workloads.len()],
        err: &sd_err,
        base_dir: &base_dir,
    };
    let mut manifests = Vec::new();
    for (object, d) in converted {
        match object {
            Object::Job(mut job) => {
                let name = job.meta.name.clone();
                resolve_spec(&mut job.spec, d, "spec.template", "Job", &name, &mut ov)?;
                manifests.push(Manifest::Job(*job));
            }
            Object::CronJob(mut cj) => {
                let name = cj.meta.name.clone();
                resolve_spec(
                    &mut cj.spec.job_template.spec,
                    d,
                    "spec.jobTemplate.spec.template",
                    "CronJob",
                    &name,
                    &mut ov,
                )?;
                manifests.push(Manifest::CronJob(*cj));
            }
        }
    }
    for (i, w) in doc.spec.workloads.iter().enumerate() {
        if !ov.used[i] {
            let path = format!("spec.workloads[{i}]");
            let what = match (&w.job, &w.cronjob) {
                (Some(j), None) => format!("no Job {j:?}"),
                (None, Some(c)) => format!("no CronJob {c:?}"),
                _ => "exactly one of job or cronjob must be set".to_string(),
            };
            let container = w
                .container
                .as_deref()
                .map(|c| format!(" with container {c:?}"))
                .unwrap_or_default();
            return Err(sd_err(
                &path,
                format!("workload override {path}: {what}{container} in the manifests"),
            ));
        }
    }

    build_scenario(first_name, &doc, manifests, cli, &sd_err, &base_dir).map(|scenario| Loaded {
        scenario,
        warnings,
        notes,
        sources: sources.to_vec(),
    })
}

/// Parses every source into documents: the Job and CronJob manifests, the one optional
/// Scenario document, and a warning line for each other kind (skipped as `kubectl apply` would
/// create it but batchsim does not simulate it).
fn split_documents(sources: &[(String, String)]) -> Result<Documents, InputError> {
    let mut out = Documents {
        objects: Vec::new(),
        scenario_doc: None,
        warnings: Vec::new(),
        served_note: None,
    };
    for (file, text) in sources {
        let docs = yaml::parse(text).map_err(|e| {
            let msg = if e.message.starts_with("mapping key") {
                format!(
                    "error converting YAML to JSON: yaml: unmarshal errors: line {}: {}",
                    e.line, e.message
                )
            } else {
                format!(
                    "error converting YAML to JSON: yaml: line {}, column {}: {}",
                    e.line, e.col, e.message
                )
            };
            match hints::yaml_hint(text, e.line) {
                Some(hint) => InputError::at(file, e.line, format!("{msg}; {hint}")),
                None => InputError::at(file, e.line, msg),
            }
        })?;
        for doc in docs {
            sort_document(file, doc.root, false, &mut out)?;
        }
    }
    Ok(out)
}

/// Sorts one document (or one item of a List) into `out`.
fn sort_document(
    file: &str,
    root: Node,
    in_list: bool,
    out: &mut Documents,
) -> Result<(), InputError> {
    if !matches!(root.value, yaml::Value::Map(_)) {
        return Err(InputError::at(
            file,
            root.line,
            "error validating data: a manifest must be a mapping with apiVersion and kind",
        ));
    }
    let api = root.get_str("apiVersion").unwrap_or("").to_string();
    let kind = root.get_str("kind").unwrap_or("").to_string();
    let missing: Vec<&str> = [
        ("apiVersion not set", api.is_empty()),
        ("kind not set", kind.is_empty()),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(s, _)| *s)
    .collect();
    match missing.as_slice() {
        [] => {}
        [one] => {
            return Err(InputError::at(
                file,
                root.line,
                format!("error validating data: {one}"),
            ))
        }
        more => {
            return Err(InputError::at(
                file,
                root.line,
                format!("error validating data: [{}]", more.join(", ")),
            ))
        }
    }
    let name = root
        .get("metadata")
        .and_then(|m| m.get_str("name"))
        .unwrap_or("")
        .to_string();
    match (kind.as_str(), api.as_str()) {
        ("List", "v1") | ("JobList", "batch/v1") | ("CronJobList", "batch/v1") if !in_list => {
            return sort_list(file, root, &kind, &api, out)
        }
        ("Job", "batch/v1") | ("CronJob", "batch/v1") => {
            let mut root = root;
            if served::strip(&mut root, &kind) && out.served_note.is_none() {
                out.served_note = Some(format!("{file}:{}", root.line));
            }
            out.objects.push(Doc {
                file: file.to_string(),
                root,
            })
        }
        ("Scenario", "batchsim/v1") => {
            if let Some(prev) = &out.scenario_doc {
                return Err(InputError::at(
                    file,
                    root.line,
                    format!(
                        "only one batchsim/v1 Scenario document is allowed; the first is at {}:{}",
                        prev.file, prev.root.line
                    ),
                ));
            }
            out.scenario_doc = Some(Doc {
                file: file.to_string(),
                root,
            });
        }
        ("Job", _) | ("CronJob", _) | ("Scenario", _) => {
            return Err(InputError::at(
                file,
                root.line_of("apiVersion"),
                format!(
                    "resource mapping not found for name: {name:?} namespace: \"\" from {file:?}: no matches for kind {kind:?} in version {api:?}"
                ),
            ))
        }
        _ => out.warnings.push(format!(
            "{file}:{}: skipped {kind} {name:?}: batchsim simulates only batch/v1 Jobs and CronJobs",
            root.line
        )),
    }
    Ok(())
}

/// Unpacks a `v1 List`, `batch/v1 JobList` or `CronJobList` (what `kubectl get -o yaml` prints)
/// into its items, as `kubectl apply` does (cli-runtime `pkg/resource/visitor.go`
/// `FlattenListVisitor`, one level). Items of a typed list may omit `apiVersion` and `kind`
/// (the API's own list responses do): they take the list's.
fn sort_list(
    file: &str,
    root: Node,
    kind: &str,
    api: &str,
    out: &mut Documents,
) -> Result<(), InputError> {
    let items_line = root.line_of("items");
    let Some(items) = root.get("items") else {
        return Ok(());
    };
    let items = match &items.value {
        yaml::Value::Seq(items) => items.clone(),
        yaml::Value::Null => Vec::new(),
        _ => {
            return Err(InputError::at(
                file,
                items_line,
                format!(
                "{kind} in version {api:?} cannot be handled as a {kind}: items: expected a list"
            ),
            )
            .with_field("items"))
        }
    };
    let item_kind = kind.strip_suffix("List").filter(|k| !k.is_empty());
    for mut item in items {
        if let (Some(item_kind), yaml::Value::Map(entries)) = (item_kind, &mut item.value) {
            let line = item.line;
            let has = |k: &str| entries.iter().any(|(key, _)| key.name == k);
            if !has("apiVersion") && !has("kind") {
                entries.push((
                    yaml::Key {
                        name: "apiVersion".into(),
                        line,
                    },
                    Node {
                        line,
                        value: yaml::Value::Str(api.to_string()),
                    },
                ));
                entries.push((
                    yaml::Key {
                        name: "kind".into(),
                        line,
                    },
                    Node {
                        line,
                        value: yaml::Value::Str(item_kind.to_string()),
                    },
                ));
            }
        }
        sort_document(file, item, true, out)?;
    }
    Ok(())
}

/// The documents of a scenario's sources, sorted by what they are.
struct Documents {
    /// Job and CronJob manifests, in order.
    objects: Vec<Doc>,
    /// The batchsim/v1 Scenario document, if any.
    scenario_doc: Option<Doc>,
    /// One line per skipped document of another kind.
    warnings: Vec<String>,
    /// `file:line` of the first object whose server-set fields were removed.
    served_note: Option<String>,
}

/// Decodes, validates and converts every manifest, refusing a second object of one kind, name
/// and namespace as the API server's `create` does. A Job with only `generateName` is named
/// from `seed` first.
fn convert_objects(objects: &[Doc], seed: u64) -> Result<Vec<(Object, &Doc)>, InputError> {
    let mut converted: Vec<(Object, &Doc)> = Vec::new();
    let mut name_rngs: BTreeMap<String, ChaCha8Rng> = BTreeMap::new();
    for d in objects {
        let kind = d.root.get_str("kind").unwrap_or("");
        let object = if kind == "Job" {
            let mut job: batch::Job = decode::strict(&d.file, &d.root, "v1", "Job")
                .map_err(|e| missing_field(e, d, "Job"))?;
            generate_job_name(&mut job.metadata, seed, &mut name_rngs, &converted);
            check_quantities(
                d,
                job.spec.as_ref().map(|s| &s.template),
                "spec.template",
                "Job",
            )?;
            let errs = k8s::validate_job(&job);
            invalid(d, "Job", job.metadata.name.as_deref(), &errs)?;
            Object::Job(Box::new(convert::convert_job(&job)))
        } else {
            let cj: batch::CronJob = decode::strict(&d.file, &d.root, "v1", "CronJob")
                .map_err(|e| missing_field(e, d, "CronJob"))?;
            let tpl = cj.spec.job_template.spec.as_ref().map(|s| &s.template);
            check_quantities(d, tpl, "spec.jobTemplate.spec.template", "CronJob")?;
            let errs = k8s::validate_cronjob(&cj);
            invalid(d, "CronJob", cj.metadata.name.as_deref(), &errs)?;
            Object::CronJob(Box::new(convert::convert_cronjob(&cj)))
        };
        // Two objects of one kind, name and namespace: the second `create` fails.
        let (meta, resource) = match &object {
            Object::Job(j) => (&j.meta, "jobs.batch"),
            Object::CronJob(c) => (&c.meta, "cronjobs.batch"),
        };
        let clash = converted.iter().any(|(o, _)| match (o, &object) {
            (Object::Job(a), Object::Job(_)) => {
                a.meta.name == meta.name && a.meta.namespace == meta.namespace
            }
            (Object::CronJob(a), Object::CronJob(_)) => {
                a.meta.name == meta.name && a.meta.namespace == meta.namespace
            }
            _ => false,
        });
        if clash {
            return Err(InputError::at(
                &d.file,
                d.root.line_of("metadata.name"),
                format!(
                    "Error from server (AlreadyExists): error when creating {:?}: {resource} {:?} already exists",
                    d.file, meta.name
                ),
            ));
        }
        converted.push((object, d));
    }
    Ok(converted)
}

/// `generateName` without a name, as the API server's `BeforeCreate` handles it before
/// validation (`staging/src/k8s.io/apiserver/pkg/storage/names/generate.go`): the prefix, cut to
/// 58 bytes, plus five characters of the pod-name alphabet, drawn from a stream per seed,
/// namespace and prefix; a name another Job of the scenario holds is drawn again, as the API
/// server retries a generated name that already exists.
fn generate_job_name(
    meta: &mut ObjectMeta,
    seed: u64,
    rngs: &mut BTreeMap<String, ChaCha8Rng>,
    converted: &[(Object, &Doc)],
) {
    if meta.name.as_deref().is_some_and(|n| !n.is_empty()) {
        return;
    }
    let Some(prefix) = meta.generate_name.as_deref().filter(|g| !g.is_empty()) else {
        return;
    };
    let base = prefix.get(..MAX_GENERATED_PREFIX).unwrap_or(prefix);
    let ns = meta
        .namespace
        .as_deref()
        .filter(|n| !n.is_empty())
        .unwrap_or("default");
    let identity = format!("{ns}/{prefix}");
    let rng = rngs
        .entry(identity.clone())
        .or_insert_with(|| rng::stream(seed, "job-name", &identity));
    let taken = |name: &str| {
        converted.iter().any(
            |(o, _)| matches!(o, Object::Job(j) if j.meta.namespace == ns && j.meta.name == name),
        )
    };
    let mut name = Str::from(base);
    rng::push_name_suffix(rng, &mut name);
    while taken(&name) {
        name = Str::from(base);
        rng::push_name_suffix(rng, &mut name);
    }
    meta.name = Some(name.to_string());
}

/// `maxGeneratedNameLength`: a generated name's prefix keeps 63 − 5 bytes.
const MAX_GENERATED_PREFIX: usize = 58;

/// Turns a serde "missing field" error into the API server's `Required value` wording.
fn missing_field(e: InputError, d: &Doc, kind: &str) -> InputError {
    let Some(rest) = e.message.split("missing field `").nth(1) else {
        return e;
    };
    let field = rest.split('`').next().unwrap_or("");
    let parent = e.field.clone().unwrap_or_default();
    let path = if parent.is_empty() {
        field.to_string()
    } else {
        format!("{parent}.{field}")
    };
    let name = d
        .root
        .get("metadata")
        .and_then(|m| m.get_str("name"))
        .unwrap_or("");
    let err = error::FieldError::required(path.clone(), "");
    InputError::at(
        &d.file,
        d.root.line_of(&path),
        error::invalid_message(kind, name, &[err]),
    )
    .with_field(path)
}

fn check_quantities(
    d: &Doc,
    tpl: Option<&k8s_openapi::api::core::v1::PodTemplateSpec>,
    path: &str,
    kind: &str,
) -> Result<(), InputError> {
    if let Some((field, q)) = tpl.and_then(|t| k8s::bad_quantities(t, path)) {
        return Err(InputError::at(
            &d.file,
            d.root.line_of(&field),
            format!(
                "{kind} in version \"v1\" cannot be handled as a {kind}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' ({field}: {q:?})"
            ),
        )
        .with_field(field));
    }
    Ok(())
}

/// The API server's Invalid status for an object named `name` (a generated name once drawn:
/// `BeforeCreate` names the object before it is validated).
fn invalid(
    d: &Doc,
    kind: &str,
    name: Option<&str>,
    errs: &[error::FieldError],
) -> Result<(), InputError> {
    let Some(first) = errs.first() else {
        return Ok(());
    };
    let name = name.unwrap_or("");
    Err(InputError::at(
        &d.file,
        d.root.line_of(&first.path),
        error::invalid_message(kind, name, errs),
    )
    .with_field(first.path.clone()))
}

/// The start instant used when neither the document nor the CLI gives one.
pub fn default_start() -> Time {
    duration::parse_instant(DEFAULT_START).unwrap_or_default()
}
