//! The state of one simulated world and how a run is set up and finished.
//!
//! A [`World`] is built once per scenario (and per worker thread) and reused
//! for every run: its vectors are cleared and refilled, so once they have
//! grown to the largest size a run needs (the number of episodes and
//! entrants varies), runs allocate nothing; `tests/allocation.rs` counts
//! allocations to check it. The nine steps of a period are in
//! [`super::steps`].

use super::event::{Event, Observer};
use super::outcome::{Cause, Costs, Episode, Outcome, PeriodStats, RunResult};
use super::rng::RunRngs;
use crate::scenario::{
    BuyerValues, ContractValues, DemandValues, Form, LegalValues, Level, MarketValues, ProviderKind, ProviderValues,
    Scenario, TransitionValues, TrustValues,
};

/// Marks "no provider".
pub const NONE: u32 = u32::MAX;

/// What a service unit is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitState {
    /// Not in use: wound down (or never opened).
    Dormant,
    /// Served by a provider under a contract.
    Contracted,
    /// Taken back; in-house capacity ramping up.
    Transition,
    /// Run in-house at full capacity.
    InHouse,
}

/// A buyer and its state in the current run.
#[derive(Clone, Debug)]
pub struct Buyer {
    /// Drawn parameters.
    pub v: BuyerValues,
    /// Level of government.
    pub level: Level,
    /// Index of its first unit.
    pub first_unit: u32,
    /// Number of units.
    pub n_units: u32,
    /// Baseline demand: contracted volume plus in-house volume.
    pub baseline: f64,
    /// Volume produced in-house outside the contracted units.
    pub ih_base: f64,
    /// Current in-house capability.
    pub capability: f64,
    /// Demand this period.
    pub demand: f64,
    /// Smoothed demand.
    pub smooth: f64,
    /// Periods left of the current random shock.
    pub shock_left: u32,
    /// Multiplier of the current random shock.
    pub shock_mult: f64,
    /// Audit probability this period.
    pub audit_rate: f64,
    /// Surge pressure this period: demand above baseline, capped at 1.
    pub surge: f64,
    /// Demand not met by in-house or contracted units this period.
    pub overflow: f64,
    /// In-house volume served this period.
    pub served_in: f64,
    /// Spot volume bought this period.
    pub spot: f64,
    /// Unserved volume this period.
    pub unserved: f64,
    /// exp(-complaint_base): the chance of no complaint at full quality.
    pub p0_complaints: f64,
}

/// A provider and its state in the current run.
#[derive(Clone, Debug)]
pub struct Provider {
    /// Drawn parameters.
    pub v: ProviderValues,
    /// Kind of organisation.
    pub kind: ProviderKind,
    /// Still in business.
    pub alive: bool,
    /// Financial reserves in currency.
    pub reserves: f64,
    /// Current experience.
    pub experience: f64,
    /// Units it can serve.
    pub capacity: u32,
    /// Units it serves or has been awarded.
    pub used: u32,
    /// Profit over the run.
    pub profit: f64,
    /// Entered during the run.
    pub entrant: bool,
}

