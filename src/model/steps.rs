//! The nine steps of a period, in the order of the brief.
//!
//! 1. [`World::draw_demand`] and [`World::serve_demand`]
//! 2. to 5. [`World::unit_steps`], one unit at a time through
//!    `pay_and_cost` (2), `deliver_quality` (3), `observe` (4) and
//!    `enforce` (5), then [`World::learn`] (the end of step 3)
//! 6. [`World::update_trust`]
//! 7. [`World::providers_decide`]
//! 8. [`World::buyers_decide`]
//! 9. [`World::advance_transitions`]
//!
//! Each step reads the state the previous steps left, so the order is part
//! of the model (see docs/ODD.md, "Process overview and scheduling").

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::event::{Event, Observer};
use super::outcome::{Cause, Outcome, PeriodStats};
use super::rng::RunRngs;
use super::world::{Buyer, NONE, Provider, RunValues, Tally, Unit, UnitState, World, entrant};
use crate::scenario::{Form, ProviderKind};

/// The grievance share (of tolerance) below which a buyer renews an option.
pub const RENEW_FRACTION: f64 = 0.5;
/// How far above its budget-driven offer a buyer with no power goes in a
/// partnership renegotiation.
pub const MAX_CONCESSION: f64 = 0.2;
/// Extra expected margin a provider wants before it signs up for another
/// term: below `acceptable margin + RENEWAL_PREMIUM` it declines to renew.
pub const RENEWAL_PREMIUM: f64 = 0.02;
/// Staffing restored by a dialogue round in a partnership (adaptation).
pub const DIALOGUE_ADAPTATION: f64 = 0.1;
/// Share of the squeeze-dispute probability per period (index disputes
/// build up slowly).
pub const SQUEEZE_DISPUTE_SCALE: f64 = 0.1;

/// Expected complaints to a count, by inversion of the Poisson CDF with one
/// uniform (so the monitoring stream draws a fixed number per unit).
fn poisson_from_uniform(u: f64, lambda: f64) -> u32 {
    poisson_with_p0(u, lambda, crate::math::exp(-lambda))
}

/// [`poisson_from_uniform`] given `p0 = exp(-lambda)`.
fn poisson_with_p0(u: f64, lambda: f64, p0: f64) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    let mut p = p0;
    let mut cdf = p;
    let mut k = 0u32;
    while u > cdf && k < 1000 {
        k += 1;
        p *= lambda / k as f64;
        cdf += p;
    }
    k
}

/// The quality shortfall `(threshold - quality) / threshold` when it is
/// positive, `None` otherwise. With the threshold in [0, 1] the quotient is
/// positive exactly when `quality < threshold` (it cannot round to zero), so
/// the common case decides without waiting for a division.
fn shortfall(threshold: f64, quality: f64) -> Option<f64> {
    (threshold > 0.0 && quality < threshold).then(|| (threshold - quality) / threshold)
}

impl World {
    /// One period: the nine steps in order, then the period's record.
    pub fn period<O: Observer>(&mut self, t: u32, rngs: &mut RunRngs, obs: &mut O) {
        self.t = t;
        self.cpi = self.powers[t as usize].0;
        self.tally.period_cost = 0.0;
        self.draw_demand(rngs);
        self.serve_demand();
        self.unit_steps(rngs, obs);
        self.update_trust();
        obs.delivered(t, self);
        self.providers_decide(obs);
        self.buyers_decide(rngs, obs);
        self.advance_transitions(obs);
        self.record_period();
        obs.period_end(t, self);
    }

    /// Step 1a. Demand is drawn for each buyer: the baseline with trend,
    /// scheduled shocks (surges, drops, policy reversals), the buyer's random
    /// shock, and noise. Three draws per buyer, always.
    pub fn draw_demand(&mut self, rngs: &mut RunRngs) {
        let t = self.t;
        let d = self.rv.demand;
        let mut scheduled = 1.0;
        let mut budget = 1.0;
        for s in &self.scenario.shocks {
            if s.active(t) {
                scheduled *= 1.0 + s.size;
                budget *= 1.0 + s.budget;
            }
        }
        self.budget = budget;
        let trend = self.powers[t as usize].1;
        let rng = &mut rngs.demand;
        for b in self.buyers.iter_mut() {
            let z = crate::math::standard_normal(rng);
            let starts: f64 = rng.random();
            let sign: f64 = rng.random();
            if b.shock_left > 0 {
                b.shock_left -= 1;
                if b.shock_left == 0 {
                    b.shock_mult = 1.0;
                }
            }
            if b.shock_left == 0 && starts < d.shock_rate {
                b.shock_left = d.shock_duration as u32;
                b.shock_mult = if sign < 0.5 {
                    1.0 + d.shock_size
                } else {
                    1.0 - d.shock_size
                };
            }
            b.demand = (b.baseline * trend * scheduled * b.shock_mult * (1.0 + d.noise * z)).max(0.0);
            b.smooth = if t == 0 {
                b.demand
            } else {
                b.smooth + d.smoothing * (b.demand - b.smooth)
            };
            b.surge = (b.demand / b.baseline - 1.0).clamp(0.0, 1.0);
            b.audit_rate = b.v.monitoring * (1.0 - b.v.crowd_out * b.surge);
        }
    }

