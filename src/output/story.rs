//! Story mode: one run told period by period in plain language, for
//! teaching, in English or Swedish, and its full per-period state as a tidy
//! CSV for students.
//!
//! The run is exactly run N of `backsim run` with the same scenario and seed:
//! [`StoryRun::simulate`] calls [`World::run_seeded`] with the scenario's point, and the
//! [`Recorder`] only reads the world (an [`Observer`] cannot change a run).
//! Quiet periods are summed up in one line; turning points are marked with
//! `▶`: notices, failures, every contract ending other than "continued"
//! (a switch, backsourcing, a wind-down, a lapse), the first sanction, the
//! buyer's or the providers' trust falling below one half or recovering
//! above it, and the start of a scheduled shock.

use crate::output::shell_word;
use std::fmt::Write as _;

use crate::model::{
    Cause, Costs, Episode, Event, NONE, NoObserver, Observer, Outcome, PeriodStats, RunResult, UnitState, World,
};
use crate::scenario::{Form, Level, PeriodKind, ProviderKind, Scenario};

/// The language of a story.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Swedish.
    Sv,
}

/// `match lang { En => format!(en), Sv => format!(sv) }`.
macro_rules! say {
    ($lang:expr, $en:literal, $sv:literal $(,)?) => {
        match $lang {
            Lang::En => format!($en),
            Lang::Sv => format!($sv),
        }
    };
}

/// What `--find` looks for in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Find {
    /// An episode with this outcome.
    Outcome(Outcome),
    /// An involuntary episode caused by notice or non-renewal.
    InvoluntaryExit,
    /// An involuntary episode caused by provider failure.
    InvoluntaryFailure,
    /// Any backsourcing (initiated or involuntary).
    Backsourcing,
    /// Both parties lose.
    BothLose,
}

impl Find {
    /// Every name `--find` accepts.
    pub const NAMES: [&'static str; 9] = [
        "continued",
        "switched",
        "initiated",
        "involuntary",
        "wound_down",
        "involuntary_exit",
        "involuntary_failure",
        "backsourcing",
        "both_lose",
    ];

    /// Parses a name of [`Find::NAMES`].
    pub fn parse(name: &str) -> Result<Find, String> {
        let f = match name {
            "involuntary_exit" | "exit" => Find::InvoluntaryExit,
            "involuntary_failure" | "failure" => Find::InvoluntaryFailure,
            "backsourcing" => Find::Backsourcing,
            "both_lose" => Find::BothLose,
            other => match Outcome::from_name(other) {
                Some(o) => Find::Outcome(o),
                None => {
                    return Err(format!(
                        "--find {name}: unknown outcome{}; allowed: {}",
                        crate::scenario::param::suggest(name, Find::NAMES),
                        Find::NAMES.join(", ")
                    ));
                }
            },
        };
        Ok(f)
    }

    /// Whether a run has it.
    pub fn matches(self, r: &RunResult) -> bool {
        match self {
            Find::Outcome(o) => r.outcomes[o.index()] > 0,
            Find::InvoluntaryExit => r.involuntary_exit > 0,
            Find::InvoluntaryFailure => r.involuntary_failure > 0,
            Find::Backsourcing => r.backsourcings() > 0,
            Find::BothLose => r.both_lose(),
        }
    }
}

/// The first run from `from` (inclusive) to `to` (exclusive) that has `what`.
pub fn find_run(s: &Scenario, what: Find, from: u64, to: u64) -> Option<u64> {
    let mut world = World::new(s);
    (from..to).find(|&run| {
        let r = world.run_seeded(s.seed, s.point, run, &mut NoObserver);
        what.matches(&r)
    })
}

/// A unit in a period. What it delivered (provider, contract, price,
/// volume, quality, staffing, margin, trust, complaints, audit, sanction) is
/// as the unit delivered, after step 6; `state`, `grievance`, disputes,
/// legal cases, notice and ramp are as at the end of the period. So a unit
/// switched or taken back this period shows the provider that served it,
/// and its new state.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitSnap {
    /// Owning buyer.
    pub buyer: u32,
    /// Served by a provider this period (contracted when it delivered).
    pub delivered: bool,
    /// State at the end of the period.
    pub state: UnitState,
    /// The provider that served it this period; if none did, the current
    /// or last one ([`NONE`] if none).
    pub provider: u32,
    /// Partnership contract.
    pub partnership: bool,
    /// Contract period of the episode (the one it delivered under).
    pub contract_period: u32,
    /// Contract period at the end of the period, after any renewal.
    pub next_contract_period: u32,
    /// Indexed price per place-period.
    pub price: f64,
    /// Volume ordered.
    pub order: f64,
    /// Delivered quality.
    pub quality: f64,
    /// Staffing level.
    pub staffing: f64,
    /// Provider's expected margin.
    pub margin: f64,
    /// Buyer's grievance.
    pub grievance: f64,
    /// Buyer's trust in the provider.
    pub trust_b: f64,
    /// Provider's trust in the buyer.
    pub trust_p: f64,
    /// Complaints this period.
    pub complaints: u32,
    /// Audited this period.
    pub audited: bool,
    /// Breach found.
    pub breach: bool,
    /// Sanctioned this period.
    pub sanctioned: bool,
    /// Open disputes.
    pub disputes: u32,
    /// Open legal cases.
    pub legal: u32,
    /// Periods of notice left.
    pub notice_left: u32,
    /// In-house ramp-up progress.
    pub ramp: f64,
}

/// A buyer at the end of a period.
#[derive(Clone, Debug, PartialEq)]
pub struct BuyerSnap {
    /// Demand.
    pub demand: f64,
    /// Baseline demand.
    pub baseline: f64,
    /// Served in-house.
    pub served_in: f64,
    /// Bought on the spot market.
    pub spot: f64,
    /// Not served.
    pub unserved: f64,
    /// Audit probability.
    pub audit_rate: f64,
    /// In-house capability.
    pub capability: f64,
}

/// A provider at the end of a period.
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderSnap {
    /// Still in business.
    pub alive: bool,
    /// Financial reserves.
    pub reserves: f64,
    /// Experience.
    pub experience: f64,
    /// Kind.
    pub kind: ProviderKind,
}

/// The world at the end of one period.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The period's record (trust, quality, demand, cost per place).
    pub stats: PeriodStats,
    /// Spot price per place.
    pub spot_price: f64,
    /// Buyers.
    pub buyers: Vec<BuyerSnap>,
    /// Units.
    pub units: Vec<UnitSnap>,
    /// Providers.
    pub providers: Vec<ProviderSnap>,
    /// The buyer's costs so far.
    pub costs: Costs,
}

/// Collects every event, what each unit delivered and the state at the end
/// of every period. It only reads the world, so the run is the same as
/// without it.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    /// (period, event), in order.
    pub events: Vec<(u32, Event)>,
    /// One snapshot per period.
    pub periods: Vec<Snapshot>,
    /// The units as they delivered this period (until its end).
    delivery: Vec<UnitSnap>,
}

/// Every unit of the world as it stands.
fn unit_snaps(w: &World) -> Vec<UnitSnap> {
    w.units
        .iter()
        .map(|u| {
            let (tb, tp) = if u.provider != NONE {
                (
                    w.buyer_trust(u.buyer, u.provider),
                    w.provider_trust(u.buyer, u.provider),
                )
            } else {
                (f64::NAN, f64::NAN)
            };
            UnitSnap {
                buyer: u.buyer,
                delivered: u.state == UnitState::Contracted,
                state: u.state,
                provider: u.provider,
                partnership: u.partnership,
                contract_period: u.contract_period,
                next_contract_period: u.contract_period,
                price: u.indexed_price,
                order: u.order,
                quality: u.quality,
                staffing: u.staffing,
                margin: u.margin,
                grievance: u.grievance,
                trust_b: tb,
                trust_p: tp,
                complaints: u.complaints,
                audited: u.audited,
                breach: u.breach,
                sanctioned: u.sanctioned,
                disputes: u.disputes,
                legal: u.legal,
                notice_left: u.notice_left,
                ramp: u.ramp,
            }
        })
        .collect()
}

impl Observer for Recorder {
    fn event(&mut self, period: u32, event: Event) {
        self.events.push((period, event));
    }

    fn delivered(&mut self, _period: u32, w: &World) {
        self.delivery = unit_snaps(w);
    }

    fn period_end(&mut self, _period: u32, w: &World) {
        let mut units = unit_snaps(w);
        for (end, at) in units.iter_mut().zip(std::mem::take(&mut self.delivery)) {
            if at.delivered {
                // What it delivered, and how the period ended for it.
                *end = UnitSnap {
                    state: end.state,
                    grievance: end.grievance,
                    disputes: end.disputes,
                    legal: end.legal,
                    notice_left: end.notice_left,
                    ramp: end.ramp,
                    next_contract_period: end.next_contract_period,
                    ..at
                };
            } else {
                end.delivered = false;
            }
        }
        let buyers = w
            .buyers
            .iter()
            .map(|b| BuyerSnap {
                demand: b.demand,
                baseline: b.baseline,
                served_in: b.served_in,
                spot: b.spot,
                unserved: b.unserved,
                audit_rate: b.audit_rate,
                capability: b.capability,
            })
            .collect();
        let providers = w
            .providers
            .iter()
            .map(|p| ProviderSnap {
                alive: p.alive,
                reserves: p.reserves,
                experience: p.experience,
                kind: p.kind,
            })
            .collect();
        self.periods.push(Snapshot {
            stats: w.periods.last().copied().unwrap_or_default(),
            spot_price: w.spot_price,
            buyers,
            units,
            providers,
            costs: w.tally.costs,
        });
    }
}

