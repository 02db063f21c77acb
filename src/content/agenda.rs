//! What needs attention as of a day, read from a `Playbook`: active goals and their due dates,
//! feedback actions not done yet and their follow-ups, how recently each practice was shown,
//! and the last 1:1 with the boss. The dashboard, the prep page, `status` and `calendar` all
//! ask here, so they never disagree about what is overdue.
//!
//! Entries dated after `today` do not count as done yet; a date is overdue when it is before
//! `today` (due today is not late).

use time::{Date, Duration};

use super::{Entry, EntryDate, FieldValue, Playbook, Practice};
use crate::schema::{FieldType, field, kind_name};

/// The window of "practised lately".
pub const RECENT_DAYS: i64 = 90;

/// Whole calendar days from `from` to `to`.
pub fn days_between(from: Date, to: Date) -> i64 {
    (to - from).whole_days()
}

/// `today` plus `days`, or `today` at the end of the calendar.
pub fn horizon(today: Date, days: i64) -> Date {
    today.checked_add(Duration::days(days)).unwrap_or(today)
}

/// One practice: when it was last shown and whether it is going quiet.
pub struct PracticeHealth {
    pub practice: Practice,
    pub last: Option<EntryDate>,
    pub days_since: Option<i64>,
    /// Entries showing it in the last `RECENT_DAYS` days.
    pub recent: usize,
    /// Never shown, or not for more than `stale_after_days`.
    pub stale: bool,
}

/// Every practice, in `Practice::ALL` order.
pub fn practice_health(playbook: &Playbook, today: Date) -> Vec<PracticeHealth> {
    let stale_after = i64::from(playbook.config.stale_after_days);
    Practice::ALL
        .iter()
        .enumerate()
        .map(|(index, &practice)| {
            // Newest first; an entry dated after today does not count as practised yet.
            let past: Vec<&Entry> = playbook.by_practice[index]
                .iter()
                .map(|&i| &*playbook.entries[i])
                .filter(|e| e.date.day <= today)
                .collect();
            let last = past.first().map(|e| e.date);
            let days_since = last.map(|d| days_between(d.day, today));
            PracticeHealth {
                practice,
                last,
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

/// A goal still in progress (`status: active`, or no status).
pub struct ActiveGoal<'a> {
    pub entry: &'a Entry,
    pub status: &'a str,
    pub progress: Option<i64>,
    pub due: Option<EntryDate>,
    pub overdue: bool,
}

impl ActiveGoal<'_> {
    /// Overdue, or due on or before `today + days`.
    pub fn due_within(&self, today: Date, days: i64) -> bool {
        let horizon = horizon(today, days);
        self.overdue || self.due.is_some_and(|due| due.day <= horizon)
    }
}

/// Goals still in progress, soonest due first, then goals without a due date by title.
pub fn active_goals(playbook: &Playbook, today: Date) -> Vec<ActiveGoal<'_>> {
    let Some(kind) = playbook.config.schema.kind_by_name(kind_name::GOAL) else {
        return Vec::new();
    };
    let mut goals: Vec<ActiveGoal<'_>> = playbook.by_kind[kind]
        .iter()
        .map(|&i| &*playbook.entries[i])
        .filter_map(|entry| {
            let status = playbook
                .field(entry, field::STATUS)
                .and_then(FieldValue::as_text)
                .unwrap_or("active");
            if status != "active" {
                return None;
            }
            let due = playbook
                .field(entry, field::DUE)
                .and_then(FieldValue::as_date)
                .copied();
            Some(ActiveGoal {
                entry,
                status,
                progress: match playbook.field(entry, field::PROGRESS) {
                    Some(FieldValue::Integer(n)) => Some(*n),
                    _ => None,
                },
                due,
                overdue: due.is_some_and(|d| d.day < today),
            })
        })
        .collect();
    goals.sort_by(|a, b| match (&a.due, &b.due) {
        (Some(x), Some(y)) => x.day.cmp(&y.day),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.entry.title.cmp(&b.entry.title),
    });
    goals
}

/// A feedback action not done yet.
pub struct OpenAction<'a> {
    pub entry: &'a Entry,
    pub task: &'a str,
    /// The feedback's `follow_up:`, when it has one.
    pub follow_up: Option<EntryDate>,
    pub overdue: bool,
}

/// Feedback actions not done yet, the oldest follow-up (else the feedback's date) first.
pub fn open_actions(playbook: &Playbook, today: Date) -> Vec<OpenAction<'_>> {
    let schema = &playbook.config.schema;
    let Some(kind) = schema.kind_by_name(kind_name::FEEDBACK) else {
        return Vec::new();
    };
    let Some((_, actions_spec)) = schema.kind(kind).field(field::ACTIONS) else {
        return Vec::new();
    };
    let FieldType::List(item) = &actions_spec.ty else {
        return Vec::new();
    };
    let FieldType::Record(fields) = &**item else {
        return Vec::new();
    };
    let position = |name: &str| fields.iter().position(|f| f.name == name);
    let (Some(task_at), Some(done_at)) = (position(field::TASK), position(field::DONE)) else {
        return Vec::new();
    };
    let mut actions = Vec::new();
    for &i in &playbook.by_kind[kind] {
        let entry = &*playbook.entries[i];
        let follow_up = follow_up(playbook, entry);
        let Some(FieldValue::List(items)) = playbook.field(entry, field::ACTIONS) else {
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
                    follow_up.unwrap_or(entry.date),
                    OpenAction {
                        entry,
                        task,
                        follow_up,
                        overdue: follow_up.is_some_and(|d| d.day < today),
                    },
                ));
            }
        }
    }
    actions.sort_by_key(|(date, _)| *date);
    actions.into_iter().map(|(_, action)| action).collect()
}

/// The entry's `follow_up:` date, when its kind has one and it is set.
pub fn follow_up(playbook: &Playbook, entry: &Entry) -> Option<EntryDate> {
    playbook
        .field(entry, field::FOLLOW_UP)
        .and_then(FieldValue::as_date)
        .copied()
}

/// Every entry with a `follow_up:` date, in the playbook's order (newest first).
pub fn follow_ups(playbook: &Playbook) -> Vec<(&Entry, EntryDate)> {
    playbook
        .entries
        .iter()
        .filter_map(|entry| follow_up(playbook, entry).map(|date| (&**entry, date)))
        .collect()
}

/// Position in `entries` of the last conversation on or before `today` with the boss (with
/// any conversation when no boss is named).
pub fn last_one_on_one(playbook: &Playbook, today: Date) -> Option<usize> {
    let boss = playbook.config.boss.as_deref();
    let kind = playbook
        .config
        .schema
        .kind_by_name(kind_name::CONVERSATION)?;
    playbook.by_kind[kind].iter().copied().find(|&i| {
        let entry = &playbook.entries[i];
        entry.date.day <= today && boss.is_none_or(|boss| entry.people.iter().any(|p| p == boss))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_between_counts_calendar_days() {
        let a = Date::from_calendar_date(2026, time::Month::January, 30).unwrap();
        assert_eq!(days_between(a, a + Duration::days(45)), 45);
    }

    #[test]
    fn horizon_at_the_end_of_the_calendar_stays_put() {
        assert_eq!(horizon(Date::MAX, 14), Date::MAX);
    }
}
