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
//! Two further steps of PRIM serve a box one means to publish. Pasting
//! (Friedman and Fisher 1999) grows the chosen box back, one limit at a
//! time, where that raises its density: peeling in steps can cut a limit
//! further than it had to. Resampling (Kwakkel and Jaxa-Rozen 2016, as
//! EMA Workbench's `PrimBox.resample`) runs the same search on random
//! halves of the points and counts how often the boxes found limit each
//! parameter: a limit that few halves find is an accident of these points.
//!
//! Everything here is deterministic: ties are broken by parameter order,
//! low end before high end, and sums run in point order; the random halves
//! of resampling come from a generator keyed by a seed and the resample's
//! number. Pure code, no I/O.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::math;

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

/// How a box is chosen from a peeling trajectory.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Choice {
    /// The densest box that covers at least this share of the points of
    /// interest (the earliest on ties; the first box when none does).
    MinCoverage(f64),
    /// The box whose coverage is nearest this one (the earliest on ties;
    /// the first box when no box has a coverage).
    NearestCoverage(f64),
}

impl Choice {
    /// The step of the chosen box of a trajectory.
    pub fn pick(&self, trajectory: &[BoxStats]) -> usize {
        match *self {
            Choice::MinCoverage(min) => trajectory
                .iter()
                .filter(|b| b.coverage >= min)
                .fold(None::<&BoxStats>, |best, b| match best {
                    Some(x) if x.density >= b.density => Some(x),
                    _ => Some(b),
                })
                .map_or(0, |b| b.step),
            Choice::NearestCoverage(target) => trajectory
                .iter()
                .filter(|b| !b.coverage.is_nan())
                .fold(None::<&BoxStats>, |best, b| match best {
                    Some(x) if (x.coverage - target).abs() <= (b.coverage - target).abs() => Some(x),
                    _ => Some(b),
                })
                .map_or(0, |b| b.step),
        }
    }
}

/// Resampling settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Resampling {
    /// How many random halves of the points to search.
    pub resamples: usize,
    /// Seed of the halves.
    pub seed: u64,
    /// Whether each resample's box is pasted too.
    pub paste: bool,
    /// How each resample's box is chosen from its trajectory.
    pub choice: Choice,
}

/// The seed of `backsim discover --resample` when `--seed` is not given.
pub const DEFAULT_RESAMPLE_SEED: u64 = 1;

/// The smallest, middle and largest of some values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// The median (the mean of the middle two of an even number).
    pub median: f64,
    /// The smallest.
    pub min: f64,
    /// The largest.
    pub max: f64,
}

impl Spread {
    /// The spread of the values, sorted first so the order they come in
    /// does not matter (all NaN when there are none).
    fn of(values: impl Iterator<Item = f64>) -> Spread {
        let mut v: Vec<f64> = values.collect();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n == 0 {
            return Spread {
                median: f64::NAN,
                min: f64::NAN,
                max: f64::NAN,
            };
        }
        Spread {
            median: (v[(n - 1) / 2] + v[n / 2]) / 2.0,
            min: v[0],
            max: v[n - 1],
        }
    }
}

