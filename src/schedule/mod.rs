//! Cron schedules with robfig/cron v3.0.1 semantics (what Kubernetes uses): parsing, `Next`,
//! `@every`, time zones and DST, plus the Kubernetes validation rules for `spec.schedule` and
//! `spec.timeZone`.
//!
//! # Why a port and not the `cron` crate (ARCHITECTURE.md)
//!
//! Fire times must be exactly the ones kube-controller-manager computes, and Kubernetes pins
//! robfig/cron v3.0.1. Measured against the upstream test tables (robfig's `spec_test.go`,
//! `parser_test.go`, `constantdelay_test.go`), `cron` 0.17 matched only 81 of 91
//! `Next`/activation vectors (Quartz weekday numbers 1–7, mandatory seconds, always-AND day
//! rule, step limit, a fresh-call DST bug that can return a past instant) and none of the
//! `@every` ones; `croner` 4 matched 68 (86 with `sloppy_ranges`), its fixed-time DST rule
//! cannot be switched off. A scratch port matched all of them. So this module is a direct port
//! of robfig's `parser.go`, `spec.go` and `constantdelay.go` on `chrono` + `chrono-tz`
//! (pinned, tzdb 2025b), including Go's
//! `time.Date` normalisation (`w − off(w − off(w))`), the restart-on-rollover walk, the
//! post-day-step hour correction, the 5-year window, star flags and the DOM/DOW OR rule.
//! Tests: every vector of robfig's `spec_test.go`, `parser_test.go` (those that apply to the
//! standard and seconds parsers) and `constantdelay_test.go`, the derived DST regressions, and a
//! differential test (`tests/it/schedule/differential.rs`) that feeds thousands of generated
//! expressions × zones × instants to the real robfig v3.0.1 (Debian's
//! `golang-github-robfig-cron-dev`) and compares every answer and error text.
//!
//! Known limits: chrono-tz stores transitions up to 2100 only (Go extends DST rules forever),
//! so results agree for instants before 2100 in DST zones; `TZ=`/`CRON_TZ=` prefixes without a
//! following space (a panic in robfig) are reported as an error.

mod describe;
mod next;
mod parser;

use crate::sim::time::Time;
use chrono_tz::Tz;
use std::cell::Cell;

/// A parse error, displayed with robfig/cron's exact text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ScheduleError(pub String);

/// robfig's `starBit`: set on a field when it contains `*`/`?` with step 1 (or none).
pub const STAR_BIT: u64 = 1 << 63;

/// The bit sets of a cron spec in robfig's layout (bit n = value n; bit 63 = star flag).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpecBits {
    /// Seconds 0–59 (always `{0}` for 5-field specs).
    pub second: u64,
    /// Minutes 0–59.
    pub minute: u64,
    /// Hours 0–23.
    pub hour: u64,
    /// Days of month 1–31.
    pub dom: u64,
    /// Months 1–12.
    pub month: u64,
    /// Days of week 0–6, Sunday = 0.
    pub dow: u64,
}

/// Where a spec schedule is evaluated: robfig's `Location`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Location {
    /// Go's `time.Local`: the zone of the instant passed to `Next`.
    Local,
    /// An explicit zone from a `TZ=`/`CRON_TZ=` prefix.
    Zone(Tz),
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Spec {
        bits: SpecBits,
        location: Location,
    },
    /// Delay in whole seconds (≥ 1).
    Every {
        delay_secs: i64,
    },
}

/// A parsed schedule (robfig `SpecSchedule` or `ConstantDelaySchedule`).
#[derive(Clone, Debug)]
pub struct Schedule {
    kind: Kind,
    /// The zone offsets this schedule's walks looked up, kept for its next `next` (offsets are
    /// a pure function of zone and instant, so keeping them cannot change an answer).
    offsets: Cell<next::OffsetCache>,
}

/// Two schedules are equal when they fire alike; the kept offsets do not count.
impl PartialEq for Schedule {
    fn eq(&self, other: &Schedule) -> bool {
        self.kind == other.kind
    }
}

impl Schedule {
    /// Parses like robfig's `cron.ParseStandard` (5 fields, descriptors, optional `TZ=` prefix).
    pub fn parse_standard(spec: &str) -> Result<Schedule, ScheduleError> {
        parser::parse(spec, parser::STANDARD)
    }

    /// Parses with a leading seconds field and optional day-of-week, like the `secondParser`
    /// robfig's own tests use; not reachable from Kubernetes, kept to run upstream vectors.
    pub fn parse_with_seconds(spec: &str) -> Result<Schedule, ScheduleError> {
        parser::parse(spec, parser::WITH_SECONDS)
    }

