//! `/ladder/`: the career ladder's competencies × the quarters of the playbook, each cell the
//! number of entries that are evidence of that competency in that quarter's packet (linked to it), so
//! that thin areas show at a glance.

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::review::{Window, choose};
use crate::config::Competency;
use crate::period::{Period, Span};
use crate::schema::Section;

#[derive(Serialize)]
struct Column {
    name: String,
    label: String,
    /// The quarter's packet, when the quarter has entries.
    url: Option<String>,
}

#[derive(Serialize)]
struct Cell {
    count: usize,
    url: Option<String>,
}

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    competency: &'a Competency,
    total: usize,
    cells: Vec<Cell>,
}

/// Every quarter from the oldest entry's to the newest's, empty ones included.
fn quarters(r: &Renderer<'_>) -> Vec<Period> {
    let months = &r.playbook.months;
    let (Some(newest), Some(oldest)) = (months.first(), months.last()) else {
        return Vec::new();
    };
    let quarter = |year: i32, month: u8| Period::quarter(year, (month - 1) / 3 + 1);
    let (first, last) = (
        quarter(oldest.year, oldest.month),
        quarter(newest.year, newest.month),
    );
    let mut all = vec![last];
    while let Some(previous) = all.last().and_then(|q| q.previous()) {
        if previous < first {
            break;
        }
        all.push(previous);
    }
    all.reverse();
    all
}

pub(super) fn ladder_page(r: &Renderer<'_>, context: &mut Context) -> &'static str {
    let ladder = &r.playbook.config.ladder;
    let quarters = quarters(r);
    let with_entries = super::review_pages::periods(r.playbook);
    let url = |quarter: Period| {
        with_entries
            .contains(&quarter)
            .then(|| r.links.folder(&Section::Review.path(&quarter.path())))
    };
    // Per quarter, per competency: the entries of the quarter's packet that name it (an
    // entry once, though a mixed feedback is both praise and acted on).
    let counts: Vec<Vec<usize>> = quarters
        .iter()
        .map(|&quarter| {
            let mut keys: Vec<Vec<&str>> = vec![Vec::new(); ladder.len()];
            for chosen in choose(r.playbook, &Window::of_period(quarter)) {
                for id in &chosen.entry.competencies {
                    if let Some(c) = ladder.iter().position(|c| &c.id == id) {
                        keys[c].push(&chosen.entry.key);
                    }
                }
            }
            keys.into_iter()
                .map(|mut keys| {
                    keys.sort_unstable();
                    keys.dedup();
                    keys.len()
                })
                .collect()
        })
        .collect();
    let rows: Vec<Row<'_>> = ladder
        .iter()
        .enumerate()
        .map(|(c, competency)| {
            let cells: Vec<Cell> = quarters
                .iter()
                .zip(&counts)
                .map(|(&quarter, counts)| {
                    let count = counts.get(c).copied().unwrap_or(0);
                    Cell {
                        count,
                        url: (count > 0)
                            .then(|| url(quarter))
                            .flatten()
                            .map(|url| format!("{url}#competency-{}", competency.id)),
                    }
                })
                .collect();
            Row {
                competency,
                total: cells.iter().map(|cell| cell.count).sum(),
                cells,
            }
        })
        .collect();
    let columns: Vec<Column> = quarters
        .iter()
        .map(|&quarter| Column {
            name: quarter.name(),
            label: match quarter.span {
                Span::Quarter => format!("Q{} {}", quarter.number, quarter.year),
                _ => quarter.label(),
            },
            url: url(quarter),
        })
        .collect();
    context.insert("columns", &columns);
    context.insert("rows", &rows);
    "ladder.html"
}
