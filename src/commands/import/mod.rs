//! `playbook import brag|jrnl|csv FILE`: entries from what people kept before playbook, each
//! written as a draft for its owner to review. A source is read into [`Item`]s (one module per
//! format), every item is checked as the entry it would become, and only then is anything
//! written: a source with problems writes nothing (unless `--skip-bad`), and an item already
//! in the playbook (same kind, title and day) is never written twice.

mod brag;
mod dates;
mod jrnl;
mod spreadsheet;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_yaml::Value;

use super::add::{Line, entry_text, line};
use super::new::{NewError, create_entry, file_slug, unknown_kind};
use crate::config::Config;
use crate::content::check::check_references_to;
use crate::content::load::read_entry;
use crate::content::parse::parse_entry;
use crate::content::walk::find_sources;
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

/// Where in the source something is: 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct At {
    pub line: usize,
    pub column: usize,
}

impl At {
    pub fn new(line: usize, column: usize) -> At {
        At { line, column }
    }
}

/// One entry to be, as a source gives it.
#[derive(Debug)]
pub(super) struct Item {
    /// Where the item starts.
    pub at: At,
    pub kind: KindId,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub tags: Vec<String>,
    /// Further front matter, each value with where it stands in the source.
    pub fields: Vec<(String, Value, At)>,
    pub body: String,
}

