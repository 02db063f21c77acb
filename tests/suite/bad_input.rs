//! Every kind of bad input a hand-written playbook can hold: each is reported as
//! `error: path:line:col: message`, exits with status 1, never panics, and leaves the previous
//! output exactly as it was.

use crate::common;

use common::{Playbook, snapshot};

/// One bad input: files written over the `basic` fixture (or a setup step), and what the
/// report must say.
struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    setup: Option<fn(&Playbook)>,
    /// Expected start of the diagnostic: `path:line` (or just `path` for folders, which have
    /// no lines).
    at: &'static str,
    message: &'static str,
}

fn case(
    name: &'static str,
    file: &'static str,
    text: &str,
    at: &'static str,
    message: &'static str,
) -> Case {
    Case {
        name,
        files: vec![(file, text.as_bytes().to_vec())],
        setup: None,
        at,
        message,
    }
}

const ADVICE: &str = "content/advice/bad.md";
const GOAL: &str = "content/goals/bad.md";
const FEEDBACK: &str = "content/feedback/bad.md";

fn cases() -> Vec<Case> {
    let mut bomb = String::from(
        "---\ntitle: x\ndate: 2026-01-01\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    bomb.push_str("---\nbody\n");
    let wide_aliases = format!(
        "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\na: &a [{}]\nb: [{}]\n---\n",
        vec!["x"; 1000].join(","),
        vec!["*a"; 19_000].join(",")
    );
    let deep = format!(
        "---\ntitle: x\ndate: 2026-01-01\ntags: {}{}\n---\n",
        "[".repeat(300),
        "]".repeat(300)
    );
    let huge_front_matter = format!(
        "---\ntitle: x\ndate: 2026-01-01\nsummary: \"{}\"\n---\n",
        "x".repeat(70_000)
    );

    vec![
        case(
            "unclosed flow list",
            ADVICE,
            "---\ntitle: [unclosed\ndate: 2026-01-01\nfrom: dana\n---\n",
            "content/advice/bad.md:2:8",
            "did not find expected ',' or ']'",
        ),
        case(
            "mapping value in a scalar",
            ADVICE,
            "---\ntitle: a: b\ndate: 2026-01-01\nfrom: dana\n---\n",
            "content/advice/bad.md:2:9",
            "mapping values are not allowed in this context: text that holds `: ` must be in quotes",
        ),
        case(
            "unclosed quote",
            ADVICE,
            "---\ntitle: \"open\ndate: 2026-01-01\n---\n",
            "content/advice/bad.md:2:8",
            "found unexpected end of stream (noticed on line 4) while parsing a quoted scalar",
        ),
        case(
            "tab indentation",
            ADVICE,
            "---\ntitle: x\n\tdate: 2026-01-01\n---\n",
            "content/advice/bad.md:3:1",
            "a tab indents this line: YAML indents with spaces only",
        ),
        case(
            "duplicate key",
            ADVICE,
            "---\ntitle: a\ndate: 2026-01-01\nfrom: dana\ntitle: b\n---\n",
            "content/advice/bad.md:5:1",
            "duplicate entry with key \"title\"",
        ),
        case(
            "no front matter",
            ADVICE,
            "Just some notes.\n",
            "content/advice/bad.md:1:1",
            "no front matter",
        ),
        case(
            "empty front matter",
            ADVICE,
            "---\n---\nBody.\n",
            "content/advice/bad.md:1:1",
            "front matter is empty",
        ),
        case(
            "unterminated front matter",
            ADVICE,
            "---\ntitle: x\ndate: 2026-01-01\n",
            "content/advice/bad.md:1:1",
            "front matter is not closed",
        ),
        case(
            "front matter is a list",
            ADVICE,
            "---\n- a\n- b\n---\n",
            "content/advice/bad.md:2:1",
            "front matter must be `key: value` lines",
        ),
        case(
            "front matter is a sentence",
            ADVICE,
            "---\njust a sentence\n---\n",
            "content/advice/bad.md:2:1",
            "front matter must be `key: value` lines",
        ),
        case(
            "empty file",
            ADVICE,
            "",
            "content/advice/bad.md:1:1",
            "the file is empty",
        ),
        case(
            "missing title",
            ADVICE,
            "---\ndate: 2026-01-01\nfrom: dana\n---\n",
            "content/advice/bad.md:2:1",
            "missing required field `title`",
        ),
        case(
            "missing date",
            ADVICE,
            "---\ntitle: x\nfrom: dana\n---\n",
            "content/advice/bad.md:2:1",
            "missing required field `date`",
        ),
        case(
            "missing kind field",
            ADVICE,
            "---\ntitle: x\ndate: 2026-01-01\n---\n",
            "content/advice/bad.md:2:1",
            "missing required field `from` (a person id)",
        ),
        case(
            "empty title",
            ADVICE,
            "---\ntitle: \"  \"\ndate: 2026-01-01\nfrom: dana\n---\n",
            "content/advice/bad.md:2:8",
            "`title` is empty",
        ),
        case(
            "title is a list",
            ADVICE,
            "---\ntitle: [a, b]\ndate: 2026-01-01\nfrom: dana\n---\n",
            "content/advice/bad.md:2:8",
            "`title`: expected text, found a list",
        ),
        case(
            "boolean written as text",
            ADVICE,
            "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\napplied: sort of\n---\n",
            "content/advice/bad.md:5:10",
            "`applied`: expected true or false, found the text `sort of`",
        ),
        case(
            "tags as a mapping",
            ADVICE,
            "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\ntags: {a: 1}\n---\n",
            "content/advice/bad.md:5:7",
            "`tags`: expected a tag, found a mapping",
        ),
        case(
            "impossible date",
            ADVICE,
            "---\ntitle: x\ndate: 2026-02-30\nfrom: dana\n---\n",
            "content/advice/bad.md:3:7",
            "`2026-02-30` is not a valid date",
        ),
        case(
            "unparseable date",
            ADVICE,
            "---\ntitle: x\ndate: next tuesday\nfrom: dana\n---\n",
            "content/advice/bad.md:3:7",
            "`next tuesday` is not a valid date",
        ),
        case(
            "date as a number",
            ADVICE,
            "---\ntitle: x\ndate: 2026\nfrom: dana\n---\n",
            "content/advice/bad.md:3:7",
            "`date`: expected a date (YYYY-MM-DD), found the number 2026",
        ),
        case(
            "value outside an enum",
            FEEDBACK,
            "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\ntone: angry\n---\n",
            "content/feedback/bad.md:5:7",
            "`angry` is not allowed; expected one of: praise, constructive, mixed",
        ),
        case(
            "value outside a range",
            GOAL,
            "---\ntitle: x\ndate: 2026-01-01\nprogress: 150\n---\n",
            "content/goals/bad.md:4:11",
            "`progress`: 150 is out of range: expected a whole number from 0 to 100",
        ),
        case(
            "text where a number goes",
            GOAL,
            "---\ntitle: x\ndate: 2026-01-01\nprogress: half\n---\n",
            "content/goals/bad.md:4:11",
            "expected a whole number from 0 to 100, found the text `half`",
        ),
        case(
            "record without its required field",
            FEEDBACK,
            "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\nactions:\n  - task: a\n  - done: true\n---\n",
            "content/feedback/bad.md:7:5",
            "missing required field `task`",
        ),
        case(
            "unknown practice",
            ADVICE,
            "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\npractices: [communicate, be-nice]\n---\n",
            "content/advice/bad.md:5:26",
            "`be-nice` is not allowed",
        ),
        case(
            "related entry that does not exist",
            ADVICE,
            "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\nrelated: [goals/ship-the-ledgr]\n---\n",
            "content/advice/bad.md:5:11",
            "`related: goals/ship-the-ledgr` does not name an entry of this playbook; did you mean `goals/ship-the-ledger`?",
        ),
        case(
            "goal that is not a goal",
            "content/achievements/bad.md",
            "---\ntitle: x\ndate: 2026-01-01\ngoal: advice/ask-before-estimating\n---\n",
            "content/achievements/bad.md:4:7",
            "does not name an entry of goals/",
        ),
        case(
            "hostile slug with dots",
            ADVICE,
            "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\nslug: ../../etc\n---\n",
            "content/advice/bad.md:5:7",
            "`slug: ../../etc` may hold only a-z, 0-9",
        ),
        case(
            "slug with a slash",
            ADVICE,
            "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\nslug: a/b\n---\n",
            "content/advice/bad.md:5:7",
            "may hold only a-z, 0-9",
        ),
        case(
            "absolute slug",
            ADVICE,
            "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\nslug: /etc/passwd\n---\n",
            "content/advice/bad.md:5:7",
            "may hold only a-z, 0-9",
        ),
        case(
            "file name without letters",
            "content/advice/---.md",
            "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\n---\n",
            "content/advice/---.md:2:1",
            "empty slug",
        ),
        case(
            "alias bomb",
            ADVICE,
            &bomb,
            "content/advice/bad.md:5:1",
            "too many aliases",
        ),
        case(
            "one anchor aliased thousands of times",
            ADVICE,
            &wide_aliases,
            "content/advice/bad.md:6:1",
            "too many aliases",
        ),
        case(
            "alias bomb in playbook.yaml",
            "playbook.yaml",
            &format!("title: T\n{}", &bomb[4..bomb.find("---\nbody").unwrap()]),
            "playbook.yaml:5:1",
            "too many aliases",
        ),
        case(
            "pathological nesting",
            ADVICE,
            &deep,
            "content/advice/bad.md:4:70",
            "nested more than 64 levels deep here",
        ),
        case(
            "huge front matter",
            ADVICE,
            &huge_front_matter,
            "content/advice/bad.md:2:1",
            "front matter is larger than 64 KiB",
        ),
        Case {
            name: "duplicate slug",
            files: vec![(
                "content/goals/other.md",
                b"---\ntitle: x\ndate: 2026-01-01\nslug: ship-the-ledger\n---\n".to_vec(),
            )],
            setup: None,
            at: "content/goals/ship-the-ledger.md:1:1",
            message: "duplicate slug `goals/ship-the-ledger`: content/goals/other.md has it too",
        },
        Case {
            name: "non-UTF-8 bytes",
            files: vec![(
                ADVICE,
                b"---\ntitle: caf\xe9\ndate: 2026-01-01\nfrom: dana\n---\n".to_vec(),
            )],
            setup: None,
            at: "content/advice/bad.md:2:11",
            message: "not valid UTF-8",
        },
        Case {
            name: "NUL byte",
            files: vec![(
                ADVICE,
                b"---\ntitle: x\0y\ndate: 2026-01-01\nfrom: dana\n---\n".to_vec(),
            )],
            setup: None,
            at: "content/advice/bad.md:2:9",
            message: "NUL byte",
        },
        Case {
            name: "huge file",
            files: vec![(ADVICE, {
                let mut text = b"---\ntitle: x\ndate: 2026-01-01\nfrom: dana\n---\n".to_vec();
                text.resize(9 * 1024 * 1024, b'a');
                text
            })],
            setup: None,
            at: "content/advice/bad.md:1:1",
            message: "file is larger than 8 MiB, the most an entry may be",
        },
        case(
            "related entry named without its folder",
            ADVICE,
            "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\nrelated: [ship-the-ledger]\n---\n",
            "content/advice/bad.md:5:11",
            "`related: ship-the-ledger` does not name an entry of this playbook; did you mean `goals/ship-the-ledger`?",
        ),
        case(
            "boss with a typo",
            "playbook.yaml",
            "title: T\nboss: dnaa\npeople:\n  dana: { name: Dana }\n",
            "playbook.yaml:2:7",
            "`boss: dnaa` is not one of the ids under `people:`; did you mean `dana`?",
        ),
        case(
            "a 256-character tag",
            ADVICE,
            &format!(
                "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\ntags: [ok, {}]\n---\n",
                "t".repeat(256)
            ),
            "content/advice/bad.md:5:12",
            "tag is too long to name a page: its address would be 256 bytes, and at most 120 fit",
        ),
        case(
            "a 300-character person id",
            ADVICE,
            &format!(
                "---\ntitle: x\ndate: 2026-01-01\nfrom: {}\n---\n",
                "p".repeat(300)
            ),
            "content/advice/bad.md:4:7",
            "person id is too long to name a page",
        ),
        case(
            "a 300-character slug",
            ADVICE,
            &format!(
                "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\nslug: {}\n---\n",
                "s".repeat(300)
            ),
            "content/advice/bad.md:5:7",
            "`slug:` is too long to name a page",
        ),
        case(
            "a file name too long for a page address",
            "content/advice/a-very-long-file-name-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.md",
            "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\n---\n",
            "content/advice/a-very-long-file-name-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.md:2:1",
            "the file name is too long to name a page",
        ),
        case(
            "a 300-character person id in playbook.yaml",
            "playbook.yaml",
            &format!("title: T\npeople:\n  {}: {{ name: P }}\n", "p".repeat(300)),
            "playbook.yaml:3:3",
            "person id is too long to name a page",
        ),
        case(
            "tab indentation in playbook.yaml",
            "playbook.yaml",
            "title: T\npeople:\n\tdana:\n\t  name: Dana\n",
            "playbook.yaml:3:1",
            "a tab indents this line: YAML indents with spaces only",
        ),
        case(
            "tab indenting a list item",
            ADVICE,
            "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\ntags:\n\t- a\n---\n",
            "content/advice/bad.md:6:1",
            "a tab indents this line",
        ),
        case(
            "a list item holding `: `",
            "content/conversations/bad.md",
            "---\ntitle: x\ndate: 2026-01-01\nwith: dana\ntopics: [Promotion to senior: the plan]\n---\n",
            "content/conversations/bad.md:5:10",
            "must be in quotes, e.g. `\"Promotion to senior: the plan\"`",
        ),
        case(
            "flow nesting in playbook.yaml, 100,000 deep",
            "playbook.yaml",
            &format!("title: T\nx: {}\n", "{a: ".repeat(100_000)),
            "playbook.yaml:2:256",
            "nested more than 64 levels deep here",
        ),
        case(
            "list nesting in a front matter, 30,000 deep",
            ADVICE,
            &format!(
                "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\ntags: {}\n---\n",
                "[".repeat(30_000)
            ),
            "content/advice/bad.md:5:70",
            "nested more than 64 levels deep here",
        ),
        case(
            "block list nesting on one line",
            ADVICE,
            &format!(
                "---\ntitle: x\ndate: 2026-01-01\nfrom: dana\ntags:\n  {}x\n---\n",
                "- ".repeat(30_000)
            ),
            "content/advice/bad.md:6:",
            "nested more than 64 levels deep here",
        ),
        Case {
            name: "playbook.yaml not UTF-8",
            files: vec![("playbook.yaml", b"title: T\nowner: Jos\xe9\n".to_vec())],
            setup: None,
            at: "playbook.yaml:2:11",
            message: "not valid UTF-8",
        },
        Case {
            name: "playbook.yaml over its cap",
            files: vec![("playbook.yaml", {
                let mut text = b"title: T\n# ".to_vec();
                text.resize(2 * 1024 * 1024, b'x');
                text
            })],
            setup: None,
            at: "playbook.yaml:1:1",
            message: "file is larger than 1 MiB, the most playbook.yaml may be",
        },
        Case {
            name: "playbook.yaml a link to an endless device",
            files: vec![],
            setup: Some(|playbook| {
                let config = playbook.path().join("playbook.yaml");
                std::fs::remove_file(&config).unwrap();
                std::os::unix::fs::symlink("/dev/zero", config).unwrap();
            }),
            at: "playbook.yaml:1:1",
            message: "not a regular file",
        },
        Case {
            name: "playbook.yaml a named pipe",
            files: vec![],
            setup: Some(|playbook| {
                std::fs::remove_file(playbook.path().join("playbook.yaml")).unwrap();
                make_fifo(&playbook.path().join("playbook.yaml"));
            }),
            at: "playbook.yaml:1:1",
            message: "not a regular file",
        },
        Case {
            name: "an entry that is a named pipe",
            files: vec![],
            setup: Some(|playbook| make_fifo(&playbook.path().join(ADVICE))),
            at: "content/advice/bad.md:1:1",
            message: "not a regular file",
        },
        case(
            "unknown kind folder",
            "content/meetings/standup.md",
            "---\ntitle: x\ndate: 2026-01-01\n---\n",
            "content/meetings",
            "unknown kind folder `meetings`",
        ),
        case(
            "kind folder with a typo",
            "content/goal/x.md",
            "---\ntitle: x\ndate: 2026-01-01\n---\n",
            "content/goal",
            "did you mean `goals`?",
        ),
        Case {
            name: "symbolic link loop",
            files: vec![],
            setup: Some(|playbook| {
                #[cfg(unix)]
                std::os::unix::fs::symlink("..", playbook.path().join("content/goals/loop"))
                    .unwrap();
            }),
            at: "content/goals/loop",
            message: "symbolic link loop",
        },
        case(
            "malformed playbook.yaml",
            "playbook.yaml",
            "title: [x\npeople: {}\n",
            "playbook.yaml:1:8",
            "did not find expected ',' or ']'",
        ),
        case(
            "wrongly typed playbook.yaml",
            "playbook.yaml",
            "title: T\nstale_after_days: soon\n",
            "playbook.yaml:2:19",
            "stale_after_days: invalid type: string \"soon\"",
        ),
        case(
            "unknown key in playbook.yaml",
            "playbook.yaml",
            "title: T\ntheme_name: x\n",
            "playbook.yaml:2:1",
            "unknown field `theme_name`",
        ),
        case(
            "boss who is not among the people",
            "playbook.yaml",
            "boss: bob\npeople:\n  dana: { name: Dana }\n",
            "playbook.yaml:1:7",
            "`boss: bob` is not one of the ids",
        ),
        case(
            "template syntax error",
            "themes/default/templates/list.html",
            "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ listing.title }</h1>\n{% endblock main %}\n",
            "themes/default/templates/list.html:3:22",
            "expected }}",
        ),
        case(
            "template runtime error",
            "themes/default/templates/list.html",
            "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ listing.nope.deeper }}</h1>\n{% endblock main %}\n",
            "themes/default/templates/list.html:3:16",
            "Field `nope` is not defined",
        ),
        case(
            "template extending a missing parent",
            "themes/default/templates/tags.html",
            "{% extends \"nowhere.html\" %}\n",
            "themes/default/templates/tags.html",
            "nowhere.html",
        ),
        Case {
            name: "missing content folder",
            files: vec![],
            setup: Some(|playbook| {
                std::fs::remove_dir_all(playbook.path().join("content")).unwrap()
            }),
            at: "content",
            message: "no content/ folder here",
        },
    ]
}

/// A named pipe at `path`: whoever opens it for reading waits for a writer that never comes.
fn make_fifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|status| status.success()), "mkfifo {path:?}");
}

