//! Simulates runs of a scenario on one thread, with no output files, and
//! prints the time per unit-period and a checksum of the results (equal
//! checksums: equal results). Used by scripts/perf.sh to count instructions
//! under valgrind, and for quick before-and-after timings.
//! `cargo run --release --example simulate -- [scenario] [runs] [PATH=VALUE...]`

use std::time::Instant;

use backsim::model::{NoObserver, RunRngs, World};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("default", String::as_str);
    let runs: u64 = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(20_000);
    let sets = args.get(3..).unwrap_or_default();
    let s = backsim::scenario::load(Some(name), sets).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let mut world = World::new(&s);
    let started = Instant::now();
    let mut checksum = 0u64;
    for run in 0..runs {
        let mut rngs = RunRngs::new(s.seed, 0, run);
        let r = world.run(run, &mut rngs, &mut NoObserver);
        checksum = checksum.rotate_left(5) ^ r.costs.payments.to_bits() ^ u64::from(r.episodes);
    }
    let unit_periods = runs as f64 * s.unit_count() as f64 * s.time.periods as f64;
    println!(
        "{name}: {runs} runs, {:.1} ns per unit-period, checksum {checksum:016x}",
        started.elapsed().as_secs_f64() * 1e9 / unit_periods
    );
}
