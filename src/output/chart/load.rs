//! Load chart: how many pods exist in each state over time (stacked steps), and the CPU and
//! memory they request — the lecture's point that batch resources should exist only while the
//! job runs.

use super::axis::{self, TimeScale, GRID, INK, MUTED};
use super::gantt::{draw_legend, MARGIN_L, MARGIN_R, WIDTH};
use super::scene::{Anchor, Item, LineRole, Scene, TextRole};
use super::{state_color, ChartError, Rgb, TimelineChart};
use crate::output::timeline::PodState;
use crate::time::Time;

/// The load from one instant on (a step function sample).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadPoint {
    /// First instant of this value.
    pub time: Time,
    /// Pods Pending/ContainerCreating.
    pub pending: u32,
    /// Pods Running.
    pub running: u32,
    /// Pods in CrashLoopBackOff.
    pub crashloop: u32,
    /// Pods Terminating.
    pub terminating: u32,
    /// Requested millicores of every non-terminal pod (the scheduler's view: terminating pods
    /// still hold their requests, finished ones do not).
    pub cpu_millis: i64,
    /// Requested bytes of every non-terminal pod.
    pub memory_bytes: i64,
}

impl LoadPoint {
    /// Pods that are not finished.
    pub fn active(&self) -> u32 {
        self.pending + self.running + self.crashloop + self.terminating
    }

    fn count(&self, s: PodState) -> u32 {
        match s {
            PodState::Pending => self.pending,
            PodState::Running => self.running,
            PodState::CrashLoopBackOff => self.crashloop,
            PodState::Terminating => self.terminating,
            _ => 0,
        }
    }
}

/// The load step function of a chart: one point at `start` and one at every change, in time
/// order, each holding until the next (the last until `end`).
pub fn load_series(chart: &TimelineChart) -> Vec<LoadPoint> {
    // (time, +1/-1, state, cpu, mem) deltas, applied in time order.
    let mut deltas: Vec<(Time, i32, PodState, i64, i64)> = Vec::new();
    for lane in &chart.lanes {
        let cpu = lane.requests.cpu_millis.unwrap_or(0);
        let mem = lane.requests.memory_bytes.unwrap_or(0);
        for (from, to, state) in &lane.segments {
            if super::is_terminal(*state) {
                continue;
            }
            deltas.push((*from, 1, *state, cpu, mem));
            deltas.push((*to, -1, *state, cpu, mem));
        }
    }
    deltas.sort_by_key(|d| (d.0, d.1));
    let mut cur = LoadPoint {
        time: chart.start,
        ..LoadPoint::default()
    };
    let mut out = vec![cur];
    for (t, sign, state, cpu, mem) in deltas {
        let t = t.max(chart.start);
        cur.time = t;
        let slot = match state {
            PodState::Pending => &mut cur.pending,
            PodState::Running => &mut cur.running,
            PodState::CrashLoopBackOff => &mut cur.crashloop,
            _ => &mut cur.terminating,
        };
        *slot = if sign > 0 {
            *slot + 1
        } else {
            slot.saturating_sub(1)
        };
        cur.cpu_millis += i64::from(sign) * cpu;
        cur.memory_bytes += i64::from(sign) * mem;
        match out.last_mut() {
            Some(last) if last.time == t => *last = cur,
            _ => out.push(cur),
        }
    }
    // Drop points that change nothing (e.g. a pod leaving Pending as another enters it).
    out.dedup_by(|b, a| LoadPoint { time: a.time, ..*b } == *a);
    out
}

/// A nice tick step for values up to `max` (at most about six ticks), at least `min_step`.
fn nice_step(max: f64, min_step: f64) -> f64 {
    let raw = (max / 5.0).max(min_step);
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
        .max(min_step)
}

fn fmt_num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

const PLOT_H: i32 = 300;
const RES_H: i32 = 150;

struct Panel<'a> {
    scene: &'a mut Scene,
    scale: TimeScale,
    top: i32,
    height: i32,
    max: f64,
}

impl Panel<'_> {
    fn y(&self, v: f64) -> i32 {
        self.top + self.height - ((v / self.max) * f64::from(self.height)).round() as i32
    }

    fn frame(
        &mut self,
        title: &str,
        ticks: &[(Time, String)],
        min_step: f64,
    ) -> Result<(), ChartError> {
        let sc = self.scale;
        self.scene.text(
            sc.x0,
            self.top - 16,
            title,
            16.0,
            true,
            INK,
            Anchor::Left,
            TextRole::Panel,
        )?;
        axis::grid(self.scene, &sc, ticks, self.top, self.top + self.height);
        let step = nice_step(self.max, min_step);
        let mut v = 0.0;
        while v <= self.max + 1e-9 {
            let y = self.y(v);
            self.scene
                .line(vec![(sc.x0, y), (sc.x1, y)], GRID, 1, LineRole::Axis);
            self.scene.text(
                sc.x0 - 8,
                y,
                &fmt_num(v),
                axis::TICK_SIZE,
                false,
                INK,
                Anchor::Right,
                TextRole::Tick,
            )?;
            v += step;
        }
        self.scene.line(
            vec![(sc.x0, self.top), (sc.x0, self.top + self.height)],
            INK,
            1,
            LineRole::Axis,
        );
        Ok(())
    }

    /// A filled step band between `lo` and `hi` (values per series point).
    fn band(&mut self, series: &[LoadPoint], lo: &[f64], hi: &[f64], fill: Rgb) {
        if hi.iter().zip(lo).all(|(h, l)| h <= l) {
            return;
        }
        let mut pts = Vec::new();
        for (i, p) in series.iter().enumerate() {
            let next = series.get(i + 1).map_or(self.scale.end, |n| n.time);
            pts.push((self.scale.x(p.time), self.y(hi[i])));
            pts.push((self.scale.x(next), self.y(hi[i])));
        }
        for (i, p) in series.iter().enumerate().rev() {
            let next = series.get(i + 1).map_or(self.scale.end, |n| n.time);
            pts.push((self.scale.x(next), self.y(lo[i])));
            pts.push((self.scale.x(p.time), self.y(lo[i])));
        }
        pts.dedup();
        self.scene.items.push(Item::Poly {
            pts,
            fill,
            marker: None,
        });
    }

    fn step_line(&mut self, series: &[LoadPoint], v: &[f64], color: Rgb) {
        let mut pts = Vec::new();
        for (i, p) in series.iter().enumerate() {
            let next = series.get(i + 1).map_or(self.scale.end, |n| n.time);
            pts.push((self.scale.x(p.time), self.y(v[i])));
            pts.push((self.scale.x(next), self.y(v[i])));
        }
        pts.dedup();
        self.scene.line(pts, color, 2, LineRole::Data);
    }
}

