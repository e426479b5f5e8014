//! The plots of a `backsim run` folder: outcome shares, excess cost,
//! cumulative incidence and trust, quality and demand bands.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::data::{Distribution, EXCESS_GROUPS, ExcessCost, RunData, TimeSeries};
use super::style::*;

/// "default · 10000 runs · seed 1 · backsim 0.1.0".
fn subtitle(d: &RunData) -> String {
    let s = &d.summary;
    format!(
        "scenario {} · {} runs of {} {} · seed {} · backsim {}",
        s.scenario,
        s.runs,
        s.periods,
        plural(&s.period),
        s.seed,
        s.version
    )
}

/// Draws text lines centred under the x axis at data position `x`.
fn label_under<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x: f64,
    y: f64,
    text: &str,
) -> Result<(), PlotError> {
    let (px, py) = chart.backend_coord(&(x, y));
    let (bx, by) = area.get_base_pixel();
    for (i, line) in text.lines().enumerate() {
        area.draw(&Text::new(
            line.to_string(),
            (px - bx, py - by + 12 + i as i32 * 28),
            font(TICK).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    Ok(())
}

/// Outcome shares with 95% intervals: share of episodes and share of runs.
pub struct OutcomeShares<'a>(pub &'a RunData);

impl OutcomeShares<'_> {
    /// Dark = episodes, light = runs, and what is not shown.
    fn legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, d: &RunData) -> Result<(), PlotError> {
        let grey = RGBColor(0x77, 0x77, 0x77);
        let (w, _) = area.dim_in_pixel();
        let mut x = w as i32 / 2 - 560;
        for (fill, text) in [
            (grey, "dark: share of all contract episodes"),
            (lighter(grey, 0.55), "light: share of runs with at least one"),
        ] {
            area.draw(&Rectangle::new([(x, 8), (x + 30, 30)], fill.filled()))?;
            area.draw(&Rectangle::new([(x, 8), (x + 30, 30)], grey.stroke_width(2)))?;
            area.draw(&Text::new(
                text.to_string(),
                (x + 42, 19),
                font(TICK).pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            x += 590;
        }
        let cont = d.summary.outcomes.get("continued").copied().unwrap_or_default();
        area.draw(&Text::new(
            format!(
                "Not shown: {} of episodes still running at the horizon. Whiskers: Wilson 95% intervals.",
                pct(cont.episodes.value)
            ),
            (w as i32 / 2, 46),
            font_color(NOTE, MUTED).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        Ok(())
    }
}

impl Chart for OutcomeShares<'_> {
    fn size(&self) -> (u32, u32) {
        (1400, 900)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let d = self.0;
        let area = titled(
            root,
            "How contracts end: outcome shares with 95% intervals",
            &subtitle(d),
        )?;
        let (legend, area) = area.split_vertically(86);
        Self::legend(&legend, d)?;
        const CATS: [(&str, &str); 6] = [
            ("switched", "switched\n(re-tendered)"),
            ("initiated", "initiated\nbacksourcing"),
            ("involuntary", "involuntary\nbacksourcing"),
            ("wound_down", "wound down"),
            ("backsourcing", "any\nbacksourcing"),
            ("both_lose", "both parties\nlose"),
        ];
        let get = |name: &str| d.summary.outcomes.get(name).copied().unwrap_or_default();
        let mut top: f64 = 0.05;
        for (name, _) in CATS {
            let s = get(name);
            top = top.max(s.runs.high).max(s.episodes.high);
        }
        top = top.max(d.summary.both_lose.high);
        let ymax = (top * 100.0 * 1.2).min(105.0);
        let n = CATS.len() as f64;
        let mut chart = ChartBuilder::on(&area)
            .margin_left(20)
            .margin_right(40)
            .margin_top(20)
            .x_label_area_size(80)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..n, 0.0..ymax)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .x_label_formatter(&|_| String::new())
            .y_desc("share (%)")
            .y_label_formatter(&|v| format!("{v:.0}%"))
            .axis_desc_style(font(AXIS))
            .label_style(font(TICK))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(INK.stroke_width(2))
            .draw()?;
        for (i, (name, label)) in CATS.iter().enumerate() {
            let x = i as f64;
            let color = outcome_color(name);
            let s = if *name == "both_lose" {
                super::data::Shares {
                    episodes: Default::default(),
                    runs: d.summary.both_lose,
                }
            } else {
                get(name)
            };
            let mut bars = Vec::new();
            if *name != "both_lose" {
                bars.push((x + 0.12, x + 0.48, s.episodes, color));
            }
            let (r0, r1) = if *name == "both_lose" {
                (x + 0.3, x + 0.7)
            } else {
                (x + 0.52, x + 0.88)
            };
            bars.push((r0, r1, s.runs, lighter(color, 0.55)));
            for (x0, x1, e, fill) in bars {
                let (v, lo, hi) = (e.value * 100.0, e.low * 100.0, e.high * 100.0);
                if !v.is_finite() {
                    continue;
                }
                chart.draw_series(std::iter::once(Rectangle::new([(x0, 0.0), (x1, v)], fill.filled())))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, 0.0), (x1, v)],
                    color.stroke_width(2),
                )))?;
                let mid = 0.5 * (x0 + x1);
                chart.draw_series(whisker(mid, lo, hi, 0.06, INK.stroke_width(2)))?;
                let top_label = if hi.is_finite() { hi } else { v };
                chart.draw_series(std::iter::once(Text::new(
                    pct(e.value),
                    (mid, top_label + ymax * 0.012),
                    font(NOTE).pos(Pos::new(HPos::Center, VPos::Bottom)),
                )))?;
            }
            label_under(&area, &chart, x + 0.5, 0.0, label)?;
        }
        Ok(())
    }
}

