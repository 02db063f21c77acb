//! The command line: clap types, and their conversion into the library's options.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::build::{BuildOptions, passphrase_wanted};
use crate::commands::add::AddOptions;
use crate::commands::import::{Format, ImportOptions};
use crate::commands::new::NewOptions;
use crate::seal::Secret;

/// A private career playbook: Markdown notes on how you work with your manager, built into a
/// static site you read before a 1:1, a review or a promotion case.
#[derive(Debug, Parser)]
#[command(
    name = "playbook",
    version,
    about,
    long_about = None,
    after_help = "Examples:
  playbook init my-playbook
  playbook new advice \"Asked Dana about estimates\"
  playbook serve --open
  playbook --root ~/playbook check

Each command's --help ends with examples of its own."
)]
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
    #[command(after_help = "Examples:
  playbook build
  playbook build --drafts --output /tmp/preview
  playbook build --base-url https://me.example/playbook
  playbook build --today 2026-06-30
  playbook build --encrypt
  playbook build --encrypt --weak-passphrase-ok")]
    Build(BuildArgs),
    /// Check every entry, the configuration and the templates; write nothing
    #[command(after_help = "Examples:
  playbook check
  playbook --root ~/playbook check --drafts")]
    Check(CheckArgs),
    /// Create a new entry, e.g. `playbook new advice "Asked Dana about estimates"`
    #[command(after_help = "Examples:
  playbook new advice \"Asked Dana about estimates\"
  playbook new feedback \"Dana: more context, please\" --date 2026-05-02
  playbook new goal \"Lead the billing migration\"
  playbook new conversation \"Weekly with Dana\" --edit")]
    New(NewArgs),
    /// Write a complete entry in one line, checked before it is written
    #[command(after_help = "Examples:
  playbook add advice \"Rank requests by impact\" --set from=dana --set applied=true
  playbook add feedback \"Mid-year review\" --set from=dana --set tone=praise --set action=\"Share the plan earlier\" --tag review
  playbook add conversation \"Weekly with Dana\" --set with=dana < notes.md")]
    Add(AddArgs),
    /// Import a brag document, a jrnl JSON export or a CSV as draft entries; never overwrites
    #[command(
        after_help = "A brag document's sections become kinds (\"Projects\" an achievement, \"Collaboration & \
mentorship\" a contribution, \"Feedback\" a feedback, …; see the README), overridable with --map. Every \
entry is written with draft: true unless --no-draft; an entry already in the playbook (same kind, title \
and day) is not written again, so a second run writes nothing new. A source with problems writes \
nothing unless --skip-bad.

Examples:
  playbook import brag brag-document.md --dry-run
  playbook import brag brag-document.md --map \"Side quests=contribution\"
  playbook import jrnl journal.json --kind conversation
  playbook import csv wins.csv --kind achievement"
    )]
    Import(ImportArgs),
    /// Open the entry whose slug or title matches in $VISUAL or $EDITOR, then check it
    #[command(after_help = "Examples:
  playbook edit ship-the-ledger
  playbook edit ship
  playbook edit ledger ship
  playbook edit weekly")]
    Edit(EditArgs),
    /// Create a new playbook (configuration and one sample entry per kind)
    #[command(after_help = "Examples:
  playbook init my-playbook
  playbook init ~/notes/playbook")]
    Init(InitArgs),
    /// Build, serve on 127.0.0.1, rebuild on every save and reload the open tabs
    #[command(after_help = "Examples:
  playbook serve --open
  playbook serve --port 0
  playbook --root ~/playbook serve --port 8080")]
    Serve(ServeArgs),
    /// Print the review packet of a period: the evidence, grouped by your career ladder
    #[command(after_help = "Examples:
  playbook review --period 2026-H1 > h1.md
  playbook review --period last-quarter --format html > packet.html
  playbook review --period 2026 --format json > 2026.json
  playbook review --since 2026-01-01 --until 2026-06-30")]
    Review(ReviewArgs),
    /// Write one review packet or entry as a self-contained encrypted HTML file to send
    ///
    /// The file has a passphrase of its own: PLAYBOOK_SHARE_PASSPHRASE, or asked twice.
    #[command(after_help = "Examples:
  playbook share review --period 2026-H1 --output h1-packet.html
  playbook share review --period last-quarter --output packet.html
  playbook share goals/ship-the-ledger --output goal.html")]
    Share(ShareArgs),
    /// Build (encrypted when configured) and send the site to publish.target of playbook.yaml
    #[command(after_help = "Examples:
  playbook publish --dry-run
  playbook publish")]
    Publish(PublishArgs),
    /// Compare what is published (a folder, a git branch or a URL) with the output, by SHA-256
    #[command(
        after_help = "Over http:// or https://, files on the host that the output lacks cannot \
be seen: a web host lists none.

