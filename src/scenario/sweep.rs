//! The `[sweep]` table of a scenario file, and the `--vary` option that
//! writes the same thing on the command line: which fields a `backsim sweep`
//! varies, over which values, and how many runs each point gets.
//!
//! ```toml
//! [sweep]
//! runs = 2000                      # runs per point (default: the scenario's `runs`)
//! vary = [
//!   { path = "buyer.power", values = [0.2, 0.5, 0.8] },         # a list
//!   { path = "market.alternatives", min = 0, max = 4, points = 5 }, # a range of 5 points
//!   "contract.form=procurement,partnership",                    # the --vary syntax
//! ]
//! # lhs = 200                      # instead of the full grid: a Latin hypercube of
//! #                                # 200 points over ranges given without `points`
//! # precision = 0.01               # adaptive runs per point (see `--precision`)
//! ```
//!
//! A plain `backsim run` of such a file validates the table and ignores it.
//! Only the structure is checked here (known paths, numbers inside the
//! field's documented range, whole numbers for whole-number fields); every
//! point's scenario is validated in full before a sweep starts.

use serde::Deserialize;

use super::param::{Kind, describe_range, fmt_num, suggest};
use super::schema::{FieldDoc, FieldError};
use super::{
    BuyerParams, ContractParams, DemandParams, LegalParams, MAX_RUNS, MarketParams, ProviderParams, TransitionParams,
    TrustParams,
};

/// Most points a sweep may have.
pub const MAX_POINTS: u64 = 1_000_000;

/// Keys of the `[sweep]` table.
pub const SWEEP_KEYS: &[&str] = &["vary", "lhs", "runs", "precision", "max_runs", "batch"];

/// The `[sweep]` table as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSweep {
    /// The varied fields: each `"PATH=SPEC"` or a table `{ path, values }` /
    /// `{ path, min, max, points }`.
    pub vary: Option<Vec<toml::Value>>,
    /// Number of Latin hypercube points (instead of the full grid).
    pub lhs: Option<u64>,
    /// Runs per point.
    pub runs: Option<u64>,
    /// Adaptive precision: the largest 95% half-width of any outcome share.
    pub precision: Option<f64>,
    /// Most runs per point with `precision`.
    pub max_runs: Option<u64>,
    /// Batch size with `precision`.
    pub batch: Option<u64>,
}

/// The values one field takes in a sweep.
#[derive(Clone, Debug, PartialEq)]
pub enum AxisValues {
    /// These values, in this order (numbers, words, or any TOML value).
    List(Vec<toml::Value>),
    /// A range: `points` evenly spaced values from `min` to `max` (both
    /// included) on a grid, or the interval a Latin hypercube samples.
    Range {
        /// Lower end.
        min: f64,
        /// Upper end.
        max: f64,
        /// Number of grid points; `None` in a Latin hypercube.
        points: Option<u64>,
    },
}

/// One varied field.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// Dotted path, as in `--set`.
    pub path: String,
    /// Its values.
    pub values: AxisValues,
}

/// A validated sweep: the axes and the settings per point.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepSpec {
    /// The varied fields, in order: the grid varies the last one fastest.
    pub vary: Vec<Axis>,
    /// Latin hypercube of this many points instead of the full grid.
    pub lhs: Option<u64>,
    /// Runs per point.
    pub runs: Option<u64>,
    /// Adaptive precision per point.
    pub precision: Option<f64>,
    /// Most runs per point with `precision`.
    pub max_runs: Option<u64>,
    /// Batch size with `precision`.
    pub batch: Option<u64>,
}

/// The documentation of a numeric section field by dotted path
/// (`buyer.power`), if it is one.
pub fn field_doc(path: &str) -> Option<&'static FieldDoc> {
    let path = template_path(path);
    let (section, name) = path.split_once('.')?;
    let fields: &[FieldDoc] = match section {
        "buyer" => BuyerParams::FIELDS,
        "provider" => ProviderParams::FIELDS,
        "contract" => ContractParams::FIELDS,
        "market" => MarketParams::FIELDS,
        "demand" => DemandParams::FIELDS,
        "trust" => TrustParams::FIELDS,
        "legal" => LegalParams::FIELDS,
        "transition" => TransitionParams::FIELDS,
        _ => return None,
    };
    fields.iter().find(|f| f.name == name)
}

