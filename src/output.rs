//! The only writer: pages go into a sibling temporary folder, which replaces the output folder
//! in one rename once the whole build has succeeded. Folders playbook made carry a mark file,
//! and a folder without it is never replaced. A file whose bytes did not change since the last
//! build is hard-linked from the previous output instead of written again, so it keeps its
//! modification time and `rsync` or any other copier sends only what changed.

use std::collections::HashMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use crate::error::Diagnostic;

/// Marks an output folder as playbook's; its presence is what allows replacing the folder.
/// It also lists what the build wrote (the manifest), which the next build compares against.
pub const MARK_FILE: &str = ".playbook-output";
const MARK_TEXT: &str = "This folder is written by `playbook build` and replaced on every build.\n";
/// Between the output folder's name and the process id in the name of a build's temporary
/// folder: `.public.playbook-tmp-1234` beside `public`.
const TEMP_INFIX: &str = ".playbook-tmp-";
/// The end of a copy being written beside the file it replaces: `.name.playbook-tmp`.
pub const TEMP_SUFFIX: &str = ".playbook-tmp";

/// What the manifest knows of one written file: its content hash and length, and the
/// modification time it had, which tells a file edited by hand since then.
#[derive(Clone, Copy, PartialEq)]
struct Written {
    hash: u128,
    len: u64,
    modified: u128,
}

/// A build's output being written; dropped without `commit`, it leaves no trace.
pub struct Staging {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
    /// The previous build's manifest, by path.
    previous: HashMap<String, Written>,
    /// The previous mark file's text, to leave it alone when the manifest is the same.
    previous_mark: String,
    written: Mutex<Vec<(String, Written)>>,
    /// The temporary folder, open and locked while this build runs: a build killed at any
    /// moment loses the lock with its process, which is how the next build tells its
    /// leftovers from a build still running beside it (process ids get reused).
    _lock: Option<fs::File>,
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
        recover_interrupted(target);
        let temp = parent.join(format!(".{name}{TEMP_INFIX}{}", std::process::id()));
        if temp.exists() {
            // What a killed run with this same process id left was removed just above.
            return Err(Diagnostic::error(
                &temp,
                "this folder is in the way of the build and playbook did not make it; remove it",
            ));
        }
        let lock = create_locked(&temp)?;
        let previous_mark = fs::read_to_string(target.join(MARK_FILE)).unwrap_or_default();
        let mark = temp.join(MARK_FILE);
        fs::write(&mark, MARK_TEXT).map_err(|err| Diagnostic::io(&mark, "write", &err))?;
        Ok(Staging {
            previous: read_manifest(&previous_mark),
            previous_mark,
            target: target.to_path_buf(),
            temp,
            committed: false,
            written: Mutex::new(Vec::new()),
            _lock: lock,
        })
    }

    /// The folder the build is written into until `commit`.
    pub fn folder(&self) -> &Path {
        &self.temp
    }

    /// Writes one file at `rel` (a `/`-separated path made by the renderer from slugs), or
    /// links the previous build's file when it has the same bytes.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        debug_assert!(
            !rel.split('/')
                .any(|part| part == ".." || part.is_empty() && rel.starts_with('/'))
        );
        let path = self.temp.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|err| Diagnostic::io(dir, "create folder", &err))?;
        }
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        let written = match self.link_unchanged(rel, hash, bytes.len() as u64, &path) {
            Some(written) => written,
            None => {
                let error = |err| Diagnostic::io(&self.target.join(rel), "write", &err);
                // Never through an existing file: it may be a link to the live output.
                let create = || {
                    fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .open(&path)
                };
                let mut file = match create() {
                    Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                        fs::remove_file(&path).map_err(error)?;
                        create()
                    }
                    opened => opened,
                }
                .map_err(error)?;
                file.write_all(bytes).map_err(error)?;
                Written {
                    hash,
                    len: bytes.len() as u64,
                    modified: file.metadata().map(|m| modified(&m)).unwrap_or(0),
                }
            }
        };
        if let Ok(mut list) = self.written.lock() {
            list.push((rel.to_string(), written));
        }
        Ok(())
    }

    /// Hard-links the previous output's `rel` to `path` if the manifest says it has these
    /// bytes and the file was not touched since.
    fn link_unchanged(&self, rel: &str, hash: u128, len: u64, path: &Path) -> Option<Written> {
        let known = self.previous.get(rel)?;
        if known.hash != hash || known.len != len {
            return None;
        }
        let old = self.target.join(rel);
        let metadata = fs::symlink_metadata(&old).ok()?;
        if !metadata.is_file() || metadata.len() != len || modified(&metadata) != known.modified {
            return None;
        }
        fs::hard_link(&old, path).ok()?;
        Some(*known)
    }

    /// Swaps the finished build in for the old output: one atomic exchange where the system
    /// has one (Linux), else two renames, the old output kept aside until the new is in place.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        self.write_manifest()?;
        if self.target.exists() && exchange(&self.temp, &self.target).is_ok() {
            self.committed = true;
            // The temporary folder now holds the previous site.
            remove_tree(&self.temp);
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
            // Held while the previous site is aside, so that no other build takes it for
            // the leftover of a killed one.
            let _lock = lock_folder(&self.target);
            fs::rename(&self.target, &old)
                .map_err(|err| Diagnostic::io(&self.target, "move aside", &err))?;
            if let Err(err) = fs::rename(&self.temp, &self.target) {
                let _ = fs::rename(&old, &self.target);
                return Err(Diagnostic::io(&self.target, "replace", &err));
            }
            // The new site is in place; a leftover old copy is only wasted space.
            remove_tree(&old);
        } else {
            fs::rename(&self.temp, &self.target)
                .map_err(|err| Diagnostic::io(&self.target, "create", &err))?;
        }
        self.committed = true;
        Ok(())
    }

    /// The mark file, followed by one line per file: hash, length, modification time, path.
    fn write_manifest(&self) -> Result<(), Diagnostic> {
        let mut written =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        written.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let text = manifest_text(&written);
        let mark = self.temp.join(MARK_FILE);
        // The same manifest: link the previous mark in. Linked beside, then renamed over, so
        // that the folder carries a mark at every moment (a folder without one is not ours).
        if text == self.previous_mark
            && write_beside(&mark, |beside| {
                fs::hard_link(self.target.join(MARK_FILE), beside)
            })
            .is_ok()
        {
            return Ok(());
        }
        fs::write(&mark, text).map_err(|err| Diagnostic::io(&mark, "write", &err))
    }
}

