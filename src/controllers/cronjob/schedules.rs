//! The CronJob controller's parsed schedules: one per CronJob, kept while the text it was parsed
//! from stays the same.
//!
//! Upstream `syncCronJob` (`pkg/controller/cronjob/cronjob_controllerv2.go`) calls
//! `cron.ParseStandard(formatSchedule(cronJob, recorder))` on every sync. A minutely CronJob is
//! synced several times a simulated minute, and parsing each time was the largest single cost
//! of such runs, so the controller keeps the parse. Parsing is a pure function of that text (the
//! `spec.schedule`, with `spec.timeZone` as a `TZ=` prefix), so a schedule or time-zone change
//! gives a new text and a new parse, and keeping it cannot change an answer. The controller's
//! own zone does not enter the parse: `TZ=Local` and unprefixed schedules are evaluated in it by
//! [`crate::schedule::Schedule::in_zone`] at `Next` time.

use rustc_hash::FxHashMap;

use crate::cluster::model::Uid;
use crate::schedule::{Schedule, ScheduleError};

/// One CronJob's parse and the text it came from.
#[derive(Debug)]
struct Parsed {
    spec: String,
    schedule: Result<Schedule, ScheduleError>,
}

/// The parsed schedule of each CronJob the controller has synced, by UID.
#[derive(Debug, Default)]
pub struct ScheduleCache {
    by_cronjob: FxHashMap<Uid, Parsed>,
}

impl ScheduleCache {
    /// `cron.ParseStandard(spec)` for the CronJob `uid`: the kept parse while `spec` is the
    /// text it was parsed from, else a fresh parse that replaces it.
    pub fn parse(&mut self, uid: Uid, spec: &str) -> &Result<Schedule, ScheduleError> {
        let parsed = self.by_cronjob.entry(uid).or_insert_with(|| Parsed {
            spec: spec.to_string(),
            schedule: Schedule::parse_standard(spec),
        });
        if parsed.spec != spec {
            parsed.spec.clear();
            parsed.spec.push_str(spec);
            parsed.schedule = Schedule::parse_standard(spec);
        }
        &parsed.schedule
    }

    /// Drops the parse of a CronJob that no longer exists.
    pub fn forget(&mut self, uid: Uid) {
        self.by_cronjob.remove(&uid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::CronSchedule;
    use crate::sim::time::Time;
    use chrono_tz::Tz;

    /// 2021-11-29T00:00:00Z, a Monday.
    const MONDAY: Time = Time(1_638_144_000_000);
    const HOUR: i64 = 3_600_000;

    fn next(cache: &mut ScheduleCache, uid: Uid, spec: &str) -> Option<Time> {
        let schedule = cache.parse(uid, spec).as_ref().expect("parses");
        schedule.in_zone(Tz::UTC).next(MONDAY)
    }

    /// A changed `spec.schedule` is parsed anew (robfig: `0 6 * * *` fires at 06:00, `0 9 * * *`
    /// at 09:00), and a CronJob's parse never answers for another one.
    #[test]
    fn a_new_schedule_text_is_parsed_again() {
        let mut cache = ScheduleCache::default();
        let (a, b) = (Uid(1), Uid(2));
        assert_eq!(next(&mut cache, a, "0 6 * * *"), Some(MONDAY.plus(6 * HOUR)));
        assert_eq!(next(&mut cache, b, "0 7 * * *"), Some(MONDAY.plus(7 * HOUR)));
        assert_eq!(next(&mut cache, a, "0 9 * * *"), Some(MONDAY.plus(9 * HOUR)));
        assert_eq!(next(&mut cache, a, "0 6 * * *"), Some(MONDAY.plus(6 * HOUR)));
        assert_eq!(next(&mut cache, b, "0 7 * * *"), Some(MONDAY.plus(7 * HOUR)));
        assert_eq!(cache.by_cronjob.len(), 2);
        assert!(cache.parse(a, "0 6 * *").is_err());
        assert_eq!(next(&mut cache, a, "0 6 * * *"), Some(MONDAY.plus(6 * HOUR)));
    }

    /// A changed `spec.timeZone` changes the formatted text (`TZ=<zone> <schedule>`, upstream
    /// `formatSchedule`), so the zone of the new parse applies: 06:00 in Tokyo (UTC+9) is 21:00
    /// UTC the day before, so the first slot after Monday 00:00 UTC is Monday 21:00 UTC.
    #[test]
    fn a_new_time_zone_is_parsed_again() {
        let mut cache = ScheduleCache::default();
        let uid = Uid(1);
        assert_eq!(next(&mut cache, uid, "0 6 * * *"), Some(MONDAY.plus(6 * HOUR)));
        assert_eq!(
            next(&mut cache, uid, "TZ=Asia/Tokyo 0 6 * * *"),
            Some(MONDAY.plus(21 * HOUR))
        );
        // New York is UTC−5 in November: 06:00 there is 11:00 UTC.
        assert_eq!(
            next(&mut cache, uid, "TZ=America/New_York 0 6 * * *"),
            Some(MONDAY.plus(11 * HOUR))
        );
        cache.forget(uid);
        assert!(cache.by_cronjob.is_empty());
    }
}
