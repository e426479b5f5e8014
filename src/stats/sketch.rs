//! [`Sketch`]: a mergeable, order-independent quantile sketch for `f64`.
//!
//! Bucket layout, error bounds and rank conventions are documented on
//! [`Sketch`].

use super::extrema::MinMax;

/// Number of mantissa bits dropped to form a bucket key (52 − 7).
const SHIFT: u32 = 52 - 7;
/// Sign bit of an `f64`.
const SIGN_BIT: u64 = 1 << 63;
/// Bits of the threshold below which a magnitude counts as zero.
const MIN_BITS: u64 = 0x3D71_9799_812D_EA11; // 1e-12
/// Bits of +∞ (the first non-finite magnitude).
const INF_BITS: u64 = 0x7FF0_0000_0000_0000;

/// Dense store of bucket counts for one sign.
#[derive(Clone, Debug, Default, PartialEq)]
struct Store {
    /// Key of `counts[0]` (0 when empty).
    offset: usize,
    /// Counts for keys `offset .. offset + counts.len()`; the first and last
    /// entries are nonzero whenever the store is non-empty (canonical form).
    counts: Vec<u64>,
}

impl Store {
    /// Adds `c` to the bucket `key`.
    #[inline(always)]
    fn add(&mut self, key: usize, c: u64) {
        match self.counts.get_mut(key.wrapping_sub(self.offset)) {
            Some(slot) => *slot = slot.wrapping_add(c),
            None => self.add_slow(key, c),
        }
    }

    /// Out-of-range path of [`Store::add`]: grows the range, then adds.
    #[cold]
    #[inline(never)]
    fn add_slow(&mut self, key: usize, c: u64) {
        self.grow_to(key, key);
        let i = key - self.offset;
        self.counts[i] = self.counts[i].wrapping_add(c);
    }

    /// Key one past the last bucket.
    fn end(&self) -> usize {
        self.offset + self.counts.len()
    }

    /// Extends the range so it covers `lo..=hi` (new buckets are zero).
    fn grow_to(&mut self, lo: usize, hi: usize) {
        if self.counts.is_empty() {
            self.offset = lo;
            self.counts.resize(hi - lo + 1, 0);
            return;
        }
        if hi >= self.end() {
            self.counts.resize(hi - self.offset + 1, 0);
        }
        if lo < self.offset {
            let extra = self.offset - lo;
            let old = self.counts.len();
            self.counts.resize(old + extra, 0);
            self.counts.copy_within(0..old, extra);
            self.counts[..extra].fill(0);
            self.offset = lo;
        }
    }

    /// Empties the store, keeping its memory for the next values.
    fn clear(&mut self) {
        self.offset = 0;
        self.counts.clear();
    }

    /// Adds all counts of `other`.
    fn merge(&mut self, other: &Store) {
        if other.counts.is_empty() {
            return;
        }
        if self.counts.is_empty() {
            self.clone_from(other);
            return;
        }
        self.grow_to(other.offset, other.end() - 1);
        let start = other.offset - self.offset;
        for (a, &b) in self.counts[start..].iter_mut().zip(&other.counts) {
            *a = a.wrapping_add(b);
        }
    }

    /// `(key, count)` of the non-empty buckets in increasing key order.
    fn buckets(&self) -> impl DoubleEndedIterator<Item = (usize, u64)> + '_ {
        let offset = self.offset;
        self.counts
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c != 0)
            .map(move |(i, &c)| (offset + i, c))
    }
}

/// What the values in a sketch are, which decides how a bucket is
/// represented in quantiles and tail means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Data {
    /// Any real numbers: a bucket is represented by its midpoint (relative
    /// error at most 2^-8).
    Real,
    /// Whole numbers (counts, period numbers). Below 256 a bucket is at
    /// most 1 wide and holds at most one whole number: it is represented by
    /// that number (its lower bound rounded up), which is exact (a median of
    /// 10 complaints reads 10, not the midpoint 10.03). From 256 on, buckets
    /// are 2, 4, 8, ... wide and their midpoints are whole numbers already:
    /// represented by the midpoint, as for [`Data::Real`].
    Whole,
}

/// A bucket's representative for whole-number data (see [`Data::Whole`]).
#[inline]
fn bucket_whole(key: usize) -> f64 {
    let lo = f64::from_bits((key as u64) << SHIFT);
    if lo < 256.0 { lo.ceil() } else { bucket_mid(key) }
}

