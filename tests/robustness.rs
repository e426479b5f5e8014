//! Robustness: any scenario that validates runs, and its results make sense.
//!
//! The design promises that a scenario is validated once, so that the
//! simulation loop cannot fail. This test holds it to that over scenarios no
//! one wrote by hand: each is a built-in scenario (the default half of the
//! time) with a random selection of its fields set to random values
//! anywhere in their allowed ranges, the bounds themselves often, some as
//! distributions drawn per run or per agent, with random numbers of periods,
//! either contract form and up to two scheduled shocks; from the default
//! also random numbers of buyers, units and providers and any provider
//! kind. For each, either
//! validation refuses it with a message that names a field, or a few runs
//! go through the model and the summary outputs without a panic, and every
//! result stays within what it can be (shares and trust within 0 and 1,
//! costs finite, episodes that add up).
//!
//! A second test holds the promise that bad input gets a clear error:
//! random `--set` options, most of them wrong (not numbers, out of every
//! range, distribution tables that break their rules, paths that do not
//! exist), give a scenario that runs or one line that names `--set` and the
//! field, never a panic.
//!
//! The scenarios come from a fixed seed, so the test is the same on every
//! run; a failure prints the `--set` options that reproduce the scenario
//! with `backsim run`.

use backsim::experiment::aggregate::Aggregate;
use backsim::model::*;
use backsim::output::runs::{RowWriter, write_episode_header, write_run_header};
use backsim::output::summary::{Summary, write_timeseries};
use backsim::scenario::schema::UNBOUNDED;
use backsim::scenario::sweep::{field_doc, numeric_paths};
use backsim::scenario::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Scenarios tried, in two halves that run in parallel.
const SCENARIOS: u64 = 400;

/// Runs of each scenario.
const RUNS: u64 = 12;

/// A value of field `doc`: a bound, or anywhere between them. Unbounded
/// ranges are cut at 10^4, and ranges spanning several powers of ten are
/// drawn on a log scale (from 10^-3 if they start at 0), so that small
/// values come up as often as large ones; ranges with negative values are
/// drawn evenly, so that those come up too.
fn value(rng: &mut ChaCha8Rng, doc: &FieldDoc) -> f64 {
    let (lo, hi) = doc.range;
    let hi = if hi >= UNBOUNDED { lo.max(0.0) + 1e4 } else { hi };
    let x = match rng.random_range(0..5) {
        0 => lo,
        1 => hi,
        _ if lo >= 0.0 && hi / lo.max(1e-3) > 100.0 => {
            let from = lo.max(1e-3);
            backsim::math::exp(backsim::math::ln(from) + rng.random::<f64>() * backsim::math::ln(hi / from))
        }
        _ => lo + rng.random::<f64>() * (hi - lo),
    };
    match doc.kind {
        Kind::Int => x.round().clamp(lo.ceil(), hi.floor()),
        Kind::Real => x.clamp(lo, hi),
    }
}

/// A number as TOML writes it (a whole number with a point for reals).
fn toml_num(x: f64, kind: Kind) -> String {
    match kind {
        Kind::Int => format!("{}", x as i64),
        Kind::Real => format!("{:?}", x),
    }
}