/// What resampling found: how reproducible a box is.
#[derive(Clone, Debug, PartialEq)]
pub struct Reproducibility {
    /// Per parameter, the share of the resampled boxes that limit it.
    pub limited: Vec<f64>,
    /// The coverage of the resampled boxes on all the points.
    pub coverage: Spread,
    /// The density of the resampled boxes on all the points.
    pub density: Spread,
    /// The resampled boxes as boxes of all the points, in resample order
    /// (each with the step it had in its resample's trajectory).
    pub boxes: Vec<BoxStats>,
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
        limits.iter().zip(&self.x[i]).all(|(l, &v)| within(v, l))
    }

    /// Whether point `i` lies in the box but for parameter `skip`'s limit.
    fn inside_except(&self, i: usize, limits: &[Limit], skip: usize) -> bool {
        limits
            .iter()
            .zip(&self.x[i])
            .enumerate()
            .all(|(j, (l, &v))| j == skip || within(v, l))
    }

    /// Points and points of interest in the box.
    pub fn count(&self, limits: &[Limit]) -> (usize, usize) {
        (0..self.x.len())
            .filter(|&i| self.inside(i, limits))
            .fold((0, 0), |(n, k), i| (n + 1, k + self.interest[i] as usize))
    }

    /// The box with these limits, counted on the points, as box `step` of
    /// a trajectory.
    pub fn stats(&self, step: usize, limits: Vec<Limit>) -> BoxStats {
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

    /// The candidate boxes one move of `limits` can reach, in a fixed order:
    /// for each parameter, the low end then the high end (numeric), or each
    /// word in turn (words). A peel removes a slice of about `share` of the
    /// box's points at one end, or one word; a paste adds back a slice of
    /// about as many points beyond one end, or one word.
    fn candidates(&self, limits: &[Limit], share: f64, step: Move) -> Vec<Vec<Limit>> {
        let inside: Vec<usize> = (0..self.x.len()).filter(|&i| self.inside(i, limits)).collect();
        let k = ((share * inside.len() as f64).floor() as usize).max(1);
        let mut out = Vec::new();
        for (j, limit) in limits.iter().enumerate() {
            // The points that decide the moves of this parameter: for a
            // peel those in the box, for a paste those that only this
            // parameter's limit leaves out.
            let beyond: Vec<usize>;
            let pool: &[usize] = match step {
                Move::Peel => &inside,
                Move::Paste => {
                    beyond = (0..self.x.len())
                        .filter(|&i| !self.inside(i, limits) && self.inside_except(i, limits, j))
                        .collect();
                    &beyond
                }
            };
            let with = |new: Limit| {
                let mut c = limits.to_vec();
                c[j] = new;
                c
            };
            match limit {
                Limit::Range { low, high } => {
                    let mut v: Vec<f64> = pool.iter().map(|&i| self.x[i][j]).collect();
                    v.sort_by(f64::total_cmp);
                    let (new_low, new_high) = match step {
                        Move::Peel => peeled_ends(&v, k),
                        Move::Paste => pasted_ends(&v, k, *low),
                    };
                    out.extend(new_low.map(|l| with(Limit::Range { low: l, high: *high })));
                    out.extend(new_high.map(|h| with(Limit::Range { low: *low, high: h })));
                }
                Limit::Words(kept) => {
                    // Only words some point of the pool has, in order.
                    let mut present: Vec<usize> = pool.iter().map(|&i| self.x[i][j] as usize).collect();
                    present.sort_unstable();
                    present.dedup();
                    out.extend(
                        moved_words(kept, &present, step)
                            .into_iter()
                            .map(|w| with(Limit::Words(w))),
                    );
                }
            }
        }
        out
    }

    /// The candidate with the highest score (the first such on ties), if
    /// any has a score; its statistics are those of box `step`.
    fn best_move(
        &self,
        candidates: Vec<Vec<Limit>>,
        step: usize,
        score: impl Fn(&BoxStats) -> Option<f64>,
    ) -> Option<(f64, BoxStats)> {
        let mut best: Option<(f64, BoxStats)> = None;
        for c in candidates {
            let s = self.stats(step, c);
            let Some(gain) = score(&s) else { continue };
            if best.as_ref().is_none_or(|(g, _)| gain > *g) {
                best = Some((gain, s));
            }
        }
        best
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
            let candidates = self.candidates(&current.limits, settings.peel, Move::Peel);
            let best = self.best_move(candidates, current.step + 1, |s| {
                (s.points > 0 && s.points < current.points)
                    .then(|| (s.density - current.density) / (current.points - s.points) as f64)
            });
            match best {
                Some((gain, s)) if gain > 0.0 && s.points >= min_points => trajectory.push(s),
                _ => break,
            }
        }
        trajectory
    }

    /// The box pasted (Friedman and Fisher 1999): grown back, one limit at
    /// a time, where that raises its density. Each step takes, among the
    /// widenings of one limit (one end of a numeric parameter moved out to
    /// take in about `share` of the box's points, at least one whole value;
    /// or one word added back), the one that raises the density most, the
    /// earliest parameter and the low end first on ties; pasting stops when
    /// none raises it. The pasted box keeps the step of `b`, and its density
    /// is never lower.
    pub fn paste(&self, b: &BoxStats, share: f64) -> BoxStats {
        let mut current = b.clone();
        loop {
            let candidates = self.candidates(&current.limits, share, Move::Paste);
            let best = self.best_move(candidates, current.step, |s| {
                (s.points > current.points).then_some(s.density - current.density)
            });
            match best {
                Some((gain, s)) if gain > 0.0 => current = s,
                _ => return current,
            }
        }
    }

    /// Whether some but not all of the points are of interest: only then
    /// is there something to tell apart.
    pub fn mixed(&self) -> bool {
        let hits = self.interest.iter().filter(|&&b| b).count();
        hits > 0 && hits < self.x.len()
    }

    /// The points at positions `keep` (in increasing order).
    fn subset(&self, keep: &[usize]) -> Points {
        Points {
            names: self.names.clone(),
            words: self.words.clone(),
            x: keep.iter().map(|&i| self.x[i].clone()).collect(),
            interest: keep.iter().map(|&i| self.interest[i]).collect(),
        }
    }

    /// The box of resample `index`: peeling (and pasting) on half of the
    /// points, the box chosen by `opts.choice`, then widened to a box of
    /// all the points ([`widen_open_ends`]) and counted on all of them.
    fn resampled_box(&self, settings: Settings, opts: &Resampling, index: usize) -> BoxStats {
        let mut rng = resample_rng(opts.seed, index);
        let half = self.subset(&half_of(self.x.len(), &mut rng));
        let trajectory = half.peel(settings);
        let mut chosen = trajectory[opts.choice.pick(&trajectory)].clone();
        if opts.paste {
            chosen = half.paste(&chosen, settings.peel);
        }
        let limits = widen_open_ends(&chosen.limits, &half.whole_box(), &self.whole_box());
        self.stats(chosen.step, limits)
    }

    /// Resampling (Kwakkel and Jaxa-Rozen 2016, as EMA Workbench's
    /// `PrimBox.resample`): the same peeling, pasting and choice of box
    /// on `opts.resamples` random halves of the points, and how often the
    /// boxes found limit each parameter. Each resample draws its half from
    /// its own generator, keyed by the seed and its number, and the
    /// resamples run in parallel, so the result does not depend on the
    /// number of threads.
    pub fn resample(&self, settings: Settings, opts: &Resampling) -> Reproducibility {
        use rayon::prelude::*;
        let boxes: Vec<BoxStats> = (0..opts.resamples)
            .into_par_iter()
            .map(|r| self.resampled_box(settings, opts, r))
            .collect();
        let whole = self.whole_box();
        let limited = (0..self.names.len())
            .map(|j| share_of(boxes.iter().filter(|b| b.limits[j] != whole[j]).count(), boxes.len()))
            .collect();
        Reproducibility {
            limited,
            coverage: Spread::of(boxes.iter().map(|b| b.coverage)),
            density: Spread::of(boxes.iter().map(|b| b.density)),
            boxes,
        }
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

/// The generator of resample `index` under `seed`: a ChaCha8 seeded
/// from the seed, on its own stream per resample, so each resample draws
/// the same half whichever thread runs it.
fn resample_rng(seed: u64, index: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index as u64);
    rng
}

