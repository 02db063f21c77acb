//! An incremental update gives the site a full build gives: random edits, additions, removals
//! and renames of a small playbook, each checked page by page against a new session's build;
//! in two steps too, with the second one sometimes left for the next update to catch up.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::{Change, Session, Site};
use crate::testing::Random;

const FOLDERS: &[&str] = &["goals", "achievements", "conversations", "advice"];

/// An entry file of `folder` with random front matter: a goal's status and progress, an
/// achievement's goal and impact, people, tags, practices, dates and related entries among
/// `keys`.
fn entry_text(random: &mut Random, folder: &str, keys: &[String], goals: &[String]) -> String {
    let people = ["dana", "Dana", "lee", "priya"];
    let tags = ["ledger", "Ledger", "hiring", "q3"];
    let mut front = format!(
        "title: {}\ndate: 202{}-0{}-1{}\ntags: [{}]\npeople: [{}]\n",
        random.pick(&["Talk", "Plan", "Ship it", "Retro"]),
        5 + random.below(2),
        1 + random.below(9),
        random.below(3),
        random.pick(&tags),
        random.pick(&people),
    );
    // A practice that puts any entry among a packet's loyalty and support.
    front.push_str(random.pick(&["", "", "practices: [celebrate-and-support]\n"]));
    // The ladder's competencies, which packets and the ladder page group by.
    front.push_str(random.pick(&[
        "",
        "competencies: [delivery]\n",
        "competencies: [craft, delivery]\n",
    ]));
    match folder {
        "goals" => front.push_str(&format!(
            "status: {}\nprogress: {}\ndue: 2026-0{}-01\n",
            random.pick(&["active", "met", "dropped"]),
            random.below(101),
            1 + random.below(9)
        )),
        "achievements" if !goals.is_empty() => front.push_str(&format!(
            "goal: {}\nimpact: {}\n",
            goals[random.below(goals.len())],
            random.pick(&["Saved a week", "Fewer pages"])
        )),
        "advice" => front.push_str(&format!(
            "from: {}\napplied: {}\n",
            random.pick(&people),
            random.pick(&["true", "false"])
        )),
        _ => {}
    }
    if random.below(3) == 0 && !keys.is_empty() {
        front.push_str(&format!("related: [{}]\n", keys[random.below(keys.len())]));
    }
    let body = random.pick(&["We talked.", "A plan.\n\nWith *two* paragraphs."]);
    format!("---\n{front}---\n{body} {}\n", random.below(5))
}

/// The playbook's entry files as (relative path, key), in a stable order.
fn entry_files(root: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for folder in FOLDERS {
        let Ok(read) = std::fs::read_dir(root.join("content").join(folder)) else {
            continue;
        };
        for item in read.flatten() {
            let name = item.file_name().to_string_lossy().into_owned();
            if let Some(slug) = name.strip_suffix(".md") {
                files.push((
                    PathBuf::from(format!("content/{folder}/{name}")),
                    format!("{folder}/{slug}"),
                ));
            }
        }
    }
    files.sort();
    files
}

fn full_build(root: &Path) -> Site {
    let mut session = Session::new(root);
    let update = session.update(&BTreeSet::from([Change::Everything]));
    let update = update.unwrap_or_else(|failure| panic!("a full build: {failure:?}"));
    (*update.site).clone()
}

fn assert_same_site(got: &Site, want: &Site, case: &str) {
    let paths = |site: &Site| site.pages.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(paths(got), paths(want), "{case}: the same files");
    for (path, bytes) in &want.pages {
        assert!(got.pages[path] == *bytes, "{case}: {path} differs");
    }
}

/// One random change to the playbook: mostly edits of one or two entries, sometimes an entry
/// added, removed or renamed. Returns the changes serve's watcher would report.
fn random_change(random: &mut Random, root: &Path) -> BTreeSet<Change> {
    let files = entry_files(root);
    let keys: Vec<String> = files.iter().map(|(_, key)| key.clone()).collect();
    let goals: Vec<String> = keys
        .iter()
        .filter(|k| k.starts_with("goals/"))
        .cloned()
        .collect();
    let mut changes = BTreeSet::new();
    match random.below(10) {
        0 => {
            let folder = random.pick(FOLDERS);
            let rel = PathBuf::from(format!("content/{folder}/new-{}.md", random.below(1000)));
            std::fs::write(root.join(&rel), entry_text(random, folder, &keys, &goals))
                .expect("write");
            changes.insert(Change::Entry(rel));
        }
        1 if files.len() > 4 => {
            // Only entries nothing refers to can go without breaking the build.
            let (rel, key) = &files[random.below(files.len())];
            let named = files.iter().any(|(other, _)| {
                other != rel
                    && std::fs::read_to_string(root.join(other))
                        .is_ok_and(|text| text.contains(key.as_str()))
            });
            if !named {
                std::fs::remove_file(root.join(rel)).expect("remove");
                changes.insert(Change::Entry(rel.clone()));
            }
        }
        2 => {
            let (rel, key) = &files[random.below(files.len())];
            let renamed = rel.with_file_name(format!("renamed-{}.md", random.below(1000)));
            let named = files.iter().any(|(other, _)| {
                std::fs::read_to_string(root.join(other))
                    .is_ok_and(|text| text.contains(key.as_str()))
            });
            if !named {
                std::fs::rename(root.join(rel), root.join(&renamed)).expect("rename");
                changes.insert(Change::Content);
            }
        }
        _ => {
            for _ in 0..1 + random.below(2) {
                let (rel, key) = &files[random.below(files.len())];
                let folder = key.split('/').next().unwrap_or("goals");
                // An entry names neither itself nor, as a goal, a goal that may go away.
                let others: Vec<String> = keys.iter().filter(|k| *k != key).cloned().collect();
                let text = entry_text(random, folder, &others, &goals);
                std::fs::write(root.join(rel), text).expect("write");
                changes.insert(Change::Entry(rel.clone()));
            }
        }
    }
    changes
}

