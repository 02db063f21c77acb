//! `playbook publish`: to a folder, to an rsync destination over SSH (a throwaway OpenSSH
//! server on 127.0.0.1) and to a git branch (a bare repository made by the test), what it adds,
//! changes and removes, `--dry-run`, and its refusals.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::sshd::Sshd;
use common::{Playbook, Run, snapshot};

const ADVICE: &str = "content/advice/ask-before-estimating.md";

fn with_publish(playbook: &Playbook, settings: &str) {
    let config = playbook.read("playbook.yaml");
    playbook.write("playbook.yaml", format!("{config}\npublish:\n{settings}"));
}

fn publish(playbook: &Playbook, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all = vec!["publish"];
    all.extend_from_slice(args);
    playbook.run_with_env(&all, env)
}

/// A site's files without playbook's own marks.
fn site_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = snapshot(dir);
    files.remove(Path::new(".playbook-output"));
    files.remove(Path::new(".playbook-published"));
    files
}

/// Three edits: a body changed below its summary, an entry removed, an entry added.
/// The `basic` playbook, publishing to `site` in a temporary folder (kept while `target` lives).
fn publishing_to_a_folder() -> (Playbook, tempfile::TempDir, PathBuf) {
    let playbook = Playbook::fixture("basic");
    let target = tempfile::tempdir().unwrap();
    let site = target.path().join("site");
    with_publish(&playbook, &format!("  target: {}\n", site.display()));
    (playbook, target, site)
}

/// The files a publish run says it added, changed and removed: its output after the summary.
fn listed(run: &Run) -> Vec<String> {
    run.stdout.lines().skip(1).map(str::to_string).collect()
}

fn edit(playbook: &Playbook) {
    let text = playbook.read(ADVICE);
    playbook.write(
        ADVICE,
        text.replace("A claim with a source.", "A claim with its source."),
    );
    playbook.remove("content/loyalty/covered-the-review.md");
    playbook.write(
        "content/advice/new-one.md",
        "---\ntitle: New one\ndate: 2026-03-01\nfrom: dana\n---\nNew.\n",
    );
}

/// The lines publish prints for what changed.
fn assert_edits_reported(run: &Run) {
    for line in [
        "  + advice/new-one/index.html",
        "  ~ advice/ask-before-estimating/index.html",
        "  ~ search-index.js",
        "  - loyalty/covered-the-review/index.html",
    ] {
        assert!(
            run.stdout.lines().any(|l| l == line),
            "no {line:?} in\n{}",
            run.stdout
        );
    }
    assert!(
        !run.stdout.contains("  ~ style.css"),
        "unchanged files are not sent:\n{}",
        run.stdout
    );
}

/// The first publish sends everything; after three edits, `--dry-run` lists them and changes
/// nothing; the next publish sends just them; the target then equals the output.
fn publish_edit_publish(playbook: &Playbook, site: &Path, env: &[(&str, &str)]) {
    let run = publish(playbook, &[], env);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("published: "), "{}", run.stdout);
    assert!(
        run.stdout.contains(" added, 0 changed, 0 removed → "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  + advice/ask-before-estimating/index.html\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        site_files(site),
        site_files(&playbook.path().join("public"))
    );
    assert!(site.join(".playbook-published").is_file());
    assert!(!site.join(".playbook-output").exists());

    edit(playbook);
    let before = snapshot(site);
    let dry = publish(playbook, &["--dry-run"], env);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.starts_with("would publish: 1 added, "),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("(dry run: nothing sent)"),
        "{}",
        dry.stdout
    );
    assert_edits_reported(&dry);
    assert_eq!(snapshot(site), before, "--dry-run changed the target");

    let run = publish(playbook, &[], env);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_edits_reported(&run);
    assert_eq!(
        listed(&run),
        listed(&dry),
        "the dry run told what the publish did"
    );
    assert_eq!(
        site_files(site),
        site_files(&playbook.path().join("public"))
    );
    assert!(
        !site.join("loyalty/covered-the-review").exists(),
        "emptied folders go"
    );

    let again = publish(playbook, &[], env);
    assert!(
        again
            .stdout
            .starts_with("published: 0 added, 0 changed, 0 removed"),
        "{}",
        again.stdout
    );
}

#[test]
fn publish_to_a_folder_adds_changes_and_removes_the_right_files() {
    let (playbook, _target, site) = publishing_to_a_folder();
    publish_edit_publish(&playbook, &site, &[]);
}

