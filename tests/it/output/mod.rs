//! What a run writes: charts, kubectl views, the HTML report, the committed reports and
//! snapshots (freshness), streaming, and write errors.

mod chart_views;
mod errors;
mod kubectl_views;
mod report_chromium;
mod report_html;
mod reports_fresh;
mod snapshot_cli;
mod snapshots;
mod streaming;
