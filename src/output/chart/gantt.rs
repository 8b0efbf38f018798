//! Gantt layout: rows (per pod, per job, or packed), bars, the marker strip, slot lines, legend.

use super::axis::{self, TimeScale, GRID, INK, MUTED};
use super::scene::{
    fit_text, text_width, Anchor, Item, LineRole, RectRole, Scene, TextRole, TextSpec,
};
use super::{
    is_terminal, marker_color, state_color, ChartError, MarkerKind, Rgb, TimelineChart, STATES,
};
use crate::output::timeline::PodState;
use crate::sim::time::Time;

mod rows;
pub use rows::{plan_rows, RowMode, RowPlan, ROW_LIMIT};

/// Figure width in px: a 16:9 slide at a size where 15 px text stays readable when scaled.
pub(crate) const WIDTH: u32 = 1600;
pub(crate) const MARGIN_L: i32 = 24;
pub(crate) const MARGIN_R: i32 = 56;
const LABEL_MAX: i32 = 420;
const LABEL_SIZE: f64 = 17.0;
const ROW_H: i32 = 28;
const STRIP_H: i32 = 24;
const BAR_HALF: i32 = 8;
const THIN_HALF: i32 = 3;
const GLYPH_R: i32 = 7;
const LEGEND_SIZE: f64 = 16.0;
const BAND: Rgb = Rgb(0xF2, 0xF2, 0xF2);
const SLOT: Rgb = Rgb(0x44, 0x44, 0x44);
const MIN_SLOT_SPACING_PX: f64 = 6.0;

/// Adds a marker glyph centred on `(cx, cy)`.
pub(crate) fn glyph(scene: &mut Scene, kind: MarkerKind, cx: i32, cy: i32, r: i32, in_plot: bool) {
    let rf = f64::from(r);
    let pt = |dx: f64, dy: f64| (cx + dx.round() as i32, cy + dy.round() as i32);
    let pts: Vec<(i32, i32)> = match kind {
        MarkerKind::JobCreated => vec![pt(0.0, -rf), pt(rf, rf * 0.8), pt(-rf, rf * 0.8)],
        MarkerKind::JobFailed => vec![pt(0.0, rf), pt(rf, -rf * 0.8), pt(-rf, -rf * 0.8)],
        MarkerKind::Replaced => vec![pt(0.0, -rf), pt(rf, 0.0), pt(0.0, rf), pt(-rf, 0.0)],
        MarkerKind::DeadlineExceeded => {
            let h = rf * 0.8;
            vec![pt(-h, -h), pt(h, -h), pt(h, h), pt(-h, h)]
        }
        MarkerKind::HistoryCleanup => (0..12)
            .map(|i| {
                let a = f64::from(i) * std::f64::consts::PI / 6.0;
                pt(rf * 0.75 * a.cos(), rf * 0.75 * a.sin())
            })
            .collect(),
        MarkerKind::Skipped | MarkerKind::MissedSchedule => {
            // A plus sign; rotated 45° it is the "skipped" cross.
            let (a, l) = (rf * 0.28, rf);
            let plus = [
                (-a, -l),
                (a, -l),
                (a, -a),
                (l, -a),
                (l, a),
                (a, a),
                (a, l),
                (-a, l),
                (-a, a),
                (-l, a),
                (-l, -a),
                (-a, -a),
            ];
            let rot = if kind == MarkerKind::Skipped {
                std::f64::consts::FRAC_PI_4
            } else {
                0.0
            };
            plus.iter()
                .map(|(x, y)| pt(x * rot.cos() - y * rot.sin(), x * rot.sin() + y * rot.cos()))
                .collect()
        }
    };
    scene.items.push(Item::Poly {
        pts,
        fill: marker_color(kind),
        marker: in_plot.then_some(kind),
    });
}

/// Geometry shared by every section of one figure.
pub(crate) struct Frame {
    pub scale: TimeScale,
    pub ticks: Vec<(Time, String)>,
    pub zone: chrono_tz::Tz,
}

/// What a drawn section contributed (for the legend and notes).
#[derive(Default)]
pub(crate) struct Drawn {
    pub states: Vec<PodState>,
    pub markers: Vec<MarkerKind>,
    pub slot_lines: usize,
    pub slots_hidden: bool,
}

fn present_markers(chart: &TimelineChart) -> Vec<MarkerKind> {
    MarkerKind::ALL
        .iter()
        .copied()
        .filter(|k| chart.markers.iter().any(|m| m.kind == *k))
        .collect()
}

