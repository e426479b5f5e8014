//! `backsim story`: one run told period by period, for teaching.

use anyhow::{Context, Result};

use super::{StoryArgs, load_scenario};
use crate::output::story::{Find, StoryRun, find_run};

/// Runs `backsim story`.
pub(super) fn story(args: &StoryArgs) -> Result<()> {
    let s = load_scenario(args.scenario.as_deref(), &args.sets, None, args.seed)?;
    if let Some(path) = &args.csv {
        // Before the work: a search with --find may take a while.
        crate::output::folder::check_named(path, "--csv", args.force).map_err(anyhow::Error::msg)?;
    }
    let from = args.run.unwrap_or(0);
    // Run N is run N of `backsim run --runs N+1`, which allows at most
    // MAX_RUNS runs.
    let max = crate::scenario::MAX_RUNS;
    anyhow::ensure!(
        from < max,
        "--run {from} is out of range; allowed: 0 to {} (a run of `backsim run`, which does at most {max} runs)",
        max - 1
    );
    let run = match &args.find {
        None => from,
        Some(name) => {
            let what = Find::parse(name).map_err(anyhow::Error::msg)?;
            // The search stays within the scenario's runs, as in runs.csv.
            anyhow::ensure!(
                from < s.runs,
                "--run {from}: --find searches the scenario's {}; allowed: 0 to {} (or more runs with --set runs=N)",
                crate::output::count(s.runs, "run"),
                s.runs - 1
            );
            find_run(&s, what, from, s.runs).with_context(|| {
                format!(
                    "--find {name}: none of runs {from} to {} of {} (seed {}) has it; try another --seed or --set",
                    s.runs - 1,
                    s.name,
                    s.seed
                )
            })?
        }
    };
    let scenario = args.scenario.clone().unwrap_or_else(|| s.name.clone());
    let story = StoryRun::simulate(&s, run).with_command(&scenario, &args.sets);
    if let Some(path) = &args.csv {
        // Whole or not at all: built in memory, then written.
        let mut w = csv::Writer::from_writer(Vec::new());
        story.write_csv(&mut w).context("cannot lay out the --csv rows")?;
        let bytes = w
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot lay out the --csv rows: {e}"))?;
        crate::output::folder::write_named(path, &bytes, "--csv", args.force).map_err(anyhow::Error::msg)?;
    }
    print!("{}", story.narrate(args.lang));
    Ok(())
}
