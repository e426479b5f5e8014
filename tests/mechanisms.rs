//! Mechanism tests: each test builds a small scenario, runs it with fixed
//! seeds through the library API and asserts one mechanism of the model.
//!
//! Statistical assertions decide on a 95% interval computed in the test
//! (mean ± t·sd/√n over independent runs, or a Wilson interval for a
//! share), never on a point estimate.

use std::collections::{BTreeMap, BTreeSet};

use backsim::model::steps::trust_step;
use backsim::model::*;
use backsim::scenario::*;

mod common;
use common::{Ci, mean_ci};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Parses a scenario, with `PATH=VALUE` overrides.
fn scenario(text: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match Scenario::from_toml_str_with(text, "mechanisms.rs", &sets) {
        Ok(s) => s,
        Err(e) => panic!("test scenario is invalid: {e}"),
    }
}

/// Wilson 95% interval of a share `k / n`.
fn wilson(k: u64, n: u64) -> (f64, f64) {
    assert!(n > 0);
    let z = 1.96f64;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    (centre - half, centre + half)
}

/// One unit's state at the end of a period.
#[derive(Clone, Copy, Debug)]
struct UnitSnap {
    state: UnitState,
    provider: u32,
    payment: f64,
    indexed_price: f64,
    order: f64,
    sanctioned: bool,
    breach: bool,
    complaints: u32,
    new_disputes: u32,
    buyer_trust: f64,
    provider_trust: f64,
}

impl UnitSnap {
    fn contracted_with(&self, p: u32) -> bool {
        self.state == UnitState::Contracted && self.provider == p
    }
}

/// Records every event and a snapshot of units and providers at the end of
/// every period.
#[derive(Clone, Debug, Default)]
struct Trace {
    events: Vec<(u32, Event)>,
    /// `units[t][u]`: unit `u` at the end of period `t`.
    units: Vec<Vec<UnitSnap>>,
    /// `providers[t][p]`: (alive, reserves) at the end of period `t`.
    providers: Vec<Vec<(bool, f64)>>,
}

impl Observer for Trace {
    fn event(&mut self, period: u32, event: Event) {
        self.events.push((period, event));
    }

    fn period_end(&mut self, period: u32, world: &World) {
        assert_eq!(
            period as usize,
            self.units.len(),
            "period_end is called once per period, in order"
        );
        let snaps = world
            .units
            .iter()
            .map(|u| {
                let (tb, tp) = if u.provider != NONE {
                    (
                        world.buyer_trust(u.buyer, u.provider),
                        world.provider_trust(u.buyer, u.provider),
                    )
                } else {
                    (f64::NAN, f64::NAN)
                };
                UnitSnap {
                    state: u.state,
                    provider: u.provider,
                    payment: u.payment,
                    indexed_price: u.indexed_price,
                    order: u.order,
                    sanctioned: u.sanctioned,
                    breach: u.breach,
                    complaints: u.complaints,
                    new_disputes: u.new_disputes,
                    buyer_trust: tb,
                    provider_trust: tp,
                }
            })
            .collect();
        self.units.push(snaps);
        self.providers
            .push(world.providers.iter().map(|p| (p.alive, p.reserves)).collect());
    }
}

/// Runs `run` of `scenario` under `seed` with a fresh trace.
fn traced(world: &mut World, seed: u64, run: u64) -> (RunResult, Trace) {
    let mut trace = Trace::default();
    let result = world.run_seeded(seed, 0, run, &mut trace);
    (result, trace)
}

/// Bitwise equality of per-period records (they may hold NaN).
fn periods_bits(p: &[PeriodStats]) -> Vec<[u64; 6]> {
    p.iter()
        .map(|s| {
            [
                s.buyer_trust.to_bits(),
                s.provider_trust.to_bits(),
                s.quality.to_bits(),
                s.demand.to_bits(),
                s.cost_per_served.to_bits(),
                s.audit_rate.to_bits(),
            ]
        })
        .collect()
}

// ---------------------------------------------------------------------------
// 1. Provider failure
// ---------------------------------------------------------------------------

/// Two loss-making providers (unit cost 1.8 x price, one period of revenue in
/// reserve, and a minimum margin of -1 so they never give notice first) and
/// one healthy provider share six units. No alternative provider and no
/// political support, so nothing but failure ends a contract early.
const FAILURE: &str = r#"
[time]
periods = 24

[buyer]
count = 2
units = 3
political_support = 0.0

[[provider.groups]]
name = "losers"
count = 2
share = 0.667
unit_cost = 1.8
reserves = 1.0
min_margin = -1.0

[[provider.groups]]
name = "healthy"
count = 1
share = 0.333

[market]
alternatives = 0
max_entrants = 0
"#;