/// Bin edges for a histogram over `min..max`: round width, about `n` bins.
fn bins_for(min: f64, max: f64, n: f64) -> (f64, f64, usize) {
    let (lo, hi) = if min.is_finite() && max.is_finite() && max > min {
        (min, max)
    } else {
        padded(min, max, 0.0)
    };
    let step = nice_step(hi - lo, n);
    let a = (lo / step).floor() * step;
    let mut b = (hi / step).ceil() * step;
    if b <= a {
        b = a + step;
    }
    let count = ((b - a) / step).round().max(1.0) as usize;
    (a, b, count)
}

/// Labels of quantile lines, placed so that they neither overlap each other
/// nor leave the plot: each tries the levels from the top down, on its
/// preferred side of the line first. Returns (x pixel, level, left side).
fn place_labels(
    lines: &[(i32, u32)],
    prefer_left: &[bool],
    (x_min, x_max): (i32, i32),
    levels: usize,
) -> Vec<(i32, usize, bool)> {
    let mut placed: Vec<(i32, i32, usize)> = Vec::new();
    let mut out = Vec::new();
    for (i, &(x, w)) in lines.iter().enumerate() {
        let mut choice = (x, 0, prefer_left[i]);
        'search: for level in 0..levels {
            for left in [prefer_left[i], !prefer_left[i]] {
                let (a, b) = if left {
                    (x - 8 - w as i32, x - 8)
                } else {
                    (x + 8, x + 8 + w as i32)
                };
                if a < x_min || b > x_max {
                    continue;
                }
                if placed
                    .iter()
                    .any(|&(pa, pb, l)| l == level && a < pb + 10 && pa < b + 10)
                {
                    continue;
                }
                placed.push((a, b, level));
                choice = (x, level, left);
                break 'search;
            }
        }
        out.push(choice);
    }
    out
}

/// The distribution of excess cost, overall and by first backsourcing: the
/// run folder and its runs' excess costs.
pub struct ExcessCostChart<'a>(pub &'a RunData, pub &'a ExcessCost);

