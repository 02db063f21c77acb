//! The `playbook` binary: parse the command line, run the command, print diagnostics once.

use std::process::ExitCode;

use clap::Parser;
use playbook::cli::{Cli, Command};
use playbook::error::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => {
            playbook::build::build(&args.into_options(cli.root)).map(|report| {
                for warning in &report.warnings {
                    eprintln!("{warning}");
                }
                println!(
                    "built {} entries into {} pages in {} ms → {}",
                    report.entries,
                    report.pages,
                    report.elapsed.as_millis(),
                    report.output.display()
                );
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report_failure(&failure),
    }
}

fn report_failure(failure: &Failure) -> ExitCode {
    for diagnostic in &failure.0 {
        eprintln!("{diagnostic}");
    }
    eprintln!("playbook: {failure}");
    ExitCode::from(1)
}
