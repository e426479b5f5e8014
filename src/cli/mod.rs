//! The command line: argument definitions and the commands.
//!
//! `main` only calls [`main_exit_code`]. Every error a user can cause ends
//! with one message on stderr and exit code 2. Each command lives in its own
//! file; this one holds the argument definitions and what they share.

mod cases;
mod compare;
mod discover;
mod plot;
mod report;
mod run;
mod sensitivity;
mod story;
mod sweep;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use crate::output::count;
use crate::scenario::{self, Scenario, builtin};

/// backsim: simulate outsourcing relationships and estimate how often, when
/// and at what cost public services are taken back in-house.
#[derive(Debug, Parser)]
#[command(name = "backsim", version, about, long_about = None)]
pub struct Cli {
    /// The command; without one, `run` on the built-in default scenario.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario many times in parallel and write the results.
    Run(RunArgs),
    /// List the built-in scenarios.
    Scenarios,
    /// Print a scenario fully resolved (every default filled in), to copy and edit.
    Show(ShowArgs),
    /// Print the scenario reference (every field, default, range and meaning) as Markdown.
    Reference,
    /// Redraw the plots (PNG and SVG) of a finished output folder.
    Plot(PlotArgs),
    /// Tell one run period by period in plain language (exactly run N of `backsim run`).
    Story(StoryArgs),
    /// Write one self-contained report.html (scenario, summary, plots, how to reproduce) for an output folder.
    Report(ReportArgs),
    /// Run every case scenario with a fixed seed and print the results tables of docs/cases.md (or check or rewrite them).
    Cases(cases::CasesArgs),
    /// Run a scenario at many parameter values (a grid or a Latin hypercube); tidy results per point.
    Sweep(sweep::SweepArgs),
    /// Compare two designs on the same random futures: A, B and the paired difference B - A.
    Compare(compare::CompareArgs),
    /// Sensitivity analysis: Morris screening or Sobol indices of chosen outputs.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Scenario discovery on a sweep: under which parameter values a metric is above (or below) a threshold (PRIM).
    Discover(discover::DiscoverArgs),
}

/// Options of `backsim run`.
#[derive(Debug, Args, Default)]
pub struct RunArgs {
    /// A scenario file, or the name of a built-in scenario (default: `default`).
    pub scenario: Option<String>,
    /// Number of runs (default: the scenario's `runs`, 10000 if unset).
    #[arg(long, allow_negative_numbers = true, value_parser = whole_number::<u64>)]
    pub runs: Option<u64>,
    /// Master seed (default: the scenario's `seed`, 1 if unset).
    #[arg(long, allow_negative_numbers = true, value_parser = seed_number)]
    pub seed: Option<u64>,
    /// Output folder (default: `output/<scenario name>/`, replaced by the next run of the same scenario).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the --out folder if it exists (an earlier output folder: one holding files backsim does not write is refused).
    #[arg(long)]
    pub force: bool,
    /// Set a scenario field by its dotted path, e.g. --set buyer.power=0.3, or one group's by its number, e.g. --set provider.groups.1.count=5 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Also write episodes.csv, one row per contract episode.
    #[arg(long)]
    pub episodes: bool,
    /// Do not write runs.csv (one row per run): the summary outputs only. The plots are still
    /// drawn; `backsim plot` and `backsim report` then cannot redraw the excess-cost plot.
    #[arg(long)]
    pub no_runs_csv: bool,
    /// Use the random streams of experiment point K (as point K of `backsim sweep`; default: the scenario's `point`, 0 if unset). Written into scenario.toml.
    #[arg(long, allow_negative_numbers = true, value_name = "K", value_parser = seed_number)]
    pub point: Option<u64>,
    /// Adaptive precision (--precision, --max-runs, --batch).
    #[command(flatten)]
    pub precision: PrecisionArgs,
    /// --threads, --quiet, --no-plots.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options every simulating command shares (`run`, `sweep`, `compare`,
/// `sensitivity`).
#[derive(Debug, Args, Default, Clone, Copy)]
pub struct CommonArgs {
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, allow_negative_numbers = true, value_parser = whole_number::<usize>)]
    pub threads: Option<usize>,
    /// Print nothing but errors (no progress bar, no table).
    #[arg(long)]
    pub quiet: bool,
    /// Do not draw the plots (PNG and SVG) into the output folder.
    #[arg(long)]
    pub no_plots: bool,
}

