//! Experiments: Monte Carlo runs in parallel and their aggregation.

pub mod aggregate;
pub mod montecarlo;

pub use aggregate::{Aggregate, FIGURES, Figure, SERIES};
pub use montecarlo::{Block, Plan, simulate};