#[test]
fn failure_ends_every_unit_of_the_failed_provider_in_that_period() {
    let s = scenario(FAILURE, &[]);
    let mut world = World::new(&s);
    let mut failed_providers = BTreeSet::new();
    let mut failures_seen = 0;
    for run in 0..40 {
        let (result, trace) = traced(&mut world, 11, run);
        let failures: Vec<(u32, u32, u32)> = trace
            .events
            .iter()
            .filter_map(|&(t, e)| match e {
                Event::Failure { provider, units } => Some((t, provider, units)),
                _ => None,
            })
            .collect();
        assert!(!failures.is_empty(), "run {run}: a loss-making provider must fail");
        assert_eq!(
            result.failures as usize,
            failures.len(),
            "run {run}: RunResult.failures"
        );
        let mut from_events = BTreeSet::new();
        for &(t, p, n) in &failures {
            failures_seen += 1;
            failed_providers.insert(p);
            assert!(
                t >= 1,
                "run {run}: the setup keeps every provider alive through period 0"
            );
            // Units it served this period: contracted with it at the end of
            // the previous period (steps 1-6 change no assignment).
            let served: BTreeSet<u32> = (0..trace.units[t as usize - 1].len() as u32)
                .filter(|&u| trace.units[t as usize - 1][u as usize].contracted_with(p))
                .collect();
            assert!(
                !served.is_empty(),
                "run {run}: provider {p} served units when it failed"
            );
            assert_eq!(
                n as usize,
                served.len(),
                "run {run}: Failure.units counts the units served"
            );
            // Failure is caused by reserves below zero.
            assert!(trace.providers[t as usize - 1][p as usize].0, "alive before");
            let (alive, reserves) = trace.providers[t as usize][p as usize];
            assert!(
                !alive && reserves < 0.0,
                "run {run}: provider {p} fails with reserves {reserves}"
            );
            // Every unit it served ends involuntary/failure in period t.
            let ended: BTreeSet<u32> = trace
                .events
                .iter()
                .filter_map(|&(te, e)| match e {
                    Event::EpisodeEnd {
                        unit,
                        provider,
                        outcome,
                        cause,
                    } if te == t && provider == p => {
                        assert_eq!(outcome, Outcome::Involuntary, "run {run}: unit {unit}");
                        assert_eq!(cause, Cause::Failure, "run {run}: unit {unit}");
                        Some(unit)
                    }
                    _ => None,
                })
                .collect();
            assert_eq!(
                ended, served,
                "run {run}: units ended by the failure of provider {p} in period {t}"
            );
            for &u in &served {
                let snap = trace.units[t as usize][u as usize];
                assert!(
                    !snap.contracted_with(p),
                    "run {run}: unit {u} still contracted after the failure"
                );
                from_events.insert((u, p, t));
            }
            // Nothing is contracted with a failed provider afterwards.
            for later in &trace.units[t as usize..] {
                assert!(later.iter().all(|s| !s.contracted_with(p)));
            }
        }
        // Every failure-caused ending is one of these, and the episodes list agrees.
        let from_episodes: BTreeSet<(u32, u32, u32)> = world
            .episodes
            .iter()
            .filter(|e| e.cause == Cause::Failure)
            .map(|e| {
                assert_eq!(e.outcome, Outcome::Involuntary);
                (e.unit, e.provider, e.end)
            })
            .collect();
        assert_eq!(from_episodes, from_events, "run {run}: episodes list vs events");
        assert_eq!(result.involuntary_failure as usize, from_events.len(), "run {run}");
        // The healthy provider (index 2) never fails.
        assert!(
            failures.iter().all(|&(_, p, _)| p == 0 || p == 1),
            "run {run}: {failures:?}"
        );
    }
    assert_eq!(
        failed_providers,
        BTreeSet::from([0, 1]),
        "both loss-making providers fail"
    );
    assert!(failures_seen >= 40);
}

// ---------------------------------------------------------------------------
// 2. No alternative: no switch
// ---------------------------------------------------------------------------

/// Poor quality under heavy monitoring: breaches are found often, grievance
/// is high. Little political support, so the buyer mostly wants to re-tender.
const GRIEVANCE: &str = r#"
[time]
periods = 40

[buyer]
count = 3
units = 4
monitoring = 0.9
political_support = 0.1

[provider]
capability = 0.55
"#;

