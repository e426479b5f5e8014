//! The parallel Monte Carlo driver.
//!
//! Runs are numbered 0, 1, 2, ...; run `i` draws only from the streams keyed
//! by (seed, point, i), so its result does not depend on which thread runs
//! it. Runs are processed in blocks of [`BLOCK`] runs; a block is cut into
//! chunks of [`CHUNK`] runs that rayon runs in parallel; each rayon split
//! adds its runs into its own [`Aggregate`]. Per-run rows come back in run
//! order for the exporters, and the aggregates merge exactly (integer counts,
//! exact sums, sketch ranges that are the union of the values' ranges), so
//! output is identical on any number of threads. Memory is bounded by one
//! block of rows, whatever the number of runs. Aggregates are reused, cleared,
//! from block to block and, through [`Spares`], from one simulation to the
//! next, so that their sketches do not grow again from nothing.

use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use super::aggregate::Aggregate;
use crate::model::{Episode, NoObserver, RunResult, World};
use crate::scenario::Scenario;

/// Runs per block: rows of one block are held in memory at a time.
pub const BLOCK: u64 = 16_384;
/// Runs per parallel chunk, at most: fewer when a block is short (see
/// [`chunk_len`]).
pub const CHUNK: u64 = 512;

/// Runs per chunk for a block of `runs` runs on `threads` threads: at most
/// [`CHUNK`], and small enough that every thread gets about eight chunks, so
/// that both cores stay busy to the end even when a run is costly (a
/// scenario with hundreds of buyers may have only a few hundred runs). The
/// chunk length never changes results: chunk aggregates merge exactly and
/// rows come back in run order.
pub fn chunk_len(runs: u64, threads: usize) -> u64 {
    runs.div_ceil(8 * threads.max(1) as u64).clamp(1, CHUNK)
}

/// Spare aggregates kept at most by [`Spares`]: more than the splits of a
/// block on a large machine, few enough that memory stays flat.
const MAX_SPARES: usize = 32;

/// Aggregates kept, cleared, between the blocks of a simulation and between
/// simulations (the points of a sweep, the batches of `--precision`), so
/// that their sketches need not grow again from nothing: growing them took
/// a fifth of the time of simulations of 200 runs. Results never depend
/// on it: a cleared aggregate equals a new one, and merging is exact.
#[derive(Debug, Default)]
pub struct Spares(Mutex<Vec<Aggregate>>);

impl Spares {
    /// An empty aggregate for `periods`: a spare one if there is one.
    pub(crate) fn take(&self, periods: u32) -> Aggregate {
        let mut spares = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match spares.iter().rposition(|a| a.first_ends.len() == periods as usize) {
            Some(i) => spares.swap_remove(i),
            None => Aggregate::new(periods),
        }
    }

    /// Merges `a` into `total` and keeps `a` for reuse, or makes `a` the
    /// total if there is none yet.
    pub fn absorb(&self, total: &mut Option<Aggregate>, a: Aggregate) {
        let Some(t) = total else {
            *total = Some(a);
            return;
        };
        t.merge(&a);
        self.keep(a);
    }

    /// Keeps `a`, cleared, for a later simulation (once its results have
    /// been read).
    pub fn keep(&self, mut a: Aggregate) {
        a.clear();
        let mut spares = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if spares.len() < MAX_SPARES {
            spares.push(a);
        }
    }
}

/// One block of finished runs, in run order.
#[derive(Debug, Default)]
pub struct Block {
    /// Results of the runs, in run order.
    pub results: Vec<RunResult>,
    /// Episodes of the runs (when requested), in run order: (run, episode).
    pub episodes: Vec<(u64, Episode)>,
}

/// What to simulate.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Master seed.
    pub seed: u64,
    /// Experiment point (0 for a plain run).
    pub point: u64,
    /// First run index.
    pub first_run: u64,
    /// Number of runs.
    pub runs: u64,
    /// Keep episodes for `episodes.csv`.
    pub episodes: bool,
}

impl Plan {
    /// Runs `0..runs` of experiment point 0 under `seed`, without episodes
    /// (change a field with `Plan { episodes: true, ..Plan::new(seed, runs) }`).
    pub fn new(seed: u64, runs: u64) -> Self {
        Plan {
            seed,
            point: 0,
            first_run: 0,
            runs,
            episodes: false,
        }
    }
}

/// The work of one rayon split of a block: its world, the aggregate of all
/// the runs it did (added straight in, so sketches grow once per split, not
/// once per chunk) and their rows, chunk by chunk.
struct Part {
    world: World,
    aggregate: Aggregate,
    chunks: Vec<(u64, Block)>,
}