#[test]
fn publish_refuses_a_failed_build_and_sends_nothing() {
    let (playbook, _target, site) = publishing_to_a_folder();
    playbook.write(
        "content/goals/bad.md",
        "---\ntitle: x\ndate: 2026-01-01\nprogress: 200\n---\n",
    );
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: content/goals/bad.md:4:11: `progress`"),
        "{}",
        run.stderr
    );
    assert!(!site.exists());
}

#[test]
fn an_unencrypted_build_is_refused_where_encryption_is_required() {
    let playbook = Playbook::fixture("basic");
    let target = tempfile::tempdir().unwrap();
    let site = target.path().join("site");
    with_publish(
        &playbook,
        &format!("  target: {}\n  encrypt: required\n", site.display()),
    );
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: playbook.yaml:10:12: refusing to publish an unencrypted build to"),
        "{}",
        run.stderr
    );
    assert!(!site.exists() && !playbook.exists("public"));

    // Encrypted, it goes.
    let config = playbook.read("playbook.yaml");
    playbook.write("playbook.yaml", format!("encrypt: true\n{config}"));
    let run = publish(
        &playbook,
        &[],
        &[("PLAYBOOK_PASSPHRASE", "a long passphrase for tests")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::read_to_string(site.join("index.html"))
            .unwrap()
            .contains("id=\"sealed\"")
    );
    assert!(site.join("unlock.js").is_file());
}

#[test]
fn a_target_holding_files_playbook_did_not_put_there_is_refused_unless_forced() {
    let playbook = Playbook::fixture("basic");
    let target = tempfile::tempdir().unwrap();
    let site = target.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("notes.txt"), "mine").unwrap();
    with_publish(&playbook, &format!("  target: {}\n", site.display()));
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("refusing to publish here: the target holds files playbook did not put there (notes.txt)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.join("notes.txt")).unwrap(),
        "mine"
    );

    assert!(
        run.stderr
            .contains("or pass --force to delete them and publish"),
        "{}",
        run.stderr
    );
    let run = publish(&playbook, &["--force"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("  - notes.txt\n"), "{}", run.stdout);
    assert!(!site.join("notes.txt").exists());
}

/// A publish killed while copying leaves `.name.playbook-tmp` copies beside the files; the
/// next publish clears them away without listing them and succeeds the first time.
#[test]
fn publish_after_an_interrupted_publish_succeeds_the_first_time() {
    let (playbook, target, site) = publishing_to_a_folder();
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // What a kill leaves: a copy of a file this publish sends again, one of a file that is
    // gone, and a half-written list.
    let leftovers = [
        "advice/ask-before-estimating/.index.html.playbook-tmp",
        "loyalty/covered-the-review/.index.html.playbook-tmp",
        ".search-index.js.playbook-tmp",
        "..playbook-published.playbook-tmp",
    ];
    for leftover in leftovers {
        std::fs::write(site.join(leftover), "half a fi").unwrap();
    }
    edit(&playbook);
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("playbook-tmp"), "{}", run.stdout);
    assert_edits_reported(&run);
    for leftover in leftovers {
        assert!(!site.join(leftover).exists(), "{leftover} is left");
    }
    assert_eq!(
        site_files(&site),
        site_files(&playbook.path().join("public"))
    );

    // A first publish killed while writing its list leaves only the list's copy.
    let fresh = target.path().join("fresh");
    std::fs::create_dir(&fresh).unwrap();
    std::fs::write(fresh.join("..playbook-published.playbook-tmp"), "# Publ").unwrap();
    let config = playbook.read("playbook.yaml");
    playbook.write(
        "playbook.yaml",
        config.replace(&site.display().to_string(), &fresh.display().to_string()),
    );
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!fresh.join("..playbook-published.playbook-tmp").exists());
}

#[test]
fn publish_over_rsync_and_ssh_adds_changes_and_removes_the_right_files() {
    let sshd = Sshd::start();
    let remote = tempfile::tempdir().unwrap();
    let site = remote.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    let playbook = Playbook::fixture("basic");
    with_publish(
        &playbook,
        &format!("  target: \"{}\"\n", sshd.destination(&site)),
    );
    let rsh = sshd.rsync_rsh();
    let env = [("RSYNC_RSH", rsh.as_str())];

    publish_edit_publish(&playbook, &site, &env);

    // Someone else's file on the host is not deleted without --force.
    std::fs::write(site.join("notes.txt"), "mine").unwrap();
    let run = publish(&playbook, &[], &env);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("(notes.txt)"), "{}", run.stderr);
    assert!(site.join("notes.txt").exists());
}

