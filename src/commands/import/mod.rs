//! `playbook import brag|jrnl|csv FILE`: entries from what people kept before playbook, each
//! written as a draft for its owner to review. A source is read into [`Item`]s (one module per
//! format), every item is checked as the entry it would become, and only then is anything
//! written: a source with problems writes nothing (unless `--skip-bad`), and an item already
//! in the playbook (same kind, title and day) is never written twice.

mod brag;
mod dates;
mod item;
mod jrnl;
mod spreadsheet;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use self::item::{At, Item, Read};
use super::add::{Line, entry_text, line};
use super::new::{NewError, create_entry, file_slug, unknown_kind};
use crate::config::Config;
use crate::content::check::check_references_to;
use crate::content::load::{MAX_ENTRY_BYTES, read_entries};
use crate::content::parse::parse_entry;
use crate::content::{EntryDate, MAX_SLUG_BYTES};
use crate::error::{Diagnostic, Failure, Severity};
use crate::schema::{KindId, field};

/// The largest source read: a brag document or export of 64 MiB is years of notes.
const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A Markdown brag document: sections, dates in headings or items, bullets or paragraphs.
    Brag,
    /// jrnl's JSON export (`jrnl --export json`).
    Jrnl,
    /// A spreadsheet saved as CSV, a header row naming the fields.
    Csv,
}

pub struct ImportOptions {
    pub root: PathBuf,
    pub format: Format,
    /// The source, as given (relative to the working directory).
    pub file: PathBuf,
    /// The kind of every entry (jrnl, csv), or of a brag document's unmapped sections.
    pub kind: Option<String>,
    /// `Section name=kind`, for a brag document.
    pub map: Vec<String>,
    pub draft: bool,
    pub dry_run: bool,
    pub skip_bad: bool,
}

/// What an import wrote (or, with `--dry-run`, would write), and what it passed over.
#[derive(Debug, Default)]
pub struct Imported {
    /// Each entry's path relative to the root and its text.
    pub entries: Vec<(PathBuf, String)>,
    /// Items already in the playbook: same kind, title and day.
    pub present: usize,
    /// Items left out for their problems (`--skip-bad`); the problems are among `warnings`.
    pub skipped: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Imports `options.file` into the playbook at `options.root`.
pub fn import(options: &ImportOptions) -> Result<Imported, NewError> {
    let config = Config::load(&options.root)?;
    let kind = match &options.kind {
        Some(name) => Some(
            config
                .schema
                .kind_by_name(name)
                .ok_or_else(|| NewError::Usage(unknown_kind(&config, name)))?,
        ),
        None => None,
    };
    // The command line first: a usage error is one whatever the file holds.
    if !options.map.is_empty() && options.format != Format::Brag {
        return Err(NewError::Usage(
            "--map names sections of a brag document; a jrnl or CSV import takes --kind".into(),
        ));
    }
    let map = brag::mapping(&config, &options.map)?;
    if options.format == Format::Csv && kind.is_none() {
        return Err(NewError::Usage(
            "a CSV names no kind: give one with --kind (e.g. --kind achievement)".into(),
        ));
    }
    let text =
        crate::text::read_text_file(&options.file, &options.file, MAX_SOURCE_BYTES, "a source")?;
    // Editors on Windows start UTF-8 files with a byte order mark; no reader expects it, and
    // editors count no column for it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // Line ends as Windows (CR LF) and old Macs (CR) write them, as one: a line is a line.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.as_str();
    let read = match (options.format, kind) {
        (Format::Brag, _) => brag::read(text, &config, kind, &map),
        (Format::Jrnl, _) => jrnl::read(text, &config, kind),
        (Format::Csv, Some(kind)) => spreadsheet::read(text, &config, kind),
        (Format::Csv, None) => Read::default(),
    };
    let source = source_name(options);
    let at = |at: At, message: String, severity: Severity| Diagnostic {
        severity,
        ..Diagnostic::error(&source, message).at(at.line, at.column)
    };
    let mut problems: Vec<Diagnostic> = (read.problems.iter())
        .map(|(place, message)| at(*place, message.clone(), Severity::Error))
        .collect();
    let mut imported = Imported {
        skipped: read.dropped,
        ..Imported::default()
    };
    for note in &read.notes {
        imported.warnings.push(Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::general(note.clone())
        });
    }

