//! `playbook publish [--dry-run] [--force]`: builds the site (encrypted when configured), then
//! sends the output to `publish.target` — a local or mounted folder, or an rsync destination
//! (`user@host:path`, through the system's rsync and ssh) — and says what it added, changed and
//! removed. A target remembers what playbook put there (`.playbook-published`), so that files
//! someone else put there are never deleted without `--force`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::build::{BuildOptions, build};
use crate::config::{CONFIG_FILE, Config};
use crate::error::{Diagnostic, Failure};
use crate::output::MARK_FILE;

/// The list of what playbook published, kept in the target.
pub const PUBLISHED_MARK: &str = ".playbook-published";
/// The end of a file being copied into a folder target.
const TEMP_SUFFIX: &str = ".playbook-tmp";

pub struct PublishOptions {
    pub root: PathBuf,
    /// Print what would change; change nothing.
    pub dry_run: bool,
    /// Replace a target that holds files playbook did not put there.
    pub force: bool,
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

pub fn publish(options: &PublishOptions) -> Result<Published, Failure> {
    let config = Config::load(&options.root)?;
    let settings = config.publish.clone().unwrap_or_default();
    let config_error = |message: String| Failure::one(Diagnostic::error(CONFIG_FILE, message));
    let Some(target) = settings.target.clone().filter(|t| !t.trim().is_empty()) else {
        return Err(config_error(
            "publish.target is not set: write where the site goes, a folder (`/mnt/site`) or an \
             rsync destination (`me@host:/var/www/playbook`)"
                .into(),
        ));
    };
    if settings.encrypt.as_deref() == Some("required") && !config.encrypt {
        return Err(config_error(format!(
            "refusing to publish an unencrypted build to {target}: publish.encrypt is \
             `required`; set `encrypt: true` to encrypt the site"
        )));
    }
    let output = match &config.output_dir {
        dir if dir.is_absolute() => dir.clone(),
        dir => options.root.join(dir),
    };
    let previous_htpasswd = fs::read_to_string(output.join(auth::HTPASSWD)).ok();
    // A build that fails stops here, before anything is sent.
    let report = build(&BuildOptions {
        root: options.root.clone(),
        output: Some(output.clone()),
        drafts: false,
        base_url: None,
        today: None,
        encrypt: false,
    })?;
    let destination = Destination::parse(&options.root, &target).map_err(config_error)?;
    if settings.auth.as_deref() == Some("basic") {
        let Some(user_file) = settings.auth_file.clone().or_else(|| {
            destination
                .absolute_path()
                .map(|dir| format!("{dir}/{}", auth::HTPASSWD))
        }) else {
            return Err(config_error(
                "publish.auth: basic needs publish.auth_file, the absolute path of .htpasswd on \
                 the server (the target does not tell it)"
                    .into(),
            ));
        };
        auth::write_files(
            &report.output,
            settings.user.as_deref().unwrap_or("playbook"),
            &user_file,
            previous_htpasswd.as_deref(),
        )?;
    }
    let encrypted = config.encrypt;
    let mut published = match &destination {
        Destination::Folder(folder) => {
            if !encrypted && !options.force && crate::seal::Lock::read(folder).is_some() {
                return Err(refuse_plain_over_encrypted(&target));
            }
            folder::sync(
                &options.root,
                &report.output,
                folder,
                options.dry_run,
                options.force,
            )?
        }
        Destination::Rsync(remote) => rsync::sync(
            &report.output,
            remote,
            encrypted,
            options.dry_run,
            options.force,
        )?,
    };
    published.target = target;
    published.dry_run = options.dry_run;
    Ok(published)
}

fn refuse_plain_over_encrypted(target: &str) -> Failure {
    Failure::one(Diagnostic::error(
        target,
        "refusing to publish: the target holds an encrypted site and this build is not \
         encrypted; set `encrypt: true`, or pass --force to replace it",
    ))
}

/// Where `publish.target` points.
enum Destination {
    Folder(PathBuf),
    /// `[user@]host:path`, as rsync takes it.
    Rsync(String),
}

impl Destination {
    /// rsync's own rule: a colon before any slash makes a remote destination.
    fn parse(root: &Path, target: &str) -> Result<Destination, String> {
        if target.starts_with('-') {
            return Err(format!("publish.target `{target}` cannot start with `-`"));
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
            Destination::Folder(folder) => fs::create_dir_all(folder)
                .and_then(|()| folder.canonicalize())
                .ok()
                .map(|path| path.to_string_lossy().into_owned()),
            Destination::Rsync(remote) => remote
                .split_once(':')
                .map(|(_, path)| path.trim_end_matches('/').to_string())
                .filter(|path| path.starts_with('/')),
        }
    }
}

/// Files under `dir`, relative and `/`-separated, without playbook's own marks.
fn files_under(dir: &Path) -> BTreeSet<String> {
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
             choose an empty target, or pass --force to replace them",
            foreign[0]
        ),
    )))
}

