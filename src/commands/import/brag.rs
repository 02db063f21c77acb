//! A brag document in Markdown, in the shape most templates give it: headings for periods
//! (`## 2026-03`, `## March 2026`, `## Q1 2026`) and for sections (`## Projects`,
//! `### Collaboration & mentorship`), and under them items, as bullets or paragraphs,
//! perhaps starting with their own date (`- 2026-03-14: Shipped the ledger`).
//!
//! An item's kind comes from the nearest section heading above it ([`DEFAULT_MAP`], then
//! `--map`), its date from its own start or else the nearest dated heading above it, its
//! title from its first sentence and its body from the rest, nested bullets included.

use time::Date;

use super::dates::{find_date, leading_date, unread_in_heading, yearless};
use super::item::{At, Item, Read, list_marker, required_from, title_and_body};
use crate::commands::new::{NewError, unknown_kind};
use crate::config::Config;
use crate::content::EntryDate;
use crate::schema::{KindId, kind_name};

/// Which kind a section becomes, by a word of its heading (the first word of the heading
/// found here decides): documented in the README. A section that names none of these is an
/// achievement (or `--kind`).
pub const DEFAULT_MAP: &[(&str, &[&str])] = &[
    (
        kind_name::ACHIEVEMENT,
        &[
            "projects",
            "project",
            "wins",
            "achievements",
            "accomplishments",
            "impact",
            "results",
            "shipped",
            "highlights",
            "learning",
            "learnings",
            "skills",
        ],
    ),
    (
        kind_name::CONTRIBUTION,
        &[
            "collaboration",
            "mentorship",
            "mentoring",
            "contributions",
            "helping",
            "hiring",
            "interviewing",
            "interviews",
            "community",
            "documentation",
            "design",
            "onboarding",
            "glue",
            "teamwork",
        ],
    ),
    (
        kind_name::FEEDBACK,
        &[
            "feedback",
            "praise",
            "kudos",
            "recognition",
            "shout-outs",
            "shoutouts",
            "thanks",
            "compliments",
        ],
    ),
    (kind_name::ADVICE, &["advice", "lessons", "tips"]),
    (
        kind_name::GOAL,
        &["goals", "goal", "objectives", "okrs", "plans"],
    ),
    (
        kind_name::CONVERSATION,
        &["1:1", "1:1s", "one-on-ones", "conversations", "meetings"],
    ),
    (kind_name::LOYALTY, &["loyalty"]),
];

/// Section names (as [`normal`] writes them) and the kinds `--map` gives them.
pub type Mapping = Vec<(String, KindId)>;

/// `--map "Section name=kind"` read; a kind that is none is a usage error.
pub fn mapping(config: &Config, map: &[String]) -> Result<Mapping, NewError> {
    map.iter()
        .map(|pair| {
            let Some((section, kind)) = pair.rsplit_once('=') else {
                return Err(NewError::Usage(format!(
                    "--map {pair}: write \"Section name=kind\", e.g. --map \"Side projects=contribution\""
                )));
            };
            let id = (config.schema)
                .kind_by_name(kind.trim())
                .ok_or_else(|| NewError::Usage(format!("--map {pair}: {}", unknown_kind(config, kind.trim()))))?;
            Ok((normal(section), id))
        })
        .collect()
}

