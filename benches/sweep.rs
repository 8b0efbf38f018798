//! The sweep's speed-up figure: a sweep of 1000 runs of a one-day, every-minute
//! CronJob (`scenarios/sweep/minutely-1d.yaml`), with 1 and with 2 worker threads. The ratio of
//! the two times is the speed-up reported in the README.
//!
//! Run with `cargo bench --bench sweep`; `SWEEP_BENCH_RUNS` lowers the run count for a quick look.

use criterion::{criterion_group, criterion_main, Criterion};

use batchsim::scenario::load::{load, CliOverrides};
use batchsim::studies::sweep::{self, SweepOptions};

// The CLI's allocator (declared in src/main.rs, not in the library), so these figures measure
// what `batchsim` runs.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn bench(c: &mut Criterion) {
    let loaded = load(
        &["scenarios/sweep/minutely-1d.yaml".into()],
        &CliOverrides::default(),
    )
    .expect("benchmark scenario loads");
    let runs: u64 = std::env::var("SWEEP_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let variants = sweep::sweep_variants(&loaded.scenario, None).expect("variants");
    let mut group = c.benchmark_group("sweep-minutely-1d");
    // Each iteration is a whole sweep (seconds), so the minimum sample count is plenty.
    group.sample_size(10);
    for jobs in [1usize, 2] {
        let opts = SweepOptions {
            runs,
            seed: 1,
            jobs,
            shard: None,
            vary: None,
            metric: "slots_skipped".into(),
            progress: false,
        };
        group.bench_function(format!("{runs} runs, {jobs} thread(s)"), |b| {
            b.iter(|| sweep::run_rows(&variants, &opts, 0..runs).expect("sweep runs"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
