//! Scenario discovery: under which conditions does an outcome exceed a
//! threshold? The Patient Rule Induction Method (PRIM; Friedman and Fisher
//! 1999, as used in EMA Workbench) on the points of a sweep.
//!
//! Each point of a sweep is a set of parameter values and a Monte Carlo
//! estimate of a metric; the points whose metric passes the threshold are
//! the points "of interest". PRIM looks for a box (a range per numeric
//! parameter, a set of words per word parameter) that holds many of them
//! and few others. It starts from every point and peels: at each step it
//! removes one slice at the low or high end of one numeric parameter (a
//! share `peel` of the box's points, or the whole first or last value when
//! values repeat, as on a grid), or one word of a word parameter, choosing
//! the slice that raises the box's density the most per point removed. It
//! stops when the box is pure, when no slice raises the density, or when
//! the next box would hold less than `min_support` of the points. The boxes
//! along the way (the peeling trajectory) trade coverage (the share of the
//! points of interest inside) against density (the share of the box's
//! points that are of interest); the analyst picks one.
//!
//! Everything here is deterministic: ties are broken by parameter order,
//! low end before high end, and sums run in point order. Pure code, no I/O.

/// The columns of `backsim discover --csv`: one row per box of the
/// trajectory and varied parameter.
pub const TRAJECTORY_COLUMNS: [&str; 15] = [
    "metric",
    "side",
    "threshold",
    "box",
    "shown",
    "points",
    "of_interest",
    "support",
    "coverage",
    "density",
    "parameter",
    "limited",
    "low",
    "high",
    "words",
];

/// The points to search: parameter values per point, and which points are
/// of interest.
#[derive(Clone, Debug, PartialEq)]
pub struct Points {
    /// Parameter names, in column order.
    pub names: Vec<String>,
    /// For a parameter that takes words: the words (a point's value is the
    /// word's position); `None` for a numeric parameter.
    pub words: Vec<Option<Vec<String>>>,
    /// Per point, one value per parameter.
    pub x: Vec<Vec<f64>>,
    /// Per point, whether it is of interest.
    pub interest: Vec<bool>,
}

/// The restriction a box puts on one parameter.
#[derive(Clone, Debug, PartialEq)]
pub enum Limit {
    /// Values from `low` to `high`, both included (values seen at points).
    Range {
        /// Smallest value kept.
        low: f64,
        /// Largest value kept.
        high: f64,
    },
    /// The words kept, by position, in increasing order.
    Words(Vec<usize>),
}

/// One box of the peeling trajectory.
#[derive(Clone, Debug, PartialEq)]
pub struct BoxStats {
    /// Its step on the trajectory (0: every point).
    pub step: usize,
    /// Points inside.
    pub points: usize,
    /// Points of interest inside.
    pub hits: usize,
    /// Share of all points inside.
    pub support: f64,
    /// Share of the points of interest inside (NaN when there are none).
    pub coverage: f64,
    /// Share of the points inside that are of interest.
    pub density: f64,
    /// One limit per parameter.
    pub limits: Vec<Limit>,
}

/// What one limit of a box adds: the box without it, and a quasi-p-value.
#[derive(Clone, Debug, PartialEq)]
pub struct Restriction {
    /// The parameter's position.
    pub param: usize,
    /// Density of the box with this parameter's limit lifted.
    pub density_without: f64,
    /// Points inside the box with the limit lifted.
    pub points_without: usize,
    /// One-sided binomial probability of at least the box's hits among its
    /// points if each were of interest with `density_without` (EMA
    /// Workbench's quasi-p-value: small when the limit matters).
    pub quasi_p: f64,
}

/// Peeling settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Share of the box's points one peel removes (at least one point).
    pub peel: f64,
    /// Smallest share of all points a box may hold.
    pub min_support: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            peel: 0.05,
            min_support: 0.05,
        }
    }
}

impl Points {
    /// The box that holds every point: each numeric parameter from its
    /// smallest to its largest value, every word kept.
    pub fn whole_box(&self) -> Vec<Limit> {
        (0..self.names.len())
            .map(|j| match &self.words[j] {
                Some(words) => Limit::Words((0..words.len()).collect()),
                None => {
                    let (low, high) = self
                        .x
                        .iter()
                        .map(|p| p[j])
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
                    Limit::Range { low, high }
                }
            })
            .collect()
    }

    /// Whether point `i` lies in the box.
    fn inside(&self, i: usize, limits: &[Limit]) -> bool {
        limits.iter().enumerate().all(|(j, l)| {
            let v = self.x[i][j];
            match l {
                Limit::Range { low, high } => *low <= v && v <= *high,
                Limit::Words(kept) => kept.contains(&(v as usize)),
            }
        })
    }

