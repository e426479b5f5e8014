//! Experiments: Monte Carlo runs in parallel and their aggregation, and the
//! designs built on them: sweeps, paired comparisons, adaptive precision,
//! sensitivity analysis, and scenario discovery on a sweep's points.

pub mod aggregate;
pub mod compare;
pub mod discovery;
pub mod metrics;
pub mod montecarlo;
pub mod precision;
pub mod sensitivity;
pub mod sweep;

pub use aggregate::{Aggregate, FIGURES, Figure, SERIES};
pub use montecarlo::{Block, Plan, Spares, simulate, simulate_with};
