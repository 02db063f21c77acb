//! Fragments: a partial template (an entry's card, its timeline row, a packet item) rendered
//! once and spliced into every page that shows it. Lists are most of a site's bytes, and
//! rendering each card again on every kind, tag, person, practice, timeline and review page
//! that shows it was most of the work of those pages.
//!
//! A fragment's links start with `{{ root }}`, which differs from page to page (`../`,
//! `../../`, a base URL): the fragment renders with a mark in its place, and each page splices
//! in its own root.

use tera::{Context, Tera};

/// Stands for `root` while a fragment renders: a control character, which tera's escaping
/// leaves alone and no page of ours writes. (One typed into a title would show as the root,
/// `../`, which is harmless.)
const ROOT_MARK: char = '\u{1}';

/// Stands for a list spliced into a fragment on each page (`Fragment::splice_with`): what was
/// done toward a goal, which differs from packet to packet.
pub const INSERT_MARK: &str = "\u{2}";

/// A rendered partial with `ROOT_MARK` where the page's root goes.
#[derive(Debug, Default)]
pub struct Fragment(Box<str>);

impl Fragment {
    /// Renders `template` with `context`, whose `root` it sets to the mark.
    pub fn render(
        tera: &Tera,
        template: &str,
        context: &mut Context,
    ) -> Result<Fragment, tera::Error> {
        context.insert("root", &ROOT_MARK.to_string());
        Ok(Fragment(tera.render(template, context)?.into_boxed_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Appends the fragment to `out` with `root` (already escaped for HTML) for the mark.
    pub fn splice_into(&self, out: &mut String, root: &str) {
        splice(&self.0, out, root);
    }

    /// `splice_into`, with what `insert` appends where the fragment has `INSERT_MARK`.
    pub fn splice_with(&self, out: &mut String, root: &str, insert: impl FnOnce(&mut String)) {
        match self.0.split_once(INSERT_MARK) {
            Some((before, after)) => {
                splice(before, out, root);
                insert(out);
                splice(after, out, root);
            }
            None => splice(&self.0, out, root),
        }
    }
}

/// Appends `text` to `out` with `root` for each `ROOT_MARK`.
fn splice(text: &str, out: &mut String, root: &str) {
    let mut parts = text.split(ROOT_MARK);
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        out.push_str(root);
        out.push_str(part);
    }
}

/// `root` as the templates would print it, escaped for HTML: what `splice_into` takes.
pub fn escaped_root(root: &str) -> String {
    let mut escaped = Vec::with_capacity(root.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(root, &mut escaped);
    String::from_utf8(escaped).unwrap_or_else(|_| root.to_string())
}

/// Fragments one after the other, each on its own line, with `root` for the mark.
pub fn join<'f>(fragments: impl IntoIterator<Item = &'f Fragment>, root: &str) -> String {
    let fragments: Vec<&Fragment> = fragments.into_iter().collect();
    let length: usize = fragments.iter().map(|f| f.len() + 1).sum();
    let mut out = String::with_capacity(length + length / 8);
    for fragment in fragments {
        out.push('\n');
        fragment.splice_into(&mut out, root);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_each_page_its_root() {
        let mut tera = Tera::default();
        tera.add_raw_template(
            "card.html",
            r#"<a href="{{ root }}{{ url }}">{{ title }}</a>"#,
        )
        .unwrap();
        let mut context = Context::new();
        context.insert("url", "goals/x/index.html");
        context.insert("title", "Fish & <chips>");
        let fragment = Fragment::render(&tera, "card.html", &mut context).unwrap();
        let mut out = String::new();
        fragment.splice_into(&mut out, "../../");
        assert_eq!(
            out,
            r#"<a href="../../goals/x/index.html">Fish &amp; &lt;chips&gt;</a>"#
        );
        assert_eq!(
            join([&fragment, &fragment], &escaped_root("https://h/a&b/")),
            "\n<a href=\"https://h/a&amp;b/goals/x/index.html\">Fish &amp; &lt;chips&gt;</a>\
             \n<a href=\"https://h/a&amp;b/goals/x/index.html\">Fish &amp; &lt;chips&gt;</a>"
        );
    }
}