    /// Points and points of interest in the box.
    pub fn count(&self, limits: &[Limit]) -> (usize, usize) {
        (0..self.x.len())
            .filter(|&i| self.inside(i, limits))
            .fold((0, 0), |(n, k), i| (n + 1, k + self.interest[i] as usize))
    }

    fn stats(&self, step: usize, limits: Vec<Limit>) -> BoxStats {
        let (points, hits) = self.count(&limits);
        let total_hits = self.interest.iter().filter(|&&b| b).count();
        BoxStats {
            step,
            points,
            hits,
            support: points as f64 / self.x.len() as f64,
            coverage: if total_hits > 0 {
                hits as f64 / total_hits as f64
            } else {
                f64::NAN
            },
            density: if points > 0 {
                hits as f64 / points as f64
            } else {
                f64::NAN
            },
            limits,
        }
    }

    /// The candidate boxes one peel of `limits` can reach, in a fixed order:
    /// for each parameter, the low end then the high end (numeric), or each
    /// word dropped in turn (words).
    fn candidates(&self, limits: &[Limit], peel: f64) -> Vec<Vec<Limit>> {
        let inside: Vec<usize> = (0..self.x.len()).filter(|&i| self.inside(i, limits)).collect();
        let n = inside.len();
        let k = ((peel * n as f64).floor() as usize).max(1);
        let mut out = Vec::new();
        for (j, limit) in limits.iter().enumerate() {
            match limit {
                Limit::Range { low, high } => {
                    let mut v: Vec<f64> = inside.iter().map(|&i| self.x[i][j]).collect();
                    v.sort_by(f64::total_cmp);
                    if v.is_empty() || v[0] == v[n - 1] {
                        continue;
                    }
                    // The low end: keep from the k-th smallest value on, or
                    // from the next value above the smallest when the k
                    // smallest are all equal.
                    let new_low = if v[k.min(n - 1)] > v[0] {
                        v[k.min(n - 1)]
                    } else {
                        *v.iter().find(|&&x| x > v[0]).unwrap_or(&v[n - 1])
                    };
                    let mut lower = limits.to_vec();
                    lower[j] = Limit::Range {
                        low: new_low,
                        high: *high,
                    };
                    out.push(lower);
                    let new_high = if v[n - 1 - k.min(n - 1)] < v[n - 1] {
                        v[n - 1 - k.min(n - 1)]
                    } else {
                        *v.iter().rev().find(|&&x| x < v[n - 1]).unwrap_or(&v[0])
                    };
                    let mut upper = limits.to_vec();
                    upper[j] = Limit::Range {
                        low: *low,
                        high: new_high,
                    };
                    out.push(upper);
                }
                Limit::Words(kept) => {
                    // Only words some point in the box has.
                    let present: Vec<usize> = kept
                        .iter()
                        .copied()
                        .filter(|&w| inside.iter().any(|&i| self.x[i][j] as usize == w))
                        .collect();
                    if present.len() < 2 {
                        continue;
                    }
                    for drop in &present {
                        let mut c = limits.to_vec();
                        c[j] = Limit::Words(present.iter().copied().filter(|w| w != drop).collect());
                        out.push(c);
                    }
                }
            }
        }
        out
    }

    /// The peeling trajectory, from the box of every point (step 0) on.
    pub fn peel(&self, settings: Settings) -> Vec<BoxStats> {
        let total = self.x.len();
        let mut trajectory = vec![self.stats(0, self.whole_box())];
        if total == 0 {
            return trajectory;
        }
        let min_points = min_points(settings.min_support, total);
        loop {
            let current = trajectory.last().expect("the trajectory starts with a box");
            if current.density >= 1.0 || current.hits == 0 {
                break;
            }
            // The peel that raises the density most per point removed (the
            // first such in candidate order on ties), as EMA Workbench
            // chooses; peeling stops when it would not raise the density
            // or would leave too small a box.
            let mut best: Option<(f64, BoxStats)> = None;
            for c in self.candidates(&current.limits, settings.peel) {
                let s = self.stats(current.step + 1, c);
                if s.points == 0 || s.points >= current.points {
                    continue;
                }
                let gain = (s.density - current.density) / (current.points - s.points) as f64;
                if best.as_ref().is_none_or(|(g, _)| gain > *g) {
                    best = Some((gain, s));
                }
            }
            match best {
                Some((gain, s)) if gain > 0.0 && s.points >= min_points => trajectory.push(s),
                _ => break,
            }
        }
        trajectory
    }

