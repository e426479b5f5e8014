//! Global sensitivity analysis of any model `f(x) -> outputs`: Morris
//! elementary effects (screening) and Sobol variance-based indices.
//!
//! Both work on the unit hypercube: each parameter's range `[lo, hi]` is
//! mapped to `[0, 1]`, so effects are "per whole range" and comparable
//! across parameters. Each method is split into a *design* (the points at
//! which to evaluate the model, drawn from a seeded generator,
//! [`design_rng`]) and an *analysis* of the model's outputs at those points,
//! so a caller can evaluate the points however it likes (in parallel, with
//! progress, skipping failures); [`morris`] and [`sobol`] do all three for a
//! plain function.
//!
//! - **Morris** (Morris 1991; Campolongo, Cariboni and Saltelli 2007):
//!   `r` trajectories on a grid of `p` levels. A trajectory starts at a
//!   random grid point and moves one parameter at a time, in random order,
//!   by `Δ = p / (2 (p - 1))` (up or down, whichever stays inside). Each move
//!   gives one elementary effect `(f(x') - f(x)) / Δ'` of the parameter moved,
//!   with `Δ'` the signed step. Per parameter: `mu_star`, the mean absolute
//!   effect (overall importance), `mu`, the mean effect (its sign), and
//!   `sigma`, their standard deviation (non-linearity or interactions). The
//!   cost is `r (k + 1)` evaluations for `k` parameters. Intervals: bootstrap
//!   over trajectories.
//! - **Sobol** (Saltelli et al. 2010): two independent uniform samples A and
//!   B of `N` points and, for each parameter `i`, the matrix `AB_i` (A with
//!   column `i` from B); `N (k + 2)` evaluations. First-order index
//!   `S1_i = mean((f(B) - m) (f(AB_i) - f(A))) / V` (Saltelli 2010, with
//!   f(B) centred by the sample mean `m`, which makes it far less noisy
//!   when the output's mean is large; as `m` includes each row's own
//!   values, this adds a bias of order 1/N, about (V_Ti - V_i) / (2 N V),
//!   far inside the bootstrap interval), total index
//!   `ST_i = mean((f(A) - f(AB_i))^2) / (2 V)` (Jansen 1999), with `V` the
//!   variance of f over A and B together. `S1` is the share of the output's
//!   variance explained by the parameter alone, `ST` including all its
//!   interactions. Intervals: percentile bootstrap over the `N` rows.
//!
//! Every interval is a 95% percentile bootstrap interval: the 2.5% and 97.5%
//! quantiles (linear interpolation) of the index recomputed on resamples
//! drawn with replacement, from a seeded generator.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::sweep::design_rng;
use crate::math;
use crate::stats::Interval;

/// Stream purposes of [`design_rng`] used here.
const MORRIS_STREAM: u64 = 1;
const SOBOL_STREAM: u64 = 2;
const BOOTSTRAP_STREAM: u64 = 3;

/// Maps a point of the unit hypercube to the parameter ranges.
pub fn scale(u: &[f64], ranges: &[(f64, f64)]) -> Vec<f64> {
    u.iter().zip(ranges).map(|(x, (lo, hi))| lo + (hi - lo) * x).collect()
}

/// Settings of a Morris screening.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisOptions {
    /// Number of trajectories `r`.
    pub trajectories: usize,
    /// Number of grid levels `p` (even, at least 2).
    pub levels: usize,
    /// Seed of the design and the bootstrap.
    pub seed: u64,
    /// Bootstrap resamples for the intervals.
    pub bootstrap: usize,
}

/// The points of a Morris screening.
#[derive(Clone, Debug, PartialEq)]
pub struct MorrisDesign {
    /// Number of parameters `k`.
    pub k: usize,
    /// Points in the unit hypercube: trajectory `t` is rows `t (k+1) ..= t (k+1) + k`.
    pub points: Vec<Vec<f64>>,
    /// Per trajectory and step `1..=k`: the parameter moved and the signed step.
    pub moves: Vec<Vec<(usize, f64)>>,
}

