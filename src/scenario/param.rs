//! Parameters that are either fixed or drawn from a distribution.
//!
//! Every numeric scenario field is a [`Param`]: a plain number in the file
//! (`power = 0.6`) or a table naming a distribution
//! (`power = { dist = "uniform", min = 0.3, max = 0.9 }`). A drawn value is
//! drawn once per run (`per = "run"`, the default) or, for buyer and provider
//! fields, once per agent in each run (`per = "agent"`). Distributions are
//! validated once, when the scenario is loaded, so sampling never fails.

use crate::math::{Beta, standard_normal};
use rand::{Rng, RngExt};

/// Whether a number is real-valued or a whole number (counts, periods).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Any real number within the range.
    Real,
    /// A whole number; drawn values are rounded to the nearest integer.
    Int,
}

/// When a drawn parameter is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Once per run for each group of agents (all buyers of a group, all
    /// providers of a group, the alternatives) or section, shared within it.
    Run,
    /// Once per agent per run (buyer and provider fields only).
    Agent,
}

/// A validated distribution over a field's allowed range.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    /// Always this value.
    Fixed(f64),
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Normal with `mean` and `sd`, truncated to `[min, max]` by rejection
    /// (falling back to clamping after 64 rejections, so it always ends;
    /// validation keeps the mean within the bounds and sd at most their
    /// width, so at least a third of the draws fall inside and the
    /// fallback all but never happens).
    Normal {
        /// Mean before truncation.
        mean: f64,
        /// Standard deviation before truncation.
        sd: f64,
        /// Lower truncation bound.
        min: f64,
        /// Upper truncation bound.
        max: f64,
    },
    /// Beta(a, b) scaled to `[min, max]`.
    Beta {
        /// First shape parameter (> 0).
        a: f64,
        /// Second shape parameter (> 0).
        b: f64,
        /// Lower end of the scaled support.
        min: f64,
        /// Upper end of the scaled support.
        max: f64,
    },
    /// Triangular on `[min, max]` with peak at `mode`.
    Triangular {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
}

/// A scenario parameter: a distribution, its scope and its number kind.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The distribution values are drawn from.
    pub dist: Dist,
    /// When values are drawn.
    pub scope: Scope,
    /// Real or whole number.
    pub kind: Kind,
}

impl Param {
    /// A fixed value.
    pub fn fixed(value: f64, kind: Kind) -> Self {
        Param {
            dist: Dist::Fixed(value),
            scope: Scope::Run,
            kind,
        }
    }

    /// True when the value is fixed (no random draw is ever made).
    pub fn is_fixed(&self) -> bool {
        matches!(self.dist, Dist::Fixed(_))
    }

    /// The value of a fixed parameter, or the mean of the distribution
    /// (ignoring truncation) for a drawn one. Used for descriptions only.
    pub fn central(&self) -> f64 {
        match self.dist {
            Dist::Fixed(v) => v,
            Dist::Uniform { min, max } => 0.5 * (min + max),
            Dist::Normal { mean, .. } => mean,
            Dist::Beta { a, b, min, max } => min + (max - min) * a / (a + b),
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
        }
    }

    /// The smallest and largest value it can take: (v, v) when fixed.
    pub fn bounds(&self) -> (f64, f64) {
        match self.dist {
            Dist::Fixed(v) => (v, v),
            Dist::Uniform { min, max }
            | Dist::Normal { min, max, .. }
            | Dist::Beta { min, max, .. }
            | Dist::Triangular { min, max, .. } => (min, max),
        }
    }

