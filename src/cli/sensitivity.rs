//! `backsim sensitivity`: Morris screening or Sobol indices of chosen
//! outputs with respect to chosen numeric fields.
//!
//! Every sample is a Monte Carlo run of `--runs` runs of the scenario with
//! the sample's values set, on the random streams of experiment point 0:
//! all samples share the same random futures (common random numbers), so
//! differences between samples come from the parameters, not from noise. A
//! sample's outputs are those of `backsim run --set ... --runs R --seed S`.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use rayon::prelude::*;

use super::{CommonArgs, load_scenario, load_scenario_from, pool, progress_bar, seed_number, throughput_line};
use crate::experiment::metrics::{cell, metric_names, metrics};
use crate::experiment::sensitivity::{MorrisDesign, MorrisOptions, SobolDesign, SobolOptions, scale};
use crate::experiment::sweep::{value_cell, value_text, whole_number_at};
use crate::experiment::{Plan, Spares, simulate_with};
use crate::output::summary::num;
use crate::output::{Replace, Staging, Summary};
use crate::scenario::param::{Allowed, Kind, fmt_num, suggest};
use crate::scenario::sweep::{field_doc, number_value, numeric_paths};
use crate::scenario::{Scenario, Shock};
use crate::stats::Interval;

/// The method of a sensitivity analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// Morris elementary effects: cheap screening (mu_star, mu, sigma).
    Morris,
    /// Sobol indices: first-order (S1) and total (ST) shares of variance.
    Sobol,
}

/// Options of `backsim sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// A scenario file, or the name of a built-in scenario (default: `default`).
    pub scenario: Option<String>,
    /// morris (screening) or sobol (variance shares).
    #[arg(long, value_enum)]
    pub method: Method,
    /// The numeric fields to vary, by dotted path: --params buyer.power,market.alternatives (a group's field: provider.groups.0.unit_cost; a scheduled shock's: demand.shocks.0.size).
    #[arg(long, value_delimiter = ',', required = true, value_name = "PATH,...")]
    pub params: Vec<String>,
    /// Ranges, PATH=lo:hi, comma-separated, whole numbers for whole-number fields (default: for a field whose allowed range lies within 0 to 1, such as a share, that range; a drawn field's distribution bounds; otherwise half to one and a half times the scenario's value, within the allowed range; required where that gives no range, such as a value of 0 or a shock with no duration).
    #[arg(long, value_delimiter = ',', value_name = "PATH=LO:HI,...")]
    pub ranges: Vec<String>,
    /// Outputs, metric names of sweep.csv (default: involuntary_run_share, initiated_run_share, backsourcing_run_share, excess_cost_mean).
    #[arg(long, value_delimiter = ',', value_name = "METRIC,...")]
    pub outputs: Vec<String>,
    /// Morris: trajectories (default 10); Sobol: base sample size N (default 256).
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = super::whole_number::<usize>)]
    pub samples: Option<usize>,
    /// Morris: grid levels, even (default 4).
    #[arg(long, allow_negative_numbers = true, value_name = "P", value_parser = super::whole_number::<usize>)]
    pub levels: Option<usize>,
    /// Bootstrap resamples for the 95% intervals (100 to 100000).
    #[arg(long, allow_negative_numbers = true, value_name = "B", default_value_t = 1000, value_parser = super::whole_number::<usize>)]
    pub bootstrap: usize,
    /// Runs per sample.
    #[arg(long, allow_negative_numbers = true, default_value_t = 1000, value_parser = super::whole_number::<u64>)]
    pub runs: u64,
    /// Master seed of the runs, the design and the bootstrap (default: the scenario's `seed`).
    #[arg(long, allow_negative_numbers = true, value_parser = seed_number)]
    pub seed: Option<u64>,
    /// Output folder (default: `output/<scenario name>-<method>/`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the --out folder if it exists (an earlier output folder: one holding files backsim does not write is refused).
    #[arg(long)]
    pub force: bool,
    /// Set a scenario field in every sample (repeatable); a field in --params cannot also be set.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// --threads, --quiet, --no-plots.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Outputs analysed when `--outputs` is not given.
pub const DEFAULT_OUTPUTS: [&str; 4] = [
    "involuntary_run_share",
    "initiated_run_share",
    "backsourcing_run_share",
    "excess_cost_mean",
];

/// Most model evaluations (samples) of one analysis.
const MAX_SAMPLES: usize = 10_000_000;

/// A varied parameter.
struct Factor {
    path: String,
    lo: f64,
    hi: f64,
    kind: Kind,
}