/// Replaces the one file `rel` of the finished output `target` with `bytes`, in place and
/// atomically (written beside, then renamed), and its line of the manifest with it, so that
/// the next build still finds every other file unchanged and keeps it. Every other file is
/// left as it was, modification time and all. `target` must be an output playbook made.
pub fn replace_file(target: &Path, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let mark = target.join(MARK_FILE);
    let previous = fs::read_to_string(&mark).map_err(|err| {
        Diagnostic::error(
            target,
            format!("this is not an output folder playbook wrote ({MARK_FILE}: {err})"),
        )
    })?;
    let path = target.join(rel);
    write_beside(&path, |beside| fs::write(beside, bytes))
        .map_err(|err| Diagnostic::io(&path, "write", &err))?;
    let metadata = fs::metadata(&path).map_err(|err| Diagnostic::io(&path, "read", &err))?;
    let mut manifest: Vec<(String, Written)> = read_manifest(&previous)
        .into_iter()
        .filter(|(known, _)| known != rel)
        .collect();
    manifest.push((
        rel.to_string(),
        Written {
            hash: xxhash_rust::xxh3::xxh3_128(bytes),
            len: bytes.len() as u64,
            modified: modified(&metadata),
        },
    ));
    manifest.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let text = manifest_text(&manifest);
    write_beside(&mark, |beside| fs::write(beside, text))
        .map_err(|err| Diagnostic::io(&mark, "write", &err))
}

