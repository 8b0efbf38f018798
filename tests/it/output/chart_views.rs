//! Charts: the pod timeline (rows, colours, slot lines, markers, label geometry), the load chart,
//! the compare figure, row limits, determinism and speed.

use crate::util::*;
use batchsim::cluster::model::*;
use batchsim::output::chart::scene::{overlaps, Item, LineRole, RectRole, TextRole};
use batchsim::output::chart::*;
use batchsim::output::timeline::PodState;
use batchsim::scenario::{Manifest, Profile};
use batchsim::sim::time::{Time, MINUTE, SECOND};

/// A hand-made hello-2 (Replace, sleep 100) picture: a job per minute, each pod Running until the
/// next slot, then Terminating for 30 s, as the lecture shows.
fn replace_chart(minutes: i64) -> TimelineChart {
    let mut lanes = Vec::new();
    let mut markers = Vec::new();
    let slots: Vec<Time> = (0..minutes).map(|m| START.plus(m * MINUTE)).collect();
    for (m, slot) in slots.iter().enumerate() {
        let job = format!("hello-2-{}", 27_297_120 + m);
        let created = slot.plus(100);
        let running = created.plus(2 * SECOND);
        let next = slot.plus(MINUTE + 100);
        let last = m as i64 == minutes - 1;
        let mut segments = vec![(created, running, PodState::Pending)];
        if last {
            segments.push((running, START.plus(minutes * MINUTE), PodState::Running));
        } else {
            segments.push((running, next, PodState::Running));
            segments.push((next, next.plus(30 * SECOND), PodState::Terminating));
        }
        lanes.push(Lane {
            label: format!("{job}-{}", ["cmfhz", "fzzht", "x7k2p", "q9w4r"][m % 4]),
            group: job.clone(),
            cronjob: Some("hello-2".into()),
            segments,
            requests: Requests {
                cpu_millis: Some(250),
                memory_bytes: Some(64 << 20),
            },
        });
        if m > 0 {
            markers.push(Marker {
                time: created,
                kind: MarkerKind::Replaced,
                label: format!("hello-2-{}", 27_297_119 + m),
            });
        }
        markers.push(Marker {
            time: created,
            kind: MarkerKind::JobCreated,
            label: job,
        });
    }
    TimelineChart {
        title: "CronJob hello-2 (concurrencyPolicy: Replace)".into(),
        subtitle: "schedule */1 * * * * · sleep 100 · terminationGracePeriodSeconds 30".into(),
        start: START,
        end: START.plus(minutes * MINUTE),
        zone: chrono_tz::UTC,
        lanes,
        slots,
        markers,
        load: None,
    }
}

fn lecture_job_chart() -> TimelineChart {
    let j = lecture_parallel_job();
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, Some(45)));
    from_recorder(
        &rec,
        START,
        START.plus(45 * SECOND),
        chrono_tz::Asia::Seoul,
        vec![],
    )
}

fn bars(scene: &scene::Scene) -> Vec<(usize, scene::BBox, Rgb, PodState)> {
    scene
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Rect {
                x0,
                y0,
                x1,
                y1,
                fill,
                role: RectRole::Bar { row, .. },
                state: Some(s),
            } => Some((*row, (*x0, *y0, *x1, *y1), *fill, *s)),
            _ => None,
        })
        .collect()
}

fn slot_lines(scene: &scene::Scene) -> usize {
    let mut ids: Vec<usize> = scene
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Line {
                role: LineRole::SlotDash { slot },
                ..
            } => Some(*slot),
            _ => None,
        })
        .collect();
    ids.dedup();
    ids.len()
}

fn assert_no_text_overlap(scene: &scene::Scene) {
    let texts: Vec<(String, (i32, i32, i32, i32))> = scene
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some((text.clone(), i.text_box().unwrap())),
            _ => None,
        })
        .collect();
    for (i, (ta, a)) in texts.iter().enumerate() {
        assert!(
            a.0 >= 0 && a.2 <= scene.width as i32,
            "{ta:?} outside the figure: {a:?}"
        );
        assert!(
            a.1 >= 0 && a.3 <= scene.height as i32,
            "{ta:?} outside the figure: {a:?}"
        );
        for (tb, b) in &texts[i + 1..] {
            assert!(
                !overlaps(*a, *b),
                "labels overlap: {ta:?} {a:?} and {tb:?} {b:?}"
            );
        }
        for (_, bar, _, _) in bars(scene) {
            assert!(!overlaps(*a, bar), "label {ta:?} overlaps a bar {bar:?}");
        }
    }
}

