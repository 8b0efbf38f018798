use super::*;

/// Pod A: Pending 0–0.5 s, Running until it is deleted at 2.5 s; pod B Pending from 1.5 s;
/// both request 100 m CPU. Bins are 1 s wide.
#[test]
fn bins_integrate_each_state_and_keep_peaks() {
    let mut b = LoadBinsBuilder::new(Time(0));
    b.change(Time(0), None, Some(PodState::Pending), 100, 0);
    b.change(
        Time(500),
        Some(PodState::Pending),
        Some(PodState::Running),
        100,
        0,
    );
    b.change(Time(1_500), None, Some(PodState::Pending), 100, 0);
    b.change(Time(2_500), Some(PodState::Running), None, 100, 0);
    let bins = b.finish(Time(3_000));
    assert_eq!(bins.width, 1_000);
    let got: Vec<([f64; 4], u32, f64, i64)> = bins
        .bins
        .iter()
        .map(|b| (b.pod_ms, b.peak_active, b.cpu_ms, b.peak_cpu))
        .collect();
    // [Running, CrashLoopBackOff, Terminating, Pending]
    assert_eq!(
        got,
        vec![
            ([500.0, 0.0, 0.0, 500.0], 1, 100_000.0, 100),
            ([1_000.0, 0.0, 0.0, 500.0], 2, 150_000.0, 200),
            ([500.0, 0.0, 0.0, 1_000.0], 2, 150_000.0, 200),
        ]
    );
}

/// 5000 s of one running pod do not fit 4096 one-second bins: the bins widen to 2 s and
/// the integral is unchanged.
#[test]
fn long_runs_widen_the_bins_without_losing_time() {
    let mut b = LoadBinsBuilder::new(Time(0));
    b.change(Time(0), None, Some(PodState::Running), 0, 0);
    b.change(Time(5_000_000), Some(PodState::Running), None, 0, 0);
    let bins = b.finish(Time(5_000_000));
    assert_eq!(bins.width, 2_000);
    assert_eq!(bins.bins.len(), 2_500);
    let total: f64 = bins.bins.iter().map(|b| b.pod_ms[0]).sum();
    assert_eq!(total, 5_000_000.0);
    assert!(bins.bins.iter().all(|b| b.peak_active == 1));
}