/// The mark file's text: the mark, then one line per file (sorted by path): hash, length,
/// modification time, path.
fn manifest_text(written: &[(String, Written)]) -> String {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(MARK_TEXT.len() + written.len() * 80);
    text.push_str(MARK_TEXT);
    for (rel, file) in written {
        let _ = writeln!(
            text,
            "{:032x} {} {} {rel}",
            file.hash, file.len, file.modified
        );
    }
    text
}

/// Writes `to` by `write` into a copy beside it, then renamed over it: a reader (or the next
/// run, after a kill) never sees half a file.
pub fn write_beside(
    to: &Path,
    write: impl FnOnce(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let name = to
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temp = to.with_file_name(format!(".{name}{TEMP_SUFFIX}"));
    let written = write(&temp).and_then(|()| fs::rename(&temp, to));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// A copy being written by [`write_beside`]: `.name.playbook-tmp` (`/`-separated path).
pub fn is_temp_copy(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.starts_with('.') && name.ends_with(TEMP_SUFFIX)
}

/// The manifest in a mark file's text; empty if there is none (then every file is written).
fn read_manifest(text: &str) -> HashMap<String, Written> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(4, ' ');
            let hash = u128::from_str_radix(parts.next()?, 16).ok()?;
            let len = parts.next()?.parse().ok()?;
            let modified = parts.next()?.parse().ok()?;
            let rel = parts.next()?;
            Some((
                rel.to_string(),
                Written {
                    hash,
                    len,
                    modified,
                },
            ))
        })
        .collect()
}

/// A file's modification time in nanoseconds since 1970 (0 where the system has none).
fn modified(metadata: &fs::Metadata) -> u128 {
    metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos())
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            remove_tree(&self.temp);
        }
    }
}

