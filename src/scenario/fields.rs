//! Every numeric scenario field: default, range, unit and meaning.
//!
//! This file is the single source of the scenario reference
//! (`backsim reference`, `docs/scenario-reference.md`). Money is relative to
//! the opening price (`contract.price`) except where a unit says otherwise,
//! so one absolute anchor sets the scale of a scenario. Volumes are in
//! "places" (the scenario's unit of service), time in periods.

use super::schema::{UNBOUNDED, section};

/// Level of government of a buyer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A municipality.
    Municipal,
    /// A region (county council).
    Regional,
    /// A national agency.
    National,
}

/// Kind of provider organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// A for-profit firm: can fail when its reserves run out.
    Commercial,
    /// An idea-based, non-profit organisation (give it `loyalty`).
    Nonprofit,
    /// A state-owned company: its owner covers losses, so it never fails.
    StateOwned,
}

/// Contract form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// A priced contract or framework agreement with sanctions.
    Procurement,
    /// An idea-based public partnership (IOP): co-financed, adapted by dialogue.
    Partnership,
}

section! {
    /// The buyer (public authority). With `[[buyer.groups]]` several kinds of
    /// buyer can be defined; each group inherits unset fields from `[buyer]`.
    BuyerParams, BuyerValues, RawBuyer, path = "buyer", agent = true;
    extras {
        /// Name of a group (groups only).
        name: String,
        /// Number of buyers (default 1; in a group, the group's size).
        count: u32,
        /// Service units (care homes, dispatch centres, housing sites) per buyer, contracted at the start (default 4).
        units: u32,
        /// Further units per buyer, dormant at the start and contracted when demand rises well above capacity (default 0).
        reserve_units: u32,
        /// Level: municipal, regional or national (default municipal).
        level: Level,
        /// Buyer groups, each a table with the fields of `[buyer]`.
        groups: Vec<RawBuyer>,
    }
    /// Bargaining strength: share of the surplus in renegotiation, force of sanctions, ability to impose terms. A co-owner of a monopoly is weak.
    power: Real = 0.6, [0.0, 1.0], "share";
    /// Audit capacity: the probability that a unit is audited in a period when demand is normal.
    monitoring: Real = 0.3, [0.0, 1.0], "probability per unit-period";
    /// Share of the buyer's baseline demand it produces itself (outside the contracts).
    in_house_capacity: Real = 0.2, [0.0, 0.95], "share of demand";
    /// Know-how to run the service in-house. Decays while nothing is produced in-house; sets the ramp-up time and lasting cost of a takeback.
    in_house_capability: Real = 0.7, [0.0, 1.0], "share";
    /// Share of capability lost per period while the buyer produces none of the service itself.
    capability_decay: Real = 0.01, [0.0, 1.0], "share per period";
    /// Share of the gap to full capability regained per period while units are run in-house.
    capability_rebuild: Real = 0.05, [0.0, 1.0], "share per period";
    /// In-house unit cost with full capability, relative to the opening price.
    in_house_cost: Real = 1.0, [0.05, 20.0], "x opening price";
    /// Extra in-house unit cost after a takeback per unit of capability missing at the takeback (lasting cost effect).
    lasting_cost_penalty: Real = 0.3, [0.0, 5.0], "x in-house cost";
    /// Quality of in-house production with full capability.
    in_house_quality: Real = 0.8, [0.0, 1.0], "quality";
    /// How hard staff are to recruit (labour market): lengthens ramp-up and adds recruitment cost.
    recruitment_difficulty: Real = 0.3, [0.0, 1.0], "share";
    /// Grievance a strong buyer tolerates before ending a contract.
    tolerance: Real = 4.0, [0.1, 1000.0], "grievance points";
    /// How much more a weak buyer tolerates: tolerance x (1 + weak_tolerance x (1 - power)).
    weak_tolerance: Real = 1.0, [0.0, 20.0], "factor";
    /// How much trust raises tolerance: x (1 + trust_tolerance x trust).
    trust_tolerance: Real = 0.5, [0.0, 10.0], "factor";
    /// Share of grievance forgotten each period.
    grievance_decay: Real = 0.1, [0.0, 1.0], "share per period";
    /// Grievance from a detected breach of the quality threshold.
    breach_grievance: Real = 1.0, [0.0, 100.0], "points";
    /// Grievance from each complaint.
    complaint_grievance: Real = 0.2, [0.0, 100.0], "points";
    /// Grievance from each new dispute.
    dispute_grievance: Real = 0.5, [0.0, 100.0], "points";
    /// Grievance per period from paying more than budgeted, per unit of relative overrun.
    cost_grievance: Real = 2.0, [0.0, 100.0], "points per overrun";
    /// Probability that taking a service back is politically supported when grievance just reaches tolerance; it rises with grievance beyond it.
    political_support: Real = 0.4, [0.0, 1.0], "probability";
    /// How strongly a demand surge crowds out audits: audit rate x (1 - crowd_out x surge).
    crowd_out: Real = 0.8, [0.0, 1.0], "share";
    /// Expected complaints per unit-period when quality meets the threshold.
    complaint_base: Real = 0.05, [0.0, 100.0], "per unit-period";
    /// Extra expected complaints per unit-period per unit of relative quality shortfall below the threshold.
    complaint_rate: Real = 6.0, [0.0, 1000.0], "per shortfall";
    /// Probability that a period with complaints triggers an inspection.
    complaint_inspection: Real = 0.5, [0.0, 1.0], "probability";
    /// Wind down a contracted unit when capacity exceeds smoothed demand by more than (1 + slack) units.
    wind_down_slack: Real = 0.5, [0.0, 100.0], "units";
}

