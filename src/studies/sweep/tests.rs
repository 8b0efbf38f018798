use super::*;

#[test]
fn shards_tile_the_runs() {
    let s = |i, n| Shard { index: i, count: n }.range(10);
    assert_eq!((s(0, 3), s(1, 3), s(2, 3)), (0..3, 3..6, 6..10));
    assert_eq!(s(0, 1), 0..10);
    assert_eq!(Shard::parse("2/4").unwrap(), Shard { index: 2, count: 4 });
    assert!(Shard::parse("4/4").is_err());
    assert!(Shard::parse("1").is_err());
}

#[test]
fn run_seeds_are_fixed_functions_of_seed_and_run() {
    assert_eq!(run_seed(1, 0), run_seed(1, 0));
    assert_ne!(run_seed(1, 0), run_seed(1, 1));
    assert_ne!(run_seed(1, 0), run_seed(2, 0));
}

#[test]
fn summary_by_hand() {
    let row = |run, v: &str| Row {
        run,
        seed: 0,
        variant: "A".into(),
        values: vec![v.to_string(); METRICS.len()],
    };
    let rows = vec![row(0, "1"), row(1, "2"), row(2, "3"), row(3, "10")];
    let s = &summarize(&rows, &["A".to_string()])[0];
    // mean 4, sd √((9+4+1+36)/3) = √(50/3) = 4.082; p5 = 1st, p50 = 2nd, p95 = 4th.
    assert_eq!(s.n, 4);
    assert_eq!(
        stat_cells(s)[3..].to_vec(),
        vec!["4.000", "4.082", "1.000", "2.000", "10.000", "1.000", "10.000"]
    );
}