/// A path with its table number taken out: a group's field as the field
/// of `[buyer]` or `[provider]` (`provider.groups.1.count` is
/// `provider.count`), a scheduled shock's as `demand.shocks.size`.
pub fn template_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        [section @ ("buyer" | "provider"), "groups", k, rest @ ..] if super::table_number(k).is_some() => {
            std::iter::once(*section)
                .chain(rest.iter().copied())
                .collect::<Vec<_>>()
                .join(".")
        }
        ["demand", "shocks", k, rest @ ..] if super::table_number(k).is_some() => ["demand", "shocks"]
            .into_iter()
            .chain(rest.iter().copied())
            .collect::<Vec<_>>()
            .join("."),
        _ => path.to_string(),
    }
}

/// Every numeric section field by dotted path, for suggestions.
pub fn numeric_paths() -> Vec<String> {
    let sections: [(&str, &[FieldDoc]); 8] = [
        ("buyer", BuyerParams::FIELDS),
        ("provider", ProviderParams::FIELDS),
        ("contract", ContractParams::FIELDS),
        ("market", MarketParams::FIELDS),
        ("demand", DemandParams::FIELDS),
        ("trust", TrustParams::FIELDS),
        ("legal", LegalParams::FIELDS),
        ("transition", TransitionParams::FIELDS),
    ];
    sections
        .iter()
        .flat_map(|(s, fields)| fields.iter().map(move |f| format!("{s}.{}", f.name)))
        .collect()
}

/// Whether a field takes whole numbers.
pub fn field_kind(path: &str) -> Kind {
    match field_doc(path) {
        Some(d) => d.kind,
        None => match template_path(path).as_str() {
            "time.periods"
            | "demand.shocks.start"
            | "demand.shocks.duration"
            | "buyer.count"
            | "buyer.units"
            | "buyer.reserve_units"
            | "provider.count"
            | "seed"
            | "runs"
            | "point" => Kind::Int,
            _ => Kind::Real,
        },
    }
}

/// Checks that a dotted path names a field `--set` can set (and not the
/// sweep itself, the name or the version).
pub fn check_path(path: &str) -> Result<(), String> {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.iter().any(|p| p.trim().is_empty()) {
        return Err(format!("`{path}` is not a field path (e.g. buyer.power)"));
    }
    if matches!(parts[0], "sweep" | "name" | "description" | "version") {
        return Err(format!("`{path}` cannot be varied"));
    }
    match parts[0] {
        "runs" => return Err("`runs` cannot be varied: every point has the same number of runs (--runs)".into()),
        "point" => return Err("`point` cannot be varied: a sweep numbers its own points".into()),
        _ => {}
    }
    for (i, part) in parts.iter().enumerate() {
        if super::is_table_list(&parts[..i]) {
            let list = parts[..i].join(".");
            if super::table_number(part).is_none() {
                return Err(format!(
                    "`{part}` in `{path}` is not a table number; allowed: 0 for the first [[{list}]] table, 1 for the second, ... (no leading zeros)"
                ));
            }
            if i + 1 == parts.len() {
                return Err(format!(
                    "`{path}` is a whole table; vary one of its fields: {path}.FIELD"
                ));
            }
            continue;
        }
        let prefix: Vec<String> = parts[..i].iter().map(|s| s.to_string()).collect();
        let keys = super::keys_at(&prefix);
        if !keys.contains(part) {
            return Err(format!(
                "unknown field `{part}` in `{path}`{}; allowed: {}",
                suggest(part, keys.iter().copied()),
                keys.join(", ")
            ));
        }
    }
    Ok(())
}

