//! The `playbook` binary: parse the command line, run the command, print diagnostics once.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use playbook::cli::{Cli, Command};
use playbook::commands::add::add_entry;
use playbook::commands::edit::{Found, check_entry, find_entry, open_in_editor};
use playbook::commands::new::NewError;
use playbook::error::{Diagnostic, Failure, Severity};
use playbook::report::{print_diagnostics, print_failure_summary};

/// A build allocates and frees millions of small strings on two threads; mimalloc does that
/// in 10% less time than the system allocator at 100,000 entries (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.clone();
    let result = match cli.command {
        Command::Build(args) => {
            playbook::build::build(&args.into_options(cli.root)).map(|report| {
                print_diagnostics(&root, &report.warnings);
                println!(
                    "built {} entries into {} pages in {} ms → {}",
                    report.entries,
                    report.pages,
                    report.elapsed.as_millis(),
                    report.output.display()
                );
            })
        }
        Command::Check(args) => {
            playbook::build::check(&args.into_options(cli.root)).map(|report| {
                print_diagnostics(&root, &report.warnings);
                let warnings = report.warnings.len();
                println!(
                    "checked {} entries and {} pages in {} ms: no errors{}",
                    report.entries,
                    report.pages,
                    report.elapsed.as_millis(),
                    match warnings {
                        0 => String::new(),
                        1 => ", 1 warning".to_string(),
                        n => format!(", {n} warnings"),
                    }
                );
            })
        }
        Command::New(args) => {
            let edit = args.edit;
            match playbook::commands::new::new_entry(&args.into_options(cli.root)) {
                Ok(path) => {
                    println!("{}", shown(&root, &path).display());
                    if edit {
                        return edit_and_check(&root, &path);
                    }
                    Ok(())
                }
                Err(NewError::Usage(message)) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
                Err(NewError::Failure(failure)) => Err(failure),
            }
        }
        Command::Add(args) => {
            let added = match args.into_options(cli.root) {
                Ok(options) => add_entry(&options),
                Err(err) => Err(NewError::Usage(format!("could not read the body: {err}"))),
            };
            match added {
                Ok(added) => {
                    println!("{}", shown(&root, &added.path).display());
                    for warning in &added.warnings {
                        eprintln!("warning: {warning}");
                    }
                    Ok(())
                }
                Err(NewError::Usage(message)) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
                Err(NewError::Failure(failure)) => Err(failure),
            }
        }
        Command::Import(args) => {
            let options = args.into_options(cli.root);
            match playbook::commands::import::import(&options) {
                Ok(imported) => {
                    print_imported(&root, &options, &imported);
                    Ok(())
                }
                Err(NewError::Usage(message)) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
                Err(NewError::Failure(failure)) => Err(failure),
            }
        }
        Command::Edit(args) => {
            let query = args.query.join(" ");
            match find_entry(&root, &query) {
                Ok(Found::One(path)) => {
                    println!("{}", shown(&root, &path).display());
                    return edit_and_check(&root, &path);
                }
                Ok(Found::Several(found)) => {
                    eprintln!(
                        "error: `{query}` matches {} entries; name one:",
                        found.len()
                    );
                    for (path, title) in found {
                        eprintln!("  {}  {title}", shown(&root, &path).display());
                    }
                    return ExitCode::from(2);
                }
                Ok(Found::None) => Err(Failure::one(Diagnostic::general(format!(
                    "no entry matches `{query}` (by slug, start of a slug, or words of a title)"
                )))),
                Err(failure) => Err(failure),
            }
        }
        Command::Serve(args) => playbook::serve::serve(
            &args.into_options(cli.root),
            playbook::report::print_serve_event,
        ),
        Command::Share(args) => {
            let options = args.into_options(cli.root);
            playbook::commands::share::share(&options).map(|what| {
                println!("shared {what} → {}", options.output.display());
            })
        }
        Command::Review(args) => playbook::commands::review::review(&args.into_options(cli.root))
            .map(|text| print!("{text}")),
        Command::Publish(args) => {
            playbook::commands::publish::publish(&args.into_options(cli.root))
                .map(|published| print_published(&published))
        }
        Command::Verify(args) => {
            match playbook::commands::verify::verify(&args.into_options(cli.root)) {
                Ok(verified) => {
                    print_verified(&verified);
                    if !verified.matches() {
                        return ExitCode::from(playbook::commands::verify::DIFFERS);
                    }
                    Ok(())
                }
                Err(failure) => Err(failure),
            }
        }
        Command::Status(args) => {
            match playbook::commands::status::status(&args.into_options(cli.root)) {
                Ok(status) => {
                    print!("{}", status.text);
                    if status.attention > 0 {
                        return ExitCode::from(playbook::commands::status::NEEDS_ATTENTION);
                    }
                    Ok(())
                }
                Err(failure) => Err(failure),
            }
        }
        Command::Prep(args) => playbook::commands::prep::prep(&args.into_options(cli.root))
            .map(|text| print!("{text}")),
        Command::Calendar(args) => {
            playbook::commands::calendar::calendar(&args.into_options(cli.root))
                .map(|ics| print!("{ics}"))
        }
        Command::Init(args) => {
            let dir = args.dir.unwrap_or_else(|| root.clone());
            playbook::commands::init::init(&dir)
                .map(|report| print_init(&report.dir, &report.files))
        }
        Command::Passphrase(args) => {
            playbook::commands::passphrase::passphrase(&args.into_options(cli.root))
                .map(|done| println!("{}", done.message))
        }
        Command::Completions(args) => {
            print!("{}", args.script());
            Ok(())
        }
        Command::Man(args) => {
            print!("{}", args.page().unwrap_or_else(|usage| usage.exit()));
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => fail(&root, &failure),
    }
}

