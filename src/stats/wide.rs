//! Private 256-bit two's-complement integer helpers for the exact accumulators.
//!
//! Addition modulo 2^256 is associative and commutative, so a sum of integers
//! held in a [`Wide`] is independent of the order of the additions and of the
//! shape of any merge tree. With 256 bits the true sums used in this crate can
//! not come anywhere near wrapping (see the range notes in `exact_sum.rs` and
//! `mean.rs`), so the result is simply the exact integer sum.

/// Scale of the fixed-point representation: values are stored as integer
/// multiples of 2^-`FRAC_BITS`.
pub(super) const FRAC_BITS: i32 = 24;

/// 2^24 as an `f64`.
const SCALE: f64 = (1u64 << FRAC_BITS) as f64;

/// 2^-24 as an `f64`.
pub(super) const INV_SCALE: f64 = 1.0 / SCALE;

/// 2^52 + 2^51: adding and subtracting it rounds an `f64` of magnitude below
/// 2^51 to the nearest integer, ties to even (the IEEE default rounding mode,
/// which Rust guarantees).
const ROUND_MAGIC: f64 = 6_755_399_441_055_744.0;

/// 2^128 as an `f64`.
const TWO_POW_128: f64 = f64::from_bits((1023 + 128) << 52);

/// Rounds a finite `x` to the nearest multiple of 2^-24 (ties to even) and
/// returns that multiple as an integer, i.e. `round(x * 2^24)`.
///
/// The multiplication by a power of two is exact. Magnitudes whose scaled
/// value does not fit in an `i128` (|x| >= 2^103, about 1.0e31) saturate at
/// `±i128::MAX`; the result is still a pure function of `x`, so
/// order independence is unaffected.
#[inline]
pub(super) fn quantize(x: f64) -> i128 {
    let y = x * SCALE;
    if y.abs() < 2_251_799_813_685_248.0 {
        // |y| < 2^51: round with the magic constant, exact conversion.
        ((y + ROUND_MAGIC) - ROUND_MAGIC) as i64 as i128
    } else {
        // Larger (or saturating) magnitudes: rare, use the library rounding.
        // `as` saturates; clamp the negative side to -i128::MAX so that the
        // saturation is symmetric and x + (-x) still cancels exactly.
        (y.round_ties_even() as i128).max(-i128::MAX)
    }
}

/// A 256-bit two's-complement integer `hi * 2^128 + lo` with wrapping
/// addition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Wide {
    /// Low 128 bits (unsigned).
    lo: u128,
    /// High 128 bits (signed; carries the sign of the whole number).
    hi: i128,
}

impl Wide {
    /// Zero.
    pub(super) const ZERO: Wide = Wide { lo: 0, hi: 0 };

    /// Adds a signed 128-bit integer (sign-extended to 256 bits).
    #[inline]
    pub(super) fn add_i128(&mut self, v: i128) {
        let (lo, carry) = self.lo.overflowing_add(v as u128);
        self.lo = lo;
        // `v >> 127` is -1 for negative v and 0 otherwise (sign extension).
        self.hi = self.hi.wrapping_add((v >> 127) + i128::from(carry));
    }

    /// Adds an unsigned 256-bit integer given as `(hi, lo)`.
    #[inline]
    pub(super) fn add_u256(&mut self, hi: u128, lo: u128) {
        let (lo, carry) = self.lo.overflowing_add(lo);
        self.lo = lo;
        self.hi = self.hi.wrapping_add(hi as i128).wrapping_add(i128::from(carry));
    }

    /// Adds another `Wide` (wrapping modulo 2^256).
    #[inline]
    pub(super) fn add_wide(&mut self, other: &Wide) {
        self.add_u256(other.hi as u128, other.lo);
    }

    /// True if the number is negative.
    #[inline]
    pub(super) fn is_negative(&self) -> bool {
        self.hi < 0
    }

    /// Magnitude as an unsigned 256-bit `(hi, lo)` pair. The magnitude of the
    /// most negative value, 2^255, is representable.
    pub(super) fn magnitude(&self) -> (u128, u128) {
        if self.is_negative() {
            let lo = (!self.lo).wrapping_add(1);
            let hi = (!(self.hi as u128)).wrapping_add(u128::from(lo == 0));
            (hi, lo)
        } else {
            (self.hi as u128, self.lo)
        }
    }

    /// Converts to `f64`. Correctly rounded when |self| < 2^128; otherwise
    /// within about one ulp (two roundings). Deterministic in any case.
    pub(super) fn to_f64(self) -> f64 {
        let (hi, lo) = self.magnitude();
        let m = u256_to_f64(hi, lo);
        if self.is_negative() { -m } else { m }
    }
}

/// Converts an unsigned 256-bit `(hi, lo)` to `f64` (see [`Wide::to_f64`]).
pub(super) fn u256_to_f64(hi: u128, lo: u128) -> f64 {
    if hi == 0 {
        lo as f64
    } else {
        (hi as f64) * TWO_POW_128 + (lo as f64)
    }
}

