//! Arbitrary bytes as an entry, as front matter, and as playbook.yaml: the parser reports
//! problems, it never panics.

mod common;

use std::path::Path;

use playbook::config::Config;
use playbook::content::load::parse_entry;
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