/// Width of the label column this chart needs.
fn label_width(chart: &TimelineChart, plan: &RowPlan) -> Result<i32, ChartError> {
    let mut w = 0;
    for r in &plan.rows {
        w = w.max(text_width(&r.label, LABEL_SIZE, false)?);
    }
    for k in present_markers(chart) {
        w = w.max(text_width(k.label(), LABEL_SIZE, false)?);
    }
    Ok(w.min(LABEL_MAX))
}

/// Height of a section (strip + rows).
fn section_height(chart: &TimelineChart, plan: &RowPlan) -> i32 {
    let strip = present_markers(chart).len() as i32 * STRIP_H;
    strip + 6 + (plan.rows.len().max(1) as i32) * ROW_H
}

/// Draws the marker strip and rows of one chart from `y`; returns the bottom y.
fn draw_section(
    scene: &mut Scene,
    frame: &Frame,
    chart: &TimelineChart,
    plan: &RowPlan,
    panel: usize,
    y: i32,
    drawn: &mut Drawn,
) -> Result<i32, ChartError> {
    let sc = &frame.scale;
    let label_x = sc.x0 - 10;
    let label_max = sc.x0 - 10 - MARGIN_L;
    let kinds = present_markers(chart);
    let rows_top = y + kinds.len() as i32 * STRIP_H + 6;
    let bottom = y + section_height(chart, plan);

    // Bands first (alternate job groups), then grid, slots, bars, glyphs, labels.
    for (i, r) in plan.rows.iter().enumerate() {
        if r.group % 2 == 1 {
            let top = rows_top + i as i32 * ROW_H;
            scene.rect(
                (MARGIN_L, top, sc.x1, top + ROW_H),
                BAND,
                RectRole::Background,
            );
        }
    }
    axis::grid(scene, sc, &frame.ticks, y, bottom);
    let min_gap = chart
        .slots
        .windows(2)
        .map(|w| w[1].since(w[0]))
        .min()
        .map_or(f64::INFINITY, |g| g as f64 * sc.px_per_ms());
    if min_gap >= MIN_SLOT_SPACING_PX {
        for s in chart
            .slots
            .iter()
            .filter(|s| **s >= sc.start && **s <= sc.end)
        {
            scene.dashed_vline(sc.x(*s), y, bottom, SLOT, drawn.slot_lines);
            drawn.slot_lines += 1;
        }
    } else if !chart.slots.is_empty() {
        drawn.slots_hidden = true;
    }
    scene.line(vec![(sc.x0, y), (sc.x0, bottom)], INK, 1, LineRole::Axis);

    for (i, r) in plan.rows.iter().enumerate() {
        let cy = rows_top + i as i32 * ROW_H + ROW_H / 2;
        for (from, to, state) in &r.segments {
            let half = if is_terminal(*state) {
                THIN_HALF
            } else {
                BAR_HALF
            };
            let (x0, mut x1) = (sc.x(*from), sc.x(*to));
            // Keep very short states visible: at least one pixel wide.
            if x1 <= x0 {
                x1 = x0 + 1;
            }
            scene.items.push(Item::Rect {
                x0,
                y0: cy - half,
                x1,
                y1: cy + half,
                fill: state_color(*state),
                role: RectRole::Bar { panel, row: i },
                state: Some(*state),
            });
            if !drawn.states.contains(state) {
                drawn.states.push(*state);
            }
        }
        let label = fit_text(&r.label, LABEL_SIZE, false, label_max)?;
        scene.text(
            label_x,
            cy,
            &label,
            TextSpec::regular(LABEL_SIZE, INK),
            Anchor::Right,
            TextRole::RowLabel,
        )?;
    }
    draw_marker_strips(scene, chart, sc, &kinds, y, label_x, drawn)?;
    Ok(bottom)
}

/// Draws one strip per marker kind from `y`: a glyph at each decision (thin ticks where glyphs
/// would overlap) and the kind's label.
fn draw_marker_strips(
    scene: &mut Scene,
    chart: &TimelineChart,
    sc: &TimeScale,
    kinds: &[MarkerKind],
    y: i32,
    label_x: i32,
    drawn: &mut Drawn,
) -> Result<(), ChartError> {
    for (k_i, kind) in kinds.iter().enumerate() {
        let cy = y + k_i as i32 * STRIP_H + STRIP_H / 2;
        let xs: Vec<i32> = chart
            .markers
            .iter()
            .filter(|m| m.kind == *kind && m.time >= sc.start && m.time <= sc.end)
            .map(|m| sc.x(m.time))
            .collect();
        // Glyphs closer than their own width merge into a blob; a rug of thin ticks still
        // shows where and how often the decision happened.
        let dense = xs.windows(2).any(|w| (w[1] - w[0]).abs() < 2 * GLYPH_R + 2);
        for x in xs {
            if dense {
                scene.items.push(Item::Poly {
                    pts: vec![
                        (x, cy - GLYPH_R),
                        (x + 1, cy - GLYPH_R),
                        (x + 1, cy + GLYPH_R),
                        (x, cy + GLYPH_R),
                    ],
                    fill: marker_color(*kind),
                    marker: Some(*kind),
                });
            } else {
                glyph(scene, *kind, x, cy, GLYPH_R, true);
            }
        }
        scene.text(
            label_x,
            cy,
            kind.label(),
            TextSpec::regular(LABEL_SIZE, MUTED),
            Anchor::Right,
            TextRole::RowLabel,
        )?;
        if !drawn.markers.contains(kind) {
            drawn.markers.push(*kind);
        }
    }
    Ok(())
}

