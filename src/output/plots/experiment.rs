//! Plots of experiment folders, drawn from their tidy CSV files:
//!
//! - `sweep.csv` (one row per point and metric: `point`, one column per
//!   parameter, `metric`, `value`, `low`, `high`; `points.csv` names the
//!   parameters). One varied parameter: each outcome share against it with
//!   its interval band (`sweep_outcomes`); over a parameter that takes words
//!   (`contract.form`), per word a point with whiskers for each share. Two
//!   on a grid: a heatmap of one metric with a colour scale
//!   (`sweep_heatmap`); more, or points off a grid (a Latin hypercube): the
//!   metric against each parameter (`sweep_scatter`). Money metrics carry
//!   the currency of the folder's `scenario.toml`.
//! - `compare.csv` (`metric`, `design`, `value`, `low`, `high`, with designs
//!   A, B and their paired difference; or one row per metric with columns
//!   `a`, `b`, `difference` and their `_low`/`_high`): A and B side by side
//!   and the paired difference with its interval (`compare`).
//! - `sensitivity.csv` (`parameter`, optional `metric`, `index`, `value`,
//!   `low`, `high`): each index as bars with intervals, sorted
//!   (`sensitivity`); Morris indices in the output's unit (its currency, or
//!   percentage points for a share), Sobol indices as shares of variance.
//!
//! Column names have a few accepted spellings (`estimate` for `value`,
//! `lower`/`upper` for `low`/`high`, ...), so small changes in the writers
//! do not break the plots.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{Table, metric_outcome, metric_rank};
use super::run::figure;
use super::style::*;
use super::{Figure, PlotError, PlotOptions};
use crate::experiment::FIGURES;
use crate::experiment::metrics::FIGURE_STATS;

const VALUE: &[&str] = &["value", "estimate", "mean", "est"];
const LOW: &[&str] = &["low", "lower", "ci_low", "lo", "value_low"];
const HIGH: &[&str] = &["high", "upper", "ci_high", "hi", "value_high"];
const METRIC: &[&str] = &["metric", "figure", "statistic", "name"];
/// Columns of `sweep.csv` that are not parameters.
const NOT_PARAMS: &[&str] = &[
    "point",
    "metric",
    "figure",
    "statistic",
    "name",
    "value",
    "estimate",
    "mean",
    "est",
    "low",
    "lower",
    "ci_low",
    "lo",
    "value_low",
    "high",
    "upper",
    "ci_high",
    "hi",
    "value_high",
    "unit",
    "n",
    "runs",
    "seed",
    "sd",
    "stat",
    "kind",
    "precision",
    "half_width",
];

/// Whether a metric's name says it is a share.
fn is_share_name(metric: &str) -> bool {
    let m = metric.to_ascii_lowercase();
    (metric_outcome(&m).is_some() || m.contains("share") || m.contains("both_lose")) && !m.contains("episodes_count")
}

/// Whether a metric is a share (plotted in percent).
fn is_share(metric: &str, values: &[f64]) -> bool {
    is_share_name(metric)
        && values
            .iter()
            .filter(|v| v.is_finite())
            .all(|v| (-1e-9..=1.0 + 1e-9).contains(v))
}

/// What a share metric is a share of ("share of runs"), if its name says.
fn share_kind(metric: &str) -> Option<&'static str> {
    if metric.contains("episode") {
        Some("share of episodes")
    } else if metric.contains("run") && metric.contains("share") {
        Some("share of runs")
    } else {
        None
    }
}

/// The per-run figure of `summary.json` a metric is a statistic of, and
/// the statistic: `excess_cost_p95` → (excess_cost, "p95").
fn figure_stat(metric: &str) -> Option<(&'static crate::experiment::Figure, &str)> {
    FIGURES.iter().find_map(|f| {
        let stat = metric.strip_prefix(f.name)?.strip_prefix('_')?;
        (stat == "mean" || FIGURE_STATS.contains(&stat)).then_some((f, stat))
    })
}

/// The currency of a metric that is money (a statistic of a cost, payment,
/// profit or excess cost, but not its count of runs), if `currency` is known.
fn money_unit<'c>(metric: &str, currency: Option<&'c str>) -> Option<&'c str> {
    figure_stat(metric)
        .filter(|(f, stat)| f.unit == "currency" && *stat != "n")
        .and(currency)
}

/// For each parameter of `params` that numbers a table of the folder's
/// `scenario.toml` (`provider.groups.1.count`, `demand.shocks.0.size`) and
/// whose table has a name of its own: that name (`local firm`); not the
/// name an unnamed table gets (`shock 1`), which only repeats its number.
fn table_names(dir: &Path, params: &[String]) -> BTreeMap<String, String> {
    let Some(scenario) = std::fs::read_to_string(dir.join("scenario.toml"))
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
    else {
        return BTreeMap::new();
    };
    params
        .iter()
        .filter_map(|p| {
            let parts: Vec<&str> = p.split('.').collect();
            let (list, k) = (parts.get(..2)?, parts.get(2)?);
            if !crate::scenario::is_table_list(list) {
                return None;
            }
            let k = crate::scenario::table_number(k)?;
            let table = scenario.get(list[0])?.get(list[1])?.get(k)?;
            let name = crate::scenario::shown_name(list, k, table.get("name")?.as_str()?)?;
            Some((p.clone(), name.to_string()))
        })
        .collect()
}

/// The currency of an output folder: `time.currency` of its scenario
/// (`scenario.toml`, or design A's `scenario_a.toml`), else the `currency`
/// of `summary_a.json`.
fn folder_currency(dir: &Path) -> Option<String> {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).ok();
    let from_toml = |f: &str| {
        read(f)?
            .parse::<toml::Table>()
            .ok()?
            .get("time")?
            .get("currency")?
            .as_str()
            .map(str::to_string)
    };
    let from_json = |f: &str| {
        serde_json::from_str::<serde_json::Value>(&read(f)?)
            .ok()?
            .get("currency")?
            .as_str()
            .map(str::to_string)
    };
    from_toml("scenario.toml")
        .or_else(|| from_toml("scenario_a.toml"))
        .or_else(|| from_json("summary_a.json"))
        .filter(|c| !c.is_empty())
}

/// A readable name of a metric: `involuntary_run_share` → "involuntary
/// backsourcing (share of runs)", `excess_cost_mean` → "excess cost, mean".
pub fn metric_label(metric: &str) -> String {
    let kind = share_kind(metric).map_or(String::new(), |k| format!(" ({k})"));
    match metric_outcome(metric) {
        Some("involuntary") => format!("involuntary backsourcing{kind}"),
        Some("initiated") => format!("initiated backsourcing{kind}"),
        Some("backsourcing") => format!("any backsourcing{kind}"),
        Some("wound_down") => format!("wound down{kind}"),
        Some("switched") => format!("switched{kind}"),
        Some("continued") => format!("continued{kind}"),
        Some("both_lose") => format!("both parties lose{kind}"),
        Some(o) => format!("{}{kind}", o.replace('_', " ")),
        None => match figure_stat(metric) {
            Some((f, stat)) => {
                let stat = match stat {
                    "worst_5pct_mean" => "mean of the worst 5%",
                    "n" => "runs with a value",
                    other => other,
                };
                format!("{}, {stat}", f.name.replace('_', " "))
            }
            None => metric.replace('_', " "),
        },
    }
}

/// [`metric_label`] with the currency of a money metric: "excess cost, mean (MSEK)".
fn metric_label_in(metric: &str, currency: Option<&str>) -> String {
    match money_unit(metric, currency) {
        Some(c) => format!("{} ({c})", metric_label(metric)),
        None => metric_label(metric),
    }
}

/// The description of an axis of a metric's values: what a share is a share
/// of ("share of runs (%)"), else the metric with its currency, if money.
fn value_desc(metric: &str, share: bool, currency: Option<&str>) -> String {
    if share {
        format!("{} (%)", share_kind(metric).unwrap_or("share"))
    } else {
        metric_label_in(metric, currency)
    }
}

/// [`metric_label`] without "(share of runs)".
fn short_label(metric: &str) -> String {
    let l = metric_label(metric);
    match l.find(" (share of") {
        Some(i) => l[..i].to_string(),
        None => l,
    }
}

/// One estimate of a tidy file.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    value: f64,
    low: f64,
    high: f64,
}

fn row(t: &Table, r: usize, cols: (usize, Option<usize>, Option<usize>)) -> Row {
    Row {
        value: t.num(r, cols.0),
        low: cols.1.map_or(f64::NAN, |c| t.num(r, c)),
        high: cols.2.map_or(f64::NAN, |c| t.num(r, c)),
    }
}

fn value_cols(t: &Table, file: &str) -> Result<(usize, Option<usize>, Option<usize>), PlotError> {
    let v = t
        .col(VALUE)
        .ok_or_else(|| PlotError::new(format!("{file} has no `value` column")))?;
    Ok((v, t.col(LOW), t.col(HIGH)))
}

