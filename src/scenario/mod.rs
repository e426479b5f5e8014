//! Scenarios: the TOML file format, its validation and the built-in files.
//!
//! Loading has two stages. The file is parsed into a TOML table, `--set`
//! overrides are applied to that table, and serde reads it into the raw
//! structs that mirror the file (`deny_unknown_fields`). The raw form is then
//! validated once into a typed [`Scenario`] in which every value is in range,
//! so the simulation itself cannot fail on input.

pub mod builtin;
pub mod fields;
pub mod param;
pub mod schema;
pub mod sweep;

pub use fields::*;
pub use param::{Dist, Kind, Param, Scope};
pub use schema::{FieldDoc, FieldError};

use serde::Deserialize;

/// A scenario that cannot be used, with where and why.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{file}: {}{message}", if path.is_empty() { String::new() } else { format!("`{path}`: ") })]
pub struct ScenarioError {
    /// The file (or built-in name, or `--set`) the problem is in.
    pub file: String,
    /// Dotted path of the field, empty when the problem is the whole file.
    pub path: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl ScenarioError {
    /// Whether this error is about the `PATH=VALUE` override `set`: about
    /// its path or a field under it, or one the set brought about
    /// elsewhere (its message ends "(after `set`)", see
    /// [`Scenario::from_toml_str_with`]), or, for a set that is not of that
    /// form, about the set itself.
    pub fn comes_from(&self, set: &str) -> bool {
        if self.message.ends_with(&after_set(set)) {
            return true;
        }
        match set.split_once('=') {
            Some((p, _)) => {
                let p = p.trim();
                self.path == p || self.path.strip_prefix(p).is_some_and(|rest| rest.starts_with('.'))
            }
            None => self.path.is_empty() && self.message.contains(&format!("`{set}`")),
        }
    }
}

/// The end of the message of an error that `set` brought about elsewhere.
fn after_set(set: &str) -> String {
    format!("(after `{}`)", set.trim())
}

/// Of `sets` applied in turn to a `table` that validates alone, the first
/// after which it no longer does; `None` when the table alone fails.
fn first_failing_set<'a>(mut table: toml::Table, file: &str, sets: &'a [String]) -> Option<&'a str> {
    if Scenario::from_table(table.clone(), file).is_err() {
        return None;
    }
    for set in sets {
        apply_set(&mut table, set).ok()?;
        if Scenario::from_table(table.clone(), file).is_err() {
            return Some(set);
        }
    }
    None
}

/// Length of one period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// A month.
    Month,
    /// A quarter.
    Quarter,
    /// A year.
    Year,
}

impl PeriodKind {
    /// Periods per year.
    pub fn per_year(self) -> u32 {
        match self {
            PeriodKind::Month => 12,
            PeriodKind::Quarter => 4,
            PeriodKind::Year => 1,
        }
    }

    /// The word for one period.
    pub fn name(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        }
    }
}

/// The `[time]` table as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTime {
    /// month, quarter or year.
    pub period: Option<PeriodKind>,
    /// Number of periods simulated.
    pub periods: Option<u32>,
    /// Calendar date of period 0: "2016", "2016Q3" or "2016-07".
    pub start: Option<String>,
    /// Name of the currency unit, e.g. "MSEK".
    pub currency: Option<String>,
}

/// One scheduled shock as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShock {
    /// Label for reports.
    pub name: Option<String>,
    /// First period of the shock (0-based).
    pub start: Option<u32>,
    /// Number of periods it lasts; omitted means it lasts to the horizon (a step).
    pub duration: Option<u32>,
    /// Relative change in demand: 3.0 quadruples it, -0.5 halves it.
    pub size: Option<f64>,
    /// Relative change in the buyer's budget for the service (a policy reversal cutting compensation is negative).
    pub budget: Option<f64>,
}

/// A whole scenario file as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Short name, used for the default output folder.
    pub name: Option<String>,
    /// One line describing the scenario.
    pub description: Option<String>,
    /// Master seed.
    pub seed: Option<u64>,
    /// Number of runs.
    pub runs: Option<u64>,
    /// Experiment point whose random streams `run` and `story` use.
    pub point: Option<u64>,
    /// Version of backsim that wrote a resolved scenario (informational).
    pub version: Option<String>,
    /// `[time]`.
    pub time: Option<RawTime>,
    /// `[buyer]`.
    pub buyer: Option<RawBuyer>,
    /// `[provider]`.
    pub provider: Option<RawProvider>,
    /// `[contract]`.
    pub contract: Option<RawContract>,
    /// `[market]`.
    pub market: Option<RawMarket>,
    /// `[demand]`.
    pub demand: Option<RawDemand>,
    /// `[trust]`.
    pub trust: Option<RawTrust>,
    /// `[legal]`.
    pub legal: Option<RawLegal>,
    /// `[transition]`.
    pub transition: Option<RawTransition>,
    /// `[sweep]`: what `backsim sweep` varies (ignored by `backsim run`).
    pub sweep: Option<sweep::RawSweep>,
}

/// Calendar settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Time {
    /// Length of a period.
    pub period: PeriodKind,
    /// Number of periods.
    pub periods: u32,
    /// Start as (year, period within the year, 0-based), if given.
    pub start: Option<(i32, u32)>,
    /// Currency name.
    pub currency: String,
}

impl Time {
    /// A label for period `t`: "2016 Q3", "2016-07", "2016", or "period 12".
    pub fn label(&self, t: u32) -> String {
        match self.start {
            None => format!("period {t}"),
            Some((year, sub)) => {
                let per = self.period.per_year();
                let abs = sub + t;
                let (y, s) = (year + (abs / per) as i32, abs % per);
                match self.period {
                    PeriodKind::Year => format!("{y}"),
                    PeriodKind::Quarter => format!("{y} Q{}", s + 1),
                    PeriodKind::Month => format!("{y}-{:02}", s + 1),
                }
            }
        }
    }

    fn start_string(&self) -> Option<String> {
        self.start.map(|(y, s)| match self.period {
            PeriodKind::Year => format!("{y}"),
            PeriodKind::Quarter => format!("{y}Q{}", s + 1),
            PeriodKind::Month => format!("{y}-{:02}", s + 1),
        })
    }
}

/// What a scheduled shock's `size` and `budget` allow: above -1 (a drop of
/// 100%), at most 1000.
const SHOCK_CHANGE: param::Allowed = param::Allowed {
    kind: param::Kind::Real,
    low: -1.0,
    low_open: true,
    high: 1000.0,
};

/// The values a scheduled shock's numeric field can take in a scenario of
/// `periods` periods, as a range to vary it over: `start` within the
/// horizon, `duration` from 1 to the horizon (a file may give a longer one,
/// which [`validate_shock`] accepts; it ends at the horizon all the same),
/// `size` and `budget` above -1. `None` for `name` and unknown fields.
fn shock_allowed(field: &str, periods: u32) -> Option<param::Allowed> {
    let horizon = f64::from(periods);
    match field {
        "start" => Some(param::Allowed::closed(param::Kind::Int, (0.0, horizon - 1.0))),
        "duration" => Some(param::Allowed::closed(param::Kind::Int, (1.0, horizon))),
        "size" | "budget" => Some(SHOCK_CHANGE),
        _ => None,
    }
}

/// A validated scheduled shock.
#[derive(Clone, Debug, PartialEq)]
pub struct Shock {
    /// Label.
    pub name: String,
    /// First period.
    pub start: u32,
    /// Periods it lasts; `None` to the horizon.
    pub duration: Option<u32>,
    /// Relative change in demand (> -1).
    pub size: f64,
    /// Relative change in the buyer's budget (> -1).
    pub budget: f64,
}

impl Shock {
    /// Whether the shock is in force in period `t`.
    pub fn active(&self, t: u32) -> bool {
        t >= self.start && self.duration.is_none_or(|d| t < self.start.saturating_add(d))
    }
}

/// A group of identical buyers.
#[derive(Clone, Debug, PartialEq)]
pub struct BuyerGroup {
    /// Group name.
    pub name: String,
    /// Number of buyers.
    pub count: u32,
    /// Units per buyer contracted at the start.
    pub units: u32,
    /// Dormant units per buyer, opened when demand surges.
    pub reserve_units: u32,
    /// Level of government.
    pub level: Level,
    /// Parameters.
    pub params: BuyerParams,
    /// The fields the group's own `[[buyer.groups]]` table sets (numeric
    /// fields, `count`, `units`, `reserve_units`, `level`); the others come
    /// from `[buyer]`. `None` for the `[buyer]` table itself, and for the
    /// one group of a file without groups. The resolved file
    /// ([`Scenario::to_toml`]) writes only these, so that it inherits as
    /// the original did: `--set buyer.power=...` on it reaches the groups
    /// that do not set `power` themselves, and no others.
    pub given: Option<Vec<&'static str>>,
}

/// A group of identical providers.
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderGroup {
    /// Group name.
    pub name: String,
    /// Number of providers.
    pub count: u32,
    /// Share of the initial contracts.
    pub share: f64,
    /// Kind of organisation.
    pub kind: ProviderKind,
    /// Parameters.
    pub params: ProviderParams,
    /// The fields the group's own `[[provider.groups]]` table sets (numeric
    /// fields, `count`, `kind`, `share`); the others come from `[provider]`. `None`
    /// for the one group of a file without groups. See [`BuyerGroup::given`].
    pub given: Option<Vec<&'static str>>,
}

/// A validated scenario: everything the model needs, every value in range.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Short name.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Master seed.
    pub seed: u64,
    /// Number of runs.
    pub runs: u64,
    /// Experiment point whose random streams `backsim run` and `backsim
    /// story` use (0 unless set; a sweep's point K uses K).
    pub point: u64,
    /// Calendar.
    pub time: Time,
    /// Buyer groups (at least one).
    pub buyers: Vec<BuyerGroup>,
    /// The `[buyer]` table, which groups inherit from (with no groups, the
    /// same as the one buyer group).
    pub buyer_template: BuyerGroup,
    /// Incumbent provider groups (at least one).
    pub providers: Vec<ProviderGroup>,
    /// The `[provider]` table, which groups inherit from (with no groups,
    /// the same as the one provider group), and the template of
    /// alternatives and entrants (its `params` and `kind`).
    pub provider_template: ProviderGroup,
    /// Contract form.
    pub form: Form,
    /// Contract terms.
    pub contract: ContractParams,
    /// Market.
    pub market: MarketParams,
    /// Demand.
    pub demand: DemandParams,
    /// Scheduled shocks.
    pub shocks: Vec<Shock>,
    /// Trust.
    pub trust: TrustParams,
    /// Disputes and legal cases.
    pub legal: LegalParams,
    /// Backsourcing transition.
    pub transition: TransitionParams,
    /// The `[sweep]` table, if the file has one (used only by `backsim sweep`).
    pub sweep: Option<sweep::SweepSpec>,
}

