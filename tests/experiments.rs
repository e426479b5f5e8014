//! The experiment commands as a user meets them: `backsim sweep`, `backsim
//! compare`, `--precision` and `backsim sensitivity`. Each test runs the
//! binary in a fresh temporary directory with small numbers of runs.
//!
//! What is checked: a sweep point equals `backsim run` with the same values,
//! seed and `--point`; a resumed sweep equals an uninterrupted one to the
//! byte; the paired interval of a comparison is narrower than the unpaired
//! one; adaptive precision is deterministic and stops by its rule; Morris
//! and Sobol find a parameter the model ignores and are reproducible.

use std::fs;

use backsim::experiment::metrics::metric_names;
use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{backsim, error_in, error_words, folder_bytes, ok, ok_in, ok_words, read_csv, read_json};

fn num(s: &str) -> f64 {
    s.parse().unwrap_or(f64::NAN)
}

/// Equal up to the last bit or two: serde_json's default float parsing is
/// not always correctly rounded.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs())
}

/// The largest Wilson half-width of any share in a summary.json.
fn worst_half_width(summary: &Value) -> f64 {
    let hw = |i: &Value| (i["high"].as_f64().unwrap() - i["low"].as_f64().unwrap()) / 2.0;
    let mut worst = hw(&summary["both_lose"]);
    for (_, o) in summary["outcomes"].as_object().unwrap() {
        worst = worst.max(hw(&o["episode_share"])).max(hw(&o["run_share"]));
    }
    worst
}

#[test]
fn a_sweep_point_is_a_run_with_the_same_values_seed_and_point() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    let out = ok_in(
        d,
        &[
            "sweep",
            "--vary",
            "buyer.power=0.3,0.7",
            "--vary",
            "market.alternatives=0:2:2",
            "--runs",
            "300",
            "--seed",
            "5",
            "--out",
            "sw",
        ],
    );
    assert!(out.contains("sweep over 4 points"), "{out}");
    // Point 3 is the last of the grid (the last field varies fastest).
    let run = |point: &str, out: &str| {
        ok_in(
            d,
            &[
                "run",
                "--set",
                "buyer.power=0.7",
                "--set",
                "market.alternatives=2",
                "--runs",
                "300",
                "--seed",
                "5",
                "--point",
                point,
                "--out",
                out,
                "--quiet",
                "--no-plots",
            ],
        )
    };
    run("3", "r3");
    for f in ["summary.json", "timeseries.csv"] {
        assert_eq!(
            fs::read(d.join("r3").join(f)).unwrap(),
            fs::read(d.join("sw/points/3").join(f)).unwrap(),
            "{f} of sweep point 3 differs from backsim run --point 3"
        );
    }
    // The point's index matters: the same values on point 0's streams differ.
    run("0", "r0");
    assert_ne!(
        fs::read(d.join("r0/summary.json")).unwrap(),
        fs::read(d.join("sw/points/3/summary.json")).unwrap()
    );
    // The point's resolved scenario reproduces it.
    ok_in(
        d,
        &[
            "run",
            "sw/points/3/scenario.toml",
            "--point",
            "3",
            "--out",
            "r3b",
            "--quiet",
            "--no-plots",
        ],
    );
    assert_eq!(
        fs::read(d.join("r3b/summary.json")).unwrap(),
        fs::read(d.join("sw/points/3/summary.json")).unwrap()
    );
}

#[test]
fn sweep_files_are_tidy_and_match_the_summaries() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    ok_in(
        d,
        &[
            "sweep",
            "--vary",
            "contract.form=procurement,partnership",
            "--runs",
            "200",
            "--out",
            "sw",
            "--quiet",
        ],
    );
    let (h, points) = read_csv(&d.join("sw/points.csv"));
    assert_eq!(h, vec!["point", "contract.form", "runs"]);
    assert_eq!(
        points,
        vec![vec!["0", "procurement", "200"], vec!["1", "partnership", "200"]]
    );
    let (h, rows) = read_csv(&d.join("sw/sweep.csv"));
    assert_eq!(h, vec!["point", "contract.form", "metric", "value", "low", "high"]);
    let names = metric_names();
    assert_eq!(rows.len(), 2 * names.len());
    let metrics: Vec<&str> = rows[..names.len()].iter().map(|r| r[2].as_str()).collect();
    assert_eq!(metrics, names.iter().map(String::as_str).collect::<Vec<_>>());
    // Every figure and outcome of summary.json is there, with its interval.
    let summary = read_json(&d.join("sw/points/1/summary.json"));
    let find = |m: &str| rows.iter().find(|r| r[0] == "1" && r[2] == m).unwrap().clone();
    let inv = find("involuntary_run_share");
    let s = &summary["outcomes"]["involuntary"]["run_share"];
    assert!(same(num(&inv[3]), s["estimate"].as_f64().unwrap()), "{inv:?}");
    assert!(same(num(&inv[4]), s["low"].as_f64().unwrap()), "{inv:?}");
    assert!(same(num(&inv[5]), s["high"].as_f64().unwrap()), "{inv:?}");
    for f in summary["figures"].as_object().unwrap().keys() {
        let mean = find(&format!("{f}_mean"));
        if let Some(m) = summary["figures"][f]["mean"]["estimate"].as_f64() {
            assert!(same(num(&mean[3]), m), "{f}: {mean:?} vs {m}");
        }
        find(&format!("{f}_p95"));
        find(&format!("{f}_worst_5pct_mean"));
    }
    for o in summary["outcomes"].as_object().unwrap().keys() {
        find(&format!("{o}_episode_share"));
    }
    find("both_lose_run_share");
    // The plots are drawn with the folder, and `backsim plot` redraws the same bytes.
    let drawn = fs::read(d.join("sw/sweep_outcomes.svg")).unwrap();
    fs::remove_file(d.join("sw/sweep_outcomes.svg")).unwrap();
    ok_in(d, &["plot", "sw", "--quiet"]);
    assert_eq!(drawn, fs::read(d.join("sw/sweep_outcomes.svg")).unwrap());
    assert!(d.join("sw/sweep_outcomes.png").is_file());
    // A sweep.csv cut short is refused, not drawn with points missing.
    let csv = fs::read_to_string(d.join("sw/sweep.csv")).unwrap();
    let cut: String = csv.lines().take(100).map(|l| format!("{l}\n")).collect();
    fs::write(d.join("sw/sweep.csv"), cut).unwrap();
    let e = error_in(d, &["plot", "sw"]);
    assert!(e.contains("sweep.csv has 99 rows") && e.contains("damaged"), "{e}");
}

