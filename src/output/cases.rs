//! The seed cases as results tables: what `backsim cases` prints and what
//! `docs/cases.md` shows between its marker comments.
//!
//! Every case scenario (and the default, with a few variants, for the
//! comparison with the literature) runs with a fixed seed and number of runs
//! ([`CASES`], [`SEED`]); the tables are a pure function of those results, so
//! they are identical on any number of threads. Each table is a [`Block`]
//! with an id; in a Markdown document it sits between
//! `<!-- cases:begin ID -->` and `<!-- cases:end ID -->` ([`update`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::experiment::{Plan, simulate};
use crate::model::{Cause, Outcome};
use crate::output::summary::{Summary, num};
use crate::scenario::{self, Scenario, ScenarioError};
use crate::stats::{Interval, wilson};

/// The master seed of every case run.
pub const SEED: u64 = 1;

/// A case scenario and the runs its table is based on.
#[derive(Clone, Copy, Debug)]
pub struct Case {
    /// Built-in scenario name.
    pub name: &'static str,
    /// Runs: enough for intervals of about a percentage point on shares,
    /// few enough that `backsim cases` takes seconds.
    pub runs: u64,
}

/// The case scenarios, in the order of `docs/cases.md`.
pub const CASES: &[Case] = &[
    Case {
        name: "elderly-care",
        runs: 10_000,
    },
    Case {
        name: "ambulance-dispatch",
        runs: 10_000,
    },
    Case {
        name: "refugee-housing",
        runs: 10_000,
    },
    Case {
        name: "iop-partnership",
        runs: 10_000,
    },
    Case {
        name: "iop-as-procurement",
        runs: 10_000,
    },
    Case {
        name: "national-elderly-care",
        runs: 1000,
    },
];

/// Runs of the default scenario and of each of its variants.
pub const DEFAULT_RUNS: u64 = 10_000;

/// Variants of the default scenario compared with the literature:
/// (label, `--set` overrides).
pub const DEFAULT_VARIANTS: &[(&str, &[&str])] = &[
    ("default: a commercial provider, two alternatives", &[]),
    (
        "a non-profit provider (loyalty 0.5)",
        &["provider.kind=nonprofit", "provider.loyalty=0.5"],
    ),
    (
        "a thin market: no alternative, no entrants",
        &["market.alternatives=0", "market.max_entrants=0"],
    ),
];

/// What a case run produced: the summary of `backsim run` plus what the
/// tables need beyond it.
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// The scenario as run.
    pub scenario: Scenario,
    /// Outcome shares and figures, as in `summary.json`.
    pub summary: Summary,
    /// Runs whose first backsourcing was initiated.
    pub first_initiated: u64,
    /// Runs whose first backsourcing was involuntary.
    pub first_involuntary: u64,
    /// Runs with a first backsourcing within five years.
    pub within_5_years: u64,
    /// Runs with at least one provider failure.
    pub runs_with_failure: u64,
    /// Provider failures over all runs, those that ended no contract
    /// included (a provider whose contracts had all ended can still fail,
    /// on the costs of legal cases that outlive them).
    pub failures: u64,
    /// Runs with a provider failure that ended at least one contract
    /// (counted only when the scenario has more than one buyer).
    pub runs_with_failure_hit: u64,
    /// For each provider failure over all runs, the number of buyers
    /// (municipalities) that lost a unit to it in that period (counted only
    /// when the scenario has more than one buyer).
    pub failure_hits: Vec<u32>,
}

