//! The `backsim` command as a user meets it: every command, the files of an
//! output folder, and every kind of bad input (exit code 2, one message
//! naming the file, the field and the allowed values, nothing left behind).
//!
//! Each test runs the binary in a fresh temporary directory, with few runs
//! so that the whole file stays fast.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

mod common;
use common::{backsim, error_words, ok, ok_in, read_csv, read_json, run, user_error};

/// Runs per test where the number does not matter.
const RUNS: u64 = 200;

fn assert_contains(haystack: &str, needle: &str) {
    assert!(haystack.contains(needle), "expected {needle:?} in:\n{haystack}");
}

/// Every path under `dir` (recursively), relative to it.
fn tree(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            out.push(p.strip_prefix(root).unwrap_or(&p).to_path_buf());
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                walk(root, &p, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Asserts that a failed command left no output behind: no `output` folder,
/// no folder named `out`, no staging folder (`.NAME.partial`, `.NAME.old`).
fn assert_nothing_written(dir: &Path) {
    for p in tree(dir) {
        let name = p.file_name().unwrap_or_default().to_string_lossy().into_owned();
        assert!(
            name != "output" && name != "out" && !name.ends_with(".partial") && !name.ends_with(".old"),
            "a failed run left {} behind; the directory holds {:?}",
            p.display(),
            tree(dir)
        );
    }
}

/// Names of the files in a folder, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read_toml(path: &Path) -> toml::Table {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", path.display()))
}

fn tempdir() -> TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// Checks an output folder written by a run of `runs` runs of a scenario of
/// 40 periods.
fn check_output_folder(folder: &Path, runs: u64) {
    let names = files(folder);
    for f in ["runs.csv", "scenario.toml", "summary.json", "timeseries.csv"] {
        assert!(
            names.iter().any(|n| n == f),
            "{} lacks {f}: {names:?}",
            folder.display()
        );
    }
    assert!(
        !names.iter().any(|n| n == "episodes.csv"),
        "episodes.csv only with --episodes: {names:?}"
    );
    assert!(
        !names.iter().any(|n| n.starts_with('.')),
        "no hidden (staging or probe) file is left: {names:?}"
    );

    let (header, rows) = read_csv(&folder.join("runs.csv"));
    assert_eq!(header.first().map(String::as_str), Some("run"));
    assert!(header.iter().any(|c| c == "total_cost"), "{header:?}");
    assert_eq!(rows.len() as u64, runs, "runs.csv has one row per run");
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), header.len(), "row {i} of runs.csv");
        assert_eq!(row[0], i.to_string(), "runs.csv is in run order");
    }

    let summary = read_json(&folder.join("summary.json"));
    assert_eq!(summary["runs"].as_u64(), Some(runs), "summary.json runs");
    let outcomes = summary["outcomes"]
        .as_object()
        .expect("summary.json has an `outcomes` object");
    for name in ["continued", "switched", "initiated", "involuntary", "wound_down"] {
        let share = &outcomes
            .get(name)
            .unwrap_or_else(|| panic!("summary.json lacks outcomes.{name}"))["episode_share"];
        let get = |k: &str| {
            share[k]
                .as_f64()
                .unwrap_or_else(|| panic!("outcomes.{name}.episode_share.{k} is not a number: {share}"))
        };
        let (est, low, high) = (get("estimate"), get("low"), get("high"));
        assert!(
            (0.0..=1.0).contains(&low) && low <= est && est <= high && high <= 1.0,
            "outcomes.{name}.episode_share is not an interval around its estimate: {share}"
        );
    }

    // Quantiles of whole-number figures are the exact order statistics
    // (rank max(1, ceil(q n))) of runs.csv's column, not bucket midpoints.
    for name in [
        "complaints",
        "sanctions",
        "disputes",
        "legal_cases",
        "first_backsourcing_period",
    ] {
        let col = header.iter().position(|c| c == name).unwrap();
        let mut v: Vec<f64> = rows.iter().filter_map(|r| r[col].parse().ok()).collect();
        v.sort_by(f64::total_cmp);
        let q = &summary["figures"][name]["quantiles"];
        if v.is_empty() {
            assert!(q["p50"].is_null(), "{name}: {q}");
            continue;
        }
        for (key, p) in [("p5", 5), ("p25", 25), ("p50", 50), ("p75", 75), ("p95", 95)] {
            let rank = (p * v.len()).div_ceil(100).max(1);
            assert_eq!(q[key].as_f64(), Some(v[rank - 1]), "{name} {key}");
        }
    }

    let (ts_header, ts_rows) = read_csv(&folder.join("timeseries.csv"));
    assert_eq!(ts_header.first().map(String::as_str), Some("period"));
    assert_eq!(ts_rows.len(), 40, "timeseries.csv has one row per period");
    for (t, row) in ts_rows.iter().enumerate() {
        assert_eq!(row[0], t.to_string(), "timeseries.csv period column");
    }

    let scenario = read_toml(&folder.join("scenario.toml"));
    assert_eq!(scenario["runs"].as_integer(), Some(runs as i64), "scenario.toml runs");
}

#[test]
fn no_arguments_runs_the_default_scenario() {
    let dir = tempdir();
    let out = ok(&mut backsim(dir.path()));
    let folder = dir.path().join("output").join("default");
    // The built-in default asks for 10000 runs.
    check_output_folder(&folder, 10_000);
    assert_eq!(
        files(&dir.path().join("output")),
        ["default"],
        "no staging folder is left"
    );

    assert_contains(&out.stdout, "default: 10000 runs of 40 quarters, seed 1");
    assert_contains(&out.stdout, "share of episodes");
    for row in ["continued", "switched", "involuntary", "total_cost (MSEK)"] {
        assert_contains(&out.stdout, row);
    }
    // The figures table lines up: every row as long as its header, the
    // longest label ("first_backsourcing_period (period)") included.
    let table: Vec<&str> = out
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("figure "))
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(table.len() > 10, "figures table: {table:?}");
    assert!(table.iter().any(|l| l.starts_with("first_backsourcing_period")));
    for row in &table {
        assert_eq!(row.len(), table[0].len(), "misaligned row {row:?}");
    }
    let last = out.stdout.lines().last().unwrap_or_default();
    assert!(last.starts_with("throughput:"), "last line: {last:?}");
    assert_contains(last, "runs/s");
    assert_contains(last, "unit-periods/s");
    assert!(
        !out.stderr.contains("replaced"),
        "nothing to replace on a first run: {}",
        out.stderr
    );
}