/// What a format's reader gives: the items it read and the problems of those it could not.
#[derive(Default)]
pub(super) struct Read {
    pub items: Vec<Item>,
    pub problems: Vec<(At, String)>,
    /// Warnings about the command line (a `--map` that names no heading).
    pub notes: Vec<String>,
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
    let text =
        crate::text::read_text_file(&options.file, &options.file, MAX_SOURCE_BYTES, "a source")?;
    // Editors on Windows start UTF-8 files with a byte order mark; no reader expects it, and
    // editors count no column for it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if !options.map.is_empty() && options.format != Format::Brag {
        return Err(NewError::Usage(
            "--map names sections of a brag document; a jrnl or CSV import takes --kind".into(),
        ));
    }
    let read = match options.format {
        Format::Brag => brag::read(text, &config, kind, &brag::mapping(&config, &options.map)?),
        Format::Jrnl => jrnl::read(text, &config, kind),
        Format::Csv => {
            let kind = kind.ok_or_else(|| {
                NewError::Usage(
                    "a CSV names no kind: give one with --kind (e.g. --kind achievement)".into(),
                )
            })?;
            spreadsheet::read(text, &config, kind)
        }
    };
    // Messages name the source as given; their excerpt is read from the playbook's root
    // (`report`), so a source outside the working folder's root is named in full.
    let source = match options.root == Path::new(".") {
        true => options.file.clone(),
        false => std::path::absolute(&options.file).unwrap_or_else(|_| options.file.clone()),
    };
    let at = |at: At, message: String, severity: Severity| Diagnostic {
        severity,
        ..Diagnostic::error(&source, message).at(at.line, at.column)
    };
    let mut problems: Vec<Diagnostic> = (read.problems.iter())
        .map(|(place, message)| at(*place, message.clone(), Severity::Error))
        .collect();
    let mut imported = Imported {
        skipped: read.problems.len(),
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
        let lines = front_matter(&item, options.draft);
        let text = entry_text(&lines, &item.body);
        let (entry, mut diagnostics) = parse_entry(&config, item.kind, &rel, &text);
        if let Some(entry) = entry {
            // A reference (`goal:`, `related:`) must name an entry there is.
            diagnostics.extend(check_references_to(&entry, &playbook.keys));
        }
        let origin = |d: &Diagnostic| {
            // Line 1 is `---`; the front matter's lines follow in order.
            let origin = (d.line.and_then(|n| n.checked_sub(2)))
                .and_then(|i| lines.get(i))
                .map(|line| line.origin.as_str())
                .and_then(parse_at);
            origin.unwrap_or(item.at)
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
        if failed {
            imported.skipped += 1;
        } else {
            imported.entries.push((rel, text));
        }
    }
    if !problems.is_empty() {
        if !options.skip_bad {
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
        for (n, (rel, text)) in imported.entries.iter().enumerate() {
            if let Err(err) = create_entry(&options.root, rel, text) {
                // What was written stays (a second run writes the rest): say what it is.
                let NewError::Failure(mut failure) = err else {
                    return Err(err);
                };
                let written: Vec<String> = (imported.entries[..n].iter())
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
        }
    }
    Ok(imported)
}

/// The front matter of `item`: title, date, tags, its fields, then `draft: true` when asked.
fn front_matter(item: &Item, draft: bool) -> Vec<Line> {
    let origin = show_at(item.at);
    let mut lines = vec![
        line(field::TITLE, Value::from(item.title.as_str()), &origin),
        line(field::DATE, Value::from(item.date.as_str()), &origin),
    ];
    if !item.tags.is_empty() {
        let tags = item.tags.iter().map(|t| Value::from(t.as_str())).collect();
        lines.push(line(field::TAGS, Value::Sequence(tags), &origin));
    }
    for (name, value, at) in &item.fields {
        lines.push(line(name, value.clone(), &show_at(*at)));
    }
    if draft {
        lines.push(line(field::DRAFT, Value::from(true), &origin));
    }
    lines
}

/// `line:col`, as a line's origin.
fn show_at(at: At) -> String {
    format!("{}:{}", at.line, at.column)
}

fn parse_at(text: &str) -> Option<At> {
    let (line, column) = text.split_once(':')?;
    Some(At::new(line.parse().ok()?, column.parse().ok()?))
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
        let (sources, _) = find_sources(root, &config.schema)?;
        let parsed: Vec<_> = (sources.par_iter())
            .map(|source| read_entry(source, config))
            .collect();
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

/// The first sentence of `text` as a title, and the rest as the body. The first sentence is
/// looked for in the first paragraph, its lines joined (a hard-wrapped item is one sentence
/// across lines); one over 100 characters is cut at a word (with `…`) and the body keeps the
/// whole text, so that nothing is lost.
pub(super) fn title_and_body(text: &str) -> (String, String) {
    const LONGEST: usize = 100;
    let text = text.trim();
    let end = paragraph_end(text);
    let (paragraph, rest) = (text[..end].trim_end(), &text[end..]);
    let paragraph = paragraph
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let cut = sentence_end(&paragraph).unwrap_or(paragraph.len());
    let sentence = paragraph[..cut].trim();
    // A title is shown as plain text: no bold marks, links as their text, no escapes.
    let sentence = crate::markdown::plain_text(sentence);
    let sentence = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
    let sentence = sentence.strip_suffix('.').unwrap_or(&sentence).trim_end();
    let remainder = paragraph[cut..].trim();
    let body = match remainder.is_empty() {
        true => rest.trim().to_string(),
        // `rest` starts at the line that ended the paragraph: a blank line or a list item.
        false => format!("{remainder}\n{}", rest.trim_end())
            .trim_end()
            .to_string(),
    };
    if sentence.chars().count() <= LONGEST {
        return (sentence.to_string(), body);
    }
    let cut: String = sentence.chars().take(LONGEST).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > LONGEST / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    (format!("{}…", cut.trim_end()), text.to_string())
}

/// Where the first paragraph of `text` ends: at the start of its first blank line, list
/// item, heading, fence, table or quote after the first line.
fn paragraph_end(text: &str) -> usize {
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim();
        let breaks = t.is_empty()
            || list_marker(t).is_some()
            || t.starts_with(['#', '|', '>'])
            || t.starts_with("```")
            || t.starts_with("~~~");
        if n > 0 && breaks {
            return offset;
        }
        offset += line.len();
    }
    text.len()
}

/// The length of a list marker and the space after it (`- `, `* `, `+ `, `1. `, `2) `).
pub(super) fn list_marker(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    if matches!(bytes.first(), Some(b'-' | b'*' | b'+')) && bytes.get(1) == Some(&b' ') {
        return Some(2);
    }
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    ((1..=9).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && bytes.get(digits + 1) == Some(&b' '))
    .then_some(digits + 2)
}

/// Where the first sentence of a line of Markdown ends: after `.`, `!` or `?` (and any
/// closing `**` or `_`) followed by a space, escaped or not (`\. ` as Google Docs writes it).
/// Not inside `code`, not in `e.g. `, `Dr. ` or an initial.
fn sentence_end(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut in_code = false;
    for i in 0..bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b'.' | b'!' | b'?' if !in_code => {
                let closing = bytes[i + 1..]
                    .iter()
                    .take_while(|b| matches!(b, b'*' | b'_'))
                    .count();
                let end = i + 1 + closing;
                if bytes.get(end) != Some(&b' ') {
                    continue;
                }
                // `i` is an ASCII byte: a character boundary.
                let word = line[..i].rsplit(' ').next().unwrap_or_default();
                let word = word.trim_start_matches(['*', '_', '(', '[']).to_lowercase();
                // Single letters with dots (`e.g`, `u.s`), a letter alone, or a known word.
                let initials = word.split('.').all(|part| part.chars().count() == 1);
                let abbreviation =
                    bytes[i] == b'.' && (initials || ABBREVIATIONS.contains(&word.as_str()));
                if !abbreviation {
                    return Some(end);
                }
            }
            _ => {}
        }
    }
    None
}

