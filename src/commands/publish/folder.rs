//! A local or mounted folder: compared file by file, then brought in line.

use super::*;
use crate::output::{TEMP_SUFFIX, is_temp_copy, write_beside};

/// Sends `site` (the output folder; a dry run's, in memory, is only compared).
pub fn sync(
    root: &Path,
    output: &Path,
    site: &Site,
    target: &Path,
    force: bool,
) -> Result<Published, Failure> {
    check_target(root, output, target)?;
    let plan = compare(site, target, force)?;
    if site.dry_run() {
        return Ok(plan.published);
    }
    remove_leftovers(target, &plan.leftovers)?;
    // The list grows before the files arrive, so that a publish cut short leaves no file
    // the next one would take for someone else's.
    fs::create_dir_all(target).map_err(|err| io_failure(target, "create folder", err))?;
    let mark = target.join(PUBLISHED_MARK);
    let growing: BTreeSet<String> = plan.ours.union(&plan.source).cloned().collect();
    write_list(&mark, &growing)?;
    copy_files(site, target, &plan.published)?;
    remove_files(target, &plan.published.removed)?;
    write_list(&mark, &plan.source)?;
    Ok(plan.published)
}

/// What a publish to a folder will do, worked out before anything is written.
struct Plan {
    /// The files of the site.
    source: BTreeSet<String>,
    /// The files the target's list says playbook put there (none when it has no list).
    ours: BTreeSet<String>,
    /// Copies a publish cut short left in the target, to clear away first.
    leftovers: Vec<String>,
    published: Published,
}

/// Compares the site with the target file by file; refuses a target holding files playbook
/// did not put there, unless `force`.
fn compare(site: &Site, target: &Path, force: bool) -> Result<Plan, Failure> {
    let source = site.files();
    let mut existing = if target.is_dir() {
        files_under(target)
    } else {
        BTreeSet::new()
    };
    let ours =
        fs::read_to_string(target.join(PUBLISHED_MARK)).map(|text| read_published_list(&text));
    // Copies left by a publish cut short are ours where our list is: they are cleared away
    // first, never listed, so that no copy of this publish trips over one.
    // A copy of the list itself is ours wherever it is: a first publish killed while writing
    // its list leaves nothing else.
    let list_copy = format!(".{PUBLISHED_MARK}{TEMP_SUFFIX}");
    let leftovers: Vec<String> = existing
        .iter()
        .filter(|file| **file == list_copy || (ours.is_ok() && is_temp_copy(file)))
        .cloned()
        .collect();
    existing.retain(|file| !leftovers.contains(file));
    let ours = ours.unwrap_or_default();
    let mut published = Published::default();
    let mut foreign = Vec::new();
    for file in &existing {
        if !ours.contains(file) {
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
        } else if !site.same_as(file, &target.join(file)) {
            published.changed.push(file.clone());
        }
    }
    Ok(Plan {
        source,
        ours,
        leftovers,
        published,
    })
}

/// Clears away the copies a publish cut short left; one already gone is no matter.
fn remove_leftovers(target: &Path, leftovers: &[String]) -> Result<(), Failure> {
    for file in leftovers {
        let path = target.join(file);
        match fs::remove_file(&path) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                return Err(io_failure(&path, "remove", err));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Writes the target's publish list of `files`, whole or not at all.
fn write_list(mark: &Path, files: &BTreeSet<String>) -> Result<(), Failure> {
    let list = published_list(files);
    write_beside(mark, |temp| fs::write(temp, &list)).map_err(|err| io_failure(mark, "write", err))
}

/// Copies the site's added and changed files into the target, each whole or not at all.
fn copy_files(site: &Site, target: &Path, published: &Published) -> Result<(), Failure> {
    for file in published.added.iter().chain(&published.changed) {
        let to = target.join(file);
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir).map_err(|err| io_failure(dir, "create folder", err))?;
        }
        write_beside(&to, |temp| site.copy(file, temp))
            .map_err(|err| io_failure(&to, "copy", err))?;
    }
    Ok(())
}

/// Removes from the target the files the site no longer has.
fn remove_files(target: &Path, removed: &[String]) -> Result<(), Failure> {
    for file in removed {
        let path = target.join(file);
        fs::remove_file(&path).map_err(|err| io_failure(&path, "remove", err))?;
        // Folders left empty go too, up to the target.
        let mut dir = path.parent();
        while let Some(folder) = dir.filter(|d| *d != target) {
            if fs::remove_dir(folder).is_err() {
                break;
            }
            dir = folder.parent();
        }
    }
    Ok(())
}

/// The failure of an I/O `action` on `path`.
fn io_failure(path: &Path, action: &str, err: std::io::Error) -> Failure {
    Failure::one(Diagnostic::io(path, action, &err))
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
