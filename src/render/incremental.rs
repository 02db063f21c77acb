//! Which pages an edit touches. Two playbooks of the same configuration and theme are compared
//! entry by entry (entries that were not re-read are the same `Arc`), and a page is rendered
//! again only if something it shows changed: the entry itself, or the card of an entry that it
//! lists or links to.

use std::collections::HashSet;
use std::sync::Arc;

use tera::Value;

use super::{Page, PageKind};
use crate::content::{Entry, Playbook, url_slug};

/// The entries that differ between two playbooks, by key.
pub struct Dirty {
    /// Re-read (or added, or removed): their own pages change.
    content: HashSet<String>,
    /// Whose card changed (title, date, summary, tags, kind, draft, or added or removed): every
    /// page that lists or links to them changes too.
    cards: HashSet<String>,
    /// Some re-read entry names other people than before (people are not on cards).
    people_changed: bool,
    /// Some re-read entry's own fields changed (progress, actions, impact…: not on cards).
    fields_changed: bool,
    /// Some re-read entry's body words changed (the search index holds them).
    words_changed: bool,
}

impl Dirty {
    /// Whether the set of pages and their order are as before: no card changed and nobody
    /// was added to or dropped from an entry.
    pub fn same_pages(&self) -> bool {
        self.cards.is_empty() && !self.people_changed
    }
}

/// What changed from `old` to `new`; `None` when every page must be rendered, because the
/// number of entries of some kind changed (every page shows the counts in its navigation).
pub fn dirty_entries(
    old: &Playbook,
    new: &Playbook,
    old_cards: &[Value],
    new_cards: &[Value],
) -> Option<Dirty> {
    let counts = |p: &Playbook| p.by_kind.iter().map(Vec::len).collect::<Vec<_>>();
    if counts(old) != counts(new) {
        return None;
    }
    let mut dirty = Dirty {
        content: HashSet::new(),
        cards: HashSet::new(),
        people_changed: false,
        fields_changed: false,
        words_changed: false,
    };
    let mut all_found = true;
    for (index, entry) in new.entries.iter().enumerate() {
        match old.index_of(&entry.key) {
            Some(old_index) if Arc::ptr_eq(&old.entries[old_index], entry) => {}
            Some(old_index) => {
                dirty.content.insert(entry.key.clone());
                if old_cards[old_index] != new_cards[index] {
                    dirty.cards.insert(entry.key.clone());
                }
                let before = &old.entries[old_index];
                dirty.people_changed |= before.people != entry.people;
                dirty.fields_changed |= before.fields != entry.fields;
                dirty.words_changed |= before.search_words != entry.search_words;
            }
            None => {
                all_found = false;
                dirty.content.insert(entry.key.clone());
                dirty.cards.insert(entry.key.clone());
            }
        }
    }
    // As many entries as before, every one of them found among the old: none was removed.
    let none_removed = all_found && old.entries.len() == new.entries.len();
    for entry in old.entries.iter().filter(|_| !none_removed) {
        if new.index_of(&entry.key).is_none() {
            dirty.content.insert(entry.key.clone());
            dirty.cards.insert(entry.key.clone());
        }
    }
    Some(dirty)
}

/// The keys an entry page shows besides its own: related entries, entries its fields refer
/// to, entries that point to it, and its neighbours within its kind.
fn entry_links(playbook: &Playbook, index: usize) -> Vec<&str> {
    let entry = &playbook.entries[index];
    let mut keys: Vec<&str> = entry.related.iter().map(String::as_str).collect();
    keys.extend(entry.references.iter().map(|r| r.target.as_str()));
    keys.extend(
        playbook.backlinks[index]
            .iter()
            .map(|&i| playbook.entries[i].key.as_str()),
    );
    let siblings = &playbook.by_kind[entry.kind];
    if let Ok(position) = siblings.binary_search(&index) {
        for neighbour in [position.checked_sub(1), Some(position + 1)]
            .into_iter()
            .flatten()
        {
            if let Some(&i) = siblings.get(neighbour) {
                keys.push(&playbook.entries[i].key);
            }
        }
    }
    keys
}