    /// Step 1b. In-house capacity serves first, contracted units share the
    /// rest up to their capacity, overflow is bought on the spot market at a
    /// premium that rises with market tightness, or goes unserved.
    pub fn serve_demand(&mut self) {
        let cap = self.volume * (1.0 + self.rv.contract.flex);
        let (mut overflow_all, mut baseline_all) = (0.0, 0.0);
        for b in 0..self.buyers.len() {
            let buyer = &self.buyers[b];
            let units = buyer.first_unit as usize..(buyer.first_unit + buyer.n_units) as usize;
            let mut in_house = buyer.ih_base;
            let mut contracted = 0u32;
            for unit in &self.units[units.clone()] {
                match unit.state {
                    UnitState::InHouse | UnitState::Transition => in_house += self.volume * unit.ramp,
                    UnitState::Contracted => contracted += 1,
                    UnitState::Dormant => {}
                }
            }
            let served_in = buyer.demand.min(in_house);
            let rest = buyer.demand - served_in;
            let each = if contracted > 0 {
                (rest / contracted as f64).min(cap)
            } else {
                0.0
            };
            for unit in &mut self.units[units] {
                unit.order = if unit.state == UnitState::Contracted { each } else { 0.0 };
            }
            let buyer = &mut self.buyers[b];
            buyer.served_in = served_in;
            // What the contracts cannot take; `each * contracted` may
            // round above `rest` by an ulp when they take it all.
            buyer.overflow = (rest - each * contracted as f64).max(0.0);
            overflow_all += buyer.overflow;
            baseline_all += buyer.baseline;
        }
        let m = self.rv.market;
        self.tightness = if baseline_all > 0.0 {
            overflow_all / baseline_all
        } else {
            0.0
        };
        self.spot_price = self.p0 * self.cpi * (1.0 + m.spot_premium * (1.0 + m.spot_elasticity * self.tightness));
        let ref_price = self.reference_price();
        let ih_unit = self.p0 * self.cpi;
        for buyer in self.buyers.iter_mut() {
            buyer.spot = buyer.overflow.min(m.spot_capacity * buyer.baseline);
            buyer.unserved = buyer.overflow - buyer.spot;
            let spot_cost = buyer.spot * self.spot_price;
            let base_cost = buyer.v.in_house_cost * ih_unit * buyer.ih_base;
            self.tally.costs.spot += spot_cost;
            self.tally.costs.in_house += base_cost;
            self.tally.period_cost += spot_cost + base_cost;
            self.tally.unserved += buyer.unserved;
            self.tally.demand += buyer.demand;
            self.tally.costs.reference += (buyer.demand - buyer.unserved) * ref_price;
        }
    }

    /// The opening price indexed as the opening contract was signed.
    pub(crate) fn reference_price(&self) -> f64 {
        self.p0 * (1.0 + self.rv.contract.indexation * (self.cpi - 1.0))
    }

    /// Steps 2 to 5 for every unit, one unit at a time.
    ///
    /// Each of these steps reads only the unit's own state, its buyer's
    /// (set in step 1), its provider's drawn values and experience (which
    /// change only after the pass, in [`World::learn`]) and the trust of the
    /// pair (changed only in step 6). So one pass that takes each unit
    /// through steps 2, 3, 4 and 5 gives the same states as four passes over
    /// all units, and each step draws from its own stream in unit order, so
    /// the random numbers are the same too. The pass borrows the world's
    /// fields apart (`UnitPass`), so the compiler knows that the unit, the
    /// providers and the run's tally do not overlap.
    pub fn unit_steps<O: Observer>(&mut self, rngs: &mut RunRngs, obs: &mut O) {
        let rv = self.rv;
        let mut pass = UnitPass {
            rv: &rv,
            buyers: &self.buyers,
            providers: &mut self.providers,
            trust_b: &self.trust_b,
            trust_p: &self.trust_p,
            max_providers: self.max_providers,
            tally: &mut self.tally,
            t: self.t,
            cpi: self.cpi,
            p0: self.p0,
            volume: self.volume,
        };
        for (u, unit) in self.units.iter_mut().enumerate() {
            pass.pay_and_cost(unit);
            pass.deliver_quality(unit, &mut rngs.behaviour);
            pass.observe(u, unit, &mut rngs.monitoring, obs);
            pass.enforce(u, unit, &mut rngs.decision, obs);
        }
        self.learn();
    }

    /// The end of step 3: providers learn from delivering.
    pub fn learn(&mut self) {
        for p in self.providers.iter_mut() {
            if p.alive && p.used > 0 {
                p.experience += p.v.learning_rate * (1.0 - p.experience);
            }
        }
    }

    /// Step 6. Trust on both sides moves with what each observed. Bad signals
    /// (buyer side: breach, complaints, disputes; provider side: sanctions,
    /// disputes, price squeeze, unpaid standby) weigh `bad`; the update is
    /// `gain x (1 - T) x max(0, 1 - bad) - loss x T x min(1, bad)`, so a
    /// quiet period gains a little and a bad one loses a lot.
    pub fn update_trust(&mut self) {
        let tr = self.rv.trust;
        let idx_share = 1.0 - self.rv.contract.indexation;
        for unit in &self.units {
            if unit.state != UnitState::Contracted {
                continue;
            }
            let idx = unit.buyer as usize * self.max_providers + unit.provider as usize;
            let breach = if unit.breach && !unit.dialogued {
                1.0
            } else if unit.dialogued {
                0.5
            } else {
                0.0
            };
            let bad_b = breach + tr.complaint_weight * unit.complaints as f64 + unit.new_disputes as f64;
            let squeeze = (unit.cpi_ratio - 1.0).max(0.0) * idx_share;
            let bad_p = if unit.sanctioned { 1.0 } else { 0.0 }
                + unit.new_disputes as f64
                + tr.squeeze_weight * squeeze
                + tr.standby_weight * unit.unpaid_standby;
            self.trust_b[idx] = trust_step(self.trust_b[idx], bad_b, tr.gain, tr.loss);
            self.trust_p[idx] = trust_step(self.trust_p[idx], bad_p, tr.gain, tr.loss);
        }
    }

    /// Step 7. Providers decide. A provider whose reserves fall below zero
    /// fails at once (a state-owned one is recapitalised): every unit it
    /// serves ends `involuntary`/`failure` this period, with no notice. A
    /// provider whose expected margin on a contract is below what it accepts
    /// (its minimum margin, lowered by loyalty) gives notice; when the notice
    /// runs out the unit ends `involuntary`/`exit`.
    pub fn providers_decide<O: Observer>(&mut self, obs: &mut O) {
        let t = self.t;
        for p in 0..self.providers.len() {
            let provider = &self.providers[p];
            if !provider.alive || provider.reserves >= 0.0 || provider.kind == ProviderKind::StateOwned {
                continue;
            }
            self.providers[p].alive = false;
            self.tally.failures += 1;
            let mut n = 0;
            for u in 0..self.units.len() {
                if self.units[u].pending == p as u32 {
                    // An awarded move to the failed provider falls through.
                    self.units[u].pending = NONE;
                }
                if self.units[u].state == UnitState::Contracted && self.units[u].provider == p as u32 {
                    n += 1;
                    self.backsource(u, Outcome::Involuntary, Cause::Failure, obs);
                }
            }
            obs.event(
                t,
                Event::Failure {
                    provider: p as u32,
                    units: n,
                },
            );
        }
        let notice = self.rv.contract.notice as u32;
        for u in 0..self.units.len() {
            let unit = &self.units[u];
            if unit.state != UnitState::Contracted {
                continue;
            }
            if unit.notice_left > 0 {
                let unit = &mut self.units[u];
                unit.notice_left -= 1;
                if unit.notice_left == 0 {
                    self.backsource(u, Outcome::Involuntary, Cause::Exit, obs);
                }
                continue;
            }
            if unit.margin < self.acceptable_margin(u) {
                if notice == 0 {
                    self.backsource(u, Outcome::Involuntary, Cause::Exit, obs);
                } else {
                    self.units[u].notice_left = notice;
                    obs.event(
                        t,
                        Event::Notice {
                            unit: u as u32,
                            provider: self.units[u].provider,
                            periods: notice,
                        },
                    );
                }
            }
        }
    }

