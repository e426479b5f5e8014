//! The figures of a `summary.json` as tidy metrics: one name, a value and,
//! where there is one, a 95% interval. `sweep.csv` has one row per point and
//! metric; `backsim sensitivity` and `backsim compare` choose outputs by
//! these names.
//!
//! | metric | value | interval |
//! |---|---|---|
//! | `OUTCOME_episode_share` | share of all episodes ending that way | Wilson, widened for clustering in runs |
//! | `OUTCOME_run_share` | share of runs with at least one | Wilson |
//! | `both_lose_run_share` | share of runs where both parties lose | Wilson |
//! | `FIGURE_mean` | mean over runs | Student's t |
//! | `FIGURE_sd`, `_p5`, `_p25`, `_p50`, `_p75`, `_p95`, `_worst_5pct_mean`, `_min`, `_max`, `_n` | as in `summary.json` | none |
//!
//! OUTCOME is each of [`OUTCOMES`]; FIGURE each of
//! [`FIGURES`].

use super::aggregate::FIGURES;
use crate::output::Summary;
use crate::stats::Interval;

/// The outcome entries of `summary.json`, in the order of the table.
pub const OUTCOMES: [&str; 8] = [
    "continued",
    "switched",
    "initiated",
    "involuntary",
    "involuntary_exit",
    "involuntary_failure",
    "wound_down",
    "backsourcing",
];

/// Statistics of each figure after its mean, in `sweep.csv` order.
pub const FIGURE_STATS: [&str; 10] = [
    "sd",
    "p5",
    "p25",
    "p50",
    "p75",
    "p95",
    "worst_5pct_mean",
    "min",
    "max",
    "n",
];

/// One metric of a summary.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// Name, e.g. `involuntary_run_share` or `excess_cost_mean`.
    pub name: String,
    /// Value (`NaN` when there is none, e.g. a figure no run has).
    pub value: f64,
    /// 95% interval, `NaN` when the metric has none.
    pub low: f64,
    /// 95% interval, `NaN` when the metric has none.
    pub high: f64,
}

fn with_interval(name: String, i: &Interval) -> Metric {
    Metric {
        name,
        value: i.estimate,
        low: i.low,
        high: i.high,
    }
}

/// Every metric of a summary, in a fixed order: outcome shares (episodes,
/// then runs, for each outcome), the both-lose share, then for each figure
/// its mean and the other statistics.
pub fn metrics(s: &Summary) -> Vec<Metric> {
    let mut out = Vec::with_capacity(OUTCOMES.len() * 2 + 1 + FIGURES.len() * 11);
    for o in OUTCOMES {
        if let Some(sh) = s.outcomes.get(o) {
            out.push(with_interval(format!("{o}_episode_share"), &sh.episode_share));
            out.push(with_interval(format!("{o}_run_share"), &sh.run_share));
        }
    }
    out.push(with_interval("both_lose_run_share".into(), &s.both_lose));
    for f in FIGURES {
        let Some(fs) = s.figures.get(f.name) else { continue };
        out.push(with_interval(format!("{}_mean", f.name), &fs.mean));
        for stat in FIGURE_STATS {
            let value = match stat {
                "sd" => fs.sd,
                "worst_5pct_mean" => fs.worst_5pct_mean,
                "min" => fs.min,
                "max" => fs.max,
                "n" => fs.n as f64,
                q => fs.quantiles.get(q).copied().unwrap_or(f64::NAN),
            };
            out.push(Metric {
                name: format!("{}_{stat}", f.name),
                value,
                low: f64::NAN,
                high: f64::NAN,
            });
        }
    }
    out
}

/// Every metric name, in the order of [`metrics`].
pub fn metric_names() -> Vec<String> {
    let mut out = Vec::new();
    for o in OUTCOMES {
        out.push(format!("{o}_episode_share"));
        out.push(format!("{o}_run_share"));
    }
    out.push("both_lose_run_share".into());
    for f in FIGURES {
        out.push(format!("{}_mean", f.name));
        for stat in FIGURE_STATS {
            out.push(format!("{}_{stat}", f.name));
        }
    }
    out
}

/// A number for a CSV cell: the shortest text that reads back as the same
/// `f64`; empty for `NaN` and infinities.
pub fn cell(x: f64) -> String {
    if x.is_finite() { format!("{x}") } else { String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{Plan, simulate};
    use crate::scenario::Scenario;

    #[test]
    fn every_summary_figure_has_metrics_in_the_documented_order() {
        let s = Scenario::default();
        let plan = Plan::new(1, 300);
        let a = simulate(&s, &plan, |_| Ok::<(), ()>(())).unwrap();
        let summary = Summary::new(&s, &a);
        let m = metrics(&summary);
        let names: Vec<String> = m.iter().map(|x| x.name.clone()).collect();
        assert_eq!(names, metric_names());
        let inv = m.iter().find(|x| x.name == "involuntary_run_share").unwrap();
        assert_eq!(inv.value, summary.outcomes["involuntary"].run_share.estimate);
        assert_eq!(inv.high, summary.outcomes["involuntary"].run_share.high);
        let ex = m.iter().find(|x| x.name == "excess_cost_p95").unwrap();
        assert_eq!(ex.value, summary.figures["excess_cost"].quantiles["p95"]);
        assert!(ex.low.is_nan());
        assert_eq!(cell(0.3), "0.3");
        assert_eq!(cell(f64::NAN), "");
    }
}