/// A value as written on the command line: a TOML value, or a bare word
/// taken as a string (the rule of `--set`).
pub fn parse_value(text: &str) -> toml::Value {
    let text = text.trim();
    match toml::from_str::<toml::Table>(&format!("v = {text}")) {
        Ok(mut t) => t.remove("v").unwrap_or(toml::Value::String(text.into())),
        Err(_) => toml::Value::String(text.into()),
    }
}

/// Splits on commas outside brackets, braces and quotes.
fn split_list(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut cur) = (0i32, None::<char>, String::new());
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

/// Refuses `nan` and `inf` in a list of values (TOML reads them as
/// numbers, which no scenario field takes).
fn finite(values: Vec<toml::Value>) -> Result<Vec<toml::Value>, String> {
    match values
        .iter()
        .find(|v| matches!(v, toml::Value::Float(f) if !f.is_finite()))
    {
        Some(bad) => Err(format!("the value `{bad}` is not allowed; allowed: finite numbers")),
        None => Ok(values),
    }
}

fn number(text: &str, what: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("{what} `{}` is not a number", text.trim()))
}

impl Axis {
    /// Parses `PATH=a,b,c` (a list), `PATH=lo:hi:n` (n evenly spaced values
    /// from lo to hi) or `PATH=lo:hi` (a range for a Latin hypercube).
    pub fn parse(spec: &str) -> Result<Axis, String> {
        let Some((path, values)) = spec.split_once('=') else {
            return Err(format!(
                "`{spec}` is not of the form PATH=VALUES (e.g. buyer.power=0.2,0.5,0.8 or buyer.power=0:1:11)"
            ));
        };
        let path = path.trim().to_string();
        let values = values.trim();
        if values.is_empty() {
            return Err(format!("`{spec}` gives no values"));
        }
        let looks_like_range = values.contains(':') && !values.contains(['"', '\'', '{', '[', ',']);
        let values = if looks_like_range {
            let parts: Vec<&str> = values.split(':').collect();
            match parts.as_slice() {
                [lo, hi] => AxisValues::Range {
                    min: number(lo, "the lower end")?,
                    max: number(hi, "the upper end")?,
                    points: None,
                },
                [lo, hi, n] => AxisValues::Range {
                    min: number(lo, "the lower end")?,
                    max: number(hi, "the upper end")?,
                    points: Some(
                        n.trim()
                            .parse::<u64>()
                            .map_err(|_| format!("the number of points `{}` is not a whole number", n.trim()))?,
                    ),
                },
                _ => {
                    return Err(format!(
                        "`{values}` is not a range; write lo:hi:n (n values from lo to hi), or lo:hi with --lhs"
                    ));
                }
            }
        } else {
            let items = split_list(values);
            if values.contains(',') && items.iter().any(|v| v.trim().is_empty()) {
                return Err(format!(
                    "`{values}` has an empty value between commas; write the values as a,b,c"
                ));
            }
            AxisValues::List(finite(items.iter().map(|v| parse_value(v)).collect())?)
        };
        Ok(Axis { path, values })
    }

    /// Reads one entry of `vary` in a `[sweep]` table: a string in the
    /// `--vary` syntax, or a table.
    pub fn from_toml(v: &toml::Value) -> Result<Axis, String> {
        let t = match v {
            toml::Value::String(s) => return Axis::parse(s),
            toml::Value::Table(t) => t,
            other => {
                return Err(format!(
                    "expected \"PATH=VALUES\" or a table {{ path, values }} / {{ path, min, max, points }}, found {}",
                    other.type_str()
                ));
            }
        };
        const KEYS: [&str; 5] = ["path", "values", "min", "max", "points"];
        for k in t.keys() {
            if !KEYS.contains(&k.as_str()) {
                return Err(format!(
                    "unknown key `{k}`{}; allowed: {}",
                    suggest(k, KEYS.iter().copied()),
                    KEYS.join(", ")
                ));
            }
        }
        let path = match t.get("path") {
            Some(toml::Value::String(s)) => s.clone(),
            Some(_) => return Err("`path` must be a string such as \"buyer.power\"".into()),
            None => return Err("needs `path`, the dotted field path (e.g. \"buyer.power\")".into()),
        };
        let num = |k: &str| -> Result<Option<f64>, String> {
            match t.get(k) {
                None => Ok(None),
                Some(toml::Value::Integer(i)) => Ok(Some(*i as f64)),
                Some(toml::Value::Float(f)) if f.is_finite() => Ok(Some(*f)),
                Some(v) => Err(format!("`{k}` must be a number, found {v}")),
            }
        };
        let values = match (t.get("values"), num("min")?, num("max")?) {
            (Some(toml::Value::Array(vs)), None, None) if t.get("points").is_none() => {
                AxisValues::List(finite(vs.clone())?)
            }
            (Some(_), None, None) if t.get("points").is_none() => return Err("`values` must be a list".into()),
            (None, Some(min), Some(max)) => AxisValues::Range {
                min,
                max,
                points: match t.get("points") {
                    None => None,
                    Some(toml::Value::Integer(n)) if *n >= 0 => Some(*n as u64),
                    Some(v) => return Err(format!("`points` must be a whole number, found {v}")),
                },
            },
            _ => return Err("give either `values = [...]` or `min`, `max` (and `points` for a grid)".into()),
        };
        Ok(Axis { path, values })
    }

