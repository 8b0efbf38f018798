//! Load chart: how many pods exist in each state over time (stacked steps), and the CPU and
//! memory they request — the lecture's point that batch resources should exist only while the
//! job runs.

use super::axis::{self, TimeScale, GRID, INK, MUTED};
use super::gantt::{draw_legend, MARGIN_L, MARGIN_R, WIDTH};
use super::scene::{Anchor, LineRole, RectRole, Scene, TextRole, TextSpec};
use super::{state_color, ChartError, Rgb, TimelineChart};
use crate::output::timeline::PodState;
use crate::sim::time::Time;

mod bins;
pub use bins::{LoadBin, LoadBins, LoadBinsBuilder};

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
            TextSpec::bold(16.0, INK),
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
                TextSpec::regular(axis::TICK_SIZE, INK),
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

    /// Stacked bars per run (the column means, bottom to top, in `colors`), then the peak
    /// outline.
    fn stacks(&mut self, runs: &[Run], colors: &[Rgb], outline: Rgb) {
        for r in runs {
            let mut base = 0.0;
            for (color, h) in colors.iter().zip(&r.mean) {
                if *h > 0.0 {
                    let (top, bottom) = (self.y(base + h), self.y(base));
                    if top < bottom {
                        self.scene
                            .rect((r.x0, top, r.x1, bottom), *color, RectRole::Background);
                    }
                    base += h;
                }
            }
        }
        // The outline as separate two-point lines: plotters turns a wide polyline into one
        // polygon, which self-intersects on spiky data.
        let mut prev: Option<i32> = None;
        for r in runs {
            let y = self.y(r.peak);
            if let Some(py) = prev {
                if py != y {
                    self.scene
                        .line(vec![(r.x0, py), (r.x0, y)], outline, 2, LineRole::Data);
                }
            }
            self.scene
                .line(vec![(r.x0, y), (r.x1, y)], outline, 2, LineRole::Data);
            prev = Some(y);
        }
    }
}

/// A run of pixel columns with equal content.
#[derive(Clone, Debug, PartialEq)]
struct Run {
    x0: i32,
    x1: i32,
    /// Time-weighted mean of each layer over a column.
    mean: Vec<f64>,
    /// Largest total of the layers at any instant in a column.
    peak: f64,
}

/// Pixel columns of a time scale, merged where neighbours are equal: `column(c0, c1)` gives a
/// column's integral of each layer (value·ms) and its peak; the mean is the integral over the
/// column's span.
fn column_runs(sc: &TimeScale, mut column: impl FnMut(Time, Time) -> (Vec<f64>, f64)) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let span = sc.end.since(sc.start).max(1) as f64;
    let width = f64::from((sc.x1 - sc.x0).max(1));
    let t_at = |x: i32| Time(sc.start.0 + ((f64::from(x - sc.x0) / width) * span).round() as i64);
    for x in sc.x0..sc.x1 {
        let (c0, c1) = (t_at(x), t_at(x + 1));
        let (sum, peak) = column(c0, c1);
        let dt = c1.since(c0).max(1) as f64;
        let mean: Vec<f64> = sum.iter().map(|a| a / dt).collect();
        match out.last_mut() {
            Some(last) if last.mean == mean && last.peak == peak => last.x1 = x + 1,
            _ => out.push(Run {
                x0: x,
                x1: x + 1,
                mean,
                peak,
            }),
        }
    }
    out
}

/// Reduces the step function to pixel resolution. Each column's bars show the time-weighted
/// mean of each layer (so a day of 3-second runs reads as the little it really uses) and its
/// outline the peak (so short spikes stay visible); equal neighbouring columns merge.
fn runs(series: &[LoadPoint], sc: &TimeScale, layers: &dyn Fn(&LoadPoint) -> Vec<f64>) -> Vec<Run> {
    let mut i = 0;
    column_runs(sc, |c0, c1| {
        while i + 1 < series.len() && series[i + 1].time <= c0 {
            i += 1;
        }
        let n = series.get(i).map_or(0, |p| layers(p).len());
        let mut sum = vec![0.0; n];
        let mut peak: f64 = 0.0;
        let mut j = i;
        while j < series.len() && (j == i || series[j].time < c1) {
            let from = series[j].time.max(c0);
            let to = series.get(j + 1).map_or(c1, |p| p.time.min(c1));
            let v = layers(&series[j]);
            peak = peak.max(v.iter().sum());
            let dt = to.since(from).max(0) as f64;
            for (acc, val) in sum.iter_mut().zip(&v) {
                *acc += val * dt;
            }
            j += 1;
        }
        (sum, peak)
    })
}

/// Reduces [`LoadBins`] to pixel resolution like [`runs`] does a step series: a column's mean
/// is its share of each overlapping bin's integral, its peak the largest peak of those bins.
/// `layers` gives a bin's integrals (value·ms) and its peak.
fn bin_runs(
    bins: &LoadBins,
    sc: &TimeScale,
    layers: &dyn Fn(&LoadBin) -> (Vec<f64>, f64),
) -> Vec<Run> {
    let w = bins.width.max(1);
    column_runs(sc, |c0, c1| {
        let mut sum: Vec<f64> = Vec::new();
        let mut peak: f64 = 0.0;
        let mut i = (c0.since(bins.start) / w).max(0) as usize;
        while let Some(b) = bins.bins.get(i) {
            let b0 = bins.start.plus(i as i64 * w);
            if b0 >= c1 {
                break;
            }
            let overlap = c1.min(b0.plus(w)).since(c0.max(b0)).max(0) as f64;
            let (vals, p) = layers(b);
            if sum.len() < vals.len() {
                sum.resize(vals.len(), 0.0);
            }
            for (acc, v) in sum.iter_mut().zip(&vals) {
                *acc += v * overlap / w as f64;
            }
            if overlap > 0.0 {
                peak = peak.max(p);
            }
            i += 1;
        }
        (sum, peak)
    })
}