/// Midpoint of the bucket with the given key (a positive finite `f64`).
#[inline]
fn bucket_mid(key: usize) -> f64 {
    // Within one binade the floats are evenly spaced, so setting the highest
    // dropped mantissa bit gives the exact midpoint of [lo, hi).
    f64::from_bits(((key as u64) << SHIFT) | (1 << (SHIFT - 1)))
}

/// `q·n` snapped to a nearby integer if within `4·ε·n`, else `None` along
/// with the raw product.
fn scaled_rank(q: f64, n: u64) -> (f64, bool) {
    let nf = n as f64;
    let t = q * nf;
    let r = t.round();
    if (t - r).abs() <= 4.0 * f64::EPSILON * nf {
        (r, true)
    } else {
        (t, false)
    }
}

/// `max(1, ceil(q·n))` clamped to `n`, with snapping (see module docs).
fn rank_ceil(q: f64, n: u64) -> u64 {
    let (t, snapped) = scaled_rank(q, n);
    let k = if snapped { t } else { t.ceil() };
    (k as u64).clamp(1, n)
}

/// `floor(q·n)` clamped to `[0, n]`, with snapping (see module docs).
fn rank_floor(q: f64, n: u64) -> u64 {
    let (t, snapped) = scaled_rank(q, n);
    let k = if snapped { t } else { t.floor() };
    (k as u64).min(n)
}

/// A mergeable log-linear quantile sketch with relative error ≤ 2^-8.
///
/// # Buckets
///
/// The sketch is a log-linear histogram keyed directly on the bits of the
/// float (like HdrHistogram or DDSketch, but with no logarithm on the insert
/// path). For a finite `x` with `|x| >= 1e-12` the bucket key is
/// `|x|.to_bits() >> 45`: the 11 exponent bits plus the top 7 mantissa bits.
/// Each power of two `[2^e, 2^(e+1))` is thus split into 128 equal
/// sub-buckets of width `2^(e-7)`, so every bucket `[lo, hi)` has relative
/// width `(hi - lo) / lo <= 2^-7`.
///
/// * Positive values go into a dense store of counts indexed by key, negative
///   values into a mirrored store indexed by the key of `-x`.
/// * Values with `|x| < 1e-12` (including ±0.0) go into a zero counter and
///   are represented by 0.
/// * Non-finite values are ignored and counted separately
///   ([`Sketch::nonfinite`]).
/// * The exact minimum and maximum (IEEE total order) are kept alongside.
///
/// Each store is a `Vec<u64>` covering exactly the keys from the smallest to
/// the largest key seen (the representation is canonical, so the derived
/// `PartialEq` compares contents, and two sketches of the same multiset are
/// `==` regardless of insertion order or merge tree). The `Vec` grows at
/// either end when a value falls outside the current range; that is the only
/// allocation, and [`Sketch::new`] does not allocate. A store spans at most
/// 2^11 · 2^7 ≈ 262k keys (about 136k for the `|x| >= 1e-12` range: ~1 MiB
/// in the worst case of data spanning 10^-12 to 10^308; data spanning six
/// decades needs ~2.5k buckets, 20 KiB).
///
/// # Error bound
///
/// The representative value of a bucket is the midpoint of its bounds,
/// clamped into `[min, max]` (the clamp can only move it closer to any value
/// in the bucket, and it keeps every quantile and tail mean inside
/// `[min, max]`; it also makes the representative of the extreme buckets
/// finite). For any value `v` in bucket
/// `[lo, hi)`: `|rep - v| <= (hi - lo) / 2 <= 2^-8 · lo <= 2^-8 · |v|`.
///
/// * Every quantile is within a **relative error of 2^-8 ≈ 0.39%** of the
///   exact order statistic of the same rank (plus an absolute error below
///   1e-12 for ranks falling in the zero bucket).
/// * Tail means ([`Sketch::mean_upper_tail`], [`Sketch::mean_lower_tail`]) are
///   within `2^-8 · mean(|v|)` over the same tail values, i.e. 0.39% relative
///   when the tail does not straddle zero.
///
/// For whole-number data (counts, period numbers) the `_of` queries with
/// [`Data::Whole`] represent a bucket below 256 by the one whole number it
/// can hold instead, which is exact; above, the midpoint is whole already.
///
/// All queries iterate the buckets in a fixed order, so results are
/// bit-identical for equal sketches.
///
/// # Ranks
///
/// `quantile(q)` is the representative of the bucket holding the k-th
/// smallest value, `k = max(1, ceil(q·n))`. Because decimal `q` such as 0.95
/// are not exact binary fractions, `q·n` within `4·ε·n` of an integer is
/// snapped to that integer before the ceiling/floor, so that e.g. `q = 0.95`,
/// `n = 100` gives `k = 95`, not 96.
#[derive(Clone, Debug, PartialEq)]
pub struct Sketch {
    /// Buckets of positive values.
    pos: Store,
    /// Buckets of negative values, keyed on `-x`.
    neg: Store,
    /// Number of values with `|x| < 1e-12`.
    zero: u64,
    /// Number of finite values inserted.
    count: u64,
    /// Number of non-finite values ignored.
    nonfinite: u64,
    /// Exact minimum and maximum (IEEE total order).
    extrema: MinMax,
}