/// Half of `n` positions (at least one when `n` is not 0), drawn without
/// replacement, in increasing order.
fn half_of(n: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let m = (n / 2).max(1).min(n);
    let mut half = rand::seq::index::sample(rng, n, m).into_vec();
    half.sort_unstable();
    half
}

/// A box found on some of the points as a box of all of them: an end at
/// the edge of `part`'s range (the box of those points) moves to the edge
/// of `whole`'s, so that a parameter the box does not limit keeps every
/// point and a limit of one end stays a limit of one end.
fn widen_open_ends(limits: &[Limit], part: &[Limit], whole: &[Limit]) -> Vec<Limit> {
    limits
        .iter()
        .zip(part.iter().zip(whole))
        .map(|(limit, ends)| match (limit, ends) {
            (Limit::Range { low, high }, (Limit::Range { low: pl, high: ph }, Limit::Range { low: wl, high: wh })) => {
                Limit::Range {
                    low: if low <= pl { *wl } else { *low },
                    high: if high >= ph { *wh } else { *high },
                }
            }
            _ => limit.clone(),
        })
        .collect()
}

/// `k` of `n` as a share (NaN when `n` is 0).
fn share_of(k: usize, n: usize) -> f64 {
    if n > 0 { k as f64 / n as f64 } else { f64::NAN }
}