#[test]
fn a_scenario_file_runs_into_its_named_folder() {
    let dir = tempdir();
    fs::write(dir.path().join("mine.toml"), "name = \"mine\"\n[buyer]\npower = 0.3\n").unwrap();
    let out = ok(backsim(dir.path()).args(["run", "mine.toml", "--runs", "200"]));
    check_output_folder(&dir.path().join("output").join("mine"), RUNS);
    assert_eq!(files(&dir.path().join("output")), ["mine"]);
    assert_contains(&out.stdout, "mine: 200 runs");
    let scenario = read_toml(&dir.path().join("output/mine/scenario.toml"));
    assert_eq!(scenario["name"].as_str(), Some("mine"));
    assert_eq!(scenario["buyer"]["power"].as_float(), Some(0.3));
}

#[test]
fn set_is_honoured_in_the_resolved_scenario() {
    let dir = tempdir();
    ok(backsim(dir.path()).args(["run", "--runs", "200", "--set", "buyer.power=0.2", "--quiet"]));
    let scenario = read_toml(&dir.path().join("output/default/scenario.toml"));
    assert_eq!(
        scenario["buyer"]["power"].as_float(),
        Some(0.2),
        "buyer.power in scenario.toml: {:?}",
        scenario["buyer"].get("power")
    );
    // Without --set the default's own value (0.6) is written.
    ok(backsim(dir.path()).args(["run", "--runs", "200", "--quiet"]));
    let scenario = read_toml(&dir.path().join("output/default/scenario.toml"));
    assert_eq!(scenario["buyer"]["power"].as_float(), Some(0.6));
}

#[test]
fn episodes_writes_episodes_csv() {
    let dir = tempdir();
    ok(backsim(dir.path()).args(["run", "--runs", "200", "--episodes", "--out", "out"]));
    let folder = dir.path().join("out");
    assert!(
        files(&folder).iter().any(|n| n == "episodes.csv"),
        "{:?}",
        files(&folder)
    );
    let text = fs::read_to_string(folder.join("episodes.csv")).unwrap();
    assert_eq!(
        text.lines().next(),
        Some("run,buyer,unit,provider,form,start,end,outcome,cause,contract_period,sanctions,complaints"),
        "the documented header of episodes.csv"
    );
    let (header, rows) = read_csv(&folder.join("episodes.csv"));
    let col = |name: &str| header.iter().position(|c| c == name).unwrap();
    let summary = read_json(&folder.join("summary.json"));
    assert_eq!(
        Some(rows.len() as u64),
        summary["episodes"].as_u64(),
        "one row per episode, as many as summary.json counts"
    );
    let outcomes = ["continued", "switched", "initiated", "involuntary", "wound_down"];
    for row in &rows {
        let run: u64 = row[col("run")].parse().unwrap();
        assert!(run < RUNS, "run index {run}");
        let outcome = row[col("outcome")].as_str();
        assert!(outcomes.contains(&outcome), "outcome {outcome:?}");
        assert!(["procurement", "partnership"].contains(&row[col("form")].as_str()));
        // Documented: the cause is empty for continued episodes.
        assert_eq!(
            row[col("cause")].is_empty(),
            outcome == "continued",
            "cause of a {outcome} episode: {row:?}"
        );
    }
}

// ---- bad input ----------------------------------------------------------

/// The beginning of the list of allowed fields of `[buyer]`.
const BUYER_FIELDS: &str = "allowed: name, count, units";

#[test]
fn unknown_field_in_a_file() {
    let dir = tempdir();
    fs::write(dir.path().join("bad.toml"), "name = \"bad\"\n[buyer]\npowr = 0.3\n").unwrap();
    let err = user_error(backsim(dir.path()).args(["run", "bad.toml", "--runs", "200"]));
    assert_contains(&err, "bad.toml");
    assert_contains(&err, "buyer.powr");
    assert_contains(&err, "did you mean `power`");
    assert_contains(&err, BUYER_FIELDS);
    assert_contains(&err, "monitoring");
    assert_nothing_written(dir.path());
}

#[test]
fn out_of_range_value_in_a_file() {
    let dir = tempdir();
    fs::write(dir.path().join("bad.toml"), "name = \"bad\"\n[buyer]\npower = 1.5\n").unwrap();
    let err = user_error(backsim(dir.path()).args(["run", "bad.toml", "--runs", "200"]));
    assert_contains(&err, "bad.toml");
    assert_contains(&err, "buyer.power");
    assert_contains(&err, "1.5");
    assert_contains(&err, "0 to 1");
    assert_nothing_written(dir.path());
}

#[test]
fn typo_in_set() {
    let dir = tempdir();
    let err = user_error(backsim(dir.path()).args(["run", "--runs", "200", "--set", "buyer.powr=0.1"]));
    assert_contains(&err, "--set");
    assert_contains(&err, "buyer.powr");
    assert_contains(&err, "did you mean `power`");
    assert_contains(&err, BUYER_FIELDS);
    assert_nothing_written(dir.path());

    // An out-of-range value given with --set is checked like one in a file,
    // and the message blames --set, not the scenario.
    let err = user_error(backsim(dir.path()).args(["run", "--runs", "200", "--set", "buyer.power=1.5"]));
    assert_contains(&err, "--set: `buyer.power`");
    assert_contains(&err, "0 to 1");
    assert!(!err.contains("default:"), "{err}");
    assert_nothing_written(dir.path());
    let err = user_error(backsim(dir.path()).args(["run", "--set", "buyer.power=abc"]));
    assert_contains(&err, "--set: `buyer.power`");
    let err = user_error(backsim(dir.path()).args(["run", "--set", "demand.shocks=[{ start = 1, size = -2 }]"]));
    assert_contains(&err, "--set: `demand.shocks.0.size`");
    // A problem in the file itself still names the file.
    fs::write(dir.path().join("bad.toml"), "[buyer]\npower = 2\n").unwrap();
    let err = user_error(backsim(dir.path()).args(["run", "bad.toml", "--set", "contract.term=4"]));
    assert_contains(&err, "bad.toml: `buyer.power`");
    assert_nothing_written(dir.path());

    let err = user_error(backsim(dir.path()).args(["run", "--runs", "200", "--set", "buyer.power"]));
    assert_contains(&err, "PATH=VALUE");
    assert_nothing_written(dir.path());
}

