//! Cards: what a list shows of an entry (title, date, kind, summary, tags, practices, draft),
//! made once per entry as a reference-counted tera value and shared by every page that lists
//! it. The card is also what `incremental` compares to tell whether lists must render again.

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::Links;
use crate::content::{Delta, Entry, Playbook, Schema, url_slug};
use crate::schema::Section;

/// A link to a person, a tag or another entry, as every template receives it.
#[derive(Serialize)]
pub(super) struct LinkView<'a> {
    name: &'a str,
    url: String,
}

/// What a list shows of an entry; made once per entry and shared by every list that shows it.
#[derive(Serialize)]
struct Card<'a> {
    title: &'a str,
    url: String,
    kind: &'a str,
    kind_label: &'a str,
    kind_url: String,
    date: String,
    date_iso: String,
    summary: &'a str,
    tags: Vec<LinkView<'a>>,
    /// Practice ids; on the card so that changing them counts as a change of every list.
    practices: Vec<&'static str>,
    draft: bool,
}

/// Every entry's card, in `playbook.entries` order. With `previous` (the cards of an earlier
/// playbook of the same configuration, and how its entries map onto these), only the cards of
/// changed entries are made.
pub fn make_cards(
    playbook: &Playbook,
    links: &Links,
    previous: Option<(&[Value], &Delta)>,
) -> Vec<Value> {
    let make =
        |entry: &Entry| Value::from_serializable(&card(entry, &playbook.config.schema, links));
    match previous {
        Some((cards, delta)) => delta.carry(cards, playbook.entries.len(), |n| {
            make(&playbook.entries[n])
        }),
        None => playbook.entries.par_iter().map(|e| make(e)).collect(),
    }
}

fn card<'a>(entry: &'a Entry, schema: &'a Schema, links: &Links) -> Card<'a> {
    let kind = schema.kind(entry.kind);
    Card {
        title: &entry.title,
        url: links.folder(&format!("{}/", entry.key)),
        kind: &kind.name,
        kind_label: &kind.label,
        kind_url: links.folder(&format!("{}/", kind.folder)),
        date: entry.date.long(),
        date_iso: entry.date.iso(),
        summary: &entry.summary,
        tags: entry.tags.iter().map(|tag| tag_link(tag, links)).collect(),
        practices: entry.practices.iter().map(|p| p.id()).collect(),
        draft: entry.draft,
    }
}

pub(super) fn tag_link<'a>(tag: &'a str, links: &Links) -> LinkView<'a> {
    LinkView {
        name: tag,
        url: links.folder(&Section::Tags.path(&format!("{}/", url_slug(tag)))),
    }
}
