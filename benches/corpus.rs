//! A generated playbook for benchmarks: `n` entries of all seven kinds over six years, 150–900
//! words each with headings, lists, tables, emphasis and links, tags and people from pools,
//! related entries and achievements that name goals. Deterministic for a given `n`. The same
//! folder can be made a Hugo site too (`write_hugo_site`), to build the same corpus with both.

use std::fmt::Write as _;
use std::path::Path;

/// A small, fast, deterministic generator (xorshift); good enough to vary text.
struct Random(u64);

impl Random {
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
        let word = random.pick(WORDS);
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
                text.push_str(word);
            }
        }
    }
    text.push('.');
    text
}

fn body(random: &mut Random, words: usize) -> String {
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
                        random.pick(WORDS),
                        random.below(100),
                        random.below(100)
                    );
                }
                text.push('\n');
                written += 12;
            }
            _ => {
                let n = 40 + random.below(40);
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

/// Writes a playbook of `n` entries into `root` (which should be empty).
pub fn generate(root: &Path, n: usize) -> std::io::Result<()> {
    let mut random = Random(0x9E37_79B9_7F4A_7C15 ^ n as u64);
    let people: Vec<String> = (0..(n / 100).max(20))
        .map(|i| format!("person-{i}"))
        .collect();
    let tags: Vec<String> = (0..(n / 50).max(30))
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
            2020 + random.below(6),
            1 + random.below(12),
            1 + random.below(28),
        );
        let mut front = format!(
            "---\ntitle: {} {i}\ndate: {year}-{month:02}-{day:02}\n",
            sentence(&mut random, 4).trim_end_matches('.')
        );
        let _ = writeln!(
            front,
            "tags: [{}, {}]",
            tags[random.below(tags.len())],
            tags[random.below(tags.len())]
        );
        let _ = writeln!(front, "people: [{}]", people[random.below(people.len())]);
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
        let words = 150 + random.below(751);
        let mut text = format!("{front}{}", body(&mut random, words));
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