#[test]
fn missing_scenario_file() {
    let dir = tempdir();
    let err = user_error(backsim(dir.path()).args(["run", "missing.toml", "--runs", "200"]));
    assert_contains(&err, "missing.toml");
    assert_contains(&err, "no such file");
    assert_nothing_written(dir.path());
}

#[test]
fn unknown_builtin_name() {
    let dir = tempdir();
    let err = user_error(backsim(dir.path()).args(["run", "defualt", "--runs", "200"]));
    assert_contains(&err, "defualt");
    assert_contains(&err, "built-in");
    // The allowed values: the list of built-ins.
    assert_contains(&err, "default");
    assert_nothing_written(dir.path());

    let err = user_error(backsim(dir.path()).args(["show", "defualt"]));
    assert_contains(&err, "defualt");
    assert_contains(&err, "default");
}

#[test]
fn runs_zero_and_threads_zero() {
    let dir = tempdir();
    let err = user_error(backsim(dir.path()).args(["run", "--runs", "0"]));
    assert_contains(&err, "--runs");
    assert_contains(&err, "allowed: 1 to");
    assert_nothing_written(dir.path());

    let err = user_error(backsim(dir.path()).args(["run", "--runs", "200", "--threads", "0"]));
    assert_contains(&err, "--threads");
    assert_contains(&err, "allowed: 1 to 1024");
    assert_nothing_written(dir.path());
}

#[test]
fn a_bad_option_is_a_user_error() {
    let dir = tempdir();
    let o = run(backsim(dir.path()).args(["run", "--runs", "many"]));
    assert_eq!(o.code, Some(2), "stderr: {}", o.stderr);
    assert_contains(&o.stderr, "--runs");
    assert_contains(&o.stderr, "allowed: a whole number");
    for line in [
        "run --threads two",
        "run --precision tight",
        "sweep --lhs 1e3 --vary buyer.power=0:1",
        "story --run 2.5",
    ] {
        let o = run(backsim(dir.path()).args(line.split_whitespace()));
        assert_eq!(o.code, Some(2), "{line}: {}", o.stderr);
        assert_contains(&o.stderr, "allowed:");
    }
    let err = error_words(dir.path(), "story --run 1000000000");
    assert_contains(&err, "allowed: 0 to 999999999");
    let o = run(backsim(dir.path()).args(["run", "--no-such-option"]));
    assert_eq!(o.code, Some(2), "stderr: {}", o.stderr);
    assert_nothing_written(dir.path());
}

#[test]
fn output_folder_under_a_regular_file() {
    // `somefile.txt/out` can never be created, whoever runs the test.
    let dir = tempdir();
    fs::write(dir.path().join("somefile.txt"), "not a folder\n").unwrap();
    let err = user_error(backsim(dir.path()).args(["run", "--runs", "200", "--out", "somefile.txt/out"]));
    assert_contains(&err, "somefile.txt/out");
    assert_contains(&err, "cannot write");
    assert_nothing_written(dir.path());
    assert_eq!(
        fs::read_to_string(dir.path().join("somefile.txt")).unwrap(),
        "not a folder\n",
        "the file is untouched"
    );
}

#[test]
fn output_folder_that_is_a_regular_file() {
    let dir = tempdir();
    fs::write(dir.path().join("out"), "a file\n").unwrap();
    let err = user_error(backsim(dir.path()).args(["run", "--runs", "200", "--out", "out", "--force"]));
    assert_contains(&err, "out");
    assert_contains(&err, "not a folder");
    assert_eq!(fs::read_to_string(dir.path().join("out")).unwrap(), "a file\n");
    assert!(!dir.path().join(".out.partial").exists());
}

#[cfg(unix)]
#[test]
fn output_folder_in_a_read_only_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let ro = dir.path().join("ro");
    fs::create_dir(&ro).unwrap();
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
    // Root (and some capabilities) ignore permission bits: detect it.
    let probe = ro.join("probe");
    let enforced = fs::write(&probe, b"").is_err();
    if enforced {
        let err = user_error(backsim(dir.path()).args(["run", "--runs", "200", "--out", "ro/out"]));
        assert_contains(&err, "ro/out");
        assert_contains(&err, "cannot write");
        assert_eq!(
            files(&ro),
            Vec::<String>::new(),
            "nothing is left in the read-only folder"
        );
        assert_nothing_written(dir.path());
    } else {
        let _ = fs::remove_file(&probe);
        println!(
            "note: permissions are not enforced for this user (root?); skipped the read-only folder check (see output_folder_under_a_regular_file)"
        );
    }
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o755)).unwrap();
}

// ---- replacing output ---------------------------------------------------

#[test]
fn explicit_out_is_replaced_only_with_force() {
    let dir = tempdir();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    // An earlier run's file: this run does not write episodes.csv.
    fs::write(out.join("episodes.csv"), "old results\n").unwrap();

    let err = user_error(backsim(dir.path()).args(["run", "--runs", "200", "--out", "out"]));
    assert_contains(&err, "out");
    assert_contains(&err, "--force");
    assert_eq!(files(&out), ["episodes.csv"], "the old folder is untouched");
    assert_eq!(fs::read_to_string(out.join("episodes.csv")).unwrap(), "old results\n");
    assert!(!dir.path().join(".out.partial").exists());

    let o = ok(backsim(dir.path()).args(["run", "--runs", "200", "--out", "out", "--force"]));
    check_output_folder(&out, RUNS);
    assert!(!out.join("episodes.csv").exists(), "--force replaces the folder");
    assert_eq!(files(dir.path()), ["out"], "no staging folder is left");
    assert!(o.stdout.lines().last().unwrap_or_default().starts_with("throughput:"));

    // An empty existing folder is simply used.
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    ok(backsim(dir.path()).args(["run", "--runs", "200", "--out", "empty", "--quiet"]));
    check_output_folder(&empty, RUNS);
}