/// The columns of [`value_cols`] that a file has.
fn value_col_list(vc: (usize, Option<usize>, Option<usize>)) -> Vec<usize> {
    [Some(vc.0), vc.1, vc.2].into_iter().flatten().collect()
}

/// Picks, for each outcome, the preferred metric about it (run shares first).
fn outcome_metrics(metrics: &[String]) -> Vec<(&'static str, String)> {
    let mut best: BTreeMap<&'static str, (u8, usize, String)> = BTreeMap::new();
    for (i, m) in metrics.iter().enumerate() {
        if let Some(o) = metric_outcome(m) {
            let rank = (metric_rank(m), i, m.clone());
            let e = best.entry(o).or_insert(rank.clone());
            if (rank.0, rank.1) < (e.0, e.1) {
                *e = rank;
            }
        }
    }
    let order = [
        "switched",
        "initiated",
        "involuntary",
        "wound_down",
        "backsourcing",
        "both_lose",
        "continued",
    ];
    order
        .iter()
        .filter_map(|o| best.get(o).map(|(_, _, m)| (*o, m.clone())))
        .collect()
}

/// The metric a single-figure plot shows: the one asked for, else the
/// involuntary share, else the first.
fn chosen_metric(metrics: &[String], asked: Option<&str>) -> Result<String, PlotError> {
    if let Some(a) = asked {
        return metrics.iter().find(|m| m.as_str() == a).cloned().ok_or_else(|| {
            PlotError::new(format!(
                "--metric {a}: no such metric; the file has: {}",
                metrics.join(", ")
            ))
        });
    }
    let outs = outcome_metrics(metrics);
    Ok(outs
        .iter()
        .find(|(o, _)| *o == "involuntary")
        .map(|(_, m)| m.clone())
        .or_else(|| metrics.first().cloned())
        .unwrap_or_default())
}

/// The distinct metrics of a table, in order of appearance.
fn metrics_of(t: &Table, col: usize) -> Vec<String> {
    let mut seen = Vec::new();
    for r in 0..t.rows.len() {
        let m = t.text(r, col).to_string();
        if !seen.contains(&m) {
            seen.push(m);
        }
    }
    seen
}

/// A parsed `sweep.csv`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sweep {
    /// Parameter names (dotted paths).
    pub params: Vec<String>,
    /// Parameters that take more than one value.
    pub varied: Vec<String>,
    /// Metrics in order of appearance.
    pub metrics: Vec<String>,
    /// Per point: parameter values (for a parameter that takes words, such
    /// as `contract.form`, the word's position in [`Sweep::labels`]).
    pub points: BTreeMap<String, Vec<f64>>,
    /// For each parameter that takes words: the words, in order of first
    /// appearance; they label its axis.
    pub labels: BTreeMap<String, Vec<String>>,
    /// The scenario's currency, for money metrics (`None` if unknown).
    pub currency: Option<String>,
    /// Names of the tables that parameters number: a group's or a
    /// scheduled shock's name (`provider.groups.1.count` → `local firm`),
    /// from the folder's scenario.
    pub names: BTreeMap<String, String>,
    /// (point, metric) → (value, low, high).
    cells: BTreeMap<(String, String), Row>,
    /// Point ids in order of appearance.
    order: Vec<String>,
}

impl Sweep {
    /// Reads `sweep.csv` (and `points.csv` beside it, if there, for the
    /// parameter names).
    pub fn read(dir: &Path) -> Result<Self, PlotError> {
        let t = Table::read(&dir.join("sweep.csv"))?;
        let points = dir.join("points.csv");
        let named: Option<Vec<String>> = if points.is_file() {
            let p = Table::read(&points)?;
            // A backsim sweep: every point has a row per metric, in numbers.
            let file = dir.join("sweep.csv").display().to_string();
            let vc = value_cols(&t, &file)?;
            t.check_numbers(&file, &value_col_list(vc))?;
            let per_point = crate::experiment::metrics::metric_names().len();
            if t.col(&["point"]).is_some() && t.rows.len() != p.rows.len() * per_point {
                return Err(PlotError::new(format!(
                    "{}: sweep.csv has {} rows for the {} points of points.csv ({per_point} each); the folder is damaged (finish it with `backsim sweep DIR/scenario.toml --resume`, or run it again)",
                    dir.display(),
                    t.rows.len(),
                    p.rows.len()
                )));
            }
            Some(
                p.headers
                    .iter()
                    .filter(|h| !NOT_PARAMS.contains(&h.as_str()))
                    .cloned()
                    .collect(),
            )
        } else {
            None
        };
        let mut sweep = Self::from_table(&t, named)?;
        sweep.currency = folder_currency(dir);
        sweep.names = table_names(dir, &sweep.params);
        Ok(sweep)
    }

    /// Builds a sweep from the table of `sweep.csv`.
    fn from_table(t: &Table, named: Option<Vec<String>>) -> Result<Self, PlotError> {
        let mc = t
            .col(METRIC)
            .ok_or_else(|| PlotError::new("sweep.csv has no `metric` column"))?;
        let vc = value_cols(t, "sweep.csv")?;
        let pc = t.col(&["point", "point_id", "id"]);
        let params: Vec<String> = match named {
            Some(n) => n.into_iter().filter(|h| t.headers.contains(h)).collect(),
            None => t
                .headers
                .iter()
                .filter(|h| !NOT_PARAMS.contains(&h.as_str()))
                .filter(|h| {
                    let c = t.headers.iter().position(|x| x == *h).unwrap_or(0);
                    (0..t.rows.len()).all(|r| t.num(r, c).is_finite())
                })
                .cloned()
                .collect(),
        };
        let param_cols: Vec<usize> = params
            .iter()
            .filter_map(|p| t.headers.iter().position(|h| h == p))
            .collect();
        let mut sweep = Sweep {
            params: params.clone(),
            metrics: metrics_of(t, mc),
            ..Default::default()
        };
        // A parameter column that is not all numbers takes words: each word
        // is placed at its position in order of first appearance.
        for (p, &c) in params.iter().zip(&param_cols) {
            if (0..t.rows.len()).any(|r| !t.num(r, c).is_finite()) {
                let mut words: Vec<String> = Vec::new();
                for r in 0..t.rows.len() {
                    if !words.iter().any(|w| w == t.text(r, c)) {
                        words.push(t.text(r, c).to_string());
                    }
                }
                sweep.labels.insert(p.clone(), words);
            }
        }
        for r in 0..t.rows.len() {
            let values: Vec<f64> = params
                .iter()
                .zip(&param_cols)
                .map(|(p, &c)| match sweep.labels.get(p) {
                    Some(words) => words.iter().position(|w| w == t.text(r, c)).unwrap_or(0) as f64,
                    None => t.num(r, c),
                })
                .collect();
            let id = match pc {
                Some(c) => t.text(r, c).to_string(),
                None => values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(","),
            };
            if !sweep.points.contains_key(&id) {
                sweep.order.push(id.clone());
                sweep.points.insert(id.clone(), values);
            }
            sweep.cells.insert((id, t.text(r, mc).to_string()), row(t, r, vc));
        }
        sweep.varied = params
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                let mut vals: Vec<f64> = sweep.points.values().map(|v| v[*i]).collect();
                vals.sort_by(f64::total_cmp);
                vals.dedup();
                vals.len() > 1
            })
            .map(|(_, p)| p.clone())
            .collect();
        Ok(sweep)
    }

    /// The tick label of value `v` on parameter `p`'s axis: the number, or
    /// for a parameter that takes words the word at that position (nothing
    /// between positions).
    fn tick_of(&self, p: &str, v: f64) -> String {
        match self.labels.get(p) {
            Some(words) if v >= 0.0 && v.fract() == 0.0 => words.get(v as usize).cloned().unwrap_or_default(),
            Some(_) => String::new(),
            None => tick(v),
        }
    }

    /// Parameter `p` as its axis names it.
    fn name(&self, p: &str) -> String {
        match self.names.get(p) {
            Some(name) => format!("{p} ({name})"),
            None => p.to_string(),
        }
    }

    /// The words of a parameter that takes words (its categories), else `None`.
    fn words(&self, p: &str) -> Option<&[String]> {
        self.labels.get(p).map(Vec::as_slice)
    }

    /// The range of parameter `p`'s axis for values `lo..=hi`: with some
    /// air, and for words half a category beyond the first and last.
    fn axis_range(&self, p: &str, lo: f64, hi: f64, air: f64) -> (f64, f64) {
        match self.words(p) {
            Some(words) => (-0.5, words.len() as f64 - 0.5),
            None => padded(lo, hi, air),
        }
    }

    /// The points in the file's order, each with its parameter values (in
    /// the order of [`Sweep::params`]; a word as its position in
    /// [`Sweep::labels`]) and the metric's estimate, low and high (NaN where
    /// the file has none).
    pub fn points_of(&self, metric: &str) -> Vec<(Vec<f64>, [f64; 3])> {
        self.order
            .iter()
            .map(|id| {
                let r = self.cells.get(&(id.clone(), metric.to_string()));
                let est = r.map_or([f64::NAN; 3], |r| [r.value, r.low, r.high]);
                (self.points[id].clone(), est)
            })
            .collect()
    }

    fn param_index(&self, p: &str) -> usize {
        self.params.iter().position(|x| x == p).unwrap_or(0)
    }

    /// (parameter value, estimate) of a metric over the points, sorted by the value.
    fn series(&self, param: &str, metric: &str) -> Vec<(f64, Row)> {
        let i = self.param_index(param);
        let mut out: Vec<(f64, Row)> = self
            .order
            .iter()
            .filter_map(|id| {
                let x = self.points[id][i];
                self.cells
                    .get(&(id.clone(), metric.to_string()))
                    .map(|r| (x, r.clone()))
            })
            .filter(|(x, r)| x.is_finite() && r.value.is_finite())
            .collect();
        out.sort_by(|a, b| a.0.total_cmp(&b.0));
        out
    }
}