/// Bottom-to-top stacking order of the active states.
const STACK: [PodState; 4] = [
    PodState::Running,
    PodState::CrashLoopBackOff,
    PodState::Terminating,
    PodState::Pending,
];

/// Lays out the load chart.
pub(crate) fn layout(chart: &TimelineChart) -> Result<Scene, ChartError> {
    let series = load_series(chart);
    let mut scene = Scene {
        width: WIDTH,
        ..Scene::default()
    };
    let max_w = WIDTH as i32 - MARGIN_L - MARGIN_R;
    let title = super::scene::fit_text(&format!("Load: {}", chart.title), 26.0, true, max_w)?;
    scene.text(
        MARGIN_L,
        26,
        &title,
        26.0,
        true,
        INK,
        Anchor::Left,
        TextRole::Title,
    )?;
    let mut y = 52;
    if !chart.subtitle.is_empty() {
        let sub = super::scene::fit_text(&chart.subtitle, 17.0, false, max_w)?;
        scene.text(
            MARGIN_L,
            y + 4,
            &sub,
            17.0,
            false,
            INK,
            Anchor::Left,
            TextRole::Title,
        )?;
        y += 26;
    }
    let scale = TimeScale {
        start: chart.start,
        end: chart.end,
        x0: MARGIN_L + 90,
        x1: WIDTH as i32 - MARGIN_R,
    };
    let ticks = axis::ticks(&scale, chart.zone)?;

    let max_active = series.iter().map(|p| p.active()).max().unwrap_or(0);
    let mut top = y + 40;
    {
        let mut panel = Panel {
            scene: &mut scene,
            scale,
            top,
            height: PLOT_H,
            max: f64::from(max_active.max(1)),
        };
        panel.max = (panel.max / nice_step(panel.max, 1.0)).ceil() * nice_step(panel.max, 1.0);
        panel.frame(
            "Pods that exist and are not finished, by state",
            &ticks,
            1.0,
        )?;
        let mut lo = vec![0.0; series.len()];
        for s in STACK {
            let hi: Vec<f64> = series
                .iter()
                .zip(&lo)
                .map(|(p, l)| l + f64::from(p.count(s)))
                .collect();
            panel.band(&series, &lo, &hi, state_color(s));
            lo = hi;
        }
        panel.step_line(&series, &lo, INK);
    }
    let states: Vec<PodState> = STACK
        .iter()
        .copied()
        .filter(|s| series.iter().any(|p| p.count(*s) > 0))
        .collect();
    top += PLOT_H;

    type Extract = fn(&LoadPoint) -> f64;
    let mut resources: Vec<(&str, Extract, f64)> = Vec::new();
    if chart.lanes.iter().any(|l| l.requests.cpu_millis.is_some()) {
        resources.push((
            "Requested CPU (cores)",
            |p| p.cpu_millis as f64 / 1000.0,
            0.01,
        ));
    }
    if chart
        .lanes
        .iter()
        .any(|l| l.requests.memory_bytes.is_some())
    {
        resources.push((
            "Requested memory (MiB)",
            |p| p.memory_bytes as f64 / (1024.0 * 1024.0),
            1.0,
        ));
    }
    for (title, f, min_step) in resources {
        top += 56;
        let vals: Vec<f64> = series.iter().map(f).collect();
        let max = vals.iter().copied().fold(0.0, f64::max).max(min_step);
        let step = nice_step(max, min_step);
        let mut panel = Panel {
            scene: &mut scene,
            scale,
            top,
            height: RES_H,
            max: (max / step).ceil() * step,
        };
        panel.frame(title, &ticks, min_step)?;
        let zero = vec![0.0; vals.len()];
        panel.band(&series, &zero, &vals, Rgb(0x9E, 0xC9, 0xE2));
        panel.step_line(&series, &vals, Rgb(0x00, 0x72, 0xB2));
        top += RES_H;
    }
    let y = axis::draw_axis(&mut scene, &scale, &ticks, chart.zone, top)?;
    let y = draw_legend(&mut scene, &states, &[], false, y + 4)?;
    // The black outline is the total; say so under the state swatches.
    scene.text(
        MARGIN_L,
        y + 2,
        "black line: all unfinished pods (Succeeded/Failed pods hold no resources and are not counted)",
        15.0,
        false,
        MUTED,
        Anchor::Left,
        TextRole::Legend,
    )?;
    scene.height = (y + 24) as u32;
    Ok(scene)
}
