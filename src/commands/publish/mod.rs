//! `playbook publish [--dry-run] [--force]`: builds the site (encrypted when configured), then
//! sends the output to `publish.target` — a local or mounted folder, an rsync destination
//! (`user@host:path`, through the system's rsync and ssh), or a git branch
//! (`git:<repository>#<branch>`, the site as its only commit) — and says what it added, changed
//! and removed. A target remembers what playbook put there (`.playbook-published`), so that files
//! someone else put there are never deleted without `--force`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use crate::build::{
    BuildOptions, PassphraseWanted, Staged, build_in_memory, passphrase_wanted, stage,
};
use crate::config::{CONFIG_FILE, Config};
use crate::error::{Diagnostic, Failure};
use crate::output::MARK_FILE;
use crate::seal::Secret;

/// The list of what playbook published, kept in the target.
pub const PUBLISHED_MARK: &str = ".playbook-published";

pub struct PublishOptions {
    pub root: PathBuf,
    /// Print what would change; change nothing.
    pub dry_run: bool,
    /// Replace a target that holds files playbook did not put there.
    pub force: bool,
    /// The passphrase of an encrypted build (see [`secrets_wanted`]).
    pub passphrase: Secret,
    /// The host's Basic-Auth password, for `publish.auth: basic`.
    pub password: Secret,
    /// Accept a new passphrase that zxcvbn finds easy to guess (a first encrypted build).
    pub weak_passphrase_ok: bool,
}

/// What a publish asks of the command line before it runs.
#[derive(Debug, Default, PartialEq)]
pub struct SecretsWanted {
    pub passphrase: Option<PassphraseWanted>,
    pub password: bool,
}

/// The secrets `options` need: the passphrase of an encrypted build, the password of
/// `publish.auth: basic`. None when the configuration cannot be read (publish then says why).
pub fn secrets_wanted(options: &PublishOptions) -> SecretsWanted {
    let Ok(config) = Config::load(&options.root) else {
        return SecretsWanted::default();
    };
    let auth = config.publish.as_ref().and_then(|p| p.auth.as_deref());
    SecretsWanted {
        passphrase: passphrase_wanted(&build_options(options, &config)),
        password: auth == Some("basic"),
    }
}

/// The build a publish makes: the configured output, encrypted when the config says so.
fn build_options(options: &PublishOptions, config: &Config) -> BuildOptions {
    BuildOptions {
        root: options.root.clone(),
        output: Some(output_folder(&options.root, config)),
        passphrase: options.passphrase.clone(),
        weak_passphrase_ok: options.weak_passphrase_ok,
        ..BuildOptions::default()
    }
}

/// The output folder of `config`, absolute or under `root`.
pub(crate) fn output_folder(root: &Path, config: &Config) -> PathBuf {
    match &config.output_dir {
        dir if dir.is_absolute() => dir.clone(),
        dir => root.join(dir),
    }
}

/// What a publish did (or, dry, would do); paths relative to the target.
#[derive(Debug, Default)]
pub struct Published {
    pub target: String,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub dry_run: bool,
}

/// Two listings of files (path → what identifies the content) side by side.
pub(crate) struct Differences {
    /// In `ours` only.
    pub only_ours: Vec<String>,
    /// In both, with different content.
    pub differ: Vec<String>,
    /// In `theirs` only.
    pub only_theirs: Vec<String>,
}

/// What tells `ours` from `theirs`, each list in path order.
pub(crate) fn differences<V: PartialEq>(
    ours: &BTreeMap<String, V>,
    theirs: &BTreeMap<String, V>,
) -> Differences {
    let mut found = Differences {
        only_ours: Vec::new(),
        differ: Vec::new(),
        only_theirs: Vec::new(),
    };
    for (file, id) in ours {
        match theirs.get(file) {
            None => found.only_ours.push(file.clone()),
            Some(other) if other != id => found.differ.push(file.clone()),
            Some(_) => {}
        }
    }
    found.only_theirs = (theirs.keys())
        .filter(|file| !ours.contains_key(*file))
        .cloned()
        .collect();
    found
}

