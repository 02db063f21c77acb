//! `prep` (the 1:1 agenda as Markdown or HTML) on the `prep` fixture: a 1:1 on 2026-06-15 with
//! decisions, next topics and actions (one overdue on 2026-07-01, one due that day), an older
//! 1:1, a feedback with an open action, applied advice with and without an outcome, a win.

use crate::common;

use common::Playbook;

fn prep(playbook: &Playbook, args: &[&str]) -> String {
    let mut all = vec!["prep", "--today", "2026-07-01"];
    all.extend_from_slice(args);
    let run = playbook.run(&all);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    run.stdout
}

#[test]
fn prep_prints_the_agenda_of_the_next_one_on_one_as_markdown() {
    let playbook = Playbook::fixture("prep");
    let md = prep(&playbook, &[]);
    for expected in [
        "# Next 1:1 with Dana Boss\n",
        "Since the last one, June one-on-one (2026-06-15). As of 2026-07-01.\n",
        "## Decisions last time\n\n- Move the launch to July\n",
        "## To raise this time\n\n- Ask about the staffing plan\n- Discuss the conference budget\n",
        "- Shipped the beta (achievement, 2026-06-20)\n",
        "- Delegate the reviews: applied; say how it went\n",
        "- Pad the estimates: applied; outcome: The release landed within a day of the estimate\n",
        "- [ ] Send the launch checklist (from June one-on-one, **overdue** since 2026-06-25)\n",
        "- [ ] Draft the hiring brief (from June one-on-one, **due today** 2026-07-01)\n",
        "- [ ] Present at the demo (from Mid-year feedback, due 2026-07-15)\n",
        "- Collaborate: to record it, add `practices: [collaborate]` to an entry\n",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
    assert!(!md.contains("An older"), "{md}");
    assert!(
        !md.contains("Share the notes"),
        "a done action is not open\n{md}"
    );
    assert!(!md.contains("Collaborate (never)"), "{md}");
}

#[test]
fn prep_as_html_is_a_whole_page() {
    let playbook = Playbook::fixture("prep");
    let html = prep(&playbook, &["--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(
        html.contains("<title>Next 1:1 with Dana Boss</title>"),
        "{html}"
    );
    assert!(html.contains("Discuss the conference budget"), "{html}");
    assert!(html.trim_end().ends_with("</html>"), "{html}");
}

#[test]
fn status_counts_an_overdue_conversation_action_and_says_how_to_record_practices() {
    let playbook = Playbook::fixture("prep");
    let run = playbook.run(&["status", "--today", "2026-07-01"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "overdue actions: 1\n  - Send the launch checklist (conversations/june-one-on-one, due 2026-06-25)\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("to record Collaborate: add `practices: [collaborate]` to an entry\n"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("Collaborate (never)"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_prep_page_shows_next_topics_and_conversation_actions() {
    let playbook = Playbook::fixture("prep");
    let run = playbook.run(&["build", "--today", "2026-07-01"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let page = playbook.read("public/prep/index.html");
    assert!(page.contains("Ask about the staffing plan"), "{page}");
    assert!(page.contains("Send the launch checklist"), "{page}");
    assert!(page.contains("say how it went"), "{page}");
    assert!(page.contains("outcome: The release landed"), "{page}");
    assert!(
        page.contains("<code>practices: [collaborate]</code>"),
        "{page}"
    );
}
