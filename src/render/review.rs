//! Review packets: the evidence of a period, made once as data — achievements with their impact
//! and metrics, goals met and in progress (with what was done toward them), praise quoted,
//! constructive feedback acted on, loyalty and support, advice applied and how it went,
//! contributions done — grouped by the owner's career ladder when there is one, with its gaps.
//! The site shows it as a page per period; `playbook review` prints it as Markdown, HTML or
//! JSON (`markdown`); the JSON is this structure as serialized, documented in the README.

mod markdown;

pub use markdown::to_markdown;

use serde::Serialize;
use time::Date;

use super::Links;
use crate::config::Competency;
use crate::content::agenda;
use crate::content::date::iso_day;
use crate::content::model::MonthGroup;
use crate::content::{Entry, FieldValue, Playbook, Practice};
use crate::period::Period;
use crate::schema::{field, kind_name};

/// The version of the JSON shape; raised when a field changes meaning or goes away.
pub const JSON_FORMAT: &str = "playbook-review/1";

/// The sections of a packet, in the order it tells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    Achievements,
    GoalsMet,
    GoalsInProgress,
    Praise,
    FeedbackActedOn,
    Loyalty,
    AdviceApplied,
    Contributions,
}

impl Section {
    /// A goal's section: which goals a packet holds, and how it tells them, depends on the
    /// period.
    pub fn is_goal(self) -> bool {
        matches!(self, Section::GoalsMet | Section::GoalsInProgress)
    }

    pub const ALL: [Section; 8] = [
        Section::Achievements,
        Section::GoalsMet,
        Section::GoalsInProgress,
        Section::Praise,
        Section::FeedbackActedOn,
        Section::Loyalty,
        Section::AdviceApplied,
        Section::Contributions,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            Section::Achievements => "Achievements",
            Section::GoalsMet => "Goals met",
            Section::GoalsInProgress => "Goals in progress",
            Section::Praise => "Praise received",
            Section::FeedbackActedOn => "Feedback acted on",
            Section::Loyalty => "Loyalty and support",
            Section::AdviceApplied => "Advice applied",
            Section::Contributions => "Contributions",
        }
    }

    /// The id in JSON and in the page's anchors.
    pub fn id(self) -> &'static str {
        match self {
            Section::Achievements => "achievements",
            Section::GoalsMet => "goals-met",
            Section::GoalsInProgress => "goals-in-progress",
            Section::Praise => "praise",
            Section::FeedbackActedOn => "feedback-acted-on",
            Section::Loyalty => "loyalty",
            Section::AdviceApplied => "advice-applied",
            Section::Contributions => "contributions",
        }
    }
}

#[derive(Serialize)]
pub struct Metric<'a> {
    pub name: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// An entry the packet points to without telling it: work done toward a goal.
#[derive(Serialize)]
pub struct Mention<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub date: String,
    /// Omitted from `playbook review`'s JSON, which has no site to link to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One piece of evidence: an entry, told the way its section tells it.
#[derive(Serialize)]
pub struct Item<'a> {
    pub section: Section,
    pub key: &'a str,
    pub title: &'a str,
    /// `2026-03-14`.
    pub date: String,
    /// `14 March 2026`.
    pub date_long: String,
    /// The summary line; for praise, the words quoted.
    pub summary: &'a str,
    /// Who gave the praise or the advice, or shared the moment: names, not ids.
    pub people: Vec<&'a str>,
    /// Ids of the ladder's competencies.
    pub competencies: &'a [String],
    /// An achievement's impact and metrics.
    pub impact: Option<&'a str>,
    pub metrics: Vec<Metric<'a>>,
    /// A goal's status, progress (0–100) and due date.
    pub status: Option<&'a str>,
    pub progress: Option<i64>,
    pub due: Option<String>,
    pub due_long: Option<String>,
    /// Entries of the period that refer to the goal: what was done toward it.
    pub toward: Vec<Mention<'a>>,
    /// Applied advice: what came of it, when written.
    pub outcome: Option<&'a str>,
    /// Feedback: the actions done.
    pub actions_done: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The dates a packet covers; either end open.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Window {
    /// `2026-Q3`, when the period is one `--period` names.
    pub name: Option<String>,
    /// For people: `Q3 2026`, `2026-01-01 to 2026-06-30`, `all entries`.
    pub label: String,
    pub since: Option<String>,
    pub until: Option<String>,
    #[serde(skip)]
    pub first: Option<Date>,
    #[serde(skip)]
    pub last: Option<Date>,
}

