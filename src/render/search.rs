//! The search index, written as a script that sets `window.playbookSearch`, so that the search
//! page works from file:// where a fetched JSON file would be refused.
//!
//! The index is one object:
//!
//! ```text
//! {"suffix":"index.html","strings":[…],"words":[…],"rows":[
//! ["entry-1/","Title","Summary","<codes>","<word codes>"],
//! …]}
//! ```
//!
//! A row is the URL's end (its start, up to the first `/`, is a shared string; `suffix`, when
//! every URL ends with it, is taken off and put back by the script), the title, the summary,
//! then numbers written as codes (see [`encode`]): into `strings` the URL's start, the kind,
//! the date and the tags and people; into `words` the body's distinct words. Shared strings and
//! words are held once, the most used first, so that their codes are the shortest. A body word
//! that is already in the title, the tags and people or the summary is left out of the row:
//! search looks there first, so every term that starts it is found there before the words are
//! looked at, with the same score.

use ahash::AHashMap as HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{Links, Renderer};
use crate::content::{Delta, Entry, Playbook};
use crate::error::Diagnostic;

/// A string as JSON. Serialising a string cannot fail.
fn json(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// One entry's row, prepared: lines of the URL's end (JSON), the title and summary (JSON, comma
/// separated) and each shared string (JSON: the URL's start, the kind, the date, each tag and
/// person). JSON never holds a raw line break. The body's words are not copied here: the
/// index takes them from the entry (`Entry::search_words`, which leaves out what search finds
/// in the title, tags, people and summary first).
fn row(playbook: &Playbook, links: &Links, entry: &Entry) -> Arc<str> {
    let kind = &playbook.config.schema.kind(entry.kind).label;
    let people = (entry.people.iter()).map(|id| playbook.config.person_name(id));
    let meta = entry.tags.iter().map(String::as_str).chain(people);
    let url = links.folder(&format!("{}/", entry.key));
    let (start, end) = match url.find('/') {
        Some(at) => url.split_at(at + 1),
        None => ("", url.as_str()),
    };

    // JSON written straight into the row: a row per entry, and most of its parts are JSON.
    let mut out = Vec::with_capacity(url.len() + entry.title.len() + entry.summary.len() + 64);
    // Writing into a Vec cannot fail.
    let json = |out: &mut Vec<u8>, text: &str| drop(serde_json::to_writer(out, text));
    json(&mut out, end);
    out.push(b'\n');
    json(&mut out, &entry.title);
    out.push(b',');
    json(&mut out, &entry.summary);
    for shared in [start, kind.as_str(), &entry.date.long()]
        .into_iter()
        .chain(meta)
    {
        out.push(b'\n');
        json(&mut out, shared);
    }
    // JSON is UTF-8.
    Arc::from(String::from_utf8_lossy(&out))
}

/// Every entry's row, in `playbook.entries` order. With `previous` (the rows of an earlier
/// playbook of the same configuration, and how its entries map onto these), only the rows of
/// changed entries are made.
pub fn search_rows(
    playbook: &Playbook,
    links: &Links,
    previous: Option<(&[Arc<str>], &Delta)>,
) -> Vec<Arc<str>> {
    let make = |entry: &Entry| row(playbook, links, entry);
    match previous {
        Some((rows, delta)) => {
            delta.carry(rows, playbook.entries.len(), |n| make(&playbook.entries[n]))
        }
        None => playbook.entries.par_iter().map(|e| make(e)).collect(),
    }
}

/// `search-index.js`: the index as a script that sets `window.playbookSearch`; in an encrypted
/// build, the same object sealed for that file, set as `window.playbookSealedSearch`.
pub(super) fn index_script(r: &Renderer<'_>, path: &str) -> Result<Vec<u8>, Diagnostic> {
    // The rows are in the entries' order.
    let words: Vec<&str> = (r.playbook.entries.iter())
        .map(|entry| entry.search_words.as_str())
        .collect();
    let script = match &r.links.sealer {
        Some(sealer) => {
            let sealed = sealer.seal(path, &index_json(&r.search_rows, &words, b""))?;
            format!("window.playbookSealedSearch=\"{sealed}\";\n").into_bytes()
        }
        None => {
            // Written straight after the assignment: at 100,000 entries a copy is 40 MB.
            let mut script = index_json(&r.search_rows, &words, b"window.playbookSearch=");
            script.extend_from_slice(b";\n");
            script
        }
    };
    Ok(script)
}

/// A row prepared by [`row`], in its parts.
struct Parts<'a> {
    url: &'a str,
    text: &'a str,
    shared: Vec<&'a str>,
    words: &'a str,
}

