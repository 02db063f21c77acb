//! Listing pages: one per kind, the tags and people indexes with a page per tag and person, and
//! the timeline. Each reads a precomputed index of the playbook.

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

use super::{PersonView, Renderer};
use crate::content::KindId;
use crate::error::Diagnostic;

#[derive(Serialize)]
struct Listing<'a> {
    title: &'a str,
    intro: &'a str,
    /// How many entries.
    total: usize,
    /// Every card's `card.html`, one after the other.
    cards: String,
}

impl<'a> Listing<'a> {
    fn of(
        r: &Renderer<'_>,
        title: &'a str,
        intro: &'a str,
        indexes: &[usize],
        root: &str,
    ) -> Result<Listing<'a>, Diagnostic> {
        Ok(Listing {
            title,
            intro,
            total: indexes.len(),
            cards: r.cards_html(indexes, root)?,
        })
    }
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

pub(super) fn kind_list(
    r: &Renderer<'_>,
    kind: KindId,
    root: &str,
    context: &mut Context,
) -> Result<&'static str, Diagnostic> {
    let spec = r.playbook.config.schema.kind(kind);
    let entries = &r.playbook.by_kind[kind];
    let listing = Listing::of(r, &spec.plural, &spec.intro, entries, root)?;
    context.insert("listing", &listing);
    Ok("list.html")
}

pub(super) fn tags_index(r: &Renderer<'_>, context: &mut Context) -> &'static str {
    let tags: Vec<_> = r
        .playbook
        .tags
        .iter()
        .map(|tag| {
            counted(
                super::cards::tag_link(&tag.name, &r.links),
                tag.entries.len(),
            )
        })
        .collect();
    context.insert("tags", &tags);
    "tags.html"
}

pub(super) fn tag_page(
    r: &Renderer<'_>,
    index: usize,
    root: &str,
    context: &mut Context,
) -> Result<&'static str, Diagnostic> {
    let tag = &r.playbook.tags[index];
    let title = format!("Tagged “{}”", tag.name);
    context.insert("listing", &Listing::of(r, &title, "", &tag.entries, root)?);
    Ok("list.html")
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

pub(super) fn person_page(
    r: &Renderer<'_>,
    index: usize,
    root: &str,
    context: &mut Context,
) -> Result<&'static str, Diagnostic> {
    let person = &r.playbook.people[index];
    // The tags of the entries with this person, most used first. (A person of thousands of
    // entries can have thousands of tags: counted in a map, not by a search of a list.)
    let mut counts: HashMap<&str, (usize, &str)> = HashMap::new();
    for &i in &person.entries {
        let entry = &r.playbook.entries[i];
        for (name, slug) in entry.tags.iter().zip(&entry.tag_slugs) {
            counts.entry(slug).or_insert((0, name)).0 += 1;
        }
    }
    let mut tags: Vec<(usize, &str, &str)> = (counts.into_iter())
        .map(|(slug, (count, name))| (count, slug, name))
        .collect();
    tags.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let tags: Vec<_> = tags
        .into_iter()
        .map(|(count, _, name)| counted(super::cards::tag_link(name, &r.links), count))
        .collect();
    context.insert("person", &r.person_link(&person.id));
    context.insert("count", &person.entries.len());
    context.insert("tags", &tags);
    context.insert("years", &by_year_and_month(r, &person.entries, root)?);
    Ok("person.html")
}

#[derive(Serialize)]
struct MonthView {
    label: String,
    id: String,
    /// Every entry's `timeline-item.html`, one after the other.
    rows: String,
}

#[derive(Serialize)]
struct YearView {
    year: i32,
    count: usize,
    months: Vec<MonthView>,
}

pub(super) fn timeline(
    r: &Renderer<'_>,
    root: &str,
    context: &mut Context,
) -> Result<&'static str, Diagnostic> {
    let all: Vec<usize> = (0..r.playbook.entries.len()).collect();
    context.insert("years", &by_year_and_month(r, &all, root)?);
    Ok("timeline.html")
}

/// `indexes` (newest first) grouped by year, then by month.
fn by_year_and_month(
    r: &Renderer<'_>,
    indexes: &[usize],
    root: &str,
) -> Result<Vec<YearView>, Diagnostic> {
    let mut years: Vec<YearView> = Vec::new();
    let mut start = 0;
    while start < indexes.len() {
        let date = &r.playbook.entries[indexes[start]].date;
        let (year, month) = (date.year(), date.month());
        let end = indexes[start..]
            .iter()
            .position(|&i| {
                let d = &r.playbook.entries[i].date;
                (d.year(), d.month()) != (year, month)
            })
            .map_or(indexes.len(), |n| start + n);
        let view = MonthView {
            label: month_name(month).to_string(),
            id: format!("{year:04}-{month:02}"),
            rows: r.rows_html(&indexes[start..end], root)?,
        };
        match years.last_mut() {
            Some(group) if group.year == year => {
                group.count += end - start;
                group.months.push(view);
            }
            _ => years.push(YearView {
                year,
                count: end - start,
                months: vec![view],
            }),
        }
        start = end;
    }
    Ok(years)
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
