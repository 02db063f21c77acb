//! A local or mounted folder: compared file by file, then brought in line.

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