impl Default for Scenario {
    fn default() -> Self {
        // The empty file is valid: every field has a default.
        match Scenario::from_table(toml::Table::new(), "defaults") {
            Ok(s) => s,
            Err(e) => unreachable!("the empty scenario is valid: {e}"),
        }
    }
}

/// Loads a scenario by path or built-in name (`None`: the built-in
/// default), applying `PATH=VALUE` overrides. A name that is neither an
/// existing file nor a built-in is an error listing the built-ins.
pub fn load(spec: Option<&str>, sets: &[String]) -> Result<Scenario, ScenarioError> {
    // No scenario named: the built-in default, whatever files are here.
    let Some(spec) = spec else {
        let text = builtin::find(builtin::DEFAULT).unwrap_or_default();
        return Scenario::from_toml_str_with(text, builtin::DEFAULT, sets);
    };
    let path = std::path::Path::new(spec);
    let looks_like_path = spec.contains(['/', '\\']) || spec.ends_with(".toml");
    if path.is_file() || looks_like_path {
        let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
            file: spec.into(),
            path: String::new(),
            message: format!(
                "cannot read the scenario file: {}",
                if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file".to_string()
                } else {
                    e.to_string()
                }
            ),
        })?;
        return Scenario::from_toml_str_with(&text, spec, sets);
    }
    match builtin::find(spec) {
        Some(text) => Scenario::from_toml_str_with(text, spec, sets),
        None => Err(ScenarioError {
            file: spec.into(),
            path: String::new(),
            message: format!(
                "no such file, and no built-in scenario of that name{}; built-ins: {}",
                param::suggest(spec, builtin::names()),
                builtin::names().collect::<Vec<_>>().join(", ")
            ),
        }),
    }
}

/// The scenario reference in Markdown: every field of every section with
/// default, range, unit and meaning. `docs/scenario-reference.md` is this.
pub fn reference_markdown() -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "# Scenario reference\n\nGenerated by `backsim reference`; do not edit by hand. Every numeric field takes a number or a distribution table (`{ dist = \"uniform\", min = .., max = .. }`, `normal` with `mean`, `sd` and optional `min`/`max` (the mean within them and `sd` at most their width), `beta` with `a`, `b` and optional `min`/`max`, `triangular` with `min`, `mode`, `max`, or `fixed` with `value`), drawn once per run, or once per agent with `per = \"agent\"` in `[buyer]` and `[provider]`. Money is relative to the opening price `contract.price` unless the unit says otherwise.\n",
    );
    let buyer_note = format!(
        "Also: `count` (buyers, 1 to 100000, default 1), `units` (contracted units per buyer at the start, 1 to 10000, default 4), `reserve_units` (dormant units per buyer that expansion can contract, 0 to 10000, default 0), `level` (municipal, regional, national), `[[buyer.groups]]` (tables with the same fields plus `name`; unset fields come from `[buyer]`; on the command line group K's field is `buyer.groups.K.FIELD`, K from 0). A world holds at most {MAX_UNITS} units in all (count x (units + reserve_units), over all groups) and at most {MAX_PAIRS} buyer-provider pairs (buyers x (incumbents + the largest `market.alternatives` + the largest `market.max_entrants`))."
    );
    let sections: [(&str, &[FieldDoc], &str); 8] = [
        ("buyer", BuyerParams::FIELDS, &buyer_note),
        (
            "provider",
            ProviderParams::FIELDS,
            "Also: `count` (incumbent providers, 1 to 100000, default 1), `kind` (commercial, nonprofit, state_owned; a state-owned provider never fails), `[[provider.groups]]` (tables with the same fields plus `name` and `share`, the share of initial contracts: groups without one split what the given shares leave in proportion to their numbers of providers, and shares given for every group add up to 1; unset fields come from `[provider]`, which is also the template for alternatives and entrants; on the command line group K's field is `provider.groups.K.FIELD`, K from 0).",
        ),
        (
            "contract",
            ContractParams::FIELDS,
            "Also: `form` (procurement or partnership, default procurement).",
        ),
        ("market", MarketParams::FIELDS, ""),
        (
            "demand",
            DemandParams::FIELDS,
            "Also: `shocks`, a list of scheduled shocks `{ name, start, duration, size, budget }`: from period `start` (0-based) for `duration` periods (omit it for a lasting step, such as a policy reversal), demand is multiplied by 1 + `size` and the buyer's budget by 1 + `budget`; both must be above -1. On the command line shock K's field is `demand.shocks.K.FIELD`, K from 0.",
        ),
        ("trust", TrustParams::FIELDS, ""),
        ("legal", LegalParams::FIELDS, ""),
        ("transition", TransitionParams::FIELDS, ""),
    ];
    let _ = writeln!(
        out,
        "\n## Top level and `[time]`\n\n| field | default | allowed | meaning |\n|---|---|---|---|\n| `name` | scenario | letters, digits, `-`, `_`; at most 100 | names the default output folder |\n| `description` | empty | text | one line shown by `backsim scenarios` |\n| `seed` | 1 | 0 to 2^63-1 | master seed (`--seed` overrides) |\n| `runs` | 10000 | 1 to {MAX_RUNS} | number of runs (`--runs` overrides) |\n| `point` | 0 | 0 to 2^63-1 | experiment point whose random streams `backsim run` and `backsim story` use, as point K of a sweep (`run --point` overrides, and writes it); sweeps, comparisons and sensitivity analyses number their own points |\n| `version` | | text | written into resolved scenarios; informational |\n| `time.period` | quarter | month, quarter, year | length of a period |\n| `time.periods` | 40 | 1 to 10000 | horizon; prices and demand may grow over it by a factor (1 + `market.inflation`)^periods and (1 + `demand.trend`)^periods from {MIN_GROWTH:e} to {MAX_GROWTH:e}, for every value the rates can take |\n| `time.start` | none | \"YYYY\", \"YYYYQn\", \"YYYY-MM\"; years 1000 to 9999 | calendar date of period 0, for labels |\n| `time.currency` | MSEK | text | name of the money unit |"
    );
    for (name, fields, note) in sections {
        let _ = writeln!(out, "\n## `[{name}]`\n");
        if !note.is_empty() {
            let _ = writeln!(out, "{note}\n");
        }
        let _ = writeln!(
            out,
            "| field | default | allowed | unit | meaning |\n|---|---|---|---|---|"
        );
        for f in fields {
            let _ = writeln!(
                out,
                "| `{name}.{}` | {} | {} | {} | {} |",
                f.name,
                param::fmt_num(f.default),
                param::describe_range(f.kind, f.range),
                f.unit,
                f.doc.trim()
            );
        }
    }
    out.push_str(SWEEP_REFERENCE);
    out
}

/// The `[sweep]` section of the reference.
const SWEEP_REFERENCE: &str = "\n## `[sweep]`\n\nOnly `backsim sweep` reads this table; `backsim run` checks it and ignores it. The same can be given on the command line (`--vary`, `--lhs`, `--runs`, `--precision`, `--max-runs`, `--batch`), which replaces the table's values.\n\n| field | default | allowed | meaning |\n|---|---|---|---|\n| `sweep.vary` | none | a list | the varied fields, in order (the grid varies the last fastest); each `\"PATH=a,b,c\"`, `\"PATH=lo:hi:n\"`, `\"PATH=lo:hi\"` (as `--vary`), or a table `{ path = \"buyer.power\", values = [0.2, 0.5] }` or `{ path = \"buyer.power\", min = 0, max = 1, points = 11 }` (no `points` with `lhs`) |\n| `sweep.lhs` | none | 1 to 1000000 | instead of the full grid, a Latin hypercube of this many points over the ranges, drawn from the seed |\n| `sweep.runs` | the scenario's `runs` | 1 to 1000000000 | runs per point |\n| `sweep.precision` | none | above 0, at most 0.5 | run each point in batches until every outcome share's 95% interval half-width is at most this |\n| `sweep.max_runs` | 1000000 | 1 to 1000000000 | most runs per point with `precision` |\n| `sweep.batch` | 1000 | 1 to 1000000000 | runs per batch with `precision` |\n";

/// Most runs a scenario may ask for.
pub const MAX_RUNS: u64 = 1_000_000_000;
/// Most service units in a world (over all buyers, reserve units included).
pub const MAX_UNITS: u64 = 1_000_000;
/// Most buyer-provider pairs (buyers x every provider that may take part),
/// whose trust a world keeps: 64 MB for the two trust matrices.
pub const MAX_PAIRS: u64 = 4_000_000;
/// Smallest growth of prices or demand over the horizon, (1 + rate)^periods.
pub const MIN_GROWTH: f64 = 1e-9;
/// Largest growth of prices or demand over the horizon.
pub const MAX_GROWTH: f64 = 1e9;
/// Largest seed and point: TOML integers are signed 64-bit.
pub const MAX_SEED: u64 = i64::MAX as u64;

impl Scenario {
    /// Parses and validates scenario text; `file` names it in errors.
    pub fn from_toml_str(text: &str, file: &str) -> Result<Self, ScenarioError> {
        Self::from_toml_str_with(text, file, &[])
    }

