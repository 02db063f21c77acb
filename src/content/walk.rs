//! Walking `content/<kind-folder>/**/*.md` in a stable order: which files are entries, and
//! which folders and files are in the wrong place.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::fields::did_you_mean;
use super::schema::{KindId, Schema};
use crate::error::{Diagnostic, Failure};

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