impl Window {
    /// The span of a period: its name, a label for people and its first and last days.
    pub fn of_period(period: Period) -> Window {
        let (first, last) = (period.first_day(), period.last_day());
        let days = match (first, last) {
            (Some(first), Some(last)) => format!(" ({} to {})", iso_day(first), iso_day(last)),
            _ => String::new(),
        };
        Window {
            name: Some(period.name()),
            label: format!("{}{days}", period.label()),
            since: first.map(iso_day),
            until: last.map(iso_day),
            first,
            last,
        }
    }

    /// The span of `--since`/`--until`, either open.
    pub fn of_dates(since: Option<Date>, until: Option<Date>) -> Window {
        let label = match (since, until) {
            (Some(since), Some(until)) => format!("{} to {}", iso_day(since), iso_day(until)),
            (Some(since), None) => format!("since {}", iso_day(since)),
            (None, Some(until)) => format!("until {}", iso_day(until)),
            (None, None) => "all entries".to_string(),
        };
        Window {
            name: None,
            label,
            since: since.map(iso_day),
            until: until.map(iso_day),
            first: since,
            last: until,
        }
    }

    pub fn holds(&self, day: Date) -> bool {
        self.first.is_none_or(|first| day >= first) && self.last.is_none_or(|last| day <= last)
    }
}

/// A packet's title: `Maya Okafor: review packet, Q3 2026`.
pub fn packet_title(owner: Option<&str>, what: &str) -> String {
    match owner {
        Some(owner) => format!("{owner}: review packet, {what}"),
        None => format!("Review packet, {what}"),
    }
}

/// The evidence of one competency: positions in `Packet::items`.
#[derive(Serialize)]
pub struct Evidence<'a> {
    /// `id`, `name`, `description`, `level`.
    #[serde(flatten)]
    pub competency: &'a Competency,
    pub items: Vec<usize>,
}

/// The evidence of a period; each section oldest first, as a story reads.
#[derive(Serialize)]
pub struct Packet<'a> {
    pub format: &'static str,
    pub title: String,
    pub period: Window,
    pub items: Vec<Item<'a>>,
    /// With a ladder: each competency's evidence, in the ladder's order.
    pub competencies: Vec<Evidence<'a>>,
    /// With a ladder: items that name no competency.
    pub unmapped: Vec<usize>,
    /// With a ladder: ids of the competencies with no evidence in the period.
    pub gaps: Vec<&'a str>,
}

/// Items of one section, for showing.
#[derive(Serialize)]
pub struct Group<'p, 'a> {
    pub id: &'static str,
    pub heading: &'static str,
    pub items: Vec<&'p Item<'a>>,
}

impl<'a> Packet<'a> {
    /// The items at `positions` by section, in the sections' order; empty sections left out.
    pub fn grouped<'p>(&'p self, positions: &[usize]) -> Vec<Group<'p, 'a>> {
        Section::ALL
            .iter()
            .map(|&section| Group {
                id: section.id(),
                heading: section.heading(),
                items: positions
                    .iter()
                    .map(|&i| &self.items[i])
                    .filter(|item| item.section == section)
                    .collect(),
            })
            .filter(|group| !group.items.is_empty())
            .collect()
    }
}