/// Groups stacked in the overall histogram: index into the excess groups,
/// colour, legend label.
fn stack() -> [(usize, RGBColor, &'static str); 3] {
    [
        (1, outcome_color("continued"), "no backsourcing"),
        (2, outcome_color("initiated"), "first backsourcing initiated"),
        (3, outcome_color("involuntary"), "first backsourcing involuntary"),
    ]
}

impl ExcessCostChart<'_> {
    /// The colours of the groups as one row, centred in `area`: above the
    /// panels, so that no bar or quantile label is ever under it.
    fn key<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let style = font(NOTE);
        let (swatch, gap, space) = (26, 10, 40);
        let mut widths = Vec::new();
        for (_, _, label) in stack() {
            widths.push(swatch + gap + area.estimate_text_size(label, &style)?.0 as i32);
        }
        let (w, h) = area.dim_in_pixel();
        let total: i32 = widths.iter().sum::<i32>() + space * (widths.len() as i32 - 1);
        let (mut x, y) = ((w as i32 - total) / 2, h as i32 / 2);
        for ((_, color, label), width) in stack().into_iter().zip(widths) {
            area.draw(&Rectangle::new([(x, y - 10), (x + swatch, y + 10)], color.filled()))?;
            area.draw(&Text::new(
                label.to_string(),
                (x + swatch + gap, y),
                style.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            x += width + space;
        }
        Ok(())
    }

    /// One histogram panel: the groups in `layers` stacked, quantile lines of `marks`.
    #[allow(clippy::too_many_arguments)]
    fn panel<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        groups: &[Distribution; 4],
        layers: &[(usize, RGBColor, &str)],
        marks: &Distribution,
        bins: usize,
        title: &str,
        x_desc: &str,
        big: bool,
    ) -> Result<(), PlotError> {
        let (lo, hi, n) = bins_for(marks.sketch.min(), marks.sketch.max(), bins as f64);
        let counts: Vec<Vec<u64>> = layers.iter().map(|(g, ..)| groups[*g].bins.rebin(lo, hi, n)).collect();
        let totals: Vec<u64> = (0..n).map(|i| counts.iter().map(|c| c[i]).sum()).collect();
        let peak = totals.iter().copied().max().unwrap_or(0).max(1) as f64;
        let ymax = peak * 1.45;
        let tick_size = if big { TICK } else { NOTE };
        let mut chart = ChartBuilder::on(area)
            .caption(title, font(PANEL_TITLE))
            .margin(14)
            .margin_right(30)
            .x_label_area_size(75)
            .y_label_area_size(if big { 110 } else { 95 })
            .build_cartesian_2d(lo..hi, 0.0..ymax)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(if big { 10 } else { 5 })
            .y_labels(5)
            .x_desc(x_desc)
            .y_desc("runs")
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| {
                if v.fract() == 0.0 {
                    format!("{v:.0}")
                } else {
                    String::new()
                }
            })
            .axis_desc_style(font(AXIS))
            .label_style(font(tick_size))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(INK.stroke_width(2))
            .draw()?;
        if marks.sketch.count() == 0 {
            message(&chart.plotting_area().strip_coord_spec(), "no runs")?;
            return Ok(());
        }
        let step = (hi - lo) / n as f64;
        let mut base = vec![0u64; n];
        for (layer, (_, color, _)) in counts.iter().zip(layers) {
            chart.draw_series((0..n).filter(|i| layer[*i] > 0).map(|i| {
                let x0 = lo + i as f64 * step;
                Rectangle::new(
                    [(x0, base[i] as f64), (x0 + step, (base[i] + layer[i]) as f64)],
                    color.filled(),
                )
            }))?;
            for i in 0..n {
                base[i] += layer[i];
            }
        }
        chart.draw_series((0..n).filter(|i| base[*i] > 0).map(|i| {
            let x0 = lo + i as f64 * step;
            Rectangle::new([(x0, 0.0), (x0 + step, base[i] as f64)], WHITE.stroke_width(1))
        }))?;
        if lo < 0.0 && hi > 0.0 {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (0.0, ymax)],
                MUTED.stroke_width(1),
            )))?;
        }
        // Quantile lines with labels that do not collide.
        let style = font(tick_size);
        let mut lines = Vec::new();
        let qs = [(0.05, "p5"), (0.5, "median"), (0.95, "p95")];
        let mut texts = Vec::new();
        for (q, name) in qs {
            let x = marks.sketch.quantile(q);
            let text = format!("{name} {}", short(x));
            let (w, _) = area.estimate_text_size(&text, &style)?;
            let (px, _) = chart.backend_coord(&(x, 0.0));
            lines.push((px, w));
            texts.push((x, text));
        }
        let (xr, _) = chart.plotting_area().get_pixel_range();
        let placed = place_labels(&lines, &[true, false, false], (xr.start, xr.end), 3);
        let (bx, by) = area.get_base_pixel();
        let (_, y_top) = chart.backend_coord(&(lo, ymax));
        for ((x, text), (px, level, left)) in texts.iter().zip(placed) {
            if !x.is_finite() {
                continue;
            }
            let label_y = y_top + 16 + level as i32 * 30;
            let (_, y0) = chart.backend_coord(&(*x, 0.0));
            let width = if text.starts_with("median") { 3 } else { 2 };
            area.draw(&PathElement::new(
                vec![(px - bx, y0 - by), (px - bx, label_y - by - 12)],
                INK.stroke_width(width),
            ))?;
            let (tx, anchor) = if left {
                (px - 8, HPos::Right)
            } else {
                (px + 8, HPos::Left)
            };
            area.draw(&Text::new(
                text.clone(),
                (tx - bx, label_y - by),
                style.clone().pos(Pos::new(anchor, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}

impl Chart for ExcessCostChart<'_> {
    fn size(&self) -> (u32, u32) {
        (1600, 1100)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let d = self.0;
        let cur = &d.summary.currency;
        let area = titled(
            root,
            &format!("Excess cost over the opening price, per run ({cur})"),
            &subtitle(d),
        )?;
        let groups = &self.1.groups;
        let (_, h) = area.dim_in_pixel();
        let (top, bottom) = area.split_vertically((h as f64 * 0.52) as u32);
        let (key, top) = top.split_vertically(36);
        Self::key(&key)?;
        let x_desc = format!("excess cost ({cur})");
        Self::panel(
            &top,
            groups,
            &stack(),
            &groups[0],
            60,
            &format!("All runs (n = {})", groups[0].sketch.count()),
            &x_desc,
            true,
        )?;
        let panels = bottom.split_evenly((1, 3));
        for (p, layer) in panels.iter().zip(stack()) {
            let g = layer.0;
            let title = match EXCESS_GROUPS[g] {
                "none" => "No backsourcing",
                "initiated" => "First backsourcing initiated",
                _ => "First backsourcing involuntary",
            };
            Self::panel(
                p,
                groups,
                &[layer],
                &groups[g],
                30,
                &format!("{title} (n = {})", groups[g].sketch.count()),
                &x_desc,
                false,
            )?;
        }
        Ok(())
    }
}

/// X axis of time plots: periods, labelled with dates when the scenario has a start.
fn time_axis<'a>(ts: &'a TimeSeries, period: &str) -> (String, impl Fn(&f64) -> String + 'a) {
    let desc = if ts.has_calendar() {
        period.to_string()
    } else {
        format!("{} from the start", plural(period))
    };
    let fmt = move |v: &f64| {
        let t = v.round();
        if (v - t).abs() > 1e-9 || t < 0.0 {
            return String::new();
        }
        let t = t as usize;
        if ts.has_calendar() {
            ts.dates.get(t).cloned().unwrap_or_default()
        } else {
            format!("{t}")
        }
    };
    (desc, fmt)
}

/// Cumulative incidence of each way the initial contracts end.
pub struct Incidence<'a>(pub &'a RunData);

impl Chart for Incidence<'_> {
    fn size(&self) -> (u32, u32) {
        (1400, 900)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let d = self.0;
        let ts = &d.series;
        let area = titled(root, "When initial contracts end: cumulative incidence", &subtitle(d))?;
        let n = ts.len().max(1);
        let lines: [(&str, &str); 4] = [
            ("involuntary", "involuntary backsourcing"),
            ("initiated", "initiated backsourcing"),
            ("switched", "switched to another provider"),
            ("wound_down", "wound down"),
        ];
        let mut top: f64 = 0.01;
        for (name, _) in lines {
            for v in ts.column(&format!("cum_{name}")) {
                if v.is_finite() {
                    top = top.max(v);
                }
            }
        }
        let ymax = (top * 100.0 * 1.15).min(100.0);
        let (x_desc, fmt) = time_axis(ts, &d.summary.period);
        let mut chart = ChartBuilder::on(&area)
            .margin_left(20)
            .margin_right(50)
            .margin_top(20)
            .x_label_area_size(80)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..n as f64, 0.0..ymax)?;
        chart
            .configure_mesh()
            .x_labels(10)
            .y_labels(8)
            .x_desc(x_desc)
            .y_desc("share of the initial contracts (%)")
            .x_label_formatter(&fmt)
            .y_label_formatter(&|v| format!("{v:.0}%"))
            .axis_desc_style(font(AXIS))
            .label_style(font(TICK))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(INK.stroke_width(2))
            .draw()?;
        let mut cover: Vec<Cover> = Vec::new();
        let mut labels = Vec::new();
        for (name, label) in lines {
            let col = ts.column(&format!("cum_{name}"));
            let mut pts = Vec::with_capacity(2 * col.len());
            for (t, v) in col.iter().enumerate() {
                if v.is_finite() {
                    pts.push((t as f64, v * 100.0));
                    pts.push((t as f64 + 1.0, v * 100.0));
                }
            }
            let last = col.iter().rev().find(|v| v.is_finite()).copied().unwrap_or(f64::NAN);
            let color = outcome_color(name);
            cover.push(pts.iter().map(|&(x, y)| (x, y, y)).collect());
            let text = format!("{label}: {} by the horizon", pct(last));
            chart
                .draw_series(std::iter::once(PathElement::new(pts, color.stroke_width(4))))?
                .label(text.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 34, y)], color.stroke_width(4)));
            labels.push(text);
        }
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let (corner, _) = LEGEND.quiet_corner(&chart, &labels, &cover)?;
        LEGEND.draw(&mut chart, corner)
    }
}