/// The built-in scenario that scenario `k` starts from, and its `--set`
/// options. Even `k` start from the default, with random numbers of buyers,
/// units and providers; odd `k` from each built-in scenario in turn (its
/// groups of buyers and providers as they are) with fewer fields changed.
fn random_scenario(k: u64) -> (&'static str, Vec<String>) {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0000 + k);
    let pick = |rng: &mut ChaCha8Rng, xs: &[&str]| xs[rng.random_range(0..xs.len())].to_string();
    let names: Vec<&str> = backsim::scenario::builtin::names().collect();
    let base = if k % 2 == 0 {
        "default"
    } else {
        names[(k / 2) as usize % names.len()]
    };
    let periods = rng.random_range(1..=48);
    let mut sets = vec![
        format!("time.periods={periods}"),
        format!("contract.form=\"{}\"", pick(&mut rng, &["procurement", "partnership"])),
        format!(
            "buyer.level=\"{}\"",
            pick(&mut rng, &["municipal", "regional", "national"])
        ),
    ];
    if base == "default" {
        sets.extend([
            format!("buyer.count={}", rng.random_range(1..=3)),
            format!("buyer.units={}", rng.random_range(1..=5)),
            format!("buyer.reserve_units={}", rng.random_range(0..=2)),
            format!("provider.count={}", rng.random_range(1..=3)),
            format!(
                "provider.kind=\"{}\"",
                pick(&mut rng, &["commercial", "nonprofit", "state_owned"])
            ),
        ]);
    }
    let share_set = if base == "default" { 0.4 } else { 0.2 };
    for path in numeric_paths() {
        if !rng.random_bool(share_set) {
            continue;
        }
        let doc = field_doc(&path).expect("a listed path has a field");
        let (a, b) = (value(&mut rng, doc), value(&mut rng, doc));
        let v = if a != b && rng.random_bool(0.2) {
            let per = if (path.starts_with("buyer.") || path.starts_with("provider.")) && rng.random_bool(0.5) {
                ", per = \"agent\""
            } else {
                ""
            };
            format!(
                "{{ dist = \"uniform\", min = {}, max = {}{per} }}",
                toml_num(a.min(b), doc.kind),
                toml_num(a.max(b), doc.kind)
            )
        } else {
            toml_num(a, doc.kind)
        };
        sets.push(format!("{path}={v}"));
    }
    let shocks: Vec<String> = (0..rng.random_range(0..=2))
        .map(|i| {
            let duration = if rng.random_bool(0.7) {
                format!(", duration = {}", rng.random_range(1..=20))
            } else {
                String::new()
            };
            format!(
                "{{ name = \"s{i}\", start = {}{duration}, size = {:?}, budget = {:?} }}",
                rng.random_range(0..periods),
                -0.99 + rng.random::<f64>() * 3.0,
                -0.5 + rng.random::<f64>()
            )
        })
        .collect();
    if !shocks.is_empty() {
        sets.push(format!("demand.shocks=[{}]", shocks.join(", ")));
    }
    (base, sets)
}

/// Whether `x` is within [0, 1], or not a number where `nan_ok` (a mean
/// over no units).
fn share(x: f64, nan_ok: bool) -> bool {
    (0.0..=1.0).contains(&x) || (nan_ok && x.is_nan())
}

/// The invariants of one run's results; `Err` says which failed.
fn check_run(s: &Scenario, world: &World, r: &RunResult) -> Result<(), String> {
    let periods = s.time.periods;
    let fail = |what: &str| Err(format!("{what}: {r:?}"));
    if r.episodes != r.outcomes.iter().sum::<u32>() || r.episodes as usize != world.episodes.len() {
        return fail("episodes do not add up");
    }
    if r.involuntary_exit + r.involuntary_failure != r.outcomes[Outcome::Involuntary.index()] {
        return fail("involuntary episodes by cause do not add up");
    }
    let c = &r.costs;
    let money = [
        c.payments,
        c.in_house,
        c.spot,
        c.transition,
        c.legal,
        c.total(),
        r.provider_profit,
    ];
    if money.iter().any(|x| !x.is_finite()) {
        return fail("a cost or the providers' profit is not finite");
    }
    if [c.payments, c.in_house, c.spot, c.transition].iter().any(|&x| x < 0.0) {
        return fail("a cost that cannot be negative is");
    }
    let served = r.demand.is_finite() && r.demand >= 0.0 && r.unserved >= 0.0;
    if !(served && r.unserved <= r.demand * (1.0 + 1e-9) + 1e-9) {
        return fail("unserved demand outside 0 and the demand");
    }
    if !share(r.mean_quality, true) || !r.value_added.is_finite() || r.value_added < 0.0 {
        return fail("quality outside 0 and 1, or value added not finite and positive");
    }
    if !share(r.final_buyer_trust, true) || !share(r.final_provider_trust, true) {
        return fail("final trust outside 0 and 1");
    }
    if let Some((o, _, t, cp)) = r.first_backsourcing {
        if !o.is_backsourcing() || t >= periods || cp == 0 {
            return fail("the first backsourcing is not one, or out of the horizon");
        }
    }
    for e in &world.episodes {
        if e.start > e.end || e.end > periods || e.unit as usize >= world.units.len() || e.contract_period == 0 {
            return Err(format!("episode out of the run or the world: {e:?}"));
        }
        if (e.outcome == Outcome::Continued) != (e.end == periods && e.cause == Cause::None) {
            return Err(format!("a continued episode that ended, or the reverse: {e:?}"));
        }
        let cause_fits = match e.outcome {
            Outcome::Continued => e.cause == Cause::None,
            Outcome::Switched | Outcome::Initiated => matches!(e.cause, Cause::Grievance | Cause::TermEnd),
            Outcome::Involuntary => matches!(e.cause, Cause::Exit | Cause::Failure | Cause::Renegotiation),
            Outcome::WoundDown => matches!(e.cause, Cause::Demand | Cause::TermEnd),
        };
        if !cause_fits {
            return Err(format!("an episode's cause does not fit its outcome: {e:?}"));
        }
    }
    let failures = world.episodes.iter().filter(|e| e.cause == Cause::Failure).count();
    if failures != r.involuntary_failure as usize {
        return fail("involuntary failures differ from the episodes ended by one");
    }
    if world.periods.len() != periods as usize {
        return fail("not one record per period");
    }
    for (t, p) in world.periods.iter().enumerate() {
        let ok = share(p.buyer_trust, true)
            && share(p.provider_trust, true)
            // Quality is undefined only when nothing was served, as is
            // the cost per place served.
            && (share(p.quality, false) || (p.quality.is_nan() && p.cost_per_served.is_nan()))
            && share(p.audit_rate, false)
            && p.demand.is_finite()
            && p.demand >= 0.0
            && (p.cost_per_served.is_finite() || p.cost_per_served.is_nan());
        if !ok {
            return Err(format!("period {t}'s record is out of range: {p:?}"));
        }
    }
    if !world.trust_b.iter().chain(&world.trust_p).all(|&x| share(x, false)) {
        return fail("a trust value outside 0 and 1");
    }
    Ok(())
}

