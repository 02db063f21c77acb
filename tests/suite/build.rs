//! `playbook build` on fixture playbooks: every page type, escaping, drafts, Markdown
//! extensions, themes, and the output folder's safety rules.

use crate::common;

use std::collections::BTreeMap;

use common::{Playbook, html_files, snapshot};
use scraper::{Html, Selector};

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).expect("valid selector");
    html.select(&selector).collect()
}

fn texts(html: &Html, css: &str) -> Vec<String> {
    select(html, css)
        .iter()
        .map(|el| el.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn every_page_type_is_produced() {
    let playbook = Playbook::fixture("basic");
    let run = playbook.build(&[]);
    assert!(
        run.stdout.contains("built 7 entries into"),
        "summary line: {}",
        run.stdout
    );
    for page in [
        "public/index.html",
        "public/goals/index.html",
        "public/advice/index.html",
        "public/feedback/index.html",
        "public/loyalty/index.html",
        "public/achievements/index.html",
        "public/contributions/index.html",
        "public/conversations/index.html",
        "public/goals/ship-the-ledger/index.html",
        "public/advice/ask-before-estimating/index.html",
        "public/feedback/mid-year/index.html",
        "public/loyalty/covered-the-review/index.html",
        "public/achievements/ledger-live/index.html",
        "public/contributions/hiring-loop/index.html",
        "public/conversations/first-one-on-one/index.html",
        "public/tags/index.html",
        "public/tags/ledger/index.html",
        "public/tags/planning/index.html",
        "public/people/index.html",
        "public/people/dana/index.html",
        "public/people/lee/index.html",
        "public/timeline/index.html",
        "public/404.html",
        "public/robots.txt",
        "public/style.css",
        "public/search/index.html",
        "public/search-index.js",
        "public/search.js",
        "public/prep/index.html",
        "public/practices/index.html",
        "public/review/index.html",
        "public/review/2026/index.html",
    ] {
        assert!(playbook.exists(page), "{page} is missing");
    }
    assert_eq!(
        playbook.read("public/robots.txt"),
        "User-agent: *\nDisallow: /\n"
    );

    for page in html_files(&playbook.path().join("public")) {
        let html = Html::parse_document(&playbook.read(&format!("public/{}", page.display())));
        let robots = select(&html, r#"meta[name="robots"]"#);
        assert_eq!(robots.len(), 1, "{} has no robots meta", page.display());
        assert!(
            robots[0]
                .value()
                .attr("content")
                .unwrap()
                .contains("noindex")
        );
        let stylesheets = select(&html, r#"link[rel="stylesheet"]"#);
        assert_eq!(
            stylesheets.len(),
            1,
            "{} must load exactly one stylesheet",
            page.display()
        );
        let scripts: Vec<&str> = select(&html, "script")
            .iter()
            .filter_map(|s| s.value().attr("src"))
            .collect();
        if page == std::path::Path::new("search/index.html") {
            assert_eq!(
                scripts,
                ["../search-index.js", "../search.js"],
                "only its own scripts"
            );
        } else {
            assert!(
                select(&html, "script").is_empty(),
                "{} has a script",
                page.display()
            );
        }
    }
}

#[test]
fn dashboard_counts_each_kind_and_lists_recent_entries_newest_first() {
    let playbook = Playbook::fixture("basic");
    playbook.build(&[]);
    let html = Html::parse_document(&playbook.read("public/index.html"));
    let counts = texts(&html, ".kind-counts li");
    assert!(counts.contains(&"1 Goals".to_string()), "{counts:?}");
    assert!(
        counts.contains(&"2 Conversations".to_string())
            || counts.contains(&"1 Conversations".to_string())
    );
    assert!(
        counts.contains(&"1 Conversations".to_string()),
        "the draft is not counted: {counts:?}"
    );
    let titles = texts(&html, ".cards .card-title");
    assert_eq!(
        titles,
        [
            "Joined the hiring loop",
            "Ledger live",
            "Covered the review",
            "Mid-year feedback",
            "Ask before estimating",
            "Ship the ledger",
            "First one-on-one",
        ]
    );
}

#[test]
fn kind_lists_are_newest_first_and_tag_and_person_pages_list_their_entries() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "content/goals/older-goal.md",
        "---\ntitle: Older goal\ndate: 2025-01-01\ntags: [Ledger]\n---\nOld.\n",
    );
    playbook.build(&[]);
    let goals = Html::parse_document(&playbook.read("public/goals/index.html"));
    assert_eq!(
        texts(&goals, ".card-title"),
        ["Ship the ledger", "Older goal"]
    );

    let tag = Html::parse_document(&playbook.read("public/tags/ledger/index.html"));
    assert_eq!(
        texts(&tag, ".card-title"),
        [
            "Ledger live",
            "Ask before estimating",
            "Ship the ledger",
            "Older goal"
        ],
        "`Ledger` and `ledger` are one tag"
    );

    let dana = Html::parse_document(&playbook.read("public/people/dana/index.html"));
    assert_eq!(texts(&dana, "h1"), ["Dana Boss manager"]);
    assert_eq!(
        texts(&dana, ".timeline-list a"),
        [
            "Ledger live",
            "Covered the review",
            "Mid-year feedback",
            "Ask before estimating",
            "First one-on-one"
        ]
    );
    // Grouped by year and month, with the tags of these entries.
    assert_eq!(
        texts(&dana, "section.year h3"),
        ["April 2026", "March 2026", "February 2026", "January 2026"]
    );
    assert_eq!(texts(&dana, ".tags li"), ["#ledger 2", "#planning 1"]);
    let people = Html::parse_document(&playbook.read("public/people/index.html"));
    assert_eq!(texts(&people, ".index-list a"), ["Dana Boss", "Lee Peer"]);
}

#[test]
fn timeline_groups_entries_by_year_and_month() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "content/goals/older-goal.md",
        "---\ntitle: Older goal\ndate: 2025-12-31\n---\nOld.\n",
    );
    playbook.build(&[]);
    let html = Html::parse_document(&playbook.read("public/timeline/index.html"));
    let years: Vec<String> = texts(&html, "section.year h2");
    assert_eq!(years, ["2026 7", "2025 1"]);
    assert_eq!(
        texts(&html, "section.year h3"),
        [
            "April 2026",
            "March 2026",
            "February 2026",
            "January 2026",
            "December 2025"
        ]
    );
}