#[test]
fn without_alternatives_nobody_switches() {
    const RUNS: u64 = 300;
    let count = |sets: &[&str]| {
        let s = scenario(GRIEVANCE, sets);
        let mut world = World::new(&s);
        let (mut switched, mut runs_switched, mut grievance_ends, mut grievance_runs) = (0u64, 0u64, 0u64, 0u64);
        for run in 0..RUNS {
            let r = world.run_seeded(22, 0, run, &mut NoObserver);
            switched += r.outcomes[Outcome::Switched.index()] as u64;
            runs_switched += (r.outcomes[Outcome::Switched.index()] > 0) as u64;
            let g = world.episodes.iter().filter(|e| e.cause == Cause::Grievance).count() as u64;
            grievance_ends += g;
            grievance_runs += (g > 0) as u64;
        }
        (switched, runs_switched, grievance_ends, grievance_runs)
    };
    let (switched, _, grievance_ends, grievance_runs) = count(&["market.alternatives=0", "market.max_entrants=0"]);
    eprintln!("monopoly: switched {switched}, grievance ends {grievance_ends} in {grievance_runs} runs");
    assert_eq!(switched, 0, "a buyer with no alternative provider cannot switch");
    // Grievance really is high: buyers do end contracts (by taking them back).
    let (lo, _) = wilson(grievance_runs, RUNS);
    assert!(
        lo > 0.5,
        "grievance ends a contract in most monopoly runs: {grievance_runs}/{RUNS}"
    );

    // The same scenario with alternatives does switch: the zero above is the
    // missing alternative, not a quiet scenario.
    let (switched, runs_switched, _, _) = count(&["market.alternatives=2", "market.max_entrants=4"]);
    let (lo, hi) = wilson(runs_switched, RUNS);
    eprintln!("with alternatives: switched {switched}, in {runs_switched}/{RUNS} runs [{lo:.3}, {hi:.3}]");
    assert!(lo > 0.5, "with alternatives, switches happen in most runs");
}

// ---------------------------------------------------------------------------
// 3. Guaranteed volume
// ---------------------------------------------------------------------------

/// Six units; no cost grievance (paying for unused places would otherwise
/// make the buyer terminate) and no winding down (the collapse would
/// otherwise end contracts), so the comparison is of payments alone.
const VOLUME: &str = r#"
[time]
periods = 24

[buyer]
count = 2
units = 3
cost_grievance = 0.0
wind_down_slack = 100.0

[demand]
shock_rate = 0.0
"#;
const COLLAPSE: &str = "demand.shocks=[{ start = 8, duration = 8, size = -0.8 }]";
const WINDOW: std::ops::Range<usize> = 8..16;

/// Provider revenue in the collapse window: payments to units that were
/// contracted when the period began (at the end of the previous one).
fn window_revenue(trace: &Trace) -> f64 {
    WINDOW
        .map(|t| {
            trace.units[t]
                .iter()
                .zip(&trace.units[t - 1])
                .filter(|(_, before)| before.state == UnitState::Contracted)
                .map(|(now, _)| now.payment)
                .sum::<f64>()
        })
        .sum()
}

#[test]
fn guaranteed_volume_protects_payment_in_a_demand_collapse() {
    const RUNS: u64 = 200;
    let ratios = |gv: &str| {
        let base = scenario(VOLUME, &[gv]);
        let collapse = scenario(VOLUME, &[gv, COLLAPSE]);
        let (mut wb, mut wc) = (World::new(&base), World::new(&collapse));
        let mut ratios = Vec::new();
        let mut floor_checked = 0;
        for run in 0..RUNS {
            let (_, tb) = traced(&mut wb, 33, run);
            let (_, tc) = traced(&mut wc, 33, run);
            // Same random futures: identical up to the collapse.
            for t in 0..WINDOW.start {
                for (a, b) in tb.units[t].iter().zip(&tc.units[t]) {
                    assert_eq!(a.payment.to_bits(), b.payment.to_bits(), "CRN before the collapse");
                }
            }
            if gv.ends_with("=1.0") {
                // Mechanism: with full guarantee, a unit ordering less than its
                // volume is paid the indexed price on the full volume.
                for t in WINDOW {
                    for (now, before) in tc.units[t].iter().zip(&tc.units[t - 1]) {
                        if before.state == UnitState::Contracted {
                            assert!(now.order < wc.volume);
                            let floor = now.indexed_price * wc.volume;
                            assert!(
                                (now.payment - floor).abs() <= 1e-12 * floor,
                                "paid {} not {floor}",
                                now.payment
                            );
                            floor_checked += 1;
                        }
                    }
                }
            }
            let b = window_revenue(&tb);
            assert!(b > 0.0);
            ratios.push(window_revenue(&tc) / b);
        }
        if gv.ends_with("=1.0") {
            assert!(floor_checked > 0);
        }
        mean_ci(&ratios)
    };
    let full = ratios("contract.guaranteed_volume=1.0");
    let none = ratios("contract.guaranteed_volume=0.0");
    eprintln!("revenue ratio collapse/no collapse: guaranteed 1: {full:?}; guaranteed 0: {none:?}");
    // With full guarantee the collapse costs the provider at most the noise
    // above contracted volume it would otherwise have been paid for.
    assert!(
        full.lo > 0.95,
        "guaranteed volume 1: revenue kept through the collapse: {full:?}"
    );
    // Without guarantee the provider carries the demand risk.
    assert!(
        none.hi < 0.5,
        "guaranteed volume 0: revenue falls in the collapse: {none:?}"
    );
}

// ---------------------------------------------------------------------------
// 4. A surge crowds out audits
// ---------------------------------------------------------------------------

const SURGE: &str = r#"
[time]
periods = 30

[buyer]
count = 2
units = 4
monitoring = 0.5

[demand]
shock_rate = 0.0
shocks = [{ start = 10, duration = 10, size = 1.0 }]
"#;