/// Fan charts of buyer trust, provider trust, quality and demand.
pub struct Bands<'a>(pub &'a RunData);

impl Bands<'_> {
    /// Contiguous stretches where every value is finite.
    fn segments(cols: &[&[f64]]) -> Vec<std::ops::Range<usize>> {
        let n = cols.iter().map(|c| c.len()).min().unwrap_or(0);
        let ok = |t: usize| cols.iter().all(|c| c[t].is_finite());
        let mut out = Vec::new();
        let mut t = 0;
        while t < n {
            if ok(t) {
                let s = t;
                while t < n && ok(t) {
                    t += 1;
                }
                out.push(s..t);
            } else {
                t += 1;
            }
        }
        out
    }

    /// One panel, its legend entries registered but not drawn: the chart
    /// (`None` when it has no data), the corner where a legend would hide
    /// least, and how much it would hide.
    fn panel<'a, DB: DrawingBackend>(
        area: &'a DrawingArea<DB, Shift>,
        d: &RunData,
        series: &str,
        title: &str,
        y_desc: &str,
        y_range: Option<(f64, f64)>,
    ) -> Result<Option<Panel<'a, DB>>, PlotError> {
        let ts = &d.series;
        let q: Vec<Vec<f64>> = ["p5", "p25", "p50", "p75", "p95"]
            .iter()
            .map(|p| ts.column(&format!("{series}_{p}")))
            .collect();
        let (lo, hi) = y_range.unwrap_or_else(|| {
            let top = q[4]
                .iter()
                .chain(&q[2])
                .filter(|v| v.is_finite())
                .fold(0.0f64, |a, b| a.max(*b));
            (0.0, (top * 1.15).max(1.2))
        });
        let n = ts.len().max(1);
        let (x_desc, fmt) = time_axis(ts, &d.summary.period);
        let mut chart = ChartBuilder::on(area)
            .caption(title, font(PANEL_TITLE))
            .margin(16)
            .margin_right(36)
            .x_label_area_size(70)
            .y_label_area_size(95)
            .build_cartesian_2d(0.0..(n - 1).max(1) as f64, lo..hi)?;
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(6)
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_label_formatter(&fmt)
            .y_label_formatter(&|v| tick(*v))
            .axis_desc_style(font(AXIS))
            .label_style(font(TICK))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(INK.stroke_width(2))
            .draw()?;
        let mut any = false;
        for (outer, (a, b), label) in [
            (true, (0usize, 4usize), BAND_LABELS[0]),
            (false, (1, 3), BAND_LABELS[1]),
        ] {
            let fill = if outer { ACCENT.mix(0.16) } else { ACCENT.mix(0.34) };
            let mut first = true;
            for seg in Self::segments(&[&q[a], &q[b]]) {
                let mut pts: Vec<(f64, f64)> = seg.clone().map(|t| (t as f64, q[b][t])).collect();
                pts.extend(seg.clone().rev().map(|t| (t as f64, q[a][t])));
                let s = chart.draw_series(std::iter::once(Polygon::new(pts, fill.filled())))?;
                if first {
                    s.label(label)
                        .legend(move |(x, y)| Rectangle::new([(x, y - 10), (x + 34, y + 10)], fill.filled()));
                }
                first = false;
                any = true;
            }
        }
        let mut first = true;
        for seg in Self::segments(&[&q[2]]) {
            let pts: Vec<(f64, f64)> = seg.map(|t| (t as f64, q[2][t])).collect();
            let s = chart.draw_series(std::iter::once(PathElement::new(pts, ACCENT.stroke_width(4))))?;
            if first {
                s.label(BAND_LABELS[2])
                    .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 34, y)], ACCENT.stroke_width(4)));
            }
            first = false;
        }
        if !any {
            message(&chart.plotting_area().strip_coord_spec(), "no data")?;
            return Ok(None);
        }
        let cover: Vec<Cover> = vec![
            (0..n).map(|t| (t as f64, q[0][t], q[4][t])).collect(),
            (0..n).map(|t| (t as f64, q[2][t], q[2][t])).collect(),
        ];
        let (corner, hidden) = PANEL_LEGEND.quiet_corner(&chart, &BAND_LABELS, &cover)?;
        Ok(Some((chart, corner, hidden)))
    }
}

