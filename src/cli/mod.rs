//! The command line: argument definitions and the commands.
//!
//! `main` only calls [`main_exit_code`]. Every error a user can cause ends
//! with one message on stderr and exit code 2. Each command lives in its own
//! file; this one holds the argument definitions and what they share.

mod run;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

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
}

/// Options of `backsim run`.
#[derive(Debug, Args, Default)]
pub struct RunArgs {
    /// A scenario file, or the name of a built-in scenario (default: `default`).
    pub scenario: Option<String>,
    /// Number of runs (default: the scenario's `runs`, 10000 if unset).
    #[arg(long)]
    pub runs: Option<u64>,
    /// Master seed (default: the scenario's `seed`, 1 if unset).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output folder (default: `output/<scenario name>/`, replaced by the next run of the same scenario).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the --out folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// Set a scenario field by its dotted path, e.g. --set buyer.power=0.3 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Also write episodes.csv, one row per contract episode.
    #[arg(long)]
    pub episodes: bool,
    /// Print nothing but errors (no progress bar, no table).
    #[arg(long)]
    pub quiet: bool,
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
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
    }
}

/// Loads the scenario of a command with its overrides of runs and seed.
pub fn load_scenario(spec: Option<&str>, sets: &[String], runs: Option<u64>, seed: Option<u64>) -> Result<Scenario> {
    let mut s = scenario::load(spec, sets)?;
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

/// A progress bar on stderr, hidden when stderr is not a terminal or when quiet.
pub fn progress_bar(total: u64, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    let style = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {per_sec}  eta {eta}")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// The last line of a run: runs and unit-periods per second.
pub fn throughput_line(s: &Scenario, runs: u64, seconds: f64, threads: usize) -> String {
    let unit_periods = runs as f64 * s.unit_count() as f64 * s.time.periods as f64;
    let secs = seconds.max(1e-9);
    format!(
        "throughput: {:.0} runs/s, {:.3e} unit-periods/s ({runs} runs x {} units x {} periods in {:.2} s on {threads} threads)",
        runs as f64 / secs,
        unit_periods / secs,
        s.unit_count(),
        s.time.periods,
        seconds
    )
}
