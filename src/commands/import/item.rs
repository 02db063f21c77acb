//! What a source gives: items, each an entry to be, and how an item's text reads (its title
//! and body, its tags, the person it names). Every reader makes these; the import checks
//! and writes them.

use serde_yaml::Value;

use crate::config::Config;
use crate::schema::KindId;

/// Where in the source something is: 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct At {
    pub line: usize,
    pub column: usize,
}

impl Read {
    /// An item left out, and why.
    pub fn drop_item(&mut self, at: At, message: impl Into<String>) {
        self.problems.push((at, message.into()));
        self.dropped += 1;
    }
}

impl At {
    pub fn new(line: usize, column: usize) -> At {
        At { line, column }
    }
}

/// One entry to be, as a source gives it.
#[derive(Debug)]
pub struct Item {
    /// Where the item starts.
    pub at: At,
    pub kind: KindId,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub tags: Vec<String>,
    /// Where the tags stand, when not at the item's start (a CSV cell).
    pub tags_at: Option<At>,
    /// Where the date stands, when not at the item's start (a CSV cell).
    pub date_at: Option<At>,
    /// The source has a problem with it (reported): it is checked, to report the rest of its
    /// problems at once, but never written.
    pub flawed: bool,
    /// Further front matter, each value with where it stands in the source.
    pub fields: Vec<(String, Value, At)>,
    pub body: String,
}

/// What a format's reader gives: the items it read and the problems of those it could not.
#[derive(Default)]
pub struct Read {
    pub items: Vec<Item>,
    pub problems: Vec<(At, String)>,
    /// The source as a whole could not be read (not JSON, a header row without `title`):
    /// `--skip-bad` skips items, not this.
    pub unreadable: bool,
    /// Items left out for their problems (which are among `problems`).
    pub dropped: usize,
    /// Warnings about the command line (a `--map` that names no heading).
    pub notes: Vec<String>,
}

/// The first sentence of `text` as a title, and the rest as the body. The first sentence is
/// looked for in the first paragraph, its lines joined (a hard-wrapped item is one sentence
/// across lines); one over 100 characters is cut at a word (with `…`) and the body keeps the
/// whole text, so that nothing is lost.
pub fn title_and_body(text: &str) -> (String, String) {
    const LONGEST: usize = 100;
    let text = text.trim();
    let end = paragraph_end(text);
    let (paragraph, rest) = (text[..end].trim_end(), &text[end..]);
    let paragraph = paragraph
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let cut = sentence_end(&paragraph).unwrap_or(paragraph.len());
    let written = paragraph[..cut].trim();
    // A title is shown as plain text: no bold marks, links as their text, no escapes.
    let sentence = crate::markdown::plain_text(written);
    let sentence = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
    let sentence = sentence.strip_suffix('.').unwrap_or(&sentence).trim_end();
    // A link's or an image's address is not in the title: the body keeps the sentence whole.
    let kept = if written.contains("](") {
        written.len()
    } else {
        0
    };
    let remainder = paragraph[cut - kept..].trim();
    // `rest` starts at the line that ended the paragraph (a blank line, a nested list): its
    // lines keep their indentation relative to each other.
    let gap = match rest.trim_start_matches([' ', '\t']).starts_with('\n') {
        true => "\n\n",
        false => "\n",
    };
    let rest = outdented(rest.trim_matches('\n'));
    let body = match (remainder.is_empty(), rest.is_empty()) {
        (true, _) => rest,
        (false, true) => remainder.to_string(),
        // A blank line between paragraphs stays one.
        (false, false) => format!("{remainder}{gap}{rest}"),
    };
    if sentence.chars().count() <= LONGEST {
        return (sentence.to_string(), body);
    }
    let cut: String = sentence.chars().take(LONGEST).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > LONGEST / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    (format!("{}…", cut.trim_end()), text.to_string())
}

/// `text` less the indentation all its lines share (blank lines aside), trailing space gone.
fn outdented(text: &str) -> String {
    let width = |line: &str| line.len() - line.trim_start().len();
    let common = (text.lines())
        .filter(|line| !line.trim().is_empty())
        .map(width)
        .min()
        .unwrap_or(0);
    let lines: Vec<&str> = (text.lines())
        .map(|line| {
            line.get(common.min(width(line))..)
                .unwrap_or_default()
                .trim_end()
        })
        .collect();
    lines.join("\n").trim_end().to_string()
}

/// Where the first paragraph of `text` ends: at the start of its first blank line, list
/// item, heading, fence, table or quote after the first line.
fn paragraph_end(text: &str) -> usize {
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim();
        let breaks = t.is_empty()
            || list_marker(t).is_some()
            || t.starts_with(['#', '|', '>'])
            || t.starts_with("```")
            || t.starts_with("~~~");
        if n > 0 && breaks {
            return offset;
        }
        offset += line.len();
    }
    text.len()
}

