//! A generated playbook for benchmarks: `n` entries of all seven kinds over six years, 150–900
//! words each with headings, lists, tables, emphasis and links, tags and people from pools,
//! related entries and achievements that name goals. Deterministic for a given `n`. The same
//! folder can be made a Hugo site too (`write_hugo_site`), to build the same corpus with both.
//!
//! A `Shape` changes the proportions (body length, the tag and people pools, tags per entry,
//! years of dates), so that the lists come out few and long or many and short:
//! `Shape::STANDARD` is the corpus above, `Shape::SHORT` and `Shape::LONG` are the two ends, and
//! `Shape::WIDE` is the standard one written with a vocabulary as large as a person's.

use std::fmt::Write as _;
use std::path::Path;

/// A small, fast, deterministic generator (xorshift); good enough to vary text. It also
/// draws the words: from the 60 of `WORDS`, or (with a `vocabulary` of N) from N made-up words
/// as natural text draws them, the k-th most common about 1/k as often.
struct Random(u64, usize);

impl Random {
    fn word(&mut self) -> std::borrow::Cow<'static, str> {
        if self.1 == 0 {
            return self.pick(WORDS).into();
        }
        // Zipf's law by its inverse: rank = (N + 1)^u - 1 for u uniform in [0, 1).
        let uniform = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        let rank = ((self.1 as f64 + 1.0).powf(uniform) as usize).saturating_sub(1);
        made_up_word(rank).into()
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "the",
    "ledger",
    "migration",
    "team",
    "review",
    "plan",
    "risk",
    "customer",
    "payment",
    "roadmap",
    "quarter",
    "incident",
    "on-call",
    "design",
    "feedback",
    "manager",
    "goal",
    "metric",
    "latency",
    "budget",
    "hiring",
    "mentor",
    "we",
    "agreed",
    "that",
    "next",
    "week",
    "I",
    "should",
    "ask",
    "Dana",
    "about",
    "priorities",
    "and",
    "write",
    "it",
    "down",
    "before",
    "the",
    "meeting",
    "because",
    "context",
    "matters",
    "more",
    "than",
    "speed",
    "when",
    "stakes",
    "are",
    "high",
    "so",
    "a",
    "clear",
    "update",
    "helps",
    "everyone",
    "decide",
    "what",
    "to",
    "drop",
];

/// The word of a rank: its digits in base 100 as syllables of a consonant and a vowel, so
/// that different ranks give different words.
fn made_up_word(mut rank: usize) -> String {
    const CONSONANTS: &[u8] = b"bcdfghjklmnprstvwxyz";
    const VOWELS: &[u8] = b"aeiou";
    let mut word = String::new();
    loop {
        let syllable = rank % 100;
        word.push(CONSONANTS[syllable / 5] as char);
        word.push(VOWELS[syllable % 5] as char);
        rank /= 100;
        if rank == 0 {
            return word;
        }
    }
}

const KINDS: &[&str] = &[
    "goals",
    "advice",
    "feedback",
    "loyalty",
    "achievements",
    "contributions",
    "conversations",
];

fn sentence(random: &mut Random, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        let word = random.word();
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                text.extend(first.to_uppercase());
                text.push_str(chars.as_str());
            }
        } else {
            text.push(' ');
            if random.below(17) == 0 {
                let _ = write!(text, "**{word}**");
            } else {
                text.push_str(&word);
            }
        }
    }
    text.push('.');
    text
}

/// How many items a pool has for `n` entries: one per `entries_per_item` entries, at least `min`.
#[derive(Clone, Copy, Debug)]
pub struct Pool {
    pub entries_per_item: usize,
    pub min: usize,
}

impl Pool {
    /// A pool of `size` items whatever the number of entries.
    pub const fn fixed(size: usize) -> Pool {
        Pool {
            entries_per_item: usize::MAX,
            min: size,
        }
    }

    pub fn size(self, n: usize) -> usize {
        (n / self.entries_per_item).max(self.min).max(1)
    }
}

