//! Counts the random numbers one unit-period needs, exactly, from the
//! generators' own positions, and measures the generator's cost per draw and
//! the processor's clock on this machine (so a time per unit-period can be
//! read as cycles). Used by scripts/perf.sh for docs/performance.md.
//! `cargo run --release --example draws -- [scenario] [runs]`

use std::time::Instant;

use backsim::model::{NoObserver, RunRngs, World};
use backsim::scenario::{Scenario, builtin};
use rand::{Rng, SeedableRng};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("default", String::as_str);
    let runs: u64 = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(20_000);
    let text = builtin::find(name).unwrap_or_else(|| {
        eprintln!("no built-in scenario {name}");
        std::process::exit(2)
    });
    let s = Scenario::from_toml_str(text, name).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let mut world = World::new(&s);
    let mut words: u128 = 0;
    let mut results = Vec::with_capacity(runs as usize);
    let started = Instant::now();
    for run in 0..runs {
        let mut rngs = RunRngs::new(s.seed, 0, run);
        results.push(world.run(run, &mut rngs, &mut NoObserver));
        words += rngs.words_used();
    }
    let sim_secs = started.elapsed().as_secs_f64();

    // The cost of writing runs.csv: the same rows, formatted as `backsim run`
    // does, into a buffer (no disk), on one thread.
    // The fastest of five passes.
    let write_secs = (0..5)
        .map(|_| {
            let mut csv = std::io::BufWriter::new(std::io::sink());
            backsim::output::runs::write_run_header(&mut csv).expect("header");
            let mut rows = backsim::output::runs::RowWriter::default();
            let t = Instant::now();
            for r in &results {
                rows.run(&mut csv, r).expect("row");
            }
            std::io::Write::flush(&mut csv).expect("flush");
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min);
    let unit_periods = runs as f64 * s.unit_count() as f64 * s.time.periods as f64;
    let draws_per_up = words as f64 / 2.0 / unit_periods;

    // Generator cost: ChaCha8 64-bit draws in a tight loop.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let n = 200_000_000u64;
    let t = Instant::now();
    let mut acc = 0u64;
    for _ in 0..n {
        acc = acc.wrapping_add(rng.next_u64());
    }
    let ns_per_draw = t.elapsed().as_secs_f64() * 1e9 / n as f64;
    std::hint::black_box(acc);

    let ghz = clock_ghz();
    let ns_per_up = sim_secs * 1e9 / unit_periods;
    println!("scenario {name}: {runs} runs, one thread, no output files");
    println!("random 64-bit draws per unit-period: {draws_per_up:.3}");
    println!("generator cost per 64-bit draw: {ns_per_draw:.3} ns");
    println!(
        "random-number limit per unit-period: {:.1} ns",
        draws_per_up * ns_per_draw
    );
    println!("measured time per unit-period: {ns_per_up:.1} ns");
    println!("processor clock: {ghz:.2} GHz (a chain of dependent xor and multiply, 4 cycles a step)");
    println!("cycles per unit-period: {:.0}", ns_per_up * ghz);
    println!(
        "runs.csv rows: {:.2} us per run, {:.2} s per 1,000,000 runs on one thread",
        write_secs * 1e6 / runs as f64,
        write_secs * 1e6 / runs as f64
    );
    println!(
        "ratio measured / limit: {:.2}",
        ns_per_up / (draws_per_up * ns_per_draw)
    );
}

/// The processor's clock while it runs one thread, from the time a chain of
/// dependent steps takes: each step is an `xor` (1 cycle) and a 64-bit
/// multiply (3 cycles) on x86-64 processors of the last decade (Intel since
/// Sandy Bridge, AMD since Zen), and the chain leaves nothing to overlap. The
/// loop counter in the `xor` keeps the compiler from folding the chain. The
/// fastest of five passes.
fn clock_ghz() -> f64 {
    let n = std::hint::black_box(500_000_000u64);
    let m = std::hint::black_box(0x9E37_79B9_7F4A_7C15u64);
    (0..5)
        .map(|_| {
            let mut x = std::hint::black_box(3u64);
            let t = Instant::now();
            for i in 0..n {
                x = (x ^ i).wrapping_mul(m);
            }
            let secs = t.elapsed().as_secs_f64();
            std::hint::black_box(x);
            n as f64 * 4.0 / secs / 1e9
        })
        .fold(0.0, f64::max)
}
