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
    use std::io::Write as _;
    let command = format!(
        "{} --root {} build --encrypt",
        env!("CARGO_BIN_EXE_playbook"),
        playbook.path().display()
    );
    let mut child = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("PLAYBOOK_PASSPHRASE")
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