/// Each outcome share against one varied parameter. Over numbers: lines
/// with interval bands. Over words (categories, such as `contract.form`):
/// per word, each series as a point with its interval (whiskers), side by
/// side, nothing joining the words.
struct SweepLines<'a> {
    sweep: &'a Sweep,
    param: String,
    metrics: Vec<(String, String, RGBColor)>,
    percent: bool,
    title: String,
    y_desc: String,
}

impl SweepLines<'_> {
    /// How far apart the series stand within a category, for an axis of
    /// `x_per_pixel` data units per pixel: 28 pixels, all of them within
    /// 0.6 of a category.
    fn spacing(&self, x_per_pixel: f64) -> f64 {
        (0.6 / self.metrics.len().max(1) as f64).min(28.0 * x_per_pixel)
    }

    /// How far series `i` stands from its category's centre: over words, the
    /// series side by side around it, `spacing` apart; over numbers, on it.
    fn offset(&self, i: usize, spacing: f64) -> f64 {
        match self.sweep.words(&self.param) {
            Some(_) => (i as f64 - (self.metrics.len() as f64 - 1.0) / 2.0) * spacing,
            None => 0.0,
        }
    }
}

/// Data units per pixel across the plotting area of `chart`.
fn x_per_pixel<DB: DrawingBackend>(chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>) -> f64 {
    let r = chart.x_range();
    (r.end - r.start) / chart.plotting_area().dim_in_pixel().0.max(1) as f64
}

/// Writes the words of a parameter under the x axis of `chart`, each under
/// its category (at 0, 1, 2, ...), as its only tick labels.
fn category_ticks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    words: &[String],
) -> Result<(), PlotError> {
    let (bx, by) = area.get_base_pixel();
    let y0 = chart.y_range().start;
    for (i, word) in words.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(i as f64, y0));
        area.draw(&Text::new(
            word.clone(),
            (px - bx, py - by + 10),
            font(TICK).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    Ok(())
}

impl Chart for SweepLines<'_> {
    fn size(&self) -> (u32, u32) {
        (1400, 900)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let words = self.sweep.words(&self.param);
        let area = titled(
            root,
            &self.title,
            &format!(
                "sweep over {} points; {}: 95% intervals",
                self.sweep.points.len(),
                if words.is_some() { "whiskers" } else { "bands" }
            ),
        )?;
        let scale = if self.percent { 100.0 } else { 1.0 };
        let series: Vec<_> = self
            .metrics
            .iter()
            .map(|(m, label, c)| (self.sweep.series(&self.param, m), label, *c))
            .collect();
        let xs = series.iter().flat_map(|(s, _, _)| s.iter().map(|p| p.0));
        let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
        let (x0, x1) = self.sweep.axis_range(&self.param, x0, x1, 0.02);
        let ys = series.iter().flat_map(|(s, _, _)| {
            s.iter()
                .flat_map(|p| [p.1.value, p.1.low, p.1.high])
                .filter(|v| v.is_finite())
        });
        let (y0, y1) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
        let (y0, y1) = if self.percent {
            (0.0, (y1 * scale * 1.15).clamp(1.0, 105.0))
        } else {
            let (a, b) = padded(y0, y1, 0.08);
            (a, b)
        };
        let build = |on: &DrawingArea<DB, Shift>| {
            ChartBuilder::on(on)
                .margin_left(20)
                .margin_right(50)
                .margin_top(20)
                .x_label_area_size(80)
                .y_label_area_size(120)
                .build_cartesian_2d(x0..x1, y0..y1)
        };
        let mut chart = build(&area)?;
        let spacing = self.spacing(x_per_pixel(&chart));
        let series: Vec<_> = series
            .into_iter()
            .enumerate()
            .map(|(i, (s, label, c))| {
                let dx = self.offset(i, spacing);
                let s: Vec<(f64, Row)> = s.into_iter().map(|(x, r)| (x + dx, r)).collect();
                (s, label, c)
            })
            .collect();
        // `min` and `max` pass over a missing bound.
        let span = |r: &Row| (r.low.min(r.value) * scale, r.high.max(r.value) * scale);
        let cover: Vec<Cover> = match words {
            // Each point with its whiskers, 12 pixels either side.
            Some(_) => {
                let half = 12.0 * x_per_pixel(&chart);
                series
                    .iter()
                    .flat_map(|(s, _, _)| s.iter())
                    .map(|(x, r)| {
                        let (lo, hi) = span(r);
                        vec![(x - half, lo, hi), (x + half, lo, hi)]
                    })
                    .collect()
            }
            None => series
                .iter()
                .map(|(s, _, _)| {
                    s.iter()
                        .map(|(x, r)| {
                            let (lo, hi) = span(r);
                            (*x, lo, hi)
                        })
                        .collect()
                })
                .collect(),
        };
        let labels: Vec<&str> = series.iter().map(|(_, l, _)| l.as_str()).collect();
        let (corner, hidden) = LEGEND.quiet_corner(&chart, &labels, &cover)?;
        // With no corner free of data, the legend goes beside the chart. A
        // legend may hide the edge of a band, but no point or whisker.
        let hidden_ok = if words.is_some() { 0.0 } else { HIDDEN_OK };
        let inside = labels.len() < 2 || hidden <= hidden_ok;
        if !inside {
            let (w, _) = area.dim_in_pixel();
            let width = legend_width(&area, &labels, TICK)?;
            let (plot, side) = area.split_horizontally(w.saturating_sub(width));
            chart = build(&plot)?;
            let items: Vec<(&str, RGBColor)> = series.iter().map(|(_, l, c)| (l.as_str(), *c)).collect();
            side_legend(&side, &items, TICK)?;
        }
        let percent = self.percent;
        let (x_fmt, y_fmt) = (
            |v: &f64| tick(*v),
            |v: &f64| if percent { format!("{v:.0}%") } else { tick(*v) },
        );
        let x_name = self.sweep.name(&self.param);
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(8)
            .y_labels(8)
            .x_desc(x_name.as_str())
            .y_desc(self.y_desc.as_str())
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .axis_desc_style(font(AXIS))
            .label_style(font(TICK))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(INK.stroke_width(2));
        // Words: no numbers or grid lines between them.
        if words.is_some() {
            mesh.x_labels(0).disable_x_mesh();
        }
        mesh.draw()?;
        if let Some(words) = words {
            category_ticks(&area, &chart, words)?;
            let cap = (8.0 * x_per_pixel(&chart)).min(0.3 * spacing);
            for (s, label, color) in &series {
                let c = *color;
                for (x, r) in s {
                    chart.draw_series(whisker(*x, r.low * scale, r.high * scale, cap, c.stroke_width(3)))?;
                }
                chart
                    .draw_series(s.iter().map(|(x, r)| Circle::new((*x, r.value * scale), 7, c.filled())))?
                    .label(label.as_str())
                    .legend(move |(x, y)| {
                        EmptyElement::at((x + 17, y))
                            + PathElement::new(vec![(0, -10), (0, 10)], c.stroke_width(3))
                            + Circle::new((0, 0), 7, c.filled())
                    });
            }
        } else {
            for (s, label, color) in &series {
                let band: Vec<(f64, f64)> = s
                    .iter()
                    .filter(|p| p.1.high.is_finite())
                    .map(|p| (p.0, p.1.high * scale))
                    .chain(
                        s.iter()
                            .rev()
                            .filter(|p| p.1.low.is_finite())
                            .map(|p| (p.0, p.1.low * scale)),
                    )
                    .collect();
                if band.len() >= 3 {
                    chart.draw_series(std::iter::once(Polygon::new(band, color.mix(0.18).filled())))?;
                }
                let line: Vec<(f64, f64)> = s.iter().map(|p| (p.0, p.1.value * scale)).collect();
                let c = *color;
                chart
                    .draw_series(std::iter::once(PathElement::new(line.clone(), c.stroke_width(4))))?
                    .label(label.as_str())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 34, y)], c.stroke_width(4)));
                chart.draw_series(line.iter().map(|p| Circle::new(*p, 6, c.filled())))?;
            }
        }
        if !inside {
            return Ok(());
        }
        LEGEND.draw(&mut chart, corner)
    }
}