fn text_field<'a>(playbook: &'a Playbook, entry: &'a Entry, name: &str) -> Option<&'a str> {
    playbook
        .field(entry, name)
        .and_then(FieldValue::as_text)
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

fn is_kind(playbook: &Playbook, entry: &Entry, name: &str) -> bool {
    playbook.config.schema.kind(entry.kind).name == name
}

/// The sections an entry of the period belongs to (a mixed feedback is praise and, with
/// actions done, feedback acted on too), whatever the period. Goals are chosen apart, by
/// `goal_section`.
pub fn sections_of(playbook: &Playbook, entry: &Entry) -> Vec<Section> {
    let text = |name| text_field(playbook, entry, name);
    let kind = |name| is_kind(playbook, entry, name);
    let mut sections = Vec::new();
    if kind(kind_name::ACHIEVEMENT) {
        sections.push(Section::Achievements);
    } else if kind(kind_name::FEEDBACK) {
        let tone = text(field::TONE);
        if matches!(tone, Some("praise" | "mixed")) {
            sections.push(Section::Praise);
        }
        if tone != Some("praise") && agenda::actions_of(playbook, entry).iter().any(|a| a.done) {
            sections.push(Section::FeedbackActedOn);
        }
    } else if kind(kind_name::ADVICE) {
        let applied = playbook
            .field(entry, field::APPLIED)
            .and_then(FieldValue::as_bool);
        if applied == Some(true) {
            sections.push(Section::AdviceApplied);
        }
    } else if kind(kind_name::CONTRIBUTION) && text(field::STATUS) == Some("done") {
        sections.push(Section::Contributions);
    }
    let loyal =
        kind(kind_name::LOYALTY) || entry.practices.contains(&Practice::CelebrateAndSupport);
    if sections.is_empty() && loyal && !kind(kind_name::GOAL) {
        sections.push(Section::Loyalty);
    }
    sections
}

/// A goal's section in a period: met, when it was set, due or worked on in the period; in
/// progress, when it is active, was set by the period's end and was not due before it began.
fn goal_section(
    playbook: &Playbook,
    entry: &Entry,
    span: &Window,
    toward: bool,
) -> Option<Section> {
    let due = playbook
        .field(entry, field::DUE)
        .and_then(FieldValue::as_date)
        .map(|d| d.day);
    match text_field(playbook, entry, field::STATUS).unwrap_or("active") {
        "met" => {
            let touched = span.holds(entry.date.day) || due.is_some_and(|d| span.holds(d));
            (touched || toward).then_some(Section::GoalsMet)
        }
        "active" => {
            let set_by_the_end = span.last.is_none_or(|last| entry.date.day <= last);
            let not_due_before = due.is_none_or(|d| span.first.is_none_or(|first| d >= first));
            (set_by_the_end && not_due_before).then_some(Section::GoalsInProgress)
        }
        _ => None,
    }
}

/// Builds items; `links` gives each one its page's address (none for `playbook review`).
struct Maker<'a, 'l> {
    playbook: &'a Playbook,
    links: Option<&'l Links>,
}

impl<'a> Maker<'a, '_> {
    fn url(&self, entry: &Entry) -> Option<String> {
        self.links
            .map(|links| links.folder(&format!("{}/", entry.key)))
    }

    fn item(&self, section: Section, entry: &'a Entry, toward: Vec<Mention<'a>>) -> Item<'a> {
        let playbook = self.playbook;
        let config = &playbook.config;
        let text = |name| text_field(playbook, entry, name);
        let goal = section.is_goal();
        let due = goal
            .then(|| {
                playbook
                    .field(entry, field::DUE)
                    .and_then(FieldValue::as_date)
            })
            .flatten();
        Item {
            section,
            key: &entry.key,
            title: &entry.title,
            date: entry.date.iso(),
            date_long: entry.date.long(),
            summary: &entry.summary,
            people: entry
                .people
                .iter()
                .map(|id| config.person_name(id))
                .collect(),
            competencies: &entry.competencies,
            impact: text("impact"),
            metrics: metrics(playbook, entry),
            status: goal.then(|| text(field::STATUS).unwrap_or("active")),
            progress: match playbook.field(entry, field::PROGRESS) {
                Some(FieldValue::Integer(n)) if goal => Some(*n),
                _ => None,
            },
            due: due.map(|d| d.iso()),
            due_long: due.map(|d| d.long()),
            toward,
            outcome: (section == Section::AdviceApplied)
                .then(|| text(field::OUTCOME))
                .flatten(),
            actions_done: match section {
                Section::FeedbackActedOn => agenda::actions_of(playbook, entry)
                    .into_iter()
                    .filter(|a| a.done)
                    .map(|a| a.task)
                    .collect(),
                _ => Vec::new(),
            },
            url: self.url(entry),
        }
    }
}

/// `metrics:` rows as `{name, before, after}`.
fn metrics<'a>(playbook: &'a Playbook, entry: &'a Entry) -> Vec<Metric<'a>> {
    let Some(FieldValue::List(rows)) = playbook.field(entry, field::METRICS) else {
        return Vec::new();
    };
    rows.iter()
        .filter_map(|row| {
            let FieldValue::Record(values) = row else {
                return None;
            };
            let text = |i: usize| {
                values
                    .get(i)
                    .and_then(|v| v.as_ref())
                    .and_then(FieldValue::as_text)
            };
            Some(Metric {
                name: text(0)?,
                before: text(1),
                after: text(2),
            })
        })
        .collect()
}

/// One piece of evidence chosen, before it is told: its section, its entry, and for a goal the
/// entries of the period that name it.
pub struct Chosen<'a> {
    pub section: Section,
    /// Its position in `playbook.entries`.
    pub index: usize,
    pub entry: &'a Entry,
    /// Positions in `playbook.entries`, the goal's backlinks dated in the period.
    pub toward: Vec<usize>,
}

