//! Box plot of one sweep metric per variant: whiskers at min and max, box from p25 to
//! p75, a thick median line and a diamond at the mean, one column per variant.
//!
//! Laid out as a [`Scene`] like the other charts, so SVG and PNG share coordinates and the
//! embedded font, and the same values always give the same bytes.

use super::axis::{GRID, INK, MUTED, TICK_SIZE};
use super::scene::{fit_text, Anchor, LineRole, RectRole, Scene, TextRole, TextSpec};
use super::{ChartError, Rgb};

/// One box: a variant's label and its values of the metric (any order).
#[derive(Clone, Debug, PartialEq)]
pub struct BoxSeries {
    /// Variant label shown under its box.
    pub label: String,
    /// The metric's value in each run.
    pub values: Vec<f64>,
}

/// Five-number summary plus the mean, by nearest-rank percentiles (the sweep's convention).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct BoxStats {
    /// Smallest value.
    pub min: f64,
    /// 25th percentile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// 75th percentile.
    pub q3: f64,
    /// Largest value.
    pub max: f64,
    /// Arithmetic mean.
    pub mean: f64,
}

/// Nearest-rank percentile of sorted values: the ⌈q·n⌉-th smallest (the smallest for q = 0).
pub fn nearest_rank(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let k = (q * sorted.len() as f64).ceil() as usize;
    sorted[k.clamp(1, sorted.len()) - 1]
}

impl BoxStats {
    /// The statistics of `values`; `None` when there are none.
    pub fn of(values: &[f64]) -> Option<BoxStats> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        Some(BoxStats {
            min: v[0],
            q1: nearest_rank(&v, 0.25),
            median: nearest_rank(&v, 0.5),
            q3: nearest_rank(&v, 0.75),
            max: v[v.len() - 1],
            mean: v.iter().sum::<f64>() / v.len() as f64,
        })
    }
}

const BOX_FILL: Rgb = Rgb(0x56, 0xB4, 0xE9);
const MEAN: Rgb = Rgb(0xD5, 0x5E, 0x00);
const COL_W: i32 = 220;
const PLOT_TOP: i32 = 90;
const PLOT_H: i32 = 360;
const LEFT: i32 = 90;

fn nice_step(span: f64) -> f64 {
    let raw = (span / 5.0).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
}

fn fmt_num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Lays out the box plot of `metric` with one box per series.
pub fn layout(title: &str, metric: &str, series: &[BoxSeries]) -> Result<Scene, ChartError> {
    if series.is_empty() {
        return Err(ChartError::NoPanels);
    }
    let n = series.len() as i32;
    let width = (LEFT + n * COL_W + 40).max(640);
    let height = PLOT_TOP + PLOT_H + 90;
    let mut scene = Scene {
        width: width as u32,
        height: height as u32,
        items: Vec::new(),
    };
    scene.rect(
        (0, 0, width, height),
        Rgb(255, 255, 255),
        RectRole::Background,
    );
    let t = fit_text(title, 20.0, true, width - 40)?;
    scene.text(
        20,
        28,
        &t,
        TextSpec::bold(20.0, INK),
        Anchor::Left,
        TextRole::Title,
    )?;
    let sub = format!("{metric}: whiskers min–max, box p25–p75, line median, diamond mean");
    let sub = fit_text(&sub, 14.0, false, width - 40)?;
    scene.text(
        20,
        54,
        &sub,
        TextSpec::regular(14.0, MUTED),
        Anchor::Left,
        TextRole::Title,
    )?;

    let stats: Vec<Option<BoxStats>> = series.iter().map(|s| BoxStats::of(&s.values)).collect();
    let lo = stats
        .iter()
        .flatten()
        .map(|s| s.min)
        .fold(f64::INFINITY, f64::min);
    let hi = stats
        .iter()
        .flatten()
        .map(|s| s.max)
        .fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() {
        (lo.min(0.0), hi)
    } else {
        (0.0, 1.0)
    };
    let step = nice_step((hi - lo).max(1.0));
    let top = (hi / step).ceil().max(1.0) * step;
    let bottom = (lo / step).floor() * step;
    let y = |v: f64| -> i32 {
        PLOT_TOP + PLOT_H - (((v - bottom) / (top - bottom)) * f64::from(PLOT_H)).round() as i32
    };
    let x1 = LEFT + n * COL_W;
    let mut v = bottom;
    while v <= top + step * 1e-6 {
        let yy = y(v);
        scene.line(vec![(LEFT, yy), (x1, yy)], GRID, 1, LineRole::Axis);
        scene.text(
            LEFT - 8,
            yy,
            &fmt_num(v),
            TextSpec::regular(TICK_SIZE, INK),
            Anchor::Right,
            TextRole::Tick,
        )?;
        v += step;
    }
    scene.line(
        vec![(LEFT, PLOT_TOP), (LEFT, PLOT_TOP + PLOT_H)],
        INK,
        1,
        LineRole::Axis,
    );

    for (i, (s, st)) in series.iter().zip(&stats).enumerate() {
        let cx = LEFT + i as i32 * COL_W + COL_W / 2;
        let label = fit_text(&s.label, 14.0, false, COL_W - 12)?;
        scene.text(
            cx,
            PLOT_TOP + PLOT_H + 22,
            &label,
            TextSpec::regular(14.0, INK),
            Anchor::Center,
            TextRole::Tick,
        )?;
        let Some(st) = st else { continue };
        let count = format!("n = {}, mean {}", s.values.len(), fmt_num(st.mean));
        let count = fit_text(&count, 12.0, false, COL_W - 12)?;
        scene.text(
            cx,
            PLOT_TOP + PLOT_H + 44,
            &count,
            TextSpec::regular(12.0, MUTED),
            Anchor::Center,
            TextRole::Legend,
        )?;
        draw_box(&mut scene, cx, st, &y);
    }
    Ok(scene)
}

