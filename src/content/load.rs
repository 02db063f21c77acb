//! Walking `content/<kind-folder>/**/*.md`, reading each file safely and parsing it into an
//! `Entry`; every problem of every file is collected, none stops the others.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::front_matter::{key_line, split_front_matter, yaml_diagnostic};
use super::model::{Entry, Playbook, slugify};
use super::schema::{
    AchievementFrontMatter, AdviceFrontMatter, CommonFields, ContributionFrontMatter,
    ConversationFrontMatter, FeedbackFrontMatter, GoalFrontMatter, Kind, KindFields,
    LoyaltyFrontMatter,
};
use crate::config::Config;
use crate::error::{Diagnostic, Failure};
use crate::markdown;

/// Entries larger than this are refused before they are read: nobody writes 8 MiB by hand.
const MAX_ENTRY_BYTES: u64 = 8 * 1024 * 1024;
/// serde_yaml spends quadratic time on aliased anchors; a front matter this size is plenty.
const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;
const SUMMARY_CHARS: usize = 220;

/// A Markdown file found under a kind folder.
struct Source {
    kind: Kind,
    path: PathBuf,
    /// Relative to the playbook root, for diagnostics.
    rel: PathBuf,
}

/// Loads and checks every entry. Drafts are validated always, kept only if `include_drafts`.
/// On success returns the playbook and its warnings; on failure, every diagnostic found.
pub fn load_playbook(
    root: &Path,
    config: Config,
    include_drafts: bool,
) -> Result<(Playbook, Vec<Diagnostic>), Failure> {
    let (sources, mut diagnostics) = find_sources(root)?;

    let parsed: Vec<Result<Entry, Vec<Diagnostic>>> = sources.par_iter().map(read_entry).collect();
    let mut entries = Vec::with_capacity(parsed.len());
    for result in parsed {
        match result {
            Ok(entry) => entries.push(entry),
            Err(mut found) => diagnostics.append(&mut found),
        }
    }

    diagnostics.extend(check_unique_slugs(&entries));
    diagnostics.extend(check_references(root, &entries));

    if diagnostics.is_empty() {
        entries.retain(|entry| include_drafts || !entry.draft);
        Ok((Playbook::new(config, entries), Vec::new()))
    } else {
        // Files were read in parallel; report them in path order, like the walk.
        diagnostics.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        Err(Failure(diagnostics))
    }
}

/// Lists entry files in a stable order; reports unknown kind folders and stray files.
fn find_sources(root: &Path) -> Result<(Vec<Source>, Vec<Diagnostic>), Failure> {
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
            if item.file_type().is_dir() && Kind::from_folder(&name).is_none() {
                diagnostics.push(Diagnostic::error(rel(path), unknown_kind_message(&name)));
                walk.skip_current_dir();
            } else if is_markdown {
                diagnostics.push(Diagnostic::error(
                    rel(path),
                    "entries live in a kind folder, e.g. content/advice/ or content/goals/",
                ));
            }
            continue;
        }
        if !item.file_type().is_file() || !is_markdown {
            continue;
        }
        let folder = path
            .strip_prefix(&content)
            .ok()
            .and_then(|p| p.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        if let Some(kind) = folder.as_deref().and_then(Kind::from_folder) {
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

fn unknown_kind_message(folder: &str) -> String {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.folder()).collect();
    format!(
        "unknown kind folder `{folder}`: the kinds are {}",
        kinds.join(", ")
    )
}

fn read_entry(source: &Source) -> Result<Entry, Vec<Diagnostic>> {
    let text = read_text(source).map_err(|d| vec![d])?;
    parse_entry(source.kind, &source.rel, &text)
}

/// Reads a file as UTF-8 text, refusing huge files, invalid UTF-8 and NUL bytes with the
/// position of the first bad byte.
fn read_text(source: &Source) -> Result<String, Diagnostic> {
    let io_error = |action: &str, err: &std::io::Error| Diagnostic::io(&source.rel, action, err);
    let size = std::fs::metadata(&source.path)
        .map_err(|err| io_error("read", &err))?
        .len();
    if size > MAX_ENTRY_BYTES {
        return Err(Diagnostic::error(
            &source.rel,
            format!(
                "file is {} MiB; an entry may be at most {} MiB",
                size / (1024 * 1024),
                MAX_ENTRY_BYTES / (1024 * 1024)
            ),
        ));
    }
    let bytes = std::fs::read(&source.path).map_err(|err| io_error("read", &err))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let (line, column) = line_and_column(err.as_bytes(), at);
            return Err(Diagnostic::error(
                &source.rel,
                "file is not valid UTF-8: save it with UTF-8 encoding",
            )
            .at(line, column));
        }
    };
    if let Some(at) = text.find('\0') {
        let (line, column) = line_and_column(text.as_bytes(), at);
        return Err(Diagnostic::error(
            &source.rel,
            "file contains a NUL byte; is it a binary file?",
        )
        .at(line, column));
    }
    Ok(text)
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_and_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Parses one entry's text into an entry of `kind`.
pub fn parse_entry(kind: Kind, rel: &Path, text: &str) -> Result<Entry, Vec<Diagnostic>> {
    let error = |message: &str| vec![Diagnostic::error(rel, message).at(1, 1)];
    let split = split_front_matter(text).map_err(|err| error(err.message()))?;
    if split.yaml.trim().is_empty() {
        return Err(error(
            "front matter is empty: it needs at least `title:` and `date:`",
        ));
    }
    if split.yaml.len() > MAX_FRONT_MATTER_BYTES {
        return Err(error("front matter is larger than 64 KiB"));
    }
    let offset = split.yaml_first_line - 1;
    let (common, fields) = parse_front_matter(kind, split.yaml)
        .map_err(|err| vec![yaml_diagnostic(rel, &err, offset)])?;
    let mut diagnostics = Vec::new();

    let line_of = |key: &str| key_line(split.yaml, key).map(|line| line + offset);
    if common.title.trim().is_empty() {
        diagnostics.push(Diagnostic::error(rel, "title is empty").at_line(line_of("title")));
    }
    let slug = match &common.slug {
        Some(slug) if slugify(slug) == *slug => slug.clone(),
        Some(slug) => {
            diagnostics.push(
                Diagnostic::error(
                    rel,
                    format!(
                        "slug `{slug}` may hold only a-z, 0-9 and single `-` between them \
                         (e.g. `{}`)",
                        slugify(slug)
                    ),
                )
                .at_line(line_of("slug")),
            );
            String::new()
        }
        None => {
            let stem = rel
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default();
            let slug = slugify(&stem);
            if slug.is_empty() {
                diagnostics.push(Diagnostic::error(
                    rel,
                    "the file name gives an empty slug: use letters or digits, or set `slug:`",
                ));
            }
            slug
        }
    };
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }

    let mut people = common.people;
    for id in fields.person_ids() {
        if !people.iter().any(|p| p == id) {
            people.push(id.to_string());
        }
    }
    let mut practices = vec![kind.practice()];
    for practice in common.practices {
        if !practices.contains(&practice) {
            practices.push(practice);
        }
    }
    let body = split.body.to_string();
    let summary = match common.summary {
        Some(summary) if !summary.trim().is_empty() => summary.trim().to_string(),
        _ => markdown::first_paragraph(&body, SUMMARY_CHARS),
    };
    Ok(Entry {
        kind,
        slug,
        source: rel.to_path_buf(),
        title: common.title.trim().to_string(),
        date: common.date,
        tags: common.tags,
        people,
        practices,
        related: common.related,
        draft: common.draft,
        summary,
        body,
        fields,
    })
}

