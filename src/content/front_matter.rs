//! Splitting an entry into its YAML front matter and Markdown body.

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
}