/// Whether value `v` lies within a limit.
fn within(v: f64, limit: &Limit) -> bool {
    match limit {
        Limit::Range { low, high } => *low <= v && v <= *high,
        Limit::Words(kept) => kept.contains(&(v as usize)),
    }
}

/// Which way a candidate moves one limit of a box.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Move {
    /// Inwards: a slice of the box's points left out.
    Peel,
    /// Outwards: a slice of the points beyond one limit taken in.
    Paste,
}

/// The new low and high ends of a peel, from the box's values `v` of one
/// parameter in increasing order: each end moves past about `k` points, or
/// past the whole first (last) value when at least `k` points share it.
/// None when the box has a single value left.
fn peeled_ends(v: &[f64], k: usize) -> (Option<f64>, Option<f64>) {
    let n = v.len();
    if v.is_empty() || v[0] == v[n - 1] {
        return (None, None);
    }
    // The low end: keep from the k-th smallest value on, or from the next
    // value above the smallest when the k smallest are all equal.
    let new_low = if v[k.min(n - 1)] > v[0] {
        v[k.min(n - 1)]
    } else {
        *v.iter().find(|&&x| x > v[0]).unwrap_or(&v[n - 1])
    };
    let new_high = if v[n - 1 - k.min(n - 1)] < v[n - 1] {
        v[n - 1 - k.min(n - 1)]
    } else {
        *v.iter().rev().find(|&&x| x < v[n - 1]).unwrap_or(&v[0])
    };
    (Some(new_low), Some(new_high))
}

/// The new low and high ends of a paste, from the values `v` (increasing)
/// of one parameter at the points that only its limit leaves out, those
/// below `low` (the limit's low end) beyond it and the others beyond its
/// high end: each end moves out to the `k`-th nearest value beyond it (or
/// the farthest, when there are fewer), so it takes in at least `k` points
/// or all there are, and always whole values. None where there is none.
fn pasted_ends(v: &[f64], k: usize, low: f64) -> (Option<f64>, Option<f64>) {
    let below: Vec<f64> = v.iter().copied().filter(|&x| x < low).collect();
    let above: Vec<f64> = v.iter().copied().filter(|&x| x > low).collect();
    let new_low = below.len().checked_sub(k.min(below.len()).max(1)).map(|i| below[i]);
    let new_high = above.get(k.min(above.len()).max(1) - 1).copied();
    (new_low, new_high)
}

/// The word sets one move of a word parameter can reach, from the words
/// kept and the words `present` (increasing) at the points that decide
/// it: a peel drops one present word, when at least two are present; a
/// paste adds one back.
fn moved_words(kept: &[usize], present: &[usize], step: Move) -> Vec<Vec<usize>> {
    match step {
        Move::Peel if present.len() < 2 => Vec::new(),
        Move::Peel => present
            .iter()
            .map(|drop| present.iter().copied().filter(|w| w != drop).collect())
            .collect(),
        Move::Paste => present
            .iter()
            .map(|&add| {
                let mut words = kept.to_vec();
                words.push(add);
                words.sort_unstable();
                words
            })
            .collect(),
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
        ln_fact.push(ln_fact[i as usize - 1] + math::ln(i as f64));
    }
    let (lp, lq) = (math::ln(p), math::ln_1p(-p));
    let term = |i: u64| {
        math::exp(
            ln_fact[n as usize] - ln_fact[i as usize] - ln_fact[(n - i) as usize] + i as f64 * lp + (n - i) as f64 * lq,
        )
    };
    // From the largest i down: the small terms first.
    (k..=n).rev().map(term).sum::<f64>().min(1.0)
}

