//! The entry page: the body, and a panel that says the kind's fields in words a person reads.

use serde::Serialize;
use tera::{Context, Value};

use super::{PersonView, Renderer};
use crate::content::{Entry, EntryDate, FieldValue};
use crate::error::Diagnostic;
use crate::schema::{FieldSpec, FieldType, Section, Widget, field};

#[derive(Serialize)]
struct DateView {
    long: String,
    iso: String,
}

impl From<&EntryDate> for DateView {
    fn from(date: &EntryDate) -> Self {
        DateView {
            long: date.long(),
            iso: date.iso(),
        }
    }
}

#[derive(Serialize)]
struct ChecklistItem<'a> {
    task: &'a str,
    done: bool,
}

/// How one field is shown; `widget` tells the template which of the shapes it is.
#[derive(Serialize)]
#[serde(tag = "widget", rename_all = "snake_case")]
enum FactValue<'a> {
    Text {
        text: String,
    },
    Date {
        date: DateView,
    },
    Progress {
        percent: i64,
    },
    People {
        people: Vec<PersonView<'a>>,
    },
    Entries {
        entries: Vec<Value>,
    },
    List {
        items: Vec<String>,
    },
    Checklist {
        items: Vec<ChecklistItem<'a>>,
        done: usize,
    },
    Table {
        columns: Vec<&'a str>,
        rows: Vec<Vec<String>>,
    },
}

#[derive(Serialize)]
struct Fact<'a> {
    name: &'a str,
    label: &'a str,
    #[serde(flatten)]
    value: FactValue<'a>,
}

#[derive(Serialize)]
struct CompetencyLink<'a> {
    name: &'a str,
    url: String,
}

/// The entry before or after in its kind.
#[derive(Serialize)]
struct Neighbour<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct EntryView<'a> {
    card: Value,
    body: String,
    source: String,
    practices: Vec<&'static str>,
    /// The ladder's competencies it names, each linked to its row of the ladder page.
    competencies: Vec<CompetencyLink<'a>>,
    people: Vec<PersonView<'a>>,
    /// The cards (`card.html` of each) of the entries it lists under `related:`, of those
    /// that name it in a field (an achievement's `goal:`), newest first, and of those that
    /// list it under `related:`.
    related_html: String,
    named_by_html: String,
    linked_from_html: String,
    /// Neighbours within the entry's kind, for reading a kind from one entry to the next.
    newer: Option<Neighbour<'a>>,
    older: Option<Neighbour<'a>>,
    facts: Vec<Fact<'a>>,
}

pub(super) fn entry_page(
    r: &Renderer<'_>,
    index: usize,
    root: &str,
    context: &mut Context,
) -> Result<&'static str, Diagnostic> {
    let entry = &r.playbook.entries[index];
    let spec = r.playbook.config.schema.kind(entry.kind);
    // `by_kind` lists entry positions in ascending order, so the entry can be found by bisection.
    let siblings = &r.playbook.by_kind[entry.kind];
    let position = siblings.binary_search(&index).ok();
    let neighbour = |at: Option<usize>| {
        at.and_then(|at| siblings.get(at)).map(|&i| {
            let entry = &r.playbook.entries[i];
            Neighbour {
                title: &entry.title,
                url: r.links.folder(&format!("{}/", entry.key)),
            }
        })
    };
    let facts = spec
        .fields
        .iter()
        .zip(&entry.fields)
        .filter_map(|(field, value)| {
            let value = fact_value(r, field, &field.ty, value.as_ref()?)?;
            Some(Fact {
                name: &field.name,
                label: &field.label,
                value,
            })
        })
        .collect();
    let related: Vec<usize> = (entry.related.iter())
        .filter_map(|key| r.playbook.index_of(key))
        .collect();
    let (named_by, linked_from) = (backlinks(r, index, true), backlinks(r, index, false));
    let view = EntryView {
        card: r.card_value(index),
        body: entry.html.unpack(),
        source: entry.source.to_string_lossy().replace('\\', "/"),
        practices: entry.practices.iter().map(|p| p.label()).collect(),
        competencies: competency_links(r, entry),
        people: entry.people.iter().map(|id| r.person_link(id)).collect(),
        related_html: r.cards_html(&related, root)?,
        named_by_html: r.cards_html(&named_by, root)?,
        linked_from_html: r.cards_html(&linked_from, root)?,
        newer: neighbour(position.and_then(|p| p.checked_sub(1))),
        older: neighbour(position.map(|p| p + 1)),
        facts,
    };
    context.insert("entry", &view);
    Ok("entry.html")
}

fn competency_links<'a>(r: &Renderer<'a>, entry: &'a Entry) -> Vec<CompetencyLink<'a>> {
    let ladder = r.links.folder(&Section::Ladder.path(""));
    let ladder_competencies = &r.playbook.config.ladder;
    entry
        .competencies
        .iter()
        .filter_map(|id| ladder_competencies.iter().find(|c| &c.id == id))
        .map(|competency| CompetencyLink {
            name: &competency.name,
            url: format!("{ladder}#competency-{}", competency.id),
        })
        .collect()
}

