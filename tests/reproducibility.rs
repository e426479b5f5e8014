//! Results depend on the scenario and the seed only: not on the number of
//! threads, not on anything outside the written `scenario.toml`; they are
//! pinned for one small run; and the aggregate of many runs does not grow
//! with their number.

use std::convert::Infallible;
use std::fs;
use std::path::Path;

use backsim::experiment::{Aggregate, Plan, simulate};
use backsim::scenario::Scenario;

mod common;
use common::{folder_bytes, ok_in};

/// Asserts that two output folders hold the same files with the same bytes,
/// naming the first file and line that differ.
fn assert_same_folders(a: &Path, b: &Path) {
    let (fa, fb) = (folder_bytes(a), folder_bytes(b));
    assert_eq!(
        fa.keys().collect::<Vec<_>>(),
        fb.keys().collect::<Vec<_>>(),
        "{} and {} hold different files",
        a.display(),
        b.display()
    );
    for (name, bytes) in &fa {
        let other = &fb[name];
        if bytes != other {
            let (ta, tb) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(other));
            let line = ta
                .lines()
                .zip(tb.lines())
                .enumerate()
                .find(|(_, (x, y))| x != y)
                .map(|(i, (x, y))| format!("line {}:\n  {x}\n  {y}", i + 1))
                .unwrap_or_else(|| format!("lengths {} and {}", bytes.len(), other.len()));
            panic!(
                "{name} differs between {} and {}; first difference at {line}",
                a.display(),
                b.display()
            );
        }
    }
}

/// 64-bit FNV-1a.
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[test]
fn fnv1a64_matches_the_reference_values() {
    // Published test vectors of FNV-1a 64, so the pinned hash below means
    // what it says.
    assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
}

#[test]
fn same_seed_gives_identical_files_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    // 3000 runs: six parallel chunks of 512 runs, the last one partial.
    let common = ["run", "--runs", "3000", "--seed", "42", "--episodes", "--quiet"];
    for threads in ["1", "2", "4"] {
        let out = format!("t{threads}");
        let mut args = common.to_vec();
        args.extend(["--threads", threads, "--out", &out]);
        ok_in(dir.path(), &args);
    }
    let t1 = dir.path().join("t1");
    let files = folder_bytes(&t1);
    for f in [
        "episodes.csv",
        "runs.csv",
        "scenario.toml",
        "summary.json",
        "timeseries.csv",
    ] {
        assert!(files.contains_key(f), "{f} is missing: {:?}", files.keys());
    }
    let rows = files["runs.csv"].iter().filter(|&&b| b == b'\n').count();
    assert_eq!(rows, 3001, "header and 3000 runs");
    assert_same_folders(&t1, &dir.path().join("t2"));
    assert_same_folders(&t1, &dir.path().join("t4"));
}

#[test]
fn the_written_scenario_reproduces_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    // Settings that are not the defaults, given only on the command line:
    // they must all reach scenario.toml.
    ok_in(
        dir.path(),
        &[
            "run",
            "--runs",
            "1200",
            "--seed",
            "11",
            "--set",
            "buyer.power=0.35",
            "--set",
            "contract.form=partnership",
            "--episodes",
            "--quiet",
            "--out",
            "first",
        ],
    );
    ok_in(
        dir.path(),
        &["run", "first/scenario.toml", "--episodes", "--quiet", "--out", "second"],
    );
    assert_same_folders(&dir.path().join("first"), &dir.path().join("second"));
    // Reading it from another directory changes nothing either.
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    ok_in(
        &elsewhere,
        &[
            "run",
            "../first/scenario.toml",
            "--episodes",
            "--quiet",
            "--threads",
            "1",
            "--out",
            "third",
        ],
    );
    assert_same_folders(&dir.path().join("first"), &elsewhere.join("third"));
}

