//! `backsim sweep`: one scenario at many parameter values, each point a full
//! Monte Carlo run on its own random streams, results in tidy CSV.
//!
//! The folder is built in a hidden staging folder next to the target
//! (`.NAME.partial`), which becomes the target only when every point is
//! done. Unlike `backsim run`, an interrupted sweep keeps its staging
//! folder: each finished point is written into it at once (through a
//! temporary folder renamed into place), and `--resume` continues from the
//! points that are there. The staging folder's `scenario.toml` (the base
//! scenario with the resolved `[sweep]` table, seed and version) tells
//! whether a folder holds the same sweep.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use rayon::prelude::*;

use super::{
    CommonArgs, PrecisionArgs, load_scenario, load_scenario_from, pool, progress_bar, seed_number, throughput_line,
};
use crate::experiment::metrics::{cell, metrics};
use crate::experiment::precision::{DEFAULT_BATCH, DEFAULT_MAX_RUNS, Precision, simulate_precise_with};
use crate::experiment::sweep::{Design, value_cell};
use crate::experiment::{Aggregate, Plan, Spares, simulate_with};
use crate::output::folder::{replace_dir, staging_path};
use crate::output::interrupt::{OnInterrupt, Registration, register};
use crate::output::summary::{num, write_timeseries};
use crate::output::{Replace, Summary};
use crate::scenario::Scenario;
use crate::scenario::sweep::{Axis, SweepSpec};

/// Options of `backsim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// A scenario file, or the name of a built-in scenario (default: `default`).
    pub scenario: Option<String>,
    /// Vary a field: PATH=a,b,c (a list), PATH=lo:hi:n (n values from lo to hi) or PATH=lo:hi (with --lhs); repeatable, the points are the full grid.
    #[arg(long = "vary", value_name = "PATH=VALUES")]
    pub vary: Vec<String>,
    /// Instead of the full grid, a Latin hypercube of N points over the ranges (drawn from the seed).
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = super::whole_number::<u64>)]
    pub lhs: Option<u64>,
    /// Runs per point (default: the `[sweep]` table's `runs`, else the scenario's `runs`).
    #[arg(long, allow_negative_numbers = true, value_parser = super::whole_number::<u64>)]
    pub runs: Option<u64>,
    /// Master seed (default: the scenario's `seed`). Point k uses the random streams of (seed, k, run).
    #[arg(long, allow_negative_numbers = true, value_parser = seed_number)]
    pub seed: Option<u64>,
    /// Output folder (default: `output/<scenario name>-sweep/`, replaced by the next sweep of the same scenario).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the --out folder if it exists (and discard an unfinished sweep there); one holding files backsim does not write is refused.
    #[arg(long)]
    pub force: bool,
    /// Continue an interrupted sweep in --out, or fill in the missing points of a finished one: finished points are kept, the rest are run; refused if the scenario, values, runs or seed differ.
    #[arg(long)]
    pub resume: bool,
    /// Set a scenario field at every point, e.g. --set contract.form=partnership (repeatable); a varied field cannot also be set.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Adaptive precision per point (--precision, --max-runs, --batch).
    #[command(flatten)]
    pub precision: PrecisionArgs,
    /// --threads, --quiet, --no-plots.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Files in each finished point's folder.
const POINT_FILES: [&str; 4] = ["summary.json", "timeseries.csv", "scenario.toml", "metrics.csv"];

/// How many runs each point gets.
#[derive(Clone, Copy, Debug)]
enum PerPoint {
    Fixed(u64),
    Precise(Precision),
}

impl PerPoint {
    fn most(&self) -> u64 {
        match self {
            PerPoint::Fixed(n) => *n,
            PerPoint::Precise(p) => p.max_runs,
        }
    }
}