/// A heading as sections are compared: lower case, single spaces, `&` as `and`.
fn normal(text: &str) -> String {
    text.replace(['*', '_', '`'], "")
        .replace('&', " and ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The kind of the section `heading`: `--map`, then [`DEFAULT_MAP`] by its first word found
/// there; `None` for a heading that names no section (its items take the kind of the section
/// around it).
fn section_kind(config: &Config, map: &Mapping, heading: &str) -> Option<KindId> {
    let name = normal(heading);
    if let Some((_, kind)) = map.iter().find(|(section, _)| *section == name) {
        return Some(*kind);
    }
    let words = name
        .split(|c: char| !c.is_alphanumeric() && c != ':' && c != '-')
        // `Feedback: from peers`; `1:1` keeps its colon.
        .map(|w| w.trim_end_matches(':'))
        .filter(|w| !w.is_empty());
    for word in std::iter::once(name.as_str()).chain(words) {
        let found = DEFAULT_MAP.iter().find(|(_, words)| words.contains(&word));
        if let Some(kind) = found.and_then(|(kind, _)| config.schema.kind_by_name(kind)) {
            return Some(kind);
        }
    }
    None
}

/// A heading above the current line: its level, and the date or kind it gives. A heading
/// that names a section no word of [`DEFAULT_MAP`] is in gives no kind: its items take the
/// kind of the section around it.
struct Heading {
    level: usize,
    date: Option<Date>,
    kind: Option<KindId>,
    /// Its line and what is wrong with its date, when playbook does not read it: the
    /// items under it that have no date of their own are errors.
    unread: Option<(usize, String)>,
}

/// An item being read: where it started, its lines, and whether it is a bullet (which
/// indented lines continue) or a paragraph (which ends at a blank line).
struct Open {
    at: At,
    lines: Vec<String>,
    bullet: bool,
    /// The column of a bullet's marker.
    marker: usize,
    /// The indentation of a bullet's text: its continuation lines lose this much.
    indent: usize,
    /// A quoted paragraph: its lines lose their `>`.
    quote: bool,
}

pub fn read(text: &str, config: &Config, kind: Option<KindId>, map: &Mapping) -> Read {
    let fallback = kind
        .or_else(|| config.schema.kind_by_name(kind_name::ACHIEVEMENT))
        .unwrap_or(0);
    let mut reader = Reader {
        config,
        map,
        map_used: vec![false; map.len()],
        fallback,
        headings: Vec::new(),
        open: None,
        read: Read::default(),
    };
    let mut blank_before = true;
    let (mut in_fence, mut in_html) = (false, false);
    for (number, raw) in visible_lines(text) {
        let raw = raw.as_str();
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        let indent = width(&line[..lead]);
        let fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        // What starts at the margin after a blank line is not part of a bullet above.
        let outside = indent < 2 && blank_before;
        // An HTML block (Notion's `<aside>`, `<details>`) outside an item, up to a blank line.
        in_html = !in_fence && !trimmed.is_empty() && (in_html || outside && html_tag(trimmed));
        if in_html {
            reader.finish();
            continue;
        }
        if fence && !in_fence && outside {
            reader.finish();
        }
        if in_fence || fence {
            // A fenced block belongs to the item it is in, whatever it holds; outside any
            // item it is not one.
            in_fence ^= fence;
            reader.continue_item(line);
            continue;
        }
        // A line of `=` or `-` under a line of text makes it a heading (setext).
        let underlined = (reader.open.as_ref())
            .filter(|item| !item.bullet && item.lines.len() == 1 && !blank_before)
            .and_then(|_| setext(trimmed));
        if let Some(level) = underlined {
            let title = (reader.open.take())
                .map(|item| item.lines.concat())
                .unwrap_or_default();
            reader.heading(number, level, &title);
            blank_before = true;
            continue;
        }
        let bold_heading = bold_line(trimmed).filter(|_| indent == 0 && blank_before);
        if let Some((level, title)) = heading(trimmed)
            .filter(|_| indent < 4)
            .or(bold_heading.map(|t| (7, t)))
        {
            reader.heading(number, level, title);
            blank_before = true;
            continue;
        }
        if trimmed.is_empty() || is_rule(trimmed) {
            // A blank line ends a paragraph; a bullet goes on with what is indented below.
            match &reader.open {
                Some(item) if item.bullet && !is_rule(trimmed) => reader.continue_item(""),
                _ => reader.finish(),
            }
            blank_before = true;
            continue;
        }
        // A list item, unless it is nested in the one open (its marker further in).
        let open = reader.open.as_ref();
        // Nested when it starts at the open bullet's text (CommonMark's rule) or two columns
        // past its marker (as editors indent under `1. `); one column in is a sibling.
        let nested =
            open.is_some_and(|item| item.bullet && indent >= item.indent.min(item.marker + 2));
        let marker = list_marker(trimmed).filter(|_| indent < 4 && !nested);
        let continues = open.is_some_and(|item| {
            indent >= item.indent.min(item.marker + 2) || !item.bullet || !blank_before
        });
        if let Some(skip) = marker {
            let content = task_box(&trimmed[skip..]);
            let column =
                raw[..lead + skip].chars().count() + 1 + (trimmed[skip..].len() - content.len());
            reader.start(Open {
                at: At::new(number, column),
                lines: vec![content.to_string()],
                bullet: true,
                marker: indent,
                indent: indent + skip,
                quote: false,
            });
        } else if continues {
            reader.continue_item(line);
        } else if trimmed.starts_with('|') {
            // A table outside an item is none, nor part of the item above it.
            reader.finish();
            blank_before = true;
            continue;
        } else {
            // A paragraph (a quoted one without its `>`).
            let content = trimmed.trim_start_matches(['>', ' ']);
            let column = raw[..line.len() - content.len()].chars().count() + 1;
            reader.start(Open {
                at: At::new(number, column),
                lines: vec![content.to_string()],
                bullet: false,
                marker: 0,
                indent: 0,
                quote: trimmed.starts_with('>'),
            });
        }
        blank_before = false;
    }
    reader.finish();
    for (used, (section, _)) in reader.map_used.iter().zip(map) {
        if !used {
            let note = format!("--map: no heading of the document is named `{section}`");
            reader.read.notes.push(note);
        }
    }
    reader.read
}

/// How many lines a YAML front matter block at the top takes (none without one).
fn front_matter_lines(text: &str) -> usize {
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return 0;
    }
    lines
        .position(|line| matches!(line.trim_end(), "---" | "..."))
        .map_or(0, |end| end + 2)
}

/// The width of leading whitespace, a tab reaching the next multiple of four.
fn width(lead: &str) -> usize {
    lead.chars().fold(0, |width, c| match c {
        '\t' => width + 4 - width % 4,
        _ => width + 1,
    })
}

/// The level of a setext heading's underline: `===` 1, `---` 2.
fn setext(line: &str) -> Option<usize> {
    let all = |c: u8| !line.is_empty() && line.bytes().all(|b| b == c);
    match () {
        _ if all(b'=') => Some(1),
        _ if all(b'-') => Some(2),
        _ => None,
    }
}

/// A brag document's reading: the headings above the current line and the item open there.
struct Reader<'a> {
    config: &'a Config,
    map: &'a Mapping,
    /// Whether each `--map` named a heading.
    map_used: Vec<bool>,
    /// The kind of items under no section.
    fallback: KindId,
    headings: Vec<Heading>,
    open: Option<Open>,
    read: Read,
}

