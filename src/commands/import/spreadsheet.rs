//! A spreadsheet saved as CSV: a header row names the fields (`title`, `date`, `body`, `tags`
//! and any field of the kind or common to all, such as `impact` or `people`), each row after
//! it is an entry of `--kind`. A value is read as its field's type: a list as `a, b` or
//! `a; b`, a number, `yes`/`no`. Case and spaces in the header do not matter.

use serde_yaml::Value;

use super::item::{At, Item, Read, required_from, tag};
use crate::commands::add::typed;
use crate::config::Config;
use crate::error::did_you_mean;
use crate::schema::{FieldType, KindId, field};

pub fn read(text: &str, config: &Config, kind: KindId) -> Read {
    let mut read = Read::default();
    // Excel writes `;` between cells where a comma is the decimal mark: a header row with
    // semicolons and no comma says so.
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = match header_line.contains(';') && !header_line.contains(',') {
        true => b';',
        false => b',',
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header = match reader.headers() {
        Ok(header) => header.clone(),
        Err(err) => {
            let message = format!("cannot read the header row: {}", reason(&err));
            read.problems.push((error_at(&err), message));
            read.unreadable = true;
            return read;
        }
    };
    let columns: Vec<String> = header
        .iter()
        .map(|name| name.trim().to_lowercase().replace([' ', '-'], "_"))
        .collect();
    let header_cells = cell_starts(text, 0, 1, columns.len(), delimiter);
    let header = header_problems(config, kind, &columns, &header_cells);
    read.problems = header.problems;
    if header.fatal {
        read.unreadable = true;
        return read;
    }
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                read.drop_item(error_at(&err), reason(&err));
                continue;
            }
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let position = (record.position().cloned()).unwrap_or_else(csv::Position::new);
        let (byte, line) = (position.byte() as usize, position.line() as usize);
        let cells = cell_starts(text, byte, line, record.len(), delimiter);
        if record.len() > columns.len() {
            let message = format!(
                "{} cells, and the header names {}",
                record.len(),
                columns.len()
            );
            read.drop_item(cells[columns.len()], message);
            continue;
        }
        let (item, problems) = item_of(config, kind, &columns, &header.ignored, &record, &cells);
        match item {
            Some(mut item) => {
                item.flawed = !problems.is_empty();
                read.problems.extend(problems);
                read.items.push(item);
            }
            None => {
                read.problems.extend(problems);
                read.dropped += 1;
            }
        }
    }
    read
}

/// What is wrong with the header row.
struct Header {
    problems: Vec<(At, String)>,
    /// No `title` or no `date` column: no row can be read.
    fatal: bool,
    /// Columns left out: one no field of the kind has, or one named twice (with
    /// `--skip-bad`, the rows are read without them).
    ignored: Vec<bool>,
}

/// The header row's problems: a column named twice, one no field of the kind has, `title` or
/// `date` missing.
fn header_problems(config: &Config, kind: KindId, columns: &[String], cells: &[At]) -> Header {
    let spec = config.schema.kind(kind);
    // What a cell can hold: not a list of records (a feedback's actions), and not what the
    // import writes itself or that could clash with another entry (`slug`, `related`).
    let known: Vec<&str> = (spec.fields.iter().chain(&config.schema.common))
        .filter(|f| !holds_records(&f.ty))
        .map(|f| f.name.as_str())
        .filter(|name| ![field::DRAFT, field::SLUG, field::RELATED].contains(name))
        .chain([BODY])
        .collect();
    let mut header = Header {
        problems: Vec::new(),
        fatal: false,
        ignored: vec![false; columns.len()],
    };
    for (i, name) in columns.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        let message = if columns[..i].contains(name) {
            format!("`{name}` is a column twice in the header row")
        } else if !known.contains(&name.as_str()) {
            format!(
                "`{name}` is not a column an import of {} entries reads (the columns: {}){}",
                spec.name,
                known.join(", "),
                did_you_mean(name, known.iter().copied()),
            )
        } else {
            continue;
        };
        header.problems.push((cells[i], message));
        header.ignored[i] = true;
    }
    for required in [field::TITLE, field::DATE] {
        if !columns.iter().any(|c| c == required) {
            let message = format!("the header row has no `{required}` column");
            header.problems.push((At::new(1, 1), message));
            header.fatal = true;
        }
    }
    header
}

