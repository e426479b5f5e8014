//! `backsim compare A [B]`: two designs on common random numbers, with the
//! paired difference of every figure.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

use super::{CommonArgs, PrecisionArgs, load_scenario_from, pool, progress_bar, seed_number, throughput_line};
use crate::experiment::Plan;
use crate::experiment::compare::{Paired, PairedRow, simulate_pairs, simulate_pairs_precise};
use crate::experiment::metrics::cell;
use crate::output::summary::{num, write_timeseries};
use crate::output::{Replace, Staging, Summary};
use crate::scenario::Scenario;

/// Options of `backsim compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Design A: a scenario file or built-in name.
    pub a: String,
    /// Design B: a scenario file or built-in name (default: A again, changed by --set-b).
    pub b: Option<String>,
    /// Set a field in both designs (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Set a field in design A only (repeatable); it wins over --set.
    #[arg(long = "set-a", value_name = "PATH=VALUE")]
    pub sets_a: Vec<String>,
    /// Set a field in design B only, e.g. --set-b contract.form=partnership (repeatable); it wins over --set.
    #[arg(long = "set-b", value_name = "PATH=VALUE")]
    pub sets_b: Vec<String>,
    /// Number of pairs of runs (default: A's `runs`).
    #[arg(long, allow_negative_numbers = true, value_parser = super::whole_number::<u64>)]
    pub runs: Option<u64>,
    /// Master seed of both designs (default: A's `seed`).
    #[arg(long, allow_negative_numbers = true, value_parser = seed_number)]
    pub seed: Option<u64>,
    /// Output folder (default: `output/<A>-vs-<B>/`, or `output/<A>-compare/` when both have the same name; replaced by the next comparison of the same names).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the --out folder if it exists (an earlier output folder: one holding files backsim does not write is refused).
    #[arg(long)]
    pub force: bool,
    /// Adaptive precision (--precision, --max-runs, --batch): shares of A and B and paired share differences.
    #[command(flatten)]
    pub precision: PrecisionArgs,
    /// --threads, --quiet, --no-plots.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Columns of `compare.csv`.
pub const COMPARE_COLUMNS: [&str; 14] = [
    "metric",
    "a",
    "a_low",
    "a_high",
    "b",
    "b_low",
    "b_high",
    "difference",
    "difference_low",
    "difference_high",
    "unpaired_low",
    "unpaired_high",
    "variance_reduction",
    "pairs",
];

fn label(name: &str, sets: &[String]) -> String {
    if sets.is_empty() {
        name.to_string()
    } else {
        format!("{name} with {}", sets.join(", "))
    }
}

