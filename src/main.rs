//! The `batchsim` command line: parses arguments, calls the library, prints, and maps the
//! outcome to exit codes (0 ok, 1 failure such as an unwritable output, 2 bad input).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use batchsim::cli;
use batchsim::scenario::load::CliOverrides;

/// Deterministic simulator of Kubernetes Jobs and CronJobs in virtual time.
#[derive(Parser, Debug)]
#[command(name = "batchsim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Flags that override the Scenario document.
#[derive(clap::Args, Debug, Clone)]
struct Overrides {
    /// Stop here: a duration from the start (`10m`, `1h30m`, `2d`) or an RFC 3339 instant.
    #[arg(long)]
    until: Option<String>,
    /// Seed of every random stream.
    #[arg(long)]
    seed: Option<u64>,
    /// Virtual instant of `kubectl apply` (RFC 3339); default 2021-11-25T12:00:00Z.
    #[arg(long)]
    start: Option<String>,
    /// Latency profile: realistic (default) or ideal (every infrastructure latency zero).
    #[arg(long)]
    profile: Option<String>,
}

impl Overrides {
    fn to_cli(&self) -> CliOverrides {
        CliOverrides {
            until: self.until.clone(),
            seed: self.seed,
            start: self.start.clone(),
            profile: self.profile.clone(),
        }
    }
}

