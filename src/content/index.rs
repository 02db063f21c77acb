//! The playbook's indexes (by kind, tag, person, month, practice, backlinks, key): built once
//! from the entries, and kept up to date when entries are edited instead of built anew, so
//! that a save in `serve` costs the entries it changed, not the whole playbook.
//! Invariant: `Playbook::with_edited` gives the indexes `Playbook::new` would give.

// aHash instead of SipHash: these maps are rebuilt on every save in serve, and their keys are
// the playbook's own paths and tags, not input from an adversary.
use ahash::AHashMap as HashMap;
use std::cmp::Ordering;
use std::sync::Arc;

use super::model::{Entry, MonthGroup, PersonGroup, Playbook, TagGroup};
use crate::config::Config;
use crate::schema::Practice;
use crate::slug::url_slug;

mod edit;

/// The order of `Playbook::entries`: newest first, titles and keys breaking ties (keys are
/// unique, so the order is total).
pub fn newest_first(a: &Entry, b: &Entry) -> Ordering {
    b.date
        .cmp(&a.date)
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.key.cmp(&b.key))
}

/// How the entries of one playbook map onto those of the next one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Delta {
    /// For each new position, the old position of the same entry (by key), `None` for an
    /// added one; `None` as a whole when every entry kept its position.
    pub old_of_new: Option<Vec<Option<usize>>>,
    /// Old and new positions of every entry that differs: edited (both), added (no old
    /// position) or removed (no new one).
    pub changed: Vec<(Option<usize>, Option<usize>)>,
}

impl Delta {
    /// The old position of the entry at new position `new`.
    pub fn old_position(&self, new: usize) -> Option<usize> {
        match &self.old_of_new {
            Some(map) => map[new],
            None => Some(new),
        }
    }

    /// Per-entry values of the old playbook (`previous`, in its order) in the order of the
    /// new one, which has `len` entries; `make` makes those of changed and added entries
    /// from their new position.
    pub fn carry<T: Clone>(&self, previous: &[T], len: usize, make: impl Fn(usize) -> T) -> Vec<T> {
        let mut fresh = vec![false; len];
        for &(_, new) in &self.changed {
            new.into_iter().for_each(|n| fresh[n] = true);
        }
        (0..len)
            .map(|n| match self.old_position(n) {
                Some(o) if !fresh[n] => previous[o].clone(),
                _ => make(n),
            })
            .collect()
    }

    /// What differs between `old` and `new`, found by key: entries that were not read again
    /// are the same `Arc`.
    pub fn between(old: &Playbook, new: &Playbook) -> Delta {
        let mut changed = Vec::new();
        let mut old_of_new = Vec::with_capacity(new.entries.len());
        let mut found = 0;
        for (position, entry) in new.entries.iter().enumerate() {
            let before = old.index_of(&entry.key);
            old_of_new.push(before);
            match before {
                Some(before) => {
                    found += 1;
                    if !Arc::ptr_eq(&old.entries[before], entry) {
                        changed.push((Some(before), Some(position)));
                    }
                }
                None => changed.push((None, Some(position))),
            }
        }
        if found < old.entries.len() {
            let removed = old.entries.iter().enumerate();
            changed.extend(
                removed
                    .filter(|(_, entry)| new.index_of(&entry.key).is_none())
                    .map(|(position, _)| (Some(position), None)),
            );
        }
        let kept = old.entries.len() == new.entries.len()
            && old_of_new.iter().enumerate().all(|(n, o)| *o == Some(n));
        Delta {
            old_of_new: (!kept).then_some(old_of_new),
            changed,
        }
    }
}

