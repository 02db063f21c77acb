//! Markdown bodies to HTML, and the plain-text summary lists show; pure functions.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// CommonMark plus the extensions the SPEC promises.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

pub fn render_html(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, options()));
    html
}

/// The distinct words of `markdown`, lower-cased, in order of first use, separated by spaces:
/// what search matches a body against, at a fraction of its size. The source is split as it
/// is, without parsing it again: Markdown's punctuation is not made of words anyway.
pub fn distinct_words(markdown: &str) -> String {
    let lower = markdown.to_lowercase();
    let mut seen = std::collections::HashSet::new();
    let mut words = String::with_capacity(lower.len() / 4);
    for word in lower.split(|c: char| !c.is_alphanumeric()) {
        if word.len() >= 2 && seen.insert(word) {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(word);
        }
    }
    words
}

/// The text of the first paragraph, cut at a word boundary to at most `max_chars` characters.
pub fn first_paragraph(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    let mut inside = false;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if inside => break,
            Event::Text(t) | Event::Code(t) if inside => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    truncate_words(text.trim(), max_chars)
}

fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > max_chars / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_promised_extensions() {
        let html =
            render_html("| a |\n|---|\n| b |\n\n~~old~~\n\n- [x] done\n\nNote[^1]\n\n[^1]: Why.\n");
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>old</del>"));
        assert!(html.contains("type=\"checkbox\""));
        assert!(html.contains("footnote-definition"));
    }

    #[test]
    fn summary_is_the_first_paragraph_as_text() {
        let md = "# Heading\n\nFirst *line*\nwith `code`.\n\nSecond.";
        assert_eq!(first_paragraph(md, 200), "First line with code.");
    }

    #[test]
    fn distinct_words_are_lower_cased_once_each() {
        assert_eq!(
            distinct_words("The *ledger* and the Ledger, `cutover`!"),
            "the ledger and cutover"
        );
    }

    #[test]
    fn long_summaries_are_cut_at_a_word() {
        let summary = first_paragraph("one two three four five six", 12);
        assert_eq!(summary, "one two…");
    }
}