/// A folder holding anything backsim does not write is never replaced, not
/// even with --force or as the default folder: replacing it would delete a
/// user's files, or the scenario file being run.
#[test]
fn force_never_deletes_files_backsim_did_not_write() {
    let dir = tempdir();
    let d = dir.path();
    let proj = d.join("proj");
    fs::create_dir(&proj).unwrap();
    fs::write(proj.join("notes.txt"), "my notes\n").unwrap();
    fs::write(proj.join("mine.toml"), "name = \"mine\"\n").unwrap();
    for line in [
        "run proj/mine.toml --runs 50 --out proj --force",
        "sweep --vary buyer.power=0.2,0.8 --runs 50 --out proj --force",
        "compare default --set-b contract.form=partnership --runs 50 --out proj --force",
        "sensitivity --method morris --params buyer.power --samples 2 --runs 20 --out proj --force",
    ] {
        let err = error_words(d, line);
        for e in ["proj", "mine.toml, notes.txt", "not replaced", "--out"] {
            assert_contains(&err, e);
        }
        assert_eq!(files(&proj), ["mine.toml", "notes.txt"], "{line}");
    }
    assert_eq!(files(d), ["proj"], "nothing else is written");
    // The default folder of a scenario too.
    ok_in(d, &["run", "--runs", "50", "--quiet"]);
    let folder = d.join("output/default");
    fs::write(folder.join("notes.txt"), "my notes\n").unwrap();
    let err = error_words(d, "run --runs 50");
    assert_contains(&err, "notes.txt");
    assert!(folder.join("notes.txt").is_file() && folder.join("summary.json").is_file());
    // An earlier output folder of every command is replaced with --force.
    for line in [
        "run --runs 50 --out o --force",
        "sweep --vary buyer.power=0.2,0.8 --runs 50 --out o --force",
        "compare default --set-b contract.form=partnership --runs 50 --out o --force",
        "sensitivity --method morris --params buyer.power --samples 2 --runs 20 --out o --force",
        "run --runs 50 --out o --force",
    ] {
        ok_in(d, &line.split_whitespace().collect::<Vec<_>>());
        ok_in(d, &["report", "o", "--quiet"]);
    }
    // What a file manager leaves does not count.
    fs::write(d.join("o/.DS_Store"), "").unwrap();
    let sweep = "sweep --vary buyer.power=0.2,0.8 --runs 50 --out o --force --quiet";
    ok_in(d, &sweep.split_whitespace().collect::<Vec<_>>());
    // A user's file in a sweep point's folder does.
    fs::write(d.join("o/points/0/mine.txt"), "x").unwrap();
    assert_contains(&error_words(d, "run --runs 50 --out o --force"), "points/0/mine.txt");
    assert!(d.join("o/points/0/mine.txt").is_file());
    // So does one in a staging folder an interrupted command left.
    fs::create_dir(d.join(".p.partial")).unwrap();
    fs::write(d.join(".p.partial/notes.txt"), "x").unwrap();
    assert_contains(&error_words(d, "run --runs 50 --out p"), "notes.txt");
    assert!(d.join(".p.partial/notes.txt").is_file());
}

/// `compare` and `sensitivity` run on the streams of experiment point 0: a
/// `point` set would be ignored, so it is refused, and a scenario file's
/// point is not recorded as if used.
#[test]
fn point_is_refused_where_it_would_be_ignored() {
    let dir = tempdir();
    let d = dir.path();
    for line in [
        "compare default --set-b point=3 --set-b contract.form=partnership --runs 50 --out c",
        "compare default --set point=3 --set-b contract.form=partnership --runs 50 --out c",
        "sensitivity --method morris --params buyer.power --set point=2 --runs 20 --out s",
    ] {
        let err = error_words(d, line);
        assert_contains(&err, "point");
        assert_contains(&err, "run --point K");
    }
    assert_nothing_written(d);
    fs::write(d.join("p.toml"), "name = \"p\"\npoint = 5\n").unwrap();
    ok_in(
        d,
        &[
            "compare",
            "p.toml",
            "--set-b",
            "contract.form=partnership",
            "--runs",
            "50",
            "--out",
            "c",
            "--quiet",
        ],
    );
    for f in ["scenario_a.toml", "scenario_b.toml"] {
        assert!(
            !read_toml(&d.join("c").join(f)).contains_key("point"),
            "{f} records point 0"
        );
    }
}

/// `story --csv` and `report --out` name a file: an existing one is
/// replaced only with --force (it might be the scenario file itself).
#[test]
fn named_files_are_replaced_only_with_force() {
    let dir = tempdir();
    let d = dir.path();
    fs::write(d.join("mine.toml"), "name = \"mine\"\n").unwrap();
    let err = error_words(d, "story mine.toml --csv mine.toml");
    for e in ["--csv mine.toml", "already exists", "--force"] {
        assert_contains(&err, e);
    }
    assert_eq!(fs::read_to_string(d.join("mine.toml")).unwrap(), "name = \"mine\"\n");
    ok_in(d, &["story", "--csv", "s.csv"]);
    error_words(d, "story --csv s.csv");
    ok_in(d, &["story", "--csv", "s.csv", "--force"]);
    assert!(fs::read_to_string(d.join("s.csv")).unwrap().starts_with("period,"));
    let err = error_words(d, "story --csv nowhere/s.csv");
    assert_contains(&err, "the folder nowhere does not exist");

    ok_in(d, &["run", "--runs", "50", "--out", "o", "--quiet"]);
    let err = error_words(d, "report o --out mine.toml");
    assert_contains(&err, "--out mine.toml already exists");
    assert_eq!(fs::read_to_string(d.join("mine.toml")).unwrap(), "name = \"mine\"\n");
    ok_in(d, &["report", "o", "--out", "r.html", "--quiet"]);
    error_words(d, "report o --out r.html");
    ok_in(d, &["report", "o", "--out", "r.html", "--force", "--quiet"]);
    // --force names what it would replace.
    for line in ["report o --force", "story --force"] {
        let o = run(backsim(d).args(line.split_whitespace()));
        assert_eq!(o.code, Some(2), "{line}: {}", o.stderr);
    }
    // The report in its folder is its own: written again without --force.
    ok_in(d, &["report", "o", "--quiet"]);
    ok_in(d, &["report", "o", "--quiet"]);
}

#[test]
fn default_folder_is_replaced_and_says_so() {
    let dir = tempdir();
    let first = ok(backsim(dir.path()).args(["run", "--runs", "200", "--seed", "3"]));
    assert!(!first.stderr.contains("replaced"), "stderr: {}", first.stderr);
    let folder = dir.path().join("output/default");
    fs::write(folder.join("episodes.csv"), "from before\n").unwrap();

    let second = ok(backsim(dir.path()).args(["run", "--runs", "300", "--seed", "4"]));
    assert_contains(&second.stderr, "replaced");
    assert_contains(&second.stderr, "default");
    check_output_folder(&folder, 300);
    assert!(!folder.join("episodes.csv").exists(), "the old folder is gone");
    assert_eq!(
        files(&dir.path().join("output")),
        ["default"],
        "no staging or old folder is left"
    );
    assert_eq!(read_json(&folder.join("summary.json"))["seed"].as_u64(), Some(4));
}