/// The sweep as the command line and the `[sweep]` table give it.
fn effective_spec(args: &SweepArgs, base: &Scenario) -> Result<(SweepSpec, PerPoint)> {
    let mut spec = base.sweep.clone().unwrap_or_default();
    if !args.vary.is_empty() {
        spec.vary = args
            .vary
            .iter()
            .map(|v| Axis::parse(v).map_err(|m| anyhow::anyhow!("--vary {v}: {m}")))
            .collect::<Result<_>>()?;
    }
    if args.lhs.is_some() {
        spec.lhs = args.lhs;
    }
    if let Some(rule) = args.precision.rule(args.runs)? {
        spec.runs = None;
        spec.precision = Some(rule.half_width);
        spec.max_runs = Some(rule.max_runs);
        spec.batch = Some(rule.batch);
    } else if let Some(r) = args.runs {
        anyhow::ensure!(
            (1..=crate::scenario::MAX_RUNS).contains(&r),
            "--runs {r} is out of range; allowed: 1 to {}",
            crate::scenario::MAX_RUNS
        );
        spec.runs = Some(r);
        spec.precision = None;
        spec.max_runs = None;
        spec.batch = None;
    }
    if spec.vary.is_empty() {
        match &base.sweep {
            Some(_) => bail!(
                "{}: `sweep.vary` is empty: nothing to sweep; allowed: at least one field to vary (in the table, or --vary PATH=VALUES)",
                args.scenario.as_deref().unwrap_or(&base.name)
            ),
            None => bail!(
                "nothing to sweep: give --vary PATH=VALUES (e.g. --vary buyer.power=0:1:11) or a [sweep] table in the scenario"
            ),
        }
    }
    // A field both set and varied: the sweep's values would silently win.
    for a in &spec.vary {
        if let Some(set) = super::set_for(&args.sets, &a.path) {
            bail!(
                "`{}` is both set (--set {set}) and varied; allowed: one of the two",
                a.path
            );
        }
    }
    for (i, a) in spec.vary.iter().enumerate() {
        a.check(spec.lhs.is_some()).map_err(|m| match args.vary.get(i) {
            Some(raw) if !args.vary.is_empty() => anyhow::anyhow!("--vary {raw}: {m}"),
            _ => anyhow::anyhow!(
                "{}: `sweep.vary.{i}`: {m}",
                args.scenario.as_deref().unwrap_or(&base.name)
            ),
        })?;
    }
    spec.check_settings().map_err(|(field, m)| {
        let option = match field {
            "vary" => "--vary",
            "lhs" => "--lhs",
            "runs" => "--runs",
            "precision" => "--precision",
            "max_runs" => "--max-runs",
            _ => "--batch",
        };
        anyhow::anyhow!("{option}: {m}")
    })?;
    let per_point = match spec.precision {
        Some(half_width) => {
            let rule = Precision {
                half_width,
                batch: spec.batch.unwrap_or(DEFAULT_BATCH),
                max_runs: spec.max_runs.unwrap_or(DEFAULT_MAX_RUNS),
            };
            spec.batch = Some(rule.batch);
            spec.max_runs = Some(rule.max_runs);
            PerPoint::Precise(rule)
        }
        None => {
            let n = spec.runs.unwrap_or(base.runs);
            spec.runs = Some(n);
            PerPoint::Fixed(n)
        }
    };
    Ok((spec, per_point))
}

fn unwritable(path: &Path, e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("cannot write output folder {}: {e}", path.display())
}