    /// The lowest expected margin the unit's provider accepts.
    fn acceptable_margin(&self, u: usize) -> f64 {
        let unit = &self.units[u];
        let pv = &self.providers[unit.provider as usize].v;
        pv.min_margin - pv.loyalty * if unit.partnership { 0.3 } else { 0.1 }
    }

    /// Step 8. Buyers decide. Grievance grows with detected breaches,
    /// complaints, disputes and paying over budget, and decays. Past the
    /// tolerance (higher for a weak buyer, a partnership and a trusted
    /// provider) the buyer ends the contract: it takes the service back if
    /// that is politically supported, re-tenders if a qualified alternative
    /// exists (an appeal may delay the move), and otherwise is locked in. At
    /// the end of a term it renews, renegotiates (partnership) or re-tenders.
    /// When demand has fallen well below capacity the lowest-ranked
    /// contracted unit is wound down; when it has risen well above, a
    /// dormant unit is contracted. New providers may enter first.
    pub fn buyers_decide<O: Observer>(&mut self, rngs: &mut RunRngs, obs: &mut O) {
        self.market_entry(rngs, obs);
        for b in 0..self.buyers.len() {
            self.lapse(b, obs);
        }
        let t = self.t;
        for u in 0..self.units.len() {
            if self.units[u].state != UnitState::Contracted {
                continue;
            }
            self.update_grievance(u);
            let unit = &self.units[u];
            if unit.pending != NONE {
                if t + 1 >= unit.pending_at {
                    self.switch_now(u, unit.pending_cause, obs);
                }
                continue;
            }
            if unit.notice_left > 0 {
                continue;
            }
            if t + 1 >= unit.term_end {
                self.contract_end(u, rngs, obs);
            } else if unit.grievance > unit_min_tolerance(self, u) && unit.grievance > self.tolerance(u) {
                self.buyer_terminates(u, Cause::Grievance, rngs, obs);
            }
        }
        for b in 0..self.buyers.len() {
            self.wind_down(b, rngs, obs);
            self.expand(b, obs);
        }
    }

    fn update_grievance(&mut self, u: usize) {
        let unit = &self.units[u];
        let bv = &self.buyers[unit.buyer as usize].v;
        let budget_price = self.budget * self.reference_price();
        let overrun = if unit.order > 0.0 {
            (unit.payment / (budget_price * unit.order) - 1.0).clamp(0.0, 2.0)
        } else if unit.payment > 0.0 {
            2.0
        } else {
            0.0
        };
        let breach = if unit.dialogued {
            0.5
        } else if unit.breach {
            1.0
        } else {
            0.0
        };
        let add = bv.breach_grievance * breach
            + bv.complaint_grievance * unit.complaints as f64
            + bv.dispute_grievance * unit.new_disputes as f64
            + bv.cost_grievance * overrun;
        let decay = bv.grievance_decay;
        let unit = &mut self.units[u];
        unit.grievance = unit.grievance * (1.0 - decay) + add;
        unit.rank += 0.3 * (unit.quality - unit.rank);
    }

    /// The grievance the buyer tolerates on unit `u`.
    pub(crate) fn tolerance(&self, u: usize) -> f64 {
        let unit = &self.units[u];
        let bv = &self.buyers[unit.buyer as usize].v;
        let trust = self.buyer_trust(unit.buyer, unit.provider);
        let form = if unit.partnership {
            self.rv.contract.partnership_tolerance
        } else {
            1.0
        };
        bv.tolerance * (1.0 + bv.weak_tolerance * (1.0 - bv.power)) * form * (1.0 + bv.trust_tolerance * trust)
    }

    /// Whether taking the service back is politically supported now: the
    /// probability is the buyer's support, growing with grievance beyond
    /// tolerance (lock-in builds support).
    fn supported(&self, u: usize, rngs: &mut RunRngs) -> bool {
        let unit = &self.units[u];
        let support = self.buyers[unit.buyer as usize].v.political_support;
        let pressure = (unit.grievance / self.tolerance(u)).max(1.0);
        rngs.decision.random::<f64>() < (support * pressure).min(1.0)
    }

    /// The buyer ends the contract before its term.
    fn buyer_terminates<O: Observer>(&mut self, u: usize, cause: Cause, rngs: &mut RunRngs, obs: &mut O) {
        if self.supported(u, rngs) {
            self.termination_claim(u, rngs, obs);
            self.backsource(u, Outcome::Initiated, cause, obs);
        } else if let Some((p, price, _)) = self.best_alternative(u) {
            self.termination_claim(u, rngs, obs);
            self.award(u, p, price, cause, rngs, obs);
        }
        // Otherwise locked in: no alternative, no support. Grievance keeps
        // growing and the buyer tries again next period.
    }

    /// A damage claim after an early termination, as a legal case.
    fn termination_claim<O: Observer>(&mut self, u: usize, rngs: &mut RunRngs, obs: &mut O) {
        let unit = &self.units[u];
        let tp = self.provider_trust(unit.buyer, unit.provider);
        if rngs.decision.random::<f64>() < self.rv.legal.termination_claim * (1.0 - tp) {
            self.units[u].legal += 1;
            self.tally.legal_cases += 1;
            obs.event(self.t, Event::LegalCase { unit: u as u32 });
        }
    }

