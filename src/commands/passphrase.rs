//! `playbook passphrase add|remove|change|rekey`: the keyslots of an encrypted output. `add`,
//! `remove` and `change` rewrite only the output's `unlock.js` (and its line of the output's
//! manifest), so no page changes and a copy sends one file; `rekey` builds the whole site
//! again under a new site key with one keyslot, so that nothing made before opens with it.

use std::path::{Path, PathBuf};

use crate::build::{BuildOptions, given_passphrase, output_folder};
use crate::config::Config;
use crate::error::{Diagnostic, Failure};
use crate::seal::{Found, Lock, Sealer, Secret, Slot, UNLOCK_SCRIPT, UNREADABLE_LOCK};

/// What to do with the output's keyslots.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    /// A keyslot for a new passphrase, beside the others.
    Add,
    /// The keyslot the current passphrase opens, unless it is the last.
    Remove,
    /// The keyslot of the current passphrase, replaced by one for the new passphrase.
    Change,
    /// A new site key and one keyslot, for the new passphrase: every page built again.
    Rekey,
}

impl Action {
    /// Whether the action asks for a new passphrase.
    pub fn wants_new_passphrase(self) -> bool {
        self != Action::Remove
    }
}

pub struct PassphraseOptions {
    pub root: PathBuf,
    /// The output folder; default `output_dir` of the config, as for `build`.
    pub output: Option<PathBuf>,
    pub action: Action,
    /// A passphrase that opens the output now.
    pub passphrase: Secret,
    /// The passphrase to add, or to change to (add, change, rekey).
    pub new_passphrase: Secret,
    /// Accept a new passphrase that zxcvbn finds easy to guess.
    pub weak_passphrase_ok: bool,
}

/// What was done, in one line.
#[derive(Debug)]
pub struct Done {
    pub message: String,
}

/// The output folder the options name, as `build` resolves it.
pub fn output_of(options: &PassphraseOptions) -> Result<PathBuf, Failure> {
    let config = Config::load(&options.root)?;
    Ok(output_folder(&build_options(options), &config))
}

fn build_options(options: &PassphraseOptions) -> BuildOptions {
    BuildOptions {
        root: options.root.clone(),
        output: options.output.clone(),
        ..BuildOptions::default()
    }
}

/// Runs the action on the output's lock.
pub fn passphrase(options: &PassphraseOptions) -> Result<Done, Failure> {
    let output = output_of(options)?;
    let at_output = |message: String| Failure::one(Diagnostic::error(&output, message));
    let lock = match Lock::find(&output) {
        Found::Lock(lock) => lock,
        Found::Unreadable => return Err(at_output(UNREADABLE_LOCK.to_string())),
        Found::Nothing => {
            return Err(at_output(format!(
                "no encrypted build here ({UNLOCK_SCRIPT} has no lock): build it with \
                 `playbook build --encrypt` (or `encrypt: true`) first"
            )));
        }
    };
    let current = given_passphrase(&options.passphrase)
        .map_err(|why| Failure::one(Diagnostic::general(current_why(&why))))?;
    let new = match options.action.wants_new_passphrase() {
        true => {
            let new = given_passphrase(&options.new_passphrase)
                .map_err(|why| Failure::one(Diagnostic::general(new_why(&why))))?;
            if !options.weak_passphrase_ok {
                crate::seal::check_strength(new).map_err(|why| {
                    Failure::one(Diagnostic::general(format!("the new passphrase: {why}")))
                })?;
            }
            Some(new)
        }
        false => None,
    };
    // The current passphrase must open the lock, whatever the action.
    let (key, index) = lock.open(current).map_err(at_output)?;
    let script = output.join(UNLOCK_SCRIPT);
    let mut slots = lock.slots.clone();
    let at_script = |message: String| Failure::one(Diagnostic::error(&script, message));
    // A passphrase that opens a slot already would only make a second one (rekey replaces
    // them all, so it may keep the current passphrase).
    if let Some(new) = new
        && options.action != Action::Rekey
        && (new == current || lock.open(new).is_ok())
    {
        return Err(at_script(
            "the new passphrase opens this site already: choose another".into(),
        ));
    }
    let did = match (options.action, new) {
        (Action::Add, Some(new)) => {
            slots.push(Slot::new(&key, new).map_err(at_script)?);
            "added a passphrase"
        }
        (Action::Change, Some(new)) => {
            slots[index] = Slot::new(&key, new).map_err(at_script)?;
            "changed the passphrase"
        }
        (Action::Remove, _) => {
            if slots.len() == 1 {
                return Err(at_script(
                    "this is the only passphrase that opens the site: removing it would lock \
                     everyone out; add another first (`playbook passphrase add`), or use \
                     `playbook passphrase change`"
                        .into(),
                ));
            }
            slots.remove(index);
            "removed a passphrase"
        }
        (Action::Rekey, Some(new)) => return rekey(options, &output, new, lock.slots.len()),
        (_, None) => return Err(at_script("no new passphrase".into())),
    };
    let sealer = Sealer::new(&key, lock.remember, slots).map_err(at_script)?;
    crate::output::replace_file(&output, UNLOCK_SCRIPT, sealer.unlock_script().as_bytes())?;
    let count = match sealer.lock().slots.len() {
        1 => "1 keyslot".to_string(),
        n => format!("{n} keyslots"),
    };
    Ok(Done {
        message: format!("{did}: {count} in {}; no page changed", script.display()),
    })
}

/// The full encrypted build under a new site key, with one keyslot for `new`.
fn rekey(
    options: &PassphraseOptions,
    output: &Path,
    new: &str,
    dropped: usize,
) -> Result<Done, Failure> {
    let report = crate::build::build(&BuildOptions {
        encrypt: true,
        passphrase: Secret::Given(new.to_string()),
        // Checked above.
        weak_passphrase_ok: true,
        rekey: true,
        ..build_options(options)
    })?;
    let others = match dropped {
        1 => String::new(),
        2 => "; the other passphrase no longer opens it".to_string(),
        n => format!("; the {} other passphrases no longer open it", n - 1),
    };
    Ok(Done {
        message: format!(
            "rekeyed: a new site key, every one of {} pages encrypted again, 1 keyslot in {}{others}",
            report.pages,
            output.join(UNLOCK_SCRIPT).display()
        ),
    })
}

fn current_why(why: &str) -> String {
    match why.starts_with("an encrypted build needs") {
        true => "the current passphrase is needed: set PLAYBOOK_PASSPHRASE, or run playbook \
                 in a terminal to be asked"
            .to_string(),
        false => why.to_string(),
    }
}

fn new_why(why: &str) -> String {
    match why.starts_with("an encrypted build needs") {
        true => "the new passphrase is needed: set PLAYBOOK_NEW_PASSPHRASE, or run playbook \
                 in a terminal to be asked"
            .to_string(),
        false => format!("the new passphrase: {why}"),
    }
}
