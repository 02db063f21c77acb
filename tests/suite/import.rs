//! `playbook import brag|jrnl|csv`: a brag document, a jrnl export and a spreadsheet become
//! draft entries that pass `check` and build; a second run writes nothing; a source with
//! problems writes nothing and names each problem at its `FILE:line:col`.

use crate::common;

use common::{Playbook, Run, assert_holds};

/// A brag document in three section styles: `###` headings under dated `##` ones, a bold line
/// as a heading, and a section with its date in the heading; dates in items too.
const BRAG: &str = "# Brag document

## 2026-03

### Projects
- 2026-03-14: Shipped the ledger cutover. Zero downtime at month end.
  - Led the rollback plan
  - Wrote the runbook
- Migrated billing to the new queue

### Collaboration & mentorship
* Mentored Lee through the first on-call rotation. Lee runs it now.

**Feedback**

Dana Boss said the planning doc was the clearest of the year. She shared it upward.

## Learning (May 2026)
1. **May 20, 2026** — Finished the distributed systems course
2. Read a book on incident review

## Side quests, Q3 2026
- [x] Organised the team offsite
";

fn import(playbook: &Playbook, args: &[&str]) -> Run {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    playbook.run(&all)
}

/// `name` written beside the playbook's content (not in it) and its absolute path.
fn source(playbook: &Playbook, name: &str, text: &str) -> String {
    playbook.write(&format!("sources/{name}"), text);
    let path = playbook.path().join("sources").join(name);
    path.to_str().expect("temp paths are UTF-8").to_string()
}

fn assert_checks_and_builds(playbook: &Playbook, titles: &[&str]) {
    let check = playbook.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    playbook.build(&["--drafts"]);
    let all: String = common::snapshot(&playbook.path().join("public"))
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|ext| ext == "html"))
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    for title in titles {
        assert!(all.contains(title), "no page shows {title}");
    }
}