#[test]
fn surge_lowers_the_audit_rate_and_audits() {
    const RUNS: u64 = 200;
    let s = scenario(SURGE, &[]);
    let mut world = World::new(&s);
    let (before, during) = (0..10usize, 10..20usize);
    let (mut rate_diff, mut audit_diff) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        let (_, trace) = traced(&mut world, 44, run);
        let mean_rate = |r: std::ops::Range<usize>| {
            let n = r.len() as f64;
            r.map(|t| world.periods[t].audit_rate).sum::<f64>() / n
        };
        let (rb, rd) = (mean_rate(before.clone()), mean_rate(during.clone()));
        assert!(rd < rb, "run {run}: audit rate during the surge {rd} vs before {rb}");
        rate_diff.push(rd - rb);
        // Audits per contracted unit-period: units contracted when the period
        // began are the ones the buyer can audit in it.
        let per_unit = |r: std::ops::Range<usize>| {
            let (mut audits, mut exposure) = (0.0, 0.0);
            for t in r {
                audits += trace
                    .events
                    .iter()
                    .filter(|&&(te, e)| te as usize == t && matches!(e, Event::Audit { .. }))
                    .count() as f64;
                exposure += if t == 0 {
                    s.unit_count() as f64
                } else {
                    trace.units[t - 1]
                        .iter()
                        .filter(|u| u.state == UnitState::Contracted)
                        .count() as f64
                };
            }
            audits / exposure.max(1.0)
        };
        audit_diff.push(per_unit(during.clone()) - per_unit(before.clone()));
    }
    let rate = mean_ci(&rate_diff);
    let audits = mean_ci(&audit_diff);
    eprintln!("surge: audit rate change {rate:?}; audits per unit-period change {audits:?}");
    assert!(rate.hi < 0.0, "audit rate falls during the surge: {rate:?}");
    assert!(
        audits.hi < 0.0,
        "audits per contracted unit-period fall during the surge: {audits:?}"
    );
}

// ---------------------------------------------------------------------------
// 5. Trust asymmetry
// ---------------------------------------------------------------------------

#[test]
fn trust_step_loses_faster_than_it_gains() {
    let (gain, loss) = (0.05, 0.2);
    for trust in [0.25, 0.3, 0.45, 0.6, 0.75, 0.9, 1.0] {
        let up = trust_step(trust, 0.0, gain, loss) - trust;
        let down = trust - trust_step(trust, 1.0, gain, loss);
        assert!(up >= 0.0 && down > 0.0, "at {trust}: up {up}, down {down}");
        assert!(
            down > up,
            "at trust {trust}: a sanction loses {down}, a good period gains {up}"
        );
        // The shape of the rule: a share of the distance to full trust is
        // gained, a share of trust is lost.
        assert!((up - gain * (1.0 - trust)).abs() < 1e-15);
        assert!((down - loss * trust).abs() < 1e-15);
    }
    // Larger bad signals are capped at one event's loss; the result stays in [0, 1].
    assert_eq!(trust_step(0.5, 3.0, gain, loss), trust_step(0.5, 1.0, gain, loss));
    assert_eq!(trust_step(0.0, 1.0, gain, loss), 0.0);
    assert_eq!(trust_step(1.0, 0.0, gain, loss), 1.0);
}

#[test]
#[ignore = "does not hold below trust 0.2: with gain 0.05 and loss 0.2 a sanction loses 0.2*T and a good period gains \
            0.05*(1-T), so for T < gain/(gain+loss) = 0.2 a good period moves trust more (at T = 0.1: +0.045 vs -0.020)"]
fn trust_step_loses_faster_than_it_gains_at_low_trust() {
    let (gain, loss) = (0.05, 0.2);
    for trust in [0.05, 0.1, 0.15] {
        let up = trust_step(trust, 0.0, gain, loss) - trust;
        let down = trust - trust_step(trust, 1.0, gain, loss);
        assert!(
            down > up,
            "at trust {trust}: a sanction loses {down}, a good period gains {up}"
        );
    }
}

/// One unit per buyer and one provider, so each buyer-provider relationship
/// is updated by exactly one unit per period. No inflation and full
/// guaranteed volume, so a quiet period has no price squeeze and no unpaid
/// standby.
const TRUST: &str = r#"
[time]
periods = 40

[buyer]
count = 6
units = 1
monitoring = 0.5

[provider]
capability = 0.8

[contract]
guaranteed_volume = 1.0

[market]
inflation = 0.0
"#;

