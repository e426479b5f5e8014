//! [`ExactSum`]: an order-independent, mergeable sum of `f64` values.
//!
//! Resolution, error and range are documented on [`ExactSum`].

use super::wide::{INV_SCALE, Wide, quantize};

/// An order-independent, mergeable sum of `f64` values using 2^-24 fixed
/// point in a 256-bit integer accumulator.
///
/// # Representation
///
/// Every added value `x` is rounded to the nearest multiple of 2^-24 (ties to
/// even) and the resulting integer `round(x * 2^24)` is added to a 256-bit
/// two's-complement integer (an `i128` high half and a `u128` low half).
/// Integer addition is exact, associative and commutative, so the state — and
/// therefore [`ExactSum::value`] — depends only on the multiset of added
/// values, never on their order or on how partial sums were merged.
///
/// # Resolution and error
///
/// * Resolution: 2^-24 ≈ 5.96e-8. Each addition contributes an absolute
///   rounding error of at most 2^-25 ≈ 2.98e-8; values with |x| ≤ 2^-25
///   contribute nothing. Values with |x| ≥ 2^28 ≈ 2.7e8 are already multiples
///   of 2^-24 and are added exactly.
/// * After N additions the absolute error versus the exact real sum is at most
///   N · 2^-25 (e.g. ≤ 0.3 for N = 10^7; typically ≈ √N · 1.7e-8), plus the
///   final conversion to `f64` in [`ExactSum::value`], which is correctly
///   rounded (≤ ½ ulp) while |sum| < 2^104 ≈ 2.0e31.
///
/// # Range
///
/// * Per value: |x| < 2^103 ≈ 1.0e31 is represented; larger finite values
///   saturate to ±(2^127 − 1)·2^-24 (still a pure function of `x`, so order
///   independence holds, but the sum is then wrong).
/// * Accumulator: no overflow is possible until |Σ round(x·2^24)| reaches
///   2^255, i.e. more than 2^128 additions even of saturated values. The design
///   target of values up to 1e13 in magnitude and 10^7 additions gives
///   |sum| ≤ 1e20, i.e. ≤ 1.7e27 ≈ 2^90.4 in fixed point: that would already
///   fit a plain `i128` (limit 2^127) with a factor 2^36 to spare, and the
///   256-bit accumulator removes any residual risk. All arithmetic is
///   wrapping, so nothing here can panic.
///
/// Non-finite inputs (NaN, ±∞) are ignored and counted separately.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExactSum {
    /// Sum of `round(x * 2^24)` over all finite added values.
    acc: Wide,
    /// Number of non-finite values passed to [`ExactSum::add`] (ignored).
    nonfinite: u64,
}

impl ExactSum {
    /// An empty sum (value 0). Does not allocate.
    pub const fn new() -> Self {
        ExactSum {
            acc: Wide::ZERO,
            nonfinite: 0,
        }
    }

    /// Adds `x`, rounded to the nearest multiple of 2^-24. Non-finite `x` is
    /// ignored and counted (see [`ExactSum::nonfinite`]).
    #[inline]
    pub fn add(&mut self, x: f64) {
        if x.is_finite() {
            self.acc.add_i128(quantize(x));
        } else {
            self.nonfinite = self.nonfinite.wrapping_add(1);
        }
    }

    /// Adds an already quantized value `round(x * 2^24)`.
    #[inline]
    pub(super) fn add_quantized(&mut self, q: i128) {
        self.acc.add_i128(q);
    }

    /// Counts one ignored non-finite value.
    #[inline]
    pub(super) fn count_nonfinite(&mut self) {
        self.nonfinite = self.nonfinite.wrapping_add(1);
    }

    /// The raw fixed-point accumulator (units of 2^-24).
    pub(super) fn raw(&self) -> &Wide {
        &self.acc
    }

    /// Adds everything accumulated in `other` into `self`.
    pub fn merge(&mut self, other: &ExactSum) {
        self.acc.add_wide(&other.acc);
        self.nonfinite = self.nonfinite.wrapping_add(other.nonfinite);
    }

    /// The sum as an `f64` (correctly rounded from the exact fixed-point sum
    /// while |sum| < 2^104).
    pub fn value(&self) -> f64 {
        // Scaling by a power of two is exact here (no overflow or underflow:
        // a nonzero sum has magnitude >= 2^-24).
        self.acc.to_f64() * INV_SCALE
    }

    /// Number of non-finite values that were ignored.
    pub fn nonfinite(&self) -> u64 {
        self.nonfinite
    }
}

