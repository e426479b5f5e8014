//! `summary.json`, `timeseries.csv` and the table printed on screen, all
//! read off an [`Aggregate`].

use indexmap::IndexMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::experiment::{Aggregate, FIGURES, SERIES};
use crate::model::Outcome;
use crate::scenario::Scenario;
use crate::stats::{Data, Interval, wilson};

/// Quantiles reported for every figure.
pub const QUANTILES: [(f64, &str); 5] = [(0.05, "p5"), (0.25, "p25"), (0.5, "p50"), (0.75, "p75"), (0.95, "p95")];

/// How quantiles are computed, written into `summary.json`.
pub const QUANTILE_METHOD: &str = "log-linear histogram (128 buckets per power of two, bucket midpoints; for whole-number figures below 256, the one whole number a bucket holds): each quantile is within 0.39% relative error of the exact order statistic of rank ceil(q n), and exact for whole-number figures below 256; exact and order-independent merging";

/// Shares of one outcome.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OutcomeShares {
    /// Episodes with this outcome.
    pub episodes: u64,
    /// Share of all episodes, Wilson 95% interval.
    pub episode_share: Interval,
    /// Runs with at least one such episode.
    pub runs: u64,
    /// Share of runs with at least one, Wilson 95% interval.
    pub run_share: Interval,
}

/// Summary statistics of one per-run figure.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FigureSummary {
    /// Unit of the figure.
    pub unit: String,
    /// Runs with a value.
    pub n: u64,
    /// Mean with a 95% interval (Student's t; NaN bounds for n < 2).
    pub mean: Interval,
    /// Standard deviation.
    pub sd: f64,
    /// Quantiles p5, p25, p50, p75, p95.
    pub quantiles: IndexMap<&'static str, f64>,
    /// Mean of the worst 5% of runs (CVaR 95%): the highest values for costs,
    /// the lowest for profit and quality.
    pub worst_5pct_mean: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// Everything in `summary.json`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Scenario description.
    pub description: String,
    /// Master seed.
    pub seed: u64,
    /// Runs.
    pub runs: u64,
    /// backsim version.
    pub version: String,
    /// Periods simulated.
    pub periods: u32,
    /// Length of a period.
    pub period: String,
    /// Currency.
    pub currency: String,
    /// Episodes over all runs.
    pub episodes: u64,
    /// Per outcome (plus involuntary_exit, involuntary_failure and
    /// backsourcing, the two backsourcing types together).
    pub outcomes: IndexMap<String, OutcomeShares>,
    /// Share of runs in which both parties lose.
    pub both_lose: Interval,
    /// Per-run figures.
    pub figures: IndexMap<String, FigureSummary>,
    /// Quantile method and its error.
    pub quantile_method: String,
}

/// The shares of episode category `c` of [`Aggregate::episode_clusters`],
/// seen in `runs` runs. The episode share's interval allows for episodes being
/// clustered in runs ([`ClusterSums::wilson`](crate::stats::ClusterSums::wilson));
/// runs are independent.
fn shares(a: &Aggregate, c: usize, runs: u64) -> OutcomeShares {
    let clusters = &a.episode_clusters[c];
    OutcomeShares {
        episodes: clusters.hits,
        episode_share: clusters.wilson(),
        runs,
        run_share: wilson(runs, a.runs),
    }
}