    /// Like [`Scenario::from_toml_str`], with `PATH=VALUE` overrides applied
    /// to the file before validation.
    pub fn from_toml_str_with(text: &str, file: &str, sets: &[String]) -> Result<Self, ScenarioError> {
        let mut table: toml::Table = toml::from_str(text).map_err(|e| ScenarioError {
            file: file.into(),
            path: String::new(),
            message: toml_error(text, &e),
        })?;
        let original = (!sets.is_empty()).then(|| table.clone());
        for set in sets {
            if let Err(e) = apply_set(&mut table, set) {
                // A file that fails on its own reports its own fault, which
                // may be what stopped the set (`[provider.groups]` written
                // as one table where a set numbers a list of them).
                if let Some(Err(file_error)) = original.map(|t| Self::from_table(t, file)) {
                    return Err(file_error);
                }
                return Err(e);
            }
        }
        Self::from_table(table, file).map_err(|mut e| {
            // A value that came from `--set` is the command line's fault,
            // not the file's.
            if sets.iter().any(|set| e.comes_from(set)) {
                e.file = "--set".into();
            } else if let Some(set) = original.and_then(|t| first_failing_set(t, file, sets)) {
                // So is an error elsewhere that the file alone does not
                // have: the shares of the groups after one group's share
                // was set, a group renamed to another group's name.
                e.file = "--set".into();
                e.message = format!("{} {}", e.message, after_set(set));
            }
            e
        })
    }

    /// Validates a TOML table.
    pub fn from_table(table: toml::Table, file: &str) -> Result<Self, ScenarioError> {
        let raw: RawScenario =
            serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| raw_error(e, file))?;
        validate(&raw).map_err(|e| ScenarioError {
            file: file.into(),
            path: e.path,
            message: e.message,
        })
    }

    /// Whether two scenarios simulate the same: equal but for their name
    /// and description, and for how their groups inherit (which fields a
    /// group set itself, and `[buyer]` and `[provider]` values that every
    /// group overrides, which the model never reads).
    pub fn same_design(&self, other: &Scenario) -> bool {
        fn effective(s: &Scenario) -> Scenario {
            let mut e = s.clone();
            e.name.clear();
            e.description.clear();
            for g in &mut e.buyers {
                g.given = None;
            }
            for g in &mut e.providers {
                g.given = None;
            }
            // The model reads the groups, and `[provider]`'s parameters and
            // kind for alternatives and entrants; not these.
            e.buyer_template = e.buyers[0].clone();
            e.provider_template.count = 0;
            e
        }
        effective(self) == effective(other)
    }

    /// The parameter at a dotted path (`contract.price`): for `buyer.*` and
    /// `provider.*` the `[buyer]` and `[provider]` tables' (what `--set` on
    /// that path changes; groups that set the field themselves keep theirs),
    /// for `buyer.groups.K.*` and `provider.groups.K.*` group K's.
    pub fn param(&self, path: &str) -> Option<&param::Param> {
        fn find<'a>(params: &[(&'static FieldDoc, &'a param::Param)], name: &str) -> Option<&'a param::Param> {
            params.iter().find(|(d, _)| d.name == name).map(|(_, p)| *p)
        }
        // One group's: `provider.groups.1.unit_cost`.
        if let [section, "groups", k, name] = path.split('.').collect::<Vec<_>>().as_slice() {
            let k = table_number(k)?;
            // A file without groups has none to number.
            return match *section {
                "buyer" => self
                    .buyers
                    .get(k)
                    .filter(|g| g.given.is_some())
                    .and_then(|g| find(&g.params.params(), name)),
                "provider" => self
                    .providers
                    .get(k)
                    .filter(|g| g.given.is_some())
                    .and_then(|g| find(&g.params.params(), name)),
                _ => None,
            };
        }
        let (section, name) = path.split_once('.')?;
        match section {
            "buyer" => find(&self.buyer_template.params.params(), name),
            "provider" => find(&self.provider_template.params.params(), name),
            "contract" => find(&self.contract.params(), name),
            "market" => find(&self.market.params(), name),
            "demand" => find(&self.demand.params(), name),
            "trust" => find(&self.trust.params(), name),
            "legal" => find(&self.legal.params(), name),
            "transition" => find(&self.transition.params(), name),
            _ => None,
        }
    }

    /// A scheduled shock's numeric field at `demand.shocks.K.FIELD`: what
    /// it allows and its value (`None` for a `duration` not given, a shock
    /// lasting to the horizon). `Ok(None)` for a path not into a shock; an
    /// error names a shock the scenario does not have or a field that is not
    /// a number, and the allowed ones.
    pub fn shock_field(&self, path: &str) -> Result<Option<(param::Allowed, Option<f64>)>, String> {
        let parts: Vec<&str> = path.split('.').collect();
        let ["demand", "shocks", rest @ ..] = parts.as_slice() else {
            return Ok(None);
        };
        const FIELDS: [&str; 4] = ["start", "duration", "size", "budget"];
        let Some(k) = rest.first() else {
            return Err(format!(
                "`{path}` is the list of scheduled shocks; vary one shock's field: demand.shocks.K.FIELD (K = 0 for the first; FIELD one of {})",
                FIELDS.join(", ")
            ));
        };
        let Some(shock) = table_number(k).and_then(|k| self.shocks.get(k)) else {
            if self.shocks.is_empty() {
                return Err(format!(
                    "`{path}`: the scenario has no scheduled shocks; allowed: a shock of the file (add one to `demand.shocks` with --set or in the file), or the random shocks' `demand.shock_size` and `demand.shock_rate`"
                ));
            }
            let entries: Vec<String> = self
                .shocks
                .iter()
                .enumerate()
                .map(|(k, s)| entry_label(&["demand", "shocks"], k, &s.name))
                .collect();
            return Err(format!(
                "`{path}`: `{k}` is not one of the scenario's scheduled shocks; allowed: {}",
                entries.join(", ")
            ));
        };
        let [_, field] = rest else {
            return Err(format!(
                "`{path}` is not one field of shock {k}; allowed: demand.shocks.{k}.FIELD, FIELD one of {}",
                FIELDS.join(", ")
            ));
        };
        let Some(allowed) = shock_allowed(field, self.time.periods) else {
            return Err(format!(
                "`{path}` is not a number field of a shock{}; allowed: {}",
                param::suggest(field, FIELDS),
                FIELDS.join(", ")
            ));
        };
        let value = match *field {
            "start" => Some(f64::from(shock.start)),
            "duration" => shock.duration.map(f64::from),
            "size" => Some(shock.size),
            _ => Some(shock.budget),
        };
        Ok(Some((allowed, value)))
    }

    /// The groups of `section` (`buyer` or `provider`) that a path such as
    /// `provider.groups.1.count` can number, as messages name them
    /// (`1 (local firm)`); none for a file without groups.
    pub fn group_entries(&self, section: &str) -> Vec<String> {
        let groups: Vec<(&str, bool)> = match section {
            "buyer" => self
                .buyers
                .iter()
                .map(|g| (g.name.as_str(), g.given.is_some()))
                .collect(),
            "provider" => self
                .providers
                .iter()
                .map(|g| (g.name.as_str(), g.given.is_some()))
                .collect(),
            _ => Vec::new(),
        };
        groups
            .iter()
            .enumerate()
            .filter(|(_, (_, from_file))| *from_file)
            .map(|(k, (name, _))| entry_label(&[section, "groups"], k, name))
            .collect()
    }

    /// Total number of buyers.
    pub fn buyer_count(&self) -> usize {
        self.buyers.iter().map(|g| g.count as usize).sum()
    }

    /// Total number of service units, reserve units included.
    pub fn unit_count(&self) -> usize {
        self.buyers
            .iter()
            .map(|g| g.count as usize * (g.units + g.reserve_units) as usize)
            .sum()
    }

    /// Number of units contracted at the start.
    pub fn contracted_unit_count(&self) -> usize {
        self.buyers.iter().map(|g| (g.count * g.units) as usize).sum()
    }

    /// Total number of incumbent providers.
    pub fn incumbent_count(&self) -> usize {
        self.providers.iter().map(|g| g.count as usize).sum()
    }

    /// The fully resolved scenario as TOML: every default filled in, with
    /// the seed, the number of runs and the version. Reading it back gives
    /// an equal scenario.
    pub fn to_toml(&self) -> String {
        use toml::Value;
        let mut top = toml::Table::new();
        top.insert("name".into(), Value::String(self.name.clone()));
        top.insert("description".into(), Value::String(self.description.clone()));
        top.insert("seed".into(), Value::Integer(self.seed as i64));
        top.insert("runs".into(), Value::Integer(self.runs as i64));
        if self.point != 0 {
            top.insert("point".into(), Value::Integer(self.point as i64));
        }
        top.insert("version".into(), Value::String(crate::VERSION.into()));

        let mut time = toml::Table::new();
        time.insert("period".into(), Value::String(self.time.period.name().into()));
        time.insert("periods".into(), Value::Integer(self.time.periods.into()));
        if let Some(s) = self.time.start_string() {
            time.insert("start".into(), Value::String(s));
        }
        time.insert("currency".into(), Value::String(self.time.currency.clone()));
        top.insert("time".into(), Value::Table(time));

        let buyer_table = |g: &BuyerGroup| {
            let fields = [
                ("count", Value::Integer(g.count.into())),
                ("units", Value::Integer(g.units.into())),
                ("reserve_units", Value::Integer(g.reserve_units.into())),
                ("level", Value::String(level_name(g.level).into())),
            ];
            group_table(&g.name, g.given.as_deref(), &[], fields, |t, given| match given {
                None => g.params.write_toml(t),
                Some(own) => g.params.write_toml_given(own, t),
            })
        };
        let provider_table = |g: &ProviderGroup| {
            // A share is written only where the group gave one: the groups
            // without one split what is left by their counts, which a
            // `--set provider.count` may change.
            let share = [("share", Value::Float(g.share))];
            let fields = [
                ("count", Value::Integer(g.count.into())),
                ("kind", Value::String(kind_name(g.kind).into())),
            ];
            let own_share = g.given.as_ref().is_some_and(|own| own.contains(&"share"));
            let head: &[_] = if own_share { &share } else { &[] };
            group_table(&g.name, g.given.as_deref(), head, fields, |t, given| match given {
                None => g.params.write_toml(t),
                Some(own) => g.params.write_toml_given(own, t),
            })
        };
        let mut buyer = buyer_table(&self.buyer_template);
        if self.buyers.iter().any(|g| g.given.is_some()) {
            let groups = self.buyers.iter().map(|g| Value::Table(buyer_table(g))).collect();
            buyer.insert("groups".into(), Value::Array(groups));
        }
        top.insert("buyer".into(), Value::Table(buyer));
        let mut provider = provider_table(&self.provider_template);
        if self.providers.iter().any(|g| g.given.is_some()) {
            let groups = self.providers.iter().map(|g| Value::Table(provider_table(g))).collect();
            provider.insert("groups".into(), Value::Array(groups));
        }
        top.insert("provider".into(), Value::Table(provider));

        let mut contract = toml::Table::new();
        contract.insert("form".into(), Value::String(form_name(self.form).into()));
        self.contract.write_toml(&mut contract);
        top.insert("contract".into(), Value::Table(contract));
        let mut market = toml::Table::new();
        self.market.write_toml(&mut market);
        top.insert("market".into(), Value::Table(market));
        let mut demand = toml::Table::new();
        self.demand.write_toml(&mut demand);
        let shocks = self
            .shocks
            .iter()
            .map(|s| {
                let mut t = toml::Table::new();
                t.insert("name".into(), Value::String(s.name.clone()));
                t.insert("start".into(), Value::Integer(s.start.into()));
                if let Some(d) = s.duration {
                    t.insert("duration".into(), Value::Integer(d.into()));
                }
                t.insert("size".into(), Value::Float(s.size));
                t.insert("budget".into(), Value::Float(s.budget));
                Value::Table(t)
            })
            .collect();
        demand.insert("shocks".into(), Value::Array(shocks));
        top.insert("demand".into(), Value::Table(demand));
        for (name, write) in [
            ("trust", &self.trust as &dyn WriteToml),
            ("legal", &self.legal),
            ("transition", &self.transition),
        ] {
            let mut t = toml::Table::new();
            write.write(&mut t);
            top.insert(name.into(), Value::Table(t));
        }
        if let Some(sw) = &self.sweep {
            top.insert("sweep".into(), sw.to_toml());
        }
        let body = toml::to_string(&top).unwrap_or_default();
        // A scenario with a [sweep] table is run again as a sweep.
        let command = if self.sweep.is_some() { "sweep" } else { "run" };
        format!(
            "# Fully resolved backsim scenario: every default filled in.\n# Run it again with: backsim {command} <this file>\n\n{body}"
        )
    }
}