/// Draws the title block; returns the y below it.
fn draw_header(scene: &mut Scene, lines: &[(String, f64, bool, Rgb)]) -> Result<i32, ChartError> {
    let max_w = WIDTH as i32 - MARGIN_L - MARGIN_R;
    let mut y = 8;
    for (text, size, bold, color) in lines {
        if text.is_empty() {
            continue;
        }
        let h = (*size * 1.5) as i32;
        let t = fit_text(text, *size, *bold, max_w)?;
        scene.text(
            MARGIN_L,
            y + h / 2,
            &t,
            TextSpec {
                size: *size,
                bold: *bold,
                color: *color,
            },
            Anchor::Left,
            TextRole::Title,
        )?;
        y += h;
    }
    Ok(y + 8)
}

/// Draws the legend from `y`, wrapping entries; returns the y below it.
pub(crate) fn draw_legend(
    scene: &mut Scene,
    states: &[PodState],
    markers: &[MarkerKind],
    slots: bool,
    y: i32,
) -> Result<i32, ChartError> {
    enum Entry {
        State(PodState),
        Marker(MarkerKind),
        Slot,
    }
    let mut entries: Vec<(Entry, String)> = STATES
        .iter()
        .filter(|s| states.contains(s))
        .map(|s| {
            let text = if is_terminal(*s) {
                format!("{} (thin: pod kept, no longer running)", s.label())
            } else {
                s.label().to_string()
            };
            (Entry::State(*s), text)
        })
        .collect();
    if slots {
        entries.push((Entry::Slot, "schedule slot".to_string()));
    }
    for k in MarkerKind::ALL.iter().filter(|k| markers.contains(k)) {
        entries.push((Entry::Marker(*k), k.explanation().to_string()));
    }
    let (sw, line_h) = (28, 26);
    let right = WIDTH as i32 - MARGIN_R;
    let (mut x, mut cy) = (MARGIN_L, y + line_h / 2);
    for (entry, text) in &entries {
        let tw = text_width(text, LEGEND_SIZE, false)?;
        let item_w = sw + 8 + tw;
        if x > MARGIN_L && x + item_w > right {
            x = MARGIN_L;
            cy += line_h;
        }
        match entry {
            Entry::State(s) => {
                let half = if is_terminal(*s) { THIN_HALF } else { BAR_HALF };
                scene.items.push(Item::Rect {
                    x0: x,
                    y0: cy - half,
                    x1: x + sw,
                    y1: cy + half,
                    fill: state_color(*s),
                    role: RectRole::Swatch,
                    state: Some(*s),
                });
            }
            Entry::Marker(k) => glyph(scene, *k, x + sw / 2, cy, GLYPH_R, false),
            Entry::Slot => {
                let mut yy = cy - 10;
                while yy < cy + 10 {
                    scene.line(
                        vec![(x + sw / 2, yy), (x + sw / 2, (yy + 5).min(cy + 10))],
                        SLOT,
                        1,
                        LineRole::Glyph,
                    );
                    yy += 9;
                }
            }
        }
        scene.text(
            x + sw + 8,
            cy,
            text,
            TextSpec::regular(LEGEND_SIZE, INK),
            Anchor::Left,
            TextRole::Legend,
        )?;
        x += item_w + 30;
    }
    Ok(cy + line_h / 2 + 12)
}

fn frame_for(
    start: Time,
    end: Time,
    zone: chrono_tz::Tz,
    label_w: i32,
) -> Result<Frame, ChartError> {
    let scale = TimeScale {
        start,
        end,
        x0: MARGIN_L + label_w + 20,
        x1: WIDTH as i32 - MARGIN_R,
    };
    let ticks = axis::ticks(&scale, zone)?;
    Ok(Frame { scale, ticks, zone })
}

fn notes(plan_note: Option<&String>, drawn: &Drawn) -> String {
    let mut v: Vec<String> = plan_note.into_iter().cloned().collect();
    if drawn.slots_hidden {
        v.push("schedule slots too dense to draw".into());
    }
    v.join(" · ")
}