/// The legend entries of every bands panel.
const BAND_LABELS: [&str; 3] = ["5–95% of runs", "25–75% of runs", "median"];

/// A drawn bands panel, where its legend would go, and what it would hide.
type Panel<'a, DB> = (
    ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    SeriesLabelPosition,
    f64,
);

impl Chart for Bands<'_> {
    fn size(&self) -> (u32, u32) {
        (1600, 1100)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let d = self.0;
        let area = titled(
            root,
            "Trust, quality and demand over time: the spread over runs",
            &subtitle(d),
        )?;
        let panels = area.split_evenly((2, 2));
        type Spec<'s> = (&'s str, &'s str, &'s str, Option<(f64, f64)>);
        let specs: [Spec; 4] = [
            (
                "buyer_trust",
                "Buyer's trust in its providers",
                "trust (0–1)",
                Some((0.0, 1.0)),
            ),
            (
                "provider_trust",
                "Providers' trust in the buyer",
                "trust (0–1)",
                Some((0.0, 1.0)),
            ),
            ("quality", "Delivered quality", "quality (0–1)", Some((0.0, 1.0))),
            ("demand", "Demand", "× baseline demand", None),
        ];
        let mut drawn = Vec::new();
        for (p, (series, title, y_desc, range)) in panels.iter().zip(specs) {
            drawn.extend(Self::panel(p, d, series, title, y_desc, range)?);
        }
        // One legend serves all four: in the panel where it hides least.
        if let Some((mut chart, corner, _)) = drawn.into_iter().min_by(|a, b| a.2.total_cmp(&b.2)) {
            PANEL_LEGEND.draw(&mut chart, corner)?;
        }
        Ok(())
    }
}