#[test]
fn basic_auth_writes_host_rules_only_when_asked() {
    let (playbook, _target, site) = publishing_to_a_folder();
    assert_eq!(publish(&playbook, &[], &[]).code, 0);
    assert!(!site.join(".htaccess").exists() && !site.join("_headers").exists());

    let playbook = Playbook::fixture("basic");
    with_publish(
        &playbook,
        &format!(
            "  target: {}\n  auth: basic\n  user: maya\n",
            site.display()
        ),
    );
    let env = [("PLAYBOOK_AUTH_PASSWORD", "open-sesame")];
    let run = publish(&playbook, &["--force"], &env);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let htpasswd = std::fs::read_to_string(site.join(".htpasswd")).unwrap();
    let hash = htpasswd
        .trim()
        .strip_prefix("maya:")
        .expect("a line for maya");
    assert!(bcrypt::verify("open-sesame", hash).unwrap());
    let htaccess = std::fs::read_to_string(site.join(".htaccess")).unwrap();
    let canonical = site.canonicalize().unwrap();
    assert!(
        htaccess.contains(&format!(
            "AuthUserFile \"{}/.htpasswd\"",
            canonical.display()
        )),
        "{htaccess}"
    );
    assert!(htaccess.contains("Require valid-user"));
    let headers = std::fs::read_to_string(site.join("_headers")).unwrap();
    assert!(
        headers.contains("/*\n  Basic-Auth: maya:open-sesame\n"),
        "{headers}"
    );

    // The same password keeps the same .htpasswd, so it is not sent again.
    let run = publish(&playbook, &[], &env);
    assert!(!run.stdout.contains(".htpasswd"), "{}", run.stdout);
}

#[test]
fn a_target_that_holds_the_playbook_is_refused_even_with_force() {
    let playbook = Playbook::fixture("basic");
    for target in [
        playbook.path().display().to_string(),
        "..".to_string(),
        "content/x".to_string(),
    ] {
        let config = playbook.read("playbook.yaml");
        let config = config.split("\npublish:").next().unwrap().to_string();
        playbook.write(
            "playbook.yaml",
            format!("{config}\npublish:\n  target: \"{target}\"\n"),
        );
        let run = publish(&playbook, &["--force"], &[]);
        assert_eq!(run.code, 1, "{target}: {}", run.stdout);
        assert!(
            run.stderr.contains("refusing to publish here: "),
            "{}",
            run.stderr
        );
        assert!(playbook.exists("content/advice/ask-before-estimating.md"));
    }
}

#[test]
fn an_unencrypted_build_does_not_replace_an_encrypted_site_unless_forced() {
    let (playbook, _target, site) = publishing_to_a_folder();
    let config = playbook.read("playbook.yaml");
    playbook.write("playbook.yaml", format!("encrypt: true\n{config}"));
    let env = [("PLAYBOOK_PASSPHRASE", "a long passphrase for tests")];
    assert_eq!(publish(&playbook, &[], &env).code, 0);

    // Encryption switched off: the encrypted output folder stops the build first, with advice
    // that names no flag publish lacks.
    playbook.write("playbook.yaml", &config);
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("set `encrypt: true` in playbook.yaml to keep it encrypted"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("build with --encrypt"),
        "{}",
        run.stderr
    );
    // The output folder removed, the build goes through.
    std::fs::remove_dir_all(playbook.path().join("public")).unwrap();
    let before = snapshot(&site);
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("the target holds an encrypted site and this build is not encrypted; set `encrypt: true`, or pass --force to delete it and publish"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&site), before);
    let run = publish(&playbook, &["--force"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.join("unlock.js").exists());
}

