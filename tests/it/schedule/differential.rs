//! Differential test against the real robfig/cron v3.0.1: thousands of generated
//! (expression, zone, instant) cases go through `tests/robfig/main.go` (built against Debian's
//! `golang-github-robfig-cron-dev` with Debian's `golang-go`, GOPATH mode, offline) and through
//! batchsim; every fire time, zero time, accept/reject decision and error text must agree.
//!
//! Without a Go toolchain the test prints `SKIPPED: …` and passes, unless
//! `BATCHSIM_REQUIRE_GO=1` (CI) in which case it fails.

use batchsim::schedule::Schedule;
use batchsim::sim::time::Time;
use chrono_tz::Tz;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Deterministic generator (SplitMix64); the seed is fixed so every run checks the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const MONTH_NAMES: [&str; 12] = [
    "jan", "Feb", "MAR", "apr", "May", "jun", "Jul", "aug", "SEP", "oct", "Nov", "dec",
];
const DOW_NAMES: [&str; 7] = ["sun", "Mon", "TUE", "wed", "Thu", "fri", "SAT"];

/// A number or (for month / day-of-week) sometimes a name; `slack` allows out-of-range values.
fn value(r: &mut Rng, min: i64, max: i64, field: usize, slack: bool) -> String {
    let v = if slack && r.chance(4) {
        r.range(min - 1, max + 2)
    } else {
        r.range(min, max)
    };
    if (0..=max).contains(&v) && v >= min {
        if field == 3 && r.chance(30) {
            return MONTH_NAMES[(v - 1) as usize].to_string();
        }
        if field == 4 && r.chance(30) {
            return DOW_NAMES[v as usize].to_string();
        }
        if r.chance(3) {
            return format!("0{v}");
        }
        if r.chance(2) {
            return format!("+{v}");
        }
    }
    v.to_string()
}

fn item(r: &mut Rng, min: i64, max: i64, field: usize) -> String {
    let span = max - min + 1;
    match r.below(100) {
        0..=24 => value(r, min, max, field, true),
        25..=39 => {
            let a = r.range(min, max);
            let b = if r.chance(90) {
                r.range(a, max)
            } else {
                r.range(min, max)
            };
            let (a, b) = (a.to_string(), b.to_string());
            if field == 4 && r.chance(30) {
                let (x, y) = (r.range(0, 6), r.range(0, 6));
                return format!("{}-{}", DOW_NAMES[x as usize], DOW_NAMES[y as usize]);
            }
            format!("{a}-{b}")
        }
        40..=54 => format!("*/{}", r.range(1, span + 3)),
        55..=62 => {
            let a = r.range(min, max);
            let b = r.range(a, max);
            format!("{a}-{b}/{}", r.range(1, span / 2 + 2))
        }
        63..=69 => format!("{}/{}", value(r, min, max, field, false), r.range(1, span)),
        70..=73 => "?".to_string(),
        74..=75 => format!("?/{}", r.range(1, 5)),
        76 => "*-5".to_string(),
        77 => "*/1".to_string(),
        78 => r
            .pick(&[
                "*/0", "1-2-3", "a", "*//2", "5/x", "-1", "1-", "", "L", "7#2", "*/-2",
            ])
            .to_string(),
        _ => "*".to_string(),
    }
}

fn field(r: &mut Rng, index: usize) -> String {
    let (min, max) = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)][index];
    if r.chance(45) {
        return "*".to_string();
    }
    let n = if r.chance(75) { 1 } else { r.range(2, 4) };
    let items: Vec<String> = (0..n).map(|_| item(r, min, max, index)).collect();
    let mut f = items.join(",");
    if r.chance(2) {
        f.push(',');
    }
    f
}