#[test]
fn every_bad_input_is_reported_with_its_place_and_loses_nothing() {
    let cases = cases();
    assert!(
        cases.len() >= 30,
        "the table must cover at least 30 bad inputs"
    );
    let mut failures = Vec::new();
    for case in cases {
        let playbook = Playbook::fixture("basic");
        playbook.build(&[]);
        let before = snapshot(&playbook.path().join("public"));
        for (path, bytes) in &case.files {
            playbook.write(path, bytes);
        }
        if let Some(setup) = case.setup {
            setup(&playbook);
        }
        for command in ["build", "check"] {
            let run = playbook.run(&[command]);
            let expected = format!("error: {}", case.at);
            let found = run
                .stderr
                .lines()
                .any(|line| line.starts_with(&expected) && line.contains(case.message));
            let mut problems = Vec::new();
            if run.code != 1 {
                problems.push(format!("exit status {} (expected 1)", run.code));
            }
            if !found {
                problems.push(format!(
                    "no line starting `{expected}` with `{}`",
                    case.message
                ));
            }
            if run.stderr.contains("panicked") {
                problems.push("panicked".to_string());
            }
            if snapshot(&playbook.path().join("public")) != before {
                problems.push("the previous output changed".to_string());
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "{} ({command}): {}\n{}",
                    case.name,
                    problems.join("; "),
                    run.stderr
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn all_problems_of_a_run_are_reported_at_once() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "content/advice/one.md",
        "---\ntitle: x\ndate: 2026-13-01\nfrom: dana\ntone: loud\n---\n",
    );
    playbook.write(
        "content/goals/two.md",
        "---\ntitle: x\ndate: 2026-01-01\nprogress: 101\nstatus: finished\n---\n",
    );
    playbook.write("content/feedback/three.md", "---\ntitle: [\n---\n");
    let run = playbook.run(&["build"]);
    assert_eq!(run.code, 1);
    let errors = run.errors();
    assert_eq!(errors.len(), 4, "{}", run.stderr);
    assert!(
        errors[0].starts_with("error: content/advice/one.md:3:7: `date`"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with(
            "error: content/feedback/three.md:3:1: did not find expected node content"
        ),
        "{errors:?}"
    );
    assert!(
        errors[2].starts_with("error: content/goals/two.md:4:11: `progress`"),
        "{errors:?}"
    );
    assert!(
        errors[3].starts_with("error: content/goals/two.md:5:9: `status`"),
        "{errors:?}"
    );
    assert!(
        run.stderr.contains("playbook: failed with 4 errors"),
        "{}",
        run.stderr
    );
    // `tone` is not a field of advice: a warning, not an error.
    assert!(
        run.stderr
            .contains("warning: content/advice/one.md:5:1: unknown field `tone` is ignored"),
        "{}",
        run.stderr
    );
}

#[test]
fn warnings_do_not_fail_a_build() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "content/advice/typo.md",
        "---\ntitle: x\ndate: 2026-01-01\nfrom: dnaa\naplied: true\n---\n",
    );
    let run = playbook.build(&[]);
    assert!(run.stderr.contains("warning: content/advice/typo.md:5:1: unknown field `aplied` is ignored; did you mean `applied`?"), "{}", run.stderr);
    assert!(run.stderr.contains("warning: content/advice/typo.md:4:7: unknown person `dnaa`: not under `people:` in playbook.yaml; did you mean `dana`?"), "{}", run.stderr);
    assert!(playbook.exists("public/advice/typo/index.html"));
}

#[test]
fn a_bom_and_crlf_line_endings_are_accepted() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "content/advice/windows.md",
        "\u{feff}---\r\ntitle: Saved on Windows\r\ndate: 2026-01-01\r\nfrom: dana\r\ntags: [crlf]\r\n---\r\nBody line.\r\n",
    );
    playbook.build(&[]);
    let page = playbook.read("public/advice/windows/index.html");
    assert!(page.contains("<h1>Saved on Windows</h1>"), "{page}");
    assert!(playbook.exists("public/tags/crlf/index.html"));
}

