//! The README documents every command, option and output column, and the
//! ODD document names every step of the model.

use backsim::experiment::FIGURES;
use backsim::output::runs::{EPISODE_COLUMNS, RUN_COLUMNS};
use backsim::output::summary::timeseries_columns;

const README: &str = include_str!("../README.md");

#[test]
fn readme_documents_every_output_column() {
    for (col, _) in RUN_COLUMNS.iter().chain(EPISODE_COLUMNS) {
        assert!(
            README.contains(&format!("| `{col}` |")),
            "README lacks the column `{col}`"
        );
    }
    for col in timeseries_columns() {
        let stem = col
            .rsplit_once('_')
            .map_or(col.as_str(), |(s, q)| if q.starts_with('p') { s } else { &col });
        assert!(
            README.contains(&format!("`{col}`")) || README.contains(&format!("`{stem}_p5`")),
            "README lacks the time series column `{col}`"
        );
    }
    let discover = README
        .split("### The `--csv` file of `backsim discover`")
        .nth(1)
        .and_then(|s| s.split("\n### ").next())
        .expect("README has a section on discover's --csv file");
    for col in backsim::experiment::discovery::TRAJECTORY_COLUMNS {
        assert!(
            discover.contains(&format!("| `{col}`")) || discover.contains(&format!(", `{col}` |")),
            "README lacks the discover --csv column `{col}`"
        );
    }
    for f in FIGURES {
        assert!(
            README.contains(&format!("`{}`", f.name)),
            "README lacks the figure `{}`",
            f.name
        );
    }
}

#[test]
fn readme_documents_every_command_and_option() {
    use clap::CommandFactory;
    let cli = backsim::cli::Cli::command();
    for sub in cli.get_subcommands() {
        let name = sub.get_name();
        assert!(
            README.contains(&format!("`backsim {name}")),
            "README lacks the command `{name}`"
        );
        for arg in sub.get_arguments() {
            if let Some(long) = arg.get_long() {
                assert!(
                    README.contains(&format!("`--{long}")),
                    "README lacks the option --{long} of {name}"
                );
            }
        }
    }
}

#[test]
fn readme_quick_start_has_the_two_commands() {
    let quick = README
        .split("## Quick start")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or("");
    assert!(quick.contains("cargo run --release"));
    assert!(quick.contains("cargo test --release"));
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == "cargo test --release"),
        ".ci/run must run the README's test command"
    );
}
