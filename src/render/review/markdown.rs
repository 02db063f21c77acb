//! A packet as Markdown, to paste into a review form: by section, or with a ladder by
//! competency (each by section), then what is not mapped, then the gaps. Every item names its
//! date.

use std::fmt::Write as _;

use super::{Item, Packet, Section};

/// The packet as Markdown.
pub fn to_markdown(packet: &Packet<'_>) -> String {
    let mut out = format!("# {}\n", packet.title);
    // A named period's title does not give its days; dates given do.
    if packet.period.name.is_some() {
        let _ = write!(out, "\n{}\n", packet.period.label);
    }
    if packet.items.is_empty() {
        out.push_str("\nNothing recorded for this period.\n");
    }
    if packet.competencies.is_empty() {
        let all: Vec<usize> = (0..packet.items.len()).collect();
        write_sections(&mut out, packet, &all, "##");
        return out;
    }
    for evidence in packet.competencies.iter().filter(|e| !e.items.is_empty()) {
        let _ = write!(out, "\n## {}\n", evidence.competency.name);
        if let Some(description) = &evidence.competency.description {
            let _ = write!(out, "\n{}\n", one_line(description));
        }
        if let Some(level) = &evidence.competency.level {
            let _ = write!(out, "\n*Expected:* {}\n", one_line(level));
        }
        write_sections(&mut out, packet, &evidence.items, "###");
    }
    if !packet.unmapped.is_empty() {
        out.push_str("\n## Not mapped to the ladder\n");
        write_sections(&mut out, packet, &packet.unmapped, "###");
    }
    if !packet.gaps.is_empty() {
        out.push_str("\n## Gaps\n\nNo evidence in this period for:\n\n");
        for evidence in packet.competencies.iter().filter(|e| e.items.is_empty()) {
            let _ = write!(out, "- **{}**", evidence.competency.name);
            if let Some(description) = &evidence.competency.description {
                let _ = write!(out, ": {}", one_line(description));
            }
            out.push('\n');
        }
    }
    out
}

/// The items at `positions`, under a heading per section.
fn write_sections(out: &mut String, packet: &Packet<'_>, positions: &[usize], level: &str) {
    for group in packet.grouped(positions) {
        let _ = write!(out, "\n{level} {}\n\n", group.heading);
        for item in group.items {
            write_item(out, item);
        }
    }
}

fn write_item(out: &mut String, item: &Item<'_>) {
    let _ = write!(out, "- **{}** ({}", one_line(item.title), item.date_long);
    if let Some(due) = &item.due_long {
        let _ = write!(out, ", due {due}");
    }
    out.push(')');
    let summary = one_line(item.summary);
    match item.section {
        Section::Praise => {
            let from = item
                .people
                .first()
                .map(|p| format!(" — {p}"))
                .unwrap_or_default();
            let _ = write!(out, "\n  > {summary}{from}");
        }
        Section::GoalsInProgress => {
            if let Some(progress) = item.progress {
                let _ = write!(out, ": {progress}% done");
            } else if !summary.is_empty() {
                let _ = write!(out, ": {summary}");
            }
        }
        Section::AdviceApplied => {
            if let Some(from) = item.people.first() {
                let _ = write!(out, ", from {from}");
            }
            match item.outcome {
                Some(outcome) => {
                    let _ = write!(out, ": {}", one_line(outcome));
                }
                None => out.push_str(": applied; how it went is not written yet"),
            }
        }
        _ => match item.impact {
            Some(impact) => {
                let _ = write!(out, ": {}", one_line(impact));
            }
            None if !summary.is_empty() => {
                let _ = write!(out, ": {summary}");
            }
            None => {}
        },
    }
    out.push('\n');
    for metric in &item.metrics {
        let _ = writeln!(
            out,
            "  - {}: {} → {}",
            metric.name,
            metric.before.unwrap_or("–"),
            metric.after.unwrap_or("–")
        );
    }
    for task in &item.actions_done {
        let _ = writeln!(out, "  - done: {}", one_line(task));
    }
    for work in &item.toward {
        let _ = writeln!(
            out,
            "  - toward it: {} ({})",
            one_line(work.title),
            work.date
        );
    }
}

/// Text on one line, so that it stays inside its list item.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
