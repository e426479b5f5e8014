//! `backsim run`: one scenario, many runs, one output folder.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};

use super::{RunArgs, load_scenario, pool, progress_bar, throughput_line};
use crate::experiment::{Plan, simulate};
use crate::output::runs::{RowWriter, write_episode, write_episode_header, write_run_header};
use crate::output::summary::write_timeseries;
use crate::output::{Replace, Staging, Summary};

/// Runs `backsim run`.
pub(super) fn run(args: &RunArgs) -> Result<()> {
    let s = load_scenario(args.scenario.as_deref(), &args.sets, args.runs, args.seed)?;
    let pool = pool(args.threads)?;
    let (target, replace) = match &args.out {
        Some(out) => (out.clone(), Replace::Explicit { force: args.force }),
        None => (PathBuf::from("output").join(&s.name), Replace::Default),
    };
    let staging = Staging::prepare(&target, replace)?;
    let io = |what: &str| format!("cannot write {what} in {}", target.display());

    let mut runs_csv = csv::Writer::from_writer(staging.create("runs.csv").with_context(|| io("runs.csv"))?);
    write_run_header(&mut runs_csv).with_context(|| io("runs.csv"))?;
    let mut episodes_csv = match args.episodes {
        true => {
            let mut w = csv::Writer::from_writer(staging.create("episodes.csv").with_context(|| io("episodes.csv"))?);
            write_episode_header(&mut w).with_context(|| io("episodes.csv"))?;
            Some(w)
        }
        false => None,
    };
    let bar = progress_bar(s.runs, args.quiet);
    let plan = Plan {
        seed: s.seed,
        point: 0,
        first_run: 0,
        runs: s.runs,
        episodes: args.episodes,
    };
    let mut rows = RowWriter::default();
    let started = Instant::now();
    let aggregate = pool.install(|| {
        simulate(&s, &plan, |block| -> Result<()> {
            for r in &block.results {
                rows.run(&mut runs_csv, r).with_context(|| io("runs.csv"))?;
            }
            if let Some(w) = episodes_csv.as_mut() {
                for (run, e) in &block.episodes {
                    write_episode(w, *run, e).with_context(|| io("episodes.csv"))?;
                }
            }
            bar.inc(block.results.len() as u64);
            Ok(())
        })
    })?;
    bar.finish_and_clear();
    runs_csv.flush().with_context(|| io("runs.csv"))?;
    drop(runs_csv);
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
    let replaced = staging.commit().with_context(|| io("the output folder"))?;
    if !args.quiet {
        if replaced && replace == Replace::Default {
            eprintln!("replaced the previous results in {}", target.display());
        }
        println!("{}", summary.table());
        println!("results in {}", target.display());
        println!("{}", throughput_line(&s, s.runs, elapsed, pool.current_num_threads()));
    }
    Ok(())
}
