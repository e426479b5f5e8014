//! Story mode tells exactly run N of `backsim run`: the same numbers and the
//! same outcomes, in English or Swedish, with the run's state as CSV.

use std::process::Command;

use assert_cmd::prelude::*;
use backsim::output::runs::write_run;
use backsim::output::story::{Lang, STORY_COLUMNS, StoryRun};
use backsim::scenario::{Scenario, builtin};

mod common;
use common::read_csv;

const SETS: [&str; 2] = ["--set", "time.start=\"2016Q1\""];

fn backsim() -> Command {
    Command::cargo_bin("backsim").unwrap()
}

fn scenario(seed: u64) -> Scenario {
    let mut s = backsim::scenario::load(Some("default"), &["time.start=\"2016Q1\"".to_string()]).unwrap();
    s.seed = seed;
    s
}

fn col(headers: &[String], name: &str) -> usize {
    headers.iter().position(|h| h == name).unwrap()
}

/// Money as the story prints it (about four significant digits).
fn money(x: f64) -> String {
    let a = x.abs();
    let d = if a >= 100.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        (2.0 - backsim::math::log10(a).floor()).clamp(3.0, 9.0) as usize
    };
    format!("{x:.d$}")
}

#[test]
fn story_is_run_n_of_backsim_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    backsim()
        .args(["run", "--runs", "60", "--seed", "5", "--quiet", "--no-plots", "--out"])
        .arg(&out)
        .args(SETS)
        .assert()
        .success();
    let (headers, runs) = read_csv(&out.join("runs.csv"));
    let s = scenario(5);
    for n in [0usize, 17, 59] {
        // The library: the recorded run writes the same runs.csv row.
        let story = StoryRun::simulate(&s, n as u64);
        let mut w = Vec::new();
        write_run(&mut w, &story.result).unwrap();
        let row = String::from_utf8(w).unwrap();
        assert_eq!(row.trim_end(), runs[n].join(","), "run {n}: story and runs.csv differ");

        // The command: its final numbers and outcomes are those of row n.
        let text = backsim()
            .args(["story", "default", "--seed", "5", "--run", &n.to_string()])
            .args(SETS)
            .output()
            .unwrap();
        assert!(text.status.success());
        let text = String::from_utf8(text.stdout).unwrap();
        assert!(text.starts_with(&format!("The story of run {n} of the scenario \"default\" (seed 5)")));
        let get = |name: &str| runs[n][col(&headers, name)].parse::<f64>().unwrap();
        let total = money(get("total_cost"));
        assert!(
            text.contains(&format!("The buyer paid {total} MSEK in all")),
            "run {n}: no total {total}\n{text}"
        );
        let excess = money(get("excess_cost"));
        assert!(text.contains(&excess), "run {n}: no excess {excess}");
        for (outcome, phrase) in [
            ("switched", "switched to another provider"),
            ("initiated", "initiated backsourcing"),
            ("involuntary", "involuntary backsourcing"),
            ("wound_down", "wound down"),
            ("continued", "still running at the end"),
        ] {
            if get(outcome) > 0.0 {
                assert!(text.contains(phrase), "run {n}: {outcome} not told");
            }
        }
        assert_eq!(get("both_lose") == 1.0, text.contains("Both parties lost."), "run {n}");
        assert!(text.contains(&format!("row {n} of its runs.csv")));
        assert!(text.contains("2016 Q1"), "dates from time.start");
    }
}

#[test]
fn a_story_of_another_point_is_that_points_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    backsim()
        .args(["run", "--runs", "40", "--point", "4", "--quiet", "--no-plots", "--out"])
        .arg(&out)
        .assert()
        .success();
    let (headers, runs) = read_csv(&out.join("runs.csv"));
    let text = backsim()
        .arg("story")
        .arg(out.join("scenario.toml"))
        .args(["--run", "7"])
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with("The story of run 7 of the scenario \"default\" (seed 1, point 4)"),
        "{text}"
    );
    let total = money(runs[7][col(&headers, "total_cost")].parse().unwrap());
    assert!(text.contains(&format!("The buyer paid {total} MSEK in all")), "{text}");
}

