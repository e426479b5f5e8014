//! `backsim run`: one scenario, many runs, one output folder.

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};

use super::{RunArgs, load_scenario, pool, progress_bar, throughput_line};
use crate::experiment::precision::{simulate_precise, worst_half_width};
use crate::experiment::{Block, Plan, simulate};
use crate::output::plots::{self, data::ExcessCost};
use crate::output::runs::{RowWriter, write_episode_header, write_run_header};
use crate::output::summary::write_timeseries;
use crate::output::{Replace, Staging, Summary};

/// Runs `backsim run`.
pub(super) fn run(args: &RunArgs) -> Result<()> {
    let rule = args.precision.rule(args.runs)?;
    let mut s = load_scenario(args.scenario.as_deref(), &args.sets, args.runs, args.seed)?;
    // The point goes into scenario.toml, so that the folder reproduces.
    s.point = args.point.unwrap_or(s.point);
    let pool = pool(args.common.threads)?;
    let (target, replace) = match &args.out {
        Some(out) => (out.clone(), Replace::Explicit { force: args.force }),
        None => (PathBuf::from("output").join(&s.name), Replace::Default),
    };
    let staging = Staging::prepare(&target, replace)?;
    let io = |what: &str| format!("cannot write {what} in {}", target.display());

    // A row file in the staging folder, with its header.
    type Rows = std::io::BufWriter<std::fs::File>;
    let open = |name: &str, header: fn(&mut Rows) -> std::io::Result<()>| -> Result<Rows> {
        let mut w = staging.create(name).with_context(|| io(name))?;
        header(&mut w).with_context(|| io(name))?;
        Ok(w)
    };
    let mut runs_csv = (!args.no_runs_csv)
        .then(|| open("runs.csv", write_run_header))
        .transpose()?;
    let mut episodes_csv = args
        .episodes
        .then(|| open("episodes.csv", write_episode_header))
        .transpose()?;
    let bar = progress_bar(rule.map_or(s.runs, |p| p.max_runs), args.common.quiet);
    let plan = Plan {
        seed: s.seed,
        point: s.point,
        first_run: 0,
        runs: s.runs,
        episodes: args.episodes,
    };
    let mut rows = RowWriter::default();
    // Every run's excess cost, for the plots (bounded memory).
    let mut excess = (!args.common.no_plots).then(ExcessCost::default);
    let started = Instant::now();
    let aggregate = pool.install(|| {
        let on_block = |block: &Block| -> Result<()> {
            if let Some(w) = runs_csv.as_mut() {
                for r in &block.results {
                    rows.run(w, r).with_context(|| io("runs.csv"))?;
                }
            }
            if let Some(x) = excess.as_mut() {
                block.results.iter().for_each(|r| x.add(r));
            }
            if let Some(w) = episodes_csv.as_mut() {
                for (run, e) in &block.episodes {
                    rows.episode(w, *run, e).with_context(|| io("episodes.csv"))?;
                }
            }
            bar.inc(block.results.len() as u64);
            Ok(())
        };
        match &rule {
            Some(p) => simulate_precise(&s, &plan, p, on_block),
            None => simulate(&s, &plan, on_block),
        }
    })?;
    bar.finish_and_clear();
    // With --precision, the runs done; the resolved scenario then reproduces them.
    let s = crate::scenario::Scenario {
        runs: aggregate.runs,
        ..s
    };
    if let Some(mut w) = runs_csv {
        w.flush().with_context(|| io("runs.csv"))?;
    }
    if let Some(mut w) = episodes_csv {
        w.flush().with_context(|| io("episodes.csv"))?;
    }
    let summary = Summary::new(&s, &aggregate);
    staging
        .write("summary.json", summary.to_json().as_bytes())
        .with_context(|| io("summary.json"))?;
    let mut ts = csv::Writer::from_writer(staging.create("timeseries.csv").with_context(|| io("timeseries.csv"))?);
    write_timeseries(&mut ts, &s, &aggregate).with_context(|| io("timeseries.csv"))?;
    ts.flush().with_context(|| io("timeseries.csv"))?;
    drop(ts);
    staging
        .write("scenario.toml", s.to_toml().as_bytes())
        .with_context(|| io("scenario.toml"))?;
    let elapsed = started.elapsed().as_secs_f64();
    // Plots are drawn into the staging folder too, so a folder never looks
    // complete without them.
    if let Some(x) = excess {
        for f in plots::run_figures(&s, &summary, &aggregate, x)? {
            for (name, bytes) in f.files() {
                staging.write(&name, bytes).with_context(|| io(&name))?;
            }
        }
    }
    let replaced = staging.commit().with_context(|| io("the output folder"))?;
    if !args.common.quiet {
        if replaced && replace == Replace::Default {
            eprintln!("replaced the previous results in {}", target.display());
        }
        println!("{}", summary.table());
        if let Some(p) = &rule {
            let worst = worst_half_width(&aggregate);
            println!("{}", super::precision_line(p, aggregate.runs, worst));
        }
        println!("results in {}", target.display());
        println!("{}", throughput_line(&s, s.runs, elapsed, pool.current_num_threads()));
    }
    Ok(())
}