/// Prepares the staging folder; returns it and whether a sweep was resumed.
fn prepare(target: &Path, replace: Replace, force: bool, resume: bool, manifest: &str) -> Result<(PathBuf, bool)> {
    crate::output::folder::not_the_current_folder(target).map_err(|e| unwritable(target, e))?;
    let partial = staging_path(target);
    let same = |dir: &Path| fs::read_to_string(dir.join("scenario.toml")).ok().as_deref() == Some(manifest);
    let different = |dir: &Path| {
        let theirs = fs::read_to_string(dir.join("scenario.toml")).unwrap_or_default();
        let what = match theirs.parse::<toml::Table>() {
            Ok(t) if t.is_empty() => "its scenario.toml is missing or empty".to_string(),
            Ok(t) if !t.contains_key("sweep") => {
                "it is not a sweep's folder: its scenario.toml has no [sweep] table".to_string()
            }
            Ok(_) => match differences(&theirs, manifest).as_slice() {
                [] => "its scenario.toml differs in its text (comments or layout), not in any field".to_string(),
                d => format!("its scenario.toml differs in {}", d.join(", ")),
            },
            Err(_) => "its scenario.toml is not valid TOML".to_string(),
        };
        anyhow::anyhow!(
            "{} holds a different sweep ({what}); start again with --force instead of --resume, or choose another --out",
            dir.display()
        )
    };
    if target.exists() && !target.is_dir() {
        return Err(unwritable(target, "it exists and is not a folder"));
    }
    if resume {
        if partial.join("scenario.toml").is_file() {
            if !same(&partial) {
                return Err(different(&partial));
            }
            return Ok((partial, true));
        }
        if target.is_dir()
            && fs::read_dir(target)
                .map_err(|e| unwritable(target, e))?
                .next()
                .is_some()
        {
            if !same(target) {
                return Err(different(target));
            }
            if partial.is_dir() {
                crate::output::folder::only_output_files(&partial)?;
            }
            if partial.exists() {
                fs::remove_dir_all(&partial).map_err(|e| unwritable(&partial, e))?;
            }
            fs::rename(target, &partial).map_err(|e| unwritable(target, e))?;
            return Ok((partial, true));
        }
    } else {
        if partial.join("scenario.toml").is_file() && !force {
            bail!(
                "an unfinished sweep is in {}: continue it with --resume, or start again with --force",
                partial.display()
            );
        }
        // Files of the user's are refused first: --force would not help.
        if target.is_dir() {
            crate::output::folder::only_output_files(target)?;
        }
        if let Replace::Explicit { force: false } = replace
            && target.is_dir()
            && fs::read_dir(target)
                .map_err(|e| unwritable(target, e))?
                .next()
                .is_some()
        {
            return Err(crate::output::FolderError::Exists(target.to_path_buf()).into());
        }
    }
    if partial.is_dir() {
        crate::output::folder::only_output_files(&partial)?;
    }
    if partial.exists() {
        fs::remove_dir_all(&partial).map_err(|e| unwritable(&partial, e))?;
    }
    // A staging folder with a scenario.toml is a sweep to resume: if it
    // cannot be made whole, none is left.
    if let Err(e) =
        fs::create_dir_all(partial.join("points")).and_then(|()| fs::write(partial.join("scenario.toml"), manifest))
    {
        let _ = fs::remove_dir_all(&partial);
        return Err(unwritable(target, e));
    }
    Ok((partial, false))
}

/// The first few fields (dotted paths) in which two sweeps' scenario.toml
/// differ; none if `theirs` is not a scenario file.
fn differences(theirs: &str, ours: &str) -> Vec<String> {
    fn walk(a: &toml::Table, b: &toml::Table, prefix: &str, out: &mut Vec<String>) {
        let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match (a.get(k), b.get(k)) {
                (Some(toml::Value::Table(x)), Some(toml::Value::Table(y))) => walk(x, y, &path, out),
                (x, y) if x != y => out.push(format!("`{path}`")),
                _ => {}
            }
        }
    }
    let (Ok(a), Ok(b)) = (theirs.parse::<toml::Table>(), ours.parse::<toml::Table>()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk(&a, &b, "", &mut out);
    if out.len() > 4 {
        let more = out.len() - 4;
        out.truncate(4);
        out.push(format!("{more} more"));
    }
    out
}

/// Renames the staging folder to the target (replacing an old target).
fn commit(partial: &Path, target: &Path) -> Result<bool> {
    replace_dir(partial, target).map_err(|e| unwritable(target, e))
}

/// Whether point `k` is finished in the staging folder; removes what is
/// left of an unfinished one.
fn finished(points: &Path, k: usize, design: &Design) -> Result<bool> {
    let dir = points.join(k.to_string());
    let tmp = points.join(format!(".{k}.tmp"));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(|e| unwritable(points, e))?;
    }
    if !dir.exists() {
        return Ok(false);
    }
    if POINT_FILES.iter().all(|f| dir.join(f).is_file()) && complete(&dir, design, k) {
        return Ok(true);
    }
    fs::remove_dir_all(&dir).map_err(|e| unwritable(points, e))?;
    Ok(false)
}

/// Whether finished point `k`'s files are whole: its summary reads as one,
/// and its metrics.csv is what the sweep writes: the header, then one line
/// per metric in order, with the point's number and values, and each
/// estimate and bound a number or empty (as `backsim plot` checks
/// sweep.csv). A point that fails this (a file cut short or damaged since)
/// is run again, so that `--resume` never copies a damaged line into
/// sweep.csv.
fn complete(dir: &Path, design: &Design, k: usize) -> bool {
    let summary = fs::read_to_string(dir.join("summary.json")).ok();
    let Ok(bytes) = fs::read(dir.join("metrics.csv")) else {
        return false;
    };
    let Ok(t) = crate::output::plots::data::Table::parse(&bytes) else {
        return false;
    };
    let head = header(design);
    let names = crate::experiment::metrics::metric_names();
    let mut expected: Vec<String> = vec![k.to_string()];
    expected.extend(design.points[k].iter().map(value_cell));
    let at = expected.len();
    let estimates = [at + 1, at + 2, at + 3];
    summary.as_deref().and_then(view).is_some()
        && bytes.ends_with(b"\n")
        && t.headers == head
        && t.rows.len() == names.len()
        && t.rows
            .iter()
            .zip(&names)
            .all(|(row, name)| row.len() == head.len() && row[..at] == expected[..] && row[at] == *name)
        && t.check_numbers("metrics.csv", &estimates).is_ok()
}