impl Playbook {
    pub fn new(config: Config, entries: Vec<Arc<Entry>>) -> Playbook {
        // The dates are sorted beside their positions, not through the `Arc`s: following
        // 10,000 pointers at every comparison made this sort most of serve's indexing time.
        let mut order: Vec<(super::EntryDate, usize)> = entries
            .iter()
            .enumerate()
            .map(|(index, entry)| (entry.date, index))
            .collect();
        order.sort_unstable_by(|(a_date, a), (b_date, b)| {
            b_date
                .cmp(a_date)
                .then_with(|| newest_first(&entries[*a], &entries[*b]))
        });
        let entries: Vec<Arc<Entry>> = order
            .into_iter()
            .map(|(_, index)| entries[index].clone())
            .collect();

        // Groups are found without allocating, and sorted once at the end.
        let mut by_kind: Vec<Vec<usize>> = vec![Vec::new(); config.schema.kinds.len()];
        let mut tags: HashMap<&str, TagGroup> = HashMap::default();
        // Keyed by URL slug, so `Dana` and `dana` are one person with one page; configured
        // people are listed even before an entry names them.
        let mut people: HashMap<String, PersonGroup> = config
            .people
            .keys()
            .map(|id| (url_slug(id), person_group(id)))
            .collect();
        let mut by_key = HashMap::with_capacity(entries.len());
        let mut by_practice = vec![Vec::new(); Practice::ALL.len()];
        for (index, entry) in entries.iter().enumerate() {
            by_key.insert(entry.key.clone(), index);
            by_kind[entry.kind].push(index);
            for (tag, slug) in entry.tags.iter().zip(&entry.tag_slugs) {
                let group = tags.entry(slug).or_insert_with(|| TagGroup {
                    slug: slug.clone(),
                    name: tag.clone(),
                    entries: Vec::new(),
                });
                push_once(&mut group.entries, index);
            }
            for (id, slug) in entry.people.iter().zip(&entry.person_slugs) {
                let group = people
                    .entry(slug.clone())
                    .or_insert_with(|| person_group(id));
                push_once(&mut group.entries, index);
            }
            for practice in &entry.practices {
                by_practice[*practice as usize].push(index);
            }
        }
        let mut backlinks = vec![Vec::new(); entries.len()];
        for (index, entry) in entries.iter().enumerate() {
            for target in reference_targets(&by_key, entry, index) {
                push_once(&mut backlinks[target], index);
            }
        }
        let mut tags: Vec<TagGroup> = tags.into_values().collect();
        tags.sort_by(|a, b| a.slug.cmp(&b.slug));
        let mut people: Vec<PersonGroup> = people.into_values().collect();
        people.sort_by(|a, b| a.slug.cmp(&b.slug));
        Playbook {
            config,
            months: Arc::new(months_of(&entries)),
            entries,
            by_kind: Arc::new(by_kind),
            tags: Arc::new(tags),
            people: Arc::new(people),
            by_practice: Arc::new(by_practice),
            backlinks: Arc::new(backlinks),
            by_key: Arc::new(by_key),
        }
    }
}

/// Appends `index` unless it is already last: an entry that names a tag, a person or a
/// target twice (`Ledger`, `ledger`) is listed once.
fn push_once(list: &mut Vec<usize>, index: usize) {
    if list.last() != Some(&index) {
        list.push(index);
    }
}

/// Positions of the entries `entry` (at `index`) refers to, itself left out; `references`
/// holds every reference field's values, `related:` among them.
fn reference_targets<'a>(
    by_key: &'a HashMap<String, usize>,
    entry: &'a Entry,
    index: usize,
) -> impl Iterator<Item = usize> + 'a {
    entry
        .references
        .iter()
        .filter_map(|reference| by_key.get(&reference.target).copied())
        .filter(move |&target| target != index)
}

fn person_group(id: &str) -> PersonGroup {
    PersonGroup {
        id: id.to_string(),
        slug: url_slug(id),
        entries: Vec::new(),
    }
}

/// Entries by calendar month, newest first, from entries sorted newest first.
fn months_of(entries: &[Arc<Entry>]) -> Vec<MonthGroup> {
    let mut months: Vec<MonthGroup> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let (year, month) = (entry.date.year(), entry.date.month());
        match months.last_mut() {
            Some(group) if group.year == year && group.month == month => group.entries.push(index),
            _ => months.push(MonthGroup {
                year,
                month,
                entries: vec![index],
            }),
        }
    }
    months
}