/// Runs a scenario `runs` times under `seed` on the current rayon pool.
pub fn run_case(s: &Scenario, runs: u64, seed: u64) -> CaseResult {
    let mut s = s.clone();
    s.runs = runs;
    s.seed = seed;
    let plan = Plan {
        seed,
        point: 0,
        first_run: 0,
        runs,
        // Episodes are needed only to count the buyers one failure hits.
        episodes: s.buyer_count() > 1,
    };
    let five_years = 5 * s.time.period.per_year();
    let (mut first_initiated, mut first_involuntary, mut within_5_years, mut runs_with_failure) = (0, 0, 0, 0);
    let (mut failures, mut runs_with_failure_hit) = (0, 0);
    let mut failure_hits = Vec::new();
    let aggregate = simulate(&s, &plan, |block| -> Result<(), std::convert::Infallible> {
        for r in &block.results {
            if let Some((outcome, _, t, _)) = r.first_backsourcing {
                match outcome {
                    Outcome::Initiated => first_initiated += 1,
                    _ => first_involuntary += 1,
                }
                within_5_years += u64::from(t < five_years);
            }
            runs_with_failure += u64::from(r.failures > 0);
            failures += u64::from(r.failures);
        }
        // A failure ends every unit of the provider in one period: group the
        // failure episodes by (run, provider, period) and count buyers.
        let mut hit: BTreeMap<(u64, u32, u32), BTreeSet<u32>> = BTreeMap::new();
        for (run, e) in &block.episodes {
            if e.outcome == Outcome::Involuntary && e.cause == Cause::Failure {
                hit.entry((*run, e.provider, e.end)).or_default().insert(e.buyer);
            }
        }
        failure_hits.extend(hit.values().map(|b| b.len() as u32));
        // The map is ordered by run first, so a run's failures are adjacent.
        let mut runs = hit.keys().map(|&(run, _, _)| run).collect::<Vec<_>>();
        runs.dedup();
        runs_with_failure_hit += runs.len() as u64;
        Ok(())
    })
    .unwrap_or_else(|e| match e {});
    CaseResult {
        summary: Summary::new(&s, &aggregate),
        scenario: s,
        first_initiated,
        first_involuntary,
        within_5_years,
        runs_with_failure,
        failures,
        runs_with_failure_hit,
        failure_hits,
    }
}

/// A table with its id (the name in the marker comments).
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// `overview`, `default` or a case scenario's name.
    pub id: String,
    /// The Markdown between the markers, ending with a newline.
    pub markdown: String,
}

/// Loads a built-in scenario with overrides (never a file of that name in
/// the working folder).
fn builtin(name: &str, sets: &[&str]) -> Result<Scenario, ScenarioError> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let text = scenario::builtin::find(name).ok_or_else(|| ScenarioError {
        file: name.into(),
        path: String::new(),
        message: "no built-in scenario of that name".into(),
    })?;
    Scenario::from_toml_str_with(text, name, &sets)
}

/// Runs every case and the default variants (on the current rayon pool) and
/// builds every block: `overview`, one per case, then `default`. `progress`
/// is called after each scenario with its name, runs and seconds.
pub fn all_blocks(mut progress: impl FnMut(&str, u64, f64)) -> Result<Vec<Block>, ScenarioError> {
    let mut results = Vec::new();
    for case in CASES {
        let s = builtin(case.name, &[])?;
        let started = std::time::Instant::now();
        let r = run_case(&s, case.runs, SEED);
        progress(case.name, case.runs, started.elapsed().as_secs_f64());
        results.push(r);
    }
    let mut variants = Vec::new();
    for (label, sets) in DEFAULT_VARIANTS {
        let s = builtin(scenario::builtin::DEFAULT, sets)?;
        let started = std::time::Instant::now();
        let r = run_case(&s, DEFAULT_RUNS, SEED);
        progress(
            &format!("default ({label})"),
            DEFAULT_RUNS,
            started.elapsed().as_secs_f64(),
        );
        variants.push((*label, r));
    }
    let mut blocks = vec![Block {
        id: "overview".into(),
        markdown: overview_table(&results),
    }];
    blocks.extend(results.iter().map(|r| Block {
        id: r.scenario.name.clone(),
        markdown: case_table(r),
    }));
    blocks.push(Block {
        id: "default".into(),
        markdown: default_table(&variants),
    });
    Ok(blocks)
}

/// A share with its interval, in percent: `12.3% [11.3, 13.4]`. A share
/// under 0.1% gets the decimals that show its first two digits
/// (`0.0083% [0.0036, 0.0195]`), and a share of none is an exact `0%` with
/// its upper bound to two digits (`0% [0, 0.038]`), so that 5 failures in
/// 60,000 episodes do not read `0.0% [0.0, 0.0]`; the same for shares within
/// 0.1% of all (`100% [99.962, 100]`).
pub fn pct(i: &Interval) -> String {
    let (e, lo, hi) = (100.0 * i.estimate, 100.0 * i.low, 100.0 * i.high);
    // The same for a share close to 100%: what it falls short by.
    let basis = if e == 0.0 {
        hi
    } else if e == 100.0 {
        100.0 - lo
    } else {
        e.min(100.0 - e)
    };
    let d = if basis > 0.0 && basis < 0.1 {
        (1.0 - crate::math::log10(basis).floor()).clamp(2.0, 4.0) as usize
    } else {
        1
    };
    if e == 0.0 {
        format!("0% [0, {hi:.d$}]")
    } else if e == 100.0 {
        format!("100% [{lo:.d$}, 100]")
    } else {
        format!("{e:.d$}% [{lo:.d$}, {hi:.d$}]")
    }
}

