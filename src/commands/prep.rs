//! `playbook prep`: the agenda of the next 1:1 — the prep page — as Markdown to paste into a
//! shared document, or as a standalone HTML page. `agenda::prep` decides what is on it.

use std::fmt::Write as _;

use time::Date;

use super::load_published;
use super::review::html_document;
use crate::content::Playbook;
use crate::content::agenda::{self, PREP_GOALS_DAYS};
use crate::content::date::{self, iso_day};
use crate::error::Failure;
use crate::markdown;

/// Markdown to paste into a shared document, or a page that stands alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
}

pub struct PrepOptions {
    pub root: std::path::PathBuf,
    /// The day to count from (default: today).
    pub today: Option<Date>,
    pub format: Format,
}

/// The agenda, ready to print.
pub fn prep(options: &PrepOptions) -> Result<String, Failure> {
    let playbook = load_published(&options.root)?;
    let today = options.today.unwrap_or_else(date::today);
    let (title, text) = prep_markdown(&playbook, today);
    Ok(match options.format {
        Format::Markdown => text,
        Format::Html => html_document(&title, &markdown::render_standalone(&text)),
    })
}

/// The title and the Markdown of the agenda of `playbook` on `today`.
pub fn prep_markdown(playbook: &Playbook, today: Date) -> (String, String) {
    let config = &playbook.config;
    let prep = agenda::prep(playbook, today);
    let title = match config.boss.as_deref() {
        Some(boss) => format!("Next 1:1 with {}", config.person_name(boss)),
        None => "Next 1:1".to_string(),
    };
    let mut out = format!("# {title}\n\n");
    let _ = match prep.last.map(|i| &playbook.entries[i]) {
        Some(last) => writeln!(
            out,
            "Since the last one, {} ({}). As of {}.",
            last.title,
            last.date.iso(),
            iso_day(today)
        ),
        None => writeln!(
            out,
            "No conversation recorded yet: everything so far. As of {}.",
            iso_day(today)
        ),
    };
    let mut section = |heading: &str, items: Vec<String>, empty: &str| {
        let _ = write!(out, "\n## {heading}\n\n");
        if items.is_empty() {
            let _ = writeln!(out, "{empty}");
        }
        for item in items {
            let _ = writeln!(out, "- {item}");
        }
    };
    let own = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    section(
        "Decisions last time",
        own(&prep.decisions),
        "No decision recorded.",
    );
    section("To raise this time", own(&prep.next), "No topic noted.");
    let entry = |i: &usize| {
        let e = &playbook.entries[*i];
        (e.title.clone(), e.date.iso())
    };
    let wins = prep
        .achievements
        .iter()
        .map(|i| {
            let (title, day) = entry(i);
            format!("{title} (achievement, {day})")
        })
        .chain(prep.contributions.iter().map(|i| {
            let (title, day) = entry(i);
            format!("{title} (contribution, {day})")
        }))
        .collect();
    section("Wins to mention", wins, "Nothing new since the last 1:1.");
    let advice = prep
        .advice
        .iter()
        .map(|advice| match advice.outcome {
            Some(outcome) => format!("{}: applied; outcome: {outcome}", advice.entry.title),
            None => format!("{}: applied; say how it went", advice.entry.title),
        })
        .collect();
    section(
        "Close the loop on advice",
        advice,
        "No applied advice to report back on.",
    );
    let actions = prep
        .actions
        .iter()
        .map(|action| {
            let mut item = format!("[ ] {} (from {}", action.task, action.entry.title);
            if let Some(due) = action.due {
                let _ = match (action.overdue, action.due_today) {
                    (true, _) => write!(item, ", **overdue** since {}", due.iso()),
                    (_, true) => write!(item, ", **due today** {}", due.iso()),
                    _ => write!(item, ", due {}", due.iso()),
                };
            }
            item.push(')');
            item
        })
        .collect();
    section("Open actions", actions, "No open action.");
    let goals = prep
        .goals
        .iter()
        .map(|goal| {
            let mut item = goal.entry.title.clone();
            if let Some(due) = goal.due {
                let when = if goal.overdue { "overdue since" } else { "due" };
                let _ = write!(item, " ({when} {}", due.iso());
                if let Some(progress) = goal.progress {
                    let _ = write!(item, ", {progress}%");
                }
                item.push(')');
            }
            item
        })
        .collect();
    section(
        &format!("Goals due within {PREP_GOALS_DAYS} days"),
        goals,
        "No goal due soon.",
    );
    let practices = prep
        .practices
        .iter()
        .map(|health| {
            let label = health.practice.label();
            match (&health.how_to_record, health.last) {
                (Some(how), _) => format!("{label}: to record it, {how}"),
                (None, Some(last)) => format!("{label} (last {})", last.iso()),
                (None, None) => format!("{label} (never)"),
            }
        })
        .collect();
    section(
        "Practices going quiet",
        practices,
        "Every practice has a recent entry.",
    );
    (title, out)
}
