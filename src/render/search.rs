//! The search index: one row per entry — URL, title, kind, date, summary, tags and people, and
//! the body's distinct words — written as a script that sets `window.playbookSearch`, so that
//! the search page works from file:// where a fetched JSON file would be refused.

use super::Renderer;

pub(super) fn index_script(r: &Renderer<'_>) -> Vec<u8> {
    let playbook = r.playbook;
    let mut out = Vec::with_capacity(playbook.entries.len() * 512);
    out.extend_from_slice(b"window.playbookSearch=[\n");
    for (index, entry) in playbook.entries.iter().enumerate() {
        let kind = &playbook.config.schema.kind(entry.kind).label;
        let mut meta: Vec<&str> = entry.tags.iter().map(String::as_str).collect();
        meta.extend(
            entry
                .people
                .iter()
                .map(|id| playbook.config.person_name(id)),
        );
        let row = (
            r.links.folder(&format!("{}/", entry.key)),
            &entry.title,
            kind,
            entry.date.long(),
            &entry.summary,
            meta.join(" "),
            &entry.search_words,
        );
        if index > 0 {
            out.extend_from_slice(b",\n");
        }
        // Serialising strings cannot fail; a row that somehow did would only be missing.
        let _ = serde_json::to_writer(&mut out, &row);
    }
    out.extend_from_slice(b"\n];\n");
    out
}