fn run_chunk(part: &mut Part, plan: &Plan, runs: std::ops::Range<u64>) {
    let first = runs.start;
    let mut block = Block {
        results: Vec::with_capacity((runs.end - runs.start) as usize),
        episodes: Vec::new(),
    };
    for run in runs {
        let r = part.world.run_seeded(plan.seed, plan.point, run, &mut NoObserver);
        part.aggregate.add(&r, &part.world);
        if plan.episodes {
            block.episodes.extend(part.world.episodes.iter().map(|e| (run, *e)));
        }
        block.results.push(r);
    }
    part.chunks.push((first, block));
}

/// Simulates the plan on the current rayon pool. `on_block` receives each
/// block of rows in run order (to write them) and may stop the work with an
/// error. It runs while the next block is being simulated, so writing files
/// overlaps with simulation. Returns the aggregate of all runs.
pub fn simulate<E: Send>(
    scenario: &Scenario,
    plan: &Plan,
    on_block: impl FnMut(&Block) -> Result<(), E> + Send,
) -> Result<Aggregate, E> {
    simulate_with(scenario, plan, &Spares::default(), on_block)
}

/// [`simulate`], taking and keeping aggregates in `spares`: for many
/// simulations of a few hundred runs each (the same result).
pub fn simulate_with<E: Send>(
    scenario: &Scenario,
    plan: &Plan,
    spares: &Spares,
    mut on_block: impl FnMut(&Block) -> Result<(), E> + Send,
) -> Result<Aggregate, E> {
    let mut pending = None;
    let total = simulate_overlapped(scenario, plan, spares, &mut pending, &mut on_block)?;
    if let Some(b) = pending {
        on_block(&b)?;
    }
    Ok(total)
}

/// The blocks of `plan`, each block's rows handed to `on_block` while the
/// next block is simulated. `pending` carries a block not yet handed over:
/// one left by an earlier call is handed over while this call's first block
/// is simulated, and this call's last block is left in it, so that a
/// caller that goes on with more runs (the batches of `--precision`) keeps
/// writing and simulating side by side.
pub(crate) fn simulate_overlapped<E: Send>(
    scenario: &Scenario,
    plan: &Plan,
    spares: &Spares,
    pending: &mut Option<Block>,
    on_block: &mut (impl FnMut(&Block) -> Result<(), E> + Send),
) -> Result<Aggregate, E> {
    let periods = scenario.time.periods;
    let mut total = None;
    let end = plan.first_run + plan.runs;
    let mut start = plan.first_run;
    while start < end {
        let block_end = (start + BLOCK).min(end);
        let (written, (aggregate, block)) = rayon::join(
            || pending.take().map_or(Ok(()), |b| on_block(&b)),
            || simulate_block(scenario, plan, spares, start..block_end, periods),
        );
        written?;
        spares.absorb(&mut total, aggregate);
        *pending = Some(block);
        start = block_end;
    }
    Ok(total.unwrap_or_else(|| Aggregate::new(periods)))
}

/// A block of runs cut into chunks of [`chunk_len`] runs for the current
/// rayon pool.
pub fn chunks(runs: std::ops::Range<u64>) -> Vec<std::ops::Range<u64>> {
    let len = chunk_len(runs.end - runs.start, rayon::current_num_threads());
    runs.clone()
        .step_by(len as usize)
        .map(|s| s..(s + len).min(runs.end))
        .collect()
}