impl<'a> Parts<'a> {
    fn of(row: &'a str, words: &'a str) -> Parts<'a> {
        let mut lines = row.split('\n');
        Parts {
            url: lines.next().unwrap_or("\"\""),
            text: lines.next().unwrap_or("\"\",\"\""),
            shared: lines.collect(),
            words,
        }
    }

    fn words(&self) -> impl Iterator<Item = &'a str> {
        self.words.split(' ').filter(|word| !word.is_empty())
    }
}

/// Numbers for strings, the most used first (ties in order of the string), made in one pass:
/// each use is first given the number of the string's first appearance.
///
/// A string is looked up by a 64-bit hash, not by itself: its first appearance is somewhere in
/// the rows, and comparing against it there was a cache miss for each of the millions of word
/// uses of a playbook with a large vocabulary (a third of a 10,000-entry build's time on one
/// thread). Two strings sharing a hash (odds of about one in 10^10 for 60,000 distinct words)
/// would share a number.
#[derive(Default)]
struct Numbering<'a> {
    /// For each string's hash, its number of first appearance and its count of uses, side by
    /// side: a lookup is a cache miss in a large vocabulary, and one miss finds both.
    seen: HashMap<u64, (u32, u32)>,
    hashing: ahash::RandomState,
    items: Vec<&'a str>,
    /// Every use, as the number of first appearance.
    uses: Vec<u32>,
}

impl<'a> Numbering<'a> {
    fn add(&mut self, item: &'a str) {
        let next = self.items.len() as u32;
        let (n, count) = self
            .seen
            .entry(self.hashing.hash_one(item))
            .or_insert((next, 0));
        *count += 1;
        if *n == next {
            self.items.push(item);
        }
        self.uses.push(*n);
    }

    /// The strings, the most used first, and for each number of first appearance its place
    /// among them.
    fn finish(&self) -> (Vec<&'a str>, Vec<u32>) {
        let mut counts = vec![0; self.items.len()];
        for &(n, count) in self.seen.values() {
            counts[n as usize] = count;
        }
        let mut order: Vec<u32> = (0..self.items.len() as u32).collect();
        let count = |n: &u32| counts[*n as usize];
        order.sort_unstable_by(|a, b| {
            count(b)
                .cmp(&count(a))
                .then(self.items[*a as usize].cmp(self.items[*b as usize]))
        });
        let mut place = vec![0; order.len()];
        for (at, &n) in order.iter().enumerate() {
            place[n as usize] = at as u32;
        }
        (
            order.iter().map(|&n| self.items[n as usize]).collect(),
            place,
        )
    }
}

/// The first character of a code's last digit (57 of them, `#` to `[`), and of its other
/// digits (34, `]` to `~`): none needs escaping in a JSON string.
const LAST: u8 = b'#';
const LAST_BASE: u32 = 57;
const MORE: u8 = b']';
const MORE_BASE: u32 = 34;

/// Writes `n` as a code: digits of base 34, then one of base 57 that ends it (bijective, so
/// the first 57 numbers take one character, the next 1,938 two and the next 65,892 three).
fn encode(mut n: u32, out: &mut Vec<u8>) {
    let last = n % LAST_BASE;
    n /= LAST_BASE;
    let start = out.len();
    while n > 0 {
        n -= 1;
        out.push(MORE + (n % MORE_BASE) as u8);
        n /= MORE_BASE;
    }
    out[start..].reverse();
    out.push(LAST + last as u8);
}