    /// robfig `Every(d)`: `d` in nanoseconds, below 1 s becomes 1 s, then truncated to seconds.
    pub fn every(delay_nanos: i64) -> Schedule {
        let d = delay_nanos.max(1_000_000_000);
        Schedule {
            kind: Kind::Every {
                delay_secs: d / 1_000_000_000,
            },
            offsets: Cell::default(),
        }
    }

    pub(crate) fn from_spec(bits: SpecBits, location: Location) -> Schedule {
        Schedule {
            kind: Kind::Spec { bits, location },
            offsets: Cell::default(),
        }
    }

    /// The first fire time strictly after `after`, evaluated in the schedule's own zone (from a
    /// `TZ=` prefix) or else in `local` (robfig: the zone of the argument). `None` when robfig
    /// returns the zero time (nothing within its 5-year search window).
    pub fn next(&self, after: Time, local: Tz) -> Option<Time> {
        match &self.kind {
            Kind::Every { delay_secs } => {
                let base = after.0 - after.0.rem_euclid(1000);
                Some(Time(base.saturating_add(delay_secs.saturating_mul(1000))))
            }
            Kind::Spec { bits, location } => {
                let tz = match location {
                    Location::Zone(tz) => *tz,
                    Location::Local => local,
                };
                let mut offsets = self.offsets.get();
                let next = next::next_spec(bits, after.0, tz, &mut offsets);
                self.offsets.set(offsets);
                next.and_then(|s| s.checked_mul(1000).map(Time))
            }
        }
    }

    /// The zone from a `TZ=`/`CRON_TZ=` prefix; `None` when the schedule follows the caller's
    /// zone (no prefix, `TZ=Local`, or `@every`, which ignores zones).
    pub fn location(&self) -> Option<Tz> {
        match self.kind {
            Kind::Spec {
                location: Location::Zone(tz),
                ..
            } => Some(tz),
            _ => None,
        }
    }

    /// True for `@every` schedules (robfig `ConstantDelaySchedule`).
    pub fn is_constant_delay(&self) -> bool {
        matches!(self.kind, Kind::Every { .. })
    }

    /// The `@every` delay in whole seconds, if this is a constant-delay schedule.
    pub fn constant_delay_secs(&self) -> Option<i64> {
        match self.kind {
            Kind::Every { delay_secs } => Some(delay_secs),
            Kind::Spec { .. } => None,
        }
    }

    /// The field bit sets of a spec schedule (robfig layout), `None` for `@every`.
    pub fn spec_bits(&self) -> Option<SpecBits> {
        match self.kind {
            Kind::Spec { bits, .. } => Some(bits),
            Kind::Every { .. } => None,
        }
    }

    /// A plain-English reading of the schedule, for the `batchsim schedule` command.
    pub fn describe(&self) -> String {
        describe::describe(self)
    }
}

/// robfig's `cron.Schedule` interface: `Next(t)`, the first activation strictly after `t`. The
/// CronJob controller's helpers (`pkg/controller/cronjob/utils.go`) take any value of it, as
/// upstream's take a `cron.Schedule`, so the table tests call the same functions the sync does.
pub trait CronSchedule {
    /// The first fire time strictly after `after`; `None` where robfig returns the zero time
    /// (nothing within its 5-year search window).
    fn next(&self, after: Time) -> Option<Time>;
}

/// A parsed schedule together with the zone Go's `time.Local` stands for (the controller's
/// zone): what robfig evaluates when the schedule has no `TZ=` prefix of its own.
#[derive(Clone, Copy, Debug)]
pub struct InZone<'s> {
    schedule: &'s Schedule,
    local: Tz,
}

impl Schedule {
    /// This schedule evaluated with `local` as Go's `time.Local`.
    pub fn in_zone(&self, local: Tz) -> InZone<'_> {
        InZone {
            schedule: self,
            local,
        }
    }
}

impl CronSchedule for InZone<'_> {
    fn next(&self, after: Time) -> Option<Time> {
        self.schedule.next(after, self.local)
    }
}

/// The kind of a Kubernetes field error (`field.ErrorType`) this module produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldErrorKind {
    /// `Required value`.
    Required,
    /// `Invalid value: "<value>": <detail>`.
    Invalid,
}

/// One Kubernetes field error for a CronJob schedule/time-zone field, without the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Required or Invalid.
    pub kind: FieldErrorKind,
    /// The offending value (empty for Required).
    pub value: String,
    /// The detail text after the value.
    pub detail: String,
}

impl FieldError {
    fn invalid(value: &str, detail: impl Into<String>) -> FieldError {
        FieldError {
            kind: FieldErrorKind::Invalid,
            value: value.to_string(),
            detail: detail.into(),
        }
    }

    /// Formats like apimachinery for the given field path, e.g.
    /// `spec.schedule: Invalid value: "x": unrecognized descriptor: x`.
    pub fn format(&self, path: &str) -> String {
        match self.kind {
            FieldErrorKind::Required => format!("{path}: Required value"),
            FieldErrorKind::Invalid => format!(
                "{path}: Invalid value: {}: {}",
                parser::go_quote(&self.value),
                self.detail
            ),
        }
    }
}

