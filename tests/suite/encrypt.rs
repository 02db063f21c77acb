//! Encrypted builds: nothing the owner wrote is left in plain text, the same content gives the
//! same bytes, and a missing or different passphrase is a clear error that loses nothing.
//! (Opening the site in a browser is in browser.rs.)

use crate::common;

use common::{Playbook, Run, snapshot};

const PASSPHRASE: &str = "a long passphrase for tests";

fn build_encrypted(playbook: &Playbook, passphrase: &str) -> Run {
    playbook.run_with_env(
        &["build", "--encrypt", "--today", "2026-06-01"],
        &[("PLAYBOOK_PASSPHRASE", passphrase)],
    )
}

/// The value of `key:` in a front matter or config line, unquoted.
fn value_after<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let value = line.trim_start().strip_prefix(key)?.trim();
    Some(value.trim_matches(|c| c == '"' || c == '\''))
}

/// What the example says that no one else should read: titles, tags, people's names and the
/// first sentence of every body.
fn secrets_of_the_example(playbook: &Playbook) -> Vec<String> {
    let mut secrets = Vec::new();
    for item in walkdir::WalkDir::new(playbook.path().join("content")) {
        let item = item.unwrap();
        if item.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(item.path()).unwrap();
        let (front, body) = text[3..].split_once("\n---\n").expect("front matter");
        for line in front.lines() {
            if let Some(title) = value_after(line, "title:") {
                secrets.push(title.to_string());
            }
            if let Some(tags) = value_after(line, "tags:") {
                let tags = tags.trim_matches(|c| c == '[' || c == ']');
                secrets.extend(tags.split(',').map(|tag| tag.trim().to_string()));
            }
        }
        let sentence = body
            .lines()
            .find(|line| line.len() > 40 && !line.starts_with(['#', '|', '-', '>']))
            .and_then(|line| line.split(". ").next());
        secrets.extend(sentence.map(str::to_string));
    }
    let config = std::fs::read_to_string(playbook.path().join("playbook.yaml")).unwrap();
    for line in config.lines() {
        // `id: { name: Dana Whitfield, role: … }`
        if let Some((_, rest)) = line.split_once("name:") {
            let name = rest.split([',', '}']).next().unwrap_or_default();
            secrets.push(name.trim().to_string());
        }
        if let Some(rest) = line.trim_start().strip_prefix("owner:") {
            secrets.push(rest.trim().to_string());
        }
    }
    // Words this short also occur in any HTML or script ("plan", "team"): the test is about
    // the owner's text, so the needles are long enough to be theirs alone.
    secrets.retain(|secret| secret.chars().count() >= 6);
    secrets.sort();
    secrets.dedup();
    secrets
}

#[test]
fn the_encrypted_example_holds_no_title_tag_name_or_sentence_in_plain_text() {
    let playbook = Playbook::example();
    let run = build_encrypted(&playbook, PASSPHRASE);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let secrets = secrets_of_the_example(&playbook);
    assert!(secrets.len() > 80, "{secrets:?}");
    assert!(secrets.iter().any(|s| s == "Dana Whitfield"), "{secrets:?}");

    let site = snapshot(&playbook.path().join("public"));
    assert!(site.len() > 80);
    for (path, bytes) in &site {
        let name = path.to_string_lossy();
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for secret in &secrets {
            let secret = secret.to_lowercase();
            assert!(!text.contains(&secret), "{name} holds {secret:?}");
            assert!(
                !name.to_lowercase().contains(&secret),
                "a file is named {name}"
            );
        }
    }
    // Every page is the same shell but for its sealed text.
    let shell = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let start = text.find("id=\"sealed\">").expect("a shell") + 12;
        let end = text.rfind("</script>\n<script src").unwrap();
        format!("{}{}", &text[..start], &text[end..])
    };
    let pages: Vec<_> = site
        .iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
        .collect();
    let first = shell(pages[0].1);
    assert!(pages.iter().all(|(_, bytes)| shell(bytes) == first));
    // Every page name is a keyed hash in one folder, but the entry points.
    for (path, _) in &pages {
        let name = path.to_string_lossy();
        assert!(
            name == "index.html" || name == "404.html" || name.len() == 37,
            "{name}"
        );
    }
}

