//! The dashboard: which practices are alive and which are going quiet, goals and their
//! progress, open feedback actions, an activity chart, and what was written last. "Today" is
//! the renderer's day (the build date, or `--today`).

use serde::Serialize;
use tera::Context;
use time::Date;

use super::Renderer;
use crate::content::{Entry, FieldValue, Practice};
use crate::schema::{Section, field, kind_name};

const RECENT_ENTRIES: usize = 10;
/// The window of "practised lately".
const RECENT_DAYS: i64 = 90;
/// Months in the activity chart, ending with today's.
const CHART_MONTHS: usize = 12;

#[derive(Serialize)]
pub(super) struct PracticeHealth {
    label: &'static str,
    url: String,
    last: Option<String>,
    last_iso: Option<String>,
    days_since: Option<i64>,
    recent: usize,
    pub(super) stale: bool,
}

#[derive(Serialize)]
pub(super) struct GoalView<'a> {
    title: &'a str,
    url: String,
    progress: Option<i64>,
    due: Option<String>,
    pub(super) due_iso: Option<String>,
    pub(super) overdue: bool,
    status: &'a str,
}

#[derive(Serialize)]
pub(super) struct ActionView<'a> {
    task: &'a str,
    title: &'a str,
    url: String,
    follow_up: Option<String>,
    follow_up_iso: Option<String>,
    overdue: bool,
}

#[derive(Serialize)]
struct Segment {
    kind: usize,
    y: usize,
    height: usize,
}

#[derive(Serialize)]
struct LegendItem<'a> {
    kind: usize,
    label: &'a str,
}

#[derive(Serialize)]
struct MonthBar {
    label: String,
    total: usize,
    x: usize,
    segments: Vec<Segment>,
}

pub(super) fn dashboard(r: &Renderer<'_>, context: &mut Context) -> &'static str {
    let playbook = r.playbook;
    let today = r.today;
    let recent: Vec<usize> = (0..playbook.entries.len().min(RECENT_ENTRIES)).collect();
    context.insert("recent", &r.cards_of(&recent));
    context.insert("entry_count", &playbook.entries.len());
    context.insert(
        "first_date",
        &playbook.entries.last().map(|e| e.date.long()),
    );
    context.insert(
        "last_date",
        &playbook.entries.first().map(|e| e.date.long()),
    );
    context.insert("today", &crate::content::date::iso_day(today));
    context.insert("stale_after_days", &playbook.config.stale_after_days);
    context.insert("practices", &practice_health(r, today));
    context.insert("goals", &goals(r, today));
    context.insert("actions", &open_actions(r, today));
    let (bars, legend) = activity(r, today);
    context.insert("activity", &bars);
    context.insert("activity_kinds", &legend);
    context.insert("chart_width", &(CHART_MONTHS * 40));
    "dashboard.html"
}

fn days_between(from: Date, to: Date) -> i64 {
    (to - from).whole_days()
}

pub(super) fn practice_health(r: &Renderer<'_>, today: Date) -> Vec<PracticeHealth> {
    let stale_after = i64::from(r.playbook.config.stale_after_days);
    Practice::ALL
        .iter()
        .enumerate()
        .map(|(index, practice)| {
            let entries = &r.playbook.by_practice[index];
            // Newest first; an entry dated after today does not count as practised yet.
            let past: Vec<&Entry> = entries
                .iter()
                .map(|&i| &*r.playbook.entries[i])
                .filter(|e| e.date.day <= today)
                .collect();
            let last = past.first().map(|e| e.date);
            let days_since = last.map(|d| days_between(d.day, today));
            PracticeHealth {
                label: practice.label(),
                url: r
                    .links
                    .folder(&Section::Practices.path(&format!("{}/", practice.id()))),
                last: last.map(|d| d.long()),
                last_iso: last.map(|d| d.iso()),
                days_since,
                recent: past
                    .iter()
                    .filter(|e| days_between(e.date.day, today) < RECENT_DAYS)
                    .count(),
                stale: days_since.is_none_or(|days| days > stale_after),
            }
        })
        .collect()
}

fn entry_url(r: &Renderer<'_>, entry: &Entry) -> String {
    r.links.folder(&format!("{}/", entry.key))
}

/// Goals still in progress, soonest due first, then goals without a due date.
pub(super) fn goals<'a>(r: &Renderer<'a>, today: Date) -> Vec<GoalView<'a>> {
    let Some(kind) = r.playbook.config.schema.kind_by_name(kind_name::GOAL) else {
        return Vec::new();
    };
    let mut goals: Vec<GoalView<'a>> = r.playbook.by_kind[kind]
        .iter()
        .map(|&i| &r.playbook.entries[i])
        .filter_map(|entry| {
            let status = r
                .playbook
                .field(entry, field::STATUS)
                .and_then(FieldValue::as_text)
                .unwrap_or("active");
            if status != "active" {
                return None;
            }
            let due = r
                .playbook
                .field(entry, field::DUE)
                .and_then(FieldValue::as_date);
            Some(GoalView {
                title: &entry.title,
                url: entry_url(r, entry),
                progress: match r.playbook.field(entry, field::PROGRESS) {
                    Some(FieldValue::Integer(n)) => Some(*n),
                    _ => None,
                },
                due: due.map(|d| d.long()),
                due_iso: due.map(|d| d.iso()),
                overdue: due.is_some_and(|d| d.day < today),
                status,
            })
        })
        .collect();
    goals.sort_by(|a, b| match (&a.due_iso, &b.due_iso) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.title.cmp(b.title),
    });
    goals
}