#[test]
fn a_resumed_sweep_equals_an_uninterrupted_one() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    let args = [
        "sweep",
        "--vary",
        "buyer.power=0.2:0.8:4",
        "--runs",
        "200",
        "--seed",
        "9",
        "--out",
        "sw",
        "--quiet",
    ];
    ok_in(d, &args);
    let whole = folder_bytes(&d.join("sw"));
    assert_eq!(whole.keys().filter(|p| p.ends_with("summary.json")).count(), 4);
    // The sweep's scenario.toml says how to run it again; a point's, as a run.
    let toml = |p: &str| fs::read_to_string(d.join(p)).unwrap();
    assert!(toml("sw/scenario.toml").contains("Run it again with: backsim sweep <this file>"));
    assert!(toml("sw/points/0/scenario.toml").contains("Run it again with: backsim run <this file>"));

    // A finished folder with some points and the final files deleted.
    fs::remove_dir_all(d.join("sw/points/1")).unwrap();
    fs::remove_dir_all(d.join("sw/points/3")).unwrap();
    fs::remove_file(d.join("sw/points/2/metrics.csv")).unwrap();
    fs::remove_file(d.join("sw/sweep.csv")).unwrap();
    fs::remove_file(d.join("sw/points.csv")).unwrap();
    let mut resume = args.to_vec();
    resume.push("--resume");
    ok_in(d, &resume);
    assert!(folder_bytes(&d.join("sw")) == whole, "the resumed sweep differs");

    // An interrupted sweep: its hidden staging folder holds the finished points.
    fs::rename(d.join("sw"), d.join(".sw.partial")).unwrap();
    fs::remove_dir_all(d.join(".sw.partial/points/0")).unwrap();
    fs::remove_file(d.join(".sw.partial/sweep.csv")).unwrap();
    fs::create_dir(d.join(".sw.partial/points/.0.tmp")).unwrap();
    let e = error_in(d, &args);
    assert!(e.contains("--resume"), "{e}");
    ok_in(d, &resume);
    assert!(folder_bytes(&d.join("sw")) == whole, "the resumed sweep differs");
    assert!(!d.join(".sw.partial").exists());

    // Damaged point files (a summary overwritten, a metrics.csv cut short
    // at a line's end) are not taken as finished: those points run again.
    fs::write(d.join("sw/points/1/summary.json"), "garbage\n").unwrap();
    let metrics = fs::read_to_string(d.join("sw/points/2/metrics.csv")).unwrap();
    let cut = metrics.lines().take(20).map(|l| format!("{l}\n")).collect::<String>();
    fs::write(d.join("sw/points/2/metrics.csv"), cut).unwrap();
    ok_in(d, &resume);
    assert!(folder_bytes(&d.join("sw")) == whole, "the resumed sweep differs");
    assert!(!d.join(".sw.partial").exists());
    // Nor are whole files with a damaged line: a cell that is not a number,
    // a line with a cell more, a point's value changed. Copied into
    // sweep.csv, they made every later `plot` and `--resume` fail. A folder
    // put where sweep.csv goes is replaced.
    let edit = |k: usize, from: &str, to: &str| {
        let path = d.join(format!("sw/points/{k}/metrics.csv"));
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{k}: {from}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(0, ",involuntary_run_share,", ",involuntary_run_share,x");
    edit(1, ",involuntary_run_share,", ",involuntary_run_share,0.5,");
    edit(2, "\n2,0.6,", "\n2,0.7,");
    fs::remove_file(d.join("sw/sweep.csv")).unwrap();
    fs::create_dir(d.join("sw/sweep.csv")).unwrap();
    let loud: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| *a != "--quiet")
        .chain(["--resume"])
        .collect();
    let out = ok_in(d, &loud);
    assert!(out.contains("results in sw"), "{out}");
    assert!(folder_bytes(&d.join("sw")) == whole, "the resumed sweep differs");
    assert!(!d.join(".sw.partial").exists());

    // Resuming with other settings is refused, and nothing is lost.
    let mut other = resume.clone();
    other[4] = "300";
    let e = error_in(d, &other);
    assert!(e.contains("different sweep") && e.contains("differs in `runs`"), "{e}");
    assert!(folder_bytes(&d.join("sw")) == whole);
    // A scenario.toml changed only in a comment says so.
    let manifest = fs::read_to_string(d.join("sw/scenario.toml")).unwrap();
    fs::write(d.join("sw/scenario.toml"), format!("# a note\n{manifest}")).unwrap();
    let e = error_in(d, &resume);
    assert!(e.contains("differs in its text (comments or layout)"), "{e}");
    fs::write(d.join("sw/scenario.toml"), manifest).unwrap();
    // So is resuming into the folder of a run, which says what it is.
    ok_in(d, &["run", "--runs", "50", "--out", "r", "--quiet"]);
    let mut into_run = resume.clone();
    into_run[8] = "r";
    let e = error_in(d, &into_run);
    assert!(e.contains("it is not a sweep's folder"), "{e}");
}

#[test]
fn latin_hypercube_is_seeded_and_stratified() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    let lhs = |seed: &str, out: &str| {
        ok_in(
            d,
            &[
                "sweep",
                "--lhs",
                "8",
                "--vary",
                "buyer.power=0.2:0.6",
                "--vary",
                "market.alternatives=0:4",
                "--runs",
                "50",
                "--seed",
                seed,
                "--out",
                out,
                "--quiet",
            ],
        );
        read_csv(&d.join(out).join("points.csv")).1
    };
    let a = lhs("1", "a");
    assert_eq!(a.len(), 8);
    let mut strata: Vec<usize> = a.iter().map(|r| ((num(&r[1]) - 0.2) / 0.05).floor() as usize).collect();
    strata.sort();
    assert_eq!(strata, (0..8).collect::<Vec<_>>(), "one point per stratum");
    assert!(a.iter().all(|r| r[2].parse::<u32>().is_ok_and(|x| x <= 4)), "{a:?}");
    assert_eq!(lhs("1", "b"), a);
    assert_ne!(lhs("2", "c"), a);
}

#[test]
fn a_sweep_table_in_the_scenario_file() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    fs::write(
        d.join("s.toml"),
        r#"name = "table"
[sweep]
runs = 100
vary = [
  { path = "buyer.power", values = [0.2, 0.8] },
  "market.alternatives=0:2:2",
]
"#,
    )
    .unwrap();
    ok_in(d, &["sweep", "s.toml", "--out", "sw", "--quiet"]);
    assert_eq!(read_csv(&d.join("sw/points.csv")).1.len(), 4);
    // The resolved file (with its [sweep] table) reproduces the sweep.
    ok_in(d, &["sweep", "sw/scenario.toml", "--out", "again", "--quiet"]);
    assert!(folder_bytes(&d.join("sw")) == folder_bytes(&d.join("again")));
    // --vary replaces the table's list; a plain run ignores the table.
    ok_in(
        d,
        &[
            "sweep",
            "s.toml",
            "--vary",
            "buyer.power=0.5",
            "--out",
            "one",
            "--quiet",
        ],
    );
    assert_eq!(read_csv(&d.join("one/points.csv")).1, vec![vec!["0", "0.5", "100"]]);
    ok_in(
        d,
        &["run", "s.toml", "--runs", "50", "--out", "run", "--quiet", "--no-plots"],
    );
    // A typo in the table is an error naming the file and the field.
    fs::write(d.join("bad.toml"), "[sweep]\nvary = [\"buyer.powr=0,1\"]\n").unwrap();
    let e = error_in(d, &["run", "bad.toml", "--quiet"]);
    assert!(
        e.contains("bad.toml") && e.contains("sweep.vary.0") && e.contains("power"),
        "{e}"
    );
}

#[test]
fn sweep_errors_name_the_problem_and_write_nothing() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    let e = error_in(d, &["sweep", "--vary", "buyer.power=0:2:3", "--out", "x"]);
    assert!(e.contains("buyer.power") && e.contains("from 0 to 1"), "{e}");
    let e = error_in(
        d,
        &["sweep", "--vary", "market.alternatives=0,1", "--lhs", "4", "--out", "x"],
    );
    assert!(e.contains("Latin hypercube"), "{e}");
    // A whole-number field's hypercube range ends on whole numbers (a point
    // of 2.5 used to fail half-way, blamed on --set).
    let e = error_in(
        d,
        &[
            "sweep",
            "--vary",
            "market.alternatives=0.5:3.5",
            "--lhs",
            "8",
            "--out",
            "x",
        ],
    );
    assert!(
        e.contains("market.alternatives") && e.contains("whole-number lo and hi") && !e.contains("--set"),
        "{e}"
    );
    // A field set and varied at once is refused (the varied values won).
    let e = error_in(
        d,
        &[
            "sweep",
            "--set",
            "buyer.power=0.3",
            "--vary",
            "buyer.power=0.1,0.2",
            "--out",
            "x",
        ],
    );
    assert!(e.contains("both set (--set buyer.power=0.3) and varied"), "{e}");
    // An empty [sweep] table names its file.
    fs::write(d.join("empty.toml"), "[sweep]\nvary = []\n").unwrap();
    let e = error_in(d, &["sweep", "empty.toml", "--out", "x"]);
    assert!(e.contains("empty.toml") && e.contains("`sweep.vary` is empty"), "{e}");
    fs::remove_file(d.join("empty.toml")).unwrap();
    // The number of runs and the point are the sweep's own.
    for v in ["runs=1,2", "point=5,6"] {
        let e = error_in(d, &["sweep", "--vary", v, "--out", "x"]);
        assert!(e.contains("cannot be varied"), "{e}");
    }
    let e = error_in(d, &["sweep", "--out", "x"]);
    assert!(e.contains("--vary"), "{e}");
    let e = error_in(d, &["sweep", "--vary", "provider.capability=0.5,lots", "--out", "x"]);
    assert!(e.contains("sweep point 1") && e.contains("provider.capability"), "{e}");
    assert!(e.contains("--vary: `provider.capability`"), "blamed on --vary: {e}");
    assert_eq!(fs::read_dir(d).unwrap().count(), 0, "nothing is written");
}