    /// The end of a contract term.
    fn contract_end<O: Observer>(&mut self, u: usize, rngs: &mut RunRngs, obs: &mut O) {
        let willing = self.units[u].margin >= self.acceptable_margin(u) + RENEWAL_PREMIUM;
        let tolerance = self.tolerance(u);
        let unit = &self.units[u];
        if unit.partnership {
            self.renegotiate(u, obs);
            return;
        }
        let satisfied = unit.grievance < RENEW_FRACTION * tolerance;
        if unit.renewals_left > 0 && satisfied && willing {
            let price = unit.indexed_price;
            self.renew(u, price, true, obs);
            return;
        }
        let incumbent_ok = willing && unit.grievance < tolerance;
        let alt = self.best_alternative(u);
        let inc = if incumbent_ok {
            self.bid(u, self.units[u].provider)
        } else {
            None
        };
        let choice = match (alt, inc) {
            (Some(a), Some(i)) => Some(if i.2 <= a.2 { i } else { a }),
            (a, i) => a.or(i),
        };
        match choice {
            Some((p, price, _)) if p == self.units[u].provider => self.renew(u, price, false, obs),
            Some((p, price, _)) => self.award(u, p, price, Cause::TermEnd, rngs, obs),
            None if !willing => self.backsource(u, Outcome::Involuntary, Cause::Exit, obs),
            None => {
                // The buyer would not keep the incumbent and nobody else bids.
                if self.supported(u, rngs) {
                    self.backsource(u, Outcome::Initiated, Cause::TermEnd, obs);
                } else {
                    let price = self.units[u].indexed_price;
                    self.renew(u, price, false, obs);
                }
            }
        }
    }

    /// Renegotiation of a partnership at the end of its cycle: the buyer
    /// offers the current price scaled by its budget since signing; the
    /// provider's walk-away price is the one that would give it its lowest
    /// acceptable margin. A buyer with less power concedes more. No
    /// agreement ends the partnership: wound down if demand has gone,
    /// otherwise involuntary (the provider would not go lower).
    fn renegotiate<O: Observer>(&mut self, u: usize, obs: &mut O) {
        let unit = &self.units[u];
        let power = self.buyers[unit.buyer as usize].v.power;
        let current = unit.indexed_price;
        let offer = current * self.budget / unit.budget_signed;
        let floor = current * (1.0 + self.acceptable_margin(u) - unit.margin);
        let ceiling = offer * (1.0 + MAX_CONCESSION * (1.0 - power));
        if floor <= offer {
            self.renew(u, offer, false, obs);
        } else if floor <= ceiling {
            self.renew(u, floor, false, obs);
        } else if self.demand_gone(unit.buyer as usize) {
            self.end_and_close(u, Outcome::WoundDown, Cause::Demand, obs);
        } else {
            self.backsource(u, Outcome::Involuntary, Cause::Renegotiation, obs);
        }
    }

    /// A new term with the same provider: a renewal option (`option`) or a
    /// new contract period after a re-tender or renegotiation.
    fn renew<O: Observer>(&mut self, u: usize, price: f64, option: bool, obs: &mut O) {
        let term = self.rv.contract.term as u32;
        let renewals = self.rv.contract.renewals as u32;
        let (cpi, budget, t) = (self.cpi, self.budget, self.t);
        let unit = &mut self.units[u];
        unit.price = price;
        unit.cpi_signed = cpi;
        unit.budget_signed = budget;
        unit.term_end = t + 1 + term;
        unit.contract_period += 1;
        if option {
            unit.renewals_left -= 1;
        } else if !unit.partnership {
            unit.renewals_left = renewals;
        }
        obs.event(
            t,
            Event::Renewal {
                unit: u as u32,
                price,
                option,
            },
        );
    }

    /// The best bid from a provider other than the incumbent:
    /// (provider, price, price per expected quality).
    fn best_alternative(&self, u: usize) -> Option<(u32, f64, f64)> {
        let unit = &self.units[u];
        let incumbent = if unit.state == UnitState::Contracted {
            unit.provider
        } else {
            NONE
        };
        let mut best: Option<(u32, f64, f64)> = None;
        for p in 0..self.providers.len() as u32 {
            if p == incumbent {
                continue;
            }
            if let Some(bid) = self.bid(u, p)
                && best.is_none_or(|b| bid.2 < b.2)
            {
                best = Some(bid);
            }
        }
        best
    }

    /// Provider `p`'s bid for unit `u`, if it is alive and has room:
    /// (provider, price, price per expected quality).
    fn bid(&self, u: usize, p: u32) -> Option<(u32, f64, f64)> {
        let provider = &self.providers[p as usize];
        let incumbent = self.units[u].provider == p && self.units[u].state == UnitState::Contracted;
        if !provider.alive || (!incumbent && provider.used >= provider.capacity) {
            return None;
        }
        let power = self.buyers[self.units[u].buyer as usize].v.power;
        let pv = &provider.v;
        let price = pv.unit_cost
            * self.p0
            * self.cpi
            * (1.0 + pv.markup * (1.5 - power))
            * (1.0 + self.rv.market.tender_tightness * self.tightness);
        let quality = pv.capability * (1.0 - pv.experience_weight * (1.0 - provider.experience));
        Some((p, price, price / quality.max(0.05)))
    }

    /// Awards unit `u` to provider `p`: at once, or after an appeal.
    fn award<O: Observer>(&mut self, u: usize, p: u32, price: f64, cause: Cause, rngs: &mut RunRngs, obs: &mut O) {
        let m = self.rv.market;
        if m.appeal_delay >= 1.0 && rngs.decision.random::<f64>() < m.appeal_rate {
            let delay = m.appeal_delay as u32;
            let unit = &mut self.units[u];
            unit.pending = p;
            unit.pending_price = price;
            unit.pending_cause = cause;
            unit.pending_at = self.t + 1 + delay;
            // The incumbent serves on until the move.
            unit.term_end = unit.term_end.max(unit.pending_at + 1);
            self.providers[p as usize].used += 1;
            obs.event(self.t, Event::Appeal { unit: u as u32, delay });
        } else {
            self.units[u].pending = p;
            self.units[u].pending_price = price;
            self.providers[p as usize].used += 1;
            self.switch_now(u, cause, obs);
        }
    }

    /// Moves unit `u` to its pending provider: the episode ends `switched`.
    fn switch_now<O: Observer>(&mut self, u: usize, cause: Cause, obs: &mut O) {
        let p = self.units[u].pending;
        let price = self.units[u].pending_price;
        self.units[u].pending = NONE;
        self.close_disputes(u, obs);
        self.end_episode(u, Outcome::Switched, cause, obs);
        // Capacity was taken when the award was made.
        self.providers[p as usize].used -= 1;
        self.sign(u, p, price, self.t + 1, self.scenario.form);
        obs.event(
            self.t,
            Event::EpisodeStart {
                unit: u as u32,
                provider: p,
                price,
            },
        );
    }

