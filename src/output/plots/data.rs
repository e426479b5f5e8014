//! The data plots are drawn from, read from the files of an output folder
//! (or from the same text before it is written, so `backsim run` and
//! `backsim plot` draw identical files).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::PlotError;
use crate::math::powi;
use crate::model::{Outcome, RunResult};
use crate::stats::Sketch;

/// An estimate with a 95% interval.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Est {
    /// Point estimate.
    pub value: f64,
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// Shares of one outcome, from `summary.json`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Shares {
    /// Share of all contract episodes.
    pub episodes: Est,
    /// Share of runs with at least one.
    pub runs: Est,
}

/// One figure of `summary.json`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FigureStats {
    /// Unit.
    pub unit: String,
    /// Runs with a value.
    pub n: u64,
    /// Mean with interval.
    pub mean: Est,
    /// Quantiles p5, p25, p50, p75, p95.
    pub quantiles: [f64; 5],
    /// Mean of the worst 5%.
    pub worst: f64,
}

/// What plots and the report need from `summary.json`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunSummary {
    /// Scenario name.
    pub scenario: String,
    /// Scenario description.
    pub description: String,
    /// Master seed.
    pub seed: u64,
    /// Runs.
    pub runs: u64,
    /// backsim version that wrote it.
    pub version: String,
    /// Periods.
    pub periods: u32,
    /// Period word.
    pub period: String,
    /// Currency.
    pub currency: String,
    /// Episodes over all runs.
    pub episodes: u64,
    /// Outcome shares by name.
    pub outcomes: BTreeMap<String, Shares>,
    /// Share of runs where both parties lose.
    pub both_lose: Est,
    /// Figures by name.
    pub figures: BTreeMap<String, FigureStats>,
}

fn num(v: Option<&Value>) -> f64 {
    v.and_then(Value::as_f64).unwrap_or(f64::NAN)
}

fn est(v: Option<&Value>) -> Est {
    Est {
        value: num(v.and_then(|v| v.get("estimate"))),
        low: num(v.and_then(|v| v.get("low"))),
        high: num(v.and_then(|v| v.get("high"))),
    }
}

impl RunSummary {
    /// Parses `summary.json`.
    pub fn parse(text: &str) -> Result<Self, PlotError> {
        let v: Value =
            serde_json::from_str(text).map_err(|e| PlotError::new(format!("summary.json is not valid JSON: {e}")))?;
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let u = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
        if !v.get("outcomes").is_some_and(Value::is_object) || !v.get("figures").is_some_and(Value::is_object) {
            return Err(PlotError::new(
                "summary.json lacks `outcomes` or `figures`; is it from `backsim run`?",
            ));
        }
        let mut outcomes = BTreeMap::new();
        if let Some(Value::Object(m)) = v.get("outcomes") {
            for (k, o) in m {
                outcomes.insert(
                    k.clone(),
                    Shares {
                        episodes: est(o.get("episode_share")),
                        runs: est(o.get("run_share")),
                    },
                );
            }
        }
        let mut figures = BTreeMap::new();
        if let Some(Value::Object(m)) = v.get("figures") {
            for (k, f) in m {
                let q = |name: &str| num(f.get("quantiles").and_then(|q| q.get(name)));
                figures.insert(
                    k.clone(),
                    FigureStats {
                        unit: f.get("unit").and_then(Value::as_str).unwrap_or_default().to_string(),
                        n: f.get("n").and_then(Value::as_u64).unwrap_or(0),
                        mean: est(f.get("mean")),
                        quantiles: [q("p5"), q("p25"), q("p50"), q("p75"), q("p95")],
                        worst: num(f.get("worst_5pct_mean")),
                    },
                );
            }
        }
        Ok(RunSummary {
            scenario: s("scenario"),
            description: s("description"),
            seed: u("seed"),
            runs: u("runs"),
            version: s("version"),
            periods: u("periods") as u32,
            period: s("period"),
            currency: s("currency"),
            episodes: u("episodes"),
            outcomes,
            both_lose: est(v.get("both_lose")),
            figures,
        })
    }
}