/// One run, recorded for telling.
#[derive(Clone, Debug)]
pub struct StoryRun {
    /// The scenario.
    pub scenario: Scenario,
    /// Run index.
    pub run: u64,
    /// What `backsim run` reports for the run (row `run` of `runs.csv`).
    pub result: RunResult,
    /// Every contract episode, in the order they ended.
    pub episodes: Vec<Episode>,
    /// Events and per-period state.
    pub record: Recorder,
    /// Opening price per place-period.
    pub price: f64,
    /// Places per unit.
    pub volume: f64,
    /// Contract term (periods) and renewal options drawn for the run.
    pub term: (u32, u32),
    /// Quality threshold drawn for the run.
    pub threshold: f64,
    /// Qualified alternatives at the start.
    pub alternatives: u32,
    /// Share of demand the buyers produce themselves (mean over buyers).
    pub in_house: f64,
    /// The `backsim run` command whose runs.csv row `run` this run is
    /// (see [`StoryRun::with_command`]).
    pub command: String,
}

impl StoryRun {
    /// Simulates run `run` of the scenario exactly as `backsim run` does.
    pub fn simulate(s: &Scenario, run: u64) -> StoryRun {
        let mut world = World::new(s);
        let mut record = Recorder::default();
        let result = world.run_seeded(s.seed, s.point, run, &mut record);
        let in_house = if world.buyers.is_empty() {
            0.0
        } else {
            world.buyers.iter().map(|b| b.v.in_house_capacity).sum::<f64>() / world.buyers.len() as f64
        };
        StoryRun {
            scenario: s.clone(),
            run,
            result,
            episodes: world.episodes.clone(),
            record,
            price: world.p0,
            volume: world.volume,
            term: (world.rv.contract.term as u32, world.rv.contract.renewals as u32),
            threshold: world.rv.contract.quality_threshold,
            alternatives: world.rv.market.alternatives as u32,
            in_house,
            command: String::new(),
        }
        .with_command(&s.name, &[])
    }

    /// Names the `backsim run` command that has this run as row `run` of
    /// its runs.csv: the scenario as it was given (a built-in name or a
    /// file), the `--set` overrides, the seed, the point if not 0, and
    /// `--runs` when the scenario's runs stop before this one.
    pub fn with_command(mut self, scenario: &str, sets: &[String]) -> StoryRun {
        let s = &self.scenario;
        let mut words = vec!["backsim".to_string(), "run".into(), shell_word(scenario)];
        for set in sets {
            words.extend(["--set".into(), shell_word(set)]);
        }
        words.extend(["--seed".into(), s.seed.to_string()]);
        if s.point != 0 {
            words.extend(["--point".into(), s.point.to_string()]);
        }
        if self.run >= s.runs {
            words.extend(["--runs".into(), (self.run + 1).to_string()]);
        }
        self.command = words.join(" ");
        self
    }

    /// The run told in plain language.
    pub fn narrate(&self, lang: Lang) -> String {
        Teller::new(self, lang).tell()
    }

    /// Writes the run's full per-period state, one row per period and unit
    /// (see [`STORY_COLUMNS`]).
    pub fn write_csv<W: std::io::Write>(&self, w: &mut csv::Writer<W>) -> csv::Result<()> {
        w.write_record(STORY_COLUMNS.iter().map(|(c, _)| *c))?;
        let names = Names::new(self);
        for (t, snap) in self.record.periods.iter().enumerate() {
            let date = self.scenario.time.label(t as u32);
            for (u, unit) in snap.units.iter().enumerate() {
                let b = &snap.buyers[unit.buyer as usize];
                let has_p = unit.provider != NONE;
                let p = has_p.then(|| &snap.providers[unit.provider as usize]);
                let (contracted, delivered) = (unit.state == UnitState::Contracted, unit.delivered);
                let f = |x: f64| if x.is_finite() { x.to_string() } else { String::new() };
                let when = |ok: bool, x: f64| if ok { f(x) } else { String::new() };
                let flag = |x: bool| if x { "1" } else { "0" }.to_string();
                w.write_record([
                    t.to_string(),
                    date.clone(),
                    (u + 1).to_string(),
                    (unit.buyer + 1).to_string(),
                    state_name(unit.state).to_string(),
                    if has_p {
                        (unit.provider + 1).to_string()
                    } else {
                        String::new()
                    },
                    if has_p {
                        names.provider(unit.provider, Lang::En)
                    } else {
                        String::new()
                    },
                    p.map_or(String::new(), |p| kind_name(p.kind).to_string()),
                    if has_p {
                        if unit.partnership { "partnership" } else { "procurement" }.to_string()
                    } else {
                        String::new()
                    },
                    if delivered {
                        unit.contract_period.to_string()
                    } else {
                        String::new()
                    },
                    when(delivered, unit.price),
                    when(delivered, unit.order),
                    when(delivered, unit.quality),
                    when(delivered, unit.staffing),
                    when(delivered, unit.margin),
                    when(contracted, unit.grievance),
                    f(unit.trust_b),
                    f(unit.trust_p),
                    unit.complaints.to_string(),
                    flag(unit.audited),
                    flag(unit.breach),
                    flag(unit.sanctioned),
                    unit.disputes.to_string(),
                    unit.legal.to_string(),
                    unit.notice_left.to_string(),
                    when(unit.state != UnitState::Dormant && !contracted, unit.ramp),
                    p.map_or(String::new(), |p| f(p.reserves)),
                    p.map_or(String::new(), |p| flag(p.alive)),
                    f(b.demand),
                    f(b.baseline),
                    f(b.served_in),
                    f(b.spot),
                    f(b.unserved),
                    f(b.audit_rate),
                    f(b.capability),
                    f(snap.costs.total()),
                    f(snap.costs.reference),
                ])?;
            }
        }
        Ok(())
    }
}

/// Columns of the `--csv` file of `backsim story`, with their meaning.
pub const STORY_COLUMNS: &[(&str, &str)] = &[
    ("period", "period (0-based)"),
    ("date", "calendar label, or `period N`"),
    ("unit", "service unit, numbered from 1 as in the story"),
    ("buyer", "the unit's buyer, from 1"),
    (
        "state",
        "contracted, transition (being taken back in-house), in_house or dormant",
    ),
    ("provider", "current or last provider, from 1 (empty if none)"),
    ("provider_name", "its name in the story"),
    ("provider_kind", "commercial, nonprofit or state_owned"),
    ("form", "procurement or partnership"),
    ("contract_period", "contract period of the episode (1 = first term)"),
    ("price", "indexed price per place-period (currency)"),
    ("volume", "places ordered from the provider"),
    ("quality", "delivered quality (0-1)"),
    ("staffing", "provider's staffing level (1 = full)"),
    ("expected_margin", "provider's expected margin (share of revenue)"),
    ("grievance", "buyer's grievance about the contract"),
    ("buyer_trust", "buyer's trust in the provider (0-1)"),
    ("provider_trust", "provider's trust in the buyer (0-1)"),
    ("complaints", "complaints this period"),
    ("audited", "1 if audited this period"),
    ("breach", "1 if an audit found quality below the threshold"),
    ("sanctioned", "1 if sanctioned this period"),
    ("open_disputes", "disputes open at the end of the period"),
    ("open_legal_cases", "legal cases open (they outlive the contract)"),
    ("notice_left", "periods of notice left (0: none given)"),
    ("ramp", "in-house capacity after a takeback (0-1)"),
    ("provider_reserves", "provider's financial reserves (currency)"),
    ("provider_alive", "1 if the provider is still in business"),
    ("buyer_demand", "the buyer's demand this period (places)"),
    ("buyer_baseline", "the buyer's baseline demand (places)"),
    ("buyer_in_house", "places the buyer served in-house"),
    ("buyer_spot", "places bought on the spot market"),
    ("buyer_unserved", "places not served"),
    ("audit_rate", "the buyer's audit probability this period"),
    ("buyer_capability", "the buyer's in-house capability (0-1)"),
    ("cost_so_far", "the buyer's total cost up to this period (currency)"),
    (
        "reference_so_far",
        "the same served demand at the opening price, so far (currency)",
    ),
];

fn state_name(s: UnitState) -> &'static str {
    match s {
        UnitState::Dormant => "dormant",
        UnitState::Contracted => "contracted",
        UnitState::Transition => "transition",
        UnitState::InHouse => "in_house",
    }
}

fn kind_name(k: ProviderKind) -> &'static str {
    match k {
        ProviderKind::Commercial => "commercial",
        ProviderKind::Nonprofit => "nonprofit",
        ProviderKind::StateOwned => "state_owned",
    }
}

/// Names of buyers, providers and units in the story.
struct Names {
    incumbents: Vec<(String, u32, u32)>,
    n_incumbents: u32,
    alternatives: u32,
    buyers: Vec<String>,
    one_buyer: bool,
    unit_buyer: Vec<u32>,
}

