//! The only writer: pages go into a sibling temporary folder, which replaces the output folder
//! in one rename once the whole build has succeeded. Folders playbook made carry a mark file,
//! and a folder without it is never replaced.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Diagnostic;

/// Marks an output folder as playbook's; its presence is what allows replacing the folder.
pub const MARK_FILE: &str = ".playbook-output";
const MARK_TEXT: &str = "This folder is written by `playbook build` and replaced on every build.\n";

/// A build's output being written; dropped without `commit`, it leaves no trace.
pub struct Staging {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

impl Staging {
    /// Checks that `target` may be replaced and creates the temporary folder beside it.
    pub fn begin(target: &Path) -> Result<Staging, Diagnostic> {
        check_replaceable(target)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Diagnostic::error(target, "the output folder needs a name"))?;
        let parent = target.parent().unwrap_or(Path::new("."));
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        fs::create_dir_all(parent).map_err(|err| Diagnostic::io(parent, "create folder", &err))?;
        let prefix = format!(".{name}.playbook-tmp-");
        remove_abandoned_temps(parent, &prefix);
        let temp = parent.join(format!("{prefix}{}", std::process::id()));
        if temp.exists() {
            // Left by a killed run that had this same process id; it is ours to remove.
            fs::remove_dir_all(&temp).map_err(|err| Diagnostic::io(&temp, "remove", &err))?;
        }
        fs::create_dir(&temp).map_err(|err| Diagnostic::io(&temp, "create folder", &err))?;
        let staging = Staging {
            target: target.to_path_buf(),
            temp,
            committed: false,
        };
        staging.write(MARK_FILE, MARK_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Writes one file at `rel` (a `/`-separated path made by the renderer from slugs).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        debug_assert!(
            !rel.split('/')
                .any(|part| part == ".." || part.is_empty() && rel.starts_with('/'))
        );
        let path = self.temp.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|err| Diagnostic::io(dir, "create folder", &err))?;
        }
        fs::write(&path, bytes).map_err(|err| Diagnostic::io(&self.target.join(rel), "write", &err))
    }

    /// Swaps the finished build in for the old output.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let old = self.temp.with_file_name(format!(
            "{}.old",
            self.temp
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
        if self.target.exists() {
            fs::rename(&self.target, &old)
                .map_err(|err| Diagnostic::io(&self.target, "move aside", &err))?;
            if let Err(err) = fs::rename(&self.temp, &self.target) {
                let _ = fs::rename(&old, &self.target);
                return Err(Diagnostic::io(&self.target, "replace", &err));
            }
            // The new site is in place; a leftover old copy is only wasted space.
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&self.temp, &self.target)
                .map_err(|err| Diagnostic::io(&self.target, "create", &err))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

/// Removes temporary folders (`<prefix><pid>`, `<prefix><pid>.old`) left beside the output by
/// builds that were killed: they carry playbook's mark and their process is gone. Best effort:
/// a folder that cannot be removed now is tried again next time.
fn remove_abandoned_temps(parent: &Path, prefix: &str) {
    let Ok(items) = fs::read_dir(parent) else {
        return;
    };
    for item in items.flatten() {
        let file_name = item.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        let pid = rest.strip_suffix(".old").unwrap_or(rest);
        let abandoned = pid.parse::<u32>().is_ok_and(|pid| !process_is_running(pid));
        if abandoned && item.path().join(MARK_FILE).is_file() {
            let _ = fs::remove_dir_all(item.path());
        }
    }
}

/// Whether process `pid` still runs; where that cannot be told, it is assumed to.
fn process_is_running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// A folder may be replaced if it does not exist, is empty, or carries playbook's mark.
fn check_replaceable(target: &Path) -> Result<(), Diagnostic> {
    let metadata = match fs::symlink_metadata(target) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(Diagnostic::io(target, "inspect output folder", &err)),
    };
    if !metadata.is_dir() {
        return Err(Diagnostic::error(
            target,
            "the output path exists and is not a folder; playbook will not replace it",
        ));
    }
    if target.join(MARK_FILE).is_file() {
        return Ok(());
    }
    let mut items =
        fs::read_dir(target).map_err(|err| Diagnostic::io(target, "read output folder", &err))?;
    if items.next().is_none() {
        return Ok(());
    }
    Err(Diagnostic::error(
        target,
        format!(
            "refusing to replace this folder: it has files and playbook did not make it (no \
             {MARK_FILE} mark). Choose another --output, or empty it yourself"
        ),
    ))
}