#[test]
fn paired_comparison_of_a_case_pair_beats_unpaired_runs() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    let out = ok_in(
        d,
        &[
            "compare",
            "iop-partnership",
            "iop-as-procurement",
            "--runs",
            "1000",
            "--out",
            "c",
        ],
    );
    assert!(
        out.contains("A: iop-partnership") && out.contains("B: iop-as-procurement"),
        "{out}"
    );
    let (h, rows) = read_csv(&d.join("c/compare.csv"));
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let row = |m: &str| rows.iter().find(|r| r[0] == m).unwrap().clone();
    for m in ["involuntary_run_share", "total_cost_mean", "excess_cost_mean"] {
        let r = row(m);
        let paired = num(&r[col("difference_high")]) - num(&r[col("difference_low")]);
        let unpaired = num(&r[col("unpaired_high")]) - num(&r[col("unpaired_low")]);
        assert!(
            paired < unpaired,
            "{m}: paired {paired} is not narrower than unpaired {unpaired}"
        );
        assert!(num(&r[col("variance_reduction")]) > 0.1, "{m}: {r:?}");
        // The difference is B - A.
        let diff = num(&r[col("b")]) - num(&r[col("a")]);
        assert!((num(&r[col("difference")]) - diff).abs() < 1e-6, "{m}");
    }
    // Each side is exactly `backsim run` of that design.
    ok_in(
        d,
        &[
            "run",
            "iop-as-procurement",
            "--runs",
            "1000",
            "--seed",
            "1",
            "--out",
            "b",
            "--quiet",
            "--no-plots",
        ],
    );
    assert_eq!(
        fs::read(d.join("b/summary.json")).unwrap(),
        fs::read(d.join("c/summary_b.json")).unwrap()
    );
}

#[test]
fn compare_one_scenario_with_set_b() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    ok_in(
        d,
        &[
            "compare",
            "default",
            "--set-b",
            "contract.sanction_rate=0.3",
            "--runs",
            "400",
            "--seed",
            "3",
            "--out",
            "c",
            "--quiet",
        ],
    );
    let (h, rows) = read_csv(&d.join("c/compare.csv"));
    assert_eq!(h[..4], ["metric", "a", "a_low", "a_high"]);
    assert_eq!(rows.len(), backsim::experiment::compare::paired_metric_names().len());
    ok_in(
        d,
        &[
            "run",
            "--set",
            "contract.sanction_rate=0.3",
            "--runs",
            "400",
            "--seed",
            "3",
            "--out",
            "b",
            "--quiet",
            "--no-plots",
        ],
    );
    assert_eq!(
        fs::read(d.join("b/summary.json")).unwrap(),
        fs::read(d.join("c/summary_b.json")).unwrap()
    );
    assert!(d.join("c/compare.png").is_file() && d.join("c/compare.svg").is_file());
    // Costs are in the scenario's currency, not a placeholder.
    let costs = fs::read_to_string(d.join("c/compare_costs.svg")).unwrap();
    assert!(costs.contains("B − A (MSEK)"), "{costs}");
    // A compare.csv cut short is refused, not drawn.
    let csv = fs::read_to_string(d.join("c/compare.csv")).unwrap();
    let cut: String = csv.lines().take(5).map(|l| format!("{l}\n")).collect();
    fs::write(d.join("c/compare.csv"), cut).unwrap();
    let e = error_in(d, &["plot", "c"]);
    assert!(e.contains("compare.csv has 4 rows") && e.contains("damaged"), "{e}");
    // An error says which design and which option it is in.
    let e = error_in(d, &["compare", "default", "--set-b", "buyer.powr=0.3", "--out", "h"]);
    assert!(
        e.starts_with("error: design B: --set-b: ") && e.contains("power"),
        "{e}"
    );
    let e = error_in(d, &["compare", "default", "--set-a", "buyer.power=3", "--out", "h"]);
    assert!(
        e.starts_with("error: design A: --set-a: ") && e.contains("from 0 to 1"),
        "{e}"
    );
    let e = error_in(d, &["compare", "default", "--set-b", "buyer.power", "--out", "h"]);
    assert!(
        e.starts_with("error: design B: --set-b: ") && e.contains("PATH=VALUE"),
        "{e}"
    );
    // A later option wins: the error is blamed on the one whose value is used.
    let e = error_words(d, "compare default --set buyer.power=0.2 --set-b buyer.power=3 --out h");
    assert!(e.starts_with("error: design B: --set-b: "), "{e}");
    let e = error_words(d, "compare default --set buyer.power=3 --set-b buyer.power=0.3 --out h");
    assert!(e.starts_with("error: design A: --set: "), "{e}");
    // Designs of other horizons are not compared (totals are sums over it).
    let e = error_in(d, &["compare", "default", "--set-b", "time.periods=10", "--out", "h"]);
    assert!(
        e.contains("same horizon") && e.contains("40 quarters, B 10 quarters"),
        "{e}"
    );
    let e = error_in(d, &["compare", "default", "--out", "same"]);
    assert!(e.contains("same design"), "{e}");
}

#[test]
fn precision_is_deterministic_and_stops_by_its_rule() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    let go = |threads: &str, out: &str| {
        let stdout = ok_in(
            d,
            &[
                "run",
                "--precision",
                "0.02",
                "--batch",
                "500",
                "--threads",
                threads,
                "--out",
                out,
                "--no-plots",
            ],
        );
        assert!(stdout.contains("precision: every outcome share within"), "{stdout}");
    };
    go("1", "p1");
    go("2", "p2");
    assert!(
        folder_bytes(&d.join("p1")) == folder_bytes(&d.join("p2")),
        "--precision depends on threads"
    );
    let summary = read_json(&d.join("p1/summary.json"));
    let n = summary["runs"].as_u64().unwrap();
    assert!(n % 500 == 0 && n > 500, "{n} runs");
    assert!(worst_half_width(&summary) <= 0.02);
    // One batch fewer was not precise enough; and the result is a plain run of n.
    let fewer = (n - 500).to_string();
    ok_in(d, &["run", "--runs", &fewer, "--out", "fewer", "--quiet", "--no-plots"]);
    assert!(worst_half_width(&read_json(&d.join("fewer/summary.json"))) > 0.02);
    let all = n.to_string();
    ok_in(d, &["run", "--runs", &all, "--out", "plain", "--quiet", "--no-plots"]);
    assert_eq!(
        fs::read(d.join("plain/summary.json")).unwrap(),
        fs::read(d.join("p1/summary.json")).unwrap()
    );
    // --max-runs caps it.
    ok_in(
        d,
        &[
            "run",
            "--precision",
            "0.001",
            "--batch",
            "300",
            "--max-runs",
            "700",
            "--out",
            "cap",
            "--quiet",
            "--no-plots",
        ],
    );
    assert_eq!(read_json(&d.join("cap/summary.json"))["runs"], 700);
    let e = error_in(d, &["run", "--precision", "0.02", "--runs", "100"]);
    assert!(e.contains("--runs") && e.contains("--precision"), "{e}");
    error_in(d, &["run", "--max-runs", "100"]);
}