/// The proportions of a generated corpus: what decides how long the bodies are and how many
/// tag, person, month and year pages there are and how long each is. Ranges are inclusive.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub name: &'static str,
    /// Words in an entry's body (the last paragraph may run over by up to `paragraph_words.1`).
    pub body_words: (usize, usize),
    /// Words in one paragraph of the body.
    pub paragraph_words: (usize, usize),
    pub tags: Pool,
    pub tags_per_entry: (usize, usize),
    pub people: Pool,
    pub people_per_entry: (usize, usize),
    /// Whether an entry's tags (and people) are distinct; the standard corpus draws them
    /// independently, so two may be the same.
    pub distinct: bool,
    /// Dates are spread over `years` years from `first_year`: all before the bench's today
    /// (2026-01-01), since Hugo leaves out future pages.
    pub first_year: usize,
    pub years: usize,
    /// How many distinct words the bodies draw from: 0 for the 60 of `WORDS`.
    pub vocabulary: usize,
}

impl Shape {
    /// The benchmark's own corpus (the README's figures): 150–900 words, a tag for every 50
    /// entries (at least 30) and two per entry, a person for every 100 (at least 20) and one
    /// per entry, six years.
    pub const STANDARD: Shape = Shape {
        name: "standard",
        body_words: (150, 900),
        paragraph_words: (40, 79),
        tags: Pool {
            entries_per_item: 50,
            min: 30,
        },
        tags_per_entry: (2, 2),
        people: Pool {
            entries_per_item: 100,
            min: 20,
        },
        people_per_entry: (1, 1),
        distinct: false,
        first_year: 2020,
        years: 6,
        vocabulary: 0,
    };

    /// Many small lists: short bodies (20–80 words), a large tag pool (one tag for every 5
    /// entries: 2,000 at 10,000) with 1–2 tags per entry, many people (one for every 10) with
    /// 1–2 per entry, ten years (2016–2025): many tag and person pages of a few entries each.
    pub const SHORT: Shape = Shape {
        name: "short",
        body_words: (20, 80),
        paragraph_words: (10, 29),
        tags: Pool {
            entries_per_item: 5,
            min: 30,
        },
        tags_per_entry: (1, 2),
        people: Pool {
            entries_per_item: 10,
            min: 20,
        },
        people_per_entry: (1, 2),
        distinct: true,
        first_year: 2016,
        years: 10,
        vocabulary: 0,
    };

    /// Few huge lists: long bodies (800–2,500 words), 12 tags with 3–5 per entry, 6 people
    /// with 1–3 per entry, three years (2023–2025): every tag page lists a third of the entries or more.
    pub const LONG: Shape = Shape {
        name: "long",
        body_words: (800, 2_500),
        paragraph_words: (40, 79),
        tags: Pool::fixed(12),
        tags_per_entry: (3, 5),
        people: Pool::fixed(6),
        people_per_entry: (1, 3),
        distinct: true,
        first_year: 2023,
        years: 3,
        vocabulary: 0,
    };

    /// The standard corpus in a person's vocabulary: its bodies draw from 50,000 made-up
    /// words, the common ones often, as text does, so that each entry has some 60% distinct
    /// words and the search index is several times the standard one's.
    pub const WIDE: Shape = Shape {
        name: "wide",
        vocabulary: 50_000,
        ..Shape::STANDARD
    };

    pub const ALL: [Shape; 4] = [Shape::STANDARD, Shape::SHORT, Shape::LONG, Shape::WIDE];

    pub fn named(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|shape| shape.name == name)
    }

    /// One line that says what the shape is, for a table's caption.
    pub fn describe(&self, n: usize) -> String {
        format!(
            "{}: bodies {}–{} words{}, {} tags ({}–{} per entry), {} people ({}–{} per entry), {} years from {}",
            self.name,
            self.body_words.0,
            self.body_words.1,
            match self.vocabulary {
                0 => String::new(),
                n => format!(" of {n} distinct"),
            },
            self.tags.size(n),
            self.tags_per_entry.0,
            self.tags_per_entry.1,
            self.people.size(n),
            self.people_per_entry.0,
            self.people_per_entry.1,
            self.years,
            self.first_year
        )
    }
}