impl Names {
    fn new(r: &StoryRun) -> Names {
        let s = &r.scenario;
        let mut incumbents = Vec::new();
        for g in &s.providers {
            for i in 0..g.count {
                incumbents.push((g.name.clone(), i + 1, g.count));
            }
        }
        let single_group = s.providers.len() == 1;
        if single_group {
            for (k, inc) in incumbents.iter_mut().enumerate() {
                inc.0 = String::new();
                inc.1 = k as u32 + 1;
            }
        }
        let mut buyers = Vec::new();
        for g in &s.buyers {
            for i in 0..g.count {
                buyers.push(if s.buyers.len() == 1 {
                    format!("{}", buyers.len() + 1)
                } else if g.count == 1 {
                    g.name.clone()
                } else {
                    format!("{} {}", g.name, i + 1)
                });
            }
        }
        Names {
            n_incumbents: incumbents.len() as u32,
            incumbents,
            alternatives: r.alternatives,
            one_buyer: buyers.len() == 1,
            buyers,
            unit_buyer: r
                .record
                .periods
                .first()
                .map(|p| p.units.iter().map(|u| u.buyer).collect())
                .unwrap_or_default(),
        }
    }

    fn provider(&self, p: u32, lang: Lang) -> String {
        if p < self.n_incumbents {
            let (g, i, count) = &self.incumbents[p as usize];
            if g.is_empty() {
                say!(lang, "provider {i}", "utförare {i}")
            } else if *count == 1 {
                g.clone()
            } else {
                format!("{g} {i}")
            }
        } else if p < self.n_incumbents + self.alternatives {
            let j = p - self.n_incumbents + 1;
            say!(lang, "alternative {j}", "alternativ {j}")
        } else {
            let j = p - self.n_incumbents - self.alternatives + 1;
            say!(lang, "newcomer {j}", "nykomling {j}")
        }
    }

    fn buyer(&self, b: u32, lang: Lang) -> String {
        if self.one_buyer {
            say!(lang, "the buyer", "beställaren")
        } else {
            let n = &self.buyers[b as usize];
            if n.chars().all(|c| c.is_ascii_digit()) {
                say!(lang, "buyer {n}", "beställare {n}")
            } else {
                n.clone()
            }
        }
    }
}

/// Upper-cases the first letter.
fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Tells one run.
struct Teller<'a> {
    r: &'a StoryRun,
    lang: Lang,
    names: Names,
    out: String,
}

impl<'a> Teller<'a> {
    fn new(r: &'a StoryRun, lang: Lang) -> Self {
        Teller {
            names: Names::new(r),
            r,
            lang,
            out: String::new(),
        }
    }