/// A service unit and its contract.
#[derive(Clone, Debug)]
pub struct Unit {
    /// Owning buyer.
    pub buyer: u32,
    /// State.
    pub state: UnitState,
    /// Current (or last) provider, or [`NONE`].
    pub provider: u32,
    /// Current contract is a partnership.
    pub partnership: bool,
    /// Price per place-period when signed.
    pub price: f64,
    /// Cost index when signed.
    pub cpi_signed: f64,
    /// Budget factor when signed.
    pub budget_signed: f64,
    /// Period after the last one of the current term.
    pub term_end: u32,
    /// Renewal options left.
    pub renewals_left: u32,
    /// Contract period of the episode (1 = first term).
    pub contract_period: u32,
    /// First period of the episode.
    pub episode_start: u32,
    /// Periods of notice left (0: no notice given).
    pub notice_left: u32,
    /// Provider the unit is moving to after an appeal, or [`NONE`].
    pub pending: u32,
    /// Price agreed with the pending provider.
    pub pending_price: f64,
    /// Cause recorded when the pending move happens.
    pub pending_cause: Cause,
    /// Period the pending move happens.
    pub pending_at: u32,
    /// Provider's expected margin (share of full revenue).
    pub margin: f64,
    /// Staffing level.
    pub staffing: f64,
    /// Buyer's grievance about this contract.
    pub grievance: f64,
    /// Consecutive breaches met by dialogue (partnership).
    pub dialogue: u32,
    /// Delivered quality this period.
    pub quality: f64,
    /// Smoothed quality, for ranking units.
    pub rank: f64,
    /// Volume ordered this period.
    pub order: f64,
    /// Payment this period.
    pub payment: f64,
    /// Indexed price this period.
    pub indexed_price: f64,
    /// This period's cost index over the one at signing (set in step 2).
    pub cpi_ratio: f64,
    /// Provider's net flow from this unit this period.
    pub flow: f64,
    /// Share of contracted volume idle and unpaid this period.
    pub unpaid_standby: f64,
    /// Value-added quality this period.
    pub value_added: f64,
    /// Audited this period.
    pub audited: bool,
    /// Breach found this period.
    pub breach: bool,
    /// Breach met by dialogue this period.
    pub dialogued: bool,
    /// Complaints this period.
    pub complaints: u32,
    /// Sanctioned this period.
    pub sanctioned: bool,
    /// Disputes started this period.
    pub new_disputes: u32,
    /// Open disputes.
    pub disputes: u32,
    /// Open legal cases (they outlive the contract).
    pub legal: u32,
    /// In-house ramp-up progress in [0, 1].
    pub ramp: f64,
    /// Ramp-up progress per period.
    pub ramp_step: f64,
    /// In-house unit cost after the takeback, before inflation.
    pub ih_cost: f64,
    /// Part of the initial contracts, first episode not ended yet.
    pub initial: bool,
    /// Sanctions in the current episode.
    pub ep_sanctions: u32,
    /// Complaints in the current episode.
    pub ep_complaints: u32,
}

/// Values drawn once per run for the sections that are not agents.
#[derive(Clone, Copy, Debug)]
pub struct RunValues {
    /// Contract terms.
    pub contract: ContractValues,
    /// Market.
    pub market: MarketValues,
    /// Demand.
    pub demand: DemandValues,
    /// Trust.
    pub trust: TrustValues,
    /// Legal.
    pub legal: LegalValues,
    /// Transition.
    pub transition: TransitionValues,
}

/// Counters and sums of the current run.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub(crate) costs: Costs,
    pub(crate) unserved: f64,
    pub(crate) demand: f64,
    pub(crate) quality_sum: f64,
    pub(crate) quality_weight: f64,
    pub(crate) value_added_sum: f64,
    pub(crate) value_added_n: f64,
    pub(crate) complaints: u32,
    pub(crate) audits: u32,
    pub(crate) sanctions: u32,
    pub(crate) disputes: u32,
    pub(crate) legal_cases: u32,
    pub(crate) entrants: u32,
    pub(crate) failures: u32,
    pub(crate) outcomes: [u32; 5],
    pub(crate) involuntary_exit: u32,
    pub(crate) involuntary_failure: u32,
    pub(crate) episodes: u32,
    pub(crate) first_backsourcing: Option<(Outcome, Cause, u32, u32)>,
    /// Buyer cost this period (for cost per place served).
    pub(crate) period_cost: f64,
}

/// One simulated world, reused across runs.
#[derive(Clone, Debug)]
pub struct World {
    pub(crate) scenario: Scenario,
    /// Buyers.
    pub buyers: Vec<Buyer>,
    /// Providers (incumbents, then alternatives, then entrants).
    pub providers: Vec<Provider>,
    /// Service units, grouped by buyer.
    pub units: Vec<Unit>,
    /// Buyer trust in provider, `[buyer * max_providers + provider]`.
    pub trust_b: Vec<f64>,
    /// Provider trust in buyer, same layout.
    pub trust_p: Vec<f64>,
    /// Row length of the trust matrices.
    pub max_providers: usize,
    /// Values drawn for this run.
    pub rv: RunValues,
    /// Current period.
    pub t: u32,
    /// Cost index of this period: (1 + inflation)^t.
    pub cpi: f64,
    /// Budget factor of this period (from scheduled shocks).
    pub budget: f64,
    /// Market tightness this period: unmet demand over baseline, all buyers.
    pub tightness: f64,
    /// Spot price this period.
    pub spot_price: f64,
    /// Entrants so far this run.
    pub entrants: u32,
    /// Limit on entrants this run.
    pub max_entrants: u32,
    /// Opening price.
    pub p0: f64,
    /// Volume of one unit.
    pub volume: f64,
    /// Initial provider of each unit (fixed by the scenario).
    initial_provider: Vec<u32>,
    /// Initial units of each incumbent provider.
    initial_units: Vec<u32>,
    /// Per-period figures of the current run.
    pub periods: Vec<PeriodStats>,
    /// Episodes of the current run, in the order they ended.
    pub episodes: Vec<Episode>,
    /// How each initially contracted unit's first episode ended, and when.
    pub first_ends: Vec<Option<(Outcome, u32)>>,
    pub(crate) tally: Tally,
    /// Per period, (1 + inflation)^t and (1 + trend)^t, computed once for
    /// the rates in `powers_of` and reused while a run's rates are the same
    /// (the values are exactly those of `powi` in the period loop).
    pub(crate) powers: Vec<(f64, f64)>,
    powers_of: Option<(u64, u64)>,
}