#[test]
fn replace_chart_rows_colours_slots_markers() {
    let chart = replace_chart(10);
    let scene = gantt_scene(&chart).unwrap();
    let b = bars(&scene);
    // One row per pod, rows in lane order.
    let rows: std::collections::BTreeSet<usize> = b.iter().map(|x| x.0).collect();
    assert_eq!(rows.len(), 10);
    // Each state has its palette colour.
    for (_, _, fill, state) in &b {
        assert_eq!(*fill, state_color(*state));
    }
    // Nine Terminating bars, each starting where that row's Running bar ends.
    let term: Vec<_> = b.iter().filter(|x| x.3 == PodState::Terminating).collect();
    assert_eq!(term.len(), 9);
    for t in &term {
        let run = b
            .iter()
            .find(|x| x.0 == t.0 && x.3 == PodState::Running)
            .unwrap();
        assert_eq!(run.1 .2, t.1 .0);
    }
    assert_eq!(slot_lines(&scene), 10);
    let replaced = scene
        .items
        .iter()
        .filter(|i| {
            matches!(
                i,
                Item::Poly {
                    marker: Some(MarkerKind::Replaced),
                    ..
                }
            )
        })
        .count();
    assert_eq!(replaced, 9);
    assert_no_text_overlap(&scene);
    // Legend: one swatch per state drawn, in the state's colour.
    let swatches: Vec<PodState> = scene
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Rect {
                role: RectRole::Swatch,
                state: Some(s),
                fill,
                ..
            } => {
                assert_eq!(*fill, state_color(*s));
                Some(*s)
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        swatches,
        vec![PodState::Pending, PodState::Running, PodState::Terminating]
    );
    // Tick labels are wall-clock times.
    let ticks: Vec<String> = scene
        .texts(TextRole::Tick)
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(ticks.contains(&"12:03:00".to_string()), "{ticks:?}");
}

#[test]
fn lecture_job_from_recorder() {
    let chart = lecture_job_chart();
    assert_eq!(chart.lanes.len(), 5);
    assert!(chart.lanes.iter().all(|l| l.group == "parallel-job"));
    assert_eq!(chart.title, "Job parallel-job");
    let scene = gantt_scene(&chart).unwrap();
    let rows: std::collections::BTreeSet<usize> = bars(&scene).iter().map(|x| x.0).collect();
    assert_eq!(rows.len(), 5);
    assert_no_text_overlap(&scene);
    // Seoul is UTC+9: 12:00Z is 21:00 local.
    let has_21 = scene.texts(TextRole::Tick).any(|i| match i {
        Item::Text { text, .. } => text.starts_with("21:00"),
        _ => false,
    });
    assert!(has_21);
}

#[test]
fn svg_and_png_are_byte_identical_across_renders() {
    let chart = replace_chart(6);
    assert_eq!(render_svg(&chart).unwrap(), render_svg(&chart).unwrap());
    let a = render_png(&chart).unwrap();
    assert_eq!(a, render_png(&chart).unwrap());
    assert_eq!(&a[1..4], b"PNG");
}

#[test]
fn samples_for_eyes() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("charts");
    std::fs::create_dir_all(&dir).unwrap();
    let c = replace_chart(10);
    std::fs::write(dir.join("replace.png"), render_png(&c).unwrap()).unwrap();
    std::fs::write(dir.join("replace.svg"), render_svg(&c).unwrap()).unwrap();
    std::fs::write(dir.join("replace-load.png"), render_load_png(&c).unwrap()).unwrap();
    std::fs::write(
        dir.join("job.png"),
        render_png(&lecture_job_chart()).unwrap(),
    )
    .unwrap();
}