#[test]
fn two_encrypted_builds_of_the_same_content_are_identical_byte_for_byte() {
    let playbook = Playbook::example();
    assert_eq!(build_encrypted(&playbook, PASSPHRASE).code, 0);
    let first = snapshot(&playbook.path().join("public"));
    assert_eq!(build_encrypted(&playbook, PASSPHRASE).code, 0);
    assert_eq!(snapshot(&playbook.path().join("public")), first);

    // An edit changes its own page and the index, not the others.
    let source = "content/goals/finish-the-ledger-migration.md";
    let text = std::fs::read_to_string(playbook.path().join(source)).unwrap();
    playbook.write(source, format!("{text}\nOne more line.\n"));
    assert_eq!(build_encrypted(&playbook, PASSPHRASE).code, 0);
    let second = snapshot(&playbook.path().join("public"));
    let changed: Vec<_> = first
        .iter()
        .filter(|(path, bytes)| second.get(*path) != Some(bytes))
        .map(|(path, _)| path.to_string_lossy().into_owned())
        .collect();
    assert!(
        changed.contains(&"search-index.js".to_string()),
        "{changed:?}"
    );
    assert!(changed.len() <= 4, "{changed:?}");
}

#[test]
fn another_passphrase_for_an_encrypted_output_is_refused_and_loses_nothing() {
    let playbook = Playbook::example();
    assert_eq!(build_encrypted(&playbook, PASSPHRASE).code, 0);
    let before = snapshot(&playbook.path().join("public"));
    let run = build_encrypted(&playbook, "a different passphrase");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("/public: this is not the passphrase the output folder was encrypted with"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&playbook.path().join("public")), before);
}

#[test]
fn an_encrypted_build_without_a_passphrase_says_how_to_give_one() {
    let playbook = Playbook::example();
    let run = playbook.run_with_env(&["build", "--encrypt"], &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: an encrypted build needs a passphrase: set PLAYBOOK_PASSPHRASE"),
        "{}",
        run.stderr
    );
    assert!(!playbook.exists("public"));

    // Asked for by `encrypt: true`, the error points at that line.
    let config = playbook.read("playbook.yaml");
    let line = config.lines().count() + 1;
    playbook.write("playbook.yaml", format!("{config}encrypt: true\n"));
    let run = playbook.run_with_env(&["build"], &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(&format!(
            "error: playbook.yaml:{line}:10: an encrypted build needs a passphrase"
        )),
        "{}",
        run.stderr
    );
    assert!(!playbook.exists("public"));
}

