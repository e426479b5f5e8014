//! Paired comparison of two designs on common random numbers.
//!
//! Run `i` of design A and run `i` of design B draw from the same random
//! streams, keyed by (seed, point, `i`) and split by purpose (see
//! [`crate::model::rng`]): the same demand path, the same quality noise, the
//! same audits. Their difference, run by run, is free of most of the
//! run-to-run noise that two separate samples would carry, so its interval
//! is narrower than the one from two independent samples of the same size.
//!
//! Both runs of a pair are simulated in the same parallel task and the
//! per-run values and their difference go straight into order-independent
//! accumulators ([`MeanAcc`]): nothing is stored per run, and the result is
//! the same to the bit on any number of threads.

use rayon::prelude::*;

use super::aggregate::{Aggregate, FIGURES, figure_values};
use super::montecarlo::{BLOCK, Plan, Spares, chunks};
use super::precision::{Precision, worst_half_width};
use crate::model::{NoObserver, Outcome, RunResult, World};
use crate::scenario::Scenario;
use crate::stats::{Interval, MeanAcc};

/// The paired metrics, in order: the run share of each outcome of
/// `summary.json`, the both-lose share, then the mean of each figure.
pub fn paired_metric_names() -> Vec<String> {
    let mut out: Vec<String> = super::metrics::OUTCOMES
        .iter()
        .map(|o| format!("{o}_run_share"))
        .collect();
    out.push("both_lose_run_share".into());
    out.extend(FIGURES.iter().map(|f| format!("{}_mean", f.name)));
    out
}

/// Number of paired metrics: 8 outcome shares, both-lose, 16 figures.
pub const PAIRED: usize = 9 + FIGURES.len();
/// The first paired metrics are shares (indicators per run).
pub const SHARES: usize = 9;

/// The per-run values of the paired metrics: 1 or 0 for the shares (the
/// run has such an episode, both lose), then the figures (`NaN` where the
/// run has none).
pub fn paired_values(r: &RunResult) -> [f64; PAIRED] {
    let ind = |b: bool| if b { 1.0 } else { 0.0 };
    let o = |x: Outcome| ind(r.outcomes[x.index()] > 0);
    let mut v = [0.0; PAIRED];
    v[0] = o(Outcome::Continued);
    v[1] = o(Outcome::Switched);
    v[2] = o(Outcome::Initiated);
    v[3] = o(Outcome::Involuntary);
    v[4] = ind(r.involuntary_exit > 0);
    v[5] = ind(r.involuntary_failure > 0);
    v[6] = o(Outcome::WoundDown);
    v[7] = ind(r.backsourcings() > 0);
    v[8] = ind(r.both_lose());
    v[SHARES..].copy_from_slice(&figure_values(r));
    v
}

/// Accumulators of one paired metric.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PairAcc {
    /// Values of A (runs where A has one).
    pub a: MeanAcc,
    /// Values of B (runs where B has one).
    pub b: MeanAcc,
    /// Differences B - A over runs where both have one.
    pub d: MeanAcc,
    /// Runs where A's value is above B's (for a share: A only).
    pub only_a: u64,
    /// Runs where B's value is above A's (for a share: B only).
    pub only_b: u64,
}

/// The result of a paired comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Paired {
    /// Aggregate of design A (as `backsim run` of A would give).
    pub a: Aggregate,
    /// Aggregate of design B.
    pub b: Aggregate,
    /// Per paired metric ([`paired_metric_names`]).
    pub pairs: Vec<PairAcc>,
}

impl Paired {
    /// Empty, for horizons of `pa` and `pb` periods.
    pub fn new(pa: u32, pb: u32) -> Self {
        Paired {
            a: Aggregate::new(pa),
            b: Aggregate::new(pb),
            pairs: vec![PairAcc::default(); PAIRED],
        }
    }

    /// Empty, with its aggregates taken from `spares`.
    fn from_spares(spares: &Spares, pa: u32, pb: u32) -> Self {
        Paired {
            a: spares.take(pa),
            b: spares.take(pb),
            pairs: vec![PairAcc::default(); PAIRED],
        }
    }

