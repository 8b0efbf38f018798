//! Ports of robfig `parser_test.go` tests that exercise internal functions.
use super::*;

fn b(min: u64, max: u64) -> Bounds {
    Bounds {
        min,
        max,
        names: &[],
    }
}

#[test]
fn test_range() {
    let cases: &[(&str, u64, u64, u64, &str)] = &[
        ("5", 0, 7, 1 << 5, ""),
        ("0", 0, 7, 1 << 0, ""),
        ("7", 0, 7, 1 << 7, ""),
        ("5-5", 0, 7, 1 << 5, ""),
        ("5-6", 0, 7, 1 << 5 | 1 << 6, ""),
        ("5-7", 0, 7, 1 << 5 | 1 << 6 | 1 << 7, ""),
        ("5-6/2", 0, 7, 1 << 5, ""),
        ("5-7/2", 0, 7, 1 << 5 | 1 << 7, ""),
        ("5-7/1", 0, 7, 1 << 5 | 1 << 6 | 1 << 7, ""),
        ("*", 1, 3, 1 << 1 | 1 << 2 | 1 << 3 | STAR_BIT, ""),
        ("*/2", 1, 3, 1 << 1 | 1 << 3, ""),
        ("5--5", 0, 0, 0, "too many hyphens"),
        ("jan-x", 0, 0, 0, "failed to parse int from"),
        ("2-x", 1, 5, 0, "failed to parse int from"),
        ("*/-12", 0, 0, 0, "negative number"),
        ("*//2", 0, 0, 0, "too many slashes"),
        ("1", 3, 5, 0, "below minimum"),
        ("6", 3, 5, 0, "above maximum"),
        ("5-3", 3, 5, 0, "beyond end of range"),
        ("*/0", 0, 0, 0, "should be a positive number"),
    ];
    for &(expr, min, max, expected, e) in cases {
        let got = get_range(expr, b(min, max));
        if e.is_empty() {
            assert_eq!(got, Ok(expected), "{expr}");
        } else {
            let msg = got.expect_err(expr).0;
            assert!(msg.contains(e), "{expr}: {msg}");
        }
    }
}

#[test]
fn test_field() {
    let cases: &[(&str, u64, u64, u64)] = &[
        ("5", 1, 7, 1 << 5),
        ("5,6", 1, 7, 1 << 5 | 1 << 6),
        ("5,6,7", 1, 7, 1 << 5 | 1 << 6 | 1 << 7),
        ("1,5-7/2,3", 1, 7, 1 << 1 | 1 << 5 | 1 << 7 | 1 << 3),
    ];
    for &(expr, min, max, expected) in cases {
        assert_eq!(get_field(expr, b(min, max)), Ok(expected), "{expr}");
    }
}

#[test]
fn test_all() {
    let cases = [
        (MINUTES, 0xfffffffffffffffu64),
        (HOURS, 0xffffff),
        (DOMS, 0xfffffffe),
        (MONTHS, 0x1ffe),
        (DOWS, 0x7f),
    ];
    for (r, expected) in cases {
        assert_eq!(all(r), expected | STAR_BIT);
    }
}

#[test]
fn test_bits() {
    let cases = [
        (0, 0, 1, 0x1),
        (1, 1, 1, 0x2),
        (1, 5, 2, 0x2a),
        (1, 4, 2, 0xa),
    ];
    for (min, max, step, expected) in cases {
        assert_eq!(get_bits(min, max, step), expected);
    }
}

#[test]
fn test_normalize_fields() {
    let d = DESCRIPTOR;
    let cases: &[(&[&str], u32, [&str; 6])] = &[
        (
            &["0", "5", "*", "*", "*", "*"],
            SECOND | MINUTE | HOUR | DOM | MONTH | DOW | d,
            ["0", "5", "*", "*", "*", "*"],
        ),
        (
            &["0", "5", "*", "*", "*", "*"],
            SECOND_OPTIONAL | MINUTE | HOUR | DOM | MONTH | DOW | d,
            ["0", "5", "*", "*", "*", "*"],
        ),
        (
            &["5", "*", "*", "*", "*"],
            SECOND_OPTIONAL | MINUTE | HOUR | DOM | MONTH | DOW | d,
            ["0", "5", "*", "*", "*", "*"],
        ),
        (
            &["5", "15", "*"],
            HOUR | DOM | MONTH,
            ["0", "0", "5", "15", "*", "*"],
        ),
        (
            &["5", "15", "*", "4"],
            HOUR | DOM | MONTH | DOW_OPTIONAL,
            ["0", "0", "5", "15", "*", "4"],
        ),
        (
            &["5", "15", "*"],
            HOUR | DOM | MONTH | DOW_OPTIONAL,
            ["0", "0", "5", "15", "*", "*"],
        ),
        (
            &["5", "15", "*"],
            SECOND_OPTIONAL | HOUR | DOM | MONTH,
            ["0", "0", "5", "15", "*", "*"],
        ),
    ];
    for (input, options, expected) in cases {
        assert_eq!(
            normalize_fields(input, *options),
            Ok(*expected),
            "{input:?}"
        );
    }
}