// ---- other commands -----------------------------------------------------

#[test]
fn scenarios_lists_default_with_its_description() {
    let dir = tempdir();
    let out = ok(backsim(dir.path()).arg("scenarios"));
    let builtin: toml::Table = toml::from_str(include_str!("../scenarios/default.toml")).unwrap();
    let description = builtin["description"].as_str().unwrap();
    assert!(!description.is_empty());
    let line = out
        .stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some("default"))
        .unwrap_or_else(|| panic!("`default` is not listed:\n{}", out.stdout));
    assert_contains(line, description);
    assert_nothing_written(dir.path());
}

#[test]
fn show_prints_the_resolved_scenario() {
    let dir = tempdir();
    let out = ok(backsim(dir.path()).args(["show", "default"]));
    assert_contains(&out.stdout, "[buyer]");
    let t: toml::Table = toml::from_str(&out.stdout).unwrap_or_else(|e| panic!("not TOML: {e}\n{}", out.stdout));
    assert_eq!(t["name"].as_str(), Some("default"));
    assert_eq!(t["buyer"]["power"].as_float(), Some(0.6));

    let out = ok(backsim(dir.path()).args(["show", "default", "--set", "buyer.power=0.25"]));
    let t: toml::Table = toml::from_str(&out.stdout).unwrap();
    assert_eq!(t["buyer"]["power"].as_float(), Some(0.25));
    assert_nothing_written(dir.path());
}

#[test]
fn reference_prints_markdown() {
    let dir = tempdir();
    let out = ok(backsim(dir.path()).arg("reference"));
    assert!(out.stdout.starts_with("# "), "a Markdown heading first");
    assert_contains(&out.stdout, "`buyer.power`");
    assert_contains(&out.stdout, "| field | default | allowed |");
}

#[test]
fn quiet_prints_nothing() {
    let dir = tempdir();
    let o = ok(backsim(dir.path()).args(["run", "--runs", "200", "--quiet"]));
    assert_eq!(o.stdout, "", "--quiet prints nothing on stdout");
    assert_eq!(o.stderr, "", "--quiet prints nothing on stderr either");
    check_output_folder(&dir.path().join("output/default"), RUNS);

    // Not even the note that the default folder was replaced.
    let o = ok(backsim(dir.path()).args(["run", "--runs", "200", "--quiet"]));
    assert_eq!(o.stdout, "");
    assert_eq!(o.stderr, "");
}

#[test]
fn worlds_too_large_to_hold_and_numbers_too_large_to_write_are_refused() {
    let dir = tempdir();
    let refused = |args: &[&str], expect: &[&str]| {
        let err = user_error(backsim(dir.path()).args(args));
        for e in expect {
            assert_contains(&err, e);
        }
        assert_nothing_written(dir.path());
    };
    // A seed or point a scenario file cannot hold (TOML integers are
    // signed); clap's usage error, exit code 2.
    for (opt, v) in [("--seed", "18446744073709551615"), ("--point", "9223372036854775808")] {
        let o = run(backsim(dir.path()).args(["run", "--runs", "5", opt, v]));
        assert_eq!(o.code, Some(2), "stderr: {}", o.stderr);
        assert_contains(&o.stderr, opt);
        assert_contains(&o.stderr, "0 to 9223372036854775807");
        assert_nothing_written(dir.path());
    }
    // Worlds that would not fit in memory: named fields and limits, no crash.
    refused(
        &["run", "--runs", "1", "--set", "buyer.reserve_units=4294967295"],
        &["`buyer.reserve_units`", "allowed: 0 to 10000"],
    );
    refused(
        &[
            "run",
            "--runs",
            "1",
            "--set",
            "buyer.count=100000",
            "--set",
            "buyer.units=100",
        ],
        &["`buyer`", "10000000 service units", "at most 1000000"],
    );
    refused(
        &[
            "run",
            "--runs",
            "1",
            "--set",
            "buyer.count=100",
            "--set",
            "market.alternatives=100000",
        ],
        &["`market.alternatives`", "buyer-provider pairs", "at most 4000000"],
    );
    // Growth that leaves the range of numbers (NaN and inf in every row).
    refused(
        &[
            "run",
            "--runs",
            "5",
            "--set",
            "market.inflation=0.08",
            "--set",
            "time.periods=10000",
        ],
        &["`market.inflation`", "(1 + 0.08)^10000", "from 1e-9 to 1e9"],
    );
    refused(
        &[
            "run",
            "--runs",
            "5",
            "--set",
            "demand.trend={dist=\"uniform\",min=0,max=0.9}",
        ],
        &["`demand.trend`", "0.9 per period", "from 1e-9 to 1e9"],
    );
    // A name too long for a folder name is the field's error, not the OS's.
    let long = format!("name={}", "a".repeat(300));
    refused(&["run", "--runs", "5", "--set", &long], &["`name`", "at most 100"]);
    // A start date's allowed years are stated.
    refused(
        &["run", "--runs", "5", "--set", "time.start=\"0001Q1\""],
        &["`time.start`", "a year from 1000 to 9999"],
    );
    // The range of an unbounded field is stated as it is checked.
    refused(
        &["run", "--runs", "5", "--set", "contract.price=1e300"],
        &["value 1e300 is out of range", "from 0.0000001 to 1e15"],
    );
    // A share given as NaN is not "unset".
    let file = dir.path().join("nan-share.toml");
    fs::write(
        &file,
        "[[provider.groups]]\nshare = nan\n\n[[provider.groups]]\nshare = 0.5\n",
    )
    .unwrap();
    let err = user_error(backsim(dir.path()).args(["run", "--runs", "5", file.to_str().unwrap()]));
    assert_contains(&err, "`provider.groups.0.share`");
    assert_contains(&err, "above 0 and at most 1");
    fs::remove_file(&file).unwrap();
    assert_nothing_written(dir.path());
    // The largest seed is written into scenario.toml and reproduces the folder.
    ok_in(
        dir.path(),
        &[
            "run",
            "--runs",
            "20",
            "--seed",
            "9223372036854775807",
            "--out",
            "a",
            "--quiet",
            "--no-plots",
        ],
    );
    ok_in(
        dir.path(),
        &["run", "a/scenario.toml", "--out", "b", "--quiet", "--no-plots"],
    );
    assert_eq!(
        fs::read(dir.path().join("a/runs.csv")).unwrap(),
        fs::read(dir.path().join("b/runs.csv")).unwrap()
    );
}

