//! The practices: an index of the nine with how alive each is, and a page per practice with
//! its guide, how often it was practised month by month, and the entries that show it.

use serde::Serialize;
use tera::Context;

use super::Renderer;
use crate::content::Practice;
use crate::error::Diagnostic;
use crate::schema::Section;

#[derive(Serialize)]
struct PracticeView {
    id: &'static str,
    label: &'static str,
    guide: &'static str,
    url: String,
    count: usize,
    /// The newest entry's date, if any.
    last: Option<String>,
    last_iso: Option<String>,
}

fn practice_view(r: &Renderer<'_>, index: usize) -> PracticeView {
    let practice = Practice::ALL[index];
    let entries = &r.playbook.by_practice[index];
    let last = entries.first().map(|&i| &r.playbook.entries[i].date);
    PracticeView {
        id: practice.id(),
        label: practice.label(),
        guide: practice.guide(),
        url: r
            .links
            .folder(&Section::Practices.path(&format!("{}/", practice.id()))),
        count: entries.len(),
        last: last.map(|d| d.long()),
        last_iso: last.map(|d| d.iso()),
    }
}

pub(super) fn practices_index(r: &Renderer<'_>, context: &mut Context) -> &'static str {
    let practices: Vec<PracticeView> = (0..Practice::ALL.len())
        .map(|i| practice_view(r, i))
        .collect();
    context.insert("practices", &practices);
    "practices.html"
}

/// One bar of the activity chart: a month and how many entries showed the practice in it.
#[derive(Serialize)]
struct Bar {
    label: String,
    count: usize,
    /// Position and height in the chart's coordinates (0–100 high).
    x: usize,
    height: usize,
}

pub(super) fn practice_page(
    r: &Renderer<'_>,
    index: usize,
    root: &str,
    context: &mut Context,
) -> Result<&'static str, Diagnostic> {
    let entries = &r.playbook.by_practice[index];
    // Month by month from the playbook's first entry to its last, gaps included.
    let months = &r.playbook.months;
    let mut bars = Vec::new();
    if let (Some(newest), Some(oldest)) = (months.first(), months.last()) {
        let (mut year, mut month) = (oldest.year, oldest.month);
        let mut counts = std::collections::HashMap::new();
        for &i in entries {
            let date = &r.playbook.entries[i].date;
            *counts.entry((date.year(), date.month())).or_insert(0usize) += 1;
        }
        let most = counts.values().copied().max().unwrap_or(1).max(1);
        loop {
            let count = counts.get(&(year, month)).copied().unwrap_or(0);
            bars.push(Bar {
                label: format!("{year}-{month:02}"),
                count,
                x: bars.len() * 10,
                height: count * 100 / most,
            });
            if (year, month) >= (newest.year, newest.month) || bars.len() > 1200 {
                break;
            }
            (year, month) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
        }
    }
    context.insert("practice", &practice_view(r, index));
    context.insert("bars", &bars);
    context.insert("chart_width", &(bars.len() * 10));
    context.insert("count", &entries.len());
    context.insert("cards", &r.cards_html(entries, root)?);
    Ok("practice.html")
}