#[test]
fn test_normalize_fields_errors() {
    let cases: &[(&[&str], u32)] = &[
        (
            &["0", "5", "*", "*", "*", "*"],
            SECOND_OPTIONAL | MINUTE | HOUR | DOM | MONTH | DOW_OPTIONAL,
        ),
        (&["0", "5", "*", "*"], SECOND_OPTIONAL | MINUTE | HOUR),
        (&[], SECOND_OPTIONAL | MINUTE | HOUR),
        (&["*"], SECOND_OPTIONAL | MINUTE | HOUR),
    ];
    for (input, options) in cases {
        assert!(normalize_fields(input, *options).is_err(), "{input:?}");
    }
}

#[test]
fn test_optional_second_schedule() {
    let opts = SECOND_OPTIONAL | MINUTE | HOUR | DOM | MONTH | DOW | DESCRIPTOR;
    let every5min = |sec: u64| SpecBits {
        second: sec,
        minute: 1 << 5,
        hour: all(HOURS),
        dom: all(DOMS),
        month: all(MONTHS),
        dow: all(DOWS),
    };
    let cases = [
        ("0 5 * * * *", every5min(1)),
        ("5 5 * * * *", every5min(1 << 5)),
        ("5 * * * *", every5min(1)),
    ];
    for (expr, expected) in cases {
        let s = parse(expr, opts).expect(expr);
        assert_eq!(s.spec_bits(), Some(expected), "{expr}");
        assert_eq!(s.location(), None);
    }
}

#[test]
fn test_no_descriptor_parser() {
    assert!(parse("@every 1m", MINUTE | HOUR).is_err());
}

#[test]
fn atoi_matches_go() {
    assert_eq!(go_atoi("+5"), Ok(5));
    assert_eq!(go_atoi("05"), Ok(5));
    assert_eq!(go_atoi("-0"), Ok(0));
    assert_eq!(
        go_atoi("x").unwrap_err().to_string(),
        "strconv.Atoi: parsing \"x\": invalid syntax"
    );
    assert_eq!(
        go_atoi("").unwrap_err().to_string(),
        "strconv.Atoi: parsing \"\": invalid syntax"
    );
    assert_eq!(
        go_atoi("99999999999999999999").unwrap_err().to_string(),
        "strconv.Atoi: parsing \"99999999999999999999\": value out of range"
    );
    assert_eq!(go_atoi("9223372036854775807"), Ok(i64::MAX));
    assert_eq!(go_atoi("-9223372036854775808"), Ok(i64::MIN));
}

#[test]
fn durations_match_go() {
    assert_eq!(parse_go_duration("1h30m"), Ok(5_400_000_000_000));
    assert_eq!(parse_go_duration("1.5h"), Ok(5_400_000_000_000));
    assert_eq!(parse_go_duration("-5m"), Ok(-300_000_000_000));
    assert_eq!(parse_go_duration("0"), Ok(0));
    assert_eq!(parse_go_duration("300ms"), Ok(300_000_000));
    assert_eq!(parse_go_duration("2\u{b5}s"), Ok(2_000));
    assert_eq!(
        parse_go_duration("Xm"),
        Err("time: invalid duration \"Xm\"".into())
    );
    assert_eq!(
        parse_go_duration("5"),
        Err("time: missing unit in duration \"5\"".into())
    );
    assert_eq!(
        parse_go_duration("1d"),
        Err("time: unknown unit \"d\" in duration \"1d\"".into())
    );
}
