//! The loaded playbook: entries sorted newest first, and the indexes every listing page reads.

use ahash::AHashMap as HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::date::EntryDate;
use super::fields::FieldValue;
use crate::config::Config;
use crate::markdown::PackedHtml;
use crate::schema::{KindId, Practice};

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
    /// Ids of the ladder's competencies it is evidence of.
    pub competencies: Vec<String>,
    pub draft: bool,
    /// Plain text for lists: `summary:` or the body's first paragraph.
    pub summary: String,
    /// The body's distinct words, lower-cased, for the search index, less those its title,
    /// tags, people and summary hold (search looks there first); made once when the entry is
    /// read, and the only copy the index is made from.
    pub search_words: String,
    /// The body rendered to HTML when the entry is read, packed until its page unpacks it:
    /// one pass of the Markdown parser gives this, the summary and the search words (the
    /// source is not kept).
    pub html: PackedHtml,
    /// The kind's own fields, aligned with the kind's field specs in the schema.
    pub fields: Vec<Option<FieldValue>>,
    pub references: Vec<Reference>,
}

/// Entries that share a tag.
#[derive(Debug, PartialEq)]
pub struct TagGroup {
    pub slug: String,
    /// The spelling of its first use.
    pub name: String,
    pub entries: Vec<usize>,
}

/// Entries that name one person.
#[derive(Debug, PartialEq)]
pub struct PersonGroup {
    pub id: String,
    pub slug: String,
    pub entries: Vec<usize>,
}

/// Entries of one calendar month.
#[derive(Debug, PartialEq)]
pub struct MonthGroup {
    pub year: i32,
    pub month: u8,
    pub entries: Vec<usize>,
}

/// Everything a render needs: config, entries, and the indexes into `entries` (built and
/// updated in `index`). The indexes are shared (`Arc`), so that serve keeps those an edit
/// leaves as they were.
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
    pub(super) by_key: Arc<HashMap<String, usize>>,
}

impl Playbook {
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
