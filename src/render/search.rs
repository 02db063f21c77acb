//! The search index: one row per entry — URL, title, kind, date, summary, tags and people, and
//! the body's distinct words — written as a script that sets `window.playbookSearch`, so that
//! the search page works from file:// where a fetched JSON file would be refused.

use std::sync::Arc;

use rayon::prelude::*;

use super::{Links, Renderer};
use crate::content::{Delta, Entry, Playbook};
use crate::error::Diagnostic;

/// One entry's row, as JSON.
fn row(playbook: &Playbook, links: &Links, entry: &Entry) -> Arc<str> {
    let kind = &playbook.config.schema.kind(entry.kind).label;
    let mut meta: Vec<&str> = entry.tags.iter().map(String::as_str).collect();
    meta.extend(
        entry
            .people
            .iter()
            .map(|id| playbook.config.person_name(id)),
    );
    let row = (
        links.folder(&format!("{}/", entry.key)),
        &entry.title,
        kind,
        entry.date.long(),
        &entry.summary,
        meta.join(" "),
        &entry.search_words,
    );
    // Serialising strings cannot fail.
    Arc::from(serde_json::to_string(&row).unwrap_or_default())
}

/// Every entry's row, in `playbook.entries` order. With `previous` (the rows of an earlier
/// playbook of the same configuration, and how its entries map onto these), only the rows of
/// changed entries are made.
pub fn search_rows(
    playbook: &Playbook,
    links: &Links,
    previous: Option<(&[Arc<str>], &Delta)>,
) -> Vec<Arc<str>> {
    let make = |entry: &Entry| row(playbook, links, entry);
    match previous {
        Some((rows, delta)) => {
            delta.carry(rows, playbook.entries.len(), |n| make(&playbook.entries[n]))
        }
        None => playbook.entries.par_iter().map(|e| make(e)).collect(),
    }
}

/// `search-index.js`: the rows as a script that sets `window.playbookSearch`; in an encrypted
/// build, the same array sealed for that file, set as `window.playbookSealedSearch`.
pub(super) fn index_script(r: &Renderer<'_>, path: &str) -> Result<Vec<u8>, Diagnostic> {
    let array = index_array(&r.search_rows);
    let script = match &r.links.sealer {
        Some(sealer) => {
            let sealed = sealer.seal(path, &array)?;
            format!("window.playbookSealedSearch=\"{sealed}\";\n").into_bytes()
        }
        None => {
            let mut script = b"window.playbookSearch=".to_vec();
            script.extend_from_slice(&array);
            script.extend_from_slice(b";\n");
            script
        }
    };
    Ok(script)
}

/// The rows as one JSON array, a row a line.
fn index_array(rows: &[Arc<str>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.iter().map(|row| row.len() + 2).sum::<usize>() + 4);
    out.extend_from_slice(b"[\n");
    for (index, row) in rows.iter().enumerate() {
        if index > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(row.as_bytes());
    }
    out.extend_from_slice(b"\n]");
    out
}
