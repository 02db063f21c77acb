//! Walking `content/<kind-folder>/**/*.md`, reading each file safely and parsing it into an
//! `Entry`; every problem of every file is collected, none stops the others.

use ahash::{AHashMap as HashMap, AHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::io::Read;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::fields::{FieldValue, Findings, check_mapping, did_you_mean};
use super::front_matter::{
    PathSeg, guard_yaml, line_and_column, locate, split_front_matter, yaml_diagnostic,
};
use super::model::{Entry, Playbook, Reference, slugify, too_long_for_a_file_name, url_slug};
use super::schema::{KindId, Practice, Schema};
use crate::config::Config;
use crate::error::{Diagnostic, Failure, Severity};
use crate::markdown;

/// Entries larger than this are refused before they are read: nobody writes 8 MiB by hand.
const MAX_ENTRY_BYTES: u64 = 8 * 1024 * 1024;
/// serde_yaml spends quadratic time on aliased anchors; a front matter this size is plenty.
const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;
const SUMMARY_CHARS: usize = 220;

/// A Markdown file found under a kind folder.
#[derive(Clone, Debug)]
pub struct Source {
    pub kind: KindId,
    pub path: PathBuf,
    /// Relative to the playbook root, for diagnostics.
    pub rel: PathBuf,
}

/// What reading one file gave.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The entry, if the file is sound.
    pub entry: Option<Arc<Entry>>,
    pub diagnostics: Vec<Diagnostic>,
    /// `<kind-folder>/<slug>` the file's name gives: an entry that fails to parse still
    /// exists, so that references to it are not reported as broken on top of its own error.
    pub key: String,
}

/// Loads and checks every entry. Drafts are validated always, kept only if `include_drafts`.
/// On success returns the playbook and its warnings; on failure, every diagnostic found.
pub fn load_playbook(
    root: &Path,
    config: Config,
    include_drafts: bool,
) -> Result<(Playbook, Vec<Diagnostic>), Failure> {
    let (sources, folder_diagnostics) = find_sources(root, &config.schema)?;
    let parsed: Vec<Parsed> = sources
        .par_iter()
        .map(|source| read_entry(source, &config))
        .collect();
    assemble(config, parsed.iter(), folder_diagnostics, include_drafts)
}

/// Checks what only the whole set of entries can tell (unique slugs, references), then
/// indexes the playbook. `parsed` is every file's outcome; `diagnostics`, the walk's own.
pub fn assemble<'a>(
    config: Config,
    parsed: impl Iterator<Item = &'a Parsed>,
    mut diagnostics: Vec<Diagnostic>,
    include_drafts: bool,
) -> Result<(Playbook, Vec<Diagnostic>), Failure> {
    let mut entries = Vec::new();
    let mut unreadable: Vec<&str> = Vec::new();
    for parsed in parsed {
        match &parsed.entry {
            Some(entry) => entries.push(entry.clone()),
            None => unreadable.push(&parsed.key),
        }
        diagnostics.extend(parsed.diagnostics.iter().cloned());
    }
    // The checks across entries and the indexing run side by side; the playbook is dropped
    // if a check fails. (serve does this on every save.)
    let kept: Vec<Arc<Entry>> = entries
        .iter()
        .filter(|entry| include_drafts || !entry.draft)
        .cloned()
        .collect();
    let (found, playbook) = rayon::join(
        || {
            let mut found = check_unique_slugs(&entries);
            found.extend(check_references(&entries, &unreadable));
            found
        },
        || Playbook::new(config, kept),
    );
    diagnostics.extend(found);
    // Files were read in parallel; report them in path order, like the walk.
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(Failure(diagnostics));
    }
    Ok((playbook, diagnostics))
}

/// The entry file at `rel` (relative to `root`), if that path is one: a non-hidden `.md` file
/// under a kind folder of `content/`.
pub fn source_at(root: &Path, schema: &Schema, rel: &Path) -> Option<Source> {
    let mut parts = rel.components();
    if parts.next()?.as_os_str() != "content" {
        return None;
    }
    let folder = parts.next()?.as_os_str().to_str()?;
    let kind = schema.kind_by_folder(folder)?;
    let name = rel.file_name()?.to_str()?;
    let hidden = rel
        .components()
        .any(|c| c.as_os_str().to_str().is_none_or(is_ignored_file_name));
    let is_markdown = rel.extension().is_some_and(|ext| ext == "md");
    (is_markdown && !hidden && rel.components().count() >= 3 && !name.is_empty()).then(|| Source {
        kind,
        path: root.join(rel),
        rel: rel.to_path_buf(),
    })
}