trait WriteToml {
    fn write(&self, t: &mut toml::Table);
}

macro_rules! impl_write {
    ($($t:ty),*) => { $( impl WriteToml for $t { fn write(&self, t: &mut toml::Table) { self.write_toml(t) } } )* };
}
impl_write!(TrustParams, LegalParams, TransitionParams);

fn level_name(l: Level) -> &'static str {
    match l {
        Level::Municipal => "municipal",
        Level::Regional => "regional",
        Level::National => "national",
    }
}

fn kind_name(k: ProviderKind) -> &'static str {
    match k {
        ProviderKind::Commercial => "commercial",
        ProviderKind::Nonprofit => "nonprofit",
        ProviderKind::StateOwned => "state_owned",
    }
}

/// The scenario-file name of a contract form.
pub fn form_name(f: Form) -> &'static str {
    match f {
        Form::Procurement => "procurement",
        Form::Partnership => "partnership",
    }
}

/// Every key allowed at each table path, for suggestions: in a group
/// (`provider.groups.0`) those of its section but `groups`.
fn keys_at(path: &[String]) -> Vec<&'static str> {
    let keys = section_keys(path);
    if path.get(1).is_some_and(|s| s == "groups") && matches!(path[0].as_str(), "buyer" | "provider") {
        keys.iter().copied().filter(|k| *k != "groups").collect()
    } else {
        keys.to_vec()
    }
}

fn section_keys(path: &[String]) -> &'static [&'static str] {
    const TOP: &[&str] = &[
        "name",
        "description",
        "seed",
        "runs",
        "point",
        "version",
        "time",
        "buyer",
        "provider",
        "contract",
        "market",
        "demand",
        "trust",
        "legal",
        "transition",
        "sweep",
    ];
    const TIME: &[&str] = &["period", "periods", "start", "currency"];
    const SHOCK: &[&str] = &["name", "start", "duration", "size", "budget"];
    let named: Vec<&str> = path
        .iter()
        .map(String::as_str)
        .filter(|s| s.parse::<usize>().is_err())
        .collect();
    match named.as_slice() {
        [] => TOP,
        ["time", ..] => TIME,
        ["buyer", ..] => BuyerParams::KEYS,
        ["provider", ..] => ProviderParams::KEYS,
        ["contract", ..] => ContractParams::KEYS,
        ["market", ..] => MarketParams::KEYS,
        ["demand", "shocks", ..] => SHOCK,
        ["demand", ..] => DemandParams::KEYS,
        ["trust", ..] => TrustParams::KEYS,
        ["legal", ..] => LegalParams::KEYS,
        ["transition", ..] => TransitionParams::KEYS,
        ["sweep", ..] => sweep::SWEEP_KEYS,
        _ => &[],
    }
}