    /// Draws one value. Fixed parameters consume no random numbers.
    ///
    /// Inlined, so that the common fixed case costs a compare where a run's
    /// parameters are drawn; the random cases are drawn out of line.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self.dist {
            Dist::Fixed(v) => v,
            _ => self.sample_random(rng),
        }
    }

    /// Draws one value of a parameter that is not fixed.
    #[inline(never)]
    fn sample_random<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let x = match self.dist {
            // Not reached through `sample`; kept so the function is right
            // for any parameter.
            Dist::Fixed(v) => return v,
            Dist::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Dist::Normal { mean, sd, min, max } => sample_truncated_normal(rng, mean, sd, min, max),
            Dist::Beta { a, b, min, max } => {
                // Validated at load time: a > 0 and b > 0, so `new` succeeds.
                let beta = Beta::new(a, b).map(|d| d.sample(rng));
                min + (max - min) * beta.unwrap_or(0.5)
            }
            Dist::Triangular { min, mode, max } => sample_triangular(rng, min, mode, max),
        };
        match self.kind {
            Kind::Real => x,
            Kind::Int => x.round(),
        }
    }
}

fn sample_truncated_normal<R: Rng + ?Sized>(rng: &mut R, mean: f64, sd: f64, min: f64, max: f64) -> f64 {
    for _ in 0..64 {
        let z = standard_normal(rng);
        let x = mean + sd * z;
        if (min..=max).contains(&x) {
            return x;
        }
    }
    mean.clamp(min, max)
}

// Inverse-CDF sampling of the triangular distribution: rand_distr has one,
// but it takes a single draw the same way; writing it here keeps the number
// of draws per value documented and fixed at one.
fn sample_triangular<R: Rng + ?Sized>(rng: &mut R, min: f64, mode: f64, max: f64) -> f64 {
    let u: f64 = rng.random();
    let span = max - min;
    if span <= 0.0 {
        return min;
    }
    let f = (mode - min) / span;
    if u < f {
        min + (u * span * (mode - min)).sqrt()
    } else {
        max - ((1.0 - u) * span * (max - mode)).sqrt()
    }
}

/// Converts a parameter back to the TOML form it can be read from.
pub fn param_to_toml(p: &Param) -> toml::Value {
    use toml::Value;
    let num = |x: f64, kind: Kind| match kind {
        Kind::Int => Value::Integer(x as i64),
        Kind::Real => Value::Float(x),
    };
    let mut t = toml::Table::new();
    let name = match p.dist {
        Dist::Fixed(v) => return num(v, p.kind),
        Dist::Uniform { min, max } => {
            t.insert("min".into(), num(min, p.kind));
            t.insert("max".into(), num(max, p.kind));
            "uniform"
        }
        Dist::Normal { mean, sd, min, max } => {
            t.insert("mean".into(), Value::Float(mean));
            t.insert("sd".into(), Value::Float(sd));
            t.insert("min".into(), num(min, p.kind));
            t.insert("max".into(), num(max, p.kind));
            "normal"
        }
        Dist::Beta { a, b, min, max } => {
            t.insert("a".into(), Value::Float(a));
            t.insert("b".into(), Value::Float(b));
            t.insert("min".into(), num(min, p.kind));
            t.insert("max".into(), num(max, p.kind));
            "beta"
        }
        Dist::Triangular { min, mode, max } => {
            t.insert("min".into(), num(min, p.kind));
            t.insert("mode".into(), Value::Float(mode));
            t.insert("max".into(), num(max, p.kind));
            "triangular"
        }
    };
    t.insert("dist".into(), Value::String(name.into()));
    if p.scope == Scope::Agent {
        t.insert("per".into(), Value::String("agent".into()));
    }
    Value::Table(t)
}