/// Lists entry files in a stable order; reports unknown kind folders and stray files.
pub fn find_sources(
    root: &Path,
    schema: &Schema,
) -> Result<(Vec<Source>, Vec<Diagnostic>), Failure> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Failure::one(Diagnostic::error(
            "content",
            "no content/ folder here: run `playbook init` to start a playbook, or pass \
             --root with the folder that holds content/",
        )));
    }
    let mut sources = Vec::new();
    let mut diagnostics = Vec::new();
    let rel = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_path_buf();

    let mut walk = WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter();
    while let Some(item) = walk.next() {
        let item = match item {
            Ok(item) => item,
            Err(err) => {
                let path = err
                    .path()
                    .map(rel)
                    .unwrap_or_else(|| PathBuf::from("content"));
                let message = if err.loop_ancestor().is_some() {
                    "symbolic link loop: this folder links back to one of its parents".to_string()
                } else {
                    format!("cannot read: {}", crate::error::error_chain(&err))
                };
                diagnostics.push(Diagnostic::error(path, message));
                continue;
            }
        };
        let name = item.file_name().to_string_lossy();
        if is_ignored_file_name(&name) {
            if item.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        let path = item.path();
        let is_markdown = path.extension().is_some_and(|ext| ext == "md");
        if item.depth() == 1 {
            if item.file_type().is_dir() && schema.kind_by_folder(&name).is_none() {
                diagnostics.push(Diagnostic::error(
                    rel(path),
                    unknown_kind_message(schema, &name),
                ));
                walk.skip_current_dir();
            } else if is_markdown {
                diagnostics.push(Diagnostic::error(
                    rel(path),
                    "entries live in a kind folder, e.g. content/advice/ or content/goals/",
                ));
            }
            continue;
        }
        if item.file_type().is_dir() || !is_markdown {
            continue;
        }
        let folder = path
            .strip_prefix(&content)
            .ok()
            .and_then(|p| p.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        if let Some(kind) = folder.as_deref().and_then(|f| schema.kind_by_folder(f)) {
            sources.push(Source {
                kind,
                path: path.to_path_buf(),
                rel: rel(path),
            });
        }
    }
    Ok((sources, diagnostics))
}

/// Hidden files, and the swap, backup and lock files editors leave beside the real ones.
pub fn is_ignored_file_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

fn unknown_kind_message(schema: &Schema, folder: &str) -> String {
    let folders = schema.folders();
    let hint = did_you_mean(folder, folders.iter().copied());
    format!(
        "unknown kind folder `{folder}`: the kind folders are {}{hint} (new kinds go under \
         `kinds:` in playbook.yaml)",
        folders.join(", ")
    )
}

pub fn read_entry(source: &Source, config: &Config) -> Parsed {
    let (entry, diagnostics) = match read_text(source) {
        Ok(text) => {
            let (entry, diagnostics) = parse_entry(config, source.kind, &source.rel, &text);
            (entry.map(Arc::new), diagnostics)
        }
        Err(diagnostic) => (None, vec![diagnostic]),
    };
    let stem = source
        .rel
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let key = match &entry {
        Some(entry) => entry.key.clone(),
        None => format!(
            "{}/{}",
            config.schema.kind(source.kind).folder,
            slugify(&stem)
        ),
    };
    Parsed {
        entry,
        diagnostics,
        key,
    }
}

/// Reads an entry as UTF-8 text; see [`read_text_file`].
fn read_text(source: &Source) -> Result<String, Diagnostic> {
    read_text_file(&source.path, &source.rel, MAX_ENTRY_BYTES, "an entry")
}

/// Reads `path` (shown as `rel`) as UTF-8 text of at most `max_bytes`, refusing what is not a
/// regular file (a pipe or a device would block or never end), larger files, invalid UTF-8 and
/// NUL bytes, each at a line and column. The cap holds while reading, should the file grow.
pub fn read_text_file(
    path: &Path,
    rel: &Path,
    max_bytes: u64,
    what: &str,
) -> Result<String, Diagnostic> {
    let io_error = |err: &std::io::Error| Diagnostic::io(rel, "read", err).at(1, 1);
    let too_large = || {
        Diagnostic::error(
            rel,
            format!(
                "file is larger than {} MiB, the most {what} may be",
                max_bytes / (1024 * 1024)
            ),
        )
        .at(1, 1)
    };
    let metadata = std::fs::metadata(path).map_err(|err| io_error(&err))?;
    if !metadata.is_file() {
        return Err(Diagnostic::error(
            rel,
            format!("not a regular file (a pipe, socket or device); {what} is a text file"),
        )
        .at(1, 1));
    }
    if metadata.len() > max_bytes {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    std::fs::File::open(path)
        .and_then(|file| file.take(max_bytes + 1).read_to_end(&mut bytes))
        .map_err(|err| io_error(&err))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large());
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let (line, column) = line_and_column(err.as_bytes(), at);
            return Err(Diagnostic::error(
                rel,
                "file is not valid UTF-8: save it with UTF-8 encoding",
            )
            .at(line, column));
        }
    };
    if let Some(at) = text.find('\0') {
        let (line, column) = line_and_column(text.as_bytes(), at);
        return Err(
            Diagnostic::error(rel, "file contains a NUL byte; is it a binary file?")
                .at(line, column),
        );
    }
    Ok(text)
}

