//! `check`, `new` and `init` round trips with the real binary.

use crate::common;

use common::{Playbook, snapshot};

#[test]
fn check_validates_everything_and_writes_nothing() {
    let playbook = Playbook::fixture("basic");
    let before = snapshot(playbook.path());
    let run = playbook.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("checked 7 entries and "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(": no errors"), "{}", run.stdout);
    assert_eq!(snapshot(playbook.path()), before, "check wrote something");
    assert!(!playbook.exists("public"));

    playbook.write(
        "content/goals/bad.md",
        "---\ntitle: x\ndate: 2026-01-01\nstatus: done\n---\n",
    );
    let run = playbook.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: content/goals/bad.md:4:9: `status`: `done` is not allowed"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_finds_template_errors_that_only_show_when_rendering() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "themes/default/templates/person.html",
        "{% extends \"base.html\" %}{% block main %}{{ person.name | no_such_filter }}{% endblock main %}",
    );
    let run = playbook.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: themes/default/templates/person.html:1:"),
        "{}",
        run.stderr
    );
}

#[test]
fn new_writes_an_entry_that_builds_and_never_overwrites() {
    let playbook = Playbook::fixture("basic");
    let run = playbook.run(&[
        "new",
        "feedback",
        "Dana: more context, please!",
        "--date",
        "2026-05-02",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = playbook
        .path()
        .join("content/feedback/dana-more-context-please.md");
    assert_eq!(run.stdout.trim(), path.display().to_string());
    let text = playbook.read("content/feedback/dana-more-context-please.md");
    assert!(
        text.starts_with("---\ntitle: 'Dana: more context, please!'\ndate: 2026-05-02\n"),
        "{text}"
    );
    assert!(
        text.contains("\nfrom: dana "),
        "the required field is filled with the boss: {text}"
    );
    assert!(
        text.contains("\n# tone: praise "),
        "optional fields are commented: {text}"
    );

    let run = playbook.run(&["check"]);
    assert_eq!(run.code, 0, "a new entry checks clean: {}", run.stderr);
    playbook.build(&[]);
    assert!(
        playbook
            .read("public/feedback/dana-more-context-please/index.html")
            .contains("Dana: more context, please!")
    );

    std::fs::write(&path, "my edits").unwrap();
    let run = playbook.run(&["new", "feedback", "Dana: more context, please!"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(
        playbook.read("content/feedback/dana-more-context-please.md"),
        "my edits"
    );
}

#[test]
fn new_makes_every_kind_and_lists_the_kinds_when_asked_for_an_unknown_one() {
    let playbook = Playbook::fixture("basic");
    for kind in [
        "goal",
        "advice",
        "feedback",
        "loyalty",
        "achievement",
        "contribution",
        "conversation",
        "goals",
    ] {
        let run = playbook.run(&["new", kind, &format!("A new {kind}")]);
        assert_eq!(run.code, 0, "{kind}: {}", run.stderr);
    }
    let run = playbook.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);

    let run = playbook.run(&["new", "acheivement", "Shipped"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("unknown kind `acheivement`; did you mean `achievement`? The kinds are:"),
        "{}",
        run.stderr
    );

    let run = playbook.run(&["new", "meeting", "Standup"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("unknown kind `meeting`; the kinds are:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("conversation   content/conversations/"),
        "{}",
        run.stderr
    );

    // A bad --date is a usage error, as a bad `review --since` is.
    let run = playbook.run(&["new", "advice", "Bad date", "--date", "2026-02-30"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "invalid value '2026-02-30' for '--date <DATE>': `2026-02-30` is not a valid date"
        ),
        "{}",
        run.stderr
    );
    assert!(!playbook.exists("content/advice/bad-date.md"));
    let run = playbook.run(&["new", "advice", "?!"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: the title needs letters"),
        "{}",
        run.stderr
    );

    // A title longer than a page address may be is cut at a word; the entry builds.
    let long = "Asked how the promotion committee weighs cross-team work ".repeat(4);
    let run = playbook.run(&["new", "advice", &long]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let name = run.stdout.trim().rsplit('/').next().unwrap().to_string();
    assert_eq!(
        name,
        "asked-how-the-promotion-committee-weighs-cross-team-work-asked-how-the-promotion-\
         committee-weighs-cross-team-work-asked.md"
    );
    assert_eq!(playbook.run(&["check"]).code, 0);
}

#[test]
fn new_knows_kinds_added_in_the_config() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "playbook.yaml",
        "boss: dana\npeople:\n  dana: { name: Dana }\nkinds:\n  praise:\n    practice: celebrate-and-support\n    \
         fields:\n      from: { type: person, required: true }\n      channel: { type: enum, values: [slack, email] }\n",
    );
    let run = playbook.run(&["new", "praise", "Shout-out in the all-hands"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = playbook.read("content/praise/shout-out-in-the-all-hands.md");
    assert!(text.contains("\nfrom: dana "), "{text}");
    assert!(text.contains("\n# channel: slack "), "{text}");
    playbook.build(&[]);
    let page = playbook.read("public/praise/shout-out-in-the-all-hands/index.html");
    assert!(page.contains("Praise at a glance"), "{page}");
    assert!(playbook.read("public/index.html").contains("Praise"));
}

#[test]
fn init_makes_a_playbook_that_builds_with_the_embedded_theme() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("my-playbook");
    let run = common::run(&["init", target.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("created a playbook in"),
        "{}",
        run.stdout
    );
    assert!(target.join("playbook.yaml").is_file());
    assert!(!target.join("themes").exists());
    let folders: Vec<String> = std::fs::read_dir(target.join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(folders.len(), 7, "one sample per kind: {folders:?}");

    let build = common::run(&["--root", target.to_str().unwrap(), "build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build.stdout.starts_with("built 7 entries"),
        "{}",
        build.stdout
    );
    assert!(
        build.stderr.is_empty(),
        "the samples build without warnings: {}",
        build.stderr
    );
    assert!(
        target
            .join("public/achievements/cut-build-time-in-half/index.html")
            .is_file()
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let playbook = Playbook::fixture("basic");
    let before = snapshot(playbook.path());
    let run = playbook.run(&["init"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("refusing to create a playbook here: the folder is not empty"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(playbook.path()), before);

    let empty = Playbook::empty();
    empty.write(".git/HEAD", "ref: refs/heads/main\n");
    let run = empty.run(&["init"]);
    assert_eq!(
        run.code, 0,
        "a folder with only hidden files is empty enough: {}",
        run.stderr
    );
}

#[test]
fn init_keeps_a_gitignore_the_folder_already_has() {
    let empty = Playbook::empty();
    empty.write(".gitignore", "secret-stuff\n*.key");
    let run = empty.run(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(empty.read(".gitignore"), "secret-stuff\n*.key\n/public\n");
}

#[test]
fn init_with_a_date_at_the_end_of_the_calendar_does_not_panic() {
    let empty = Playbook::empty();
    let run = common::Run::from(
        std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["--root", empty.path().to_str().unwrap(), "init"])
            .env("SOURCE_DATE_EPOCH", "253402300799")
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        empty
            .read("content/goals/learn-what-my-manager-is-measured-on.md")
            .contains("date: 9999-")
    );
}

/// The commands `playbook --help` lists (`help` included), so a new command cannot be left out
/// of the checks below.
fn listed_commands() -> Vec<String> {
    let run = common::run(&["--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let commands: Vec<String> = run
        .stdout
        .lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect();
    for expected in ["build", "completions", "man", "help"] {
        assert!(
            commands.iter().any(|c| c == expected),
            "{expected} missing from {commands:?} parsed out of:\n{}",
            run.stdout
        );
    }
    commands
}

#[test]
fn bash_completions_offer_every_command() {
    let run = common::run(&["completions", "bash"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The words offered after `playbook `: options, then the commands.
    let top = run
        .stdout
        .lines()
        .find(|line| line.trim_start().starts_with("opts=\"-h -V --root"))
        .unwrap_or_else(|| panic!("no top-level word list in:\n{}", run.stdout));
    let offered: Vec<&str> = top
        .trim()
        .trim_start_matches("opts=\"")
        .trim_end_matches('"')
        .split(' ')
        .collect();
    for command in listed_commands() {
        assert!(
            offered.contains(&command.as_str()),
            "`{command}` is not completed: {top}"
        );
        assert!(
            run.stdout.contains(&format!("playbook,{command})")),
            "`{command}`'s own options are not completed"
        );
    }
}

#[test]
fn completions_exist_for_zsh_fish_and_powershell_and_an_unknown_shell_is_a_usage_error() {
    for (shell, marker) in [
        ("zsh", "#compdef playbook"),
        ("fish", "complete -c playbook"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = common::run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "{shell}:\n{}", run.stdout);
        assert!(run.stdout.contains("publish"), "{shell}:\n{}", run.stdout);
    }
    let run = common::run(&["completions", "tcsh"]);
    assert_usage_error(&run, "error: invalid value 'tcsh' for '<SHELL>'");
    assert!(run.stderr.contains("bash"), "{}", run.stderr);
}

/// Exit 2, nothing on stdout, and clap's message on stderr.
fn assert_usage_error(run: &common::Run, message: &str) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.starts_with(message), "{}", run.stderr);
}

#[test]
fn man_prints_a_page_naming_every_command_and_a_page_per_command() {
    let run = common::run(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\n.TH playbook 1 "), "{}", run.stdout);
    assert!(run.stdout.contains("\n.SH SYNOPSIS\n"), "{}", run.stdout);
    for command in listed_commands() {
        if command == "help" {
            // --help is on every page; a `help` page would say nothing more.
            continue;
        }
        assert!(
            run.stdout.contains(&format!("playbook\\-{command}(1)")),
            "{command} missing from playbook(1)"
        );
        let page = common::run(&["man", &command]);
        assert_eq!(page.code, 0, "{command}: {}", page.stderr);
        assert!(
            page.stdout
                .contains(&format!("\n.TH playbook-{command} 1  \"playbook ")),
            "{}",
            page.stdout
        );
        assert!(page.stdout.contains("Examples:"), "{}", page.stdout);
    }

    assert_usage_error(
        &common::run(&["man", "nosuch"]),
        "error: no manual page for `nosuch`; the commands are: build, check,",
    );
}

#[test]
fn every_command_help_ends_with_examples() {
    for command in listed_commands() {
        if command == "help" {
            continue;
        }
        for flag in ["--help", "-h"] {
            let run = common::run(&[&command, flag]);
            assert_eq!(run.code, 0, "{command} {flag}: {}", run.stderr);
            let examples = run
                .stdout
                .split("\nExamples:\n")
                .nth(1)
                .unwrap_or_else(|| panic!("{command} {flag} has no examples:\n{}", run.stdout));
            let lines: Vec<&str> = examples.lines().collect();
            assert!(!lines.is_empty());
            for line in lines {
                assert!(
                    line.starts_with("  playbook "),
                    "{command} {flag}: not a command a user types: {line:?}"
                );
            }
        }
    }
}

#[test]
fn every_passphrase_action_help_ends_with_examples() {
    for action in ["add", "remove", "change", "rekey"] {
        let run = common::run(&["passphrase", action, "--help"]);
        assert_eq!(run.code, 0, "{action}: {}", run.stderr);
        let examples = run
            .stdout
            .split("\nExamples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("passphrase {action} has no examples:\n{}", run.stdout));
        assert!(examples.lines().count() > 0);
        for line in examples.lines() {
            assert!(
                line.starts_with("  playbook passphrase "),
                "passphrase {action}: {line:?}"
            );
        }
    }
}