/// Parses and validates one parameter value read from a scenario.
///
/// `range` is the field's allowed range; every value the parameter can take
/// must lie inside it. `agent_ok` says whether `per = "agent"` is allowed.
/// Errors are plain sentences; the caller adds the file and field path.
pub fn parse_param(value: &toml::Value, kind: Kind, range: (f64, f64), agent_ok: bool) -> Result<Param, String> {
    let (lo, hi) = range;
    let allowed = describe_range(kind, range);
    let check = |x: f64, what: &str| -> Result<f64, String> {
        if !x.is_finite() || x < lo || x > hi {
            return Err(format!("{what} {} is out of range; allowed: {allowed}", fmt_num(x)));
        }
        if kind == Kind::Int && x.fract() != 0.0 {
            return Err(format!(
                "{what} {} must be a whole number; allowed: {allowed}",
                fmt_num(x)
            ));
        }
        Ok(x)
    };
    match value {
        toml::Value::Integer(i) => Ok(Param::fixed(check(*i as f64, "value")?, kind)),
        toml::Value::Float(f) => Ok(Param::fixed(check(*f, "value")?, kind)),
        toml::Value::Table(t) => parse_dist_table(t, kind, range, agent_ok, &check),
        other => Err(format!(
            "expected a number or a distribution table such as {{ dist = \"uniform\", min = .., max = .. }}, found {}; allowed: {allowed}",
            other.type_str()
        )),
    }
}

fn parse_dist_table(
    t: &toml::Table,
    kind: Kind,
    (lo, hi): (f64, f64),
    agent_ok: bool,
    check: &dyn Fn(f64, &str) -> Result<f64, String>,
) -> Result<Param, String> {
    const DISTS: [&str; 5] = ["fixed", "uniform", "normal", "beta", "triangular"];
    let name = match t.get("dist") {
        Some(toml::Value::String(s)) => s.as_str(),
        Some(_) => return Err("`dist` must be a string".into()),
        None => {
            return Err(format!(
                "a distribution table needs `dist`, one of {}",
                DISTS.join(", ")
            ));
        }
    };
    let keys: &[&str] = match name {
        "fixed" => &["value"],
        "uniform" => &["min", "max"],
        "normal" => &["mean", "sd", "min", "max"],
        "beta" => &["a", "b", "min", "max"],
        "triangular" => &["min", "mode", "max"],
        other => {
            return Err(format!(
                "unknown distribution `{other}`{}; allowed: {}",
                suggest(other, DISTS.iter().copied()),
                DISTS.join(", ")
            ));
        }
    };
    for key in t.keys() {
        if key != "dist" && key != "per" && !keys.contains(&key.as_str()) {
            return Err(format!(
                "unknown key `{key}` in a `{name}` distribution{}; allowed: dist, per, {}",
                suggest(key, keys.iter().copied()),
                keys.join(", ")
            ));
        }
    }
    let scope = match t.get("per") {
        None => Scope::Run,
        Some(toml::Value::String(s)) if s == "run" => Scope::Run,
        Some(toml::Value::String(s)) if s == "agent" && agent_ok => Scope::Agent,
        Some(toml::Value::String(s)) if s == "agent" => {
            return Err("`per = \"agent\"` is allowed only for buyer and provider fields; allowed here: run".into());
        }
        Some(v) => return Err(format!("`per` is {v}; allowed: \"run\" or \"agent\"")),
    };
    let get = |key: &str| -> Result<Option<f64>, String> {
        match t.get(key) {
            None => Ok(None),
            Some(toml::Value::Integer(i)) => Ok(Some(*i as f64)),
            Some(toml::Value::Float(f)) => Ok(Some(*f)),
            Some(v) => Err(format!("`{key}` must be a number, found {}", v.type_str())),
        }
    };
    let need = |key: &str| -> Result<f64, String> {
        get(key)?.ok_or_else(|| format!("a `{name}` distribution needs `{key}` (keys: {})", keys.join(", ")))
    };
    let dist = match name {
        "fixed" => Dist::Fixed(check(need("value")?, "value")?),
        "uniform" => {
            let (min, max) = (check(need("min")?, "min")?, check(need("max")?, "max")?);
            ordered(min, max)?;
            Dist::Uniform { min, max }
        }
        "normal" => {
            let sd = need("sd")?;
            if !(sd.is_finite() && sd > 0.0) {
                return Err(format!("sd {} must be positive", fmt_num(sd)));
            }
            // Truncation bounds default to the field's range.
            let min = check(get("min")?.unwrap_or(lo), "min")?;
            let max = check(get("max")?.unwrap_or(hi), "max")?;
            ordered(min, max)?;
            let mean = need("mean")?;
            if !mean.is_finite() {
                return Err("mean must be finite".into());
            }
            // Draws outside the bounds are drawn again; with the mean inside
            // them and sd at most their width, at least a third of the
            // draws fall inside, so a value is (all but) never clamped.
            if !(min <= mean && mean <= max) {
                return Err(format!(
                    "mean {} must lie within the bounds {} to {} (min and max, by default the field's range)",
                    fmt_num(mean),
                    fmt_num(min),
                    fmt_num(max)
                ));
            }
            if min == max {
                return Err(format!(
                    "min and max are both {}: nothing is left to draw; allowed: min below max, or a fixed value",
                    fmt_num(min)
                ));
            }
            // (With a margin for rounding: 1 - 0.9 is below 0.1.)
            if sd > (max - min) * (1.0 + 1e-9) {
                return Err(format!(
                    "sd {} is wider than the bounds {} to {}: most draws would fall outside them; allowed: an sd of at most {} (or a uniform distribution)",
                    fmt_num(sd),
                    fmt_num(min),
                    fmt_num(max),
                    fmt_num(((max - min) * 1e12).round() / 1e12)
                ));
            }
            Dist::Normal { mean, sd, min, max }
        }
        "beta" => {
            let (a, b) = (need("a")?, need("b")?);
            if !(a.is_finite() && a > 0.0 && b.is_finite() && b > 0.0) {
                return Err(format!(
                    "beta needs a > 0 and b > 0, found a = {}, b = {}",
                    fmt_num(a),
                    fmt_num(b)
                ));
            }
            let min = check(get("min")?.unwrap_or(lo), "min")?;
            let max = check(get("max")?.unwrap_or(hi), "max")?;
            ordered(min, max)?;
            Dist::Beta { a, b, min, max }
        }
        _ => {
            let (min, max) = (check(need("min")?, "min")?, check(need("max")?, "max")?);
            let mode = need("mode")?;
            if !(min <= mode && mode <= max) {
                return Err(format!(
                    "triangular needs min <= mode <= max, found {} <= {} <= {}",
                    fmt_num(min),
                    fmt_num(mode),
                    fmt_num(max)
                ));
            }
            Dist::Triangular { min, mode, max }
        }
    };
    Ok(Param { dist, scope, kind })
}