/// A colour bar with ticks, for heatmaps and coloured scatter plots.
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lo: f64,
    hi: f64,
    label: &str,
    fmt: &dyn Fn(f64) -> String,
) -> Result<(), PlotError> {
    let (_, h) = area.dim_in_pixel();
    let (top, bottom) = (40i32, h as i32 - 120);
    let (x0, x1) = (20i32, 56i32);
    let steps = 120;
    for i in 0..steps {
        let t0 = i as f64 / steps as f64;
        let y_hi = bottom - ((bottom - top) as f64 * (i + 1) as f64 / steps as f64).round() as i32;
        let y_lo = bottom - ((bottom - top) as f64 * i as f64 / steps as f64).round() as i32;
        area.draw(&Rectangle::new(
            [(x0, y_hi), (x1, y_lo)],
            viridis(t0 + 0.5 / steps as f64).filled(),
        ))?;
    }
    area.draw(&Rectangle::new([(x0, top), (x1, bottom)], INK.stroke_width(1)))?;
    for k in 0..=4 {
        let f = k as f64 / 4.0;
        let y = bottom - ((bottom - top) as f64 * f).round() as i32;
        area.draw(&PathElement::new(vec![(x1, y), (x1 + 8, y)], INK.stroke_width(2)))?;
        area.draw(&Text::new(
            fmt(lo + (hi - lo) * f),
            (x1 + 14, y),
            font(TICK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    for (i, line) in wrap(label, 16).iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            (x0, bottom + 30 + 26 * i as i32),
            font(NOTE).pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
    }
    Ok(())
}

/// A metric over two parameters: a heatmap on a grid, else a coloured scatter.
struct SweepHeatmap<'a> {
    sweep: &'a Sweep,
    px: String,
    py: String,
    metric: String,
}

impl Chart for SweepHeatmap<'_> {
    fn size(&self) -> (u32, u32) {
        (1400, 1000)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let s = self.sweep;
        let (ix, iy) = (s.param_index(&self.px), s.param_index(&self.py));
        let pts: Vec<(f64, f64, Row)> = s
            .order
            .iter()
            .filter_map(|id| {
                let p = &s.points[id];
                s.cells
                    .get(&(id.clone(), self.metric.clone()))
                    .map(|r| (p[ix], p[iy], r.clone()))
            })
            .filter(|(x, y, r)| x.is_finite() && y.is_finite() && r.value.is_finite())
            .collect();
        let values: Vec<f64> = pts.iter().map(|p| p.2.value).collect();
        let share = is_share(&self.metric, &values);
        let fmt = move |v: f64| if share { pct(v) } else { short(v) };
        let (vlo, vhi) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        let (vlo, vhi) = if vhi > vlo { (vlo, vhi) } else { padded(vlo, vhi, 0.0) };
        let norm = |v: f64| (v - vlo) / (vhi - vlo);
        let area = titled(
            root,
            &format!(
                "{} by {} and {}",
                metric_label(&self.metric),
                self.sweep.name(&self.px),
                self.sweep.name(&self.py)
            ),
            &format!("sweep over {} points; colour: the estimate at each point", pts.len()),
        )?;
        let (w, _) = area.dim_in_pixel();
        let (main, bar) = area.split_horizontally(w - 230);
        let mut xs: Vec<f64> = pts.iter().map(|p| p.0).collect();
        let mut ys: Vec<f64> = pts.iter().map(|p| p.1).collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        ys.sort_by(f64::total_cmp);
        ys.dedup();
        let grid = xs.len() * ys.len() == pts.len() && xs.len() <= 60 && ys.len() <= 60;
        if grid {
            let (nx, ny) = (xs.len(), ys.len());
            let mut chart = ChartBuilder::on(&main)
                .margin(20)
                .x_label_area_size(80)
                .y_label_area_size(130)
                .build_cartesian_2d(0.0..nx as f64, 0.0..ny as f64)?;
            chart
                .configure_mesh()
                .disable_mesh()
                .x_labels(0)
                .y_labels(0)
                .x_desc(self.sweep.name(&self.px))
                .y_desc(self.sweep.name(&self.py))
                .axis_desc_style(font(AXIS))
                .label_style(font(TICK))
                .axis_style(INK.stroke_width(2))
                .draw()?;
            let pos = |v: f64, list: &[f64]| list.iter().position(|x| *x == v).unwrap_or(0) as f64;
            let (cw, ch) = {
                let (a, b) = (chart.backend_coord(&(0.0, 0.0)), chart.backend_coord(&(1.0, 1.0)));
                ((b.0 - a.0).abs(), (a.1 - b.1).abs())
            };
            for (x, y, r) in &pts {
                let (cx, cy) = (pos(*x, &xs), pos(*y, &ys));
                let t = norm(r.value);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(cx, cy), (cx + 1.0, cy + 1.0)],
                    viridis(t).filled(),
                )))?;
                if cw >= 70 && ch >= 34 {
                    let ink = if t > 0.6 { INK } else { WHITE };
                    chart.draw_series(std::iter::once(Text::new(
                        fmt(r.value),
                        (cx + 0.5, cy + 0.5),
                        font_color(NOTE, ink).pos(Pos::new(HPos::Center, VPos::Center)),
                    )))?;
                }
            }
            // Tick labels at the cell centres.
            let (bx, by) = main.get_base_pixel();
            let every_x = nx.div_ceil(12).max(1);
            for (i, x) in xs.iter().enumerate().step_by(every_x) {
                let (px, py) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
                main.draw(&Text::new(
                    self.sweep.tick_of(&self.px, *x),
                    (px - bx, py - by + 10),
                    font(TICK).pos(Pos::new(HPos::Center, VPos::Top)),
                ))?;
            }
            let every_y = ny.div_ceil(14).max(1);
            for (j, y) in ys.iter().enumerate().step_by(every_y) {
                let (px, py) = chart.backend_coord(&(0.0, j as f64 + 0.5));
                main.draw(&Text::new(
                    self.sweep.tick_of(&self.py, *y),
                    (px - bx - 10, py - by),
                    font(TICK).pos(Pos::new(HPos::Right, VPos::Center)),
                ))?;
            }
        } else {
            let (x0, x1) = padded(xs[0], xs[xs.len() - 1], 0.04);
            let (y0, y1) = padded(ys[0], ys[ys.len() - 1], 0.04);
            let mut chart = ChartBuilder::on(&main)
                .margin(20)
                .x_label_area_size(80)
                .y_label_area_size(130)
                .build_cartesian_2d(x0..x1, y0..y1)?;
            chart
                .configure_mesh()
                .x_desc(self.sweep.name(&self.px))
                .y_desc(self.sweep.name(&self.py))
                .x_label_formatter(&|v| self.sweep.tick_of(&self.px, *v))
                .y_label_formatter(&|v| self.sweep.tick_of(&self.py, *v))
                .axis_desc_style(font(AXIS))
                .label_style(font(TICK))
                .bold_line_style(GRID)
                .light_line_style(TRANSPARENT)
                .axis_style(INK.stroke_width(2))
                .draw()?;
            chart.draw_series(
                pts.iter()
                    .map(|(x, y, r)| Circle::new((*x, *y), 9, viridis(norm(r.value)).filled())),
            )?;
        }
        colour_bar(
            &bar,
            vlo,
            vhi,
            &metric_label_in(&self.metric, s.currency.as_deref()),
            &fmt,
        )?;
        Ok(())
    }
}

/// One metric against each varied parameter (more than two varied, or off a grid).
struct SweepScatter<'a> {
    sweep: &'a Sweep,
    metric: String,
}