/// Options of adaptive precision, shared by `run`, `sweep` and `compare`.
#[derive(Debug, Args, Default, Clone)]
pub struct PrecisionArgs {
    /// Run in batches until every outcome share's 95% interval half-width is at most E (e.g. 0.01); in `compare`, every paired difference of shares too.
    #[arg(long, allow_negative_numbers = true, value_name = "E", value_parser = precision_number)]
    pub precision: Option<f64>,
    /// With --precision: stop at this many runs at the latest (default 1000000).
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = whole_number::<u64>)]
    pub max_runs: Option<u64>,
    /// With --precision: runs per batch (default 1000); the result depends on it, not on threads.
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = whole_number::<u64>)]
    pub batch: Option<u64>,
}

impl PrecisionArgs {
    /// The precision rule, if `--precision` is given; `runs` is the `--runs`
    /// option, which it excludes.
    pub fn rule(&self, runs: Option<u64>) -> Result<Option<crate::experiment::precision::Precision>> {
        use crate::experiment::precision::{DEFAULT_BATCH, DEFAULT_MAX_RUNS, Precision};
        let Some(e) = self.precision else {
            for (name, v) in [("--max-runs", self.max_runs), ("--batch", self.batch)] {
                anyhow::ensure!(v.is_none(), "{name} needs --precision E");
            }
            return Ok(None);
        };
        anyhow::ensure!(
            e > 0.0 && e <= 0.5,
            "--precision {e} is out of range; allowed: a number above 0 and at most 0.5 (a half-width, e.g. 0.01 for ±1 percentage point)"
        );
        anyhow::ensure!(
            runs.is_none(),
            "--runs and --precision exclude each other: with --precision the number of runs is decided by the precision, at most --max-runs"
        );
        let check = |name: &str, v: Option<u64>, default: u64| -> Result<u64> {
            let v = v.unwrap_or(default);
            anyhow::ensure!(
                (1..=scenario::MAX_RUNS).contains(&v),
                "{name} {v} is out of range; allowed: 1 to {}",
                scenario::MAX_RUNS
            );
            Ok(v)
        };
        Ok(Some(Precision {
            half_width: e,
            batch: check("--batch", self.batch, DEFAULT_BATCH)?,
            max_runs: check("--max-runs", self.max_runs, DEFAULT_MAX_RUNS)?,
        }))
    }
}

/// Options of `backsim plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// An output folder of `backsim run`, `sweep`, `compare` or `sensitivity`.
    pub dir: PathBuf,
    /// The metric of a sweep heatmap or scatter, of a one-parameter sweep's `sweep_metric` plot (drawn when this option is given), or of the first sensitivity plot (default: the involuntary backsourcing share).
    #[arg(long)]
    pub metric: Option<String>,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}

/// Options of `backsim report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// An output folder of `backsim run`, `sweep`, `compare` or `sensitivity`.
    pub dir: PathBuf,
    /// Where to write the report (default: DIR/report.html, replacing an earlier one).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the --out file if it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}

/// Options of `backsim story`.
#[derive(Debug, Args)]
pub struct StoryArgs {
    /// A scenario file, or the name of a built-in scenario (default: `default`).
    pub scenario: Option<String>,
    /// The run to tell (0-based, as in runs.csv; default 0). With --find, where the search starts.
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = whole_number::<u64>)]
    pub run: Option<u64>,
    /// Master seed (default: the scenario's `seed`).
    #[arg(long, allow_negative_numbers = true, value_parser = seed_number)]
    pub seed: Option<u64>,
    /// Language of the story.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: crate::output::story::Lang,
    /// Also write the run's full per-period state to this CSV file (one row per period and unit).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Replace the --csv file if it exists.
    #[arg(long, requires = "csv")]
    pub force: bool,
    /// Tell the first run (from --run on, within the scenario's `runs`; --run must be below them) with this outcome: involuntary, initiated, switched, wound_down, continued, involuntary_exit, involuntary_failure, backsourcing or both_lose.
    #[arg(long, value_name = "OUTCOME")]
    pub find: Option<String>,
    /// Set a scenario field by its dotted path, as in `backsim run` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
}

/// Options of `backsim show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A scenario file or built-in name.
    pub scenario: String,
    /// Set a field before printing (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
}

/// Parses the arguments, runs the command and returns the exit code:
/// 0 on success, 2 on any error (after printing it).
pub fn main_exit_code() -> i32 {
    // Ctrl-C, SIGTERM and SIGHUP remove the unfinished output folder (a
    // sweep's is kept for --resume), then end the process by the same
    // signal.
    crate::output::interrupt::install();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version print as clap lays them out.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return 0;
        }
        Err(e) => {
            eprintln!("{}", one_line(&e.render().to_string()));
            return 2;
        }
    };
    match dispatch(cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    }
}