#[test]
fn precision_in_sweeps_and_comparisons() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    ok_in(
        d,
        &[
            "sweep",
            "--vary",
            "buyer.power=0.2,0.8",
            "--precision",
            "0.03",
            "--batch",
            "200",
            "--out",
            "sw",
            "--quiet",
        ],
    );
    for (k, row) in read_csv(&d.join("sw/points.csv")).1.iter().enumerate() {
        let runs: u64 = row[2].parse().unwrap();
        assert_eq!(runs % 200, 0);
        let s = read_json(&d.join(format!("sw/points/{k}/summary.json")));
        assert_eq!(s["runs"].as_u64().unwrap(), runs);
        assert!(worst_half_width(&s) <= 0.03);
    }
    ok_in(
        d,
        &[
            "compare",
            "default",
            "--set-b",
            "buyer.power=0.3",
            "--precision",
            "0.04",
            "--batch",
            "250",
            "--out",
            "c",
            "--quiet",
        ],
    );
    let (h, rows) = read_csv(&d.join("c/compare.csv"));
    let pairs: u64 = rows[0][h.iter().position(|x| x == "pairs").unwrap()].parse().unwrap();
    assert_eq!(pairs % 250, 0);
    for side in ["a", "b"] {
        assert!(worst_half_width(&read_json(&d.join(format!("c/summary_{side}.json")))) <= 0.04);
    }
    for r in rows.iter().filter(|r| r[0].ends_with("_share")) {
        let (lo, hi) = (num(&r[8]), num(&r[9]));
        assert!((hi - lo) / 2.0 <= 0.04 + 1e-12, "{r:?}");
    }
}

#[test]
fn morris_screening_finds_what_matters_and_what_does_not() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    ok_in(
        d,
        &[
            "sensitivity",
            "--method",
            "morris",
            "--params",
            "buyer.power,market.alternatives,contract.co_financing",
            "--ranges",
            "market.alternatives=0:4",
            "--samples",
            "6",
            "--runs",
            "300",
            "--out",
            "m",
            "--quiet",
        ],
    );
    let (h, rows) = read_csv(&d.join("m/sensitivity.csv"));
    assert_eq!(h, vec!["metric", "parameter", "index", "value", "low", "high"]);
    assert_eq!(rows.len(), 4 * 3 * 3);
    let get = |m: &str, p: &str, i: &str| {
        rows.iter()
            .find(|r| r[0] == m && r[1] == p && r[2] == i)
            .map(|r| (num(&r[3]), num(&r[4]), num(&r[5])))
            .unwrap()
    };
    // Co-financing only matters in a partnership: under procurement, on
    // common random numbers, it has no effect at all.
    for m in [
        "involuntary_run_share",
        "initiated_run_share",
        "backsourcing_run_share",
        "excess_cost_mean",
    ] {
        assert_eq!(get(m, "contract.co_financing", "mu_star"), (0.0, 0.0, 0.0), "{m}");
    }
    let power = get("backsourcing_run_share", "buyer.power", "mu_star");
    assert!(power.1 > 0.0, "buyer power matters: {power:?}");
    // Every sample is `backsim run` with its values on point 0.
    let (sh, samples) = read_csv(&d.join("m/samples.csv"));
    assert_eq!(samples.len(), 6 * 4);
    let s0 = &samples[0];
    let sets: Vec<String> = (1..=3).map(|i| format!("{}={}", sh[i], s0[i])).collect();
    let mut args = vec!["run", "--runs", "300", "--out", "s0", "--quiet", "--no-plots"];
    for s in &sets {
        args.extend(["--set", s.as_str()]);
    }
    ok_in(d, &args);
    let summary = read_json(&d.join("s0/summary.json"));
    let col = sh.iter().position(|x| x == "involuntary_run_share").unwrap();
    assert_eq!(
        num(&s0[col]),
        summary["outcomes"]["involuntary"]["run_share"]["estimate"]
            .as_f64()
            .unwrap()
    );
}

/// An output undefined at some samples (the mean period of the first
/// backsourcing where no run has one) has no index and no interval, in
/// both methods, and the table says why. Its bootstrap interval used to come
/// from the few replicates that left those samples out, next to an empty
/// estimate.
#[test]
fn an_output_undefined_at_some_samples_gets_no_index() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    for (method, samples) in [("morris", "20"), ("sobol", "64")] {
        let out = ok_in(
            d,
            &[
                "sensitivity",
                "--method",
                method,
                "--params",
                "buyer.power,contract.sanction_rate,trust.loss",
                "--outputs",
                "first_backsourcing_period_mean,involuntary_run_share",
                "--samples",
                samples,
                "--runs",
                "3",
                "--seed",
                "4",
                "--bootstrap",
                "200",
                "--no-plots",
                "--out",
                method,
            ],
        );
        let (_, rows) = read_csv(&d.join(method).join("sensitivity.csv"));
        let (undefined, defined): (Vec<_>, Vec<_>) =
            rows.iter().partition(|r| r[0] == "first_backsourcing_period_mean");
        assert!(!undefined.is_empty() && !defined.is_empty());
        for r in &undefined {
            assert_eq!(&r[3..6], ["", "", ""], "{method}: {r:?}");
        }
        // The other output is estimated, with intervals.
        assert!(defined.iter().all(|r| !r[3].is_empty()), "{method}");
        assert!(defined.iter().any(|r| !r[4].is_empty() && !r[5].is_empty()), "{method}");
        let (sh, srows) = read_csv(&d.join(method).join("samples.csv"));
        let col = sh.iter().position(|x| x == "first_backsourcing_period_mean").unwrap();
        let empty = srows.iter().filter(|r| r[col].is_empty()).count();
        assert!(empty > 0 && empty < srows.len(), "{method}: {empty} undefined samples");
        assert!(
            out.contains(&format!(
                "note: first_backsourcing_period_mean is undefined at {empty} of {} samples",
                srows.len()
            )),
            "{method}: {out}"
        );
        assert!(!out.contains("note: involuntary_run_share"), "{method}: {out}");
    }
}

#[test]
fn sobol_indices_are_reproducible_on_any_number_of_threads() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    let go = |threads: &str, out: &str| {
        ok_in(
            d,
            &[
                "sensitivity",
                "--method",
                "sobol",
                "--params",
                "buyer.power,contract.co_financing",
                "--outputs",
                "involuntary_run_share,excess_cost_mean",
                "--samples",
                "16",
                "--runs",
                "60",
                "--bootstrap",
                "200",
                "--threads",
                threads,
                "--out",
                out,
                "--quiet",
            ],
        );
        fs::read(d.join(out).join("sensitivity.csv")).unwrap()
    };
    let one = go("1", "s1");
    assert_eq!(one, go("2", "s2"));
    let (_, rows) = read_csv(&d.join("s1/sensitivity.csv"));
    assert_eq!(rows.len(), 2 * 2 * 2);
    assert_eq!(read_csv(&d.join("s1/samples.csv")).1.len(), 16 * 4);
    for r in rows.iter().filter(|r| r[1] == "contract.co_financing") {
        assert_eq!(num(&r[3]), 0.0, "{r:?}");
    }
    // Plots are drawn into the folder unless --no-plots.
    assert!(d.join("s1/sensitivity.png").is_file() && d.join("s1/sensitivity.svg").is_file());
    // A field whose scenario value is 0 has no default range to vary over.
    let e = error_in(d, &["sensitivity", "--method", "sobol", "--params", "demand.trend"]);
    assert!(e.contains("--ranges demand.trend=") && e.contains("-0.5 to 1"), "{e}");
    // A whole-number field is varied between whole numbers (0.6:1.4 would
    // round every point to 1: no effect to measure).
    let e = error_in(
        d,
        &[
            "sensitivity",
            "--method",
            "morris",
            "--params",
            "buyer.power,market.alternatives",
            "--ranges",
            "market.alternatives=0.6:1.4",
        ],
    );
    assert!(
        e.contains("is a whole number") && e.contains("whole-number LO below HI"),
        "{e}"
    );
    // Each output once (its rows would be written twice).
    let e = error_in(
        d,
        &[
            "sensitivity",
            "--method",
            "morris",
            "--params",
            "buyer.power",
            "--outputs",
            "involuntary_run_share,involuntary_run_share",
        ],
    );
    assert!(e.contains("given twice"), "{e}");
    // A field both set and varied: the samples' values would silently win.
    let e = error_words(
        d,
        "sensitivity --method morris --params buyer.power --set buyer.power=0.3",
    );
    assert!(
        e.contains("`buyer.power` is both set (--set buyer.power=0.3) and in --params"),
        "{e}"
    );
}