/// The header of `sweep.csv` and of each point's `metrics.csv`.
fn header(design: &Design) -> Vec<String> {
    let mut h = vec!["point".to_string()];
    h.extend(design.params.iter().cloned());
    h.extend(["metric", "value", "low", "high"].map(String::from));
    h
}

/// Simulates point `k` and writes its folder.
#[allow(clippy::too_many_arguments)]
fn run_point(
    spec: Option<&str>,
    sets: &[String],
    design: &Design,
    k: usize,
    per_point: PerPoint,
    seed: Option<u64>,
    points: &Path,
    spares: &Spares,
    bar: &indicatif::ProgressBar,
) -> Result<u64> {
    let point_sets = [sets, &design.sets(k)].concat();
    let runs = match per_point {
        PerPoint::Fixed(n) => n,
        PerPoint::Precise(p) => p.batch,
    };
    let mut s = load_scenario(spec, &point_sets, Some(runs), seed)?;
    s.sweep = None;
    // The point's scenario.toml reproduces it with `backsim run`.
    s.point = k as u64;
    let plan = Plan {
        seed: s.seed,
        point: k as u64,
        first_run: 0,
        runs,
        episodes: false,
    };
    let on_block = |b: &crate::experiment::Block| {
        bar.inc(b.results.len() as u64);
        Ok::<(), std::convert::Infallible>(())
    };
    let result = match per_point {
        PerPoint::Fixed(_) => simulate_with(&s, &plan, spares, on_block),
        PerPoint::Precise(p) => simulate_precise_with(&s, &plan, &p, spares, on_block),
    };
    let aggregate: Aggregate = match result {
        Ok(a) => a,
        Err(e) => match e {},
    };
    bar.inc(per_point.most().saturating_sub(aggregate.runs));
    s.runs = aggregate.runs;
    let summary = Summary::new(&s, &aggregate);

    let tmp = points.join(format!(".{k}.tmp"));
    let io = |what: &str| format!("cannot write {what} of sweep point {k} in {}", points.display());
    fs::create_dir_all(&tmp).with_context(|| io("the folder"))?;
    fs::write(tmp.join("summary.json"), summary.to_json()).with_context(|| io("summary.json"))?;
    let mut ts = csv::Writer::from_path(tmp.join("timeseries.csv")).with_context(|| io("timeseries.csv"))?;
    write_timeseries(&mut ts, &s, &aggregate).with_context(|| io("timeseries.csv"))?;
    ts.flush().with_context(|| io("timeseries.csv"))?;
    fs::write(tmp.join("scenario.toml"), s.to_toml()).with_context(|| io("scenario.toml"))?;
    let mut w = csv::Writer::from_path(tmp.join("metrics.csv")).with_context(|| io("metrics.csv"))?;
    w.write_record(header(design)).with_context(|| io("metrics.csv"))?;
    let values: Vec<String> = design.points[k].iter().map(value_cell).collect();
    for m in metrics(&summary) {
        let mut row = vec![k.to_string()];
        row.extend(values.iter().cloned());
        row.extend([m.name, cell(m.value), cell(m.low), cell(m.high)]);
        w.write_record(&row).with_context(|| io("metrics.csv"))?;
    }
    w.flush().with_context(|| io("metrics.csv"))?;
    drop(w);
    fs::rename(&tmp, points.join(k.to_string())).with_context(|| io("the folder"))?;
    let runs = aggregate.runs;
    spares.keep(aggregate);
    Ok(runs)
}

/// What the screen table shows of one point, read back from its summary.
struct PointView {
    runs: u64,
    involuntary: (f64, f64, f64),
    initiated: f64,
    excess: f64,
}

