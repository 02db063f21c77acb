//! The system's git, for tests of git-hosted pages: bare repositories made by the test, and
//! what a branch holds, read back with `git ls-tree` and `git show`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `git <args…>` in `dir`, free of the machine's configuration, asserting success; its
/// standard output.
pub fn git(dir: &Path, args: &[&str]) -> Vec<u8> {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Someone")
        .env("GIT_AUTHOR_EMAIL", "someone@example.invalid")
        .env("GIT_COMMITTER_NAME", "Someone")
        .env("GIT_COMMITTER_EMAIL", "someone@example.invalid")
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// `git <args…>` in `dir`, as text, trimmed.
pub fn git_text(dir: &Path, args: &[&str]) -> String {
    String::from_utf8_lossy(&git(dir, args)).trim().to_string()
}

/// A new bare repository at `path`.
pub fn bare(path: &Path) {
    std::fs::create_dir_all(path).expect("create the repository's folder");
    git(path, &["init", "--quiet", "--bare"]);
}

/// Every file of `branch` in `repo` with its bytes: listed by `git ls-tree`, read by
/// `git show`.
pub fn branch_files(repo: &Path, branch: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let listed = git_text(repo, &["ls-tree", "-r", "--name-only", "-z", branch]);
    listed
        .split('\0')
        .filter(|path| !path.is_empty())
        .map(|path| {
            let bytes = git(repo, &["show", &format!("{branch}:{path}")]);
            (PathBuf::from(path), bytes)
        })
        .collect()
}

/// How many commits `branch` of `repo` has.
pub fn commit_count(repo: &Path, branch: &str) -> usize {
    git_text(repo, &["rev-list", "--count", branch])
        .parse()
        .expect("a count")
}
