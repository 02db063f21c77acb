//! Walking `content/<kind-folder>/**/*.md` in a stable order: which files are entries, and
//! which folders and files are in the wrong place.

use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use crate::error::did_you_mean;
use crate::error::{Diagnostic, Failure};
use crate::schema::{KindId, Schema};

/// A Markdown file found under a kind folder.
#[derive(Clone, Debug)]
pub struct Source {
    pub kind: KindId,
    pub path: PathBuf,
    /// Relative to the playbook root, for diagnostics.
    pub rel: PathBuf,
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
    (is_markdown(rel) && !hidden && rel.components().count() >= 3 && !name.is_empty()).then(|| {
        Source {
            kind,
            path: root.join(rel),
            rel: rel.to_path_buf(),
        }
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

    let mut walk = WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter();
    while let Some(item) = walk.next() {
        let item = match item {
            Ok(item) => item,
            Err(err) => {
                diagnostics.push(unreadable(root, &err));
                continue;
            }
        };
        if is_ignored_file_name(&item.file_name().to_string_lossy()) {
            if item.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if item.depth() == 1 {
            diagnostics.extend(misplaced_at_top(root, schema, &item, &mut walk));
            continue;
        }
        if item.file_type().is_dir() || !is_markdown(item.path()) {
            continue;
        }
        sources.extend(source_in_kind_folder(root, &content, schema, item.path()));
    }
    Ok((sources, diagnostics))
}

/// The diagnostic for what the walk could not read: a folder, a file, or a symbolic link loop.
fn unreadable(root: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err
        .path()
        .map(|path| relative(root, path))
        .unwrap_or_else(|| PathBuf::from("content"));
    let message = if err.loop_ancestor().is_some() {
        "symbolic link loop: this folder links back to one of its parents".to_string()
    } else {
        format!("cannot read: {}", crate::error::error_chain(err))
    };
    Diagnostic::error(path, message)
}

/// The diagnostic for a folder or file directly in content/ that is not a kind folder, if
/// `item` is one; the walk skips what an unknown kind folder holds.
fn misplaced_at_top(
    root: &Path,
    schema: &Schema,
    item: &DirEntry,
    walk: &mut walkdir::IntoIter,
) -> Option<Diagnostic> {
    let name = item.file_name().to_string_lossy();
    let path = item.path();
    if item.file_type().is_dir() && schema.kind_by_folder(&name).is_none() {
        walk.skip_current_dir();
        Some(Diagnostic::error(
            relative(root, path),
            unknown_kind_message(schema, &name),
        ))
    } else if is_markdown(path) {
        Some(Diagnostic::error(
            relative(root, path),
            "entries live in a kind folder, e.g. content/advice/ or content/goals/",
        ))
    } else {
        None
    }
}

/// The entry at `path`, a Markdown file below `content`, if the kind folder it is in is known.
fn source_in_kind_folder(
    root: &Path,
    content: &Path,
    schema: &Schema,
    path: &Path,
) -> Option<Source> {
    let folder = path
        .strip_prefix(content)
        .ok()
        .and_then(|p| p.components().next())
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let kind = folder.as_deref().and_then(|f| schema.kind_by_folder(f))?;
    Some(Source {
        kind,
        path: path.to_path_buf(),
        rel: relative(root, path),
    })
}

/// `path` relative to the playbook root, for diagnostics.
fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Whether `path` names a Markdown file.
fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "md")
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
