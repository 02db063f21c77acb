//! Printing diagnostics in a terminal: the `error: path:line:col: message` line, then the
//! offending source line with a caret under the column (annotate-snippets), in colour when
//! stderr is a terminal (anstream strips the colour otherwise, and honours NO_COLOR).

use std::io::{Read, Write};
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};

use crate::error::{Diagnostic, Failure, Severity};
use crate::serve::Event;
use crate::serve::watch::Change;
use std::collections::BTreeSet;

/// Prints every diagnostic; source lines are read from the files under `root`.
pub fn print_diagnostics(root: &Path, diagnostics: &[Diagnostic]) {
    let mut stderr = anstream::stderr().lock();
    for diagnostic in diagnostics {
        let _ = writeln!(stderr, "{}", render_diagnostic(root, diagnostic));
    }
}

/// The closing line of a failed run.
pub fn print_failure_summary(failure: &Failure) {
    let style = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
    let _ = writeln!(anstream::stderr(), "{style}playbook{style:#}: {failure}");
}

/// One diagnostic with its source excerpt, styled (ANSI codes are stripped by the caller's
/// stream when it is not a terminal).
pub fn render_diagnostic(root: &Path, diagnostic: &Diagnostic) -> String {
    let (label, color, level) = match diagnostic.severity {
        Severity::Error => ("error", AnsiColor::Red, Level::ERROR),
        Severity::Warning => ("warning", AnsiColor::Yellow, Level::WARNING),
    };
    let label_style = Style::new().bold().fg_color(Some(color.into()));
    let bold = Style::new().bold();
    let location = diagnostic.location();
    let message = &diagnostic.message;
    let mut out = match location.is_empty() {
        true => format!("{label_style}{label}{label_style:#}: {message}"),
        false => {
            format!("{label_style}{label}{label_style:#}: {bold}{location}{bold:#}: {message}")
        }
    };
    if let Some(excerpt) = source_excerpt(root, diagnostic, level) {
        out.push('\n');
        out.push_str(&excerpt);
    }
    out
}

/// How much of a file is read to show a line of it.
const EXCERPT_READ_LIMIT: u64 = 16 * 1024 * 1024;

fn source_excerpt(root: &Path, diagnostic: &Diagnostic, level: Level<'_>) -> Option<String> {
    let line_number = diagnostic.line?;
    // Only a regular file, and only its start: the diagnostic may be about a device or a
    // file far too large to read.
    let path = root.join(&diagnostic.path);
    if !std::fs::metadata(&path).ok()?.is_file() {
        return None;
    }
    let mut text = Vec::new();
    std::fs::File::open(&path)
        .and_then(|file| file.take(EXCERPT_READ_LIMIT).read_to_end(&mut text))
        .ok()?;
    let text = String::from_utf8_lossy(&text);
    let line = text.lines().nth(line_number.checked_sub(1)?)?;
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    if line.len() > 500 {
        return None;
    }
    let column = diagnostic.column.unwrap_or(1).max(1);
    let start = line
        .char_indices()
        .nth(column - 1)
        .map_or(line.len(), |(i, _)| i);
    let end = line[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    let report = [Group::with_level(level).element(
        Snippet::source(line)
            .line_start(line_number)
            .annotation(AnnotationKind::Primary.span(start..end)),
    )];
    Some(Renderer::styled().render(&report).to_string())
}

/// Prints what `serve` tells: one line on standard output for each event, the diagnostics of a
/// failed build on standard error.
pub fn print_serve_event(event: &Event) {
    let (changes, text) = match event {
        Event::NotLoopback(bind) => {
            eprintln!(
                "warning: serving on {bind}: anyone who can reach this machine on that address \
                 can read your playbook"
            );
            return;
        }
        Event::Built { files, elapsed } => {
            return say(&format!(
                "built {files} files in {} ms",
                elapsed.as_millis()
            ));
        }
        Event::FirstBuildFailed { root, failure } => {
            print_diagnostics(root, &failure.0);
            return print_failure_summary(failure);
        }
        Event::Serving { url } => {
            return say(&format!("serving at {url} (drafts shown; Ctrl-C to stop)"));
        }
        Event::Stopped => return say("stopped"),
        Event::WatchFailed { error } => {
            return say(&format!(
                "warning: cannot watch a new folder, so its edits may be missed: {error}"
            ));
        }
        Event::Unchanged { changes, deferred } => (
            changes,
            format!("no page changed{}", big_pages_next(*deferred)),
        ),
        Event::Updated {
            changes,
            files,
            elapsed,
            deferred,
        } => {
            let noun = if *files == 1 { "file" } else { "files" };
            let text = format!(
                "{files} {noun} updated in {} ms{}",
                elapsed.as_millis(),
                big_pages_next(*deferred)
            );
            (changes, text)
        }
        Event::Finished {
            files,
            elapsed,
            left,
        } => {
            let noun = if *files == 1 { "file" } else { "files" };
            let left = match left {
                0 => String::new(),
                _ => format!("; {left} left for the next change"),
            };
            return say(&format!(
                "{} big pages: {files} {noun} updated in {} ms{left}",
                clock(),
                elapsed.as_millis()
            ));
        }
        Event::FinishFailed { root, failure } => {
            say(&format!(
                "{} big pages: {failure}; they stay as they were until the next update",
                clock()
            ));
            print_diagnostics(root, &failure.0);
            return;
        }
        Event::Failed {
            changes, failure, ..
        } => (
            changes,
            format!("{failure}; still serving the last good build"),
        ),
    };
    say(&format!(
        "{} {} changed: {text}",
        clock(),
        describe(changes)
    ));
    if let Event::Failed { root, failure, .. } = event {
        print_diagnostics(root, &failure.0);
    }
}

/// What an update line adds when the update left big pages for a second step.
fn big_pages_next(deferred: usize) -> String {
    match deferred {
        0 => String::new(),
        _ => format!("; {deferred} big pages next"),
    }
}

fn describe(changes: &BTreeSet<Change>) -> String {
    let names: Vec<String> = changes
        .iter()
        .map(|change| match change {
            Change::Entry(path) => path.display().to_string(),
            Change::Content => "content/".to_string(),
            Change::Config => crate::config::CONFIG_FILE.to_string(),
            Change::Theme => "theme".to_string(),
            Change::Everything => "everything".to_string(),
        })
        .collect();
    match names.len() {
        0..=3 => names.join(", "),
        n => format!("{} and {} more", names[..2].join(", "), n - 2),
    }
}

fn clock() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!("{:02}:{:02}:{:02}", now.hour(), now.minute(), now.second())
}

/// One line on standard output; a closed output (the terminal went away) is not a reason to
/// stop serving, nor to stop stopping.
fn say(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_shows_its_line_with_a_caret() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            "---\ntitle: x\nprogress: 120\n---\n",
        )
        .unwrap();
        let diagnostic = Diagnostic::error("a.md", "`progress`: out of range").at(3, 11);
        let text = render_diagnostic(dir.path(), &diagnostic);
        let plain = anstream::adapter::strip_str(&text).to_string();
        assert!(
            plain.starts_with("error: a.md:3:11: `progress`: out of range\n"),
            "{plain}"
        );
        assert!(plain.contains("3 | progress: 120"), "{plain}");
        let caret_line = plain.lines().find(|l| l.contains('^')).unwrap();
        assert_eq!(
            caret_line.find('^').unwrap(),
            plain
                .lines()
                .find(|l| l.contains("progress: 120"))
                .unwrap()
                .find("120")
                .unwrap()
        );
    }
}
