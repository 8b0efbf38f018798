//! Random run times, failures and start-up latencies.
//!
//! A [`Distribution`] is a validated description; sampling takes any `rand` generator, and the
//! kubelet passes it a ChaCha stream derived from (scenario seed, pod, container, restart), so a
//! draw depends only on the object that needs it, never on how many other objects exist.
//!
//! Every sample is whole milliseconds, never negative, so the engine stays integer-timed.

use std::sync::Arc;

use rand::Rng;
use rand_distr::{Distribution as _, Exp1, StandardNormal};

use crate::sim::time::Millis;

/// The standard normal quantile of 0.95: a lognormal's p95 is `median · exp(σ · Z95)`.
pub const Z95: f64 = 1.644_853_626_951_472_2;

/// How many redraws a truncated normal may take before giving up at 0 (the mean is ≥ 0, so each
/// draw is accepted with probability ≥ 1/2 and this bound is never reached in practice).
const MAX_REDRAWS: u32 = 1_000;

/// Why a distribution is invalid; `field` is relative to the distribution (e.g. `lognormal.p95`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct DistError {
    /// Path of the offending field below the distribution's own field.
    pub field: String,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl DistError {
    /// An error about `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> DistError {
        DistError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A distribution of non-negative durations in milliseconds.
#[derive(Clone, Debug, PartialEq)]
pub enum Distribution {
    /// Always this value.
    Fixed(Millis),
    /// Uniform on whole milliseconds in `[min, max]`.
    Uniform {
        /// Smallest value.
        min: Millis,
        /// Largest value (inclusive).
        max: Millis,
    },
    /// Normal, truncated at 0 by redrawing negative values (so the mean shifts up when `sd` is
    /// large compared with `mean`).
    Normal {
        /// Mean before truncation.
        mean: Millis,
        /// Standard deviation before truncation.
        sd: Millis,
    },
    /// Lognormal given as operators know their jobs: the median and the 95th percentile.
    LogNormal {
        /// Median (`exp μ`).
        median: Millis,
        /// 95th percentile (`exp(μ + 1.6448536 σ)`).
        p95: Millis,
    },
    /// Exponential with this mean (memoryless arrivals/run times).
    Exponential {
        /// Mean.
        mean: Millis,
    },
    /// Resampling of observed durations, each equally likely.
    Empirical(Arc<Vec<Millis>>),
}

impl Distribution {
    /// A uniform distribution; `min ≤ max`.
    pub fn uniform(min: Millis, max: Millis) -> Result<Distribution, DistError> {
        non_negative("uniform.min", min)?;
        non_negative("uniform.max", max)?;
        if max < min {
            return Err(DistError::new(
                "uniform.max",
                format!("must be greater than or equal to min ({max} ms < {min} ms)"),
            ));
        }
        Ok(Distribution::Uniform { min, max })
    }

    /// A normal distribution truncated at 0.
    pub fn normal(mean: Millis, sd: Millis) -> Result<Distribution, DistError> {
        non_negative("normal.mean", mean)?;
        non_negative("normal.sd", sd)?;
        Ok(Distribution::Normal { mean, sd })
    }

    /// A lognormal distribution from its median and p95; `0 < median ≤ p95`.
    pub fn lognormal(median: Millis, p95: Millis) -> Result<Distribution, DistError> {
        if median <= 0 {
            return Err(DistError::new(
                "lognormal.median",
                "must be greater than 0 (a lognormal has no zero median)",
            ));
        }
        if p95 < median {
            return Err(DistError::new(
                "lognormal.p95",
                format!("must be greater than or equal to the median ({p95} ms < {median} ms)"),
            ));
        }
        Ok(Distribution::LogNormal { median, p95 })
    }

    /// An exponential distribution with this mean.
    pub fn exponential(mean: Millis) -> Result<Distribution, DistError> {
        non_negative("exponential.mean", mean)?;
        Ok(Distribution::Exponential { mean })
    }

    /// Resampling of observed values; at least one, none negative.
    pub fn empirical(values: Vec<Millis>) -> Result<Distribution, DistError> {
        if values.is_empty() {
            return Err(DistError::new(
                "empirical",
                "needs at least one observed duration",
            ));
        }
        if let Some((i, v)) = values.iter().enumerate().find(|(_, v)| **v < 0) {
            return Err(DistError::new(
                format!("empirical[{i}]"),
                format!("must not be negative ({v} ms)"),
            ));
        }
        Ok(Distribution::Empirical(Arc::new(values)))
    }

    /// `(μ, σ)` of the underlying normal of a lognormal.
    pub fn lognormal_params(median: Millis, p95: Millis) -> (f64, f64) {
        let mu = (median as f64).ln();
        (mu, ((p95 as f64).ln() - mu) / Z95)
    }

    /// One draw, in whole milliseconds, never negative.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Millis {
        match self {
            Distribution::Fixed(v) => *v,
            Distribution::Uniform { min, max } => rng.random_range(*min..=*max),
            Distribution::Normal { mean, sd } => {
                for _ in 0..MAX_REDRAWS {
                    let z: f64 = StandardNormal.sample(rng);
                    let x = *mean as f64 + *sd as f64 * z;
                    if x >= 0.0 {
                        return to_millis(x);
                    }
                }
                0
            }
            Distribution::LogNormal { median, p95 } => {
                let (mu, sigma) = Distribution::lognormal_params(*median, *p95);
                let z: f64 = StandardNormal.sample(rng);
                to_millis((mu + sigma * z).exp())
            }
            Distribution::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                to_millis(*mean as f64 * e)
            }
            Distribution::Empirical(values) => values[rng.random_range(0..values.len())],
        }
    }

    /// A representative long value for the automatic horizon: the p95 of unbounded
    /// distributions, the maximum of bounded ones.
    pub fn representative(&self) -> Millis {
        match self {
            Distribution::Fixed(v) => *v,
            Distribution::Uniform { max, .. } => *max,
            Distribution::Normal { mean, sd } => to_millis(*mean as f64 + Z95 * *sd as f64),
            Distribution::LogNormal { p95, .. } => *p95,
            // p95 of an exponential: −ln(0.05) · mean.
            Distribution::Exponential { mean } => to_millis(20f64.ln() * *mean as f64),
            Distribution::Empirical(values) => values.iter().copied().max().unwrap_or(0),
        }
    }

    /// A typical value (the median, or the mean where that is how it is given), used where a
    /// single fixed latency must still be shown.
    pub fn typical(&self) -> Millis {
        match self {
            Distribution::Fixed(v) => *v,
            Distribution::Uniform { min, max } => min + (max - min) / 2,
            Distribution::Normal { mean, .. } => *mean,
            Distribution::LogNormal { median, .. } => *median,
            Distribution::Exponential { mean } => *mean,
            Distribution::Empirical(values) => {
                let mut v: Vec<Millis> = values.to_vec();
                v.sort_unstable();
                v.get(v.len() / 2).copied().unwrap_or(0)
            }
        }
    }
}

