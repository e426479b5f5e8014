//! `backsim discover DIR`: scenario discovery on a finished sweep: under
//! which parameter values does a metric exceed (or fall below) a threshold?

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::experiment::discovery::{
    BoxStats, Choice, DEFAULT_RESAMPLE_SEED, Limit, Points, Reproducibility, Resampling, Settings, Spread,
};
use crate::experiment::metrics::cell;
use crate::output::count;
use crate::output::plots::style::pct;
use crate::output::plots::{self, experiment::Sweep};

/// Options of `backsim discover`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("threshold").required(true).args(["above", "below"]))]
pub struct DiscoverArgs {
    /// An output folder of `backsim sweep` (best a Latin hypercube, `--lhs`, of a few hundred points or more).
    pub dir: PathBuf,
    /// The metric of sweep.csv to explain (default: involuntary_run_share, the share of runs with an involuntary backsourcing).
    #[arg(long)]
    pub metric: Option<String>,
    /// The points of interest are those whose metric is strictly above this value.
    #[arg(long, value_name = "X", allow_hyphen_values = true, value_parser = threshold_number)]
    pub above: Option<f64>,
    /// The points of interest are those whose metric is strictly below this value.
    #[arg(long, value_name = "X", allow_hyphen_values = true, value_parser = threshold_number)]
    pub below: Option<f64>,
    /// Share of the box's points each peeling step removes (above 0 and at most 0.5).
    #[arg(long, allow_hyphen_values = true, value_parser = peel_number, default_value_t = 0.05)]
    pub peel: f64,
    /// Smallest share of the points a box may hold (above 0 and at most 1).
    #[arg(long, allow_hyphen_values = true, value_parser = support_number, default_value_t = 0.05)]
    pub min_support: f64,
    /// The box shown in detail: the densest that covers at least this share of the points of interest (0 to 1).
    #[arg(long, allow_hyphen_values = true, value_parser = coverage_number, default_value_t = 0.5)]
    pub min_coverage: f64,
    /// Show this box of the trajectory in detail instead (its number in the table).
    #[arg(long = "box", value_name = "K", allow_hyphen_values = true, value_parser = super::whole_number::<usize>)]
    pub box_step: Option<usize>,
    /// Paste the box shown in detail: widen its limits one at a time while that raises its density.
    #[arg(long)]
    pub paste: bool,
    /// Run the same search on N random halves of the points and say how often their boxes limit each parameter (2 to 10000).
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = resample_number)]
    pub resample: Option<usize>,
    /// With --resample: the seed of the random halves (default 1).
    #[arg(long, allow_negative_numbers = true, value_parser = super::seed_number)]
    pub seed: Option<u64>,
    /// With --resample: worker threads (default: one per core). Results do not depend on it.
    #[arg(long, allow_negative_numbers = true, value_parser = super::whole_number::<usize>)]
    pub threads: Option<usize>,
    /// Also write the whole trajectory to this CSV file (one row per box and varied parameter).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Also draw the trajectory's trade-off between coverage and density to this file (`.png` or `.svg`).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    /// Replace the --csv or --plot file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Parses `--above` and `--below`: a number.
fn threshold_number(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| "allowed: a number in the metric's unit, such as 0.2 for a share of 20%".to_string())
}

/// The range of `--peel`, `--min-support` and `--min-coverage`:
/// (smallest, whether it is allowed, largest).
const PEEL: (f64, bool, f64) = (0.0, false, 0.5);
const SUPPORT: (f64, bool, f64) = (0.0, false, 1.0);
const COVERAGE: (f64, bool, f64) = (0.0, true, 1.0);

/// The words of a range: "a number above 0 and at most 0.5".
fn range_words((lo, lo_allowed, hi): (f64, bool, f64)) -> String {
    if lo_allowed {
        format!("a number from {lo} to {hi}")
    } else {
        format!("a number above {lo} and at most {hi}")
    }
}

/// Parses a number of one of those ranges (checked with the option's own
/// message once parsed).
fn share_in(text: &str, range: (f64, bool, f64)) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| format!("allowed: {}", range_words(range)))
}

fn peel_number(text: &str) -> Result<f64, String> {
    share_in(text, PEEL)
}