#[test]
fn find_picks_the_first_run_with_the_outcome() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    backsim()
        .args(["run", "--runs", "400", "--seed", "2", "--quiet", "--no-plots", "--out"])
        .arg(&out)
        .assert()
        .success();
    let (headers, runs) = read_csv(&out.join("runs.csv"));
    let inv = col(&headers, "involuntary");
    let first = runs
        .iter()
        .position(|r| r[inv] != "0")
        .expect("some involuntary run in 400");
    let text = backsim()
        .args(["story", "--seed", "2", "--find", "involuntary"])
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with(&format!("The story of run {first} ")),
        "expected run {first}:\n{text}"
    );
    assert!(text.contains("involuntary backsourcing"));
    // From --run on: the next one after it.
    let next = runs
        .iter()
        .skip(first + 1)
        .position(|r| r[inv] != "0")
        .map(|i| i + first + 1);
    if let Some(next) = next {
        let text = backsim()
            .args([
                "story",
                "--seed",
                "2",
                "--find",
                "involuntary",
                "--run",
                &(first + 1).to_string(),
            ])
            .output()
            .unwrap();
        let text = String::from_utf8(text.stdout).unwrap();
        assert!(text.starts_with(&format!("The story of run {next} ")));
    }
    backsim()
        .args(["story", "--find", "involuntry"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("involuntary"));
}

