//! `backsim story`: one run told period by period, for teaching.

use anyhow::{Context, Result};

use super::{StoryArgs, load_scenario};
use crate::output::story::{Find, StoryRun, find_run};

/// Runs `backsim story`.
pub(super) fn story(args: &StoryArgs) -> Result<()> {
    let s = load_scenario(args.scenario.as_deref(), &args.sets, None, args.seed)?;
    let from = args.run.unwrap_or(0);
    let run = match &args.find {
        None => from,
        Some(name) => {
            let what = Find::parse(name).map_err(anyhow::Error::msg)?;
            let to = from.saturating_add(s.runs);
            find_run(&s, what, from, to).with_context(|| {
                format!(
                    "--find {name}: none of runs {from} to {} of {} (seed {}) has it; try another --seed or --set",
                    to - 1,
                    s.name,
                    s.seed
                )
            })?
        }
    };
    let story = StoryRun::simulate(&s, run);
    if let Some(path) = &args.csv {
        let file = std::fs::File::create(path).with_context(|| format!("cannot write --csv {}", path.display()))?;
        let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
        story
            .write_csv(&mut w)
            .and_then(|_| w.flush().map_err(csv::Error::from))
            .with_context(|| format!("cannot write --csv {}", path.display()))?;
    }
    print!("{}", story.narrate(args.lang));
    Ok(())
}