/// Full 128 x 128 -> 256-bit unsigned product, returned as `(hi, lo)`.
#[inline]
pub(super) fn mul_u128(x: u128, y: u128) -> (u128, u128) {
    const M: u128 = u64::MAX as u128;
    let (x1, x0) = (x >> 64, x & M);
    let (y1, y0) = (y >> 64, y & M);
    let p00 = x0 * y0;
    let p01 = x0 * y1;
    let p10 = x1 * y0;
    let p11 = x1 * y1;
    // Each partial product is < 2^128; `mid` < 3 * 2^64 cannot overflow.
    let mid = (p00 >> 64) + (p01 & M) + (p10 & M);
    let lo = (p00 & M) | (mid << 64);
    // The full product is < 2^256, so this cannot overflow either.
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (hi, lo)
}

/// Square of a signed 128-bit integer as an unsigned 256-bit `(hi, lo)`.
#[inline]
pub(super) fn square_i128(q: i128) -> (u128, u128) {
    let m = q.unsigned_abs();
    if m <= u128::from(u64::MAX) {
        (0, m * m)
    } else {
        mul_u128(m, m)
    }
}

/// `n * (hi, lo)` for unsigned 256-bit `(hi, lo)`; `None` on overflow.
pub(super) fn mul_u256_u64(hi: u128, lo: u128, n: u64) -> Option<(u128, u128)> {
    let n = u128::from(n);
    let (carry, lo) = mul_u128(lo, n);
    let (top, hi) = mul_u128(hi, n);
    if top != 0 {
        return None;
    }
    let hi = hi.checked_add(carry)?;
    Some((hi, lo))
}

/// `a - b` for unsigned 256-bit pairs; `None` if the result would be negative.
pub(super) fn sub_u256(a: (u128, u128), b: (u128, u128)) -> Option<(u128, u128)> {
    let (lo, borrow) = a.1.overflowing_sub(b.1);
    let hi = a.0.checked_sub(b.0)?.checked_sub(u128::from(borrow))?;
    Some((hi, lo))
}

#[cfg(test)]
// The system's math functions make test inputs and expected values here;
// no output depends on them (see src/math.rs).
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;

    #[test]
    fn quantize_rounds_to_grid() {
        let h = INV_SCALE;
        assert_eq!(quantize(0.0), 0);
        assert_eq!(quantize(1.0), 1 << 24);
        assert_eq!(quantize(-1.0), -(1 << 24));
        assert_eq!(quantize(0.5 * h), 0); // tie to even
        assert_eq!(quantize(1.5 * h), 2); // tie to even
        assert_eq!(quantize(-1.5 * h), -2);
        assert_eq!(quantize(0.6 * h), 1);
        assert_eq!(quantize(-0.6 * h), -1);
        // The band [2^51, 2^52) of scaled values still rounds ties to even.
        let y = 2f64.powi(51) + 0.5;
        assert_eq!(quantize(y * h), (1i128 << 51));
        let y = 2f64.powi(51) + 1.5;
        assert_eq!(quantize(y * h), (1i128 << 51) + 2);
        assert_eq!(quantize(1e13), (1e13 as i128) << 24);
        assert_eq!(quantize(1e40), i128::MAX);
        assert_eq!(quantize(-1e40), -i128::MAX);
        assert_eq!(quantize(-f64::MAX), -i128::MAX);
    }

    #[test]
    fn wide_add_and_convert() {
        let mut w = Wide::ZERO;
        w.add_i128(i128::MAX);
        w.add_i128(i128::MAX);
        w.add_i128(5);
        let expect = 2.0 * (i128::MAX as f64);
        assert_eq!(w.to_f64(), expect);
        w.add_i128(i128::MIN);
        w.add_i128(i128::MIN);
        w.add_i128(i128::MIN);
        w.add_i128(i128::MIN);
        // 2*MAX + 5 + 4*MIN = 2*(2^127-1) + 5 - 4*2^127 = -2^128 + 3
        assert!(w.is_negative());
        assert_eq!(w.to_f64(), -(2f64.powi(128)));
        let mut v = Wide::ZERO;
        v.add_i128(-7);
        assert_eq!(v.magnitude(), (0, 7));
        assert_eq!(v.to_f64(), -7.0);
    }

    #[test]
    fn mul_and_square() {
        let (hi, lo) = mul_u128(u128::MAX, u128::MAX);
        // (2^128-1)^2 = 2^256 - 2^129 + 1
        assert_eq!(lo, 1);
        assert_eq!(hi, u128::MAX - 1);
        assert_eq!(square_i128(-3), (0, 9));
        let q = 1i128 << 70;
        assert_eq!(square_i128(q), (1 << 12, 0));
        assert_eq!(mul_u256_u64(0, u128::MAX, 2), Some((1, u128::MAX - 1)));
        assert_eq!(mul_u256_u64(u128::MAX, 0, 2), None);
        assert_eq!(sub_u256((1, 0), (0, 1)), Some((0, u128::MAX)));
        assert_eq!(sub_u256((0, 0), (0, 1)), None);
    }
}