fn factors(args: &SensitivityArgs, base: &Scenario) -> Result<Vec<Factor>> {
    let mut ranges: Vec<(String, f64, f64)> = Vec::new();
    for r in &args.ranges {
        let err = |m: &str| anyhow::anyhow!("--ranges {r}: {m}");
        let (path, range) = r
            .split_once('=')
            .ok_or_else(|| err("expected PATH=LO:HI, e.g. buyer.power=0.2:0.9"))?;
        let (lo, hi) = range
            .split_once(':')
            .ok_or_else(|| err("expected PATH=LO:HI, e.g. buyer.power=0.2:0.9"))?;
        let parse = |x: &str| x.trim().parse::<f64>().ok().filter(|x| x.is_finite());
        let (Some(lo), Some(hi)) = (parse(lo), parse(hi)) else {
            return Err(err("LO and HI must be numbers"));
        };
        let path = path.trim().to_string();
        if !args.params.iter().any(|p| p.trim() == path) {
            return Err(err(&format!("`{path}` is not one of --params")));
        }
        if ranges.iter().any(|r| r.0 == path) {
            return Err(err(&format!("`{path}` is given twice")));
        }
        ranges.push((path, lo, hi));
    }
    let mut out: Vec<Factor> = Vec::new();
    for p in &args.params {
        let path = p.trim().to_string();
        // A group's path with a bad number or field says which.
        if path.split('.').nth(1) == Some("groups")
            && let Err(m) = crate::scenario::sweep::check_path(&path)
        {
            bail!("--params: {m}");
        }
        // What the field allows, and the range its scenario value suggests.
        let (allowed, around) = if let Some(doc) = field_doc(&path) {
            // Every field of a section has a value; only a group's path can
            // miss one: a group number the file does not have.
            let Some(p) = base.param(&path) else {
                let [section, "groups", k, field] = path.split('.').collect::<Vec<_>>()[..] else {
                    bail!("--params: `{path}` has no value in the scenario");
                };
                let groups = base.group_entries(section);
                if groups.is_empty() {
                    bail!(
                        "--params: `{path}`: the scenario has no [[{section}.groups]] tables: its [{section}] table is its one group, so vary `{section}.{field}` instead"
                    );
                }
                bail!(
                    "--params: `{path}`: `{k}` is not one of the scenario's [[{section}.groups]] tables; allowed: {}",
                    groups.join(", ")
                );
            };
            let around = if p.is_fixed() {
                Around::Value(p.central())
            } else {
                Around::Bounds(p.bounds())
            };
            (Allowed::closed(doc.kind, doc.range), around)
        } else if let Some((allowed, value)) = base.shock_field(&path).map_err(|m| anyhow::anyhow!("--params: {m}"))? {
            let around = match value {
                Some(v) => Around::Value(v),
                None => Around::LastingShock,
            };
            (allowed, around)
        } else {
            let structural = [
                "buyer.count",
                "buyer.units",
                "buyer.reserve_units",
                "provider.count",
                "provider.share",
            ];
            if structural.contains(&crate::scenario::sweep::template_path(&path).as_str()) {
                bail!(
                    "--params: `{path}` is a number of agents or units or a share of contracts, not a parameter a run draws; sweep it instead (backsim sweep --vary {path}=...)"
                );
            }
            let all = numeric_paths();
            bail!(
                "--params: `{path}` cannot be varied{}; allowed: a number field of [buyer], [provider], [contract], [market], [demand], [trust], [legal] or [transition] (see `backsim reference`), of one group (buyer.groups.K.FIELD, provider.groups.K.FIELD; K = 0 for the first), or of one scheduled shock (demand.shocks.K.start, .duration, .size, .budget); the horizon, runs and seed are not parameters",
                suggest(&path, all.iter().map(String::as_str))
            );
        };
        if out.iter().any(|f| f.path == path) {
            bail!("--params: `{path}` is given twice");
        }
        // A field both set and varied: the samples' values would silently win.
        if let Some(set) = super::set_for(&args.sets, &path) {
            bail!("`{path}` is both set (--set {set}) and in --params; allowed: one of the two");
        }
        let (lo, hi) = match ranges.iter().find(|r| r.0 == path) {
            Some(&(_, lo, hi)) => {
                // A whole-number field is varied over whole numbers: bounds
                // between them would leave moves that rounding makes empty.
                let fractions = allowed.kind == Kind::Int && (lo.fract() != 0.0 || hi.fract() != 0.0);
                if fractions || lo >= hi || !allowed.admits(lo) || !allowed.admits(hi) {
                    bail!(
                        "--ranges {path}={}:{}: {}LO below HI, both {}",
                        fmt_num(lo),
                        fmt_num(hi),
                        if fractions {
                            format!("`{path}` is a whole number; allowed: whole-number ")
                        } else {
                            "allowed: ".to_string()
                        },
                        allowed.describe()
                    );
                }
                (lo, hi)
            }
            None => default_range(&path, &allowed, around)?,
        };
        out.push(Factor {
            path,
            lo,
            hi,
            kind: allowed.kind,
        });
    }
    Ok(out)
}

