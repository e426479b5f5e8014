//! `runs.csv` (one row per run) and `episodes.csv` (one row per episode).

use std::io::Write;

use crate::model::{Episode, Outcome, RunResult};

/// Columns of `runs.csv`, in order, with their meaning (for the README).
pub const RUN_COLUMNS: &[(&str, &str)] = &[
    (
        "run",
        "run index (0-based); run i uses the random streams of (seed, point, i)",
    ),
    ("episodes", "contract episodes in the run"),
    ("continued", "episodes still running at the horizon"),
    ("switched", "episodes ended by a re-tender won by another provider"),
    ("initiated", "episodes ended by the buyer taking the service back"),
    (
        "involuntary",
        "episodes ended by the provider (notice or failure), service taken back",
    ),
    (
        "involuntary_exit",
        "involuntary episodes caused by notice, non-renewal or failed renegotiation",
    ),
    ("involuntary_failure", "involuntary episodes caused by provider failure"),
    ("wound_down", "episodes ended because demand vanished"),
    (
        "first_backsourcing",
        "type of the first backsourcing (initiated or involuntary; empty if none)",
    ),
    (
        "first_backsourcing_cause",
        "its cause (exit, failure, renegotiation, grievance, term_end)",
    ),
    ("first_backsourcing_period", "period it happened (0-based)"),
    (
        "first_backsourcing_contract_period",
        "contract period of that episode (1 = first term)",
    ),
    ("total_cost", "buyer's total cost (currency)"),
    ("payments", "payments to providers"),
    ("in_house", "in-house production cost"),
    ("spot", "spot purchases"),
    ("transition", "backsourcing set-up and recruitment cost"),
    ("legal", "disputes, legal cases and damages (net)"),
    ("sanctions_received", "sanctions received (subtracted in the total)"),
    (
        "reference_cost",
        "served volume at the opening price, indexed as signed",
    ),
    ("excess_cost", "total_cost - reference_cost"),
    ("provider_profit", "all providers' profit (negative: loss)"),
    ("demand", "total demand (places)"),
    ("unserved", "demand not served (places)"),
    ("mean_quality", "volume-weighted mean delivered quality (0-1)"),
    (
        "value_added",
        "mean partnership value-added quality per contracted unit-period",
    ),
    ("complaints", "complaints"),
    ("audits", "audits and inspections"),
    ("sanctions", "sanctions imposed"),
    ("disputes", "disputes started"),
    ("legal_cases", "legal cases started"),
    ("entrants", "providers that entered the market"),
    ("failures", "providers that failed"),
    (
        "final_buyer_trust",
        "mean buyer trust in each unit's last provider at the horizon",
    ),
    (
        "final_provider_trust",
        "mean trust of each unit's last provider in the buyer at the horizon",
    ),
    ("both_lose", "1 if excess_cost > 0 and provider_profit < 0, else 0"),
];

/// Columns of `episodes.csv`.
pub const EPISODE_COLUMNS: &[(&str, &str)] = &[
    ("run", "run index"),
    ("buyer", "buyer index (0-based)"),
    ("unit", "unit index (0-based, over all buyers)"),
    (
        "provider",
        "provider index (incumbents, then alternatives, then entrants)",
    ),
    ("form", "procurement or partnership"),
    ("start", "first period of the episode"),
    ("end", "period it ended (the horizon for continued)"),
    ("outcome", "continued, switched, initiated, involuntary or wound_down"),
    (
        "cause",
        "exit, failure, renegotiation, grievance, term_end, demand (empty for continued)",
    ),
    ("contract_period", "contract periods it ran (1 = first term)"),
    ("sanctions", "sanctions during the episode"),
    ("complaints", "complaints during the episode"),
];

/// Writes the header of `runs.csv`.
pub fn write_run_header<W: Write>(w: &mut csv::Writer<W>) -> csv::Result<()> {
    w.write_record(RUN_COLUMNS.iter().map(|(c, _)| *c))
}

/// Writes one row of `runs.csv`.
pub fn write_run<W: Write>(w: &mut csv::Writer<W>, r: &RunResult) -> csv::Result<()> {
    let c = &r.costs;
    let (ft, fc, fp, fcp) = match r.first_backsourcing {
        Some((o, cause, t, cp)) => (o.name(), cause.name(), t.to_string(), cp.to_string()),
        None => ("", "", String::new(), String::new()),
    };
    let o = |x: Outcome| r.outcomes[x.index()].to_string();
    w.write_record([
        r.run.to_string(),
        r.episodes.to_string(),
        o(Outcome::Continued),
        o(Outcome::Switched),
        o(Outcome::Initiated),
        o(Outcome::Involuntary),
        r.involuntary_exit.to_string(),
        r.involuntary_failure.to_string(),
        o(Outcome::WoundDown),
        ft.to_string(),
        fc.to_string(),
        fp,
        fcp,
        c.total().to_string(),
        c.payments.to_string(),
        c.in_house.to_string(),
        c.spot.to_string(),
        c.transition.to_string(),
        c.legal.to_string(),
        c.sanctions.to_string(),
        c.reference.to_string(),
        c.excess().to_string(),
        r.provider_profit.to_string(),
        r.demand.to_string(),
        r.unserved.to_string(),
        r.mean_quality.to_string(),
        r.value_added.to_string(),
        r.complaints.to_string(),
        r.audits.to_string(),
        r.sanctions.to_string(),
        r.disputes.to_string(),
        r.legal_cases.to_string(),
        r.entrants.to_string(),
        r.failures.to_string(),
        r.final_buyer_trust.to_string(),
        r.final_provider_trust.to_string(),
        (r.both_lose() as u8).to_string(),
    ])
}

/// Writes the header of `episodes.csv`.
pub fn write_episode_header<W: Write>(w: &mut csv::Writer<W>) -> csv::Result<()> {
    w.write_record(EPISODE_COLUMNS.iter().map(|(c, _)| *c))
}

/// Writes one row of `episodes.csv`.
pub fn write_episode<W: Write>(w: &mut csv::Writer<W>, run: u64, e: &Episode) -> csv::Result<()> {
    w.write_record([
        run.to_string(),
        e.buyer.to_string(),
        e.unit.to_string(),
        e.provider.to_string(),
        if e.partnership { "partnership" } else { "procurement" }.to_string(),
        e.start.to_string(),
        e.end.to_string(),
        e.outcome.name().to_string(),
        e.cause.name().to_string(),
        e.contract_period.to_string(),
        e.sanctions.to_string(),
        e.complaints.to_string(),
    ])
}
