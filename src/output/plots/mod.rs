//! Plots as PNG and SVG, drawn with plotters from the files of an output
//! folder.
//!
//! Every plot is a pure function of the folder's data: the same data gives
//! the same bytes. Text uses a font compiled into the binary (see
//! [`style`]), so plots render on machines without system fonts.
//!
//! - A `backsim run` folder ([`FolderKind::Run`]): outcome shares, the
//!   excess-cost distribution, cumulative incidence and trust, quality and
//!   demand bands ([`run`]).
//! - Sweep, compare and sensitivity folders: see [`experiment`].
//!
//! `backsim run` draws its plots into the staging folder before it is
//! committed ([`run_figures`]); `backsim plot DIR` redraws them from the
//! finished files ([`folder_figures`]) with identical bytes.

pub mod data;
pub mod discovery;
pub mod experiment;
pub mod run;
pub mod style;

use std::path::{Path, PathBuf};

use crate::experiment::Aggregate;
use crate::scenario::Scenario;

use super::Summary;
use data::{ExcessCost, RunData, RunSummary, TimeSeries};

/// A plot that could not be drawn or read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct PlotError(String);

impl PlotError {
    /// An error with a message.
    pub fn new(msg: impl Into<String>) -> Self {
        PlotError(msg.into())
    }
}

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>> for PlotError {
    fn from(e: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        PlotError(format!("cannot draw the plot: {e}"))
    }
}

/// One rendered plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// File stem: the plot is `NAME.png` and `NAME.svg`.
    pub name: String,
    /// Short title (for the report).
    pub title: String,
    /// One or two sentences on how to read it (for the report).
    pub about: String,
    /// PNG bytes.
    pub png: Vec<u8>,
    /// SVG text.
    pub svg: String,
}

impl Figure {
    /// The two files of the plot: (file name, bytes).
    pub fn files(&self) -> [(String, &[u8]); 2] {
        [
            (format!("{}.png", self.name), &self.png),
            (format!("{}.svg", self.name), self.svg.as_bytes()),
        ]
    }
}

/// What kind of output folder a folder is, judged by its files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FolderKind {
    /// `backsim run`: `summary.json`, `timeseries.csv` (and `runs.csv`
    /// unless written with `--no-runs-csv`).
    Run,
    /// `backsim sweep`: `sweep.csv`.
    Sweep,
    /// `backsim compare`: `compare.csv`.
    Compare,
    /// `backsim sensitivity`: `sensitivity.csv`.
    Sensitivity,
}

impl FolderKind {
    /// The command that writes such a folder.
    pub fn command(self) -> &'static str {
        match self {
            FolderKind::Run => "run",
            FolderKind::Sweep => "sweep",
            FolderKind::Compare => "compare",
            FolderKind::Sensitivity => "sensitivity",
        }
    }
}

/// Judges a folder by its files: a sweep, compare or sensitivity folder by
/// its tidy CSV, a run folder by `summary.json` and `timeseries.csv`.
pub fn detect(dir: &Path) -> Result<FolderKind, PlotError> {
    if !dir.is_dir() {
        let what = if dir.exists() {
            "a file, not an output folder"
        } else {
            "no such folder"
        };
        return Err(PlotError::new(format!("{}: {what}", dir.display())));
    }
    let has = |f: &str| dir.join(f).is_file();
    // A sensitivity folder also holds the sweep.csv of its design points.
    if has("sensitivity.csv") {
        Ok(FolderKind::Sensitivity)
    } else if has("compare.csv") {
        Ok(FolderKind::Compare)
    } else if has("sweep.csv") {
        Ok(FolderKind::Sweep)
    } else if has("summary.json") && has("timeseries.csv") {
        Ok(FolderKind::Run)
    } else {
        Err(PlotError::new(format!(
            "{} is not a backsim output folder: expected summary.json and timeseries.csv (from `backsim run`), sweep.csv (`backsim sweep`), compare.csv (`backsim compare`) or sensitivity.csv (`backsim sensitivity`)",
            dir.display()
        )))
    }
}

/// Options of the plots of experiment folders.
#[derive(Clone, Debug, Default)]
pub struct PlotOptions {
    /// The metric of a sweep heatmap or scatter, and the first sensitivity
    /// plot (default: the involuntary backsourcing share).
    pub metric: Option<String>,
}

/// Draws every plot of a finished output folder.
pub fn folder_figures(dir: &Path, opts: &PlotOptions) -> Result<(FolderKind, Vec<Figure>), PlotError> {
    let kind = detect(dir)?;
    let figures = match kind {
        FolderKind::Run => run::figures(&RunData::read(dir)?)?,
        FolderKind::Sweep => experiment::sweep_figures(dir, opts)?,
        FolderKind::Compare => experiment::compare_figures(dir)?,
        FolderKind::Sensitivity => experiment::sensitivity_figures(dir, opts)?,
    };
    Ok((kind, figures))
}

/// Draws the plots of a run that has just finished, from the same text its
/// files get, so that `backsim plot` on the folder gives identical bytes.
/// `excess` holds every run's excess cost (see [`ExcessCost::add`]).
pub fn run_figures(
    s: &Scenario,
    summary: &Summary,
    aggregate: &Aggregate,
    excess: ExcessCost,
) -> Result<Vec<Figure>, PlotError> {
    let mut ts = csv::Writer::from_writer(Vec::new());
    super::summary::write_timeseries(&mut ts, s, aggregate).map_err(|e| PlotError::new(e.to_string()))?;
    let ts = ts.into_inner().map_err(|e| PlotError::new(e.to_string()))?;
    let data = RunData {
        summary: RunSummary::parse(&summary.to_json())?,
        series: TimeSeries::parse(&ts)?,
        excess: Some(excess),
    };
    run::figures(&data)
}

/// Writes the figures into `dir`, all or none (see
/// [`super::folder::write_files`]): no half-written or mixed set of plots is
/// left. Returns the paths written.
pub fn write_figures(dir: &Path, figures: &[Figure]) -> std::io::Result<Vec<PathBuf>> {
    let files: Vec<(PathBuf, &[u8])> = figures
        .iter()
        .flat_map(|f| f.files().into_iter().map(|(name, bytes)| (dir.join(name), bytes)))
        .collect();
    super::folder::write_files(&files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}
