//! Loading a playbook: walk `content/`, read and parse every entry in parallel, check across
//! entries and index them. Every problem of every file is collected, none stops the others.
//! The stages live beside this driver: `walk`, `parse`, `check` (reading safely is
//! `crate::text`).

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::check::{check_references, check_unique_slugs};
use super::model::{Entry, Playbook};
use crate::config::Config;
use crate::error::{Diagnostic, Failure, Severity};
use crate::slug::slugify;
use crate::text::read_text_file;

use super::parse::parse_entry;
use super::walk::{Source, find_sources};

/// Entries larger than this are refused before they are read: nobody writes 8 MiB by hand.
pub const MAX_ENTRY_BYTES: u64 = 8 * 1024 * 1024;

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
    let (parsed, folder_diagnostics) = read_entries(root, &config)?;
    assemble(config, parsed.iter(), folder_diagnostics, include_drafts)
}

/// Every entry file of the playbook, read and parsed in parallel, and what the walk found
/// wrong with the folders.
pub fn read_entries(
    root: &Path,
    config: &Config,
) -> Result<(Vec<Parsed>, Vec<Diagnostic>), Failure> {
    let (sources, folder_diagnostics) = find_sources(root, &config.schema)?;
    let parsed = (sources.par_iter())
        .map(|source| read_entry(source, config))
        .collect();
    Ok((parsed, folder_diagnostics))
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

/// Reads and parses one entry file; its key is known even when it fails.
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
