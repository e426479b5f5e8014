//! The seed cases of CASES.md as Monte Carlo assertions: every "Patterns"
//! line of the four cases, the cross-case conclusions, the national market's
//! simultaneous failures and the default scenario's plausibility against the
//! literature, each over the built-in scenario with a fixed seed.
//!
//! Every statistical assertion decides on a 95% interval: a Wilson interval
//! for a share (for a share of episodes, widened for their clustering in
//! runs), mean ± t·sd/√n for a mean over runs (over episodes, the ratio
//! estimator's interval, again allowing for their clustering in runs); two
//! quantities are compared by an interval on their paired difference (same
//! runs) or by non-overlapping intervals. The last test checks that the
//! tables in docs/cases.md are what `backsim cases` produces.

use std::collections::{BTreeMap, BTreeSet};

use backsim::model::*;
use backsim::output::cases;
use backsim::scenario::{Scenario, builtin};
use backsim::stats::{ClusterSums, t975, wilson};
use rayon::prelude::*;

mod common;
use common::{Ci, backsim, mean_ci};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Seed of every run in this file.
const SEED: u64 = 11;

/// A built-in scenario with `PATH=VALUE` overrides.
fn scenario(name: &str, sets: &[&str]) -> Scenario {
    let text = builtin::find(name).unwrap_or_else(|| panic!("{name} is not a built-in scenario"));
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    Scenario::from_toml_str_with(text, name, &sets).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `0..runs` of `s` in parallel, each with a fresh observer from
/// `make`, and maps each finished run (its result, the world still holding
/// its episodes and periods, and the observer) to a value. Results come back
/// in run order; run `i` depends only on (SEED, i).
fn runs<O, T>(
    s: &Scenario,
    runs: u64,
    make: impl Fn() -> O + Sync,
    f: impl Fn(&RunResult, &World, O) -> T + Sync,
) -> Vec<T>
where
    O: Observer,
    T: Send,
{
    (0..runs)
        .into_par_iter()
        .map_init(
            || World::new(s),
            |world, run| {
                let mut obs = make();
                let r = world.run_seeded(SEED, 0, run, &mut obs);
                f(&r, world, obs)
            },
        )
        .collect()
}

/// A share with its Wilson 95% interval.
#[derive(Clone, Copy, Debug)]
#[allow(dead_code)] // k, n and the estimate are shown through Debug in messages
struct Share {
    k: u64,
    n: u64,
    est: f64,
    lo: f64,
    hi: f64,
}

fn share(k: u64, n: u64) -> Share {
    let i = wilson(k, n);
    Share {
        k,
        n,
        est: i.estimate,
        lo: i.low,
        hi: i.high,
    }
}

/// The share of episodes with `pred` among those with `among`, over runs:
/// episodes of one run share its future, so the interval allows for their
/// clustering in runs ([`ClusterSums::wilson`]).
fn episode_share(runs: &[Traced], among: impl Fn(&Facts) -> bool, pred: impl Fn(&Facts) -> bool) -> Share {
    let mut c = ClusterSums::default();
    for t in runs {
        let n = t.facts.iter().filter(|f| among(f)).count() as u64;
        let k = t.facts.iter().filter(|f| among(f) && pred(f)).count() as u64;
        c.add(k, n);
    }
    let i = c.wilson();
    Share {
        k: c.hits,
        n: c.items,
        est: i.estimate,
        lo: i.low,
        hi: i.high,
    }
}

/// The mean of `value` over the episodes with `among`, over runs, with a
/// 95% interval that allows for the episodes' clustering in runs: the ratio
/// estimator's variance, `R/(R−1) · Σ_r (y_r − m n_r)² / N²` (Cochran 1977,
/// 6.9), with Student's t on R − 1 degrees of freedom.
fn episode_mean(runs: &[Traced], among: impl Fn(&Facts) -> bool, value: impl Fn(&Facts) -> f64) -> Ci {
    let per_run: Vec<(f64, f64)> = runs
        .iter()
        .map(|t| {
            let xs: Vec<f64> = t.facts.iter().filter(|f| among(f)).map(&value).collect();
            (xs.iter().sum::<f64>(), xs.len() as f64)
        })
        .collect();
    let big_n: f64 = per_run.iter().map(|p| p.1).sum();
    assert!(big_n >= 30.0, "too few episodes ({big_n}) for an interval");
    let r = per_run.len() as f64;
    let mean = per_run.iter().map(|p| p.0).sum::<f64>() / big_n;
    let ss: f64 = per_run.iter().map(|(y, n)| backsim::math::powi(y - mean * n, 2)).sum();
    let half = t975(per_run.len() as u64 - 1) * (r / (r - 1.0) * ss).sqrt() / big_n;
    Ci {
        n: big_n as usize,
        mean,
        lo: mean - half,
        hi: mean + half,
    }
}

fn share_of<T>(xs: &[T], pred: impl Fn(&T) -> bool) -> Share {
    share(xs.iter().filter(|x| pred(x)).count() as u64, xs.len() as u64)
}

/// The interval of `a` lies entirely above that of `b`.
fn above(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 > b.1
}

fn periods_per_year(s: &Scenario) -> f64 {
    s.time.period.per_year() as f64
}

// ---------------------------------------------------------------------------
// Episode-level facts: what happened to each contract episode
// ---------------------------------------------------------------------------

/// What an observer saw of one contract episode.
#[derive(Clone, Copy, Debug)]
#[allow(dead_code)] // every field is shown through Debug in messages
struct Facts {
    unit: u32,
    outcome: Outcome,
    cause: Cause,
    contract_period: u32,
    start: u32,
    end: u32,
    audits: u32,
    breaches: u32,
    sanctions: u32,
    complaints: u32,
    disputes: u32,
    /// Lowest staffing seen at the end of a period of the episode.
    min_staffing: f64,
    /// The provider's expected margin at the end of the last full period.
    last_margin: f64,
    /// The buyer's trust in the provider at the end of the last full period.
    last_buyer_trust: f64,
}

#[derive(Clone, Copy, Debug)]
struct Open {
    audits: u32,
    breaches: u32,
    sanctions: u32,
    complaints: u32,
    disputes: u32,
    min_staffing: f64,
    last_margin: f64,
    last_buyer_trust: f64,
}

impl Default for Open {
    fn default() -> Self {
        Open {
            audits: 0,
            breaches: 0,
            sanctions: 0,
            complaints: 0,
            disputes: 0,
            min_staffing: 1.0,
            last_margin: f64::NAN,
            last_buyer_trust: f64::NAN,
        }
    }
}

/// Tracks every unit's current episode from events and end-of-period state,
/// and closes it when the episode ends. Also records each takeback and when
/// its ramp-up completed.
#[derive(Default)]
struct Tracer {
    open: Vec<Open>,
    /// (unit, outcome, cause, period, accumulated facts), in the order the episodes ended.
    closed: Vec<(u32, Outcome, Cause, u32, Open)>,
    /// (unit, period of the takeback, period the ramp-up completed).
    ramps: Vec<(u32, u32, Option<u32>)>,
}

impl Tracer {
    fn slot(&mut self, unit: u32) -> &mut Open {
        let u = unit as usize;
        if self.open.len() <= u {
            self.open.resize(u + 1, Open::default());
        }
        &mut self.open[u]
    }

    /// Every episode of the run with its facts: the ended ones from events,
    /// the continued ones from the open accumulators.
    fn facts(mut self, world: &World) -> Vec<Facts> {
        let mut closed = std::mem::take(&mut self.closed);
        for e in world.episodes.iter().filter(|e| e.outcome == Outcome::Continued) {
            let acc = *self.slot(e.unit);
            closed.push((e.unit, e.outcome, e.cause, e.end, acc));
        }
        assert_eq!(closed.len(), world.episodes.len());
        closed
            .into_iter()
            .zip(&world.episodes)
            .map(|((unit, outcome, cause, end, acc), e)| {
                assert_eq!((unit, outcome, end), (e.unit, e.outcome, e.end));
                Facts {
                    unit,
                    outcome,
                    cause,
                    contract_period: e.contract_period,
                    start: e.start,
                    end,
                    audits: acc.audits,
                    breaches: acc.breaches,
                    sanctions: acc.sanctions,
                    complaints: acc.complaints,
                    disputes: acc.disputes,
                    min_staffing: acc.min_staffing,
                    last_margin: acc.last_margin,
                    last_buyer_trust: acc.last_buyer_trust,
                }
            })
            .collect()
    }
}

impl Observer for Tracer {
    fn event(&mut self, t: u32, e: Event) {
        match e {
            Event::Audit { unit, breach, .. } => {
                let o = self.slot(unit);
                o.audits += 1;
                o.breaches += u32::from(breach);
            }
            Event::Sanction { unit, .. } => self.slot(unit).sanctions += 1,
            Event::Complaints { unit, count } => self.slot(unit).complaints += count,
            Event::Dispute { unit } => self.slot(unit).disputes += 1,
            Event::EpisodeEnd {
                unit, outcome, cause, ..
            } => {
                let acc = std::mem::take(self.slot(unit));
                self.closed.push((unit, outcome, cause, t, acc));
                if outcome.is_backsourcing() {
                    self.ramps.push((unit, t, None));
                }
            }
            Event::RampDone { unit } => {
                if let Some(r) = self.ramps.iter_mut().rev().find(|r| r.0 == unit && r.2.is_none()) {
                    r.2 = Some(t);
                }
            }
            _ => {}
        }
    }

    fn period_end(&mut self, _t: u32, world: &World) {
        for (u, unit) in world.units.iter().enumerate() {
            if unit.state == UnitState::Contracted {
                let trust = world.buyer_trust(unit.buyer, unit.provider);
                let o = self.slot(u as u32);
                o.min_staffing = o.min_staffing.min(unit.staffing);
                o.last_margin = unit.margin;
                o.last_buyer_trust = trust;
            }
        }
    }
}

/// One run's episodes and takebacks, with what the takebacks cost.
struct Traced {
    result: RunResult,
    facts: Vec<Facts>,
    ramps: Vec<(u32, u32, Option<u32>)>,
    periods: Vec<PeriodStats>,
    /// One unit's opening revenue per period (price x volume), for scale-free costs.
    unit_revenue: f64,
}

fn traced(s: &Scenario, n: u64) -> Vec<Traced> {
    runs(s, n, Tracer::default, |r, w, tracer| {
        let ramps = tracer.ramps.clone();
        Traced {
            result: *r,
            facts: tracer.facts(w),
            ramps,
            periods: w.periods.clone(),
            unit_revenue: w.p0 * w.volume,
        }
    })
}

/// Ramp-up durations in years and transition costs per takeback in periods
/// of one unit's opening revenue, over runs with a takeback.
fn takeback_costs(s: &Scenario, traced: &[Traced]) -> (Vec<f64>, Vec<f64>) {
    let per_year = periods_per_year(s);
    let mut ramp_years = Vec::new();
    let mut cost = Vec::new();
    for t in traced {
        let k = t.result.backsourcings();
        if k == 0 {
            continue;
        }
        cost.push(t.result.costs.transition / (t.unit_revenue * k as f64));
        let done: Vec<f64> = t
            .ramps
            .iter()
            .filter_map(|&(_, from, to)| to.map(|to| (to - from) as f64 / per_year))
            .collect();
        if !done.is_empty() {
            ramp_years.push(done.iter().sum::<f64>() / done.len() as f64);
        }
    }
    (ramp_years, cost)
}

// ---------------------------------------------------------------------------
// Case A: elderly care
// ---------------------------------------------------------------------------

const ELDERLY_RUNS: u64 = 4000;

#[test]
fn elderly_care_involuntary_is_the_most_common_backsourcing_type() {
    let s = scenario("elderly-care", &[]);
    let all = traced(&s, ELDERLY_RUNS);
    let involuntary = episode_share(
        &all,
        |f| f.outcome.is_backsourcing(),
        |f| f.outcome == Outcome::Involuntary,
    );
    println!("elderly-care: involuntary share of backsourcing episodes {involuntary:?}");
    assert!(
        involuntary.lo > 0.5,
        "involuntary must be most of the backsourcing episodes: {involuntary:?}"
    );
    // Also as the first backsourcing of a run.
    let firsts: Vec<Outcome> = all
        .iter()
        .filter_map(|t| t.result.first_backsourcing.map(|f| f.0))
        .collect();
    let first_involuntary = share_of(&firsts, |o| *o == Outcome::Involuntary);
    println!("elderly-care: first backsourcing involuntary {first_involuntary:?}");
    assert!(first_involuntary.lo > 0.5, "{first_involuntary:?}");
}

#[test]
fn elderly_care_involuntary_follows_complaints_audits_sanctions_and_staff_cuts() {
    let s = scenario("elderly-care", &[]);
    let all = traced(&s, ELDERLY_RUNS);
    let involuntary = all
        .iter()
        .flat_map(|t| &t.facts)
        .filter(|f| f.outcome == Outcome::Involuntary)
        .count();
    assert!(involuntary > 500, "too few involuntary episodes: {involuntary}");
    type Pred = fn(&&Facts) -> bool;
    let checks: [(&str, Pred); 4] = [
        ("complaints", |f| f.complaints > 0),
        ("an audit", |f| f.audits > 0),
        ("an audit finding quality below the threshold", |f| f.breaches > 0),
        ("a sanction", |f| f.sanctions > 0),
    ];
    for (what, pred) in checks {
        let inv = episode_share(&all, |f| f.outcome == Outcome::Involuntary, |f| pred(&f));
        let cont = episode_share(&all, |f| f.outcome == Outcome::Continued, |f| pred(&f));
        println!("elderly-care: episodes with {what}: involuntary {inv:?}, continued {cont:?}");
        assert!(inv.lo > 0.9, "nearly every involuntary episode has {what}: {inv:?}");
        assert!(
            above((inv.lo, inv.hi), (cont.lo, cont.hi)),
            "{what} is more common before an involuntary end than in continued episodes: {inv:?} vs {cont:?}"
        );
    }
    // Low staffing under margin pressure.
    let staffing_inv = episode_mean(&all, |f| f.outcome == Outcome::Involuntary, |f| f.min_staffing);
    let staffing_cont = episode_mean(&all, |f| f.outcome == Outcome::Continued, |f| f.min_staffing);
    println!("elderly-care: lowest staffing: involuntary {staffing_inv:?}, continued {staffing_cont:?}");
    assert!(
        staffing_inv.hi < staffing_cont.lo,
        "staff were cut more before an involuntary end: {staffing_inv:?} vs {staffing_cont:?}"
    );
    assert!(
        staffing_inv.hi < 0.92,
        "staffing was cut by more than 8%: {staffing_inv:?}"
    );
    let margin = episode_share(&all, |f| f.outcome == Outcome::Involuntary, |f| f.last_margin < 0.0);
    println!("elderly-care: involuntary episodes ending with an expected loss {margin:?}");
    assert!(
        margin.lo > 0.9,
        "the provider expected a loss when it gave up: {margin:?}"
    );
}

#[test]
fn elderly_care_involuntary_happens_in_a_later_contract_period() {
    let s = scenario("elderly-care", &[]);
    let all = traced(&s, ELDERLY_RUNS);
    let later = episode_share(&all, |f| f.outcome == Outcome::Involuntary, |f| f.contract_period >= 2);
    println!("elderly-care: involuntary in a second or later contract period {later:?}");
    assert!(later.lo > 0.5, "mostly in a second or later contract period: {later:?}");
    // The same for the first backsourcing of each run (contract period recorded in the result).
    let firsts: Vec<u32> = all
        .iter()
        .filter_map(|t| match t.result.first_backsourcing {
            Some((Outcome::Involuntary, _, _, cp)) => Some(cp),
            _ => None,
        })
        .collect();
    let later_first = share_of(&firsts, |cp| *cp >= 2);
    assert!(later_first.lo > 0.5, "{later_first:?}");
    // And the episodes that ended so had run for years.
    let per_year = periods_per_year(&s);
    let years = episode_mean(
        &all,
        |f| f.outcome == Outcome::Involuntary,
        |f| (f.end - f.start) as f64 / per_year,
    );
    println!("elderly-care: years from signing to the involuntary end {years:?}");
    assert!(years.lo > 4.0, "{years:?}");
}

#[test]
fn elderly_care_takeback_is_cheaper_and_faster_than_ambulance_dispatch() {
    let a = scenario("elderly-care", &[]);
    let b = scenario("ambulance-dispatch", &[]);
    let (ramp_a, cost_a) = takeback_costs(&a, &traced(&a, ELDERLY_RUNS));
    let (ramp_b, cost_b) = takeback_costs(&b, &traced(&b, AMBULANCE_RUNS));
    let (ramp_a, ramp_b) = (mean_ci(&ramp_a), mean_ci(&ramp_b));
    let (cost_a, cost_b) = (mean_ci(&cost_a), mean_ci(&cost_b));
    println!("ramp-up years: elderly-care {ramp_a:?}, ambulance-dispatch {ramp_b:?}");
    println!(
        "transition cost per takeback, periods of unit revenue: elderly-care {cost_a:?}, ambulance-dispatch {cost_b:?}"
    );
    assert!(ramp_a.hi < ramp_b.lo, "elderly care ramps up faster");
    assert!(
        ramp_a.hi < 1.0,
        "elderly care is back at full capacity within a year: {ramp_a:?}"
    );
    assert!(cost_a.hi < cost_b.lo, "elderly care's takeback costs less");
    // Because in-house capacity exists: without it, know-how decays while
    // the service is outsourced and the same takeback is slower and dearer.
    let c = scenario("elderly-care", &["buyer.in_house_capacity=0"]);
    let (ramp_c, cost_c) = takeback_costs(&c, &traced(&c, ELDERLY_RUNS));
    let (ramp_c, cost_c) = (mean_ci(&ramp_c), mean_ci(&cost_c));
    println!(
        "elderly-care without in-house capacity: ramp-up years {ramp_c:?}, transition cost per takeback {cost_c:?}"
    );
    assert!(ramp_a.hi < ramp_c.lo, "in-house capacity makes the takeback faster");
    assert!(cost_a.hi < cost_c.lo, "in-house capacity makes the takeback cheaper");
}

// ---------------------------------------------------------------------------
// Case B: ambulance dispatch
// ---------------------------------------------------------------------------

const AMBULANCE_RUNS: u64 = 4000;

#[test]
fn ambulance_dispatch_initiated_dominates_and_nothing_is_ever_switched() {
    let s = scenario("ambulance-dispatch", &[]);
    let all = traced(&s, AMBULANCE_RUNS);
    assert!(
        all.iter().all(|t| t.result.outcomes[Outcome::Switched.index()] == 0),
        "re-tendering is impossible: no run may switch"
    );
    assert!(all.iter().all(|t| t.result.entrants == 0), "nobody can enter");
    let initiated = episode_share(
        &all,
        |f| f.outcome != Outcome::Continued,
        |f| f.outcome == Outcome::Initiated,
    );
    println!("ambulance-dispatch: initiated share of ended episodes {initiated:?}");
    assert!(initiated.lo > 0.95, "{initiated:?}");
    let runs_initiated = share_of(&all, |t| t.result.outcomes[Outcome::Initiated.index()] > 0);
    println!("ambulance-dispatch: runs with initiated backsourcing {runs_initiated:?}");
    assert!(
        runs_initiated.lo > 0.5,
        "most futures end in a takeback: {runs_initiated:?}"
    );
}

#[test]
fn ambulance_dispatch_initiated_follows_disputes_and_falling_trust() {
    let s = scenario("ambulance-dispatch", &[]);
    let mut world = World::new(&s);
    world.run_seeded(SEED, 0, 0, &mut NoObserver);
    let initial_trust = world.rv.trust.initial;
    let all = traced(&s, AMBULANCE_RUNS);
    let initiated = |f: &Facts| f.outcome == Outcome::Initiated;
    let disputes = episode_share(&all, initiated, |f| f.disputes > 0);
    println!("ambulance-dispatch: takebacks preceded by a dispute {disputes:?}");
    assert!(disputes.lo > 0.6, "{disputes:?}");
    let trust = episode_mean(&all, initiated, |f| f.last_buyer_trust);
    println!("ambulance-dispatch: buyer trust before the takeback {trust:?} (initial {initial_trust})");
    assert!(trust.hi < initial_trust, "trust has fallen: {trust:?}");
    let per_year = periods_per_year(&s);
    let years = episode_mean(&all, initiated, |f| f.end as f64 / per_year);
    println!("ambulance-dispatch: years to the takeback {years:?}");
    assert!(years.lo > 6.0, "a long build-up: {years:?}");
}

/// Mean period in which each run's first contract episode ended (the
/// horizon if it continued): how long the original relation lasted.
fn relation_length(s: &Scenario, n: u64) -> Ci {
    let horizon = s.time.periods;
    let ends = runs(
        s,
        n,
        || NoObserver,
        |_, w, _| {
            let ends: Vec<f64> = w
                .first_ends
                .iter()
                .map(|e| e.map_or(horizon, |(_, t)| t) as f64)
                .collect();
            ends.iter().sum::<f64>() / ends.len() as f64
        },
    );
    mean_ci(&ends)
}

#[test]
fn ambulance_dispatch_is_slow_because_the_weak_buyer_tolerates_and_cannot_switch() {
    let locked = relation_length(&scenario("ambulance-dispatch", &[]), AMBULANCE_RUNS);
    let can_switch = relation_length(
        &scenario("ambulance-dispatch", &["market.alternatives=1"]),
        AMBULANCE_RUNS,
    );
    let strong_can_switch = relation_length(
        &scenario("ambulance-dispatch", &["market.alternatives=1", "buyer.power=0.8"]),
        AMBULANCE_RUNS,
    );
    println!(
        "ambulance-dispatch: periods the relation lasts: weak and locked in {locked:?}, with an alternative {can_switch:?}, strong with an alternative {strong_can_switch:?}"
    );
    assert!(locked.lo > can_switch.hi, "an alternative provider would end it sooner");
    assert!(
        locked.lo > strong_can_switch.hi,
        "a strong buyer with an alternative would end it sooner"
    );
    // A weak buyer tolerates more: with no alternative either, a strong
    // buyer still ends the relation sooner.
    let strong = relation_length(&scenario("ambulance-dispatch", &["buyer.power=0.8"]), AMBULANCE_RUNS);
    println!("ambulance-dispatch: a strong buyer without an alternative {strong:?}");
    assert!(locked.lo > strong.hi, "a strong buyer would end it sooner");
}

#[test]
fn ambulance_dispatch_takeback_is_expensive_slow_and_dips_quality() {
    let s = scenario("ambulance-dispatch", &[]);
    let all = traced(&s, AMBULANCE_RUNS);
    let (mut cost_rise, mut quality_dip, mut ramp_years) = (Vec::new(), Vec::new(), Vec::new());
    let per_year = periods_per_year(&s);
    for t in &all {
        let Some(&(_, at, Some(done))) = t.ramps.first() else {
            continue;
        };
        let (at, done) = (at as usize, done as usize);
        ramp_years.push((done - at) as f64 / per_year);
        let mean = |f: &dyn Fn(&PeriodStats) -> f64, r: std::ops::Range<usize>| {
            let xs: Vec<f64> = t.periods[r].iter().map(f).filter(|x| x.is_finite()).collect();
            xs.iter().sum::<f64>() / xs.len() as f64
        };
        // The year before the takeback, the ramp-up, and after it.
        let before = at.saturating_sub(4)..at;
        if before.is_empty() {
            continue;
        }
        quality_dip.push(mean(&|p| p.quality, before.clone()) - mean(&|p| p.quality, at..done));
        if done + 1 < t.periods.len() {
            cost_rise
                .push(mean(&|p| p.cost_per_served, done + 1..t.periods.len()) - mean(&|p| p.cost_per_served, before));
        }
    }
    let (ramp, dip, rise) = (mean_ci(&ramp_years), mean_ci(&quality_dip), mean_ci(&cost_rise));
    println!(
        "ambulance-dispatch: ramp-up years {ramp:?}; quality before minus during the ramp-up {dip:?}; cost per place served after minus before {rise:?}"
    );
    assert!(ramp.lo > 1.5, "rebuilding dispatch takes years: {ramp:?}");
    assert!(dip.lo > 0.05, "quality dips while capacity is rebuilt: {dip:?}");
    assert!(rise.lo > 0.1, "costs rise after the takeback: {rise:?}");
    // Set-up and recruitment: the transition costs several periods of revenue
    // per takeback, because no competence is left: with know-how kept
    // in-house the same takeback is faster and cheaper.
    let (_, cost) = takeback_costs(&s, &all);
    let cost = mean_ci(&cost);
    println!("ambulance-dispatch: transition cost per takeback {cost:?} periods of revenue");
    assert!(cost.lo > 3.0, "{cost:?}");
    let kept = scenario(
        "ambulance-dispatch",
        &["buyer.in_house_capability=0.8", "buyer.capability_decay=0"],
    );
    let (kept_ramp, kept_cost) = takeback_costs(&kept, &traced(&kept, AMBULANCE_RUNS));
    let (kept_ramp, kept_cost) = (mean_ci(&kept_ramp), mean_ci(&kept_cost));
    println!("ambulance-dispatch with know-how kept: ramp-up years {kept_ramp:?}, transition cost {kept_cost:?}");
    assert!(ramp.lo > kept_ramp.hi, "lost competence makes the ramp-up longer");
    assert!(cost.lo > kept_cost.hi, "lost competence makes the takeback dearer");
}

// ---------------------------------------------------------------------------
// Case C: refugee housing
// ---------------------------------------------------------------------------

const REFUGEE_RUNS: u64 = 1500;

/// Per period and per contract: what the refugee-housing patterns need.
#[derive(Default)]
struct Housing {
    /// Per period: contracted units, audited ones, units below the quality
    /// threshold, and those of them found by an audit.
    contracted: Vec<u32>,
    audited: Vec<u32>,
    below: Vec<u32>,
    found: Vec<u32>,
    entries: Vec<u32>,
    /// Contracts signed this period, resolved at its end: (period, price / opening price, provider's experience).
    pending: Vec<(u32, u32, f64)>,
    signed: Vec<(u32, f64, f64)>,
    /// Units the buyer wound down early this period (the carousel, cause
    /// `demand`), resolved at its end: (period, rank of the unit, mean rank
    /// of those kept).
    wound_pending: Vec<u32>,
    wound: Vec<(u32, f64, f64)>,
    /// Ended episodes: (period, unit, outcome, cause) and legal cases: (period, unit).
    ended: Vec<(u32, u32, Outcome, Cause)>,
    legal: Vec<(u32, u32)>,
}

impl Observer for Housing {
    fn event(&mut self, t: u32, e: Event) {
        match e {
            Event::Entry { .. } => {
                self.entries.resize(t as usize + 1, 0);
                self.entries[t as usize] += 1;
            }
            Event::EpisodeStart { provider, price, .. } => self.pending.push((t, provider, price)),
            Event::EpisodeEnd {
                unit, outcome, cause, ..
            } => {
                self.ended.push((t, unit, outcome, cause));
                if (outcome, cause) == (Outcome::WoundDown, Cause::Demand) {
                    self.wound_pending.push(unit);
                }
            }
            Event::LegalCase { unit } => self.legal.push((t, unit)),
            _ => {}
        }
    }

    fn period_end(&mut self, t: u32, w: &World) {
        let threshold = w.rv.contract.quality_threshold;
        let (mut c, mut a, mut b, mut f) = (0, 0, 0, 0);
        let (mut rank_sum, mut rank_n) = (0.0, 0.0);
        for u in &w.units {
            if u.state != UnitState::Contracted {
                continue;
            }
            c += 1;
            a += u32::from(u.audited);
            if u.quality < threshold {
                b += 1;
                f += u32::from(u.audited);
            }
            rank_sum += u.rank;
            rank_n += 1.0;
        }
        self.contracted.push(c);
        self.audited.push(a);
        self.below.push(b);
        self.found.push(f);
        self.entries.resize(t as usize + 1, 0);
        for (at, p, price) in self.pending.drain(..) {
            self.signed.push((at, price / w.p0, w.providers[p as usize].experience));
        }
        for u in self.wound_pending.drain(..) {
            if rank_n > 0.0 {
                self.wound.push((t, w.units[u as usize].rank, rank_sum / rank_n));
            }
        }
    }
}

struct HousingRun {
    result: RunResult,
    obs: Housing,
    periods: Vec<PeriodStats>,
}

fn housing(s: &Scenario, n: u64) -> Vec<HousingRun> {
    runs(s, n, Housing::default, |r, w, obs| HousingRun {
        result: *r,
        obs,
        periods: w.periods.clone(),
    })
}

/// (first period of the surge, first period after it) from the scenario's shocks.
fn surge_window(s: &Scenario) -> (u32, u32) {
    let surge = s.shocks.iter().find(|x| x.size > 0.0).expect("a surge");
    (surge.start, surge.start + surge.duration.expect("a surge ends"))
}

#[test]
fn refugee_housing_surge_raises_prices_and_pulls_in_newcomers() {
    let s = scenario("refugee-housing", &[]);
    let (from, to) = surge_window(&s);
    let all = housing(&s, REFUGEE_RUNS);
    // Prices: the mean price of contracts signed in the surge, per run.
    let surge_prices: Vec<f64> = all
        .iter()
        .filter_map(|h| {
            let xs: Vec<f64> = h
                .obs
                .signed
                .iter()
                .filter(|x| (from..to).contains(&x.0))
                .map(|x| x.1)
                .collect();
            (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
        })
        .collect();
    let prices = mean_ci(&surge_prices);
    println!("refugee-housing: price of surge contracts / opening price {prices:?}");
    assert!(prices.lo > 1.3, "a seller's market: {prices:?}");
    // Newcomers: contracts signed in the surge go to inexperienced providers.
    let surge_signed: Vec<(u32, f64, f64)> = all
        .iter()
        .flat_map(|h| h.obs.signed.iter().copied())
        .filter(|x| (from..to).contains(&x.0))
        .collect();
    let inexperienced = share_of(&surge_signed, |x| x.2 < 0.5);
    println!("refugee-housing: surge contracts with providers of experience below 0.5 {inexperienced:?}");
    assert!(inexperienced.lo > 0.5, "{inexperienced:?}");
    // Entry: more providers enter per period in the surge than before it.
    let rate = |r: std::ops::Range<u32>| {
        all.iter()
            .map(|h| r.clone().map(|t| h.obs.entries[t as usize] as f64).sum::<f64>() / r.len() as f64)
            .collect::<Vec<f64>>()
    };
    let (before, during) = (mean_ci(&rate(0..from)), mean_ci(&rate(from..to)));
    println!("refugee-housing: entries per period before {before:?}, during the surge {during:?}");
    assert!(during.lo > before.hi, "the surge pulls in entrants");
}

#[test]
fn refugee_housing_monitoring_is_crowded_out_in_the_surge() {
    let s = scenario("refugee-housing", &[]);
    let (from, to) = surge_window(&s);
    let all = housing(&s, REFUGEE_RUNS);
    // Per run: audits per contracted unit-period, and the share of
    // below-threshold unit-periods that an audit found, before and during.
    let (mut audit_drop, mut found_drop) = (Vec::new(), Vec::new());
    for h in &all {
        let sum = |v: &[u32], r: std::ops::Range<u32>| r.map(|t| v[t as usize] as f64).sum::<f64>();
        let rate = |num: &[u32], den: &[u32], r: std::ops::Range<u32>| sum(num, r.clone()) / sum(den, r);
        audit_drop
            .push(rate(&h.obs.audited, &h.obs.contracted, 0..from) - rate(&h.obs.audited, &h.obs.contracted, from..to));
        let (b0, b1) = (sum(&h.obs.below, 0..from), sum(&h.obs.below, from..to));
        if b0 > 0.0 && b1 > 0.0 {
            found_drop.push(rate(&h.obs.found, &h.obs.below, 0..from) - rate(&h.obs.found, &h.obs.below, from..to));
        }
    }
    let (audits, found) = (mean_ci(&audit_drop), mean_ci(&found_drop));
    println!(
        "refugee-housing: audit rate before minus during the surge {audits:?}; share of low quality found, before minus during {found:?}"
    );
    assert!(audits.lo > 0.1, "audits drop in the surge: {audits:?}");
    assert!(found.lo > 0.1, "low quality goes undetected in the surge: {found:?}");
    // More low-quality unit-periods go unnoticed during the surge.
    let below_surge = mean_ci(
        &all.iter()
            .map(|h| {
                (from..to).map(|t| h.obs.below[t as usize] as f64).sum::<f64>()
                    / (from..to).map(|t| h.obs.contracted[t as usize] as f64).sum::<f64>()
            })
            .collect::<Vec<_>>(),
    );
    println!("refugee-housing: share of contracted unit-periods below the threshold in the surge {below_surge:?}");
    assert!(below_surge.lo > 0.2, "{below_surge:?}");
}

#[test]
fn refugee_housing_collapse_winds_down_lowest_ranked_first_with_legal_disputes() {
    let s = scenario("refugee-housing", &[]);
    let (_, collapse) = surge_window(&s);
    let all = housing(&s, REFUGEE_RUNS);
    let wound: Vec<(u32, f64, f64)> = all.iter().flat_map(|h| h.obs.wound.iter().copied()).collect();
    let after = share_of(&wound, |w| w.0 >= collapse);
    println!("refugee-housing: wind-downs after demand collapsed {after:?}");
    assert!(
        after.lo > 0.9,
        "the buyer ends contracts when demand collapses: {after:?}"
    );
    // Lowest-ranked first: per run, the wound-down unit's rank minus the
    // mean rank of the units kept, averaged over its wind-downs.
    let gap: Vec<f64> = all
        .iter()
        .filter(|h| !h.obs.wound.is_empty())
        .map(|h| h.obs.wound.iter().map(|w| w.2 - w.1).sum::<f64>() / h.obs.wound.len() as f64)
        .collect();
    let gap = mean_ci(&gap);
    println!("refugee-housing: mean rank of units kept minus rank of the unit wound down {gap:?}");
    assert!(gap.lo > 0.0, "the lowest-ranked go first: {gap:?}");
    let runs_wound = share_of(&all, |h| h.result.outcomes[Outcome::WoundDown.index()] >= 5);
    assert!(runs_wound.lo > 0.9, "a carousel of closures: {runs_wound:?}");
    // Terminations (wind-downs before the term's end) bring legal cases in
    // the period the contract ends; contracts left to lapse at their term's
    // end (cause `term_end`) bring no damage claim, only the legal
    // aftermath of disputes still open.
    let legal_share = |cause: Cause| {
        let ended: Vec<bool> = all
            .iter()
            .flat_map(|h| {
                h.obs
                    .ended
                    .iter()
                    .filter(move |e| (e.2, e.3) == (Outcome::WoundDown, cause))
                    .map(|e| h.obs.legal.contains(&(e.0, e.1)))
            })
            .collect();
        share_of(&ended, |l| *l)
    };
    let (early, lapsed) = (legal_share(Cause::Demand), legal_share(Cause::TermEnd));
    println!("refugee-housing: early wind-downs that bring a legal case {early:?}, lapses {lapsed:?}");
    assert!(early.lo > 0.4, "many terminations end in legal disputes: {early:?}");
    assert!(
        lapsed.n > 0 && lapsed.hi < early.lo,
        "a lapse brings no damage claim: {lapsed:?}"
    );
}

#[test]
fn refugee_housing_cost_per_place_is_far_above_the_pre_crisis_price() {
    let s = scenario("refugee-housing", &[]);
    let (from, _) = surge_window(&s);
    let all = housing(&s, REFUGEE_RUNS);
    let (mut before, mut crisis) = (Vec::new(), Vec::new());
    for h in &all {
        let mean = |r: std::ops::Range<usize>| {
            let xs: Vec<f64> = h.periods[r]
                .iter()
                .map(|p| p.cost_per_served)
                .filter(|x| x.is_finite())
                .collect();
            xs.iter().sum::<f64>() / xs.len() as f64
        };
        before.push(mean(0..from as usize));
        crisis.push(mean(from as usize..h.periods.len()));
    }
    let (before, crisis) = (mean_ci(&before), mean_ci(&crisis));
    println!("refugee-housing: cost per place served / opening price: before {before:?}, from the surge on {crisis:?}");
    assert!(before.hi < 1.1, "{before:?}");
    assert!(
        crisis.lo > 1.5 * before.hi,
        "far above the pre-crisis price: {crisis:?}"
    );
}

// ---------------------------------------------------------------------------
// Case D: partnership (IOP) against procurement
// ---------------------------------------------------------------------------

const IOP_RUNS: u64 = 4000;

/// The two IOP scenarios differ only in name, description and contract form.
#[test]
fn iop_scenarios_differ_only_in_the_contract_form() {
    let strip = |name: &str| {
        let mut t: toml::Table = toml::from_str(builtin::find(name).unwrap()).unwrap();
        t.remove("name");
        t.remove("description");
        let form = t["contract"].as_table_mut().unwrap().remove("form").unwrap();
        (t, form.as_str().unwrap().to_string())
    };
    let (p, pf) = strip("iop-partnership");
    let (q, qf) = strip("iop-as-procurement");
    assert_eq!(p, q);
    assert_eq!((pf.as_str(), qf.as_str()), ("partnership", "procurement"));
}

struct IopRun {
    result: RunResult,
    /// Mean over the nine opening contracts of the period their first episode ended (horizon if not).
    survival: f64,
    episodes: Vec<Episode>,
}

fn iop(name: &str) -> Vec<IopRun> {
    iop_with(name, &[])
}

fn iop_with(name: &str, sets: &[&str]) -> Vec<IopRun> {
    let s = scenario(name, sets);
    let horizon = s.time.periods;
    runs(
        &s,
        IOP_RUNS,
        || NoObserver,
        |r, w, _| {
            let ends: Vec<f64> = w
                .first_ends
                .iter()
                .map(|e| e.map_or(horizon, |(_, t)| t) as f64)
                .collect();
            IopRun {
                result: *r,
                survival: ends.iter().sum::<f64>() / ends.len() as f64,
                episodes: w.episodes.clone(),
            }
        },
    )
}

#[test]
fn iop_partnership_survives_longer_and_adds_value_but_ends_externally_with_both_losing() {
    let partnership = iop("iop-partnership");
    let procurement = iop("iop-as-procurement");
    // Same random futures: a paired comparison, run by run.
    let diff = |f: &dyn Fn(&IopRun) -> f64| {
        mean_ci(
            &partnership
                .iter()
                .zip(&procurement)
                .map(|(a, b)| f(a) - f(b))
                .collect::<Vec<_>>(),
        )
    };
    let survival = diff(&|r| r.survival);
    println!("iop: periods the opening contracts last, partnership minus procurement {survival:?}");
    assert!(
        survival.lo > 0.5,
        "the partnership survives the shocks longer: {survival:?}"
    );
    let quality = diff(&|r| r.result.mean_quality);
    let value_added = mean_ci(&partnership.iter().map(|r| r.result.value_added).collect::<Vec<_>>());
    println!(
        "iop: value-added quality of the partnership {value_added:?}; mean quality, partnership minus procurement {quality:?}"
    );
    assert!(value_added.lo > 0.05, "{value_added:?}");
    assert!(quality.lo > 0.0, "the partnership delivers more quality: {quality:?}");

    // When it ends, it ends through external causes and renegotiation failure.
    let ended: Vec<&Episode> = partnership
        .iter()
        .flat_map(|r| &r.episodes)
        .filter(|e| e.outcome != Outcome::Continued)
        .collect();
    let external = share_of(&ended, |e| {
        matches!(
            (e.outcome, e.cause),
            (Outcome::WoundDown, Cause::Demand) | (Outcome::Involuntary, Cause::Renegotiation)
        )
    });
    println!("iop-partnership: ended through demand or failed renegotiation {external:?}");
    assert!(external.lo > 0.75, "{external:?}");
    let renegotiation = share_of(&partnership, |r| {
        r.episodes.iter().any(|e| e.cause == Cause::Renegotiation)
    });
    println!("iop-partnership: runs where a renegotiation fails {renegotiation:?}");
    assert!(
        renegotiation.lo > 0.3,
        "the economic model cracks in many futures: {renegotiation:?}"
    );
    // It does end, with losses on both sides.
    let ending: Vec<&IopRun> = partnership
        .iter()
        .filter(|r| r.episodes.iter().any(|e| e.outcome != Outcome::Continued))
        .collect();
    assert!(share(ending.len() as u64, partnership.len() as u64).lo > 0.9);
    let both = share_of(&ending, |r| r.result.both_lose());
    println!("iop-partnership: both lose in runs where the partnership ends {both:?}");
    assert!(both.lo > 0.9, "{both:?}");
}

#[test]
fn iop_procurement_ends_earlier_and_more_often_through_provider_exit() {
    let partnership = iop("iop-partnership");
    let procurement = iop("iop-as-procurement");
    let exit_share = |runs: &[IopRun]| {
        let ended: Vec<&Episode> = runs
            .iter()
            .flat_map(|r| &r.episodes)
            .filter(|e| e.outcome != Outcome::Continued)
            .collect();
        share_of(&ended, |e| {
            e.outcome == Outcome::Involuntary && e.cause != Cause::Renegotiation
        })
    };
    let (p, q) = (exit_share(&partnership), exit_share(&procurement));
    println!("iop: ended by provider notice or failure: partnership {p:?}, procurement {q:?}");
    assert!(above((q.lo, q.hi), (p.lo, p.hi)), "procurement ends more often by exit");
    // Because volume is not guaranteed: with half of it guaranteed, the same
    // procurement contracts end by exit less often.
    let guaranteed = exit_share(&iop_with("iop-as-procurement", &["contract.guaranteed_volume=0.5"]));
    println!("iop-as-procurement with half the volume guaranteed: ended by notice or failure {guaranteed:?}");
    assert!(
        above((q.lo, q.hi), (guaranteed.lo, guaranteed.hi)),
        "exit follows from volume that is not guaranteed"
    );
    // Earlier: the opening contracts end sooner under procurement.
    let (p_end, q_end) = (
        mean_ci(&partnership.iter().map(|r| r.survival).collect::<Vec<_>>()),
        mean_ci(&procurement.iter().map(|r| r.survival).collect::<Vec<_>>()),
    );
    println!("iop: mean period the opening contracts end: partnership {p_end:?}, procurement {q_end:?}");
    assert!(p_end.lo > q_end.hi, "procurement contracts end earlier");
}

// ---------------------------------------------------------------------------
// National elderly care: one failure, many municipalities
// ---------------------------------------------------------------------------

#[test]
fn national_elderly_care_one_failure_hits_many_municipalities_at_once() {
    let s = scenario("national-elderly-care", &[]);
    let n = 500;
    let per_run: Vec<Vec<u32>> = runs(
        &s,
        n,
        || NoObserver,
        |_, w, _| {
            let mut hit: BTreeMap<(u32, u32), BTreeSet<u32>> = BTreeMap::new();
            for e in w.episodes.iter().filter(|e| e.cause == Cause::Failure) {
                hit.entry((e.provider, e.end)).or_default().insert(e.buyer);
            }
            hit.values().map(|b| b.len() as u32).collect()
        },
    );
    let hits: Vec<u32> = per_run.iter().flatten().copied().collect();
    let runs_with = share_of(&per_run, |h| !h.is_empty());
    let mut sorted = hits.clone();
    sorted.sort_unstable();
    let mut histogram: BTreeMap<&str, usize> = BTreeMap::new();
    for &h in &hits {
        let bin = match h {
            1 => "a: 1",
            2..=9 => "b: 2-9",
            10..=49 => "c: 10-49",
            50..=99 => "d: 50-99",
            _ => "e: 100+",
        };
        *histogram.entry(bin).or_default() += 1;
    }
    let q = |p: f64| sorted[((p * sorted.len() as f64) as usize).min(sorted.len() - 1)];
    println!(
        "national-elderly-care: {} failures in {n} runs; runs with a failure {runs_with:?}; municipalities hit per failure: min {}, p25 {}, median {}, p75 {}, max {}; {histogram:?}",
        hits.len(),
        sorted[0],
        q(0.25),
        q(0.5),
        q(0.75),
        sorted[sorted.len() - 1]
    );
    assert!(
        runs_with.lo > 0.1,
        "chains fail in a tenth of futures or more: {runs_with:?}"
    );
    let mean = mean_ci(&hits.iter().map(|&h| h as f64).collect::<Vec<_>>());
    println!("national-elderly-care: mean municipalities hit per failure {mean:?}");
    assert!(mean.lo > 20.0, "one failure hits many municipalities at once: {mean:?}");
    let many = share_of(&hits, |&h| h >= 10);
    assert!(many.lo > 0.75, "most failures hit ten or more municipalities: {many:?}");
}

// ---------------------------------------------------------------------------
// Cross-case conclusions
// ---------------------------------------------------------------------------

#[test]
fn cross_case_both_parties_lose_outcomes_occur() {
    for (name, n) in [
        ("elderly-care", 4000),
        ("ambulance-dispatch", 4000),
        ("iop-partnership", 2000),
        ("iop-as-procurement", 2000),
        ("default", 4000),
    ] {
        let s = scenario(name, &[]);
        let both = runs(&s, n, || NoObserver, |r, _, _| r.both_lose());
        let sh = share_of(&both, |b| *b);
        println!("{name}: both parties lose {sh:?}");
        assert!(sh.lo > 0.005, "{name}: both-lose outcomes occur: {sh:?}");
    }
}

#[test]
fn cross_case_legal_costs_follow_terminations() {
    for name in ["default", "elderly-care", "ambulance-dispatch"] {
        let s = scenario(name, &[]);
        let rows = runs(
            &s,
            4000,
            || NoObserver,
            |r, w, _| {
                let horizon = w.scenario().time.periods;
                // A termination: a contract ended before the end of its episode's
                // term by the buyer (initiated, switched for grievance, wound down).
                let terminated = w.episodes.iter().any(|e| {
                    e.end < horizon
                        && matches!(
                            (e.outcome, e.cause),
                            (Outcome::Initiated, _) | (Outcome::Switched, Cause::Grievance) | (Outcome::WoundDown, _)
                        )
                });
                (terminated, r.costs.legal / (w.p0 * w.volume))
            },
        );
        let with: Vec<f64> = rows.iter().filter(|r| r.0).map(|r| r.1).collect();
        let without: Vec<f64> = rows.iter().filter(|r| !r.0).map(|r| r.1).collect();
        let (a, b) = (mean_ci(&with), mean_ci(&without));
        println!("{name}: legal cost (periods of unit revenue) in runs with a termination {a:?}, without {b:?}");
        assert!(a.lo > b.hi, "{name}: legal costs follow terminations");
    }
}

// The third conclusion, "audits drop when demand surges", is
// `refugee_housing_monitoring_is_crowded_out_in_the_surge`.

// ---------------------------------------------------------------------------
// The default scenario against the literature
// ---------------------------------------------------------------------------

/// Share of runs with a backsourcing within five years, and the first
/// backsourcing types.
fn five_years(sets: &[&str], n: u64) -> (Share, Vec<Outcome>) {
    let s = scenario("default", sets);
    let limit = 5 * s.time.period.per_year();
    let firsts = runs(&s, n, || NoObserver, |r, _, _| r.first_backsourcing);
    let within = share_of(&firsts, |f| f.is_some_and(|f| f.2 < limit));
    (within, firsts.iter().filter_map(|f| f.map(|f| f.0)).collect())
}

#[test]
fn default_is_plausible_against_us_local_government_surveys() {
    let n = 10_000;
    let (default, firsts) = five_years(&[], n);
    println!("default: backsourcing within five years {default:?}");
    assert!(
        default.lo > 0.05 && default.hi < 0.2,
        "roughly a tenth of contracted services come back in-house over five years: {default:?}"
    );
    let initiated = share_of(&firsts, |o| *o == Outcome::Initiated);
    println!("default: first backsourcing initiated by the buyer {initiated:?}");
    assert!(
        initiated.lo > 0.3,
        "governments take services back on their own initiative: {initiated:?}"
    );
    let (nonprofit, _) = five_years(&["provider.kind=nonprofit", "provider.loyalty=0.5"], n);
    println!("default with a non-profit provider: {nonprofit:?}");
    assert!(
        above((default.lo, default.hi), (nonprofit.lo, nonprofit.hi)),
        "for-profit contracts are the least stable"
    );
    let (thin, _) = five_years(&["market.alternatives=0", "market.max_entrants=0"], n);
    println!("default with no alternative provider: {thin:?}");
    assert!(
        above((thin.lo, thin.hi), (default.lo, default.hi)),
        "thin markets bring services back in-house"
    );
}

// ---------------------------------------------------------------------------
// docs/cases.md
// ---------------------------------------------------------------------------

#[test]
fn docs_cases_tables_are_what_backsim_cases_produces() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cases.md");
    let doc = std::fs::read_to_string(path).expect("docs/cases.md");
    let blocks = cases::all_blocks(|_, _, _| {}).expect("case scenarios load");
    let (_, changed) = cases::update(&doc, &blocks).expect("docs/cases.md has every marker");
    assert!(
        changed.is_empty(),
        "docs/cases.md: the tables {changed:?} are out of date; run `cargo run --release -- cases --write docs/cases.md`"
    );
}

/// `backsim cases` in a temporary folder.
fn backsim_cases(dir: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = backsim(dir);
    cmd.arg("cases").arg("--quiet");
    cmd
}

#[test]
fn backsim_cases_check_fails_with_code_2_on_a_missing_file_or_broken_markers() {
    use predicates::prelude::*;
    use predicates::str::contains;
    let dir = tempfile::tempdir().unwrap();
    backsim_cases(dir.path())
        .args(["--check", "missing.md"])
        .assert()
        .code(2)
        .stderr(contains("cannot read missing.md"));
    std::fs::write(dir.path().join("plain.md"), "# no markers here\n").unwrap();
    backsim_cases(dir.path())
        .args(["--write", "plain.md"])
        .assert()
        .code(2)
        .stderr(contains("plain.md").and(contains("<!-- cases:begin overview -->")));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("plain.md")).unwrap(),
        "# no markers here\n",
        "a broken file is left as it was"
    );
    backsim_cases(dir.path())
        .args(["--check", "a.md", "--write", "b.md"])
        .assert()
        .code(2);
}

#[test]
fn backsim_cases_check_names_the_stale_table_and_exits_2() {
    use predicates::prelude::*;
    use predicates::str::contains;
    let dir = tempfile::tempdir().unwrap();
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cases.md")).unwrap();
    let begin = "<!-- cases:begin refugee-housing -->\n";
    let stale = doc.replacen(begin, &format!("{begin}an old table\n"), 1);
    assert_ne!(stale, doc);
    std::fs::write(dir.path().join("stale.md"), &stale).unwrap();
    backsim_cases(dir.path())
        .args(["--check", "stale.md"])
        .assert()
        .code(2)
        .stderr(
            contains("the table refugee-housing differs")
                .and(contains("--write stale.md"))
                .and(contains("tables").not()),
        );
}