#[test]
fn default_sensitivity_ranges_are_plausible_not_the_validity_bounds() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    ok_in(
        d,
        &[
            "sensitivity",
            "--method",
            "morris",
            "--params",
            "buyer.power,contract.price,market.alternatives",
            "--samples",
            "4",
            "--runs",
            "20",
            "--bootstrap",
            "100",
            "--out",
            "r",
            "--quiet",
            "--no-plots",
        ],
    );
    let (h, samples) = read_csv(&d.join("r/samples.csv"));
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let range = |name: &str| {
        let v: Vec<f64> = samples.iter().map(|r| num(&r[col(name)])).collect();
        (
            v.iter().cloned().fold(f64::INFINITY, f64::min),
            v.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
        )
    };
    // The default scenario: price 0.25, 2 alternatives, power 0.5; a share
    // varies over 0 to 1, any other field over half to 1.5 times its value.
    let (lo, hi) = range("buyer.power");
    assert!(lo >= 0.0 && hi <= 1.0 && hi - lo > 0.3, "{lo} {hi}");
    let (lo, hi) = range("contract.price");
    assert!(lo >= 0.125 - 1e-12 && hi <= 0.375 + 1e-12 && hi > lo, "{lo} {hi}");
    let (lo, hi) = range("market.alternatives");
    assert!(lo >= 1.0 && hi <= 3.0 && hi > lo, "{lo} {hi}");
    assert!(!d.join("r/sensitivity.png").exists(), "--no-plots draws nothing");
}

/// One group's field is reached by its number (`provider.groups.1.count`)
/// in `--set`, `--vary` and `--params`, and a sweep point with it is the
/// run with that `--set`.
#[test]
fn one_group_is_set_swept_and_screened_by_its_number() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    fs::write(
        d.join("g.toml"),
        "name = \"groups\"\n\n[[provider.groups]]\nname = \"chain\"\ncount = 2\nunit_cost = { dist = \"uniform\", min = 0.8, max = 1.0, per = \"agent\" }\n\n[[provider.groups]]\nname = \"local\"\ncount = 3\n",
    )
    .unwrap();
    let common = ["--runs", "60", "--seed", "4", "--quiet", "--no-plots"];
    fn with<'a>(args: &[&'a str], common: &[&'a str]) -> Vec<&'a str> {
        [args, common].concat()
    }
    ok_in(
        d,
        &with(
            &[
                "sweep",
                "g.toml",
                "--vary",
                "provider.groups.1.count=1,4",
                "--out",
                "sw",
            ],
            &common,
        ),
    );
    // discover names the group by its name too.
    let found = ok_in(d, &["discover", "sw", "--above", "-1"]);
    assert!(
        found.contains("Varied: provider.groups.1.count (local) (1 to 4)."),
        "{found}"
    );
    // Its plots name the group.
    ok_in(d, &["plot", "sw", "--quiet"]);
    let svg = fs::read_to_string(d.join("sw/sweep_outcomes.svg")).unwrap();
    assert!(
        svg.contains("Outcome shares against provider.groups.1.count (local)"),
        "the group's name in the title"
    );
    let point: toml::Table = toml::from_str(&fs::read_to_string(d.join("sw/points/1/scenario.toml")).unwrap()).unwrap();
    let groups = point["provider"]["groups"].as_array().unwrap();
    assert_eq!(groups[0]["count"].as_integer(), Some(2));
    assert_eq!(groups[1]["count"].as_integer(), Some(4));
    ok_in(
        d,
        &with(
            &[
                "run",
                "g.toml",
                "--set",
                "provider.groups.1.count=4",
                "--point",
                "1",
                "--out",
                "r",
            ],
            &common,
        ),
    );
    assert_eq!(
        fs::read(d.join("r/summary.json")).unwrap(),
        fs::read(d.join("sw/points/1/summary.json")).unwrap(),
        "sweep point 1 differs from the run with its --set"
    );
    // The group's own distribution gives the default range, not [provider]'s value.
    ok_in(
        d,
        &[
            "sensitivity",
            "g.toml",
            "--method",
            "morris",
            "--params",
            "provider.groups.0.unit_cost,provider.groups.1.capability",
            "--samples",
            "4",
            "--runs",
            "20",
            "--bootstrap",
            "100",
            "--out",
            "se",
            "--quiet",
            "--no-plots",
        ],
    );
    let (h, samples) = read_csv(&d.join("se/samples.csv"));
    let col = h.iter().position(|x| x == "provider.groups.0.unit_cost").unwrap();
    let v: Vec<f64> = samples.iter().map(|r| num(&r[col])).collect();
    assert!(v.iter().all(|x| (0.8..=1.0).contains(x)), "{v:?}");
    assert!(v.contains(&0.8) || v.contains(&1.0), "{v:?}");
    assert!(h.contains(&"provider.groups.1.capability".to_string()), "{h:?}");
    // Its plots name each group under its path.
    ok_in(d, &["plot", "se", "--quiet"]);
    let svg = fs::read_to_string(d.join("se/sensitivity.svg")).unwrap();
    for label in [
        "provider.groups.0.unit_cost",
        "(chain)",
        "provider.groups.1.capability",
        "(local)",
    ] {
        assert!(svg.contains(&format!("\n{label}\n")), "{label} labels a bar");
    }
}