#[test]
fn a_run_at_another_point_and_a_sweep_point_reproduce_from_their_scenario_toml() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_in(
        d,
        &[
            "run",
            "--point",
            "3",
            "--runs",
            "300",
            "--out",
            "p3",
            "--no-plots",
            "--quiet",
        ],
    );
    let toml = fs::read_to_string(d.join("p3/scenario.toml")).unwrap();
    assert!(toml.contains("point = 3"), "{toml}");
    ok_in(
        d,
        &["run", "p3/scenario.toml", "--out", "again", "--no-plots", "--quiet"],
    );
    assert_same_folders(&d.join("p3"), &d.join("again"));
    // Point 0 is another future.
    ok_in(d, &["run", "--runs", "300", "--out", "p0", "--no-plots", "--quiet"]);
    assert_ne!(
        fs::read(d.join("p0/runs.csv")).unwrap(),
        fs::read(d.join("p3/runs.csv")).unwrap()
    );
    // A sweep point's scenario.toml names its point and reproduces it.
    ok_in(
        d,
        &[
            "sweep",
            "--vary",
            "buyer.power=0.3,0.6",
            "--runs",
            "200",
            "--out",
            "sw",
            "--no-plots",
            "--quiet",
        ],
    );
    ok_in(
        d,
        &[
            "run",
            "sw/points/1/scenario.toml",
            "--out",
            "pt1",
            "--no-plots",
            "--quiet",
        ],
    );
    assert_eq!(
        fs::read(d.join("pt1/summary.json")).unwrap(),
        fs::read(d.join("sw/points/1/summary.json")).unwrap()
    );
}

#[test]
fn a_different_seed_gives_different_runs() {
    let dir = tempfile::tempdir().unwrap();
    ok_in(
        dir.path(),
        &["run", "--runs", "200", "--seed", "1", "--quiet", "--out", "a"],
    );
    ok_in(
        dir.path(),
        &["run", "--runs", "200", "--seed", "2", "--quiet", "--out", "b"],
    );
    let a = fs::read(dir.path().join("a/runs.csv")).unwrap();
    let b = fs::read(dir.path().join("b/runs.csv")).unwrap();
    assert_ne!(a, b, "seeds 1 and 2 gave the same runs.csv");
    // Same header, same number of rows: only the values differ.
    let lines = |x: &[u8]| {
        String::from_utf8_lossy(x)
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (la, lb) = (lines(&a), lines(&b));
    assert_eq!(la[0], lb[0]);
    assert_eq!(la.len(), lb.len());
    let differing = la.iter().zip(&lb).skip(1).filter(|(x, y)| x != y).count();
    assert!(
        differing > 100,
        "only {differing} of 200 runs differ between seeds 1 and 2"
    );
}

/// Pins the exact output of a small run of the built-in default scenario.
///
/// These values change, on purpose, whenever the model, the random stream
/// layout, the default scenario (`scenarios/default.toml`) or the format of
/// `runs.csv`/`summary.json` changes. Whoever changes them must update the
/// constants here AND say so under "Changed" in CHANGELOG.md, since results
/// for a given seed are no longer the same. A change that is not meant to
/// alter results (a refactoring, a speed-up) must leave them as they are.
#[test]
fn a_small_run_is_pinned() {
    const RUNS_CSV_FNV1A64: u64 = 0x75ff_78d6_c552_f99e;
    const INVOLUNTARY_EPISODES: u64 = 17;
    const TOTAL_COST_MEAN: &str = "552.8312025690079";

    let dir = tempfile::tempdir().unwrap();
    ok_in(
        dir.path(),
        &["run", "--runs", "50", "--seed", "7", "--quiet", "--out", "pinned"],
    );
    let runs_csv = fs::read(dir.path().join("pinned/runs.csv")).unwrap();
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("pinned/summary.json")).unwrap()).unwrap();
    let hash = fnv1a64(&runs_csv);
    let involuntary = summary["outcomes"]["involuntary"]["episodes"].as_u64();
    let mean = format!(
        "{:?}",
        summary["figures"]["total_cost"]["mean"]["estimate"].as_f64().unwrap()
    );
    println!("runs.csv fnv1a64 = {hash:#018x}, involuntary episodes = {involuntary:?}, total_cost mean = {mean}");
    assert_eq!(
        hash, RUNS_CSV_FNV1A64,
        "runs.csv of `--runs 50 --seed 7` changed (hash {hash:#018x})"
    );
    assert_eq!(involuntary, Some(INVOLUNTARY_EPISODES));
    assert_eq!(mean, TOTAL_COST_MEAN);
}