fn expression(r: &mut Rng) -> String {
    if r.chance(12) {
        let d = r.pick(&[
            "@yearly",
            "@annually",
            "@monthly",
            "@weekly",
            "@daily",
            "@midnight",
            "@hourly",
            "@every 1h",
            "@every 90s",
            "@every 1h30m",
            "@every 0",
            "@every -5m",
            "@every 1.5h",
            "@every 500ms",
            "@every 2h45m30.9s",
            "@every 1d",
            "@every Xm",
            "@every",
            "@reboot",
            "@Daily",
            "@daily ",
            "@every 5m ",
            "@every  5m",
            "@every 1µs",
            "@every .5h",
        ]);
        return d.to_string();
    }
    let mut fields: Vec<String> = (0..5).map(|i| field(r, i)).collect();
    // Day-of-month / day-of-week combinations matter most: bias towards both restricted.
    if r.chance(15) {
        fields[2] = r
            .pick(&["1", "13", "1,15", "*/2", "31", "29", "1-7", "L"])
            .to_string();
        fields[4] = r
            .pick(&["1", "5", "0", "mon-fri", "*/1", "sat", "0-6", "7"])
            .to_string();
    }
    if r.chance(3) {
        fields.pop();
    }
    if r.chance(2) {
        fields.push("0".to_string());
    }
    let sep = if r.chance(5) { "   " } else { " " };
    fields.join(sep)
}

const ZONES: [&str; 16] = [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "America/Asuncion",
    "America/Santiago",
    "America/Havana",
    "Pacific/Chatham",
    "Asia/Tehran",
    "Europe/London",
    "Pacific/Apia",
    "Africa/Casablanca",
    "Local",
    "Mars/Base",
];
const LOCALS: [&str; 5] = [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
];