impl Reader<'_> {
    /// A heading: it ends the open item and the headings at its level and below. One that
    /// gives no date keeps its sibling's (`**March 2026**` then `**Projects**`).
    fn heading(&mut self, line: usize, level: usize, title: &str) {
        self.finish();
        // A heading's own date, or a month, quarter or half in the year of a heading above
        // (`# 2025` then `## Q2`).
        let above = (self.headings.iter().rev())
            .filter(|h| h.level < level)
            .find_map(|h| h.date);
        let (date, span) = match find_date(title) {
            Some((date, start, end)) => (Some(date), Some((start, end))),
            None => match yearless(title, above.map(|d| d.year()), true) {
                Some(Ok((date, end))) => (Some(date), Some((0, end))),
                _ => (None, None),
            },
        };
        let rest = match span {
            Some((start, end)) => format!("{} {}", &title[..start], &title[end..]),
            None => title.to_string(),
        };
        let rest = rest.trim_matches(|c: char| c.is_whitespace() || "-–—:|,()[]".contains(c));
        let unread = unread_in_heading(title, span).map(|message| (line, message));
        let sibling = self.headings.iter().rev().find(|h| h.level == level);
        let date = match unread {
            Some(_) => None,
            None => date.or(sibling.and_then(|h| h.date)),
        };
        let kind = section_kind(self.config, self.map, rest);
        let name = normal(rest);
        for (used, (section, _)) in self.map_used.iter_mut().zip(self.map) {
            *used |= *section == name;
        }
        self.headings.retain(|h| h.level < level);
        self.headings.push(Heading {
            level,
            date,
            kind,
            unread,
        });
    }

    /// Ends the open item and opens `item`.
    fn start(&mut self, item: Open) {
        self.finish();
        self.open = Some(item);
    }

    fn continue_item(&mut self, line: &str) {
        if let Some(item) = &mut self.open {
            let line = dedent(line, item.indent);
            let line = match item.quote {
                true => line
                    .trim_start()
                    .trim_start_matches('>')
                    .trim_start()
                    .to_string(),
                false => line,
            };
            item.lines.push(line);
        }
    }

    /// Turns the open item, if any, into an entry (or a problem).
    fn finish(&mut self) {
        let Some(item) = self.open.take() else {
            return;
        };
        let text = item.lines.join("\n");
        let text = text.trim();
        let kind = (self.headings.iter().rev())
            .find_map(|h| h.kind)
            .unwrap_or(self.fallback);
        let dated = (self.headings.iter().rev()).find(|h| h.date.is_some() || h.unread.is_some());
        let heading_date = dated.and_then(|h| h.date);
        let (date, text) = match (leading_date(text, heading_date), heading_date) {
            (Some(Ok((date, rest))), _) => (date, rest),
            (Some(Err(message)), _) => return self.read.drop_item(item.at, message),
            (None, Some(date)) => (date, text),
            (None, None) if dated.is_some_and(|h| h.unread.is_some()) => {
                let (line, message) = dated.and_then(|h| h.unread.clone()).unwrap_or_default();
                let message = format!("the heading on line {line}: {message}");
                return self.read.drop_item(item.at, message);
            }
            (None, None) => {
                return self.read.drop_item(
                    item.at,
                    "no date for this item: start it with one (`2026-03-14: …`) or put it \
                     under a dated heading (`## March 2026`)",
                );
            }
        };
        let (title, body) = title_and_body(text);
        if title.is_empty() {
            return self
                .read
                .drop_item(item.at, "the item has a date but no text");
        }
        let fields = required_from(self.config, kind, text)
            .map(|from| vec![("from".to_string(), from, item.at)])
            .unwrap_or_default();
        self.read.items.push(Item {
            at: item.at,
            kind,
            title,
            date: EntryDate {
                day: date,
                at: None,
            }
            .iso(),
            tags: Vec::new(),
            tags_at: None,
            date_at: None,
            flawed: false,
            fields,
            body,
        });
    }
}