/// Runs `backsim compare`.
pub(super) fn compare(args: &CompareArgs) -> Result<()> {
    let rule = args.precision.rule(args.runs)?;
    // Both designs run on the futures of experiment point 0.
    super::refuse_point(
        "compare",
        &[
            ("--set", &args.sets),
            ("--set-a", &args.sets_a),
            ("--set-b", &args.sets_b),
        ],
    )?;
    // Errors say which design and which option they are in.
    let a_sets = [("--set", args.sets.as_slice()), ("--set-a", &args.sets_a)];
    let b_sets = [("--set", args.sets.as_slice()), ("--set-b", &args.sets_b)];
    let a = load_scenario_from(Some(&args.a), &a_sets, args.runs, args.seed).context("design A")?;
    let b_spec = args.b.as_deref().unwrap_or(&args.a);
    // B runs on A's seed and number of runs: the same futures.
    let mut b = load_scenario_from(Some(b_spec), &b_sets, Some(a.runs), Some(a.seed)).context("design B")?;
    b.sweep = a.sweep.clone();
    anyhow::ensure!(
        !a.same_design(&b),
        "A and B are the same design; give a second scenario, or change B with --set-b PATH=VALUE"
    );
    // Totals are sums over the horizon: designs of other horizons differ by
    // their length, not by their design.
    anyhow::ensure!(
        (a.time.periods, a.time.period) == (b.time.periods, b.time.period),
        "A and B must have the same horizon to be compared: A has {} {}s, B {} {}s; set `time.periods` and `time.period` alike",
        a.time.periods,
        a.time.period.name(),
        b.time.periods,
        b.time.period.name()
    );
    let (mut a, mut b) = (a, b);
    a.sweep = None;
    b.sweep = None;
    // A scenario file's `point` is not used either: the files record the
    // point that was.
    a.point = 0;
    b.point = 0;
    let label_a = label(&a.name, &args.sets_a);
    let label_b = if args.b.is_some() || !args.sets_b.is_empty() {
        label(&b.name, &args.sets_b)
    } else {
        b.name.clone()
    };
    let pool = pool(args.common.threads)?;
    let (target, replace) = match &args.out {
        Some(out) => (out.clone(), Replace::Explicit { force: args.force }),
        None => {
            let name = if a.name == b.name {
                format!("{}-compare", a.name)
            } else {
                format!("{}-vs-{}", a.name, b.name)
            };
            (PathBuf::from("output").join(name), Replace::Default)
        }
    };
    let staging = Staging::prepare(&target, replace)?;
    let io = |what: &str| format!("cannot write {what} in {}", target.display());

    let bar = progress_bar(rule.map_or(a.runs, |p| p.max_runs), args.common.quiet);
    let plan = Plan {
        seed: a.seed,
        point: 0,
        first_run: 0,
        runs: a.runs,
        episodes: false,
    };
    let started = Instant::now();
    let progress = |n: u64| bar.inc(n);
    let paired: Paired = pool.install(|| match &rule {
        Some(p) => simulate_pairs_precise(&a, &b, &plan, p, &progress),
        None => simulate_pairs(&a, &b, &plan, &progress),
    });
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();
    a.runs = paired.a.runs;
    b.runs = paired.b.runs;

    let rows = paired.rows();
    let mut w = csv::Writer::from_writer(staging.create("compare.csv").with_context(|| io("compare.csv"))?);
    w.write_record(COMPARE_COLUMNS).with_context(|| io("compare.csv"))?;
    for r in &rows {
        w.write_record([
            r.metric.clone(),
            cell(r.a.estimate),
            cell(r.a.low),
            cell(r.a.high),
            cell(r.b.estimate),
            cell(r.b.low),
            cell(r.b.high),
            cell(r.difference.estimate),
            cell(r.difference.low),
            cell(r.difference.high),
            cell(r.unpaired.low),
            cell(r.unpaired.high),
            cell(r.variance_reduction),
            r.pairs.to_string(),
        ])
        .with_context(|| io("compare.csv"))?;
    }
    w.flush().with_context(|| io("compare.csv"))?;
    drop(w);
    // Each design's files, as `backsim run` of it would write them.
    for (side, s, agg) in [("a", &a, &paired.a), ("b", &b, &paired.b)] {
        let summary = Summary::new(s, agg);
        let name = format!("summary_{side}.json");
        staging
            .write(&name, summary.to_json().as_bytes())
            .with_context(|| io(&name))?;
        let name = format!("timeseries_{side}.csv");
        let mut ts = csv::Writer::from_writer(staging.create(&name).with_context(|| io(&name))?);
        write_timeseries(&mut ts, s, agg).with_context(|| io(&name))?;
        ts.flush().with_context(|| io(&name))?;
        drop(ts);
        let name = format!("scenario_{side}.toml");
        staging
            .write(&name, s.to_toml().as_bytes())
            .with_context(|| io(&name))?;
    }
    if !args.common.no_plots {
        super::draw_plots(staging.path())?;
    }
    let replaced = staging.commit().with_context(|| io("the output folder"))?;
    if !args.common.quiet {
        if replaced && replace == Replace::Default {
            eprintln!("replaced the previous results in {}", target.display());
        }
        println!("{}", table(&label_a, &label_b, &a, paired.a.runs, &rows));
        if let Some(p) = &rule {
            println!("{}", super::precision_line(p, paired.a.runs, paired.worst_half_width()));
        }
        println!("results in {}", target.display());
        println!(
            "{}",
            throughput_line(&a, 2 * paired.a.runs, elapsed, pool.current_num_threads())
        );
    }
    Ok(())
}

