//! What a run produces: episode outcomes, costs, counts and trajectories.

/// How a contract episode ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// Still running (or renewed) at the horizon.
    Continued,
    /// The buyer re-tendered and moved to another provider.
    Switched,
    /// The buyer took the service back in-house on its own initiative.
    Initiated,
    /// The provider gave notice or failed and the buyer had to take it back.
    Involuntary,
    /// Ended because demand vanished; nothing replaced it.
    WoundDown,
}

impl Outcome {
    /// All outcomes, in report order.
    pub const ALL: [Outcome; 5] = [
        Outcome::Continued,
        Outcome::Switched,
        Outcome::Initiated,
        Outcome::Involuntary,
        Outcome::WoundDown,
    ];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Continued => "continued",
            Outcome::Switched => "switched",
            Outcome::Initiated => "initiated",
            Outcome::Involuntary => "involuntary",
            Outcome::WoundDown => "wound_down",
        }
    }

    /// Index into [`Outcome::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether the outcome is a backsourcing (initiated or involuntary).
    pub fn is_backsourcing(self) -> bool {
        matches!(self, Outcome::Initiated | Outcome::Involuntary)
    }

    /// Parses a file name of an outcome.
    pub fn from_name(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.name() == s)
    }
}

/// Why an episode ended, in more detail than the outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cause {
    /// No cause: the episode continued.
    None,
    /// The provider gave notice or declined to renew (involuntary).
    Exit,
    /// The provider's reserves ran out (involuntary).
    Failure,
    /// Renegotiation of a partnership failed (involuntary: the provider would not accept the price).
    Renegotiation,
    /// The buyer's grievance passed its tolerance.
    Grievance,
    /// The contract term ran out: the buyer re-tendered (switched,
    /// initiated) or, with demand gone, let the contract lapse (wound down).
    TermEnd,
    /// Demand fell below capacity (wound down).
    Demand,
}

impl Cause {
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Cause::None => "",
            Cause::Exit => "exit",
            Cause::Failure => "failure",
            Cause::Renegotiation => "renegotiation",
            Cause::Grievance => "grievance",
            Cause::TermEnd => "term_end",
            Cause::Demand => "demand",
        }
    }
}

/// One contract episode: a unit served by one provider from start to end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Episode {
    /// Buyer index.
    pub buyer: u32,
    /// Unit index (global).
    pub unit: u32,
    /// Provider index.
    pub provider: u32,
    /// Whether the contract was a partnership.
    pub partnership: bool,
    /// First period.
    pub start: u32,
    /// Period it ended (the horizon for `continued`).
    pub end: u32,
    /// How it ended.
    pub outcome: Outcome,
    /// Why.
    pub cause: Cause,
    /// Contract periods it ran: 1 in the first term, 2 after a renewal, ...
    pub contract_period: u32,
    /// Sanctions the unit received during the episode.
    pub sanctions: u32,
    /// Complaints during the episode.
    pub complaints: u32,
}

/// The buyer's costs, in the scenario's currency, over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Costs {
    /// Payments to providers (price, guaranteed volume, readiness).
    pub payments: f64,
    /// In-house production.
    pub in_house: f64,
    /// Spot purchases.
    pub spot: f64,
    /// Backsourcing transitions: set-up and recruitment.
    pub transition: f64,
    /// Disputes, legal cases and damages paid (net of damages received).
    pub legal: f64,
    /// Sanctions received from providers (reduces the total).
    pub sanctions: f64,
    /// The same served volume at the opening price, indexed as signed.
    pub reference: f64,
}

impl Costs {
    /// Total cost to the buyer.
    pub fn total(&self) -> f64 {
        self.payments + self.in_house + self.spot + self.transition + self.legal - self.sanctions
    }

    /// Excess over the reference: total minus reference.
    pub fn excess(&self) -> f64 {
        self.total() - self.reference
    }
}

/// Everything one run reports.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RunResult {
    /// Run index.
    pub run: u64,
    /// Number of contract episodes.
    pub episodes: u32,
    /// Episodes by outcome, indexed by [`Outcome::index`].
    pub outcomes: [u32; 5],
    /// Involuntary episodes caused by exit (notice, non-renewal, failed renegotiation).
    pub involuntary_exit: u32,
    /// Involuntary episodes caused by provider failure.
    pub involuntary_failure: u32,
    /// The first backsourcing: outcome, cause, period and contract period.
    pub first_backsourcing: Option<(Outcome, Cause, u32, u32)>,
    /// Buyer costs.
    pub costs: Costs,
    /// Sum of all providers' profit (negative: loss).
    pub provider_profit: f64,
    /// Demand not served.
    pub unserved: f64,
    /// Total demand.
    pub demand: f64,
    /// Volume-weighted mean delivered quality.
    pub mean_quality: f64,
    /// Mean partnership value-added quality per contracted unit-period.
    pub value_added: f64,
    /// Complaints.
    pub complaints: u32,
    /// Audits and inspections.
    pub audits: u32,
    /// Sanctions.
    pub sanctions: u32,
    /// Disputes started.
    pub disputes: u32,
    /// Legal cases started.
    pub legal_cases: u32,
    /// Providers that entered the market.
    pub entrants: u32,
    /// Providers that failed.
    pub failures: u32,
    /// Mean over units of the buyer's trust in the unit's last provider at the horizon.
    pub final_buyer_trust: f64,
    /// Mean over units of the last provider's trust in the buyer at the horizon.
    pub final_provider_trust: f64,
}

impl RunResult {
    /// Both parties lose: buyer excess cost above zero and providers' loss.
    pub fn both_lose(&self) -> bool {
        self.costs.excess() > 0.0 && self.provider_profit < 0.0
    }

    /// Number of backsourcing episodes.
    pub fn backsourcings(&self) -> u32 {
        self.outcomes[Outcome::Initiated.index()] + self.outcomes[Outcome::Involuntary.index()]
    }
}

/// Per-period figures of one run, for the time series.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PeriodStats {
    /// Mean buyer trust over contracted units.
    pub buyer_trust: f64,
    /// Mean provider trust over the same units.
    pub provider_trust: f64,
    /// Volume-weighted mean delivered quality.
    pub quality: f64,
    /// Total demand, relative to the baseline.
    pub demand: f64,
    /// Buyer cost per place served, relative to the opening price.
    pub cost_per_served: f64,
    /// Audit probability (mean over buyers).
    pub audit_rate: f64,
}
