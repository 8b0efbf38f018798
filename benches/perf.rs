//! The engine's, outputs' and schedule's figures: (a) `hello-2` (Replace, `sleep 100`, every minute) for 365 days with
//! every output file written; (b) the same with `--summary-only`; (c) the schedule engine
//! alone, 525 600 fire times of `*/1 * * * *` and of `30 4 * * 1-5` in Europe/Berlin; (d) 100
//! CronJobs with different schedules for 30 days. Throughput is the engine's events (queue
//! pops, counted by the engine itself) per second.
//!
//! Run with `cargo bench --bench perf`; `PERF_BENCH_DAYS` shortens (a), (b) and (d) for a quick
//! look (e.g. `PERF_BENCH_DAYS=30`).

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use batchsim::cli::run::{run_to_dir, summarize};
use batchsim::scenario::load::{load, load_str, CliOverrides};
use batchsim::schedule::{self, Schedule};
use batchsim::sim::time::Time;

// The CLI's allocator (declared in src/main.rs, not in the library), so these figures measure
// what `batchsim` runs.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn days(default: u32) -> u32 {
    std::env::var("PERF_BENCH_DAYS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn until(d: u32) -> CliOverrides {
    CliOverrides {
        until: Some(format!("{d}d")),
        ..CliOverrides::default()
    }
}

/// 100 CronJobs whose schedules differ in period, offset, hours and weekdays; each runs a
/// 20-second container under one of the three policies.
fn hundred_cronjobs() -> String {
    let mut out = String::new();
    for i in 0..100u32 {
        let schedule = match i % 5 {
            0 => format!("*/{} * * * *", 1 + i % 15),
            1 => format!("{} * * * *", i % 60),
            2 => format!("{} */{} * * *", i % 60, 1 + i % 6),
            3 => format!("*/{} 8-18 * * 1-5", 2 + i % 10),
            _ => format!("{} {} * * *", i % 60, i % 24),
        };
        let policy = ["Allow", "Forbid", "Replace"][(i % 3) as usize];
        out.push_str(&format!(
            r#"apiVersion: batch/v1
kind: CronJob
metadata:
  name: cron-{i:03}
spec:
  schedule: "{schedule}"
  concurrencyPolicy: {policy}
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: work
            image: busybox
            args: ["/bin/sh", "-c", "sleep 20"]
          restartPolicy: OnFailure
---
"#
        ));
    }
    out
}

fn engine_runs(c: &mut Criterion) {
    let year = days(365);
    let replace = load(
        &["scenarios/lecture/cronjob-replace.yaml".into()],
        &until(year),
    )
    .expect("hello-2 loads")
    .scenario;
    let events = summarize(&replace).1.events;
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("perf-bench-out");

    let mut group = c.benchmark_group("hello-2-replace");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events));
    group.bench_function(format!("(a) {year} d, every file written"), |b| {
        b.iter(|| run_to_dir(&replace, &out, &[]).expect("run writes"))
    });
    group.bench_function(format!("(b) {year} d, --summary-only"), |b| {
        b.iter(|| summarize(&replace))
    });
    group.finish();

    let month = days(30);
    let many = load_str("hundred.yaml", &hundred_cronjobs(), &until(month))
        .expect("100 CronJobs load")
        .scenario;
    let events = summarize(&many).1.events;
    let mut group = c.benchmark_group("hundred-cronjobs");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events));
    group.bench_function(format!("(d) {month} d, --summary-only"), |b| {
        b.iter(|| summarize(&many))
    });
    group.bench_function(format!("(d) {month} d, every file written"), |b| {
        b.iter(|| run_to_dir(&many, &out, &[]).expect("run writes"))
    });
    group.finish();
}

fn schedules(c: &mut Criterion) {
    const N: u64 = 525_600;
    let start = Time(1_637_841_600_000); // 2021-11-25T12:00:00Z
    let mut group = c.benchmark_group("schedule-next");
    group.sample_size(20);
    group.throughput(Throughput::Elements(N));
    for expr in ["*/1 * * * *", "30 4 * * 1-5"] {
        let spec = schedule::controller_spec(expr, Some("Europe/Berlin"));
        let sched = Schedule::parse_standard(&spec).expect("parses");
        group.bench_function(
            format!("(c) {N} x next of {expr:?} in Europe/Berlin"),
            |b| {
                b.iter(|| {
                    let mut t = start;
                    for _ in 0..N {
                        t = sched.next(t, chrono_tz::UTC).expect("fires");
                    }
                    t
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, schedules, engine_runs);
criterion_main!(benches);