/// One variant's box at `cx`: whisker and caps at min and max, the box from p25 to p75, a thick
/// median line and a diamond at the mean; `y` maps a value to its pixel row.
fn draw_box(scene: &mut Scene, cx: i32, st: &BoxStats, y: &impl Fn(f64) -> i32) {
    let half = COL_W / 5;
    // Whisker, caps, box, median, mean.
    scene.line(
        vec![(cx, y(st.min)), (cx, y(st.max))],
        INK,
        1,
        LineRole::Data,
    );
    for w in [st.min, st.max] {
        scene.line(
            vec![(cx - half / 2, y(w)), (cx + half / 2, y(w))],
            INK,
            1,
            LineRole::Data,
        );
    }
    let (bt, bb) = (y(st.q3), y(st.q1));
    scene.rect(
        (cx - half, bt, cx + half, (bb).max(bt + 1)),
        BOX_FILL,
        RectRole::Background,
    );
    scene.line(
        vec![
            (cx - half, bt),
            (cx + half, bt),
            (cx + half, bb),
            (cx - half, bb),
            (cx - half, bt),
        ],
        INK,
        1,
        LineRole::Data,
    );
    scene.line(
        vec![(cx - half, y(st.median)), (cx + half, y(st.median))],
        INK,
        3,
        LineRole::Data,
    );
    let (my, r) = (y(st.mean), 5);
    scene.line(
        vec![
            (cx - r, my),
            (cx, my - r),
            (cx + r, my),
            (cx, my + r),
            (cx - r, my),
        ],
        MEAN,
        2,
        LineRole::Glyph,
    );
}

/// The box plot as SVG.
pub fn render_svg(title: &str, metric: &str, series: &[BoxSeries]) -> Result<String, ChartError> {
    super::scene::to_svg(&layout(title, metric, series)?)
}

/// The box plot as PNG.
pub fn render_png(title: &str, metric: &str, series: &[BoxSeries]) -> Result<Vec<u8>, ChartError> {
    super::scene::to_png(&layout(title, metric, series)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_stats_by_nearest_rank() {
        // 1..=10: p25 = 3rd value, median = 5th, p75 = 8th (⌈0.75·10⌉ = 8).
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        let s = BoxStats::of(&v).unwrap();
        assert_eq!(
            (s.min, s.q1, s.median, s.q3, s.max),
            (1.0, 3.0, 5.0, 8.0, 10.0)
        );
        assert_eq!(s.mean, 5.5);
        assert_eq!(BoxStats::of(&[]), None);
    }

    #[test]
    fn renders_deterministically_without_overlapping_labels() {
        let series = vec![
            BoxSeries {
                label: "Allow".into(),
                values: vec![0.0, 1.0, 2.0],
            },
            BoxSeries {
                label: "Forbid".into(),
                values: vec![10.0, 12.0, 30.0],
            },
        ];
        let a = render_svg("t", "slots_skipped", &series).unwrap();
        let b = render_svg("t", "slots_skipped", &series).unwrap();
        assert_eq!(a, b);
        let scene = layout("t", "slots_skipped", &series).unwrap();
        let ticks: Vec<_> = scene
            .texts(TextRole::Tick)
            .filter_map(|t| t.text_box())
            .collect();
        for (i, a) in ticks.iter().enumerate() {
            for b in &ticks[i + 1..] {
                assert!(!super::super::scene::overlaps(*a, *b));
            }
        }
    }
}