impl Chart for SweepScatter<'_> {
    fn size(&self) -> (u32, u32) {
        (1600, 1000)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let s = self.sweep;
        let area = titled(
            root,
            &format!("{} against each varied parameter", metric_label(&self.metric)),
            &format!("sweep over {} points; whiskers: 95% intervals", s.points.len()),
        )?;
        let params: Vec<&String> = s.varied.iter().take(6).collect();
        let cols = if params.len() <= 2 { params.len().max(1) } else { 3 };
        let rows = params.len().div_ceil(cols).max(1);
        let panels = area.split_evenly((rows, cols));
        for (p, panel) in params.iter().zip(panels.iter()) {
            let pts = s.series(p, &self.metric);
            let values: Vec<f64> = pts.iter().map(|q| q.1.value).collect();
            let share = is_share(&self.metric, &values);
            let scale = if share { 100.0 } else { 1.0 };
            let (x0, x1) = pts
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), q| (a.min(q.0), b.max(q.0)));
            let (y0, y1) = pts
                .iter()
                .flat_map(|q| [q.1.value, q.1.low, q.1.high])
                .filter(|v| v.is_finite())
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
            let (x0, x1) = s.axis_range(p, x0, x1, 0.04);
            let (y0, y1) = padded(y0 * scale, y1 * scale, 0.08);
            let mut chart = ChartBuilder::on(panel)
                .margin(16)
                .x_label_area_size(70)
                .y_label_area_size(100)
                .build_cartesian_2d(x0..x1, y0..y1)?;
            let y_desc = value_desc(&self.metric, share, s.currency.as_deref());
            let (x_fmt, y_fmt) = (
                |v: &f64| tick(*v),
                |v: &f64| if share { format!("{}%", tick(*v)) } else { tick(*v) },
            );
            let mut mesh = chart.configure_mesh();
            mesh.x_labels(5)
                .y_labels(6)
                .x_desc(s.name(p))
                .y_desc(y_desc.as_str())
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .axis_desc_style(font(AXIS))
                .label_style(font(TICK))
                .bold_line_style(GRID)
                .light_line_style(TRANSPARENT)
                .axis_style(INK.stroke_width(2));
            // Words: no numbers or grid lines between them.
            let words = s.words(p);
            if words.is_some() {
                mesh.x_labels(0).disable_x_mesh();
            }
            mesh.draw()?;
            if let Some(words) = words {
                category_ticks(panel, &chart, words)?;
            }
            for (x, r) in &pts {
                if r.low.is_finite() && r.high.is_finite() {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(*x, r.low * scale), (*x, r.high * scale)],
                        ACCENT.mix(0.5).stroke_width(2),
                    )))?;
                }
            }
            chart.draw_series(
                pts.iter()
                    .map(|(x, r)| Circle::new((*x, r.value * scale), 6, ACCENT.filled())),
            )?;
        }
        Ok(())
    }
}

/// The plots of a sweep folder.
pub fn sweep_figures(dir: &Path, opts: &PlotOptions) -> Result<Vec<Figure>, PlotError> {
    let sweep = Sweep::read(dir)?;
    sweep_figures_of(&sweep, opts)
}

fn sweep_figures_of(sweep: &Sweep, opts: &PlotOptions) -> Result<Vec<Figure>, PlotError> {
    if sweep.metrics.is_empty() || sweep.points.is_empty() {
        return Err(PlotError::new("sweep.csv has no rows"));
    }
    let metric = chosen_metric(&sweep.metrics, opts.metric.as_deref())?;
    let mut out = Vec::new();
    match sweep.varied.as_slice() {
        // A single point (or parameters that all keep one value): nothing to plot against.
        [] => return Ok(Vec::new()),
        [p] => {
            let name = sweep.name(p);
            let outs = outcome_metrics(&sweep.metrics);
            let mut shares: Vec<(String, String, RGBColor)> = outs
                .iter()
                .filter(|(o, _)| *o != "continued")
                .map(|(o, m)| (m.clone(), metric_label(m), outcome_color(o)))
                .collect();
            // "(share of runs)" once on the axis, not on every line.
            let mut y_desc = "share (%)".to_string();
            if let Some((first, _, _)) = shares.first() {
                let k = share_kind(first);
                if k.is_some() && shares.iter().all(|(m, _, _)| share_kind(m) == k) {
                    y_desc = value_desc(first, true, None);
                    for (m, label, _) in shares.iter_mut() {
                        *label = short_label(m);
                    }
                }
            }
            // What the marks are: lines and bands over numbers, points and
            // whiskers over words.
            let (mark, interval) = match sweep.words(p) {
                Some(_) => ("point", "whiskers"),
                None => ("line", "band"),
            };
            if !shares.is_empty() {
                out.push(figure(
                    "sweep_outcomes",
                    &format!("Outcome shares against {name}"),
                    &format!("Each outcome share ({mark}) and its 95% interval ({interval}) at each value of {name}."),
                    &SweepLines {
                        sweep,
                        param: p.clone(),
                        metrics: shares,
                        percent: true,
                        title: format!("Outcome shares against {name}"),
                        y_desc,
                    },
                )?);
            }
            if opts.metric.is_some() || out.is_empty() {
                let values: Vec<f64> = sweep.series(p, &metric).iter().map(|q| q.1.value).collect();
                let share = is_share(&metric, &values);
                out.push(figure(
                    "sweep_metric",
                    &format!("{} against {name}", metric_label(&metric)),
                    &format!(
                        "{} ({mark}) and its 95% interval ({interval}) at each value of {name}.",
                        metric_label(&metric)
                    ),
                    &SweepLines {
                        sweep,
                        param: p.clone(),
                        metrics: vec![(metric.clone(), metric_label(&metric), ACCENT)],
                        percent: share,
                        title: format!("{} against {name}", metric_label(&metric)),
                        y_desc: value_desc(&metric, share, sweep.currency.as_deref()),
                    },
                )?);
            }
        }
        [px, py] => {
            out.push(figure(
                "sweep_heatmap",
                &format!("{} by {px} and {py}", metric_label(&metric)),
                &format!(
                    "The estimate of {} at each combination of {px} (across) and {py} (up); the colour scale is on the right.",
                    metric_label(&metric)
                ),
                &SweepHeatmap {
                    sweep,
                    px: px.clone(),
                    py: py.clone(),
                    metric: metric.clone(),
                },
            )?);
        }
        _ => {
            out.push(figure(
                "sweep_scatter",
                &format!("{} against each parameter", metric_label(&metric)),
                &format!(
                    "The estimate of {} at each point, against each varied parameter, with 95% intervals.",
                    metric_label(&metric)
                ),
                &SweepScatter {
                    sweep,
                    metric: metric.clone(),
                },
            )?);
        }
    }
    Ok(out)
}

/// A parsed `compare.csv`: per metric, A, B and the paired difference B − A.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    /// Name of design A.
    pub a: String,
    /// Name of design B.
    pub b: String,
    /// Metrics in order, each with (A, B, B − A).
    rows: Vec<(String, Row, Row, Row)>,
    /// Unit of money (from the folder's scenario file or summary; "currency" if unknown).
    pub currency: String,
}