#[cfg(test)]
// The system's math functions make test inputs and expected values here;
// no output depends on them (see src/math.rs).
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use rand::seq::SliceRandom;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn sum_of(xs: &[f64]) -> ExactSum {
        let mut s = ExactSum::new();
        for &x in xs {
            s.add(x);
        }
        s
    }

    /// Sums chunks separately and merges them as a balanced binary tree.
    fn tree_sum(xs: &[f64], chunk: usize) -> ExactSum {
        let mut parts: Vec<ExactSum> = xs.chunks(chunk).map(sum_of).collect();
        while parts.len() > 1 {
            let mut next = Vec::new();
            for pair in parts.chunks(2) {
                let mut a = pair[0].clone();
                if let Some(b) = pair.get(1) {
                    a.merge(b);
                }
                next.push(a);
            }
            parts = next;
        }
        parts.pop().unwrap_or_default()
    }

    fn data(seed: u64, n: usize) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..n)
            .map(|i| {
                let u: f64 = rng.random();
                match i % 4 {
                    0 => (u - 0.5) * 1e9,
                    1 => u * 1e-3,
                    2 => -(u * 1e6),
                    _ => (u - 0.5) * 7.25,
                }
            })
            .collect()
    }

    #[test]
    fn order_and_merge_tree_independent() {
        let xs = data(1, 20_000);
        let reference = sum_of(&xs);
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        for chunk in [1usize, 7, 1000, 20_000] {
            let mut ys = xs.clone();
            ys.shuffle(&mut rng);
            let t = tree_sum(&ys, chunk);
            assert_eq!(t, reference);
            assert_eq!(t.value().to_bits(), reference.value().to_bits());
            // Left fold of chunk sums in reverse order.
            let mut f = ExactSum::new();
            for c in ys.chunks(chunk).rev() {
                f.merge(&sum_of(c));
            }
            assert_eq!(f.value().to_bits(), reference.value().to_bits());
        }
        // A naive f64 sum is order dependent on this data; ExactSum is not.
        let mut rev = xs.clone();
        rev.reverse();
        assert_eq!(sum_of(&rev).value().to_bits(), reference.value().to_bits());
    }

    #[test]
    fn close_to_naive_sum() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let xs: Vec<f64> = (0..10_000).map(|_| rng.random::<f64>() * 100.0).collect();
        let naive: f64 = xs.iter().sum();
        let exact = sum_of(&xs).value();
        assert!((exact - naive).abs() <= 1e-6 * naive.abs(), "{exact} vs {naive}");
        // Worst-case absolute bound: N * 2^-25 rounding + naive-sum error.
        let bound = xs.len() as f64 * INV_SCALE / 2.0 + 1e-9;
        assert!((exact - naive).abs() <= bound, "{exact} vs {naive}");

        // Small moderate data: absolute agreement within 1e-6.
        let ys: Vec<f64> = (0..100).map(|i| (i as f64 * 0.37).sin() * 10.0).collect();
        let naive: f64 = ys.iter().sum();
        assert!((sum_of(&ys).value() - naive).abs() < 1e-6);
    }

    #[test]
    fn exact_for_grid_values_and_cancellation() {
        let mut s = ExactSum::new();
        s.add(1e13);
        s.add(0.25);
        s.add(-1e13);
        assert_eq!(s.value(), 0.25);
        assert_eq!(sum_of(&[]).value(), 0.0);
        assert_eq!(sum_of(&[-3.5, 1.0]).value(), -2.5);
        // Below half the resolution rounds to zero.
        assert_eq!(sum_of(&[1e-9; 1000]).value(), 0.0);
    }

    #[test]
    fn large_values_do_not_panic() {
        let mut s = ExactSum::new();
        for _ in 0..1000 {
            s.add(f64::MAX);
            s.add(1e30);
            s.add(-f64::MAX);
        }
        assert!(s.value().is_finite());
        // Saturation is symmetric, so ±f64::MAX cancel exactly.
        let expect = (1e30f64 as u128 * 1000) as f64;
        assert!((s.value() - expect).abs() <= expect * f64::EPSILON, "{}", s.value());
        let mut t = ExactSum::new();
        for _ in 0..10_000 {
            t.add(f64::MAX);
        }
        let mut u = t.clone();
        for _ in 0..20 {
            let c = u.clone();
            u.merge(&c);
        }
        assert!(u.value().is_finite() && u.value() > 0.0);
        // 1e13 added 10^7 times, done by merging: exact.
        let mut one = ExactSum::new();
        one.add(1e13);
        let mut big = ExactSum::new();
        for _ in 0..10_000 {
            big.merge(&one);
        }
        let mut total = ExactSum::new();
        for _ in 0..1000 {
            total.merge(&big);
        }
        assert_eq!(total.value(), 1e20);
    }

    #[test]
    fn nonfinite_ignored_and_counted() {
        let mut s = ExactSum::new();
        s.add(1.0);
        s.add(f64::NAN);
        s.add(f64::INFINITY);
        s.add(f64::NEG_INFINITY);
        assert_eq!(s.value(), 1.0);
        assert_eq!(s.nonfinite(), 3);
        let mut t = ExactSum::new();
        t.add(f64::NAN);
        t.merge(&s);
        assert_eq!(t.nonfinite(), 4);
        assert_eq!(t.value(), 1.0);
    }
}