/// A scheduled shock's fields are parameters of a sensitivity analysis
/// (`demand.shocks.K.FIELD`): a sample is the run with its `--set`, the
/// surge's size drives the refugee-housing excess cost, and the plot names
/// the shock. A negative value has a default range too.
#[test]
fn scheduled_shocks_are_sensitivity_parameters() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    ok_in(
        d,
        &[
            "sensitivity",
            "refugee-housing",
            "--method",
            "morris",
            "--params",
            "demand.shocks.0.size,demand.shocks.0.start,demand.shocks.1.size",
            "--outputs",
            "excess_cost_mean",
            "--samples",
            "4",
            "--runs",
            "200",
            "--bootstrap",
            "200",
            "--out",
            "s",
            "--quiet",
        ],
    );
    let (h, samples) = read_csv(&d.join("s/samples.csv"));
    let values = |name: &str| -> Vec<f64> {
        let col = h.iter().position(|x| x == name).unwrap();
        samples.iter().map(|r| num(&r[col])).collect()
    };
    // Default ranges: half to one and a half times the scenario's value
    // (surge 2.5 from period 8; collapse -0.35), whole periods for `start`.
    for (name, lo, hi) in [
        ("demand.shocks.0.size", 1.25, 3.75),
        ("demand.shocks.0.start", 4.0, 12.0),
        ("demand.shocks.1.size", -0.525, -0.175),
    ] {
        let v = values(name);
        let (min, max) = v
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
        // Each Morris trajectory (4 levels) takes a parameter to an end.
        assert!(min >= lo - 1e-12 && max <= hi + 1e-12, "{name}: {min} to {max}");
        assert!(same(min, lo) || same(max, hi), "{name}: {min} to {max}");
    }
    assert!(values("demand.shocks.0.start").iter().all(|x| x.fract() == 0.0));
    // A larger, earlier surge costs the buyers more: its effect is above zero
    // with its whole interval.
    let (_, rows) = read_csv(&d.join("s/sensitivity.csv"));
    let mu = rows
        .iter()
        .find(|r| r[1] == "demand.shocks.0.size" && r[2] == "mu")
        .unwrap();
    assert!(num(&mu[4]) > 0.0, "the surge's size raises the excess cost: {mu:?}");
    // Every sample is `backsim run` with its values set.
    let s0 = &samples[0];
    let mut args = vec![
        "run",
        "refugee-housing",
        "--runs",
        "200",
        "--out",
        "r",
        "--quiet",
        "--no-plots",
    ];
    let sets: Vec<String> = (1..=3).map(|i| format!("{}={}", h[i], s0[i])).collect();
    for s in &sets {
        args.extend(["--set", s.as_str()]);
    }
    ok_in(d, &args);
    let col = h.iter().position(|x| x == "excess_cost_mean").unwrap();
    let summary = read_json(&d.join("r/summary.json"));
    assert_eq!(
        num(&s0[col]),
        summary["figures"]["excess_cost"]["mean"]["estimate"].as_f64().unwrap()
    );
    // The plot names the shock under its path.
    let svg = fs::read_to_string(d.join("s/sensitivity.svg")).unwrap();
    assert!(
        svg.contains("\n(2015 autumn surge)\n"),
        "the shock's name labels its bar"
    );
    // A negative fixed value varies from 1.5 to 0.5 times itself.
    ok_words(
        d,
        "sensitivity iop-partnership --method morris --params demand.trend --samples 2 --runs 5 --bootstrap 100 --out n --quiet --no-plots",
    );
    let (_, rows) = read_csv(&d.join("n/samples.csv"));
    let v: Vec<f64> = rows.iter().map(|r| num(&r[1])).collect();
    assert!(v.iter().all(|x| (-0.03 - 1e-12..=-0.01 + 1e-12).contains(x)), "{v:?}");
    // A duration range reaching past the horizon (the surge starts in period
    // 8 of 48) is noted with the samples it affects; one within it is not.
    let line = "sensitivity refugee-housing --method morris --params demand.shocks.0.duration --samples 3 --runs 5 --bootstrap 100 --no-plots --force --out du --ranges demand.shocks.0.duration=";
    let words = |line: &str| line.split_whitespace().map(String::from).collect::<Vec<_>>();
    let err = ok(backsim(d).args(words(&format!("{line}30:48")))).stderr;
    let (_, rows) = read_csv(&d.join("du/samples.csv"));
    let beyond = rows.iter().filter(|r| num(&r[1]) > 40.0).count();
    assert!(beyond > 0, "some sample's duration is beyond 40: {rows:?}");
    let note = format!(
        "note: in {beyond} of {} samples demand.shocks.0.duration outlasts the horizon of 48 periods",
        rows.len()
    );
    assert!(err.contains(&note), "{err}");
    assert!(err.contains("keep it at most 40 (the scenario's start is 8)"), "{err}");
    let err = ok(backsim(d).args(words(&format!("{line}30:40")))).stderr;
    assert!(!err.contains("outlasts"), "{err}");
    // With the start varied too, the advice is about both.
    let err = ok(backsim(d).args(words(
        "sensitivity refugee-housing --method morris --params demand.shocks.0.start,demand.shocks.0.duration --samples 3 --runs 5 --bootstrap 100 --no-plots --force --out du --ranges demand.shocks.0.duration=10:30,demand.shocks.0.start=8:30",
    )))
    .stderr;
    assert!(err.contains("keep the start plus the duration within 48"), "{err}");
    // Bad shock parameters: one line naming what is allowed, nothing written.
    for (params, ranges, wanted) in [
        (
            "demand.shocks.2.size",
            "",
            "`2` is not one of the scenario's scheduled shocks; allowed: 0 (2015 autumn surge), 1 (collapse after border controls)",
        ),
        (
            "demand.shocks.0.name",
            "",
            "`demand.shocks.0.name` is not a number field of a shock; allowed: start, duration, size, budget",
        ),
        ("demand.shocks.0.sise", "", "(did you mean `size`?)"),
        (
            "demand.shocks.1.duration",
            "",
            "the shock has no `duration` (it lasts to the horizon)",
        ),
        (
            "demand.shocks.1.budget",
            "",
            "--ranges demand.shocks.1.budget=LO:HI (allowed: a number above -1 and at most 1000)",
        ),
        (
            "demand.shocks.1.size",
            "demand.shocks.1.size=-1:0",
            "allowed: LO below HI, both a number above -1 and at most 1000",
        ),
        (
            "demand.shocks.1.start",
            "demand.shocks.1.start=10:48",
            "both a whole number from 0 to 47",
        ),
        (
            "demand.shocks.0.duration",
            "demand.shocks.0.duration=2.5:6",
            "is a whole number; allowed: whole-number LO below HI, both a whole number from 1 to 48",
        ),
    ] {
        let mut args = vec![
            "sensitivity",
            "refugee-housing",
            "--method",
            "morris",
            "--params",
            params,
            "--out",
            "bad",
        ];
        if !ranges.is_empty() {
            args.extend(["--ranges", ranges]);
        }
        let e = error_in(d, &args);
        assert!(e.contains(wanted), "{params} {ranges}: {e}");
        assert!(!d.join("bad").exists(), "{params}: nothing is written");
    }
    let e = error_words(d, "sensitivity --method morris --params demand.shocks.0.size");
    assert!(
        e.contains("the scenario has no scheduled shocks; allowed: a shock of the file"),
        "{e}"
    );
    // A drop of two thirds or more has no default range (1.5 times it is -1
    // or below); a duration beyond the horizon has none either; an unnamed
    // shock is listed by its number alone; a range given twice is refused.
    fs::write(
        d.join("drops.toml"),
        "[time]\nperiods = 20\n\n[demand]\nshocks = [{ start = 4, duration = 50, size = -0.7 }, { start = 2, size = 1.0 }]\n",
    )
    .unwrap();
    for (args, wanted) in [
        (
            "--params demand.shocks.0.size",
            "one and a half times the scenario's value is -1.05, not above -1; give one with --ranges demand.shocks.0.size=LO:HI",
        ),
        (
            "--params demand.shocks.0.duration",
            "the scenario's value, 50, lies outside the values a range may take; give one with --ranges demand.shocks.0.duration=LO:HI (allowed: a whole number from 1 to 20)",
        ),
        ("--params demand.shocks.2.size", "allowed: 0, 1"),
        (
            "--params demand.shocks",
            "vary one shock's field: demand.shocks.K.FIELD",
        ),
        ("--params demand.shocks.1", "allowed: demand.shocks.1.FIELD"),
        (
            "--params demand.shocks.1.size --ranges demand.shocks.1.size=0:1,demand.shocks.1.size=1:2",
            "`demand.shocks.1.size` is given twice",
        ),
    ] {
        let e = error_words(d, &format!("sensitivity drops.toml --method morris {args} --out bad"));
        assert!(e.contains(wanted), "{args}: {e}");
        assert!(!d.join("bad").exists(), "{args}: nothing is written");
    }
    // The plot labels an unnamed shock by its path alone, not "(shock 2)".
    ok_words(
        d,
        "sensitivity drops.toml --method morris --params demand.shocks.1.size --samples 2 --runs 5 --bootstrap 100 --out unnamed --quiet",
    );
    let svg = fs::read_to_string(d.join("unnamed/sensitivity.svg")).unwrap();
    assert!(
        svg.contains("\ndemand.shocks.1.size\n") && !svg.contains("(shock"),
        "an unnamed shock's label"
    );
    // A sample the scenario refuses says how to keep it out.
    fs::write(d.join("fall.toml"), "[demand]\ntrend = -0.3\n").unwrap();
    let e = error_words(
        d,
        "sensitivity fall.toml --method morris --samples 2 --levels 2 --params demand.trend --out bad",
    );
    assert!(
        e.starts_with("error: sample 0 (demand.trend=") && e.contains("narrower --ranges keep such samples out"),
        "{e}"
    );
}