#[test]
fn a_brag_document_becomes_drafts_by_section_and_date() {
    let playbook = Playbook::fixture("basic");
    let brag = source(&playbook, "brag.md", BRAG);
    let run = import(&playbook, &["brag", &brag]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_holds(&run.stdout, &["imported 7 entries as drafts from"]);

    assert_eq!(
        playbook.read("content/achievements/shipped-the-ledger-cutover.md"),
        "---\ntitle: Shipped the ledger cutover\ndate: 2026-03-14\ndraft: true\n---\n\
         Zero downtime at month end.\n- Led the rollback plan\n- Wrote the runbook\n"
    );
    // The date of the nearest dated heading, the first day of its month.
    assert_holds(
        &playbook.read("content/achievements/migrated-billing-to-the-new-queue.md"),
        &["date: 2026-03-01\n", "draft: true\n"],
    );
    // "Collaboration & mentorship" is a contribution.
    assert_holds(
        &playbook.read("content/contributions/mentored-lee-through-the-first-on-call-rotation.md"),
        &[
            "title: Mentored Lee through the first on-call rotation\n",
            "Lee runs it now.",
        ],
    );
    // A bold line is a section; a feedback's `from` is the person its text names.
    let feedback = playbook
        .read("content/feedback/dana-boss-said-the-planning-doc-was-the-clearest-of-the-year.md");
    assert_holds(
        &feedback,
        &[
            "date: 2026-03-01\n",
            "from: dana\n",
            "She shared it upward.",
        ],
    );
    // The heading's own date and section; an item's date wins over its heading's.
    assert_holds(
        &playbook.read("content/achievements/finished-the-distributed-systems-course.md"),
        &["date: 2026-05-20\n"],
    );
    assert_holds(
        &playbook.read("content/achievements/read-a-book-on-incident-review.md"),
        &["date: 2026-05-01\n"],
    );
    // An unmapped section is an achievement; a task box is not part of the title.
    assert_holds(
        &playbook.read("content/achievements/organised-the-team-offsite.md"),
        &["title: Organised the team offsite\n", "date: 2026-07-01\n"],
    );
    assert_checks_and_builds(
        &playbook,
        &["Shipped the ledger cutover", "Organised the team offsite"],
    );

    // Twice: nothing new, nothing touched.
    let before = common::snapshot(&playbook.path().join("content"));
    let again = import(&playbook, &["brag", &brag]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_holds(
        &again.stdout,
        &["nothing new to import from", "(7 already in the playbook)"],
    );
    assert_eq!(common::snapshot(&playbook.path().join("content")), before);
}

#[test]
fn map_kind_and_no_draft_steer_a_brag_import() {
    let playbook = Playbook::fixture("basic");
    let brag = source(&playbook, "brag.md", BRAG);
    let run = import(
        &playbook,
        &[
            "brag",
            &brag,
            "--map",
            "Collaboration & Mentorship=loyalty",
            "--kind",
            "contribution",
            "--no-draft",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("as drafts"), "{}", run.stdout);
    // --map names a section in any case and spacing; --kind is the kind of the sections that
    // name none ("Side quests"); the others keep theirs.
    let mentored = "content/loyalty/mentored-lee-through-the-first-on-call-rotation.md";
    assert!(!playbook.read(mentored).contains("draft"));
    assert!(playbook.exists("content/contributions/organised-the-team-offsite.md"));
    assert!(playbook.exists("content/achievements/shipped-the-ledger-cutover.md"));

    for (args, wanted) in [
        (&["--map", "Projects=trophy"][..], "unknown kind `trophy`"),
        (&["--map", "Projects"], "write \"Section name=kind\""),
        (&["--kind", "nope"], "unknown kind `nope`"),
    ] {
        let mut all = vec!["brag", brag.as_str()];
        all.extend_from_slice(args);
        let run = import(&playbook, &all);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_holds(&run.stderr, &[wanted]);
    }
}

#[test]
fn a_brag_document_with_problems_names_each_and_writes_nothing() {
    let playbook = Playbook::fixture("basic");
    let brag = source(
        &playbook,
        "brag.md",
        "## Projects\n- An item with no date anywhere\n\n## 2026-04\n- 2026-02-30: Not a day\n- Fine\n",
    );
    let before = common::snapshot(playbook.path());
    let run = import(&playbook, &["brag", &brag]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &[
            "brag.md:2:3: no date for this item",
            "brag.md:5:3: `2026-02-30` is not a valid date",
            "failed with 2 errors",
        ],
    );
    assert_eq!(common::snapshot(playbook.path()), before);

    let skipped = import(&playbook, &["brag", &brag, "--skip-bad"]);
    assert_eq!(skipped.code, 0, "{}", skipped.stderr);
    assert_holds(
        &skipped.stdout,
        &["imported 1 entry as a draft", "(2 skipped for problems)"],
    );
    assert_holds(&skipped.stderr, &["warning: ", "brag.md:2:3: no date"]);
    assert!(playbook.exists("content/achievements/fine.md"));
}

const JRNL: &str = r#"{
  "tags": {"@work": 2, "@dana": 1},
  "entries": [
    {
      "title": "Weekly with Dana.",
      "body": "We talked about the Q3 roadmap.\n\n- hire a second SRE\n",
      "date": "2026-04-02",
      "time": "09:30",
      "tags": ["@work", "@dana"],
      "starred": true
    },
    {
      "title": "Skip-level with the director",
      "body": "",
      "date": "2026-04-13",
      "time": "14:00",
      "tags": ["@work"],
      "starred": false
    }
  ]
}
"#;

#[test]
fn a_jrnl_export_becomes_conversations_with_its_tags() {
    let playbook = Playbook::fixture("basic");
    let journal = source(&playbook, "journal.json", JRNL);
    let run = import(&playbook, &["jrnl", &journal]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_holds(&run.stdout, &["imported 2 entries as drafts"]);
    assert_eq!(
        playbook.read("content/conversations/weekly-with-dana.md"),
        "---\ntitle: Weekly with Dana\ndate: 2026-04-02\ntags: [\"work\", \"dana\", \"starred\"]\n\
         draft: true\n---\nWe talked about the Q3 roadmap.\n\n- hire a second SRE\n"
    );
    assert_holds(
        &playbook.read("content/conversations/skip-level-with-the-director.md"),
        &["date: 2026-04-13\n", "tags: [\"work\"]\n"],
    );
    assert_checks_and_builds(
        &playbook,
        &["Weekly with Dana", "Skip-level with the director"],
    );

    let before = common::snapshot(&playbook.path().join("content"));
    let again = import(&playbook, &["jrnl", &journal]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_holds(
        &again.stdout,
        &["nothing new to import", "2 already in the playbook"],
    );
    assert_eq!(common::snapshot(&playbook.path().join("content")), before);

    // Another kind, and the place of a broken export.
    let advice = import(
        &playbook,
        &["jrnl", &journal, "--kind", "advice", "--dry-run"],
    );
    assert_eq!(advice.code, 0, "{}", advice.stderr);
    assert_holds(
        &advice.stdout,
        &[
            "would write",
            "content/advice/weekly-with-dana.md",
            "from: dana",
        ],
    );
    let broken = source(
        &playbook,
        "broken.json",
        "{\"entries\": [\n  {\"title\": 3}\n]}",
    );
    let run = import(&playbook, &["jrnl", &broken]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &["broken.json:2:3: the entry is not one jrnl writes: invalid type: integer `3`"],
    );
}

#[test]
fn a_csv_reads_typed_fields_and_reports_a_bad_date_at_its_cell() {
    let playbook = Playbook::fixture("basic");
    let csv = source(
        &playbook,
        "wins.csv",
        "Title,Date,Impact,Tags,People,Body\n\
         Cut build time in half,2026-02-10,CI went from 20 to 9 minutes,\"ci; speed\",\"lee, dana\",\"Profiled the **slow** steps.\"\n\
         \"Launched, finally\",2026-13-01,big,,,\n\
         Mentored the interns,2026-06-01,,mentoring,,\n",
    );
    let before = common::snapshot(playbook.path());
    let run = import(&playbook, &["csv", &csv, "--kind", "achievement"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &["wins.csv:3:21: `date`: `2026-13-01` is not a valid date"],
    );
    assert_eq!(
        common::snapshot(playbook.path()),
        before,
        "a bad source writes nothing"
    );

    let run = import(
        &playbook,
        &["csv", &csv, "--kind", "achievement", "--skip-bad"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        playbook.read("content/achievements/cut-build-time-in-half.md"),
        "---\ntitle: Cut build time in half\ndate: 2026-02-10\ntags: [\"ci\", \"speed\"]\n\
         impact: CI went from 20 to 9 minutes\npeople: [\"lee\", \"dana\"]\ndraft: true\n---\n\
         Profiled the **slow** steps.\n"
    );
    assert_checks_and_builds(
        &playbook,
        &["Cut build time in half", "Mentored the interns"],
    );

    let again = import(
        &playbook,
        &["csv", &csv, "--kind", "achievement", "--skip-bad"],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_holds(
        &again.stdout,
        &[
            "nothing new to import",
            "2 already in the playbook",
            "1 skipped for problems",
        ],
    );

    // A wrong value for a typed field is reported at its cell; an unknown column at the header.
    let typed = source(
        &playbook,
        "goals.csv",
        "title,date,progress,colour\nGrow,2026-01-01,lots,red\n",
    );
    let run = import(&playbook, &["csv", &typed, "--kind", "goal"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &["goals.csv:1:21: `colour` is not a column an import of goal entries reads"],
    );
    let typed = source(
        &playbook,
        "goals.csv",
        "title,date,progress\nGrow,2026-01-01,lots\n",
    );
    let run = import(&playbook, &["csv", &typed, "--kind", "goal"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &["goals.csv:2:17: `progress`: expected a whole number"],
    );

    let no_kind = import(&playbook, &["csv", &csv]);
    assert_eq!(no_kind.code, 2, "{}", no_kind.stderr);
    assert_holds(&no_kind.stderr, &["give one with --kind"]);
}

#[test]
fn dry_run_prints_every_entry_and_writes_nothing() {
    let playbook = Playbook::fixture("basic");
    let brag = source(&playbook, "brag.md", BRAG);
    let before = common::snapshot(playbook.path());
    let run = import(&playbook, &["brag", &brag, "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_holds(
        &run.stdout,
        &[
            "would write ",
            "content/achievements/shipped-the-ledger-cutover.md:\n---\ntitle: Shipped the ledger cutover\n",
            "would import 7 entries as drafts from",
            "nothing written (--dry-run)",
        ],
    );
    assert_eq!(common::snapshot(playbook.path()), before);
}

/// The README's walk-through: the sources of `examples/import/` into a new playbook.
#[test]
fn the_bundled_examples_import_into_a_new_playbook_as_the_readme_shows() {
    let playbook = Playbook::empty();
    let init = playbook.run(&["init"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/import");
    let example = |name: &str| examples.join(name).to_string_lossy().into_owned();
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap_or_default();

    let brag = import(&playbook, &["brag", &example("brag.md")]);
    assert_eq!(brag.code, 0, "{}", brag.stderr);
    let jrnl = import(&playbook, &["jrnl", &example("journal.json")]);
    assert_eq!(jrnl.code, 0, "{}", jrnl.stderr);
    let csv = import(
        &playbook,
        &["csv", &example("wins.csv"), "--kind", "achievement"],
    );
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    // Each path printed is a line of the README's session (which shows the CSV's dry run).
    assert!(readme.contains("would write content/achievements/halved-the-ci-time.md:"));
    for run in [&brag, &jrnl] {
        for line in run.stdout.lines().filter(|l| l.contains("content/")) {
            let rel = &line[line.find("content/").unwrap_or(0)..];
            assert!(readme.contains(rel), "the README does not show {rel}");
            assert!(playbook.exists(rel), "{rel} was not written");
        }
    }
    assert_holds(&brag.stdout, &["imported 6 entries as drafts"]);
    assert_holds(
        &playbook.read("content/achievements/halved-the-ci-time.md"),
        &["tags: [\"ci\", \"speed\"]\nimpact: CI takes 9 minutes instead of 20\ndraft: true\n"],
    );
    assert_checks_and_builds(
        &playbook,
        &["Shipped the ledger cutover", "Weekly with my manager"],
    );
}

#[test]
fn names_taken_otherwise_times_of_day_and_repeated_titles_survive_a_second_run() {
    let playbook = Playbook::fixture("basic");
    // A file whose entry has another slug still takes its name.
    playbook.write(
        "content/achievements/bar.md",
        "---\ntitle: Old\ndate: 2025-01-01\nslug: renamed\n---\n",
    );
    let csv = source(
        &playbook,
        "wins.csv",
        "title,date\nBar,2026-03-01\nDeploy,2026-03-01T10:00:00+00:00\nDeploy,2026-03-02T10:00:00+01:00\n\
         Standup,2026-03-05\nStandup,2026-03-05\n",
    );
    let run = import(&playbook, &["csv", &csv, "--kind", "achievement"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_holds(&run.stdout, &["imported 5 entries"]);
    for rel in [
        "content/achievements/bar-2026-03-01.md",
        "content/achievements/deploy.md",
        "content/achievements/deploy-2026-03-02.md",
        "content/achievements/standup.md",
        "content/achievements/standup-2026-03-05.md",
    ] {
        assert!(playbook.exists(rel), "{rel} missing:\n{}", run.stdout);
    }
    assert_holds(
        &playbook.read("content/achievements/deploy-2026-03-02.md"),
        &["date: 2026-03-02T10:00:00+01:00\n"],
    );
    let check = playbook.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let before = common::snapshot(&playbook.path().join("content"));
    let again = import(&playbook, &["csv", &csv, "--kind", "achievement"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_holds(
        &again.stdout,
        &["nothing new to import", "(5 already in the playbook)"],
    );
    assert_eq!(common::snapshot(&playbook.path().join("content")), before);
}

#[test]
fn spreadsheets_from_excel_keep_their_places_and_read_values_as_people_write_them() {
    let playbook = Playbook::fixture("basic");
    // A byte order mark and CRLF line ends, as Excel saves CSV.
    let csv = source(
        &playbook,
        "excel.csv",
        "\u{feff}Title,Date,Tone,From,Body\r\nA,2026-02-30,praise,dana,x\r\n\
         Liked the demo,2026-03-01,Praise,Dana Boss,\"Two\r\nlines\"\r\nC,2026-02-31,praise,dana,\r\n",
    );
    let run = import(&playbook, &["csv", &csv, "--kind", "feedback"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &[
            "excel.csv:2:3: `date`",
            "excel.csv:5:3: `date`",
            "failed with 2 errors",
        ],
    );
    let run = import(
        &playbook,
        &["csv", &csv, "--kind", "feedback", "--skip-bad"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The word of a list in any case, a person by name, no carriage return kept.
    assert_eq!(
        playbook.read("content/feedback/liked-the-demo.md"),
        "---\ntitle: Liked the demo\ndate: 2026-03-01\ntone: praise\nfrom: dana\ndraft: true\n---\nTwo\nlines\n"
    );

    for (text, wanted) in [
        (
            "title,date,\nA,2026-03-01,note\n",
            "x.csv:2:14: a value in a column the header row gives no name",
        ),
        (
            "title,date,slug\nA,2026-03-01,x\n",
            "x.csv:1:12: `slug` is not a column",
        ),
        (
            "title,date,draft\nA,2026-03-01,no\n",
            "x.csv:1:12: `draft` is not a column",
        ),
        (
            "title,date,actions\nA,2026-03-01,x\n",
            "x.csv:1:12: `actions` is not a column",
        ),
    ] {
        let csv = source(&playbook, "x.csv", text);
        let run = import(&playbook, &["csv", &csv, "--kind", "feedback"]);
        assert_eq!(run.code, 1, "{text}: {}", run.stderr);
        assert_holds(&run.stderr, &[wanted]);
    }
}

#[test]
fn brag_documents_as_editors_and_word_processors_write_them() {
    let playbook = Playbook::fixture("basic");
    let brag = source(
        &playbook,
        "brag.md",
        "\u{feff}---\ntitle: My brag document\n---\n\
         ## March 2026\n\n**Projects**\n\n\
         * Moved every invoice of the billing pipeline to the\n  queue. It saved money.\n\
         \t- a nested point\n\n\
         ```\n## not a heading\n```\n\n\
         | metric | value |\n|---|---|\n| p99 | 80 ms |\n\n\
         <!-- a note to self\n- not an item -->\n\
         - 2000 new signups after the launch\n\n\
         Feedback\n--------\n\n\
         > The launch plan was the clearest one this year. Thanks!\n\n\
         ### Side quests\n\n\
         - Jan 5: Fixed the printer\n\n\
         # 2025\n## Wins\n- March 3rd: Closed the books early\n",
    );
    let run = import(&playbook, &["brag", &brag]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_holds(&run.stdout, &["imported 5 entries"]);
    // A bold line as a section; a hard-wrapped first sentence; a nested bullet indented with
    // a tab; what is outside any item left out.
    assert_eq!(
        playbook.read(
            "content/achievements/moved-every-invoice-of-the-billing-pipeline-to-the-queue.md"
        ),
        "---\ntitle: Moved every invoice of the billing pipeline to the queue\ndate: 2026-03-01\n\
         draft: true\n---\nIt saved money.\n- a nested point\n"
    );
    // A year alone does not start an item's date; the heading's does.
    assert_holds(
        &playbook.read("content/achievements/2000-new-signups-after-the-launch.md"),
        &["date: 2026-03-01\n"],
    );
    // A setext heading is a section; a quote is an item.
    assert_holds(
        &playbook.read("content/feedback/the-launch-plan-was-the-clearest-one-this-year.md"),
        &["from: dana\n", "Thanks!"],
    );
    // A section no word names keeps the kind around it; a month and day take the heading's
    // year.
    assert_holds(
        &playbook.read("content/feedback/fixed-the-printer.md"),
        &["date: 2026-01-05\n"],
    );
    assert_holds(
        &playbook.read("content/achievements/closed-the-books-early.md"),
        &["date: 2025-03-03\n"],
    );
    let check = playbook.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);

    // Bold lines for both the period and the section, as word processors export headings.
    let bold = source(
        &playbook,
        "bold.md",
        "**April 2026**\n\n**Wins**\n\n* Shipped the bold one\n",
    );
    let run = import(&playbook, &["brag", &bold]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_holds(
        &playbook.read("content/achievements/shipped-the-bold-one.md"),
        &["date: 2026-04-01\n"],
    );

    let undated = source(
        &playbook,
        "undated.md",
        "## Wins\n- Jan 5: Fixed it\n- 14.03.2026: Dotted\n",
    );
    let run = import(&playbook, &["brag", &undated]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &[
            "undated.md:2:3: `Jan 5` has no year",
            "undated.md:3:3: `14.03.2026` is not a date playbook reads",
        ],
    );
}

#[test]
fn a_jrnl_entry_of_the_wrong_shape_is_reported_alone() {
    let playbook = Playbook::fixture("basic");
    let journal = source(
        &playbook,
        "journal.json",
        "{\"entries\": [\n  {\"title\": \"A\", \"date\": \"2026-01-01\"},\n  \
         {\"title\": \"B\", \"date\": \"2026-01-01\", \"starred\": \"yes\"},\n  {\"title\": \"C\"}\n]}",
    );
    let run = import(&playbook, &["jrnl", &journal]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &[
            "journal.json:3:3: the entry is not one jrnl writes",
            "journal.json:4:3: the entry has no `date`",
        ],
    );
    let run = import(&playbook, &["jrnl", &journal, "--skip-bad"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(playbook.exists("content/conversations/a.md"));
    let array = source(&playbook, "array.json", "[{\"title\": \"A\"}]");
    let run = import(&playbook, &["jrnl", &array]);
    assert_holds(&run.stderr, &["array.json:1:1: not a jrnl export"]);
}

#[test]
fn yearless_headings_titles_in_markdown_and_html_read_as_people_mean_them() {
    let playbook = Playbook::fixture("basic");
    let brag = source(
        &playbook,
        "brag.md",
        "# 2025\n## Q2\n- Rewrote the indexer\n## March\n- Closed the books\n\n\
         ## Goals for 2026\n- Become the billing expert\n## April 2026\n- Migrated the queue\n\n\
         <aside>\nNotion callout\n</aside>\n\n\
         ### **Side quests**\n\n- Fixed the printer <!-- private -->\n\n\
         **Feedback**:\n\n- Dana liked the plan\n\n\
         ## May 2026\n  - Indented one\n  - Indented two\n\
         - Released v2.0. It went well.\n\
         - Fixed `a. b` parsing. Yes.\n\
         - **Shipped the ledger.** Zero downtime.\n\
         - Wrote [the parser](https://x.example/p). Took two days.\n\
         - Shipped the cutover\\. Zero downtime\\.\n",
    );
    let run = import(&playbook, &["brag", &brag, "--map", "Side quests=loyalty"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = |rel: &str| playbook.read(&format!("content/{rel}.md"));
    // A quarter or month in the year above.
    assert_holds(
        &entry("achievements/rewrote-the-indexer"),
        &["date: 2025-04-01\n"],
    );
    assert_holds(
        &entry("achievements/closed-the-books"),
        &["date: 2025-03-01\n"],
    );
    // A dated heading after a section at its level starts a new one.
    assert!(playbook.exists("content/goals/become-the-billing-expert.md"));
    assert!(playbook.exists("content/achievements/migrated-the-queue.md"));
    // --map over an emphasised heading; a comment is not kept; no HTML block is an entry.
    assert_eq!(
        entry("loyalty/fixed-the-printer"),
        "---\ntitle: Fixed the printer\ndate: 2026-04-01\ndraft: true\n---\n"
    );
    assert!(!run.stdout.contains("aside"), "{}", run.stdout);
    assert!(playbook.exists("content/feedback/dana-liked-the-plan.md"));
    // A list indented by two spaces is two items; titles are the plain text of the first
    // sentence.
    for (rel, title) in [
        ("achievements/indented-one", "Indented one"),
        ("achievements/indented-two", "Indented two"),
        ("achievements/released-v2-0", "Released v2.0"),
        ("achievements/fixed-a-b-parsing", "Fixed a. b parsing"),
        ("achievements/shipped-the-ledger", "Shipped the ledger"),
        ("achievements/wrote-the-parser", "Wrote the parser"),
        ("achievements/shipped-the-cutover", "Shipped the cutover"),
    ] {
        assert_holds(&entry(rel), &[&format!("title: {title}\n")]);
    }
    assert_holds(&entry("achievements/wrote-the-parser"), &["Took two days."]);
    let check = playbook.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);

    let typo = source(
        &playbook,
        "typo.md",
        "## 2024\n- Feb 29, 2025: Leap day typo\n",
    );
    let run = import(&playbook, &["brag", &typo, "--map", "Nope=goal"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &[
            "typo.md:2:3: `Feb 29, 2025` is not a valid date",
            "warning: --map: no heading of the document is named `nope`",
        ],
    );
}

#[test]
fn spreadsheet_references_line_breaks_and_separators_are_checked_where_they_stand() {
    let playbook = Playbook::fixture("basic");
    for (text, wanted) in [
        (
            "title,date,goal\nRef,2026-03-01,goals/nope\n",
            "x.csv:2:16: `goal: goals/nope` does not name an entry",
        ),
        (
            "title,date,summary,practices,impact\nMulti,2026-03-01,\"line1\nline2\",bogus,big\n",
            "x.csv:3:8: `practices`: `bogus` is not allowed",
        ),
        (
            "title,date,impact,Impact\nA,2026-03-01,x,y\n",
            "x.csv:1:19: `impact` is a column twice in the header row",
        ),
    ] {
        let csv = source(&playbook, "x.csv", text);
        let run = import(&playbook, &["csv", &csv, "--kind", "achievement"]);
        assert_eq!(run.code, 1, "{text}: {}", run.stderr);
        assert_holds(&run.stderr, &[wanted]);
    }
    // Semicolons, as Excel writes CSV where a comma is the decimal mark.
    let csv = source(
        &playbook,
        "x.csv",
        "title;date;impact\nSaved 1,5 days;2026-03-01;x\n",
    );
    let run = import(&playbook, &["csv", &csv, "--kind", "achievement"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_holds(
        &playbook.read("content/achievements/saved-1-5-days.md"),
        &["title: Saved 1,5 days\n", "impact: x\n"],
    );
    let run = import(
        &playbook,
        &["csv", &csv, "--kind", "achievement", "--map", "a=goal"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_holds(&run.stderr, &["--map names sections of a brag document"]);
    // The same title on one day, many times: each an entry, found quickly.
    let many: String = std::iter::once("title,date\n".to_string())
        .chain((0..300).map(|_| "Weekly sync,2026-03-02\n".to_string()))
        .collect();
    let csv = source(&playbook, "many.csv", &many);
    let run = import(&playbook, &["csv", &csv, "--kind", "conversation"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(playbook.exists("content/conversations/weekly-sync-2026-03-02-299.md"));
    let again = import(&playbook, &["csv", &csv, "--kind", "conversation"]);
    assert_holds(&again.stdout, &["(300 already in the playbook)"]);
}

#[test]
fn nothing_of_a_brag_document_is_lost_or_misdated_without_a_word() {
    let playbook = Playbook::fixture("basic");
    let brag = source(
        &playbook,
        "brag.md",
        "## 2026\n\
         - Monday, March 9: Planned the quarter\n\
         - Top\n    - Second\n        - Third\n\
         - Wrote the [migration RFC](https://docs.example/rfc-42). It was read.\n\
         - Led it <!-- a private\n\n  note --> and more\n\n\
         <!-- private --> Shipped the cache layer.\n\n\
         <https://x.example/launch> was shipped.\n\n\
         ```html\n<!-- not a comment here\n```\n\n\
         - Fourth item\n\n\
         ## Feedback: from peers\n- Dana praised the docs\n",
    );
    let run = import(&playbook, &["brag", &brag]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = |rel: &str| playbook.read(&format!("content/{rel}.md"));
    assert_holds(
        &entry("achievements/planned-the-quarter"),
        &["date: 2026-03-09\n"],
    );
    // A nested list keeps its shape.
    assert_holds(
        &entry("achievements/top"),
        &["---\n- Second\n    - Third\n"],
    );
    // A link's address stays in the body; comments go, the text around them stays.
    assert_holds(
        &entry("achievements/wrote-the-migration-rfc"),
        &[
            "title: Wrote the migration RFC\n",
            "(https://docs.example/rfc-42). It was read.",
        ],
    );
    assert_holds(
        &entry("achievements/led-it"),
        &["title: Led it\n", "---\nand more\n"],
    );
    assert!(!run.stdout.contains("private"), "{}", run.stdout);
    assert!(playbook.exists("content/achievements/shipped-the-cache-layer.md"));
    assert!(playbook.exists("content/achievements/https-x-example-launch-was-shipped.md"));
    assert!(playbook.exists("content/achievements/fourth-item.md"));
    assert!(playbook.exists("content/feedback/dana-praised-the-docs.md"));
    let check = playbook.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);

    let unread = source(
        &playbook,
        "unread.md",
        "## 2026\n- 2026-3-14: A\n- 3/14: C\n- Mar 5-7: D\n- Mar 14, 26: H\n",
    );
    let run = import(&playbook, &["brag", &unread]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &[
            "unread.md:2:3: `2026-3-14` is not a valid date",
            "unread.md:3:3: `3/14` is not a date playbook reads",
            "unread.md:4:3: `Mar 5-7` is not a date playbook reads",
            "unread.md:5:3: `Mar 14, 26` is not a date playbook reads",
            "failed with 4 errors",
        ],
    );
}

#[test]
fn a_whole_file_that_cannot_be_read_fails_even_with_skip_bad() {
    let playbook = Playbook::fixture("basic");
    let json = source(&playbook, "not.json", "not json");
    let run = import(&playbook, &["jrnl", &json, "--skip-bad"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(&run.stderr, &["not.json:1:2: not JSON"]);
    let csv = source(&playbook, "x.csv", "name,when\nA,2026-01-01\n");
    let run = import(&playbook, &["csv", &csv, "--kind", "goal", "--skip-bad"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &["x.csv:1:1: the header row has no `title` column"],
    );
    // Old Mac line ends; a quote inside a cell; a tag cell's place.
    let csv = source(
        &playbook,
        "mac.csv",
        "title,date,tags\rBought a 27\" monitor,2026-02-30,x\rB,2026-03-01,\"a; b\"\r",
    );
    let run = import(&playbook, &["csv", &csv, "--kind", "achievement"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(&run.stderr, &["mac.csv:2:22: `date`"]);
    // A jrnl entry that is no object keeps the places of those after it.
    let json = source(
        &playbook,
        "j.json",
        "{\"entries\": [\n  \"str\",\n  {\"title\": \"B\"}\n]}",
    );
    let run = import(&playbook, &["jrnl", &json]);
    assert_holds(
        &run.stderr,
        &[
            "j.json:2:3: the entry is not one jrnl writes",
            "j.json:3:3: the entry has no `date`",
        ],
    );
    // An item larger than an entry may be is refused, not written for check to fail on.
    let huge = format!(
        "## 2026-03\n- Big item.\n{}",
        "  a line of the item\n".repeat(450_000)
    );
    let huge = source(&playbook, "huge.md", &huge);
    let run = import(&playbook, &["brag", &huge]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &["huge.md:2:3: the entry would be larger than 8 MiB"],
    );
    assert!(!playbook.exists("content/achievements/big-item.md"));
    let folder = playbook
        .path()
        .join("content")
        .to_string_lossy()
        .into_owned();
    let run = import(&playbook, &["brag", &folder]);
    assert_holds(&run.stderr, &["a folder; a source is a text file"]);
}

#[test]
fn heading_dates_ranges_and_lists_as_markdown_reads_them() {
    let playbook = Playbook::fixture("basic");
    let brag = source(
        &playbook,
        "brag.md",
        "# 2025\n## Projects\n### Q3\n- Shipped search\n\n\
         ## March 9–13, 2026\n- In a range\n- 2026-03-10: Dated itself\n\n\
         ## 30 Feb 2026\n- Under a bad day\n",
    );
    let run = import(&playbook, &["brag", &brag]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &[
            "brag.md:7:3: the heading on line 6: `March 9–13, 2026` holds a date playbook does not read",
            "brag.md:11:3: the heading on line 10: `30 Feb 2026` holds a date",
            "failed with 2 errors",
        ],
    );
    let run = import(&playbook, &["brag", &brag, "--skip-bad"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The year of the nearest dated heading, past an undated section.
    assert_holds(
        &playbook.read("content/achievements/shipped-search.md"),
        &["date: 2025-07-01\n"],
    );
    assert!(playbook.exists("content/achievements/dated-itself.md"));

    let lists = source(
        &playbook,
        "lists.md",
        "## 2026\n- Shipped it. It was big.\n\n  Second paragraph.\n- First item\n - Second item\n",
    );
    let run = import(&playbook, &["brag", &lists]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_holds(
        &playbook.read("content/achievements/shipped-it.md"),
        &["---\nIt was big.\n\nSecond paragraph.\n"],
    );
    assert!(playbook.exists("content/achievements/second-item.md"));
}

#[test]
fn a_spreadsheet_reports_every_problem_of_every_row_at_once() {
    let playbook = Playbook::fixture("basic");
    let csv = source(
        &playbook,
        "x.csv",
        "title,date,tone,follow_up,colour\nA,2026-02-30,harsh,not-a-date,red\nB,2026-03-01,praise,,blue\n",
    );
    let run = import(&playbook, &["csv", &csv, "--kind", "feedback"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_holds(
        &run.stderr,
        &[
            "x.csv:1:27: `colour` is not a column",
            "x.csv:2:3: `date`",
            "x.csv:2:14: `tone`",
            "x.csv:2:20: `follow_up`",
            "failed with 4 errors",
        ],
    );
    // With --skip-bad, an unknown column is left out and the sound rows are written.
    let run = import(
        &playbook,
        &["csv", &csv, "--kind", "feedback", "--skip-bad"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_holds(
        &run.stdout,
        &["imported 1 entry as a draft", "(1 skipped for problems)"],
    );
    assert!(!playbook.read("content/feedback/b.md").contains("blue"));

    // Usage errors are usage errors whatever the file: even a missing one.
    for args in [
        &["csv", "missing.csv"][..],
        &["brag", "missing.md", "--map", "x=nope"],
        &["jrnl", "missing.json", "--map", "x=goal"],
    ] {
        let run = import(&playbook, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    }
}

#[test]
fn headings_people_write_keep_their_dates_and_ranges_start_on_their_first_day() {
    let playbook = Playbook::fixture("basic");
    let brag = source(
        &playbook,
        "brag.md",
        "## March 2026\n### Release 2.4\n- Shipped the release\n\
         ## 1:1 with Jan (March 2026)\n- Talked about the roadmap\n\
         ## March\u{a0}2026 — May launch prep\n- Booked the venue\n\
         ## **March 14**, 2026\n- Bold date\n\
         ## Sprint 14 (Mar 2026)\n- Sprint item\n\
         ## 2026\n### Mar 5 – Mar 9\n- Offsite\n- 3 March hires onboarded\n\
         1. Led the migration\n  - cut costs\n\
         ## 2026-W12\n- Week item\n\
         ## Oct 2025 – Mar 2026\n- Range item\n",
    );
    let run = import(&playbook, &["brag", &brag]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (rel, date) in [
        ("achievements/shipped-the-release", "2026-03-01"),
        ("conversations/talked-about-the-roadmap", "2026-03-01"),
        ("achievements/booked-the-venue", "2026-03-01"),
        ("achievements/bold-date", "2026-03-14"),
        ("achievements/sprint-item", "2026-03-01"),
        ("achievements/offsite", "2026-03-05"),
        ("achievements/3-march-hires-onboarded", "2026-03-05"),
        ("achievements/led-the-migration", "2026-03-05"),
        ("achievements/week-item", "2026-03-16"),
        ("achievements/range-item", "2025-10-01"),
    ] {
        let text = playbook.read(&format!("content/{rel}.md"));
        assert_holds(&text, &[&format!("date: {date}\n")]);
    }
    assert_holds(
        &playbook.read("content/achievements/led-the-migration.md"),
        &["---\n- cut costs\n"],
    );
}
