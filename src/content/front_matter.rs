//! Splitting an entry into its YAML front matter and Markdown body, and mapping YAML positions
//! back to lines of the file.

use std::path::Path;

use crate::error::Diagnostic;

/// An entry's text cut in two; line numbers are 1-based lines of the whole file.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitEntry<'a> {
    pub yaml: &'a str,
    /// File line of the first YAML line (the one after the opening `---`).
    pub yaml_first_line: usize,
    pub body: &'a str,
}

/// Why an entry has no usable front matter.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    Missing,
    Unterminated,
}

impl SplitError {
    pub fn message(&self) -> &'static str {
        match self {
            SplitError::Missing => {
                "no front matter: an entry starts with a `---` line, then YAML (title, date, …), \
                 then another `---` line"
            }
            SplitError::Unterminated => {
                "front matter is not closed: add a `---` line after the YAML"
            }
        }
    }
}

/// Cuts `text` at the `---` fences. A UTF-8 BOM and CRLF line endings are accepted.
pub fn split_front_matter(text: &str) -> Result<SplitEntry<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = match text.split_once('\n') {
        Some((first, rest)) if first.trim_end() == "---" => rest,
        None if text.trim_end() == "---" => return Err(SplitError::Unterminated),
        _ => return Err(SplitError::Missing),
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(SplitEntry {
                yaml: &rest[..offset],
                yaml_first_line: 2,
                body: &rest[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unterminated)
}

/// A serde_yaml error as a diagnostic on `path`, located in the file: `yaml` is the text that
/// was parsed and `line_offset` the number of file lines before it.
///
/// serde_yaml counts lines from the start of the YAML text and appends them to its message; the
/// position is moved to file lines, and where libyaml names the construct it was inside ("while
/// parsing a flow sequence at …"), the diagnostic points at where that construct opened, which
/// is where the mistake usually is (an unclosed `[`, a quote never ended).
pub fn yaml_diagnostic(
    path: &Path,
    err: &serde_yaml::Error,
    yaml: &str,
    line_offset: usize,
) -> Diagnostic {
    let full = err.to_string();
    let mut position = err.location().map(|l| (l.line(), l.column()));
    if let Some(tab) = indenting_tab(&full, yaml, position) {
        return Diagnostic::error(
            path,
            "a tab indents this line: YAML indents with spaces only; replace the tab with spaces",
        )
        .at(tab.0 + line_offset, tab.1);
    }
    let message = match full.split_once(", while ") {
        Some((problem, context)) => {
            let (what, opened) = split_position(context);
            let (problem, found) = split_position(problem);
            if let (Some(opened), Some((line, _))) = (opened, found) {
                position = Some(opened);
                format!(
                    "{problem} (noticed on line {}) while parsing {}",
                    line + line_offset,
                    what.trim_start_matches("parsing ")
                        .trim_start_matches("scanning ")
                )
            } else {
                format!("{problem}, while {what}")
            }
        }
        None => split_position(&full).0.to_string(),
    };
    if let Some(key) = message
        .strip_prefix("duplicate entry with key ")
        .map(|k| k.trim_matches('"'))
    {
        position = yaml
            .lines()
            .enumerate()
            .filter(|(_, line)| {
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .nth(1)
            .map(|(index, _)| (index + 1, 1))
            .or(position);
    }
    let message = if message.starts_with("repetition limit exceeded") {
        // An alias bomb: anchors expanded into each other until serde_yaml's limit stops them.
        position = position.or_else(|| {
            yaml.lines()
                .position(|line| line.contains('*'))
                .map(|index| (index + 1, 1))
        });
        "too many aliases: the `*name` references in this front matter expand past the \
         repetition limit"
            .to_string()
    } else {
        message
    };
    let message = if message.starts_with("mapping values are not allowed") {
        format!(
            "{message}: text that holds `: ` must be in quotes, e.g. `title: \"Promotion: the plan\"`"
        )
    } else {
        message
    };
    // Without a position, the error is about the front matter as a whole: its first line.
    let (line, column) = position.unwrap_or((1, 1));
    Diagnostic::error(path, message).at(line + line_offset, column)
}

/// Where libyaml stumbled on a tab used as indentation ("found character that cannot start any
/// token" at a tab, or "a tab character that violates indentation", noticed a line later than
/// the construct it names): the 1-based line and column of that tab.
fn indenting_tab(
    message: &str,
    yaml: &str,
    position: Option<(usize, usize)>,
) -> Option<(usize, usize)> {
    let found = split_position(message.split(", while ").next().unwrap_or(message)).1;
    let (line, column) = found.or(position)?;
    let text = yaml.lines().nth(line.checked_sub(1)?)?;
    let at_tab = text.chars().nth(column.checked_sub(1)?) == Some('\t');
    if !(at_tab || message.contains("tab character")) {
        return None;
    }
    let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
    let tab = text[..indent].find('\t')?;
    Some((line, tab + 1))
}

/// `"message at line L column C"` → `("message", Some((L, C)))`.
fn split_position(text: &str) -> (&str, Option<(usize, usize)>) {
    let Some((message, position)) = text.rsplit_once(" at line ") else {
        return (text, None);
    };
    let parsed = position
        .split_once(" column ")
        .and_then(|(line, column)| Some((line.trim().parse().ok()?, column.trim().parse().ok()?)));
    match parsed {
        Some(position) => (message, Some(position)),
        None => (text, None),
    }
}

/// Refuses, before serde_yaml sees it, YAML that would cost it far more than its size: too many
/// aliases, or nesting too deep. `line_offset` is the number of file lines before `yaml`.
pub fn guard_yaml(path: &Path, yaml: &str, line_offset: usize) -> Result<(), Diagnostic> {
    if count_aliases(yaml) > MAX_ALIASES {
        return Err(too_many_aliases(path, yaml, line_offset));
    }
    if let Some(offset) = too_deep_at(yaml) {
        let (line, column) = line_and_column(yaml.as_bytes(), offset);
        return Err(Diagnostic::error(
            path,
            format!(
                "nested more than {MAX_NESTING} levels deep here; a front matter or playbook.yaml \
                 needs a few levels at most"
            ),
        )
        .at(line + line_offset, column));
    }
    Ok(())
}

/// Most `*alias` references a front matter or config may hold. serde_yaml expands every alias
/// in full, so a few thousand references to one large anchor cost seconds and gigabytes without
/// tripping its own limit; hand-written front matter needs a handful at most.
pub const MAX_ALIASES: usize = 64;

/// Deepest nesting of lists and mappings a front matter or config may hold. libyaml and
/// serde_yaml take time quadratic in the depth (100,000 `{a: ` ran for 104 s), and nothing
/// written by hand goes past a handful of levels.
pub const MAX_NESTING: usize = 64;

/// Rough count of alias references (`*name` where a YAML value can start), erring high: a
/// `*` inside a quoted string may be counted too, which only matters past `MAX_ALIASES`.
fn count_aliases(yaml: &str) -> usize {
    let bytes = yaml.as_bytes();
    (0..bytes.len())
        .filter(|&i| {
            bytes[i] == b'*'
                && (i == 0
                    || matches!(
                        bytes[i - 1],
                        b' ' | b'\t' | b'[' | b',' | b'{' | b'\n' | b'-' | b':'
                    ))
                && bytes
                    .get(i + 1)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        })
        .count()
}

/// The diagnostic for a text with too many aliases, at the first one.
fn too_many_aliases(path: &Path, yaml: &str, line_offset: usize) -> Diagnostic {
    let line = yaml
        .lines()
        .position(|line| line.contains('*'))
        .unwrap_or(0);
    Diagnostic::error(
        path,
        format!(
            "too many aliases: more than {MAX_ALIASES} `*name` references; write the values out instead"
        ),
    )
    .at(line + 1 + line_offset, 1)
}

/// Byte offset where the nesting of `yaml` first goes past [`MAX_NESTING`], in one pass.
///
/// The depth counted is an upper bound of what the parser builds: open flow brackets, plus
/// the block levels of indentation, plus the `- ` and `? ` that open a level on the same line.
/// Quoted text and comments are skipped; a `[` or `{` counts only where a value starts, since
/// plain text such as `see [1]` may hold one.
fn too_deep_at(yaml: &str) -> Option<usize> {
    let bytes = yaml.as_bytes();
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut quote: Option<u8> = None;
    // The indent of the line that opened a `|` or `>` block: deeper lines are its text.
    let mut block_scalar: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        // A line: its indentation, in block context, opens or closes block levels.
        let line_start = i;
        let mut indent = 0;
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
            indent += 1;
        }
        if let Some(parent) = block_scalar {
            let empty = i >= bytes.len() || matches!(bytes[i], b'\n' | b'\r');
            if empty || indent > parent {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                i += 1;
                continue;
            }
            block_scalar = None;
        }
        let blank = i >= bytes.len() || matches!(bytes[i], b'\n' | b'\r' | b'#');
        if flow == 0 && quote.is_none() && !blank {
            while indents.last().is_some_and(|&last| last >= indent) {
                indents.pop();
            }
            indents.push(indent);
        }
        let mut on_line = 0;
        // Where a value may start: line start, or after `- `, `? `, `: `, `[`, `{`, `,`.
        let mut value_start = true;
        while i < bytes.len() && bytes[i] != b'\n' {
            let b = bytes[i];
            match quote {
                Some(b'"') if b == b'\\' => i += 1,
                Some(q) if b == q => {
                    // `''` inside single quotes is an escaped quote, not the end.
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    } else {
                        quote = None;
                        value_start = false;
                    }
                }
                Some(_) => {}
                None => match b {
                    b'"' | b'\'' if value_start => quote = Some(b),
                    // An anchor or a tag comes before the value it names.
                    b'&' | b'!' if value_start => {
                        while bytes
                            .get(i + 1)
                            .is_some_and(|next| !matches!(next, b' ' | b'\t' | b'\n' | b'\r'))
                        {
                            i += 1;
                        }
                    }
                    b'|' | b'>' if value_start && flow == 0 => {
                        let header_end = bytes[i + 1..]
                            .iter()
                            .position(|c| !matches!(c, b'-' | b'+' | b'0'..=b'9'))
                            .map_or(bytes.len(), |p| i + 1 + p);
                        if bytes
                            .get(header_end)
                            .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
                        {
                            block_scalar = Some(indent);
                        }
                        value_start = false;
                    }
                    b'#' if i == line_start || matches!(bytes[i - 1], b' ' | b'\t') => {
                        while i + 1 < bytes.len() && bytes[i + 1] != b'\n' {
                            i += 1;
                        }
                    }
                    b'[' | b'{' if value_start || flow > 0 => {
                        flow += 1;
                        value_start = true;
                    }
                    b']' | b'}' if flow > 0 => flow -= 1,
                    b'-' | b'?' | b':'
                        if bytes
                            .get(i + 1)
                            .is_none_or(|next| matches!(next, b' ' | b'\t' | b'\n' | b'\r')) =>
                    {
                        if b != b':' && value_start && flow == 0 {
                            on_line += 1;
                        }
                        value_start = true;
                    }
                    b',' if flow > 0 => value_start = true,
                    b' ' | b'\t' | b'\r' => {}
                    _ => value_start = false,
                },
            }
            if indents.len() + on_line + flow > MAX_NESTING {
                return Some(i);
            }
            i += 1;
        }
        i += 1;
    }
    None
}

/// 1-based line and column (in characters) of byte `offset` of `bytes`, which may hold
/// invalid UTF-8 after the offset.
pub fn line_and_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

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

fn step<'a>(node: &Node<'a>, seg: &PathSeg) -> Option<((usize, usize), Node<'a>)> {
    match node {
        Node::Block(lines) => {
            let indent = lines.first()?.indent;
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
            let children = |from: usize| -> Vec<Line<'a>> {
                lines[from..]
                    .iter()
                    .take_while(|l| {
                        l.indent > indent
                            || (l.indent == indent
                                && is_item(l.text)
                                && matches!(seg, PathSeg::Key(_)))
                    })
                    .copied()
                    .collect()
            };
            let (value, value_column) = match seg {
                PathSeg::Key(key) => key_value(line.text, key)?,
                PathSeg::Index(_) => {
                    let rest = line.text[1..].trim_start();
                    (rest, line.text.len() - rest.len())
                }
            };
            let column = line.indent + value_column + 1;
            let value = strip_comment(value);
            let next = if value.is_empty() {
                Node::Block(children(index + 1))
            } else if value.starts_with('[') || value.starts_with('{') {
                Node::Flow {
                    line: line.number,
                    column,
                    text: value,
                }
            } else if matches!(seg, PathSeg::Index(_)) && opens_mapping(value) {
                // `- task: x` opens a mapping whose first key sits after the dash.
                let mut block = vec![Line {
                    number: line.number,
                    indent: column - 1,
                    text: value,
                }];
                block.extend(children(index + 1));
                Node::Block(block)
            } else {
                Node::Scalar
            };
            let position = if value.is_empty() {
                (line.number, line.indent + 1)
            } else {
                (line.number, column)
            };
            Some((position, next))
        }
        Node::Flow { line, column, text } => {
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
            let next = if part.starts_with('[') || part.starts_with('{') {
                Node::Flow {
                    line: *line,
                    column,
                    text: part,
                }
            } else {
                Node::Scalar
            };
            Some(((*line, column), next))
        }
        Node::Scalar => None,
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

    #[test]
    fn splits_yaml_and_body() {
        let split = split_front_matter("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(split.yaml, "title: A\n");
        assert_eq!(split.body, "Body\n");
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let split = split_front_matter("\u{feff}---\r\ntitle: A\r\n---\r\nBody").unwrap();
        assert_eq!(split.yaml, "title: A\r\n");
        assert_eq!(split.body, "Body");
    }

    #[test]
    fn reports_missing_and_unterminated_fences() {
        assert_eq!(split_front_matter("title: A\n"), Err(SplitError::Missing));
        assert_eq!(split_front_matter(""), Err(SplitError::Missing));
        assert_eq!(
            split_front_matter("---\ntitle: A\n"),
            Err(SplitError::Unterminated)
        );
    }

    #[test]
    fn a_rule_in_the_body_is_not_a_fence() {
        let split = split_front_matter("---\ntitle: A\n---\nx\n\n---\ny\n").unwrap();
        assert_eq!(split.body, "x\n\n---\ny\n");
    }

    fn at(yaml: &str, path: &[PathSeg]) -> (usize, usize) {
        locate(yaml, path)
    }

    fn key(k: &str) -> PathSeg {
        PathSeg::Key(k.to_string())
    }

    fn yaml_error(yaml: &str) -> String {
        let err = serde_yaml::from_str::<serde_yaml::Value>(yaml).unwrap_err();
        yaml_diagnostic(Path::new("a.md"), &err, yaml, 1).to_string()
    }

    #[test]
    fn yaml_errors_point_at_the_construct_left_open() {
        assert_eq!(
            yaml_error("title: [unclosed\ndate: x\n"),
            "error: a.md:2:8: did not find expected ',' or ']' (noticed on line 3) while parsing a flow sequence"
        );
        assert_eq!(
            yaml_error("a: b: c\n"),
            "error: a.md:2:5: mapping values are not allowed in this context: text that holds \
             `: ` must be in quotes, e.g. `title: \"Promotion: the plan\"`"
        );
        assert_eq!(
            yaml_error("a: 1\nb: 2\na: 3\n"),
            "error: a.md:4:1: duplicate entry with key \"a\""
        );
    }

    #[test]
    fn nesting_is_counted_in_lists_mappings_and_indents_not_in_text() {
        let deep = |n: usize| format!("a: {}1{}\n", "[".repeat(n), "]".repeat(n));
        assert_eq!(too_deep_at(&deep(MAX_NESTING - 1)), None);
        assert_eq!(too_deep_at(&deep(MAX_NESTING)), Some(3 + MAX_NESTING - 1));
        // Brackets in quotes, in comments and inside plain text open nothing.
        let text = format!(
            "a: \"{0}\"\nb: '{0}''{0}'\nc: see {0} # {0}\nd: x\n",
            "[".repeat(100)
        );
        assert_eq!(too_deep_at(&text), None);
        // `- - - x` opens a list per dash; indentation opens a level per step.
        assert!(too_deep_at(&format!("a:\n  {}x\n", "- ".repeat(100))).is_some());
        let stairs: String = (0..100)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert!(too_deep_at(&stairs).is_some());
        let flat: String = (0..1000)
            .map(|i| format!("k{i}:\n  - [a, {{b: c}}]\n"))
            .collect();
        assert_eq!(too_deep_at(&flat), None);
        // An anchor or a tag before the brackets hides none of them.
        let deep_after = |prefix: &str| format!("a: {prefix} {}\n", "[".repeat(100));
        for prefix in ["&x", "!!seq", "!t"] {
            assert!(too_deep_at(&deep_after(prefix)).is_some(), "{prefix}");
        }
        // Text of a `|` or `>` block opens nothing, and a quote in it does not hide what follows.
        let prose = format!(
            "a: |\n  'til then {0}\n\n  \"{0}\nb: >-\n  {0}\nc: ok\n",
            "[".repeat(100)
        );
        assert_eq!(too_deep_at(&prose), None);
        let after_prose = format!("a: |\n  'til then\nb: {}\n", "[".repeat(100));
        assert!(too_deep_at(&after_prose).is_some());
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