fn support_number(text: &str) -> Result<f64, String> {
    share_in(text, SUPPORT)
}

fn coverage_number(text: &str) -> Result<f64, String> {
    share_in(text, COVERAGE)
}

/// The range of `--resample`.
const RESAMPLES: std::ops::RangeInclusive<usize> = 2..=10000;

/// The values `--resample` allows, in words.
fn resample_words() -> String {
    format!("a whole number from {} to {}", RESAMPLES.start(), RESAMPLES.end())
}

/// Parses `--resample`: a whole number (its range is checked with the
/// option's own message once parsed).
fn resample_number(text: &str) -> Result<usize, String> {
    super::whole_number::<usize>(text).map_err(|_| format!("allowed: {}", resample_words()))
}

/// Checks `--resample`, `--seed` and `--threads`: the number of halves in
/// range, and a seed or threads only with halves to draw and share out.
fn check_resampling(args: &DiscoverArgs) -> Result<()> {
    if let Some(n) = args.resample {
        anyhow::ensure!(
            RESAMPLES.contains(&n),
            "--resample {n} is out of range; allowed: {}",
            resample_words()
        );
    }
    for (option, given) in [("--seed", args.seed.is_some()), ("--threads", args.threads.is_some())] {
        anyhow::ensure!(
            !given || args.resample.is_some(),
            "{option} goes with --resample N, which it serves; allowed: add --resample N ({}), or leave out {option}",
            resample_words()
        );
    }
    Ok(())
}

/// Checks a share option against its range.
fn check_share(option: &str, v: f64, range: (f64, bool, f64)) -> Result<()> {
    let (lo, lo_allowed, hi) = range;
    let ok = v.is_finite() && (v > lo || (lo_allowed && v == lo)) && v <= hi;
    anyhow::ensure!(ok, "{option} {v} is out of range; allowed: {}", range_words(range));
    Ok(())
}

/// A value as the text shows it: whole numbers whole, others to four
/// significant digits (the CSV keeps every digit).
fn short(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{v}");
    }
    let digits = (4 - 1 - crate::math::log10(v.abs()).floor() as i32).clamp(0, 12) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A range in words: `0 to 4`.
fn range_text(limit: &Limit, words: Option<&Vec<String>>) -> String {
    match limit {
        Limit::Range { low, high } => format!("{} to {}", short(*low), short(*high)),
        words_kept => limit_text(words_kept, words, words_kept),
    }
}

/// A box's limit in words, against the whole range: `at least 0.61`, `at
/// most 2`, `from 0.2 to 0.5`, or the words kept.
fn limit_text(limit: &Limit, words: Option<&Vec<String>>, whole: &Limit) -> String {
    match (limit, words) {
        (Limit::Range { low, high }, _) => match whole {
            Limit::Range { low: l, high: h } if low == l && high != h => format!("at most {}", short(*high)),
            Limit::Range { low: l, high: h } if low != l && high == h => format!("at least {}", short(*low)),
            _ => format!("from {} to {}", short(*low), short(*high)),
        },
        (Limit::Words(kept), Some(words)) => kept.iter().map(|&k| words[k].as_str()).collect::<Vec<_>>().join(", "),
        (Limit::Words(kept), None) => format!("{kept:?}"),
    }
}