Exit status: 0 when every file matches, 3 when a file changed, is missing or is extra on the \
target, 1 when the target or the output cannot be read, 2 on usage errors.

Examples:
  playbook verify
  playbook verify https://me.example/playbook/
  playbook verify git:../site.git#gh-pages
  playbook verify /mnt/usb/playbook --output public"
    )]
    Verify(VerifyArgs),
    /// Add, remove or change a passphrase of the encrypted site, or rekey it
    #[command(
        after_help = "The current passphrase comes from PLAYBOOK_PASSPHRASE or is asked; the new one (add, \
change, rekey) from PLAYBOOK_NEW_PASSPHRASE or is asked twice. add, remove and change rewrite only \
unlock.js; rekey builds every page again under a new key and drops every other passphrase.

Examples:
  playbook passphrase add
  playbook passphrase remove
  playbook passphrase change
  playbook passphrase rekey
  playbook passphrase add --output /tmp/site --weak-passphrase-ok"
    )]
    Passphrase(PassphraseArgs),
    /// Print a shell completion script for bash, zsh, fish, powershell or elvish
    #[command(after_help = "Examples:
  playbook completions bash > ~/.local/share/bash-completion/completions/playbook
  playbook completions zsh > ~/.zfunc/_playbook
  playbook completions fish > ~/.config/fish/completions/playbook.fish
  playbook completions powershell > ~/Documents/PowerShell/playbook.ps1")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of playbook, or of one of its commands
    #[command(after_help = "Examples:
  playbook man > ~/.local/share/man/man1/playbook.1
  playbook man build > ~/.local/share/man/man1/playbook-build.1
  playbook man | man -l -")]
    Man(ManArgs),
    /// What needs attention, in a few lines; exit status 3 when anything does
    #[command(
        after_help = "Exit status: 0 when nothing needs attention, 3 when something does (an \
overdue action, a goal due within 14 days, a practice going quiet), 1 on errors, 2 on usage errors.

Examples:
  playbook status
  playbook status --today 2026-07-01
  playbook --root ~/playbook status"
    )]
    Status(DayArgs),
    /// Print the agenda of the next 1:1 (the prep page) as Markdown to paste, or as HTML
    #[command(after_help = "Examples:
  playbook prep > next-one-on-one.md
  playbook prep --today 2026-07-01
  playbook prep --format html > prep.html")]
    Prep(PrepArgs),
    /// Print an iCalendar file of follow-ups, action and goal due dates, to import into a calendar
    #[command(after_help = "Examples:
  playbook calendar > playbook.ics
  playbook calendar --today 2026-07-01 > playbook.ics")]
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
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