/// Scenarios `ks` through the model and the exporters; returns how many
/// were valid.
fn try_scenarios(ks: std::ops::Range<u64>) -> u64 {
    let mut valid = 0;
    let columns = |header: fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut h = Vec::new();
        header(&mut h).unwrap();
        h.iter().filter(|&&b| b == b',').count()
    };
    let run_commas = columns(write_run_header);
    let episode_commas = columns(write_episode_header);
    let mut rows = RowWriter::default();
    for k in ks {
        let (base, sets) = random_scenario(k);
        let reproduce = || {
            let quoted: Vec<String> = sets.iter().map(|s| format!("--set '{s}'")).collect();
            format!("scenario {k}: backsim run {base} {}", quoted.join(" "))
        };
        let s = match backsim::scenario::load(Some(base), &sets) {
            Ok(s) => s,
            Err(e) => {
                let text = e.to_string();
                assert!(
                    numeric_paths().iter().any(|p| text.contains(p.as_str()))
                        || text.contains("time.periods")
                        || text.contains("demand.shocks"),
                    "a refusal that names no field: {text}\n{}",
                    reproduce()
                );
                continue;
            }
        };
        valid += 1;
        let mut world = World::new(&s);
        let mut agg = Aggregate::new(s.time.periods);
        let mut row = Vec::new();
        for run in 0..RUNS {
            let r = world.run_seeded(s.seed, 0, run, &mut NoObserver);
            if let Err(e) = check_run(&s, &world, &r) {
                panic!("run {run}: {e}\n{}", reproduce());
            }
            agg.add(&r, &world);
            // Rows of runs.csv and episodes.csv, with as many cells as
            // their headers.
            row.clear();
            rows.run(&mut row, &r).unwrap();
            for e in &world.episodes {
                rows.episode(&mut row, run, e).unwrap();
            }
            let text = String::from_utf8(row.clone()).unwrap();
            let commas: Vec<usize> = text.lines().map(|l| l.matches(',').count()).collect();
            assert!(
                commas.len() == 1 + world.episodes.len()
                    && commas[0] == run_commas
                    && commas[1..].iter().all(|&c| c == episode_commas),
                "rows with the wrong number of cells:\n{text}\n{}",
                reproduce()
            );
        }
        let json = Summary::new(&s, &agg).to_json();
        assert!(
            !json.contains("inf") && serde_json::from_str::<serde_json::Value>(&json).is_ok(),
            "summary.json is not valid JSON of finite numbers:\n{json}\n{}",
            reproduce()
        );
        let mut csv = csv::Writer::from_writer(Vec::new());
        write_timeseries(&mut csv, &s, &agg).unwrap_or_else(|e| panic!("timeseries: {e}\n{}", reproduce()));
    }
    valid
}

/// Most random scenarios are valid, or the test would try little.
fn assert_mostly_valid(valid: u64) {
    let n = SCENARIOS / 2;
    assert!(valid * 4 >= n * 3, "only {valid} of {n} scenarios were valid");
}

#[test]
fn any_valid_scenario_runs_and_its_results_make_sense() {
    assert_mostly_valid(try_scenarios(0..SCENARIOS / 2));
}

#[test]
fn any_valid_scenario_runs_and_its_results_make_sense_more() {
    assert_mostly_valid(try_scenarios(SCENARIOS / 2..SCENARIOS));
}

