//! Finding the line and column of a value in YAML text by its path of keys and list indexes.

/// One step of a path into a YAML document: a mapping key or a list index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

/// A non-blank, non-comment line of YAML text.
#[derive(Clone, Copy, Debug)]
struct Line<'a> {
    /// 1-based.
    number: usize,
    indent: usize,
    text: &'a str,
}

/// Where a path leads while locating it.
enum Node<'a> {
    /// Lines of a block mapping or sequence; the first line has the children's indent.
    Block(Vec<Line<'a>>),
    /// A one-line flow collection (`[a, b]`, `{k: v}`) starting at `column` of `line`.
    Flow {
        line: usize,
        column: usize,
        text: &'a str,
    },
    Scalar,
}

/// 1-based line and column, within `yaml`, of the value at `path` (or of its key when the value
/// is a block), or of the nearest ancestor that can be found. serde_yaml's `Value` keeps no
/// positions, so the text is read again; this runs only when there is something to report.
pub fn locate(yaml: &str, path: &[PathSeg]) -> (usize, usize) {
    let lines: Vec<Line> = yaml
        .lines()
        .enumerate()
        .filter_map(|(index, raw)| {
            let text = raw.trim_start();
            let text = text.trim_end();
            (!text.is_empty() && !text.starts_with('#')).then(|| Line {
                number: index + 1,
                indent: raw.len() - raw.trim_start().len(),
                text,
            })
        })
        .collect();
    let mut best = (lines.first().map_or(1, |l| l.number), 1);
    let mut node = Node::Block(lines);
    for seg in path {
        match step(&node, seg) {
            Some((position, next)) => {
                best = position;
                node = next;
            }
            None => break,
        }
    }
    // Positions were found as byte offsets; report the column in characters, as editors do.
    let (line, byte_column) = best;
    let text = yaml.lines().nth(line - 1).unwrap_or("");
    let column = text
        .get(..byte_column - 1)
        .map_or(byte_column, |before| before.chars().count() + 1);
    (line, column)
}

/// Follows one segment of a path from `node`: the position it leads to, and what is there.
fn step<'a>(node: &Node<'a>, seg: &PathSeg) -> Option<((usize, usize), Node<'a>)> {
    match node {
        Node::Block(lines) => step_in_block(lines, seg),
        Node::Flow { line, column, text } => step_in_flow(*line, *column, text, seg),
        Node::Scalar => None,
    }
}

/// [`step`] in the lines of a block mapping or sequence.
fn step_in_block<'a>(lines: &[Line<'a>], seg: &PathSeg) -> Option<((usize, usize), Node<'a>)> {
    let indent = lines.first()?.indent;
    let (index, line) = find_line(lines, indent, seg)?;
    let (value, value_column) = match seg {
        PathSeg::Key(key) => key_value(line.text, key)?,
        PathSeg::Index(_) => {
            let rest = line.text[1..].trim_start();
            (rest, line.text.len() - rest.len())
        }
    };
    let column = line.indent + value_column + 1;
    let value = strip_comment(value);
    let children = || children(&lines[index + 1..], indent, seg);
    let next = if value.is_empty() {
        Node::Block(children())
    } else if matches!(seg, PathSeg::Index(_)) && opens_mapping(value) {
        // `- task: x` opens a mapping whose first key sits after the dash.
        let mut block = vec![Line {
            number: line.number,
            indent: column - 1,
            text: value,
        }];
        block.extend(children());
        Node::Block(block)
    } else {
        // `opens_mapping` is false for a value starting with `[` or `{`, so a flow
        // collection always gets here.
        flow_or_scalar(line.number, column, value)
    };
    let position = if value.is_empty() {
        (line.number, line.indent + 1)
    } else {
        (line.number, column)
    };
    Some((position, next))
}