/// `backsim plot --metric` redraws a folder's plots for another metric and
/// leaves no plot of the earlier choice behind: the folder's plots stay one
/// consistent set.
#[test]
fn plot_with_another_metric_leaves_no_stale_plot() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    let pngs = |dir: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".png") || n.ends_with(".svg"))
            .collect();
        v.sort();
        v
    };
    ok_in(
        d,
        &[
            "sensitivity",
            "--method",
            "morris",
            "--params",
            "buyer.power,trust.loss",
            "--samples",
            "4",
            "--runs",
            "50",
            "--out",
            "s",
            "--quiet",
        ],
    );
    let first = pngs("s");
    assert!(
        first.contains(&"sensitivity_excess_cost_mean.png".to_string()),
        "{first:?}"
    );
    let out = ok_in(d, &["plot", "s", "--metric", "excess_cost_mean"]);
    let after = pngs("s");
    assert_eq!(after.len(), first.len(), "{after:?}");
    assert!(
        !after.contains(&"sensitivity_excess_cost_mean.png".to_string()),
        "{after:?}"
    );
    assert!(
        after.contains(&"sensitivity_involuntary_run_share.png".to_string()),
        "{after:?}"
    );
    assert!(out.contains("removed the old"), "{out}");
    // A file of the user's own with a plot-like name stays.
    std::fs::write(d.join("s/sensitivity_notes.svg"), "<svg/>").unwrap();
    ok_in(d, &["plot", "s", "--quiet"]);
    assert!(d.join("s/sensitivity_notes.svg").is_file());
    std::fs::remove_file(d.join("s/sensitivity_notes.svg")).unwrap();
    assert_eq!(pngs("s"), first, "a plain plot gives the first set again");
    // A sweep of one parameter: its metric plot goes when a plain plot
    // draws none.
    ok_in(
        d,
        &[
            "sweep",
            "--vary",
            "buyer.power=0.2,0.5,0.8",
            "--runs",
            "50",
            "--out",
            "w",
            "--quiet",
        ],
    );
    let sweep = pngs("w");
    ok_in(d, &["plot", "w", "--metric", "excess_cost_mean", "--quiet"]);
    assert!(pngs("w").contains(&"sweep_metric.png".to_string()));
    std::fs::write(d.join("w/sweep_notes.png"), "mine").unwrap();
    ok_in(d, &["plot", "w", "--quiet"]);
    assert!(d.join("w/sweep_notes.png").is_file(), "the user's own file stays");
    std::fs::remove_file(d.join("w/sweep_notes.png")).unwrap();
    assert_eq!(pngs("w"), sweep);
}

/// A Latin hypercube sweep of 120 points over buyer power and indexation,
/// 100 runs each, in `d/sw`.
fn lhs_sweep(d: &std::path::Path) {
    ok_words(
        d,
        "sweep --vary buyer.power=0:1 --vary contract.indexation=0:1 --lhs 120 --runs 100 --out sw --quiet --no-plots",
    );
}

/// `backsim discover` on a Latin hypercube sweep: the points of interest
/// are those of sweep.csv above the threshold, the trajectory narrows while
/// its density rises, the shown box covers at least half of them, and it
/// finds the model's strong-buyer squeeze (high buyer power). Bad input
/// gets one line and nothing written.
#[test]
fn discover_finds_where_a_metric_is_above_a_threshold() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    lhs_sweep(d);
    let out = ok_in(
        d,
        &[
            "discover", "sw", "--above", "0.2", "--csv", "box.csv", "--plot", "box.svg",
        ],
    );
    let svg = fs::read_to_string(d.join("box.svg")).unwrap();
    assert!(
        svg.contains("Scenario discovery: where is involuntary_run_share above 0.2?"),
        "the plot's title"
    );
    assert!(out.contains("Scenario discovery (PRIM)"), "{out}");
    // The points of interest are sweep.csv's points above 0.2.
    let (h, rows) = read_csv(&d.join("sw/sweep.csv"));
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let above = rows
        .iter()
        .filter(|r| r[col("metric")] == "involuntary_run_share" && num(&r[col("value")]) > 0.2)
        .count();
    assert!(above > 10 && above < 110, "{above} points above 0.2");
    assert!(
        out.contains(&format!("120 points with a value, {above} of them strictly above 0.2")),
        "{out}"
    );
    let (h, rows) = read_csv(&d.join("box.csv"));
    assert_eq!(
        h,
        [
            "metric",
            "side",
            "threshold",
            "box",
            "shown",
            "points",
            "of_interest",
            "support",
            "coverage",
            "density",
            "parameter",
            "limited",
            "low",
            "high",
            "words"
        ]
    );
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    assert_eq!(rows.len() % 2, 0, "one row per box and parameter");
    let boxes: Vec<&Vec<String>> = rows.iter().step_by(2).collect();
    assert_eq!(
        (boxes[0][col("points")].as_str(), boxes[0][col("of_interest")].as_str()),
        ("120", &*above.to_string())
    );
    assert_eq!(
        (num(&boxes[0][col("support")]), num(&boxes[0][col("coverage")])),
        (1.0, 1.0)
    );
    assert!(boxes.len() > 3, "{} boxes", boxes.len());
    for w in boxes.windows(2) {
        assert!(num(&w[1][col("points")]) < num(&w[0][col("points")]));
        assert!(num(&w[1][col("density")]) > num(&w[0][col("density")]));
        assert!(num(&w[1][col("coverage")]) <= num(&w[0][col("coverage")]));
    }
    // Every box holds at least 5% of the points.
    assert!(boxes.iter().all(|b| num(&b[col("points")]) >= 6.0));
    // The marked box covers at least half, and limits buyer power from below.
    let marked: Vec<&str> = out.lines().filter(|l| l.ends_with('<')).collect();
    assert_eq!(marked.len(), 1, "{out}");
    let k: usize = marked[0].split_whitespace().next().unwrap().parse().unwrap();
    let chosen = boxes[k];
    assert!(num(&chosen[col("coverage")]) >= 0.5, "{chosen:?}");
    let shown: Vec<usize> = boxes
        .iter()
        .filter(|b| b[col("shown")] == "true")
        .map(|b| b[col("box")].parse().unwrap())
        .collect();
    assert_eq!(shown, [k]);
    assert!(rows.iter().all(|r| r[col("metric")] == "involuntary_run_share"
        && r[col("side")] == "above"
        && r[col("threshold")] == "0.2"));
    let power = &rows[2 * k];
    assert_eq!(power[col("parameter")], "buyer.power");
    assert_eq!(power[col("limited")], "true", "{out}");
    assert!(num(&power[col("low")]) > 0.2, "{power:?}");
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with("buyer.power ") && l.contains(" at least ")),
        "{out}"
    );

    // Bad input: one line, exit 2, no --csv written or replaced.
    let csv_before = fs::read(d.join("box.csv")).unwrap();
    ok_in(d, &["run", "--runs", "50", "--out", "r", "--quiet", "--no-plots"]);
    for (line, words) in [
        (
            "discover sw --above 0.2 --metric nope",
            &["--metric nope", "no such metric", "allowed"][..],
        ),
        ("discover r --above 0.2", &["a `backsim run` folder", "discover needs"]),
        ("discover missing --above 0.2", &["missing", "no such folder"]),
        (
            "discover sw --above 0.2 --box 999",
            &["--box 999 is out of range", "allowed: 0 to"],
        ),
        (
            "discover sw --above 0.2 --peel 0.7",
            &["--peel 0.7 is out of range", "at most 0.5"],
        ),
        (
            "discover sw --above 0.2 --min-support 0",
            &["--min-support 0 is out of range"],
        ),
        ("discover sw --above inf", &["--above inf", "a finite number"]),
        (
            "discover sw --above 0.2 --csv box.csv",
            &["box.csv already exists", "--force"],
        ),
        ("discover sw --above 0.2 --csv nodir/box.csv", &["cannot write --csv"]),
        (
            "discover sw --above 0.2 --plot box.pdf",
            &["--plot box.pdf", "ending in .png or .svg"],
        ),
        (
            "discover sw --above 0.2 --plot box.svg",
            &["box.svg already exists", "--force"],
        ),
        ("discover sw --above 0.2 --csv b.png --plot b.png", &["the same file"]),
        (
            "discover sw --above 0.2 --csv sw/sweep.csv --force",
            &["--csv sw/sweep.csv", "a file of the output folder"],
        ),
        (
            "discover sw --above 0.2 --min-coverage -0.1",
            &["--min-coverage -0.1 is out of range", "from 0 to 1"],
        ),
    ] {
        let err = error_words(d, line);
        for w in words {
            assert!(err.contains(w), "{line}: {err}");
        }
    }
    assert_eq!(fs::read(d.join("box.csv")).unwrap(), csv_before);
    assert!(!d.join("nodir").exists() && !d.join("box.pdf").exists() && !d.join("b.png").exists());
    // A PNG by its name.
    ok_in(d, &["discover", "sw", "--above", "0.2", "--plot", "box.png"]);
    assert!(fs::read(d.join("box.png")).unwrap().starts_with(b"\x89PNG"));
    // --force replaces it with the same trajectory; --box shows another box.
    ok_in(d, &["discover", "sw", "--above", "0.2", "--csv", "box.csv", "--force"]);
    assert_eq!(fs::read(d.join("box.csv")).unwrap(), csv_before);
    let first = ok_in(d, &["discover", "sw", "--above", "0.2", "--box", "1"]);
    assert!(first.contains("Box 1 (as chosen with --box)"), "{first}");
    // Below a threshold: with 100 runs a point's share is a multiple of
    // 0.01, so none equals 0.205 and below is the complement of above.
    let count = |side: &str| {
        let out = ok_in(d, &["discover", "sw", side, "0.205"]);
        let words: Vec<&str> = out.lines().nth(1).unwrap().split_whitespace().collect();
        assert_eq!(words[0], "120", "{out}");
        words[5].parse::<usize>().unwrap()
    };
    assert_eq!(count("--above") + count("--below"), 120);
    // The threshold as given, not rounded.
    let exact = ok_in(d, &["discover", "sw", "--above", "0.19999"]);
    assert!(exact.contains("above 0.19999?"), "{exact}");
    // A statistic without an interval says so.
    let p95 = ok_in(d, &["discover", "sw", "--metric", "excess_cost_p95", "--above", "0"]);
    assert!(p95.contains("excess_cost_p95 has no 95% interval"), "{p95}");
}

