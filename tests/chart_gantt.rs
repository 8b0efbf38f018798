//! Pod timeline (Gantt) chart: rows, colours, slot lines, markers, label geometry, determinism.
mod common;

use batchsim::model::*;
use batchsim::output::chart::scene::{overlaps, Item, LineRole, RectRole, TextRole};
use batchsim::output::chart::*;
use batchsim::output::timeline::PodState;
use batchsim::scenario::{Manifest, Profile};
use batchsim::time::{Time, MINUTE, SECOND};
use common::*;

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
    }
}

fn lecture_job_chart() -> TimelineChart {
    let mut j = job(
        "parallel-job",
        container("worker", 10.0, 0, false),
        RestartPolicy::Never,
    );
    j.spec.completions = Some(5);
    j.spec.parallelism = 2;
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, Some(45)));
    from_recorder(
        &rec,
        START,
        START.plus(45 * SECOND),
        chrono_tz::Asia::Seoul,
        vec![],
    )
}

fn bars(scene: &scene::Scene) -> Vec<(usize, (i32, i32, i32, i32), Rgb, PodState)> {
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