/// The entry a row gives (none without a title or a date) and the problems of its cells;
/// the date is checked with the rest of the entry, at its cell.
fn item_of(
    config: &Config,
    kind: KindId,
    columns: &[String],
    ignored: &[bool],
    record: &csv::StringRecord,
    cells: &[At],
) -> (Option<Item>, Vec<(At, String)>) {
    let spec = config.schema.kind(kind);
    let at = cells.first().copied().unwrap_or(At::new(1, 1));
    let mut item = Item {
        at,
        kind,
        title: String::new(),
        date: String::new(),
        tags: Vec::new(),
        tags_at: None,
        date_at: None,
        flawed: false,
        fields: Vec::new(),
        body: String::new(),
    };
    let mut problems = Vec::new();
    for (i, cell) in record.iter().enumerate() {
        let (name, at) = (columns[i].as_str(), cells[i]);
        let cell = cell.trim().replace("\r\n", "\n");
        let cell = cell.as_str();
        match name {
            _ if cell.is_empty() || ignored[i] => {}
            "" => problems.push((
                at,
                "a value in a column the header row gives no name".into(),
            )),
            field::TITLE => item.title = cell.split_whitespace().collect::<Vec<_>>().join(" "),
            field::DATE => {
                item.date = cell.to_string();
                item.date_at = Some(at);
            }
            BODY => item.body = cell.to_string(),
            field::TAGS => {
                item.tags = list(cell).filter_map(tag).collect();
                item.tags_at = Some(at);
            }
            _ => {
                let ty = (spec.fields.iter().chain(&config.schema.common))
                    .find(|f| f.name == name)
                    .map(|f| &f.ty);
                let value = match ty {
                    Some(FieldType::List(item)) => {
                        Value::Sequence(list(cell).map(|part| value(config, item, part)).collect())
                    }
                    Some(ty) => value(config, ty, cell),
                    None => Value::from(cell),
                };
                item.fields.push((name.to_string(), value, at));
            }
        }
    }
    for (required, value) in [(field::TITLE, &item.title), (field::DATE, &item.date)] {
        if value.is_empty() {
            let column = columns.iter().position(|c| c == required).unwrap_or(0);
            let at = cells.get(column).copied().unwrap_or(at);
            problems.push((at, format!("the row has no `{required}`")));
        }
    }
    if item.title.is_empty() || item.date.is_empty() {
        return (None, problems);
    }
    let has_from = item.fields.iter().any(|(name, _, _)| name == "from");
    let text = format!("{} {}", item.title, item.body);
    if let Some(from) = required_from(config, kind, &text).filter(|_| !has_from) {
        item.fields.push(("from".into(), from, at));
    }
    (Some(item), problems)
}

/// Whether a field holds records (a feedback's `actions`), which no cell can.
fn holds_records(ty: &FieldType) -> bool {
    match ty {
        FieldType::Record(_) => true,
        FieldType::List(item) => holds_records(item),
        _ => false,
    }
}

/// A cell as a value of type `ty`, as `add` reads one; besides, a word of a list of words in
/// any case (`Praise`), and a person by name (`Dana Boss`) as well as by id.
fn value(config: &Config, ty: &FieldType, cell: &str) -> Value {
    match ty {
        FieldType::Enum(words) => {
            let word = words.iter().find(|word| word.eq_ignore_ascii_case(cell));
            Value::from(word.map_or(cell, String::as_str))
        }
        FieldType::Person => {
            let named = (config.people.iter()).find(|(id, person)| {
                id.eq_ignore_ascii_case(cell) || person.name.eq_ignore_ascii_case(cell)
            });
            Value::from(named.map_or(cell, |(id, _)| id.as_str()))
        }
        _ => typed(ty, cell),
    }
}

/// The column of the body: Markdown, below the front matter.
const BODY: &str = "body";

/// A list cell's items: split at `;` when it has one (so that items may hold commas), else
/// at `,`.
fn list(cell: &str) -> impl Iterator<Item = &str> {
    let separator = if cell.contains(';') { ';' } else { ',' };
    cell.split(separator)
        .map(str::trim)
        .filter(|part| !part.is_empty())
}

fn error_at(err: &csv::Error) -> At {
    match err.position() {
        Some(position) => At::new(position.line() as usize, 1),
        None => At::new(1, 1),
    }
}

/// The csv crate's message without the place it adds (the diagnostic has it).
fn reason(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} cells, and the header names {expected_len}")
        }
        csv::ErrorKind::Utf8 { err, .. } => format!("not UTF-8 text ({err})"),
        _ => err.to_string(),
    }
}

/// Where each of the `count` cells of the record starting at byte `start` (on `line`) begins:
/// a quoted cell may hold commas, quotes written twice and line breaks.
fn cell_starts(text: &str, start: usize, line: usize, count: usize, delimiter: u8) -> Vec<At> {
    let bytes = text.as_bytes();
    let mut i = start.min(bytes.len());
    let mut line = line;
    // A record after `\r\n` is placed by the csv crate at its `\n`.
    while let Some(b'\r' | b'\n') = bytes.get(i) {
        if bytes[i] == b'\n' {
            line += 1;
        }
        i += 1;
    }
    let mut line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
    let mut cells = Vec::with_capacity(count);
    while cells.len() < count {
        cells.push(At::new(line, text[line_start..i].chars().count() + 1));
        // A quote opens a quoted cell only at its start (`27" monitor` is text).
        let cell_start = i;
        let mut quoted = false;
        while i < bytes.len() {
            match bytes[i] {
                b'"' if quoted && bytes.get(i + 1) == Some(&b'"') => i += 1,
                b'"' if quoted || i == cell_start => quoted = !quoted,
                b if b == delimiter && !quoted => break,
                b'\n' if !quoted => break,
                b'\n' => {
                    line += 1;
                    line_start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        if bytes.get(i) != Some(&delimiter) {
            // The record ended early: the rest of its cells start where it ends.
            while cells.len() < count {
                cells.push(At::new(line, text[line_start..i].chars().count() + 1));
            }
            break;
        }
        i += 1;
    }
    cells
}