#[test]
fn damaged_folders_are_refused_by_plot_and_report() {
    let dir = tempdir();
    let d = dir.path();
    ok_in(d, &["run", "--runs", "20", "--out", "r", "--quiet", "--no-plots"]);
    let copy = |name: &str| {
        let to = d.join(name);
        fs::create_dir(&to).unwrap();
        for f in ["summary.json", "timeseries.csv", "runs.csv", "scenario.toml"] {
            fs::copy(d.join("r").join(f), to.join(f)).unwrap();
        }
        to
    };
    let cut = |path: PathBuf, lines: usize| {
        let text = fs::read_to_string(&path).unwrap();
        let kept: String = text.lines().take(lines).map(|l| format!("{l}\n")).collect();
        fs::write(path, kept).unwrap();
    };
    // Cut at a line's end, so each file still parses.
    cut(copy("ts").join("timeseries.csv"), 11);
    cut(copy("runs").join("runs.csv"), 6);
    let summary = copy("nulls").join("summary.json");
    let text = fs::read_to_string(&summary).unwrap();
    let start = text.find("\"outcomes\":").unwrap();
    let end = start + text[start..].find("\"figures\"").unwrap();
    fs::write(
        &summary,
        format!("{}\"outcomes\": null,\n  {}", &text[..start], &text[end..]),
    )
    .unwrap();
    let ts = copy("word").join("timeseries.csv");
    let text = fs::read_to_string(&ts).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut cells: Vec<&str> = lines[4].split(',').collect();
    cells[2] = "abc";
    lines[4] = cells.join(",");
    fs::write(&ts, lines.join("\n") + "\n").unwrap();
    for (folder, expect) in [
        ("ts", "timeseries.csv has 10 periods, summary.json 40"),
        ("runs", "runs.csv has 5 runs, summary.json 20"),
        ("nulls", "lacks `outcomes`"),
        ("word", "not a number"),
    ] {
        for cmd in ["plot", "report"] {
            let before = tree(&d.join(folder));
            let err = user_error(backsim(d).args([cmd, folder]));
            assert_contains(&err, expect);
            assert_eq!(tree(&d.join(folder)), before, "{cmd} {folder} wrote something");
        }
    }
    // The whole folder still plots.
    ok_in(d, &["plot", "r", "--quiet"]);
}

/// A report of a folder that lost files says what is missing, and its
/// messages name the folder.
#[test]
fn reports_of_damaged_folders_name_the_folder() {
    let dir = tempdir();
    let d = dir.path();
    ok_in(d, &["run", "--runs", "20", "--out", "r", "--quiet"]);
    fs::remove_file(d.join("r/scenario.toml")).unwrap();
    ok_in(d, &["report", "r", "--quiet"]);
    let html = fs::read_to_string(d.join("r/report.html")).unwrap();
    assert_contains(
        &html,
        "This folder has lost its scenario.toml, which reproducing it needs",
    );
    fs::write(d.join("r/scenario.toml"), "x=\n").unwrap();
    assert_contains(&error_words(d, "report r"), "r/scenario.toml");
    let sens = "sensitivity --method morris --params buyer.power --runs 20 --out s --quiet";
    ok_in(d, &sens.split_whitespace().collect::<Vec<_>>());
    fs::write(d.join("s/sensitivity.csv"), "").unwrap();
    assert_contains(&error_words(d, "report s"), "s/sensitivity.csv has no `value` column");
}

#[test]
fn the_current_folder_is_not_an_output_folder() {
    let dir = tempdir();
    let d = dir.path();
    fs::write(d.join("keep.txt"), "mine\n").unwrap();
    fs::create_dir(d.join("sub")).unwrap();
    for (cwd, out) in [(d.to_path_buf(), "."), (d.join("sub"), "..")] {
        for cmd in [
            &["run", "--runs", "10"][..],
            &["sweep", "--vary", "buyer.power=0.1,0.2", "--runs", "10"],
        ] {
            let err = user_error(backsim(&cwd).args(cmd).args(["--out", out, "--force"]));
            assert_contains(&err, "the current folder");
        }
    }
    assert_eq!(fs::read_to_string(d.join("keep.txt")).unwrap(), "mine\n");
    assert_nothing_written(d);
}