pub fn publish(options: &PublishOptions) -> Result<Published, Failure> {
    let config = Config::load(&options.root)?;
    let settings = config.publish.clone().unwrap_or_default();
    // Each problem of the settings is told at the setting, in playbook.yaml.
    let setting_error =
        |keys: &[&str], message: String| Failure::one(config.error_at(keys, message));
    let Some(target) = settings.target.clone().filter(|t| !t.trim().is_empty()) else {
        return Err(setting_error(
            &["publish", "target"],
            "publish.target is not set: write where the site goes, a folder (`/mnt/site`), an \
             rsync destination (`me@host:/var/www/playbook`) or a git branch \
             (`git:../site.git#gh-pages`)"
                .into(),
        ));
    };
    if settings.encrypt.as_deref() == Some("required") && !config.encrypt {
        return Err(setting_error(
            &["publish", "encrypt"],
            format!(
                "refusing to publish an unencrypted build to {target}: publish.encrypt is \
             `required`; set `encrypt: true` to encrypt the site"
            ),
        ));
    }
    let output = output_folder(&options.root, &config);
    let previous_htpasswd = fs::read_to_string(output.join(auth::HTPASSWD)).ok();
    // A build that fails stops here, before anything is sent. A dry run builds in memory and
    // writes nothing anywhere.
    let build = build_options(options, &config);
    let mut built = match options.dry_run {
        true => Built::Memory(build_in_memory(&build)?.0.into_iter().collect()),
        false => Built::Staged(Box::new(stage(&build)?)),
    };
    let destination = Destination::parse(&options.root, &target)
        .map_err(|message| setting_error(&["publish", "target"], message))?;
    if settings.auth.as_deref() == Some("basic") {
        let Some(user_file) = settings.auth_file.clone().or_else(|| {
            destination
                .absolute_path()
                .map(|dir| format!("{dir}/{}", auth::HTPASSWD))
        }) else {
            return Err(setting_error(
                &["publish", "auth"],
                "publish.auth: basic needs publish.auth_file, the absolute path of .htpasswd on \
                 the server (the target does not tell it)"
                    .into(),
            ));
        };
        let files = auth::host_rules(
            settings.user.as_deref().unwrap_or("playbook"),
            &options.password,
            &user_file,
            previous_htpasswd.as_deref(),
        )?;
        for (name, text) in files {
            built.write(name, text.as_bytes())?;
        }
    }
    let site = built.into_site()?;
    let encrypted = config.encrypt;
    let mut published = match &destination {
        Destination::Folder(folder) => {
            if !encrypted
                && !options.force
                && crate::seal::Lock::find(folder) != crate::seal::Found::Nothing
            {
                return Err(refuse_plain_over_encrypted(&target));
            }
            folder::sync(&options.root, &output, &site, folder, options.force)?
        }
        Destination::Rsync(remote) => rsync::sync(&site, remote, encrypted, options.force)?,
        Destination::Git(git) => git::sync(&site, git, encrypted, options.force)?,
    };
    published.target = target;
    published.dry_run = options.dry_run;
    Ok(published)
}

fn refuse_plain_over_encrypted(target: &str) -> Failure {
    Failure::one(Diagnostic::error(
        target,
        "refusing to publish: the target holds an encrypted site and this build is not \
         encrypted; set `encrypt: true`, or pass --force to delete it and publish this \
         unencrypted build",
    ))
}

/// Where `publish.target` points.
enum Destination {
    Folder(PathBuf),
    /// `[user@]host:path`, as rsync takes it.
    Rsync(String),
    /// `git:<repository>#<branch>`.
    Git(git::GitTarget),
}

impl Destination {
    /// rsync's own rule: a colon before any slash makes a remote destination.
    fn parse(root: &Path, target: &str) -> Result<Destination, String> {
        if target.starts_with('-') {
            return Err(format!("publish.target `{target}` cannot start with `-`"));
        }
        if target.starts_with(git::PREFIX) {
            return git::GitTarget::parse(root, target).map(Destination::Git);
        }
        let remote = target
            .split_once(':')
            .is_some_and(|(host, _)| !host.is_empty() && !host.contains('/'));
        Ok(if remote {
            Destination::Rsync(target.to_string())
        } else {
            Destination::Folder(root.join(target))
        })
    }

    /// The site's folder as the host sees it, when the target tells (for `.htaccess`).
    fn absolute_path(&self) -> Option<String> {
        match self {
            Destination::Folder(folder) => Some(
                crate::build::real_path(folder)
                    .to_string_lossy()
                    .into_owned(),
            ),
            Destination::Rsync(remote) => remote
                .split_once(':')
                .map(|(_, path)| path.trim_end_matches('/').to_string())
                .filter(|path| path.starts_with('/')),
            Destination::Git(_) => None,
        }
    }
}

/// The build a publish sends, before it is in place: staged beside the output, or, for a dry
/// run, in memory.
enum Built {
    Staged(Box<Staged>),
    Memory(BTreeMap<Arc<str>, Arc<[u8]>>),
}

impl Built {
    /// Adds a file the pages do not make (the host's rules).
    fn write(&mut self, path: &str, bytes: &[u8]) -> Result<(), Failure> {
        match self {
            Built::Staged(staged) => staged.write(path, bytes),
            Built::Memory(files) => {
                files.insert(Arc::from(path), Arc::from(bytes));
                Ok(())
            }
        }
    }

    /// The site to send: the staged build swapped into the output folder, or the dry run's,
    /// which stays in memory.
    fn into_site(self) -> Result<Site, Failure> {
        Ok(match self {
            Built::Staged(staged) => Site::Folder(staged.commit()?.output),
            Built::Memory(files) => Site::Memory(files),
        })
    }
}

/// The site a publish sends: the output folder, or a dry run's build in memory.
pub enum Site {
    Folder(PathBuf),
    Memory(BTreeMap<Arc<str>, Arc<[u8]>>),
}

