//! Criterion benchmarks: one run of each built-in scenario, one period
//! step, the Monte Carlo driver at 1 and 2 threads (and on 200 runs, with
//! and without spare aggregates), aggregation, writing
//! the rows of `runs.csv` and `episodes.csv`, and the generator's cost per
//! draw. `cargo bench` runs them; CI compiles them.
//! Throughput is reported in unit-periods (runs for the driver).

use backsim::experiment::{Aggregate, Plan, Spares, simulate, simulate_with};
use backsim::model::{NoObserver, RunRngs, World};
use backsim::scenario::{Scenario, builtin};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};

fn scenario(name: &str) -> Scenario {
    let text = builtin::find(name).expect("built-in scenario");
    Scenario::from_toml_str(text, name).expect("valid built-in scenario")
}

fn one_run_each_scenario(c: &mut Criterion) {
    let mut g = c.benchmark_group("one run");
    g.sample_size(20);
    for name in builtin::names() {
        let s = scenario(name);
        let mut world = World::new(&s);
        g.throughput(Throughput::Elements((s.unit_count() * s.time.periods as usize) as u64));
        let mut run = 0u64;
        g.bench_function(name, |b| {
            b.iter(|| {
                run += 1;
                world.run_seeded(1, 0, run, &mut NoObserver)
            })
        });
    }
    g.finish();
}

fn period_step(c: &mut Criterion) {
    let s = scenario("default");
    let mut world = World::new(&s);
    let mut rngs = RunRngs::new(1, 0, 0);
    world.setup(&mut rngs);
    let mut g = c.benchmark_group("period step");
    g.throughput(Throughput::Elements(s.unit_count() as u64));
    let mut t = 0u32;
    g.bench_function("default, one period", |b| {
        b.iter(|| {
            // Stay inside the horizon; restart the run when it ends.
            if t == s.time.periods {
                t = 0;
                world.setup(&mut rngs);
            }
            world.period(t, &mut rngs, &mut NoObserver);
            t += 1;
        })
    });
    g.finish();
}

fn driver(c: &mut Criterion) {
    let s = scenario("default");
    let runs = 8192u64;
    let mut g = c.benchmark_group("monte carlo driver");
    g.throughput(Throughput::Elements(runs));
    g.sample_size(10);
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let plan = Plan::new(1, runs);
        g.bench_function(format!("{runs} runs, {threads} threads"), |b| {
            b.iter(|| pool.install(|| simulate(&s, &plan, |_| Ok::<(), ()>(()))))
        });
    }
    // A sweep point or a `--precision` batch: few runs, where the set-up of
    // aggregates weighs; with spare aggregates kept from one call to the next
    // (as sweep, sensitivity and --precision do) and without.
    let small = Plan::new(1, 200);
    g.throughput(Throughput::Elements(small.runs));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("thread pool");
    g.bench_function("200 runs, 2 threads, new aggregates", |b| {
        b.iter(|| pool.install(|| simulate(&s, &small, |_| Ok::<(), ()>(()))))
    });
    let spares = Spares::default();
    g.bench_function("200 runs, 2 threads, spare aggregates", |b| {
        b.iter(|| {
            pool.install(|| {
                let a = simulate_with(&s, &small, &spares, |_| Ok::<(), ()>(()));
                spares.keep(a.expect("infallible"));
            })
        })
    });
    g.finish();
}

fn aggregation(c: &mut Criterion) {
    let s = scenario("default");
    let mut world = World::new(&s);
    let result = world.run_seeded(1, 0, 0, &mut NoObserver);
    let mut agg = Aggregate::new(s.time.periods);
    let mut g = c.benchmark_group("aggregation");
    g.throughput(Throughput::Elements(1));
    g.bench_function("add one run", |b| b.iter(|| agg.add(&result, &world)));
    let other = agg.clone();
    g.bench_function("merge two aggregates", |b| b.iter(|| agg.merge(&other)));
    g.finish();
}

fn rows(c: &mut Criterion) {
    use backsim::output::runs::RowWriter;
    let s = scenario("default");
    let mut world = World::new(&s);
    let mut results = Vec::new();
    let mut episodes = Vec::new();
    for run in 0..1000 {
        results.push(world.run_seeded(1, 0, run, &mut NoObserver));
        episodes.extend(world.episodes.iter().map(|e| (run, *e)));
    }
    let mut rows = RowWriter::default();
    let mut out = Vec::with_capacity(1 << 20);
    let mut g = c.benchmark_group("rows");
    g.throughput(Throughput::Elements(results.len() as u64));
    g.bench_function("runs.csv, 1000 rows", |b| {
        b.iter(|| {
            out.clear();
            for r in &results {
                rows.run(&mut out, r).expect("in memory");
            }
            out.len()
        })
    });
    g.throughput(Throughput::Elements(episodes.len() as u64));
    g.bench_function(format!("episodes.csv, {} rows", episodes.len()), |b| {
        b.iter(|| {
            out.clear();
            for (run, e) in &episodes {
                rows.episode(&mut out, *run, e).expect("in memory");
            }
            out.len()
        })
    });
    g.finish();
}

fn generator(c: &mut Criterion) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let mut g = c.benchmark_group("generator");
    g.throughput(Throughput::Elements(1000));
    g.bench_function("ChaCha8 1000 x next_u64", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for _ in 0..1000 {
                acc = acc.wrapping_add(rng.next_u64());
            }
            acc
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    one_run_each_scenario,
    period_step,
    driver,
    aggregation,
    rows,
    generator
);
criterion_main!(benches);