/// Kubernetes `spec.schedule` checks on create (`validateScheduleFormat` with TZ disallowed).
pub fn validate_schedule_for_create(schedule: &str) -> Vec<FieldError> {
    validate_schedule(schedule, false, false)
}

/// Kubernetes `spec.schedule` checks on update: a `TZ` in the schedule is tolerated only if the
/// old schedule had one, and then not together with `spec.timeZone`.
pub fn validate_schedule_for_update(
    schedule: &str,
    old_schedule: &str,
    time_zone_set: bool,
) -> Vec<FieldError> {
    validate_schedule(schedule, mentions_tz(old_schedule), time_zone_set)
}

fn validate_schedule(schedule: &str, allow_tz: bool, time_zone_set: bool) -> Vec<FieldError> {
    if schedule.is_empty() {
        return vec![FieldError {
            kind: FieldErrorKind::Required,
            value: String::new(),
            detail: String::new(),
        }];
    }
    let mut errs = Vec::new();
    if let Err(e) = Schedule::parse_standard(schedule) {
        errs.push(FieldError::invalid(schedule, e.0));
    }
    let has_tz = mentions_tz(schedule);
    if allow_tz && has_tz && time_zone_set {
        errs.push(FieldError::invalid(
            schedule,
            "cannot use both timeZone field and TZ or CRON_TZ in schedule",
        ));
    } else if !allow_tz && has_tz {
        errs.push(FieldError::invalid(
            schedule,
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ));
    }
    errs
}

/// Every detail message Kubernetes `validateTimeZone` reports for a set `spec.timeZone`
/// (empty when valid).
pub fn time_zone_errors(tz: &str) -> Vec<String> {
    if tz.is_empty() {
        return vec!["timeZone must be nil or non-empty string".into()];
    }
    let component_ok = |p: &str| {
        !p.is_empty()
            && p.len() <= 14
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b))
    };
    for part in tz.split('/') {
        if part == "." || part == ".." || part.starts_with('-') || !component_ok(part) {
            return vec![format!("unknown time zone {tz}")];
        }
    }
    let mut errs = Vec::new();
    if tz.eq_ignore_ascii_case("Local") {
        errs.push(
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
                .to_string(),
        );
    }
    if let Err(e) = parser::load_location(tz) {
        errs.push(e);
    }
    errs
}

/// Kubernetes `validateTimeZone` for a set `spec.timeZone`: the zone, or the first error detail.
pub fn validate_time_zone(tz: &str) -> Result<Tz, String> {
    if let Some(e) = time_zone_errors(tz).into_iter().next() {
        return Err(e);
    }
    match parser::load_location(tz) {
        Ok(Location::Zone(z)) => Ok(z),
        // Unreachable after the checks above ("Local" is rejected); kept total.
        _ => Err(format!("unknown time zone {tz}")),
    }
}

/// Upstream `strings.Contains(schedule, "TZ")` (which also matches `CRON_TZ`), checked on every
/// CronJob sync. A byte scan: `str::contains` sets up a substring searcher each call, which
/// showed in profiles.
pub fn mentions_tz(schedule: &str) -> bool {
    schedule.as_bytes().windows(2).any(|w| w == b"TZ")
}

/// The controller's `formatSchedule` (`pkg/controller/cronjob/utils.go`): the spec string
/// robfig parses for a CronJob, i.e. `TZ=<timeZone> <schedule>` when a zone is set and the
/// schedule has no `TZ` of its own. The CronJob controller, the charts, the limits and
/// `batchsim schedule` all call this one function.
pub fn controller_spec<'a>(
    schedule: &'a str,
    time_zone: Option<&str>,
) -> std::borrow::Cow<'a, str> {
    match time_zone {
        Some(z) if !mentions_tz(schedule) => std::borrow::Cow::Owned(format!("TZ={z} {schedule}")),
        _ => std::borrow::Cow::Borrowed(schedule),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same answers as Go's `strings.Contains(schedule, "TZ")`: case-sensitive, anywhere.
    #[test]
    fn mentions_tz_is_a_case_sensitive_substring_test() {
        assert!(mentions_tz("TZ=UTC 0 * * * *"));
        assert!(mentions_tz("CRON_TZ=Europe/Berlin 30 4 * * 1-5"));
        assert!(mentions_tz("0 * * * * TZ"));
        assert!(!mentions_tz("0 * * * *"));
        assert!(!mentions_tz("tz=UTC 0 * * * *"));
        assert!(!mentions_tz("T Z"));
        assert!(!mentions_tz("T"));
        assert!(!mentions_tz(""));
    }
}