/// Runs `backsim discover`.
pub(super) fn discover(args: &DiscoverArgs) -> Result<()> {
    check_share("--peel", args.peel, PEEL)?;
    check_share("--min-support", args.min_support, SUPPORT)?;
    check_share("--min-coverage", args.min_coverage, COVERAGE)?;
    check_resampling(args)?;
    let workers = args.resample.map(|_| super::pool(args.threads)).transpose()?;
    let (threshold, above) = match (args.above, args.below) {
        (Some(x), None) => (x, true),
        (None, Some(x)) => (x, false),
        _ => anyhow::bail!("give one of --above X and --below X"),
    };
    let option = if above { "--above" } else { "--below" };
    anyhow::ensure!(
        threshold.is_finite(),
        "{option} {threshold} is not allowed; allowed: a finite number"
    );
    if let Some(path) = &args.csv {
        crate::output::folder::check_named(path, "--csv", args.force).map_err(anyhow::Error::msg)?;
    }
    if let Some(path) = &args.plot {
        anyhow::ensure!(
            plot_format(path).is_some(),
            "--plot {}: allowed: a file name ending in .png or .svg",
            path.display()
        );
        crate::output::folder::check_named(path, "--plot", args.force).map_err(anyhow::Error::msg)?;
    }
    anyhow::ensure!(
        args.csv.is_none() || args.csv != args.plot,
        "--csv and --plot name the same file; allowed: two different files"
    );
    let dir = &args.dir;
    for (option, path) in [("--csv", &args.csv), ("--plot", &args.plot)] {
        if let Some(path) = path {
            anyhow::ensure!(
                !crate::output::folder::is_output_file_of(dir, path),
                "{option} {}: a file of the output folder {} that discover reads; allowed: a file elsewhere, or a name backsim does not write",
                path.display(),
                dir.display()
            );
        }
    }
    let kind = plots::detect(dir)?;
    anyhow::ensure!(
        kind == plots::FolderKind::Sweep,
        "{} is a `backsim {}` folder; discover needs the folder of a `backsim sweep` (its sweep.csv and points.csv)",
        dir.display(),
        kind.command()
    );
    let sweep = Sweep::read(dir)?;
    let metric = match &args.metric {
        Some(m) => {
            anyhow::ensure!(
                sweep.metrics.contains(m),
                "--metric {m}: no such metric in {}{}; allowed: the metrics of sweep.csv, such as involuntary_run_share, initiated_run_share, backsourcing_run_share, excess_cost_mean (all are listed in the README, section \"A sweep folder\")",
                dir.join("sweep.csv").display(),
                crate::scenario::param::suggest(m, sweep.metrics.iter().map(String::as_str)),
            );
            m.clone()
        }
        None => "involuntary_run_share".to_string(),
    };
    anyhow::ensure!(
        sweep.metrics.contains(&metric),
        "{} has no metric {metric}; name one with --metric",
        dir.join("sweep.csv").display()
    );
    let varied: Vec<usize> = sweep
        .varied
        .iter()
        .filter_map(|p| sweep.params.iter().position(|q| q == p))
        .collect();
    anyhow::ensure!(
        !varied.is_empty(),
        "{}: no parameter of the sweep takes more than one value; there is nothing to explain the metric by",
        dir.display()
    );
    let rows = sweep.points_of(&metric);
    let (rows, missing): (Vec<_>, Vec<_>) = rows.into_iter().partition(|(_, e)| e[0].is_finite());
    anyhow::ensure!(
        !rows.is_empty(),
        "{}: {metric} has no value at any point (a figure no run had); choose another --metric",
        dir.display()
    );
    let passes = |v: f64| if above { v > threshold } else { v < threshold };
    let points = Points {
        names: varied.iter().map(|&j| sweep.params[j].clone()).collect(),
        words: varied
            .iter()
            .map(|&j| sweep.labels.get(&sweep.params[j]).cloned())
            .collect(),
        x: rows
            .iter()
            .map(|(x, _)| varied.iter().map(|&j| x[j]).collect())
            .collect(),
        interest: rows.iter().map(|(_, e)| passes(e[0])).collect(),
    };
    // A group's or shock's parameter with the table's name, as the plots
    // name it: `provider.groups.1.count (local firm)`.
    let labels: Vec<String> = points
        .names
        .iter()
        .map(|p| match sweep.names.get(p) {
            Some(name) => format!("{p} ({name})"),
            None => p.clone(),
        })
        .collect();
    let settings = Settings {
        peel: args.peel,
        min_support: args.min_support,
    };
    let trajectory = points.peel(settings);
    let chosen = match args.box_step {
        Some(k) => {
            anyhow::ensure!(
                k < trajectory.len(),
                "--box {k} is out of range; allowed: 0 to {} (the boxes of the trajectory)",
                trajectory.len() - 1
            );
            k
        }
        None => Choice::MinCoverage(args.min_coverage).pick(&trajectory),
    };
    let searched = points.mixed();
    let pasted = (args.paste && searched).then(|| points.paste(&trajectory[chosen], settings.peel));
    let resampling = match (args.resample, &workers) {
        (Some(resamples), Some(workers)) if searched => {
            let opts = Resampling {
                resamples,
                seed: args.seed.unwrap_or(DEFAULT_RESAMPLE_SEED),
                paste: args.paste,
                choice: match args.box_step {
                    Some(_) => Choice::NearestCoverage(trajectory[chosen].coverage),
                    None => Choice::MinCoverage(args.min_coverage),
                },
            };
            Some((workers.install(|| points.resample(settings, &opts)), opts))
        }
        _ => None,
    };
    let with_interval = rows.iter().filter(|(_, e)| e[1].is_finite() && e[2].is_finite());
    let intervals = with_interval.clone().count();
    let uncertain = with_interval
        .filter(|(_, e)| e[1] <= threshold && threshold <= e[2])
        .count();
    let side = if above { "above" } else { "below" };
    let report = text(&Text {
        dir: &dir.display().to_string(),
        metric: &metric,
        side,
        threshold,
        points: &points,
        labels: &labels,
        trajectory: &trajectory,
        chosen,
        chosen_by_hand: args.box_step.is_some(),
        min_coverage: args.min_coverage,
        settings,
        intervals,
        uncertain,
        missing: missing.len(),
        pasted: pasted.as_ref(),
        resampling: resampling.as_ref(),
    });
    // Both files are laid out before either is written.
    let mut files: Vec<(PathBuf, Vec<u8>, &str)> = Vec::new();
    if let Some(path) = &args.csv {
        let question = Question {
            metric: &metric,
            side: if above { "above" } else { "below" },
            threshold,
            shown: chosen,
        };
        files.push((path.clone(), trajectory_csv(&points, &trajectory, &question)?, "--csv"));
    }
    if let Some(path) = &args.plot {
        let whole = points.whole_box();
        let limited = trajectory
            .iter()
            .map(|b| b.limits.iter().zip(&whole).filter(|(l, w)| l != w).count())
            .collect();
        let question = format!("{metric} {side} {threshold}");
        let figure = crate::output::plots::discovery::tradeoff_figure(&trajectory, limited, chosen, &question)?;
        let bytes = match plot_format(path) {
            Some("png") => figure.png,
            _ => figure.svg.into_bytes(),
        };
        files.push((path.clone(), bytes, "--plot"));
    }
    let all: Vec<(PathBuf, &[u8])> = files.iter().map(|(p, b, _)| (p.clone(), b.as_slice())).collect();
    crate::output::folder::write_files(&all).map_err(|e| {
        let names: Vec<String> = files.iter().map(|(p, _, o)| format!("{o} {}", p.display())).collect();
        anyhow::anyhow!("cannot write {}: {e}", names.join(" and "))
    })?;
    print!("{report}");
    Ok(())
}

