//! Markdown bodies to HTML, and the plain-text summary lists show; pure functions.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// CommonMark plus the extensions the SPEC promises.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Markdown to HTML for a page that stands alone outside the site (`review --format html`,
/// `prep --format html`, `share`): links and images become their text (they would lead back
/// into the playbook or out to other hosts), and HTML written in the text is shown as text.
pub fn render_standalone(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, options()).filter_map(|event| match event {
        Event::Start(Tag::Link { .. } | Tag::Image { .. })
        | Event::End(TagEnd::Link | TagEnd::Image) => None,
        Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
        event => Some(event),
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// Inline Markdown as the plain text it shows: `**Shipped** [the parser](x)\.` reads
/// `Shipped the parser.` (for a title made from a line of notes).
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(part) | Event::Code(part) => text.push_str(&part),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// A body's HTML as the build keeps it from the read to the entry's page: LZ4-compressed,
/// because only that page shows it and a playbook of long notes would otherwise hold more
/// HTML than everything else together (10,000 entries of 10 KB: 131 MB). Compressing costs
/// a few percent of the read; unpacking one body is a fraction of rendering its page.
#[derive(Clone, Debug, PartialEq)]
pub struct PackedHtml(Box<[u8]>);

impl PackedHtml {
    fn pack(html: &str) -> PackedHtml {
        PackedHtml(lz4_flex::compress_prepend_size(html.as_bytes()).into_boxed_slice())
    }

    pub fn unpack(&self) -> String {
        // Packed by `pack` from a `str`, in this process: anything else is a bug, not
        // input.
        let bytes = lz4_flex::decompress_size_prepended(&self.0).expect("HTML packed here");
        String::from_utf8(bytes).expect("HTML packed from a str")
    }
}

/// What an entry's body gives the site, from one pass of the parser.
#[derive(Debug, PartialEq)]
pub struct Rendered {
    pub html: PackedHtml,
    /// The text of the first paragraph, cut at a word boundary (empty when not asked for).
    pub summary: String,
    /// The distinct words of the text, lower-cased, in order of first use, separated by
    /// spaces: what search matches a body against, at a fraction of its size.
    pub words: String,
}

/// A thread's buffers for reading bodies, reused from body to body: fresh buffers are fresh
/// pages for the kernel to zero, and a word set grown anew for each body rehashed it eight
/// times.
#[derive(Default)]
struct Scratch {
    html: String,
    words: Words,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// The largest scratch buffer kept for the next body.
const SCRATCH_KEPT: usize = 1 << 20;

/// Renders `markdown` and, from the same events, collects its words and (when
/// `summary_chars` is given) the text of its first paragraph. Parsing is the costly part of
/// reading an entry, so it happens once.
///
/// The words leave out those of `known` (what search looks at before a body's words: the
/// title, the tags and people, a written summary) and those of the summary taken from the
/// first paragraph.
pub fn render(markdown: &str, summary_chars: Option<usize>, known: &str) -> Rendered {
    SCRATCH.with_borrow_mut(|scratch| render_with(markdown, summary_chars, known, scratch))
}

fn render_with(
    markdown: &str,
    summary_chars: Option<usize>,
    known: &str,
    scratch: &mut Scratch,
) -> Rendered {
    let Scratch { html, words } = scratch;
    words.clear();
    words.know(known);
    // How long the words were when the first paragraph ended: every word of a summary taken
    // from it was first seen by then.
    let mut first_paragraph_words = None;
    let mut paragraph = String::new();
    // Before the first paragraph, inside it, after it (or not wanted).
    let mut summary_state = if summary_chars.is_some() { 0 } else { 2 };
    let events = Parser::new_ext(markdown, options()).inspect(|event| match event {
        Event::Text(text) | Event::Code(text) => {
            words.add(text);
            if summary_state == 1 {
                paragraph.push_str(text);
            }
        }
        Event::Start(Tag::Paragraph) if summary_state == 0 => summary_state = 1,
        Event::End(TagEnd::Paragraph) if summary_state == 1 => {
            summary_state = 2;
            first_paragraph_words = Some(words.text.len());
        }
        Event::SoftBreak | Event::HardBreak if summary_state == 1 => paragraph.push(' '),
        _ => {}
    });
    let mut links = PrivateLinks::default();
    html.clear();
    pulldown_cmark::html::push_html(html, events.filter_map(|event| links.rewrite(event)));
    let summary = summary_chars
        .map(|max| truncate_words(paragraph.trim(), max))
        .unwrap_or_default();
    // A copy the size of the words: kept for the whole build.
    let (before, after) = (words.text).split_at(first_paragraph_words.unwrap_or(words.text.len()));
    let mut kept = words_beyond(before.to_owned(), &summary);
    if !after.is_empty() {
        kept.push_str(if kept.is_empty() {
            after.trim_start()
        } else {
            after
        });
    }
    let rendered = Rendered {
        html: PackedHtml::pack(html),
        summary,
        words: kept,
    };
    // One huge body is no reason to hold its room for the rest of a serve session.
    if html.capacity() > SCRATCH_KEPT || words.text.capacity() > SCRATCH_KEPT {
        *scratch = Scratch::default();
    }
    rendered
}

/// The words of `words` (space-separated, lower-cased) that `known` does not hold, lower-cased
/// and split where it stops being alphanumeric, as the search page splits what it looks at.
fn words_beyond(words: String, known: &str) -> String {
    let known = known.to_lowercase();
    let known: ahash::AHashSet<&str> = known
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    if !words.split(' ').any(|word| known.contains(word)) {
        return words;
    }
    let beyond: Vec<&str> = (words.split(' '))
        .filter(|word| !word.is_empty() && !known.contains(word))
        .collect();
    beyond.join(" ")
}

/// Keeps a body's links from telling other hosts about the playbook: a link to another host
/// gets `rel="noopener noreferrer"`, and an image from another host becomes a link to it (a
/// page of the playbook loads nothing from elsewhere).
#[derive(Default)]
struct PrivateLinks {
    /// Inside a link (links cannot nest, so a flag is enough), and whether it was rewritten.
    in_link: bool,
    rewrote_link: bool,
    /// Inside an image from another host: `Some(true)` if it became a link.
    outside_image: Option<bool>,
}

impl PrivateLinks {
    fn rewrite<'a>(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        Some(match event {
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) if is_other_host(&dest_url) => {
                self.in_link = true;
                self.rewrote_link = true;
                Event::InlineHtml(anchor(&dest_url, &title).into())
            }
            Event::Start(Tag::Link { .. }) => {
                self.in_link = true;
                event
            }
            Event::End(TagEnd::Link) => {
                self.in_link = false;
                if std::mem::take(&mut self.rewrote_link) {
                    Event::InlineHtml("</a>".into())
                } else {
                    event
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) if is_other_host(&dest_url) => {
                // Inside a link, an anchor cannot open: the alt text stays, as text.
                self.outside_image = Some(!self.in_link);
                if self.in_link {
                    return None;
                }
                Event::InlineHtml(anchor(&dest_url, &title).into())
            }
            Event::End(TagEnd::Image) if self.outside_image.is_some() => {
                if self.outside_image.take() == Some(true) {
                    Event::InlineHtml("</a>".into())
                } else {
                    return None;
                }
            }
            event => event,
        })
    }
}