#[cfg(test)]
// The system's math functions make test inputs and expected values here;
// no output depends on them (see src/math.rs).
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use rand::RngExt;

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
        let pts = grid(4, 5, |rep, a, w| a >= 3 && w == 1 && rep < 3);
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

    /// A grid of `reps` x `values` x 3 points: a number `a` in
    /// 0..`values` and a word in {p, q, r}, each pair `reps` times; of
    /// interest where `interest(rep, a, word)`.
    fn grid(reps: usize, values: usize, interest: impl Fn(usize, usize, usize) -> bool) -> Points {
        let mut pts = Points {
            names: vec!["a".into(), "form".into()],
            words: vec![None, Some(vec!["p".into(), "q".into(), "r".into()])],
            x: Vec::new(),
            interest: Vec::new(),
        };
        for rep in 0..reps {
            for a in 0..values {
                for w in 0..3 {
                    pts.x.push(vec![a as f64, w as f64]);
                    pts.interest.push(interest(rep, a, w));
                }
            }
        }
        pts
    }

    /// A grid of 300 points: `a` in 0..10, a word in {p, q, r}, ten of
    /// each. Of interest where a >= 5 and the word is q or r, except for
    /// four of the ten q points at a = 8 and at a = 9.
    fn grid_points() -> Points {
        grid(10, 10, |rep, a, w| a >= 5 && (w == 2 || (w == 1 && (a < 8 || rep < 6))))
    }

    /// Whether box `outer` keeps everything box `inner` keeps.
    fn contains(outer: &[Limit], inner: &[Limit]) -> bool {
        outer.iter().zip(inner).all(|(o, i)| match (o, i) {
            (Limit::Range { low: ol, high: oh }, Limit::Range { low: il, high: ih }) => ol <= il && ih <= oh,
            (Limit::Words(o), Limit::Words(i)) => i.iter().all(|w| o.contains(w)),
            _ => false,
        })
    }

    #[test]
    fn pasting_recovers_what_over_peeling_cut() {
        // A box cut too far: a from 7 (the box is a >= 5) and the word q
        // alone (the box is q or r); 22 of its 30 points are of interest.
        let pts = grid_points();
        let cut = pts.stats(4, vec![Limit::Range { low: 7.0, high: 9.0 }, Limit::Words(vec![1])]);
        assert_eq!((cut.points, cut.hits), (30, 22));
        let pasted = pts.paste(&cut, 0.05);
        // Pasting adds back the word r, then a = 6 and a = 5, each a whole
        // value; a = 4 and the word p would lower the density.
        assert_eq!(
            pasted.limits,
            vec![Limit::Range { low: 5.0, high: 9.0 }, Limit::Words(vec![1, 2])]
        );
        assert_eq!((pasted.points, pasted.hits, pasted.step), (100, 92, 4));
        assert_eq!(pasted.coverage, 1.0);
        assert!(pasted.density > cut.density);
        // The pasted box is where pasting stops: pasting it again changes nothing.
        assert_eq!(pts.paste(&pasted, 0.05), pasted);
        // A share too small for a whole value still takes one in.
        assert_eq!(pts.paste(&cut, 1e-6).limits, pasted.limits);
    }

    #[test]
    fn pasting_recovers_a_numeric_limit_of_a_known_box() {
        // The known box of box_points (a > 0.6, b < 0.5), where only every
        // other point with a > 0.9 is of interest; peeled too far on a (from
        // 0.8), the box is denser in the part it cut than in the part it
        // kept. Pasting brings a back down to 0.6, one slice at a time, and
        // leaves b and c as they were.
        let mut pts = box_points(0.0);
        for (i, p) in pts.x.iter().enumerate() {
            if p[0] > 0.9 && i % 2 == 1 {
                pts.interest[i] = false;
            }
        }
        let whole = pts.whole_box();
        let (Limit::Range { high: a_high, .. }, Limit::Range { low: b_low, .. }) = (&whole[0], &whole[1]) else {
            panic!()
        };
        let mut limits = whole.clone();
        limits[0] = Limit::Range {
            low: 0.8,
            high: *a_high,
        };
        limits[1] = Limit::Range { low: *b_low, high: 0.5 };
        let cut = pts.stats(1, limits);
        assert!((0.6..0.9).contains(&cut.density), "{}", cut.density);
        let pasted = pts.paste(&cut, 0.05);
        let Limit::Range { low, high } = pasted.limits[0] else {
            panic!()
        };
        assert!((0.59..0.63).contains(&low), "a from {low}");
        assert_eq!(high, *a_high);
        assert_eq!(pasted.limits[1..], cut.limits[1..]);
        assert!(
            pasted.coverage > cut.coverage + 0.3,
            "{} -> {}",
            cut.coverage,
            pasted.coverage
        );
        assert!(
            pasted.density > cut.density + 0.1,
            "{} -> {}",
            cut.density,
            pasted.density
        );
    }

    #[test]
    fn pasting_never_lowers_the_density_nor_narrows_a_limit() {
        for (pts, peel) in [
            (box_points(0.1), 0.05),
            (box_points(0.1), 0.3),
            (box_points(0.3), 0.1),
            (grid_points(), 0.05),
        ] {
            let settings = Settings {
                peel,
                ..Settings::default()
            };
            for b in pts.peel(settings) {
                let pasted = pts.paste(&b, peel);
                assert!(pasted.density >= b.density, "{b:?} -> {pasted:?}");
                assert!(pasted.points >= b.points);
                assert!(contains(&pasted.limits, &b.limits), "{b:?} -> {pasted:?}");
                // A pure box has nothing to gain.
                if b.density == 1.0 {
                    assert_eq!(pasted, b);
                }
            }
        }
    }

    #[test]
    fn a_paste_of_a_box_without_points_of_interest_changes_nothing() {
        let mut pts = grid_points();
        pts.interest = vec![false; 300];
        let b = pts.stats(0, vec![Limit::Range { low: 3.0, high: 4.0 }, Limit::Words(vec![0])]);
        let pasted = pts.paste(&b, 0.05);
        assert_eq!((pasted.limits, pasted.points), (b.limits, b.points));
    }

    /// Resampling settings with the densest box covering half.
    fn halves(resamples: usize, seed: u64, paste: bool) -> Resampling {
        Resampling {
            resamples,
            seed,
            paste,
            choice: Choice::MinCoverage(0.5),
        }
    }

    #[test]
    fn resampling_a_clean_box_limits_its_parameters_and_rarely_the_other() {
        let pts = box_points(0.0);
        for paste in [false, true] {
            let found = pts.resample(Settings::default(), &halves(50, 3, paste));
            assert_eq!(found.boxes.len(), 50);
            assert!(
                found.limited[0] >= 0.95 && found.limited[1] >= 0.95,
                "{:?}",
                found.limited
            );
            assert!(found.limited[2] <= 0.1, "{:?}", found.limited);
            // On all the points the halves' boxes are nearly the true box.
            assert!(
                found.density.median > 0.95 && found.density.min > 0.85,
                "{:?}",
                found.density
            );
            assert!(found.coverage.median > 0.8, "{:?}", found.coverage);
            assert!(found.coverage.min <= found.coverage.median && found.coverage.median <= found.coverage.max);
            // Each box is counted on all 1000 points.
            for b in &found.boxes {
                assert_eq!(pts.count(&b.limits), (b.points, b.hits));
            }
        }
    }

    #[test]
    fn resampling_with_noise_still_limits_the_relevant_parameters() {
        let found = box_points(0.1).resample(Settings::default(), &halves(40, 5, true));
        assert!(
            found.limited[0] >= 0.9 && found.limited[1] >= 0.9,
            "{:?}",
            found.limited
        );
        assert!(found.density.min > 0.8, "{:?}", found.density);
    }

    #[test]
    fn the_same_seed_gives_the_same_resamples_on_any_number_of_threads() {
        let pts = box_points(0.2);
        let opts = halves(24, 11, true);
        let on = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| pts.resample(Settings::default(), &opts))
        };
        let one = on(1);
        assert_eq!(one, on(4));
        assert_eq!(one, pts.resample(Settings::default(), &opts));
        // Another seed draws other halves, and here other boxes.
        let other = pts.resample(Settings::default(), &halves(24, 12, true));
        assert_ne!(one.boxes, other.boxes);
        // The first resamples do not depend on how many follow.
        let fewer = pts.resample(Settings::default(), &halves(5, 11, true));
        assert_eq!(fewer.boxes[..], one.boxes[..5]);
    }

    #[test]
    fn resampling_with_a_chosen_box_takes_the_nearest_coverage() {
        let pts = box_points(0.1);
        let t = pts.peel(Settings::default());
        let k = t.len() / 2;
        let opts = Resampling {
            choice: Choice::NearestCoverage(t[k].coverage),
            ..halves(20, 1, false)
        };
        let found = pts.resample(Settings::default(), &opts);
        // A box from the middle of the trajectory: coverage near the chosen
        // box's, which is well below the whole box's.
        assert!(t[k].coverage < 0.97, "{}", t[k].coverage);
        assert!(
            (found.coverage.median - t[k].coverage).abs() < 0.1,
            "{:?} against {}",
            found.coverage,
            t[k].coverage
        );
    }

    #[test]
    fn choices_pick_the_densest_covering_enough_or_the_nearest_coverage() {
        let b = |step: usize, coverage: f64, density: f64| BoxStats {
            step,
            points: 10,
            hits: 5,
            support: 1.0,
            coverage,
            density,
            limits: Vec::new(),
        };
        let t = vec![b(0, 1.0, 0.5), b(1, 0.75, 0.7), b(2, 0.5, 0.7), b(3, 0.25, 0.9)];
        assert_eq!(Choice::MinCoverage(0.5).pick(&t), 1, "the earliest on ties");
        assert_eq!(Choice::MinCoverage(0.25).pick(&t), 3);
        assert_eq!(Choice::MinCoverage(1.0).pick(&t), 0);
        assert_eq!(Choice::NearestCoverage(0.55).pick(&t), 2);
        assert_eq!(Choice::NearestCoverage(0.625).pick(&t), 1, "the earliest on ties");
        assert_eq!(Choice::NearestCoverage(0.0).pick(&t), 3);
        let none = vec![b(0, f64::NAN, 0.0)];
        assert_eq!(Choice::NearestCoverage(0.5).pick(&none), 0);
        assert_eq!(Choice::MinCoverage(0.5).pick(&none), 0);
    }

    #[test]
    fn a_half_is_half_the_points_drawn_without_replacement() {
        let mut rng = resample_rng(1, 0);
        let h = half_of(101, &mut rng);
        assert_eq!(h.len(), 50);
        assert!(h.windows(2).all(|w| w[0] < w[1]) && h[49] < 101);
        assert_ne!(h, half_of(101, &mut resample_rng(1, 1)));
        assert_eq!(h, half_of(101, &mut resample_rng(1, 0)));
        assert_eq!(half_of(1, &mut rng), [0]);
        assert!(half_of(0, &mut rng).is_empty());
    }

    #[test]
    fn a_box_of_a_half_opens_its_free_ends_to_all_the_points() {
        let r = |low: f64, high: f64| Limit::Range { low, high };
        let part = [r(0.1, 0.9), r(0.1, 0.9), Limit::Words(vec![0, 1])];
        let whole = [r(0.0, 1.0), r(0.0, 1.0), Limit::Words(vec![0, 1])];
        let limits = [r(0.1, 0.5), r(0.3, 0.9), Limit::Words(vec![1])];
        assert_eq!(
            widen_open_ends(&limits, &part, &whole),
            [r(0.0, 0.5), r(0.3, 1.0), Limit::Words(vec![1])]
        );
        assert_eq!(widen_open_ends(&part, &part, &whole), whole);
    }

    #[test]
    fn a_spread_is_the_median_and_extremes_in_any_order() {
        let s = Spread::of([0.4, 0.1, 0.3, 0.2].into_iter());
        assert_eq!((s.median, s.min, s.max), (0.25, 0.1, 0.4));
        assert_eq!(Spread::of([0.3, 0.1, 0.2].into_iter()).median, 0.2);
        assert!(Spread::of(std::iter::empty()).median.is_nan());
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