/// A `[buyer]` or `[provider]` table (`given` is `None`: every field), or
/// one of its groups (`given` names the fields the group sets itself: its
/// name, `head` and only those fields, the rest being inherited).
fn group_table<const N: usize>(
    name: &str,
    given: Option<&[&'static str]>,
    head: &[(&str, toml::Value)],
    fields: [(&str, toml::Value); N],
    params: impl FnOnce(&mut toml::Table, Option<&[&'static str]>),
) -> toml::Table {
    let mut t = toml::Table::new();
    if given.is_some() {
        t.insert("name".into(), toml::Value::String(name.into()));
        for (k, v) in head {
            t.insert((*k).into(), v.clone());
        }
    }
    for (k, v) in fields {
        if given.is_none_or(|g| g.contains(&k)) {
            t.insert(k.into(), v);
        }
    }
    params(&mut t, given);
    t
}

fn raw_error(e: serde_path_to_error::Error<toml::de::Error>, file: &str) -> ScenarioError {
    let segments: Vec<String> = e.path().iter().map(|s| s.to_string()).collect();
    let inner = e.inner().to_string();
    let inner = inner.trim_end().to_string();
    // serde's unknown-field message lists the expected names; add the closest.
    if let Some(rest) = inner.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default().to_string();
        let parent: Vec<String> = segments
            .iter()
            .take(segments.len().saturating_sub(1))
            .cloned()
            .collect();
        let parent = if segments.last().is_some_and(|s| s == &field) {
            parent
        } else {
            segments.clone()
        };
        let keys = keys_at(&parent);
        let mut path = parent.clone();
        path.push(field.clone());
        return ScenarioError {
            file: file.into(),
            // `groups.[0].foo` as the other messages write it: `groups.0.foo`.
            path: path.join(".").replace(".[", ".").replace(['[', ']'], ""),
            message: format!(
                "unknown field{}; allowed: {}",
                param::suggest(&field, keys.iter().copied()),
                keys.join(", ")
            ),
        };
    }
    // serde reads a table of fields from a list too, its entries taken as
    // the fields in order, and then complains about an entry: `buyer = [1]`
    // would be "`buyer.0`: ... allowed: a string". Only the three lists of
    // tables are lists.
    let plain = |s: &[String]| s.join(".").replace(".[", ".").replace(['[', ']'], "");
    for (j, s) in segments.iter().enumerate() {
        let parent: Vec<&str> = segments[..j].iter().map(String::as_str).collect();
        if s.starts_with('[') && !is_table_list(&parent) {
            return ScenarioError {
                file: file.into(),
                path: plain(&segments[..j]),
                message: "a list is not allowed; allowed: a table of fields (see `backsim reference`)".into(),
            };
        }
    }
    ScenarioError {
        file: file.into(),
        // `shocks.[0].start` as the other messages write it: `shocks.0.start`.
        path: plain(&segments),
        message: plain_type_error(&inner, &segments),
    }
}

/// The words a field that takes a word allows, by the field's name.
fn enum_words(field: &str) -> Option<&'static str> {
    Some(match field {
        "form" => "procurement, partnership",
        "level" => "municipal, regional, national",
        "kind" => "commercial, nonprofit, state_owned",
        "period" => "month, quarter, year",
        _ => return None,
    })
}

/// A TOML syntax error on one line, with where it is (the toml crate's own
/// text draws the line with a caret under it, over several lines).
fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let at = e.span().map_or_else(String::new, |r| {
        let before = &text[..r.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!(" at line {line}, column {column}")
    });
    let message = e.message().trim_end().replace('\n', "; ");
    if message.contains("as i128") {
        return format!(
            "not valid TOML{at}: a whole number too large; allowed: whole numbers up to 9223372036854775807 (2^63 - 1)"
        );
    }
    format!("not valid TOML{at}: {message}")
}

/// serde's type errors in the words of the other messages: its first line
/// only (the second repeats the path), and what is allowed without Rust's
/// type names ("expected u32" is "a whole number", a "map" is a table).
fn plain_type_error(inner: &str, segments: &[String]) -> String {
    let field = segments.last().map_or("", String::as_str);
    let first = inner.lines().next().unwrap_or_default().trim();
    if let Some(words) = enum_words(field) {
        // A word field given a table: serde reads a table of one key as
        // the word (`{ a = 1 }` as `a`) and says nothing useful of others.
        if let Some(rest) = first.strip_prefix("unknown variant `") {
            let word = rest.split('`').next().unwrap_or_default();
            let hint = param::suggest(word, words.split(", "));
            return format!("`{word}` is not one of its words{hint}; allowed: one of the words {words}");
        }
        if first.starts_with("wanted exactly 1 element") {
            return format!("a table is not allowed; allowed: one of the words {words}");
        }
    }
    let Some((found, expected)) = first
        .strip_prefix("invalid type: ")
        .or_else(|| first.strip_prefix("invalid value: "))
        .and_then(|rest| rest.rsplit_once(", expected "))
    else {
        return first.to_string();
    };
    let found = match found {
        "map" => "a table",
        "sequence" => "a list",
        f => f,
    };
    if expected == "string only" {
        // An enum given a non-word (a number, true, a list): serde says
        // only "unit variant" of what it found.
        return match enum_words(field) {
            Some(words) => format!("not a word; allowed: one of the words {words}"),
            None => "not a word; allowed: one of its words (see `backsim reference`)".to_string(),
        };
    }
    let allowed = match expected {
        "u32" | "u64" | "usize" => format!("a whole number {}", whole_range(field)),
        "i32" | "i64" => "a whole number".to_string(),
        "f64" | "f32" => "a number".to_string(),
        "a boolean" | "bool" => "true or false".to_string(),
        e if e.starts_with("struct Raw") => "a table of fields (see `backsim reference`)".to_string(),
        e if e.starts_with("a sequence") && is_table_list(&segments.iter().map(String::as_str).collect::<Vec<_>>()) => {
            let path = segments.join(".");
            format!("a list of tables: [[{path}]] tables, or `{field} = [{{ ... }}, ...]`")
        }
        e if e.starts_with("a sequence") => "a list".to_string(),
        e => e.to_string(),
    };
    format!("{found} is not allowed; allowed: {allowed}")
}

/// The range of a whole-number field that is not a parameter, for a type
/// error (a negative `count` is "from 1 to 100000", not serde's "from 0").
/// The checks after parsing give the same ranges.
fn whole_range(field: &str) -> String {
    match field {
        "count" => "from 1 to 100000".to_string(),
        "units" | "periods" => "from 1 to 10000".to_string(),
        "reserve_units" => "from 0 to 10000".to_string(),
        "runs" | "max_runs" | "batch" => format!("from 1 to {MAX_RUNS}"),
        "lhs" => "from 1 to 1000000".to_string(),
        "duration" => "of at least 1".to_string(),
        "seed" | "point" => format!("from 0 to {MAX_SEED} (2^63 - 1)"),
        _ => "from 0".to_string(),
    }
}

/// A sum of shares as a message shows it: to six decimals, so that 0.1 and
/// 0.2 add up to 0.3, not 0.30000000000000004.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Applies one `PATH=VALUE` override to a scenario table. VALUE is read as a
/// TOML value (`0.5`, `"text"`, `[1, 2]`, `{ dist = "uniform", ... }`); a
/// bare word that is not valid TOML is taken as a string (`partnership`).
pub fn apply_set(table: &mut toml::Table, set: &str) -> Result<(), ScenarioError> {
    let err = |path: &str, message: String| ScenarioError {
        file: "--set".into(),
        path: path.into(),
        message,
    };
    let Some((path, value)) = set.split_once('=') else {
        return Err(err(
            "",
            format!("`{set}` is not of the form PATH=VALUE (e.g. buyer.power=0.3)"),
        ));
    };
    let path = path.trim();
    let value = value.trim();
    let parsed = match toml::from_str::<toml::Table>(&format!("v = {value}")) {
        Ok(mut t) => t.remove("v").unwrap_or(toml::Value::String(value.into())),
        // Not TOML, but a number as Rust reads it:
        Err(_) => match value.parse::<f64>() {
            // Rust's spellings of the special numbers (`Infinity`, `NaN`,
            // `-infinity`), which TOML spells `inf` and `nan`: read as
            // those, so that the range check names them as it names `inf`.
            Ok(x) if !value.bytes().any(|c| c.is_ascii_digit()) => toml::Value::Float(x),
            // A number too large for TOML (`1e400`, a whole number past
            // 2^63) would otherwise be taken as a word, and refused as one.
            Ok(x) if x.abs() >= i64::MAX as f64 => {
                return Err(err(
                    path,
                    format!(
                        "`{value}` is too large a number; allowed: whole numbers up to 9223372036854775807 (2^63 - 1), other numbers up to about 1.8e308"
                    ),
                ));
            }
            _ => toml::Value::String(value.into()),
        },
    };
    let parts: Vec<&str> = path.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(err(path, "empty segment in the field path".into()));
    }
    let mut node = table;
    let mut i = 0;
    while i < parts.len() {
        let part = parts[i];
        let prefix: Vec<String> = parts[..i].iter().map(|s| s.to_string()).collect();
        let keys = keys_at(&prefix);
        if !keys.contains(&part) {
            return Err(err(
                path,
                format!(
                    "unknown field `{part}`{}; allowed: {}",
                    param::suggest(part, keys.iter().copied()),
                    keys.join(", ")
                ),
            ));
        }
        if i + 1 == parts.len() {
            node.insert(part.to_string(), parsed);
            return Ok(());
        }
        if is_table_list(&parts[..=i]) {
            // One table of a list: `provider.groups.1.count`.
            let list = parts[..=i].join(".");
            let names = list_entries(node.get(part));
            let index = parts[i + 1];
            let Some(k) = table_number(index).filter(|&k| k < names.len()) else {
                let message = if node.get(part).is_some_and(|v| !v.is_array()) {
                    format!(
                        "`{list}` is not a list of tables; allowed: [[{list}]] tables, or `{part} = [{{ ... }}, ...]`"
                    )
                } else if names.is_empty() {
                    let instead = match parts[0] {
                        "buyer" | "provider" => format!(
                            ": its [{0}] table is its one group, so set `{0}.{1}` instead",
                            parts[0],
                            parts.get(i + 2).unwrap_or(&"FIELD")
                        ),
                        _ => "; add them to the file (see `backsim reference`)".to_string(),
                    };
                    format!("the scenario has no [[{list}]] tables{instead}")
                } else {
                    format!(
                        "`{index}` is not one of the scenario's [[{list}]] tables; allowed: {}",
                        names.join(", ")
                    )
                };
                return Err(err(path, message));
            };
            if i + 2 == parts.len() {
                let list_path: Vec<String> = parts[..=i].iter().map(|s| s.to_string()).collect();
                let fields = keys_at(&list_path);
                return Err(err(
                    path,
                    format!(
                        "`{path}` is a whole table; set one of its fields: {path}.FIELD, FIELD one of {}",
                        fields.join(", ")
                    ),
                ));
            }
            node = match node
                .get_mut(part)
                .and_then(|v| v.as_array_mut())
                .and_then(|a| a.get_mut(k))
            {
                Some(toml::Value::Table(t)) => t,
                _ => {
                    return Err(err(
                        path,
                        format!("`{list}.{k}` is not a table; allowed: a list of tables, [[{list}]]"),
                    ));
                }
            };
            i += 2;
            continue;
        }
        let entry = node
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        node = match entry {
            toml::Value::Table(t) => t,
            _ => return Err(err(path, format!("`{part}` is not a table"))),
        };
        i += 1;
    }
    Ok(())
}

/// A table's number in a path: `0`, `1`, ... as `k.to_string()` writes
/// it; not `01` or `+1`, which would name the same table by another path
/// (and pass the checks that compare paths, as "set and varied").
pub(crate) fn table_number(text: &str) -> Option<usize> {
    text.parse::<usize>().ok().filter(|k| k.to_string() == text)
}

/// Whether `parts` ends at a list of tables whose entries a path may index
/// (`buyer.groups`, `provider.groups`, `demand.shocks`).
pub(crate) fn is_table_list(parts: &[&str]) -> bool {
    matches!(
        parts,
        ["buyer", "groups"] | ["provider", "groups"] | ["demand", "shocks"]
    )
}

/// The name an unnamed entry of a list of tables gets, for the story and
/// the reports: `group 1` for group 0, `shock 2` for shock 1.
fn default_name(list: &[&str], k: usize) -> String {
    let what = if list == ["demand", "shocks"] { "shock" } else { "group" };
    format!("{what} {}", k + 1)
}

/// An entry's name as a label beside its number shows it (`0 (chain)`):
/// none for an empty name or the name an unnamed entry gets, which would
/// only repeat the number, counted from 1 (`0 (group 1)`).
pub(crate) fn shown_name<'a>(list: &[&str], k: usize, name: &'a str) -> Option<&'a str> {
    (!name.is_empty() && name != default_name(list, k)).then_some(name)
}

/// An entry of a list of tables as messages name it: `0 (chain)`, or `0`
/// for an unnamed one.
fn entry_label(list: &[&str], k: usize, name: &str) -> String {
    match shown_name(list, k, name) {
        Some(name) => format!("{k} ({name})"),
        None => k.to_string(),
    }
}

/// The entries of a list of tables, as messages name them: `0 (chain)`.
fn list_entries(list: Option<&toml::Value>) -> Vec<String> {
    let Some(toml::Value::Array(entries)) = list else {
        return Vec::new();
    };
    entries
        .iter()
        .enumerate()
        .map(
            |(k, e)| match e.get("name").and_then(|n| n.as_str()).filter(|n| !n.is_empty()) {
                Some(name) => format!("{k} ({name})"),
                None => k.to_string(),
            },
        )
        .collect()
}

/// Refuses two groups of `section` with one name: the outputs and the
/// story tell groups apart by name.
fn distinct_names<'a>(section: &str, names: impl Iterator<Item = &'a str>) -> Result<(), FieldError> {
    let names: Vec<&str> = names.collect();
    for (i, name) in names.iter().enumerate() {
        if let Some(j) = names[..i].iter().position(|n| n == name) {
            return Err(field_err(
                format!("{section}.groups.{i}.name"),
                format!("`{name}` is also the name of group {j}; allowed: a name no other group has"),
            ));
        }
    }
    Ok(())
}

fn field_err(path: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        path: path.into(),
        message: message.into(),
    }
}

fn parse_start(s: &str, period: PeriodKind) -> Option<(i32, u32)> {
    let year = |y: &str| y.parse::<i32>().ok().filter(|y| (1000..=9999).contains(y));
    match period {
        PeriodKind::Year => Some((year(s)?, 0)),
        PeriodKind::Quarter => {
            let (y, q) = s.split_once(['Q', 'q'])?;
            let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
            Some((year(y.trim())?, q - 1))
        }
        PeriodKind::Month => {
            let (y, m) = s.split_once('-')?;
            let m: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
            Some((year(y)?, m - 1))
        }
    }
}