fn table(label_a: &str, label_b: &str, a: &Scenario, runs: u64, rows: &[PairedRow]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "A: {label_a}\nB: {label_b}\n{runs} pairs of runs on the same random futures (seed {}, {} {}s)\n",
        a.seed,
        a.time.periods,
        a.time.period.name()
    );
    let _ = writeln!(
        out,
        "{:<30} {:>11} {:>11} {:>30} {:>12}",
        "metric", "A", "B", "B - A (95% paired interval)", "var. reduced"
    );
    let mut partial = None;
    for r in rows {
        let share = r.metric.ends_with("_share");
        let v = |x: f64| {
            if share { format!("{:.1}%", 100.0 * x) } else { num(x) }
        };
        let d = |x: f64| {
            if share { format!("{:+.1}", 100.0 * x) } else { signed(x) }
        };
        if r.pairs == 0 && r.a.estimate.is_nan() && r.b.estimate.is_nan() {
            continue;
        }
        // A mean over the runs that have a value (the period of the first
        // backsourcing) is differenced over the pairs where both have one:
        // not the difference of the A and B columns.
        let mark = if r.pairs < runs {
            partial.get_or_insert(r.pairs);
            "*"
        } else {
            ""
        };
        let diff = format!(
            "{}{} [{}, {}]{mark}",
            d(r.difference.estimate),
            if share { " pp" } else { "" },
            d(r.difference.low),
            d(r.difference.high)
        );
        let vr = if r.variance_reduction.is_finite() {
            // No "-0%" for a reduction that rounds to nothing.
            let pct = (100.0 * r.variance_reduction).round();
            format!("{:.0}%", if pct == 0.0 { 0.0 } else { pct })
        } else {
            "-".into()
        };
        let _ = writeln!(
            out,
            "{:<30} {:>11} {:>11} {:>30} {:>12}",
            r.metric,
            v(r.a.estimate),
            v(r.b.estimate),
            diff,
            vr
        );
    }
    if let Some(pairs) = partial {
        let _ = writeln!(
            out,
            "* over the pairs of runs where both designs have a value ({pairs} of {runs} for the first such row); A and B are over all the runs that have one"
        );
    }
    out
}

/// A difference as [`num`] writes it, with its sign: "+0.273", "-6.65".
fn signed(x: f64) -> String {
    let n = num(x);
    if x.is_finite() && !n.starts_with('-') {
        format!("+{n}")
    } else {
        n
    }
}

#[cfg(test)]
mod tests {
    use super::{PairedRow, signed, table};
    use crate::stats::Interval;

    fn row(metric: &str, est: (f64, f64), reduction: f64, pairs: u64) -> PairedRow {
        let iv = |x: f64| Interval {
            estimate: x,
            low: x - 0.1,
            high: x + 0.1,
        };
        PairedRow {
            metric: metric.into(),
            a: iv(est.0),
            b: iv(est.1),
            difference: iv(est.1 - est.0),
            unpaired: iv(est.1 - est.0),
            variance_reduction: reduction,
            pairs,
        }
    }

    #[test]
    fn a_difference_over_fewer_pairs_is_marked_and_no_reduction_reads_minus_zero() {
        let s = crate::scenario::load(None, &[]).unwrap();
        let rows = [
            row("total_cost_mean", (269.4, 262.7), -0.004, 100),
            row("first_backsourcing_period_mean", (14.91, 11.36), f64::NAN, 57),
        ];
        let t = table("a", "b", &s, 100, &rows);
        let line = |m: &str| t.lines().find(|l| l.starts_with(m)).unwrap().to_string();
        assert!(line("total_cost_mean").ends_with(" 0%"), "{t}");
        assert!(!t.contains("-0%"), "{t}");
        assert!(!line("total_cost_mean").contains('*'), "{t}");
        assert!(line("first_backsourcing_period_mean").contains("]*"), "{t}");
        assert!(
            t.contains("* over the pairs of runs where both designs have a value (57 of 100"),
            "{t}"
        );
        // All rows over every pair: no footnote.
        let t = table("a", "b", &s, 100, &rows[..1]);
        assert!(!t.contains("* over"), "{t}");
    }

    #[test]
    fn differences_carry_their_sign() {
        assert_eq!(signed(0.273), "+0.273");
        assert_eq!(signed(-6.65), "-6.65");
        assert_eq!(signed(27.21), "+27.21");
        assert_eq!(signed(0.0), "+0.000");
        assert_eq!(signed(1.5e6), "+1.500e6");
        assert_eq!(signed(f64::NAN), "-");
    }
}