fn ordered(min: f64, max: f64) -> Result<(), String> {
    if min <= max {
        Ok(())
    } else {
        Err(format!("min {} is above max {}", fmt_num(min), fmt_num(max)))
    }
}

/// The values a numeric field allows: a range, closed unless `low_open`
/// (a scheduled shock's size must be above -1, a drop of 100%).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Allowed {
    /// Real or whole number.
    pub kind: Kind,
    /// Lowest value (excluded if `low_open`).
    pub low: f64,
    /// Whether `low` itself is excluded.
    pub low_open: bool,
    /// Highest value (included); 1e15 or more means none.
    pub high: f64,
}

impl Allowed {
    /// The closed range `low..=high`.
    pub fn closed(kind: Kind, (low, high): (f64, f64)) -> Self {
        Allowed {
            kind,
            low,
            low_open: false,
            high,
        }
    }

    /// Whether `x` is allowed (and a whole number where one is needed).
    pub fn admits(&self, x: f64) -> bool {
        let above = if self.low_open { x > self.low } else { x >= self.low };
        above && x <= self.high && (self.kind == Kind::Real || x.fract() == 0.0)
    }

    /// The values as messages say them: "a number from 0 to 1", "a number
    /// above -1 and at most 1000", "a whole number of at least 1".
    pub fn describe(&self) -> String {
        let what = match self.kind {
            Kind::Int => "a whole number",
            Kind::Real => "a number",
        };
        match (self.low_open, self.high >= 1e15) {
            (false, false) => describe_range(self.kind, (self.low, self.high)),
            (false, true) => format!("{what} of at least {}", fmt_num(self.low)),
            (true, false) => format!("{what} above {} and at most {}", fmt_num(self.low), fmt_num(self.high)),
            (true, true) => format!("{what} above {}", fmt_num(self.low)),
        }
    }
}