fn view(summary_json: &str) -> Option<PointView> {
    let v: serde_json::Value = serde_json::from_str(summary_json).ok()?;
    let share = |o: &str| &v["outcomes"][o]["run_share"];
    let f = |x: &serde_json::Value| x.as_f64().unwrap_or(f64::NAN);
    Some(PointView {
        runs: v["runs"].as_u64()?,
        involuntary: (
            f(&share("involuntary")["estimate"]),
            f(&share("involuntary")["low"]),
            f(&share("involuntary")["high"]),
        ),
        initiated: f(&share("initiated")["estimate"]),
        excess: f(&v["figures"]["excess_cost"]["mean"]["estimate"]),
    })
}

/// Runs `backsim sweep`.
pub(super) fn sweep(args: &SweepArgs) -> Result<()> {
    anyhow::ensure!(
        !(args.resume && args.force),
        "--resume and --force exclude each other: --resume keeps the finished points, --force discards them"
    );
    let spec_arg = args.scenario.as_deref();
    let mut base = load_scenario(spec_arg, &args.sets, None, args.seed)?;
    let (spec, per_point) = effective_spec(args, &base)?;
    let design = Design::new(&spec, base.seed);
    let n = design.points.len();
    // Every point is validated before anything is written.
    // A value's error names where the value came from.
    let varied_in = if args.vary.is_empty() {
        format!("{} [sweep] vary", spec_arg.unwrap_or(&base.name))
    } else {
        "--vary".to_string()
    };
    for k in 0..n {
        let point_sets = design.sets(k);
        let sets = [("--set", args.sets.as_slice()), (varied_in.as_str(), &point_sets)];
        load_scenario_from(spec_arg, &sets, Some(1), args.seed)
            .with_context(|| format!("sweep point {k} ({})", point_sets.join(" ")))?;
    }
    if let PerPoint::Fixed(r) = per_point {
        base.runs = r;
    }
    base.sweep = Some(spec.clone());
    let manifest = base.to_toml();

    let pool = pool(args.common.threads)?;
    let (target, replace) = match &args.out {
        Some(out) => (out.clone(), Replace::Explicit { force: args.force }),
        None => (
            PathBuf::from("output").join(format!("{}-sweep", base.name)),
            Replace::Default,
        ),
    };
    let (partial, resumed) = prepare(&target, replace, args.force, args.resume, &manifest)?;
    // On Ctrl-C (or SIGTERM, SIGHUP) the staging folder is kept for
    // --resume, and the user told so; a new sweep with no point finished
    // leaves nothing.
    let on_interrupt = if resumed {
        OnInterrupt::Keep
    } else {
        OnInterrupt::KeepPoints
    };
    let registration = register(&partial, &target, on_interrupt);
    sweep_into(
        args,
        &base,
        &design,
        per_point,
        &pool,
        &target,
        replace,
        &partial,
        resumed,
        &registration,
    )
    .map_err(|e| {
        // Finished points are kept for --resume; a new sweep with none has
        // nothing to keep, and its staging folder would only block the next
        // attempt. A resumed folder is never removed.
        let points = partial.join("points");
        let kept = (0..n).any(|k| points.join(k.to_string()).is_dir());
        if kept || resumed {
            anyhow::anyhow!(
                "{e:#}; the finished points are kept in {}: continue with --resume",
                partial.display()
            )
        } else {
            let _ = fs::remove_dir_all(&partial);
            e
        }
    })
}