/// Words a full stop follows without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "etc", "vs", "mr", "mrs", "ms", "dr", "st", "no", "inc", "approx", "fig", "cf",
];

/// A tag as a source writes it (`@work`, `#launch`, ` Q3 `), as playbook keeps it.
pub(super) fn tag(text: &str) -> Option<String> {
    let tag = text.trim().trim_start_matches(['@', '#']).trim();
    (!tag.is_empty()).then(|| tag.to_string())
}

/// The person `text` names, by id or by name, as whole words; else the boss.
pub(super) fn person_named(config: &Config, text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let names = |phrase: &str| {
        let phrase: Vec<String> = phrase.split_whitespace().map(str::to_lowercase).collect();
        !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase.as_slice())
    };
    let named = config
        .people
        .iter()
        .find(|(id, person)| names(id) || names(&person.name));
    named
        .map(|(id, _)| id.clone())
        .or_else(|| config.boss.clone())
}

/// The `from` a kind needs (feedback, advice) when the source cannot say: the person the
/// text names, else the boss; `None` when the kind has no required `from` or nobody is known.
pub(super) fn required_from(config: &Config, kind: KindId, text: &str) -> Option<Value> {
    let spec = config.schema.kind(kind);
    let needs = spec.fields.iter().any(|f| f.name == "from" && f.required);
    if !needs {
        return None;
    }
    person_named(config, text).map(Value::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text made of what the readers look for: markers, dates, quotes, separators, and
    /// characters of more than one byte.
    const PIECES: &str = r#"(?s)([-*+#>\[\]x ,;"{}:\n\t]|\*\*|```|2026-03-14|2026-02-30|March 2026|Q1 |1\. |é|ß|\u{3000}|\u{212a}|entries|title|date|[a-z]{1,6}){0,80}"#;

    #[test]
    fn a_title_is_the_first_sentence_and_the_body_the_rest() {
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(title_and_body("éK"), pair("éK", ""));
        assert_eq!(
            title_and_body("Café crème. Then, e.g. more.\nMore"),
            pair("Café crème", "Then, e.g. more. More")
        );
        assert_eq!(
            title_and_body("**Led** it, i.e. all"),
            pair("Led it, i.e. all", "")
        );
        let long = "word ".repeat(40);
        let (title, body) = title_and_body(&long);
        assert!(
            title.ends_with('…') && title.chars().count() <= 101,
            "{title}"
        );
        assert_eq!(body, long.trim());
    }

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
            let _ = title_and_body(&text);
        }
    }
}