/// A local or mounted folder: compared file by file, then brought in line.
mod folder {
    use super::*;

    pub fn sync(
        root: &Path,
        output: &Path,
        target: &Path,
        dry_run: bool,
        force: bool,
    ) -> Result<Published, Failure> {
        let io = |path: &Path, action: &str, err: std::io::Error| {
            Failure::one(Diagnostic::io(path, action, &err))
        };
        check_target(root, output, target)?;
        let source = files_under(output);
        let existing = if target.is_dir() {
            files_under(target)
        } else {
            BTreeSet::new()
        };
        let ours = fs::read_to_string(target.join(PUBLISHED_MARK))
            .map(|text| read_published_list(&text))
            .unwrap_or_default();
        let mut published = Published::default();
        let mut foreign = Vec::new();
        for file in &existing {
            // A copy left by a publish cut short is ours.
            if !ours.contains(file) && !file.ends_with(TEMP_SUFFIX) {
                foreign.push(file.clone());
            }
            if !source.contains(file) {
                published.removed.push(file.clone());
            }
        }
        refuse_foreign(&target.to_string_lossy(), &foreign, force)?;
        for file in &source {
            if !existing.contains(file) {
                published.added.push(file.clone());
            } else if !same_bytes(&output.join(file), &target.join(file)) {
                published.changed.push(file.clone());
            }
        }
        if dry_run {
            return Ok(published);
        }
        // The list grows before the files arrive, so that a publish cut short leaves no file
        // the next one would take for someone else's.
        let mark = target.join(PUBLISHED_MARK);
        fs::create_dir_all(target).map_err(|err| io(target, "create folder", err))?;
        let growing: BTreeSet<String> = ours.union(&source).cloned().collect();
        fs::write(&mark, published_list(&growing)).map_err(|err| io(&mark, "write", err))?;
        for file in published.added.iter().chain(&published.changed) {
            let (from, to) = (output.join(file), target.join(file));
            if let Some(dir) = to.parent() {
                fs::create_dir_all(dir).map_err(|err| io(dir, "create folder", err))?;
            }
            // Copied beside, then renamed: a reader never sees half a file.
            let temp = to.with_file_name(format!(
                ".{}{TEMP_SUFFIX}",
                to.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ));
            let copied = fs::copy(&from, &temp).and_then(|_| fs::rename(&temp, &to));
            if let Err(err) = copied {
                let _ = fs::remove_file(&temp);
                return Err(io(&to, "copy", err));
            }
        }
        for file in &published.removed {
            let path = target.join(file);
            fs::remove_file(&path).map_err(|err| io(&path, "remove", err))?;
            // Folders left empty go too, up to the target.
            let mut dir = path.parent();
            while let Some(folder) = dir.filter(|d| *d != target) {
                if fs::remove_dir(folder).is_err() {
                    break;
                }
                dir = folder.parent();
            }
        }
        fs::write(&mark, published_list(&source)).map_err(|err| io(&mark, "write", err))?;
        Ok(published)
    }

    /// A target may not hold the playbook, nor be inside what playbook reads or writes: a
    /// publish there (with --force) would delete the sources.
    fn check_target(root: &Path, output: &Path, target: &Path) -> Result<(), Failure> {
        use crate::build::real_path;
        let (root, output, real) = (real_path(root), real_path(output), real_path(target));
        let refuse = |why: &str| {
            Err(Failure::one(Diagnostic::error(
                target,
                format!("refusing to publish here: {why}; choose another publish.target"),
            )))
        };
        if root.starts_with(&real) {
            return refuse("this folder holds the playbook itself");
        }
        if real.starts_with(&output) || output.starts_with(&real) {
            return refuse("it overlaps the output folder");
        }
        for source in ["content", "themes"] {
            if real.starts_with(root.join(source)) {
                return refuse(&format!("it is inside {source}/, which playbook reads"));
            }
        }
        Ok(())
    }

    fn same_bytes(a: &Path, b: &Path) -> bool {
        let same_size = match (fs::metadata(a), fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.len() == b.len(),
            _ => false,
        };
        same_size && fs::read(a).ok() == fs::read(b).ok()
    }
}

