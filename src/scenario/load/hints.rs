//! Hints for the two YAML mistakes new users make most, appended to the YAML error line. kubectl
//! has no such hints (its message is go-yaml's alone); batchsim adds the usual cause and the fix.

/// The hint for a YAML error at 1-based `line` of `text`, if the text shows a known mistake.
///
/// - A manifest pasted with its shell wrapper: `cat <<EOF | kubectl apply -f -` as the first
///   line, or the heredoc's closing word (`EOF`) as the last one.
/// - An unquoted schedule starting with `*` (`schedule: */5 * * * *`): YAML reads `*` as the
///   start of an alias (YAML 1.1 §7.1, "alias nodes"), so the line does not parse.
pub fn yaml_hint(text: &str, line: usize) -> Option<String> {
    let at = text.lines().nth(line.checked_sub(1)?).unwrap_or("");
    if let Some(value) = unquoted_star_schedule(at) {
        return Some(format!(
            "hint: YAML reads a value that starts with '*' as an alias; quote the schedule: schedule: \"{value}\""
        ));
    }
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("");
    let last = lines.next_back().unwrap_or("");
    if (first.contains("<<") && !first.starts_with("<<:")) || first.starts_with("kubectl ") {
        return Some(format!(
            "hint: the first line is a shell command ({first}); keep only the YAML, or pipe the whole block into `batchsim run -`"
        ));
    }
    if is_heredoc_end(last) && last_line_number(text).is_some_and(|n| line >= n) {
        return Some(format!(
            "hint: the last line ({last}) ends a shell heredoc; delete it, or pipe the whole block into `batchsim run -`"
        ));
    }
    None
}

/// The schedule text of a `schedule: *…` line whose value is not quoted.
fn unquoted_star_schedule(line: &str) -> Option<&str> {
    let value = line
        .trim_start()
        .trim_start_matches("- ")
        .strip_prefix("schedule:")?
        .trim();
    let value = value.split(" #").next().unwrap_or(value).trim_end();
    value.starts_with('*').then_some(value)
}

/// A heredoc terminator as people write them: one word of capitals, digits and `_` (`EOF`).
fn is_heredoc_end(line: &str) -> bool {
    !line.is_empty()
        && line
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// The 1-based number of the last line that is not blank (the parser may report the line after).
fn last_line_number(text: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .last()
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::yaml_hint;

    #[test]
    fn no_hint_for_other_errors() {
        assert_eq!(yaml_hint("a: b: c\n", 1), None);
        assert_eq!(yaml_hint("schedule: \"*/5 * * * *\"\n", 1), None);
        assert_eq!(yaml_hint("x\n", 0), None);
    }

    #[test]
    fn a_star_schedule_in_a_list_item() {
        assert_eq!(
            yaml_hint("- schedule: *  # every minute\n", 1).as_deref(),
            Some("hint: YAML reads a value that starts with '*' as an alias; quote the schedule: schedule: \"*\"")
        );
    }
}