/// `timeseries.csv`: per period, a date label and every numeric column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimeSeries {
    /// Date labels ("2016 Q3", or "period 12" without a start date).
    pub dates: Vec<String>,
    /// Columns by name; empty cells are NaN.
    pub columns: BTreeMap<String, Vec<f64>>,
}

impl TimeSeries {
    /// Parses `timeseries.csv`.
    pub fn parse(bytes: &[u8]) -> Result<Self, PlotError> {
        let bad = |e: csv::Error| PlotError::new(format!("timeseries.csv: {e}"));
        let mut r = csv::Reader::from_reader(bytes);
        let headers: Vec<String> = r.headers().map_err(bad)?.iter().map(str::to_string).collect();
        let date_col = headers.iter().position(|h| h == "date");
        let mut ts = TimeSeries::default();
        for h in &headers {
            if h != "date" {
                ts.columns.insert(h.clone(), Vec::new());
            }
        }
        for rec in r.records() {
            let rec = rec.map_err(bad)?;
            for (i, h) in headers.iter().enumerate() {
                let cell = rec.get(i).unwrap_or("");
                if Some(i) == date_col {
                    ts.dates.push(cell.to_string());
                } else if let Some(col) = ts.columns.get_mut(h) {
                    let cell = cell.trim();
                    let x = match cell.parse::<f64>() {
                        _ if cell.is_empty() => f64::NAN,
                        Ok(x) if x.is_finite() => x,
                        _ => {
                            return Err(PlotError::new(format!(
                                "timeseries.csv: `{h}` is `{cell}`, not a number; the file is damaged"
                            )));
                        }
                    };
                    col.push(x);
                }
            }
        }
        if date_col.is_none() {
            ts.dates = (0..ts.len()).map(|t| format!("period {t}")).collect();
        }
        Ok(ts)
    }

    /// Number of periods.
    pub fn len(&self) -> usize {
        self.columns.values().map(Vec::len).max().unwrap_or(0)
    }

    /// True with no periods.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A column, or NaNs if it is missing.
    pub fn column(&self, name: &str) -> Vec<f64> {
        self.columns
            .get(name)
            .cloned()
            .unwrap_or_else(|| vec![f64::NAN; self.len()])
    }

    /// Whether the dates are calendar dates (the scenario has `time.start`).
    pub fn has_calendar(&self) -> bool {
        self.dates.first().is_some_and(|d| !d.starts_with("period"))
    }
}

/// Counts values in bins of width 2^k, sparse, with k growing (bins merging
/// in pairs) whenever more than [`BinCounter::MAX_BINS`] are occupied. The
/// final state depends only on the multiset of values added, not on their
/// order, and memory stays bounded whatever the number of values.
#[derive(Clone, Debug, PartialEq)]
pub struct BinCounter {
    shift: i32,
    bins: BTreeMap<i64, u64>,
}

impl Default for BinCounter {
    fn default() -> Self {
        BinCounter {
            shift: -24,
            bins: BTreeMap::new(),
        }
    }
}

impl BinCounter {
    /// Most occupied bins before they merge.
    pub const MAX_BINS: usize = 4096;