impl Summary {
    /// Reads the summary off an aggregate.
    pub fn new(s: &Scenario, a: &Aggregate) -> Self {
        let mut outcomes = IndexMap::new();
        for o in Outcome::ALL {
            let i = o.index();
            outcomes.insert(o.name().to_string(), shares(a, i, a.outcome_runs[i]));
        }
        for (i, name) in ["involuntary_exit", "involuntary_failure"].into_iter().enumerate() {
            outcomes.insert(name.to_string(), shares(a, 5 + i, a.involuntary_cause_runs[i]));
        }
        outcomes.insert("backsourcing".into(), shares(a, 7, a.backsourcing_runs));
        let mut figures = IndexMap::new();
        for (i, f) in FIGURES.iter().enumerate() {
            let (m, sk) = (&a.means[i], &a.sketches[i]);
            let unit = if f.unit == "currency" {
                s.time.currency.clone()
            } else {
                f.unit.to_string()
            };
            // Counts and periods are whole numbers, and so are their quantiles.
            let values = sk.quantiles_of(f.data(), QUANTILES.map(|(q, _)| q));
            let quantiles = QUANTILES.iter().zip(values).map(|((_, name), v)| (*name, v)).collect();
            let worst = if f.higher_is_worse {
                sk.mean_upper_tail_of(f.data(), 0.95)
            } else {
                sk.mean_lower_tail_of(f.data(), 0.05)
            };
            figures.insert(
                f.name.to_string(),
                FigureSummary {
                    unit,
                    n: m.count(),
                    mean: m.ci95(),
                    sd: m.sd(),
                    quantiles,
                    worst_5pct_mean: worst,
                    min: m.min(),
                    max: m.max(),
                },
            );
        }
        Summary {
            scenario: s.name.clone(),
            description: s.description.clone(),
            seed: s.seed,
            runs: a.runs,
            version: crate::VERSION.into(),
            periods: s.time.periods,
            period: s.time.period.name().into(),
            currency: s.time.currency.clone(),
            episodes: a.episodes(),
            outcomes,
            both_lose: wilson(a.both_lose, a.runs),
            figures,
            quantile_method: QUANTILE_METHOD.into(),
        }
    }

    /// The summary as pretty JSON. Non-finite numbers (a figure no run has)
    /// become `null`.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// A table a person can read, for the terminal.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: {} of {}, seed {}",
            self.scenario,
            super::count(self.runs, "run"),
            super::count(u64::from(self.periods), &self.period),
            self.seed
        );
        let _ = writeln!(
            out,
            "\n{:<22} {:>20} {:>24}",
            "outcome", "share of episodes", "runs with at least one"
        );
        let pct = |i: &Interval| {
            format!(
                "{:5.1}% [{:4.1}, {:4.1}]",
                100.0 * i.estimate,
                100.0 * i.low,
                100.0 * i.high
            )
        };
        for name in crate::experiment::metrics::OUTCOMES {
            if let Some(o) = self.outcomes.get(name) {
                let label = match name {
                    "involuntary_exit" => "  of which exit",
                    "involuntary_failure" => "  of which failure",
                    "backsourcing" => "any backsourcing",
                    n => n,
                };
                let _ = writeln!(
                    out,
                    "{label:<22} {:>20} {:>24}",
                    pct(&o.episode_share),
                    pct(&o.run_share)
                );
            }
        }
        let _ = writeln!(
            out,
            "{:<22} {:>20} {:>24}",
            "both parties lose",
            "",
            pct(&self.both_lose)
        );
        let rows: Vec<(String, &FigureSummary, Data)> = FIGURES
            .iter()
            // A figure no run has (no backsourcing, say) keeps its row, of
            // "-", so that it is not missed.
            .filter_map(|f| Some((f, self.figures.get(f.name)?)))
            .map(|(f, s)| (format!("{} ({})", f.name, s.unit), s, f.data()))
            .collect();
        // The label column fits the longest label, so the columns line up.
        let width = rows.iter().map(|(label, _, _)| label.len()).max().unwrap_or(0).max(26);
        let _ = writeln!(
            out,
            "\n{:<width$} {:>12} {:>24} {:>10} {:>10} {:>10} {:>10}",
            "figure", "mean", "95% interval", "p5", "median", "p95", "worst 5%"
        );
        for (label, s, data) in rows {
            // A quantile of counts or periods is a whole number: shown as one.
            let quantile = |x: f64| match data {
                Data::Whole if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
                _ => num(x),
            };
            let _ = writeln!(
                out,
                "{label:<width$} {:>12} {:>24} {:>10} {:>10} {:>10} {:>10}",
                num(s.mean.estimate),
                format!("[{}, {}]", num(s.mean.low), num(s.mean.high)),
                quantile(s.quantiles["p5"]),
                quantile(s.quantiles["p50"]),
                quantile(s.quantiles["p95"]),
                num(s.worst_5pct_mean)
            );
        }
        out
    }
}

/// A number with about four significant digits, for tables.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let a = x.abs();
    if a == 0.0 || (0.01..100_000.0).contains(&a) {
        let decimals = if a >= 1000.0 {
            0
        } else if a >= 100.0 {
            1
        } else if a >= 1.0 {
            2
        } else {
            3
        };
        format!("{x:.decimals$}")
    } else {
        format!("{x:.3e}")
    }
}