impl World {
    /// Builds the world for a scenario. Allocation happens here and in the
    /// first runs, until the vectors have reached the largest size a run
    /// needs; later runs reuse the memory.
    pub fn new(scenario: &Scenario) -> Self {
        let n_units = scenario.unit_count();
        let n_incumbents = scenario.incumbent_count();
        // Units go to provider groups by their shares, interleaved so that
        // each group's contracts spread across buyers (largest deficit first),
        // and round-robin to the providers within a group. Reserve units
        // start with no provider.
        let mut first_in_group = Vec::with_capacity(scenario.providers.len());
        let mut next = 0u32;
        for group in &scenario.providers {
            first_in_group.push(next);
            next += group.count;
        }
        let mut assigned = vec![0u32; scenario.providers.len()];
        let mut initial_provider = Vec::with_capacity(n_units);
        let mut initial_units = vec![0u32; n_incumbents];
        let mut i = 0usize;
        for group in &scenario.buyers {
            for _ in 0..group.count {
                for _ in 0..group.units {
                    let g = (0..scenario.providers.len())
                        .max_by(|&a, &b| {
                            let deficit = |g: usize| scenario.providers[g].share * (i + 1) as f64 - assigned[g] as f64;
                            deficit(a).total_cmp(&deficit(b)).then(b.cmp(&a))
                        })
                        .unwrap_or(0);
                    let p = first_in_group[g] + assigned[g] % scenario.providers[g].count;
                    assigned[g] += 1;
                    initial_units[p as usize] += 1;
                    initial_provider.push(p);
                    i += 1;
                }
                initial_provider.extend(std::iter::repeat_n(NONE, group.reserve_units as usize));
            }
        }
        let d = Scenario::default();
        let placeholder = World::placeholder_values(&d);
        World {
            scenario: scenario.clone(),
            buyers: Vec::with_capacity(scenario.buyer_count()),
            providers: Vec::new(),
            units: Vec::with_capacity(n_units),
            trust_b: Vec::new(),
            trust_p: Vec::new(),
            max_providers: 0,
            rv: placeholder,
            t: 0,
            cpi: 1.0,
            budget: 1.0,
            tightness: 0.0,
            spot_price: 0.0,
            entrants: 0,
            max_entrants: 0,
            p0: 0.0,
            volume: 0.0,
            initial_provider,
            initial_units,
            periods: Vec::with_capacity(scenario.time.periods as usize),
            // A unit's episode ends at most once a period, and once more at
            // the horizon: room for that many (up to a million) from the
            // start, so that a later run with more episodes need not grow it.
            episodes: Vec::with_capacity((n_units * (scenario.time.periods as usize + 1)).min(1 << 20)),
            first_ends: vec![None; n_units],
            tally: Tally::default(),
            powers: Vec::with_capacity(scenario.time.periods as usize),
            powers_of: None,
        }
    }

    fn placeholder_values(s: &Scenario) -> RunValues {
        let mut rng = RunRngs::new(0, 0, 0).setup;
        RunValues {
            contract: s.contract.draw(&mut rng),
            market: s.market.draw(&mut rng),
            demand: s.demand.draw(&mut rng),
            trust: s.trust.draw(&mut rng),
            legal: s.legal.draw(&mut rng),
            transition: s.transition.draw(&mut rng),
        }
    }