    let mut playbook = Existing::read(&options.root, &config)?;
    for item in read.items {
        let Some(rel) = playbook.place(&options.root, &config, &item) else {
            imported.present += 1;
            continue;
        };
        let (lines, places) = front_matter(&item, options.draft);
        let text = entry_text(&lines, &item.body);
        if text.len() as u64 > MAX_ENTRY_BYTES {
            let message = format!(
                "the entry would be larger than {} MiB, the most an entry may be: split it",
                MAX_ENTRY_BYTES / (1024 * 1024)
            );
            problems.push(at(item.at, message, Severity::Error));
            imported.skipped += 1;
            continue;
        }
        let (entry, mut diagnostics) = parse_entry(&config, item.kind, &rel, &text);
        if let Some(entry) = entry {
            // A reference (`goal:`, `related:`) must name an entry there is.
            diagnostics.extend(check_references_to(&entry, &playbook.keys));
        }
        // Line 1 is `---`; the front matter's lines follow in order.
        let origin = |d: &Diagnostic| {
            (d.line.and_then(|n| n.checked_sub(2)))
                .and_then(|i| places.get(i).copied())
                .unwrap_or(item.at)
        };
        let mut failed = false;
        for d in &diagnostics {
            let mut message = d.message.clone();
            if message.starts_with("missing required field `from`") {
                message.push_str(
                    ": name one of `people:` in the item, set `boss:` in playbook.yaml, or \
                     import it as another kind (--map, --kind)",
                );
            }
            let diagnostic = at(origin(d), message, d.severity);
            match d.severity {
                Severity::Error => {
                    failed = true;
                    problems.push(diagnostic);
                }
                Severity::Warning => imported.warnings.push(diagnostic),
            }
        }
        if failed || item.flawed {
            imported.skipped += 1;
        } else {
            imported.entries.push((rel, text));
        }
    }
    if !problems.is_empty() {
        if !options.skip_bad || read.unreadable {
            problems.append(&mut imported.warnings);
            return Err(NewError::Failure(Failure(problems)));
        }
        for problem in &mut problems {
            problem.severity = Severity::Warning;
            problem.message.push_str(" (skipped)");
        }
        imported.warnings.splice(0..0, problems);
    }
    if !options.dry_run {
        write(&options.root, &imported.entries)?;
    }
    Ok(imported)
}

/// How messages name the source: relative to the playbook's root, as every path in a message
/// is (and the excerpt under a message is read from there). A source in the playbook is named
/// from its root, one elsewhere as given from here, or in full when the root is elsewhere.
fn source_name(options: &ImportOptions) -> PathBuf {
    let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match absolute(&options.file).strip_prefix(absolute(&options.root)) {
        Ok(inside) => inside.to_path_buf(),
        Err(_) if options.root == Path::new(".") => options.file.clone(),
        Err(_) => absolute(&options.file),
    }
}

/// Writes the entries, each a new file; a failure names what was written before it (a second
/// run writes the rest).
fn write(root: &Path, entries: &[(PathBuf, String)]) -> Result<(), NewError> {
    for (n, (rel, text)) in entries.iter().enumerate() {
        let Err(err) = create_entry(root, rel, text) else {
            continue;
        };
        let NewError::Failure(mut failure) = err else {
            return Err(err);
        };
        let written: Vec<String> = (entries[..n].iter())
            .map(|(rel, _)| rel.display().to_string())
            .collect();
        if !written.is_empty() {
            failure.0.push(Diagnostic {
                severity: Severity::Warning,
                ..Diagnostic::general(format!(
                    "written before this: {}; run the import again to write the rest",
                    written.join(", ")
                ))
            });
        }
        return Err(NewError::Failure(failure));
    }
    Ok(())
}

/// The front matter of `item` (title, date, tags, its fields, then `draft: true` when asked)
/// and, line by line, where each value stands in the source.
fn front_matter(item: &Item, draft: bool) -> (Vec<Line>, Vec<At>) {
    let mut lines = Vec::new();
    let mut places = Vec::new();
    let mut push = |name: &str, value: Value, at: Option<At>| {
        lines.push(line(name, value, ""));
        places.push(at.unwrap_or(item.at));
    };
    push(field::TITLE, Value::from(item.title.as_str()), None);
    push(field::DATE, Value::from(item.date.as_str()), item.date_at);
    if !item.tags.is_empty() {
        let tags = item.tags.iter().map(|t| Value::from(t.as_str())).collect();
        push(field::TAGS, Value::Sequence(tags), item.tags_at);
    }
    for (name, value, at) in &item.fields {
        push(name, value.clone(), Some(*at));
    }
    if draft {
        push(field::DRAFT, Value::from(true), None);
    }
    (lines, places)
}