#[test]
fn encrypt_true_in_the_config_encrypts_every_build() {
    let playbook = Playbook::example();
    let config = std::fs::read_to_string(playbook.path().join("playbook.yaml")).unwrap();
    playbook.write("playbook.yaml", format!("{config}\nencrypt: true\n"));
    let run = playbook.run_with_env(&["build"], &[("PLAYBOOK_PASSPHRASE", PASSPHRASE)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = playbook.read("public/index.html");
    assert!(home.contains("id=\"sealed\""), "{home}");
    // Words a plain home page holds (with a space, which base64 ciphertext never does: a
    // bare "Maya" turns up in 26 KB of it about once in 650 builds).
    for plain in ["Maya Okafor", "Maya&#39;s playbook", "Dana Whitfield"] {
        assert!(!home.contains(plain), "{plain} in the locked page");
    }
    assert!(!playbook.exists("public/tags/index.html"));
}

#[test]
fn an_unencrypted_build_does_not_replace_an_encrypted_output() {
    let playbook = Playbook::example();
    assert_eq!(build_encrypted(&playbook, PASSPHRASE).code, 0);
    let before = snapshot(&playbook.path().join("public"));
    let run = playbook.run_with_env(&["build"], &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("this folder holds an encrypted build: set `encrypt: true` in playbook.yaml"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&playbook.path().join("public")), before);
}

/// `playbook build --encrypt` at a terminal (util-linux's `script` gives it one), with `typed`
/// as what the user types.
fn build_at_a_terminal(playbook: &Playbook, typed: &str) -> (i32, String) {
    at_a_terminal(playbook, "build --encrypt", typed)
}

/// `playbook ARGS` at a terminal, with `typed` as what the user types.
fn at_a_terminal(playbook: &Playbook, args: &str, typed: &str) -> (i32, String) {
    use std::io::Write as _;
    let command = format!(
        "{} --root {} {args}",
        env!("CARGO_BIN_EXE_playbook"),
        playbook.path().display()
    );
    let mut child = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("PLAYBOOK_PASSPHRASE")
        .env_remove("PLAYBOOK_NEW_PASSPHRASE")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run script (util-linux)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(typed.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let code = output.status.code().unwrap_or(-1);
    (code, String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn at_a_terminal_the_passphrase_is_asked_twice_the_first_time_and_once_after() {
    let playbook = Playbook::fixture("basic");
    let (code, screen) = build_at_a_terminal(&playbook, "one passphrase\nanother one\n");
    assert_eq!(code, 1, "{screen}");
    assert!(screen.contains("The same passphrase again: "), "{screen}");
    assert!(
        screen.contains("the two passphrases differ; nothing was built"),
        "{screen}"
    );
    assert!(!playbook.exists("public"));

    let (code, screen) = build_at_a_terminal(&playbook, "one passphrase\none passphrase\n");
    assert_eq!(code, 0, "{screen}");
    assert!(playbook.read("public/index.html").contains("id=\"sealed\""));

    // The output has a lock now: asked once, and checked against it.
    let (code, screen) = build_at_a_terminal(&playbook, "one passphrase\n");
    assert_eq!(code, 0, "{screen}");
    assert!(!screen.contains("The same passphrase again"), "{screen}");
    let (code, screen) = build_at_a_terminal(&playbook, "not that one\n");
    assert_eq!(code, 1, "{screen}");
    assert!(screen.contains("this is not the passphrase"), "{screen}");
}

#[test]
fn the_library_takes_the_passphrase_as_an_option_and_asks_for_nothing() {
    use playbook::build::{BuildOptions, build, passphrase_wanted};
    use playbook::seal::Secret;
    let playbook = Playbook::example();
    let options = BuildOptions {
        root: playbook.path().to_path_buf(),
        encrypt: true,
        ..BuildOptions::default()
    };
    let wanted = passphrase_wanted(&options).expect("an encrypted build wants a passphrase");
    assert!(wanted.first_use);
    // No passphrase given: the library reads no variable and asks no terminal, it says how.
    let failure = build(&options).unwrap_err();
    assert!(
        failure.0[0]
            .message
            .starts_with("an encrypted build needs a passphrase"),
        "{:?}",
        failure.0
    );
    assert!(!playbook.exists("public"));

    let given = BuildOptions {
        passphrase: Secret::Given(PASSPHRASE.into()),
        ..options.clone()
    };
    build(&given).unwrap();
    assert!(playbook.read("public/index.html").contains("id=\"sealed\""));
    assert!(!passphrase_wanted(&options).unwrap().first_use);
}

const SECOND: &str = "a second long passphrase for tests";
const THIRD: &str = "the third passphrase of the tests";

/// `playbook passphrase ACTION` with the current passphrase `current` and, when given, the
/// new one.
fn passphrase(playbook: &Playbook, action: &[&str], current: &str, new: Option<&str>) -> Run {
    let mut args = vec!["passphrase"];
    args.extend_from_slice(action);
    let mut env = vec![("PLAYBOOK_PASSPHRASE", current)];
    env.extend(new.map(|new| ("PLAYBOOK_NEW_PASSPHRASE", new)));
    playbook.run_with_env(&args, &env)
}

/// Every file of the output but the unlock script and the mark, with its bytes and its
/// modification time.
fn pages_and_times(
    playbook: &Playbook,
) -> std::collections::BTreeMap<std::path::PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let public = playbook.path().join("public");
    snapshot(&public)
        .into_iter()
        .filter(|(path, _)| {
            path.as_os_str() != "unlock.js" && path.as_os_str() != ".playbook-output"
        })
        .map(|(path, bytes)| {
            let modified = std::fs::metadata(public.join(&path))
                .and_then(|m| m.modified())
                .unwrap();
            (path, (bytes, modified))
        })
        .collect()
}

/// The lock line of the output's unlock script.
fn lock_line(playbook: &Playbook) -> String {
    let script = playbook.read("public/unlock.js");
    script.lines().next().unwrap_or_default().to_string()
}

fn slot_count(playbook: &Playbook) -> usize {
    let line = lock_line(playbook);
    let slots = line.split(" slots=").nth(1).expect("slots in the lock");
    slots.trim_end_matches(" */").split(',').count()
}

#[test]
fn passphrases_are_added_removed_and_changed_without_touching_a_page() {
    let playbook = Playbook::example();
    assert_eq!(build_encrypted(&playbook, PASSPHRASE).code, 0);
    let pages = pages_and_times(&playbook);
    assert!(pages.len() > 80);
    assert!(lock_line(&playbook).starts_with("/* playbook-lock v2 check="));
    assert_eq!(slot_count(&playbook), 1);
    // The mtimes below would not tell a rewrite within the file system's clock tick.
    std::thread::sleep(std::time::Duration::from_millis(20));

    let run = passphrase(&playbook, &["add"], PASSPHRASE, Some(SECOND));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("added a passphrase: 2 keyslots in ")
            && run
                .stdout
                .trim_end()
                .ends_with("public/unlock.js; no page changed"),
        "{}",
        run.stdout
    );
    assert_eq!(slot_count(&playbook), 2);
    assert_eq!(pages_and_times(&playbook), pages, "add changed a page");
    // Either passphrase builds, and the build keeps every file as it was (the manifest knows
    // the new unlock.js): the same bytes and times, the same slots.
    let lock = lock_line(&playbook);
    let script_time = || {
        std::fs::metadata(playbook.path().join("public/unlock.js"))
            .and_then(|m| m.modified())
            .unwrap()
    };
    let added = script_time();
    for each in [SECOND, PASSPHRASE] {
        let run = build_encrypted(&playbook, each);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            pages_and_times(&playbook),
            pages,
            "the build rewrote a page"
        );
        assert_eq!(lock_line(&playbook), lock);
        // The manifest's line for unlock.js was updated too: not even it is written again.
        assert_eq!(script_time(), added, "the build rewrote unlock.js");
    }

    // Removing the first leaves the second; the first no longer opens the output.
    let run = passphrase(&playbook, &["remove"], PASSPHRASE, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("removed a passphrase: 1 keyslot in "),
        "{}",
        run.stdout
    );
    assert_eq!(pages_and_times(&playbook), pages, "remove changed a page");
    let run = build_encrypted(&playbook, PASSPHRASE);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("this is not the passphrase"),
        "{}",
        run.stderr
    );
    let run = passphrase(&playbook, &["add"], PASSPHRASE, Some(THIRD));
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("this is not the passphrase"),
        "{}",
        run.stderr
    );

    // The last one is not removed.
    let before = snapshot(&playbook.path().join("public"));
    let run = passphrase(&playbook, &["remove"], SECOND, None);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("this is the only passphrase that opens the site"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&playbook.path().join("public")), before);

    // Changed: the old one fails, the new one opens.
    let run = passphrase(&playbook, &["change"], SECOND, Some(THIRD));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("changed the passphrase: 1 keyslot in "),
        "{}",
        run.stdout
    );
    assert_eq!(pages_and_times(&playbook), pages, "change changed a page");
    assert_eq!(build_encrypted(&playbook, SECOND).code, 1);
    assert_eq!(build_encrypted(&playbook, THIRD).code, 0);
    assert_eq!(pages_and_times(&playbook), pages);
}

