//! Streaming, order-independent aggregation of run results.
//!
//! An [`Aggregate`] holds integer counts, exact sums ([`crate::stats::MeanAcc`])
//! and quantile sketches ([`crate::stats::Sketch`]); merging two of them is
//! exact, so the result is the same to the bit whatever the order runs are
//! added in or partial aggregates are merged in, and its memory does not grow
//! with the number of runs. Quantiles are read from the sketch: within
//! 2^-8 (0.39%) relative error of the exact order statistic.

use crate::model::{Outcome, PeriodStats, RunResult, World};
use crate::stats::{ClusterSums, MeanAcc, Sketch};

/// A figure reported per run: its name in files and how to read it.
#[derive(Clone, Copy, Debug)]
pub struct Figure {
    /// Name in `summary.json` and `sweep.csv`.
    pub name: &'static str,
    /// Unit: "currency" is replaced by the scenario's currency.
    pub unit: &'static str,
    /// Whether larger is worse (costs) or smaller is worse (profit, quality):
    /// the "worst 5%" tail is taken on that side.
    pub higher_is_worse: bool,
    /// Meaning.
    pub doc: &'static str,
}

impl Figure {
    /// Whether the figure's values are whole numbers (counts and period
    /// numbers), whose quantiles are read as such
    /// ([`crate::stats::Data::Whole`]).
    pub fn data(&self) -> crate::stats::Data {
        match self.unit {
            "count" | "period" => crate::stats::Data::Whole,
            _ => crate::stats::Data::Real,
        }
    }
}

/// Every per-run figure summarised with mean, interval, quantiles and tail.
pub const FIGURES: &[Figure] = &[
    Figure {
        name: "total_cost",
        unit: "currency",
        higher_is_worse: true,
        doc: "buyer's total cost over the run",
    },
    Figure {
        name: "payments",
        unit: "currency",
        higher_is_worse: true,
        doc: "payments to providers",
    },
    Figure {
        name: "in_house",
        unit: "currency",
        higher_is_worse: true,
        doc: "in-house production cost",
    },
    Figure {
        name: "spot",
        unit: "currency",
        higher_is_worse: true,
        doc: "spot purchases",
    },
    Figure {
        name: "transition",
        unit: "currency",
        higher_is_worse: true,
        doc: "backsourcing set-up and recruitment",
    },
    Figure {
        name: "legal",
        unit: "currency",
        higher_is_worse: true,
        doc: "disputes, legal cases and damages (net)",
    },
    Figure {
        name: "sanctions_received",
        unit: "currency",
        higher_is_worse: false,
        doc: "sanctions received from providers",
    },
    Figure {
        name: "excess_cost",
        unit: "currency",
        higher_is_worse: true,
        doc: "total cost minus the served volume at the opening price, indexed as signed",
    },
    Figure {
        name: "provider_profit",
        unit: "currency",
        higher_is_worse: false,
        doc: "all providers' profit (negative: loss)",
    },
    Figure {
        name: "unserved",
        unit: "places",
        higher_is_worse: true,
        doc: "demand not served",
    },
    Figure {
        name: "mean_quality",
        unit: "quality",
        higher_is_worse: false,
        doc: "volume-weighted mean delivered quality",
    },
    Figure {
        name: "complaints",
        unit: "count",
        higher_is_worse: true,
        doc: "complaints",
    },
    Figure {
        name: "sanctions",
        unit: "count",
        higher_is_worse: true,
        doc: "sanctions imposed",
    },
    Figure {
        name: "disputes",
        unit: "count",
        higher_is_worse: true,
        doc: "disputes started",
    },
    Figure {
        name: "legal_cases",
        unit: "count",
        higher_is_worse: true,
        doc: "legal cases started",
    },
    Figure {
        name: "first_backsourcing_period",
        unit: "period",
        higher_is_worse: false,
        doc: "period of the first backsourcing, over runs that have one",
    },
];

/// The values of [`FIGURES`] for one run (`NaN` where the run has none).
pub fn figure_values(r: &RunResult) -> [f64; 16] {
    let c = &r.costs;
    [
        c.total(),
        c.payments,
        c.in_house,
        c.spot,
        c.transition,
        c.legal,
        c.sanctions,
        c.excess(),
        r.provider_profit,
        r.unserved,
        r.mean_quality,
        r.complaints as f64,
        r.sanctions as f64,
        r.disputes as f64,
        r.legal_cases as f64,
        r.first_backsourcing.map_or(f64::NAN, |(_, _, t, _)| t as f64),
    ]
}

/// Series in the time series, per period.
pub const SERIES: [&str; 5] = ["buyer_trust", "provider_trust", "quality", "demand", "cost_per_served"];

fn series_values(p: &PeriodStats) -> [f64; 5] {
    [p.buyer_trust, p.provider_trust, p.quality, p.demand, p.cost_per_served]
}

/// A run's episodes in each category of [`Aggregate::episode_clusters`].
fn episode_counts(r: &RunResult) -> [u64; 8] {
    let o = r.outcomes.map(u64::from);
    [
        o[0],
        o[1],
        o[2],
        o[3],
        o[4],
        r.involuntary_exit.into(),
        r.involuntary_failure.into(),
        r.backsourcings().into(),
    ]
}

