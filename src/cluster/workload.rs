//! Workload model: infers what a container does (run time, exit code, SIGTERM handling) from its
//! `command` and `args`, for the shell one-liners that Job examples and the lecture use.
//!
//! Anything we cannot time exactly (a real program such as `perl … bpi(2000)`) is refused rather
//! than guessed; the user then gives the duration in a scenario workload override.

use crate::cluster::model::{Behavior, RunTime};
use crate::sim::time::Millis;

/// Why a command's behaviour cannot be inferred.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unknown {
    /// Neither `command` nor `args`: the image's entrypoint runs, which we cannot see.
    NoCommand,
    /// A program or shell construct whose run time is unknown (the offending word).
    Program(String),
}

/// Shells whose `-c` script we interpret.
const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh"];

fn basename(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// Infers the behaviour of a container from its `command` + `args` (the full argv).
pub fn infer(command: &[String], args: &[String]) -> Result<Behavior, Unknown> {
    let argv: Vec<&str> = command
        .iter()
        .chain(args.iter())
        .map(String::as_str)
        .collect();
    let Some(&prog) = argv.first() else {
        return Err(Unknown::NoCommand);
    };
    let prog_name = basename(prog);
    if SHELLS.contains(&prog_name) {
        // `sh -c SCRIPT`, also with combined flags such as `-ec` or `-xc`.
        let flag = argv.get(1).copied().unwrap_or("");
        let is_c = flag.starts_with('-')
            && flag.contains('c')
            && flag[1..].chars().all(|c| c.is_ascii_alphabetic());
        let Some(script) = argv.get(2).filter(|_| is_c) else {
            return Err(Unknown::Program(argv.join(" ")));
        };
        let mut b = run_script(script)?;
        b.source = format!("{} -c {script:?}", prog_name);
        return Ok(b);
    }
    // A bare command: PID 1 is that program, which has no SIGTERM handler.
    let words: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    let (ms, status) = simple_command(&words)?.ok_or_else(|| Unknown::Program(prog.to_string()))?;
    Ok(Behavior {
        run: RunTime::Fixed(ms),
        exit_code: status,
        handles_sigterm: false,
        source: argv.join(" "),
    })
}

/// How a statement is joined to the previous one.
#[derive(Copy, Clone, PartialEq)]
enum Join {
    /// `;` or a newline: always run.
    Seq,
    /// `&&`: run only if the previous status is 0.
    And,
}

/// Splits a script into statements on unquoted `;`, `&&` and newlines, and each into words.
fn split_script(script: &str) -> Result<Vec<(Join, Vec<String>)>, Unknown> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut join = Join::Seq;
    let mut chars = script.chars().peekable();
    let flush_word = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                word.push(n);
                            }
                        }
                        '$' | '`' => return Err(Unknown::Program(format!("\"…{q}…\""))),
                        _ => word.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    if n != '\n' {
                        word.push(n);
                    }
                }
            }
            '#' if !in_word => {
                // A comment runs to the end of the line.
                while chars.peek().is_some_and(|&n| n != '\n') {
                    chars.next();
                }
            }
            ';' | '\n' => {
                flush_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    out.push((join, std::mem::take(&mut words)));
                }
                join = Join::Seq;
            }
            '&' if chars.peek() == Some(&'&') => {
                chars.next();
                flush_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    out.push((join, std::mem::take(&mut words)));
                }
                join = Join::And;
            }
            '|' | '&' | '<' | '>' | '(' | ')' | '`' | '$' | '{' | '}' => {
                return Err(Unknown::Program(c.to_string()));
            }
            c if c.is_whitespace() => flush_word(&mut word, &mut in_word, &mut words),
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    flush_word(&mut word, &mut in_word, &mut words);
    if !words.is_empty() {
        out.push((join, words));
    }
    Ok(out)
}

/// Interprets a `sh -c` script: statement times add up; `exit` and failed `&&` chains stop it.
fn run_script(script: &str) -> Result<Behavior, Unknown> {
    let statements = split_script(script)?;
    let mut total: Millis = 0;
    let mut status = 0;
    let mut handles_sigterm = false;
    for (join, words) in &statements {
        if *join == Join::And && status != 0 {
            continue;
        }
        let name = words[0].as_str();
        if name == "trap" {
            // `trap 'handler' TERM` (or SIGTERM / 15): the shell now handles SIGTERM itself.
            handles_sigterm |= words[1..]
                .iter()
                .skip(1)
                .any(|w| matches!(w.as_str(), "TERM" | "SIGTERM" | "15"));
            status = 0;
            continue;
        }
        if name == "exit" {
            if let Some(arg) = words.get(1) {
                status = arg
                    .parse::<i64>()
                    .map_err(|_| Unknown::Program(format!("exit {arg}")))?
                    .rem_euclid(256) as i32;
            }
            return Ok(done(total, status, handles_sigterm));
        }
        let (ms, st) = simple_command(words)?.ok_or_else(|| Unknown::Program(name.to_string()))?;
        total = total.saturating_add(ms);
        status = st;
    }
    Ok(done(total, status, handles_sigterm))
}

fn done(total: Millis, status: i32, handles_sigterm: bool) -> Behavior {
    Behavior {
        run: RunTime::Fixed(total),
        exit_code: status,
        handles_sigterm,
        source: String::new(),
    }
}