#[test]
fn trust_falls_after_a_sanction_more_than_it_rises_in_a_quiet_period() {
    const RUNS: u64 = 400;
    let s = scenario(TRUST, &[]);
    let mut world = World::new(&s);
    // Per run: mean change in periods with a sanction, and in quiet periods.
    let (mut prov_gap, mut buyer_gap) = (Vec::new(), Vec::new());
    let (mut n_sanctioned, mut n_quiet_p, mut n_quiet_b) = (0usize, 0usize, 0usize);
    for run in 0..RUNS {
        let (_, trace) = traced(&mut world, 55, run);
        let (mut sp, mut sb, mut qp, mut qb) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for t in 1..trace.units.len() {
            for (now, before) in trace.units[t].iter().zip(&trace.units[t - 1]) {
                // The same relationship, active through period t's trust update.
                if before.state != UnitState::Contracted || now.provider != before.provider {
                    continue;
                }
                let dp = now.provider_trust - before.provider_trust;
                let db = now.buyer_trust - before.buyer_trust;
                if now.sanctioned {
                    sp.push(dp);
                    sb.push(db);
                } else {
                    if now.new_disputes == 0 {
                        // Provider side quiet: no sanction, no dispute (and no
                        // squeeze or unpaid standby in this scenario).
                        qp.push(dp);
                    }
                    if !now.breach && now.complaints == 0 && now.new_disputes == 0 {
                        qb.push(db);
                    }
                }
            }
        }
        if sp.is_empty() || qp.is_empty() || qb.is_empty() {
            continue;
        }
        let m = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        n_sanctioned += sp.len();
        n_quiet_p += qp.len();
        n_quiet_b += qb.len();
        prov_gap.push(-m(&sp) - m(&qp));
        buyer_gap.push(-m(&sb) - m(&qb));
    }
    let prov = mean_ci(&prov_gap);
    let buyer = mean_ci(&buyer_gap);
    eprintln!(
        "trust: {} runs with sanctions, {n_sanctioned} sanctioned, {n_quiet_p}/{n_quiet_b} quiet unit-periods; \
         provider gap {prov:?}, buyer gap {buyer:?}",
        prov.n
    );
    assert!(prov.n >= 100, "enough runs with sanctions: {}", prov.n);
    assert!(
        prov.lo > 0.0,
        "provider trust: fall after a sanction exceeds rise in a quiet period: {prov:?}"
    );
    assert!(
        buyer.lo > 0.0,
        "buyer trust: fall after a sanction exceeds rise in a quiet period: {buyer:?}"
    );
}

// ---------------------------------------------------------------------------
// 6. Bit reproducibility
// ---------------------------------------------------------------------------

#[test]
fn same_seed_point_and_run_give_identical_results() {
    let s = scenario("[time]\nperiods = 40\n[buyer]\ncount = 3\n", &[]);
    let mut reused = World::new(&s);
    for run in 0..20u64 {
        let a = reused.run_seeded(66, 3, run, &mut NoObserver);
        let (ea, pa, fa) = (
            reused.episodes.clone(),
            periods_bits(&reused.periods),
            reused.first_ends.clone(),
        );
        // A fresh world, and the reused one after other runs in between.
        let mut fresh = World::new(&s);
        let b = fresh.run_seeded(66, 3, run, &mut NoObserver);
        assert_eq!(a, b, "run {run}: fresh world");
        assert_eq!(ea, fresh.episodes);
        assert_eq!(pa, periods_bits(&fresh.periods));
        assert_eq!(fa, fresh.first_ends);
        reused.run_seeded(66, 3, run + 1000, &mut NoObserver);
        let mut log = EventLog::default();
        let c = reused.run_seeded(66, 3, run, &mut log);
        assert_eq!(a, c, "run {run}: reused world, and observing changes nothing");
        assert_eq!(ea, reused.episodes);
        assert_eq!(pa, periods_bits(&reused.periods));
        assert!(a.costs.total().is_finite() && a.episodes > 0);
    }
    // Different run indices (and points, and seeds) are different futures.
    let base = reused.run_seeded(66, 3, 0, &mut NoObserver);
    for (seed, point, run) in [(66, 3, 1), (66, 3, 2), (66, 3, 3), (66, 4, 0), (67, 3, 0)] {
        let mut other = reused.run_seeded(seed, point, run, &mut NoObserver);
        other.run = base.run;
        assert_ne!(base, other, "({seed}, {point}, {run}) must differ from (66, 3, 0)");
        assert_ne!(base.demand.to_bits(), other.demand.to_bits());
    }
}

// ---------------------------------------------------------------------------
// 7. Common random numbers
// ---------------------------------------------------------------------------

#[test]
fn sanction_rate_does_not_change_the_demand_path() {
    let text = "[time]\nperiods = 40\n[buyer]\ncount = 2\nmonitoring = 0.8\n[provider]\ncapability = 0.7\n";
    let low = scenario(text, &["contract.sanction_rate=0.1"]);
    let high = scenario(text, &["contract.sanction_rate=2.0"]);
    let (mut wl, mut wh) = (World::new(&low), World::new(&high));
    let mut histories_differ = 0;
    let mut previous: Option<Vec<u64>> = None;
    for run in 0..50 {
        let rl = wl.run_seeded(77, 0, run, &mut NoObserver);
        let rh = wh.run_seeded(77, 0, run, &mut NoObserver);
        let dl: Vec<u64> = wl.periods.iter().map(|p| p.demand.to_bits()).collect();
        let dh: Vec<u64> = wh.periods.iter().map(|p| p.demand.to_bits()).collect();
        assert_eq!(dl.len(), 40);
        assert_eq!(dl, dh, "run {run}: same demand path under both sanction rates");
        assert_eq!(rl.demand.to_bits(), rh.demand.to_bits());
        if rl.costs.sanctions != rh.costs.sanctions || rl.episodes != rh.episodes {
            histories_differ += 1;
        }
        // Different runs do have different paths.
        if let Some(prev) = &previous {
            assert_ne!(prev, &dl, "run {run} repeats the previous demand path");
        }
        previous = Some(dl);
    }
    assert!(
        histories_differ >= 40,
        "the two designs do differ: {histories_differ}/50 runs"
    );
}

