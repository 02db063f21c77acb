//! serde_yaml's errors as diagnostics at lines and columns of the file, not of the YAML text.

use std::path::Path;

use crate::error::Diagnostic;

/// A serde_yaml error as a diagnostic on `path`, located in the file: `yaml` is the text that
/// was parsed and `line_offset` the number of file lines before it.
///
/// serde_yaml counts lines from the start of the YAML text and appends them to its message; the
/// position is moved to file lines, and where libyaml names the construct it was inside ("while
/// parsing a flow sequence at …"), the diagnostic points at where that construct opened, which
/// is where the mistake usually is (an unclosed `[`, a quote never ended).
pub fn yaml_diagnostic(
    path: &Path,
    err: &serde_yaml::Error,
    yaml: &str,
    line_offset: usize,
) -> Diagnostic {
    let full = err.to_string();
    let mut position = err.location().map(|l| (l.line(), l.column()));
    if let Some(tab) = indenting_tab(&full, yaml, position) {
        return Diagnostic::error(
            path,
            "a tab indents this line: YAML indents with spaces only; replace the tab with spaces",
        )
        .at(tab.0 + line_offset, tab.1);
    }
    let message = match full.split_once(", while ") {
        Some((problem, context)) => {
            let (what, opened) = split_position(context);
            let (problem, found) = split_position(problem);
            if let (Some(opened), Some((line, _))) = (opened, found) {
                position = Some(opened);
                format!(
                    "{problem} (noticed on line {}) while parsing {}",
                    line + line_offset,
                    what.trim_start_matches("parsing ")
                        .trim_start_matches("scanning ")
                )
            } else {
                format!("{problem}, while {what}")
            }
        }
        None => split_position(&full).0.to_string(),
    };
    if let Some(key) = message
        .strip_prefix("duplicate entry with key ")
        .map(|k| k.trim_matches('"'))
    {
        position = yaml
            .lines()
            .enumerate()
            .filter(|(_, line)| {
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .nth(1)
            .map(|(index, _)| (index + 1, 1))
            .or(position);
    }
    let message = if message.starts_with("repetition limit exceeded") {
        // An alias bomb: anchors expanded into each other until serde_yaml's limit stops them.
        position = position.or_else(|| {
            yaml.lines()
                .position(|line| line.contains('*'))
                .map(|index| (index + 1, 1))
        });
        "too many aliases: the `*name` references in this front matter expand past the \
         repetition limit"
            .to_string()
    } else {
        message
    };
    let message = if message.starts_with("mapping values are not allowed") {
        format!(
            "{message}: text that holds `: ` must be in quotes, e.g. `title: \"Promotion: the plan\"`"
        )
    } else {
        message
    };
    // Without a position, the error is about the front matter as a whole: its first line.
    let (line, column) = position.unwrap_or((1, 1));
    Diagnostic::error(path, message).at(line + line_offset, column)
}

/// Where libyaml stumbled on a tab used as indentation ("found character that cannot start any
/// token" at a tab, or "a tab character that violates indentation", noticed a line later than
/// the construct it names): the 1-based line and column of that tab.
fn indenting_tab(
    message: &str,
    yaml: &str,
    position: Option<(usize, usize)>,
) -> Option<(usize, usize)> {
    let found = split_position(message.split(", while ").next().unwrap_or(message)).1;
    let (line, column) = found.or(position)?;
    let text = yaml.lines().nth(line.checked_sub(1)?)?;
    let at_tab = text.chars().nth(column.checked_sub(1)?) == Some('\t');
    if !(at_tab || message.contains("tab character")) {
        return None;
    }
    let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
    let tab = text[..indent].find('\t')?;
    Some((line, tab + 1))
}

/// `"message at line L column C"` → `("message", Some((L, C)))`.
fn split_position(text: &str) -> (&str, Option<(usize, usize)>) {
    let Some((message, position)) = text.rsplit_once(" at line ") else {
        return (text, None);
    };
    let parsed = position
        .split_once(" column ")
        .and_then(|(line, column)| Some((line.trim().parse().ok()?, column.trim().parse().ok()?)));
    match parsed {
        Some(position) => (message, Some(position)),
        None => (text, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml_error(yaml: &str) -> String {
        let err = serde_yaml::from_str::<serde_yaml::Value>(yaml).unwrap_err();
        yaml_diagnostic(Path::new("a.md"), &err, yaml, 1).to_string()
    }

    #[test]
    fn yaml_errors_point_at_the_construct_left_open() {
        assert_eq!(
            yaml_error("title: [unclosed\ndate: x\n"),
            "error: a.md:2:8: did not find expected ',' or ']' (noticed on line 3) while parsing a flow sequence"
        );
        assert_eq!(
            yaml_error("a: b: c\n"),
            "error: a.md:2:5: mapping values are not allowed in this context: text that holds \
             `: ` must be in quotes, e.g. `title: \"Promotion: the plan\"`"
        );
        assert_eq!(
            yaml_error("a: 1\nb: 2\na: 3\n"),
            "error: a.md:4:1: duplicate entry with key \"a\""
        );
    }
}
