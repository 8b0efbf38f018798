//! The HTML report in a real browser: headless Debian Chromium loads the file, the DOM holds the
//! inline charts, and a screenshot shows them (the chart palette's colours are on screen).
//!
//! Without `chromium` on PATH the test prints `SKIPPED: chromium not installed` and passes,
//! unless `BATCHSIM_REQUIRE_CHROMIUM=1` (CI sets it after installing chromium): then it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::*;
use batchsim::output::chart::{from_recorder, render_load_svg, render_svg, state_color, Rgb};
use batchsim::output::report::*;
use batchsim::output::timeline::PodState;
use batchsim::scenario::{Manifest, Profile};
use batchsim::sim::time::SECOND;

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("chromium"))
        .find(|p| p.is_file())
}

/// Runs chromium with the flags that keep it offline and quiet; gives up after 120 s.
fn run_chromium(bin: &Path, profile: &Path, extra: &[String]) -> (bool, String, String) {
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(extra)
    .stdin(Stdio::null());
    if let Err(e) = std::fs::create_dir_all(profile) {
        return (
            false,
            String::new(),
            format!("cannot create the profile folder: {e}"),
        );
    }
    let out_path = profile.with_extension("stdout.txt");
    let err_path = profile.with_extension("stderr.txt");
    let (Ok(out), Ok(err)) = (
        std::fs::File::create(&out_path),
        std::fs::File::create(&err_path),
    ) else {
        return (false, String::new(), "cannot create output files".into());
    };
    let mut child = match cmd.stdout(out).stderr(err).spawn() {
        Ok(c) => c,
        Err(e) => return (false, String::new(), e.to_string()),
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    let ok = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.success(),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            _ => {
                // Past the deadline (or the child cannot be polled): stop and reap it.
                child.kill().expect("cannot stop chromium");
                child.wait().expect("cannot reap chromium");
                break false;
            }
        }
    };
    (
        ok,
        std::fs::read_to_string(&out_path).unwrap_or_default(),
        std::fs::read_to_string(&err_path).unwrap_or_default(),
    )
}

fn report_html() -> String {
    let j = lecture_parallel_job();
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, Some(40)));
    let chart = from_recorder(&rec, START, START.plus(40 * SECOND), chrono_tz::UTC, vec![]);
    render_html(&ReportInput {
        title: "parallel-job".into(),
        subtitle: "completions 5, parallelism 2".into(),
        settings: vec![("profile".into(), "ideal".into())],
        manifests: vec![("job.yaml".into(), "kind: Job\n".into())],
        figures: vec![
            Figure {
                caption: "Pod timeline".into(),
                svg: render_svg(&chart).unwrap(),
            },
            Figure {
                caption: "Load".into(),
                svg: render_load_svg(&chart).unwrap(),
            },
        ],
        summary: jobs_table(&rec, START),
        events: events_table(&rec.events, START, chrono_tz::UTC),
    })
}

fn count_pixels(png_bytes: &[u8], color: Rgb) -> (usize, usize) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("screenshot is a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("screenshot decodes");
    let step = match info.color_type {
        png::ColorType::Rgba => 4,
        png::ColorType::Rgb => 3,
        other => panic!("unexpected screenshot colour type {other:?}"),
    };
    let px = &buf[..info.buffer_size()];
    let mut distinct = std::collections::BTreeSet::new();
    let mut hits = 0;
    for p in px.chunks(step) {
        // Chromium may colour-manage by a step or two; allow a small tolerance.
        let near = |a: u8, b: u8| a.abs_diff(b) <= 3;
        if near(p[0], color.0) && near(p[1], color.1) && near(p[2], color.2) {
            hits += 1;
        }
        if distinct.len() < 64 {
            distinct.insert((p[0], p[1], p[2]));
        }
    }
    (hits, distinct.len())
}

#[test]
fn report_renders_in_headless_chromium() {
    let Some(bin) = chromium() else {
        if std::env::var("BATCHSIM_REQUIRE_CHROMIUM").as_deref() == Ok("1") {
            panic!("BATCHSIM_REQUIRE_CHROMIUM=1 but chromium is not on PATH");
        }
        println!("SKIPPED: chromium not installed");
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("report-chromium-{}", std::process::id()));
    crate::util::remove_tree(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let html_path = dir.join("report.html");
    std::fs::write(&html_path, report_html()).unwrap();
    let url = format!("file://{}", html_path.display());

    let (ok, dom, err) = run_chromium(
        &bin,
        &dir.join("profile-dom"),
        &["--dump-dom".into(), url.clone()],
    );
    assert!(ok, "chromium --dump-dom failed: {err}");
    assert_eq!(
        dom.matches("<svg ").count(),
        2,
        "charts missing from the DOM"
    );
    assert!(dom.contains("<h1>parallel-job</h1>"));
    assert!(dom.matches("<rect ").count() > 10);

    let shot = dir.join("screenshot.png");
    let (ok, _, err) = run_chromium(
        &bin,
        &dir.join("profile-shot"),
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1400,2000".into(),
            url,
        ],
    );
    assert!(ok, "chromium --screenshot failed: {err}");
    let bytes = std::fs::read(&shot).expect("screenshot written");
    let (_, distinct) = count_pixels(&bytes, Rgb(255, 255, 255));
    assert!(distinct > 8, "screenshot is (nearly) one colour");
    // The timeline's Running bars are on screen in their palette colour.
    let (running, _) = count_pixels(&bytes, state_color(PodState::Running));
    assert!(
        running > 500,
        "only {running} Running-blue pixels on screen"
    );
    println!("screenshot: {}", shot.display());
}
