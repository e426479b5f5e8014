//! backsim: agent-based Monte Carlo simulation of public-sector outsourcing
//! relationships and of how often, when and at what cost services are taken
//! back in-house ("backsourcing").
//!
//! Data flows one way: a [`scenario::Scenario`] is validated once, the
//! [`model`] simulates one run from it (pure, no I/O), the
//! [`experiment`] layer runs many in parallel and aggregates them with the
//! order-independent accumulators of [`stats`], and [`output`] writes files.
#![deny(missing_docs)]

pub mod cli;
pub mod experiment;
pub mod math;
pub mod model;
pub mod output;
pub mod scenario;
pub mod stats;

/// The version of backsim, written into every output.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