/// Whether `url` points to another host (`http:`, `https:` or `//host`).
fn is_other_host(url: &str) -> bool {
    let lower = url
        .trim_start()
        .get(..8)
        .unwrap_or(url)
        .to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

fn anchor(url: &str, title: &str) -> String {
    let mut html = String::from("<a href=\"");
    let _ = pulldown_cmark_escape::escape_href(&mut html, url);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut html, title);
        html.push('"');
    }
    html.push_str(" rel=\"noopener noreferrer\">");
    html
}

/// Distinct lower-cased words of at least two characters, in order of first use.
///
/// This reads every byte of every body, which made it a tenth of a build when it went byte
/// by byte: ASCII text is read eight bytes at a time, one sum per test marking which of the
/// eight are letters or digits, and a word of up to eight ASCII characters is its own key
/// in the set. A longer word, or one with other characters, is remembered by a 64-bit hash
/// instead of a copy: two different words of one entry sharing it (odds of about one in
/// 10^15 for a long entry) would leave the second out of the search index.
#[derive(Default)]
struct Words {
    seen: std::collections::HashSet<u64, std::hash::BuildHasherDefault<Mixed>>,
    hashing: ahash::RandomState,
    text: String,
    /// The word being looked at, lower-cased, when it was not already.
    lower: String,
}