    /// What each limit of the box adds (only the parameters it restricts).
    pub fn restrictions(&self, b: &BoxStats) -> Vec<Restriction> {
        let whole = self.whole_box();
        (0..self.names.len())
            .filter(|&j| b.limits[j] != whole[j])
            .map(|j| {
                let mut lifted = b.limits.clone();
                lifted[j] = whole[j].clone();
                let (n, k) = self.count(&lifted);
                let density_without = if n > 0 { k as f64 / n as f64 } else { f64::NAN };
                Restriction {
                    param: j,
                    density_without,
                    points_without: n,
                    quasi_p: binomial_upper_tail(b.hits as u64, b.points as u64, density_without),
                }
            })
            .collect()
    }
}

/// The fewest points a box may hold: `min_support` of `total`, rounded up,
/// where a product such as 0.28 x 100 = 28.000000000000004 is taken as the
/// whole number it stands for; at least 1.
fn min_points(min_support: f64, total: usize) -> usize {
    ((min_support * total as f64 - 1e-9).ceil() as usize).max(1)
}

/// P(X >= k) for X binomial with `n` trials of probability `p`, summed from
/// the smallest term up in a fixed order. Written here because the chosen
/// crates have no binomial distribution function; `n` is a number of sweep
/// points, so the sum of at most `n` terms is cheap.
pub fn binomial_upper_tail(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n || p.is_nan() {
        return if k > n { 0.0 } else { f64::NAN };
    }
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    // ln(i!) by running sums: exact enough for the n of a sweep.
    let mut ln_fact = Vec::with_capacity(n as usize + 1);
    ln_fact.push(0.0f64);
    for i in 1..=n {
        ln_fact.push(ln_fact[i as usize - 1] + (i as f64).ln());
    }
    let (lp, lq) = (p.ln(), (-p).ln_1p());
    let term = |i: u64| {
        (ln_fact[n as usize] - ln_fact[i as usize] - ln_fact[(n - i) as usize] + i as f64 * lp + (n - i) as f64 * lq)
            .exp()
    };
    // From the largest i down: the small terms first.
    (k..=n).rev().map(term).sum::<f64>().min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// 1000 points uniform on [0, 1]^3; of interest exactly when
    /// x0 > 0.6 and x1 < 0.5 (a box of 20% of the space), x2 irrelevant.
    fn box_points(noise: f64) -> Points {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut x = Vec::new();
        let mut interest = Vec::new();
        for _ in 0..1000 {
            let p: Vec<f64> = (0..3).map(|_| rng.random::<f64>()).collect();
            let inside = p[0] > 0.6 && p[1] < 0.5;
            let flip = rng.random::<f64>() < noise;
            interest.push(inside != flip);
            x.push(p);
        }
        Points {
            names: vec!["a".into(), "b".into(), "c".into()],
            words: vec![None, None, None],
            x,
            interest,
        }
    }

    #[test]
    fn finds_a_known_box_and_leaves_the_irrelevant_parameter_alone() {
        let pts = box_points(0.0);
        let t = pts.peel(Settings::default());
        assert_eq!(t[0].support, 1.0);
        assert_eq!(t[0].coverage, 1.0);
        let hits = pts.interest.iter().filter(|&&b| b).count();
        assert!((t[0].density - hits as f64 / 1000.0).abs() < 1e-15);
        // Density rises and coverage falls along the trajectory.
        for w in t.windows(2) {
            assert!(w[1].density > w[0].density, "{:?}", (w[0].density, w[1].density));
            assert!(w[1].coverage <= w[0].coverage);
            assert!(w[1].points < w[0].points);
        }
        // Without noise, peeling ends at a pure box that holds most of them.
        let last = t.last().unwrap();
        assert_eq!(last.density, 1.0);
        assert!(last.coverage > 0.8, "coverage {}", last.coverage);
        let Limit::Range { low, .. } = last.limits[0] else {
            panic!()
        };
        let Limit::Range { high, .. } = last.limits[1] else {
            panic!()
        };
        assert!((0.55..0.7).contains(&low), "a from {low}");
        assert!((0.4..0.55).contains(&high), "b to {high}");
        // c hardly restricted: the restrictions that matter are on a and b.
        let r = pts.restrictions(last);
        let on = |j: usize| r.iter().find(|x| x.param == j);
        assert!(on(0).unwrap().quasi_p < 1e-6 && on(1).unwrap().quasi_p < 1e-6, "{r:?}");
        if let Some(c) = on(2) {
            assert!(c.density_without > 0.9, "{c:?}");
        }
    }

    #[test]
    fn noise_lowers_the_density_but_not_the_box() {
        let pts = box_points(0.1);
        let t = pts.peel(Settings::default());
        let best = t
            .iter()
            .filter(|b| b.coverage >= 0.5)
            .max_by(|a, b| a.density.total_cmp(&b.density))
            .unwrap();
        assert!(best.density > 0.7 && best.density < 1.0, "{best:?}");
        assert!(t.iter().all(|b| b.points >= 50), "min support 5% of 1000");
    }

    #[test]
    fn a_grid_peels_whole_values_and_words_one_at_a_time() {
        // A grid: x0 in 0..5, a word in {p, q, r}; of interest when x0 >= 3
        // and the word is q.
        let mut x = Vec::new();
        let mut interest = Vec::new();
        for rep in 0..4 {
            for a in 0..5 {
                for w in 0..3 {
                    x.push(vec![a as f64, w as f64]);
                    interest.push(a >= 3 && w == 1 && rep < 3);
                }
            }
        }
        let pts = Points {
            names: vec!["n".into(), "form".into()],
            words: vec![None, Some(vec!["p".into(), "q".into(), "r".into()])],
            x,
            interest,
        };
        let t = pts.peel(Settings::default());
        let last = t.last().unwrap();
        assert_eq!(last.limits[0], Limit::Range { low: 3.0, high: 4.0 });
        assert_eq!(last.limits[1], Limit::Words(vec![1]));
        assert_eq!((last.points, last.hits), (8, 6));
        assert_eq!(last.coverage, 1.0);
        // Every box's limits are values the points have.
        for b in &t {
            if let Limit::Range { low, high } = b.limits[0] {
                assert!(low.fract() == 0.0 && high.fract() == 0.0);
            }
        }
    }

    #[test]
    fn nothing_of_interest_or_everything_stops_at_once() {
        let mut pts = box_points(0.0);
        pts.interest = vec![false; 1000];
        let t = pts.peel(Settings::default());
        assert_eq!(t.len(), 1);
        assert!(t[0].coverage.is_nan());
        pts.interest = vec![true; 1000];
        assert_eq!(pts.peel(Settings::default()).len(), 1);
    }

    #[test]
    fn min_support_counts_whole_points() {
        assert_eq!(0.28 * 100.0, 28.000000000000004);
        assert_eq!(min_points(0.28, 100), 28);
        assert_eq!(min_points(0.05, 300), 15);
        assert_eq!(min_points(0.051, 100), 6);
        assert_eq!(min_points(1.0, 7), 7);
        assert_eq!(min_points(1e-9, 10), 1);
    }

    #[test]
    fn peeling_stops_when_the_best_slice_leaves_too_small_a_box() {
        // Half the points have the word q, all of them of interest; the
        // best slice drops the word p and leaves 50% of the points. With a
        // minimum of 55% peeling stops there, as in EMA Workbench, rather
        // than taking a worse slice of the numeric parameter.
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut x = Vec::new();
        for i in 0..200 {
            x.push(vec![(i % 2) as f64, rng.random::<f64>()]);
        }
        let interest = x.iter().map(|p| p[0] == 1.0).collect();
        let pts = Points {
            names: vec!["form".into(), "a".into()],
            words: vec![Some(vec!["p".into(), "q".into()]), None],
            x,
            interest,
        };
        let strict = Settings {
            peel: 0.05,
            min_support: 0.55,
        };
        assert_eq!(pts.peel(strict).len(), 1);
        let t = pts.peel(Settings::default());
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].limits[0], Limit::Words(vec![1]));
        assert_eq!(t[1].density, 1.0);
    }

    #[test]
    fn the_same_points_give_the_same_trajectory() {
        let pts = box_points(0.1);
        assert_eq!(pts.peel(Settings::default()), pts.peel(Settings::default()));
    }

    #[test]
    fn binomial_tail_matches_known_values() {
        // P(X >= 3), n = 5, p = 0.5: (10 + 5 + 1) / 32.
        assert!((binomial_upper_tail(3, 5, 0.5) - 0.5).abs() < 1e-12);
        // P(X >= 1), n = 10, p = 0.1: 1 - 0.9^10.
        assert!((binomial_upper_tail(1, 10, 0.1) - (1.0 - 0.9f64.powi(10))).abs() < 1e-12);
        assert!((binomial_upper_tail(10, 10, 0.1) - 1e-10).abs() < 1e-22);
        assert_eq!(binomial_upper_tail(0, 10, 0.3), 1.0);
        assert_eq!(binomial_upper_tail(11, 10, 0.3), 0.0);
        assert_eq!(binomial_upper_tail(2, 10, 0.0), 0.0);
        assert_eq!(binomial_upper_tail(2, 10, 1.0), 1.0);
    }
}