/// Messages from the audit of bad input: each names the option or field
/// and says what is allowed.
#[test]
fn awkward_input_gets_a_plain_answer() {
    let dir = tempdir();
    let d = dir.path();
    fs::write(d.join("g.toml"), "[[provider.groups]]\nname = \"a\"\nfoo = 1\n").unwrap();
    // TOML syntax errors on one line (the toml crate draws a caret under
    // the line, over several).
    fs::write(d.join("syntax.toml"), "seed = 1\nx=\n").unwrap();
    fs::write(
        d.join("lists.toml"),
        "[sweep]\nvary = [\"contract.form=procurement,partnership\"]\n",
    )
    .unwrap();
    fs::write(d.join("big.toml"), "seed = 99999999999999999999\n").unwrap();
    fs::write(
        d.join("twins.toml"),
        "[[buyer.groups]]\nname = \"a\"\n[[buyer.groups]]\nname = \"a\"\n",
    )
    .unwrap();
    fs::write(
        d.join("two.toml"),
        "[[provider.groups]]\nname = \"big\"\n[[provider.groups]]\nname = \"small\"\n",
    )
    .unwrap();
    for (line, words) in [
        // Errors of the option parser are one line too, with the allowed
        // values (clap adds blank lines, the usage and a pointer to --help).
        (
            "run --runs x",
            &["'--runs <RUNS>'", "allowed: a whole number", "(see --help)"][..],
        ),
        (
            "story --lang de",
            &["invalid value 'de' for '--lang <LANG>'; allowed: en, sv"][..],
        ),
        (
            "run --rnus 5",
            &["unexpected argument '--rnus' found; tip: a similar argument exists: '--runs'"][..],
        ),
        (
            "show",
            &["the following required arguments were not provided: <SCENARIO>"][..],
        ),
        ("bogus", &["unrecognized subcommand 'bogus'"][..]),
        // A negative number is a value to refuse, not an unknown option.
        (
            "run --seed -1",
            &["invalid value '-1' for '--seed <SEED>': allowed: a whole number from 0"][..],
        ),
        // A [sweep] table's entry is named by its file and path, whether
        // --lhs is given on the command line or in the table.
        (
            "sweep lists.toml --lhs 5 --runs 2",
            &["lists.toml: `sweep.vary.0`: `contract.form`: a Latin hypercube samples ranges"][..],
        ),
        // A group's number is written one way only: `01` would be another
        // path to the same group, past the checks that compare paths.
        (
            "sweep two.toml --vary provider.groups.1.count=1,4 --vary provider.groups.01.count=2,3 --runs 10",
            &[
                "--vary provider.groups.01.count=2,3",
                "`01`",
                "not a table number",
                "no leading zeros",
            ][..],
        ),
        (
            "show two.toml --set provider.groups.01.count=2",
            &["--set: `provider.groups.01.count`", "allowed: 0 (big), 1 (small)"],
        ),
        (
            "show two.toml --set provider.groups.0.cuont=2",
            &["did you mean `count`", "allowed: name, count, share, kind, unit_cost"],
        ),
        // A --set that breaks another field is the command line's fault.
        (
            "show two.toml --set provider.groups.0.name=small",
            &[
                "--set: `provider.groups.1.name`",
                "(after `provider.groups.0.name=small`)",
            ],
        ),
        (
            "sensitivity two.toml --method morris --params provider.groups.7.reserves --runs 10",
            &["--params: `provider.groups.7.reserves`", "allowed: 0 (big), 1 (small)"],
        ),
        (
            "sensitivity --method morris --params provider.groups.0.reserves --runs 10",
            &["no [[provider.groups]] tables", "vary `provider.reserves` instead"],
        ),
        (
            "sensitivity two.toml --method morris --params provider.groups.1.count --runs 10",
            &["not a parameter", "sweep it instead"],
        ),
        (
            "sensitivity iop-partnership --method morris --params demand.shocks.5.size --runs 10",
            &[
                "`5` is not one of the scenario's scheduled shocks",
                "allowed: 0 (fewer arrivals, minors turn 18), 1 (state cuts compensation)",
            ],
        ),
        (
            "sweep --vary buyer.power=nan,0.3 --runs 10",
            &["--vary buyer.power=nan,0.3", "`nan`", "allowed: finite numbers"][..],
        ),
        (
            "sensitivity --method morris --params time.periods --runs 10",
            &["`time.periods` cannot be varied", "allowed: a number field of [buyer]"],
        ),
        (
            "show default --set provider.groups.0.count=2",
            &[
                "--set: `provider.groups.0.count`",
                "the scenario has no [[provider.groups]] tables",
                "set `provider.count` instead",
            ],
        ),
        ("show g.toml", &["g.toml", "`provider.groups.0.foo`", "unknown field"]),
        ("show syntax.toml", &["syntax.toml: not valid TOML at line 2, column 3"]),
        (
            "show twins.toml",
            &["`buyer.groups.1.name`", "also the name of group 0"],
        ),
        (
            "show big.toml",
            &["big.toml", "line 1", "allowed: whole numbers up to 9223372036854775807"],
        ),
        (
            "sweep --vary buyer.power=0.2,0.5,0.2 --runs 10",
            &["`buyer.power`", "the value 0.2 is given twice"],
        ),
        (
            "sweep --vary buyer.power=0.3:0.3:3 --runs 10",
            &["`buyer.power`", "the range 0.3:0.3 holds one value", "--set"],
        ),
        (
            "sensitivity --method sobol --levels 6 --params buyer.power --runs 10",
            &["--levels is for --method morris"],
        ),
        (
            "sensitivity --method morris --bootstrap 10 --params buyer.power --runs 10",
            &["--bootstrap 10 is out of range", "allowed: 100 to 100000"],
        ),
    ] {
        let err = error_words(d, line);
        for w in words {
            assert_contains(&err, w);
        }
    }
    assert_nothing_written(d);
}

#[test]
fn wrong_types_get_one_plain_line() {
    let dir = tempdir();
    let d = dir.path();
    for (text, path, allowed) in [
        ("[buyer]\nunits = 2.5\n", "`buyer.units`", "allowed: a whole number"),
        ("buyer = 3\n", "`buyer`", "allowed: a table of fields"),
        // serde would take a list's entries as the fields in order.
        (
            "buyer = [1]\n",
            "`buyer`: a list is not allowed",
            "allowed: a table of fields",
        ),
        (
            "[provider.groups]\nname = \"chain\"\n",
            "`provider.groups`: a table is not allowed",
            "allowed: a list of tables: [[provider.groups]] tables",
        ),
        (
            "seed = -1\n",
            "`seed`",
            "allowed: a whole number from 0 to 9223372036854775807",
        ),
        // A negative whole number gets the field's own range, not the type's.
        (
            "[buyer]\ncount = -3\n",
            "`buyer.count`",
            "allowed: a whole number from 1 to 100000",
        ),
        (
            "[time]\nperiods = -5\n",
            "`time.periods`",
            "allowed: a whole number from 1 to 10000",
        ),
        ("runs = -5\n", "`runs`", "allowed: a whole number from 1 to 1000000000"),
        (
            "[[demand.shocks]]\nstart = \"a\"\n",
            "`demand.shocks.0.start`",
            "allowed: a whole number",
        ),
        (
            "[contract]\nform = 3\n",
            "`contract.form`",
            "not a word; allowed: one of the words procurement, partnership",
        ),
        // A word field given a table, or a misspelled word: serde's "wanted
        // exactly 1 element" and "unknown variant" said neither.
        (
            "[contract]\nform = {}\n",
            "`contract.form`",
            "a table is not allowed; allowed: one of the words procurement, partnership",
        ),
        (
            "[provider]\nkind = { a = 1, b = 2 }\n",
            "`provider.kind`",
            "a table is not allowed; allowed: one of the words commercial, nonprofit, state_owned",
        ),
        (
            "[contract]\nform = \"procurment\"\n",
            "`contract.form`",
            "`procurment` is not one of its words (did you mean `procurement`?); allowed: one of the words procurement, partnership",
        ),
    ] {
        fs::write(d.join("bad.toml"), text).unwrap();
        // One line (user_error checks it), naming the file, the field and
        // what is allowed, without Rust's type names.
        let err = user_error(backsim(d).args(["show", "bad.toml"]));
        for e in ["bad.toml", path, allowed] {
            assert_contains(&err, e);
        }
        for rust in ["u32", "u64", "struct Raw", "[0]", "string only", "variant", "element"] {
            assert!(!err.contains(rust), "{err}");
        }
    }
}

