//! Private helper: exact, order-independent minimum and maximum of `f64`
//! values under IEEE total order (so −0.0 < +0.0), kept as integer keys so
//! updates are branch-free.

/// Maps an `f64` to an `i64` whose signed order is the IEEE total order.
/// The map is an involution on the bit pattern (see [`from_key`]).
#[inline(always)]
fn key(x: f64) -> i64 {
    let k = x.to_bits() as i64;
    k ^ ((((k >> 63) as u64) >> 1) as i64)
}

/// Inverse of [`key`].
#[inline(always)]
fn from_key(k: i64) -> f64 {
    f64::from_bits((k ^ ((((k >> 63) as u64) >> 1) as i64)) as u64)
}

/// Running minimum and maximum under IEEE total order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct MinMax {
    /// Total-order key of the minimum (`i64::MAX` when empty).
    min: i64,
    /// Total-order key of the maximum (`i64::MIN` when empty).
    max: i64,
}

impl MinMax {
    /// No values yet.
    pub(super) const EMPTY: MinMax = MinMax {
        min: i64::MAX,
        max: i64::MIN,
    };

    /// Includes `x` (callers pass finite values only).
    #[inline(always)]
    pub(super) fn add(&mut self, x: f64) {
        let k = key(x);
        self.min = self.min.min(k);
        self.max = self.max.max(k);
    }

    /// Includes everything in `other`.
    #[inline]
    pub(super) fn merge(&mut self, other: &MinMax) {
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// The minimum (meaningless — a NaN pattern — when empty).
    #[inline]
    pub(super) fn min(&self) -> f64 {
        from_key(self.min)
    }

    /// The maximum (meaningless — a NaN pattern — when empty).
    #[inline]
    pub(super) fn max(&self) -> f64 {
        from_key(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_matches_total_cmp() {
        let xs = [
            f64::NEG_INFINITY,
            -f64::MAX,
            -1.5,
            -5e-324,
            -0.0,
            0.0,
            5e-324,
            1e-12,
            1.0,
            f64::MAX,
            f64::INFINITY,
        ];
        for w in xs.windows(2) {
            assert!(key(w[0]) < key(w[1]), "{} {}", w[0], w[1]);
        }
        for &x in &xs {
            assert_eq!(from_key(key(x)).to_bits(), x.to_bits());
        }
    }

    #[test]
    fn min_max_order_independent() {
        let mut a = MinMax::EMPTY;
        let mut b = MinMax::EMPTY;
        for x in [0.0, -0.0, 3.0, -2.0] {
            a.add(x);
        }
        for x in [-2.0, 3.0, -0.0, 0.0] {
            b.add(x);
        }
        assert_eq!(a, b);
        assert_eq!(a.min(), -2.0);
        assert_eq!(a.max(), 3.0);
        let mut c = MinMax::EMPTY;
        c.add(-0.0);
        let mut d = MinMax::EMPTY;
        d.add(0.0);
        d.merge(&c);
        assert_eq!(d.min().to_bits(), (-0.0f64).to_bits());
        assert_eq!(d.max().to_bits(), 0.0f64.to_bits());
    }
}
