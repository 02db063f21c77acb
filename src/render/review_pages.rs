//! The review pages: `/review/` lists the years and, under each, the halves and quarters that
//! have entries; each of those periods has its packet page.

use std::sync::OnceLock;

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::fragment::{Fragment, INSERT_MARK};
use super::review::{
    self, Chosen, Section as PacketSection, Window, choose, on_the_ladder, packet_title,
    sections_of,
};
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
    let pieces: Vec<Piece<'_>> = (chosen.iter())
        .map(|chosen| piece(r, chosen))
        .collect::<Result<_, _>>()?;
    let grouped = |positions: &[usize]| -> Vec<GroupView> {
        PacketSection::ALL
            .iter()
            .map(|&section| {
                let mut html = String::new();
                for &i in positions.iter().filter(|&&i| chosen[i].section == section) {
                    html.push('\n');
                    pieces[i].splice_into(&mut html, root);
                }
                GroupView {
                    id: section.id(),
                    heading: section.heading(),
                    html,
                }
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
    let all: Vec<usize> = (0..chosen.len()).collect();
    context.insert("packet", &packet);
    context.insert("competencies", &competencies);
    context.insert("groups", &grouped(&all));
    context.insert("unmapped", &grouped(&unmapped));
    context.insert("ladder_url", &r.links.folder(&Section::Ladder.path("")));
    Ok("review.html")
}

/// Packet items, rendered once for every packet that shows them: an entry in each section it
/// belongs to whatever the period (`review::sections_of`); a goal in its one section (which
/// follows from its status) with and without the work toward it; and an entry as work toward
/// a goal (`packet-toward.html`). Each packet splices in its own.
pub(super) struct PacketItems {
    told: Vec<OnceLock<Result<Told, Diagnostic>>>,
    work: Vec<OnceLock<Result<Fragment, Diagnostic>>>,
}

impl PacketItems {
    pub(super) fn new(entries: usize) -> PacketItems {
        PacketItems {
            told: (0..entries).map(|_| OnceLock::new()).collect(),
            work: (0..entries).map(|_| OnceLock::new()).collect(),
        }
    }
}

/// An entry told in its packet sections.
struct Told {
    sections: Vec<(PacketSection, Fragment)>,
    /// A goal's, with `INSERT_MARK` where the work toward it goes.
    with_work: Option<Fragment>,
}

/// One item of a packet page.
enum Piece<'r> {
    Told(&'r Fragment),
    /// A goal, and the work toward it in the period.
    Goal(&'r Fragment, Vec<&'r Fragment>),
}

impl Piece<'_> {
    fn splice_into(&self, out: &mut String, root: &str) {
        match self {
            Piece::Told(fragment) => fragment.splice_into(out, root),
            Piece::Goal(goal, work) => goal.splice_with(out, root, |out| {
                for mention in work {
                    mention.splice_into(out, root);
                }
            }),
        }
    }
}

/// `chosen` as its packet shows it.
fn piece<'r>(r: &'r Renderer<'_>, chosen: &Chosen<'_>) -> Result<Piece<'r>, Diagnostic> {
    let told = r.packet_items.told[chosen.index]
        .get_or_init(|| tell(r, chosen))
        .as_ref()
        .map_err(Clone::clone)?;
    if let (false, Some(goal)) = (chosen.toward.is_empty(), &told.with_work) {
        let work = (chosen.toward.iter())
            .map(|&work| work_toward(r, work))
            .collect::<Result<_, _>>()?;
        return Ok(Piece::Goal(goal, work));
    }
    (told.sections.iter())
        .find(|(section, _)| *section == chosen.section)
        .map(|(_, fragment)| Piece::Told(fragment))
        .ok_or_else(|| {
            let (key, section) = (&chosen.entry.key, chosen.section.id());
            Diagnostic::general(format!("{key} has no packet item for {section}"))
        })
}

/// Entry `chosen.entry` told in every section it can be in.
fn tell(r: &Renderer<'_>, chosen: &Chosen<'_>) -> Result<Told, Diagnostic> {
    let goal = chosen.section.is_goal();
    let sections = match goal {
        true => vec![chosen.section],
        false => sections_of(r.playbook, chosen.entry),
    };
    let alone = |section| Chosen {
        section,
        index: chosen.index,
        entry: chosen.entry,
        toward: Vec::new(),
    };
    Ok(Told {
        sections: (sections.into_iter())
            .map(|section| Ok((section, packet_item(r, &alone(section), "")?)))
            .collect::<Result<_, Diagnostic>>()?,
        with_work: match goal {
            true => Some(packet_item(r, &alone(chosen.section), INSERT_MARK)?),
            false => None,
        },
    })
}

/// A piece of evidence as a packet tells it (`packet-item.html`); `work` is what the template
/// gets as `work`, the work toward a goal as HTML.
fn packet_item(r: &Renderer<'_>, chosen: &Chosen<'_>, work: &str) -> Result<Fragment, Diagnostic> {
    let item = review::item(r.playbook, Some(&r.links), chosen);
    let mut context = Context::new();
    context.insert("i", &item);
    context.insert("section_id", chosen.section.id());
    context.insert("work", work);
    let what = format!("the packet item of {}", chosen.entry.key);
    r.fragment("packet-item.html", context, &what)
}

/// Entry `index` as work toward a goal (`packet-toward.html`), rendered once.
fn work_toward<'r>(r: &'r Renderer<'_>, index: usize) -> Result<&'r Fragment, Diagnostic> {
    let rendered = r.packet_items.work[index].get_or_init(|| {
        let work = &r.playbook.entries[index];
        let mut context = Context::new();
        context.insert("w", &review::mention(Some(&r.links), work));
        let what = format!("{} as work toward a goal", work.key);
        r.fragment("packet-toward.html", context, &what)
    });
    rendered.as_ref().map_err(Clone::clone)
}