    /// The axis as a table of the `[sweep]` table.
    pub fn to_toml(&self) -> toml::Value {
        let mut t = toml::Table::new();
        t.insert("path".into(), toml::Value::String(self.path.clone()));
        match &self.values {
            AxisValues::List(vs) => {
                t.insert("values".into(), toml::Value::Array(vs.clone()));
            }
            AxisValues::Range { min, max, points } => {
                t.insert("min".into(), toml::Value::Float(*min));
                t.insert("max".into(), toml::Value::Float(*max));
                if let Some(n) = points {
                    t.insert("points".into(), toml::Value::Integer(*n as i64));
                }
            }
        }
        toml::Value::Table(t)
    }

    /// Number of values on a grid (0 for a Latin hypercube range).
    pub fn len(&self) -> u64 {
        match &self.values {
            AxisValues::List(v) => v.len() as u64,
            AxisValues::Range { points, .. } => points.unwrap_or(0),
        }
    }

    /// Whether the axis has no grid values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The grid values, in order: a list as given; a range as `points`
    /// evenly spaced values from `min` to `max` (both exactly),
    /// `(min (n-1-j) + max j) / (n-1)` in between, taken to the nearby short
    /// decimal where there is one (see [`tidy`]: `0:0.4:5` gives 0.3, not
    /// 0.30000000000000004), whole numbers for whole-number fields.
    pub fn grid_values(&self) -> Vec<toml::Value> {
        match &self.values {
            AxisValues::List(v) => v.clone(),
            AxisValues::Range { min, max, points } => {
                let n = points.unwrap_or(0);
                let kind = field_kind(&self.path);
                (0..n)
                    .map(|j| {
                        let x = if j == 0 {
                            *min
                        } else if j == n - 1 {
                            *max
                        } else {
                            tidy((min * (n - 1 - j) as f64 + max * j as f64) / (n - 1) as f64)
                        };
                        number_value(x, kind)
                    })
                    .collect()
            }
        }
    }