impl Default for Sketch {
    fn default() -> Self {
        Self::new()
    }
}

impl Sketch {
    /// An empty sketch. Does not allocate.
    pub const fn new() -> Self {
        Sketch {
            pos: Store {
                offset: 0,
                counts: Vec::new(),
            },
            neg: Store {
                offset: 0,
                counts: Vec::new(),
            },
            zero: 0,
            count: 0,
            nonfinite: 0,
            extrema: MinMax::EMPTY,
        }
    }

    /// Inserts one value. Non-finite values are ignored and counted.
    ///
    /// Allocation-free unless `x` falls outside the key range seen so far.
    #[inline]
    pub fn insert(&mut self, x: f64) {
        let bits = x.to_bits();
        let abs = bits & !SIGN_BIT;
        if abs.wrapping_sub(MIN_BITS) < INF_BITS - MIN_BITS {
            let key = (abs >> SHIFT) as usize;
            let store = if bits & SIGN_BIT != 0 {
                &mut self.neg
            } else {
                &mut self.pos
            };
            store.add(key, 1);
        } else if abs < MIN_BITS {
            self.zero = self.zero.wrapping_add(1);
        } else {
            self.nonfinite = self.nonfinite.wrapping_add(1);
            return;
        }
        self.count = self.count.wrapping_add(1);
        self.extrema.add(x);
    }

    /// Empties the sketch: it is then equal to [`Sketch::new`], but keeps the
    /// memory its buckets had grown to, so refilling it allocates nothing
    /// within that range.
    pub fn clear(&mut self) {
        self.pos.clear();
        self.neg.clear();
        self.zero = 0;
        self.count = 0;
        self.nonfinite = 0;
        self.extrema = MinMax::EMPTY;
    }

    /// Adds everything in `other` into `self`. Works for any two sketches,
    /// whatever their bucket ranges.
    pub fn merge(&mut self, other: &Sketch) {
        self.pos.merge(&other.pos);
        self.neg.merge(&other.neg);
        self.zero = self.zero.wrapping_add(other.zero);
        self.count = self.count.wrapping_add(other.count);
        self.nonfinite = self.nonfinite.wrapping_add(other.nonfinite);
        self.extrema.merge(&other.extrema);
    }

    /// Number of finite values inserted.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Number of non-finite values that were ignored.
    pub fn nonfinite(&self) -> u64 {
        self.nonfinite
    }