/// Columns of `timeseries.csv` (for the README).
pub fn timeseries_columns() -> Vec<String> {
    let mut cols = vec!["period".to_string(), "date".to_string(), "still_running".to_string()];
    for o in Outcome::ALL.iter().skip(1) {
        cols.push(format!("cum_{}", o.name()));
    }
    for s in SERIES {
        for (_, q) in QUANTILES {
            cols.push(format!("{s}_{q}"));
        }
    }
    cols
}

/// Writes `timeseries.csv`: per period, the cumulative incidence of each way
/// the initial contracts ended (competing risks, censored at the horizon)
/// and quantiles of trust, quality, demand and cost per place served.
pub fn write_timeseries<W: std::io::Write>(w: &mut csv::Writer<W>, s: &Scenario, a: &Aggregate) -> csv::Result<()> {
    w.write_record(timeseries_columns())?;
    let mut cum = [0u64; 5];
    let units = a.initial_units.max(1) as f64;
    for (t, ends) in a.first_ends.iter().enumerate() {
        for i in 0..5 {
            cum[i] += ends[i];
        }
        let ended: u64 = cum.iter().sum();
        let mut row = vec![
            t.to_string(),
            s.time.label(t as u32),
            ((a.initial_units - ended) as f64 / units).to_string(),
        ];
        for c in cum.iter().skip(1) {
            row.push((*c as f64 / units).to_string());
        }
        for sk in &a.series[t] {
            for v in sk.quantiles(QUANTILES.map(|(q, _)| q)) {
                row.push(if v.is_finite() { v.to_string() } else { String::new() });
            }
        }
        w.write_record(row)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{Plan, simulate};

    #[test]
    fn whole_number_quantiles_print_without_decimals() {
        let s = Scenario::default();
        let plan = Plan::new(3, 500);
        let a = simulate(&s, &plan, |_| Ok::<(), ()>(())).unwrap();
        let table = Summary::new(&s, &a).table();
        for (name, whole) in [("complaints (count)", true), ("mean_quality (quality)", false)] {
            let line = table.lines().find(|l| l.starts_with(name)).unwrap();
            // The cells after the interval: p5, median, p95, worst 5%.
            let cells: Vec<&str> = line.rsplit(']').next().unwrap().split_whitespace().collect();
            assert_eq!(cells.len(), 4, "{line}");
            for c in &cells[..3] {
                assert_eq!(!c.contains('.'), whole, "{name}: {c} in {line}");
            }
        }
    }

    /// A figure no run has keeps its row in the table, of dashes.
    #[test]
    fn a_figure_no_run_has_keeps_its_row() {
        let s = Scenario::default();
        let table = Summary::new(&s, &Aggregate::new(s.time.periods)).table();
        for f in FIGURES {
            let line = table
                .lines()
                .find(|l| l.starts_with(&format!("{} (", f.name)))
                .unwrap_or_else(|| panic!("no row for {}", f.name));
            let cells: Vec<&str> = line.split_whitespace().skip(2).collect();
            assert_eq!(cells, ["-", "[-,", "-]", "-", "-", "-", "-"], "{line}");
        }
    }

    /// summary.json lists outcomes, figures and quantiles in the order of
    /// the README, not alphabetically.
    #[test]
    fn summary_json_keys_keep_the_documented_order() {
        let s = Scenario::default();
        let a = simulate(&s, &Plan::new(3, 50), |_| Ok::<(), ()>(())).unwrap();
        let json = Summary::new(&s, &a).to_json();
        let in_order = |keys: &[&str]| {
            let at: Vec<usize> = keys
                .iter()
                .map(|k| json.find(&format!("\"{k}\":")).unwrap_or_else(|| panic!("{k} missing")))
                .collect();
            assert!(at.is_sorted(), "{keys:?} at {at:?}");
        };
        let outcomes: Vec<&str> = Outcome::ALL.iter().map(|o| o.name()).collect();
        in_order(
            &[
                &outcomes[..],
                &["involuntary_exit", "involuntary_failure", "backsourcing"],
            ]
            .concat(),
        );
        in_order(&FIGURES.iter().map(|f| f.name).collect::<Vec<_>>());
        in_order(&[
            "scenario",
            "episodes",
            "outcomes",
            "both_lose",
            "figures",
            "quantile_method",
        ]);
        in_order(&["p5", "p25", "p50", "p75", "p95"]);
    }
}