#[test]
fn output_folders_playbook_did_not_make_are_refused_and_untouched() {
    let playbook = Playbook::fixture("basic");
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join(".bashrc"), "export A=1").unwrap();
    std::fs::create_dir(home.path().join("Documents")).unwrap();
    std::fs::write(home.path().join("Documents/cv.txt"), "me").unwrap();
    let before = snapshot(home.path());
    for target in [
        home.path().to_path_buf(),
        playbook.path().join("content"),
        playbook.path().join("content/goals"),
    ] {
        let content_before = snapshot(&playbook.path().join("content"));
        let run = playbook.run(&["build", "--output", target.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{}: {}", target.display(), run.stderr);
        assert!(run.stderr.contains("refusing"), "{}", run.stderr);
        assert_eq!(snapshot(&playbook.path().join("content")), content_before);
    }
    assert_eq!(snapshot(home.path()), before);
}

#[test]
fn an_entry_that_fails_to_parse_is_not_also_reported_as_a_broken_reference() {
    let playbook = Playbook::fixture("basic");
    // Two other entries name this goal (`related:` and an achievement's `goal:`).
    playbook.write(
        "content/goals/ship-the-ledger.md",
        "---\ntitle: [broken\ndate: 2026-01-10\n---\n",
    );
    let run = playbook.run(&["build"]);
    assert_eq!(run.code, 1);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("error: content/goals/ship-the-ledger.md:2:8:"),
        "{errors:?}"
    );
}