    /// The scenario this world simulates.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Simulates run `run` with its random streams, reporting to `obs`.
    pub fn run<O: Observer>(&mut self, run: u64, rngs: &mut RunRngs, obs: &mut O) -> RunResult {
        self.setup(rngs);
        for t in 0..self.scenario.time.periods {
            self.period(t, rngs, obs);
        }
        self.finish(run)
    }

    /// Simulates run `run` of the scenario at experiment point `point`.
    pub fn run_seeded<O: Observer>(&mut self, seed: u64, point: u64, run: u64, obs: &mut O) -> RunResult {
        let mut rngs = RunRngs::new(seed, point, run);
        self.run(run, &mut rngs, obs)
    }

    /// Trust of buyer `b` in provider `p`.
    pub fn buyer_trust(&self, b: u32, p: u32) -> f64 {
        self.trust_b[b as usize * self.max_providers + p as usize]
    }

    /// Trust of provider `p` in buyer `b`.
    pub fn provider_trust(&self, b: u32, p: u32) -> f64 {
        self.trust_p[b as usize * self.max_providers + p as usize]
    }

    /// Draws the run's parameters and agents and signs the opening contracts.
    pub fn setup(&mut self, rngs: &mut RunRngs) {
        let s = &self.scenario;
        let rng = &mut rngs.setup;
        self.rv = RunValues {
            contract: s.contract.draw(rng),
            market: s.market.draw(rng),
            demand: s.demand.draw(rng),
            trust: s.trust.draw(rng),
            legal: s.legal.draw(rng),
            transition: s.transition.draw(rng),
        };
        self.p0 = self.rv.contract.price;
        self.volume = self.rv.demand.baseline;
        let volume = self.volume;
        let p0 = self.p0;

        self.buyers.clear();
        let mut first_unit = 0u32;
        for group in &s.buyers {
            let run_v = group.params.draw(rng);
            for _ in 0..group.count {
                let v = if group.params.has_agent_scope() {
                    group.params.draw_agent(&run_v, rng)
                } else {
                    run_v
                };
                let contracted = group.units as f64 * volume;
                let n_units = group.units + group.reserve_units;
                let baseline = contracted / (1.0 - v.in_house_capacity);
                self.buyers.push(Buyer {
                    v,
                    level: group.level,
                    first_unit,
                    n_units,
                    baseline,
                    ih_base: baseline - contracted,
                    capability: v.in_house_capability,
                    demand: baseline,
                    smooth: baseline,
                    shock_left: 0,
                    shock_mult: 1.0,
                    audit_rate: v.monitoring,
                    surge: 0.0,
                    overflow: 0.0,
                    served_in: 0.0,
                    spot: 0.0,
                    unserved: 0.0,
                    p0_complaints: crate::math::exp(-v.complaint_base),
                });
                first_unit += n_units;
            }
        }

        self.providers.clear();
        let mut p_index = 0usize;
        for group in &s.providers {
            let run_v = group.params.draw(rng);
            for _ in 0..group.count {
                let v = if group.params.has_agent_scope() {
                    group.params.draw_agent(&run_v, rng)
                } else {
                    run_v
                };
                let units = self.initial_units[p_index];
                self.providers.push(new_provider(
                    v,
                    group.kind,
                    units,
                    v.spare_capacity as u32,
                    volume,
                    p0,
                    false,
                ));
                p_index += 1;
            }
        }
        let template_run = s.provider_template.params.draw(rng);
        let alternatives = self.rv.market.alternatives as u32;
        for _ in 0..alternatives {
            let v = if s.provider_template.params.has_agent_scope() {
                s.provider_template.params.draw_agent(&template_run, rng)
            } else {
                template_run
            };
            let spare = (v.spare_capacity as u32).max(1);
            self.providers
                .push(new_provider(v, s.provider_template.kind, 0, spare, volume, p0, false));
        }
        self.max_entrants = self.rv.market.max_entrants as u32;
        self.entrants = 0;
        self.max_providers = self.providers.len() + self.max_entrants as usize;
        let cells = self.buyers.len() * self.max_providers;
        self.trust_b.clear();
        self.trust_b.resize(cells, self.rv.trust.initial);
        self.trust_p.clear();
        self.trust_p.resize(cells, self.rv.trust.initial);

        let rates = (self.rv.market.inflation.to_bits(), self.rv.demand.trend.to_bits());
        if self.powers_of != Some(rates) {
            let (inflation, trend) = (self.rv.market.inflation, self.rv.demand.trend);
            self.powers.clear();
            self.powers.extend((0..s.time.periods).map(|t| {
                (
                    crate::math::powi(1.0 + inflation, t as i32),
                    crate::math::powi(1.0 + trend, t as i32),
                )
            }));
            self.powers_of = Some(rates);
        }
        self.t = 0;
        self.cpi = 1.0;
        self.budget = 1.0;
        self.tightness = 0.0;
        self.spot_price = p0 * (1.0 + self.rv.market.spot_premium);
        self.periods.clear();
        self.episodes.clear();
        self.tally = Tally::default();
        for f in self.first_ends.iter_mut() {
            *f = None;
        }

        self.units.clear();
        for (b, buyer) in self.buyers.iter().enumerate() {
            for _ in 0..buyer.n_units {
                self.units.push(empty_unit(b as u32));
            }
        }
        let form = s.form;
        for u in 0..self.units.len() {
            let p = self.initial_provider[u];
            if p == NONE {
                continue;
            }
            self.sign(u, p, p0, 0, form);
            self.units[u].initial = true;
            self.units[u].episode_start = 0;
        }
    }