impl CompletionsArgs {
    /// The completion script, generated from the clap definitions of [`Cli`].
    pub fn script(&self) -> String {
        let mut script = Vec::new();
        clap_complete::generate(self.shell, &mut Cli::command(), "playbook", &mut script);
        String::from_utf8(script).expect("clap_complete writes UTF-8")
    }
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command, for its own page (playbook-COMMAND(1), which playbook(1) refers to)
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

impl ManArgs {
    /// The roff page of playbook, or of the command asked for; an unknown command is clap's
    /// usage error, listing the commands that have a page.
    pub fn page(&self) -> Result<String, clap::Error> {
        // No `help` command in the manual: `--help` is there on every page.
        let mut playbook = Cli::command().disable_help_subcommand(true);
        playbook.build();
        let command = match &self.command {
            None => playbook,
            Some(name) => match playbook.find_subcommand(name) {
                Some(command) => command.clone(),
                None => {
                    let names: Vec<&str> =
                        playbook.get_subcommands().map(|c| c.get_name()).collect();
                    return Err(Cli::command().error(
                        clap::error::ErrorKind::InvalidValue,
                        format!(
                            "no manual page for `{name}`; the commands are: {}",
                            names.join(", ")
                        ),
                    ));
                }
            },
        };
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .source(format!("playbook {}", env!("CARGO_PKG_VERSION")))
            .render(&mut page)
            .expect("rendering into memory cannot fail");
        Ok(String::from_utf8(page).expect("clap_mangen writes UTF-8"))
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
    /// Accept a new passphrase that is easy to guess (zxcvbn's score below 3)
    #[arg(long)]
    pub weak_passphrase_ok: bool,
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
            weak_passphrase_ok: self.weak_passphrase_ok,
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

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// What is published: a folder, git:<repository>#<branch>, or the site's http(s):// URL
    /// (default: publish.target of playbook.yaml)
    #[arg(value_name = "TARGET")]
    pub target: Option<String>,
    /// The output folder to compare with (default: output_dir of playbook.yaml, else public/)
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

impl VerifyArgs {
    pub fn into_options(self, root: PathBuf) -> crate::commands::verify::VerifyOptions {
        crate::commands::verify::VerifyOptions {
            root,
            target: self.target,
            output: self.output,
        }
    }
}

/// `playbook passphrase`: the action, and where the output is.
#[derive(Debug, Args)]
pub struct PassphraseArgs {
    #[command(subcommand)]
    pub action: PassphraseAction,
    /// Output folder (default: output_dir of playbook.yaml, else public/)
    #[arg(long, global = true, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Accept a new passphrase that is easy to guess (zxcvbn's score below 3)
    #[arg(long, global = true)]
    pub weak_passphrase_ok: bool,
}

#[derive(Clone, Copy, Debug, Subcommand)]
pub enum PassphraseAction {
    /// Add a passphrase (a keyslot); only unlock.js changes
    #[command(after_help = "Examples:
  playbook passphrase add
  playbook passphrase add --output /tmp/site")]
    Add,
    /// Remove the passphrase given (its keyslot), unless it is the last; only unlock.js changes
    #[command(
        after_help = "A copy of the site made before still opens with the removed passphrase: \
to shut it out of what you publish next, use playbook passphrase rekey.

Examples:
  playbook passphrase remove
  playbook passphrase remove --output /tmp/site"
    )]
    Remove,
    /// Replace the passphrase given by a new one; only unlock.js changes
    #[command(after_help = "Examples:
  playbook passphrase change
  playbook passphrase change --output /tmp/site")]
    Change,
    /// Build every page again under a new key, with the new passphrase as the only one
    #[command(after_help = "Examples:
  playbook passphrase rekey
  playbook passphrase rekey && playbook publish")]
    Rekey,
}

impl PassphraseArgs {
    /// The options, with the current and the new passphrase asked for.
    pub fn into_options(self, root: PathBuf) -> crate::commands::passphrase::PassphraseOptions {
        use crate::commands::passphrase::Action;
        let action = match self.action {
            PassphraseAction::Add => Action::Add,
            PassphraseAction::Remove => Action::Remove,
            PassphraseAction::Change => Action::Change,
            PassphraseAction::Rekey => Action::Rekey,
        };
        let mut options = crate::commands::passphrase::PassphraseOptions {
            root,
            output: self.output,
            action,
            passphrase: Secret::Missing,
            new_passphrase: Secret::Missing,
            weak_passphrase_ok: self.weak_passphrase_ok,
        };
        // Nothing is asked when there is no lock to open: the command says so.
        let locked = crate::commands::passphrase::output_of(&options)
            .is_ok_and(|output| crate::seal::Lock::read(&output).is_some());
        if locked {
            options.passphrase = ask_secret(
                "PLAYBOOK_PASSPHRASE",
                ("Current passphrase: ", ""),
                false,
                "the passphrase is asked once",
            );
            if action.wants_new_passphrase() {
                options.new_passphrase = ask_secret(
                    "PLAYBOOK_NEW_PASSPHRASE",
                    ("New passphrase: ", "The same new passphrase again: "),
                    true,
                    "the two new passphrases differ; nothing was changed",
                );
            }
        }
        options
    }
}

/// A passphrase from the variable `var`, or asked at the terminal (twice when `twice`).
fn ask_secret(var: &str, prompts: (&str, &str), twice: bool, differ: &str) -> Secret {
    let secret = match std::env::var(var) {
        Ok(passphrase) if passphrase.is_empty() => Err(Some(format!("{var} is empty"))),
        Ok(passphrase) => Ok(passphrase),
        Err(_) => ask_twice(prompts, twice, "passphrase", differ),
    };
    into_secret(secret)
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

/// A review's period: `--period`, or `--since`/`--until`, counted from `--today`.
#[derive(Debug, Args)]
pub struct PeriodArgs {
    /// The period: 2026, 2026-H1, 2026-Q3, 2026-09, this-quarter, last-quarter, this-half,
    /// last-half, this-year, last-year, this-month, last-month, or all (default: the
    /// review.period of playbook.yaml, else the year, holding today)
    #[arg(long, value_name = "PERIOD", value_parser = check_period, conflicts_with_all = ["since", "until"])]
    pub period: Option<String>,
    /// First day of the period (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub since: Option<time::Date>,
    /// Last day of the period (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub until: Option<time::Date>,
    /// The day relative periods (this-quarter, last-half…) count from, instead of today
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub today: Option<time::Date>,
}

impl PeriodArgs {
    fn review_options(
        self,
        root: PathBuf,
        format: crate::commands::review::Format,
    ) -> crate::commands::review::ReviewOptions {
        crate::commands::review::ReviewOptions {
            root,
            since: self.since,
            until: self.until,
            period: self.period,
            today: self.today,
            format,
        }
    }
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    /// md to paste into a review form, html to print, json for other tools
    #[arg(long, value_enum, default_value = "md")]
    pub format: PacketFormat,
}

/// `share`: `review` and a period, or an entry.
#[derive(Debug, Args)]
pub struct ShareArgs {
    /// `review`, or the entry to share: its slug, the start of it, or words of its title
    #[arg(required = true, value_name = "review|ENTRY")]
    pub what: Vec<String>,
    /// The file to write (one HTML file, to send or open from disk)
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// The packet's period, as for `review`
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Take a passphrase that is easy to guess
    #[arg(long)]
    pub weak_passphrase_ok: bool,
}

impl ShareArgs {
    /// The options, with the shared file's own passphrase asked for.
    pub fn into_options(self, root: PathBuf) -> crate::commands::share::ShareOptions {
        use crate::commands::share::What;
        let what = match self.what.as_slice() {
            [word] if word == "review" => What::Review(
                self.period
                    .review_options(root.clone(), crate::commands::review::Format::Html),
            ),
            words => What::Entry(words.join(" ")),
        };
        let secret = match std::env::var("PLAYBOOK_SHARE_PASSPHRASE") {
            Ok(passphrase) if passphrase.is_empty() => {
                Err(Some("PLAYBOOK_SHARE_PASSPHRASE is empty".into()))
            }
            Ok(passphrase) => Ok(passphrase),
            Err(_) => ask_twice(
                (
                    "Passphrase for the shared file: ",
                    "The same passphrase again: ",
                ),
                true,
                "passphrase",
                "the two passphrases differ; nothing was written",
            ),
        };
        crate::commands::share::ShareOptions {
            root,
            what,
            output: self.output,
            passphrase: into_secret(secret),
            weak_passphrase_ok: self.weak_passphrase_ok,
        }
    }
}

/// A `--period` as written, once it is known to be one.
fn check_period(text: &str) -> Result<String, String> {
    if text
        .trim()
        .eq_ignore_ascii_case(crate::commands::review::ALL_ENTRIES)
    {
        return Ok(text.to_string());
    }
    // Whether a form is a period does not depend on the day it counts from.
    let any_day = time::Date::from_calendar_date(2026, time::Month::January, 1)
        .map_err(|err| err.to_string())?;
    crate::period::parse_period(text, any_day).map(|_| text.to_string())
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum PacketFormat {
    Md,
    Html,
    Json,
}

/// The formats of `prep`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum PrepFormat {
    Md,
    Html,
}

impl ReviewArgs {
    pub fn into_options(self, root: PathBuf) -> crate::commands::review::ReviewOptions {
        use crate::commands::review::Format;
        let format = match self.format {
            PacketFormat::Md => Format::Markdown,
            PacketFormat::Html => Format::Html,
            PacketFormat::Json => Format::Json,
        };
        self.period.review_options(root, format)
    }
}

/// `prep`: the agenda of the next 1:1, as of a day.
#[derive(Debug, Args)]
pub struct PrepArgs {
    /// Count from this day (YYYY-MM-DD) instead of today
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub today: Option<time::Date>,
    /// md to paste into a shared 1:1 document, html for a standalone page
    #[arg(long, value_enum, default_value = "md")]
    pub format: PrepFormat,
}

impl PrepArgs {
    pub fn into_options(self, root: PathBuf) -> crate::commands::prep::PrepOptions {
        crate::commands::prep::PrepOptions {
            root,
            today: self.today,
            format: self.format.into(),
        }
    }
}

impl From<PrepFormat> for crate::commands::prep::Format {
    fn from(format: PrepFormat) -> Self {
        match format {
            PrepFormat::Md => crate::commands::prep::Format::Markdown,
            PrepFormat::Html => crate::commands::prep::Format::Html,
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
    /// Open the new entry in $VISUAL (else $EDITOR, else vi), then check it
    #[arg(long)]
    pub edit: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The kind: goal, advice, feedback, loyalty, achievement, contribution, conversation (or
    /// its folder name, or a kind from playbook.yaml)
    pub kind: String,
    /// The entry's title; its file name is made from it
    pub title: String,
    /// A field's value, read as the field's type: a list as `a,b`, one item of a list of
    /// records (a feedback's `actions`) as `--set action=TEXT`; repeat for each field
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
    /// A tag; repeat for each
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// The body (Markdown); without it, standard input when it is not a terminal
    #[arg(long, value_name = "TEXT")]
    pub body: Option<String>,
    /// The entry's date, YYYY-MM-DD or RFC 3339 (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_entry_date)]
    pub date: Option<String>,
}

impl AddArgs {
    /// The options, the body read from standard input when `--body` is not given and the
    /// input is not a terminal.
    pub fn into_options(self, root: PathBuf) -> std::io::Result<AddOptions> {
        use std::io::{IsTerminal, Read};
        let body = match self.body {
            Some(body) => body,
            None if !std::io::stdin().is_terminal() => {
                let mut body = String::new();
                std::io::stdin().read_to_string(&mut body)?;
                body
            }
            None => String::new(),
        };
        Ok(AddOptions {
            new: NewOptions {
                root,
                kind: self.kind,
                title: self.title,
                date: self.date,
            },
            set: self.set,
            tags: self.tags,
            body,
        })
    }
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the file is: a Markdown brag document, jrnl's JSON export, or a CSV with a header row
    #[arg(value_enum)]
    pub format: ImportFormat,
    /// The file to import
    pub file: PathBuf,
    /// The kind of every entry (jrnl: default conversation; csv: required), or of a brag
    /// document's sections that name no kind (default achievement)
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// A brag document's section and the kind its items become; repeat for each
    #[arg(long = "map", value_name = "SECTION=KIND")]
    pub map: Vec<String>,
    /// Write the entries as they are, not as drafts
    #[arg(long)]
    pub no_draft: bool,
    /// Print what would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write the entries that are sound and report the others, instead of writing nothing
    #[arg(long)]
    pub skip_bad: bool,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ImportFormat {
    Brag,
    Jrnl,
    Csv,
}

impl ImportArgs {
    pub fn into_options(self, root: PathBuf) -> ImportOptions {
        ImportOptions {
            root,
            format: match self.format {
                ImportFormat::Brag => Format::Brag,
                ImportFormat::Jrnl => Format::Jrnl,
                ImportFormat::Csv => Format::Csv,
            },
            file: self.file,
            kind: self.kind,
            map: self.map,
            draft: !self.no_draft,
            dry_run: self.dry_run,
            skip_bad: self.skip_bad,
        }
    }
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The entry: its slug, the start of its slug, or words of its title
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,
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
    /// Accept a new passphrase that is easy to guess (zxcvbn's score below 3)
    #[arg(long)]
    pub weak_passphrase_ok: bool,
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
            weak_passphrase_ok: self.weak_passphrase_ok,
            rekey: false,
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

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