/// What a field's default range is drawn from.
enum Around {
    /// A fixed value: half to one and a half times it.
    Value(f64),
    /// A drawn value: its distribution's bounds.
    Bounds((f64, f64)),
    /// A scheduled shock's `duration` not given: it lasts to the horizon.
    LastingShock,
}

/// The range a parameter varies over when `--ranges` does not give one.
///
/// A field's allowed range is a validity bound, not a plausible range (an
/// `Int` count may go to 100000), so only shares and probabilities (allowed
/// range within 0 to 1) vary over all of it. A field the scenario draws from
/// a distribution varies over the distribution's bounds; any other over half
/// to one and a half times the scenario's value (between them when it is
/// negative), within the allowed range.
fn default_range(path: &str, allowed: &Allowed, around: Around) -> Result<(f64, f64)> {
    let ask = |why: &str| {
        anyhow::anyhow!(
            "--params {path}: {why}; give one with --ranges {path}=LO:HI (allowed: {})",
            allowed.describe()
        )
    };
    if !allowed.low_open && allowed.low >= 0.0 && allowed.high <= 1.0 {
        return Ok((allowed.low, allowed.high));
    }
    let (lo, hi) = match around {
        Around::Value(v) => {
            if !allowed.admits(v) {
                return Err(ask(&format!(
                    "the scenario's value, {}, lies outside the values a range may take",
                    fmt_num(v)
                )));
            }
            (f64::min(0.5 * v, 1.5 * v), f64::max(0.5 * v, 1.5 * v))
        }
        Around::Bounds(b) => b,
        Around::LastingShock => {
            return Err(ask(
                "the shock has no `duration` (it lasts to the horizon), so no value to vary around",
            ));
        }
    };
    // An open bound (a shock's size above -1) cannot be reached: such a
    // range is refused, not moved to some value just inside it.
    if allowed.low_open && lo <= allowed.low {
        // Nine decimals: -1.05, not the -1.0499999999999998 of 1.5 x -0.7.
        return Err(ask(&format!(
            "one and a half times the scenario's value is {}, not above {}",
            fmt_num((lo * 1e9).round() / 1e9),
            fmt_num(allowed.low)
        )));
    }
    let (mut lo, mut hi) = (lo.max(allowed.low), hi.min(allowed.high));
    if allowed.kind == Kind::Int {
        (lo, hi) = (lo.floor(), hi.ceil());
    }
    if lo >= hi {
        return Err(ask("the scenario's value gives no range to vary it over"));
    }
    Ok((lo, hi))
}

/// The shock number K of a path `demand.shocks.K.duration`.
fn shock_duration(path: &str) -> Option<usize> {
    path.strip_prefix("demand.shocks.")?
        .strip_suffix(".duration")?
        .parse()
        .ok()
}

fn outputs(args: &SensitivityArgs) -> Result<Vec<String>> {
    let names = metric_names();
    let chosen: Vec<String> = if args.outputs.is_empty() {
        DEFAULT_OUTPUTS.iter().map(|s| s.to_string()).collect()
    } else {
        args.outputs.iter().map(|s| s.trim().to_string()).collect()
    };
    for (i, o) in chosen.iter().enumerate() {
        if chosen[..i].contains(o) {
            bail!("--outputs: `{o}` is given twice; allowed: each metric once");
        }
        if !names.contains(o) {
            bail!(
                "--outputs: unknown metric `{o}`{}; allowed: the metrics of sweep.csv, such as {}",
                suggest(o, names.iter().map(String::as_str)),
                DEFAULT_OUTPUTS.join(", ")
            );
        }
    }
    Ok(chosen)
}