/// Aggregated results of many runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregate {
    /// Runs added.
    pub runs: u64,
    /// Runs with at least one episode of each outcome.
    pub outcome_runs: [u64; 5],
    /// Runs with an involuntary episode by exit / failure.
    pub involuntary_cause_runs: [u64; 2],
    /// Runs with any backsourcing.
    pub backsourcing_runs: u64,
    /// Runs where both parties lose.
    pub both_lose: u64,
    /// Episodes by kind, with the per-run sums that the intervals of the
    /// episode shares need (the episodes of a run share its future, so they
    /// are clustered in runs, not independent): the five outcomes in the
    /// order of [`Outcome::ALL`], involuntary by exit and by failure, and
    /// any backsourcing. `hits` counts the episodes of the kind, `items`
    /// all episodes.
    pub episode_clusters: [ClusterSums; 8],
    /// Mean accumulators of [`FIGURES`].
    pub means: Vec<MeanAcc>,
    /// Sketches of [`FIGURES`].
    pub sketches: Vec<Sketch>,
    /// Initially contracted units over all runs.
    pub initial_units: u64,
    /// First episodes of initial units ending in each period, by outcome:
    /// `[period][outcome]`.
    pub first_ends: Vec<[u64; 5]>,
    /// Per period and series, a sketch of the run values.
    pub series: Vec<[Sketch; 5]>,
}

impl Aggregate {
    /// An empty aggregate for a horizon of `periods`.
    pub fn new(periods: u32) -> Self {
        Aggregate {
            runs: 0,
            outcome_runs: [0; 5],
            involuntary_cause_runs: [0; 2],
            backsourcing_runs: 0,
            both_lose: 0,
            episode_clusters: [ClusterSums::default(); 8],
            means: vec![MeanAcc::new(); FIGURES.len()],
            sketches: vec![Sketch::new(); FIGURES.len()],
            initial_units: 0,
            first_ends: vec![[0; 5]; periods as usize],
            series: (0..periods).map(|_| std::array::from_fn(|_| Sketch::new())).collect(),
        }
    }

    /// Empties the aggregate: it is then equal to `Aggregate::new` for the
    /// same horizon, but its sketches keep the memory they had grown to.
    pub fn clear(&mut self) {
        // Every field by name, so that a new field cannot be forgotten here.
        let Aggregate {
            runs,
            outcome_runs,
            involuntary_cause_runs,
            backsourcing_runs,
            both_lose,
            episode_clusters,
            means,
            sketches,
            initial_units,
            first_ends,
            series,
        } = self;
        for n in [runs, backsourcing_runs, both_lose, initial_units] {
            *n = 0;
        }
        outcome_runs.fill(0);
        involuntary_cause_runs.fill(0);
        episode_clusters.fill(ClusterSums::default());
        means.fill(MeanAcc::new());
        sketches.iter_mut().for_each(Sketch::clear);
        first_ends.fill([0; 5]);
        series.iter_mut().flatten().for_each(Sketch::clear);
    }

    /// Episodes over all runs.
    pub fn episodes(&self) -> u64 {
        self.episode_clusters[0].items
    }

    /// Adds one run; `world` still holds its per-period record.
    pub fn add(&mut self, r: &RunResult, world: &World) {
        self.runs += 1;
        for o in Outcome::ALL {
            self.outcome_runs[o.index()] += (r.outcomes[o.index()] > 0) as u64;
        }
        for (i, n) in [r.involuntary_exit, r.involuntary_failure].into_iter().enumerate() {
            self.involuntary_cause_runs[i] += (n > 0) as u64;
        }
        self.backsourcing_runs += (r.backsourcings() > 0) as u64;
        self.both_lose += r.both_lose() as u64;
        let episodes = r.episodes as u64;
        for (c, k) in self.episode_clusters.iter_mut().zip(episode_counts(r)) {
            c.add(k, episodes);
        }
        for (i, x) in figure_values(r).into_iter().enumerate() {
            if !x.is_nan() {
                self.means[i].add(x);
                self.sketches[i].insert(x);
            }
        }
        let horizon = self.first_ends.len() as u32;
        for (o, t) in world.first_ends.iter().flatten() {
            if *t < horizon && *o != Outcome::Continued {
                self.first_ends[*t as usize][o.index()] += 1;
            }
        }
        self.initial_units += world.scenario().contracted_unit_count() as u64;
        for (t, p) in world.periods.iter().enumerate() {
            for (s, x) in series_values(p).into_iter().enumerate() {
                if x.is_finite() {
                    self.series[t][s].insert(x);
                }
            }
        }
    }

    /// Merges another aggregate into this one (exact, order-independent).
    pub fn merge(&mut self, o: &Aggregate) {
        self.runs += o.runs;
        for i in 0..5 {
            self.outcome_runs[i] += o.outcome_runs[i];
        }
        for i in 0..2 {
            self.involuntary_cause_runs[i] += o.involuntary_cause_runs[i];
        }
        self.backsourcing_runs += o.backsourcing_runs;
        self.both_lose += o.both_lose;
        for (a, b) in self.episode_clusters.iter_mut().zip(&o.episode_clusters) {
            a.merge(b);
        }
        for i in 0..FIGURES.len() {
            self.means[i].merge(&o.means[i]);
            self.sketches[i].merge(&o.sketches[i]);
        }
        self.initial_units += o.initial_units;
        for (a, b) in self.first_ends.iter_mut().zip(&o.first_ends) {
            for i in 0..5 {
                a[i] += b[i];
            }
        }
        for (a, b) in self.series.iter_mut().zip(&o.series) {
            for i in 0..5 {
                a[i].merge(&b[i]);
            }
        }
    }
}