fn non_negative(field: &str, v: Millis) -> Result<(), DistError> {
    if v < 0 {
        Err(DistError::new(
            field,
            format!("must not be negative ({v} ms)"),
        ))
    } else {
        Ok(())
    }
}

/// Rounds a sample to whole milliseconds, clamping at 0 and at an (absurd) ten-year bound.
fn to_millis(x: f64) -> Millis {
    const MAX: f64 = 10.0 * 365.0 * 86_400_000.0;
    if x.is_nan() || x <= 0.0 {
        0
    } else {
        x.min(MAX).round() as Millis
    }
}

/// How a container fails: with `probability`, it exits with a code drawn from `codes`.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// Chance in `[0, 1]` that a run fails.
    pub probability: f64,
    /// Exit codes (non-zero) with their relative weights (positive).
    pub codes: Vec<(i32, f64)>,
}

impl Failure {
    /// A failure with one exit code.
    pub fn new(probability: f64, exit_code: i32) -> Result<Failure, DistError> {
        Failure::weighted(probability, vec![(exit_code, 1.0)])
    }

    /// A failure with an exit code drawn by weight.
    pub fn weighted(probability: f64, codes: Vec<(i32, f64)>) -> Result<Failure, DistError> {
        if !(0.0..=1.0).contains(&probability) {
            return Err(DistError::new(
                "probability",
                format!("must be between 0 and 1, got {probability}"),
            ));
        }
        if codes.is_empty() {
            return Err(DistError::new("exitCodes", "needs at least one exit code"));
        }
        for (i, (code, w)) in codes.iter().enumerate() {
            if !(1..=255).contains(code) {
                return Err(DistError::new(
                    format!("exitCodes[{i}].code"),
                    format!("a failure's exit code must be between 1 and 255, got {code}"),
                ));
            }
            if !(w.is_finite() && *w > 0.0) {
                return Err(DistError::new(
                    format!("exitCodes[{i}].weight"),
                    format!("must be greater than 0, got {w}"),
                ));
            }
        }
        Ok(Failure { probability, codes })
    }

