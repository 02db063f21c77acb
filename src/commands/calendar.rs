//! `playbook calendar`: an iCalendar file (RFC 5545) of the playbook's dates, to import into a
//! calendar app: one all-day event per follow-up date, per action with its own `due:` date and
//! per goal due date. Printed, never published.
//!
//! Invariants: every event's UID is made of the entry's key and what the event is
//! (`follow-up.feedback/mid-year@playbook`, `action-due.conversations/weekly.2@playbook` for
//! the second action), so importing a newer file updates the events
//! instead of adding copies; DTSTAMP is the day given (or today), so the same playbook on the
//! same day gives the same bytes; lines end in CRLF and are folded at 75 octets.

use time::Date;

use super::{DayOptions, load_published};
use crate::content::agenda;
use crate::content::date;
use crate::content::{Entry, FieldValue, Playbook};
use crate::error::Failure;
use crate::schema::{field, kind_name};

/// The longest line, in octets, without its CRLF.
const MAX_LINE_OCTETS: usize = 75;

/// Loads the playbook (drafts left out) and writes its calendar.
pub fn calendar(options: &DayOptions) -> Result<String, Failure> {
    let playbook = load_published(&options.root)?;
    Ok(calendar_of(
        &playbook,
        options.today.unwrap_or_else(date::today),
    ))
}

/// One all-day event.
struct Event {
    uid: String,
    day: Date,
    summary: String,
    description: String,
    cancelled: bool,
}

/// The calendar of a loaded playbook, stamped `today`.
pub fn calendar_of(playbook: &Playbook, today: Date) -> String {
    let mut events = follow_up_events(playbook);
    events.extend(action_events(playbook));
    events.extend(goal_events(playbook));
    events.sort_by(|a, b| a.day.cmp(&b.day).then_with(|| a.uid.cmp(&b.uid)));

    let mut ics = String::new();
    let mut line = |name: &str, value: &str| push_folded(&mut ics, &format!("{name}:{value}"));
    line("BEGIN", "VCALENDAR");
    line("VERSION", "2.0");
    line("PRODID", "-//playbook//playbook//EN");
    line("CALSCALE", "GREGORIAN");
    line("METHOD", "PUBLISH");
    line("X-WR-CALNAME", &escape_text(&playbook.config.title));
    let stamp = format!("{}T000000Z", ics_date(today));
    for event in &events {
        line("BEGIN", "VEVENT");
        line("UID", &escape_text(&event.uid));
        line("DTSTAMP", &stamp);
        line("DTSTART;VALUE=DATE", &ics_date(event.day));
        let end = event.day.next_day().unwrap_or(event.day);
        line("DTEND;VALUE=DATE", &ics_date(end));
        line("SUMMARY", &escape_text(&event.summary));
        line("DESCRIPTION", &escape_text(&event.description));
        if event.cancelled {
            line("STATUS", "CANCELLED");
        }
        line("TRANSP", "TRANSPARENT");
        line("END", "VEVENT");
    }
    line("END", "VCALENDAR");
    ics
}

fn uid(what: &str, entry: &Entry) -> String {
    format!("{what}.{}@playbook", entry.key)
}

fn about(entry: &Entry) -> String {
    format!("{}\n{}", entry.title, entry.source.display())
}

/// A follow-up per entry with a `follow_up:` date, its open actions in the description.
fn follow_up_events(playbook: &Playbook) -> Vec<Event> {
    let open = agenda::open_actions(playbook, Date::MIN);
    agenda::follow_ups(playbook)
        .into_iter()
        .map(|(entry, day)| {
            let mut description = about(entry);
            let tasks: Vec<&str> = open
                .iter()
                .filter(|action| action.entry.key == entry.key)
                .map(|action| action.task)
                .collect();
            if !tasks.is_empty() {
                description.push_str("\nOpen actions:");
                for task in tasks {
                    description.push_str("\n- ");
                    description.push_str(task);
                }
            }
            Event {
                uid: uid("follow-up", entry),
                day: day.day,
                summary: format!("Follow up: {}", entry.title),
                description,
                cancelled: false,
            }
        })
        .collect()
}

/// An action's own due date; a done action stays in the file, cancelled, like a met goal.
/// (Actions without a date of their own are listed on their entry's follow-up.)
fn action_events(playbook: &Playbook) -> Vec<Event> {
    agenda::actions(playbook)
        .into_iter()
        .filter_map(|action| {
            let due = action.due?;
            Some(Event {
                uid: format!("action-due.{}.{}@playbook", action.entry.key, action.number),
                day: due.day,
                summary: format!("Action due: {}", action.task),
                description: about(action.entry),
                cancelled: action.done,
            })
        })
        .collect()
}

/// A goal's due date; a goal met or dropped stays in the file, cancelled, so that importing
/// it again takes the event off the calendar.
fn goal_events(playbook: &Playbook) -> Vec<Event> {
    let Some(kind) = playbook.config.schema.kind_by_name(kind_name::GOAL) else {
        return Vec::new();
    };
    playbook.by_kind[kind]
        .iter()
        .map(|&i| &*playbook.entries[i])
        .filter_map(|entry| {
            let due = playbook
                .field(entry, field::DUE)
                .and_then(FieldValue::as_date)?;
            let status = playbook
                .field(entry, field::STATUS)
                .and_then(FieldValue::as_text)
                .unwrap_or("active");
            Some(Event {
                uid: uid("goal-due", entry),
                day: due.day,
                summary: format!("Goal due: {}", entry.title),
                description: about(entry),
                cancelled: status != "active",
            })
        })
        .collect()
}

/// `20260314`.
fn ics_date(day: Date) -> String {
    date::iso_day(day).replace('-', "")
}

/// A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped; other
/// control characters, which TEXT does not allow, left out.
fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\t' => escaped.push(c),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Appends `line` and CRLF, folded (RFC 5545 3.1) so that no line is longer than
/// `MAX_LINE_OCTETS`, the leading space of a continuation included; never inside a character.
fn push_folded(out: &mut String, line: &str) {
    let mut room = MAX_LINE_OCTETS;
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > room {
            out.push_str("\r\n ");
            room = MAX_LINE_OCTETS - 1;
            used = 0;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_newline() {
        assert_eq!(escape_text("a\\b;c,d\ne\r"), "a\\\\b\\;c\\,d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(100));
        push_folded(&mut out, &line);
        let lines: Vec<&str> = out.split_terminator("\r\n").collect();
        assert!(lines.len() > 2);
        assert!(
            lines.iter().all(|l| l.len() <= MAX_LINE_OCTETS),
            "{lines:?}"
        );
        assert!(lines[1..].iter().all(|l| l.starts_with(' ')));
        let unfolded: String = out.trim_end().replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn short_lines_are_not_folded() {
        let mut out = String::new();
        push_folded(&mut out, &"x".repeat(MAX_LINE_OCTETS));
        assert_eq!(out, format!("{}\r\n", "x".repeat(MAX_LINE_OCTETS)));
    }
}