impl Site {
    /// Whether this is a dry run's site, which nothing is to be written from.
    fn dry_run(&self) -> bool {
        matches!(self, Site::Memory(_))
    }

    /// Its files, relative and `/`-separated, without playbook's own marks.
    fn files(&self) -> BTreeSet<String> {
        match self {
            Site::Folder(dir) => files_under(dir),
            Site::Memory(files) => files
                .keys()
                .filter(|path| ***path != *MARK_FILE && ***path != *PUBLISHED_MARK)
                .map(|path| path.to_string())
                .collect(),
        }
    }

    /// Whether the site's `file` has the bytes of the file at `other`.
    fn same_as(&self, file: &str, other: &Path) -> bool {
        match self {
            Site::Folder(dir) => same_bytes(&dir.join(file), other),
            Site::Memory(files) => {
                let size = fs::metadata(other).map(|m| m.len()).ok();
                files.get(file).is_some_and(|bytes| {
                    size == Some(bytes.len() as u64)
                        && fs::read(other).ok().as_deref() == Some(&bytes[..])
                })
            }
        }
    }

    /// A folder holding the site, for rsync to compare: the output folder itself, or a
    /// private temporary copy of a dry run's, removed when the returned `TempDir` drops.
    fn on_disk(&self) -> std::io::Result<(PathBuf, Option<tempfile::TempDir>)> {
        let files = match self {
            Site::Folder(dir) => return Ok((dir.clone(), None)),
            Site::Memory(files) => files,
        };
        let copy = tempfile::tempdir()?;
        for (path, bytes) in files {
            let to = copy.path().join(&**path);
            if let Some(dir) = to.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::write(to, bytes)?;
        }
        Ok((copy.path().to_path_buf(), Some(copy)))
    }

    /// Copies the site's `file` to `to`.
    fn copy(&self, file: &str, to: &Path) -> std::io::Result<()> {
        match self {
            Site::Folder(dir) => fs::copy(dir.join(file), to).map(drop),
            Site::Memory(files) => match files.get(file) {
                Some(bytes) => fs::write(to, bytes),
                None => Err(std::io::ErrorKind::NotFound.into()),
            },
        }
    }
}

fn same_bytes(a: &Path, b: &Path) -> bool {
    let same_size = match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.len() == b.len(),
        _ => false,
    };
    same_size && fs::read(a).ok() == fs::read(b).ok()
}

/// Files under `dir`, relative and `/`-separated, without playbook's own marks.
pub(crate) fn files_under(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|item| item.file_type().is_file())
        .filter_map(|item| {
            let rel = item.path().strip_prefix(dir).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel != MARK_FILE && rel != PUBLISHED_MARK).then_some(rel)
        })
        .collect()
}

fn published_list(files: &BTreeSet<String>) -> String {
    let mut text =
        String::from("# Published by `playbook publish`; it replaces what is listed here.\n");
    for file in files {
        text.push_str(file);
        text.push('\n');
    }
    text
}

fn read_published_list(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// The refusal for a target holding `foreign` files (none: no refusal).
fn refuse_foreign(target: &str, foreign: &[String], force: bool) -> Result<(), Failure> {
    if force || foreign.is_empty() {
        return Ok(());
    }
    let more = match foreign.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Err(Failure::one(Diagnostic::error(
        target,
        format!(
            "refusing to publish here: the target holds files playbook did not put there ({}{more}); \
             choose an empty target, or pass --force to delete them and publish",
            foreign[0]
        ),
    )))
}

mod auth;
mod folder;
pub mod git;
mod rsync;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rsync_itemized_lines_become_added_changed_and_removed() {
        let published = rsync::parse_itemized(
            "cd+++++++++ advice/\n<f+++++++++ advice/new/index.html\n<f.st...... index.html\n\
             <fc.t...... style.css\n*deleting   old/index.html\n*deleting   old/\n.d..t...... ./\n",
        );
        assert_eq!(published.added, ["advice/new/index.html"]);
        assert_eq!(published.changed, ["index.html", "style.css"]);
        assert_eq!(published.removed, ["old/index.html"]);
    }

    #[test]
    fn a_colon_before_any_slash_makes_a_remote_target() {
        let root = Path::new("/p");
        let parse = |target| Destination::parse(root, target);
        assert!(matches!(
            parse("me@host:/srv/site"),
            Ok(Destination::Rsync(_))
        ));
        assert!(matches!(parse("host:site"), Ok(Destination::Rsync(_))));
        assert!(matches!(parse("/mnt/site"), Ok(Destination::Folder(_))));
        assert!(matches!(parse("./a:b"), Ok(Destination::Folder(_))));
        assert!(matches!(
            parse("git:../site.git#gh-pages"),
            Ok(Destination::Git(_))
        ));
        assert!(parse("git:../site.git").is_err());
        assert!(parse("-e sh:x").is_err());
    }
}
