//! Which pages an edit touches. `shows` declares, once, what each page shows of which
//! entries; an edit is turned into the parts of each entry that changed (`Parts`), and a page
//! is rendered again only where the two meet. Entries that were not re-read are the same
//! `Arc`, and `Delta` names the others. The same declaration prices a page
//! (`entries_shown`), so that serve can render an edit's cheap pages first.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{Card, Page, PageKind};
use crate::content::model::{MonthGroup, Reference};
use crate::content::{Delta, Entry, KindId, Playbook};
use crate::schema::kind_name;

/// Parts of an entry that a page can show, as a set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Parts(u8);

impl Parts {
    pub const NONE: Parts = Parts(0);
    /// Anything of it: its own page shows it all.
    pub const ANY: Parts = Parts(1);
    /// Its card (title, date, summary, tags, kind, draft, practices): what lists show.
    pub const CARD: Parts = Parts(1 << 1);
    /// Who it names.
    pub const PEOPLE: Parts = Parts(1 << 2);
    /// The kind's own fields (status, progress, actions, impact, tone…).
    pub const FIELDS: Parts = Parts(1 << 3);
    /// The body's words, which the search index holds.
    pub const WORDS: Parts = Parts(1 << 4);
    /// The entries it refers to, and through which field: their pages list it.
    pub const REFERENCES: Parts = Parts(1 << 5);
    /// Its date and its practices, which are on its card too, but also decide which review
    /// packets hold it and in which section (`PageKind::Reviews` counts them).
    pub const DATE: Parts = Parts(1 << 6);
    pub const PRACTICES: Parts = Parts(1 << 7);
    /// Every part: an entry added or removed.
    pub const ALL: Parts = Parts(u8::MAX);

    pub const fn with(self, other: Parts) -> Parts {
        Parts(self.0 | other.0)
    }

    pub fn meets(self, other: Parts) -> bool {
        self.0 & other.0 != 0
    }

    /// What differs between two versions of an entry, given their cards.
    pub fn changed(before: &Entry, after: &Entry, cards: (&Card, &Card)) -> Parts {
        let mut parts = Parts::ANY;
        let mut add = |differs: bool, part: Parts| {
            if differs {
                parts = parts.with(part);
            }
        };
        add(cards.0 != cards.1, Parts::CARD);
        add(before.people != after.people, Parts::PEOPLE);
        // Competencies are read where fields are: on packets and the ladder.
        let fields_differ =
            before.fields != after.fields || before.competencies != after.competencies;
        add(fields_differ, Parts::FIELDS);
        add(before.search_words != after.search_words, Parts::WORDS);
        add(before.date != after.date, Parts::DATE);
        add(before.practices != after.practices, Parts::PRACTICES);
        let reference = |r: &Reference| (r.field.clone(), r.target.clone());
        let same_references =
            (before.references.iter().map(reference)).eq(after.references.iter().map(reference));
        add(!same_references, Parts::REFERENCES);
        parts
    }
}