/// An rsync destination: rsync decides what to send (by checksum) and deletes what the site no
/// longer has; its itemized output is what is reported.
mod rsync {
    use super::*;

    pub fn sync(
        output: &Path,
        remote: &str,
        encrypted: bool,
        dry_run: bool,
        force: bool,
    ) -> Result<Published, Failure> {
        let ours = remote_published_list(remote);
        if !encrypted
            && !force
            && ours
                .as_ref()
                .is_some_and(|ours| ours.contains(crate::seal::UNLOCK_SCRIPT))
        {
            return Err(refuse_plain_over_encrypted(remote));
        }
        // Always look first: what would be deleted or overwritten tells foreign files.
        let planned = run(output, remote, true)?;
        let foreign: Vec<String> = planned
            .removed
            .iter()
            .chain(&planned.changed)
            .filter(|file| ours.as_ref().is_none_or(|ours| !ours.contains(*file)))
            .cloned()
            .collect();
        refuse_foreign(remote, &foreign, force)?;
        if dry_run {
            return Ok(planned);
        }
        // The list grows before the files arrive, so that a publish cut short leaves no file
        // the next one would take for someone else's.
        let files = files_under(output);
        let mut growing = ours.unwrap_or_default();
        growing.extend(files.iter().cloned());
        send_list(output, remote, &growing)?;
        let done = run(output, remote, false)?;
        send_list(output, remote, &files)?;
        Ok(done)
    }

    fn send_list(output: &Path, remote: &str, files: &BTreeSet<String>) -> Result<(), Failure> {
        let list = tempfile::NamedTempFile::new()
            .and_then(|mut file| {
                use std::io::Write as _;
                file.write_all(published_list(files).as_bytes())?;
                Ok(file)
            })
            .map_err(|err| Failure::one(Diagnostic::io(output, "write the publish list", &err)))?;
        let status = Command::new("rsync")
            .args(["--protect-args", "--chmod=F644", "--"])
            .arg(list.path())
            .arg(format!("{}{PUBLISHED_MARK}", remote_dir(remote)))
            .status();
        if !status.is_ok_and(|s| s.success()) {
            return Err(Failure::one(Diagnostic::error(
                remote,
                "rsync could not write the publish list",
            )));
        }
        Ok(())
    }

    /// `remote` as a folder for rsync, with its trailing slash: an empty path (`host:`) is the
    /// remote home folder, not `/`.
    fn remote_dir(remote: &str) -> String {
        match remote.split_once(':') {
            Some((host, "")) => format!("{host}:./"),
            _ => format!("{}/", remote.trim_end_matches('/')),
        }
    }
    /// The target's list of what playbook published there; `None` if it has none.
    fn remote_published_list(remote: &str) -> Option<BTreeSet<String>> {
        let local = tempfile::tempdir().ok()?;
        let copy = local.path().join("list");
        let source = format!("{}{PUBLISHED_MARK}", remote_dir(remote));
        let status = Command::new("rsync")
            .args(["--quiet", "--protect-args", "--"])
            .arg(&source)
            .arg(&copy)
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
        Some(read_published_list(&fs::read_to_string(copy).ok()?))
    }

    fn run(output: &Path, remote: &str, dry_run: bool) -> Result<Published, Failure> {
        let mut command = Command::new("rsync");
        command.args([
            "--recursive",
            "--links",
            "--times",
            "--checksum",
            "--delete",
            "--itemize-changes",
            "--chmod=D755,F644",
            "--protect-args",
        ]);
        command.arg(format!("--exclude=/{MARK_FILE}"));
        command.arg(format!("--exclude=/{PUBLISHED_MARK}"));
        if dry_run {
            command.arg("--dry-run");
        }
        // Absolute, so that a colon in the output's path cannot make rsync take it for a host.
        command.arg("--");
        command.arg(format!("{}/", crate::build::real_path(output).display()));
        command.arg(remote_dir(remote));
        let result = command.output().map_err(|err| {
            Failure::one(Diagnostic::error(
                remote,
                format!("could not run rsync (is it installed?): {err}"),
            ))
        })?;
        if !result.status.success() {
            let stderr = String::from_utf8_lossy(&result.stderr);
            return Err(Failure::one(Diagnostic::error(
                remote,
                format!("rsync failed: {}", stderr.trim()),
            )));
        }
        Ok(parse_itemized(&String::from_utf8_lossy(&result.stdout)))
    }