/// A small playbook of random entries in a temp dir, seeded by `seed`.
fn random_playbook(seed: u64) -> (tempfile::TempDir, Random) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let mut random = Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    for folder in FOLDERS {
        std::fs::create_dir_all(root.join("content").join(folder)).expect("folder");
    }
    let ladder = "ladder:\n  - { id: delivery, name: Delivery }\n  - { id: craft, name: Craft }\n";
    std::fs::write(root.join("playbook.yaml"), ladder).expect("write the config");
    let mut keys: Vec<String> = Vec::new();
    for i in 0..16 {
        let folder = FOLDERS[i % FOLDERS.len()];
        let goals: Vec<String> = keys
            .iter()
            .filter(|k| k.starts_with("goals/"))
            .cloned()
            .collect();
        let text = entry_text(&mut random, folder, &keys, &goals);
        std::fs::write(root.join(format!("content/{folder}/e{i}.md")), text).expect("write");
        keys.push(format!("{folder}/e{i}"));
    }
    (dir, random)
}

/// Builds the random playbook of `seed` in `session`, then makes 25 random changes to it and
/// hands each to `apply` with the session, the generator and a name for the case.
fn each_random_change(
    seed: u64,
    session: fn(&Path) -> Session,
    mut apply: impl FnMut(&mut Session, &BTreeSet<Change>, &mut Random, &Path, &str),
) {
    let (dir, mut random) = random_playbook(seed);
    let root = dir.path();
    let mut session = session(root);
    session
        .update(&BTreeSet::from([Change::Everything]))
        .expect("the first build");
    for step in 0..25 {
        let changes = random_change(&mut random, root);
        if !changes.is_empty() {
            let case = format!("seed {seed}, step {step}, {changes:?}");
            apply(&mut session, &changes, &mut random, root, &case);
        }
    }
}

#[test]
fn incremental_updates_give_the_full_builds_site() {
    for seed in 1..=6u64 {
        each_random_change(seed, Session::new, |session, changes, _, root, case| {
            let update = session.update(changes);
            let update = update.unwrap_or_else(|failure| panic!("{case}: {failure:?}"));
            assert_same_site(&update.site, &full_build(root), case);
        });
    }
}

#[test]
fn updates_in_two_steps_give_the_full_builds_site_once_finished() {
    let open = HashSet::from(["timeline/index.html".to_string()]);
    let mut split = 0;
    // Pages of more than 3 entries are big: most lists of 16 entries.
    let session = |root: &Path| Session::new(root).with_cheap_page_entries(3);
    for seed in 11..=16u64 {
        each_random_change(seed, session, |session, changes, random, root, case| {
            let update = session.update_in_steps(changes, &open);
            let update = update.unwrap_or_else(|failure| panic!("{case}: {failure:?}"));
            let full = full_build(root);
            // The first step: the pages open in a tab are up to date already.
            let timeline = "timeline/index.html";
            assert!(
                update.site.pages[timeline] == full.pages[timeline],
                "{case}"
            );
            let site = match update.deferred {
                0 => update.site,
                // Sometimes the next edit comes before the second step: its update catches up.
                _ if random.below(3) == 0 => return,
                _ => {
                    split += 1;
                    let finished = session.finish(&|| false);
                    finished
                        .unwrap_or_else(|failure| panic!("{case}: {failure:?}"))
                        .site
                }
            };
            assert_same_site(&site, &full, case);
        });
    }
    assert!(split > 10, "two steps were tried: {split}");
}

#[test]
fn an_interrupted_second_step_keeps_what_it_rendered_and_the_next_update_the_rest() {
    let mut interrupted_once = false;
    let session = |root: &Path| Session::new(root).with_cheap_page_entries(3);
    for seed in 21..=24u64 {
        each_random_change(seed, session, |session, changes, _, root, case| {
            let update = session.update_in_steps(changes, &HashSet::new());
            let update = update.unwrap_or_else(|failure| panic!("{case}: {failure:?}"));
            if update.deferred < 2 {
                return;
            }
            // Interrupted after its first page: the others stay stale.
            let started = AtomicBool::new(false);
            let finished = session.finish(&|| started.swap(true, Ordering::Relaxed));
            let finished = finished.unwrap_or_else(|failure| panic!("{case}: {failure:?}"));
            assert_eq!(finished.deferred, update.deferred - 1, "{case}");
            interrupted_once = true;
            // The next update, with nothing changed, renders them.
            let caught_up = session.update(&BTreeSet::new());
            let caught_up = caught_up.unwrap_or_else(|failure| panic!("{case}: {failure:?}"));
            assert_same_site(&caught_up.site, &full_build(root), case);
        });
    }
    assert!(interrupted_once, "a second step was interrupted");
}
