//! The loaded playbook: entries sorted newest first, and the indexes every listing page reads.

// aHash instead of SipHash: these maps are rebuilt on every save in serve, and their keys are
// the playbook's own paths and tags, not input from an adversary.
use ahash::AHashMap as HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::date::EntryDate;
use super::fields::FieldValue;
use super::schema::{KindId, Practice};
use crate::config::Config;

/// A reference to another entry (`related:`, an achievement's `goal:`), with where it was
/// written, checked once every entry is loaded.
#[derive(Clone, Debug)]
pub struct Reference {
    pub field: String,
    pub target: String,
    /// The kind folder the target must be in, when the field says.
    pub folder: Option<String>,
    pub line: usize,
    pub column: usize,
}

/// One Markdown file under `content/`, parsed and checked.
#[derive(Clone, Debug)]
pub struct Entry {
    pub kind: KindId,
    pub slug: String,
    /// `<kind-folder>/<slug>`: how other entries refer to this one, and its URL path.
    pub key: String,
    /// Source path relative to the playbook root, for diagnostics.
    pub source: PathBuf,
    pub title: String,
    pub date: EntryDate,
    pub tags: Vec<String>,
    /// `url_slug` of each tag, made once when the entry is read.
    pub tag_slugs: Vec<String>,
    /// Every person id the entry names: `people:` plus `from`, `with` and `recognized_by`.
    pub people: Vec<String>,
    /// `url_slug` of each person id.
    pub person_slugs: Vec<String>,
    /// The kind's practice first, then the extra ones from `practices:`.
    pub practices: Vec<Practice>,
    /// `<kind-folder>/<slug>` keys of related entries.
    pub related: Vec<String>,
    pub draft: bool,
    /// Plain text for lists: `summary:` or the body's first paragraph.
    pub summary: String,
    /// The body's distinct words, lower-cased, for the search index; made once when the entry
    /// is read.
    pub search_words: String,
    /// The body rendered to HTML when the entry is read: one pass of the Markdown parser
    /// gives this, the summary and the search words (the source is not kept).
    pub html: String,
    /// The kind's own fields, aligned with the kind's field specs in the schema.
    pub fields: Vec<Option<FieldValue>>,
    pub references: Vec<Reference>,
}

/// Entries that share a tag.
#[derive(Debug)]
pub struct TagGroup {
    pub slug: String,
    /// The spelling of its first use.
    pub name: String,
    pub entries: Vec<usize>,
}

/// Entries that name one person.
#[derive(Debug)]
pub struct PersonGroup {
    pub id: String,
    pub slug: String,
    pub entries: Vec<usize>,
}

/// Entries of one calendar month.
#[derive(Debug)]
pub struct MonthGroup {
    pub year: i32,
    pub month: u8,
    pub entries: Vec<usize>,
}

/// Everything a render needs: config, entries, and the indexes into `entries`. The indexes are
/// shared (`Arc`), so that serve can keep them when an edit leaves them as they were.
#[derive(Debug)]
pub struct Playbook {
    pub config: Config,
    /// Newest first; every index below lists positions in this vector, newest first too.
    pub entries: Vec<Arc<Entry>>,
    /// Indexed by `KindId`.
    pub by_kind: Arc<Vec<Vec<usize>>>,
    /// Sorted by slug.
    pub tags: Arc<Vec<TagGroup>>,
    /// Sorted by id; configured people are listed even before an entry names them.
    pub people: Arc<Vec<PersonGroup>>,
    /// Newest month first.
    pub months: Arc<Vec<MonthGroup>>,
    /// For each practice (`Practice::ALL` order), the entries that show it, newest first.
    pub by_practice: Arc<Vec<Vec<usize>>>,
    /// For each entry, the entries that point to it (`related:` or a reference field such as
    /// an achievement's `goal:`), newest first.
    pub backlinks: Arc<Vec<Vec<usize>>>,
    by_key: Arc<HashMap<String, usize>>,
}