#[test]
fn swedish_story_and_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let csv_path = tmp.path().join("state.csv");
    let out = backsim()
        .args(["story", "default", "--run", "3", "--lang", "sv", "--csv"])
        .arg(&csv_path)
        .args(SETS)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for word in [
        "Berättelsen om körning 3",
        "Notan efter 40 kvartal",
        "Beställaren betalade totalt",
        "2016 kv1",
    ] {
        assert!(text.contains(word), "no `{word}` in\n{text}");
    }
    assert!(!text.contains("The bill"), "English in the Swedish story");

    let (headers, rows) = read_csv(&csv_path);
    let expect: Vec<&str> = STORY_COLUMNS.iter().map(|(c, _)| *c).collect();
    assert_eq!(headers, expect);
    let s = scenario(1);
    assert_eq!(rows.len(), s.time.periods as usize * s.unit_count());
    // The last period's running cost is the run's total cost.
    let story = StoryRun::simulate(&s, 3);
    let last = rows.last().unwrap();
    assert_eq!(
        last[col(&headers, "cost_so_far")],
        story.result.costs.total().to_string()
    );
    assert_eq!(last[col(&headers, "date")], "2025 Q4");

    backsim()
        .args(["story", "--csv", "/nonexistent/folder/x.csv"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--csv"));
}

#[test]
fn every_builtin_scenario_can_be_told_in_both_languages() {
    for (name, _) in builtin::BUILTIN {
        let s = backsim::scenario::load(Some(name), &[]).unwrap();
        for run in 0..3 {
            let story = StoryRun::simulate(&s, run);
            for lang in [Lang::En, Lang::Sv] {
                let text = story.narrate(lang);
                assert!(text.lines().count() > 10, "{name} run {run}: too short");
                assert!(!text.contains("{"), "{name}: an unfilled placeholder");
            }
            let mut w = csv::Writer::from_writer(Vec::new());
            story.write_csv(&mut w).unwrap();
        }
    }
}

#[test]
fn the_opening_speaks_of_one_buyer_or_of_many() {
    let opening = |name: &str| {
        let s = backsim::scenario::load(Some(name), &[]).unwrap();
        let text = StoryRun::simulate(&s, 0).narrate(Lang::En);
        text.lines().find(|l| l.contains(" out to ")).unwrap().to_string()
    };
    let one = opening("default");
    assert!(one.starts_with("A municipality contracts 4 service units"), "{one}");
    assert!(
        one.contains("under a procured contract.") && one.contains("The buyer produces"),
        "{one}"
    );
    // One unit is spoken of in the singular ("1 service units" before).
    let single = opening("ambulance-dispatch");
    assert!(
        single.starts_with("A region contracts 1 service unit out to"),
        "{single}"
    );
    let many = opening("national-elderly-care");
    assert!(many.starts_with("290 buyers contract 580 service units"), "{many}");
    assert!(
        many.contains("under procured contracts.")
            && many.contains("The buyers produce")
            && many.contains("themselves"),
        "{many}"
    );
}

#[test]
fn readme_documents_the_story_csv() {
    let readme = include_str!("../README.md");
    for (c, _) in STORY_COLUMNS {
        assert!(
            readme.contains(&format!("| `{c}` |")),
            "README lacks the story column `{c}`"
        );
    }
}

/// Splits a command line as a POSIX shell does for plain and single-quoted
/// words (what the story's closing line writes).
fn shell_split(line: &str) -> Vec<String> {
    let (mut words, mut cur, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(cur);
    }
    words
}

#[test]
fn the_closing_command_reproduces_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // A scenario file at another point, with overrides a shell must quote.
    let file = d.join("my scenario.toml");
    std::fs::write(&file, "name = \"mine\"\nseed = 3\npoint = 2\nruns = 30\n").unwrap();
    let sets = ["buyer.power=0.3", "demand.trend={dist=\"uniform\",min=0,max=0.001}"];
    for run in ["4", "45"] {
        let mut story = backsim();
        story.current_dir(d).arg("story").arg(&file).args(["--run", run]);
        for s in sets {
            story.args(["--set", s]);
        }
        let text = String::from_utf8(story.output().unwrap().stdout).unwrap();
        let last = text.lines().last().unwrap();
        let command = last.split('`').nth(1).unwrap_or_else(|| panic!("{last}"));
        let words = shell_split(command);
        assert_eq!(&words[..3], ["backsim", "run", file.to_str().unwrap()], "{command}");
        assert!(command.contains("--seed 3 --point 2"), "{command}");
        // Run 45 is beyond the scenario's 30 runs: the command asks for 46.
        assert_eq!(command.ends_with("--runs 46"), run == "45", "{command}");
        backsim()
            .current_dir(d)
            .args(&words[1..])
            .args(["--out", "again", "--force", "--quiet", "--no-plots"])
            .assert()
            .success();
        let (headers, rows) = read_csv(&d.join("again/runs.csv"));
        let n: usize = run.parse().unwrap();
        let total = money(rows[n][col(&headers, "total_cost")].parse().unwrap());
        assert!(
            text.contains(&format!("The buyer paid {total} MSEK in all")),
            "{total}\n{text}"
        );
        assert_eq!(rows[n][col(&headers, "run")], run);
    }
}

#[test]
fn a_saving_is_told_as_a_positive_amount() {
    // Run 9 of the default under seed 7 costs less than the opening price.
    let s = backsim::scenario::load(Some("default"), &[]).unwrap();
    let mut s = s;
    s.seed = 7;
    let story = StoryRun::simulate(&s, 9);
    let excess = story.result.costs.excess();
    assert!(excess < 0.0, "run 9 has an excess cost of {excess}");
    for lang in [Lang::En, Lang::Sv] {
        let text = story.narrate(lang);
        let saved = money(-excess).replace('.', if lang == Lang::Sv { "," } else { "." });
        assert!(text.contains(&format!(" {saved} MSEK")), "{saved}\n{text}");
        assert!(!text.contains("saved −") && !text.contains("sparade −"), "{text}");
    }
}