/// The format a `--plot` file name asks for: `png` or `svg`.
fn plot_format(path: &std::path::Path) -> Option<&'static str> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "png" => Some("png"),
        "svg" => Some("svg"),
        _ => None,
    }
}

/// What the printed text needs.
struct Text<'a> {
    dir: &'a str,
    metric: &'a str,
    side: &'a str,
    threshold: f64,
    points: &'a Points,
    /// The parameters as the text names them.
    labels: &'a [String],
    trajectory: &'a [BoxStats],
    chosen: usize,
    chosen_by_hand: bool,
    min_coverage: f64,
    settings: Settings,
    /// Points whose metric has a 95% interval.
    intervals: usize,
    /// Points whose interval includes the threshold.
    uncertain: usize,
    missing: usize,
    /// The chosen box pasted (with `--paste`).
    pasted: Option<&'a BoxStats>,
    /// What resampling found, and how (with `--resample`).
    resampling: Option<&'a (Reproducibility, Resampling)>,
}

/// The report on the terminal: the points, the trajectory, the chosen box.
fn text(t: &Text) -> String {
    let mut out = String::new();
    let p = t.points;
    let n = p.x.len();
    let hits = p.interest.iter().filter(|&&b| b).count();
    // The threshold exactly as given: 0.19999 is not 0.2.
    let thr = format!("{}", t.threshold);
    let _ = writeln!(
        out,
        "Scenario discovery (PRIM) in {}: where is {} {} {thr}?",
        t.dir, t.metric, t.side
    );
    let _ = write!(
        out,
        "{} with a value, {hits} of them strictly {} {thr} ({}); ",
        count(n as u64, "point"),
        t.side,
        pct(hits as f64 / n as f64),
    );
    let _ = match (t.intervals, t.uncertain) {
        (0, _) => writeln!(
            out,
            "{} has no 95% interval, so how sure each point's side is cannot be told.",
            t.metric
        ),
        (k, u) if k == n => writeln!(
            out,
            "{} a 95% interval that includes {thr}.",
            match u {
                0 => "none has".to_string(),
                1 => "1 has".to_string(),
                u => format!("{u} have"),
            }
        ),
        (k, u) => writeln!(out, "of the {k} with a 95% interval, {u} include {thr}."),
    };
    if t.uncertain * 10 > n {
        let _ = writeln!(
            out,
            "(Whether those are {} {thr} is uncertain; more --runs per point make fewer of them.)",
            t.side
        );
    }
    if t.missing > 0 {
        let _ = writeln!(
            out,
            "{} left out: {} has no value there.",
            count(t.missing as u64, "point"),
            t.metric
        );
    }
    let whole = p.whole_box();
    let ranges: Vec<String> = t
        .labels
        .iter()
        .enumerate()
        .map(|(j, name)| format!("{name} ({})", range_text(&whole[j], p.words[j].as_ref())))
        .collect();
    let _ = writeln!(out, "Varied: {}.", ranges.join("; "));
    if hits == 0 || hits == n {
        let _ = writeln!(
            out,
            "\n{} of the points {} {} {thr}: there is nothing to tell apart.",
            if hits == 0 { "None" } else { "All" },
            if hits == 0 { "is" } else { "are" },
            t.side
        );
        return out;
    }
    let _ = writeln!(
        out,
        "\nPeeling trajectory (each step removes {} of the box's points, or a whole value or word; every box holds at least {} of the points):",
        pct(t.settings.peel),
        pct(t.settings.min_support)
    );
    let _ = writeln!(
        out,
        "{:>4}  {:>7}  {:>8}  {:>8}  limited",
        "box", "points", "coverage", "density"
    );
    for b in t.trajectory {
        let limited: Vec<&str> = (0..p.names.len())
            .filter(|&j| b.limits[j] != whole[j])
            .map(|j| p.names[j].as_str())
            .collect();
        let _ = writeln!(
            out,
            "{:>4}  {:>7}  {:>8}  {:>8}  {}{}",
            b.step,
            b.points,
            pct(b.coverage),
            pct(b.density),
            if limited.is_empty() {
                "-".to_string()
            } else {
                limited.join(", ")
            },
            if b.step == t.chosen { "   <" } else { "" }
        );
    }
    let b = &t.trajectory[t.chosen];
    let why = if t.chosen_by_hand {
        "as chosen with --box".to_string()
    } else {
        format!(
            "the densest that covers at least {} of the points {} {thr}; choose another with --box K",
            pct(t.min_coverage),
            t.side
        )
    };
    let _ = writeln!(out, "\nBox {} ({why}):", b.step);
    let _ = writeln!(
        out,
        "  coverage {} ({} of the {hits} points {} {thr}), density {} ({} of its {})",
        pct(b.coverage),
        b.hits,
        t.side,
        pct(b.density),
        b.hits,
        count(b.points as u64, "point")
    );
    restriction_lines(&mut out, t, b);
    if let Some(pasted) = t.pasted {
        paste_lines(&mut out, t, b, pasted);
    }
    if let Some((found, how)) = t.resampling {
        // The box to publish: the pasted one, where pasting changed it.
        let shown = t.pasted.filter(|pasted| pasted.limits != b.limits);
        resample_lines(&mut out, t, shown.unwrap_or(b), shown.is_some(), found, how);
    }
    out
}

