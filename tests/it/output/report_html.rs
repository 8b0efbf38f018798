//! HTML report: self-contained, escaped, every part present, deterministic.

use crate::util::*;
use batchsim::output::chart::{from_recorder, render_load_svg, render_svg};
use batchsim::output::report::*;
use batchsim::scenario::{Manifest, Profile};
use batchsim::sim::time::SECOND;

fn lecture_report() -> ReportInput {
    let j = lecture_parallel_job();
    let (rec, _) = run(scenario(vec![Manifest::Job(j)], Profile::Ideal, Some(40)));
    let end = START.plus(40 * SECOND);
    let chart = from_recorder(&rec, START, end, chrono_tz::UTC, vec![]);
    ReportInput {
        title: "lecture-job <parallel>".into(),
        subtitle: "completions 5 & parallelism 2".into(),
        settings: vec![
            ("profile".into(), "ideal".into()),
            ("seed".into(), "0".into()),
        ],
        manifests: vec![(
            "job.yaml".into(),
            "args: [\"/bin/sh\", \"-c\", \"date; echo <working> && sleep 10\"]\n".into(),
        )],
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
    }
}

#[test]
fn report_is_self_contained_and_escaped() {
    let input = lecture_report();
    let html = render_html(&input);
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Both charts inline, nothing fetched: no external references of any kind.
    assert_eq!(html.matches("<svg ").count(), 2);
    for needle in [
        "<script",
        "<link",
        " src=",
        "url(",
        "href=\"http",
        "@import",
    ] {
        assert!(!html.contains(needle), "report references {needle}");
    }
    // Text from the input is escaped, never interpreted.
    assert!(html.contains("<title>lecture-job &lt;parallel&gt;</title>"));
    assert!(html.contains("echo &lt;working&gt; &amp;&amp; sleep 10"));
    assert!(html.contains("completions 5 &amp; parallelism 2"));
    // One summary row per job, one event row per event.
    let summary = html.split("<section id=\"summary\">").nth(1).unwrap();
    let summary = summary.split("</section>").next().unwrap();
    assert_eq!(
        summary.matches("<tr>").count(),
        1 + input.summary.rows.len()
    );
    assert_eq!(input.summary.rows.len(), 1);
    let events = html.split("<section id=\"events\">").nth(1).unwrap();
    assert_eq!(events.matches("<tr>").count(), 1 + input.events.rows.len());
    assert!(input.events.rows.len() >= 5);
    // Deterministic.
    assert_eq!(html, render_html(&lecture_report()));
}

#[test]
fn long_tables_are_cut_with_a_note() {
    let mut input = lecture_report();
    input.events.rows = (0..TABLE_ROW_LIMIT + 5)
        .map(|i| vec![i.to_string(); 7])
        .collect();
    let html = render_html(&input);
    let events = html.split("<section id=\"events\">").nth(1).unwrap();
    assert_eq!(events.matches("<tr>").count(), 1 + TABLE_ROW_LIMIT);
    assert!(events.contains(&format!(
        "Showing the first {TABLE_ROW_LIMIT} of {} rows",
        TABLE_ROW_LIMIT + 5
    )));
}

#[test]
fn escape_covers_the_five_characters() {
    assert_eq!(
        escape(r#"<a href="x">'&'</a>"#),
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    );
}
