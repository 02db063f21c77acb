//! The review pages: `/review/` lists the years and, under each, the halves and quarters that
//! have entries; each of those periods has its packet page.

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::fragment::{self, Fragment};
use super::review::{Section as PacketSection, Window, choose, on_the_ladder, packet_title};
use crate::config::Competency;
use crate::content::Playbook;
use crate::error::Diagnostic;
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
struct CompetencyView<'a> {
    #[serde(flatten)]
    competency: &'a Competency,
    groups: Vec<GroupView>,
}

/// The items of one section, as HTML.
#[derive(Serialize)]
struct GroupView {
    id: &'static str,
    heading: &'static str,
    html: String,
}

/// What the page says of the packet beside its items.
#[derive(Serialize)]
struct PacketView<'a> {
    title: String,
    period: Window,
    count: usize,
    ladder: bool,
    gaps: Vec<&'a str>,
}

pub(super) fn review_page(
    r: &Renderer<'_>,
    period: Period,
    root: &str,
    context: &mut Context,
) -> Result<&'static str, Diagnostic> {
    let window = Window::of_period(period);
    let chosen = choose(r.playbook, &window);
    // Goals with work toward them in the period are told for it; every other item was told
    // once for the build.
    let told_here: Vec<Option<Fragment>> = (chosen.iter())
        .map(|chosen| match !chosen.toward.is_empty() {
            true => r.packet_item(chosen).map(Some),
            false => Ok(None),
        })
        .collect::<Result<_, _>>()?;
    let html: Vec<&Fragment> = (chosen.iter().zip(&told_here))
        .map(|(chosen, goal)| match goal {
            Some(fragment) => Ok(fragment),
            None => r.told_once(chosen),
        })
        .collect::<Result<_, _>>()?;
    let grouped = |positions: &[usize]| -> Vec<GroupView> {
        PacketSection::ALL
            .iter()
            .map(|&section| GroupView {
                id: section.id(),
                heading: section.heading(),
                html: fragment::join(
                    (positions.iter())
                        .filter(|&&i| chosen[i].section == section)
                        .map(|&i| html[i]),
                    root,
                ),
            })
            .filter(|group| !group.html.is_empty())
            .collect()
    };
    let named: Vec<&[String]> = (chosen.iter())
        .map(|chosen| chosen.entry.competencies.as_slice())
        .collect();
    let (evidence, unmapped, gaps) = on_the_ladder(r.playbook, &named);
    let competencies: Vec<CompetencyView<'_>> = (evidence.iter())
        .map(|evidence| CompetencyView {
            competency: evidence.competency,
            groups: grouped(&evidence.items),
        })
        .collect();
    let packet = PacketView {
        title: packet_title(r.playbook.config.owner.as_deref(), &period.label()),
        period: window,
        count: chosen.len(),
        ladder: !r.playbook.config.ladder.is_empty(),
        gaps,
    };
    context.insert("packet", &packet);
    context.insert("competencies", &competencies);
    let all: Vec<usize> = (0..chosen.len()).collect();
    context.insert("groups", &grouped(&all));
    context.insert("unmapped", &grouped(&unmapped));
    context.insert("ladder_url", &r.links.folder(&Section::Ladder.path("")));
    Ok("review.html")
}