/// `line` less `indent` columns of leading whitespace (fewer when it has fewer; a tab
/// reaches the next multiple of four).
fn dedent(line: &str, indent: usize) -> String {
    let mut column = 0;
    let mut cut = 0;
    for (at, c) in line.char_indices() {
        match c {
            _ if column >= indent => break,
            ' ' => column += 1,
            '\t' => column += 4 - column % 4,
            _ => break,
        }
        cut = at + 1;
    }
    line[cut..].to_string()
}

/// An ATX heading: its level and text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    let rest = &line[level..];
    ((1..=6).contains(&level) && (rest.is_empty() || rest.starts_with(' ')))
        .then(|| (level, rest.trim().trim_end_matches('#').trim()))
}

/// A line that is all bold (`**Projects**`), as word processors write headings.
fn bold_line(line: &str) -> Option<&str> {
    let line = line.strip_suffix(':').unwrap_or(line);
    let inner = (line.strip_prefix("**").and_then(|l| l.strip_suffix("**")))
        .or_else(|| line.strip_prefix("__").and_then(|l| l.strip_suffix("__")))?;
    let inner = inner.trim().trim_end_matches(':');
    (!inner.is_empty() && !inner.contains("**") && inner.len() < 80).then_some(inner)
}

/// The lines of `text` after its front matter, with their numbers, less HTML comments
/// (`<!-- private -->`, on one line or several): notes to oneself are not imported. A line
/// that held nothing but a comment is left out; a code block is kept as written.
fn visible_lines(text: &str) -> Vec<(usize, String)> {
    let (mut in_fence, mut in_comment) = (false, false);
    let mut lines = Vec::new();
    for (n, line) in text.lines().enumerate().skip(front_matter_lines(text)) {
        let trimmed = line.trim_start();
        if !in_comment && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            in_fence = !in_fence;
        }
        if in_fence && !in_comment {
            lines.push((n + 1, line.to_string()));
            continue;
        }
        let opened_in_comment = in_comment;
        let mut visible = String::new();
        let mut rest = line;
        loop {
            if in_comment {
                match rest.find("-->") {
                    Some(end) => {
                        rest = &rest[end + 3..];
                        in_comment = false;
                    }
                    None => break,
                }
            }
            match rest.find("<!--") {
                Some(start) => {
                    visible.push_str(&rest[..start]);
                    rest = &rest[start + 4..];
                    in_comment = true;
                }
                None => {
                    visible.push_str(rest);
                    break;
                }
            }
        }
        // Text after a comment that opened the line stands where the comment stood.
        if opened_in_comment || trimmed.starts_with("<!--") {
            let lead = &line[..line.len() - trimmed.len()];
            visible = format!("{lead}{}", visible.trim_start());
        }
        let had_comment = visible.len() != line.len();
        if !(had_comment && visible.trim().is_empty()) {
            lines.push((n + 1, visible));
        }
    }
    lines
}