/// Feedback actions not done yet, the oldest follow-up first.
pub(super) fn open_actions<'a>(r: &Renderer<'a>, today: Date) -> Vec<ActionView<'a>> {
    let schema = &r.playbook.config.schema;
    let Some(kind) = schema.kind_by_name(kind_name::FEEDBACK) else {
        return Vec::new();
    };
    let Some((_, actions_spec)) = schema.kind(kind).field(field::ACTIONS) else {
        return Vec::new();
    };
    let crate::schema::FieldType::List(item) = &actions_spec.ty else {
        return Vec::new();
    };
    let crate::schema::FieldType::Record(fields) = &**item else {
        return Vec::new();
    };
    let position = |name: &str| fields.iter().position(|f| f.name == name);
    let (Some(task_at), Some(done_at)) = (position(field::TASK), position(field::DONE)) else {
        return Vec::new();
    };
    let mut actions = Vec::new();
    for &i in &r.playbook.by_kind[kind] {
        let entry = &r.playbook.entries[i];
        let follow_up = r
            .playbook
            .field(entry, field::FOLLOW_UP)
            .and_then(FieldValue::as_date);
        let Some(FieldValue::List(items)) = r.playbook.field(entry, field::ACTIONS) else {
            continue;
        };
        for item in items {
            let FieldValue::Record(values) = item else {
                continue;
            };
            let done = values
                .get(done_at)
                .and_then(|v| v.as_ref())
                .and_then(FieldValue::as_bool)
                .unwrap_or(false);
            let task = values
                .get(task_at)
                .and_then(|v| v.as_ref())
                .and_then(FieldValue::as_text);
            if let (false, Some(task)) = (done, task) {
                actions.push((
                    follow_up.copied().unwrap_or(entry.date),
                    ActionView {
                        task,
                        title: &entry.title,
                        url: entry_url(r, entry),
                        follow_up: follow_up.map(|d| d.long()),
                        follow_up_iso: follow_up.map(|d| d.iso()),
                        overdue: follow_up.is_some_and(|d| d.day < today),
                    },
                ));
            }
        }
    }
    actions.sort_by_key(|(date, _)| *date);
    actions.into_iter().map(|(_, action)| action).collect()
}

/// Entries per month and kind over the last `CHART_MONTHS` months, as stacked bars in a
/// 0–100 high coordinate space; and the kinds for the legend.
fn activity<'a>(r: &Renderer<'a>, today: Date) -> (Vec<MonthBar>, Vec<LegendItem<'a>>) {
    let kinds = r.playbook.config.schema.kinds.len();
    let mut months: Vec<(i32, u8)> = Vec::with_capacity(CHART_MONTHS);
    let (mut year, mut month) = (today.year(), today.month() as u8);
    for _ in 0..CHART_MONTHS {
        months.push((year, month));
        (year, month) = if month == 1 {
            (year - 1, 12)
        } else {
            (year, month - 1)
        };
    }
    months.reverse();
    let mut counts = vec![vec![0usize; kinds]; CHART_MONTHS];
    for group in r.playbook.months.iter() {
        if let Some(slot) = months.iter().position(|&m| m == (group.year, group.month)) {
            for &i in &group.entries {
                counts[slot][r.playbook.entries[i].kind] += 1;
            }
        }
    }
    let most = counts
        .iter()
        .map(|c| c.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = months
        .iter()
        .zip(&counts)
        .enumerate()
        .map(|(slot, (&(year, month), per_kind))| {
            let mut y = 100;
            let segments = per_kind
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(kind, &n)| {
                    let height = n * 100 / most;
                    y -= height;
                    Segment {
                        kind: kind.min(7),
                        y,
                        height,
                    }
                })
                .collect();
            MonthBar {
                label: format!("{year}-{month:02}"),
                total: per_kind.iter().sum(),
                x: slot * 40,
                segments,
            }
        })
        .collect();
    let legend = r
        .playbook
        .config
        .schema
        .kinds
        .iter()
        .enumerate()
        .map(|(kind, k)| LegendItem {
            kind: kind.min(7),
            label: &k.plural,
        })
        .collect();
    (bars, legend)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    #[test]
    fn days_between_counts_calendar_days() {
        let a = Date::from_calendar_date(2026, time::Month::January, 30).unwrap();
        assert_eq!(days_between(a, a + Duration::days(45)), 45);
    }
}