/// Runs the built-in default scenario `runs` times through the library.
fn aggregate(runs: u64) -> Aggregate {
    let s = Scenario::default();
    let plan = Plan::new(3, runs);
    let mut seen = 0;
    let agg = simulate(&s, &plan, |block| -> Result<(), Infallible> {
        seen += block.results.len() as u64;
        Ok(())
    })
    .unwrap_or_else(|e| match e {});
    assert_eq!(seen, runs, "every run is handed out once");
    assert_eq!(agg.runs, runs);
    agg
}

/// Memory stays flat: the aggregate of 40,000 runs is about as big as that
/// of 2,000.
///
/// Why the size of its Debug text is a valid proxy: an [`Aggregate`] has no
/// per-run storage. It is fixed-size counters, exact sums of fixed width,
/// and quantile sketches whose only heap data is one dense `Vec` of bucket
/// counts per sign, spanning the range of values seen. The Debug text
/// prints every field and every element of those `Vec`s, so it grows in step
/// with the heap the aggregate holds. With 20 times the runs it can only grow
/// by the buckets added where the range of values widens (a few rare extreme
/// runs) and by the extra digits of larger counts; a per-run store (a `Vec`
/// of values) would make it grow about 20-fold.
///
/// The extra digits are not memory (a `u64` is 8 bytes whatever it holds)
/// but they alone make the raw text grow by a third here, so the tight bound
/// is put on the text with every run of digits counted as one character,
/// which counts the stored elements; the raw text gets a looser bound.
#[test]
fn aggregate_does_not_grow_with_the_number_of_runs() {
    let small = aggregate(2_000);
    let large = aggregate(40_000);
    for agg in [&small, &large] {
        assert!(!agg.sketches.is_empty());
        for (i, sk) in agg.sketches.iter().enumerate() {
            assert!(sk.count() <= agg.runs, "figure {i}: {} values", sk.count());
        }
        // total_cost: every run has one, and its quantiles are ordered.
        let total = &agg.sketches[0];
        assert_eq!(total.count(), agg.runs);
        let (p5, p50, p95) = (total.quantile(0.05), total.quantile(0.5), total.quantile(0.95));
        assert!(
            p5.is_finite() && p5 <= p50 && p50 <= p95,
            "total_cost quantiles {p5} {p50} {p95}"
        );
        assert_eq!(agg.series.len(), 40, "one set of series sketches per period");
        for (t, period) in agg.series.iter().enumerate() {
            for sk in period {
                if sk.count() > 0 {
                    assert!(sk.quantile(0.5).is_finite(), "period {t}: no median");
                }
            }
            // Demand is there in every run and period.
            assert!(period[3].quantile(0.5).is_finite(), "period {t}: no demand median");
        }
    }
    let (small, large) = (format!("{small:?}"), format!("{large:?}"));
    let (raw_a, raw_b) = (small.len(), large.len());
    let (a, b) = (elements(&small), elements(&large));
    println!(
        "Debug text of the aggregate, 2,000 -> 40,000 runs: {raw_a} -> {raw_b} bytes, {a} -> {b} with digit runs collapsed"
    );
    assert!(
        (b as f64) < 1.5 * a as f64,
        "the aggregate grew from {a} to {b} (Debug text, digit runs collapsed) for 20 times the runs"
    );
    assert!(
        (raw_b as f64) < 2.0 * raw_a as f64,
        "the aggregate grew from {raw_a} to {raw_b} bytes of Debug text for 20 times the runs"
    );
}

/// Length of a text with every run of ASCII digits counted as one character.
fn elements(s: &str) -> usize {
    let mut n = 0;
    let mut prev_digit = false;
    for c in s.chars() {
        let digit = c.is_ascii_digit();
        if !(digit && prev_digit) {
            n += 1;
        }
        prev_digit = digit;
    }
    n
}
