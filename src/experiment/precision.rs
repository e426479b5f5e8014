//! Adaptive precision: run in fixed-size batches until every outcome share
//! is known to within a chosen half-width.
//!
//! Batch `k` is runs `kB .. (k+1)B` (the last one cut at the maximum), so
//! where the batches start and end depends only on the batch size `B`, never
//! on threads or timing; and because aggregates merge exactly, stopping after
//! `n` runs gives the same aggregate, to the bit, as a plain run of `n` runs.
//! The stopping rule is checked after each batch on the merged aggregate.

use super::aggregate::Aggregate;
use super::montecarlo::{Block, Plan, Spares, simulate_overlapped};
use crate::scenario::Scenario;
use crate::stats::wilson;

/// Default runs per batch.
pub const DEFAULT_BATCH: u64 = 1000;
/// Default most runs.
pub const DEFAULT_MAX_RUNS: u64 = 1_000_000;

/// When to stop adding runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Precision {
    /// Stop when every share's 95% interval half-width is at most this.
    pub half_width: f64,
    /// Runs per batch.
    pub batch: u64,
    /// Stop at this many runs at the latest.
    pub max_runs: u64,
}

impl Precision {
    /// A rule with the default batch size and maximum.
    pub fn new(half_width: f64) -> Self {
        Precision {
            half_width,
            batch: DEFAULT_BATCH,
            max_runs: DEFAULT_MAX_RUNS,
        }
    }

    /// The batches: (first run, runs) from run 0 up to `max_runs`.
    pub fn batches(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        let b = self.batch.max(1);
        (0..self.max_runs.div_ceil(b)).map(move |k| (k * b, b.min(self.max_runs - k * b)))
    }
}

/// The largest half-width, `(high - low) / 2`, of the 95% intervals of
/// every share in `summary.json`: each outcome's share of episodes (its
/// interval allowing for episodes clustered in runs) and share of runs
/// (the five outcomes, `involuntary_exit`, `involuntary_failure` and
/// `backsourcing`) and the both-lose share.
pub fn worst_half_width(a: &Aggregate) -> f64 {
    let mut runs: Vec<u64> = Vec::with_capacity(9);
    runs.extend(a.outcome_runs);
    runs.extend(a.involuntary_cause_runs);
    runs.extend([a.backsourcing_runs, a.both_lose]);
    let episode_shares = a.episode_clusters.iter().map(|c| c.wilson().half_width());
    runs.into_iter()
        .map(|k| wilson(k, a.runs).half_width())
        .chain(episode_shares)
        .fold(0.0, f64::max)
}

/// Simulates `scenario` batch by batch (runs from 0; `plan.first_run` and
/// `plan.runs` are ignored) until [`worst_half_width`] is at most the
/// precision or `max_runs` runs are done. `on_block` sees every block of
/// rows in run order, as with [`super::simulate`]. Returns the aggregate of
/// all runs done; its `runs` says how many.
pub fn simulate_precise<E: Send>(
    scenario: &Scenario,
    plan: &Plan,
    precision: &Precision,
    on_block: impl FnMut(&Block) -> Result<(), E> + Send,
) -> Result<Aggregate, E> {
    simulate_precise_with(scenario, plan, precision, &Spares::default(), on_block)
}

/// [`simulate_precise`], taking and keeping aggregates in `spares` (see
/// [`super::simulate_with`]; the same result).
pub fn simulate_precise_with<E: Send>(
    scenario: &Scenario,
    plan: &Plan,
    precision: &Precision,
    spares: &Spares,
    mut on_block: impl FnMut(&Block) -> Result<(), E> + Send,
) -> Result<Aggregate, E> {
    let mut total = None;
    // The rows of a batch are written while the next batch is simulated:
    // the rule has decided on the batch's aggregate by then.
    let mut pending = None;
    for (first_run, runs) in precision.batches() {
        let batch = Plan {
            first_run,
            runs,
            ..*plan
        };
        let a = simulate_overlapped(scenario, &batch, spares, &mut pending, &mut on_block)?;
        spares.absorb(&mut total, a);
        if total
            .as_ref()
            .is_some_and(|t| worst_half_width(t) <= precision.half_width)
        {
            break;
        }
    }
    if let Some(b) = pending {
        on_block(&b)?;
    }
    Ok(total.unwrap_or_else(|| Aggregate::new(scenario.time.periods)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::simulate;

    /// Runs from 0 under `seed` (the rule decides how many).
    fn plan(seed: u64) -> Plan {
        Plan::new(seed, 0)
    }

    #[test]
    fn batches_depend_only_on_the_batch_size() {
        let p = Precision {
            half_width: 0.01,
            batch: 300,
            max_runs: 1000,
        };
        assert_eq!(
            p.batches().collect::<Vec<_>>(),
            vec![(0, 300), (300, 300), (600, 300), (900, 100)]
        );
    }

    #[test]
    fn stops_at_the_first_batch_that_is_precise_enough_and_equals_a_plain_run() {
        let s = Scenario::default();
        let plan = plan(3);
        // Aim at 60% of the first batch's worst half-width: more batches are needed.
        let first = simulate(&s, &Plan { runs: 250, ..plan }, |_| Ok::<(), ()>(())).unwrap();
        let target = 0.6 * worst_half_width(&first);
        let p = Precision {
            half_width: target,
            batch: 250,
            max_runs: 100_000,
        };
        let a = simulate_precise(&s, &plan, &p, |_| Ok::<(), ()>(())).unwrap();
        assert_eq!(a.runs % 250, 0);
        assert!(a.runs > 250 && a.runs < 100_000, "{} runs", a.runs);
        assert!(worst_half_width(&a) <= target);
        let before = simulate(
            &s,
            &Plan {
                runs: a.runs - 250,
                ..plan
            },
            |_| Ok::<(), ()>(()),
        )
        .unwrap();
        assert!(worst_half_width(&before) > target, "it did not stop one batch late");
        let plain = simulate(&s, &Plan { runs: a.runs, ..plan }, |_| Ok::<(), ()>(())).unwrap();
        assert_eq!(a, plain);
    }

    #[test]
    fn every_batch_is_handed_over_once_in_run_order() {
        let s = Scenario::default();
        let plan = plan(4);
        let p = Precision {
            half_width: 0.01,
            batch: 300,
            max_runs: 100_000,
        };
        let mut rows = Vec::new();
        let mut calls = 0;
        let a = simulate_precise(&s, &plan, &p, |b| {
            calls += 1;
            rows.extend(b.results.iter().copied());
            Ok::<(), ()>(())
        })
        .unwrap();
        assert!(a.runs > 600, "several batches: {} runs", a.runs);
        assert_eq!(calls, a.runs / 300);
        let mut plain = Vec::new();
        simulate(&s, &Plan { runs: a.runs, ..plan }, |b| {
            plain.extend(b.results.iter().copied());
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(rows, plain);
        // A failing writer stops the work with its error.
        let mut seen = 0;
        let e = simulate_precise(&s, &plan, &p, |_| {
            seen += 1;
            if seen == 2 { Err(seen) } else { Ok(()) }
        });
        assert_eq!(e, Err(2));
    }

    #[test]
    fn stops_at_the_maximum() {
        let s = Scenario::default();
        let plan = plan(3);
        let p = Precision {
            half_width: 1e-6,
            batch: 100,
            max_runs: 250,
        };
        let a = simulate_precise(&s, &plan, &p, |_| Ok::<(), ()>(())).unwrap();
        assert_eq!(a.runs, 250);
    }
}