// ---------------------------------------------------------------------------
// 8. Partnership vs procurement
// ---------------------------------------------------------------------------

/// Two buyers with four units each under a framework agreement (no
/// guaranteed volume); a lasting demand drop from period 8 (its size is set
/// by each test).
const FORMS: &str = r#"
[time]
periods = 40

[buyer]
count = 2
units = 4

[contract]
guaranteed_volume = 0.0
"#;

/// Mean first-episode length of the initially contracted units (censored at
/// the horizon for episodes still running).
fn mean_first_length(world: &World) -> f64 {
    let horizon = world.scenario().time.periods as f64;
    let ends: Vec<f64> = world
        .first_ends
        .iter()
        .map(|e| e.map_or(horizon, |(_, t)| t as f64))
        .collect();
    ends.iter().sum::<f64>() / ends.len() as f64
}

/// Paired difference (partnership minus procurement) in mean first-episode
/// length per run, on the same random futures, with a drop of `size`.
fn form_difference(size: f64) -> Ci {
    const RUNS: u64 = 400;
    let shock = format!("demand.shocks=[{{ start = 8, size = {size} }}]");
    let part = scenario(FORMS, &["contract.form=\"partnership\"", &shock]);
    let proc_ = scenario(FORMS, &["contract.form=\"procurement\"", &shock]);
    let (mut wp, mut wq) = (World::new(&part), World::new(&proc_));
    let (mut diff, mut lp, mut lq) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..RUNS {
        wp.run_seeded(88, 0, run, &mut NoObserver);
        wq.run_seeded(88, 0, run, &mut NoObserver);
        let dp: Vec<u64> = wp.periods.iter().map(|p| p.demand.to_bits()).collect();
        let dq: Vec<u64> = wq.periods.iter().map(|p| p.demand.to_bits()).collect();
        assert_eq!(dp, dq, "run {run}: same demand path");
        assert!(wp.episodes.iter().all(|e| e.partnership));
        assert!(wq.episodes.iter().all(|e| !e.partnership));
        let (a, b) = (mean_first_length(&wp), mean_first_length(&wq));
        lp.push(a);
        lq.push(b);
        diff.push(a - b);
    }
    let d = mean_ci(&diff);
    eprintln!(
        "drop {size}: first-episode length: partnership {:?}, procurement {:?}, difference {d:?}",
        mean_ci(&lp),
        mean_ci(&lq)
    );
    d
}

#[test]
fn partnership_episodes_outlast_procurement_on_the_same_demand() {
    let d = form_difference(-0.3);
    assert!(
        d.lo > 0.0,
        "partnership first episodes last longer after a drop of 30%: {d:?}"
    );
}

#[test]
#[ignore = "does not hold for a deep drop: with a lasting 50% drop partnership first episodes are SHORTER, by 0.45 \
            periods [0.32, 0.58] over 400 paired runs (drop 40%: +0.07 [-0.28, 0.41]; drops of 10-35%: +1 to +12). \
            The partnership provider co-finances 10% of its delivery cost, so at the default unit cost 0.92 its \
            expected margin is already -0.8% before the drop (procurement +6.8%); both then fall below the -3% \
            minimum margin and the partnership provider gives notice first (mean period 9.0 vs 9.8), with the \
            same notice period and no loyalty by default"]
fn partnership_episodes_outlast_procurement_after_a_deep_drop() {
    let d = form_difference(-0.5);
    assert!(
        d.lo > 0.0,
        "partnership first episodes last longer after a drop of 50%: {d:?}"
    );
}

// ---------------------------------------------------------------------------
// 9. State-owned providers never fail
// ---------------------------------------------------------------------------

const LOSSES: &str = r#"
[time]
periods = 24

[buyer]
count = 2
units = 3
political_support = 0.0

[provider]
count = 2
unit_cost = 1.8
reserves = 1.0
min_margin = -1.0

[market]
alternatives = 0
max_entrants = 0
"#;