    /// Signs a new contract episode for unit `u` with provider `p`, delivering
    /// from period `start`. Capacity is taken by the caller's choice: this
    /// counts the unit against the provider.
    pub(crate) fn sign(&mut self, u: usize, p: u32, price: f64, start: u32, form: Form) {
        let c = &self.rv.contract;
        let cost = self.providers[p as usize].v.unit_cost * self.p0 * self.cpi;
        let unit = &mut self.units[u];
        unit.state = UnitState::Contracted;
        unit.provider = p;
        unit.partnership = form == Form::Partnership;
        unit.price = price;
        unit.cpi_signed = self.cpi;
        unit.budget_signed = self.budget;
        unit.term_end = start + c.term as u32;
        unit.renewals_left = if unit.partnership { 0 } else { c.renewals as u32 };
        unit.contract_period = 1;
        unit.episode_start = start;
        unit.notice_left = 0;
        unit.pending = NONE;
        unit.margin = (price - cost) / price;
        unit.staffing = 1.0;
        unit.grievance = 0.0;
        unit.dialogue = 0;
        unit.rank = 0.8;
        unit.initial = false;
        unit.ep_sanctions = 0;
        unit.ep_complaints = 0;
        self.providers[p as usize].used += 1;
    }

    /// Ends the current episode of unit `u` with an outcome.
    pub(crate) fn end_episode<O: Observer>(&mut self, u: usize, outcome: Outcome, cause: Cause, obs: &mut O) {
        let t = self.t;
        let unit = &mut self.units[u];
        let ep = Episode {
            buyer: unit.buyer,
            unit: u as u32,
            provider: unit.provider,
            partnership: unit.partnership,
            start: unit.episode_start,
            end: t,
            outcome,
            cause,
            contract_period: unit.contract_period,
            sanctions: unit.ep_sanctions,
            complaints: unit.ep_complaints,
        };
        if unit.initial {
            self.first_ends[u] = Some((outcome, t));
            unit.initial = false;
        }
        if unit.pending != NONE {
            // An awarded move that will not happen frees its capacity.
            let pp = unit.pending as usize;
            self.providers[pp].used = self.providers[pp].used.saturating_sub(1);
            unit.pending = NONE;
        }
        if outcome != Outcome::Continued {
            let p = unit.provider as usize;
            self.providers[p].used = self.providers[p].used.saturating_sub(1);
        }
        let tally = &mut self.tally;
        tally.episodes += 1;
        tally.outcomes[outcome.index()] += 1;
        if outcome == Outcome::Involuntary {
            if cause == Cause::Failure {
                tally.involuntary_failure += 1;
            } else {
                tally.involuntary_exit += 1;
            }
        }
        if outcome.is_backsourcing() && tally.first_backsourcing.is_none() {
            tally.first_backsourcing = Some((outcome, cause, t, ep.contract_period));
        }
        self.episodes.push(ep);
        obs.event(
            t,
            Event::EpisodeEnd {
                unit: u as u32,
                provider: ep.provider,
                outcome,
                cause,
            },
        );
    }