/// The pages of `new` to render again after the change `dirty` from `old`; pages of `old`
/// missing from `new` are for the caller to drop.
pub fn pages_to_render<'p>(
    old: &Playbook,
    new: &Playbook,
    dirty: &Dirty,
    pages: &'p [Page],
) -> Vec<&'p Page> {
    // What the card-dirty entries touched, before and after: kinds, tag pages, person pages.
    let versions = |key: &String| -> Vec<&Arc<Entry>> {
        [
            old.index_of(key).map(|i| &old.entries[i]),
            new.index_of(key).map(|i| &new.entries[i]),
        ]
        .into_iter()
        .flatten()
        .collect()
    };
    let mut kinds = HashSet::new();
    let mut tags = HashSet::new();
    let mut people = HashSet::new();
    for key in &dirty.cards {
        for entry in versions(key) {
            kinds.insert(entry.kind);
            tags.extend(entry.tags.iter().map(|t| url_slug(t)));
            people.extend(entry.people.iter().map(|p| url_slug(p)));
        }
    }
    // People are not on cards: an entry that now names someone else changes both pages.
    for key in &dirty.content {
        if let [before, after] = versions(key)[..]
            && before.people != after.people
        {
            // Every page of both lists: a person's page shows the spelling first used.
            people.extend(
                before
                    .person_slugs
                    .iter()
                    .chain(&after.person_slugs)
                    .cloned(),
            );
        }
    }
    // The entries a re-read entry pointed to, or points to now, list it among their backlinks.
    let targets: HashSet<&str> = dirty
        .content
        .iter()
        .flat_map(versions)
        .flat_map(|entry| entry.references.iter().map(|r| r.target.as_str()))
        .collect();
    let any_card = !dirty.cards.is_empty();
    if !any_card {
        // No card changed (the usual edit: the body of one entry), so no other page shows
        // anything new, except where an entry now names other people.
        return pages
            .iter()
            .filter(|page| match page.kind {
                PageKind::Entry(index) => {
                    let key = &new.entries[index].key;
                    dirty.content.contains(key) || targets.contains(key.as_str())
                }
                PageKind::Person(index) => people.contains(&new.people[index].slug),
                PageKind::People => !people.is_empty(),
                // Goals' progress, open actions, impact and tone are fields, not on cards.
                PageKind::Dashboard | PageKind::Prep | PageKind::Reviews | PageKind::Review(_) => {
                    dirty.fields_changed || dirty.people_changed
                }
                PageKind::SearchIndex => dirty.words_changed || dirty.people_changed,
                _ => false,
            })
            .collect();
    }
    pages
        .iter()
        .filter(|page| match page.kind {
            PageKind::Entry(index) => {
                let entry = &new.entries[index];
                let links = entry_links(new, index);
                let before = old.index_of(&entry.key).map(|i| entry_links(old, i));
                dirty.content.contains(&entry.key)
                    || targets.contains(entry.key.as_str())
                    || before.as_ref() != Some(&links)
                    || links.iter().any(|key| dirty.cards.contains(*key))
            }
            PageKind::KindList(kind) => kinds.contains(&kind),
            PageKind::Tag(index) => tags.contains(&new.tags[index].slug),
            PageKind::Person(index) => people.contains(&new.people[index].slug),
            // A practice's chart spans the whole playbook's months: any new date can change it.
            PageKind::Tags | PageKind::Timeline | PageKind::Practices | PageKind::Practice(_) => {
                any_card
            }
            // The index counts each person's entries, which change without any card changing.
            PageKind::People => any_card || !people.is_empty(),
            // Goals' progress and open actions are not on cards: the dashboard always renders.
            // Impact, metrics, tone and status are not on cards either.
            PageKind::Dashboard | PageKind::Prep | PageKind::Reviews | PageKind::Review(_) => true,
            // Every edit changes some entry's searchable text.
            PageKind::SearchIndex => true,
            PageKind::NotFound | PageKind::Search => false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::config::Config;
    use crate::content::parse::parse_entry;
    use crate::render::{Links, make_cards, plan_pages};

    /// The entry `key` (`<kind-folder>/<slug>`) with front matter `front` and body `body`.
    fn entry(key: &str, front: &str, body: &str) -> Arc<Entry> {
        let config = Config::default();
        let (folder, _) = key.split_once('/').expect("keys are <folder>/<slug>");
        let kind = config
            .schema
            .kind_by_folder(folder)
            .expect("a default kind");
        let rel = PathBuf::from(format!("content/{key}.md"));
        let text = format!("---\n{front}\n---\n{body}\n");
        let (entry, diagnostics) = parse_entry(&config, kind, &rel, &text);
        Arc::new(entry.unwrap_or_else(|| panic!("{key}: {diagnostics:?}")))
    }

    fn conversation(slug: &str, title: &str, tags: &str, people: &str) -> Arc<Entry> {
        let front = format!("title: {title}\ndate: 2026-01-05\ntags: [{tags}]\npeople: [{people}]");
        entry(&format!("conversations/{slug}"), &front, "We talked.")
    }

    fn playbook(entries: &[Arc<Entry>]) -> Playbook {
        Playbook::new(Config::default(), entries.to_vec())
    }

    /// The paths of the pages an edit from `old` to `new` renders again, sorted; `None` when
    /// every page is.
    fn rendered(old: &Playbook, new: &Playbook) -> Option<Vec<String>> {
        let links = Links::new(None);
        let (old_cards, new_cards) = (make_cards(old, &links, None), make_cards(new, &links, None));
        let dirty = dirty_entries(old, new, &old_cards, &new_cards)?;
        let pages = plan_pages(new);
        let mut paths: Vec<String> = pages_to_render(old, new, &dirty, &pages)
            .into_iter()
            .map(|page| page.path.clone())
            .collect();
        paths.sort();
        Some(paths)
    }

    /// Asserts that the edit from `old` to `new` renders every page of `yes` and none of `no`.
    fn assert_renders(old: &Playbook, new: &Playbook, yes: &[&str], no: &[&str]) {
        let paths = rendered(old, new).expect("the same counts of entries");
        for path in yes {
            assert!(paths.iter().any(|p| p == path), "{path} missing: {paths:?}");
        }
        for path in no {
            assert!(
                !paths.iter().any(|p| p == path),
                "{path} rendered: {paths:?}"
            );
        }
    }

    fn base() -> Vec<Arc<Entry>> {
        vec![
            conversation("a", "First talk", "ledger", "dana"),
            conversation("b", "Second talk", "hiring", "lee, dana"),
        ]
    }

    #[test]
    fn a_body_edit_renders_its_page_and_the_search_index_only() {
        let mut entries = base();
        let old = playbook(&entries);
        let front = "title: First talk\ndate: 2026-01-05\ntags: [ledger]\npeople: [dana]";
        entries[0] = entry("conversations/a", front, "We talked.\n\nAnd then some.");
        let new = playbook(&entries);
        assert_eq!(
            rendered(&old, &new).expect("same counts"),
            ["conversations/a/index.html", "search-index.js"]
        );
    }

    #[test]
    fn an_unchanged_playbook_renders_nothing() {
        let entries = base();
        let (old, new) = (playbook(&entries), playbook(&entries));
        assert_eq!(rendered(&old, &new), Some(Vec::new()));
    }

    #[test]
    fn a_new_title_renders_every_list_that_shows_the_card() {
        let mut entries = base();
        let old = playbook(&entries);
        entries[0] = conversation("a", "Renamed talk", "ledger", "dana");
        let new = playbook(&entries);
        assert_renders(
            &old,
            &new,
            &[
                "conversations/a/index.html",
                "conversations/index.html",
                "tags/ledger/index.html",
                "people/dana/index.html",
                "index.html",
                "timeline/index.html",
                "search-index.js",
            ],
            &[
                "tags/hiring/index.html",
                "people/lee/index.html",
                "404.html",
            ],
        );
    }

    #[test]
    fn naming_someone_else_renders_both_people_pages() {
        let mut entries = base();
        let old = playbook(&entries);
        entries[0] = conversation("a", "First talk", "ledger", "priya");
        let new = playbook(&entries);
        assert_renders(
            &old,
            &new,
            &[
                "people/dana/index.html",
                "people/priya/index.html",
                "people/index.html",
            ],
            &["people/lee/index.html", "conversations/b/index.html"],
        );
    }

    #[test]
    fn a_new_entry_renders_every_page_since_the_counts_change() {
        let mut entries = base();
        let old = playbook(&entries);
        entries.push(conversation("c", "Third talk", "ledger", "dana"));
        assert_eq!(rendered(&old, &playbook(&entries)), None);
    }
}