/// The entries pointing at entry `index`: through a field of their own (`named`, such as an
/// achievement's `goal:`) or through `related:`.
fn backlinks(r: &Renderer<'_>, index: usize, named: bool) -> Vec<usize> {
    let key = &r.playbook.entries[index].key;
    r.playbook.backlinks[index]
        .iter()
        .filter(|&&source| {
            r.playbook.entries[source]
                .references
                .iter()
                .any(|reference| {
                    reference.target == *key && (reference.field != field::RELATED) == named
                })
        })
        .copied()
        .collect()
}

/// The shape a field takes on the page; `None` when there is nothing to show (an empty list,
/// a reference to a draft that is left out).
fn fact_value<'a>(
    r: &Renderer<'a>,
    spec: &'a FieldSpec,
    ty: &'a FieldType,
    value: &'a FieldValue,
) -> Option<FactValue<'a>> {
    Some(match (ty, value) {
        (FieldType::Integer { .. }, FieldValue::Integer(n)) if spec.widget == Widget::Progress => {
            FactValue::Progress { percent: *n }
        }
        (FieldType::Date, FieldValue::Date(date)) => FactValue::Date { date: date.into() },
        (FieldType::Person, FieldValue::Text(id)) => FactValue::People {
            people: vec![r.person_link(id)],
        },
        (FieldType::Reference(_), FieldValue::Text(key)) => FactValue::Entries {
            entries: vec![r.card_value(r.playbook.index_of(key)?)],
        },
        (FieldType::Bool, FieldValue::Bool(b)) => FactValue::Text {
            text: spec
                .words_for(&b.to_string())
                .unwrap_or(if *b { "Yes" } else { "No" })
                .to_string(),
        },
        (FieldType::List(item), FieldValue::List(items)) if !items.is_empty() => {
            return list_fact(r, spec, item, items);
        }
        (FieldType::List(_), _) => return None,
        (_, other) => FactValue::Text {
            text: in_words(spec, plain_text(other)),
        },
    })
}

/// The shape a list that is not empty takes, by its item type; `None` when none of the
/// entries it names is shown.
fn list_fact<'a>(
    r: &Renderer<'a>,
    spec: &'a FieldSpec,
    item: &'a FieldType,
    items: &'a [FieldValue],
) -> Option<FactValue<'a>> {
    Some(match (item, spec.widget) {
        (FieldType::Record(fields), Widget::Checklist) => checklist(fields, items),
        (FieldType::Record(fields), _) => table(fields, items),
        (FieldType::Person, _) => FactValue::People {
            people: items
                .iter()
                .filter_map(FieldValue::as_text)
                .map(|id| r.person_link(id))
                .collect(),
        },
        (FieldType::Reference(_), _) => {
            let entries: Vec<Value> = items
                .iter()
                .filter_map(FieldValue::as_text)
                .filter_map(|key| r.playbook.index_of(key))
                .map(|i| r.card_value(i))
                .collect();
            if entries.is_empty() {
                return None;
            }
            FactValue::Entries { entries }
        }
        _ => FactValue::List {
            items: items
                .iter()
                .map(|v| in_words(spec, plain_text(v)))
                .collect(),
        },
    })
}

/// Records of a task and whether it is done, as a checklist that counts the done ones.
fn checklist<'a>(fields: &[FieldSpec], items: &'a [FieldValue]) -> FactValue<'a> {
    let value_of = |record: &'a [Option<FieldValue>], name: &str| {
        let at = fields.iter().position(|f| f.name == name)?;
        record.get(at)?.as_ref()
    };
    let items: Vec<ChecklistItem<'a>> = records(items)
        .map(|record| ChecklistItem {
            task: value_of(record, field::TASK)
                .and_then(FieldValue::as_text)
                .unwrap_or(""),
            done: value_of(record, field::DONE)
                .and_then(FieldValue::as_bool)
                .unwrap_or(false),
        })
        .collect();
    let done = items.iter().filter(|i| i.done).count();
    FactValue::Checklist { items, done }
}

/// Records as a table: a column per field, a row per record.
fn table<'a>(fields: &'a [FieldSpec], items: &'a [FieldValue]) -> FactValue<'a> {
    FactValue::Table {
        columns: fields.iter().map(|f| f.label.as_str()).collect(),
        rows: records(items)
            .map(|record| {
                record
                    .iter()
                    .map(|v| v.as_ref().map(plain_text).unwrap_or_default())
                    .collect()
            })
            .collect(),
    }
}

/// A raw value in the words the schema gives for it, if it gives some.
fn in_words(spec: &FieldSpec, raw: String) -> String {
    spec.words_for(&raw).map(str::to_string).unwrap_or(raw)
}

fn records(items: &[FieldValue]) -> impl Iterator<Item = &[Option<FieldValue>]> {
    items.iter().filter_map(|item| match item {
        FieldValue::Record(record) => Some(record.as_slice()),
        _ => None,
    })
}

/// A value as plain words, for table cells and lists.
fn plain_text(value: &FieldValue) -> String {
    match value {
        FieldValue::Text(text) => text.clone(),
        FieldValue::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        FieldValue::Date(date) => date.long(),
        FieldValue::Integer(n) => n.to_string(),
        FieldValue::List(items) => items.iter().map(plain_text).collect::<Vec<_>>().join(", "),
        FieldValue::Record(values) => values
            .iter()
            .flatten()
            .map(plain_text)
            .collect::<Vec<_>>()
            .join(", "),
    }
}
