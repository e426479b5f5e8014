//! What every plot shares: the built-in font, sizes, colours, rendering to
//! PNG and SVG, and a few drawing helpers plotters lacks.
//!
//! Text is drawn with DejaVu Sans, compiled into the binary and registered
//! with plotters' `ab_glyph` font path, so plots render the same on a
//! machine with no system fonts and no fontconfig. Rendering is a pure
//! function of the data: the same data gives the same PNG and SVG bytes.

use std::sync::OnceLock;

use plotters::coord::Shift;
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
    let mag = 10f64.powf(raw.log10().floor());
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