/// The line of `lines`, at the block's `indent`, that `seg` names, with its index.
fn find_line<'a>(lines: &[Line<'a>], indent: usize, seg: &PathSeg) -> Option<(usize, Line<'a>)> {
    let at_indent = |line: &&Line| line.indent == indent;
    let (index, line) = match seg {
        PathSeg::Key(key) => lines
            .iter()
            .enumerate()
            .find(|(_, l)| at_indent(l) && key_value(l.text, key).is_some())?,
        PathSeg::Index(n) => lines
            .iter()
            .enumerate()
            .filter(|(_, l)| at_indent(l) && is_item(l.text))
            .nth(*n)?,
    };
    Some((index, *line))
}

/// The lines at the start of `rest` that belong to the value of a line at `indent`: deeper
/// ones, and for a key, list items at its own indent.
fn children<'a>(rest: &[Line<'a>], indent: usize, seg: &PathSeg) -> Vec<Line<'a>> {
    rest.iter()
        .take_while(|l| {
            l.indent > indent
                || (l.indent == indent && is_item(l.text) && matches!(seg, PathSeg::Key(_)))
        })
        .copied()
        .collect()
}

/// [`step`] in a one-line flow collection `text` starting at `column` of `line`.
fn step_in_flow<'a>(
    line: usize,
    column: usize,
    text: &'a str,
    seg: &PathSeg,
) -> Option<((usize, usize), Node<'a>)> {
    let inner = text.get(1..)?;
    let parts = split_flow(inner);
    let (offset, part) = match seg {
        PathSeg::Index(n) if text.starts_with('[') => parts.get(*n).copied()?,
        PathSeg::Key(key) if text.starts_with('{') => {
            let (offset, part) = parts
                .into_iter()
                .find(|(_, p)| key_value(p, key).is_some())?;
            let (value, value_offset) = key_value(part, key)?;
            (offset + value_offset, value)
        }
        _ => return None,
    };
    let column = column + 1 + offset;
    Some(((line, column), flow_or_scalar(line, column, part)))
}

/// The node for a one-line value at `column` of `line`: a flow collection if it opens one.
fn flow_or_scalar(line: usize, column: usize, text: &str) -> Node<'_> {
    if text.starts_with('[') || text.starts_with('{') {
        Node::Flow { line, column, text }
    } else {
        Node::Scalar
    }
}

fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// For `key: value` (key optionally quoted), the value text and its byte offset in `text`.
fn key_value<'t>(text: &'t str, key: &str) -> Option<(&'t str, usize)> {
    let rest = [format!("\"{key}\""), format!("'{key}'"), key.to_string()]
        .iter()
        .find_map(|k| text.strip_prefix(k.as_str()))?;
    let rest = rest.trim_start().strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let value = rest.trim_start();
    Some((value, text.len() - value.len()))
}

/// Whether a list item's text starts a mapping (`- task: x`).
fn opens_mapping(text: &str) -> bool {
    text.split_once(':').is_some_and(|(key, rest)| {
        !key.is_empty()
            && !key.starts_with(['[', '{', '"', '\''])
            && (rest.is_empty() || rest.starts_with(' '))
    })
}

/// The value without a trailing ` # comment`.
fn strip_comment(value: &str) -> &str {
    let mut quotes = QuoteTracker::default();
    let mut previous = ' ';
    for (i, c) in value.char_indices() {
        if !quotes.step(c) && c == '#' && previous.is_whitespace() {
            return value[..i].trim_end();
        }
        previous = c;
    }
    value
}

/// Follows YAML quoting through a line: a quote opens a quoted scalar only where a value
/// starts (not inside a plain word such as `it's`).
#[derive(Default)]
struct QuoteTracker {
    quote: Option<char>,
    /// The last character outside quotes that was not a space.
    last: Option<char>,
}