/// The sweep's work once its staging folder is prepared.
#[allow(clippy::too_many_arguments)]
fn sweep_into(
    args: &SweepArgs,
    base: &Scenario,
    design: &Design,
    per_point: PerPoint,
    pool: &rayon::ThreadPool,
    target: &Path,
    replace: Replace,
    partial: &Path,
    resumed: bool,
    registration: &Registration,
) -> Result<()> {
    let spec_arg = args.scenario.as_deref();
    let n = design.points.len();
    let points = partial.join("points");
    fs::create_dir_all(&points).map_err(|e| unwritable(target, e))?;
    let mut pending = Vec::new();
    for k in 0..n {
        if !finished(&points, k, design)? {
            pending.push(k);
        }
    }
    if args.resume && !args.common.quiet {
        if resumed {
            eprintln!(
                "resuming the sweep in {}: {} of {n} points done, {} to run",
                target.display(),
                n - pending.len(),
                pending.len()
            );
        } else {
            eprintln!("nothing to resume in {}; starting the sweep", target.display());
        }
    }

    let bar = progress_bar(pending.len() as u64 * per_point.most(), args.common.quiet);
    let started = Instant::now();
    // The points' aggregates are reused from point to point (see `Spares`).
    let spares = Spares::default();
    let runs_done: Vec<u64> = pool.install(|| {
        pending
            .par_iter()
            .map(|&k| {
                run_point(
                    spec_arg, &args.sets, design, k, per_point, args.seed, &points, &spares, &bar,
                )
            })
            .collect::<Result<Vec<u64>>>()
    })?;
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();

    // points.csv and sweep.csv, from the point folders, in point order.
    let io = |what: &str| format!("cannot write {what} in {}", target.display());
    // A folder where a resumed sweep writes one of these files (put there
    // since) would fail every later --resume too: the names are the sweep's.
    for f in ["points.csv", "sweep.csv"] {
        if partial.join(f).is_dir() {
            fs::remove_dir_all(partial.join(f)).with_context(|| io(f))?;
        }
    }
    let mut points_csv = csv::Writer::from_path(partial.join("points.csv")).with_context(|| io("points.csv"))?;
    let mut h = vec!["point".to_string()];
    h.extend(design.params.iter().cloned());
    h.push("runs".into());
    points_csv.write_record(&h).with_context(|| io("points.csv"))?;
    let mut sweep_csv = String::new();
    let mut views = Vec::with_capacity(n);
    for k in 0..n {
        let dir = points.join(k.to_string());
        let read =
            |f: &str| fs::read_to_string(dir.join(f)).with_context(|| format!("cannot read {}", dir.join(f).display()));
        let metrics_csv = read("metrics.csv")?;
        let mut lines = metrics_csv.split_inclusive('\n');
        let head = lines.next().unwrap_or_default();
        if k == 0 {
            sweep_csv.push_str(head);
        }
        lines.for_each(|l| sweep_csv.push_str(l));
        let pv = view(&read("summary.json")?)
            .with_context(|| format!("{} is not a summary of backsim", dir.join("summary.json").display()))?;
        let mut row = vec![k.to_string()];
        row.extend(design.points[k].iter().map(value_cell));
        row.push(pv.runs.to_string());
        points_csv.write_record(&row).with_context(|| io("points.csv"))?;
        views.push(pv);
    }
    points_csv.flush().with_context(|| io("points.csv"))?;
    drop(points_csv);
    fs::write(partial.join("sweep.csv"), sweep_csv).with_context(|| io("sweep.csv"))?;
    if !args.common.no_plots {
        super::draw_plots(partial)?;
    }
    let replaced = registration.commit(|| commit(partial, target))?;

    if !args.common.quiet {
        if replaced && replace == Replace::Default && !resumed {
            eprintln!("replaced the previous results in {}", target.display());
        }
        print_table(base, design, &views);
        println!("results in {}", target.display());
        let total: u64 = runs_done.iter().sum();
        if total > 0 {
            println!("{}", throughput_line(base, total, elapsed, pool.current_num_threads()));
        }
    }
    Ok(())
}

fn print_table(base: &Scenario, design: &Design, views: &[PointView]) {
    const SHOWN: usize = 40;
    println!(
        "{}: sweep over {} point{} ({}), seed {}",
        base.name,
        views.len(),
        if views.len() == 1 { "" } else { "s" },
        design.params.join(", "),
        base.seed
    );
    let width = |p: &String| p.len().max(8);
    let mut head = format!("\n{:>6}", "point");
    for p in &design.params {
        head.push_str(&format!(" {:>w$}", p, w = width(p)));
    }
    head.push_str(&format!(
        " {:>8} {:>26} {:>10} {:>14}",
        "runs", "involuntary (runs)", "initiated", "excess cost"
    ));
    println!("{head}");
    for (k, v) in views.iter().enumerate().take(SHOWN) {
        let mut line = format!("{k:>6}");
        for (p, x) in design.params.iter().zip(&design.points[k]) {
            line.push_str(&format!(" {:>w$}", value_cell(x), w = width(p)));
        }
        let (e, lo, hi) = v.involuntary;
        line.push_str(&format!(
            " {:>8} {:>26} {:>9.1}% {:>14}",
            v.runs,
            format!("{:5.1}% [{:4.1}, {:4.1}]", 100.0 * e, 100.0 * lo, 100.0 * hi),
            100.0 * v.initiated,
            num(v.excess)
        ));
        println!("{line}");
    }
    if views.len() > SHOWN {
        println!("   ... {} more points in sweep.csv", views.len() - SHOWN);
    }
    println!();
}