    /// Checks the axis on its own: a settable path, values inside the
    /// field's range, whole numbers where needed, and the right shape for a
    /// grid (`lhs == false`) or a Latin hypercube (`lhs == true`).
    pub fn check(&self, lhs: bool) -> Result<(), String> {
        check_path(&self.path)?;
        let doc = field_doc(&self.path);
        let kind = field_kind(&self.path);
        let in_range = |x: f64, what: &str| -> Result<(), String> {
            if let Some(d) = doc
                && (x < d.range.0 || x > d.range.1)
            {
                return Err(format!(
                    "{what} {} of `{}` is out of range; allowed: {}",
                    fmt_num(x),
                    self.path,
                    describe_range(d.kind, d.range)
                ));
            }
            Ok(())
        };
        match &self.values {
            AxisValues::List(vs) => {
                if lhs {
                    return Err(format!(
                        "`{}`: a Latin hypercube samples ranges; give lo:hi (or min and max), not a list",
                        self.path
                    ));
                }
                if vs.is_empty() {
                    return Err(format!("`{}`: the list of values is empty", self.path));
                }
                for (i, v) in vs.iter().enumerate() {
                    // A value twice would be two points of the same design.
                    let same = |w: &toml::Value| match (v, w) {
                        (toml::Value::Integer(a), toml::Value::Float(b))
                        | (toml::Value::Float(b), toml::Value::Integer(a)) => *a as f64 == *b,
                        _ => v == w,
                    };
                    if vs[..i].iter().any(same) {
                        return Err(format!("`{}`: the value {v} is given twice", self.path));
                    }
                    let x = match v {
                        toml::Value::Integer(i) => *i as f64,
                        toml::Value::Float(f) => *f,
                        _ => continue,
                    };
                    in_range(x, "value")?;
                    if kind == Kind::Int && x.fract() != 0.0 {
                        return Err(format!(
                            "value {} of `{}` must be a whole number",
                            fmt_num(x),
                            self.path
                        ));
                    }
                }
            }
            AxisValues::Range { min, max, points } => {
                if min > max {
                    return Err(format!(
                        "`{}`: the lower end {} is above the upper end {}",
                        self.path,
                        fmt_num(*min),
                        fmt_num(*max)
                    ));
                }
                if min == max {
                    return Err(format!(
                        "`{}`: the range {}:{} holds one value; give two different ends, or hold the field at it with --set",
                        self.path,
                        fmt_num(*min),
                        fmt_num(*max)
                    ));
                }
                in_range(*min, "the lower end")?;
                in_range(*max, "the upper end")?;
                match (lhs, points) {
                    (true, Some(_)) => {
                        return Err(format!(
                            "`{}`: with a Latin hypercube give the range as lo:hi (min and max) without a number of points",
                            self.path
                        ));
                    }
                    (false, None) => {
                        return Err(format!(
                            "`{}`: give the number of points, lo:hi:n (or `points`), or sample the range with --lhs N",
                            self.path
                        ));
                    }
                    (false, Some(n)) if *n < 2 => {
                        return Err(format!("`{}`: a range needs at least 2 points, found {n}", self.path));
                    }
                    _ => {}
                }
                if lhs && kind == Kind::Int && (min.fract() != 0.0 || max.fract() != 0.0) {
                    return Err(format!(
                        "`{}` takes whole numbers, but the range {}:{} does not end on them; allowed: whole-number lo and hi",
                        self.path,
                        fmt_num(*min),
                        fmt_num(*max)
                    ));
                }
                if !lhs && kind == Kind::Int {
                    for v in self.grid_values() {
                        if let toml::Value::Float(x) = v {
                            return Err(format!(
                                "`{}` takes whole numbers, but the range gives {}; choose lo, hi and n so that every step is whole",
                                self.path,
                                fmt_num(x)
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// `x`, or the number of at most 15 significant decimal digits nearest to
/// it when that is at most two units in the last place away: the rounding
/// error of a grid's arithmetic, so that a grid of short decimals is one
/// (0.3, not 0.30000000000000004). A value with no such short form nearby
/// (1/6, say) is returned as it is.
pub fn tidy(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let short: f64 = format!("{x:.14e}").parse().unwrap_or(x);
    if short.is_finite() && (short - x).abs() <= 2.0 * ulp(x) {
        short
    } else {
        x
    }
}

/// The gap from `|x|` to the next larger float (finite `x`).
fn ulp(x: f64) -> f64 {
    let a = x.abs();
    f64::from_bits(a.to_bits() + 1) - a
}

/// A number as the TOML value a field of this kind reads: an integer for
/// whole-number fields (when whole), else a float.
pub fn number_value(x: f64, kind: Kind) -> toml::Value {
    if kind == Kind::Int && x.fract() == 0.0 && x.abs() < 9e15 {
        toml::Value::Integer(x as i64)
    } else {
        toml::Value::Float(x)
    }
}

impl SweepSpec {
    /// Validates the raw `[sweep]` table.
    pub fn from_raw(raw: &RawSweep) -> Result<SweepSpec, FieldError> {
        let err = |path: String, message: String| FieldError { path, message };
        let mut vary = Vec::new();
        for (i, v) in raw.vary.iter().flatten().enumerate() {
            vary.push(Axis::from_toml(v).map_err(|m| err(format!("sweep.vary.{i}"), m))?);
        }
        let spec = SweepSpec {
            vary,
            lhs: raw.lhs,
            runs: raw.runs,
            precision: raw.precision,
            max_runs: raw.max_runs,
            batch: raw.batch,
        };
        for (i, a) in spec.vary.iter().enumerate() {
            a.check(spec.lhs.is_some())
                .map_err(|m| err(format!("sweep.vary.{i}"), m))?;
        }
        spec.check_settings()
            .map_err(|(field, m)| err(format!("sweep.{field}"), m))?;
        Ok(spec)
    }

    /// Checks everything but the axes themselves: distinct paths, the size
    /// of the design and the per-point settings. Errors name the field of
    /// the `[sweep]` table (`vary`, `lhs`, `runs`, ...).
    pub fn check_settings(&self) -> Result<(), (&'static str, String)> {
        for (i, a) in self.vary.iter().enumerate() {
            if self.vary[..i].iter().any(|b| b.path == a.path) {
                return Err(("vary", format!("`{}` is varied twice", a.path)));
            }
        }
        if let Some(n) = self.lhs
            && !(1..=MAX_POINTS).contains(&n)
        {
            return Err(("lhs", format!("{n} is out of range; allowed: 1 to {MAX_POINTS}")));
        }
        if self.lhs.is_none() {
            let mut points: u64 = 1;
            for a in &self.vary {
                points = points.saturating_mul(a.len().max(1));
            }
            if points > MAX_POINTS {
                let size = if points == u64::MAX {
                    "more than 2^64".to_string()
                } else {
                    points.to_string()
                };
                return Err((
                    "vary",
                    format!(
                        "the grid has {size} points; allowed: at most {MAX_POINTS} (use a Latin hypercube, --lhs N)"
                    ),
                ));
            }
        }
        if let Some(r) = self.runs
            && !(1..=MAX_RUNS).contains(&r)
        {
            return Err(("runs", format!("{r} is out of range; allowed: 1 to {MAX_RUNS}")));
        }
        if let Some(p) = self.precision
            && !(p > 0.0 && p <= 0.5)
        {
            return Err((
                "precision",
                format!(
                    "{} is out of range; allowed: a number above 0 and at most 0.5",
                    fmt_num(p)
                ),
            ));
        }
        if self.precision.is_some() && self.runs.is_some() {
            return Err((
                "runs",
                "`runs` and `precision` exclude each other: with `precision` the runs per point are decided by the precision, at most `max_runs`".into(),
            ));
        }
        for (field, v) in [("max_runs", self.max_runs), ("batch", self.batch)] {
            if let Some(n) = v {
                if self.precision.is_none() {
                    return Err((field, format!("`{field}` needs `precision`")));
                }
                if !(1..=MAX_RUNS).contains(&n) {
                    return Err((field, format!("{n} is out of range; allowed: 1 to {MAX_RUNS}")));
                }
            }
        }
        Ok(())
    }

    /// The `[sweep]` table, resolved.
    pub fn to_toml(&self) -> toml::Value {
        let mut t = toml::Table::new();
        t.insert(
            "vary".into(),
            toml::Value::Array(self.vary.iter().map(Axis::to_toml).collect()),
        );
        let int = |n: u64| toml::Value::Integer(n.min(i64::MAX as u64) as i64);
        if let Some(n) = self.lhs {
            t.insert("lhs".into(), int(n));
        }
        if let Some(n) = self.runs {
            t.insert("runs".into(), int(n));
        }
        if let Some(p) = self.precision {
            t.insert("precision".into(), toml::Value::Float(p));
        }
        if let Some(n) = self.max_runs {
            t.insert("max_runs".into(), int(n));
        }
        if let Some(n) = self.batch {
            t.insert("batch".into(), int(n));
        }
        toml::Value::Table(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_of_short_decimals_are_short_decimals() {
        let grid = |spec: &str| -> Vec<f64> {
            Axis::parse(spec)
                .unwrap()
                .grid_values()
                .iter()
                .map(|v| v.as_float().unwrap())
                .collect()
        };
        // (0 x 1 + 0.4 x 3) / 4 is 0.30000000000000004 in binary arithmetic.
        assert_eq!(grid("contract.sanction_rate=0:0.4:5"), [0.0, 0.1, 0.2, 0.3, 0.4]);
        assert_eq!(grid("buyer.power=0.1:0.7:7"), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
        assert_eq!(grid("buyer.power=0.05:0.95:10")[..3], [0.05, 0.15, 0.25]);
        // No short decimal nearby: the arithmetic's value, untouched.
        let sixths = grid("buyer.power=0:1:7");
        for (j, x) in sixths.iter().enumerate() {
            assert_eq!(*x, j as f64 / 6.0, "point {j}");
        }
        assert_eq!(tidy(1.0 / 3.0), 1.0 / 3.0);
        assert_eq!(tidy(0.1 + 0.2), 0.3);
        assert_eq!(tidy(-(0.1 + 0.2)), -0.3);
        assert_eq!(tidy(1e300 * 10.0), 1e301);
        assert!(tidy(f64::NAN).is_nan());
        assert_eq!(tidy(f64::MAX), f64::MAX);
    }

    proptest::proptest! {
        /// Tidying moves a value by at most two units in the last place.
        #[test]
        fn tidy_stays_within_two_ulps(x in proptest::num::f64::NORMAL) {
            let y = tidy(x);
            proptest::prop_assert!((y - x).abs() <= 2.0 * ulp(x), "{x} -> {y}");
        }
    }

    #[test]
    fn an_empty_value_between_commas_is_named() {
        for spec in ["buyer.power=,,", "buyer.power=0.2,,0.4", "buyer.power=0.2,"] {
            let e = Axis::parse(spec).unwrap_err();
            assert!(e.contains("an empty value between commas"), "{spec}: {e}");
        }
        assert!(Axis::parse(r#"provider.kind="a,b",commercial"#).is_ok());
    }

    #[test]
    fn parses_lists_and_ranges() {
        let a = Axis::parse("buyer.power=0.2,0.5, 0.8").unwrap();
        assert_eq!(a.path, "buyer.power");
        assert_eq!(a.grid_values(), vec![0.2.into(), 0.5.into(), 0.8.into()]);
        let a = Axis::parse("buyer.power=0:1:11").unwrap();
        let v = a.grid_values();
        assert_eq!(v.len(), 11);
        assert_eq!(v[3], toml::Value::Float(0.3));
        assert_eq!(v[10], toml::Value::Float(1.0));
        let a = Axis::parse("market.alternatives=0:4:5").unwrap();
        assert_eq!(a.grid_values()[2], toml::Value::Integer(2));
        a.check(false).unwrap();
        let a = Axis::parse("contract.form=procurement,partnership").unwrap();
        assert_eq!(a.grid_values()[1], toml::Value::String("partnership".into()));
        let a = Axis::parse(r#"provider.capability={ dist = "uniform", min = 0.5, max = 0.9 },0.8"#).unwrap();
        assert_eq!(a.len(), 2);
        assert!(a.grid_values()[0].is_table());
    }

    #[test]
    fn checks_name_the_problem() {
        let e = Axis::parse("buyer.powr=0,1").unwrap().check(false).unwrap_err();
        assert!(e.contains("did you mean `power`"), "{e}");
        let e = Axis::parse("buyer.power=0:2:3").unwrap().check(false).unwrap_err();
        assert!(e.contains("from 0 to 1"), "{e}");
        let e = Axis::parse("market.alternatives=0:3:3")
            .unwrap()
            .check(false)
            .unwrap_err();
        assert!(e.contains("whole"), "{e}");
        let e = Axis::parse("buyer.power=0:1").unwrap().check(false).unwrap_err();
        assert!(e.contains("--lhs"), "{e}");
        assert!(Axis::parse("buyer.power=0:1").unwrap().check(true).is_ok());
        let e = Axis::parse("buyer.power=0.1,0.2").unwrap().check(true).unwrap_err();
        assert!(e.contains("Latin hypercube"), "{e}");
        assert!(Axis::parse("buyer.power").is_err());
        assert!(Axis::parse("sweep.lhs=1,2").unwrap().check(false).is_err());
    }

    #[test]
    fn paths_into_groups_and_shocks() {
        assert!(check_path("provider.groups.1.count").is_ok());
        assert!(check_path("buyer.groups.0.power").is_ok());
        assert!(check_path("demand.shocks.0.size").is_ok());
        let e = check_path("provider.groups.chain.count").unwrap_err();
        assert!(e.contains("not a table number"), "{e}");
        for other_spelling in [
            "provider.groups.01.count",
            "provider.groups.+1.count",
            "provider.groups. 1.count",
        ] {
            let e = check_path(other_spelling).unwrap_err();
            assert!(e.contains("not a table number"), "{e}");
        }
        assert_eq!(template_path("provider.groups.01.count"), "provider.groups.01.count");
        let e = check_path("provider.groups.0").unwrap_err();
        assert!(e.contains("whole table"), "{e}");
        let e = check_path("provider.groups.0.cuont").unwrap_err();
        assert!(e.contains("did you mean `count`"), "{e}");
        assert_eq!(template_path("provider.groups.12.unit_cost"), "provider.unit_cost");
        assert_eq!(template_path("demand.shocks.0.start"), "demand.shocks.start");
        assert_eq!(template_path("buyer.power"), "buyer.power");
        assert_eq!(field_kind("provider.groups.1.count"), Kind::Int);
        assert_eq!(field_kind("buyer.groups.0.units"), Kind::Int);
        assert_eq!(field_kind("demand.shocks.0.start"), Kind::Int);
        assert_eq!(field_kind("demand.shocks.0.size"), Kind::Real);
        assert_eq!(field_doc("provider.groups.1.capability").unwrap().name, "capability");
        // A group's value out of its field's range is named as for [provider].
        let e = Axis::parse("provider.groups.0.capability=0.5,1.5")
            .unwrap()
            .check(false)
            .unwrap_err();
        assert!(e.contains("out of range"), "{e}");
    }

    #[test]
    fn table_form_reads_back_equal() {
        let src = r#"
            lhs = 20
            vary = [
              "buyer.power=0.1:0.9",
              { path = "market.alternatives", min = 0, max = 6 },
            ]
        "#;
        let raw: RawSweep = toml::from_str(src).unwrap();
        let spec = SweepSpec::from_raw(&raw).unwrap();
        assert_eq!(spec.vary.len(), 2);
        let mut t = toml::Table::new();
        t.insert("s".into(), spec.to_toml());
        let text = toml::to_string(&t).unwrap();
        let back: toml::Table = toml::from_str(&text).unwrap();
        let raw: RawSweep = back["s"].clone().try_into().unwrap();
        assert_eq!(SweepSpec::from_raw(&raw).unwrap(), spec);
    }

    #[test]
    fn settings_are_checked() {
        let raw = RawSweep {
            vary: Some(vec!["buyer.power=0,1".into()]),
            runs: Some(100),
            precision: Some(0.01),
            ..Default::default()
        };
        assert_eq!(SweepSpec::from_raw(&raw).unwrap_err().path, "sweep.runs");
        let raw = RawSweep {
            vary: Some(vec!["buyer.power=0,1".into(), "buyer.power=0.5".into()]),
            ..Default::default()
        };
        assert_eq!(SweepSpec::from_raw(&raw).unwrap_err().path, "sweep.vary");
        let raw = RawSweep {
            vary: Some(vec![toml::Value::Integer(3)]),
            ..Default::default()
        };
        assert_eq!(SweepSpec::from_raw(&raw).unwrap_err().path, "sweep.vary.0");
    }
}