/// Time and status of one simple command; `None` when we do not know the program.
fn simple_command(words: &[String]) -> Result<Option<(Millis, i32)>, Unknown> {
    let Some(first) = words.first() else {
        return Ok(Some((0, 0)));
    };
    Ok(match basename(first) {
        "sleep" => {
            if words.len() < 2 {
                return Err(Unknown::Program("sleep without an operand".into()));
            }
            let mut total: Millis = 0;
            for w in &words[1..] {
                let ms = parse_sleep(w).ok_or_else(|| Unknown::Program(format!("sleep {w}")))?;
                total = total.saturating_add(ms);
            }
            Some((total, 0))
        }
        "true" | ":" | "echo" | "date" | "printf" | "hostname" | "env" | "set" | "export"
        | "pwd" | "whoami" | "uname" | "id" => Some((0, 0)),
        "false" => Some((0, 1)),
        _ => None,
    })
}

/// Parses one `sleep` operand as GNU/busybox sleep does: a decimal number with an optional
/// `s`/`m`/`h`/`d` suffix (`10`, `1.5`, `1m`, `2h`).
pub fn parse_sleep(word: &str) -> Option<Millis> {
    let (num, unit) = match word.char_indices().last()? {
        (i, 's') => (&word[..i], 1_000.0),
        (i, 'm') => (&word[..i], 60_000.0),
        (i, 'h') => (&word[..i], 3_600_000.0),
        (i, 'd') => (&word[..i], 86_400_000.0),
        _ => (word, 1_000.0),
    };
    if num.is_empty()
        || !num.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        || num.matches('.').count() > 1
    {
        return None;
    }
    let value: f64 = num.parse().ok()?;
    let ms = (value * unit).round();
    // Ten years is far beyond any horizon; larger values are almost certainly a mistake.
    if !ms.is_finite() || ms > 10.0 * 365.0 * 86_400_000.0 {
        return None;
    }
    Some(ms as Millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    fn run(cmd: &[&str], args: &[&str]) -> Result<(Millis, i32, bool), Unknown> {
        infer(&v(cmd), &v(args)).map(|b| (b.run.representative(), b.exit_code, b.handles_sigterm))
    }

    #[test]
    fn inference_table() {
        let sh = |s: &str| run(&["/bin/sh", "-c", s], &[]);
        assert_eq!(
            run(&[], &["/bin/sh", "-c", "date; echo working; sleep 10"]),
            Ok((10_000, 0, false))
        );
        assert_eq!(
            sh("date; echo Hello from the Kubernetes cluster"),
            Ok((0, 0, false))
        );
        assert_eq!(
            sh("date; echo Hello from the Kubernetes cluster; sleep 100;"),
            Ok((100_000, 0, false))
        );
        assert_eq!(sh("sleep 1m"), Ok((60_000, 0, false)));
        assert_eq!(sh("sleep 1.5"), Ok((1_500, 0, false)));
        assert_eq!(sh("sleep 2h"), Ok((7_200_000, 0, false)));
        assert_eq!(sh("sleep 1m 30"), Ok((90_000, 0, false)));
        assert_eq!(sh("sleep 5\nsleep 5"), Ok((10_000, 0, false)));
        assert_eq!(sh("sleep 5 && exit 3"), Ok((5_000, 3, false)));
        assert_eq!(sh("false && sleep 100"), Ok((0, 1, false)));
        assert_eq!(sh("sleep 2; false"), Ok((2_000, 1, false)));
        assert_eq!(sh("exit 1; sleep 100"), Ok((0, 1, false)));
        assert_eq!(sh("true"), Ok((0, 0, false)));
        assert_eq!(sh(": ; printf 'a;b'"), Ok((0, 0, false)));
        assert_eq!(sh("trap 'exit 0' TERM; sleep 100"), Ok((100_000, 0, true)));
        assert_eq!(
            sh("trap \"echo bye\" SIGTERM INT\nsleep 3"),
            Ok((3_000, 0, true))
        );
        assert_eq!(
            run(&["bash", "-c"], &["echo 'x # y'; sleep 4 # comment"]),
            Ok((4_000, 0, false))
        );
        assert_eq!(run(&["sleep", "10"], &[]), Ok((10_000, 0, false)));
        assert_eq!(run(&["sleep"], &["30s"]), Ok((30_000, 0, false)));
        assert_eq!(run(&["false"], &[]), Ok((0, 1, false)));
    }

    #[test]
    fn unknown_programs_are_refused() {
        assert_eq!(run(&[], &[]), Err(Unknown::NoCommand));
        assert!(run(&["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"], &[]).is_err());
        assert!(run(&["sh", "-c", "sleep $((RANDOM % 10))"], &[]).is_err());
        assert!(run(&["sh", "-c", "curl http://x | sh"], &[]).is_err());
        assert!(run(&["sh", "-c", "sleep infinity"], &[]).is_err());
        assert!(run(&["sh", "-c", "sleep"], &[]).is_err());
        assert!(run(&["sh", "script.sh"], &[]).is_err());
        assert!(run(&["sleep", "-5"], &[]).is_err());
    }
}