/// A TOML table as dotted paths and their values (arrays as one value).
fn flatten(t: &toml::Table) -> BTreeMap<String, String> {
    fn go(prefix: &str, t: &toml::Table, out: &mut BTreeMap<String, String>) {
        for (k, v) in t {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                toml::Value::Table(inner) => go(&path, inner, out),
                other => {
                    out.insert(path, other.to_string());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    go("", t, &mut out);
    out
}

fn is_difference(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    l.contains("diff") || l.contains("delta") || l.contains(" - ") || l.contains("b-a") || l.contains('−')
}

impl Comparison {
    /// Reads `compare.csv`, and names A and B from `scenario_a.toml` and
    /// `scenario_b.toml` beside it when they are there (with the fields in
    /// which B differs from A).
    pub fn read(dir: &Path) -> Result<Self, PlotError> {
        let t = Table::read(&dir.join("compare.csv"))?;
        if dir.join("scenario_a.toml").is_file() {
            // A backsim comparison: every metric, in numbers.
            let expected = crate::experiment::compare::paired_metric_names().len();
            if t.rows.len() != expected {
                return Err(PlotError::new(format!(
                    "{}: compare.csv has {} rows, not {expected}; the folder is damaged (run the comparison again)",
                    dir.display(),
                    t.rows.len()
                )));
            }
            let numeric: Vec<usize> = (0..t.headers.len()).filter(|&c| t.headers[c] != "metric").collect();
            t.check_numbers(&dir.join("compare.csv").display().to_string(), &numeric)?;
        }
        let mut c = Self::from_table(&t)?;
        let load = |f: &str| {
            std::fs::read_to_string(dir.join(f))
                .ok()
                .and_then(|t| t.parse::<toml::Table>().ok())
        };
        if let Some(cur) = folder_currency(dir) {
            c.currency = cur;
        }
        if let (Some(a), Some(b)) = (load("scenario_a.toml"), load("scenario_b.toml")) {
            let name = |t: &toml::Table| t.get("name").and_then(|v| v.as_str()).unwrap_or("").to_string();
            let (na, nb) = (name(&a), name(&b));
            let (fa, fb) = (flatten(&a), flatten(&b));
            let diffs: Vec<String> = fb
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "name" | "description" | "version" | "seed" | "runs"))
                .filter(|(k, v)| fa.get(*k) != Some(*v))
                .map(|(k, v)| match fa.get(k) {
                    Some(old) => format!("{k} = {v} (A: {old})"),
                    None => format!("{k} = {v}"),
                })
                .collect();
            if !na.is_empty() {
                c.a = na.clone();
            }
            c.b = if nb != na || diffs.is_empty() {
                nb
            } else if diffs.len() <= 3 {
                format!("{nb} with {}", diffs.join(", "))
            } else {
                format!(
                    "{nb} with {} and {} more changes",
                    diffs[..2].join(", "),
                    diffs.len() - 2
                )
            };
        }
        Ok(c)
    }

    fn from_table(t: &Table) -> Result<Self, PlotError> {
        let mc = t
            .col(METRIC)
            .ok_or_else(|| PlotError::new("compare.csv has no `metric` column"))?;
        let nan = Row {
            value: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        };
        // Wide: one row per metric with a, b, difference columns.
        if let (Some(a), Some(b)) = (t.col(&["a", "value_a", "a_value"]), t.col(&["b", "value_b", "b_value"])) {
            let d = t.col(&["difference", "diff", "b_minus_a", "delta"]);
            let get = |r: usize, c: Option<usize>, base: &str| {
                let lo = t.col(&[&format!("{base}_low"), &format!("{base}_lower")]);
                let hi = t.col(&[&format!("{base}_high"), &format!("{base}_upper")]);
                c.map_or(nan.clone(), |c| row(t, r, (c, lo, hi)))
            };
            let dname = d.map(|c| t.headers[c].clone()).unwrap_or_default();
            let rows = (0..t.rows.len())
                .map(|r| {
                    (
                        t.text(r, mc).to_string(),
                        get(r, Some(a), &t.headers[a]),
                        get(r, Some(b), &t.headers[b]),
                        get(r, d, &dname),
                    )
                })
                .collect();
            return Ok(Comparison {
                a: "A".into(),
                b: "B".into(),
                rows,
                currency: "currency".into(),
            });
        }
        let dc = t
            .col(&["design", "arm", "variant", "scenario", "side", "which"])
            .ok_or_else(|| PlotError::new("compare.csv has neither a `design` column nor `a` and `b` columns"))?;
        let vc = value_cols(t, "compare.csv")?;
        let mut designs: Vec<String> = Vec::new();
        let mut diff_label = None;
        for r in 0..t.rows.len() {
            let d = t.text(r, dc).to_string();
            if is_difference(&d) {
                diff_label.get_or_insert(d);
            } else if !designs.contains(&d) && designs.len() < 2 {
                designs.push(d);
            }
        }
        if designs.len() < 2 {
            return Err(PlotError::new("compare.csv needs two designs"));
        }
        let mut by: BTreeMap<(String, String), Row> = BTreeMap::new();
        for r in 0..t.rows.len() {
            by.insert((t.text(r, mc).to_string(), t.text(r, dc).to_string()), row(t, r, vc));
        }
        let rows = metrics_of(t, mc)
            .into_iter()
            .map(|m| {
                let get = |d: &str| by.get(&(m.clone(), d.to_string())).cloned().unwrap_or(nan.clone());
                let (a, b) = (get(&designs[0]), get(&designs[1]));
                let diff = match &diff_label {
                    Some(l) => get(l),
                    None => Row {
                        value: b.value - a.value,
                        low: f64::NAN,
                        high: f64::NAN,
                    },
                };
                (m, a, b, diff)
            })
            .collect();
        Ok(Comparison {
            a: designs[0].clone(),
            b: designs[1].clone(),
            rows,
            currency: "currency".into(),
        })
    }
}

/// A and B side by side, and the paired difference.
struct CompareChart<'a> {
    cmp: &'a Comparison,
    rows: Vec<(String, &'static str)>,
    percent: bool,
    title: String,
    unit: String,
}

impl Chart for CompareChart<'_> {
    fn size(&self) -> (u32, u32) {
        (1600, 950)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let c = self.cmp;
        let area = titled(
            root,
            &self.title,
            &format!(
                "A: {}; B: {}; on the same random futures; whiskers: 95% intervals",
                c.a, c.b
            ),
        )?;
        let (w, _) = area.dim_in_pixel();
        let (left, right) = area.split_horizontally((w as f64 * 0.58) as u32);
        let scale = if self.percent { 100.0 } else { 1.0 };
        let rows: Vec<(&str, &Row, &Row, &Row, &str)> = self
            .rows
            .iter()
            .filter_map(|(m, o)| {
                c.rows
                    .iter()
                    .find(|r| &r.0 == m)
                    .map(|r| (r.0.as_str(), &r.1, &r.2, &r.3, *o))
            })
            .collect();
        let n = rows.len().max(1) as f64;
        let fmt_v = |v: f64| {
            if self.percent {
                format!("{}{:.1} pp", if v > 0.0 { "+" } else { "" }, v).replace('-', "−")
            } else {
                format!("{}{}", if v > 0.0 { "+" } else { "" }, short(v))
            }
        };
        // Left: A and B.
        let top = rows
            .iter()
            .flat_map(|r| [r.1.value, r.1.high, r.2.value, r.2.high])
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max)
            * scale;
        let bottom = rows
            .iter()
            .flat_map(|r| [r.1.value, r.1.low, r.2.value, r.2.low])
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::min)
            * scale;
        // Shares stop a little above 100%, room for the A and B tags.
        let y1 = if self.percent {
            (top * 1.2).clamp(1.0, 108.0)
        } else {
            (top * 1.2).max(1e-9)
        };
        // Below a negative bar, room for its tag.
        let y0 = if bottom < 0.0 {
            bottom - 0.08 * (y1 - bottom)
        } else {
            0.0
        };
        let y_desc = if self.percent {
            "share (%)".to_string()
        } else {
            self.unit.clone()
        };
        let mut chart = ChartBuilder::on(&left)
            .caption("A and B", font(PANEL_TITLE))
            .margin(16)
            .x_label_area_size(80)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..n, y0..y1)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .x_label_formatter(&|_| String::new())
            .y_desc(y_desc.as_str())
            .y_label_formatter(&|v| if self.percent { format!("{v:.0}%") } else { tick(*v) })
            .axis_desc_style(font(AXIS))
            .label_style(font(TICK))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(INK.stroke_width(2))
            .draw()?;
        let (bx, by) = left.get_base_pixel();
        for (i, (m, a, b, _, o)) in rows.iter().enumerate() {
            let x = i as f64;
            let color = outcome_color(o);
            for (x0, x1, r, fill, tag) in [
                (x + 0.1, x + 0.48, a, lighter(color, 0.55), "A"),
                (x + 0.52, x + 0.9, b, color, "B"),
            ] {
                if !r.value.is_finite() {
                    continue;
                }
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, 0.0), (x1, r.value * scale)],
                    fill.filled(),
                )))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, 0.0), (x1, r.value * scale)],
                    color.stroke_width(2),
                )))?;
                let mid = 0.5 * (x0 + x1);
                if r.low.is_finite() && r.high.is_finite() {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(mid, r.low * scale), (mid, r.high * scale)],
                        INK.stroke_width(2),
                    )))?;
                }
                // The tag sits beyond the bar's end: above a positive bar,
                // below a negative one.
                let gap = (y1 - y0) * 0.012;
                let (at, v) = if r.value < 0.0 {
                    let end = if r.low.is_finite() { r.low } else { r.value };
                    (end * scale - gap, VPos::Top)
                } else {
                    let end = if r.high.is_finite() { r.high } else { r.value };
                    (end * scale + gap, VPos::Bottom)
                };
                chart.draw_series(std::iter::once(Text::new(
                    tag.to_string(),
                    (mid, at),
                    font(NOTE).pos(Pos::new(HPos::Center, v)),
                )))?;
            }
            let (px, py) = chart.backend_coord(&(x + 0.5, y0));
            for (k, line) in wrap(&short_label(m), 14).iter().enumerate() {
                left.draw(&Text::new(
                    line.clone(),
                    (px - bx, py - by + 12 + k as i32 * 26),
                    font(NOTE).pos(Pos::new(HPos::Center, VPos::Top)),
                ))?;
            }
        }
        // Right: B − A.
        let lo = rows
            .iter()
            .flat_map(|r| [r.3.value, r.3.low])
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::min)
            * scale;
        let hi = rows
            .iter()
            .flat_map(|r| [r.3.value, r.3.high])
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max)
            * scale;
        let (lo, hi) = padded(lo, hi, 0.15);
        let x_desc = if self.percent {
            "B − A (percentage points)".to_string()
        } else {
            format!("B − A ({})", self.unit)
        };
        let mut chart = ChartBuilder::on(&right)
            .caption("Paired difference B − A", font(PANEL_TITLE))
            .margin(16)
            .margin_right(40)
            .x_label_area_size(80)
            .y_label_area_size(20)
            .build_cartesian_2d(lo..hi, 0.0..n)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .y_label_formatter(&|_| String::new())
            .x_labels(6)
            .x_desc(x_desc.as_str())
            .x_label_formatter(&|v| tick(*v))
            .axis_desc_style(font(AXIS))
            .label_style(font(TICK))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(INK.stroke_width(2))
            .draw()?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (0.0, n)],
            MUTED.stroke_width(2),
        )))?;
        // The interval in ink with caps, under a smaller dot in the outcome's
        // colour: caps `CAP` pixels high, the dot `DOT` pixels across.
        const CAP: i32 = 12;
        const DOT: i32 = 6;
        let (bx, by) = right.get_base_pixel();
        let ink = INK.stroke_width(3);
        for (i, (m, _, _, d, o)) in rows.iter().enumerate() {
            // Top to bottom in the same order as the bars from left to right.
            let y = n - i as f64 - 0.5;
            let color = outcome_color(o);
            if d.low.is_finite() && d.high.is_finite() {
                let px = |x: f64| chart.backend_coord(&(x * scale, y)).0 - bx;
                let (mut a, mut b) = (px(d.low), px(d.high));
                // An interval narrower than the dot: caps just outside it.
                if d.value.is_finite() {
                    let v = px(d.value);
                    (a, b) = (a.min(v - DOT - 3), b.max(v + DOT + 3));
                }
                let py = chart.backend_coord(&(0.0, y)).1 - by;
                right.draw(&PathElement::new(vec![(a, py), (b, py)], ink))?;
                for x in [a, b] {
                    right.draw(&PathElement::new(vec![(x, py - CAP), (x, py + CAP)], ink))?;
                }
            }
            if d.value.is_finite() {
                chart.draw_series(std::iter::once(Circle::new((d.value * scale, y), DOT, color.filled())))?;
                chart.draw_series(std::iter::once(Text::new(
                    format!("{}: {}", short_label(m), fmt_v(d.value * scale)),
                    (lo + (hi - lo) * 0.02, y + 0.28),
                    font(NOTE).pos(Pos::new(HPos::Left, VPos::Center)),
                )))?;
            }
        }
        Ok(())
    }
}

