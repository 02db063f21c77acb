//! The dashboard: how much evidence there is of each kind, and what was written last.

use tera::Context;

use super::Renderer;

const RECENT_ENTRIES: usize = 10;

pub(super) fn dashboard(r: &Renderer<'_>, context: &mut Context) -> &'static str {
    let recent: Vec<usize> = (0..r.playbook.entries.len().min(RECENT_ENTRIES)).collect();
    context.insert("recent", &r.cards_of(&recent));
    context.insert("entry_count", &r.playbook.entries.len());
    let first = r.playbook.entries.last().map(|e| e.date.long());
    let last = r.playbook.entries.first().map(|e| e.date.long());
    context.insert("first_date", &first);
    context.insert("last_date", &last);
    "dashboard.html"
}