/// Hand-made hello-2 (sleep 100, every minute) under Allow or Forbid, like the CronJob
/// controller would run it: Allow overlaps, Forbid skips slots while a run is active and starts
/// the missed slot as soon as the previous run finishes.
fn policy_chart(policy: &str, minutes: i64) -> TimelineChart {
    if policy == "Replace" {
        return replace_chart(minutes);
    }
    let end = START.plus(minutes * MINUTE);
    let slots: Vec<Time> = (0..minutes).map(|m| START.plus(m * MINUTE)).collect();
    let (mut lanes, mut markers) = (Vec::new(), Vec::new());
    let mut busy_until = START;
    let mut n = 0;
    for slot in &slots {
        let created = if policy == "Forbid" && busy_until > slot.plus(100) {
            markers.push(Marker {
                time: slot.plus(100),
                kind: MarkerKind::Skipped,
                label: "hello-2".into(),
            });
            continue;
        } else if policy == "Forbid" {
            slot.plus(100).max(busy_until)
        } else {
            slot.plus(100)
        };
        let running = created.plus(2 * SECOND);
        let done = running.plus(100 * SECOND);
        busy_until = done;
        let job = format!("hello-2-{}", 27_297_120 + n);
        n += 1;
        let mut segments = vec![(created, running.min(end), PodState::Pending)];
        if running < end {
            segments.push((running, done.min(end), PodState::Running));
        }
        if done < end {
            segments.push((done, end, PodState::Succeeded));
        }
        markers.push(Marker {
            time: created,
            kind: MarkerKind::JobCreated,
            label: job.clone(),
        });
        lanes.push(Lane {
            label: format!("{job}-abcde"),
            group: job,
            cronjob: Some("hello-2".into()),
            segments,
            requests: Requests::default(),
        });
    }
    TimelineChart {
        title: "CronJob hello-2".into(),
        subtitle: format!("concurrencyPolicy: {policy}"),
        start: START,
        end,
        zone: chrono_tz::UTC,
        lanes,
        slots,
        markers,
        load: None,
    }
}

#[test]
fn compare_figure_has_a_panel_per_variant_on_one_axis() {
    let panels: Vec<(String, TimelineChart)> = ["Allow", "Forbid", "Replace"]
        .iter()
        .map(|p| (p.to_string(), policy_chart(p, 8)))
        .collect();
    let scene = compare_scene(&panels).unwrap();
    let headings: Vec<String> = scene
        .texts(TextRole::Panel)
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(headings, vec!["Allow", "Forbid", "Replace"]);
    // Bars of every panel use the same time → x mapping: the 12:01 slot line has one x.
    assert_eq!(slot_lines(&scene), 3 * 8);
    let skipped = scene
        .items
        .iter()
        .filter(|i| {
            matches!(
                i,
                Item::Poly {
                    marker: Some(MarkerKind::Skipped),
                    ..
                }
            )
        })
        .count();
    let expected = panels[1]
        .1
        .markers
        .iter()
        .filter(|m| m.kind == MarkerKind::Skipped)
        .count();
    assert!(expected > 0);
    assert_eq!(skipped, expected);
    // One tick-label row only (the shared axis).
    let tick_ys: std::collections::BTreeSet<i32> = scene
        .texts(TextRole::Tick)
        .filter_map(|i| match i {
            Item::Text { y, .. } => Some(*y),
            _ => None,
        })
        .collect();
    assert_eq!(tick_ys.len(), 1);
    assert_no_text_overlap(&scene);
    let svg = render_compare_svg(&panels).unwrap();
    assert_eq!(svg, render_compare_svg(&panels).unwrap());
    assert!(matches!(compare_scene(&[]), Err(ChartError::NoPanels)));
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("charts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("compare.png"),
        render_compare_png(&panels).unwrap(),
    )
    .unwrap();
}

/// A day of a minutely short CronJob: each pod runs 3 s and is kept Succeeded until history
/// cleanup deletes its job three minutes later.
fn day_chart() -> TimelineChart {
    let minutes = 24 * 60;
    let mut lanes = Vec::new();
    let mut markers = Vec::new();
    let slots: Vec<Time> = (0..minutes).map(|m| START.plus(m * MINUTE)).collect();
    let end = START.plus(minutes * MINUTE);
    for (m, slot) in slots.iter().enumerate() {
        let c = slot.plus(100);
        let r = c.plus(SECOND);
        let f = r.plus(3 * SECOND);
        let d = (slot.plus(3 * MINUTE + 200)).min(end);
        let job = format!("hello-1-{}", 27_297_120 + m);
        lanes.push(Lane {
            label: format!("{job}-abcde"),
            group: job.clone(),
            cronjob: Some("hello-1".into()),
            segments: vec![
                (c, r, PodState::Pending),
                (r, f, PodState::Running),
                (f, d, PodState::Succeeded),
            ],
            requests: Requests {
                cpu_millis: Some(100),
                memory_bytes: None,
            },
        });
        markers.push(Marker {
            time: c,
            kind: MarkerKind::JobCreated,
            label: job,
        });
    }
    TimelineChart {
        title: "CronJob hello-1".into(),
        subtitle: String::new(),
        start: START,
        end,
        zone: chrono_tz::UTC,
        lanes,
        slots,
        markers,
        load: None,
    }
}