/// Resources `get` can list.
#[derive(Copy, Clone, Debug, ValueEnum)]
enum Resource {
    /// kubectl get pods
    Pods,
    /// kubectl get jobs
    Jobs,
    /// kubectl get cronjobs
    Cronjobs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Simulate one CronJob under several concurrency policies (and values of one field) side by side.
    Compare {
        /// Manifests (exactly one CronJob) and optional Scenario document.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Policies to compare, comma-separated.
        #[arg(long, default_value = "Allow,Forbid,Replace")]
        policies: String,
        /// Also vary one field: FIELD=VALUE,VALUE… e.g. spec.startingDeadlineSeconds=unset,10,60.
        #[arg(long)]
        vary: Option<String>,
        #[command(flatten)]
        overrides: Overrides,
        /// Output folder (default reports/<scenario name>-compare/).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// List the next fire times of a CronJob schedule, with Kubernetes (robfig/cron v3) semantics.
    Schedule {
        /// The `spec.schedule` expression, e.g. "*/15 9-17 * * 1-5" or "@every 90m".
        expr: String,
        /// `spec.timeZone` (IANA name); default: UTC, the controller's zone.
        #[arg(long)]
        tz: Option<String>,
        /// Start after this RFC 3339 instant (default 2021-11-25T12:00:00Z).
        #[arg(long)]
        from: Option<String>,
        /// How many fire times to list.
        #[arg(short = 'n', default_value_t = 10)]
        n: usize,
    },
    /// Replay the run like `kubectl get pods -w`, each line prefixed with the virtual time.
    Watch {
        /// Manifests and optional Scenario document.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        overrides: Overrides,
    },
    /// Print `kubectl get pods|jobs|cronjobs` as it would look at a virtual instant.
    Get {
        /// What to list.
        resource: Resource,
        /// Manifests and optional Scenario document.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The instant: a duration after the start (`90s`, `5m`).
        #[arg(long)]
        at: String,
        #[command(flatten)]
        overrides: Overrides,
    },
    /// Monte-Carlo sweep: N seeded runs (per --vary value), sweep.csv, summary.csv and a box plot.
    Sweep(SweepArgs),
    /// Combine the output folders of `sweep --shard` runs into the files of one whole sweep.
    SweepMerge {
        /// Shard output folders.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output folder (default reports/<scenario name>-sweep/).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Simulate manifests and write pods.csv, jobs.csv and events.csv.
    Run {
        /// Kubernetes manifests (multi-document YAML) and an optional batchsim/v1 Scenario.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        overrides: Overrides,
        /// Output folder (default reports/<scenario name>/).
        #[arg(long, conflicts_with = "summary_only")]
        out: Option<PathBuf>,
        /// Write no files: print only the run's summary (counts of Jobs, pods, events and
        /// the engine's work), keeping nothing but the live objects in memory.
        #[arg(long)]
        summary_only: bool,
    },
    /// Write a regression snapshot (`<name>.<profile>.timeline`) of each scenario file.
    Snapshot {
        /// Scenario files: each is one scenario (manifests plus an optional Scenario document).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        overrides: Overrides,
        /// Snapshot folder (default: snapshots/ beside each scenario file).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Re-simulate each scenario file and compare with its snapshot: exit 0 same, 1 changed, 2 bad input or missing.
    Verify {
        /// Scenario files, as given to `snapshot`.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        overrides: Overrides,
        /// Snapshot folder (default: snapshots/ beside each scenario file).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Rewrite snapshots that differ or are missing instead of failing.
        #[arg(long)]
        update: bool,
    },
}

/// Arguments of `batchsim sweep`.
#[derive(clap::Args, Debug)]
struct SweepArgs {
    /// Manifests and optional Scenario document.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Number of runs (of the whole sweep, all shards together).
    #[arg(long)]
    runs: u64,
    /// Sweep seed S; run r simulates with a seed derived from (S, r).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// Output folder (default reports/<scenario name>-sweep/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// FIELD=VALUE,VALUE… e.g. spec.concurrencyPolicy=Allow,Forbid,Replace.
    #[arg(long)]
    vary: Option<String>,
    /// Run only slice I of N (0-based), e.g. 0/4; merge with sweep-merge.
    #[arg(long)]
    shard: Option<String>,
    /// Metric of the box plot.
    #[arg(long, default_value = "slots_skipped")]
    metric: String,
    /// Stop here: a duration from the start or an RFC 3339 instant.
    #[arg(long)]
    until: Option<String>,
}

// The CLI allocates through jemalloc (ripgrep declares its allocator in the binary too, so the
// library imposes none): a simulated minute creates and frees dozens of small objects, and
// jemalloc ran 60 d of hello-2 --summary-only in 0.384 s against glibc malloc's 0.419 s.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match try_main(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn try_main(cli: Cli) -> batchsim::Result<ExitCode> {
    match cli.command {
        Command::Watch { files, overrides } => {
            print!(
                "{}",
                cli::watch::watch_command(&files, &overrides.to_cli())?
            );
        }
        Command::Get {
            resource,
            files,
            at,
            overrides,
        } => {
            let kind = match resource {
                Resource::Pods => cli::get::GetKind::Pods,
                Resource::Jobs => cli::get::GetKind::Jobs,
                Resource::Cronjobs => cli::get::GetKind::CronJobs,
            };
            let (out, err) = cli::get::get_command(kind, &files, &at, &overrides.to_cli())?;
            print!("{out}");
            eprint!("{err}");
        }
        Command::Compare {
            files,
            policies,
            vary,
            overrides,
            out,
        } => {
            print!(
                "{}",
                cli::compare::compare_command(
                    &files,
                    &overrides.to_cli(),
                    &policies,
                    vary.as_deref(),
                    out.as_deref()
                )?
            );
        }
        Command::Sweep(a) => {
            let opts = batchsim::studies::sweep::SweepOptions {
                runs: a.runs,
                seed: a.seed,
                jobs: a.jobs,
                shard: a
                    .shard
                    .as_deref()
                    .map(batchsim::studies::sweep::Shard::parse)
                    .transpose()?,
                vary: a.vary,
                metric: a.metric,
                progress: true,
            };
            let overrides = CliOverrides {
                until: a.until,
                ..CliOverrides::default()
            };
            print!(
                "{}",
                cli::sweep::sweep_command(&a.files, &overrides, &opts, a.out.as_deref())?
            );
        }
        Command::SweepMerge { dirs, out } => {
            print!("{}", cli::sweep::merge_command(&dirs, out.as_deref())?);
        }
        Command::Schedule { expr, tz, from, n } => {
            print!(
                "{}",
                cli::schedule::schedule_command(&expr, tz.as_deref(), from.as_deref(), n)?
            );
        }
        Command::Run {
            files,
            overrides,
            out,
            summary_only,
        } => {
            let report =
                cli::run::run_command(&files, &overrides.to_cli(), out.as_deref(), summary_only)?;
            print!("{report}");
        }
        Command::Snapshot {
            files,
            overrides,
            dir,
        } => print!(
            "{}",
            cli::snapshot::snapshot_command(&files, &overrides.to_cli(), dir.as_deref())?
        ),
        Command::Verify {
            files,
            overrides,
            dir,
            update,
        } => {
            let r =
                cli::snapshot::verify_command(&files, &overrides.to_cli(), dir.as_deref(), update)?;
            print!("{}", r.stdout);
            eprint!("{}", r.stderr);
            return Ok(ExitCode::from(r.exit_code));
        }
    }
    Ok(ExitCode::SUCCESS)
}
