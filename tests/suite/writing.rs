//! The writing loop: `new --edit` and `edit` open the owner's editor and check the entry when
//! it closes; archetypes replace `new`'s template. The "editor" here is a shell command (`sed`,
//! `true`, `false`), run the way git runs `$VISUAL`.

use crate::common;

use common::{Playbook, Run, assert_holds};

/// `playbook <args>` with `editor` as `$VISUAL` (and no `$EDITOR` to fall back on).
fn with_editor(playbook: &Playbook, args: &[&str], editor: &str) -> Run {
    playbook.run_with_env(args, &[("VISUAL", editor), ("EDITOR", "")])
}

/// `new goal "Grow the team" --edit` with `editor`.
fn new_goal_edited(playbook: &Playbook, editor: &str) -> Run {
    let args = [
        "new",
        "goal",
        "Grow the team",
        "--date",
        "2026-03-01",
        "--edit",
    ];
    with_editor(playbook, &args, editor)
}

#[test]
fn new_edit_opens_the_editor_then_checks_the_entry() {
    let playbook = Playbook::fixture("basic");
    let run = new_goal_edited(&playbook, r"sed -i -e 's/^tags: \[\]/tags: [hiring]/'");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .trim()
            .ends_with("content/goals/grow-the-team.md"),
        "{}",
        run.stdout
    );
    let text = playbook.read("content/goals/grow-the-team.md");
    assert!(text.contains("tags: [hiring]\n"), "{text}");
    assert_eq!(playbook.run(&["check"]).code, 0);
}

#[test]
fn new_edit_reports_what_the_edit_broke_and_keeps_the_entry() {
    let playbook = Playbook::fixture("basic");
    let run = new_goal_edited(
        &playbook,
        r"sed -i -e 's/^tags: \[\]/tags: []\nprogress: lots/'",
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &["error: content/goals/grow-the-team.md:5:11: `progress`"],
    );
    assert_holds(&run.stderr, &["playbook edit grow-the-team"]);
    assert!(playbook.exists("content/goals/grow-the-team.md"));

    // An editor that fails is told, and the entry stays as written.
    let run = with_editor(&playbook, &["edit", "grow-the-team"], "false");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(&run.stderr, &["the editor `false` exited"]);
}

#[test]
fn edit_finds_one_entry_by_key_slug_prefix_or_title_words() {
    let playbook = Playbook::fixture("basic");
    for query in [
        &["ship-the-ledger"][..],
        &["goals/ship-the-ledger"],
        &["ship"],
        &["LEDGER", "ship"],
        &["Ship the ledger"],
    ] {
        let mut args = vec!["edit"];
        args.extend_from_slice(query);
        let run = with_editor(&playbook, &args, "true");
        assert_eq!(run.code, 0, "{query:?}: {}", run.stderr);
        assert!(
            run.stdout
                .trim()
                .ends_with("content/goals/ship-the-ledger.md"),
            "{query:?}: {}",
            run.stdout
        );
    }
    // The edit is checked like a new entry: a broken reference is an error at its line.
    let run = with_editor(
        &playbook,
        &["edit", "ship-the-ledger"],
        r"sed -i -e 's/^tags: \[ledger\]/tags: [ledger]\nrelated: [goals\/nope]/'",
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &["error: content/goals/ship-the-ledger.md:5:11: `related: goals/nope`"],
    );
}

#[test]
fn edit_lists_several_matches_and_exits_2_and_says_when_none() {
    let playbook = Playbook::fixture("basic");
    let run = with_editor(&playbook, &["edit", "the"], "false");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_holds(&run.stderr, &["`the` matches 3 entries"]);
    for line in [
        "content/contributions/hiring-loop.md  Joined the hiring loop",
        "content/goals/ship-the-ledger.md  Ship the ledger",
        "content/loyalty/covered-the-review.md  Covered the review",
    ] {
        assert!(run.stderr.contains(line), "{line}: {}", run.stderr);
    }

    let run = with_editor(&playbook, &["edit", "zebra"], "false");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(&run.stderr, &["no entry matches `zebra`"]);
}

