//! The CronJob controller's parsed schedules: one per CronJob, kept while the text it was parsed
//! from and the controller's zone stay the same, with the latest fire times it answered.
//!
//! Upstream `syncCronJob` (`pkg/controller/cronjob/cronjob_controllerv2.go`) calls
//! `cron.ParseStandard(formatSchedule(cronJob, recorder))` on every sync and then asks the
//! schedule's `Next` for the same few slots several times (`mostRecentScheduleTime` with and
//! without the deadline, then `nextScheduleTimeDuration`), and again on the next sync as long as
//! `lastScheduleTime` has not moved. A minutely CronJob is synced several times a simulated
//! minute, so the controller keeps both the parse and the latest answers: without the kept
//! answers 60 d of `cronjob-replace --summary-only` took 4.5 % longer. Parsing is a pure function
//! of the text (`spec.schedule` with `spec.timeZone` as a `TZ=` prefix) and `Next` a pure
//! function of the parse, the controller's zone and its argument, so a schedule or time-zone
//! change starts afresh and keeping them cannot change an answer.

use std::cell::Cell;

use chrono_tz::Tz;
use rustc_hash::FxHashMap;

use crate::cluster::model::Uid;
use crate::schedule::{CronSchedule, Schedule, ScheduleError};
use crate::sim::time::Time;

/// How many `Next` answers a kept schedule remembers: one sync asks three or four distinct
/// questions, catch-up walks a few more.
const ANSWERS: usize = 8;

/// A CronJob's parsed schedule, evaluated with the controller's zone as Go's `time.Local`, and
/// the latest `Next` answers it gave.
#[derive(Debug)]
pub struct KeptSchedule {
    schedule: Schedule,
    local: Tz,
    answers: [Cell<(Time, Option<Time>)>; ANSWERS],
    /// How many answers were stored so far; the next one goes to `stored % ANSWERS`.
    stored: Cell<usize>,
}

impl KeptSchedule {
    fn new(schedule: Schedule, local: Tz) -> KeptSchedule {
        KeptSchedule {
            schedule,
            local,
            answers: Default::default(),
            stored: Cell::new(0),
        }
    }
}

impl CronSchedule for KeptSchedule {
    fn next(&self, after: Time) -> Option<Time> {
        let stored = self.stored.get();
        if let Some(hit) = self.answers[..stored.min(ANSWERS)]
            .iter()
            .find(|a| a.get().0 == after)
        {
            return hit.get().1;
        }
        let r = self.schedule.next(after, self.local);
        // Once full, the oldest answer is overwritten.
        self.answers[stored % ANSWERS].set((after, r));
        self.stored.set(stored + 1);
        r
    }
}

/// One CronJob's parse and what it was made from.
#[derive(Debug)]
struct Kept {
    spec: String,
    local: Tz,
    parsed: Result<KeptSchedule, ScheduleError>,
}

/// The parsed schedule of each CronJob the controller has synced, by UID.
#[derive(Debug, Default)]
pub struct ScheduleCache {
    by_cronjob: FxHashMap<Uid, Kept>,
}

impl ScheduleCache {
    /// `cron.ParseStandard(spec)` for the CronJob `uid`, evaluated in `local`: the kept parse
    /// while `spec` and `local` are what it was made from, else a fresh one that replaces it.
    pub fn parse(
        &mut self,
        uid: Uid,
        spec: &str,
        local: Tz,
    ) -> &Result<KeptSchedule, ScheduleError> {
        let parse = || Schedule::parse_standard(spec).map(|s| KeptSchedule::new(s, local));
        let kept = self.by_cronjob.entry(uid).or_insert_with(|| Kept {
            spec: spec.to_string(),
            local,
            parsed: parse(),
        });
        if kept.spec != spec || kept.local != local {
            kept.spec.clear();
            kept.spec.push_str(spec);
            kept.local = local;
            kept.parsed = parse();
        }
        &kept.parsed
    }