#[test]
fn basic_auth_refuses_what_it_cannot_write_correctly() {
    let playbook = Playbook::fixture("basic");
    // An rsync target with a relative path does not tell where .htpasswd is on the server.
    with_publish(&playbook, "  target: me@127.0.0.1:site\n  auth: basic\n");
    let run = publish(&playbook, &[], &[("PLAYBOOK_AUTH_PASSWORD", "sesame")]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("publish.auth: basic needs publish.auth_file"),
        "{}",
        run.stderr
    );

    let target = tempfile::tempdir().unwrap();
    let playbook = Playbook::fixture("basic");
    with_publish(
        &playbook,
        &format!(
            "  target: {}\n  auth: basic\n",
            target.path().join("site").display()
        ),
    );
    let run = publish(&playbook, &[], &[("PLAYBOOK_AUTH_PASSWORD", "open sesame")]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot hold spaces"), "{}", run.stderr);
}

#[test]
fn a_dry_run_with_basic_auth_changes_neither_the_output_nor_the_target() {
    let playbook = Playbook::fixture("basic");
    let target = tempfile::tempdir().unwrap();
    let site = target.path().join("site");
    with_publish(
        &playbook,
        &format!("  target: {}\n  auth: basic\n", site.display()),
    );
    let env = [("PLAYBOOK_AUTH_PASSWORD", "open-sesame")];
    let run = publish(&playbook, &[], &env);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The host rules are output files like the pages: in the output's manifest.
    let manifest = playbook.read("public/.playbook-output");
    for name in [".htaccess", ".htpasswd", "_headers"] {
        assert!(
            manifest
                .lines()
                .any(|line| line.ends_with(&format!(" {name}"))),
            "{name} not in the manifest:\n{manifest}"
        );
    }

    edit(&playbook);
    let (output, published) = (snapshot(&playbook.path().join("public")), snapshot(&site));
    let run = publish(&playbook, &["--dry-run"], &env);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_edits_reported(&run);
    assert!(
        snapshot(&playbook.path().join("public")) == output,
        "the dry run changed the output folder"
    );
    assert!(
        snapshot(&site) == published,
        "the dry run changed the target"
    );
    let beside: Vec<_> = std::fs::read_dir(playbook.path())
        .unwrap()
        .flatten()
        .map(|item| item.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("playbook-tmp"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

/// A dry run builds in memory: it writes nothing, not even the clean-up of a killed build's
/// leftover beside the output, which any real build removes.
#[test]
fn a_dry_run_writes_nothing_anywhere() {
    let (playbook, _target, site) = publishing_to_a_folder();
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    edit(&playbook);
    let leftover = playbook.path().join(".public.playbook-tmp-999999");
    std::fs::create_dir(&leftover).unwrap();
    let (before, published) = (snapshot(playbook.path()), snapshot(&site));
    let names = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|item| item.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let folders = names(playbook.path());

    let dry = publish(&playbook, &["--dry-run"], &[]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_edits_reported(&dry);
    assert!(
        leftover.is_dir(),
        "the dry run cleaned up beside the output"
    );
    assert_eq!(
        names(playbook.path()),
        folders,
        "the dry run wrote beside the output"
    );
    assert!(
        snapshot(playbook.path()) == before,
        "the dry run changed the playbook"
    );
    assert!(
        snapshot(&site) == published,
        "the dry run changed the target"
    );

    // A real publish sends what the dry run told, and clears the leftover as builds do.
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(listed(&run), listed(&dry));
    assert!(!leftover.exists(), "a real build leaves the leftover");
}

/// The `basic` playbook publishing to branch `gh-pages` of a bare repository in its own folder,
/// named relative to the playbook (`git:site.git#gh-pages`).
fn publishing_to_git() -> (Playbook, PathBuf) {
    let playbook = Playbook::fixture("basic");
    let repo = playbook.path().join("site.git");
    common::git::bare(&repo);
    with_publish(&playbook, "  target: \"git:site.git#gh-pages\"\n");
    (playbook, repo)
}

/// The branch holds one commit, made by playbook, whose tree is the output, byte for byte.
fn assert_branch_is_the_output(playbook: &Playbook, repo: &Path) {
    use common::git::{branch_files, commit_count, git_text};
    assert_eq!(commit_count(repo, "gh-pages"), 1, "older commits are kept");
    assert_eq!(
        git_text(
            repo,
            &["log", "-1", "--format=%an <%ae>|%cn <%ce>|%s", "gh-pages"]
        ),
        "playbook <playbook@localhost>|playbook <playbook@localhost>|playbook publish"
    );
    let files = branch_files(repo, "gh-pages");
    assert!(!files.contains_key(Path::new(".playbook-output")));
    assert!(!files.contains_key(Path::new(".playbook-published")));
    assert_eq!(files, site_files(&playbook.path().join("public")));
}

#[test]
fn publish_to_a_git_branch_leaves_one_commit_holding_exactly_the_output() {
    use common::git::git_text;
    let (playbook, repo) = publishing_to_git();
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("published: ")
            && run
                .stdout
                .contains(" added, 0 changed, 0 removed → git:site.git#gh-pages\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  + advice/ask-before-estimating/index.html\n"),
        "{}",
        run.stdout
    );
    assert_branch_is_the_output(&playbook, &repo);

    // A change: the dry run lists it against the branch and leaves the branch where it is.
    edit(&playbook);
    let before = git_text(&repo, &["rev-parse", "gh-pages"]);
    let dry = publish(&playbook, &["--dry-run"], &[]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.starts_with("would publish: 1 added, ")
            && dry.stdout.contains("(dry run: nothing sent)"),
        "{}",
        dry.stdout
    );
    assert_edits_reported(&dry);
    assert_eq!(git_text(&repo, &["rev-parse", "gh-pages"]), before);

    let second = publish(&playbook, &[], &[]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(
        listed(&second),
        listed(&dry),
        "the dry run told what was sent"
    );
    assert_branch_is_the_output(&playbook, &repo);
    assert_ne!(git_text(&repo, &["rev-parse", "gh-pages"]), before);

    // Another change, a third publish: still one commit.
    let text = playbook.read(ADVICE);
    playbook.write(ADVICE, format!("{text}\nOne more line.\n"));
    let third = publish(&playbook, &[], &[]);
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert!(
        third.stdout.starts_with("published: 0 added, ")
            && third
                .stdout
                .contains("  ~ advice/ask-before-estimating/index.html\n"),
        "{}",
        third.stdout
    );
    assert_branch_is_the_output(&playbook, &repo);

    // Nothing changed: nothing to send, the same commit.
    let tip = git_text(&repo, &["rev-parse", "gh-pages"]);
    let again = publish(&playbook, &[], &[]);
    assert!(
        again
            .stdout
            .starts_with("published: 0 added, 0 changed, 0 removed"),
        "{}",
        again.stdout
    );
    assert_eq!(git_text(&repo, &["rev-parse", "gh-pages"]), tip);
}

#[test]
fn an_encrypted_site_goes_to_a_git_branch_encrypted() {
    let (playbook, repo) = publishing_to_git();
    let config = playbook.read("playbook.yaml");
    playbook.write("playbook.yaml", format!("encrypt: true\n{config}"));
    let env = [("PLAYBOOK_PASSPHRASE", "a long passphrase for tests")];
    let run = publish(&playbook, &[], &env);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_branch_is_the_output(&playbook, &repo);
    let files = common::git::branch_files(&repo, "gh-pages");
    assert!(files.contains_key(Path::new("unlock.js")));
    let index = String::from_utf8_lossy(&files[Path::new("index.html")]).into_owned();
    assert!(index.contains("id=\"sealed\""), "{index}");

    // Switched off, the plain build does not replace the encrypted branch without --force.
    playbook.write("playbook.yaml", &config);
    std::fs::remove_dir_all(playbook.path().join("public")).unwrap();
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("the target holds an encrypted site and this build is not encrypted"),
        "{}",
        run.stderr
    );
    assert!(common::git::branch_files(&repo, "gh-pages").contains_key(Path::new("unlock.js")));
}

#[test]
fn a_branch_holding_someone_elses_commits_is_replaced_only_with_force() {
    use common::git::{commit_count, git};
    let (playbook, repo) = publishing_to_git();
    // A branch made by hand, with two commits.
    let work = tempfile::tempdir().unwrap();
    git(work.path(), &["init", "--quiet", "-b", "gh-pages"]);
    for (name, text) in [("a.txt", "one"), ("b.txt", "two")] {
        std::fs::write(work.path().join(name), text).unwrap();
        git(work.path(), &["add", name]);
        git(work.path(), &["commit", "--quiet", "-m", name]);
    }
    let repo_path = repo.to_str().unwrap();
    git(work.path(), &["push", "--quiet", repo_path, "gh-pages"]);

    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "error: git:site.git#gh-pages: refusing to publish here: branch gh-pages holds \
             commits playbook did not make"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(commit_count(&repo, "gh-pages"), 2);

    let run = publish(&playbook, &["--force"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("  - a.txt\n  - b.txt\n"),
        "{}",
        run.stdout
    );
    assert_branch_is_the_output(&playbook, &repo);
}

#[test]
fn a_failing_git_is_an_error_naming_the_target() {
    let playbook = Playbook::fixture("basic");
    with_publish(&playbook, "  target: \"git:no-such.git#gh-pages\"\n");
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("error: git:no-such.git#gh-pages: git could not read the repository: "),
        "{}",
        run.stderr
    );

    // A push the repository refuses (its pre-receive hook says no).
    let (playbook, repo) = publishing_to_git();
    let hook = repo.join("hooks/pre-receive");
    std::fs::write(&hook, "#!/bin/sh\necho 'no pages here' >&2\nexit 1\n").unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("error: git:site.git#gh-pages: git could not push the site: ")
            && run.stderr.contains("no pages here"),
        "{}",
        run.stderr
    );

    // A branch git does not accept is told at the setting.
    let config = playbook.read("playbook.yaml");
    playbook.write(
        "playbook.yaml",
        config.replace("git:site.git#gh-pages", "git:site.git#bad..name"),
    );
    let run = publish(&playbook, &[], &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("is not a valid branch name"),
        "{}",
        run.stderr
    );
}
