//! The README documents every command, option and output column, its
//! examples print what it shows, every command in the documentation is one
//! backsim accepts, and the ODD document names every step of the model.

use backsim::experiment::FIGURES;
use backsim::output::runs::{EPISODE_COLUMNS, RUN_COLUMNS};
use backsim::output::summary::timeseries_columns;

const README: &str = include_str!("../README.md");

/// The part of `text` after `heading` and before the next `until` (the
/// next heading of that level); fails if `text` has no such heading.
fn section<'a>(text: &'a str, heading: &str, until: &str) -> &'a str {
    let rest = text
        .split_once(heading)
        .unwrap_or_else(|| panic!("no heading `{heading}`"))
        .1;
    rest.split(until).next().unwrap_or(rest)
}

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
    let discover = section(README, "### The `--csv` file of `backsim discover`", "\n### ");
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
    let quick = section(README, "## Quick start", "\n## ");
    assert!(quick.contains("cargo run --release"));
    assert!(quick.contains("cargo test --release"));
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == "cargo test --release"),
        ".ci/run must run the README's test command"
    );
}

/// The README's examples with their output: each ```sh block followed by a
/// ```text block is run (its commands in order, in an empty folder), and
/// the text block must appear in what they print, line for line, a line
/// `...` standing for any lines left out. So a change that moves a number
/// of an example fails here, not in a reader's hands.
#[test]
fn readme_examples_print_what_the_readme_shows() {
    let lines: Vec<&str> = README.lines().collect();
    let block = |start: usize| -> (Vec<&str>, usize) {
        let end = (start + 1..lines.len())
            .find(|&i| lines[i].trim() == "```")
            .expect("a closed code block");
        (lines[start + 1..end].to_vec(), end)
    };
    let mut examples = 0;
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "```sh" {
            i += 1;
            continue;
        }
        let (sh, end) = block(i);
        i = end + 1;
        let mut next = i;
        while next < lines.len() && lines[next].trim().is_empty() {
            next += 1;
        }
        if next >= lines.len() || lines[next].trim() != "```text" {
            continue;
        }
        let (text, end) = block(next);
        i = end + 1;
        examples += 1;
        let commands = sh.join("\n").replace("\\\n", " ");
        let dir = tempfile::tempdir().unwrap();
        let mut printed = String::new();
        for command in commands.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                !command.contains(['\'', '"', '$', '|', '>']),
                "README example `{command}`: only plain words are run here"
            );
            let mut words = command.split_whitespace();
            assert_eq!(words.next(), Some("backsim"), "README example `{command}`");
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_backsim"))
                .args(words)
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "README example `{command}` failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            printed.push_str(&String::from_utf8(out.stdout).unwrap());
        }
        let got: Vec<&str> = printed.lines().map(str::trim_end).collect();
        let mut at = 0;
        for chunk in text.split(|l| l.trim() == "...").filter(|c| !c.is_empty()) {
            let chunk: Vec<&str> = chunk.iter().map(|l| l.trim_end()).collect();
            let found = got.windows(chunk.len()).skip(at).position(|w| w == chunk.as_slice());
            let Some(k) = found.map(|k| k + at) else {
                panic!(
                    "README example `{}` does not print, in this order:\n{}\n\nIt printed:\n{}",
                    sh.join(" / "),
                    chunk.join("\n"),
                    got.join("\n")
                );
            };
            at = k + chunk.len();
        }
    }
    assert!(examples >= 4, "found {examples} README examples with their output");
}

/// docs/ODD.md has the seven elements of the ODD protocol, and a submodel
/// heading for every step that the model's steps module lists (the
/// functions named in its documentation, `draw_demand` to
/// `advance_transitions`, and the period record).
#[test]
fn odd_names_every_step_of_the_model() {
    let odd = include_str!("../docs/ODD.md");
    for (k, element) in [
        "Purpose and patterns",
        "Entities, state variables and scales",
        "Process overview and scheduling",
        "Design concepts",
        "Initialisation",
        "Input data",
        "Submodels",
    ]
    .iter()
    .enumerate()
    {
        let heading = format!("## {}. {element}", k + 1);
        assert!(
            odd.lines().any(|l| l == heading),
            "docs/ODD.md lacks the heading `{heading}`"
        );
    }
    let steps_doc: String = include_str!("../src/model/steps.rs")
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut names: Vec<&str> = steps_doc
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|n| n.trim_start_matches("World::"))
        .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    names.push("record_period");
    assert!(names.len() >= 12, "the steps module names {names:?}");
    let submodels: Vec<&str> = odd.lines().filter(|l| l.starts_with("### 7.")).collect();
    for name in names.iter().filter(|&&n| n != "unit_steps" && n != "learn") {
        assert!(
            submodels.iter().any(|h| h.contains(&format!("`{name}`"))),
            "docs/ODD.md has no submodel heading (### 7.K) naming `{name}`"
        );
    }
    // The one pass of steps 2 to 5 and the providers' learning are
    // described in section 3, with their functions' names.
    let process = section(odd, "## 3. Process overview and scheduling", "\n## 4.");
    for name in ["unit_steps", "learn"] {
        assert!(
            process.contains(&format!("`World::{name}`")),
            "section 3 of docs/ODD.md does not name `World::{name}`"
        );
    }
}