/// Start instants: uniform over 1971–2090, or near the usual DST switch dates.
fn instant(r: &mut Rng) -> i64 {
    if r.chance(50) {
        return r.range(31_536_000, 3_818_448_000);
    }
    let year = r.range(1975, 2090);
    let (month, day) = *[
        (3, 8),
        (3, 25),
        (4, 1),
        (9, 5),
        (10, 1),
        (10, 25),
        (11, 1),
        (2, 15),
    ]
    .get(r.below(8) as usize)
    .unwrap_or(&(3, 8));
    let days = days_from_civil(year, month, 1) + day - 1 + r.range(-3, 10);
    let secs = days * 86_400 + r.range(-6, 30) * 3600;
    match r.below(4) {
        0 => secs + r.range(0, 3599),
        1 => secs - secs.rem_euclid(60),
        _ => secs - secs.rem_euclid(60) + r.range(-1, 1),
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

struct Case {
    spec: String,
    zone: String,
    unix: i64,
    local: &'static str,
}

fn cases() -> Vec<Case> {
    let mut r = Rng(0x0062_6174_6368_7369); // "batchsi"
    let mut out = Vec::new();
    for _ in 0..12_000 {
        let spec = expression(&mut r);
        let zone = if r.chance(30) {
            String::new()
        } else {
            r.pick(&ZONES).to_string()
        };
        let local = LOCALS[r.below(LOCALS.len() as u64) as usize];
        for _ in 0..2 {
            out.push(Case {
                spec: spec.clone(),
                zone: zone.clone(),
                unix: instant(&mut r),
                local,
            });
        }
    }
    // Fixed rows that must stay covered whatever the generator does.
    for (spec, zone, unix) in [
        ("0 0 * * *", "America/Sao_Paulo", 1_541_257_200),
        ("0 1 * * 6", "America/Sao_Paulo", 1_541_221_200),
        ("0 12 * 10 *", "America/Asuncion", 1_505_448_000),
        ("0 2 * * *", "Australia/Lord_Howe", 1_728_091_800),
        ("0 0 29 2 *", "", 4_013_049_600),
        ("59 23 31 2 *", "", 1_609_459_200),
        ("30 1 * * *", "America/New_York", 1_352_009_700),
        ("0 * * * *", "America/New_York", 1_352_005_200),
    ] {
        out.push(Case {
            spec: spec.into(),
            zone: zone.into(),
            unix,
            local: "UTC",
        });
    }
    // `TZ=` without a following space: robfig panics, batchsim must return an error.
    for spec in ["TZ=UTC", "CRON_TZ=America/New_York", "TZ="] {
        out.push(Case {
            spec: spec.into(),
            zone: String::new(),
            unix: 0,
            local: "UTC",
        });
    }
    out
}

fn ours(c: &Case) -> String {
    let spec = if c.zone.is_empty() {
        c.spec.clone()
    } else {
        format!("TZ={} {}", c.zone, c.spec)
    };
    let local: Tz = c.local.parse().unwrap_or(chrono_tz::UTC);
    match Schedule::parse_standard(&spec) {
        Err(e) => format!("error: {e}"),
        Ok(s) => match s.next(Time(c.unix * 1000), local) {
            None => "zero".to_string(),
            Some(t) => t.unix_seconds().to_string(),
        },
    }
}

fn go_available() -> bool {
    Command::new("go")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn skip_or_fail(why: &str) {
    if std::env::var("BATCHSIM_REQUIRE_GO").is_ok_and(|v| !v.is_empty() && v != "0") {
        panic!("BATCHSIM_REQUIRE_GO is set but {why}");
    }
    println!("SKIPPED: differential test against robfig/cron: {why}");
    eprintln!("SKIPPED: differential test against robfig/cron: {why}");
}

/// GOPATH holding `src/github.com/robfig/cron` (Debian: /usr/share/gocode).
fn robfig_gopath() -> Option<PathBuf> {
    let candidates = [
        std::env::var("BATCHSIM_ROBFIG_GOPATH").ok(),
        Some("/usr/share/gocode".to_string()),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(PathBuf::from)
        .find(|p| p.join("src/github.com/robfig/cron/spec.go").is_file())
}

fn build_oracle(gopath: &Path) -> Result<PathBuf, String> {
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("robfig");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let bin = out_dir.join("oracle");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/robfig/main.go");
    let out = Command::new("go")
        .args(["build", "-o"])
        .arg(&bin)
        .arg(&src)
        .env("GO111MODULE", "off")
        .env("GOPATH", gopath)
        .env("GOCACHE", out_dir.join("gocache"))
        .env("GOFLAGS", "")
        .env("CGO_ENABLED", "0")
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(bin)
}

fn run_oracle(bin: &Path, cases: &[Case]) -> Vec<String> {
    let mut input = String::new();
    for c in cases {
        input.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            c.spec, c.zone, c.unix, c.local
        ));
    }
    let mut child = Command::new(bin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run oracle");
    // Feed stdin from a thread: the oracle answers as it reads, so both pipes must drain.
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("oracle output");
    writer.join().expect("writer thread").expect("write cases");
    assert!(out.status.success(), "oracle failed");
    let text = String::from_utf8(out.stdout).expect("utf-8 output");
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert_eq!(lines.len(), cases.len(), "one answer per case");
    lines
}

#[test]
fn differential_against_robfig() {
    if !go_available() {
        skip_or_fail(
            "`go` is not on PATH (apt-get install golang-go golang-github-robfig-cron-dev)",
        );
        return;
    }
    let Some(gopath) = robfig_gopath() else {
        skip_or_fail(
            "robfig/cron sources not found (apt-get install golang-github-robfig-cron-dev)",
        );
        return;
    };
    let bin = build_oracle(&gopath).unwrap_or_else(|e| panic!("building the Go oracle: {e}"));

    let mut cases = cases();
    let first = run_oracle(&bin, &cases);
    // Second round: chain from robfig's own answers (start exactly on a fire time, and one
    // second before it), which is how the controller calls Next.
    let mut chained = Vec::new();
    for (c, want) in cases.iter().zip(&first) {
        if let Ok(t) = want.parse::<i64>() {
            for unix in [t, t - 1] {
                chained.push(Case {
                    spec: c.spec.clone(),
                    zone: c.zone.clone(),
                    unix,
                    local: c.local,
                });
            }
        }
    }
    let second = run_oracle(&bin, &chained);
    cases.extend(chained);
    let theirs: Vec<String> = first.into_iter().chain(second).collect();
    assert_eq!(theirs.len(), cases.len(), "one answer per case");

    let mut mismatches = Vec::new();
    let (mut fired, mut zero, mut errors, mut panics) = (0, 0, 0, 0);
    for (c, want) in cases.iter().zip(&theirs) {
        let got = ours(c);
        let want = want.as_str();
        let ok = if want.starts_with("panic: ") {
            panics += 1;
            got.starts_with("error: missing schedule after time zone prefix")
        } else {
            match want {
                "zero" => zero += 1,
                w if w.starts_with("error: ") => errors += 1,
                _ => fired += 1,
            }
            got == want
        };
        if !ok {
            mismatches.push(format!(
                "{:?} zone={:?} local={} t={}: robfig {want:?}, batchsim {got:?}",
                c.spec, c.zone, c.local, c.unix
            ));
        }
    }
    println!(
        "differential: {} cases compared ({fired} fire times, {zero} zero, {errors} errors, {panics} robfig panics)",
        cases.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches, first ones:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(25)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
