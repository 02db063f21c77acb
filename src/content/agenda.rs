//! What needs attention as of a day, read from a `Playbook`: active goals and their due dates,
//! actions of feedback and conversations not done yet and when they are due, how recently each
//! practice was shown, the last 1:1 with the boss, and the agenda of the next one (`prep`). The dashboard, the prep page, `status` and `calendar` all
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
    /// Never shown, or not for more than `stale_after_days` (a practice no kind feeds and never
    /// shown is not stale: it has `how_to_record` instead).
    pub stale: bool,
    /// How to record a practice that no kind feeds and no entry has shown yet: "add
    /// `practices: [collaborate]` to an entry".
    pub how_to_record: Option<String>,
}

/// Whether some kind of the schema feeds the practice by default.
pub fn fed_by_a_kind(playbook: &Playbook, practice: Practice) -> bool {
    playbook
        .config
        .schema
        .kinds
        .iter()
        .any(|kind| kind.practice == practice)
}

/// The hint for a practice no kind feeds.
pub fn how_to_record(practice: Practice) -> String {
    format!("add `practices: [{}]` to an entry", practice.id())
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
            let unrecorded = last.is_none() && !fed_by_a_kind(playbook, practice);
            PracticeHealth {
                practice,
                last,
                days_since,
                recent: past
                    .iter()
                    .filter(|e| days_between(e.date.day, today) < RECENT_DAYS)
                    .count(),
                stale: !unrecorded && days_since.is_none_or(|days| days > stale_after),
                how_to_record: unrecorded.then(|| how_to_record(practice)),
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

/// An action not done yet, from a feedback or a conversation (any kind with `actions:`
/// records `{task, done, due}`).
pub struct OpenAction<'a> {
    pub entry: &'a Entry,
    pub task: &'a str,
    /// The entry's `follow_up:`, when it has one.
    pub follow_up: Option<EntryDate>,
    /// When it is due: the action's own `due:`, else the entry's `follow_up:`.
    pub due: Option<EntryDate>,
    /// Due before `today`.
    pub overdue: bool,
    /// Due on `today`.
    pub due_today: bool,
}

/// One item of an entry's `actions:`, done or not.
pub struct Action<'a> {
    pub entry: &'a Entry,
    /// Its place in the entry's list, from 1.
    pub number: usize,
    pub task: &'a str,
    pub done: bool,
    /// Its own `due:`, when set.
    pub due: Option<EntryDate>,
}

/// The kinds whose actions are on the agenda.
const ACTION_KINDS: [&str; 2] = [kind_name::FEEDBACK, kind_name::CONVERSATION];

/// Every action of feedback and conversations, in the playbook's order (newest entry first,
/// then the entry's own order).
pub fn actions(playbook: &Playbook) -> Vec<Action<'_>> {
    let schema = &playbook.config.schema;
    ACTION_KINDS
        .iter()
        .filter_map(|name| schema.kind_by_name(name))
        .flat_map(|kind| &playbook.by_kind[kind])
        .flat_map(|&i| actions_of(playbook, &playbook.entries[i]))
        .collect()
}

/// The items of an entry's `actions:` (a list of `{task, done, due}` records), done or not.
pub fn actions_of<'a>(playbook: &'a Playbook, entry: &'a Entry) -> Vec<Action<'a>> {
    let spec = playbook.config.schema.kind(entry.kind);
    let Some((_, actions_spec)) = spec.field(field::ACTIONS) else {
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
    let due_at = position(field::DUE);
    let Some(FieldValue::List(items)) = playbook.field(entry, field::ACTIONS) else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let FieldValue::Record(values) = item else {
                return None;
            };
            let value = |at: usize| values.get(at).and_then(|v| v.as_ref());
            Some(Action {
                entry,
                number: index + 1,
                task: value(task_at).and_then(FieldValue::as_text)?,
                done: value(done_at)
                    .and_then(FieldValue::as_bool)
                    .unwrap_or(false),
                due: due_at
                    .and_then(value)
                    .and_then(FieldValue::as_date)
                    .copied(),
            })
        })
        .collect()
}