/// Which entries a page shows some parts of.
#[derive(Clone, Debug, PartialEq)]
pub enum Scope<'a> {
    Every,
    Kind(KindId),
    /// Entries with the tag of this slug.
    Tag(&'a str),
    /// Entries that name the person of this slug.
    Person(&'a str),
    /// Entries dated in this year.
    Year(i32),
    /// Entries that show the practice at this position of `Practice::ALL`.
    Practice(usize),
    /// The span of months from the oldest entry to the newest.
    Span,
    /// The entry at this position.
    Entry(usize),
    /// The entries the page of the entry at this position links to (see `entry_links`).
    LinkedFrom(usize),
}

/// The one declaration of what each page shows: of which entries, which parts. (Every page
/// also shows the number of entries of each kind in its navigation; `pages_to_render` renders
/// them all when those change.)
pub fn shows(page: PageKind, playbook: &Playbook) -> Vec<(Scope<'_>, Parts)> {
    const LISTED: Parts = Parts::CARD;
    match page {
        // Goals' progress, open actions, impact, metrics, tone and status are fields, and
        // the 1:1 page picks entries by person.
        PageKind::Dashboard | PageKind::Prep => {
            vec![(Scope::Every, LISTED.with(Parts::PEOPLE).with(Parts::FIELDS))]
        }
        // How many pieces of evidence each period's packet holds: which entries are dated in
        // it, their sections (kind, fields, practices), and the work toward goals.
        PageKind::Reviews => vec![(
            Scope::Every,
            (Parts::DATE.with(Parts::PRACTICES))
                .with(Parts::FIELDS)
                .with(Parts::REFERENCES),
        )],
        // A period's packet: its entries, their people, fields, competencies and the goals
        // they refer to; and the goals, of any date, that were in progress then.
        PageKind::Review(period) => {
            let goals = playbook.config.schema.kind_by_name(kind_name::GOAL);
            let mut shown = vec![(
                Scope::Year(period.year),
                LISTED
                    .with(Parts::PEOPLE)
                    .with(Parts::FIELDS)
                    .with(Parts::REFERENCES),
            )];
            shown.extend(goals.map(|kind| (Scope::Kind(kind), LISTED.with(Parts::FIELDS))));
            shown
        }
        // Each quarter's packet, counted by competency (in the fields).
        PageKind::Ladder => vec![(
            Scope::Every,
            (Parts::DATE.with(Parts::PRACTICES))
                .with(Parts::FIELDS)
                .with(Parts::REFERENCES),
        )],
        PageKind::SearchIndex => {
            vec![(Scope::Every, LISTED.with(Parts::PEOPLE).with(Parts::WORDS))]
        }
        PageKind::KindList(kind) => vec![(Scope::Kind(kind), LISTED)],
        // Each tag's count, and its spelling of first use.
        PageKind::Tags => vec![(Scope::Every, LISTED)],
        PageKind::Tag(index) => vec![(Scope::Tag(&playbook.tags[index].slug), LISTED)],
        // Each person's count, and their spelling of first use.
        PageKind::People => vec![(Scope::Every, Parts::PEOPLE.with(LISTED))],
        PageKind::Person(index) => vec![(
            Scope::Person(&playbook.people[index].slug),
            LISTED.with(Parts::PEOPLE),
        )],
        PageKind::Timeline | PageKind::Practices => vec![(Scope::Every, LISTED)],
        // Its chart's axis spans the playbook's months.
        PageKind::Practice(index) => {
            vec![(Scope::Practice(index), LISTED), (Scope::Span, Parts::ANY)]
        }
        PageKind::Entry(index) => vec![
            (Scope::Entry(index), Parts::ANY),
            (Scope::LinkedFrom(index), LISTED.with(Parts::REFERENCES)),
        ],
        PageKind::Search | PageKind::NotFound => Vec::new(),
    }
}

/// How many entries `page` shows, read from the indexes its declaration (`shows`) names: the
/// measure of what rendering it costs. Rendering is mostly cards, one per entry shown, so a
/// page of 14,000 cards costs about 14,000 times one card; the count overestimates where a
/// page shows only some of a scope (a quarter's packet of its year), which errs on the
/// side of "big".
pub fn entries_shown(page: PageKind, playbook: &Playbook) -> usize {
    shows(page, playbook)
        .iter()
        .map(|(scope, _)| scope_size(scope, playbook))
        .sum()
}

/// How many entries `scope` holds in `playbook`.
fn scope_size(scope: &Scope, playbook: &Playbook) -> usize {
    let count = |list: Option<&Vec<usize>>| list.map_or(0, Vec::len);
    match scope {
        Scope::Every => playbook.entries.len(),
        Scope::Kind(kind) => count(playbook.by_kind.get(*kind)),
        Scope::Tag(slug) => count(
            (playbook.tags.iter())
                .find(|tag| tag.slug == *slug)
                .map(|tag| &tag.entries),
        ),
        Scope::Person(slug) => count(
            (playbook.people.iter())
                .find(|person| person.slug == *slug)
                .map(|person| &person.entries),
        ),
        Scope::Year(year) => (playbook.months.iter())
            .filter(|month| month.year == *year)
            .map(|month| month.entries.len())
            .sum(),
        Scope::Practice(index) => count(playbook.by_practice.get(*index)),
        // The chart's axis: a label per month, no entry.
        Scope::Span => 0,
        Scope::Entry(_) => 1,
        Scope::LinkedFrom(index) => entry_links(playbook, *index).len(),
    }
}

/// The keys an entry page shows besides its own: related entries, entries its fields refer
/// to, entries that point to it, and its neighbours within its kind. The relation is
/// symmetric: the pages that show an entry are the pages of the entries its page shows.
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

/// What an edit changed, by scope: the inverse of `shows`.
#[derive(Debug, Default)]
struct Touched {
    every: Parts,
    kinds: HashMap<KindId, Parts>,
    tags: HashMap<String, Parts>,
    people: HashMap<String, Parts>,
    years: HashMap<i32, Parts>,
    /// By position in `Practice::ALL`.
    practices: HashMap<usize, Parts>,
    /// Whether the span of months changed.
    span: bool,
    /// New positions of entries that changed.
    entries: HashSet<usize>,
    /// New positions of entries whose pages show a changed entry.
    linked: HashMap<usize, Parts>,
}

impl Touched {
    fn new(old: &Playbook, new: &Playbook, delta: &Delta, cards: (&[Card], &[Card])) -> Touched {
        let mut touched = Touched::default();
        for &(before, after) in &delta.changed {
            let parts = match (before, after) {
                (Some(o), Some(n)) => {
                    Parts::changed(&old.entries[o], &new.entries[n], (&cards.0[o], &cards.1[n]))
                }
                _ => Parts::ALL,
            };
            touched.every = touched.every.with(parts);
            let versions = [(old, before), (new, after)];
            for (playbook, position) in versions {
                let Some(position) = position else { continue };
                let entry = &playbook.entries[position];
                let add = |map: &mut HashMap<String, Parts>, slug: &String| {
                    let at = map.entry(slug.clone()).or_default();
                    *at = at.with(parts);
                };
                entry
                    .tag_slugs
                    .iter()
                    .for_each(|s| add(&mut touched.tags, s));
                entry
                    .person_slugs
                    .iter()
                    .for_each(|s| add(&mut touched.people, s));
                let kind = touched.kinds.entry(entry.kind).or_default();
                *kind = kind.with(parts);
                let year = touched.years.entry(entry.date.year()).or_default();
                *year = year.with(parts);
                for practice in &entry.practices {
                    let at = touched.practices.entry(*practice as usize).or_default();
                    *at = at.with(parts);
                }
                for key in entry_links(playbook, position) {
                    if let Some(linked) = new.index_of(key) {
                        let at = touched.linked.entry(linked).or_default();
                        *at = at.with(parts);
                    }
                }
            }
            touched.entries.extend(after);
        }
        let span = |p: &Playbook| {
            let month = |m: Option<&MonthGroup>| m.map(|m| (m.year, m.month));
            (month(p.months.first()), month(p.months.last()))
        };
        touched.span = span(old) != span(new);
        touched
    }

    /// The parts changed of the entries in `scope`.
    fn parts(&self, scope: &Scope) -> Parts {
        let found = |parts: Option<&Parts>| parts.copied().unwrap_or_default();
        match scope {
            Scope::Every => self.every,
            Scope::Kind(kind) => found(self.kinds.get(kind)),
            Scope::Tag(slug) => found(self.tags.get(*slug)),
            Scope::Person(slug) => found(self.people.get(*slug)),
            Scope::Year(year) => found(self.years.get(year)),
            Scope::Practice(index) => found(self.practices.get(index)),
            Scope::Span => match self.span {
                true => Parts::ALL,
                false => Parts::NONE,
            },
            Scope::Entry(index) => match self.entries.contains(index) {
                true => Parts::ALL,
                false => Parts::NONE,
            },
            Scope::LinkedFrom(index) => found(self.linked.get(index)),
        }
    }
}

/// Whether `new` has the pages `old` has, by path: no entry added or removed (`delta`), and
/// the same tags, people and review periods.
pub fn same_pages(old: &Playbook, new: &Playbook, delta: &Delta) -> bool {
    let periods = super::review_pages::periods;
    let same_tags = Arc::ptr_eq(&old.tags, &new.tags)
        || (old.tags.iter().map(|t| &t.slug)).eq(new.tags.iter().map(|t| &t.slug));
    let same_people = Arc::ptr_eq(&old.people, &new.people)
        || (old.people.iter().map(|p| &p.slug)).eq(new.people.iter().map(|p| &p.slug));
    delta
        .changed
        .iter()
        .all(|(o, n)| o.is_some() && n.is_some())
        && same_tags
        && same_people
        && (Arc::ptr_eq(&old.months, &new.months) || periods(old) == periods(new))
}

/// The pages of `new` (planned as `pages`) to render again after the change `delta` from
/// `old`; `None` when every page must be, because the number of entries of some kind changed
/// (every page shows the counts in its navigation). `cards` are the old and the new cards.
/// Pages of `old` missing from `new` are for the caller to drop.
pub fn pages_to_render<'p>(
    old: &Playbook,
    new: &Playbook,
    delta: &Delta,
    cards: (&[Card], &[Card]),
    pages: &'p [Page],
) -> Option<Vec<&'p Page>> {
    let counts = |p: &Playbook| p.by_kind.iter().map(Vec::len).collect::<Vec<_>>();
    if counts(old) != counts(new) {
        return None;
    }
    let touched = Touched::new(old, new, delta, cards);
    Some(
        pages
            .iter()
            .filter(|page| {
                shows(page.kind, new)
                    .iter()
                    .any(|(scope, parts)| touched.parts(scope).meets(*parts))
            })
            .collect(),
    )
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
        let delta = Delta::between(old, new);
        let (old_cards, new_cards) = (make_cards(old, &links, None), make_cards(new, &links, None));
        let pages = plan_pages(new);
        let mut paths: Vec<String> =
            pages_to_render(old, new, &delta, (&old_cards, &new_cards), &pages)?
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
    fn the_reviews_index_renders_when_what_packets_count_changes_not_for_a_title() {
        let mut entries = base();
        let old = playbook(&entries);
        entries[0] = conversation("a", "Renamed talk", "ledger", "dana");
        let renamed = playbook(&entries);
        assert_renders(
            &old,
            &renamed,
            &["review/2026/index.html"],
            &["review/index.html"],
        );
        // Celebrating someone puts the talk among a packet's loyalty and support.
        let front = "title: First talk\ndate: 2026-01-05\ntags: [ledger]\npeople: [dana]\n\
                     practices: [celebrate-and-support]";
        entries = base();
        entries[0] = entry("conversations/a", front, "We talked.");
        assert_renders(&old, &playbook(&entries), &["review/index.html"], &[]);
        entries = base();
        let front = "title: First talk\ndate: 2026-04-05\ntags: [ledger]\npeople: [dana]";
        entries[0] = entry("conversations/a", front, "We talked.");
        assert_renders(&old, &playbook(&entries), &["review/index.html"], &[]);
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

    fn dated(slug: &str, date: &str) -> Arc<Entry> {
        let front = format!("title: Talk {slug}\ndate: {date}\ntags: [ledger]\npeople: [dana]");
        entry(&format!("conversations/{slug}"), &front, "We talked.")
    }

    #[test]
    fn a_new_date_renders_both_years_and_the_old_and_new_neighbours() {
        let mut entries = vec![
            dated("a", "2026-01-05"),
            dated("b", "2026-01-04"),
            dated("c", "2025-06-01"),
            dated("d", "2025-05-20"),
        ];
        let old = playbook(&entries);
        // b moves from between a and c to between c and d.
        entries[1] = dated("b", "2025-05-25");
        let new = playbook(&entries);
        assert_renders(
            &old,
            &new,
            &[
                "conversations/a/index.html",
                "conversations/b/index.html",
                "conversations/c/index.html",
                "conversations/d/index.html",
                "review/2025/index.html",
                "review/2026/index.html",
                "timeline/index.html",
            ],
            &["404.html", "search/index.html"],
        );
    }

    #[test]
    fn a_goals_progress_renders_the_dashboard_and_its_year_not_the_lists() {
        let goal = |progress: u8| {
            let front = format!(
                "title: Ship the ledger\ndate: 2026-02-01\ntags: [ledger]\nprogress: {progress}"
            );
            entry("goals/ledger", &front, "The goal.")
        };
        let mut entries = base();
        entries.push(goal(10));
        let old = playbook(&entries);
        *entries.last_mut().expect("the goal") = goal(60);
        let new = playbook(&entries);
        assert_renders(
            &old,
            &new,
            &[
                "goals/ledger/index.html",
                "index.html",
                "prep/index.html",
                "review/2026/index.html",
            ],
            &[
                "goals/index.html",
                "tags/ledger/index.html",
                "timeline/index.html",
                "practices/index.html",
                "conversations/a/index.html",
            ],
        );
    }

    #[test]
    fn every_page_declares_what_it_shows_but_search_and_404() {
        let entries = base();
        let playbook = playbook(&entries);
        for page in plan_pages(&playbook) {
            let shown = shows(page.kind, &playbook);
            let fixed = matches!(page.kind, PageKind::Search | PageKind::NotFound);
            assert_eq!(shown.is_empty(), fixed, "{}", page.path);
        }
    }

    #[test]
    fn a_page_costs_the_entries_its_scopes_hold() {
        let mut entries = base();
        entries.push(conversation("c", "Third talk", "ledger", "dana"));
        let playbook = playbook(&entries);
        let cost = |path: &str| {
            let page = plan_pages(&playbook)
                .into_iter()
                .find(|page| page.path == path)
                .unwrap_or_else(|| panic!("{path} is planned"));
            entries_shown(page.kind, &playbook)
        };
        assert_eq!(cost("timeline/index.html"), 3);
        assert_eq!(cost("conversations/index.html"), 3);
        assert_eq!(cost("tags/ledger/index.html"), 2);
        assert_eq!(cost("tags/hiring/index.html"), 1);
        assert_eq!(cost("people/lee/index.html"), 1);
        // Itself, and its neighbours within its kind.
        assert_eq!(cost("conversations/b/index.html"), 3);
        assert_eq!(cost("404.html"), 0);
    }

    #[test]
    fn a_new_entry_renders_every_page_since_the_counts_change() {
        let mut entries = base();
        let old = playbook(&entries);
        entries.push(conversation("c", "Third talk", "ledger", "dana"));
        assert_eq!(rendered(&old, &playbook(&entries)), None);
    }
}