#[test]
fn rekey_encrypts_every_page_again_and_drops_the_other_passphrases() {
    let playbook = Playbook::example();
    assert_eq!(build_encrypted(&playbook, PASSPHRASE).code, 0);
    assert_eq!(
        passphrase(&playbook, &["add"], PASSPHRASE, Some(SECOND)).code,
        0
    );
    let before = snapshot(&playbook.path().join("public"));
    let old_lock = lock_line(&playbook);

    // A wrong current passphrase changes nothing.
    let run = passphrase(&playbook, &["rekey"], "not one of them at all", Some(THIRD));
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("this is not the passphrase"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&playbook.path().join("public")), before);

    let run = passphrase(&playbook, &["rekey"], SECOND, Some(THIRD));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("rekeyed: a new site key"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("the other passphrase no longer opens it"),
        "{}",
        run.stdout
    );
    let after = snapshot(&playbook.path().join("public"));
    // Every page is new: new names (keyed by the new key), and the two that keep their
    // names have new bytes.
    let pages = |site: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
        site.iter()
            .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
            .map(|(path, bytes)| (path.clone(), bytes.clone()))
            .collect::<Vec<_>>()
    };
    let (old_pages, new_pages) = (pages(&before), pages(&after));
    assert_eq!(old_pages.len(), new_pages.len());
    for (path, bytes) in &old_pages {
        assert!(
            after.get(path) != Some(bytes),
            "{} did not change",
            path.display()
        );
    }
    assert_eq!(slot_count(&playbook), 1);
    let check = |line: &str| {
        line.split_whitespace()
            .nth(3)
            .unwrap_or_default()
            .to_string()
    };
    assert!(check(&old_lock).starts_with("check="));
    assert_ne!(check(&lock_line(&playbook)), check(&old_lock));
    // Neither old passphrase opens it; the new one does.
    for old in [PASSPHRASE, SECOND] {
        let run = build_encrypted(&playbook, old);
        assert_eq!(run.code, 1, "{old} still opens the rekeyed site");
    }
    assert_eq!(build_encrypted(&playbook, THIRD).code, 0);
}