/// Splits a label into lines of at most about `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// The plots of a compare folder.
pub fn compare_figures(dir: &Path) -> Result<Vec<Figure>, PlotError> {
    compare_figures_of(&Comparison::read(dir)?)
}

fn compare_figures_of(cmp: &Comparison) -> Result<Vec<Figure>, PlotError> {
    let metrics: Vec<String> = cmp.rows.iter().map(|r| r.0.clone()).collect();
    let outs: Vec<(String, &'static str)> = outcome_metrics(&metrics)
        .into_iter()
        .filter(|(o, _)| *o != "continued")
        .map(|(o, m)| (m, o))
        .collect();
    let mut out = Vec::new();
    if !outs.is_empty() {
        out.push(figure(
            "compare",
            "A and B compared",
            "Outcome shares under design A (light) and B (dark) with 95% intervals, and the paired difference B − A (dot) with its interval (whisker; caps at the dot's edge mark an interval narrower than the dot); an interval that excludes zero is a difference the runs resolve.",
            &CompareChart {
                cmp,
                rows: outs,
                percent: true,
                title: "Design A against design B: outcome shares (share of runs)".into(),
                unit: String::new(),
            },
        )?);
    }
    let costs: Vec<(String, &'static str)> = metrics
        .iter()
        .filter(|m| {
            let m = m.to_ascii_lowercase();
            metric_outcome(&m).is_none()
                && (m.contains("cost") || m.contains("profit"))
                && !m.contains("p5")
                && !m.contains("p95")
                && !m.contains("worst")
        })
        .take(6)
        .map(|m| (m.clone(), ""))
        .collect();
    if !costs.is_empty() {
        out.push(figure(
            "compare_costs",
            "Costs compared",
            "Mean costs and profit under A and B with 95% intervals, and the paired difference B − A.",
            &CompareChart {
                cmp,
                rows: costs,
                percent: false,
                title: format!("Design A against design B: costs ({})", cmp.currency),
                unit: cmp.currency.clone(),
            },
        )?);
    }
    if out.is_empty() {
        return Err(PlotError::new(
            "compare.csv has no outcome share or cost metric to plot",
        ));
    }
    Ok(out)
}

/// A parsed `sensitivity.csv`: (metric, index) → parameter estimates.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sensitivity {
    /// Metrics in order ("" when the file has no metric column).
    pub metrics: Vec<String>,
    /// Index names in order (mu_star, sigma, S1, ST, ...).
    pub indices: Vec<String>,
    /// The scenario's currency, for money outputs (`None` if unknown).
    pub currency: Option<String>,
    /// Names of the tables that parameters number (`provider.groups.0.unit_cost`
    /// → `chain`), from the folder's scenario, shown under the path.
    pub names: BTreeMap<String, String>,
    cells: BTreeMap<(String, String), Vec<(String, Row)>>,
}

impl Sensitivity {
    /// Reads `sensitivity.csv`.
    pub fn read(dir: &Path) -> Result<Self, PlotError> {
        let t = Table::read(&dir.join("sensitivity.csv"))?;
        let file = dir.join("sensitivity.csv").display().to_string();
        let vc = value_cols(&t, &file)?;
        t.check_numbers(&file, &value_col_list(vc))?;
        let mut s = Self::from_table(&t)?;
        s.currency = folder_currency(dir);
        let params: BTreeSet<String> = s.cells.values().flatten().map(|(p, _)| p.clone()).collect();
        s.names = table_names(dir, &params.into_iter().collect::<Vec<_>>());
        Ok(s)
    }

    fn from_table(t: &Table) -> Result<Self, PlotError> {
        let pc = t
            .col(&["parameter", "param", "factor", "input"])
            .ok_or_else(|| PlotError::new("sensitivity.csv has no `parameter` column"))?;
        let ic = t
            .col(&["index", "measure", "indicator", "statistic"])
            .ok_or_else(|| PlotError::new("sensitivity.csv has no `index` column"))?;
        let mc = t.col(&["metric", "output", "figure"]);
        let vc = value_cols(t, "sensitivity.csv")?;
        let mut s = Sensitivity::default();
        for r in 0..t.rows.len() {
            let m = mc.map_or(String::new(), |c| t.text(r, c).to_string());
            let i = t.text(r, ic).to_string();
            if !s.metrics.contains(&m) {
                s.metrics.push(m.clone());
            }
            if !s.indices.contains(&i) {
                s.indices.push(i.clone());
            }
            s.cells
                .entry((m, i))
                .or_default()
                .push((t.text(r, pc).to_string(), row(t, r, vc)));
        }
        Ok(s)
    }
}

/// Indices as horizontal bars with intervals, sorted by the first index.
struct SensitivityChart<'a> {
    s: &'a Sensitivity,
    metric: String,
}

fn index_label(i: &str) -> String {
    match i.to_ascii_lowercase().as_str() {
        "mu_star" | "mustar" | "mu*" => "μ* (mean absolute elementary effect)".into(),
        "sigma" => "σ (spread of elementary effects)".into(),
        "mu" => "μ (mean elementary effect)".into(),
        "s1" | "first" | "first_order" => "S1 (first-order Sobol index)".into(),
        "st" | "total" | "total_order" => "ST (total Sobol index)".into(),
        _ => i.to_string(),
    }
}

/// What the axis of a sensitivity index measures, and the factor its values
/// are drawn at. Morris indices are changes in the output per full range of
/// the parameter, in the output's unit: its currency if money, percentage
/// points (values × 100) if a share. Sobol indices are shares of variance.
fn index_axis(index: &str, metric: &str, currency: Option<&str>) -> (String, f64) {
    let output = if metric.is_empty() {
        "the output".to_string()
    } else if let Some((f, "mean")) = figure_stat(metric) {
        format!("mean {}", f.name.replace('_', " "))
    } else {
        short_label(metric)
    };
    let (unit, scale) = if is_share_name(metric) {
        (Some("percentage points"), 100.0)
    } else {
        (money_unit(metric, currency), 1.0)
    };
    let change = |what: &str| {
        let unit = unit.map_or(String::new(), |u| format!(", {u}"));
        (
            format!("{what} in {output} per full range of the parameter{unit})"),
            scale,
        )
    };
    match index.to_ascii_lowercase().as_str() {
        "mu_star" | "mustar" | "mu*" => change("μ* (change"),
        "mu" => change("μ (signed change"),
        "sigma" => change("σ (spread of the change"),
        "s1" | "first" | "first_order" | "st" | "total" | "total_order" => ("share of variance".into(), 1.0),
        _ => ("index".into(), 1.0),
    }
}