section! {
    /// The providers holding the contracts at the start. With
    /// `[[provider.groups]]` several kinds (e.g. chains and small firms) can
    /// be defined; each group inherits unset fields from `[provider]`.
    ProviderParams, ProviderValues, RawProvider, path = "provider", agent = true;
    extras {
        /// Name of a group (groups only).
        name: String,
        /// Number of incumbent providers (default 1; in a group, the group's size).
        count: u32,
        /// Share of the initial contracts held by a group (groups only; default: in proportion to count).
        share: f64,
        /// Kind: commercial, nonprofit or state_owned (default commercial).
        kind: ProviderKind,
        /// Provider groups, each a table with the fields of `[provider]`.
        groups: Vec<RawProvider>,
    }
    /// Unit cost at full staffing, relative to the opening price; 0.92 leaves an 8% margin.
    unit_cost: Real = 0.92, [0.01, 20.0], "x opening price";
    /// Baseline quality the organisation can deliver.
    capability: Real = 0.85, [0.0, 1.0], "quality";
    /// Experience in this service; newcomers from other industries start low and learn.
    experience: Real = 0.9, [0.0, 1.0], "share";
    /// How much quality depends on experience: quality x (1 - weight x (1 - experience)).
    experience_weight: Real = 0.4, [0.0, 1.0], "share";
    /// Share of the gap to full experience learnt per period of delivery.
    learning_rate: Real = 0.05, [0.0, 1.0], "share per period";
    /// Units the provider can take on beyond its initial contracts.
    spare_capacity: Int = 2, [0, 100000], "units";
    /// Financial buffer at the start, in periods of the provider's opening revenue. Below zero a commercial or nonprofit provider fails.
    reserves: Real = 2.0, [0.0, 1000.0], "periods of revenue";
    /// Quality shading when not watched (Hart, Shleifer and Vishny 1997).
    opportunism: Real = 0.3, [0.0, 1.0], "share";
    /// Largest quality loss from shading, at full opportunism, no audits and no trust.
    max_shading: Real = 0.3, [0.0, 1.0], "quality";
    /// Holding on through losses: lowers the margin accepted by loyalty x 0.3 in a partnership, loyalty x 0.1 under procurement.
    loyalty: Real = 0.0, [0.0, 1.0], "share";
    /// Expected margin (share of revenue) below which the provider gives notice or declines to renew.
    min_margin: Real = -0.03, [-1.0, 1.0], "share of revenue";
    /// Weight of the latest period in the provider's expected margin (exponential smoothing).
    margin_memory: Real = 0.25, [0.01, 1.0], "weight";
    /// Share of cost that is staff: staff cuts save this share.
    staff_share: Real = 0.7, [0.0, 1.0], "share";
    /// Staffing cut per period per unit of expected loss rate; losses cut staff.
    staff_cut: Real = 1.5, [0.0, 100.0], "per loss rate";
    /// Share of the gap to full staffing restored per period when margins are positive.
    staff_recovery: Real = 0.2, [0.0, 1.0], "share per period";
    /// Lowest staffing level the provider goes down to.
    min_staffing: Real = 0.6, [0.0, 1.0], "share";
    /// Quality lost per unit of staffing cut.
    staff_quality: Real = 0.8, [0.0, 5.0], "quality per share";
    /// Quality lost per unit of volume above the contracted volume (overcrowding).
    overload_penalty: Real = 0.3, [0.0, 5.0], "quality per share";
    /// Standard deviation of delivered quality around its expected value.
    quality_noise: Real = 0.05, [0.0, 1.0], "quality";
    /// Cost of idle contracted capacity, relative to the unit cost (standby).
    standby_cost: Real = 0.3, [0.0, 1.0], "x unit cost";
    /// Markup over cost in tender bids, scaled by (1.5 - buyer power).
    markup: Real = 0.08, [0.0, 5.0], "share";
}

