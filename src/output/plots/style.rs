//! What every plot shares: the built-in font, sizes, colours, rendering to
//! PNG and SVG, and a few drawing helpers plotters lacks.
//!
//! Text is drawn with DejaVu Sans, compiled into the binary and registered
//! with plotters' `ab_glyph` font path, so plots render the same on a
//! machine with no system fonts and no fontconfig. Rendering is a pure
//! function of the data: the same data gives the same PNG and SVG bytes.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};

use super::PlotError;

/// DejaVu Sans 2.37 (see `assets/fonts/LICENSE-DejaVu.txt`).
static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The family every text style names; the built-in font is registered under it.
pub const FAMILY: &str = "sans-serif";

/// What SVG files name instead of [`FAMILY`]: the built-in font first, then
/// fonts of similar width, so text fits wherever the SVG is opened.
const SVG_FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";

/// Registers the built-in font (once per process).
pub fn ensure_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, FONT).is_ok() && register_font(FAMILY, FontStyle::Bold, FONT).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(PlotError::new("the built-in font could not be loaded"))
    }
}

/// Font size of figure titles (pixels).
pub const TITLE: f64 = 40.0;
/// Font size of panel titles.
pub const PANEL_TITLE: f64 = 30.0;
/// Font size of axis descriptions.
pub const AXIS: f64 = 28.0;
/// Font size of tick labels and legends.
pub const TICK: f64 = 24.0;
/// Font size of notes and value labels.
pub const NOTE: f64 = 21.0;

/// Text in the built-in font.
pub fn font(size: f64) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&INK)
}

/// Text in the built-in font, with a colour.
pub fn font_color(size: f64, color: RGBColor) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&color)
}

/// Near-black for text and axes.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Grey for grid lines.
pub const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
/// Mid grey for secondary text.
pub const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
/// The colour of bands and single series (blue).
pub const ACCENT: RGBColor = RGBColor(0x00, 0x72, 0xB2);

/// The colour of an outcome (Okabe-Ito, readable with colour-blindness).
pub fn outcome_color(name: &str) -> RGBColor {
    match name {
        "continued" => RGBColor(0x88, 0x88, 0x88),
        "switched" => RGBColor(0x00, 0x72, 0xB2),
        "initiated" => RGBColor(0xE6, 0x9F, 0x00),
        "involuntary" | "involuntary_exit" | "involuntary_failure" => RGBColor(0xD5, 0x5E, 0x00),
        "wound_down" => RGBColor(0x00, 0x9E, 0x73),
        "backsourcing" => RGBColor(0xCC, 0x79, 0xA7),
        "both_lose" => RGBColor(0x44, 0x44, 0x44),
        _ => ACCENT,
    }
}

/// A series colour by index, for lines that are not outcomes.
pub fn series_color(i: usize) -> RGBColor {
    const P: [RGBColor; 7] = [
        RGBColor(0x00, 0x72, 0xB2),
        RGBColor(0xD5, 0x5E, 0x00),
        RGBColor(0x00, 0x9E, 0x73),
        RGBColor(0xE6, 0x9F, 0x00),
        RGBColor(0xCC, 0x79, 0xA7),
        RGBColor(0x56, 0xB4, 0xE9),
        RGBColor(0x44, 0x44, 0x44),
    ];
    P[i % P.len()]
}

/// A colour made lighter by mixing it with white (`amount` 0: unchanged, 1: white).
pub fn lighter(c: RGBColor, amount: f64) -> RGBColor {
    let mix = |x: u8| (x as f64 + (255.0 - x as f64) * amount).round().clamp(0.0, 255.0) as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// The viridis colour map at `t` in [0, 1] (dark blue to yellow; readable in
/// grey scale and with colour-blindness).
pub fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ];
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let x = t * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let lerp = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
}

/// Something that can be drawn on any plotters backend.
pub trait Chart {
    /// Size in pixels (PNG) and user units (SVG).
    fn size(&self) -> (u32, u32);
    /// Draws the chart on `root`, which is already filled white.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError>;
}

/// Renders a chart to PNG bytes.
pub fn render_png<C: Chart>(chart: &C) -> Result<Vec<u8>, PlotError> {
    ensure_font()?;
    let (w, h) = chart.size();
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root)?;
        root.present()?;
    }
    encode_png(&buf, w, h)
}

/// Renders a chart to an SVG document.
pub fn render_svg<C: Chart>(chart: &C) -> Result<String, PlotError> {
    ensure_font()?;
    let (w, h) = chart.size();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root)?;
        root.present()?;
    }
    Ok(svg.replace(
        &format!("font-family=\"{FAMILY}\""),
        &format!("font-family=\"{SVG_FAMILY}\""),
    ))
}

