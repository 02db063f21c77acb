//! The command line: clap types, and their conversion into the library's options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::build::{BuildOptions, passphrase_wanted};
use crate::commands::new::NewOptions;
use crate::seal::Secret;

/// A private career playbook: Markdown notes on how you work with your manager, built into a
/// static site you read before a 1:1, a review or a promotion case.
#[derive(Debug, Parser)]
#[command(name = "playbook", version, about, long_about = None)]
pub struct Cli {
    /// The playbook folder (the one holding content/ and playbook.yaml)
    #[arg(
        long,
        global = true,
        env = "PLAYBOOK_ROOT",
        default_value = ".",
        value_name = "DIR"
    )]
    pub root: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: public/)
    Build(BuildArgs),
    /// Check every entry, the configuration and the templates; write nothing
    Check(CheckArgs),
    /// Create a new entry, e.g. `playbook new advice "Asked Dana about estimates"`
    New(NewArgs),
    /// Create a new playbook (configuration and one sample entry per kind)
    Init(InitArgs),
    /// Build, serve on 127.0.0.1, rebuild on every save and reload the open tabs
    Serve(ServeArgs),
    /// Print a brag document for a period: achievements, goals met, praise, loyalty, contributions
    Review(ReviewArgs),
    /// Build (encrypted when configured) and send the site to publish.target of playbook.yaml
    Publish(PublishArgs),
    /// What needs attention, in a few lines; exit status 3 when anything does
    #[command(
        after_help = "Exit status: 0 when nothing needs attention, 3 when something \
                            does (an overdue action, a goal due within 14 days, a practice \
                            going quiet), 1 on errors, 2 on usage errors."
    )]
    Status(DayArgs),
    /// Print an iCalendar file of follow-ups and goal due dates, to import into a calendar
    Calendar(DayArgs),
}

/// `status` and `calendar`: the playbook as of a day.
#[derive(Debug, Args)]
pub struct DayArgs {
    /// Count from this day (YYYY-MM-DD) instead of today; calendar stamps its events with it
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub today: Option<time::Date>,
}

impl DayArgs {
    pub fn into_options(self, root: PathBuf) -> crate::commands::DayOptions {
        crate::commands::DayOptions {
            root,
            today: self.today,
        }
    }
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Print what would be added, changed and removed; send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Publish even into a target holding files playbook did not put there (they are removed)
    #[arg(long)]
    pub force: bool,
}

impl PublishArgs {
    /// The options, with the passphrase and password the publish needs asked for.
    pub fn into_options(self, root: PathBuf) -> crate::commands::publish::PublishOptions {
        let mut options = crate::commands::publish::PublishOptions {
            root,
            dry_run: self.dry_run,
            force: self.force,
            passphrase: Secret::Missing,
            password: Secret::Missing,
        };
        let wanted = crate::commands::publish::secrets_wanted(&options);
        if let Some(wanted) = wanted.passphrase {
            options.passphrase = ask_passphrase(wanted.first_use);
        }
        if wanted.password {
            options.password = ask_password();
        }
        options
    }
}

/// The passphrase: `PLAYBOOK_PASSPHRASE`, or asked at the terminal (twice when `first_use`,
/// since a mistyped one would lock the owner out). Never stored.
fn ask_passphrase(first_use: bool) -> Secret {
    let secret = match std::env::var("PLAYBOOK_PASSPHRASE") {
        Ok(passphrase) if passphrase.is_empty() => Err(Some("PLAYBOOK_PASSPHRASE is empty".into())),
        Ok(passphrase) => Ok(passphrase),
        Err(_) => ask_twice(
            (
                "Passphrase for the encrypted site: ",
                "The same passphrase again: ",
            ),
            first_use,
            "passphrase",
            "the two passphrases differ; nothing was built",
        ),
    };
    into_secret(secret)
}

/// `PLAYBOOK_AUTH_PASSWORD`, or asked at the terminal (twice).
fn ask_password() -> Secret {
    let secret = match std::env::var("PLAYBOOK_AUTH_PASSWORD") {
        Ok(password) => Ok(password),
        Err(_) => ask_twice(
            (
                "Password for the host's Basic-Auth: ",
                "The same password again: ",
            ),
            true,
            "password",
            "the two passwords differ; nothing was published",
        ),
    };
    into_secret(secret)
}