    /// Open disputes become legal cases when a contract ends (legal
    /// aftermath): the share `legal.aftermath` of them, rounded half up.
    fn close_disputes<O: Observer>(&mut self, u: usize, obs: &mut O) {
        // Deterministic rounding keeps the decision stream untouched here:
        // the expected number of cases, rounded half up.
        let unit = &mut self.units[u];
        if unit.disputes == 0 {
            return;
        }
        let cases = (unit.disputes as f64 * self.rv.legal.aftermath + 0.5).floor() as u32;
        unit.disputes = 0;
        unit.legal += cases;
        self.tally.legal_cases += cases;
        for _ in 0..cases {
            obs.event(self.t, Event::LegalCase { unit: u as u32 });
        }
    }

    /// Ends an episode and leaves the unit dormant.
    fn end_and_close<O: Observer>(&mut self, u: usize, outcome: Outcome, cause: Cause, obs: &mut O) {
        self.close_disputes(u, obs);
        self.end_episode(u, outcome, cause, obs);
        self.units[u].state = UnitState::Dormant;
    }

    /// Step 9 starts here: the unit is taken back in-house. Ramp-up takes
    /// longer with lost capability and recruitment difficulty; set-up costs
    /// grow with lost capability; the in-house unit cost stays higher
    /// afterwards by the lasting cost penalty.
    pub(crate) fn backsource<O: Observer>(&mut self, u: usize, outcome: Outcome, cause: Cause, obs: &mut O) {
        self.close_disputes(u, obs);
        self.end_episode(u, outcome, cause, obs);
        let tr = self.rv.transition;
        let b = self.units[u].buyer as usize;
        let buyer = &self.buyers[b];
        let lost = 1.0 - buyer.capability;
        let ramp_periods =
            tr.ramp_base + tr.ramp_capability * lost + tr.ramp_recruitment * buyer.v.recruitment_difficulty;
        let setup = self.p0 * self.volume * self.cpi * (tr.setup_base + tr.setup_capability * lost);
        let ih_cost = buyer.v.in_house_cost * self.p0 * (1.0 + buyer.v.lasting_cost_penalty * lost);
        let unit = &mut self.units[u];
        unit.state = UnitState::Transition;
        unit.ramp = 0.0;
        unit.ramp_step = if ramp_periods > 0.0 { 1.0 / ramp_periods } else { 1.0 };
        unit.ih_cost = ih_cost;
        unit.notice_left = 0;
        self.tally.costs.transition += setup;
        self.tally.period_cost += setup;
    }

    /// Whether the buyer's smoothed demand is so far below its capacity that
    /// a contracted unit should go.
    fn demand_gone(&self, b: usize) -> bool {
        let buyer = &self.buyers[b];
        let slack = self.volume * (1.0 + buyer.v.wind_down_slack);
        // The capacity is at most the in-house base and every unit; as
        // rounding is monotone, demand at or above that bound is not gone
        // for any count of units, which decides the common case without
        // counting them.
        if buyer.smooth >= buyer.ih_base + buyer.n_units as f64 * self.volume - slack {
            return false;
        }
        buyer.smooth < self.capacity(b) - slack
    }

    /// In-house plus contracted capacity of buyer `b`.
    fn capacity(&self, b: usize) -> f64 {
        let buyer = &self.buyers[b];
        let units = &self.units[buyer.first_unit as usize..(buyer.first_unit + buyer.n_units) as usize];
        buyer.ih_base + units.iter().filter(|u| u.state != UnitState::Dormant).count() as f64 * self.volume
    }

    /// The "moving carousel": with demand well below capacity, the
    /// lowest-ranked contracted unit (smoothed quality times trust) is wound
    /// down, one per buyer and period. Ending before the term may bring a
    /// damage claim.
    fn wind_down<O: Observer>(&mut self, b: usize, rngs: &mut RunRngs, obs: &mut O) {
        if !self.demand_gone(b) {
            return;
        }
        // A contract signed this period (a switch or an expansion) delivers
        // from the next: it has not started, so it is not a site to close yet.
        let t = self.t;
        if let Some(u) = self.lowest_ranked(b, |unit| unit.episode_start <= t) {
            if self.t + 1 < self.units[u].term_end {
                self.termination_claim(u, rngs, obs);
            }
            self.end_and_close(u, Outcome::WoundDown, Cause::Demand, obs);
        }
    }

    /// Contracts that reach the end of their term while demand is gone lapse,
    /// lowest-ranked first, for as long as it stays gone: nothing is renewed
    /// or re-tendered, and no damage claim follows, as the term was served in
    /// full (`wound_down`, cause `term_end`; the carousel's closures before
    /// the term's end have cause `demand`). Runs before the buyer's other
    /// decisions, so the rank is the one of the end of the last period. A
    /// partnership is renegotiated instead, a contract under notice or
    /// awaiting a move after an appeal is left to run its course.
    // Kept out of the period's code: inlined into it, this rarely taken
    // path cost the default scenario 5% more instructions (cachegrind).
    #[inline(never)]
    fn lapse<O: Observer>(&mut self, b: usize, obs: &mut O) {
        let t = self.t;
        let ending = |unit: &Unit| {
            t + 1 >= unit.term_end
                && unit.episode_start <= t
                && !unit.partnership
                && unit.notice_left == 0
                && unit.pending == NONE
        };
        while self.demand_gone(b) {
            let Some(u) = self.lowest_ranked(b, ending) else {
                break;
            };
            self.end_and_close(u, Outcome::WoundDown, Cause::TermEnd, obs);
        }
    }

    /// Buyer `b`'s contracted unit with the lowest rank (smoothed quality
    /// times trust) among those `eligible` says may go; the first in unit
    /// order on a tie.
    fn lowest_ranked(&self, b: usize, eligible: impl Fn(&Unit) -> bool) -> Option<usize> {
        let buyer = &self.buyers[b];
        let mut worst: Option<(usize, f64)> = None;
        for u in buyer.first_unit as usize..(buyer.first_unit + buyer.n_units) as usize {
            let unit = &self.units[u];
            if unit.state != UnitState::Contracted || !eligible(unit) {
                continue;
            }
            let score = unit.rank * (0.5 + 0.5 * self.buyer_trust(unit.buyer, unit.provider));
            if worst.is_none_or(|(_, s)| score < s) {
                worst = Some((u, score));
            }
        }
        worst.map(|(u, _)| u)
    }

