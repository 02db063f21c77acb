//! Review packets on the `review` fixture: a ladder (delivery, collaboration, mentoring) and
//! entries on the boundaries of quarters and halves — an achievement on 2026-03-31 and one on
//! 2026-04-01, one on 2026-07-01 and one on 2025-12-31 — a goal in progress all of 2026 with
//! work toward it on 2026-05-20, mixed feedback with an action done, praise, constructive
//! feedback acted on (2026-09-30) and not, applied advice with and without an outcome.

use std::collections::BTreeSet;

use scraper::{Html, Selector};

use crate::common;

use common::Playbook;

/// `review` with `args` (and `--today 2026-12-01`), after checking it succeeded.
fn review(playbook: &Playbook, args: &[&str]) -> String {
    let mut all = vec!["review", "--today", "2026-12-01"];
    all.extend_from_slice(args);
    let run = playbook.run(&all);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    run.stdout
}

/// The titles of the items of a Markdown packet (each `- **title** (…`), as a set.
fn titles(markdown: &str) -> BTreeSet<String> {
    markdown
        .lines()
        .filter_map(|line| line.strip_prefix("- **"))
        .filter_map(|rest| rest.split_once("** (").map(|(title, _)| title.to_string()))
        .collect()
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|t| t.to_string()).collect()
}

const GOAL: &str = "Lead the promotion project";

#[test]
fn each_period_form_takes_the_entries_of_its_days_boundaries_included() {
    let playbook = Playbook::fixture("review");
    let cases: [(&str, &[&str]); 8] = [
        (
            "2026-Q1",
            &[
                "Closed Q1 on its last day",
                "Praise from Dana",
                "Learn the billing system",
                GOAL,
            ],
        ),
        (
            "2026-q2",
            &[
                "Opened Q2 on its first day",
                "Shipped the beta",
                "Demo feedback from Lee",
                "Say no to side requests",
                GOAL,
            ],
        ),
        (
            "2026-H2",
            &[
                "Started H2 strong",
                "Slow reviews",
                "Write the weekly update",
                "Backed the freeze",
                "Rewrote the on-call docs",
                GOAL,
            ],
        ),
        ("2026-09", &["Slow reviews", GOAL]),
        ("2026-07", &["Started H2 strong", GOAL]),
        ("2025", &["Ended 2025 well"]),
        ("2025-Q4", &["Ended 2025 well"]),
        ("2024", &[]),
    ];
    for (period, expected) in cases {
        let md = review(&playbook, &["--period", period]);
        assert_eq!(titles(&md), set(expected), "{period}:\n{md}");
    }
    let h1 = titles(&review(&playbook, &["--period", "2026-H1"]));
    let q1 = titles(&review(&playbook, &["--period", "2026-Q1"]));
    let q2 = titles(&review(&playbook, &["--period", "2026-Q2"]));
    assert_eq!(h1, q1.union(&q2).cloned().collect(), "H1 is Q1 and Q2");
    let year = titles(&review(&playbook, &["--period", "2026"]));
    assert!(
        year.contains("Closed Q1 on its last day") && year.contains("Rewrote the on-call docs")
    );
    assert!(!year.contains("Ended 2025 well"));
    for left_out in [
        "Meetings run long",
        "A dropped goal",
        "Still drafting the style guide",
        "April one-on-one",
    ] {
        assert!(!year.contains(left_out), "{left_out} is not evidence");
    }
    // --since and --until take the same boundaries.
    let dates = review(
        &playbook,
        &["--since", "2026-04-01", "--until", "2026-06-30"],
    );
    assert_eq!(titles(&dates), q2);
}