    /// Merges `o` into `total` and keeps its aggregates in `spares`, or
    /// makes `o` the total if there is none yet (see [`Spares::absorb`]).
    fn absorb(total: &mut Option<Paired>, o: Paired, spares: &Spares) {
        let Some(t) = total else {
            *total = Some(o);
            return;
        };
        t.merge(&o);
        spares.keep(o.a);
        spares.keep(o.b);
    }

    /// Merges another result (exact, order-independent).
    pub fn merge(&mut self, o: &Paired) {
        self.a.merge(&o.a);
        self.b.merge(&o.b);
        for (x, y) in self.pairs.iter_mut().zip(&o.pairs) {
            x.a.merge(&y.a);
            x.b.merge(&y.b);
            x.d.merge(&y.d);
            x.only_a += y.only_a;
            x.only_b += y.only_b;
        }
    }

    /// The comparison of each paired metric.
    pub fn rows(&self) -> Vec<PairedRow> {
        paired_metric_names()
            .into_iter()
            .zip(&self.pairs)
            .enumerate()
            .map(|(i, (name, p))| PairedRow::new(name, p, i < SHARES))
            .collect()
    }

    /// The largest 95% half-width of any share of A or B and of any paired
    /// difference of run shares: the stopping rule of `--precision`.
    pub fn worst_half_width(&self) -> f64 {
        let d = self.pairs[..SHARES]
            .iter()
            .map(|p| p.share_difference().half_width())
            .fold(0.0, f64::max);
        worst_half_width(&self.a).max(worst_half_width(&self.b)).max(d)
    }
}

/// One row of `compare.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct PairedRow {
    /// Metric name.
    pub metric: String,
    /// A with its 95% interval (Wilson for shares, Student's t for means).
    pub a: Interval,
    /// B with its 95% interval.
    pub b: Interval,
    /// Mean paired difference B - A with its 95% interval.
    pub difference: Interval,
    /// The interval of the difference from two independent samples of the
    /// same sizes: for a share, Newcombe's hybrid score interval from the two
    /// Wilson intervals ([`crate::stats::unpaired_difference`]); for a mean,
    /// B - A ± t sqrt(var_A / n_A + var_B / n_B), with Welch's degrees of
    /// freedom ([`crate::stats::welch_half_width`]).
    pub unpaired: Interval,
    /// Share of the variance of the difference removed by pairing:
    /// 1 - var(B - A) / (var A + var B). 0.9 means the paired comparison
    /// needs a tenth of the runs for the same precision.
    pub variance_reduction: f64,
    /// Runs where both designs have a value.
    pub pairs: u64,
}

impl PairAcc {
    /// For a share (values 0 and 1 in every run): the paired difference
    /// B - A with Newcombe's interval ([`crate::stats::paired_difference`]).
    fn share_difference(&self) -> Interval {
        let hits = |m: &MeanAcc| m.sum().round() as u64;
        crate::stats::paired_difference(self.d.count(), hits(&self.a), hits(&self.b), self.only_a, self.only_b)
    }
}

impl PairedRow {
    fn new(metric: String, p: &PairAcc, share: bool) -> Self {
        let (a, b) = if share {
            (
                crate::stats::wilson(p.a.sum().round() as u64, p.a.count()),
                crate::stats::wilson(p.b.sum().round() as u64, p.b.count()),
            )
        } else {
            (p.a.ci95(), p.b.ci95())
        };
        let difference = if share { p.share_difference() } else { p.d.ci95() };
        let (va, vb) = (p.a.variance(), p.b.variance());
        // The unpaired interval and the variance reduction compare with
        // the paired difference only when it is over the same runs: for a
        // figure some runs lack (the period of the first backsourcing), the
        // pairs are fewer than either design's runs, and both are left empty.
        let same_runs = p.d.count() == p.a.count() && p.d.count() == p.b.count();
        let unpaired = if !same_runs {
            Interval::NONE
        } else if share {
            // As the paired interval of a share, Newcombe's, which is not
            // of zero width where neither design varies.
            crate::stats::unpaired_difference(a, b)
        } else {
            let diff = p.b.mean() - p.a.mean();
            let half = crate::stats::welch_half_width(va, p.a.count(), vb, p.b.count());
            Interval {
                estimate: diff,
                low: diff - half,
                high: diff + half,
            }
        };
        let variance_reduction = if same_runs && va + vb > 0.0 && p.d.count() > 1 {
            1.0 - p.d.variance() / (va + vb)
        } else {
            f64::NAN
        };
        PairedRow {
            metric,
            a,
            b,
            difference,
            unpaired,
            variance_reduction,
            pairs: p.d.count(),
        }
    }
}

