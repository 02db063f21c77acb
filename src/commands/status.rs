//! `playbook status`: what needs attention as of a day, in a few lines of plain text, and
//! whether anything does, so that a cron job or a shell prompt can act on the exit status.
//!
//! Needs attention: an open action (of a feedback or a conversation) whose due date (its own
//! `due:`, else the entry's `follow_up:`) has passed, an active goal
//! due within `GOALS_DUE_DAYS` days (or overdue), a practice going quiet (no entry for more
//! than `stale_after_days`). The last 1:1 and the entries of the month are told, not judged.

use std::fmt::Write as _;
use time::Date;

use super::{DayOptions, load_published};
use crate::content::Playbook;
use crate::content::agenda::{self, days_between};
use crate::content::date::{self, iso_day};
use crate::error::Failure;

/// The exit status when something needs attention: 1 is an error and 2 a usage error.
pub const NEEDS_ATTENTION: u8 = 3;

/// Active goals due within this many days are told.
pub const GOALS_DUE_DAYS: i64 = 14;

/// What `status` found.
pub struct Status {
    /// The lines to print, each ending in a newline.
    pub text: String,
    /// How many things need attention; 0 is all clear.
    pub attention: usize,
}

/// Loads the playbook (drafts left out) and tells what needs attention.
pub fn status(options: &DayOptions) -> Result<Status, Failure> {
    let playbook = load_published(&options.root)?;
    Ok(status_of(
        &playbook,
        options.today.unwrap_or_else(date::today),
    ))
}

/// The status of a loaded playbook on `today`.
pub fn status_of(playbook: &Playbook, today: Date) -> Status {
    let mut text = String::new();
    let mut attention = 0;
    let mut line = |s: String| {
        text.push_str(&s);
        text.push('\n');
    };
    line(format!("status on {}", iso_day(today)));

    let config = &playbook.config;
    let with = match config.boss.as_deref() {
        Some(boss) => format!("1:1 with {}", config.person_name(boss)),
        None => "conversation".to_string(),
    };
    match agenda::last_one_on_one(playbook, today) {
        Some(i) => {
            let day = playbook.entries[i].date.day;
            line(format!(
                "last {with}: {} ({})",
                days_ago(days_between(day, today)),
                iso_day(day)
            ));
        }
        None => line(format!("last {with}: none yet")),
    }

    let overdue: Vec<_> = agenda::open_actions(playbook, today)
        .into_iter()
        .filter(|action| action.overdue)
        .collect();
    if !overdue.is_empty() {
        attention += overdue.len();
        line(format!("overdue actions: {}", overdue.len()));
        for action in &overdue {
            let when = match (action.due, action.follow_up) {
                (Some(due), Some(follow_up)) if due == follow_up => {
                    format!("follow up {}", due.iso())
                }
                (Some(due), _) => format!("due {}", due.iso()),
                (None, _) => String::new(),
            };
            line(format!(
                "  - {} ({}, {when})",
                action.task, action.entry.key
            ));
        }
    }

    let goals: Vec<_> = agenda::active_goals(playbook, today)
        .into_iter()
        .filter(|goal| goal.due_within(today, GOALS_DUE_DAYS))
        .collect();
    if !goals.is_empty() {
        attention += goals.len();
        line(format!(
            "goals due within {GOALS_DUE_DAYS} days: {}",
            goals.len()
        ));
        for goal in &goals {
            let mut about = format!("{}, ", goal.entry.key);
            let due = goal.due.map(|d| d.iso()).unwrap_or_default();
            if goal.overdue {
                let _ = write!(about, "overdue since {due}");
            } else {
                let _ = write!(about, "due {due}");
            }
            if let Some(progress) = goal.progress {
                let _ = write!(about, ", {progress}%");
            }
            line(format!("  - {} ({about})", goal.entry.title));
        }
    }

    let quiet: Vec<_> = agenda::practice_health(playbook, today)
        .into_iter()
        .filter(|health| health.stale)
        .collect();
    // Not judged: a practice no kind feeds is recorded by naming it in an entry.
    for health in agenda::practice_health(playbook, today) {
        if let Some(how) = &health.how_to_record {
            line(format!("to record {}: {how}", health.practice.label()));
        }
    }
    if !quiet.is_empty() {
        attention += quiet.len();
        let names: Vec<String> = quiet
            .iter()
            .map(|health| {
                let since = match health.days_since {
                    Some(days) => days_ago(days),
                    None => "never".to_string(),
                };
                format!("{} ({since})", health.practice.label())
            })
            .collect();
        line(format!(
            "practices going quiet: {}: {}",
            quiet.len(),
            names.join(", ")
        ));
    }

    let this_month = playbook
        .months
        .iter()
        .find(|group| group.year == today.year() && group.month == today.month() as u8)
        .map_or(0, |group| {
            group
                .entries
                .iter()
                .filter(|&&i| playbook.entries[i].date.day <= today)
                .count()
        });
    line(format!("entries this month: {this_month}"));
    line(match attention {
        0 => "nothing needs attention".to_string(),
        1 => "1 thing needs attention".to_string(),
        n => format!("{n} things need attention"),
    });
    Status { text, attention }
}

fn days_ago(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        1 => "1 day ago".to_string(),
        n => format!("{n} days ago"),
    }
}