/// Bottom-to-top stacking order of the active states.
const STACK: [PodState; 4] = [
    PodState::Running,
    PodState::CrashLoopBackOff,
    PodState::Terminating,
    PodState::Pending,
];

/// The index of `s` in [`STACK`], or None for finished states.
fn stack_index(s: PodState) -> Option<usize> {
    STACK.iter().position(|x| *x == s)
}

/// Lays out the load chart.
pub(crate) fn layout(chart: &TimelineChart) -> Result<Scene, ChartError> {
    let series = if chart.load.is_some() {
        Vec::new()
    } else {
        load_series(chart)
    };
    let bins = chart.load.as_ref();
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
        TextSpec::bold(26.0, INK),
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
            TextSpec::regular(17.0, INK),
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

    let max_active = match bins {
        Some(b) => b.bins.iter().map(|b| b.peak_active).max().unwrap_or(0),
        None => series.iter().map(|p| p.active()).max().unwrap_or(0),
    };
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
        let runs = match bins {
            Some(b) => bin_runs(b, &scale, &|b| {
                (b.pod_ms.to_vec(), f64::from(b.peak_active))
            }),
            None => runs(&series, &scale, &|p| {
                STACK.iter().map(|s| f64::from(p.count(*s))).collect()
            }),
        };
        let colors: Vec<Rgb> = STACK.iter().map(|s| state_color(*s)).collect();
        panel.stacks(&runs, &colors, INK);
    }
    let states: Vec<PodState> = STACK
        .iter()
        .copied()
        .filter(|s| match (bins, stack_index(*s)) {
            (Some(b), Some(i)) => b.bins.iter().any(|b| b.pod_ms[i] > 0.0),
            _ => series.iter().any(|p| p.count(*s) > 0),
        })
        .collect();
    top += PLOT_H;

    let top = resource_panels(&mut scene, chart, &series, scale, &ticks, top)?;
    let y = axis::draw_axis(&mut scene, &scale, &ticks, chart.zone, top)?;
    let y = draw_legend(&mut scene, &states, &[], false, y + 4)?;
    // The black outline is the total; say so under the state swatches.
    let px_ms = chart.end.since(chart.start) as f64 / f64::from(scale.x1 - scale.x0);
    let note = if px_ms >= 5_000.0 {
        format!(
            "each pixel column spans {:.0} s: filled = time-weighted mean, line = peak · Succeeded/Failed pods hold no resources and are not counted",
            px_ms / 1000.0
        )
    } else {
        "line: all unfinished pods · Succeeded/Failed pods hold no resources and are not counted"
            .to_string()
    };
    scene.text(
        MARGIN_L,
        y + 2,
        &note,
        TextSpec::regular(15.0, MUTED),
        Anchor::Left,
        TextRole::Legend,
    )?;
    scene.height = (y + 24) as u32;
    Ok(scene)
}

/// The requested CPU and memory panels below the pod panel, each only when some pod requests
/// that resource; returns the bottom of the last one (`top` when there are none).
fn resource_panels(
    scene: &mut Scene,
    chart: &TimelineChart,
    series: &[LoadPoint],
    scale: TimeScale,
    ticks: &[(Time, String)],
    mut top: i32,
) -> Result<i32, ChartError> {
    let bins = chart.load.as_ref();
    type Extract = fn(&LoadPoint) -> f64;
    type BinExtract = fn(&LoadBin) -> (f64, f64);
    let mut resources: Vec<(&str, Extract, BinExtract, f64)> = Vec::new();
    let bins_have = |f: fn(&LoadBin) -> i64| bins.is_some_and(|b| b.bins.iter().any(|b| f(b) > 0));
    if chart.lanes.iter().any(|l| l.requests.cpu_millis.is_some()) || bins_have(|b| b.peak_cpu) {
        resources.push((
            "Requested CPU (cores)",
            |p| p.cpu_millis as f64 / 1000.0,
            |b| (b.cpu_ms / 1000.0, b.peak_cpu as f64 / 1000.0),
            0.01,
        ));
    }
    if chart
        .lanes
        .iter()
        .any(|l| l.requests.memory_bytes.is_some())
        || bins_have(|b| b.peak_memory)
    {
        resources.push((
            "Requested memory (MiB)",
            |p| p.memory_bytes as f64 / (1024.0 * 1024.0),
            |b| {
                (
                    b.memory_ms / (1024.0 * 1024.0),
                    b.peak_memory as f64 / (1024.0 * 1024.0),
                )
            },
            1.0,
        ));
    }
    for (title, f, fb, min_step) in resources {
        top += 56;
        let vals: Vec<f64> = match bins {
            Some(b) => b.bins.iter().map(|b| fb(b).1).collect(),
            None => series.iter().map(f).collect(),
        };
        let max = vals.iter().copied().fold(0.0, f64::max).max(min_step);
        let step = nice_step(max, min_step);
        let mut panel = Panel {
            scene: &mut *scene,
            scale,
            top,
            height: RES_H,
            max: (max / step).ceil() * step,
        };
        panel.frame(title, ticks, min_step)?;
        let runs = match bins {
            Some(b) => bin_runs(b, &scale, &|b| {
                let (integral, peak) = fb(b);
                (vec![integral], peak)
            }),
            None => runs(series, &scale, &|p| vec![f(p)]),
        };
        panel.stacks(&runs, &[Rgb(0x9E, 0xC9, 0xE2)], Rgb(0x00, 0x72, 0xB2));
        top += RES_H;
    }
    Ok(top)
}

#[cfg(test)]
mod bin_tests;