section! {
    /// The contract: form, price, term and the terms that share risk.
    ContractParams, ContractValues, RawContract, path = "contract", agent = false;
    extras {
        /// Contract form: procurement or partnership (default procurement).
        form: Form,
    }
    /// Opening price per place per period, in the scenario's currency.
    price: Real = 0.25, [0.0000001, UNBOUNDED], "currency per place-period";
    /// Contract term; for a partnership, the cycle at which it is renegotiated.
    term: Int = 16, [1, 10000], "periods";
    /// Renewal options before the buyer must re-tender (procurement only).
    renewals: Int = 1, [0, 100], "count";
    /// Share of cost inflation passed into the price.
    indexation: Real = 0.8, [0.0, 1.0], "share";
    /// Share of the contracted volume paid whether used or not (0 in a framework agreement).
    guaranteed_volume: Real = 0.5, [0.0, 1.0], "share";
    /// Quality below which an audit finds a breach.
    quality_threshold: Real = 0.7, [0.0, 1.0], "quality";
    /// Sanction per detected breach, as a share of the period's payment, scaled by buyer power.
    sanction_rate: Real = 0.1, [0.0, 10.0], "share of payment";
    /// Notice period when a provider gives notice.
    notice: Int = 2, [0, 1000], "periods";
    /// Volume a unit can deliver above its contracted volume.
    flex: Real = 0.2, [0.0, 10.0], "share";
    /// Partnership: the provider's own contribution, as a share of its delivery cost.
    co_financing: Real = 0.1, [0.0, 1.0], "share of cost";
    /// Partnership: share of the cost of idle capacity the buyer pays (readiness compensation).
    readiness_compensation: Real = 0.5, [0.0, 1.0], "share";
    /// Partnership: value-added quality at full mutual trust (shared knowledge).
    partnership_value: Real = 0.15, [0.0, 1.0], "quality";
    /// Partnership: detected breaches met by dialogue and adaptation before a sanction.
    dialogue_rounds: Int = 2, [0, 100], "count";
    /// Partnership: how much more grievance a partnership tolerates (x tolerance).
    partnership_tolerance: Real = 1.5, [1.0, 20.0], "factor";
    /// Probability that a sanction or price squeeze becomes a dispute, at zero trust.
    dispute_rate: Real = 0.5, [0.0, 1.0], "probability";
}

section! {
    /// The market around the contracts.
    MarketParams, MarketValues, RawMarket, path = "market", agent = false;
    extras {}
    /// Qualified providers besides the incumbents, with no contracts at the start. 0 means a monopoly.
    alternatives: Int = 2, [0, 100000], "providers";
    /// Probability per period that a new provider enters, at normal prices; it grows with a seller's market.
    entry_rate: Real = 0.02, [0.0, 1.0], "probability per period";
    /// How much a seller's market multiplies entry: x (1 + entry_tightness x tightness).
    entry_tightness: Real = 10.0, [0.0, 1000.0], "factor";
    /// Most entrants over a run.
    max_entrants: Int = 4, [0, 10000], "providers";
    /// Experience of an entrant.
    entrant_experience: Real = 0.3, [0.0, 1.0], "share";
    /// Capability of an entrant.
    entrant_capability: Real = 0.75, [0.0, 1.0], "quality";
    /// Spot premium over the indexed opening price when the market is slack.
    spot_premium: Real = 0.3, [0.0, 100.0], "share";
    /// Growth of the spot premium with market tightness (seller's market).
    spot_elasticity: Real = 3.0, [0.0, 1000.0], "per tightness";
    /// Volume that can be bought on the spot market, as a share of the buyer's baseline demand.
    spot_capacity: Real = 0.5, [0.0, 1000.0], "share of demand";
    /// Quality of spot purchases.
    spot_quality: Real = 0.6, [0.0, 1.0], "quality";
    /// How much a seller's market raises tender prices: x (1 + tender_tightness x tightness).
    tender_tightness: Real = 1.0, [0.0, 1000.0], "per tightness";
    /// Cost inflation per period.
    inflation: Real = 0.005, [-0.5, 1.0], "share per period";
    /// Probability that a re-tender is appealed.
    appeal_rate: Real = 0.2, [0.0, 1.0], "probability";
    /// Delay of an appealed re-tender.
    appeal_delay: Int = 2, [0, 1000], "periods";
}