/// Simulates one block: its aggregate (merged exactly from the splits, so
/// it does not depend on how rayon split the work) and its rows in run
/// order.
fn simulate_block(
    scenario: &Scenario,
    plan: &Plan,
    spares: &Spares,
    runs: std::ops::Range<u64>,
    periods: u32,
) -> (Aggregate, Block) {
    let parts: Vec<Part> = chunks(runs)
        .into_par_iter()
        .fold(
            || Part {
                world: World::new(scenario),
                aggregate: spares.take(periods),
                chunks: Vec::new(),
            },
            |mut part, runs| {
                run_chunk(&mut part, plan, runs);
                part
            },
        )
        .collect();
    let mut aggregate = None;
    let mut chunks = Vec::new();
    for part in parts {
        spares.absorb(&mut aggregate, part.aggregate);
        chunks.extend(part.chunks);
    }
    let aggregate = aggregate.unwrap_or_else(|| Aggregate::new(periods));
    // Splits come back in order; sorting keeps run order whatever rayon did.
    chunks.sort_unstable_by_key(|&(first, _)| first);
    let mut block = Block::default();
    for (_, c) in chunks {
        block.results.extend(c.results);
        block.episodes.extend(c.episodes);
    }
    (aggregate, block)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(runs: u64) -> Plan {
        Plan {
            episodes: true,
            ..Plan::new(5, runs)
        }
    }

    #[test]
    fn same_result_on_one_and_several_threads() {
        let s = Scenario::default();
        let go = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let mut rows = Vec::new();
                let agg = simulate(&s, &plan(1200), |b| {
                    rows.extend(b.results.iter().copied());
                    Ok::<(), ()>(())
                })
                .unwrap();
                (agg, rows)
            })
        };
        let (a1, r1) = go(1);
        let (a3, r3) = go(3);
        assert_eq!(a1, a3);
        assert_eq!(r1, r3);
        assert_eq!(
            r1.iter().map(|r| r.run).collect::<Vec<_>>(),
            (0..1200).collect::<Vec<_>>()
        );
    }

    #[test]
    fn episode_clusters_count_what_the_counters_count() {
        let s = crate::scenario::load(Some("elderly-care"), &[]).unwrap();
        let mut counts = [0u64; 8];
        let mut episodes = 0;
        let a = simulate(&s, &plan(400), |b| {
            for r in &b.results {
                let o = r.outcomes.map(u64::from);
                let kinds = [o[0], o[1], o[2], o[3], o[4]];
                let more = [r.involuntary_exit, r.involuntary_failure, r.backsourcings()].map(u64::from);
                for (c, k) in counts.iter_mut().zip(kinds.into_iter().chain(more)) {
                    *c += k;
                }
                episodes += u64::from(r.episodes);
            }
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(a.episodes(), episodes);
        for (c, k) in a.episode_clusters.iter().zip(counts) {
            assert_eq!((c.clusters, c.items, c.hits), (a.runs, episodes, k));
            assert!(c.hits_sq >= c.hits && c.items_sq >= c.items && c.hits_items >= c.hits_sq);
        }
        // Several units per run: the involuntary episodes cluster in runs.
        assert!(a.episode_clusters[3].design_effect() > 1.5);
    }

    #[test]
    fn a_cleared_aggregate_equals_a_new_one() {
        let s = Scenario::default();
        let mut a = simulate(&s, &plan(300), |_| Ok::<(), ()>(())).unwrap();
        assert_ne!(a, Aggregate::new(s.time.periods));
        a.clear();
        assert_eq!(a, Aggregate::new(s.time.periods));
    }

    #[test]
    fn spare_aggregates_do_not_change_results() {
        let short = crate::scenario::load(Some("default"), &["time.periods=12".to_string()]).unwrap();
        let long = crate::scenario::load(Some("refugee-housing"), &[]).unwrap();
        let spares = Spares::default();
        let with = |s: &Scenario, p: &Plan| {
            let a = simulate_with(s, p, &spares, |_| Ok::<(), ()>(())).unwrap();
            let copy = a.clone();
            spares.keep(a);
            copy
        };
        // Each simulation with the spares of the ones before, of other
        // horizons and sizes, against one on its own.
        for (s, p) in [
            (&long, plan(150)),
            (&short, plan(2000)),
            (&long, Plan { seed: 9, ..plan(40) }),
            (
                &short,
                Plan {
                    first_run: 77,
                    ..plan(500)
                },
            ),
            (&long, plan(150)),
        ] {
            let alone = simulate(s, &p, |_| Ok::<(), ()>(())).unwrap();
            assert_eq!(with(s, &p), alone);
        }
        assert!(!spares.0.lock().unwrap().is_empty());
    }

    #[test]
    fn chunks_keep_every_thread_busy() {
        assert_eq!(chunk_len(16_384, 2), CHUNK);
        assert_eq!(chunk_len(689, 2), 44);
        assert_eq!(chunk_len(5, 16), 1);
        assert_eq!(chunk_len(0, 2), 1);
    }

    #[test]
    fn splitting_the_runs_gives_the_same_aggregate() {
        let s = Scenario::default();
        let whole = simulate(&s, &plan(900), |_| Ok::<(), ()>(())).unwrap();
        let mut a = simulate(&s, &Plan { runs: 400, ..plan(0) }, |_| Ok::<(), ()>(())).unwrap();
        let b = simulate(
            &s,
            &Plan {
                first_run: 400,
                runs: 500,
                ..plan(0)
            },
            |_| Ok::<(), ()>(()),
        )
        .unwrap();
        a.merge(&b);
        assert_eq!(a, whole);
    }
}
