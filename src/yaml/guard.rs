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