#[test]
fn relative_periods_count_from_today() {
    let playbook = Playbook::fixture("review");
    let on = |period: &str, today: &str| {
        let run = playbook.run(&["review", "--period", period, "--today", today]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let last_quarter = on("last-quarter", "2026-04-01");
    assert!(
        last_quarter.starts_with("# Sam Lee: review packet, Q1 2026\n"),
        "{last_quarter}"
    );
    assert!(
        last_quarter.contains("(2026-01-01 to 2026-03-31)"),
        "{last_quarter}"
    );
    assert_eq!(
        titles(&last_quarter),
        titles(&review(&playbook, &["--period", "2026-Q1"]))
    );
    assert_eq!(
        titles(&on("last-quarter", "2026-01-15")),
        set(&["Ended 2025 well"])
    );
    let this_half = on("this-half", "2026-07-01");
    assert_eq!(
        titles(&this_half),
        titles(&review(&playbook, &["--period", "2026-H2"]))
    );
    // No period given: the year holding today (review.period is not set).
    let default = on_default(&playbook, "2025-06-01");
    assert!(
        default.starts_with("# Sam Lee: review packet, 2025\n"),
        "{default}"
    );
    // review.period: quarter makes it the quarter holding today.
    let config = playbook.read("playbook.yaml");
    playbook.write(
        "playbook.yaml",
        format!("{config}review:\n  period: quarter\n"),
    );
    let default = on_default(&playbook, "2026-05-05");
    assert!(
        default.starts_with("# Sam Lee: review packet, Q2 2026\n"),
        "{default}"
    );
}

fn on_default(playbook: &Playbook, today: &str) -> String {
    let run = playbook.run(&["review", "--today", today]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn a_packet_quotes_mixed_praise_shows_goals_in_progress_and_what_was_acted_on() {
    let playbook = Playbook::fixture("review");
    let md = review(&playbook, &["--period", "2026-Q2"]);
    for expected in [
        "### Praise received\n\n- **Demo feedback from Lee** (10 May 2026)\n  \
         > A great demo, though the docs lagged behind — Lee Peer\n",
        "### Feedback acted on\n\n- **Demo feedback from Lee** (10 May 2026): A great demo, \
         though the docs lagged behind\n  - done: Write the runbook\n",
        "### Goals in progress\n\n- **Lead the promotion project** (10 January 2026, due 31 December 2026): \
         60% done\n  - toward it: Shipped the beta (2026-05-20)\n",
        "- **Say no to side requests** (30 June 2026), from Dana Boss: My focus time doubled\n",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
    assert!(
        !md.contains("Record the demo"),
        "an action not done is not evidence\n{md}"
    );
    let h2 = review(&playbook, &["--period", "2026-H2"]);
    assert!(
        h2.contains("- **Write the weekly update** (15 August 2026), from Dana Boss: applied; how it went is not written yet\n"),
        "{h2}"
    );
}

#[test]
fn evidence_is_grouped_by_competency_and_the_gaps_end_the_packet() {
    let playbook = Playbook::fixture("review");
    let md = review(&playbook, &["--period", "2026-Q2"]);
    let at = |heading: &str| {
        md.find(heading)
            .unwrap_or_else(|| panic!("missing {heading:?} in\n{md}"))
    };
    let (delivery, collaboration, unmapped, gaps) = (
        at("\n## Delivery\n\nShips what matters\n\n*Expected:* Leads projects end to end\n"),
        at("\n## Collaboration\n"),
        at("\n## Not mapped to the ladder\n"),
        at("\n## Gaps\n\nNo evidence in this period for:\n\n- **Mentoring**: Grows others\n"),
    );
    assert!(
        delivery < collaboration && collaboration < unmapped && unmapped < gaps,
        "{md}"
    );
    // The achievement of two competencies is under both; the beta, mapped to none, after.
    assert_eq!(
        md.matches("- **Opened Q2 on its first day**").count(),
        2,
        "{md}"
    );
    assert!(md[delivery..collaboration].contains("Lead the promotion project"));
    assert!(md[unmapped..gaps].contains("- **Shipped the beta**"));
    assert!(md.ends_with("- **Mentoring**: Grows others\n"), "{md}");
    assert!(!md.contains("\n## Mentoring\n"));

    // Without a ladder: sections as before, no gaps.
    let bare = Playbook::fixture("review");
    let config = bare.read("playbook.yaml");
    let cut = config.find("ladder:").expect("the fixture has a ladder");
    bare.write("playbook.yaml", &config[..cut]);
    for file in [
        "content/achievements/q1-last-day.md",
        "content/achievements/q2-first-day.md",
        "content/achievements/old.md",
        "content/feedback/mixed.md",
        "content/goals/promotion-project.md",
    ] {
        let text = bare.read(file);
        let kept: Vec<&str> = text
            .lines()
            .filter(|line| !line.starts_with("competencies:"))
            .collect();
        bare.write(file, kept.join("\n") + "\n");
    }
    // A `competencies:` left behind is told how to take effect.
    bare.write(
        "content/achievements/left-behind.md",
        "---\ntitle: Left behind\ndate: 2026-05-02\ncompetencies: [delivery]\n---\nx\n",
    );
    let check = bare.run(&["check"]);
    assert!(
        check.stderr.contains(
            "content/achievements/left-behind.md:4:1: unknown field `competencies` is ignored: \
             list your career ladder under `ladder:` in playbook.yaml first"
        ),
        "{}",
        check.stderr
    );
    let md = review(&bare, &["--period", "2026-Q2"]);
    assert!(md.contains("\n## Achievements\n"), "{md}");
    assert!(!md.contains("Gaps") && !md.contains("Not mapped"), "{md}");
    assert!(bare.build(&[]).code == 0);
    assert!(!bare.path().join("public/ladder").exists());
}

#[test]
fn an_unknown_competency_is_an_error_at_its_line_and_column_with_a_suggestion() {
    let playbook = Playbook::fixture("review");
    playbook.write(
        "content/achievements/typo.md",
        "---\ntitle: Typo\ndate: 2026-05-01\ncompetencies: [delivery, colaboration]\n---\nx\n",
    );
    let run = playbook.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: content/achievements/typo.md:4:26: `competencies`: `colaboration` is not allowed; \
             expected one of: delivery, collaboration, mentoring; did you mean `collaboration`?"
        ),
        "{}",
        run.stderr
    );
    // A ladder with a bad or repeated id is refused where it is written.
    let config = playbook.read("playbook.yaml");
    playbook.write(
        "playbook.yaml",
        format!("{config}  - id: Delivery Skills\n    name: x\n  - id: delivery\n    name: y\nreview:\n  period: fortnight\n"),
    );
    let run = playbook.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "playbook.yaml:17:9: competency id `Delivery Skills` may hold only a-z, 0-9 and `-` (e.g. `delivery-skills`)",
        "playbook.yaml:19:9: competency id `delivery` is given twice under `ladder:`",
        "playbook.yaml:22:11: review.period:",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing {expected:?} in\n{}",
            run.stderr
        );
    }
}

#[test]
fn bad_periods_are_usage_errors() {
    let playbook = Playbook::fixture("review");
    for args in [
        &["review", "--period", "2026-Q5"][..],
        &["review", "--period", "2026-H3"],
        &["review", "--period", "2026-13"],
        &["review", "--period", "next-quarter"],
        &["review", "--period", "2026", "--since", "2026-01-01"],
        &["review", "--format", "pdf"],
    ] {
        let run = playbook.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    }
    let run = playbook.run(&["review", "--period", "2026-Q5"]);
    assert!(
        run.stderr
            .contains("`2026-Q5` is not a period: write 2026, 2026-H1"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_json_parses_and_holds_the_same_items_as_the_markdown() {
    let playbook = Playbook::fixture("review");
    for period in ["2026-Q2", "2026", "2025"] {
        let md = review(&playbook, &["--period", period]);
        let json = review(&playbook, &["--period", period, "--format", "json"]);
        let value: serde_json::Value = serde_json::from_str(&json).expect("the JSON parses");
        assert_eq!(value["format"], "playbook-review/1");
        assert_eq!(value["period"]["name"], period);
        let items = value["items"].as_array().expect("items");
        let json_titles: BTreeSet<String> = items
            .iter()
            .map(|item| item["title"].as_str().expect("a title").to_string())
            .collect();
        assert_eq!(json_titles, titles(&md), "{period}");
        for item in items {
            for key in ["section", "key", "date", "competencies"] {
                assert!(!item[key].is_null(), "{key} in {item}");
            }
            assert!(item.get("url").is_none(), "no site to link to: {item}");
        }
    }
    let json = review(&playbook, &["--period", "2026-Q2", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).expect("the JSON parses");
    assert_eq!(value["period"]["since"], "2026-04-01");
    assert_eq!(value["period"]["until"], "2026-06-30");
    assert_eq!(value["gaps"], serde_json::json!(["mentoring"]));
    let delivery = &value["competencies"][0];
    assert_eq!(delivery["id"], "delivery");
    let keys: Vec<&str> = delivery["items"]
        .as_array()
        .expect("positions")
        .iter()
        .map(|i| {
            value["items"][i.as_u64().expect("a position") as usize]["key"]
                .as_str()
                .expect("a key")
        })
        .collect();
    assert_eq!(
        keys,
        ["achievements/q2-first-day", "goals/promotion-project"]
    );
    let goal = &value["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|item| item["section"] == "goals-in-progress")
        .expect("the goal in progress");
    assert_eq!(goal["progress"], 60);
    assert_eq!(goal["toward"][0]["key"], "achievements/beta");
}

#[test]
fn the_html_stands_alone_and_prints() {
    let playbook = Playbook::fixture("review");
    let html = review(&playbook, &["--period", "2026-Q2", "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<h2>Delivery</h2>"), "{html}");
    assert!(html.contains("<blockquote>"));
    assert!(
        html.contains("@page") && html.contains("@media print"),
        "a print stylesheet"
    );
    assert!(!html.contains("href=\"http"), "nothing from another host");
}

fn select(html: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("a selector");
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn the_site_lists_years_halves_and_quarters_each_with_its_packet() {
    let playbook = Playbook::fixture("review");
    let run = playbook.build(&["--today", "2026-12-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = Html::parse_document(&playbook.read("public/review/index.html"));
    assert_eq!(select(&index, ".review-year h2 a"), ["2026", "2025"]);
    assert_eq!(
        select(&index, ".review-year:first-of-type .period-list a"),
        ["H1", "H2", "Q1", "Q2", "Q3", "Q4"]
    );
    let index_text = playbook.read("public/review/index.html");
    assert!(
        index_text.contains("href=\"../review/2026/q3/index.html\""),
        "{index_text}"
    );
    assert!(
        index_text.contains("href=\"../review/2025/h2/index.html\""),
        "{index_text}"
    );
    assert!(
        !index_text.contains("2025/h1/"),
        "a half without entries has no page"
    );
    assert!(!playbook.path().join("public/review/2025/q1").exists());

    let page = Html::parse_document(&playbook.read("public/review/2026/q2/index.html"));
    assert_eq!(select(&page, "h1"), ["Sam Lee: review packet, Q2 2026"]);
    assert_eq!(
        select(&page, "section.competency h2"),
        ["Delivery", "Collaboration"]
    );
    assert_eq!(select(&page, "#gaps li strong"), ["Mentoring"]);
    let text = playbook.read("public/review/2026/q2/index.html");
    assert!(
        text.contains("href=\"../../../achievements/q2-first-day/index.html\""),
        "every item links to its page\n{text}"
    );
    assert!(text.contains("A great demo, though the docs lagged behind"));
}

#[test]
fn the_ladder_page_counts_evidence_per_competency_and_quarter() {
    let playbook = Playbook::fixture("review");
    let run = playbook.build(&["--today", "2026-12-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = Html::parse_document(&playbook.read("public/ladder/index.html"));
    assert_eq!(
        select(&page, "thead th"),
        [
            "Competency",
            "Q4 2025",
            "Q1 2026",
            "Q2 2026",
            "Q3 2026",
            "Q4 2026",
            "Total"
        ]
    );
    let row = |id: &str| select(&page, &format!("#competency-{id} td"));
    // Delivery: Q1's achievement and the goal in progress; Q2's achievement and the goal;
    // the goal alone in Q3 and Q4.
    assert_eq!(row("delivery"), ["0", "2", "2", "1", "1", "6"]);
    // The mixed feedback is praise and acted on: one entry.
    assert_eq!(row("collaboration"), ["0", "0", "2", "0", "0", "2"]);
    assert_eq!(row("mentoring"), ["1", "0", "0", "0", "0", "1"]);
    let text = playbook.read("public/ladder/index.html");
    assert!(
        text.contains("href=\"../review/2026/q2/index.html#competency-collaboration\">2</a>"),
        "{text}"
    );
    let entry = playbook.read("public/achievements/q2-first-day/index.html");
    assert!(
        entry.contains(
            "<dt>Competencies</dt><dd><a href=\"../../ladder/index.html#competency-delivery\">Delivery</a>, \
             <a href=\"../../ladder/index.html#competency-collaboration\">Collaboration</a></dd>"
        ),
        "an entry names its competencies, linked to the ladder\n{entry}"
    );
    let nav = playbook.read("public/index.html");
    assert!(
        nav.contains("href=\"ladder/index.html\""),
        "the ladder is in the navigation"
    );
}

#[test]
fn share_writes_an_entry_or_refuses_without_a_passphrase() {
    let playbook = Playbook::fixture("review");
    let env = [(
        "PLAYBOOK_SHARE_PASSPHRASE",
        "a passphrase for one entry only",
    )];
    let at = |name: &str| playbook.path().join(name).to_string_lossy().into_owned();
    let run = playbook.run_with_env(&["share", "q2-first", "--output", &at("entry.html")], &env);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("shared achievements/q2-first-day → "),
        "{}",
        run.stdout
    );
    let file = playbook.read("entry.html");
    assert!(
        file.contains("id=\"sealed\"") && !file.contains("Opened Q2"),
        "{file}"
    );
    // No passphrase and no terminal: refused, nothing written.
    let run = playbook.run_with_input(&["share", "q2-first", "--output", &at("other.html")], "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("PLAYBOOK_SHARE_PASSPHRASE"),
        "{}",
        run.stderr
    );
    assert!(!playbook.exists("other.html"));
    // A passphrase that is easy to guess is refused, unless told.
    let weak = [("PLAYBOOK_SHARE_PASSPHRASE", "password1")];
    let run = playbook.run_with_env(&["share", "q2-first", "--output", &at("weak.html")], &weak);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("too easy to guess"), "{}", run.stderr);
    assert!(!playbook.exists("weak.html"));
    let args = [
        "share",
        "q2-first",
        "--output",
        &at("weak.html"),
        "--weak-passphrase-ok",
    ];
    assert_eq!(playbook.run_with_env(&args, &weak).code, 0);
    let run = playbook.run_with_env(&["share", "no-such-entry", "--output", &at("x.html")], &env);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!playbook.exists("x.html"));
}
