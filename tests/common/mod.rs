//! Helpers shared by the integration tests: the `backsim` binary and its
//! output, files read back, and intervals for statistical assertions. Each
//! test file that needs them declares `mod common;`.

// Each test file is its own crate and uses a part of these.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// The `backsim` binary, run in `dir`.
pub fn backsim(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("backsim").expect("the backsim binary is built");
    cmd.current_dir(dir);
    cmd
}

/// The output of a finished command, as text.
pub struct Out {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs a command to its end.
pub fn run(cmd: &mut Command) -> Out {
    let o = cmd.output().expect("backsim starts");
    Out {
        code: o.status.code(),
        stdout: String::from_utf8(o.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(o.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs a command that must succeed; returns its output.
pub fn ok(cmd: &mut Command) -> Out {
    let o = run(cmd);
    assert_eq!(
        o.code,
        Some(0),
        "expected success\nstdout:\n{}\nstderr:\n{}",
        o.stdout,
        o.stderr
    );
    o
}

/// Runs a command that must fail with a user error: exit code 2 and exactly
/// one line on stderr, starting `error: `. Returns stderr.
pub fn user_error(cmd: &mut Command) -> String {
    let o = run(cmd);
    assert_eq!(
        o.code,
        Some(2),
        "expected exit code 2\nstdout:\n{}\nstderr:\n{}",
        o.stdout,
        o.stderr
    );
    let lines: Vec<&str> = o.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line on stderr, got:\n{}", o.stderr);
    assert!(
        lines[0].starts_with("error: "),
        "the message starts with `error: `: {}",
        o.stderr
    );
    o.stderr
}

/// `backsim ARGS` in `dir`, which must succeed; returns stdout.
pub fn ok_in(dir: &Path, args: &[&str]) -> String {
    ok(backsim(dir).args(args)).stdout
}

/// [`ok_in`] with the arguments as one line of words (none with spaces).
pub fn ok_words(dir: &Path, line: &str) -> String {
    ok_in(dir, &line.split_whitespace().collect::<Vec<_>>())
}

/// `backsim ARGS` in `dir`, which must fail with a user error (see
/// [`user_error`]); returns stderr.
pub fn error_in(dir: &Path, args: &[&str]) -> String {
    user_error(backsim(dir).args(args))
}

/// [`error_in`] with the arguments as one line of words (none with spaces).
pub fn error_words(dir: &Path, line: &str) -> String {
    error_in(dir, &line.split_whitespace().collect::<Vec<_>>())
}

/// Reads a CSV file: (header, rows).
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Reads a JSON file.
pub fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// Every file of a folder, recursively: path relative to it, and bytes.
pub fn folder_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let name = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(name, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Mean and 95% interval (mean ± t·sd/√n, t of Student on n - 1 degrees
/// of freedom) of independent observations.
#[derive(Clone, Copy, Debug)]
pub struct Ci {
    pub n: usize,
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
}

/// The mean of `xs` with its interval; at least 30 observations, so that
/// the mean is near enough normal for the t interval.
pub fn mean_ci(xs: &[f64]) -> Ci {
    let n = xs.len();
    assert!(n >= 30, "too few observations ({n}) for an interval");
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var = xs.iter().map(|x| backsim::math::powi(x - mean, 2)).sum::<f64>() / (n - 1) as f64;
    let half = backsim::stats::t975(n as u64 - 1) * var.sqrt() / (n as f64).sqrt();
    Ci {
        n,
        mean,
        lo: mean - half,
        hi: mean + half,
    }
}