/// The evidence of the entries dated in `span`, by section, each section oldest first. Cheap
/// next to `packet`, which tells each piece: what counts need.
pub fn choose<'a>(playbook: &'a Playbook, span: &Window) -> Vec<Chosen<'a>> {
    let mut chosen = Vec::new();
    // Months and their entries are newest first; a packet reads oldest first. Only the
    // months the span touches are read, so the packets of every period of a playbook read
    // each entry about once.
    let touched = |month: &&MonthGroup| {
        let month = Period::month(month.year, month.month);
        let ends_before = span.first.zip(month.last_day()).is_some_and(|(f, l)| l < f);
        let starts_after = span.last.zip(month.first_day()).is_some_and(|(l, f)| f > l);
        !ends_before && !starts_after
    };
    for month in playbook.months.iter().rev().filter(touched) {
        for &index in month.entries.iter().rev() {
            let entry = &*playbook.entries[index];
            if !span.holds(entry.date.day) || is_kind(playbook, entry, kind_name::GOAL) {
                continue;
            }
            for section in sections_of(playbook, entry) {
                chosen.push(Chosen {
                    section,
                    index,
                    entry,
                    toward: Vec::new(),
                });
            }
        }
    }
    if let Some(goals) = playbook.config.schema.kind_by_name(kind_name::GOAL) {
        for &i in playbook.by_kind[goals].iter().rev() {
            let entry = &*playbook.entries[i];
            let toward: Vec<usize> = (playbook.backlinks[i].iter().rev().copied())
                .filter(|&j| span.holds(playbook.entries[j].date.day))
                .collect();
            if let Some(section) = goal_section(playbook, entry, span, !toward.is_empty()) {
                chosen.push(Chosen {
                    section,
                    index: i,
                    entry,
                    toward,
                });
            }
        }
    }
    // Sections in order, each oldest first (a stable sort keeps the entries' order).
    chosen.sort_by_key(|chosen| chosen.section);
    chosen
}

/// A chosen piece of evidence told as an item; `links` gives it its page's address (none for
/// `playbook review`).
pub fn item<'a>(playbook: &'a Playbook, links: Option<&Links>, chosen: &Chosen<'a>) -> Item<'a> {
    let maker = Maker { playbook, links };
    let toward = (chosen.toward.iter())
        .map(|&work| mention(links, &playbook.entries[work]))
        .collect();
    maker.item(chosen.section, chosen.entry, toward)
}

/// Entry `work` as work toward a goal.
pub fn mention<'a>(links: Option<&Links>, work: &'a Entry) -> Mention<'a> {
    Mention {
        key: &work.key,
        title: &work.title,
        date: work.date.iso(),
        url: links.map(|links| links.folder(&format!("{}/", work.key))),
    }
}

/// Items by competency, given the competencies each item names (`named[i]`): each
/// competency's evidence in the ladder's order, the items that name none, and the ids of the
/// competencies without evidence. Without a ladder, all three are empty.
pub fn on_the_ladder<'a>(
    playbook: &'a Playbook,
    named: &[&[String]],
) -> (Vec<Evidence<'a>>, Vec<usize>, Vec<&'a str>) {
    let ladder = &playbook.config.ladder;
    let competencies: Vec<Evidence<'a>> = ladder
        .iter()
        .map(|competency| Evidence {
            competency,
            items: (named.iter().enumerate())
                .filter(|(_, ids)| ids.contains(&competency.id))
                .map(|(i, _)| i)
                .collect(),
        })
        .collect();
    let unmapped = match ladder.is_empty() {
        true => Vec::new(),
        false => (named.iter().enumerate())
            .filter(|(_, ids)| ids.is_empty())
            .map(|(i, _)| i)
            .collect(),
    };
    let gaps = competencies
        .iter()
        .filter(|evidence| evidence.items.is_empty())
        .map(|evidence| evidence.competency.id.as_str())
        .collect();
    (competencies, unmapped, gaps)
}

/// The packet of the entries dated in `span`.
pub fn packet<'a>(
    playbook: &'a Playbook,
    links: Option<&Links>,
    title: String,
    span: Window,
) -> Packet<'a> {
    let items: Vec<Item<'a>> = (choose(playbook, &span).iter())
        .map(|chosen| item(playbook, links, chosen))
        .collect();
    let named: Vec<&[String]> = items.iter().map(|item| item.competencies).collect();
    let (competencies, unmapped, gaps) = on_the_ladder(playbook, &named);
    Packet {
        format: JSON_FORMAT,
        title,
        period: span,
        items,
        competencies,
        unmapped,
        gaps,
    }
}