/// A command-line error as clap writes it, in one line like every other
/// error of backsim: the message, then its possible values ("allowed: en,
/// sv") and its tip, without the usage and the pointer to `--help` that
/// clap puts on lines of their own (one is added at the end).
fn one_line(clap_text: &str) -> String {
    let mut out = String::new();
    let mut in_usage = false;
    for line in clap_text.lines().map(str::trim) {
        if line.is_empty() {
            in_usage = false;
            continue;
        }
        if line.starts_with("Usage:") {
            in_usage = true;
        }
        if in_usage || line.starts_with("For more information") {
            continue;
        }
        let line = match line
            .strip_prefix("[possible values: ")
            .and_then(|v| v.strip_suffix(']'))
        {
            Some(values) => format!("allowed: {values}"),
            None => line.to_string(),
        };
        if !out.is_empty() {
            out.push_str(if out.ends_with(':') { " " } else { "; " });
        }
        out.push_str(&line);
    }
    out.push_str(" (see --help)");
    out
}

fn dispatch(cli: Cli) -> Result<()> {
    match cli.command.unwrap_or(Command::Run(RunArgs::default())) {
        Command::Run(args) => run::run(&args),
        Command::Scenarios => {
            let mut out = std::io::stdout().lock();
            for (name, text) in builtin::BUILTIN {
                writeln!(out, "{name:<24} {}", builtin::description(text))?;
            }
            Ok(())
        }
        Command::Show(args) => {
            let s = scenario::load(Some(&args.scenario), &args.sets)?;
            print!("{}", s.to_toml());
            Ok(())
        }
        Command::Reference => {
            print!("{}", scenario::reference_markdown());
            Ok(())
        }
        Command::Plot(args) => plot::plot(&args),
        Command::Story(args) => story::story(&args),
        Command::Report(args) => report::report(&args),
        Command::Cases(args) => cases::cases(&args),
        Command::Sweep(args) => sweep::sweep(&args),
        Command::Compare(args) => compare::compare(&args),
        Command::Sensitivity(args) => sensitivity::sensitivity(&args),
        Command::Discover(args) => discover::discover(&args),
    }
}

/// Parses `--seed` and `--point`: a whole number a scenario file can hold
/// (TOML integers are signed 64-bit), so that the folder's scenario.toml
/// reproduces it.
pub fn seed_number(text: &str) -> Result<u64, String> {
    let max = crate::scenario::MAX_SEED;
    match text.trim().parse::<u64>() {
        Ok(v) if v <= max => Ok(v),
        _ => Err(format!("allowed: a whole number from 0 to {max} (2^63 - 1)")),
    }
}

/// Parses a whole-number option (`--runs`, `--threads`, `--batch`, ...);
/// its range is checked where it is used, with its own message.
pub fn whole_number<T: TryFrom<u64>>(text: &str) -> Result<T, String> {
    text.trim()
        .parse::<u64>()
        .ok()
        .and_then(|v| T::try_from(v).ok())
        .ok_or_else(|| "allowed: a whole number such as 1000 (digits only: no decimals or exponent)".to_string())
}

/// Parses `--precision`: a number (its range is checked with the rule).
pub fn precision_number(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| "allowed: a number above 0 and at most 0.5, such as 0.01".to_string())
}

/// The `PATH=VALUE` override among `sets` that sets `path`, if any (for
/// refusing a field both set and varied).
pub fn set_for<'a>(sets: &'a [String], path: &str) -> Option<&'a String> {
    sets.iter()
        .find(|s| s.split_once('=').is_some_and(|(p, _)| p.trim() == path))
}

/// Refuses `point` among the `--set`s of a command that runs on the random
/// streams of experiment point 0 (`compare`, `sensitivity`): it would be
/// ignored, and written into the output folder's scenario as if used.
pub fn refuse_point(command: &str, sets: &[(&str, &[String])]) -> Result<()> {
    for (option, sets) in sets {
        anyhow::ensure!(
            set_for(sets, "point").is_none(),
            "{option} point: {command} runs on the random streams of experiment point 0, so `point` cannot be set; use `backsim run --point K` for one design on point K"
        );
    }
    Ok(())
}