/// A share of a count without an interval, in percent.
fn share(k: u64, n: u64) -> String {
    if n == 0 {
        return "-".into();
    }
    format!("{:.0}%", 100.0 * k as f64 / n as f64)
}

/// The median period of the first backsourcing (runs with one), as years
/// and periods.
fn median_first(r: &CaseResult) -> String {
    let Some(f) = r.summary.figures.get("first_backsourcing_period") else {
        return "-".into();
    };
    let p50 = f.quantiles.get("p50").copied().unwrap_or(f64::NAN);
    if f.n == 0 || !p50.is_finite() {
        return "-".into();
    }
    format!(
        "{} years ({} {}s)",
        years(p50, r),
        p50.round() as i64,
        r.scenario.time.period.name()
    )
}

/// A number of periods in years, to two decimals without trailing zeros
/// (17 quarters: 4.25, not a rounded 4.2; 12 quarters: 3.0).
fn years(periods: f64, r: &CaseResult) -> String {
    let y = format!("{:.2}", periods / r.scenario.time.period.per_year() as f64);
    // At most one zero goes: 3.00 -> 3.0, 4.50 -> 4.5.
    y.strip_suffix('0').map_or_else(|| y.clone(), str::to_string)
}

/// A number for a table: four significant digits below 1000, whole numbers
/// with thousands separated by commas above.
pub fn amount(x: f64) -> String {
    if !x.is_finite() || x.abs() < 1000.0 {
        return num(x);
    }
    let digits = format!("{:.0}", x.abs());
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if x < 0.0 { format!("-{grouped}") } else { grouped }
}

fn quantiles(r: &CaseResult, figure: &str) -> String {
    match r.summary.figures.get(figure) {
        Some(f) if f.n > 0 => format!(
            "{} / {} / {}",
            amount(f.quantiles["p5"]),
            amount(f.quantiles["p50"]),
            amount(f.quantiles["p95"])
        ),
        _ => "-".into(),
    }
}

fn mean_ci(r: &CaseResult, figure: &str) -> String {
    match r.summary.figures.get(figure) {
        Some(f) if f.n > 0 => format!(
            "{} [{}, {}]",
            amount(f.mean.estimate),
            amount(f.mean.low),
            amount(f.mean.high)
        ),
        _ => "-".into(),
    }
}

/// The first line of every case table: what was run and how to reproduce it.
fn provenance(r: &CaseResult) -> String {
    let s = &r.scenario;
    let start = match s.time.start {
        Some(_) => format!(" from {}", s.time.label(0)),
        None => String::new(),
    };
    format!(
        "{} runs, seed {}, {} {}s{start}, money in {}. Reproduce: `backsim run {} --runs {} --seed {}`.",
        r.summary.runs,
        s.seed,
        s.time.periods,
        s.time.period.name(),
        s.time.currency,
        s.name,
        r.summary.runs,
        s.seed
    )
}

