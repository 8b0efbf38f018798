//! The time axis: pixel mapping and wall-clock ticks in the chart's zone.

use chrono::{Offset, TimeZone};
use chrono_tz::Tz;

use super::scene::{text_width, Anchor, LineRole, Scene, TextRole, TextSpec};
use super::{ChartError, Rgb};
use crate::sim::time::{Millis, Time, DAY, HOUR, MINUTE, SECOND};

/// Tick label size.
pub const TICK_SIZE: f64 = 16.0;
/// Grid line colour.
pub const GRID: Rgb = Rgb(0xE3, 0xE3, 0xE3);
/// Axis line and tick label colour.
pub const INK: Rgb = Rgb(0x22, 0x22, 0x22);
/// Secondary text colour.
pub const MUTED: Rgb = Rgb(0x55, 0x55, 0x55);

/// Maps instants in `[start, end]` onto pixels `[x0, x1]`.
#[derive(Copy, Clone, Debug)]
pub struct TimeScale {
    /// First instant.
    pub start: Time,
    /// Last instant.
    pub end: Time,
    /// Pixel of `start`.
    pub x0: i32,
    /// Pixel of `end`.
    pub x1: i32,
}

impl TimeScale {
    /// The pixel column of `t`, clamped to the axis.
    pub fn x(&self, t: Time) -> i32 {
        let span = self.end.since(self.start).max(1) as f64;
        let f = (t.since(self.start) as f64 / span).clamp(0.0, 1.0);
        self.x0 + (f * f64::from(self.x1 - self.x0)).round() as i32
    }

    /// Pixels per millisecond.
    pub fn px_per_ms(&self) -> f64 {
        f64::from(self.x1 - self.x0) / self.end.since(self.start).max(1) as f64
    }
}

const STEPS: [Millis; 21] = [
    SECOND,
    2 * SECOND,
    5 * SECOND,
    10 * SECOND,
    15 * SECOND,
    30 * SECOND,
    MINUTE,
    2 * MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    7 * DAY,
    30 * DAY,
];

fn offset_ms(zone: Tz, t: Time) -> Millis {
    let utc = t.to_utc().naive_utc();
    i64::from(zone.offset_from_utc_datetime(&utc).fix().local_minus_utc()) * SECOND
}

/// Wall-clock label of `t` in `zone`: `12:03:00`, or `11-25 12:03` when the axis spans days.
pub fn wall_label(zone: Tz, t: Time, with_date: bool) -> String {
    let local = t.to_utc().with_timezone(&zone);
    if with_date {
        local.format("%m-%d %H:%M").to_string()
    } else {
        local.format("%H:%M:%S").to_string()
    }
}

/// The local date and zone name shown as the axis title.
pub fn axis_title(zone: Tz, start: Time, end: Time) -> String {
    let a = start.to_utc().with_timezone(&zone);
    let b = end.to_utc().with_timezone(&zone);
    let (da, db) = (a.format("%Y-%m-%d"), b.format("%Y-%m-%d"));
    let dates = if da.to_string() == db.to_string() {
        da.to_string()
    } else {
        format!("{da} – {db}")
    };
    format!("wall-clock time, {} ({dates})", zone.name())
}

/// Tick instants and their labels: the smallest nice step whose labels fit side by side.
pub fn ticks(scale: &TimeScale, zone: Tz) -> Result<Vec<(Time, String)>, ChartError> {
    let span = scale.end.since(scale.start);
    let with_date = span > DAY;
    let sample = wall_label(zone, scale.start, with_date);
    let label_w = f64::from(text_width(&sample, TICK_SIZE, false)? + 24);
    let step = STEPS
        .iter()
        .copied()
        .find(|s| *s as f64 * scale.px_per_ms() >= label_w)
        .unwrap_or(STEPS[STEPS.len() - 1]);
    // Align to local wall-clock multiples of the step, using the offset at the start (a DST
    // change inside the axis shifts later labels off the round values but keeps them truthful).
    let off = offset_ms(zone, scale.start);
    let local0 = scale.start.0 + off;
    let first = local0.div_euclid(step) * step
        + if local0.rem_euclid(step) == 0 {
            0
        } else {
            step
        };
    let mut out = Vec::new();
    let mut local = first;
    while local - off <= scale.end.0 {
        let t = Time(local - off);
        out.push((t, wall_label(zone, t, with_date)));
        local += step;
    }
    Ok(out)
}

/// Draws vertical grid lines at the ticks between `y0` and `y1`.
pub fn grid(scene: &mut Scene, scale: &TimeScale, ticks: &[(Time, String)], y0: i32, y1: i32) {
    for (t, _) in ticks {
        let x = scale.x(*t);
        scene.line(vec![(x, y0), (x, y1)], GRID, 1, LineRole::Axis);
    }
}

/// Draws the axis line at `y`, tick marks and labels below it, and the axis title; returns the
/// y just below the title.
pub fn draw_axis(
    scene: &mut Scene,
    scale: &TimeScale,
    ticks: &[(Time, String)],
    zone: Tz,
    y: i32,
) -> Result<i32, ChartError> {
    scene.line(vec![(scale.x0, y), (scale.x1, y)], INK, 1, LineRole::Axis);
    for (t, label) in ticks {
        let x = scale.x(*t);
        scene.line(vec![(x, y), (x, y + 6)], INK, 1, LineRole::Axis);
        scene.text(
            x,
            y + 18,
            label,
            TextSpec::regular(TICK_SIZE, INK),
            Anchor::Center,
            TextRole::Tick,
        )?;
    }
    let title = axis_title(zone, scale.start, scale.end);
    scene.text(
        (scale.x0 + scale.x1) / 2,
        y + 44,
        &title,
        TextSpec::regular(TICK_SIZE, MUTED),
        Anchor::Center,
        TextRole::AxisTitle,
    )?;
    Ok(y + 58)
}