    /// Exact minimum of the inserted values (IEEE total order); `NaN` when
    /// empty.
    pub fn min(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.extrema.min() }
    }

    /// Exact maximum of the inserted values (IEEE total order); `NaN` when
    /// empty.
    pub fn max(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.extrema.max() }
    }

    /// `(representative, count)` of every non-empty bucket, in increasing
    /// order of value (double-ended: `.rev()` gives decreasing order). Each
    /// representative (the bucket midpoint, or for [`Data::Whole`] its
    /// smallest whole magnitude) is clamped into `[min, max]`.
    fn buckets(&self, data: Data) -> impl DoubleEndedIterator<Item = (f64, u64)> + '_ {
        let rep = match data {
            Data::Real => bucket_mid,
            Data::Whole => bucket_whole,
        };
        let (min, max) = (self.extrema.min(), self.extrema.max());
        // Manual clamp: never panics (f64::clamp asserts min <= max).
        let clamp = move |r: f64| {
            if r < min {
                min
            } else if r > max {
                max
            } else {
                r
            }
        };
        let neg = self.neg.buckets().rev().map(move |(k, c)| (clamp(-rep(k)), c));
        let zero = std::iter::once((clamp(0.0), self.zero)).filter(|&(_, c)| c != 0);
        let pos = self.pos.buckets().map(move |(k, c)| (clamp(rep(k)), c));
        neg.chain(zero).chain(pos)
    }

    /// The q-quantile: the representative value of the bucket holding the
    /// k-th smallest value, `k = max(1, ceil(q·n))` (`q` is clamped to
    /// `[0, 1]`). Relative error ≤ 2^-8 versus the exact k-th smallest value.
    /// Returns `NaN` if the sketch is empty or `q` is NaN.
    pub fn quantile(&self, q: f64) -> f64 {
        self.quantiles([q])[0]
    }

    /// Several quantiles at once, each exactly [`Sketch::quantile`]'s, in one
    /// walk over the buckets (the order of `qs` does not matter).
    pub fn quantiles<const N: usize>(&self, qs: [f64; N]) -> [f64; N] {
        self.quantiles_of(Data::Real, qs)
    }

    /// [`Sketch::quantiles`] with buckets represented as `data` says.
    pub fn quantiles_of<const N: usize>(&self, data: Data, qs: [f64; N]) -> [f64; N] {
        let mut out = [f64::NAN; N];
        if self.count == 0 {
            return out;
        }
        // The rank each answer waits for; `None` once answered (or for NaN).
        let mut ranks = qs.map(|q| (!q.is_nan()).then(|| rank_ceil(q.clamp(0.0, 1.0), self.count)));
        let mut seen = 0u64;
        for (rep, c) in self.buckets(data) {
            if ranks.iter().all(Option::is_none) {
                break;
            }
            seen += c;
            for (x, r) in out.iter_mut().zip(&mut ranks) {
                if r.is_some_and(|k| seen >= k) {
                    *x = rep;
                    *r = None;
                }
            }
        }
        // Unreachable (the counts sum to `count`), kept total.
        for (x, r) in out.iter_mut().zip(ranks) {
            if r.is_some() {
                *x = self.extrema.max();
            }
        }
        out
    }

    /// Mean of the `m` values at one end, walking `buckets` from that end and
    /// taking a partial bucket where needed.
    fn tail_mean(m: u64, buckets: impl Iterator<Item = (f64, u64)>) -> f64 {
        let mut left = m;
        let mut sum = 0.0;
        for (rep, c) in buckets {
            let take = c.min(left);
            sum += rep * take as f64;
            left -= take;
            if left == 0 {
                break;
            }
        }
        sum / m as f64
    }

    /// Mean of the values at or above the q-quantile: the mean of the top
    /// `max(1, ceil((1 − q)·n))` values (computed as `n − floor(q·n)`), from
    /// bucket representatives, taking a partial bucket where needed. E.g.
    /// `q = 0.95` is the mean of the worst 5%. `NaN` when empty or `q` is NaN.
    pub fn mean_upper_tail(&self, q: f64) -> f64 {
        self.mean_upper_tail_of(Data::Real, q)
    }

    /// [`Sketch::mean_upper_tail`] with buckets represented as `data` says.
    pub fn mean_upper_tail_of(&self, data: Data, q: f64) -> f64 {
        if self.count == 0 || q.is_nan() {
            return f64::NAN;
        }
        let n = self.count;
        let m = (n - rank_floor(q.clamp(0.0, 1.0), n)).max(1);
        Self::tail_mean(m, self.buckets(data).rev())
    }

    /// Mean of the lowest `max(1, ceil(q·n))` values, from bucket
    /// representatives, taking a partial bucket where needed. `NaN` when
    /// empty or `q` is NaN.
    pub fn mean_lower_tail(&self, q: f64) -> f64 {
        self.mean_lower_tail_of(Data::Real, q)
    }

    /// [`Sketch::mean_lower_tail`] with buckets represented as `data` says.
    pub fn mean_lower_tail_of(&self, data: Data, q: f64) -> f64 {
        if self.count == 0 || q.is_nan() {
            return f64::NAN;
        }
        let m = rank_ceil(q.clamp(0.0, 1.0), self.count);
        Self::tail_mean(m, self.buckets(data))
    }
}

