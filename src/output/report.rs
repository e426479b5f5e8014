//! `report.html`: one self-contained page per output folder, with the
//! scenario in words and as a table of its key parameters, the summary
//! table, every plot as inline SVG, and the exact command, seed and version
//! to reproduce it. No external files, scripts or fonts; it prints cleanly.
//!
//! The page is a pure function of the folder's files: the same folder gives
//! the same bytes (no timestamps).

use std::fmt::Write as _;
use std::path::Path;

use super::plots::data::{RunData, RunSummary, Table};
use super::plots::{self, Figure, FolderKind, PlotError, PlotOptions};
use super::shell_word;
use crate::experiment::FIGURES;
use crate::scenario::param::{Dist, Param};
use crate::scenario::{BuyerParams, FieldDoc, Form, Level, ProviderKind, ProviderParams, Scenario};

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --ink: #222; --muted: #666; --rule: #ddd; --accent: #0072b2; --bg-soft: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1080px; padding: 28px 32px 60px; color: var(--ink); background: #fff;
  font: 16px/1.5 "DejaVu Sans", Verdana, "Segoe UI", Arial, sans-serif; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 18px; padding-bottom: 8px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 34px 0 10px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 17px; margin: 20px 0 6px; }
p.lead { font-size: 17px; color: var(--muted); margin: 0; }
nav { font-size: 14px; margin: 8px 0 0; }
nav a { color: var(--accent); margin-right: 14px; text-decoration: none; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 8px 0 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { background: var(--bg-soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
pre { background: var(--bg-soft); padding: 10px 12px; overflow-x: auto; border-radius: 4px; white-space: pre-wrap; }
figure { margin: 18px 0 26px; }
figure svg { width: 100%; height: auto; display: block; border: 1px solid var(--rule); }
figcaption { font-size: 14px; color: var(--muted); margin-top: 6px; }
figcaption b { color: var(--ink); }
.note { font-size: 14px; color: var(--muted); }
.key { display: inline-block; min-width: 14em; }
footer { margin-top: 40px; font-size: 13px; color: var(--muted); border-top: 1px solid var(--rule); padding-top: 8px; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, table, pre { break-inside: avoid; page-break-inside: avoid; }
  figure svg { border: none; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Builds the report of a finished output folder.
pub fn folder_report(dir: &Path) -> Result<String, PlotError> {
    let kind = plots::detect(dir)?;
    match kind {
        FolderKind::Run => run_report(dir),
        _ => experiment_report(dir, kind),
    }
}

/// Writes `report.html` (whole or not at all) and returns its path: into
/// `dir`, replacing an earlier report, or to `out`, which replaces an
/// existing file only with `force`.
pub fn write_report(dir: &Path, out: Option<&Path>, force: bool) -> Result<std::path::PathBuf, PlotError> {
    let html = folder_report(dir)?;
    match out {
        None => {
            let path = dir.join("report.html");
            super::folder::write_files(&[(path.clone(), html.as_bytes())])
                .map_err(|e| PlotError::new(format!("cannot write {}: {e}", path.display())))?;
            Ok(path)
        }
        Some(path) => {
            super::folder::write_named(path, html.as_bytes(), "--out", force).map_err(PlotError::new)?;
            Ok(path.to_path_buf())
        }
    }
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"backsim {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        crate::VERSION,
        esc(title)
    )
}

fn figures_html(out: &mut String, figures: &[Figure]) {
    for f in figures {
        let svg = f.svg.trim_start_matches(|c| c != '<');
        let _ = writeln!(
            out,
            "<figure id=\"fig-{}\">\n{svg}<figcaption><b>{}.</b> {} <span class=\"note\">(Also as {}.png and {}.svg.)</span></figcaption>\n</figure>",
            esc(&f.name),
            esc(&f.title),
            esc(&f.about),
            esc(&f.name),
            esc(&f.name)
        );
    }
}

/// A parameter as written in a scenario: `0.3` or `beta(a = 2, b = 4), drawn per run`.
fn param_text(p: &Param) -> String {
    let scope = if p.scope == crate::scenario::Scope::Agent {
        "per agent"
    } else {
        "per run"
    };
    let n = crate::scenario::param::fmt_num;
    match p.dist {
        Dist::Fixed(v) => n(v),
        Dist::Uniform { min, max } => format!("uniform from {} to {}, drawn {scope}", n(min), n(max)),
        Dist::Normal { mean, sd, min, max } => format!(
            "normal (mean {}, sd {}) within {} to {}, drawn {scope}",
            n(mean),
            n(sd),
            n(min),
            n(max)
        ),
        Dist::Beta { a, b, min, max } => format!(
            "beta (a = {}, b = {}) on {} to {}, mean {}, drawn {scope}",
            n(a),
            n(b),
            n(min),
            n(max),
            short(p.central())
        ),
        Dist::Triangular { min, mode, max } => format!(
            "triangular from {} to {}, most likely {}, drawn {scope}",
            n(min),
            n(max),
            n(mode)
        ),
    }
}

fn short(x: f64) -> String {
    plots::style::short(x)
}

fn tick(x: f64) -> String {
    plots::style::tick(x)
}

/// The first sentence of a field's documentation.
fn first_sentence(doc: &str) -> String {
    let d = doc.trim();
    match d.find(". ") {
        Some(i) => d[..=i].to_string(),
        None => d.to_string(),
    }
}

fn doc_of<'a>(fields: &'a [FieldDoc], name: &str) -> Option<&'a FieldDoc> {
    fields.iter().find(|f| f.name == name)
}

/// Rows for agent fields (`section.field`): each group's value, prefixed by
/// the group's name when there are several groups.
fn agent_rows(
    rows: &mut Vec<(String, String, String, String)>,
    section: &str,
    fields: &[&str],
    docs: &[FieldDoc],
    groups: &[(&str, Vec<(&FieldDoc, &Param)>)],
) {
    for f in fields {
        let vals: Vec<String> = groups
            .iter()
            .filter_map(|(name, params)| {
                let (_, p) = params.iter().find(|(d, _)| d.name == *f)?;
                let v = param_text(p);
                Some(if groups.len() > 1 { format!("{name}: {v}") } else { v })
            })
            .collect();
        if let Some(d) = doc_of(docs, f) {
            rows.push((
                format!("{section}.{f}"),
                vals.join("; "),
                d.unit.into(),
                first_sentence(d.doc),
            ));
        }
    }
}

/// The key parameters of a scenario: (field, value, unit, meaning).
fn key_parameters(s: &Scenario) -> Vec<(String, String, String, String)> {
    let mut rows = Vec::new();
    let t = &s.time;
    rows.push((
        "time".into(),
        format!(
            "{} {}s{}",
            t.periods,
            t.period.name(),
            if t.start.is_some() {
                format!(", from {}", t.label(0))
            } else {
                String::new()
            }
        ),
        "".into(),
        "horizon and period length".into(),
    ));
    rows.push((
        "time.currency".into(),
        t.currency.clone(),
        "".into(),
        "the money unit".into(),
    ));
    let buyers: Vec<String> = s
        .buyers
        .iter()
        .map(|g| {
            format!(
                "{}{} × {} units{}",
                if s.buyers.len() > 1 {
                    format!("{}: ", g.name)
                } else {
                    String::new()
                },
                g.count,
                g.units,
                if g.reserve_units > 0 {
                    format!(" (+{} in reserve)", g.reserve_units)
                } else {
                    String::new()
                }
            )
        })
        .collect();
    rows.push((
        "buyers".into(),
        buyers.join("; "),
        "".into(),
        "buyers and the service units each contracts out".into(),
    ));
    let providers: Vec<String> = s
        .providers
        .iter()
        .map(|g| {
            format!(
                "{}{} {}",
                if s.providers.len() > 1 {
                    format!("{}: ", g.name)
                } else {
                    String::new()
                },
                g.count,
                kind_word(g.kind)
            )
        })
        .collect();
    rows.push((
        "providers".into(),
        providers.join("; "),
        "".into(),
        "incumbent providers".into(),
    ));
    rows.push((
        "contract.form".into(),
        crate::scenario::form_name(s.form).into(),
        "".into(),
        "procurement (priced, sanctions) or partnership (IOP: co-financed, dialogue)".into(),
    ));
    let buyer_fields = [
        "power",
        "monitoring",
        "in_house_capacity",
        "in_house_capability",
        "recruitment_difficulty",
        "tolerance",
        "political_support",
    ];
    // One row per field: the value of each group, named when there are several.
    let buyers: Vec<(&str, Vec<(&FieldDoc, &Param)>)> = s
        .buyers
        .iter()
        .map(|g| (g.name.as_str(), g.params.params().to_vec()))
        .collect();
    agent_rows(&mut rows, "buyer", &buyer_fields, BuyerParams::FIELDS, &buyers);
    let provider_fields = [
        "unit_cost",
        "capability",
        "experience",
        "reserves",
        "opportunism",
        "loyalty",
        "min_margin",
    ];
    let providers: Vec<(&str, Vec<(&FieldDoc, &Param)>)> = s
        .providers
        .iter()
        .map(|g| (g.name.as_str(), g.params.params().to_vec()))
        .collect();
    agent_rows(
        &mut rows,
        "provider",
        &provider_fields,
        ProviderParams::FIELDS,
        &providers,
    );
    let section = |rows: &mut Vec<(String, String, String, String)>,
                   prefix: &str,
                   params: &[(&'static FieldDoc, &Param)],
                   names: &[&str]| {
        for n in names {
            if let Some((d, p)) = params.iter().find(|(d, _)| d.name == *n) {
                let unit = if d.unit.contains("currency") {
                    d.unit.replace("currency", &s.time.currency)
                } else {
                    d.unit.to_string()
                };
                rows.push((format!("{prefix}.{n}"), param_text(p), unit, first_sentence(d.doc)));
            }
        }
    };
    section(
        &mut rows,
        "contract",
        &s.contract.params(),
        &[
            "price",
            "term",
            "renewals",
            "indexation",
            "guaranteed_volume",
            "quality_threshold",
            "sanction_rate",
            "notice",
        ],
    );
    section(
        &mut rows,
        "market",
        &s.market.params(),
        &["alternatives", "entry_rate", "max_entrants", "inflation"],
    );
    section(
        &mut rows,
        "demand",
        &s.demand.params(),
        &["baseline", "noise", "trend", "shock_rate", "shock_size"],
    );
    section(&mut rows, "trust", &s.trust.params(), &["initial", "gain", "loss"]);
    for (i, sh) in s.shocks.iter().enumerate() {
        let during = match sh.duration {
            Some(d) => format!("for {d} {}s", t.period.name()),
            None => "from then on".into(),
        };
        rows.push((
            format!("demand.shocks.{i}"),
            format!(
                "{}: from {} {during}, demand ×{}{}",
                if sh.name.is_empty() { "shock" } else { &sh.name },
                t.label(sh.start),
                short(1.0 + sh.size),
                if sh.budget != 0.0 {
                    format!(", budget ×{}", short(1.0 + sh.budget))
                } else {
                    String::new()
                }
            ),
            "".into(),
            "a scheduled demand shock".into(),
        ));
    }
    rows
}

fn kind_word(k: ProviderKind) -> &'static str {
    match k {
        ProviderKind::Commercial => "commercial",
        ProviderKind::Nonprofit => "non-profit",
        ProviderKind::StateOwned => "state-owned",
    }
}

/// The scenario in a few plain sentences.
fn scenario_in_words(s: &Scenario) -> String {
    let t = &s.time;
    let b = &s.buyers[0];
    let level = |l: Level| match l {
        Level::Municipal => "municipal",
        Level::Regional => "regional",
        Level::National => "national",
    };
    let buyers = if s.buyer_count() == 1 {
        format!("One {} buyer contracts {} service units out", level(b.level), b.units)
    } else {
        format!(
            "{} buyers ({}) contract {} service units out in all",
            s.buyer_count(),
            s.buyers
                .iter()
                .map(|g| format!("{} × {}", g.count, g.name))
                .collect::<Vec<_>>()
                .join(", "),
            s.contracted_unit_count()
        )
    };
    let providers = s
        .providers
        .iter()
        .map(|g| {
            format!(
                "{} {} provider{}",
                g.count,
                kind_word(g.kind),
                if g.count == 1 { "" } else { "s" }
            )
        })
        .collect::<Vec<_>>()
        .join(" and ");
    let form = match s.form {
        Form::Procurement => "under procurement contracts (a price, sanctions for breaches)",
        Form::Partnership => "in an idea-based public partnership (IOP: co-financed, adapted by dialogue, no market)",
    };
    let c = &s.contract;
    let m = &s.market;
    let alt = m.alternatives.central().round() as i64;
    let alternatives = match alt {
        0 => "No other qualified provider exists: the buyer cannot re-tender.".to_string(),
        1 => "One other qualified provider could take over.".to_string(),
        n => format!("{n} other qualified providers could take over."),
    };
    let bp = &b.params;
    let power = bp.power.central();
    let strength = if power >= 0.6 {
        "a strong buyer"
    } else if power >= 0.4 {
        "a buyer of middling strength"
    } else {
        "a weak buyer"
    };
    let mut text = format!(
        "{buyers} to {providers} {form}. {alternatives} It is {strength} (power {}), audits a unit with probability {} a {} and still produces {}% of the service itself, with in-house capability {}. ",
        tick(power),
        tick(bp.monitoring.central()),
        t.period.name(),
        tick(100.0 * bp.in_house_capacity.central()),
        tick(bp.in_house_capability.central()),
    );
    let _ = write!(
        text,
        "A contract runs {} {}s with {}, at an opening price of {} {} per place and {}; {}% of cost inflation is passed into the price and {}% of the volume is guaranteed. ",
        tick(c.term.central()),
        t.period.name(),
        match c.renewals.central().round() as i64 {
            0 => "no renewal option".to_string(),
            1 => "one renewal option".to_string(),
            n => format!("{n} renewal options"),
        },
        tick(c.price.central()),
        t.currency,
        t.period.name(),
        tick(100.0 * c.indexation.central()),
        tick(100.0 * c.guaranteed_volume.central()),
    );
    let _ = write!(
        text,
        "Trust starts at {} on both sides. Demand is about {} places per unit",
        tick(s.trust.initial.central()),
        tick(s.demand.baseline.central())
    );
    if s.shocks.is_empty() {
        text.push_str(", with noise and occasional random shocks. ");
    } else {
        let shocks: Vec<String> = s
            .shocks
            .iter()
            .map(|sh| {
                format!(
                    "{} from {} (demand ×{}{})",
                    if sh.name.is_empty() { "a shock" } else { &sh.name },
                    t.label(sh.start),
                    tick(1.0 + sh.size),
                    match sh.duration {
                        Some(d) => format!(" for {d} {}s", t.period.name()),
                        None => ", lasting".into(),
                    }
                )
            })
            .collect();
        let _ = write!(text, ", with scheduled shocks: {}. ", shocks.join("; "));
    }
    let _ = write!(
        text,
        "Each run covers {} {}s{}.",
        t.periods,
        t.period.name(),
        if t.start.is_some() {
            format!(", from {} to {}", t.label(0), t.label(t.periods - 1))
        } else {
            String::new()
        }
    );
    text
}

fn interval(e: &plots::data::Est, pct: bool) -> (String, String) {
    let f = |x: f64| {
        if pct {
            plots::style::pct(x)
        } else {
            crate::output::summary::num(x)
        }
    };
    (f(e.value), format!("{} – {}", f(e.low), f(e.high)))
}

fn summary_tables(out: &mut String, s: &RunSummary) {
    out.push_str("<h3>How contracts end</h3>\n<table>\n<tr><th>outcome</th><th class=\"num\">share of episodes</th><th class=\"num\">95% interval</th><th class=\"num\">runs with at least one</th><th class=\"num\">95% interval</th></tr>\n");
    for (name, label) in [
        ("continued", "continued (still running at the horizon)"),
        ("switched", "switched (re-tendered to another provider)"),
        ("initiated", "initiated backsourcing"),
        ("involuntary", "involuntary backsourcing"),
        ("involuntary_exit", "&nbsp;&nbsp;of which notice or non-renewal"),
        ("involuntary_failure", "&nbsp;&nbsp;of which provider failure"),
        ("wound_down", "wound down"),
        ("backsourcing", "any backsourcing"),
    ] {
        if let Some(o) = s.outcomes.get(name) {
            let (e, ei) = interval(&o.episodes, true);
            let (r, ri) = interval(&o.runs, true);
            let _ = writeln!(
                out,
                "<tr><td>{label}</td><td class=\"num\">{e}</td><td class=\"num\">{ei}</td><td class=\"num\">{r}</td><td class=\"num\">{ri}</td></tr>"
            );
        }
    }
    let (b, bi) = interval(&s.both_lose, true);
    let _ = writeln!(
        out,
        "<tr><td>both parties lose (buyer pays more, providers lose money)</td><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\">{b}</td><td class=\"num\">{bi}</td></tr>\n</table>"
    );
    out.push_str("<h3>Costs, quality and events per run</h3>\n<table>\n<tr><th>figure</th><th>unit</th><th class=\"num\">mean</th><th class=\"num\">95% interval</th><th class=\"num\">p5</th><th class=\"num\">median</th><th class=\"num\">p95</th><th class=\"num\">worst 5%</th></tr>\n");
    let num = crate::output::summary::num;
    for f in FIGURES {
        let Some(x) = s.figures.get(f.name) else { continue };
        if x.n == 0 {
            continue;
        }
        let (m, mi) = interval(&x.mean, false);
        let _ = writeln!(
            out,
            "<tr><td title=\"{}\">{}</td><td>{}</td><td class=\"num\">{m}</td><td class=\"num\">{mi}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(f.doc),
            esc(&f.name.replace('_', " ")),
            esc(&x.unit),
            num(x.quantiles[0]),
            num(x.quantiles[2]),
            num(x.quantiles[4]),
            num(x.worst)
        );
    }
    out.push_str("</table>\n<p class=\"note\">Shares carry Wilson 95% intervals (shares of episodes widened for their clustering in runs); means a Student's t 95% interval. Quantiles are over runs (within 0.4% of the exact order statistic). “Worst 5%” is the mean of the worst 5% of runs: the highest costs, the lowest profit and quality.</p>\n");
}

fn run_report(dir: &Path) -> Result<String, PlotError> {
    let data = RunData::read(dir)?;
    let s = &data.summary;
    let toml_path = dir.join("scenario.toml");
    let toml_text = std::fs::read_to_string(&toml_path).ok();
    let scenario = toml_text
        .as_deref()
        .map(|t| Scenario::from_toml_str(t, &toml_path.display().to_string()))
        .transpose()
        .map_err(|e| PlotError::new(e.to_string()))?;
    let figures = plots::run::figures(&data)?;
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<header>\n<h1>backsim report: {}</h1>\n<p class=\"lead\">{}</p>\n<nav><a href=\"#scenario\">Scenario</a><a href=\"#results\">Results</a><a href=\"#plots\">Plots</a><a href=\"#reproduce\">Reproduce</a></nav>\n</header>",
        esc(&s.scenario),
        esc(&s.description)
    );
    let _ = writeln!(
        b,
        "<p>{} of {}, master seed {}, money in {}. Written by backsim {}.</p>",
        super::count(s.runs, "run"),
        esc(&super::count(u64::from(s.periods), &s.period)),
        s.seed,
        esc(&s.currency),
        esc(&s.version)
    );
    b.push_str("<h2 id=\"scenario\">The scenario</h2>\n");
    match &scenario {
        Some(sc) => {
            let _ = writeln!(b, "<p>{}</p>", esc(&scenario_in_words(sc)));
            b.push_str("<h3>Key parameters</h3>\n<table>\n<tr><th>field</th><th>value</th><th>unit</th><th>meaning</th></tr>\n");
            for (field, value, unit, meaning) in key_parameters(sc) {
                let _ = writeln!(
                    b,
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&field),
                    esc(&value),
                    esc(&unit),
                    esc(&meaning)
                );
            }
            b.push_str("</table>\n<p class=\"note\">Every other field has its default; the full resolved scenario is at the end of this report, and <code>backsim reference</code> explains every field.</p>\n");
        }
        None => b.push_str("<p class=\"note\">This folder has no scenario.toml.</p>\n"),
    }
    b.push_str("<h2 id=\"results\">Results</h2>\n");
    summary_tables(&mut b, s);
    b.push_str("<h2 id=\"plots\">Plots</h2>\n");
    figures_html(&mut b, &figures);
    if data.excess.is_none() {
        b.push_str("<p class=\"note\">The excess-cost plot is left out: it is drawn from every run's excess cost, and this folder has no runs.csv (the run was made with <code>--no-runs-csv</code>).</p>\n");
    }
    b.push_str("<h2 id=\"reproduce\">Reproduce</h2>\n");
    if scenario.is_none() {
        let _ = writeln!(
            b,
            "<p class=\"note\">This folder has lost its scenario.toml, which reproducing it needs: the commands below are right only once it is back (from the scenario file of scenario {}, resolved with <code>backsim show</code>).</p>",
            esc(&s.scenario)
        );
    }
    let _ = writeln!(
        b,
        "<p>Results are reproducible to the bit from the scenario, the seed and the version. With backsim {} installed, this rewrites every file of this folder, byte for byte, on any number of threads:</p>\n<pre>backsim run {} --seed {} --runs {}{} --out {}</pre>\n<p>One run told as a story (run 0; any run of the {} works):</p>\n<pre>backsim story {} --seed {} --run 0</pre>",
        esc(&s.version),
        esc(&shell_word(&dir.join("scenario.toml").display().to_string())),
        s.seed,
        s.runs,
        // The files the run chose to write, or not.
        match (dir.join("episodes.csv").is_file(), dir.join("runs.csv").is_file()) {
            (true, true) => " --episodes",
            (true, false) => " --episodes --no-runs-csv",
            (false, true) => "",
            (false, false) => " --no-runs-csv",
        },
        esc(&shell_word(&format!(
            "{}-again",
            dir.display().to_string().trim_end_matches('/')
        ))),
        s.runs,
        esc(&shell_word(&dir.join("scenario.toml").display().to_string())),
        s.seed
    );
    if let Some(t) = &toml_text {
        let _ = writeln!(
            b,
            "<h3>The resolved scenario (scenario.toml)</h3>\n<pre>{}</pre>",
            esc(t.trim_end())
        );
    }
    let _ = writeln!(
        b,
        "<footer>backsim {} · scenario {} · seed {} · {} · report built from the files of this folder</footer>",
        esc(crate::VERSION),
        esc(&s.scenario),
        s.seed,
        super::count(s.runs, "run")
    );
    Ok(page(&format!("backsim report: {}", s.scenario), &b))
}

fn experiment_report(dir: &Path, kind: FolderKind) -> Result<String, PlotError> {
    let (_, figures) = plots::folder_figures(dir, &PlotOptions::default())?;
    let file = match kind {
        FolderKind::Sweep => "sweep.csv",
        FolderKind::Compare => "compare.csv",
        FolderKind::Sensitivity => "sensitivity.csv",
        FolderKind::Run => "summary.json",
    };
    let table = Table::read(&dir.join(file))?;
    let name = dir
        .file_name()
        .map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<header>\n<h1>backsim report: {} ({})</h1>\n<p class=\"lead\">The results of <code>backsim {}</code> in {}.</p>\n</header>",
        esc(&name),
        kind.command(),
        kind.command(),
        esc(&dir.display().to_string())
    );
    b.push_str("<h2 id=\"plots\">Plots</h2>\n");
    figures_html(&mut b, &figures);
    let _ = writeln!(b, "<h2 id=\"results\">The results ({file})</h2>");
    let shown = table.rows.len().min(400);
    b.push_str("<table>\n<tr>");
    for h in &table.headers {
        let _ = write!(b, "<th>{}</th>", esc(h));
    }
    b.push_str("</tr>\n");
    for row in &table.rows[..shown] {
        b.push_str("<tr>");
        for cell in row {
            let numeric = cell.parse::<f64>().is_ok();
            let (class, text) = match cell.parse::<f64>() {
                Ok(x) if cell.contains('.') || cell.contains('e') => (" class=\"num\"", crate::output::summary::num(x)),
                _ => ("", cell.clone()),
            };
            let class = if numeric { " class=\"num\"" } else { class };
            let _ = write!(b, "<td{class}>{}</td>", esc(&text));
        }
        b.push_str("</tr>\n");
    }
    b.push_str("</table>\n");
    if shown < table.rows.len() {
        let _ = writeln!(
            b,
            "<p class=\"note\">The first {shown} of {} rows; all are in {file}.</p>",
            table.rows.len()
        );
    }
    b.push_str("<h2 id=\"reproduce\">Reproduce</h2>\n");
    let mut any = false;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for p in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
        if let Ok(t) = std::fs::read_to_string(p) {
            any = true;
            let _ = writeln!(
                b,
                "<h3>{}</h3>\n<pre>{}</pre>",
                esc(&p.file_name().unwrap_or_default().to_string_lossy()),
                esc(t.trim_end())
            );
        }
    }
    if !any {
        b.push_str("<p class=\"note\">The command, seed and settings that made this folder are in its files.</p>\n");
    }
    let _ = writeln!(
        b,
        "<footer>backsim {} · report built from the files of this folder</footer>",
        esc(crate::VERSION)
    );
    Ok(page(&format!("backsim report: {name}"), &b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html() {
        assert_eq!(esc("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }

    #[test]
    fn describes_the_default_scenario() {
        let s = Scenario::default();
        let words = scenario_in_words(&s);
        assert!(words.contains("municipal buyer"), "{words}");
        let rows = key_parameters(&s);
        assert!(rows.iter().any(|r| r.0 == "buyer.power"));
        assert!(rows.iter().any(|r| r.0 == "market.alternatives"));
    }
}