/// Each limit of box `b` against the whole range, with what it adds: the
/// density without it and its quasi-p-value, or "not binding".
fn restriction_lines(out: &mut String, t: &Text, b: &BoxStats) {
    let p = t.points;
    let whole = p.whole_box();
    let restrictions = p.restrictions(b);
    if restrictions.is_empty() {
        let _ = writeln!(out, "  no limits: every point");
        return;
    }
    let width = restrictions
        .iter()
        .map(|r| t.labels[r.param].chars().count())
        .max()
        .unwrap_or(0);
    for r in &restrictions {
        let j = r.param;
        let _ = writeln!(
            out,
            "  {:<width$}  {} (all: {})",
            t.labels[j],
            limit_text(&b.limits[j], p.words[j].as_ref(), &whole[j]),
            range_text(&whole[j], p.words[j].as_ref()),
        );
        if r.points_without == b.points {
            let _ = writeln!(
                out,
                "  {:<width$}    not binding: the other limits leave out the same points",
                ""
            );
            continue;
        }
        let _ = writeln!(
            out,
            "  {:<width$}    without this limit: density {} of {}, quasi-p {}",
            "",
            pct(r.density_without),
            count(r.points_without as u64, "point"),
            if r.quasi_p < 1e-4 {
                format!("{:.0e}", r.quasi_p)
            } else {
                format!("{:.4}", r.quasi_p)
            }
        );
    }
}

