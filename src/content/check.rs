//! The checks only the whole set of entries can make: slugs are unique, references name
//! entries of the playbook.

use ahash::{AHashMap as HashMap, AHashSet as HashSet};
use std::path::Path;
use std::sync::Arc;

use super::model::{Entry, Playbook};
use crate::error::Diagnostic;
use crate::error::did_you_mean;

/// Every entry's `<kind-folder>/<slug>` is its own.
pub(super) fn check_unique_slugs(entries: &[Arc<Entry>]) -> Vec<Diagnostic> {
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
pub(super) fn check_references(entries: &[Arc<Entry>], unreadable: &[&str]) -> Vec<Diagnostic> {
    let keys: HashSet<&str> = entries
        .iter()
        .map(|e| e.key.as_str())
        .chain(unreadable.iter().copied())
        .collect();
    references_among(entries, |key| keys.contains(key), keys.iter().copied())
}

/// The references of `edited` entries, which are to replace the entries of `playbook` with
/// their keys, checked against the playbook's keys (serve, after a good build).
pub fn check_edited_references(playbook: &Playbook, edited: &[Arc<Entry>]) -> Vec<Diagnostic> {
    references_among(
        edited,
        |key| playbook.index_of(key).is_some(),
        playbook.by_key.keys().map(String::as_str),
    )
}

/// The references of a new `entry`, checked against the `keys` of the playbook's entries.
pub fn check_references_to(
    entry: &Entry,
    keys: &std::collections::HashSet<String>,
) -> Vec<Diagnostic> {
    references_among(
        &[Arc::new(entry.clone())],
        |key| keys.contains(key),
        keys.iter().map(String::as_str),
    )
}

/// The references of `entries` that name no key of `keys` (`known` says whether one does).
fn references_among<'k>(
    entries: &[Arc<Entry>],
    known: impl Fn(&str) -> bool,
    keys: impl Iterator<Item = &'k str> + Clone,
) -> Vec<Diagnostic> {
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
            if known(target) && in_folder(target) {
                continue;
            }
            let candidates = keys.clone().filter(|key| in_folder(key));
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
