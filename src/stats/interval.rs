//! Confidence intervals: the [`Interval`] type and the Wilson score interval
//! for a binomial proportion.

/// The two-sided 95% standard normal quantile, Φ⁻¹(0.975).
pub const Z95: f64 = 1.959963984540054;

/// A point estimate with a confidence interval `[low, high]`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Interval {
    /// The point estimate.
    pub estimate: f64,
    /// Lower bound of the interval.
    pub low: f64,
    /// Upper bound of the interval.
    pub high: f64,
}

impl Interval {
    /// Half the width of the interval, `(high - low) / 2`.
    pub fn half_width(&self) -> f64 {
        (self.high - self.low) / 2.0
    }
}

/// Wilson score 95% interval for a binomial proportion.
///
/// `estimate` is the sample proportion `successes / trials`; `low` and `high`
/// are the Wilson score bounds with `z = Z95`, clamped to `[0, 1]` (and,
/// against rounding, to contain the estimate; `low` is exactly 0 when there
/// are no successes and `high` exactly 1 when all trials succeed). For
/// `trials == 0` returns estimate 0, low 0, high 1. `successes` larger than
/// `trials` is treated as `trials`.
pub fn wilson(successes: u64, trials: u64) -> Interval {
    if trials == 0 {
        return Interval {
            estimate: 0.0,
            low: 0.0,
            high: 1.0,
        };
    }
    let n = trials as f64;
    let p = successes.min(trials) as f64 / n;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    // Mathematically low <= p <= high, with low == 0 iff successes == 0 and
    // high == 1 iff successes == trials; enforce this against rounding.
    let low = if p == 0.0 { 0.0 } else { (center - half).clamp(0.0, p) };
    let high = if p == 1.0 { 1.0 } else { (center + half).clamp(p, 1.0) };
    Interval { estimate: p, low, high }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Independent computation: the Wilson bounds are the roots in `p` of
    /// `(p̂ - p)² = z² p (1 - p) / n`, i.e. of
    /// `(1 + z²/n) p² - (2p̂ + z²/n) p + p̂² = 0`.
    fn wilson_by_quadratic(s: u64, n: u64) -> (f64, f64) {
        let nf = n as f64;
        let ph = s as f64 / nf;
        let z2 = Z95 * Z95;
        let a = 1.0 + z2 / nf;
        let b = -(2.0 * ph + z2 / nf);
        let c = ph * ph;
        let disc = (b * b - 4.0 * a * c).max(0.0).sqrt();
        ((-b - disc) / (2.0 * a), (-b + disc) / (2.0 * a))
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn wilson_matches_closed_form() {
        for &(s, n) in &[(0u64, 10u64), (5, 10), (10, 10), (50, 100), (81, 263), (1, 1000)] {
            let iv = wilson(s, n);
            let (lo, hi) = wilson_by_quadratic(s, n);
            assert!(close(iv.low, lo.max(0.0), 1e-12), "{s}/{n}: {iv:?} vs {lo}");
            assert!(close(iv.high, hi.min(1.0), 1e-12), "{s}/{n}: {iv:?} vs {hi}");
            assert_eq!(iv.estimate, s as f64 / n as f64);
            assert!(iv.low <= iv.estimate && iv.estimate <= iv.high);
        }
    }

    #[test]
    fn wilson_known_values() {
        let z2 = Z95 * Z95;
        // 0 of n: low 0, high z²/(n+z²).
        let iv = wilson(0, 10);
        assert_eq!(iv.low, 0.0);
        assert!(close(iv.high, z2 / (10.0 + z2), 1e-12));
        assert!(close(iv.high, 0.27753, 1e-5));
        // n of n: low n/(n+z²), high 1.
        let iv = wilson(10, 10);
        assert_eq!(iv.high, 1.0);
        assert!(close(iv.low, 10.0 / (10.0 + z2), 1e-12));
        assert!(close(iv.low, 0.72247, 1e-5));
        // Symmetric cases.
        let iv = wilson(5, 10);
        assert!(close(iv.low, 0.23659, 1e-5), "{iv:?}");
        assert!(close(iv.high, 0.76341, 1e-5), "{iv:?}");
        assert!(close(iv.low + iv.high, 1.0, 1e-12));
        let iv = wilson(50, 100);
        assert!(close(iv.low, 0.40383, 1e-5), "{iv:?}");
        assert!(close(iv.high, 0.59617, 1e-5), "{iv:?}");
        // Classic textbook example: 81 of 263.
        let iv = wilson(81, 263);
        assert!(close(iv.low, 0.2553, 5e-5), "{iv:?}");
        assert!(close(iv.high, 0.3662, 5e-5), "{iv:?}");
    }

    #[test]
    fn wilson_edge_cases() {
        let iv = wilson(0, 0);
        assert_eq!(
            iv,
            Interval {
                estimate: 0.0,
                low: 0.0,
                high: 1.0
            }
        );
        assert_eq!(iv.half_width(), 0.5);
        // successes > trials is clamped rather than producing nonsense.
        assert_eq!(wilson(20, 10), wilson(10, 10));
        let iv = wilson(3, u64::MAX);
        assert!(iv.low >= 0.0 && iv.high <= 1.0 && iv.low <= iv.high);
    }
}