/// Values a user might type, wrong ones mostly: not numbers, numbers out of
/// any range, and distribution tables that break each of their rules.
const ODD_VALUES: [&str; 36] = [
    "nan",
    "inf",
    "-inf",
    "1e400",
    "1e308",
    "-1e308",
    "0",
    "-0.0",
    "1",
    "-1",
    "0.5",
    "9223372036854775807",
    "18446744073709551615",
    "\"x\"",
    "true",
    "[1, 2]",
    "[]",
    "{}",
    "{ a = 1 }",
    "{ dist = \"normal\", mean = 0.5, sd = -1 }",
    "{ dist = \"normal\", mean = 0.5, sd = 1e300 }",
    "{ dist = \"normal\", mean = nan, sd = 0.1 }",
    "{ dist = \"normal\", mean = 0.5, sd = 0.1, min = 0.5, max = 0.5 }",
    "{ dist = \"beta\", a = 0, b = 1 }",
    "{ dist = \"beta\", a = 1e-300, b = 1e-300 }",
    "{ dist = \"beta\", a = 2, b = 2, min = 1, max = 0 }",
    "{ dist = \"uniform\", min = 1, max = 0 }",
    "{ dist = \"uniform\", min = -inf, max = inf }",
    "{ dist = \"uniform\", min = 0, max = 1e308 }",
    "{ dist = \"uniform\", min = 0, max = 1, per = \"agent\" }",
    "{ dist = \"uniform\", min = 0, max = 1, per = \"x\" }",
    "{ dist = \"triangular\", min = 0, mode = 2, max = 1 }",
    "{ dist = \"fixed\", value = nan }",
    "{ dist = \"fixed\" }",
    "{ dist = \"what\" }",
    "\"procurment\"",
];

/// Paths besides the numeric fields: the other fields, tables, group and
/// shock fields that may not exist, and malformed paths.
const ODD_PATHS: [&str; 24] = [
    "time.periods",
    "time.start",
    "time.period",
    "seed",
    "runs",
    "point",
    "name",
    "buyer.count",
    "buyer.units",
    "provider.count",
    "provider.kind",
    "contract.form",
    "buyer.level",
    "demand.shocks",
    "demand.shocks.0.start",
    "demand.shocks.5.size",
    "buyer.groups.0.power",
    "provider.groups.0.share",
    "provider.groups.3.share",
    "buyer",
    "buyer.power.x",
    "buyer..power",
    "",
    "nosuch.field",
];

/// Bad input gets a clear error: random `--set` options, most of them
/// wrong, give either a scenario that runs or one line naming `--set`, the
/// field (when the path names one) and what is wrong, never a panic.
#[test]
fn any_set_gives_a_scenario_that_runs_or_a_one_line_error() {
    let mut paths = numeric_paths();
    paths.extend(ODD_PATHS.iter().map(|p| p.to_string()));
    let mut rng = ChaCha8Rng::seed_from_u64(0x5e75);
    let mut refused = 0;
    for k in 0..3000 {
        let base = ["default", "national-elderly-care", "refugee-housing"][k % 3];
        let sets: Vec<String> = (0..rng.random_range(1..=3))
            .map(|_| {
                let path = &paths[rng.random_range(0..paths.len())];
                format!("{path}={}", ODD_VALUES[rng.random_range(0..ODD_VALUES.len())])
            })
            .collect();
        let reproduce = || format!("backsim run {base} --set '{}'", sets.join("' --set '"));
        let loaded = std::panic::catch_unwind(|| backsim::scenario::load(Some(base), &sets))
            .unwrap_or_else(|_| panic!("{}", reproduce()));
        match loaded {
            Ok(s) => {
                let mut world = World::new(&s);
                for run in 0..2 {
                    let r = world.run_seeded(s.seed, 0, run, &mut NoObserver);
                    check_run(&s, &world, &r).unwrap_or_else(|e| panic!("{e}\n{}", reproduce()));
                }
            }
            Err(e) => {
                refused += 1;
                let text = e.to_string();
                let pathless = sets.iter().any(|s| s.starts_with('=') || s.contains(".."));
                assert!(
                    text.starts_with("--set: ") && text.lines().count() == 1 && (pathless || text.contains('`')),
                    "not one line naming --set and the field: {text}\n{}",
                    reproduce()
                );
            }
        }
    }
    // Most are refused (the values are mostly wrong), and some are not.
    assert!((1500..3000).contains(&refused), "{refused} of 3000 refused");
}