impl QuoteTracker {
    /// Takes the next character; returns whether it is inside (or closes) a quoted scalar.
    fn step(&mut self, c: char) -> bool {
        match self.quote {
            Some(q) => {
                if c == q {
                    self.quote = None;
                    self.last = Some(c);
                }
                true
            }
            None if matches!(c, '"' | '\'')
                && matches!(self.last, None | Some('[' | '{' | ',' | ':' | '-')) =>
            {
                self.quote = Some(c);
                true
            }
            None => {
                if !c.is_whitespace() {
                    self.last = Some(c);
                }
                false
            }
        }
    }
}

/// Top-level items of a flow collection's inside (after its opening bracket), each with its
/// byte offset, leading spaces skipped.
fn split_flow(inner: &str) -> Vec<(usize, &str)> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    // The inside of a flow collection starts just after its opening bracket.
    let mut quotes = QuoteTracker {
        quote: None,
        last: Some('['),
    };
    for (i, c) in inner.char_indices() {
        if quotes.step(c) {
            continue;
        }
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' if depth == 0 => {
                push_part(&mut parts, inner, start, i);
                return parts;
            }
            ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                push_part(&mut parts, inner, start, i);
                start = i + 1;
            }
            _ => {}
        }
    }
    push_part(&mut parts, inner, start, inner.len());
    parts
}

fn push_part<'t>(parts: &mut Vec<(usize, &'t str)>, inner: &'t str, start: usize, end: usize) {
    let raw = &inner[start..end];
    let trimmed = raw.trim_start();
    if !trimmed.trim().is_empty() {
        parts.push((start + raw.len() - trimmed.len(), trimmed.trim_end()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(yaml: &str, path: &[PathSeg]) -> (usize, usize) {
        locate(yaml, path)
    }

    fn key(k: &str) -> PathSeg {
        PathSeg::Key(k.to_string())
    }

    #[test]
    fn locates_top_level_values() {
        let yaml = "title: A\n# note\nprogress: 120   # too much\n";
        assert_eq!(at(yaml, &[key("progress")]), (3, 11));
        assert_eq!(at(yaml, &[key("missing")]), (1, 1));
        assert_eq!(at(yaml, &[]), (1, 1));
    }

    #[test]
    fn locates_items_of_flow_and_block_lists() {
        let yaml = "tags: [a, \"b, c\", d]\nrelated:\n  - goals/x\n  - goals/y\n";
        assert_eq!(at(yaml, &[key("tags"), PathSeg::Index(2)]), (1, 19));
        assert_eq!(at(yaml, &[key("related"), PathSeg::Index(1)]), (4, 5));
    }

    #[test]
    fn locates_fields_of_records_in_lists() {
        let yaml = "actions:\n  - task: a\n    done: maybe\n  - { task: b, done: nope }\n";
        assert_eq!(
            at(yaml, &[key("actions"), PathSeg::Index(0), key("done")]),
            (3, 11)
        );
        assert_eq!(
            at(yaml, &[key("actions"), PathSeg::Index(1), key("done")]),
            (4, 22)
        );
        assert_eq!(at(yaml, &[key("actions"), PathSeg::Index(1)]), (4, 5));
    }

    #[test]
    fn columns_count_characters_and_plain_apostrophes_are_not_quotes() {
        let yaml = "actions: [{task: \"ééééé\", done: maybe}]\n";
        assert_eq!(
            at(yaml, &[key("actions"), PathSeg::Index(0), key("done")]),
            (1, 33)
        );
        let yaml = "related: [it's, goals/nope]  # a comment, with 'quotes'\n";
        assert_eq!(at(yaml, &[key("related"), PathSeg::Index(1)]), (1, 17));
        assert_eq!(strip_comment("[\"a #b\", c] # d"), "[\"a #b\", c]");
    }

    #[test]
    fn a_list_may_sit_at_its_key_indent() {
        let yaml = "related:\n- goals/x\n- goals/y\ndate: x\n";
        assert_eq!(at(yaml, &[key("related"), PathSeg::Index(1)]), (3, 3));
        assert_eq!(at(yaml, &[key("date")]), (4, 7));
    }
}