/// The results table of one case.
pub fn case_table(r: &CaseResult) -> String {
    let mut out = String::new();
    let s = &r.summary;
    let _ = writeln!(out, "{}\n", provenance(r));
    let _ = writeln!(out, "| outcome | share of episodes | runs with at least one |");
    let _ = writeln!(out, "|---|---:|---:|");
    for (name, label) in [
        ("continued", "continued"),
        ("switched", "switched"),
        ("initiated", "initiated backsourcing"),
        ("involuntary", "involuntary backsourcing"),
        (
            "involuntary_exit",
            "&nbsp;&nbsp;of which notice, non-renewal or failed renegotiation",
        ),
        ("involuntary_failure", "&nbsp;&nbsp;of which provider failure"),
        ("wound_down", "wound down"),
        ("backsourcing", "any backsourcing"),
    ] {
        if let Some(o) = s.outcomes.get(name) {
            let _ = writeln!(out, "| {label} | {} | {} |", pct(&o.episode_share), pct(&o.run_share));
        }
    }
    let _ = writeln!(out, "| both parties lose | | {} |", pct(&s.both_lose));
    let cur = &r.scenario.time.currency;
    let with_first = r.first_initiated + r.first_involuntary;
    let _ = writeln!(out, "\n| figure | value |");
    let _ = writeln!(out, "|---|---|");
    let _ = writeln!(
        out,
        "| first backsourcing of a run: initiated / involuntary | {} / {} of {} runs with one |",
        share(r.first_initiated, with_first),
        share(r.first_involuntary, with_first),
        with_first
    );
    let _ = writeln!(
        out,
        "| median time to the first backsourcing (runs with one) | {} |",
        median_first(r)
    );
    let _ = writeln!(
        out,
        "| buyer's total cost, {cur}: p5 / median / p95 | {} |",
        quantiles(r, "total_cost")
    );
    let _ = writeln!(
        out,
        "| excess cost over the opening price, {cur}: p5 / median / p95 | {} |",
        quantiles(r, "excess_cost")
    );
    let _ = writeln!(
        out,
        "| providers' profit, {cur}: mean [95% interval] | {} |",
        mean_ci(r, "provider_profit")
    );
    let _ = writeln!(
        out,
        "| transition cost, {cur}: mean [95% interval] | {} |",
        mean_ci(r, "transition")
    );
    let _ = writeln!(
        out,
        "| legal cases per run: mean [95% interval] | {} |",
        mean_ci(r, "legal_cases")
    );
    if r.scenario.buyer_count() > 1 && !r.failure_hits.is_empty() {
        out.push_str(&failure_table(r));
    }
    out
}

/// The distribution of the number of buyers one provider failure hits.
fn failure_table(r: &CaseResult) -> String {
    let mut hits = r.failure_hits.clone();
    hits.sort_unstable();
    let n = hits.len();
    // Nearest-rank quantile: the smallest value with at least q·n values at or below it.
    let q = |p: f64| hits[((p * n as f64).ceil() as usize).clamp(1, n) - 1];
    let mean = hits.iter().map(|&h| h as f64).sum::<f64>() / n as f64;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nProvider failures that ended contracts: {n} in {} of {} runs ({}; the runs with a takeback \
         caused by a provider failure). With the failures of providers that had no contract left (their reserves \
         spent on legal cases that outlived their contracts): {} in {} runs. \
         Buyers hit by one failure (they lose units in the same period): \
         min {}, p25 {}, median {}, p75 {}, max {}, mean {:.1}.\n",
        r.runs_with_failure_hit,
        r.summary.runs,
        pct(&wilson(r.runs_with_failure_hit, r.summary.runs)),
        r.failures,
        r.runs_with_failure,
        hits[0],
        q(0.25),
        q(0.5),
        q(0.75),
        hits[n - 1],
        mean
    );
    let _ = writeln!(out, "| buyers hit by one failure | failures | share |");
    let _ = writeln!(out, "|---|---:|---:|");
    for (lo, hi) in [(1u32, 1u32), (2, 9), (10, 24), (25, 49), (50, 99), (100, u32::MAX)] {
        let k = hits.iter().filter(|&&h| h >= lo && h <= hi).count() as u64;
        let label = match (lo, hi) {
            (1, 1) => "1".to_string(),
            (lo, u32::MAX) => format!("{lo} or more"),
            (lo, hi) => format!("{lo} to {hi}"),
        };
        let _ = writeln!(out, "| {label} | {k} | {} |", pct(&wilson(k, n as u64)));
    }
    out
}

/// One row per case: the shares that tell the cases apart.
pub fn overview_table(results: &[CaseResult]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Share of runs with at least one episode of each kind, with 95% intervals (seed {SEED}).\n"
    );
    let _ = writeln!(
        out,
        "| case | runs | initiated | involuntary | switched | wound down | any backsourcing | median years to the first | both lose |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in results {
        let o = |k: &str| r.summary.outcomes.get(k).map_or("-".to_string(), |x| pct(&x.run_share));
        let years = match r.summary.figures.get("first_backsourcing_period") {
            Some(f) if f.n > 0 => years(f.quantiles["p50"], r),
            _ => "-".into(),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} | {years} | {} |",
            r.scenario.name,
            r.summary.runs,
            o("initiated"),
            o("involuntary"),
            o("switched"),
            o("wound_down"),
            o("backsourcing"),
            pct(&r.summary.both_lose)
        );
    }
    out
}