#[test]
fn a_bare_run_is_the_built_in_default_and_plot_names_a_file() {
    let dir = tempdir();
    let d = dir.path();
    // A file named like the built-in does not replace it when none is named.
    fs::write(d.join("default"), "runs = 7\n").unwrap();
    ok_in(d, &["run", "--runs", "5", "--out", "bare", "--quiet", "--no-plots"]);
    let (_, rows) = read_csv(&d.join("bare/runs.csv"));
    assert_eq!(rows.len(), 5);
    let toml = fs::read_to_string(d.join("bare/scenario.toml")).unwrap();
    assert!(toml.contains("name = \"default\""), "{toml}");
    // `plot` on a file says it is one.
    let err = user_error(backsim(d).args(["plot", "default"]));
    assert_contains(&err, "a file, not an output folder");
    // --metric on a run folder is refused, not ignored.
    let err = user_error(backsim(d).args(["plot", "bare", "--metric", "excess_cost_mean"]));
    assert_contains(&err, "`backsim run` folder");
}

/// Ctrl-C (SIGINT) during a long run removes its unfinished output, says
/// so and ends by SIGINT (code 130 in a shell); so do SIGTERM (`kill`, a
/// batch system's time limit) and SIGHUP (a closed terminal), each ending
/// by its own signal, and a signal ignored from the start (SIGHUP under
/// `nohup`) stays ignored. During a sweep it keeps the finished points for
/// `--resume` and says how to continue.
#[cfg(unix)]
#[test]
fn ctrl_c_removes_an_unfinished_run_and_keeps_a_sweep() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    /// Starts `program` with `args` in `dir`, waits until `ready` holds (at
    /// most a minute), then sends each signal of `signals` in turn, 300 ms
    /// apart (`+` joins signals sent back to back), and returns the signal
    /// that ended the process and stderr.
    fn signal(
        dir: &Path,
        program: &str,
        args: &[&str],
        ready: impl Fn() -> bool,
        signals: &[&str],
    ) -> (Option<i32>, String) {
        use std::os::unix::process::ExitStatusExt;
        let mut child = Command::new(program)
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("backsim starts");
        let start = Instant::now();
        while !ready() {
            assert!(
                child.try_wait().unwrap().is_none(),
                "backsim ended before it could be interrupted"
            );
            assert!(start.elapsed() < Duration::from_secs(60), "backsim never got going");
            std::thread::sleep(Duration::from_millis(20));
        }
        for names in signals {
            std::thread::sleep(Duration::from_millis(300));
            for name in names.split('+') {
                let sent = Command::new("kill")
                    .args([&format!("-{name}"), &child.id().to_string()])
                    .status()
                    .expect("kill runs");
                assert!(sent.success());
            }
        }
        let out = child.wait_with_output().unwrap();
        (out.status.signal(), String::from_utf8(out.stderr).unwrap())
    }
    /// Starts backsim with `line`, then sends SIGINT.
    fn interrupt(dir: &Path, line: &str, ready: impl Fn() -> bool) -> (Option<i32>, String) {
        let args: Vec<&str> = line.split_whitespace().collect();
        signal(dir, env!("CARGO_BIN_EXE_backsim"), &args, ready, &["INT"])
    }
    const SIGINT: Option<i32> = Some(2);

    // A run of 10^8 runs (minutes of work), stopped once its staging
    // folder exists: by Ctrl-C, SIGTERM or SIGHUP, each ending the process
    // by itself; a second signal right after the first does not cut the
    // clean-up short.
    for (name, number) in [("INT", 2), ("TERM", 15), ("HUP", 1), ("TERM+TERM", 15)] {
        let dir = tempfile::tempdir().unwrap();
        let (code, stderr) = signal(
            dir.path(),
            env!("CARGO_BIN_EXE_backsim"),
            &["run", "--runs", "100000000", "--out", "big"],
            || dir.path().join(".big.partial/runs.csv").exists(),
            &[name],
        );
        assert_eq!(code, Some(number), "SIG{name}: {stderr}");
        assert_contains(&stderr, "interrupted: nothing was written to big");
        assert_eq!(
            tree(dir.path()),
            Vec::<PathBuf>::new(),
            "SIG{name}: nothing is left: {stderr}"
        );
    }
    // Started with SIGHUP ignored (as `nohup` does), the run carries on
    // after one, and SIGTERM still stops it.
    let dir = tempfile::tempdir().unwrap();
    // The binary is `$0` of the shell's command, so no quoting of its path.
    let (code, stderr) = signal(
        dir.path(),
        "sh",
        &[
            "-c",
            "trap '' HUP; exec \"$0\" run --runs 100000000 --out big",
            env!("CARGO_BIN_EXE_backsim"),
        ],
        || dir.path().join(".big.partial/runs.csv").exists(),
        &["HUP", "TERM"],
    );
    assert_eq!(code, Some(15), "ended by SIGTERM, not SIGHUP: {stderr}");
    assert_contains(&stderr, "interrupted: nothing was written to big");
    assert_eq!(tree(dir.path()), Vec::<PathBuf>::new(), "nothing is left: {stderr}");

    // A sweep of 100 points, stopped once its first point is written.
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = interrupt(
        dir.path(),
        "sweep --vary buyer.power=0:1:100 --runs 20000 --out sw",
        || dir.path().join(".sw.partial/points/0").is_dir(),
    );
    assert_eq!(code, SIGINT, "{stderr}");
    assert_contains(&stderr, "the finished points are kept in ./.sw.partial");
    assert_contains(&stderr, "--resume");
    assert!(dir.path().join(".sw.partial/points/0/metrics.csv").is_file());
    assert!(!dir.path().join("sw").exists());

    // A new sweep stopped before any point is done leaves nothing (its
    // staging folder would only block the next attempt).
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = interrupt(
        dir.path(),
        "sweep --vary buyer.power=0:1:3 --runs 100000000 --out sw",
        || dir.path().join(".sw.partial/points").is_dir(),
    );
    assert_eq!(code, SIGINT, "{stderr}");
    assert_contains(&stderr, "interrupted: nothing was written to sw");
    assert_eq!(tree(dir.path()), Vec::<PathBuf>::new(), "nothing is left: {stderr}");
}
