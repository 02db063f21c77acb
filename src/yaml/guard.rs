//! Refusing YAML that would cost the parser far more than its size: alias bombs and deep nesting.

use std::path::Path;

use crate::error::Diagnostic;
use crate::text::line_and_column;

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
    let mut scan = DepthScan {
        bytes: yaml.as_bytes(),
        i: 0,
        indents: Vec::new(),
        flow: 0,
        quote: None,
        block_scalar: None,
    };
    while scan.i < scan.bytes.len() {
        if let Some(offset) = scan.line() {
            return Some(offset);
        }
    }
    None
}

/// The state of [`too_deep_at`]'s pass, carried from one line to the next.
struct DepthScan<'a> {
    bytes: &'a [u8],
    /// The byte being read.
    i: usize,
    /// The indents of the open block levels, outermost first.
    indents: Vec<usize>,
    /// How many flow brackets are open.
    flow: usize,
    /// The quote of a quoted scalar still open.
    quote: Option<u8>,
    /// The indent of the line that opened a `|` or `>` block: deeper lines are its text.
    block_scalar: Option<usize>,
}

/// What [`DepthScan`] knows of the line it is reading.
struct LineState {
    /// Offset of the line's first byte, before its indentation.
    start: usize,
    indent: usize,
    /// Levels opened on this line by `- ` and `? `.
    on_line: usize,
    /// Where a value may start: line start, or after `- `, `? `, `: `, `[`, `{`, `,`.
    value_start: bool,
}

impl DepthScan<'_> {
    /// Reads one line; returns the offset where the nesting goes past [`MAX_NESTING`], if it does.
    fn line(&mut self) -> Option<usize> {
        // A line: its indentation, in block context, opens or closes block levels.
        let start = self.i;
        let indent = self.skip_indent();
        if self.in_block_scalar_text(indent) {
            self.skip_line();
            return None;
        }
        self.open_block_level(indent);
        let mut line = LineState {
            start,
            indent,
            on_line: 0,
            value_start: true,
        };
        while self.i < self.bytes.len() && self.bytes[self.i] != b'\n' {
            match self.quote {
                Some(quote) => self.read_quoted(quote, &mut line),
                None => self.read_plain(&mut line),
            }
            if self.indents.len() + line.on_line + self.flow > MAX_NESTING {
                return Some(self.i);
            }
            self.i += 1;
        }
        self.i += 1;
        None
    }

    /// Moves past the spaces and tabs that start a line; returns how many there were.
    fn skip_indent(&mut self) -> usize {
        let mut indent = 0;
        while self.i < self.bytes.len() && matches!(self.bytes[self.i], b' ' | b'\t') {
            self.i += 1;
            indent += 1;
        }
        indent
    }

    /// Whether the line, indented by `indent`, is text of an open `|` or `>` block; a line
    /// that is not closes the block.
    fn in_block_scalar_text(&mut self, indent: usize) -> bool {
        let Some(parent) = self.block_scalar else {
            return false;
        };
        let empty = self.i >= self.bytes.len() || matches!(self.bytes[self.i], b'\n' | b'\r');
        if empty || indent > parent {
            return true;
        }
        self.block_scalar = None;
        false
    }

    /// Moves past the rest of the line and its line break.
    fn skip_line(&mut self) {
        while self.i < self.bytes.len() && self.bytes[self.i] != b'\n' {
            self.i += 1;
        }
        self.i += 1;
    }

    /// Closes the block levels a line at `indent` ends and opens its own, unless the line is
    /// blank or a comment, or sits inside brackets or quotes.
    fn open_block_level(&mut self, indent: usize) {
        let blank =
            self.i >= self.bytes.len() || matches!(self.bytes[self.i], b'\n' | b'\r' | b'#');
        if self.flow == 0 && self.quote.is_none() && !blank {
            while self.indents.last().is_some_and(|&last| last >= indent) {
                self.indents.pop();
            }
            self.indents.push(indent);
        }
    }

    /// Reads a byte inside a scalar quoted with `quote`.
    fn read_quoted(&mut self, quote: u8, line: &mut LineState) {
        let b = self.bytes[self.i];
        if quote == b'"' && b == b'\\' {
            self.i += 1;
        } else if b == quote {
            // `''` inside single quotes is an escaped quote, not the end.
            if quote == b'\'' && self.bytes.get(self.i + 1) == Some(&b'\'') {
                self.i += 1;
            } else {
                self.quote = None;
                line.value_start = false;
            }
        }
    }

    /// Reads a byte outside quotes: what opens or closes a level, a quote, a comment.
    fn read_plain(&mut self, line: &mut LineState) {
        let b = self.bytes[self.i];
        match b {
            b'"' | b'\'' if line.value_start => self.quote = Some(b),
            // An anchor or a tag comes before the value it names.
            b'&' | b'!' if line.value_start => {
                while !self.ends_token(self.i + 1) {
                    self.i += 1;
                }
            }
            b'|' | b'>' if line.value_start && self.flow == 0 => {
                if self.is_block_scalar_header() {
                    self.block_scalar = Some(line.indent);
                }
                line.value_start = false;
            }
            b'#' if self.i == line.start || matches!(self.bytes[self.i - 1], b' ' | b'\t') => {
                while self.i + 1 < self.bytes.len() && self.bytes[self.i + 1] != b'\n' {
                    self.i += 1;
                }
            }
            b'[' | b'{' if line.value_start || self.flow > 0 => {
                self.flow += 1;
                line.value_start = true;
            }
            b']' | b'}' if self.flow > 0 => self.flow -= 1,
            b'-' | b'?' | b':' if self.ends_token(self.i + 1) => {
                if b != b':' && line.value_start && self.flow == 0 {
                    line.on_line += 1;
                }
                line.value_start = true;
            }
            b',' if self.flow > 0 => line.value_start = true,
            b' ' | b'\t' | b'\r' => {}
            _ => line.value_start = false,
        }
    }

    /// Whether the `|` or `>` being read, with the `-`, `+` and digits after it, is a whole
    /// block scalar header.
    fn is_block_scalar_header(&self) -> bool {
        let header_end = self.bytes[self.i + 1..]
            .iter()
            .position(|c| !matches!(c, b'-' | b'+' | b'0'..=b'9'))
            .map_or(self.bytes.len(), |p| self.i + 1 + p);
        self.ends_token(header_end)
    }

    /// Whether offset `at` is past the end, or a space, tab or line break.
    fn ends_token(&self, at: usize) -> bool {
        self.bytes
            .get(at)
            .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
