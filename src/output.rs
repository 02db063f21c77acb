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
        recover_interrupted(target);
        let temp = parent.join(format!("{prefix}{}", std::process::id()));
        if temp.exists() {
            // Left by a killed run that had this same process id: ours to remove if marked.
            if !temp.join(MARK_FILE).is_file() {
                return Err(Diagnostic::error(
                    &temp,
                    "this folder is in the way of the build and playbook did not make it; remove it",
                ));
            }
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

    /// Swaps the finished build in for the old output: one atomic exchange where the system
    /// has one (Linux), else two renames, the old output kept aside until the new is in place.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        if self.target.exists() && exchange(&self.temp, &self.target).is_ok() {
            self.committed = true;
            // The temporary folder now holds the previous site.
            let _ = fs::remove_dir_all(&self.temp);
            return Ok(());
        }
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

/// Atomically exchanges two folders (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Cleans up beside `target` after builds that were killed; run before anything else, so that
/// even a build that fails finds the previous output where it was.
pub fn recover_interrupted(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    remove_abandoned_temps(
        parent,
        &format!(".{}.playbook-tmp-", name.to_string_lossy()),
        target,
    );
}

/// Cleans up after builds that were killed: temporary folders (`<prefix><pid>`,
/// `<prefix><pid>.old`) that carry playbook's mark and whose process is gone. A build killed
/// between its two renames leaves no output but the previous one as `.old`: that one is put
/// back first. Best effort: what cannot be removed now is tried again next time.
fn remove_abandoned_temps(parent: &Path, prefix: &str, target: &Path) {
    let Ok(items) = fs::read_dir(parent) else {
        return;
    };
    let mut abandoned: Vec<PathBuf> = Vec::new();
    for item in items.flatten() {
        let file_name = item.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        let pid = rest.strip_suffix(".old").unwrap_or(rest);
        let gone = pid.parse::<u32>().is_ok_and(|pid| !process_is_running(pid));
        if gone && item.path().join(MARK_FILE).is_file() {
            abandoned.push(item.path());
        }
    }
    if !target.exists()
        && let Some(old) = abandoned
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == "old"))
            .cloned()
        && fs::rename(&old, target).is_ok()
    {
        abandoned.retain(|p| *p != old);
    }
    for folder in abandoned {
        let _ = fs::remove_dir_all(folder);
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