/// Parses one entry's text into an entry of `kind`: the entry when it has no error, and every
/// error and warning found, each with its line and column in the file.
pub fn parse_entry(
    config: &Config,
    kind: KindId,
    rel: &Path,
    text: &str,
) -> (Option<Entry>, Vec<Diagnostic>) {
    let fail =
        |message: &str, line: usize| (None, vec![Diagnostic::error(rel, message).at(line, 1)]);
    if text.trim().is_empty() {
        return fail(
            "the file is empty: an entry starts with front matter (`---`, `title:`, `date:`, `---`)",
            1,
        );
    }
    let split = match split_front_matter(text) {
        Ok(split) => split,
        Err(err) => return fail(err.message(), 1),
    };
    if split.yaml.trim().is_empty() {
        return fail(
            "front matter is empty: it needs at least `title:` and `date:`",
            1,
        );
    }
    if split.yaml.len() > MAX_FRONT_MATTER_BYTES {
        return fail("front matter is larger than 64 KiB", split.yaml_first_line);
    }
    let offset = split.yaml_first_line - 1;
    if let Err(diagnostic) = guard_yaml(rel, split.yaml, offset) {
        return (None, vec![diagnostic]);
    }
    let value: serde_yaml::Value = match serde_yaml::from_str(split.yaml) {
        Ok(value) => value,
        Err(err) => return (None, vec![yaml_diagnostic(rel, &err, split.yaml, offset)]),
    };
    let Some(map) = value.as_mapping() else {
        return fail(
            "front matter must be `key: value` lines (a YAML mapping), e.g. `title: …`",
            split.yaml_first_line,
        );
    };

    let schema = &config.schema;
    let spec = schema.kind(kind);
    let mut findings = Findings::default();
    let mut values = check_mapping(
        map,
        &[&schema.common, &spec.fields],
        &mut Vec::new(),
        &mut findings,
    );
    let fields = values.pop().unwrap_or_default();
    let common = values.pop().unwrap_or_default();
    let get = |name: &str| {
        let position = schema.common.iter().position(|f| f.name == name)?;
        common.get(position)?.as_ref()
    };
    let at = |path: &[PathSeg]| {
        let (line, column) = locate(split.yaml, path);
        (line + offset, column)
    };
    let key = |name: &str| [PathSeg::Key(name.to_string())];

    if !config.people.is_empty() {
        for mention in findings.people.clone() {
            if !config.people.contains_key(&mention.value) {
                let ids = config.people.keys().map(String::as_str);
                let hint = did_you_mean(&mention.value, ids);
                let message = format!(
                    "unknown person `{}`: not under `people:` in playbook.yaml{hint}",
                    mention.value
                );
                findings.warning(&mention.path, message);
            }
        }
    }
    let title = get("title")
        .and_then(FieldValue::as_text)
        .unwrap_or_default()
        .trim()
        .to_string();
    if get("title").is_some() && title.is_empty() {
        findings.error(&key("title"), "`title` is empty".into());
    }
    let slug = match get("slug").and_then(FieldValue::as_text) {
        Some(slug) => {
            if slugify(slug) != slug {
                let message = format!(
                    "`slug: {slug}` may hold only a-z, 0-9 and single `-` between them (e.g. `{}`)",
                    slugify(slug)
                );
                findings.error(&key("slug"), message);
            } else if let Some(problem) = too_long_for_a_file_name("`slug:`", slug) {
                findings.error(&key("slug"), problem);
            }
            slug.to_string()
        }
        None => {
            let stem = rel
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default();
            let slug = slugify(&stem);
            if slug.is_empty() {
                findings.error(
                    &[],
                    "the file name gives an empty slug: use letters or digits in it, or set `slug:`"
                        .into(),
                );
            } else if let Some(problem) = too_long_for_a_file_name("the file name", &slug) {
                findings.error(&[], format!("{problem}, or set a shorter `slug:`"));
            }
            slug
        }
    };

    let mut diagnostics: Vec<Diagnostic> = findings
        .problems
        .iter()
        .map(|problem| {
            let (line, mut column) = at(&problem.path);
            if problem.at_key {
                // The key starts where the line's indentation ends.
                let text = split.yaml.lines().nth(line - offset - 1).unwrap_or("");
                column = text.len() - text.trim_start().len() + 1;
            }
            Diagnostic {
                severity: problem.severity,
                path: rel.to_path_buf(),
                line: Some(line),
                column: Some(column),
                message: problem.message.clone(),
            }
        })
        .collect();
    diagnostics.dedup();
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return (None, diagnostics);
    }

    let (Some(date), Some(body)) = (
        get("date").and_then(FieldValue::as_date).copied(),
        Some(split.body),
    ) else {
        return (None, diagnostics);
    };
    let mut people: Vec<String> = Vec::new();
    for mention in &findings.people {
        if !people.contains(&mention.value) {
            people.push(mention.value.clone());
        }
    }
    let mut practices = vec![spec.practice];
    let practice_ids: Vec<String> = get("practices").map(FieldValue::texts).unwrap_or_default();
    for id in &practice_ids {
        if let Some(practice) = Practice::from_id(id)
            && !practices.contains(&practice)
        {
            practices.push(practice);
        }
    }
    let tags: Vec<String> = get("tags").map(FieldValue::texts).unwrap_or_default();
    let references = findings
        .references
        .iter()
        .map(|mention| {
            let (line, column) = at(&mention.path);
            let field = match mention.path.first() {
                Some(PathSeg::Key(name)) => name.clone(),
                _ => String::new(),
            };
            Reference {
                field,
                target: mention.value.clone(),
                folder: mention.folder.clone(),
                line,
                column,
            }
        })
        .collect();
    let written_summary = get("summary")
        .and_then(FieldValue::as_text)
        .map(str::trim)
        .filter(|summary| !summary.is_empty());
    let rendered = markdown::render(body, written_summary.is_none().then_some(SUMMARY_CHARS));
    let summary = written_summary.map_or(rendered.summary, str::to_string);
    let entry = Entry {
        kind,
        key: format!("{}/{slug}", spec.folder),
        slug,
        source: rel.to_path_buf(),
        title,
        date,
        tag_slugs: tags.iter().map(|tag| url_slug(tag)).collect(),
        tags,
        person_slugs: people.iter().map(|id| url_slug(id)).collect(),
        people,
        practices,
        related: get("related").map(FieldValue::texts).unwrap_or_default(),
        draft: get("draft").and_then(FieldValue::as_bool).unwrap_or(false),
        summary,
        search_words: rendered.words,
        html: rendered.html,
        fields,
        references,
    };
    (Some(entry), diagnostics)
}