#[test]
fn an_archetype_replaces_the_template_of_new() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "archetypes/goal.md",
        "---\ntitle: {{ title }}\ndate: {{ .Date }}\nstatus: active\nprogress: 0\n---\n\
         Why it matters to Dana: {{ unknown }}\n",
    );
    let run = playbook.run(&["new", "goal", "Grow: the team", "--date", "2026-03-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        playbook.read("content/goals/grow-the-team.md"),
        "---\ntitle: 'Grow: the team'\ndate: 2026-03-01\nstatus: active\nprogress: 0\n---\n\
         Why it matters to Dana: {{ unknown }}\n"
    );
    assert_eq!(playbook.run(&["check"]).code, 0);
    // Other kinds keep the built-in template.
    let run = playbook.run(&["new", "advice", "Ask early", "--date", "2026-03-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        playbook
            .read("content/advice/ask-early.md")
            .contains("# summary:")
    );
}

#[test]
fn add_writes_a_complete_entry_with_typed_values() {
    let playbook = Playbook::fixture("basic");
    let run = playbook.run(&[
        "add",
        "feedback",
        "Mid-year review",
        "--date",
        "2026-06-30",
        "--set",
        "from=dana",
        "--set",
        "tone=praise",
        "--set",
        "action=Share the plan, earlier",
        "--set",
        "action=Ask about Q3",
        "--set",
        "people=dana,lee",
        "--tag",
        "review",
        "--body",
        "Dana liked the ledger work.",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        playbook.read("content/feedback/mid-year-review.md"),
        "---\ntitle: Mid-year review\ndate: 2026-06-30\ntags: [\"review\"]\nfrom: dana\n\
         tone: praise\nactions: [{\"task\": \"Share the plan, earlier\"}, {\"task\": \"Ask about Q3\"}]\n\
         people: [\"dana\", \"lee\"]\n---\nDana liked the ledger work.\n"
    );
    let built = playbook.build(&[]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let page = playbook.read("public/feedback/mid-year-review/index.html");
    assert_holds(&page, &["Share the plan, earlier", "Ask about Q3"]);
}

#[test]
fn add_refuses_a_bad_value_at_the_command_line_and_writes_nothing() {
    let playbook = Playbook::fixture("basic");
    let before = common::snapshot(playbook.path());
    let run = playbook.run(&[
        "add",
        "goal",
        "Grow the team",
        "--set",
        "progress=lots",
        "--set",
        "status=done",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &[
            "error: --set progress=lots: `progress`: expected a whole number from 0 to 100",
            "error: --set status=done: `status`: `done` is not allowed",
        ],
    );
    for args in [
        &["add", "goal", "Grow", "--set", "related=goals/nope"][..],
        &["add", "goal", "Grow", "--set", "colour=red"],
        &["add", "goal", "Grow", "--set", "progress"],
        &["add", "goal", "Ship the ledger"],
    ] {
        let run = playbook.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    }
    assert!(
        common::snapshot(playbook.path()) == before,
        "a refused add wrote something"
    );
}

#[test]
fn add_reads_the_body_from_standard_input() {
    let playbook = Playbook::fixture("basic");
    let input = "Asked how she ranks requests.\n\nShe ranks them by customer impact.\n";
    let args = [
        "add",
        "advice",
        "Ranking requests",
        "--date",
        "2026-03-02",
        "--set",
        "from=dana",
    ];
    let run = playbook.run_with_input(&args, input);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        playbook.read("content/advice/ranking-requests.md"),
        format!("---\ntitle: Ranking requests\ndate: 2026-03-02\nfrom: dana\n---\n{input}")
    );
    // --body wins over standard input.
    let args = [
        "add",
        "advice",
        "Second",
        "--set",
        "from=dana",
        "--body",
        "From the flag.",
    ];
    let run = playbook.run_with_input(&args, "From the pipe.");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        playbook
            .read("content/advice/second.md")
            .ends_with("---\nFrom the flag.\n")
    );
}

#[test]
fn add_writes_an_entry_with_an_unknown_person_and_warns_about_it() {
    let playbook = Playbook::fixture("basic");
    let run = playbook.run(&[
        "add", "advice", "Ask Zed", "--set", "from=zed", "--body", "",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.ends_with("content/advice/ask-zed.md\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .starts_with("warning: --set from=zed: unknown person `zed`: not under `people:`"),
        "{}",
        run.stderr
    );
    assert!(
        playbook
            .read("content/advice/ask-zed.md")
            .contains("from: zed\n")
    );
}
