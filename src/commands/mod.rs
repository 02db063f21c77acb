//! The commands besides `build` and `check`: each takes an options struct and calls the library.

pub mod add;
pub mod calendar;
pub mod edit;
pub mod import;
pub mod init;
pub mod new;
pub mod passphrase;
pub mod prep;
pub mod publish;
pub mod review;
pub mod share;
pub mod status;
pub mod verify;

use std::path::{Path, PathBuf};

use time::Date;

use crate::build::pipeline::{self, Settings};
use crate::config::Config;
use crate::content::Playbook;
use crate::error::Failure;

/// The options of `status` and `calendar`: the playbook, as of a day.
pub struct DayOptions {
    pub root: PathBuf,
    /// The day to count from (default: today).
    pub today: Option<Date>,
}

/// The playbook at `root` as the site shows it, drafts left out, for the commands that print
/// from it instead of building.
pub fn load_published(root: &Path) -> Result<Playbook, Failure> {
    let config = Config::load(root)?;
    let settings = Settings {
        drafts: false,
        ..Settings::default()
    };
    let (_, playbook, _) = pipeline::load(root, config, &settings, false)?;
    Ok(playbook)
}