/// Renders a chart as one [`super::Figure`].
pub(super) fn figure<C: Chart>(name: &str, title: &str, about: &str, chart: &C) -> Result<super::Figure, PlotError> {
    Ok(super::Figure {
        name: name.to_string(),
        title: title.to_string(),
        about: about.to_string(),
        png: render_png(chart)?,
        svg: render_svg(chart)?,
    })
}

/// Every plot of a run folder. Without the runs' excess costs (a folder
/// written with `--no-runs-csv`) the excess-cost plot is left out.
pub fn figures(d: &RunData) -> Result<Vec<super::Figure>, PlotError> {
    let cur = &d.summary.currency;
    let mut out = vec![figure(
        "outcomes",
        "How contracts end",
        "Share of contract episodes that ended each way (dark) and share of runs with at least one (light), with Wilson 95% intervals.",
        &OutcomeShares(d),
    )?];
    if let Some(excess) = &d.excess {
        out.push(figure(
            "excess_cost",
            "Excess cost",
            &format!(
                "Histogram of each run's excess cost over the opening price ({cur}), overall and by the type of the run's first backsourcing; lines mark the 5%, 50% and 95% quantiles."
            ),
            &ExcessCostChart(d, excess),
        )?);
    }
    out.push(figure(
        "incidence",
        "When contracts end",
        "Cumulative incidence: the share of the initial contracts whose first episode had ended each way by each period (competing risks; contracts still running at the horizon are censored).",
        &Incidence(d),
    )?);
    out.push(figure(
        "bands",
        "Trust, quality and demand over time",
        "Median (line), middle 50% and middle 90% of runs (bands) of the buyer's trust, the providers' trust, delivered quality and demand relative to the baseline, per period.",
        &Bands(d),
    )?);
    Ok(out)
}