impl MorrisDesign {
    /// Draws `r` trajectories for `k` parameters.
    pub fn new(k: usize, opts: &MorrisOptions) -> Self {
        let p = opts.levels.max(2);
        let delta = p as f64 / (2.0 * (p - 1) as f64);
        let mut rng = design_rng(opts.seed, MORRIS_STREAM);
        let mut points = Vec::with_capacity(opts.trajectories * (k + 1));
        let mut moves = Vec::with_capacity(opts.trajectories);
        // Levels are counted in whole numbers, level l being l / (p - 1):
        // a level reached by a step is then the same float as one drawn
        // (1/3 + 2/3 - 2/3 need not be 1/3 in floating point).
        let jump = p / 2;
        let at = |l: usize| l as f64 / (p - 1) as f64;
        for _ in 0..opts.trajectories {
            let mut level: Vec<usize> = (0..k).map(|_| rng.random_range(0..p)).collect();
            let mut order: Vec<usize> = (0..k).collect();
            shuffle(&mut order, &mut rng);
            points.push(level.iter().map(|&l| at(l)).collect());
            let mut steps = Vec::with_capacity(k);
            for &i in &order {
                let step = if level[i] + jump < p {
                    level[i] += jump;
                    delta
                } else {
                    level[i] -= jump;
                    -delta
                };
                steps.push((i, step));
                points.push(level.iter().map(|&l| at(l)).collect());
            }
            moves.push(steps);
        }
        MorrisDesign { k, points, moves }
    }

    /// The elementary effects of output `o`: per parameter, per trajectory.
    /// The step is read off the points, so a caller that rounds a
    /// whole-number parameter can put the rounded points into
    /// [`MorrisDesign::points`] first; a move that rounding made empty gives
    /// no effect (`None`), and the measures are taken over the others.
    fn effects(&self, y: &[Vec<f64>], o: usize) -> Vec<Vec<Option<f64>>> {
        let mut ee = vec![vec![None; self.moves.len()]; self.k];
        for (t, steps) in self.moves.iter().enumerate() {
            let base = t * (self.k + 1);
            for (j, &(i, delta)) in steps.iter().enumerate() {
                let moved = self.points[base + j + 1][i] - self.points[base + j][i];
                // A step rounding left alone is the design's own: the
                // difference of two levels can be an ulp off it (1 - 1/3 is
                // not 2/3 in floating point), which would give equal effects
                // a spread.
                let step = if (moved - delta).abs() <= 1e-12 { delta } else { moved };
                if step != 0.0 {
                    ee[i][t] = Some((y[base + j + 1][o] - y[base + j][o]) / step);
                }
            }
        }
        ee
    }