/// Loads the scenario of a command with its overrides of runs and seed.
pub fn load_scenario(spec: Option<&str>, sets: &[String], runs: Option<u64>, seed: Option<u64>) -> Result<Scenario> {
    load_scenario_from(spec, &[("--set", sets)], runs, seed)
}

/// Like [`load_scenario`], with `PATH=VALUE` overrides from several
/// options, applied in order (a later one wins): an error in one of them
/// names its option (`--set-b`, `--vary`), not `--set`.
pub fn load_scenario_from(
    spec: Option<&str>,
    sets: &[(&str, &[String])],
    runs: Option<u64>,
    seed: Option<u64>,
) -> Result<Scenario> {
    let all: Vec<String> = sets.iter().flat_map(|(_, s)| s.iter().cloned()).collect();
    let mut s = scenario::load(spec, &all).map_err(|mut e| {
        if e.file == "--set"
            && let Some((option, _)) = sets.iter().rev().find(|(_, s)| s.iter().any(|set| e.comes_from(set)))
        {
            e.file = (*option).to_string();
        }
        e
    })?;
    if let Some(r) = runs {
        anyhow::ensure!(
            (1..=scenario::MAX_RUNS).contains(&r),
            "--runs {r} is out of range; allowed: 1 to {}",
            scenario::MAX_RUNS
        );
        s.runs = r;
    }
    if let Some(seed) = seed {
        s.seed = seed;
    }
    Ok(s)
}

/// A thread pool of the requested size (default: one thread per core).
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    if let Some(t) = threads {
        anyhow::ensure!(
            (1..=1024).contains(&t),
            "--threads {t} is out of range; allowed: 1 to 1024"
        );
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")
}

/// The progress bar's line: bar, runs done of all, runs per second, time left.
const PROGRESS_TEMPLATE: &str = "{bar:40} {pos}/{len} runs  {rate}  eta {eta}";

/// A progress bar on stderr, hidden when stderr is not a terminal or when quiet.
pub fn progress_bar(total: u64, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    // indicatif's own `{per_sec}` prints "100,363.2903/s": whole runs are
    // enough.
    let style = indicatif::ProgressStyle::with_template(PROGRESS_TEMPLATE)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} runs/s", state.per_sec());
            },
        );
    bar.set_style(style);
    bar
}

/// Draws the plots of an experiment folder (sweep, compare, sensitivity)
/// into it, before it is committed, so a folder never looks complete
/// without them; `backsim plot` on the finished folder redraws the same bytes.
pub fn draw_plots(dir: &Path) -> Result<()> {
    let opts = crate::output::plots::PlotOptions::default();
    let (_, figures) = crate::output::plots::folder_figures(dir, &opts)?;
    crate::output::plots::write_figures(dir, &figures)
        .with_context(|| format!("cannot write plots in {}", dir.display()))?;
    Ok(())
}

/// What `--precision` achieved: the runs done and the worst half-width.
pub fn precision_line(p: &crate::experiment::precision::Precision, runs: u64, worst: f64) -> String {
    if worst <= p.half_width {
        format!(
            "precision: every outcome share within ±{} after {} (batches of {}; worst half-width {worst:.4})",
            p.half_width,
            crate::output::count(runs, "run"),
            p.batch
        )
    } else {
        format!(
            "precision: stopped at --max-runs {runs}; the worst half-width is {worst:.4}, above the asked ±{}",
            p.half_width
        )
    }
}

/// The last line of a run: runs and unit-periods per second.
pub fn throughput_line(s: &Scenario, runs: u64, seconds: f64, threads: usize) -> String {
    let unit_periods = runs as f64 * s.unit_count() as f64 * s.time.periods as f64;
    let secs = seconds.max(1e-9);
    format!(
        "throughput: {:.0} runs/s, {:.3e} unit-periods/s ({} x {} x {} in {:.2} s on {})",
        runs as f64 / secs,
        unit_periods / secs,
        count(runs, "run"),
        count(s.unit_count() as u64, "unit"),
        count(u64::from(s.time.periods), "period"),
        seconds,
        count(threads as u64, "thread")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A template indicatif refused would fall back, silently, to its plain
    /// default bar without the runs per second.
    #[test]
    fn the_progress_template_is_valid() {
        let style = indicatif::ProgressStyle::with_template(PROGRESS_TEMPLATE);
        assert!(style.is_ok(), "{:?}", style.err());
        assert!(PROGRESS_TEMPLATE.contains("{rate}") && PROGRESS_TEMPLATE.contains("{eta}"));
    }
}