/// The default scenario and its variants against the literature.
pub fn default_table(variants: &[(&str, CaseResult)]) -> String {
    let mut out = String::new();
    if let Some((_, r)) = variants.first() {
        let s = &r.scenario;
        let _ = writeln!(
            out,
            "{} runs each, seed {SEED}, {} {}s. Reproduce the first row: `backsim run default --runs {} --seed {SEED}`.\n",
            r.summary.runs,
            s.time.periods,
            s.time.period.name(),
            r.summary.runs
        );
    }
    let _ = writeln!(
        out,
        "| scenario | backsourcing within 5 years | within the horizon (10 years) | first backsourcing initiated / involuntary | switched within 10 years |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for (label, r) in variants {
        let runs = r.summary.runs;
        let with_first = r.first_initiated + r.first_involuntary;
        let o = |k: &str| r.summary.outcomes.get(k).map_or("-".to_string(), |x| pct(&x.run_share));
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} / {} | {} |",
            pct(&wilson(r.within_5_years, runs)),
            o("backsourcing"),
            share(r.first_initiated, with_first),
            share(r.first_involuntary, with_first),
            o("switched")
        );
    }
    out
}

/// A document whose marker comments are broken.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct MarkerError(pub String);

fn begin_marker(id: &str) -> String {
    format!("<!-- cases:begin {id} -->")
}

fn end_marker(id: &str) -> String {
    format!("<!-- cases:end {id} -->")
}

/// The ids of the blocks [`all_blocks`] builds, in order.
pub fn block_ids() -> Vec<String> {
    let mut ids = vec!["overview".to_string()];
    ids.extend(CASES.iter().map(|c| c.name.to_string()));
    ids.push("default".into());
    ids
}

/// Checks that `doc` has one begin and one end marker, in that order, for
/// every id: done before the runs, so a broken document fails at once.
pub fn check_markers(doc: &str, ids: &[String]) -> Result<(), MarkerError> {
    for id in ids {
        marker_range(doc, id)?;
    }
    // A marker line of no block (a typo, a block since renamed) would stay
    // stale unnoticed. (Markers stand on lines of their own; prose may
    // quote one.)
    for line in doc.lines().map(str::trim) {
        let id = ["<!-- cases:begin ", "<!-- cases:end "]
            .iter()
            .find_map(|p| line.strip_prefix(p).and_then(|r| r.strip_suffix(" -->")));
        if let Some(id) = id
            && !ids.iter().any(|i| i == id)
        {
            return Err(MarkerError(format!(
                "`{line}` marks no block; allowed: {}",
                ids.join(", ")
            )));
        }
    }
    Ok(())
}

/// The byte range between the markers of `id` in `doc`.
fn marker_range(doc: &str, id: &str) -> Result<std::ops::Range<usize>, MarkerError> {
    let (begin, end) = (begin_marker(id), end_marker(id));
    let (nb, ne) = (doc.matches(&begin).count(), doc.matches(&end).count());
    if nb != 1 || ne != 1 {
        return Err(MarkerError(format!(
            "needs exactly one `{begin}` and one `{end}` (found {nb} and {ne})"
        )));
    }
    let start = doc.find(&begin).map_or(0, |i| i + begin.len());
    let stop = doc.find(&end).unwrap_or(0);
    if stop < start {
        return Err(MarkerError(format!("`{end}` comes before `{begin}`")));
    }
    Ok(start..stop)
}

/// Replaces the text between each block's markers in `doc` with the block's
/// Markdown, and returns the new document together with the ids of the
/// blocks whose text changed. Every block must have exactly one begin marker
/// followed by one end marker.
pub fn update(doc: &str, blocks: &[Block]) -> Result<(String, Vec<String>), MarkerError> {
    let mut out = doc.to_string();
    let mut changed = Vec::new();
    for b in blocks {
        let range = marker_range(&out, &b.id)?;
        let body = format!("\n{}", b.markdown);
        if out[range.clone()] != body {
            changed.push(b.id.clone());
            out.replace_range(range, &body);
        }
    }
    Ok((out, changed))
}

