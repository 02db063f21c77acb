//! Cards: what a list shows of an entry (title, date, kind, summary, tags, practices, draft),
//! made once per entry as a reference-counted tera value and shared by every page that lists
//! it, with its `card.html` and `timeline-item.html` rendered once, on first use, as fragments.
//! The card is also what `incremental` compares to tell whether lists must render again.

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::Links;
use super::fragment::Fragment;
use crate::content::{Delta, Entry, Playbook, Schema, url_slug};
use crate::error::Diagnostic;
use crate::schema::Section;

/// A link to a person, a tag or another entry, as every template receives it.
#[derive(Serialize)]
pub(super) struct LinkView<'a> {
    name: &'a str,
    url: String,
}

/// What a list shows of an entry; made once per entry and shared by every list that shows it.
#[derive(Serialize)]
struct CardView<'a> {
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

/// An entry's card: the value templates see as `e`, and its fragments once rendered. Clones
/// share both, so a card carried over from the last build keeps its fragments.
#[derive(Clone, Debug)]
pub struct Card {
    pub value: Value,
    html: Arc<OnceLock<Result<CardHtml, Diagnostic>>>,
}

/// A card as lists show it: `card.html` on kind, tag and practice lists, `timeline-item.html`
/// (one line) on the timeline and person pages.
#[derive(Debug)]
pub struct CardHtml {
    pub card: Fragment,
    pub row: Fragment,
}

impl Card {
    fn new(value: Value) -> Card {
        Card {
            value,
            html: Arc::default(),
        }
    }

    /// The card's fragments, made by `render` the first time they are asked for.
    pub fn html(
        &self,
        render: impl FnOnce(&Value) -> Result<CardHtml, Diagnostic>,
    ) -> Result<&CardHtml, Diagnostic> {
        self.html
            .get_or_init(|| render(&self.value))
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Cards are the same when they show the same: the fragments follow from the value.
impl PartialEq for Card {
    fn eq(&self, other: &Card) -> bool {
        self.value == other.value
    }
}

/// Every entry's card, in `playbook.entries` order. With `previous` (the cards of an earlier
/// playbook of the same configuration, and how its entries map onto these), only the cards of
/// changed entries are made.
pub fn make_cards(
    playbook: &Playbook,
    links: &Links,
    previous: Option<(&[Card], &Delta)>,
) -> Vec<Card> {
    let make = |entry: &Entry| {
        Card::new(Value::from_serializable(&card(
            entry,
            &playbook.config.schema,
            links,
        )))
    };
    match previous {
        Some((cards, delta)) => delta.carry(cards, playbook.entries.len(), |n| {
            make(&playbook.entries[n])
        }),
        None => playbook.entries.par_iter().map(|e| make(e)).collect(),
    }
}

fn card<'a>(entry: &'a Entry, schema: &'a Schema, links: &Links) -> CardView<'a> {
    let kind = schema.kind(entry.kind);
    CardView {
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
