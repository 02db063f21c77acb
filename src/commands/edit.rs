//! Writing in the owner's editor: `edit QUERY` finds an entry by slug or title, and both it
//! and `new --edit` open the entry in `$VISUAL` (else `$EDITOR`, else `vi`), wait, and check
//! the entry when the editor closes, as `git commit` does with a message.

use std::path::{Path, PathBuf};
use std::process::Command;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::load::{load_playbook, read_entry};
use crate::content::walk::find_sources;
use crate::error::{Diagnostic, Failure};
use crate::slug::slugify;

/// The editor command: `$VISUAL`, else `$EDITOR`, else `vi`. It may carry arguments
/// (`code --wait`).
pub fn editor() -> String {
    ["VISUAL", "EDITOR"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|value| value.trim().to_string())
        .find(|value| !value.is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Opens `path` in the editor and waits for it to close. The command goes through `sh`, as
/// git runs it, so that an editor with arguments works; the path is passed as an argument,
/// never spliced into the command.
pub fn open_in_editor(path: &Path) -> Result<(), Failure> {
    let editor = editor();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(&editor)
        .arg(path)
        .status();
    match status {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(Failure::one(Diagnostic::error(
            path,
            format!("the editor `{editor}` exited with {status}; the entry is kept as it is"),
        ))),
        Err(err) => Err(Failure::one(Diagnostic::error(
            path,
            format!("could not run the editor `{editor}` (set $VISUAL or $EDITOR): {err}"),
        ))),
    }
}

/// The problems of the entry at `rel` (relative to `root`), as a build reports them: its own,
/// and its references to other entries.
pub fn check_entry(root: &Path, rel: &Path) -> Result<Vec<Diagnostic>, Failure> {
    let config = Config::load(root)?;
    let diagnostics = match load_playbook(root, config, true) {
        Ok((_, warnings)) => warnings,
        Err(failure) => failure.0,
    };
    Ok(diagnostics.into_iter().filter(|d| d.path == rel).collect())
}

/// What `edit QUERY` found.
#[derive(Debug, PartialEq)]
pub enum Found {
    One(PathBuf),
    /// Several entries match equally: each one's path and title.
    Several(Vec<(PathBuf, String)>),
    None,
}

/// An entry file as `edit` matches it.
struct Candidate {
    rel: PathBuf,
    /// `<kind-folder>/<slug>`, as other entries refer to it.
    key: String,
    slug: String,
    title: String,
}

/// The entry `query` names: the one whose key (`goals/ship-it`) or slug is `query` (as a
/// slug), else those whose slug
/// starts with it, else those whose title holds every word of it (in any case).
pub fn find_entry(root: &Path, query: &str) -> Result<Found, Failure> {
    let config = Config::load(root)?;
    let (sources, _) = find_sources(root, &config.schema)?;
    // Entries that do not parse are still found by their file name.
    let candidates: Vec<Candidate> = sources
        .par_iter()
        .map(|source| {
            let parsed = read_entry(source, &config);
            let stem = source.rel.file_stem().unwrap_or_default();
            let stem = stem.to_string_lossy().into_owned();
            let (key, slug, title) = match parsed.entry {
                Some(entry) => (entry.key.clone(), entry.slug.clone(), entry.title.clone()),
                None => (parsed.key.clone(), slugify(&stem), stem),
            };
            Candidate {
                rel: source.rel.clone(),
                key,
                slug,
                title,
            }
        })
        .collect();
    let wanted = slugify(query);
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let key = query.trim().trim_matches('/');
    let exact = |c: &Candidate| (!wanted.is_empty() && c.slug == wanted) || c.key == key;
    let prefix = |c: &Candidate| !wanted.is_empty() && c.slug.starts_with(&wanted);
    let titled = |c: &Candidate| {
        let title = c.title.to_lowercase();
        !words.is_empty() && words.iter().all(|word| title.contains(word.as_str()))
    };
    let tiers: [&dyn Fn(&Candidate) -> bool; 3] = [&exact, &prefix, &titled];
    for matches in tiers {
        let mut found: Vec<(PathBuf, String)> = candidates
            .iter()
            .filter(|c| matches(c))
            .map(|c| (c.rel.clone(), c.title.clone()))
            .collect();
        found.sort();
        match found.len() {
            0 => continue,
            1 => return Ok(Found::One(found.remove(0).0)),
            _ => return Ok(Found::Several(found)),
        }
    }
    Ok(Found::None)
}