#[test]
fn row_limit_switches_to_job_rows_then_packed_rows() {
    // 30 jobs × 2 pods = 60 pods: one row per job.
    let mut c = replace_chart(30);
    let extra: Vec<Lane> = c
        .lanes
        .iter()
        .map(|l| Lane {
            label: format!("{}x", l.label),
            ..l.clone()
        })
        .collect();
    c.lanes.extend(extra);
    // Exactly at the limit every pod keeps its row; one more and it switches.
    let at = plan_rows(&replace_chart(ROW_LIMIT as i64), ROW_LIMIT);
    assert_eq!(
        (at.mode, at.rows.len(), at.note),
        (RowMode::PerPod, ROW_LIMIT, None)
    );
    let over = plan_rows(&replace_chart(ROW_LIMIT as i64 + 1), ROW_LIMIT);
    assert_ne!(over.mode, RowMode::PerPod);
    assert!(over.rows.len() <= ROW_LIMIT);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("charts");
    std::fs::create_dir_all(&dir).unwrap();
    let full = replace_chart(ROW_LIMIT as i64);
    assert_no_text_overlap(&gantt_scene(&full).unwrap());
    std::fs::write(dir.join("rows40.png"), render_png(&full).unwrap()).unwrap();
    std::fs::write(
        dir.join("rows41.png"),
        render_png(&replace_chart(ROW_LIMIT as i64 + 1)).unwrap(),
    )
    .unwrap();

    let plan = plan_rows(&c, ROW_LIMIT);
    assert_eq!(plan.mode, RowMode::PerJob);
    assert_eq!(plan.rows.len(), 30);
    assert!(plan.note.as_deref().unwrap().contains("60 pods in 30 jobs"));
    // Interleaved input still groups each job's rows together.
    let scene = gantt_scene(&c).unwrap();
    assert_no_text_overlap(&scene);

    let day = day_chart();
    let plan = plan_rows(&day, ROW_LIMIT);
    assert_eq!(plan.mode, RowMode::Packed);
    // Each job lives 3 min 0.1 s, one starts per minute: four rows hold them all.
    assert_eq!(plan.rows.len(), 4);
    let running: i64 = plan
        .rows
        .iter()
        .flat_map(|r| &r.segments)
        .filter(|s| s.2 == PodState::Running)
        .map(|s| s.1.since(s.0))
        .sum();
    assert_eq!(running, 1440 * 3 * SECOND);
    let title_lines: Vec<String> = gantt_scene(&day)
        .unwrap()
        .texts(TextRole::Title)
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(title_lines.iter().any(|t| t.contains("packed into 4 rows")));
    assert!(title_lines.iter().any(|t| t.contains("slots too dense")));
    // With a limit below the packed count, the first rows are kept and the note says so.
    let plan = plan_rows(&day, 3);
    assert_eq!(plan.mode, RowMode::Truncated);
    assert_eq!(plan.rows.len(), 3);
    assert!(plan.note.unwrap().contains("first 3 of 4 rows"));
}

#[test]
fn load_series_counts_states_and_requests() {
    let c = replace_chart(3);
    let s = load_series(&c);
    // At 12:01:00.1 the first pod terminates and the second is Pending: 2 pods, 500m CPU.
    let p = s
        .iter()
        .rev()
        .find(|p| p.time <= START.plus(MINUTE + 500))
        .unwrap();
    assert_eq!((p.running, p.terminating, p.pending), (0, 1, 1));
    assert_eq!(p.cpu_millis, 500);
    assert_eq!(p.memory_bytes, 128 << 20);
    // Never more than two pods exist.
    assert_eq!(s.iter().map(|p| p.active()).max(), Some(2));
    // Consecutive points always differ.
    assert!(s.windows(2).all(|w| w[0].time < w[1].time));
    let scene = load_scene(&c).unwrap();
    assert_no_text_overlap(&scene);
}