/// A number in `range` (inclusive); draws nothing when the range is one number.
fn within(random: &mut Random, (min, max): (usize, usize)) -> usize {
    if max <= min {
        min
    } else {
        min + random.below(max - min + 1)
    }
}

/// `count` items of `pool`, as a YAML flow list; distinct when `distinct` (and the pool is
/// large enough).
fn pick_from(random: &mut Random, pool: &[String], count: usize, distinct: bool) -> String {
    let mut chosen: Vec<usize> = Vec::with_capacity(count);
    while chosen.len() < count {
        let item = random.below(pool.len());
        if !distinct || chosen.len() >= pool.len() || !chosen.contains(&item) {
            chosen.push(item);
        }
    }
    chosen
        .iter()
        .map(|&i| pool[i].as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn body(random: &mut Random, words: usize, paragraph: (usize, usize)) -> String {
    let mut text = String::new();
    let mut written = 0;
    let mut section = 0;
    while written < words {
        match random.below(8) {
            0 if section < 3 => {
                section += 1;
                let _ = writeln!(text, "## {}\n", sentence(random, 3).trim_end_matches('.'));
            }
            1 => {
                for _ in 0..3 {
                    let _ = writeln!(text, "- {}", sentence(random, 8));
                }
                text.push('\n');
                written += 24;
            }
            2 => {
                text.push_str("| Measure | Before | After |\n|---|---|---|\n");
                for _ in 0..3 {
                    let _ = writeln!(
                        text,
                        "| {} | {} | {} |",
                        random.word(),
                        random.below(100),
                        random.below(100)
                    );
                }
                text.push('\n');
                written += 12;
            }
            _ => {
                let n = within(random, paragraph);
                let _ = writeln!(
                    text,
                    "{} {}\n",
                    sentence(random, n / 2),
                    sentence(random, n / 2)
                );
                written += n;
            }
        }
    }
    text
}

/// Writes a playbook of `n` entries of the standard shape into `root` (which should be empty).
#[allow(dead_code)] // the bench and the example generate shaped corpora
pub fn generate(root: &Path, n: usize) -> std::io::Result<()> {
    generate_shaped(root, n, &Shape::STANDARD)
}

/// Writes a playbook of `n` entries of `shape` into `root` (which should be empty).
pub fn generate_shaped(root: &Path, n: usize, shape: &Shape) -> std::io::Result<()> {
    let mut random = Random(0x9E37_79B9_7F4A_7C15 ^ n as u64, shape.vocabulary);
    let people: Vec<String> = (0..shape.people.size(n))
        .map(|i| format!("person-{i}"))
        .collect();
    let tags: Vec<String> = (0..shape.tags.size(n))
        .map(|i| format!("topic-{i}"))
        .collect();
    let mut config =
        String::from("title: Benchmark playbook\nowner: Bench Mark\nboss: person-0\npeople:\n");
    for (i, id) in people.iter().enumerate() {
        let _ = writeln!(config, "  {id}: {{ name: Person {i}, role: Colleague }}");
    }
    std::fs::write(root.join("playbook.yaml"), config)?;
    for kind in KINDS {
        std::fs::create_dir_all(root.join("content").join(kind))?;
    }
    let goals: Vec<usize> = (0..n).filter(|i| i % KINDS.len() == 0).collect();
    for i in 0..n {
        let kind = KINDS[i % KINDS.len()];
        let (year, month, day) = (
            shape.first_year + random.below(shape.years),
            1 + random.below(12),
            1 + random.below(28),
        );
        let mut front = format!(
            "---\ntitle: {} {i}\ndate: {year}-{month:02}-{day:02}\n",
            sentence(&mut random, 4).trim_end_matches('.')
        );
        let count = within(&mut random, shape.tags_per_entry);
        let _ = writeln!(
            front,
            "tags: [{}]",
            pick_from(&mut random, &tags, count, shape.distinct)
        );
        let count = within(&mut random, shape.people_per_entry);
        let _ = writeln!(
            front,
            "people: [{}]",
            pick_from(&mut random, &people, count, shape.distinct)
        );
        if i > 10 && random.below(3) == 0 {
            let target = random.below(i);
            let _ = writeln!(
                front,
                "related: [{}/entry-{target}]",
                KINDS[target % KINDS.len()]
            );
        }
        let boss = &people[0];
        match kind {
            "goals" => {
                let _ = writeln!(
                    front,
                    "owner: boss\nprogress: {}\nstatus: active\ndue: {}-12-01",
                    random.below(101),
                    year + 1
                );
            }
            "advice" => {
                let _ = writeln!(
                    front,
                    "from: {boss}\nasked: true\napplied: {}",
                    random.below(2) == 0
                );
            }
            "feedback" => {
                let _ = writeln!(
                    front,
                    "from: {boss}\ntone: mixed\nactions:\n  - {{ task: Share more, done: true }}\n  - {{ task: Write it down, done: false }}"
                );
            }
            "loyalty" => {
                let _ = writeln!(front, "with: {boss}\nreciprocated: false");
            }
            "achievements" => {
                let goal = goals[random.below(goals.len())];
                let _ = writeln!(
                    front,
                    "impact: Faster payments\nmetrics:\n  - {{ name: Latency, before: 90 ms, after: 40 ms }}\ngoal: goals/entry-{goal}"
                );
            }
            "contributions" => {
                let _ = writeln!(front, "type: idea\nstatus: done\nskills: [writing]");
            }
            _ => {
                let _ = writeln!(
                    front,
                    "with: {boss}\ntopics: [priorities]\ndecisions: [Ship it]"
                );
            }
        }
        front.push_str("---\n");
        let words = within(&mut random, shape.body_words);
        let mut text = format!("{front}{}", body(&mut random, words, shape.paragraph_words));
        if i > 0 && random.below(2) == 0 {
            let target = random.below(i);
            let _ = writeln!(
                text,
                "See also [entry {target}](../../{}/entry-{target}/index.html) and [the notes](https://example.com/notes/{i}).",
                KINDS[target % KINDS.len()]
            );
        }
        std::fs::write(
            root.join("content")
                .join(kind)
                .join(format!("entry-{i}.md")),
            text,
        )?;
    }
    Ok(())
}

/// Makes the playbook at `root` a Hugo site as well: a configuration and minimal templates that
/// render the pages both generators make (entries, kind lists, tags, people, home) from the
/// same `content/`, so `hugo` builds the same corpus.
pub fn write_hugo_site(root: &Path) -> std::io::Result<()> {
    let layouts = root.join("layouts");
    std::fs::create_dir_all(layouts.join("_default"))?;
    std::fs::write(root.join("hugo.yaml"), HUGO_CONFIG)?;
    for (name, text) in HUGO_LAYOUTS {
        std::fs::write(layouts.join(name), text)?;
    }
    Ok(())
}

const HUGO_CONFIG: &str = "baseURL: /
title: Benchmark playbook
disableKinds: [RSS, sitemap, robotsTXT, 404]
taxonomies:
  tag: tags
  person: people
relativeURLs: true
";

const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title><link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}<a href="{{ "tags/" | relURL }}">Tags</a> <a href="{{ "people/" | relURL }}">People</a></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"#,
    ),
    (
        "_default/single.html",
        r#"{{ define "main" }}<article><h1>{{ .Title }}</h1><p><time>{{ .Date.Format "2 January 2006" }}</time></p>
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a></li>{{ end }}</ul>
<ul>{{ range .GetTerms "people" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}</article>{{ end }}
"#,
    ),
    (
        "_default/list.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time><p>{{ .Summary }}</p></li>{{ end }}</ol>{{ end }}
"#,
    ),
    (
        "_default/terms.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"#,
    ),
    (
        "index.html",
        r#"{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ len .Pages }}</li>{{ end }}</ul><ol>{{ range first 20 .Site.RegularPages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>{{ end }}
"#,
    ),
];