/// Adds the pairs of runs `runs` into `out`.
fn run_chunk(wa: &mut World, wb: &mut World, plan: &Plan, runs: std::ops::Range<u64>, out: &mut Paired) {
    for run in runs {
        let ra = wa.run_seeded(plan.seed, plan.point, run, &mut NoObserver);
        out.a.add(&ra, wa);
        let rb = wb.run_seeded(plan.seed, plan.point, run, &mut NoObserver);
        out.b.add(&rb, wb);
        let (va, vb) = (paired_values(&ra), paired_values(&rb));
        for (k, acc) in out.pairs.iter_mut().enumerate() {
            acc.a.add(va[k]);
            acc.b.add(vb[k]);
            if va[k].is_finite() && vb[k].is_finite() {
                acc.d.add(vb[k] - va[k]);
                acc.only_a += (va[k] > vb[k]) as u64;
                acc.only_b += (vb[k] > va[k]) as u64;
            }
        }
    }
}

/// Simulates runs `plan.first_run ..` of both designs on the current rayon
/// pool, pair by pair; `progress` is told how many runs (pairs) each chunk
/// finished.
pub fn simulate_pairs(a: &Scenario, b: &Scenario, plan: &Plan, progress: &(dyn Fn(u64) + Sync)) -> Paired {
    simulate_pairs_with(a, b, plan, &Spares::default(), progress)
}

/// [`simulate_pairs`], taking and keeping aggregates in `spares` (the same
/// result; see [`Spares`]).
fn simulate_pairs_with(
    a: &Scenario,
    b: &Scenario,
    plan: &Plan,
    spares: &Spares,
    progress: &(dyn Fn(u64) + Sync),
) -> Paired {
    let mut total = None;
    let end = plan.first_run + plan.runs;
    let mut start = plan.first_run;
    while start < end {
        let block_end = (start + BLOCK).min(end);
        // Each rayon split adds its pairs into one accumulator (they merge
        // exactly, so the split does not matter).
        let parts: Vec<(World, World, Paired)> = chunks(start..block_end)
            .into_par_iter()
            .fold(
                || {
                    (
                        World::new(a),
                        World::new(b),
                        Paired::from_spares(spares, a.time.periods, b.time.periods),
                    )
                },
                |(mut wa, mut wb, mut out), runs| {
                    let n = runs.end - runs.start;
                    run_chunk(&mut wa, &mut wb, plan, runs, &mut out);
                    progress(n);
                    (wa, wb, out)
                },
            )
            .collect();
        for (_, _, o) in parts {
            Paired::absorb(&mut total, o, spares);
        }
        start = block_end;
    }
    total.unwrap_or_else(|| Paired::new(a.time.periods, b.time.periods))
}

/// Like [`simulate_pairs`] from run 0, in batches until
/// [`Paired::worst_half_width`] is at most the precision or `max_runs` pairs
/// are done.
pub fn simulate_pairs_precise(
    a: &Scenario,
    b: &Scenario,
    plan: &Plan,
    precision: &Precision,
    progress: &(dyn Fn(u64) + Sync),
) -> Paired {
    // The batches' aggregates are reused from batch to batch.
    let spares = Spares::default();
    let mut total = None;
    for (first_run, runs) in precision.batches() {
        let batch = Plan {
            first_run,
            runs,
            ..*plan
        };
        Paired::absorb(
            &mut total,
            simulate_pairs_with(a, b, &batch, &spares, progress),
            &spares,
        );
        if total
            .as_ref()
            .is_some_and(|t| t.worst_half_width() <= precision.half_width)
        {
            break;
        }
    }
    total.unwrap_or_else(|| Paired::new(a.time.periods, b.time.periods))
}

