//! [`MeanAcc`]: an order-independent, mergeable accumulator for count, mean,
//! sample standard deviation, a 95% confidence interval for the mean, and
//! exact minimum and maximum.
//!
//! Representation, accuracy and range are documented on [`MeanAcc`].

use super::exact_sum::ExactSum;
use super::extrema::MinMax;
use super::interval::{Interval, t975};
use super::wide::{INV_SCALE, Wide, mul_u256_u64, quantize, square_i128, sub_u256, u256_to_f64};

/// Order-independent streaming accumulator of count, mean, sd, min and max.
///
/// # Representation
///
/// Each finite value `x` is rounded once to `q = round(x · 2^24)` (the same
/// 2^-24 fixed point as [`ExactSum`]). The accumulator keeps
///
/// * `n`, the number of finite values,
/// * `S1 = Σ q` in an [`ExactSum`] (units of 2^-24),
/// * `S2 = Σ q²` exactly, in a 256-bit integer (units of 2^-48), and
/// * the exact minimum and maximum under IEEE total order.
///
/// All of these are exact integer sums or order-independent extrema, so every
/// result is bit-identical for the same multiset of inputs regardless of
/// insertion order or merge tree.
///
/// # Accuracy
///
/// Mean and variance are those of the *rounded* values `q · 2^-24`
/// (absolute resolution 2^-24 ≈ 6e-8 per value, so rescale data whose natural
/// scale is below ~1e-3 before adding it). The variance is computed from the
/// exact integer `D = n·S2 − S1²` (≥ 0 by Cauchy–Schwarz) as
/// `D · 2^-48 / (n (n − 1))`; only the final conversions to `f64` round, so
/// the result has a relative error of a few ulps and constant data gives an
/// sd of exactly 0 — there is no catastrophic cancellation.
///
/// # Range
///
/// The exact variance path needs |S1| < 2^128 (|Σx| < 2^104 ≈ 2e31) and
/// `n · S2 < 2^256`; for |x| ≤ 1e13 (|q| ≤ 2^67.2) both hold for any
/// n ≤ 2^60 ≈ 1.15e18, far beyond 10^7 runs. If it
/// ever fails, the variance falls back to the (deterministic, but
/// cancellation-prone) `f64` formula `(S2/n − mean²) · n/(n − 1)`. `S2` itself
/// wraps only once Σx² ≥ 2^207 ≈ 2e62. Nothing here panics.
///
/// Non-finite inputs are ignored and counted (see [`MeanAcc::nonfinite`]).
#[derive(Clone, Debug, PartialEq)]
pub struct MeanAcc {
    /// Number of finite values added.
    n: u64,
    /// Σ round(x · 2^24) (and the count of ignored non-finite values).
    sum: ExactSum,
    /// Σ round(x · 2^24)², exact, in units of 2^-48.
    sum_sq: Wide,
    /// Exact minimum and maximum (IEEE total order).
    extrema: MinMax,
}

impl Default for MeanAcc {
    fn default() -> Self {
        Self::new()
    }
}

impl MeanAcc {
    /// An empty accumulator. Does not allocate.
    pub const fn new() -> Self {
        MeanAcc {
            n: 0,
            sum: ExactSum::new(),
            sum_sq: Wide::ZERO,
            extrema: MinMax::EMPTY,
        }
    }

