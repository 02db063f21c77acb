//! Arbitrary bytes as an entry, as front matter, and as playbook.yaml, and valid ones broken
//! by the mutations people and tools make: problems are reported at their place, never
//! panicked on, and `check` and `build` agree.

use crate::common;

use std::path::Path;

use playbook::config::Config;
use playbook::content::parse::parse_entry;
use proptest::prelude::*;

fn parse_bytes(bytes: &[u8]) {
    let config = Config::default();
    let text = String::from_utf8_lossy(bytes);
    for kind in 0..config.schema.kinds.len() {
        let (entry, diagnostics) =
            parse_entry(&config, kind, Path::new("content/x/fuzz.md"), &text);
        assert!(
            entry.is_some() || !diagnostics.is_empty(),
            "a rejected entry says why"
        );
        for diagnostic in diagnostics {
            assert!(
                diagnostic.line.is_some(),
                "every entry diagnostic has a line: {diagnostic}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        parse_bytes(&bytes);
    }

    #[test]
    fn arbitrary_front_matter_never_panics(yaml in "[a-z_:{}\\[\\],&*!|>\"' \\n\\t#0-9.-]{0,300}") {
        parse_bytes(format!("---\n{yaml}\n---\nbody\n").as_bytes());
    }

    #[test]
    fn plausible_front_matter_never_panics(
        key in prop::sample::select(vec!["title", "date", "tags", "from", "actions", "progress", "related", "slug", "with", "metrics", "due", "x"]),
        value in prop::sample::select(vec!["", "x", "[a, b]", "{task: a}", "- a\n  - b", "2026-02-30", "120", "-1", "true", "~", "&a [*a]", "[{done: 2}]", "\"\\u0000\"", "../../", "'"]),
    ) {
        parse_bytes(format!("---\ntitle: t\ndate: 2026-01-01\n{key}: {value}\n---\n").as_bytes());
    }

    #[test]
    fn arbitrary_config_never_panics(yaml in "[a-z_:{}\\[\\],&*!|>\"' \\n0-9.-]{0,200}") {
        let _ = Config::parse(&yaml);
    }
}

mod through_the_binary {
    //! The same, through the real reading path: bytes on disk, non-UTF-8 included.
    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes_on_disk_are_reported_not_panicked_on(
            bytes in proptest::collection::vec(any::<u8>(), 0..400),
            front in prop::bool::ANY,
        ) {
            let playbook = common::Playbook::fixture("basic");
            let mut file = if front { b"---\n".to_vec() } else { Vec::new() };
            file.extend_from_slice(&bytes);
            playbook.write("content/advice/fuzz.md", &file);
            let run = playbook.run(&["check"]);
            prop_assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
            prop_assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
            if run.code == 1 {
                prop_assert!(run.stderr.contains("error: content/advice/fuzz.md:"), "{}", run.stderr);
            }
        }
    }
}

mod mutated {
    //! A valid entry and a valid `playbook.yaml` of the `basic` fixture, broken by one to three
    //! mutations of the kinds people and tools produce (deep nesting, huge sizes, long names,
    //! tabs, byte-order marks, invalid UTF-8, NUL bytes, aliases), through the binary: no panic,
    //! exit 0 or 1, every error at `path:line:col`, `check` and `build` of one mind, and a
    //! failed build loses nothing.
    use super::*;
    use common::{Playbook, snapshot};

    const ENTRY: &str = "content/advice/ask-before-estimating.md";
    const CONFIG: &str = "playbook.yaml";

    #[derive(Clone, Debug)]
    enum Mutation {
        /// `key: ` then `n` opening brackets (or `{a: `), never closed.
        Nesting {
            braces: bool,
            n: usize,
        },
        /// A line whose name becomes a file name, `n` characters long.
        LongName {
            key: &'static str,
            n: usize,
        },
        /// A tab in place of a line's first character or indentation.
        Tab,
        /// A byte-order mark, at the start or inside.
        Bom,
        /// One byte that is never UTF-8.
        InvalidUtf8,
        Nul,
        /// An anchor and `n` aliases to it.
        Aliases {
            n: usize,
        },
        /// Padding to `bytes`, past the caps of entries and configurations.
        Huge {
            bytes: usize,
        },
        /// Text holding `: ` in a flow list.
        ColonInList,
        Truncate,
        DuplicateLine,
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (
                any::<bool>(),
                prop::sample::select(vec![3usize, 63, 64, 65, 5_000, 40_000])
            )
                .prop_map(|(braces, n)| Mutation::Nesting { braces, n }),
            (
                prop::sample::select(vec!["tags", "slug", "from", "people", "folder"]),
                prop::sample::select(vec![100usize, 120, 121, 256, 300, 2_000]),
            )
                .prop_map(|(key, n)| Mutation::LongName { key, n }),
            Just(Mutation::Tab),
            Just(Mutation::Bom),
            Just(Mutation::InvalidUtf8),
            Just(Mutation::Nul),
            prop::sample::select(vec![3usize, 64, 65, 500]).prop_map(|n| Mutation::Aliases { n }),
            prop::sample::select(vec![900 * 1024, 1100 * 1024, 9 * 1024 * 1024])
                .prop_map(|bytes| Mutation::Huge { bytes }),
            Just(Mutation::ColonInList),
            Just(Mutation::Truncate),
            Just(Mutation::DuplicateLine),
        ]
    }

    /// Byte offset of the start of line `pick` (modulo the number of lines) of `text`.
    fn line_start(text: &[u8], pick: usize) -> usize {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(
                text.iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i + 1)
                    .filter(|&i| i < text.len()),
            )
            .collect();
        starts[pick % starts.len()]
    }

    fn apply(text: &mut Vec<u8>, mutation: &Mutation, pick: usize) {
        let at = line_start(text, pick);
        let insert = |text: &mut Vec<u8>, line: String| {
            text.splice(at..at, line.into_bytes());
        };
        match mutation {
            Mutation::Nesting { braces, n } => {
                let open = if *braces { "{a: " } else { "[" };
                insert(text, format!("deep: {}\n", open.repeat(*n)));
            }
            Mutation::LongName { key, n } => {
                let name = "n".repeat(*n);
                let line = match *key {
                    "tags" => format!("tags: [{name}]\n"),
                    "people" => format!("people:\n  {name}: {{ name: N }}\n"),
                    "folder" => format!(
                        "kinds:\n  notes:\n    folder: {name}\n    practice: keep-a-record\n"
                    ),
                    key => format!("{key}: {name}\n"),
                };
                insert(text, line);
            }
            Mutation::Tab => {
                let end = text[at..]
                    .iter()
                    .position(|b| *b != b' ')
                    .map_or(text.len(), |p| at + p);
                text.splice(at..end.max(at + 1).min(text.len()), *b"\t");
            }
            Mutation::Bom => text.splice(at..at, *b"\xef\xbb\xbf").for_each(drop),
            Mutation::InvalidUtf8 => text.insert(at + (pick % 7).min(text.len() - at), 0xff),
            Mutation::Nul => text.insert(at, 0),
            Mutation::Aliases { n } => insert(
                text,
                format!("anchor: &a [x, y]\nuses: [{}]\n", vec!["*a"; *n].join(", ")),
            ),
            Mutation::Huge { bytes } => {
                text.extend_from_slice(b"\n# ");
                text.resize(*bytes, b'x');
            }
            Mutation::ColonInList => {
                insert(text, "topics: [Promotion to senior: the plan]\n".into())
            }
            Mutation::Truncate => text.truncate(at),
            Mutation::DuplicateLine => {
                let end = text[at..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(text.len(), |p| at + p + 1);
                let line = text[at..end].to_vec();
                text.splice(at..at, line);
            }
        }
    }

    /// The `error:` lines of a run, each checked to start with `path:line:col: `.
    fn located_errors(stderr: &str) -> Result<Vec<String>, String> {
        let mut errors = Vec::new();
        for line in stderr.lines().filter(|l| l.starts_with("error: ")) {
            let located = line["error: ".len()..]
                .split_once(": ")
                .and_then(|(place, _)| {
                    let mut parts = place.rsplitn(3, ':');
                    let column: usize = parts.next()?.parse().ok()?;
                    let line: usize = parts.next()?.parse().ok()?;
                    let path = parts.next()?;
                    (!path.is_empty() && line > 0 && column > 0).then_some(())
                });
            if located.is_none() {
                return Err(format!("not at path:line:col: {line}"));
            }
            errors.push(line.to_string());
        }
        errors.sort();
        Ok(errors)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn mutated_entries_and_configs_are_reported_alike_by_check_and_build(
            in_config in any::<bool>(),
            mutations in proptest::collection::vec((mutation(), any::<usize>()), 1..=3),
        ) {
            let playbook = Playbook::fixture("basic");
            playbook.build(&[]);
            let before = snapshot(&playbook.path().join("public"));
            let file = if in_config { CONFIG } else { ENTRY };
            let mut text = std::fs::read(playbook.path().join(file)).unwrap();
            for (mutation, pick) in &mutations {
                apply(&mut text, mutation, *pick);
            }
            playbook.write(file, &text);

            let check = playbook.run(&["check"]);
            let build = playbook.run(&["build"]);
            for run in [&check, &build] {
                prop_assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
                prop_assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
            }
            let check_errors = located_errors(&check.stderr).map_err(TestCaseError::fail)?;
            let build_errors = located_errors(&build.stderr).map_err(TestCaseError::fail)?;
            prop_assert_eq!(check.code, build.code, "check:\n{}\nbuild:\n{}", check.stderr, build.stderr);
            prop_assert_eq!(check_errors, build_errors);
            if build.code == 1 {
                prop_assert!(snapshot(&playbook.path().join("public")) == before, "a failed build changed the output");
            }
        }
    }
}
