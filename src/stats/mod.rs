//! Streaming, mergeable, order-independent statistics.
//!
//! Every accumulator here is
//!
//! * **streaming**: memory does not grow with the number of inserted values
//!   (a [`Sketch`] grows only with the *range* of values seen);
//! * **mergeable**: partial results from different threads combine with
//!   `merge`; and
//! * **order-independent to the bit**: the same multiset of inserted values
//!   gives bit-identical results whatever the insertion order or merge tree,
//!   so Monte Carlo outputs do not depend on the thread count or on how rayon
//!   combines partial results.
//!
//! Contents:
//!
//! * [`Interval`], [`Z95`] and [`wilson`]: confidence intervals.
//! * [`ExactSum`]: exact fixed-point (2^-24) sum of `f64` values.
//! * [`MeanAcc`]: count, mean, sd, 95% CI of the mean, exact min/max.
//! * [`Sketch`]: log-linear quantile sketch (relative error ≤ 2^-8) with tail
//!   means.

mod exact_sum;
mod extrema;
mod interval;
mod mean;
mod sketch;
mod wide;

pub use exact_sum::ExactSum;
pub use interval::{
    ClusterSums, Interval, Z95, paired_difference, t975, unpaired_difference, welch_half_width, wilson,
};
pub use mean::MeanAcc;
pub use sketch::{Data, Sketch};