    /// Adds one value. Non-finite values are ignored and counted.
    #[inline]
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            self.sum.count_nonfinite();
            return;
        }
        let q = quantize(x);
        self.n = self.n.wrapping_add(1);
        self.sum.add_quantized(q);
        let (hi, lo) = square_i128(q);
        self.sum_sq.add_u256(hi, lo);
        self.extrema.add(x);
    }

    /// Adds everything accumulated in `other` into `self`.
    pub fn merge(&mut self, other: &MeanAcc) {
        self.n = self.n.wrapping_add(other.n);
        self.sum.merge(&other.sum);
        self.sum_sq.add_wide(&other.sum_sq);
        self.extrema.merge(&other.extrema);
    }

    /// Number of finite values added.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Number of non-finite values that were ignored.
    pub fn nonfinite(&self) -> u64 {
        self.sum.nonfinite()
    }

    /// Sum of the (rounded) values.
    pub fn sum(&self) -> f64 {
        self.sum.value()
    }

    /// Arithmetic mean; `NaN` when empty.
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        // Values are summed rounded to 2^-24, which can put the mean of
        // values that are all alike (one run, say) just outside them; the
        // exact extremes bound it.
        (self.sum.value() / self.n as f64)
            .max(self.extrema.min())
            .min(self.extrema.max())
    }

    /// Sample variance (divisor n − 1); NaN for n < 2, where it is not
    /// defined.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            return f64::NAN;
        }
        let n = self.n as f64;
        let scale2 = INV_SCALE * INV_SCALE;
        if let Some(d) = self.exact_numerator() {
            // D · 2^-48 / n / (n - 1); scaling by 2^-48 is exact.
            return u256_to_f64(d.0, d.1) * scale2 / n / (n - 1.0);
        }
        // Fallback far outside the documented range.
        let mean = self.mean();
        let s2 = self.sum_sq.to_f64() * scale2;
        ((s2 / n - mean * mean) * (n / (n - 1.0))).max(0.0)
    }

    /// `n·S2 − S1²` computed exactly, if it fits in 256 bits.
    fn exact_numerator(&self) -> Option<(u128, u128)> {
        if self.sum_sq.is_negative() {
            return None; // S2 wrapped (Σx² ≥ 2^207)
        }
        let s2 = self.sum_sq.magnitude();
        let n_s2 = mul_u256_u64(s2.0, s2.1, self.n)?;
        let s1 = self.sum.raw().magnitude();
        if s1.0 != 0 {
            return None;
        }
        let s1_sq = super::wide::mul_u128(s1.1, s1.1);
        sub_u256(n_s2, s1_sq)
    }

    /// Sample standard deviation (divisor n − 1); NaN for n < 2.
    pub fn sd(&self) -> f64 {
        self.variance().sqrt()
    }

    /// 95% confidence interval for the mean, Student's t:
    /// `mean ± t(0.975, n − 1) · sd / √n` (for thousands of runs the normal
    /// interval to four digits; wider, as it must be, for a handful). For
    /// n < 2 the bounds are NaN: one value says nothing of the spread
    /// (the estimate is NaN too when empty).
    pub fn ci95(&self) -> Interval {
        let mean = self.mean();
        if self.n < 2 {
            return Interval {
                estimate: mean,
                low: f64::NAN,
                high: f64::NAN,
            };
        }
        let half = t975(self.n - 1) * self.sd() / (self.n as f64).sqrt();
        Interval {
            estimate: mean,
            low: mean - half,
            high: mean + half,
        }
    }

    /// Exact minimum of the added values (IEEE total order, so −0.0 < +0.0);
    /// `NaN` when empty.
    pub fn min(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.extrema.min() }
    }

    /// Exact maximum of the added values (IEEE total order); `NaN` when
    /// empty.
    pub fn max(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.extrema.max() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::seq::SliceRandom;
    use rand::{RngExt, SeedableRng};

    #[test]
    fn the_mean_lies_within_the_values() {
        // One run's total cost: rounded to 2^-24 it was 541.0129261612892.
        let x = 541.0129261820671;
        let mut m = MeanAcc::new();
        m.add(x);
        assert_eq!((m.mean(), m.min(), m.max()), (x, x, x));
        for _ in 0..9 {
            m.add(x);
        }
        assert_eq!(m.mean(), x);
        let mut m = MeanAcc::new();
        m.add(-x);
        assert_eq!(m.mean(), -x);
    }
    use rand_chacha::ChaCha8Rng;

    fn acc_of(xs: &[f64]) -> MeanAcc {
        let mut a = MeanAcc::new();
        for &x in xs {
            a.add(x);
        }
        a
    }

    #[test]
    fn known_small_data() {
        // Classic example: mean 5, population sd 2, sample var 32/7.
        let a = acc_of(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(a.count(), 8);
        assert_eq!(a.mean(), 5.0);
        assert_eq!(a.variance(), 32.0 / 7.0);
        assert!((a.sd() - (32.0f64 / 7.0).sqrt()).abs() < 1e-15);
        assert_eq!(a.min(), 2.0);
        assert_eq!(a.max(), 9.0);
        let ci = a.ci95();
        // Student's t with 7 degrees of freedom: 2.3646.
        let half = 2.364624251592784 * (32.0f64 / 7.0).sqrt() / 8f64.sqrt();
        assert!((ci.half_width() - half).abs() < 1e-12);
        assert_eq!(ci.estimate, 5.0);
        assert!((ci.low - (5.0 - half)).abs() < 1e-12);

        let b = acc_of(&[-1.5, 0.5]);
        assert_eq!(b.mean(), -0.5);
        assert_eq!(b.variance(), 2.0);
    }

    #[test]
    fn constant_data_has_zero_sd() {
        let a = acc_of(&[1_234_567.891; 1000]);
        assert_eq!(a.sd(), 0.0);
        assert!((a.mean() - 1_234_567.891).abs() < 1e-7);
        let b = acc_of(&[1e13; 100]);
        assert_eq!(b.sd(), 0.0);
        assert_eq!(b.mean(), 1e13);
    }

    #[test]
    fn small_n_and_empty() {
        let e = MeanAcc::new();
        assert_eq!(e.count(), 0);
        assert!(e.mean().is_nan() && e.min().is_nan() && e.max().is_nan());
        assert!(e.sd().is_nan());
        let ci = e.ci95();
        assert!(ci.estimate.is_nan() && ci.low.is_nan() && ci.high.is_nan());
        // One value: a mean, but no spread and no interval.
        let one = acc_of(&[3.25]);
        assert!(one.sd().is_nan() && one.variance().is_nan());
        let ci = one.ci95();
        assert_eq!(ci.estimate, 3.25);
        assert!(ci.low.is_nan() && ci.high.is_nan());
        // Three values: the t interval, much wider than the normal one.
        let three = acc_of(&[1.0, 2.0, 6.0]);
        let half = 4.302652729749462 * three.sd() / 3f64.sqrt();
        assert!((three.ci95().half_width() - half).abs() < 1e-12);
        assert_eq!(MeanAcc::default(), e);
    }

    #[test]
    fn matches_two_pass_on_random_data() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let xs: Vec<f64> = (0..50_000).map(|_| 1e6 + rng.random::<f64>() * 1e3).collect();
        let a = acc_of(&xs);
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
        assert!((a.mean() - mean).abs() < 1e-6, "{} vs {mean}", a.mean());
        assert!((a.variance() / var - 1.0).abs() < 1e-9, "{} vs {var}", a.variance());
    }

    #[test]
    fn merge_equals_sequential_to_the_bit() {
        let mut rng = ChaCha8Rng::seed_from_u64(12);
        let xs: Vec<f64> = (0..10_000)
            .map(|_| (rng.random::<f64>() - 0.3) * 1e4 * rng.random::<f64>())
            .collect();
        let seq = acc_of(&xs);
        for chunk in [1usize, 3, 100, 4096] {
            let mut ys = xs.clone();
            ys.shuffle(&mut rng);
            let mut parts: Vec<MeanAcc> = ys.chunks(chunk).map(acc_of).collect();
            parts.reverse();
            while parts.len() > 1 {
                let b = parts.pop().unwrap_or_default();
                let mut a = parts.pop().unwrap_or_default();
                a.merge(&b);
                parts.insert(0, a);
            }
            let merged = parts.pop().unwrap_or_default();
            assert_eq!(merged, seq);
            assert_eq!(merged.mean().to_bits(), seq.mean().to_bits());
            assert_eq!(merged.sd().to_bits(), seq.sd().to_bits());
            assert_eq!(merged.min().to_bits(), seq.min().to_bits());
            assert_eq!(merged.max().to_bits(), seq.max().to_bits());
            assert_eq!(merged.ci95(), seq.ci95());
        }
    }

    #[test]
    fn nonfinite_and_signed_zero() {
        let mut a = acc_of(&[0.0, -0.0, f64::NAN, f64::INFINITY]);
        assert_eq!(a.count(), 2);
        assert_eq!(a.nonfinite(), 2);
        assert_eq!(a.min().to_bits(), (-0.0f64).to_bits());
        assert_eq!(a.max().to_bits(), 0.0f64.to_bits());
        let b = acc_of(&[-0.0, 0.0]);
        assert_eq!(a, b.clone().tap_merge(&acc_of(&[f64::NAN, f64::NEG_INFINITY])));
        a.add(1.0);
        assert_eq!(a.count(), 3);
    }

    #[test]
    fn huge_values_do_not_panic() {
        let a = acc_of(&[f64::MAX, -f64::MAX, 1e30, 1e13, -1e13]);
        assert_eq!(a.count(), 5);
        assert!(a.sd() >= 0.0);
        assert_eq!(a.max(), f64::MAX);
        let mut b = acc_of(&[1e13, -1e13, 3e12]);
        for _ in 0..40 {
            let c = b.clone();
            b.merge(&c);
        }
        assert_eq!(b.count(), 3 << 40);
        assert!((b.mean() - 1e12).abs() < 1e-3, "{}", b.mean());
        // Deviations from the mean 1e12: 9e12, -1.1e13, 2e12.
        let expect_sd = ((81e24 + 121e24 + 4e24) / 3.0f64).sqrt();
        assert!((b.sd() / expect_sd - 1.0).abs() < 1e-9, "{} vs {expect_sd}", b.sd());
    }

    trait TapMerge {
        fn tap_merge(self, other: &MeanAcc) -> MeanAcc;
    }
    impl TapMerge for MeanAcc {
        fn tap_merge(mut self, other: &MeanAcc) -> MeanAcc {
            self.merge(other);
            self
        }
    }
}
