//! The 1:1 prep page: what to bring to the next conversation with the boss — everything since
//! the last one — as an agenda that fits one printed page.

use tera::Context;

use super::Renderer;
use super::dashboard::{goal_view, open_actions, practice_health};
use crate::content::FieldValue;
use crate::content::agenda;
use crate::schema::{field, kind_name};

/// Goals due within this many days are on the agenda (overdue ones too).
const DUE_SOON_DAYS: i64 = 30;

pub(super) fn prep(r: &Renderer<'_>, context: &mut Context) -> &'static str {
    let playbook = r.playbook;
    let today = r.today;
    let config = &playbook.config;
    let schema = &config.schema;
    let boss = config.boss.as_deref();

    // The last conversation with the boss (or any conversation, if no boss is named).
    let last = agenda::last_one_on_one(playbook, today);
    let since = last.map(|i| playbook.entries[i].date.day);
    let is_new = |i: &usize| {
        let day = playbook.entries[*i].date.day;
        day <= today && since.is_none_or(|since| day > since)
    };
    let of_kind = |name: &str| -> Vec<usize> {
        schema
            .kind_by_name(name)
            .map(|kind| {
                playbook.by_kind[kind]
                    .iter()
                    .copied()
                    .filter(is_new)
                    .collect()
            })
            .unwrap_or_default()
    };
    let applied_advice: Vec<usize> = of_kind(kind_name::ADVICE)
        .into_iter()
        .filter(|&i| {
            playbook
                .field(&playbook.entries[i], field::APPLIED)
                .and_then(FieldValue::as_bool)
                == Some(true)
        })
        .collect();
    let due_soon: Vec<_> = agenda::active_goals(playbook, today)
        .iter()
        .filter(|goal| goal.due_within(today, DUE_SOON_DAYS))
        .map(|goal| goal_view(r, goal))
        .collect();
    let stale: Vec<_> = practice_health(r, today)
        .into_iter()
        .filter(|p| p.stale)
        .collect();

    context.insert("boss", &boss.map(|id| config.person_name(id)));
    context.insert("last_conversation", &last.map(|i| r.cards[i].clone()));
    context.insert("today", &crate::content::date::iso_day(today));
    context.insert("achievements", &r.cards_of(&of_kind("achievement")));
    context.insert("contributions", &r.cards_of(&of_kind("contribution")));
    context.insert("advice", &r.cards_of(&applied_advice));
    context.insert("actions", &open_actions(r, today));
    context.insert("goals", &due_soon);
    context.insert("stale", &stale);
    "prep.html"
}
