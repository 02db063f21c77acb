//! `playbook init [DIR]`: a new playbook — configuration, one sample entry per kind — that
//! builds straight away with the embedded theme.

use std::path::{Path, PathBuf};

use time::Duration;

use crate::content::date::{iso_day, today};
use crate::error::{Diagnostic, Failure};

const CONFIG: &str = "\
# playbook.yaml: every key is optional.
title: My playbook
owner: Your Name
# The person id of your manager; entries name people by these ids.
boss: manager
people:
  manager: { name: My Manager, role: Engineering manager }
  peer: { name: A Peer, role: Engineer }
# output_dir: public
# stale_after_days: 45
# To keep the site private on any host (see the README, Publishing privately):
# encrypt: true                  # every page encrypted with a passphrase
# encrypt_remember: false        # true: the unlock form offers to remember the key
# publish:
#   target: me@host.example:/var/www/playbook   # or a folder
#   encrypt: required
";

/// (path, text) of each sample entry; `{dN}` is today minus N days, `{due}` today plus 90.
const SAMPLES: &[(&str, &str)] = &[
    (
        "content/goals/learn-what-my-manager-is-measured-on.md",
        "---\ntitle: Learn what my manager is measured on\ndate: {d30}\ntags: [onboarding]\n\
         owner: boss\nmetric: I can name her top three goals for the half\ntarget: Written down and confirmed with her\n\
         progress: 30\ndue: {due}\nstatus: active\n---\n\
         Her goals decide which of my work matters most to her. Ask in the next 1:1, write them down,\n\
         and check them against what I spend my weeks on.\n",
    ),
    (
        "content/conversations/first-one-on-one.md",
        "---\ntitle: First one-on-one\ndate: {d28}\ntags: [onboarding]\nwith: manager\n\
         topics: [How she likes updates, What she is measured on]\n\
         decisions: [Weekly 1:1, written update every Friday]\n---\n\
         She prefers short written updates to long meetings, and bad news early.\n",
    ),
    (
        "content/advice/ask-before-you-estimate.md",
        "---\ntitle: Ask what an estimate is for before giving one\ndate: {d21}\ntags: [planning]\n\
         from: manager\nasked: true\napplied: true\noutcome: My next estimate came with a range and she used it as is.\n\
         related: [conversations/first-one-on-one]\n---\n\
         I asked how to get better at estimates. Her advice: first ask what the number will be used for.\n",
    ),
    (
        "content/feedback/first-month-check-in.md",
        "---\ntitle: First-month check-in\ndate: {d14}\nfrom: manager\ntone: mixed\n\
         actions:\n  - { task: Share design notes before the review, done: true }\n  - { task: Say no to side requests, done: false }\n\
         follow_up: {d0}\n---\n\
         Good pace and clear updates; I should show my thinking earlier, not only the result.\n",
    ),
    (
        "content/loyalty/backed-the-release-freeze.md",
        "---\ntitle: Backed the release freeze in the team meeting\ndate: {d10}\nwith: manager\n\
         situation: The team pushed back on a freeze she had agreed with her own manager.\nreciprocated: false\n---\n\
         I explained why the freeze made sense for the quarter before she had to.\n",
    ),
    (
        "content/achievements/cut-build-time-in-half.md",
        "---\ntitle: Cut the build time in half\ndate: {d7}\ntags: [reliability]\n\
         impact: Every engineer gets feedback twice as fast.\n\
         metrics:\n  - { name: CI build, before: 18 min, after: 9 min }\nrecognized_by: manager\n\
         goal: goals/learn-what-my-manager-is-measured-on\n---\n\
         Faster builds were on her list for the half; I took it on after the first one-on-one.\n",
    ),
    (
        "content/contributions/volunteered-for-on-call-docs.md",
        "---\ntitle: Volunteered to rewrite the on-call docs\ndate: {d3}\ntype: assignment\nstatus: doing\n\
         skills: [writing, operations]\npeople: [peer]\n---\n\
         Nobody owned the on-call runbook; I offered to rewrite it with a peer.\n",
    ),
];

/// What `init` made.
pub struct InitReport {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
}

/// Scaffolds a playbook in `dir`, which must be missing or empty (hidden files such as `.git`
/// are allowed).
pub fn init(dir: &Path) -> Result<InitReport, Failure> {
    if dir.exists() {
        let items =
            std::fs::read_dir(dir).map_err(|err| Diagnostic::io(dir, "read folder", &err))?;
        let visible: Vec<String> = items
            .flatten()
            .map(|item| item.file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with('.'))
            .collect();
        if !visible.is_empty() {
            return Err(Diagnostic::error(
                dir,
                format!(
                    "refusing to create a playbook here: the folder is not empty ({}); choose an empty or new folder",
                    visible.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
                ),
            )
            .into());
        }
    }
    let today = today();
    // Dates at the very end of the calendar (a far-future SOURCE_DATE_EPOCH) stay as they are.
    let day = |offset: i64| iso_day(today.checked_add(Duration::days(offset)).unwrap_or(today));
    let mut files = Vec::new();
    let mut write = |rel: &str, text: &str| -> Result<(), Diagnostic> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|err| Diagnostic::io(parent, "create folder", &err))?;
        }
        std::fs::write(&path, text).map_err(|err| Diagnostic::io(&path, "write", &err))?;
        files.push(PathBuf::from(rel));
        Ok(())
    };
    write("playbook.yaml", CONFIG)?;
    // A `.gitignore` the folder already has is kept; `/public` is added to it if missing.
    let gitignore = dir.join(".gitignore");
    match std::fs::read_to_string(&gitignore) {
        Ok(text) if text.lines().any(|line| line.trim() == "/public") => {}
        Ok(text) => {
            let separator = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            write(".gitignore", &format!("{text}{separator}/public\n"))?;
        }
        Err(_) => write(".gitignore", "/public\n")?,
    }
    for (rel, template) in SAMPLES {
        let mut text = template.replace("{due}", &day(90));
        for offset in [0, 3, 7, 10, 14, 21, 28, 30] {
            text = text.replace(&format!("{{d{offset}}}"), &day(-offset));
        }
        write(rel, &text)?;
    }
    Ok(InitReport {
        dir: dir.to_path_buf(),
        files,
    })
}