/// The documents whose commands [`every_command_in_the_docs_is_accepted`]
/// checks, with their text.
const DOCS: [(&str, &str); 6] = [
    ("README.md", README),
    ("docs/teaching.md", include_str!("../docs/teaching.md")),
    ("docs/experiments.md", include_str!("../docs/experiments.md")),
    ("docs/cases.md", include_str!("../docs/cases.md")),
    ("docs/ODD.md", include_str!("../docs/ODD.md")),
    ("docs/performance.md", include_str!("../docs/performance.md")),
];

/// The backsim commands of a Markdown text: each line of a `sh` block and
/// each inline code span (which may run over a line break) that starts with
/// `backsim `, cut at `&&` and before a `#` comment. Spans with
/// placeholders (`SCENARIO`, `PATH=VALUE`, `...`, `[N]`) are left out: they
/// show a form, not a command.
fn doc_commands(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_sh = false;
    let mut block = String::new();
    for line in text.lines() {
        match line.trim() {
            "```sh" => in_sh = true,
            "```" if in_sh => in_sh = false,
            l if in_sh => {
                let l = l.split(" #").next().unwrap_or(l);
                match l.strip_suffix('\\') {
                    Some(part) => block.push_str(part),
                    None => {
                        block.push_str(l);
                        found.push(std::mem::take(&mut block));
                    }
                }
            }
            _ => {}
        }
    }
    // Inline spans: the text between pairs of backticks, outside code blocks.
    let prose: String = text.split("```").step_by(2).collect::<Vec<_>>().join("\n");
    for (i, span) in prose.split('`').enumerate() {
        // Two words only name a command (`backsim plot`).
        if i % 2 == 1 && span.split_whitespace().count() > 2 {
            found.push(span.replace('\n', " "));
        }
    }
    let placeholder = |c: &str| {
        c.contains("...")
            || c.contains('[')
            || c.split_whitespace()
                .any(|w| w.chars().all(|ch| ch.is_ascii_uppercase() || ch == '=' || ch == '_'))
    };
    found
        .iter()
        .flat_map(|c| c.split("&&"))
        // What a shell does with the output is not backsim's.
        .map(|c| c.split(['>', '|']).next().unwrap_or(c).trim().to_string())
        .filter(|c| c.starts_with("backsim ") && !placeholder(c))
        .collect()
}

#[test]
fn every_command_in_the_docs_is_accepted() {
    use backsim::cli::{Cli, Command};
    use clap::Parser;
    let (mut checked, mut refused) = (0, Vec::new());
    for (file, text) in DOCS {
        for command in doc_commands(text) {
            checked += 1;
            let words = match shell_words::split(&command) {
                Ok(w) => w,
                Err(e) => {
                    refused.push(format!("{file}: `{command}`: {e}"));
                    continue;
                }
            };
            let cli = match Cli::try_parse_from(&words) {
                Ok(c) => c,
                Err(e) => {
                    refused.push(format!(
                        "{file}: `{command}`: {}",
                        e.to_string().lines().next().unwrap_or("")
                    ));
                    continue;
                }
            };
            // The scenario and its --set options must load, for the
            // commands that name both.
            let loaded = match &cli.command {
                Some(Command::Run(a)) => Some((a.scenario.as_deref(), &a.sets)),
                Some(Command::Story(a)) => Some((a.scenario.as_deref(), &a.sets)),
                _ => None,
            };
            if let Some((scenario, sets)) = loaded
                && scenario.is_none_or(|s| !s.ends_with(".toml"))
                && let Err(e) = backsim::scenario::load(scenario, sets)
            {
                refused.push(format!("{file}: `{command}`: {e}"));
            }
        }
    }
    assert!(
        refused.is_empty(),
        "commands in the docs that backsim refuses:\n{}",
        refused.join("\n")
    );
    // 77 when this test was written; a reader that found few would pass
    // without checking much.
    assert!(checked >= 60, "only {checked} commands found in the docs");
}