    /// Adds one value; non-finite values are ignored.
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        // Keep keys well inside i64 (and the scaling exact).
        while (x * powi(2.0, -self.shift)).abs() >= powi(2.0, 52) {
            self.coarsen();
        }
        let key = (x * powi(2.0, -self.shift)).floor() as i64;
        *self.bins.entry(key).or_insert(0) += 1;
        while self.bins.len() > Self::MAX_BINS {
            self.coarsen();
        }
    }

    fn coarsen(&mut self) {
        self.shift += 1;
        let old = std::mem::take(&mut self.bins);
        for (k, c) in old {
            *self.bins.entry(k.div_euclid(2)).or_insert(0) += c;
        }
    }

    /// Counts in `n` equal bins over `lo..hi`, each fine bin going to the
    /// display bin holding its midpoint (values outside go to the end bins).
    pub fn rebin(&self, lo: f64, hi: f64, n: usize) -> Vec<u64> {
        let mut out = vec![0u64; n.max(1)];
        let w = powi(2.0, self.shift);
        let span = (hi - lo).max(f64::MIN_POSITIVE);
        for (&k, &c) in &self.bins {
            let mid = (k as f64 + 0.5) * w;
            let i = ((mid - lo) / span * n as f64).floor();
            let i = if i.is_finite() {
                i.clamp(0.0, (n - 1) as f64) as usize
            } else {
                0
            };
            out[i] += c;
        }
        out
    }
}

/// The distribution of one figure in one group of runs: a histogram and a
/// quantile sketch (the same sketch as `summary.json`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Distribution {
    /// Histogram counts.
    pub bins: BinCounter,
    /// Quantiles, exact min and max.
    pub sketch: Sketch,
}

impl Distribution {
    fn add(&mut self, x: f64) {
        if x.is_finite() {
            self.bins.add(x);
            self.sketch.insert(x);
        }
    }
}

/// Groups of runs by their first backsourcing, for the excess cost plot.
pub const EXCESS_GROUPS: [&str; 4] = ["all", "none", "initiated", "involuntary"];

/// The excess cost of every run, overall and by the type of the run's first
/// backsourcing (none, initiated, involuntary). Built while runs are
/// written, or read back from `runs.csv`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExcessCost {
    /// By [`EXCESS_GROUPS`].
    pub groups: [Distribution; 4],
}

impl ExcessCost {
    /// Adds a value with the run's first backsourcing ("", "initiated" or "involuntary").
    pub fn add_value(&mut self, excess: f64, first: &str) {
        self.groups[0].add(excess);
        let g = match first {
            "initiated" => 2,
            "involuntary" => 3,
            _ => 1,
        };
        self.groups[g].add(excess);
    }

    /// Adds one run.
    pub fn add(&mut self, r: &RunResult) {
        let first = match r.first_backsourcing {
            Some((o, ..)) => o.name(),
            None => "",
        };
        self.add_value(r.costs.excess(), first);
    }

    /// Reads `runs.csv` (streaming: memory does not grow with the rows).
    pub fn from_runs_csv(path: &Path) -> Result<Self, PlotError> {
        let f =
            std::fs::File::open(path).map_err(|e| PlotError::new(format!("cannot read {}: {e}", path.display())))?;
        let bad = |e: csv::Error| PlotError::new(format!("{}: {e}", path.display()));
        let mut r = csv::Reader::from_reader(std::io::BufReader::with_capacity(1 << 16, f));
        let headers = r.byte_headers().map_err(bad)?.clone();
        let col = |name: &str| headers.iter().position(|h| h == name.as_bytes());
        let (Some(xc), Some(fc)) = (col("excess_cost"), col("first_backsourcing")) else {
            return Err(PlotError::new(format!(
                "{} lacks the columns excess_cost and first_backsourcing",
                path.display()
            )));
        };
        let mut out = ExcessCost::default();
        let mut rec = csv::ByteRecord::new();
        let mut line = 1;
        while r.read_byte_record(&mut rec).map_err(bad)? {
            line += 1;
            let text = std::str::from_utf8(rec.get(xc).unwrap_or(b"")).unwrap_or("");
            let Some(x) = text.parse::<f64>().ok().filter(|x| x.is_finite()) else {
                return Err(PlotError::new(format!(
                    "{}, line {}: excess_cost is `{text}`, not a number; the file is damaged",
                    path.display(),
                    line
                )));
            };
            let first = std::str::from_utf8(rec.get(fc).unwrap_or(b"")).unwrap_or("");
            out.add_value(x, first);
        }
        Ok(out)
    }
}