section! {
    /// Demand for the service.
    DemandParams, DemandValues, RawDemand, path = "demand", agent = false;
    extras {
        /// Scheduled shocks: surges, drops and policy reversals (see the README).
        shocks: Vec<super::RawShock>,
    }
    /// Contracted volume of one service unit, and its baseline demand.
    baseline: Real = 10.0, [0.0000001, UNBOUNDED], "places";
    /// Standard deviation of period-to-period demand noise, relative to the level.
    noise: Real = 0.05, [0.0, 5.0], "share";
    /// Growth of demand per period.
    trend: Real = 0.0, [-0.5, 1.0], "share per period";
    /// Probability per buyer and period that a random shock starts.
    shock_rate: Real = 0.01, [0.0, 1.0], "probability per period";
    /// Size of a random shock (a surge or a drop with equal probability).
    shock_size: Real = 0.3, [0.0, 0.99], "share of demand";
    /// Duration of a random shock.
    shock_duration: Int = 4, [1, 10000], "periods";
    /// Weight of the latest period in the buyer's smoothed demand (for winding down).
    smoothing: Real = 0.3, [0.01, 1.0], "weight";
}

section! {
    /// Trust on both sides of each buyer-provider relationship
    /// (Klos and Nooteboom 2001): it adapts to conduct, and is lost faster
    /// than it is gained.
    TrustParams, TrustValues, RawTrust, path = "trust", agent = false;
    extras {}
    /// Trust at the start of every relationship, on both sides.
    initial: Real = 0.6, [0.0, 1.0], "trust";
    /// Share of the distance to full trust gained in a good period.
    gain: Real = 0.05, [0.0, 1.0], "share per period";
    /// Share of trust lost in a bad period (breach, sanction, dispute).
    loss: Real = 0.2, [0.0, 1.0], "share per event";
    /// Weight of one complaint as a bad signal (a breach, sanction or dispute weighs 1).
    complaint_weight: Real = 0.3, [0.0, 10.0], "events";
    /// Weight of a price squeeze (cost inflation not passed on) as a bad signal, per unit of squeeze.
    squeeze_weight: Real = 5.0, [0.0, 1000.0], "events per share";
    /// Weight of unpaid idle capacity (share of contracted volume) as a bad signal for the provider.
    standby_weight: Real = 1.0, [0.0, 1000.0], "events per share";
}

section! {
    /// Disputes and legal cases.
    LegalParams, LegalValues, RawLegal, path = "legal", agent = false;
    extras {}
    /// Cost of an open dispute to each side per period, in periods of the unit's opening revenue.
    dispute_cost: Real = 0.02, [0.0, 100.0], "periods of revenue";
    /// Probability per period that an open dispute is resolved.
    resolution: Real = 0.2, [0.0, 1.0], "probability per period";
    /// Probability per period that an open dispute becomes a legal case, at zero trust.
    escalation: Real = 0.1, [0.0, 1.0], "probability per period";
    /// Share of open disputes that become legal cases when their contract ends (rounded to whole cases).
    aftermath: Real = 0.7, [0.0, 1.0], "share of open disputes";
    /// Probability that ending a contract before its term brings a damage claim (a legal case).
    termination_claim: Real = 0.3, [0.0, 1.0], "probability";
    /// Mean duration of a legal case.
    case_duration: Real = 6.0, [1.0, 1000.0], "periods";
    /// Cost of a legal case to each side per period, in periods of the unit's opening revenue.
    case_cost: Real = 0.05, [0.0, 100.0], "periods of revenue";
    /// Damages paid at the end of a legal case, in periods of the unit's opening revenue. The buyer pays with probability 1 - power, otherwise the provider pays.
    damages: Real = 0.5, [0.0, 1000.0], "periods of revenue";
}

section! {
    /// Backsourcing as a transition: ramp-up, its cost and its aftermath.
    TransitionParams, TransitionValues, RawTransition, path = "transition", agent = false;
    extras {}
    /// Ramp-up time with full capability and no recruitment difficulty.
    ramp_base: Real = 1.0, [0.0, 1000.0], "periods";
    /// Extra ramp-up time when no capability is left.
    ramp_capability: Real = 6.0, [0.0, 1000.0], "periods";
    /// Extra ramp-up time at the highest recruitment difficulty.
    ramp_recruitment: Real = 4.0, [0.0, 1000.0], "periods";
    /// One-off set-up cost of a takeback with full capability, in periods of the unit's revenue.
    setup_base: Real = 0.5, [0.0, 1000.0], "periods of revenue";
    /// Extra set-up cost when no capability is left, in periods of the unit's revenue.
    setup_capability: Real = 2.0, [0.0, 1000.0], "periods of revenue";
    /// Recruitment cost per ramp-up period at the highest difficulty, in periods of the unit's revenue.
    recruitment_cost: Real = 0.3, [0.0, 1000.0], "periods of revenue";
}