/// The entries the playbook has: how many of each (kind, title, day), and the keys taken.
struct Existing {
    entries: HashMap<(KindId, String, String), usize>,
    keys: HashSet<String>,
    /// For each `folder/slug-DAY`, the number to try next: a source of 3,000 "Weekly sync"
    /// on one day would otherwise try 1, 2, 3, … for each.
    next: HashMap<String, usize>,
}

impl Existing {
    fn read(root: &Path, config: &Config) -> Result<Existing, Failure> {
        let (parsed, _) = read_entries(root, config)?;
        let mut entries = HashMap::new();
        for entry in parsed.iter().filter_map(|p| p.entry.as_ref()) {
            *entries
                .entry((entry.kind, identity(&entry.title), entry.date.iso()))
                .or_default() += 1;
        }
        Ok(Existing {
            entries,
            keys: parsed.into_iter().map(|p| p.key).collect(),
            next: HashMap::new(),
        })
    }

    /// The path for `item`, the first free of `slug`, `slug-DAY`, `slug-DAY-2`, …; `None`
    /// when the playbook has it already (as many times as the source has it so far: a second
    /// item of the same title on the same day is another entry).
    fn place(&mut self, root: &Path, config: &Config, item: &Item) -> Option<PathBuf> {
        let day = EntryDate::parse(&item.date).map_or_else(|_| item.date.clone(), |d| d.iso());
        if let Some(count) = (self.entries)
            .get_mut(&(item.kind, identity(&item.title), day.clone()))
            .filter(|count| **count > 0)
        {
            *count -= 1;
            return None;
        }
        let folder = &config.schema.kind(item.kind).folder;
        let slug = file_slug(&item.title);
        let slug = if slug.is_empty() {
            "entry"
        } else {
            slug.as_str()
        };
        // A suffix takes room from the slug (ASCII): the name must still fit.
        let with = |suffix: String| {
            let room = MAX_SLUG_BYTES.saturating_sub(suffix.len());
            format!(
                "{}{suffix}",
                slug[..slug.len().min(room)].trim_end_matches('-')
            )
        };
        let counter = self
            .next
            .entry(format!("{folder}/{slug}-{day}"))
            .or_insert(2);
        let first = *counter;
        let mut candidates = [slug.to_string(), with(format!("-{day}"))]
            .into_iter()
            .chain((first..).map(|n| with(format!("-{day}-{n}"))));
        // Free as a key and as a file: an entry with its own `slug:` has a key that is not
        // its file's name.
        let mut tried = 0;
        let free = candidates.find(|slug| {
            tried += 1;
            let rel = Path::new("content").join(folder).join(format!("{slug}.md"));
            !root.join(rel).exists() && self.keys.insert(format!("{folder}/{slug}"))
        })?;
        // The first two tries are the slug and slug-DAY; after them, numbers from `first`.
        if tried > 2 {
            *counter = first + tried - 2;
        }
        Some(Path::new("content").join(folder).join(format!("{free}.md")))
    }
}

/// A title as it identifies an entry: case and spacing aside.
fn identity(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text made of what the readers look for: markers, dates, quotes, separators, and
    /// characters of more than one byte.
    const PIECES: &str = r#"(?s)([-*+#>\[\]x ,;"{}:\n\t]|\*\*|```|2026-03-14|2026-02-30|March 2026|Q1 |1\. |é|ß|\u{3000}|\u{212a}|entries|title|date|[a-z]{1,6}){0,80}"#;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn no_source_makes_a_reader_panic(text in PIECES) {
            let config = Config::default();
            let kind = config.schema.kind_by_name("achievement");
            for read in [
                brag::read(&text, &config, None, &Vec::new()),
                jrnl::read(&text, &config, None),
                spreadsheet::read(&text, &config, kind.unwrap_or(0)),
            ] {
                for item in &read.items {
                    proptest::prop_assert!(crate::content::date::EntryDate::parse(&item.date).is_ok());
                    proptest::prop_assert!(item.at.line >= 1 && item.at.column >= 1);
                }
                for (at, _) in &read.problems {
                    proptest::prop_assert!(at.line >= 1 && at.column >= 1);
                }
            }
            let _ = item::title_and_body(&text);
        }
    }
}
