//! Criterion benchmarks: one run of the default scenario, and the Monte
//! Carlo driver over a block of runs. `cargo bench` runs them; CI compiles
//! them.

use backsim::experiment::{Plan, simulate};
use backsim::model::{NoObserver, World};
use backsim::scenario::Scenario;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn one_run(c: &mut Criterion) {
    let s = Scenario::default();
    let mut world = World::new(&s);
    let unit_periods = (s.unit_count() * s.time.periods as usize) as u64;
    let mut g = c.benchmark_group("default");
    g.throughput(Throughput::Elements(unit_periods));
    let mut run = 0u64;
    g.bench_function("one run", |b| {
        b.iter(|| {
            run += 1;
            world.run_seeded(1, 0, run, &mut NoObserver)
        })
    });
    g.finish();
}

fn driver(c: &mut Criterion) {
    let s = Scenario::default();
    let runs = 4096u64;
    let mut g = c.benchmark_group("monte carlo");
    g.throughput(Throughput::Elements(runs));
    g.sample_size(10);
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let plan = Plan {
            seed: 1,
            point: 0,
            first_run: 0,
            runs,
            episodes: false,
        };
        g.bench_function(format!("{runs} runs, {threads} threads"), |b| {
            b.iter(|| pool.install(|| simulate(&s, &plan, |_| Ok::<(), ()>(()))))
        });
    }
    g.finish();
}

criterion_group!(benches, one_run, driver);
criterion_main!(benches);
