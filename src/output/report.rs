//! The HTML report: one self-contained file per run or comparison, with the scenario,
//! its manifests, the charts inlined as SVG, a summary table and the event table.
//!
//! Self-contained means no network and no sibling files: styles are inline, charts are inline
//! SVG, there is no script. The output is a pure function of the input (no timestamps), so a
//! committed report is stale exactly when its input changed.

use chrono_tz::Tz;

use crate::cluster::model::Event;
use crate::output::timefmt::format_seconds;
use crate::output::timeline::Recorder;
use crate::sim::time::Time;

/// Tables longer than this are cut in the HTML (the CSV files keep every row); a day of a
/// minutely CronJob has thousands of events, which no one reads in a browser.
pub const TABLE_ROW_LIMIT: usize = 2000;

/// Everything a report shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportInput {
    /// Page heading, e.g. the scenario name.
    pub title: String,
    /// One line under the heading; may be empty.
    pub subtitle: String,
    /// Scenario settings as `(name, value)` rows (seed, profile, start, horizon, time zone, …).
    pub settings: Vec<(String, String)>,
    /// Manifests as `(file name, text)`, shown verbatim (escaped).
    pub manifests: Vec<(String, String)>,
    /// Charts, in order.
    pub figures: Vec<Figure>,
    /// The summary table (per job for `run`, per variant for `compare`).
    pub summary: Table,
    /// The event table.
    pub events: Table,
}

/// One chart in the report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figure {
    /// Caption under the chart.
    pub caption: String,
    /// A complete SVG document (as the chart renderers return it), inlined as is.
    pub svg: String,
}

/// A plain table of text cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Column headings.
    pub headers: Vec<String>,
    /// Rows; each should have one cell per heading.
    pub rows: Vec<Vec<String>>,
    /// How many rows the full table has when `rows` holds only its beginning (a long run's
    /// report shows its chart window; the CSV files hold every row).
    pub total: Option<u64>,
}

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn wall(t: Time, zone: Tz) -> String {
    t.to_utc()
        .with_timezone(&zone)
        .format("%H:%M:%S%.3f")
        .to_string()
}

/// The event table of a run: time since start, wall-clock time in `zone`, and the event fields.
/// Only the rows the page shows are formatted ([`TABLE_ROW_LIMIT`]); `total` counts them all.
pub fn events_table(events: &[Event], start: Time, zone: Tz) -> Table {
    Table {
        headers: ["t (s)", "time", "kind", "name", "type", "reason", "message"]
            .map(String::from)
            .to_vec(),
        rows: events
            .iter()
            .take(TABLE_ROW_LIMIT)
            .map(|e| {
                vec![
                    format_seconds(e.time.since(start)),
                    wall(e.time, zone),
                    e.kind.as_str().to_string(),
                    e.name.to_string(),
                    e.event_type.as_str().to_string(),
                    e.reason.to_string(),
                    e.message.to_string(),
                ]
            })
            .collect(),
        total: Some(events.len() as u64),
    }
}

/// The per-job summary of a run: when each Job was created, started and finished, how, and
/// how many of its pods there were.
pub fn jobs_table(rec: &Recorder, start: Time) -> Table {
    let rel = |t: Option<Time>| {
        t.map(|t| format_seconds(t.since(start)))
            .unwrap_or_default()
    };
    let mut pods: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for p in rec.pod_rows() {
        *pods.entry(p.job.as_str()).or_default() += 1;
    }
    Table {
        headers: [
            "job",
            "created (s)",
            "started (s)",
            "finished (s)",
            "condition",
            "reason",
            "pods",
            "succeeded",
            "failed",
            "deleted (s)",
        ]
        .map(String::from)
        .to_vec(),
        rows: rec
            .job_rows()
            .iter()
            .map(|j| {
                vec![
                    j.job.clone(),
                    rel(Some(j.created)),
                    rel(j.start),
                    rel(j.finished),
                    j.condition.clone(),
                    j.reason.clone(),
                    pods.get(j.job.as_str()).copied().unwrap_or(0).to_string(),
                    j.succeeded.to_string(),
                    j.failed.to_string(),
                    rel(j.deleted),
                ]
            })
            .collect(),
        total: None,
    }
}

