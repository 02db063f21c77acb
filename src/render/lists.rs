//! Listing pages: one per kind, the tags and people indexes with a page per tag and person, and
//! the timeline. Each reads a precomputed index of the playbook.

use serde::Serialize;
use tera::{Context, Value};

use super::{PersonView, Renderer};
use crate::content::KindId;

#[derive(Serialize)]
struct Listing<'a> {
    title: &'a str,
    intro: &'a str,
    entries: Value,
}

/// One line of an index page: a tag or a person with the number of entries behind it.
#[derive(Serialize)]
struct Counted<T: Serialize> {
    #[serde(flatten)]
    item: T,
    count: usize,
}

fn counted<T: Serialize>(item: T, count: usize) -> Counted<T> {
    Counted { item, count }
}

pub(super) fn kind_list(r: &Renderer<'_>, kind: KindId, context: &mut Context) -> &'static str {
    let spec = r.playbook.config.schema.kind(kind);
    context.insert(
        "listing",
        &Listing {
            title: &spec.plural,
            intro: &spec.intro,
            entries: r.cards_of(&r.playbook.by_kind[kind]),
        },
    );
    "list.html"
}

pub(super) fn tags_index(r: &Renderer<'_>, context: &mut Context) -> &'static str {
    let tags: Vec<_> = r
        .playbook
        .tags
        .iter()
        .map(|tag| counted(super::tag_link(&tag.name, &r.links), tag.entries.len()))
        .collect();
    context.insert("tags", &tags);
    "tags.html"
}

pub(super) fn tag_page(r: &Renderer<'_>, index: usize, context: &mut Context) -> &'static str {
    let tag = &r.playbook.tags[index];
    let title = format!("Tagged “{}”", tag.name);
    context.insert(
        "listing",
        &Listing {
            title: &title,
            intro: "",
            entries: r.cards_of(&tag.entries),
        },
    );
    "list.html"
}

pub(super) fn people_index(r: &Renderer<'_>, context: &mut Context) -> &'static str {
    let people: Vec<Counted<PersonView<'_>>> = r
        .playbook
        .people
        .iter()
        .map(|person| counted(r.person_link(&person.id), person.entries.len()))
        .collect();
    context.insert("people", &people);
    "people.html"
}

pub(super) fn person_page(r: &Renderer<'_>, index: usize, context: &mut Context) -> &'static str {
    let person = &r.playbook.people[index];
    context.insert("person", &r.person_link(&person.id));
    context.insert("entries", &r.cards_of(&person.entries));
    "person.html"
}

#[derive(Serialize)]
struct MonthView {
    label: String,
    id: String,
    entries: Value,
}

#[derive(Serialize)]
struct YearView {
    year: i32,
    count: usize,
    months: Vec<MonthView>,
}

pub(super) fn timeline(r: &Renderer<'_>, context: &mut Context) -> &'static str {
    let mut years: Vec<YearView> = Vec::new();
    for group in &r.playbook.months {
        let month = MonthView {
            label: month_name(group.month).to_string(),
            id: format!("{:04}-{:02}", group.year, group.month),
            entries: r.cards_of(&group.entries),
        };
        match years.last_mut() {
            Some(year) if year.year == group.year => {
                year.count += group.entries.len();
                year.months.push(month);
            }
            _ => years.push(YearView {
                year: group.year,
                count: group.entries.len(),
                months: vec![month],
            }),
        }
    }
    context.insert("years", &years);
    "timeline.html"
}

fn month_name(month: u8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(month as usize).saturating_sub(1) % 12]
}