/// All blocks with their markers, as `backsim cases` prints them.
pub fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        let _ = write!(out, "{}\n{}{}\n\n", begin_marker(&b.id), b.markdown, end_marker(&b.id));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(id: &str, md: &str) -> Block {
        Block {
            id: id.into(),
            markdown: md.into(),
        }
    }

    #[test]
    fn small_shares_keep_two_digits() {
        use crate::stats::wilson;
        assert_eq!(pct(&wilson(123, 1000)), "12.3% [10.4, 14.5]");
        assert_eq!(pct(&wilson(1, 1000)), "0.1% [0.0, 0.6]");
        // 5 in 60,000: not "0.0% [0.0, 0.0]".
        assert_eq!(pct(&wilson(5, 60_000)), "0.0083% [0.0036, 0.0195]");
        // None of 10,000: the upper bound shows.
        assert_eq!(pct(&wilson(0, 10_000)), "0% [0, 0.038]");
        assert_eq!(pct(&wilson(0, 10)), "0% [0, 27.8]");
        // And mirrored near 100%.
        assert_eq!(pct(&wilson(10_000, 10_000)), "100% [99.962, 100]");
        assert_eq!(pct(&wilson(59_995, 60_000)), "99.9917% [99.9805, 99.9964]");
        assert_eq!(pct(&wilson(10, 10)), "100% [72.2, 100]");
        assert_eq!(pct(&Interval::NONE), "NaN% [NaN, NaN]");
    }

    #[test]
    fn update_replaces_only_between_markers() {
        let doc = "intro\n<!-- cases:begin a -->\nold\n<!-- cases:end a -->\nmiddle\n<!-- cases:begin b -->\nsame\n<!-- cases:end b -->\nend\n";
        let (new, changed) = update(doc, &[block("a", "new\n"), block("b", "same\n")]).unwrap();
        assert_eq!(
            new,
            "intro\n<!-- cases:begin a -->\nnew\n<!-- cases:end a -->\nmiddle\n<!-- cases:begin b -->\nsame\n<!-- cases:end b -->\nend\n"
        );
        assert_eq!(changed, vec!["a".to_string()]);
        let (again, changed) = update(&new, &[block("a", "new\n"), block("b", "same\n")]).unwrap();
        assert_eq!(again, new);
        assert!(changed.is_empty());
    }

    #[test]
    fn update_rejects_missing_duplicate_or_reversed_markers() {
        assert!(update("no markers", &[block("a", "x\n")]).is_err());
        let twice = "<!-- cases:begin a -->\n<!-- cases:end a -->\n<!-- cases:begin a -->\n<!-- cases:end a -->\n";
        assert!(update(twice, &[block("a", "x\n")]).is_err());
        let reversed = "<!-- cases:end a -->\n<!-- cases:begin a -->\n";
        assert!(update(reversed, &[block("a", "x\n")]).is_err());
    }

    #[test]
    fn render_then_update_is_a_fixed_point() {
        let blocks = [block("a", "one\n"), block("b", "two\n")];
        let doc = render(&blocks);
        let (new, changed) = update(&doc, &blocks).unwrap();
        assert_eq!(new, doc);
        assert!(changed.is_empty());
    }

    #[test]
    fn markers_are_checked_before_any_work() {
        let ids = block_ids();
        assert_eq!(ids.len(), CASES.len() + 2);
        let doc = render(&ids.iter().map(|id| block(id, "x\n")).collect::<Vec<_>>());
        check_markers(&doc, &ids).unwrap();
        let without_default = doc.replace("<!-- cases:end default -->", "");
        let e = check_markers(&without_default, &ids).unwrap_err();
        assert!(e.0.contains("cases:end default"), "{e}");
        // A marker of no block is an error too.
        let stray = format!("{doc}<!-- cases:begin bogus -->\n<!-- cases:end bogus -->\n");
        let e = check_markers(&stray, &ids).unwrap_err();
        assert!(
            e.0.contains("`<!-- cases:begin bogus -->` marks no block; allowed: overview"),
            "{e}"
        );
    }

    #[test]
    fn amounts_group_thousands() {
        assert_eq!(amount(739_312.4), "739,312");
        assert_eq!(amount(-1234.6), "-1,235");
        assert_eq!(amount(999.0), num(999.0));
        assert_eq!(amount(12.345), num(12.345));
        assert_eq!(amount(f64::NAN), "-");
    }

    #[test]
    fn every_case_is_a_builtin_scenario() {
        for case in CASES {
            assert!(
                scenario::builtin::find(case.name).is_some(),
                "{} is not built in",
                case.name
            );
        }
        for (_, sets) in DEFAULT_VARIANTS {
            builtin(scenario::builtin::DEFAULT, sets).unwrap();
        }
    }
}
