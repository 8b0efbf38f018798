//! Kubernetes layer: `spec.schedule` / `spec.timeZone` validation texts (validation.go) and the
//! plain-English `describe`.

use batchsim::schedule::{
    controller_spec, time_zone_errors, validate_schedule_for_create, validate_schedule_for_update,
    validate_time_zone, FieldErrorKind, Schedule,
};

#[test]
fn schedule_validation_on_create() {
    let e = validate_schedule_for_create("");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].kind, FieldErrorKind::Required);
    assert_eq!(
        e[0].format("spec.schedule"),
        "spec.schedule: Required value"
    );

    assert!(validate_schedule_for_create("*/5 * * * *").is_empty());
    assert!(validate_schedule_for_create("@every 1h").is_empty());
    assert!(validate_schedule_for_create("0 0 30 2 *").is_empty());

    let e = validate_schedule_for_create("61 * * * *");
    assert_eq!(
        e[0].format("spec.schedule"),
        "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61"
    );

    // Both the parse error and the TZ rule are reported.
    let e = validate_schedule_for_create("TZ=Mars/Base 0 * * * *");
    let details: Vec<&str> = e.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(
        details,
        [
            "provided bad location Mars/Base: unknown time zone Mars/Base",
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ]
    );
    let e = validate_schedule_for_create("TZ=UTC 0 * * * *");
    assert_eq!(e.len(), 1);
    assert_eq!(
        e[0].format("spec.schedule"),
        "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
    );
    // No panic for a prefix without a space; still two errors.
    assert_eq!(validate_schedule_for_create("TZ=UTC").len(), 2);
}

#[test]
fn schedule_validation_on_update() {
    assert!(validate_schedule_for_update("TZ=UTC 0 * * * *", "TZ=UTC 5 * * * *", false).is_empty());
    let e = validate_schedule_for_update("TZ=UTC 0 * * * *", "TZ=UTC 5 * * * *", true);
    assert_eq!(
        e[0].detail,
        "cannot use both timeZone field and TZ or CRON_TZ in schedule"
    );
    let e = validate_schedule_for_update("TZ=UTC 0 * * * *", "5 * * * *", false);
    assert_eq!(
        e[0].detail,
        "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
    );
}

#[test]
fn time_zone_validation() {
    assert_eq!(
        validate_time_zone("America/New_York"),
        Ok(chrono_tz::America::New_York)
    );
    assert_eq!(validate_time_zone("UTC"), Ok(chrono_tz::UTC));
    assert_eq!(
        validate_time_zone("Etc/GMT+5"),
        Ok(chrono_tz::Etc::GMTPlus5)
    );
    assert_eq!(
        validate_time_zone(""),
        Err("timeZone must be nil or non-empty string".into())
    );
    // Upstream test names (validation_test.go).
    assert_eq!(
        validate_time_zone(" Continent/Zone"),
        Err("unknown time zone  Continent/Zone".into())
    );
    assert_eq!(
        validate_time_zone("AMERICA/new_york"),
        Err("unknown time zone AMERICA/new_york".into())
    );
    assert_eq!(
        validate_time_zone("Local"),
        Err(
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
                .into()
        )
    );
    // "local" fails both the explicit-zone rule and LoadLocation.
    assert_eq!(
        time_zone_errors("local"),
        [
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
            "unknown time zone local"
        ]
    );
    for bad in [
        "America/../UTC",
        "./UTC",
        "-UTC",
        "America/A_Very_Long_Zone_Name",
        "Europe//Berlin",
        "Europe/Berlin/",
        "Mars/Base",
    ] {
        assert_eq!(
            validate_time_zone(bad),
            Err(format!("unknown time zone {bad}")),
            "{bad}"
        );
    }
}

#[test]
fn controller_prefixes_zone() {
    assert_eq!(
        controller_spec("0 * * * *", Some("Europe/Berlin")),
        "TZ=Europe/Berlin 0 * * * *"
    );
    assert_eq!(controller_spec("0 * * * *", None), "0 * * * *");
    assert_eq!(
        controller_spec("TZ=UTC 0 * * * *", Some("Europe/Berlin")),
        "TZ=UTC 0 * * * *"
    );
}

#[test]
fn describe_reads_plainly() {
    let d = |s: &str| Schedule::parse_standard(s).expect(s).describe();
    assert_eq!(
        d("*/15 9-17 * * 1-5"),
        "every 15 minutes, between 09:00 and 17:59, Monday through Friday"
    );
    assert_eq!(d("@every 1h30m"), "every 1h30m0s from the previous run");
    assert_eq!(d("@every 45s"), "every 45s from the previous run");
    assert_eq!(d("* * * * *"), "every minute");
    assert_eq!(d("@daily"), "at 00:00");
    assert_eq!(d("@weekly"), "at 00:00, on Sunday");
    assert_eq!(d("@monthly"), "at 00:00, on day 1 of the month");
    assert_eq!(d("@yearly"), "at 00:00, on day 1 of the month, in January");
    assert_eq!(d("5 * * * *"), "at minute 5 of every hour");
    assert_eq!(
        d("30 4 * * 1,3,5"),
        "at 04:30, on Monday, Wednesday and Friday"
    );
    assert_eq!(
        d("0 0 1 * 1"),
        "at 00:00, on day 1 of the month or on Monday (either matches, because both day fields are restricted)"
    );
    // `*/1` keeps the star flag, so only Mondays.
    assert_eq!(d("0 0 */1 * 1"), "at 00:00, on Monday");
    // Both restricted, one of them complete: every day.
    assert_eq!(d("0 0 1-31 * 1"), "at 00:00");
    assert_eq!(
        d("0 0 30 2 *"),
        "at 00:00, on day 30 of the month, in February, which never fires (no such date)"
    );
    assert_eq!(
        d("TZ=Europe/Berlin 0 6,18 * * *"),
        "at 06:00 and 18:00, in time zone Europe/Berlin"
    );
    assert_eq!(d("5/15 * * * *"), "every 15 minutes starting at minute 5");
}