    /// With demand well above capacity, dormant units are contracted to the
    /// best bidders (at the seller's-market price).
    fn expand<O: Observer>(&mut self, b: usize, obs: &mut O) {
        let buyer = &self.buyers[b];
        let (first, n) = (buyer.first_unit as usize, buyer.n_units as usize);
        let mut gap = buyer.smooth - self.capacity(b) - 0.5 * self.volume;
        for u in first..first + n {
            if gap <= 0.0 {
                break;
            }
            if self.units[u].state != UnitState::Dormant {
                continue;
            }
            let Some((p, price, _)) = self.best_alternative(u) else {
                break;
            };
            self.sign(u, p, price, self.t + 1, self.scenario.form);
            obs.event(
                self.t,
                Event::EpisodeStart {
                    unit: u as u32,
                    provider: p,
                    price,
                },
            );
            gap -= self.volume;
        }
    }

    /// A new provider enters with a probability that grows with market
    /// tightness, up to the limit on entrants.
    fn market_entry<O: Observer>(&mut self, rngs: &mut RunRngs, obs: &mut O) {
        let m = self.rv.market;
        let u: f64 = rngs.decision.random();
        if self.entrants >= self.max_entrants || u >= m.entry_rate * (1.0 + m.entry_tightness * self.tightness) {
            return;
        }
        let s = &self.scenario;
        let v = s.provider_template.params.draw(&mut rngs.decision);
        let provider = entrant(v, s.provider_template.kind, &m, self.volume, self.p0);
        self.providers.push(provider);
        self.entrants += 1;
        self.tally.entrants += 1;
        obs.event(
            self.t,
            Event::Entry {
                provider: self.providers.len() as u32 - 1,
            },
        );
    }

    /// Step 9. Backsourced units ramp up (recruitment costs while they do);
    /// the buyer's capability rebuilds while it runs units in-house and
    /// decays while it produces none of the service itself.
    pub fn advance_transitions<O: Observer>(&mut self, obs: &mut O) {
        let tr = self.rv.transition;
        let unit_revenue = self.p0 * self.volume * self.cpi;
        for b in 0..self.buyers.len() {
            let buyer = &self.buyers[b];
            let range = buyer.first_unit as usize..(buyer.first_unit + buyer.n_units) as usize;
            let difficulty = buyer.v.recruitment_difficulty;
            let mut in_house_units = false;
            for u in range {
                let unit = &mut self.units[u];
                match unit.state {
                    UnitState::Transition => {
                        in_house_units = true;
                        let cost = tr.recruitment_cost * difficulty * unit_revenue;
                        self.tally.costs.transition += cost;
                        self.tally.period_cost += cost;
                        unit.ramp = (unit.ramp + unit.ramp_step).min(1.0);
                        // Repeated float sums fall short of 1 by an ulp.
                        if unit.ramp >= 1.0 - 1e-9 {
                            unit.ramp = 1.0;
                            unit.state = UnitState::InHouse;
                            obs.event(self.t, Event::RampDone { unit: u as u32 });
                        }
                    }
                    UnitState::InHouse => in_house_units = true,
                    _ => {}
                }
            }
            let buyer = &mut self.buyers[b];
            if in_house_units {
                buyer.capability += buyer.v.capability_rebuild * (1.0 - buyer.capability);
            } else if buyer.ih_base <= 0.0 {
                buyer.capability *= 1.0 - buyer.v.capability_decay;
            }
        }
    }

    /// The period's record: trust, quality, demand and cost per place.
    ///
    /// Quality weighs what was delivered: every unit that was contracted
    /// when demand was served (its order is positive only then) counts with
    /// the quality it delivered, also if its contract ended later in the
    /// period (a takeback, a wind-down); trust is that of the pairs still
    /// contracted at the end.
    fn record_period(&mut self) {
        let (mut tb, mut tp, mut n) = (0.0, 0.0, 0.0);
        let (mut q_sum, mut q_w) = (0.0, 0.0);
        for unit in &self.units {
            q_sum += unit.quality * unit.order;
            q_w += unit.order;
            if unit.state == UnitState::Contracted {
                let idx = unit.buyer as usize * self.max_providers + unit.provider as usize;
                tb += self.trust_b[idx];
                tp += self.trust_p[idx];
                n += 1.0;
            }
        }
        let spot_q = self.rv.market.spot_quality;
        let (mut demand, mut baseline, mut served, mut audit) = (0.0, 0.0, 0.0, 0.0);
        for b in &self.buyers {
            let in_q = b.v.in_house_quality * (0.7 + 0.3 * b.capability);
            q_sum += b.served_in * in_q + b.spot * spot_q;
            q_w += b.served_in + b.spot;
            demand += b.demand;
            baseline += b.baseline;
            served += b.demand - b.unserved;
            audit += b.audit_rate;
        }
        // Nothing delivered (all demand unserved): no quality to measure.
        let quality = if q_w > 0.0 { q_sum / q_w } else { f64::NAN };
        self.tally.quality_sum += q_sum;
        self.tally.quality_weight += q_w;
        let ref_price = self.reference_price();
        self.periods.push(PeriodStats {
            buyer_trust: if n > 0.0 { tb / n } else { f64::NAN },
            provider_trust: if n > 0.0 { tp / n } else { f64::NAN },
            quality,
            demand: demand / baseline,
            cost_per_served: if served > 0.0 {
                self.tally.period_cost / (served * ref_price)
            } else {
                f64::NAN
            },
            audit_rate: audit / self.buyers.len() as f64,
        });
    }
}

/// What steps 2 to 5 read and write besides the unit itself: the world's
/// fields borrowed apart for [`World::unit_steps`].
struct UnitPass<'a> {
    rv: &'a RunValues,
    buyers: &'a [Buyer],
    providers: &'a mut [Provider],
    trust_b: &'a [f64],
    trust_p: &'a [f64],
    max_providers: usize,
    tally: &'a mut Tally,
    t: u32,
    cpi: f64,
    p0: f64,
    volume: f64,
}

