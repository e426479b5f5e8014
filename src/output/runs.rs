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

/// Formats fields into one reused buffer, so writing a row allocates
/// nothing (a million rows are written in well under a second).
#[derive(Debug, Default)]
pub struct RowWriter {
    buf: String,
}

impl RowWriter {
    fn field<W: Write>(&mut self, w: &mut csv::Writer<W>, x: impl std::fmt::Display) -> csv::Result<()> {
        use std::fmt::Write as _;
        self.buf.clear();
        let _ = write!(self.buf, "{x}");
        w.write_field(&self.buf)
    }

    /// Writes one row of `runs.csv`.
    pub fn run<W: Write>(&mut self, w: &mut csv::Writer<W>, r: &RunResult) -> csv::Result<()> {
        let c = &r.costs;
        self.field(w, r.run)?;
        self.field(w, r.episodes)?;
        for o in [
            Outcome::Continued,
            Outcome::Switched,
            Outcome::Initiated,
            Outcome::Involuntary,
        ] {
            self.field(w, r.outcomes[o.index()])?;
        }
        self.field(w, r.involuntary_exit)?;
        self.field(w, r.involuntary_failure)?;
        self.field(w, r.outcomes[Outcome::WoundDown.index()])?;
        match r.first_backsourcing {
            Some((o, cause, t, cp)) => {
                self.field(w, o.name())?;
                self.field(w, cause.name())?;
                self.field(w, t)?;
                self.field(w, cp)?;
            }
            None => {
                for _ in 0..4 {
                    w.write_field("")?;
                }
            }
        }
        for x in [
            c.total(),
            c.payments,
            c.in_house,
            c.spot,
            c.transition,
            c.legal,
            c.sanctions,
            c.reference,
            c.excess(),
            r.provider_profit,
            r.demand,
            r.unserved,
            r.mean_quality,
            r.value_added,
        ] {
            self.field(w, x)?;
        }
        for n in [
            r.complaints,
            r.audits,
            r.sanctions,
            r.disputes,
            r.legal_cases,
            r.entrants,
            r.failures,
        ] {
            self.field(w, n)?;
        }
        self.field(w, r.final_buyer_trust)?;
        self.field(w, r.final_provider_trust)?;
        self.field(w, r.both_lose() as u8)?;
        w.write_record(None::<&[u8]>)
    }
}

/// Writes one row of `runs.csv` (see [`RowWriter`] for many rows).
pub fn write_run<W: Write>(w: &mut csv::Writer<W>, r: &RunResult) -> csv::Result<()> {
    RowWriter::default().run(w, r)
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