/// A path under the playbook as the person at the terminal reaches it.
fn shown(root: &Path, rel: &Path) -> PathBuf {
    match root == Path::new(".") {
        true => rel.to_path_buf(),
        false => root.join(rel),
    }
}

/// Opens the entry at `rel` in the editor, then checks it: exit 0 when it is sound (warnings
/// printed), 1 with its errors printed otherwise; the file is kept either way.
fn edit_and_check(root: &Path, rel: &Path) -> ExitCode {
    let checked = open_in_editor(&root.join(rel)).and_then(|()| check_entry(root, rel));
    match checked {
        Ok(diagnostics) => {
            print_diagnostics(root, &diagnostics);
            if diagnostics.iter().any(|d| d.severity == Severity::Error) {
                eprintln!(
                    "the entry is kept; fix it with: playbook edit {}",
                    stem(rel)
                );
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(failure) => fail(root, &failure),
    }
}

fn stem(rel: &Path) -> String {
    rel.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn fail(root: &Path, failure: &Failure) -> ExitCode {
    print_diagnostics(root, &failure.0);
    print_failure_summary(failure);
    ExitCode::from(1)
}

fn print_published(published: &playbook::commands::publish::Published) {
    println!(
        "{} {} added, {} changed, {} removed → {}{}",
        if published.dry_run {
            "would publish:"
        } else {
            "published:"
        },
        published.added.len(),
        published.changed.len(),
        published.removed.len(),
        published.target,
        if published.dry_run {
            " (dry run: nothing sent)"
        } else {
            ""
        }
    );
    for (sign, files) in [
        ("+", &published.added),
        ("~", &published.changed),
        ("-", &published.removed),
    ] {
        for file in files {
            println!("  {sign} {file}");
        }
    }
}

fn print_verified(verified: &playbook::commands::verify::Verified) {
    for (label, files) in [
        ("changed", &verified.changed),
        ("missing", &verified.missing),
        ("extra", &verified.extra),
    ] {
        for file in files {
            println!("{label}: {file}");
        }
    }
    if verified.matches() {
        println!(
            "verified: {} files match {}",
            verified.files, verified.target
        );
    } else {
        println!(
            "does not match: {} changed, {} missing, {} extra → {}",
            verified.changed.len(),
            verified.missing.len(),
            verified.extra.len(),
            verified.target
        );
    }
    if !verified.sees_extra {
        println!(
            "note: over HTTP(S), files on the host that the output lacks cannot be seen (a web \
             host lists none)"
        );
    }
}

fn print_imported(
    root: &Path,
    options: &playbook::commands::import::ImportOptions,
    imported: &playbook::commands::import::Imported,
) {
    print_diagnostics(root, &imported.warnings);
    for (rel, text) in &imported.entries {
        match options.dry_run {
            true => println!("would write {}:\n{text}", shown(root, rel).display()),
            false => println!("{}", shown(root, rel).display()),
        }
    }
    let entries = |n: usize| match n {
        1 => "1 entry".to_string(),
        n => format!("{n} entries"),
    };
    let mut notes = Vec::new();
    if imported.present > 0 {
        notes.push(format!("{} already in the playbook", imported.present));
    }
    if imported.skipped > 0 {
        notes.push(format!("{} skipped for problems", imported.skipped));
    }
    let notes = match notes.is_empty() {
        true => String::new(),
        false => format!(" ({})", notes.join(", ")),
    };
    let file = options.file.display();
    let drafts = match (options.draft, imported.entries.len()) {
        (false, _) => "",
        (true, 1) => " as a draft",
        (true, _) => " as drafts",
    };
    match (imported.entries.len(), options.dry_run) {
        (0, _) => println!("nothing new to import from {file}{notes}"),
        (n, true) => println!(
            "would import {}{drafts} from {file}{notes}; nothing written (--dry-run)",
            entries(n)
        ),
        (n, false) => println!("imported {}{drafts} from {file}{notes}", entries(n)),
    }
}

fn print_init(dir: &Path, files: &[std::path::PathBuf]) {
    println!("created a playbook in {}:", dir.display());
    for file in files {
        println!("  {}", file.display());
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    println!("next: {cd}playbook build, then open public/index.html");
}