/// Encodes an RGB buffer as PNG (deterministic: fixed filter and compression).
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, PlotError> {
    let mut out = Vec::with_capacity(rgb.len() / 8);
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        enc.set_filter(png::FilterType::Sub);
        enc.set_adaptive_filter(png::AdaptiveFilterType::NonAdaptive);
        let mut writer = enc.write_header().map_err(|e| PlotError::new(format!("PNG: {e}")))?;
        writer
            .write_image_data(rgb)
            .map_err(|e| PlotError::new(format!("PNG: {e}")))?;
        writer.finish().map_err(|e| PlotError::new(format!("PNG: {e}")))?;
    }
    Ok(out)
}

/// Splits off a title band at the top of `root` and writes the title (and a
/// smaller subtitle under it); returns the rest.
pub fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<DrawingArea<DB, Shift>, PlotError> {
    let band = if subtitle.is_empty() { 70 } else { 100 };
    let (top, rest) = root.split_vertically(band);
    let (w, _) = top.dim_in_pixel();
    // Shrink a long title until it fits.
    let mut size = TITLE;
    while size > 22.0 && top.estimate_text_size(title, &font(size))?.0 + 40 > w {
        size -= 2.0;
    }
    top.draw(&Text::new(
        title.to_string(),
        (w as i32 / 2, 14 + ((TITLE - size) / 2.0) as i32),
        font(size).pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    if !subtitle.is_empty() {
        top.draw(&Text::new(
            subtitle.to_string(),
            (w as i32 / 2, 64),
            font_color(NOTE, MUTED).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    Ok(rest)
}

/// The corners a legend may take, in the order preferred when they cover
/// the data equally.
const CORNERS: [SeriesLabelPosition; 4] = [
    SeriesLabelPosition::UpperLeft,
    SeriesLabelPosition::UpperRight,
    SeriesLabelPosition::LowerLeft,
    SeriesLabelPosition::LowerRight,
];

/// Data of a chart as a legend may cover it: per series, points
/// `(x, low, high)` in data coordinates sorted by `x` (a band between `low`
/// and `high`; a line has `low == high`).
pub type Cover = Vec<(f64, f64, f64)>;

/// How much of the data a legend box would hide in each corner, in the
/// order upper left, upper right, lower left, lower right: the box takes
/// the share `box_frac` (width, height) of a plotting area spanning `x`
/// and `y`. Each series is sampled at 33 points
/// across the box; at each, the part of the box's height that the series'
/// band (a line counts 2% of the height thick) crosses is added.
pub fn corner_cover(box_frac: (f64, f64), x: (f64, f64), y: (f64, f64), series: &[Cover]) -> [f64; 4] {
    let (w, h) = ((x.1 - x.0) * box_frac.0.min(1.0), (y.1 - y.0) * box_frac.1.min(1.0));
    let thick = 0.01 * (y.1 - y.0);
    let mut out = [0.0; 4];
    for (k, cost) in out.iter_mut().enumerate() {
        let (xa, xb) = if k % 2 == 0 { (x.0, x.0 + w) } else { (x.1 - w, x.1) };
        let (ya, yb) = if k < 2 { (y.1 - h, y.1) } else { (y.0, y.0 + h) };
        for s in series {
            let pts: Vec<&(f64, f64, f64)> = s
                .iter()
                .filter(|p| p.0.is_finite() && p.1.is_finite() && p.2.is_finite())
                .collect();
            let (Some(first), Some(last)) = (pts.first(), pts.last()) else {
                continue;
            };
            for i in 0..=32 {
                let xs = xa + (xb - xa) * i as f64 / 32.0;
                if xs < first.0 || xs > last.0 {
                    continue;
                }
                let j = pts.partition_point(|p| p.0 < xs).min(pts.len() - 1);
                let (lo, hi) = if j == 0 || pts[j].0 == xs {
                    (pts[j].1, pts[j].2)
                } else {
                    let (a, b) = (pts[j - 1], pts[j]);
                    let t = (xs - a.0) / (b.0 - a.0);
                    (a.1 + t * (b.1 - a.1), a.2 + t * (b.2 - a.2))
                };
                let (lo, hi) = (lo.min(hi) - thick, lo.max(hi) + thick);
                if yb > ya {
                    *cost += (hi.min(yb) - lo.max(ya)).max(0.0) / (yb - ya);
                }
            }
        }
    }
    out
}

/// A legend inside a chart, as plotters lays it out: text of `size`
/// pixels, `margin` around it and a marker area of [`Legend::MARKER`].
#[derive(Clone, Copy, Debug)]
pub struct Legend {
    /// Font size of the labels.
    pub size: f64,
    /// Space around the labels (pixels).
    pub margin: u32,
}

/// The legend of a whole-figure chart.
pub const LEGEND: Legend = Legend { size: TICK, margin: 16 };
/// The legend of a panel.
pub const PANEL_LEGEND: Legend = Legend { size: NOTE, margin: 12 };

impl Legend {
    /// Width of the marker area (pixels).
    pub const MARKER: u32 = 44;

    /// The corner of `chart` where this legend with `labels` hides the
    /// least of `series`; ties go to the upper left, then the upper right.
    /// Returns the corner and how much it hides ([`corner_cover`]).
    pub fn quiet_corner<DB: DrawingBackend>(
        self,
        chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
        labels: &[&str],
        series: &[Cover],
    ) -> Result<(SeriesLabelPosition, f64), PlotError> {
        let style = font(self.size);
        let mut text = MultiLineText::<_, &str>::new((0, 0), &style);
        for l in labels {
            text.push_line(*l);
        }
        let (w, h) = text
            .estimate_dimension()
            .map_err(|e| PlotError::new(format!("font: {e:?}")))?;
        let (aw, ah) = chart.plotting_area().dim_in_pixel();
        let m = self.margin as i32;
        // plotters insets the box by 5 pixels from the corner.
        let frac = (
            (w + Self::MARKER as i32 + 2 * m + 5) as f64 / aw.max(1) as f64,
            (h + 2 * m + 5) as f64 / ah.max(1) as f64,
        );
        let (xr, yr) = (chart.x_range(), chart.y_range());
        let cover = corner_cover(frac, (xr.start, xr.end), (yr.start, yr.end), series);
        let mut best = 0;
        for k in 1..4 {
            if cover[k] < cover[best] - 1e-9 {
                best = k;
            }
        }
        Ok((CORNERS[best].clone(), cover[best]))
    }

    /// Draws the chart's labelled series as this legend in `corner`.
    pub fn draw<'a, DB: DrawingBackend + 'a>(
        self,
        chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
        corner: SeriesLabelPosition,
    ) -> Result<(), PlotError> {
        chart
            .configure_series_labels()
            .position(corner)
            .margin(self.margin)
            .legend_area_size(Self::MARKER)
            .label_font(font(self.size))
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .draw()?;
        Ok(())
    }
}

/// How much a legend inside a chart may hide ([`corner_cover`]) before it
/// goes beside the chart: the edge of a band, no more.
pub const HIDDEN_OK: f64 = 0.5;

/// The width of a legend beside a chart ([`side_legend`]) for `labels`.
pub fn legend_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[&str],
    size: f64,
) -> Result<u32, PlotError> {
    let mut w = 0;
    for l in labels {
        w = w.max(area.estimate_text_size(l, &font(size))?.0);
    }
    Ok(w + Legend::MARKER + 16 + 40)
}

/// A legend of coloured lines and labels, top-aligned in `area` (beside a
/// chart whose corners are all taken by data).
pub fn side_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(&str, RGBColor)],
    size: f64,
) -> Result<(), PlotError> {
    let row = (size * 1.5) as i32;
    let top = 40;
    for (i, (label, color)) in items.iter().enumerate() {
        let y = top + i as i32 * row;
        area.draw(&PathElement::new(vec![(0, y), (34, y)], color.stroke_width(4)))?;
        area.draw(&Text::new(
            label.to_string(),
            (44, y),
            font(size).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// A vertical 95% interval with caps `cap` wide on each side (data units).
pub fn whisker(x: f64, low: f64, high: f64, cap: f64, style: ShapeStyle) -> Vec<PathElement<(f64, f64)>> {
    if !(low.is_finite() && high.is_finite()) {
        return Vec::new();
    }
    vec![
        PathElement::new(vec![(x, low), (x, high)], style),
        PathElement::new(vec![(x - cap, low), (x + cap, low)], style),
        PathElement::new(vec![(x - cap, high), (x + cap, high)], style),
    ]
}

/// Splits `text` into lines, at spaces, that each fit `width` pixels in `style`
/// (a single word wider than that gets a line of its own).
pub fn wrap_to_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    width: u32,
) -> Result<Vec<String>, PlotError> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        if let Some(last) = lines.last_mut() {
            let longer = format!("{last} {word}");
            if area.estimate_text_size(&longer, style)?.0 <= width {
                *last = longer;
                continue;
            }
        }
        lines.push(word.to_string());
    }
    Ok(lines)
}

/// Writes a centred message on an area (e.g. "no runs").
pub fn message<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, text: &str) -> Result<(), PlotError> {
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(
        text.to_string(),
        (w as i32 / 2, h as i32 / 2),
        font_color(AXIS, MUTED).pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(())
}

/// "Nice" round step for about `n` intervals over `span`: 1, 2, 2.5 or 5 times a power of ten.
pub fn nice_step(span: f64, n: f64) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / n.max(1.0);
    let mag = crate::math::pow(10.0, crate::math::log10(raw).floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= raw {
            return m * mag;
        }
    }
    10.0 * mag
}

/// A range that holds `lo..hi` with some air, never empty.
pub fn padded(lo: f64, hi: f64, air: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    if hi - lo <= 1e-12 * (lo.abs() + hi.abs()).max(1e-300) {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return (lo - d, hi + d);
    }
    let pad = (hi - lo) * air;
    (lo - pad, hi + pad)
}

/// A number for a label: about three significant digits, no exponent
/// for everyday sizes.
pub fn short(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let a = x.abs();
    let s = if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else if a >= 0.001 || a == 0.0 {
        format!("{x:.3}")
    } else {
        format!("{x:.2e}")
    };
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
        s.trim_start_matches('-').to_string()
    } else {
        s.replace('-', "−")
    }
}

/// A tick label: the shortest of `short`'s digits, trailing zeros dropped
/// ("20", "2.5", "0.25").
pub fn tick(x: f64) -> String {
    let s = short(x);
    if s.contains('e') || !s.contains('.') {
        return s;
    }
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A share as a percentage for labels: "12.3%".
pub fn pct(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let p = 100.0 * x;
    if p != 0.0 && p.abs() < 1.0 {
        format!("{p:.2}%")
    } else {
        format!("{p:.1}%")
    }
}

/// The plural of a period word ("quarter" → "quarters").
pub fn plural(word: &str) -> String {
    if word.ends_with('s') {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legends_go_where_the_data_is_not() {
        let whole = ((0.0, 1.0), (0.0, 1.0));
        // A band over the left half, bottom to top: the left corners are taken.
        let left = vec![(0.0, 0.0, 1.0), (0.5, 0.0, 1.0)];
        let c = corner_cover((0.3, 0.3), whole.0, whole.1, &[left]);
        assert_eq!(c[0], 33.0, "{c:?}");
        assert_eq!(c[2], 33.0, "{c:?}");
        assert_eq!((c[1], c[3]), (0.0, 0.0));
        // A line along the top: the lower corners are free, the upper ones
        // hidden by the line's thickness (2% of the height of a box of 30%).
        let top = vec![(0.0, 0.95, 0.95), (1.0, 0.95, 0.95)];
        let c = corner_cover((0.3, 0.3), whole.0, whole.1, &[top]);
        assert!((c[0] - 33.0 * 0.02 / 0.3).abs() < 1e-9 && c[0] == c[1], "{c:?}");
        assert_eq!((c[2], c[3]), (0.0, 0.0));
        // Between points the band is interpolated: a band rising from the
        // bottom left to the top right leaves the upper left free.
        let rising = vec![(0.0, 0.0, 0.1), (1.0, 0.9, 1.0)];
        let c = corner_cover((0.3, 0.3), whole.0, whole.1, &[rising]);
        assert_eq!((c[0], c[3]), (0.0, 0.0), "{c:?}");
        assert!(c[1] > 0.0 && c[2] > 0.0, "{c:?}");
        // Missing values are passed over; no data hides nothing.
        let nan = vec![(0.0, f64::NAN, 1.0)];
        assert_eq!(corner_cover((0.3, 0.3), whole.0, whole.1, &[nan, vec![]]), [0.0; 4]);
    }

    #[test]
    fn nice_steps_are_round() {
        assert_eq!(nice_step(100.0, 10.0), 10.0);
        assert_eq!(nice_step(7.0, 40.0), 0.2);
        assert_eq!(nice_step(23.0, 10.0), 2.5);
        assert_eq!(nice_step(0.0, 10.0), 1.0);
    }

    #[test]
    fn short_numbers_read_well() {
        assert_eq!(short(1234.5), "1234");
        assert_eq!(short(-0.0001), "−1.00e−4");
        assert_eq!(short(-0.0), "0.000");
        assert_eq!(short(12.345), "12.3");
        assert_eq!(pct(0.1234), "12.3%");
        assert_eq!(tick(20.0), "20");
        assert_eq!(tick(0.8), "0.8");
        assert_eq!(tick(-0.0), "0");
        assert_eq!(tick(2.5), "2.5");
        assert_eq!(pct(0.001), "0.10%");
    }

    #[test]
    fn viridis_ends() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(f64::NAN), RGBColor(68, 1, 84));
    }
}