/// One serde_yaml pass over the front matter, into the flat struct of `kind`.
fn parse_front_matter(
    kind: Kind,
    yaml: &str,
) -> Result<(CommonFields, KindFields), serde_yaml::Error> {
    fn parse<'a, T: serde::Deserialize<'a>, F>(
        yaml: &'a str,
        split: impl FnOnce(T) -> (CommonFields, F),
        wrap: impl FnOnce(F) -> KindFields,
    ) -> Result<(CommonFields, KindFields), serde_yaml::Error> {
        let (common, fields) = split(serde_yaml::from_str(yaml)?);
        Ok((common, wrap(fields)))
    }
    match kind {
        Kind::Goal => parse(yaml, GoalFrontMatter::split, KindFields::Goal),
        Kind::Advice => parse(yaml, AdviceFrontMatter::split, KindFields::Advice),
        Kind::Feedback => parse(yaml, FeedbackFrontMatter::split, KindFields::Feedback),
        Kind::Loyalty => parse(yaml, LoyaltyFrontMatter::split, KindFields::Loyalty),
        Kind::Achievement => parse(yaml, AchievementFrontMatter::split, KindFields::Achievement),
        Kind::Contribution => parse(
            yaml,
            ContributionFrontMatter::split,
            KindFields::Contribution,
        ),
        Kind::Conversation => parse(
            yaml,
            ConversationFrontMatter::split,
            KindFields::Conversation,
        ),
    }
}

fn check_unique_slugs(entries: &[Entry]) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, &Path> = HashMap::with_capacity(entries.len());
    let mut diagnostics = Vec::new();
    for entry in entries {
        let key = entry.key();
        if let Some(first) = seen.get(&key) {
            diagnostics.push(Diagnostic::error(
                &entry.source,
                format!(
                    "duplicate slug `{key}`: {} has it too; rename one file or set `slug:`",
                    first.display()
                ),
            ));
        } else {
            seen.insert(key, &entry.source);
        }
    }
    diagnostics
}

/// `related:` and an achievement's `goal:` must name entries that exist.
fn check_references(root: &Path, entries: &[Entry]) -> Vec<Diagnostic> {
    let keys: HashMap<String, Kind> = entries.iter().map(|e| (e.key(), e.kind)).collect();
    let mut diagnostics = Vec::new();
    for entry in entries {
        for target in &entry.related {
            if !keys.contains_key(target) {
                diagnostics.push(reference_error(root, entry, "related", target, "an entry"));
            }
        }
        if let KindFields::Achievement(fields) = &entry.fields
            && let Some(goal) = &fields.goal
            && keys.get(goal) != Some(&Kind::Goal)
        {
            diagnostics.push(reference_error(root, entry, "goal", goal, "a goal"));
        }
    }
    diagnostics
}

/// The line is looked up again from the file: errors are rare, so nothing is kept for them.
fn reference_error(root: &Path, entry: &Entry, key: &str, target: &str, what: &str) -> Diagnostic {
    let line = std::fs::read_to_string(root.join(&entry.source))
        .ok()
        .and_then(|text| key_line(&text, key));
    Diagnostic::error(
        &entry.source,
        format!(
            "`{key}: {target}` does not name {what} of this playbook (write <kind-folder>/<slug>)"
        ),
    )
    .at_line(line)
}