/// A limit in words, or `no limit` where it keeps the whole range.
fn limit_or_none(limit: &Limit, words: Option<&Vec<String>>, whole: &Limit) -> String {
    if limit == whole {
        "no limit".to_string()
    } else {
        limit_text(limit, words, whole)
    }
}

/// What pasting changed in box `b`: the limits it widened (before → after),
/// coverage, density and points before → after, and the pasted box's limits;
/// or one line that it changed nothing.
fn paste_lines(out: &mut String, t: &Text, b: &BoxStats, pasted: &BoxStats) {
    let p = t.points;
    let whole = p.whole_box();
    let widen = format!(
        "by {} of the box's points or by a whole value or word",
        pct(t.settings.peel)
    );
    if pasted.limits == b.limits {
        let _ = writeln!(
            out,
            "\nPasting (--paste) changed nothing: widening any one limit of box {} {widen} would not raise its density.",
            b.step
        );
        return;
    }
    let _ = writeln!(
        out,
        "\nBox {} pasted (--paste: limits widened one at a time {widen}, each time the widening that raised the density most, until none did):",
        b.step
    );
    let changed: Vec<usize> = (0..p.names.len())
        .filter(|&j| pasted.limits[j] != b.limits[j])
        .collect();
    let width = changed.iter().map(|&j| t.labels[j].chars().count()).max().unwrap_or(0);
    for &j in &changed {
        let words = p.words[j].as_ref();
        let _ = writeln!(
            out,
            "  {:<width$}  {} → {}",
            t.labels[j],
            limit_or_none(&b.limits[j], words, &whole[j]),
            limit_or_none(&pasted.limits[j], words, &whole[j]),
        );
    }
    let _ = writeln!(
        out,
        "  coverage {} → {}, density {} → {}, points {} → {}",
        pct(b.coverage),
        pct(pasted.coverage),
        pct(b.density),
        pct(pasted.density),
        b.points,
        pasted.points
    );
    let _ = writeln!(out, "  The pasted box:");
    restriction_lines(out, t, pasted);
}

/// What resampling found about box `b` (the box shown, or the box it
/// pasted to when `pasted`): per parameter, the share of the resampled
/// boxes that limit it and whether `b` does; the coverage and density of
/// the resampled boxes on all the points.
fn resample_lines(out: &mut String, t: &Text, b: &BoxStats, pasted: bool, found: &Reproducibility, how: &Resampling) {
    let p = t.points;
    let whole = p.whole_box();
    let thr = format!("{}", t.threshold);
    let rule = match how.choice {
        Choice::MinCoverage(c) => format!(
            "the densest that covers at least {} of its points {} {thr}",
            pct(c),
            t.side
        ),
        Choice::NearestCoverage(c) => format!(
            "the one whose coverage of its points {} {thr} is nearest box {}'s {}",
            t.side,
            t.chosen,
            pct(c)
        ),
    };
    let _ = writeln!(
        out,
        "\nResampling (--resample {}, seed {}): PRIM again on {} random halves of the points, each half's box chosen as {rule}{}:",
        how.resamples,
        how.seed,
        how.resamples,
        if how.paste { ", then pasted" } else { "" }
    );
    let name = format!("{}box {}", if pasted { "pasted " } else { "" }, b.step);
    let width = t
        .labels
        .iter()
        .map(|l| l.chars().count())
        .chain(["parameter".len()])
        .max()
        .unwrap_or(0);
    let _ = writeln!(out, "  {:<width$}  {:>10}  {name}", "parameter", "limited in");
    for (j, label) in t.labels.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {label:<width$}  {:>10}  {}",
            pct(found.limited[j]),
            if b.limits[j] != whole[j] { "limits it" } else { "-" }
        );
    }
    let _ = writeln!(
        out,
        "  (limited in: the share of the {} resampled boxes that limit the parameter)",
        how.resamples
    );
    let spread = |s: &Spread| format!("median {} ({} to {})", pct(s.median), pct(s.min), pct(s.max));
    let _ = writeln!(
        out,
        "  The resampled boxes on all the points: coverage {}, density {}",
        spread(&found.coverage),
        spread(&found.density)
    );
    let _ = writeln!(
        out,
        "  {} on all the points: coverage {}, density {}",
        if pasted {
            format!("Pasted box {}", b.step)
        } else {
            format!("Box {}", b.step)
        },
        pct(b.coverage),
        pct(b.density)
    );
}