/// The top bit of each of eight bytes.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// `byte` in each of eight bytes.
const fn splat(byte: u8) -> u64 {
    u64::from_le_bytes([byte; 8])
}

/// The eight bytes of `bytes` from `at` as one little-endian number (the first byte lowest),
/// zeros past the end.
fn load(bytes: &[u8], at: usize) -> u64 {
    let rest = bytes.get(at..).unwrap_or_default();
    let mut eight = [0; 8];
    match rest.first_chunk::<8>() {
        Some(chunk) => eight = *chunk,
        None => eight[..rest.len()].copy_from_slice(rest),
    }
    u64::from_le_bytes(eight)
}

/// The top bit of each byte of `chunk` set where that byte is an ASCII letter or digit.
fn alphanumeric_bits(chunk: u64) -> u64 {
    // With every top bit cleared, no sum or difference carries into the next byte:
    // x + (0x80 - c) has its top bit set where x >= c, and (0x80 + c) - x where x <= c.
    let ascii = chunk & !HIGH_BITS;
    let at_least = |x: u64, c: u8| x + splat(0x80 - c);
    let at_most = |x: u64, c: u8| splat(0x80 + c) - x;
    // Setting bit 5 lower-cases a letter; nothing else lands among the lower-case letters.
    let folded = ascii | splat(0x20);
    let letters = at_least(folded, b'a') & at_most(folded, b'z');
    let digits = at_least(ascii, b'0') & at_most(ascii, b'9');
    (letters | digits) & !chunk & HIGH_BITS
}

/// How many of `chunk`'s bytes come before the first one with its top bit set in `bits`.
fn bytes_before(bits: u64) -> usize {
    (bits.trailing_zeros() / 8) as usize
}

impl Words {
    /// Forgets the words of the last body, keeping the room they took.
    fn clear(&mut self) {
        self.seen.clear();
        self.text.clear();
    }

    /// Takes the words of `text` as seen without adding them: a body word among them is then
    /// left out at the cost of the lookup every word has anyway.
    fn know(&mut self, text: &str) {
        self.add(text);
        self.text.clear();
    }

    /// Adds the words of `text`: its runs of alphanumeric characters.
    fn add(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let chunk = load(bytes, at);
            let word_bits = alphanumeric_bits(chunk);
            // Step over what comes before the next ASCII letter or digit or other character
            // (always ASCII, so `at` stays on a character boundary).
            let gap = bytes_before(word_bits | (chunk & HIGH_BITS));
            if gap > 0 {
                at += gap;
                continue;
            }
            if chunk & 0x80 != 0 {
                at = self.add_slowly(text, at);
                continue;
            }
            let mut end = at + bytes_before(!word_bits & HIGH_BITS);
            if end - at == 8 {
                loop {
                    let run = bytes_before(!alphanumeric_bits(load(bytes, end)) & HIGH_BITS);
                    end += run;
                    if run < 8 {
                        break;
                    }
                }
            }
            if bytes.get(end).is_some_and(|byte| !byte.is_ascii()) {
                // The word may go on in a character that is not ASCII.
                at = self.add_slowly(text, at);
                continue;
            }
            let length = end - at;
            if length <= 8 {
                if length >= 2 {
                    // Bit 5 lower-cases a letter and is set in every digit already.
                    let key = (chunk | splat(0x20)) & (u64::MAX >> (64 - 8 * length));
                    self.insert(key, &text[at..end]);
                }
            } else {
                self.lower.clear();
                self.lower.push_str(&text[at..end]);
                self.lower.make_ascii_lowercase();
                self.insert_lower(self.hashing.hash_one(self.lower.as_str()));
            }
            at = end;
        }
    }

    /// Adds the word at `at` read a character at a time, or steps over the one character
    /// there that is not alphanumeric; gives back where it ends.
    #[cold]
    fn add_slowly(&mut self, text: &str, at: usize) -> usize {
        let rest = &text[at..];
        let length = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        if length == 0 {
            return at + rest.chars().next().map_or(1, char::len_utf8);
        }
        self.lower.clear();
        self.lower
            .extend(rest[..length].chars().flat_map(char::to_lowercase));
        if self.lower.len() >= 2 {
            // The key the fast path gives the same word.
            let key = match self.lower.len() <= 8 && self.lower.is_ascii() {
                true => load(self.lower.as_bytes(), 0),
                false => self.hashing.hash_one(self.lower.as_str()),
            };
            self.insert_lower(key);
        }
        at + length
    }

    /// Adds `self.lower` under `key` unless seen.
    fn insert_lower(&mut self, key: u64) {
        if self.seen.insert(key) {
            push_word(&mut self.text, &self.lower);
        }
    }

    /// Adds the ASCII `word` under `key` unless seen, lower-cased.
    fn insert(&mut self, key: u64, word: &str) {
        if self.seen.insert(key) {
            push_word(&mut self.text, word);
            let start = self.text.len() - word.len();
            self.text[start..].make_ascii_lowercase();
        }
    }
}

