//! Diagnostics: every problem a run finds, each pinned to a file, a line and a column where
//! known, and the "did you mean" hint their messages end with.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the run, warnings are printed and the run goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located as precisely as the stage that found it could.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the playbook root (or as given, for paths outside it).
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// A problem with no file to point at (a port in use, a terminal that cannot be read):
    /// printed as `error: message`.
    pub fn general(message: impl Into<String>) -> Self {
        Diagnostic::error(PathBuf::new(), message)
    }

    /// An I/O failure on `path`, with the operating system's reason.
    pub fn io(path: &Path, action: &str, err: &std::io::Error) -> Self {
        Diagnostic::error(path, format!("cannot {action}: {err}"))
    }
}

impl Diagnostic {
    /// `path:line:col`, as much of it as is known.
    pub fn location(&self) -> String {
        let mut location = self.path.display().to_string();
        if let Some(line) = self.line {
            location.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                location.push_str(&format!(":{column}"));
            }
        }
        location
    }
}

impl fmt::Display for Diagnostic {
    /// `error: path:line:col: message`, the format editors and terminals know how to jump to.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.location() {
            location if location.is_empty() => write!(f, "{label}: {}", self.message),
            location => write!(f, "{label}: {location}: {}", self.message),
        }
    }
}

/// A run that failed: all the diagnostics it collected, errors and warnings alike.
#[derive(Debug, thiserror::Error)]
#[error("{}", summary_line(.0))]
pub struct Failure(pub Vec<Diagnostic>);

impl Failure {
    pub fn one(diagnostic: Diagnostic) -> Self {
        Failure(vec![diagnostic])
    }
}

impl From<Diagnostic> for Failure {
    fn from(diagnostic: Diagnostic) -> Self {
        Failure::one(diagnostic)
    }
}

fn summary_line(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let plural = if errors == 1 { "" } else { "s" };
    format!("failed with {errors} error{plural}")
}

/// Full message of an error and every `source()` below it; tera and I/O wrappers hide the real
/// cause there.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// `; did you mean `near`?` when a candidate is near enough to `word` to be a likely typo, or
/// nothing; for the end of a message.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|near| format!("; did you mean `{near}`?"))
        .unwrap_or_default()
}

/// The candidate nearest to `word`, if it is near enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}
