//! Events a run can report as it happens, for story mode and tests.
//!
//! The simulation is generic over an [`Observer`]; the Monte Carlo driver
//! uses [`NoObserver`], whose empty methods compile away, so observing costs
//! nothing when nobody listens.

use super::outcome::{Cause, Outcome};

/// Something that happened in a period.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Event {
    /// A unit was audited or inspected; `breach` if quality was below threshold.
    Audit {
        /// Unit.
        unit: u32,
        /// Quality found.
        quality: f64,
        /// Whether it was a breach.
        breach: bool,
    },
    /// Complaints arrived about a unit.
    Complaints {
        /// Unit.
        unit: u32,
        /// How many.
        count: u32,
    },
    /// A sanction was imposed.
    Sanction {
        /// Unit.
        unit: u32,
        /// Amount in currency.
        amount: f64,
    },
    /// Under a partnership a breach was met with dialogue instead of a sanction.
    Dialogue {
        /// Unit.
        unit: u32,
    },
    /// A dispute started.
    Dispute {
        /// Unit.
        unit: u32,
    },
    /// A legal case started (from a dispute or a termination).
    LegalCase {
        /// Unit.
        unit: u32,
    },
    /// A provider gave notice on a unit's contract.
    Notice {
        /// Unit.
        unit: u32,
        /// Provider.
        provider: u32,
        /// Periods of notice.
        periods: u32,
    },
    /// A provider failed.
    Failure {
        /// Provider.
        provider: u32,
        /// Units it served.
        units: u32,
    },
    /// A contract was renewed (or renegotiated) with the same provider.
    Renewal {
        /// Unit.
        unit: u32,
        /// New price per place-period.
        price: f64,
        /// A renewal option was used (no re-tender); otherwise the incumbent
        /// won a re-tender (or was the only one to sign again with) or a
        /// partnership was renegotiated.
        option: bool,
    },
    /// A re-tender was appealed and delayed.
    Appeal {
        /// Unit.
        unit: u32,
        /// Delay in periods.
        delay: u32,
    },
    /// A contract episode ended.
    EpisodeEnd {
        /// Unit.
        unit: u32,
        /// Provider.
        provider: u32,
        /// Outcome.
        outcome: Outcome,
        /// Cause.
        cause: Cause,
    },
    /// A new contract episode started.
    EpisodeStart {
        /// Unit.
        unit: u32,
        /// Provider.
        provider: u32,
        /// Price per place-period.
        price: f64,
    },
    /// A backsourced unit reached full in-house capacity.
    RampDone {
        /// Unit.
        unit: u32,
    },
    /// A new provider entered the market.
    Entry {
        /// Provider.
        provider: u32,
    },
}

/// Receives events and per-period state.
pub trait Observer {
    /// Called for each event, in the order it happens.
    fn event(&mut self, _period: u32, _event: Event) {}
    /// Called after step 6 of each period, when the units have delivered
    /// and trust has moved, before anyone decides (steps 7 to 9).
    fn delivered(&mut self, _period: u32, _world: &super::World) {}
    /// Called at the end of each period with the world's state.
    fn period_end(&mut self, _period: u32, _world: &super::World) {}
}

/// Ignores everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoObserver;

impl Observer for NoObserver {}

/// Collects every event (for tests and story mode).
#[derive(Clone, Debug, Default)]
pub struct EventLog {
    /// (period, event) in order.
    pub events: Vec<(u32, Event)>,
}

impl Observer for EventLog {
    fn event(&mut self, period: u32, event: Event) {
        self.events.push((period, event));
    }
}