/// `backsim discover --paste` and `--resample`: the text without them is
/// the start of the text with them, pasting never lowers the density,
/// resampling gives the same bytes on one thread or several and under the
/// default seed 1, the --csv file is the trajectory either way, and bad
/// values get one line naming the option and what is allowed.
#[test]
fn discover_pastes_and_resamples_reproducibly() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    lhs_sweep(d);
    let plain = ok_words(d, "discover sw --above 0.2 --csv plain.csv");
    assert!(!plain.contains("Pasting") && !plain.contains("pasted") && !plain.contains("Resampling"));
    let (_, rows) = read_csv(&d.join("plain.csv"));
    let boxes = rows.len() / 2;
    assert!(boxes > 3, "{plain}");
    for k in 0..boxes {
        let line = format!("discover sw --above 0.2 --box {k}");
        let before = ok_words(d, &line);
        let after = ok_words(d, &format!("{line} --paste"));
        let added = after
            .strip_prefix(before.as_str())
            .unwrap_or_else(|| panic!("{before}\n---\n{after}"));
        if added.starts_with("\nPasting (--paste) changed nothing: widening any one limit of box ") {
            assert_eq!(added.lines().count(), 2, "{added}");
            continue;
        }
        assert!(added.starts_with(&format!("\nBox {k} pasted (--paste: ")), "{added}");
        // coverage A → B, density C → D, points E → F: none lower after.
        let change = added.lines().find(|l| l.starts_with("  coverage ")).expect(added);
        let numbers: Vec<f64> = change.split([' ', ',', '%']).filter_map(|w| w.parse().ok()).collect();
        assert_eq!(numbers.len(), 6, "{change}");
        assert!(
            numbers[1] >= numbers[0] && numbers[3] >= numbers[2] && numbers[5] > numbers[4],
            "{change}"
        );
        assert!(added.contains("  The pasted box:\n"), "{added}");
    }

    // Resampling: the same bytes on 1 or 2 threads, and seed 1 by default.
    let line = "discover sw --above 0.2 --paste --resample 30 --csv r.csv";
    let one = ok_words(d, &format!("{line} --threads 1"));
    fs::remove_file(d.join("r.csv")).unwrap();
    assert_eq!(ok_words(d, &format!("{line} --threads 2 --seed 1")), one);
    assert_eq!(
        fs::read(d.join("r.csv")).unwrap(),
        fs::read(d.join("plain.csv")).unwrap()
    );
    let added = one.strip_prefix(plain.as_str()).expect(&one);
    let resampling = &added[added
        .find("\nResampling (--resample 30, seed 1): PRIM again on 30 random halves")
        .expect(added)..];
    assert!(
        resampling.contains(
            "each half's box chosen as the densest that covers at least 50.0% of its points above 0.2, then pasted:"
        ),
        "{resampling}"
    );
    for name in ["buyer.power", "contract.indexation"] {
        let row = resampling
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .expect(resampling);
        let share: f64 = row
            .split_whitespace()
            .nth(1)
            .unwrap()
            .trim_end_matches('%')
            .parse()
            .unwrap();
        assert!((0.0..=100.0).contains(&share), "{row}");
        assert!(row.ends_with("limits it") || row.ends_with(" -"), "{row}");
    }
    // The model's strong-buyer squeeze: most halves limit buyer power.
    let power = resampling
        .lines()
        .find(|l| l.trim_start().starts_with("buyer.power"))
        .unwrap();
    assert!(power.ends_with("limits it"), "{resampling}");
    assert!(
        resampling.contains("  The resampled boxes on all the points: coverage median "),
        "{resampling}"
    );
    assert!(resampling.contains("on all the points: coverage "), "{resampling}");
    let other = ok_words(d, "discover sw --above 0.2 --resample 30 --seed 2");
    assert!(
        other.contains("(--resample 30, seed 2)") && !other.contains("pasted"),
        "{other}"
    );
    // With --box K the halves take the box nearest its coverage.
    let by_box = ok_words(d, "discover sw --above 0.2 --box 2 --resample 10");
    assert!(by_box.contains("is nearest box 2's "), "{by_box}");

    // Bad values: one line, exit 2.
    for (line, words) in [
        (
            "discover sw --above 0.2 --resample 1",
            &["--resample 1 is out of range", "from 2 to 10000"][..],
        ),
        (
            "discover sw --above 0.2 --resample 10001",
            &["--resample 10001 is out of range", "from 2 to 10000"],
        ),
        (
            "discover sw --above 0.2 --resample 2.5",
            &["--resample", "a whole number from 2 to 10000"],
        ),
        (
            "discover sw --above 0.2 --resample -3",
            &["--resample", "a whole number from 2 to 10000"],
        ),
        (
            "discover sw --above 0.2 --resample many",
            &["--resample", "a whole number from 2 to 10000"],
        ),
        (
            "discover sw --above 0.2 --seed 3",
            &["--seed goes with --resample N", "allowed"],
        ),
        (
            "discover sw --above 0.2 --threads 2",
            &["--threads goes with --resample N", "allowed"],
        ),
        (
            "discover sw --above 0.2 --resample 10 --seed -1",
            &["--seed", "a whole number from 0"],
        ),
        (
            "discover sw --above 0.2 --resample 10 --threads 0",
            &["--threads 0 is out of range", "1 to 1024"],
        ),
        ("discover sw --above 0.2 --paste yes", &["unexpected argument 'yes'"]),
    ] {
        let err = error_words(d, line);
        for w in words {
            assert!(err.contains(w), "{line}: {err}");
        }
    }
}