/// The state of a unit in the period its episode ended shows the provider
/// that served it then, not its next one: a switch, a takeback or a
/// wind-down happen after delivery (steps 7 and 8).
#[test]
fn a_units_period_shows_the_provider_that_served_it() {
    let s = backsim::scenario::load(Some("refugee-housing"), &[]).unwrap();
    let mut checked = 0;
    for run in 0..30 {
        let story = StoryRun::simulate(&s, run);
        for e in story.episodes.iter().filter(|e| e.end < s.time.periods) {
            let unit = &story.record.periods[e.end as usize].units[e.unit as usize];
            assert!(
                unit.delivered && unit.provider == e.provider,
                "run {run}, period {}: unit {} shows provider {} (delivered {}), its episode's was {}",
                e.end,
                e.unit,
                unit.provider,
                unit.delivered,
                e.provider
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} episodes checked");
}

/// A renewal names the contract period it starts, and a re-tender the
/// incumbent wins is told as one, not as a renewal. In run 0 of the
/// default the option is used after the first term (contract period 2) and
/// the incumbent wins the re-tender after the second (contract period 3).
#[test]
fn renewals_name_the_new_contract_period_and_re_tenders_are_told_as_such() {
    let s = backsim::scenario::load(Some("default"), &[]).unwrap();
    let story = StoryRun::simulate(&s, 0);
    let text = story.narrate(Lang::En);
    assert!(
        text.contains("are renewed with provider 1 at 0.266 MSEK per place (contract period 2)."),
        "{text}"
    );
    assert!(
        text.contains(
            "The buyer re-tenders units 1–4 at the end of the term, and provider 1 keeps them with new contracts at 0.287 MSEK per place (contract period 3)."
        ),
        "{text}"
    );
    assert!(!text.contains("(contract period 1)."), "{text}");
    let sv = story.narrate(Lang::Sv);
    assert!(
        sv.contains("förlängs med utförare 1 till 0,266 MSEK per plats (avtalsperiod 2)"),
        "{sv}"
    );
    assert!(
        sv.contains("och utförare 1 behåller dem med nya avtal till 0,287 MSEK per plats (avtalsperiod 3)"),
        "{sv}"
    );
}

/// A partnership that ends for lack of demand is told as such, not as the
/// lowest-ranked unit of a carousel (its renegotiation may have failed at
/// its term's end); the carousel's early closures keep that wording.
#[test]
fn a_partnership_ended_by_falling_demand_is_not_called_lowest_ranked() {
    let s = backsim::scenario::load(Some("iop-partnership"), &[]).unwrap();
    let text = StoryRun::simulate(&s, 2).narrate(Lang::En);
    assert!(
        text.contains("The partnership for unit 5 ends because demand has fallen; provider 5 loses it."),
        "{text}"
    );
    assert!(!text.contains("lowest-ranked"), "{text}");
    let s = backsim::scenario::load(Some("refugee-housing"), &[]).unwrap();
    let text = StoryRun::simulate(&s, 0).narrate(Lang::En);
    assert!(
        text.contains("is wound down because demand has fallen (the lowest-ranked first)"),
        "{text}"
    );
}

#[test]
fn a_quiet_span_that_served_nothing_says_so() {
    // Demand noise of 3 drives demand to 0 in some periods; with no
    // in-house base nothing is served then, and such a period has no
    // quality (it was 0 before, and an undefined one must not print as
    // `inf` or `NaN`).
    let sets = ["demand.noise=3".to_string(), "buyer.in_house_capacity=0".to_string()];
    let s = backsim::scenario::load(Some("default"), &sets).unwrap();
    for lang in [Lang::En, Lang::Sv] {
        let text = StoryRun::simulate(&s, 0).narrate(lang);
        let said = if lang == Lang::En {
            "nothing served"
        } else {
            "inget levererat"
        };
        assert!(
            text.contains(&format!("of the baseline, {said}")) || text.contains(&format!("av normalnivån, {said}")),
            "{text}"
        );
        let words = text.split(|c: char| !c.is_alphanumeric());
        assert!(!words.into_iter().any(|w| w == "inf" || w == "NaN"), "{text}");
    }
}