    /// Analyses the outputs `y` (one vector of outputs per design point, in
    /// order): per output, per parameter, the Morris measures.
    pub fn analyze(&self, y: &[Vec<f64>], opts: &MorrisOptions) -> Vec<Vec<MorrisIndex>> {
        let outputs = y.first().map_or(0, Vec::len);
        let r = self.moves.len();
        let mut rng = design_rng(opts.seed, BOOTSTRAP_STREAM);
        // The same resamples of trajectories for every output and parameter.
        let resamples: Vec<Vec<usize>> = (0..opts.bootstrap)
            .map(|_| (0..r).map(|_| rng.random_range(0..r)).collect())
            .collect();
        (0..outputs)
            .map(|o| {
                self.effects(y, o)
                    .iter()
                    .map(|ee| {
                        let stats = |idx: &mut dyn Iterator<Item = f64>| morris_measures(&idx.collect::<Vec<f64>>());
                        let full = stats(&mut ee.iter().flatten().copied());
                        // Trajectories are resampled; one whose move rounding
                        // made empty adds no effect.
                        let boots: Vec<[f64; 3]> = resamples
                            .iter()
                            .map(|rs| stats(&mut rs.iter().filter_map(|&t| ee[t])))
                            .collect();
                        let iv = |m: usize| interval(full[m], boots.iter().map(|b| b[m]).collect());
                        MorrisIndex {
                            mu: iv(0),
                            mu_star: iv(1),
                            sigma: iv(2),
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

/// `[mu, mu_star, sigma]` of some elementary effects (NaN without any;
/// `sigma` NaN with one).
fn morris_measures(v: &[f64]) -> [f64; 3] {
    let Some(&first) = v.first() else {
        return [f64::NAN; 3];
    };
    let n = v.len() as f64;
    // Sums of differences from the first effect, so that equal effects give
    // their value as the mean and a spread of exactly 0 (a plain sum of n
    // equal values divided by n can be an ulp off).
    let mean_from = |first: f64, xs: &mut dyn Iterator<Item = f64>| first + xs.map(|x| x - first).sum::<f64>() / n;
    let mu = mean_from(first, &mut v.iter().copied());
    let mu_star = mean_from(first.abs(), &mut v.iter().map(|x| x.abs()));
    // Effects that cancel (0.1, 0.2 and -0.3) leave a mean of a few ulps of
    // their size (-1.4e-17), which no effect supports: a mean within the
    // rounding error of the sum, about (n + 2) ulps of the effects' mean
    // size, is 0.
    let mu = if mu.abs() <= 2.0 * (n + 2.0) * f64::EPSILON * mu_star {
        0.0
    } else {
        mu
    };
    // One effect has no spread to measure.
    let sigma = if v.len() > 1 {
        (v.iter().map(|x| math::powi(x - mu, 2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        f64::NAN
    };
    [mu, mu_star, sigma]
}

/// Morris measures of one parameter for one output, each with a 95%
/// bootstrap interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisIndex {
    /// Mean elementary effect.
    pub mu: Interval,
    /// Mean absolute elementary effect.
    pub mu_star: Interval,
    /// Standard deviation of the elementary effects.
    pub sigma: Interval,
}

/// Settings of a Sobol analysis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolOptions {
    /// Base sample size `N`.
    pub samples: usize,
    /// Seed of the design and the bootstrap.
    pub seed: u64,
    /// Bootstrap resamples for the intervals.
    pub bootstrap: usize,
}

/// The points of a Sobol analysis (Saltelli's scheme).
#[derive(Clone, Debug, PartialEq)]
pub struct SobolDesign {
    /// Number of parameters `k`.
    pub k: usize,
    /// Base sample size `N`.
    pub n: usize,
    /// Points in the unit hypercube: rows `0..N` are A, `N..2N` B, then for
    /// each parameter `i` the `N` rows of `AB_i`.
    pub points: Vec<Vec<f64>>,
}

impl SobolDesign {
    /// Draws the design for `k` parameters.
    pub fn new(k: usize, opts: &SobolOptions) -> Self {
        let n = opts.samples;
        let mut rng = design_rng(opts.seed, SOBOL_STREAM);
        let draw = |rng: &mut ChaCha8Rng| -> Vec<Vec<f64>> {
            (0..n).map(|_| (0..k).map(|_| rng.random::<f64>()).collect()).collect()
        };
        let a = draw(&mut rng);
        let b = draw(&mut rng);
        let mut points = Vec::with_capacity(n * (k + 2));
        points.extend(a.iter().cloned());
        points.extend(b.iter().cloned());
        for i in 0..k {
            for j in 0..n {
                let mut row = a[j].clone();
                row[i] = b[j][i];
                points.push(row);
            }
        }
        SobolDesign { k, n, points }
    }

    /// Analyses the outputs `y` (one vector of outputs per design point, in
    /// order): per output, per parameter, the first-order and total index.
    pub fn analyze(&self, y: &[Vec<f64>], opts: &SobolOptions) -> Vec<Vec<SobolIndex>> {
        let (n, k) = (self.n, self.k);
        let outputs = y.first().map_or(0, Vec::len);
        let mut rng = design_rng(opts.seed, BOOTSTRAP_STREAM);
        let resamples: Vec<Vec<usize>> = (0..opts.bootstrap)
            .map(|_| (0..n).map(|_| rng.random_range(0..n)).collect())
            .collect();
        (0..outputs)
            .map(|o| {
                let fa: Vec<f64> = (0..n).map(|j| y[j][o]).collect();
                let fb: Vec<f64> = (0..n).map(|j| y[n + j][o]).collect();
                let fab: Vec<Vec<f64>> = (0..k)
                    .map(|i| (0..n).map(|j| y[(2 + i) * n + j][o]).collect())
                    .collect();
                let estimate = |rows: &mut dyn Iterator<Item = usize>| -> Vec<[f64; 2]> {
                    let rows: Vec<usize> = rows.collect();
                    sobol_estimates(&rows, &fa, &fb, &fab)
                };
                let full = estimate(&mut (0..n));
                let boots: Vec<Vec<[f64; 2]>> = resamples
                    .par_iter()
                    .map(|rs| estimate(&mut rs.iter().copied()))
                    .collect();
                (0..k)
                    .map(|i| SobolIndex {
                        s1: interval(full[i][0], boots.iter().map(|b| b[i][0]).collect()),
                        st: interval(full[i][1], boots.iter().map(|b| b[i][1]).collect()),
                    })
                    .collect()
            })
            .collect()
    }
}

/// S1 (Saltelli 2010, centred) and ST (Jansen) of every parameter over the given rows.
fn sobol_estimates(rows: &[usize], fa: &[f64], fb: &[f64], fab: &[Vec<f64>]) -> Vec<[f64; 2]> {
    let m = rows.len() as f64;
    let mean = rows.iter().map(|&j| fa[j] + fb[j]).sum::<f64>() / (2.0 * m);
    let var = rows
        .iter()
        .map(|&j| math::powi(fa[j] - mean, 2) + math::powi(fb[j] - mean, 2))
        .sum::<f64>()
        / (2.0 * m);
    fab.iter()
        .map(|ab| {
            if var <= 0.0 {
                return [f64::NAN, f64::NAN];
            }
            // f(B) centred by the mean (f(AB_i) - f(A) has mean zero, so
            // only a bias of order 1/N, from the mean's own rows), with far
            // less variance when the mean is large.
            // `+ 0.0` turns the -0 of a parameter without effect (negative
            // terms times zero) into 0, which files print as `0`, not `-0`.
            let s1 = rows.iter().map(|&j| (fb[j] - mean) * (ab[j] - fa[j])).sum::<f64>() / m / var + 0.0;
            let st = rows.iter().map(|&j| math::powi(fa[j] - ab[j], 2)).sum::<f64>() / (2.0 * m) / var;
            [s1, st]
        })
        .collect()
}

/// Sobol indices of one parameter for one output, each with a 95%
/// bootstrap interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    /// First-order index.
    pub s1: Interval,
    /// Total index.
    pub st: Interval,
}

/// The estimate with the 2.5% and 97.5% quantiles of its bootstrap
/// replicates (linear interpolation between order statistics; non-finite
/// replicates are dropped). Without replicates the interval is `NaN`, and
/// so it is without an estimate: an output undefined at some design points
/// (a mean over runs with a backsourcing at a point with none) makes the
/// estimate undefined, and the few replicates that happened to leave those
/// points out would make an interval that belongs to no estimate.
pub fn interval(estimate: f64, mut boots: Vec<f64>) -> Interval {
    if !estimate.is_finite() {
        return Interval::NONE;
    }
    boots.retain(|x| x.is_finite());
    boots.sort_by(f64::total_cmp);
    let q = |p: f64| -> f64 {
        if boots.is_empty() {
            return f64::NAN;
        }
        let h = p * (boots.len() - 1) as f64;
        let (i, f) = (h.floor() as usize, h - h.floor());
        let next = boots[(i + 1).min(boots.len() - 1)];
        boots[i] + f * (next - boots[i])
    };
    Interval {
        estimate,
        low: q(0.025),
        high: q(0.975),
    }
}

fn shuffle(v: &mut [usize], rng: &mut ChaCha8Rng) {
    for i in (1..v.len()).rev() {
        let k = rng.random_range(0..=i);
        v.swap(i, k);
    }
}

fn evaluate<F: Fn(&[f64]) -> Vec<f64> + Sync>(points: &[Vec<f64>], ranges: &[(f64, f64)], f: &F) -> Vec<Vec<f64>> {
    points.par_iter().map(|u| f(&scale(u, ranges))).collect()
}

/// Morris screening of `f` over the parameter ranges: per output, per
/// parameter. `f` is called in parallel with values inside the ranges.
pub fn morris<F: Fn(&[f64]) -> Vec<f64> + Sync>(
    ranges: &[(f64, f64)],
    opts: &MorrisOptions,
    f: F,
) -> Vec<Vec<MorrisIndex>> {
    let d = MorrisDesign::new(ranges.len(), opts);
    d.analyze(&evaluate(&d.points, ranges, &f), opts)
}

/// Sobol indices of `f` over the parameter ranges (each parameter uniform
/// on its range): per output, per parameter.
pub fn sobol<F: Fn(&[f64]) -> Vec<f64> + Sync>(
    ranges: &[(f64, f64)],
    opts: &SobolOptions,
    f: F,
) -> Vec<Vec<SobolIndex>> {
    let d = SobolDesign::new(ranges.len(), opts);
    d.analyze(&evaluate(&d.points, ranges, &f), opts)
}

#[cfg(test)]
// The system's math functions make test inputs and expected values here;
// no output depends on them (see src/math.rs).
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn ishigami(x: &[f64]) -> Vec<f64> {
        let (a, b) = (7.0, 0.1);
        vec![x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()]
    }

    fn contains(i: &Interval, x: f64) -> bool {
        i.low <= x && x <= i.high
    }

    #[test]
    fn sobol_finds_the_ishigami_indices() {
        // Analytic values for a = 7, b = 0.1 (Ishigami and Homma 1990;
        // Sobol' and Levitan 1999).
        let (a, b) = (7.0f64, 0.1f64);
        let v = a * a / 8.0 + b * PI.powi(4) / 5.0 + b * b * PI.powi(8) / 18.0 + 0.5;
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let s1 = [v1 / v, v2 / v, 0.0];
        let st = [(v1 + v13) / v, v2 / v, v13 / v];
        assert!((s1[0] - 0.314).abs() < 1e-3 && (st[2] - 0.244).abs() < 1e-3);
        let opts = SobolOptions {
            samples: 8192,
            seed: 2024,
            bootstrap: 400,
        };
        let r = sobol(&[(-PI, PI); 3], &opts, ishigami);
        for i in 0..3 {
            let got = r[0][i];
            assert!(
                contains(&got.s1, s1[i]),
                "S1 of x{}: {:?}, truth {}",
                i + 1,
                got.s1,
                s1[i]
            );
            assert!(
                contains(&got.st, st[i]),
                "ST of x{}: {:?}, truth {}",
                i + 1,
                got.st,
                st[i]
            );
            assert!(
                got.s1.high - got.s1.low < 0.12,
                "S1 interval too wide to mean anything: {:?}",
                got.s1
            );
            assert!(
                got.st.high - got.st.low < 0.12,
                "ST interval too wide to mean anything: {:?}",
                got.st
            );
        }
    }

    #[test]
    fn a_parameter_without_effect_has_indices_of_plus_zero() {
        let (fa, fb) = (vec![5.0, 6.0, 7.0], vec![1.0, 2.0, 3.0]);
        let r = sobol_estimates(&[0, 1, 2], &fa, &fb, std::slice::from_ref(&fa));
        for x in r[0] {
            assert!(x == 0.0 && x.is_sign_positive(), "{x:?}");
        }
    }

    #[test]
    fn sobol_of_a_linear_model() {
        // f = 1 x1 + 2 x2 + 0 x3 on [0, 1]^3: S1 = ST = c_i^2 / sum c^2.
        let c = [1.0, 2.0, 0.0];
        let opts = SobolOptions {
            samples: 4096,
            seed: 7,
            bootstrap: 300,
        };
        let r = sobol(&[(0.0, 1.0); 3], &opts, |x| {
            vec![c[0] * x[0] + c[1] * x[1] + c[2] * x[2]]
        });
        for i in 0..3 {
            let truth = c[i] * c[i] / 5.0;
            assert!(contains(&r[0][i].s1, truth), "S1 {i}: {:?} vs {truth}", r[0][i].s1);
            assert!(contains(&r[0][i].st, truth), "ST {i}: {:?} vs {truth}", r[0][i].st);
        }
        // An input the model ignores has a total index of exactly zero.
        assert_eq!(r[0][2].st.estimate, 0.0);
    }

    #[test]
    fn morris_effects_that_cancel_have_a_mean_of_zero() {
        // Summed in floating point these give -1.4e-17 (and with the first
        // effect subtracted too), a mean no effect supports.
        for v in [[0.1, 0.2, -0.3], [-0.3, 0.1, 0.2], [1.8e-3, -1.2e-3, -0.6e-3]] {
            let [mu, mu_star, sigma] = morris_measures(&v);
            assert_eq!(mu.to_bits(), 0.0f64.to_bits(), "{v:?}: {mu}");
            assert!(mu_star > 0.0 && sigma > 0.0);
        }
        // A small mean that the effects do support is kept.
        let [mu, ..] = morris_measures(&[1.0, -1.0 + 1e-9]);
        assert!((mu - 5e-10).abs() < 1e-15, "{mu}");
        // Equal effects: their value, no spread; one effect: no spread.
        assert_eq!(morris_measures(&[0.3; 7]), [0.3, 0.3, 0.0]);
        assert!(morris_measures(&[0.3])[2].is_nan());
        assert!(morris_measures(&[]).iter().all(|x| x.is_nan()));
    }

    #[test]
    fn morris_of_a_linear_model_is_exact() {
        // Elementary effects of a linear model are its slopes times the range.
        let opts = MorrisOptions {
            trajectories: 12,
            levels: 4,
            seed: 3,
            bootstrap: 200,
        };
        let r = morris(&[(0.0, 1.0), (0.0, 2.0), (5.0, 6.0)], &opts, |x| {
            vec![3.0 * x[0] - 1.0 * x[1], x[0] * x[1]]
        });
        let lin = &r[0];
        assert!((lin[0].mu_star.estimate - 3.0).abs() < 1e-9, "{:?}", lin[0]);
        assert!((lin[1].mu.estimate + 2.0).abs() < 1e-9, "{:?}", lin[1]);
        assert!((lin[1].mu_star.estimate - 2.0).abs() < 1e-9);
        assert!(lin[0].sigma.estimate < 1e-9 && lin[1].sigma.estimate < 1e-9);
        assert_eq!(lin[2].mu_star.estimate, 0.0);
        assert_eq!(lin[2].mu_star.high, 0.0);
        // An interaction shows as spread.
        let inter = &r[1];
        assert!(
            inter[0].sigma.estimate > 0.1 && inter[1].sigma.estimate > 0.1,
            "{inter:?}"
        );
        assert!(
            inter[0].mu_star.low <= inter[0].mu_star.estimate && inter[0].mu_star.estimate <= inter[0].mu_star.high
        );
    }

    #[test]
    fn morris_skips_moves_that_rounding_made_empty() {
        let opts = MorrisOptions {
            trajectories: 10,
            levels: 4,
            seed: 5,
            bootstrap: 300,
        };
        let mut d = MorrisDesign::new(2, &opts);
        // Parameter 1 taken to two values, 0 below 0.7 and 1 above: on the
        // grid 0, 1/3, 2/3, 1 with steps of 2/3, the moves between 0 and
        // 2/3 become empty, those between 1/3 and 1 are left.
        for p in d.points.iter_mut() {
            p[1] = if p[1] > 0.7 { 1.0 } else { 0.0 };
        }
        let y: Vec<Vec<f64>> = d.points.iter().map(|p| vec![2.0 * p[0] + 5.0 * p[1]]).collect();
        let r = d.analyze(&y, &opts);
        let kept = d.effects(&y, 0)[1].iter().flatten().count();
        assert!(0 < kept && kept < 10, "{kept} of 10 moves kept");
        assert!((r[0][0].mu.estimate - 2.0).abs() < 1e-9, "{:?}", r[0][0]);
        assert!((r[0][1].mu.estimate - 5.0).abs() < 1e-9, "{:?}", r[0][1]);
        assert!((r[0][1].mu_star.low - 5.0).abs() < 1e-9 && (r[0][1].mu_star.high - 5.0).abs() < 1e-9);
        // No move left at all: no measure, and no panic.
        for p in d.points.iter_mut() {
            p[1] = 0.0;
        }
        let r = d.analyze(&y, &opts);
        assert!(r[0][1].mu.estimate.is_nan() && r[0][1].mu_star.low.is_nan());
    }

    #[test]
    fn morris_trajectories_move_one_parameter_by_delta() {
        let opts = MorrisOptions {
            trajectories: 5,
            levels: 6,
            seed: 9,
            bootstrap: 0,
        };
        let d = MorrisDesign::new(4, &opts);
        assert_eq!(d.points.len(), 5 * 5);
        let delta = 6.0 / 10.0;
        for (t, steps) in d.moves.iter().enumerate() {
            let mut moved: Vec<usize> = steps.iter().map(|s| s.0).collect();
            moved.sort();
            assert_eq!(moved, vec![0, 1, 2, 3]);
            for (j, &(i, step)) in steps.iter().enumerate() {
                let (x0, x1) = (&d.points[t * 5 + j], &d.points[t * 5 + j + 1]);
                assert!((x1[i] - x0[i] - step).abs() < 1e-12);
                assert!((step.abs() - delta).abs() < 1e-12);
                assert!(x1.iter().all(|v| (0.0..=1.0).contains(v)));
                assert_eq!((0..4).filter(|&m| x0[m] != x1[m]).count(), 1);
            }
        }
        assert_eq!(d, MorrisDesign::new(4, &opts));
    }

    #[test]
    fn morris_levels_are_the_same_floats_and_equal_effects_have_no_spread() {
        for levels in [4, 6, 8, 10] {
            let opts = MorrisOptions {
                trajectories: 40,
                levels,
                seed: 3,
                bootstrap: 100,
            };
            let d = MorrisDesign::new(2, &opts);
            // Every coordinate is one of the p levels, bit for bit, however
            // it was reached.
            let grid: Vec<f64> = (0..levels).map(|l| l as f64 / (levels - 1) as f64).collect();
            assert!(d.points.iter().flatten().all(|x| grid.contains(x)));
            // An output that moves by exactly 1 with every step of parameter
            // 0 and not with parameter 1: every effect of parameter 0 is one
            // number, so its spread is exactly 0 and its mean that number.
            let mut y = Vec::new();
            for steps in &d.moves {
                let mut v = 0.0;
                y.push(vec![v]);
                for &(i, step) in steps {
                    if i == 0 {
                        v += step.signum();
                    }
                    y.push(vec![v]);
                }
            }
            let m = d.analyze(&y, &opts);
            let delta = levels as f64 / (2.0 * (levels - 1) as f64);
            let effect = 1.0 / delta;
            assert_eq!(m[0][0].sigma.estimate, 0.0, "levels {levels}");
            assert_eq!(m[0][0].mu.estimate, effect, "levels {levels}");
            assert_eq!(m[0][0].mu_star.estimate, effect, "levels {levels}");
            assert_eq!((m[0][0].sigma.low, m[0][0].sigma.high), (0.0, 0.0), "levels {levels}");
            assert_eq!(m[0][1].mu_star.estimate, 0.0, "levels {levels}");
        }
    }

    #[test]
    fn bootstrap_interval_quantiles() {
        // No estimate, no interval, whatever the replicates.
        let none = interval(f64::NAN, vec![0.1, 0.2, 0.3]);
        assert!(none.estimate.is_nan() && none.low.is_nan() && none.high.is_nan());
        let i = interval(0.5, (0..=100).map(|x| x as f64 / 100.0).collect());
        assert!((i.low - 0.025).abs() < 1e-12 && (i.high - 0.975).abs() < 1e-12);
        assert!(interval(1.0, vec![]).low.is_nan());
    }

    #[test]
    fn sobol_intervals_cover_the_ishigami_truth_about_95_percent_of_the_time() {
        // 20 independent seeds x 6 intervals = 120 intervals. At a true 95%
        // coverage about 114 contain the analytic value (sd 2.4); fewer than
        // 100 would mean the bootstrap intervals are far too narrow.
        let s1 = [0.3139, 0.4424, 0.0];
        let st = [0.5576, 0.4424, 0.2437];
        let mut covered = 0;
        for seed in 0..20 {
            let opts = SobolOptions {
                samples: 8192,
                seed,
                bootstrap: 400,
            };
            let r = sobol(&[(-PI, PI); 3], &opts, ishigami);
            for i in 0..3 {
                covered += contains(&r[0][i].s1, s1[i]) as u32 + contains(&r[0][i].st, st[i]) as u32;
            }
        }
        assert!(covered >= 100, "only {covered} of 120 intervals contain the truth");
    }
}
