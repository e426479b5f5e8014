//! Runs a few hundred runs of a built-in scenario through the library API
//! and prints outcome counts and mean costs: the smallest use of backsim as
//! a library. `cargo run --release --example one_run -- elderly-care 500`

use backsim::model::{NoObserver, Outcome, World};
use backsim::scenario::{Scenario, builtin};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("default", String::as_str);
    let runs: u64 = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(300);
    let Some(text) = builtin::find(name) else {
        eprintln!(
            "no built-in scenario {name}; try one of: {}",
            builtin::names().collect::<Vec<_>>().join(", ")
        );
        std::process::exit(2);
    };
    let scenario = match Scenario::from_toml_str(text, name) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut world = World::new(&scenario);
    let mut outcomes = [0u64; 5];
    let (mut excess, mut profit, mut both, mut sanctions, mut complaints) = (0.0, 0.0, 0u64, 0u64, 0u64);
    for run in 0..runs {
        let r = world.run_seeded(scenario.seed, 0, run, &mut NoObserver);
        for (o, n) in outcomes.iter_mut().zip(r.outcomes) {
            *o += n as u64;
        }
        excess += r.costs.excess();
        profit += r.provider_profit;
        both += r.both_lose() as u64;
        sanctions += r.sanctions as u64;
        complaints += r.complaints as u64;
    }
    let n = runs as f64;
    println!("{name}: {runs} runs");
    for o in Outcome::ALL {
        println!("  {:<12} {:>8}", o.name(), outcomes[o.index()]);
    }
    println!(
        "  mean excess cost {:.3}, mean provider profit {:.3}",
        excess / n,
        profit / n
    );
    println!(
        "  both lose {:.3}, sanctions/run {:.2}, complaints/run {:.2}",
        both as f64 / n,
        sanctions as f64 / n,
        complaints as f64 / n
    );
}