/// The rows and each row's body words as one JSON object (see the module's comment), a row a
/// line, written after `prefix`.
fn index_json(rows: &[Arc<str>], words: &[&str], prefix: &[u8]) -> Vec<u8> {
    let rows: Vec<Parts> = (rows.iter().zip(words))
        .map(|(row, words)| Parts::of(row, words))
        .collect();
    // A URL here is JSON: it ends with a quote.
    let suffix = "index.html";
    let cut = if !rows.is_empty() && rows.iter().all(|row| row.url.ends_with("index.html\"")) {
        suffix.len() + 1
    } else {
        0
    };
    let mut shared = Numbering::default();
    let mut words = Numbering {
        seen: HashMap::with_capacity(4096),
        uses: Vec::with_capacity(rows.iter().map(|row| row.words.len() / 4).sum()),
        ..Numbering::default()
    };
    // Where each row's uses end.
    let mut ends = Vec::with_capacity(rows.len());
    for row in &rows {
        row.shared.iter().for_each(|item| shared.add(item));
        row.words().for_each(|word| words.add(word));
        ends.push((shared.uses.len(), words.uses.len()));
    }
    let (shared_order, shared_place) = shared.finish();
    let (word_order, word_place) = words.finish();

    let size = rows
        .iter()
        .map(|row| row.url.len() + row.text.len() + row.words.len() / 2 + 16)
        .sum::<usize>();
    let mut out = Vec::with_capacity(prefix.len() + size + 1024);
    out.extend_from_slice(prefix);
    out.extend_from_slice(b"{\"suffix\":");
    out.extend_from_slice(json(if cut > 0 { suffix } else { "" }).as_bytes());
    out.extend_from_slice(b",\n\"strings\":[");
    // Shared strings are JSON already.
    for (n, item) in shared_order.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(item.as_bytes());
    }
    out.extend_from_slice(b"],\n\"words\":[");
    for (n, word) in word_order.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(json(word).as_bytes());
    }
    out.extend_from_slice(b"],\n\"rows\":[\n");
    let mut start = (0, 0);
    for (n, (row, &end)) in rows.iter().zip(&ends).enumerate() {
        if n > 0 {
            out.extend_from_slice(b",\n");
        }
        out.push(b'[');
        out.extend_from_slice(&row.url.as_bytes()[..row.url.len() - cut]);
        if cut > 0 {
            out.push(b'"');
        }
        out.push(b',');
        out.extend_from_slice(row.text.as_bytes());
        out.extend_from_slice(b",\"");
        for &n in &shared.uses[start.0..end.0] {
            encode(shared_place[n as usize], &mut out);
        }
        out.extend_from_slice(b"\",\"");
        for &n in &words.uses[start.1..end.1] {
            encode(word_place[n as usize], &mut out);
        }
        start = end;
        out.extend_from_slice(b"\"]");
    }
    out.extend_from_slice(b"\n]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The script's decoding, in Rust.
    fn decode(codes: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut acc = 0u32;
        for byte in codes.bytes() {
            if byte >= MORE {
                acc = acc * MORE_BASE + u32::from(byte - MORE) + 1;
            } else {
                out.push(acc * LAST_BASE + u32::from(byte - LAST));
                acc = 0;
            }
        }
        out
    }

    #[test]
    fn codes_are_short_safe_and_read_back() {
        let numbers: Vec<u32> = (0..5000)
            .chain([56, 57, 1994, 1995, 1996, 67_000, 3_000_000, u32::MAX / 64])
            .collect();
        let mut codes = Vec::new();
        for &n in &numbers {
            encode(n, &mut codes);
        }
        let text = String::from_utf8(codes).unwrap_or_default();
        assert!(
            text.bytes()
                .all(|b| (b'#'..=b'~').contains(&b) && b != b'\\')
        );
        assert_eq!(decode(&text), numbers);
        let length = |n| {
            let mut out = Vec::new();
            encode(n, &mut out);
            out.len()
        };
        assert_eq!(
            [0, 56, 57, 1994, 1995, 67_886, 67_887].map(length),
            [1, 1, 2, 2, 3, 3, 4]
        );
    }

    #[test]
    fn rows_share_strings_and_words_the_most_used_first() {
        let rows: Vec<Arc<str>> = [
            "\"entry-1/index.html\"\n\"One\",\"S\"\n\"goals/\"\n\"Goal\"\n\"1 May 2025\"\n\"x\"",
            "\"entry-2/index.html\"\n\"Two\",\"T\"\n\"wins/\"\n\"Win\"\n\"1 May 2025\"",
        ]
        .map(Arc::from)
        .to_vec();
        let words = ["ledger cutover", "ledger"];
        let index = String::from_utf8(index_json(&rows, &words, b"")).unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(&index).unwrap_or_default();
        assert_eq!(value["suffix"], "index.html");
        assert_eq!(value["strings"][0], "1 May 2025");
        assert_eq!(value["words"], serde_json::json!(["ledger", "cutover"]));
        assert_eq!(value["rows"][0][0], "entry-1/");
        assert_eq!(value["rows"][0][1], "One");
        assert_eq!(value["rows"][0][2], "S");
        let strings = |n: usize| -> Vec<String> {
            decode(value["rows"][n][3].as_str().unwrap_or_default())
                .into_iter()
                .map(|i| {
                    value["strings"][i as usize]
                        .as_str()
                        .unwrap_or_default()
                        .to_string()
                })
                .collect()
        };
        assert_eq!(strings(0), ["goals/", "Goal", "1 May 2025", "x"]);
        assert_eq!(strings(1), ["wins/", "Win", "1 May 2025"]);
        assert_eq!(
            decode(value["rows"][0][4].as_str().unwrap_or_default()),
            [0, 1]
        );
        assert_eq!(
            decode(value["rows"][1][4].as_str().unwrap_or_default()),
            [0]
        );
    }
}