#[test]
fn entry_pages_show_kind_fields_in_words() {
    let playbook = Playbook::fixture("basic");
    playbook.build(&[]);

    let goal = Html::parse_document(&playbook.read("public/goals/ship-the-ledger/index.html"));
    let progress = select(&goal, "progress");
    assert_eq!(progress[0].value().attr("value"), Some("60"));
    let facts = texts(&goal, ".facts dd");
    assert!(
        facts.contains(&"My manager’s goal".to_string())
            || facts.contains(&"My manager's goal".to_string()),
        "{facts:?}"
    );
    assert!(facts.contains(&"In progress".to_string()), "{facts:?}");
    assert!(facts.contains(&"30 June 2026".to_string()), "{facts:?}");

    let feedback = Html::parse_document(&playbook.read("public/feedback/mid-year/index.html"));
    assert_eq!(
        texts(&feedback, ".checklist li"),
        [
            "✔ Share the on-call load (done)",
            "○ Write design docs earlier (open)"
        ]
    );
    assert!(texts(&feedback, ".facts dt").contains(&"Actions (1 of 2 done)".to_string()));

    let achievement =
        Html::parse_document(&playbook.read("public/achievements/ledger-live/index.html"));
    assert_eq!(
        texts(&achievement, ".metrics tbody tr"),
        ["Writes on new ledger0%100%", "Incidents30"]
    );
    let goal_link = select(&achievement, ".facts dd a")
        .into_iter()
        .find(|a| a.text().collect::<String>() == "Ship the ledger")
        .expect("the achievement links its goal");
    assert_eq!(
        goal_link.value().attr("href"),
        Some("../../goals/ship-the-ledger/index.html")
    );

    let advice =
        Html::parse_document(&playbook.read("public/advice/ask-before-estimating/index.html"));
    assert_eq!(texts(&advice, ".related .card-title"), ["Ship the ledger"]);
    assert!(texts(&advice, ".facts dd").contains(&"I asked for it".to_string()));
}