fn check_unique_slugs(entries: &[Arc<Entry>]) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &Path> = HashMap::with_capacity(entries.len());
    let mut diagnostics = Vec::new();
    for entry in entries {
        if let Some(first) = seen.get(entry.key.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    &entry.source,
                    format!(
                        "duplicate slug `{}`: {} has it too; rename one file or set `slug:`",
                        entry.key,
                        first.display()
                    ),
                )
                .at(1, 1),
            );
        } else {
            seen.insert(&entry.key, &entry.source);
        }
    }
    diagnostics
}

/// Every reference must name an entry of the playbook (drafts included), of the right kind.
/// `unreadable`: keys of entries that failed to parse, which references may name.
fn check_references(entries: &[Arc<Entry>], unreadable: &[&str]) -> Vec<Diagnostic> {
    let keys: HashSet<&str> = entries
        .iter()
        .map(|e| e.key.as_str())
        .chain(unreadable.iter().copied())
        .collect();
    let mut diagnostics = Vec::new();
    for entry in entries {
        for reference in &entry.references {
            let target = reference.target.as_str();
            let in_folder = |key: &str| {
                reference
                    .folder
                    .as_deref()
                    .is_none_or(|folder| key.split('/').next() == Some(folder))
            };
            if keys.contains(target) && in_folder(target) {
                continue;
            }
            let candidates = keys.iter().copied().filter(|key| in_folder(key));
            // A bare slug most often means the entry of that slug, in whichever folder it is.
            let same_slug = (!target.contains('/'))
                .then(|| {
                    let mut found: Vec<&str> = candidates
                        .clone()
                        .filter(|key| key.rsplit('/').next() == Some(target))
                        .collect();
                    found.sort_unstable();
                    found.first().map(|key| format!("; did you mean `{key}`?"))
                })
                .flatten();
            let hint = same_slug.unwrap_or_else(|| did_you_mean(target, candidates));
            let what = match &reference.folder {
                Some(folder) => format!("an entry of {folder}/"),
                None => "an entry".to_string(),
            };
            diagnostics.push(
                Diagnostic::error(
                    &entry.source,
                    format!(
                        "`{}: {target}` does not name {what} of this playbook{hint} (write <kind-folder>/<slug>)",
                        reference.field
                    ),
                )
                .at(reference.line, reference.column),
            );
        }
    }
    diagnostics
}
