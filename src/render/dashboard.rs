//! The dashboard: which practices are alive and which are going quiet, goals and their
//! progress, open feedback actions, an activity chart, and what was written last. "Today" is
//! the renderer's day (the build date, or `--today`).

use serde::Serialize;
use tera::Context;
use time::Date;

use super::Renderer;
use crate::content::Entry;
use crate::content::agenda::{self, ActiveGoal};
use crate::schema::Section;

const RECENT_ENTRIES: usize = 10;
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
    /// No kind feeds it and no entry shows it yet: the page says how to record it.
    unrecorded: bool,
    id: &'static str,
}

#[derive(Serialize)]
pub(super) struct GoalView<'a> {
    title: &'a str,
    url: String,
    progress: Option<i64>,
    due: Option<String>,
    due_iso: Option<String>,
    overdue: bool,
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
    due_today: bool,
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

pub(super) fn practice_health(r: &Renderer<'_>, today: Date) -> Vec<PracticeHealth> {
    practice_views(r, agenda::practice_health(r.playbook, today))
}

pub(super) fn practice_views(
    r: &Renderer<'_>,
    health: Vec<agenda::PracticeHealth>,
) -> Vec<PracticeHealth> {
    health
        .into_iter()
        .map(|health| PracticeHealth {
            label: health.practice.label(),
            url: r
                .links
                .folder(&Section::Practices.path(&format!("{}/", health.practice.id()))),
            last: health.last.map(|d| d.long()),
            last_iso: health.last.map(|d| d.iso()),
            days_since: health.days_since,
            recent: health.recent,
            stale: health.stale,
            unrecorded: health.how_to_record.is_some(),
            id: health.practice.id(),
        })
        .collect()
}

fn entry_url(r: &Renderer<'_>, entry: &Entry) -> String {
    r.links.folder(&format!("{}/", entry.key))
}

/// Goals still in progress, soonest due first, then goals without a due date.
pub(super) fn goals<'a>(r: &Renderer<'a>, today: Date) -> Vec<GoalView<'a>> {
    agenda::active_goals(r.playbook, today)
        .iter()
        .map(|goal| goal_view(r, goal))
        .collect()
}

pub(super) fn goal_view<'a>(r: &Renderer<'a>, goal: &ActiveGoal<'a>) -> GoalView<'a> {
    GoalView {
        title: &goal.entry.title,
        url: entry_url(r, goal.entry),
        progress: goal.progress,
        due: goal.due.map(|d| d.long()),
        due_iso: goal.due.map(|d| d.iso()),
        overdue: goal.overdue,
        status: goal.status,
    }
}

/// Actions of feedback and conversations not done yet, the soonest due first.
pub(super) fn open_actions<'a>(r: &Renderer<'a>, today: Date) -> Vec<ActionView<'a>> {
    action_views(r, &agenda::open_actions(r.playbook, today))
}

/// `follow_up` is when the action is due: its own `due:`, else its entry's `follow_up:`.
pub(super) fn action_views<'a>(
    r: &Renderer<'a>,
    actions: &[agenda::OpenAction<'a>],
) -> Vec<ActionView<'a>> {
    actions
        .iter()
        .map(|action| ActionView {
            task: action.task,
            title: &action.entry.title,
            url: entry_url(r, action.entry),
            follow_up: action.due.map(|d| d.long()),
            follow_up_iso: action.due.map(|d| d.iso()),
            overdue: action.overdue,
            due_today: action.due_today,
        })
        .collect()
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
