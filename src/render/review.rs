//! Review packets: a brag document for a period — achievements with their impact and metrics,
//! goals met, praise received, loyalty and support moments, contributions done. Made once as
//! data, shown as a page per year and printed by `playbook review` as Markdown or HTML.

use serde::Serialize;
use time::Date;

use super::Links;
use crate::content::{Entry, FieldValue, Playbook, Practice};
use crate::schema::{field, kind_name};

#[derive(Serialize)]
pub struct Item<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: String,
    pub date_iso: String,
    /// The summary line, or for praise the words quoted.
    pub text: &'a str,
    /// An achievement's impact.
    pub impact: Option<&'a str>,
    /// An achievement's metrics: `name: before → after`.
    pub metrics: Vec<String>,
    /// Who gave the praise or shared the moment.
    pub people: Vec<&'a str>,
}

/// The brag document of a period; every list is oldest first, as a story reads.
#[derive(Serialize)]
pub struct Packet<'a> {
    pub title: String,
    pub achievements: Vec<Item<'a>>,
    pub goals_met: Vec<Item<'a>>,
    pub praise: Vec<Item<'a>>,
    pub loyalty: Vec<Item<'a>>,
    pub contributions: Vec<Item<'a>>,
    pub count: usize,
}

fn text_field<'a>(playbook: &'a Playbook, entry: &'a Entry, name: &str) -> Option<&'a str> {
    playbook.field(entry, name).and_then(FieldValue::as_text)
}

fn item<'a>(
    playbook: &'a Playbook,
    links: &Links,
    entry: &'a Entry,
    people: Vec<&'a str>,
) -> Item<'a> {
    let metrics = match playbook.field(entry, field::METRICS) {
        Some(FieldValue::List(rows)) => rows
            .iter()
            .filter_map(|row| match row {
                FieldValue::Record(values) => {
                    let text = |i: usize| {
                        values
                            .get(i)
                            .and_then(|v| v.as_ref())
                            .and_then(FieldValue::as_text)
                    };
                    Some(format!(
                        "{}: {} → {}",
                        text(0)?,
                        text(1).unwrap_or("–"),
                        text(2).unwrap_or("–")
                    ))
                }
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Item {
        title: &entry.title,
        url: links.folder(&format!("{}/", entry.key)),
        date: entry.date.long(),
        date_iso: entry.date.iso(),
        text: &entry.summary,
        impact: text_field(playbook, entry, "impact"),
        metrics,
        people,
    }
}

/// The packet for entries dated from `since` to `until` (both included, either open).
pub fn packet<'a>(
    playbook: &'a Playbook,
    links: &Links,
    title: String,
    since: Option<Date>,
    until: Option<Date>,
) -> Packet<'a> {
    let schema = &playbook.config.schema;
    let name_of = |id: &'a str| playbook.config.person_name(id);
    // `entries` is newest first; a packet reads oldest first.
    let in_period: Vec<&'a Entry> = playbook
        .entries
        .iter()
        .rev()
        .map(|e| &**e)
        .filter(|e| since.is_none_or(|d| e.date.day >= d) && until.is_none_or(|d| e.date.day <= d))
        .collect();
    let kind_is = |entry: &Entry, name: &str| schema.kind(entry.kind).name == name;
    let field_is =
        |entry: &Entry, field: &str, value: &str| text_field(playbook, entry, field) == Some(value);
    let mut packet = Packet {
        title,
        achievements: Vec::new(),
        goals_met: Vec::new(),
        praise: Vec::new(),
        loyalty: Vec::new(),
        contributions: Vec::new(),
        count: 0,
    };
    for entry in in_period {
        let people = || {
            entry
                .people
                .iter()
                .map(|id| name_of(id))
                .collect::<Vec<_>>()
        };
        let list = if kind_is(entry, kind_name::ACHIEVEMENT) {
            &mut packet.achievements
        } else if kind_is(entry, kind_name::GOAL) && field_is(entry, field::STATUS, "met") {
            &mut packet.goals_met
        } else if kind_is(entry, kind_name::FEEDBACK) && field_is(entry, field::TONE, "praise") {
            &mut packet.praise
        } else if kind_is(entry, kind_name::LOYALTY)
            || entry.practices.contains(&Practice::CelebrateAndSupport)
        {
            &mut packet.loyalty
        } else if kind_is(entry, kind_name::CONTRIBUTION) && field_is(entry, field::STATUS, "done")
        {
            &mut packet.contributions
        } else {
            continue;
        };
        list.push(item(playbook, links, entry, people()));
        packet.count += 1;
    }
    packet
}

/// The packet as Markdown, for pasting into a review form.
pub fn to_markdown(packet: &Packet<'_>) -> String {
    use std::fmt::Write as _;
    let mut out = format!("# {}\n", packet.title);
    let sections: [(&str, &Vec<Item<'_>>); 5] = [
        ("Achievements", &packet.achievements),
        ("Goals met", &packet.goals_met),
        ("Praise received", &packet.praise),
        ("Loyalty and support", &packet.loyalty),
        ("Contributions", &packet.contributions),
    ];
    for (heading, items) in sections {
        if items.is_empty() {
            continue;
        }
        let _ = write!(out, "\n## {heading}\n\n");
        for item in items {
            let _ = write!(out, "- **{}** ({})", item.title, item.date);
            if heading == "Praise received" {
                let from = item
                    .people
                    .first()
                    .map(|p| format!(" — {p}"))
                    .unwrap_or_default();
                let _ = write!(out, "\n  > {}{from}", item.text);
            } else if let Some(impact) = item.impact {
                let _ = write!(out, ": {impact}");
            } else if !item.text.is_empty() {
                let _ = write!(out, ": {}", item.text);
            }
            out.push('\n');
            for metric in &item.metrics {
                let _ = writeln!(out, "  - {metric}");
            }
        }
    }
    if packet.count == 0 {
        out.push_str("\nNothing recorded for this period.\n");
    }
    out
}