#[test]
fn a_title_holding_script_comes_out_escaped() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "content/advice/xss.md",
        "---\ntitle: \"<script>alert('x')</script> & <b>bold</b>\"\ndate: 2026-05-01\nfrom: dana\n\
         tags: [\"<img src=x onerror=alert(1)>\"]\nsummary: \"<i>sum</i>\"\n---\nBody.\n",
    );
    playbook.build(&[]);
    for page in [
        "public/advice/xss/index.html",
        "public/advice/index.html",
        "public/index.html",
        "public/timeline/index.html",
        "public/tags/index.html",
    ] {
        let text = playbook.read(page);
        assert!(!text.contains("<script>"), "{page} holds a raw <script>");
        assert!(!text.contains("<b>bold"), "{page} holds raw markup");
        assert!(!text.contains("<img src=x"), "{page} holds a raw tag name");
        assert!(!text.contains("<i>sum"), "{page} holds a raw summary");
    }
    let entry = playbook.read("public/advice/xss/index.html");
    assert!(
        entry.contains("&lt;script&gt;alert("),
        "escaped title is shown"
    );
    let html = Html::parse_document(&entry);
    assert_eq!(
        texts(&html, "h1"),
        ["<script>alert('x')</script> & <b>bold</b>"]
    );
}

#[test]
fn drafts_are_left_out_and_come_back_with_drafts() {
    let playbook = Playbook::fixture("basic");
    playbook.build(&[]);
    assert!(!playbook.exists("public/conversations/half-written"));
    assert!(!playbook.exists("public/tags/drafty"));
    for page in [
        "public/conversations/index.html",
        "public/index.html",
        "public/people/lee/index.html",
        "public/timeline/index.html",
    ] {
        assert!(
            !playbook.read(page).contains("Half-written"),
            "{page} shows the draft"
        );
    }

    let run = playbook.build(&["--drafts"]);
    assert!(run.stdout.contains("built 8 entries"), "{}", run.stdout);
    let page = Html::parse_document(&playbook.read("public/conversations/half-written/index.html"));
    assert_eq!(texts(&page, "h1"), ["Half-written thoughts"]);
    assert_eq!(texts(&page, ".badge-draft"), ["Draft"]);
    assert!(
        playbook
            .read("public/conversations/index.html")
            .contains("Half-written")
    );
    assert!(playbook.exists("public/tags/drafty/index.html"));
}

#[test]
fn markdown_extensions_render() {
    let playbook = Playbook::fixture("basic");
    playbook.build(&[]);
    let html =
        Html::parse_document(&playbook.read("public/advice/ask-before-estimating/index.html"));
    assert_eq!(texts(&html, ".entry-body table th"), ["Before", "After"]);
    assert_eq!(texts(&html, ".entry-body del"), ["Guess first"]);
    let boxes = select(&html, r#".entry-body input[type="checkbox"]"#);
    assert_eq!(boxes.len(), 2);
    assert!(boxes[0].value().attr("checked").is_some());
    assert!(boxes[1].value().attr("checked").is_none());
    assert_eq!(select(&html, ".entry-body .footnote-reference").len(), 1);
    assert_eq!(
        texts(&html, ".entry-body .footnote-definition p"),
        ["The retro notes."]
    );
}

#[test]
fn the_embedded_theme_builds_a_playbook_without_themes_folder() {
    let playbook = Playbook::fixture("basic");
    assert!(!playbook.exists("themes"));
    playbook.build(&[]);
    let css = playbook.read("public/style.css");
    let repo_css = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/static/style.css"
    ))
    .unwrap();
    assert_eq!(css, repo_css);
}

#[test]
fn a_playbook_theme_overrides_templates_file_by_file() {
    let playbook = Playbook::fixture("basic");
    playbook.write("playbook.yaml", "title: Mine\ntheme: quiet\n");
    playbook.write(
        "themes/quiet/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Lost, {{ site.title }}?</h1>{% endblock main %}",
    );
    playbook.write("themes/quiet/static/extra.css", "body { color: red }");
    playbook.build(&[]);
    let html = Html::parse_document(&playbook.read("public/404.html"));
    assert_eq!(texts(&html, "h1"), ["Lost, Mine?"]);
    assert!(playbook.exists("public/extra.css"));
    assert!(
        playbook
            .read("public/index.html")
            .contains("Evidence by kind"),
        "other templates stay"
    );
}