/// Why a secret could not be had; `None` (no terminal to ask at): the command says how to
/// give it.
type Asked = Result<String, Option<String>>;

fn into_secret(asked: Asked) -> Secret {
    match asked {
        Ok(secret) => Secret::Given(secret),
        Err(Some(why)) => Secret::Refused(why),
        Err(None) => Secret::Missing,
    }
}

/// Asks at the terminal, and again to confirm when `twice`; an empty answer is not asked
/// again (the command refuses it).
fn ask_twice(prompts: (&str, &str), twice: bool, what: &str, differ: &str) -> Asked {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(None);
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map_err(|err| Some(format!("could not read the {what}: {err}")))
    };
    let secret = ask(prompts.0)?;
    if secret.is_empty() {
        return Ok(secret);
    }
    if twice && ask(prompts.1)? != secret {
        return Err(Some(differ.to_string()));
    }
    Ok(secret)
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// First day of the period (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub since: Option<time::Date>,
    /// Last day of the period (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub until: Option<time::Date>,
    /// md to paste into a review form, html to print
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReviewFormat,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ReviewFormat {
    Md,
    Html,
}

impl ReviewArgs {
    pub fn into_options(self, root: PathBuf) -> crate::commands::review::ReviewOptions {
        crate::commands::review::ReviewOptions {
            root,
            since: self.since,
            until: self.until,
            format: match self.format {
                ReviewFormat::Md => crate::commands::review::Format::Markdown,
                ReviewFormat::Html => crate::commands::review::Format::Html,
            },
        }
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on; 0 picks a free one
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but loopback makes the playbook readable by others
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
}

impl ServeArgs {
    pub fn into_options(self, root: PathBuf) -> crate::serve::ServeOptions {
        crate::serve::ServeOptions {
            root,
            bind: self.bind,
            port: self.port,
            open: self.open,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check drafts too (they are always checked; this only counts them)
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The kind: goal, advice, feedback, loyalty, achievement, contribution, conversation (or
    /// its folder name, or a kind from playbook.yaml)
    pub kind: String,
    /// The entry's title; its file name is made from it
    pub title: String,
    /// The entry's date, YYYY-MM-DD or RFC 3339 (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_entry_date)]
    pub date: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder for the new playbook (default: --root, i.e. the current folder)
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder (default: output_dir of playbook.yaml, else public/)
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Include entries marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Write absolute links under this URL instead of relative ones
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Count the dashboard from this day (YYYY-MM-DD) instead of today
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub today: Option<time::Date>,
    /// Encrypt every page with a passphrase (PLAYBOOK_PASSPHRASE, or asked)
    #[arg(long)]
    pub encrypt: bool,
}

/// A `YYYY-MM-DD` day for `--today`.
fn parse_day(text: &str) -> Result<time::Date, String> {
    crate::content::EntryDate::parse(text).map(|date| date.day)
}

/// An entry's `date:` for `new --date`, checked as the entry will be, kept as written.
fn parse_entry_date(text: &str) -> Result<String, String> {
    crate::content::EntryDate::parse(text).map(|_| text.trim().to_string())
}

impl BuildArgs {
    /// The options, with the passphrase an encrypted build needs asked for.
    pub fn into_options(self, root: PathBuf) -> BuildOptions {
        let mut options = BuildOptions {
            root,
            output: self.output,
            drafts: self.drafts,
            base_url: self.base_url,
            today: self.today,
            encrypt: self.encrypt,
            passphrase: Secret::Missing,
        };
        if let Some(wanted) = passphrase_wanted(&options) {
            options.passphrase = ask_passphrase(wanted.first_use);
        }
        options
    }
}

impl CheckArgs {
    pub fn into_options(self, root: PathBuf) -> BuildOptions {
        BuildOptions {
            root,
            drafts: self.drafts,
            ..BuildOptions::default()
        }
    }
}

impl NewArgs {
    pub fn into_options(self, root: PathBuf) -> NewOptions {
        NewOptions {
            root,
            kind: self.kind,
            title: self.title,
            date: self.date,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