#[cfg(test)]
// The system's math functions make test inputs and expected values here;
// no output depends on them (see src/math.rs).
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::seq::SliceRandom;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Relative error bound of a bucket representative.
    const REL: f64 = 1.0 / 256.0;

    fn sketch_of(xs: &[f64]) -> Sketch {
        let mut s = Sketch::new();
        for &x in xs {
            s.insert(x);
        }
        s
    }

    fn sorted(xs: &[f64]) -> Vec<f64> {
        let mut v = xs.to_vec();
        v.sort_by(f64::total_cmp);
        v
    }

    fn exact_quantile(sorted: &[f64], q: f64) -> f64 {
        sorted[rank_ceil(q, sorted.len() as u64) as usize - 1]
    }

    /// Standard normal by Box–Muller (deterministic given the rng).
    fn normal(rng: &mut ChaCha8Rng) -> f64 {
        let u1: f64 = 1.0 - rng.random::<f64>();
        let u2: f64 = rng.random();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    fn datasets() -> Vec<(&'static str, Vec<f64>)> {
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        let n = 100_000;
        let lognormal = (0..n).map(|_| (10.0 + 1.5 * normal(&mut rng)).exp()).collect();
        let norm = (0..n).map(|_| 3.0 + 10.0 * normal(&mut rng)).collect();
        let uniform = (0..n).map(|_| rng.random::<f64>() * 1000.0).collect();
        vec![("lognormal", lognormal), ("normal", norm), ("uniform", uniform)]
    }

    const QS: [f64; 14] = [
        0.0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.333, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0,
    ];

    proptest! {
        /// Whole numbers below 256 in magnitude: quantiles and tail means
        /// of `Data::Whole` are exact; larger ones are whole numbers within
        /// the bucket error.
        #[test]
        fn whole_numbers_are_exact_below_256(
            xs in proptest::collection::vec(-255i64..=255, 1..400),
            big in proptest::collection::vec(256i64..100_000, 0..50),
        ) {
            let xs: Vec<f64> = xs.into_iter().map(|x| x as f64).collect();
            let s = sketch_of(&xs);
            let v = sorted(&xs);
            let got = s.quantiles_of(Data::Whole, QS);
            for (q, g) in QS.iter().zip(got) {
                prop_assert_eq!(g, exact_quantile(&v, *q), "q={}", q);
            }
            for q in [0.05, 0.5, 0.95] {
                let n = v.len();
                let top = n - rank_floor(q, n as u64) as usize;
                let upper = v[n - top.max(1)..].iter().sum::<f64>() / top.max(1) as f64;
                let low = rank_ceil(q, n as u64) as usize;
                let lower = v[..low].iter().sum::<f64>() / low as f64;
                prop_assert!((s.mean_upper_tail_of(Data::Whole, q) - upper).abs() <= 1e-9 * upper.abs().max(1.0));
                prop_assert!((s.mean_lower_tail_of(Data::Whole, q) - lower).abs() <= 1e-9 * lower.abs().max(1.0));
            }
            let ys: Vec<f64> = big.into_iter().map(|x| x as f64).collect();
            if !ys.is_empty() {
                let s = sketch_of(&ys);
                let v = sorted(&ys);
                for (q, g) in QS.iter().zip(s.quantiles_of(Data::Whole, QS)) {
                    let exact = exact_quantile(&v, *q);
                    prop_assert_eq!(g, g.round());
                    prop_assert!((g - exact).abs() <= exact / 256.0, "q={} {} vs {}", q, g, exact);
                }
            }
        }
    }

    #[test]
    fn whole_numbers_read_whole() {
        // Ten complaints in every run but one: the median is 10, not the
        // bucket midpoint 10.03.
        let mut xs = vec![10.0; 99];
        xs.push(57.0);
        let s = sketch_of(&xs);
        assert_eq!(s.quantiles_of(Data::Whole, [0.5, 1.0]), [10.0, 57.0]);
        assert_ne!(s.quantile(0.5), 10.0, "the midpoint is not whole");
    }

    #[test]
    fn quantiles_within_bucket_error() {
        for (name, xs) in datasets() {
            let s = sketch_of(&xs);
            let v = sorted(&xs);
            assert_eq!(s.count(), xs.len() as u64);
            for q in QS.iter().copied().chain((1..200).map(|i| i as f64 / 200.0)) {
                let est = s.quantile(q);
                let exact = exact_quantile(&v, q);
                let err = (est - exact).abs();
                assert!(
                    err <= REL * exact.abs() + 1e-12,
                    "{name} q={q}: {est} vs {exact} (rel {})",
                    err / exact.abs()
                );
                assert!(err / exact.abs() < 0.004);
            }
            assert!(s.quantile(0.0) >= v[0] && s.quantile(1.0) <= v[v.len() - 1]);
            assert_eq!(s.min(), v[0]);
            assert_eq!(s.max(), v[v.len() - 1]);
        }
    }

    #[test]
    fn tail_means_within_half_percent() {
        for (name, xs) in datasets() {
            let s = sketch_of(&xs);
            let v = sorted(&xs);
            let n = v.len();
            for q in [0.0, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0] {
                let m = (n as u64 - rank_floor(q, n as u64)).max(1) as usize;
                let exact: f64 = v[n - m..].iter().sum::<f64>() / m as f64;
                let est = s.mean_upper_tail(q);
                assert!(
                    (est - exact).abs() <= 0.005 * exact.abs(),
                    "{name} upper q={q}: {est} vs {exact}"
                );
            }
            for q in [0.001, 0.01, 0.05, 0.1, 0.5, 1.0] {
                let m = rank_ceil(q, n as u64) as usize;
                let exact: f64 = v[..m].iter().sum::<f64>() / m as f64;
                let est = s.mean_lower_tail(q);
                assert!(
                    (est - exact).abs() <= 0.005 * exact.abs(),
                    "{name} lower q={q}: {est} vs {exact}"
                );
            }
        }
        // Tail counts: top 5% of 100 values is 5 values, 96..=100.
        let xs: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = sketch_of(&xs);
        let t = s.mean_upper_tail(0.95);
        assert!((t - 98.0).abs() <= 98.0 * REL, "{t}");
        assert!((s.quantile(0.95) - 95.0).abs() <= 95.0 * REL);
        assert!((s.mean_lower_tail(0.05) - 3.0).abs() <= 3.0 * REL);
        // Partial buckets: 10 equal values, top 3 is just that value.
        let s = sketch_of(&[7.0; 10]);
        assert_eq!(s.mean_upper_tail(0.7), 7.0);
        assert_eq!(s.mean_lower_tail(0.3), 7.0);
    }

    #[test]
    fn order_and_merge_independent_to_the_bit() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for (_, xs) in datasets() {
            let reference = sketch_of(&xs);
            let answers = |s: &Sketch| -> Vec<u64> {
                let mut out: Vec<u64> = QS.iter().map(|&q| s.quantile(q).to_bits()).collect();
                out.extend(QS.iter().map(|&q| s.mean_upper_tail(q).to_bits()));
                out.extend(QS.iter().map(|&q| s.mean_lower_tail(q).to_bits()));
                out
            };
            let ref_answers = answers(&reference);
            for chunk in [1usize, 37, 5000, 33_333] {
                let mut ys = xs.clone();
                ys.shuffle(&mut rng);
                let parts: Vec<Sketch> = ys.chunks(chunk).map(sketch_of).collect();
                // Left fold.
                let mut left = Sketch::new();
                for p in &parts {
                    left.merge(p);
                }
                // Right fold (merge into the later sketch).
                let mut right = Sketch::new();
                for p in parts.iter().rev() {
                    let mut p = p.clone();
                    p.merge(&right);
                    right = p;
                }
                // Balanced tree.
                let mut level = parts;
                while level.len() > 1 {
                    level = level
                        .chunks(2)
                        .map(|pair| {
                            let mut a = pair[0].clone();
                            if let Some(b) = pair.get(1) {
                                a.merge(b);
                            }
                            a
                        })
                        .collect();
                }
                let tree = level.pop().unwrap_or_default();
                for s in [&left, &right, &tree] {
                    assert!(*s == reference);
                    assert_eq!(answers(s), ref_answers);
                }
            }
        }
    }

    #[test]
    fn merge_disjoint_ranges() {
        let a = sketch_of(&[1.0, 2.0, -5.0]);
        let b = sketch_of(&[1e6, 1e-3, -1e-6, 0.0]);
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab, sketch_of(&[1e-3, -1e-6, 1.0, 1e6, 2.0, 0.0, -5.0]));
        assert_eq!(ab.count(), 7);
        assert_eq!(ab.quantile(0.0), -5.0);
        assert_eq!(ab.quantile(1.0), 1e6);
        // Sorted: -5, -1e-6, 0, 1e-3, 1, 2, 1e6. Median is 1e-3.
        assert!((ab.quantile(0.5) - 1e-3).abs() <= 1e-3 * REL);
        assert!((ab.quantile(2.0 / 7.0) + 1e-6).abs() <= 1e-6 * REL);
        assert_eq!(ab.quantile(3.0 / 7.0), 0.0);
        // Merging into / from empty sketches.
        let mut e = Sketch::new();
        e.merge(&ab);
        assert_eq!(e, ab);
        let mut f = ab.clone();
        f.merge(&Sketch::new());
        assert_eq!(f, ab);
    }

    #[test]
    fn empty_sketch() {
        let s = Sketch::new();
        assert_eq!(s.count(), 0);
        assert!(s.quantile(0.5).is_nan());
        assert!(s.quantile(0.0).is_nan());
        assert!(s.mean_upper_tail(0.95).is_nan());
        assert!(s.mean_lower_tail(0.05).is_nan());
        assert!(s.min().is_nan() && s.max().is_nan());
        assert_eq!(s.pos.counts.capacity(), 0);
        assert_eq!(s.neg.counts.capacity(), 0);
        assert_eq!(Sketch::default(), s);
        // Only non-finite values: still empty.
        let t = sketch_of(&[f64::NAN, f64::INFINITY, f64::NEG_INFINITY]);
        assert_eq!(t.count(), 0);
        assert_eq!(t.nonfinite(), 3);
        assert!(t.quantile(0.5).is_nan());
        assert_eq!(t.pos.counts.capacity(), 0);
    }

    #[test]
    fn zero_bucket_and_extremes() {
        let s = sketch_of(&[0.0, -0.0, 1e-13, -1e-13, f64::MAX, -f64::MAX, 5e-324]);
        assert_eq!(s.count(), 7);
        assert_eq!(s.zero, 5);
        assert!((s.quantile(0.0) + f64::MAX).abs() <= f64::MAX * REL);
        assert!((s.quantile(1.0) - f64::MAX).abs() <= f64::MAX * REL);
        assert!(s.quantile(1.0) <= f64::MAX && s.quantile(0.0) >= -f64::MAX);
        // With min/max in the lower/upper half of their buckets the clamp
        // makes the extreme quantiles exact.
        let u = sketch_of(&[0.5, 1.0]);
        assert_eq!(u.quantile(1.0), 1.0);
        assert_eq!(u.quantile(0.0), bucket_mid((0.5f64.to_bits() >> SHIFT) as usize));
        let w = sketch_of(&[2.0 - 1e-9, 3.0]);
        assert_eq!(w.quantile(0.0), 2.0 - 1e-9);
        assert_eq!(s.quantile(0.5), 0.0);
        assert!(s.mean_upper_tail(0.99).is_finite());
        // Boundary of the zero threshold.
        let t = sketch_of(&[1e-12, -1e-12, 0.99e-12]);
        assert_eq!(t.zero, 1);
        assert_eq!(t.pos.counts, vec![1]);
        assert_eq!(t.neg.counts, vec![1]);
        // q outside [0, 1] is clamped; NaN q gives NaN.
        assert_eq!(s.quantile(-1.0), s.quantile(0.0));
        assert_eq!(s.quantile(7.0), s.quantile(1.0));
        assert!(s.quantile(f64::NAN).is_nan());
    }

    #[test]
    fn steady_state_does_not_allocate() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut s = Sketch::new();
        s.insert(1.0);
        s.insert(1000.0);
        s.insert(-1.0);
        s.insert(-1000.0);
        let (pp, pc) = (s.pos.counts.as_ptr(), s.pos.counts.capacity());
        let (np, nc) = (s.neg.counts.as_ptr(), s.neg.counts.capacity());
        let len = s.pos.counts.len();
        for _ in 0..100_000 {
            let x = 1.0 + rng.random::<f64>() * 998.0;
            s.insert(if rng.random::<bool>() { x } else { -x });
        }
        assert_eq!(s.pos.counts.len(), len);
        assert_eq!(s.pos.counts.as_ptr(), pp);
        assert_eq!(s.pos.counts.capacity(), pc);
        assert_eq!(s.neg.counts.as_ptr(), np);
        assert_eq!(s.neg.counts.capacity(), nc);
        assert_eq!(s.count(), 100_004);
    }

    #[test]
    fn bucket_geometry() {
        // The midpoint representative is within 2^-8 relative of anything in
        // the bucket, including the bucket's lower bound.
        for x in [1.0, 1.5, 3.0e-7, 123_456.789, 1e300] {
            let key = (f64::to_bits(x) >> SHIFT) as usize;
            let lo = f64::from_bits((key as u64) << SHIFT);
            let hi = f64::from_bits(((key as u64) + 1) << SHIFT);
            let mid = bucket_mid(key);
            assert!(lo <= x && x < hi);
            assert_eq!(mid, lo + (hi - lo) / 2.0);
            assert!((mid - lo) <= lo * REL);
            assert!((hi - lo) <= lo / 128.0);
        }
        assert_eq!(MIN_BITS, 1e-12f64.to_bits());
        assert_eq!(INF_BITS, f64::INFINITY.to_bits());
    }

    #[test]
    fn rank_snapping() {
        assert_eq!(rank_ceil(0.95, 100), 95);
        assert_eq!(rank_floor(0.95, 100), 95);
        assert_eq!(rank_ceil(0.95, 20), 19);
        assert_eq!(rank_ceil(0.1, 10), 1);
        assert_eq!(rank_ceil(0.7, 10), 7);
        assert_eq!(rank_floor(0.7, 10), 7);
        assert_eq!(rank_ceil(0.0, 10), 1);
        assert_eq!(rank_ceil(1.0, 10), 10);
        assert_eq!(rank_ceil(0.51, 10), 6);
        assert_eq!(rank_floor(0.51, 10), 5);
        assert_eq!(rank_ceil(0.999, 10_000_000), 9_990_000);
        assert_eq!(rank_floor(0.05, 10_000_000), 500_000);
    }

    /// One quantile by its own walk over the buckets: how `quantile` was
    /// computed before `quantiles` answered several in one walk.
    fn quantile_by_walk(s: &Sketch, q: f64) -> f64 {
        if s.count == 0 || q.is_nan() {
            return f64::NAN;
        }
        let k = rank_ceil(q.clamp(0.0, 1.0), s.count);
        let mut seen = 0u64;
        for (rep, c) in s.buckets(Data::Real) {
            seen += c;
            if seen >= k {
                return rep;
            }
        }
        unreachable!("the counts sum to the count")
    }

    #[test]
    fn quantiles_of_an_empty_sketch_and_of_nan_are_nan() {
        assert!(Sketch::new().quantiles([0.0, 0.5, 1.0]).iter().all(|x| x.is_nan()));
        let s = sketch_of(&[1.0, 2.0, 3.0]);
        let [a, b, c] = s.quantiles([f64::NAN, 0.5, f64::NAN]);
        assert!(a.is_nan() && c.is_nan());
        assert_eq!(b.to_bits(), quantile_by_walk(&s, 0.5).to_bits());
    }

    proptest! {
        #[test]
        fn quantiles_in_one_walk_are_each_quantile(
            xs in prop::collection::vec(-1e6f64..1e6, 1..300),
            qs in prop::array::uniform5(-0.1f64..=1.1),
        ) {
            let s = sketch_of(&xs);
            let got = s.quantiles(qs);
            for (q, g) in qs.iter().zip(got) {
                prop_assert_eq!(g.to_bits(), quantile_by_walk(&s, *q).to_bits(), "q = {}", q);
            }
        }

        #[test]
        fn extremes_and_monotone(
            xs in prop::collection::vec(
                prop::num::f64::POSITIVE
                    | prop::num::f64::NEGATIVE
                    | prop::num::f64::NORMAL
                    | prop::num::f64::SUBNORMAL
                    | prop::num::f64::ZERO,
                1..200,
            ),
            qs in prop::collection::vec(0.0f64..=1.0, 1..20),
        ) {
            let xs: Vec<f64> = xs.into_iter().filter(|x| x.is_finite()).collect();
            prop_assume!(!xs.is_empty());
            let s = sketch_of(&xs);
            let v = sorted(&xs);
            let (lo, hi) = (v[0], v[v.len() - 1]);
            let q0 = s.quantile(0.0);
            let q1 = s.quantile(1.0);
            prop_assert!((q0 - lo).abs() <= REL * lo.abs() + 1e-12, "{q0} vs {lo}");
            prop_assert!((q1 - hi).abs() <= REL * hi.abs() + 1e-12, "{q1} vs {hi}");
            prop_assert_eq!(s.min().to_bits(), lo.to_bits());
            prop_assert_eq!(s.max().to_bits(), hi.to_bits());
            let mut qs = qs;
            qs.push(0.0);
            qs.push(1.0);
            qs.sort_by(f64::total_cmp);
            let vals: Vec<f64> = qs.iter().map(|&q| s.quantile(q)).collect();
            for w in vals.windows(2) {
                prop_assert!(w[0] <= w[1], "not monotone: {vals:?} at {qs:?}");
            }
            for (&q, &est) in qs.iter().zip(&vals) {
                let exact = exact_quantile(&v, q);
                prop_assert!((est - exact).abs() <= REL * exact.abs() + 1e-12);
            }
        }
    }
}
