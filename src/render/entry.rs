//! The entry page: the body, and a panel that says the kind's fields in words a person reads.

use serde::Serialize;
use tera::{Context, Value};

use super::{PersonView, Renderer};
use crate::content::schema::{
    ActionItem, ContributionStatus, ContributionType, GoalOwner, GoalStatus, Metric, Tone,
};
use crate::content::{EntryDate, KindFields};
use crate::markdown;

#[derive(Serialize)]
struct DateView {
    long: String,
    iso: String,
}

impl From<&EntryDate> for DateView {
    fn from(date: &EntryDate) -> Self {
        DateView {
            long: date.long(),
            iso: date.iso(),
        }
    }
}

/// The kind-specific panel; `kind` tells the template which fields are there.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Panel<'a> {
    Goal {
        owner: Option<&'static str>,
        metric: Option<&'a str>,
        target: Option<&'a str>,
        progress: Option<u8>,
        due: Option<DateView>,
        status: &'static str,
        status_label: &'static str,
    },
    Advice {
        from: PersonView<'a>,
        asked: Option<&'static str>,
        applied: Option<&'static str>,
        outcome: Option<&'a str>,
    },
    Feedback {
        from: PersonView<'a>,
        tone: Option<&'static str>,
        actions: &'a [ActionItem],
        actions_done: usize,
        follow_up: Option<DateView>,
    },
    Loyalty {
        with: Vec<PersonView<'a>>,
        situation: Option<&'a str>,
        reciprocated: Option<&'static str>,
    },
    Achievement {
        impact: Option<&'a str>,
        metrics: &'a [Metric],
        recognized_by: Option<PersonView<'a>>,
        goal: Option<Value>,
    },
    Contribution {
        contribution_type: Option<&'static str>,
        status: Option<&'static str>,
        skills: &'a [String],
    },
    Conversation {
        with: Vec<PersonView<'a>>,
        topics: &'a [String],
        decisions: &'a [String],
    },
}

#[derive(Serialize)]
struct EntryView<'a> {
    card: Value,
    body: String,
    source: String,
    practices: Vec<&'static str>,
    people: Vec<PersonView<'a>>,
    related: Vec<Value>,
    /// Neighbours within the entry's kind, for reading a kind from one entry to the next.
    newer: Option<Value>,
    older: Option<Value>,
    panel: Panel<'a>,
}

pub(super) fn entry_page(r: &Renderer<'_>, index: usize, context: &mut Context) -> &'static str {
    let entry = &r.playbook.entries[index];
    // `by_kind` lists entry positions in ascending order, so the entry can be found by bisection.
    let siblings = r
        .playbook
        .by_kind
        .get(&entry.kind)
        .map_or(&[][..], Vec::as_slice);
    let position = siblings.binary_search(&index).ok();
    let sibling_card = |at: Option<usize>| {
        at.and_then(|at| siblings.get(at))
            .map(|&i| r.cards[i].clone())
    };
    let view = EntryView {
        card: r.cards[index].clone(),
        body: markdown::render_html(&entry.body),
        source: entry.source.to_string_lossy().replace('\\', "/"),
        practices: entry.practices.iter().map(|p| p.label()).collect(),
        people: entry.people.iter().map(|id| r.person_link(id)).collect(),
        related: entry
            .related
            .iter()
            .filter_map(|key| r.playbook.index_of(key))
            .map(|i| r.cards[i].clone())
            .collect(),
        newer: sibling_card(position.and_then(|p| p.checked_sub(1))),
        older: sibling_card(position.map(|p| p + 1)),
        panel: panel(r, &entry.fields),
    };
    context.insert("entry", &view);
    "entry.html"
}

fn yes_no(value: Option<bool>, yes: &'static str, no: &'static str) -> Option<&'static str> {
    value.map(|v| if v { yes } else { no })
}

fn panel<'a>(r: &Renderer<'a>, fields: &'a KindFields) -> Panel<'a> {
    match fields {
        KindFields::Goal(f) => Panel::Goal {
            owner: f.owner.map(|owner| match owner {
                GoalOwner::Boss => "My manager's goal",
                GoalOwner::Me => "My own goal",
                GoalOwner::Team => "The team's goal",
            }),
            metric: f.metric.as_deref(),
            target: f.target.as_deref(),
            progress: f.progress,
            due: f.due.as_ref().map(DateView::from),
            status: match f.status {
                GoalStatus::Active => "active",
                GoalStatus::Met => "met",
                GoalStatus::Dropped => "dropped",
            },
            status_label: match f.status {
                GoalStatus::Active => "In progress",
                GoalStatus::Met => "Met",
                GoalStatus::Dropped => "Dropped",
            },
        },
        KindFields::Advice(f) => Panel::Advice {
            from: r.person_link(&f.from),
            asked: yes_no(f.asked, "I asked for it", "Offered without my asking"),
            applied: yes_no(f.applied, "Applied", "Not applied yet"),
            outcome: f.outcome.as_deref(),
        },
        KindFields::Feedback(f) => Panel::Feedback {
            from: r.person_link(&f.from),
            tone: f.tone.map(|tone| match tone {
                Tone::Praise => "Praise",
                Tone::Constructive => "Constructive",
                Tone::Mixed => "Mixed",
            }),
            actions: &f.actions,
            actions_done: f.actions.iter().filter(|a| a.done).count(),
            follow_up: f.follow_up.as_ref().map(DateView::from),
        },
        KindFields::Loyalty(f) => Panel::Loyalty {
            with: f.with.iter().map(|id| r.person_link(id)).collect(),
            situation: f.situation.as_deref(),
            reciprocated: yes_no(f.reciprocated, "Returned in kind", "Not returned (yet)"),
        },
        KindFields::Achievement(f) => Panel::Achievement {
            impact: f.impact.as_deref(),
            metrics: &f.metrics,
            recognized_by: f.recognized_by.as_deref().map(|id| r.person_link(id)),
            goal: f
                .goal
                .as_deref()
                .and_then(|key| r.playbook.index_of(key))
                .map(|i| r.cards[i].clone()),
        },
        KindFields::Contribution(f) => Panel::Contribution {
            contribution_type: f.kind.map(|kind| match kind {
                ContributionType::Assignment => "Took on an assignment",
                ContributionType::Idea => "Brought an idea",
                ContributionType::Help => "Helped out",
            }),
            status: f.status.map(|status| match status {
                ContributionStatus::Proposed => "Proposed",
                ContributionStatus::Doing => "Under way",
                ContributionStatus::Done => "Done",
            }),
            skills: &f.skills,
        },
        KindFields::Conversation(f) => Panel::Conversation {
            with: f.with.iter().map(|id| r.person_link(id)).collect(),
            topics: &f.topics,
            decisions: &f.decisions,
        },
    }
}