    /// A number with `d` decimals, with a decimal comma in Swedish.
    fn n(&self, x: f64, d: usize) -> String {
        let s = format!("{x:.d$}");
        let s = if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
            s[1..].to_string()
        } else {
            s.replace('-', "−")
        };
        match self.lang {
            Lang::En => s,
            Lang::Sv => s.replace('.', ","),
        }
    }

    /// Money with about four significant digits.
    fn money(&self, x: f64) -> String {
        if x == 0.0 {
            return format!("0 {}", self.r.scenario.time.currency);
        }
        let a = x.abs();
        let d = if a >= 100.0 {
            1
        } else if a >= 1.0 {
            2
        } else {
            // Three significant digits for small amounts.
            (2.0 - crate::math::log10(a).floor()).clamp(3.0, 9.0) as usize
        };
        format!("{} {}", self.n(x, d), self.r.scenario.time.currency)
    }

    fn pct(&self, x: f64) -> String {
        match self.lang {
            Lang::En => format!("{}%", self.n(100.0 * x, 0)),
            Lang::Sv => format!("{} %", self.n(100.0 * x, 0)),
        }
    }

    fn date(&self, t: u32) -> String {
        let label = self.r.scenario.time.label(t);
        match self.lang {
            Lang::En => label,
            Lang::Sv => {
                if let Some((y, q)) = label.split_once(" Q") {
                    format!("{y} kv{q}")
                } else if let Some((y, m)) = label.split_once('-') {
                    const MONTHS: [&str; 12] = [
                        "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
                    ];
                    let i = m.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1;
                    format!("{} {y}", MONTHS[i])
                } else {
                    label
                }
            }
        }
    }

    /// "3 quarters", "1 quarter", "3 kvartal".
    fn periods(&self, n: u32) -> String {
        let k = self.r.scenario.time.period;
        let word = match (self.lang, k, n == 1) {
            (Lang::En, PeriodKind::Month, true) => "month",
            (Lang::En, PeriodKind::Month, false) => "months",
            (Lang::En, PeriodKind::Quarter, true) => "quarter",
            (Lang::En, PeriodKind::Quarter, false) => "quarters",
            (Lang::En, PeriodKind::Year, true) => "year",
            (Lang::En, PeriodKind::Year, false) => "years",
            (Lang::Sv, PeriodKind::Month, true) => "månad",
            (Lang::Sv, PeriodKind::Month, false) => "månader",
            (Lang::Sv, PeriodKind::Quarter, _) => "kvartal",
            (Lang::Sv, PeriodKind::Year, _) => "år",
        };
        format!("{n} {word}")
    }

    fn unit(&self, u: u32) -> String {
        let n = u + 1;
        let name = say!(self.lang, "unit {n}", "enhet {n}");
        match self.names.unit_buyer.get(u as usize) {
            Some(b) if !self.names.one_buyer => format!("{name} ({})", self.names.buyer(*b, self.lang)),
            _ => name,
        }
    }

    fn provider(&self, p: u32) -> String {
        self.names.provider(p, self.lang)
    }

    /// A list of at most six items, then "and N more".
    fn list(&self, items: &[String]) -> String {
        let shown: Vec<&str> = items.iter().take(6).map(String::as_str).collect();
        let mut s = match shown.len() {
            0 => String::new(),
            1 => shown[0].to_string(),
            _ => {
                let and = say!(self.lang, "and", "och");
                format!(
                    "{} {and} {}",
                    shown[..shown.len() - 1].join(", "),
                    shown[shown.len() - 1]
                )
            }
        };
        if items.len() > 6 {
            let more = items.len() - 6;
            s = say!(self.lang, "{s} and {more} more", "{s} och {more} till");
        }
        s
    }

    fn tell(mut self) -> String {
        self.intro();
        let n = self.r.record.periods.len();
        let mut quiet_from: Option<usize> = None;
        for t in 0..n {
            let (notable, turning) = self.notable(t);
            if notable {
                if let Some(a) = quiet_from.take() {
                    self.quiet(a, t - 1);
                }
                self.period(t, turning);
            } else if quiet_from.is_none() {
                quiet_from = Some(t);
            }
        }
        if let Some(a) = quiet_from {
            self.quiet(a, n - 1);
        }
        self.bill();
        self.out
    }

    fn intro(&mut self) {
        let r = self.r;
        let s = &r.scenario;
        let lang = self.lang;
        let (run, seed, name) = (r.run, s.seed, s.name.clone());
        // Another experiment point's futures are named after the seed.
        let point = s.point;
        let at = if point == 0 {
            String::new()
        } else {
            say!(lang, ", point {point}", ", punkt {point}")
        };
        let head = say!(
            lang,
            "The story of run {run} of the scenario \"{name}\" (seed {seed}{at})",
            "Berättelsen om körning {run} av scenariot \"{name}\" (frö {seed}{at})"
        );
        let _ = writeln!(self.out, "{head}\n{}", "=".repeat(head.chars().count()));
        if !s.description.is_empty() {
            let _ = writeln!(self.out, "{}\n", s.description);
        }
        let buyers = s.buyer_count();
        let units = s.contracted_unit_count();
        let first = &r.record.periods.first();
        let incumbents: Vec<String> = (0..s.incumbent_count() as u32)
            .map(|p| {
                let kind = first
                    .map(|f| f.providers[p as usize].kind)
                    .unwrap_or(ProviderKind::Commercial);
                let k = match (lang, kind) {
                    (Lang::En, ProviderKind::Commercial) => "a firm",
                    (Lang::En, ProviderKind::Nonprofit) => "a non-profit",
                    (Lang::En, ProviderKind::StateOwned) => "state-owned",
                    (Lang::Sv, ProviderKind::Commercial) => "företag",
                    (Lang::Sv, ProviderKind::Nonprofit) => "idéburen",
                    (Lang::Sv, ProviderKind::StateOwned) => "statligt ägd",
                };
                format!("{} ({k})", self.provider(p))
            })
            .collect();
        let providers = self.list(&incumbents);
        let who = if buyers == 1 {
            let level = match (lang, s.buyers[0].level) {
                (Lang::En, Level::Municipal) => "A municipality",
                (Lang::En, Level::Regional) => "A region",
                (Lang::En, Level::National) => "A national agency",
                (Lang::Sv, Level::Municipal) => "En kommun",
                (Lang::Sv, Level::Regional) => "En region",
                (Lang::Sv, Level::National) => "En statlig myndighet",
            };
            level.to_string()
        } else {
            say!(lang, "{buyers} buyers", "{buyers} beställare")
        };
        // Several buyers are spoken of in the plural.
        let (contracts, the_buyer, produces, itself, bestallaren, sjalv) = if buyers == 1 {
            ("contracts", "The buyer", "produces", "itself", "Beställaren", "själv")
        } else {
            (
                "contract",
                "The buyers",
                "produce",
                "themselves",
                "Beställarna",
                "själva",
            )
        };
        let form = match (lang, s.form) {
            (Lang::En, Form::Procurement) if buyers > 1 => "procured contracts",
            (Lang::En, Form::Partnership) if buyers > 1 => "partnerships (IOP)",
            (Lang::En, Form::Procurement) => "a procured contract",
            (Lang::En, Form::Partnership) => "a partnership (IOP)",
            (Lang::Sv, Form::Procurement) => "genom upphandlade avtal",
            (Lang::Sv, Form::Partnership) => "i ett idéburet offentligt partnerskap (IOP)",
        };
        let alts = r.alternatives;
        let places = self.n(r.volume, 0);
        let price = self.money(r.price);
        let per = self.periods(1).trim_start_matches("1 ").to_string();
        let term = self.periods(r.term.0);
        let renewals = match (lang, r.term.1) {
            (Lang::En, 0) => "with no renewal option".to_string(),
            (Lang::En, 1) => "with 1 renewal option".to_string(),
            (Lang::En, n) => format!("with {n} renewal options"),
            (Lang::Sv, 0) => "utan förlängningsoption".to_string(),
            (Lang::Sv, 1) => "med en förlängningsoption".to_string(),
            (Lang::Sv, n) => format!("med {n} förlängningsoptioner"),
        };
        let (unit_word, enhet_ord) = if units == 1 {
            ("unit", "enhet")
        } else {
            ("units", "enheter")
        };
        let in_house = self.pct(r.in_house);
        let threshold = self.n(r.threshold, 2);
        let alt_text = match (lang, alts) {
            (Lang::En, 0) => "No other qualified provider exists.".to_string(),
            (Lang::En, 1) => "One other qualified provider could take over.".to_string(),
            (Lang::En, n) => format!("{n} other qualified providers could take over."),
            (Lang::Sv, 0) => "Det finns ingen annan kvalificerad utförare.".to_string(),
            (Lang::Sv, 1) => "En annan kvalificerad utförare skulle kunna ta över.".to_string(),
            (Lang::Sv, n) => format!("{n} andra kvalificerade utförare skulle kunna ta över."),
        };
        let _ = writeln!(
            self.out,
            "{}",
            say!(
                lang,
                "{who} {contracts} {units} service {unit_word} out to {providers}, under {form}. {alt_text} {the_buyer} {produces} {in_house} of the service {itself}. Each unit serves about {places} places; the opening price is {price} per place and {per}; a contract runs {term} {renewals}, and quality below {threshold} is a breach.",
                "{who} lägger ut {units} {enhet_ord} på {providers} {form}. {alt_text} {bestallaren} producerar {sjalv} {in_house} av tjänsten i egen regi. Varje enhet har omkring {places} platser; startpriset är {price} per plats och {per}; ett avtal löper {term} {renewals}, och kvalitet under {threshold} är ett avtalsbrott.",
            )
        );
        let span = self.periods(s.time.periods);
        let when = if s.time.start.is_some() {
            let (a, b) = (self.date(0), self.date(s.time.periods - 1));
            say!(
                lang,
                "The story covers {span}, {a} to {b}.",
                "Berättelsen omfattar {span}, {a} till {b}."
            )
        } else {
            say!(lang, "The story covers {span}.", "Berättelsen omfattar {span}.")
        };
        let legend = say!(
            lang,
            "Quiet periods are summed up in one line; ▶ marks a turning point.",
            "Lugna perioder sammanfattas på en rad; ▶ markerar en vändpunkt."
        );
        let _ = writeln!(self.out, "{when} {legend}\n");
    }

    fn events(&self, t: usize) -> impl Iterator<Item = &Event> {
        self.r
            .record
            .events
            .iter()
            .filter(move |(p, _)| *p as usize == t)
            .map(|(_, e)| e)
    }

    /// Whether a period deserves its own paragraph, and whether it is a turning point.
    fn notable(&self, t: usize) -> (bool, bool) {
        let mut notable = t == 0 || t + 1 == self.r.record.periods.len();
        let mut turning = false;
        let mut complaints = 0;
        let first_sanction = self.first_sanction();
        for e in self.events(t) {
            match e {
                Event::Complaints { count, .. } => complaints += count,
                Event::Audit { breach: false, .. } => {}
                Event::Notice { .. } | Event::Failure { .. } => {
                    notable = true;
                    turning = true;
                }
                Event::EpisodeEnd { outcome, .. } => {
                    notable = true;
                    turning |= *outcome != Outcome::Continued;
                }
                Event::Sanction { .. } => {
                    notable = true;
                    turning |= first_sanction == Some(t);
                }
                _ => notable = true,
            }
        }
        if complaints >= 3 {
            notable = true;
        }
        if self.shock_news(t).1 {
            notable = true;
            turning = true;
        } else if !self.shock_news(t).0.is_empty() {
            notable = true;
        }
        if !self.trust_news(t).is_empty() {
            notable = true;
            turning = true;
        }
        let snap = &self.r.record.periods[t];
        if snap.units.iter().any(|u| u.state == UnitState::Transition) {
            notable = true;
        }
        if t > 0 {
            let prev = self.r.record.periods[t - 1].stats.demand;
            if (snap.stats.demand - prev).abs() > 0.15 * prev.max(1e-9) {
                notable = true;
            }
        }
        (notable, turning)
    }

    fn first_sanction(&self) -> Option<usize> {
        self.r
            .record
            .events
            .iter()
            .find(|(_, e)| matches!(e, Event::Sanction { .. }))
            .map(|(p, _)| *p as usize)
    }

    /// Sentences on scheduled shocks starting or ending in period `t`, and
    /// whether one started.
    fn shock_news(&self, t: usize) -> (Vec<String>, bool) {
        let mut out = Vec::new();
        let mut started = false;
        let lang = self.lang;
        for s in &self.r.scenario.shocks {
            let name = if s.name.is_empty() {
                say!(lang, "A shock", "En chock")
            } else {
                cap(&s.name)
            };
            if s.start as usize == t {
                started = true;
                let demand = self.n(1.0 + s.size, 2);
                let mut text = say!(lang, "{name}: demand ×{demand}", "{name}: efterfrågan ×{demand}");
                if s.budget != 0.0 {
                    let budget = self.n(1.0 + s.budget, 2);
                    text += &say!(
                        lang,
                        ", the buyer's budget ×{budget}",
                        ", beställarens budget ×{budget}"
                    );
                }
                match s.duration {
                    Some(d) => {
                        let d = self.periods(d);
                        text += &say!(lang, " for {d}.", " under {d}.");
                    }
                    None => text += &say!(lang, ", from now on.", ", från och med nu."),
                }
                out.push(text);
            }
            if let Some(d) = s.duration
                && (s.start + d) as usize == t
            {
                out.push(say!(lang, "{name} is over.", "{name} är över."));
            }
        }
        (out, started)
    }

    /// Sentences when mean trust on either side falls below one half (or recovers).
    fn trust_news(&self, t: usize) -> Vec<String> {
        if t == 0 {
            return Vec::new();
        }
        let (a, b) = (&self.r.record.periods[t - 1].stats, &self.r.record.periods[t].stats);
        let mut out = Vec::new();
        let lang = self.lang;
        let cross = |x: f64, y: f64| x.is_finite() && y.is_finite() && (x >= 0.5) != (y >= 0.5);
        if cross(a.buyer_trust, b.buyer_trust) {
            out.push(if b.buyer_trust < 0.5 {
                say!(
                    lang,
                    "The buyer's trust falls below one half.",
                    "Beställarens förtroende faller under hälften."
                )
            } else {
                say!(
                    lang,
                    "The buyer's trust is back above one half.",
                    "Beställarens förtroende är tillbaka över hälften."
                )
            });
        }
        if cross(a.provider_trust, b.provider_trust) {
            out.push(if b.provider_trust < 0.5 {
                say!(
                    lang,
                    "The providers' trust in the buyer falls below one half.",
                    "Utförarnas förtroende för beställaren faller under hälften."
                )
            } else {
                say!(
                    lang,
                    "The providers' trust in the buyer is back above one half.",
                    "Utförarnas förtroende för beställaren är tillbaka över hälften."
                )
            });
        }
        out
    }

    /// One line for periods `a..=b` where nothing much happened.
    fn quiet(&mut self, a: usize, b: usize) {
        let ps = &self.r.record.periods[a..=b];
        let lang = self.lang;
        let range = |f: &dyn Fn(&Snapshot) -> f64| {
            let v: Vec<f64> = ps.iter().map(f).filter(|x| x.is_finite()).collect();
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (lo, hi)
        };
        let (dlo, dhi) = range(&|s| s.stats.demand);
        let (qlo, qhi) = range(&|s| s.stats.quality);
        let span = if a == b {
            self.date(a as u32)
        } else {
            format!("{}–{}", self.date(a as u32), self.date(b as u32))
        };
        let demand = if self.n(100.0 * dlo, 0) == self.n(100.0 * dhi, 0) {
            self.pct(dlo)
        } else {
            format!("{}–{}", self.n(100.0 * dlo, 0), self.pct(dhi))
        };
        // A period that served nothing has no quality; a span of only such
        // periods says so.
        let quality = if qlo > qhi {
            say!(lang, "nothing served", "inget levererat")
        } else {
            let (lo, hi) = (self.n(qlo, 2), self.n(qhi, 2));
            let q = if lo == hi { lo } else { format!("{lo}–{hi}") };
            say!(lang, "quality {q}", "kvalitet {q}")
        };
        let mut parts = vec![say!(
            lang,
            "demand {demand} of the baseline, {quality}",
            "efterfrågan {demand} av normalnivån, {quality}"
        )];
        let first = &ps[0].stats;
        let last = &ps[ps.len() - 1].stats;
        if first.buyer_trust.is_finite() && last.buyer_trust.is_finite() {
            let (b0, b1) = (self.n(first.buyer_trust, 2), self.n(last.buyer_trust, 2));
            let (p0, p1) = (self.n(first.provider_trust, 2), self.n(last.provider_trust, 2));
            parts.push(if b0 == b1 && p0 == p1 {
                say!(
                    lang,
                    "trust steady at {b0} (buyer) and {p0} (provider)",
                    "förtroendet stabilt på {b0} (beställaren) och {p0} (utföraren)"
                )
            } else {
                say!(
                    lang,
                    "trust {b0}→{b1} (buyer) and {p0}→{p1} (provider)",
                    "förtroende {b0}→{b1} (beställaren) och {p0}→{p1} (utföraren)"
                )
            });
        }
        let mut audits = 0;
        let mut complaints = 0;
        for t in a..=b {
            for e in self.events(t) {
                match e {
                    Event::Audit { .. } => audits += 1,
                    Event::Complaints { count, .. } => complaints += count,
                    _ => {}
                }
            }
        }
        if audits > 0 {
            parts.push(match (lang, audits) {
                (Lang::En, 1) => "one audit found nothing wrong".to_string(),
                (Lang::En, n) => format!("{n} audits found nothing wrong"),
                (Lang::Sv, 1) => "en granskning fann inga brister".to_string(),
                (Lang::Sv, n) => format!("{n} granskningar fann inga brister"),
            });
        }
        if complaints > 0 {
            parts.push(match (lang, complaints) {
                (Lang::En, 1) => "one complaint".to_string(),
                (Lang::En, n) => format!("{n} complaints"),
                (Lang::Sv, 1) => "ett klagomål".to_string(),
                (Lang::Sv, n) => format!("{n} klagomål"),
            });
        }
        let quiet = say!(lang, "quiet", "lugnt");
        let _ = writeln!(self.out, "{span}  {quiet}: {}.\n", parts.join("; "));
    }

    /// The paragraph of one notable period.
    fn period(&mut self, t: usize, turning: bool) {
        let lang = self.lang;
        let r = self.r;
        let snap = &r.record.periods[t];
        let mark = if turning { " ▶" } else { "" };
        let mut lines: Vec<String> = Vec::new();
        // Scheduled shocks first: they explain the rest.
        lines.extend(self.shock_news(t).0);
        // Demand and how it was served.
        let demand: f64 = snap.buyers.iter().map(|b| b.demand).sum();
        let spot: f64 = snap.buyers.iter().map(|b| b.spot).sum();
        let unserved: f64 = snap.buyers.iter().map(|b| b.unserved).sum();
        let (d, rel) = (self.n(demand, 1), self.pct(snap.stats.demand));
        let mut line = say!(
            lang,
            "Demand {d} places ({rel} of the baseline).",
            "Efterfrågan {d} platser ({rel} av normalnivån)."
        );
        if spot > 0.05 {
            let (sp, price) = (self.n(spot, 1), self.money(snap.spot_price));
            line += &say!(
                lang,
                " {sp} places are bought on the spot market at {price} each.",
                " {sp} platser köps in akut till {price} styck."
            );
        }
        if unserved > 0.05 {
            let u = self.n(unserved, 1);
            line += &say!(lang, " {u} places go unserved.", " {u} platser blir utan insats.");
        }
        if t > 0 {
            let prev = r.record.periods[t - 1].stats.demand;
            let change = snap.stats.demand / prev.max(1e-9) - 1.0;
            if change.abs() > 0.15 && prev > 0.0 {
                let c = self.pct(change.abs());
                line += &if change > 0.0 {
                    say!(
                        lang,
                        " That is a sharp rise, {c} up on the period before.",
                        " Det är en kraftig ökning, {c} mer än perioden innan."
                    )
                } else {
                    say!(
                        lang,
                        " That is a sharp fall, {c} down on the period before.",
                        " Det är ett kraftigt fall, {c} mindre än perioden innan."
                    )
                };
            }
        }
        lines.push(line);
        // What each provider delivered.
        let mut by_provider: Vec<(u32, Vec<&UnitSnap>)> = Vec::new();
        for u in snap.units.iter().filter(|u| u.delivered) {
            match by_provider.iter_mut().find(|(p, _)| *p == u.provider) {
                Some((_, v)) => v.push(u),
                None => by_provider.push((u.provider, vec![u])),
            }
        }
        by_provider.sort_by_key(|(p, _)| *p);
        let delivered: Vec<String> = by_provider
            .iter()
            .map(|(p, us)| {
                let q = us.iter().map(|u| u.quality).sum::<f64>() / us.len() as f64;
                let staff = us.iter().map(|u| u.staffing).sum::<f64>() / us.len() as f64;
                let (name, q, n) = (self.provider(*p), self.n(q, 2), us.len());
                let units = match (lang, n) {
                    (Lang::En, 1) => "1 unit".to_string(),
                    (Lang::En, n) => format!("{n} units"),
                    (Lang::Sv, 1) => "1 enhet".to_string(),
                    (Lang::Sv, n) => format!("{n} enheter"),
                };
                let mut s = say!(lang, "{name} {q} on {units}", "{name} {q} på {units}");
                if staff < 0.95 {
                    let st = self.pct(staff);
                    s += &say!(lang, " (staffing cut to {st})", " (bemanningen nere i {st})");
                }
                s
            })
            .collect();
        if !delivered.is_empty() {
            let list = self.list(&delivered);
            lines.push(say!(lang, "Quality delivered: {list}.", "Levererad kvalitet: {list}."));
        }
        // Observation and enforcement.
        let mut complaints: Vec<(u32, u32)> = Vec::new();
        let mut breaches: Vec<String> = Vec::new();
        let mut passed = 0;
        let mut sanctions: Vec<(u32, f64)> = Vec::new();
        let mut dialogue: Vec<String> = Vec::new();
        let mut disputes: Vec<u32> = Vec::new();
        let mut legal: Vec<u32> = Vec::new();
        for e in self.events(t) {
            match *e {
                Event::Complaints { unit, count } => complaints.push((unit, count)),
                Event::Audit { unit, quality, breach } => {
                    if breach {
                        breaches.push(format!("{} ({})", self.unit(unit), self.n(quality, 2)));
                    } else {
                        passed += 1;
                    }
                }
                Event::Sanction { unit, amount } => sanctions.push((unit, amount)),
                Event::Dialogue { unit } => dialogue.push(self.unit(unit)),
                Event::Dispute { unit } => disputes.push(unit),
                Event::LegalCase { unit } => legal.push(unit),
                _ => {}
            }
        }
        if !complaints.is_empty() {
            let total: u32 = complaints.iter().map(|c| c.1).sum();
            let items: Vec<String> = complaints
                .iter()
                .map(|(u, c)| {
                    if *c == 1 {
                        self.unit(*u)
                    } else {
                        format!("{} ×{c}", self.unit(*u))
                    }
                })
                .collect();
            let list = self.list(&items);
            lines.push(say!(
                lang,
                "Complaints: {total} ({list}).",
                "Klagomål: {total} ({list})."
            ));
        }
        if !breaches.is_empty() {
            let (list, th) = (self.list(&breaches), self.n(r.threshold, 2));
            lines.push(say!(
                lang,
                "An audit finds quality below the {th} threshold at {list}.",
                "En granskning finner kvalitet under kravnivån {th} på {list}."
            ));
        }
        if passed > 0 {
            lines.push(match (lang, passed) {
                (Lang::En, 1) => "One audit finds nothing wrong.".to_string(),
                (Lang::En, n) => format!("{n} audits find nothing wrong."),
                (Lang::Sv, 1) => "En granskning finner inga brister.".to_string(),
                (Lang::Sv, n) => format!("{n} granskningar finner inga brister."),
            });
        }
        if !dialogue.is_empty() {
            let list = self.list(&dialogue);
            lines.push(say!(
                lang,
                "Under the partnership the breach at {list} is met with dialogue, not a sanction.",
                "Inom partnerskapet möts bristen på {list} med dialog i stället för sanktion."
            ));
        }
        if !sanctions.is_empty() {
            let items: Vec<String> = sanctions
                .iter()
                .map(|(u, a)| format!("{} {}", self.unit(*u), self.money(*a)))
                .collect();
            let list = self.list(&items);
            lines.push(say!(lang, "Sanctions: {list}.", "Sanktioner: {list}."));
        }
        if !disputes.is_empty() {
            let contested: Vec<String> = disputes
                .iter()
                .filter(|u| sanctions.iter().any(|(s, _)| s == *u))
                .map(|u| self.unit(*u))
                .collect();
            let index: Vec<String> = disputes
                .iter()
                .filter(|u| !sanctions.iter().any(|(s, _)| s == *u))
                .map(|u| self.unit(*u))
                .collect();
            if !contested.is_empty() {
                let list = self.list(&contested);
                lines.push(say!(
                    lang,
                    "The provider contests the sanction at {list}: a dispute starts.",
                    "Utföraren bestrider sanktionen på {list}: en tvist inleds."
                ));
            }
            if !index.is_empty() {
                let list = self.list(&index);
                lines.push(say!(
                    lang,
                    "A dispute starts over the price at {list}: costs rise faster than the indexed price.",
                    "En tvist om priset inleds på {list}: kostnaderna stiger snabbare än det indexerade priset."
                ));
            }
        }
        if !legal.is_empty() {
            let items: Vec<String> = legal.iter().map(|u| self.unit(*u)).collect();
            let n = legal.len();
            let list = self.list(&items);
            lines.push(match (lang, n) {
                (Lang::En, 1) => format!("A legal case starts over {list}; it can outlive the contract."),
                (Lang::En, n) => format!("{n} legal cases start ({list}); they can outlive the contracts."),
                (Lang::Sv, 1) => format!("Ett rättsligt efterspel inleds kring {list}; det kan överleva avtalet."),
                (Lang::Sv, n) => format!("{n} rättsliga efterspel inleds ({list}); de kan överleva avtalen."),
            });
        }
        // Decisions: providers, then buyers, then transitions; the same
        // decision on several units is told once.
        let events: Vec<&Event> = self.events(t).collect();
        let mut groups: Vec<(String, Vec<u32>)> = Vec::new();
        let mut add = |key: String, unit: u32| match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, units)) => units.push(unit),
            None => groups.push((key, vec![unit])),
        };
        let mut singles: Vec<String> = Vec::new();
        for (i, e) in events.iter().enumerate() {
            match **e {
                Event::Notice {
                    unit,
                    provider,
                    periods,
                } => {
                    add(format!("notice|{provider}|{periods}"), unit);
                }
                Event::Failure { provider, units } => {
                    let p = cap(&self.provider(provider));
                    let reserves = self.money(snap.providers[provider as usize].reserves);
                    singles.push(match (lang, units) {
                        (Lang::En, 0) => format!("{p} fails: its reserves have run out ({reserves})."),
                        (Lang::En, n) => format!(
                            "{p} fails: its reserves have run out ({reserves}), and its {} must be taken back at once, with no notice.",
                            if n == 1 { "unit".to_string() } else { format!("{n} units") }
                        ),
                        (Lang::Sv, 0) => format!("{p} går omkull: reserverna är slut ({reserves})."),
                        (Lang::Sv, n) => format!(
                            "{p} går omkull: reserverna är slut ({reserves}), och {} måste tas tillbaka direkt, utan uppsägningstid.",
                            if n == 1 { "dess enhet".to_string() } else { format!("dess {n} enheter") }
                        ),
                    });
                }
                Event::EpisodeEnd {
                    unit,
                    provider,
                    outcome,
                    cause,
                } => {
                    // A switch is told together with the new contract.
                    let next = events[i + 1..].iter().find_map(|e| match **e {
                        Event::EpisodeStart {
                            unit: u,
                            provider,
                            price,
                        } if u == unit => Some((provider, price)),
                        _ => None,
                    });
                    let notice = cause == Cause::Exit && self.had_notice(unit, t);
                    let next = next.map_or(String::new(), |(q, price)| format!("{q}|{}", self.money(price)));
                    let partnership = snap.units[unit as usize].partnership;
                    add(
                        format!(
                            "end|{}|{}|{provider}|{notice}|{partnership}|{next}",
                            outcome.name(),
                            cause.name()
                        ),
                        unit,
                    );
                }
                Event::EpisodeStart { unit, provider, price } => {
                    let switched = events[..i]
                        .iter()
                        .any(|e| matches!(**e, Event::EpisodeEnd { unit: u, .. } if u == unit));
                    if !switched {
                        add(format!("start|{provider}|{}", self.money(price)), unit);
                    }
                }
                Event::Renewal { unit, price, option } => {
                    let us = &snap.units[unit as usize];
                    add(
                        format!(
                            "renew|{}|{}|{}|{}|{option}",
                            us.provider,
                            self.money(price),
                            us.partnership,
                            us.next_contract_period
                        ),
                        unit,
                    );
                }
                Event::Appeal { unit, delay } => add(format!("appeal|{delay}"), unit),
                Event::RampDone { unit } => add("ramped".into(), unit),
                Event::Entry { provider } => {
                    let p = self.provider(provider);
                    singles.push(say!(
                        lang,
                        "A new provider enters the market ({p}).",
                        "En ny utförare träder in på marknaden ({p})."
                    ));
                }
                _ => {}
            }
        }
        for (i, u) in snap.units.iter().enumerate() {
            if u.state == UnitState::Transition {
                add(format!("ramping|{}", self.pct(u.ramp)), i as u32);
            }
        }
        lines.extend(singles);
        for (key, units) in &groups {
            lines.push(self.decision(key, units, t));
        }
        // Trust on both sides.
        let s = &snap.stats;
        if s.buyer_trust.is_finite() {
            let prev = if t > 0 {
                Some(&r.record.periods[t - 1].stats)
            } else {
                None
            };
            let delta = |now: f64, before: Option<f64>| match before {
                Some(b) if b.is_finite() && (now - b).abs() >= 0.005 => {
                    format!(" ({}{})", if now > b { "+" } else { "" }, self.n(now - b, 2))
                }
                _ => String::new(),
            };
            let (b, db) = (
                self.n(s.buyer_trust, 2),
                delta(s.buyer_trust, prev.map(|p| p.buyer_trust)),
            );
            let (p, dp) = (
                self.n(s.provider_trust, 2),
                delta(s.provider_trust, prev.map(|p| p.provider_trust)),
            );
            lines.push(if r.scenario.incumbent_count() > 1 {
                say!(
                    lang,
                    "Trust: the buyer's {b}{db}, the providers' {p}{dp}.",
                    "Förtroende: beställarens {b}{db}, utförarnas {p}{dp}."
                )
            } else {
                say!(
                    lang,
                    "Trust: the buyer's {b}{db}, the provider's {p}{dp}.",
                    "Förtroende: beställarens {b}{db}, utförarens {p}{dp}."
                )
            });
        }
        lines.extend(self.trust_news(t));
        let date = self.date(t as u32);
        let _ = writeln!(self.out, "{date}{mark}");
        for l in lines {
            let _ = writeln!(self.out, "    {l}");
        }
        let _ = writeln!(self.out);
    }

    /// Whether unit `u`'s episode ending in period `t` followed a notice.
    fn had_notice(&self, u: u32, t: usize) -> bool {
        for (p, e) in self.r.record.events.iter().rev() {
            if *p as usize >= t {
                continue;
            }
            match *e {
                Event::Notice { unit, .. } if unit == u => return true,
                Event::EpisodeEnd { unit, .. } | Event::EpisodeStart { unit, .. } | Event::Renewal { unit, .. }
                    if unit == u =>
                {
                    return false;
                }
                _ => {}
            }
        }
        false
    }

    /// "unit 3" or "units 1–4 and 6", and whether it is plural.
    fn units_text(&self, units: &[u32]) -> (String, bool) {
        if units.len() == 1 {
            return (self.unit(units[0]), false);
        }
        if !self.names.one_buyer {
            let items: Vec<String> = units.iter().map(|u| self.unit(*u)).collect();
            return (self.list(&items), true);
        }
        let mut nums: Vec<u32> = units.iter().map(|u| u + 1).collect();
        nums.sort_unstable();
        nums.dedup();
        let mut parts: Vec<String> = Vec::new();
        let mut i = 0;
        while i < nums.len() {
            let mut j = i;
            while j + 1 < nums.len() && nums[j + 1] == nums[j] + 1 {
                j += 1;
            }
            parts.push(match j - i {
                0 => nums[i].to_string(),
                1 => format!("{}, {}", nums[i], nums[j]),
                _ => format!("{}–{}", nums[i], nums[j]),
            });
            i = j + 1;
        }
        let list = self.list(&parts);
        (say!(self.lang, "units {list}", "enheterna {list}"), true)
    }

    /// One sentence for a decision taken on one or more units (see `period`).
    fn decision(&self, key: &str, units: &[u32], t: usize) -> String {
        let lang = self.lang;
        let k: Vec<&str> = key.split('|').collect();
        let num = |i: usize| k.get(i).and_then(|x| x.parse::<u32>().ok()).unwrap_or(0);
        let (us, plural) = self.units_text(units);
        let us_cap = cap(&us);
        let (it, they_sv) = match (plural, lang) {
            (false, Lang::En) => ("it", "it"),
            (true, Lang::En) => ("them", "they"),
            (false, Lang::Sv) => ("den", "den"),
            (true, Lang::Sv) => ("dem", "de"),
        };
        let snap = &self.r.record.periods[t];
        match k[0] {
            "notice" => {
                let p = cap(&self.provider(num(1)));
                let n = self.periods(num(2));
                let m = units.iter().map(|u| snap.units[*u as usize].margin).sum::<f64>() / units.len() as f64;
                let margin = self.pct(m);
                say!(
                    lang,
                    "{p} gives notice on {us}: its expected margin has fallen to {margin}, below what it accepts. It leaves in {n}.",
                    "{p} säger upp avtalet för {us}: den väntade marginalen har fallit till {margin}, under vad den accepterar. Den lämnar om {n}."
                )
            }
            "end" => {
                let p = self.provider(num(3));
                let pc = cap(&p);
                let notice = k.get(4) == Some(&"true");
                let why = match (lang, k[2]) {
                    (Lang::En, "grievance") => "because its grievance passed what it tolerates",
                    (Lang::En, "term_end") => "at the end of the term",
                    (Lang::Sv, "grievance") => "eftersom missnöjet gått över toleransgränsen",
                    (Lang::Sv, "term_end") => "när avtalstiden löper ut",
                    _ => "",
                };
                match (k[1], k[2]) {
                    ("switched", _) => {
                        let next = (k.len() > 7 && !k[6].is_empty()).then(|| (self.provider(num(6)), k[7].to_string()));
                        match next {
                            Some((q, price)) => {
                                let moves = match (lang, plural) {
                                    (Lang::En, false) => "it moves",
                                    (Lang::En, true) => "they move",
                                    (Lang::Sv, _) => they_sv,
                                };
                                say!(
                                    lang,
                                    "The buyer re-tenders {us} {why}: {moves} from {p} to {q} at {price} per place.",
                                    "Beställaren upphandlar {us} på nytt {why}: {moves} går från {p} till {q} för {price} per plats."
                                )
                            }
                            None => say!(
                                lang,
                                "The buyer re-tenders {us} {why}, and {p} loses {it}.",
                                "Beställaren upphandlar {us} på nytt {why}, och {p} förlorar {it}."
                            ),
                        }
                    }
                    ("initiated", _) => say!(
                        lang,
                        "The buyer takes {us} back in-house from {p} {why}: initiated backsourcing.",
                        "Beställaren tar tillbaka {us} i egen regi från {p} {why}: initierad backsourcing."
                    ),
                    ("involuntary", "failure") => {
                        let is = if plural { "are" } else { "is" };
                        say!(
                            lang,
                            "{us_cap} {is} taken back in-house from {p}, which failed: involuntary backsourcing.",
                            "{us_cap} tas tillbaka i egen regi från {p}, som gått omkull: ofrivillig backsourcing."
                        )
                    }
                    ("involuntary", "renegotiation") => say!(
                        lang,
                        "The renegotiation of the partnership for {us} fails: {p} will not accept what the buyer offers, and the buyer has to take {it} back in-house: involuntary backsourcing.",
                        "Omförhandlingen av partnerskapet för {us} misslyckas: {p} accepterar inte beställarens bud, och beställaren måste ta tillbaka {it} i egen regi: ofrivillig backsourcing."
                    ),
                    ("involuntary", _) if notice => say!(
                        lang,
                        "{pc} leaves {us} after its notice, and the buyer has to take {it} back in-house: involuntary backsourcing.",
                        "{pc} lämnar {us} efter sin uppsägning, och beställaren måste ta tillbaka {it} i egen regi: ofrivillig backsourcing."
                    ),
                    ("involuntary", _) => say!(
                        lang,
                        "{pc} will not renew the contract for {us}, and the buyer has to take {it} back in-house: involuntary backsourcing.",
                        "{pc} vill inte förlänga avtalet för {us}, och beställaren måste ta tillbaka {it} i egen regi: ofrivillig backsourcing."
                    ),
                    ("wound_down", "term_end") => {
                        let (contract, lapses, avtal) = if plural {
                            ("The contracts for", "lapse", "Avtalen")
                        } else {
                            ("The contract for", "lapses", "Avtalet")
                        };
                        say!(
                            lang,
                            "{contract} {us} {lapses} at the end of the term: demand has fallen, so the buyer neither renews nor re-tenders, and {p} loses {it}.",
                            "{avtal} för {us} löper ut utan förlängning: efterfrågan har fallit, så beställaren varken förlänger eller upphandlar på nytt, och {p} förlorar {it}."
                        )
                    }
                    // A partnership ends for lack of demand early or when its
                    // renegotiation fails once demand has gone: not
                    // necessarily the lowest-ranked.
                    ("wound_down", _) if k.get(5) == Some(&"true") => {
                        let (ps, ends, sv) = if plural {
                            ("The partnerships for", "end", "Partnerskapen")
                        } else {
                            ("The partnership for", "ends", "Partnerskapet")
                        };
                        say!(
                            lang,
                            "{ps} {us} {ends} because demand has fallen; {p} loses {it}.",
                            "{sv} för {us} avslutas eftersom efterfrågan fallit; {p} förlorar {it}."
                        )
                    }
                    ("wound_down", _) => {
                        let is = if plural { "are" } else { "is" };
                        say!(
                            lang,
                            "{us_cap} {is} wound down because demand has fallen (the lowest-ranked first); {p} loses {it}.",
                            "{us_cap} avvecklas eftersom efterfrågan fallit (den lägst rankade först); {p} förlorar {it}."
                        )
                    }
                    _ => String::new(),
                }
            }
            "start" => {
                let (p, price) = (self.provider(num(1)), k.get(2).copied().unwrap_or(""));
                let is = if plural { "are" } else { "is" };
                say!(
                    lang,
                    "Demand is high: {us}, dormant until now, {is} contracted to {p} at {price} per place.",
                    "Efterfrågan är hög: {us}, vilande hittills, handlas upp från {p} för {price} per plats."
                )
            }
            "renew" => {
                let (p, price, cp) = (self.provider(num(1)), k.get(2).copied().unwrap_or(""), num(4));
                let partnership = k.get(3) == Some(&"true");
                let option = k.get(5) == Some(&"true");
                if !partnership && !option {
                    // A re-tender the incumbent won, or no one else bid.
                    return match (lang, plural) {
                        (Lang::En, false) => format!(
                            "The buyer re-tenders {us} at the end of the term, and {p} keeps it with a new contract at {price} per place (contract period {cp})."
                        ),
                        (Lang::En, true) => format!(
                            "The buyer re-tenders {us} at the end of the term, and {p} keeps them with new contracts at {price} per place (contract period {cp})."
                        ),
                        (Lang::Sv, false) => format!(
                            "Beställaren upphandlar {us} på nytt när avtalstiden löper ut, och {p} behåller den med ett nytt avtal till {price} per plats (avtalsperiod {cp})."
                        ),
                        (Lang::Sv, true) => format!(
                            "Beställaren upphandlar {us} på nytt när avtalstiden löper ut, och {p} behåller dem med nya avtal till {price} per plats (avtalsperiod {cp})."
                        ),
                    };
                }
                match (lang, partnership, plural) {
                    (Lang::En, true, false) => format!(
                        "The partnership for {us} is renegotiated with {p} at {price} per place (contract period {cp})."
                    ),
                    (Lang::En, true, true) => format!(
                        "The partnerships for {us} are renegotiated with {p} at {price} per place (contract period {cp})."
                    ),
                    (Lang::En, false, false) => format!(
                        "The contract for {us} is renewed with {p} at {price} per place (contract period {cp})."
                    ),
                    (Lang::En, false, true) => format!(
                        "The contracts for {us} are renewed with {p} at {price} per place (contract period {cp})."
                    ),
                    (Lang::Sv, true, false) => format!(
                        "Partnerskapet för {us} omförhandlas med {p} till {price} per plats (avtalsperiod {cp})."
                    ),
                    (Lang::Sv, true, true) => format!(
                        "Partnerskapen för {us} omförhandlas med {p} till {price} per plats (avtalsperiod {cp})."
                    ),
                    (Lang::Sv, false, false) => {
                        format!("Avtalet för {us} förlängs med {p} till {price} per plats (avtalsperiod {cp}).")
                    }
                    (Lang::Sv, false, true) => {
                        format!("Avtalen för {us} förlängs med {p} till {price} per plats (avtalsperiod {cp}).")
                    }
                }
            }
            "appeal" => {
                let d = self.periods(num(1));
                say!(
                    lang,
                    "The re-tender of {us} is appealed: the move is delayed {d}.",
                    "Upphandlingen av {us} överprövas: bytet skjuts upp {d}."
                )
            }
            "ramped" => {
                let runs = if plural { "run" } else { "runs" };
                say!(
                    lang,
                    "{us_cap} now {runs} fully in-house.",
                    "{us_cap} drivs nu fullt ut i egen regi."
                )
            }
            "ramping" => {
                let pct = k.get(1).copied().unwrap_or("");
                say!(
                    lang,
                    "{us_cap}: in-house capacity rebuilt to {pct} of full; the gap is bought on the spot market or goes unserved.",
                    "{us_cap}: kapaciteten i egen regi är uppbyggd till {pct}; resten köps in akut eller blir utan insats."
                )
            }
            _ => String::new(),
        }
    }

    fn bill(&mut self) {
        let lang = self.lang;
        let r = self.r;
        let res = &r.result;
        let c = &res.costs;
        let span = self.periods(r.scenario.time.periods);
        let head = say!(lang, "The bill after {span}", "Notan efter {span}");
        let _ = writeln!(self.out, "{head}\n{}", "-".repeat(head.chars().count()));
        let (total, pay, ih, spot, tr, legal, sanc) = (
            self.money(c.total()),
            self.money(c.payments),
            self.money(c.in_house),
            self.money(c.spot),
            self.money(c.transition),
            self.money(c.legal),
            self.money(c.sanctions),
        );
        let _ = writeln!(
            self.out,
            "{}",
            say!(
                lang,
                "The buyer paid {total} in all: {pay} to providers, {ih} for in-house production, {spot} for spot purchases, {tr} for taking services back, {legal} for disputes and legal cases, less {sanc} received in sanctions.",
                "Beställaren betalade totalt {total}: {pay} till utförare, {ih} för egen regi, {spot} för akuta inköp, {tr} för att ta tillbaka verksamhet, {legal} för tvister och rättsliga efterspel, minus {sanc} i mottagna sanktioner."
            )
        );
        // The excess is told as a size: an excess cost, or a saving.
        let size = c.excess().abs();
        let (reference, excess) = (self.money(c.reference), self.money(size));
        let share = if c.reference > 0.0 {
            format!(" ({})", self.pct(size / c.reference))
        } else {
            String::new()
        };
        let _ = writeln!(
            self.out,
            "{}",
            if c.excess() >= 0.0 {
                say!(
                    lang,
                    "Served at the opening price, the same demand would have cost {reference}: the excess cost is {excess}{share}.",
                    "Till startpriset hade samma efterfrågan kostat {reference}: merkostnaden är {excess}{share}."
                )
            } else {
                say!(
                    lang,
                    "Served at the opening price, the same demand would have cost {reference}: the buyer saved {excess}{share} against it.",
                    "Till startpriset hade samma efterfrågan kostat {reference}: beställaren sparade {excess}{share} mot det."
                )
            }
        );
        let profit = self.money(res.provider_profit.abs());
        let mut line = if res.provider_profit >= 0.0 {
            say!(
                lang,
                "The providers made a profit of {profit}.",
                "Utförarna gick med {profit} i vinst."
            )
        } else {
            say!(
                lang,
                "The providers made a loss of {profit}.",
                "Utförarna gick med {profit} i förlust."
            )
        };
        if res.both_lose() {
            line += &say!(lang, " Both parties lost.", " Båda parter förlorade.");
        }
        let _ = writeln!(self.out, "{line}");
        let (unserved, quality) = (self.n(res.unserved, 1), self.n(res.mean_quality, 3));
        let count = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let (cpl, aud, san, dis, leg) = match lang {
            Lang::En => (
                count(res.complaints, "complaint", "complaints"),
                count(res.audits, "audit", "audits"),
                count(res.sanctions, "sanction", "sanctions"),
                count(res.disputes, "dispute", "disputes"),
                count(res.legal_cases, "legal case", "legal cases"),
            ),
            Lang::Sv => (
                count(res.complaints, "klagomål", "klagomål"),
                count(res.audits, "granskning", "granskningar"),
                count(res.sanctions, "sanktion", "sanktioner"),
                count(res.disputes, "tvist", "tvister"),
                count(res.legal_cases, "rättsligt efterspel", "rättsliga efterspel"),
            ),
        };
        let _ = writeln!(
            self.out,
            "{}",
            say!(
                lang,
                "Places not served: {unserved}. Mean delivered quality: {quality}. In all: {cpl}, {aud}, {san}, {dis}, {leg}.",
                "Platser utan insats: {unserved}. Genomsnittlig levererad kvalitet: {quality}. Totalt: {cpl}, {aud}, {san}, {dis}, {leg}."
            )
        );
        let (tb, tp) = (self.n(res.final_buyer_trust, 2), self.n(res.final_provider_trust, 2));
        let _ = writeln!(
            self.out,
            "{}\n",
            say!(
                lang,
                "Trust at the end, between each unit's buyer and its last provider (also the units taken back): the buyer's {tb}, the providers' {tp}.",
                "Förtroende vid slutet, mellan varje enhets beställare och dess senaste utförare (även enheter som tagits hem): beställarens {tb}, utförarnas {tp}."
            )
        );
        let head = say!(lang, "How each contract ended", "Hur varje avtal slutade");
        let _ = writeln!(self.out, "{head}\n{}", "-".repeat(head.chars().count()));
        let mut eps = r.episodes.clone();
        eps.sort_by_key(|e| (e.unit, e.start, e.end));
        let show: Vec<&Episode> = if eps.len() <= 16 {
            eps.iter().collect()
        } else {
            eps.iter().filter(|e| e.outcome.is_backsourcing()).take(16).collect()
        };
        for e in &show {
            let (u, p) = (cap(&self.unit(e.unit)), self.provider(e.provider));
            let (a, b) = (
                self.date(e.start),
                self.date(e.end.min(r.scenario.time.periods.saturating_sub(1))),
            );
            let outcome = self.outcome(e.outcome, e.cause);
            let cp = e.contract_period;
            let _ = writeln!(
                self.out,
                "{}",
                say!(
                    lang,
                    "  {u}, {p}, {a} to {b}: {outcome} (contract period {cp}).",
                    "  {u}, {p}, {a} till {b}: {outcome} (avtalsperiod {cp})."
                )
            );
        }
        if show.len() < eps.len() {
            let mut counts = [0usize; 5];
            for e in &eps {
                counts[e.outcome.index()] += 1;
            }
            let items: Vec<String> = Outcome::ALL
                .iter()
                .filter(|o| counts[o.index()] > 0)
                .map(|o| format!("{} {}", counts[o.index()], self.outcome(*o, Cause::None)))
                .collect();
            let (n, list) = (eps.len(), items.join(", "));
            let _ = writeln!(
                self.out,
                "{}",
                say!(
                    lang,
                    "  In all {n} episodes: {list}.",
                    "  Totalt {n} avtalsperioder: {list}."
                )
            );
        }
        let (run, command) = (r.run, &r.command);
        let _ = writeln!(
            self.out,
            "\n{}",
            say!(
                lang,
                "This is run {run} of `{command}`: row {run} of its runs.csv has the same numbers.",
                "Detta är körning {run} av `{command}`: rad {run} i dess runs.csv har samma siffror."
            )
        );
    }

    fn outcome(&self, o: Outcome, cause: Cause) -> String {
        let lang = self.lang;
        let base = match (lang, o) {
            (Lang::En, Outcome::Continued) => "still running at the end",
            (Lang::En, Outcome::Switched) => "switched to another provider",
            (Lang::En, Outcome::Initiated) => "initiated backsourcing",
            (Lang::En, Outcome::Involuntary) => "involuntary backsourcing",
            (Lang::En, Outcome::WoundDown) => "wound down",
            (Lang::Sv, Outcome::Continued) => "löper fortfarande vid slutet",
            (Lang::Sv, Outcome::Switched) => "bytt till en annan utförare",
            (Lang::Sv, Outcome::Initiated) => "initierad backsourcing",
            (Lang::Sv, Outcome::Involuntary) => "ofrivillig backsourcing",
            (Lang::Sv, Outcome::WoundDown) => "avvecklad",
        };
        let why = match (lang, cause) {
            (_, Cause::None) => "",
            (Lang::En, Cause::Exit) => " (the provider left)",
            (Lang::En, Cause::Failure) => " (the provider failed)",
            (Lang::En, Cause::Renegotiation) => " (renegotiation failed)",
            (Lang::En, Cause::Grievance) => " (grievance)",
            (Lang::En, Cause::TermEnd) => " (end of term)",
            (Lang::En, Cause::Demand) => " (demand fell)",
            (Lang::Sv, Cause::Exit) => " (utföraren lämnade)",
            (Lang::Sv, Cause::Failure) => " (utföraren gick omkull)",
            (Lang::Sv, Cause::Renegotiation) => " (omförhandlingen misslyckades)",
            (Lang::Sv, Cause::Grievance) => " (missnöje)",
            (Lang::Sv, Cause::TermEnd) => " (avtalstiden slut)",
            (Lang::Sv, Cause::Demand) => " (efterfrågan föll)",
        };
        format!("{base}{why}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_parses_names_and_suggests() {
        assert_eq!(Find::parse("involuntary"), Ok(Find::Outcome(Outcome::Involuntary)));
        assert_eq!(Find::parse("failure"), Ok(Find::InvoluntaryFailure));
        let e = Find::parse("involuntry").unwrap_err();
        assert!(e.contains("involuntary"), "{e}");
    }

    #[test]
    fn recording_does_not_change_the_run() {
        let s = Scenario::default();
        let mut w = World::new(&s);
        for run in 0..20 {
            let plain = w.run_seeded(s.seed, 0, run, &mut NoObserver);
            let told = StoryRun::simulate(&s, run);
            assert_eq!(plain, told.result);
            assert_eq!(told.record.periods.len(), s.time.periods as usize);
        }
    }

    #[test]
    fn swedish_dates_and_numbers() {
        let s = Scenario::from_toml_str("[time]\nstart = \"2016Q3\"\nperiod = \"quarter\"\n", "t").unwrap();
        let r = StoryRun::simulate(&s, 0);
        let t = Teller::new(&r, Lang::Sv);
        assert_eq!(t.date(0), "2016 kv3");
        assert_eq!(t.n(0.25, 2), "0,25");
        assert_eq!(t.pct(0.5), "50 %");
        let m = Scenario::from_toml_str("[time]\nstart = \"2016-07\"\nperiod = \"month\"\n", "t").unwrap();
        let r = StoryRun::simulate(&m, 0);
        assert_eq!(Teller::new(&r, Lang::Sv).date(6), "jan 2017");
    }
}