/// Describes a range for error messages and the reference.
pub fn describe_range(kind: Kind, (lo, hi): (f64, f64)) -> String {
    let what = match kind {
        Kind::Int => "a whole number",
        Kind::Real => "a number",
    };
    format!("{what} from {} to {}", fmt_num(lo), fmt_num(hi))
}

/// Formats a number without a trailing `.0` for whole values.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else if x.abs() >= 1e15 {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// " (did you mean `x`?)" for the candidate closest to `word`, if close.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let best = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, c)) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn parse(s: &str, range: (f64, f64)) -> Result<Param, String> {
        let v: toml::Table = toml::from_str(&format!("x = {s}")).map_err(|e| e.to_string())?;
        parse_param(&v["x"], Kind::Real, range, true)
    }

    #[test]
    fn fixed_values_are_checked_against_the_range() {
        assert_eq!(parse("0.5", (0.0, 1.0)).unwrap().dist, Dist::Fixed(0.5));
        let err = parse("1.5", (0.0, 1.0)).unwrap_err();
        assert!(err.contains("out of range") && err.contains("from 0 to 1"), "{err}");
    }

    #[test]
    fn normal_truncation_defaults_to_the_field_range() {
        let p = parse("{ dist = \"normal\", mean = 0.5, sd = 0.3 }", (0.0, 1.0)).unwrap();
        assert_eq!(
            p.dist,
            Dist::Normal {
                mean: 0.5,
                sd: 0.3,
                min: 0.0,
                max: 1.0
            }
        );
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..10_000 {
            let x = p.sample(&mut rng);
            assert!((0.0..=1.0).contains(&x));
        }
    }

    /// A normal mostly outside its bounds would be clamped to a bound
    /// nearly every time: refused.
    #[test]
    fn a_normal_must_be_mostly_within_its_bounds() {
        let e = parse("{ dist = \"normal\", mean = 5, sd = 0.1 }", (0.0, 1.0)).unwrap_err();
        assert!(e.contains("mean 5 must lie within the bounds 0 to 1"), "{e}");
        let e = parse(
            "{ dist = \"normal\", mean = 0.95, sd = 0.2, min = 0.9, max = 1 }",
            (0.0, 1.0),
        )
        .unwrap_err();
        assert!(
            e.contains("sd 0.2 is wider than the bounds 0.9 to 1") && e.contains("at most 0.1 "),
            "{e}"
        );
        let e = parse(
            "{ dist = \"normal\", mean = 0.5, sd = 0.1, min = 0.5, max = 0.5 }",
            (0.0, 1.0),
        )
        .unwrap_err();
        assert!(
            e.contains("min and max are both 0.5") && e.contains("a fixed value"),
            "{e}"
        );
        // The edge: the mean on a bound and sd the bounds' width.
        let p = parse(
            "{ dist = \"normal\", mean = 0.9, sd = 0.1, min = 0.9, max = 1 }",
            (0.0, 1.0),
        )
        .unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let xs: Vec<f64> = (0..10_000).map(|_| p.sample(&mut rng)).collect();
        assert!(xs.iter().all(|x| (0.9..=1.0).contains(x)));
        // Truncated at one standard deviation above the mean: mean 0.9 + 0.1 *
        // (phi(0) - phi(1)) / (Phi(1) - Phi(0)) = 0.9459, not clamped to a bound.
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((m - 0.9459).abs() < 0.002, "{m}");
        assert!(xs.iter().filter(|&&x| x == 0.9).count() == 0, "no clamped draws");
        // A field without an upper bound (1e15 stands for none) takes a wide sd.
        parse("{ dist = \"normal\", mean = 100, sd = 1e6 }", (0.0, 1e15)).unwrap();
    }

    #[test]
    fn distributions_have_the_right_means() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for (src, mean) in [
            ("{ dist = \"uniform\", min = 2, max = 4 }", 3.0),
            ("{ dist = \"beta\", a = 2, b = 6, min = 0, max = 1 }", 0.25),
            ("{ dist = \"triangular\", min = 0, mode = 3, max = 6 }", 3.0),
        ] {
            let p = parse(src, (0.0, 10.0)).unwrap();
            let n = 200_000;
            let m: f64 = (0..n).map(|_| p.sample(&mut rng)).sum::<f64>() / n as f64;
            assert!((m - mean).abs() < 0.01, "{src}: {m}");
        }
    }

    #[test]
    fn bad_tables_name_what_is_allowed() {
        let e = parse("{ dist = \"unifrom\", min = 0, max = 1 }", (0.0, 1.0)).unwrap_err();
        assert!(e.contains("did you mean `uniform`"), "{e}");
        let e = parse("{ dist = \"uniform\", min = 0, mx = 1 }", (0.0, 1.0)).unwrap_err();
        assert!(e.contains("`mx`") && e.contains("min, max"), "{e}");
        let e = parse("{ dist = \"uniform\", min = 0.8, max = 0.2 }", (0.0, 1.0)).unwrap_err();
        assert!(e.contains("above max"), "{e}");
        let e = parse("{ dist = \"uniform\", min = 0, max = 2 }", (0.0, 1.0)).unwrap_err();
        assert!(e.contains("max 2 is out of range"), "{e}");
        let e = parse("\"high\"", (0.0, 1.0)).unwrap_err();
        assert!(e.contains("expected a number"), "{e}");
    }

    #[test]
    fn int_params_round_and_reject_fractions() {
        let v: toml::Table = toml::from_str("x = 2.5\ny = { dist = \"uniform\", min = 0, max = 3 }").unwrap();
        assert!(parse_param(&v["x"], Kind::Int, (0.0, 10.0), false).is_err());
        let p = parse_param(&v["y"], Kind::Int, (0.0, 10.0), false).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        assert!((0..100).all(|_| p.sample(&mut rng).fract() == 0.0));
    }

    #[test]
    fn round_trip_through_toml() {
        for src in [
            "0.25",
            "{ dist = \"normal\", mean = 0.5, sd = 0.1, min = 0.2, max = 0.9, per = \"agent\" }",
            "{ dist = \"triangular\", min = 0.1, mode = 0.2, max = 0.9 }",
        ] {
            let p = parse(src, (0.0, 1.0)).unwrap();
            let back = parse_param(&param_to_toml(&p), Kind::Real, (0.0, 1.0), true).unwrap();
            assert_eq!(p, back);
        }
    }

    #[test]
    fn allowed_ranges_admit_and_describe_their_values() {
        let share = Allowed::closed(Kind::Real, (0.0, 1.0));
        assert!(share.admits(0.0) && share.admits(1.0) && !share.admits(-1e-9) && !share.admits(1.0 + 1e-9));
        assert_eq!(share.describe(), "a number from 0 to 1");
        let change = Allowed {
            kind: Kind::Real,
            low: -1.0,
            low_open: true,
            high: 1000.0,
        };
        assert!(!change.admits(-1.0) && change.admits(-0.999) && change.admits(1000.0) && !change.admits(1000.5));
        assert_eq!(change.describe(), "a number above -1 and at most 1000");
        let periods = Allowed::closed(Kind::Int, (1.0, 1e15));
        assert!(periods.admits(3.0) && !periods.admits(2.5) && !periods.admits(0.0));
        assert_eq!(periods.describe(), "a whole number of at least 1");
        let open = Allowed { high: 1e15, ..change };
        assert_eq!(open.describe(), "a number above -1");
    }
}
