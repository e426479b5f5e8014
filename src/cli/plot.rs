//! `backsim plot DIR`: redraws the plots of a finished output folder.

use anyhow::Result;

use super::PlotArgs;
use crate::output::plots::{self, PlotOptions};

/// Runs `backsim plot`.
pub(super) fn plot(args: &PlotArgs) -> Result<()> {
    if args.metric.is_some() {
        let kind = plots::detect(&args.dir)?;
        anyhow::ensure!(
            matches!(kind, plots::FolderKind::Sweep | plots::FolderKind::Sensitivity),
            "--metric chooses the metric of sweep and sensitivity plots; {} is a `backsim {}` folder, whose plots have none to choose",
            args.dir.display(),
            kind.command()
        );
    }
    let opts = PlotOptions {
        metric: args.metric.clone(),
    };
    let (kind, figures) = plots::folder_figures(&args.dir, &opts)?;
    let written = plots::write_figures(&args.dir, &figures)
        .map_err(|e| anyhow::anyhow!("cannot write plots in {}: {e}", args.dir.display()))?;
    if !args.quiet {
        if written.is_empty() {
            println!(
                "no plots for {}: a sweep in which no parameter takes more than one value has nothing to plot against",
                args.dir.display()
            );
            return Ok(());
        }
        println!(
            "{} plots of a `backsim {}` folder in {}",
            written.len(),
            kind.command(),
            args.dir.display()
        );
        for p in written {
            println!("  {}", p.display());
        }
        if kind == plots::FolderKind::Run && !figures.iter().any(|f| f.name == "excess_cost") {
            println!(
                "excess_cost not drawn: it needs every run's excess cost, and this folder has no runs.csv (the run was made with --no-runs-csv)"
            );
        }
    }
    Ok(())
}