#[test]
fn a_weak_new_passphrase_is_refused_unless_told_it_is_fine() {
    let playbook = Playbook::fixture("basic");
    let run = build_encrypted(&playbook, "password1");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("this passphrase is too easy to guess: strength 0 of 4"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("This is a very common password"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--weak-passphrase-ok"),
        "{}",
        run.stderr
    );
    assert!(!playbook.exists("public"));

    let run = playbook.run_with_env(
        &["build", "--encrypt", "--weak-passphrase-ok"],
        &[("PLAYBOOK_PASSPHRASE", "password1")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // An existing passphrase is not judged again.
    assert_eq!(build_encrypted(&playbook, "password1").code, 0);

    // Nor is one added weak, unless told.
    let before = snapshot(&playbook.path().join("public"));
    for action in ["add", "change", "rekey"] {
        let run = passphrase(&playbook, &[action], "password1", Some("qwerty"));
        assert_eq!(run.code, 1, "{action}");
        assert!(
            run.stderr
                .contains("the new passphrase: this passphrase is too easy to guess"),
            "{action}: {}",
            run.stderr
        );
        assert_eq!(snapshot(&playbook.path().join("public")), before);
    }
    let run = passphrase(
        &playbook,
        &["add", "--weak-passphrase-ok"],
        "password1",
        Some("qwerty"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(slot_count(&playbook), 2);
}

#[test]
fn passphrase_commands_need_an_encrypted_output_of_this_playbook() {
    let playbook = Playbook::fixture("basic");
    let run = passphrase(&playbook, &["add"], PASSPHRASE, Some(SECOND));
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("no encrypted build here"),
        "{}",
        run.stderr
    );

    // An earlier playbook's lock (one passphrase, no slots): told to start again.
    assert_eq!(build_encrypted(&playbook, PASSPHRASE).code, 0);
    let script = playbook.read("public/unlock.js");
    let rest = script.split_once('\n').unwrap().1;
    playbook.write(
        "public/unlock.js",
        format!(
            "/* playbook-lock salt={} iterations=600000 check={} */\n{rest}",
            "ab".repeat(16),
            "cd".repeat(16)
        ),
    );
    for run in [
        build_encrypted(&playbook, PASSPHRASE),
        passphrase(&playbook, &["add"], PASSPHRASE, Some(SECOND)),
    ] {
        assert_eq!(run.code, 1);
        assert!(
            run.stderr
                .contains("an earlier playbook's, before keyslots): remove the folder"),
            "{}",
            run.stderr
        );
    }
    // Still an encrypted output: an unencrypted build does not replace it.
    let run = playbook.run_with_env(&["build"], &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("this folder holds an encrypted build"),
        "{}",
        run.stderr
    );
}

#[test]
fn encrypt_remember_is_told_to_the_browser_by_the_lock() {
    let playbook = Playbook::fixture("basic");
    assert_eq!(build_encrypted(&playbook, PASSPHRASE).code, 0);
    assert!(lock_line(&playbook).contains(" remember=0 "));
    assert!(
        playbook
            .read("public/unlock.js")
            .contains("remember: false")
    );
    let config = playbook.read("playbook.yaml");
    playbook.write(
        "playbook.yaml",
        format!("{config}\nencrypt_remember: true\n"),
    );
    assert_eq!(build_encrypted(&playbook, PASSPHRASE).code, 0);
    assert!(lock_line(&playbook).contains(" remember=1 "));
    assert!(playbook.read("public/unlock.js").contains("remember: true"));
}

#[test]
fn at_a_terminal_passphrase_asks_for_the_current_one_then_the_new_one_twice() {
    let playbook = Playbook::fixture("basic");
    assert_eq!(build_encrypted(&playbook, PASSPHRASE).code, 0);
    let before = snapshot(&playbook.path().join("public"));
    let (code, screen) = at_a_terminal(
        &playbook,
        "passphrase add",
        &format!("{PASSPHRASE}\n{SECOND}\n{THIRD}\n"),
    );
    assert_eq!(code, 1, "{screen}");
    for prompt in [
        "Current passphrase: ",
        "New passphrase: ",
        "The same new passphrase again: ",
        "the two new passphrases differ; nothing was changed",
    ] {
        assert!(screen.contains(prompt), "{prompt:?} not in {screen}");
    }
    assert_eq!(snapshot(&playbook.path().join("public")), before);

    let (code, screen) = at_a_terminal(
        &playbook,
        "passphrase add",
        &format!("{PASSPHRASE}\n{SECOND}\n{SECOND}\n"),
    );
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("added a passphrase: 2 keyslots"),
        "{screen}"
    );
    // A passphrase that opens the site already is not added again.
    let run = passphrase(&playbook, &["add"], PASSPHRASE, Some(SECOND));
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("opens this site already"),
        "{}",
        run.stderr
    );
    assert_eq!(slot_count(&playbook), 2);
}