/// Whether a line starts with the tag of an HTML block (`<aside>`, `</details>`), not of
/// inline HTML (`<b>`) or an autolink (`<https://…>`).
fn html_tag(line: &str) -> bool {
    const BLOCKS: &[&str] = &[
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "header",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "ul",
        "script",
        "style",
        "iframe",
    ];
    let Some(tag) = line.strip_prefix('<') else {
        return false;
    };
    let tag = tag.trim_start_matches('/');
    let name: String = tag
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let after = tag[name.len()..].chars().next();
    BLOCKS.contains(&name.to_lowercase().as_str()) && matches!(after, None | Some(' ' | '>' | '/'))
}

/// `---`, `***` or `___` alone.
fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && (compact.bytes().all(|b| b == b'-')
            || compact.bytes().all(|b| b == b'*')
            || compact.bytes().all(|b| b == b'_'))
}

/// A bullet's text without a task box (`[ ] `, `[x] `).
fn task_box(text: &str) -> &str {
    let text = text.trim_start();
    for done in ["[ ] ", "[x] ", "[X] "] {
        if let Some(rest) = text.strip_prefix(done) {
            return rest.trim_start();
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_map_by_their_first_known_word() {
        let config = Config::default();
        let kind = |heading: &str| {
            section_kind(&config, &Vec::new(), heading)
                .map(|id| config.schema.kind(id).name.clone())
        };
        assert_eq!(
            kind("Collaboration & mentorship").as_deref(),
            Some("contribution")
        );
        assert_eq!(kind("Feedback").as_deref(), Some("feedback"));
        assert_eq!(kind("1:1s").as_deref(), Some("conversation"));
        assert_eq!(kind("Company building"), None);
    }
}
