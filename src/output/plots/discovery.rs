//! The plot of `backsim discover --plot`: the peeling trajectory's
//! trade-off between coverage and density.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{AXIS, Chart, GRID, INK, LEGEND, MUTED, NOTE, TICK, font, font_color, series_color, titled};
use super::{Figure, PlotError};
use crate::experiment::discovery::BoxStats;

/// Coverage against density, one point per box, coloured by how many
/// parameters the box limits, the chosen box ringed and named.
struct TradeOff<'a> {
    trajectory: &'a [BoxStats],
    /// Parameters each box limits.
    limited: Vec<usize>,
    chosen: usize,
    title: String,
}

impl Chart for TradeOff<'_> {
    fn size(&self) -> (u32, u32) {
        (1400, 1000)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let area = titled(
            root,
            &self.title,
            "each point a box of the peeling trajectory, from every point (right) to the smallest (left)",
        )?;
        let mut chart = ChartBuilder::on(&area)
            .margin(20)
            .margin_right(50)
            .x_label_area_size(90)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..100.0, 0.0..100.0)?;
        chart
            .configure_mesh()
            .x_desc("coverage: share of the points of interest inside the box (%)")
            .y_desc("density: share of the box's points that are of interest (%)")
            .axis_desc_style(font(AXIS))
            .label_style(font(TICK))
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(INK.stroke_width(2))
            .draw()?;
        let xy = |b: &BoxStats| (100.0 * b.coverage, 100.0 * b.density);
        chart.draw_series(std::iter::once(PathElement::new(
            self.trajectory.iter().map(xy).collect::<Vec<_>>(),
            MUTED.stroke_width(1),
        )))?;
        let most = self.limited.iter().copied().max().unwrap_or(0);
        for k in 0..=most {
            let color = series_color(k);
            let points: Vec<(f64, f64)> = self
                .trajectory
                .iter()
                .zip(&self.limited)
                .filter(|(_, n)| **n == k)
                .map(|(b, _)| xy(b))
                .collect();
            if points.is_empty() {
                continue;
            }
            let label = match k {
                0 => "no parameter limited".to_string(),
                1 => "1 parameter limited".to_string(),
                k => format!("{k} parameters limited"),
            };
            chart
                .draw_series(points.into_iter().map(|p| Circle::new(p, 9, color.filled())))?
                .label(label)
                .legend(move |(x, y)| Circle::new((x + 18, y), 9, color.filled()));
        }
        if let Some(b) = self.trajectory.get(self.chosen) {
            let p = xy(b);
            chart.draw_series(std::iter::once(Circle::new(p, 17, INK.stroke_width(3))))?;
            let (px, py) = chart.backend_coord(&p);
            let (bx, by) = area.get_base_pixel();
            // The name goes to the side with more room.
            let left = p.0 > 60.0;
            let (dx, hpos) = if left { (-26, HPos::Right) } else { (26, HPos::Left) };
            area.draw(&Text::new(
                format!("box {}", b.step),
                (px - bx + dx, py - by),
                font_color(NOTE + 3.0, INK).pos(Pos::new(hpos, VPos::Center)),
            ))?;
        }
        LEGEND.draw(&mut chart, SeriesLabelPosition::LowerLeft)?;
        Ok(())
    }
}

/// The trade-off plot of a trajectory; `limited[i]` is how many parameters
/// box `i` limits, `chosen` the box shown in detail, `question` the title
/// ("involuntary_run_share above 0.2").
pub fn tradeoff_figure(
    trajectory: &[BoxStats],
    limited: Vec<usize>,
    chosen: usize,
    question: &str,
) -> Result<Figure, PlotError> {
    let title = format!("Scenario discovery: where is {question}?");
    super::run::figure(
        "discover",
        &title,
        "Coverage against density of each box of the PRIM peeling trajectory; the ringed box is the one shown in detail.",
        &TradeOff {
            trajectory,
            limited,
            chosen,
            title: title.clone(),
        },
    )
}
