//! Cards: what a list shows of an entry (title, date, kind, summary, tags, practices, draft).
//! Each entry's `card.html` and `timeline-item.html` are rendered once, on first use, as
//! fragments that every list splices in; a card as a tera value is made only for the few
//! pages that need one (the entry's own, the dashboard, the prep page). A card keeps a hash of
//! what it shows, which `incremental` compares to tell whether lists must render again.

use std::hash::Hash;
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
#[derive(Hash, Serialize)]
pub(super) struct LinkView<'a> {
    name: &'a str,
    url: String,
}

/// What a list shows of an entry: the card a template sees as `e`.
#[derive(Hash, Serialize)]
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

/// An entry's card: a hash of what it shows, and its fragments once rendered. Clones share
/// the fragments, so a card carried over from the last build keeps them.
#[derive(Clone, Debug)]
pub struct Card {
    shows: u64,
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
    /// The card's fragments, made by `render` the first time they are asked for.
    pub fn html(
        &self,
        render: impl FnOnce() -> Result<CardHtml, Diagnostic>,
    ) -> Result<&CardHtml, Diagnostic> {
        self.html.get_or_init(render).as_ref().map_err(Clone::clone)
    }
}

/// Cards are the same when they show the same: the fragments follow from what they show.
impl PartialEq for Card {
    fn eq(&self, other: &Card) -> bool {
        self.shows == other.shows
    }
}

/// Hashes what cards show. A fixed seed, so that the hashes of two builds compare; two
/// different cards of one entry hashing alike (one chance in 2^64 per edit) would leave its
/// lists as they were until the next edit.
const SHOWS: ahash::RandomState =
    ahash::RandomState::with_seeds(0x7061_7967, 0x626f_6f6b, 0x6361_7264, 0x7368_6f77);

/// Every entry's card, in `playbook.entries` order. With `previous` (the cards of an earlier
/// playbook of the same configuration, and how its entries map onto these), only the cards of
/// changed entries are made.
pub fn make_cards(
    playbook: &Playbook,
    links: &Links,
    previous: Option<(&[Card], &Delta)>,
) -> Vec<Card> {
    let make = |entry: &Entry| Card {
        shows: SHOWS.hash_one(card(entry, &playbook.config.schema, links)),
        html: Arc::default(),
    };
    match previous {
        Some((cards, delta)) => delta.carry(cards, playbook.entries.len(), |n| {
            make(&playbook.entries[n])
        }),
        None => playbook.entries.par_iter().map(|e| make(e)).collect(),
    }
}

/// Entry `entry`'s card as templates see it (`e`).
pub(super) fn card_value(entry: &Entry, schema: &Schema, links: &Links) -> Value {
    Value::from_serializable(&card(entry, schema, links))
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
