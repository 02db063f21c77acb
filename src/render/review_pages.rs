//! The review pages: `/review/` lists the years and, under each, the halves and quarters that
//! have entries; each of those periods has its packet page.

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::review::{Group, Window, choose, packet, packet_title};
use crate::config::Competency;
use crate::content::Playbook;
use crate::period::{Period, Span};
use crate::schema::Section;

/// The periods with a packet page: each year with entries, and its halves and quarters that
/// have entries; years in order, each followed by its parts.
pub fn periods(playbook: &Playbook) -> Vec<Period> {
    let mut periods: Vec<Period> = Vec::new();
    for month in playbook.months.iter() {
        if month.entries.is_empty() {
            continue;
        }
        let Ok(month_number) = time::Month::try_from(month.month) else {
            continue;
        };
        let Ok(day) = time::Date::from_calendar_date(month.year, month_number, 1) else {
            continue;
        };
        for length in [Span::Year, Span::Half, Span::Quarter] {
            let period = Period::containing(length, day);
            if !periods.contains(&period) {
                periods.push(period);
            }
        }
    }
    periods.sort();
    periods
}

#[derive(Serialize)]
struct PeriodLink {
    name: String,
    label: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct YearLinks {
    year: PeriodLink,
    halves: Vec<PeriodLink>,
    quarters: Vec<PeriodLink>,
}

pub(super) fn reviews_index(r: &Renderer<'_>, context: &mut Context) -> &'static str {
    let link = |period: Period| PeriodLink {
        name: period.name(),
        label: match period.span {
            Span::Year => period.name(),
            _ => period
                .name()
                .rsplit('-')
                .next()
                .unwrap_or_default()
                .to_string(),
        },
        url: r.links.folder(&Section::Review.path(&period.path())),
        count: choose(r.playbook, &Window::of_period(period)).len(),
    };
    let mut years: Vec<YearLinks> = Vec::new();
    for period in periods(r.playbook) {
        match period.span {
            Span::Year => years.push(YearLinks {
                year: link(period),
                halves: Vec::new(),
                quarters: Vec::new(),
            }),
            Span::Half => {
                if let Some(year) = years.last_mut() {
                    year.halves.push(link(period));
                }
            }
            Span::Quarter => {
                if let Some(year) = years.last_mut() {
                    year.quarters.push(link(period));
                }
            }
            Span::Month => {}
        }
    }
    // The latest year first: that is the one a review is about.
    years.reverse();
    context.insert("years", &years);
    "reviews.html"
}

/// A competency and its evidence by section.
#[derive(Serialize)]
struct CompetencyView<'p, 'a> {
    #[serde(flatten)]
    competency: &'a Competency,
    groups: Vec<Group<'p, 'a>>,
}

pub(super) fn review_page(r: &Renderer<'_>, period: Period, context: &mut Context) -> &'static str {
    let title = packet_title(r.playbook.config.owner.as_deref(), &period.label());
    let packet = packet(r.playbook, Some(&r.links), title, Window::of_period(period));
    let competencies: Vec<CompetencyView<'_, '_>> = packet
        .competencies
        .iter()
        .map(|evidence| CompetencyView {
            competency: evidence.competency,
            groups: packet.grouped(&evidence.items),
        })
        .collect();
    context.insert("packet", &packet);
    context.insert("competencies", &competencies);
    context.insert("groups", &packet.all_grouped());
    context.insert("unmapped", &packet.grouped(&packet.unmapped));
    context.insert("ladder_url", &r.links.folder(&Section::Ladder.path("")));
    "review.html"
}
