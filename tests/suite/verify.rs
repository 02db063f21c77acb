//! `playbook verify`: a faithful copy passes; a changed file (a host's own `unlock.js`), a
//! missing one and an extra one are each named — in a folder, on a git branch (a bare
//! repository made by the test) and over HTTP (a static host on 127.0.0.1).

use crate::common;

use std::path::Path;

use common::static_host::StaticHost;
use common::{Playbook, Run, copy_tree};

const PASSPHRASE: (&str, &str) = ("PLAYBOOK_PASSPHRASE", "a long passphrase for tests");

/// The `basic` playbook, built encrypted into `public/`.
fn encrypted_build() -> Playbook {
    let playbook = Playbook::fixture("basic");
    let config = playbook.read("playbook.yaml");
    playbook.write("playbook.yaml", format!("encrypt: true\n{config}"));
    let run = playbook.run_with_env(&["build"], &[PASSPHRASE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(playbook.exists("public/unlock.js"));
    playbook
}

fn verify(playbook: &Playbook, args: &[&str]) -> Run {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    playbook.run(&all)
}

/// How many files the output has (its mark left out).
fn output_files(playbook: &Playbook) -> usize {
    common::snapshot(&playbook.path().join("public")).len() - 1
}

fn assert_verified(run: &Run, playbook: &Playbook, target: &str) {
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let first = run.stdout.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!("verified: {} files match {target}", output_files(playbook))
    );
}

/// The host's own `unlock.js`, as a host that wanted the passphrase would serve.
const SWAPPED: &str = "/* sends the passphrase elsewhere */";

#[test]
fn verify_names_changed_missing_and_extra_files_in_a_folder() {
    let playbook = encrypted_build();
    let host = tempfile::tempdir().unwrap();
    let site = host.path().join("site");
    copy_tree(&playbook.path().join("public"), &site);
    let target = site.to_str().unwrap();
    assert_verified(&verify(&playbook, &[target]), &playbook, target);
    // --output names the folder to compare with: here the other way round.
    let public = playbook.path().join("public");
    let public = public.to_str().unwrap();
    let run = verify(&playbook, &["--output", target, public]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("verified: "), "{}", run.stdout);

    std::fs::write(site.join("unlock.js"), SWAPPED).unwrap();
    std::fs::remove_file(site.join("404.html")).unwrap();
    std::fs::write(site.join("y.html"), "<p>extra</p>").unwrap();
    let run = verify(&playbook, &[target]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        [
            "changed: unlock.js",
            "missing: 404.html",
            "extra: y.html",
            &format!("does not match: 1 changed, 1 missing, 1 extra → {target}"),
        ]
    );
}

#[test]
fn verify_reads_the_git_branch_publish_wrote() {
    use common::git::git;
    let playbook = Playbook::fixture("basic");
    let repo = playbook.path().join("site.git");
    common::git::bare(&repo);
    let config = playbook.read("playbook.yaml");
    playbook.write(
        "playbook.yaml",
        format!("encrypt: true\n{config}\npublish:\n  target: \"git:site.git#gh-pages\"\n"),
    );
    let run = playbook.run_with_env(&["publish"], &[PASSPHRASE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // No TARGET: publish.target.
    assert_verified(&verify(&playbook, &[]), &playbook, "git:site.git#gh-pages");

    // The host's copy of the branch, changed by hand and pushed over it.
    let work = tempfile::tempdir().unwrap();
    let repo_path = repo.to_str().unwrap();
    git(
        work.path(),
        &["clone", "--quiet", "--branch", "gh-pages", repo_path, "."],
    );
    std::fs::write(work.path().join("unlock.js"), SWAPPED).unwrap();
    std::fs::write(work.path().join("y.html"), "<p>extra</p>").unwrap();
    git(work.path(), &["rm", "--quiet", "404.html"]);
    git(work.path(), &["add", "--all"]);
    git(work.path(), &["commit", "--quiet", "-m", "swap"]);
    git(work.path(), &["push", "--quiet", "origin", "gh-pages"]);

    let run = verify(&playbook, &[]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    for line in ["changed: unlock.js", "missing: 404.html", "extra: y.html"] {
        assert!(run.stdout.lines().any(|l| l == line), "{}", run.stdout);
    }

    // A branch that is not there, a repository that is not there: errors naming the target.
    let run = verify(&playbook, &[&format!("git:{repo_path}#nothing-here")]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("the repository has no branch nothing-here"),
        "{}",
        run.stderr
    );
    let missing = playbook.path().join("no-such.git");
    let target = format!("git:{}#gh-pages", missing.display());
    let run = verify(&playbook, &[&target]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains(&format!(
            "error: {target}: git could not read the repository"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn verify_over_http_names_changed_and_missing_files() {
    let playbook = encrypted_build();
    let host_dir = tempfile::tempdir().unwrap();
    copy_tree(&playbook.path().join("public"), host_dir.path());
    let host = StaticHost::start(host_dir.path(), "/private/playbook/");
    let run = verify(&playbook, &[&host.base]);
    assert_verified(&run, &playbook, &host.base);
    assert!(
        run.stdout
            .contains("note: over HTTP(S), files on the host that the output lacks cannot be seen"),
        "{}",
        run.stdout
    );

    std::fs::write(host_dir.path().join("unlock.js"), SWAPPED).unwrap();
    let page = first_page(host_dir.path());
    std::fs::remove_file(host_dir.path().join(&page)).unwrap();
    let run = verify(&playbook, &[&host.base]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("changed: unlock.js\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!("missing: {page}\n")),
        "{}",
        run.stdout
    );
    // A host file far longer than the output's copy is told as changed (read no further than
    // one byte past the copy's length).
    std::fs::write(host_dir.path().join("unlock.js"), vec![b'x'; 4 << 20]).unwrap();
    let run = verify(&playbook, &[&host.base]);
    assert_eq!(run.code, 3);
    assert!(
        run.stdout.contains("changed: unlock.js\n"),
        "{}",
        run.stdout
    );
}

/// A page of the site under a hashed name (not index.html or 404.html).
fn first_page(dir: &Path) -> String {
    common::html_files(dir)
        .into_iter()
        .map(|path| path.to_string_lossy().into_owned())
        .find(|name| name != "index.html" && name != "404.html")
        .expect("a page")
}

#[test]
fn verify_without_an_output_or_a_target_says_what_is_missing() {
    let playbook = Playbook::fixture("basic");
    let run = verify(&playbook, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("nothing to verify: give a TARGET"),
        "{}",
        run.stderr
    );
    let run = verify(&playbook, &["/nonexistent/site"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("there is no output folder to compare with"),
        "{}",
        run.stderr
    );
    playbook.build(&[]);
    let run = verify(&playbook, &["me@127.0.0.1:/srv/site"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("verify cannot read `me@127.0.0.1:/srv/site`"),
        "{}",
        run.stderr
    );
}