/// Removes a folder of playbook's (a previous site, an abandoned build), its top-level folders
/// in parallel (a site of 10,000 pages is 10,000 folders, and removing them is a good part of a
/// build). The mark goes last, so that a run killed half-way leaves a folder the next build
/// still knows as its own. Best effort, like all cleanup here.
fn remove_tree(path: &Path) {
    use rayon::prelude::*;
    if let Ok(items) = fs::read_dir(path) {
        let items: Vec<fs::DirEntry> = items
            .flatten()
            .filter(|item| item.file_name() != MARK_FILE)
            .collect();
        items.par_iter().for_each(|item| {
            let _ = match item.file_type() {
                Ok(kind) if kind.is_dir() => fs::remove_dir_all(item.path()),
                _ => fs::remove_file(item.path()),
            };
        });
    }
    let _ = fs::remove_file(path.join(MARK_FILE));
    let _ = fs::remove_dir(path);
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

/// Cleans up beside `target` after builds that were killed, whatever moment they were killed
/// at; run before anything else, so that even a build that fails finds the previous output
/// where it was.
pub fn recover_interrupted(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let prefix = format!(".{}{TEMP_INFIX}", name.to_string_lossy());
    let Ok(items) = fs::read_dir(parent) else {
        return;
    };
    let mut abandoned: Vec<(PathBuf, Option<fs::File>)> = items
        .flatten()
        .filter(|item| {
            item.file_name()
                .to_str()
                .and_then(|name| name.strip_prefix(&prefix))
                .is_some_and(|rest| {
                    let pid = rest.strip_suffix(".old").unwrap_or(rest);
                    !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
                })
        })
        .map(|item| item.path())
        .filter(|folder| is_ours(folder))
        // Claimed, each stays locked until it is removed: a build that made it a moment ago
        // and has not locked it yet then fails to, and makes its folder again.
        .filter_map(|folder| claim(&folder).map(|lock| (folder, lock)))
        .collect();
    // A build killed between its two renames (where there is no atomic exchange) left no
    // output, and the previous one aside as `.old`: that one is put back first.
    if !target.exists()
        && let Some(old) = abandoned
            .iter()
            .map(|(folder, _)| folder)
            .find(|p| p.extension().is_some_and(|e| e == "old"))
            .cloned()
        && fs::rename(&old, target).is_ok()
    {
        abandoned.retain(|(p, _)| *p != old);
    }
    for (folder, _lock) in abandoned {
        remove_tree(&folder);
    }
}

/// Whether a folder named as a build's temporary folder is one: a real folder (not a link)
/// that carries the mark, or that is empty (a build killed after making it and before marking
/// it, or after removing all of it but the folder itself). Nothing else is ever removed.
fn is_ours(folder: &Path) -> bool {
    let is_dir = fs::symlink_metadata(folder).is_ok_and(|m| m.is_dir());
    let marked = fs::symlink_metadata(folder.join(MARK_FILE)).is_ok_and(|m| m.is_file());
    is_dir && (marked || fs::read_dir(folder).is_ok_and(|mut items| items.next().is_none()))
}

/// Makes a build's temporary folder and locks it for as long as the build runs. The lock is
/// `None` where the system cannot lock a folder; `claim` then asks whether the process lives.
///
/// Between making the folder and locking it, another build may take the empty folder for the
/// leftover of a killed one, claim it and remove it; the folder is then made again.
fn create_locked(temp: &Path) -> Result<Option<fs::File>, Diagnostic> {
    let mut tries = 0;
    loop {
        tries += 1;
        match fs::create_dir(temp) {
            Ok(()) => match lock_made_folder(temp) {
                Ok(lock) => return Ok(lock),
                Err(_) if tries < 200 => {}
                Err(err) => return Err(Diagnostic::io(temp, "lock folder", &err)),
            },
            // Being removed by another build that claimed it: wait until it is gone.
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && tries < 200 => {}
            Err(err) => return Err(Diagnostic::io(temp, "create folder", &err)),
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Locks the folder just made at `folder`; an error when another build holds it, or when it
/// is no longer the folder at that path (removed, and maybe made again, meanwhile).
fn lock_made_folder(folder: &Path) -> std::io::Result<Option<fs::File>> {
    let file = fs::File::open(folder)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            return Err(std::io::Error::from(std::io::ErrorKind::WouldBlock));
        }
        Err(fs::TryLockError::Error(_)) => return Ok(None),
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (held, named) = (file.metadata()?, fs::symlink_metadata(folder)?);
        if (held.dev(), held.ino()) != (named.dev(), named.ino()) {
            return Err(std::io::Error::from(std::io::ErrorKind::NotFound));
        }
    }
    Ok(Some(file))
}

/// Locks a folder for a moment of moving it; `None` where it cannot be locked.
fn lock_folder(folder: &Path) -> Option<fs::File> {
    let file = fs::File::open(folder).ok()?;
    file.try_lock().ok()?;
    Some(file)
}

/// Claims an abandoned temporary folder: `None` while a running build holds it, else its lock
/// (itself `None` where the system cannot lock a folder). The lock dies with its process,
/// however it ends, and is not fooled by a new process that was given the same id.
fn claim(folder: &Path) -> Option<Option<fs::File>> {
    let file = fs::File::open(folder).ok()?;
    match file.try_lock() {
        Ok(()) => Some(Some(file)),
        Err(fs::TryLockError::WouldBlock) => None,
        // No folder locks here: the process id in the name is all there is to go by.
        Err(fs::TryLockError::Error(_)) => {
            let running = folder
                .file_name()
                .and_then(|name| name.to_str())
                .and_then(|name| name.rsplit('-').next())
                .and_then(|pid| pid.trim_end_matches(".old").parse::<u32>().ok())
                .is_none_or(process_is_running);
            (!running).then_some(None)
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
    let items =
        fs::read_dir(target).map_err(|err| Diagnostic::io(target, "read output folder", &err))?;
    let mut names: Vec<String> = items
        .flatten()
        .map(|item| item.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort_unstable();
    let shown = names.len().min(3);
    let more = match names.len() - shown {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Err(Diagnostic::error(
        target,
        format!(
            "refusing to replace this folder: it holds {}{more}, and playbook did not make it \
             (no {MARK_FILE} mark). Choose another --output, or empty it yourself",
            names[..shown].join(", ")
        ),
    ))
}
