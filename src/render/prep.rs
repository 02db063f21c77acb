//! The 1:1 prep page: what to bring to the next conversation with the boss — everything since
//! the last one — as an agenda that fits one printed page. `agenda::prep` decides what is on
//! it, so that `playbook prep` prints the same agenda.

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::dashboard::{action_views, goal_view, practice_views};
use crate::content::agenda;

#[derive(Serialize)]
struct AdviceView<'a> {
    title: &'a str,
    url: String,
    outcome: Option<&'a str>,
}

pub(super) fn prep(r: &Renderer<'_>, context: &mut Context) -> &'static str {
    let playbook = r.playbook;
    let today = r.today;
    let config = &playbook.config;
    let prep = agenda::prep(playbook, today);
    let advice: Vec<AdviceView<'_>> = prep
        .advice
        .iter()
        .map(|advice| AdviceView {
            title: &advice.entry.title,
            url: r.links.folder(&format!("{}/", advice.entry.key)),
            outcome: advice.outcome,
        })
        .collect();
    let goals: Vec<_> = prep.goals.iter().map(|goal| goal_view(r, goal)).collect();

    context.insert(
        "boss",
        &config.boss.as_deref().map(|id| config.person_name(id)),
    );
    context.insert("last_conversation", &prep.last.map(|i| r.card_value(i)));
    context.insert("decisions", &prep.decisions);
    context.insert("next", &prep.next);
    context.insert("today", &crate::content::date::iso_day(today));
    context.insert("achievements", &r.cards_of(&prep.achievements));
    context.insert("contributions", &r.cards_of(&prep.contributions));
    context.insert("advice", &advice);
    context.insert("actions", &action_views(r, &prep.actions));
    context.insert("goals", &goals);
    context.insert("goals_days", &agenda::PREP_GOALS_DAYS);
    context.insert("stale", &practice_views(r, prep.practices));
    "prep.html"
}