fn validate(raw: &RawScenario) -> Result<Scenario, FieldError> {
    let runs = raw.runs.unwrap_or(10_000);
    if !(1..=MAX_RUNS).contains(&runs) {
        return Err(field_err(
            "runs",
            format!("{runs} is out of range; allowed: 1 to {MAX_RUNS}"),
        ));
    }
    let rt = raw.time.clone().unwrap_or_default();
    let period = rt.period.unwrap_or(PeriodKind::Quarter);
    let periods = rt.periods.unwrap_or(40);
    if !(1..=10_000).contains(&periods) {
        return Err(field_err(
            "time.periods",
            format!("{periods} is out of range; allowed: a whole number from 1 to 10000"),
        ));
    }
    let start = match &rt.start {
        None => None,
        Some(s) => Some(parse_start(s, period).ok_or_else(|| {
            field_err(
                "time.start",
                format!(
                    "\"{s}\" is not a start date for {}ly periods; allowed: {}, with a year from 1000 to 9999",
                    period.name(),
                    match period {
                        PeriodKind::Year => "\"YYYY\", e.g. \"2015\"",
                        PeriodKind::Quarter => "\"YYYYQn\", e.g. \"2015Q3\"",
                        PeriodKind::Month => "\"YYYY-MM\", e.g. \"2015-07\"",
                    }
                ),
            )
        })?),
    };
    let time = Time {
        period,
        periods,
        start,
        currency: rt.currency.unwrap_or_else(|| "MSEK".into()),
    };

    let rb = raw.buyer.clone().unwrap_or_default();
    let buyer_base = BuyerParams::from_raw(&rb, None, "buyer")?;
    let buyer_template = BuyerGroup {
        name: "buyer".into(),
        count: rb.count.unwrap_or(1),
        units: rb.units.unwrap_or(4),
        reserve_units: rb.reserve_units.unwrap_or(0),
        level: rb.level.unwrap_or(Level::Municipal),
        params: buyer_base.clone(),
        given: None,
    };
    let buyers = match &rb.groups {
        None => vec![buyer_template.clone()],
        Some(groups) => groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let path = format!("buyer.groups.{i}");
                if g.groups.is_some() {
                    return Err(field_err(format!("{path}.groups"), "groups cannot be nested"));
                }
                Ok(BuyerGroup {
                    name: g.name.clone().unwrap_or_else(|| default_name(&["buyer", "groups"], i)),
                    count: g.count.or(rb.count).unwrap_or(1),
                    units: g.units.or(rb.units).unwrap_or(4),
                    reserve_units: g.reserve_units.or(rb.reserve_units).unwrap_or(0),
                    level: g.level.or(rb.level).unwrap_or(Level::Municipal),
                    params: BuyerParams::from_raw(g, Some(&buyer_base), &path)?,
                    given: Some(BuyerParams::given_fields(
                        g,
                        &[
                            ("count", g.count.is_some()),
                            ("units", g.units.is_some()),
                            ("reserve_units", g.reserve_units.is_some()),
                            ("level", g.level.is_some()),
                        ],
                    )),
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
    };
    if buyers.is_empty() {
        return Err(field_err("buyer.groups", "at least one buyer group is needed"));
    }
    distinct_names("buyer", buyers.iter().map(|g| g.name.as_str()))?;
    for (i, g) in buyers.iter().enumerate() {
        let path = if rb.groups.is_some() {
            format!("buyer.groups.{i}")
        } else {
            "buyer".into()
        };
        if !(1..=100_000).contains(&g.count) {
            return Err(field_err(
                format!("{path}.count"),
                format!("{} is out of range; allowed: 1 to 100000", g.count),
            ));
        }
        if !(1..=10_000).contains(&g.units) {
            return Err(field_err(
                format!("{path}.units"),
                format!("{} is out of range; allowed: 1 to 10000", g.units),
            ));
        }
        if g.reserve_units > 10_000 {
            return Err(field_err(
                format!("{path}.reserve_units"),
                format!("{} is out of range; allowed: 0 to 10000", g.reserve_units),
            ));
        }
    }
    let units: u64 = buyers
        .iter()
        .map(|g| u64::from(g.count) * u64::from(g.units + g.reserve_units))
        .sum();
    if units > MAX_UNITS {
        return Err(field_err(
            if rb.groups.is_some() { "buyer.groups" } else { "buyer" },
            format!(
                "the world has {units} service units (count x (units + reserve_units), over all buyer groups); allowed: at most {MAX_UNITS}"
            ),
        ));
    }

    let rp = raw.provider.clone().unwrap_or_default();
    let provider_template = ProviderGroup {
        name: "provider".into(),
        count: rp.count.unwrap_or(1),
        share: 1.0,
        kind: rp.kind.unwrap_or(ProviderKind::Commercial),
        params: ProviderParams::from_raw(&rp, None, "provider")?,
        given: None,
    };
    let mut providers = match &rp.groups {
        None => vec![provider_template.clone()],
        Some(groups) => groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let path = format!("provider.groups.{i}");
                if g.groups.is_some() {
                    return Err(field_err(format!("{path}.groups"), "groups cannot be nested"));
                }
                let count = g.count.or(rp.count).unwrap_or(1);
                // Unset is NaN below; a given share must be a number.
                if let Some(v) = g.share.filter(|v| !(*v > 0.0 && *v <= 1.0)) {
                    return Err(field_err(
                        format!("{path}.share"),
                        format!("{v} is out of range; allowed: a number above 0 and at most 1"),
                    ));
                }
                Ok(ProviderGroup {
                    name: g
                        .name
                        .clone()
                        .unwrap_or_else(|| default_name(&["provider", "groups"], i)),
                    count,
                    share: g.share.unwrap_or(f64::NAN),
                    kind: g.kind.unwrap_or(provider_template.kind),
                    params: ProviderParams::from_raw(g, Some(&provider_template.params), &path)?,
                    given: Some(ProviderParams::given_fields(
                        g,
                        &[
                            ("count", g.count.is_some()),
                            ("kind", g.kind.is_some()),
                            ("share", g.share.is_some()),
                        ],
                    )),
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
    };
    if providers.is_empty() {
        return Err(field_err("provider.groups", "at least one provider group is needed"));
    }
    distinct_names("provider", providers.iter().map(|g| g.name.as_str()))?;
    for (i, g) in providers.iter().enumerate() {
        let path = if rp.groups.is_some() {
            format!("provider.groups.{i}")
        } else {
            "provider".into()
        };
        if !(1..=100_000).contains(&g.count) {
            return Err(field_err(
                format!("{path}.count"),
                format!("{} is out of range; allowed: 1 to 100000", g.count),
            ));
        }
    }
    // A given share is the group's; the groups without one split the rest in
    // proportion to their numbers of providers. Shares that are all given
    // must add up to 1 (to within 0.01, then made exact).
    let given: f64 = providers.iter().filter(|g| !g.share.is_nan()).map(|g| g.share).sum();
    let unset_count: f64 = providers
        .iter()
        .filter(|g| g.share.is_nan())
        .map(|g| g.count as f64)
        .sum();
    if unset_count > 0.0 {
        if given >= 1.0 - 1e-9 {
            return Err(field_err(
                "provider.groups",
                format!(
                    "the shares given add up to {}, which leaves nothing for the groups without one; allowed: given shares that add up to less than 1",
                    param::fmt_num(round6(given))
                ),
            ));
        }
        for g in &mut providers {
            if g.share.is_nan() {
                g.share = (1.0 - given) * g.count as f64 / unset_count;
            }
        }
    } else if (given - 1.0).abs() > 0.01 {
        return Err(field_err(
            "provider.groups",
            format!(
                "the shares add up to {}; allowed: shares that add up to 1, or some groups without a share to take the rest",
                param::fmt_num(round6(given))
            ),
        ));
    }
    let total_share: f64 = providers.iter().map(|g| g.share).sum();
    for g in &mut providers {
        g.share /= total_share;
    }

    let rc = raw.contract.clone().unwrap_or_default();
    let contract = ContractParams::from_raw(&rc, None, "contract")?;
    let market = MarketParams::from_raw(&raw.market.clone().unwrap_or_default(), None, "market")?;
    let rd = raw.demand.clone().unwrap_or_default();
    let demand = DemandParams::from_raw(&rd, None, "demand")?;
    // Trust is kept for every buyer and every provider that may take part.
    let buyer_total: u64 = buyers.iter().map(|g| u64::from(g.count)).sum();
    let provider_most = providers.iter().map(|g| u64::from(g.count)).sum::<u64>()
        + market.alternatives.bounds().1 as u64
        + market.max_entrants.bounds().1 as u64;
    if buyer_total * provider_most > MAX_PAIRS {
        return Err(field_err(
            "market.alternatives",
            format!(
                "{buyer_total} buyers and up to {provider_most} providers (incumbents, market.alternatives and market.max_entrants) make {} buyer-provider pairs; allowed: at most {MAX_PAIRS}",
                buyer_total * provider_most
            ),
        ));
    }
    // Prices and demand grow by (1 + rate)^t; beyond these factors over the
    // horizon the sums leave the range of the model's numbers.
    for (path, param) in [("market.inflation", &market.inflation), ("demand.trend", &demand.trend)] {
        for rate in [param.bounds().0, param.bounds().1] {
            let factor = crate::math::powi(1.0 + rate, periods as i32);
            if !(MIN_GROWTH..=MAX_GROWTH).contains(&factor) {
                return Err(field_err(
                    path,
                    format!(
                        "{rate} per period over time.periods = {periods} gives a factor (1 + {rate})^{periods} = {factor:.3e}; allowed: a factor from {MIN_GROWTH:e} to {MAX_GROWTH:e} over the horizon"
                    ),
                ));
            }
        }
    }
    let shocks = rd
        .shocks
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, s)| validate_shock(s, i, periods))
        .collect::<Result<Vec<_>, _>>()?;
    let trust = TrustParams::from_raw(&raw.trust.clone().unwrap_or_default(), None, "trust")?;
    let legal = LegalParams::from_raw(&raw.legal.clone().unwrap_or_default(), None, "legal")?;
    let transition = TransitionParams::from_raw(&raw.transition.clone().unwrap_or_default(), None, "transition")?;
    let sweep = raw.sweep.as_ref().map(sweep::SweepSpec::from_raw).transpose()?;

    for (path, v) in [("seed", raw.seed), ("point", raw.point)] {
        if let Some(v) = v.filter(|&v| v > MAX_SEED) {
            return Err(field_err(
                path,
                format!("{v} is out of range; allowed: 0 to {MAX_SEED}"),
            ));
        }
    }
    let name = raw.name.clone().unwrap_or_else(|| "scenario".into());
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(field_err(
            "name",
            format!("\"{name}\" cannot name an output folder; allowed: letters, digits, '-' and '_'"),
        ));
    }
    if name.len() > 100 {
        return Err(field_err(
            "name",
            format!(
                "{} characters cannot name an output folder; allowed: at most 100",
                name.len()
            ),
        ));
    }
    Ok(Scenario {
        name,
        description: raw.description.clone().unwrap_or_default(),
        seed: raw.seed.unwrap_or(1),
        runs,
        point: raw.point.unwrap_or(0),
        time,
        buyers,
        buyer_template,
        providers,
        provider_template,
        form: rc.form.unwrap_or(Form::Procurement),
        contract,
        market,
        demand,
        shocks,
        trust,
        legal,
        transition,
        sweep,
    })
}

fn validate_shock(s: &RawShock, i: usize, periods: u32) -> Result<Shock, FieldError> {
    let path = format!("demand.shocks.{i}");
    let start = s.start.ok_or_else(|| {
        field_err(
            format!("{path}.start"),
            "a shock needs `start`, the first period it is in force (0-based)",
        )
    })?;
    if start >= periods {
        return Err(field_err(
            format!("{path}.start"),
            format!(
                "{start} is out of range; allowed: 0 to {} (time.periods - 1)",
                periods - 1
            ),
        ));
    }
    if s.duration == Some(0) {
        return Err(field_err(
            format!("{path}.duration"),
            "0 is out of range; allowed: a whole number >= 1, or omit it for a lasting step",
        ));
    }
    let check = |x: f64, field: &str| {
        if x.is_finite() && SHOCK_CHANGE.admits(x) {
            Ok(x)
        } else {
            Err(field_err(
                format!("{path}.{field}"),
                format!("{x} is out of range; allowed: a number above -1 (a drop of 100%) and at most 1000"),
            ))
        }
    };
    Ok(Shock {
        name: s.name.clone().unwrap_or_else(|| default_name(&["demand", "shocks"], i)),
        start,
        duration: s.duration,
        size: check(s.size.unwrap_or(0.0), "size")?,
        budget: check(s.budget.unwrap_or(0.0), "budget")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> ScenarioError {
        Scenario::from_toml_str(src, "test.toml").unwrap_err()
    }

    #[test]
    fn empty_file_gives_the_defaults() {
        let s = Scenario::from_toml_str("", "empty.toml").unwrap();
        assert_eq!(s.time.periods, 40);
        assert_eq!(s.buyers[0].params.power.central(), 0.6);
        assert_eq!(s.unit_count(), 4);
    }

    #[test]
    fn unknown_field_names_file_path_and_suggestion() {
        let e = err("[buyer]\npowr = 0.5\n");
        assert_eq!(e.file, "test.toml");
        assert_eq!(e.path, "buyer.powr");
        assert!(e.message.contains("did you mean `power`"), "{e}");
        assert!(e.message.contains("monitoring"), "{e}");
        let e = err("[markt]\n");
        assert!(e.message.contains("did you mean `market`"), "{e}");
    }

    #[test]
    fn out_of_range_names_the_range() {
        let e = err("[buyer]\npower = 1.4\n");
        assert_eq!(e.path, "buyer.power");
        assert!(e.message.contains("from 0 to 1"), "{e}");
        let e = err("[contract]\nform = \"iop\"\n");
        assert_eq!(e.path, "contract.form");
        assert!(
            e.message.contains("procurement") && e.message.contains("partnership"),
            "{e}"
        );
    }

    #[test]
    fn set_overrides_and_validates() {
        let s = Scenario::from_toml_str_with("", "x", &["buyer.power=0.2".into(), "contract.form=partnership".into()])
            .unwrap();
        assert_eq!(s.buyers[0].params.power.central(), 0.2);
        assert_eq!(s.form, Form::Partnership);
        let e = Scenario::from_toml_str_with("", "x", &["buyer.powr=0.2".into()]).unwrap_err();
        assert!(e.message.contains("did you mean `power`"), "{e}");
        let e = Scenario::from_toml_str_with("", "x", &["market.alternatives=-1".into()]).unwrap_err();
        assert_eq!(e.path, "market.alternatives");
        // A number too large for TOML is refused as a number, not as a word.
        for big in ["1e400", "-1e400", "99999999999999999999", "9223372036854775808"] {
            let e = Scenario::from_toml_str_with("", "x", &[format!("buyer.power={big}")]).unwrap_err();
            assert_eq!(e.path, "buyer.power");
            assert!(e.message.starts_with(&format!("`{big}` is too large a number")), "{e}");
        }
        // Rust's spellings of the special numbers are read as TOML's `inf`
        // and `nan`, and refused by the range check, not as words.
        for (special, shown) in [
            ("NaN", "NaN"),
            ("Infinity", "inf"),
            ("-infinity", "-inf"),
            ("+inf", "inf"),
        ] {
            let e = Scenario::from_toml_str_with("", "x", &[format!("buyer.power={special}")]).unwrap_err();
            assert_eq!(e.path, "buyer.power");
            assert_eq!(
                e.message,
                format!("value {shown} is out of range; allowed: a number from 0 to 1"),
                "{special}"
            );
        }
        // A word field given a number: serde calls it a "unit variant".
        let e = Scenario::from_toml_str_with("", "x", &["contract.form=1.5".into()]).unwrap_err();
        assert_eq!(
            e.message,
            "not a word; allowed: one of the words procurement, partnership"
        );
    }

    #[test]
    fn set_reaches_one_table_of_a_list_by_number() {
        let text = "[provider]\ncapability = 0.6\n\n[[provider.groups]]\nname = \"chain\"\ncount = 2\n\n[[provider.groups]]\nname = \"local\"\ncount = 3\n\n[[demand.shocks]]\nname = \"surge\"\nstart = 4\nsize = 1.0\n";
        let set = |sets: &[&str]| {
            let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
            Scenario::from_toml_str_with(text, "g.toml", &sets)
        };
        let s = set(&[
            "provider.groups.1.count=5",
            "provider.groups.0.capability=0.9",
            "demand.shocks.0.size=2.5",
        ])
        .unwrap();
        assert_eq!((s.providers[0].count, s.providers[1].count), (2, 5));
        assert_eq!(s.providers[0].params.capability.central(), 0.9);
        // The other group still inherits from [provider].
        assert_eq!(s.providers[1].params.capability.central(), 0.6);
        assert_eq!(s.shocks[0].size, 2.5);
        assert_eq!(s.param("provider.groups.0.capability").unwrap().central(), 0.9);
        assert_eq!(s.param("provider.groups.1.capability").unwrap().central(), 0.6);
        assert!(s.param("provider.groups.2.capability").is_none());
        // The resolved file holds the group's own value.
        assert_eq!(
            Scenario::from_toml_str(&s.to_toml(), "r.toml").unwrap().providers[0]
                .params
                .capability
                .central(),
            0.9
        );

        let message = |sets: &[&str]| {
            let e = set(sets).unwrap_err();
            assert_eq!(e.file, "--set", "{e}");
            e.message
        };
        let m = message(&["provider.groups.2.count=1"]);
        assert!(m.contains("allowed: 0 (chain), 1 (local)"), "{m}");
        let m = message(&["provider.groups.first.count=1"]);
        assert!(m.contains("`first` is not one of"), "{m}");
        let m = message(&["provider.groups.0=1"]);
        assert!(m.contains("whole table") && m.contains("count, share"), "{m}");
        let m = message(&["provider.groups.0.cuont=1"]);
        assert!(m.contains("did you mean `count`"), "{m}");
        let m = message(&["buyer.groups.0.power=0.3"]);
        assert!(
            m.contains("no [[buyer.groups]] tables") && m.contains("set `buyer.power` instead"),
            "{m}"
        );
        // A table's error that a set inside it caused is the set's.
        let e = set(&["provider.groups.1.share=1.5"]).unwrap_err();
        assert_eq!(
            (e.file.as_str(), e.path.as_str()),
            ("--set", "provider.groups.1.share"),
            "{e}"
        );
        let text2 = text
            .replace("count = 2\n", "count = 2\nshare = 0.5\n")
            .replace("count = 3\n", "count = 3\nshare = 0.5\n");
        let e = Scenario::from_toml_str_with(&text2, "g.toml", &["provider.groups.1.share=0.6".into()]).unwrap_err();
        assert_eq!((e.file.as_str(), e.path.as_str()), ("--set", "provider.groups"), "{e}");
        // A file whose groups are one table, not a list, gets its own error
        // first, not the set's "not a list of tables".
        let one = "[provider.groups]\nname = \"chain\"\ncount = 2\n";
        let alone = Scenario::from_toml_str(one, "g.toml").unwrap_err();
        let with_set = Scenario::from_toml_str_with(one, "g.toml", &["provider.groups.0.count=3".into()]).unwrap_err();
        assert_eq!(with_set, alone);
        assert_eq!(
            (alone.file.as_str(), alone.path.as_str()),
            ("g.toml", "provider.groups")
        );
        // A file that is fine alone still blames the set (`message` checks
        // that the error names `--set`).
        let m = message(&["provider.groups.0.count.x=1"]);
        assert!(m.contains("`count` is not a table"), "{m}");
    }

    #[test]
    fn group_shares_given_are_kept_and_the_rest_is_split_by_count() {
        let shares = |groups: &str| -> Result<Vec<f64>, String> {
            Scenario::from_toml_str(groups, "g.toml")
                .map(|s| s.providers.iter().map(|g| g.share).collect())
                .map_err(|e| e.to_string())
        };
        let close = |a: &[f64], b: &[f64]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
        // Half to the chain, whatever the other groups' sizes.
        let s = shares("[[provider.groups]]\ncount = 3\nshare = 0.5\n[[provider.groups]]\ncount = 30\n").unwrap();
        assert!(close(&s, &[0.5, 0.5]), "{s:?}");
        let s = shares(
            "[[provider.groups]]\nshare = 0.4\n[[provider.groups]]\ncount = 1\n[[provider.groups]]\ncount = 2\n",
        )
        .unwrap();
        assert!(close(&s, &[0.4, 0.2, 0.4]), "{s:?}");
        // None given: by count.
        let s = shares("[[provider.groups]]\ncount = 1\n[[provider.groups]]\ncount = 3\n").unwrap();
        assert!(close(&s, &[0.25, 0.75]), "{s:?}");
        // All given: they add up to 1 (rounding is made exact).
        let s = shares("[[provider.groups]]\nshare = 0.333\n[[provider.groups]]\nshare = 0.667\n").unwrap();
        assert!(close(&s, &[0.333, 0.667]), "{s:?}");
        let e = shares("[[provider.groups]]\nshare = 0.5\n[[provider.groups]]\nshare = 0.3\n").unwrap_err();
        assert!(
            e.contains("g.toml") && e.contains("provider.groups") && e.contains("add up to 0.8"),
            "{e}"
        );
        let e = shares("[[provider.groups]]\nshare = 0.1\n[[provider.groups]]\nshare = 0.2\n").unwrap_err();
        assert!(e.contains("add up to 0.3;"), "{e}");
        let e = shares("[[provider.groups]]\nshare = 1e-300\n[[provider.groups]]\nshare = 1e-300\n").unwrap_err();
        assert!(e.contains("add up to 0;"), "{e}");
        let e = shares("[[provider.groups]]\nshare = 1\n[[provider.groups]]\ncount = 2\n").unwrap_err();
        assert!(e.contains("leaves nothing"), "{e}");
    }

    #[test]
    fn resolved_scenario_reads_back_equal() {
        let src = r#"
            name = "x"
            [time]
            period = "month"
            start = "2015-07"
            [provider]
            capability = { dist = "beta", a = 8, b = 2, per = "agent" }
            [[provider.groups]]
            name = "chain"
            count = 3
            share = 0.6
            [[provider.groups]]
            name = "small"
            count = 20
            reserves = 1.0
            [demand]
            shocks = [{ start = 4, duration = 6, size = 3.0 }, { start = 20, size = -0.5, budget = -0.2 }]
        "#;
        let s = Scenario::from_toml_str(src, "x").unwrap();
        let back = Scenario::from_toml_str(&s.to_toml(), "resolved").unwrap();
        assert_eq!(s, back);
        assert_eq!(back.to_toml(), s.to_toml());
        assert_eq!(s.time.label(0), "2015-07");
        assert_eq!(s.time.label(6), "2016-01");
    }

    #[test]
    fn a_resolved_file_takes_a_set_as_its_original_does() {
        // Groups inherit from `[buyer]` and `[provider]` the fields they do
        // not set; the resolved file must keep that, or a `--set` on
        // output/x/scenario.toml would silently miss the groups.
        let sets = [
            "provider.min_margin=0.3",
            "provider.capability=0.5",
            "provider.count=5",
            "provider.kind=nonprofit",
            "buyer.power=0.3",
            "buyer.units=3",
            "buyer.level=regional",
            "buyer.count=3",
            "buyer.reserve_units=1",
        ];
        // No built-in has buyer groups, or a provider group without its own
        // count or share: a file with them.
        let groups = r#"
            [buyer]
            power = 0.4
            [[buyer.groups]]
            name = "large"
            count = 2
            units = 6
            level = "regional"
            [[buyer.groups]]
            name = "small"
            monitoring = 0.1
            [provider]
            count = 2
            [[provider.groups]]
            name = "chain"
            count = 3
            share = 0.5
            [[provider.groups]]
            name = "local"
            kind = "nonprofit"
            [[provider.groups]]
            name = "other"
            min_margin = 0.05
        "#;
        let files = builtin::BUILTIN.iter().copied().chain([("groups", groups)]);
        for (name, text) in files {
            let original = Scenario::from_toml_str(text, name).unwrap();
            let resolved = original.to_toml();
            assert_eq!(
                Scenario::from_toml_str(&resolved, "resolved").unwrap(),
                original,
                "{name}"
            );
            for set in sets {
                let set = [set.to_string()];
                let a = Scenario::from_toml_str_with(text, name, &set);
                let b = Scenario::from_toml_str_with(&resolved, name, &set);
                match (a, b) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{name} --set {}", set[0]),
                    (Err(a), Err(b)) => assert_eq!(a.message, b.message, "{name} --set {}", set[0]),
                    (a, b) => panic!("{name} --set {}: {a:?} against {b:?}", set[0]),
                }
            }
        }
        // The resolved file of a scenario with groups sets only what the
        // groups set themselves.
        let rh = Scenario::from_toml_str(builtin::find("refugee-housing").unwrap(), "rh").unwrap();
        let t: toml::Table = toml::from_str(&rh.to_toml()).unwrap();
        let group = &t["provider"]["groups"][0];
        assert!(
            group.get("capability").is_some() && group.get("min_margin").is_none(),
            "{group}"
        );
    }

    #[test]
    fn a_template_every_group_overrides_is_not_a_design_change() {
        let text = r#"
            [[buyer.groups]]
            count = 2
            power = 0.3
            [[buyer.groups]]
            count = 1
            power = 0.7
            [[provider.groups]]
            count = 2
            [[provider.groups]]
            count = 1
        "#;
        let base = Scenario::from_toml_str(text, "x").unwrap();
        let with = |set: &str| Scenario::from_toml_str_with(text, "x", &[set.to_string()]).unwrap();
        // Every group sets these: the model never sees the change.
        for set in ["buyer.power=0.5", "buyer.count=5", "provider.count=4", "name=other"] {
            let other = with(set);
            assert!(base.same_design(&other), "{set}");
        }
        // These reach the model: a group's own value, or `[provider]`'s
        // parameters (the template of alternatives and entrants).
        for set in [
            "buyer.monitoring=0.5",
            "provider.capability=0.5",
            "provider.kind=nonprofit",
        ] {
            assert!(!base.same_design(&with(set)), "{set}");
        }
    }

    #[test]
    fn committed_reference_matches_the_schema() {
        // docs/scenario-reference.md is generated: `backsim reference > docs/scenario-reference.md`.
        let committed = include_str!("../../docs/scenario-reference.md");
        assert!(
            committed == reference_markdown(),
            "docs/scenario-reference.md is stale: run `cargo run --release -- reference > docs/scenario-reference.md`"
        );
    }

    #[test]
    fn shocks_are_checked() {
        let e = err("[demand]\nshocks = [{ start = 50, size = 1.0 }]\n");
        assert_eq!(e.path, "demand.shocks.0.start");
        let e = err("[demand]\nshocks = [{ start = 5, size = -1.0 }]\n");
        assert_eq!(e.path, "demand.shocks.0.size");
        let e = err("[demand]\nshocks = [{ start = 5, sise = 1.0 }]\n");
        assert!(e.message.contains("did you mean `size`"), "{e}");
    }

    #[test]
    fn a_shock_field_is_found_with_what_it_allows() {
        let s = Scenario::from_toml_str(
            "[time]\nperiods = 20\n\n[demand]\nshocks = [{ name = \"surge\", start = 4, duration = 6, size = 3.0 }, { start = 10, size = -0.5, budget = -0.2 }]\n",
            "test.toml",
        )
        .unwrap();
        let field = |path: &str| s.shock_field(path).unwrap().unwrap();
        let (start, v) = field("demand.shocks.0.start");
        assert_eq!(
            (start.kind, start.low, start.high, v),
            (param::Kind::Int, 0.0, 19.0, Some(4.0))
        );
        let (duration, v) = field("demand.shocks.0.duration");
        assert_eq!((duration.low, duration.high, v), (1.0, 20.0, Some(6.0)));
        assert_eq!(
            field("demand.shocks.1.duration").1,
            None,
            "a lasting step has no duration"
        );
        let (size, v) = field("demand.shocks.1.size");
        assert!(size.low_open && !size.admits(-1.0) && size.admits(1000.0));
        assert_eq!(v, Some(-0.5));
        assert_eq!(field("demand.shocks.1.budget").1, Some(-0.2));
        assert_eq!(s.shock_field("demand.shock_size"), Ok(None));
        assert_eq!(s.shock_field("buyer.groups.0.power"), Ok(None));
        let e = s.shock_field("demand.shocks.2.size").unwrap_err();
        assert!(
            e.ends_with("allowed: 0 (surge), 1"),
            "an unnamed shock by its number alone: {e}"
        );
        let e = s.shock_field("demand.shocks.0.name").unwrap_err();
        assert!(e.contains("allowed: start, duration, size, budget"), "{e}");
        for path in ["demand.shocks", "demand.shocks.0", "demand.shocks.0.size.x"] {
            let e = s.shock_field(path).unwrap_err();
            assert!(e.contains("FIELD one of start, duration, size, budget"), "{path}: {e}");
        }
        let none = Scenario::from_toml_str("", "test.toml").unwrap();
        assert!(
            none.shock_field("demand.shocks.0.size")
                .unwrap_err()
                .contains("no scheduled shocks")
        );
        // The bounds are those validation enforces.
        let e = err("[time]\nperiods = 20\n\n[demand]\nshocks = [{ start = 20, size = 1.0 }]\n");
        assert!(e.message.contains("allowed: 0 to 19"), "{e}");
        assert!(
            err("[demand]\nshocks = [{ start = 1, size = -1.0 }]\n")
                .message
                .contains("above -1")
        );
    }

    #[test]
    fn labels_show_given_names_not_the_default_ones() {
        let shocks = ["demand", "shocks"];
        assert_eq!(shown_name(&shocks, 0, "surge"), Some("surge"));
        assert_eq!(
            shown_name(&shocks, 0, "shock 1"),
            None,
            "the default name repeats the number"
        );
        assert_eq!(
            shown_name(&shocks, 0, "shock 2"),
            Some("shock 2"),
            "a name of another number is the user's"
        );
        assert_eq!(shown_name(&shocks, 1, ""), None);
        assert_eq!(shown_name(&["provider", "groups"], 2, "group 3"), None);
        let s = Scenario::from_toml_str(
            "[[provider.groups]]\nname = \"chain\"\ncount = 2\n\n[[provider.groups]]\ncount = 3\n",
            "test.toml",
        )
        .unwrap();
        assert_eq!(s.providers[1].name, "group 2", "the story and reports still name it");
        assert_eq!(s.group_entries("provider"), ["0 (chain)", "1"]);
    }
}
