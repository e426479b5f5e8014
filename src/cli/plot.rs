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
    // Plots of an earlier --metric that this drawing does not make again
    // would leave the folder's plots out of step with each other.
    let stale = stale_plots(&args.dir, kind, &figures)?;
    for p in &stale {
        std::fs::remove_file(p).map_err(|e| anyhow::anyhow!("cannot remove the old plot {}: {e}", p.display()))?;
    }
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
        for p in &stale {
            println!("  removed the old {}", p.display());
        }
        if kind == plots::FolderKind::Run && !figures.iter().any(|f| f.name == "excess_cost") {
            println!(
                "excess_cost not drawn: it needs every run's excess cost, and this folder has no runs.csv (the run was made with --no-runs-csv)"
            );
        }
    }
    Ok(())
}

/// The plot files (PNG and SVG) in `dir` that a `backsim plot` of this kind
/// of folder draws for some choice of `--metric` but did not draw now: the
/// sensitivity plot of another metric (`sensitivity_METRIC`, METRIC one of
/// backsim's metric names), and the sweep plots backsim draws. Only these
/// names: a file of the user's own, even one named `sweep_notes.svg`, stays.
/// Run and compare folders have no such choice.
fn stale_plots(
    dir: &std::path::Path,
    kind: plots::FolderKind,
    figures: &[plots::Figure],
) -> Result<Vec<std::path::PathBuf>> {
    use crate::output::folder::{SWEEP_PLOTS, is_sensitivity_metric_plot};
    let family = |stem: &str| match kind {
        plots::FolderKind::Sensitivity => stem == "sensitivity" || is_sensitivity_metric_plot(stem),
        plots::FolderKind::Sweep => SWEEP_PLOTS.contains(&stem),
        plots::FolderKind::Run | plots::FolderKind::Compare => false,
    };
    let mut stale = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let (Some(stem), Some(ext)) = (path.file_stem().and_then(|s| s.to_str()), path.extension()) else {
            continue;
        };
        if (ext == "png" || ext == "svg") && family(stem) && !figures.iter().any(|f| f.name == stem) {
            stale.push(path);
        }
    }
    stale.sort();
    Ok(stale)
}