/// The set's hasher: one multiplication, its high half folded into the low one (where the
/// table picks a slot) for keys that are words of up to eight bytes or hashes already.
#[derive(Default)]
struct Mixed(u64);

impl std::hash::Hasher for Mixed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys come here; any other input still hashes.
        for &byte in bytes {
            self.write_u64(self.0.rotate_left(8) ^ u64::from(byte));
        }
    }

    fn write_u64(&mut self, value: u64) {
        let product = value.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = product ^ (product >> 32);
    }
}

/// Appends `word` to the space-separated `text`.
fn push_word(text: &mut String, word: &str) {
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(word);
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
        let html = render_standalone(
            "| a |\n|---|\n| b |\n\n~~old~~\n\n- [x] done\n\nNote[^1]\n\n[^1]: Why.\n",
        );
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>old</del>"));
        assert!(html.contains("type=\"checkbox\""));
        assert!(html.contains("footnote-definition"));
    }

    #[test]
    fn summary_is_the_first_paragraph_as_text() {
        let md = "# Heading\n\nFirst *line*\nwith `code`.\n\nSecond.";
        assert_eq!(render(md, Some(200), "").summary, "First line with code.");
        assert_eq!(render(md, None, "").summary, "");
    }

    #[test]
    fn one_pass_gives_the_same_html_as_rendering_alone() {
        let md = "# A\n\nOne *two*.\n\n| x |\n|---|\n| y |\n\n- [ ] z\n";
        assert_eq!(
            render(md, Some(100), "").html.unpack(),
            render_standalone(md)
        );
    }

    #[test]
    fn a_body_comes_back_from_packing_as_it_was_rendered_however_large() {
        // Larger than the scratch room kept between bodies, with text in several scripts.
        let paragraph = "Été, *naïve* 東京 — [link](../x/) `code` <b>html</b>\n\n";
        let md = paragraph.repeat(SCRATCH_KEPT / paragraph.len() + 10);
        assert_eq!(
            render(&md, None, "").html.unpack(),
            render_standalone_keeping_links(&md)
        );
        assert_eq!(render("", None, "").html.unpack(), "");
    }

    /// `render`'s HTML the long way, without the parser's other products.
    fn render_standalone_keeping_links(md: &str) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new_ext(md, options()));
        html
    }

    #[test]
    fn a_standalone_page_keeps_the_text_of_links_and_images_and_shows_html_as_text() {
        let html = render_standalone(
            "See [the goal](../goals/x/) and ![chart](https://example.com/c.png).\n\n<script>alert(1)</script>\n",
        );
        assert!(html.contains("See the goal and chart."), "{html}");
        assert!(!html.contains("<a") && !html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn words_are_the_text_lower_cased_once_each() {
        assert_eq!(
            render("The *ledger* and the Ledger, `cutover`! [Über](https://example.com/x)\n<span class=x>ok</span>", None, "").words,
            "the ledger and cutover über ok"
        );
    }

    /// What `Words` must give, the plain way: split where `char::is_alphanumeric` does.
    fn words_of(text: &str) -> String {
        let mut expected: Vec<String> = Vec::new();
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            let word: String = word.chars().flat_map(char::to_lowercase).collect();
            if word.len() >= 2 && !expected.contains(&word) {
                expected.push(word);
            }
        }
        expected.join(" ")
    }

    fn words_added(texts: &[&str]) -> String {
        let mut words = Words::default();
        for text in texts {
            words.add(text);
        }
        words.text
    }

    #[test]
    fn words_split_where_the_text_stops_being_alphanumeric() {
        let texts = [
            "Straße—naïve café, ΑΘΗΝΑ x2 a b_c d-e 東京タワー ok",
            "a\u{a0}b İstanbul ǅemal ½ 42nd ٣٤ tab\there é",
            "x",
            "",
            "éé",
            "--Word--word--WORD--",
            // Words of eight ASCII bytes and either side of it, read eight bytes at a time.
            "abcdefgh ABCDEFGH abcdefghi Abcdefghi abcdefg 1234567 12345678 123456789",
            "eightchr—eightchr eightchré eightchr éightchr zeightchrabcdefghijklmnopq",
            "word—word word\u{212a} \u{212a}elvin kelvin WORD@[`{ za AZ az 09 /:",
            // The Kelvin sign is three bytes and lower-cases to one: no word.
            "\u{212a}{",
        ];
        for text in texts {
            assert_eq!(words_added(&[text]), words_of(text), "{text}");
        }
        // A body's text comes in pieces; a word seen in one is not added again.
        assert_eq!(words_added(&["Ledger x", "ledger—", "LEDGER"]), "ledger");
    }

    #[test]
    fn words_leave_out_the_known_text_and_the_summary() {
        let md =
            "Budget *plan* for Q3: the ledger.\n\n## Ledger risk\n\nThe budget and the cutover.";
        let rendered = render(md, Some(200), "Ledger cut-over\nPlan");
        assert_eq!(rendered.summary, "Budget plan for Q3: the ledger.");
        // "ledger" and "plan" are known; "budget", "for", "q3" and "the" are the summary's.
        assert_eq!(rendered.words, "risk and cutover");
        // A written summary is known text; the first paragraph's words stay.
        let rendered = render(md, None, "Ledger cut-over\nPlan");
        assert_eq!(rendered.words, "budget for q3 the risk and cutover");
    }

    #[test]
    fn words_beyond_leave_out_what_search_finds_first() {
        let known = "Ledger cut-over\nTeam Über";
        let words = "the ledger cut over über plan".to_string();
        assert_eq!(words_beyond(words, known), "the plan");
        let words = "nothing known here".to_string();
        assert_eq!(words_beyond(words.clone(), known), words);
        assert_eq!(words_beyond(String::new(), known), "");
    }

    proptest::proptest! {
        #[test]
        fn words_are_those_of_the_plain_split(
            text in "([a-zA-Z0-9]{0,10}|[ @\\[`{/:_.,—\u{a0}]|é|ß|İ|\u{212a}|東){0,30}",
        ) {
            proptest::prop_assert_eq!(words_added(&[&text]), words_of(&text));
        }
    }

    #[test]
    fn links_to_other_hosts_tell_them_nothing_and_images_from_them_do_not_load() {
        let html = render(
            "[a](https://example.com/x?a=1&b=\"2\" \"T\") [b](../../tags/x/index.html) \
             ![pic](HTTPS://example.com/p.png) [![inner](//cdn.example/i.png)](https://example.com/)",
            None,
            "",
        )
        .html
        .unpack();
        assert!(
            html.contains(r#"<a href="https://example.com/x?a=1&amp;b=%222%22" title="T" rel="noopener noreferrer">a</a>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="../../tags/x/index.html">b</a>"#),
            "{html}"
        );
        assert!(
            html.contains(
                r#"<a href="HTTPS://example.com/p.png" rel="noopener noreferrer">pic</a>"#
            ),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="https://example.com/" rel="noopener noreferrer">inner</a>"#),
            "{html}"
        );
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn long_summaries_are_cut_at_a_word() {
        let summary = render("one two three four five six", Some(12), "").summary;
        assert_eq!(summary, "one two…");
    }
}