/// Open actions of feedback and conversations, the soonest due (else the entry's date) first.
pub fn open_actions(playbook: &Playbook, today: Date) -> Vec<OpenAction<'_>> {
    let mut open: Vec<OpenAction<'_>> = actions(playbook)
        .into_iter()
        .filter(|action| !action.done)
        .map(|action| {
            let follow_up = follow_up(playbook, action.entry);
            let due = action.due.or(follow_up);
            OpenAction {
                entry: action.entry,
                task: action.task,
                follow_up,
                due,
                overdue: due.is_some_and(|d| d.day < today),
                due_today: due.is_some_and(|d| d.day == today),
            }
        })
        .collect();
    // A stable sort: same-day actions keep the playbook's order.
    open.sort_by_key(|action| action.due.unwrap_or(action.entry.date).day);
    open
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

/// Goals due within this many days are on the prep agenda (overdue ones too).
pub const PREP_GOALS_DAYS: i64 = 30;

/// Applied advice, and what came of it when written.
pub struct AppliedAdvice<'a> {
    pub entry: &'a Entry,
    pub outcome: Option<&'a str>,
}

/// The agenda of the next 1:1: the prep page and `playbook prep` both show this.
pub struct Prep<'a> {
    /// Position in `entries` of the last 1:1.
    pub last: Option<usize>,
    /// The last 1:1's `decisions:` and `next:`.
    pub decisions: Vec<&'a str>,
    pub next: Vec<&'a str>,
    /// Achievements and contributions dated after the last 1:1 (positions in `entries`).
    pub achievements: Vec<usize>,
    pub contributions: Vec<usize>,
    /// Advice applied, dated after the last 1:1.
    pub advice: Vec<AppliedAdvice<'a>>,
    pub actions: Vec<OpenAction<'a>>,
    /// Active goals due within `PREP_GOALS_DAYS` days, or overdue.
    pub goals: Vec<ActiveGoal<'a>>,
    /// Practices going quiet, and practices no kind feeds that were never recorded.
    pub practices: Vec<PracticeHealth>,
}

/// The prep agenda as of `today`.
pub fn prep(playbook: &Playbook, today: Date) -> Prep<'_> {
    let schema = &playbook.config.schema;
    let last = last_one_on_one(playbook, today);
    let since = last.map(|i| playbook.entries[i].date.day);
    let of_kind = |name: &str| -> Vec<usize> {
        schema
            .kind_by_name(name)
            .map(|kind| {
                playbook.by_kind[kind]
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let day = playbook.entries[i].date.day;
                        day <= today && since.is_none_or(|since| day > since)
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let list = |name: &str| -> Vec<&str> {
        let Some(i) = last else {
            return Vec::new();
        };
        match playbook.field(&playbook.entries[i], name) {
            Some(FieldValue::List(items)) => items.iter().filter_map(FieldValue::as_text).collect(),
            Some(value) => value.as_text().into_iter().collect(),
            None => Vec::new(),
        }
    };
    let advice = of_kind(kind_name::ADVICE)
        .into_iter()
        .map(|i| &*playbook.entries[i])
        .filter(|entry| {
            playbook
                .field(entry, field::APPLIED)
                .and_then(FieldValue::as_bool)
                == Some(true)
        })
        .map(|entry| AppliedAdvice {
            entry,
            outcome: playbook
                .field(entry, field::OUTCOME)
                .and_then(FieldValue::as_text)
                .map(str::trim)
                .filter(|text| !text.is_empty()),
        })
        .collect();
    Prep {
        last,
        decisions: list(field::DECISIONS),
        next: list(field::NEXT),
        achievements: of_kind(kind_name::ACHIEVEMENT),
        contributions: of_kind(kind_name::CONTRIBUTION),
        advice,
        actions: open_actions(playbook, today),
        goals: active_goals(playbook, today)
            .into_iter()
            .filter(|goal| goal.due_within(today, PREP_GOALS_DAYS))
            .collect(),
        practices: practice_health(playbook, today)
            .into_iter()
            .filter(|health| health.stale || health.how_to_record.is_some())
            .collect(),
    }
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
    fn how_to_record_names_the_practice_id() {
        assert_eq!(
            how_to_record(Practice::CelebrateAndSupport),
            "add `practices: [celebrate-and-support]` to an entry"
        );
    }

    #[test]
    fn horizon_at_the_end_of_the_calendar_stays_put() {
        assert_eq!(horizon(Date::MAX, 14), Date::MAX);
    }
}