    /// Closes the run: open contracts continue past the horizon. A contract
    /// signed in the last period to deliver from the horizon on has not
    /// started within the run and is not an episode of it.
    fn finish(&mut self, run: u64) -> RunResult {
        let horizon = self.scenario.time.periods;
        self.t = horizon;
        let mut nobody = super::event::NoObserver;
        for u in 0..self.units.len() {
            if self.units[u].state == UnitState::Contracted && self.units[u].episode_start < horizon {
                self.end_episode(u, Outcome::Continued, Cause::None, &mut nobody);
            }
        }
        let (mut tb, mut tp, mut n) = (0.0, 0.0, 0.0);
        for unit in &self.units {
            if unit.provider != NONE {
                tb += self.buyer_trust(unit.buyer, unit.provider);
                tp += self.provider_trust(unit.buyer, unit.provider);
                n += 1.0;
            }
        }
        let n = f64::max(n, 1.0);
        let t = &self.tally;
        let provider_profit = self.providers.iter().map(|p| p.profit).sum();
        RunResult {
            run,
            episodes: t.episodes,
            outcomes: t.outcomes,
            involuntary_exit: t.involuntary_exit,
            involuntary_failure: t.involuntary_failure,
            first_backsourcing: t.first_backsourcing,
            costs: t.costs,
            provider_profit,
            unserved: t.unserved,
            demand: t.demand,
            mean_quality: if t.quality_weight > 0.0 {
                t.quality_sum / t.quality_weight
            } else {
                0.0
            },
            value_added: if t.value_added_n > 0.0 {
                t.value_added_sum / t.value_added_n
            } else {
                0.0
            },
            complaints: t.complaints,
            audits: t.audits,
            sanctions: t.sanctions,
            disputes: t.disputes,
            legal_cases: t.legal_cases,
            entrants: t.entrants,
            failures: t.failures,
            final_buyer_trust: tb / n,
            final_provider_trust: tp / n,
        }
    }
}

fn new_provider(
    v: ProviderValues,
    kind: ProviderKind,
    units: u32,
    spare: u32,
    volume: f64,
    p0: f64,
    entrant: bool,
) -> Provider {
    let capacity = units + spare;
    let revenue_units = if units > 0 { units } else { spare };
    Provider {
        v,
        kind,
        alive: true,
        reserves: v.reserves * revenue_units as f64 * volume * p0,
        experience: v.experience,
        capacity,
        used: 0,
        profit: 0.0,
        entrant,
    }
}

/// A provider entering the market during a run.
pub(crate) fn entrant(
    template: ProviderValues,
    kind: ProviderKind,
    m: &MarketValues,
    volume: f64,
    p0: f64,
) -> Provider {
    let mut v = template;
    v.experience = m.entrant_experience;
    v.capability = m.entrant_capability;
    let spare = (v.spare_capacity as u32).max(1);
    new_provider(v, kind, 0, spare, volume, p0, true)
}

fn empty_unit(buyer: u32) -> Unit {
    Unit {
        buyer,
        state: UnitState::Dormant,
        provider: NONE,
        partnership: false,
        price: 0.0,
        cpi_signed: 1.0,
        budget_signed: 1.0,
        term_end: 0,
        renewals_left: 0,
        contract_period: 0,
        episode_start: 0,
        notice_left: 0,
        pending: NONE,
        pending_price: 0.0,
        pending_cause: Cause::TermEnd,
        pending_at: 0,
        margin: 0.0,
        staffing: 1.0,
        grievance: 0.0,
        dialogue: 0,
        quality: 0.0,
        rank: 0.0,
        order: 0.0,
        payment: 0.0,
        indexed_price: 0.0,
        cpi_ratio: 1.0,
        flow: 0.0,
        unpaid_standby: 0.0,
        value_added: 0.0,
        audited: false,
        breach: false,
        dialogued: false,
        complaints: 0,
        sanctioned: false,
        new_disputes: 0,
        disputes: 0,
        legal: 0,
        ramp: 0.0,
        ramp_step: 0.0,
        ih_cost: 0.0,
        initial: false,
        ep_sanctions: 0,
        ep_complaints: 0,
    }
}