#[test]
fn state_owned_provider_never_fails() {
    const RUNS: u64 = 100;
    let state = scenario(LOSSES, &["provider.kind=\"state_owned\""]);
    let mut world = World::new(&state);
    for run in 0..RUNS {
        let (result, trace) = traced(&mut world, 99, run);
        assert_eq!(result.failures, 0, "run {run}");
        assert_eq!(result.involuntary_failure, 0, "run {run}");
        assert!(!trace.events.iter().any(|(_, e)| matches!(e, Event::Failure { .. })));
        assert!(world.episodes.iter().all(|e| e.cause != Cause::Failure));
        // It is kept alive with reserves below zero: a commercial provider
        // would have failed.
        let last = trace.providers.last().unwrap();
        assert!(last.iter().all(|&(alive, _)| alive), "run {run}: all alive");
        assert!(
            trace
                .providers
                .iter()
                .any(|ps| ps.iter().any(|&(alive, r)| alive && r < 0.0)),
            "run {run}: a state-owned provider ran below zero reserves"
        );
    }
    // Control: the same losses fail a commercial provider in every run.
    let commercial = scenario(LOSSES, &["provider.kind=\"commercial\""]);
    let mut world = World::new(&commercial);
    for run in 0..RUNS {
        let r = world.run_seeded(99, 0, run, &mut NoObserver);
        assert!(r.failures > 0, "run {run}: the commercial control fails");
    }
}

// ---------------------------------------------------------------------------
// 10. Winding down
// ---------------------------------------------------------------------------

const WIND: &str = r#"
[time]
periods = 40

[buyer]
count = 2
units = 4

[demand]
shock_rate = 0.0
"#;

#[test]
fn demand_collapse_winds_units_down() {
    const RUNS: u64 = 100;
    let count = |sets: &[&str]| {
        let s = scenario(WIND, sets);
        let mut world = World::new(&s);
        let (mut wound, mut runs_with) = (0u64, 0u64);
        let mut by_cause: BTreeMap<&'static str, u64> = BTreeMap::new();
        for run in 0..RUNS {
            let r = world.run_seeded(1010, 0, run, &mut NoObserver);
            let w: Vec<&Episode> = world
                .episodes
                .iter()
                .filter(|e| e.outcome == Outcome::WoundDown)
                .collect();
            assert_eq!(w.len() as u32, r.outcomes[Outcome::WoundDown.index()]);
            for e in &w {
                *by_cause.entry(e.cause.name()).or_default() += 1;
                assert!(
                    e.end >= 10,
                    "run {run}: wound down at {} before the collapse at 10",
                    e.end
                );
            }
            wound += w.len() as u64;
            runs_with += (!w.is_empty()) as u64;
        }
        (wound, runs_with, by_cause)
    };
    let (wound, runs_with, by_cause) = count(&["demand.shocks=[{ start = 10, size = -0.9 }]"]);
    eprintln!("collapse: {wound} wound down in {runs_with}/{RUNS} runs, causes {by_cause:?}");
    let (lo, _) = wilson(runs_with, RUNS);
    assert!(
        lo > 0.9,
        "units are wound down in (nearly) every run: {runs_with}/{RUNS}"
    );
    assert_eq!(
        by_cause.keys().copied().collect::<Vec<_>>(),
        vec!["demand"],
        "every wound-down episode has cause Demand"
    );
    // Without the collapse (and without random shocks) nothing is wound down.
    let (wound, _, _) = count(&[]);
    assert_eq!(wound, 0, "no collapse, no winding down");
}

/// What the lapse rule sees of a unit after step 6: (state, term end, rank
/// times the trust factor, eligible to lapse), and the period's endings.
#[derive(Default)]
struct Lapses {
    /// Per unit at the last `delivered`: (ending and eligible, score).
    seen: Vec<(bool, f64)>,
    /// This period: lapsed units, units whose ending contract the buyer
    /// renewed or re-tendered, and legal cases.
    lapsed: Vec<u32>,
    kept: Vec<u32>,
    legal: Vec<u32>,
    /// Over the run: lapses, lapses checked against a kept contract, and
    /// lapses with a legal case in their period.
    count: u64,
    ranked: u64,
    with_case: u64,
}

impl Observer for Lapses {
    fn event(&mut self, _t: u32, e: Event) {
        match e {
            Event::EpisodeEnd {
                unit,
                outcome: Outcome::WoundDown,
                cause: Cause::TermEnd,
                ..
            } => self.lapsed.push(unit),
            Event::EpisodeEnd {
                unit,
                outcome: Outcome::Switched,
                cause: Cause::TermEnd,
                ..
            }
            | Event::Renewal { unit, .. } => self.kept.push(unit),
            Event::LegalCase { unit } => self.legal.push(unit),
            _ => {}
        }
    }

    fn delivered(&mut self, t: u32, w: &World) {
        self.seen = w
            .units
            .iter()
            .map(|u| {
                let ending = u.state == UnitState::Contracted
                    && t + 1 >= u.term_end
                    && u.episode_start <= t
                    && u.notice_left == 0
                    && u.pending == NONE;
                let score = if u.state == UnitState::Contracted {
                    u.rank * (0.5 + 0.5 * w.buyer_trust(u.buyer, u.provider))
                } else {
                    f64::NAN
                };
                (ending, score)
            })
            .collect();
    }