impl UnitPass<'_> {
    /// Step 2 for one unit. Providers are paid (indexed price on the ordered
    /// volume or the guaranteed volume, whichever is larger, plus readiness
    /// compensation in a partnership) and bear their costs (unit cost with
    /// inflation, cheaper when staff are cut; standby cost of idle capacity;
    /// co-financing). Staffing reacts to the expected margin. In-house units
    /// cost the buyer their ramped-up capacity.
    #[inline(always)]
    fn pay_and_cost(&mut self, unit: &mut Unit) {
        let rv = self.rv;
        let c = &rv.contract;
        let v = self.volume;
        let cpi = self.cpi;
        match unit.state {
            UnitState::Contracted => {}
            UnitState::InHouse | UnitState::Transition => {
                let cost = unit.ih_cost * cpi * v * unit.ramp;
                self.tally.costs.in_house += cost;
                self.tally.period_cost += cost;
                return;
            }
            UnitState::Dormant => return,
        }
        let pv = &self.providers[unit.provider as usize].v;
        // Staffing follows the margin the provider expects.
        if unit.margin < 0.0 {
            unit.staffing = (unit.staffing + pv.staff_cut * unit.margin).max(pv.min_staffing);
        } else {
            unit.staffing += pv.staff_recovery * (1.0 - unit.staffing);
        }
        // Kept for steps 5 and 6 (one division per unit-period).
        unit.cpi_ratio = cpi / unit.cpi_signed;
        let indexed = unit.price * (1.0 + c.indexation * (unit.cpi_ratio - 1.0));
        let q = unit.order;
        let paid_volume = q.max(c.guaranteed_volume * v);
        let standby = (v - q).max(0.0);
        let unit_cost = pv.unit_cost * self.p0 * cpi * (1.0 - pv.staff_share * (1.0 - unit.staffing));
        let standby_cost = pv.standby_cost * unit_cost * standby;
        let (readiness, co_financing) = if unit.partnership {
            (c.readiness_compensation * standby_cost, c.co_financing * unit_cost * q)
        } else {
            (0.0, 0.0)
        };
        let payment = indexed * paid_volume + readiness;
        let cost = unit_cost * q + standby_cost + co_financing;
        unit.indexed_price = indexed;
        unit.payment = payment;
        unit.flow = payment - cost;
        let unpaid_idle = (v - paid_volume).max(0.0) / v;
        unit.unpaid_standby = if unit.partnership {
            unpaid_idle * (1.0 - c.readiness_compensation)
        } else {
            unpaid_idle
        };
        self.tally.costs.payments += payment;
        self.tally.period_cost += payment;
    }

    /// Step 3 for one unit. Delivered quality: capability scaled by
    /// experience, minus staffing cuts, overcrowding and opportunistic
    /// shading (more when the provider expects few audits and trusts the
    /// buyer less), plus partnership value-added from mutual trust, plus
    /// noise. One normal draw per unit, always.
    #[inline(always)]
    fn deliver_quality(&mut self, unit: &mut Unit, rng: &mut ChaCha8Rng) {
        let rv = self.rv;
        let z = crate::math::standard_normal(rng);
        if unit.state != UnitState::Contracted {
            return;
        }
        let b = unit.buyer as usize;
        let p = unit.provider as usize;
        let idx = b * self.max_providers + p;
        let (tb, tp) = (self.trust_b[idx], self.trust_p[idx]);
        let provider = &self.providers[p];
        let pv = &provider.v;
        let base = pv.capability * (1.0 - pv.experience_weight * (1.0 - provider.experience));
        let staffing = 1.0 - pv.staff_quality * (1.0 - unit.staffing);
        let overload = pv.overload_penalty * (unit.order / self.volume - 1.0).max(0.0);
        let watch = self.buyers[b].audit_rate;
        let shading = pv.opportunism * pv.max_shading * (1.0 - watch) * (1.0 - tp);
        let value_added = if unit.partnership {
            rv.contract.partnership_value * (tb * tp).sqrt()
        } else {
            0.0
        };
        let q = (base * staffing - overload - shading + value_added + pv.quality_noise * z).clamp(0.0, 1.0);
        unit.quality = q;
        unit.value_added = value_added;
        if unit.partnership {
            self.tally.value_added_sum += value_added;
            self.tally.value_added_n += 1.0;
        }
    }

    /// Step 4 for unit `u`. The buyer observes: an audit with the buyer's
    /// audit rate (monitoring crowded out by a surge), complaints that grow
    /// with the quality shortfall, and an inspection that complaints may
    /// trigger. Three uniforms per unit, always.
    #[inline(always)]
    fn observe<O: Observer>(&mut self, u: usize, unit: &mut Unit, rng: &mut ChaCha8Rng, obs: &mut O) {
        let rv = self.rv;
        let threshold = rv.contract.quality_threshold;
        let (ua, uc, ui): (f64, f64, f64) = (rng.random(), rng.random(), rng.random());
        unit.audited = false;
        unit.breach = false;
        unit.complaints = 0;
        if unit.state != UnitState::Contracted {
            return;
        }
        let buyer = &self.buyers[unit.buyer as usize];
        unit.complaints = if let Some(shortfall) = shortfall(threshold, unit.quality) {
            poisson_from_uniform(uc, buyer.v.complaint_base + buyer.v.complaint_rate * shortfall)
        } else {
            // Same value as the general case, with exp(-base) computed once per run.
            poisson_with_p0(uc, buyer.v.complaint_base, buyer.p0_complaints)
        };
        // Non-short-circuit `|` and `&`: the same value without branches
        // on random outcomes, which a processor cannot predict.
        unit.audited = (ua < buyer.audit_rate)
            | ((unit.complaints > 0) & (ui < buyer.v.complaint_inspection * (1.0 - buyer.v.crowd_out * buyer.surge)));
        unit.breach = unit.audited && unit.quality < threshold;
        unit.ep_complaints += unit.complaints;
        self.tally.complaints += unit.complaints;
        if unit.complaints > 0 {
            obs.event(
                self.t,
                Event::Complaints {
                    unit: u as u32,
                    count: unit.complaints,
                },
            );
        }
        if unit.audited {
            self.tally.audits += 1;
            obs.event(
                self.t,
                Event::Audit {
                    unit: u as u32,
                    quality: unit.quality,
                    breach: unit.breach,
                },
            );
        }
    }

    /// Step 5 for unit `u`. Enforcement: under procurement a detected
    /// breach brings a sanction (sanction rate x buyer power x the period's
    /// payment), which the provider may contest (a dispute, more likely with
    /// low trust); under a partnership it brings dialogue and adaptation
    /// first. A price squeeze can start an index dispute. Open disputes cost
    /// both sides, are resolved or escalate to legal cases; legal cases cost
    /// both sides until they end in damages, and outlive the contract.
    #[inline(always)]
    fn enforce<O: Observer>(&mut self, u: usize, unit: &mut Unit, rng: &mut ChaCha8Rng, obs: &mut O) {
        let rv = self.rv;
        let c = &rv.contract;
        let l = &rv.legal;
        let unit_revenue = self.p0 * self.volume * self.cpi;
        let t = self.t;
        unit.sanctioned = false;
        unit.dialogued = false;
        unit.new_disputes = 0;
        let b = unit.buyer as usize;
        let p = unit.provider as usize;
        let power = self.buyers[b].v.power;
        if unit.state == UnitState::Contracted {
            let idx = b * self.max_providers + p;
            let (tb, tp) = (self.trust_b[idx], self.trust_p[idx]);
            if unit.breach {
                if unit.partnership && unit.dialogue < c.dialogue_rounds as u32 {
                    unit.dialogue += 1;
                    unit.dialogued = true;
                    unit.staffing = (unit.staffing + DIALOGUE_ADAPTATION).min(1.0);
                    obs.event(t, Event::Dialogue { unit: u as u32 });
                } else {
                    let amount = c.sanction_rate * power * unit.payment;
                    unit.flow -= amount;
                    unit.sanctioned = true;
                    unit.ep_sanctions += 1;
                    self.tally.sanctions += 1;
                    self.tally.costs.sanctions += amount;
                    self.tally.period_cost -= amount;
                    obs.event(t, Event::Sanction { unit: u as u32, amount });
                    if rng.random::<f64>() < c.dispute_rate * (1.0 - tp.min(tb)) {
                        unit.new_disputes += 1;
                    }
                }
            } else if unit.audited {
                unit.dialogue = 0;
            }
            let squeeze = (unit.cpi_ratio - 1.0).max(0.0) * (1.0 - c.indexation);
            if squeeze > 0.0 {
                let p_dispute =
                    SQUEEZE_DISPUTE_SCALE * c.dispute_rate * (squeeze * rv.trust.squeeze_weight).min(1.0) * (1.0 - tp);
                unit.new_disputes += (rng.random::<f64>() < p_dispute) as u32;
            }
            for _ in 0..unit.new_disputes {
                obs.event(t, Event::Dispute { unit: u as u32 });
            }
            unit.disputes += unit.new_disputes;
            self.tally.disputes += unit.new_disputes;
            // Open disputes: cost, resolution, escalation.
            let mut open = unit.disputes;
            for _ in 0..unit.disputes {
                let r: f64 = rng.random();
                if r < l.resolution {
                    open -= 1;
                } else if r < l.resolution + (1.0 - l.resolution) * l.escalation * (1.0 - tb) {
                    open -= 1;
                    unit.legal += 1;
                    self.tally.legal_cases += 1;
                    obs.event(t, Event::LegalCase { unit: u as u32 });
                }
            }
            let dispute_cost = l.dispute_cost * unit_revenue * unit.disputes as f64;
            unit.disputes = open;
            unit.flow -= dispute_cost;
            self.tally.costs.legal += dispute_cost;
            self.tally.period_cost += dispute_cost;
            // The provider's expectation of its margin, from this period.
            let full_revenue = unit.indexed_price * self.volume;
            let pv = &self.providers[p].v;
            if full_revenue > 0.0 {
                unit.margin += pv.margin_memory * (unit.flow / full_revenue - unit.margin);
            }
            let provider = &mut self.providers[p];
            provider.reserves += unit.flow;
            provider.profit += unit.flow;
        }
        // Legal cases run on whatever the unit's state.
        if unit.legal > 0 {
            let cost = l.case_cost * unit_revenue * unit.legal as f64;
            self.tally.costs.legal += cost;
            self.tally.period_cost += cost;
            let mut provider_side = -cost;
            let mut open = unit.legal;
            for _ in 0..unit.legal {
                if rng.random::<f64>() < 1.0 / l.case_duration {
                    open -= 1;
                    let damages = l.damages * unit_revenue;
                    if rng.random::<f64>() < 1.0 - power {
                        self.tally.costs.legal += damages;
                        self.tally.period_cost += damages;
                        provider_side += damages;
                    } else {
                        self.tally.costs.legal -= damages;
                        self.tally.period_cost -= damages;
                        provider_side -= damages;
                    }
                }
            }
            unit.legal = open;
            if p < self.providers.len() && self.providers[p].alive {
                self.providers[p].reserves += provider_side;
                self.providers[p].profit += provider_side;
            }
        }
    }
}

