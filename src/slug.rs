//! Slugs: the page address segments made from titles, file names, tags and people, and the
//! longest one a file name can take.

/// Lower-case ASCII letters and digits, every other run of characters made one `-`, no `-` at
/// either end: `Café Notes (v2)` becomes `caf-notes-v2`. The SPEC's rule for entry slugs.
pub fn slugify(text: &str) -> String {
    slug_keeping(text, |c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// Longest page address segment (slug, tag or person address), in bytes. A file system takes
/// 255 bytes per name, and a build or publish adds a prefix or suffix to some names; nobody
/// tells a tag or a slug of this length apart from a shorter one.
pub const MAX_SLUG_BYTES: usize = 120;

/// Why `segment`, the page address made from `what`, cannot be a file name, if it cannot.
pub fn too_long_for_a_file_name(what: &str, segment: &str) -> Option<String> {
    (segment.len() > MAX_SLUG_BYTES).then(|| {
        format!(
            "{what} is too long to name a page: its address would be {} bytes, and at most \
             {MAX_SLUG_BYTES} fit; shorten it",
            segment.len()
        )
    })
}

/// The URL segment of a tag or a person: like `slugify`, but letters and digits of every
/// script are kept, so `日本` and `Café` get pages of their own (`日本`, `café`).
pub fn url_slug(text: &str) -> String {
    slug_keeping(text, char::is_alphanumeric)
}

fn slug_keeping(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if keep(c) {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_keeps_the_url_alphabet() {
        assert_eq!(
            slugify("Asked Dana: how to rank?"),
            "asked-dana-how-to-rank"
        );
        assert_eq!(slugify("Café Notes (v2)"), "caf-notes-v2");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("***"), "");
    }

    #[test]
    fn url_slugs_keep_every_script() {
        assert_eq!(url_slug("日本"), "日本");
        assert_eq!(url_slug("Café Notes"), "café-notes");
        assert_eq!(url_slug("Dana"), "dana");
        assert_eq!(url_slug("../x"), "x");
        assert_eq!(url_slug("!!!"), "");
    }
}
