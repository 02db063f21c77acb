//! jrnl's JSON export (`jrnl --export json > journal.json`): an object whose `entries` each
//! have a `date` (`YYYY-MM-DD`), a `time`, a `title`, a `body`, `tags` (`@work`) and
//! `starred`. Each becomes an entry of `--kind` (a conversation unless told): its tags without
//! their `@`, and `starred` as the tag `starred`. The time of day is left out: a day is what
//! an entry's date holds when it has no time zone, and jrnl's times have none.

use serde::Deserialize;

use super::item::{At, Item, Read, required_from, tag, title_and_body};
use crate::config::Config;
use crate::content::date::EntryDate;
use crate::schema::{KindId, kind_name};

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    starred: bool,
}

pub fn read(text: &str, config: &Config, kind: Option<KindId>) -> Read {
    let kind = kind
        .or_else(|| config.schema.kind_by_name(kind_name::CONVERSATION))
        .unwrap_or(0);
    let mut read = Read::default();
    let export: serde_json::Value = match serde_json::from_str(text) {
        Ok(export) => export,
        Err(err) => {
            let message = format!("not JSON, as `jrnl --export json` writes it: {err}");
            // serde_json ends its message with the place; it is the diagnostic's.
            let message = match message.rfind(" at line ") {
                Some(at) => message[..at].to_string(),
                None => message,
            };
            read.problems
                .push((At::new(err.line().max(1), err.column().max(1)), message));
            read.unreadable = true;
            return read;
        }
    };
    let Some(entries) = export.get("entries").and_then(|e| e.as_array()) else {
        read.problems.push((
            At::new(1, 1),
            "not a jrnl export: it is an object with an `entries` list (`jrnl --export json`)"
                .into(),
        ));
        read.unreadable = true;
        return read;
    };
    let starts = object_starts(text);
    for (n, value) in entries.iter().enumerate() {
        let at = starts.get(n).copied().unwrap_or(At::new(1, 1));
        // Each entry on its own: a wrong one is reported and the others are read.
        let entry = match Entry::deserialize(value) {
            Ok(entry) => entry,
            Err(err) => {
                read.drop_item(at, format!("the entry is not one jrnl writes: {err}"));
                continue;
            }
        };
        if entry.date.trim().is_empty() {
            read.drop_item(at, "the entry has no `date`");
            continue;
        }
        let date = match EntryDate::parse(&entry.date) {
            Ok(date) => date.iso(),
            Err(message) => {
                read.drop_item(at, format!("`date`: {message}"));
                continue;
            }
        };
        // jrnl keeps the first sentence as the title; an entry of one long line is cut.
        let (title, rest) = title_and_body(&entry.title);
        if title.is_empty() {
            read.drop_item(at, "the entry has no title");
            continue;
        }
        let body = [rest.as_str(), entry.body.trim()]
            .iter()
            .filter(|part| !part.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n\n");
        let mut tags: Vec<String> = entry.tags.iter().filter_map(|t| tag(t)).collect();
        if entry.starred {
            tags.push("starred".into());
        }
        let mut seen = std::collections::HashSet::new();
        tags.retain(|tag| seen.insert(tag.clone()));
        let fields = required_from(config, kind, &format!("{title} {body}"))
            .map(|from| vec![("from".to_string(), from, at)])
            .unwrap_or_default();
        read.items.push(Item {
            at,
            kind,
            title,
            date,
            tags,
            tags_at: None,
            date_at: None,
            flawed: false,
            fields,
            body,
        });
    }
    read
}

/// Where each element of the `entries` array starts: each value of an array that is itself
/// in the top object (an entry that is no object too, so that the ones after it keep their
/// places).
fn object_starts(text: &str) -> Vec<At> {
    let mut starts = Vec::new();
    // The open brackets, innermost last.
    let mut open: Vec<u8> = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    let (mut line, mut line_start) = (1, 0);
    // Right after the `[` or a `,` of such an array: the next value starts an element.
    let mut element_next = false;
    for (i, byte) in text.bytes().enumerate() {
        if byte == b'\n' {
            line += 1;
            line_start = i + 1;
        }
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if element_next && !byte.is_ascii_whitespace() && byte != b']' {
            starts.push(At::new(line, text[line_start..i].chars().count() + 1));
            element_next = false;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                open.push(byte);
                element_next = open == b"{[";
            }
            b'}' | b']' => {
                open.pop();
                element_next = false;
            }
            b',' => element_next = open == b"{[",
            _ => {}
        }
    }
    starts
}