impl Playbook {
    pub fn new(config: Config, entries: Vec<Arc<Entry>>) -> Playbook {
        // Newest first. The dates are sorted beside their positions, not through the `Arc`s:
        // following 10,000 pointers at every comparison made this sort most of serve's
        // indexing time. Titles and keys break ties (keys are unique, so the order is total).
        let mut order: Vec<(EntryDate, usize)> = entries
            .iter()
            .enumerate()
            .map(|(index, entry)| (entry.date, index))
            .collect();
        order.sort_unstable_by(|(a_date, a), (b_date, b)| {
            let (a, b) = (&entries[*a], &entries[*b]);
            b_date
                .cmp(a_date)
                .then_with(|| a.title.cmp(&b.title))
                .then_with(|| a.key.cmp(&b.key))
        });
        let entries: Vec<Arc<Entry>> = order
            .into_iter()
            .map(|(_, index)| entries[index].clone())
            .collect();

        // Serve rebuilds this on every save: slugs come precomputed, groups are found without
        // allocating, and sorted once at the end.
        let mut by_kind: Vec<Vec<usize>> = vec![Vec::new(); config.schema.kinds.len()];
        let mut tags: HashMap<&str, TagGroup> = HashMap::default();
        // Keyed by URL slug, so `Dana` and `dana` are one person with one page; configured
        // people are listed even before an entry names them.
        let mut people: HashMap<String, PersonGroup> = config
            .people
            .keys()
            .map(|id| (url_slug(id), person_group(id)))
            .collect();
        let mut months: Vec<MonthGroup> = Vec::new();
        let mut by_key = HashMap::with_capacity(entries.len());

        for (index, entry) in entries.iter().enumerate() {
            by_key.insert(entry.key.clone(), index);
            by_kind[entry.kind].push(index);
            for (tag, slug) in entry.tags.iter().zip(&entry.tag_slugs) {
                tags.entry(slug)
                    .or_insert_with(|| TagGroup {
                        slug: slug.clone(),
                        name: tag.clone(),
                        entries: Vec::new(),
                    })
                    .entries
                    .push(index);
            }
            for (id, slug) in entry.people.iter().zip(&entry.person_slugs) {
                match people.get_mut(slug) {
                    Some(group) => group.entries.push(index),
                    None => {
                        let mut group = person_group(id);
                        group.entries.push(index);
                        people.insert(slug.clone(), group);
                    }
                }
            }
            let (year, month) = (entry.date.year(), entry.date.month());
            match months.last_mut() {
                Some(group) if group.year == year && group.month == month => {
                    group.entries.push(index)
                }
                _ => months.push(MonthGroup {
                    year,
                    month,
                    entries: vec![index],
                }),
            }
        }

        let mut by_practice = vec![Vec::new(); Practice::ALL.len()];
        for (index, entry) in entries.iter().enumerate() {
            for practice in &entry.practices {
                by_practice[*practice as usize].push(index);
            }
        }
        let mut backlinks = vec![Vec::new(); entries.len()];
        for (index, entry) in entries.iter().enumerate() {
            // `references` holds every reference field's values, `related:` among them.
            for target in entry.references.iter().map(|r| &r.target) {
                if let Some(&target) = by_key.get(target)
                    && target != index
                    && backlinks[target].last() != Some(&index)
                {
                    backlinks[target].push(index);
                }
            }
        }
        let mut tags: Vec<TagGroup> = tags.into_values().collect();
        tags.sort_by(|a, b| a.slug.cmp(&b.slug));
        let mut people: Vec<PersonGroup> = people.into_values().collect();
        people.sort_by(|a, b| a.slug.cmp(&b.slug));
        Playbook {
            config,
            entries,
            by_kind: Arc::new(by_kind),
            tags: Arc::new(tags),
            people: Arc::new(people),
            months: Arc::new(months),
            by_practice: Arc::new(by_practice),
            backlinks: Arc::new(backlinks),
            by_key: Arc::new(by_key),
        }
    }