/// Runs `backsim sensitivity`.
pub(super) fn sensitivity(args: &SensitivityArgs) -> Result<()> {
    let spec = args.scenario.as_deref();
    super::refuse_point("sensitivity", &[("--set", &args.sets)])?;
    let mut base = load_scenario(spec, &args.sets, Some(args.runs), args.seed)?;
    // Every sample runs on point 0, whatever the scenario file says: its
    // scenario.toml records that.
    base.point = 0;
    let factors = factors(args, &base)?;
    let outputs = outputs(args)?;
    let seed = base.seed;
    let k = factors.len();
    anyhow::ensure!(
        (100..=100_000).contains(&args.bootstrap),
        "--bootstrap {} is out of range; allowed: 100 to 100000 (the 2.5% and 97.5% quantiles of fewer resamples are not an interval)",
        args.bootstrap
    );
    let (unit_points, morris, sobol) = match args.method {
        Method::Morris => {
            let r = args.samples.unwrap_or(10);
            let levels = args.levels.unwrap_or(4);
            anyhow::ensure!(
                r >= 2,
                "--samples {r} is out of range: Morris needs at least 2 trajectories"
            );
            anyhow::ensure!(
                levels >= 2 && levels % 2 == 0 && levels <= 1000,
                "--levels {levels} is out of range; allowed: an even number from 2 to 1000"
            );
            anyhow::ensure!(
                r.saturating_mul(k + 1) <= MAX_SAMPLES,
                "--samples {r}: {} samples is too many; allowed: at most {MAX_SAMPLES}",
                r.saturating_mul(k + 1)
            );
            let opts = MorrisOptions {
                trajectories: r,
                levels,
                seed,
                bootstrap: args.bootstrap,
            };
            let mut d = MorrisDesign::new(k, &opts);
            // Whole-number fields are rounded: the effects use the rounded steps.
            for u in d.points.iter_mut() {
                for (x, f) in u.iter_mut().zip(&factors) {
                    if f.kind == Kind::Int && f.hi > f.lo {
                        *x = ((f.lo + (f.hi - f.lo) * *x).round() - f.lo) / (f.hi - f.lo);
                    }
                }
            }
            (d.points.clone(), Some((d, opts)), None)
        }
        Method::Sobol => {
            anyhow::ensure!(
                args.levels.is_none(),
                "--levels is for --method morris; Sobol samples are not on a grid"
            );
            let n = args.samples.unwrap_or(256);
            anyhow::ensure!(
                n >= 8,
                "--samples {n} is out of range: Sobol needs a base sample of at least 8"
            );
            anyhow::ensure!(
                n.saturating_mul(k + 2) <= MAX_SAMPLES,
                "--samples {n}: {} samples is too many; allowed: at most {MAX_SAMPLES}",
                n.saturating_mul(k + 2)
            );
            let opts = SobolOptions {
                samples: n,
                seed,
                bootstrap: args.bootstrap,
            };
            let mut d = SobolDesign::new(k, &opts);
            // Whole-number fields take every whole value of their range
            // equally often (rounding would halve the chance of the ends).
            for u in d.points.iter_mut() {
                for (x, f) in u.iter_mut().zip(&factors) {
                    if f.kind == Kind::Int && f.hi > f.lo {
                        *x = (whole_number_at(*x, f.lo, f.hi) - f.lo) / (f.hi - f.lo);
                    }
                }
            }
            (d.points.clone(), None, Some((d, opts)))
        }
    };
    // The samples in natural units, as the values --set takes.
    let ranges: Vec<(f64, f64)> = factors.iter().map(|f| (f.lo, f.hi)).collect();
    let samples: Vec<Vec<toml::Value>> = unit_points
        .iter()
        .map(|u| {
            scale(u, &ranges)
                .into_iter()
                .zip(&factors)
                .map(|(x, f)| {
                    let x = if f.kind == Kind::Int {
                        x.round()
                    } else {
                        x.clamp(f.lo, f.hi)
                    };
                    number_value(x, f.kind)
                })
                .collect()
        })
        .collect();
    let sets_of = |values: &[toml::Value]| -> Vec<String> {
        let mut sets = args.sets.clone();
        sets.extend(
            factors
                .iter()
                .zip(values)
                .map(|(f, v)| format!("{}={}", f.path, value_text(v))),
        );
        sets
    };
    // Check every sample before anything is written, and count the samples
    // in which a varied shock duration outlasts the horizon (a shock ends
    // there, so such a duration has no effect of its own).
    let durations: Vec<Option<usize>> = factors.iter().map(|f| shock_duration(&f.path)).collect();
    let mut outlasting = vec![0usize; factors.len()];
    for (j, v) in samples.iter().enumerate() {
        let sets = sets_of(v);
        let (common, varied) = sets.split_at(args.sets.len());
        let sample = load_scenario_from(
            spec,
            &[("--set", common), ("--params", varied)],
            Some(args.runs),
            args.seed,
        )
        .map_err(|e| {
            anyhow::anyhow!(
                "sample {j} ({}): {e:#}; narrower --ranges keep such samples out",
                varied.join(" ")
            )
        })?;
        for (n, k) in outlasting.iter_mut().zip(&durations) {
            let shock = k.and_then(|k| sample.shocks.get(k));
            if let Some(&Shock {
                start,
                duration: Some(d),
                ..
            }) = shock
            {
                *n += usize::from(u64::from(start) + u64::from(d) > u64::from(sample.time.periods));
            }
        }
    }
    // Said before the simulation, which the range may not be worth.
    if !args.common.quiet {
        for ((f, &n), &k) in factors.iter().zip(&outlasting).zip(&durations) {
            let (Some(k), true) = (k, n > 0) else {
                continue;
            };
            let periods = base.time.periods;
            let start_varied = factors.iter().any(|g| g.path == format!("demand.shocks.{k}.start"));
            let advice = match base.shocks.get(k) {
                Some(shock) if !start_varied => format!(
                    "keep it at most {} (the scenario's start is {})",
                    periods.saturating_sub(shock.start),
                    shock.start
                ),
                _ => format!("keep the start plus the duration within {periods}"),
            };
            eprintln!(
                "note: in {n} of {} samples {} outlasts the horizon of {periods} periods: the shock ends there, so the duration beyond the periods left after the start has no effect, which lowers its indices; {advice}",
                samples.len(),
                f.path,
            );
        }
    }

    let pool = pool(args.common.threads)?;
    let method_name = match args.method {
        Method::Morris => "morris",
        Method::Sobol => "sobol",
    };
    let (target, replace) = match &args.out {
        Some(out) => (out.clone(), Replace::Explicit { force: args.force }),
        None => (
            PathBuf::from("output").join(format!("{}-{method_name}", base.name)),
            Replace::Default,
        ),
    };
    let staging = Staging::prepare(&target, replace)?;
    let io = |what: &str| format!("cannot write {what} in {}", target.display());

    let bar = progress_bar(samples.len() as u64 * args.runs, args.common.quiet);
    let started = Instant::now();
    let wanted: Vec<usize> = {
        let names = metric_names();
        outputs
            .iter()
            .map(|o| names.iter().position(|n| n == o).unwrap_or(0))
            .collect()
    };
    // The samples' aggregates are reused from sample to sample (see `Spares`).
    let spares = Spares::default();
    let y: Vec<Vec<f64>> = pool.install(|| {
        samples
            .par_iter()
            .map(|v| -> Result<Vec<f64>> {
                let s = load_scenario(spec, &sets_of(v), Some(args.runs), args.seed)?;
                let plan = Plan {
                    seed: s.seed,
                    point: 0,
                    first_run: 0,
                    runs: s.runs,
                    episodes: false,
                };
                let a = match simulate_with(&s, &plan, &spares, |b| {
                    bar.inc(b.results.len() as u64);
                    Ok::<(), std::convert::Infallible>(())
                }) {
                    Ok(a) => a,
                    Err(e) => match e {},
                };
                let m = metrics(&Summary::new(&s, &a));
                spares.keep(a);
                Ok(wanted.iter().map(|&i| m[i].value).collect())
            })
            .collect::<Result<Vec<_>>>()
    })?;
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();

    // sensitivity.csv: metric, parameter, index, value, low, high.
    let mut rows: Vec<(String, String, &'static str, Interval)> = Vec::new();
    if let Some((d, opts)) = &morris {
        let res = d.analyze(&y, opts);
        for (o, per_param) in outputs.iter().zip(&res) {
            for (f, m) in factors.iter().zip(per_param) {
                rows.push((o.clone(), f.path.clone(), "mu_star", m.mu_star));
                rows.push((o.clone(), f.path.clone(), "mu", m.mu));
                rows.push((o.clone(), f.path.clone(), "sigma", m.sigma));
            }
        }
    }
    if let Some((d, opts)) = &sobol {
        let res = pool.install(|| d.analyze(&y, opts));
        for (o, per_param) in outputs.iter().zip(&res) {
            for (f, s) in factors.iter().zip(per_param) {
                rows.push((o.clone(), f.path.clone(), "S1", s.s1));
                rows.push((o.clone(), f.path.clone(), "ST", s.st));
            }
        }
    }
    let mut w = csv::Writer::from_writer(
        staging
            .create("sensitivity.csv")
            .with_context(|| io("sensitivity.csv"))?,
    );
    w.write_record(["metric", "parameter", "index", "value", "low", "high"])
        .with_context(|| io("sensitivity.csv"))?;
    for (o, p, idx, i) in &rows {
        w.write_record([o.as_str(), p, idx, &cell(i.estimate), &cell(i.low), &cell(i.high)])
            .with_context(|| io("sensitivity.csv"))?;
    }
    w.flush().with_context(|| io("sensitivity.csv"))?;
    drop(w);
    // samples.csv: every sample's values and outputs.
    let mut w = csv::Writer::from_writer(staging.create("samples.csv").with_context(|| io("samples.csv"))?);
    let mut h = vec!["sample".to_string()];
    h.extend(factors.iter().map(|f| f.path.clone()));
    h.extend(outputs.iter().cloned());
    w.write_record(&h).with_context(|| io("samples.csv"))?;
    for (j, (v, out)) in samples.iter().zip(&y).enumerate() {
        let mut row = vec![j.to_string()];
        row.extend(v.iter().map(value_cell));
        row.extend(out.iter().map(|x| cell(*x)));
        w.write_record(&row).with_context(|| io("samples.csv"))?;
    }
    w.flush().with_context(|| io("samples.csv"))?;
    drop(w);
    staging
        .write("scenario.toml", base.to_toml().as_bytes())
        .with_context(|| io("scenario.toml"))?;
    if !args.common.no_plots {
        super::draw_plots(staging.path())?;
    }
    let replaced = staging.commit().with_context(|| io("the output folder"))?;

    if !args.common.quiet {
        if replaced && replace == Replace::Default {
            eprintln!("replaced the previous results in {}", target.display());
        }
        println!(
            "{}: {} sensitivity of {}, {} x {}, seed {}",
            base.name,
            method_name,
            crate::output::count(k as u64, "parameter"),
            crate::output::count(samples.len() as u64, "sample"),
            crate::output::count(args.runs, "run"),
            seed
        );
        print_table(&outputs, &factors, &rows, args.method);
        for (o, name) in outputs.iter().enumerate() {
            let undefined = y.iter().filter(|out| !out[o].is_finite()).count();
            if undefined > 0 {
                println!(
                    "note: {name} is undefined at {undefined} of {} samples (no run there had what it measures), so its indices are not estimated; more --runs per sample, or another output, may help",
                    y.len()
                );
            }
        }
        println!("results in {}", target.display());
        println!(
            "{}",
            throughput_line(
                &base,
                samples.len() as u64 * args.runs,
                elapsed,
                pool.current_num_threads()
            )
        );
    }
    Ok(())
}

fn print_table(
    outputs: &[String],
    factors: &[Factor],
    rows: &[(String, String, &'static str, Interval)],
    method: Method,
) {
    let (first, second, third) = match method {
        Method::Morris => ("mu_star", "mu", Some("sigma")),
        Method::Sobol => ("S1", "ST", None),
    };
    let sort_by = if method == Method::Morris { first } else { second };
    let width = factors.iter().map(|f| f.path.len()).max().unwrap_or(9).max(9);
    for o in outputs {
        println!("\n{o}");
        let get = |p: &str, idx: &str| {
            rows.iter().find(|r| r.0 == *o && r.1 == p && r.2 == idx).map_or(
                Interval {
                    estimate: f64::NAN,
                    low: f64::NAN,
                    high: f64::NAN,
                },
                |r| r.3,
            )
        };
        let mut order: Vec<&Factor> = factors.iter().collect();
        order.sort_by(|a, b| {
            get(&b.path, sort_by)
                .estimate
                .total_cmp(&get(&a.path, sort_by).estimate)
        });
        let iv = |i: Interval| format!("{} [{}, {}]", num(i.estimate), num(i.low), num(i.high));
        print!("  {:<width$} {:>28} {:>28}", "parameter", first, second);
        if let Some(t) = third {
            print!(" {:>28}", t);
        }
        println!();
        for f in order {
            print!(
                "  {:<width$} {:>28} {:>28}",
                f.path,
                iv(get(&f.path, first)),
                iv(get(&f.path, second))
            );
            if let Some(t) = third {
                print!(" {:>28}", iv(get(&f.path, t)));
            }
            println!();
        }
    }
    println!();
}