impl Chart for SensitivityChart<'_> {
    fn size(&self) -> (u32, u32) {
        let params = self
            .s
            .cells
            .iter()
            .filter(|((m, _), _)| *m == self.metric)
            .map(|(_, v)| v.len())
            .max()
            .unwrap_or(1);
        (1600, (300 + 60 * params as u32).clamp(700, 2400))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let s = self.s;
        let title = if self.metric.is_empty() {
            "Sensitivity: which parameters matter".to_string()
        } else {
            format!("Sensitivity of {}", metric_label(&self.metric))
        };
        let area = titled(root, &title, "bars: estimates, sorted; whiskers: 95% intervals")?;
        // With mu_star there, the signed mu adds little: show mu_star and sigma.
        let has_mu_star = s.indices.iter().any(|i| i == "mu_star");
        let indices: Vec<&String> = s
            .indices
            .iter()
            .filter(|i| !(has_mu_star && i.as_str() == "mu"))
            .filter(|i| s.cells.contains_key(&(self.metric.clone(), (*i).clone())))
            .take(3)
            .collect();
        if indices.is_empty() {
            return message(&area, "no indices");
        }
        // Sort parameters by the first index, largest on top.
        let first = &s.cells[&(self.metric.clone(), indices[0].clone())];
        let mut order: Vec<(String, f64)> = first.iter().map(|(p, r)| (p.clone(), r.value)).collect();
        order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let names: Vec<String> = order.into_iter().map(|(p, _)| p).collect();
        let n = names.len().max(1) as f64;
        let label_w = 330u32;
        let (labels, plots) = area.split_horizontally(label_w);
        let panels = plots.split_evenly((1, indices.len()));
        for (k, (idx, panel)) in indices.iter().zip(panels.iter()).enumerate() {
            let (x_desc, scale) = index_axis(idx, &self.metric, s.currency.as_deref());
            let rows: Vec<(String, Row)> = s.cells[&(self.metric.clone(), (*idx).clone())]
                .iter()
                .map(|(p, r)| {
                    let r = Row {
                        value: r.value * scale,
                        low: r.low * scale,
                        high: r.high * scale,
                    };
                    (p.clone(), r)
                })
                .collect();
            // The axis description in as many lines as it needs under the
            // tick labels (the margins and label area below take 64 pixels).
            let desc_style = font(AXIS);
            let desc = wrap_to_width(panel, &x_desc, &desc_style, panel.dim_in_pixel().0.saturating_sub(84))?;
            let get = |p: &str| rows.iter().find(|(q, _)| q == p).map(|(_, r)| r.clone());
            let hi = rows
                .iter()
                .flat_map(|(_, r)| [r.value, r.high])
                .filter(|v| v.is_finite())
                .fold(0.0f64, f64::max);
            let lo = rows
                .iter()
                .flat_map(|(_, r)| [r.value, r.low])
                .filter(|v| v.is_finite())
                .fold(0.0f64, f64::min);
            let (lo, hi) = (lo * 1.1, (hi * 1.12).max(1e-9));
            let mut chart = ChartBuilder::on(panel)
                .caption(index_label(idx), font(PANEL_TITLE))
                .margin(14)
                .margin_right(40)
                .x_label_area_size(50 + 34 * desc.len() as u32)
                .y_label_area_size(10)
                .build_cartesian_2d(lo..hi, 0.0..n)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(0)
                .y_label_formatter(&|_| String::new())
                .x_labels(5)
                .x_label_formatter(&|v| tick(*v))
                .label_style(font(TICK))
                .bold_line_style(GRID)
                .light_line_style(TRANSPARENT)
                .axis_style(INK.stroke_width(2))
                .draw()?;
            let (xr, yr) = chart.plotting_area().get_pixel_range();
            let (bx, by) = panel.get_base_pixel();
            for (j, line) in desc.iter().enumerate() {
                panel.draw(&Text::new(
                    line.clone(),
                    ((xr.start + xr.end) / 2 - bx, yr.end - by + 46 + 34 * j as i32),
                    desc_style.clone().pos(Pos::new(HPos::Center, VPos::Top)),
                ))?;
            }
            for (i, p) in names.iter().enumerate() {
                let y = n - i as f64;
                let Some(r) = get(p) else { continue };
                if !r.value.is_finite() {
                    continue;
                }
                let color = series_color(k);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y - 0.78), (r.value, y - 0.22)],
                    color.mix(0.75).filled(),
                )))?;
                if r.low.is_finite() && r.high.is_finite() {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(r.low, y - 0.5), (r.high, y - 0.5)],
                        INK.stroke_width(2),
                    )))?;
                    for x in [r.low, r.high] {
                        chart.draw_series(std::iter::once(PathElement::new(
                            vec![(x, y - 0.62), (x, y - 0.38)],
                            INK.stroke_width(2),
                        )))?;
                    }
                }
                if k == 0 {
                    let (_, py) = chart.backend_coord(&(0.0, y - 0.5));
                    let (_, by) = labels.get_base_pixel();
                    // A group's or shock's name goes on a line of its own
                    // under the path: together they would not fit.
                    let lines = match s.names.get(p) {
                        Some(name) => vec![(p.clone(), -15), (format!("({name})"), 15)],
                        None => vec![(p.clone(), 0)],
                    };
                    for (line, dy) in lines {
                        labels.draw(&Text::new(
                            line,
                            (label_w as i32 - 12, py - by + dy),
                            font(TICK).pos(Pos::new(HPos::Right, VPos::Center)),
                        ))?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The plots of a sensitivity folder.
pub fn sensitivity_figures(dir: &Path, opts: &PlotOptions) -> Result<Vec<Figure>, PlotError> {
    sensitivity_figures_of(&Sensitivity::read(dir)?, opts)
}

fn sensitivity_figures_of(s: &Sensitivity, opts: &PlotOptions) -> Result<Vec<Figure>, PlotError> {
    if s.cells.is_empty() {
        return Err(PlotError::new("sensitivity.csv has no rows"));
    }
    let chosen = if s.metrics.len() <= 1 {
        s.metrics.first().cloned().unwrap_or_default()
    } else {
        chosen_metric(&s.metrics, opts.metric.as_deref())?
    };
    // The chosen metric as `sensitivity`, every other as `sensitivity_METRIC`.
    let mut metrics = vec![chosen.clone()];
    metrics.extend(s.metrics.iter().filter(|m| **m != chosen).take(7).cloned());
    metrics
        .into_iter()
        .map(|metric| {
            let name = if metric == chosen {
                "sensitivity".to_string()
            } else {
                format!(
                    "sensitivity_{}",
                    metric.replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "_")
                )
            };
            let about = format!(
                "Sensitivity indices{} per parameter, sorted by the first, with 95% intervals.",
                if metric.is_empty() {
                    String::new()
                } else {
                    format!(" of {}", metric_label(&metric))
                }
            );
            figure(&name, "Sensitivity", &about, &SensitivityChart { s, metric })
        })
        .collect()
}

/// Plots from tidy CSV text, for tests and other callers that hold the text.
pub mod from_text {
    use super::*;

    /// The plots of a sweep, from the text of `sweep.csv` (and optionally `points.csv`).
    pub fn sweep(sweep_csv: &[u8], points_csv: Option<&[u8]>, opts: &PlotOptions) -> Result<Vec<Figure>, PlotError> {
        let named = match points_csv {
            Some(p) => Some(
                Table::parse(p)?
                    .headers
                    .into_iter()
                    .filter(|h| !NOT_PARAMS.contains(&h.as_str()))
                    .collect(),
            ),
            None => None,
        };
        sweep_figures_of(&Sweep::from_table(&Table::parse(sweep_csv)?, named)?, opts)
    }

    /// The plots of a comparison, from the text of `compare.csv`.
    pub fn compare(compare_csv: &[u8]) -> Result<Vec<Figure>, PlotError> {
        compare_figures_of(&Comparison::from_table(&Table::parse(compare_csv)?)?)
    }

    /// The plots of a sensitivity analysis, from the text of `sensitivity.csv`.
    pub fn sensitivity(sensitivity_csv: &[u8]) -> Result<Vec<Figure>, PlotError> {
        sensitivity_figures_of(
            &Sensitivity::from_table(&Table::parse(sensitivity_csv)?)?,
            &PlotOptions::default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_finds_varied_parameters() {
        let csv = b"point,buyer.power,market.alternatives,metric,value,low,high\n0,0.2,2,involuntary_run_share,0.1,0.08,0.12\n0,0.2,2,excess_cost_mean,3,2,4\n1,0.5,2,involuntary_run_share,0.2,0.18,0.22\n1,0.5,2,excess_cost_mean,4,3,5\n";
        let s = Sweep::from_table(&Table::parse(csv).unwrap(), None).unwrap();
        assert_eq!(s.params, vec!["buyer.power", "market.alternatives"]);
        assert_eq!(s.varied, vec!["buyer.power"]);
        assert_eq!(s.series("buyer.power", "involuntary_run_share").len(), 2);
        assert_eq!(chosen_metric(&s.metrics, None).unwrap(), "involuntary_run_share");
        assert!(chosen_metric(&s.metrics, Some("nope")).is_err());
    }

    #[test]
    fn compare_reads_long_and_wide() {
        let long = b"metric,design,value,low,high\ninvoluntary,procurement,0.2,0.18,0.22\ninvoluntary,partnership,0.1,0.09,0.11\ninvoluntary,difference,-0.1,-0.11,-0.09\n";
        let c = Comparison::from_table(&Table::parse(long).unwrap()).unwrap();
        assert_eq!((c.a.as_str(), c.b.as_str()), ("procurement", "partnership"));
        assert_eq!(c.rows[0].3.value, -0.1);
        let wide = b"metric,a,a_low,a_high,b,b_low,b_high,difference,difference_low,difference_high\ninvoluntary,0.2,0.18,0.22,0.1,0.09,0.11,-0.1,-0.11,-0.09\n";
        let c = Comparison::from_table(&Table::parse(wide).unwrap()).unwrap();
        assert_eq!(c.rows[0].2.high, 0.11);
        assert_eq!(c.rows[0].3.low, -0.11);
    }

    #[test]
    fn wrap_splits_on_words() {
        assert_eq!(wrap("involuntary backsourcing (share of runs)", 16).len(), 3);
    }
}