/// Everything the plots of a `backsim run` folder are drawn from.
#[derive(Clone, Debug, PartialEq)]
pub struct RunData {
    /// `summary.json`.
    pub summary: RunSummary,
    /// `timeseries.csv`.
    pub series: TimeSeries,
    /// Excess cost from `runs.csv`; `None` for a folder written with
    /// `--no-runs-csv`.
    pub excess: Option<ExcessCost>,
}

impl RunData {
    /// Reads a finished run folder.
    pub fn read(dir: &Path) -> Result<Self, PlotError> {
        let read = |name: &str| {
            std::fs::read(dir.join(name))
                .map_err(|e| PlotError::new(format!("cannot read {}: {e}", dir.join(name).display())))
        };
        let in_dir = |e: PlotError| PlotError::new(format!("{}: {e}", dir.display()));
        let summary = RunSummary::parse(&String::from_utf8_lossy(&read("summary.json")?)).map_err(in_dir)?;
        let series = TimeSeries::parse(&read("timeseries.csv")?).map_err(in_dir)?;
        // The files must agree: a file cut short would draw a wrong plot
        // under a right title.
        let damaged = |what: String| {
            PlotError::new(format!(
                "{}: {what}; the folder is damaged (rewrite it with its scenario.toml)",
                dir.display()
            ))
        };
        if summary.runs == 0 || summary.periods == 0 {
            return Err(damaged("summary.json lacks `runs` or `periods`".into()));
        }
        if series.len() != summary.periods as usize {
            return Err(damaged(format!(
                "timeseries.csv has {} periods, summary.json {}",
                series.len(),
                summary.periods
            )));
        }
        let runs = dir.join("runs.csv");
        let excess = match runs.is_file() {
            true => Some(ExcessCost::from_runs_csv(&runs)?),
            false => None,
        };
        // Every value was checked finite, so every row is counted.
        if let Some(runs) = excess.as_ref().map(|e| e.groups[0].sketch.count())
            && runs != summary.runs
        {
            return Err(damaged(format!(
                "runs.csv has {runs} runs, summary.json {}",
                summary.runs
            )));
        }
        Ok(RunData {
            summary,
            series,
            excess,
        })
    }
}

/// A tidy CSV read into memory: headers and rows of text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Column names.
    pub headers: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads a CSV file.
    pub fn read(path: &Path) -> Result<Self, PlotError> {
        let bytes = std::fs::read(path).map_err(|e| PlotError::new(format!("cannot read {}: {e}", path.display())))?;
        Self::parse(&bytes).map_err(|e| PlotError::new(format!("{}: {e}", path.display())))
    }

    /// Parses CSV text.
    pub fn parse(bytes: &[u8]) -> Result<Self, PlotError> {
        let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let headers = r
            .headers()
            .map_err(|e| PlotError::new(e.to_string()))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| PlotError::new(e.to_string()))?;
            rows.push(rec.iter().map(str::to_string).collect());
        }
        Ok(Table { headers, rows })
    }

    /// Index of the first column with one of these names.
    pub fn col(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.headers.iter().position(|h| h == n))
    }

    /// A cell as text ("" if missing).
    pub fn text(&self, row: usize, col: usize) -> &str {
        self.rows[row].get(col).map_or("", |s| s.as_str())
    }

    /// A cell as a number (NaN if missing or not a number).
    pub fn num(&self, row: usize, col: usize) -> f64 {
        self.text(row, col).trim().parse().unwrap_or(f64::NAN)
    }

    /// Checks that every cell of `cols` is empty (no estimate) or a finite
    /// number, as backsim writes them: a damaged file is an error, not a
    /// plot of wrong numbers.
    pub fn check_numbers(&self, file: &str, cols: &[usize]) -> Result<(), PlotError> {
        for (r, row) in self.rows.iter().enumerate() {
            for &c in cols {
                let cell = row.get(c).map_or("", |s| s.trim());
                if !cell.is_empty() && !cell.parse::<f64>().is_ok_and(f64::is_finite) {
                    return Err(PlotError::new(format!(
                        "{file}, line {}: `{}` is `{cell}`, not a number; the file is damaged",
                        r + 2,
                        self.headers.get(c).map_or("", String::as_str)
                    )));
                }
            }
        }
        Ok(())
    }
}