#[test]
fn day_long_minutely_cronjob_renders_quickly() {
    let day = day_chart();
    let t = std::time::Instant::now();
    let svg = render_svg(&day).unwrap();
    let png = render_png(&day).unwrap();
    let load = render_load_svg(&day).unwrap();
    // The report around them, with an event table of a day's size (cut at the row limit).
    let html = batchsim::output::report::render_html(&batchsim::output::report::ReportInput {
        title: "hello-1".into(),
        figures: vec![
            batchsim::output::report::Figure {
                caption: "timeline".into(),
                svg: svg.clone(),
            },
            batchsim::output::report::Figure {
                caption: "load".into(),
                svg: load.clone(),
            },
        ],
        events: batchsim::output::report::Table {
            headers: vec!["t".into(), "message".into()],
            rows: (0..8 * 1440)
                .map(|i| vec![i.to_string(), format!("Created job hello-1-{i}")])
                .collect(),
            total: None,
        },
        ..Default::default()
    });
    let elapsed = t.elapsed();
    assert!(html.len() > svg.len());
    assert!(svg.len() > 1000 && png.len() > 1000 && load.len() > 1000);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("charts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("day.png"), &png).unwrap();
    std::fs::write(dir.join("day-load.png"), render_load_png(&day).unwrap()).unwrap();
    println!("day chart: {elapsed:?}");
    // The budget holds for release builds only: a day's charts and report must stay well
    // under 2 s on 2 cores for `run` to feel immediate.
    if !cfg!(debug_assertions) {
        assert!(elapsed.as_millis() < 1000, "{elapsed:?}");
    }
}

#[test]
fn empty_range_is_an_error_value() {
    let mut c = replace_chart(2);
    c.end = c.start;
    assert!(matches!(render_svg(&c), Err(ChartError::EmptyRange { .. })));
    // No pods at all is not an error: an empty chart with its axis.
    let mut empty = replace_chart(2);
    empty.lanes.clear();
    empty.markers.clear();
    let scene = gantt_scene(&empty).unwrap();
    assert!(bars(&scene).is_empty());
    assert!(render_png(&empty).is_ok() && render_load_svg(&empty).is_ok());
}

fn ev(t_s: i64, kind: Kind, name: &str, reason: &'static str, message: &str) -> Event {
    Event {
        time: START.plus(t_s * SECOND),
        kind,
        name: name.into(),
        event_type: EventType::Normal,
        reason: reason.into(),
        message: message.into(),
    }
}

/// Markers come from the controllers' events; a CronJob `SuccessfulDelete` is a replacement
/// when the deleted Job had not finished, and history cleanup when it had.
#[test]
fn markers_from_events_and_segments_closed_at_deletion() {
    let mut j = job("ads", container("c", 100.0, 0, false), RestartPolicy::Never);
    j.spec.active_deadline_seconds = Some(20);
    let (mut rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, Some(120)));
    rec.events.extend([
        ev(
            0,
            Kind::CronJob,
            "cj",
            "SuccessfulCreate",
            "Created job ads",
        ),
        ev(
            60,
            Kind::CronJob,
            "cj",
            "JobAlreadyActive",
            "Not starting job",
        ),
        ev(
            70,
            Kind::CronJob,
            "cj",
            "SuccessfulDelete",
            "Deleted job ads",
        ),
        ev(
            80,
            Kind::CronJob,
            "cj",
            "SuccessfulDelete",
            "Deleted job running-one",
        ),
        ev(
            90,
            Kind::CronJob,
            "cj",
            "SawCompletedJob",
            "Saw completed job: ads",
        ),
    ]);
    let end = START.plus(100 * SECOND);
    let chart = from_recorder(&rec, START, end, chrono_tz::UTC, vec![START]);
    let got: Vec<(i64, MarkerKind, &str)> = chart
        .markers
        .iter()
        .map(|m| (m.time.since(START) / SECOND, m.kind, m.label.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (0, MarkerKind::JobCreated, "ads"),
            (50, MarkerKind::DeadlineExceeded, "ads"),
            (60, MarkerKind::Skipped, "cj"),
            (70, MarkerKind::HistoryCleanup, "ads"),
            (80, MarkerKind::Replaced, "running-one"),
        ]
    );
    // The pod: Running 0–20 s, Terminating 20–50 s, then deleted (the Failed instant has no
    // length), so nothing is drawn after 50 s.
    let lane = &chart.lanes[0];
    assert_eq!(lane.segments.first().unwrap().0, START);
    assert_eq!(lane.segments.last().unwrap().1, START.plus(50 * SECOND));
    assert!(lane
        .segments
        .iter()
        .any(|s| s.2 == PodState::Terminating && s.1.since(s.0) == 30 * SECOND));
    let scene = gantt_scene(&chart).unwrap();
    assert_eq!(slot_lines(&scene), 1);
    assert_no_text_overlap(&scene);
}