    /// This playbook with `updated` entries in place of the ones with their keys, sharing its
    /// indexes, when each updated entry would sit in the same place of every index (same key,
    /// kind, date, title, tags, people, practices, references and draft state: an edit to the
    /// text or to a field no index uses). `None` when an index would change: then the
    /// playbook has to be built anew. Serve's common case (a body edited) costs no re-indexing.
    pub fn with_updated(&self, updated: &[Arc<Entry>]) -> Option<Playbook> {
        let mut entries = self.entries.clone();
        for entry in updated {
            let index = self.index_of(&entry.key)?;
            let old = &self.entries[index];
            let same_place = old.kind == entry.kind
                && old.date == entry.date
                && old.title == entry.title
                && old.draft == entry.draft
                && old.tag_slugs == entry.tag_slugs
                && old.tags == entry.tags
                && old.people == entry.people
                && old.practices == entry.practices
                && old.related == entry.related
                && old
                    .references
                    .iter()
                    .map(|r| &r.target)
                    .eq(entry.references.iter().map(|r| &r.target));
            if !same_place {
                return None;
            }
            entries[index] = entry.clone();
        }
        Some(Playbook {
            config: self.config.clone(),
            entries,
            by_kind: self.by_kind.clone(),
            tags: self.tags.clone(),
            people: self.people.clone(),
            months: self.months.clone(),
            by_practice: self.by_practice.clone(),
            backlinks: self.backlinks.clone(),
            by_key: self.by_key.clone(),
        })
    }

    /// The value of field `name` of the entry's kind, if the entry has it.
    pub fn field<'a>(&self, entry: &'a Entry, name: &str) -> Option<&'a FieldValue> {
        let (position, _) = self.config.schema.kind(entry.kind).field(name)?;
        entry.fields.get(position)?.as_ref()
    }

    /// Position in `entries` of the entry with key `<kind-folder>/<slug>`.
    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }
}

fn person_group(id: &str) -> PersonGroup {
    PersonGroup {
        id: id.to_string(),
        slug: url_slug(id),
        entries: Vec::new(),
    }
}

/// Lower-case ASCII letters and digits, every other run of characters made one `-`, no `-` at
/// either end: `Café Notes (v2)` becomes `caf-notes-v2`. The SPEC's rule for entry slugs.
pub fn slugify(text: &str) -> String {
    slug_keeping(text, |c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// Longest page address segment (slug, tag or person address), in bytes. A file system takes
/// 255 bytes per name, and a build or publish adds a prefix or suffix to some names; nobody
/// tells a tag or a slug of this length apart from a shorter one.
pub const MAX_SLUG_BYTES: usize = 120;

/// Why `segment`, the page address made from `what`, cannot be a file name, if it cannot.
pub fn too_long_for_a_file_name(what: &str, segment: &str) -> Option<String> {
    (segment.len() > MAX_SLUG_BYTES).then(|| {
        format!(
            "{what} is too long to name a page: its address would be {} bytes, and at most \
             {MAX_SLUG_BYTES} fit; shorten it",
            segment.len()
        )
    })
}

/// The URL segment of a tag or a person: like `slugify`, but letters and digits of every
/// script are kept, so `日本` and `Café` get pages of their own (`日本`, `café`).
pub fn url_slug(text: &str) -> String {
    slug_keeping(text, char::is_alphanumeric)
}

fn slug_keeping(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if keep(c) {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_keeps_the_url_alphabet() {
        assert_eq!(
            slugify("Asked Dana: how to rank?"),
            "asked-dana-how-to-rank"
        );
        assert_eq!(slugify("Café Notes (v2)"), "caf-notes-v2");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("***"), "");
    }

    #[test]
    fn url_slugs_keep_every_script() {
        assert_eq!(url_slug("日本"), "日本");
        assert_eq!(url_slug("Café Notes"), "café-notes");
        assert_eq!(url_slug("Dana"), "dana");
        assert_eq!(url_slug("../x"), "x");
        assert_eq!(url_slug("!!!"), "");
    }
}