/// Lays out a single pod timeline.
pub(crate) fn layout_single(chart: &TimelineChart) -> Result<Scene, ChartError> {
    let plan = plan_rows(chart, ROW_LIMIT);
    let label_w = label_width(chart, &plan)?;
    let frame = frame_for(chart.start, chart.end, chart.zone, label_w)?;
    // Draw the body into a scratch scene first: the header needs to know what was hidden.
    let mut body = Scene::default();
    let mut drawn = Drawn::default();
    let bottom = draw_section(&mut body, &frame, chart, &plan, 0, 0, &mut drawn)?;
    let mut scene = Scene {
        width: WIDTH,
        ..Scene::default()
    };
    let top = draw_header(
        &mut scene,
        &[
            (chart.title.clone(), 26.0, true, INK),
            (chart.subtitle.clone(), 17.0, false, INK),
            (notes(plan.note.as_ref(), &drawn), 15.0, false, MUTED),
        ],
    )?;
    shift(&mut body, top);
    scene.items.extend(body.items);
    let y = axis::draw_axis(
        &mut scene,
        &frame.scale,
        &frame.ticks,
        frame.zone,
        top + bottom,
    )?;
    let y = draw_legend(
        &mut scene,
        &drawn.states,
        &drawn.markers,
        drawn.slot_lines > 0,
        y + 4,
    )?;
    scene.height = y as u32;
    Ok(scene)
}

/// Moves every item of a scene down by `dy`.
pub(crate) fn shift(scene: &mut Scene, dy: i32) {
    for item in &mut scene.items {
        match item {
            Item::Rect { y0, y1, .. } => {
                *y0 += dy;
                *y1 += dy;
            }
            Item::Line { pts, .. } | Item::Poly { pts, .. } => {
                for p in pts {
                    p.1 += dy;
                }
            }
            Item::Text { y, .. } => *y += dy,
        }
    }
}

/// Lays out the compare figure: one section per panel on a shared time axis.
pub(crate) fn layout_compare(panels: &[(String, TimelineChart)]) -> Result<Scene, ChartError> {
    let limit = (ROW_LIMIT / panels.len()).max(12);
    let plans: Vec<RowPlan> = panels.iter().map(|(_, c)| plan_rows(c, limit)).collect();
    let mut label_w = 0;
    for ((_, c), p) in panels.iter().zip(&plans) {
        label_w = label_w.max(label_width(c, p)?);
    }
    let start = panels
        .iter()
        .map(|(_, c)| c.start)
        .min()
        .unwrap_or_default();
    let end = panels.iter().map(|(_, c)| c.end).max().unwrap_or_default();
    let zone = panels[0].1.zone;
    let frame = frame_for(start, end, zone, label_w)?;

    let first = &panels[0].1;
    let names: Vec<&str> = panels.iter().map(|(l, _)| l.as_str()).collect();
    let title = if panels.iter().all(|(_, c)| c.title == first.title) {
        format!("{}: {}", first.title, names.join(" vs "))
    } else {
        names.join(" vs ")
    };
    let mut scene = Scene {
        width: WIDTH,
        ..Scene::default()
    };
    let mut y = draw_header(
        &mut scene,
        &[
            (title, 26.0, true, INK),
            (
                "one panel per variant, same time axis".to_string(),
                17.0,
                false,
                MUTED,
            ),
        ],
    )?;
    let mut drawn = Drawn::default();
    for (i, ((label, chart), plan)) in panels.iter().zip(&plans).enumerate() {
        let mut heading = label.clone();
        if let Some(n) = &plan.note {
            heading = format!("{heading}  ({n})");
        }
        let heading = fit_text(&heading, 18.0, true, WIDTH as i32 - MARGIN_L - MARGIN_R)?;
        scene.text(
            MARGIN_L,
            y + 14,
            &heading,
            TextSpec::bold(18.0, INK),
            Anchor::Left,
            TextRole::Panel,
        )?;
        y += 32;
        y = draw_section(&mut scene, &frame, chart, plan, i, y, &mut drawn)?;
        // A rule between panels so each policy reads as its own picture.
        if i + 1 < panels.len() {
            y += 10;
            scene.line(
                vec![(MARGIN_L, y), (frame.scale.x1, y)],
                GRID,
                2,
                LineRole::Axis,
            );
            y += 10;
        }
    }
    let y = axis::draw_axis(&mut scene, &frame.scale, &frame.ticks, zone, y)?;
    let y = draw_legend(
        &mut scene,
        &drawn.states,
        &drawn.markers,
        drawn.slot_lines > 0,
        y + 4,
    )?;
    scene.height = y as u32;
    Ok(scene)
}