#[test]
fn an_unknown_theme_is_an_error() {
    let playbook = Playbook::fixture("basic");
    playbook.write("playbook.yaml", "title: T\ntheme: nowhere\n");
    for command in ["build", "check"] {
        let run = playbook.run(&[command]);
        assert_eq!(run.code, 1);
        assert!(
            run.stderr
                .contains("error: playbook.yaml:2:8: theme `nowhere` not found"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn base_url_makes_links_absolute_under_it() {
    let playbook = Playbook::fixture("basic");
    playbook.build(&["--base-url", "https://me.example/playbook"]);
    let html = Html::parse_document(&playbook.read("public/goals/ship-the-ledger/index.html"));
    let stylesheet = select(&html, r#"link[rel="stylesheet"]"#)[0]
        .value()
        .attr("href")
        .unwrap();
    assert_eq!(stylesheet, "https://me.example/playbook/style.css");
    let brand = select(&html, "a.brand")[0].value().attr("href").unwrap();
    assert_eq!(brand, "https://me.example/playbook/");
    let tag = select(&html, ".tags a")[0].value().attr("href").unwrap();
    assert_eq!(tag, "https://me.example/playbook/tags/ledger/");
}

#[test]
fn output_goes_where_asked_and_config_output_dir_is_honoured() {
    let playbook = Playbook::fixture("basic");
    playbook.write("playbook.yaml", "output_dir: site\n");
    playbook.build(&[]);
    assert!(playbook.exists("site/index.html"));
    assert!(playbook.exists("site/.playbook-output"));
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("out");
    playbook.build(&["--output", target.to_str().unwrap()]);
    assert!(target.join("index.html").is_file());
}

#[test]
fn a_folder_playbook_did_not_make_is_never_replaced() {
    let playbook = Playbook::fixture("basic");
    playbook.write("mine/notes.txt", "precious");
    let before = snapshot(&playbook.path().join("mine"));
    let target = playbook.path().join("mine");
    let run = playbook.run(&["build", "--output", target.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("refusing to replace this folder: it holds notes.txt, and playbook"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&target), before);

    for inside in ["content/public", "."] {
        let target = playbook.path().join(inside);
        let run = playbook.run(&["build", "--output", target.to_str().unwrap()]);
        assert_eq!(run.code, 1, "--output {inside} must be refused");
        assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    }
    assert!(!playbook.exists("content/public"));
}

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let playbook = Playbook::fixture("basic");
    playbook.build(&[]);
    let before = snapshot(&playbook.path().join("public"));
    playbook.write(
        "content/advice/broken.md",
        "---\ntitle: [unclosed\ndate: 2026-01-01\nfrom: dana\n---\n",
    );
    let run = playbook.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: content/advice/broken.md:2:8: did not find expected ',' or ']'"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("failed with 1 error"), "{}", run.stderr);
    assert_eq!(snapshot(&playbook.path().join("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(playbook.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("playbook-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary folders were left behind");
}

#[test]
fn a_rebuild_replaces_the_output_and_drops_removed_pages() {
    let playbook = Playbook::fixture("basic");
    playbook.build(&[]);
    assert!(playbook.exists("public/loyalty/covered-the-review/index.html"));
    playbook.remove("content/loyalty/covered-the-review.md");
    playbook.build(&[]);
    assert!(!playbook.exists("public/loyalty/covered-the-review"));
}

/// Inode and modification time of every file under `dir`: what tells a file
/// rewritten from one left alone.
fn file_identities(dir: &std::path::Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|item| item.expect("walk output"))
        .filter(|item| item.file_type().is_file())
        .map(|item| {
            let metadata = item.metadata().expect("metadata");
            let rel = item.path().strip_prefix(dir).expect("inside");
            (
                rel.to_string_lossy().into_owned(),
                (metadata.ino(), metadata.modified().expect("mtime")),
            )
        })
        .collect()
}

#[test]
fn a_rebuild_with_no_change_writes_no_file() {
    let playbook = Playbook::fixture("basic");
    playbook.build(&["--today", "2026-06-01"]);
    let before = file_identities(&playbook.path().join("public"));
    assert!(before.len() > 20, "{before:?}");
    std::thread::sleep(std::time::Duration::from_millis(20));
    playbook.build(&["--today", "2026-06-01"]);
    assert_eq!(file_identities(&playbook.path().join("public")), before);
}

#[test]
fn a_rebuild_rewrites_the_pages_that_changed_and_only_those() {
    let playbook = Playbook::fixture("basic");
    playbook.build(&["--today", "2026-06-01"]);
    let public = playbook.path().join("public");
    let before = file_identities(&public);
    // A page edited by hand in the output is not taken for an unchanged one.
    std::fs::write(public.join("tags/index.html"), "edited by hand").unwrap();
    let source = "content/advice/ask-before-estimating.md";
    let text = playbook.read(source);
    // Below the first paragraph, so the summary on list pages stays the same.
    playbook.write(
        source,
        text.replace("A claim with a source.", "A claim with its source."),
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    playbook.build(&["--today", "2026-06-01"]);
    let after = file_identities(&public);

    assert!(playbook.read("public/tags/index.html").contains("<html"));
    let changed: Vec<&String> = before
        .iter()
        .filter(|(rel, identity)| after.get(*rel) != Some(identity))
        .map(|(rel, _)| rel)
        .collect();
    // The entry's page, the page restored, the search index (the body's words changed) and
    // the manifest.
    assert_eq!(
        changed,
        [
            ".playbook-output",
            "advice/ask-before-estimating/index.html",
            "search-index.js",
            "tags/index.html"
        ],
        "pages rewritten"
    );
    assert!(
        playbook
            .read("public/advice/ask-before-estimating/index.html")
            .contains("A claim with its source.")
    );
}

#[test]
fn broken_references_are_errors_with_the_line() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "content/achievements/orphan.md",
        "---\ntitle: Orphan\ndate: 2026-01-01\nrelated: [advice/nope]\ngoal: goals/missing\n---\n",
    );
    let run = playbook.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error: content/achievements/orphan.md:4:11: `related: advice/nope` does not name an entry"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: content/achievements/orphan.md:5:7: `goal: goals/missing` does not name an entry of goals/"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("failed with 2 errors"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_content_folder_is_a_clear_error() {
    let playbook = Playbook::empty();
    let run = playbook.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no content/ folder"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_with_two() {
    let playbook = Playbook::fixture("basic");
    let run = playbook.run(&["build", "--no-such-flag"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn temporary_folders_of_killed_builds_are_cleaned_up() {
    let playbook = Playbook::fixture("basic");
    // A build killed mid-way leaves its marked temporary folder; pid 4194304 is above Linux's
    // maximum, so no process has it.
    let abandoned = ".public.playbook-tmp-4194304";
    playbook.write(&format!("{abandoned}/.playbook-output"), "mark");
    playbook.write(&format!("{abandoned}/index.html"), "half");
    playbook.write(".public.playbook-tmp-notapid/keep.txt", "not ours");
    playbook.build(&[]);
    assert!(!playbook.exists(abandoned));
    assert!(
        playbook.exists(".public.playbook-tmp-notapid/keep.txt"),
        "unmarked folders stay"
    );
}

#[test]
fn a_leftover_whose_process_id_was_reused_is_removed() {
    // The id in the leftover's name belongs to a running process now (this test's): only
    // the lock a build holds on its folder tells a running build from a killed one.
    let playbook = Playbook::fixture("basic");
    let abandoned = format!(".public.playbook-tmp-{}", std::process::id());
    playbook.write(&format!("{abandoned}/.playbook-output"), "mark");
    playbook.write(
        &format!("{abandoned}/goals/index.html"),
        "the previous site",
    );
    playbook.build(&[]);
    assert!(!playbook.exists(&abandoned));
}

#[test]
fn an_empty_leftover_is_removed_and_a_folder_of_a_running_build_is_not() {
    let playbook = Playbook::fixture("basic");
    // Killed between making its folder and marking it, or after removing all but the folder.
    playbook.write(".public.playbook-tmp-4194304/.keep", "");
    playbook.remove(".public.playbook-tmp-4194304/.keep");
    // A build running beside this one holds its folder's lock.
    let running = ".public.playbook-tmp-4194305";
    playbook.write(&format!("{running}/.playbook-output"), "mark");
    let folder = std::fs::File::open(playbook.path().join(running)).expect("open folder");
    folder.try_lock().expect("lock");
    // Not playbook's: a link, and a file, named like its folders.
    playbook.write("elsewhere/.playbook-output", "mark");
    std::os::unix::fs::symlink(
        playbook.path().join("elsewhere"),
        playbook.path().join(".public.playbook-tmp-4194306"),
    )
    .expect("symlink");
    playbook.write(".public.playbook-tmp-4194307", "a file");
    playbook.build(&[]);
    assert!(!playbook.exists(".public.playbook-tmp-4194304"));
    assert!(playbook.exists(&format!("{running}/.playbook-output")));
    assert!(playbook.exists(".public.playbook-tmp-4194306/.playbook-output"));
    assert!(playbook.exists(".public.playbook-tmp-4194307"));
    drop(folder);
    playbook.build(&[]);
    assert!(!playbook.exists(running), "its lock is gone: abandoned");
}

/// Names beside the output folder that are playbook's own leftovers.
fn leftovers(playbook: &Playbook) -> Vec<String> {
    std::fs::read_dir(playbook.path())
        .expect("read playbook folder")
        .flatten()
        .map(|item| item.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("playbook-tmp"))
        .collect()
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_or_the_new_site_and_no_leftover() {
    let playbook = Playbook::fixture("basic");
    // Big enough that reading, rendering, swapping and removing the previous site each take a
    // while, so that kills land in every phase.
    for n in 0..1500 {
        playbook.write(
            &format!("content/advice/entry-{n}.md"),
            format!(
                "---\ntitle: Entry {n}\ndate: 2026-01-{:02}\nfrom: dana\ntags: [t{}]\n---\n{}\n",
                n % 28 + 1,
                n % 40,
                "Some words of advice. ".repeat(40)
            ),
        );
    }
    let page = "public/advice/entry-7/index.html";
    let set_version = |version: usize| {
        playbook.write(
            "content/advice/entry-7.md",
            format!("---\ntitle: Version {version}\ndate: 2026-01-08\nfrom: dana\n---\nx\n"),
        )
    };
    set_version(0);
    let started = std::time::Instant::now();
    playbook.build(&[]);
    let full = started.elapsed();
    let root = playbook.path().to_str().expect("UTF-8 temp path");
    let mut committed = 0;
    let trials = 12;
    for trial in 1..=trials {
        set_version(trial);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["--root", root, "build"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start build");
        // Spread over the whole build, past its end once.
        std::thread::sleep(full.mul_f64(trial as f64 / trials as f64 * 1.1));
        let _ = child.kill();
        let status = child.wait().expect("wait for build");
        if status.success() {
            committed = trial;
        }
        let html = playbook.read(page);
        let shows = |version: usize| html.contains(&format!("<h1>Version {version}</h1>"));
        if shows(trial) {
            committed = trial;
        } else {
            assert!(
                shows(committed),
                "trial {trial}: the page is neither the old nor the new one"
            );
        }
        assert!(playbook.exists("public/index.html") && playbook.exists("public/.playbook-output"));
    }
    playbook.build(&[]);
    assert!(
        playbook
            .read(page)
            .contains(&format!("<h1>Version {trials}</h1>"))
    );
    assert_eq!(leftovers(&playbook), Vec::<String>::new());
}

/// Builds started together into one output each finish: none takes another's fresh, still
/// empty temporary folder for a leftover and removes it under it.
#[test]
fn builds_running_at_once_into_one_output_all_succeed() {
    let playbook = Playbook::fixture("basic");
    let root = playbook.path().to_str().expect("UTF-8 temp path");
    for round in 0..5 {
        let children: Vec<_> = (0..4)
            .map(|_| {
                std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
                    .args(["--root", root, "build"])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("start build")
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().expect("wait for build");
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert!(playbook.exists("public/goals/ship-the-ledger/index.html"));
    }
    assert_eq!(leftovers(&playbook), Vec::<String>::new());
}

#[test]
fn navigation_marks_the_current_section_and_entries_link_their_neighbours() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "content/conversations/second-one-on-one.md",
        "---\ntitle: Second one-on-one\ndate: 2026-01-12\nwith: dana\n---\nx\n",
    );
    playbook.build(&[]);
    let list = Html::parse_document(&playbook.read("public/conversations/index.html"));
    assert_eq!(
        texts(&list, r#"nav [aria-current="page"]"#),
        ["Conversations 2"]
    );
    let entry =
        Html::parse_document(&playbook.read("public/conversations/first-one-on-one/index.html"));
    assert_eq!(
        texts(&entry, r#"nav [aria-current="page"]"#),
        ["Conversations 2"]
    );
    assert_eq!(texts(&entry, ".pager a"), ["Newer → Second one-on-one"]);
    let newer =
        Html::parse_document(&playbook.read("public/conversations/second-one-on-one/index.html"));
    assert_eq!(texts(&newer, ".pager a"), ["← Older First one-on-one"]);
    let tags = Html::parse_document(&playbook.read("public/tags/index.html"));
    assert_eq!(texts(&tags, r#"nav [aria-current="page"]"#), ["Tags"]);
}

#[test]
fn tags_and_people_in_any_script_get_their_own_pages_and_case_does_not_split_a_person() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "content/advice/unicode.md",
        "---\ntitle: Unicode\ndate: 2026-05-01\nfrom: Dana\ntags: [日本, Café]\n---\nx\n",
    );
    playbook.build(&[]);
    assert!(
        playbook
            .read("public/tags/日本/index.html")
            .contains("Unicode")
    );
    assert!(
        playbook
            .read("public/tags/café/index.html")
            .contains("Unicode")
    );
    let tags = playbook.read("public/tags/index.html");
    assert!(
        tags.contains("Tags"),
        "the tags index is still the index: {tags}"
    );
    let dana = Html::parse_document(&playbook.read("public/people/dana/index.html"));
    assert!(
        texts(&dana, ".timeline-list a").contains(&"Unicode".to_string()),
        "`Dana` is `dana`"
    );
    assert_eq!(texts(&dana, "h1"), ["Dana Boss manager"]);
}

#[test]
fn an_output_left_aside_by_a_killed_build_is_put_back() {
    let playbook = Playbook::fixture("basic");
    // A build killed between moving the old site aside and moving the new one in.
    let aside = ".public.playbook-tmp-4194304.old";
    playbook.write(&format!("{aside}/.playbook-output"), "mark");
    playbook.write(&format!("{aside}/index.html"), "the previous site");
    playbook.write("content/goals/broken.md", "---\ntitle: [\n---\n");
    let run = playbook.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(playbook.read("public/index.html"), "the previous site");
    assert!(!playbook.exists(aside));
}

#[test]
fn entries_show_their_backlinks_and_a_goal_its_achievements() {
    let playbook = Playbook::fixture("basic");
    playbook.build(&[]);
    let goal = Html::parse_document(&playbook.read("public/goals/ship-the-ledger/index.html"));
    assert_eq!(
        texts(&goal, "#named-by-heading"),
        ["Achievements toward this goal"]
    );
    let sections: Vec<String> = select(&goal, "section.related")
        .iter()
        .map(|s| s.text().collect::<String>())
        .collect();
    assert!(sections[0].contains("Ledger live"), "{sections:?}");
    assert!(
        !sections[0].contains("Ask before estimating"),
        "{sections:?}"
    );
    assert_eq!(texts(&goal, "#linked-from-heading"), ["Linked from"]);
    assert!(
        sections[1].contains("Ask before estimating"),
        "{sections:?}"
    );
    // The achievement links the goal in its panel, and is not its own backlink.
    let achievement =
        Html::parse_document(&playbook.read("public/achievements/ledger-live/index.html"));
    assert!(texts(&achievement, "#named-by-heading").is_empty());
}

#[test]
fn practices_have_an_index_and_a_page_each_with_their_entries_and_a_monthly_chart() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "content/conversations/thanked-the-team.md",
        "---\ntitle: Thanked the team\ndate: 2026-02-20\nwith: dana\npractices: [celebrate-and-support]\n---\nx\n",
    );
    playbook.build(&[]);
    let index = Html::parse_document(&playbook.read("public/practices/index.html"));
    let names = texts(&index, ".practice-list h2 a");
    assert_eq!(names.len(), 9);
    assert_eq!(names[0], "Learn their goals");
    let counts = texts(&index, ".practice-list h2");
    assert!(
        counts.contains(&"Celebrate and support 1".to_string()),
        "{counts:?}"
    );
    assert!(
        counts.contains(&"Communicate openly 2".to_string()),
        "{counts:?}"
    );
    assert!(counts.contains(&"Collaborate 0".to_string()), "{counts:?}");

    let page =
        Html::parse_document(&playbook.read("public/practices/celebrate-and-support/index.html"));
    assert_eq!(texts(&page, "h1"), ["Celebrate and support"]);
    assert_eq!(texts(&page, ".card-title"), ["Thanked the team"]);
    // One bar per month from January to April 2026; February holds the one entry.
    let bars = select(&page, ".chart rect");
    assert_eq!(bars.len(), 4);
    assert_eq!(bars[1].value().attr("height"), Some("100"));
    assert_eq!(bars[0].value().attr("height"), Some("0"));
    let empty = Html::parse_document(&playbook.read("public/practices/collaborate/index.html"));
    assert!(texts(&empty, ".empty")[0].contains("practices: [collaborate]"));
}

#[test]
fn the_dashboard_counts_from_today_practices_goals_actions_and_activity() {
    let playbook = Playbook::fixture("basic");
    playbook.build(&["--today", "2026-05-01"]);
    let html = Html::parse_document(&playbook.read("public/index.html"));
    let alive: Vec<String> = select(&html, ".practice-health li.alive a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(
        alive,
        ["Make yourself useful", "Own your work"],
        "45 days without an entry is stale"
    );
    let practices = texts(&html, ".practice-health li");
    let advice = practices
        .iter()
        .find(|p| p.starts_with("Ask for advice"))
        .unwrap();
    assert!(
        advice.contains("1 in 90 days"),
        "1 February is 89 days before 1 May: {advice}"
    );
    assert!(advice.contains("going stale"), "{advice}");
    let collaborate = practices
        .iter()
        .find(|p| p.starts_with("Collaborate"))
        .unwrap();
    // No kind feeds it and no entry shows it: the dashboard says how to record it.
    assert!(
        collaborate.contains("to record it, add practices: [collaborate] to an entry"),
        "{collaborate}"
    );
    assert!(!collaborate.contains("going stale"), "{collaborate}");

    assert_eq!(texts(&html, ".goal-list li a"), ["Ship the ledger"]);
    assert!(texts(&html, ".goal-list .due")[0].starts_with("due 30 June 2026"));
    assert_eq!(
        select(&html, ".goal-list progress")[0]
            .value()
            .attr("value"),
        Some("60")
    );
    assert_eq!(
        texts(&html, ".action-list .task"),
        ["Write design docs earlier"],
        "done actions are left out"
    );
    assert!(
        select(&html, ".action-list li.overdue").len() == 1,
        "follow-up 1 April is past"
    );

    let months: Vec<String> = select(&html, ".activity g title")
        .iter()
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(months.len(), 12);
    assert_eq!(months[11], "2026-05: 0 entries");
    assert_eq!(months[10], "2026-04: 2 entries");
    assert_eq!(months[7], "2026-01: 2 entries");

    // Later, the goal is overdue.
    playbook.build(&["--today", "2026-07-15"]);
    let later = Html::parse_document(&playbook.read("public/index.html"));
    assert!(texts(&later, ".goal-list .due")[0].starts_with("overdue since 30 June 2026"));
}

#[test]
fn the_prep_page_gathers_everything_since_the_last_conversation_with_the_boss() {
    let playbook = Playbook::fixture("basic");
    playbook.build(&["--today", "2026-05-01"]);
    let html = Html::parse_document(&playbook.read("public/prep/index.html"));
    assert_eq!(texts(&html, "h1"), ["Next 1:1 with Dana Boss"]);
    assert!(
        texts(&html, ".lede")[0]
            .starts_with("Since the last one, First one-on-one (5 January 2026)")
    );
    let sections: Vec<String> = select(&html, ".prep section")
        .iter()
        .map(|s| s.text().collect())
        .collect();
    assert!(
        sections[0].contains("Ledger live") && sections[0].contains("Joined the hiring loop"),
        "{}",
        sections[0]
    );
    assert!(
        sections[1].contains("Ask before estimating"),
        "applied advice: {}",
        sections[1]
    );
    assert!(
        sections[2].contains("Write design docs earlier"),
        "{}",
        sections[2]
    );
    assert!(
        sections[3].contains("No goal due soon"),
        "30 June is 60 days away: {}",
        sections[3]
    );
    assert!(sections[4].contains("Collaborate"), "{}", sections[4]);
    assert!(
        playbook
            .read("public/index.html")
            .contains("Prepare the next 1:1")
    );

    playbook.build(&["--today", "2026-06-10"]);
    let later = Html::parse_document(&playbook.read("public/prep/index.html"));
    let goals = texts(&later, ".prep section:nth-of-type(4) li");
    assert_eq!(goals, ["Ship the ledger 60%, due 30 June 2026"]);
}