    /// rsync's `--itemize-changes` lines: `<f+++++++++ path` new, `<f.st...... path` changed,
    /// `*deleting   path` removed; folders are left out.
    pub(super) fn parse_itemized(text: &str) -> Published {
        let mut published = Published::default();
        for line in text.lines() {
            if let Some(path) = line.strip_prefix("*deleting") {
                let path = path.trim_start();
                if !path.ends_with('/') {
                    published.removed.push(path.to_string());
                }
                continue;
            }
            let (Some(flags), Some(path)) = (line.get(..11), line.get(12..)) else {
                continue;
            };
            let mut chars = flags.chars();
            let (update, kind) = (chars.next(), chars.next());
            if !matches!(update, Some('<' | '>')) || kind != Some('f') {
                continue;
            }
            if flags[2..].chars().all(|c| c == '+') {
                published.added.push(path.to_string());
            } else {
                published.changed.push(path.to_string());
            }
        }
        published
    }
}

/// Host access rules, written when `publish.auth: basic`: Apache's `.htaccess` and
/// `.htpasswd` (bcrypt), and a `_headers` Basic-Auth rule for Netlify.
mod auth {
    use super::*;

    pub const HTPASSWD: &str = ".htpasswd";

    pub fn write_files(
        output: &Path,
        user: &str,
        user_file: &str,
        previous_htpasswd: Option<&str>,
    ) -> Result<(), Failure> {
        let fail = |message: String| Failure::one(Diagnostic::error(CONFIG_FILE, message));
        if user.is_empty() || user.contains([':', '\n']) {
            return Err(fail(format!(
                "publish.user `{user}` cannot hold `:` or be empty"
            )));
        }
        let password = password().map_err(fail)?;
        // The same password keeps the same line: bcrypt salts afresh, and an unchanged file
        // is not sent again.
        let kept = previous_htpasswd.and_then(|text| {
            let hash = text
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{user}:")))?;
            bcrypt::verify(&password, hash)
                .ok()?
                .then(|| text.to_string())
        });
        let htpasswd = match kept {
            Some(text) => text,
            None => {
                let hash = bcrypt::hash(&password, bcrypt::DEFAULT_COST)
                    .map_err(|err| fail(format!("could not hash the password: {err}")))?;
                format!("{user}:{hash}\n")
            }
        };
        let htaccess = format!(
            "# Written by `playbook publish` (publish.auth: basic). Apache honours it where the\n\
             # host allows `AllowOverride AuthConfig`.\n\
             AuthType Basic\n\
             AuthName \"Private playbook\"\n\
             AuthUserFile \"{user_file}\"\n\
             Require valid-user\n\
             <FilesMatch \"^(\\.ht|_headers$)\">\n  Require all denied\n</FilesMatch>\n"
        );
        let headers = format!(
            "# Written by `playbook publish` (publish.auth: basic): Netlify asks for this user\n\
             # and password on every page. Apache refuses to serve it (.htaccess); other hosts\n\
             # serve it like any file, password included.\n\
             /*\n  Basic-Auth: {user}:{password}\n"
        );
        for (name, text) in [
            (HTPASSWD, htpasswd),
            (".htaccess", htaccess),
            ("_headers", headers),
        ] {
            let path = output.join(name);
            fs::write(&path, text)
                .map_err(|err| Failure::one(Diagnostic::io(&path, "write", &err)))?;
        }
        Ok(())
    }

    /// `PLAYBOOK_AUTH_PASSWORD`, or asked at the terminal (twice). No spaces: `_headers`
    /// separates the user and password from what follows with one.
    fn password() -> Result<String, String> {
        use std::io::IsTerminal;
        let check = |password: String| {
            if password.is_empty() {
                Err("the Basic-Auth password is empty".to_string())
            } else if password
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
            {
                Err("the Basic-Auth password cannot hold spaces or control characters".into())
            } else {
                Ok(password)
            }
        };
        if let Ok(password) = std::env::var("PLAYBOOK_AUTH_PASSWORD") {
            return check(password);
        }
        if !std::io::stdin().is_terminal() {
            return Err(
                "publish.auth: basic needs a password: set PLAYBOOK_AUTH_PASSWORD, or run \
                        playbook in a terminal to be asked"
                    .into(),
            );
        }
        let ask = |prompt: &str| {
            rpassword::prompt_password(prompt)
                .map_err(|err| format!("could not read the password: {err}"))
        };
        let password = check(ask("Password for the host's Basic-Auth: ")?)?;
        if ask("The same password again: ")? != password {
            return Err("the two passwords differ; nothing was published".into());
        }
        Ok(password)
    }
}

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
        assert!(parse("-e sh:x").is_err());
    }
}
