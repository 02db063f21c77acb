//! The review pages: an index of the years, and a packet per calendar year.

use serde::Serialize;
use tera::Context;
use time::{Date, Month};

use super::Renderer;
use super::review::packet;
use crate::schema::Section;

#[derive(Serialize)]
struct YearLink {
    year: i32,
    url: String,
    count: usize,
}

fn year_bounds(year: i32) -> (Option<Date>, Option<Date>) {
    (
        Date::from_calendar_date(year, Month::January, 1).ok(),
        Date::from_calendar_date(year, Month::December, 31).ok(),
    )
}

pub(super) fn reviews_index(r: &Renderer<'_>, context: &mut Context) -> &'static str {
    let mut years: Vec<i32> = r.playbook.months.iter().map(|m| m.year).collect();
    years.dedup();
    let links: Vec<YearLink> = years
        .into_iter()
        .map(|year| {
            let (since, until) = year_bounds(year);
            YearLink {
                year,
                url: r.links.folder(&Section::Review.path(&format!("{year}/"))),
                count: packet(r.playbook, &r.links, String::new(), since, until).count,
            }
        })
        .collect();
    context.insert("years", &links);
    "reviews.html"
}

pub(super) fn review_page(r: &Renderer<'_>, year: i32, context: &mut Context) -> &'static str {
    let (since, until) = year_bounds(year);
    let owner = r.playbook.config.owner.as_deref().unwrap_or("My");
    let title = if owner == "My" {
        format!("My {year} in review")
    } else {
        format!("{owner}: {year} in review")
    };
    context.insert("packet", &packet(r.playbook, &r.links, title, since, until));
    context.insert("year", &year);
    "review.html"
}