    fn period_end(&mut self, _t: u32, w: &World) {
        for &u in &self.lapsed {
            let (ending, score) = self.seen[u as usize];
            assert!(ending, "unit {u} lapsed before its term's end");
            assert_eq!(w.units[u as usize].state, UnitState::Dormant, "a lapsed unit closes");
            // Lowest-ranked first: every ending contract of the same buyer
            // that the buyer kept ranked no lower.
            let buyer = w.units[u as usize].buyer;
            for &k in self.kept.iter().filter(|&&k| w.units[k as usize].buyer == buyer) {
                let (k_ending, k_score) = self.seen[k as usize];
                if k_ending {
                    assert!(
                        score <= k_score,
                        "unit {u} ({score}) lapsed before unit {k} ({k_score})"
                    );
                    self.ranked += 1;
                }
            }
            self.with_case += self.legal.contains(&u) as u64;
        }
        self.count += self.lapsed.len() as u64;
        self.lapsed.clear();
        self.kept.clear();
        self.legal.clear();
    }
}

/// At the end of its term with demand gone, a procurement contract lapses
/// (`wound_down`, cause `term_end`): lowest-ranked first among the contracts
/// ending, with no damage claim, and nothing renewed or re-tendered in its
/// place. The brief's step 8: "at contract end it [...] winds the unit down
/// if demand has vanished (lowest-ranked units first)". Such contracts used
/// to be renewed or re-tendered, and then wound down early with a claim.
#[test]
fn at_the_term_end_with_demand_gone_contracts_lapse_lowest_ranked_first() {
    const RUNS: u64 = 200;
    // Short terms and a collapse just before one ends; every early end
    // brings a claim, and open disputes none, so a legal case in the period
    // of a lapse could only be a claim.
    let s = scenario(
        WIND,
        &[
            "buyer.units=8",
            "contract.term=4",
            "legal.termination_claim=1",
            "legal.aftermath=0",
            "demand.shocks=[{ start = 14, size = -0.6 }]",
        ],
    );
    let mut world = World::new(&s);
    let (mut lapses, mut ranked, mut early) = (0u64, 0u64, 0u64);
    for run in 0..RUNS {
        let mut obs = Lapses::default();
        let r = world.run_seeded(77, 0, run, &mut obs);
        let lapsed_here = world
            .episodes
            .iter()
            .filter(|e| (e.outcome, e.cause) == (Outcome::WoundDown, Cause::TermEnd))
            .count() as u64;
        assert_eq!(lapsed_here, obs.count, "run {run}: every lapse seen");
        assert_eq!(obs.with_case, 0, "run {run}: a lapse brings no claim");
        assert!(
            world
                .episodes
                .iter()
                .all(|e| e.outcome != Outcome::WoundDown || e.end >= 14)
        );
        lapses += obs.count;
        ranked += obs.ranked;
        early += world
            .episodes
            .iter()
            .filter(|e| (e.outcome, e.cause) == (Outcome::WoundDown, Cause::Demand))
            .count() as u64;
        assert!(r.outcomes[Outcome::WoundDown.index()] as u64 >= lapsed_here);
    }
    eprintln!("lapses {lapses}, checked against a kept contract {ranked}, early wind-downs {early}");
    assert!(lapses >= 2 * RUNS, "contracts lapse in the collapse: {lapses}");
    assert!(ranked >= RUNS, "the ranking was put to the test: {ranked}");
    // The same world where demand holds up: nothing lapses.
    let calm = scenario(WIND, &["buyer.units=8", "contract.term=4"]);
    let mut world = World::new(&calm);
    for run in 0..RUNS {
        let mut obs = Lapses::default();
        world.run_seeded(77, 0, run, &mut obs);
        assert_eq!(obs.count, 0, "run {run}: no collapse, no lapse");
    }
}

/// Every episode lies within the run: it starts before the horizon and ends
/// no earlier than it starts. A contract signed in a period delivers from
/// the next; such a contract used to be wound down in the period it was
/// signed (an episode ending before it began), and one signed in the last
/// period was counted as `continued` without delivering at all.
#[test]
fn episodes_start_within_the_run_and_before_they_end() {
    for name in builtin::names() {
        let s = load(Some(name), &[]).expect("built-in scenario");
        let runs = if name == "national-elderly-care" { 20 } else { 400 };
        let mut world = World::new(&s);
        let mut episodes = 0usize;
        for run in 0..runs {
            world.run_seeded(s.seed, 0, run, &mut NoObserver);
            for e in &world.episodes {
                assert!(
                    e.start <= e.end && e.start < s.time.periods,
                    "{name} run {run}: unit {} episode from {} to {} ({:?}), horizon {}",
                    e.unit,
                    e.start,
                    e.end,
                    e.outcome,
                    s.time.periods
                );
            }
            episodes += world.episodes.len();
        }
        assert!(episodes >= runs as usize, "{name}: {episodes} episodes");
    }
}