const CSS: &str = r#"
:root { --ink:#222; --muted:#666; --line:#ddd; --band:#f5f5f5; --accent:#0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 18px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1680px; margin: 0 auto; padding: 28px 40px 60px; }
header h1 { font-size: 36px; margin: 0 0 4px; }
header p { margin: 0; color: var(--muted); font-size: 20px; }
nav { margin: 16px 0 8px; font-size: 16px; }
nav a { color: var(--accent); margin-right: 18px; text-decoration: none; }
h2 { font-size: 26px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 3px solid var(--accent); }
figure { margin: 0 0 32px; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 16px; margin-top: 6px; }
table { border-collapse: collapse; font-size: 15px; margin: 8px 0; }
th, td { text-align: left; padding: 5px 12px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef4f9; position: sticky; top: 0; }
tbody tr:nth-child(even) td { background: var(--band); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.settings th { background: none; position: static; color: var(--muted); font-weight: normal; }
pre { background: #f7f7f7; border: 1px solid var(--line); padding: 14px 18px; overflow: auto; font: 15px/1.45 "DejaVu Sans Mono", Consolas, monospace; }
h3 { font-size: 18px; margin: 18px 0 6px; font-family: "DejaVu Sans Mono", Consolas, monospace; }
.note { color: var(--muted); font-size: 15px; }
.scroll { overflow-x: auto; }
"#;

fn is_numeric(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
}

fn table_html(out: &mut String, t: &Table, class: &str) {
    out.push_str(&format!(
        "<div class=\"scroll\"><table class=\"{class}\">\n<thead><tr>"
    ));
    for h in &t.headers {
        out.push_str(&format!("<th>{}</th>", escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in t.rows.iter().take(TABLE_ROW_LIMIT) {
        out.push_str("<tr>");
        for cell in row {
            if is_numeric(cell) {
                out.push_str(&format!("<td class=\"num\">{}</td>", escape(cell)));
            } else {
                out.push_str(&format!("<td>{}</td>", escape(cell)));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    let total = t.total.unwrap_or(0).max(t.rows.len() as u64);
    let shown = t.rows.len().min(TABLE_ROW_LIMIT);
    if total > shown as u64 {
        out.push_str(&format!(
            "<p class=\"note\">Showing the first {shown} of {total} rows; the CSV files hold all of them.</p>\n"
        ));
    }
}

/// Strips anything before the `<svg` element (an XML declaration or doctype is not allowed
/// inside HTML) so the chart can be inlined.
fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").map_or("", |i| &svg[i..])
}

/// Renders the report as one self-contained HTML document.
pub fn render_html(report: &ReportInput) -> String {
    let mut out = String::with_capacity(
        64 * 1024 + report.figures.iter().map(|f| f.svg.len()).sum::<usize>(),
    );
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&report.title)));
    out.push_str(&format!("<style>{CSS}</style>\n</head>\n<body>\n<main>\n"));
    out.push_str(&format!("<header>\n<h1>{}</h1>\n", escape(&report.title)));
    if !report.subtitle.is_empty() {
        out.push_str(&format!("<p>{}</p>\n", escape(&report.subtitle)));
    }
    out.push_str("</header>\n<nav>");
    for (id, name) in [
        ("charts", "Charts"),
        ("summary", "Summary"),
        ("scenario", "Scenario"),
        ("manifests", "Manifests"),
        ("events", "Events"),
    ] {
        out.push_str(&format!("<a href=\"#{id}\">{name}</a>"));
    }
    out.push_str("</nav>\n");

    out.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
    for (i, f) in report.figures.iter().enumerate() {
        out.push_str(&format!("<figure id=\"figure-{}\">\n", i + 1));
        out.push_str(inline_svg(&f.svg));
        out.push_str(&format!(
            "\n<figcaption>Figure {}. {}</figcaption>\n</figure>\n",
            i + 1,
            escape(&f.caption)
        ));
    }
    out.push_str("</section>\n");

    out.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n");
    table_html(&mut out, &report.summary, "summary");
    out.push_str("</section>\n");

    out.push_str("<section id=\"scenario\">\n<h2>Scenario</h2>\n");
    let settings = Table {
        headers: vec!["setting".into(), "value".into()],
        rows: report
            .settings
            .iter()
            .map(|(k, v)| vec![k.clone(), v.clone()])
            .collect(),
        total: None,
    };
    table_html(&mut out, &settings, "settings");
    out.push_str("</section>\n");

    out.push_str("<section id=\"manifests\">\n<h2>Manifests</h2>\n");
    for (name, text) in &report.manifests {
        out.push_str(&format!(
            "<h3>{}</h3>\n<pre><code>{}</code></pre>\n",
            escape(name),
            escape(text)
        ));
    }
    out.push_str("</section>\n");

    out.push_str(&format!(
        "<section id=\"events\">\n<h2>Events ({})</h2>\n",
        report
            .events
            .total
            .unwrap_or(0)
            .max(report.events.rows.len() as u64)
    ));
    table_html(&mut out, &report.events, "events");
    out.push_str("</section>\n</main>\n</body>\n</html>\n");
    out
}