    /// Drops the parse of a CronJob that no longer exists.
    pub fn forget(&mut self, uid: Uid) {
        self.by_cronjob.remove(&uid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2021-11-29T00:00:00Z, a Monday.
    const MONDAY: Time = Time(1_638_144_000_000);
    const HOUR: i64 = 3_600_000;

    fn next(cache: &mut ScheduleCache, uid: Uid, spec: &str, local: Tz) -> Option<Time> {
        cache
            .parse(uid, spec, local)
            .as_ref()
            .expect("parses")
            .next(MONDAY)
    }

    /// A changed `spec.schedule` is parsed anew (robfig: `0 6 * * *` fires at 06:00, `0 9 * * *`
    /// at 09:00), and a CronJob's parse never answers for another one.
    #[test]
    fn a_new_schedule_text_is_parsed_again() {
        let mut cache = ScheduleCache::default();
        let (a, b, utc) = (Uid(1), Uid(2), Tz::UTC);
        assert_eq!(
            next(&mut cache, a, "0 6 * * *", utc),
            Some(MONDAY.plus(6 * HOUR))
        );
        assert_eq!(
            next(&mut cache, b, "0 7 * * *", utc),
            Some(MONDAY.plus(7 * HOUR))
        );
        assert_eq!(
            next(&mut cache, a, "0 9 * * *", utc),
            Some(MONDAY.plus(9 * HOUR))
        );
        assert_eq!(
            next(&mut cache, a, "0 6 * * *", utc),
            Some(MONDAY.plus(6 * HOUR))
        );
        assert_eq!(
            next(&mut cache, b, "0 7 * * *", utc),
            Some(MONDAY.plus(7 * HOUR))
        );
        assert_eq!(cache.by_cronjob.len(), 2);
        assert!(cache.parse(a, "0 6 * *", utc).is_err());
        assert_eq!(
            next(&mut cache, a, "0 6 * * *", utc),
            Some(MONDAY.plus(6 * HOUR))
        );
        cache.forget(a);
        assert_eq!(cache.by_cronjob.len(), 1);
    }

    /// A changed `spec.timeZone` changes the formatted text (`TZ=<zone> <schedule>`, upstream
    /// `formatSchedule`), and a changed controller zone changes what `Local` means: 06:00 in
    /// Tokyo (UTC+9) is 21:00 UTC the day before, so the first slot after Monday 00:00 UTC is
    /// Monday 21:00 UTC; 06:00 in New York (UTC−5 in November) is 11:00 UTC.
    #[test]
    fn a_new_time_zone_is_parsed_again() {
        let mut cache = ScheduleCache::default();
        let (utc, tokyo) = (Tz::UTC, chrono_tz::Asia::Tokyo);
        let ny = chrono_tz::America::New_York;
        // (formatSchedule text, controller zone, first fire time after Monday 00:00 UTC, hours);
        // the last four rows: `TZ=Local` and unprefixed schedules follow the controller's zone.
        let rows = [
            ("0 6 * * *", utc, 6),
            ("TZ=Asia/Tokyo 0 6 * * *", utc, 21),
            ("TZ=America/New_York 0 6 * * *", utc, 11),
            ("0 6 * * *", ny, 11),
            ("0 6 * * *", tokyo, 21),
            ("TZ=Local 0 6 * * *", ny, 11),
            ("TZ=Local 0 6 * * *", utc, 6),
        ];
        for (spec, local, hours) in rows {
            assert_eq!(
                next(&mut cache, Uid(1), spec, local),
                Some(MONDAY.plus(hours * HOUR)),
                "{spec} in {local}"
            );
        }
    }

    /// Kept answers are `Schedule::next`'s, for repeated questions and past the number kept.
    /// Fire times of `30 6-16/4 * * 1-5` on a Monday: 06:30, 10:30, 14:30; then Tuesday 06:30.
    #[test]
    fn kept_answers_equal_next_when_asked_again_and_when_full() {
        let schedule = Schedule::parse_standard("30 6-16/4 * * 1-5").expect("parses");
        let kept = KeptSchedule::new(schedule.clone(), Tz::UTC);
        let at = |h: i64, m: i64| MONDAY.plus(h * HOUR + m * 60_000);
        let mut questions: Vec<(Time, Option<Time>)> = vec![
            (MONDAY, Some(at(6, 30))),
            (at(7, 0), Some(at(10, 30))),
            (at(11, 0), Some(at(14, 30))),
            (at(15, 0), Some(at(24 + 6, 30))),
            (at(6, 30), Some(at(10, 30))),
            (at(3, 0), Some(at(6, 30))),
        ];
        // More than are kept: the same questions a day later as well.
        questions.extend(
            questions
                .clone()
                .iter()
                .map(|(a, w)| (a.plus(24 * HOUR), w.map(|w| w.plus(24 * HOUR)))),
        );
        for _ in 0..2 {
            for (after, want) in &questions {
                assert_eq!(kept.next(*after), *want, "after {}", after.to_utc());
                assert_eq!(schedule.next(*after, Tz::UTC), *want);
            }
        }
        // Twelve distinct questions cycle through eight places: each round asks all anew.
        assert_eq!(kept.stored.get(), 24);
        for (after, want) in &questions[4..] {
            assert_eq!(kept.next(*after), *want);
        }
        assert_eq!(kept.stored.get(), 24);
    }
}