/// The length of a list marker and the space after it (`- `, `* `, `+ `, `1. `, `2) `).
pub fn list_marker(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    if matches!(bytes.first(), Some(b'-' | b'*' | b'+')) && bytes.get(1) == Some(&b' ') {
        return Some(2);
    }
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    ((1..=9).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && bytes.get(digits + 1) == Some(&b' '))
    .then_some(digits + 2)
}

/// Where the first sentence of a line of Markdown ends: after `.`, `!` or `?` (and any
/// closing `**` or `_`) followed by a space, escaped or not (`\. ` as Google Docs writes it).
/// Not inside `code`, not in `e.g. `, `Dr. ` or an initial.
fn sentence_end(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut in_code = false;
    for i in 0..bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b'.' | b'!' | b'?' if !in_code => {
                let closing = bytes[i + 1..]
                    .iter()
                    .take_while(|b| matches!(b, b'*' | b'_'))
                    .count();
                let end = i + 1 + closing;
                if bytes.get(end) != Some(&b' ') {
                    continue;
                }
                // `i` is an ASCII byte: a character boundary.
                let word = line[..i].rsplit(' ').next().unwrap_or_default();
                let word = word.trim_start_matches(['*', '_', '(', '[']).to_lowercase();
                // Single letters with dots (`e.g`, `u.s`), a letter alone, or a known word.
                let initials = word.split('.').all(|part| part.chars().count() == 1);
                let abbreviation =
                    bytes[i] == b'.' && (initials || ABBREVIATIONS.contains(&word.as_str()));
                if !abbreviation {
                    return Some(end);
                }
            }
            _ => {}
        }
    }
    None
}

/// Words a full stop follows without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "etc", "vs", "mr", "mrs", "ms", "dr", "st", "no", "inc", "approx", "fig", "cf",
];

/// A tag as a source writes it (`@work`, `#launch`, ` Q3 `), as playbook keeps it.
pub fn tag(text: &str) -> Option<String> {
    let tag = text.trim().trim_start_matches(['@', '#']).trim();
    (!tag.is_empty()).then(|| tag.to_string())
}

/// The person `text` names, by id or by name, as whole words; else the boss.
pub fn person_named(config: &Config, text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let names = |phrase: &str| {
        let phrase: Vec<String> = phrase.split_whitespace().map(str::to_lowercase).collect();
        !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase.as_slice())
    };
    let named = config
        .people
        .iter()
        .find(|(id, person)| names(id) || names(&person.name));
    named
        .map(|(id, _)| id.clone())
        .or_else(|| config.boss.clone())
}

/// The `from` a kind needs (feedback, advice) when the source cannot say: the person the
/// text names, else the boss; `None` when the kind has no required `from` or nobody is known.
pub fn required_from(config: &Config, kind: KindId, text: &str) -> Option<Value> {
    let spec = config.schema.kind(kind);
    let needs = spec.fields.iter().any(|f| f.name == "from" && f.required);
    if !needs {
        return None;
    }
    person_named(config, text).map(Value::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_the_first_sentence_and_the_body_the_rest() {
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(title_and_body("éK"), pair("éK", ""));
        assert_eq!(
            title_and_body("Café crème. Then, e.g. more.\nMore"),
            pair("Café crème", "Then, e.g. more. More")
        );
        assert_eq!(
            title_and_body("Shipped it. It was big.\n\nSecond paragraph."),
            pair("Shipped it", "It was big.\n\nSecond paragraph.")
        );
        assert_eq!(
            title_and_body("**Led** it, i.e. all"),
            pair("Led it, i.e. all", "")
        );
        // A hard-wrapped first sentence is one title; what follows the paragraph stays apart.
        assert_eq!(
            title_and_body(
                "Moved every invoice to the\n  queue. It saved money.\n- nested\n\nMore"
            ),
            pair(
                "Moved every invoice to the queue",
                "It saved money.\n- nested\n\nMore"
            )
        );
        // Plain text: links as their text, escapes read, code kept whole.
        assert_eq!(
            title_and_body("Wrote [the parser](https://x.example/p)\\. Fixed `a. b` too"),
            pair(
                "Wrote the parser",
                "Wrote [the parser](https://x.example/p)\\. Fixed `a. b` too"
            )
        );
        let long = "word ".repeat(40);
        let (title, body) = title_and_body(&long);
        assert!(
            title.ends_with('…') && title.chars().count() <= 101,
            "{title}"
        );
        assert_eq!(body, long.trim());
    }
}
