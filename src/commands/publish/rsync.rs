//! An rsync destination: rsync decides what to send (by checksum) and deletes what the site no
//! longer has; its itemized output is what is reported.

use super::*;

/// Sends `site` (the output folder; a dry run's, in memory, is only compared, from a private
/// temporary copy, since rsync compares files).
pub fn sync(site: &Site, remote: &str, encrypted: bool, force: bool) -> Result<Published, Failure> {
    let ours = remote_published_list(remote);
    if !encrypted
        && !force
        && ours
            .as_ref()
            .is_some_and(|ours| ours.contains(crate::seal::UNLOCK_SCRIPT))
    {
        return Err(refuse_plain_over_encrypted(remote));
    }
    let (output, _copy) = site.on_disk().map_err(|err| {
        Failure::one(Diagnostic::io(
            Path::new(remote),
            "copy the site for rsync",
            &err,
        ))
    })?;
    let output = output.as_path();
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
    if site.dry_run() {
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