/// What the trajectory answers, for each row of the CSV.
struct Question<'a> {
    metric: &'a str,
    side: &'a str,
    threshold: f64,
    /// The box shown in detail.
    shown: usize,
}

/// The trajectory as tidy CSV: one row per box and varied parameter.
fn trajectory_csv(p: &Points, trajectory: &[BoxStats], q: &Question) -> Result<Vec<u8>> {
    let whole = p.whole_box();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(crate::experiment::discovery::TRAJECTORY_COLUMNS)?;
    for b in trajectory {
        for (j, name) in p.names.iter().enumerate() {
            let (low, high, words) = match &b.limits[j] {
                Limit::Range { low, high } => (cell(*low), cell(*high), String::new()),
                Limit::Words(kept) => {
                    let names = p.words[j].as_ref();
                    let kept: Vec<String> = kept
                        .iter()
                        .map(|&k| names.map_or(k.to_string(), |w| w[k].clone()))
                        .collect();
                    (String::new(), String::new(), kept.join(";"))
                }
            };
            w.write_record([
                q.metric.to_string(),
                q.side.to_string(),
                cell(q.threshold),
                b.step.to_string(),
                (b.step == q.shown).to_string(),
                b.points.to_string(),
                b.hits.to_string(),
                cell(b.support),
                cell(b.coverage),
                cell(b.density),
                name.clone(),
                (b.limits[j] != whole[j]).to_string(),
                low,
                high,
                words,
            ])?;
        }
    }
    w.into_inner()
        .map_err(|e| anyhow::anyhow!("cannot lay out the --csv rows: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text on `trajectory`, showing its last box as chosen with --box.
    fn report(
        points: &Points,
        labels: &[String],
        trajectory: &[BoxStats],
        pasted: Option<&BoxStats>,
        resampling: Option<&(Reproducibility, Resampling)>,
    ) -> String {
        text(&Text {
            dir: "d",
            metric: "m",
            side: "above",
            threshold: 0.5,
            points,
            labels,
            trajectory,
            chosen: trajectory.len() - 1,
            chosen_by_hand: true,
            min_coverage: 0.5,
            settings: Settings::default(),
            intervals: points.x.len(),
            uncertain: 0,
            missing: 0,
            pasted,
            resampling,
        })
    }

    /// 100 points: `a` in 0..10, ten of each; of interest where a is 5 to
    /// 7, and at six of the ten points with a = 8 and a = 9. Box 1 is cut
    /// to a from 7, its pasted box goes from 5.
    fn over_cut() -> (Points, Vec<BoxStats>, BoxStats) {
        let x: Vec<Vec<f64>> = (0..100).map(|i| vec![(i % 10) as f64]).collect();
        let interest = x
            .iter()
            .enumerate()
            .map(|(i, p)| (5.0..8.0).contains(&p[0]) || (p[0] >= 8.0 && i < 60))
            .collect();
        let points = Points {
            names: vec!["a".into()],
            words: vec![None],
            x,
            interest,
        };
        let trajectory = vec![
            points.stats(0, points.whole_box()),
            points.stats(1, vec![Limit::Range { low: 7.0, high: 9.0 }]),
        ];
        let pasted = points.paste(&trajectory[1], 0.05);
        (points, trajectory, pasted)
    }

    #[test]
    fn the_text_says_what_pasting_changed() {
        let (points, trajectory, pasted) = over_cut();
        let labels = ["a".to_string()];
        let before = report(&points, &labels, &trajectory, None, None);
        let after = report(&points, &labels, &trajectory, Some(&pasted), None);
        assert_eq!(
            after.strip_prefix(before.as_str()),
            Some(
                "\nBox 1 pasted (--paste: limits widened one at a time by 5.0% of the box's points or by a whole value or word, each time the widening that raised the density most, until none did):
  a  at least 7 → at least 5
  coverage 52.4% → 100.0%, density 73.3% → 84.0%, points 30 → 50
  The pasted box:
  a  at least 5 (all: 0 to 9)
       without this limit: density 42.0% of 100 points, quasi-p 1e-9
"
            ),
            "{after}"
        );
        let same = report(&points, &labels, &trajectory, Some(&trajectory[1]), None);
        assert!(
            same.ends_with("\nPasting (--paste) changed nothing: widening any one limit of box 1 by 5.0% of the box's points or by a whole value or word would not raise its density.\n"),
            "{same}"
        );
    }

    #[test]
    fn the_text_gives_the_reproducibility_of_the_box() {
        let (points, trajectory, pasted) = over_cut();
        let labels = ["a".to_string()];
        let spread = |median, min, max| Spread { median, min, max };
        let found = Reproducibility {
            limited: vec![0.95],
            coverage: spread(0.9, 0.5, 1.0),
            density: spread(0.8, 0.7, 0.85),
            boxes: Vec::new(),
        };
        let how = Resampling {
            resamples: 20,
            seed: 4,
            paste: true,
            choice: Choice::NearestCoverage(trajectory[1].coverage),
        };
        let out = report(&points, &labels, &trajectory, Some(&pasted), Some(&(found, how)));
        let resampling = &out[out.find("\nResampling").expect(&out)..];
        assert_eq!(
            resampling,
            "\nResampling (--resample 20, seed 4): PRIM again on 20 random halves of the points, each half's box chosen as the one whose coverage of its points above 0.5 is nearest box 1's 52.4%, then pasted:
  parameter  limited in  pasted box 1
  a               95.0%  limits it
  (limited in: the share of the 20 resampled boxes that limit the parameter)
  The resampled boxes on all the points: coverage median 90.0% (50.0% to 100.0%), density median 80.0% (70.0% to 85.0%)
  Pasted box 1 on all the points: coverage 100.0%, density 84.0%
"
        );
    }

    #[test]
    fn a_limit_the_others_make_redundant_is_not_binding() {
        // Two parameters equal at every point: limiting both, each alone
        // leaves out the same points.
        let x: Vec<Vec<f64>> = (0..20).map(|i| vec![i as f64, i as f64]).collect();
        let interest = (0..20).map(|i| i >= 10).collect();
        let points = Points {
            names: vec!["a".into(), "b".into()],
            words: vec![None, None],
            x,
            interest,
        };
        let limits = vec![
            Limit::Range { low: 10.0, high: 19.0 },
            Limit::Range { low: 10.0, high: 19.0 },
        ];
        let trajectory = vec![
            BoxStats {
                step: 0,
                points: 20,
                hits: 10,
                support: 1.0,
                coverage: 1.0,
                density: 0.5,
                limits: points.whole_box(),
            },
            BoxStats {
                step: 1,
                points: 10,
                hits: 10,
                support: 0.5,
                coverage: 1.0,
                density: 1.0,
                limits,
            },
        ];
        let out = report(
            &points,
            &["a".to_string(), "b (group)".to_string()],
            &trajectory,
            None,
            None,
        );
        assert_eq!(out.matches("not binding").count(), 2, "{out}");
        assert!(out.contains("a          at least 10 (all: 0 to 19)"), "{out}");
        assert!(out.contains("b (group)  at least 10 (all: 0 to 19)"), "{out}");
        assert!(!out.contains("quasi-p"), "{out}");
    }
}
