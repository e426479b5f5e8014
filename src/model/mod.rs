//! The agent-based model: buyers, providers, service units and contracts,
//! simulated period by period. Pure: no I/O, no global state; all randomness
//! comes from the run's streams ([`rng`]).
//!
//! The model is described in ODD form in `docs/ODD.md`.

pub mod event;
pub mod outcome;
pub mod rng;
pub mod steps;
pub mod world;

pub use event::{Event, EventLog, NoObserver, Observer};
pub use outcome::{Cause, Costs, Episode, Outcome, PeriodStats, RunResult};
pub use rng::{RunRngs, Stream};
pub use world::{Buyer, NONE, Provider, Unit, UnitState, World};