/// Which outcome a metric name is about, if any: `involuntary`,
/// `share_involuntary`, `involuntary_run_share`, `outcomes.involuntary.run_share`
/// ... Names about episode shares are recognised too but ranked lower
/// (see [`metric_rank`]).
pub fn metric_outcome(metric: &str) -> Option<&'static str> {
    let m = metric.to_ascii_lowercase();
    // Longer names first: involuntary_exit before involuntary.
    const NAMES: [&str; 9] = [
        "involuntary_exit",
        "involuntary_failure",
        "wound_down",
        "backsourcing",
        "continued",
        "switched",
        "initiated",
        "involuntary",
        "both_lose",
    ];
    let tokens: Vec<&str> = m.split(['.', '/', ' ', ':']).collect();
    for name in NAMES {
        for t in &tokens {
            let t = t.trim_start_matches("share_").trim_start_matches("p_");
            if t == name
                || t.strip_prefix(name).is_some_and(|rest| {
                    rest.starts_with("_share") || rest.starts_with("_run") || rest.starts_with("_episode")
                })
            {
                return Some(name);
            }
        }
    }
    None
}

/// Preference among metrics about the same outcome: run shares first, then
/// plain names, then episode shares; counts and other figures last.
pub fn metric_rank(metric: &str) -> u8 {
    let m = metric.to_ascii_lowercase();
    if m.contains("episode") {
        2
    } else if m.contains("run_share") || m.contains("runs") {
        0
    } else if m.contains("share") || metric_outcome(&m).is_some_and(|o| m.ends_with(o)) {
        1
    } else {
        3
    }
}

/// The five outcomes in report order, by name.
pub fn outcome_names() -> [&'static str; 5] {
    Outcome::ALL.map(Outcome::name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bin_counter_is_order_independent_and_bounded() {
        let xs: Vec<f64> = (0..20_000)
            .map(|i| ((i * 7919) % 10_007) as f64 * 0.37 - 900.0)
            .collect();
        let mut a = BinCounter::default();
        let mut b = BinCounter::default();
        for x in &xs {
            a.add(*x);
        }
        for x in xs.iter().rev() {
            b.add(*x);
        }
        assert_eq!(a, b);
        assert!(a.bins.len() <= BinCounter::MAX_BINS);
        let counts = a.rebin(-900.0, 3000.0, 39);
        assert_eq!(counts.iter().sum::<u64>(), 20_000);
    }

    #[test]
    fn metric_names_map_to_outcomes() {
        assert_eq!(metric_outcome("involuntary"), Some("involuntary"));
        assert_eq!(metric_outcome("involuntary_run_share"), Some("involuntary"));
        assert_eq!(metric_outcome("outcomes.wound_down.run_share"), Some("wound_down"));
        assert_eq!(metric_outcome("share_initiated"), Some("initiated"));
        assert_eq!(metric_outcome("involuntary_exit"), Some("involuntary_exit"));
        assert_eq!(metric_outcome("excess_cost"), None);
        assert!(metric_rank("involuntary_run_share") < metric_rank("involuntary_episode_share"));
    }

    #[test]
    fn timeseries_parses_empty_cells_as_nan() {
        let ts = TimeSeries::parse(b"period,date,quality_p5\n0,2016 Q1,0.5\n1,2016 Q2,\n").unwrap();
        assert_eq!(ts.len(), 2);
        assert!(ts.column("quality_p5")[1].is_nan());
        assert!(ts.has_calendar());
    }
}