/// A lower bound of [`World::tolerance`] that needs no trust look-up: the
/// tolerance factors are all at least 1. Checking it first skips the full
/// computation in the common case; results are unchanged.
#[inline]
fn unit_min_tolerance(w: &World, u: usize) -> f64 {
    w.buyers[w.units[u].buyer as usize].v.tolerance
}

/// One trust update: see [`World::update_trust`].
pub fn trust_step(trust: f64, bad: f64, gain: f64, loss: f64) -> f64 {
    let bad = bad.max(0.0);
    (trust + gain * (1.0 - trust) * (1.0 - bad).max(0.0) - loss * trust * bad.min(1.0)).clamp(0.0, 1.0)
}

impl Form {
    /// Whether this is a partnership.
    pub fn is_partnership(self) -> bool {
        self == Form::Partnership
    }
}

#[cfg(test)]
mod tests {
    use super::shortfall;
    use proptest::prelude::*;

    /// The shortfall as it was computed before: the division first.
    fn shortfall_by_division(threshold: f64, quality: f64) -> f64 {
        if threshold > 0.0 {
            ((threshold - quality) / threshold).max(0.0)
        } else {
            0.0
        }
    }

    fn same_as_division(threshold: f64, quality: f64) {
        let old = shortfall_by_division(threshold, quality);
        match shortfall(threshold, quality) {
            Some(s) => assert!(old > 0.0 && s.to_bits() == old.to_bits(), "{threshold} {quality}"),
            None => assert_eq!(old, 0.0, "{threshold} {quality}"),
        }
    }

    #[test]
    fn shortfall_at_the_edges_is_the_quotient() {
        let edges = [
            0.0,
            f64::MIN_POSITIVE,
            5e-324,
            1e-300,
            0.5,
            0.7,
            1.0 - f64::EPSILON,
            1.0,
            f64::NAN,
        ];
        for &t in &edges {
            for &q in &edges {
                same_as_division(t, q);
                same_as_division(t, f64::from_bits(q.to_bits().wrapping_sub(1)));
                same_as_division(t, f64::from_bits(q.to_bits() + 1));
            }
        }
    }

    proptest! {
        #[test]
        fn shortfall_is_the_quotient(threshold in 0.0..=1.0f64, quality in 0.0..=1.0f64) {
            same_as_division(threshold, quality);
        }

        #[test]
        fn shortfall_is_the_quotient_near_the_threshold(threshold in 0.0..=1.0f64, ulps in -3i64..=3) {
            let quality = f64::from_bits(threshold.to_bits().wrapping_add_signed(ulps));
            same_as_division(threshold, quality);
        }
    }
}