#[cfg(test)]
// The system's math functions make test inputs and expected values here;
// no output depends on them (see src/math.rs).
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use crate::experiment::simulate;
    use crate::stats::t975;

    fn plan(runs: u64) -> Plan {
        Plan::new(11, runs)
    }

    fn variant(set: &str) -> Scenario {
        Scenario::from_toml_str_with("", "test", &[set.to_string()]).unwrap()
    }

    /// The total-cost row of `runs` pairs of [`sanction_pair`].
    fn sanction_cost_row(runs: u64) -> PairedRow {
        let (a, b) = sanction_pair();
        let rows = simulate_pairs(&a, &b, &plan(runs), &|_| {}).rows();
        rows.into_iter().find(|r| r.metric == "total_cost_mean").unwrap()
    }

    /// Two designs that differ in the sanction rate only.
    fn sanction_pair() -> (Scenario, Scenario) {
        (
            variant("contract.sanction_rate=0.1"),
            variant("contract.sanction_rate=0.3"),
        )
    }

    #[test]
    fn each_side_equals_its_own_run_and_threads_do_not_matter() {
        let (a, b) = sanction_pair();
        let go = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| simulate_pairs(&a, &b, &plan(1100), &|_| {}))
        };
        let p1 = go(1);
        assert_eq!(p1, go(3));
        let ra = simulate(&a, &plan(1100), |_| Ok::<(), ()>(())).unwrap();
        let rb = simulate(&b, &plan(1100), |_| Ok::<(), ()>(())).unwrap();
        assert_eq!(p1.a, ra);
        assert_eq!(p1.b, rb);
    }

    #[test]
    fn identical_designs_differ_by_exactly_zero() {
        let a = Scenario::default();
        let p = simulate_pairs(&a, &a, &plan(300), &|_| {});
        for (i, r) in p.rows().iter().enumerate() {
            if r.pairs > 0 {
                assert_eq!(r.difference.estimate, 0.0, "{}", r.metric);
                if i < SHARES {
                    // Newcombe's interval: no pair differs, yet the shares
                    // are estimates; an interval around 0, not [0, 0].
                    assert!(r.difference.low < 0.0 || r.difference.high > 0.0, "{r:?}");
                    assert!(r.difference.low <= 0.0 && r.difference.high >= 0.0, "{r:?}");
                    // So is the unpaired one (Newcombe's too), even for a
                    // share that is 0 in both.
                    assert!(r.unpaired.low < 0.0 && r.unpaired.high > 0.0, "{r:?}");
                } else {
                    assert_eq!(r.difference.half_width(), 0.0, "{}", r.metric);
                }
            }
        }
    }

    #[test]
    fn pairing_narrows_the_interval_of_the_cost_difference() {
        let r = sanction_cost_row(2000);
        assert!(r.difference.half_width() < 0.5 * r.unpaired.half_width(), "{r:?}");
        assert!(r.variance_reduction > 0.5, "{r:?}");
        // The unpaired interval is centred on the same difference of means.
        assert!((r.unpaired.estimate - r.difference.estimate).abs() < 1e-9 * r.a.estimate.abs().max(1.0));
    }

    #[test]
    fn the_unpaired_interval_of_few_runs_uses_students_t() {
        let r = sanction_cost_row(8);
        let se = (r.a.half_width() / t975(7)).hypot(r.b.half_width() / t975(7));
        let t = r.unpaired.half_width() / se;
        // Welch's degrees of freedom lie between 7 and 14 for 8 pairs.
        assert!(t >= t975(14) * (1.0 - 1e-12) && t <= t975(7) * (1.0 + 1e-12), "{t}");
        assert!(t > 2.1, "not the normal 1.96: {t}");
    }

    #[test]
    fn precise_pairs_stop_on_the_rule() {
        let (a, b) = sanction_pair();
        let rule = Precision {
            half_width: 0.04,
            batch: 200,
            max_runs: 10_000,
        };
        let p = simulate_pairs_precise(&a, &b, &plan(0), &rule, &|_| {});
        assert!(p.worst_half_width() <= 0.04);
        assert_eq!(p.a.runs % 200, 0);
        assert_eq!(p, simulate_pairs(&a, &b, &plan(p.a.runs), &|_| {}));
    }
}
