//! Ports of apimachinery `duration.HumanDuration` / `ShortHumanDuration`
//! (`staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go`).
//!
//! Go works in nanoseconds and we work in milliseconds; every branch of the Go code truncates to at
//! least whole seconds, so the results are identical for every millisecond input.

use crate::sim::time::{Millis, DAY, HOUR, MINUTE, SECOND};

/// `HumanDuration`: ~2–3 significant figures, truncated, e.g. `70s`, `3m10s`, `2d1h`, `2y1d`.
pub fn human_duration(d: Millis) -> String {
    // `int(d.Seconds())` truncates toward zero, as does Rust integer division.
    let seconds = d / SECOND;
    // Up to 2 s in the future is tolerated as clock skew ("almost now").
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = d / MINUTE;
    if minutes < 10 {
        let s = (d / SECOND) % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = d / HOUR;
    if hours < 8 {
        let m = (d / MINUTE) % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        format!("{hours}h{m}m")
    } else if hours < 48 {
        format!("{hours}h")
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        format!("{}d{h}h", hours / 24)
    } else if hours < 24 * 365 * 2 {
        format!("{}d", hours / 24)
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        format!("{}y{dy}d", hours / 24 / 365)
    } else {
        format!("{}y", hours / 24 / 365)
    }
}

/// `ShortHumanDuration`: one unit only (`59s`, `1m`, `23h`, `364d`, `2y`); not used by the
/// pod/job/cronjob printers, kept for other kubectl-style columns.
pub fn short_human_duration(d: Millis) -> String {
    let seconds = d / SECOND;
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 {
        return format!("{seconds}s");
    }
    let minutes = d / MINUTE;
    if minutes < 60 {
        return format!("{minutes}m");
    }
    let hours = d / HOUR;
    if hours < 24 {
        format!("{hours}h")
    } else if hours < 24 * 365 {
        format!("{}d", hours / 24)
    } else {
        // Go: int(d.Hours()/24/365) on floats, i.e. truncation of the exact quotient.
        format!("{}y", d / (365 * DAY))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Millis = 1;
    const S: Millis = SECOND;
    const M: Millis = MINUTE;
    const H: Millis = HOUR;

    /// Rows of `TestHumanDuration`.
    #[test]
    fn human_duration_table() {
        let rows: &[(Millis, &str)] = &[
            (S, "1s"),
            (70 * S, "70s"),
            (190 * S, "3m10s"),
            (70 * M, "70m"),
            (47 * H, "47h"),
            (49 * H, "2d1h"),
            ((8 * 24 + 2) * H, "8d"),
            ((367 * 24) * H, "367d"),
            ((365 * 2 * 24 + 25) * H, "2y1d"),
            ((365 * 8 * 24 + 2) * H, "8y"),
        ];
        for (d, want) in rows {
            assert_eq!(human_duration(*d), *want, "d = {d} ms");
        }
    }

    /// Rows of `TestHumanDurationBoundaries`. Go's `-2*time.Second + 1` (one nanosecond) is
    /// `-2 s + 1 ms` here: the smallest step above -2 s that our clock can express.
    #[test]
    fn human_duration_boundaries() {
        let rows: &[(Millis, &str)] = &[
            (-2 * S, "<invalid>"),
            (-2 * S + MS, "0s"),
            (0, "0s"),
            (S - MS, "0s"),
            (2 * M - MS, "119s"),
            (2 * M, "2m"),
            (2 * M + S, "2m1s"),
            (10 * M - MS, "9m59s"),
            (10 * M, "10m"),
            (10 * M + S, "10m"),
            (3 * H - MS, "179m"),
            (3 * H, "3h"),
            (3 * H + M, "3h1m"),
            (8 * H - MS, "7h59m"),
            (8 * H, "8h"),
            (8 * H + 59 * M, "8h"),
            (2 * 24 * H - MS, "47h"),
            (2 * 24 * H, "2d"),
            (2 * 24 * H + H, "2d1h"),
            (8 * 24 * H - MS, "7d23h"),
            (8 * 24 * H, "8d"),
            (8 * 24 * H + 23 * H, "8d"),
            (2 * 365 * 24 * H - MS, "729d"),
            (2 * 365 * 24 * H, "2y"),
            (2 * 365 * 24 * H + 23 * H, "2y"),
            (2 * 365 * 24 * H + 23 * H + 59 * M, "2y"),
            (2 * 365 * 24 * H + 24 * H - MS, "2y"),
            (2 * 365 * 24 * H + 24 * H, "2y1d"),
            (3 * 365 * 24 * H, "3y"),
            (4 * 365 * 24 * H, "4y"),
            (5 * 365 * 24 * H, "5y"),
            (6 * 365 * 24 * H, "6y"),
            (7 * 365 * 24 * H, "7y"),
            (8 * 365 * 24 * H - MS, "7y364d"),
            (8 * 365 * 24 * H, "8y"),
            (8 * 365 * 24 * H + 364 * 24 * H, "8y"),
            (9 * 365 * 24 * H, "9y"),
        ];
        for (d, want) in rows {
            assert_eq!(human_duration(*d), *want, "d = {d} ms");
        }
    }

    /// Rows of `TestShortHumanDurationBoundaries`.
    #[test]
    fn short_human_duration_boundaries() {
        let rows: &[(Millis, &str)] = &[
            (-2 * S, "<invalid>"),
            (-2 * S + MS, "0s"),
            (0, "0s"),
            (S - MS, "0s"),
            (S, "1s"),
            (2 * S - MS, "1s"),
            (M - MS, "59s"),
            (M, "1m"),
            (2 * M - MS, "1m"),
            (H - MS, "59m"),
            (H, "1h"),
            (2 * H - MS, "1h"),
            (24 * H - MS, "23h"),
            (24 * H, "1d"),
            (2 * 24 * H - MS, "1d"),
            (365 * 24 * H - MS, "364d"),
            (365 * 24 * H, "1y"),
            (2 * 365 * 24 * H - MS, "1y"),
            (2 * 365 * 24 * H, "2y"),
        ];
        for (d, want) in rows {
            assert_eq!(short_human_duration(*d), *want, "d = {d} ms");
        }
    }
}