    /// Draws the outcome: `Some(code)` when this run fails.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Option<i32> {
        let u: f64 = rng.random();
        if u >= self.probability {
            return None;
        }
        if self.codes.len() == 1 {
            return Some(self.codes[0].0);
        }
        let total: f64 = self.codes.iter().map(|(_, w)| w).sum();
        let mut x = rng.random::<f64>() * total;
        for (code, w) in &self.codes {
            if x < *w {
                return Some(*code);
            }
            x -= w;
        }
        self.codes.last().map(|(c, _)| *c)
    }
}

/// A container run whose duration and outcome are drawn at each start or restart.
#[derive(Clone, Debug, PartialEq)]
pub struct RandomRun {
    /// Run time from container start to exit.
    pub duration: Distribution,
    /// Chance of failing instead of exiting with the behaviour's exit code.
    pub failure: Option<Failure>,
}

impl RandomRun {
    /// Draws (run time, exit code if the run fails): duration first, then the failure, so adding
    /// a failure to a workload does not change its run times.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> (Millis, Option<i32>) {
        let d = self.duration.sample(rng);
        let code = self.failure.as_ref().and_then(|f| f.sample(rng));
        (d, code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::stream;

    const N: usize = 100_000;

    fn draws(d: &Distribution) -> Vec<Millis> {
        let mut rng = stream(42, "test", "dist");
        let mut v: Vec<Millis> = (0..N).map(|_| d.sample(&mut rng)).collect();
        v.sort_unstable();
        v
    }

    fn mean(v: &[Millis]) -> f64 {
        v.iter().map(|x| *x as f64).sum::<f64>() / v.len() as f64
    }

    /// Nearest-rank quantile of sorted values.
    fn quantile(v: &[Millis], q: f64) -> f64 {
        v[((q * v.len() as f64).ceil() as usize).max(1) - 1] as f64
    }

    fn within(actual: f64, expected: f64, rel: f64) {
        assert!(
            (actual - expected).abs() <= rel * expected,
            "{actual} not within {rel} of {expected}"
        );
    }

    #[test]
    fn lognormal_median_and_p95_within_one_percent() {
        // median 3 min, p95 7 min: the report job of scenarios/sweep/report-every-5m.yaml.
        let v = draws(&Distribution::lognormal(180_000, 420_000).unwrap());
        within(quantile(&v, 0.5), 180_000.0, 0.01);
        within(quantile(&v, 0.95), 420_000.0, 0.01);
        // Mean of a lognormal: exp(μ + σ²/2); σ = ln(7/3)/1.6448536 = 0.515126,
        // so the mean is 180 000 · exp(0.132677) = 205 539 ms.
        within(mean(&v), 205_539.0, 0.01);
    }

    #[test]
    fn truncated_normal_mean() {
        // mean 1 s, sd 1 s truncated at 0: μ + σ·φ(1)/Φ(1) = 1000 + 1000 · 0.241971/0.841345
        // = 1287.6 ms.
        let v = draws(&Distribution::normal(1_000, 1_000).unwrap());
        assert!(v[0] >= 0);
        within(mean(&v), 1_287.6, 0.01);
        // Untruncated in practice when sd is small: mean stays at 60 s.
        within(
            mean(&draws(&Distribution::normal(60_000, 5_000).unwrap())),
            60_000.0,
            0.01,
        );
    }

    #[test]
    fn uniform_bounds_and_mean() {
        let v = draws(&Distribution::uniform(10_000, 20_000).unwrap());
        assert_eq!(v[0], 10_000);
        assert_eq!(v[N - 1], 20_000);
        within(mean(&v), 15_000.0, 0.01);
        // Degenerate: min = max.
        assert_eq!(draws(&Distribution::uniform(5, 5).unwrap())[N - 1], 5);
    }

    #[test]
    fn exponential_mean_and_p95() {
        let v = draws(&Distribution::exponential(60_000).unwrap());
        within(mean(&v), 60_000.0, 0.01);
        // p95 = −ln(0.05) · 60 s = 179.74 s.
        within(quantile(&v, 0.95), 179_744.0, 0.02);
        assert_eq!(
            Distribution::exponential(60_000).unwrap().representative(),
            179_744
        );
    }

    #[test]
    fn empirical_resamples_each_value_equally() {
        let d = Distribution::empirical(vec![1_000, 2_000, 2_000, 9_000]).unwrap();
        let v = draws(&d);
        let ones = v.iter().filter(|x| **x == 1_000).count() as f64;
        let twos = v.iter().filter(|x| **x == 2_000).count() as f64;
        let nines = v.iter().filter(|x| **x == 9_000).count() as f64;
        assert_eq!(ones + twos + nines, N as f64);
        within(ones / N as f64, 0.25, 0.02);
        within(twos / N as f64, 0.5, 0.02);
        within(nines / N as f64, 0.25, 0.02);
        assert_eq!(d.representative(), 9_000);
        assert_eq!(d.typical(), 2_000);
    }

    #[test]
    fn failure_probability_and_weighted_codes() {
        let f = Failure::weighted(0.2, vec![(1, 3.0), (137, 1.0)]).unwrap();
        let mut rng = stream(7, "test", "failure");
        let outcomes: Vec<Option<i32>> = (0..N).map(|_| f.sample(&mut rng)).collect();
        let failed = outcomes.iter().filter(|o| o.is_some()).count() as f64;
        let ones = outcomes.iter().filter(|o| **o == Some(1)).count() as f64;
        within(failed / N as f64, 0.2, 0.02);
        within(ones / failed, 0.75, 0.02);
        assert_eq!(Failure::new(0.0, 1).unwrap().sample(&mut rng), None);
        assert_eq!(Failure::new(1.0, 3).unwrap().sample(&mut rng), Some(3));
    }

    #[test]
    fn invalid_parameters_name_their_field() {
        assert_eq!(
            Distribution::lognormal(180_000, 60_000)
                .unwrap_err()
                .to_string(),
            "lognormal.p95: must be greater than or equal to the median (60000 ms < 180000 ms)"
        );
        assert_eq!(
            Distribution::lognormal(0, 60_000).unwrap_err().field,
            "lognormal.median"
        );
        assert_eq!(
            Distribution::uniform(5, 4).unwrap_err().field,
            "uniform.max"
        );
        assert_eq!(
            Distribution::normal(-1, 4).unwrap_err().field,
            "normal.mean"
        );
        assert_eq!(
            Distribution::empirical(vec![]).unwrap_err().to_string(),
            "empirical: needs at least one observed duration"
        );
        assert_eq!(
            Failure::new(1.5, 1).unwrap_err().to_string(),
            "probability: must be between 0 and 1, got 1.5"
        );
        assert_eq!(Failure::new(-0.1, 1).unwrap_err().field, "probability");
        assert_eq!(Failure::new(0.1, 0).unwrap_err().field, "exitCodes[0].code");
    }

    #[test]
    fn same_stream_same_draws() {
        let d = Distribution::lognormal(1_000, 4_000).unwrap();
        let a: Vec<Millis> = {
            let mut r = stream(1, "runtime", "default/p/c/0");
            (0..5).map(|_| d.sample(&mut r)).collect()
        };
        let b: Vec<Millis> = {
            let mut r = stream(1, "runtime", "default/p/c/0");
            (0..5).map(|_| d.sample(&mut r)).collect()
        };
        assert_eq!(a, b);
    }
}
